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


def run_operation(
    spec: ModuleType,
    state: Any,
    name: str,
    operation: Any,
    process: Callable[[Any, Any], None],
    reason: str | None = None,
) -> Iterator[Part]:
    """Yield an operations vector: `pre`, the operation as `<name>`, then `post`, or no post and
    `reason` when the operation is invalid.

    The operation is applied to a copy that is adopted only when it is accepted, as a block
    would: an invalid operation leaves the state exactly as it was.
    """
    yield "pre", state.copy()
    yield name, operation

    def apply() -> None:
        post = state.copy()
        process(post, operation)
        state.set_backing(post.get_backing())

    if reason is None:
        apply()
        yield "post", state
        return
    expect_rejection(reason, apply, state)
    yield "meta", {"reason": reason}
    yield "post", None
