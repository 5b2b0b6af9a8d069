"""epoch_processing/committee_snapshot: `process_committee_snapshot` records, for the next epoch,
one committee per enabled service of every rollup: the active operators that opted in (the
`MAX_COMMITTEE_SIZE` heaviest by ALT weight when more did), in index order, with their weights."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, load_spec, spec_state_test, spec_test, with_presets
from altspec.testing.epochs import run_epoch_processing
from altspec.testing.staking import ALT, account, owner, register_rollup
from tests.spec.epoch.helpers import (
    add_staked_operator,
    min_alt,
    queue,
    serving_state,
    weights_by_definition,
)

RUNNER = "epoch_processing"
HANDLER = "committee_snapshot"


def run_committee_snapshot(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Yield the vector, then check the snapshot against the definition, and with
    `check_committee_snapshot` at the first slot of the next epoch."""
    yield from run_epoch_processing(spec, state, "process_committee_snapshot")
    next_epoch = spec.get_current_epoch(state) + 1
    assert snapshot(spec, state, next_epoch) == expected_committees(spec, state)
    for committee in state.committees[next_epoch % spec.COMMITTEE_HISTORY]:
        assert committee.epoch == next_epoch
        assert list(committee.participation) == [False] * len(committee.members)
        for quorum in range(int(spec.NUM_QUORUMS)):
            total = sum(int(member.weights[quorum]) for member in committee.members)
            assert committee.total_weights[quorum] == total
    after = state.copy()
    after.slot = spec.Slot(after.slot + 1)  # what `process_slots` does after `process_epoch`
    spec.check_committee_snapshot(after)


def snapshot(spec: ModuleType, state: Any, epoch: int) -> list[tuple[int, int, list[Any]]]:
    """The committees recorded for `epoch`: (rollup, service, [(operator, pubkey, weights)])."""
    return [
        (int(c.rollup_id), int(c.service),
         [(int(m.operator_index), bytes(m.pubkey), [int(w) for w in m.weights]) for m in c.members])
        for c in state.committees[epoch % spec.COMMITTEE_HISTORY]
    ]


def expected_committees(spec: ModuleType, state: Any) -> list[tuple[int, int, list[Any]]]:
    """The committees by definition: for each rollup in id order and each of its enabled
    services in order, the active operators serving it (the `MAX_COMMITTEE_SIZE` heaviest by
    ALT weight, ties to the lower index, when there are more) in index order, with their
    weights."""
    expected = []
    for rollup_id, rollup in enumerate(state.rollups):
        for service in range(int(spec.NUM_SERVICES)):
            if not rollup.services[service]:
                continue
            ref = spec.ServiceRef(rollup_id=rollup_id, service=service)
            candidates = [
                (index, weights_by_definition(spec, state, op))
                for index, op in enumerate(state.operators)
                if op.active and ref in op.services
            ]
            candidates.sort(key=lambda candidate: (-candidate[1][0], candidate[0]))
            seated = sorted(candidates[:int(spec.MAX_COMMITTEE_SIZE)])
            members = [(index, bytes(state.operators[index].pubkey), weights)
                       for index, weights in seated]
            expected.append((rollup_id, service, members))
    return expected


def members(spec: ModuleType, state: Any, service: int, rollup_id: int = 0) -> list[int]:
    """The operator indices in the next epoch's committee of `service` of `rollup_id`."""
    next_epoch = spec.get_current_epoch(state) + 1
    for committee in state.committees[next_epoch % spec.COMMITTEE_HISTORY]:
        if committee.rollup_id == rollup_id and committee.service == service:
            return [int(m.operator_index) for m in committee.members]
    raise AssertionError(f"no committee for rollup {rollup_id} service {service}")


def opt_in(spec: ModuleType, state: Any, operator: int, rollup_id: int, service: int) -> None:
    spec.process_opt_in(state, spec.OptIn(
        sender=owner(spec, operator), operator_index=operator, rollup_id=rollup_id,
        service=service))


def opt_out(spec: ModuleType, state: Any, operator: int, rollup_id: int, service: int) -> None:
    spec.process_opt_out(state, spec.OptOut(
        sender=owner(spec, operator), operator_index=operator, rollup_id=rollup_id,
        service=service))


@spec_state_test
def test_no_rollups(spec: ModuleType, state: Any) -> Iterator[Part]:
    """With no rollup registered the next epoch has no committees, even with active operators."""
    add_staked_operator(spec, state, 0)
    yield from run_committee_snapshot(spec, state)
    assert state.operators[0].active
    assert len(state.committees[1]) == 0


@spec_state_test
def test_members_in_index_order(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Members are the active opted-in operators in index order, whatever the order they opted in."""
    rollup = register_rollup(spec, state)
    for index, (alt, eth) in enumerate(((3, 2), (2, 5), (4, 4), (2, 2), (7, 3), (2, 2))):
        add_staked_operator(spec, state, index, alt, eth)
    queue(spec, state, 3, spec.ALT_STRATEGY, 2 * min_alt(spec, state))  # operator 3: no weight
    opt_ins = [(5, 0), (4, 2), (3, 0), (1, 1), (0, 0), (4, 1), (1, 0), (3, 2), (0, 2)]
    for operator, service in opt_ins:  # operator 2 serves nothing
        opt_in(spec, state, operator, rollup, service)
    yield from run_committee_snapshot(spec, state)
    assert members(spec, state, spec.SERVICE_MACH) == [0, 1, 5]
    assert members(spec, state, spec.SERVICE_SQUAD) == [1, 4]
    assert members(spec, state, spec.SERVICE_VITAL) == [0, 4]


@spec_state_test
def test_weights_by_definition(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Member weights are delegated pool values times strategy multipliers, summed per quorum."""
    rollup = register_rollup(spec, state, (0,))
    add_staked_operator(spec, state, 0, 3, 2, ((rollup, 0),))
    add_staked_operator(spec, state, 1, 2, 1, ((rollup, 0),))
    # Operator 1 also holds liquid-staking ETH and a delegator's ALT and LST.
    spec.process_deposit(state, spec.Deposit(
        sender=owner(spec, 1), strategy=spec.LST_ETH_STRATEGY, amount=7 * ALT + 3))
    for strategy, amount in ((spec.ALT_STRATEGY, 123 * ALT + 1), (spec.LST_ETH_STRATEGY, 11)):
        spec.process_deposit(state, spec.Deposit(sender=account(1), strategy=strategy,
                                                 amount=amount))
    spec.process_delegate(state, spec.Delegate(sender=account(1), operator_index=1))
    yield from run_committee_snapshot(spec, state)
    member = state.committees[1][0].members[1]
    alt = 2 * min_alt(spec, state) + 123 * ALT + 1
    eth = int(state.params.staking.min_weights[1]) + (7 * ALT + 3 + 11) * 95 // 100
    assert [int(w) for w in member.weights] == [alt, eth]


@spec_test
def test_unchanged_operators(spec: ModuleType) -> Iterator[Part]:
    """Without changes the next epoch's committees equal the current ones, but for the epoch."""
    state = serving_state(spec, [2, 3, 4])
    current = snapshot(spec, state, 1)
    yield from run_committee_snapshot(spec, state)
    assert snapshot(spec, state, 2) == current


@spec_test
def test_opt_out_removes_member(spec: ModuleType) -> Iterator[Part]:
    """An operator that opts out of a service leaves its committee and stays in the others."""
    state = serving_state(spec, [2, 2, 2])
    opt_out(spec, state, 1, 0, spec.SERVICE_MACH)
    yield from run_committee_snapshot(spec, state)
    assert members(spec, state, spec.SERVICE_MACH) == [0, 2]
    assert members(spec, state, spec.SERVICE_SQUAD) == [0, 1, 2]
    assert members(spec, state, spec.SERVICE_VITAL) == [0, 1, 2]


@spec_test
def test_ejected_operator_removed(spec: ModuleType) -> Iterator[Part]:
    """An operator ejected for low weight by the step before leaves every committee."""
    state = serving_state(spec, [2, 2, 2])
    queue(spec, state, 0, spec.ALT_STRATEGY, min_alt(spec, state) + 1)
    yield from run_committee_snapshot(spec, state)
    assert not state.operators[0].active
    for service in range(int(spec.NUM_SERVICES)):
        assert members(spec, state, service) == [1, 2]


@spec_test
def test_slashed_operator_removed(spec: ModuleType) -> Iterator[Part]:
    """A slashed operator leaves every committee although it still opts in and holds stake."""
    state = serving_state(spec, [5, 5, 5], eths=[5, 5, 5])
    spec.slash_operator(state, spec.OperatorIndex(2), spec.Wad(10**17), spec.Root(b"\x02" * 32),
                        spec.SLASHING_REASON_MACH_EQUIVOCATION)
    yield from run_committee_snapshot(spec, state)
    for service in range(int(spec.NUM_SERVICES)):
        assert members(spec, state, service) == [0, 1]


@spec_test
def test_new_operator_joins(spec: ModuleType) -> Iterator[Part]:
    """An operator registered and staked during the epoch is activated and joins the next committees."""
    state = serving_state(spec, [2, 2], services=(0,))
    add_staked_operator(spec, state, 2, 2, 2, ((0, 0),))
    yield from run_committee_snapshot(spec, state)
    assert members(spec, state, spec.SERVICE_MACH) == [0, 1, 2]


@spec_test
def test_disabled_service_has_no_committee(spec: ModuleType) -> Iterator[Part]:
    """A service the rollup disabled has no committee, though operators still opt in to it."""
    state = serving_state(spec, [2, 2])
    rollup = state.rollups[0]
    services = spec.Bitvector[spec.NUM_SERVICES](True, False, True)
    spec.process_update_rollup(state, spec.UpdateRollup(
        sender=rollup.owner, rollup_id=0, owner=rollup.owner, services=services,
        fee_rate=rollup.fee_rate, mach_thresholds=rollup.mach_thresholds,
        fraud_window_epochs=rollup.fraud_window_epochs))
    yield from run_committee_snapshot(spec, state)
    committees = snapshot(spec, state, 2)
    assert [(r, s) for r, s, _ in committees] == [(0, spec.SERVICE_MACH), (0, spec.SERVICE_VITAL)]
    assert spec.get_committee(state, 0, spec.SERVICE_SQUAD, 1) is not None  # this epoch's stays
    assert spec.is_serving(state.operators[0], 0, spec.SERVICE_SQUAD)


@spec_state_test
def test_enabled_service_without_operators(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An enabled service nobody serves still has a committee, with no members and zero weights."""
    rollup = register_rollup(spec, state, (0, 1))
    add_staked_operator(spec, state, 0, 2, 2, ((rollup, 0),))
    yield from run_committee_snapshot(spec, state)
    committee = state.committees[1][1]
    assert committee.service == spec.SERVICE_SQUAD
    assert len(committee.members) == 0
    assert [int(w) for w in committee.total_weights] == [0, 0]


@spec_state_test
def test_several_rollups(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Committees are listed by rollup id, then service; each rollup has its own members."""
    first = register_rollup(spec, state, (1, 2))
    second = register_rollup(spec, state, (0,), owner_address=account(0xA1))
    third = register_rollup(spec, state, (0, 2), owner_address=account(0xA2))
    add_staked_operator(spec, state, 0, 2, 2, ((first, 1), (third, 0)))
    add_staked_operator(spec, state, 1, 3, 2, ((second, 0), (third, 0), (third, 2)))
    add_staked_operator(spec, state, 2, 4, 2, ((first, 2), (first, 1), (second, 0)))
    yield from run_committee_snapshot(spec, state)
    assert [(r, s) for r, s, _ in snapshot(spec, state, 1)] == [
        (first, 1), (first, 2), (second, 0), (third, 0), (third, 2)]
    assert members(spec, state, 1, first) == [0, 2]
    assert members(spec, state, 0, second) == [1, 2]
    assert members(spec, state, 0, third) == [0, 1]
    assert members(spec, state, 2, third) == [1]


@spec_test
def test_replaces_oldest_snapshot(spec: ModuleType) -> Iterator[Part]:
    """The snapshot overwrites the one `COMMITTEE_HISTORY` epochs older in the ring."""
    state = serving_state(spec, [2, 2])
    advance_epochs(spec, state, int(spec.COMMITTEE_HISTORY) - 1)
    next_epoch = spec.get_current_epoch(state) + 1
    ring = state.committees[next_epoch % spec.COMMITTEE_HISTORY]
    assert all(c.epoch == next_epoch - spec.COMMITTEE_HISTORY for c in ring) and len(ring) == 3
    opt_out(spec, state, 0, 0, spec.SERVICE_VITAL)
    yield from run_committee_snapshot(spec, state)
    assert members(spec, state, spec.SERVICE_VITAL) == [1]


@with_presets("minimal")
@spec_state_test
def test_full_committee(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A committee of `MAX_COMMITTEE_SIZE` members, all active and opted in."""
    rollup = register_rollup(spec, state, (0,))
    for index in range(int(spec.MAX_COMMITTEE_SIZE)):
        add_staked_operator(spec, state, index, 2 + index, 2, ((rollup, 0),))
    yield from run_committee_snapshot(spec, state)
    assert members(spec, state, 0) == list(range(int(spec.MAX_COMMITTEE_SIZE)))


@with_presets("minimal")
@spec_state_test
def test_more_candidates_than_seats(spec: ModuleType, state: Any) -> Iterator[Part]:
    """With more active operators opted in than seats, the heaviest by ALT weight sit (a tie at the cut goes to the lower index), in index order."""
    size = int(spec.MAX_COMMITTEE_SIZE)
    rollup = register_rollup(spec, state, (0,))
    # Operators 0 and 1 are the lightest; 2 and 3 tie for the last seat; the rest are heavier.
    alts = [2, 2, 3, 3] + [4 + (index % 5) for index in range(size - 1)]
    for index, alt in enumerate(alts):
        add_staked_operator(spec, state, index, alt, 2, ((rollup, 0),))
    assert len(alts) == size + 3
    yield from run_committee_snapshot(spec, state)
    assert members(spec, state, 0) == [2, *range(4, size + 3)]


@pytest.mark.parametrize("preset", ["minimal"])
def test_snapshot_check_notices_missing_committee(preset: str) -> None:
    """`check_committee_snapshot` rejects a snapshot that lacks the committee of an enabled service."""
    spec = load_spec(preset)
    state = serving_state(spec, [2, 2])
    epoch = spec.get_current_epoch(state)
    ring = list(state.committees[epoch % spec.COMMITTEE_HISTORY])
    assert len(ring) == 3
    state.committees[epoch % spec.COMMITTEE_HISTORY] = spec.List[
        spec.Committee, spec.MAX_COMMITTEES](*ring[:2])  # the VITAL committee is gone
    spec.check_invariants(state)  # the single-state invariants cannot see it either
    with pytest.raises(AssertionError, match="invariant_snapshot"):
        spec.check_committee_snapshot(state)
