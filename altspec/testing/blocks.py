"""Building and applying blocks in tests."""

from types import ModuleType
from typing import Any


def build_block(spec: ModuleType, state: Any, slot: int | None = None, **body: Any) -> Any:
    """A block at `slot` (default: the next slot) that extends the state's latest block, with
    the given body fields and its state root filled in."""
    slot = spec.Slot(state.slot + 1 if slot is None else slot)
    ahead = state.copy()
    if ahead.slot < slot:
        spec.process_slots(ahead, slot)
    block = spec.Block(
        slot=slot,
        parent_root=spec.hash_tree_root(ahead.latest_block_header),
        body=spec.BlockBody(**body),
    )
    return seal_block(spec, state, block)


def seal_block(spec: ModuleType, state: Any, block: Any) -> Any:
    """`block` with `state_root` set to the root of the state after it."""
    post = state.copy()
    spec.process_slots(post, block.slot)
    spec.process_block(post, block)
    block.state_root = spec.hash_tree_root(post)
    return block


def apply_block(spec: ModuleType, state: Any, slot: int | None = None, **body: Any) -> Any:
    """Build a block and apply it to `state`; return the block."""
    block = build_block(spec, state, slot, **body)
    spec.state_transition(state, block)
    return block


def advance_slots(spec: ModuleType, state: Any, count: int) -> None:
    """Move `state` `count` empty slots ahead (no block)."""
    spec.process_slots(state, spec.Slot(state.slot + count))


def advance_to_epoch_end(spec: ModuleType, state: Any) -> None:
    """Move `state` to the last slot of its epoch, so the next slot runs epoch processing."""
    last = (state.slot // spec.SLOTS_PER_EPOCH + 1) * spec.SLOTS_PER_EPOCH - 1
    if last > state.slot:
        spec.process_slots(state, spec.Slot(last))


def advance_epochs(spec: ModuleType, state: Any, count: int) -> None:
    """Move `state` to the first slot `count` epochs later (running each epoch boundary)."""
    target = (state.slot // spec.SLOTS_PER_EPOCH + count) * spec.SLOTS_PER_EPOCH
    spec.process_slots(state, spec.Slot(target))
