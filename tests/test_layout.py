import datetime as dt

import pytest

from pipeline.layout import split_page
from pipeline.normalise import normalise

# The headline, publication date and author each sample's page states (None where it states none).
EXPECTED = {
    "000": (
        "Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh sơ kết thực hiện Nghị quyết Đại hội Chi bộ giữa nhiệm kỳ 2020 - 2025",
        None,
        "Thúy Oanh",
    ),
    "001": (
        "Nâng cao chất lượng sinh hoạt chi bộ định kỳ tạo sự chuyển biến rõ nét trong công tác xây dựng đảng"
        " tại chi bộ văn phòng",
        None,
        "Hoàng Thị Hạnh",
    ),
    "002": ("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh: Một năm nỗ lực, đổi mới", dt.date(2022, 1, 20), "ĐUK"),
    "003": (
        "Hội nghị tổng kết công tác xây dựng Đảng năm 2021 và triển khai phương hướng, nhiệm vụ năm 2022",
        dt.date(2022, 1, 25),
        "Nguyễn Bảo",
    ),
    "004": (None, None, None),  # the page starts with its lead sentence: it has no headline
}

FURNITURE = ["Tin khác", "Thống kê", "Đang online", "Đã xem", "Quang cảnh hội nghị", "Toàn cảnh Hội nghị",
             "1.png", "CÁC TIN ĐÃ ĐĂNG", "Mã xác thực", "Xem chi tiết tin", "Truy cập", "Liên kết website"]  # fmt: skip


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_samples_title_date_and_author(sample_layouts, number: str) -> None:
    layout = sample_layouts[number]
    assert (layout.title, layout.published_date, layout.author) == EXPECTED[number]


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_no_furniture_reaches_the_text(sample_layouts, number: str) -> None:
    text = sample_layouts[number].text
    assert [word for word in FURNITURE if word in text] == []


def test_site_line_gives_the_site_and_captions_naming_people_stay(sample_layouts) -> None:
    assert sample_layouts["003"].site == "ĐOÀN ĐBQH VÀ HĐND TỈNH HẬU GIANG - ĐẠI BIỂU NHÂN DÂN TỈNH HẬU GIANG"
    assert "Đồng chí Kim Vui, Bí thư Chi bộ phát biểu tại Hội nghị" in sample_layouts["000"].text


def test_body_ends_at_the_byline_and_keeps_it(sample_layouts) -> None:
    assert sample_layouts["000"].text.endswith("đã đề ra;…\n\nTin, ảnh Thúy Oanh")
    assert sample_layouts["004"].text.endswith("các nhiệm vụ chính trị của địa phương./.")


def test_a_page_of_furniture_only_leaves_no_text() -> None:
    layout = split_page(normalise("Xem chi tiết tin - CỔNG THÔNG TIN\nThống kê truy cập\nĐang online: 2"))
    assert layout.text == ""
    assert layout.site == "CỔNG THÔNG TIN"


# A related-news box or a pager printed above the article (scraped pages put sidebars first): the line goes,
# the article stays; the same line below the article ends it.
ARTICLE = (
    "Chi bộ 1 tổ chức sinh hoạt chuyên đề\n\n"
    "Sáng 22.4, Chi bộ 1 tổ chức sinh hoạt chuyên đề quý II.\n"
    "Đồng chí Kim Vui, Bí thư Chi bộ chủ trì."
)


@pytest.mark.parametrize("above", ["Tin liên quan", "Các tin khác:", "Tổng số: 288 | Trang: 1 trên tổng số 29 trang"])
def test_a_trailer_above_the_article_leaves_the_article(above: str) -> None:
    assert split_page(normalise(f"{above}\n{ARTICLE}")).text == ARTICLE
    assert split_page(normalise(f"{ARTICLE}\n{above}\nHội nghị khác trong tỉnh")).text == ARTICLE


# A CMS export of a provincial page, with the leftovers issue 15 lists: picture placeholders, a table, a
# source tag before the lead and before a later paragraph. (Lead from src_vietnews_150.)
CMS_PAGE = """Quảng Ninh có hai tân Phó bí thư Tỉnh uỷ

(tinhuy.gov.vn) - Ngày 29/11, Ban chấp hành đảng bộ tỉnh Quảng Ninh tổ chức hội nghị lần thứ 30.
[img]
| STT | Họ và tên | Chức vụ |
|---|---|---|
| 1 | Nguyễn Xuân Ký | Phó Bí thư |
Web.TW: Ban Thường vụ Tỉnh ủy đã bỏ phiếu bầu bổ sung.
(TV) - Hội nghị thống nhất cao.
"""


def test_cms_leftovers_leave_the_text() -> None:
    layout = split_page(normalise(CMS_PAGE))
    assert layout.text == (
        "Quảng Ninh có hai tân Phó bí thư Tỉnh ủy\n\n"
        "Ngày 29/11, Ban chấp hành đảng bộ tỉnh Quảng Ninh tổ chức hội nghị lần thứ 30.\n\n"
        "Ban Thường vụ Tỉnh ủy đã bỏ phiếu bầu bổ sung.\n"
        "Hội nghị thống nhất cao."
    )


@pytest.mark.parametrize(
    ("last_line", "author"),
    [
        ("Tác giả: Minh Châu", "Minh Châu"),  # the prefix is not the author's
        ("Theo Báo Hà Tĩnh online", None),  # a source, not an author
        ("Nguồn: TTXVN", None),
        ("Theo Dangcongsan.vn", None),
        ("Tin, ảnh Thúy Oanh", "Thúy Oanh"),
        ("Theo Nguyễn Văn An", "Nguyễn Văn An"),  # "Theo" before a person still names the author
        ("Nguồn: Internet ngày 12/3/2023", None),  # issue 15: "Internet ngày" was stored as a name
        ("Minh Châu (tổng hợp)", "Minh Châu"),  # what the author did, in brackets
        ("Thu Hà (Theo Báo Hà Tĩnh online)", "Thu Hà"),  # the author, then the source
        ("Mai Ngoan (TTXVN)", "Mai Ngoan"),
        ("Các đại biểu biểu quyết thông qua (ảnh)", None),  # a caption, not a byline
    ],
)
def test_byline_names_the_author_and_a_source_credit_none(last_line: str, author: str | None) -> None:
    page = f"Hội nghị sơ kết giữa nhiệm kỳ\n\nChi bộ tổ chức hội nghị.\n\nCác đảng viên thảo luận.\n\n{last_line}"
    assert split_page(normalise(page)).author == author
