"""Builders for the operations tests of staking and rollups: stake positions, slashings, short
withdrawal delays and full registries. Everything goes through the spec's own processing
functions (or governable parameters), so a built state satisfies every invariant."""

import hashlib
from types import ModuleType
from typing import Any

from altspec.testing.staking import account, register_operation

FILLER_ACCOUNTS = 0x10_0000
"""Accounts from this index on fill registries; test cases use lower indices."""


def staker(spec: ModuleType, state: Any, address: Any) -> Any:
    """The staker record of `address` (which must exist)."""
    return spec.get_staker(state, spec.Address(address))


def deposit(spec: ModuleType, state: Any, sender: Any, amount: int, strategy: int = 0) -> None:
    """Deposit `amount` of `strategy` (default ALT) from `sender`."""
    spec.process_deposit(state, spec.Deposit(
        sender=spec.Address(sender), strategy=strategy, amount=amount))


def delegate(spec: ModuleType, state: Any, sender: Any, operator_index: int,
             amounts: tuple[int, ...] = ()) -> None:
    """Deposit `amounts` (by strategy index, zeros skipped) from `sender`, then delegate to
    `operator_index`."""
    for strategy, amount in enumerate(amounts):
        if amount > 0:
            deposit(spec, state, sender, amount, strategy)
    spec.process_delegate(state, spec.Delegate(
        sender=spec.Address(sender), operator_index=operator_index))


def register_operators(spec: ModuleType, state: Any, count: int) -> None:
    """Register test operators up to index `count - 1`, without stake."""
    for index in range(len(state.operators), count):
        spec.process_register_operator(state, register_operation(spec, state, index))


def evidence(spec: ModuleType, seed: int) -> Any:
    """A distinct evidence root for each `seed`."""
    return spec.Root(hashlib.sha256(b"evidence" + seed.to_bytes(8, "big")).digest())


def slash(spec: ModuleType, state: Any, operator_index: int, fraction: int, seed: int = 0) -> None:
    """Slash `fraction` (of `WAD`) of the operator, with the evidence of `seed`."""
    spec.slash_operator(state, spec.OperatorIndex(operator_index), spec.Wad(fraction),
                        evidence(spec, seed), spec.SLASHING_REASON_MACH_EQUIVOCATION)


def short_withdrawal_delays(spec: ModuleType, state: Any, epochs: int = 1) -> None:
    """Set both withdrawal delays to `epochs` (governable parameters), so a test reaches the
    withdrawable epoch in a few slots on every preset."""
    state.params.staking.alt_cooldown_epochs = epochs
    state.params.staking.eth_withdrawal_delay_epochs = epochs


def fill_stakers(spec: ModuleType, state: Any) -> None:
    """Create stakers (one base unit of ALT each) until `MAX_STAKERS` exist."""
    for index in range(len(state.stakers), int(spec.MAX_STAKERS)):
        deposit(spec, state, account(FILLER_ACCOUNTS + index), 1)


def fill_withdrawals(spec: ModuleType, state: Any, count: int) -> None:
    """Queue `count` withdrawals of one base unit of free ALT, `MAX_STAKER_WITHDRAWALS` per
    filler account."""
    per_staker = int(spec.MAX_STAKER_WITHDRAWALS)
    for first in range(0, count, per_staker):
        sender = spec.Address(account(FILLER_ACCOUNTS + 0x8_0000 + first))
        batch = min(per_staker, count - first)
        deposit(spec, state, sender, batch)
        for _ in range(batch):
            spec.process_queue_withdrawal(state, spec.QueueWithdrawal(
                sender=sender, strategy=spec.ALT_STRATEGY, shares=1))
