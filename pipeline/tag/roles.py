"""Roles: each name linked to the titles written next to it ("đồng chí X, R1, R2", "R X", "X - R1", "X (R)"), to
titles shared by a list ("các đồng chí R1, R2: A, B") and to titles a verb gives further on ("... và giữ chức R",
"từng giữ chức R", a former role)."""

from __future__ import annotations

import itertools

import regex

from pipeline.tag.lexicon import Lexicon
from pipeline.tag.types import Link, Name, TitleSpan
from pipeline.tag.windows import CLAUSE_REACH, SEPARATOR_REACH, SUBJECT_REACH

_BACK_LINK = regex.compile(r"(?:, | - )$")
_COLON = regex.compile(r" ?: ?")
_APPOSITIVE = regex.compile(r" ?[,(-] ?")
_SENTENCE_BREAK = regex.compile(r"[.!?\n](?:\s|$)")
_CLAUSE = regex.compile(rf"[^.!?\n]{{0,{CLAUSE_REACH}}}")  # where a career list after "từng giữ chức R" would go on


def _after_names(
    text: str, titles: list[TitleSpan], names: list[Name], lex: Lexicon, used: set[int], given: set[int]
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
            chain.append(Link(title, "role.after_name"))
            used.add(title.start)
            if separator.group("verb") or (chain[:-1] and chain[-2].title.start in given):
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
            before.insert(0, Link(title, "role.before_name"))
            used.add(title.start)
            back = _BACK_LINK.search(text, max(0, title.start - SEPARATOR_REACH), title.start)
            title = ends.get(title.start - len(back.group())) if back else None
        linked[start] = before + linked.get(start, [])


def _listed_after_colon(
    text: str, titles: list[TitleSpan], names: list[Name], lex: Lexicon, linked: dict[int, list[Link]]
) -> None:
    """ "Các đồng chí Phó Chánh văn phòng Trung ương Đảng: Trần Văn Thành, Bùi Văn Thạch": a title, a colon,
    then the names that hold it, each perhaps with titles of its own ("Nguyễn Bá - Nguyên Bí thư ...; Lê ...")."""
    name_at = {start: (start, end) for start, end, _ in names}
    ends = {title.end: title for title in titles}
    by_start = {title.start: title for title in titles}
    for title in titles:
        colon = _COLON.match(text, title.end, title.end + SEPARATOR_REACH)
        position = colon.end() if colon else -1
        # "các đồng chí Ủy viên Bộ Chính trị, Bí thư Trung ương Đảng: A, ...": every title of the chain before
        # the colon is shared.
        shared = [title]
        while colon and (back := _BACK_LINK.search(text, max(0, shared[0].start - SEPARATOR_REACH), shared[0].start)):
            if not (earlier := ends.get(shared[0].start - len(back.group()))):
                break
            shared.insert(0, earlier)
        while position in name_at:
            start, end = name_at[position]
            own = [t.end for t, _ in linked.get(start, []) if t.start > start]
            have = {t.start for t, _ in linked.get(start, [])}
            linked[start] = [*linked.get(start, []), *(Link(t, "role.listed") for t in shared if t.start not in have)]
            separator = lex.list_separator_pattern.match(text, max([end, *own]))
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
            linked[start] = [*linked.get(start, []), *(Link(t, "role.listed") for t in shared if t.start not in have)]
            separator = lex.titled_item_separator_pattern.match(text, end)
            position = separator.end() if separator else -1


def _shared_in_lists(
    text: str, names: list[Name], lex: Lexicon, linked: dict[int, list[Link]], given: set[int]
) -> None:
    """Names listed together share titles given once for all of them."""
    # "Phó Chủ tịch Hội Luật gia Việt Nam Dương Thành Bắc, Lê Thị Kim Thanh": the names after one whose titles
    # stand before it, with no titles of their own.
    for (start, end, _), (next_start, _, _) in itertools.pairwise(names):
        before = [
            Link(title, "role.shared")
            for title, how in linked.get(start, [])
            if how in {"role.before_name", "role.shared"} and title.end < start
        ]
        if before and not linked.get(next_start) and lex.in_list_pattern.fullmatch(text, end, next_start):
            linked[next_start] = before
    # "Các ông A, B và bà C được bầu giữ chức Phó Bí thư": the names before one whose titles a verb gives
    # (not a comma: "A, B, Chủ tịch" gives B alone the title).
    for (start, end, _), (next_start, next_end, _) in reversed(list(itertools.pairwise(names))):
        after = [
            link
            for link in linked.get(next_start, [])
            if link.rule in {"role.after_name", "role.shared", "role.subject"}
        ]
        own = [title for title, how in linked.get(start, []) if how == "role.after_name"]
        if own and not any(title.start in given for title in own):
            # "ông A - R1, R2 và ông B - R3 được bầu giữ chức R4": A is given R4 too, not B's own R3.
            if lex.in_list_pattern.fullmatch(text, max(title.end for title in own), next_start):
                linked[start] += [Link(title, "role.shared") for title, _ in after if title.start in given]
            continue
        if linked.get(start) or not after or not lex.in_list_pattern.fullmatch(text, end, next_start):
            continue
        if after[0].rule == "role.after_name" and _APPOSITIVE.fullmatch(text, next_end, after[0].title.start):
            continue
        linked[start] = [Link(title, "role.shared") for title, _ in after]


def _subject_links(
    text: str,
    titles: list[TitleSpan],
    names: list[Name],
    lex: Lexicon,
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
            before = [name for name in names if name.end <= match.start() and match.start() - name.end <= SUBJECT_REACH]
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
                if title.end < other <= clause.end()
                and lex.listed_before_pattern.search(text, other - lex.listed_before_reach, other)
            ]
            if rule == "role.former" and listed:
                continue  # "từng giữ chức R1, R2, R3": a career history, not roles (docs/annotation.md)
            while title and title.start not in used:
                linked.setdefault(start, []).append(Link(title, rule))
                used.add(title.start)
                if rule == "role.subject":
                    given.add(title.start)
                title = by_start.get(title.end + 2) if text.startswith(", ", title.end) else None


def _titles_for(
    text: str, titles: list[TitleSpan], names: list[Name], lex: Lexicon, used: set[int], linked: dict[int, list[Link]]
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
            linked.setdefault(link.end(), []).append(Link(title, "role.title_for"))
            used.add(title.start)


def chains(
    text: str, titles: list[TitleSpan], names: list[Name], lex: Lexicon, rank_starts: dict[int, int]
) -> tuple[dict[int, list[Link]], set[int]]:
    """For each name (by start), the titles written next to it and the rule that linked each; and the starts
    of the titles that are former (see _former_titles)."""
    used: set[int] = set()  # a title belongs to one name, the first that claims it
    given: set[int] = set()
    linked = _after_names(text, titles, names, lex, used, given)
    _before_names(text, titles, names, used, linked, rank_starts)
    _subject_links(text, titles, names, lex, used, linked, given)
    _titles_for(text, titles, names, lex, used, linked)
    _listed_after_colon(text, titles, names, lex, linked)
    _shared_in_lists(text, names, lex, linked, given)
    return linked, _former_titles(text, linked, lex)


def _former_titles(text: str, linked: dict[int, list[Link]], lex: Lexicon) -> set[int]:
    """Starts of the titles held before: written with "nguyên"/"cựu", given by "từng giữ chức", or following a
    "nguyên" title in the same chain ("nguyên Đảng ủy viên, Bí thư Chi bộ") unless a verb stands between
    ("nguyên Chủ tịch UBND tỉnh, hiện là Bí thư Tỉnh ủy")."""
    former: set[int] = set()
    for links in linked.values():
        if not any(title.former for title, _ in links):  # no "nguyên" title to follow: only "từng giữ chức" ones
            former |= {title.start for title, rule in links if rule == "role.former"}
            continue
        for how in ("role.after_name", "role.before_name"):
            chain = sorted((title for title, rule in links if rule == how), key=lambda title: title.start)
            held_before = False
            for previous, title in zip([None, *chain], chain, strict=False):
                if previous and lex.verb_between_pattern.search(text, previous.end, title.start):
                    held_before = False
                held_before = held_before or title.former
                if held_before:
                    former.add(title.start)
        former |= {title.start for title, rule in links if rule == "role.former" or title.former}
    return former
