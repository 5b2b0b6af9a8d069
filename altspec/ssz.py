"""The SSZ names a spec page may use, all from remerkleable.

The compiled spec modules import every name in `__all__`; nothing else is in scope for a spec
page apart from the BLS module (`bls`) and the standard `typing` names listed in the compiler.
"""

from typing import Any

from remerkleable.basic import boolean, uint8, uint16, uint32, uint64, uint128, uint256
from remerkleable.bitfields import Bitlist, Bitvector
from remerkleable.byte_arrays import (
    ByteList,
    Bytes1,
    Bytes4,
    Bytes8,
    Bytes32,
    Bytes48,
    Bytes96,
    ByteVector,
)
from remerkleable.complex import Container, List, Vector
from remerkleable.core import View

Bytes20 = ByteVector[20]

__all__ = [
    "Bitlist",
    "Bitvector",
    "ByteList",
    "ByteVector",
    "Bytes1",
    "Bytes4",
    "Bytes8",
    "Bytes20",
    "Bytes32",
    "Bytes48",
    "Bytes96",
    "Container",
    "List",
    "Vector",
    "View",
    "boolean",
    "copy",
    "hash_tree_root",
    "serialize",
    "sha256",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uint128",
    "uint256",
]


def hash_tree_root(obj: Any) -> Bytes32:
    """The SSZ Merkle root of `obj`."""
    return Bytes32(obj.get_backing().merkle_root())


def serialize(obj: Any) -> bytes:
    """The SSZ encoding of `obj`."""
    return bytes(obj.encode_bytes())


def copy(obj: Any) -> Any:
    """An independent copy of an SSZ value (cheap: the tree is shared until written)."""
    return obj.copy()


def sha256(data: bytes) -> Bytes32:
    """SHA-256 of `data`, the hash function of the spec."""
    import hashlib

    return Bytes32(hashlib.sha256(data).digest())
