"""Command line: ``python -m core validate FILE [FILE ...]`` (and more subcommands).

Each subcommand is one ``_add_<name>`` function registering its parser (with
``run=`` the function doing the work) and one entry in ``COMMANDS``. Exit codes: 0 the
cohort is usable, 1 it is not (or the files could not be read), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from core.cli_poster import add_poster
from core.cohort import LoadResult
from core.report import Report

EXIT_OK, EXIT_UNUSABLE, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show "é" must not turn a report into a traceback.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = argparse.ArgumentParser(prog="python -m core", description="The living poster, from the command line.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(commands)
    args = parser.parse_args(argv)
    return args.run(args, args.parser)


def _add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE ... or --demo: the cohort a subcommand works on."""
    parser.add_argument("files", nargs="*", metavar="FILE", help="cohort files (a workbook, or CSV/Parquet files)")
    parser.add_argument("--demo", action="store_true", help="use the bundled synthetic demo cohort")
    parser.add_argument("--demo-layout", choices=("fr", "en"), default="fr",
                        help="demo layout: fr (wide CSV + events) or en (workbook); default fr")


def _load(args: argparse.Namespace, parser: argparse.ArgumentParser, report_only: bool = False) -> LoadResult | None:
    """The loaded cohort, or None after printing a clean message (the files could not be read).

    With ``report_only``, files are validated without building the cohort
    (``loader.validate_files``): the result's cohort is None and its report is the same.
    A missing FILE, or FILE together with --demo, is a usage error (argparse exits 2).
    """
    if args.demo == bool(args.files):
        parser.error("give FILE ... or --demo (one of the two)")
    named = []
    for path in map(Path, args.files):
        if not path.is_file():
            parser.error(f"no such file: {path}" if not path.exists() else f"not a file: {path}")
        try:
            named.append((path.name, path.read_bytes()))
        except OSError as exc:
            parser.error(f"cannot open {path}: {exc.strerror or exc}")
    try:
        if args.demo:
            from core.demo import load_demo

            return load_demo(args.demo_layout)
        from core import loader

        hidden = getattr(args, "hidden_sheets", False)
        if report_only:
            return LoadResult(loader.validate_files(named, read_hidden_sheets=hidden), None)
        return loader.load_cohort(named, read_hidden_sheets=hidden)
    except Exception as exc:  # no input may end in a traceback; the message names the failure
        # The type only: an exception's text can quote cell values (patient data).
        print(f"error: the files could not be read ({type(exc).__name__})", file=sys.stderr)
        return None


def _add_validate(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("validate", help="check cohort files against the cohort format",
                                 description="Check cohort files and print the validation report.")
    _add_source_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--lang", choices=("en", "fr"), default="en",
                        help="language of the report's sentences (default: en)")
    parser.add_argument("--hidden-sheets", action="store_true",
                        help="read a workbook's hidden sheets too (default: leave them out, with a warning)")
    parser.set_defaults(run=_run_validate, parser=parser)


def _run_validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    result = _load(args, parser, report_only=True)
    if result is None:
        return EXIT_UNUSABLE
    if result.cohort is not None:
        result.cohort.close()
    if args.json:
        print(json.dumps(result.report.to_dict(args.lang), ensure_ascii=False, indent=2))
    else:
        print(format_report(result.report, args.lang))
    return EXIT_OK if result.report.usable else EXIT_UNUSABLE


def format_report(report: Report, lang: str = "en") -> str:
    """The report as plain text in ``lang``: verdict, counts per table, issues (errors
    first), then the columns not read as fields."""
    from core.i18n import t

    def say(key: str, **fmt: object) -> str:
        return t(f"issue_report.{key}", lang, **fmt)

    errors = len([i for i in report.issues if i.severity == "error"])
    lines = [say("usable") if report.usable else say("unusable" if errors != 1 else "unusable_one", n=errors), ""]
    lines.append(say("counts"))
    for table, count in report.counts.items():
        lines.append("  " + say("count_line", table=f"{t(f'issue.table.{table}', lang):<9}",
                                read=f"{count.read:>6}", kept=f"{count.kept:>6}", rejected=f"{count.rejected:>6}"))
    if not report.counts:
        lines.append("  " + say("none_read"))
    lines += ["", say("issues", n=len(report.issues)) if report.issues else say("no_issues")]
    for issue in report.sorted_issues():
        where = issue.file + (f" [{issue.sheet}]" if issue.sheet is not None else "")
        where += say("at_row", row=issue.row) if issue.row is not None else ""
        where += say("at_column", column=issue.column) if issue.column is not None else ""
        lines.append(f"  {say('severity.' + issue.severity):<8} {issue.code}: {where.lstrip(', ')}")
        lines.append(f"           {issue.text(lang)}")
        if issue.hint:
            lines.append(f"           {say('fix', hint=issue.hint_text(lang))}")
    from core.display.upload import readings_lines

    columns = readings_lines(report.columns, lang)
    return "\n".join(lines + ([""] + columns if columns else []))


def _add_summarize(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("summarize", help="print the poster numbers as cohort-summary/1 JSON",
                                 description="Compute every poster number and print the cohort-summary/1 JSON.")
    _add_source_arguments(parser)
    parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                        help="restrict to a subgroup (repeatable): centre=Lille, sex=F, hcq=true, "
                             "prior_lines>=2, age<50, or an extra column=value")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="settings",
                        help="change a derived definition (repeatable): min_age=16, shift_tolerance=0.15, "
                             "anti_dsdna_threshold=20, c3_low=0.8, c4_low=0.12, cs_thresholds=10,5, "
                             "response_months=3,6,12, small_n=5, min_cell=5 (small-cell suppression)")
    parser.set_defaults(run=_run_summarize, parser=parser)


def _run_summarize(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """A filter or setting the CLI cannot read, or a filter key the cohort does not have,
    is a usage error (exit 2); a filter value the cohort does not hold exits 1."""
    from core.filters import FilterError, parse_filters
    from core.settings import SettingError, parse_settings
    from core.summary import build_summary

    try:
        flt = parse_filters(args.filter)
        settings = parse_settings(args.settings)
    except (FilterError, SettingError) as exc:
        parser.error(str(exc))
    result = _load(args, parser)
    if result is None:
        return EXIT_UNUSABLE
    if result.cohort is None:
        print(format_report(result.report), file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        unknown = _unknown_filter_keys(result.cohort, flt)
        if unknown:
            known = ", ".join(["centre", "sex", "age", "prior_lines", "hcq", "cs", "cutaneous", "articular", "ifn",
                               *result.cohort.extra_columns.get("patients", ())])
            parser.error(f"unknown filter key {unknown[0]!r}: use one of {known}")
        document = build_summary(result.cohort, flt, settings)
    except FilterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as exc:  # no input may end in a traceback; the message names the failure
        # The type only: an exception's text can quote cell values (patient data).
        print(f"error: the summary could not be computed ({type(exc).__name__})", file=sys.stderr)
        return EXIT_UNUSABLE
    finally:
        result.cohort.close()
    # Numbers computed under other definitions than the contract's say so.
    document["details"]["settings"] = settings.changed() or None
    from core.json_text import readable_json

    sys.stdout.write(readable_json(document) + "\n")
    return EXIT_OK


def _unknown_filter_keys(cohort, flt) -> list[str]:
    """Keys of ``flt.extra`` that name no extra patient column of ``cohort`` (compared
    as ``core.filters.resolve_filter`` does: as written, or after normalisation)."""
    from core.schema import normalise

    extras = cohort.extra_columns.get("patients", ())
    normal = {normalise(name) for name in extras}
    return [name for name, _ in flt.extra if name not in extras and normalise(name) not in normal]


def _add_template(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("template", help="write the cohort template workbook (.xlsx)",
                                 description="Write an empty cohort workbook to fill in: a sheet explaining each "
                                             "column, then the patients, visits and events sheets.")
    parser.add_argument("--out", required=True, metavar="FILE.xlsx", help="where to write the workbook")
    parser.add_argument("--lang", choices=("en", "fr"), default="en",
                        help="language of the headers and explanations (default: en)")
    parser.add_argument("--blank", action="store_true", help="headers only, without the example patient")
    parser.set_defaults(run=_run_template, parser=parser)


def _run_template(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Exit 0 once written, 1 when the file cannot be written, 2 for an --out not ending in .xlsx."""
    from core.template import template_workbook

    path = Path(args.out)
    if path.suffix.lower() != ".xlsx":
        parser.error(f"--out must name an .xlsx file: {path}")
    content = template_workbook(args.lang, example=not args.blank)
    try:
        path.write_bytes(content)
    except OSError as exc:
        print(f"error: cannot write {path}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"wrote {path}")
    return EXIT_OK


COMMANDS = (_add_validate, _add_summarize, _add_template, add_poster)
