"""operations/register_rollup: `process_register_rollup`, an account registering a rollup it
owns, with the current default thresholds and fraud window."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, spec_state_test
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import ALT, account, register_rollup

RUNNER = "operations"
HANDLER = "register_rollup"


def register_op(spec: ModuleType, services: tuple[int, ...], fee_rate: int = ALT,
                sender: Any = None) -> Any:
    """A `RegisterRollup` of the given services (by number) from `sender` (default account 1)."""
    bits = [service in services for service in range(int(spec.NUM_SERVICES))]
    return spec.RegisterRollup(
        sender=spec.Address(sender if sender is not None else account(1)),
        services=spec.Bitvector[spec.NUM_SERVICES](*bits),
        fee_rate=fee_rate,
    )


def register_case(
    spec: ModuleType, state: Any, operation: Any, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_register_rollup` vector."""
    yield from run_operation(spec, state, "register_rollup", operation,
                             spec.process_register_rollup, reason)


@spec_state_test
def test_register_rollup(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A first rollup with every service takes id 0, owned by the sender, with the default settings and no fee balance."""
    yield from register_case(spec, state, register_op(spec, (0, 1, 2), fee_rate=3 * ALT))
    assert len(state.rollups) == 1
    rollup = state.rollups[0]
    assert rollup.owner == account(1)
    assert list(rollup.services) == [True, True, True]
    assert rollup.fraud_window_epochs == spec.config.INITIAL_FRAUD_WINDOW_EPOCHS
    assert list(rollup.mach_thresholds) == [spec.config.INITIAL_MACH_THRESHOLD] * 2
    assert rollup.fee_rate == 3 * ALT and rollup.fee_balance == 0
    assert rollup.registered_epoch == 0


@spec_state_test
def test_register_single_service(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A rollup that buys only VITAL, with no fee."""
    yield from register_case(spec, state, register_op(spec, (2,), fee_rate=0))
    rollup = state.rollups[0]
    assert list(rollup.services) == [False, False, True]
    assert rollup.fee_rate == 0


@spec_state_test
def test_register_uses_current_params(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second rollup, registered later, takes the next id, its epoch and the governable defaults in the state."""
    register_rollup(spec, state)
    advance_epochs(spec, state, 1)
    state.params.rollups.default_fraud_window_epochs = 5
    state.params.rollups.default_mach_threshold = 75
    yield from register_case(spec, state, register_op(spec, (0,), sender=account(2)))
    assert len(state.rollups) == 2
    rollup = state.rollups[1]
    assert rollup.owner == account(2)
    assert rollup.registered_epoch == 1
    assert rollup.fraud_window_epochs == 5
    assert list(rollup.mach_thresholds) == [75, 75]
    assert state.rollups[0].fraud_window_epochs == spec.config.INITIAL_FRAUD_WINDOW_EPOCHS


@spec_state_test
def test_invalid_rollup_registry_full(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A registration when MAX_ROLLUPS rollups are registered."""
    for _ in range(int(spec.MAX_ROLLUPS)):
        register_rollup(spec, state)
    yield from register_case(spec, state, register_op(spec, (0,)), reason="rollup_registry_full")


@spec_state_test
def test_invalid_no_services_enabled(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A registration that enables no service."""
    yield from register_case(spec, state, register_op(spec, ()), reason="no_services_enabled")
