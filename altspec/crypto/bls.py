"""BLS signatures: the IETF API of draft-irtf-cfrg-bls-signature-05 as Ethereum uses it.

Ciphersuite ``BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`` (proof of possession), in the
minimal-pubkey-size variant: public keys are 48-byte compressed G1 points, signatures are
96-byte compressed G2 points (ZCash encoding), messages are hashed to G2 with ``DST``.

Public API: `SkToPk`, `Sign`, `Verify`, `Aggregate`, `AggregatePKs`, `AggregateVerify`,
`FastAggregateVerify`, `KeyValidate`.

Backends
--------
``use("arkworks")`` (the default, on ``py_arkworks_bls12381``) or ``use("py_ecc")`` (the
reference, ``py_ecc.bls.G2ProofOfPossession``, imported on first use); `backend()` names the
current one. Both give byte-identical keys, signatures and aggregates and the same answer on
every verification (``tests/crypto/test_bls.py`` cross-checks them).

Verification switch
-------------------
When the module flag ``bls_active`` is False, `Verify`, `AggregateVerify` and
`FastAggregateVerify` return True without looking at their arguments (tests that do not test
signatures turn it off for speed; ``with verification(False): ...`` does so temporarily).
Signing, aggregation and `KeyValidate` are unaffected.

Behaviour on bad input (identical in both backends)
---------------------------------------------------
* `SkToPk`, `Sign`: a secret key that is not an ``int`` (``bool`` included) raises TypeError;
  one outside ``[1, CURVE_ORDER - 1]`` raises ValueError (`SECRET_KEY_RANGE_ERROR`). `Sign`
  raises TypeError for a message that is not ``bytes``.
* `Verify`, `AggregateVerify`, `FastAggregateVerify` never raise. They return False for: a
  public key or signature that is not ``bytes`` of the right length; an encoding that is not
  canonical (see below), not on the curve, or not in the prime-order subgroup; a public key
  that is the point at infinity; a message that is not ``bytes``; empty ``pubkeys``;
  ``len(pubkeys) != len(messages)``. The signature may be the point at infinity: it is then
  judged by the pairing equation like any other signature. `FastAggregateVerify` also returns
  False when the public keys sum to the point at infinity. `AggregateVerify` does NOT require
  distinct messages (the POP ciphersuite relies on proofs of possession instead; py_ecc's
  ``G2ProofOfPossession.AggregateVerify`` has no such check), so e.g.
  ``AggregateVerify([P, -P], [m, m], G2_POINT_AT_INFINITY)`` is True.
* `KeyValidate` never raises: True only for 48 ``bytes`` that canonically encode a G1 point
  of the subgroup other than the point at infinity.
* `Aggregate`, `AggregatePKs`: an empty sequence raises ValueError (`EMPTY_SIGNATURES_ERROR`,
  `EMPTY_PUBKEYS_ERROR`); an element that is not ``bytes`` of the right length canonically
  encoding a curve point raises ValueError (`INVALID_SIGNATURE_ERROR`,
  `INVALID_PUBKEY_ERROR`). As in py_ecc, neither checks subgroup membership nor rejects the
  point at infinity: validate keys with `KeyValidate` first; signatures are subgroup-checked
  when verified.

Canonical encoding (py_ecc's rules, which the arkworks backend enforces before decoding):
the compression flag (top bit) is set; if the infinity flag (second bit) is set, every other
bit is zero; otherwise the x coordinate is not zero (py_ecc reserves x = 0 for infinity) and
each 48-byte half, flags masked off, is below the field modulus.

Differences between the libraries that this module reconciles
--------------------------------------------------------------
* arkworks decodes ``0xe0 || 0...`` and ``0xc0 || nonzero bits`` as the point at infinity
  (py_ecc rejects both), and decodes ``0x80 || 0...``/``0xa0 || 0...`` as the G1 point
  (0, +-2) that is not in the subgroup (py_ecc rejects it): the canonical-encoding check above.
* py_ecc's ``KeyValidate`` reads any byte string as a big integer, so a valid key with leading
  zero bytes prepended passes, and non-``bytes`` input raises TypeError: here it is False.
* py_ecc raises ``eth_utils.ValidationError`` (not a ValueError) for bad secret keys, empty
  aggregates and bad-length signatures, and plain ValueError with varying texts for bad
  points: here the errors and messages above, whatever the backend.
* py_ecc aggregates public keys without checking their length (a 49-byte string with a
  leading zero byte would pass): here 48 bytes are required.
* arkworks' ``Scalar(int)`` reduces modulo the group order: the range check comes first.
"""

from __future__ import annotations

import contextlib
import functools
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Final, TypeGuard

from eth_typing import BLSPubkey, BLSSignature
from py_arkworks_bls12381 import GT, G1Point, G2Point, Scalar

if TYPE_CHECKING:
    from py_ecc.bls.ciphersuites import G2ProofOfPossession

__all__ = [
    "CURVE_ORDER",
    "DST",
    "FIELD_MODULUS",
    "G1_POINT_AT_INFINITY",
    "G2_POINT_AT_INFINITY",
    "PUBKEY_LENGTH",
    "SIGNATURE_LENGTH",
    "STUB_SIGNATURE",
    "Aggregate",
    "AggregatePKs",
    "AggregateVerify",
    "FastAggregateVerify",
    "KeyValidate",
    "Sign",
    "SkToPk",
    "Verify",
    "backend",
    "bls_active",
    "use",
    "verification",
]

DST: Final = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"
# r, the order of the G1 and G2 subgroups (and of the scalar field).
CURVE_ORDER: Final = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
# p, the modulus of the base field.
FIELD_MODULUS: Final = int(
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f624"
    "1eabfffeb153ffffb9feffffffffaaab",
    16,
)
PUBKEY_LENGTH: Final = 48
SIGNATURE_LENGTH: Final = 96
G1_POINT_AT_INFINITY: Final = b"\xc0" + b"\x00" * (PUBKEY_LENGTH - 1)
G2_POINT_AT_INFINITY: Final = b"\xc0" + b"\x00" * (SIGNATURE_LENGTH - 1)
STUB_SIGNATURE: Final = G2_POINT_AT_INFINITY

SECRET_KEY_RANGE_ERROR: Final = "secret key must be in [1, CURVE_ORDER - 1]"
EMPTY_SIGNATURES_ERROR: Final = "Aggregate: at least one signature is required"
EMPTY_PUBKEYS_ERROR: Final = "AggregatePKs: at least one public key is required"
INVALID_SIGNATURE_ERROR: Final = (
    "Aggregate: every signature must be 96 bytes encoding a point of the G2 curve"
)
INVALID_PUBKEY_ERROR: Final = (
    "AggregatePKs: every public key must be 48 bytes encoding a point of the G1 curve"
)

# When False, the three Verify functions return True without checking (see the docstring).
bls_active: bool = True


# --- Argument checks shared by both backends ----------------------------------------------


def _secret_key(SK: int) -> int:
    if not isinstance(SK, int) or isinstance(SK, bool):
        raise TypeError(f"secret key must be an int, not {type(SK).__name__}")
    if not 0 < SK < CURVE_ORDER:
        raise ValueError(SECRET_KEY_RANGE_ERROR)
    return int(SK)


def _message(message: bytes) -> bytes:
    if not isinstance(message, bytes):
        raise TypeError(f"message must be bytes, not {type(message).__name__}")
    return message


# --- Backends --------------------------------------------------------------------------------


class _Backend(ABC):
    """The operations a backend implements, on arguments `_secret_key`/`_message` checked."""

    @abstractmethod
    def sk_to_pk(self, sk: int) -> bytes: ...

    @abstractmethod
    def sign(self, sk: int, message: bytes) -> bytes: ...

    @abstractmethod
    def verify(self, pk: bytes, message: bytes, signature: bytes) -> bool: ...

    @abstractmethod
    def aggregate(self, signatures: Sequence[bytes]) -> bytes:
        """Called with at least one signature."""

    @abstractmethod
    def aggregate_pks(self, pubkeys: Sequence[bytes]) -> bytes:
        """Called with at least one public key."""

    @abstractmethod
    def aggregate_verify(
        self, pubkeys: Sequence[bytes], messages: Sequence[bytes], signature: bytes
    ) -> bool: ...

    @abstractmethod
    def fast_aggregate_verify(
        self, pubkeys: Sequence[bytes], message: bytes, signature: bytes
    ) -> bool: ...

    @abstractmethod
    def key_validate(self, pk: bytes) -> bool: ...


@functools.cache
def _pop() -> type[G2ProofOfPossession]:
    """py_ecc's ciphersuite, imported on first use (importing py_ecc takes ~0.3 s)."""
    from py_ecc.bls.ciphersuites import G2ProofOfPossession

    return G2ProofOfPossession


@functools.cache
def _py_ecc_errors() -> tuple[type[Exception], ...]:
    """What py_ecc raises on bad input."""
    from eth_utils.exceptions import ValidationError

    return (ValidationError, ValueError, TypeError, AssertionError, IndexError)


class _PyEccBackend(_Backend):
    """The reference: py_ecc's G2ProofOfPossession, its exceptions mapped to ours."""

    def sk_to_pk(self, sk: int) -> bytes:
        return bytes(_pop().SkToPk(sk))

    def sign(self, sk: int, message: bytes) -> bytes:
        return bytes(_pop().Sign(sk, message))

    def verify(self, pk: bytes, message: bytes, signature: bytes) -> bool:
        try:
            return bool(_pop().Verify(BLSPubkey(pk), message, BLSSignature(signature)))
        except _py_ecc_errors():
            return False

    def aggregate(self, signatures: Sequence[bytes]) -> bytes:
        try:
            return bytes(_pop().Aggregate([BLSSignature(s) for s in signatures]))
        except _py_ecc_errors() as error:
            raise ValueError(INVALID_SIGNATURE_ERROR) from error

    def aggregate_pks(self, pubkeys: Sequence[bytes]) -> bytes:
        # G2ProofOfPossession only has the private `_AggregatePKs`; this is the same sum, on
        # py_ecc's public point primitives, plus the length check it lacks.
        from py_ecc.bls.g2_primitives import G1_to_pubkey, pubkey_to_G1
        from py_ecc.optimized_bls12_381.optimized_curve import Z1, add

        total = Z1
        for pk in pubkeys:
            if not isinstance(pk, bytes) or len(pk) != PUBKEY_LENGTH:
                raise ValueError(INVALID_PUBKEY_ERROR)
            try:
                total = add(total, pubkey_to_G1(BLSPubkey(pk)))
            except _py_ecc_errors() as error:
                raise ValueError(INVALID_PUBKEY_ERROR) from error
        return bytes(G1_to_pubkey(total))

    def aggregate_verify(
        self, pubkeys: Sequence[bytes], messages: Sequence[bytes], signature: bytes
    ) -> bool:
        try:
            return bool(
                _pop().AggregateVerify(
                    [BLSPubkey(pk) for pk in pubkeys], list(messages), BLSSignature(signature)
                )
            )
        except _py_ecc_errors():
            return False

    def fast_aggregate_verify(
        self, pubkeys: Sequence[bytes], message: bytes, signature: bytes
    ) -> bool:
        try:
            return bool(
                _pop().FastAggregateVerify(
                    [BLSPubkey(pk) for pk in pubkeys], message, BLSSignature(signature)
                )
            )
        except _py_ecc_errors():
            return False

    def key_validate(self, pk: bytes) -> bool:
        if not isinstance(pk, bytes) or len(pk) != PUBKEY_LENGTH:
            return False
        try:
            return bool(_pop().KeyValidate(BLSPubkey(pk)))
        except _py_ecc_errors():
            return False


_X_MASK: Final = (1 << 381) - 1  # the 381 low bits of a 48-byte half: the flags masked off


def _is_canonical(data: object, length: int) -> TypeGuard[bytes]:
    """Whether `data` is `length` bytes of a canonical compressed encoding (module docstring).

    Says nothing about the curve: decoding still checks that x has a point on it.
    """
    if not isinstance(data, bytes) or len(data) != length:
        return False
    head = int.from_bytes(data[:48], "big")
    tail = int.from_bytes(data[48:], "big")  # G2: the real part of x, no flags; G1: 0
    compressed, infinity, sign = (head >> 383) & 1, (head >> 382) & 1, (head >> 381) & 1
    x = head & _X_MASK
    if not compressed:
        return False
    if infinity:
        return not sign and x == 0 and tail == 0
    return (x != 0 or tail != 0) and x < FIELD_MODULUS and tail < FIELD_MODULUS


def _g1_point(data: object) -> G1Point | None:
    """The G1 curve point `data` encodes (not checked to be in the subgroup), or None."""
    if not _is_canonical(data, PUBKEY_LENGTH):
        return None
    try:
        return G1Point.from_compressed_bytes_unchecked(bytes(data))
    except ValueError:
        return None


def _g2_point(data: object) -> G2Point | None:
    """The G2 curve point `data` encodes (not checked to be in the subgroup), or None."""
    if not _is_canonical(data, SIGNATURE_LENGTH):
        return None
    try:
        return G2Point.from_compressed_bytes_unchecked(bytes(data))
    except ValueError:
        return None


_G1_GENERATOR: Final = G1Point()
_G1_NEG_GENERATOR: Final = -_G1_GENERATOR
_G1_IDENTITY: Final = G1Point.identity()


def _pubkey(data: object) -> G1Point | None:
    """The point of a public key that passes KeyValidate, or None."""
    point = _g1_point(data)
    if point is None or point == _G1_IDENTITY or not point.is_in_subgroup():
        return None
    return point


def _signature(data: object) -> G2Point | None:
    """The point of a signature in the G2 subgroup (infinity included), or None."""
    point = _g2_point(data)
    if point is None or not point.is_in_subgroup():
        return None
    return point


def _hash_to_g2(message: bytes) -> G2Point:
    return G2Point.hash_to_curve(bytes(message), DST)  # (msg, dst): in that order


class _ArkworksBackend(_Backend):
    """The fast backend, on py_arkworks_bls12381, following py_ecc's behaviour exactly."""

    def sk_to_pk(self, sk: int) -> bytes:
        return (_G1_GENERATOR * Scalar(sk)).to_compressed_bytes()

    def sign(self, sk: int, message: bytes) -> bytes:
        return (_hash_to_g2(message) * Scalar(sk)).to_compressed_bytes()

    def verify(self, pk: bytes, message: bytes, signature: bytes) -> bool:
        pk_point = _pubkey(pk)
        sig_point = _signature(signature)
        if pk_point is None or sig_point is None or not isinstance(message, bytes):
            return False
        # e(PK, H(m)) == e(G1, sig)  <=>  e(PK, H(m)) * e(-G1, sig) == 1
        return GT.pairing_check([pk_point, _G1_NEG_GENERATOR], [_hash_to_g2(message), sig_point])

    def aggregate(self, signatures: Sequence[bytes]) -> bytes:
        total = G2Point.identity()
        for signature in signatures:
            point = _g2_point(signature)
            if point is None:
                raise ValueError(INVALID_SIGNATURE_ERROR)
            total = total + point
        return total.to_compressed_bytes()

    def aggregate_pks(self, pubkeys: Sequence[bytes]) -> bytes:
        total = G1Point.identity()
        for pk in pubkeys:
            point = _g1_point(pk)
            if point is None:
                raise ValueError(INVALID_PUBKEY_ERROR)
            total = total + point
        return total.to_compressed_bytes()

    def aggregate_verify(
        self, pubkeys: Sequence[bytes], messages: Sequence[bytes], signature: bytes
    ) -> bool:
        if len(pubkeys) == 0 or len(pubkeys) != len(messages):
            return False
        if not all(isinstance(message, bytes) for message in messages):
            return False
        g1s: list[G1Point] = []
        for pk in pubkeys:
            point = _pubkey(pk)
            if point is None:
                return False
            g1s.append(point)
        sig_point = _signature(signature)
        if sig_point is None:
            return False
        g2s = [_hash_to_g2(message) for message in messages]
        # prod_i e(PK_i, H(m_i)) * e(-G1, sig) == 1
        return GT.pairing_check([*g1s, _G1_NEG_GENERATOR], [*g2s, sig_point])

    def fast_aggregate_verify(
        self, pubkeys: Sequence[bytes], message: bytes, signature: bytes
    ) -> bool:
        if len(pubkeys) == 0 or not isinstance(message, bytes):
            return False
        total = G1Point.identity()
        for pk in pubkeys:
            point = _pubkey(pk)
            if point is None:
                return False
            total = total + point
        sig_point = _signature(signature)
        # py_ecc verifies against the aggregate key, which KeyValidate rejects if it is infinity.
        if total == _G1_IDENTITY or sig_point is None:
            return False
        return GT.pairing_check([total, _G1_NEG_GENERATOR], [_hash_to_g2(message), sig_point])

    def key_validate(self, pk: bytes) -> bool:
        return _pubkey(pk) is not None


_BACKENDS: Final[dict[str, _Backend]] = {
    "arkworks": _ArkworksBackend(),
    "py_ecc": _PyEccBackend(),
}
_current_name: str = "arkworks"
_current: _Backend = _BACKENDS[_current_name]


def use(backend: str) -> None:
    """Switch the backend: ``"arkworks"`` (the default) or ``"py_ecc"`` (the reference)."""
    global _current, _current_name
    if not isinstance(backend, str) or backend not in _BACKENDS:
        choices = ", ".join(repr(name) for name in _BACKENDS)
        raise ValueError(f"unknown BLS backend {backend!r}; choose one of {choices}")
    _current_name = backend
    _current = _BACKENDS[backend]


def backend() -> str:
    """The name of the current backend."""
    return _current_name


@contextlib.contextmanager
def verification(active: bool) -> Iterator[None]:
    """Set `bls_active` to `active` inside the ``with`` block; restore it after."""
    global bls_active
    previous = bls_active
    bls_active = active
    try:
        yield
    finally:
        bls_active = previous


# --- The API -------------------------------------------------------------------------------


def SkToPk(SK: int) -> bytes:
    """The 48-byte public key of the secret key `SK` (an int in [1, CURVE_ORDER - 1])."""
    return _current.sk_to_pk(_secret_key(SK))


def Sign(SK: int, message: bytes) -> bytes:
    """The 96-byte signature of `message` under the secret key `SK`."""
    return _current.sign(_secret_key(SK), _message(message))


def Verify(PK: bytes, message: bytes, signature: bytes) -> bool:
    """Whether `signature` is `PK`'s signature of `message`. True if `bls_active` is False."""
    if not bls_active:
        return True
    return _current.verify(PK, message, signature)


def Aggregate(signatures: Sequence[bytes]) -> bytes:
    """The sum of `signatures` (at least one). Raises ValueError on bad input."""
    if len(signatures) == 0:
        raise ValueError(EMPTY_SIGNATURES_ERROR)
    return _current.aggregate(signatures)


def AggregatePKs(pubkeys: Sequence[bytes]) -> bytes:
    """The sum of `pubkeys` (at least one). Raises ValueError on bad input."""
    if len(pubkeys) == 0:
        raise ValueError(EMPTY_PUBKEYS_ERROR)
    return _current.aggregate_pks(pubkeys)


def AggregateVerify(pubkeys: Sequence[bytes], messages: Sequence[bytes], signature: bytes) -> bool:
    """Whether `signature` aggregates signatures of `messages[i]` by `pubkeys[i]`, for all i.

    Messages need not be distinct. True if `bls_active` is False.
    """
    if not bls_active:
        return True
    return _current.aggregate_verify(pubkeys, messages, signature)


def FastAggregateVerify(pubkeys: Sequence[bytes], message: bytes, signature: bytes) -> bool:
    """Whether `signature` aggregates signatures of `message` by every key of `pubkeys`.

    True if `bls_active` is False.
    """
    if not bls_active:
        return True
    return _current.fast_aggregate_verify(pubkeys, message, signature)


def KeyValidate(PK: bytes) -> bool:
    """Whether `PK` is a valid public key: a G1 subgroup point other than infinity."""
    return _current.key_validate(PK)
