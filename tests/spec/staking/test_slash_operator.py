"""operations/slash_operator: `slash_operator`, the one slashing entry point of every service.

It is not a block operation, so its vector's input is plain data: `slashing.yaml` holds
`operator_index`, `fraction` (of `WAD`), `evidence_root` (`0x` hex) and `reason` (a
`SLASHING_REASON_*` value). Apply `slash_operator(pre, operator_index, fraction, evidence_root,
reason)`."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, spec_state_test, with_presets
from altspec.testing.operations import (
    delegate,
    evidence,
    register_operators,
    slash,
    staker,
)
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import ALT, account, owner

RUNNER = "operations"
HANDLER = "slash_operator"


def slashing_case(
    spec: ModuleType, state: Any, operator_index: int, fraction: int, evidence_root: Any,
    slashing_reason: int = 1, reason: str | None = None,
) -> Iterator[Part]:
    """Yield the `slash_operator` vector: `pre`, the `slashing` part (plain data), then `post`, or
    no post and `reason` when the slashing is rejected."""
    slashing = {
        "operator_index": int(operator_index),
        "fraction": int(fraction),
        "evidence_root": "0x" + bytes(evidence_root).hex(),
        "reason": int(slashing_reason),
    }

    def process(state: Any, data: dict[str, Any]) -> None:
        spec.slash_operator(
            state,
            spec.OperatorIndex(data["operator_index"]),
            spec.Wad(data["fraction"]),
            spec.Root(bytes.fromhex(data["evidence_root"][2:])),
            spec.SlashingReason(data["reason"]),
        )

    yield from run_operation(spec, state, "slashing", slashing, process, reason)


def slashable_state(spec: ModuleType, state: Any) -> None:
    """Two active operators, one epoch after genesis. Operator 0: its owner's 200,000 ALT and
    32 ETH, account 1's 1,000 ALT, 8 beacon ETH and 10 LST ETH, and account 2's 400 ALT queued
    to leave it. Operator 1: its owner's 200,000 ALT and 32 ETH."""
    register_operators(spec, state, 2)
    for index in range(2):
        delegate(spec, state, owner(spec, index), index, (200_000 * ALT, 32 * ALT))
    delegate(spec, state, account(1), 0, (1_000 * ALT, 8 * ALT, 10 * ALT))
    delegate(spec, state, account(2), 0, (400 * ALT,))
    spec.process_queue_withdrawal(state, spec.QueueWithdrawal(
        sender=spec.Address(account(2)), strategy=spec.ALT_STRATEGY, shares=400 * ALT))
    advance_epochs(spec, state, 1)
    assert state.operators[0].active and state.operators[1].active


def value_of(spec: ModuleType, state: Any, address: Any, strategy: int) -> int:
    """What `address`'s delegated shares of `strategy` are worth now."""
    record = staker(spec, state, address)
    pool = state.operators[record.operator].pools[strategy]
    return spec.pool_value_of(pool, int(record.shares[strategy]))


@spec_state_test
def test_partial_slash(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A 10% slash burns a tenth of every delegated and queued pool: delegators and queued withdrawals lose a tenth."""
    slashable_state(spec, state)
    other = state.operators[1].copy()
    root = evidence(spec, 1)
    yield from slashing_case(spec, state, 0, spec.WAD // 10, root,
                             spec.SLASHING_REASON_SQUAD_EQUIVOCATION)
    operator = state.operators[0]
    alt, eth, lst = spec.ALT_STRATEGY, spec.BEACON_ETH_STRATEGY, spec.LST_ETH_STRATEGY
    assert operator.pools[alt].value == 180_900 * ALT and operator.pools[alt].shares == 201_000 * ALT
    assert operator.pools[eth].value == 36 * ALT and operator.pools[lst].value == 9 * ALT
    assert operator.queued[alt].value == 360 * ALT and operator.queued[alt].shares == 400 * ALT
    assert value_of(spec, state, account(1), alt) == 900 * ALT
    assert value_of(spec, state, account(1), eth) == 72 * ALT // 10
    assert value_of(spec, state, account(1), lst) == 9 * ALT
    assert value_of(spec, state, owner(spec, 0), alt) == 180_000 * ALT
    assert spec.get_withdrawal_value(state, state.withdrawals[0]) == 360 * ALT
    assert state.ledgers[alt].burned == 20_140 * ALT
    assert state.ledgers[eth].burned == 4 * ALT and state.ledgers[lst].burned == ALT
    assert operator.slashing_factor == spec.WAD * 9 // 10
    assert operator.slashed and not operator.active
    assert list(state.slashings) == [spec.SlashingRecord(
        operator_index=0, evidence_root=root, fraction=spec.WAD // 10,
        reason=spec.SLASHING_REASON_SQUAD_EQUIVOCATION, epoch=1)]
    assert state.operators[1] == other


@spec_state_test
def test_full_slash(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A slash of the whole stake (fraction WAD) burns every pool and queued withdrawal entirely."""
    slashable_state(spec, state)
    yield from slashing_case(spec, state, 0, spec.WAD, evidence(spec, 1),
                             spec.SLASHING_REASON_VITAL_DISPUTE)
    operator = state.operators[0]
    assert all(pool.value == 0 for pool in operator.pools)
    assert all(pool.value == 0 for pool in operator.queued)
    assert operator.pools[spec.ALT_STRATEGY].shares == 201_000 * ALT
    assert value_of(spec, state, account(1), spec.ALT_STRATEGY) == 0
    assert spec.get_withdrawal_value(state, state.withdrawals[0]) == 0
    assert state.ledgers[spec.ALT_STRATEGY].burned == 201_400 * ALT
    assert operator.slashing_factor == 0
    assert operator.slashed and not operator.active


@spec_state_test
def test_second_slash_new_evidence(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second 50% slash with new evidence: the factor falls to a quarter and the pools to a quarter."""
    slashable_state(spec, state)
    slash(spec, state, 0, spec.WAD // 2, seed=1)
    yield from slashing_case(spec, state, 0, spec.WAD // 2, evidence(spec, 2))
    operator = state.operators[0]
    assert operator.slashing_factor == spec.WAD // 4
    assert operator.pools[spec.ALT_STRATEGY].value == 201_000 * ALT // 4
    assert spec.get_withdrawal_value(state, state.withdrawals[0]) == 100 * ALT
    assert [record.evidence_root for record in state.slashings] == [
        evidence(spec, 1), evidence(spec, 2)]


@spec_state_test
def test_slash_operator_without_stake(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator with no stake is slashed: nothing burns, but it is marked slashed and recorded."""
    register_operators(spec, state, 1)
    yield from slashing_case(spec, state, 0, spec.WAD // 2, evidence(spec, 1))
    assert state.operators[0].slashed
    assert state.operators[0].slashing_factor == spec.WAD // 2
    assert all(ledger.burned == 0 for ledger in state.ledgers)
    assert len(state.slashings) == 1


@spec_state_test
def test_invalid_unknown_operator(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A slashing of the first operator index past the registered operators."""
    register_operators(spec, state, 1)
    yield from slashing_case(spec, state, 1, spec.WAD // 2, evidence(spec, 1),
                             reason="unknown_operator")


@spec_state_test
def test_invalid_invalid_slashing_fraction(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A slashing of a zero fraction."""
    slashable_state(spec, state)
    yield from slashing_case(spec, state, 0, 0, evidence(spec, 1),
                             reason="invalid_slashing_fraction")


@spec_state_test
def test_invalid_invalid_slashing_fraction_above_wad(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A slashing of one unit more than the whole stake (WAD + 1)."""
    slashable_state(spec, state)
    yield from slashing_case(spec, state, 0, spec.WAD + 1, evidence(spec, 1),
                             reason="invalid_slashing_fraction")


@spec_state_test
def test_invalid_evidence_already_used(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Evidence that slashed operator 0 is used again, against operator 1."""
    slashable_state(spec, state)
    slash(spec, state, 0, spec.WAD // 10, seed=1)
    yield from slashing_case(spec, state, 1, spec.WAD // 10, evidence(spec, 1),
                             reason="evidence_already_used")


@with_presets("minimal")
@spec_state_test
def test_invalid_slashing_records_full(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A slashing with new evidence when MAX_SLASHINGS slashings are recorded."""
    register_operators(spec, state, 1)
    for seed in range(int(spec.MAX_SLASHINGS)):
        slash(spec, state, 0, 1, seed)
    yield from slashing_case(spec, state, 0, 1, evidence(spec, int(spec.MAX_SLASHINGS)),
                             reason="slashing_records_full")
