"""The tagger's fast scans find what the plain patterns find: a trie-shaped alternation matches what the
alternation of the same words matches, and Words.scan (one index of where the literals that begin the lexicon's
patterns' matches begin a word) finds what finditer finds, on real sentences, in every case form, and where
casefolding changes the text's length (no index: the plain scan)."""

from __future__ import annotations

import pytest
import regex

from pipeline.patterns import alternation, load
from pipeline.tag.lexicon import CAPITALISED, WORD_END, WORD_START, Words, beginnings, first_words, lexicon, trie
from pipeline.tag.names import _runs_with_surname

SENTENCES = [
    "Sáng 15/5, đồng chí Nguyễn Văn An, Ủy viên Ban Thường vụ, Phó Chủ tịch Thường trực HĐND tỉnh chủ trì.",
    "Thượng tướng Trần Việt Tân, nguyên Thứ trưởng Bộ Công an và ông Lê Văn Bình - PBT Tỉnh ủy dự họp.",
    "Trưởng ban Ban Dân vận Tỉnh ủy Hà Giang, Bí thư Đảng ủy phường Bắc Hồng và UBND tỉnh phát biểu.",
    "Các đồng chí Ủy viên Bộ Chính trị: Phạm Minh Chính, Vương Đình Huệ; quyền Giám đốc Sở Y tế.",
    # A first word that begins a listed word elsewhere but not here ("Đảng ủy viên", "Đảng ủy Khối").
    "Đảng ủy viên Trần Văn Nam, nguyên Phó Bí thư Đảng ủy Khối các cơ quan, bộ trưởng, ông bà con.",
    # A listed word inside a longer one ("ủy" in "thủy", "ban" in "Kbang"), glued to a digit, a combining
    # mark after it, and words at the very start and end of the text: whole words only.
    "Thủy lợi Kbang ban2 Ban\u0301 Bí thư x_Ban Ban",
]
FORMS = [form for sentence in SENTENCES for form in (sentence, sentence.lower(), sentence.upper())]


def _word_lists() -> dict[str, list[str]]:
    titles, orgs, persons = load("titles"), load("organizations"), load("persons")
    heads = [entry if isinstance(entry, str) else entry["head"] for entry in titles["heads"]]
    return {
        "title heads": [*heads, *titles["synonyms"]],
        "ranks": titles["ranks"],
        "body heads": list(orgs["heads"]),
        "honorifics": persons["honorifics"],
    }


@pytest.mark.parametrize("name", list(_word_lists()))
def test_a_trie_matches_what_the_alternation_of_its_words_matches(name: str) -> None:
    words = _word_lists()[name]
    plain = regex.compile(rf"{WORD_START}(?i:{alternation(words)}){WORD_END}", regex.V1)
    shaped = regex.compile(rf"{WORD_START}(?i:{trie(words, fold=True)}){WORD_END}", regex.V1)
    texts = [*FORMS, *(f"x {word} y, {word.upper()}." for word in words)]
    for text in texts:
        expected = [match.span() for match in plain.finditer(text, overlapped=True)]
        assert [match.span() for match in shaped.finditer(text, overlapped=True)] == expected, text
        assert expected or text in FORMS  # every word of the list is found, in two case forms
    assert shaped.search("xông bàn phóng viên") is None  # words that hold or start like a word of the list


def test_the_longest_word_of_a_trie_wins() -> None:
    pattern = regex.compile(trie(["Bí thư", "Phó Bí thư", "Phó", "Bí thư Tỉnh ủy"]))
    assert pattern.match("Phó Bí thư Tỉnh ủy").group() == "Phó Bí thư"
    assert pattern.match("Bí thư Tỉnh ủy Hà Giang").group() == "Bí thư Tỉnh ủy"
    assert pattern.match("Bí thư Tỉnh").group() == "Bí thư"
    assert pattern.match("Chủ tịch") is None


@pytest.mark.parametrize("kind", ["head", "org_mention", "rank", "honorific"])
def test_words_scan_finds_what_finditer_finds(kind: str) -> None:
    lex = lexicon()
    pattern, firsts = getattr(lex, f"{kind}_pattern"), getattr(lex, f"{kind}_firsts")
    assert firsts  # the shortcut is on: every entry of these lists starts with a word
    found = 0
    for text in [*FORMS, *(f"ß {form}" for form in FORMS)]:  # "ß" folds to "ss": the plain scan
        expected = [match.span() for match in pattern.finditer(text)]
        assert [match.span() for match in Words(text, lex).scan(pattern, firsts)] == expected, text
        found += len(expected)
        position = len(text) // 2  # from a position on, as find_organizations searches
        expected = [match.span() for match in pattern.finditer(text, position)]
        assert [match.span() for match in Words(text, lex).scan(pattern, firsts, position)] == expected, text
        first = Words(text, lex).first(pattern, firsts, position)  # as find_organizations looks for the next one
        assert (first and first.span()) == (expected[0] if expected else None), text
    assert found


def test_words_scan_finds_nothing_where_no_word_of_the_lists_stands() -> None:
    lex = lexicon()
    text = "Hội nghị diễn ra trong hai ngày, với nhiều ý kiến tâm huyết."
    assert list(Words(text, lex).scan(lex.head_pattern, lex.head_firsts)) == []
    assert list(Words(text, lex).scan(lex.honorific_pattern, lex.honorific_firsts)) == []


def test_beginnings_are_the_literals_casefolded() -> None:
    literals = beginnings(["Đảng ủy viên", "Bí thư", "nguyên "], ["ĐBQH", "Đảng ủy"])
    assert literals == {"đảng ủy viên", "bí thư", "nguyên ", "đbqh", "đảng ủy"}
    assert beginnings(["Bí thư", "(Phó)"]) is None  # a literal that starts with no word: no shortcut
    assert first_words(["Đảng ủy viên", "Bí thư"], ["ĐBQH"]) == {"đảng", "bí", "đbqh"}


def test_words_scan_tries_only_where_a_literal_begins() -> None:
    lex = lexicon()
    tried: list[int] = []

    class Counting:
        def match(self, text: str, position: int) -> regex.Match[str] | None:
            tried.append(position)
            return lex.head_pattern.match(text, position)

    text = "Đảng ủy Khối các cơ quan tỉnh và Đảng ủy viên Trần Văn Nam dự."
    found = [match.group() for match in Words(text, lex).scan(Counting(), lex.head_firsts)]  # type: ignore[arg-type]
    assert found == ["Đảng ủy viên"]
    assert tried == [text.index("Đảng ủy viên")]  # "Đảng ủy Khối" begins no title's head: not tried


def test_the_conjunction_pattern_matches_where_the_text_begins_with_a_conjunction() -> None:
    lex = lexicon()
    for text in [*FORMS, "và", "Hà và Vân, vàng và bạc, và "]:
        matched = [offset for offset in range(len(text)) if lex.conjunction_pattern.match(text, offset)]
        assert matched == [offset for offset in range(len(text)) if text.startswith(lex.conjunctions, offset)]
    assert lex.conjunction_pattern.match("Hà và Vân", 3) and not lex.conjunction_pattern.match("vàng", 0)


def test_the_runs_with_a_surname_are_the_capitalised_runs_that_hold_one() -> None:
    lex = lexicon()
    texts = [
        *SENTENCES,
        # Two surnames in one run, a surname inside a longer word ("Hàng", "Maiz"), a surname glued after a
        # lowercase letter or a capital ("xLê", "TPLê"), after a digit, before a combining mark, at the text's
        # ends; a surname written lowercase is none.
        "Lê Kim Toàn và Hàng Mai Hà Nội xLê Văn A, TPLê Văn B 3Lê C Lê\u0301 D Maiz lê văn E Trần",
        "Nguyễn",
        "x " + "Ab " * 50 + "Lê Văn " + "Nguyễn " * 50 + "và Lê",  # long runs: each is read once, from its start
    ]
    found = 0
    for text in texts:
        expected = [
            match.start()
            for match in CAPITALISED.finditer(text)
            if not lex.surnames.isdisjoint(match.group().split(" "))
        ]
        assert list(_runs_with_surname(text, lex)) == expected, text
        found += len(expected)
    assert found >= 10
