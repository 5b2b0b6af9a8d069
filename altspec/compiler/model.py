"""Stage 2: the spec's definitions as plain data, checked against the rules of docs/authoring.md.

`load_model` turns the parsed pages into a `SpecModel` for one preset: functions and classes
from the code blocks, constants, presets and configuration values from the definition tables
(checked against the preset's YAML files), in page order and in dependency order. Every
problem becomes one message naming `file:line`, collected in `SpecModel.errors`.
"""

import ast
import heapq
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from altspec.compiler.parse import CodeBlock, Item, Row, Table

REASON_CODE = re.compile(r"[a-z][a-z0-9_]*")
_HEX = re.compile(r"0x([0-9a-fA-F]{2})*")
_OPERATORS: dict[type[ast.operator], Callable[[int, int], int]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Pow: operator.pow,
}
_MAX_EXPONENT = 1024
SECTION_KINDS = {"Preset": "preset", "Configuration": "config"}
MODULE_LEVEL = ("class", "constant", "preset")


@dataclass(frozen=True)
class Definition:
    """One spec definition: `source` is the code (function, class), the value expression
    (constant) or `Type(value)` (preset, config); `deps` are the names it uses at module level."""

    name: str
    kind: str
    file: str
    line: int
    source: str
    deps: tuple[str, ...] = ()
    type_name: str = ""

    @property
    def where(self) -> str:
        """`file:line` of the definition."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class YamlValue:
    """A scalar of a preset or configuration YAML file, as written, and its 1-based line."""

    value: str
    line: int


@dataclass
class SpecModel:
    """The definitions of the spec for one preset, in page order, and the problems found."""

    preset: str
    definitions: list[Definition] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def error(self, file: str, line: int, message: str) -> None:
        """Record a problem at `file:line`."""
        self.errors.append(f"{file}:{line}: {message}")

    def add(self, definition: Definition) -> None:
        """Add a definition, reporting a duplicate name at both places."""
        first = self.find(definition.name)
        if first is not None:
            message = f"duplicate definition of {definition.name!r} (first at {first.where})"
            self.error(definition.file, definition.line, message)
        else:
            self.definitions.append(definition)

    def find(self, name: str) -> Definition | None:
        """The definition of `name`, if any."""
        return next((d for d in self.definitions if d.name == name), None)

    def of_kind(self, *kinds: str) -> list[Definition]:
        """The definitions of the given kinds, in page order."""
        return [d for d in self.definitions if d.kind in kinds]

    def module_level(self) -> list[Definition]:
        """Classes, constants and presets in dependency order (ties in page order)."""
        return dependency_order(self.of_kind(*MODULE_LEVEL))[0]


def load_model(root: Path, pages: Sequence[Sequence[Item]], preset: str) -> SpecModel:
    """Check and collect the definitions of `pages` for `preset`, reading its YAML under `root`."""
    loader = _Loader(root, preset)
    for items in pages:
        for item in items:
            loader.add_item(item)
    loader.finish()
    return loader.model


def dependency_order(definitions: Sequence[Definition]) -> tuple[list[Definition], list[str]]:
    """Topological order of `definitions` (page order among equals) and any cycle errors."""
    index = {d.name: i for i, d in enumerate(definitions)}
    pending = {d.name: {n for n in d.deps if n in index} for d in definitions}
    users: dict[str, list[str]] = {name: [] for name in index}
    for name, deps in pending.items():
        for dep in deps:
            users[dep].append(name)
    ready = [index[name] for name, deps in pending.items() if not deps]
    heapq.heapify(ready)
    order: list[Definition] = []
    while ready:
        order.append(definitions[heapq.heappop(ready)])
        for user in users[order[-1].name]:
            pending[user].discard(order[-1].name)
            if not pending[user]:
                heapq.heappush(ready, index[user])
    done = {d.name for d in order}
    left = {d.name: d for d in definitions if d.name not in done}
    return order, _cycle_errors(left, pending)


def _cycle_errors(left: dict[str, Definition], pending: dict[str, set[str]]) -> list[str]:
    """One message per dependency cycle among the definitions that could not be ordered."""
    errors: list[str] = []
    seen: set[str] = set()
    for start in left:
        path: list[str] = []
        name = start
        while name not in path and name not in seen:
            path.append(name)
            name = next(n for n in left if n in pending[name])
        seen.update(path)
        if name in path:
            cycle = path[path.index(name) :]
            chain = " -> ".join(f"{n} ({left[n].where})" for n in cycle)
            errors.append(f"{left[name].where}: dependency cycle: {chain} -> {name}")
    return errors


def module_level_names(node: ast.AST, own: str = "") -> tuple[str, ...]:
    """Names `node` loads when its definition runs (function bodies excluded), minus `own`."""
    visitor = _NameCollector()
    visitor.visit(node)
    return tuple(n for n in dict.fromkeys(visitor.names) if n != own)


class _NameCollector(ast.NodeVisitor):
    """Collects loaded names, skipping the bodies of functions and lambdas."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: ast.Name) -> None:
        """A name read."""
        if isinstance(node.ctx, ast.Load):
            self.names.append(node.id)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """Only the decorators and signature of a function run at definition time."""
        for part in [*node.decorator_list, node.args, node.returns]:
            if part is not None:
                self.visit(part)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        """Only the defaults of a lambda run at definition time."""
        self.visit(node.args)


def evaluate(node: ast.expr) -> int | str:
    """The value of a preset literal: integers with + - * // ** or a hex string (lowercased)."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if not _HEX.fullmatch(node.value):
            raise ValueError(f"{node.value!r} is not a hex string '0x..'")
        return node.value.lower()
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _arithmetic(node.op, evaluate(node.left), evaluate(node.right))
    raise ValueError(f"{ast.unparse(node)!r} is not an integer or hex literal")


def _arithmetic(op: ast.operator, left: int | str, right: int | str) -> int:
    """Apply an integer operator, refusing strings, division by zero and huge powers."""
    if not isinstance(left, int) or not isinstance(right, int):
        raise ValueError("arithmetic on a hex string")
    if isinstance(op, ast.FloorDiv) and right == 0:
        raise ValueError("division by zero")
    if isinstance(op, ast.Pow) and not 0 <= right <= _MAX_EXPONENT:
        raise ValueError(f"exponent {right} out of range")
    result: int = _OPERATORS[type(op)](left, right)
    return result


def same_value(table: int | str, written: str) -> bool:
    """Whether a YAML scalar equals a table value: integers by value, bytes as lowercase hex."""
    if isinstance(table, str):
        return written.lower() == table
    try:
        return int(written, 16 if written.lower().startswith("0x") else 10) == table
    except ValueError:
        return False


def read_yaml(path: Path, file: str) -> tuple[dict[str, YamlValue], list[str]]:
    """The top-level scalars of a YAML mapping (none if the file is absent) and any errors."""
    if not path.is_file():
        return {}, []
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        return {}, [f"{file}:{line}: invalid YAML ({error.problem})"]
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return {}, [f"{file}:{node.start_mark.line + 1}: expected a mapping of NAME: value"]
    values: dict[str, YamlValue] = {}
    errors: list[str] = []
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(value, yaml.ScalarNode) or key.value in values:
            errors.append(f"{file}:{line}: {key.value} must be a single scalar value")
        else:
            values[key.value] = YamlValue(str(value.value), line)
    return values, errors


def ssz_type_names() -> frozenset[str]:
    """The names of `altspec.ssz` that are types (usable as `Type(...)` in a table)."""
    from altspec import ssz

    return frozenset(n for n in ssz.__all__ if isinstance(getattr(ssz, n), type))


class _Loader:
    """Builds a `SpecModel` for one preset item by item, then runs the whole-spec checks."""

    def __init__(self, root: Path, preset: str) -> None:
        self.root = root
        self.model = SpecModel(preset)
        self.yaml: dict[str, dict[str, YamlValue]] = {}
        self.used: set[tuple[str, str]] = set()
        self.typed: list[Definition] = []
        for path in sorted((root / "specs" / "presets" / preset).rglob("*.yaml")):
            self._read(path)
        self._read(root / "specs" / "configs" / f"{preset}.yaml")

    def _read(self, path: Path) -> None:
        """Load one YAML file, keyed by its path relative to the root."""
        file = path.relative_to(self.root).as_posix()
        self.yaml[file], errors = read_yaml(path, file)
        self.model.errors.extend(errors)

    def add_item(self, item: Item) -> None:
        """Add the definitions of a code block or a definition table."""
        if isinstance(item, CodeBlock):
            self._add_block(item)
            return
        kind = SECTION_KINDS.get(item.section)
        if kind is not None:
            self._add_values(item, kind)
        elif item.headers[1:2] == ("Value",):
            for row in item.rows:
                self._add_constant(item, row)

    def _add_block(self, block: CodeBlock) -> None:
        """Add the functions and classes of a code block, checking its statements and asserts."""
        try:
            tree = ast.parse(block.source)
        except SyntaxError as error:
            detail = "" if error.msg == "invalid syntax" else f": {error.msg}"
            line = block.line + (error.lineno or 1) - 1
            self.model.error(block.file, line, f"invalid syntax{detail}")
            return
        self._check_asserts(block, tree)
        lines = block.source.splitlines()
        for node in tree.body:
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            line = block.line + first - 1
            if not isinstance(node, ast.FunctionDef | ast.ClassDef):
                message = f"top-level {type(node).__name__} statement: only def and class are"
                self.model.error(block.file, line, f"{message} allowed (constants go in tables)")
                continue
            kind = "function" if isinstance(node, ast.FunctionDef) else "class"
            source = "\n".join(lines[first - 1 : node.end_lineno])
            deps = module_level_names(node, node.name)
            self.model.add(Definition(node.name, kind, block.file, line, source, deps))

    def _check_asserts(self, block: CodeBlock, tree: ast.Module) -> None:
        """Every assert needs a snake_case string literal reason code."""
        for node in ast.walk(tree):
            if isinstance(node, ast.Assert) and not (
                isinstance(node.msg, ast.Constant)
                and isinstance(node.msg.value, str)
                and REASON_CODE.fullmatch(node.msg.value)
            ):
                message = 'assert without a reason code (write: assert <check>, "snake_case")'
                self.model.error(block.file, block.line + node.lineno - 1, message)

    def _row_name(self, table: Table, row: Row) -> str | None:
        """The defined name of a row, or None (reported) when it is not an identifier."""
        name = row.cells[0] if row.cells else ""
        if name.isidentifier():
            return name
        self.model.error(table.file, row.line, f"{name!r} is not a name")
        return None

    def _add_constant(self, table: Table, row: Row) -> None:
        """A `| Name | Value |` row: `NAME = <expression>`."""
        name = self._row_name(table, row)
        if name is None:
            return
        expression = row.cells[1]
        try:
            tree = ast.parse(expression, mode="eval")
        except SyntaxError as error:
            self.model.error(table.file, row.line, f"invalid syntax in {name}: {error.msg}")
            return
        deps = module_level_names(tree, name)
        self.model.add(Definition(name, "constant", table.file, row.line, expression, deps))

    def _add_values(self, table: Table, kind: str) -> None:
        """A Preset or Configuration table: each row's value in this preset's column."""
        preset = self.model.preset
        if preset not in table.headers:
            self.model.error(table.file, table.line, f"table has no {preset!r} column")
            return
        for row in table.rows:
            self._add_value(table, row, table.headers.index(preset), kind)

    def _yaml_file(self, page: str, kind: str) -> str:
        """The YAML file that holds a page's preset values or the configuration values."""
        if kind == "config":
            return f"specs/configs/{self.model.preset}.yaml"
        stem = PurePosixPath(page).relative_to("specs").with_suffix(".yaml")
        return f"specs/presets/{self.model.preset}/{stem}"

    def _add_value(self, table: Table, row: Row, column: int, kind: str) -> None:
        """Parse a row's `Type(expression)`, compare it with the YAML, add the definition."""
        name = self._row_name(table, row)
        if name is None:
            return
        yaml_file = self._yaml_file(table.file, kind)
        self.used.add((yaml_file, name))
        try:
            type_name, value = _typed_value(row.cells[column])
        except ValueError as error:
            self.model.error(table.file, row.line, f"{name}: {error}")
            return
        written = self.yaml.get(yaml_file, {}).get(name)
        if written is None:
            self.model.error(table.file, row.line, f"{name} has no value in {yaml_file}")
        elif not same_value(value, written.value):
            message = f"{name} is {value} in the table but {written.value} in {yaml_file}"
            self.model.error(table.file, row.line, message)
        literal = value if isinstance(value, int) else repr(value)
        source = f"{type_name}({literal})"
        definition = Definition(name, kind, table.file, row.line, source, (type_name,), type_name)
        self.typed.append(definition)
        self.model.add(definition)

    def finish(self) -> None:
        """Whole-spec checks: value types, YAML keys without a row, dependency cycles."""
        classes = {d.name for d in self.model.of_kind("class")} | ssz_type_names()
        for definition in self.typed:
            if definition.type_name not in classes:
                message = f"{definition.name}: unknown type {definition.type_name!r}"
                self.model.error(definition.file, definition.line, message)
        for file, values in self.yaml.items():
            for name, value in values.items():
                if (file, name) not in self.used:
                    self.model.error(file, value.line, f"{name} has no row in a spec table")
        module_level = self.model.of_kind(*MODULE_LEVEL)
        self.model.errors.extend(dependency_order(module_level)[1])


def _typed_value(cell: str) -> tuple[str, int | str]:
    """Split a `Type(expression)` cell into the type name and the evaluated literal."""
    try:
        node = ast.parse(cell, mode="eval").body
    except SyntaxError as error:
        raise ValueError(f"invalid syntax in {cell!r}: {error.msg}") from None
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and len(node.args) == 1
        and not node.keywords
    ):
        raise ValueError(f"value {cell!r} must be written Type(expression)")
    return node.func.id, evaluate(node.args[0])
