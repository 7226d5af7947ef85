"""Stage 4: persons, their titles and the bodies they belong to, by rules kept in patterns/.

The genre writes a person in a few fixed orders (see DOMAIN.md): "đồng chí X, R1, R2", "R X", "X - R1, R2",
"X (R)". The tagger finds three kinds of span, each with the rule that made it:
- titles: a head from patterns/titles.yaml ("Phó Chủ tịch", "UVBTV") and the body that follows it ("HĐND tỉnh");
- names: a run of capitalised syllables after an honorific, after a title, before a title, or starting with a
  known surname;
- organisations: a body's head from patterns/organizations.yaml and the words that continue its name.
Then each name is linked to the chain of titles written next to it, to titles shared by a list ("các đồng
chí R1, R2: A, B") and to titles a verb gives further on ("... và giữ chức R", "từng giữ chức R", a former
role); a rank written before a name ("Thượng tướng") goes with the person, not as a title. Names of things
called after a person ("trường THPT Lê Quý Đôn") are dropped, and short mentions ("đồng chí Thạch") join the
full name they shorten.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field, replace
from functools import cache

import regex

from pipeline.deadline import checkpoint
from pipeline.patterns import alternation, load
from pipeline.spans import Taken

_SYLLABLE = r"\p{Lu}\p{Ll}*(?![\p{L}\p{M}\p{N}])"
_CAPITALISED = regex.compile(rf"{_SYLLABLE}(?: {_SYLLABLE})*")
# A place and a name together are never longer than this: looking further only costs time on odd input.
_NAME_WINDOW = regex.compile(rf"{_SYLLABLE}(?: {_SYLLABLE}){{0,11}}")
_CREDITED = regex.compile(r"\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+(?![\p{L}\p{M}])|\p{Lu}+(?: \p{Lu}+){1,3}(?![\p{L}\p{M}])")
_BYLINE_NAME = regex.compile(r"(?:\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){1,3})|(?:\p{Lu}+(?: \p{Lu}+){1,3})")
_LOWER_SYLLABLE = regex.compile(r" (\p{Ll}+)(?![\p{L}\p{M}\p{N}])")
_NUMBERED_PLACE = regex.compile(r"\d{1,3}(?!\d)")  # "quận 3", "phường 11"
_FOLLOWER = regex.compile(r" ?[-,(] ?")
_BACK_LINK = regex.compile(r"(?:, | - )$")
_COLON = regex.compile(r" ?: ?")
# Between two listed names: their own titles may stand in parentheses ("A (Thường trực), B").
_LIST_SEPARATOR = regex.compile(r"\)?(?: ?\([^()\n]{1,80}\))?(?:[,;]| và) ?")
_VERB_BETWEEN = regex.compile(r"(?<![\p{L}\p{M}])(?!và |kiêm )\p{Ll}{2,}")  # "hiện là", "làm" between titles
_SENTENCE_BREAK = regex.compile(r"[.!?\n](?:\s|$)")
_CLAUSE = regex.compile(r"[^.!?\n]{0,120}")  # where a career list after "từng giữ chức R" would go on
_LISTED_BEFORE = regex.compile(r"(?:[,;]| và) $")  # "R1, R2", "R1; R2", "R1 và R2"
_TITLED_ITEM_SEPARATOR = regex.compile(r"(?:,| và) ")  # "R A, R B và R C"; not ";" (see _listed_after_colon)
_IN_LIST = regex.compile(r"\)?(?:,| và) (?:ông |bà )?")
_APPOSITIVE = regex.compile(r" ?[,(-] ?")
_ACRONYM = regex.compile(r"\p{Lu}[\p{Lu}\d.&-]*\p{Lu}(?![\p{L}\p{M}\p{N}])")
_WORD_END = r"(?![\p{L}\p{M}\p{N}])"
_WORD_START = r"(?<![\p{L}\p{M}\p{N}])"


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
class Person:
    name: str
    start: int
    end: int
    rule: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    rank: str | None = None  # the military or police rank written before a mention ("Thượng tướng")


@dataclass(frozen=True)
class RoleLink:
    person: Person
    title: TitleSpan
    rule: str  # how the title was linked to the name: "role.after_name" or "role.before_name"
    former: bool = False  # a title held before: "nguyên Bí thư", "từng giữ chức Bí thư"


@dataclass(frozen=True)
class Tagged:
    persons: list[Person]
    roles: list[RoleLink]
    organizations: list[OrgSpan]


Link = tuple[TitleSpan, str]  # a title and the rule that linked it to a name
Name = tuple[int, int, str]  # start, end, rule


@dataclass(frozen=True)
class _Lexicon:
    head_of: dict[str, str]  # a spelling (casefolded) -> the canonical head
    body_prefix: dict[str, str]
    head_pattern: regex.Pattern[str]
    former_modifiers: frozenset[str]
    ranks: dict[str, str]  # casefolded -> canonical
    rank_pattern: regex.Pattern[str]
    abbreviated_heads: dict[str, str]
    org_heads: dict[str, dict[str, str]]  # casefolded -> {"head", "kind", "level"}
    org_head_pattern: regex.Pattern[str]
    org_mention_pattern: regex.Pattern[str]
    org_abbreviations: dict[str, str]
    standalone_abbreviations: frozenset[str]
    abbreviation_pattern: regex.Pattern[str]
    levels: dict[str, str]
    level_pattern: regex.Pattern[str]
    continuation_pattern: regex.Pattern[str]
    term_pattern: regex.Pattern[str]
    role_link_pattern: regex.Pattern[str]
    former_link_pattern: regex.Pattern[str]
    subject_link_pattern: regex.Pattern[str]
    subject_blocker_pattern: regex.Pattern[str]
    subject_passive_pattern: regex.Pattern[str]
    title_for_pattern: regex.Pattern[str]
    title_for_link_pattern: regex.Pattern[str]
    named_after_pattern: regex.Pattern[str]
    stop_pattern: regex.Pattern[str]
    body_enders: frozenset[str]
    function_words: frozenset[str]
    honorific_pattern: regex.Pattern[str]
    credit_pattern: regex.Pattern[str]
    credit_source_pattern: regex.Pattern[str]
    name_ender_pattern: regex.Pattern[str]
    surnames: frozenset[str]
    not_names: frozenset[str]
    places: frozenset[str]
    person_named_places: tuple[str, ...]
    place_word_pattern: regex.Pattern[str]


@cache
def lexicon() -> _Lexicon:
    titles, orgs, persons = load("titles"), load("organizations"), load("persons")
    head_of: dict[str, str] = {}
    body_prefix: dict[str, str] = {}
    for entry in titles["heads"]:
        head = entry if isinstance(entry, str) else entry["head"]
        head_of[head.casefold()] = head
        if isinstance(entry, dict) and entry.get("body_prefix"):
            body_prefix[head] = entry["body_prefix"]
    for spelling, head in titles["synonyms"].items():
        head_of[spelling.casefold()] = head
    modifiers = alternation(titles["modifiers"])
    # Heads in any case ("phó bí thư"), abbreviations only as written ("UV", not the word "uv" or "ct").
    spellings = alternation(list(head_of))
    abbreviations = alternation(list(titles["abbreviations"]))
    head_pattern = regex.compile(
        rf"{_WORD_START}(?<!Ban )(?:(?:{modifiers}) )*(?P<head>(?i:{spellings})|{abbreviations}){_WORD_END}", regex.V1
    )
    org_heads = {
        head.casefold(): {"head": head, **{key: value for key, value in info.items() if value}}
        for head, info in orgs["heads"].items()
    }
    return _Lexicon(
        head_of=head_of,
        body_prefix=body_prefix,
        head_pattern=head_pattern,
        former_modifiers=frozenset(titles["former_modifiers"]),
        ranks={rank.casefold(): rank for rank in titles["ranks"]},
        rank_pattern=regex.compile(rf"{_WORD_START}(?i:{alternation(titles['ranks'])}) (?={_SYLLABLE})", regex.V1),
        abbreviated_heads=titles["abbreviations"],
        org_heads=org_heads,
        org_head_pattern=regex.compile(rf"(?i:{alternation(list(orgs['heads']))}){_WORD_END}"),
        org_mention_pattern=regex.compile(
            rf"{_WORD_START}(?:(?i:{alternation(list(orgs['heads']))})|{alternation(list(orgs['abbreviations']))}){_WORD_END}"
        ),
        org_abbreviations=orgs["abbreviations"],
        standalone_abbreviations=frozenset(orgs["standalone_abbreviations"]),
        abbreviation_pattern=regex.compile(rf"(?:{alternation(list(orgs['abbreviations']))}){_WORD_END}"),
        levels=orgs["levels"],
        level_pattern=regex.compile(rf"(?:{alternation(list(orgs['levels']))}){_WORD_END}"),
        continuation_pattern=regex.compile(rf"(?:{alternation(orgs['continuations'])}){_WORD_END}"),
        term_pattern=regex.compile(orgs["term"], regex.IGNORECASE),
        # ", R" / " - R" / " (R" / " (35 tuổi, R" / " là R" / ", giữ chức R": what links a name to its title;
        # group "verb" when a verb gives the title (it may then be shared by names listed before).
        role_link_pattern=regex.compile(
            # first: ", hiện là R" is no ", R"; but not ", là R", which after a comma may be said of another
            # ("thư ký cho Bí thư Phạm Quang Nghị, là Phó Chánh Văn phòng")
            rf"(?: ?[,-] (?!là )| )(?P<verb>{alternation(persons['role_links'])}) "
            rf"| ?(?:,|-|\(|và|kiêm)(?: (?:\d{{1,3}} tuổi|SN \d{{4}}|sinh năm \d{{4}}),)? ?"
            rf"|(?P<verb>(?: (?!từng |thôi )\p{{Ll}}+){{1,5}} (?:{alternation(persons['role_verbs_after_words'])})) ",
            regex.V1,
        ),
        former_link_pattern=regex.compile(rf"{_WORD_START}(?:{alternation(persons['former_links'])}) "),
        subject_link_pattern=regex.compile(
            rf"{_WORD_START}(?<!(?:thôi|từng|miễn nhiệm) )(?:{alternation(persons['subject_links'])}) "
        ),
        subject_blocker_pattern=regex.compile(
            rf"{_WORD_START}(?i:{alternation(persons['subject_link_blockers'])}){_WORD_END}", regex.V1
        ),
        subject_passive_pattern=regex.compile(rf" (?:{alternation(persons['subject_passive'])}) "),
        title_for_pattern=regex.compile(rf"{_WORD_START}(?:{alternation(persons['title_for_words'])}) "),
        title_for_link_pattern=regex.compile(
            rf"[^.;:\n]{{0,100}}? {regex.escape(persons['title_for_link'])} (?:(?i:{alternation(persons['honorifics'])}) )?"
        ),
        named_after_pattern=regex.compile(
            rf"(?:{_WORD_START}(?i:{alternation(persons['named_after_person'])})"
            rf"|(?<![\p{{L}}\p{{N}}/.,-])(?<!(?i:{alternation(persons['house_number_not_after'])}) )"
            rf"{persons['house_number']}) $",
            regex.V1,
        ),
        body_enders=frozenset(orgs["body_enders"]),
        function_words=frozenset(orgs["function_words"]),
        stop_pattern=regex.compile(rf"(?i:{alternation(orgs['stop_words'])}){_WORD_END}"),
        honorific_pattern=regex.compile(
            rf"{_WORD_START}(?i:{alternation(persons['honorifics'])}) (?={_SYLLABLE})", regex.V1
        ),
        credit_pattern=regex.compile(rf"(?:{alternation(persons['credits'])}) ?"),
        credit_source_pattern=regex.compile(persons["credit_source"]),
        name_ender_pattern=regex.compile(rf"(?:{alternation(persons['name_enders'])}){_WORD_END}"),
        surnames=frozenset(persons["surnames"]),
        not_names=frozenset(persons["not_names"]),
        places=frozenset(persons["places"]),
        person_named_places=tuple(persons["person_named_places"]),
        place_word_pattern=regex.compile(rf"(?i:{alternation(persons['place_words'])}) $"),
    )


def _canonical_head(raw_head: str, lex: _Lexicon) -> str:
    return lex.abbreviated_heads.get(raw_head) or lex.head_of[raw_head.casefold()]


def _is_name_run(run: str, lex: _Lexicon, min_syllables: int = 2) -> bool:
    """A run of capitalised syllables that starts with a surname and is no known place."""
    syllables = run.split(" ")
    return (
        min_syllables <= len(syllables) <= 4
        and syllables[0] in lex.surnames
        and run not in lex.places
        and " ".join(syllables[:2]) not in lex.places  # "Hà Nội Phạm Quang" is a place and half a name
        and not any(syllable in lex.not_names for syllable in syllables[1:])
    )


def _capitalised_run(text: str, position: int, lex: _Lexicon) -> list[str]:
    """The capitalised syllables from POSITION on, ending before an honorific that starts a new mention."""
    match = _NAME_WINDOW.match(text, position)
    if not match:
        return []
    syllables = match.group().split(" ")
    # Pages glue sentences together ("... Đỗ Kim Hội Đồng chí Đỗ Kim Hội hứa", "Nguyễn Văn Hùng Đón đoàn"): a
    # name ends before an honorific, a title or a verb that opens the next sentence.
    offset = position
    for count, syllable in enumerate(syllables):
        if count and (
            lex.honorific_pattern.match(text, offset)
            or lex.head_pattern.match(text, offset)
            or lex.name_ender_pattern.match(text, offset)
        ):
            return syllables[:count]
        offset += len(syllable) + 1
    return syllables


def _name_at(text: str, position: int, lex: _Lexicon, min_syllables: int = 2) -> tuple[int, int] | None:
    """The span of a person's name starting at POSITION, or just after a place written there."""
    syllables = _capitalised_run(text, position, lex)
    # A place written before the name ("Sơn La Phạm Văn Thủy"): the name starts at the surname after it.
    skips = [skip for skip in range(len(syllables) - 1, 0, -1) if " ".join(syllables[:skip]) in lex.places]
    # A body's last word glued to a full name ("Chánh Văn phòng Trung ương Hội Trần Đức Long").
    if syllables and (syllables[0] not in lex.surnames or len(syllables) > 4):
        skips += [
            skip
            for skip in range(1, len(syllables) - 2)
            if syllables[skip] in lex.surnames and len(syllables) - skip <= 4
        ]
    for skip in [*skips, 0]:
        kept = syllables[skip:]
        if len(kept) > 4 and kept[-1] not in lex.surnames:
            kept = kept[:4]
        candidate = " ".join(kept)
        if _is_name_run(candidate, lex, min_syllables) and not lex.head_pattern.match(candidate):
            start = position + len(" ".join(syllables[:skip])) + (1 if skip else 0)
            return start, start + len(candidate)
    return None


def _place_after(text: str, position: int, lex: _Lexicon) -> int | None:
    """The end of the place named at POSITION after a level word or a place-bound body ("huyện Vũ Thư",
    "Tỉnh ủy Hà Giang", "quận 3"); None when what stands there is the person the title belongs to."""
    if match := _NUMBERED_PLACE.match(text, position):
        return match.end()
    match = _CAPITALISED.match(text, position)
    if not match or lex.head_pattern.match(text, position) or lex.level_pattern.match(text, position):
        return None  # a level word ("Thành ủy Thành phố Hồ Chí Minh") comes before the place
    if named := next((place for place in lex.person_named_places if match.group().startswith(place)), None):
        return position + len(named)  # "Thành phố Hồ Chí Minh"
    syllables = match.group().split(" ")
    # "Thành ủy Đà Nẵng Sáng nay ...": the place ends before a word that opens the next sentence.
    if cut := next((count for count, syllable in enumerate(syllables) if count and syllable in lex.body_enders), 0):
        return position + len(" ".join(syllables[:cut]))
    # Two capitalised syllables are a place; three or more that start with a surname are the person
    # ("thị xã Nguyễn Huy Hùng").
    if match.group().count(" ") != 1 and _name_at(text, position, lex):
        return None
    return match.end()


def _parse_body(text: str, position: int, lex: _Lexicon) -> tuple[int, list[str], str | None, str | None]:
    """How far a body's name runs from POSITION: (end, heads, level, place); end == POSITION for none."""
    end, heads, level, place = position, [], None, None
    runs_lowercase = False  # a head whose name goes on in lowercase words, over one capitalised word too
    while True:
        cursor = end + 1 if end > position else end
        if end > position and not text.startswith(" ", end):
            break
        if end > position and text.startswith("và ", cursor):
            if level:  # "Đảng ủy phường Bắc Hồng và UBND tỉnh": a body with its level is complete
                break
            following = cursor + 3
            if not (_CAPITALISED.match(text, following) or lex.abbreviation_pattern.match(text, following)):
                break
            # "Chi bộ A và Chi bộ B" names two party bodies; "Đoàn ĐBQH và HĐND tỉnh" names one office of both.
            head = lex.org_head_pattern.match(text, following)
            if (
                _name_at(text, following, lex)
                or lex.rank_pattern.match(text, following)  # "... điều tra và Đại úy Nguyễn Chí Trung"
                or (head and lex.org_heads[head.group().casefold()]["kind"] == "party")
            ):
                break
            cursor = following
            joined = True  # "Ban chỉ đạo Đổi mới và Phát triển doanh nghiệp": "Phát" opens no sentence here
        else:
            joined = False
        if lex.stop_pattern.match(text, cursor):
            break
        takes_place = False
        if (match := lex.term_pattern.match(text, cursor)) or (match := lex.continuation_pattern.match(text, cursor)):
            end = match.end()
        elif match := lex.org_head_pattern.match(text, cursor):
            heads.append(match.group())
            end = match.end()
            info = lex.org_heads[match.group().casefold()]
            takes_place = bool(info.get("takes_place"))
            runs_lowercase = runs_lowercase or bool(info.get("runs_lowercase"))
            if runs_lowercase:  # "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông"
                end = _lowercase_run(text, end, lex)
        elif match := lex.abbreviation_pattern.match(text, cursor):
            heads.append(lex.org_abbreviations[match.group()])
            end = match.end()
        elif match := lex.level_pattern.match(text, cursor):
            level = lex.levels[match.group()]
            end = match.end()
            takes_place = level != "central"
        elif name := _name_at(text, cursor, lex):
            if name[0] > cursor:  # a place, then the person: "Tỉnh ủy Quảng Nam Phan Việt Cường"
                place, end = text[cursor : name[0] - 1], name[0] - 1
            break
        elif lex.head_pattern.match(text, cursor):
            break
        elif match := _ACRONYM.match(text, cursor):  # a body's own acronym: "LĐLĐ", "VKSND"
            end = match.end()
        elif (match := _CAPITALISED.match(text, cursor)) and (
            joined or match.group().split(" ")[0] not in lex.body_enders
        ):
            end = match.end()
            # A lone capitalised syllable opens a word ("Kế hoạch", "Xây dựng"); a run is a proper name, unless
            # a lowercase syllable joins it to more capitalised words ("Hội Luật gia Việt Nam").
            single = " " not in match.group()
            lower = _LOWER_SYLLABLE.match(text, end)
            joins = lower and (
                single or (_CAPITALISED.match(text, lower.end() + 1) and lower[1] not in lex.function_words)
            )
            if joins and not lex.level_pattern.match(text, end + 1):
                end = lower.end()
            if runs_lowercase:  # "cục Hồ sơ nghiệp vụ cảnh sát": the first capitalised word inside such a name
                end = _lowercase_run(text, end, lex)
                runs_lowercase = False  # not past it: "Ban chỉ đạo Đổi mới và Phát triển doanh nghiệp bị ..."
        else:
            break
        if takes_place and text.startswith(" ", end) and (place_end := _place_after(text, end + 1, lex)):
            place, end = text[end + 1 : place_end], place_end
    return end, heads, level, place


def _lowercase_run(text: str, end: int, lex: _Lexicon) -> int:
    """Where the lowercase words from END on that go on a body's name stop: at a function word, a level word,
    a stop word or anything not lowercase."""
    while (lower := _LOWER_SYLLABLE.match(text, end)) and lower[1] not in lex.function_words:
        if lex.level_pattern.match(text, end + 1) or lex.stop_pattern.match(text, end + 1):
            break
        end = lower.end()
    return end


def expand(name: str, lex: _Lexicon | None = None) -> str:
    """A body's name with its abbreviations written out ("HĐND tỉnh" -> "Hội đồng nhân dân tỉnh")."""
    lex = lex or lexicon()
    return lex.abbreviation_pattern.sub(lambda match: lex.org_abbreviations[match.group()], name)


def org_span(text: str, start: int, lex: _Lexicon, rule: str) -> OrgSpan | None:
    end, heads, level, place = _parse_body(text, start, lex)
    if end <= start:
        return None
    name = text[start:end]
    infos = [info for head in heads if (info := lex.org_heads.get(head.casefold()))]
    # A generic head ("Văn phòng", "Thường trực") belongs to the body named after it.
    specific = [info for info in infos if not info.get("generic")] or infos
    kind = specific[0]["kind"] if specific else "other"
    level = level or next((info["level"] for info in specific if info.get("level")), None)
    return OrgSpan(start, end, name, expand(name, lex), kind, level, place, f"{rule}:{heads[0]}" if heads else rule)


def find_titles(text: str, lex: _Lexicon) -> list[TitleSpan]:
    titles: list[TitleSpan] = []
    for match in lex.head_pattern.finditer(text):
        checkpoint()  # the time limit, where no timer signal reaches (Dask threads)
        if titles and match.start() < titles[-1].end:
            continue  # "Trưởng đoàn Đại biểu Quốc hội": a head inside the body of the title before it
        head = _canonical_head(match["head"], lex)
        body_start = match.end() + 1
        prefix = lex.body_prefix.get(head)
        if prefix and text.startswith(f" {prefix} ", match.end()):
            prefix = None  # "Trưởng ban Ban Dân vận": the body's own name is written out after the head
        if prefix and text[match.start("head") : match.end("head")].casefold().endswith(prefix.casefold()):
            body_start = match.end() - len(prefix)  # "Trưởng Ban Tuyên giáo": the body is "Ban Tuyên giáo"
        body = org_span(text, body_start, lex, f"title.body:{head}") if text.startswith(" ", match.end()) else None
        if body and body.end - body.start <= len(prefix or ""):
            body = None
        elif body and prefix:  # "Trưởng ban Tổ chức": the body is "Ban Tổ chức", in its canonical case
            body = replace(body, expanded=prefix + body.expanded[len(prefix) :])
        end = max(match.end(), body.end) if body else match.end()
        rule = "title.abbreviation" if match["head"] in lex.abbreviated_heads else "title.head"
        former = text[match.start() : match.start("head")].strip().split(" ")[0] in lex.former_modifiers
        titles.append(TitleSpan(match.start(), end, head, body, rule, former))
    return titles


def find_organizations(text: str, lex: _Lexicon, titles: list[TitleSpan]) -> list[OrgSpan]:
    """Capitalised mentions of bodies outside title heads, each with its whole name."""
    heads = Taken([(title.start, title.body.start if title.body else title.end) for title in titles])
    found: list[OrgSpan] = []
    position = 0
    while match := lex.org_mention_pattern.search(text, position):
        start = match.start()
        position = match.end()
        if not text[start].isupper() or heads.overlaps(start, start + 1):
            continue
        if match.group() in lex.org_abbreviations and match.group() not in lex.standalone_abbreviations:
            continue
        span = org_span(text, start, lex, "org.head")
        if span:
            found.append(span)
            position = span.end
    return found


def find_names(text: str, lex: _Lexicon, titles: list[TitleSpan], author: str | None) -> list[Name]:
    """(start, end, rule) of every name mention, honorific-led first, then title-led, then by surname."""
    found: list[Name] = []
    taken = Taken()

    def take(span: tuple[int, int] | None, rule: str) -> None:
        if span and taken.take(*span):
            found.append((span[0], span[1], rule))

    for match in lex.honorific_pattern.finditer(text):
        syllables = _capitalised_run(text, match.end(), lex)[:4]
        body_word = lex.org_head_pattern.match(text, match.end()) or lex.level_pattern.match(text, match.end())
        # "các đồng chí Trung ương", "đồng chí Đại tá Huỳnh Tiến Mạnh" (the rank leads the name: see below)
        if (
            not syllables
            or lex.head_pattern.match(text, match.end())
            or body_word
            or lex.rank_pattern.match(text, match.end())
        ):
            continue
        span = _name_at(text, match.end(), lex) or _name_at(text, match.end(), lex, min_syllables=1)
        if span is None:  # "đồng chí Thanh Tùng": given names only
            if syllables[0] in lex.not_names:
                continue
            span = (match.end(), match.end() + len(" ".join(syllables)))
        take(span, "name.honorific")
    for match in lex.rank_pattern.finditer(text):  # "Thượng tướng Trần Việt Tân", "Đại tá Hùng"
        take(_name_at(text, match.end(), lex) or _name_at(text, match.end(), lex, min_syllables=1), "name.rank")
    for title in titles:
        if text.startswith(" ", title.end):
            take(_name_at(text, title.end + 1, lex), "name.after_title")
    for match in lex.credit_pattern.finditer(text):  # a credit names a person even without a known surname
        position = source.end() if (source := lex.credit_source_pattern.match(text, match.end())) else match.end()
        if name := _name_at(text, position, lex):
            take(name, "name.credit")
        elif (credited := _CREDITED.match(text, position)) and credited.group() not in lex.places:
            take(credited.span(), "name.credit")  # a pen name: two words ("Ảnh: Thành Cường")
    title_starts = {title.start for title in titles}
    for match in _CAPITALISED.finditer(text):
        checkpoint()
        span = _name_at(text, match.start(), lex)
        if span is None or lex.place_word_pattern.search(text, max(0, span[0] - 12), span[0]):
            continue
        follower = _FOLLOWER.match(text, span[1], span[1] + 3)
        if follower and follower.end() in title_starts:
            take(span, "name.before_title")
        elif span[1] - span[0] > 0 and len(text[span[0] : span[1]].split(" ")) >= 3:
            take(span, "name.surname")
    for name in author.split(" - ") if author else []:  # "Hoàng Thùy - Nguyễn Hoài": two authors
        if _BYLINE_NAME.fullmatch(name) and name not in lex.places and (position := text.rfind(name)) >= 0:
            take((position, position + len(name)), "name.byline")
    return sorted(found)


def _after_names(
    text: str, titles: list[TitleSpan], names: list[Name], lex: _Lexicon, used: set[int], given: set[int]
) -> dict[int, list[Link]]:
    """ "X, R1, R2" / "X - R1" / "X (R)" / "X là R": the titles written after each name. GIVEN collects the
    starts of titles a verb gives ("được bầu giữ chức R"), which names listed before may share."""
    by_start = {title.start: title for title in titles}
    ends = {title.end for title in titles}
    name_starts = {start for start, _, _ in names}
    linked: dict[int, list[Link]] = {}
    for start, end, _ in names:
        separator = lex.role_link_pattern.match(text, end)
        chain: list[Link] = []
        if start - 1 in ends and _leads_to_name(text, end, by_start, name_starts):
            # "R1, R2 A, R3, R4 B": a list of titles-then-name; R3 and R4 lead to B, not back to A.
            separator = None
        while separator and (title := by_start.get(separator.end())) and title.start not in used:
            if title.end + 1 in name_starts:  # "X, Phó Thủ tướng Y": the title is the next person's
                break
            chain.append((title, "role.after_name"))
            used.add(title.start)
            if separator.group("verb") or (chain[:-1] and chain[-2][0].start in given):
                given.add(title.start)
            separator = lex.role_link_pattern.match(text, title.end)
            if separator and separator.group().strip().startswith("("):
                break
        linked[start] = chain
    return linked


def _leads_to_name(text: str, position: int, by_start: dict[int, TitleSpan], name_starts: set[int]) -> bool:
    """Whether the titles listed from POSITION on (", R3, R4") end right before a name."""
    while text.startswith(", ", position) and (title := by_start.get(position + 2)):
        if title.end + 1 in name_starts and text.startswith(" ", title.end):
            return True
        position = title.end
    return False


def _before_names(
    text: str,
    titles: list[TitleSpan],
    names: list[Name],
    used: set[int],
    linked: dict[int, list[Link]],
    rank_starts: dict[int, int],
) -> None:
    """ "R1, R2 X": the titles written right before each name, walked back over ", " and " - "."""
    ends = {title.end: title for title in titles}
    for start, _, _ in names:
        lead = rank_starts.get(start, start)  # "Tư lệnh Quân khu 9, Trung tướng X": the titles stand before the rank
        title = ends.get(lead - 1) or (ends.get(lead - 2) if text[lead - 2 : lead] == ", " and lead != start else None)
        before: list[Link] = []
        while title and title.start not in used and text[title.end : title.end + 1] in {" ", ","}:
            before.insert(0, (title, "role.before_name"))
            used.add(title.start)
            back = _BACK_LINK.search(text, max(0, title.start - 3), title.start)
            title = ends.get(title.start - len(back.group())) if back else None
        linked[start] = before + linked.get(start, [])


def _listed_after_colon(text: str, titles: list[TitleSpan], names: list[Name], linked: dict[int, list[Link]]) -> None:
    """ "Các đồng chí Phó Chánh văn phòng Trung ương Đảng: Trần Văn Thành, Bùi Văn Thạch": a title, a colon,
    then the names that hold it, each perhaps with titles of its own ("Nguyễn Bá - Nguyên Bí thư ...; Lê ...")."""
    name_at = {start: (start, end) for start, end, _ in names}
    ends = {title.end: title for title in titles}
    by_start = {title.start: title for title in titles}
    for title in titles:
        colon = _COLON.match(text, title.end, title.end + 3)
        position = colon.end() if colon else -1
        # "các đồng chí Ủy viên Bộ Chính trị, Bí thư Trung ương Đảng: A, ...": every title of the chain before
        # the colon is shared.
        shared = [title]
        while colon and (back := _BACK_LINK.search(text, max(0, shared[0].start - 3), shared[0].start)):
            if not (earlier := ends.get(shared[0].start - len(back.group()))):
                break
            shared.insert(0, earlier)
        while position in name_at:
            start, end = name_at[position]
            own = [t.end for t, _ in linked.get(start, []) if t.start > start]
            have = {t.start for t, _ in linked.get(start, [])}
            linked[start] = [*linked.get(start, []), *((t, "role.listed") for t in shared if t.start not in have)]
            separator = _LIST_SEPARATOR.match(text, max([end, *own]))
            position = separator.end() if separator else -1
        # "các đồng chí Ủy viên Bộ Chính trị, Bí thư Trung ương Đảng: Trưởng Ban Tổ chức Trung ương A, Trưởng ban
        # Tuyên giáo Trung ương B; Bí thư Trung ương Đảng, Giám đốc ... C": each name written after its own
        # titles, the list going on over commas; a semicolon ends it (C's titles are written out again).
        while (own_title := by_start.get(position)) and position not in name_at:
            while own_title and own_title.end + 1 not in name_at:
                own_title = by_start.get(own_title.end + 2) if text.startswith(", ", own_title.end) else None
            if not own_title:
                break
            start, end = name_at[own_title.end + 1]
            have = {t.start for t, _ in linked.get(start, [])}
            linked[start] = [*linked.get(start, []), *((t, "role.listed") for t in shared if t.start not in have)]
            separator = _TITLED_ITEM_SEPARATOR.match(text, end)
            position = separator.end() if separator else -1


def _shared_in_lists(text: str, names: list[Name], linked: dict[int, list[Link]], given: set[int]) -> None:
    """Names listed together share titles given once for all of them."""
    # "Phó Chủ tịch Hội Luật gia Việt Nam Dương Thành Bắc, Lê Thị Kim Thanh": the names after one whose titles
    # stand before it, with no titles of their own.
    for (start, end, _), (next_start, _, _) in itertools.pairwise(names):
        before = [
            (title, "role.shared")
            for title, how in linked.get(start, [])
            if how in {"role.before_name", "role.shared"} and title.end < start
        ]
        if before and not linked.get(next_start) and _IN_LIST.fullmatch(text, end, next_start):
            linked[next_start] = before
    # "Các ông A, B và bà C được bầu giữ chức Phó Bí thư": the names before one whose titles a verb gives
    # (not a comma: "A, B, Chủ tịch" gives B alone the title).
    for (start, end, _), (next_start, next_end, _) in reversed(list(itertools.pairwise(names))):
        after = [
            (title, how)
            for title, how in linked.get(next_start, [])
            if how in {"role.after_name", "role.shared", "role.subject"}
        ]
        own = [title for title, how in linked.get(start, []) if how == "role.after_name"]
        if own and not any(title.start in given for title in own):
            # "ông A - R1, R2 và ông B - R3 được bầu giữ chức R4": A is given R4 too, not B's own R3.
            if _IN_LIST.fullmatch(text, max(title.end for title in own), next_start):
                linked[start] += [(title, "role.shared") for title, _ in after if title.start in given]
            continue
        if linked.get(start) or not after or not _IN_LIST.fullmatch(text, end, next_start):
            continue
        if after[0][1] == "role.after_name" and _APPOSITIVE.fullmatch(text, next_end, after[0][0].start):
            continue
        linked[start] = [(title, "role.shared") for title, _ in after]


def _subject_links(
    text: str,
    titles: list[TitleSpan],
    names: list[Name],
    lex: _Lexicon,
    used: set[int],
    linked: dict[int, list[Link]],
    given: set[int],
) -> None:
    """Titles a verb gives further on in the sentence, to the last person named before it:
    - "Ông X (46 tuổi, quê ...) là thạc sĩ ..., từng giữ chức R": a former title; a list of titles after
      "từng" is a career history and gives none;
    - "Chỉ định đồng chí X vào Ban Chấp hành ... và giữ chức R1, R2": the title and those listed after it."""
    by_start = {title.start: title for title in titles}
    for pattern, rule in ((lex.former_link_pattern, "role.former"), (lex.subject_link_pattern, "role.subject")):
        for match in pattern.finditer(text):
            title = by_start.get(match.end())
            before = [name for name in names if name[1] <= match.start() and match.start() - name[1] <= 300]
            if not title or title.start in used or not before:
                continue
            start, end, _ = before[-1]
            if _SENTENCE_BREAK.search(text, end, match.start()):
                continue  # another sentence: its subject is not named here
            if (
                rule == "role.subject"
                and not lex.subject_passive_pattern.match(text, end)  # "X được ... quyết định ... giữ chức vụ R"
                and lex.subject_blocker_pattern.search(text, end, match.start())
            ):
                continue  # "X công bố Quyết định ... bổ nhiệm cán bộ giữ chức vụ R": not X's title
            clause = _CLAUSE.match(text, title.end)
            listed = [
                other
                for other in by_start
                if title.end < other <= clause.end() and _LISTED_BEFORE.search(text, other - 4, other)
            ]
            if rule == "role.former" and listed:
                continue  # "từng giữ chức R1, R2, R3": a career history, not roles (docs/annotation.md)
            while title and title.start not in used:
                linked.setdefault(start, []).append((title, rule))
                used.add(title.start)
                if rule == "role.subject":
                    given.add(title.start)
                title = by_start.get(title.end + 2) if text.startswith(", ", title.end) else None


def _titles_for(
    text: str, titles: list[TitleSpan], names: list[Name], lex: _Lexicon, used: set[int], linked: dict[int, list[Link]]
) -> None:
    """ "bầu bổ sung chức vụ Ủy viên UBND tỉnh khóa XVIII, nhiệm kỳ 2016-2021 đối với ông X": the title written
    before, for the person named after "đối với" in the same clause."""
    by_start = {title.start: title for title in titles}
    name_starts = {start for start, _, _ in names}
    for match in lex.title_for_pattern.finditer(text):
        title = by_start.get(match.end())
        if not title or title.start in used:
            continue
        link = lex.title_for_link_pattern.match(text, title.end)
        if link and link.end() in name_starts:
            linked.setdefault(link.end(), []).append((title, "role.title_for"))
            used.add(title.start)


def _chains(
    text: str, titles: list[TitleSpan], names: list[Name], lex: _Lexicon, rank_starts: dict[int, int]
) -> tuple[dict[int, list[Link]], set[int]]:
    """For each name (by start), the titles written next to it and the rule that linked each; and the starts
    of the titles that are former (see _former_titles)."""
    used: set[int] = set()  # a title belongs to one name, the first that claims it
    given: set[int] = set()
    linked = _after_names(text, titles, names, lex, used, given)
    _before_names(text, titles, names, used, linked, rank_starts)
    _subject_links(text, titles, names, lex, used, linked, given)
    _titles_for(text, titles, names, lex, used, linked)
    _listed_after_colon(text, titles, names, linked)
    _shared_in_lists(text, names, linked, given)
    return linked, _former_titles(text, linked)


def _former_titles(text: str, linked: dict[int, list[Link]]) -> set[int]:
    """Starts of the titles held before: written with "nguyên"/"cựu", given by "từng giữ chức", or following a
    "nguyên" title in the same chain ("nguyên Đảng ủy viên, Bí thư Chi bộ") unless a verb stands between
    ("nguyên Chủ tịch UBND tỉnh, hiện là Bí thư Tỉnh ủy")."""
    former: set[int] = set()
    for links in linked.values():
        for how in ("role.after_name", "role.before_name"):
            chain = sorted((title for title, rule in links if rule == how), key=lambda title: title.start)
            held_before = False
            for previous, title in zip([None, *chain], chain, strict=False):
                if previous and _VERB_BETWEEN.search(text, previous.end, title.start):
                    held_before = False
                held_before = held_before or title.former
                if held_before:
                    former.add(title.start)
        former |= {title.start for title, rule in links if rule == "role.former" or title.former}
    return former


def _shortenings(names: list[tuple[int, str]]) -> dict[str, list[tuple[int, str]]]:
    """Each ending of a full name ("Thạch", "Viết Thạch") -> the (position, full name) of its mentions."""
    table: dict[str, list[tuple[int, str]]] = {}
    for position, name in names:
        syllables = name.split(" ")
        for size in range(1, len(syllables)):
            table.setdefault(" ".join(syllables[-size:]), []).append((position, name))
    return table


def _full_name(short: str, position: int, shortenings: dict[str, list[tuple[int, str]]]) -> str | None:
    """The full name "ông Cường" shortens: the only one ending so, else the last one named before it."""
    candidates = shortenings.get(short, [])
    if len({name for _, name in candidates}) == 1:
        return candidates[0][1]
    before = [(at, name) for at, name in candidates if at < position]
    return max(before)[1] if before else None


def tag(text: str, author: str | None = None) -> Tagged:
    """Persons, their roles and the organisations of one normalised article text."""
    lex = lexicon()
    titles = find_titles(text, lex)
    organizations = find_organizations(text, lex, titles)
    # A run written after a level word elsewhere in the article is a place there too ("huyện Thạch Hà").
    places = {org.place for org in [*organizations, *(t.body for t in titles if t.body)] if org.place}
    # A surname-led run inside a body's name is the body's ("Tỉnh Đoàn Tiền Giang"), not a person.
    org_spans = Taken([(org.start, org.end) for org in organizations])
    names = [
        name
        for name in find_names(text, lex, titles, author)
        if text[name[0] : name[1]] not in places
        and not (name[2] == "name.surname" and org_spans.overlaps(*name[:2]))
        and not _named_after(text, name[0], lex)
    ]
    ranks = {
        start: match
        for start, _, _ in names
        if (match := lex.rank_pattern.search(text, max(0, start - 20), start + 1)) and match.end() == start
    }
    chains, former = _chains(text, titles, names, lex, {start: match.start() for start, match in ranks.items()})
    shortenings = _shortenings([(start, text[start:end]) for start, end, _ in names if " " in text[start:end]])
    persons: dict[str, Person] = {}
    roles: list[RoleLink] = []
    for start, end, rule in names:
        checkpoint()
        mention = text[start:end]
        name = _full_name(mention, start, shortenings) or mention  # "đồng chí Thạch" is Phạm Viết Thạch
        person = persons.setdefault(name, Person(name, start, end, rule))
        person.mentions.append((start, end))
        if start in ranks and person.rank is None:
            person.rank = lex.ranks[ranks[start].group().strip().casefold()]
        roles.extend(RoleLink(person, title, how, title.start in former) for title, how in chains.get(start, []))
    # Later mentions written without honorific or title: one pass over the text for all full names.
    mentioned = Taken([mention for person in persons.values() for mention in person.mentions])
    if full := [name for name in persons if " " in name]:  # a lone given name would match inside other words
        names_pattern = regex.compile(rf"{_WORD_START}(?:{alternation(full)}){_WORD_END}")
        for match in names_pattern.finditer(text):
            checkpoint()
            if not _named_after(text, match.start(), lex) and mentioned.take(*match.span()):
                persons[match.group()].mentions.append(match.span())
    # A title given from afar ("... và giữ chức R") comes after those written next to a name: where a person's
    # title is written both ways, the row keeps the span next to the name.
    roles.sort(key=lambda link: link.rule in {"role.subject", "role.former"})
    return Tagged(list(persons.values()), roles, organizations)


def _named_after(text: str, start: int, lex: _Lexicon) -> bool:
    """Whether the name at START names a thing called after a person ("trường THPT Lê Quý Đôn")."""
    return bool(lex.named_after_pattern.search(text, max(0, start - 40), start))


def person_id(article_id: str, name: str) -> str:
    return hashlib.sha256(f"{article_id}\x1f{name}".encode()).hexdigest()[:12]


def rows(article_id: str, text: str, tagged: Tagged) -> dict[str, list[dict[str, object]]]:
    """The persons, roles and organizations rows of one article, before validation.

    Roles are one row per (person, title, body): a title repeated at every mention is one role, and a title
    written once without its body ("UVBTV") is dropped when the same person's same title is also given with it.
    """
    persons, roles, seen = [], [], set()
    for person in tagged.persons:
        identifier = person_id(article_id, person.name)
        first = min(person.mentions)
        persons.append(
            {"article_id": article_id, "person_id": identifier, "name": person.name,
             "n_mentions": len(person.mentions), "start": first[0], "end": first[1], "rule": person.rule}
        )  # fmt: skip
    with_body = {(id(link.person), link.title.head) for link in tagged.roles if link.title.body}
    for link in tagged.roles:
        organization = link.title.body.expanded if link.title.body else None
        key = (id(link.person), link.title.head, organization.casefold() if organization else None)
        if key in seen or (organization is None and key[:2] in with_body):
            continue
        seen.add(key)
        roles.append(
            {"article_id": article_id, "person_id": person_id(article_id, link.person.name),
             "person_name": link.person.name, "title": link.title.head, "organization": organization,
             "raw": text[link.title.start : link.title.end], "start": link.title.start, "end": link.title.end,
             "rank": link.person.rank, "former": link.former, "rule": f"{link.rule}+{link.title.rule}"}
        )  # fmt: skip
    organizations = [
        {"article_id": article_id, "name": org.name, "name_expanded": org.expanded, "kind": org.kind,
         "level": org.level, "place": org.place, "start": org.start, "end": org.end, "rule": org.rule}
        for org in tagged.organizations
    ]  # fmt: skip
    return {"persons": persons, "roles": roles, "organizations": organizations}
