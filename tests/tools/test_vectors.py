"""The vector pipeline: encoding, schema, manifest, atomic writing and the difference report."""

import json
from pathlib import Path

import pytest

from altspec import minimal as spec
from altspec.ssztypes import spec_types
from altspec.vectors import FORK
from altspec.vectors.encode import snappy_compress, snappy_decompress, to_plain
from altspec.vectors.generate import differences, manifest, read_tree, write_tree
from altspec.vectors.schema import build_schema, schema_json

BASIC = {"uint8", "uint16", "uint32", "uint64", "uint128", "uint256", "boolean"}


def test_snappy_is_raw_and_round_trips() -> None:
    data = bytes(range(256)) * 4
    packed = snappy_compress(data)
    assert not packed.startswith(b"\xff\x06\x00\x00sNaPpY")  # not the framed format
    assert snappy_decompress(packed) == data


def test_wide_integers_are_strings_in_yaml() -> None:
    assert to_plain(spec.Amount(10**28)) == str(10**28)
    assert to_plain(spec.Slot(5)) == 5
    assert to_plain(spec.Root(b"\x01" * 32)) == "0x" + "01" * 32


def test_schema_names_every_referenced_type() -> None:
    schema = json.loads(schema_json(spec, "minimal", FORK))
    types = schema["types"]
    assert set(types) == set(spec_types(spec))
    assert types["Slot"] == {"kind": "uint", "bits": 64}
    assert types["Root"] == {"kind": "bytevector", "length": 32}

    def refs(obj: object) -> list[str]:
        if isinstance(obj, str):
            return [obj]
        if isinstance(obj, dict):
            inner = [obj.get("elem")] + [t for _, t in obj.get("fields", [])]
            return [r for t in inner if t is not None for r in refs(t)]
        return []

    for obj in types.values():
        for ref in refs(obj):
            assert ref in types or ref in BASIC, ref


def test_schema_inline_list_type() -> None:
    state = build_schema(spec, "minimal", FORK)["types"]["State"]
    fields = dict((name, t) for name, t in state["fields"])
    assert fields["block_roots"] == {
        "kind": "vector", "elem": "Root", "length": int(spec.SLOTS_PER_HISTORICAL_ROOT)
    }


def test_manifest_lists_every_file_sorted() -> None:
    text = manifest({"b/x": b"1", "a/y": b"2"}).decode().splitlines()
    assert text[0].startswith("# altspec")
    assert [line.split("  ")[1] for line in text[1:]] == ["a/y", "b/x"]


def test_write_tree_replaces_whole_tree(tmp_path: Path) -> None:
    target = tmp_path / "vectors"
    write_tree({"a/one": b"1", "b": b"2"}, target)
    write_tree({"a/two": b"3"}, target)
    assert read_tree(target) == {"a/two": b"3"}
    assert [p.name for p in tmp_path.iterdir()] == ["vectors"]


def test_failed_write_leaves_previous_tree(tmp_path: Path) -> None:
    target = tmp_path / "vectors"
    write_tree({"keep": b"1"}, target)

    class Boom(dict[str, bytes]):
        def items(self):  # type: ignore[no-untyped-def, override]
            yield "partial", b"x"
            raise RuntimeError("generation failed")

    with pytest.raises(RuntimeError):
        write_tree(Boom(), target)
    assert read_tree(target) == {"keep": b"1"}
    assert [p.name for p in tmp_path.iterdir()] == ["vectors"]


def test_differences_name_the_files() -> None:
    found = differences({"a": b"1", "b": b"2"}, {"b": b"3", "c": b"4"})
    assert found == ["missing: a", "not generated: c", "differs: b"]
