"""The persons, roles and organizations rows of one article, built from what the tagger found."""

from __future__ import annotations

import hashlib

from pipeline.tag.types import Tagged


def person_id(article_id: str, name: str) -> str:
    return hashlib.sha256(f"{article_id}\x1f{name}".encode()).hexdigest()[:12]


def rows(article_id: str, text: str, tagged: Tagged) -> dict[str, list[dict[str, object]]]:
    """The persons, roles and organizations rows of one article, before validation.

    Roles are one row per (person, title, body): a title repeated at every mention is one role, and a title
    written once without its body ("UVBTV") is dropped when the same person's same title is also given with it.
    """
    persons, roles, seen = [], [], set()
    for person in tagged.persons:
        identifier = person_id(article_id, person.name)
        first = min(person.mentions)
        persons.append(
            {"article_id": article_id, "person_id": identifier, "name": person.name,
             "n_mentions": len(person.mentions), "start": first[0], "end": first[1], "rule": person.rule}
        )  # fmt: skip
    with_body = {(id(link.person), link.title.head) for link in tagged.roles if link.title.body}
    for link in tagged.roles:
        organization = link.title.body.expanded if link.title.body else None
        key = (id(link.person), link.title.head, organization.casefold() if organization else None)
        if key in seen or (organization is None and key[:2] in with_body):
            continue
        seen.add(key)
        roles.append(
            {"article_id": article_id, "person_id": person_id(article_id, link.person.name),
             "person_name": link.person.name, "title": link.title.head, "organization": organization,
             "raw": text[link.title.start : link.title.end], "start": link.title.start, "end": link.title.end,
             "rank": link.person.rank, "former": link.former, "rule": f"{link.rule}+{link.title.rule}"}
        )  # fmt: skip
    organizations = [
        {"article_id": article_id, "name": org.name, "name_expanded": org.expanded, "kind": org.kind,
         "level": org.level, "place": org.place, "start": org.start, "end": org.end, "rule": org.rule}
        for org in tagged.organizations
    ]  # fmt: skip
    return {"persons": persons, "roles": roles, "organizations": organizations}
