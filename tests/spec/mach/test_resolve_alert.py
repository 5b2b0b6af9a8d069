"""operations/resolve_alert: `resolve_alert`, the hook VITAL calls when the dispute about an
alerted root ends. Not a block operation: a vector is `pre`, `resolution.yaml`
(`{alert_root: 0x.., outcome: int}`), and `post` or a reason."""

from collections.abc import Iterator
from types import ModuleType

from altspec.testing.context import Part, spec_test
from tests.spec.mach.helpers import (
    ROLLUP,
    certify,
    mach_state,
    raise_alert,
    root,
    run_resolution,
)

RUNNER = "operations"
HANDLER = "resolve_alert"


@spec_test
def test_uphold_overturns_root(spec: ModuleType) -> Iterator[Part]:
    """An upheld alert overturns the alerted root: its certified output is never fast-final."""
    state = mach_state(spec)
    certify(spec, state, 10, root(1))
    alert_root = raise_alert(spec, state, 10, root(1), root(2))
    yield from run_resolution(spec, state, alert_root, int(spec.ALERT_UPHELD))
    assert state.alerts[0].status == spec.ALERT_UPHELD
    assert spec.is_overturned(state, ROLLUP, 10, root(1))
    assert not spec.is_overturned(state, ROLLUP, 10, root(2))
    assert not spec.is_fast_final(state, ROLLUP, 10)


@spec_test
def test_dismiss_restores_fast_finality(spec: ModuleType) -> Iterator[Part]:
    """A dismissed alert stops blocking: certified outputs at and above it are fast-final.

    Nothing is overturned."""
    state = mach_state(spec)
    certify(spec, state, 10, root(1))
    certify(spec, state, 11, root(3))
    alert_root = raise_alert(spec, state, 10, root(1), root(2))
    assert not spec.is_fast_final(state, ROLLUP, 10)
    assert not spec.is_fast_final(state, ROLLUP, 11)
    yield from run_resolution(spec, state, alert_root, int(spec.ALERT_DISMISSED))
    assert state.alerts[0].status == spec.ALERT_DISMISSED
    assert len(state.overturned_outputs) == 0
    assert spec.is_fast_final(state, ROLLUP, 10)
    assert spec.is_fast_final(state, ROLLUP, 11)


@spec_test
def test_dismiss_one_of_two_alerts(spec: ModuleType) -> Iterator[Part]:
    """Dismissing the lower of two alerts frees the blocks below the higher one only."""
    state = mach_state(spec)
    for l2_block in (10, 11, 12, 13):
        certify(spec, state, l2_block, root(l2_block))
    low = raise_alert(spec, state, 10, root(10), root(99))
    raise_alert(spec, state, 12, root(12), root(99))
    yield from run_resolution(spec, state, low, int(spec.ALERT_DISMISSED))
    assert [bool(spec.is_fast_final(state, ROLLUP, b)) for b in (10, 11, 12, 13)] == [
        True, True, False, False]


@spec_test
def test_uphold_already_overturned_root(spec: ModuleType) -> Iterator[Part]:
    """Upholding a second alert against a root already overturned records it once."""
    state = mach_state(spec)
    first = raise_alert(spec, state, 10, root(1), root(2))
    second = raise_alert(spec, state, 10, root(1), root(3))
    spec.resolve_alert(state, first, spec.ALERT_UPHELD)
    yield from run_resolution(spec, state, second, int(spec.ALERT_UPHELD))
    assert len(state.overturned_outputs) == 1
    assert [a.status for a in state.alerts] == [spec.ALERT_UPHELD, spec.ALERT_UPHELD]


# Invalid cases: one per reason code of `resolve_alert`


@spec_test
def test_invalid_unknown_alert(spec: ModuleType) -> Iterator[Part]:
    """A resolution naming no recorded alert."""
    state = mach_state(spec)
    raise_alert(spec, state, 10, root(1), root(2))
    yield from run_resolution(spec, state, root(0x42), int(spec.ALERT_DISMISSED),
                              reason="unknown_alert")


@spec_test
def test_invalid_alert_not_active(spec: ModuleType) -> Iterator[Part]:
    """Resolving an alert that was already dismissed: it cannot be upheld afterwards."""
    state = mach_state(spec)
    alert_root = raise_alert(spec, state, 10, root(1), root(2))
    spec.resolve_alert(state, alert_root, spec.ALERT_DISMISSED)
    yield from run_resolution(spec, state, alert_root, int(spec.ALERT_UPHELD),
                              reason="alert_not_active")


@spec_test
def test_invalid_invalid_outcome(spec: ModuleType) -> Iterator[Part]:
    """A resolution with outcome `ALERT_ACTIVE`, which is not an outcome of a dispute."""
    state = mach_state(spec)
    alert_root = raise_alert(spec, state, 10, root(1), root(2))
    yield from run_resolution(spec, state, alert_root, int(spec.ALERT_ACTIVE),
                              reason="invalid_outcome")
