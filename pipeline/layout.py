"""Split a normalised page into the article and its furniture.

The page is normalised before this step because the furniture rules in patterns/furniture.yaml are written
on normalised text. What stays is the headline, the body (with captions that name people) and the byline;
the site line, the date line, generic captions, widgets and the trailing blocks (related news, visitor
counters, paging) go, their facts kept as the article's metadata.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import regex

from pipeline.patterns import compile_lines, load

_SENTENCE_END = regex.compile(r"[.!?:;…\"')]$")
_TITLE_END = regex.compile(r"[.!?:;…]$")
_BYLINE_MAX_WORDS = 8
_CAPITALISED_WORDS = regex.compile(r"\p{Lu}[\p{L}.]*(?: \p{Lu}[\p{L}.]*){0,4}")
_HEAD_LINES = 4  # the site and date lines stand among the first lines of a page


@dataclass(frozen=True)
class Layout:
    """An article's text (normalised; offsets refer to it) and the metadata its page furniture held."""

    text: str
    title: str | None
    site: str | None
    author: str | None
    published_date: dt.date | None


@dataclass(frozen=True)
class _Rules:
    site_line: list[regex.Pattern[str]]
    dateline: list[regex.Pattern[str]]
    dateline_labelled: list[regex.Pattern[str]]
    caption: list[regex.Pattern[str]]
    trailer: list[regex.Pattern[str]]
    noise: list[regex.Pattern[str]]
    byline_prefix: list[regex.Pattern[str]]
    source_tag: list[regex.Pattern[str]]
    source_credit: list[regex.Pattern[str]]
    byline_suffix: list[regex.Pattern[str]]
    glued_byline: regex.Pattern[str]


# Rules a line is only tested against (which one matched is never read): each list is compiled as one
# alternation, one call per line instead of one per rule, unless a rule sets a flag for the whole pattern.
_ANY_OF = {"trailer", "noise", "caption"}
_GLOBAL_FLAG = regex.compile(r"\(\?[a-zA-Z]+\)")


def _one_or_each(rules: list[str]) -> list[str]:
    return rules if any(_GLOBAL_FLAG.search(rule) for rule in rules) else ["|".join(f"(?:{rule})" for rule in rules)]


@cache
def _rules() -> _Rules:
    data = load("furniture")
    lines = {
        field: compile_lines(_one_or_each(data[field]) if field in _ANY_OF else data[field])
        for field in _Rules.__dataclass_fields__
        if field != "glued_byline"
    }
    return _Rules(**lines, glued_byline=regex.compile(data["glued_byline"]))


def _first_match(patterns: list[regex.Pattern[str]], line: str) -> regex.Match[str] | None:
    for pattern in patterns:
        if match := pattern.match(line):
            return match
    return None


def _date_of(match: regex.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def _byline_author(line: str, rules: _Rules) -> str | None:
    """The author a closing byline names ("Tin, ảnh Thúy Oanh" -> "Thúy Oanh"), or None for a body line."""
    for pattern in rules.byline_suffix:  # "Minh Châu (tổng hợp)" -> "Minh Châu"
        if (suffix := pattern.search(line)) and _CAPITALISED_WORDS.fullmatch(line[: suffix.start()]):
            line = line[: suffix.start()]
    if _first_match(rules.source_credit, line):
        return None  # "Theo Báo Hà Tĩnh online": a source, not an author
    if match := _first_match(rules.byline_prefix, line):
        line = match["author"]
    elif _SENTENCE_END.search(line) or len(line.split()) > 2 * _BYLINE_MAX_WORDS:
        return None  # a sentence, or a paragraph that merely lacks its full stop
    # "Hoàng Thị Hạnh - Phó Bí thư Chi bộ": the author is the name before the title.
    author = line.split(" - ")[0].strip(" ,.")
    return author if 0 < len(author.split()) <= _BYLINE_MAX_WORDS else None


def _without_source_tag(line: str, rules: _Rules) -> str:
    """A line without the source tag a portal puts before its lead ("(TV) - Sáng 8/2, ..." -> "Sáng 8/2, ...")."""
    match = _first_match(rules.source_tag, line)
    return line[match.end() :] if match and match.end() < len(line) else line


def split_page(page: str) -> Layout:
    """The article held by one normalised page."""
    rules = _rules()
    lines = [_without_source_tag(line, rules) for line in page.split("\n")]
    keep = [bool(line.strip()) for line in lines]
    content = [index for index, line in enumerate(lines) if line.strip()]
    site = published = author = None

    body_before = False  # a sentence of the article stands above: a trailer there ends the article
    for position, index in enumerate(content):
        if _first_match(rules.trailer, lines[index]):
            if not body_before:  # a related-news box or a pager above the article: that line goes, not the rest
                keep[index] = False
                continue
            keep[index:] = [False] * (len(lines) - index)
            break
        body_before = body_before or (position > 0 and bool(_SENTENCE_END.search(lines[index])))
    for position, index in enumerate(content):
        line = lines[index]
        if not keep[index]:
            continue
        if position == 0 and (match := _first_match(rules.site_line, line)):
            site, keep[index] = match["site"].strip(), False
        elif position < _HEAD_LINES and published is None and (match := _first_match(rules.dateline, line)):
            published, keep[index] = _date_of(match), False
        elif match := _first_match(rules.dateline_labelled, line):  # "Ngày đăng: 02/03/2021", anywhere
            published, keep[index] = published or _date_of(match), False
        elif _first_match(rules.noise, line) or _first_match(rules.caption, line):
            keep[index] = False

    kept = [index for index in content if keep[index]]
    if not kept:
        return Layout(text="", title=None, site=site, author=None, published_date=published)
    title_line = lines[kept[0]]
    title = title_line if not _TITLE_END.search(title_line) else None  # a headline may end in a quote
    if len(kept) > 2:
        author = _byline_author(lines[kept[-1]], rules)
    for index in reversed(kept[-2:]) if author is None and len(kept) > 2 else ():
        if glued := rules.glued_byline.search(lines[index]):
            author = glued["author"]
            break
    text = "\n".join(line if keep[index] else "" for index, line in enumerate(lines))
    text = regex.sub(r"\n{3,}", "\n\n", text).strip()
    return Layout(text=text, title=title, site=site, author=author, published_date=published)
