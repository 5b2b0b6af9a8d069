"""Stage 5: locations in the compiled modules rewritten to Markdown lines."""

import json
from pathlib import Path

import pytest

from altspec.compiler.build import build
from altspec.compiler.linemap import load_linemap, translate
from tests.compiler.helpers import line_of


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A root with a line map for `minimal` only: emitted lines 10 and 11."""
    (tmp_path / "altspec").mkdir()
    linemap = {"10": ["specs/core.md", 40], "11": ["specs/extra.md", 7]}
    (tmp_path / "altspec" / "minimal.linemap.json").write_text(json.dumps(linemap))
    return tmp_path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("altspec/minimal.py:10: error: bad", "specs/core.md:40: error: bad"),
        ("altspec/minimal.py:11:5: F821 undefined", "specs/extra.md:7:5: F821 undefined"),
        ("/work/x/altspec/minimal.py:10: in f", "/work/x/specs/core.md:40: in f"),
        (
            '  File "/w/altspec/minimal.py", line 11, in f',
            '  File "/w/specs/extra.md", line 7, in f',
        ),
        ('File "altspec/minimal.py", line 10', 'File "specs/core.md", line 40'),
        ("altspec/minimal.py:12: unmapped", "altspec/minimal.py:12: unmapped"),
        ('File "altspec/minimal.py", line 3', 'File "altspec/minimal.py", line 3'),
        ("altspec/mainnet.py:10: never built", "altspec/mainnet.py:10: never built"),
        ("myaltspec/minimal.py:10: other package", "myaltspec/minimal.py:10: other package"),
        ("altspec/cli.py:10: not a preset", "altspec/cli.py:10: not a preset"),
    ],
)
def test_translate(root: Path, text: str, expected: str) -> None:
    assert translate(text, root) == expected


def test_translate_many_lines(root: Path) -> None:
    text = "a altspec/minimal.py:10: x\nb altspec/minimal.py:11: y\nFound 2 errors\n"
    assert translate(text, root) == "a specs/core.md:40: x\nb specs/extra.md:7: y\nFound 2 errors\n"


def test_load_linemap(root: Path) -> None:
    assert load_linemap(root, "minimal")["10"] == ("specs/core.md", 40)
    assert load_linemap(root, "mainnet") == {}


def test_translate_with_a_built_line_map(spec_root: Path) -> None:
    build(spec_root)
    lines = (spec_root / "altspec" / "mainnet.py").read_text().splitlines()
    number = next(n for n, text in enumerate(lines, 1) if "def next_slot(" in text)
    markdown = line_of(spec_root, "specs/core.md", "def next_slot(")
    assert (
        translate(f"altspec/mainnet.py:{number}: error", spec_root)
        == f"specs/core.md:{markdown}: error"
    )
