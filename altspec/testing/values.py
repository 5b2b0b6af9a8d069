"""SSZ values for tests: seeded random values (for vectors) and hypothesis strategies (for
fuzzing), both built by the one walker over type descriptions, `altspec.ssztypes.build_value`."""

import random
from typing import Any

from hypothesis import strategies as st

from altspec.ssztypes import Chooser, build_value

MAX_RANDOM_LENGTH = 4
"""Lists and byte lists get at most this many elements, so values stay small."""


class SeededChooser(Chooser):
    """Choices from a seeded random generator: the same seed gives the same value."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def integer(self, bits: int) -> int:
        return self.rng.getrandbits(bits)

    def length(self, limit: int) -> int:
        return self.rng.randint(0, min(limit, MAX_RANDOM_LENGTH))

    def data(self, length: int) -> bytes:
        return self.rng.randbytes(length)


class DrawChooser(Chooser):
    """Choices drawn by hypothesis, so failing values shrink."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def integer(self, bits: int) -> int:
        return self.draw(st.integers(min_value=0, max_value=2**bits - 1))

    def length(self, limit: int) -> int:
        return self.draw(st.integers(min_value=0, max_value=min(limit, MAX_RANDOM_LENGTH)))

    def data(self, length: int) -> bytes:
        return self.draw(st.binary(min_size=length, max_size=length))


def random_value(typ: Any, seed: int) -> Any:
    """A random value of SSZ type `typ`, reproducible from `seed`."""
    return build_value(typ, SeededChooser(seed))


def ssz_values(typ: Any) -> st.SearchStrategy[Any]:
    """A hypothesis strategy for values of SSZ type `typ`, derived from its definition."""

    @st.composite
    def values(draw: st.DrawFn) -> Any:
        return build_value(typ, DrawChooser(draw))

    return values()
