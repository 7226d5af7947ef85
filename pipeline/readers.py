"""One reader per input format, behind one interface: adding a format touches this file only.

A reader turns one file into pages: `read(handle, path, source_path, max_bytes)` yields a RawPage, or an
IngestError for a page that cannot be read (the other pages go on), or raises an IngestError when the whole
file cannot be read. It reads the HANDLE `pages()` opened (by `ingest.open_input`, which refuses anything but
a regular file inside RAW at that moment), never PATH, which only names the file. Pages of a container (a scraper's JSONL, JSON or CSV export, a WARC archive) are named
"<file>#<n>", and each is isolated: a bad line, item, row or record is one error and the rest go on.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.deadline import DocumentTimeout
from pipeline.ingest import (
    DEFAULT_MAX_BYTES,
    IngestError,
    RawPage,
    count,
    decode_text,
    encodable,
    escape_unencodable,
    internal_error,
    open_input,
)

Pages = Iterator[RawPage | IngestError]

# A .json or .csv export is parsed whole, so it may be this many times --max-bytes; a bigger export is
# to be written as JSON Lines, which is read a line at a time.
WHOLE_FILE_PAGES = 10


@dataclass(frozen=True)
class Reader:
    suffixes: tuple[str, ...]
    read: Callable[[BinaryIO, Path, str, int], Pages]
    container: bool = False  # holds many pages: its size limit applies to each page, not the file


def read_text(handle: BinaryIO, path: Path, source_path: str, max_bytes: int) -> Pages:
    decoded = decode_text(handle.read())
    yield RawPage(source_path=source_path, text=decoded.text, encoding=decoded.encoding, repairs=decoded.repairs)


_WHOLE_PAGE = re.compile(r"<(?:html|body)[\s>]", re.IGNORECASE)


def html_page(
    html: str, encoding: str, source_path: str, url: str | None = None, repairs: tuple[str, ...] = ()
) -> RawPage:
    """The article of an HTML page: its main text by trafilatura, and the metadata its head holds.

    trafilatura was chosen over tag stripping plus our furniture rules after comparing both on portal
    pages of this genre: it drops menus, breadcrumbs, related-news lists, counters, footers and scripts,
    where tag stripping left menu and footer lines that no line rule can tell from text (see the README).
    """
    import trafilatura

    if not _WHOLE_PAGE.search(html):  # a CMS field's fragment ("<p>...</p>"): trafilatura reads only a body
        html = f"<html><body>{html}</body></html>"
    # Dates only from the page's metadata: a date guessed from the body is a document's, not the page's.
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        favor_recall=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    document = result.as_dict() if hasattr(result, "as_dict") else (result or {})
    body = (document.get("text") or "").strip()
    if not body:
        raise IngestError("NoArticleText", "no main text found in the HTML page (a menu, a redirect, a script?)")
    title = (document.get("title") or "").strip() or None
    page_text = body if not title or body.startswith(title) else f"{title}\n\n{body}"
    return RawPage(
        source_path=source_path,
        text=page_text,
        encoding=encoding,
        url=document.get("url") or url,
        title=title,
        published_date=_date(document.get("date")),
        site=document.get("sitename"),
        author=document.get("author"),
        repairs=repairs,
    )


def read_html(handle: BinaryIO, path: Path, source_path: str, max_bytes: int) -> Pages:
    decoded = decode_text(handle.read())
    yield html_page(decoded.text, decoded.encoding, source_path, repairs=decoded.repairs)


# Scraper exports: JSONL, JSON and CSV records with the same fields.

STRING_FIELDS = ("url", "title", "author", "published", "html", "text")


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _kind(value: object) -> str:
    """What a JSON value is, in words, for messages."""
    kinds = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }
    return "null" if value is None else kinds.get(type(value), f"a {type(value).__name__}")


def _isolated(where: str, name: str, read: Callable[..., RawPage], *args: Any) -> RawPage | IngestError:
    """The page READ(*ARGS) makes of one record, or the error that stopped it, named "<file>#<n>" and
    located (WHERE: "line 7") in its message; nothing a record holds can stop the records after it."""
    try:
        return read(*args)
    except IngestError as error:
        return IngestError(error.error_type, f"{where}: {error}", name)
    except RecursionError:
        return IngestError(
            "BadRecord", f"{where}: nested too deeply to read (deeper than {sys.getrecursionlimit()})", name
        )
    except DocumentTimeout as error:  # the page's time is up (see page.process_file); the next record is read
        return IngestError("Timeout", f"{where}: {error}", name)
    except Exception as error:
        return internal_error(error, name, where)


def export_record(
    record: object, name: str, max_bytes: int, encoding: str = "utf-8", repairs: tuple[str, ...] = ()
) -> RawPage:
    """One record of a scraper's export (a JSONL line, a JSON array item, a CSV row) as a page: `html` or
    `text`, and the optional `url`, `title`, `published` (an ISO date) and `author`, all strings."""
    if not isinstance(record, dict):
        raise IngestError("BadRecord", f"{_kind(record)}, expected an object with an 'html' or 'text' field")
    for field in STRING_FIELDS:
        if (value := record.get(field)) is not None and not isinstance(value, str):
            raise IngestError("BadRecord", f"field '{field}' is {_kind(value)}, expected a string")
    fixes = list(repairs)
    fields: dict[str, str | None] = {}
    for field in STRING_FIELDS:
        value = record.get(field)
        if value is not None and "\x00" in value:
            fixes.append(f"dropped {count(value.count(chr(0)), 'NUL character')} in {field}")
            value = value.replace("\x00", "")
        fields[field] = escape_unencodable(value, field, fixes) if value and value.strip() else None
    html, text, url = fields["html"], fields["text"], fields["url"]
    if html is None and text is None:
        present = [field for field in ("html", "text") if field in record]
        if present:
            fields_are = "field is" if len(present) == 1 else "fields are"
            raise IngestError("EmptyInput", f"the {' and '.join(map(repr, present))} {fields_are} empty")
        found = ", ".join(map(repr, record)) or "none"
        raise IngestError("BadRecord", f"neither an 'html' nor a 'text' field (fields found: {found})")
    published = _date(fields["published"])
    if fields["published"] and not published:
        fixes.append(f"ignored field 'published': {fields['published'][:40]!r} is not a date (YYYY-MM-DD)")
    page = None
    if html is not None:
        size = len(html.encode("utf-8"))
        if size > max_bytes:
            raise IngestError("TooLarge", f"{size} bytes of HTML, over the limit of {max_bytes} (--max-bytes)")
        try:
            page = html_page(html, encoding, name, url=url, repairs=tuple(fixes))
        except IngestError:
            if text is None:
                raise  # else the scraper's own text stands in for a page with no main text
    if page is None:
        page = RawPage(source_path=name, text=str(text), encoding=encoding, url=url, repairs=tuple(fixes))
    return replace(
        page,
        url=url or page.url,
        title=fields["title"] or page.title,
        published_date=published or page.published_date,
        author=fields["author"] or page.author,
    )


def _json_line(line: bytes, name: str, max_bytes: int) -> RawPage:
    try:
        decoded = decode_text(line.strip())
    except IngestError as error:
        raise IngestError("BadRecord", f"not text: {error}") from error
    try:
        record = json.loads(decoded.text)
    except json.JSONDecodeError as error:
        raise IngestError("BadRecord", f"not JSON: {error.msg} at column {error.colno}") from error
    except ValueError as error:  # a number of more digits than Python reads (4,300)
        raise IngestError("BadRecord", f"not readable JSON: {error}") from error
    return export_record(record, name, max_bytes, decoded.encoding, decoded.repairs)


def _lines(readline: Callable[[int], bytes], limit: int) -> Iterator[bytes | None]:
    """The lines READLINE gives; None for a line longer than LIMIT, which is skipped without being held."""
    while line := readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _utf16_lines(handle: BinaryIO) -> Callable[[int], bytes]:
    """A readline giving the lines of a UTF-16 file (Windows PowerShell's default) as UTF-8."""
    text = io.TextIOWrapper(handle, encoding="utf-16", errors="replace", newline="")

    def readline(size: int) -> bytes:
        return text.readline(size).encode("utf-8")

    return readline


def read_jsonl(handle: BinaryIO, path: Path, source_path: str, max_bytes: int) -> Pages:
    """A scraper's export: one JSON object per line with `html` or `text` (and `url`, `title`, `published`,
    `author`); each line is read on its own, so a bad one is one error and the lines after it go on."""
    limit = 2 * max_bytes  # JSON escapes (\u1ea1) make a line longer than the page it holds
    records = 0
    utf16 = handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    handle.seek(0)
    for number, line in enumerate(_lines(_utf16_lines(handle) if utf16 else handle.readline, limit), start=1):
        name = f"{source_path}#{number}"
        if line is None:
            yield IngestError("TooLarge", f"line {number}: over {limit} bytes (twice --max-bytes)", name)
        elif line.strip():
            yield _isolated(f"line {number}", name, _json_line, line, name, max_bytes)
        else:
            continue
        records += 1
    if not records:
        raise IngestError("EmptyInput", "no records: the file is empty or holds only blank lines")


def _whole(handle: BinaryIO, max_bytes: int, kind: str) -> bytes:
    size = os.fstat(handle.fileno()).st_size
    if size > WHOLE_FILE_PAGES * max_bytes:
        raise IngestError(
            "TooLarge",
            f"{size} bytes, over {WHOLE_FILE_PAGES} times --max-bytes ({WHOLE_FILE_PAGES * max_bytes}) for a "
            f"{kind} file, which is read whole: export it as JSON Lines (.jsonl), read a line at a time",
        )
    return handle.read()


def _json_values(text: str) -> Iterator[object]:
    """The JSON values of TEXT: one, or several written one after another (a scrapy feed run twice into
    the same .json file holds "[...][...]")."""
    decoder = json.JSONDecoder()
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        value, position = decoder.raw_decode(text, position)
        yield value


def read_json(handle: BinaryIO, path: Path, source_path: str, max_bytes: int) -> Pages:
    """A scraper's export as one JSON array of the JSONL objects (scrapy's JSON feed), or one object."""
    decoded = decode_text(_whole(handle, max_bytes, ".json"))
    number = 0
    values = _json_values(decoded.text)
    while True:
        try:
            value = next(values)
        except StopIteration:
            break
        except (ValueError, RecursionError) as error:
            if isinstance(error, json.JSONDecodeError):
                reason = f"not JSON: {error.msg} at line {error.lineno} column {error.colno}"
            elif isinstance(error, ValueError):  # a number of more digits than Python reads (4,300)
                reason = f"not readable JSON: {error}"
            else:
                reason = "not readable JSON: nested too deeply"
            if not number:
                raise IngestError("BadFormat", reason) from error
            yield IngestError("BadFormat", f"after item {number}: {reason}; the items after it are not read")
            return
        items = value if isinstance(value, list) else [value]
        if not isinstance(value, list | dict):
            raise IngestError("BadFormat", f"the file holds {_kind(value)}, expected an array of objects or one object")
        for item in items:
            number += 1
            name = f"{source_path}#{number}"
            yield _isolated(f"item {number}", name, export_record, item, name, max_bytes, decoded.encoding, decoded.repairs)  # fmt: skip
    if not number:
        raise IngestError("EmptyInput", "no records: an empty JSON array")


def read_csv(handle: BinaryIO, path: Path, source_path: str, max_bytes: int) -> Pages:
    """A scraper's export as CSV (or TSV) with a header naming the fields of the JSONL objects (scrapy's
    CSV feed); a column that holds no article text or HTML is read as nothing."""
    decoded = decode_text(_whole(handle, max_bytes, path.suffix))
    first_line = decoded.text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else max(",;", key=first_line.count)  # Excel writes ';'
    csv.field_size_limit(max_bytes)  # the default 128 KiB is less than many pages' HTML
    rows = csv.reader(io.StringIO(decoded.text, newline=""), delimiter=delimiter)
    header = next(rows, None)
    if header is None or not any(cell.strip() for cell in header):
        raise IngestError("EmptyInput", "no header line: the file is empty")
    columns = [cell.strip().lstrip("\ufeff").lower() for cell in header]  # a byte-order mark is no letter
    if "html" not in columns and "text" not in columns:
        found = ", ".join(map(repr, header))
        raise IngestError(
            "NoTextColumn",
            f"no 'text' or 'html' column in the header line (found: {found}); name the column that holds the "
            "article 'text' (or 'html' for pages)",
        )
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            number += 1
            name, where = f"{source_path}#{number}", f"row {number} (line {rows.line_num})"
            if "field limit" in str(error):
                yield IngestError("TooLarge", f"{where}: a cell over {max_bytes} characters (--max-bytes)", name)
            else:
                yield IngestError("BadRecord", f"{where}: not CSV: {error}", name)
            continue
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        name = f"{source_path}#{number}"
        record: dict[str, str] = {}
        for column, cell in zip(columns, row, strict=False):
            record.setdefault(column, cell)
        repairs = decoded.repairs
        if len(row) > len(columns):
            repairs = (*repairs, f"ignored {count(len(row) - len(columns), 'cell')} beyond the header's columns")
        where = f"row {number} (line {rows.line_num})"
        yield _isolated(where, name, export_record, record, name, max_bytes, decoded.encoding, repairs)
    if not number:
        raise IngestError("EmptyInput", "a header line and no rows")


def read_warc(stream: BinaryIO, path: Path, source_path: str, max_bytes: int) -> Pages:
    """A crawl archive: every HTML response (or resource) record is a page, with the URL it was fetched
    from; an archive cut short gives the pages before the cut and a Truncated error."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if not stream.read(1 << 16).strip():
        raise IngestError("EmptyInput", "no records: the archive is empty")
    stream.seek(0)
    archive = ArchiveIterator(stream)
    records = iter(archive)
    seen: Counter[str] = Counter()
    number = 0
    record, last_was_page, cut_in_headers = None, False, False
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as error:  # warcio's ArchiveLoadFailed, a gzip error, a record's headers cut short
            if isinstance(error, ArchiveLoadFailed) or not seen:
                message = "".join(c if c.isprintable() else "?" for c in str(error)[:100])
                reason = f"not a WARC archive, or damaged: {type(error).__name__}: {message}"
                if not seen:
                    raise IngestError("BadArchive", reason) from error
                yield IngestError("BadArchive", f"after record {seen.total()}: {reason}; the rest is not read")
                return
            cut_in_headers = True  # warcio fails on headers that stop short (AttributeError, EOFError)
            break
        if not record.rec_type:  # headers begun without a WARC-Type: the file ends inside them
            cut_in_headers = bool(record.rec_headers.protocol or record.rec_headers.headers)
            break
        headers = record.http_headers if record.rec_type == "response" else record.rec_headers
        content_type = (headers.get_header("Content-Type", "") if headers else "") or ""
        seen[f"{record.rec_type} {content_type.split(';')[0].strip()}".strip()] += 1
        last_was_page = record.rec_type in ("response", "resource") and "html" in content_type
        if not last_was_page:
            continue
        status = record.http_headers.get_statuscode() if record.rec_type == "response" else "200"
        if status and not status.startswith("2"):  # a 404 or 500 page is the site's error, not an article
            number += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            yield IngestError(
                "HttpError",
                f"record {number} ({url}): an HTTP {status} response, not a page",
                f"{source_path}#{number}",
            )
            continue
        number += 1
        name = f"{source_path}#{number}"
        url = record.rec_headers.get_header("WARC-Target-URI")
        yield _isolated(f"record {number} ({url})", name, _warc_page, record, name, url, max_bytes)
    # Bytes still owed to the last record's Content-Length, or left unread after it, mean a cut file;
    # a page cut short has been reported by _warc_page.
    owed = record is not None and getattr(record.raw_stream, "limit", 0) > 0
    stream.seek(archive.offset)
    unread = bool(stream.read(1 << 12).strip())
    if cut_in_headers or unread or (owed and not last_was_page):
        yield IngestError(
            "Truncated",
            f"the archive is cut short after its {count(seen.total(), 'record')}, inside the next one's headers "
            "or its last record: copy or download the file again",
        )
    if not number:
        kinds = ", ".join(f"{kind} ×{n}" for kind, n in seen.most_common(5))
        yield IngestError(
            "NoHtmlResponses", f"none of its {count(seen.total(), 'record')} is an HTML response ({kinds})"
        )


def _warc_page(record: Any, name: str, url: str | None, max_bytes: int) -> RawPage:
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        raise IngestError("TooLarge", f"a response over the limit of {max_bytes} bytes (--max-bytes)")
    if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than its Content-Length: the file ends here
        raise IngestError(
            "Truncated",
            f"cut short after {len(data)} bytes: the archive ends inside this page; copy or download it again",
        )
    decoded = decode_text(data)
    return html_page(decoded.text, decoded.encoding, name, url=url, repairs=decoded.repairs)


READERS = (
    Reader((".txt",), read_text),
    Reader((".html", ".htm"), read_html),
    Reader((".jsonl",), read_jsonl, container=True),
    Reader((".json",), read_json, container=True),
    Reader((".csv", ".tsv"), read_csv, container=True),
    Reader((".warc", ".warc.gz"), read_warc, container=True),
)


def _too_large(reader: Reader, size: int, max_bytes: int) -> IngestError | None:
    """TooLarge for a file of SIZE bytes over MAX_BYTES that READER reads whole as one page (a container's
    pages are checked one by one)."""
    if reader.container or size <= max_bytes:
        return None
    return IngestError("TooLarge", f"{size} bytes, over the limit of {max_bytes} (--max-bytes)")


def over_limit(path: Path, max_bytes: int) -> IngestError | None:
    """What pages() would say of PATH's size, told from the size alone, so that such a file is neither
    hashed nor read before (a 4 GB sparse file took 13 s to hash on every run)."""
    reader = reader_for(path)
    return _too_large(reader, os.stat(path).st_size, max_bytes) if reader else None


def reader_for(path: Path) -> Reader | None:
    name = path.name.lower()
    return next((reader for reader in READERS if name.endswith(reader.suffixes)), None)


def pages(
    path: Path, source_path: str, max_bytes: int = DEFAULT_MAX_BYTES, root: Path | None = None
) -> Iterator[RawPage | IngestError]:
    """The pages of one input file, each a RawPage or the IngestError that stopped it; raises IngestError
    when the file as a whole cannot be read. Every string of a page can be written as UTF-8.

    ROOT is the resolved input folder the file must be inside when it is opened (see ingest.open_input)."""
    reader = reader_for(path)
    if reader is None:
        known = ", ".join(suffix for each in READERS for suffix in each.suffixes)
        raise IngestError("UnsupportedFormat", f"no reader for '{path.suffix or path.name}' files (read: {known})")
    with open_input(root, path) as handle:
        if error := _too_large(reader, os.fstat(handle.fileno()).st_size, max_bytes):
            raise error
        for page in reader.read(handle, path, source_path, max_bytes):
            yield page if isinstance(page, IngestError) else encodable(page)
