"""`schema.json`: every SSZ type of the spec as data, so that clients can generate their types.

Format (docs/vectors.md#schema): ``{"fork", "preset", "types": {name: type}}`` where a type is
``{"kind": ..., ...}`` and an element or field type is a name from `types`, a basic type name
(`uint8` ... `uint256`, `boolean`), or an inline type object.
"""

import json
from types import ModuleType
from typing import Any

from altspec.ssztypes import BASIC_NAMES, describe, spec_types


def type_ref(typ: Any, names: dict[Any, str]) -> Any:
    """How a field or element of type `typ` is written: a name, or an inline object."""
    if typ in names:
        return names[typ]
    desc = describe(typ)
    basic = "boolean" if desc.kind == "boolean" else f"uint{desc.bits}"
    if desc.kind in ("uint", "boolean") and basic in BASIC_NAMES:
        return basic
    return type_object(typ, names)


def type_object(typ: Any, names: dict[Any, str]) -> dict[str, Any]:
    """The schema object of `typ` itself."""
    desc = describe(typ)
    obj: dict[str, Any] = {"kind": desc.kind}
    if desc.kind == "uint":
        obj["bits"] = desc.bits
    if desc.kind in ("vector", "list"):
        obj["elem"] = type_ref(desc.elem, names)
    if desc.kind in ("bytevector", "vector", "bitvector"):
        obj["length"] = desc.length
    if desc.kind in ("bytelist", "list", "bitlist"):
        obj["limit"] = desc.limit
    if desc.kind == "container":
        obj["fields"] = [[name, type_ref(field, names)] for name, field in desc.fields]
    return obj


def build_schema(spec: ModuleType, preset: str, fork: str) -> dict[str, Any]:
    """The schema of every SSZ type the spec defines."""
    types = spec_types(spec)
    names = {typ: name for name, typ in types.items()}
    return {
        "fork": fork,
        "preset": preset,
        "types": {name: type_object(typ, names) for name, typ in sorted(types.items())},
    }


def schema_json(spec: ModuleType, preset: str, fork: str) -> bytes:
    """`schema.json` for the spec module of `preset`: one line per type, for readable diffs."""
    schema = build_schema(spec, preset, fork)
    types = ",\n".join(f"  {json.dumps(name)}: {json.dumps(obj)}" for name, obj in schema["types"].items())
    head = f'{{"fork": {json.dumps(fork)}, "preset": {json.dumps(preset)}, "types": {{\n'
    return f"{head}{types}\n}}}}\n".encode()
