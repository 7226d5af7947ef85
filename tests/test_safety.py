"""What vnextract promises about the user's files, one regression test per way it was seen to break them:
it writes only what it owns, one run at a time per output, and nothing in the input stops a run."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import filelock
import pyarrow.parquet as pq
import pytest

from pipeline import page, runner
from pipeline.bench import capitalised_page
from pipeline.emit import SCHEMAS
from pipeline.runner import Settings, run
from pipeline.store import MANIFEST, OutputError
from tests.conftest import ROOT, SAMPLES

SAMPLE = next(SAMPLES.glob("000_*.txt")).read_text("utf-8")
SHORT = "Bí thư Thị ủy Lê Thành Đông kết luận hội nghị."


def _cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd, timeout=600,
        env={**os.environ, "VNEXTRACT_RAISE": "0", **(env or {})},
    )  # fmt: skip


def _rows(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / table).to_pylist()


def _errors(out: Path) -> dict[str, str]:
    return {row["source_path"]: row["error_type"] for row in _rows(out, "errors")}


def _raw(tmp_path: Path, files: dict[str, str]) -> Path:
    raw = tmp_path / "raw"
    for name, text in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(text, encoding="utf-8")
    return raw


# --- It writes only what it owns ---------------------------------------------------------------------


@pytest.mark.parametrize("where", ["same", "inside", "around"])
def test_an_output_folder_that_overlaps_the_input_is_refused_before_any_work(tmp_path: Path, where: str) -> None:
    raw = _raw(tmp_path, {"a.txt": SAMPLE, "events/meeting.txt": SHORT})
    out = {"same": raw, "inside": raw / "out", "around": tmp_path}[where]
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    done = _cli("extract", str(raw), "--out", str(out), "--no-progress")
    assert done.returncode == 2 and "overlap" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_foreign_file_in_a_table_folder_stops_the_run_and_nothing_is_deleted(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path, {"a.txt": SAMPLE}), tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    mine = out / "articles" / "my_analysis.csv"
    mine.write_text("id,score\n1,2\n", encoding="utf-8")
    (out / "persons" / "notes").mkdir()
    parts = sorted(out.rglob("*.parquet"))
    (raw / "b.txt").write_text(SHORT, encoding="utf-8")
    with pytest.raises(OutputError, match=r"my_analysis\.csv"):
        run(raw, out, Settings(workers=1), progress=False)
    assert mine.read_text(encoding="utf-8") == "id,score\n1,2\n" and (out / "persons" / "notes").is_dir()
    assert sorted(out.rglob("*.parquet")) == parts  # nothing written, nothing removed


def test_files_beside_the_table_folders_are_left_alone(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path, {"a.txt": SAMPLE}), tmp_path / "out"
    out.mkdir()
    kept = {out / "persons.parquet": b"an earlier export", out / "notes.md": b"# mine", out / ".gitkeep": b""}
    for path, data in kept.items():
        path.write_bytes(data)
    run(raw, out, Settings(workers=1), progress=False)
    run(raw, out, Settings(workers=1, force=True), progress=False)
    assert {path: path.read_bytes() for path in kept} == kept


def test_a_second_run_on_the_same_output_stops_naming_the_holder(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path, {"a.txt": SAMPLE}), tmp_path / "out"
    (out / MANIFEST).mkdir(parents=True)
    (out / MANIFEST / ".holder").write_text("pid 4242 on host, since today", encoding="utf-8")
    with filelock.FileLock(out / MANIFEST / ".lock"):
        done = _cli("extract", str(raw), "--out", str(out), "--no-progress")
    assert done.returncode == 2 and "pid 4242" in done.stderr and "Traceback" not in done.stderr
    assert not (out / "articles").exists()


@pytest.mark.slow
def test_two_runs_started_together_never_double_the_rows(tmp_path: Path) -> None:
    raw, out = (
        _raw(tmp_path, {f"{i:02d}.txt": SAMPLE.replace("\n", f"\nBản tin số {i}.\n", 1) for i in range(8)}),
        tmp_path / "out",
    )
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "extract",
        str(raw),
        "--out",
        str(out),
        "--no-progress",
        "--workers",
        "1",
    ]
    first = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    codes = sorted([first.wait(timeout=600), second.wait(timeout=600)])
    assert codes in ([0, 0], [0, 2])  # the second waits its turn or is refused; never both writing
    articles = _rows(out, "articles")
    assert len(articles) == len({row["article_id"] for row in articles}) == 8


# --- Nothing in the input stops a run ------------------------------------------------------------


def test_links_special_files_and_odd_names_become_rows_and_the_run_goes_on(tmp_path: Path) -> None:
    raw = _raw(tmp_path, {"good.txt": SAMPLE})
    (raw / "passwd.txt").symlink_to("/etc/passwd")
    (raw / "outside").symlink_to("/etc")
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    (raw / "dangling.txt").symlink_to(raw / "gone.txt")
    (raw / "inside.txt").symlink_to(raw / "good.txt")
    os.mkfifo(raw / "pipe.txt")
    (raw / os.fsdecode(b"bad\xffname.txt")).write_text(SHORT, encoding="utf-8")
    out = tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    assert _errors(out) == {
        "passwd.txt": "OutsideInput",
        "outside": "OutsideInput",
        "loop.txt": "BrokenLink",
        "dangling.txt": "BrokenLink",
        "pipe.txt": "NotAFile",
        "inside.txt": "DuplicateArticle",  # a link inside RAW is read: the same text as good.txt
    }
    assert {row["source_path"] for row in _rows(out, "articles")} == {"good.txt", "bad\\xffname.txt"}
    assert "root:" not in "".join(row["text"] for row in _rows(out, "articles"))


def test_a_file_that_cannot_be_read_is_an_unreadable_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, out = _raw(tmp_path, {"good.txt": SAMPLE, "locked.txt": SHORT}), tmp_path / "out"
    real = runner._sha256

    def sha256(item: page.Item) -> tuple:  # chmod 000 does not stop root, so the refusal is simulated
        if item.path.endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real(item)

    monkeypatch.setattr(runner, "_sha256", sha256)
    run(raw, out, Settings(workers=1), progress=False)
    assert _errors(out) == {"locked.txt": "Unreadable"}
    again = run(raw, out, Settings(workers=1), progress=False)  # an unreadable input is tried again each run
    assert (again.unchanged, _errors(out)) == (1, {"locked.txt": "Unreadable"})


def test_an_unexpected_exception_is_an_internal_error_row_with_where_it_happened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = _raw(tmp_path, {"good.txt": SAMPLE, "bad.txt": SHORT}), tmp_path / "out"
    real = page.extract.find_ratios

    def find_ratios(text: str, taken: list) -> list:
        if "Lê Thành Đông" in text:
            raise ZeroDivisionError("a bug")
        return real(text, taken)

    monkeypatch.setattr(page.extract, "find_ratios", find_ratios)
    run(raw, out, Settings(workers=1, raise_errors=False), progress=False)
    [error] = _rows(out, "errors")
    assert (error["source_path"], error["stage"], error["error_type"]) == ("bad.txt", "analyse", "InternalError")
    assert "ZeroDivisionError: a bug" in error["message"] and "test_safety.py:" in error["message"]
    assert [row["source_path"] for row in _rows(out, "articles")] == ["good.txt"]
    with pytest.raises(ZeroDivisionError):
        run(raw, tmp_path / "out2", Settings(workers=1, raise_errors=True), progress=False)


def test_a_misspelt_key_in_the_rules_stops_the_run_at_once_naming_file_and_key(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "pipeline" / "patterns", rules, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    titles = rules / "titles.yaml"
    titles.write_text(titles.read_text(encoding="utf-8").replace("synonyms:", "synonym:"), encoding="utf-8")
    raw = _raw(tmp_path, {"a.txt": SAMPLE})
    done = _cli("extract", str(raw), "--out", str(tmp_path / "out"), env={"VNEXTRACT_PATTERNS": str(rules)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert (
        "titles.yaml: synonyms: Field required" in done.stderr and "titles.yaml: synonym: Extra inputs" in done.stderr
    )
    assert not (tmp_path / "out" / "articles").exists()


# --- Incremental runs equal a fresh run ---------------------------------------------------------------


def _snapshot(out: Path) -> dict[str, list[str]]:
    return {table: sorted(repr(sorted(row.items())) for row in _rows(out, table)) for table in SCHEMAS}


def test_a_duplicate_whose_original_changed_is_done_again(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path, {"a.txt": SAMPLE, "b.txt": SAMPLE}), tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    assert _errors(out) == {"b.txt": "DuplicateArticle"}
    (raw / "a.txt").write_text(SHORT, encoding="utf-8")
    run(raw, out, Settings(workers=1), progress=False)
    assert sorted(row["source_path"] for row in _rows(out, "articles")) == ["a.txt", "b.txt"]
    (raw / "0.txt").write_text(SAMPLE, encoding="utf-8")  # an earlier name with b's text: 0 is the original now
    run(raw, out, Settings(workers=1), progress=False)
    fresh = tmp_path / "fresh"
    run(raw, fresh, Settings(workers=1), progress=False)
    assert _snapshot(out) == _snapshot(fresh)
    assert _errors(out) == {"b.txt": "DuplicateArticle"}


@pytest.mark.slow
def test_any_sequence_of_edits_and_runs_gives_the_tables_of_a_fresh_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    texts = [SHORT, "Phó Bí thư Tỉnh ủy Nguyễn Văn An dự hội nghị ngày 15/5/2023.", "Đạt 8/8 chỉ tiêu."]
    names = ["a.txt", "b.txt", "c/d.txt", "e.txt"]
    step = st.tuples(st.sampled_from(["write", "delete", "run"]), st.sampled_from(names), st.sampled_from(texts))

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(step, min_size=1, max_size=8))
    def check(steps: list[tuple[str, str, str]]) -> None:
        base = tmp_path_factory.mktemp("seq")
        raw, out = base / "raw", base / "out"
        raw.mkdir()
        for action, name, text in [*steps, ("run", "", "")]:
            path = raw / name
            if action == "write":
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            elif action == "delete":
                path.unlink(missing_ok=True)
            else:
                run(raw, out, Settings(workers=1, batch_size=2), progress=False)
        fresh = base / "fresh"
        run(raw, fresh, Settings(workers=1, batch_size=2), progress=False)
        assert _snapshot(out) == _snapshot(fresh)

    check()


# --- The command line ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["ls-import", "/nonexistent.json"], "does not exist"),
        (["ls-export", "/nonexistent"], "does not exist"),
        (["notebooks", "--tables", "/nonexistent"], "does not exist"),
        (["eval", "--gold", "/nonexistent"], "does not exist"),
        (["eval", "--gold", "README.md"], "not gold"),
        (["eval", "--gold", "data/processed/.gitkeep"], "is empty"),
        (["ls-export", "data/raw", "--out", "data", "--force"], "is a folder"),
        (["extract", "/nonexistent"], "does not exist"),
        (["extract", "data/raw", "--workers", "0"], "1 or more"),
        (["extract", "data/raw", "--max-bytes", "-1"], "1 or more"),
        (["extract", "data/raw", "--seconds-per-document", "nan"], "over 0"),
        # Limits the system's timer or the readers' buffers cannot take: refused, not an InternalError an input.
        (["extract", "data/raw", "--seconds-per-document", "inf"], "at most 86,400"),
        (["extract", "data/raw", "--seconds-per-document", "1e300"], "at most 86,400"),
        (["extract", "data/raw", "--max-bytes", "9223372036854775807"], "at most 1,099,511,627,776"),
        (["ls-export", "data/raw"], "not an output folder"),
        (["notebooks", "--tables", "README.md"], "not an output folder"),
        (["eval", "--gold", "data/raw"], "holds no gold file"),
        (["extract", "data/raw", "--engine", "spark"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_wrong_usage_is_one_line_and_exit_status_2(args: list[str], says: str) -> None:
    done = _cli(*args)
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr


def test_an_output_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("mine", encoding="utf-8")
    done = _cli("extract", str(SAMPLES), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode == 2 and "is a file" in done.stderr and (tmp_path / "out").read_text() == "mine"


def test_an_empty_input_folder_is_said_and_the_version_is_known(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    done = _cli("extract", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode == 0 and done.stdout.startswith("no input files found")
    assert _cli("--version").stdout.strip().startswith("vnextract ")


# --- Bounded resources and packaging ------------------------------------------------------------------


@pytest.mark.slow
def test_the_time_limit_holds_on_dask_workers_which_run_documents_in_threads(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    raw, out = _raw(tmp_path, {"good.txt": SHORT, "hostile.txt": capitalised_page(1_000_000)}), tmp_path / "out"
    run(raw, out, Settings(workers=1, engine="dask", seconds_per_document=0.5), progress=False)
    assert _errors(out) == {"hostile.txt": "Timeout"}
    assert [row["source_path"] for row in _rows(out, "articles")] == ["good.txt"]


@pytest.mark.slow
def test_a_wheel_built_from_the_repository_runs_on_its_own(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "pipeline", source / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("vnextract-*.whl")
    # A fresh environment that has the wheel and, for its dependencies only, this one's site-packages.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "env")], check=True)
    [site] = (tmp_path / "env" / "lib").glob("python*/site-packages")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)], check=True
    )
    dependencies = next(p for p in sys.path if p.endswith("site-packages") and Path(p, "pyarrow").exists())
    (site / "dependencies.pth").write_text(dependencies + "\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(SAMPLES, elsewhere / "pages")
    python = str(tmp_path / "env" / "bin" / "python")
    done = subprocess.run(
        [python, "-c", "import pipeline; print(pipeline.__file__)"], capture_output=True, text=True, cwd=elsewhere
    )
    assert done.stdout.startswith(str(site)), done.stdout + done.stderr
    done = subprocess.run(
        [python, "-m", "pipeline", "extract", "pages", "--out", "tables", "--no-progress", "--workers", "1"],
        capture_output=True, text=True, cwd=elsewhere, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.startswith("5 articles in tables: 5 new"), done.stderr


def test_good_text_with_a_few_bad_bytes_is_kept_and_its_repairs_recorded(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    data = SAMPLE.encode("utf-8")
    (raw / "nuls.txt").write_bytes(data[:300] + b"\x00\x00\x00" + data[300:])
    (raw / "cut.txt").write_bytes(SHORT.encode("utf-8") + " Thường".encode()[:6])
    run(raw, out, Settings(workers=1), progress=False)
    repairs = {row["source_path"]: row["repairs"] for row in _rows(out, "articles")}
    assert repairs == {
        "nuls.txt": ["dropped 3 NUL bytes"],
        "cut.txt": ["replaced 1 multi-byte character cut off at the end with U+FFFD"],
    }


def _dies_on_kill_txt(items: list, settings: Settings) -> list:
    """A worker's batch function that dies on kill.txt, as a worker killed for its memory would."""
    if any(str(item[1]) == "kill.txt" for item in items):
        os.kill(os.getpid(), signal.SIGKILL)
    return page.process_batch(items, settings)


def test_a_killed_worker_never_hangs_the_run_and_its_inputs_are_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import engines

    raw = _raw(tmp_path, {f"{i:02d}.txt": SAMPLE.replace("\n", f"\nBản tin số {i}.\n", 1) for i in range(6)})
    (raw / "kill.txt").write_text(SHORT, encoding="utf-8")
    monkeypatch.setattr(engines, "process_batch", _dies_on_kill_txt)
    out = tmp_path / "out"
    # kill.txt shares a batch with 05.txt, and other batches are in flight when it kills its worker: only
    # kill.txt, the input that kills a worker even alone, becomes a WorkerDied row.
    summary = run(raw, out, Settings(workers=2, batch_size=2), progress=False)
    assert _errors(out) == {"kill.txt": "WorkerDied"} and summary.articles == 6
    monkeypatch.setattr(engines, "process_batch", page.process_batch)
    again = run(raw, out, Settings(workers=2, batch_size=2), progress=False)
    assert (again.articles, again.unchanged, _errors(out)) == (1, 6, {})


def test_an_error_that_depends_on_the_run_is_not_kept_by_the_next(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path, {"a.txt": SAMPLE}), tmp_path / "out"
    run(raw, out, Settings(workers=1, seconds_per_document=0.000001), progress=False)
    assert _errors(out) == {"a.txt": "Timeout"}
    run(raw, out, Settings(workers=1), progress=False)
    assert (_errors(out), [row["source_path"] for row in _rows(out, "articles")]) == ({}, ["a.txt"])


def test_a_linked_table_folder_and_foreign_files_among_the_manifests_stop_the_run(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path, {"a.txt": SAMPLE, "empty/.keep": ""}), tmp_path / "out"
    out.mkdir()
    (out / "articles").symlink_to(raw / "empty")  # would write among the inputs, then read its own part
    with pytest.raises(OutputError, match="articles"):
        run(raw, out, Settings(workers=1), progress=False)
    assert sorted(p.name for p in (raw / "empty").iterdir()) == [".keep"]
    (out / "articles").unlink()
    run(raw, out, Settings(workers=1), progress=False)
    for name, data in {".backup.tmp": "precious", "mine.pending": "", "x.json": "{}"}.items():
        (out / MANIFEST / name).write_text(data, encoding="utf-8")
        with pytest.raises(OutputError, match=re.escape(name)):
            run(raw, out, Settings(workers=1), progress=False)
        assert (out / MANIFEST / name).read_text(encoding="utf-8") == data
        (out / MANIFEST / name).unlink()


def test_raw_named_as_a_fifo_or_a_device_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    for raw in (tmp_path / "pipe", Path("/dev/zero")):
        out = tmp_path / f"out-{raw.name}"
        run(raw, out, Settings(workers=1), progress=False)
        assert _errors(out) == {raw.name: "NotAFile"}


def test_two_names_that_read_the_same_are_both_accounted_for(tmp_path: Path) -> None:
    raw = _raw(tmp_path, {"bad\\xffname.txt": SHORT})  # a real backslash in the name
    (raw / os.fsdecode(b"bad\xffname.txt")).write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    assert len(_rows(out, "articles")) == 1
    assert _errors(out) == {"bad\\xffname.txt (name clash 2)": "NameClash"}


def test_a_file_named_like_a_page_of_an_export_beside_it_is_a_name_clash(tmp_path: Path) -> None:
    export = "\n".join(json.dumps({"text": text}, ensure_ascii=False) for text in (SAMPLE, SHORT)) + "\n"
    raw = _raw(tmp_path, {"m.jsonl": export, "m.jsonl#1": SHORT, "m.jsonl#x": SHORT, "n.txt#1": SHORT})
    out = tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    assert sorted(row["source_path"] for row in _rows(out, "articles")) == ["m.jsonl#1", "m.jsonl#2"]
    # Only the name of a page of m.jsonl clashes; the other two files are merely of no known format.
    assert _errors(out) == {
        "m.jsonl#1 (name clash)": "NameClash",
        "m.jsonl#x": "UnsupportedFormat",
        "n.txt#1": "UnsupportedFormat",
    }


def test_label_studio_files_are_never_overwritten_unasked(tmp_path: Path) -> None:
    (tmp_path / "gold.jsonl").write_text("mine\n", encoding="utf-8")
    (tmp_path / "export.json").write_text('[{"id": 1}]', encoding="utf-8")
    done = _cli("ls-import", str(tmp_path / "export.json"), "--out", str(tmp_path / "gold.jsonl"))
    assert done.returncode == 2 and "exists" in done.stderr and (tmp_path / "gold.jsonl").read_text() == "mine\n"
    done = _cli("ls-import", str(tmp_path / "export.json"), "--out", str(tmp_path / "new.jsonl"))
    assert done.returncode == 2 and "no annotated task" in done.stderr and not (tmp_path / "new.jsonl").exists()
    (tmp_path / "export.json").write_text("[1]", encoding="utf-8")
    done = _cli("ls-import", str(tmp_path / "export.json"), "--out", str(tmp_path / "new.jsonl"))
    assert done.returncode == 2 and "not a Label Studio JSON export" in done.stderr and "Traceback" not in done.stderr


def test_the_tables_are_readable_by_whom_the_umask_allows(tmp_path: Path) -> None:
    from pipeline import emit

    raw, out = _raw(tmp_path, {"a.txt": SAMPLE}), tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    modes = {path.stat().st_mode & 0o777 for path in out.glob("*/*.parquet")}
    assert modes == {0o666 & ~emit._UMASK}  # 0o644 under the usual umask 022, not mkstemp's 0o600


def test_taking_an_input_out_of_a_file_keeps_the_rows_of_a_file_named_like_its_page(tmp_path: Path) -> None:
    raw = _raw(tmp_path, {"x": "a", "x#2": "b"})  # no reader for either: two UnsupportedFormat rows
    out = tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    (raw / "x").write_text("c", encoding="utf-8")
    run(raw, out, Settings(workers=1), progress=False)
    assert sorted(_errors(out)) == ["x", "x#2"]
    (raw / "x").unlink()
    run(raw, out, Settings(workers=1), progress=False)
    assert sorted(_errors(out)) == ["x#2"]


def test_a_users_file_named_like_a_temporary_one_stops_the_run_and_stays(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path, {"a.txt": SAMPLE}), tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    mine = out / "people" / ".derived.mynotes.tmp"
    mine.write_text("notes", encoding="utf-8")
    with pytest.raises(OutputError, match="mynotes"):
        run(raw, out, Settings(workers=1), progress=False)
    assert mine.read_text(encoding="utf-8") == "notes"


def test_a_part_deleted_by_hand_is_made_again(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path, {"a.txt": SAMPLE, "b.txt": SHORT}), tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    before = _snapshot(out)
    [part] = (out / "ratios").glob("part-*.parquet")
    part.unlink()
    summary = run(raw, out, Settings(workers=1), progress=False)
    assert summary.articles == 2 and _snapshot(out) == before
