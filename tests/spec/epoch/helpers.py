"""Builders shared by the epoch-processing tests. Stakes are multiples of the minimum weights in
the state's parameters, so every case means the same thing in every preset."""

from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.genesis import genesis_state
from altspec.testing.staking import add_operator, owner, register_rollup


def min_weight(spec: ModuleType, state: Any, quorum: int) -> int:
    """The minimum weight in `quorum` an operator needs to be active."""
    return int(state.params.staking.min_weights[quorum])


def min_alt(spec: ModuleType, state: Any) -> int:
    return min_weight(spec, state, spec.ALT_QUORUM)


def min_eth(spec: ModuleType, state: Any) -> int:
    return min_weight(spec, state, spec.ETH_QUORUM)


def add_staked_operator(spec: ModuleType, state: Any, index: int, alt: int = 2, eth: int = 2,
                        services: tuple[tuple[int, int], ...] = ()) -> None:
    """Register operator `index` staking `alt` times the ALT minimum and `eth` times the ETH
    minimum (beacon ETH), delegated to itself, serving `services`."""
    add_operator(spec, state, index, alt=alt * min_alt(spec, state),
                 eth=eth * min_eth(spec, state), services=services)


def serving_state(spec: ModuleType, alts: list[int], eths: list[int] | None = None,
                  services: tuple[int, ...] = (0, 1, 2), fee_rate: int = 0) -> Any:
    """A state at the first slot of epoch 1: one rollup (id 0) with `services`, and one active
    operator per entry of `alts` (its ALT stake in minimums; ETH from `eths`, default 2) serving
    all of them. The committees of epoch 1 are snapshotted."""
    state = genesis_state(spec)
    rollup = register_rollup(spec, state, services, fee_rate=fee_rate)
    for index, alt in enumerate(alts):
        eth = eths[index] if eths else 2
        add_staked_operator(spec, state, index, alt, eth,
                            tuple((rollup, service) for service in services))
    advance_epochs(spec, state, 1)
    return state


def weights_by_definition(spec: ModuleType, state: Any, operator: Any) -> list[int]:
    """An operator's weight in each quorum, from the definition: the sum over the quorum's
    strategies of the pool value times the multiplier, over `WEIGHT_DENOMINATOR`."""
    totals = [0] * int(spec.NUM_QUORUMS)
    for index, strategy in enumerate(state.strategies):
        totals[int(strategy.quorum)] += int(operator.pools[index].value) * int(strategy.multiplier)
    return [total // spec.WEIGHT_DENOMINATOR for total in totals]


def queue(spec: ModuleType, state: Any, operator: int, strategy: int, shares: int) -> None:
    """The owner of `operator` queues `shares` of its self-delegated stake in `strategy`."""
    spec.process_queue_withdrawal(state, spec.QueueWithdrawal(
        sender=owner(spec, operator), strategy=strategy, shares=shares))
