"""Real aggregate data from the spinal-tumour literature, shipped with the package.

Each dataset is a CSV with a datasheet (source, URLs, what is verbatim and what was derived,
column meanings, licence). The canonical copies live in the repository's ``datasets/`` folder;
the package ships identical copies so that loading works from an installed wheel.

>>> import diagstats as ds
>>> "li2019_auc" in ds.datasets.list()
True
>>> df = ds.datasets.load("li2019_auc")
>>> df.loc[df["marker"] == "nlr", "auc"].tolist()
[0.704, 0.713, 0.624]
>>> df.attrs["source"][:6]
'Li Y, '
"""

from __future__ import annotations

import builtins
import io
from importlib import resources

import pandas as pd

from ._input import _show, _suggest
from .errors import OptionError

__all__ = ["list", "load", "datasheet"]


#: Count-like columns, read as nullable integers (pd.NA where the source printed no number).
INTEGER_COLUMNS = ("year", "n", "events", "count", "tp", "fp", "fn", "tn", "n_studies", "n_patients")


def _folder():
    return resources.files("diagstats") / "data" / "datasets"


def list() -> builtins.list[str]:  # noqa: A001 - the documented name, ds.datasets.list()
    """Names of the shipped datasets, sorted."""
    return sorted(f.name[:-4] for f in _folder().iterdir() if f.name.endswith(".csv"))


def _check_name(name: object) -> str:
    names = list()
    if not isinstance(name, str) or name not in names:
        hint = _suggest(name, names) if isinstance(name, str) else ""
        raise OptionError(f"name={_show(name)} is not a diagstats dataset; use one of "
                          f"{', '.join(repr(n) for n in names)}.{hint}")
    return name


def datasheet(name: str) -> str:
    """The datasheet (Markdown) of a dataset: source, verbatim vs derived, columns, licence."""
    return (_folder() / f"{_check_name(name)}.md").read_text(encoding="utf-8")


def _section(markdown: str, title: str) -> str:
    text = markdown.split(f"## {title}\n", 1)[1] if f"## {title}\n" in markdown else ""
    return " ".join(text.split("\n## ", 1)[0].split())


def load(name: str) -> pd.DataFrame:
    """Load a dataset as a DataFrame.

    Parameters
    ----------
    name : str
        One of :func:`list`.

    Returns
    -------
    pandas.DataFrame
        Numbers the source did not print are missing (``pd.NA`` in the integer columns
        :data:`INTEGER_COLUMNS`, NaN elsewhere). ``df.attrs`` holds ``name``,
        ``title``, ``source`` (the datasheet's Source section, else the rows' distinct sources) and
        ``datasheet`` (its full text).

    Examples
    --------
    >>> import diagstats as ds
    >>> df = ds.datasets.load("imaging_2x2_studies")
    >>> df[["tp", "fp", "fn", "tn"]].iloc[1].tolist()
    [198, 5, 3, 433]
    """
    name = _check_name(name)
    text = (_folder() / f"{name}.csv").read_text(encoding="utf-8")
    frame = pd.read_csv(io.StringIO(text))
    for col in INTEGER_COLUMNS:
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    sheet = datasheet(name)
    title = sheet.splitlines()[0].lstrip("# ").split(": ", 1)[-1]
    source = _section(sheet, "Source") or "; ".join(dict.fromkeys(frame["source"].dropna().astype(str)))
    frame.attrs.update({"name": name, "title": title, "source": source, "datasheet": sheet})
    return frame
