"""HTML audit pages: an article's text with predicted spans beside gold spans, mistakes in colour.

One page per gold article under reports/audit/, and an index. Predicted spans that match gold exactly are
green, that only overlap gold are yellow, false hits red; gold spans the pipeline missed are orange.
Hovering a mark shows its table, value and the rule that made it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.evaluate import SPECS, Row, gold_rows, load_gold, predict
from pipeline.labelstudio import REGIONS

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
_LABELS = {table: label for table, (label, _) in REGIONS.items()}  # the labels Label Studio tasks use


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    table: str
    status: str
    tip: str


def _overlap(a: Row, b: Row) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _role_extras(row: Row) -> str:
    """A role's rank and former flag, for the tip ("| rank Thượng tướng | former")."""
    return (f" | rank {row['rank']}" if row.get("rank") else "") + (" | former" if row.get("former") else "")


def _marks(gold: dict[str, list[Row]], predicted: dict[str, list[Row]]) -> tuple[list[Mark], list[Mark]]:
    predicted_marks, gold_marks = [], []
    for table, spec in SPECS.items():
        expected = [row for row in gold.get(table, []) if row.get("start") is not None]
        found = [row for row in predicted.get(table, []) if row.get("start") is not None]
        for row in found:
            same = [g for g in expected if spec.label(g) == spec.label(row) and _overlap(g, row)]
            exact = any((g["start"], g["end"]) == (row["start"], row["end"]) for g in same)
            status = "exact" if exact else "overlap" if same else "false"
            tip = f"{table}: {spec.value(row)!r}{_role_extras(row)} | rule {row.get('rule')}"
            predicted_marks.append(Mark(row["start"], row["end"], table, status, tip))
        for row in expected:
            hit = any(spec.label(p) == spec.label(row) and _overlap(p, row) for p in found)
            gold_marks.append(
                Mark(row["start"], row["end"], table, "found" if hit else "miss", f"{table}: {spec.value(row)!r}")
            )
    return predicted_marks, gold_marks


def render_text(text: str, marks: list[Mark]) -> str:
    """TEXT as HTML with MARKS as <mark> elements; where marks overlap, the longer one is shown."""
    chosen: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start - m.end, m.start)):
        if all(mark.end <= other.start or other.end <= mark.start for other in chosen):
            chosen.append(mark)
    parts, cursor = [], 0
    for mark in sorted(chosen, key=lambda m: m.start):
        parts.append(html.escape(text[cursor : mark.start]))
        label = _LABELS[mark.table]
        parts.append(
            f'<mark class="{mark.status}" title="{html.escape(mark.tip)}">'
            f"{html.escape(text[mark.start : mark.end])}<small>{label}</small></mark>"
        )
        cursor = mark.end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def _table(marks: list[Mark], text: str) -> str:
    rows = "".join(
        f"<tr><td>{m.table}</td><td>{m.status}</td><td>{html.escape(text[m.start : m.end])}</td>"
        f"<td>{html.escape(m.tip)}</td></tr>"
        for m in sorted(marks, key=lambda m: m.start)
    )
    return f"<table><tr><th>table</th><th>status</th><th>span</th><th>value and rule</th></tr>{rows}</table>"


def page(article: dict[str, Any], predicted: dict[str, list[Row]]) -> str:
    text = article["text"]
    predicted_marks, gold_marks = _marks(gold_rows(article), predicted)
    title = html.escape(article.get("title") or article.get("source_path", ""))
    legend = (
        '<p class="legend"><mark class="exact">exact</mark><mark class="overlap">overlap only</mark>'
        '<mark class="false">false hit</mark><mark class="miss">missed gold</mark>'
        '<mark class="found">gold found</mark></p>'
    )
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_STYLE}</style></head><body><p><a href='index.html'>all articles</a></p><h1>{title}</h1>"
        f"<p>{html.escape(article.get('source_path', ''))} · article {article['article_id']}</p>{legend}"
        f'<div class="columns"><div><h2>Predicted</h2><div class="text">{render_text(text, predicted_marks)}</div></div>'
        f'<div><h2>Gold</h2><div class="text">{render_text(text, gold_marks)}</div></div></div>'
        f"<h2>Every predicted span</h2>{_table(predicted_marks, text)}"
        f"<h2>Every gold span</h2>{_table(gold_marks, text)}</body></html>"
    )


def write_audit(gold_folder: Path, out: Path) -> list[Path]:
    """One page per gold article and an index under OUT; the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    written, links = [], []
    for article in load_gold(gold_folder):
        predicted = predict(article)
        name = Path(article.get("source_path") or article["article_id"]).stem + ".html"
        (out / name).write_text(page(article, predicted), encoding="utf-8")
        written.append(out / name)
        marks = _marks(gold_rows(article), predicted)
        misses = sum(m.status == "miss" for m in marks[1])
        false_hits = sum(m.status == "false" for m in marks[0])
        title = html.escape(article.get("title") or "(no headline)")
        links.append(f"<li><a href='{name}'>{html.escape(name)}</a> {title}: {misses} missed, {false_hits} false</li>")
    index = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>vnextract audit</title>'
        f"<style>{_STYLE}</style></head><body><h1>Audit: predicted and gold spans</h1><ul>{''.join(links)}</ul>"
        "</body></html>"
    )
    (out / "index.html").write_text(index, encoding="utf-8")
    return written
