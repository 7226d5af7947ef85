"""Bad input never stops a run, and every extractor holds on arbitrary text (property tests)."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import find_dates, find_documents, find_ratios
from pipeline.layout import Layout
from pipeline.normalise import normalise
from pipeline.page import analyse
from pipeline.runner import Settings, run
from pipeline.tag import tag
from tests.conftest import ROOT, SAMPLES

SAMPLE = next(SAMPLES.glob("000_*.txt")).read_text("utf-8")


@pytest.mark.slow
def test_a_folder_of_bad_files_gives_error_rows_and_exit_status_zero(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    files = {
        "good.txt": SAMPLE.encode(),
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 4,
        "nul.txt": SAMPLE.encode()[:200] + b"\x00" + SAMPLE.encode()[200:400],
        "bom.txt": codecs.BOM_UTF8,
        "broken.html": b"<html><body><div>Tin <b>khac</div",
        "huge.txt": (SAMPLE.encode() + b"\n") * (50_000_000 // len(SAMPLE.encode())),
        "one_line.txt": (SAMPLE.replace("\n", " ") * (1_000_000 // len(SAMPLE) + 1))[:1_000_000].encode(),
        "backtrack.txt": ("Nguyễn " * 60_000 + "8/8/8/" * 30_000 + "đồng chí " * 30_000).encode(),
    }
    for name, data in files.items():
        (raw / name).write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(tmp_path / "out"), "--no-progress", "--workers", "2"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    articles = {row["source_path"] for row in pq.read_table(tmp_path / "out" / "articles").to_pylist()}
    errors = {row["source_path"]: row for row in pq.read_table(tmp_path / "out" / "errors").to_pylist()}
    assert articles | set(errors) == set(files) and not articles & set(errors)
    assert {"good.txt", "one_line.txt", "backtrack.txt", "nul.txt"} <= articles  # a stray NUL is dropped
    expected = {"empty.txt": "EmptyInput", "binary.txt": "BinaryInput", "bom.txt": "EmptyInput", "huge.txt": "TooLarge"}
    assert {name: errors[name]["error_type"] for name in expected} == expected
    assert all(row["message"] and row["stage"] for row in errors.values())


def test_a_document_over_its_time_limit_becomes_an_error_row(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "long.txt").write_text(SAMPLE.replace("\n", " ") * 150, encoding="utf-8")
    (raw / "short.txt").write_text("Bí thư Thị ủy Lê Thành Đông kết luận hội nghị.", encoding="utf-8")
    run(raw, tmp_path / "out", Settings(workers=1, seconds_per_document=0.05), progress=False)
    errors = pq.read_table(tmp_path / "out" / "errors").to_pylist()
    # The limit covers every stage of the page up to its facts: the row names the one where time ran out.
    assert [(row["source_path"], row["error_type"]) for row in errors] == [("long.txt", "Timeout")]
    assert errors[0]["stage"] in {"normalise", "layout", "analyse"}
    assert [row["source_path"] for row in pq.read_table(tmp_path / "out" / "articles").to_pylist()] == ["short.txt"]


# Vietnamese letters, digits, the punctuation the rules look at, and anything else Unicode has.
_GENRE = st.sampled_from([*'ĐđỦủệơưăâêôáàạ/-., ;:()"\n0123456789', "Nguyễn ", "đồng chí ", "Bí thư ", "số ", "ngày "])
TEXTS = st.lists(st.one_of(st.text(max_size=8), _GENRE), max_size=60).map("".join)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_extractors_return_spans_that_point_at_their_own_text(raw: str) -> None:
    text = normalise(raw)
    for match in find_documents(text) + find_dates(text) + find_ratios(text):
        assert 0 <= match.start < match.end <= len(text)
    tagged = tag(text)
    for person in tagged.persons:
        assert all(text[start:end].strip() for start, end in person.mentions)
    facts = analyse("a", Layout(text=text, title=None, site=None, author=None, published_date=None))
    column = {"roles": "raw", "organizations": "name", "dates": "text", "documents": "text", "ratios": "text"}
    for table, key in column.items():
        for row in facts[table]:
            assert text[row["start"] : row["end"]] == row[key]


@settings(max_examples=100, deadline=2000)
@given(st.text(max_size=300))
def test_normalise_is_idempotent_on_any_text(raw: str) -> None:
    assert normalise(normalise(raw)) == normalise(raw)


def test_a_file_over_the_size_limit_is_told_by_its_size_and_never_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.runner

    raw = tmp_path / "raw"
    raw.mkdir()
    with (raw / "dump.txt").open("wb") as sparse:  # a sparse file: gigabytes on paper, nothing on disk
        sparse.truncate(4 << 30)
    (raw / "short.txt").write_text("Bí thư Thị ủy Lê Thành Đông kết luận hội nghị.", encoding="utf-8")
    hashing = pipeline.runner._sha256
    hashed: list[str] = []
    monkeypatch.setattr(pipeline.runner, "_sha256", lambda item: hashed.append(item.source_path) or hashing(item))
    run(raw, tmp_path / "out", Settings(workers=1), progress=False)
    errors = pq.read_table(tmp_path / "out" / "errors").to_pylist()
    assert [(row["source_path"], row["error_type"], row["message"]) for row in errors] == [
        ("dump.txt", "TooLarge", f"{4 << 30} bytes, over the limit of {Settings().max_bytes} (--max-bytes)")
    ]
    assert hashed == ["short.txt"]
