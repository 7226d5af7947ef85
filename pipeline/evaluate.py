"""Score the pipeline against gold annotations: per table and per label, strict, lenient and by value.

Gold lives in data/gold/*.jsonl, one article a line (see docs/annotation.md). A prediction matches a gold
item of the same article:
- strict: same label and exactly the same span;
- lenient: same label and overlapping spans;
- value: the same normalised value (a person's name, a (person, title) pair, a date's value and
  granularity, a document's symbol, a ratio's figures and unit), wherever its span is.
Each gold item is matched at most once at each level. The matches of an article are computed once
(`match_article`) and everything else reads them: the scores, reports/eval.md and eval.json, and the
audit pages (pipeline.audit), so no two reports can count differently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.emit import write_text
from pipeline.tables import REGISTRY, SCORED, SPAN_TEXT, Row, Scoring, iso

LEVELS = ("strict", "lenient", "value")


class GoldError(ValueError):
    """A gold folder that cannot be scored as it is; the message names the file and says why, for a person.

    The command line prints it instead of a traceback.
    """

    @property
    def message(self) -> str:
        return str(self)


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    lenient: int = 0
    value_gold_hits: int = 0
    value_predicted_hits: int = 0

    @staticmethod
    def _f1(precision: float, recall: float) -> float:
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def scores(self) -> dict[str, float]:
        def ratio(hits: int, total: int) -> float:
            return hits / total if total else 1.0

        result = {}
        for name, hits in (("strict", self.strict), ("lenient", self.lenient)):
            precision, recall = ratio(hits, self.predicted), ratio(hits, self.gold)
            result |= {f"{name}_p": precision, f"{name}_r": recall, f"{name}_f1": self._f1(precision, recall)}
        precision = ratio(self.value_predicted_hits, self.predicted)
        recall = ratio(self.value_gold_hits, self.gold)
        return result | {"value_p": precision, "value_r": recall, "value_f1": self._f1(precision, recall)}

    def add(self, other: Counts) -> None:
        for name in asdict(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _greedy(gold: list[Row], predicted: list[Row], same: Callable[[Row, Row], bool]) -> dict[int, int]:
    """Gold index -> predicted index, matched one to one, first come first served."""
    pairs: dict[int, int] = {}
    for p_index, p_row in enumerate(predicted):
        for g_index, g_row in enumerate(gold):
            if g_index not in pairs and same(g_row, p_row):
                pairs[g_index] = p_index
                break
    return pairs


def _spans(spec: Scoring, overlap: bool) -> Callable[[Row, Row], bool]:
    def same(g: Row, p: Row) -> bool:
        if spec.label(g) != spec.label(p) or g.get("start") is None or p.get("start") is None:
            return False
        if overlap:
            return g["start"] < p["end"] and p["start"] < g["end"]
        return (g["start"], g["end"]) == (p["start"], p["end"])

    return same


@dataclass
class TableMatch:
    """One article's gold and predicted rows of one table and their pairs at each level."""

    table: str
    gold: list[Row]
    predicted: list[Row]
    pairs: dict[str, dict[int, int]]  # level -> gold index -> predicted index

    def missed(self, level: str) -> list[int]:
        return [index for index in range(len(self.gold)) if index not in self.pairs[level]]

    def false(self, level: str) -> list[int]:
        hits = set(self.pairs[level].values())
        return [index for index in range(len(self.predicted)) if index not in hits]

    def counts(self, label: str | None = None) -> Counts:
        """The table's counts, or those of one label (a value pair may join two labels: each side counts)."""
        spec = SCORED[self.table]
        gold = {i for i, row in enumerate(self.gold) if label is None or spec.label(row) == label}
        predicted = {i for i, row in enumerate(self.predicted) if label is None or spec.label(row) == label}
        value_hits = set(self.pairs["value"].values())
        return Counts(
            gold=len(gold),
            predicted=len(predicted),
            strict=len(gold & set(self.pairs["strict"])),
            lenient=len(gold & set(self.pairs["lenient"])),
            value_gold_hits=len(gold & set(self.pairs["value"])),
            value_predicted_hits=len(predicted & value_hits),
        )


def match_table(table: str, gold: list[Row], predicted: list[Row]) -> TableMatch:
    spec = SCORED[table]
    if spec.key is not None:
        gold, predicted = _once(gold, spec.key), _once(predicted, spec.key)
    pairs = {
        "strict": _greedy(gold, predicted, _spans(spec, overlap=False)),
        "lenient": _greedy(gold, predicted, _spans(spec, overlap=True)),
        "value": _greedy(gold, predicted, lambda g, p: spec.value(g) == spec.value(p)),
    }
    return TableMatch(table, gold, predicted, pairs)


def _once(rows: Iterable[Row], key: Callable[[Row], object]) -> list[Row]:
    seen: set[object] = set()
    unique = []
    for row in rows:
        if (k := key(row)) not in seen:
            seen.add(k)
            unique.append(row)
    return unique


def window(text: str, start: int, end: int, width: int = 50) -> str:
    """TEXT around [start, end), the span in [[ ]], on one line."""
    before = ("…" if start > width else "") + text[max(0, start - width) : start]
    after = text[end : end + width] + ("…" if end + width < len(text) else "")
    return f"{before}[[{text[start:end]}]]{after}".replace("\n", " ")


def _where(table: str, row: Row, text: str) -> tuple[str, str]:
    """(offsets, context) of a row; a row without offsets is shown near its person's first mention."""
    start, end = row.get("start"), row.get("end")
    if start is not None and end is not None:
        return f"[{start}:{end}]", window(text, start, end)
    name = row.get("person_name") if table == "roles" else None
    if name and (at := text.find(name)) >= 0:
        return "no offsets", "near " + window(text, at, at + len(name))
    return "no offsets", ""


# What an article's predicted event must get right, each counted over the gold events (a new check is a line).
EVENT_CHECKS: dict[str, tuple[str, Callable[[Row, Row], bool]]] = {
    "type_right": ("type", lambda gold, predicted: predicted.get("event_type") == gold.get("event_type")),
    "date_right": ("date", lambda gold, predicted: iso(predicted.get("event_date")) == gold.get("event_date")),
}


@dataclass
class EventMatch:
    gold: Row | None
    predicted: Row | None

    def right(self, check: str) -> bool:
        return bool(self.gold and self.predicted and EVENT_CHECKS[check][1](self.gold, self.predicted))

    @property
    def type_right(self) -> bool:
        return self.right("type_right")

    @property
    def date_right(self) -> bool:
        return self.right("date_right")

    def verdict(self) -> str:
        if not self.gold:
            return "no gold event" + (", one predicted" if self.predicted else "")
        if not self.predicted:
            return "missed"
        wrong = [what for check, (what, _) in EVENT_CHECKS.items() if not self.right(check)]
        return "right" if not wrong else "wrong " + " and ".join(wrong)

    def as_row(self) -> Row:
        def plain(event: Row | None) -> Row | None:
            return None if event is None else {k: iso(v) for k, v in event.items() if k != "article_id"}

        return {"gold": plain(self.gold), "predicted": plain(self.predicted), "verdict": self.verdict()}


@dataclass
class ArticleMatch:
    """Everything scored on one gold article."""

    article: Row
    tables: dict[str, TableMatch]
    event: EventMatch

    @property
    def article_id(self) -> str:
        return self.article["article_id"]

    @property
    def source_path(self) -> str:
        return self.article.get("source_path") or self.article_id

    def items(self) -> list[Row]:
        """Every miss and false hit, each once, flagged with the levels at which it is wrong."""
        text = self.article.get("text", "")
        items = []
        for table, match in self.tables.items():
            spec = SCORED[table]
            for kind, rows, wrong in (
                ("miss", match.gold, (set(match.missed("strict")), set(match.missed("value")))),
                ("false hit", match.predicted, (set(match.false("strict")), set(match.false("value")))),
            ):
                for index, row in enumerate(rows):
                    strict, value = index in wrong[0], index in wrong[1]
                    if not (strict or value):
                        continue
                    offsets, context = _where(table, row, text)
                    items.append(
                        {"table": table, "kind": kind, "strict": strict, "by_value": value,
                         "start": row.get("start"), "end": row.get("end"), "offsets": offsets,
                         "value": spec.show(row), "rule": row.get("rule"), "context": context}
                    )  # fmt: skip
        return items

    def problems(self) -> dict[str, int]:
        """How many items are wrong at each level: the per-article figures every report shows."""
        counts = {"strict_misses": 0, "strict_false_hits": 0, "value_misses": 0, "value_false_hits": 0}
        for match in self.tables.values():
            counts["strict_misses"] += len(match.missed("strict"))
            counts["strict_false_hits"] += len(match.false("strict"))
            counts["value_misses"] += len(match.missed("value"))
            counts["value_false_hits"] += len(match.false("value"))
        return counts


def gold_rows(article: Row) -> dict[str, list[Row]]:
    """A gold line's items as table rows (persons at their first mention, as the persons table has them)."""
    persons = [
        {"name": person["name"], "start": min(person["mentions"])[0], "end": min(person["mentions"])[1]}
        if person.get("mentions")
        else {"name": person["name"], "start": None, "end": None}
        for person in article.get("persons", [])
    ]
    return {"persons": persons, **{table: article.get(table) or [] for table in SCORED if table != "persons"}}


def match_article(article: Row, found: dict[str, list[Row]]) -> ArticleMatch:
    """The one computation of matches for a gold ARTICLE and the rows FOUND for it."""
    expected = gold_rows(article)
    tables = {table: match_table(table, expected[table], found.get(table, [])) for table in SCORED}
    events = found.get("events") or []
    return ArticleMatch(article, tables, EventMatch(article.get("event"), events[0] if events else None))


@dataclass
class Report:
    articles: list[ArticleMatch] = field(default_factory=list)
    tables: dict[str, Counts] = field(default_factory=dict)
    labels: dict[tuple[str, str], Counts] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=lambda: {"gold": 0, "found": 0} | dict.fromkeys(EVENT_CHECKS, 0))
    notes: list[str] = field(default_factory=list)  # what the gold folder's reading had to say (duplicates)
    when: dict[str, int] = field(default_factory=dict)  # the "when" metrics: see score_when

    def add(self, match: ArticleMatch) -> None:
        self.articles.append(match)
        for table, table_match in match.tables.items():
            self.tables.setdefault(table, Counts()).add(table_match.counts())
            spec = SCORED[table]
            for label in {spec.label(row) for row in table_match.gold + table_match.predicted}:
                self.labels.setdefault((table, label), Counts()).add(table_match.counts(label))
        if match.event.gold:
            self.events["gold"] += 1
            self.events["found"] += match.event.predicted is not None
            for check in EVENT_CHECKS:
                self.events[check] += match.event.right(check)

    def _items(self, kind: str) -> list[Row]:
        return [
            {"source_path": match.source_path, **item}
            for match in self.articles
            for item in match.items()
            if item["kind"] == kind
        ]

    @property
    def misses(self) -> list[Row]:
        """Every gold item missed strictly or by value, with its article."""
        return self._items("miss")

    @property
    def false_hits(self) -> list[Row]:
        return self._items("false hit")


def evaluate(
    gold: list[Row], predicted: dict[str, dict[str, list[Row]]], texts: dict[str, str] | None = None
) -> Report:
    """Score PREDICTED (article_id -> table -> rows) against GOLD lines (TEXTS: ids -> text, if not in the lines)."""
    report = Report()
    for article in gold:
        if "text" not in article and texts:
            article = {**article, "text": texts.get(article["article_id"], "")}
        found = predicted.get(article["article_id"], {})
        report.add(match_article(article, found))
        score_when(article, found, report.when)
    return report


def score_table(
    table: str, gold: list[Row], predicted: list[Row], text: str = ""
) -> tuple[Counts, list[Row], list[Row]]:
    """Counts for one article's table, and its misses and false hits (by value) with context."""
    match = match_table(table, gold, predicted)
    spec = SCORED[table]

    def item(row: Row) -> Row:
        offsets, context = _where(table, row, text)
        return {
            "table": table,
            "value": spec.show(row),
            "offsets": offsets,
            "rule": row.get("rule"),
            "context": context,
        }

    misses = [item(match.gold[index]) for index in match.missed("value")]
    false_hits = [item(match.predicted[index]) for index in match.false("value")]
    return match.counts(), misses, false_hits


# --- the gold folder -------------------------------------------------------------------------------------

_GRANULARITIES = {"day", "month", "quarter", "year", "range"}
_NEEDED = {name: table.needed for name, table in REGISTRY.items() if table.span_text}  # gold rows checked


def gold_problems(line: object) -> list[str]:
    """What keeps LINE from being a gold line (docs/annotation.md); empty when it is one."""
    if not isinstance(line, dict):
        return ["not a JSON object (a Label Studio export goes through `vnextract ls-import` first)"]
    text = line.get("text")
    if not isinstance(text, str) or not text:
        return ["no `text`"]
    if line.get("article_id") != hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]:
        return ["`article_id` is not the first 16 hex digits of the SHA-256 of `text`: the text was changed"]
    problems = []

    def span(where: str, start: object, end: object, written: object = None) -> None:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            problems.append(f"{where}: offsets [{start}, {end}] are not a span of the text")
        elif written is not None and text[start:end] != written:
            problems.append(f"{where}: text[{start}:{end}] is {text[start:end]!r}, not {written!r}")

    lists = {table: line.get(table) or [] for table in ("persons", *_NEEDED)}
    for table, rows in lists.items():
        if not isinstance(rows, list):
            problems.append(f"`{table}` is not a list")
            lists[table] = []
    for index, person in enumerate(lists["persons"]):
        if not isinstance(person, dict) or not person.get("name"):
            problems.append(f"persons[{index}]: no name")
            continue
        for mention in person.get("mentions") or []:
            if isinstance(mention, list) and len(mention) == 2:
                span(f"persons[{index}] {person['name']}", *mention)
            else:
                problems.append(f"persons[{index}] {person['name']}: a mention {mention!r} is not [start, end]")
    for table, needed in _NEEDED.items():
        for index, row in enumerate(lists[table]):
            where = f"{table}[{index}]"
            if not isinstance(row, dict):
                problems.append(f"{where}: not an object")
                continue
            problems += [f"{where}: no `{name}`" for name in needed if row.get(name) in (None, "")]
            if table == "dates" and row.get("granularity") not in _GRANULARITIES:
                problems.append(
                    f"{where}: granularity {row.get('granularity')!r} is not one of {sorted(_GRANULARITIES)}"
                )
            if row.get("start") is not None or table != "roles":  # only roles may lack offsets
                span(where, row.get("start"), row.get("end"), row.get(SPAN_TEXT[table]))
    event = line.get("event")
    if event is not None and not (isinstance(event, dict) and event.get("event_type")):
        problems.append("event: neither null nor an object with an `event_type`")
    return problems


def _at_span(row: Row, candidates: list[Row]) -> Row | None:
    """The predicted row whose span overlaps ROW's, the one starting nearest to it; None without offsets."""
    if row.get("start") is None:
        return None
    overlapping = [
        p for p in candidates if p.get("start") is not None and p["start"] < row["end"] and row["start"] < p["end"]
    ]
    return min(overlapping, key=lambda p: abs(p["start"] - row["start"]), default=None)


def score_when(article: Row, found: dict[str, list[Row]], counts: dict[str, int]) -> None:
    """Add one article's counts for the date and event metrics to COUNTS (name -> count).

    - event_date / event_end: the event's first and last day right, over gold events (event_end over gold
      events that state one, a multi-day meeting);
    - year_inferred: partial dates whose year the pipeline inferred (a value given), and how many of those
      are right; inferred_empty: partial dates left without a year;
    - range: gold ranges found at their place with both ends right;
    - issued: gold documents with an issue date, and how many got that date at their place;
    - ratio_kind: gold ratios with a kind, and how many got it.
    """

    def add(name: str, right: bool) -> None:
        counts[name] = counts.get(name, 0) + 1
        counts[f"{name}_right"] = counts.get(f"{name}_right", 0) + int(right)

    dates, predicted_dates = article.get("dates", []), found.get("dates", [])
    for row in predicted_dates:
        if row.get("year_inferred"):
            gold = _at_span(row, dates)
            if row.get("value") is None:
                counts["inferred_empty"] = counts.get("inferred_empty", 0) + 1
            elif gold is not None:
                add("year_inferred", iso(row["value"]) == gold.get("value"))
    for row in dates:
        if row.get("granularity") == "range":
            predicted = _at_span(row, predicted_dates)
            add("range", predicted is not None and SCORED["dates"].value(predicted) == SCORED["dates"].value(row))
    for row in article.get("documents", []):
        if row.get("issued_date"):
            predicted = _at_span(row, found.get("documents", []))
            add("issued", predicted is not None and iso(predicted.get("issued_date")) == row["issued_date"])
    for row in article.get("ratios", []):
        if row.get("kind"):
            predicted = _at_span(row, found.get("ratios", []))
            add("ratio_kind", predicted is not None and predicted.get("kind") == row["kind"])
    event, events = article.get("event"), found.get("events", [])
    if event:
        first = events[0] if events else {}
        add("event_date", iso(first.get("event_date")) == event.get("event_date"))
        if event.get("event_end"):
            add("event_end", iso(first.get("event_end")) == event["event_end"])
        if "attendees" in event:  # attendees: those the text says attended, over gold events that list them
            gold_names, found_names = set(event["attendees"]), set(first.get("attendees") or [])
            counts["attendees_gold"] = counts.get("attendees_gold", 0) + len(gold_names)
            counts["attendees_found"] = counts.get("attendees_found", 0) + len(found_names)
            counts["attendees_right"] = counts.get("attendees_right", 0) + len(gold_names & found_names)


def when_line(counts: dict[str, int]) -> str:
    """The date and event metrics in one line: "event_date 43/45, year_inferred 12/12, ..."."""
    names = ("event_date", "event_end", "year_inferred", "range", "issued", "ratio_kind")
    parts = [f"{name} {counts.get(name + '_right', 0)}/{counts[name]}" for name in names if counts.get(name)]
    if counts.get("attendees_gold") or counts.get("attendees_found"):
        right = counts.get("attendees_right", 0)
        parts.append(
            f"attendees P {right}/{counts.get('attendees_found', 0)} R {right}/{counts.get('attendees_gold', 0)}"
        )
    return ", ".join([*parts, f"inferred_empty {counts.get('inferred_empty', 0)}"])


def load_gold(folder: Path) -> list[Row]:
    """The gold lines of every JSONL file in FOLDER (or of FOLDER itself when it is one file).

    Each line gets `gold_file`, the file it came from. A file that is not gold stops the run (GoldError,
    naming the file, the line and why), and so does any other file in the folder but README and hidden ones:
    a gold folder holds gold only. An article in two files (the same article_id) is counted once when both
    lines agree, and stops the run when they differ, since the scorer cannot know which is right; the
    duplicates read are in `duplicate_notes(lines)`.
    """
    if folder.is_file():
        paths = [folder]
    elif folder.is_dir():
        paths = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "README")))
    else:
        raise GoldError(f"{folder}: no such gold file or folder")
    lines: list[Row] = []
    first: dict[str, Row] = {}
    for path in paths:
        if path.suffix != ".jsonl":
            raise GoldError(
                f"{path}: not gold: a gold folder holds only .jsonl files of gold lines (and a README); "
                "a Label Studio export goes through `vnextract ls-import` first"
            )
        for number, line in gold_lines(path, "gold"):
            if problems := gold_problems(line):
                more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
                raise GoldError(f"{path}, line {number}: not gold: {'; '.join(problems[:3])}{more}")
            line = {**line, "gold_file": path.name}
            earlier = first.get(line["article_id"])
            if earlier is None:
                first[line["article_id"]] = line
                lines.append(line)
                continue
            same = {k: v for k, v in earlier.items() if k != "gold_file"} == {
                k: v for k, v in line.items() if k != "gold_file"
            }
            if not same:
                raise GoldError(
                    f"{earlier['gold_file']} and {path.name} both annotate article {line['article_id']} "
                    f"({line.get('source_path')}) differently; keep one of the two lines"
                )
            earlier.setdefault("also_in", []).append(path.name)
    return lines


def gold_lines(path: Path, kind: str) -> Iterator[tuple[int, object]]:
    """The JSON value of each line of a gold file that is not blank, with its number; a line that is not
    JSON stops the run, naming the file, the line and KIND ("gold", "identity gold")."""
    for number, raw in enumerate(io.StringIO(read_gold_text(path), newline=None), 1):  # lines as a text file's
        if raw.strip():
            try:
                yield number, json.loads(raw)
            except json.JSONDecodeError as error:
                raise GoldError(f"{path}, line {number}: not {kind}: not JSON ({error.msg})") from None


def read_gold_text(path: Path) -> str:
    """The text of a gold file, which is UTF-8: bytes that are not stop the run naming the line."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8")
        number = before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
        raise GoldError(
            f"{path}, line {number}: not gold: not UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None


def duplicate_notes(gold: list[Row]) -> list[str]:
    """One sentence per article found in more than one gold file (counted once)."""
    return [
        f"{line.get('source_path')} ({line['article_id']}) is in {', '.join([line['gold_file'], *line['also_in']])} "
        "with the same annotations: counted once"
        for line in gold
        if line.get("also_in")
    ]


# --- reports ---------------------------------------------------------------------------------------------

_COLUMNS = ("gold", "pred", "strict_f1", "lenient_f1", "value_p", "value_r", "value_f1")


def table_lines(report: Report) -> list[str]:
    """One aligned row per table, its name first, then the events and any note on the gold read."""
    header = f"{'table':<14}" + "".join(f"{name:>11}" for name in _COLUMNS)
    lines = [header]
    for table, counts in report.tables.items():
        scores = counts.scores()
        cells = [counts.gold, counts.predicted, *(scores[name] for name in _COLUMNS[2:])]
        lines.append(
            f"{table:<14}" + "".join(f"{cell:>11}" if isinstance(cell, int) else f"{cell:>11.3f}" for cell in cells)
        )
    events = report.events
    if events["gold"]:
        lines.append(
            f"{'events':<14}{events['gold']:>11}{events['found']:>11}"
            "   "
            + ", ".join(f"{what} right {events[check]}/{events['gold']}" for check, (what, _) in EVENT_CHECKS.items())
        )
    if report.when:
        lines.append(f"{'when':<14}{when_line(report.when)}")
    return lines + [f"note: {note}" for note in report.notes]


def _code(text: str) -> str:
    """TEXT as a Markdown code span, so that no character of the article is read as markup."""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _levels(item: Row) -> str:
    if item["strict"] and item["by_value"]:
        return "strict and by value"
    if not item["strict"]:
        return "by value only (the span is right)"
    if item["start"] is None:
        return "strict only (no offsets in gold; the value is found)"
    return "strict only (the value is right elsewhere)"


def _event_text(event: Row | None) -> str:
    if not event:
        return "none"
    return f"{event.get('event_type')} on {iso(event.get('event_date')) or 'no date'}"


def markdown(report: Report) -> str:
    rows = [
        "# Evaluation against gold",
        "",
        f"{len(report.articles)} articles. Strict: the same label and exactly the same span; lenient: "
        "overlapping spans; by value: the same normalised value wherever its span is. Every miss and false hit "
        "is listed below, by article, with its offsets and the text around it (the span in [[ ]]).",
        *(f"\nNote: {note}" for note in report.notes),
        "",
        "## Per table",
        "",
        "| table | gold | predicted | strict P | strict R | strict F1 | lenient F1 | value P | value R | value F1 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for table, counts in report.tables.items():
        s = counts.scores()
        rows.append(
            f"| {table} | {counts.gold} | {counts.predicted} | {s['strict_p']:.3f} | {s['strict_r']:.3f} | {s['strict_f1']:.3f} | {s['lenient_f1']:.3f} | {s['value_p']:.3f} | {s['value_r']:.3f} | {s['value_f1']:.3f} |"
        )
    events = report.events
    rows += [
        "",
        f"Events: {events['gold']} articles report one in gold; {events['found']} of them have a predicted event, "
        + ", ".join(f"the right {what} for {events[check]}" for check, (what, _) in EVENT_CHECKS.items())
        + ".",
        "",
        f"Dates and events (right/scored): {when_line(report.when)}",
        "",
        "## Per label",
        "",
        "| table | label | gold | predicted | strict F1 | lenient F1 | value F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for (table, label), counts in sorted(report.labels.items()):
        s = counts.scores()
        rows.append(
            f"| {table} | {label} | {counts.gold} | {counts.predicted} | {s['strict_f1']:.3f} | {s['lenient_f1']:.3f} | {s['value_f1']:.3f} |"
        )
    rows += [
        "",
        "## Per article",
        "",
        "| article | gold file | strict misses | strict false hits | misses by value | false hits by value | event |",
        "|---|---|---|---|---|---|---|",
    ]
    for match in report.articles:
        p = match.problems()
        rows.append(
            f"| {match.source_path} | {match.article.get('gold_file', '')} | {p['strict_misses']} | "
            f"{p['strict_false_hits']} | {p['value_misses']} | {p['value_false_hits']} | {match.event.verdict()} |"
        )
    rows += [
        "",
        "## Events",
        "",
        "| article | gold | predicted | verdict |",
        "|---|---|---|---|",
    ]
    rows += [
        f"| {m.source_path} | {_event_text(m.event.gold)} | {_event_text(m.event.predicted)} | {m.event.verdict()} |"
        for m in report.articles
        if m.event.gold or m.event.predicted
    ]
    misses, false_hits = report.misses, report.false_hits
    rows += ["", f"## Misses and false hits by article: {len(misses)} misses, {len(false_hits)} false hits"]
    for match in report.articles:
        items = match.items()
        if not items and match.event.verdict() in ("right", "no gold event"):
            continue
        title = match.article.get("title")
        rows += ["", f"### {match.source_path}" + (f": {title}" if title else ""), ""]
        if match.event.verdict() not in ("right", "no gold event"):
            rows.append(
                f"- event {match.event.verdict()}: gold {_event_text(match.event.gold)}, "
                f"predicted {_event_text(match.event.predicted)}"
            )
        for item in items:
            rule = f" (rule {item['rule']})" if item.get("rule") else ""
            context = f": {_code(item['context'])}" if item["context"] else ""
            rows.append(
                f"- {item['kind']}, {_levels(item)}: {item['table']} {item['offsets']} "
                f"**{item['value']}**{rule}{context}"
            )
    return "\n".join(rows) + "\n"


def as_json(report: Report) -> dict[str, Any]:
    return {
        "notes": report.notes,
        "tables": {table: {**asdict(counts), **counts.scores()} for table, counts in report.tables.items()},
        "labels": [
            {"table": table, "label": label, **asdict(counts), **counts.scores()}
            for (table, label), counts in sorted(report.labels.items())
        ],
        "events": report.events,
        "when": report.when,
        "articles": [
            {
                "article_id": m.article_id,
                "source_path": m.source_path,
                "gold_file": m.article.get("gold_file"),
                **m.problems(),
                "event": m.event.as_row(),
                "items": m.items(),
            }
            for m in report.articles
        ],
    }


def predict(article: Row) -> dict[str, list[Row]]:
    """Run the pipeline's own page stages (pipeline.page.process_page) on a gold article's text.

    The text is already normalised and free of furniture, so layout finds the same title and byline
    author in it again, by the current rules; only the publication date, whose date line layout removed,
    comes from the gold line.
    """
    from pipeline.ingest import RawPage
    from pipeline.page import process_page

    published = article.get("published_date")
    source_path = article.get("source_path", "")
    page = RawPage(
        source_path=source_path,
        text=article["text"],
        encoding="utf-8",
        published_date=dt.date.fromisoformat(published) if published else None,
    )
    result = process_page(page)
    if result.article is None or result.article.text != article["text"]:
        raise GoldError(f"{source_path}: the pipeline no longer leaves the gold text as it is; re-annotate it")
    return {
        table: [record.model_dump() for record in rows]
        for table, rows in result.records.items()
        if table not in {"articles", "errors"}
    }


def score_gold(gold_folder: Path) -> Report:
    """Read GOLD_FOLDER, predict every article and match: the one computation eval and audit share."""
    gold = load_gold(gold_folder)
    report = evaluate(gold, {article["article_id"]: predict(article) for article in gold})
    report.notes = duplicate_notes(gold)
    return report


def write_reports(report: Report, reports: Path) -> None:
    reports.mkdir(parents=True, exist_ok=True)
    write_text(reports / "eval.json", json.dumps(as_json(report), ensure_ascii=False, indent=1, default=str))
    write_text(reports / "eval.md", markdown(report))


def run_eval(gold_folder: Path, reports: Path) -> Report:
    """Score the pipeline on every gold article; write reports/eval.json and reports/eval.md."""
    report = score_gold(gold_folder)
    write_reports(report, reports)
    return report
