"""vnextract: structured, validated records from Vietnamese party and council news."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.models import Record

# Offline always: underthesea and spaCy must never reach for a hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

__version__ = "0.1.0"


def extract_text(text: str, **metadata: Any) -> dict[str, list[Record]]:
    """The validated records of one article given as a string, by table (see pipeline/api.py)."""
    from pipeline.api import extract_text as run

    return run(text, **metadata)
