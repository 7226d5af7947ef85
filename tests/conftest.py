from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.layout import Layout, split_page
from pipeline.normalise import normalise

# A bug must fail the test that meets it, not hide as an InternalError row (the CLI's --raise).
os.environ["VNEXTRACT_RAISE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "raw"


def sample_path(prefix: str) -> Path:
    return next(SAMPLES.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def sample_layouts() -> dict[str, Layout]:
    """The five shipped samples, normalised and split, keyed by their number ("000" ... "004")."""
    return {path.name[:3]: split_page(normalise(path.read_text("utf-8"))) for path in sorted(SAMPLES.glob("*.txt"))}
