import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.emit import SCHEMAS, write_table, write_text
from pipeline.models import DateMention
from pipeline.store import Batch, Store


def test_every_table_has_its_design_columns() -> None:
    required = {
        "articles": "article_id source_path site url title author published_date text n_chars pipeline_version",
        "persons": "article_id person_id name n_mentions start end",
        "roles": "article_id person_id person_name title organization raw start end",
        "organizations": "article_id name name_expanded kind level start end",
        "dates": "article_id text value value_end granularity year_inferred valid start end",
        "documents": "article_id text symbol number type_code doc_type issuer_code issuer issued_date title start end",
        "ratios": "article_id text achieved total unit qualifier period start end",
        "events": "article_id event_type event_date organizer location chaired_by attendees",
        "errors": "source_path stage error_type message",
    }
    assert set(SCHEMAS) == set(required)
    for table, columns in required.items():
        assert set(columns.split()) <= set(SCHEMAS[table].names), table


def test_schema_types_follow_the_models() -> None:
    dates = SCHEMAS["dates"]
    assert dates.field("value").type == pa.date32() and dates.field("value").nullable
    assert dates.field("start").type == pa.int64() and not dates.field("start").nullable
    assert SCHEMAS["events"].field("attendees").type == pa.list_(pa.string())


def test_empty_tables_are_written_with_their_schema(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.prepare()
    store.commit(Batch("b1", "rules"), {})
    for table, schema in SCHEMAS.items():
        written = pq.read_table(tmp_path / table)
        assert written.num_rows == 0
        assert written.schema.equals(schema, check_metadata=False)


def test_records_round_trip(tmp_path: Path) -> None:
    record = DateMention(
        article_id="a1", text="15/5/2023", value=dt.date(2023, 5, 15), value_end=dt.date(2023, 5, 15),
        granularity="day", year_inferred=False, valid=True, start=10, end=19, rule="date.day",
    )  # fmt: skip
    store = Store(tmp_path)
    store.prepare()
    store.commit(Batch("b1", "rules"), {"dates": [record]})
    assert pq.read_table(tmp_path / "dates").to_pylist() == [record.model_dump()]


def test_a_failed_write_leaves_the_old_table_and_no_temporary_file(tmp_path: Path) -> None:
    schema = SCHEMAS["errors"]
    path = tmp_path / "errors.parquet"
    good = {"source_path": "a.txt", "stage": "ingest", "error_type": "EmptyInput", "message": "empty"}
    write_table(path, schema, [good])
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError, TypeError)):
        write_table(path, schema, [{**good, "message": 42}])
    assert pq.read_table(path).to_pylist() == [good]
    assert [p.name for p in tmp_path.iterdir()] == ["errors.parquet"]


def test_a_report_written_over_a_link_replaces_the_link_not_its_target(tmp_path: Path) -> None:
    # eval.md, eval_identity.md and the audit pages are written so: a link there is never written through.
    victim = tmp_path / "victim.txt"
    victim.write_text("mine", encoding="utf-8")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "eval.md").symlink_to(victim)
    write_text(tmp_path / "reports" / "eval.md", "# Evaluation\n")
    assert victim.read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "reports" / "eval.md").is_symlink()
    assert (tmp_path / "reports" / "eval.md").read_text(encoding="utf-8") == "# Evaluation\n"
    assert sorted(path.name for path in (tmp_path / "reports").iterdir()) == ["eval.md"]  # no temporary left
