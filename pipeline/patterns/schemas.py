"""One schema per patterns file: the keys each must have, their shapes, and regexes that compile.

A key the schema does not know is an error too (`extra="forbid"`): a misspelt key is caught by name,
never read as missing vocabulary. A new key in a patterns file gets its line here.
"""

from __future__ import annotations

from typing import Annotated, Literal

import regex
from pydantic import AfterValidator, BaseModel, ConfigDict


def _compiles(expression: str) -> str:
    try:
        regex.compile(expression)
    except regex.error as error:
        raise ValueError(f"not a valid regex: {error}") from error
    return expression


Regex = Annotated[str, AfterValidator(_compiles)]
Words = list[str]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NamedRegex(Strict):
    name: str
    regex: Regex


class TitleHead(Strict):
    head: str
    body_prefix: str | None = None


class Titles(Strict):
    heads: list[str | TitleHead]
    abbreviations: dict[str, str]
    synonyms: dict[str, str]
    modifiers: Words
    former_modifiers: Words  # "nguyên", "cựu": the title that follows is a former one
    ranks: Words  # military and police ranks: a column of roles, not a title


class OrganizationHead(Strict):
    kind: Literal["party", "state", "other"]
    level: str | None = None
    takes_place: bool | None = None
    generic: bool | None = None
    runs_lowercase: bool | None = None


class Organizations(Strict):
    heads: dict[str, OrganizationHead]
    abbreviations: dict[str, str]
    standalone_abbreviations: Words
    levels: dict[str, str]
    stop_words: Words
    term: Regex
    body_enders: Words
    function_words: Words
    continuations: Words


class Persons(Strict):
    honorifics: Words
    credits: Words
    credit_source: Regex
    surnames: Words
    not_names: Words
    places: Words
    place_words: Words
    role_links: Words
    role_verbs_after_words: Words
    person_named_places: Words
    name_enders: Words
    former_links: Words
    subject_links: Words
    subject_link_blockers: Words
    subject_passive: Words
    title_for_words: Words
    title_for_link: Regex
    named_after_person: Words
    house_number: Regex
    house_number_not_after: Words


class YearEvidence(Strict):
    """What may and may not give a partial date its year (see dates.yaml)."""

    not_evidence_before: Regex
    not_evidence_after: Regex
    announced_before: Regex
    review_years: Regex
    year_end_review: Regex
    anniversary: Regex
    term_opening: Regex
    term: Regex
    sentence_year: Regex
    goal_sentence: Regex
    window_before_days: int
    window_after_days: int


class Dates(Strict):
    patterns: list[NamedRegex]
    year: YearEvidence


class Documents(Strict):
    patterns: list[NamedRegex]
    doc_types: Words
    type_codes: dict[str, str]
    issuer_codes: dict[str, str]
    unnumbered: list[NamedRegex]
    issued_by_lead: Regex


class RatioKinds(Strict):
    vote_units: Words
    vote_words: Regex
    vote_qualifiers: Words
    attendance_words: Regex
    target_units: Words
    coverage_units: Words


class Ratios(Strict):
    regex: Regex
    units: Words
    qualifiers: Words
    period: Regex
    kinds: RatioKinds


class Events(Strict):
    types: dict[str, str]
    chaired: Words
    attended: Words
    location: Regex
    organizer: Regex


class Furniture(Strict):
    site_line: list[Regex]
    dateline: list[Regex]
    dateline_labelled: list[Regex]
    caption: list[Regex]
    trailer: list[Regex]
    noise: list[Regex]
    byline_prefix: list[Regex]
    glued_byline: Regex
    source_tag: list[Regex]
    source_credit: list[Regex]
    byline_suffix: list[Regex]


class LegacyEncodings(Strict):
    tcvn3_high: Words
    tcvn3_low: dict[int, str]
    vni_marks: dict[str, str]
    vni_letters: dict[str, str]
    common_words: Words


SCHEMAS: dict[str, type[Strict]] = {
    "titles": Titles,
    "organizations": Organizations,
    "persons": Persons,
    "dates": Dates,
    "documents": Documents,
    "ratios": Ratios,
    "events": Events,
    "furniture": Furniture,
    "legacy_encodings": LegacyEncodings,
}
