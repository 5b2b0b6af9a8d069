"""Properties of MACH (minimal preset), checked with hypothesis.

- Accountable safety: whenever two participation sets of one committee both meet the rollup's
  threshold `t` in every quorum, the members in both hold at least `2t - 100` percent of each
  quorum's weight (exact integer arithmetic). On spec containers, without BLS, over random
  committees, weights, thresholds and signer sets; plus an end-to-end check with real signatures
  that two accepted conflicting certificates slash exactly the signers of both.
- No replay: an attestation signature does not verify as an alert, for another rollup, or under
  another fork version (real BLS).
- The threshold line: for random stake distributions built to sit exactly on the line, the
  signers pass, and one base unit less in one quorum fails.
- Random sequences of MACH operations (certificates, alerts, equivocation evidence,
  resolutions, time) keep every invariant and transition check of the spec.
- Conflicting certificates of different epochs may share no signer: the block is conflicted.

`make test` runs derandomized examples (the counts below); `ALTSPEC_FUZZ_EXAMPLES=N` runs N
random examples of each property. With `-s` the session ends with a summary line per property.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from altspec import minimal as spec
from altspec.crypto import bls
from altspec.testing.blocks import advance_slots
from altspec.testing.genesis import genesis_state
from altspec.testing.keys import privkey, pubkey
from altspec.testing.machine import MachineStats, apply_atomically, check_step, fuzz_settings
from altspec.testing.operations import register_operators
from altspec.testing.staking import register_rollup
from tests.spec.mach.helpers import (
    ROLLUP,
    alert_certificate,
    alert_data,
    alt_units,
    attestation_data,
    equivocation,
    eth_units,
    mach_state,
    output_certificate,
    root,
    stakes,
)

SAFETY_EXAMPLES = 1000
"""Default examples of the accountable-safety property on containers."""

LINE_EXAMPLES = 300
"""Default examples of the threshold-line property."""

END_TO_END_EXAMPLES = 20
"""Default examples of the end-to-end slashing check (real BLS)."""

REPLAY_EXAMPLES = 25
"""Default examples of the no-replay property (real BLS)."""

SEQUENCE_EXAMPLES = 30
"""Default random sequences of MACH operations."""

SEQUENCE_STEPS = 16
"""The most steps of one sequence."""

QUORUMS = range(int(spec.NUM_QUORUMS))
MAX_MEMBERS = int(spec.MAX_COMMITTEE_SIZE)


@dataclass
class SafetyStats:
    """What the accountable-safety property saw over the session."""

    examples: int = 0
    both_accepted: int = 0
    failures: int = 0

    def summary(self) -> str:
        return (f"accountable safety: {self.examples} examples, failures: {self.failures} "
                f"({self.both_accepted} with both certificates accepted)")


SAFETY = SafetyStats()
SEQUENCES = MachineStats("mach sequences")


@pytest.fixture(scope="session", autouse=True)
def mach_summary() -> Iterator[None]:
    """Print the summaries at the end of the session (shown with `-s`)."""
    yield
    if SAFETY.examples or SEQUENCES.examples:
        print()
        print(SAFETY.summary())
        print(SEQUENCES.summary())
        print(SEQUENCES.details())


@cache
def _threshold_state() -> Any:
    """A genesis state with one rollup, whose thresholds the container properties set, and
    `MAX_MEMBERS` registered (unslashed) operators for the members of synthetic committees."""
    state = genesis_state(spec)
    register_rollup(spec, state, (int(spec.SERVICE_MACH),))
    register_operators(spec, state, MAX_MEMBERS)
    return state


def state_with_thresholds(thresholds: Sequence[int]) -> Any:
    state = _threshold_state().copy()
    state.rollups[ROLLUP].mach_thresholds = list(thresholds)
    return state


def make_committee(weights: Sequence[Sequence[int]]) -> Any:
    """A MACH committee of rollup 0 whose member `i` has `weights[i][q]` in quorum `q`."""
    members = [
        spec.CommitteeMember(operator_index=i, pubkey=pubkey(i), weights=list(w))
        for i, w in enumerate(weights)
    ]
    return spec.Committee(
        rollup_id=ROLLUP,
        service=spec.SERVICE_MACH,
        epoch=1,
        members=members,
        total_weights=[sum(w[q] for w in weights) for q in QUORUMS],
        participation=[False] * len(weights),
    )


def bits(flags: Sequence[bool]) -> Any:
    return spec.Bitlist[spec.MAX_COMMITTEE_SIZE](*flags)


thresholds_st = st.lists(
    st.integers(int(spec.MIN_MACH_THRESHOLD), int(spec.MAX_MACH_THRESHOLD)),
    min_size=len(QUORUMS), max_size=len(QUORUMS))

weight_st = st.one_of(st.integers(0, 3), st.integers(0, 10**6), st.integers(0, 10**27))
"""A member's weight in a quorum: tiny (ties and zeros), moderate, or realistic (18 decimals)."""

signs_st = st.sampled_from([True, True, True, False])
"""Whether a member signs: mostly yes, so that both sets often meet high thresholds."""


# --- Accountable safety --------------------------------------------------------------------


@st.composite
def committee_and_signers(draw: st.DrawFn) -> tuple[Any, list[int], list[bool], list[bool]]:
    size = draw(st.integers(1, MAX_MEMBERS))
    weights = [[draw(weight_st) for _ in QUORUMS] for _ in range(size)]
    thresholds = draw(thresholds_st)
    first = draw(st.lists(signs_st, min_size=size, max_size=size))
    second = draw(st.lists(signs_st, min_size=size, max_size=size))
    return make_committee(weights), thresholds, first, second


@fuzz_settings(SAFETY_EXAMPLES, 1)
@given(committee_and_signers())
def test_accountable_safety(case: tuple[Any, list[int], list[bool], list[bool]]) -> None:
    """Two participation sets that both meet the threshold in every quorum share at least
    `2t - 100` percent of each quorum's weight."""
    committee, thresholds, first, second = case
    state = state_with_thresholds(thresholds)
    participation_1, participation_2 = bits(first), bits(second)
    SAFETY.examples += 1
    try:
        accepted = []
        for participation in (participation_1, participation_2):
            reached = spec.is_quorum_reached(state, committee, participation)
            assert reached == all(
                spec.meets_threshold(spec.get_signed_weight(committee, participation, q),
                                     int(committee.total_weights[q]), thresholds[q])
                for q in QUORUMS)
            accepted.append(reached)
        if not all(accepted):
            return
        SAFETY.both_accepted += 1
        for quorum in QUORUMS:
            slashable = spec.get_slashable_weight(
                committee, participation_1, participation_2, quorum)
            total = int(committee.total_weights[quorum])
            assert slashable * 100 >= total * (2 * thresholds[quorum] - 100)
            assert slashable > 0  # thresholds above one half: someone is always accountable
    except AssertionError:
        SAFETY.failures += 1
        raise


@st.composite
def accepted_signer_sets(draw: st.DrawFn) -> tuple[list[int], list[int], list[int]]:
    """Stakes (in minimum weights) of 3 to 6 operators, and two signer sets grown in random
    order until each meets the default threshold."""
    count = draw(st.integers(3, 6))
    units = draw(st.lists(st.integers(1, 40), min_size=count, max_size=count))
    orders = [draw(st.permutations(range(count))) for _ in range(2)]
    return units, list(orders[0]), list(orders[1])


@fuzz_settings(END_TO_END_EXAMPLES, 1)
@given(accepted_signer_sets())
def test_conflicting_certificates_slash_intersection(
        case: tuple[list[int], list[int], list[int]]) -> None:
    """With real signatures: two accepted certificates of different roots for one block slash
    exactly the operators that signed both, and the block is no longer fast-final."""
    units, order_1, order_2 = case
    alt, eth = stakes(spec, units)
    state = mach_state(spec, operators=len(units), alt=alt, eth=eth)
    committee = spec.get_committee(state, ROLLUP, spec.SERVICE_MACH, spec.get_current_epoch(state))
    size = len(units)
    signer_sets: list[list[int]] = []
    for order in (order_1, order_2):
        signers: list[int] = []
        for index in order:
            signers.append(index)
            if spec.is_quorum_reached(state, committee, bits([i in signers for i in range(size)])):
                break
        signer_sets.append(sorted(signers))
    for output_root, signers in zip((root(1), root(2)), signer_sets, strict=True):
        data = attestation_data(spec, state, 10, output_root)
        certificate = output_certificate(spec, state, data, signers)

        def process(post: Any, certificate: Any = certificate) -> None:
            spec.process_output_certificate(post, certificate)

        pre = state.copy()
        assert apply_atomically(state, "output_certificate", process) is None
        check_step(spec, pre, state)
    common = sorted(set(signer_sets[0]) & set(signer_sets[1]))
    assert [int(r.operator_index) for r in state.slashings] == common
    assert [i for i, op in enumerate(state.operators) if op.slashed] == common
    assert state.certified_outputs[0].conflicted
    assert not spec.is_fast_final(state, ROLLUP, 10)
    participation_1, participation_2 = ([i in s for i in range(size)] for s in signer_sets)
    for quorum in QUORUMS:
        slashable = spec.get_slashable_weight(committee, bits(participation_1),
                                              bits(participation_2), quorum)
        threshold = int(state.rollups[ROLLUP].mach_thresholds[quorum])
        assert slashable * 100 >= int(committee.total_weights[quorum]) * (2 * threshold - 100)
        assert slashable > 0


# --- No replay -------------------------------------------------------------------------------


@cache
def _replay_state() -> Any:
    return mach_state(spec)


u64 = st.integers(0, 2**64 - 1)


@fuzz_settings(REPLAY_EXAMPLES, 1)
@given(
    operator=st.integers(0, 3),
    rollup_id=u64,
    other_rollup_id=u64,
    l2_block=u64,
    output_root=st.binary(min_size=32, max_size=32),
    other_root=st.binary(min_size=32, max_size=32),
    epoch=u64,
    other_fork=st.binary(min_size=4, max_size=4),
)
def test_no_replay(operator: int, rollup_id: int, other_rollup_id: int, l2_block: int,
                   output_root: bytes, other_root: bytes, epoch: int, other_fork: bytes) -> None:
    """An attestation signature verifies only as that attestation: not as an alert (of the same
    fields, or the same object in the alert domain), not for another rollup, not under another
    fork version; and an alert signature does not verify as an attestation."""
    state = _replay_state()
    key, public = privkey(operator), pubkey(operator)
    data = spec.OutputAttestationData(rollup_id=rollup_id, l2_block_number=l2_block,
                                      output_root=output_root, epoch=epoch)
    signature = spec.get_attestation_signature(state, data, key)
    assert bls.Verify(public, spec.get_attestation_signing_root(state, data), signature)
    indexed = spec.IndexedOutputAttestation(data=data, signers=[operator], signature=signature)
    # As evidence it counts only when the signer sits in a kept MACH committee of that epoch.
    kept = spec.get_committee(state, data.rollup_id, spec.SERVICE_MACH, data.epoch) is not None
    assert spec.is_valid_indexed_attestation(state, indexed) == kept

    alert = spec.OutputAlertData(rollup_id=rollup_id, l2_block_number=l2_block,
                                 invalid_output_root=output_root, expected_output_root=other_root,
                                 epoch=epoch)
    assert not bls.Verify(public, spec.get_alert_signing_root(state, alert), signature)
    in_alert_domain = spec.compute_signing_root(
        data, spec.get_domain(state, spec.DOMAIN_MACH_ALERT, data.rollup_id))
    assert not bls.Verify(public, in_alert_domain, signature)
    alert_signature = spec.get_alert_signature(state, alert, key)
    assert not bls.Verify(public, spec.get_attestation_signing_root(state, data), alert_signature)

    if other_rollup_id != rollup_id:
        moved = data.copy()
        moved.rollup_id = other_rollup_id
        assert not bls.Verify(public, spec.get_attestation_signing_root(state, moved), signature)
        other_domain = spec.compute_signing_root(
            data, spec.get_domain(state, spec.DOMAIN_MACH_ATTESTATION, other_rollup_id))
        assert not bls.Verify(public, other_domain, signature)
        indexed_moved = spec.IndexedOutputAttestation(data=moved, signers=[operator],
                                                      signature=signature)
        assert not spec.is_valid_indexed_attestation(state, indexed_moved)

    if other_fork != bytes(state.fork_version):
        forked = state.copy()
        forked.fork_version = other_fork
        assert not bls.Verify(public, spec.get_attestation_signing_root(forked, data), signature)
        assert not spec.is_valid_indexed_attestation(forked, indexed)


# --- The threshold line ----------------------------------------------------------------------


def split(draw: st.DrawFn, amount: int, parts: int) -> list[int]:
    """`amount` cut into `parts` random non-negative pieces."""
    cuts = sorted(draw(st.lists(st.integers(0, amount), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, amount]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


@st.composite
def on_the_line(draw: st.DrawFn) -> tuple[Any, list[int], list[bool], int]:
    """A committee, thresholds and signers holding exactly `t` percent of each quorum (the
    quorum's total is `100 * k`, the signers' weight `t * k`), and a quorum to push below."""
    size = draw(st.integers(2, MAX_MEMBERS))
    signing = draw(st.sets(st.integers(0, size - 1), min_size=1, max_size=size - 1))
    thresholds = draw(thresholds_st)
    signers = sorted(signing)
    others = [i for i in range(size) if i not in signing]
    weights = [[0] * len(QUORUMS) for _ in range(size)]
    for quorum in QUORUMS:
        unit = draw(st.one_of(st.integers(1, 100), st.integers(1, 10**22)))
        signed = thresholds[quorum] * unit
        for index, weight in zip(signers, split(draw, signed, len(signers)), strict=True):
            weights[index][quorum] = weight
        rest = split(draw, 100 * unit - signed, len(others))
        for index, weight in zip(others, rest, strict=True):
            weights[index][quorum] = weight
    below = draw(st.sampled_from(list(QUORUMS)))
    return weights, thresholds, [i in signing for i in range(size)], below


@fuzz_settings(LINE_EXAMPLES, 1)
@given(on_the_line())
def test_threshold_line(case: tuple[Any, list[int], list[bool], int]) -> None:
    """Signers exactly on the line (`signed * 100 == total * t` in every quorum) pass; moving
    one base unit of one quorum from a signer to a non-signer makes them fail."""
    weights, thresholds, signing, below = case
    state = state_with_thresholds(thresholds)
    participation = bits(signing)
    committee = make_committee(weights)
    for quorum in QUORUMS:
        signed = spec.get_signed_weight(committee, participation, quorum)
        assert signed * 100 == int(committee.total_weights[quorum]) * thresholds[quorum]
    assert spec.is_quorum_reached(state, committee, participation)

    giver = next(i for i, w in enumerate(weights) if signing[i] and w[below] > 0)
    taker = signing.index(False)
    moved = [list(w) for w in weights]
    moved[giver][below] -= 1
    moved[taker][below] += 1
    committee = make_committee(moved)
    assert not spec.is_quorum_reached(state, committee, participation)
    signed = spec.get_signed_weight(committee, participation, below)
    assert not spec.meets_threshold(signed, int(committee.total_weights[below]), thresholds[below])


# --- Invariants over random sequences of MACH operations ----------------------------------


@cache
def _sequence_start(units: tuple[int, ...]) -> Any:
    alt, eth = stakes(spec, units)
    return mach_state(spec, operators=len(units), alt=alt, eth=eth)


def draw_signers(data: st.DataObject, members: int) -> list[int]:
    """Positions that sign: a random non-empty subset."""
    chosen = data.draw(st.sets(st.integers(0, members - 1), min_size=1, max_size=members))
    return sorted(chosen)


def draw_committee_signers(data: st.DataObject, state: Any, committee: Any) -> list[int]:
    """Committee members that sign: a third of the time a random subset, otherwise members
    taken in random order until they meet the threshold (so that most certificates apply and
    conflicting ones meet)."""
    size = len(committee.members)
    if data.draw(st.sampled_from(["quorum", "quorum", "random"])) == "random":
        positions = draw_signers(data, size)
    else:
        positions = []
        for position in data.draw(st.permutations(range(size))):
            positions.append(position)
            flags = [i in positions for i in range(size)]
            if spec.is_quorum_reached(state, committee, bits(flags)):
                break
    return [int(committee.members[p].operator_index) for p in sorted(positions)]


def signing_committee(data: st.DataObject, state: Any) -> tuple[int, Any]:
    """The current or the previous epoch, and its MACH committee (None when it has none)."""
    epoch = int(spec.get_current_epoch(state)) - data.draw(st.integers(0, 1))
    committee = spec.get_committee(state, ROLLUP, spec.SERVICE_MACH, epoch)
    if committee is None or len(committee.members) == 0:
        return epoch, None
    return epoch, committee


def certificate_step(data: st.DataObject, state: Any) -> tuple[str, Any]:
    epoch, committee = signing_committee(data, state)
    if committee is None:
        return "output_certificate", None
    signers = draw_committee_signers(data, state, committee)
    l2_block = data.draw(st.integers(1, 3))
    root_byte = data.draw(st.integers(1, 2))
    if len(state.certified_outputs) > 0 and data.draw(st.booleans()):
        # Another root for a certified block: evidence, if it is accepted.
        position = data.draw(st.integers(0, len(state.certified_outputs) - 1))
        certified = state.certified_outputs[position]
        l2_block = int(certified.attestation.data.l2_block_number)
        root_byte = bytes(certified.attestation.data.output_root)[0] % 3 + 1
    certificate_data = attestation_data(spec, state, l2_block, root(root_byte), epoch=epoch)
    certificate = output_certificate(spec, state, certificate_data, signers)
    return "output_certificate", lambda s: spec.process_output_certificate(s, certificate)


def alert_step(data: st.DataObject, state: Any) -> tuple[str, Any]:
    epoch, committee = signing_committee(data, state)
    if committee is None:
        return "alert_certificate", None
    signers = draw_committee_signers(data, state, committee)
    l2_block = data.draw(st.integers(1, 3))
    invalid = data.draw(st.integers(1, 2))
    expected = invalid + data.draw(st.sampled_from([1, 2, 0]))  # 0: no difference
    alert = alert_data(spec, state, l2_block, root(invalid), root(expected), epoch=epoch)
    certificate = alert_certificate(spec, state, alert, signers)
    return "alert_certificate", lambda s: spec.process_alert_certificate(s, certificate)


def equivocation_step(data: st.DataObject, state: Any) -> tuple[str, Any]:
    operators = len(state.operators)
    first = draw_signers(data, operators)
    second = draw_signers(data, operators)
    root_byte = data.draw(st.integers(1, 3))
    other = root_byte + data.draw(st.sampled_from([1, 2, 0]))  # 0: not conflicting
    evidence = equivocation(spec, state, data.draw(st.integers(1, 3)), root(root_byte), first,
                            root(other), second)
    return "mach_equivocation", lambda s: spec.process_mach_equivocation(s, evidence)


def resolution_step(data: st.DataObject, state: Any) -> tuple[str, Any]:
    if len(state.alerts) > 0 and data.draw(st.integers(0, 4)) < 4:
        alert = state.alerts[data.draw(st.integers(0, len(state.alerts) - 1))]
        alert_root = spec.hash_tree_root(alert.data)
    elif data.draw(st.integers(0, 4)) == 0:
        alert_root = spec.Root(root(0x77))  # no such alert
    else:
        return "resolve_alert", None
    outcome = spec.uint64(data.draw(st.sampled_from([1, 2, 1, 2, 0, 3])))
    return "resolve_alert", lambda s: spec.resolve_alert(s, alert_root, outcome)


def time_step(data: st.DataObject, state: Any) -> tuple[str, Any]:
    slots = data.draw(st.sampled_from([1, 3, int(spec.SLOTS_PER_EPOCH)]))
    return "time", lambda s: advance_slots(spec, s, slots)


STEPS = (certificate_step, certificate_step, alert_step, equivocation_step, resolution_step,
         resolution_step, time_step)


@fuzz_settings(SEQUENCE_EXAMPLES, 1)
@given(
    units=st.lists(st.integers(1, 20), min_size=3, max_size=5),
    data=st.data(),
)
def test_invariants_hold_after_mach_operations(units: list[int], data: st.DataObject) -> None:
    """Random sequences of certificates, alerts, equivocation evidence, resolutions and time
    keep `check_invariants` and every transition check; a rejection carries a documented
    reason code and leaves the state unchanged."""
    state = _sequence_start(tuple(units)).copy()
    SEQUENCES.examples += 1
    for _ in range(data.draw(st.integers(SEQUENCE_STEPS // 2, SEQUENCE_STEPS))):
        step = data.draw(st.sampled_from(STEPS))
        kind, apply = step(data, state)
        if apply is None:
            continue
        pre = state.copy()
        reason = apply_atomically(state, kind, apply, SEQUENCES)
        check_step(spec, pre, state, SEQUENCES)
        if reason is None and kind == "mach_equivocation":
            SEQUENCES.reached["slashed"] += 1
        if any(c.conflicted for c in state.certified_outputs):
            SEQUENCES.reached["conflicted"] += 1
        if len(state.overturned_outputs) > 0:
            SEQUENCES.reached["overturned"] += 1
        if any(spec.is_fast_final(state, ROLLUP, b) for b in range(1, 5)):
            SEQUENCES.reached["fast_final"] += 1


# --- Known gap -----------------------------------------------------------------------------


def test_cross_epoch_conflict_takes_the_safe_side() -> None:
    """Two accepted certificates with different roots for one block from different epochs may
    share no signer (specs/mach.md, Accountable safety): the block is then conflicted for good
    and never fast-final, and nobody is slashed by MACH (VITAL settles the output)."""
    state = mach_state(spec)
    first = attestation_data(spec, state, 10, root(1))
    spec.process_output_certificate(state, output_certificate(spec, state, first, (0, 1, 2)))
    # Operator 3 (a member already) adds stake: next epoch it alone holds 76% of each quorum.
    sender = state.operators[3].owner
    for strategy, amount in ((spec.ALT_STRATEGY, alt_units(spec, 120)),
                             (spec.BEACON_ETH_STRATEGY, eth_units(spec, 120))):
        spec.process_deposit(state, spec.Deposit(sender=sender, strategy=strategy, amount=amount))
    advance_slots(spec, state, int(spec.SLOTS_PER_EPOCH))
    second = attestation_data(spec, state, 10, root(2))
    spec.process_output_certificate(state, output_certificate(spec, state, second, (3,)))
    spec.check_invariants(state)
    assert state.certified_outputs[0].conflicted
    assert not spec.is_fast_final(state, ROLLUP, 10)
    assert len(state.slashings) == 0
