"""finality/finality: multi-block MACH scenarios. A vector is a sanity/blocks vector (`pre`,
`blocks_<i>`, `post` or a reason for the last block) plus `checks.yaml`, the list of
`{rollup_id, l2_block_number, fast_final}` that `is_fast_final` gives after the last block (after
the last valid block when the last one is rejected)."""

from collections.abc import Iterable, Iterator, Sequence
from types import ModuleType
from typing import Any

from altspec.testing.blocks import apply_block
from altspec.testing.context import Part, spec_test
from altspec.testing.outcomes import run_blocks
from tests.spec.mach.helpers import (
    ROLLUP,
    alert_certificate,
    alert_data,
    attestation_data,
    certify,
    current_epoch,
    equivocation,
    fast_final_checks,
    mach_state,
    output_certificate,
    raise_alert,
    root,
    slashed_operators,
)

RUNNER = "finality"
HANDLER = "finality"


def run_finality(spec: ModuleType, state: Any, blocks: Sequence[Any], l2_blocks: Iterable[int],
                 reason: str | None = None) -> Iterator[Part]:
    """Yield a finality vector: the sanity/blocks parts, then `checks` for rollup 0 at
    `l2_blocks`, computed by the spec on the resulting state."""
    yield from run_blocks(spec, state, blocks, reason)
    yield "checks", fast_final_checks(spec, state, [(ROLLUP, b) for b in l2_blocks])


def certificate_of(spec: ModuleType, state: Any, l2_block: int, output_root: bytes,
                   signers: Iterable[int] = (0, 1, 2)) -> Any:
    """A certificate of `signers`, in the current epoch, for `output_root` at `l2_block`."""
    return output_certificate(spec, state, attestation_data(spec, state, l2_block, output_root),
                              signers)


def next_epoch_slot(spec: ModuleType, state: Any, epochs: int = 1) -> int:
    """The first slot `epochs` epochs after the current one."""
    return (current_epoch(spec, state) + epochs) * int(spec.SLOTS_PER_EPOCH)


@spec_test
def test_certify_then_fast_final(spec: ModuleType) -> Iterator[Part]:
    """A block carrying a certificate makes the output fast-final; uncertified blocks are not."""
    state = mach_state(spec)
    ahead = state.copy()
    blocks = [
        apply_block(spec, ahead, output_certificates=[certificate_of(spec, ahead, 10, root(1))]),
        apply_block(spec, ahead, output_certificates=[certificate_of(spec, ahead, 11, root(2))]),
    ]
    yield from run_finality(spec, state, blocks, [9, 10, 11, 12])
    assert [bool(spec.is_fast_final(state, ROLLUP, b)) for b in (9, 10, 11, 12)] == [
        False, True, True, False]


@spec_test
def test_alert_blocks_at_and_above(spec: ModuleType) -> Iterator[Part]:
    """An alert at block 11 takes fast finality from blocks 11 and 12, not from 10."""
    state = mach_state(spec)
    ahead = state.copy()
    certificates = [certificate_of(spec, ahead, b, root(b)) for b in (10, 11, 12)]
    alerted = alert_data(spec, ahead, 11, root(11), root(99))
    alert = alert_certificate(spec, ahead, alerted, (1, 2, 3))
    blocks = [
        apply_block(spec, ahead, output_certificates=certificates),
        apply_block(spec, ahead, alert_certificates=[alert]),
    ]
    yield from run_finality(spec, state, blocks, [10, 11, 12])
    assert [bool(spec.is_fast_final(state, ROLLUP, b)) for b in (10, 11, 12)] == [
        True, False, False]


@spec_test
def test_certify_above_active_alert(spec: ModuleType) -> Iterator[Part]:
    """Certificates above an active alert are recorded but not fast-final."""
    state = mach_state(spec)
    raise_alert(spec, state, 5, root(5), root(99))
    ahead = state.copy()
    certificates = [certificate_of(spec, ahead, b, root(b)) for b in (4, 5, 6)]
    blocks = [apply_block(spec, ahead, output_certificates=certificates)]
    yield from run_finality(spec, state, blocks, [4, 5, 6])
    assert len(state.certified_outputs) == 3
    assert [bool(spec.is_fast_final(state, ROLLUP, b)) for b in (4, 5, 6)] == [True, False, False]


@spec_test
def test_resolved_alerts_no_longer_block(spec: ModuleType) -> Iterator[Part]:
    """Alerts resolved by VITAL no longer block fast finality.

    The pre-state holds one dismissed and one upheld alert; the overturned root's block
    certifies with its expected root."""
    state = mach_state(spec)
    certify(spec, state, 11, root(11))
    dismissed = raise_alert(spec, state, 11, root(11), root(99))
    upheld = raise_alert(spec, state, 13, root(1), root(13))
    spec.resolve_alert(state, dismissed, spec.ALERT_DISMISSED)
    spec.resolve_alert(state, upheld, spec.ALERT_UPHELD)
    ahead = state.copy()
    certificates = [certificate_of(spec, ahead, b, root(b)) for b in (12, 13, 14)]
    blocks = [apply_block(spec, ahead, output_certificates=certificates)]
    yield from run_finality(spec, state, blocks, [11, 12, 13, 14])
    assert all(spec.is_fast_final(state, ROLLUP, b) for b in (11, 12, 13, 14))


@spec_test
def test_conflicting_certificates_slash_and_eject(spec: ModuleType) -> Iterator[Part]:
    """Conflicting certificates slash their common signers, who leave the committee for good.

    Block 10 is never fast-final; after the epoch boundary the remaining operators certify
    block 11 alone, and several epochs later the slashed operators are still out."""
    state = mach_state(spec)
    ahead = state.copy()
    first = certificate_of(spec, ahead, 10, root(1), (0, 1, 2))
    second = certificate_of(spec, ahead, 10, root(2), (1, 2, 3))
    blocks = [
        apply_block(spec, ahead, output_certificates=[first]),
        apply_block(spec, ahead, output_certificates=[second]),
    ]
    # The first block of the next epoch: the committee snapshot no longer holds 1 and 2.
    first_slot = next_epoch_slot(spec, ahead)
    later = ahead.copy()
    spec.process_slots(later, spec.Slot(first_slot))
    committee = spec.get_committee(later, ROLLUP, spec.SERVICE_MACH, current_epoch(spec, later))
    assert [int(m.operator_index) for m in committee.members] == [0, 3]
    remaining = certificate_of(spec, later, 11, root(3), (0, 3))
    blocks.append(apply_block(spec, ahead, slot=first_slot, output_certificates=[remaining]))
    # Several epochs later they are still out.
    blocks.append(apply_block(spec, ahead, slot=next_epoch_slot(spec, ahead, 3)))
    yield from run_finality(spec, state, blocks, [10, 11])
    assert slashed_operators(state) == [1, 2]
    assert not state.operators[1].active and not state.operators[2].active
    for epoch in range(current_epoch(spec, state) - 3, current_epoch(spec, state) + 1):
        committee = spec.get_committee(state, ROLLUP, spec.SERVICE_MACH, epoch)
        assert [int(m.operator_index) for m in committee.members] == [0, 3]
    assert not spec.is_fast_final(state, ROLLUP, 10)
    assert spec.is_fast_final(state, ROLLUP, 11)


@spec_test
def test_equivocation_evidence_then_ejected(spec: ModuleType) -> Iterator[Part]:
    """Equivocation evidence in a block slashes operator 3; it is ejected for good.

    Operators 0, 1 and 2 keep certifying in the following epochs."""
    state = mach_state(spec)
    ahead = state.copy()
    evidence = equivocation(spec, ahead, 20, root(1), [3], root(2), [2, 3])
    blocks = [apply_block(spec, ahead, mach_equivocations=[evidence])]
    for epochs in (1, 2):
        slot = next_epoch_slot(spec, ahead)
        later = ahead.copy()
        spec.process_slots(later, spec.Slot(slot))
        certificate = certificate_of(spec, later, 20 + epochs, root(epochs), (0, 1, 2))
        blocks.append(apply_block(spec, ahead, slot=slot, output_certificates=[certificate]))
    yield from run_finality(spec, state, blocks, [20, 21, 22])
    assert slashed_operators(state) == [3]
    assert not state.operators[3].active
    committee = spec.get_committee(state, ROLLUP, spec.SERVICE_MACH, current_epoch(spec, state))
    assert [int(m.operator_index) for m in committee.members] == [0, 1, 2]
    assert spec.is_fast_final(state, ROLLUP, 22)


@spec_test
def test_stale_certificate_rejected(spec: ModuleType) -> Iterator[Part]:
    """A block carrying a certificate older than the age limit is rejected.

    The certificate was signed `max_certificate_age_epochs + 1` epochs before the block."""
    state = mach_state(spec)
    ahead = state.copy()
    stale = certificate_of(spec, ahead, 11, root(2))
    fresh = certificate_of(spec, ahead, 10, root(1))
    blocks = [apply_block(spec, ahead, output_certificates=[fresh])]
    max_age = int(state.params.mach.max_certificate_age_epochs)
    late = next_epoch_slot(spec, ahead, max_age + 1)
    tip = ahead.copy()
    spec.process_slots(tip, spec.Slot(late))
    blocks.append(spec.Block(  # rejected before its state root is checked, so none is set
        slot=late,
        parent_root=spec.hash_tree_root(tip.latest_block_header),
        body=spec.BlockBody(output_certificates=[stale]),
    ))
    yield from run_finality(spec, state, blocks, [10, 11], reason="certificate_too_old")
    assert spec.is_fast_final(state, ROLLUP, 10)
    assert not spec.is_fast_final(state, ROLLUP, 11)
