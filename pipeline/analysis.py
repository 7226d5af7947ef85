"""Open the output tables for analysis: a DuckDB connection with one view per table, or pandas frames.

from pipeline.analysis import connect
con = connect("data/processed")
con.sql("SELECT person_name, title, count(*) FROM roles GROUP BY ALL ORDER BY 3 DESC").df()
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from pipeline.across import TABLES as ACROSS
from pipeline.tables import TABLES


def connect(path: str | Path = "data/processed") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection where each of the nine tables under PATH is a view of its name, and
    so are `people` and `tenures`, the tables across articles, when the run made them."""
    folder = Path(path)
    con = duckdb.connect()
    for table in TABLES:
        parts = folder / table
        if not parts.is_dir() or not any(parts.glob("*.parquet")):
            raise FileNotFoundError(f"no table '{table}' under {folder}: run `make extract` first")
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{parts.as_posix()}/*.parquet')")
    for table in ACROSS:  # the tables across articles (people, tenures), when the run made them
        if (folder / table).is_dir() and any((folder / table).glob("*.parquet")):
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{(folder / table).as_posix()}/*.parquet')")
    return con


def frames(path: str | Path = "data/processed") -> dict[str, pd.DataFrame]:
    """The nine tables as pandas DataFrames."""
    con = connect(path)
    return {table: con.table(table).df() for table in TABLES}
