"""bls: the IETF BLS functions of the ciphersuite the spec uses, valid and invalid inputs.

Each case is `data.yaml` with `input` and `output`; `output` is null when the function must
reject its input (raise in Sign/Aggregate/AggregatePKs). These vectors do not depend on a preset
and are written under `general/`.
"""

from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from altspec.crypto import bls
from altspec.testing.context import Part, SpecTest
from altspec.testing.keys import privkey, pubkey

RUNNER = "bls"
SUITE = "bls"
PRESET_INDEPENDENT = True

MESSAGES = [b"", b"\x00" * 32, b"altspec", bytes(range(64))]
INFINITY_PUBKEY = b"\xc0" + b"\x00" * 47
INFINITY_SIGNATURE = b"\xc0" + b"\x00" * 95
NOT_A_POINT_PUBKEY = b"\x9f" + b"\xff" * 47
NOT_A_POINT_SIGNATURE = b"\x9f" + b"\xff" * 95


def hexed(value: Any) -> Any:
    """Bytes as `0x` hex, recursively through lists and dicts."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, list):
        return [hexed(v) for v in value]
    if isinstance(value, dict):
        return {k: hexed(v) for k, v in value.items()}
    return value


def outcome(call: Callable[[], Any]) -> Any:
    """The function's result, or None when it rejects its input."""
    try:
        return call()
    except ValueError:
        return None


def sig(key: int, message: bytes) -> bytes:
    return bls.Sign(privkey(key), message)


def tampered(signature: bytes) -> bytes:
    """A valid signature of another message: a point that verifies nothing here."""
    return bls.Sign(privkey(99), signature[:8])


def sign_cases() -> Iterator[tuple[str, dict[str, Any], Callable[[], Any]]]:
    for key in (0, 1, 7):
        for index, message in enumerate(MESSAGES[:2]):
            yield f"sign_key_{key}_message_{index}", {"privkey": privkey(key), "message": message},\
                lambda k=key, m=message: bls.Sign(privkey(k), m)
    yield "sign_zero_privkey", {"privkey": 0, "message": MESSAGES[2]}, \
        lambda: bls.Sign(0, MESSAGES[2])


def verify_cases() -> Iterator[tuple[str, dict[str, Any], Callable[[], Any]]]:
    m = MESSAGES[2]
    rows = {
        "valid": (pubkey(0), m, sig(0, m)),
        "valid_empty_message": (pubkey(1), b"", sig(1, b"")),
        "wrong_pubkey": (pubkey(1), m, sig(0, m)),
        "wrong_message": (pubkey(0), MESSAGES[3], sig(0, m)),
        "tampered_signature": (pubkey(0), m, tampered(sig(0, m))),
        "infinity_pubkey": (INFINITY_PUBKEY, m, INFINITY_SIGNATURE),
        "infinity_signature": (pubkey(0), m, INFINITY_SIGNATURE),
        "pubkey_not_a_point": (NOT_A_POINT_PUBKEY, m, sig(0, m)),
        "signature_not_a_point": (pubkey(0), m, NOT_A_POINT_SIGNATURE),
        "short_signature": (pubkey(0), m, sig(0, m)[:95]),
    }
    for name, (pk, msg, signature) in rows.items():
        yield f"verify_{name}", {"pubkey": pk, "message": msg, "signature": signature}, \
            lambda a=pk, b=msg, c=signature: bls.Verify(a, b, c)


def aggregate_cases() -> Iterator[tuple[str, dict[str, Any], Callable[[], Any]]]:
    m = MESSAGES[1]
    rows = {
        "three": [sig(i, m) for i in range(3)],
        "one": [sig(4, m)],
        "empty": [],
        "infinity": [INFINITY_SIGNATURE],
        "not_a_point": [sig(0, m), NOT_A_POINT_SIGNATURE],
    }
    for name, sigs in rows.items():
        yield f"aggregate_{name}", sigs, lambda s=sigs: bls.Aggregate(s)


def aggregate_pks_cases() -> Iterator[tuple[str, dict[str, Any], Callable[[], Any]]]:
    rows = {
        "three": [pubkey(i) for i in range(3)],
        "one": [pubkey(5)],
        "empty": [],
        "infinity": [pubkey(0), INFINITY_PUBKEY],
        "not_a_point": [NOT_A_POINT_PUBKEY],
    }
    for name, pks in rows.items():
        yield f"aggregate_pks_{name}", pks, lambda p=pks: bls.AggregatePKs(p)


def fast_aggregate_verify_cases() -> Iterator[tuple[str, dict[str, Any], Callable[[], Any]]]:
    m = MESSAGES[3]
    keys = [pubkey(i) for i in range(3)]
    good = bls.Aggregate([sig(i, m) for i in range(3)])
    rows = {
        "valid": (keys, m, good),
        "missing_signer": (keys[:2], m, good),
        "extra_signer": ([*keys, pubkey(3)], m, good),
        "wrong_message": (keys, MESSAGES[2], good),
        "empty_pubkeys": ([], m, INFINITY_SIGNATURE),
        "infinity_pubkey": ([*keys, INFINITY_PUBKEY], m, good),
        "tampered_signature": (keys, m, tampered(good)),
    }
    for name, (pks, msg, signature) in rows.items():
        yield f"fast_aggregate_verify_{name}", \
            {"pubkeys": pks, "message": msg, "signature": signature}, \
            lambda a=pks, b=msg, c=signature: bls.FastAggregateVerify(a, b, c)


def aggregate_verify_cases() -> Iterator[tuple[str, dict[str, Any], Callable[[], Any]]]:
    keys = [pubkey(i) for i in range(3)]
    messages = MESSAGES[1:4]
    good = bls.Aggregate([sig(i, messages[i]) for i in range(3)])
    rows = {
        "valid": (keys, messages, good),
        "swapped_messages": (keys, [messages[1], messages[0], messages[2]], good),
        "fewer_messages": (keys, messages[:2], good),
        "empty": ([], [], INFINITY_SIGNATURE),
        "infinity_pubkey": ([*keys[:2], INFINITY_PUBKEY], messages, good),
    }
    for name, (pks, msgs, signature) in rows.items():
        yield f"aggregate_verify_{name}", \
            {"pubkeys": pks, "messages": msgs, "signature": signature}, \
            lambda a=pks, b=msgs, c=signature: bls.AggregateVerify(a, b, c)


def key_validate_cases() -> Iterator[tuple[str, dict[str, Any], Callable[[], Any]]]:
    rows = {
        "valid": pubkey(0),
        "infinity": INFINITY_PUBKEY,
        "not_a_point": NOT_A_POINT_PUBKEY,
        "short": pubkey(0)[:47],
    }
    for name, pk in rows.items():
        yield f"key_validate_{name}", {"pubkey": pk}, lambda p=pk: bls.KeyValidate(p)


HANDLERS = {
    "sign": sign_cases,
    "verify": verify_cases,
    "aggregate": aggregate_cases,
    "aggregate_pks": aggregate_pks_cases,
    "fast_aggregate_verify": fast_aggregate_verify_cases,
    "aggregate_verify": aggregate_verify_cases,
    "key_validate": key_validate_cases,
}


def bls_body(handler: str, case: str) -> Callable[[ModuleType], Iterator[Part]]:
    def body(spec: ModuleType) -> Iterator[Part]:
        for name, given, call in HANDLERS[handler]():
            if name == case:
                yield "data", {"input": hexed(given), "output": hexed(outcome(call))}

    body.__name__ = case
    body.__doc__ = f"bls {handler}: {case.removeprefix(handler + '_').replace('_', ' ')}"
    return body


def generated_tests() -> list[SpecTest]:
    """One test per case of every handler."""
    return [
        SpecTest(bls_body(handler, name), presets=("minimal",), handler=handler, case=name)
        for handler, cases in HANDLERS.items()
        for name, _, _ in cases()
    ]


EXPECTED_VALID = {"verify_valid", "verify_valid_empty_message", "fast_aggregate_verify_valid",
                  "aggregate_verify_valid", "key_validate_valid"}


@pytest.mark.parametrize("handler", HANDLERS)
def test_bls_cases(handler: str) -> None:
    """Only the valid cases verify; rejected inputs give None."""
    for name, _, call in HANDLERS[handler]():
        result = outcome(call)
        if isinstance(result, bool):
            assert result == (name in EXPECTED_VALID), name
        if name.endswith(("empty", "zero_privkey", "not_a_point")) and handler in (
            "sign", "aggregate", "aggregate_pks"
        ):
            assert result is None, name
