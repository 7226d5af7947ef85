"""HTML audit pages: an article's text with predicted spans beside gold spans, mistakes in colour.

One page per gold article under reports/audit/, and an index. The pages read the matches `make eval`
computes (pipeline.evaluate.score_gold), so the index counts what reports/eval.md lists, article by article.
Predicted spans that match gold exactly are green, that only overlap gold are yellow, false hits red; gold
spans the pipeline missed are orange. Hovering a mark shows its table, value and the rule that made it; the
tables under the text list every span with its offsets and whether its value is right.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.emit import write_text
from pipeline.evaluate import ArticleMatch, Report, TableMatch, score_gold
from pipeline.tables import REGIONS, SCORED, Row

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 2em; }
.text { white-space: pre-wrap; line-height: 1.9; }
mark { padding: 0.1em 0.2em; border-radius: 0.3em; }
mark.exact { background: #b7e4c7; } mark.overlap { background: #ffe08a; }
mark.false { background: #f4a3a3; } mark.miss { background: #ffc078; } mark.found { background: #b7e4c7; }
mark small { font-size: 0.65em; font-weight: bold; margin-left: 0.2em; color: #555; }
table { border-collapse: collapse; margin-top: 1.5em; } td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; }
.legend mark { margin-right: 1em; }
"""
_LABELS = {table: region.label for table, region in REGIONS.items()}  # the labels Label Studio tasks use


@dataclass(frozen=True)
class Mark:
    start: int | None  # None: a gold item annotated without offsets (it counts by value only)
    end: int | None
    table: str
    status: str  # exact, overlap or false (predicted); found, overlap or miss (gold)
    value_right: bool
    tip: str


def _table_marks(match: TableMatch) -> tuple[list[Mark], list[Mark]]:
    spec = SCORED[match.table]
    strict, lenient = match.pairs["strict"], match.pairs["lenient"]
    value_gold, value_predicted = set(match.pairs["value"]), set(match.pairs["value"].values())
    predicted = []
    for index, row in enumerate(match.predicted):
        status = "exact" if index in strict.values() else "overlap" if index in lenient.values() else "false"
        tip = f"{match.table}: {spec.show(row)}{_role_extras(row)} | rule {row.get('rule')}"
        predicted.append(Mark(row.get("start"), row.get("end"), match.table, status, index in value_predicted, tip))
    gold = [
        Mark(
            row.get("start"),
            row.get("end"),
            match.table,
            "found" if index in strict else "overlap" if index in lenient else "miss",
            index in value_gold,
            f"{match.table}: {spec.show(row)}",
        )
        for index, row in enumerate(match.gold)
    ]
    return predicted, gold


def _role_extras(row: Row) -> str:
    """A role's rank and former flag, for the tip ("| rank Thượng tướng | former")."""
    return (f" | rank {row['rank']}" if row.get("rank") else "") + (" | former" if row.get("former") else "")


def marks(match: ArticleMatch) -> tuple[list[Mark], list[Mark]]:
    """The predicted and the gold marks of an article, from its matches."""
    predicted, gold = [], []
    for table_match in match.tables.values():
        p, g = _table_marks(table_match)
        predicted += p
        gold += g
    return predicted, gold


def render_text(text: str, marks: list[Mark]) -> str:
    """TEXT as HTML with MARKS as <mark> elements; where marks overlap, the longer one is shown."""
    chosen: list[Mark] = []
    placed = [m for m in marks if m.start is not None and m.end is not None]
    for mark in sorted(placed, key=lambda m: (m.start - m.end, m.start)):  # type: ignore[operator]
        if all(mark.end <= other.start or other.end <= mark.start for other in chosen):  # type: ignore[operator]
            chosen.append(mark)
    parts, cursor = [], 0
    for mark in sorted(chosen, key=lambda m: m.start):  # type: ignore[arg-type,return-value]
        assert mark.start is not None and mark.end is not None
        parts.append(html.escape(text[cursor : mark.start]))
        label = _LABELS[mark.table]
        parts.append(
            f'<mark class="{mark.status}" title="{html.escape(mark.tip)}">'
            f"{html.escape(text[mark.start : mark.end])}<small>{label}</small></mark>"
        )
        cursor = mark.end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def _span_table(marks: list[Mark], text: str) -> str:
    def cells(m: Mark) -> str:
        placed = m.start is not None and m.end is not None
        span = html.escape(text[m.start : m.end]) if placed else "(no offsets: counted by value only)"
        start, end = (m.start, m.end) if placed else ("", "")
        return (
            f"<tr><td>{m.table}</td><td>{start}</td><td>{end}</td><td>{m.status}</td>"
            f"<td>{'right' if m.value_right else 'wrong'}</td><td>{span}</td><td>{html.escape(m.tip)}</td></tr>"
        )

    rows = "".join(cells(m) for m in sorted(marks, key=lambda m: (m.start is None, m.start or 0, m.table)))
    return (
        "<table><tr><th>table</th><th>start</th><th>end</th><th>span match</th><th>value</th>"
        f"<th>text</th><th>value and rule</th></tr>{rows}</table>"
    )


def _counts(match: ArticleMatch) -> str:
    p = match.problems()
    return (
        f"strict: {p['strict_misses']} missed, {p['strict_false_hits']} false; "
        f"by value: {p['value_misses']} missed, {p['value_false_hits']} false; event: {match.event.verdict()}"
    )


def page(match: ArticleMatch) -> str:
    article = match.article
    text = article["text"]
    predicted_marks, gold_marks = marks(match)
    title = html.escape(article.get("title") or match.source_path)
    legend = (
        '<p class="legend"><mark class="exact">exact</mark><mark class="overlap">overlap only</mark>'
        '<mark class="false">false hit</mark><mark class="miss">missed gold</mark>'
        '<mark class="found">gold found</mark></p>'
    )
    event = match.event
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_STYLE}</style></head><body><p><a href='index.html'>all articles</a></p><h1>{title}</h1>"
        f"<p>{html.escape(match.source_path)} · article {match.article_id} · "
        f"{html.escape(article.get('gold_file') or '')}</p><p>{html.escape(_counts(match))}</p>"
        f"<p>Event in gold: {html.escape(_event(event.gold))}; predicted: {html.escape(_event(event.predicted))}</p>"
        f"{legend}"
        f'<div class="columns"><div><h2>Predicted</h2><div class="text">{render_text(text, predicted_marks)}</div></div>'
        f'<div><h2>Gold</h2><div class="text">{render_text(text, gold_marks)}</div></div></div>'
        f"<h2>Every predicted span</h2>{_span_table(predicted_marks, text)}"
        f"<h2>Every gold span</h2>{_span_table(gold_marks, text)}</body></html>"
    )


def _event(event: dict | None) -> str:
    if not event:
        return "none"
    date = event.get("event_date")
    return f"{event.get('event_type')} on {date.isoformat() if hasattr(date, 'isoformat') else date or 'no date'}"


_UNSAFE = re.compile(r"[^\w.-]+")


def page_names(matches: list[ArticleMatch]) -> list[str]:
    """A file name for each article's page: its input's name without the suffix ("000_x.html"; a page of an
    export "e-2.html"), made unique, also on a file system blind to case, and never the index's."""
    taken, names = {"index"}, []
    for match in matches:
        path, _, number = match.source_path.partition("#")
        base = _UNSAFE.sub("_", Path(path).stem + (f"-{number}" if number else "")) or "article"
        name, count = base, 1
        while name.casefold() in taken:
            count += 1
            name = f"{base}-{count}"
        taken.add(name.casefold())
        names.append(f"{name}.html")
    return names


def write_pages(report: Report, out: Path) -> list[Path]:
    """One page per article of REPORT and an index under OUT; the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    written, links = [], []
    for match, name in zip(report.articles, page_names(report.articles), strict=True):
        write_text(out / name, page(match))
        written.append(out / name)
        title = html.escape(match.article.get("title") or "(no headline)")
        links.append(
            f"<li data-article='{match.article_id}'><a href='{name}'>{html.escape(name)}</a> {title}: "
            f"{html.escape(_counts(match))}</li>"
        )
    notes = "".join(f"<p>Note: {html.escape(note)}</p>" for note in report.notes)
    index = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>vnextract audit</title>'
        f"<style>{_STYLE}</style></head><body><h1>Audit: predicted and gold spans</h1>"
        "<p>The counts are those of reports/eval.md (<code>make eval</code>): strict is the exact span, by value "
        f"the normalised value wherever its span is.</p>{notes}<ul>{''.join(links)}</ul></body></html>"
    )
    write_text(out / "index.html", index)
    return written


def write_audit(gold_folder: Path, out: Path) -> list[Path]:
    """Score GOLD_FOLDER as `make eval` does and write its audit pages under OUT; the pages written."""
    return write_pages(score_gold(gold_folder), out)
