"""An input is opened in one place, which refuses anything but a regular file inside RAW at the moment of
opening: what is swapped in after the folder was listed (a link out of RAW, a FIFO, a folder replaced by a
link) is an errors row, never read. The hash kept for an input is of what was read; the name of every
input is its own. The swaps are made between the calls the run makes, so no test depends on timing."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import ingest, runner
from pipeline.ingest import IngestError
from pipeline.inputs import Input, discover
from pipeline.page import Item, process_file
from pipeline.readers import pages
from pipeline.runner import Settings, run

SHORT = "Bí thư Thị ủy Lê Thành Đông kết luận hội nghị."
OTHER = "Chủ tịch UBND tỉnh Nguyễn Văn A chủ trì hội nghị."
SECRET = "Mật khẩu của máy chủ là hunter2."


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """RAW with z.txt and sub/y.txt, and a folder beside it holding secrets of the same names."""
    raw, secret = tmp_path / "raw", tmp_path / "secret"
    (raw / "sub").mkdir(parents=True)
    secret.mkdir()
    (raw / "z.txt").write_text(SHORT, encoding="utf-8")
    (raw / "sub" / "y.txt").write_text(OTHER, encoding="utf-8")
    (secret / "z.txt").write_text(SECRET, encoding="utf-8")
    (secret / "y.txt").write_text(SECRET, encoding="utf-8")
    return raw, secret


def _listed(raw: Path, source_path: str) -> Input:
    return next(entry for entry in discover(raw) if entry.source_path == source_path)


def _read(entry: Input) -> list[str]:
    return [page.text for page in pages(entry.path, entry.source_path, root=entry.root)]  # type: ignore[union-attr]


@contextlib.contextmanager
def _no_hang() -> Iterator[None]:
    """A safety net only: an open that blocks on a FIFO fails the test instead of hanging the suite."""

    def fail(*_: object) -> None:
        raise AssertionError("blocked on opening the input")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _refused(entry: Input) -> tuple[str, str]:
    with _no_hang(), pytest.raises(IngestError) as raised:
        _read(entry)
    return raised.value.error_type, str(raised.value)


def test_a_plain_file_and_a_link_inside_raw_are_read(folders: tuple[Path, Path]) -> None:
    raw, _ = folders
    (raw / "link.txt").symlink_to(raw / "sub" / "y.txt")
    assert _read(_listed(raw, "z.txt")) == [SHORT]
    assert _read(_listed(raw, "sub/y.txt")) == [OTHER]
    assert _read(_listed(raw, "link.txt")) == [OTHER]


def test_a_link_out_of_raw_swapped_in_after_listing_is_never_opened(folders: tuple[Path, Path]) -> None:
    raw, secret = folders
    entry = _listed(raw, "z.txt")
    assert entry.problem is None
    (raw / "z.txt").unlink()
    (raw / "z.txt").symlink_to(secret / "z.txt")
    assert _refused(entry) == ("OutsideInput", f"a link to {secret / 'z.txt'}, outside the input folder")
    [result] = process_file(Item(str(entry.path), entry.source_path, root=str(entry.root)))
    [error] = result.records["errors"]
    assert (result.article, error.source_path, error.stage, error.error_type) == (
        None,
        "z.txt",
        "ingest",
        "OutsideInput",
    )


def test_a_fifo_swapped_in_after_listing_is_refused_at_once(folders: tuple[Path, Path]) -> None:
    raw, _ = folders
    entry = _listed(raw, "z.txt")
    (raw / "z.txt").unlink()
    os.mkfifo(raw / "z.txt")
    assert _refused(entry)[0] == "NotAFile"
    # The runner's hashing opens it the same way: a row of its own, never a hang.
    with _no_hang():
        todo = runner._hashed(entry, 1 << 20)
    assert (todo.sha256, todo.item.problem and todo.item.problem[0]) == (None, "NotAFile")


def test_a_parent_folder_swapped_for_a_link_out_of_raw_is_refused(folders: tuple[Path, Path]) -> None:
    raw, secret = folders
    entry = _listed(raw, "sub/y.txt")
    (raw / "sub").rename(raw.parent / "moved")
    (raw / "sub").symlink_to(secret)
    assert _refused(entry) == ("OutsideInput", f"a link to {secret / 'y.txt'}, outside the input folder")


@pytest.mark.parametrize("swapped", ["sub", "sub/y.txt"])
def test_a_link_swapped_in_between_resolving_and_opening_is_not_followed(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, swapped: str
) -> None:
    """The path is resolved first, then opened a folder at a time without following links: a link put in
    between the two (here: resolving is made to miss it) is met by the opening, which refuses it."""
    raw, secret = folders
    entry = _listed(raw, "sub/y.txt")
    target = secret if swapped == "sub" else secret / "y.txt"
    (raw / swapped).rename(raw.parent / "moved")
    (raw / swapped).symlink_to(target)
    monkeypatch.setattr(ingest.os.path, "realpath", lambda path, strict=False: os.path.abspath(path))
    error_type, message = _refused(entry)
    assert error_type == ("Unreadable" if swapped == "sub" else "NotAFile")
    assert "put in its place" in message or "moved or replaced" in message


def _swapping(monkeypatch: pytest.MonkeyPatch, before: object, after: object = None) -> None:
    """The run's workers (in this process) call BEFORE once the run has listed and hashed the inputs, and
    AFTER once they have read them, before the batch is committed."""
    real = runner.map_batches

    def map_batches(batches: list, settings: Settings) -> Iterator:
        before()  # type: ignore[operator]
        for results in real(batches, settings):
            if after:
                after()  # type: ignore[operator]
            yield results

    monkeypatch.setattr(runner, "map_batches", map_batches)


def _table(out: Path, name: str) -> dict[str, str]:
    key = "text" if name == "articles" else "error_type"
    return {row["source_path"]: row[key] for row in pq.read_table(out / name).to_pylist()}


def test_a_link_swapped_in_during_a_run_is_an_errors_row_and_looked_at_again(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, secret = folders
    out = raw.parent / "out"

    def swap() -> None:
        (raw / "z.txt").rename(raw.parent / "z.kept")
        (raw / "z.txt").symlink_to(secret / "z.txt")

    _swapping(monkeypatch, swap)
    run(raw, out, Settings(workers=1), progress=False)
    assert _table(out, "errors") == {"z.txt": "OutsideInput"}
    assert SECRET not in "".join(_table(out, "articles").values())
    monkeypatch.undo()
    (raw / "z.txt").unlink()
    (raw.parent / "z.kept").rename(raw / "z.txt")
    again = run(raw, out, Settings(workers=1), progress=False)
    assert (again.unchanged, _table(out, "errors"), _table(out, "articles")["z.txt"]) == (1, {}, SHORT)


def test_a_file_changed_while_it_was_read_is_done_again_by_the_next_run(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashed as A, read as B, A put back before the batch is committed: the hash is not kept for it, so
    the next run reads A again (before, it said "kept unchanged" and kept B's text)."""
    raw, _ = folders
    out = raw.parent / "out"
    version_a, version_b = f"{SHORT} Phiên bản A.", f"{SHORT} Phiên bản B."
    (raw / "z.txt").write_text(version_a, encoding="utf-8")
    _swapping(
        monkeypatch,
        lambda: (raw / "z.txt").write_text(version_b, encoding="utf-8"),
        lambda: (raw / "z.txt").write_text(version_a, encoding="utf-8"),
    )
    run(raw, out, Settings(workers=1), progress=False)
    assert _table(out, "articles")["z.txt"] == version_b  # what was read then
    monkeypatch.undo()
    again = run(raw, out, Settings(workers=1), progress=False)
    assert (again.inputs - again.unchanged, _table(out, "articles")["z.txt"]) == (1, version_a)
    third = run(raw, out, Settings(workers=1), progress=False)  # unchanged now: kept
    assert (third.inputs, third.unchanged) == (2, 2)


def test_clash_names_never_meet_another_inputs_name(tmp_path: Path) -> None:
    """The hostile tester's six names: each input ends as exactly one row, under a name of its own."""
    raw = tmp_path / "raw"
    raw.mkdir()
    try:
        (raw / os.fsdecode(b"b\xff.txt")).write_text(f"{SHORT} Tệp thứ nhất.", encoding="utf-8")
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    (raw / "m.jsonl").write_text(json.dumps({"text": SHORT}, ensure_ascii=False) + "\n", encoding="utf-8")
    for name in ("m.jsonl#1", "m.jsonl#1 (name clash)", "b\\xff.txt", "b\\xff.txt (name clash 2)"):
        (raw / name).write_text(f"{SHORT} {name}.", encoding="utf-8")
    out = tmp_path / "out"
    summary = run(raw, out, Settings(workers=1), progress=False)
    assert summary.inputs == 6
    # The first by name and then by bytes ("\\" before "\xff") keeps its name; the others get free ones.
    assert sorted(_table(out, "articles")) == ["b\\xff.txt", "m.jsonl#1"]
    assert _table(out, "errors") == {
        "m.jsonl#1 (name clash 2)": "NameClash",
        "m.jsonl#1 (name clash)": "UnsupportedFormat",
        "b\\xff.txt (name clash 3)": "NameClash",
        "b\\xff.txt (name clash 2)": "UnsupportedFormat",
    }
    assert _table(out, "articles")["b\\xff.txt"] == f"{SHORT} b\\xff.txt."
    before = _table(out, "errors")
    again = run(raw, out, Settings(workers=1), progress=False)  # the same names; the clashes looked at again
    assert (again.inputs, again.unchanged, _table(out, "errors")) == (6, 4, before)
