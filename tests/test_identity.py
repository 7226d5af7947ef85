"""Keys across articles (pipeline/identity.py, pipeline/across.py) on real sentences of the corpus."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline import across, extract_text, identity
from pipeline.identity import article_province, clean_body, provinces_named
from pipeline.runner import Settings, run

# Two mentions of the province make it the article's (sentences after src_vietnews_002 and a Trà Vinh portal).
TRA_VINH = (
    "Hội nghị Ban Chấp hành Đảng bộ tỉnh Trà Vinh\n\n"
    "Ngày 20/1/2022, Tỉnh ủy Trà Vinh tổ chức hội nghị. Đồng chí Dương Thị Ngọc Thơ, Phó Chủ tịch HĐND tỉnh "
    "phát biểu. Ông Lê Văn Hẳn, nguyên Bí thư Tỉnh ủy dự hội nghị."
)
QUANG_NINH = (
    "Hội nghị Tỉnh ủy Quảng Ninh\n\n"
    "Ngày 8/3/2022, tỉnh Quảng Ninh tổ chức hội nghị. Đồng chí Dương Thị Ngọc Thơ, Phó Chủ tịch HĐND tỉnh phát biểu."
)
NO_PLACE = "Hội nghị chi bộ\n\nNgày 15/5/2023, đồng chí Dương Thị Ngọc Thơ, Phó Chủ tịch HĐND tỉnh phát biểu."


def _role(records: dict, name: str) -> object:
    return next(role for role in records["roles"] if role.person_name == name)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("HĐND TP. HCM nhiệm kỳ 2016-2021", "Hội đồng nhân dân thành phố Hồ Chí Minh"),
        ("Thành ủy thành phố HCM", "Thành ủy Hồ Chí Minh"),
        ("Huyện ủy huyện Long Thành", "Huyện ủy Long Thành"),
        ("Ban chấp hành trung ương Đảng đã", "Ban Chấp hành Trung ương Đảng"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Ủy ban Kiểm tra Trung ương khóa XII", "Ủy ban Kiểm tra Trung ương"),
        # A level word spelt otherwise before a place (places.yaml kinds, level_abbreviations) is the word.
        ("UBND Tp.Cần Thơ", "Ủy ban nhân dân thành phố Cần Thơ"),
        ("Sở Tài chính Tỉnh Bến Tre", "Sở Tài chính tỉnh Bến Tre"),
        ("Tỉnh ủy Bến Tre", "Tỉnh ủy Bến Tre"),  # a committee, not a level word
        ("Thị ủy thị xã Hồng Lĩnh", "Thị ủy Hồng Lĩnh"),
    ],
)
def test_clean_body(written: str, canonical: str) -> None:
    assert clean_body(written) == canonical


@pytest.mark.parametrize(
    ("written", "units"),
    [
        ("Ủy ban nhân dân xã Thạch Hạ", (("xã", "Thạch Hạ"),)),
        ("Thị ủy thị xã Hồng Lĩnh", (("thị xã", "Hồng Lĩnh"),)),  # never ("xã", "Hồng Lĩnh"): "xã" ends "thị xã"
        ("Tỉnh ủy Bến Tre", ()),  # a province is not a unit below it
    ],
)
def test_units_named_by_a_body(written: str, units: tuple[tuple[str, str], ...]) -> None:
    assert identity._units_named(written) == units


@pytest.mark.parametrize(
    ("title", "organization", "body"),
    [
        ("Bí thư", "Đà Nẵng", "Thành ủy Đà Nẵng"),  # the committee of the province's kind (places.yaml kinds)
        ("Phó Bí thư", "tỉnh Bến Tre", "Tỉnh ủy Bến Tre"),
        ("Chủ tịch", "TP. HCM", "Ủy ban nhân dân thành phố Hồ Chí Minh"),
        ("Bí thư", "Tỉnh", "Tỉnh ủy"),  # "tỉnh" alone is the article's province
        ("Chủ tịch", "tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Bí thư", "Thành phố", "Thành phố"),  # "thành phố" alone may be a city inside the province
        ("Giám đốc", "Đà Nẵng", "Đà Nẵng"),  # a title of neither committee
    ],
)
def test_a_body_written_as_its_place_alone_is_the_titles_committee(title: str, organization: str, body: str) -> None:
    assert identity._role_body({"title": title, "organization": organization}) == body


@pytest.mark.parametrize(
    ("site", "title", "text", "province"),
    [
        ("ĐOÀN ĐBQH VÀ HĐND TỈNH HẬU GIANG - ĐẠI BIỂU NHÂN DÂN", None, "Hội nghị tổng kết.", "Hậu Giang"),
        (None, "Bí thư Thành ủy Hà Nội thăm Ba Vì", "Bí thư Thành ủy Hà Nội làm việc.", "Hà Nội"),
        # A national article names many provinces, none twice as often as the others: no province.
        (None, None, "ông Trà, Phó bí thư Tỉnh ủy Phú Yên, quê tỉnh Nghệ An, từng công tác ở tỉnh Hà Tĩnh.", None),
        # "Thái Bình" alone may be a person: only a qualified mention counts.
        (None, None, "Ông Thái Bình phát biểu. Ông Thái Bình kết luận.", None),
    ],
)
def test_article_province(site: str | None, title: str | None, text: str, province: str | None) -> None:
    assert article_province(site, None, title, text) == province


# A centrally-run city counts written bare, another province only with its qualifier ("tỉnh Quảng Nam").
CITIES = (
    "Sáng 5/2, tại Hà Nội, đoàn công tác của tỉnh Quảng Nam làm việc với Quảng Nam Group và TP. Đà Nẵng, Hải Phòng."
)


def test_cities_named_bare_are_found_where_their_name_is(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = ["Hà Nội", "Quảng Nam", "Đà Nẵng", "Hải Phòng"]
    assert list(identity._provinces_in(CITIES)) == expected
    # The same as reading every spelling in order, as the code does when a spelling could run into a name.
    scanning = dataclasses.replace(identity.rules(), cities_alone=False)
    monkeypatch.setattr(identity, "rules", lambda: scanning)
    assert list(identity._provinces_in(CITIES)) == expected
    assert provinces_named("Hội đồng nhân dân tỉnh") == ()


@pytest.mark.parametrize(
    "text", [CITIES, TRA_VINH, QUANG_NINH, "Đảng bộ tỉnh Trà Vinh và Tỉnh ủy Bến Tre, TP.HCM, TPHCM"]
)
def test_qualified_names_are_read_where_a_qualifier_begins_as_a_scan_reads_them(text: str) -> None:
    scanned = [match.span() for match in identity.rules().qualified.finditer(text)]
    assert [match.span() for match in identity._qualified(text)] == scanned != []


def test_province_level_body_takes_the_articles_province() -> None:
    records = extract_text(TRA_VINH)
    assert records["articles"][0].province == "Trà Vinh"
    role = _role(records, "Dương Thị Ngọc Thơ")
    assert role.org_canonical == "Hội đồng nhân dân tỉnh Trà Vinh"
    assert role.former is False
    assert str(role.as_of) == "2022-01-20"
    former = _role(records, "Lê Văn Hẳn")
    assert (former.title, former.org_canonical, former.former) == ("Bí thư", "Tỉnh ủy Trà Vinh", True)


def test_a_bare_body_without_a_province_is_never_guessed() -> None:
    first, second = extract_text(NO_PLACE), extract_text(NO_PLACE.replace("phát biểu", "kết luận"))
    assert first["articles"][0].province is None
    role = _role(first, "Dương Thị Ngọc Thơ")
    assert role.org_canonical == "Hội đồng nhân dân tỉnh"
    # Two articles of unknown province: not one body, not one human.
    assert role.org_key != _role(second, "Dương Thị Ngọc Thơ").org_key
    assert first["persons"][0].person_key != second["persons"][0].person_key


def test_namesakes_in_two_provinces_get_two_keys_and_one_province_one() -> None:
    tra_vinh, quang_ninh = extract_text(TRA_VINH), extract_text(QUANG_NINH)
    again = extract_text(TRA_VINH.replace("dự hội nghị", "dự và phát biểu"))
    key = {p.name: p.person_key for p in tra_vinh["persons"]}["Dương Thị Ngọc Thơ"]
    assert _role(quang_ninh, "Dương Thị Ngọc Thơ").person_key != key
    assert _role(again, "Dương Thị Ngọc Thơ").person_key == key
    assert _role(tra_vinh, "Dương Thị Ngọc Thơ").person_key == key


@pytest.mark.parametrize(
    ("text", "keys", "systems"),
    [
        # src_vietnews_043: the later bare "chỉ thị 05" is the same directive.
        (
            "Hội nghị sơ kết 3 năm thực hiện chỉ thị số 05 của Bộ Chính trị. Tổ chức thực hiện chỉ thị số 05 gắn với "
            "Nghị quyết Trung ương 4 (khóa XII).",
            ["05-CT/TW", "05-CT/TW", "Nghị quyết Trung ương 4 (khóa XII)"],
            [None, None, "party"],
        ),
        # A local symbol is its province's; a state symbol of the Government is one everywhere.
        (
            "Tỉnh ủy Trà Vinh họp. Thực hiện Đề án số 16-ĐA/TU ngày 03/01/2020 của Ban Thường vụ Tỉnh ủy tỉnh Trà "
            "Vinh và Nghị định số 12/2023/NĐ-CP.",
            ["16-ĐA/TU@Trà Vinh", "12/2023/NĐ-CP"],
            ["party", "state"],
        ),
    ],
)
def test_document_keys(text: str, keys: list[str], systems: list[str | None]) -> None:
    documents = sorted(extract_text(text)["documents"], key=lambda d: d.start)
    assert [d.doc_key for d in documents] == keys
    assert [d.system for d in documents][-1] == systems[-1]


def test_a_local_symbol_of_an_unknown_province_is_keyed_to_its_article() -> None:
    documents = extract_text("Thực hiện Đề án số 16-ĐA/TU của Ban Thường vụ Tỉnh ủy.")["documents"]
    assert documents[0].doc_key.startswith("16-ĐA/TU@A:")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # src_vietnews_010, a national article: the person's own titles name the province of the bare ones.
        (
            "Trung ương đã bầu ông Hoàng Văn Trà - Phó bí thư Tỉnh ủy, Chủ tịch UBND tỉnh, Trưởng đoàn đại biểu "
            "Quốc hội tỉnh Phú Yên giữ chức Ủy viên Ủy ban Kiểm tra Trung ương khóa XII.",
            [
                ("Hoàng Văn Trà", "Phó Bí thư", "Tỉnh ủy Phú Yên"),
                ("Hoàng Văn Trà", "Chủ tịch", "Ủy ban nhân dân tỉnh Phú Yên"),
                ("Hoàng Văn Trà", "Trưởng Đoàn", "Đoàn đại biểu Quốc hội tỉnh Phú Yên"),
                ("Hoàng Văn Trà", "Ủy viên", "Ủy ban Kiểm tra Trung ương"),
            ],
        ),
        # src_vietnews_166: "Chủ tịch tỉnh X" is the people's committee's; "tỉnh này" is not resolved.
        (
            "Ủy ban Kiểm tra Trung ương quyết định khiển trách ông Nguyễn Bốn, Phó bí thư Tỉnh ủy, Chủ tịch tỉnh "
            "Đăk Nông; cảnh cáo ông Trương Thanh Tùng, Phó chủ tịch tỉnh này.",
            [
                ("Nguyễn Bốn", "Phó Bí thư", "Tỉnh ủy Đắk Nông"),
                ("Nguyễn Bốn", "Chủ tịch", "Ủy ban nhân dân tỉnh Đắk Nông"),
                ("Trương Thanh Tùng", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh"),
            ],
        ),
        # src_vietnews_114: a bare "Quận ủy" is the one district the article names, with its level word.
        (
            "Ban Thường vụ Thành ủy TP HCM thi hành kỷ luật. Ông Hà Văn Lợi (ủy viên Ban Thường vụ Quận ủy, "
            "Trưởng ban Tổ chức Quận ủy quận 8) bị khiển trách.",
            [
                ("Hà Văn Lợi", "Ủy viên Ban Thường vụ", "Quận ủy quận 8"),
                ("Hà Văn Lợi", "Trưởng Ban", "Ban Tổ chức Quận ủy quận 8"),
            ],
        ),
    ],
)
def test_role_bodies(text: str, expected: list[tuple[str, str, str]]) -> None:
    roles = extract_text(text)["roles"]
    assert sorted((role.person_name, role.title, role.org_canonical) for role in roles) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # src_vietnews_155: a province committee's rule without a symbol, in a Hồ Chí Minh article.
        (
            "Thành ủy TP HCM họp. Hội nghị nghe báo cáo thực hiện Quy định 1374 của Ban thường vụ Thành ủy về quy "
            "trình giải quyết thông tin. Lãnh đạo TP HCM kết luận.",
            "1374-QĐ/TU@Hồ Chí Minh",
        ),
        # src_vietnews_035: "Trung ương" of the Lawyers' Association is not the Party's Central Committee.
        (
            "Thực hiện nghị quyết số 339 ngày 30/10/2018 của Ban chấp hành Trung ương Hội Luật gia Việt Nam về việc "
            "tổ chức đại hội.",
            None,
        ),
    ],
)
def test_document_keys_from_the_issuer(text: str, key: str | None) -> None:
    document = extract_text(text)["documents"][0]
    if key is None:
        assert document.doc_key.startswith("Nghị quyết 339@A:")
    else:
        assert document.doc_key == key


def test_people_and_tenures_across_articles(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(TRA_VINH, encoding="utf-8")
    (raw / "b.txt").write_text(TRA_VINH.replace("20/1/2022", "3/5/2022"), encoding="utf-8")
    (raw / "c.txt").write_text(QUANG_NINH, encoding="utf-8")
    out = tmp_path / "out"
    run(raw, out, Settings(workers=1), progress=False)
    tables = across.build(out)
    people = tables["people"].to_pylist()
    tho = sorted((p for p in people if p["name"] == "Dương Thị Ngọc Thơ"), key=lambda p: -p["n_articles"])
    assert [(p["n_articles"], p["provinces"]) for p in tho] == [(2, ["Trà Vinh"]), (1, ["Quảng Ninh"])]
    assert (str(tho[0]["first_seen"]), str(tho[0]["last_seen"])) == ("2022-01-20", "2022-05-03")
    tenure = next(t for t in tables["tenures"].to_pylist() if t["person_key"] == tho[0]["person_key"])
    assert (tenure["title"], tenure["org_canonical"], tenure["n_articles"]) == (
        "Phó Chủ tịch",
        "Hội đồng nhân dân tỉnh Trà Vinh",
        2,
    )
    assert (out / "people" / "derived.parquet").exists() and (out / "tenures" / "derived.parquet").exists()
