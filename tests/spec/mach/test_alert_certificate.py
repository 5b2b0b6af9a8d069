"""operations/alert_certificate: `process_alert_certificate`, a certificate of alerts that an
output root is invalid; a confirmed alert blocks fast finality at and above its block."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.context import Part, spec_test, with_presets
from altspec.testing.outcomes import run_operation
from tests.spec.mach.helpers import (
    ROLLUP,
    alert_certificate,
    alert_data,
    attestation_data,
    attestation_signatures,
    certify,
    mach_state,
    raise_alert,
    root,
)

RUNNER = "operations"
HANDLER = "alert_certificate"


def alert_case(spec: ModuleType, state: Any, certificate: Any,
               reason: str | None = None) -> Iterator[Part]:
    """Yield the `process_alert_certificate` vector."""
    yield from run_operation(spec, state, "alert_certificate", certificate,
                             spec.process_alert_certificate, reason)


@spec_test
def test_raise_alert(spec: ModuleType) -> Iterator[Part]:
    """A confirmed alert blocks fast finality at and above its block, not below.

    The alert is against a certified root, signed by three of four operators."""
    state = mach_state(spec)
    for l2_block in (9, 10, 12):
        certify(spec, state, l2_block, root(l2_block))
    data = alert_data(spec, state, 10, root(10), root(99))
    yield from alert_case(spec, state, alert_certificate(spec, state, data, (0, 1, 2)))
    assert len(state.alerts) == 1
    assert state.alerts[0].status == spec.ALERT_ACTIVE
    assert spec.is_fast_final(state, ROLLUP, 9)
    assert not spec.is_fast_final(state, ROLLUP, 10)
    assert not spec.is_fast_final(state, ROLLUP, 12)


@spec_test
def test_alert_on_uncertified_block(spec: ModuleType) -> Iterator[Part]:
    """An alert about a root that was never certified blocks the certified blocks above."""
    state = mach_state(spec)
    certify(spec, state, 12, root(12))
    data = alert_data(spec, state, 11, root(1), root(2))
    yield from alert_case(spec, state, alert_certificate(spec, state, data, (1, 2, 3)))
    assert not spec.is_fast_final(state, ROLLUP, 12)


@spec_test
def test_same_block_other_expected_root(spec: ModuleType) -> Iterator[Part]:
    """A second alert against the same root with another expected root is a distinct alert."""
    state = mach_state(spec)
    raise_alert(spec, state, 10, root(1), root(2))
    data = alert_data(spec, state, 10, root(1), root(3))
    yield from alert_case(spec, state, alert_certificate(spec, state, data, (0, 1, 2)))
    assert len(state.alerts) == 2


@spec_test
def test_attestation_signature_replayed_as_alert(spec: ModuleType) -> Iterator[Part]:
    """An attestation's signatures do not confirm an alert: the alert domain differs."""
    state = mach_state(spec)
    data = alert_data(spec, state, 10, root(1), root(2))
    certificate = alert_certificate(spec, state, data, (0, 1, 2))
    attested = attestation_data(spec, state, 10, root(1))
    signatures = attestation_signatures(spec, state, attested, (0, 1, 2))
    certificate.signature = spec.build_output_certificate(state, attested, signatures).signature
    yield from alert_case(spec, state, certificate, reason="invalid_signature")


# Invalid cases: one per reason code that only `process_alert_certificate` raises


@spec_test
def test_invalid_alert_without_difference(spec: ModuleType) -> Iterator[Part]:
    """An alert whose expected root is the alerted root."""
    state = mach_state(spec)
    data = alert_data(spec, state, 10, root(1), root(1))
    yield from alert_case(spec, state, alert_certificate(spec, state, data, (0, 1, 2)),
                          reason="alert_without_difference")


@spec_test
def test_invalid_alert_already_raised(spec: ModuleType) -> Iterator[Part]:
    """The same alert again, signed by other operators."""
    state = mach_state(spec)
    raise_alert(spec, state, 10, root(1), root(2), (0, 1, 2))
    data = alert_data(spec, state, 10, root(1), root(2))
    yield from alert_case(spec, state, alert_certificate(spec, state, data, (1, 2, 3)),
                          reason="alert_already_raised")


@with_presets("minimal")
@spec_test
def test_invalid_alerts_full(spec: ModuleType) -> Iterator[Part]:
    """A new alert when `MAX_ALERTS` alerts are recorded (filled with real alerts)."""
    state = mach_state(spec)
    for l2_block in range(int(spec.MAX_ALERTS)):
        raise_alert(spec, state, 1000 + l2_block, root(1), root(2))
    data = alert_data(spec, state, 10, root(1), root(2))
    yield from alert_case(spec, state, alert_certificate(spec, state, data, (0, 1, 2)),
                          reason="alerts_full")
