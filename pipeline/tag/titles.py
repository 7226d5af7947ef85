"""Titles: a head from patterns/titles.yaml ("Phó Chủ tịch", "UVBTV") and the body that follows it ("HĐND
tỉnh")."""

from __future__ import annotations

from dataclasses import replace

from pipeline.deadline import checkpoint
from pipeline.tag.bodies import BodiesAt, body_at
from pipeline.tag.lexicon import Lexicon, Words
from pipeline.tag.types import TitleSpan


def find_titles(text: str, lex: Lexicon, words: Words | None = None, memo: BodiesAt | None = None) -> list[TitleSpan]:
    titles: list[TitleSpan] = []
    for match in (words or Words(text, lex)).scan(lex.head_pattern, lex.head_firsts):
        checkpoint()  # the time limit, where no timer signal reaches (Dask threads)
        if titles and match.start() < titles[-1].end:
            continue  # "Trưởng đoàn Đại biểu Quốc hội": a head inside the body of the title before it
        head = lex.canonical_head(match["head"])
        body_start = match.end() + 1
        prefix = lex.body_prefix.get(head)
        if prefix and text.startswith(f" {prefix} ", match.end()):
            prefix = None  # "Trưởng ban Ban Dân vận": the body's own name is written out after the head
        if prefix and text[match.start("head") : match.end("head")].casefold().endswith(prefix.casefold()):
            body_start = match.end() - len(prefix)  # "Trưởng Ban Tuyên giáo": the body is "Ban Tuyên giáo"
        body = body_at(text, body_start, f"title.body:{head}", lex, memo) if text.startswith(" ", match.end()) else None
        if body and body.end - body.start <= len(prefix or ""):
            body = None
        elif body and prefix:  # "Trưởng ban Tổ chức": the body is "Ban Tổ chức", in its canonical case
            body = replace(body, expanded=prefix + body.expanded[len(prefix) :])
        end = max(match.end(), body.end) if body else match.end()
        rule = "title.abbreviation" if match["head"] in lex.abbreviated_heads else "title.head"
        former = text[match.start() : match.start("head")].strip().split(" ")[0] in lex.former_modifiers
        titles.append(TitleSpan(match.start(), end, head, body, rule, former))
    return titles
