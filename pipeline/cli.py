"""The `vnextract` command line."""

from __future__ import annotations

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
    max_bytes: Annotated[int, typer.Option(help="larger input files become errors rows")] = ingest.DEFAULT_MAX_BYTES,
    strict: Annotated[bool, typer.Option(help="exit with status 1 when any input became an errors row")] = False,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
) -> None:
    """Extract every page under RAW into the nine Parquet tables under OUT."""
    summary = run(raw, out, Settings(max_bytes=max_bytes), progress=progress)
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
