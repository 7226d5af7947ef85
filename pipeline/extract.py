"""Stage 5: dates, document references and ratios, each by named patterns kept in patterns/.

Every match carries the name of the pattern that made it and its offsets. Documents are matched first,
then dates outside them, then ratios outside both, so "8/8" is never a date and "16-ĐA/TU" never a ratio.
Values are worked out in pipeline.resolve, which knows the article's context (its year, its bodies).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import regex

from pipeline.deadline import checkpoint
from pipeline.patterns import alternation, load
from pipeline.spans import Taken

_URL_TOKEN = regex.compile(r"\S*(?:://|www\.)\S*")


@dataclass(frozen=True)
class Match:
    """A span of the text and the named groups of the pattern (`rule`) that matched it."""

    start: int
    end: int
    rule: str
    groups: dict[str, str]


@dataclass(frozen=True)
class _Patterns:
    dates: list[tuple[str, regex.Pattern[str]]]
    documents: list[tuple[str, regex.Pattern[str]]]
    unnumbered: list[tuple[str, regex.Pattern[str]]]
    doc_type_before: regex.Pattern[str]
    numbered: regex.Pattern[str]
    numbered_digit: regex.Pattern[str]  # the first figure of each `numbered` match, found fast
    numbered_reach: tuple[int, int]  # how far before that figure a `numbered` match may start, and after it read
    ratio: regex.Pattern[str]
    unit: regex.Pattern[str]
    units: frozenset[str]
    qualifier: regex.Pattern[str]


_EDGE_START = r"(?<![\p{L}\p{N}/.-])"
_EDGE_END = r"(?![\p{L}\p{N}])"


def _named(
    entries: list[dict[str, str]], flags: int = 0, edge_end: str = _EDGE_END, edge_start: str = _EDGE_START
) -> list[tuple[str, regex.Pattern[str]]]:
    return [(entry["name"], regex.compile(edge_start + entry["regex"] + edge_end, flags)) for entry in entries]


@cache
def patterns() -> _Patterns:
    dates, documents, ratios = load("dates"), load("documents"), load("ratios")
    doc_types = alternation(documents["doc_types"])
    qualifiers = alternation(documents["type_qualifiers"])  # "Chương trình phối hợp số 01"
    number = alternation(documents["number_words"])
    # The type word (any case) and its qualifier, before a document's number or symbol.
    type_head = rf"(?P<doc_type>(?i:{doc_types}))(?: (?i:{qualifiers}))?"
    longest = {key: max(map(len, documents[key])) for key in ("doc_types", "type_qualifiers", "number_words")}
    # "45/51 Ủy viên Ban Chấp hành": the title heads of patterns/titles.yaml count people, so they are units.
    heads = [head if isinstance(head, str) else head["head"] for head in load("titles")["heads"]]
    units = [*ratios["units"], *heads]
    return _Patterns(
        # Pages glue sentences ("năm 2023Tiếp tục"): a date may be followed by a letter, never by a figure.
        # "(14/6/1957-14/6/2017)": a date may follow a dash, where a range of two dates is written.
        dates=_named(
            dates["patterns"],
            regex.IGNORECASE,
            edge_end=r"(?!\p{N})",
            edge_start=r"(?<![\p{L}\p{N}/.])",
        ),
        documents=_named(documents["patterns"]),
        unnumbered=_named(documents["unnumbered"]),
        # "Đề án số 16-ĐA/TU", "Quy định 126-QĐ/TW", "Chỉ thị số 05": the type word before the symbol
        doc_type_before=regex.compile(rf"{type_head}(?: (?:{number}))? ?$"),
        # "Kết luận số 01", or "Chỉ thị 56 của Bộ Chính trị" (no "số": only when its issuer, date or subject follows)
        numbered=regex.compile(
            rf"{type_head}(?: (?:{number}) (?P<number>\d{{1,5}})(?![\d/-])"
            rf"| (?P<bare>\d{{1,5}})(?= (?:{alternation(documents['after_bare_number'])})))"
        ),
        # Read backwards from a figure, the type word is found in a fraction of the time a scan for it takes.
        numbered_digit=regex.compile(rf"(?<={type_head}(?: (?:{number}))? )\d"),
        # "Chương trình hành động phối hợp số " before the figure; "12345 " and a word of after_bare_number after it.
        numbered_reach=(sum(longest.values()) + 3, 6 + max(map(len, documents["after_bare_number"])) + 1),
        ratio=regex.compile(ratios["regex"]),
        unit=regex.compile(
            rf" ?(?P<unit>(?i:{alternation(units)})(?![\p{{L}}])|\p{{Lu}}{{2,}}|\p{{Ll}}+(?: \p{{Ll}}+)?)"
        ),
        units=frozenset(unit.casefold() for unit in units),
        qualifier=regex.compile(rf"(?P<qualifier>{alternation(ratios['qualifiers'])}) $", regex.IGNORECASE),
    )


def _in_url(text: str, start: int) -> bool:
    line_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    token = _URL_TOKEN.match(text, line_start)
    return bool(token and token.end() >= start)


def _finditer_near(
    pattern: regex.Pattern[str], text: str, anchors: list[int], before: int, after: int
) -> Iterator[regex.Match[str]]:
    """PATTERN.finditer(TEXT), for a pattern whose every match starts at most BEFORE characters before one
    of ANCHORS and is decided by the text up to AFTER characters after it: only the stretches around the
    anchors are scanned (merged where they meet, so no match is cut or made up at a stretch's end)."""
    stretches: list[list[int]] = []
    for anchor in anchors:
        if stretches and anchor - before <= stretches[-1][1]:
            stretches[-1][1] = anchor + after
        else:
            stretches.append([max(0, anchor - before), anchor + after])
    cursor = 0
    for start, end in stretches:
        for match in pattern.finditer(text, max(start, cursor), min(end, len(text))):
            cursor = match.end()
            yield match


def find_documents(text: str) -> list[Match]:
    """Document references: the type word (when written) through the symbol, or "Kết luận số 01"."""
    compiled = patterns()
    found: list[Match] = []
    taken = Taken()
    for rule, pattern in compiled.documents:
        for match in pattern.finditer(text):
            checkpoint()
            if taken.overlaps(*match.span()) or _in_url(text, match.start()):
                continue
            groups = {key: value for key, value in match.groupdict().items() if value}
            groups["symbol"] = match.group().replace(" ", "")
            start = match.start()
            if before := compiled.doc_type_before.search(text, max(0, start - 40), start):
                groups["doc_type"] = before["doc_type"]
                start = before.start()
            if taken.take(start, match.end()):
                found.append(Match(start, match.end(), rule, groups))
    figures = [figure.start() for figure in compiled.numbered_digit.finditer(text)]
    for match in _finditer_near(compiled.numbered, text, figures, *compiled.numbered_reach):
        if taken.take(*match.span()):
            groups = {"doc_type": match["doc_type"], "number": match["number"] or match["bare"]}
            found.append(Match(match.start(), match.end(), "doc.numbered", groups))
    for rule, pattern in compiled.unnumbered:
        for match in pattern.finditer(text):
            checkpoint()
            if taken.take(*match.span()):
                found.append(Match(match.start(), match.end(), rule, match.groupdict()))
    return sorted(found, key=lambda m: m.start)


def find_dates(text: str, taken: list[tuple[int, int]] = ()) -> list[Match]:  # type: ignore[assignment]
    """Date mentions outside TAKEN spans, by the first pattern that matches each stretch of text."""
    occupied = Taken(list(taken))
    found: list[Match] = []
    for rule, pattern in patterns().dates:
        for match in pattern.finditer(text):
            checkpoint()
            if not _in_url(text, match.start()) and occupied.take(*match.span()):
                found.append(Match(match.start(), match.end(), rule, {k: v for k, v in match.groupdict().items() if v}))
    return sorted(found, key=lambda m: m.start)


def find_ratios(text: str, taken: list[tuple[int, int]] = ()) -> list[Match]:  # type: ignore[assignment]
    """ "8/8 chỉ tiêu": a pair of figures with its unit, said of a target (a qualifier before or a known unit)."""
    compiled = patterns()
    found: list[Match] = []
    occupied = Taken(list(taken))
    for match in compiled.ratio.finditer(text):
        checkpoint()
        if occupied.overlaps(*match.span()) or _in_url(text, match.start()):
            continue
        unit = compiled.unit.match(text, match.end())
        known_unit = unit and unit["unit"].casefold() in compiled.units
        qualifier = compiled.qualifier.search(text, max(0, match.start() - 30), match.start())
        if not (known_unit or qualifier) or int(match["total"]) == 0:
            continue
        groups = {"achieved": match["achieved"], "total": match["total"]}
        end = match.end()
        if unit and (known_unit or unit["unit"].isupper()):
            groups["unit"] = unit["unit"]
            end = unit.end()
        if qualifier:
            groups["qualifier"] = qualifier["qualifier"]
        found.append(Match(match.start(), end, "ratio.figure_unit" if "unit" in groups else "ratio.figure", groups))
    return found
