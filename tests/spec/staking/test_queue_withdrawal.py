"""operations/queue_withdrawal: `process_queue_withdrawal`, moving part of a staker's stake in a
strategy into the withdrawal queue."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, spec_state_test, with_presets
from altspec.testing.operations import (
    delegate,
    deposit,
    fill_withdrawals,
    register_operators,
    slash,
    staker,
)
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import ALT, account, owner

RUNNER = "operations"
HANDLER = "queue_withdrawal"


def queue_case(
    spec: ModuleType, state: Any, sender: Any, shares: int, strategy: int = 0,
    reason: str | None = None,
) -> Iterator[Part]:
    """Yield the `process_queue_withdrawal` vector: `sender` queues `shares` of `strategy`."""
    operation = spec.QueueWithdrawal(sender=spec.Address(sender), strategy=strategy, shares=shares)
    yield from run_operation(spec, state, "queue_withdrawal", operation,
                             spec.process_queue_withdrawal, reason)


@spec_state_test
def test_queue_free_stake(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Part of an undelegated staker's free ALT is queued as an amount, withdrawable after the ALT cooldown."""
    deposit(spec, state, account(1), 100 * ALT)
    advance_epochs(spec, state, 1)
    yield from queue_case(spec, state, account(1), 40 * ALT)
    assert staker(spec, state, account(1)).free[spec.ALT_STRATEGY] == 60 * ALT
    withdrawal = state.withdrawals[0]
    assert withdrawal.id == 0 and state.next_withdrawal_id == 1
    assert withdrawal.staker == account(1)
    assert withdrawal.operator == spec.NO_OPERATOR
    assert withdrawal.shares == 40 * ALT
    assert withdrawal.withdrawable_epoch == 1 + state.params.staking.alt_cooldown_epochs


@spec_state_test
def test_queue_delegated_stake(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Delegated shares leave the operator's pool and join its queued pool, where they stay slashable."""
    register_operators(spec, state, 1)
    delegate(spec, state, owner(spec, 0), 0, (1000 * ALT,))
    delegate(spec, state, account(1), 0, (100 * ALT,))
    yield from queue_case(spec, state, account(1), 40 * ALT)
    operator = state.operators[0]
    assert staker(spec, state, account(1)).shares[spec.ALT_STRATEGY] == 60 * ALT
    assert operator.pools[spec.ALT_STRATEGY].value == 1060 * ALT
    assert operator.pools[spec.ALT_STRATEGY].shares == 1060 * ALT
    assert operator.queued[spec.ALT_STRATEGY].value == 40 * ALT
    assert operator.queued[spec.ALT_STRATEGY].shares == 40 * ALT
    withdrawal = state.withdrawals[0]
    assert withdrawal.operator == 0 and withdrawal.shares == 40 * ALT


@spec_state_test
def test_queue_eth_withdrawal_delay(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Restaked ETH waits the ETH withdrawal delay, not the ALT cooldown."""
    register_operators(spec, state, 1)
    delegate(spec, state, account(1), 0, (0, 32 * ALT))
    advance_epochs(spec, state, 2)
    yield from queue_case(spec, state, account(1), 32 * ALT, spec.BEACON_ETH_STRATEGY)
    withdrawal = state.withdrawals[0]
    assert withdrawal.strategy == spec.BEACON_ETH_STRATEGY
    assert withdrawal.withdrawable_epoch == 2 + state.params.staking.eth_withdrawal_delay_epochs
    assert state.operators[0].pools[spec.BEACON_ETH_STRATEGY].value == 0


@spec_state_test
def test_queue_cooldown_from_params(spec: ModuleType, state: Any) -> Iterator[Part]:
    """The ALT cooldown is the governable parameter in the state, not the configuration's."""
    state.params.staking.alt_cooldown_epochs = 7
    deposit(spec, state, account(1), 100 * ALT)
    yield from queue_case(spec, state, account(1), 100 * ALT)
    assert state.withdrawals[0].withdrawable_epoch == 7
    assert staker(spec, state, account(1)).free[spec.ALT_STRATEGY] == 0


@spec_state_test
def test_queue_after_slashing(spec: ModuleType, state: Any) -> Iterator[Part]:
    """After a third is slashed, leaving shares take their rounded-down value into the queued pool at its slashed rate."""
    register_operators(spec, state, 1)
    for sender in (owner(spec, 0), account(1), account(2)):
        delegate(spec, state, sender, 0, (100,))
    spec.process_queue_withdrawal(state, spec.QueueWithdrawal(
        sender=spec.Address(owner(spec, 0)), strategy=spec.ALT_STRATEGY, shares=100))
    slash(spec, state, 0, spec.WAD // 3)
    # pool 200 -> 134 (burned 66), queued 100 -> 67 (burned 33)
    assert state.operators[0].pools[0].value == 134
    assert state.operators[0].queued[0].value == 67
    yield from queue_case(spec, state, account(1), 100)
    operator = state.operators[0]
    # 100 shares of 134/200 are worth 67; at the queued pool's 67/100 they buy 100 shares
    assert operator.pools[0].value == 67 and operator.pools[0].shares == 100
    assert operator.queued[0].value == 134 and operator.queued[0].shares == 200
    withdrawal = state.withdrawals[1]
    assert withdrawal.shares == 100
    assert spec.get_withdrawal_value(state, withdrawal) == 67


@spec_state_test
def test_invalid_unknown_strategy(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A withdrawal of the first strategy index past the registered strategies."""
    deposit(spec, state, account(1), 100 * ALT)
    yield from queue_case(spec, state, account(1), ALT, len(state.strategies),
                          reason="unknown_strategy")


@spec_state_test
def test_invalid_zero_amount(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A withdrawal of zero shares."""
    deposit(spec, state, account(1), 100 * ALT)
    yield from queue_case(spec, state, account(1), 0, reason="zero_amount")


@spec_state_test
def test_invalid_unknown_staker(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A withdrawal from an account that never deposited."""
    deposit(spec, state, account(1), 100 * ALT)
    yield from queue_case(spec, state, account(2), ALT, reason="unknown_staker")


@with_presets("minimal")
@spec_state_test
def test_invalid_withdrawal_queue_full(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A withdrawal when MAX_QUEUED_WITHDRAWALS withdrawals are queued."""
    deposit(spec, state, account(1), 100 * ALT)
    fill_withdrawals(spec, state, int(spec.MAX_QUEUED_WITHDRAWALS))
    yield from queue_case(spec, state, account(1), ALT, reason="withdrawal_queue_full")


@spec_state_test
def test_invalid_too_many_withdrawals(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A staker queues one withdrawal more than MAX_STAKER_WITHDRAWALS."""
    deposit(spec, state, account(1), 100 * ALT)
    for _ in range(int(spec.MAX_STAKER_WITHDRAWALS)):
        spec.process_queue_withdrawal(state, spec.QueueWithdrawal(
            sender=spec.Address(account(1)), strategy=spec.ALT_STRATEGY, shares=ALT))
    yield from queue_case(spec, state, account(1), ALT, reason="too_many_withdrawals")


@spec_state_test
def test_invalid_insufficient_stake(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A delegated staker queues one share more than it holds."""
    register_operators(spec, state, 1)
    delegate(spec, state, owner(spec, 0), 0, (1000 * ALT,))
    delegate(spec, state, account(1), 0, (100 * ALT,))
    yield from queue_case(spec, state, account(1), 100 * ALT + 1, reason="insufficient_stake")
