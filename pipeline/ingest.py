"""Stage 1: turn an input's bytes into text, and the types every reader shares (RawPage, IngestError).

Files are found by pipeline/inputs.py; a file holds one page (.txt, .html) or many (.jsonl, .json, .csv
and .tsv scraper exports, .warc crawl archives), each format one reader in pipeline/readers.py, whose
`pages()` is the stage's face. Every failure is an `IngestError` whose
`error_type` and message say what was wrong and where (a container's line, item, row or record), for a
person to act on; the runner turns it into an errors row and goes on. Good text is kept: what had to be
changed to read it (stray NULs, bad bytes, unencodable characters) is listed in `RawPage.repairs`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import os
import re
import stat
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, NamedTuple

from pipeline.encodings import best_legacy, score

DEFAULT_MAX_BYTES = 20_000_000

logger = logging.getLogger(__name__)


class IngestError(Exception):
    """An input that cannot become an article; `error_type` names the kind of failure, `source_path`
    the page of a container it concerns (None: the whole file)."""

    def __init__(self, error_type: str, message: str, source_path: str | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.source_path = source_path


def internal_error(error: Exception, source_path: str | None, where: str = "") -> IngestError:
    """An error row for an exception no reader expected (a bug, in vnextract or a library): its type,
    message and innermost frames, logged with the traceback; the exception is kept as __cause__."""
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    at = ", ".join(f"{Path(frame.filename).name}:{frame.lineno}" for frame in frames)
    message = f"{where + ': ' if where else ''}{type(error).__name__}: {error} (at {at}); a bug, please report it"
    logger.error("%s: %s", source_path, message, exc_info=error)
    result = IngestError("InternalError", message, source_path)
    result.__cause__ = error
    return result


def inside(path: Path, root: Path) -> bool:
    """Whether PATH is ROOT or within it (both resolved)."""
    return path == root or root in path.parents


# Folders on the way to an input: never through a link, never blocking.
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
# The input itself: O_NONBLOCK makes a FIFO put in its place open at once (it is then refused), not hang.
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def open_input(root: Path | None, path: Path) -> BinaryIO:
    """PATH (an input as listed under ROOT, the resolved RAW; without one, the folder the file is in) open
    for reading, if it is at this moment a regular file inside ROOT; every input is opened here, by the
    readers and by the runner's hashing.

    A link is followed only to where it now leads inside ROOT; that place is then opened one folder at a
    time from ROOT, never through a link, so nothing swapped in after the folder was listed (a link out of
    RAW, a FIFO that would block the run, a folder replaced by a link) is read. Raises IngestError:
    OutsideInput, BrokenLink, NotAFile or Unreadable, the types of the same entries found when listing."""
    root = root or Path(os.path.realpath(path)).parent
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as error:  # gone since listed, a link to nowhere, a loop
        if os.path.islink(path):
            raise IngestError("BrokenLink", f"a symbolic link that leads nowhere: {error.strerror}") from error
        raise IngestError("Unreadable", f"cannot read the file: {error.strerror}") from error
    if not inside(target, root):
        raise IngestError("OutsideInput", f"a link to {target}, outside the input folder")
    parts = target.relative_to(root).parts
    try:
        folder = os.open(root, _FOLDER & ~os.O_NOFOLLOW)  # RAW itself may be a link: the user named it
    except OSError as error:
        raise IngestError("Unreadable", f"cannot open the input folder: {error.strerror}") from error
    try:
        for part in parts[:-1]:
            inner = os.open(part, _FOLDER, dir_fd=folder)  # ELOOP or ENOTDIR: a link or a file put there
            os.close(folder)
            folder = inner
        # A look before opening, so that a device is never opened (opening one may do something).
        if not parts or not stat.S_ISREG(os.stat(parts[-1], dir_fd=folder, follow_symlinks=False).st_mode):
            raise IngestError("NotAFile", _NOT_A_FILE)
        descriptor = os.open(parts[-1], _FILE, dir_fd=folder)
    except OSError as error:
        raise IngestError("Unreadable", f"cannot open it: {error.strerror}; {_CHANGED}") from error
    finally:
        os.close(folder)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # put in its place between the look and the opening
        os.close(descriptor)
        raise IngestError("NotAFile", _NOT_A_FILE)
    os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb")


_NOT_A_FILE = "not a regular file (a FIFO, socket, device, folder or link put in its place): not read"
_CHANGED = "moved or replaced during the run? it is looked at again by the next run"


@dataclass(frozen=True)
class RawPage:
    """One page's decoded text, before normalisation, with where it came from and what its container said
    of it (an HTML page's meta tags, a scraper's fields).

    `repairs` lists, in plain words, each change made to the input to read it, so that nothing is altered
    silently: "dropped 3 NUL bytes", "replaced 1 invalid UTF-8 byte sequence with U+FFFD", "escaped 1
    unencodable character in url" (a lone surrogate from a JSON \\ud800 escape, kept as the text
    "\\ud800"), "ignored field 'published': '31/02/2023' is not a date". Empty for a page read as it is.
    """

    source_path: str
    text: str
    encoding: str
    url: str | None = None
    title: str | None = None
    published_date: dt.date | None = None
    site: str | None = None
    author: str | None = None
    repairs: tuple[str, ...] = ()


_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_unencodable(value: str, field: str, repairs: list[str]) -> str:
    """VALUE with its lone surrogates (which no UTF-8 writer accepts) written as backslash escapes, so the
    string is stored losslessly; the repair is added to REPAIRS."""
    try:
        value.encode("utf-8")  # a C-speed check for the usual case: nothing to escape
        return value
    except UnicodeEncodeError:
        found = len(_SURROGATE.findall(value))
    repairs.append(f"escaped {count(found, 'unencodable character')} in {field}")
    return value.encode("utf-8", errors="backslashreplace").decode("utf-8")


def encodable(page: RawPage) -> RawPage:
    """PAGE with every string field safe to write as UTF-8 (Parquet), each escape recorded in its repairs."""
    repairs = list(page.repairs)
    fields = {name: escape_unencodable(value, name, repairs) for name in ("text", "url", "title", "site", "author")
              if isinstance(value := getattr(page, name), str)}  # fmt: skip
    return replace(page, **fields, repairs=tuple(repairs)) if len(repairs) > len(page.repairs) else page


# Bytes are read as UTF-8 when at least this share of their non-ASCII sequences is valid UTF-8: a real
# legacy-encoded page scores near 0 (its accented letters are single bytes that UTF-8 rejects), a damaged
# UTF-8 page near 1 (a cut character, a few bad bytes); Windows-1258, TCVN3 and VNI copies of the 212
# corpus files score at most 0.0044. Below it, the legacy decoders are tried.
MOSTLY_UTF8 = 0.8
# NUL bytes are stray (dropped, the text kept) when they are at most this share of the bytes and the rest
# is text; more, or NULs in bytes that are not UTF-8, is binary data.
STRAY_NULS = 0.05


class Decoded(NamedTuple):
    """A page's text, the encoding it was read in, and what was repaired to read it (see RawPage.repairs)."""

    text: str
    encoding: str
    repairs: tuple[str, ...] = ()


def count(number: int, noun: str) -> str:
    """'1 NUL byte', '3 NUL bytes': the counts in messages and repairs read as English."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _replaced(data: bytes, encoding: str) -> tuple[str, int]:
    """DATA read with each invalid sequence replaced by U+FFFD, and how many were replaced (the page's own
    U+FFFD characters, kept by errors="ignore", are not counted)."""
    text = data.decode(encoding, errors="replace")
    if "\ufffd" not in text:  # nothing replaced (the usual case): no second decoding to count the page's own
        return text, 0
    return text, text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")


def _mostly_utf8(text: str, replaced: int) -> bool:
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))  # valid sequences + replacements
    return replaced <= (1 - MOSTLY_UTF8) * non_ascii


def _cut_at_end(data: bytes) -> bool:
    """Whether DATA is valid UTF-8 but for one multi-byte character cut off at its end (a truncated file)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _drop_nuls(data: bytes) -> tuple[bytes, int, list[str]]:
    """DATA without its NUL bytes, how many interior ones there were, and the repairs; BinaryInput when
    the NULs are too many to be stray."""
    repairs = []
    stripped = data.rstrip(b"\x00")  # a file preallocated and cut short by a crash ends in NULs
    if len(stripped) < len(data):
        if not stripped.strip():
            raise IngestError("BinaryInput", f"the file holds only NUL bytes ({len(data)}): no text")
        repairs.append(f"dropped {count(len(data) - len(stripped), 'NUL byte')} padding the end")
    nuls = stripped.count(b"\x00")
    if nuls > STRAY_NULS * len(stripped):
        raise IngestError(
            "BinaryInput",
            f"{count(nuls, 'NUL byte')} in {len(stripped)} bytes: binary data (an image, an archive?), not text",
        )
    if nuls:
        repairs.append(f"dropped {count(nuls, 'NUL byte')}")
    return stripped.replace(b"\x00", b""), nuls, repairs


def decode_text(data: bytes) -> Decoded:
    """A page's bytes as text, and each repair made to read them.

    UTF-16 with a byte-order mark; UTF-8 with one, or when at least MOSTLY_UTF8 of the non-ASCII sequences
    are valid UTF-8 (its few bad bytes replaced by U+FFFD), or when only a last character is cut. Below
    that threshold the readings as UTF-8 (with replacements), Windows-1258, TCVN3 and VNI compete, and the
    one with the most common Vietnamese words wins, UTF-8 on a tie; none reading as Vietnamese is a
    DecodeError. Stray NUL bytes are dropped first (see STRAY_NULS). Raises IngestError for no text."""
    if not data.strip():
        raise IngestError("EmptyInput", "the file is empty or holds only whitespace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, replaced = _replaced(data, "utf-16")
        if not text.strip():
            raise IngestError("EmptyInput", "the file holds only a byte-order mark")
        repairs = (f"replaced {count(replaced, 'invalid UTF-16 sequence')} with U+FFFD",) if replaced else ()
        return Decoded(text, "utf-16", repairs)
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):  # declared UTF-8: never read as anything else
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
        if not data.strip():
            raise IngestError("EmptyInput", "the file holds only a byte-order mark")
    data, nuls, repairs = _drop_nuls(data)
    if not data.strip():
        raise IngestError("EmptyInput", "the file holds only whitespace and NUL bytes")
    text, replaced = _replaced(data, "utf-8")
    if not replaced:
        return Decoded(text, encoding, tuple(repairs))
    if _cut_at_end(data):  # valid UTF-8 up to a last character cut in two: a truncated file
        return Decoded(text, encoding, (*repairs, "replaced 1 multi-byte character cut off at the end with U+FFFD"))
    utf8 = [*repairs, f"replaced {count(replaced, 'invalid UTF-8 byte sequence')} with U+FFFD"]
    if encoding == "utf-8-sig" or _mostly_utf8(text, replaced):
        return Decoded(text, encoding, tuple(utf8))
    if nuls:
        raise IngestError("BinaryInput", f"{count(nuls, 'NUL byte')} in bytes that are not UTF-8 text: binary data")
    # Not UTF-8: an old portal's Windows-1258, TCVN3 or VNI, if one reads as more Vietnamese than UTF-8 does.
    legacy_score, legacy, legacy_text = best_legacy(data)
    utf8_score = score(text)
    if legacy_score > max(utf8_score, 0):
        return Decoded(legacy_text, legacy, tuple(repairs))
    if utf8_score > 0:
        return Decoded(text, encoding, tuple(utf8))
    first = len(text.split("\ufffd", 1)[0].encode("utf-8"))  # the first bad byte (none before it was replaced)
    share = 1 - replaced / max(len(text) - len(text.encode("ascii", errors="ignore")), 1)
    raise IngestError(
        "DecodeError",
        f"not UTF-8 ({share:.0%} of its non-ASCII characters are valid UTF-8, first bad byte at {first}: "
        f"{data[first : first + 8]!r}), nor Vietnamese in Windows-1258, TCVN3 or VNI; "
        "save the file as UTF-8",
    )


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name of a page's bytes (decode_text without the repairs)."""
    decoded = decode_text(data)
    return decoded.text, decoded.encoding
