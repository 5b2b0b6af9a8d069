"""operations/pay_service_fees: `process_pay_service_fees`, anyone adding ALT to a rollup's fee
balance."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.context import Part, spec_state_test
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import ALT, account, register_rollup

RUNNER = "operations"
HANDLER = "pay_service_fees"


def pay_case(
    spec: ModuleType, state: Any, rollup_id: int, amount: int, sender: Any = None,
    reason: str | None = None,
) -> Iterator[Part]:
    """Yield the `process_pay_service_fees` vector: `sender` (default account 2) pays `amount`."""
    operation = spec.PayServiceFees(
        sender=spec.Address(sender if sender is not None else account(2)),
        rollup_id=rollup_id, amount=amount)
    yield from run_operation(spec, state, "pay_service_fees", operation,
                             spec.process_pay_service_fees, reason)


@spec_state_test
def test_pay_fees(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An account that is not the owner pays fees: the balance and the ALT ledger grow, no staker is created."""
    rollup_id = register_rollup(spec, state, owner_address=account(1))
    received = int(state.ledgers[spec.ALT_STRATEGY].received)
    yield from pay_case(spec, state, rollup_id, 50 * ALT)
    assert state.rollups[rollup_id].fee_balance == 50 * ALT
    assert state.ledgers[spec.ALT_STRATEGY].received == received + 50 * ALT
    assert len(state.stakers) == 0


@spec_state_test
def test_pay_fees_adds_to_balance(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second payment, by the owner to its second rollup, adds to that rollup's balance only."""
    register_rollup(spec, state, owner_address=account(1))
    rollup_id = register_rollup(spec, state, owner_address=account(1))
    spec.process_pay_service_fees(state, spec.PayServiceFees(
        sender=account(2), rollup_id=rollup_id, amount=5 * ALT))
    yield from pay_case(spec, state, rollup_id, 7 * ALT, sender=account(1))
    assert state.rollups[rollup_id].fee_balance == 12 * ALT
    assert state.rollups[0].fee_balance == 0


@spec_state_test
def test_pay_fees_up_to_alt_max_supply(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A payment that brings the ALT held to exactly ALT_MAX_SUPPLY."""
    rollup_id = register_rollup(spec, state)
    amount = int(spec.ALT_MAX_SUPPLY) - spec.get_alt_held(state)
    yield from pay_case(spec, state, rollup_id, amount)
    assert spec.get_alt_held(state) == spec.ALT_MAX_SUPPLY


@spec_state_test
def test_invalid_unknown_rollup(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A payment to the first rollup id past the registered rollups."""
    rollup_id = register_rollup(spec, state)
    yield from pay_case(spec, state, rollup_id + 1, ALT, reason="unknown_rollup")


@spec_state_test
def test_invalid_zero_amount(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A payment of nothing."""
    rollup_id = register_rollup(spec, state)
    yield from pay_case(spec, state, rollup_id, 0, reason="zero_amount")


@spec_state_test
def test_invalid_alt_supply_exceeded(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A payment one unit larger than what is left of ALT_MAX_SUPPLY."""
    rollup_id = register_rollup(spec, state)
    amount = int(spec.ALT_MAX_SUPPLY) - spec.get_alt_held(state) + 1
    yield from pay_case(spec, state, rollup_id, amount, reason="alt_supply_exceeded")
