"""``python -m core poster``: every export of the poster written into one folder.

    python -m core poster FILE [FILE ...] --out DIR [--lang fr|en] [--filter ...]
        [--set ...] [--meta poster.toml] [--url URL] [--group centre] [--landscape] [--demo]

Writes the poster (``poster.html``, self-contained; ``poster.pdf``, A0), the slide deck
(``deck.pptx``), the tables (CSV, XLSX, DOCX), the charts (PNG, SVG, PDF),
``summary.json`` (the ``cohort-summary/1`` document of ``summarize``), ``methods.txt``,
``stamp.txt``, ``manifest.json`` (each file's SHA-256) and ``poster.zip`` holding them
all. Exit
codes as ``summarize``: 1 for an unusable cohort, a filter value the cohort does not
hold or a failed export; 2 for a filter, setting, address, grouping or metadata file
the command cannot use.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_poster(commands: argparse._SubParsersAction) -> None:
    """Register the ``poster`` subcommand (``core.cli.COMMANDS``)."""
    from core import cli

    parser = commands.add_parser("poster",
                                 help="write the poster (HTML, A0 PDF), slides, tables, charts and methods into DIR",
                                 description="Write every export of the poster into one folder, with a manifest.")
    cli._add_source_arguments(parser)
    parser.add_argument("--out", required=True, metavar="DIR", type=Path, help="folder to write into (created)")
    parser.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the exports (default: en)")
    parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                        help="restrict to a subgroup (repeatable), as for summarize")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="settings",
                        help="change a derived definition (repeatable), as for summarize")
    parser.add_argument("--meta", type=Path, metavar="POSTER.toml",
                        help="the poster's title, authors and texts (TOML; the demo has its own)")
    parser.add_argument("--url", metavar="URL", help="the app's public address: adds a QR code to the live view")
    parser.add_argument("--group", metavar="COLUMN", help="split Table 1 by centre, sex or an extra column")
    parser.add_argument("--landscape", action="store_true", help="lay the DOCX tables out in landscape")
    parser.set_defaults(run=run_poster, parser=parser)


def run_poster(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from core import cli
    from core.export.live import AddressError, check_address
    from core.filters import FilterError, parse_filters
    from core.settings import SettingError, parse_settings

    try:
        flt = parse_filters(args.filter)
        settings = parse_settings(args.settings)
        if args.url:
            check_address(args.url)
    except (FilterError, SettingError, AddressError) as exc:
        parser.error(str(exc))
    meta_file = _read_meta(args, parser)
    result = cli._load(args, parser)
    if result is None:
        return cli.EXIT_UNUSABLE
    if result.cohort is None:
        print(cli.format_report(result.report), file=sys.stderr)
        return cli.EXIT_UNUSABLE
    try:
        return _export(args, parser, result.cohort, flt, settings, meta_file)
    finally:
        result.cohort.close()


def _read_meta(args: argparse.Namespace, parser: argparse.ArgumentParser):
    """The checked ``--meta`` file, or exit 2 listing every problem in its language."""
    if args.meta is None:
        return None
    from core.poster_meta import read_poster_meta

    if not args.meta.is_file():
        parser.error(f"no such metadata file: {args.meta}")
    try:
        meta = read_poster_meta(args.meta.read_bytes())
    except OSError as exc:
        parser.error(f"cannot open {args.meta}: {exc.strerror or exc}")
    if not meta.ok:
        for issue in meta.issues:
            print(f"{args.meta.name}: {issue.text(args.lang)}", file=sys.stderr)
        sys.exit(2)
    return meta


def _export(args, parser, cohort, flt, settings, meta_file) -> int:
    from core import cli
    from core.export.bundle import full_export, prepare_export
    from core.filters import FilterError

    unknown = cli._unknown_filter_keys(cohort, flt)
    if unknown:
        parser.error(f"unknown filter key {unknown[0]!r}: use centre, sex, age, prior_lines, hcq, cs, cutaneous, "
                     f"articular, ifn or an extra column of the patients table")
    _check_group(args.group, cohort, settings, parser)
    if meta_file is not None:
        meta = meta_file.view(args.lang)
    elif args.demo:
        from core.poster import load_poster

        meta = load_poster(args.lang)
    else:
        meta = None  # an upload is another study: never the demo's title
    try:
        ctx = prepare_export(cohort, _source_files(args), args.lang, flt, settings, meta=meta,
                             base_url=args.url, group=args.group, landscape=args.landscape)
        files = full_export(ctx)
    except FilterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return cli.EXIT_UNUSABLE
    except Exception as exc:  # no input may end in a traceback
        # The type only: an exception's text can quote cell values (patient data).
        print(f"error: the exports could not be built ({type(exc).__name__})", file=sys.stderr)
        return cli.EXIT_UNUSABLE
    try:
        for f in files:
            path = args.out.joinpath(*f.name.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(f.data)
    except OSError as exc:
        print(f"error: cannot write into {args.out}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return cli.EXIT_UNUSABLE
    print(ctx.stamp.line(args.lang))
    print(f"{len(files)} files written into {args.out} (their SHA-256 are in manifest.json)")
    return cli.EXIT_OK


def _check_group(group: str | None, cohort, settings, parser: argparse.ArgumentParser) -> None:
    if group is None:
        return
    from core.filters import filter_options
    from core.suppression import grouping_allowed

    if not grouping_allowed(settings.min_cell):
        parser.error("--group cannot be used with min_cell: the groups' counts could give a hidden count back")

    allowed = ["centre", "sex", *(column for column, _ in filter_options(cohort).extra)]
    if group not in allowed:
        parser.error(f"cannot group Table 1 by {group!r}: use one of {', '.join(allowed)}")


def _source_files(args: argparse.Namespace) -> list[tuple[str, bytes]]:
    """The files' names and bytes, for the stamp's digest (already read once by the loader)."""
    if args.demo:
        from core.demo import DEMO_FILES

        paths = DEMO_FILES[args.demo_layout]
    else:
        paths = [Path(p) for p in args.files]
    return [(path.name, path.read_bytes()) for path in paths]
