"""ssz_static: every SSZ type of the spec, as a zero value and as seeded random values, with its
serialization and root. A client checks that it decodes `serialized`, gets `value`, re-encodes to
the same bytes and computes the same `root`."""

from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from altspec import PRESETS
from altspec.ssz import hash_tree_root
from altspec.ssztypes import spec_types
from altspec.testing.context import Part, SpecTest, load_spec
from altspec.testing.values import random_value
from altspec.vectors.encode import to_plain

RUNNER = "ssz_static"
RANDOM_CASES = 3


def ssz_static_body(type_name: str, seed: int | None) -> Callable[[ModuleType], Iterator[Part]]:
    """A case for `type_name`: the zero value when `seed` is None, else a random one."""

    def body(spec: ModuleType) -> Iterator[Part]:
        typ = getattr(spec, type_name)
        value = typ.default(None) if seed is None else random_value(typ, seed)
        serialized = bytes(value.encode_bytes())
        assert typ.decode_bytes(serialized) == value, "decoding does not invert encoding"
        assert bytes(typ.decode_bytes(serialized).encode_bytes()) == serialized
        yield "value", to_plain(value)
        yield "serialized", value
        yield "roots", {"root": "0x" + bytes(hash_tree_root(value)).hex()}

    body.__name__ = f"ssz_static_{type_name}"
    body.__doc__ = f"{type_name}: {'zero value' if seed is None else f'random value, seed {seed}'}"
    return body


def generated_tests() -> list[SpecTest]:
    """One zero case and `RANDOM_CASES` random cases per SSZ type of the spec."""
    tests = []
    for type_name in spec_types(load_spec(PRESETS[0])):
        tests.append(SpecTest(ssz_static_body(type_name, None), handler=type_name,
                              suite="ssz_zero", case="case_0"))
        tests += [
            SpecTest(ssz_static_body(type_name, seed), handler=type_name,
                     suite="ssz_random", case=f"case_{seed}")
            for seed in range(RANDOM_CASES)
        ]
    return tests


@pytest.mark.parametrize("preset", PRESETS)
def test_ssz_static(preset: str) -> None:
    """Every ssz_static case round-trips for every preset."""
    for test in generated_tests():
        parts: dict[str, Any] = dict(test.parts(preset))
        assert parts["value"] == to_plain(parts["serialized"])
