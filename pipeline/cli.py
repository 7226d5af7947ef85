"""The `vnextract` command line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from pipeline import ingest
from pipeline.runner import Settings, run

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


@app.callback()
def main() -> None:
    """vnextract: structured, validated records from Vietnamese party and council news."""


@app.command()
def extract(
    raw: Annotated[Path, typer.Argument(exists=True, help="folder (searched recursively) or file of scraped pages")],
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for the Parquet tables")] = Path("data/processed"),
    workers: Annotated[int, typer.Option(help="worker processes (default: every core)")] = os.cpu_count() or 1,
    batch_size: Annotated[int, typer.Option(help="documents sent to a worker at once")] = 128,
    engine: Annotated[str, typer.Option(help="local, or dask to run on a Dask cluster")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="a Dask scheduler address; none starts a LocalCluster")] = None,
    force: Annotated[bool, typer.Option(help="redo every input, even those unchanged since the last run")] = False,
    max_bytes: Annotated[int, typer.Option(help="larger input files become errors rows")] = ingest.DEFAULT_MAX_BYTES,
    seconds_per_document: Annotated[float, typer.Option(help="a document taking longer becomes an errors row")] = 30.0,
    strict: Annotated[bool, typer.Option(help="exit with status 1 when any input became an errors row")] = False,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
) -> None:
    """Extract every page under RAW into the nine tables under OUT (one folder of Parquet parts each)."""
    if engine not in {"local", "dask"}:
        raise typer.BadParameter("engine must be local or dask", param_hint="--engine")
    settings = Settings(
        max_bytes=max_bytes,
        seconds_per_document=seconds_per_document,
        workers=max(1, workers),
        batch_size=max(1, batch_size),
        force=force,
        engine=engine,
        scheduler=scheduler,
    )
    summary = run(raw, out, settings, progress=progress)
    typer.echo(summary.line(out))
    if strict and summary.errors:
        raise typer.Exit(1)


@app.command("eval")
def evaluate_command(
    gold: Annotated[Path, typer.Option(help="folder of gold JSONL files")] = Path("data/gold"),
    reports: Annotated[Path, typer.Option(help="folder for eval.json and eval.md")] = Path("reports"),
) -> None:
    """Score the pipeline against the gold annotations: precision, recall and F1 per table."""
    from pipeline.evaluate import run_eval, table_lines

    report = run_eval(gold, reports)
    for line in table_lines(report):
        typer.echo(line)
    typer.echo(f"{len(report.misses)} misses, {len(report.false_hits)} false hits: {reports / 'eval.md'}")


@app.command()
def audit(
    gold: Annotated[Path, typer.Option(help="folder of gold JSONL files")] = Path("data/gold"),
    out: Annotated[Path, typer.Option(help="folder for the HTML pages")] = Path("reports/audit"),
) -> None:
    """Write one HTML page per gold article with predicted and gold spans side by side."""
    from pipeline.audit import write_audit

    pages = write_audit(gold, out)
    typer.echo(f"{len(pages)} audit pages: {out / 'index.html'}")


@app.command("ls-export")
def labelstudio_export(
    processed: Annotated[Path, typer.Argument(help="an output folder of `vnextract extract`")],
    out: Annotated[Path, typer.Option(help="the tasks file to import into Label Studio")] = Path(
        "reports/labelstudio/tasks.json"
    ),
) -> None:
    """Export the extracted spans as Label Studio tasks with pre-annotations (and its labeling config)."""
    import json

    from pipeline.labelstudio import export_tasks, labeling_config

    tasks = export_tasks(processed)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    out.with_name("labeling_config.xml").write_text(labeling_config(), encoding="utf-8")
    typer.echo(f"{len(tasks)} tasks: {out} (labeling interface: {out.with_name('labeling_config.xml')})")


@app.command("ls-import")
def labelstudio_import(
    export: Annotated[Path, typer.Argument(help="a Label Studio JSON export")],
    out: Annotated[Path, typer.Option(help="the gold JSONL file to write")] = Path("data/gold/labelstudio.jsonl"),
) -> None:
    """Turn a Label Studio export of corrected tasks into gold lines."""
    import json

    from pipeline.labelstudio import import_export, write_jsonl

    lines = import_export(json.loads(export.read_text(encoding="utf-8")))
    write_jsonl(out, lines)
    typer.echo(f"{len(lines)} gold articles: {out}")


@app.command()
def notebooks(
    tables: Annotated[Path, typer.Option(help="an output folder of `vnextract extract`")] = Path("data/processed"),
    out: Annotated[Path, typer.Option(help="folder for the HTML reports")] = Path("reports"),
) -> None:
    """Run the notebooks in notebooks/ over TABLES and write each as OUT/<name>.html with its plots."""
    from pipeline.notebooks import run_notebooks

    for path in run_notebooks(tables, out):
        typer.echo(f"wrote {path}")
