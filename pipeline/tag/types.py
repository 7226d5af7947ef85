"""The spans the tagger finds and hands on: bodies, titles, persons and the links between persons and titles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class OrgSpan:
    start: int
    end: int
    name: str
    expanded: str
    kind: str
    level: str | None
    place: str | None
    rule: str


@dataclass(frozen=True)
class TitleSpan:
    start: int
    end: int
    head: str
    body: OrgSpan | None
    rule: str
    former: bool = False  # written with "nguyên"/"cựu": a title held before


@dataclass
class PersonSpan:
    """A person of one article: the full name, its first mention (START, END, RULE) and every mention."""

    name: str
    start: int
    end: int
    rule: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    rank: str | None = None  # the military or police rank written before a mention ("Thượng tướng")


@dataclass(frozen=True)
class RoleLink:
    person: PersonSpan
    title: TitleSpan
    rule: str  # how the title was linked to the name: "role.after_name" or "role.before_name"
    former: bool = False  # a title held before: "nguyên Bí thư", "từng giữ chức Bí thư"


@dataclass(frozen=True)
class Tagged:
    persons: list[PersonSpan]
    roles: list[RoleLink]
    organizations: list[OrgSpan]


class Span(NamedTuple):
    start: int
    end: int


class Name(NamedTuple):
    """One mention of a name and the rule that found it."""

    start: int
    end: int
    rule: str


class Link(NamedTuple):
    """A title and the rule that linked it to a name."""

    title: TitleSpan
    rule: str


class Body(NamedTuple):
    """How far a body's name runs from where it was looked for; END is that start for no body."""

    end: int
    heads: list[str]
    level: str | None
    place: str | None
