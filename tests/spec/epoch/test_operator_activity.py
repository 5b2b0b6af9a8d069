"""epoch_processing/operator_activity: `process_operator_activity` activates the operators whose
weight meets every minimum and ejects the others; a slashed operator is never active again."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, spec_state_test, spec_test
from altspec.testing.epochs import run_epoch_processing
from altspec.testing.staking import (
    account,
    add_operator,
    owner,
    register_operation,
    register_rollup,
)
from tests.spec.epoch.helpers import min_alt, min_eth, queue, serving_state

RUNNER = "epoch_processing"
HANDLER = "operator_activity"


def run_operator_activity(spec: ModuleType, state: Any) -> Iterator[Part]:
    yield from run_epoch_processing(spec, state, "process_operator_activity")


def actives(state: Any) -> list[bool]:
    return [bool(operator.active) for operator in state.operators]


@spec_state_test
def test_activation_at_both_minimums(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Operators staking exactly both minimums are activated; one unit short in either quorum is not."""
    alt, eth = min_alt(spec, state), min_eth(spec, state)
    add_operator(spec, state, 0, alt=alt, eth=eth)
    add_operator(spec, state, 1, alt=alt - 1, eth=eth)
    add_operator(spec, state, 2, alt=alt, eth=eth - 1)
    add_operator(spec, state, 3, alt=10 * alt, eth=10 * eth)
    assert actives(state) == [False] * 4
    yield from run_operator_activity(spec, state)
    assert actives(state) == [True, False, False, True]


@spec_state_test
def test_activation_counts_lst_multiplier(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Liquid-staking ETH counts at its multiplier: just enough of it activates, one unit less does not."""
    multiplier = int(state.strategies[spec.LST_ETH_STRATEGY].multiplier)
    eth = min_eth(spec, state)
    enough = -(-eth * spec.WEIGHT_DENOMINATOR // multiplier)  # the least amount weighing `eth`
    for index, amount in enumerate((enough, enough - 1)):
        add_operator(spec, state, index, alt=min_alt(spec, state), eth=0)
        spec.process_deposit(state, spec.Deposit(
            sender=owner(spec, index), strategy=spec.LST_ETH_STRATEGY, amount=amount))
    yield from run_operator_activity(spec, state)
    assert actives(state) == [True, False]
    weights = [spec.get_operator_weight(state, op, spec.ETH_QUORUM) for op in state.operators]
    assert weights == [eth, eth - 1]


@spec_state_test
def test_delegated_stake_counts(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator with no stake of its own is activated by its delegators' stake."""
    spec.process_register_operator(state, register_operation(spec, state, 0))
    for sender, strategy, amount in (
        (account(1), spec.ALT_STRATEGY, min_alt(spec, state)),
        (account(2), spec.BEACON_ETH_STRATEGY, min_eth(spec, state)),
    ):
        spec.process_deposit(state, spec.Deposit(sender=sender, strategy=strategy, amount=amount))
        spec.process_delegate(state, spec.Delegate(sender=sender, operator_index=0))
    yield from run_operator_activity(spec, state)
    assert actives(state) == [True]


@spec_state_test
def test_registered_without_stake_stays_inactive(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A registered operator that opted in but has no stake stays inactive."""
    rollup = register_rollup(spec, state, (0,))
    spec.process_register_operator(state, register_operation(spec, state, 0))
    spec.process_opt_in(state, spec.OptIn(
        sender=owner(spec, 0), operator_index=0, rollup_id=rollup, service=0))
    yield from run_operator_activity(spec, state)
    assert actives(state) == [False]


@spec_state_test
def test_free_stake_does_not_count(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Stake the owner deposited but did not delegate gives the operator no weight."""
    spec.process_register_operator(state, register_operation(spec, state, 0))
    for strategy, amount in ((spec.ALT_STRATEGY, min_alt(spec, state)),
                             (spec.BEACON_ETH_STRATEGY, min_eth(spec, state))):
        spec.process_deposit(state, spec.Deposit(sender=owner(spec, 0), strategy=strategy,
                                                 amount=amount))
    yield from run_operator_activity(spec, state)
    assert actives(state) == [False]


@spec_test
def test_active_operators_stay_active(spec: ModuleType) -> Iterator[Part]:
    """Active operators whose weight still meets both minimums (one exactly) stay active."""
    state = serving_state(spec, [1, 2, 3], eths=[1, 2, 3])
    assert actives(state) == [True] * 3
    yield from run_operator_activity(spec, state)
    assert actives(state) == [True] * 3


@spec_test
def test_ejection_below_alt_minimum(spec: ModuleType) -> Iterator[Part]:
    """An active operator that queues ALT for withdrawal, leaving one unit less than the minimum, is ejected."""
    state = serving_state(spec, [2, 2, 2])
    queue(spec, state, 1, spec.ALT_STRATEGY, min_alt(spec, state) + 1)
    yield from run_operator_activity(spec, state)
    assert actives(state) == [True, False, True]


@spec_test
def test_ejection_below_eth_minimum(spec: ModuleType) -> Iterator[Part]:
    """An active operator that queues ETH for withdrawal, leaving one unit less than the minimum, is ejected."""
    state = serving_state(spec, [2, 2, 2])
    queue(spec, state, 2, spec.BEACON_ETH_STRATEGY, min_eth(spec, state) + 1)
    yield from run_operator_activity(spec, state)
    assert actives(state) == [True, True, False]


@spec_test
def test_withdrawal_down_to_minimum_keeps_active(spec: ModuleType) -> Iterator[Part]:
    """An active operator that withdraws down to exactly the minimum in both quorums stays active."""
    state = serving_state(spec, [2, 2])
    queue(spec, state, 0, spec.ALT_STRATEGY, min_alt(spec, state))
    queue(spec, state, 0, spec.BEACON_ETH_STRATEGY, min_eth(spec, state))
    yield from run_operator_activity(spec, state)
    assert actives(state) == [True, True]


@spec_test
def test_ejection_after_delegator_leaves(spec: ModuleType) -> Iterator[Part]:
    """An operator whose weight rested on a delegator is ejected when the delegator undelegates."""
    state = serving_state(spec, [2, 2], eths=[0, 2])
    # Operator 0 has no ETH of its own: a delegator gives it exactly the minimum.
    spec.process_deposit(state, spec.Deposit(
        sender=account(1), strategy=spec.BEACON_ETH_STRATEGY, amount=min_eth(spec, state)))
    spec.process_delegate(state, spec.Delegate(sender=account(1), operator_index=0))
    advance_epochs(spec, state, 1)
    assert actives(state) == [True, True]
    spec.process_undelegate(state, spec.Undelegate(sender=account(1)))
    yield from run_operator_activity(spec, state)
    assert actives(state) == [False, True]


@spec_test
def test_slashed_operator_never_reactivated(spec: ModuleType) -> Iterator[Part]:
    """A slashed operator whose remaining weight is far above both minimums stays inactive."""
    state = serving_state(spec, [100, 2], eths=[100, 2])
    spec.slash_operator(state, spec.OperatorIndex(0), spec.Wad(1), spec.Root(b"\x01" * 32),
                        spec.SLASHING_REASON_MACH_EQUIVOCATION)
    assert spec.meets_minimum_weights(state, state.operators[0])
    yield from run_operator_activity(spec, state)
    assert actives(state) == [False, True]
    assert state.operators[0].slashed


@spec_test
def test_reactivation_after_topping_up(spec: ModuleType) -> Iterator[Part]:
    """An operator ejected for low weight is activated again once it deposits back above the minimum."""
    state = serving_state(spec, [2, 2])
    queue(spec, state, 0, spec.ALT_STRATEGY, min_alt(spec, state) + 1)
    advance_epochs(spec, state, 1)
    assert actives(state) == [False, True]
    spec.process_deposit(state, spec.Deposit(
        sender=owner(spec, 0), strategy=spec.ALT_STRATEGY, amount=1))
    yield from run_operator_activity(spec, state)
    assert actives(state) == [True, True]
