"""Builders for staking tests: accounts, registered and staked operators, rollups, and a
genesis with an active operator set. Everything goes through the spec's own processing
functions, so a built state satisfies every invariant."""

from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.genesis import genesis_state
from altspec.testing.keys import privkey, pubkey

ALT = 10**18
"""One ALT (or one ETH) in base units."""


def account(index: int) -> Any:
    """The L1 address of test account `index` (distinct from every operator's owner)."""
    return index.to_bytes(20, "big")


def owner(spec: ModuleType, operator: int) -> Any:
    """The L1 address that owns test operator `operator`."""
    return spec.Address(b"\xee" + (operator + 1).to_bytes(19, "big"))


def register_operation(spec: ModuleType, state: Any, operator: int) -> Any:
    """A valid `RegisterOperator` for test operator `operator` (real proof of possession)."""
    sender = owner(spec, operator)
    return spec.RegisterOperator(
        sender=sender,
        pubkey=pubkey(operator),
        proof_of_possession=spec.get_registration_signature(state, privkey(operator), sender),
    )


def register_rollup(spec: ModuleType, state: Any, services: tuple[int, ...] = (0, 1, 2),
                    fee_rate: int = ALT, owner_address: Any = None) -> int:
    """Register a rollup with the given services; return its id."""
    bits = [service in services for service in range(int(spec.NUM_SERVICES))]
    spec.process_register_rollup(state, spec.RegisterRollup(
        sender=spec.Address(owner_address or account(0xA0)),
        services=spec.Bitvector[spec.NUM_SERVICES](*bits),
        fee_rate=fee_rate,
    ))
    return len(state.rollups) - 1


def add_operator(spec: ModuleType, state: Any, operator: int, alt: int = 10_000 * ALT,
                 eth: int = 32 * ALT, services: tuple[tuple[int, int], ...] = ()) -> None:
    """Register test operator `operator`, stake `alt` ALT and `eth` beacon ETH from its owner,
    delegate them to it, and opt it in to `services` ((rollup_id, service) pairs)."""
    assert len(state.operators) == operator, "test operators are added in index order"
    sender = owner(spec, operator)
    spec.process_register_operator(state, register_operation(spec, state, operator))
    for strategy, amount in ((spec.ALT_STRATEGY, alt), (spec.BEACON_ETH_STRATEGY, eth)):
        if amount > 0:
            spec.process_deposit(state, spec.Deposit(sender=sender, strategy=strategy, amount=amount))
    spec.process_delegate(state, spec.Delegate(sender=sender, operator_index=operator))
    for rollup_id, service in services:
        spec.process_opt_in(state, spec.OptIn(
            sender=sender, operator_index=operator, rollup_id=rollup_id, service=service))


def staked_state(spec: ModuleType, operators: int = 4, services: tuple[int, ...] = (0, 1, 2),
                 weights: list[int] | None = None) -> Any:
    """A state one epoch after genesis with one rollup (id 0) and `operators` active operators
    serving every one of its `services`; operator `i` stakes `weights[i]` ALT (default 10,000)
    and 32 ETH. The committees of the current epoch are snapshotted."""
    state = genesis_state(spec)
    rollup = register_rollup(spec, state, services)
    for index in range(operators):
        alt = (weights[index] if weights else 10_000) * ALT
        add_operator(spec, state, index, alt=alt,
                     services=tuple((rollup, service) for service in services))
    advance_epochs(spec, state, 1)
    return state
