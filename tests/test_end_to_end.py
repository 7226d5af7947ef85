import codecs
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import across
from pipeline.emit import SCHEMAS
from pipeline.runner import Settings, run
from pipeline.tables import SPAN_TEXT
from tests.conftest import ROOT, SAMPLES


def _tables(out: Path) -> dict[str, list[dict]]:
    return {table: pq.read_table(out / table).to_pylist() for table in SCHEMAS}


@pytest.fixture(scope="module")
def sample_tables(tmp_path_factory) -> dict[str, list[dict]]:
    out = tmp_path_factory.mktemp("processed")
    run(SAMPLES, out, Settings(workers=1), progress=False)
    return _tables(out)


def test_all_samples_become_articles_with_unique_ids(sample_tables) -> None:
    articles = sample_tables["articles"]
    assert sorted(row["source_path"] for row in articles) == sorted(p.name for p in SAMPLES.glob("*.txt"))
    assert len({row["article_id"] for row in articles}) == len(articles) == 5
    assert sample_tables["errors"] == []
    for row in articles:
        assert row["n_chars"] == len(row["text"]) and row["pipeline_version"]


def test_every_span_points_at_its_own_text(sample_tables) -> None:
    texts = {row["article_id"]: row["text"] for row in sample_tables["articles"]}
    for table, column in SPAN_TEXT.items():
        if column is None:  # persons: checked below
            continue
        for row in sample_tables[table]:
            assert texts[row["article_id"]][row["start"] : row["end"]] == row[column], (table, row)
    for row in sample_tables["persons"]:  # the first mention is the full name or its last syllables ("Thạch")
        mention = texts[row["article_id"]][row["start"] : row["end"]]
        assert row["name"] == mention or row["name"].endswith(f" {mention}"), row


def test_bad_files_become_error_rows_and_the_run_goes_on(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLES, raw)
    sample = next(SAMPLES.glob("000_*.txt")).read_text("utf-8")
    bad = {
        "empty.txt": b"",
        "bom_only.txt": codecs.BOM_UTF8,
        "binary.txt": bytes(range(256)),
        "latin1.txt": "Thống kê".encode()[:4] + b"\xe9\xff",
        "furniture_only.txt": "Thống kê truy cập\nĐang online: 2".encode(),
        "image.png": b"\x89PNG\r\n",
        "nested/copy_nfd.txt": unicodedata.normalize("NFD", sample).encode("utf-8"),
    }
    for name, data in bad.items():
        (raw / name).parent.mkdir(exist_ok=True)
        (raw / name).write_bytes(data)
    out = tmp_path / "out"
    summary = run(raw, out, Settings(workers=2, batch_size=3), progress=False)
    tables = _tables(out)
    errors = {row["source_path"]: row for row in tables["errors"]}
    articles = {row["source_path"] for row in tables["articles"]}
    inputs = {str(p.relative_to(raw)) for p in raw.rglob("*") if p.is_file() and p.name != "README.md"}
    assert articles | set(errors) == inputs and not articles & set(errors)
    assert len(articles) == 5 and summary.articles == 5
    assert errors["empty.txt"]["error_type"] == "EmptyInput"
    assert errors["binary.txt"]["error_type"] == "BinaryInput"
    assert errors["latin1.txt"]["error_type"] == "DecodeError"
    assert errors["furniture_only.txt"]["error_type"] == "NoArticleText"
    assert errors["image.png"]["error_type"] == "UnsupportedFormat"
    # A decomposed-Unicode copy normalises to the same article: it is counted as a duplicate.
    assert errors["nested/copy_nfd.txt"]["error_type"] == "DuplicateArticle"
    assert summary.errors_in_output["DuplicateArticle"] == 1


def test_cli_writes_the_tables_and_prints_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "new" / "processed"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(SAMPLES), "--out", str(out), "--no-progress"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert done.stdout.startswith(f"5 articles in {out}: 5 new, 0 unchanged; 0 errors.") and "articles/s" in done.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted([*SCHEMAS, *across.TABLES, "_manifest"])


def test_strict_exits_non_zero_when_an_input_failed(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "empty.txt").write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(tmp_path / "raw"), "--out", str(tmp_path / "o"), "--strict", "--no-progress"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1 and f"1 error (1 EmptyInput; see {tmp_path / 'o' / 'errors'})" in done.stdout
