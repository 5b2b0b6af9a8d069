"""Where things are in a checkout."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = REPO_ROOT / "specs"
VECTORS_DIR = REPO_ROOT / "tests" / "vectors"
SPEC_TESTS_DIR = REPO_ROOT / "tests" / "spec"
