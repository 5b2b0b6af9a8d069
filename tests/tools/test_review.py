"""`altspec diff`: definitions and vector cases changed between two revisions."""

from altspec.compiler.model import Definition
from altspec.paths import REPO_ROOT
from altspec.review import Change, definition_changes, report, vector_changes


def definition(name: str, source: str, line: int = 1) -> Definition:
    return Definition(name, "function", "specs/x.md", line, source)


def test_definition_changes_ignore_moves() -> None:
    old = {"f": definition("f", "a"), "g": definition("g", "b"), "h": definition("h", "c")}
    new = {"f": definition("f", "a", line=9), "g": definition("g", "B"), "k": definition("k", "d")}
    assert definition_changes(old, new) == [
        Change("added", "k", "specs/x.md:1"),
        Change("removed", "h", "specs/x.md:1"),
        Change("changed", "g", "specs/x.md:1"),
    ]


def test_vector_changes_by_case() -> None:
    old = "# header\naa  m/a/x.yaml\nbb  m/a/y.yaml\ncc  m/b/x.yaml\n"
    new = "# header\naa  m/a/x.yaml\nbX  m/a/y.yaml\ndd  m/c/x.yaml\n"
    assert vector_changes(old, new) == [
        Change("added", "m/c", "tests/vectors"),
        Change("removed", "m/b", "tests/vectors"),
        Change("changed", "m/a", "tests/vectors"),
    ]


def test_report_against_head_has_both_sections() -> None:
    text = report(REPO_ROOT, "HEAD")
    assert text.startswith("spec definitions changed since HEAD:")
    assert "vector cases changed since HEAD:" in text
