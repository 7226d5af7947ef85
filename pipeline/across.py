"""Tables made across articles: `people` and `tenures`, grouped by the keys each article's analysis gave
(pipeline/identity.py). DuckDB reads the per-article table folders and aggregates out of core, so the cost
is one scan of persons and roles (memory flat, well under a minute for 100,000 articles), and the result is
a function of the tables alone: the same tables give the same rows on every run and machine.

The runner writes the result through `Store.write_derived` (one `derived.parquet` per table), after the
batches of a run, unless each file says it was made from the batches committed now (`Store.derived_current`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

TABLES = ("people", "tenures")

# The date a person or title is seen: the role's as_of, else the article's publication date.
_PEOPLE = """
WITH mentions AS (
    SELECT p.person_key, p.name, p.article_id, a.published_date, a.province
    FROM read_parquet('{persons}') p JOIN read_parquet('{articles}') a USING (article_id)
    WHERE p.person_key IS NOT NULL
),
dated AS (
    SELECT person_key, article_id, max(as_of) AS as_of
    FROM read_parquet('{roles}') WHERE person_key IS NOT NULL GROUP BY ALL
)
SELECT m.person_key,
       mode(m.name ORDER BY m.name) AS name,
       list(DISTINCT m.name ORDER BY m.name) AS variants,
       count(DISTINCT m.article_id) AS n_articles,
       min(coalesce(d.as_of, m.published_date)) AS first_seen,
       max(coalesce(d.as_of, m.published_date)) AS last_seen,
       list(DISTINCT m.province ORDER BY m.province) FILTER (WHERE m.province IS NOT NULL) AS provinces
FROM mentions m LEFT JOIN dated d USING (person_key, article_id)
GROUP BY m.person_key
ORDER BY n_articles DESC, name, m.person_key
"""

_TENURES = """
SELECT r.person_key,
       mode(r.person_name ORDER BY r.person_name) AS name,
       r.title,
       r.org_key,
       mode(r.org_canonical ORDER BY r.org_canonical) AS org_canonical,
       r.former,
       min(coalesce(r.as_of, a.published_date)) AS first_seen,
       max(coalesce(r.as_of, a.published_date)) AS last_seen,
       count(DISTINCT r.article_id) AS n_articles,
       list(DISTINCT r.article_id ORDER BY r.article_id) AS article_ids
FROM read_parquet('{roles}') r JOIN read_parquet('{articles}') a USING (article_id)
WHERE r.person_key IS NOT NULL
GROUP BY r.person_key, r.title, r.org_key, r.former
ORDER BY name, r.person_key, first_seen NULLS LAST, r.title, r.org_key NULLS LAST, r.former
"""

_SCHEMAS = {
    "people": pa.schema(
        [
            pa.field("person_key", pa.string(), nullable=False),
            pa.field("name", pa.string()),
            pa.field("variants", pa.list_(pa.string())),
            pa.field("n_articles", pa.int64()),
            pa.field("first_seen", pa.date32()),
            pa.field("last_seen", pa.date32()),
            pa.field("provinces", pa.list_(pa.string())),
        ]
    ),
    "tenures": pa.schema(
        [
            pa.field("person_key", pa.string(), nullable=False),
            pa.field("name", pa.string()),
            pa.field("title", pa.string()),
            pa.field("org_key", pa.string()),
            pa.field("org_canonical", pa.string()),
            pa.field("former", pa.bool_()),
            pa.field("first_seen", pa.date32()),
            pa.field("last_seen", pa.date32()),
            pa.field("n_articles", pa.int64()),
            pa.field("article_ids", pa.list_(pa.string())),
        ]
    ),
}


def build(tables: Path) -> dict[str, pa.Table]:
    """`people` and `tenures` from the per-article table folders under TABLES (empty tables, with their
    schemas, when there are no articles yet)."""
    parts = {name: tables / name / "*.parquet" for name in ("articles", "persons", "roles")}
    if not all(any(path.parent.glob("*.parquet")) for path in parts.values()):
        return {name: schema.empty_table() for name, schema in _SCHEMAS.items()}
    paths = {name: str(path).replace("'", "''") for name, path in parts.items()}
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 2")
        out = {
            "people": con.sql(_PEOPLE.format(**paths)).to_arrow_table(),
            "tenures": con.sql(_TENURES.format(**paths)).to_arrow_table(),
        }
    finally:
        con.close()
    return {name: _as(table, _SCHEMAS[name]) for name, table in out.items()}


def _as(table: pa.Table, schema: pa.Schema) -> pa.Table:
    columns = [table.column(field.name).cast(field.type) for field in schema]
    return pa.Table.from_arrays(columns, schema=schema)
