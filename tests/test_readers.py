"""Pages as they really come: portal HTML, scraper exports, crawl archives, old encodings."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.emit import SCHEMAS
from pipeline.encodings import _tables
from pipeline.evaluate import gold_rows, load_gold, score_table
from pipeline.ingest import IngestError, decode, pages
from pipeline.runner import Settings, run
from tests.conftest import ROOT, SAMPLES
from tests.portal import SITE, portal_html, to_tcvn3, to_vni, to_windows_1258

SAMPLE_PATHS = sorted(SAMPLES.glob("*.txt"))
FURNITURE = [
    "Trang chủ",
    "Tin khác",
    "Thống kê truy cập",
    "Đang online",
    "Bản quyền",
    "dataLayer",
    "Liên hệ",
    "counter.js",
]


def _url(path: Path) -> str:
    return f"https://tinhuy.example.vn/tin-tuc/{path.stem}.html"


def _extract(raw: Path, out: Path) -> dict[str, list[dict]]:
    run(raw, out, Settings(workers=1), progress=False)
    return {table: pq.read_table(out / table).to_pylist() for table in SCHEMAS}


@pytest.fixture(scope="module")
def html_tables(tmp_path_factory) -> dict[str, list[dict]]:
    raw = tmp_path_factory.mktemp("html")
    for path in SAMPLE_PATHS:
        (raw / f"{path.stem}.html").write_text(portal_html(path, _url(path)), encoding="utf-8")
    return _extract(raw, tmp_path_factory.mktemp("out"))


def _value_f1(table: str, gold: list[dict], found: list[dict]) -> float:
    # Offsets differ between the page and the .txt; the values must not.
    strip = [{**row, "start": None, "end": None} for row in gold]
    return score_table(table, strip, [{**row, "start": None, "end": None} for row in found])[0].scores()["value_f1"]


def test_portal_pages_give_the_persons_documents_and_dates_of_the_text(html_tables) -> None:
    gold = {
        Path(article["source_path"]).stem: gold_rows(article)
        for article in load_gold(ROOT / "data" / "gold" / "samples.jsonl")
    }
    articles = {Path(row["source_path"]).stem: row["article_id"] for row in html_tables["articles"]}
    assert sorted(articles) == sorted(gold)
    for stem, article_id in articles.items():
        for table in ("persons", "documents", "dates"):
            found = [row for row in html_tables[table] if row["article_id"] == article_id]
            assert _value_f1(table, gold[stem][table], found) >= 0.95, (stem, table)


def test_portal_pages_keep_no_furniture_and_their_headline_and_url(html_tables) -> None:
    for row in html_tables["articles"]:
        assert [word for word in FURNITURE if word in row["text"]] == [], row["source_path"]
        assert row["title"] and SITE not in row["title"]
        assert row["url"] == f"https://tinhuy.example.vn/tin-tuc/{Path(row['source_path']).stem}.html"
    by_stem = {Path(row["source_path"]).stem[:3]: row for row in html_tables["articles"]}
    assert by_stem["000"]["title"].startswith("Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh sơ kết")
    assert str(by_stem["002"]["published_date"]) == "2022-01-20"


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name[:3])
def test_windows_1258_and_decomposed_copies_are_the_same_article(path: Path, tmp_path: Path) -> None:
    text = path.read_text("utf-8")
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "cp1258.txt").write_bytes(to_windows_1258(text))
    (tmp_path / "raw" / "nfd.txt").write_bytes(unicodedata.normalize("NFD", text).encode())
    (tmp_path / "raw" / "utf8.txt").write_text(text, encoding="utf-8")
    tables = _extract(tmp_path / "raw", tmp_path / "out")
    assert [row["source_path"] for row in tables["articles"]] == ["cp1258.txt"]
    duplicates = sorted(row["source_path"] for row in tables["errors"] if row["error_type"] == "DuplicateArticle")
    assert duplicates == ["nfd.txt", "utf8.txt"]


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name[:3])
def test_tcvn3_and_vni_are_detected_and_converted(path: Path) -> None:
    text = unicodedata.normalize("NFC", path.read_text("utf-8"))
    tcvn3, _, marks, letters, _ = _tables()
    assert decode(to_vni(text, marks, letters)) == (text, "vni")
    converted, encoding = decode(to_tcvn3(text, tcvn3))
    assert encoding == "tcvn3"
    # TCVN3 has no capital letters with tones ("Ủ" is written with another font) and no "…" or "•":
    # those alone may differ.
    differing = [(a, b) for a, b in zip(converted, text, strict=True) if a != b]
    assert all(b.isupper() or not b.isalpha() for _, b in differing) and len(differing) <= 30


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name[:3])
def test_utf8_is_never_taken_for_a_legacy_encoding(path: Path) -> None:
    data = path.read_bytes()
    assert decode(data) == (data.decode("utf-8"), "utf-8")
    assert decode(b"\xef\xbb\xbf" + data)[1] == "utf-8-sig"


def test_a_scraper_export_gives_one_article_per_line_and_an_error_per_bad_line(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = [json.dumps({"url": _url(p), "html": portal_html(p, _url(p))}, ensure_ascii=False) for p in SAMPLE_PATHS]
    lines.insert(2, "{not json")
    lines.append(json.dumps({"url": "https://x.vn/1", "pdf": "..."}))
    (raw / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = _extract(raw, tmp_path / "out")
    assert sorted(row["url"] for row in tables["articles"]) == sorted(_url(p) for p in SAMPLE_PATHS)
    assert {row["source_path"] for row in tables["articles"]} == {"export.jsonl#1", "export.jsonl#2", "export.jsonl#4",
                                                                   "export.jsonl#5", "export.jsonl#6"}  # fmt: skip
    errors = {row["source_path"]: row["error_type"] for row in tables["errors"]}
    assert errors == {"export.jsonl#3": "BadRecord", "export.jsonl#7": "BadRecord"}


def test_a_warc_archive_gives_its_html_responses_with_their_urls(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for path in SAMPLE_PATHS[:2]:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        payload = io.BytesIO(portal_html(path, _url(path)).encode())
        writer.write_record(writer.create_warc_record(_url(path), "response", payload=payload, http_headers=headers))
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record("https://x.vn/a.png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=image)
    )
    (raw / "crawl.warc.gz").write_bytes(buffer.getvalue())
    tables = _extract(raw, tmp_path / "out")
    assert sorted((row["source_path"], row["url"]) for row in tables["articles"]) == [
        ("crawl.warc.gz#1", _url(SAMPLE_PATHS[0])), ("crawl.warc.gz#2", _url(SAMPLE_PATHS[1]))]  # fmt: skip
    assert tables["errors"] == []


# Every record isolated: whatever one line, item, row or record holds, the others are read.

SENTENCE = "Bí thư Thị ủy Lê Thành Đông kết luận hội nghị."
OTHER = "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12 khai mạc sáng nay."


def _read(path: Path, max_bytes: int = 1_000_000) -> list[tuple]:
    """What pages() makes of PATH: (source_path, text, url, repairs) per page, (source_path, error_type,
    message) per error, a file-level error last."""
    found: list[tuple] = []
    try:
        for page in pages(path, path.name, max_bytes):
            if isinstance(page, IngestError):
                found.append((page.source_path, page.error_type, str(page)))
            else:
                found.append((page.source_path, page.text, page.url, page.repairs))
    except IngestError as error:
        found.append((error.source_path, error.error_type, str(error)))
    return found


def test_every_jsonl_line_is_read_on_its_own_and_a_bad_one_names_its_line_and_field(tmp_path: Path) -> None:
    lines = [
        json.dumps({"url": "https://x.vn/1", "text": SENTENCE}, ensure_ascii=False).encode(),
        json.dumps({"text": SENTENCE}, ensure_ascii=False).encode().replace("ủy".encode(), b"\xff"),  # a bad byte
        b"[" * 100_000 + b"]" * 100_000,  # nested past Python's recursion limit
        json.dumps({"url": {"href": "https://x.vn/4"}, "text": SENTENCE}).encode(),
        json.dumps({"url": 12345, "text": SENTENCE}).encode(),
        json.dumps({"title": 42, "text": SENTENCE}).encode(),
        b'{"url": "http://s/\\ud800", "title": "Tin \\udfff", "text": "' + SENTENCE.encode() + b'"}',
        b"   ",
        json.dumps({"text": OTHER, "published": "31/02/2023"}, ensure_ascii=False).encode(),
        json.dumps({"text": "  ", "url": "https://x.vn/10"}).encode(),
        b"[1, 2]",
        json.dumps({"url": "https://x.vn/12", "pdf": "..."}).encode(),
        b"\x89PNG\r\x1a\x00\x00\x00\x0dIHDR\x00\x00\x00\xff\x00\x00\x00\xff",
        b'{"text": "' + SENTENCE.encode() + b'"',
        json.dumps({"html": ["<p>...</p>"]}).encode(),
        json.dumps({"text": OTHER}, ensure_ascii=False).encode(),
    ]
    (tmp_path / "export.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    assert _read(tmp_path / "export.jsonl") == [
        ("export.jsonl#1", SENTENCE, "https://x.vn/1", ()),
        ("export.jsonl#2", SENTENCE.replace("ủy", "\ufffd"), None, ("replaced 1 invalid UTF-8 byte sequence with U+FFFD",)),
        ("export.jsonl#3", "BadRecord", "line 3: nested too deeply to read (deeper than 1000)"),
        ("export.jsonl#4", "BadRecord", "line 4: field 'url' is an object, expected a string"),
        ("export.jsonl#5", "BadRecord", "line 5: field 'url' is a number, expected a string"),
        ("export.jsonl#6", "BadRecord", "line 6: field 'title' is a number, expected a string"),
        ("export.jsonl#7", SENTENCE, "http://s/\\ud800",
         ("escaped 1 unencodable character in url", "escaped 1 unencodable character in title")),
        ("export.jsonl#9", OTHER, None, ("ignored field 'published': '31/02/2023' is not a date (YYYY-MM-DD)",)),
        ("export.jsonl#10", "EmptyInput", "line 10: the 'text' field is empty"),
        ("export.jsonl#11", "BadRecord", "line 11: an array, expected an object with an 'html' or 'text' field"),
        ("export.jsonl#12", "BadRecord", "line 12: neither an 'html' nor a 'text' field (fields found: 'url', 'pdf')"),
        ("export.jsonl#13", "BadRecord", "line 13: not text: 9 NUL bytes in 22 bytes: binary data (an image, an archive?), not text"),
        ("export.jsonl#14", "BadRecord", "line 14: not JSON: Expecting ',' delimiter at column 58"),
        ("export.jsonl#15", "BadRecord", "line 15: field 'html' is an array, expected a string"),
        ("export.jsonl#16", OTHER, None, ()),
    ]  # fmt: skip


@pytest.mark.parametrize("data", [b"", b"\n  \n\r\n"])
def test_an_empty_or_blank_jsonl_is_one_error(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "export.jsonl").write_bytes(data)
    assert _read(tmp_path / "export.jsonl") == [
        (None, "EmptyInput", "no records: the file is empty or holds only blank lines")
    ]


def test_a_jsonl_line_over_the_limit_is_skipped_without_being_held(tmp_path: Path) -> None:
    big = json.dumps({"text": SENTENCE * 100}, ensure_ascii=False)
    small = json.dumps({"text": OTHER}, ensure_ascii=False)
    (tmp_path / "export.jsonl").write_text(f"{small}\n{big}\n{small}", encoding="utf-8")
    assert [row[:2] for row in _read(tmp_path / "export.jsonl", max_bytes=1000)] == [
        ("export.jsonl#1", OTHER), ("export.jsonl#2", "TooLarge"), ("export.jsonl#3", OTHER)]  # fmt: skip
