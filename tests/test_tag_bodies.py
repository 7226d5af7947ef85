"""The tagger's public bodies API (`pipeline.tag.bodies`), which resolve uses for a document's issuer: a body's
whole name from where it starts, its kind, level and place, on sentences of the genre (../shared/seeds and corpus)."""

from __future__ import annotations

import pytest

from pipeline.tag.bodies import body_at, expand

_ORGANISERS = "Ngày 25/1/2022, Đảng ủy phường Bắc Hồng và UBND tỉnh Trà Vinh tổ chức hội nghị."
_CELL = "Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh tổ chức sinh hoạt chuyên đề."

# (text, where the body starts, name, expanded, kind, level, place, rule)
BODIES = [
    # a body with its level and place is complete: "và" starts the next one
    (_ORGANISERS, "Đảng ủy", "Đảng ủy phường Bắc Hồng", "Đảng ủy phường Bắc Hồng", "party", "commune", "Bắc Hồng",
     "doc.issuer:Đảng ủy"),
    (_ORGANISERS, "UBND", "UBND tỉnh Trà Vinh", "Ủy ban nhân dân tỉnh Trà Vinh", "state", "province", "Trà Vinh",
     "doc.issuer:Ủy ban nhân dân"),
    # "Đoàn ĐBQH và HĐND tỉnh" is one office of both: "và" joins it
    (_CELL, "Chi bộ", "Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh",
     "Chi bộ Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "party", "province", None,
     "doc.issuer:Chi bộ"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "at", "name", "expanded", "kind", "level", "place", "rule"), BODIES)
def test_body_at_reads_the_whole_name(
    text: str, at: str, name: str, expanded: str, kind: str, level: str, place: str | None, rule: str
) -> None:
    body = body_at(text, text.index(at), "doc.issuer")
    assert body is not None and text[body.start : body.end] == name
    assert (body.name, body.expanded, body.kind, body.level, body.place, body.rule) == (
        name, expanded, kind, level, place, rule
    )  # fmt: skip


@pytest.mark.parametrize("at", ["tổ chức hội nghị", "Ngày 25/1", "25/1/2022"])
def test_no_body_where_none_starts(at: str) -> None:
    assert body_at(_ORGANISERS, _ORGANISERS.index(at), "doc.issuer") is None


def test_expand_writes_out_abbreviations_only() -> None:
    assert expand("Đoàn ĐBQH và HĐND tỉnh") == "Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh"
    assert expand("Ban Tuyên giáo Tỉnh ủy") == "Ban Tuyên giáo Tỉnh ủy"


def test_what_a_name_goes_on_with_after_its_words_starts_uppercase() -> None:
    """_parse_body stops at once where no word of its lists stands and the next starts with no uppercase letter:
    a person's name, an acronym and a capitalised run (what it goes on with then) each start with one."""
    from pipeline.tag.bodies import _ACRONYM, _is_upper
    from pipeline.tag.lexicon import CAPITALISED, lexicon
    from pipeline.tag.names import name_at

    lex = lexicon()
    text = f"{_ORGANISERS} Tỉnh ủy Quảng Nam Phan Việt Cường, Sở GTVT tỉnh, LĐLĐ, (Nguyễn Văn An) 3 đ. Đỗ Hùng "
    starts = [offset for offset in range(len(text) + 1) if offset == 0 or text[offset - 1] in " (,"]
    found = 0
    for offset in starts:
        if _is_upper(text[offset : offset + 1]):
            found += bool(name_at(text, offset, lex) or _ACRONYM.match(text, offset) or CAPITALISED.match(text, offset))
        else:
            assert not (name_at(text, offset, lex) or _ACRONYM.match(text, offset) or CAPITALISED.match(text, offset))
    assert found > 5 and not _is_upper("") and not _is_upper("đ") and _is_upper("Đ")
