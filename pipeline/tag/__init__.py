"""Stage 4: persons, their titles and the bodies they belong to, by rules kept in patterns/.

The genre writes a person in a few fixed orders (see DOMAIN.md): "đồng chí X, R1, R2", "R X", "X - R1, R2",
"X (R)". The tagger finds three kinds of span, each with the rule that made it, one module a concern:
- lexicon: the vocabulary of patterns/titles.yaml, organizations.yaml and persons.yaml, compiled once;
- titles: a head ("Phó Chủ tịch", "UVBTV") and the body that follows it ("HĐND tỉnh");
- bodies: a body's head and the words that continue its name (`body_at`, `expand`: used by resolve too);
- names: a run of capitalised syllables after an honorific, after a title, before a title, or starting with a
  known surname;
- roles: each name linked to the chain of titles written next to it, to titles shared by a list ("các đồng
  chí R1, R2: A, B") and to titles a verb gives further on ("... và giữ chức R", "từng giữ chức R", a former
  role); a rank written before a name ("Thượng tướng") goes with the person, not as a title;
- mentions: short mentions ("đồng chí Thạch") join the full name they shorten, later ones the person.
Names of things called after a person ("trường THPT Lê Quý Đôn") are dropped. `rows` (records.py) turns the
result into the persons, roles and organizations rows; windows.py holds how far each rule looks.
"""

from __future__ import annotations

from pipeline.deadline import checkpoint
from pipeline.spans import Taken
from pipeline.tag.bodies import BodiesAt, body_at, expand, find_organizations
from pipeline.tag.lexicon import Lexicon, Words, lexicon
from pipeline.tag.mentions import FullName, full_name, later_mentions, shortenings
from pipeline.tag.names import find_names, named_after
from pipeline.tag.records import person_id, rows
from pipeline.tag.roles import chains
from pipeline.tag.titles import find_titles
from pipeline.tag.types import Name, OrgSpan, PersonSpan, RoleLink, Tagged, TitleSpan
from pipeline.tag.windows import RANK_BEFORE

__all__ = [
    "Lexicon",
    "OrgSpan",
    "PersonSpan",
    "RoleLink",
    "Tagged",
    "TitleSpan",
    "body_at",
    "expand",
    "find_names",
    "find_organizations",
    "find_titles",
    "lexicon",
    "person_id",
    "rows",
    "tag",
]


def tag(text: str, author: str | None = None) -> Tagged:
    """Persons, their roles and the organisations of one normalised article text."""
    lex = lexicon()
    words = Words(text, lex)  # the article's words, indexed once for the scans of the word lists
    bodies: BodiesAt = {}  # the article's body parses, by position
    titles = find_titles(text, lex, words, bodies)
    organizations = find_organizations(text, lex, titles, words, bodies)
    # A run written after a level word elsewhere in the article is a place there too ("huyện Thạch Hà").
    places = {org.place for org in [*organizations, *(t.body for t in titles if t.body)] if org.place}
    found = find_names(text, lex, titles, author, words)
    # A surname-led run inside a body's name is the body's ("Tỉnh Đoàn Tiền Giang"), not a person.
    org_spans = Taken([(org.start, org.end) for org in organizations])
    names: list[Name] = [
        name
        for name in found
        if text[name.start : name.end] not in places
        and not (name.rule == "name.surname" and org_spans.overlaps(name.start, name.end))
        and not named_after(text, name.start, lex)
    ]
    ranks = {
        start: match
        for start, _, _ in names
        if (match := lex.rank_pattern.search(text, max(0, start - RANK_BEFORE), start + 1)) and match.end() == start
    }
    linked, former = chains(text, titles, names, lex, {start: match.start() for start, match in ranks.items()})
    table = shortenings([FullName(start, text[start:end]) for start, end, _ in names if " " in text[start:end]])
    persons: dict[str, PersonSpan] = {}
    roles: list[RoleLink] = []
    for start, end, rule in names:
        checkpoint()
        mention = text[start:end]
        name = full_name(mention, start, table) or mention  # "đồng chí Thạch" is Phạm Viết Thạch
        if (person := persons.get(name)) is None:  # a PersonSpan made for a new person only, not each mention
            person = persons[name] = PersonSpan(name, start, end, rule)
        person.mentions.append((start, end))
        if start in ranks and person.rank is None:
            person.rank = lex.ranks[ranks[start].group().strip().casefold()]
        roles.extend(RoleLink(person, title, how, title.start in former) for title, how in linked.get(start, []))
    later_mentions(text, persons, lex)
    # A title given from afar ("... và giữ chức R") comes after those written next to a name: where a person's
    # title is written both ways, the row keeps the span next to the name.
    roles.sort(key=lambda link: link.rule in {"role.subject", "role.former"})
    return Tagged(list(persons.values()), roles, organizations)
