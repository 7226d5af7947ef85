"""One page through every stage after ingest, and the batches workers run: no knowledge of runs or stores.

Each page ends as an article with its records, or as errors rows naming the stage and the reason; any
failure is caught here, so one page never stops a batch.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pipeline import __version__, extract, identity, ingest, readers, resolve, segment, tag
from pipeline.deadline import DocumentTimeout, deadline
from pipeline.layout import Layout, split_page
from pipeline.models import Article, Error, Record
from pipeline.normalise import normalise
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

    def __post_init__(self) -> None:
        # Beyond these the system's timer and the readers' buffers overflow on every input.
        if not 0 < self.seconds_per_document <= MAX_SECONDS_PER_DOCUMENT:  # also refuses nan
            raise ValueError(f"--seconds-per-document must be over 0 and at most {MAX_SECONDS_PER_DOCUMENT:,}")
        if not 1 <= self.max_bytes <= MAX_BYTES:
            raise ValueError(f"--max-bytes must be 1 or more and at most {MAX_BYTES:,} (1 TiB)")


MAX_SECONDS_PER_DOCUMENT = 86_400  # a day
MAX_BYTES = 1 << 40


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
    row = ingest.internal_error(error, source_path)
    return FileResult.failed(source_path, stage, row.error_type, str(row))


def article_id_of(text: str) -> str:
    """A stable id: the same normalised text always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_FROM_TEXT = object()  # analyse()'s province when its caller has none: read from the site, title and text


def analyse(
    article_id: str, layout: Layout, province: str | object | None = _FROM_TEXT
) -> dict[str, list[dict[str, Any]]]:
    """The facts of one article, per table, as rows still to be validated; PROVINCE, the article's, as
    process_page reads it (the page's URL too), places the bodies the text leaves without one."""
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
    if province is _FROM_TEXT:
        province = identity.article_province(layout.site, None, layout.title, text)
    return identity.annotate(article_id, facts, text, province, layout.published_date)  # type: ignore[arg-type]


def process_page(page: ingest.RawPage, settings: Settings = Settings()) -> FileResult:
    """Run every stage after ingest on one page; any failure becomes an errors row naming its stage."""
    source_path = page.source_path
    stage = "normalise"
    try:
        # The time limit covers the page's every stage up to its facts (normalise and layout are linear,
        # but a megabyte page still takes a while).
        with deadline(settings.seconds_per_document):
            page = ingest.encodable(page)  # a page made by a caller, not a reader, may hold a lone surrogate
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
            province = identity.article_province(layout.site, page.url, layout.title, layout.text)
            stage = "analyse"
            facts = analyse(article_id, layout, province)
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
            repairs=list(page.repairs),
            pipeline_version=__version__,
            province=province,
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
    """An input as sent to a worker: the path on disk, its reported name, a known problem, and the resolved
    input folder it must be inside when opened."""

    path: str
    source_path: str
    problem: tuple[str, str] | None = None
    root: str | None = None


def process_file(item: Item, settings: Settings = Settings()) -> list[FileResult]:
    """Every page of one input file, processed; a file or page that cannot be read is an errors row."""
    if item.problem:
        return [FileResult.failed(item.source_path, "ingest", *item.problem)]
    results = []
    try:
        root = Path(item.root) if item.root else None
        pages = readers.pages(Path(item.path), item.source_path, settings.max_bytes, root)
        while True:
            # Reading a page (an HTML page through trafilatura: tens of seconds for some) has its own time
            # limit; a container's reader turns it into that page's Timeout row and reads the next one.
            with deadline(settings.seconds_per_document, "reading the page"):
                page = next(pages, None)
            if page is None:
                break
            if isinstance(page, ingest.IngestError):
                if settings.raise_errors and page.error_type == "InternalError" and page.__cause__:
                    raise page.__cause__
                name = page.source_path or item.source_path
                results.append(FileResult.failed(name, "ingest", page.error_type, str(page)))
            else:
                results.append(process_page(page, settings))
    except ingest.IngestError as error:
        results.append(FileResult.failed(error.source_path or item.source_path, "ingest", error.error_type, str(error)))
    except DocumentTimeout as error:  # outside a container's records: the file's later pages are not read
        results.append(FileResult.failed(item.source_path, "ingest", "Timeout", str(error)))
    except OSError as error:
        results.append(FileResult.failed(item.source_path, "ingest", "Unreadable", f"cannot read: {error.strerror}"))
    except Exception as error:  # a reader that breaks on a file must never stop the batch
        results.append(internal_error(error, item.source_path, "ingest", settings))
    return results


def process_batch(items: list[Item], settings: Settings) -> list[list[FileResult]]:
    """The unit of work sent to a worker: a batch of files, read and processed there."""
    return [process_file(Item(*item), settings) for item in items]
