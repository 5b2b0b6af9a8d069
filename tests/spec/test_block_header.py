"""operations/block_header: `process_block_header` on a state already advanced to the block's
slot."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import apply_block, build_block
from altspec.testing.context import Part, spec_state_test
from altspec.testing.outcomes import run_operation

RUNNER = "operations"
HANDLER = "block_header"


def header_case(
    spec: ModuleType, state: Any, block: Any, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_block_header` vector (`state` is at the slot being processed)."""
    yield from run_operation(spec, state, "block", block, spec.process_block_header, reason)


@spec_state_test
def test_valid_header(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A header at the state's slot that extends the latest block."""
    block = build_block(spec, state)
    spec.process_slots(state, block.slot)
    yield from header_case(spec, state, block)
    assert state.latest_block_header.body_root == spec.hash_tree_root(block.body)


@spec_state_test
def test_invalid_slot_mismatch(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A header for another slot than the state's."""
    block = build_block(spec, state, slot=2)
    spec.process_slots(state, spec.Slot(1))
    yield from header_case(spec, state, block, reason="block_slot_mismatch")


@spec_state_test
def test_invalid_not_newer(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second header at the slot of the latest block."""
    first = apply_block(spec, state)
    second = first.copy()
    second.parent_root = spec.hash_tree_root(state.latest_block_header)
    yield from header_case(spec, state, second, reason="block_not_newer")


@spec_state_test
def test_invalid_parent_root(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A header that names another parent than the latest block."""
    block = build_block(spec, state)
    block.parent_root = spec.Root(b"\x07" * 32)
    spec.process_slots(state, block.slot)
    yield from header_case(spec, state, block, reason="parent_root_mismatch")
