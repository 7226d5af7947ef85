"""Stage 6: give each match its values, using the article's context.

Partial dates get their year (from the published date, else the year the article speaks of most); a
document reference gets its type, issuer, issue date and title from the words around its symbol; a ratio
gets the period of its clause; and the article's meeting becomes one event row.
"""

from __future__ import annotations

import calendar
import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, NamedTuple

import regex

from pipeline.extract import Match
from pipeline.patterns import alternation, load
from pipeline.tag import Tagged
from pipeline.tag.bodies import body_at, expand

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
# The quoted title follows the symbol, its date and issuer closely ("... (khóa XII) về "Tăng cường ...""):
# a quote further on belongs to another phrase.
_QUOTED_TITLE = regex.compile(r'[^";.\n]{0,40}?"(?P<title>[^"\n]{3,400})"')


class _AfterSymbol(NamedTuple):
    date: regex.Pattern[str]  # ", ban hành ngày " before a date in figures
    word_date: regex.Pattern[str]  # the same before "ngày 15 tháng 3 năm 2021", which keeps its "ngày"
    issuer: regex.Pattern[str]  # " của " / " do " before the issuing body


@cache
def _after_symbol() -> _AfterSymbol:
    data = load("documents")
    lead, day = data["issue_date_lead"], alternation(data["issue_date_words"])
    # A date in words keeps its "ngày" in its own span: the lead stops before it.
    return _AfterSymbol(
        regex.compile(f"{lead}(?:{day}) "), regex.compile(f"{lead}(?=(?:{day}) )"), regex.compile(data["issuer_lead"])
    )


@cache
def _chaired_by_of() -> regex.Pattern[str]:
    return regex.compile(load("events")["chaired_by_of"])


# Full dates that can tell the year of the news: single days, months and quarters, and ranges of days
# within one year. A range of months ("từ tháng 10/2010 đến 11/2015") is a period of office or study,
# and a range of dates across years an anniversary ("(7/11/1948 - 7/11/2018)"): only its last day counts.
_DAY_RANGE_RULES = {"date.range_dates", "date.range_day_months", "date.range_days", "date.range_days_words"}
_EVIDENCE_RULES = {
    "date.day", "date.day_words", "date.month", "date.quarter", "date.months_of_year", "date.range_dates",
    "date.range_day_months", "date.range_days", "date.range_days_words",
}  # fmt: skip


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def is_partial(match: Match) -> bool:
    """A date written without its year ("Sáng 9/6", "tháng 11", "17-18/7")."""
    return match.rule.startswith("date.") and not any(key in match.groups for key in ("y", "y1", "y2"))


# What can make a regex match in one direction and not in the other: an atomic group, a possessive
# quantifier, a backreference, a fuzzy constraint ("{e<=1}").
_ONE_WAY = regex.compile(r"\(\?>|[*+?}]\+|\(\?P=|\\[1-9]|\\g<|\{[^}]*[eisd][^}]*\}")


def _asked_backwards(expression: str) -> regex.Pattern[str]:
    """A rule that ends at the date ("$") and is only asked whether it matches: searched from the end
    (REVERSE), it answers alike in one try instead of one per character of the window."""
    return regex.compile(expression, regex.IGNORECASE | (0 if _ONE_WAY.search(expression) else regex.REVERSE))


@cache
def _year_rules() -> dict[str, Any]:
    data = load("dates")["year"]
    return {
        "before": _asked_backwards(f"(?:{data['not_evidence_before']})"),
        "after": regex.compile(data["not_evidence_after"], regex.IGNORECASE),
        "announced": _asked_backwards(data["announced_before"]),
        "review_years": regex.compile(data["review_years"], regex.IGNORECASE),
        "year_end": regex.compile(data["year_end_review"], regex.IGNORECASE),
        "term_opening": regex.compile(data["term_opening"], regex.IGNORECASE),
        "anniversary": regex.compile(data["anniversary"], regex.IGNORECASE),
        "term": regex.compile(data["term"], regex.IGNORECASE),
        "sentence_year": regex.compile(data["sentence_year"], regex.IGNORECASE),
        "lead_word": regex.compile(rf"(?:{alternation(load('dates')['lead_words'])}) ", regex.IGNORECASE),
        "goal_sentence": regex.compile(rf"(?<![\p{{L}}])(?:{data['goal_sentence']})(?![\p{{L}}])", regex.IGNORECASE),
        "before_days": dt.timedelta(days=data["window_before_days"]),
        "after_days": dt.timedelta(days=data["window_after_days"]),
    }


def not_news(text: str, start: int, end: int) -> bool:
    """Whether the date at [start, end) is no date of the news: a document's issue date, a birth or
    founding date, the start of a period running "đến nay", a goal (patterns/dates.yaml `year`)."""
    rules = _year_rules()
    # "ngày 15 tháng 3 năm 2021", "tháng 10-2013" hold their "ngày", "tháng": the words before are read through it.
    lead_word = rules["lead_word"].match(text[start : start + 6])
    through = start + lead_word.end() if lead_word else start
    return bool(rules["before"].search(text, max(0, start - 40), through) or rules["after"].match(text, end))


def _full_dates(text: str, matches: list[Match]) -> list[tuple[Match, dt.date, dt.date]]:
    """(match, first day, last day) of each full date of the news in the text (not a document's, a
    birth's, a founding's; see `not_news`)."""
    found = []
    announced = _year_rules()["announced"]
    for match in matches:
        if match.rule not in _EVIDENCE_RULES:
            continue
        if not_news(text, match.start, match.end) and not announced.search(text, max(0, match.start - 70), match.start):
            continue
        try:
            first, last, _ = _date_values(match, None)
        except ValueError:
            continue
        if first is not None and last is not None:
            found.append((match, first, last))
    return found


# A full stop ends a sentence, unless it ends an abbreviation ("TP. Đồng Hới", "Tp.", "ThS.").
_SENTENCE_BREAK = regex.compile(r"(?<!(?<![\p{L}])\p{Lu}\p{L}{0,2})\.(?=\s)|[!?;](?=\s)|\n")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end), by its punctuation (resolve has no segmenter's spans)."""
    before = [m.end() for m in _SENTENCE_BREAK.finditer(text, max(0, start - 400), start)]
    after = _SENTENCE_BREAK.search(text, end, min(len(text), end + 400))
    return (before[-1] if before else max(0, start - 400)), (after.start() if after else min(len(text), end + 400))


def _day_month(match: Match) -> tuple[int, int | None]:
    """(month, day) of a partial date's first day; day None for a month."""
    groups = match.groups
    month = int(groups.get("m") or groups["m2"])
    return month, int(groups["d"]) if "d" in groups else None


@dataclass(frozen=True)
class _Context:
    """What the year of every partial date of one article is sought in, read once per article."""

    text: str
    same_day: dict[tuple[int, int], list[int]]  # (month, day) -> years written with it
    years_named: list[Match]  # "năm 2017" rows, in text order
    dated: list[Match]  # rows with a year, in text order

    @cached_property
    def reviewed(self) -> list[int]:
        """Years of the year-end reviews; sought only when a partial date's year is still open at that step."""
        return [int(review["y"]) for review in _year_rules()["year_end"].finditer(self.text)]

    @classmethod
    def of(cls, text: str, matches: list[Match], full: list[tuple[Match, dt.date, dt.date]]) -> _Context:
        same_day: dict[tuple[int, int], list[int]] = {}
        for other, first, last in full:
            if other.rule != "date.month":
                for day in {first, last}:
                    same_day.setdefault((day.month, day.day), []).append(day.year)
        return cls(
            text,
            same_day,
            [m for m in matches if m.rule == "date.year"],
            [m for m in matches if "y" in m.groups],
        )


def _within(rows: list[Match], start: int, end: int) -> list[Match]:
    """The rows (in text order) that start in [start, end)."""
    first = bisect_left(rows, start, key=lambda row: row.start)
    return rows[first : bisect_left(rows, end, lo=first, key=lambda row: row.start)]


def year_of(text: str, match: Match, published: dt.date | None, context: _Context) -> tuple[int | None, str]:
    """The year of a partial date from what the text says of it directly, or (None, "none").

    In this order: the page's date (a month after it is last year's: "28/12" on a January page); the
    same day and month written with a year elsewhere (with "kỷ niệm N năm" in its sentence, the earliest
    such year + N); "sơ kết N năm" of something dated, in its sentence; a year-end review ("tổng kết năm
    2021" held in December or January) in the article; in its sentence, a term the meeting opens or a
    year named. `nearby_year` comes after, over the whole article. Never a goal, a plan, a birth,
    a founding or a cited document's date.
    """
    month, day = _day_month(match)
    if published:
        return (published.year - 1 if month > published.month + 1 else published.year), "page_date"
    rules = _year_rules()
    sentence_start, sentence_end = _sentence(text, match.start, match.end)
    if day is not None:
        same = context.same_day.get((month, day), [])
        if same and (anniversary := rules["anniversary"].search(text, sentence_start, sentence_end)):
            return min(same) + int(anniversary["n"]), "same_day"  # "Ngày 1/7, Lễ kỷ niệm 30 năm ... 1/7/1989"
        if same:  # the latest: an anniversary names its day in the founding year too ("14/6/1957")
            return max(same), "same_day"
    if review := rules["review_years"].search(text, sentence_start, sentence_end):
        # The start is the first dated thing after "sơ kết 3 năm" in the sentence: a document's date or a year.
        after = _within(context.dated, review.end(), sentence_end)
        if after and len(after[0].groups["y"]) == 4:
            return int(after[0].groups["y"]) + int(review["n"]), "review_years"
    # A year-end review anywhere in the article (the report is read at the meeting the article is about):
    # the latest year reviewed.
    if context.reviewed and (month >= 10 or month <= 3):
        return max(context.reviewed) + (month <= 3), "year_end_review"
    if rules["term_opening"].search(text, sentence_start, sentence_end) and (
        term := rules["term"].search(text, sentence_start, sentence_end)
    ):
        return int(term["y"]), "term_opening"
    # A year named on its own ("năm 2017"), not inside another date ("ngày 15 tháng 3 năm 2021").
    if not rules["goal_sentence"].search(text, sentence_start, sentence_end):
        for other in _within(context.years_named, sentence_start, sentence_end):
            if named := rules["sentence_year"].match(text, other.start):
                return int(named["y"]), "sentence_year"
    return None, "none"


def nearby_year(match: Match, evidence: list[tuple[dt.date, dt.date]]) -> int | None:
    """The year that puts a partial date near the latest date of the news (`window_*_days`), if one does.

    EVIDENCE: (first, last) days of the article's full dates of the news and of the partial dates whose
    year `year_of` found; a range across years (an anniversary, a period) counts by its last day.
    """
    if not evidence:
        return None
    rules = _year_rules()
    month, day = _day_month(match)
    first, last = max(((last, last) if first.year != last.year else (first, last) for first, last in evidence),
                      key=lambda span: span[1])  # fmt: skip
    for year in (last.year, last.year + 1, last.year - 1):
        try:
            candidate = dt.date(year, month, day or 1)
        except ValueError:
            continue
        if first - rules["before_days"] <= candidate <= last + rules["after_days"]:
            return year
    return None


def _date_values(match: Match, year: int | None) -> tuple[dt.date | None, dt.date | None, str]:
    """(value, value_end, granularity); raises ValueError for an impossible date."""
    groups, rule = match.groups, match.rule
    if rule == "date.term":
        first, last = int(groups["y1"]), int(groups["y2"])
        if last < first:
            raise ValueError("a range that ends before it starts")
        return dt.date(first, 1, 1), dt.date(last, 12, 31), "range"
    if rule.startswith("date.range"):
        # The first day takes the month and year it lacks from the last ("17-18/7/2023").
        end_year = int(groups["y2"]) if "y2" in groups else year
        start_year = int(groups["y"]) if "y" in groups else end_year
        if start_year is None or end_year is None:
            return None, None, "range"
        if len(str(start_year)) != 4 or len(str(end_year)) != 4:
            raise ValueError("a year without four figures")
        end_month = int(groups["m2"])
        start = dt.date(start_year, int(groups.get("m") or end_month), int(groups.get("d") or 1))
        end = dt.date(end_year, end_month, int(groups["d2"])) if "d2" in groups else _last_day(end_year, end_month)
        if end < start and "y" not in groups and start.month > end.month:  # "từ 17/12 đến 3/1/2019": across New Year
            start = start.replace(year=start.year - 1)
        if end < start:
            raise ValueError("a range that ends before it starts")
        return start, end, "range"
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


def _granularity(match: Match) -> str:
    if match.rule.startswith("date.range") or match.rule in {"date.term", "date.months_of_year"}:
        return "range"
    return {"date.month": "month", "date.month_partial": "month", "date.quarter": "quarter", "date.year": "year"}.get(
        match.rule, "day"
    )


def date_rows(article_id: str, text: str, matches: list[Match], published: dt.date | None) -> list[dict[str, Any]]:
    full = _full_dates(text, matches)
    partials = [match for match in matches if is_partial(match)]
    context = _Context.of(text, matches, full)
    years = {id(match): year_of(text, match, published, context) for match in partials}
    # Then the rest, by the latest date of the news: the full ones and the partial ones placed above.
    evidence = [(first, last) for _, first, last in full]
    for match in partials:
        if years[id(match)][0] is not None:
            try:
                first, last, _ = _date_values(match, years[id(match)][0])
            except ValueError:
                continue
            if first and last:
                evidence.append((first, last))
    for match in partials:
        if years[id(match)][0] is None and (year := nearby_year(match, evidence)) is not None:
            years[id(match)] = (year, "nearby_date")
    # A day written twice without its year ("Chiều 13/10" in two sentences) is one day: what one of them
    # found, the other takes.
    known = {_day_month(match): years[id(match)] for match in partials if years[id(match)][0] is not None}
    rows = []
    for match in matches:
        partial = is_partial(match)
        year, basis = years[id(match)] if partial else (None, None)
        if partial and year is None and _day_month(match)[1] is not None and _day_month(match) in known:
            year, basis = known[_day_month(match)]
        try:
            value, value_end, granularity = _date_values(match, year)
            valid = True
        except ValueError:
            value, value_end, valid, granularity = None, None, False, _granularity(match)
        rows.append(
            {"article_id": article_id, "text": text[match.start : match.end], "value": value, "value_end": value_end,
             "granularity": granularity, "year_inferred": partial, "year_basis": basis, "valid": valid,
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
    rows = []
    for index, match in enumerate(matches):
        groups = match.groups
        limit = matches[index + 1].start if index + 1 < len(matches) else len(text)
        written_type = groups.get("doc_type")
        doc_type = doc_types.get(written_type.casefold()) if written_type else None
        doc_type = doc_type or type_codes.get(groups.get("type_code", ""))
        cursor, issued, issuer = match.end, None, None
        # "ngày 15/3/2021" (the figures are the date) or "ngày 15 tháng 3 năm 2021" (the date holds "ngày")
        starts = [
            m.end()
            for m in (_after_symbol().date.match(text, cursor), _after_symbol().word_date.match(text, cursor))
            if m
        ]
        if date := next((date_at[start] for start in starts if start in date_at), None):
            issued = date["value"] if date["granularity"] == "day" else None
            cursor = date["end"]
        if (after := _after_symbol().issuer.match(text, cursor)) and (body := body_at(text, after.end(), "doc.issuer")):
            issuer = body.expanded
            cursor = body.end
        if "issuer_phrase" in groups:  # 'Nghị quyết của Ban Chấp hành Đảng bộ Khối (khóa X) "..."'
            issuer = expand(groups["issuer_phrase"].strip())
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
    _share_issue_dates(rows)
    _date_listed_documents(text, rows, dates)
    return rows


def _share_issue_dates(rows: list[dict[str, Any]]) -> None:
    """A document's issue date stated at one mention reaches its other mentions ("Chỉ thị số 05-CT/TW"
    first without a date, later "Chỉ thị số 05-CT/TW ngày 15/5/2016"; "Chỉ thị số 05" after it, the same
    type and number); two different dates share nothing."""

    def keys(row: dict[str, Any]) -> list[tuple[str | None, ...]]:
        number = (row["doc_type"], (row["number"] or "").lstrip("0"))
        return [(row["symbol"],), number] if row["symbol"] else [number] if row["number"] else []

    dated: dict[tuple[str | None, ...], set[dt.date]] = {}
    for row in rows:
        for key in keys(row) if row["issued_date"] else []:
            dated.setdefault(key, set()).add(row["issued_date"])
    for row in rows:
        found = next((dated[key] for key in keys(row) if len(dated.get(key, ())) == 1), None)
        if not row["issued_date"] and found:
            row["issued_date"] = next(iter(found))


@cache
def _issuing_lead() -> regex.Pattern[str]:
    return regex.compile(load("documents")["issued_by_lead"], regex.IGNORECASE)


# "Ngày 10/3/2023, ...", "Sáng ngày 9/6, ...": the day opens its sentence (read in the 20 characters before it).
_DAY_OPENS = regex.compile(r"(?:^|[.!?\n]\s*)(?:\p{L}+ )?ngày $", regex.I)


def _date_listed_documents(text: str, rows: list[dict[str, Any]], dates: list[dict[str, Any]]) -> None:
    """ "Ngày 10/3/2023, Thủ tướng đã ký các quyết định ...; cụ thể, Quyết định số 301/QĐ-TTg ...": a sentence
    that opens on a day and says it was signed or issued dates the undated documents it lists."""
    if not rows:
        return
    pattern = _issuing_lead()
    for date in dates:
        if date["granularity"] != "day" or date["value"] is None or date["year_inferred"]:
            continue
        if not (
            _DAY_OPENS.search(text[max(0, date["start"] - 20) : date["start"]]) and pattern.match(text, date["end"])
        ):
            continue
        sentence_end = _SENTENCE_END.search(text, date["end"])
        end = sentence_end.start() if sentence_end else len(text)
        for row in rows:
            if (
                date["end"] < row["start"] < end
                and not row["issued_date"]
                and not _after_symbol().date.match(text, row["end"])
            ):
                row["issued_date"] = date["value"]


_SENTENCE_END = regex.compile(r"\.(?=\s+\p{Lu})|\n")


@cache
def _period_pattern() -> regex.Pattern[str]:
    return regex.compile(load("ratios")["period"], regex.IGNORECASE)


@cache
def _kind_rules() -> dict[str, Any]:
    data = load("ratios")["kinds"]
    return {
        "vote_units": set(data["vote_units"]),
        "vote_words": regex.compile(data["vote_words"], regex.IGNORECASE),
        "vote_qualifiers": {word.casefold() for word in data["vote_qualifiers"]},
        "attendance_words": regex.compile(data["attendance_words"], regex.IGNORECASE),
        "target_units": {word.casefold() for word in data["target_units"]},
        "coverage_units": {word.casefold() for word in data["coverage_units"]},
    }


def ratio_kind(text: str, match: Match) -> str:
    """target, coverage, attendance, vote or other (patterns/ratios.yaml `kinds`)."""
    rules = _kind_rules()
    unit, qualifier = match.groups.get("unit") or "", (match.groups.get("qualifier") or "").casefold()
    after_end = min((i for i in (text.find(mark, match.end) for mark in ";.\n") if i >= 0), default=len(text))
    after = (match.end, min(after_end, match.end + 60))
    if unit in rules["vote_units"] or qualifier in rules["vote_qualifiers"] or rules["vote_words"].search(text, *after):
        return "vote"
    clause_start = max(max(text.rfind(mark, 0, match.start) for mark in ";.\n") + 1, match.start - 40)
    if rules["attendance_words"].search(text, *after) or rules["attendance_words"].search(
        text, clause_start, match.start
    ):
        return "attendance"  # "45/51 Ủy viên Ban Chấp hành có mặt", "Tham dự hội nghị có 19/25 Ủy viên"
    if unit.casefold() in rules["target_units"]:
        return "target"
    if unit.casefold() in rules["coverage_units"]:
        return "coverage"
    return "other"


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
             "period": periods[-1].group() if periods else None, "kind": ratio_kind(text, match),
             "start": match.start, "end": match.end, "rule": match.rule}
        )  # fmt: skip
    return rows


@cache
def _event_rules() -> tuple[
    regex.Pattern[str], dict[str, str], regex.Pattern[str], regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]
]:
    data = load("events")
    types = {key.casefold(): value for key, value in data["types"].items()}
    keywords = alternation(types)
    # "Nghị quyết Đại hội" cites a congress; it does not report one.
    not_after = "".join(f"(?<!{regex.escape(word)} )" for word in data["keyword_not_after"])
    keyword = regex.compile(rf"{not_after}(?<![\p{{L}}])(?:{keywords})(?![\p{{L}}])", regex.IGNORECASE)
    chaired = regex.compile(alternation(data["chaired"]), regex.IGNORECASE)
    organizer = regex.compile(data["organizer"])
    location = regex.compile(data["location"])
    attended = regex.compile(rf"(?<![\p{{L}}])(?:{alternation(data['attended'])})(?![\p{{L}}])", regex.IGNORECASE)
    return keyword, types, chaired, organizer, location, attended


@cache
def _reported_after() -> regex.Pattern[str]:
    return regex.compile(load("events")["reported_after"], regex.IGNORECASE)


def _meeting_day(row: dict[str, Any], text: str) -> bool:
    """Whether a date row can be the day (or days) a meeting was held: a day, or a range of days within a
    month; never a document's issue date, a birth or founding date, an anniversary bracket, or the day the
    news came ("Ngày 4/4, theo nguồn tin từ ...")."""
    if not row["valid"] or not_news(text, row["start"], row["end"]):
        return False
    if _reported_after().match(text[row["end"] : row["end"] + 40]):
        return False
    if row["granularity"] == "day":
        return row["value"] is not None or row["year_inferred"]
    if row["granularity"] != "range" or row["rule"] not in _DAY_RANGE_RULES:
        return False
    value, value_end = row["value"], row["value_end"]
    return value is None or (value_end - value).days <= 31


def _chair_marks(
    text: str, sentences: list[tuple[int, int]], chaired: regex.Pattern[str]
) -> list[tuple[bool, int, int]]:
    """Where the text says who chaired, read once for all persons: (True, start, end) after "dưới sự chủ
    trì của" (a person first named in [start, end) within 120 characters of its start chaired), else
    (False, start, end) for the clause before "chủ trì" (a person named in it chaired)."""
    marks = []
    for start, end in sentences:
        for match in chaired.finditer(text, start, end):
            if _chaired_by_of().match(text[match.end() : match.end() + 20]):  # "dưới sự chủ trì của X"
                marks.append((True, match.end(), end))
                continue
            clause_start = max((m.end() for m in regex.finditer(r"[:.]", text[start : match.start()])), default=0)
            marks.append((False, start + clause_start, match.start()))
    return marks


def _chaired(mentions: list[tuple[int, int]], marks: list[tuple[bool, int, int]]) -> bool:
    """Whether a person chaired: named right after "dưới sự chủ trì của", or before "chủ trì" in its clause."""
    for first_after, start, end in marks:
        starts = [m_start for m_start, _ in mentions if start <= m_start < end]
        if starts and (not first_after or min(starts) - start <= 120):
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
    keyword, types, chaired, organizer_pattern, location_pattern, attended = _event_rules()
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
    # The day it was held: the first day date of the lead, else of the sentence after it (a caption glued
    # into the lead pushes the date one sentence on).
    # The sentence that names the meeting comes first ("ngày 14/1/2019, ... tiến hành Kỳ họp thứ 31").
    # (_meeting_day is asked only of the rows these steps reach.)
    dated = [(lead_start, lead_end), *lead, *body[len(lead) : len(lead) + 1], *headline]
    held = next(
        (row for start, end in dated for row in dates if start <= row["start"] < end and _meeting_day(row, text)), None
    )
    event_date = held["value"] if held else None
    # A meeting of several days: its range ("trong hai ngày 25-26/12"), there or anywhere in the text.
    event_end = held["value_end"] if held and held["granularity"] == "range" else None
    if event_date and not event_end:
        event_end = next(
            (
                row["value_end"]
                for row in dates
                if row["granularity"] == "range" and row["value"] == event_date and _meeting_day(row, text)
            ),
            None,
        )
    organizer = next(
        (org.expanded for org in tagged.organizations
         if lead_start <= org.start < lead_end and organizer_pattern.match(text, org.end, min(org.end + 24, lead_end))),
        None,
    )  # fmt: skip
    location = location_pattern.search(text, lead_start, lead_end)
    marks = _chair_marks(text, sentences, chaired)
    chaired_by = [person.name for person in tagged.persons if _chaired(person.mentions, marks)]
    # Attendees: the persons named in a sentence that says who attended ("Tham dự có", "dự và chỉ đạo").
    attendable = [person for person in tagged.persons if person.rule not in {"name.byline", "name.credit"}]
    named = sorted(m_start for person in attendable for m_start, _ in person.mentions)
    # Only a sentence that names one of them is searched for the words.
    attending = [
        (start, end)
        for start, end in sentences
        if (index := bisect_left(named, start)) < len(named)
        and named[index] < end
        and attended.search(text, start, end)
    ]
    attendees = [
        person.name
        for person in attendable
        if any(start <= m_start < end for m_start, _ in person.mentions for start, end in attending)
    ]
    return [
        {"article_id": article_id, "event_type": types[found.group().casefold()],
         "event_date": event_date, "event_end": event_end, "organizer": organizer,
         "location": location["location"].strip() if location else None, "chaired_by": chaired_by,
         "attendees": attendees, "rule": f"event.keyword:{found.group().casefold()}"}
    ]  # fmt: skip
