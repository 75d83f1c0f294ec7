"""The ``diagstats`` command line.

    diagstats report [NAME ...] [--data CSV [--map ROLE=COLUMN,...] [--positive LABEL]] [--out DIR]
                     [--seed N] [--n N] [--format html,md] [--analyses DIR] [--quiet]
    diagstats validate [NAME ...] [--reports DIR] [--analyses DIR] [--quiet]

Errors in the user's input, and any failure to read or write a file, print one line (no traceback)
and exit with status 2; every output option is checked before any analysis runs. Ctrl-C stops at
once with one line and status 130. ``validate`` exits with status 1 when a key number changed, after
printing the differences.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import TYPE_CHECKING

from .errors import DiagstatsError

if TYPE_CHECKING:
    from pathlib import Path

    from .report import Report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="diagstats", description="Diagnostic accuracy studies, reproducibly.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="build reports from the analyses/ scripts")
    report.add_argument("names", nargs="*", help="analyses to run (default: all)")
    report.add_argument("--data", help="CSV file to analyse instead of the built-in data")
    report.add_argument("--map", dest="mapping", default=None,
                        help="with --data: role=column pairs, e.g. reference=biopsy_result,test=mri (several "
                             "columns for one role joined by '+')")
    report.add_argument("--positive", default=None, help="with --data: the reference value meaning diseased")
    report.add_argument("--out", default="reports", help="output folder (default: reports)")
    report.add_argument("--seed", type=int, default=None, help="seed for simulated data")
    report.add_argument("--n", type=int, default=None, help="size of the simulated cohort")
    report.add_argument("--format", default="html,md", help="comma-separated: html, md (default: both)")
    report.add_argument("--analyses", default=None, help="folder of analysis scripts (default: ./analyses)")
    report.add_argument("--quiet", action="store_true", help="no progress output")
    validate = commands.add_parser("validate", help="re-run analyses and compare key numbers with reports/")
    validate.add_argument("names", nargs="*", help="analyses to check (default: all)")
    validate.add_argument("--reports", default="reports", help="folder of committed reports (default: reports)")
    validate.add_argument("--analyses", default=None, help="folder of analysis scripts (default: ./analyses)")
    validate.add_argument("--quiet", action="store_true", help="no progress output")
    return parser


def _names(args: argparse.Namespace) -> list[str]:
    from . import report

    available = report.list_analyses(args.analyses)
    return list(args.names) or available


def _report(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from . import report
    from .report.data import parse_mapping

    if (args.mapping or args.positive) and not args.data:
        raise DiagstatsError("--map and --positive describe a --data file; give --data CSV too.")
    config = {k: v for k, v in (("data", args.data), ("seed", args.seed), ("n", args.n),
                                ("positive", args.positive)) if v is not None}
    if args.mapping:
        config["mapping"] = parse_mapping(args.mapping)
    config["progress"] = not args.quiet
    names = _names(args)
    formats = _check_outputs(args, names)
    built = [report.build(name, config, path=args.analyses)
             for name in tqdm(names, desc="analyses", unit="analysis", disable=args.quiet or len(names) < 2)]
    for rep in built:      # everything is computed before anything is written
        target = _write(rep, args, formats)
        if not args.quiet:
            print(f"wrote {target}")
    return 0


def _check_outputs(args: argparse.Namespace, names: list[str]) -> tuple[str, ...]:
    """The output formats, after refusing any output option that would fail once the analyses have run."""
    from .report.writer import check_destination, check_formats

    formats = check_formats([f.strip() for f in args.format.split(",") if f.strip()], name="--format")
    check_destination(args.out, names, given=f"--out {args.out}")
    return formats


def _write(rep: Report, args: argparse.Namespace, formats: tuple[str, ...]) -> Path:
    """Write one report; Ctrl-C meanwhile takes effect once it is written, so the message after it is exact."""
    from .report import write

    received = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        target = write(rep, args.out, formats)
        args.written.append(target)
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt
    return target


def _validate(args: argparse.Namespace) -> int:
    from . import report

    differences = report.validate(args.names or None, reports=args.reports, path=args.analyses,
                                  config={"progress": not args.quiet})
    failed = {name: lines for name, lines in differences.items() if lines}
    for name, lines in differences.items():
        if lines:
            print(f"{name}: {len(lines)} key number(s) differ from {args.reports}/{name}/key_numbers.json")
            print("\n".join(f"  {line}" for line in lines))
        elif not args.quiet:
            print(f"{name}: ok")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.written = []     # report folders written so far, for the message after Ctrl-C
    try:
        return _report(args) if args.command == "report" else _validate(args)
    except DiagstatsError as error:
        print(f"diagstats: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        where = " or ".join(repr(str(f)) for f in (error.filename, error.filename2) if f is not None) or "a file"
        fix = f"check --out {args.out} (permissions, free space) or choose another folder with --out" \
            if args.command == "report" else "check the path and its permissions"
        print(f"diagstats: error: {where}: {error.strerror or error}; {fix}.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.written:
            done = ", ".join(str(p) for p in args.written)
            print(f"diagstats: interrupted after writing {done}; the other reports are unchanged", file=sys.stderr)
        else:
            print("diagstats: interrupted; nothing written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
