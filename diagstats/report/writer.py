"""Writing a report folder so that the old report or the new one is in place at every instant.

The files are written into a hidden staging folder ``out_dir/.NAME-XXXXXXXX`` beside the report;
then the staging folder and ``out_dir/NAME`` are exchanged in one atomic step (Linux
``renameat2(RENAME_EXCHANGE)``) and the old report, now in the staging folder, is deleted. Where
the exchange is not available (another system, or a file system without it) the old folder is
renamed aside to ``out_dir/.NAME-old-XXXXXXXX/NAME`` and the new one renamed into its place: between
those two renames there is no ``out_dir/NAME``. Every write starts by repairing what a killed
earlier write left behind: a retired old report is put back if ``NAME`` is missing, and stale
hidden staging and retired folders of ``NAME`` are deleted. One writer at a time per folder.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .._input import check_option
from ..errors import DiagstatsError, OptionError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .model import Report

FORMATS = ("html", "md")


def check_formats(formats: Iterable[str], name: str = "format") -> tuple[str, ...]:
    """The output formats, each one of :data:`FORMATS`; at least one.

    >>> check_formats(["md"])
    ('md',)
    """
    formats = tuple(check_option(f, name, FORMATS) for f in formats)
    if not formats:
        raise OptionError(f"{name} must name at least one of 'html', 'md'.")
    return formats


def check_destination(out_dir: str | os.PathLike, names: Iterable[str] = (), given: str | None = None) -> Path:
    """Refuse, before anything is computed, an output folder that cannot receive the reports ``names``.

    ``out_dir`` may not exist yet (it is created), but it may not be a file nor lie below one, its
    nearest existing folder must be writable, and no report name may be taken by a file or a link there.
    ``given`` is how the user wrote the folder (``--out x`` on the command line); messages use it.

    >>> import tempfile
    >>> check_destination(tempfile.gettempdir() + "/new_reports", ["needle_biopsy"]).name
    'new_reports'
    """
    out_dir = Path(out_dir)
    given = given or f"out_dir={str(out_dir)!r}"
    fix = "give a folder for the reports (it is created if it does not exist)"
    if out_dir.exists() and not out_dir.is_dir():
        raise DiagstatsError(f"{given} is a file, not a folder; {fix}.")
    existing = out_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
        if existing.exists() and not existing.is_dir():
            raise DiagstatsError(f"{given} lies inside {str(existing)!r}, which is a file; {fix}.")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".diagstats-probe-", dir=existing))
    except OSError as error:
        raise DiagstatsError(f"{given}: cannot create anything in {str(existing)!r} ({error.strerror}); choose a "
                             "folder you can write to, or change its permissions.") from None
    for name in names:
        target = out_dir / name
        if target.is_symlink():
            raise DiagstatsError(f"{given} holds a symbolic link {name!r} where the report folder {name}/ would go; "
                                 "a report replaces a real folder: remove the link, or give the folder it points to.")
        if target.exists() and not target.is_dir():
            raise DiagstatsError(f"{given} holds a file {name!r} where the report folder {name}/ would go; move or "
                                 "rename that file, or choose another folder.")
    return out_dir


def write(report: Report, out_dir: str | os.PathLike, formats: tuple[str, ...] | list[str] = FORMATS) -> Path:
    """Write ``report`` to ``out_dir/<name>/``, replacing any earlier version; return that folder.

    The folder gets ``index.html`` and/or ``report.md``, ``key_numbers.json``, ``figures/*`` and the
    report's ``files`` (``study.toml``, ``command.txt`` of a user's study). The
    replacement is safe against a kill at any moment (see the module docstring): on Linux the old
    report or the new one is always at ``out_dir/<name>``, and any write repairs what a killed one
    left behind.

    >>> import tempfile
    >>> from diagstats.report import Report
    >>> folder = write(Report(name="demo", title="Demo", question="?", sections=()), tempfile.mkdtemp(), ["md"])
    >>> sorted(p.name for p in folder.iterdir())
    ['key_numbers.json', 'report.md']
    """
    formats = check_formats(formats)
    out_dir = check_destination(out_dir, [report.name])
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / report.name
    _recover(out_dir, report.name)
    staging = Path(tempfile.mkdtemp(prefix=f".{report.name}-", dir=out_dir))
    try:
        if "html" in formats:
            (staging / "index.html").write_text(report.to_html(), encoding="utf-8")
        if "md" in formats:
            (staging / "report.md").write_text(report.to_markdown(), encoding="utf-8")
        (staging / "key_numbers.json").write_text(report.key_numbers_json(), encoding="utf-8")
        for filename, text in sorted(report.files.items()):
            (staging / filename).write_text(text, encoding="utf-8")
        figures = report.figure_files()
        if figures:
            (staging / "figures").mkdir()
            for filename, content in sorted(figures.items()):
                (staging / "figures" / filename).write_bytes(content)
        os.chmod(staging, 0o755)
        if not target.exists():
            os.replace(staging, target)
        elif _exchange(staging, target):
            shutil.rmtree(staging)         # now holds the old report
        else:
            retired = Path(tempfile.mkdtemp(prefix=f".{report.name}-old-", dir=out_dir))
            os.replace(target, retired / report.name)
            os.replace(staging, target)
            shutil.rmtree(retired)
    finally:
        _recover(out_dir, report.name)     # after a failure: the old report back in place, no hidden folders
    return target


def _hidden_folders(out_dir: Path, name: str) -> list[Path]:
    """The staging (``.NAME-XXXXXXXX``) and retired (``.NAME-old-XXXXXXXX``) folders of report ``name``."""
    pattern = re.compile(rf"\.{re.escape(name)}-(old-)?[a-z0-9_]+")
    return sorted(p for p in out_dir.iterdir() if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink())


def _recover(out_dir: Path, name: str) -> None:
    """Undo a write that was killed: put a retired report back if ``NAME`` is missing; delete hidden folders."""
    target = out_dir / name
    hidden = _hidden_folders(out_dir, name)
    if not target.exists():
        retired = [p / name for p in hidden if p.name.startswith(f".{name}-old-") and (p / name).is_dir()]
        if retired:
            os.replace(retired[-1], target)
    for folder in hidden:
        shutil.rmtree(folder, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` atomically; False where the system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:          # glibc before 2.28, or another C library
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))
