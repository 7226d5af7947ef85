"""Mentions: short mentions ("đồng chí Thạch") join the full name they shorten, and later mentions of a full
name written without honorific or title join its person."""

from __future__ import annotations

from typing import NamedTuple

from pipeline.deadline import checkpoint
from pipeline.spans import Taken, occurrences
from pipeline.tag.lexicon import WORD_CHAR, Lexicon
from pipeline.tag.names import named_after
from pipeline.tag.types import PersonSpan


class FullName(NamedTuple):
    """A full name and where it is written."""

    position: int
    name: str


def shortenings(names: list[FullName]) -> dict[str, list[FullName]]:
    """Each ending of a full name ("Thạch", "Viết Thạch") -> the full names written with it, where."""
    table: dict[str, list[FullName]] = {}
    for full in names:
        syllables = full.name.split(" ")
        for size in range(1, len(syllables)):
            table.setdefault(" ".join(syllables[-size:]), []).append(full)
    return table


def full_name(short: str, position: int, table: dict[str, list[FullName]]) -> str | None:
    """The full name "ông Cường" shortens: the only one ending so, else the last one named before it."""
    candidates = table.get(short, [])
    if len({full.name for full in candidates}) == 1:
        return candidates[0].name
    before = [full for full in candidates if full.position < position]
    return max(before).name if before else None


def later_mentions(text: str, persons: dict[str, PersonSpan], lex: Lexicon) -> None:
    """Add to PERSONS (by full name) the mentions written without honorific or title: one pass over the text
    for all full names."""
    mentioned = Taken([mention for person in persons.values() for mention in person.mentions])
    for start, end in _whole_words(text, [name for name in persons if " " in name]):  # a lone given name
        checkpoint()  # would match inside other words
        # Most are the mentions already found: the overlap test first spares them the look for a thing named
        # after the person.
        if not mentioned.overlaps(start, end) and not named_after(text, start, lex):
            mentioned.add(start, end)
            persons[text[start:end]].mentions.append((start, end))


def _whole_words(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where WORDS are written as whole words, left to right, the longest first where two start together and
    none inside another: what a regex alternation of them would find, without compiling one per article."""
    found = []
    for word in words:
        for start in occurrences(text, word):
            end = start + len(word)
            if not (start and WORD_CHAR.match(text, start - 1)) and not WORD_CHAR.match(text, end):
                found.append((start, end))
    spans, reached = [], 0
    for start, end in sorted(found, key=lambda span: (span[0], -span[1])):
        if start >= reached:
            spans.append((start, end))
            reached = end
    return spans
