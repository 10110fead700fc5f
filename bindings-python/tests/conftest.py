"""Shared helpers of the test suite."""

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"


def load_vectors(name: str):
    """The shared test vectors `tests/vectors/<name>.json`, used by every binding."""
    path = VECTORS / f"{name}.json"
    if not path.exists():
        pytest.skip(f"{path} not present")
    return json.loads(path.read_text(encoding="utf-8"))
