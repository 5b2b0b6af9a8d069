"""SSZ types as data: the one description that the schema, the value builders and the YAML
encoding of vectors all walk."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from remerkleable.basic import boolean, uint
from remerkleable.bitfields import Bitlist, Bitvector
from remerkleable.byte_arrays import ByteList, ByteVector
from remerkleable.complex import Container, List, Vector

BASIC_NAMES = ("uint8", "uint16", "uint32", "uint64", "uint128", "uint256", "boolean")


@dataclass(frozen=True)
class SszType:
    """One SSZ type: its kind and the numbers and element/field types that kind needs."""

    kind: str  # uint boolean bytevector bytelist vector list bitvector bitlist container
    bits: int = 0
    length: int = 0
    limit: int = 0
    elem: Any = None
    fields: tuple[tuple[str, Any], ...] = ()


def describe(typ: Any) -> SszType:
    """The description of the SSZ type `typ` (a remerkleable view class)."""
    if issubclass(typ, boolean):
        return SszType("boolean")
    if issubclass(typ, uint):
        return SszType("uint", bits=typ.type_byte_length() * 8)
    if issubclass(typ, ByteVector):
        return SszType("bytevector", length=typ.type_byte_length())
    if issubclass(typ, ByteList):
        return SszType("bytelist", limit=typ.limit())
    if issubclass(typ, Bitvector):
        return SszType("bitvector", length=typ.vector_length())
    if issubclass(typ, Bitlist):
        return SszType("bitlist", limit=typ.limit())
    if issubclass(typ, Vector):
        return SszType("vector", elem=typ.element_cls(), length=typ.vector_length())
    if issubclass(typ, List):
        return SszType("list", elem=typ.element_cls(), limit=typ.limit())
    if issubclass(typ, Container):
        return SszType("container", fields=tuple(typ.fields().items()))
    raise TypeError(f"{typ!r} is not an SSZ type")


def children(typ: Any) -> Iterator[Any]:
    """The SSZ types that `typ` is built from, one level down."""
    desc = describe(typ)
    if desc.elem is not None:
        yield desc.elem
    for _, field_type in desc.fields:
        yield field_type


def spec_types(spec: ModuleType) -> dict[str, Any]:
    """Every SSZ type the spec module defines, by name, in definition order."""
    found: dict[str, Any] = {}
    for name, value in vars(spec).items():
        if isinstance(value, type) and value.__module__ == spec.__name__ and _is_ssz(value):
            found[name] = value
    return found


def _is_ssz(value: type) -> bool:
    try:
        describe(value)
    except TypeError:
        return False
    return True


class Chooser:
    """The choices a value builder makes; subclasses draw them from a seeded random generator
    or from hypothesis."""

    def integer(self, bits: int) -> int:
        raise NotImplementedError

    def length(self, limit: int) -> int:
        raise NotImplementedError

    def data(self, length: int) -> bytes:
        raise NotImplementedError


def build_value(typ: Any, choose: Chooser) -> Any:
    """A value of SSZ type `typ`, every free choice made by `choose`."""
    desc = describe(typ)
    make: Callable[[], Any] = {
        "boolean": lambda: typ(choose.integer(1)),
        "uint": lambda: typ(choose.integer(desc.bits)),
        "bytevector": lambda: typ(choose.data(desc.length)),
        "bytelist": lambda: typ(choose.data(choose.length(desc.limit))),
        "bitvector": lambda: typ(*(choose.integer(1) for _ in range(desc.length))),
        "bitlist": lambda: typ(*(choose.integer(1) for _ in range(choose.length(desc.limit)))),
        "vector": lambda: typ(*(build_value(desc.elem, choose) for _ in range(desc.length))),
        "list": lambda: typ(
            *(build_value(desc.elem, choose) for _ in range(choose.length(desc.limit)))
        ),
        "container": lambda: typ(
            **{name: build_value(field_type, choose) for name, field_type in desc.fields}
        ),
    }[desc.kind]
    return make()
