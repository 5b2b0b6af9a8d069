"""`altspec diff`: what a change does to the spec, for its reviewer. Compares the working tree
with a git revision: the definitions (functions, types, constants, preset and configuration
values) added, removed or changed, and the vector cases whose files differ."""

import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from altspec.compiler.build import read_pages
from altspec.compiler.model import Definition, load_model
from altspec.compiler.parse import parse_page
from altspec.errors import AltspecError

MANIFEST = "tests/vectors/MANIFEST"


@dataclass(frozen=True)
class Change:
    """One line of the report: what changed (`added`, `removed`, `changed`) and where."""

    kind: str
    name: str
    where: str


def git(root: Path, *args: str) -> bytes:
    """The output of a git command in `root`, or a one-line error."""
    run = subprocess.run(["git", *args], cwd=root, capture_output=True)
    if run.returncode != 0:
        raise AltspecError(f"git {' '.join(args)}: {run.stderr.decode().strip()}")
    return run.stdout


def definitions(root: Path) -> dict[str, Definition]:
    """The definitions of the spec under `root` (mainnet preset: the values a deployment uses)."""
    pages = [parse_page(text, file) for file, text in read_pages(root)]
    model = load_model(root, pages, "mainnet")
    return {d.name: d for d in model.definitions}


def definitions_at(root: Path, revision: str) -> dict[str, Definition]:
    """The definitions of the spec as it was at `revision`."""
    archive = git(root, "archive", "--format=tar", revision, "specs")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tmp, filter="data")
        return definitions(Path(tmp))


def definition_changes(old: dict[str, Definition], new: dict[str, Definition]) -> list[Change]:
    """Definitions added, removed, or whose code or value changed (moves alone do not count)."""
    changes = [Change("added", n, new[n].where) for n in sorted(new.keys() - old.keys())]
    changes += [Change("removed", n, old[n].where) for n in sorted(old.keys() - new.keys())]
    changes += [
        Change("changed", n, new[n].where)
        for n in sorted(old.keys() & new.keys())
        if old[n].source != new[n].source
    ]
    return changes


def manifest_cases(text: str) -> dict[str, set[str]]:
    """Case directory -> the `sha256  file` lines of its files, from a MANIFEST."""
    cases: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            digest, path = line.split("  ", 1)
            case, _, name = path.rpartition("/")
            cases.setdefault(case, set()).add(f"{digest} {name}")
    return cases


def vector_changes(old: str, new: str) -> list[Change]:
    """Vector cases added, removed, or with any file changed, between two MANIFESTs."""
    before, after = manifest_cases(old), manifest_cases(new)
    changes = [Change("added", c, "tests/vectors") for c in sorted(after.keys() - before.keys())]
    changes += [Change("removed", c, "tests/vectors") for c in sorted(before.keys() - after.keys())]
    changes += [
        Change("changed", c, "tests/vectors")
        for c in sorted(before.keys() & after.keys())
        if before[c] != after[c]
    ]
    return changes


def report(root: Path, revision: str) -> str:
    """The review report of the working tree against `revision`."""
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except AltspecError:
        raise AltspecError(f"unknown git revision {revision!r}") from None
    spec = definition_changes(definitions_at(root, revision), definitions(root))
    old_manifest = git(root, "show", f"{revision}:{MANIFEST}").decode()
    vectors = vector_changes(old_manifest, (root / MANIFEST).read_text())
    lines = [f"spec definitions changed since {revision}: {len(spec)}"]
    lines += [f"  {c.kind:<8} {c.name}  ({c.where})" for c in spec]
    lines.append(f"vector cases changed since {revision}: {len(vectors)}")
    lines += [f"  {c.kind:<8} {c.name}" for c in vectors]
    return "\n".join(lines) + "\n"
