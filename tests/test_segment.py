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
