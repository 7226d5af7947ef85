from pipeline.validate import validate

TEXT = "Theo Chương trình số 13-CTr/ĐUK ngày 17/4/20201 về nâng cao năng lực"


def _date_row(**changes: object) -> dict[str, object]:
    start = TEXT.index("17/4")
    row = {
        "article_id": "a1", "text": "17/4/20201", "value": None, "value_end": None, "granularity": "day",
        "year_inferred": False, "valid": False, "start": start, "end": start + 10, "rule": "date.day",
    }  # fmt: skip
    return {**row, **changes}


def test_a_flagged_bad_value_is_kept_as_a_record() -> None:
    records, errors = validate({"dates": [_date_row()]}, TEXT, "x.txt")
    assert errors == []
    assert records["dates"][0].text == "17/4/20201" and records["dates"][0].valid is False


def test_offsets_that_miss_their_text_become_an_error_row() -> None:
    records, errors = validate({"dates": [_date_row(start=0, end=10)]}, TEXT, "x.txt")
    assert records == {}
    assert errors[0].stage == "validate" and errors[0].source_path == "x.txt"
    assert "'Theo Chươn'" in errors[0].message and "date.day" in errors[0].message


def test_a_row_that_breaks_its_model_becomes_an_error_row() -> None:
    records, errors = validate({"dates": [_date_row(granularity="week")]}, TEXT, "x.txt")
    assert records == {}
    assert "granularity" in errors[0].message


def test_one_bad_row_leaves_the_other_rows_of_its_table_in_order() -> None:
    rows = [_date_row(), _date_row(granularity="week", rule="date.week"), _date_row(rule="date.again")]
    records, errors = validate({"dates": rows}, TEXT, "x.txt")
    assert [record.rule for record in records["dates"]] == ["date.day", "date.again"]
    assert len(errors) == 1 and "'date.week' rejected: granularity:" in errors[0].message
