"""operations/update_rollup: `process_update_rollup`, a rollup's owner replacing all of its
settings."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.context import Part, spec_state_test
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import ALT, account, register_rollup

RUNNER = "operations"
HANDLER = "update_rollup"

OWNER = account(1)


def update_op(spec: ModuleType, state: Any, rollup_id: int = 0, **changes: Any) -> Any:
    """An `UpdateRollup` of `rollup_id` from its owner, with its current settings except
    `changes` (field name to new value; `services` as a tuple of service numbers)."""
    rollup = state.rollups[min(rollup_id, len(state.rollups) - 1)]
    fields: dict[str, Any] = {
        "sender": rollup.owner,
        "owner": rollup.owner,
        "services": rollup.services,
        "fee_rate": rollup.fee_rate,
        "mach_thresholds": rollup.mach_thresholds,
        "fraud_window_epochs": rollup.fraud_window_epochs,
    }
    fields.update(changes)
    if isinstance(fields["services"], tuple):
        services = fields["services"]
        fields["services"] = spec.Bitvector[spec.NUM_SERVICES](
            *[service in services for service in range(int(spec.NUM_SERVICES))])
    return spec.UpdateRollup(rollup_id=rollup_id, **fields)


def update_case(
    spec: ModuleType, state: Any, operation: Any, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_update_rollup` vector."""
    yield from run_operation(spec, state, "update_rollup", operation,
                             spec.process_update_rollup, reason)


@spec_state_test
def test_update_all_settings(spec: ModuleType, state: Any) -> Iterator[Part]:
    """The owner replaces services, fee rate, thresholds (at both bounds) and the fraud window (at its minimum); the fee balance stays."""
    rollup_id = register_rollup(spec, state, owner_address=OWNER)
    spec.process_pay_service_fees(state, spec.PayServiceFees(
        sender=account(2), rollup_id=rollup_id, amount=10 * ALT))
    operation = update_op(
        spec, state, rollup_id, services=(1,), fee_rate=2 * ALT,
        mach_thresholds=[spec.MIN_MACH_THRESHOLD, spec.MAX_MACH_THRESHOLD], fraud_window_epochs=1)
    yield from update_case(spec, state, operation)
    rollup = state.rollups[rollup_id]
    assert rollup.owner == OWNER
    assert list(rollup.services) == [False, True, False]
    assert rollup.fee_rate == 2 * ALT
    assert list(rollup.mach_thresholds) == [51, 100]
    assert rollup.fraud_window_epochs == 1
    assert rollup.fee_balance == 10 * ALT
    assert rollup.registered_epoch == 0


@spec_state_test
def test_transfer_ownership(spec: ModuleType, state: Any) -> Iterator[Part]:
    """The owner hands the rollup to another account, which then owns it alone."""
    rollup_id = register_rollup(spec, state, owner_address=OWNER)
    yield from update_case(spec, state, update_op(spec, state, rollup_id, owner=account(2)))
    assert state.rollups[rollup_id].owner == account(2)
    spec.get_rollup_for_owner(state, rollup_id, account(2))


@spec_state_test
def test_update_second_rollup(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Updating rollup 1 leaves rollup 0 of the same owner unchanged."""
    register_rollup(spec, state, owner_address=OWNER)
    rollup_id = register_rollup(spec, state, owner_address=OWNER)
    before = state.rollups[0].copy()
    yield from update_case(spec, state, update_op(spec, state, rollup_id, fee_rate=0))
    assert state.rollups[rollup_id].fee_rate == 0
    assert state.rollups[0] == before


@spec_state_test
def test_invalid_unknown_rollup(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An update of the first rollup id past the registered rollups."""
    register_rollup(spec, state, owner_address=OWNER)
    yield from update_case(spec, state, update_op(spec, state, 1), reason="unknown_rollup")


@spec_state_test
def test_invalid_not_rollup_owner(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An update sent by an account that does not own the rollup (naming itself the owner)."""
    rollup_id = register_rollup(spec, state, owner_address=OWNER)
    operation = update_op(spec, state, rollup_id, sender=account(2), owner=account(2))
    yield from update_case(spec, state, operation, reason="not_rollup_owner")


@spec_state_test
def test_invalid_no_services_enabled(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An update that disables every service."""
    rollup_id = register_rollup(spec, state, owner_address=OWNER)
    yield from update_case(spec, state, update_op(spec, state, rollup_id, services=()),
                           reason="no_services_enabled")


@spec_state_test
def test_invalid_invalid_mach_threshold(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An update with an ETH-quorum MACH threshold of 50%, one below MIN_MACH_THRESHOLD."""
    rollup_id = register_rollup(spec, state, owner_address=OWNER)
    operation = update_op(spec, state, rollup_id, mach_thresholds=[66, spec.MIN_MACH_THRESHOLD - 1])
    yield from update_case(spec, state, operation, reason="invalid_mach_threshold")


@spec_state_test
def test_invalid_invalid_fraud_window(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An update with a fraud window of zero epochs."""
    rollup_id = register_rollup(spec, state, owner_address=OWNER)
    yield from update_case(spec, state, update_op(spec, state, rollup_id, fraud_window_epochs=0),
                           reason="invalid_fraud_window")
