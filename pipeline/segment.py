"""Stage 3: sentences and tokens, as character spans of the normalised text.

Sentences are underthesea's: its Punkt-style splitter (`underthesea.sent_tokenize`) with its abbreviation
model, run on each paragraph (a sentence never crosses a line break in these pages). Its loop reads every
character in Python; here the same rules are applied only where a sentence can end (".", "?", "!"), and the
offsets come out directly instead of being found again. tests/test_segment.py checks that the sentences are
underthesea's own on real and generated paragraphs. Tokens are syllables and punctuation marks: the unit the
rules of the later stages count in.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import regex

from pipeline.deadline import checkpoint

_PARAGRAPH = regex.compile(r"[^\n]+")
_TOKEN = regex.compile(r"\w+(?:[./-]\w+)*|[^\w\s]")
_END_MARKS = ".?!"  # underthesea's SENT_END_CHARS
_END_MARK = regex.compile(f"[{regex.escape(_END_MARKS)}]")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class Abbreviations(NamedTuple):
    words: frozenset[str]
    longest: int  # no longer word is one of them: lowercasing never shortens a word


@cache
def _abbreviations() -> Abbreviations:
    """The abbreviations after which underthesea's splitter does not end a sentence at a ".": its model
    file and its own additions, loaded from its module's file, not by importing the package (whose
    __init__ loads classifiers and numpy: a quarter of a second at every start, for a list of words)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("underthesea is not installed")
    path = Path(spec.submodule_search_locations[0]) / "pipeline" / "sent_tokenize" / "__init__.py"
    module_spec = importlib.util.spec_from_file_location("_underthesea_sent_tokenize", path)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"underthesea's sentence splitter is not at {path}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    module._load_model()
    words = frozenset(module.sentence_tokenizer.abbrev_types)
    return Abbreviations(words, max(map(len, words)))


def _is_boundary(text: str, at: int, abbreviations: Abbreviations) -> bool:
    """underthesea's PunktSentenceTokenizer._is_sentence_boundary: a mark ends a sentence unless it is the
    "." of a number ("1.500") or follows an abbreviation ("TP.", "Th.")."""
    if text[at] != ".":
        return True
    if at > 0 and text[at - 1].isdigit() and at + 1 < len(text) and text[at + 1].isdigit():
        return False
    # The word before is read back no further than the longest abbreviation (underthesea reads it whole:
    # on "a.a.a.…" that is quadratic in the paragraph's length).
    begin, stop = at, max(0, at - abbreviations.longest - 1)
    while begin > stop and (text[begin - 1].isalnum() or text[begin - 1] == "."):
        begin -= 1
    return not (begin < at <= begin + abbreviations.longest and text[begin:at].lower() in abbreviations.words)


def _pieces(text: str) -> Iterator[tuple[int, int]]:
    """underthesea's sentences_from_text, as (start, end) before stripping: the same walk, jumping from
    one end mark to the next."""
    abbreviations = _abbreviations()
    size = len(text)
    start = at = 0
    while mark := _END_MARK.search(text, at):
        checkpoint()  # the time limit, where no timer signal reaches (Dask threads)
        at = mark.start()
        if text[at] == ".":
            dots_end = at
            while dots_end < size and text[dots_end] == ".":
                dots_end += 1
            if dots_end - at >= 3:  # an ellipsis ends a sentence only before a capital or the end
                after = dots_end
                while after < size and text[after] in " \t":
                    after += 1
                if after >= size or text[after].isupper():
                    yield start, dots_end
                    while dots_end < size and text[dots_end] in " \t\n\r":
                        dots_end += 1
                    start = dots_end
                at = dots_end
                continue
        if _is_boundary(text, at, abbreviations):
            end = at + 1
            while end < size and text[end] in _END_MARKS:
                end += 1
            yield start, end
            while end < size and text[end] in " \t\n\r":
                end += 1
            start = at = end
            continue
        at += 1
    yield start, size


def sentences(text: str) -> list[Span]:
    """The sentences of TEXT, in order, each as offsets into TEXT."""
    spans: list[Span] = []
    for paragraph in _PARAGRAPH.finditer(text):
        offset = paragraph.start()
        body = paragraph.group()
        for start, end in _pieces(body):
            piece = body[start:end]
            stripped = piece.strip()
            if stripped:
                start += len(piece) - len(piece.lstrip())
                spans.append(Span(offset + start, offset + start + len(stripped)))
    return spans


def tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[Span]:
    """Syllables, numbers, codes ("16-ĐA/TU") and punctuation marks of TEXT[start:end]."""
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        yield Span(match.start(), match.end())
