"""Stage 2: definitions, their dependencies and order, safe literal evaluation, YAML reading."""

import ast
from pathlib import Path

import pytest

from altspec.compiler.model import (
    Definition,
    SpecModel,
    dependency_order,
    evaluate,
    load_model,
    module_level_names,
    read_yaml,
    same_value,
)
from altspec.compiler.parse import parse_page
from tests.compiler.helpers import line_of

PAGES = ("specs/core.md", "specs/extra.md")


def model_of(root: Path, preset: str = "minimal") -> SpecModel:
    """The model of the fixture tree for `preset`."""
    pages = [parse_page((root / file).read_text(), file) for file in PAGES]
    return load_model(root, pages, preset)


def test_fixture_tree_has_no_errors(spec_root: Path) -> None:
    for preset in ("minimal", "mainnet"):
        assert model_of(spec_root, preset).errors == []


def test_definitions_kinds_and_lines(spec_root: Path) -> None:
    model = model_of(spec_root)
    kinds = {d.name: (d.kind, d.file, d.line) for d in model.definitions}
    core = "specs/core.md"
    assert kinds == {
        "Slot": ("class", core, line_of(spec_root, core, "class Slot(")),
        "GENESIS_SLOT": ("constant", core, line_of(spec_root, core, "`GENESIS_SLOT`")),
        "EPOCH_LENGTH": ("constant", core, line_of(spec_root, core, "`EPOCH_LENGTH`")),
        "SLOTS_PER_EPOCH": ("preset", core, line_of(spec_root, core, "`SLOTS_PER_EPOCH`")),
        "HISTORY_LENGTH": ("preset", core, line_of(spec_root, core, "`HISTORY_LENGTH`")),
        "FORK_VERSION": ("config", core, line_of(spec_root, core, "`FORK_VERSION`")),
        "SECONDS_PER_SLOT": ("config", core, line_of(spec_root, core, "`SECONDS_PER_SLOT`")),
        "State": ("class", core, line_of(spec_root, core, "class State(")),
        "next_slot": ("function", core, line_of(spec_root, core, "def next_slot(")),
        "Version": ("class", "specs/extra.md", line_of(spec_root, "specs/extra.md", "class Ver")),
        "epoch_of": ("function", "specs/extra.md", line_of(spec_root, "specs/extra.md", "def ep")),
    }


def test_values_of_the_preset_column(spec_root: Path) -> None:
    sources = {d.name: d.source for d in model_of(spec_root, "mainnet").definitions}
    assert sources["SLOTS_PER_EPOCH"] == "uint64(32)"
    assert sources["FORK_VERSION"] == "Version('0x00000000')"
    assert sources["EPOCH_LENGTH"] == "SLOTS_PER_EPOCH * 2"
    assert model_of(spec_root).find("FORK_VERSION") == Definition(
        "FORK_VERSION",
        "config",
        "specs/core.md",
        line_of(spec_root, "specs/core.md", "`FORK_VERSION`"),
        "Version('0x0000000a')",
        ("Version",),
        "Version",
    )


def test_deps_are_module_level_names(spec_root: Path) -> None:
    model = model_of(spec_root)
    deps = {d.name: d.deps for d in model.definitions}
    assert deps["State"] == ("Container", "Slot", "Vector", "Bytes32", "HISTORY_LENGTH")
    assert deps["EPOCH_LENGTH"] == ("SLOTS_PER_EPOCH",)
    assert deps["GENESIS_SLOT"] == ("Slot",)
    assert deps["next_slot"] == ("State", "Slot")  # the body's EPOCH_LENGTH is not a dep


def test_class_deps_skip_method_bodies_and_own_name() -> None:
    source = (
        "class A(Base, metaclass=Meta):\n"
        "    x: Field = default_value\n"
        "    def m(self, y: Arg = DEFAULT) -> 'A':\n"
        "        return body_name\n"
        "    f = lambda z=LAMBDA_DEFAULT: lambda_body\n"
    )
    node = ast.parse(source).body[0]
    assert module_level_names(node, "A") == (
        "Base",
        "Meta",
        "Field",
        "default_value",
        "Arg",
        "DEFAULT",
        "LAMBDA_DEFAULT",
    )


def test_module_level_order_follows_dependencies_then_page_order(spec_root: Path) -> None:
    order = [d.name for d in model_of(spec_root).module_level()]
    assert order == [
        "Slot",
        "GENESIS_SLOT",
        "SLOTS_PER_EPOCH",
        "EPOCH_LENGTH",
        "HISTORY_LENGTH",
        "State",
        "Version",
    ]


def definition(name: str, line: int, *deps: str) -> Definition:
    """A constant of page x.md with the given deps."""
    return Definition(name, "constant", "specs/x.md", line, "0", deps)


def test_dependency_order_ties_keep_page_order() -> None:
    defs = [definition("C", 1, "B"), definition("A", 2), definition("B", 3, "A", "uint64")]
    order, errors = dependency_order(defs)
    assert ([d.name for d in order], errors) == (["A", "B", "C"], [])


def test_dependency_cycle_is_reported_once_at_its_first_definition() -> None:
    defs = [definition("X", 1, "A"), definition("A", 2, "B"), definition("B", 3, "A")]
    order, errors = dependency_order(defs)
    assert order == []
    assert errors == ["specs/x.md:2: dependency cycle: A (specs/x.md:2) -> B (specs/x.md:3) -> A"]


@pytest.mark.parametrize(
    ("expression", "value"),
    [("2**5", 32), ("(1 + 2) * 3 - 4 // 2", 7), ("'0xABcd'", "0xabcd"), ("'0x'", "0x")],
)
def test_evaluate_literals(expression: str, value: int | str) -> None:
    assert evaluate(ast.parse(expression, mode="eval").body) == value


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os')",
        "X",
        "1.5",
        "True",
        "'0x1'",
        "'abc'",
        "'0x00' + 1",
        "1 // 0",
        "2**5000",
        "-1",
        "[1]",
    ],
)
def test_evaluate_refuses_anything_else(expression: str) -> None:
    with pytest.raises(ValueError):
        evaluate(ast.parse(expression, mode="eval").body)


def test_same_value_by_integer_value_or_lowercase_hex() -> None:
    assert same_value(16, "16") and same_value(16, "0x10") and not same_value(16, "17")
    assert not same_value(16, "sixteen")
    assert same_value("0x0a", "0x0A") and not same_value("0x0a", "0x000a")


def test_read_yaml_keeps_scalars_as_written_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text("# comment\nA: 0x00000001\nB: '0x0A'\nC: [1]\nA: 2\n")
    values, errors = read_yaml(path, "v.yaml")
    assert {k: (v.value, v.line) for k, v in values.items()} == {
        "A": ("0x00000001", 2),
        "B": ("0x0A", 3),
    }
    assert errors == [
        "v.yaml:4: C must be a single scalar value",
        "v.yaml:5: A must be a single scalar value",
    ]


def test_read_yaml_reports_bad_yaml_and_ignores_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("A: 1\nB: [\n")
    assert read_yaml(tmp_path / "bad.yaml", "bad.yaml")[1][0].startswith("bad.yaml:3: invalid YAML")
    (tmp_path / "list.yaml").write_text("- 1\n")
    assert read_yaml(tmp_path / "list.yaml", "l.yaml")[1] == [
        "l.yaml:1: expected a mapping of NAME: value"
    ]
    assert read_yaml(tmp_path / "none.yaml", "none.yaml") == ({}, [])
