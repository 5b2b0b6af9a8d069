"""Reading a vector file back: the inverse of the encoding, with errors that name the file."""

from pathlib import Path
from typing import Any

import yaml

from altspec import PRESETS
from altspec.errors import AltspecError
from altspec.testing.context import load_spec
from altspec.vectors.encode import plain_yaml, snappy_decompress, to_plain

SSZ_SUFFIX = ".ssz_snappy"


def read_yaml(path: Path) -> Any:
    """The data of a YAML vector file."""
    try:
        return yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise AltspecError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise AltspecError(f"{path}: not a readable YAML file ({error})") from None


def part_type(path: Path) -> Any:
    """The SSZ type of an `.ssz_snappy` part, from the `types` of the case's meta.yaml and the
    preset named in the path."""
    part = path.name.removesuffix(SSZ_SUFFIX)
    meta = read_yaml(path.parent / "meta.yaml")
    name = (meta or {}).get("types", {}).get(part)
    if name is None:
        raise AltspecError(f"{path}: meta.yaml of its case names no type for part {part!r}")
    preset = next((p for p in reversed(path.resolve().parts) if p in PRESETS), None)
    if preset is None:
        raise AltspecError(f"{path}: not inside a preset directory ({', '.join(PRESETS)})")
    return getattr(load_spec(preset), name)


def decode_ssz(path: Path) -> Any:
    """The SSZ value stored in an `.ssz_snappy` vector file."""
    typ = part_type(path)
    try:
        return typ.decode_bytes(snappy_decompress(path.read_bytes()))
    except Exception as error:  # any decoding failure is the file's fault
        raise AltspecError(f"{path}: does not decode as {typ.__name__} ({error})") from None


def decode_file(path: Path) -> str:
    """A vector file as YAML text."""
    if path.suffix == ".yaml":
        return plain_yaml(read_yaml(path)).decode()
    if path.name.endswith(SSZ_SUFFIX):
        return plain_yaml(to_plain(decode_ssz(path))).decode()
    raise AltspecError(f"{path}: not a vector file (expected .yaml or {SSZ_SUFFIX})")
