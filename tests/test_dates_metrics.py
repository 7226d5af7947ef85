"""The scorer's date and event metrics (score_when) on hand-built gold and predictions."""

from __future__ import annotations

import datetime as dt

from pipeline.evaluate import score_when, when_line

TEXT = "Sáng 6/11, Đảng bộ Khối tổ chức kỷ niệm (7/11/1948-7/11/2018). Trong hai ngày 25-26/12, Quyết định số 5-QĐ/TW"


def _span(text: str) -> dict:
    start = TEXT.index(text)
    return {"text": text, "start": start, "end": start + len(text)}


GOLD = {
    "dates": [
        {**_span("6/11"), "value": "2018-11-06", "value_end": "2018-11-06", "granularity": "day"},
        {**_span("7/11/1948-7/11/2018"), "value": "1948-11-07", "value_end": "2018-11-07", "granularity": "range"},
        {**_span("25-26/12"), "value": "2018-12-25", "value_end": "2018-12-26", "granularity": "range"},
    ],
    "documents": [{**_span("Quyết định số 5-QĐ/TW"), "symbol": "5-QĐ/TW", "issued_date": "2018-01-02"}],
    "ratios": [],
    "event": {
        "event_type": "lễ kỷ niệm",
        "event_date": "2018-11-06",
        "event_end": "2018-11-06",
        "chaired_by": [],
        "attendees": ["Trần Quốc Vượng", "Lê Khả Phiêu"],
    },
}


def test_each_metric_counts_right_and_wrong() -> None:
    predicted = {
        "dates": [
            # a partial date whose year was inferred right, one whose year was inferred wrong, one left empty
            {**_span("6/11"), "value": dt.date(2018, 11, 6), "value_end": dt.date(2018, 11, 6), "granularity": "day",
             "year_inferred": True},
            # the anniversary read as two days: the range is missed
            {**_span("7/11/1948"), "value": dt.date(1948, 11, 7), "value_end": dt.date(1948, 11, 7),
             "granularity": "day", "year_inferred": False},
            {**_span("25-26/12"), "value": dt.date(2017, 12, 25), "value_end": dt.date(2017, 12, 26),
             "granularity": "range", "year_inferred": True},
        ],
        "documents": [{**_span("Quyết định số 5-QĐ/TW"), "issued_date": None}],
        "events": [{"event_type": "lễ kỷ niệm", "event_date": dt.date(2018, 11, 6), "event_end": None,
                    "attendees": ["Trần Quốc Vượng", "Sơn Minh Thắng"]}],
    }  # fmt: skip
    counts: dict[str, int] = {}
    score_when(GOLD, predicted, counts)
    assert counts == {
        "year_inferred": 2, "year_inferred_right": 1,
        "range": 2, "range_right": 0,
        "issued": 1, "issued_right": 0,
        "event_date": 1, "event_date_right": 1,
        "event_end": 1, "event_end_right": 0,
        "attendees_gold": 2, "attendees_found": 2, "attendees_right": 1,
    }  # fmt: skip
    assert when_line(counts) == (
        "event_date 1/1, event_end 0/1, year_inferred 1/2, range 0/2, issued 0/1, attendees P 1/2 R 1/2, inferred_empty 0"
    )


def test_an_article_without_event_or_predictions_counts_its_gold_only() -> None:
    counts: dict[str, int] = {}
    score_when({**GOLD, "event": None}, {}, counts)
    assert counts == {"range": 2, "range_right": 0, "issued": 1, "issued_right": 0}
