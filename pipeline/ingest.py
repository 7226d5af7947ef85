"""Stage 1: find the input files and turn each one's bytes into pages of text.

A file holds one page (.txt, .html) or many (.jsonl scraper exports, .warc crawl archives); each format is
one reader in pipeline/readers.py. Every failure is an `IngestError` whose `error_type` and message say
what was wrong; the runner turns it into an errors row and goes on.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.encodings import decode_legacy

DEFAULT_MAX_BYTES = 20_000_000


class IngestError(Exception):
    """An input that cannot become an article; `error_type` names the kind of failure, `source_path`
    the page of a container it concerns (None: the whole file)."""

    def __init__(self, error_type: str, message: str, source_path: str | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.source_path = source_path


@dataclass(frozen=True)
class RawPage:
    """One page's decoded text, before normalisation, with where it came from and what its container said
    of it (an HTML page's meta tags, a scraper's fields)."""

    source_path: str
    text: str
    encoding: str
    url: str | None = None
    title: str | None = None
    published_date: dt.date | None = None
    site: str | None = None
    author: str | None = None


def discover(root: Path) -> Iterator[Path]:
    """Every file under ROOT in a stable order, except hidden files and README files."""
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if path.name.upper().startswith("README"):
            continue
        yield path


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name of a page's bytes; raises IngestError for bytes that are no text."""
    if not data.strip():
        raise IngestError("EmptyInput", "the file is empty or holds only whitespace")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = data.decode(encoding, errors="strict")
            if not text.strip():
                raise IngestError("EmptyInput", "the file holds only a byte-order mark")
            return text, encoding
    if b"\x00" in data:
        raise IngestError("BinaryInput", "the file holds NUL bytes: binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        # Not UTF-8: an old portal's Windows-1258, TCVN3 or VNI, whichever reads as Vietnamese.
        if legacy := decode_legacy(data):
            return legacy
        raise IngestError(
            "DecodeError",
            f"not valid UTF-8 at byte {error.start} ({data[error.start : error.start + 8]!r}), "
            "nor Vietnamese in Windows-1258, TCVN3 or VNI",
        ) from error


def pages(path: Path, source_path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawPage | IngestError]:
    """The pages of one input file, each a RawPage or the IngestError that stopped it."""
    from pipeline.readers import reader_for

    reader = reader_for(path)
    if reader is None:
        raise IngestError("UnsupportedFormat", f"no reader for '{path.suffix or path.name}' files")
    if not reader.container:  # a container's pages are checked one by one
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError("TooLarge", f"{size} bytes, over the limit of {max_bytes} (--max-bytes)")
    yield from reader.read(path, source_path, max_bytes)
