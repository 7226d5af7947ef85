"""Dates, documents and ratios from real phrases: the exact records and offsets, and what must yield nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import find_dates, find_documents, find_ratios
from pipeline.resolve import date_rows, document_rows, ratio_rows
from pipeline.tag import Tagged, tag


def _dates(text: str, published: dt.date | None = None) -> list[dict]:
    documents = find_documents(text)
    return date_rows("a", text, find_dates(text, [(m.start, m.end) for m in documents]), published)


def _documents(text: str) -> list[dict]:
    matches = find_documents(text)
    return document_rows("a", text, matches, _dates(text))


def _ratios(text: str) -> list[dict]:
    taken = [(m.start, m.end) for m in find_documents(text)] + [(r["start"], r["end"]) for r in _dates(text)]
    return ratio_rows("a", text, find_ratios(text, taken))


D = dt.date
DATE_CASES = [
    # text, published, [(span text, value, value_end, granularity, year_inferred, valid)]
    ("Sáng ngày 15/5/2023, Chi bộ tổ chức hội nghị", None, [("15/5/2023", D(2023, 5, 15), D(2023, 5, 15), "day", False, True)]),
    ("Ngày 25-01-2022", None, [("25-01-2022", D(2022, 1, 25), D(2022, 1, 25), "day", False, True)]),
    ("Thứ Năm, ngày 20/1/2022 - 10:50", None, [("20/1/2022", D(2022, 1, 20), D(2022, 1, 20), "day", False, True)]),
    # A rule's issue date tells nothing of the meeting's year (the rule of 28/9/2022 is older than the
    # meeting): the year stays empty, and year_inferred says it was to be inferred.
    ("Sáng nay 7/9, Thường trực Thị ủy tổ chức giao ban, bám sát quy chế ban hành ngày 28/9/2022", None,
     [("7/9", None, None, "day", True, True),
      ("28/9/2022", D(2022, 9, 28), D(2022, 9, 28), "day", False, True)]),
    # A year-end review held in January is the next year's.
    ("hội nghị chiều 15/1 đọc báo cáo tổng kết năm 2014", None,
     [("15/1", D(2015, 1, 15), D(2015, 1, 15), "day", True, True), ("năm 2014", D(2014, 1, 1), D(2014, 12, 31), "year", False, True)]),
    # A term opened by the meeting ("hội nghị lần thứ nhất") gives its first year; a term merely named does not.
    ("Sáng 18/10, Ban chấp hành Đảng bộ Hà Tĩnh nhiệm kỳ 2015-2020 công bố kết quả hội nghị lần thứ nhất", None,
     [("18/10", D(2015, 10, 18), D(2015, 10, 18), "day", True, True),
      ("nhiệm kỳ 2015-2020", D(2015, 1, 1), D(2020, 12, 31), "range", False, True)]),
    ("Sáng 18/10, Ban chấp hành Đảng bộ nhiệm kỳ 2015-2020 công bố kết quả", None,
     [("18/10", None, None, "day", True, True),
      ("nhiệm kỳ 2015-2020", D(2015, 1, 1), D(2020, 12, 31), "range", False, True)]),
    ("Ông Lê Đình Sơn sinh ngày 06/10/1958. Sáng 18/10, Ban chấp hành họp", None,
     [("06/10/1958", D(1958, 10, 6), D(1958, 10, 6), "day", False, True), ("18/10", None, None, "day", True, True)]),
    ("sáng 14/12, Hội nghị khai mạc", D(2023, 12, 20), [("14/12", D(2023, 12, 14), D(2023, 12, 14), "day", True, True)]),
    ("ngày 28/12 vừa qua", D(2023, 1, 5), [("28/12", D(2022, 12, 28), D(2022, 12, 28), "day", True, True)]),
    ("tổ chức sinh hoạt định kỳ tháng 11/2023", None, [("tháng 11/2023", D(2023, 11, 1), D(2023, 11, 30), "month", False, True)]),
    ("Tại Hội nghị Ban chấp hành Đảng bộ tỉnh quý III/2021", None,
     [("quý III/2021", D(2021, 7, 1), D(2021, 9, 30), "quarter", False, True)]),
    ("nhiệm kỳ 2020 - 2025", None, [("nhiệm kỳ 2020 - 2025", D(2020, 1, 1), D(2025, 12, 31), "range", False, True)]),
    ("giai đoạn 2020-2025", None, [("giai đoạn 2020-2025", D(2020, 1, 1), D(2025, 12, 31), "range", False, True)]),
    ("8 tháng đầu năm 2022, dưới sự lãnh đạo", None, [("8 tháng đầu năm 2022", D(2022, 1, 1), D(2022, 8, 31), "range", False, True)]),
    ("Chương trình số 13-CTr/ĐUK ngày 17/4/20201 về", None, [("17/4/20201", None, None, "day", False, False)]),
    ("ngày 31/2/2021", None, [("31/2/2021", None, None, "day", False, False)]),
    ("thực hiên thắng lợi nhiệm vụ công tác tháng 11 và năm 2023Tiếp tục", D(2023, 11, 8),
     [("tháng 11", D(2023, 11, 1), D(2023, 11, 30), "month", True, True),
      ("năm 2023", D(2023, 1, 1), D(2023, 12, 31), "year", False, True)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "expected"), DATE_CASES, ids=[c[0][:30] for c in DATE_CASES])
def test_dates(text: str, published: dt.date | None, expected: list[tuple]) -> None:
    rows = _dates(text, published)
    found = [(r["text"], r["value"], r["value_end"], r["granularity"], r["year_inferred"], r["valid"]) for r in rows]
    assert found == expected
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"] and row["rule"].startswith("date.")


@pytest.mark.parametrize(
    "text",
    [
        "năm 2020 thực hiện đạt và vượt 8/8 chỉ tiêu",  # a ratio, not a date (only "năm 2020" is one)
        "giải quyết 75/75 TTHC, trong đó",
        "Ban Chấp hành Trung ương Đảng khóa XIII",  # an ordinal, not a year
        "theo Quyết định số 900-QĐ/ĐUK của Đảng ủy Khối",
        "Nghị định số 12/2023/NĐ-CP của Chính phủ",
        "xem tại https://tinhuy.travinh.gov.vn/tin/15/5/2023/hoi-nghi.html",
    ],
)
def test_no_date_in_ratios_ordinals_symbols_and_urls(text: str) -> None:
    assert [row["text"] for row in _dates(text) if row["text"] != "năm 2020"] == []


DOCUMENT_CASES = [
    # text, [(span text, symbol, number, type_code, doc_type, issuer_code, issuer, issued_date, title)]
    ('Toàn Đảng bộ đã triển khai Đề án số 16-ĐA/TU ngày 03/01/2020 của Ban Thường vụ Tỉnh ủy "về nâng cao chất '
     'lượng sinh hoạt chi bộ giai đoạn 2020-2025";',
     [("Đề án số 16-ĐA/TU", "16-ĐA/TU", "16", "ĐA", "Đề án", "TU", "Ban Thường vụ Tỉnh ủy", D(2020, 1, 3),
       "về nâng cao chất lượng sinh hoạt chi bộ giai đoạn 2020-2025")]),
    ("theo Quyết định số 900-QĐ/ĐUK ngày 06/7/2021 của Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh, Chi bộ",
     [("Quyết định số 900-QĐ/ĐUK", "900-QĐ/ĐUK", "900", "QĐ", "Quyết định", "ĐUK",
       "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh", D(2021, 7, 6), None)]),
    ('Quy định số 1968-QĐ/TU ngày 21/5/2019 của Tỉnh ủy về " Tiêu chí đánh giá chất lượng sinh hoạt chi bộ định kỳ".',
     [("Quy định số 1968-QĐ/TU", "1968-QĐ/TU", "1968", "QĐ", "Quy định", "TU", "Tỉnh ủy", D(2019, 5, 21),
       "Tiêu chí đánh giá chất lượng sinh hoạt chi bộ định kỳ")]),
    ("bám sát Quyết định số 46-QĐ/ThU, ngày 28/9/2022 về ban hành quy chế",
     [("Quyết định số 46-QĐ/ThU", "46-QĐ/ThU", "46", "QĐ", "Quyết định", "ThU", "Thị ủy", D(2022, 9, 28), None)]),
    ("trọng tâm là Chương trình số 13-CTr/ĐUK ngày 17/4/20201 về",  # the typo date is no issue date
     [("Chương trình số 13-CTr/ĐUK", "13-CTr/ĐUK", "13", "CTr", "Chương trình", "ĐUK", "Đảng ủy Khối", None, None)]),
    ("Ngoài thực hiện tốt Quy định 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị về một số vấn đề",
     [("Quy định 126-QĐ/TW", "126-QĐ/TW", "126", "QĐ", "Quy định", "TW", "Bộ Chính trị", D(2018, 2, 28), None)]),
    ("triển khai thực hiện có hiệu quả Kết luận số 01 của Bộ Chính trị và Kết luận số 21 của Ban Chấp hành Trung ương;",
     [("Kết luận số 01", None, "01", None, "Kết luận", None, "Bộ Chính trị", None, None),
      ("Kết luận số 21", None, "21", None, "Kết luận", None, "Ban Chấp hành Trung ương", None, None)]),
    ("theo Nghị định số 12/2023/NĐ-CP và Quyết định số 1234/QĐ-UBND của UBND tỉnh",
     [("Nghị định số 12/2023/NĐ-CP", "12/2023/NĐ-CP", "12", "NĐ", "Nghị định", "CP", "Chính phủ", None, None),
      ("Quyết định số 1234/QĐ-UBND", "1234/QĐ-UBND", "1234", "QĐ", "Quyết định", "UBND", "Ủy ban nhân dân tỉnh", None, None)]),
    ("Hướng dẫn số 05-HD/BTCTU ngày 09/11/2018 của Ban Tổ chức Tỉnh ủy",
     [("Hướng dẫn số 05-HD/BTCTU", "05-HD/BTCTU", "05", "HD", "Hướng dẫn", "BTCTU", "Ban Tổ chức Tỉnh ủy", D(2018, 11, 9), None)]),
    # A qualifier after the type word keeps the type (src_vietnews_085).
    ("Thực hiện có hiệu quả Chương trình phối hợp số 01 về giám sát và nâng cao hiệu quả việc giải quyết khiếu nại",
     [("Chương trình phối hợp số 01", None, "01", None, "Chương trình", None, None, None, None)]),
    # A central plenum's resolution named by its ordinal in words (src_baomoi_007).
    ('Đề án tổng kết 15 năm (2002 - 2017) thực hiện Nghị quyết Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng '
     'khóa IX "Về tiếp tục đổi mới cơ chế, chính sách"',
     [("Nghị quyết Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa IX", None, None, None, "Nghị quyết", None,
       "Ban Chấp hành Trung ương Đảng", None, "Về tiếp tục đổi mới cơ chế, chính sách")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), DOCUMENT_CASES, ids=[c[0][:30] for c in DOCUMENT_CASES])
def test_documents(text: str, expected: list[tuple]) -> None:
    rows = _documents(text)
    keys = ("text", "symbol", "number", "type_code", "doc_type", "issuer_code", "issuer", "issued_date", "title")
    assert [tuple(row[key] for key in keys) for row in rows] == expected
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"] and row["rule"].startswith("doc.")


NUMBERED_CASES = [
    # text, [(span text, rule, number)]: "số" before the number, or an issuer, date or subject after it.
    ("Kết luận số 01", [("Kết luận số 01", "doc.numbered", "01")]),
    ("Quán triệt Chỉ thị 56 của Bộ Chính trị và KẾT LUẬN số 12 về công tác cán bộ",
     [("Chỉ thị 56", "doc.numbered", "56"), ("KẾT LUẬN số 12", "doc.numbered", "12")]),
    # Two references far apart, with figures that are no document's between them.
    ("Nghị quyết liên tịch số 09 được ký năm 2019. " + "Năm 2020 có 45 chi bộ, 1.200 đảng viên. " * 6
     + "Kế hoạch 7 ngày 9/3/2021",
     [("Nghị quyết liên tịch số 09", "doc.numbered", "09"), ("Kế hoạch 7", "doc.numbered", "7")]),
    ("đã ban hành 3 nghị quyết 2 kế hoạch, Nghị quyết số 123456", []),  # a count, and six figures
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), NUMBERED_CASES, ids=[c[0][:30] for c in NUMBERED_CASES])
def test_numbered_documents(text: str, expected: list[tuple]) -> None:
    found = find_documents(text)
    assert [(text[m.start : m.end], m.rule, m.groups["number"]) for m in found] == expected


@pytest.mark.parametrize(
    "text",
    [
        "xem https://thanhuy.vn/van-ban/16-DA/TU.pdf để biết thêm",  # a symbol inside a URL
        "đạt và vượt 8/8 chỉ tiêu",
        "ngày 15/5/2023",
        # A programme of work without a number, and a plenum itself, are no documents (src_vietnews_085, _164).
        "Hội Luật gia Việt Nam xây dựng chương trình phối hợp công tác giữa Hội và các cơ quan",
        "Theo chương trình, Hội nghị lần thứ 9 Ban Chấp hành Trung ương Đảng Khóa XII làm việc trong hai ngày",
    ],
)
def test_no_document(text: str) -> None:
    assert _documents(text) == []


RATIO_CASES = [
    # text, [(span text, achieved, total, unit, qualifier, period)]
    ("Kết quả: năm 2020 thực hiện đạt và vượt 8/8 chỉ tiêu Nghị quyết đề ra (đối với Chi bộ) và thực hiện đạt "
     "07/07 chỉ tiêu đề ra, năm 2021 thực hiện đạt và vượt 09/09 chỉ tiêu",
     [("8/8 chỉ tiêu", 8, 8, "chỉ tiêu", "đạt và vượt", "năm 2020"),
      ("07/07 chỉ tiêu", 7, 7, "chỉ tiêu", "thực hiện đạt", "năm 2020"),
      ("09/09 chỉ tiêu", 9, 9, "chỉ tiêu", "đạt và vượt", "năm 2021")]),
    ("năm 2022 thực hiện đạt 06/07 chỉ tiêu Nghị quyết", [("06/07 chỉ tiêu", 6, 7, "chỉ tiêu", "thực hiện đạt", "năm 2022")]),
    ("giải quyết 75/75 TTHC, trong đó", [("75/75 TTHC", 75, 75, "TTHC", "giải quyết", None)]),
    ("kết quả: 221/221 chi bộ (gồm: 38 chi bộ cơ sở, 183 chi bộ trực thuộc 30/30 đảng ủy cơ sở)",
     [("221/221 chi bộ", 221, 221, "chi bộ", None, None), ("30/30 đảng ủy cơ sở", 30, 30, "đảng ủy cơ sở", None, None)]),
    ("trúng cử với 53/53 phiếu đồng ý", [("53/53 phiếu", 53, 53, "phiếu", None, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), RATIO_CASES, ids=[c[0][:30] for c in RATIO_CASES])
def test_ratios(text: str, expected: list[tuple]) -> None:
    rows = _ratios(text)
    keys = ("text", "achieved", "total", "unit", "qualifier", "period")
    assert [tuple(row[key] for key in keys) for row in rows] == expected
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]


@pytest.mark.parametrize(
    "text",
    [
        "Sáng nay 7/9, Thường trực Thị ủy",
        "ngày 15/5/2023",
        "Quyết định số 1234/QĐ-UBND",
        "Quyết định chủ trương cho chỉ định thầu 4/6 dự án xây dựng trụ sở",  # no target, vote or coverage
    ],
)
def test_no_ratio_in_dates_and_symbols(text: str) -> None:
    assert _ratios(text) == []


def test_text_without_facts_yields_nothing() -> None:
    text = "Các đồng chí đảng viên tích cực thảo luận, bày tỏ sự nhất trí với những kết quả."
    assert tag(text) == Tagged([], [], []) and _dates(text) == [] and _documents(text) == [] and _ratios(text) == []
