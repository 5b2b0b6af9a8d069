"""Encoding the parts of a vector case as files: SSZ values as raw-snappy SSZ, everything else
as YAML."""

from typing import Any

import cramjam
import yaml

from altspec.ssztypes import describe

YAML_INT_BITS = 64
"""Integers wider than this are written in YAML as decimal strings (as consensus-spec-tests do),
because common YAML parsers stop at 64 bits."""


def snappy_compress(data: bytes) -> bytes:
    """Raw (unframed) snappy, the block format of `.ssz_snappy` files."""
    return bytes(cramjam.snappy.compress_raw(data))


def snappy_decompress(data: bytes) -> bytes:
    """The inverse of `snappy_compress`."""
    return bytes(cramjam.snappy.decompress_raw(data))


def to_plain(value: Any) -> Any:
    """An SSZ value as YAML-ready data: integers, `0x` hex strings, lists and mappings."""
    desc = describe(type(value))
    if desc.kind == "boolean":
        return bool(value)
    if desc.kind == "uint":
        return int(value) if desc.bits <= YAML_INT_BITS else str(int(value))
    if desc.kind in ("bytevector", "bytelist", "bitvector", "bitlist"):
        return "0x" + bytes(value.encode_bytes()).hex()
    if desc.kind in ("vector", "list"):
        return [to_plain(element) for element in value]
    return {name: to_plain(getattr(value, name)) for name, _ in desc.fields}


def plain_yaml(data: Any) -> bytes:
    """Deterministic YAML for plain data (keys in insertion order)."""
    text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=1000)
    return text.encode()
