"""Incremental, crash-safe and parallel runs: the tables always hold each current input exactly once."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import across
from pipeline.emit import SCHEMAS
from pipeline.runner import Settings, run
from pipeline.store import MANIFEST
from tests.conftest import ROOT, SAMPLES


def _tables(out: Path) -> dict[str, list[dict]]:
    return {table: pq.read_table(out / table).to_pylist() for table in SCHEMAS}


def _corpus(folder: Path, copies: int) -> list[str]:
    """COPIES distinct articles made from the samples (a numbered line keeps each text its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    samples = sorted(SAMPLES.glob("*.txt"))
    names = []
    for index in range(copies):
        sample = samples[index % len(samples)]
        name = f"{index:04d}_{sample.name}"
        text = sample.read_text("utf-8").replace("\n", f"\nBản tin số {index}.\n", 1)
        (folder / name).write_text(text, encoding="utf-8")
        names.append(name)
    return names


def _sorted_rows(tables: dict[str, list[dict]]) -> dict[str, list[str]]:
    return {table: sorted(repr(sorted(row.items())) for row in rows) for table, rows in tables.items()}


def test_a_second_run_keeps_unchanged_inputs_and_redoes_changed_ones(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    names = _corpus(raw, 12)
    settings = Settings(workers=1, batch_size=4)
    first = run(raw, out, settings, progress=False)
    before = _tables(out)
    assert first.articles == 12 and first.unchanged == 0

    again = run(raw, out, settings, progress=False)
    assert (again.articles, again.unchanged) == (0, 12)
    assert _sorted_rows(_tables(out)) == _sorted_rows(before)

    (raw / names[0]).write_text("Bí thư Thị ủy Lê Thành Đông kết luận hội nghị.", encoding="utf-8")
    (raw / names[5]).unlink()
    changed = run(raw, out, settings, progress=False)
    # Only the changed input is done again; the removed one's rows are taken out of their file.
    assert (changed.articles, changed.unchanged) == (1, 10)
    tables = _tables(out)
    paths = sorted(row["source_path"] for row in tables["articles"])
    assert paths == sorted(name for name in names if name != names[5])
    assert len({row["article_id"] for row in tables["articles"]}) == 11
    assert "Lê Thành Đông" in {row["name"] for row in tables["persons"]}

    forced = run(raw, out, Settings(workers=1, batch_size=4, force=True), progress=False)
    assert (forced.articles, forced.unchanged) == (11, 0)
    fresh = tmp_path / "fresh"
    run(raw, fresh, settings, progress=False)
    assert _sorted_rows(_tables(out)) == _sorted_rows(_tables(fresh))


@pytest.mark.slow
def test_many_batches_are_compacted_into_a_few_files_a_table_and_stay_exact(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    names = _corpus(raw, 60)
    # 30 batches of 2 inputs, merged at the end into files of up to 16 inputs (8 batches' worth): 4 a table
    run(raw, out, Settings(workers=1, batch_size=2), progress=False)
    assert {table: len(list((out / table).glob("*.parquet"))) for table in SCHEMAS} == dict.fromkeys(SCHEMAS, 4)
    before = _sorted_rows(_tables(out))
    (raw / names[7]).write_text("Bí thư Thị ủy Lê Thành Đông kết luận hội nghị.", encoding="utf-8")
    (raw / names[31]).unlink()
    changed = run(raw, out, Settings(workers=1, batch_size=2), progress=False)
    assert (changed.articles, changed.unchanged) == (1, 58)
    fresh = tmp_path / "fresh"
    run(raw, fresh, Settings(workers=1, batch_size=2), progress=False)
    assert _sorted_rows(_tables(out)) == _sorted_rows(_tables(fresh)) != before


def _derived(out: Path) -> dict[str, tuple[int, int]]:
    """Each table across articles' file, by its inode and modification time: what rewriting it changes."""
    return {
        table: ((out / table / "derived.parquet").stat().st_ino, (out / table / "derived.parquet").stat().st_mtime_ns)
        for table in across.TABLES
    }


def test_the_tables_across_articles_are_made_again_only_when_the_batches_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out, fresh = tmp_path / "raw", tmp_path / "out", tmp_path / "fresh"
    names = _corpus(raw, 6)
    settings = Settings(workers=1, batch_size=3)
    run(raw, out, settings, progress=False)
    made = _derived(out)
    again = run(raw, out, settings, progress=False)
    assert again.unchanged == 6 and _derived(out) == made  # nothing changed: neither file is written

    # A run killed after committing its batch, before the tables across articles: the next run, with nothing
    # left to commit, still makes them again from the batches now committed.
    (raw / names[0]).write_text("Bí thư Thị ủy Đặng Văn Khiêm kết luận hội nghị.", encoding="utf-8")

    def killed(tables: Path) -> dict:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(across, "build", killed)
        with pytest.raises(KeyboardInterrupt):
            run(raw, out, settings, progress=False)
    assert _derived(out) == made and "Đặng Văn Khiêm" not in {row["name"] for row in _people(out)}
    resumed = run(raw, out, settings, progress=False)
    assert (resumed.articles, resumed.unchanged) == (0, 6) and _derived(out) != made
    assert "Đặng Văn Khiêm" in {row["name"] for row in _people(out)}
    run(raw, fresh, settings, progress=False)
    for table in across.TABLES:
        assert pq.read_table(out / table).to_pylist() == pq.read_table(fresh / table).to_pylist()

    # A changed input makes them again too; a removed one as well.
    made = _derived(out)
    (raw / names[1]).write_text("Phó Bí thư Huyện ủy Trần Văn Hậu dự hội nghị.", encoding="utf-8")
    run(raw, out, settings, progress=False)
    assert _derived(out) != made and "Trần Văn Hậu" in {row["name"] for row in _people(out)}
    made = _derived(out)
    (raw / names[1]).unlink()
    run(raw, out, settings, progress=False)
    assert _derived(out) != made and "Trần Văn Hậu" not in {row["name"] for row in _people(out)}


def _people(out: Path) -> list[dict]:
    return pq.read_table(out / "people").to_pylist()


def test_a_dozen_batches_or_fewer_are_left_as_they_are(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, 6)
    run(raw, out, Settings(workers=1, batch_size=2), progress=False)  # 3 batches: 3 files a table, not 1
    assert {table: len(list((out / table).glob("*.parquet"))) for table in SCHEMAS} == dict.fromkeys(SCHEMAS, 3)
    assert len(list((out / MANIFEST).glob("*.json"))) == 3
    assert len(_tables(out)["articles"]) == 6


def test_leftovers_of_an_interrupted_run_are_cleaned(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, 6)
    run(raw, out, Settings(workers=1, batch_size=3), progress=False)
    # What a kill leaves: a batch marked pending, one of its parts written, another half written.
    batch = "99999999999999999999-000000"
    (out / MANIFEST / f"{batch}.pending").touch()
    orphan = out / "persons" / f"part-{batch}.parquet"
    shutil.copy(next((out / "persons").glob("part-*.parquet")), orphan)
    (out / "articles" / f".part-{batch}.vnextract-a1b2c3.tmp").write_bytes(b"half")
    summary = run(raw, out, Settings(workers=1, batch_size=3), progress=False)
    assert summary.unchanged == 6 and not orphan.exists()
    assert not list((out / "articles").glob(".*")) and not list((out / MANIFEST).glob("*.pending"))
    tables = _tables(out)
    assert len(tables["articles"]) == len({row["article_id"] for row in tables["articles"]}) == 6


@pytest.mark.slow
def test_a_killed_extract_completes_on_the_next_run(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    names = _corpus(raw, 120)
    command = [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--no-progress",
               "--workers", "1", "--batch-size", "5"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / MANIFEST).glob("*.json"))) < 3:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    committed = len(list((out / MANIFEST).glob("*.json")))
    assert 3 <= committed < 24, "the run was to be killed half way"
    summary = run(raw, out, Settings(workers=1, batch_size=5), progress=False)
    assert summary.unchanged == 5 * committed
    tables = _tables(out)
    assert sorted(row["source_path"] for row in tables["articles"]) == sorted(names)
    assert len({row["article_id"] for row in tables["articles"]}) == 120
    for table in ("persons", "dates"):
        keys = [(row["article_id"], row["start"], row["end"]) for row in tables[table]]
        assert len(keys) == len(set(keys)), table


def test_worker_processes_give_the_tables_one_process_gives(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _corpus(raw, 10)
    run(raw, tmp_path / "one", Settings(workers=1, batch_size=3), progress=False)
    run(raw, tmp_path / "two", Settings(workers=2, batch_size=3), progress=False)
    assert _sorted_rows(_tables(tmp_path / "one")) == _sorted_rows(_tables(tmp_path / "two"))


@pytest.mark.slow
def test_dask_local_cluster_gives_the_tables_the_local_engine_gives(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    raw = tmp_path / "raw"
    _corpus(raw, 8)
    run(raw, tmp_path / "local", Settings(workers=1, batch_size=3), progress=False)
    run(raw, tmp_path / "dask", Settings(workers=2, batch_size=3, engine="dask"), progress=False)
    assert _sorted_rows(_tables(tmp_path / "local")) == _sorted_rows(_tables(tmp_path / "dask"))


def test_a_run_killed_in_the_middle_of_compaction_loses_and_doubles_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.store import Store

    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, 13)  # 13 batches of one: more than a dozen files a table, so they are merged
    real_drop = Store.drop

    def killed(self: Store, batch_id: str) -> None:  # dies after the merged batch is committed
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "drop", killed)
    with pytest.raises(KeyboardInterrupt):
        run(raw, out, Settings(workers=1, batch_size=1), progress=False)
    monkeypatch.setattr(Store, "drop", real_drop)
    again = run(raw, out, Settings(workers=1, batch_size=1), progress=False)
    assert (again.articles, again.unchanged, again.articles_in_output) == (0, 13, 13)
    fresh = tmp_path / "fresh"
    run(raw, fresh, Settings(workers=1, batch_size=1), progress=False)
    assert _sorted_rows(_tables(out)) == _sorted_rows(_tables(fresh))
