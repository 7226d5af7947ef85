"""The runner: compose the stages over every input file and write the tables.

Each input file ends up in exactly one place: a row of articles, or a row of errors that names the stage
and the reason (a duplicate of an earlier article is an errors row too, so nothing is dropped silently).
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from pipeline import __version__, extract, ingest, resolve, segment, tag
from pipeline.layout import Layout, split_page
from pipeline.models import Article, Error, Record
from pipeline.normalise import normalise
from pipeline.store import Batch, Entry, Store, fingerprint, new_batch_id
from pipeline.validate import validate


@dataclass(frozen=True)
class Settings:
    """How a run behaves; every limit is a setting with a default that suits a laptop."""

    max_bytes: int = ingest.DEFAULT_MAX_BYTES
    seconds_per_document: float = 30.0
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    batch_size: int = 128
    force: bool = False
    engine: str = "local"
    scheduler: str | None = None


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
    unchanged: int = 0
    seconds: float = 0.0

    def line(self, out: Path) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (
            f"{self.articles} articles, {self.errors} errors ({self.duplicates} duplicates), "
            f"{self.unchanged} unchanged inputs kept in {self.seconds:.1f} s, {rate:.1f} articles/s -> {out}"
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


def process_page(page: ingest.RawPage, settings: Settings = Settings()) -> FileResult:
    """Run every stage after ingest on one page; any failure becomes an errors row naming its stage."""
    source_path = page.source_path
    stage = "normalise"
    try:
        normalised = normalise(page.text)
        stage = "layout"
        layout = split_page(normalised)
        if not layout.text:
            raise ingest.IngestError("NoArticleText", "nothing but page furniture is left of the page")
        # What the page's container said (an HTML head, a scraper's fields) fills what the text does not.
        layout = replace(
            layout,
            title=layout.title or (normalise(page.title) if page.title else None),
            published_date=layout.published_date or page.published_date,
            site=page.site or layout.site,
            author=layout.author or page.author,
        )
        article_id = article_id_of(layout.text)
        stage = "analyse"
        with deadline(settings.seconds_per_document):
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
    except DocumentTimeout as error:
        return FileResult.failed(source_path, stage, "Timeout", str(error))
    except Exception as error:  # one bad page must never stop the batch
        return FileResult.failed(source_path, stage, type(error).__name__, str(error) or repr(error))
    result = FileResult()
    result.add("articles", [article])
    for table, table_records in records.items():
        result.add(table, table_records)
    result.add("errors", errors)
    return result


def process_file(path: Path, source_path: str, settings: Settings = Settings()) -> list[FileResult]:
    """Every page of one input file, processed; a file or page that cannot be read is an errors row."""
    results = []
    try:
        for page in ingest.pages(path, source_path, settings.max_bytes):
            if isinstance(page, ingest.IngestError):
                results.append(FileResult.failed(page.source_path or source_path, "ingest", page.error_type, str(page)))
            else:
                results.append(process_page(page, settings))
    except ingest.IngestError as error:
        results.append(FileResult.failed(error.source_path or source_path, "ingest", error.error_type, str(error)))
    except Exception as error:  # a reader that breaks on a file must never stop the batch
        results.append(FileResult.failed(source_path, "ingest", type(error).__name__, str(error) or repr(error)))
    return results


class DocumentTimeout(Exception):
    """A document took longer than --seconds-per-document."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout after SECONDS of the block, where a timer can: in a process's main thread."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout(f"analysis took over {seconds:g} s (--seconds-per-document)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


Item = tuple[str, str]  # (path on disk, source_path as reported)


def process_batch(items: list[Item], settings: Settings) -> list[list[FileResult]]:
    """The unit of work sent to a worker: a batch of files, read and processed there."""
    return [process_file(Path(path), source_path, settings) for path, source_path in items]


def _inputs(raw: Path) -> Iterator[tuple[Path, str]]:
    for path in ingest.discover(raw):
        yield path, str(path.relative_to(raw)) if raw.is_dir() else path.name


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Plan:
    """Which committed batches stay, which go, and which inputs are to be done."""

    keep: list[Batch]
    drop: list[Batch]
    todo: list[tuple[Path, str, str]]  # (path, source_path, sha256)
    rules: str  # the fingerprint of the rules the new batches are made by


def plan(raw: Path, store: Store, settings: Settings) -> Plan:
    """Keep a committed batch only if all its inputs are still there, unchanged, made by these rules.

    A batch with a changed or removed input is dropped whole and its other inputs are done again: the
    output always holds exactly the current inputs, each once.
    """
    current = {source_path: (path, _sha256(path)) for path, source_path in _inputs(raw)}
    rules = fingerprint()
    keep, drop, done = [], [], set()
    for batch in store.batches():
        unchanged = all(
            entry.source_path in current and current[entry.source_path][1] == entry.sha256 for entry in batch.entries
        )
        if unchanged and not settings.force and batch.fingerprint == rules:
            keep.append(batch)
            done.update(entry.source_path for entry in batch.entries)
        else:
            drop.append(batch)
    todo = [(path, source_path, sha) for source_path, (path, sha) in current.items() if source_path not in done]
    return Plan(keep, drop, todo, rules)


def run(raw: Path, out: Path, settings: Settings = Settings(), progress: bool = True) -> Summary:
    """Extract every input under RAW into the table folders under OUT, batch by batch.

    Inputs unchanged since the last run into OUT are kept as they are; new and changed ones are done and
    committed one batch at a time, so a killed run loses at most the batches in flight.
    """
    from pipeline.engines import map_batches

    started = time.perf_counter()
    store = Store(out)
    store.prepare()
    work = plan(raw, store, settings)
    for batch in work.drop:
        store.drop(batch.batch_id)
    seen = {
        article_id: entry.source_path
        for batch in work.keep
        for entry in batch.entries
        for article_id in entry.article_ids
    }
    summary = Summary(unchanged=sum(len(batch.entries) for batch in work.keep))
    batches = [work.todo[i : i + settings.batch_size] for i in range(0, len(work.todo), settings.batch_size)]
    with tqdm(total=len(work.todo), desc="extract", unit="file", disable=not progress) as bar:
        items = [[(str(path), source_path) for path, source_path, _ in batch] for batch in batches]
        for sequence, (batch, results) in enumerate(zip(batches, map_batches(items, settings), strict=True)):
            records: dict[str, list[Record]] = {}
            entries = []
            for (_, source_path, sha), file_results in zip(batch, results, strict=True):
                article_ids = []
                for result in file_results:
                    article = result.article
                    if article is not None and article.article_id in seen:
                        message = f"same normalised text as {seen[article.article_id]} (article {article.article_id})"
                        result = FileResult.failed(article.source_path, "dedupe", "DuplicateArticle", message)
                        summary.duplicates += 1
                    elif article is not None:
                        seen[article.article_id] = article.source_path
                        article_ids.append(article.article_id)
                        summary.articles += 1
                    summary.errors += len(result.records.get("errors", []))
                    for table, table_records in result.records.items():
                        records.setdefault(table, []).extend(table_records)
                entries.append(Entry(source_path, sha, article_ids))
            store.commit(Batch(new_batch_id(sequence), work.rules, entries), records)
            bar.update(len(batch))
    summary.seconds = time.perf_counter() - started
    return summary
