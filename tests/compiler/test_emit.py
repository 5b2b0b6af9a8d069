"""Stage 3: the module text of one preset and its line map."""

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from altspec.compiler.emit import Module, emit, header_line
from tests.compiler.helpers import line_of
from tests.compiler.test_model import model_of

REPO = Path(__file__).resolve().parents[2]


def emitted(root: Path, preset: str) -> Module:
    """The module of the fixture tree for `preset`."""
    return emit(model_of(root, preset), "f" * 64)


def run(module: Module) -> dict[str, Any]:
    """The namespace of the module after running it."""
    namespace: dict[str, Any] = {}
    exec(compile(module.text, "altspec/minimal.py", "exec"), namespace)
    return namespace


def test_header_and_imports(spec_root: Path) -> None:
    lines = emitted(spec_root, "minimal").lines
    assert lines[0] == header_line("f" * 64)
    assert "do not edit" in lines[0] and lines[0].endswith("f" * 64)
    assert "from typing import Any, Callable, Dict, Iterable, Iterator, NamedTuple" in lines[3]
    assert "    hash_tree_root," in lines and "from altspec.crypto import bls" in lines


@pytest.mark.parametrize(
    ("preset", "slots", "history", "fork", "seconds"),
    [("minimal", 8, 8, b"\x00\x00\x00\x0a", 6), ("mainnet", 32, 64, b"\x00" * 4, 12)],
)
def test_module_runs_with_the_yaml_values(
    spec_root: Path, preset: str, slots: int, history: int, fork: bytes, seconds: int
) -> None:
    spec = run(emitted(spec_root, preset))
    assert (spec["SLOTS_PER_EPOCH"], spec["HISTORY_LENGTH"]) == (slots, history)
    assert spec["EPOCH_LENGTH"] == 2 * slots
    config = spec["config"]
    assert (bytes(config.FORK_VERSION), int(config.SECONDS_PER_SLOT)) == (fork, seconds)
    assert type(config.FORK_VERSION) is spec["Version"]
    state = spec["State"](slot=3)
    assert len(state.roots) == history
    assert spec["next_slot"](state) == 4 and spec["epoch_of"](spec["Slot"](slots)) == 1


def test_layout_types_constants_configuration_then_functions(spec_root: Path) -> None:
    text = emitted(spec_root, "minimal").text
    marks = [
        "class Slot(",
        "EPOCH_LENGTH = SLOTS_PER_EPOCH * 2",
        "class State(",
        "class Version(",
        "class Configuration(NamedTuple):",
        "config = Configuration(",
        "def next_slot(",
        "def epoch_of(",
    ]
    positions = [text.index(mark) for mark in marks]
    assert positions == sorted(positions)
    assert "    FORK_VERSION: Version\n" in text
    assert "    FORK_VERSION=Version('0x0000000a'),\n" in text


def test_line_map_points_at_the_markdown_lines(spec_root: Path) -> None:
    module = emitted(spec_root, "minimal")
    cases = [
        ("specs/core.md", "def next_slot(", "def next_slot("),
        ("specs/core.md", '"slot_overflow"', '"slot_overflow"'),
        ("specs/core.md", "SLOTS_PER_EPOCH = uint64(8)", "`SLOTS_PER_EPOCH`"),
        ("specs/core.md", "SECONDS_PER_SLOT=uint64(6),", "`SECONDS_PER_SLOT`"),
        ("specs/core.md", "SECONDS_PER_SLOT: uint64", "`SECONDS_PER_SLOT`"),
        ("specs/extra.md", "return uint64(slot // SLOTS_PER_EPOCH)", "return uint64(slot"),
    ]
    for file, emitted_snippet, markdown_snippet in cases:
        [number] = [n for n, line in enumerate(module.lines, 1) if emitted_snippet in line]
        assert module.linemap[number] == (file, line_of(spec_root, file, markdown_snippet))
    assert 1 not in module.linemap  # the header came from no Markdown line


def test_each_definition_is_preceded_by_its_location_comment(spec_root: Path) -> None:
    module = emitted(spec_root, "minimal")
    number = module.lines.index("class State(Container):")
    assert (
        module.lines[number - 1]
        == f"# specs/core.md:{line_of(spec_root, 'specs/core.md', 'class State(')}"
    )


def test_line_map_json(spec_root: Path) -> None:
    module = emitted(spec_root, "minimal")
    loaded = json.loads(module.linemap_json())
    assert loaded == {str(n): [file, line] for n, (file, line) in module.linemap.items()}


@pytest.mark.skipif(
    shutil.which("ruff", path=str(Path(sys.executable).parent)) is None,
    reason="ruff is not installed",
)
def test_module_is_ruff_clean_under_the_repository_config(spec_root: Path) -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert ruff is not None
    result = subprocess.run(
        [ruff, "check", "--stdin-filename", "altspec/minimal.py", "-"],
        input=emitted(spec_root, "minimal").text,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
