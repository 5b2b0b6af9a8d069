"""Fixed operator keys: operator `i` has secret key `i + 1`, so every vector is reproducible."""

from functools import cache

from altspec.crypto import bls


def privkey(index: int) -> int:
    """The secret key of test operator `index`."""
    return index + 1


@cache
def pubkey(index: int) -> bytes:
    """The BLS public key of test operator `index`."""
    return bls.SkToPk(privkey(index))
