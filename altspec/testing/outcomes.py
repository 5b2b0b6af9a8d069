"""Yield helpers: the standard shapes of a vector (pre, input, post or a reason code)."""

from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import Any

from altspec.testing.context import Part


class WrongOutcome(AssertionError):
    """A spec call accepted what the test expected it to reject, or rejected it for another
    reason."""


def expect_rejection(reason: str, apply: Callable[[], object], state: Any) -> None:
    """Check that `apply()` rejects with `reason` and leaves `state` exactly as it was."""
    root = state.hash_tree_root()
    try:
        apply()
    except AssertionError as error:
        if str(error) != reason:
            raise WrongOutcome(f"rejected with {str(error)!r}, expected {reason!r}") from error
    else:
        raise WrongOutcome(f"accepted, expected rejection with {reason!r}")
    if state.hash_tree_root() != root:
        raise WrongOutcome(f"rejected with {reason!r} but the state changed")


def run_blocks(
    spec: ModuleType, state: Any, blocks: Sequence[Any], reason: str | None = None
) -> Iterator[Part]:
    """Yield a sanity vector: `pre`, `blocks_<i>`, then `post`, or no post and `reason` when the
    last block is invalid (all earlier blocks must be valid)."""
    yield "pre", state.copy()
    yield "meta", {"blocks_count": len(blocks)}
    for index, block in enumerate(blocks):
        yield f"blocks_{index}", block
    last = len(blocks) - 1 if reason is not None else len(blocks)
    for block in blocks[:last]:
        spec.state_transition(state, block)
        spec.check_invariants(state)
    if reason is None:
        yield "post", state
        return
    expect_rejection(reason, lambda: spec.state_transition(state, blocks[last]), state)
    yield "meta", {"reason": reason}
    yield "post", None


def apply_atomically(state: Any, apply: Callable[[Any], object]) -> None:
    """Run `apply(post)` on a copy `post` of `state` and adopt the copy only if it returns, as
    a block does with its operations: a rejected step leaves `state` exactly as it was."""
    post = state.copy()
    apply(post)
    state.set_backing(post.get_backing())


def run_step(
    state: Any, name: str, given: Any, apply: Callable[[Any], object], reason: str | None = None
) -> Iterator[Part]:
    """Yield a one-step vector: `pre`, the input as `<name>`, then `post`, or no post and
    `reason` when `apply` must reject it (checked, with the state left unchanged)."""
    yield "pre", state.copy()
    yield name, given
    if reason is None:
        apply_atomically(state, apply)
        yield "post", state
        return
    expect_rejection(reason, lambda: apply_atomically(state, apply), state)
    yield "meta", {"reason": reason}
    yield "post", None


def run_operation(
    spec: ModuleType,
    state: Any,
    name: str,
    operation: Any,
    process: Callable[[Any, Any], None],
    reason: str | None = None,
) -> Iterator[Part]:
    """Yield an operations vector: `pre`, the operation as `<name>`, then `post`, or no post and
    `reason` when the operation is invalid; applied with `apply_atomically`."""
    yield from run_step(state, name, operation, lambda post: process(post, operation), reason)
