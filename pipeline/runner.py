"""The runner: compose the stages over every input file and write the tables.

Each input file ends up in exactly one place: a row of articles, or a row of errors that names the stage
and the reason (a duplicate of an earlier article is an errors row too, so nothing is dropped silently).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, NamedTuple

from tqdm import tqdm

from pipeline import __version__, across, extract, identity, ingest, patterns, resolve, segment, tag
from pipeline.deadline import DocumentTimeout, deadline
from pipeline.inputs import Input, discover, escape_unencodable
from pipeline.layout import Layout, split_page
from pipeline.models import Article, Error, Record
from pipeline.normalise import normalise
from pipeline.store import Batch, Entry, OutputError, Store, new_batch_id
from pipeline.validate import validate

log = logging.getLogger("vnextract")


Engine = Literal["local", "dask"]


@dataclass(frozen=True)
class Settings:
    """How a run behaves; every limit is a setting with a default that suits a laptop. The command line
    takes its defaults from here."""

    max_bytes: int = ingest.DEFAULT_MAX_BYTES
    seconds_per_document: float = 30.0
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    batch_size: int = 128
    force: bool = False
    engine: Engine = "local"
    scheduler: str | None = None
    # Re-raise unexpected exceptions instead of making InternalError rows (--raise; the tests set it).
    raise_errors: bool = field(default_factory=lambda: os.environ.get("VNEXTRACT_RAISE") == "1")


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


def internal_error(error: Exception, source_path: str, stage: str, settings: Settings) -> FileResult:
    """An unexpected exception: logged with its traceback, and an InternalError row that says where it
    happened (the innermost frames), so a bug never passes for bad input. --raise re-raises it instead."""
    if settings.raise_errors:
        raise error
    log.error("%s: %s failed", source_path, stage, exc_info=error)
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    where = " <- ".join(f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}" for frame in reversed(frames))
    message = f"{type(error).__name__}: {error} (at {where}); a bug in vnextract, please report it with this row"
    return FileResult.failed(source_path, stage, "InternalError", message)


@dataclass
class Summary:
    """What the output holds after a run, and what this run did."""

    articles: int = 0  # made by this run
    unchanged: int = 0  # inputs kept from earlier runs
    articles_in_output: int = 0
    errors_in_output: dict[str, int] = field(default_factory=dict)
    inputs: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(self.errors_in_output.values())

    def line(self, out: Path) -> str:
        if not self.inputs:
            return f"no input files found (hidden files and README files are skipped); {out} holds no articles"
        rate = self.articles / self.seconds if self.seconds else 0.0
        errors = ", ".join(f"{count} {kind}" for kind, count in sorted(self.errors_in_output.items()))
        return (
            f"{self.articles_in_output} articles in {out}: {self.articles} new, "
            f"{self.articles_in_output - self.articles} unchanged; "
            + (f"{_count(self.errors, 'error')} ({errors}; see {out / 'errors'})" if self.errors else "0 errors")
            + f". This run: {self.inputs - self.unchanged} inputs done, {self.unchanged} kept unchanged, "
            f"in {self.seconds:.1f} s" + (f" ({rate:.1f} articles/s)" if self.articles else "")
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


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
    province = identity.article_province(layout.site, None, layout.title, text)
    return identity.annotate(article_id, facts, text, province, layout.published_date)


def _clean(page: ingest.RawPage) -> ingest.RawPage:
    """The page with every string writable: a lone surrogate from a JSON field becomes an escape."""
    fields = {name: escape_unencodable(value) for name, value in vars(page).items() if isinstance(value, str)}
    return replace(page, **fields)


def process_page(page: ingest.RawPage, settings: Settings = Settings()) -> FileResult:
    """Run every stage after ingest on one page; any failure becomes an errors row naming its stage."""
    source_path = page.source_path
    stage = "normalise"
    try:
        page = _clean(page)
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
            province=identity.article_province(layout.site, page.url, layout.title, layout.text),
        )
    except ingest.IngestError as error:
        return FileResult.failed(source_path, stage, error.error_type, str(error))
    except DocumentTimeout as error:
        return FileResult.failed(source_path, stage, "Timeout", str(error))
    except Exception as error:  # one bad page must never stop the batch
        return internal_error(error, source_path, stage, settings)
    result = FileResult()
    result.add("articles", [article])
    for table, table_records in records.items():
        result.add(table, table_records)
    result.add("errors", errors)
    return result


class Item(NamedTuple):
    """An input as sent to a worker: the path on disk, its reported name, and a known problem."""

    path: str
    source_path: str
    problem: tuple[str, str] | None = None


def process_file(item: Item, settings: Settings = Settings()) -> list[FileResult]:
    """Every page of one input file, processed; a file or page that cannot be read is an errors row."""
    if item.problem:
        return [FileResult.failed(item.source_path, "ingest", *item.problem)]
    results = []
    try:
        for page in ingest.pages(Path(item.path), item.source_path, settings.max_bytes):
            if isinstance(page, ingest.IngestError):
                name = page.source_path or item.source_path
                results.append(FileResult.failed(name, "ingest", page.error_type, str(page)))
            else:
                results.append(process_page(page, settings))
    except ingest.IngestError as error:
        results.append(FileResult.failed(error.source_path or item.source_path, "ingest", error.error_type, str(error)))
    except OSError as error:
        results.append(FileResult.failed(item.source_path, "ingest", "Unreadable", f"cannot read: {error.strerror}"))
    except Exception as error:  # a reader that breaks on a file must never stop the batch
        results.append(internal_error(error, item.source_path, "ingest", settings))
    return results


def process_batch(items: list[Item], settings: Settings) -> list[list[FileResult]]:
    """The unit of work sent to a worker: a batch of files, read and processed there."""
    return [process_file(Item(*item), settings) for item in items]


def fingerprint() -> str:
    """What made the rows: the package's code and its rules. A change to either redoes every input."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + path.read_bytes())
    for path in sorted(patterns.PATTERNS_DIR.glob("*.yaml")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Todo(NamedTuple):
    item: Item
    sha256: str | None  # None: not read (a problem found before reading), done again on every run


@dataclass
class Plan:
    """Which committed batches stay, which go, and which inputs are to be done."""

    keep: list[Batch]
    drop: list[Batch]
    todo: list[Todo]
    current: dict[str, Todo]  # every input now under RAW, by its reported name
    rules: str  # the fingerprint of the rules the new batches are made by


def _hashed(entry: Input) -> Todo:
    if entry.problem:
        return Todo(Item(str(entry.path), entry.source_path, entry.problem), None)
    try:
        return Todo(Item(str(entry.path), entry.source_path), _sha256(entry.path))
    except OSError as error:
        problem = ("Unreadable", f"cannot read the file: {error.strerror}")
        return Todo(Item(str(entry.path), entry.source_path, problem), None)


def plan(raw: Path, store: Store, settings: Settings) -> Plan:
    """Keep a committed batch only if all its inputs are still there, unchanged, made by these rules, and
    every article its duplicates repeat is still kept.

    A batch that fails is dropped whole and its other inputs are done again: the output always holds
    exactly the current inputs, each once, as a fresh run would.
    """
    current = {todo.item.source_path: todo for todo in map(_hashed, discover(raw))}
    rules = fingerprint()
    keep, drop = [], []
    for batch in store.batches():
        unchanged = all(
            entry.sha256 is not None
            and entry.source_path in current
            and current[entry.source_path].sha256 == entry.sha256
            for entry in batch.entries
        )
        (keep if unchanged and not settings.force and batch.fingerprint == rules else drop).append(batch)
    while True:  # a duplicate whose original is no longer kept is done again, and so on
        kept_articles = {aid for batch in keep for entry in batch.entries for aid in entry.article_ids}
        orphaned = [b for b in keep if any(set(entry.duplicates) - kept_articles for entry in b.entries)]
        if not orphaned:
            break
        keep = [batch for batch in keep if batch not in orphaned]
        drop += orphaned
    done = {entry.source_path for batch in keep for entry in batch.entries}
    todo = [todo for source_path, todo in sorted(current.items()) if source_path not in done]
    return Plan(keep, drop, todo, current, rules)


def check_paths(raw: Path, out: Path) -> None:
    """Refuse, before any work, an OUT that is RAW, inside it or around it: a run must never read its own
    output or write among its inputs."""
    raw_path, out_path = raw.resolve(), out.resolve()
    if raw_path == out_path or raw_path in out_path.parents or out_path in raw_path.parents:
        raise OutputError(f"the output folder {out} and the input {raw} overlap: choose an --out outside {raw}")


def run(raw: Path, out: Path, settings: Settings = Settings(), progress: bool = True) -> Summary:
    """Extract every input under RAW into the table folders under OUT, batch by batch.

    Inputs unchanged since the last run into OUT are kept as they are; new and changed ones are done and
    committed one batch at a time, so a killed run loses at most the batches in flight. Of inputs with the
    same normalised text, the first by name is the article and the others are DuplicateArticle rows,
    whatever order they arrived in over runs: the tables equal those of a fresh run.
    """
    started = time.perf_counter()
    check_paths(raw, out)
    patterns.check()
    store = Store(out, derived=tuple(across.TABLES))
    with store.lock():
        store.prepare()
        work = plan(raw, store, settings)
        for batch in work.drop:
            store.drop(batch.batch_id)
        kept = {batch.batch_id for batch in work.keep}
        state = _Run(store, work, settings, {batch.batch_id: batch for batch in work.keep})
        with tqdm(total=len(work.todo), desc="extract", unit="file", disable=not progress) as bar:
            pending = work.todo
            while pending:
                pending = state.do(pending, bar)
                bar.total += len(pending)
        for name, table in across.build(out).items():  # the tables across articles, after every batch
            store.write_derived(name, table)
    summary = Summary(inputs=len(work.current), seconds=time.perf_counter() - started)
    for batch in state.committed.values():
        for entry in batch.entries:
            summary.articles_in_output += len(entry.article_ids)
            if batch.batch_id in kept:
                summary.unchanged += 1
            else:
                summary.articles += len(entry.article_ids)
            for kind, count in entry.errors.items():
                summary.errors_in_output[kind] = summary.errors_in_output.get(kind, 0) + count
    return summary


@dataclass
class _Run:
    """The batches of one run as they are committed, and which input's article each article id is."""

    store: Store
    work: Plan
    settings: Settings
    committed: dict[str, Batch]
    owner: dict[str, tuple[str, str]] = field(default_factory=dict)  # article id -> (input, batch id)
    sequence: int = 0

    def __post_init__(self) -> None:
        for batch in self.committed.values():
            for entry in batch.entries:
                self.owner.update(dict.fromkeys(entry.article_ids, (entry.source_path, batch.batch_id)))

    def do(self, todo: list[Todo], bar: tqdm) -> list[Todo]:
        """Process TODO in batches, committing each; return the inputs to do again: those of committed
        batches whose article turned out to repeat an input earlier by name, or to be repeated by one."""
        from pipeline.engines import map_batches

        requeued: list[Todo] = []
        size = self.settings.batch_size
        readable = [t for t in todo if t.sha256 is not None]
        batches = [readable[i : i + size] for i in range(0, len(readable), size)]
        if unread := [t for t in todo if t.sha256 is None]:  # in a batch of their own: redone on every run
            batches.append(unread)
        items = [[t.item for t in batch] for batch in batches]
        for batch, results in zip(batches, map_batches(items, self.settings), strict=True):
            batch_id = new_batch_id(self.sequence)
            self.sequence += 1
            records: dict[str, list[Record]] = {}
            entries = []
            for todo_item, file_results in zip(batch, results, strict=True):
                source_path = todo_item.item.source_path
                article_ids, duplicates, errors = [], [], Counter[str]()
                for result in file_results:
                    article = result.article
                    if article is not None:
                        original = self.owner.get(article.article_id)
                        if original and original[0] <= source_path:
                            message = f"same normalised text as {original[0]} (article {article.article_id})"
                            result = FileResult.failed(article.source_path, "dedupe", "DuplicateArticle", message)
                            duplicates.append(article.article_id)
                        else:
                            if original:
                                requeued += self._displace(original[1])
                            self.owner[article.article_id] = (source_path, batch_id)
                            article_ids.append(article.article_id)
                    errors.update(error.error_type for error in result.records.get("errors", []))
                    for table, table_records in result.records.items():
                        records.setdefault(table, []).extend(table_records)
                entries.append(Entry(source_path, todo_item.sha256, article_ids, duplicates, dict(errors)))
            self.committed[batch_id] = Batch(batch_id, self.work.rules, entries)
            self.store.commit(self.committed[batch_id], records)
            bar.update(len(batch))
        return sorted(requeued, key=lambda todo: todo.item.source_path)

    def _displace(self, batch_id: str) -> list[Todo]:
        """Drop a committed batch, and every batch whose duplicates name its articles; their inputs again."""
        batch = self.committed.pop(batch_id, None)
        if batch is None:
            return []
        self.store.drop(batch_id)
        again = [self.work.current[entry.source_path] for entry in batch.entries]
        for aid in (aid for entry in batch.entries for aid in entry.article_ids):
            self.owner.pop(aid, None)
            for dependent in [b for b in self.committed.values() if any(aid in e.duplicates for e in b.entries)]:
                again += self._displace(dependent.batch_id)
        return again
