"""The event's date, end and attendees; a document's issue date across mentions; a ratio's kind.

Real sentences from party and council portals (issue 14 quotes them), shortened; each case gives the
exact values and the negative cases what must not be taken.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import find_dates, find_documents, find_ratios
from pipeline.layout import Layout
from pipeline.normalise import normalise
from pipeline.page import analyse
from pipeline.resolve import date_rows, document_rows, ratio_rows

D = dt.date


def _event(text: str, published: dt.date | None = None) -> dict | None:
    text = normalise(text)
    layout = Layout(text=text, title=None, site=None, author=None, published_date=published)
    events = analyse("a", layout)["events"]
    return events[0] if events else None


EVENT_DATES = [
    # text, published, (event_date, event_end)
    # A plan's date leads the sentence; the meeting is the day after it.
    ("Thực hiện Kế hoạch số 12-KH/ĐU ngày 15 tháng 3 năm 2021 của Đảng ủy, sáng 20/4/2021, Đảng ủy tổ chức hội "
     "nghị sơ kết công tác.", None, (D(2021, 4, 20), None)),
    # An anniversary bracket before the real date.
    ("Kỷ niệm 80 năm Cách mạng Tháng Tám và Quốc khánh (2.9.1945 - 2.9.2025), sáng 28.8, Đảng ủy phường tổ chức "
     "hội nghị gặp mặt.", None, (D(2025, 8, 28), None)),
    # A founding date in brackets is not the congress's day.
    ("Hội Luật gia tỉnh (thành lập ngày 4/4/1955) tổ chức Đại hội đại biểu lần thứ V vào sáng 12/9/2019.", None,
     (D(2019, 9, 12), None)),
    # A meeting of two days: first day and last.
    ("Trong hai ngày 25-26/12/2018, Hội nghị lần thứ 9 Ban Chấp hành Trung ương Đảng khóa XII họp tại Hà Nội.", None,
     (D(2018, 12, 25), D(2018, 12, 26))),
    ("Từ ngày 17 đến 19/10/2018, tại Hà Nội, Ủy ban Kiểm tra Trung ương đã họp kỳ 30.", None,
     (D(2018, 10, 17), D(2018, 10, 19))),
    # The opening day in the lead, the days of the session said at the end.
    ("Sáng 25/12, Hội nghị lần thứ 9 Ban Chấp hành Trung ương Đảng khóa XII đã khai mạc. Tại Hội nghị này, Trung "
     "ương cho ý kiến về quy hoạch. Theo chương trình, Hội nghị làm việc trong hai ngày 25-26/12.", D(2018, 12, 26),
     (D(2018, 12, 25), D(2018, 12, 26))),
    # "23/11" with a goal year in the text: the year is unknown, so is the day.
    ("Sáng 23/11, Ban Tuyên giáo tổ chức hội thảo về mục tiêu đến năm 2045 trở thành nước phát triển.", None,
     (None, None)),
    # The day the news came is not the meeting's (src_vietnews_167): the meeting was in March, on no day given.
    ("Ngày 4/4/2017, theo nguồn tin từ Đảng ủy khối các cơ quan Trung ương, tại Hội nghị Ban Thường vụ phiên "
     "thường kỳ tháng 3/2017, các Ủy viên Ban thường vụ Đảng ủy Khối đã xem xét, đề nghị thi hành kỷ luật đảng.",
     None, (None, None)),
    # ... but a day after the source is the meeting's (src_vietnews_073).
    ("Theo nguồn tin riêng của Tuổi Trẻ Online, sáng 29-9, Ban chấp hành Đảng bộ tỉnh Thanh Hóa đã họp, bỏ phiếu "
     "đề nghị mức kỷ luật đối với ông Ngô Văn Tuấn.", D(2017, 9, 30), (D(2017, 9, 29), None)),
    # "sơ kết 3 năm" of a 2020 resolution, on "Sáng 9/6": 2023.
    ("Sáng 9/6, Ban Thường vụ Huyện ủy tổ chức hội nghị sơ kết 3 năm thực hiện Nghị quyết số 05-NQ/HU ngày "
     "10/6/2020 của Huyện ủy.", None, (D(2023, 6, 9), None)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "expected"), EVENT_DATES, ids=[c[0][:30] for c in EVENT_DATES])
def test_event_date_and_end(text: str, published: dt.date | None, expected: tuple) -> None:
    event = _event(text, published)
    assert event is not None
    assert (event["event_date"], event["event_end"]) == expected


EVENT_TYPES = [
    # text, event_type (None: no event)
    # A ceremony announcing decisions, named by its verb (src_baomoi_033).
    ("Ngày 6/2/2018, Ban Tổ chức Thành ủy Đà Nẵng công bố các quyết định của Ban Thường vụ Thành ủy Đà Nẵng về "
     "điều động nhân sự.", "lễ công bố"),
    ("Sáng 1/7, ông Phạm Minh Chính - Trưởng ban Tổ chức Trung ương đã công bố quyết định của Bộ Chính trị, điều "
     "động bà Lê Thị Thủy.", "lễ công bố"),
    # The conference named first wins over the decision it announces (src_baomoi_027).
    ("Ngày 25.5, tại Văn phòng Tỉnh ủy Bình Định, Phó Thủ tướng Chính phủ Vương Đình Huệ đã dự hội nghị công bố "
     "quyết định kiểm tra công tác cán bộ tại Tỉnh ủy Bình Định.", "hội nghị"),
    # A disciplinary decision that is only cited reports no meeting (src_vietnews_069).
    ("Ủy ban Kiểm tra Trung ương đã thi hành kỷ luật về Đảng tại Quyết định số 940-QĐ/UBKTTW ngày 20/11/2018.", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), EVENT_TYPES, ids=[c[0][:30] for c in EVENT_TYPES])
def test_event_type(text: str, expected: str | None) -> None:
    event = _event(text)
    assert (event["event_type"] if event else None) == expected


def test_attendees_are_those_the_text_says_attended() -> None:
    text = (
        "Sáng 6/11/2018, tại Hà Nội, Đảng bộ Khối tổ chức lễ kỷ niệm 70 năm Ngày truyền thống. Ủy viên Bộ Chính "
        "trị, Thường trực Ban Bí thư Trần Quốc Vượng dự và phát biểu tại lễ kỷ niệm. Tham dự buổi lễ còn có "
        "nguyên Tổng Bí thư Lê Khả Phiêu. Đọc diễn văn tại lễ kỷ niệm, Bí thư Đảng ủy Khối Sơn Minh Thắng nêu rõ "
        "truyền thống. Ngày 7/11/1948, Chủ tịch Hồ Chí Minh ký sắc lệnh."
    )
    event = _event(text)
    assert event is not None
    assert event["event_type"] == "lễ kỷ niệm" and event["event_date"] == D(2018, 11, 6)
    assert event["attendees"] == ["Trần Quốc Vượng", "Lê Khả Phiêu"]


def test_chaired_is_not_attended() -> None:
    text = (
        "Ngày 14/1/2019, Ủy ban Kiểm tra Trung ương tiến hành Kỳ họp thứ 31. Đồng chí Trần Cẩm Tú, Chủ nhiệm Ủy "
        "ban Kiểm tra Trung ương chủ trì kỳ họp."
    )
    event = _event(text)
    assert event is not None
    assert (event["chaired_by"], event["attendees"]) == (["Trần Cẩm Tú"], [])


def test_chaired_by_a_person_named_soon_after_it() -> None:
    # Within 120 characters of "dưới sự chủ trì của": Lê Minh Châu, named further on, did not chair.
    text = (
        "Sáng 9/6/2023, Đảng ủy Khối tổ chức Hội nghị sơ kết dưới sự chủ trì của đồng chí Nguyễn Văn Hùng, Bí thư "
        "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh, Trưởng Ban Tổ chức Tỉnh ủy, cùng các đồng chí trong Ban "
        "Thường vụ và đồng chí Lê Minh Châu. Tham dự có đồng chí Trần Thị Hoa."
    )
    event = _event(text)
    assert event is not None
    assert (event["chaired_by"], event["attendees"]) == (["Nguyễn Văn Hùng"], ["Trần Thị Hoa"])


def _documents(text: str) -> list[tuple]:
    text = normalise(text)
    matches = find_documents(text)
    dates = date_rows("a", text, find_dates(text, [(m.start, m.end) for m in matches]), None)
    return [(row["symbol"], row["issued_date"]) for row in document_rows("a", text, matches, dates)]


DOCUMENT_DATES = [
    # The date stated at the second mention reaches the first.
    ("Quán triệt Chỉ thị số 05-CT/TW của Bộ Chính trị. Qua 5 năm thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016, "
     "nhận thức của cán bộ được nâng lên.", [("05-CT/TW", D(2016, 5, 15)), ("05-CT/TW", D(2016, 5, 15))]),
    # ... and to a later mention by type and number alone.
    ("Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị, sau 5 năm thực hiện Chỉ thị số 05, nhận thức "
     "được nâng lên.", [("05-CT/TW", D(2016, 5, 15)), (None, D(2016, 5, 15))]),
    # A date in words after the symbol.
    ("Thực hiện Kế hoạch số 12-KH/ĐU ngày 15 tháng 3 năm 2021 của Đảng ủy", [("12-KH/ĐU", D(2021, 3, 15))]),
    # A list of decisions signed on one day.
    ("Ngày 10/3/2023, Thủ tướng đã ký các quyết định công nhận thị xã đạt chuẩn nông thôn mới; cụ thể, Quyết định "
     "số 301/QĐ-TTg công nhận thị xã Duyên Hải, Quyết định số 302/QĐ-TTg công nhận huyện Cầu Kè.",
     [("301/QĐ-TTg", D(2023, 3, 10)), ("302/QĐ-TTg", D(2023, 3, 10))]),
    ("Ngày 7/11/1948, Ban Thường vụ Trung ương Cứu quốc Hội đã ban hành Chỉ thị số 35-CT/TW về việc thành lập "
     "Liên chi cơ quan Trung ương.", [("35-CT/TW", D(1948, 11, 7))]),
    # Not shared: two different dates for one symbol leave a third mention undated.
    ("Quyết định số 12/QĐ-UBND ngày 1/2/2020 và Quyết định số 12/QĐ-UBND ngày 3/4/2021; Quyết định số 12/QĐ-UBND.",
     [("12/QĐ-UBND", D(2020, 2, 1)), ("12/QĐ-UBND", D(2021, 4, 3)), ("12/QĐ-UBND", None)]),
    # Not listed: a day that opens another sentence, without a word of signing, dates nothing.
    ("Ngày 10/3/2023, Ban Thường vụ Tỉnh ủy họp. Quyết định số 301/QĐ-TTg được quán triệt.", [("301/QĐ-TTg", None)]),
    ("Ngày 10/3/2023, Ban Thường vụ Tỉnh ủy họp, quán triệt Quyết định số 301/QĐ-TTg.", [("301/QĐ-TTg", None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), DOCUMENT_DATES, ids=[c[0][:30] for c in DOCUMENT_DATES])
def test_document_issue_dates(text: str, expected: list[tuple]) -> None:
    assert _documents(text) == expected


def _ratios(text: str) -> list[tuple]:
    text = normalise(text)
    documents = find_documents(text)
    dates = find_dates(text, [(m.start, m.end) for m in documents])
    taken = [(m.start, m.end) for m in documents + dates]
    return [(r["text"], r["unit"], r["kind"]) for r in ratio_rows("a", text, find_ratios(text, taken))]


RATIO_KINDS = [
    ("Hội nghị có 45/51 Ủy viên Ban Chấp hành có mặt", [("45/51 Ủy viên Ban Chấp hành", "Ủy viên Ban Chấp hành", "attendance")]),
    ("Với 41/42 đại biểu HĐND có mặt đồng ý thông qua tờ trình", [("41/42 đại biểu", "đại biểu", "vote")]),
    ("ông được bầu giữ chức Bí thư với 46/47 phiếu bầu", [("46/47 phiếu bầu", "phiếu bầu", "vote")]),
    ("trúng cử với 53/53 phiếu đồng ý", [("53/53 phiếu", "phiếu", "vote")]),
    ("năm 2020 thực hiện đạt và vượt 8/8 chỉ tiêu Nghị quyết đề ra", [("8/8 chỉ tiêu", "chỉ tiêu", "target")]),
    ("trong tháng 11/2018, tất cả 116/116 địa phương, cơ quan, đơn vị đã triển khai", [("116/116 địa phương", "địa phương", "coverage")]),
    ("giải quyết 75/75 TTHC, trong đó", [("75/75 TTHC", "TTHC", "coverage")]),
    ("Hội nghị bầu 9/9 Phó Bí thư với số phiếu tuyệt đối", [("9/9 Phó Bí thư", "Phó Bí thư", "vote")]),
    ("30/31 tỉnh ủy viên có mặt tại hội nghị", [("30/31 tỉnh ủy viên", "tỉnh ủy viên", "attendance")]),
    ("Tham dự hội nghị có 19/25 Ủy viên Ban Thường vụ Trung ương Hội", [("19/25 Ủy viên Ban Thường vụ", "Ủy viên Ban Thường vụ", "attendance")]),
    ("đoàn kết nội bộ bị giảm sút. 5/7 ủy viên Ban Thường vụ Đảng ủy công ty này phải thi hành kỷ luật",
     [("5/7 ủy viên Ban Thường vụ", "ủy viên Ban Thường vụ", "other")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), RATIO_KINDS, ids=[c[0][:30] for c in RATIO_KINDS])
def test_ratio_kinds(text: str, expected: list[tuple]) -> None:
    assert _ratios(text) == expected
