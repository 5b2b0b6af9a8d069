"""operations/opt_in: `process_opt_in`, an operator's owner committing it to serve a service of a
rollup from the next committee snapshot."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, spec_state_test
from altspec.testing.operations import register_operators, slash
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import ALT, add_operator, owner, register_rollup

RUNNER = "operations"
HANDLER = "opt_in"


def opt_in_op(spec: ModuleType, operator_index: int, rollup_id: int, service: int,
              sender: Any = None) -> Any:
    """An `OptIn` of operator `operator_index` (sent by its owner unless `sender` is given)."""
    return spec.OptIn(
        sender=sender if sender is not None else owner(spec, operator_index),
        operator_index=operator_index, rollup_id=rollup_id, service=service)


def opt_in_case(
    spec: ModuleType, state: Any, operation: Any, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_opt_in` vector."""
    yield from run_operation(spec, state, "opt_in", operation, spec.process_opt_in, reason)


def opt_in(spec: ModuleType, state: Any, operator_index: int, rollup_id: int, service: int) -> None:
    """Opt operator `operator_index` in (by its owner)."""
    spec.process_opt_in(state, opt_in_op(spec, operator_index, rollup_id, service))


def serve_many(spec: ModuleType, state: Any, count: int) -> list[tuple[int, int]]:
    """Register enough rollups with every service for operator 0 to serve `count` (rollup,
    service) pairs and one more; opt it in to the first `count`. Return every pair."""
    rollups = [register_rollup(spec, state) for _ in range(count // int(spec.NUM_SERVICES) + 1)]
    pairs = [(rollup, service) for rollup in rollups for service in range(int(spec.NUM_SERVICES))]
    for rollup, service in pairs[:count]:
        opt_in(spec, state, 0, rollup, service)
    return pairs


@spec_state_test
def test_opt_in(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator without stake opts in to MACH of a rollup: the service is recorded, no stake is needed."""
    register_operators(spec, state, 1)
    rollup = register_rollup(spec, state)
    yield from opt_in_case(spec, state, opt_in_op(spec, 0, rollup, spec.SERVICE_MACH))
    operator = state.operators[0]
    assert list(operator.services) == [spec.ServiceRef(rollup_id=rollup, service=spec.SERVICE_MACH)]
    assert spec.is_serving(operator, rollup, spec.SERVICE_MACH)


@spec_state_test
def test_opt_in_second_rollup(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator serving MACH of rollup 0 opts in to VITAL of rollup 1: both are kept, in order."""
    register_operators(spec, state, 1)
    first, second = register_rollup(spec, state), register_rollup(spec, state)
    opt_in(spec, state, 0, first, spec.SERVICE_MACH)
    yield from opt_in_case(spec, state, opt_in_op(spec, 0, second, spec.SERVICE_VITAL))
    assert list(state.operators[0].services) == [
        spec.ServiceRef(rollup_id=first, service=spec.SERVICE_MACH),
        spec.ServiceRef(rollup_id=second, service=spec.SERVICE_VITAL),
    ]


@spec_state_test
def test_opt_in_joins_next_committee(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator meeting the minimum weights opts in and is in the service's committee of the next epoch."""
    rollup = register_rollup(spec, state)
    add_operator(spec, state, 0, alt=200_000 * ALT, eth=32 * ALT)
    yield from opt_in_case(spec, state, opt_in_op(spec, 0, rollup, spec.SERVICE_SQUAD))
    advance_epochs(spec, state, 1)
    committee = spec.get_committee(state, rollup, spec.SERVICE_SQUAD, spec.get_current_epoch(state))
    assert committee is not None
    assert [int(member.operator_index) for member in committee.members] == [0]
    assert spec.get_committee(state, rollup, spec.SERVICE_MACH, spec.get_current_epoch(state)).members == []


@spec_state_test
def test_opt_in_last_service_slot(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator serving MAX_OPERATOR_SERVICES - 1 pairs opts in to one more."""
    register_operators(spec, state, 1)
    limit = int(spec.MAX_OPERATOR_SERVICES)
    pairs = serve_many(spec, state, limit - 1)
    yield from opt_in_case(spec, state, opt_in_op(spec, 0, *pairs[limit - 1]))
    assert len(state.operators[0].services) == limit


@spec_state_test
def test_invalid_unknown_operator(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An opt-in for the first operator index past the registered operators."""
    register_operators(spec, state, 1)
    rollup = register_rollup(spec, state)
    yield from opt_in_case(spec, state, opt_in_op(spec, 1, rollup, spec.SERVICE_MACH),
                           reason="unknown_operator")


@spec_state_test
def test_invalid_not_operator_owner(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Operator 1's owner opts operator 0 in."""
    register_operators(spec, state, 2)
    rollup = register_rollup(spec, state)
    operation = opt_in_op(spec, 0, rollup, spec.SERVICE_MACH, sender=owner(spec, 1))
    yield from opt_in_case(spec, state, operation, reason="not_operator_owner")


@spec_state_test
def test_invalid_operator_slashed(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A slashed operator opts in to a new service."""
    register_operators(spec, state, 1)
    rollup = register_rollup(spec, state)
    slash(spec, state, 0, spec.WAD // 2)
    yield from opt_in_case(spec, state, opt_in_op(spec, 0, rollup, spec.SERVICE_MACH),
                           reason="operator_slashed")


@spec_state_test
def test_invalid_unknown_rollup(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An opt-in for the first rollup id past the registered rollups."""
    register_operators(spec, state, 1)
    rollup = register_rollup(spec, state)
    yield from opt_in_case(spec, state, opt_in_op(spec, 0, rollup + 1, spec.SERVICE_MACH),
                           reason="unknown_rollup")


@spec_state_test
def test_invalid_service_not_enabled(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An opt-in for SQUAD of a rollup that enabled only MACH."""
    register_operators(spec, state, 1)
    rollup = register_rollup(spec, state, services=(0,))
    yield from opt_in_case(spec, state, opt_in_op(spec, 0, rollup, spec.SERVICE_SQUAD),
                           reason="service_not_enabled")


@spec_state_test
def test_invalid_already_opted_in(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second opt-in for the same service of the same rollup."""
    register_operators(spec, state, 1)
    rollup = register_rollup(spec, state)
    opt_in(spec, state, 0, rollup, spec.SERVICE_VITAL)
    yield from opt_in_case(spec, state, opt_in_op(spec, 0, rollup, spec.SERVICE_VITAL),
                           reason="already_opted_in")


@spec_state_test
def test_invalid_too_many_services(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator serving MAX_OPERATOR_SERVICES pairs opts in to another."""
    register_operators(spec, state, 1)
    limit = int(spec.MAX_OPERATOR_SERVICES)
    pairs = serve_many(spec, state, limit)
    yield from opt_in_case(spec, state, opt_in_op(spec, 0, *pairs[limit]),
                           reason="too_many_services")
