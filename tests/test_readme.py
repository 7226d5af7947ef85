"""README.md's data dictionary says what the tables hold: every column of every model, with its Arrow type."""

from __future__ import annotations

import re

import pytest

from pipeline.emit import SCHEMAS
from pipeline.models import SpanRecord
from pipeline.tables import TABLES
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DICTIONARY = README.split("\n## The tables\n")[1].split("\n## ")[0]
SPAN_TABLES = {name for name, model in TABLES.items() if issubclass(model, SpanRecord)}


def _sections() -> dict[str, dict[str, str]]:
    """Table name -> column -> the type the README gives it ("string, null")."""
    parts = re.split(r"^\*\*(\w+)\*\*:", DICTIONARY, flags=re.MULTILINE)[1:]
    sections: dict[str, dict[str, str]] = {}
    for name, body in zip(parts[::2], parts[1::2], strict=True):
        columns = sections.setdefault(name, {})
        for line in body.splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if line.startswith("| ") and len(cells) >= 3 and cells[0] != "column":
                for column in cells[0].split(","):
                    columns[column.strip().strip("`")] = cells[1]
    return sections


SECTIONS = _sections()


def _common(table: str) -> set[str]:
    """The columns the README documents once for many tables, before the tables."""
    fields = set(TABLES[table].model_fields)
    return ({"article_id"} & fields) | ({"start", "end", "rule"} if table in SPAN_TABLES else set())


def _arrow(type_: object) -> str:
    return str(type_).replace("[day]", "").replace("item: ", "")


def test_the_shared_columns_are_claimed_for_the_tables_that_have_them() -> None:
    without = re.search(r"Every per-article table but ([\w, ]+?) carries `article_id`", DICTIONARY)
    assert without is not None
    assert set(re.split(r",\s*|\s+and\s+", without[1])) == {
        name for name, model in TABLES.items() if "article_id" not in model.model_fields
    }
    spans = re.search(r"Every span table \(([^)]+)\)", DICTIONARY)
    assert spans is not None and set(re.split(r",\s*", spans[1])) == SPAN_TABLES


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_of_the_model_is_documented_and_nothing_else(table: str) -> None:
    documented = SECTIONS.get(table)
    assert documented is not None, f"README has no **{table}** section"
    fields = set(TABLES[table].model_fields)
    assert set(documented) - fields == set(), f"{table}: documented columns the model does not have"
    assert fields - set(documented) - _common(table) == set(), f"{table}: model columns the README does not document"


@pytest.mark.parametrize("table", list(TABLES))
def test_every_documented_type_is_the_parquet_type(table: str) -> None:
    for field in SCHEMAS[table]:
        if field.name not in SECTIONS[table]:
            continue
        written = [part.strip() for part in SECTIONS[table][field.name].split(",")]
        assert written[0] == _arrow(field.type), f"{table}.{field.name}: README says {written[0]}"
        assert ("null" in written[1:]) == field.nullable, f"{table}.{field.name}: README's null is wrong"
