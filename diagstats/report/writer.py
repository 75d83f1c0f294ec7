"""Writing a report: into a staging folder first, then swapped in place of the old one by two renames."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .._input import check_option
from ..errors import OptionError

if TYPE_CHECKING:
    from .model import Report

FORMATS = ("html", "md")


def write(report: Report, out_dir: str | os.PathLike, formats: tuple[str, ...] | list[str] = FORMATS) -> Path:
    """Write ``report`` to ``out_dir/<name>/``, replacing any earlier version.

    The folder gets ``index.html`` and/or ``report.md``, ``key_numbers.json``, ``figures/*`` and ``files``.
    Everything is written into a temporary folder first; then the old folder is renamed aside and the
    new one renamed into its place (between the two renames neither is at ``out_dir/<name>``).
    """
    formats = tuple(check_option(f, "format", FORMATS) for f in formats)
    if not formats:
        raise OptionError("format must name at least one of 'html', 'md'.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / report.name
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
        retired = None
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{report.name}-old-", dir=out_dir))
            os.replace(target, retired / report.name)
        os.replace(staging, target)
        if retired is not None:
            shutil.rmtree(retired)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
