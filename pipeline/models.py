"""Stage 7's vocabulary: one Pydantic model per output table.

A record that fails its model is not written to its table; the runner keeps it in errors with the reason.
The Parquet schemas are derived from these models (pipeline.emit), so a column is declared once, here.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Granularity = Literal["day", "month", "quarter", "year", "range"]
OrgKind = Literal["party", "state", "other"]
OrgLevel = Literal["central", "province", "district", "commune", "unit"]
RatioKind = Literal["target", "coverage", "attendance", "vote", "other"]
# Where a partial date's year came from (pipeline.resolve.year_of); "none" when it stays empty.
YearBasis = Literal[
    "page_date", "same_day", "review_years", "year_end_review", "term_opening", "sentence_year", "nearby_date", "none"
]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SpanRecord(Record):
    """A record read off the text: text[start:end] of its article is the span it was read from."""

    article_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    rule: str = Field(description="name of the pattern or rule that made the record")

    @model_validator(mode="after")
    def _ordered(self) -> SpanRecord:
        if self.end <= self.start:
            raise ValueError(f"empty or reversed span [{self.start}, {self.end})")
        return self


class Article(Record):
    article_id: str
    source_path: str
    site: str | None
    url: str | None
    title: str | None
    author: str | None
    published_date: dt.date | None
    text: str
    n_chars: int
    repairs: list[str] = Field(default_factory=list)  # what was changed to read the input ("dropped 3 NUL bytes")
    pipeline_version: str
    province: str | None = Field(default=None, description="the province the article is from or about")


class Person(SpanRecord):
    person_id: str
    name: str
    n_mentions: int = Field(ge=1)
    person_key: str | None = Field(default=None, description="one key per human across articles")


class Role(SpanRecord):
    person_id: str
    person_name: str
    title: str
    organization: str | None
    raw: str
    rank: str | None = Field(default=None, description="the person's military or police rank, written before the name")
    former: bool = Field(default=False, description="a title held before: 'nguyên', 'cựu', 'từng giữ chức'")
    person_key: str | None = None
    org_canonical: str | None = None
    org_key: str | None = None
    as_of: dt.date | None = Field(default=None, description="the article's event date, else its publication date")


class Organization(SpanRecord):
    name: str
    name_expanded: str
    kind: OrgKind
    level: OrgLevel | None
    place: str | None
    org_canonical: str | None = None
    org_key: str | None = None
    province: str | None = None


class DateMention(SpanRecord):
    text: str
    value: dt.date | None
    value_end: dt.date | None
    granularity: Granularity
    year_inferred: bool
    year_basis: YearBasis | None = Field(default=None, description="where an inferred year came from, or none")
    valid: bool


class Document(SpanRecord):
    text: str
    symbol: str | None
    number: str | None
    type_code: str | None
    doc_type: str | None
    issuer_code: str | None
    issuer: str | None
    issued_date: dt.date | None
    title: str | None
    doc_key: str | None = Field(default=None, description="one key per document across articles")
    system: Literal["party", "state"] | None = None


class Ratio(SpanRecord):
    text: str
    achieved: int = Field(ge=0)
    total: int = Field(gt=0)
    unit: str | None
    qualifier: str | None
    period: str | None
    kind: RatioKind = "other"


class Event(Record):
    article_id: str
    event_type: str
    event_date: dt.date | None
    event_end: dt.date | None = Field(default=None, description="the last day of a meeting of several days")
    organizer: str | None
    location: str | None
    chaired_by: list[str]
    attendees: list[str]
    rule: str


class Error(Record):
    source_path: str
    stage: str
    error_type: str
    message: str


# The output tables, in the order they are written; each name is also its Parquet file's name.
