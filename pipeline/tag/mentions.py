"""Mentions: short mentions ("đồng chí Thạch") join the full name they shorten, and later mentions of a full
name written without honorific or title join its person."""

from __future__ import annotations

from typing import NamedTuple

import regex

from pipeline.deadline import checkpoint
from pipeline.patterns import alternation
from pipeline.spans import Taken
from pipeline.tag.lexicon import WORD_END, WORD_START, Lexicon
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
    if full := [name for name in persons if " " in name]:  # a lone given name would match inside other words
        names_pattern = regex.compile(rf"{WORD_START}(?:{alternation(full)}){WORD_END}")
        for match in names_pattern.finditer(text):
            checkpoint()
            if not named_after(text, match.start(), lex) and mentioned.take(*match.span()):
                persons[match.group()].mentions.append(match.span())
