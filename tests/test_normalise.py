import unicodedata

import pytest

from pipeline.normalise import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đảng uỷ Khối các cơ quan", "Đảng ủy Khối các cơ quan"),
        ("cụ thể hoá các chủ trương", "cụ thể hóa các chủ trương"),
        ("Ban Chấp hành Đảng bộ Khối (khoá X)", "Ban Chấp hành Đảng bộ Khối (khóa X)"),
        ("Thanh Hoá tổ chức", "Thanh Hóa tổ chức"),
        ("sức khoẻ", "sức khỏe"),
        ("quý III/2021", "quý III/2021"),  # "qu" is one consonant: the tone stays on "y"
        ("hoàn thành", "hoàn thành"),  # a final consonant: nothing to move
        ("Huỳnh Văn", "Huỳnh Văn"),
        ("Tỉnh uỷ viên - Bí thư", "Tỉnh ủy viên - Bí thư"),
        ("“về nâng cao chất lượng”", '"về nâng cao chất lượng"'),
        ("nhiệm kỳ 2015 – 2017", "nhiệm kỳ 2015 - 2017"),
        ("Đang online:\u00a02", "Đang online: 2"),
        ("a  \t b \n\n\n\nc", "a b\n\nc"),
    ],
)
def test_normalise_spelling(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
    # A decomposed page (a combining mark after each letter) takes the other road to the same text.
    assert normalise(unicodedata.normalize("NFD", raw)) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Thanh Hoá\r\nsáng 9/6", "Thanh Hóa\nsáng 9/6"),
        ("khoẻ\u0308 mạnh", "khoẻ\u0308 mạnh"),  # a mark after the tone: not the end of the syllable
        ("Quý vị, QUÝ", "Quý vị, QUÝ"),
        ("THANH HOÁ, Đảng UỶ", "THANH HÓA, Đảng ỦY"),
        ("hoàng hoá\u00a0\u00a0 \n  \tthuý", "hoàng hóa\nthúy"),
        ("a\u200b\u2009b \x07c", "a b c"),
    ],
)
def test_tones_and_spaces_at_their_edges(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_decomposed_and_composed_text_normalise_alike() -> None:
    composed = "đồng chí Dương Thị Ngọc Thơ, Ủy viên Thường vụ"
    assert normalise(unicodedata.normalize("NFD", composed)) == normalise(composed) == composed


def test_normalise_is_idempotent(sample_layouts) -> None:
    for layout in sample_layouts.values():
        assert normalise(layout.text) == layout.text
