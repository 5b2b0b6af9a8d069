"""sanity/blocks: whole blocks through `state_transition`, valid and invalid."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import apply_block, build_block
from altspec.testing.context import Part, spec_state_test
from altspec.testing.outcomes import run_blocks

RUNNER = "sanity"
HANDLER = "blocks"


@spec_state_test
def test_empty_block(spec: ModuleType, state: Any) -> Iterator[Part]:
    """One block with no operations at the next slot."""
    block = build_block(spec, state, randomness=b"\x11" * 32)
    yield from run_blocks(spec, state, [block])
    assert state.latest_block_header.slot == block.slot


@spec_state_test
def test_skipped_slots(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A block after several empty slots, across an epoch boundary."""
    block = build_block(spec, state, slot=int(spec.SLOTS_PER_EPOCH) + 2)
    yield from run_blocks(spec, state, [block])
    assert spec.get_current_epoch(state) == 1


@spec_state_test
def test_chain_of_blocks(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Several consecutive blocks, each mixing in new randomness."""
    pre = state.copy()
    blocks = []
    for index in range(3):
        blocks.append(apply_block(spec, pre, randomness=bytes([index + 1]) * 32))
    yield from run_blocks(spec, state, blocks)
    assert state == pre


@spec_state_test
def test_invalid_state_root(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A block whose state root is not the root of the state after it."""
    block = build_block(spec, state)
    block.state_root = spec.Root(b"\x42" * 32)
    yield from run_blocks(spec, state, [block], reason="state_root_mismatch")


@spec_state_test
def test_invalid_parent_root(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A block that does not extend the latest block."""
    block = build_block(spec, state)
    block.parent_root = spec.Root(b"\x01" * 32)
    yield from run_blocks(spec, state, [block], reason="parent_root_mismatch")


@spec_state_test
def test_invalid_slot_not_in_future(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second block at the slot of the previous one."""
    first = build_block(spec, state)
    pre = state.copy()
    spec.state_transition(pre, first)
    second = spec.Block(slot=first.slot, parent_root=spec.hash_tree_root(pre.latest_block_header))
    yield from run_blocks(spec, state, [first, second], reason="slot_not_in_future")
