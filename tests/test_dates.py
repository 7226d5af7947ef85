"""The "when": dot dates, ranges as one row, the year of a partial date and page date lines, on real forms.

Every sentence is a real one from a party or council portal (issue 14 quotes them), shortened where long.
Each case gives the exact rows; the negative cases say what must NOT become a date or a year.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import find_dates, find_documents
from pipeline.layout import split_page
from pipeline.normalise import normalise
from pipeline.resolve import date_rows

D = dt.date


def _dates(text: str, published: dt.date | None = None) -> list[dict]:
    text = normalise(text)
    documents = find_documents(text)
    return date_rows("a", text, find_dates(text, [(m.start, m.end) for m in documents]), published)


def _found(rows: list[dict]) -> list[tuple]:
    return [(r["text"], r["value"], r["value_end"], r["granularity"], r["rule"]) for r in rows]


DOT_CASES = [
    # text, published, [(span text, value, value_end, granularity, rule)]
    ("Sáng 15.3, Ban Thường vụ Tỉnh ủy họp", D(2021, 3, 16), [("15.3", D(2021, 3, 15), D(2021, 3, 15), "day", "date.day_partial_dot")]),
    ("Chiều 9.10, Hội đồng nhân dân tỉnh khai mạc kỳ họp", D(2023, 10, 10),
     [("9.10", D(2023, 10, 9), D(2023, 10, 9), "day", "date.day_partial_dot")]),
    ("ngày 3.2 là ngày thành lập Đảng", D(2020, 2, 5), [("3.2", D(2020, 2, 3), D(2020, 2, 3), "day", "date.day_partial_dot")]),
    # A day in words without its year is a day, not a month.
    ("Sáng ngày 15 tháng 3, Huyện ủy tổ chức hội nghị", D(2021, 3, 16),
     [("ngày 15 tháng 3", D(2021, 3, 15), D(2021, 3, 15), "day", "date.day_words_partial")]),
    ("Cách mạng Tháng Tám thành công, ngày 2.9.1945 Chủ tịch Hồ Chí Minh đọc Tuyên ngôn độc lập", None,
     [("2.9.1945", D(1945, 9, 2), D(1945, 9, 2), "day", "date.day")]),
    # A month and its year written with a dot (src_baomoi_027): one month, never a bare "tháng 6".
    ("của Ban Thường vụ Tỉnh ủy Bình Định từ tháng 6.2012 đến nay. Đoàn sẽ kiểm tra", None,
     [("tháng 6.2012", D(2012, 6, 1), D(2012, 6, 30), "month", "date.month")]),
    ("ông giữ chức Bí thư Huyện ủy từ tháng 6.2012 đến tháng 5.2015", None,
     [("tháng 6.2012 đến tháng 5.2015", D(2012, 6, 1), D(2015, 5, 31), "range", "date.range_months")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "expected"), DOT_CASES, ids=[c[0][:25] for c in DOT_CASES])
def test_dot_dates(text: str, published: dt.date | None, expected: list[tuple]) -> None:
    assert _found(_dates(text, published)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "tốc độ tăng trưởng đạt 7.1%, thu nhập tăng từ 1.5 đến 2.5 lần",  # decimals, not days
        "sáng 1.5 triệu lượt người truy cập",  # a figure after a day word, followed by its unit
        "Chỉ số PCI năm nay là 65.8 điểm",
    ],
)
def test_no_date_in_decimals(text: str) -> None:
    assert [row["text"] for row in _dates(text) if row["granularity"] != "year"] == []


RANGE_CASES = [
    # Every range is ONE row: its ends are never repeated as day rows.
    ("Từ ngày 03/4/2023 đến 28/5/2023, Ban Tuyên giáo tổ chức cuộc thi", None,
     [("03/4/2023 đến 28/5/2023", D(2023, 4, 3), D(2023, 5, 28), "range", "date.range_dates")]),
    ("Hội nghị diễn ra trong 2 ngày 17-18/7", D(2023, 7, 19), [("17-18/7", D(2023, 7, 17), D(2023, 7, 18), "range", "date.range_days")]),
    ("trong hai ngày 17 và 18/7, Hội đồng nhân dân tỉnh họp kỳ thứ 12", D(2023, 7, 19),
     [("17 và 18/7", D(2023, 7, 17), D(2023, 7, 18), "range", "date.range_days")]),
    ("Đại hội được tổ chức trong 2 ngày 6,7 tháng 11 năm 2019", None,
     [("6,7 tháng 11 năm 2019", D(2019, 11, 6), D(2019, 11, 7), "range", "date.range_days_words")]),
    ("Hội nghị lần thứ 4 Ban Chấp hành Trung ương diễn ra từ ngày 12 – 13/10/2021", None,
     [("12 - 13/10/2021", D(2021, 10, 12), D(2021, 10, 13), "range", "date.range_days")]),
    ("kỷ niệm 90 năm Ngày thành lập Đảng Cộng sản Việt Nam (3/2/1930 – 3/2/2020)", None,
     [("3/2/1930 - 3/2/2020", D(1930, 2, 3), D(2020, 2, 3), "range", "date.range_dates")]),
    ("Từ ngày 17 đến 19/10/2018, tại Hà Nội, Ủy ban Kiểm tra Trung ương đã họp kỳ 30", None,
     [("17 đến 19/10/2018", D(2018, 10, 17), D(2018, 10, 19), "range", "date.range_days")]),
    ("ông Cang được nghỉ phép 18 ngày, từ 17/12 đến 3/1/2019", None,
     [("17/12 đến 3/1/2019", D(2018, 12, 17), D(2019, 1, 3), "range", "date.range_day_months")]),
    ("chương trình làm việc toàn khóa, từ ngày 5-5 đến 10-5-2017, tại Thủ đô Hà Nội", None,
     [("5-5 đến 10-5-2017", D(2017, 5, 5), D(2017, 5, 10), "range", "date.range_day_months")]),
    ("Cơ quan kiểm tra nhận định, từ tháng 10/2010 đến 11/2015, với cương vị Bí thư Đảng ủy", None,
     [("tháng 10/2010 đến 11/2015", D(2010, 10, 1), D(2015, 11, 30), "range", "date.range_months")]),
    ("từ tháng 2-1995 đến tháng 9-1998, ông học cử nhân quản trị kinh doanh", None,
     [("tháng 2-1995 đến tháng 9-1998", D(1995, 2, 1), D(1998, 9, 30), "range", "date.range_months")]),
    ("Cuộc thi do Trung ương Đoàn phát động từ tháng 1 – 9/2019", None,
     [("tháng 1 - 9/2019", D(2019, 1, 1), D(2019, 9, 30), "range", "date.range_months_of_year")]),
    ("nơi ở và làm việc của lãnh tụ Hồ Chí Minh từ cuối tháng 5 đến 22/8/1945", None,
     [("tháng 5 đến 22/8/1945", D(1945, 5, 1), D(1945, 8, 22), "range", "date.range_month_day")]),
    ("(2.9.1945 - 2.9.2025), sáng 28.8, Đảng ủy phường tổ chức lễ kỷ niệm", None,
     [("2.9.1945 - 2.9.2025", D(1945, 9, 2), D(2025, 9, 2), "range", "date.range_dates"),
      ("28.8", D(2025, 8, 28), D(2025, 8, 28), "day", "date.day_partial_dot")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "expected"), RANGE_CASES, ids=[c[0][:25] for c in RANGE_CASES])
def test_ranges_are_one_row(text: str, published: dt.date | None, expected: list[tuple]) -> None:
    rows = _dates(text, published)
    assert _found(rows) == expected
    normalised = normalise(text)
    assert all(normalised[r["start"] : r["end"]] == r["text"] for r in rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A day date written with dashes is one day, not a range of two.
        ("Xe đăng ký ngày 2-2-2016 tại Phòng CSGT", [("2-2-2016", D(2016, 2, 2), D(2016, 2, 2), "day", "date.day")]),
        ("Ngày 25-01-2022, Chi bộ họp", [("25-01-2022", D(2022, 1, 25), D(2022, 1, 25), "day", "date.day")]),
        # A ratio is no range of days.
        (
            "năm 2020 thực hiện đạt và vượt 8/8 chỉ tiêu",
            [("năm 2020", D(2020, 1, 1), D(2020, 12, 31), "year", "date.year")],
        ),
    ],
)
def test_not_ranges(text: str, expected: list[tuple]) -> None:
    assert _found(_dates(text)) == expected


def _year(text: str, span: str, published: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    row = next(row for row in _dates(text, published) if row["text"] == span)
    assert row["year_inferred"]
    return row["value"], row["year_basis"]


YEAR_CASES = [
    # text, the partial date's span, published, (value, where its year came from)
    ("Sáng 9/5, Chi bộ tổ chức sinh hoạt định kỳ", "9/5", D(2024, 5, 11), (D(2024, 5, 9), "page_date")),
    ("trong hai ngày 30-31/3/2019, Thường trực Trung ương Hội đã tổ chức chương trình về nguồn. Trong khuôn khổ "
     "chương trình, chiều ngày 30 và cả ngày 31/3, đoàn đã dâng hương", "30 và cả ngày 31/3", None,
     (D(2019, 3, 30), "same_day")),
    ("Sáng 9/6, Ban Thường vụ Huyện ủy sơ kết 3 năm thực hiện Nghị quyết số 05-NQ/HU ngày 10/6/2020", "9/6", None,
     (D(2023, 6, 9), "review_years")),
    ("Chiều 28/12, Đảng ủy tổ chức hội nghị tổng kết công tác năm 2021", "28/12", None, (D(2021, 12, 28), "year_end_review")),
    ("Sáng 10/1, Đảng ủy tổ chức hội nghị tổng kết công tác năm 2021", "10/1", None, (D(2022, 1, 10), "year_end_review")),
    ("Trước đó, ngày 15 - 18/4/2017, Đoàn kiểm tra 469 đã làm việc với Ban Thường vụ Tỉnh ủy. Ngày 7/7, Đoàn kiểm tra "
     "công bố kết quả", "7/7", None, (D(2017, 7, 7), "nearby_date")),
    ("Sáng 6/11, tại Hà Nội, Đảng bộ Khối tổ chức kỷ niệm 70 năm Ngày truyền thống (7/11/1948-7/11/2018)", "6/11", None,
     (D(2018, 11, 6), "nearby_date")),
    ("Chiều 15-6, Tạp chí Xây dựng Đảng tổ chức gặp mặt, triển khai Giải Búa liềm vàng lần thứ hai năm 2017", "15-6", None,
     (D(2017, 6, 15), "sentence_year")),
    ("Ngày 08/6, tại Thanh Hóa, Chi đoàn Trung tâm đã tổ chức Đại hội Chi đoàn nhiệm kỳ 2017-2019", "08/6", None,
     (D(2017, 6, 8), "term_opening")),
    # Never a goal year, a plan's or a cited document's date, a founding date or a period "đến nay": empty.
    ("Sáng 23/11, hội thảo bàn về mục tiêu đến năm 2045 trở thành nước phát triển", "23/11", None, (None, "none")),
    ("Sáng 23/11, hội thảo bàn về mục tiêu trở thành nước phát triển, thu nhập cao vào năm 2045", "23/11", None,
     (None, "none")),
    ("Thực hiện Kế hoạch số 12-KH/ĐU ngày 15 tháng 3 năm 2021 của Đảng ủy, sáng 20/4, Đảng ủy tổ chức hội nghị",
     "20/4", None, (None, "none")),
    ("Ngày 20/3, Chi bộ họp triển khai Kế hoạch số 45-KH/TU ngày 12/10/2016 của Tỉnh ủy", "20/3", None, (None, "none")),
    ("Hội được thành lập ngày 4/4/1955. Sáng 3/4, Hội tổ chức gặp mặt", "3/4", None, (None, "none")),
    ("Giám đốc Sở Xây dựng (từ tháng 12/2015 đến nay). Trong hai ngày 12-13/12, Ủy ban Kiểm tra Trung ương đã họp",
     "12-13/12", None, (None, "none")),
    # A party membership's start and a period's start are not the news ("30 năm tuổi Đảng" is 30 years on).
    ("Đồng chí sinh ngày 06/10/1958, vào Đảng ngày 16/2/1987, ngày chính thức 16/2/1988. Chiều 10/2, Đảng bộ "
     "trao Huy hiệu 30 năm tuổi Đảng", "10/2", None, (None, "none")),
    ("Từ tháng 7/2008, ông chuyển ngành. Chiều ngày 23/9, tại Đại hội Đảng bộ tỉnh Ninh Bình, bà Thanh tái đắc cử",
     "23/9", None, (None, "none")),
    # A review of N years in another sentence says nothing of this one.
    ("Hội nghị sẽ tổng kết 10 năm thực hiện Nghị quyết số 24-NQ/TW ngày 3/6/2020. Sáng 2/10, Hội nghị Trung ương 8 "
     "khai mạc", "2/10", None, (None, "none")),
    # The anniversary's day: founding year + N, not the founding year ("TP." ends no sentence).
    ("Ngày 1/7, tại TP. Đồng Hới, diễn ra Lễ kỷ niệm 30 năm ngày tái lập tỉnh Quảng Bình. Sau 13 năm hợp nhất, ngày "
     "1/7/1989 tỉnh Quảng Bình được trở về với địa giới hành chính", "1/7", None, (D(2019, 7, 1), "same_day")),
    # dev_untuned_7: a deadline, a cited conclusion's date and a period running "đến nay" tell no year; nor does
    # a term the meeting does not open, or a goal year in another sentence.
    ("Kết luận số 24-KL/TW ngày 5.6.2012 của Bộ Chính trị của Ban Thường vụ Tỉnh ủy từ tháng 6.2012 đến nay. Theo "
     "kế hoạch, Đoàn sẽ hoàn thành công tác kiểm tra, báo cáo Bộ Chính trị trước ngày 30.6", "30.6", None,
     (None, "none")),
    ("Ngày 27/3, HĐND tỉnh khóa XVIII, nhiệm kỳ 2016-2021 tổ chức kỳ họp bất thường để bầu chức vụ Chủ tịch HĐND "
     "tỉnh", "27/3", None, (None, "none")),
    ("Ngày 23/11, Ban Bí thư Trung ương Đảng tổ chức Hội nghị cán bộ toàn quốc. Trung ương đã thông qua Nghị quyết "
     "về Chiến lược phát triển bền vững kinh tế biển Việt Nam đến năm 2030, tầm nhìn đến năm 2045", "23/11", None,
     (None, "none")),
    # A full date far from the partial one says nothing of its year.
    ("ngày 18/4/2014, Giám đốc Sở bổ nhiệm bà Quỳnh Anh. Ngày 29/9, Ban chấp hành Đảng bộ tỉnh đã bỏ phiếu", "29/9", None,
     (None, "none")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "span", "published", "expected"), YEAR_CASES, ids=[c[1] + c[0][:20] for c in YEAR_CASES]
)
def test_year_of_a_partial_date(text: str, span: str, published: dt.date | None, expected: tuple) -> None:
    assert _year(text, span, published) == expected


def test_a_day_written_twice_shares_its_year() -> None:
    text = (
        "Sáng 14/10, Đại hội Đảng bộ tỉnh Quảng Ninh bầu Ban Chấp hành nhiệm kỳ 2015-2020. Chiều 14/10, Đại hội bế mạc"
    )
    assert [(r["text"], r["value"]) for r in _dates(text) if r["year_inferred"]] == [
        ("14/10", D(2015, 10, 14)),
        ("14/10", D(2015, 10, 14)),
    ]


def test_full_dates_are_not_inferred() -> None:
    rows = _dates("Ngày 15/5/2023, tháng 11/2023 và quý III/2021")
    assert [(r["year_inferred"], r["year_basis"]) for r in rows] == [(False, None)] * 3


PAGE_DATE_LINES = [
    # A page's date line: read into published_date and taken out of the text.
    ("Tiêu đề bài viết\nCập nhật ngày: 11/05/2024 09:30\nSáng 9/5, Chi bộ họp.", D(2024, 5, 11)),
    ("Tiêu đề bài viết\nThứ Hai, 14/11/2022 - 08:05\nSáng 9/5, Chi bộ họp.", D(2022, 11, 14)),
    ("Tiêu đề bài viết\nThứ hai, 14/11/2022, 08:05 (GMT+7)\nSáng 9/5, Chi bộ họp.", D(2022, 11, 14)),
    ("Tiêu đề bài viết\nSáng 9/5, Chi bộ họp.\nTrong buổi sinh hoạt, đảng viên thảo luận.\nNgày đăng: 02/03/2021",
     D(2021, 3, 2)),
    ("Tiêu đề bài viết\nNgày cập nhật: 15.3.2021 - 10:20\nSáng 9/5, Chi bộ họp.", D(2021, 3, 15)),
    ("Tiêu đề bài viết\nĐăng lúc: 08:05 14/11/2022\nSáng 9/5, Chi bộ họp.", D(2022, 11, 14)),
    ("Tiêu đề bài viết\nThứ Năm, ngày 20/1/2022 - 10:50 Đã xem: 925\nSáng 9/5, Chi bộ họp.", D(2022, 1, 20)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("page", "published"), PAGE_DATE_LINES, ids=[p[0].split("\n")[1][:20] for p in PAGE_DATE_LINES]
)
def test_page_date_lines(page: str, published: dt.date) -> None:
    layout = split_page(normalise(page))
    assert layout.published_date == published
    assert "Sáng 9/5, Chi bộ họp." in layout.text
    assert page.split("\n")[1 if "Ngày đăng" not in page else -1] not in layout.text


@pytest.mark.parametrize(
    "page",
    [
        # A sentence that starts like a label is the article's, not a date line.
        "Tiêu đề bài viết\nCập nhật ngày 11/05/2024, Ban Thường vụ đã ban hành kế hoạch.\nNội dung.",
        "Tiêu đề bài viết\nNội dung bài viết.\nNgày đăng ký dự thi: 02/03/2021 đến 10/3/2021",
    ],
)
def test_no_page_date_from_sentences(page: str) -> None:
    layout = split_page(normalise(page))
    assert layout.published_date is None
    assert page.split("\n")[1 if "Cập nhật" in page else 2] in layout.text
