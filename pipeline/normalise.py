"""Stage 2: one spelling for one text. NFC, one tone-mark placement, one kind of space, quote and dash.

Every later offset refers to the text this stage returns.
"""

from __future__ import annotations

import re
import unicodedata

import regex

# Tabs, the space separators (\p{Zs}, all in the first plane) and invisible format characters: each becomes a
# space, then a run of spaces one. Replacing the few present beats a regex that stops at every space.
_OTHER_SPACES = tuple(
    (character, " ")
    for character in regex.findall(
        r"[[\t\p{Zs}\u00ad\u200b-\u200d\u2060\ufeff]--[ ]]", "".join(map(chr, range(0x10000))), regex.V1
    )
)
# Written with a literal head, which the re module searches for fast.
_SPACES = re.compile("  +")
_BLANK_LINES = re.compile("\n\n\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Replaced one character at a time: str.translate looks every character of a Vietnamese text up in a dict.
_PUNCTUATION = tuple(
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
    }.items()
)

# The tone of "oa", "oe", "uy" at the end of a syllable sits on the first vowel ("hóa", "khỏe", "thủy"),
# as in the samples' majority spelling; "quý" keeps its tone on "y" because "qu" is one consonant.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_OLD_STYLE_TONE = regex.compile(
    rf"(?<![qQ])([oOuU])(?:(?<=[oO])([aAeE])|(?<=[uU])([yY]))([{_TONES}])(?!\p{{L}}|\p{{M}})"
)


# The same syllable ends in composed (NFC) letters: "oá", "oẻ", "uỳ" before no letter or mark. In NFC text
# only these are moved, so the text is not decomposed and composed again whole.
_TONED = {
    vowels: "".join(unicodedata.normalize("NFC", v + t) for v in vowels for t in _TONES) for vowels in ("aAeE", "yY")
}
_OLD_STYLE_TONE_COMPOSED = regex.compile(
    rf"(?<![qQ])(?:[oO][{_TONED['aAeE']}]|[uU][{_TONED['yY']}])(?![\p{{L}}\p{{M}}])"
)


def _move_tone(match: regex.Match[str]) -> str:
    first, second = match.group(1), match.group(2) or match.group(3)
    return first + match.group(4) + second


def _move_tone_composed(match: regex.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFD", match.group())
    return unicodedata.normalize("NFC", _OLD_STYLE_TONE.sub(_move_tone, decomposed))


def _replace_present(text: str, replacements: tuple[tuple[str, str], ...]) -> str:
    """TEXT with each character of REPLACEMENTS replaced, looked for first: most are absent."""
    for character, replacement in replacements:
        if character in text:
            text = text.replace(character, replacement)
    return text


def normalise(text: str) -> str:
    """The canonical form of a page's text; idempotent."""
    text = _replace_present(text.replace("\r\n", "\n"), _PUNCTUATION)
    text = _CONTROL.sub("", text)
    if unicodedata.is_normalized("NFC", text):
        text = _OLD_STYLE_TONE_COMPOSED.sub(_move_tone_composed, text)
    else:
        text = unicodedata.normalize("NFD", text)
        text = _OLD_STYLE_TONE.sub(_move_tone, text)
        text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", _replace_present(text, _OTHER_SPACES))
    # No space next to a line break (the text's own ends are stripped below).
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()
