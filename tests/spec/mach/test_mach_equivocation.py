"""operations/mach_equivocation: `process_mach_equivocation`, evidence that operators signed two
output roots for one block of one rollup; every operator that signed both is slashed."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, spec_test
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import account, owner
from tests.spec.mach.helpers import (
    alt_units,
    attestation_data,
    certify,
    delegator_deposit,
    equivocation,
    indexed_attestation,
    mach_state,
    queue_own_withdrawal,
    root,
    slashed_operators,
)

RUNNER = "operations"
HANDLER = "mach_equivocation"


def equivocation_case(spec: ModuleType, state: Any, evidence: Any,
                      reason: str | None = None) -> Iterator[Part]:
    """Yield the `process_mach_equivocation` vector."""
    yield from run_operation(spec, state, "mach_equivocation", evidence,
                             spec.process_mach_equivocation, reason)


def kept(spec: ModuleType, state: Any, value: int) -> int:
    """What is left of `value` after one equivocation penalty."""
    penalty = int(state.params.mach.equivocation_penalty)
    return value - value * penalty // spec.WAD


@spec_test
def test_slashes_common_signers(spec: ModuleType) -> Iterator[Part]:
    """Evidence of 0, 1, 2 and 1, 2, 3 signing two roots slashes exactly 1 and 2.

    Each by the equivocation penalty, once per operator and equivocation."""
    state = mach_state(spec)
    evidence = equivocation(spec, state, 10, root(1), [0, 1, 2], root(2), [1, 2, 3])
    yield from equivocation_case(spec, state, evidence)
    assert slashed_operators(state) == [1, 2]
    expected_root = spec.compute_equivocation_root(
        evidence.attestation_1.data, evidence.attestation_2.data)
    assert [r.evidence_root for r in state.slashings] == [
        spec.compute_operator_evidence_root(expected_root, i) for i in (1, 2)]
    assert all(r.reason == spec.SLASHING_REASON_MACH_EQUIVOCATION for r in state.slashings)
    assert all(r.fraction == state.params.mach.equivocation_penalty for r in state.slashings)


@spec_test
def test_slashing_reaches_delegators_and_queued_withdrawals(spec: ModuleType) -> Iterator[Part]:
    """Equivocation slashing reaches the delegators' stake and queued withdrawals.

    The operator loses the penalty of everything delegated to it and queued to leave it."""
    state = mach_state(spec)
    delegator = account(1)
    delegator_deposit(spec, state, delegator, 1, alt_units(spec, 5))
    queue_own_withdrawal(spec, state, 1, alt_units(spec, 2))
    operator = state.operators[1]
    alt = int(spec.ALT_STRATEGY)
    eth = int(spec.BEACON_ETH_STRATEGY)
    pool = int(operator.pools[alt].value)
    eth_pool = int(operator.pools[eth].value)
    queued = int(operator.queued[alt].value)
    staker = spec.get_staker(state, spec.Address(delegator))
    delegated = spec.pool_value_of(operator.pools[alt], int(staker.shares[alt]))
    withdrawal = spec.get_withdrawal_value(state, state.withdrawals[0])
    assert state.withdrawals[0].staker == owner(spec, 1) and withdrawal == queued > 0
    burned = [int(ledger.burned) for ledger in state.ledgers]
    evidence = equivocation(spec, state, 10, root(1), [1], root(2), [1])
    yield from equivocation_case(spec, state, evidence)
    operator = state.operators[1]
    assert int(operator.pools[alt].value) == kept(spec, state, pool)
    assert int(operator.pools[eth].value) == kept(spec, state, eth_pool)
    assert int(operator.queued[alt].value) == kept(spec, state, queued)
    delegated_after = spec.pool_value_of(operator.pools[alt], int(staker.shares[alt]))
    assert delegated_after == kept(spec, state, delegated)
    assert spec.get_withdrawal_value(state, state.withdrawals[0]) == kept(spec, state, withdrawal)
    assert int(state.ledgers[alt].burned) - burned[alt] == (pool - kept(spec, state, pool)) + (
        queued - kept(spec, state, queued))
    assert int(state.ledgers[eth].burned) - burned[eth] == eth_pool - kept(spec, state, eth_pool)


@spec_test
def test_only_new_equivocators_slashed(spec: ModuleType) -> Iterator[Part]:
    """Evidence for an equivocation already slashed for one signer slashes only the other.

    Each operator is slashed once per equivocation."""
    state = mach_state(spec)
    earlier = equivocation(spec, state, 10, root(1), [1, 2], root(2), [1])
    spec.process_mach_equivocation(state, earlier)
    assert slashed_operators(state) == [1]
    factor = state.operators[1].slashing_factor
    evidence = equivocation(spec, state, 10, root(2), [1, 2], root(1), [1, 2])
    yield from equivocation_case(spec, state, evidence)
    assert slashed_operators(state) == [1, 2]
    assert len(state.slashings) == 2
    assert state.operators[1].slashing_factor == factor


@spec_test
def test_attestations_of_different_epochs(spec: ModuleType) -> Iterator[Part]:
    """Two roots for one block signed in different epochs are an equivocation too."""
    state = mach_state(spec)
    first = indexed_attestation(spec, state, attestation_data(spec, state, 10, root(1)), [0, 1])
    advance_epochs(spec, state, 1)
    second = indexed_attestation(spec, state, attestation_data(spec, state, 10, root(2)), [1, 2])
    evidence = spec.MachEquivocation(attestation_1=first, attestation_2=second)
    yield from equivocation_case(spec, state, evidence)
    assert slashed_operators(state) == [1]


@spec_test
def test_against_certified_output(spec: ModuleType) -> Iterator[Part]:
    """A certified output's record is evidence against a signer that signed another root."""
    state = mach_state(spec)
    certify(spec, state, 10, root(1), (0, 1, 2))
    certified = state.certified_outputs[0].attestation
    other = indexed_attestation(spec, state, attestation_data(spec, state, 10, root(2)), [2])
    evidence = spec.MachEquivocation(attestation_1=certified, attestation_2=other)
    yield from equivocation_case(spec, state, evidence)
    assert slashed_operators(state) == [2]


# Invalid cases: one per reason code of `process_mach_equivocation`


@spec_test
def test_invalid_not_conflicting(spec: ModuleType) -> Iterator[Part]:
    """Two attestations of the same root for the same block."""
    state = mach_state(spec)
    evidence = equivocation(spec, state, 10, root(1), [0, 1], root(1), [1, 2])
    yield from equivocation_case(spec, state, evidence, reason="not_conflicting")


@spec_test
def test_invalid_invalid_attestation(spec: ModuleType) -> Iterator[Part]:
    """An attestation whose signers are not sorted (its aggregate signature is valid)."""
    state = mach_state(spec)
    evidence = equivocation(spec, state, 10, root(1), [2, 1], root(2), [1, 2])
    yield from equivocation_case(spec, state, evidence, reason="invalid_attestation")


@spec_test
def test_invalid_no_common_signers(spec: ModuleType) -> Iterator[Part]:
    """Two roots for one block signed by disjoint sets of operators."""
    state = mach_state(spec)
    evidence = equivocation(spec, state, 10, root(1), [0, 1], root(2), [2, 3])
    yield from equivocation_case(spec, state, evidence, reason="no_common_signers")


@spec_test
def test_invalid_equivocation_already_slashed(spec: ModuleType) -> Iterator[Part]:
    """The same evidence a second time, with the attestations swapped."""
    state = mach_state(spec)
    evidence = equivocation(spec, state, 10, root(1), [0, 1], root(2), [1, 2])
    spec.process_mach_equivocation(state, evidence)
    swapped = spec.MachEquivocation(
        attestation_1=evidence.attestation_2, attestation_2=evidence.attestation_1)
    yield from equivocation_case(spec, state, swapped, reason="equivocation_already_slashed")
