"""Character spans: a set of non-overlapping spans with logarithmic overlap tests, and where a literal
is written in a text.

The tagger and the extractors keep what they have taken and skip what overlaps it; with a plain list
that is quadratic, which a page of a million characters turns into minutes.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterator


class Taken:
    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self._spans: list[tuple[int, int]] = []
        for start, end in spans or []:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a span already taken."""
        index = bisect_right(self._spans, (start, float("inf")))
        if index and self._spans[index - 1][1] > start:
            return True
        return index < len(self._spans) and self._spans[index][0] < end

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))

    def take(self, start: int, end: int) -> bool:
        """Add [start, end) unless it overlaps; whether it was added."""
        if self.overlaps(start, end):
            return False
        self.add(start, end)
        return True


def occurrences(text: str, word: str) -> Iterator[int]:
    """Every offset at which WORD is written in TEXT, overlapping ones too (str.find: far faster than a regex
    scan for a literal)."""
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + 1)
