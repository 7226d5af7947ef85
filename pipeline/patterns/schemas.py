"""One schema per patterns file: the keys each must have, their shapes, and regexes that compile.

A key the schema does not know is an error too (`extra="forbid"`): a misspelt key is caught by name,
never read as missing vocabulary. A new key in a patterns file gets its line here.
"""

from __future__ import annotations

import string
from typing import Annotated, Any, Literal

import regex
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, model_validator


def _compiles(expression: str) -> str:
    try:
        regex.compile(expression)
    except regex.error as error:
        raise ValueError(f"not a valid regex: {error}") from error
    return expression


def _with_groups(*names: str) -> AfterValidator:
    """A regex that compiles and has the named groups the code reads (a match without one is a crash)."""

    def check(expression: str) -> str:
        missing = [name for name in names if name not in regex.compile(_compiles(expression)).groupindex]
        if missing:
            raise ValueError(f"the regex lacks the named group(s) {', '.join(missing)} the code reads")
        return expression

    return AfterValidator(check)


Regex = Annotated[str, AfterValidator(_compiles)]
Word = Annotated[str, StringConstraints(min_length=1)]  # an empty word would match everywhere
Words = list[Word]


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
    head_not_after: Words  # "Ban Thư ký": a head after these words is a body's name


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
    conjunctions: Words  # "và": joins listed names, titles, bodies
    title_joiners: Words  # "và", "kiêm": two titles of one person, no verb between
    list_honorifics: Words  # "ông", "bà" before the next name of a list
    age_note: Regex  # "46 tuổi", "SN 1975" between a name and its title
    role_links_not_after_comma: Words
    role_links: Words
    role_verbs_after_words: Words
    role_verbs_not_after: Words  # "từng", "thôi": the verb after them gives no title now
    person_named_places: Words
    name_enders: Words
    former_links: Words
    subject_links: Words
    subject_links_not_after: Words  # "thôi", "từng", "miễn nhiệm"
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
    term_years: Regex
    lead_words: Words
    year: YearEvidence


class Documents(Strict):
    patterns: list[NamedRegex]
    doc_types: Words
    type_qualifiers: Words  # "phối hợp" in "Chương trình phối hợp số 01": the type stays Chương trình
    type_codes: dict[str, str]
    issuer_codes: dict[str, str]
    unnumbered: list[NamedRegex]
    issued_by_lead: Regex
    number_words: Words
    after_bare_number: Words
    issue_date_lead: Regex
    issue_date_words: Words
    issuer_lead: Regex


class RatioKinds(Strict):
    vote_units: Words
    vote_words: Regex
    vote_qualifiers: Words
    attendance_words: Regex
    target_units: Words
    coverage_units: Words


class Ratios(Strict):
    regex: Annotated[str, _with_groups("achieved", "total")]
    units: Words
    qualifiers: Words
    period: Regex
    kinds: RatioKinds


class Events(Strict):
    types: dict[str, str]
    chaired: Words
    chaired_by_of: Regex
    keyword_not_after: Words
    attended: Words
    reported_after: Regex  # after a day: the news's day, not the meeting's ("Ngày 4/4, theo nguồn tin")
    location: Annotated[str, _with_groups("location")]
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


def _template(*fields: str) -> AfterValidator:
    """A str.format template with exactly the named FIELDS the code fills in."""

    def check(template: str) -> str:
        try:
            found = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        except ValueError as error:
            raise ValueError(f"not a valid template: {error}") from error
        if found != set(fields):
            raise ValueError(f"the template must name exactly {{{'}, {'.join(fields)}}}, not {sorted(found)}")
        return template

    return AfterValidator(check)


def _a_kind(kind: str) -> str:
    """One of places.yaml's kinds (when places.yaml loads: its own check reports it otherwise)."""
    from pipeline.patterns import load

    try:
        kinds = load("places")["kinds"]
    except Exception:  # a missing or broken places.yaml: its own schema reports it
        return kind
    if kind not in kinds:
        raise ValueError(f"{kind!r} is not one of the kinds of places.yaml: {', '.join(kinds)}")
    return kind


class Province(Strict):
    kind: Word  # one of `kinds`
    merged_2025: str


class ProvinceKind(Strict):
    committee: Word  # its party committee: "Tỉnh ủy"
    named_bare: bool  # its name alone names it: a centrally-run city
    named_alone: bool  # its level word alone names the article's province: "Bí thư tỉnh"


class Places(Strict):
    provinces: dict[str, Province]
    kinds: dict[str, ProvinceKind]
    level_abbreviations: dict[str, str]  # "TP." -> "thành phố", one of `kinds`
    aliases: dict[str, str]
    qualifiers: Words

    @model_validator(mode="after")
    def _kinds_known(self) -> Any:
        for where, kind in [(f"provinces.{name}", p.kind) for name, p in self.provinces.items()] + [
            (f"level_abbreviations.{word}", kind) for word, kind in self.level_abbreviations.items()
        ]:
            if kind not in self.kinds:
                raise ValueError(f"{where}: {kind!r} is not one of the kinds: {', '.join(self.kinds)}")
        return self


class Identity(Strict):
    body_abbreviations: dict[str, str]
    casing: Words
    term: Regex
    redundant_level: Regex
    trailing: Words
    place_after: dict[str, Annotated[str, AfterValidator(_a_kind)]]
    place_with_level: list[Regex]
    unit_levels: dict[str, str]
    unit_heads: Words
    level_words: Words
    central_words: Words
    central_heads: list[Regex]
    local_words: Words
    committee_titles: Words
    people_committee_titles: Words
    people_committee: Word
    title_bodies: dict[str, str]
    spellings: dict[Regex, str]
    party_symbol: Regex
    state_symbol: Regex
    central_codes: Words
    central_symbol: Regex
    central_issuers: dict[str, str]
    issuer_ignored_ends: Words
    committee_code: Word
    party_words: Words
    state_words: Words
    state_types: Words
    key_type_codes: dict[str, str]
    named_documents: Words
    document_term: Annotated[str, _with_groups("term")]
    named_document_key: Annotated[str, _template("name", "term")]
    as_of_window_days: int


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
    "places": Places,
    "identity": Identity,
}
