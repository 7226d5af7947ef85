"""The runner: compose the stages over every input file and write the tables.

Each input file ends up in exactly one place: a row of articles, or a row of errors that names the stage
and the reason (a duplicate of an earlier article is an errors row too, so nothing is dropped silently).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from pipeline import __version__, extract, ingest, resolve, segment, tag
from pipeline.emit import write_tables
from pipeline.layout import Layout, split_page
from pipeline.models import Article, Error, Record
from pipeline.normalise import normalise
from pipeline.validate import validate


@dataclass(frozen=True)
class Settings:
    max_bytes: int = ingest.DEFAULT_MAX_BYTES


@dataclass
class FileResult:
    """What one input file produced: an article with its records, or errors only."""

    records: dict[str, list[Record]] = field(default_factory=dict)

    @property
    def article(self) -> Article | None:
        articles = self.records.get("articles", [])
        return articles[0] if articles else None  # type: ignore[return-value]

    def add(self, table: str, records: list[Record]) -> None:
        self.records.setdefault(table, []).extend(records)

    @classmethod
    def failed(cls, source_path: str, stage: str, error_type: str, message: str) -> FileResult:
        error = Error(source_path=source_path, stage=stage, error_type=error_type, message=message)
        return cls(records={"errors": [error]})


@dataclass
class Summary:
    articles: int = 0
    errors: int = 0
    duplicates: int = 0
    seconds: float = 0.0

    def line(self, out: Path) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (
            f"{self.articles} articles, {self.errors} errors ({self.duplicates} duplicates) "
            f"in {self.seconds:.1f} s, {rate:.1f} articles/s -> {out}"
        )


def article_id_of(text: str) -> str:
    """A stable id: the same normalised text always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def analyse(article_id: str, layout: Layout) -> dict[str, list[dict[str, Any]]]:
    """The facts of one article, per table, as rows still to be validated."""
    text = layout.text
    sentences = [(span.start, span.end) for span in segment.sentences(text)]
    tagged = tag.tag(text, layout.author)
    facts = tag.rows(article_id, text, tagged)
    documents = extract.find_documents(text)
    dates = extract.find_dates(text, [(m.start, m.end) for m in documents])
    ratios = extract.find_ratios(text, [(m.start, m.end) for m in documents + dates])
    facts["dates"] = resolve.date_rows(article_id, text, dates, layout.published_date)
    facts["documents"] = resolve.document_rows(article_id, text, documents, facts["dates"])
    facts["ratios"] = resolve.ratio_rows(article_id, text, ratios)
    facts["events"] = resolve.event_rows(article_id, text, layout.title, sentences, tagged, facts["dates"])
    return facts


def process_file(path: Path, source_path: str, settings: Settings = Settings()) -> FileResult:
    """Run every stage on one input file; any failure becomes an errors row naming its stage."""
    result = FileResult()
    stage = "ingest"
    try:
        page = ingest.read(path, source_path, settings.max_bytes)
        stage = "normalise"
        normalised = normalise(page.text)
        stage = "layout"
        layout = split_page(normalised)
        if not layout.text:
            raise ingest.IngestError("NoArticleText", "nothing but page furniture is left of the page")
        article_id = article_id_of(layout.text)
        stage = "analyse"
        facts = analyse(article_id, layout)
        stage = "validate"
        records, errors = validate(facts, layout.text, source_path)
        article = Article(
            article_id=article_id,
            source_path=source_path,
            site=layout.site,
            url=page.url,
            title=layout.title,
            author=layout.author,
            published_date=layout.published_date,
            text=layout.text,
            n_chars=len(layout.text),
            pipeline_version=__version__,
        )
    except ingest.IngestError as error:
        return FileResult.failed(source_path, stage, error.error_type, str(error))
    except Exception as error:  # one bad file must never stop the batch
        return FileResult.failed(source_path, stage, type(error).__name__, str(error) or repr(error))
    result.add("articles", [article])
    for table, table_records in records.items():
        result.add(table, table_records)
    result.add("errors", errors)
    return result


def _inputs(raw: Path) -> Iterator[tuple[Path, str]]:
    for path in ingest.discover(raw):
        yield path, str(path.relative_to(raw)) if raw.is_dir() else path.name


def run(raw: Path, out: Path, settings: Settings = Settings(), progress: bool = True) -> Summary:
    """Extract every input under RAW and write the nine tables under OUT."""
    started = time.perf_counter()
    summary = Summary()
    tables: dict[str, list[Record]] = {}
    seen: dict[str, str] = {}
    inputs = list(_inputs(raw))
    for path, source_path in tqdm(inputs, desc="extract", unit="file", disable=not progress):
        result = process_file(path, source_path, settings)
        article = result.article
        if article is not None and article.article_id in seen:
            summary.duplicates += 1
            message = f"same normalised text as {seen[article.article_id]} (article {article.article_id})"
            result = FileResult.failed(source_path, "dedupe", "DuplicateArticle", message)
        elif article is not None:
            seen[article.article_id] = source_path
            summary.articles += 1
        for table, records in result.records.items():
            tables.setdefault(table, []).extend(records)
    summary.errors = len(tables.get("errors", []))
    write_tables(out, tables)
    summary.seconds = time.perf_counter() - started
    return summary
