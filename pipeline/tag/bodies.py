"""Organisations: a body's head from patterns/organizations.yaml ("Tỉnh ủy", "Ban", "HĐND") and the words that
go on its name ("Ban Tuyên giáo Tỉnh ủy Hà Giang"), with its kind, level and place.

The public API, for the tagger and for other stages (a document's issuer): `body_at` and `expand`."""

from __future__ import annotations

from functools import lru_cache

import regex

from pipeline.spans import Taken
from pipeline.tag.lexicon import CAPITALISED, Lexicon, Words, lexicon
from pipeline.tag.names import name_at
from pipeline.tag.types import Body, OrgSpan, TitleSpan

_LOWER_SYLLABLE = regex.compile(r" (\p{Ll}+)(?![\p{L}\p{M}\p{N}])")
_NUMBERED_PLACE = regex.compile(r"\d{1,3}(?!\d)")  # "quận 3", "phường 11"
_ACRONYM = regex.compile(r"\p{Lu}[\p{Lu}\d.&-]*\p{Lu}(?![\p{L}\p{M}\p{N}])")
_UPPER = regex.compile(r"\p{Lu}")


@lru_cache(maxsize=4096)
def _is_upper(char: str) -> bool:
    """Whether CHAR (one character, or none at the text's end) is what a name, an acronym or CAPITALISED
    starts with."""
    return _UPPER.match(char) is not None


# What _parse_body found in one article, by position: made per article, for the positions read twice (a
# title's body is met again by the scan for bodies, about one parse in four).
BodiesAt = dict[int, Body]


def body_at(
    text: str, start: int, rule: str, lex: Lexicon | None = None, memo: BodiesAt | None = None
) -> OrgSpan | None:
    """The body whose name starts at START, found by RULE (the row's rule names it and the body's first head);
    None when no body's name starts there. MEMO: the article's earlier parses (see BodiesAt)."""
    lex = lex or lexicon()
    if memo is None:
        parsed = _parse_body(text, start, lex)
    elif (parsed := memo.get(start)) is None:
        parsed = memo[start] = _parse_body(text, start, lex)
    end, heads, level, place = parsed
    if end <= start:
        return None
    name = text[start:end]
    infos = [info for head in heads if (info := lex.org_heads.get(head.casefold()))]
    # A generic head ("Văn phòng", "Thường trực") belongs to the body named after it.
    specific = [info for info in infos if not info.generic] or infos
    kind = specific[0].kind if specific else "other"
    level = level or next((info.level for info in specific if info.level), None)
    return OrgSpan(start, end, name, expand(name, lex), kind, level, place, f"{rule}:{heads[0]}" if heads else rule)


def expand(name: str, lex: Lexicon | None = None) -> str:
    """A body's name with its abbreviations written out ("HĐND tỉnh" -> "Hội đồng nhân dân tỉnh")."""
    lex = lex or lexicon()
    return lex.abbreviation_pattern.sub(lambda match: lex.org_abbreviations[match.group()], name)


def find_organizations(
    text: str, lex: Lexicon, titles: list[TitleSpan], words: Words | None = None, memo: BodiesAt | None = None
) -> list[OrgSpan]:
    """Capitalised mentions of bodies outside title heads, each with its whole name."""
    heads = Taken([(title.start, title.body.start if title.body else title.end) for title in titles])
    found: list[OrgSpan] = []
    position = 0
    words = words or Words(text, lex)
    while match := words.first(lex.org_mention_pattern, lex.org_mention_firsts, position):
        start = match.start()
        position = match.end()
        if not text[start].isupper() or heads.overlaps(start, start + 1):
            continue
        if match.group() in lex.org_abbreviations and match.group() not in lex.standalone_abbreviations:
            continue
        span = body_at(text, start, "org.head", lex, memo)
        if span:
            found.append(span)
            position = span.end
    return found


def _place_after(text: str, position: int, lex: Lexicon) -> int | None:
    """The end of the place named at POSITION after a level word or a place-bound body ("huyện Vũ Thư",
    "Tỉnh ủy Hà Giang", "quận 3"); None when what stands there is the person the title belongs to."""
    if match := _NUMBERED_PLACE.match(text, position):
        return match.end()
    match = CAPITALISED.match(text, position)
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
    if match.group().count(" ") != 1 and name_at(text, position, lex):
        return None
    return match.end()


def _parse_body(text: str, position: int, lex: Lexicon) -> Body:
    """How far a body's name runs from POSITION, with its heads, level and place."""
    end, heads, level, place = position, [], None, None
    runs_lowercase = False  # a head whose name goes on in lowercase words, over one capitalised word too
    while True:
        cursor = end + 1 if end > position else end
        if end > position and not text.startswith(" ", end):
            break
        if (
            end > position
            and text.startswith(lex.conjunctions, cursor)
            and (conjunction := lex.conjunction_pattern.match(text, cursor))
        ):
            if level:  # "Đảng ủy phường Bắc Hồng và UBND tỉnh": a body with its level is complete
                break
            following = conjunction.end()
            if not (CAPITALISED.match(text, following) or lex.abbreviation_pattern.match(text, following)):
                break
            # "Chi bộ A và Chi bộ B" names two party bodies; "Đoàn ĐBQH và HĐND tỉnh" names one office of both.
            head = lex.org_head_pattern.match(text, following)
            if (
                name_at(text, following, lex)
                or lex.rank_pattern.match(text, following)  # "... điều tra và Đại úy Nguyễn Chí Trung"
                or (head and lex.org_heads[head.group().casefold()].kind == "party")
            ):
                break
            cursor = following
            joined = True  # "Ban chỉ đạo Đổi mới và Phát triển doanh nghiệp": "Phát" opens no sentence here
        else:
            joined = False
        part = lex.body_part_pattern.match(text, cursor)  # one match for the six word lists, in this order
        kind = part.lastgroup if part else None  # which of the six: each is a named group of its own
        if kind == "stop":
            break
        takes_place = False
        if kind == "term" or kind == "continuation":
            end = part.end()
        elif kind == "head":
            word = part.group()
            heads.append(word)
            end = part.end()
            info = lex.org_heads[word.casefold()]
            takes_place = info.takes_place
            runs_lowercase = runs_lowercase or info.runs_lowercase
            if runs_lowercase:  # "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông"
                end = _lowercase_run(text, end, lex)
        elif kind == "abbreviation":
            heads.append(lex.org_abbreviations[part.group()])
            end = part.end()
        elif kind == "level":
            level = lex.levels[part.group()]
            end = part.end()
            takes_place = level != "central"
        elif not _is_upper(text[cursor : cursor + 1]):
            break  # the words below start uppercase but a title's head ("phó chủ tịch"), which ends the name too
        elif name := name_at(text, cursor, lex):
            if name.start > cursor:  # a place, then the person: "Tỉnh ủy Quảng Nam Phan Việt Cường"
                place, end = text[cursor : name.start - 1], name.start - 1
            break
        elif lex.head_pattern.match(text, cursor):
            break
        elif match := _ACRONYM.match(text, cursor):  # a body's own acronym: "LĐLĐ", "VKSND"
            end = match.end()
        elif (match := CAPITALISED.match(text, cursor)) and (
            joined or match.group().split(" ")[0] not in lex.body_enders
        ):
            end = match.end()
            # A lone capitalised syllable opens a word ("Kế hoạch", "Xây dựng"); a run is a proper name, unless
            # a lowercase syllable joins it to more capitalised words ("Hội Luật gia Việt Nam").
            single = " " not in match.group()
            lower = _LOWER_SYLLABLE.match(text, end)
            joins = lower and (
                single or (CAPITALISED.match(text, lower.end() + 1) and lower[1] not in lex.function_words)
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
    return Body(end, heads, level, place)


def _lowercase_run(text: str, end: int, lex: Lexicon) -> int:
    """Where the lowercase words from END on that go on a body's name stop: at a function word, a level word,
    a stop word or anything not lowercase."""
    while (lower := _LOWER_SYLLABLE.match(text, end)) and lower[1] not in lex.function_words:
        if lex.level_pattern.match(text, end + 1) or lex.stop_pattern.match(text, end + 1):
            break
        end = lower.end()
    return end
