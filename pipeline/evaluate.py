"""Score the pipeline against gold annotations: per table and per label, strict, lenient and by value.

Gold lives in data/gold/*.jsonl, one article a line (see docs/annotation.md). A prediction matches a gold
item of the same article:
- strict: same label and exactly the same span;
- lenient: same label and overlapping spans;
- value: the same normalised value (a person's name, a (person, title) pair, a date's value and
  granularity, a document's symbol, a ratio's figures and unit), wherever its span is.
Each gold item is matched at most once. Every miss and every false hit is kept with its context.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Spec:
    label: Callable[[Row], str]
    value: Callable[[Row], object]


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


SPECS: dict[str, Spec] = {
    "persons": Spec(lambda row: "PER", lambda row: row["name"]),
    "roles": Spec(lambda row: row["title"], lambda row: (row["person_name"], row["title"])),
    "dates": Spec(
        lambda row: row["granularity"], lambda row: (_iso(row["value"]), _iso(row["value_end"]), row["granularity"])
    ),
    "documents": Spec(lambda row: row["doc_type"] or "?", lambda row: row["symbol"] or row["text"]),
    "ratios": Spec(lambda row: "ratio", lambda row: (row["achieved"], row["total"], row["unit"])),
}


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


@dataclass
class Report:
    tables: dict[str, Counts] = field(default_factory=dict)
    labels: dict[tuple[str, str], Counts] = field(default_factory=dict)
    misses: list[Row] = field(default_factory=list)
    false_hits: list[Row] = field(default_factory=list)
    events: dict[str, int] = field(default_factory=lambda: {"gold": 0, "found": 0, "date_right": 0, "type_right": 0})
    when: dict[str, int] = field(default_factory=dict)  # the "when" metrics: see score_when


def _greedy(gold: list[Row], predicted: list[Row], same: Callable[[Row, Row], bool]) -> tuple[set[int], set[int]]:
    """Indexes of gold and predicted items matched one to one, first come first served."""
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    for p_index, p_row in enumerate(predicted):
        for g_index, g_row in enumerate(gold):
            if g_index not in used_gold and same(g_row, p_row):
                used_gold.add(g_index)
                used_predicted.add(p_index)
                break
    return used_gold, used_predicted


def _context(text: str, row: Row) -> str:
    start, end = row.get("start"), row.get("end")
    if start is None or end is None:
        return ""
    return f"{text[max(0, start - 40) : start]}[[{text[start:end]}]]{text[end : end + 40]}".replace("\n", " ")


def score_table(
    table: str, gold: list[Row], predicted: list[Row], text: str = ""
) -> tuple[Counts, list[Row], list[Row]]:
    """Counts for one article's table, and its misses and false hits (value level) with context."""
    spec = SPECS[table]
    counts = Counts(gold=len(gold), predicted=len(predicted))

    def spans(overlap: bool) -> Callable[[Row, Row], bool]:
        def same(g: Row, p: Row) -> bool:
            if spec.label(g) != spec.label(p) or g.get("start") is None or p.get("start") is None:
                return False
            if overlap:
                return g["start"] < p["end"] and p["start"] < g["end"]
            return (g["start"], g["end"]) == (p["start"], p["end"])

        return same

    counts.strict = len(_greedy(gold, predicted, spans(False))[0])
    counts.lenient = len(_greedy(gold, predicted, spans(True))[0])
    gold_hits, predicted_hits = _greedy(gold, predicted, lambda g, p: spec.value(g) == spec.value(p))
    counts.value_gold_hits, counts.value_predicted_hits = len(gold_hits), len(predicted_hits)
    misses = [
        {"table": table, "value": repr(spec.value(row)), "context": _context(text, row)}
        for index, row in enumerate(gold)
        if index not in gold_hits
    ]
    false_hits = [
        {"table": table, "value": repr(spec.value(row)), "rule": row.get("rule"), "context": _context(text, row)}
        for index, row in enumerate(predicted)
        if index not in predicted_hits
    ]
    return counts, misses, false_hits


def gold_rows(article: Row) -> dict[str, list[Row]]:
    """A gold line's items as table rows (persons at their first mention)."""
    persons = [
        {"name": person["name"], "start": min(person["mentions"])[0], "end": min(person["mentions"])[1]}
        if person.get("mentions")
        else {"name": person["name"], "start": None, "end": None}
        for person in article.get("persons", [])
    ]
    return {"persons": persons, **{table: article.get(table, []) for table in SPECS if table != "persons"}}


def _unique_roles(rows: Iterable[Row]) -> list[Row]:
    """One role per (person, title): the pair is what is scored by value."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for row in rows:
        key = (row["person_name"], row["title"])
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def evaluate(gold: list[Row], predicted: dict[str, dict[str, list[Row]]], texts: dict[str, str]) -> Report:
    """Score PREDICTED (article_id -> table -> rows) against GOLD lines."""
    report = Report()
    for article in gold:
        article_id = article["article_id"]
        expected = gold_rows(article)
        found = predicted.get(article_id, {})
        text = texts.get(article_id, "")
        for table in SPECS:
            gold_table, predicted_table = expected[table], found.get(table, [])
            if table == "roles":
                gold_table, predicted_table = _unique_roles(gold_table), _unique_roles(predicted_table)
            counts, misses, false_hits = score_table(table, gold_table, predicted_table, text)
            report.tables.setdefault(table, Counts()).add(counts)
            for label in {SPECS[table].label(row) for row in gold_table + predicted_table}:
                in_label = [row for row in gold_table if SPECS[table].label(row) == label]
                out_label = [row for row in predicted_table if SPECS[table].label(row) == label]
                report.labels.setdefault((table, label), Counts()).add(score_table(table, in_label, out_label)[0])
            source = article.get("source_path", article_id)
            report.misses += [{"source_path": source, **miss} for miss in misses]
            report.false_hits += [{"source_path": source, **hit} for hit in false_hits]
        event, predicted_events = article.get("event"), found.get("events", [])
        if event:
            report.events["gold"] += 1
            if predicted_events:
                report.events["found"] += 1
                report.events["date_right"] += _iso(predicted_events[0]["event_date"]) == event.get("event_date")
                report.events["type_right"] += predicted_events[0]["event_type"] == event.get("event_type")
        score_when(article, found, report.when)
    return report


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
                add("year_inferred", _iso(row["value"]) == gold.get("value"))
    for row in dates:
        if row.get("granularity") == "range":
            predicted = _at_span(row, predicted_dates)
            add("range", predicted is not None and SPECS["dates"].value(predicted) == SPECS["dates"].value(row))
    for row in article.get("documents", []):
        if row.get("issued_date"):
            predicted = _at_span(row, found.get("documents", []))
            add("issued", predicted is not None and _iso(predicted.get("issued_date")) == row["issued_date"])
    for row in article.get("ratios", []):
        if row.get("kind"):
            predicted = _at_span(row, found.get("ratios", []))
            add("ratio_kind", predicted is not None and predicted.get("kind") == row["kind"])
    event, events = article.get("event"), found.get("events", [])
    if event:
        first = events[0] if events else {}
        add("event_date", _iso(first.get("event_date")) == event.get("event_date"))
        if event.get("event_end"):
            add("event_end", _iso(first.get("event_end")) == event["event_end"])
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
    """The gold lines of every JSONL file in FOLDER (or of FOLDER itself when it is one file)."""
    lines = []
    for path in [folder] if folder.is_file() else sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            lines += [json.loads(line) for line in handle if line.strip()]
    return lines


_COLUMNS = ("gold", "pred", "strict_f1", "lenient_f1", "value_p", "value_r", "value_f1")


def table_lines(report: Report) -> list[str]:
    """One aligned row per table, its name first."""
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
            f"   event_date right {events['date_right']}/{events['gold']}, type right {events['type_right']}/{events['gold']}"
        )
    if report.when:
        lines.append(f"{'when':<14}{when_line(report.when)}")
    return lines


def markdown(report: Report) -> str:
    rows = [
        "# Evaluation against gold",
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
    rows += [
        "",
        f"Events: {report.events}",
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
    for title, items in (
        ("Misses (in gold, not predicted)", report.misses),
        ("False hits (predicted, not in gold)", report.false_hits),
    ):
        rows += ["", f"## {title}: {len(items)}", ""]
        rows += [
            f"- `{item['source_path']}` {item['table']} {item['value']}{' (' + item['rule'] + ')' if item.get('rule') else ''}: {item['context']}"
            for item in items
        ]
    return "\n".join(rows) + "\n"


def as_json(report: Report) -> dict[str, Any]:
    return {
        "tables": {table: {**asdict(counts), **counts.scores()} for table, counts in report.tables.items()},
        "labels": [
            {"table": table, "label": label, **asdict(counts), **counts.scores()}
            for (table, label), counts in sorted(report.labels.items())
        ],
        "events": report.events,
        "when": report.when,
        "misses": report.misses,
        "false_hits": report.false_hits,
    }


def predict(article: Row) -> dict[str, list[Row]]:
    """Run the pipeline's own page stages (pipeline.runner.process_page) on a gold article's text.

    The text is already normalised and free of furniture, so layout finds the same title and byline
    author in it again, by the current rules; only the publication date, whose date line layout removed,
    comes from the gold line.
    """
    from pipeline.ingest import RawPage
    from pipeline.runner import process_page

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
        raise ValueError(f"{source_path}: the pipeline no longer leaves the gold text as it is; re-annotate it")
    return {
        table: [record.model_dump() for record in rows]
        for table, rows in result.records.items()
        if table not in {"articles", "errors"}
    }


def run_eval(gold_folder: Path, reports: Path) -> Report:
    """Score the pipeline on every gold article; write reports/eval.json and reports/eval.md."""
    gold = load_gold(gold_folder)
    predicted = {article["article_id"]: predict(article) for article in gold}
    report = evaluate(gold, predicted, {article["article_id"]: article["text"] for article in gold})
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "eval.json").write_text(
        json.dumps(as_json(report), ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    (reports / "eval.md").write_text(markdown(report), encoding="utf-8")
    return report
