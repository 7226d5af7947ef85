"""Label Studio interchange: predictions out as pre-annotated tasks, a corrected export back in as gold.

Export (`ls-export`): one task per article of an output folder, its text and metadata as `data`, and as
`predictions`:
- a region per span (character offsets, label PER, TITLE, ORG, DATE, DOC or RATIO): every mention of every
  person (the tagger is run again on the article's text for them: the persons table keeps only the first),
  every title, organisation, date, document and ratio;
- a relation from a mention of each person to each title the person holds (a title several persons share,
  "Các ông A, B và C ... Phó Bí thư", has one relation per person);
- the article's event as JSON in the `event` text area (`null` when the article reports none).
A region's normalised values (a person's full name, a date's value, a document's symbol, a title's head,
body and holders) travel as JSON in its `meta.text`, so a researcher corrects spans in Label Studio and the values come
back with them, and edits them there when they are wrong.

Import (`ls-import`): a Label Studio JSON export (tasks with `annotations`) becomes gold lines in the format
of data/gold/ (see docs/annotation.md), from each task's latest annotation that was not cancelled. A region
the researcher added takes what its text tells (a person's name, an organisation's name, a ratio's figures);
what it cannot tell (a title's head, a date's granularity) must be in its meta, and whose title it is
must be given by a relation (or the `persons` of its meta), or the import stops and lists every such region. Lines that would not be
valid gold (pipeline.evaluate.gold_problems) are never written.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyarrow.parquet as pq
import regex

from pipeline import __version__
from pipeline.emit import write_text
from pipeline.tables import REGIONS, Row

_TABLE_OF = {region.label: table for table, region in REGIONS.items()}
_ARTICLE_FIELDS = ("article_id", "source_path", "title", "author", "published_date", "text")
EVENT_FIELDS = ("event_type", "event_date", "chaired_by")  # what gold keeps of an events row
# The value a gold row must have, by table; the rest may be null (docs/annotation.md).
_NEEDED = {"roles": ("title",), "dates": ("granularity",), "ratios": ("achieved", "total")}
_RATIO = regex.compile(r"(\d+)\s*/\s*(\d+)\s*(.*)", regex.DOTALL)


class ImportProblem(ValueError):
    """An export that would not give valid gold; the message lists each region to fix, for a person.

    The command line prints it instead of a traceback.
    """

    @property
    def message(self) -> str:
        return str(self)


LABELING_CONFIG = "labeling_config.xml"  # ls-export writes it beside the tasks file


def labeling_config() -> str:
    """The Label Studio labeling interface these tasks expect."""
    labels = "".join(f'<Label value="{region.label}"/>' for region in REGIONS.values())
    return (
        f'<View><Labels name="label" toName="text">{labels}</Labels>'
        '<Relations><Relation value="holds"/></Relations>'
        '<Text name="text" value="$text"/>'
        '<Header value="Event: JSON with event_type, event_date (YYYY-MM-DD or null), chaired_by; null for none"/>'
        '<TextArea name="event" toName="text" editable="true" maxSubmissions="1" rows="3"/></View>'
    )


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _region_id(article_id: str, table: str, start: int, end: int) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{article_id}/{table}/{start}/{end}").hex[:10]


def _region(article_id: str, table: str, start: int, end: int, text: str, values: Row) -> Row:
    label = REGIONS[table].label
    return {
        "id": _region_id(article_id, table, start, end),
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
        "meta": {"text": [json.dumps({k: _plain(v) for k, v in values.items()}, ensure_ascii=False)]},
    }


def _mentions(text: str, author: str | None, persons: list[Row]) -> dict[str, list[tuple[int, int]]]:
    """Every mention of each person of PERSONS, by name: the persons table keeps only the first."""
    from pipeline.tag import tag

    tagged = {person.name: sorted(person.mentions) for person in tag(text, author).persons}
    # A person the rules no longer find (the tables are older than the rules) keeps its first mention.
    return {row["name"]: tagged.get(row["name"]) or [(int(row["start"]), int(row["end"]))] for row in persons}


def _task_result(article: Row, rows: dict[str, list[Row]]) -> list[Row]:
    article_id, text = article["article_id"], article["text"]
    result: list[Row] = []
    mentions = _mentions(text, article.get("author"), rows.get("persons", []))
    for name, spans in mentions.items():
        result += [_region(article_id, "persons", start, end, text, {"name": name}) for start, end in spans]
    titles: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for row in rows.get("roles", []):
        titles[(int(row["start"]), int(row["end"]))].append(row)
    for (start, end), holders in titles.items():
        values = {c: holders[0][c] for c in REGIONS["roles"].columns} | {"persons": [h["person_name"] for h in holders]}
        region = _region(article_id, "roles", start, end, text, values)
        result.append(region)
        for holder in holders:  # the mention nearest the title is the one it was written with
            spans = mentions.get(holder["person_name"])
            if not spans:
                continue
            near = min(spans, key=lambda span: min(abs(span[0] - end), abs(start - span[1])))
            result.append(
                {"from_id": _region_id(article_id, "persons", *near), "to_id": region["id"], "type": "relation",
                 "direction": "right", "labels": ["holds"]}
            )  # fmt: skip
    for table in ("organizations", "dates", "documents", "ratios"):
        columns = REGIONS[table].columns
        result += [
            _region(article_id, table, int(row["start"]), int(row["end"]), text, {c: row.get(c) for c in columns})
            for row in rows.get(table, [])
        ]
    return result


def _gold_event(row: Row | None) -> Row | None:
    return None if row is None else {field: _plain(row.get(field)) for field in EVENT_FIELDS}


def export_tasks(processed: Path) -> list[Row]:
    """Label Studio tasks, one per article of PROCESSED, with the pipeline's spans as predictions."""
    by_article: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for table in [*REGIONS, "events"]:
        for row in pq.read_table(processed / table).to_pylist():
            by_article[row["article_id"]][table].append(row)
    tasks = []
    for article in pq.read_table(processed / "articles").to_pylist():
        rows = by_article[article["article_id"]]
        events = rows.get("events") or [None]
        event = json.dumps(_gold_event(events[0]), ensure_ascii=False)
        result = [
            *_task_result(article, rows),
            {"from_name": "event", "to_name": "text", "type": "textarea", "value": {"text": [event]}},
        ]
        data = {field: _plain(article.get(field)) for field in _ARTICLE_FIELDS} | {"event": json.loads(event)}
        tasks.append({"data": data, "predictions": [{"model_version": f"vnextract {__version__}", "result": result}]})
    return tasks


def _values(region: Row) -> Row:
    meta = (region.get("meta") or {}).get("text") or []
    text = "\n".join(meta).strip()
    if not text:
        return {}
    values = json.loads(text)  # a researcher's broken JSON is reported by the caller
    if not isinstance(values, dict):
        raise ValueError("not a JSON object")
    return values


def _where(task: Row, region: Row) -> str:
    value = region["value"]
    text = task["data"]["text"][value["start"] : value["end"]]
    return f"{task['data'].get('source_path')} [{value['start']}:{value['end']}] {value['labels'][0]} {text!r}"


def _gold_line(task: Row, result: list[Row], problems: list[str]) -> Row:
    data = task["data"]
    text = data["text"]
    line: Row = {field: data.get(field) for field in _ARTICLE_FIELDS}
    line |= {table: [] for table in ("persons", "roles", "organizations", "dates", "documents", "ratios")}
    labelled = sorted((r for r in result if r.get("type") == "labels"), key=lambda r: r["value"]["start"])
    regions = {r["id"]: r for r in labelled if r.get("id")}
    names: dict[str, str] = {}  # PER region id -> the person's name
    persons: dict[str, set[tuple[int, int]]] = defaultdict(set)
    values: dict[int, Row] = {}
    for region in labelled:
        try:
            values[id(region)] = _values(region)
        except ValueError as error:
            problems.append(f"{_where(task, region)}: its meta is not a JSON object of values ({error})")
            values[id(region)] = {}
        value = region["value"]
        if _TABLE_OF.get(value["labels"][0]) == "persons":
            name = values[id(region)].get("name") or text[value["start"] : value["end"]]
            persons[name].add((value["start"], value["end"]))
            if region.get("id"):
                names[region["id"]] = name
    holders: dict[str, list[str]] = defaultdict(list)  # TITLE region id -> names, by relation
    for relation in (r for r in result if r.get("type") == "relation"):
        ends = {relation.get("from_id"), relation.get("to_id")}
        person = [names[i] for i in ends if i in names]
        title = [i for i in ends if i in regions and regions[i]["value"]["labels"][0] == "TITLE"]
        if person and title:
            holders[title[0]].append(person[0])
    for region in labelled:
        value = region["value"]
        label = value["labels"][0]
        table = _TABLE_OF.get(label)
        if table is None:
            problems.append(f"{_where(task, region)}: {label} is not one of {sorted(_TABLE_OF)}")
            continue
        if table == "persons":
            continue
        start, end = value["start"], value["end"]
        written, given = text[start:end], values[id(region)]
        row = {column: given.get(column) for column in REGIONS[table].columns}
        if table == "ratios" and row["achieved"] is None and (figures := _RATIO.fullmatch(written)):
            row |= {"achieved": int(figures[1]), "total": int(figures[2]), "unit": figures[3].strip() or None}
        missing = [column for column in _NEEDED.get(table, ()) if row.get(column) in (None, "")]
        if missing:
            problems.append(f"{_where(task, region)}: write {', '.join(missing)} in its meta (JSON)")
        # The relations say whose title it is; without any (Label Studio drops a deleted mention's), the
        # holders it was exported with.
        exported = given.get("persons") or given.get("person_name") or []
        who = sorted(set(holders.get(region.get("id", ""), []))) or (
            [exported] if isinstance(exported, str) else exported
        )
        if table == "roles" and not who:
            problems.append(f"{_where(task, region)}: whose title? link it to a PER region with a relation")
        if missing or (table == "roles" and not who):
            continue
        span = {"start": start, "end": end}
        if table == "roles":
            line["roles"] += [{"person_name": name, **row, "raw": written, **span} for name in who]
        elif table == "organizations":
            line[table].append({"name": written, **row, **span})
        else:
            line[table].append({**row, "text": written, **span})
    line["persons"] = [{"name": name, "mentions": [list(m) for m in sorted(spans)]} for name, spans in persons.items()]
    line["persons"].sort(key=lambda person: person["mentions"][0])
    line["event"] = _event(task, result, problems)
    return line


def _event(task: Row, result: list[Row], problems: list[str]) -> Row | None:
    """The event the researcher left in the `event` text area, else the one the task was exported with."""
    areas = [r for r in result if r.get("type") == "textarea" and r.get("from_name") == "event"]
    if not areas:
        return task["data"].get("event")
    written = "\n".join(areas[-1]["value"].get("text") or []).strip()
    try:
        event = json.loads(written) if written else None
    except json.JSONDecodeError as error:
        problems.append(f"{task['data'].get('source_path')}: the event is not JSON ({error.msg}): {written!r}")
        return None
    if event is not None and not (isinstance(event, dict) and event.get("event_type")):
        problems.append(f"{task['data'].get('source_path')}: the event needs an event_type, or null: {written!r}")
        return None
    return None if event is None else {"event_type": None, "event_date": None, "chaired_by": []} | event


def import_export(export: list[Row]) -> list[Row]:
    """Gold lines from a Label Studio export: each task's latest annotation that was not cancelled.

    Raises ImportProblem listing every region that cannot become gold as it is.
    """
    from pipeline.evaluate import gold_problems

    lines, problems = [], []
    for task in export:
        annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
        if not annotations:
            continue
        line = _gold_line(task, annotations[-1].get("result", []), problems)
        problems += [f"{line.get('source_path')}: {problem}" for problem in gold_problems(line)]
        lines.append(line)
    if problems:
        raise ImportProblem(
            f"the export cannot become gold as it is ({len(problems)} problems); nothing was written:\n  "
            + "\n  ".join(problems)
        )
    return lines


def write_jsonl(path: Path, lines: Iterable[Row], replace: bool = False) -> None:
    write_new(path, "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), replace)


def write_new(path: Path, text: str, replace: bool = False) -> None:
    """Write TEXT to PATH, never through a link. Unless REPLACE, only where nothing is: a file, or a link
    (even to nowhere), there already is FileExistsError and is left as it was. With REPLACE, it is written
    as the tables are (emit.write_text: renamed over PATH, which replaces a link itself, never its target)."""
    if replace:
        write_text(path, text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    handle = os.open(path, flags, 0o666)  # O_EXCL: fails on anything there, a dangling link too
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
    except BaseException:
        path.unlink(missing_ok=True)  # made by this call: a half-written file is not left behind
        raise
