"""sanity/slots: advancing the state through empty slots."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.context import Part, spec_state_test

RUNNER = "sanity"
HANDLER = "slots"


def run_slots(spec: ModuleType, state: Any, count: int) -> Iterator[Part]:
    """Yield `pre`, `slots` (how many slots to advance) and `post`."""
    yield "pre", state.copy()
    yield "slots", count
    spec.process_slots(state, spec.Slot(state.slot + count))
    yield "post", state


@spec_state_test
def test_one_slot(spec: ModuleType, state: Any) -> Iterator[Part]:
    """One empty slot."""
    yield from run_slots(spec, state, 1)
    assert state.slot == 1


@spec_state_test
def test_over_epoch_boundary(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Empty slots across an epoch boundary carry the randomness into the next epoch."""
    mix = spec.get_randomness_mix(state, 0)
    yield from run_slots(spec, state, int(spec.SLOTS_PER_EPOCH) + 1)
    assert spec.get_current_epoch(state) == 1
    assert spec.get_randomness_mix(state, 1) == mix


@spec_state_test
def test_records_roots(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Each slot records the previous state root and block root."""
    root = spec.hash_tree_root(state)
    yield from run_slots(spec, state, 2)
    assert state.state_roots[0] == root
    assert state.latest_block_header.state_root == root
    assert state.block_roots[1] == spec.hash_tree_root(state.latest_block_header)


@spec_state_test
def test_historical_roots_wrap(spec: ModuleType, state: Any) -> Iterator[Part]:
    """More empty slots than the root history holds: the ring buffer wraps."""
    yield from run_slots(spec, state, int(spec.SLOTS_PER_HISTORICAL_ROOT) + 3)
    assert state.slot == spec.SLOTS_PER_HISTORICAL_ROOT + 3
