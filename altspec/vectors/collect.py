"""Finding the vector cases among the spec tests and running one into files."""

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from altspec.errors import AltspecError
from altspec.paths import REPO_ROOT, SPEC_TESTS_DIR
from altspec.ssztypes import describe
from altspec.testing.context import SpecTest, load_spec, spec_tests_of
from altspec.testing.trace import recording
from altspec.vectors import FORK
from altspec.vectors.encode import plain_yaml, snappy_compress

DEFAULT_SUITE = "altspec"
GENERAL = "general"
"""The preset directory of vectors that do not depend on a preset (as in consensus-spec-tests)."""


@dataclass(frozen=True)
class CaseId:
    """Where a case comes from (module and test name) and which preset it runs with."""

    module: str
    test: str
    preset: str


def test_modules(tests_dir: Path = SPEC_TESTS_DIR) -> list[str]:
    """The importable names of the spec-test modules, sorted."""
    root = tests_dir.parent.parent
    return sorted(
        ".".join(path.relative_to(root).with_suffix("").parts)
        for path in tests_dir.rglob("test_*.py")
    )


def import_tests(module_name: str) -> ModuleType:
    """Import a spec-test module of this checkout."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    return importlib.import_module(module_name)


def vector_tests(module: ModuleType) -> list[SpecTest]:
    """The tests of `module` that become vectors: in a module that names its RUNNER, the
    decorated tests, or the tests its `generated_tests()` returns."""
    if not hasattr(module, "RUNNER"):
        return []
    tests = module.generated_tests() if hasattr(module, "generated_tests") else spec_tests_of(module)
    return [test for test in tests if test.vector]


def all_cases() -> list[CaseId]:
    """Every vector case, one per (test, preset)."""
    return [
        CaseId(name, case_key(test), preset)
        for name in test_modules()
        for test in vector_tests(import_tests(name))
        for preset in test.presets
    ]


def case_key(test: SpecTest) -> str:
    """What identifies a test within its module."""
    return f"{test.handler}/{test.suite}/{test.name}"


def case_dir(module: ModuleType, test: SpecTest, preset: str) -> str:
    """`<preset>/<fork>/<runner>/<handler>/<suite>/<case>` for a case."""
    module_handler = module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    handler = test.handler or getattr(module, "HANDLER", module_handler)
    suite = test.suite or getattr(module, "SUITE", DEFAULT_SUITE)
    preset_dir = GENERAL if getattr(module, "PRESET_INDEPENDENT", False) else preset
    return f"{preset_dir}/{FORK}/{module.RUNNER}/{handler}/{suite}/{test.name}"


def run_case(case: CaseId) -> dict[str, bytes]:
    """Run one case and return its files, by path relative to the vectors directory."""
    module = import_tests(case.module)
    test = next(t for t in vector_tests(module) if case_key(t) == case.test)
    spec = load_spec(case.preset)
    parts = []
    exercised: set[str] | None = None
    with recording(spec) as functions:
        for name, value in test.parts(case.preset):
            parts.append((name, value))
            if name == "pre":  # the setup before the pre-state is not what the case exercises
                functions.clear()
            elif name == "post":  # nor are the test's own checks after the post-state
                exercised = set(functions)
    functions = functions if exercised is None else exercised
    directory = case_dir(module, test, case.preset)
    files, meta = encode_parts(spec, parts, f"{directory}/")
    meta = {"description": test.description, **meta, "functions": sorted(functions)}
    files[f"{directory}/meta.yaml"] = plain_yaml(meta)
    return files


def encode_parts(
    spec: ModuleType, parts: list[tuple[str, Any]], prefix: str
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The files of a case's parts, and its meta data (the `meta` parts and the part types)."""
    files: dict[str, bytes] = {}
    meta: dict[str, Any] = {}
    types: dict[str, str] = {}
    for name, value in parts:
        if name == "meta":
            meta.update(value)
        elif value is None:
            continue
        elif is_ssz(value):
            types[name] = spec_type_name(spec, value)
            files[f"{prefix}{name}.ssz_snappy"] = snappy_compress(bytes(value.encode_bytes()))
        else:
            files[f"{prefix}{name}.yaml"] = plain_yaml(value)
    if types:
        meta["types"] = types
    return files, meta


def is_ssz(value: Any) -> bool:
    """Whether `value` is an SSZ value (as opposed to plain data)."""
    try:
        describe(type(value))
    except TypeError:
        return False
    return True


def spec_type_name(spec: ModuleType, value: Any) -> str:
    """The name under which the spec (and schema.json) defines the type of `value`."""
    name = type(value).__name__
    if getattr(spec, name, None) is not type(value):
        raise AltspecError(f"a vector part of type {name} is not a type the spec defines")
    return name
