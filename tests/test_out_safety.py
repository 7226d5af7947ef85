"""OUT's own folders and lock files: vnextract writes only where it owns the folder and the file, never
through a link, and takes no user's file in OUT/_manifest for its own (README: what vnextract promises
about your files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.runner import Settings, run
from pipeline.store import HOLDER, LOCK, MANIFEST, OutputError, Store, new_batch_id
from tests.conftest import ROOT

SHORT = "Bí thư Thị ủy Lê Thành Đông kết luận hội nghị."


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(SHORT, encoding="utf-8")
    return raw


def _tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry under FOLDER: a file's bytes, a link's target, a folder's mark."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        found[name] = f"-> {os.readlink(path)}" if path.is_symlink() else "dir" if path.is_dir() else path.read_bytes()
    return found


def test_a_manifest_folder_that_is_a_link_is_refused_and_nothing_is_written_where_it_leads(tmp_path: Path) -> None:
    """The hostile tester's t1: the user's .holder behind the link was overwritten, then deleted."""
    raw, out, victim = _raw(tmp_path), tmp_path / "out", tmp_path / "victim"
    victim.mkdir()
    (victim / ".holder").write_text("mine\n", encoding="utf-8")
    out.mkdir()
    (out / MANIFEST).symlink_to(Path("..") / "victim")
    before = _tree(tmp_path / "victim")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--no-progress", "--workers", "1"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert f"{out / MANIFEST} (a link)" in done.stderr and "never writes through a link" in done.stderr
    assert _tree(victim) == before == {".holder": b"mine\n"}
    assert sorted(path.name for path in out.iterdir()) == [MANIFEST]  # no table folder made either


def test_a_link_to_nowhere_as_the_manifest_folder_creates_nothing_where_it_points(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputError, match=r"_manifest \(a link\)"):
        run(raw, out, Settings(workers=1), progress=False)
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("table", ["articles", "people"])  # a table of batches, a table across articles
def test_a_table_folder_that_is_a_link_or_a_file_stops_the_run_before_the_lock_is_made(
    tmp_path: Path, table: str
) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    (tmp_path / "elsewhere").mkdir()
    out.mkdir()
    (out / table).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputError, match=rf"{table} \(a link\)"):
        run(raw, out, Settings(workers=1), progress=False)
    assert not (out / MANIFEST).exists() and list((tmp_path / "elsewhere").iterdir()) == []
    (out / table).unlink()
    (out / table).write_text("my table", encoding="utf-8")
    with pytest.raises(OutputError, match=rf"{table}\. vnextract never"):
        run(raw, out, Settings(workers=1), progress=False)
    assert (out / table).read_text(encoding="utf-8") == "my table" and not (out / MANIFEST).exists()


def test_a_users_holder_file_is_named_and_kept_and_one_a_killed_run_left_is_replaced(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    holder = out / MANIFEST / HOLDER
    holder.write_text("my notes about this output\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"_manifest/\.holder\. vnextract never"):
        run(raw, out, Settings(workers=1, force=True), progress=False)
    assert holder.read_text(encoding="utf-8") == "my notes about this output\n"
    # What a run writes there, left by one that was killed: the lock is free, so its writer is gone.
    holder.write_text("pid 4242 on somehost, since Sun Nov 29 10:00:00 2026", encoding="utf-8")
    assert run(raw, out, Settings(workers=1, force=True), progress=False).articles == 1
    assert not holder.exists()


@pytest.mark.parametrize("what", ["a link to nowhere", "a link to a file", "a file with something in it"])
def test_a_lock_file_that_is_not_ours_is_refused_and_left_as_it_is(tmp_path: Path, what: str) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    (out / MANIFEST).mkdir(parents=True)
    lock, target = out / MANIFEST / LOCK, tmp_path / "target.txt"
    if what == "a link to a file":
        target.write_text("mine", encoding="utf-8")
    if what.startswith("a link"):
        lock.symlink_to(target)
    else:
        lock.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match=r"_manifest/\.lock"):
        run(raw, out, Settings(workers=1), progress=False)
    assert lock.is_symlink() == what.startswith("a link") and not (out / "articles").exists()
    if what == "a link to nowhere":
        assert not target.exists()  # not created through the link
    else:
        assert lock.read_text(encoding="utf-8") == "mine"


def test_the_empty_lock_file_an_earlier_run_left_is_taken_and_kept(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    (out / MANIFEST).mkdir(parents=True)
    (out / MANIFEST / LOCK).touch()
    assert run(raw, out, Settings(workers=1), progress=False).articles == 1
    assert (out / MANIFEST / LOCK).stat().st_size == 0 and not (out / MANIFEST / HOLDER).exists()


def test_the_holder_file_is_removed_only_when_it_is_the_one_this_run_wrote(tmp_path: Path) -> None:
    store = Store(tmp_path / "out")
    holder = store.manifests / HOLDER
    with store.lock():
        assert holder.read_text(encoding="utf-8").startswith(f"pid {os.getpid()} on ")
    assert not holder.exists()
    with store.lock():
        holder.unlink()
        holder.write_text("someone else's", encoding="utf-8")  # another file now bears the name
    assert holder.read_text(encoding="utf-8") == "someone else's"


def test_a_second_lock_on_the_same_output_is_refused_naming_the_holder(tmp_path: Path) -> None:
    first, second = Store(tmp_path / "out"), Store(tmp_path / "out")
    busy = rf"being written by another vnextract run \(pid {os.getpid()} on"
    with first.lock(), pytest.raises(OutputError, match=busy), second.lock():
        pass
    assert not (first.manifests / HOLDER).exists()  # the first run's, removed when it ended


def test_a_pending_marker_with_something_in_it_is_a_users_file(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    marker = out / MANIFEST / f"{new_batch_id(0)}.pending"  # ours by its name, not by what it holds
    marker.write_text("my list", encoding="utf-8")
    with pytest.raises(OutputError, match=rf"{marker.name}\. vnextract never"):
        run(raw, out, Settings(workers=1), progress=False)
    assert marker.read_text(encoding="utf-8") == "my list"
    marker.write_text("", encoding="utf-8")  # empty, as a killed run leaves its marker: cleaned up
    assert run(raw, out, Settings(workers=1), progress=False).articles_in_output == 1 and not marker.exists()


def test_an_out_that_is_a_link_to_nowhere_is_refused_and_a_link_to_a_folder_is_written_in(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    out.symlink_to(tmp_path / "missing")
    with pytest.raises(OutputError, match=r"out is a link to nowhere: give --out a folder"):
        run(raw, out, Settings(workers=1), progress=False)
    assert not (tmp_path / "missing").exists()
    (tmp_path / "missing").mkdir()  # --out may name a link to a folder the user chose: only OUT's own may not be
    assert run(raw, out, Settings(workers=1), progress=False).articles == 1
    assert (tmp_path / "missing" / "articles").is_dir()


def test_a_table_folder_made_a_link_during_the_run_is_not_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.engines

    raw, out = _raw(tmp_path), tmp_path / "out"
    (raw / "b.txt").write_text(SHORT + " Hội nghị bế mạc.", encoding="utf-8")
    (tmp_path / "victim").mkdir()
    process_batch = pipeline.engines.process_batch

    def swapping(items, settings):  # type: ignore[no-untyped-def]
        if (out / "errors").is_dir() and not (out / "errors").is_symlink():  # after the first batch's commit
            (out / "errors").rename(tmp_path / "errors.moved")
            (out / "errors").symlink_to(tmp_path / "victim")
        return process_batch(items, settings)

    monkeypatch.setattr(pipeline.engines, "process_batch", swapping)
    with pytest.raises(OutputError, match=r"errors \(a link\)"):
        run(raw, out, Settings(workers=1, batch_size=1), progress=False)
    assert list((tmp_path / "victim").iterdir()) == []
