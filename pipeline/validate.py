"""Stage 7: turn the resolved facts into validated records.

A fact that fails its model, or whose offsets do not point at its own text, is not dropped silently: it
becomes an errors row that names the table, the rule and the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from pipeline.models import Error, Record
from pipeline.tables import SPAN_TEXT, TABLES

_ROWS = {table: TypeAdapter(list[model]) for table, model in TABLES.items()}  # a table's rows at once


def _offset_problem(table: str, row: Mapping[str, Any], text: str) -> str | None:
    if table not in SPAN_TEXT:
        return None
    start, end = row.get("start"), row.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        return f"offsets [{start}, {end}) outside the article's {len(text)} characters"
    column = SPAN_TEXT[table]
    if column and row.get(column) != text[start:end]:
        return f"text[{start}:{end}] is {text[start:end]!r}, not the {column} {row.get(column)!r}"
    return None


def validate(
    facts: Mapping[str, list[dict[str, Any]]], text: str, source_path: str
) -> tuple[dict[str, list[Record]], list[Error]]:
    """Validated records per table, and an error for each fact that did not validate."""
    records: dict[str, list[Record]] = {}
    errors: list[Error] = []
    for table, rows in facts.items():
        if not rows:
            continue
        # Most tables validate whole: one call for all their rows. A table with a fault is gone through
        # row by row, so that each fault is its own errors row, in order, and the other rows are kept.
        if not any(_offset_problem(table, row, text) for row in rows):
            try:
                records[table] = _ROWS[table].validate_python(rows)
                continue
            except ValidationError:
                pass
        _validate_rows(table, rows, text, source_path, records, errors)
    return records, errors


def _validate_rows(
    table: str,
    rows: list[dict[str, Any]],
    text: str,
    source_path: str,
    records: dict[str, list[Record]],
    errors: list[Error],
) -> None:
    model = TABLES[table]
    for row in rows:
        problem = _offset_problem(table, row, text)
        if problem is None:
            try:
                record = model.model_validate(row)
                records.setdefault(table, []).append(record)
                continue
            except ValidationError as error:
                problem = "; ".join(
                    f"{'.'.join(map(str, item['loc'])) or 'record'}: {item['msg']}" for item in error.errors()
                )
        errors.append(
            Error(
                source_path=source_path,
                stage="validate",
                error_type="InvalidRecord",
                message=f"{table} row by rule {row.get('rule')!r} rejected: {problem}",
            )
        )
