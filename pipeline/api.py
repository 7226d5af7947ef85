"""A small Python API for researchers who work on strings.

    from pipeline import extract_text
    records = extract_text("Đồng chí Nguyễn Văn A, Bí thư Tỉnh ủy Trà Vinh phát biểu.")
    records["roles"][0].org_canonical     # 'Tỉnh ủy Trà Vinh'

The string goes through the same stages as a file in `make extract` (normalise, layout, tag, extract,
resolve, identity, validate); the result is the validated records of every table (Pydantic models of
pipeline/models.py; an empty list when the text has none), with "articles" holding the one article and
"errors" any record that failed.
"""

from __future__ import annotations

import datetime as dt

from pipeline.models import Record
from pipeline.tables import TABLES


def extract_text(
    text: str, *, published_date: dt.date | None = None, site: str | None = None, url: str | None = None
) -> dict[str, list[Record]]:
    """The validated records of one article given as a string, by table name."""
    from pipeline.ingest import RawPage
    from pipeline.page import Settings, process_page

    page = RawPage(
        source_path="<string>", text=text, encoding="utf-8", url=url, published_date=published_date, site=site
    )
    records = process_page(page, Settings(raise_errors=True)).records
    return {table: records.get(table, []) for table in TABLES}
