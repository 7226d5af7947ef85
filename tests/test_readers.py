"""Pages as they really come: portal HTML, scraper exports, crawl archives, old encodings."""

from __future__ import annotations

import csv
import io
import json
import random
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.emit import SCHEMAS
from pipeline.encodings import _tables
from pipeline.evaluate import gold_rows, load_gold, score_table
from pipeline.ingest import IngestError, decode
from pipeline.readers import pages
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


def test_a_utf16_jsonl_from_windows_powershell_is_read(tmp_path: Path) -> None:
    lines = [json.dumps({"text": text}, ensure_ascii=False) for text in (SENTENCE, OTHER)]
    (tmp_path / "export.jsonl").write_text("\r\n".join(lines), encoding="utf-16")
    assert [row[:2] for row in _read(tmp_path / "export.jsonl")] == [
        ("export.jsonl#1", SENTENCE),
        ("export.jsonl#2", OTHER),
    ]


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


def test_a_json_export_is_read_like_jsonl_one_item_at_a_time(tmp_path: Path) -> None:
    items = [{"url": "https://x.vn/1", "text": SENTENCE}, {"url": 7, "text": OTHER}, {"text": OTHER}]
    # A scrapy JSON feed written twice into one file holds two arrays, one after the other.
    (tmp_path / "feed.json").write_text(json.dumps(items, ensure_ascii=False) + "\n" + json.dumps(items[:1]))
    (tmp_path / "one.json").write_text(json.dumps({"text": SENTENCE, "title": "Tin"}, ensure_ascii=False))
    assert _read(tmp_path / "feed.json") + _read(tmp_path / "one.json") == [
        ("feed.json#1", SENTENCE, "https://x.vn/1", ()),
        ("feed.json#2", "BadRecord", "item 2: field 'url' is a number, expected a string"),
        ("feed.json#3", OTHER, None, ()),
        ("feed.json#4", SENTENCE, "https://x.vn/1", ()),
        ("one.json#1", SENTENCE, None, ()),
    ]


@pytest.mark.parametrize(
    ("data", "error_type", "message"),
    [
        (b"", "EmptyInput", "the file is empty or holds only whitespace"),
        (b"[]", "EmptyInput", "no records: an empty JSON array"),
        (b'"just a string"', "BadFormat", "the file holds a string, expected an array of objects or one object"),
        (b'[{"text": "a"}', "BadFormat", "not JSON: Expecting ',' delimiter at line 1 column 15"),
        (b"[" * 100_000, "BadFormat", "not readable JSON: nested too deeply"),
    ],
)
def test_a_json_file_that_holds_no_records_is_one_error(
    tmp_path: Path, data: bytes, error_type: str, message: str
) -> None:
    (tmp_path / "feed.json").write_bytes(data)
    assert _read(tmp_path / "feed.json") == [(None, error_type, message)]


def test_a_csv_or_tsv_export_gives_one_page_a_row(tmp_path: Path) -> None:
    html = f"<html><body><article><p>{SENTENCE}</p>{('<p>' + OTHER + '</p>') * 3000}</article></body></html>"
    assert len(html) > 131_072  # over csv's default field size limit
    rows = [
        ["https://x.vn/1", "Tin một", f"{SENTENCE}\n{OTHER}", ""],
        ["", "", "", html],
        ["https://x.vn/3", "Tin ba", "", ""],
        [],
        ["https://x.vn/5", "Tin năm", OTHER, "", "thừa"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["url", "title", "text", "html"], *rows])
    (tmp_path / "feed.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")  # Excel's BOM
    (tmp_path / "feed.tsv").write_text(f"Text\tURL\n{SENTENCE}\thttps://x.vn/t\n", encoding="utf-8")
    (tmp_path / "excel.csv").write_text(f"text;title\n{SENTENCE};Tin\n", encoding="utf-8")
    found = _read(tmp_path / "feed.csv") + _read(tmp_path / "feed.tsv") + _read(tmp_path / "excel.csv")
    assert found[0] == ("feed.csv#1", f"{SENTENCE}\n{OTHER}", "https://x.vn/1", ())
    assert found[1][0] == "feed.csv#2" and found[1][1].startswith(SENTENCE) and found[1][2:] == (None, ())
    assert found[2:] == [
        ("feed.csv#3", "EmptyInput", "row 3 (line 5): the 'html' and 'text' fields are empty"),
        ("feed.csv#4", OTHER, "https://x.vn/5", ("ignored 1 cell beyond the header's columns",)),
        ("feed.tsv#1", SENTENCE, "https://x.vn/t", ()),
        ("excel.csv#1", SENTENCE, None, ()),
    ]


@pytest.mark.parametrize(
    ("data", "error_type", "message"),
    [
        ("id,link,body\n1,https://x.vn/1,Tin\n", "NoTextColumn",
         "no 'text' or 'html' column in the header line (found: 'id', 'link', 'body'); "
         "name the column that holds the article 'text' (or 'html' for pages)"),
        ("text,url\n", "EmptyInput", "a header line and no rows"),
        ("\n\n", "EmptyInput", "the file is empty or holds only whitespace"),
    ],
)  # fmt: skip
def test_a_csv_without_a_text_column_or_rows_is_one_error(
    tmp_path: Path, data: str, error_type: str, message: str
) -> None:
    (tmp_path / "feed.csv").write_text(data, encoding="utf-8")
    assert _read(tmp_path / "feed.csv") == [(None, error_type, message)]


def _warc(records: list[tuple[str, str, bytes]], gzip: bool = True) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for url, content_type, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
        writer.write_record(record)
    return buffer.getvalue()


def _page(number: int) -> bytes:
    # Varied text, so that gzip leaves each record about as long as its page.
    paragraphs = "".join(f"<p>{SENTENCE} Số {number}.{i}: {OTHER[i % 40 :]}</p>" for i in range(60))
    return f"<html><head><title>Tin {number}</title></head><body><article>{paragraphs}</article></body></html>".encode()


def test_a_warc_that_holds_no_pages_is_one_error(tmp_path: Path) -> None:
    files = {
        "empty.warc": b"",
        "garbage.warc": b"Bi thu Tinh uy\n" * 10,
        "images.warc.gz": _warc([("https://x.vn/a.png", "image/png", b"\x89PNG" * 10)] * 2),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert [row[1:] for name in files for row in _read(tmp_path / name)] == [
        ("EmptyInput", "no records: the archive is empty"),
        ("BadArchive", "not a WARC archive, or damaged: ArchiveLoadFailed: Unknown archive format, first line: "
                       "['Bi', 'thu', 'Tinh', 'uy']"),
        ("NoHtmlResponses", "none of its 2 records is an HTML response (response image/png ×2)"),
    ]  # fmt: skip


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_warc_gives_its_whole_pages_and_a_truncated_error(tmp_path: Path, gzip: bool) -> None:
    data = _warc([(f"https://x.vn/{n}", "text/html; charset=utf-8", _page(n)) for n in (1, 2)], gzip=gzip)
    name = "crawl.warc.gz" if gzip else "crawl.warc"
    (tmp_path / name).write_bytes(data[: len(data) * 3 // 4])
    found = _read(tmp_path / name)
    assert [row[0] for row in found] == [f"{name}#1", f"{name}#2"]
    assert found[0][1].startswith(f"Tin 1\n\n{SENTENCE} Số 1.0") and found[0][2] == "https://x.vn/1"
    assert found[1][1] == "Truncated" and "the archive ends inside this page" in found[1][2]
    # Cut inside a record that is no page: the pages are whole, and the cut is said.
    data = _warc(
        [
            ("https://x.vn/1", "text/html", _page(1)),
            ("https://x.vn/a.png", "image/png", random.Random(0).randbytes(10_000)),
        ]
    )
    (tmp_path / name).write_bytes(data[:-3000])
    assert [row[:2] for row in _read(tmp_path / name)][1:] == [(None, "Truncated")]


def test_a_run_over_hostile_exports_writes_every_record_somewhere(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    text = SAMPLE_PATHS[0].read_text("utf-8")
    (raw / "export.jsonl").write_bytes(
        b'{"url": "http://s/\\ud800", "title": "T\\udfffin", "text": ' + json.dumps(text).encode() + b"}\n"
        + json.dumps({"url": {"href": "x"}, "text": text}).encode() + b"\n"
        + b'{"text": ' + json.dumps(text.replace("Đảng", "\ud800"), ensure_ascii=True).encode() + b"}\n"
    )  # fmt: skip
    (raw / "feed.csv").write_text("id,body\n1,Tin\n", encoding="utf-8")
    other = SAMPLE_PATHS[1].read_text("utf-8").rstrip() + " Tỉnh ủ"
    (raw / "cut.txt").write_bytes(other.encode()[:-1] + b"\x00" * 100)  # ends in a cut letter and NUL padding
    tables = _extract(raw, tmp_path / "out")
    articles = {row["source_path"]: row for row in tables["articles"]}
    assert sorted(articles) == ["cut.txt", "export.jsonl#1", "export.jsonl#3"]
    assert articles["export.jsonl#1"]["url"] == "http://s/\\ud800"
    assert "\\ud800" in articles["export.jsonl#3"]["text"]
    errors = sorted((row["source_path"], row["error_type"]) for row in tables["errors"])
    assert errors == [("export.jsonl#2", "BadRecord"), ("feed.csv", "NoTextColumn")]


def test_a_csv_cell_over_the_limit_is_one_error_and_the_rows_after_it_are_read(tmp_path: Path) -> None:
    (tmp_path / "feed.csv").write_text(f"text\n{SENTENCE * 100}\n{OTHER}\n", encoding="utf-8")
    assert [row[:2] for row in _read(tmp_path / "feed.csv", max_bytes=1000)] == [
        ("feed.csv#1", "TooLarge"), ("feed.csv#2", OTHER)]  # fmt: skip


@pytest.mark.parametrize("cut", [8, 60, 150])
@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_a_warc_cut_inside_a_records_headers_says_so_and_trailing_newlines_do_not(
    tmp_path: Path, gzip: bool, cut: int
) -> None:
    one = _warc([("https://x.vn/1", "text/html", _page(1))], gzip=gzip)
    two = _warc([("https://x.vn/2", "text/html", _page(2))], gzip=gzip)
    (tmp_path / "cut.warc").write_bytes(one + two[:cut])
    (tmp_path / "whole.warc").write_bytes(one + two + b"\r\n\r\n")
    assert [(row[0], row[1] if row[0] is None else row[2]) for row in _read(tmp_path / "cut.warc")] == [
        ("cut.warc#1", "https://x.vn/1"), (None, "Truncated")]  # fmt: skip
    assert [row[2] for row in _read(tmp_path / "whole.warc")] == ["https://x.vn/1", "https://x.vn/2"]


def test_an_unexpected_failure_in_one_record_is_an_internal_error_row_and_the_rest_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(html: str, *args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("pipeline.readers.html_page", broken)
    lines = [{"text": SENTENCE}, {"html": "<p>Tin</p>"}, {"text": OTHER}]
    (tmp_path / "export.jsonl").write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines))
    pages_and_errors = list(pages(tmp_path / "export.jsonl", "export.jsonl"))
    assert [getattr(page, "text", None) for page in pages_and_errors] == [SENTENCE, None, OTHER]
    error = pages_and_errors[1]
    assert isinstance(error, IngestError) and error.error_type == "InternalError"
    assert str(error).startswith("line 2: ZeroDivisionError: a bug (at readers.py:") and "test_readers.py:" in str(
        error
    )
    assert isinstance(error.__cause__, ZeroDivisionError)  # for --raise


def test_a_json_file_that_goes_bad_after_some_items_keeps_them_and_says_where(tmp_path: Path) -> None:
    (tmp_path / "feed.json").write_text(json.dumps([{"text": SENTENCE}], ensure_ascii=False) + "\n[{oops")
    assert _read(tmp_path / "feed.json") == [
        ("feed.json#1", SENTENCE, None, ()),
        (None, "BadFormat", "after item 1: not JSON: Expecting property name enclosed in double quotes at line 2 "
                            "column 3; the items after it are not read"),
    ]  # fmt: skip


def test_an_http_error_page_in_a_warc_is_an_error_row_and_the_pages_around_it_go_on(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, status in (
        ("https://x.vn/a", "200 OK"),
        ("https://x.vn/gone", "404 Not Found"),
        ("https://x.vn/b", "200 OK"),
    ):
        headers = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
        payload = io.BytesIO(_page(len(url)))
        writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))
    (tmp_path / "crawl.warc.gz").write_bytes(buffer.getvalue())
    found = list(pages(tmp_path / "crawl.warc.gz", "crawl.warc.gz"))
    assert [getattr(page, "error_type", "page") for page in found] == ["page", "HttpError", "page"]
    assert str(found[1]) == "record 2 (https://x.vn/gone): an HTTP 404 response, not a page"


def test_a_utf16_csv_with_a_byte_order_mark_keeps_its_text_column(tmp_path: Path) -> None:
    data = "\ufefftext,url\n" + f'"{SENTENCE}",https://x.vn/a\n'
    (tmp_path / "feed.csv").write_bytes(data.encode("utf-16"))
    [page] = pages(tmp_path / "feed.csv", "feed.csv")
    assert (page.source_path, page.text, page.url) == ("feed.csv#1", SENTENCE, "https://x.vn/a")


def test_a_json_number_of_too_many_digits_is_a_bad_record(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl").write_text(
        '{"text": "x", "n": ' + "9" * 5000 + "}\n" + json.dumps({"text": SENTENCE}) + "\n"
    )
    found = list(pages(tmp_path / "feed.jsonl", "feed.jsonl"))
    assert [getattr(page, "error_type", "page") for page in found] == ["BadRecord", "page"]


def test_an_html_fragment_in_an_export_field_is_read_as_the_article(tmp_path: Path) -> None:
    # A CMS field holds the body's HTML without <html> or <body>; trafilatura alone finds no text in it.
    fragment = f"<div><p>{SENTENCE} {OTHER}</p></div>"
    (tmp_path / "cms.jsonl").write_text(json.dumps({"html": fragment}, ensure_ascii=False), encoding="utf-8")
    [page] = pages(tmp_path / "cms.jsonl", "cms.jsonl")
    assert not isinstance(page, IngestError)
    assert page.text == f"{SENTENCE} {OTHER}"


def test_reading_a_page_has_the_time_limit_and_the_records_after_it_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import trafilatura

    extract = trafilatura.bare_extraction

    def slow_on_one(html: str, **kwargs: object) -> object:
        if "CHẬM" in html:  # a page trafilatura spends minutes on, in a step it guards as it guards many
            try:
                time.sleep(30)
            except Exception:  # the time limit must not be taken for a fault of the page and passed over
                return None
        return extract(html, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", slow_on_one)
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = [{"html": f"<p>CHẬM {SENTENCE}</p>"}, {"html": f"<p>{OTHER}</p>"}]
    (raw / "cms.jsonl").write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines))
    (raw / "slow.html").write_text(f"<html><body><p>CHẬM {SENTENCE}</p></body></html>", encoding="utf-8")
    run(raw, tmp_path / "out", Settings(workers=1, seconds_per_document=0.5), progress=False)
    errors = pq.read_table(tmp_path / "out" / "errors").to_pylist()
    assert sorted((row["source_path"], row["stage"], row["error_type"]) for row in errors) == [
        ("cms.jsonl#1", "ingest", "Timeout"),
        ("slow.html", "ingest", "Timeout"),
    ]
    assert "reading the page took over 0.5 s" in errors[0]["message"]
    articles = pq.read_table(tmp_path / "out" / "articles").to_pylist()
    assert [(row["source_path"], row["text"]) for row in articles] == [("cms.jsonl#2", OTHER)]
