"""Helpers of the compiler tests: find a line in a spec tree, edit a file of it."""

from pathlib import Path


def line_of(root: Path, file: str, snippet: str) -> int:
    """The 1-based line of `file` (relative to `root`) that contains `snippet` (exactly once)."""
    lines = (root / file).read_text().splitlines()
    found = [n for n, line in enumerate(lines, 1) if snippet in line]
    assert len(found) == 1, f"{snippet!r} found on lines {found} of {file}"
    return found[0]


def edit(root: Path, file: str, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in `file` by `new`."""
    path = root / file
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
    path.write_text(text.replace(old, new))
