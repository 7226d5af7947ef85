"""The rules as data: placeholders that let a list be written once, and the schema check of every file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import patterns
from pipeline.extract import find_documents


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty patterns folder to write files into, read instead of the package's."""
    monkeypatch.setattr(patterns, "PATTERNS_DIR", tmp_path)
    patterns.load.cache_clear()
    patterns._raw.cache_clear()
    yield tmp_path
    patterns.load.cache_clear()
    patterns._raw.cache_clear()


def test_a_placeholder_stands_for_a_list_in_a_list_and_for_its_alternation_in_a_regex(rules: Path) -> None:
    (rules / "a.yaml").write_text("codes: {NQ: Nghị quyết, CTr: Chương trình}\nwords: [x, <<a.codes>>, y]\n")
    (rules / "b.yaml").write_text("regex: '(?P<code><<a.codes>>)/\\d+'\n")
    assert patterns.load("a")["words"] == ["x", "NQ", "CTr", "y"]
    assert patterns.load("b")["regex"] == r"(?P<code>(?:CTr|NQ))/\d+"
    (rules / "c.yaml").write_text("year: '(?:19|20)\\d{2}'\nterm: 'nhiệm kỳ <<c.year>>-<<c.year>>'\n")
    assert patterns.load("c")["term"] == r"nhiệm kỳ (?:(?:19|20)\d{2})-(?:(?:19|20)\d{2})"


def test_every_type_code_is_read_in_a_slashed_symbol() -> None:
    codes = patterns.load("documents")["type_codes"]
    for code in codes:  # written once, in type_codes; the regex takes them by a placeholder
        [found] = find_documents(f"Thực hiện văn bản số 19/{code}/TW của Bộ Chính trị.")
        assert (found.rule, found.groups["type_code"], found.groups["symbol"]) == (
            "doc.slashed_symbol",
            code,
            f"19/{code}/TW",
        )


def test_the_package_rules_follow_their_schemas() -> None:
    patterns.check()  # raises RulesError naming the file and key otherwise


def test_a_broken_regex_is_reported_with_its_file_and_key(rules: Path) -> None:
    for name in ("titles", "organizations", "persons", "dates", "documents", "ratios", "events", "furniture"):
        (rules / f"{name}.yaml").write_text("{}\n")
    (rules / "dates.yaml").write_text("patterns:\n  - {name: date.day, regex: '(unclosed'}\n")
    with pytest.raises(patterns.RulesError) as raised:
        patterns.check()
    message = str(raised.value)
    assert "dates.yaml: patterns.0.regex: Value error, not a valid regex" in message
    assert "titles.yaml: heads: Field required" in message and "legacy_encodings.yaml: missing" in message


@pytest.mark.parametrize(
    ("file", "old", "new", "says"),
    [
        ("ratios.yaml", "(?P<achieved>", "(?P<a>", "ratios.yaml: regex: Value error, the regex lacks the named group(s) achieved"),
        ("events.yaml", "(?P<location>", "(?P<place>", "events.yaml: location: Value error, the regex lacks the named group(s) location"),
        ("ratios.yaml", "units: [", "units: ['', ", "ratios.yaml: units.0: String should have at least 1 character"),
        ("places.yaml", "Hà Nội: {kind: thành phố", "Hà Nội: {kind: thủ đô", "places.yaml: (the file): Value error, provinces.Hà Nội: 'thủ đô' is not one of the kinds"),
        ("identity.yaml", "  Thành ủy: thành phố", "  Thành ủy: thủ đô", "identity.yaml: place_after.Thành ủy: Value error, 'thủ đô' is not one of the kinds"),
        ("identity.yaml", "named_document_key: '{name} (khóa {term})'", "named_document_key: '{name}'", "identity.yaml: named_document_key: Value error, the template must name exactly {name}, {term}, not"),
    ],
)  # fmt: skip
def test_a_value_the_code_cannot_read_is_refused_with_its_file_and_key(
    rules: Path, file: str, old: str, new: str, says: str
) -> None:
    package = Path(__file__).resolve().parent.parent / "pipeline" / "patterns"
    for path in package.glob("*.yaml"):
        (rules / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = (rules / file).read_text(encoding="utf-8")
    assert old in text
    (rules / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(patterns.RulesError) as raised:
        patterns.check()
    assert says in str(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thực hiện Chỉ thị 56 của Bộ Chính trị.", [("Chỉ thị", "56")]),
        ("Theo Kết luận so 01 ngày 5/5/2020 của Tỉnh ủy.", [("Kết luận", "01")]),  # "số" written without marks
        ("Nghị quyết 2 được thông qua.", []),  # a bare number with nothing after it is no document's
    ],
)
def test_the_words_around_a_documents_number_come_from_documents_yaml(text: str, expected: list) -> None:
    assert [(m.groups["doc_type"], m.groups["number"]) for m in find_documents(text)] == expected


@pytest.mark.parametrize(
    ("yaml", "says"),
    [
        ("words: [<<a.nokey>>]\n", "a.yaml: <<a.nokey>>: a.yaml has no key 'nokey'"),
        ("words: [<<nofile.codes>>]\n", "a.yaml: <<nofile.codes>>: there is no nofile.yaml"),
        ("n: 3\nwords: [<<a.n>>]\n", "a.yaml: <<a.n>>: a int, not a list, a mapping or a regex"),
        ("r: 'x+'\nwords: [<<a.r>>]\n", "a.yaml: <<a.r>>: a regex stands inside a regex, not as an item of a list"),
        ("r: '<<a.s>>'\ns: '<<a.r>>'\n", "a.yaml: <<a.s>>: it holds a placeholder itself"),
    ],
)
def test_a_placeholder_that_stands_for_nothing_is_refused_naming_it(
    rules: Path, monkeypatch: pytest.MonkeyPatch, yaml: str, says: str
) -> None:
    from pipeline.patterns import schemas

    (rules / "a.yaml").write_text(yaml, encoding="utf-8")
    monkeypatch.setattr(schemas, "SCHEMAS", {"a": schemas.Strict})
    with pytest.raises(patterns.RulesError) as raised:
        patterns.check()
    assert says in str(raised.value)
