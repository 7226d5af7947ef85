"""Persons and roles the tagger must find in real sentences of the genre (../shared/seeds and corpus)."""

from __future__ import annotations

import pytest
import regex

from pipeline.nlp import nlp
from pipeline.patterns import alternation, load
from pipeline.tag import rows, tag

Role = tuple[str, str, str | None]  # (person, title head, organization expanded)

CASES: list[tuple[str, list[str], list[Role]]] = [
    (  # name, then titles separated by commas; "Ủy viên Thường vụ" is the standing committee's member
        "Tham dự hội nghị có đồng chí Dương Thị Ngọc Thơ, Ủy viên Thường vụ, Phó Bí thư Đảng đoàn HĐND, "
        "Phó Chủ tịch HĐND tỉnh; đến dự và chỉ đạo Hội nghị có đồng chí Phạm Viết Thạch, Ủy viên Ban Thường vụ "
        "Đảng ủy Khối các cơ quan và doanh nghiệp và toàn thể đảng viên Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh.",
        ["Dương Thị Ngọc Thơ", "Phạm Viết Thạch"],
        [
            ("Dương Thị Ngọc Thơ", "Ủy viên Ban Thường vụ", None),
            ("Dương Thị Ngọc Thơ", "Phó Bí thư", "Đảng đoàn Hội đồng nhân dân"),
            ("Dương Thị Ngọc Thơ", "Phó Chủ tịch", "Hội đồng nhân dân tỉnh"),
            ("Phạm Viết Thạch", "Ủy viên Ban Thường vụ", "Đảng ủy Khối các cơ quan và doanh nghiệp"),
        ],
    ),
    (  # title, then name; three persons in one sentence separated by semicolons
        "Bí thư Thị ủy Lê Thành Đông; Phó Bí thư thường trực Thị ủy Nguyễn Thăng Long; Chủ tịch UBND thị xã "
        "Nguyễn Huy Hùng chủ trì hội nghị.",
        ["Lê Thành Đông", "Nguyễn Thăng Long", "Nguyễn Huy Hùng"],
        [
            ("Lê Thành Đông", "Bí thư", "Thị ủy"),
            ("Nguyễn Thăng Long", "Phó Bí thư thường trực", "Thị ủy"),
            ("Nguyễn Huy Hùng", "Chủ tịch", "Ủy ban nhân dân thị xã"),
        ],
    ),
    (  # name, dash, abbreviated titles; one person with three roles in two bodies
        "Tới dự và chỉ đạo buổi sinh hoạt chi bộ có đồng chí Lê Hải Quân - UVBTV, Trưởng Ban Tuyên giáo Đảng ủy "
        "Khối, đồng chí Nguyễn Duy Bình, Tỉnh uỷ viên - Bí thư Đảng ủy, Giám đốc Sở, cùng đại diện các đồng chí "
        "Bí thư chi bộ trực thuộc Đảng bộ Sở.",
        ["Lê Hải Quân", "Nguyễn Duy Bình"],
        [
            ("Lê Hải Quân", "Ủy viên Ban Thường vụ", None),
            ("Lê Hải Quân", "Trưởng Ban", "Ban Tuyên giáo Đảng ủy Khối"),
            ("Nguyễn Duy Bình", "Tỉnh ủy viên", None),
            ("Nguyễn Duy Bình", "Bí thư", "Đảng ủy"),
            ("Nguyễn Duy Bình", "Giám đốc", "Sở"),
        ],
    ),
    (  # abbreviation "PBT thường trực" is the head "Phó Bí thư thường trực"
        "Phát biểu của đồng chí PBT thường trực Thị ủy Nguyễn Thăng Long và kết luận của Bí thư Thị ủy "
        "Lê Thành Đông đã ghi nhận vai trò của đoàn công tác.",
        ["Nguyễn Thăng Long", "Lê Thành Đông"],
        [("Nguyễn Thăng Long", "Phó Bí thư thường trực", "Thị ủy"), ("Lê Thành Đông", "Bí thư", "Thị ủy")],
    ),
    (  # given names only after "đồng chí"
        "Đồng chí Thanh Tùng, Uỷ viên Ban Chấp hành Đảng bộ Kho bạc Nhà nước trao đổi: Năm 2021, là cấp uỷ "
        "trực tiếp tham mưu.",
        ["Thanh Tùng"],
        [("Thanh Tùng", "Ủy viên Ban Chấp hành", "Đảng bộ Kho bạc Nhà nước")],
    ),
    (  # a Khmer name of two syllables
        "Đồng chí Kim Vui, Bí thư Chi bộ phát biểu tại Hội nghị",
        ["Kim Vui"],
        [("Kim Vui", "Bí thư", "Chi bộ")],
    ),
    (  # "UV BTV" with a space; the body after a dash
        "Đồng chí Nguyễn Quang Vinh - UV BTV Thị ủy, Phó Chủ tịch HĐND thị xã phát biểu thảo luận",
        ["Nguyễn Quang Vinh"],
        [
            ("Nguyễn Quang Vinh", "Ủy viên Ban Thường vụ", "Thị ủy"),
            ("Nguyễn Quang Vinh", "Phó Chủ tịch", "Hội đồng nhân dân thị xã"),
        ],
    ),
    (  # titles in parentheses, "nguyên" (former) before a head, "ông"/"bà" as honorifics
        "Ông Trần Văn Tư (Phó bí thư thường trực Tỉnh uỷ, Chủ tịch HĐND tỉnh), ông Đinh Quốc Thái (Chủ tịch "
        "UBND tỉnh) và bà Mai Thị Thu Thuỷ (nguyên Bí thư Đảng uỷ Khối) tiếp tục giữ chức.",
        ["Trần Văn Tư", "Đinh Quốc Thái", "Mai Thị Thu Thủy"],
        [
            ("Trần Văn Tư", "Phó Bí thư thường trực", "Tỉnh ủy"),
            ("Trần Văn Tư", "Chủ tịch", "Hội đồng nhân dân tỉnh"),
            ("Đinh Quốc Thái", "Chủ tịch", "Ủy ban nhân dân tỉnh"),
            ("Mai Thị Thu Thủy", "Bí thư", "Đảng ủy Khối"),
        ],
    ),
    (  # two titles before the name; the place after the level word belongs to the body
        "Bí thư Tỉnh uỷ, Chủ tịch HĐND tỉnh Bùi Minh Châu phát biểu nhậm chức.",
        ["Bùi Minh Châu"],
        [("Bùi Minh Châu", "Bí thư", "Tỉnh ủy"), ("Bùi Minh Châu", "Chủ tịch", "Hội đồng nhân dân tỉnh")],
    ),
    (  # a province's name between the body and the person
        "Đồng chí Nguyễn Xuân Ký, Phó Bí thư Thường trực Tỉnh uỷ, Chủ tịch HĐND tỉnh Quảng Ninh vừa được bầu.",
        ["Nguyễn Xuân Ký"],
        [
            ("Nguyễn Xuân Ký", "Phó Bí thư thường trực", "Tỉnh ủy"),
            ("Nguyễn Xuân Ký", "Chủ tịch", "Hội đồng nhân dân tỉnh Quảng Ninh"),
        ],
    ),
    (  # a military rank is not a title (it is the roles' rank column: tests/test_persons_forms.py)
        "Thượng tá Vũ Công Hoà thông tin thời sự về chính trị, an ninh, quốc phòng.",
        ["Vũ Công Hòa"],
        [],
    ),
    (  # a shortened later mention joins the full name
        "Phát biểu chỉ đạo Hội nghị, đồng chí Phạm Viết Thạch, Ủy viên Thường vụ đánh giá cao. Đồng chí Thạch "
        "cũng đánh giá cao các ý kiến tham luận.",
        ["Phạm Viết Thạch"],
        [("Phạm Viết Thạch", "Ủy viên Ban Thường vụ", None)],
    ),
    (  # glued sentences: the name stops before the next "Đồng chí"
        "chúc mừng đồng chí Đỗ Kim Hội Đồng chí Đỗ Kim Hội hứa sẽ tiếp tục phấn đấu",
        ["Đỗ Kim Hội"],
        [],
    ),
    (  # one title before two names: both hold it
        "Phó Chủ tịch Hội Luật gia Việt Nam Dương Thành Bắc, Lê Thị Kim Thanh, cùng cán bộ, nhân viên tham dự.",
        ["Dương Thành Bắc", "Lê Thị Kim Thanh"],
        [
            ("Dương Thành Bắc", "Phó Chủ tịch", "Hội Luật gia Việt Nam"),
            ("Lê Thị Kim Thanh", "Phó Chủ tịch", "Hội Luật gia Việt Nam"),
        ],
    ),
    (  # a title, a colon, the names that hold it
        "Các đồng chí Phó Chánh văn phòng Trung ương Đảng: Trần Văn Thành, Bùi Văn Thạch.",
        ["Trần Văn Thành", "Bùi Văn Thạch"],
        [
            ("Trần Văn Thành", "Phó Chánh Văn phòng", "Văn phòng Trung ương Đảng"),
            ("Bùi Văn Thạch", "Phó Chánh Văn phòng", "Văn phòng Trung ương Đảng"),
        ],
    ),
    (  # a title right before the next name is that person's, not the previous one's
        "Tới dự có Phó Thủ tướng Vương Đình Huệ, Phó Chủ tịch Quốc hội Uông Chu Lưu và đại diện các bộ.",
        ["Vương Đình Huệ", "Uông Chu Lưu"],
        [("Vương Đình Huệ", "Phó Thủ tướng", None), ("Uông Chu Lưu", "Phó Chủ tịch", "Quốc hội")],
    ),
    # Sentences that name nobody: bodies, codes, titles without a name, "Bác", an all-caps site header.
    ("Tham dự có các đồng chí trong Thường trực Thị ủy; Trưởng, phó và thành viên các Đoàn công tác.", [], []),
    ("Đồng chí Bí thư Thị ủy và Phó Bí thư thường trực Thị ủy nhấn mạnh: Nhiệm vụ chính trị rất nặng nề.", [], []),
    ("chú ý đổi mới việc học tập và làm theo Bác, xây dựng mô hình phù hợp.", [], []),
    ("Tổng Bí thư đề nghị các đồng chí Trung ương căn cứ vào thực tiễn của Ban Chấp hành Trung ương.", [], []),
    ("Đoàn công tác làm việc với Tỉnh ủy Bà Rịa - Vũng Tàu.", [], []),
    ("các cuộc họp do Đảng ủy, HĐND, UBND, Ủy ban MTTQ và các đoàn thể phường tổ chức", [], []),
    ("Xem chi tiết tin - ĐOÀN ĐBQH VÀ HĐND TỈNH HẬU GIANG - ĐẠI BIỂU NHÂN DÂN TỈNH HẬU GIANG", [], []),
    ("trọng tâm là Chương trình số 13-CTr/ĐUK ngày 17/4/2021 của Đảng ủy Khối", [], []),
    ("Đoàn công tác của Ban Thường vụ Tỉnh ủy làm việc tại tỉnh Hà Tĩnh và huyện Châu Thành.", [], []),
]


def _normalised(text: str) -> str:
    from pipeline.normalise import normalise

    return normalise(text)


@pytest.mark.parametrize(("sentence", "persons", "roles"), CASES, ids=[case[0][:40] for case in CASES])
def test_sentence_yields_its_persons_and_roles(sentence: str, persons: list[str], roles: list[Role]) -> None:
    text = _normalised(sentence)
    tables = rows("a", text, tag(text))
    assert sorted(row["name"] for row in tables["persons"]) == sorted(persons)
    found = sorted((row["person_name"], row["title"], row["organization"]) for row in tables["roles"])
    assert found == sorted(roles)


@pytest.mark.parametrize(("sentence", "persons", "roles"), CASES, ids=[case[0][:40] for case in CASES])
def test_rows_name_their_people_and_bodies_in_full(sentence: str, persons: list[str], roles: list[Role]) -> None:
    """A person's first mention is the name or its last syllables; bodies are written out, no abbreviation left."""
    text = _normalised(sentence)
    tables = rows("a", text, tag(text))
    abbreviation = regex.compile(rf"(?<!\p{{L}})(?:{alternation(load('organizations')['abbreviations'])})(?!\p{{L}})")
    for row in tables["persons"]:
        mention = text[row["start"] : row["end"]]
        assert row["name"] == mention or row["name"].endswith(f" {mention}"), row
    for row in tables["roles"]:
        assert not abbreviation.search(row["organization"] or ""), row
    for row in tables["organizations"]:
        assert not abbreviation.search(row["name_expanded"]), row


def test_byline_author_is_a_person_without_title() -> None:
    text = "Hội nghị tổng kết công tác xây dựng Đảng năm 2021.\n\nNguyễn Bảo"
    tables = rows("a", text, tag(text, author="Nguyễn Bảo"))
    assert [(row["name"], row["rule"]) for row in tables["persons"]] == [("Nguyễn Bảo", "name.byline")]
    assert tables["roles"] == []


def test_organizations_carry_kind_level_and_place() -> None:
    text = "Ngày 25/1/2022, Đảng ủy phường Bắc Hồng và UBND tỉnh Trà Vinh tổ chức hội nghị."
    found = {
        (row["name"], row["kind"], row["level"], row["place"]) for row in rows("a", text, tag(text))["organizations"]
    }
    assert ("Đảng ủy phường Bắc Hồng", "party", "commune", "Bắc Hồng") in found
    assert ("UBND tỉnh Trà Vinh", "state", "province", "Trà Vinh") in found


def test_spacy_pipeline_carries_the_spans() -> None:
    doc = nlp()("Bí thư Thị ủy Lê Thành Đông kết luận hội nghị.")
    assert [(span.text, span.label_) for span in doc.ents] == [("Thị ủy", "ORG"), ("Lê Thành Đông", "PER")]
    assert [span._.rule for span in doc.spans["persons"]] == ["name.after_title"]
    assert [span.text for span in doc.spans["titles"]] == ["Bí thư Thị ủy"]
