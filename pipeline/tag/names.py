"""Names of persons: a run of capitalised syllables after an honorific, a rank or a title, before a title, after
a credit, or starting with a known surname; and whether a name names a thing called after a person."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from pipeline.deadline import checkpoint
from pipeline.spans import Taken
from pipeline.tag.lexicon import NAME_WINDOW, WORD_CHAR, Lexicon, Words
from pipeline.tag.types import Name, Span, TitleSpan
from pipeline.tag.windows import NAME_MAX_SYLLABLES, NAMED_AFTER_BEFORE, PLACE_WORD_BEFORE, SEPARATOR_REACH

_MORE = f"{{1,{NAME_MAX_SYLLABLES - 1}}}"  # the syllables of a name after its first
_CREDITED = regex.compile(
    rf"\p{{Lu}}\p{{Ll}}+ \p{{Lu}}\p{{Ll}}+(?![\p{{L}}\p{{M}}])|\p{{Lu}}+(?: \p{{Lu}}+){_MORE}(?![\p{{L}}\p{{M}}])"
)
_BYLINE_NAME = regex.compile(rf"(?:\p{{Lu}}\p{{Ll}}+(?: \p{{Lu}}\p{{Ll}}+){_MORE})|(?:\p{{Lu}}+(?: \p{{Lu}}+){_MORE})")
_FOLLOWER = regex.compile(r" ?[-,(] ?")
# A syllable of a run of CAPITALISED and the space after it, read backwards from a position (one at a time: the
# regex module's backward repeat of a group is quadratic on a run of thousands).
_SYLLABLE_BEFORE = regex.compile(r"\p{Lu}\p{Ll}* ", regex.REVERSE)


def _runs_with_surname(text: str, lex: Lexicon) -> Iterator[int]:
    """Where each of CAPITALISED's runs that holds a surname starts, left to right: from the surnames, found in
    one pass, back to their run's start; the ~85% of runs without one ("Đảng", "Ban Thường vụ") are never read."""
    previous = -1  # where the last surname read stands: a walk back that reaches it is in a run read already
    for end, surname in lex.surname_automaton.iter(text):
        if WORD_CHAR.match(text, end + 1):
            continue  # the start of a longer word ("Hàn" is no "Hà"): no syllable
        start = found = end + 1 - len(surname)
        while start > previous and (syllable := _SYLLABLE_BEFORE.match(text, 0, start)):
            start = syllable.start()  # back over the run's syllables before the surname
        if start != previous:  # a run with two surnames ("Lê Kim Toàn") is read once
            yield start
        previous = found


def _is_name_run(syllables: list[str], lex: Lexicon, min_syllables: int = 2) -> bool:
    """A run of capitalised syllables that starts with a surname and is no known place."""
    return (
        min_syllables <= len(syllables) <= NAME_MAX_SYLLABLES
        and syllables[0] in lex.surnames
        and " ".join(syllables) not in lex.places
        and " ".join(syllables[:2]) not in lex.places  # "Hà Nội Phạm Quang" is a place and half a name
        and not any(syllable in lex.not_names for syllable in syllables[1:])
    )


def capitalised_run(text: str, position: int, lex: Lexicon) -> list[str]:
    """The capitalised syllables from POSITION on, ending before an honorific that starts a new mention."""
    match = NAME_WINDOW.match(text, position)
    return _run_until_break(text, position, lex, match.group().split(" ")) if match else []


def _run_until_break(text: str, position: int, lex: Lexicon, syllables: list[str]) -> list[str]:
    """SYLLABLES, NAME_WINDOW's match at POSITION, up to where a new mention starts."""
    # Pages glue sentences together ("... Đỗ Kim Hội Đồng chí Đỗ Kim Hội hứa", "Nguyễn Văn Hùng Đón đoàn"): a
    # name ends before an honorific, a title or a verb that opens the next sentence.
    offset = position
    breaks = lex.name_break_firsts  # a syllable that starts none of them breaks nothing: no match to try
    for count, syllable in enumerate(syllables):
        if count and (breaks is None or syllable.casefold() in breaks) and lex.name_break_pattern.match(text, offset):
            return syllables[:count]
        offset += len(syllable) + 1
    return syllables


# What name_at found in one article, by (position, min_syllables): made per article, for the calls that ask
# again at one position (an honorific, a title's end and the run that starts there).
NamesAt = dict[tuple[int, int], Span | None]


def name_at(text: str, position: int, lex: Lexicon, min_syllables: int = 2, memo: NamesAt | None = None) -> Span | None:
    """The span of a person's name starting at POSITION, or just after a place written there. MEMO: the
    article's earlier answers (see NamesAt)."""
    if memo is None:
        return _name_at(text, position, lex, min_syllables)
    key = (position, min_syllables)
    if key not in memo:
        memo[key] = _name_at(text, position, lex, min_syllables)
    return memo[key]


def _name_at(text: str, position: int, lex: Lexicon, min_syllables: int) -> Span | None:
    # Every name found below starts with a surname of the run: most runs ("Đảng", "Ban Thường vụ") have none,
    # and one set test spares them the syllable-by-syllable look at where the run ends.
    window = NAME_WINDOW.match(text, position)
    if not window:
        return None
    syllables = window.group().split(" ")
    if len(syllables) < min_syllables or lex.surnames.isdisjoint(syllables):
        return None  # a name is no longer than the run ("Đoàn" alone), and starts with a surname of it
    syllables = _run_until_break(text, position, lex, syllables)
    # A place written before the name ("Sơn La Phạm Văn Thủy"): the name starts at the surname after it.
    skips = (
        [skip for skip in range(len(syllables) - 1, 0, -1) if " ".join(syllables[:skip]) in lex.places]
        if syllables[0] in lex.place_firsts
        else []
    )
    # A body's last word glued to a full name ("Chánh Văn phòng Trung ương Hội Trần Đức Long").
    if syllables[0] not in lex.surnames or len(syllables) > NAME_MAX_SYLLABLES:
        skips += [
            skip
            for skip in range(1, len(syllables) - 2)
            if syllables[skip] in lex.surnames and len(syllables) - skip <= NAME_MAX_SYLLABLES
        ]
    heads = lex.head_first_words  # a run whose first word starts no title is none: no match to try
    for skip in [*skips, 0]:
        kept = syllables[skip:]
        if len(kept) > NAME_MAX_SYLLABLES and kept[-1] not in lex.surnames:
            kept = kept[:NAME_MAX_SYLLABLES]
        if _is_name_run(kept, lex, min_syllables) and not (
            (heads is None or kept[0].casefold() in heads) and lex.head_pattern.match(" ".join(kept))
        ):
            start = position + len(" ".join(syllables[:skip])) + (1 if skip else 0)
            return Span(start, start + len(" ".join(kept)))
    return None


def named_after(text: str, start: int, lex: Lexicon) -> bool:
    """Whether the name at START names a thing called after a person ("trường THPT Lê Quý Đôn")."""
    return bool(lex.named_after_pattern.search(text, max(0, start - NAMED_AFTER_BEFORE), start))


def find_names(
    text: str, lex: Lexicon, titles: list[TitleSpan], author: str | None, words: Words | None = None
) -> list[Name]:
    """Every name mention, honorific-led first, then title-led, then by surname."""
    words = words or Words(text, lex)
    memo: NamesAt = {}  # this article's
    found: list[Name] = []
    taken = Taken()

    def take(span: Span | None, rule: str) -> None:
        if span and taken.take(*span):
            found.append(Name(*span, rule))

    for match in words.scan(lex.honorific_pattern, lex.honorific_firsts):
        body_word = lex.org_head_pattern.match(text, match.end()) or lex.level_pattern.match(text, match.end())
        # "các đồng chí Trung ương", "đồng chí Đại tá Huỳnh Tiến Mạnh" (the rank leads the name: see below)
        if lex.head_pattern.match(text, match.end()) or body_word or lex.rank_pattern.match(text, match.end()):
            continue
        span = name_at(text, match.end(), lex, 2, memo) or name_at(text, match.end(), lex, 1, memo)
        if span is None:  # "đồng chí Thanh Tùng": given names only (a name found has a run: not looked at then)
            syllables = capitalised_run(text, match.end(), lex)[:NAME_MAX_SYLLABLES]
            if not syllables or syllables[0] in lex.not_names:
                continue
            span = Span(match.end(), match.end() + len(" ".join(syllables)))
        take(span, "name.honorific")
    for match in words.scan(lex.rank_pattern, lex.rank_firsts):  # "Thượng tướng Trần Việt Tân", "Đại tá Hùng"
        take(name_at(text, match.end(), lex, 2, memo) or name_at(text, match.end(), lex, 1, memo), "name.rank")
    for title in titles:
        if text.startswith(" ", title.end):
            take(name_at(text, title.end + 1, lex, 2, memo), "name.after_title")
    for match in lex.credit_pattern.finditer(text):  # a credit names a person even without a known surname
        position = source.end() if (source := lex.credit_source_pattern.match(text, match.end())) else match.end()
        if name := name_at(text, position, lex, 2, memo):
            take(name, "name.credit")
        elif (credited := _CREDITED.match(text, position)) and credited.group() not in lex.places:
            take(Span(*credited.span()), "name.credit")  # a pen name: two words ("Ảnh: Thành Cường")
    title_starts = {title.start for title in titles}
    for run_start in _runs_with_surname(text, lex):  # a run with no surname has no name for name_at to find
        checkpoint()
        span = name_at(text, run_start, lex, 2, memo)
        if (
            span is None
            or taken.overlaps(*span)  # found already after an honorific or a title (a third of the runs)
            or lex.place_word_pattern.search(text, max(0, span.start - PLACE_WORD_BEFORE), span.start)
        ):
            continue
        follower = _FOLLOWER.match(text, span.end, span.end + SEPARATOR_REACH)
        if follower and follower.end() in title_starts:
            take(span, "name.before_title")
        elif span.end > span.start and len(text[span.start : span.end].split(" ")) >= 3:
            take(span, "name.surname")
    for name in author.split(" - ") if author else []:  # "Hoàng Thùy - Nguyễn Hoài": two authors
        if _BYLINE_NAME.fullmatch(name) and name not in lex.places and (position := text.rfind(name)) >= 0:
            take(Span(position, position + len(name)), "name.byline")
    return sorted(found)
