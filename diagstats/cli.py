"""The ``diagstats`` command line.

    diagstats report [NAME ...] [--study STUDY.toml | --data CSV [--map ROLE=COLUMN,...] [--positive LABEL]
                     [--test-positive LABEL]] [--out DIR] [--seed N] [--n N] [--format html,md]
                     [--analyses DIR] [--quiet]
    diagstats validate [NAME ...] [--reports DIR] [--analyses DIR] [--quiet]
    diagstats init --data CSV [--out STUDY.toml]

On a user's study (``--study``, or the ``--data`` flags, which describe the same study), every
analysis asked for that lacks a role it needs refuses before anything is computed; without names,
the analyses the study has data for run, and the others are listed as skipped with the reason.

Errors in the user's input, and any failure to read or write a file, print one line (no traceback)
and exit with status 2; every output option is checked before any analysis runs. Ctrl-C stops at
once with one line and status 130. ``validate`` exits with status 1 when a key number changed, after
printing the differences.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import TYPE_CHECKING, Any

from .errors import DiagstatsError

if TYPE_CHECKING:
    from pathlib import Path

    from .report import Report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="diagstats", description="Diagnostic accuracy studies, reproducibly.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="build reports from the analyses/ scripts")
    report.add_argument("names", nargs="*", help="analyses to run (default: all, or all the study has data for)")
    report.add_argument("--study", default=None, help="a study file (TOML) describing your data; see "
                                                      "'diagstats init' and docs/study_file.md")
    report.add_argument("--data", help="CSV file to analyse instead of the built-in data (a shortcut for --study)")
    report.add_argument("--map", dest="mapping", default=None,
                        help="with --data: role=column pairs, e.g. reference=biopsy_result,test=mri (several "
                             "columns for one role joined by '+')")
    report.add_argument("--positive", default=None, help="with --data: the reference value meaning diseased")
    report.add_argument("--test-positive", dest="test_positive", default=None,
                        help="with --data: the value of the index test(s) meaning a positive result, e.g. pos")
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
    init = commands.add_parser("init", help="write a starter study file from the columns of a CSV file")
    init.add_argument("--data", required=True, help="your CSV file")
    init.add_argument("--out", default="study.toml", help="the study file to write (default: study.toml)")
    return parser


def _study(args: argparse.Namespace) -> Any:
    """The study that ``--study`` or the ``--data`` flags describe (None: the built-in data)."""
    import dataclasses
    import shlex

    from .report.data import parse_mapping
    from .report.study import Study, load_study

    flags = [f for f, v in (("--map", args.mapping), ("--positive", args.positive),
                            ("--test-positive", args.test_positive)) if v is not None]
    if args.study and (args.data or flags):
        raise DiagstatsError(f"--study describes the data; leave out {(['--data'] if args.data else flags)[0]} (or "
                             "drop --study and describe the data with --data and --map).")
    if flags and not args.data:
        raise DiagstatsError(f"{flags[0]} describes a --data file; give --data CSV too (or use --study).")
    if (args.study or args.data) and args.n is not None:
        raise DiagstatsError("--n sets the size of the simulated cohort; your study has its own patients, so leave "
                             "--n out.")
    seed = {"seed": args.seed} if args.seed is not None else {}
    if args.study:
        study = load_study(args.study)
        return dataclasses.replace(study, settings=tuple({**dict(study.settings), **seed}.items()))
    if args.data:
        typed = ["--data", args.data] + [x for flag, value in (("--map", args.mapping), ("--positive", args.positive),
                                                                ("--test-positive", args.test_positive))
                                         if value is not None for x in (flag, value)]
        return Study.from_flags(args.data, parse_mapping(args.mapping), args.positive, args.test_positive,
                                seed, described_by="the command line: diagstats report " + shlex.join(typed))
    return None


def _report(args: argparse.Namespace) -> int:
    import dataclasses
    import shlex

    from tqdm.auto import tqdm

    from . import report
    from .report.builder import refusal
    from .report.study_data import read_study_data

    study = _study(args)
    available = report.list_analyses(args.analyses)
    if study is None:
        config = {k: v for k, v in (("seed", args.seed), ("n", args.n)) if v is not None}
        names = _analysis_names(args.names, available) or available
    else:
        config = {"study": study}
        asked = list(args.names) or list(study.analyses)
        names = _analysis_names(asked, available, None if args.names else study.at("analyses", "")) or available
        reasons = {name: refusal(name, study, path=args.analyses) for name in names}
        refused = [reason for reason in reasons.values() if reason]
        if asked and refused:
            raise DiagstatsError(" ".join(refused))
        names = [name for name in names if not reasons[name]]
        if not names:
            raise DiagstatsError(f"no analysis fits the data of {study.data_key} {study.data}: " + " ".join(refused))
        if not args.quiet:
            for reason in refused:
                print(f"skipped: {reason}")
    formats = _check_outputs(args, names)
    if study is not None:
        read_study_data(study)      # every column and label checked before any analysis computes
    config["progress"] = not args.quiet
    built = [report.build(name, config, path=args.analyses)
             for name in tqdm(names, desc="analyses", unit="analysis", disable=args.quiet or len(names) < 2)]
    if study is not None:
        command = "diagstats " + shlex.join(args.argv) + "\n"
        built = [dataclasses.replace(rep, files={**rep.files, "command.txt": command}) for rep in built]
    for rep in built:      # everything is computed before anything is written
        target = _write(rep, args, formats)
        if not args.quiet:
            print(f"wrote {target}")
    return 0


def _analysis_names(names: list[str], available: list[str], where: str | None = None) -> list[str]:
    """``names`` if each is an analysis; else one line naming the unknown one (``where``: a study file's key)."""
    from ._input import _suggest

    for name in names:
        if name not in available:
            said = f"{where} names no analysis {name!r}" if where else f"there is no analysis called {name!r}"
            raise DiagstatsError(f"{said}; the analyses are " + ", ".join(available) + "." + _suggest(name, available))
    return list(names)


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


def _init(args: argparse.Namespace) -> int:
    from .report.study_starter import write_starter

    print(f"wrote {write_starter(args.data, args.out)}; check every line marked 'check this', then run "
          f"'diagstats report --study {args.out}'")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from . import report

    _analysis_names(args.names, report.list_analyses(args.analyses))
    differences = report.validate(args.names or None, reports=args.reports, path=args.analyses,
                                  config={"progress": not args.quiet})
    failed = {name: lines for name, lines in differences.items() if lines}
    for name, lines in differences.items():
        numbers = [line for line in lines if not line.startswith("data: ")]
        for line in lines[:len(lines) - len(numbers)]:    # the data file changed or is missing
            print(f"{name}: {line.removeprefix('data: ')}")
        if numbers:
            print(f"{name}: {len(numbers)} key number(s) differ from {args.reports}/{name}/key_numbers.json")
            print("\n".join(f"  {line}" for line in numbers))
        elif not lines and not args.quiet:
            print(f"{name}: ok")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser().parse_args(argv)
    args.written = []     # report folders written so far, for the message after Ctrl-C
    args.argv = argv
    try:
        return {"report": _report, "validate": _validate, "init": _init}[args.command](args)
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
