"""operations/opt_out: `process_opt_out`, an operator's owner withdrawing it from a service of a
rollup from the next committee snapshot."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.context import Part, spec_state_test
from altspec.testing.operations import register_operators, slash
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import owner, register_rollup

RUNNER = "operations"
HANDLER = "opt_out"


def opt_out_op(spec: ModuleType, operator_index: int, rollup_id: int, service: int,
               sender: Any = None) -> Any:
    """An `OptOut` of operator `operator_index` (sent by its owner unless `sender` is given)."""
    return spec.OptOut(
        sender=sender if sender is not None else owner(spec, operator_index),
        operator_index=operator_index, rollup_id=rollup_id, service=service)


def opt_out_case(
    spec: ModuleType, state: Any, operation: Any, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_opt_out` vector."""
    yield from run_operation(spec, state, "opt_out", operation, spec.process_opt_out, reason)


def serving_state(spec: ModuleType, state: Any, operators: int = 1) -> int:
    """Register `operators` operators and a rollup with every service; opt operator 0 in to
    every service. Return the rollup's id."""
    register_operators(spec, state, operators)
    rollup = register_rollup(spec, state)
    for service in range(int(spec.NUM_SERVICES)):
        spec.process_opt_in(state, spec.OptIn(
            sender=owner(spec, 0), operator_index=0, rollup_id=rollup, service=service))
    return rollup


def refs(spec: ModuleType, rollup: int, services: list[int]) -> list[Any]:
    """The `ServiceRef`s of `services` of `rollup`."""
    return [spec.ServiceRef(rollup_id=rollup, service=service) for service in services]


@spec_state_test
def test_opt_out(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Opting out of SQUAD removes only that service; the others keep their order."""
    rollup = serving_state(spec, state)
    yield from opt_out_case(spec, state, opt_out_op(spec, 0, rollup, spec.SERVICE_SQUAD))
    assert list(state.operators[0].services) == refs(
        spec, rollup, [spec.SERVICE_MACH, spec.SERVICE_VITAL])


@spec_state_test
def test_opt_out_last_service(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Opting out of an operator's only service leaves it serving nothing."""
    register_operators(spec, state, 1)
    rollup = register_rollup(spec, state, services=(2,))
    spec.process_opt_in(state, spec.OptIn(
        sender=owner(spec, 0), operator_index=0, rollup_id=rollup, service=spec.SERVICE_VITAL))
    yield from opt_out_case(spec, state, opt_out_op(spec, 0, rollup, spec.SERVICE_VITAL))
    assert len(state.operators[0].services) == 0


@spec_state_test
def test_opt_out_slashed_operator(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A slashed operator may still opt out."""
    rollup = serving_state(spec, state)
    slash(spec, state, 0, spec.WAD // 2)
    yield from opt_out_case(spec, state, opt_out_op(spec, 0, rollup, spec.SERVICE_MACH))
    assert list(state.operators[0].services) == refs(
        spec, rollup, [spec.SERVICE_SQUAD, spec.SERVICE_VITAL])


@spec_state_test
def test_opt_out_disabled_service(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator opts out of a service its rollup has since disabled."""
    rollup = serving_state(spec, state)
    record = state.rollups[rollup]
    spec.process_update_rollup(state, spec.UpdateRollup(
        sender=record.owner, rollup_id=rollup, owner=record.owner,
        services=spec.Bitvector[spec.NUM_SERVICES](True, True, False),
        fee_rate=record.fee_rate, mach_thresholds=record.mach_thresholds,
        fraud_window_epochs=record.fraud_window_epochs))
    yield from opt_out_case(spec, state, opt_out_op(spec, 0, rollup, spec.SERVICE_VITAL))
    assert list(state.operators[0].services) == refs(
        spec, rollup, [spec.SERVICE_MACH, spec.SERVICE_SQUAD])


@spec_state_test
def test_invalid_unknown_operator(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An opt-out for the first operator index past the registered operators."""
    rollup = serving_state(spec, state)
    yield from opt_out_case(spec, state, opt_out_op(spec, 1, rollup, spec.SERVICE_MACH),
                            reason="unknown_operator")


@spec_state_test
def test_invalid_not_operator_owner(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Operator 1's owner opts operator 0 out."""
    rollup = serving_state(spec, state, operators=2)
    operation = opt_out_op(spec, 0, rollup, spec.SERVICE_MACH, sender=owner(spec, 1))
    yield from opt_out_case(spec, state, operation, reason="not_operator_owner")


@spec_state_test
def test_invalid_not_opted_in(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An opt-out of a service of another rollup than the one the operator serves."""
    rollup = serving_state(spec, state)
    other = register_rollup(spec, state)
    yield from opt_out_case(spec, state, opt_out_op(spec, 0, other, spec.SERVICE_MACH),
                            reason="not_opted_in")
    assert rollup != other
