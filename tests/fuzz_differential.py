"""Differential fuzzing of two checkouts of vnextract: same input, same output? (slow, opt-in; not a pytest test)

    python tests/fuzz_differential.py --old /path/to/old/checkout --corpus ../shared/corpus -n 5000

Generates texts (corpus sentences and paragraphs, spliced and mutated: case, NFD, old-style tones, odd
spaces, letters that casefold to two, glued words and digits, long runs, lists built from the patterns'
own vocabulary), runs normalise, split_page, tag and page.analyse on each in one subprocess per checkout
(PYTHONPATH selects the code) and prints every input whose output differs, smallest first. The new
checkout defaults to this one. Needs the old checkout, so it cannot run as part of `make test`.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]


def _vocabulary(checkout: Path) -> list[str]:
    """Words and phrases the rules know (titles, honorifics, surnames, document types...), read from YAML."""
    import yaml

    words: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and len(value) < 40 and not re.search(r"[\\(){}\[\]^$|<>]", value):
            words.add(value)

    for name in ("persons", "titles", "organizations", "documents", "places"):
        walk(yaml.safe_load((checkout / "pipeline" / "patterns" / f"{name}.yaml").read_text(encoding="utf-8")))
    return sorted(words)


_SPACES = ["\u00a0", "\t", "\u200b", "\ufeff", "\u00ad", "  ", "\u3000", "\n", "\r\n", ""]
_OLD_TONES = {"hóa": "hoá", "Hóa": "Hoá", "ủy": "uỷ", "Ủy": "Uỷ", "thúy": "thuý", "hòa": "hoà", "thủy": "thuỷ"}
_DATES = [
    "22.4",
    "25-26/12",
    "Cập nhật ngày: 23/04/2025 08:15",
    "ngày 08/6",
    "29/2/2023",
    "Thứ Hai, 08/06/2020 - 09:15",
]


def _mutate(text: str, rng: random.Random, vocabulary: list[str], sentences: list[str]) -> str:
    words = text.split(" ")
    i = rng.randrange(len(words))
    kind = rng.randrange(10)
    if kind == 0:
        return rng.choice([text.lower(), text.upper(), text.title(), text.casefold()])
    if kind == 1:
        return unicodedata.normalize(rng.choice(["NFD", "NFKD"]), text)
    if kind == 2:
        for new, old in _OLD_TONES.items():
            text = text.replace(new, old)
        return text
    if kind == 3:  # odd spaces, glued words, a letter that casefolds to two, a mark, digits or an underscore
        words[i] += rng.choice([rng.choice(_SPACES), "ß", "İ", "\u0301", str(rng.randint(0, 99)), "_"])
        return (rng.choice(["", " "])).join(words) if rng.random() < 0.1 else " ".join(words)
    if kind == 4:  # a long run
        words.insert(i, rng.choice(["Nguyễn ", "Bí Thư ", "Tỉnh Ủy ", "A ", "ngày 1/1 "]) * rng.randint(20, 400))
    elif kind == 5:
        words.insert(i, rng.choice(_DATES))
    elif kind == 6:  # a splice of another sentence
        other = rng.choice(sentences)
        return text[: rng.randrange(len(text) + 1)] + other[rng.randrange(len(other) + 1) :]
    else:  # the rules' own words, in lists
        joiner = rng.choice([", ", " và ", "; ", ": ", " - ", " (", ""])
        words.insert(i, joiner.join(rng.choice(vocabulary) for _ in range(rng.randint(1, 6))))
    return " ".join(words)


def generate(corpus: Path, checkout: Path, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocabulary = _vocabulary(checkout)
    documents = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(corpus.glob("*.txt"))]
    paragraphs = [line for document in documents for line in document.split("\n") if line.strip()]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.;!?])\s+", p) if len(s) > 20]
    texts = []
    for _ in range(count):
        parts = [rng.choice(sentences if rng.random() < 0.7 else paragraphs) for _ in range(rng.randint(1, 8))]
        for _ in range(rng.choice([0, 1, 2, 3, 5])):
            index = rng.randrange(len(parts))
            parts[index] = _mutate(parts[index], rng, vocabulary, sentences)
        texts.append(rng.choice(["\n", "\n\n", " "]).join(parts))
    return texts


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value)


def run_side(inputs: Path, output: Path) -> None:
    """In the subprocess: every stage's output for each text, one JSON line each (an exception is output)."""
    from pipeline import page, tag
    from pipeline.layout import split_page
    from pipeline.normalise import normalise

    def attempt(stage: Any, *arguments: Any) -> Any:
        try:
            return stage(*arguments)
        except Exception as error:  # a crash on one side only is a difference too
            return {"exception": type(error).__name__, "message": str(error)[:200]}

    with inputs.open(encoding="utf-8") as lines, output.open("w", encoding="utf-8") as out:
        for line in lines:
            text = json.loads(line)
            normalised = attempt(normalise, text)
            row: dict[str, Any] = {"normalise": normalised}
            if isinstance(normalised, str):
                layout = attempt(split_page, normalised)
                row["layout"] = layout
                row["tag"] = attempt(tag.tag, normalised)
                if getattr(layout, "text", ""):
                    row["analyse"] = attempt(page.analyse, "fuzz", layout)
            out.write(json.dumps(row, default=_plain, ensure_ascii=False, sort_keys=True) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", type=Path, required=True, help="the checkout to compare against")
    parser.add_argument("--new", type=Path, default=HERE, help="the checkout under test (default: this one)")
    parser.add_argument("--corpus", type=Path, required=True, help="a folder of .txt articles to seed from")
    parser.add_argument("-n", type=int, default=2000, help="how many texts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--side", nargs=2, type=Path, help=argparse.SUPPRESS)  # the subprocess's inputs, output
    args = parser.parse_args()
    if args.side:
        run_side(*args.side)
        return 0
    texts = generate(args.corpus, args.old, args.n, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "inputs.jsonl"
        inputs.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
        results = []
        for side in (args.old, args.new):
            output = Path(folder) / f"{side.name}.jsonl"
            environment = {**os.environ, "PYTHONPATH": str(side.resolve())}
            command = [sys.executable, __file__, "--old", str(args.old), "--corpus", str(args.corpus)]
            subprocess.run([*command, "--side", str(inputs), str(output)], env=environment, check=True)
            results.append(output.read_text(encoding="utf-8").splitlines())
    differing = sorted(
        (i for i, (a, b) in enumerate(zip(*results, strict=True)) if a != b), key=lambda i: len(texts[i])
    )
    for index in differing[:20]:
        old, new = (json.loads(side[index]) for side in results)
        stages = [stage for stage in old if old[stage] != new.get(stage)]
        print(f"--- {texts[index][:300]!r}\n    differs in {stages}")
    print(f"{len(texts)} texts, {len(differing)} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
