"""Every word of the tagger's vocabulary, alone and in a sentence, in every case form, goes through the whole
analysis without an exception and with offsets that hold: one word must never cost an article.

Generated from patterns/, so a new title, abbreviation, synonym or body head is covered the day it is added.
"""

from __future__ import annotations

import pytest

from pipeline.layout import Layout
from pipeline.page import analyse
from pipeline.patterns import load
from pipeline.validate import validate


def _vocabulary() -> list[str]:
    titles, orgs, persons = load("titles"), load("organizations"), load("persons")
    heads = [entry if isinstance(entry, str) else entry["head"] for entry in titles["heads"]]
    words = [*heads, *titles["abbreviations"], *titles["synonyms"], *orgs["heads"], *orgs["abbreviations"]]
    words += [*orgs["levels"], *persons["honorifics"]]
    return sorted(set(words))


def _forms(word: str) -> set[str]:
    return {word, word.lower(), word.upper(), word.title(), word[:1].upper() + word[1:].lower()}


SENTENCES = (
    "{w}",
    "Ông Nguyễn Văn An, {w} tỉnh Trà Vinh phát biểu tại hội nghị.",
    "{w} Nguyễn Văn An chủ trì hội nghị ngày 15/5/2023.",
    "Đồng chí Lê Thị Bình - {w} HĐND tỉnh, {w} UBND huyện.",
)


@pytest.mark.slow
@pytest.mark.parametrize("word", _vocabulary())
def test_every_vocabulary_word_in_every_case_form_is_analysed_without_error(word: str) -> None:
    for form in _forms(word):
        for sentence in SENTENCES:
            text = sentence.format(w=form)
            layout = Layout(text=text, title=None, site=None, author=None, published_date=None)
            facts = analyse("test", layout)
            _, errors = validate(facts, text, "test.txt")
            assert errors == [], (text, errors)


@pytest.mark.parametrize(
    ("text", "title_raw"),
    [
        ("ông Nguyễn Văn An, Ct UBND tỉnh phát biểu.", []),  # "ct" is no abbreviation: no title, no crash
        ("Các uv, bt và pct đều có mặt.", []),
        ("Đồng chí Nguyễn Văn An, UVBTV Tỉnh ủy phát biểu.", ["UVBTV Tỉnh ủy"]),
    ],
)
def test_abbreviations_match_only_as_written(text: str, title_raw: list[str]) -> None:
    facts = analyse("test", Layout(text=text, title=None, site=None, author=None, published_date=None))
    assert [role["raw"] for role in facts["roles"]] == title_raw
