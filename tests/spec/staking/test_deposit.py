"""operations/deposit: `process_deposit`, tokens of a strategy entering the hub as free stake or
into the pool of the sender's operator."""

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
from altspec.testing.staking import ALT, account

RUNNER = "operations"
HANDLER = "deposit"


def deposit_case(
    spec: ModuleType, state: Any, operation: Any, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_deposit` vector."""
    yield from run_operation(spec, state, "deposit", operation, spec.process_deposit, reason)


def deposit_op(spec: ModuleType, sender: Any, amount: int, strategy: int = 0) -> Any:
    """A `Deposit` of `amount` of `strategy` (default ALT)."""
    return spec.Deposit(sender=spec.Address(sender), strategy=strategy, amount=amount)


@spec_state_test
def test_first_deposit_creates_staker(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A first ALT deposit creates an undelegated staker holding it as free stake."""
    received = int(state.ledgers[spec.ALT_STRATEGY].received)
    yield from deposit_case(spec, state, deposit_op(spec, account(1), 100 * ALT))
    assert len(state.stakers) == 1
    record = staker(spec, state, account(1))
    assert record.operator == spec.NO_OPERATOR
    assert record.free[spec.ALT_STRATEGY] == 100 * ALT
    assert all(shares == 0 for shares in record.shares)
    assert state.ledgers[spec.ALT_STRATEGY].received == received + 100 * ALT


@spec_state_test
def test_second_deposit_adds_to_free(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second deposit adds to the same staker's free stake without a new record."""
    deposit(spec, state, account(1), 100 * ALT)
    yield from deposit_case(spec, state, deposit_op(spec, account(1), 50 * ALT))
    assert len(state.stakers) == 1
    assert staker(spec, state, account(1)).free[spec.ALT_STRATEGY] == 150 * ALT


@spec_state_test
def test_deposit_while_delegated(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A deposit of a delegated staker joins its operator's pool one share per unit."""
    register_operators(spec, state, 1)
    delegate(spec, state, account(1), 0, (100 * ALT,))
    yield from deposit_case(spec, state, deposit_op(spec, account(1), 40 * ALT))
    pool = state.operators[0].pools[spec.ALT_STRATEGY]
    assert pool.value == 140 * ALT and pool.shares == 140 * ALT
    record = staker(spec, state, account(1))
    assert record.shares[spec.ALT_STRATEGY] == 140 * ALT
    assert record.free[spec.ALT_STRATEGY] == 0
    assert spec.get_operator_weight(state, state.operators[0], spec.ALT_QUORUM) == 140 * ALT


@spec_state_test
def test_deposit_beacon_eth(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A natively restaked ETH deposit is free stake of its strategy, on the ETH ledger only."""
    alt_received = int(state.ledgers[spec.ALT_STRATEGY].received)
    operation = deposit_op(spec, account(1), 32 * ALT, spec.BEACON_ETH_STRATEGY)
    yield from deposit_case(spec, state, operation)
    record = staker(spec, state, account(1))
    assert record.free[spec.BEACON_ETH_STRATEGY] == 32 * ALT
    assert record.free[spec.ALT_STRATEGY] == 0
    assert state.ledgers[spec.BEACON_ETH_STRATEGY].received == 32 * ALT
    assert state.ledgers[spec.ALT_STRATEGY].received == alt_received


@spec_state_test
def test_deposit_lst_eth_while_delegated(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A liquid-staking ETH deposit joins the operator's LST pool and weighs 0.95 per unit."""
    register_operators(spec, state, 1)
    delegate(spec, state, account(1), 0)
    operation = deposit_op(spec, account(1), 20 * ALT, spec.LST_ETH_STRATEGY)
    yield from deposit_case(spec, state, operation)
    operator = state.operators[0]
    assert operator.pools[spec.LST_ETH_STRATEGY].value == 20 * ALT
    assert staker(spec, state, account(1)).shares[spec.LST_ETH_STRATEGY] == 20 * ALT
    assert state.ledgers[spec.LST_ETH_STRATEGY].received == 20 * ALT
    assert spec.get_operator_weight(state, operator, spec.ETH_QUORUM) == 19 * ALT


@spec_state_test
def test_deposit_up_to_alt_max_supply(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An ALT deposit that brings the ALT held to exactly ALT_MAX_SUPPLY."""
    amount = int(spec.ALT_MAX_SUPPLY) - spec.get_alt_held(state)
    yield from deposit_case(spec, state, deposit_op(spec, account(1), amount))
    assert spec.get_alt_held(state) == spec.ALT_MAX_SUPPLY


@spec_state_test
def test_eth_deposit_beyond_alt_max_supply(spec: ModuleType, state: Any) -> Iterator[Part]:
    """The ALT supply cap does not limit restaked ETH: an ETH deposit larger than ALT_MAX_SUPPLY."""
    amount = int(spec.ALT_MAX_SUPPLY) + 1
    yield from deposit_case(spec, state, deposit_op(spec, account(1), amount, spec.BEACON_ETH_STRATEGY))
    assert staker(spec, state, account(1)).free[spec.BEACON_ETH_STRATEGY] == amount


@spec_state_test
def test_invalid_unknown_strategy(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A deposit into the first strategy index past the registered strategies."""
    operation = deposit_op(spec, account(1), ALT, len(state.strategies))
    yield from deposit_case(spec, state, operation, reason="unknown_strategy")


@spec_state_test
def test_invalid_zero_amount(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A deposit of nothing."""
    yield from deposit_case(spec, state, deposit_op(spec, account(1), 0), reason="zero_amount")


@with_presets("minimal")
@spec_state_test
def test_invalid_staker_registry_full(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A first deposit of a new account when MAX_STAKERS stakers exist."""
    fill_stakers(spec, state)
    yield from deposit_case(spec, state, deposit_op(spec, account(1), ALT),
                            reason="staker_registry_full")


@spec_state_test
def test_invalid_alt_supply_exceeded(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An ALT deposit one unit larger than what is left of ALT_MAX_SUPPLY."""
    amount = int(spec.ALT_MAX_SUPPLY) - spec.get_alt_held(state) + 1
    yield from deposit_case(spec, state, deposit_op(spec, account(1), amount),
                            reason="alt_supply_exceeded")


@spec_state_test
def test_invalid_operator_slashed(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A deposit of a staker whose operator has been slashed."""
    register_operators(spec, state, 1)
    delegate(spec, state, account(1), 0, (100 * ALT,))
    slash(spec, state, 0, spec.WAD // 2)
    yield from deposit_case(spec, state, deposit_op(spec, account(1), ALT),
                            reason="operator_slashed")


@spec_state_test
def test_invalid_amount_overflow(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An ETH deposit that would take the strategy's ledger past MAX_AMOUNT."""
    deposit(spec, state, account(1), spec.MAX_AMOUNT, spec.BEACON_ETH_STRATEGY)
    yield from deposit_case(spec, state, deposit_op(spec, account(2), 1, spec.BEACON_ETH_STRATEGY),
                            reason="amount_overflow")
