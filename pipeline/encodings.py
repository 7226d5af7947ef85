"""Vietnamese legacy 8-bit encodings: Windows-1258, TCVN3 (ABC) and VNI, from the tables in
patterns/legacy_encodings.yaml.

None of these can be told from the bytes alone (every byte decodes to something), so each is tried and
the reading with the most common Vietnamese words wins. UTF-8 is always tried first, by the caller: a file
that is mostly valid UTF-8 is UTF-8, so no correct or slightly damaged UTF-8 file is turned into mojibake.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import regex

from pipeline.patterns import alternation, load


@cache
def _tables() -> tuple[dict[int, str], regex.Pattern[str], dict[str, str], dict[str, str], regex.Pattern[str]]:
    data = load("legacy_encodings")
    tcvn3 = dict(enumerate("".join(data["tcvn3_high"]), start=0x80)) | {int(k): v for k, v in data["tcvn3_low"].items()}
    marks = {byte: combining for pair, combining in data["vni_marks"].items() for byte in pair}
    letters = data["vni_letters"]
    bases = "aeiouyAEIOUY" + "".join(key for key, value in letters.items() if value.casefold() in "ơư")
    vni = regex.compile(f"([{bases}])([{''.join(marks)}])")
    words = regex.compile(rf"(?<!\p{{L}})(?:{alternation(data['common_words'])})(?!\p{{L}})")
    return tcvn3, vni, marks, letters, words


def decode_tcvn3(data: bytes) -> str:
    tcvn3 = _tables()[0]
    return unicodedata.normalize("NFC", "".join(tcvn3.get(byte, chr(byte)) for byte in data))


def decode_vni(data: bytes) -> str:
    _, vni, marks, letters, _ = _tables()
    text = data.decode("cp1252", errors="replace")
    text = vni.sub(lambda match: letters.get(match[1], match[1]) + marks[match[2]], text)
    text = text.translate(str.maketrans(letters))
    return unicodedata.normalize("NFC", text)


def decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


DECODERS = {"windows-1258": decode_cp1258, "tcvn3": decode_tcvn3, "vni": decode_vni}


def score(text: str) -> int:
    """How Vietnamese a decoding reads: the count of the genre's most common words in it."""
    return len(_tables()[4].findall(text))


def best_legacy(data: bytes) -> tuple[int, str, str]:
    """(score, encoding, text) of the legacy encoding whose reading of DATA is the most Vietnamese."""
    return max((score(text), name, text) for name, decode in DECODERS.items() if (text := decode(data)))


def decode_legacy(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of the legacy encoding that reads best, or None when none reads as Vietnamese."""
    best, name, text = best_legacy(data)
    return (text, name) if best > 0 else None
