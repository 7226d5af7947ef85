"""Stage 2: one spelling for one text. NFC, one tone-mark placement, one kind of space, quote and dash.

Every later offset refers to the text this stage returns.
"""

from __future__ import annotations

import unicodedata

import regex

_SPACES = regex.compile(r"[\t\p{Zs}\u00ad\u200b-\u200d\u2060\ufeff]+")
_TRAILING_SPACE = regex.compile(r" *\n *")
_BLANK_LINES = regex.compile(r"\n{3,}")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PUNCTUATION = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\r": "\n",
    }
)

# The tone of "oa", "oe", "uy" at the end of a syllable sits on the first vowel ("hóa", "khỏe", "thủy"),
# as in the samples' majority spelling; "quý" keeps its tone on "y" because "qu" is one consonant.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_OLD_STYLE_TONE = regex.compile(
    rf"(?<![qQ])([oOuU])(?:(?<=[oO])([aAeE])|(?<=[uU])([yY]))([{_TONES}])(?!\p{{L}}|\p{{M}})"
)


def _move_tone(match: regex.Match[str]) -> str:
    first, second = match.group(1), match.group(2) or match.group(3)
    return first + match.group(4) + second


def normalise(text: str) -> str:
    """The canonical form of a page's text; idempotent."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").translate(_PUNCTUATION))
    text = unicodedata.normalize("NFD", text)
    text = _OLD_STYLE_TONE.sub(_move_tone, text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    text = _TRAILING_SPACE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()
