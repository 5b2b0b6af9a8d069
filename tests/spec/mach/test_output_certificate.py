"""operations/output_certificate: `process_output_certificate`, a certificate of attestations to
an output root judged against the MACH committee of the epoch it names."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.crypto import bls
from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, spec_test, with_presets
from altspec.testing.keys import privkey
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import owner, register_rollup
from tests.spec.mach.helpers import (
    ROLLUP,
    alt_units,
    attestation_data,
    attestation_signatures,
    certify,
    current_epoch,
    mach_state,
    output_certificate,
    raise_alert,
    root,
    slashed_operators,
    stakes,
    update_thresholds,
)

RUNNER = "operations"
HANDLER = "output_certificate"


def certificate_case(spec: ModuleType, state: Any, certificate: Any,
                     reason: str | None = None) -> Iterator[Part]:
    """Yield the `process_output_certificate` vector."""
    yield from run_operation(spec, state, "output_certificate", certificate,
                             spec.process_output_certificate, reason)


def committee_of(spec: ModuleType, state: Any, epoch: int) -> Any:
    """The MACH committee of rollup 0 for `epoch`."""
    committee = spec.get_committee(state, ROLLUP, spec.SERVICE_MACH, epoch)
    assert committee is not None
    return committee


def manual_certificate(spec: ModuleType, state: Any, data: Any, bits: list[bool],
                       signers: tuple[int, ...]) -> Any:
    """A certificate with the given participation bits and the real aggregate signature of
    `signers` over `data` (for inputs an honest aggregator would not build)."""
    signatures = attestation_signatures(spec, state, data, signers)
    return spec.OutputCertificate(
        data=data,
        participation=spec.Bitlist[spec.MAX_COMMITTEE_SIZE](*bits),
        signature=spec.BLSSignature(bls.Aggregate(list(signatures.values()))),
    )


# Valid cases


@spec_test
def test_certify(spec: ModuleType) -> Iterator[Part]:
    """Three of four equal operators certify an output root: it becomes fast-final."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 10, root(1))
    certificate = output_certificate(spec, state, data, (0, 1, 2))
    yield from certificate_case(spec, state, certificate)
    assert spec.is_fast_final(state, ROLLUP, 10)
    assert not spec.is_fast_final(state, ROLLUP, 11)
    assert len(state.certified_outputs) == 1
    assert list(state.certified_outputs[0].attestation.signers) == [0, 1, 2]
    committee = committee_of(spec, state, current_epoch(spec, state))
    assert list(committee.participation) == [True, True, True, False]


@spec_test
def test_all_members_sign(spec: ModuleType) -> Iterator[Part]:
    """Every member of the committee signs the certificate."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 3, root(7))
    yield from certificate_case(spec, state, output_certificate(spec, state, data, (0, 1, 2, 3)))
    assert spec.is_fast_final(state, ROLLUP, 3)


@spec_test
def test_duplicate_same_root_is_noop(spec: ModuleType) -> Iterator[Part]:
    """A second certificate for a certified block with the same root changes nothing."""
    state = mach_state(spec)
    certify(spec, state, 10, root(1), (0, 1, 2))
    pre = state.copy()
    data = attestation_data(spec, state, 10, root(1))
    yield from certificate_case(spec, state, output_certificate(spec, state, data, (1, 2, 3)))
    assert state == pre


@spec_test
def test_conflicting_certificate_slashes_common_signers(spec: ModuleType) -> Iterator[Part]:
    """Another root certified for a certified block slashes exactly the signers of both.

    The block is marked conflicted and loses fast finality."""
    state = mach_state(spec)
    certify(spec, state, 10, root(1), (0, 1, 2))
    assert spec.is_fast_final(state, ROLLUP, 10)
    data = attestation_data(spec, state, 10, root(2))
    yield from certificate_case(spec, state, output_certificate(spec, state, data, (1, 2, 3)))
    assert slashed_operators(state) == [1, 2]
    reason = spec.SLASHING_REASON_MACH_EQUIVOCATION
    assert [r.reason for r in state.slashings] == [reason, reason]
    penalty = int(state.params.mach.equivocation_penalty)
    for index in (1, 2):
        assert int(state.operators[index].slashing_factor) == spec.WAD - penalty
        assert not state.operators[index].active
    assert state.certified_outputs[0].conflicted
    assert state.certified_outputs[0].attestation.data.output_root == root(1)
    assert not spec.is_fast_final(state, ROLLUP, 10)


@spec_test
def test_threshold_exactly_at_line(spec: ModuleType) -> Iterator[Part]:
    """Signers holding exactly 66% of each quorum (signed * 100 == total * 66) are enough."""
    alt, eth = stakes(spec, [33, 33, 17, 17])
    state = mach_state(spec, alt=alt, eth=eth)
    committee = committee_of(spec, state, current_epoch(spec, state))
    for quorum in range(int(spec.NUM_QUORUMS)):
        signed = sum(int(m.weights[quorum]) for m in committee.members[:2])
        assert signed * 100 == int(committee.total_weights[quorum]) * 66
    data = attestation_data(spec, state, 10, root(1))
    yield from certificate_case(spec, state, output_certificate(spec, state, data, (0, 1)))
    assert spec.is_fast_final(state, ROLLUP, 10)


@spec_test
def test_threshold_one_unit_below(spec: ModuleType) -> Iterator[Part]:
    """Signers one base unit short of 66% of the ALT quorum are rejected.

    They hold exactly 66% of the ETH quorum."""
    alt, eth = stakes(spec, [33, 33, 17, 17])
    alt[1] -= 1  # one base unit moves from a signer to a non-signer
    alt[3] += 1
    state = mach_state(spec, alt=alt, eth=eth)
    committee = committee_of(spec, state, current_epoch(spec, state))
    signed = [sum(int(m.weights[q]) for m in committee.members[:2]) for q in range(2)]
    assert signed[0] * 100 == int(committee.total_weights[0]) * 66 - 100
    assert signed[1] * 100 == int(committee.total_weights[1]) * 66
    data = attestation_data(spec, state, 10, root(1))
    yield from certificate_case(spec, state, output_certificate(spec, state, data, (0, 1)),
                                reason="insufficient_weight")


@spec_test
def test_alt_quorum_met_eth_quorum_missed(spec: ModuleType) -> Iterator[Part]:
    """Signers with 66% of the ALT quorum but half of the ETH quorum are rejected.

    Every quorum must reach the threshold."""
    alt, _ = stakes(spec, [33, 33, 17, 17])
    state = mach_state(spec, alt=alt)
    data = attestation_data(spec, state, 10, root(1))
    yield from certificate_case(spec, state, output_certificate(spec, state, data, (0, 1)),
                                reason="insufficient_weight")


@spec_test
def test_previous_epoch_uses_its_committee(spec: ModuleType) -> Iterator[Part]:
    """A certificate from two epochs ago is judged against that epoch's committee.

    Stakes changed so much since that its signers are a minority of today's committee."""
    state = mach_state(spec)
    signed_epoch = current_epoch(spec, state)
    data = attestation_data(spec, state, 10, root(1))
    certificate = output_certificate(spec, state, data, (0, 1, 2))
    # Operator 3 quadruples its stake: from the next snapshot on, 0, 1 and 2 hold 3/7 of ALT.
    spec.process_deposit(state, spec.Deposit(
        sender=owner(spec, 3), strategy=spec.ALT_STRATEGY, amount=alt_units(spec, 30)))
    advance_epochs(spec, state, 2)
    today = committee_of(spec, state, current_epoch(spec, state))
    then = committee_of(spec, state, signed_epoch)
    assert today.members != then.members
    assert not spec.is_quorum_reached(state, today, certificate.participation)
    assert spec.is_quorum_reached(state, then, certificate.participation)
    yield from certificate_case(spec, state, certificate)
    assert spec.is_fast_final(state, ROLLUP, 10)


@spec_test
def test_certificate_at_age_limit(spec: ModuleType) -> Iterator[Part]:
    """A certificate exactly `max_certificate_age_epochs` old is still accepted."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 10, root(1))
    certificate = output_certificate(spec, state, data, (0, 1, 2))
    advance_epochs(spec, state, int(state.params.mach.max_certificate_age_epochs))
    yield from certificate_case(spec, state, certificate)
    assert spec.is_fast_final(state, ROLLUP, 10)


@spec_test
def test_rollup_threshold_lowered(spec: ModuleType) -> Iterator[Part]:
    """A rollup threshold of 51% set by UpdateRollup accepts signers holding exactly 51%.

    The default threshold of 66% would reject them."""
    alt, eth = stakes(spec, [26, 25, 25, 24])
    state = mach_state(spec, alt=alt, eth=eth)
    data = attestation_data(spec, state, 10, root(1))
    certificate = output_certificate(spec, state, data, (0, 1))
    committee = committee_of(spec, state, current_epoch(spec, state))
    assert not spec.is_quorum_reached(state, committee, certificate.participation)
    update_thresholds(spec, state, [51, 51])
    yield from certificate_case(spec, state, certificate)
    assert spec.is_fast_final(state, ROLLUP, 10)


@spec_test
def test_rollup_threshold_raised(spec: ModuleType) -> Iterator[Part]:
    """A rollup threshold of 100% set by UpdateRollup rejects three of four signers.

    The default threshold of 66% would accept them."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 10, root(1))
    certificate = output_certificate(spec, state, data, (0, 1, 2))
    committee = committee_of(spec, state, current_epoch(spec, state))
    assert spec.is_quorum_reached(state, committee, certificate.participation)
    update_thresholds(spec, state, [100, 66])
    yield from certificate_case(spec, state, certificate, reason="insufficient_weight")


@spec_test
def test_other_root_after_overturn(spec: ModuleType) -> Iterator[Part]:
    """After VITAL overturned a root, the expected root for that block certifies.

    It is fast-final."""
    state = mach_state(spec)
    alert_root = raise_alert(spec, state, 10, root(1), root(2))
    spec.resolve_alert(state, alert_root, spec.ALERT_UPHELD)
    data = attestation_data(spec, state, 10, root(2))
    yield from certificate_case(spec, state, output_certificate(spec, state, data, (0, 1, 2)))
    assert spec.is_fast_final(state, ROLLUP, 10)


# Invalid cases: one per reason code of `process_output_certificate`


@spec_test
def test_invalid_unknown_rollup(spec: ModuleType) -> Iterator[Part]:
    """A certificate for a rollup id that is not registered."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 10, root(1), rollup_id=1)
    certificate = manual_certificate(spec, state, data, [True, True, True, False], (0, 1, 2))
    yield from certificate_case(spec, state, certificate, reason="unknown_rollup")


@spec_test
def test_invalid_service_not_enabled(spec: ModuleType) -> Iterator[Part]:
    """A certificate for a rollup that has not enabled MACH."""
    state = mach_state(spec)
    rollup_id = register_rollup(spec, state, (int(spec.SERVICE_SQUAD),))
    data = attestation_data(spec, state, 10, root(1), rollup_id=rollup_id)
    certificate = manual_certificate(spec, state, data, [True, True, True, False], (0, 1, 2))
    yield from certificate_case(spec, state, certificate, reason="service_not_enabled")


@spec_test
def test_invalid_future_epoch(spec: ModuleType) -> Iterator[Part]:
    """A certificate that names the epoch after the current one."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 10, root(1), epoch=current_epoch(spec, state) + 1)
    certificate = manual_certificate(spec, state, data, [True, True, True, False], (0, 1, 2))
    yield from certificate_case(spec, state, certificate, reason="future_epoch")


@spec_test
def test_invalid_certificate_too_old(spec: ModuleType) -> Iterator[Part]:
    """A certificate one epoch older than `max_certificate_age_epochs`."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 10, root(1))
    certificate = output_certificate(spec, state, data, (0, 1, 2))
    advance_epochs(spec, state, int(state.params.mach.max_certificate_age_epochs) + 1)
    yield from certificate_case(spec, state, certificate, reason="certificate_too_old")


@spec_test
def test_invalid_no_committee(spec: ModuleType) -> Iterator[Part]:
    """A certificate for a rollup that enabled MACH this epoch, so has no committee yet.

    Its first committee is snapshotted at the next epoch boundary."""
    state = mach_state(spec)
    rollup_id = register_rollup(spec, state, (int(spec.SERVICE_MACH),))
    data = attestation_data(spec, state, 10, root(1), rollup_id=rollup_id)
    certificate = manual_certificate(spec, state, data, [True, True, True, False], (0, 1, 2))
    yield from certificate_case(spec, state, certificate, reason="no_committee")


@spec_test
def test_invalid_participation_length_mismatch(spec: ModuleType) -> Iterator[Part]:
    """Participation bits for five members of a four-member committee."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 10, root(1))
    certificate = manual_certificate(spec, state, data, [True, True, True, False, False], (0, 1, 2))
    yield from certificate_case(spec, state, certificate, reason="participation_length_mismatch")


@spec_test
def test_invalid_no_signers(spec: ModuleType) -> Iterator[Part]:
    """A certificate with no participation bit set (carrying operator 0's signature)."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 10, root(1))
    certificate = manual_certificate(spec, state, data, [False] * 4, (0,))
    yield from certificate_case(spec, state, certificate, reason="no_signers")


@spec_test
def test_invalid_output_overturned(spec: ModuleType) -> Iterator[Part]:
    """A certificate of a root that VITAL overturned (an upheld alert)."""
    state = mach_state(spec)
    alert_root = raise_alert(spec, state, 10, root(1), root(2))
    spec.resolve_alert(state, alert_root, spec.ALERT_UPHELD)
    data = attestation_data(spec, state, 10, root(1))
    certificate = output_certificate(spec, state, data, (0, 1, 2))
    yield from certificate_case(spec, state, certificate, reason="output_overturned")


@spec_test
def test_invalid_insufficient_weight(spec: ModuleType) -> Iterator[Part]:
    """Two of four equal operators: 50% of each quorum, below the default 66%."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 10, root(1))
    certificate = output_certificate(spec, state, data, (0, 1))
    yield from certificate_case(spec, state, certificate, reason="insufficient_weight")


@spec_test
def test_invalid_invalid_signature(spec: ModuleType) -> Iterator[Part]:
    """The marked members' aggregate signature is over another output root."""
    state = mach_state(spec)
    data = attestation_data(spec, state, 10, root(1))
    other = attestation_data(spec, state, 10, root(2))
    certificate = output_certificate(spec, state, data, (0, 1, 2))
    certificate.signature = output_certificate(spec, state, other, (0, 1, 2)).signature
    yield from certificate_case(spec, state, certificate, reason="invalid_signature")


@with_presets("minimal")
@spec_test
def test_invalid_certified_outputs_full(spec: ModuleType) -> Iterator[Part]:
    """A certificate for a new block when `MAX_CERTIFIED_OUTPUTS` outputs are certified.

    The list is filled with real certificates."""
    # One signature per certificate: operator 0 alone holds 70% of each quorum.
    alt, eth = stakes(spec, [70, 10, 10, 10])
    state = mach_state(spec, alt=alt, eth=eth)
    for l2_block in range(1, int(spec.MAX_CERTIFIED_OUTPUTS) + 1):
        data = attestation_data(spec, state, l2_block, root(1))
        signature = spec.get_attestation_signature(state, data, privkey(0))
        spec.process_output_certificate(state, spec.build_output_certificate(
            state, data, {spec.OperatorIndex(0): signature}))
    assert len(state.certified_outputs) == spec.MAX_CERTIFIED_OUTPUTS
    data = attestation_data(spec, state, 0, root(1))
    certificate = output_certificate(spec, state, data, (0,))
    yield from certificate_case(spec, state, certificate, reason="certified_outputs_full")
