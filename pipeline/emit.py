"""Stage 8: write the tables as Parquet with explicit schemas, atomically.

Each table is written to a temporary file in the output folder and renamed over the old one, so a reader
(or a run killed half way) never sees a half-written table.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import types
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.models import Record
from pipeline.tables import TABLES

TEMPORARY = "vnextract-"  # in every temporary file's name, so that cleaning up can never take a user's file
_ARROW_TYPES: dict[object, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    bool: pa.bool_(),
    dt.date: pa.date32(),
    list[str]: pa.list_(pa.string()),
}
_SPAN_COLUMNS = ("start", "end", "rule")  # written last, after each table's own columns


def _arrow_field(name: str, annotation: object) -> pa.Field:
    nullable = False
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [member for member in typing.get_args(annotation) if member is not type(None)]
        nullable, annotation = True, members[0]
    if typing.get_origin(annotation) is typing.Literal:
        annotation = str
    return pa.field(name, _ARROW_TYPES[annotation], nullable=nullable)


def schema_of(model: type[Record]) -> pa.Schema:
    """The Parquet schema of a table, read off its Pydantic model."""
    hints = typing.get_type_hints(model)
    names = [name for name in model.model_fields if name not in _SPAN_COLUMNS]
    names += [name for name in _SPAN_COLUMNS if name in model.model_fields]
    return pa.schema([_arrow_field(name, hints[name]) for name in names])


SCHEMAS: dict[str, pa.Schema] = {table: schema_of(model) for table, model in TABLES.items()}


def write_table(path: Path, schema: pa.Schema, rows: Iterable[Mapping[str, object]]) -> None:
    """Write ROWS to PATH as one Parquet file, atomically (temporary file, then rename)."""
    write_arrow(path, pa.Table.from_pylist(list(rows), schema=schema))


def write_records(path: Path, schema: pa.Schema, records: Sequence[Record]) -> None:
    """Write validated RECORDS of one table to PATH, as `write_table` their rows. A model keeps its fields,
    already validated, in its __dict__: read there, not copied by model_dump (~0.1 s per 1,000 articles)."""
    write_table(path, schema, [vars(record) for record in records])


_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def _atomic(path: Path) -> Iterator[str]:
    """A temporary name beside PATH to write to; renamed to PATH when the block ends, removed if it fails.
    mkstemp makes files only their owner can read: a table gets the mode the umask gives any file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.{TEMPORARY}", suffix=".tmp")
    os.close(handle)
    os.chmod(temporary, 0o666 & ~_UMASK)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Write TEXT to PATH (UTF-8) atomically: a link at PATH is replaced, never written through."""
    with _atomic(path) as temporary:
        Path(temporary).write_text(text, encoding="utf-8")


def write_arrow(path: Path, table: pa.Table) -> None:
    """Write TABLE to PATH as one Parquet file, atomically (temporary file, then rename)."""
    with _atomic(path) as temporary:
        pq.write_table(table, temporary, compression="zstd")


ROW_GROUP_BYTES = 64 << 20  # DuckDB reads row groups in parallel; a few tens of MB each suits it


def write_parts(path: Path, schema: pa.Schema, parts: Iterable[pa.Table]) -> None:
    """Write the tables PARTS, one after another, to PATH as one Parquet file, atomically, holding only
    about one row group in memory at a time."""
    with _atomic(path) as temporary, pq.ParquetWriter(temporary, schema, compression="zstd") as writer:
        gathered: list[pa.Table] = []
        for part in parts:
            gathered.append(part)
            if sum(table.nbytes for table in gathered) >= ROW_GROUP_BYTES:
                writer.write_table(pa.concat_tables(gathered), row_group_size=1 << 30)
                gathered = []
        writer.write_table(pa.concat_tables(gathered) if gathered else schema.empty_table(), row_group_size=1 << 30)
