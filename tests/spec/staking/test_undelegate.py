"""operations/undelegate: `process_undelegate`, leaving an operator by queueing all delegated
stake for withdrawal."""

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
HANDLER = "undelegate"


def undelegate_case(
    spec: ModuleType, state: Any, sender: Any, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_undelegate` vector for `sender`."""
    operation = spec.Undelegate(sender=spec.Address(sender))
    yield from run_operation(spec, state, "undelegate", operation, spec.process_undelegate, reason)


@spec_state_test
def test_undelegate_queues_each_strategy(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Delegated ALT and ETH move to the operator's queued pools as two withdrawals with their own delays."""
    register_operators(spec, state, 1)
    delegate(spec, state, owner(spec, 0), 0, (1000 * ALT,))
    delegate(spec, state, account(1), 0, (100 * ALT, 2 * ALT))
    advance_epochs(spec, state, 1)
    first_id = int(state.next_withdrawal_id)
    yield from undelegate_case(spec, state, account(1))
    record = staker(spec, state, account(1))
    assert record.operator == spec.NO_OPERATOR
    assert all(shares == 0 for shares in record.shares) and all(free == 0 for free in record.free)
    operator = state.operators[0]
    assert operator.pools[spec.ALT_STRATEGY].value == 1000 * ALT
    assert operator.pools[spec.BEACON_ETH_STRATEGY].value == 0
    assert operator.queued[spec.ALT_STRATEGY].value == 100 * ALT
    assert operator.queued[spec.BEACON_ETH_STRATEGY].value == 2 * ALT
    alt, eth = state.withdrawals
    params = state.params.staking
    assert (alt.id, alt.strategy, alt.operator, alt.shares) == (first_id, 0, 0, 100 * ALT)
    assert (eth.id, eth.strategy, eth.operator, eth.shares) == (first_id + 1, 1, 0, 2 * ALT)
    assert alt.staker == eth.staker == account(1)
    assert alt.withdrawable_epoch == 1 + params.alt_cooldown_epochs
    assert eth.withdrawable_epoch == 1 + params.eth_withdrawal_delay_epochs
    assert state.next_withdrawal_id == first_id + 2


@spec_state_test
def test_undelegate_single_strategy(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Only strategies with shares are queued: ALT-only stake makes one withdrawal."""
    register_operators(spec, state, 1)
    delegate(spec, state, account(1), 0, (100 * ALT,))
    yield from undelegate_case(spec, state, account(1))
    assert len(state.withdrawals) == 1
    assert state.withdrawals[0].strategy == spec.ALT_STRATEGY


@spec_state_test
def test_undelegate_without_stake(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A delegated staker with no shares undelegates: no withdrawal is queued."""
    register_operators(spec, state, 1)
    delegate(spec, state, account(1), 0)
    yield from undelegate_case(spec, state, account(1))
    assert staker(spec, state, account(1)).operator == spec.NO_OPERATOR
    assert len(state.withdrawals) == 0
    assert state.next_withdrawal_id == 0


@spec_state_test
def test_undelegate_from_slashed_operator(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Leaving a half-slashed operator queues half the value, and the queued pool takes it one share per unit."""
    register_operators(spec, state, 1)
    delegate(spec, state, owner(spec, 0), 0, (100 * ALT,))
    delegate(spec, state, account(1), 0, (100 * ALT,))
    slash(spec, state, 0, spec.WAD // 2)
    yield from undelegate_case(spec, state, account(1))
    operator = state.operators[0]
    assert operator.pools[spec.ALT_STRATEGY].value == 50 * ALT
    assert operator.pools[spec.ALT_STRATEGY].shares == 100 * ALT
    assert operator.queued[spec.ALT_STRATEGY].value == 50 * ALT
    withdrawal = state.withdrawals[0]
    assert withdrawal.shares == 50 * ALT
    assert spec.get_withdrawal_value(state, withdrawal) == 50 * ALT


@spec_state_test
def test_owner_undelegates_own_stake(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator's owner withdraws its self-stake: the operator's weight drops to zero."""
    register_operators(spec, state, 1)
    delegate(spec, state, owner(spec, 0), 0, (1000 * ALT, 32 * ALT))
    yield from undelegate_case(spec, state, owner(spec, 0))
    operator = state.operators[0]
    assert spec.get_operator_weights(state, operator) == [0, 0]
    assert len(state.withdrawals) == 2


@spec_state_test
def test_invalid_unknown_staker(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An undelegation from an account that never deposited or delegated."""
    register_operators(spec, state, 1)
    yield from undelegate_case(spec, state, account(1), reason="unknown_staker")


@spec_state_test
def test_invalid_not_delegated(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An undelegation from a staker whose stake is free (delegated to nobody)."""
    deposit(spec, state, account(1), 100 * ALT)
    yield from undelegate_case(spec, state, account(1), reason="not_delegated")


@with_presets("minimal")
@spec_state_test
def test_invalid_withdrawal_queue_full(spec: ModuleType, state: Any) -> Iterator[Part]:
    """With one queue slot left, the ALT withdrawal fits but the ETH one does not: nothing is queued."""
    register_operators(spec, state, 1)
    delegate(spec, state, account(1), 0, (100 * ALT, 2 * ALT))
    fill_withdrawals(spec, state, int(spec.MAX_QUEUED_WITHDRAWALS) - 1)
    yield from undelegate_case(spec, state, account(1), reason="withdrawal_queue_full")
