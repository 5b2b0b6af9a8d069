"""operations/complete_withdrawal: `process_complete_withdrawal`, paying out a queued withdrawal
once its delay has passed, less any slashing meanwhile.

The pre-states set both withdrawal delays (governable parameters) to `DELAY` epochs, so that the
withdrawable epoch is reached in a few slots on every preset."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs, advance_to_epoch_end
from altspec.testing.context import Part, spec_state_test
from altspec.testing.operations import (
    delegate,
    deposit,
    register_operators,
    short_withdrawal_delays,
    slash,
    staker,
)
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import ALT, account, owner

RUNNER = "operations"
HANDLER = "complete_withdrawal"

DELAY = 2
"""The withdrawal delay, in epochs, of every case."""


def complete_case(
    spec: ModuleType, state: Any, sender: Any, withdrawal_id: int, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_complete_withdrawal` vector: `sender` completes `withdrawal_id`."""
    operation = spec.CompleteWithdrawal(sender=spec.Address(sender), withdrawal_id=withdrawal_id)
    yield from run_operation(spec, state, "complete_withdrawal", operation,
                             spec.process_complete_withdrawal, reason)


def queue(spec: ModuleType, state: Any, sender: Any, shares: int, strategy: int = 0) -> int:
    """Queue a withdrawal of `shares` of `strategy` from `sender`; return its id."""
    withdrawal_id = int(state.next_withdrawal_id)
    spec.process_queue_withdrawal(state, spec.QueueWithdrawal(
        sender=spec.Address(sender), strategy=strategy, shares=shares))
    return withdrawal_id


def delegated_withdrawal(spec: ModuleType, state: Any, amount: int) -> int:
    """Operator 0 with 1000 ALT of self-stake; account 1 delegates `amount` ALT to it and
    queues all of it. Return the withdrawal's id."""
    short_withdrawal_delays(spec, state, DELAY)
    register_operators(spec, state, 1)
    delegate(spec, state, owner(spec, 0), 0, (1000 * ALT,))
    delegate(spec, state, account(1), 0, (amount,))
    return queue(spec, state, account(1), amount)


@spec_state_test
def test_complete_free_withdrawal(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An undelegated withdrawal completed at the first slot of its withdrawable epoch pays its amount."""
    short_withdrawal_delays(spec, state, DELAY)
    deposit(spec, state, account(1), 100 * ALT)
    withdrawal_id = queue(spec, state, account(1), 40 * ALT)
    advance_epochs(spec, state, DELAY)
    assert spec.get_current_epoch(state) == state.withdrawals[0].withdrawable_epoch
    paid = int(state.ledgers[spec.ALT_STRATEGY].paid)
    yield from complete_case(spec, state, account(1), withdrawal_id)
    assert len(state.withdrawals) == 0
    assert state.ledgers[spec.ALT_STRATEGY].paid == paid + 40 * ALT
    assert staker(spec, state, account(1)).free[spec.ALT_STRATEGY] == 60 * ALT


@spec_state_test
def test_complete_delegated_withdrawal(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A withdrawal from an operator pays its shares' value and empties the operator's queued pool."""
    withdrawal_id = delegated_withdrawal(spec, state, 100 * ALT)
    advance_epochs(spec, state, DELAY)
    yield from complete_case(spec, state, account(1), withdrawal_id)
    queued = state.operators[0].queued[spec.ALT_STRATEGY]
    assert queued.value == 0 and queued.shares == 0
    assert state.ledgers[spec.ALT_STRATEGY].paid == 100 * ALT
    assert state.operators[0].pools[spec.ALT_STRATEGY].value == 1000 * ALT


@spec_state_test
def test_complete_eth_withdrawal(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A restaked-ETH withdrawal pays out on the ETH strategy's ledger."""
    short_withdrawal_delays(spec, state, DELAY)
    register_operators(spec, state, 1)
    delegate(spec, state, account(1), 0, (0, 0, 5 * ALT))
    withdrawal_id = queue(spec, state, account(1), 5 * ALT, spec.LST_ETH_STRATEGY)
    advance_epochs(spec, state, DELAY + 1)
    yield from complete_case(spec, state, account(1), withdrawal_id)
    assert state.ledgers[spec.LST_ETH_STRATEGY].paid == 5 * ALT
    assert state.ledgers[spec.ALT_STRATEGY].paid == 0
    assert state.operators[0].queued[spec.LST_ETH_STRATEGY].value == 0


@spec_state_test
def test_complete_after_partial_slash(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A withdrawal whose operator was slashed by a quarter while it waited pays three quarters."""
    withdrawal_id = delegated_withdrawal(spec, state, 100 * ALT)
    slash(spec, state, 0, spec.WAD // 4)
    advance_epochs(spec, state, DELAY)
    yield from complete_case(spec, state, account(1), withdrawal_id)
    ledger = state.ledgers[spec.ALT_STRATEGY]
    assert ledger.paid == 75 * ALT
    assert ledger.burned == 25 * ALT + 250 * ALT  # the queued stake's and the pool's quarters


@spec_state_test
def test_complete_after_full_slash(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A withdrawal whose operator was slashed entirely completes and pays nothing."""
    withdrawal_id = delegated_withdrawal(spec, state, 100 * ALT)
    slash(spec, state, 0, spec.WAD)
    advance_epochs(spec, state, DELAY)
    yield from complete_case(spec, state, account(1), withdrawal_id)
    assert len(state.withdrawals) == 0
    assert state.ledgers[spec.ALT_STRATEGY].paid == 0
    queued = state.operators[0].queued[spec.ALT_STRATEGY]
    assert queued.value == 0 and queued.shares == 0


@spec_state_test
def test_complete_first_of_three(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Completing the first of three queued withdrawals moves the last into its place."""
    short_withdrawal_delays(spec, state, DELAY)
    deposit(spec, state, account(1), 30 * ALT)
    ids = [queue(spec, state, account(1), 10 * ALT) for _ in range(3)]
    advance_epochs(spec, state, DELAY)
    yield from complete_case(spec, state, account(1), ids[0])
    assert [int(w.id) for w in state.withdrawals] == [ids[2], ids[1]]
    assert state.next_withdrawal_id == 3


@spec_state_test
def test_invalid_unknown_withdrawal(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second completion of a withdrawal that was already paid out."""
    short_withdrawal_delays(spec, state, DELAY)
    deposit(spec, state, account(1), 100 * ALT)
    withdrawal_id = queue(spec, state, account(1), 40 * ALT)
    queue(spec, state, account(1), 10 * ALT)
    advance_epochs(spec, state, DELAY)
    spec.process_complete_withdrawal(state, spec.CompleteWithdrawal(
        sender=spec.Address(account(1)), withdrawal_id=withdrawal_id))
    yield from complete_case(spec, state, account(1), withdrawal_id, reason="unknown_withdrawal")


@spec_state_test
def test_invalid_not_withdrawal_owner(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Another staker tries to complete a ready withdrawal."""
    short_withdrawal_delays(spec, state, DELAY)
    deposit(spec, state, account(1), 100 * ALT)
    deposit(spec, state, account(2), 100 * ALT)
    withdrawal_id = queue(spec, state, account(1), 40 * ALT)
    advance_epochs(spec, state, DELAY)
    yield from complete_case(spec, state, account(2), withdrawal_id, reason="not_withdrawal_owner")


@spec_state_test
def test_invalid_withdrawal_not_ready(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A completion at the last slot of the epoch before the withdrawable epoch."""
    short_withdrawal_delays(spec, state, DELAY)
    deposit(spec, state, account(1), 100 * ALT)
    withdrawal_id = queue(spec, state, account(1), 40 * ALT)
    advance_epochs(spec, state, DELAY - 1)
    advance_to_epoch_end(spec, state)
    assert spec.get_current_epoch(state) + 1 == state.withdrawals[0].withdrawable_epoch
    yield from complete_case(spec, state, account(1), withdrawal_id, reason="withdrawal_not_ready")
