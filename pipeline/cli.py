"""The `vnextract` command line (argparse: plain help, one line and exit status 2 for wrong usage)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import get_args

from pipeline import __version__

DESCRIPTION = (
    "vnextract reads scraped Vietnamese party and council news and writes who held which office, which "
    "documents were cited, which dates and which targets were met as validated Parquet tables."
)


class UsageError(Exception):
    """Wrong usage or a path that cannot be used: one line on stderr, exit status 2."""


def _existing(path: Path, what: str) -> Path:
    if not path.exists():
        raise UsageError(f"{what} {path} does not exist")
    return path


def _gold_folder(path: Path) -> Path:
    """A gold folder, or one gold file, that holds something to score."""
    if _existing(path, "the gold").is_dir() and not any(path.glob("*.jsonl")):
        raise UsageError(f"{path} holds no gold file (*.jsonl): nothing to score")
    if path.is_file() and not path.read_text(encoding="utf-8", errors="replace").strip():
        raise UsageError(f"{path} is empty: nothing to score")
    return path


def extract(args: argparse.Namespace) -> int:
    from pipeline.patterns import RulesError
    from pipeline.runner import Settings, run
    from pipeline.store import OutputError

    raw = _existing(args.raw, "the input")
    workers = Settings().workers if args.workers is None else args.workers
    if workers < 1 or args.batch_size < 1:
        raise UsageError("--workers and --batch-size must be 1 or more")
    try:
        settings = Settings(
            max_bytes=args.max_bytes,
            seconds_per_document=args.seconds_per_document,
            workers=workers,
            batch_size=args.batch_size,
            force=args.force,
            engine=args.engine,
            scheduler=args.scheduler,
            raise_errors=args.raise_errors,
        )
    except ValueError as error:  # a limit out of range
        raise UsageError(str(error)) from None
    try:
        summary = run(raw, args.out, settings, progress=args.progress)
    except (OutputError, RulesError) as error:
        raise UsageError(str(error)) from error
    print(summary.line(args.out))
    return 1 if args.strict and summary.errors else 0


def evaluate(args: argparse.Namespace) -> int:
    from pipeline.evaluate import run_eval, table_lines

    report = run_eval(_gold_folder(args.gold), args.reports)
    for line in table_lines(report):
        print(line)
    print(f"{len(report.misses)} misses, {len(report.false_hits)} false hits: {args.reports / 'eval.md'}")
    return 0


def audit(args: argparse.Namespace) -> int:
    from pipeline.audit import write_audit

    pages = write_audit(_gold_folder(args.gold), args.out)
    print(f"{len(pages)} audit pages: {args.out / 'index.html'}")
    return 0


def _tables_folder(path: Path) -> Path:
    if not (path / "articles").is_dir():
        raise UsageError(f"{path} is not an output folder of `vnextract extract` (no articles table in it)")
    return path


def _new_file(path: Path, force: bool) -> Path:
    """PATH, refused when a file is there already and --force was not given: nothing is overwritten unasked;
    refused when it is a link, even to nowhere: nothing is written through one, outside the folder named."""
    if path.is_symlink():
        raise UsageError(f"{path} is a link: vnextract never writes through one; give --out another file name")
    if path.is_dir():
        raise UsageError(f"{path} is a folder: give --out a file name")
    if path.exists() and not force:
        raise UsageError(f"{path} exists: choose another --out, or give --force to replace it")
    return path


def labelstudio_export(args: argparse.Namespace) -> int:
    import json

    from pipeline.labelstudio import LABELING_CONFIG, export_tasks, labeling_config, write_new

    config = args.out.with_name(LABELING_CONFIG)
    if args.out.name.casefold() == LABELING_CONFIG:  # the tasks would be written, then the config over them
        raise UsageError(
            f"{args.out} is the name of the labeling interface, written beside the tasks: give the tasks another name"
        )
    interface = labeling_config()
    # The same interface, written by an earlier export into the same folder, is kept and not written again.
    unchanged = config.is_file() and not config.is_symlink() and config.read_bytes() == interface.encode()
    _new_file(args.out, args.force)
    if not unchanged:
        _new_file(config, args.force)
    tasks = export_tasks(_tables_folder(_existing(args.processed, "the tables folder")))
    try:
        write_new(args.out, json.dumps(tasks, ensure_ascii=False, indent=1), replace=args.force)
        if not unchanged:
            write_new(config, interface, replace=args.force)
    except FileExistsError as error:  # made there since it was checked: kept
        raise UsageError(f"{error.filename} exists: choose another --out, or give --force to replace it") from None
    print(f"{len(tasks)} tasks: {args.out} (labeling interface: {config})")
    return 0


def labelstudio_import(args: argparse.Namespace) -> int:
    import json

    from pipeline.labelstudio import import_export, write_jsonl

    _new_file(args.out, args.force)
    try:
        export = json.loads(_existing(args.export, "the export").read_text(encoding="utf-8"))
        lines = import_export(export)
    except (ValueError, UnicodeDecodeError, AttributeError, TypeError, KeyError) as error:
        if getattr(error, "message", None):  # ImportProblem: the regions to fix, for the caller to print
            raise
        raise UsageError(
            f"{args.export} is not a Label Studio JSON export ({type(error).__name__}: {error})"
        ) from error
    if not lines:
        raise UsageError(f"{args.export} holds no annotated task: nothing written")
    try:
        write_jsonl(args.out, lines, replace=args.force)
    except FileExistsError as error:  # made there since it was checked: kept
        raise UsageError(f"{error.filename} exists: choose another --out, or give --force to replace it") from None
    print(f"{len(lines)} gold articles: {args.out}")
    return 0


def notebooks(args: argparse.Namespace) -> int:
    from pipeline.notebooks import run_notebooks

    for path in run_notebooks(_tables_folder(_existing(args.tables, "the tables folder")), args.out):
        print(f"wrote {path}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vnextract", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"vnextract {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, function: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help, formatter_class=_Help)
        sub.set_defaults(function=function)
        return sub

    from pipeline.page import Engine, Settings

    defaults = Settings()
    sub = command("extract", extract, "Extract every page under RAW into the tables under OUT.")
    sub.add_argument("raw", metavar="RAW", type=Path, help="a folder (searched recursively) or one file of pages")
    sub.add_argument(
        "--out", "-o", metavar="OUT", type=Path, default=Path("data/processed"), help="folder for the tables"
    )
    sub.add_argument("--workers", metavar="N", type=int, help="worker processes (default: every core)")
    sub.add_argument(
        "--batch-size", metavar="N", type=int, default=defaults.batch_size, help="documents sent to a worker at once"
    )
    sub.add_argument("--engine", choices=get_args(Engine), default=defaults.engine, help="where batches run")
    sub.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler; without it, a LocalCluster of --workers")
    sub.add_argument("--force", action="store_true", help="redo every input, even those unchanged since the last run")
    sub.add_argument(
        "--max-bytes",
        metavar="N",
        type=int,
        default=defaults.max_bytes,
        help="a larger file or page is a TooLarge errors row",
    )
    sub.add_argument(
        "--seconds-per-document",
        metavar="S",
        type=float,
        default=defaults.seconds_per_document,
        help="a document taking longer is a Timeout errors row",
    )
    sub.add_argument("--strict", action="store_true", help="exit with status 1 when the output holds any errors row")
    sub.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    sub.add_argument(
        "--raise",
        dest="raise_errors",
        action="store_true",
        help="stop at an internal error with its traceback (debugging)",
    )

    sub = command("eval", evaluate, "Score the pipeline against the gold annotations: P/R/F1 per table.")
    sub.add_argument("--gold", metavar="DIR", type=Path, default=Path("data/gold"), help="folder of gold JSONL files")
    sub.add_argument(
        "--reports", metavar="DIR", type=Path, default=Path("reports"), help="folder for eval.json and eval.md"
    )

    sub = command("audit", audit, "Write one HTML page per gold article, predicted and gold spans side by side.")
    sub.add_argument("--gold", metavar="DIR", type=Path, default=Path("data/gold"), help="folder of gold JSONL files")
    sub.add_argument("--out", metavar="DIR", type=Path, default=Path("reports/audit"), help="folder for the pages")

    sub = command("ls-export", labelstudio_export, "Export extracted spans as Label Studio tasks with pre-annotations.")
    sub.add_argument("processed", metavar="TABLES", type=Path, help="an output folder of `vnextract extract`")
    sub.add_argument(
        "--out", metavar="FILE", type=Path, default=Path("reports/labelstudio/tasks.json"), help="the tasks file"
    )
    sub.add_argument("--force", action="store_true", help="replace the tasks file and labeling_config.xml if there")

    sub = command("ls-import", labelstudio_import, "Turn a Label Studio export of corrected tasks into gold lines.")
    sub.add_argument("export", metavar="EXPORT", type=Path, help="a Label Studio JSON export")
    sub.add_argument(
        "--out", metavar="FILE", type=Path, default=Path("data/gold/labelstudio.jsonl"), help="the gold file to write"
    )
    sub.add_argument("--force", action="store_true", help="replace the gold file if there")

    sub = command(
        "notebooks", notebooks, "Run the analyst notebooks over TABLES and write each as HTML with its plots."
    )
    sub.add_argument(
        "--tables",
        metavar="DIR",
        type=Path,
        default=Path("data/processed"),
        help="an output folder of `vnextract extract`",
    )
    sub.add_argument("--out", metavar="DIR", type=Path, default=Path("reports"), help="folder for the HTML reports")
    return parser


class _Help(argparse.HelpFormatter):
    """Each option's default once, at the end of its help, where it has one."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default not in (None, False, True, argparse.SUPPRESS) and action.option_strings:
            text += " (default: %(default)s)"
        return text


def _quiet_libraries() -> None:
    """Library chatter (trafilatura's "discarding data: None") stays off the terminal; our own warnings
    and internal errors go to stderr."""
    logging.basicConfig(level=logging.WARNING, format="vnextract: %(levelname)s: %(message)s")
    for name in ("trafilatura", "htmldate", "courlan", "distributed", "urllib3"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def app(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    _quiet_libraries()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from pipeline.evaluate import GoldError
    from pipeline.labelstudio import ImportProblem

    try:
        code = args.function(args)
    except (GoldError, ImportProblem) as error:  # the message names the file, line and what to fix
        print(f"vnextract {args.command}: {error.message}", file=sys.stderr)
        code = 2
    except UsageError as error:
        print(f"vnextract {args.command}: {error}", file=sys.stderr)
        code = 2
    except OSError as error:  # the disk is full, a folder is read-only, a scheduler is unreachable
        where = f" ({error.filename})" if error.filename else ""
        kept = "; what was committed is kept" if args.command == "extract" else ""
        print(f"vnextract {args.command}: {error.strerror or error}{where}{kept}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        print("vnextract: interrupted; committed batches are kept, the next run goes on from them", file=sys.stderr)
        code = 130
    sys.exit(code)
