"""The BLS module: the arkworks backend against the py_ecc reference, edge cases included.

py_ecc is slow (a pairing check takes ~0.3 s), so every case runs it once: `cross` computes a
call under both backends, requires identical results (return value, or exception type and
message) and returns that result for the case to check. Test material (keys, signatures,
malformed encodings) is built once with arkworks; `test_keys_match` and
`test_signatures_match` prove py_ecc produces the same bytes.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from py_arkworks_bls12381 import G1Point, G2Point, Scalar

from altspec.crypto import bls

BACKENDS = ("arkworks", "py_ecc")

# --- Helpers ---------------------------------------------------------------------------------


@contextmanager
def backend_in_use(name: str) -> Iterator[None]:
    previous = bls.backend()
    bls.use(name)
    try:
        yield
    finally:
        bls.use(previous)


def run(name: str, fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)` under backend `name`: its result, or (exception type, message)."""
    with backend_in_use(name):
        try:
            return fn(*args)
        except (ValueError, TypeError) as error:
            return (type(error), str(error))


def cross(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)`'s outcome, asserted to be the same under both backends."""
    outcomes = {name: run(name, fn, *args) for name in BACKENDS}
    assert outcomes["arkworks"] == outcomes["py_ecc"], outcomes
    return outcomes["py_ecc"]


@pytest.fixture(autouse=True)
def _restore_module_state() -> Iterator[None]:
    yield
    bls.use("arkworks")
    bls.bls_active = True


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    name: str = request.param
    with backend_in_use(name):
        yield name


def neg(point: bytes) -> bytes:
    """-P for a compressed non-infinity point P: flip the sign flag."""
    return bytes([point[0] ^ 0x20]) + point[1:]


def flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01])


def x_encoding(x: int, *, flags: int = 0b100, tail: bytes = b"") -> bytes:
    """A 48-byte half with the 3 flag bits `flags` and the 381-bit value `x` (+ `tail`)."""
    return ((flags << 381) | x).to_bytes(48, "big") + tail


def first_x(point_type: type[G1Point] | type[G2Point], want_on_curve: bool) -> bytes:
    """The encoding with the smallest x that is (or is not) the x of a curve point.

    Points found on the curve with small x are never in the prime-order subgroup.
    """
    tail = b"\x00" * 48 if point_type is G2Point else b""
    for x in range(1, 1000):
        data = x_encoding(x, tail=tail)
        try:
            point = point_type.from_compressed_bytes_unchecked(data)
        except ValueError:
            if not want_on_curve:
                return data
            continue
        if want_on_curve:
            assert not point.is_in_subgroup()
            return data
    raise AssertionError("no such x below 1000")


P = bls.FIELD_MODULUS
ZERO47 = b"\x00" * 47

# --- Material, built once with arkworks ------------------------------------------------------

SK1, SK2, SK3 = 1, 2, 0x263DBD792F5B1BE47ED85F8938C0F29586AF0D3AC7B977F21C278FE1462040E3
SK_MAX = bls.CURVE_ORDER - 1
M1, M2, M3 = b"message one", b"message two", b"\x00" * 32
MESSAGES = [b"", M1, M3, b"\xff" * 1000]

with backend_in_use("arkworks"):
    PK1, PK2, PK3 = (bls.SkToPk(sk) for sk in (SK1, SK2, SK3))
    SIG1_M1, SIG2_M1, SIG3_M1 = (bls.Sign(sk, M1) for sk in (SK1, SK2, SK3))
    SIG2_M2, SIG3_M3 = bls.Sign(SK2, M2), bls.Sign(SK3, M3)
    SIG2_EMPTY = bls.Sign(SK2, b"")
    AGG_M1 = bls.Aggregate([SIG1_M1, SIG2_M1, SIG3_M1])  # FastAggregateVerify material
    AGG_123 = bls.Aggregate([SIG1_M1, SIG2_M2, SIG3_M3])  # AggregateVerify material
    AGG_11 = bls.Aggregate([SIG1_M1, SIG1_M1])

G1_INF = bls.G1_POINT_AT_INFINITY
G2_INF = bls.G2_POINT_AT_INFINITY
G1_NOSUB = first_x(G1Point, want_on_curve=True)  # on the curve, not in the subgroup
G2_NOSUB = first_x(G2Point, want_on_curve=True)
G1_OFF_CURVE = first_x(G1Point, want_on_curve=False)
G2_OFF_CURVE = first_x(G2Point, want_on_curve=False)


def with_torsion(point: bytes, nosub: bytes) -> bytes:
    """`point` + r * Q for Q = `nosub`: the same point plus a component of order dividing the
    cofactor, so not in the subgroup. For G1 this passes the pairing check: only the subgroup
    check rejects it."""
    point_type = G1Point if len(point) == 48 else G2Point
    q = point_type.from_compressed_bytes_unchecked(nosub)
    torsion = q * Scalar(bls.CURVE_ORDER - 1) + q  # r * Q (Scalar reduces modulo r)
    assert torsion != point_type.identity()
    return (point_type.from_compressed_bytes(point) + torsion).to_compressed_bytes()


PK1_TORSION = with_torsion(PK1, G1_NOSUB)
SIG1_M1_TORSION = with_torsion(SIG1_M1, G2_NOSUB)

# Malformed public keys: every way a 48-byte string can fail to decode, plus wrong lengths.
BAD_PUBKEYS = {
    "inf_with_sign_flag": b"\xe0" + ZERO47,
    "inf_with_x": b"\xc0" + b"\x00" * 46 + b"\x01",
    "x0_without_inf_flag": b"\x80" + ZERO47,
    "x0_sign_without_inf_flag": b"\xa0" + ZERO47,
    "uncompressed_flag": bytes([PK1[0] & 0x7F]) + PK1[1:],
    "all_zero": b"\x00" * 48,
    "x_eq_p": x_encoding(P),
    "x_gt_p": x_encoding(P + 1),
    "x_all_ones": b"\x9f" + b"\xff" * 47,
    "off_curve": G1_OFF_CURVE,
    "empty": b"",
    "len47": PK1[:47],
    "len49_leading_zero": b"\x00" + PK1,  # py_ecc's KeyValidate alone accepts this
    "len49_trailing_zero": PK1 + b"\x00",
    "len96": PK1 + PK1,
    "bytearray": bytearray(PK1),
    "str": PK1.hex(),
}
# Malformed signatures.
BAD_SIGNATURES = {
    "inf_with_sign_flag": b"\xe0" + b"\x00" * 95,
    "inf_with_x_im": b"\xc0" + b"\x00" * 46 + b"\x01" + b"\x00" * 48,
    "inf_with_x_re": b"\xc0" + b"\x00" * 94 + b"\x01",
    "x0_without_inf_flag": b"\x80" + b"\x00" * 95,
    "uncompressed_flag": bytes([SIG1_M1[0] & 0x7F]) + SIG1_M1[1:],
    "all_zero": b"\x00" * 96,
    "x_im_eq_p": x_encoding(P, tail=SIG1_M1[48:]),
    "x_re_eq_p": SIG1_M1[:48] + P.to_bytes(48, "big"),
    "flag_in_x_re": SIG1_M1[:48] + bytes([SIG1_M1[48] | 0x80]) + SIG1_M1[49:],
    "off_curve": G2_OFF_CURVE,
    "empty": b"",
    "len95": SIG1_M1[:95],
    "len97_leading_zero": b"\x00" + SIG1_M1,
    "len48": SIG1_M1[:48],
    "bytearray": bytearray(SIG1_M1),
    "str": SIG1_M1.hex(),
}


# --- Constants and known answers -------------------------------------------------------------


def test_constants() -> None:
    from py_ecc.optimized_bls12_381.optimized_curve import curve_order, field_modulus

    assert curve_order == bls.CURVE_ORDER
    assert field_modulus == bls.FIELD_MODULUS
    assert G1Point.identity().to_compressed_bytes() == bls.G1_POINT_AT_INFINITY
    assert G2Point.identity().to_compressed_bytes() == bls.G2_POINT_AT_INFINITY
    assert bls.STUB_SIGNATURE == bls.G2_POINT_AT_INFINITY == b"\xc0" + b"\x00" * 95
    assert bls.DST == b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"


def test_default_backend_is_arkworks() -> None:
    code = "from altspec.crypto import bls; print(bls.backend(), bls.bls_active)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["arkworks", "True"]


G1_GENERATOR = bytes.fromhex(
    "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac58"
    "6c55e83ff97a1aeffb3af00adb22c6bb"
)
# Ethereum's BLS test vector sign_case_c82df61aa3ee60fb (its public key is in the verify cases).
KAT_SK = SK3
KAT_MESSAGE = b"\x00" * 32
KAT_PK = bytes.fromhex(
    "a491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20f"
    "d6e10c1b77654d067c0618f6e5a7f79a"
)
KAT_SIGNATURE = bytes.fromhex(
    "b6ed936746e01f8ecf281f020953fbf1f01debd5657c4a383940b020b26507f6"
    "076334f91e2366c96e9ab279fb5158090352ea1c5b0c9274504f4f0e7053af24"
    "802e51e4568d164fe986834f41e55c8e850ce1f98458c0cfc9ab380b55285a55"
)


def test_known_answers(backend: str) -> None:
    assert bls.SkToPk(1) == G1_GENERATOR
    assert bls.SkToPk(KAT_SK) == KAT_PK
    assert bls.Sign(KAT_SK, KAT_MESSAGE) == KAT_SIGNATURE
    assert bls.Verify(KAT_PK, KAT_MESSAGE, KAT_SIGNATURE)


# --- Keys, signatures, aggregates: byte-identical ---------------------------------------------


@pytest.mark.parametrize("sk", [1, 2, 3, 2**64 + 1, 2**128 - 1, SK3, SK_MAX])
def test_keys_match(sk: int) -> None:
    pk = cross(bls.SkToPk, sk)
    assert isinstance(pk, bytes) and len(pk) == 48
    assert cross(bls.KeyValidate, pk) is True


def test_known_keys() -> None:
    assert tuple(cross(bls.SkToPk, sk) for sk in (SK1, SK2, SK3)) == (PK1, PK2, PK3)
    assert cross(bls.SkToPk, SK_MAX) == neg(G1_GENERATOR)  # (r - 1) * G = -G


@pytest.mark.parametrize("message", MESSAGES, ids=["empty", "short", "zero32", "long"])
def test_signatures_match(message: bytes) -> None:
    signature = cross(bls.Sign, SK3, message)
    assert isinstance(signature, bytes) and len(signature) == 96


def test_known_signatures() -> None:
    material = [(SK1, M1, SIG1_M1), (SK2, M2, SIG2_M2), (SK2, b"", SIG2_EMPTY)]
    for sk, message, signature in material:
        assert cross(bls.Sign, sk, message) == signature
    assert cross(bls.Sign, SK_MAX, M1) == neg(SIG1_M1)


@pytest.mark.parametrize(
    ("signatures", "expected"),
    [
        ([SIG1_M1, SIG2_M1, SIG3_M1], AGG_M1),
        ([SIG1_M1, SIG2_M2, SIG3_M3], AGG_123),
        ([SIG1_M1], SIG1_M1),
        ([SIG1_M1, SIG1_M1], AGG_11),
        ([SIG1_M1, neg(SIG1_M1)], G2_INF),
        ([G2_INF], G2_INF),
        ([SIG1_M1, G2_INF], SIG1_M1),
        ([G2_NOSUB], G2_NOSUB),  # no subgroup check, as in py_ecc
        ([SIG1_M1, G2_NOSUB], None),
        ([SIG1_M1_TORSION], SIG1_M1_TORSION),
    ],
    ids=[
        "three",
        "three_msgs",
        "one",
        "same_twice",
        "cancel",
        "inf",
        "with_inf",
        "nosub",
        "with_nosub",
        "torsion",
    ],
)
def test_aggregate(signatures: list[bytes], expected: bytes | None) -> None:
    result = cross(bls.Aggregate, signatures)
    assert isinstance(result, bytes) and len(result) == 96
    if expected is not None:
        assert result == expected


@pytest.mark.parametrize(
    ("pubkeys", "expected"),
    [
        ([PK1, PK2], bls.SkToPk(3)),
        ([PK1, PK2, PK3], bls.SkToPk(3 + SK3)),
        ([PK1], PK1),
        ([PK1, neg(PK1)], G1_INF),
        ([G1_INF], G1_INF),
        ([PK2, G1_INF], PK2),
        ([G1_NOSUB], G1_NOSUB),  # no subgroup check, as in py_ecc
        ([PK1, G1_NOSUB], None),
        ([PK1_TORSION], PK1_TORSION),
    ],
    ids=["two", "three", "one", "cancel", "inf", "with_inf", "nosub", "with_nosub", "torsion"],
)
def test_aggregate_pks(pubkeys: list[bytes], expected: bytes | None) -> None:
    result = cross(bls.AggregatePKs, pubkeys)
    assert isinstance(result, bytes) and len(result) == 48
    if expected is not None:
        assert result == expected


def test_aggregate_empty() -> None:
    assert cross(bls.Aggregate, []) == (ValueError, bls.EMPTY_SIGNATURES_ERROR)
    assert cross(bls.AggregatePKs, []) == (ValueError, bls.EMPTY_PUBKEYS_ERROR)


@pytest.mark.parametrize("name", list(BAD_SIGNATURES))
def test_aggregate_rejects_bad_signature(name: str) -> None:
    error = (ValueError, bls.INVALID_SIGNATURE_ERROR)
    assert cross(bls.Aggregate, [BAD_SIGNATURES[name]]) == error
    assert cross(bls.Aggregate, [SIG1_M1, BAD_SIGNATURES[name]]) == error


@pytest.mark.parametrize("name", list(BAD_PUBKEYS))
def test_aggregate_pks_rejects_bad_pubkey(name: str) -> None:
    error = (ValueError, bls.INVALID_PUBKEY_ERROR)
    assert cross(bls.AggregatePKs, [BAD_PUBKEYS[name]]) == error
    assert cross(bls.AggregatePKs, [PK1, BAD_PUBKEYS[name]]) == error


# --- Secret keys and messages ----------------------------------------------------------------


@pytest.mark.parametrize("sk", [0, -1, bls.CURVE_ORDER, bls.CURVE_ORDER + 1, 2**256])
def test_secret_key_out_of_range(sk: int) -> None:
    error = (ValueError, bls.SECRET_KEY_RANGE_ERROR)
    assert cross(bls.SkToPk, sk) == error
    assert cross(bls.Sign, sk, M1) == error


@pytest.mark.parametrize("sk", ["1", 1.0, True, None])
def test_secret_key_not_int(sk: object) -> None:
    assert cross(bls.SkToPk, sk)[0] is TypeError
    assert cross(bls.Sign, sk, M1)[0] is TypeError


@pytest.mark.parametrize("message", ["text", bytearray(b"abc"), None])
def test_sign_message_not_bytes(message: object) -> None:
    assert cross(bls.Sign, SK1, message)[0] is TypeError


# --- Verification: one table, both backends --------------------------------------------------
#
# (function, arguments, expected). Cases marked "pairing" reach py_ecc's pairing (~0.3 s each);
# the others fail on input checks.

V, FAV, AV = bls.Verify, bls.FastAggregateVerify, bls.AggregateVerify

VERIFY_CASES: dict[str, tuple[Callable[..., bool], tuple[Any, ...], bool]] = {
    # Verify
    "verify/valid": (V, (PK1, M1, SIG1_M1), True),  # pairing
    "verify/valid_empty_message": (V, (PK2, b"", SIG2_EMPTY), True),  # pairing
    "verify/wrong_message": (V, (PK1, M2, SIG1_M1), False),  # pairing
    "verify/swapped_key": (V, (PK2, M1, SIG1_M1), False),  # pairing
    "verify/other_signer": (V, (PK1, M1, SIG2_M1), False),  # pairing
    "verify/negated_signature": (V, (PK1, M1, neg(SIG1_M1)), False),  # pairing
    "verify/signature_infinity": (V, (PK1, M1, G2_INF), False),  # pairing
    "verify/tampered_signature": (V, (PK1, M1, flip_last_byte(SIG1_M1)), False),
    "verify/pubkey_infinity": (V, (G1_INF, M1, G2_INF), False),
    "verify/pubkey_infinity_sig_valid": (V, (G1_INF, M1, SIG1_M1), False),
    "verify/pubkey_not_in_subgroup": (V, (G1_NOSUB, M1, SIG1_M1), False),
    "verify/signature_not_in_subgroup": (V, (PK1, M1, G2_NOSUB), False),
    "verify/pubkey_with_torsion": (V, (PK1_TORSION, M1, SIG1_M1), False),
    "verify/signature_with_torsion": (V, (PK1, M1, SIG1_M1_TORSION), False),
    "verify/message_not_bytes": (V, (PK1, M1.decode(), SIG1_M1), False),
    "verify/message_bytearray": (V, (PK1, bytearray(M1), SIG1_M1), False),
    "verify/pubkey_and_signature_swapped": (V, (SIG1_M1, M1, PK1), False),
    **{f"verify/bad_pubkey/{k}": (V, (pk, M1, SIG1_M1), False) for k, pk in BAD_PUBKEYS.items()},
    **{
        f"verify/bad_signature/{k}": (V, (PK1, M1, sig), False) for k, sig in BAD_SIGNATURES.items()
    },
    # FastAggregateVerify
    "fav/valid": (FAV, ([PK1, PK2, PK3], M1, AGG_M1), True),  # pairing
    "fav/valid_single": (FAV, ([PK1], M1, SIG1_M1), True),  # pairing
    "fav/valid_same_key_twice": (FAV, ([PK1, PK1], M1, AGG_11), True),  # pairing
    "fav/missing_key": (FAV, ([PK1, PK2], M1, AGG_M1), False),  # pairing
    "fav/wrong_message": (FAV, ([PK1, PK2, PK3], M2, AGG_M1), False),  # pairing
    "fav/empty": (FAV, ([], M1, AGG_M1), False),
    "fav/empty_signature_infinity": (FAV, ([], M1, G2_INF), False),
    "fav/keys_cancel_signature_infinity": (FAV, ([PK1, neg(PK1)], M1, G2_INF), False),
    "fav/pubkey_infinity": (FAV, ([PK1, G1_INF], M1, SIG1_M1), False),
    "fav/pubkey_not_in_subgroup": (FAV, ([PK1, G1_NOSUB], M1, SIG1_M1), False),
    "fav/signature_not_in_subgroup": (FAV, ([PK1], M1, G2_NOSUB), False),
    "fav/pubkey_with_torsion": (FAV, ([PK1_TORSION], M1, SIG1_M1), False),
    "fav/signature_with_torsion": (FAV, ([PK1], M1, SIG1_M1_TORSION), False),
    "fav/tampered_signature": (FAV, ([PK1, PK2, PK3], M1, flip_last_byte(AGG_M1)), False),
    "fav/message_not_bytes": (FAV, ([PK1], M1.decode(), SIG1_M1), False),
    **{
        f"fav/bad_pubkey/{k}": (FAV, ([PK1, pk], M1, SIG1_M1), False)
        for k, pk in BAD_PUBKEYS.items()
    },
    **{
        f"fav/bad_signature/{k}": (FAV, ([PK1], M1, sig), False)
        for k, sig in BAD_SIGNATURES.items()
        if k in ("inf_with_sign_flag", "x0_without_inf_flag", "off_curve", "len95")
    },
    # AggregateVerify
    "av/valid": (AV, ([PK1, PK2, PK3], [M1, M2, M3], AGG_123), True),  # pairing
    # POP AggregateVerify does not require distinct messages (py_ecc has no such check):
    "av/duplicate_messages": (AV, ([PK1, PK2, PK3], [M1, M1, M1], AGG_M1), True),  # pairing
    "av/keys_cancel_signature_infinity": (AV, ([PK1, neg(PK1)], [M1, M1], G2_INF), True),  # pairing
    "av/swapped_messages": (AV, ([PK1, PK2, PK3], [M2, M1, M3], AGG_123), False),  # pairing
    "av/length_mismatch": (AV, ([PK1, PK2], [M1, M2, M3], AGG_123), False),
    "av/length_mismatch_fewer_messages": (AV, ([PK1, PK2, PK3], [M1, M2], AGG_123), False),
    "av/empty": (AV, ([], [], G2_INF), False),
    "av/empty_pubkeys": (AV, ([], [M1], SIG1_M1), False),
    "av/pubkey_infinity": (AV, ([PK1, G1_INF], [M1, M2], SIG1_M1), False),
    "av/pubkey_not_in_subgroup": (AV, ([PK1, G1_NOSUB], [M1, M2], SIG1_M1), False),
    "av/signature_not_in_subgroup": (AV, ([PK1], [M1], G2_NOSUB), False),
    "av/pubkey_with_torsion": (AV, ([PK1_TORSION], [M1], SIG1_M1), False),
    "av/signature_with_torsion": (AV, ([PK1], [M1], SIG1_M1_TORSION), False),
    "av/tampered_signature": (AV, ([PK1, PK2, PK3], [M1, M2, M3], flip_last_byte(AGG_123)), False),
    "av/message_not_bytes": (AV, ([PK1, PK2], [M1, M2.decode()], AGG_123), False),
    **{
        f"av/bad_pubkey/{k}": (AV, ([PK1, pk], [M1, M2], SIG1_M1), False)
        for k, pk in BAD_PUBKEYS.items()
        if k in ("inf_with_sign_flag", "inf_with_x", "x0_without_inf_flag", "len49_leading_zero")
    },
    **{
        f"av/bad_signature/{k}": (AV, ([PK1], [M1], sig), False)
        for k, sig in BAD_SIGNATURES.items()
        if k in ("inf_with_sign_flag", "inf_with_x_re", "off_curve", "len97_leading_zero")
    },
}


@pytest.mark.parametrize("case", list(VERIFY_CASES))
def test_verification_table(case: str) -> None:
    fn, args, expected = VERIFY_CASES[case]
    assert cross(fn, *args) is expected


KEY_VALIDATE_CASES: dict[str, tuple[Any, bool]] = {
    "pk1": (PK1, True),
    "pk3": (PK3, True),
    "negated": (neg(PK3), True),
    "infinity": (G1_INF, False),
    "not_in_subgroup": (G1_NOSUB, False),
    "with_torsion": (PK1_TORSION, False),
    "signature_bytes": (SIG1_M1, False),
    **{f"bad/{k}": (pk, False) for k, pk in BAD_PUBKEYS.items()},
}


@pytest.mark.parametrize("case", list(KEY_VALIDATE_CASES))
def test_key_validate(case: str) -> None:
    pk, expected = KEY_VALIDATE_CASES[case]
    assert cross(bls.KeyValidate, pk) is expected


def test_arkworks_round_trips() -> None:
    """Many keys and messages, arkworks only (the table above ties it to py_ecc)."""
    keys = [1, 2, 3, 2**254 + 19, SK3, SK_MAX, *range(10**6, 10**6 + 10)]
    for i, sk in enumerate(keys):
        message = i.to_bytes(4, "big") * i
        pk, signature = bls.SkToPk(sk), bls.Sign(sk, message)
        assert bls.KeyValidate(pk)
        assert bls.Verify(pk, message, signature)
        assert not bls.Verify(pk, message + b"!", signature)
    pks = [bls.SkToPk(sk) for sk in keys]
    signatures = [bls.Sign(sk, M1) for sk in keys]
    assert bls.FastAggregateVerify(pks, M1, bls.Aggregate(signatures))
    assert bls.Verify(bls.AggregatePKs(pks), M1, bls.Aggregate(signatures))
    assert not bls.FastAggregateVerify(pks[1:], M1, bls.Aggregate(signatures))


# --- Backend selection and the verification switch -------------------------------------------


def test_use_switches_backend() -> None:
    assert bls.backend() == "arkworks"
    bls.use("py_ecc")
    assert bls.backend() == "py_ecc"
    bls.use("arkworks")
    assert bls.backend() == "arkworks"


@pytest.mark.parametrize("name", ["", "blst", "Arkworks", "py-ecc", None])
def test_use_unknown_backend(name: Any) -> None:
    bls.use("py_ecc")
    with pytest.raises(ValueError, match="unknown BLS backend") as info:
        bls.use(name)
    message = str(info.value)
    assert "\n" not in message
    assert "'arkworks'" in message and "'py_ecc'" in message
    assert bls.backend() == "py_ecc"  # unchanged


JUNK_CALLS: list[tuple[Callable[..., bool], tuple[Any, ...]]] = [
    (bls.Verify, (b"junk", M1, b"junk")),
    (bls.Verify, (PK1, M2, SIG1_M1)),
    (bls.FastAggregateVerify, ([], M1, G2_INF)),
    (bls.AggregateVerify, ([PK1], [M1, M2], b"")),
]


def test_verification_switch(backend: str) -> None:
    with bls.verification(False):
        assert bls.bls_active is False
        for fn, args in JUNK_CALLS:
            assert fn(*args) is True
        # Key validation, signing and aggregation are unaffected.
        assert bls.KeyValidate(b"junk") is False
        assert bls.SkToPk(1) == G1_GENERATOR
        with pytest.raises(ValueError, match="secret key"):
            bls.Sign(0, M1)
        with pytest.raises(ValueError):
            bls.Aggregate([])
        with bls.verification(True):
            assert bls.Verify(b"junk", M1, b"junk") is False
        assert bls.bls_active is False
    assert bls.bls_active is True
    assert bls.Verify(b"junk", M1, b"junk") is False


def test_verification_switch_restores_on_error() -> None:
    with pytest.raises(RuntimeError), bls.verification(False):
        raise RuntimeError
    assert bls.bls_active is True


def test_bls_active_flag() -> None:
    bls.bls_active = False
    assert all(fn(*args) is True for fn, args in JUNK_CALLS)
    bls.bls_active = True
    assert not any(fn(*args) for fn, args in JUNK_CALLS)
