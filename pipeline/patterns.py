"""Load the rules kept as data in patterns/ (YAML a reader can edit), compiled once per process."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import regex
import yaml

PATTERNS_DIR = Path(os.environ.get("VNEXTRACT_PATTERNS", Path(__file__).resolve().parent.parent / "patterns"))


@cache
def load(name: str) -> Any:
    """The parsed content of patterns/NAME.yaml."""
    with (PATTERNS_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def compile_lines(expressions: list[str]) -> list[regex.Pattern[str]]:
    """Whole-line, case-insensitive patterns, as the furniture rules are written."""
    return [regex.compile(expression, regex.IGNORECASE | regex.V0) for expression in expressions]
