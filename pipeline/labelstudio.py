"""Label Studio interchange: predictions out as pre-annotated tasks, a corrected export back in as gold.

Export: one task per article of an output folder, its text and metadata as `data`, each predicted span a
region of `predictions` (character offsets, label PER, TITLE, DATE, DOC or RATIO). A region's normalised
values (a date's value, a document's symbol, a role's person and title head) travel as JSON in its
`meta.text`, so a researcher corrects spans in Label Studio and the values come back with them; for a
region the researcher adds, the values are read off its text where they can be (a person's name) and
left empty otherwise, to be filled in the gold file.

Import: a Label Studio JSON export (tasks with `annotations`) becomes gold lines in the format of
data/gold/ (see docs/annotation.md).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline import __version__

Row = dict[str, Any]

# table -> (label, the columns that travel as the region's values)
REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "persons": ("PER", ("name",)),
    "roles": ("TITLE", ("person_name", "title", "organization")),
    "dates": ("DATE", ("value", "value_end", "granularity")),
    "documents": ("DOC", ("symbol", "doc_type", "issuer", "issued_date")),
    "ratios": ("RATIO", ("achieved", "total", "unit")),
}
_TABLE_OF = {label: table for table, (label, _) in REGIONS.items()}
_ARTICLE_FIELDS = ("article_id", "source_path", "title", "author", "published_date", "text")


def labeling_config() -> str:
    """The Label Studio labeling interface these tasks expect."""
    labels = "".join(f'<Label value="{label}"/>' for label, _ in REGIONS.values())
    return f'<View><Labels name="label" toName="text">{labels}</Labels><Text name="text" value="$text"/></View>'


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _region(row: Row, table: str, text: str) -> Row:
    label, columns = REGIONS[table]
    start, end = int(row["start"]), int(row["end"])
    return {
        "id": uuid.uuid5(uuid.NAMESPACE_URL, f"{row['article_id']}/{table}/{start}/{end}").hex[:10],
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
        "meta": {"text": [json.dumps({column: _plain(row.get(column)) for column in columns}, ensure_ascii=False)]},
    }


def export_tasks(processed: Path) -> list[Row]:
    """Label Studio tasks, one per article of PROCESSED, with the pipeline's spans as predictions."""
    tables = {table: pq.read_table(processed / table).to_pylist() for table in ["articles", *REGIONS]}
    tasks = []
    for article in tables["articles"]:
        text = article["text"]
        result = [
            _region(row, table, text)
            for table in REGIONS
            for row in tables[table]
            if row["article_id"] == article["article_id"]
        ]
        data = {field: _plain(article.get(field)) for field in _ARTICLE_FIELDS}
        tasks.append({"data": data, "predictions": [{"model_version": f"vnextract {__version__}", "result": result}]})
    return tasks


def _values(region: Row) -> Row:
    meta = region.get("meta", {}).get("text") or []
    return json.loads(meta[0]) if meta else {}


def _gold_line(task: Row, regions: Iterable[Row]) -> Row:
    data = task["data"]
    line: Row = {field: data.get(field) for field in _ARTICLE_FIELDS}
    line |= {"persons": [], "roles": [], "dates": [], "documents": [], "ratios": [], "event": None}
    persons: dict[str, Row] = {}
    for region in sorted(regions, key=lambda r: r["value"]["start"]):
        value = region["value"]
        table = _TABLE_OF[value["labels"][0]]
        values = _values(region)
        span = {"start": value["start"], "end": value["end"]}
        if table == "persons":
            name = values.get("name") or value["text"]
            persons.setdefault(name, {"name": name, "mentions": []})["mentions"].append([value["start"], value["end"]])
            continue
        columns = REGIONS[table][1]
        row = {column: values.get(column) for column in columns} | span
        row["raw" if table == "roles" else "text"] = value["text"]
        line[table].append(row)
    line["persons"] = list(persons.values())
    return line


def import_export(export: list[Row]) -> list[Row]:
    """Gold lines from a Label Studio export: each task's latest annotation that was not cancelled."""
    lines = []
    for task in export:
        annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
        if annotations:
            lines.append(_gold_line(task, [r for r in annotations[-1]["result"] if r.get("type") == "labels"]))
    return lines


def write_jsonl(path: Path, lines: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
