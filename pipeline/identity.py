"""Keys that hold across articles, computed inside each article's analysis (so they stay incremental and
parallel): the article's province, each body's canonical name with its place, former titles and the date a
role is said of, one key per document and one key per human.

Everything here is a function of one article's text and metadata plus the rules in patterns/places.yaml
and patterns/identity.yaml: the same article and rules give the same keys on any machine and any number of
workers. The tables made across articles (pipeline/across.py) only group by these keys.

The person key is conservative: a wrong merge of two humans is worse than one human under two keys.
    person_key = sha256("name|evidence")[:16], the name casefolded, the evidence the strongest the article
    gives: the province of the person's current bodies ("P:Trà Vinh"), else "TW" for a person holding a
    central office (Bộ Chính trị, Quốc hội, a Bộ...), else the article's province, else the article itself
    ("A:<article_id>": no merge without evidence). Names of fewer than three syllables ("Thanh Tùng", a
    byline "Thúy Oanh") are keyed to their article: given names alone say too little.
So one name in one province is one human across articles; namesakes in other provinces get other keys; a
provincial leader who later holds a central office gets a second key (a missed merge, by design).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import regex

from pipeline.patterns import alternation, load
from pipeline.spans import occurrences

Rows = list[dict[str, Any]]
_WORD = r"(?<![\p{L}\p{N}])"
_END = r"(?![\p{L}\p{N}])"
# Compiled once: regex.sub(str, ...) pays a cache lookup per call, and these run per body or per role.
_LETTER = regex.compile(r"[\p{L}\p{N}]")
_SCHEME = regex.compile(r"^[a-z]+://")
_SPACES = regex.compile(r"\s+")


@dataclass(frozen=True)
class Province:
    name: str  # as places.yaml names it ("Trà Vinh", "Hồ Chí Minh")
    kind: str  # the level word, one of places.yaml's kinds: "tỉnh" or "thành phố"

    @property
    def full(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class _Rules:
    provinces: dict[str, Province]
    alias: dict[str, str]  # every spelling (names too) -> the name
    committee: dict[str, str]  # kind -> its party committee: "tỉnh" -> "Tỉnh ủy"
    committee_kind: dict[str, str]  # the reverse: "Tỉnh ủy" -> "tỉnh"
    committee_of: regex.Pattern[str]  # a province's committee and what follows it: "Thành ủy", "Tỉnh ủy Bến Tre"
    alone_kinds: tuple[str, ...]  # the kinds whose level word alone is the article's province ("tỉnh")
    level_spelling: regex.Pattern[str]  # a level word spelt otherwise before a place: "TP. HCM", "Tỉnh Bến Tre"
    level_of: dict[str, str]  # that spelling -> the level word: "TP." -> "thành phố"
    place_only: regex.Pattern[str]  # a level word that starts a body written as the place alone
    level_word: regex.Pattern[str]  # any level word of a place, as a word
    people_committee: str
    municipal: frozenset[str]
    cities: frozenset[str]  # the spellings a centrally-run city counts by bare: its name ("Hà Nội")
    cities_alone: bool  # no spelling can run into a city's name ("Thừa Thiên Huế" would into "Huế")
    qualified: regex.Pattern[str]  # a qualifier then a spelling
    qualifier_starts: tuple[str, ...]  # the qualifiers no other one begins: where a qualified name can start
    bare: regex.Pattern[str]  # any spelling as a whole word
    slugs: dict[str, str]  # ASCII slug ("travinh") -> name, for URLs and hosts
    abbreviations: regex.Pattern[str]
    abbreviation: dict[str, str]
    casing: regex.Pattern[str]
    casing_of: dict[str, str]
    term: regex.Pattern[str]
    redundant_level: regex.Pattern[str]
    trailing: regex.Pattern[str]
    place_after: regex.Pattern[str]
    place_after_kind: dict[str, str]
    place_with_level: list[regex.Pattern[str]]
    unit_levels: dict[str, str]
    unit_place: regex.Pattern[str]  # a level word and the unit's name: "huyện Tuy Phước", "quận 8"
    unit_head_place: regex.Pattern[str]  # a committee and its unit: "Huyện ủy Tuy Phước"
    unit_heads: list[str]
    central: regex.Pattern[str]
    local: regex.Pattern[str]
    named_unit: regex.Pattern[str]
    committee_titles: frozenset[str]
    people_committee_titles: frozenset[str]
    title_bodies: dict[str, str]
    spellings: list[tuple[regex.Pattern[str], str]]
    party_symbol: regex.Pattern[str]
    state_symbol: regex.Pattern[str]
    central_codes: frozenset[str]
    central_symbol: regex.Pattern[str]
    central_issuers: list[tuple[str, str]]
    issuer_ignored_ends: list[str]
    committee_code: str
    party_words: regex.Pattern[str]
    state_words: regex.Pattern[str]
    state_types: frozenset[str]
    key_type_codes: dict[str, str]
    named_documents: frozenset[str]
    document_term: regex.Pattern[str]
    named_document_key: str
    as_of_window: int


def slug(text: str) -> str:
    """ASCII letters only, lowercased: "Trà Vinh" -> "travinh", "Đà Nẵng" -> "danang"."""
    # Not vocabulary but the alphabet: Đ/đ is a letter of its own, not D with a mark, so NFD leaves it
    # whole; without marks (hostnames, ASCII slugs) it is written D/d. Every other letter decomposes.
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


@cache
def rules() -> _Rules:
    places, data = load("places"), load("identity")
    provinces = {name: Province(name, entry["kind"]) for name, entry in places["provinces"].items()}
    alias = {name: name for name in provinces} | dict(places["aliases"])
    qualifiers = alternation(places["qualifiers"])
    spellings = alternation(alias)
    casing = list(data["casing"])
    central = alternation(data["central_words"]) + "|" + "|".join(data["central_heads"])
    kinds = places["kinds"]
    municipal = frozenset(name for name, p in provinces.items() if kinds[p.kind]["named_bare"])
    # A level word as a body's name writes it before a place: the word, capitalised ("Thành phố Huế") or
    # abbreviated ("TP. HCM", "Tp Cần Thơ"); a canonical name writes the word ("thành phố Hồ Chí Minh").
    spelled_as = {kind: [kind, kind[0].upper() + kind[1:]] for kind in kinds}
    for abbreviation, kind in places["level_abbreviations"].items():
        spelled_as[kind].append(abbreviation)
    respelt = {word: kind for kind, words in spelled_as.items() for word in words[1:]}
    committee = {kind: entry["committee"] for kind, entry in kinds.items()}
    levels = list(data["unit_levels"].values())
    # A level word that ends another ("xã" of "thị xã") is not read inside it.
    inside = [longer[: -len(word)] for word in levels for longer in levels if longer.endswith(" " + word)]
    cities = frozenset(name for name in provinces if alias[name] in municipal)
    # A spelling runs into a city's name when its tail after a non-letter is the start of the name or
    # the name the start of that tail: then the city is only found by reading every spelling in order.
    into = [s[cut:] for s in alias for cut in range(1, len(s)) if not _LETTER.match(s[cut - 1])]
    return _Rules(
        provinces=provinces,
        alias=alias,
        committee=committee,
        committee_kind={word: kind for kind, word in committee.items()},
        committee_of=regex.compile(rf"{_WORD}(?P<head>{alternation(committee.values())})(?:\s+(?P<rest>.+))?$"),
        alone_kinds=tuple(kind for kind, entry in kinds.items() if entry["named_alone"]),
        level_spelling=regex.compile(rf"{_WORD}(?P<word>{alternation(respelt)})\s*(?=\p{{Lu}})"),
        level_of=respelt,
        place_only=regex.compile(rf"^(?:{alternation(w for words in spelled_as.values() for w in words)})(?:\s+|$)"),
        level_word=regex.compile(rf"{_WORD}(?:{alternation(data['level_words'])})\s"),
        people_committee=data["people_committee"],
        municipal=municipal,
        cities=cities,
        cities_alone=not any(tail.startswith(city) or city.startswith(tail) for tail in into for city in cities),
        qualified=regex.compile(rf"{_WORD}(?:{qualifiers})\s*(?P<name>{spellings}){_END}"),
        qualifier_starts=tuple(
            sorted(
                q for q in set(places["qualifiers"]) if not any(q.startswith(p) for p in places["qualifiers"] if p != q)
            )
        ),
        bare=regex.compile(rf"{_WORD}(?P<name>{spellings}){_END}"),
        slugs={slug(name): name for name in provinces},
        abbreviations=regex.compile(rf"{_WORD}(?:{alternation(data['body_abbreviations'])}){_END}"),
        abbreviation=dict(data["body_abbreviations"]),
        casing=regex.compile(rf"{_WORD}(?:{alternation(casing)}){_END}", regex.IGNORECASE),
        casing_of={word.casefold(): word for word in casing},
        term=regex.compile(data["term"], regex.IGNORECASE),
        redundant_level=regex.compile(data["redundant_level"]),
        trailing=regex.compile(rf"(?:\s+(?:{alternation(data['trailing'])}))+\s*$"),
        place_after=regex.compile(rf"{_WORD}(?P<end>{alternation(data['place_after'])})$"),
        place_after_kind=dict(data["place_after"]),
        place_with_level=[regex.compile(expression) for expression in data["place_with_level"]],
        unit_levels=dict(data["unit_levels"]),
        unit_place=regex.compile(
            rf"{_WORD}{f'(?<!{alternation(inside)})' if inside else ''}(?P<level>{alternation(set(levels))})\s+"
            rf"(?P<place>\p{{Lu}}\p{{Ll}}*(?:\s\p{{Lu}}\p{{Ll}}*){{0,2}}|\d+{_END})"
        ),
        unit_head_place=regex.compile(
            rf"(?P<head>{alternation(h for h in data['unit_levels'] if h[0].isupper())})\s+(?P<place>\p{{Lu}}.*)$"
        ),
        unit_heads=sorted(data["unit_heads"], key=len, reverse=True),
        central=regex.compile(rf"{_WORD}(?:{central})"),
        local=regex.compile(rf"{_WORD}(?:{alternation(data['local_words'])}){_END}"),
        named_unit=regex.compile(rf"{_WORD}(?:{alternation(data['local_words'] + data['unit_heads'])})\s+\p{{Lu}}"),
        committee_titles=frozenset(data["committee_titles"]),
        people_committee_titles=frozenset(data["people_committee_titles"]),
        title_bodies=dict(data["title_bodies"]),
        spellings=[(regex.compile(pattern), words) for pattern, words in data["spellings"].items()],
        party_symbol=regex.compile(data["party_symbol"]),
        state_symbol=regex.compile(data["state_symbol"]),
        central_codes=frozenset(data["central_codes"]),
        central_symbol=regex.compile(data["central_symbol"]),
        issuer_ignored_ends=list(data["issuer_ignored_ends"]),
        committee_code=data["committee_code"],
        central_issuers=sorted(data["central_issuers"].items(), key=lambda item: -len(item[0])),
        party_words=regex.compile(rf"{_WORD}(?:{alternation(data['party_words'])}){_END}", regex.IGNORECASE),
        state_words=regex.compile(rf"{_WORD}(?:{'|'.join(data['state_words'])})"),
        state_types=frozenset(data["state_types"]),
        key_type_codes=dict(data["key_type_codes"]),
        named_documents=frozenset(data["named_documents"]),
        document_term=regex.compile(data["document_term"]),
        named_document_key=data["named_document_key"],
        as_of_window=int(data["as_of_window_days"]),
    )


def _key(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:16]


# --- provinces ------------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)  # body names and titles repeat
def provinces_named(text: str) -> tuple[str, ...]:
    """The provinces a text names with a qualifier ("tỉnh Trà Vinh", "Tỉnh ủy Bến Tre", "TP HCM") or, for a
    centrally-run city, bare ("Hà Nội"); in text order, with repeats."""
    return _provinces_in(text)


def _provinces_in(text: str) -> tuple[str, ...]:
    r = rules()
    found = [(m.start("name"), r.alias[m["name"]]) for m in _qualified(text)]
    seen = {start for start, _ in found}
    found += [(start, name) for start, name in _cities_bare(text) if start not in seen]
    return tuple(name for _, name in sorted(found))


def _qualified(text: str) -> list[regex.Match[str]]:
    """The matches of `qualified` reading the text, tried only where a qualifier begins (found by str.find):
    the regex tried at every character took most of the time of an article's province."""
    r = rules()
    found: list[regex.Match[str]] = []
    end = 0
    for start in sorted(_where(text, r.qualifier_starts)):
        if start >= end and (m := r.qualified.match(text, start)):
            found.append(m)
            end = m.end()
    return found


def _cities_bare(text: str) -> list[tuple[str, str]]:
    """Where the text names a centrally-run city bare, as `bare` reading the text finds it: (start, name).
    Unless a spelling can run into a city's name, only the places the text writes a city's name are read:
    the scan for the ~80 spellings is most of the time an article's province takes."""
    r = rules()
    if not r.cities_alone:
        return [(m.start(), r.alias[m["name"]]) for m in r.bare.finditer(text) if m["name"] in r.cities]
    return [
        (start, r.alias[m["name"]])
        for start in _where(text, r.cities)
        if (m := r.bare.match(text, start)) and m["name"] in r.cities
    ]


def _where(text: str, words: Iterable[str]) -> set[int]:
    """Every offset at which one of WORDS is written in TEXT."""
    return {start for word in words for start in occurrences(text, word)}


def article_province(site: str | None, url: str | None, title: str | None, text: str) -> str | None:
    """The province an article is from or about: the site's name, then the URL's host, then the title and
    text when one province clearly dominates them (named at least twice, twice as often as any other; a
    province in the title counts three times). Null when none does: a national article stays without one."""
    r = rules()
    if site:
        # A site line is often in capitals ("ĐOÀN ĐBQH VÀ HĐND TỈNH HẬU GIANG"): titled before matching.
        for candidate in (site, site.title()):
            names = [r.alias[m["name"]] for m in r.bare.finditer(candidate)]
            if len(set(names)) == 1:
                return names[0]
    if url:
        host = _SCHEME.sub("", url.lower()).split("/")[0]
        hits = {name for key, name in r.slugs.items() if len(key) >= 5 and key in host.replace("-", "")}
        if len(hits) == 1:
            return hits.pop()
    counts = Counter(_provinces_in(text))  # the article's text: not kept in provinces_named's cache
    for name in provinces_named(title or ""):
        counts[name] += 3
    ranked = counts.most_common(2)
    if not ranked:
        return None
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return top if n >= 2 and n >= 2 * second else None


# --- bodies ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    canonical: str
    central: bool  # a central body by its name, or by the level the tagger read
    province: str | None


@lru_cache(maxsize=8192)  # bodies repeat within and across articles
def clean_body(name: str) -> str:
    """A body's name with abbreviations expanded, one casing, one spelling of its province, and without
    its term or a word of the next clause: "HĐND TP. HCM nhiệm kỳ 2016-2021" -> "Hội đồng nhân dân thành
    phố Hồ Chí Minh"."""
    r = rules()
    text = r.abbreviations.sub(lambda m: r.abbreviation[m[0]], name)
    for pattern, words in r.spellings:
        text = pattern.sub(words, text)
    text = r.term.sub("", text)
    text = _SPACES.sub(" ", text).strip(" ,;:-")
    text = r.trailing.sub("", text)
    text = r.casing.sub(lambda m: r.casing_of[m[0].casefold()], text)
    text = r.level_spelling.sub(lambda m: r.level_of[m["word"]] + " ", text)

    def spelled(match: regex.Match[str]) -> str:
        return match[0][: match.start("name") - match.start()] + r.alias[match["name"]]

    text = r.qualified.sub(spelled, text)
    text = r.redundant_level.sub("", text)
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def _explicit_province(canonical: str) -> str | None:
    names = provinces_named(canonical)
    return names[-1] if names else None


def _is_central(canonical: str) -> bool:
    """A central body: named by a central word ("Trung ương", "Quốc hội", "Bộ Tư pháp") and by no local one
    ("Đoàn đại biểu Quốc hội tỉnh" is a province's)."""
    return bool(rules().central.search(canonical)) and not rules().local.search(canonical)


def _units(org_rows: Rows) -> dict[str, set[str]]:
    """The units below the province the article names, by level word: {"huyện": {"Tuy Phước"}, ...}, and
    by head: {"Chi bộ": {"Chi bộ Văn phòng ..."}}."""
    units: dict[str, set[str]] = {}
    for name in dict.fromkeys(row["name_expanded"] for row in org_rows):  # a body is often named again
        for level, unit in _units_named(name):
            units.setdefault(level, set()).add(unit)
    return units


@lru_cache(maxsize=8192)  # bodies repeat within and across articles
def _units_named(written: str) -> tuple[tuple[str, str], ...]:
    """The units one body's name names, as (level word or head, unit) pairs (see `_units`)."""
    r = rules()
    name = clean_body(written)
    found = [(m["level"], m["place"]) for m in r.unit_place.finditer(name) if m["place"] not in r.provinces]
    if m := r.unit_head_place.match(name):
        found.append((r.unit_levels[m["head"]], m["place"]))
    for head in r.unit_heads:
        if name.startswith(head + " ") and not _is_central(name):
            found.append((head, name))
            break
    return tuple(found)


def canonical_body(name: str, province: Province | None, units: dict[str, set[str]], level: str | None = None) -> Body:
    """The body's canonical name, whether it is central, and its province. Its place comes from the name,
    else from the article (its province for a province-level body written bare; the one unit of that level
    the article names for a district, commune or cell); a body that needs a place the article does not give
    keeps its bare name and a key of its own article's (see `body_key`)."""
    canonical = clean_body(name)
    head, level_word, heads = _unit_slot(canonical)
    if level_word is not None:
        names = units.get(level_word, set())
        if len(names) == 1:
            unit = next(iter(names))
            # "quận 8" keeps its level word: "Quận ủy quận 8", not "Quận ủy 8".
            unit = f"{level_word} {unit}" if unit.isdigit() and head[0].isupper() else unit
            canonical = f"{canonical} {unit}"
    else:
        for head in heads:  # "Chi bộ", or a body of it: "Ban Tổ chức Đảng ủy"
            if len(units.get(head, set())) == 1:
                canonical = canonical.removesuffix(head) + next(iter(units[head]))
                break
    return _placed(canonical, province, level)


@lru_cache(maxsize=8192)  # bodies repeat within and across articles
def _unit_slot(canonical: str) -> tuple[str, str | None, tuple[str, ...]]:
    """Where a unit the article names can complete a cleaned body name without a province: the unit level's
    head it is or ends with ("Huyện ủy", "xã") and its level word, else no level and the unit heads it is or
    ends with, in order ("Chi bộ")."""
    r = rules()
    if _explicit_province(canonical) is not None:
        return "", None, ()
    for head, level_word in r.unit_levels.items():
        if canonical == head or (canonical.endswith(" " + head) and not head[0].isupper()):
            return head, level_word, ()
    return "", None, tuple(head for head in r.unit_heads if canonical == head or canonical.endswith(" " + head))


@lru_cache(maxsize=8192)  # the same body in the same province, across articles
def _placed(canonical: str, province: Province | None, level: str | None) -> Body:
    """`canonical_body` once the article's unit is added: the article's province, then the key's parts."""
    r = rules()
    filled = False
    if _explicit_province(canonical) is None and province is not None:
        end = r.place_after.search(canonical)
        if end and r.place_after_kind[end["end"]] == province.kind:
            canonical, filled = f"{canonical} {province.name}", True
        elif any(p.search(canonical) for p in r.place_with_level) and not r.level_word.search(canonical):
            canonical, filled = f"{canonical} {province.full}", True
    canonical = r.redundant_level.sub("", canonical)  # "Thành ủy thành phố" + "Hồ Chí Minh"
    explicit = _explicit_province(canonical)
    central = _is_central(canonical) or level == "central"
    # The article's province is the body's only when the body is placed: filled from it, or a named unit
    # inside it ("Huyện ủy Ba Vì"). A bare "Đảng đoàn" or "Hội đồng nhân dân" stays without one.
    placed = filled or bool(r.named_unit.search(canonical))
    body_province = explicit or (province.name if province and placed and not central else None)
    return Body(canonical, central, body_province)


def body_key(canonical: str, province: str | None, central: bool, article_id: str = "") -> str:
    """One key per body: its canonical name and province. A body below the centre whose province is not
    known is keyed to its article: "Tỉnh ủy" of two articles of unknown province are not one body."""
    if central or province:
        return _shared_body_key(canonical, province or "")
    return _key("body", canonical.casefold(), "A:" + article_id)


@lru_cache(maxsize=8192)  # a body of a known place is the same body in every article that names it
def _shared_body_key(canonical: str, province: str) -> str:
    return _key("body", canonical.casefold(), province)


def _role_body(role: dict[str, Any]) -> str | None:
    """The role's body as written, completed when the title says what a bare place or subject means:
    "Bí thư Đà Nẵng" -> "Thành ủy Đà Nẵng", "Bộ trưởng Giao thông" -> "Bộ Giao thông"."""
    r = rules()
    organization = role.get("organization")
    if not organization:
        return None
    title = role["title"]
    # A place alone, with or without its level word: "Đà Nẵng", "Thành phố Hồ Chí Minh", "tỉnh Đăk Nông", "Tỉnh".
    place_only = r.place_only.sub("", organization.strip())
    bare = r.alias.get(place_only)
    if bare and title in r.committee_titles:
        return f"{r.committee[r.provinces[bare].kind]} {bare}"
    if bare and title in r.people_committee_titles:
        return f"{r.people_committee} {r.provinces[bare].full}"
    if not place_only and (title in r.committee_titles or title in r.people_committee_titles):
        # The level word alone ("Bí thư tỉnh") is the article's province for a kind `named_alone`.
        alone = next((kind for kind in r.alone_kinds if organization.casefold().startswith(kind)), None)
        if alone is None:
            return organization
        return r.committee[alone] if title in r.committee_titles else f"{r.people_committee} {alone}"
    prefix = r.title_bodies.get(title)
    if prefix and not organization.casefold().startswith(prefix.casefold()):
        return f"{prefix} {organization}"
    if prefix:
        return prefix + organization[len(prefix) :]
    return organization


# --- documents ------------------------------------------------------------------------------------------


def _type_code(row: dict[str, Any]) -> str | None:
    """The type code a symbol of this document would carry ("Quy định" -> "QĐ")."""
    r = rules()
    if row.get("type_code"):
        return r.key_type_codes.get(row["type_code"], row["type_code"])
    codes = load("documents")["type_codes"]
    doc_type = row.get("doc_type")
    code = next((code for code, name in codes.items() if name == doc_type), None)
    return r.key_type_codes.get(code, code) if code else None


def document_system(row: dict[str, Any]) -> str | None:
    """party or state: from the symbol's shape, else the issuer's words, else the document type."""
    r = rules()
    symbol = row.get("symbol")
    if symbol and r.party_symbol.match(symbol):
        return "party"
    if symbol and r.state_symbol.match(symbol):
        return "state"
    issuer = row.get("issuer") or ""
    if row.get("doc_type") in r.state_types:
        return "state"
    if r.party_words.search(issuer):
        return "party"
    if r.state_words.search(issuer):
        return "state"
    if r.party_words.search(row.get("text") or ""):
        return "party"
    return None


def document_key(
    row: dict[str, Any], province: Province | None, symbols: dict[tuple[str, str], str], term: str | None = None
) -> str:
    """One key per document: the symbol, with the issuing province for a local issuer ("16-ĐA/TU@Trà
    Vinh"); a reference without a symbol takes the symbol the same article gives its number and type
    ("Chỉ thị 05" after "Chỉ thị số 05-CT/TW"), else the central code its issuer names ("Chỉ thị 05 của Bộ
    Chính trị" -> "05-CT/TW"). A local document of an unknown province, or a number without an issuer, is
    keyed to its article. No year is added to a party symbol: later mentions rarely repeat the date."""
    r = rules()
    symbol = row.get("symbol")
    number, code = row.get("number"), _type_code(row)
    article = "@A:" + row["article_id"]
    if row.get("rule") in r.named_documents:  # "Nghị quyết Trung ương 4": a name, one across articles
        name = " ".join(row["text"].split())
        return r.named_document_key.format(name=name, term=term) if term else name
    if not symbol and number and code:
        if known := symbols.get((number.lstrip("0") or "0", code)):
            return known
        issuer = row.get("issuer") or ""
        # The issuer must be the central body itself: "Ban Chấp hành Trung ương Hội Luật gia" is not.
        bare_issuer = _without_ignored_end(clean_body(issuer)).casefold()
        central = next((c for words, c in r.central_issuers if words.casefold() == bare_issuer), None)
        if central:
            return f"{number}-{code}/{central}"
        # A province's committee in words: "Quy định 1374 của Ban thường vụ Thành ủy" in a Hồ Chí Minh
        # article is 1374-QĐ/TU of that province (its kind must match: "Thành ủy" elsewhere is a city's).
        committee = r.committee_of.search(clean_body(issuer))
        if committee:
            named = _explicit_province(clean_body(issuer))
            kind = r.committee_kind[committee["head"]]
            place = named or (province.name if province and province.kind == kind and not committee["rest"] else None)
            if place:
                return f"{number}-{code}/{r.committee_code}@{place}"
        return f"{row['doc_type'] or code} {number}{article}"
    if not symbol:
        return f"{(row.get('text') or '').casefold()}" + ("" if row.get("doc_type") and not number else article)
    issuer_code = row.get("issuer_code") or ""
    if issuer_code in r.central_codes or r.central_symbol.search(symbol):
        return symbol
    place = _explicit_province(row.get("issuer") or "") or (province.name if province else None)
    return f"{symbol}@{place}" if place else symbol + article


def _without_ignored_end(issuer: str) -> str:
    """The issuer without a word that leaves it the same body ("Ban Chấp hành Trung ương Đảng")."""
    for end in rules().issuer_ignored_ends:
        if issuer.endswith(" " + end):
            return issuer[: -len(end) - 1]
    return issuer


# --- persons --------------------------------------------------------------------------------------------


def normalised_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def person_key(name: str, evidence: str) -> str:
    return _key("person", normalised_name(name), evidence)


@cache
def _surnames() -> frozenset[str]:
    return frozenset(load("persons")["surnames"])


def _evidence(bodies: list[tuple[Body, bool]], article_province_name: str | None, article_id: str, name: str) -> str:
    words = name.split()
    # Given names alone ("Thanh Tùng", a byline "Thúy Oanh") say too little; a surname and one given name
    # ("Nguyễn Bốn") is a full name only with a body to hold it to.
    if len(words) < 2 or (len(words) == 2 and (words[0] not in _surnames() or not bodies)):
        return "A:" + article_id
    current = [body for body, former in bodies if not former] or [body for body, _ in bodies]
    provinces = Counter(body.province for body in current if body.province)
    if provinces:
        return "P:" + provinces.most_common(1)[0][0]
    if any(body.province is None and _is_central(body.canonical) for body in current):
        return "TW"
    if article_province_name:
        return "P:" + article_province_name
    return "A:" + article_id


# --- the article ----------------------------------------------------------------------------------------


def annotate(
    article_id: str,
    facts: dict[str, Rows],
    text: str,
    province_name: str | None,
    published: dt.date | None,
) -> dict[str, Rows]:
    """Add the keys to one article's rows, in place, and return them (see the module's docstring)."""
    r = rules()
    province = r.provinces.get(province_name) if province_name else None
    orgs = facts.get("organizations", [])
    units = _units(orgs)
    seen: dict[tuple[str, Province | None, str | None], tuple[Body, str]] = {}

    def body_of(name: str, where: Province | None, level: str | None) -> tuple[Body, str]:
        """The body and its key; once per article for each name, place and level (names repeat)."""
        if (known := seen.get((name, where, level))) is None:
            body = canonical_body(name, where, units, level)
            key = body_key(body.canonical, body.province, body.province is None and body.central, article_id)
            known = seen[(name, where, level)] = (body, key)
        return known

    for row in orgs:
        body, key = body_of(row["name_expanded"], province, row.get("level"))
        row.update(org_canonical=body.canonical, org_key=key, province=body.province)
    events = facts.get("events", [])
    event = next((e["event_date"] for e in events if e.get("event_date")), None)
    # The event's date, unless the page's own date says it cannot be (a meeting after its report, or long
    # before it: a misread date); without a page date the event's date is all there is.
    window = dt.timedelta(days=r.as_of_window)
    if published is not None:
        plausible = event is not None and published - window <= event <= published + dt.timedelta(days=1)
    else:  # a year inferred from a full date the text writes, not from "năm 2045" ("23/11" + "2045")
        days = [d for d in facts.get("dates", []) if d.get("value") and d.get("granularity") == "day"]
        years = {d["value"].year for d in days if not d.get("year_inferred")}
        plausible = event is not None and event.year in years
    as_of = event if plausible else published
    roles = sorted(facts.get("roles", []), key=lambda row: (row["person_id"], row["start"]))
    bodies: dict[str, list[tuple[Body, bool]]] = {}
    # A person whose titles name one province ("Phó bí thư Tỉnh ủy, Chủ tịch UBND tỉnh, Trưởng đoàn ĐBQH
    # tỉnh Phú Yên") holds the bare ones there too, whatever the article's province.
    own: dict[str, set[str]] = {}
    written_bodies = [_role_body(row) for row in roles]
    for row, written in zip(roles, written_bodies, strict=True):
        if written and (named := _explicit_province(clean_body(written))):
            own.setdefault(row["person_id"], set()).add(named)
    for row, written in zip(roles, written_bodies, strict=True):
        level = next((o.get("level") for o in orgs if row["start"] <= o["start"] and o["end"] <= row["end"]), None)
        former = bool(row.get("former"))  # the tagger's reading: "nguyên", "cựu", "từng giữ chức" (titles.yaml)
        named = own.get(row["person_id"], set())
        place = r.provinces[next(iter(named))] if len(named) == 1 else province
        if written:
            body, key = body_of(written, place, level)
            bodies.setdefault(row["person_id"], []).append((body, former))
            row.update(org_canonical=body.canonical, org_key=key)
        else:
            row.update(org_canonical=None, org_key=None)
        row.update(as_of=as_of)
    keys = {}
    for row in facts.get("persons", []):
        evidence = _evidence(bodies.get(row["person_id"], []), province_name, article_id, row["name"])
        keys[row["person_id"]] = row["person_key"] = person_key(row["name"], evidence)
    for row in roles:
        row["person_key"] = keys.get(row["person_id"]) or person_key(row["person_name"], "A:" + article_id)
    documents = facts.get("documents", [])
    symbols: dict[tuple[str, str], str] = {}  # (number, type code) -> the key of the article's symbol
    for row in documents:
        code = _type_code(row)
        if row.get("symbol"):
            row.update(doc_key=document_key(row, province, {}), system=document_system(row))
            if row.get("number") and code:
                symbols.setdefault((row["number"].lstrip("0") or "0", code), row["doc_key"])
    for row in documents:  # a number whose issuer is central first: a later bare mention follows it
        if not row.get("symbol"):
            code = _type_code(row)
            term = m["term"] if (m := r.document_term.match(text, row["end"])) else None
            row.update(doc_key=document_key(row, province, symbols, term), system=document_system(row))
            if row.get("number") and code and "@A:" not in row["doc_key"]:
                symbols.setdefault((row["number"].lstrip("0") or "0", code), row["doc_key"])
    for row in documents:
        if not row.get("symbol") and "@A:" in row["doc_key"]:
            row.update(doc_key=document_key(row, province, symbols))
    return facts
