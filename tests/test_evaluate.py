"""The scorer on hand-built cases, the audit pages, and the Label Studio round trip."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.audit import write_audit
from pipeline.evaluate import evaluate, load_gold, run_eval, score_table
from pipeline.labelstudio import export_tasks, import_export
from pipeline.runner import run
from tests.conftest import ROOT, SAMPLES

TEXT = "Ngày 15/5/2023 và ngày 06/7/2021, theo Quyết định số 900-QĐ/ĐUK"


def _date(text: str, value: str, start: int | None = None) -> dict:
    start = TEXT.index(text) if start is None else start
    return {
        "text": text,
        "start": start,
        "end": start + len(text),
        "value": value,
        "value_end": value,
        "granularity": "day",
    }


GOLD = [_date("15/5/2023", "2023-05-15"), _date("06/7/2021", "2021-07-06")]


def test_a_perfect_prediction_scores_one() -> None:
    counts, misses, false_hits = score_table("dates", GOLD, list(GOLD), TEXT)
    assert counts.scores() == {key: 1.0 for key in counts.scores()}
    assert misses == false_hits == []


def test_one_missing_span_lowers_recall_by_its_share() -> None:
    counts, misses, _ = score_table("dates", GOLD, GOLD[:1], TEXT)
    scores = counts.scores()
    assert scores["strict_p"] == 1.0 and scores["strict_r"] == 0.5
    assert scores["strict_f1"] == pytest.approx(2 / 3)
    assert scores["value_r"] == 0.5
    assert len(misses) == 1 and "[[06/7/2021]]" in misses[0]["context"]


def test_an_overlapping_span_counts_lenient_but_not_strict() -> None:
    wider = _date("ngày 06/7/2021", "2021-07-06")
    counts, _, _ = score_table("dates", GOLD, [GOLD[0], wider], TEXT)
    scores = counts.scores()
    assert scores["strict_r"] == 0.5 and scores["lenient_r"] == 1.0 and scores["value_r"] == 1.0


def test_a_wrong_value_on_the_right_span_is_a_miss_and_a_false_hit_by_value() -> None:
    wrong = {**GOLD[1], "value": "2022-07-06", "value_end": "2022-07-06"}
    counts, misses, false_hits = score_table("dates", GOLD, [GOLD[0], wrong], TEXT)
    assert counts.scores()["strict_f1"] == 1.0 and counts.scores()["value_f1"] == 0.5
    assert len(misses) == len(false_hits) == 1


def test_roles_are_scored_as_person_title_pairs() -> None:
    gold = [{"article_id": "a", "text": TEXT, "roles": [
        {"person_name": "Kim Vui", "title": "Bí thư", "organization": "Chi bộ", "start": 0, "end": 4}]}]  # fmt: skip
    predicted = {"a": {"roles": [
        {"person_name": "Kim Vui", "title": "Bí thư", "organization": None, "start": 0, "end": 4},
        {"person_name": "Kim Vui", "title": "Bí thư", "organization": "Chi bộ", "start": 5, "end": 9}]}}  # fmt: skip
    report = evaluate(gold, predicted, {"a": TEXT})
    assert report.tables["roles"].scores()["value_f1"] == 1.0


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    run(SAMPLES, out, progress=False)
    return out


def test_eval_on_the_shipped_gold_writes_reports(tmp_path: Path) -> None:
    report = run_eval(ROOT / "data" / "gold", tmp_path)
    assert {"persons", "roles", "dates", "documents", "ratios"} <= set(report.tables)
    assert report.tables["persons"].gold >= 100
    assert "## Misses" in (tmp_path / "eval.md").read_text("utf-8")
    assert json.loads((tmp_path / "eval.json").read_text("utf-8"))["tables"]["dates"]["gold"] > 0


def test_audit_writes_a_marked_page_per_gold_article(tmp_path: Path) -> None:
    pages = write_audit(ROOT / "data" / "gold", tmp_path)
    assert len(pages) == len(load_gold(ROOT / "data" / "gold")) >= 25
    page = next(p for p in pages if p.name.startswith("000_")).read_text("utf-8")
    tip = html.escape("persons: Dương Thị Ngọc Thơ | rule name.honorific")
    assert f'<mark class="exact" title="{tip}">Dương Thị Ngọc Thơ<small>PER</small></mark>' in page
    assert (tmp_path / "index.html").exists()


def test_label_studio_round_trip_keeps_spans_and_values(processed: Path) -> None:
    tasks = export_tasks(processed)
    assert len(tasks) == 5
    region = tasks[0]["predictions"][0]["result"][0]
    text = tasks[0]["data"]["text"]
    assert text[region["value"]["start"] : region["value"]["end"]] == region["value"]["text"]
    # A researcher accepts the pre-annotations and adds one person by hand.
    for task in tasks:
        task["annotations"] = [{"result": task["predictions"][0]["result"], "was_cancelled": False}]
    extra = {"type": "labels", "value": {"start": 0, "end": 6, "text": tasks[0]["data"]["text"][:6], "labels": ["PER"]}}
    tasks[0]["annotations"][0]["result"] = [*tasks[0]["annotations"][0]["result"], extra]
    lines = import_export(tasks)
    predicted = {task["data"]["article_id"]: task for task in tasks}
    for line in lines:
        regions = predicted[line["article_id"]]["predictions"][0]["result"]
        dates = [r for r in regions if r["value"]["labels"] == ["DATE"]]
        assert [(d["start"], d["end"], d["value"]) for d in line["dates"]] == [
            (r["value"]["start"], r["value"]["end"], json.loads(r["meta"]["text"][0])["value"]) for r in dates
        ]
    first = next(line for line in lines if line["article_id"] == tasks[0]["data"]["article_id"])
    assert {"name": text[:6], "mentions": [[0, 6]]} in first["persons"]
    # Gold made of the accepted pre-annotations scores the pipeline's own tables perfectly.
    tables = {table: pq.read_table(processed / table).to_pylist() for table in ("dates", "documents", "ratios")}
    own = {
        line["article_id"]: {
            t: [r for r in rows if r["article_id"] == line["article_id"]] for t, rows in tables.items()
        }
        for line in lines
    }
    report = evaluate(lines, own, {})
    for table in ("dates", "documents", "ratios"):
        assert report.tables[table].scores()["strict_f1"] == report.tables[table].scores()["value_f1"] == 1.0
