"""operations/delegate: `process_delegate`, a staker's free stake joining an operator's pools."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.context import Part, spec_state_test, with_presets
from altspec.testing.operations import (
    delegate,
    deposit,
    fill_stakers,
    register_operators,
    slash,
    staker,
)
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import ALT, account, owner

RUNNER = "operations"
HANDLER = "delegate"


def delegate_case(
    spec: ModuleType, state: Any, operation: Any, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_delegate` vector."""
    yield from run_operation(spec, state, "delegate", operation, spec.process_delegate, reason)


def delegate_op(spec: ModuleType, sender: Any, operator_index: int) -> Any:
    """A `Delegate` of `sender` to `operator_index`."""
    return spec.Delegate(sender=spec.Address(sender), operator_index=operator_index)


@spec_state_test
def test_delegate_free_stake(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Free stake in every strategy moves into the operator's pools, one share per unit."""
    register_operators(spec, state, 1)
    amounts = (100 * ALT, 2 * ALT, 3 * ALT)
    for strategy, amount in enumerate(amounts):
        deposit(spec, state, account(1), amount, strategy)
    yield from delegate_case(spec, state, delegate_op(spec, account(1), 0))
    record = staker(spec, state, account(1))
    operator = state.operators[0]
    assert record.operator == 0
    for strategy, amount in enumerate(amounts):
        assert record.free[strategy] == 0
        assert record.shares[strategy] == amount
        assert operator.pools[strategy].value == amount
        assert operator.pools[strategy].shares == amount
    assert spec.get_operator_weight(state, operator, spec.ALT_QUORUM) == 100 * ALT
    assert spec.get_operator_weight(state, operator, spec.ETH_QUORUM) == 2 * ALT + 3 * ALT * 95 // 100


@spec_state_test
def test_delegate_joins_existing_pool(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second delegator's stake adds to the pool alongside the owner's self-stake."""
    register_operators(spec, state, 1)
    delegate(spec, state, owner(spec, 0), 0, (1000 * ALT,))
    deposit(spec, state, account(1), 300 * ALT)
    yield from delegate_case(spec, state, delegate_op(spec, account(1), 0))
    pool = state.operators[0].pools[spec.ALT_STRATEGY]
    assert pool.value == 1300 * ALT and pool.shares == 1300 * ALT
    assert staker(spec, state, account(1)).shares[spec.ALT_STRATEGY] == 300 * ALT
    assert staker(spec, state, owner(spec, 0)).shares[spec.ALT_STRATEGY] == 1000 * ALT


@spec_state_test
def test_delegate_without_deposit(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An account with no staker record delegates: the record is created, with no shares."""
    register_operators(spec, state, 1)
    yield from delegate_case(spec, state, delegate_op(spec, account(1), 0))
    record = staker(spec, state, account(1))
    assert record.operator == 0
    assert all(shares == 0 for shares in record.shares)
    assert all(pool.value == 0 and pool.shares == 0 for pool in state.operators[0].pools)


@spec_state_test
def test_owner_delegates_to_own_operator(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator's owner delegates its own deposit to its operator (self-stake)."""
    register_operators(spec, state, 1)
    deposit(spec, state, owner(spec, 0), 32 * ALT, spec.BEACON_ETH_STRATEGY)
    yield from delegate_case(spec, state, delegate_op(spec, owner(spec, 0), 0))
    assert staker(spec, state, owner(spec, 0)).operator == 0
    assert spec.get_operator_weight(state, state.operators[0], spec.ETH_QUORUM) == 32 * ALT


@spec_state_test
def test_redelegate_after_undelegate(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A staker that undelegated from operator 0 delegates new stake to operator 1; its queued withdrawal stays with operator 0."""
    register_operators(spec, state, 2)
    delegate(spec, state, account(1), 0, (100 * ALT,))
    spec.process_undelegate(state, spec.Undelegate(sender=spec.Address(account(1))))
    deposit(spec, state, account(1), 60 * ALT)
    yield from delegate_case(spec, state, delegate_op(spec, account(1), 1))
    assert staker(spec, state, account(1)).operator == 1
    assert state.operators[1].pools[spec.ALT_STRATEGY].value == 60 * ALT
    assert state.operators[0].pools[spec.ALT_STRATEGY].value == 0
    assert state.operators[0].queued[spec.ALT_STRATEGY].value == 100 * ALT
    assert len(state.withdrawals) == 1 and state.withdrawals[0].operator == 0


@spec_state_test
def test_invalid_unknown_operator(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A delegation to the first operator index past the registered operators."""
    register_operators(spec, state, 1)
    deposit(spec, state, account(1), 100 * ALT)
    yield from delegate_case(spec, state, delegate_op(spec, account(1), 1),
                             reason="unknown_operator")


@spec_state_test
def test_invalid_operator_slashed(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A delegation to an operator that has been slashed."""
    register_operators(spec, state, 1)
    delegate(spec, state, owner(spec, 0), 0, (1000 * ALT,))
    slash(spec, state, 0, spec.WAD // 10)
    deposit(spec, state, account(1), 100 * ALT)
    yield from delegate_case(spec, state, delegate_op(spec, account(1), 0),
                             reason="operator_slashed")


@with_presets("minimal")
@spec_state_test
def test_invalid_staker_registry_full(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A delegation by a new account when MAX_STAKERS stakers exist."""
    register_operators(spec, state, 1)
    fill_stakers(spec, state)
    yield from delegate_case(spec, state, delegate_op(spec, account(1), 0),
                             reason="staker_registry_full")


@spec_state_test
def test_invalid_already_delegated(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A staker delegated to operator 0 delegates to operator 1."""
    register_operators(spec, state, 2)
    delegate(spec, state, account(1), 0, (100 * ALT,))
    yield from delegate_case(spec, state, delegate_op(spec, account(1), 1),
                             reason="already_delegated")
