"""Writing the whole vector tree, and checking a committed tree against a fresh generation.

Generation runs every case on all cores with a progress bar, writes into a temporary directory
next to the target and swaps it in only when every case succeeded, so a failed generation leaves
the previous vectors in place.
"""

import hashlib
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from altspec import PRESETS
from altspec.compiler.build import ensure_built
from altspec.errors import AltspecError
from altspec.testing.context import load_spec
from altspec.vectors import FORK
from altspec.vectors.collect import CaseId, all_cases, run_case
from altspec.vectors.schema import schema_json

MANIFEST = "MANIFEST"
SPEC_VERSION = "0.1.0"


def generate_files(jobs: int | None = None, progress: bool = True) -> dict[str, bytes]:
    """Every vector file by relative path: the cases, a schema per preset, and the manifest."""
    ensure_built()
    cases = all_cases()
    files: dict[str, bytes] = {}
    for case_files in _run_all(cases, jobs or os.cpu_count() or 1, progress):
        files.update(case_files)
    for preset in PRESETS:
        files[f"{preset}/{FORK}/schema.json"] = schema_json(load_spec(preset), preset, FORK)
    files[MANIFEST] = manifest(files)
    return files


def _run_all(cases: list[CaseId], jobs: int, progress: bool) -> Iterable[dict[str, bytes]]:
    # disable=None: a bar on a terminal, none in logs
    bar = tqdm(total=len(cases), desc="vectors", unit="case", disable=None if progress else True,
               leave=False)
    if jobs == 1:
        for case in cases:
            yield run_case(case)
            bar.update()
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for result in pool.imap_unordered(run_case, cases, chunksize=4):
                yield result
                bar.update()
    bar.close()


def manifest(files: dict[str, bytes]) -> bytes:
    """One line per file, sorted by path: its SHA-256 and path; the first line names the spec
    version."""
    lines = [f"# altspec {SPEC_VERSION} test vectors, fork {FORK}: sha256 path"]
    lines += [f"{hashlib.sha256(data).hexdigest()}  {path}" for path, data in sorted(files.items())]
    return ("\n".join(lines) + "\n").encode()


def write_tree(files: dict[str, bytes], target: Path) -> None:
    """Replace the directory `target` with exactly `files`, all at once."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp", dir=target.parent))
    try:
        for path, data in files.items():
            file = staging / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        old = target.with_name(f"{target.name}.tmp-old")
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    """What differs between a fresh generation (`expected`) and a tree on disk (`actual`)."""
    missing = [f"missing: {path}" for path in sorted(expected.keys() - actual.keys())]
    extra = [f"not generated: {path}" for path in sorted(actual.keys() - expected.keys())]
    changed = [
        f"differs: {path}"
        for path in sorted(expected.keys() & actual.keys())
        if expected[path] != actual[path]
    ]
    return missing + extra + changed


def check_tree(target: Path, jobs: int | None = None, progress: bool = True) -> None:
    """Raise, naming the files, when `target` is not exactly a fresh generation."""
    found = differences(generate_files(jobs, progress), read_tree(target))
    if found:
        shown = "\n  ".join(found[:40]) + ("\n  ..." if len(found) > 40 else "")
        raise AltspecError(
            f"{len(found)} vector file(s) differ from a fresh generation "
            f"(run 'make vectors' and commit):\n  {shown}"
        )
