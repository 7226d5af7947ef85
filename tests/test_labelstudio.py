"""Label Studio: what ls-export offers a researcher, what ls-import makes of an edited export, and the
README's round trip (extract -> ls-export -> edit -> ls-import into a gold folder -> eval)."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from pipeline.cli import app
from pipeline.evaluate import gold_problems, load_gold
from pipeline.labelstudio import ImportProblem, export_tasks, import_export, labeling_config, write_jsonl, write_new
from pipeline.runner import Settings, run
from pipeline.tables import SCORED
from tests.conftest import ROOT, SAMPLES

GOLD = ROOT / "data" / "gold"


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    run(SAMPLES, out, Settings(workers=1), progress=False)
    return out


@pytest.fixture(scope="module")
def tasks(processed: Path) -> list[dict]:
    return export_tasks(processed)


def _task(tasks: list[dict], prefix: str) -> dict:
    return copy.deepcopy(next(task for task in tasks if task["data"]["source_path"].startswith(prefix)))


def _regions(result: list[dict], label: str) -> list[dict]:
    return [r for r in result if r["type"] == "labels" and r["value"]["labels"] == [label]]


def _accepted(task: dict) -> dict:
    """The task as Label Studio exports it after the researcher accepted the pre-annotations."""
    return {
        **task,
        "annotations": [{"result": copy.deepcopy(task["predictions"][0]["result"]), "was_cancelled": False}],
    }


def test_export_offers_every_mention_the_titles_with_their_holders_the_bodies_and_the_event(tasks) -> None:
    task = _task(tasks, "000_")
    result, text = task["predictions"][0]["result"], task["data"]["text"]
    thach = [r for r in _regions(result, "PER") if json.loads(r["meta"]["text"][0])["name"] == "Phạm Viết Thạch"]
    # The persons table keeps the first mention; the gold, and so the export, has all four.
    assert [(r["value"]["start"], r["value"]["end"]) for r in thach] == [(444, 459), (3779, 3794), (3941, 3956), (4217, 4232)]  # fmt: skip
    by_id = {r["id"]: r for r in result if r["type"] == "labels"}
    holds = sorted(
        (by_id[r["from_id"]]["value"]["text"], by_id[r["to_id"]]["value"]["text"])
        for r in result
        if r["type"] == "relation" and by_id[r["from_id"]]["value"]["start"] == 315
    )
    assert holds == [
        ("Dương Thị Ngọc Thơ", "Phó Bí thư Đảng đoàn HĐND"),
        ("Dương Thị Ngọc Thơ", "Phó Chủ tịch HĐND tỉnh"),
        ("Dương Thị Ngọc Thơ", "Ủy viên Thường vụ"),
    ]
    hdnd = next(r for r in _regions(result, "ORG") if r["value"]["start"] == 394)
    assert (hdnd["value"]["text"], json.loads(hdnd["meta"]["text"][0])) == (
        "HĐND tỉnh",
        {"name_expanded": "Hội đồng nhân dân tỉnh", "kind": "state", "level": "province", "place": None},
    )
    event = next(r for r in result if r["type"] == "textarea")
    assert json.loads(event["value"]["text"][0]) == {"event_type": "hội nghị sơ kết", "event_date": "2023-05-15", "chaired_by": []}  # fmt: skip
    for region in by_id.values():
        assert text[region["value"]["start"] : region["value"]["end"]] == region["value"]["text"]
    assert '<Label value="ORG"/>' in labeling_config() and '<TextArea name="event"' in labeling_config()


def test_accepted_pre_annotations_import_as_the_gold_of_the_samples(tasks) -> None:
    """Where the pipeline is right on the samples, the import gives back their gold line for line."""
    lines = {line["article_id"]: line for line in import_export([_accepted(task) for task in tasks])}
    gold = {line["article_id"]: line for line in load_gold(GOLD / "samples.jsonl")}
    assert sorted(lines) == sorted(gold)
    for article_id, line in lines.items():
        assert gold_problems(line) == []
        assert line["persons"] == gold[article_id]["persons"]  # every mention, not the first only
        assert line["event"] == gold[article_id]["event"]
        for table in ("roles", "dates", "documents", "ratios"):  # spans and the values scored

            def scored(rows: list[dict], table: str = table) -> list[tuple]:
                return sorted((row["start"], row["end"], repr(SCORED[table].value(row))) for row in rows)

            assert scored(line[table]) == scored(gold[article_id][table]), table
        assert line["organizations"], "ORG regions become the gold's organizations"


def test_an_edited_export_becomes_the_gold_the_researcher_made(tasks, tmp_path: Path) -> None:
    task = _accepted(_task(tasks, "000_"))
    result = task["annotations"][0]["result"]
    text = task["data"]["text"]
    by_span = {(r["value"]["start"], r["value"]["end"]): r for r in result if r["type"] == "labels"}
    # 1. A date that is not one is deleted; another's value is corrected in its meta.
    result.remove(by_span[(1068, 1077)])
    by_span[(119, 128)]["meta"]["text"] = ['{"value": "2023-05-16", "value_end": "2023-05-16", "granularity": "day"}']
    # 2. A mention of Phạm Viết Thạch is deleted, and with it (as Label Studio does) its relations.
    deleted = by_span[(3941, 3956)]
    result[:] = [r for r in result if r is not deleted and deleted["id"] not in (r.get("from_id"), r.get("to_id"))]
    # 3. The title repeated at Kim Vui's second mention is added by hand and linked to it.
    start = text.index("Bí thư Chi bộ", 1598)
    result.append({"id": "hand-title", "type": "labels", "meta": {"text": ['{"title": "Bí thư", "organization": "Chi bộ"}']},
                   "value": {"start": start, "end": start + 13, "text": "Bí thư Chi bộ", "labels": ["TITLE"]}})  # fmt: skip
    result.append({"type": "relation", "from_id": by_span[(1598, 1605)]["id"], "to_id": "hand-title"})
    # 4. "Chi ủy viên" is moved from Nguyễn Thị Hồng Lý to Kim Vui by changing its relation.
    title_id = by_span[(3131, 3142)]["id"]
    result[:] = [r for r in result if not (r["type"] == "relation" and r["to_id"] == title_id)]
    result.append({"type": "relation", "from_id": by_span[(703, 710)]["id"], "to_id": title_id})
    # 5. A false body is deleted and a body is added by hand, with no values.
    result.remove(by_span[(4415, 4418)])
    result.append({"id": "hand-org", "type": "labels", "value": {"start": 7, "end": 39, "labels": ["ORG"]}})
    # 6. A ratio is redrawn by hand: its figures are read off its text.
    result.remove(by_span[(2390, 2402)])
    result.append({"id": "hand-ratio", "type": "labels", "value": {"start": 2390, "end": 2402, "labels": ["RATIO"]}})
    # 7. The event gets the person who chaired it.
    event = next(r for r in result if r["type"] == "textarea")
    event["value"]["text"] = [
        '{"event_type": "hội nghị sơ kết", "event_date": "2023-05-15", "chaired_by": ["Kim Vui"]}'
    ]

    [line] = import_export([task])
    assert gold_problems(line) == []
    dates = {(d["start"], d["end"]): d for d in line["dates"]}
    assert (1068, 1077) not in dates and dates[(119, 128)]["value"] == "2023-05-16"
    persons = {p["name"]: p["mentions"] for p in line["persons"]}
    assert persons["Phạm Viết Thạch"] == [[444, 459], [3779, 3794], [4217, 4232]]
    roles = {(r["start"], r["end"]): r for r in line["roles"]}
    assert roles[(start, start + 13)] == {"person_name": "Kim Vui", "title": "Bí thư", "organization": "Chi bộ",
                                         "raw": "Bí thư Chi bộ", "start": 1607, "end": 1620}  # fmt: skip
    assert roles[(3131, 3142)]["person_name"] == "Kim Vui"
    assert roles[(3977, 4038)]["person_name"] == "Phạm Viết Thạch"  # unlinked: the holder it was exported with
    organizations = {(o["start"], o["end"]): o for o in line["organizations"]}
    assert (4415, 4418) not in organizations
    assert organizations[(7, 39)] == {"name": "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "name_expanded": None, "kind": None,
                                      "level": None, "place": None, "start": 7, "end": 39}  # fmt: skip
    assert next(r for r in line["ratios"] if r["start"] == 2390) == {
        "achieved": 8, "total": 8, "unit": "chỉ tiêu", "text": "8/8 chỉ tiêu", "start": 2390, "end": 2402}  # fmt: skip
    assert line["event"]["chaired_by"] == ["Kim Vui"]
    # What was written is read back as gold.
    write_jsonl(tmp_path / "edited.jsonl", [line])
    assert load_gold(tmp_path / "edited.jsonl")[0]["roles"] == line["roles"]


def test_an_export_that_cannot_be_gold_is_refused_with_every_region_to_fix(tasks) -> None:
    task = _accepted(_task(tasks, "001_"))
    result = task["annotations"][0]["result"]
    source = task["data"]["source_path"]
    result.append({"id": "t", "type": "labels", "value": {"start": 0, "end": 6, "labels": ["TITLE"]}})
    result.append({"id": "d", "type": "labels", "value": {"start": 10, "end": 20, "labels": ["DATE"]}})
    result.append({"id": "m", "type": "labels", "meta": {"text": ["{not json"]}, "value": {"start": 30, "end": 35, "labels": ["DOC"]}})  # fmt: skip
    next(r for r in result if r["type"] == "textarea")["value"]["text"] = ["hội nghị hôm qua"]
    with pytest.raises(ImportProblem) as refused:
        import_export([task])
    message = refused.value.message
    assert f"{source} [0:6] TITLE" in message and "whose title?" in message
    assert f"{source} [10:20] DATE" in message and "granularity" in message
    assert f"{source} [30:35] DOC" in message and "meta is not a JSON object" in message
    assert "the event is not JSON" in message
    assert "nothing was written" in message


def test_a_cancelled_annotation_and_a_task_nobody_annotated_give_no_gold(tasks) -> None:
    cancelled = {**_task(tasks, "000_"), "annotations": [{"result": [], "was_cancelled": True}]}
    assert import_export([cancelled, _task(tasks, "001_")]) == []


class _Done(NamedTuple):
    exit_code: int
    output: str


def _cli(*args: object) -> _Done:
    """The command line in this process, as a user calls it: its exit status and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            app([str(arg) for arg in args])
        except SystemExit as stop:
            return _Done(int(stop.code or 0), out.getvalue() + err.getvalue())
    return _Done(0, out.getvalue() + err.getvalue())


def test_the_readme_round_trip_gives_a_gold_folder_that_eval_scores(processed: Path, tmp_path: Path) -> None:
    """README: ls-export -> correct in Label Studio -> ls-import into the gold folder -> make eval."""
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold, ignore=shutil.ignore_patterns("samples.jsonl"))  # the pages are new to this gold
    tasks_file = tmp_path / "labelstudio" / "tasks.json"
    assert _cli("ls-export", processed, "--out", tasks_file).exit_code == 0
    assert (tasks_file.parent / "labeling_config.xml").exists()
    exported = [_accepted(task) for task in json.loads(tasks_file.read_text("utf-8"))]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    imported = _cli("ls-import", export, "--out", gold / "new.jsonl")
    assert imported.exit_code == 0, imported.output
    scored = _cli("eval", "--gold", gold, "--reports", tmp_path / "reports")
    assert scored.exit_code == 0, scored.output
    report = json.loads((tmp_path / "reports" / "eval.json").read_text("utf-8"))
    assert len(report["articles"]) == len(load_gold(GOLD))
    new = [a for a in report["articles"] if a["gold_file"] == "new.jsonl"]
    assert len(new) == 5 and all(a["strict_misses"] == a["strict_false_hits"] == 0 for a in new)
    # The same import next to the samples' own gold: the run stops and names both files.
    shutil.copy(GOLD / "samples.jsonl", gold / "samples.jsonl")
    clash = _cli("eval", "--gold", gold, "--reports", tmp_path / "reports")
    assert clash.exit_code == 2 and "Traceback" not in clash.output
    assert "new.jsonl and samples.jsonl" in " ".join(clash.output.split())


# --- ls-export writes only its own two files, never through a link, never over a file unasked ---


def test_ls_export_refuses_an_out_named_as_its_own_labeling_config(processed: Path, tmp_path: Path) -> None:
    done = _cli("ls-export", processed, "--out", tmp_path / "ls" / "labeling_config.xml", "--force")
    assert done.exit_code == 2 and "labeling interface" in done.output and "Traceback" not in done.output
    assert not (tmp_path / "ls").exists()


@pytest.mark.parametrize("linked", ["tasks.json", "labeling_config.xml"])
def test_ls_export_never_writes_through_a_link_even_with_force(processed: Path, tmp_path: Path, linked: str) -> None:
    folder, elsewhere = tmp_path / "ls", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (folder / linked).symlink_to(elsewhere / "new.txt")  # a link to nowhere: exists() is False
    for force in ([], ["--force"]):
        done = _cli("ls-export", processed, "--out", folder / "tasks.json", *force)
        assert done.exit_code == 2 and f"{folder / linked} is a link" in done.output
    assert list(elsewhere.iterdir()) == [] and [p.name for p in folder.iterdir()] == [linked]


def test_ls_export_replaces_a_users_file_only_with_force_and_keeps_its_own_config(
    processed: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ls"
    assert _cli("ls-export", processed, "--out", folder / "first.json").exit_code == 0
    # The config the first export wrote is the same: a second tasks file beside it needs no --force.
    assert _cli("ls-export", processed, "--out", folder / "second.json").exit_code == 0
    assert (folder / "first.json").read_bytes() == (folder / "second.json").read_bytes()
    (folder / "labeling_config.xml").write_text("<View>mine</View>", encoding="utf-8")
    done = _cli("ls-export", processed, "--out", folder / "third.json")
    assert done.exit_code == 2 and "labeling_config.xml exists" in done.output and not (folder / "third.json").exists()
    assert (folder / "labeling_config.xml").read_text(encoding="utf-8") == "<View>mine</View>"
    assert _cli("ls-export", processed, "--out", folder / "first.json", "--force").exit_code == 0
    assert (folder / "labeling_config.xml").read_text(encoding="utf-8") == labeling_config()
    assert sorted(p.name for p in folder.iterdir()) == ["first.json", "labeling_config.xml", "second.json"]


def test_write_new_never_writes_over_a_file_or_through_a_link(tmp_path: Path) -> None:
    mine, target = tmp_path / "mine.txt", tmp_path / "target.txt"
    mine.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):  # a file made after the command looked: kept
        write_new(mine, "tasks")
    assert mine.read_text(encoding="utf-8") == "mine"
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    with pytest.raises(FileExistsError):
        write_new(link, "tasks")
    assert not target.exists()
    write_new(link, "tasks", replace=True)  # the link itself is replaced, not written through
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "tasks" and not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "mine.txt"]  # no temporary left
