"""Load the rules kept as data in pipeline/patterns/ (YAML a reader can edit), compiled once per process.

The YAML files ship inside the package (a wheel carries them); VNEXTRACT_PATTERNS names another folder of
the same files to run with edited rules. `check()` validates every file against its schema
(pipeline/patterns/schemas.py) before a run starts, so a misspelt key or a broken regex stops the run at
once with the file and the key, instead of failing in every worker.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
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
    """The parsed content of patterns/NAME.yaml, its placeholders expanded.

    A list is written once and referred to elsewhere as `<<file.key>>`: as an item of a list, it stands for
    that list's items (or that mapping's keys); inside a string (a regex), for their alternation, longest
    first ("<<documents.type_codes>>" -> "(?:CTr|TTr|...|NQ|CT)"), or for a named regex as a group
    ("<<dates.term_years>>"). A new document type is then one line, and a shared regex is written once.
    """
    return _expand(_raw(name))


# The safe loader, on libyaml when PyYAML has it: the same documents, read ten times faster (~60 ms a run).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _raw(name: str) -> Any:
    with (PATTERNS_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_LOADER)


_PLACEHOLDER = regex.compile(r"<<(\w+)\.(\w+)>>")


def _target(file: str, key: str) -> Any:
    """What `<<file.key>>` stands for; RulesError when there is no such file or key, or when it holds a
    placeholder itself (one level only: no chains, so no cycles)."""
    try:
        data = _raw(file)
    except FileNotFoundError:
        raise RulesError(f"<<{file}.{key}>>: there is no {file}.yaml") from None
    if not isinstance(data, dict) or key not in data:
        raise RulesError(f"<<{file}.{key}>>: {file}.yaml has no key {key!r}")
    target = data[key]
    if "<<" in str(target):
        raise RulesError(f"<<{file}.{key}>>: it holds a placeholder itself; refer to the list it names")
    if not isinstance(target, str | list | dict):
        raise RulesError(f"<<{file}.{key}>>: a {type(target).__name__}, not a list, a mapping or a regex")
    return target


def _words(file: str, key: str) -> list[str]:
    target = _target(file, key)
    if isinstance(target, str):
        raise RulesError(f"<<{file}.{key}>>: a regex stands inside a regex, not as an item of a list")
    return [str(word) for word in target]  # a mapping's keys, or a list's items, as written


def _expand(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _expand(item) for key, item in value.items()}
    if isinstance(value, list):
        expanded: list[Any] = []
        for item in value:
            whole = _PLACEHOLDER.fullmatch(item) if isinstance(item, str) else None
            expanded += _words(*whole.groups()) if whole else [_expand(item)]
        return expanded
    if isinstance(value, str) and "<<" in value:
        return _PLACEHOLDER.sub(_regex_for, value)
    return value


def _regex_for(match: regex.Match[str]) -> str:
    """A placeholder inside a regex: a named regex as a group, a list as its alternation."""
    target = _target(match[1], match[2])
    return f"(?:{target})" if isinstance(target, str) else f"(?:{alternation(_words(match[1], match[2]))})"


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of WORDS literally, the longest first (so "Phó Bí thư" wins over "Bí thư")."""
    return "|".join(regex.escape(word) for word in sorted(set(words), key=len, reverse=True))


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
        except RulesError as error:  # a placeholder that stands for nothing
            problems.append(f"{path}: {error}")
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
