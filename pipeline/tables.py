"""The one registry of the tables: each table's model, the column holding its span's text, how it is scored
against gold, and its Label Studio region, declared once.

emit (schemas), validate (offsets), evaluate (scoring and gold checks), labelstudio (regions), audit (labels),
analysis (views) and the tests read it. A new table is a model in pipeline/models.py and an entry here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.models import (
    Article,
    DateMention,
    Document,
    Error,
    Event,
    Organization,
    Person,
    Ratio,
    Record,
    Role,
    SpanRecord,
)

Row = dict[str, Any]


def iso(value: object) -> object:
    """A date as its ISO text, anything else as it is (gold holds dates as text)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _show_date(row: Row) -> str:
    value, end = iso(row.get("value")), iso(row.get("value_end"))
    shown = "no value" if value is None else value if end in (None, value) else f"{value} to {end}"
    return f"{shown} ({row.get('granularity')})"


def _show_ratio(row: Row) -> str:
    return f"{row['achieved']}/{row['total']} {row.get('unit') or ''}".rstrip()


@dataclass(frozen=True)
class Scoring:
    """How a table is scored: the label spans must share, the value compared, and how a value reads."""

    label: Callable[[Row], str]
    value: Callable[[Row], object]
    show: Callable[[Row], str]
    # Rows with the same key count once (a title repeated at every mention is one role); None: every row.
    key: Callable[[Row], object] | None = None


@dataclass(frozen=True)
class Region:
    """A table's spans in Label Studio: the label, and the columns that travel as the region's values."""

    label: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    model: type[Record]
    span_text: str | None = None  # the column equal to text[start:end]; None: no such column
    scoring: Scoring | None = None  # None: not scored against gold
    region: Region | None = None  # None: not a Label Studio region
    needed: tuple[str, ...] = ()  # the columns a gold row of the table must fill

    @property
    def has_spans(self) -> bool:
        return issubclass(self.model, SpanRecord)


REGISTRY: dict[str, Table] = {
    "articles": Table(Article),
    "persons": Table(
        Person,
        scoring=Scoring(lambda row: "PER", lambda row: row["name"], lambda row: row["name"]),
        region=Region("PER", ("name",)),
    ),
    "roles": Table(
        Role,
        span_text="raw",
        scoring=Scoring(
            lambda row: row["title"],
            lambda row: (row["person_name"], row["title"]),
            lambda row: f"{row['person_name']}: {row['title']}",
            key=lambda row: (row["person_name"], row["title"]),
        ),
        region=Region("TITLE", ("title", "organization")),
        needed=("person_name", "title"),
    ),
    "organizations": Table(
        Organization,
        span_text="name",
        region=Region("ORG", ("name_expanded", "kind", "level", "place")),
        needed=("name",),
    ),
    "dates": Table(
        DateMention,
        span_text="text",
        scoring=Scoring(
            lambda row: row["granularity"],
            lambda row: (iso(row["value"]), iso(row["value_end"]), row["granularity"]),
            _show_date,
        ),
        region=Region("DATE", ("value", "value_end", "granularity")),
        needed=("granularity",),
    ),
    "documents": Table(
        Document,
        span_text="text",
        scoring=Scoring(
            lambda row: row["doc_type"] or "?",
            lambda row: row["symbol"] or row["text"],
            lambda row: row["symbol"] or row["text"],
        ),
        region=Region("DOC", ("symbol", "doc_type", "issuer", "issued_date")),
    ),
    "ratios": Table(
        Ratio,
        span_text="text",
        scoring=Scoring(lambda row: "ratio", lambda row: (row["achieved"], row["total"], row["unit"]), _show_ratio),
        region=Region("RATIO", ("achieved", "total", "unit")),
        needed=("achieved", "total"),
    ),
    "events": Table(Event),
    "errors": Table(Error),
}

TABLES: dict[str, type[Record]] = {name: table.model for name, table in REGISTRY.items()}
SCORED: dict[str, Scoring] = {name: table.scoring for name, table in REGISTRY.items() if table.scoring}
REGIONS: dict[str, Region] = {name: table.region for name, table in REGISTRY.items() if table.region}
SPAN_TEXT: dict[str, str | None] = {name: table.span_text for name, table in REGISTRY.items() if table.has_spans}
