import codecs
from pathlib import Path

import pytest

from pipeline.ingest import IngestError, RawPage, decode, decode_text, encodable
from pipeline.inputs import discover
from pipeline.readers import pages
from tests.portal import to_windows_1258

LINE = "Sáng ngày 15/5/2023, Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh Trà Vinh tổ chức hội nghị"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (LINE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + LINE.encode("utf-8"), "utf-8-sig"),
        (LINE.encode("utf-16"), "utf-16"),
    ],
)
def test_decode_reads_utf8_and_utf16(data: bytes, encoding: str) -> None:
    assert decode(data) == (LINE, encoding)


@pytest.mark.parametrize(
    ("data", "error_type"),
    [
        (b"", "EmptyInput"),
        (b" \n\t\n", "EmptyInput"),
        (codecs.BOM_UTF8, "EmptyInput"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "BinaryInput"),
        (bytes(range(256)) * 4, "BinaryInput"),  # few NULs (0.4%), but the rest is no text either
        (b"\x00" * 64, "BinaryInput"),
        (b"".join(bytes([b, 0]) for b in LINE.encode("ascii", "replace")), "BinaryInput"),  # every other byte
        (LINE.encode("utf-8")[:10] + b"\xff\xfe\xfa", "DecodeError"),
        (bytes(range(0x80, 0x100)) * 3, "DecodeError"),
    ],
)
def test_decode_rejects_what_is_not_text(data: bytes, error_type: str) -> None:
    with pytest.raises(IngestError) as raised:
        decode(data)
    assert raised.value.error_type == error_type


TEXT = (LINE + ". Đồng chí Bí thư Tỉnh ủy phát biểu chỉ đạo hội nghị.\n") * 3
DATA = TEXT.encode("utf-8")
CUT = "Hội nghị Thường trực Tỉnh ủ".encode()


@pytest.mark.parametrize(
    ("data", "text", "encoding", "repairs"),
    [
        (DATA[:50] + b"\x00" + DATA[50:90] + b"\x00\x00" + DATA[90:], TEXT, "utf-8", ("dropped 3 NUL bytes",)),
        (DATA + b"\x00" * 4096, TEXT, "utf-8", ("dropped 4096 NUL bytes padding the end",)),
        # One multi-byte character cut at the end: UTF-8, never Windows-1258 "ThÆ°á»\x9dng".
        (CUT[:-1], "Hội nghị Thường trực Tỉnh \ufffd", "utf-8", ("replaced 1 multi-byte character cut off at the end with U+FFFD",)),
        (b"\xff".join([TEXT[:4].encode(), TEXT[4:60].encode(), TEXT[60:].encode()]), "\ufffd".join([TEXT[:4], TEXT[4:60], TEXT[60:]]),
         "utf-8", ("replaced 2 invalid UTF-8 byte sequences with U+FFFD",)),
        # A byte-order mark declares UTF-8: a bad byte after it is replaced, not a UnicodeDecodeError.
        (codecs.BOM_UTF8 + b"\xff" + DATA, "\ufffd" + TEXT, "utf-8-sig", ("replaced 1 invalid UTF-8 byte sequence with U+FFFD",)),
        (codecs.BOM_UTF8 + DATA[:3] + b"\x00" + DATA[3:], TEXT, "utf-8-sig", ("dropped 1 NUL byte",)),
        ("\ufffd là ký tự thay thế có sẵn".encode() + b"\xff", "\ufffd là ký tự thay thế có sẵn\ufffd", "utf-8",
         ("replaced 1 invalid UTF-8 byte sequence with U+FFFD",)),  # the page's own U+FFFD is not counted
        (DATA, TEXT, "utf-8", ()),
    ],
)  # fmt: skip
def test_good_text_is_kept_and_each_repair_is_named(data: bytes, text: str, encoding: str, repairs: tuple) -> None:
    assert decode_text(data) == (text, encoding, repairs)


def test_legacy_decoders_still_read_text_that_is_not_mostly_utf8() -> None:
    cp1258 = to_windows_1258(TEXT)
    assert decode_text(cp1258) == (TEXT, "windows-1258", ())
    # A Windows-1258 page with a valid UTF-8 pair by chance ("Ă\xa0" is "à" in UTF-8) is not mostly UTF-8.
    assert decode_text(cp1258 + b"\xc3\xa0") == (TEXT + "Ă\xa0", "windows-1258", ())


def test_lone_surrogates_are_escaped_losslessly_and_recorded() -> None:
    page = encodable(RawPage("a.jsonl#1", "Tin \ud800 và \udfff", "utf-8", url="http://s/\ud800", title="Tin"))
    assert (page.text, page.url, page.title) == ("Tin \\ud800 và \\udfff", "http://s/\\ud800", "Tin")
    assert page.repairs == ("escaped 2 unencodable characters in text", "escaped 1 unencodable character in url")
    page.text.encode("utf-8")  # what Parquet needs
    clean = RawPage("a.txt", "Tin", "utf-8")
    assert encodable(clean) is clean


def test_read_rejects_unsupported_and_oversized_files(tmp_path: Path) -> None:
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(IngestError, match="no reader"):
        list(pages(pdf, "page.pdf"))
    big = tmp_path / "big.txt"
    big.write_text(LINE * 100, encoding="utf-8")
    with pytest.raises(IngestError) as raised:
        list(pages(big, "big.txt", max_bytes=1000))
    assert raised.value.error_type == "TooLarge"


def test_discover_walks_recursively_and_skips_readmes_and_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/b/deep.txt", "top.txt", "README.md", ".hidden.txt", "a/.cache.txt", "odd.bin"):
        (tmp_path / name).write_text(LINE, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text(LINE, encoding="utf-8")
    found = [entry.source_path for entry in discover(tmp_path)]
    assert found == ["a/b/deep.txt", "odd.bin", "top.txt"]
