"""Fixtures of the compiler tests: a small spec tree copied into a temporary directory."""

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def spec_root(tmp_path: Path) -> Path:
    """A copy of fixtures/tree: two pages, presets minimal and mainnet, their YAML."""
    shutil.copytree(FIXTURES / "tree", tmp_path, dirs_exist_ok=True)
    return tmp_path
