import codecs
from pathlib import Path

import pytest

from pipeline.ingest import IngestError, decode, discover, pages

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
        (LINE.encode("utf-8")[:10] + b"\xff\xfe\xfa", "DecodeError"),
    ],
)
def test_decode_rejects_what_is_not_text(data: bytes, error_type: str) -> None:
    with pytest.raises(IngestError) as raised:
        decode(data)
    assert raised.value.error_type == error_type


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
    found = [str(path.relative_to(tmp_path)) for path in discover(tmp_path)]
    assert found == ["a/b/deep.txt", "odd.bin", "top.txt"]
