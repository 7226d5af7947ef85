"""The "who" as portals write it (issue 15): titles shared by a list, national and party titles, former titles,
ranks, bodies, things named after people and photo credits.

Sentences are from corpus articles (src_vietnews_015, _020, _069, _150, _180, src_baomoi_002, _033) unless
marked; the forms the corpus lacks are the phrases issue 15 quotes from portal pages, set in a sentence of
the genre.
"""

from __future__ import annotations

import pytest

from pipeline.normalise import normalise
from pipeline.tag import find_organizations, find_titles, lexicon, rows, tag

# (person, title head, organization expanded, rank, former)
Role = tuple[str, str, str | None, str | None, bool]


def _tables(sentence: str) -> tuple[list[str], list[Role]]:
    text = normalise(sentence)
    tables = rows("a", text, tag(text))
    for row in tables["roles"]:
        assert text[row["start"] : row["end"]] == row["raw"]
    persons = sorted(row["name"] for row in tables["persons"])
    roles = sorted(
        (row["person_name"], row["title"], row["organization"], row["rank"], row["former"]) for row in tables["roles"]
    )
    return persons, roles


LISTS: list[tuple[str, list[str], list[Role]]] = [
    (  # two titles before a colon: every listed name holds both, besides its own
        "Tham dự Hội nghị tại điểm cầu Trung ương có các đồng chí: Nguyên Chủ tịch Quốc hội Nguyễn Sinh Hùng; "
        "các đồng chí Ủy viên Bộ Chính trị, Bí thư Trung ương Đảng: Phạm Minh Chính, Trưởng Ban Tổ chức Trung "
        "ương; Võ Văn Thưởng, Trưởng Ban Tuyên giáo Trung ương; các đồng chí Bí thư Trung ương Đảng: Nguyễn Văn "
        "Nên, Chánh Văn phòng Trung ương Đảng; Trần Cẩm Tú, Chủ nhiệm Ủy ban Kiểm tra Trung ương.",
        ["Nguyễn Sinh Hùng", "Nguyễn Văn Nên", "Phạm Minh Chính", "Trần Cẩm Tú", "Võ Văn Thưởng"],
        [
            ("Nguyễn Sinh Hùng", "Chủ tịch", "Quốc hội", None, True),
            ("Nguyễn Văn Nên", "Bí thư Trung ương Đảng", None, None, False),
            ("Nguyễn Văn Nên", "Chánh Văn phòng", "Văn phòng Trung ương Đảng", None, False),
            ("Phạm Minh Chính", "Bí thư Trung ương Đảng", None, None, False),
            ("Phạm Minh Chính", "Trưởng Ban", "Ban Tổ chức Trung ương", None, False),
            ("Phạm Minh Chính", "Ủy viên Bộ Chính trị", None, None, False),
            ("Trần Cẩm Tú", "Bí thư Trung ương Đảng", None, None, False),
            ("Trần Cẩm Tú", "Chủ nhiệm", "Ủy ban Kiểm tra Trung ương", None, False),
            ("Võ Văn Thưởng", "Bí thư Trung ương Đảng", None, None, False),
            ("Võ Văn Thưởng", "Trưởng Ban", "Ban Tuyên giáo Trung ương", None, False),
            ("Võ Văn Thưởng", "Ủy viên Bộ Chính trị", None, None, False),
        ],
    ),
    (  # issue 15's form: one title, a colon, names with their own notes in brackets
        "Dự hội nghị có các Phó Chủ tịch UBND tỉnh: Lê Văn An (Thường trực), Trần Thị Bình, Nguyễn Văn Cường.",
        ["Lê Văn An", "Nguyễn Văn Cường", "Trần Thị Bình"],
        [
            ("Lê Văn An", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh", None, False),
            ("Nguyễn Văn Cường", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh", None, False),
            ("Trần Thị Bình", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh", None, False),
        ],
    ),
    (  # a verb gives the last of two names a title: the first, with titles of its own, gets it too
        "Theo đó, ông Nguyễn Xuân Ký - Ủy viên Ban thường vụ Tỉnh uỷ, Phó chủ tịch thường trực HĐND tỉnh và ông "
        "Ngô Hoàng Ngân - Ủy viên Ban thường vụ Tỉnh uỷ, Bí thư Thành uỷ Móng Cái được bầu giữ chức danh Phó bí "
        "thư Tỉnh uỷ Quảng Ninh, nhiệm kỳ 2015-2020.",
        ["Ngô Hoàng Ngân", "Nguyễn Xuân Ký"],
        [
            ("Ngô Hoàng Ngân", "Bí thư", "Thành ủy Móng Cái", None, False),
            ("Ngô Hoàng Ngân", "Phó Bí thư", "Tỉnh ủy Quảng Ninh", None, False),
            ("Ngô Hoàng Ngân", "Ủy viên Ban Thường vụ", "Tỉnh ủy", None, False),
            ("Nguyễn Xuân Ký", "Phó Bí thư", "Tỉnh ủy Quảng Ninh", None, False),
            ("Nguyễn Xuân Ký", "Phó Chủ tịch thường trực", "Hội đồng nhân dân tỉnh", None, False),
            ("Nguyễn Xuân Ký", "Ủy viên Ban Thường vụ", "Tỉnh ủy", None, False),
        ],
    ),
    (  # negative: a comma list with titles of its own shares nothing ("A, R1 và B, R2" is no verb)
        "Dự có ông Nguyễn Đức Thành - Phó chủ tịch HĐND tỉnh và ông Vũ Văn Diện - Phó chủ tịch UBND tỉnh.",
        ["Nguyễn Đức Thành", "Vũ Văn Diện"],
        [
            ("Nguyễn Đức Thành", "Phó Chủ tịch", "Hội đồng nhân dân tỉnh", None, False),
            ("Vũ Văn Diện", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh", None, False),
        ],
    ),
]

RANKS_AND_FORMER: list[tuple[str, list[str], list[Role]]] = [
    (  # a rank after the titles, before the name: the titles are the person's, the rank a column
        "Nguyên thứ trưởng Quốc phòng, đô đốc Nguyễn Văn Hiến chịu trách nhiệm chính về những vi phạm.",
        ["Nguyễn Văn Hiến"],
        [("Nguyễn Văn Hiến", "Thứ trưởng", "Quốc phòng", "Đô đốc", True)],
    ),
    (
        "Cơ quan kiểm tra Trung ương cũng xem xét kỷ luật trung tướng Nguyễn Hoàng Thuỷ, Phó bí thư Đảng uỷ, "
        "Tư lệnh Quân khu 9.",
        ["Nguyễn Hoàng Thủy"],
        [
            ("Nguyễn Hoàng Thủy", "Phó Bí thư", "Đảng ủy", "Trung tướng", False),
            ("Nguyễn Hoàng Thủy", "Tư lệnh", "Quân khu 9", "Trung tướng", False),
        ],
    ),
    (  # "nguyên" makes the titles after it in the chain former too
        "Chuẩn đô đốc Lê Văn Đạo, nguyên Đảng uỷ viên, Phó tư lệnh Quân chủng, cùng chịu trách nhiệm.",
        ["Lê Văn Đạo"],
        [
            ("Lê Văn Đạo", "Phó Tư lệnh", "Quân chủng", "Chuẩn Đô đốc", True),
            ("Lê Văn Đạo", "Đảng ủy viên", None, "Chuẩn Đô đốc", True),
        ],
    ),
    (  # a provincial military command's titles, each with the rank before the name
        "Thượng tá Nguyễn Văn Hải, Phó Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh báo cáo; Đại tá Trần Văn Bình - "
        "Giám đốc Công an tỉnh phát biểu.",
        ["Nguyễn Văn Hải", "Trần Văn Bình"],
        [
            ("Nguyễn Văn Hải", "Phó Chỉ huy trưởng", "Bộ Chỉ huy Quân sự tỉnh", "Thượng tá", False),
            ("Trần Văn Bình", "Giám đốc", "Công an tỉnh", "Đại tá", False),
        ],
    ),
    (  # a rank alone gives no role
        "Ông là người Việt Nam thứ hai được thăng hàm Đô đốc Hải quân sau Đô đốc Giáp Văn Cương.",
        ["Giáp Văn Cương"],
        [],
    ),
    (  # "từng giữ chức R": one former title, given to the sentence's subject across his brackets
        "Ông Nguyễn Xuân Ký (46 tuổi, quê xã Xuân Đài, huyện Xuân Trường, Nam Định) là thạc sĩ quản trị kinh "
        "doanh, từng giữ chức Bí thư Thành uỷ Móng Cái.",
        ["Nguyễn Xuân Ký"],
        [("Nguyễn Xuân Ký", "Bí thư", "Thành ủy Móng Cái", None, True)],
    ),
    (  # negative: "R1 và R2" after "từng giữ chức" is a career history too (src_vietnews_010)
        "Ông Trần Cẩm Tú trưởng thành từ quê nhà Hà Tĩnh, từng giữ chức Bí thư Huyện ủy Hương Sơn và Chủ nhiệm "
        "Ủy ban Kiểm tra Tỉnh ủy Hà Tĩnh.",
        ["Trần Cẩm Tú"],
        [],
    ),
    (  # negative: "từng giữ chức R1, R2" is a career history (docs/annotation.md), not roles
        "Ông Ngô Hoàng Ngân (52 tuổi) là thạc sĩ kỹ thuật khai thác mỏ, từng giữ chức Bí thư Đảng uỷ than Quảng "
        "Ninh, Phó tổng giám đốc tập đoàn Công nghiệp than - Khoáng sản Việt Nam.",
        ["Ngô Hoàng Ngân"],
        [],
    ),
]

GIVEN_FROM_AFAR: list[tuple[str, list[str], list[Role]]] = [
    (  # "giữ chức R" gives R to the sentence's person, however far (src_baomoi_033)
        "Chỉ định đồng chí Nguyễn Thanh Quang vào Ban Chấp hành Đảng bộ quận, Ban Thường vụ Quận ủy và giữ chức "
        "Bí thư Quận ủy Thanh Khê, nhiệm kỳ 2015- 2020.",
        ["Nguyễn Thanh Quang"],
        [("Nguyễn Thanh Quang", "Bí thư", "Quận ủy Thanh Khê", None, False)],
    ),
    (  # ... and to every name listed with it, past their own titles in brackets (src_vietnews_112)
        "Ông Trần Văn Tư (Phó bí thư thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh), ông Đinh Quốc Thái (Chủ tịch "
        "UBND tỉnh) và bà Phan Thị Mỹ Thanh (Phó bí thư Tỉnh ủy) tiếp tục giữ chức Phó bí thư Tỉnh ủy.",
        ["Phan Thị Mỹ Thanh", "Trần Văn Tư", "Đinh Quốc Thái"],
        [
            ("Phan Thị Mỹ Thanh", "Phó Bí thư", "Tỉnh ủy", None, False),
            ("Trần Văn Tư", "Chủ tịch", "Hội đồng nhân dân tỉnh", None, False),
            ("Trần Văn Tư", "Phó Bí thư", "Tỉnh ủy", None, False),
            ("Trần Văn Tư", "Phó Bí thư thường trực", "Tỉnh ủy", None, False),
            ("Đinh Quốc Thái", "Chủ tịch", "Ủy ban nhân dân tỉnh", None, False),
            ("Đinh Quốc Thái", "Phó Bí thư", "Tỉnh ủy", None, False),
        ],
    ),
    (  # "bầu ... chức vụ R ... đối với ông X" elects X to R; "miễn nhiệm chức vụ R đối với ông Y" does not
        "Các đại biểu bầu bổ sung chức vụ Ủy viên UBND tỉnh khóa XVIII, nhiệm kỳ 2016-2021 đối với ông Nguyễn "
        "Minh Xuyên; thông qua việc miễn nhiệm chức vụ Chủ tịch UBND tỉnh khóa XVIII đối với ông Bùi Minh Châu.",
        ["Bùi Minh Châu", "Nguyễn Minh Xuyên"],
        [("Nguyễn Minh Xuyên", "Ủy viên", "Ủy ban nhân dân tỉnh khóa XVIII, nhiệm kỳ 2016-2021", None, False)],
    ),
    (  # negative: the officer a decision appoints is not the person who announces it (src_vietnews_172)
        "Đồng chí Nguyễn Thanh Bình đã công bố Quyết định của Bộ Chính trị về việc điều động, bổ nhiệm cán bộ "
        "giữ chức vụ Phó Trưởng ban Kinh tế Trung ương.",
        ["Nguyễn Thanh Bình"],
        [],
    ),
    (  # negative: a post held "trong thời gian giữ cương vị" is not counted (src_vietnews_180)
        "Đô đốc Nguyễn Văn Hiến trong thời gian giữ cương vị Phó bí thư Đảng ủy, Tư lệnh Quân chủng phải cùng "
        "chịu trách nhiệm.",
        ["Nguyễn Văn Hiến"],
        [],
    ),
]

BODIES: list[tuple[str, list[str], list[Role]]] = [
    (  # national and party titles; a congress subcommittee's head (issue 15's forms)
        "Đồng chí Trần Cẩm Tú, Bí thư Trung ương Đảng, Chủ nhiệm Ủy ban Kiểm tra Trung ương, Trưởng Tiểu ban "
        "Điều lệ Đảng phát biểu.",
        ["Trần Cẩm Tú"],
        [
            ("Trần Cẩm Tú", "Bí thư Trung ương Đảng", None, None, False),
            ("Trần Cẩm Tú", "Chủ nhiệm", "Ủy ban Kiểm tra Trung ương", None, False),
            ("Trần Cẩm Tú", "Trưởng Tiểu ban", "Tiểu ban Điều lệ Đảng", None, False),
        ],
    ),
    (  # "UVTW Đảng" is the Central Committee's member; the chain goes on after it
        "Ông Nguyễn Văn Bình, UVTW Đảng, Bí thư Tỉnh ủy phát biểu.",
        ["Nguyễn Văn Bình"],
        [
            ("Nguyễn Văn Bình", "Bí thư", "Tỉnh ủy", None, False),
            ("Nguyễn Văn Bình", "Ủy viên Trung ương Đảng", None, None, False),
        ],
    ),
    (  # src_vietnews_015's lead: two national titles before the name
        "Ủy viên Bộ Chính trị, Thường trực Ban Bí thư Trần Quốc Vượng tới dự và phát biểu chỉ đạo Hội nghị.",
        ["Trần Quốc Vượng"],
        [
            ("Trần Quốc Vượng", "Thường trực Ban Bí thư", None, None, False),
            ("Trần Quốc Vượng", "Ủy viên Bộ Chính trị", None, None, False),
        ],
    ),
    (  # lowercase "Trưởng đoàn" still takes its body
        "Ông Nguyễn Đắc Vinh, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Trưởng đoàn ĐBQH tỉnh phát biểu.",
        ["Nguyễn Đắc Vinh"],
        [
            ("Nguyễn Đắc Vinh", "Bí thư", "Tỉnh ủy", None, False),
            ("Nguyễn Đắc Vinh", "Trưởng Đoàn", "Đoàn đại biểu Quốc hội tỉnh", None, False),
            ("Nguyễn Đắc Vinh", "Ủy viên Trung ương Đảng", None, None, False),
        ],
    ),
    (  # a delegation's body runs over its term and constituency up to the name; no "Đại biểu Quốc hội" title
        "Theo các quyết định, Trưởng ban Tuyên giáo Thành ủy, Trưởng đoàn Đại biểu Quốc hội khóa XIV đơn vị "
        "thành phố Đà Nẵng Nguyễn Thanh Quang thôi giữ chức Trưởng ban Tuyên giáo Thành ủy.",
        ["Nguyễn Thanh Quang"],
        [
            ("Nguyễn Thanh Quang", "Trưởng Ban", "Ban Tuyên giáo Thành ủy", None, False),
            (
                "Nguyễn Thanh Quang",
                "Trưởng Đoàn",
                "Đoàn Đại biểu Quốc hội khóa XIV đơn vị thành phố Đà Nẵng",
                None,
                False,
            ),
        ],
    ),
    (  # "Trưởng ban Ban ...": the body is written out once, not "Ban Ban"
        "Ông Nguyễn Trọng Dũng, Phó Trưởng ban Ban chỉ đạo Đổi mới và Phát triển doanh nghiệp bị cảnh cáo.",
        ["Nguyễn Trọng Dũng"],
        [("Nguyễn Trọng Dũng", "Phó Trưởng Ban", "Ban chỉ đạo Đổi mới và Phát triển doanh nghiệp", None, False)],
    ),
    (  # issue 15's form: a board whose name goes on in lowercase words
        "Ông Trần Văn Hải, Giám đốc Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh cho biết.",
        ["Trần Văn Hải"],
        [
            (
                "Trần Văn Hải",
                "Giám đốc",
                "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh",
                None,
                False,
            )
        ],
    ),
]


# dev_untuned_6's forms (src_vietnews_055, _090, _123, _067): lists of titles-then-name, a shared title over a
# list whose names follow their own titles, and bodies pages write in either case.
DEV6: list[tuple[str, list[str], list[Role]]] = [
    (  # "R1, R2 A, R3, R4 B": R3 and R4 run into B's name, so they are B's
        "Tham dự chương trình có Ủy viên Đảng đoàn, Phó Chủ tịch hội luật gia Việt Nam Lê Thị Kim Thanh, Phó Bí "
        "thư Đảng ủy, Phó Tổng thư ký Trần Đức Long, cùng văn phòng, các ban chuyên môn.",
        ["Lê Thị Kim Thanh", "Trần Đức Long"],
        [
            ("Lê Thị Kim Thanh", "Phó Chủ tịch", "hội luật gia Việt Nam", None, False),
            ("Lê Thị Kim Thanh", "Ủy viên", "Đảng đoàn", None, False),
            ("Trần Đức Long", "Phó Bí thư", "Đảng ủy", None, False),
            ("Trần Đức Long", "Phó Tổng Thư ký", None, None, False),
        ],
    ),
    (  # negative: titles after a titled name that lead to no other name stay that name's
        "Phó Chủ tịch hội luật gia Việt Nam Lê Thị Kim Thanh, Phó Bí thư Đảng ủy phát biểu tại buổi làm việc.",
        ["Lê Thị Kim Thanh"],
        [
            ("Lê Thị Kim Thanh", "Phó Bí thư", "Đảng ủy", None, False),
            ("Lê Thị Kim Thanh", "Phó Chủ tịch", "hội luật gia Việt Nam", None, False),
        ],
    ),
    (  # "Hội Luật gia tỉnh Tuyên Quang": the body runs over its lowercase word and place up to the name
        "Tại buổi làm việc, Ủy viên BCH Đảng bộ tỉnh, Giám đốc sở Tư Pháp, Chủ tịch Hội Luật gia tỉnh Tuyên "
        "Quang Nguyễn Thị Thược bày tỏ sự vui mừng.",
        ["Nguyễn Thị Thược"],
        [
            ("Nguyễn Thị Thược", "Chủ tịch", "Hội Luật gia tỉnh Tuyên Quang", None, False),
            ("Nguyễn Thị Thược", "Giám đốc", "sở Tư Pháp", None, False),
            ("Nguyễn Thị Thược", "Ủy viên Ban Chấp hành", "Đảng bộ tỉnh", None, False),
        ],
    ),
    (  # shared titles, then names each after its own title; the semicolon ends the list (Nguyễn Xuân Thắng
        # and Đặng Thị Ngọc Thịnh are not Ủy viên Bộ Chính trị)
        "Cùng dự có các đồng chí Ủy viên bộ Chính trị, Bí thư Trung ương Đảng: Trưởng Ban Tổ chức Trung ương "
        "Phạm Minh Chính, Trưởng ban Tuyên giáo Trung ương Võ Văn Thưởng, Trưởng ban Dân vận Trung ương Trương "
        "Thị Mai; Bí thư Trung ương Đảng, Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh Nguyễn Xuân Thắng; "
        "Phó Chủ tịch nước Đặng Thị Ngọc Thịnh, cùng lãnh đạo các bộ, ngành Trung ương.",
        ["Nguyễn Xuân Thắng", "Phạm Minh Chính", "Trương Thị Mai", "Võ Văn Thưởng", "Đặng Thị Ngọc Thịnh"],
        [
            ("Nguyễn Xuân Thắng", "Bí thư Trung ương Đảng", None, None, False),
            ("Nguyễn Xuân Thắng", "Giám đốc", "Học viện Chính trị quốc gia Hồ Chí Minh", None, False),
            ("Phạm Minh Chính", "Bí thư Trung ương Đảng", None, None, False),
            ("Phạm Minh Chính", "Trưởng Ban", "Ban Tổ chức Trung ương", None, False),
            ("Phạm Minh Chính", "Ủy viên Bộ Chính trị", None, None, False),
            ("Trương Thị Mai", "Bí thư Trung ương Đảng", None, None, False),
            ("Trương Thị Mai", "Trưởng Ban", "Ban Dân vận Trung ương", None, False),
            ("Trương Thị Mai", "Ủy viên Bộ Chính trị", None, None, False),
            ("Võ Văn Thưởng", "Bí thư Trung ương Đảng", None, None, False),
            ("Võ Văn Thưởng", "Trưởng Ban", "Ban Tuyên giáo Trung ương", None, False),
            ("Võ Văn Thưởng", "Ủy viên Bộ Chính trị", None, None, False),
            ("Đặng Thị Ngọc Thịnh", "Phó Chủ tịch nước", None, None, False),
        ],
    ),
    (  # "Thủ trưởng", and a body in lowercase ("Tổng cục cảnh sát") that keeps the chain going
        "Trong đó có ông Phan Văn Vĩnh, nguyên Bí thư Đảng ủy, Tổng cục trưởng, Thủ trưởng Cơ quan Cảnh sát điều "
        "tra và ông Nguyễn Thanh Hóa, nguyên Đảng ủy viên Đảng ủy Tổng cục cảnh sát, Bí thư Đảng ủy, Cục trưởng "
        "C50 bị khởi tố.",
        ["Nguyễn Thanh Hóa", "Phan Văn Vĩnh"],
        [
            ("Nguyễn Thanh Hóa", "Bí thư", "Đảng ủy", None, True),
            ("Nguyễn Thanh Hóa", "Cục trưởng", None, None, True),
            ("Nguyễn Thanh Hóa", "Đảng ủy viên", "Đảng ủy Tổng cục cảnh sát", None, True),
            ("Phan Văn Vĩnh", "Bí thư", "Đảng ủy", None, True),
            ("Phan Văn Vĩnh", "Thủ trưởng", "Cơ quan Cảnh sát điều tra", None, True),
            ("Phan Văn Vĩnh", "Tổng cục trưởng", None, None, True),
        ],
    ),
    (  # "Phó Tổng cục trưởng" (no stray "Tổng cục trưởng"), "của Quốc hội", a "cục" named in lowercase
        "2-Các đồng chí Trung tướng Nguyễn Công Sơn, nguyên Ủy viên ban Thường vụ Đảng ủy, Phó Tổng cục trưởng; "
        "Thiếu tướng Lê Đình Nhường, Phó Chủ nhiệm ủy ban Quốc phòng và An ninh của Quốc hội, nguyên Đảng ủy "
        "viên, Bí thư Đảng ủy, Chánh Văn phòng cơ quan Cảnh sát điều tra (C 44); Thiếu tướng Nguyễn Huy Mạ, "
        "nguyên Bí thư Đảng ủy, Cục trưởng cục Hồ sơ nghiệp vụ cảnh sát (C 53) cùng chịu trách nhiệm.",
        ["Lê Đình Nhường", "Nguyễn Công Sơn", "Nguyễn Huy Mạ"],
        [
            ("Lê Đình Nhường", "Bí thư", "Đảng ủy", "Thiếu tướng", True),
            ("Lê Đình Nhường", "Chánh Văn phòng", "Văn phòng cơ quan Cảnh sát điều tra", "Thiếu tướng", True),
            ("Lê Đình Nhường", "Phó Chủ nhiệm", "ủy ban Quốc phòng và An ninh của Quốc hội", "Thiếu tướng", False),
            ("Lê Đình Nhường", "Đảng ủy viên", None, "Thiếu tướng", True),
            ("Nguyễn Công Sơn", "Phó Tổng cục trưởng", None, "Trung tướng", True),
            ("Nguyễn Công Sơn", "Ủy viên Ban Thường vụ", "Đảng ủy", "Trung tướng", True),
            ("Nguyễn Huy Mạ", "Bí thư", "Đảng ủy", "Thiếu tướng", True),
            ("Nguyễn Huy Mạ", "Cục trưởng", "cục Hồ sơ nghiệp vụ cảnh sát", "Thiếu tướng", True),
        ],
    ),
    (  # a body does not run over "và" into a rank and the next person
        "3-Các đồng chí Đại tá Nguyễn Thanh Trang, Phó Chánh Văn phòng Cơ quan cảnh sát điều tra và Đại úy Nguyễn "
        "Chí Trung, Phó Trưởng phòng thuộc Văn phòng Cơ quan cảnh sát điều tra đã vi phạm.",
        ["Nguyễn Chí Trung", "Nguyễn Thanh Trang"],
        [
            ("Nguyễn Chí Trung", "Phó Trưởng phòng", None, "Đại úy", False),
            ("Nguyễn Thanh Trang", "Phó Chánh Văn phòng", "Văn phòng Cơ quan cảnh sát điều tra", "Đại tá", False),
        ],
    ),
    (  # "Nhà xuất bản Tri thức", not "Nhà xuất"
        "II-Kiểm tra khi có dấu hiệu vi phạm đối với đồng chí Chu Hảo, Giám đốc - Tổng Biên tập Nhà xuất bản Tri "
        "thức Với cương vị là Giám đốc - Tổng Biên tập, đồng chí Chu Hảo chịu trách nhiệm chính.",
        ["Chu Hảo"],
        [
            ("Chu Hảo", "Giám đốc", None, None, False),
            ("Chu Hảo", "Tổng Biên tập", "Nhà xuất bản Tri thức", None, False),
        ],
    ),
    (  # "X được ... công bố quyết định điều động sang giữ chức vụ R": the decision is about X
        "Tháng 8/2017, ông Nguyễn Bá Cảnh được ban Tổ chức Thành ủy Đà Nẵng công bố quyết định điều động sang "
        "giữ chức vụ Phó Trưởng ban Dân vận Thành ủy Đà Nẵng.",
        ["Nguyễn Bá Cảnh"],
        [("Nguyễn Bá Cảnh", "Phó Trưởng Ban", "Ban Dân vận Thành ủy Đà Nẵng", None, False)],
    ),
    (  # negative: the officer who announces the decision is not the one appointed (src_vietnews_172)
        "Ông Nguyễn Thanh Bình đã công bố Quyết định số 1297-QĐNS/TW ngày 21/6/2019 của Bộ Chính trị về việc "
        "điều động, bổ nhiệm cán bộ giữ chức vụ Phó Trưởng ban Kinh tế Trung ương.",
        ["Nguyễn Thanh Bình"],
        [],
    ),
    (  # negative: a board's name runs on in lowercase up to a place that looks like a name, and the place is
        # no person (src_vietnews_146)
        "Trong thời gian là Bí thư Đảng uỷ, Trưởng ban Quản lý Khu kinh tế mở Chu Lai, ông Toàn đã vi phạm "
        "nguyên tắc tập trung dân chủ.",
        ["Toàn"],
        [],
    ),
    (  # negative: the posts held when something happened are not roles
        "Ban Bí thư cho rằng, trong thời gian giữ các cương vị Thành ủy viên, Bí thư Thành đoàn Đà Nẵng, Phó "
        "Trưởng ban Dân vận Thành ủy Đà Nẵng, ông Nguyễn Bá Cảnh đã vi phạm phẩm chất đạo đức.",
        ["Nguyễn Bá Cảnh"],
        [],
    ),
]


def test_a_place_ends_before_the_word_that_opens_the_next_sentence() -> None:
    # issue 15's form: "Thành ủy Đà Nẵng Sáng" took the next sentence's first word
    text = "Ban Thường vụ Thành ủy Đà Nẵng Sáng nay tổ chức hội nghị."
    bodies = [org.name for org in find_organizations(text, lexicon(), find_titles(text, lexicon()))]
    assert bodies == ["Ban Thường vụ Thành ủy Đà Nẵng"]


# Things called after a person (issue 15's phrases, and two from the corpus) name no person.
NAMED_AFTER = [
    "Tối 14/6, tại Quảng trường Hồ Chí Minh, TP. Vinh, Tỉnh ủy tổ chức chương trình nghệ thuật.",
    "Lễ chào cờ tại Quảng trường Trần Hưng Đạo có học sinh trường THPT Lê Quý Đôn tham dự.",
    "Tỉnh đoàn trao 50 suất học bổng Nguyễn Văn Trỗi cho đoàn viên Đoàn TNCS Hồ Chí Minh.",
    "Dự án nâng cấp đường Hồ Chí Minh đoạn qua huyện được khởi công.",
    "Nguyễn Xuân Thắng, Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh.",
    "Học sinh Trường THCS Nguyễn Du và Trường Tiểu học Kim Đồng dự lễ.",
    "Sinh viên Trường Đại học Tôn Đức Thắng thăm Khu di tích Nguyễn Sinh Sắc.",
    "Lễ trao Giải báo chí Huỳnh Thúc Kháng lần thứ 5 tại Nhà văn hóa Lê Văn Tám.",
    "Đội Thiếu niên Tiền phong Hồ Chí Minh phát động phong trào Lý Tự Trọng.",
]


AGE_NOTES: list[tuple[str, list[str], list[Role]]] = [
    (  # an age or a birth year before the title, after a comma or inside brackets
        "Ông Nguyễn Văn An (56 tuổi, Phó Bí thư Tỉnh ủy) phát biểu.",
        ["Nguyễn Văn An"],
        [("Nguyễn Văn An", "Phó Bí thư", "Tỉnh ủy", None, False)],
    ),
    (
        "Ông Nguyễn Văn An (sinh năm 1962, Giám đốc Sở Tài chính) dự họp.",
        ["Nguyễn Văn An"],
        [("Nguyễn Văn An", "Giám đốc", "Sở Tài chính", None, False)],
    ),
    (
        "Ông Nguyễn Văn An, 56 tuổi, Phó Bí thư Tỉnh ủy phát biểu.",
        ["Nguyễn Văn An"],
        [("Nguyễn Văn An", "Phó Bí thư", "Tỉnh ủy", None, False)],
    ),
    ("Ông Nguyễn Văn An (Hà Nội) dự họp.", ["Nguyễn Văn An"], []),  # a place in brackets is no title
]


@pytest.mark.parametrize(
    ("sentence", "persons", "roles"), LISTS + RANKS_AND_FORMER + GIVEN_FROM_AFAR + BODIES + DEV6 + AGE_NOTES
)
def test_sentence_yields_its_persons_and_roles(sentence: str, persons: list[str], roles: list[Role]) -> None:
    assert _tables(sentence) == (sorted(persons), sorted(roles))


@pytest.mark.parametrize("sentence", NAMED_AFTER)
def test_things_named_after_people_are_not_persons(sentence: str) -> None:
    persons, _ = _tables(sentence)
    assert [name for name in persons if name in sentence and name != "Nguyễn Xuân Thắng"] == []


def test_title_of_a_union_named_after_a_person_goes_to_the_person_after_it() -> None:
    persons, roles = _tables("Bí thư Đoàn TNCS Hồ Chí Minh tỉnh Nguyễn Thị Lan phát biểu khai mạc.")
    assert persons == ["Nguyễn Thị Lan"]
    assert roles == [("Nguyễn Thị Lan", "Bí thư", "Đoàn TNCS Hồ Chí Minh tỉnh", None, False)]


def test_a_person_named_in_full_is_still_a_person() -> None:
    persons, _ = _tables("Các ca khúc tiêu biểu viết về Chủ tịch Hồ Chí Minh và quê hương Nghệ An.")
    assert persons == ["Hồ Chí Minh"]


@pytest.mark.parametrize(
    ("sentence", "persons"),
    [
        ("Đồng chí Trần Quốc Vượng phát biểu chỉ đạo Hội nghị (ảnh: Hoàng Mẫn).", ["Hoàng Mẫn", "Trần Quốc Vượng"]),
        ("Dự án quảng trường - công viên tỉnh Vĩnh Phúc - Ảnh: XUÂN LONG", ["XUÂN LONG"]),
        ("Nguyên chủ tịch UBND tỉnh Vĩnh Phúc Phùng Quang Hùng - Ảnh: Cổng thông tin điện tử Vĩnh Phúc.",
         ["Phùng Quang Hùng"]),
        ("Xem xét kỷ luật đối với đồng chí Đại tá Huỳnh Tiến Mạnh, Giám đốc Công an tỉnh.", ["Huỳnh Tiến Mạnh"]),
        # an agency's code before the photographer (src_vietnews_090, _164)
        ("Trần Quốc Vượng phát biểu tại lễ kỷ niệm. (Ảnh: VGP/Lê Sơn). Các đại biểu dự - Ảnh: VGP/Lê Sơn",
         ["Lê Sơn", "Trần Quốc Vượng"]),
        ("Toàn cảnh hội nghị lần thứ 9 (ảnh: TTXVN/Phương Hoa).", ["Phương Hoa"]),
        # negative: the agency alone credits no person
        ("Quang cảnh buổi lễ kỷ niệm - Ảnh: VGP", []),
    ],
)  # fmt: skip
def test_credits_and_ranks_lead_to_the_name(sentence: str, persons: list[str]) -> None:
    assert _tables(sentence)[0] == persons


def test_a_short_byline_is_the_person_named_in_full() -> None:
    text = "Sáng 8/2, đồng chí Nguyễn Thị Thanh Hà, Phó Bí thư Tỉnh ủy chủ trì hội nghị.\n\nThanh Hà"
    tables = rows("a", text, tag(text, author="Thanh Hà"))
    assert [(row["name"], row["n_mentions"]) for row in tables["persons"]] == [("Nguyễn Thị Thanh Hà", 2)]


def test_a_credit_prefix_is_not_part_of_the_name() -> None:
    text = "Hội nghị đã thành công tốt đẹp.\n\nTác giả: Minh Châu"
    assert [row["name"] for row in rows("a", text, tag(text, author="Minh Châu"))["persons"]] == ["Minh Châu"]


@pytest.mark.parametrize(
    ("sentence", "persons"),
    [
        # a house number makes the name a street (src_vietnews_100, src_vietnews_061)
        ("Doanh nghiệp mua ngôi nhà 47 Nguyễn Thái Học mà gia đình ông Xuân đang ở.", ["Xuân"]),
        ("Không còn ai nhắc gì đến 8B Lê Trực nữa.", []),
        # a district's number is no house number (src_vietnews_202)
        ("Cựu Bí thư Quận ủy - Chủ tịch HĐND quận 1 Huỳnh Thanh Hải được điều động.", ["Huỳnh Thanh Hải"]),
    ],
)
def test_house_numbers_make_streets(sentence: str, persons: list[str]) -> None:
    assert _tables(sentence)[0] == persons


@pytest.mark.parametrize(
    ("sentence", "persons"),
    [
        # issue 15's form: a caption's verb glued to the name is not part of it
        ("Bí thư Tỉnh ủy Nguyễn Văn Hùng Đón đoàn công tác của Trung ương.", ["Nguyễn Văn Hùng"]),
        ("Đồng chí Lê Văn Hùng Thăm hỏi gia đình chính sách.", ["Lê Văn Hùng"]),
        # negative: given names that are also verbs stay ("Ký", "Nhận", "Tiếp")
        ("Ông Nguyễn Xuân Ký và ông Lê Văn Nhận được bầu.", ["Lê Văn Nhận", "Nguyễn Xuân Ký"]),
        ("Đồng chí Trần Văn Tiếp phát biểu.", ["Trần Văn Tiếp"]),
    ],
)
def test_a_name_ends_before_a_glued_verb(sentence: str, persons: list[str]) -> None:
    assert _tables(sentence)[0] == persons


def test_a_verb_ends_the_former_chain() -> None:
    # "hiện là" gives a current title after former ones; ", là" after a comma is not taken (src_baomoi_031)
    _, roles = _tables("Ông Nguyễn Văn An, nguyên Chủ tịch UBND tỉnh, hiện là Bí thư Tỉnh ủy phát biểu.")
    assert roles == [
        ("Nguyễn Văn An", "Bí thư", "Tỉnh ủy", None, False),
        ("Nguyễn Văn An", "Chủ tịch", "Ủy ban nhân dân tỉnh", None, True),
    ]
    _, roles = _tables(
        "Ông Lê Văn Bình từng làm thư ký cho Bí thư Thành ủy Hà Nội Phạm Quang Nghị, là Phó Chánh Văn phòng."
    )
    assert roles == [("Phạm Quang Nghị", "Bí thư", "Thành ủy Hà Nội", None, False)]
