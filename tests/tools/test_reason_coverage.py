"""Every reason code a block can be rejected with is hit by an invalid vector, and every
invalid vector names a reason code the spec has (DESIGN.md section 5)."""

from pathlib import Path

import yaml

from altspec.compiler.reasons import block_reason_codes
from altspec.paths import REPO_ROOT, VECTORS_DIR


def vector_reasons() -> dict[str, list[Path]]:
    """The reasons recorded in the committed vectors, with the cases that record them."""
    found: dict[str, list[Path]] = {}
    for meta in sorted(VECTORS_DIR.rglob("meta.yaml")):
        reason = (yaml.safe_load(meta.read_text()) or {}).get("reason")
        if reason is not None:
            found.setdefault(reason, []).append(meta.parent)
    return found


def test_every_reason_code_is_hit_by_a_vector() -> None:
    missing = sorted(block_reason_codes(REPO_ROOT) - vector_reasons().keys())
    assert missing == [], f"reason codes no invalid vector hits: {missing}"


def test_every_vector_reason_is_a_spec_reason_code() -> None:
    unknown = sorted(vector_reasons().keys() - block_reason_codes(REPO_ROOT))
    assert unknown == [], f"vectors name reason codes the spec does not have: {unknown}"


def test_every_reason_code_is_listed_in_a_page_table() -> None:
    tables = "".join(p.read_text() for p in (REPO_ROOT / "specs").glob("*.md"))
    unlisted = sorted(c for c in block_reason_codes(REPO_ROOT) if f"| `{c}` |" not in tables)
    assert unlisted == [], f"reason codes missing from the pages' Reason codes tables: {unlisted}"
