"""Stage 3: sentences and tokens, as character spans of the normalised text.

Sentences come from underthesea's sentence splitter, run on each paragraph (a sentence never crosses a
line break in these pages) and mapped back to offsets. Tokens are syllables and punctuation marks: the
unit the rules of the later stages count in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex
from underthesea import sent_tokenize

_PARAGRAPH = regex.compile(r"[^\n]+")
_TOKEN = regex.compile(r"\w+(?:[./-]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentences(text: str) -> list[Span]:
    """The sentences of TEXT, in order, each as offsets into TEXT."""
    spans: list[Span] = []
    for paragraph in _PARAGRAPH.finditer(text):
        cursor = paragraph.start()
        for sentence in sent_tokenize(paragraph.group()):
            start = text.find(sentence, cursor, paragraph.end())
            if start < 0:  # the splitter altered the text: fall back to the whole rest of the paragraph
                spans.append(Span(cursor, paragraph.end()))
                break
            spans.append(Span(start, start + len(sentence)))
            cursor = start + len(sentence)
    return spans


def tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[Span]:
    """Syllables, numbers, codes ("16-ĐA/TU") and punctuation marks of TEXT[start:end]."""
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        yield Span(match.start(), match.end())
