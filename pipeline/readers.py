"""One reader per input format, behind one interface: adding a format touches this file only.

A reader turns one file into pages: `read(path, source_path, max_bytes)` yields a RawPage, or an
IngestError for a page that cannot be read (the other pages go on). Pages of a container (a JSONL export,
a WARC archive) are named "<file>#<n>".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.ingest import IngestError, RawPage, decode

Pages = Iterator[RawPage | IngestError]


@dataclass(frozen=True)
class Reader:
    suffixes: tuple[str, ...]
    read: Callable[[Path, str, int], Pages]
    container: bool = False  # holds many pages: its size limit applies to each page, not the file


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def read_text(path: Path, source_path: str, max_bytes: int) -> Pages:
    text, encoding = decode(path.read_bytes())
    yield RawPage(source_path=source_path, text=text, encoding=encoding)


def html_page(data: bytes, source_path: str, url: str | None = None, encoding: str | None = None) -> RawPage:
    """The article of an HTML page: its main text by trafilatura, and the metadata its head holds.

    trafilatura was chosen over tag stripping plus our furniture rules after comparing both on portal
    pages of this genre: it drops menus, breadcrumbs, related-news lists, counters, footers and scripts,
    where tag stripping left menu and footer lines that no line rule can tell from text (see the README).
    """
    import trafilatura

    text, found_encoding = (data.decode(encoding), encoding) if encoding else decode(data)
    # Dates only from the page's metadata: a date guessed from the body is a document's, not the page's.
    result = trafilatura.bare_extraction(
        text,
        url=url,
        with_metadata=True,
        favor_recall=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    document = result.as_dict() if hasattr(result, "as_dict") else (result or {})
    body = (document.get("text") or "").strip()
    if not body:
        raise IngestError("NoArticleText", "no main text found in the HTML page")
    title = (document.get("title") or "").strip() or None
    page_text = body if not title or body.startswith(title) else f"{title}\n\n{body}"
    return RawPage(
        source_path=source_path,
        text=page_text,
        encoding=found_encoding,
        url=document.get("url") or url,
        title=title,
        published_date=_date(document.get("date")),
        site=document.get("sitename"),
        author=document.get("author"),
    )


def read_html(path: Path, source_path: str, max_bytes: int) -> Pages:
    yield html_page(path.read_bytes(), source_path)


def _export_record(record: Any, source_path: str, max_bytes: int) -> RawPage:
    if not isinstance(record, dict):
        raise IngestError("BadRecord", "a line that is not a JSON object")
    url = record.get("url")
    if isinstance(record.get("html"), str):
        data = record["html"].encode("utf-8")
        if len(data) > max_bytes:
            raise IngestError("TooLarge", f"{len(data)} bytes of HTML, over the limit of {max_bytes}")
        page = html_page(data, source_path, url=url, encoding="utf-8")
    elif isinstance(record.get("text"), str):
        if not record["text"].strip():
            raise IngestError("EmptyInput", "an empty text field")
        page = RawPage(source_path=source_path, text=record["text"], encoding="utf-8", url=url)
    else:
        raise IngestError("BadRecord", "neither an 'html' nor a 'text' field")
    return RawPage(
        source_path=source_path,
        text=page.text,
        encoding=page.encoding,
        url=url or page.url,
        title=record.get("title") or page.title,
        published_date=_date(record.get("published")) or page.published_date,
        site=page.site,
        author=record.get("author") or page.author,
    )


def read_jsonl(path: Path, source_path: str, max_bytes: int) -> Pages:
    """A scraper's export: one JSON object per line with `url` and `html` or `text` (`title`, `published`)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            name = f"{source_path}#{number}"
            if not line.strip():
                continue
            try:
                yield _export_record(json.loads(line), name, max_bytes)
            except json.JSONDecodeError as error:
                yield IngestError("BadRecord", f"not JSON: {error.msg} at column {error.colno}", name)
            except IngestError as error:
                yield IngestError(error.error_type, str(error), name)


def read_warc(path: Path, source_path: str, max_bytes: int) -> Pages:
    """A crawl archive: every HTML response record is a page, with the URL it was fetched from."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as stream:
        number = 0
        for record in ArchiveIterator(stream):
            content_type = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
            if record.rec_type != "response" or "html" not in content_type:
                continue
            number += 1
            name = f"{source_path}#{number}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            data = record.content_stream().read(max_bytes + 1)
            try:
                if len(data) > max_bytes:
                    raise IngestError("TooLarge", f"a response over the limit of {max_bytes} bytes")
                yield html_page(data, name, url=url)
            except IngestError as error:
                yield IngestError(error.error_type, str(error), name)


READERS = (
    Reader((".txt",), read_text),
    Reader((".html", ".htm"), read_html),
    Reader((".jsonl",), read_jsonl, container=True),
    Reader((".warc", ".warc.gz"), read_warc, container=True),
)


def reader_for(path: Path) -> Reader | None:
    name = path.name.lower()
    return next((reader for reader in READERS if name.endswith(reader.suffixes)), None)
