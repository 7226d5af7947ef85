"""The output folder: one folder of Parquet parts per table, and a manifest of what each part holds.

    OUT/articles/part-<batch>.parquet ... OUT/errors/part-<batch>.parquet   one part per table per batch
    OUT/_manifest/<batch>.json                                                 the batch's inputs, committed last

A batch is committed when its manifest file exists: the parts are written first (each to a temporary name,
then renamed), the manifest last. A run killed at any moment leaves at most parts without a manifest;
the next run deletes them and does their inputs again, so no table ever holds a half batch or a
duplicate. Readers (pandas, DuckDB, pyarrow) read a table's folder and skip names starting with "." or "_".
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.emit import SCHEMAS, write_table
from pipeline.models import Record
from pipeline.patterns import PATTERNS_DIR

MANIFEST = "_manifest"


def fingerprint() -> str:
    """What made the rows: the pipeline's version and its rules. A change of either redoes every input."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PATTERNS_DIR.glob("*.yaml")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Entry:
    """One input file of a committed batch: its content hash and the articles it became (a JSONL export or
    a WARC archive holds many; an input that became errors rows only, none)."""

    source_path: str
    sha256: str
    article_ids: list[str]


@dataclass
class Batch:
    batch_id: str
    fingerprint: str
    entries: list[Entry] = field(default_factory=list)


class Store:
    def __init__(self, out: Path) -> None:
        self.out = out

    def batches(self) -> list[Batch]:
        """The committed batches, oldest first."""
        folder = self.out / MANIFEST
        found = []
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = [Entry(**entry) for entry in data["entries"]]
            found.append(Batch(data["batch_id"], data["fingerprint"], entries))
        return found

    def prepare(self) -> None:
        """Create the folders; remove what an interrupted run left (parts of uncommitted batches, temporary
        files) and the single-file tables of earlier versions."""
        (self.out / MANIFEST).mkdir(parents=True, exist_ok=True)
        committed = {batch.batch_id for batch in self.batches()}
        for table in SCHEMAS:
            folder = self.out / table
            folder.mkdir(exist_ok=True)
            for path in folder.iterdir():
                batch_id = path.name.removeprefix("part-").removesuffix(".parquet")
                if path.name.startswith(".") or batch_id not in committed:
                    path.unlink()
            (self.out / f"{table}.parquet").unlink(missing_ok=True)
        for path in (self.out / MANIFEST).glob(".*"):
            path.unlink()

    def drop(self, batch_id: str) -> None:
        """Remove a committed batch: its manifest first, so a crash here leaves only orphan parts."""
        (self.out / MANIFEST / f"{batch_id}.json").unlink(missing_ok=True)
        for table in SCHEMAS:
            (self.out / table / f"part-{batch_id}.parquet").unlink(missing_ok=True)

    def commit(self, batch: Batch, records: Mapping[str, list[Record]]) -> None:
        """Write one part per table for the batch, then its manifest: the batch exists from that moment."""
        for table, schema in SCHEMAS.items():
            rows = (record.model_dump() for record in records.get(table, []))
            write_table(self.out / table / f"part-{batch.batch_id}.parquet", schema, rows)
        manifest = {
            "batch_id": batch.batch_id,
            "fingerprint": batch.fingerprint,
            "entries": [entry.__dict__ for entry in batch.entries],
        }
        temporary = self.out / MANIFEST / f".{batch.batch_id}.tmp"
        temporary.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.out / MANIFEST / f"{batch.batch_id}.json")


def new_batch_id(sequence: int) -> str:
    """Unique across runs, and sorting in the order batches were made."""
    return f"{time.time_ns():020d}-{sequence:06d}"
