import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from underthesea import sent_tokenize

from pipeline import segment
from pipeline.segment import sentences, tokens

TEXT = (
    "Tham dự hội nghị có đồng chí Dương Thị Ngọc Thơ, Ủy viên Thường vụ. Đồng chí Kim Vui phát biểu.\n\n"
    "Theo Quyết định số 900-QĐ/ĐUK ngày 06/7/2021 của Đảng ủy Khối."
)


def test_sentences_are_offsets_into_the_text() -> None:
    found = [TEXT[span.start : span.end] for span in sentences(TEXT)]
    assert found == [
        "Tham dự hội nghị có đồng chí Dương Thị Ngọc Thơ, Ủy viên Thường vụ.",
        "Đồng chí Kim Vui phát biểu.",
        "Theo Quyết định số 900-QĐ/ĐUK ngày 06/7/2021 của Đảng ủy Khối.",
    ]


def test_sentences_cover_every_sample_paragraph(sample_layouts) -> None:
    for layout in sample_layouts.values():
        spans = sentences(layout.text)
        assert all(layout.text[span.start : span.end].strip() for span in spans)
        assert [span.start for span in spans] == sorted(span.start for span in spans)
        covered = sum(span.end - span.start for span in spans)
        assert covered >= 0.98 * len(layout.text.replace("\n", ""))


def test_tokens_keep_codes_and_dates_whole() -> None:
    found = [TEXT[span.start : span.end] for span in tokens(TEXT, TEXT.index("Theo"))]
    assert found[:6] == ["Theo", "Quyết", "định", "số", "900-QĐ/ĐUK", "ngày"]
    assert "06/7/2021" in found


# Real paragraph forms where underthesea's rules decide: abbreviations ("TP.", "Th.S"), numbers with dots,
# ellipses before lower and upper case, marks in a row, a date with dots, tabs and "\r".
UNDERTHESEA_FORMS = [
    "Sáng 22.4, Tỉnh ủy tổ chức hội nghị. Đồng chí Nguyễn Văn An chủ trì.",
    "Đoàn công tác của TP. Hồ Chí Minh do Th.S Lê Văn Hùng dẫn đầu. Tổng vốn 1.500.000 đồng.",
    "Các chỉ tiêu... đều đạt. Nhiều việc còn dang dở... Năm tới phải làm tốt hơn...",
    "Vì sao?! Bởi chưa quyết liệt!! Ý kiến khác?.. Không.",
    "Cập nhật ngày: 23/04/2025 08:15.\tTác giả: Minh Anh.\r",
    "Theo Báo Bình Định. [img]",
    "Đ/c Trần Thị Hoa, Bí thư Chi bộ 1. Ông A. Nguyễn, Ts. Lê B. phát biểu...",
    "   ",
    ".",
    "...",
    "a.b.c. D.",
]


@pytest.mark.parametrize("paragraph", UNDERTHESEA_FORMS)
def test_sentences_are_underthesea_sentences(paragraph: str) -> None:
    assert [paragraph[s.start : s.end] for s in sentences(paragraph)] == sent_tokenize(paragraph)


def test_sample_sentences_are_underthesea_sentences(sample_layouts) -> None:
    for layout in sample_layouts.values():
        paragraphs = layout.text.split("\n")
        expected = [sentence for paragraph in paragraphs for sentence in sent_tokenize(paragraph)]
        assert [layout.text[s.start : s.end] for s in sentences(layout.text)] == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \t\r.?!…1 9aAbĐđTtPpHhSs", max_size=60))
def test_any_paragraph_splits_as_underthesea_splits_it(paragraph: str) -> None:
    assert [paragraph[s.start : s.end] for s in sentences(paragraph)] == sent_tokenize(paragraph)


class _CountingText(str):
    """A text that counts how many of its characters are read one by one."""

    reads = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        _CountingText.reads += 1
        return str.__getitem__(self, key)


def test_a_long_run_of_dotted_letters_is_read_in_linear_time() -> None:
    # "a.a.a.…": underthesea reads the whole run back at every "." (quadratic); the word before a "." is
    # read no further back than the longest abbreviation, and the sentences stay underthesea's.
    paragraph = "Bí thư. " + "a." * 2000 + " Xong."
    _CountingText.reads = 0
    pieces = list(segment._pieces(_CountingText(paragraph)))  # the walk over one paragraph
    assert _CountingText.reads < 100 * len(paragraph)
    assert len(pieces) == len(sent_tokenize(paragraph)) + 1  # and the rest after the last mark
    assert [paragraph[s.start : s.end] for s in sentences(paragraph)] == sent_tokenize(paragraph)
