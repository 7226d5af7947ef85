"""Load the rules kept as data in pipeline/patterns/ (YAML a reader can edit), compiled once per process.

The YAML files ship inside the package (a wheel carries them); VNEXTRACT_PATTERNS names another folder of
the same files to run with edited rules. `check()` validates every file against its schema
(pipeline/patterns/schemas.py) before a run starts, so a misspelt key or a broken regex stops the run at
once with the file and the key, instead of failing in every worker.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import regex
import yaml

PATTERNS_DIR = Path(os.environ.get("VNEXTRACT_PATTERNS") or str(files("pipeline.patterns")))


class RulesError(Exception):
    """A patterns file that does not follow its schema; the message names the file and the key."""


@cache
def load(name: str) -> Any:
    """The parsed content of patterns/NAME.yaml."""
    with (PATTERNS_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def check() -> None:
    """Validate every patterns file against its schema; raise RulesError naming each file and key at fault."""
    from pydantic import ValidationError

    from pipeline.patterns.schemas import SCHEMAS

    problems = []
    for name, schema in SCHEMAS.items():
        path = PATTERNS_DIR / f"{name}.yaml"
        try:
            schema.model_validate(load(name))
        except FileNotFoundError:
            problems.append(f"{path}: missing")
        except yaml.YAMLError as error:
            problems.append(f"{path}: not YAML: {error}")
        except ValidationError as error:
            for item in error.errors():
                key = ".".join(map(str, item["loc"])) or "(the file)"
                problems.append(f"{path}: {key}: {item['msg']}")
    if problems:
        raise RulesError("; ".join(problems))


def compile_lines(expressions: list[str]) -> list[regex.Pattern[str]]:
    """Whole-line, case-insensitive patterns, as the furniture rules are written."""
    return [regex.compile(expression, regex.IGNORECASE | regex.V0) for expression in expressions]
