"""The ``diagstats`` command line.

    diagstats report [NAME ...] [--data CSV] [--out DIR] [--seed N] [--format html,md] [--quiet]

Errors in the user's input print one line (no traceback) and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys

from .errors import DiagstatsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="diagstats", description="Diagnostic accuracy studies, reproducibly.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="build reports from the analyses/ scripts")
    report.add_argument("names", nargs="*", help="analyses to run (default: all)")
    report.add_argument("--data", help="CSV file to analyse instead of the built-in data")
    report.add_argument("--out", default="reports", help="output folder (default: reports)")
    report.add_argument("--seed", type=int, default=None, help="seed for simulated data")
    report.add_argument("--format", default="html,md", help="comma-separated: html, md (default: both)")
    report.add_argument("--analyses", default=None, help="folder of analysis scripts (default: ./analyses)")
    report.add_argument("--quiet", action="store_true", help="no progress output")
    return parser


def _report(args: argparse.Namespace) -> None:
    from . import report

    names = args.names or report.list_analyses(args.analyses)
    config = {k: v for k, v in (("data", args.data), ("seed", args.seed)) if v is not None}
    config["progress"] = not args.quiet
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    for name in names:
        built = report.build(name, config, path=args.analyses)
        target = report.write(built, args.out, formats)
        if not args.quiet:
            print(f"wrote {target}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "report":
            _report(args)
    except DiagstatsError as error:
        print(f"diagstats: error: {error}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"diagstats: error: {error.strerror}: {error.filename}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
