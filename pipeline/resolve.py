"""Stage 6: give each match its values, using the article's context.

Partial dates get their year (from the published date, else the year the article speaks of most); a
document reference gets its type, issuer, issue date and title from the words around its symbol; a ratio
gets the period of its clause; and the article's meeting becomes one event row.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from functools import cache
from typing import Any

import regex

from pipeline.extract import Match
from pipeline.patterns import load
from pipeline.tag import Tagged, expand, lexicon, org_span

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_FULL_DATE_RULES = {"date.day", "date.day_words", "date.month", "date.quarter"}
_PARTIAL_RULES = {"date.day_partial", "date.month_partial"}
_DATE_AFTER_SYMBOL = regex.compile(r",? ?(?:ban hành )?(?:ngày|ngay) ")
_ISSUER_AFTER = regex.compile(r",? ?(?:của|do) ")
# The quoted title follows the symbol, its date and issuer closely ("... (khóa XII) về "Tăng cường ...""):
# a quote further on belongs to another phrase.
_QUOTED_TITLE = regex.compile(r'[^";.\n]{0,40}?"(?P<title>[^"\n]{3,400})"')
_BIRTH = regex.compile(r"(?:sinh|SN)(?: (?:ngày|năm))? ?$", regex.IGNORECASE)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def reference_year(text: str, matches: list[Match], published: dt.date | None) -> int | None:
    """The year a partial date ("Sáng nay 7/9") belongs to, from the page or the article's context.

    In this order: the page's publication date; the latest year of the article's full dates (day, month,
    quarter); the year it names most ("năm 2022"); the first year of the latest term it names ("nhiệm kỳ
    2015-2020", as a congress opens one). Birth dates and years ("sinh năm 1960") say nothing of the news.
    """
    if published:
        return published.year

    def named(rules: set[str]) -> Counter[int]:
        return Counter(
            int(match.groups["y"])
            for match in matches
            if match.rule in rules
            and len(match.groups.get("y", "")) == 4
            and not _BIRTH.search(text, max(0, match.start - 12), match.start)
        )

    # The latest full date: documents and anniversaries cited are older than the news ("14/6/1957-14/6/2017").
    if full := named(_FULL_DATE_RULES):
        return max(full)
    if years := named({"date.year"}):
        return max(years, key=lambda year: (years[year], year))
    terms = [int(match.groups["y1"]) for match in matches if match.rule == "date.term"]
    return max(terms) if terms else None


def _date_values(match: Match, year: int | None) -> tuple[dt.date | None, dt.date | None, str]:
    """(value, value_end, granularity); raises ValueError for an impossible date."""
    groups, rule = match.groups, match.rule
    if rule == "date.term":
        first, last = int(groups["y1"]), int(groups["y2"])
        if last < first:
            raise ValueError("a range that ends before it starts")
        return dt.date(first, 1, 1), dt.date(last, 12, 31), "range"
    year = int(groups["y"]) if "y" in groups else year
    if year is None:
        return None, None, "month" if rule == "date.month_partial" else "day"
    if len(str(year)) != 4:
        raise ValueError(f"year {year} has not four figures")
    if rule == "date.months_of_year":
        return dt.date(year, 1, 1), _last_day(year, int(groups["n"])), "range"
    if rule == "date.year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if rule == "date.quarter":
        quarter = _ROMAN.get(groups["q"].upper()) or int(groups["q"])
        return dt.date(year, 3 * quarter - 2, 1), _last_day(year, 3 * quarter), "quarter"
    if rule in {"date.month", "date.month_partial"}:
        month = int(groups["m"])
        return dt.date(year, month, 1), _last_day(year, month), "month"
    day = dt.date(year, int(groups["m"]), int(groups["d"]))
    return day, day, "day"


def date_rows(article_id: str, text: str, matches: list[Match], published: dt.date | None) -> list[dict[str, Any]]:
    year = reference_year(text, matches, published)
    rows = []
    for match in matches:
        inferred = match.rule in _PARTIAL_RULES
        context_year = year
        if inferred and published and year is not None:
            # A day or month after the page's own date was last year's ("ngày 28/12" on a January page).
            month = int(match.groups["m"])
            if month > published.month + 1:
                context_year = year - 1
        try:
            value, value_end, granularity = _date_values(match, context_year)
            valid = True
        except ValueError:
            value, value_end, valid = None, None, False
            granularity = "day" if match.rule.startswith("date.day") else "range" if "y1" in match.groups else "day"
        rows.append(
            {"article_id": article_id, "text": text[match.start : match.end], "value": value, "value_end": value_end,
             "granularity": granularity, "year_inferred": inferred and value is not None, "valid": valid,
             "start": match.start, "end": match.end, "rule": match.rule}
        )  # fmt: skip
    return rows


@cache
def _document_vocabulary() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    data = load("documents")
    return {word.casefold(): word for word in data["doc_types"]}, data["type_codes"], data["issuer_codes"]


def document_rows(
    article_id: str, text: str, matches: list[Match], dates: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    doc_types, type_codes, issuer_codes = _document_vocabulary()
    date_at = {row["start"]: row for row in dates}
    lex = lexicon()
    rows = []
    for index, match in enumerate(matches):
        groups = match.groups
        limit = matches[index + 1].start if index + 1 < len(matches) else len(text)
        written_type = groups.get("doc_type")
        doc_type = doc_types.get(written_type.casefold()) if written_type else None
        doc_type = doc_type or type_codes.get(groups.get("type_code", ""))
        cursor, issued, issuer = match.end, None, None
        if (after := _DATE_AFTER_SYMBOL.match(text, cursor)) and (date := date_at.get(after.end())):
            issued = date["value"] if date["granularity"] == "day" else None
            cursor = date["end"]
        if (after := _ISSUER_AFTER.match(text, cursor)) and (body := org_span(text, after.end(), lex, "doc.issuer")):
            issuer = body.expanded
            cursor = body.end
        if "issuer_phrase" in groups:  # 'Nghị quyết của Ban Chấp hành Đảng bộ Khối (khóa X) "..."'
            issuer = expand(groups["issuer_phrase"].strip(), lex)
        code = groups.get("issuer_code")
        # "QH14" is the 14th National Assembly: the code without its term number names the issuer.
        issuer = issuer or (issuer_codes.get(code) or issuer_codes.get(code.rstrip("0123456789")) if code else None)
        title = _QUOTED_TITLE.match(text, cursor, limit)
        rows.append(
            {"article_id": article_id, "text": text[match.start : match.end], "symbol": groups.get("symbol"),
             "number": groups.get("number"), "type_code": groups.get("type_code"), "doc_type": doc_type,
             "issuer_code": code, "issuer": issuer, "issued_date": issued,
             "title": title["title"].strip() if title else None,
             "start": match.start, "end": match.end, "rule": match.rule}
        )  # fmt: skip
    return rows


@cache
def _period_pattern() -> regex.Pattern[str]:
    return regex.compile(load("ratios")["period"], regex.IGNORECASE)


def ratio_rows(article_id: str, text: str, matches: list[Match]) -> list[dict[str, Any]]:
    period_pattern = _period_pattern()
    rows = []
    for match in matches:
        # The clause runs back to ";", "." or a line break, and never further than a long sentence does.
        clause_start = max(max(text.rfind(mark, 0, match.start) for mark in ";.\n") + 1, match.start - 300)
        periods = list(period_pattern.finditer(text, clause_start, match.start))
        rows.append(
            {"article_id": article_id, "text": text[match.start : match.end],
             "achieved": int(match.groups["achieved"]), "total": int(match.groups["total"]),
             "unit": match.groups.get("unit"), "qualifier": match.groups.get("qualifier"),
             "period": periods[-1].group() if periods else None,
             "start": match.start, "end": match.end, "rule": match.rule}
        )  # fmt: skip
    return rows


@cache
def _event_rules() -> tuple[
    regex.Pattern[str], dict[str, str], regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]
]:
    data = load("events")
    types = {key.casefold(): value for key, value in data["types"].items()}
    keywords = "|".join(regex.escape(key) for key in sorted(types, key=len, reverse=True))
    # "Nghị quyết Đại hội" cites a congress; it does not report one.
    keyword = regex.compile(rf"(?<!quyết )(?<![\p{{L}}])(?:{keywords})(?![\p{{L}}])", regex.IGNORECASE)
    chaired = regex.compile("|".join(map(regex.escape, data["chaired"])), regex.IGNORECASE)
    organizer = regex.compile(data["organizer"])
    location = regex.compile(data["location"])
    return keyword, types, chaired, organizer, location


def _chaired(
    mentions: list[tuple[int, int]], text: str, sentences: list[tuple[int, int]], chaired: regex.Pattern[str]
) -> bool:
    """Whether a person chaired: named right after "dưới sự chủ trì của", or before "chủ trì" in its clause."""
    for start, end in sentences:
        for match in chaired.finditer(text, start, end):
            after = regex.match(r" của (?:đồng chí )?", text[match.end() : match.end() + 20])
            if after:  # "dưới sự chủ trì của X": X is the first person named after it
                following = [m for m in mentions if match.end() <= m[0] < end]
                first_after = following and min(following)[0] - match.end() <= 120
                if first_after:
                    return True
                continue
            clause_start = max((m.end() for m in regex.finditer(r"[:.]", text[start : match.start()])), default=0)
            if any(start + clause_start <= m_start < match.start() for m_start, _ in mentions):
                return True
    return False


def event_rows(
    article_id: str,
    text: str,
    title: str | None,
    sentences: list[tuple[int, int]],
    tagged: Tagged,
    dates: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The meeting the article reports, from its first two body sentences or its headline; none if none."""
    keyword, types, chaired, organizer_pattern, location_pattern = _event_rules()
    headline = [sentences[0]] if title and sentences and text[sentences[0][0] : sentences[0][1]] == title else []
    body = [span for span in sentences if span not in headline]
    # The lead: the first two sentences, and the first of the second paragraph (after a two-sentence sapo).
    second_paragraph = next(
        (span for span in body[1:] if "\n" in text[body[0][1] : span[0]] and "\n" in text[span[0] - 1 : span[0]]), None
    )
    lead = list(dict.fromkeys([*body[:2], *([second_paragraph] if second_paragraph else [])]))
    found, lead_start, lead_end = None, 0, 0
    for start, end in [*lead, *headline]:
        if found := keyword.search(text, start, end):
            lead_start, lead_end = start, end
            break
    if found is None:
        return []
    day_dates = [row for row in dates if row["granularity"] == "day" and row["value"] is not None]
    # The day it was held: the first day date of the lead, else of the sentence after it (a caption glued
    # into the lead pushes the date one sentence on).
    # The sentence that names the meeting comes first ("ngày 14/1/2019, ... tiến hành Kỳ họp thứ 31").
    dated = [(lead_start, lead_end), *lead, *body[len(lead) : len(lead) + 1], *headline]
    in_lead = [row for start, end in dated for row in day_dates if start <= row["start"] < end]
    organizer = next(
        (org.expanded for org in tagged.organizations
         if lead_start <= org.start < lead_end and organizer_pattern.match(text, org.end, min(org.end + 24, lead_end))),
        None,
    )  # fmt: skip
    location = location_pattern.search(text, lead_start, lead_end)
    chaired_by = [person.name for person in tagged.persons if _chaired(person.mentions, text, sentences, chaired)]
    attendees = [
        person.name for person in tagged.persons if person.rule not in {"name.byline", "name.credit", "name.surname"}
    ]
    return [
        {"article_id": article_id, "event_type": types[found.group().casefold()],
         "event_date": in_lead[0]["value"] if in_lead else None, "organizer": organizer,
         "location": location["location"].strip() if location else None, "chaired_by": chaired_by,
         "attendees": attendees, "rule": f"event.keyword:{found.group().casefold()}"}
    ]  # fmt: skip
