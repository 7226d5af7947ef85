"""The scorer on hand-built cases, the gold folder's checks, and eval and audit agreeing on data/gold."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import io
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline.audit import page_names, write_audit
from pipeline.cli import app
from pipeline.evaluate import GoldError, evaluate, load_gold, markdown, run_eval, score_table
from tests.conftest import ROOT

GOLD = ROOT / "data" / "gold"

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


GOLD_DATES = [_date("15/5/2023", "2023-05-15"), _date("06/7/2021", "2021-07-06")]


def test_a_perfect_prediction_scores_one() -> None:
    counts, misses, false_hits = score_table("dates", GOLD_DATES, list(GOLD_DATES), TEXT)
    assert counts.scores() == {key: 1.0 for key in counts.scores()}
    assert misses == false_hits == []


def test_one_missing_span_lowers_recall_by_its_share() -> None:
    counts, misses, _ = score_table("dates", GOLD_DATES, GOLD_DATES[:1], TEXT)
    scores = counts.scores()
    assert scores["strict_p"] == 1.0 and scores["strict_r"] == 0.5
    assert scores["strict_f1"] == pytest.approx(2 / 3)
    assert scores["value_r"] == 0.5
    assert len(misses) == 1 and "[[06/7/2021]]" in misses[0]["context"]


def test_an_overlapping_span_counts_lenient_but_not_strict() -> None:
    wider = _date("ngày 06/7/2021", "2021-07-06")
    counts, _, _ = score_table("dates", GOLD_DATES, [GOLD_DATES[0], wider], TEXT)
    scores = counts.scores()
    assert scores["strict_r"] == 0.5 and scores["lenient_r"] == 1.0 and scores["value_r"] == 1.0


def test_a_wrong_value_on_the_right_span_is_a_miss_and_a_false_hit_by_value() -> None:
    wrong = {**GOLD_DATES[1], "value": "2022-07-06", "value_end": "2022-07-06"}
    counts, misses, false_hits = score_table("dates", GOLD_DATES, [GOLD_DATES[0], wrong], TEXT)
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


def _article(text: str = TEXT, **tables: list[dict]) -> dict:
    article_id = hashlib.sha256(text.encode()).hexdigest()[:16]
    return {"article_id": article_id, "source_path": "a.txt", "text": text, "persons": [], "roles": [], "dates": [],
            "documents": [], "ratios": [], "event": None} | tables  # fmt: skip


def test_every_miss_and_false_hit_is_listed_once_with_the_levels_it_fails() -> None:
    wrong_value = {**GOLD_DATES[0], "value": "2023-05-16", "value_end": "2023-05-16", "rule": "date.day"}
    wider = {**_date("ngày 06/7/2021", "2021-07-06"), "rule": "date.day"}
    article = _article(dates=GOLD_DATES)
    report = evaluate([article], {article["article_id"]: {"dates": [wrong_value, wider]}})
    found = [(i["kind"], i["strict"], i["by_value"], i["offsets"], i["value"]) for i in report.articles[0].items()]
    assert found == [
        ("miss", False, True, "[5:14]", "2023-05-15 (day)"),  # the span is right, its value is not
        ("miss", True, False, "[23:32]", "2021-07-06 (day)"),  # the value is found, on a wider span
        ("false hit", False, True, "[5:14]", "2023-05-16 (day)"),
        ("false hit", True, False, "[18:32]", "2021-07-06 (day)"),
    ]
    assert report.articles[0].problems() == {
        "strict_misses": 1, "strict_false_hits": 1, "value_misses": 1, "value_false_hits": 1}  # fmt: skip
    text = markdown(report)
    assert (
        "- miss, by value only (the span is right): dates [5:14] **2023-05-15 (day)**: `Ngày [[15/5/2023]] và" in text
    )
    assert (
        "- false hit, strict only (the value is right elsewhere): dates [18:32] **2021-07-06 (day)** (rule date.day)"
        in text
    )
    assert "('" not in text and "{'" not in text  # no Python reprs


def test_a_role_written_away_from_the_name_is_shown_near_the_person() -> None:
    text = "Phó Bí thư là ông Kim Vui."
    article = _article(text, roles=[{"person_name": "Kim Vui", "title": "Phó Bí thư", "organization": None}])
    [item] = evaluate([article], {}).articles[0].items()
    assert (item["offsets"], item["value"]) == ("no offsets", "Kim Vui: Phó Bí thư")
    assert item["context"] == "near Phó Bí thư là ông [[Kim Vui]]."


def test_each_article_shows_its_gold_and_predicted_event() -> None:
    gold_event = {"event_type": "hội nghị sơ kết", "event_date": "2023-05-15", "chaired_by": []}
    article = _article(event=gold_event)
    predicted = {"event_type": "hội nghị sơ kết", "event_date": dt.date(2023, 5, 16), "chaired_by": []}
    report = evaluate([article], {article["article_id"]: {"events": [predicted]}})
    assert report.events == {"gold": 1, "found": 1, "date_right": 0, "type_right": 1}
    text = markdown(report)
    assert "| a.txt | hội nghị sơ kết on 2023-05-15 | hội nghị sơ kết on 2023-05-16 | wrong date |" in text
    assert "- event wrong date: gold hội nghị sơ kết on 2023-05-15, predicted hội nghị sơ kết on 2023-05-16" in text


# --- the gold folder ---


def _folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    for name in names:
        shutil.copy(GOLD / name, folder / name)
    return folder


def test_a_file_that_is_not_gold_is_refused_by_name(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "samples.jsonl")
    (folder / "export.json").write_text("[]", encoding="utf-8")
    with pytest.raises(GoldError, match=r"export\.json: not gold"):
        load_gold(folder)
    (folder / "export.json").rename(folder / "export.jsonl")
    (folder / "export.jsonl").write_text('[{"data": {"text": "..."}, "annotations": []}]\n', encoding="utf-8")
    with pytest.raises(GoldError, match=r"export\.jsonl, line 1: not gold: not a JSON object .*ls-import"):
        load_gold(folder)


def test_a_gold_line_whose_offsets_or_text_are_off_is_refused_by_file_and_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "samples.jsonl")
    lines = (folder / "samples.jsonl").read_text("utf-8").splitlines()
    second = json.loads(lines[1])
    second["dates"][0]["start"] += 1
    (folder / "samples.jsonl").write_text("\n".join([lines[0], json.dumps(second, ensure_ascii=False)]), "utf-8")
    with pytest.raises(GoldError, match=r"samples\.jsonl, line 2: not gold: dates\[0\]: text\[\d+:\d+\] is"):
        load_gold(folder)
    second = json.loads(lines[1]) | {"text": json.loads(lines[1])["text"] + " "}
    (folder / "samples.jsonl").write_text(json.dumps(second, ensure_ascii=False), "utf-8")
    with pytest.raises(GoldError, match=r"line 1: not gold: `article_id` is not .* the text was changed"):
        load_gold(folder)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"persons": 5}, r"`persons` is not a list"),
        ({"dates": {"start": 0}}, r"`dates` is not a list"),
        ({"persons": [{"name": "Kim Vui", "mentions": [[3]]}]}, r"persons\[0\] Kim Vui: a mention \[3\] is not"),
    ],
)
def test_a_gold_line_of_the_wrong_shape_is_refused_by_file_and_line(
    tmp_path: Path, change: dict[str, object], says: str
) -> None:
    text = "Đồng chí Kim Vui, Bí thư Chi bộ."
    line = {"text": text, "article_id": hashlib.sha256(text.encode()).hexdigest()[:16]} | change
    (tmp_path / "g.jsonl").write_text(json.dumps(line, ensure_ascii=False), "utf-8")
    with pytest.raises(GoldError, match=rf"g\.jsonl, line 1: not gold: {says}"):
        load_gold(tmp_path)


def _cli(*args: object) -> tuple[int, str]:
    """The command line in this process: its exit status and what it wrote on stderr."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as stop:
        app([str(arg) for arg in args])
    return int(stop.value.code or 0), err.getvalue()


@pytest.mark.parametrize("command", ["eval", "audit"])
def test_a_gold_file_that_is_not_utf8_or_not_json_stops_eval_and_audit_naming_the_file_and_line(
    tmp_path: Path, command: str
) -> None:
    folder = _folder(tmp_path, "samples.jsonl")
    first, second = (folder / "samples.jsonl").read_bytes().splitlines()[:2]
    where = ["--reports", tmp_path / "reports"] if command == "eval" else ["--out", tmp_path / "audit"]
    cases = {
        b"\xff\xfe\x00garbage\n": r"b\.jsonl, line 1: not gold: not UTF-8 \(byte 0xff\)",  # UTF-16's mark
        # a Windows-1258 "ệ" on line 3, after a good line and a blank one
        first + b"\r\n\r\n" + second.replace("ệ".encode(), b"\xea\xf2", 1): r"b\.jsonl, line 3: not gold: not UTF-8",
        first + b"\n" + second[: len(second) // 2] + b"\n": r"b\.jsonl, line 2: not gold: not JSON",
    }
    for data, message in cases.items():
        (folder / "b.jsonl").write_bytes(data)
        code, stderr = _cli(command, "--gold", folder, *where)
        assert code == 2 and "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
        assert re.search(message, stderr), stderr
    assert not (tmp_path / "reports").exists() and not (tmp_path / "audit").exists()  # nothing written
    (folder / "b.jsonl").unlink()
    assert _cli(command, "--gold", folder, *where)[0] == 0  # the same folder without it is scored


def test_identity_gold_that_is_not_utf8_stops_the_score_naming_the_file_and_line(tmp_path: Path, capsys) -> None:
    from pipeline.evaluate_identity import main

    folder = tmp_path / "identity"
    folder.mkdir()
    good = '{"source_path": "a.txt", "page": "Bí thư Chi bộ Kim Vui.", "persons": []}\n'
    (folder / "a.jsonl").write_bytes(good.encode() + b"\xff\xfe\x00garbage\n")
    assert main(["--gold", str(folder), "--reports", str(tmp_path / "reports")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"evaluate_identity: {folder / 'a.jsonl'}, line 2: not gold: not UTF-8 (byte 0xff); save the file as UTF-8"
    )
    for line, says in (("[1]", "not a JSON object"), ('{"a": 1}', "no `source_path` or `page` text")):
        (folder / "a.jsonl").write_text(f"{good}{line}\n", encoding="utf-8")
        assert main(["--gold", str(folder), "--reports", str(tmp_path / "reports")]) == 2
        assert f"a.jsonl, line 2: not identity gold: {says}" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


def test_an_article_in_two_gold_files_counts_once_or_stops_the_run(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "samples.jsonl")
    shutil.copy(folder / "samples.jsonl", folder / "copy.jsonl")
    gold = load_gold(folder)
    assert len(gold) == 5 and {line["gold_file"] for line in gold} == {"copy.jsonl"}
    report = run_eval(folder, tmp_path / "reports")
    assert report.tables["persons"].gold == sum(len(line["persons"]) for line in load_gold(GOLD / "samples.jsonl"))
    assert (
        len(report.notes) == 5
        and "is in copy.jsonl, samples.jsonl with the same annotations: counted once" in report.notes[0]
    )
    assert report.notes[0] in (tmp_path / "reports" / "eval.md").read_text("utf-8")
    changed = [json.loads(line) for line in (folder / "copy.jsonl").read_text("utf-8").splitlines()]
    changed[2]["persons"] = changed[2]["persons"][1:]
    (folder / "copy.jsonl").write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in changed), "utf-8")
    with pytest.raises(
        GoldError, match=r"copy\.jsonl and samples\.jsonl both annotate article \w+ \(002_.*differently"
    ):
        load_gold(folder)


# --- eval and audit on data/gold ---


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    run_eval(GOLD, out)
    write_audit(GOLD, out / "audit")
    return out


def _eval_md_counts(text: str) -> dict[str, tuple[int, ...]]:
    """source_path -> the per-article table's counts, and the items listed under the article's heading."""
    table = {
        cells[0]: tuple(int(c) for c in cells[2:6])
        for line in text.split("## Per article")[1].split("## Events")[0].splitlines()
        if (cells := [c.strip() for c in line.strip("|").split("|")]) and len(cells) == 7 and cells[2].isdigit()
    }
    listed = {}
    for section in text.split("\n### ")[1:]:
        source = section.split("\n")[0].split(":")[0]
        levels = [line.split(":")[0] for line in section.splitlines() if line.startswith(("- miss,", "- false hit,"))]
        listed[source] = (
            sum(level.startswith("- miss, strict") for level in levels),
            sum(level.startswith("- false hit, strict") for level in levels),
            sum(level.startswith("- miss,") and "by value" in level for level in levels),
            sum(level.startswith("- false hit,") and "by value" in level for level in levels),
        )
    for source, counts in table.items():
        assert listed.get(source, (0, 0, 0, 0)) == counts, f"eval.md lists for {source} not what it counts"
    return table


def test_eval_md_eval_json_and_the_audit_index_count_the_same_on_every_article(written: Path) -> None:
    report = json.loads((written / "eval.json").read_text("utf-8"))
    keys = ("strict_misses", "strict_false_hits", "value_misses", "value_false_hits")
    from_json = {a["source_path"]: tuple(a[k] for k in keys) for a in report["articles"]}
    from_md = _eval_md_counts((written / "eval.md").read_text("utf-8"))
    index = html.unescape((written / "audit" / "index.html").read_text("utf-8"))
    pattern = r"<a href='[^']+'>([^<]+)\.html</a>[^<]*?: strict: (\d+) missed, (\d+) false; by value: (\d+) missed, (\d+) false"
    from_audit = {stem: tuple(int(n) for n in counts) for stem, *counts in re.findall(pattern, index)}
    assert len(from_json) == len(load_gold(GOLD)) >= 53
    assert from_md == from_json
    assert from_audit == {Path(source).stem: counts for source, counts in from_json.items()}
    assert any(sum(counts) for counts in from_json.values()), "data/gold has misses: the comparison must see some"


def test_eval_md_lists_every_miss_strict_and_by_value(written: Path) -> None:
    report = json.loads((written / "eval.json").read_text("utf-8"))
    text = (written / "eval.md").read_text("utf-8")
    tables = report["tables"]
    assert sum(a["strict_misses"] for a in report["articles"]) == sum(t["gold"] - t["strict"] for t in tables.values())
    assert sum(a["value_misses"] for a in report["articles"]) == sum(
        t["gold"] - t["value_gold_hits"] for t in tables.values()
    )
    for article in report["articles"]:
        for item in article["items"]:
            assert f"{item['table']} {item['offsets']} **{item['value']}**" in text
            if item["start"] is not None:
                assert item["context"].count("[[") == 1


def test_audit_pages_mark_spans_and_list_their_offsets(written: Path) -> None:
    pages = sorted((written / "audit").glob("*.html"))
    assert len(pages) == len(load_gold(GOLD)) + 1  # and the index
    page = (written / "audit" / "000_096a4b566d3b4ba9.html").read_text("utf-8")
    tip = html.escape("persons: Dương Thị Ngọc Thơ | rule name.honorific")
    assert f'<mark class="exact" title="{tip}">Dương Thị Ngọc Thơ<small>PER</small></mark>' in page
    assert "<tr><td>persons</td><td>315</td><td>333</td><td>exact</td><td>right</td><td>Dương Thị Ngọc Thơ</td>" in page


def test_audit_page_names_are_unique_and_never_the_index() -> None:
    # Pages of one export, the same name in two folders, names that differ in case, an article named index.
    sources = ["e.jsonl#1", "e.jsonl#2", "sub/e.txt", "e.txt", "E.txt", "index.txt", "000_096a4b566d3b4ba9.txt"]
    names = page_names([SimpleNamespace(source_path=source) for source in sources])  # type: ignore[misc]
    assert names == ["e-1.html", "e-2.html", "e.html", "e-3.html", "E-4.html", "index-2.html",
                     "000_096a4b566d3b4ba9.html"]  # fmt: skip
