"""Stage 4: the build: caching, atomic output, and every error at its Markdown line."""

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from altspec.compiler.build import build, ensure_built, source_hash
from altspec.errors import SpecError
from tests.compiler.helpers import edit, line_of

REPO = Path(__file__).resolve().parents[2]
OUTPUTS = ("minimal.py", "mainnet.py", "minimal.linemap.json", "mainnet.linemap.json")
CORE = "specs/core.md"
NO_REASON = 'assert without a reason code (write: assert <check>, "snake_case")'


def outputs(root: Path) -> dict[str, bytes]:
    """The bytes of every generated file."""
    return {name: (root / "altspec" / name).read_bytes() for name in OUTPUTS}


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every generated file."""
    return {
        name: (
            (root / "altspec" / name).stat().st_ino,
            (root / "altspec" / name).stat().st_mtime_ns,
        )
        for name in OUTPUTS
    }


def test_build_writes_both_presets_and_line_maps(spec_root: Path) -> None:
    assert build(spec_root) is True
    module = (spec_root / "altspec" / "minimal.py").read_text()
    assert source_hash(spec_root) in module.splitlines()[0]
    assert sorted(p.name for p in (spec_root / "altspec").iterdir()) == sorted(OUTPUTS)


def test_second_build_does_nothing(spec_root: Path) -> None:
    build(spec_root)
    before = stamps(spec_root)
    assert build(spec_root) is False
    assert ensure_built(spec_root) is False
    assert stamps(spec_root) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda root: edit(root, CORE, "The slot after", "The next slot after"),
        lambda root: edit(root, "specs/configs/mainnet.yaml", "12", "12  # seconds"),
        lambda root: (root / "altspec" / "mainnet.linemap.json").unlink(),
        lambda root: (root / "altspec" / "minimal.py").write_text("# edited by hand\n"),
    ],
    ids=["page", "yaml", "missing-linemap", "stale-module"],
)
def test_a_change_rebuilds(spec_root: Path, change: Callable[[Path], None]) -> None:
    build(spec_root)
    change(spec_root)
    assert build(spec_root) is True
    assert build(spec_root) is False


def test_force_rebuilds(spec_root: Path) -> None:
    build(spec_root)
    assert build(spec_root, force=True) is True


def test_ensure_built_without_spec_sources_is_a_no_op(tmp_path: Path) -> None:
    assert ensure_built(tmp_path) is False
    assert not (tmp_path / "altspec").exists()


def test_cached_check_is_cheap(spec_root: Path) -> None:
    build(spec_root)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        ensure_built(spec_root)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.2


def test_repository_spec_builds(tmp_path: Path) -> None:
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    start = time.perf_counter()
    assert build(tmp_path) is True
    assert time.perf_counter() - start < 2
    assert "class Configuration(NamedTuple):" in (tmp_path / "altspec" / "mainnet.py").read_text()


def line(root: Path, file: str, snippet: str) -> str:
    """`file:line` of the line holding `snippet`."""
    return f"{file}:{line_of(root, file, snippet)}"


def append(root: Path, file: str, text: str) -> None:
    """Add `text` at the end of `file`."""
    path = root / file
    path.write_text(path.read_text() + text)


def _duplicate(root: Path) -> str:
    append(root, "specs/extra.md", "\n```python\nclass Slot(uint64):\n    pass\n```\n")
    first = line(root, CORE, "class Slot(")
    return f"{line(root, 'specs/extra.md', 'class Slot(')}: duplicate definition of 'Slot' (first at {first})"


def _row_without_yaml(root: Path) -> str:
    edit(root, "specs/presets/minimal/core.yaml", "HISTORY_LENGTH: 8\n", "")
    where = line(root, CORE, "`HISTORY_LENGTH`")
    return f"{where}: HISTORY_LENGTH has no value in specs/presets/minimal/core.yaml"


def _preset_yaml_without_row(root: Path) -> str:
    append(root, "specs/presets/mainnet/core.yaml", "EXTRA_KEY: 1\n")
    return "specs/presets/mainnet/core.yaml:3: EXTRA_KEY has no row in a spec table"


def _config_yaml_without_row(root: Path) -> str:
    append(root, "specs/configs/minimal.yaml", "# unused\nUNUSED: 5\n")
    return "specs/configs/minimal.yaml:4: UNUSED has no row in a spec table"


def _yaml_of_no_page(root: Path) -> str:
    (root / "specs/presets/minimal/gone.yaml").write_text("OLD: 1\n")
    return "specs/presets/minimal/gone.yaml:1: OLD has no row in a spec table"


def _unknown_preset_type(root: Path) -> str:
    edit(root, CORE, "`uint64(2**3)`", "`Slots(2**3)`")
    return f"{line(root, CORE, '`SLOTS_PER_EPOCH`')}: SLOTS_PER_EPOCH: unknown type 'Slots'"


def _unknown_config_type(root: Path) -> str:
    edit(root, CORE, "`uint64(6)`", "`Seconds(6)`")
    return f"{line(root, CORE, '`SECONDS_PER_SLOT`')}: SECONDS_PER_SLOT: unknown type 'Seconds'"


def _unknown_name_in_constant(root: Path) -> str:
    edit(root, CORE, "`Slot(0)`", "`Slott(0)`")
    return f"{line(root, CORE, '`GENESIS_SLOT`')}: NameError: name 'Slott' is not defined"


def _unknown_name_in_class(root: Path) -> str:
    edit(root, CORE, "    slot: Slot\n", "    slot: Slto\n")
    return f"{line(root, CORE, 'slot: Slto')}: NameError: name 'Slto' is not defined"


def _preset_differs(root: Path) -> str:
    edit(root, "specs/presets/minimal/core.yaml", "SLOTS_PER_EPOCH: 8", "SLOTS_PER_EPOCH: 16")
    where = line(root, CORE, "`SLOTS_PER_EPOCH`")
    return f"{where}: SLOTS_PER_EPOCH is 8 in the table but 16 in specs/presets/minimal/core.yaml"


def _config_differs(root: Path) -> str:
    edit(root, "specs/configs/mainnet.yaml", "SECONDS_PER_SLOT: 12", "SECONDS_PER_SLOT: 13")
    where = line(root, CORE, "`SECONDS_PER_SLOT`")
    return f"{where}: SECONDS_PER_SLOT is 12 in the table but 13 in specs/configs/mainnet.yaml"


def _config_bytes_differ(root: Path) -> str:
    edit(root, "specs/configs/minimal.yaml", "'0x0000000a'", "'0x0000000b'")
    where = line(root, CORE, "`FORK_VERSION`")
    return f"{where}: FORK_VERSION is 0x0000000a in the table but 0x0000000b in specs/configs/minimal.yaml"


def _not_typed(root: Path) -> str:
    edit(root, CORE, "`uint64(6)`", "`6`")
    where = line(root, CORE, "`SECONDS_PER_SLOT`")
    return f"{where}: SECONDS_PER_SLOT: value '6' must be written Type(expression)"


def _missing_column(root: Path) -> str:
    edit(root, CORE, "| Name | minimal | mainnet |\n", "| Name | minimal | main |\n")
    return f"{line(root, CORE, '| main |')}: table has no 'mainnet' column"


def _syntax(root: Path) -> str:
    edit(root, CORE, "return Slot(state.slot + 1)", "return Slot(state.slot +)")
    return f"{line(root, CORE, 'state.slot +)')}: invalid syntax"


def _constant_syntax(root: Path) -> str:
    edit(root, CORE, "`SLOTS_PER_EPOCH * 2`", "`SLOTS_PER_EPOCH * `")
    return f"{line(root, CORE, '`EPOCH_LENGTH`')}: invalid syntax in EPOCH_LENGTH: invalid syntax"


def _top_level(root: Path) -> str:
    edit(root, CORE, '    """A slot number."""\n', '    """A slot number."""\n\n\nLIMIT = 3\n')
    where = line(root, CORE, "LIMIT = 3")
    return f"{where}: top-level Assign statement: only def and class are allowed (constants go in tables)"


def _assert_without_message(root: Path) -> str:
    edit(root, CORE, ', "slot_overflow"', "")
    return f"{line(root, CORE, 'assert state.slot')}: {NO_REASON}"


def _assert_f_string(root: Path) -> str:
    edit(root, CORE, ', "slot_overflow"', ', f"slot {state.slot}"')
    return f"{line(root, CORE, 'assert state.slot')}: {NO_REASON}"


def _assert_not_snake_case(root: Path) -> str:
    edit(
        root,
        "specs/extra.md",
        "      return uint64(",
        '      assert slot, "Slot-Zero"\n      return uint64(',
    )
    return f"{line(root, 'specs/extra.md', 'Slot-Zero')}: {NO_REASON}"


def _cycle(root: Path) -> str:
    edit(root, CORE, "`Slot(0)`", "`Slot(EPOCH_LENGTH)`")
    edit(root, CORE, "`SLOTS_PER_EPOCH * 2`", "`GENESIS_SLOT * 2`")
    first, second = line(root, CORE, "`GENESIS_SLOT`"), line(root, CORE, "`EPOCH_LENGTH`")
    return f"{first}: dependency cycle: GENESIS_SLOT ({first}) -> EPOCH_LENGTH ({second}) -> GENESIS_SLOT"


def _missing_page(root: Path) -> str:
    append(root, "specs/pages.yaml", "  - missing.md\n")
    return "specs/pages.yaml: page 'missing.md' not found"


ERRORS = [
    _duplicate,
    _row_without_yaml,
    _preset_yaml_without_row,
    _config_yaml_without_row,
    _yaml_of_no_page,
    _unknown_preset_type,
    _unknown_config_type,
    _unknown_name_in_constant,
    _unknown_name_in_class,
    _preset_differs,
    _config_differs,
    _config_bytes_differ,
    _not_typed,
    _missing_column,
    _syntax,
    _constant_syntax,
    _top_level,
    _assert_without_message,
    _assert_f_string,
    _assert_not_snake_case,
    _cycle,
    _missing_page,
]


@pytest.mark.parametrize("make_error", ERRORS, ids=[f.__name__.strip("_") for f in ERRORS])
def test_error_names_file_and_line_and_keeps_the_old_modules(
    spec_root: Path, make_error: Callable[[Path], str]
) -> None:
    build(spec_root)
    before = outputs(spec_root)
    expected = make_error(spec_root)
    with pytest.raises(SpecError) as raised:
        build(spec_root)
    assert expected in str(raised.value).splitlines()
    assert raised.value.exit_code == 2
    assert outputs(spec_root) == before
    assert sorted(p.name for p in (spec_root / "altspec").iterdir()) == sorted(OUTPUTS)


def test_all_errors_are_reported_once_each(spec_root: Path) -> None:
    expected = [_duplicate(spec_root), _preset_differs(spec_root), _assert_f_string(spec_root)]
    with pytest.raises(SpecError) as raised:
        build(spec_root)
    lines = str(raised.value).splitlines()
    assert sorted(lines) == sorted(expected)  # the preset-independent ones not twice


def test_nothing_is_written_when_one_preset_fails(spec_root: Path) -> None:
    _preset_differs(spec_root)  # breaks minimal only
    with pytest.raises(SpecError):
        build(spec_root)
    assert not (spec_root / "altspec").exists()
