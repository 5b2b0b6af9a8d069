"""operations/register_operator: `process_register_operator`, registering an operator's BLS key
with its proof of possession."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, spec_state_test, with_presets
from altspec.testing.keys import privkey, pubkey
from altspec.testing.operations import register_operators
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import owner, register_operation

RUNNER = "operations"
HANDLER = "register_operator"


def register_case(
    spec: ModuleType, state: Any, operation: Any, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_register_operator` vector."""
    yield from run_operation(spec, state, "register_operator", operation,
                             spec.process_register_operator, reason)


def registration(spec: ModuleType, state: Any, sender: Any, key: int, signed_for: Any = None) -> Any:
    """`sender` registers test key `key`, with a real proof of possession made for `signed_for`
    (default: the sender)."""
    return spec.RegisterOperator(
        sender=sender,
        pubkey=pubkey(key),
        proof_of_possession=spec.get_registration_signature(
            state, privkey(key), signed_for if signed_for is not None else sender),
    )


@spec_state_test
def test_first_operator(spec: ModuleType, state: Any) -> Iterator[Part]:
    """The first operator takes index 0 with its key, the default commission, an unslashed factor and no stake."""
    yield from register_case(spec, state, register_operation(spec, state, 0))
    assert len(state.operators) == 1
    operator = state.operators[0]
    assert operator.owner == owner(spec, 0)
    assert operator.pubkey == pubkey(0)
    assert operator.commission_bips == spec.config.DEFAULT_COMMISSION_BIPS
    assert operator.slashing_factor == spec.WAD
    assert not operator.active and not operator.slashed
    assert operator.registered_epoch == 0
    assert len(operator.services) == 0 and operator.rewards == 0
    assert all(pool.value == 0 and pool.shares == 0 for pool in operator.pools)
    assert len(state.stakers) == 0


@spec_state_test
def test_second_operator_later_epoch(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second operator registered two epochs later takes the next index and records its epoch."""
    register_operators(spec, state, 1)
    advance_epochs(spec, state, 2)
    yield from register_case(spec, state, register_operation(spec, state, 1))
    assert len(state.operators) == 2
    assert state.operators[1].owner == owner(spec, 1)
    assert state.operators[1].registered_epoch == 2
    assert state.operators[0].registered_epoch == 0


@spec_state_test
def test_commission_from_params(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A new operator's commission is the governable default in the state, not the configuration's."""
    state.params.staking.default_commission_bips = 250
    yield from register_case(spec, state, register_operation(spec, state, 0))
    assert state.operators[0].commission_bips == 250


@with_presets("minimal")
@spec_state_test
def test_invalid_operator_registry_full(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A registration when MAX_OPERATORS operators are already registered."""
    register_operators(spec, state, int(spec.MAX_OPERATORS))
    operation = register_operation(spec, state, int(spec.MAX_OPERATORS))
    yield from register_case(spec, state, operation, reason="operator_registry_full")


@spec_state_test
def test_invalid_already_operator(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator's owner registers a second, unused key with a valid proof of possession."""
    register_operators(spec, state, 1)
    operation = registration(spec, state, owner(spec, 0), key=1)
    yield from register_case(spec, state, operation, reason="already_operator")


@spec_state_test
def test_invalid_pubkey_in_use(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Another account registers operator 0's key, with a valid proof of possession for itself."""
    register_operators(spec, state, 1)
    operation = registration(spec, state, owner(spec, 1), key=0)
    yield from register_case(spec, state, operation, reason="pubkey_in_use")


@spec_state_test
def test_invalid_invalid_pubkey(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A registration of the point at infinity, which KeyValidate rejects."""
    infinity = spec.BLSPubkey(b"\xc0" + b"\x00" * 47)
    operation = spec.RegisterOperator(
        sender=owner(spec, 0),
        pubkey=infinity,
        proof_of_possession=spec.BLSSignature(b"\xc0" + b"\x00" * 95),
    )
    yield from register_case(spec, state, operation, reason="invalid_pubkey")


@spec_state_test
def test_invalid_invalid_proof_of_possession(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A proof of possession by the right key but made for another owner's address."""
    operation = registration(spec, state, owner(spec, 0), key=0, signed_for=owner(spec, 1))
    yield from register_case(spec, state, operation, reason="invalid_proof_of_possession")
