"""The analyst notebooks run on the tables `make extract` writes: a schema change that breaks one fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.analysis import connect, frames
from pipeline.runner import Settings, run
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    run(SAMPLES, out, Settings(workers=1), progress=False)
    return out


def test_the_query_helper_opens_every_table(tables: Path) -> None:
    con = connect(tables)
    assert con.sql("SELECT count(*) FROM articles").df().iloc[0, 0] == 5
    roles = con.sql("SELECT person_name, title FROM roles WHERE person_name = 'Lê Thành Đông'").df()
    assert roles.values.tolist() == [["Lê Thành Đông", "Bí thư"]]
    assert set(frames(tables)) == {"articles", "persons", "roles", "organizations", "dates", "documents", "ratios",
                                   "events", "errors"}  # fmt: skip
    # The tables across articles are views too: one person, one key, over the samples.
    people = con.sql("SELECT name, n_articles FROM people WHERE name = 'Lê Thành Đông'").df()
    assert people.values.tolist() == [["Lê Thành Đông", 1]]


def test_the_query_helper_says_when_there_are_no_tables(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make extract"):
        connect(tmp_path)


@pytest.mark.slow
def test_every_notebook_runs_and_plots(tables: Path, tmp_path: Path) -> None:
    pytest.importorskip("nbclient")
    from pipeline.notebooks import run_notebooks

    reports = run_notebooks(tables, tmp_path)
    assert sorted(path.name for path in reports) == [
        "overview.html",
        "people_and_documents.html",
        "people_and_offices.html",
    ]
    for report in reports:
        html = report.read_text("utf-8")
        assert html.count("image/png") >= 3, report.name  # the plots are in the report
        assert "Traceback" not in html
