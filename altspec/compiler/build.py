"""Stage 4: compile `specs/` into `altspec/<preset>.py` and `altspec/<preset>.linemap.json`.

A SHA-256 over every input is written in the first line of each module; when every module
carries the current hash nothing is done. All problems of a build are reported together in
one `SpecError`, and nothing is written unless every preset compiles.
"""

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from altspec.compiler.emit import Module, header_line
from altspec.errors import SpecError
from altspec.paths import REPO_ROOT as ROOT

PACKAGE = ROOT / "altspec"


def build(root: Path | None = None, force: bool = False) -> bool:
    """Compile the spec under `root` (default: this repository); True when it rebuilt."""
    root = (root or ROOT).resolve()
    presets = preset_names(root)
    digest = source_hash(root)
    if not force and all(is_current(root, preset, digest) for preset in presets):
        return False
    modules = compile_spec(root, presets, digest)
    for preset, module in modules.items():
        write_atomic(output_path(root, preset, ".linemap.json"), module.linemap_json())
        write_atomic(output_path(root, preset, ".py"), module.text)
    return True


def ensure_built(root: Path | None = None) -> bool:
    """`build` for import time: cheap when nothing changed; a no-op without spec sources."""
    root = root or ROOT
    if not (root / "specs" / "pages.yaml").is_file():
        return False
    return build(root)


def output_path(root: Path, preset: str, suffix: str) -> Path:
    """`altspec/<preset>.py` or `altspec/<preset>.linemap.json` under `root`."""
    return root / "altspec" / f"{preset}{suffix}"


def preset_names(root: Path) -> list[str]:
    """The presets: the subdirectories of `specs/presets/`."""
    directory = root / "specs" / "presets"
    names = sorted(p.name for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []
    if not names:
        raise SpecError("specs/presets: no preset directories")
    return names


def _inputs(root: Path) -> Iterator[tuple[str, Path]]:
    """Every file the build reads, with a stable name: spec pages, YAML, compiler, ssz.py."""
    specs = root / "specs"
    for path in sorted([*specs.rglob("*.md"), *specs.rglob("*.yaml")]):
        yield path.relative_to(root).as_posix(), path
    for path in sorted([*(PACKAGE / "compiler").glob("*.py"), PACKAGE / "ssz.py"]):
        yield path.relative_to(PACKAGE).as_posix(), path


def source_hash(root: Path) -> str:
    """SHA-256 over the names and contents of every build input."""
    digest = hashlib.sha256()
    for name, path in _inputs(root):
        digest.update(f"{name}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_current(root: Path, preset: str, digest: str) -> bool:
    """Whether the module of `preset` and its line map exist and were built from `digest`."""
    module = output_path(root, preset, ".py")
    if not module.is_file() or not output_path(root, preset, ".linemap.json").is_file():
        return False
    with module.open(encoding="utf-8") as stream:
        return stream.readline().rstrip("\n") == header_line(digest)


def read_pages(root: Path) -> list[tuple[str, str]]:
    """`(file, text)` of each page listed in `specs/pages.yaml`, in order."""
    import yaml

    index = root / "specs" / "pages.yaml"
    if not index.is_file():
        raise SpecError("specs/pages.yaml: missing")
    listed = (yaml.safe_load(index.read_text(encoding="utf-8")) or {}).get("spec_pages")
    if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
        raise SpecError("specs/pages.yaml:1: expected spec_pages: [page.md, ...]")
    missing = [p for p in listed if not (root / "specs" / p).is_file()]
    if missing:
        raise SpecError("\n".join(f"specs/pages.yaml: page {p!r} not found" for p in missing))
    return [(f"specs/{p}", (root / "specs" / p).read_text(encoding="utf-8")) for p in listed]


def compile_spec(root: Path, presets: list[str], digest: str) -> dict[str, Module]:
    """The module of each preset, or a `SpecError` listing every problem one per line."""
    from altspec.compiler.emit import emit
    from altspec.compiler.model import load_model
    from altspec.compiler.parse import parse_page

    pages = [parse_page(text, file) for file, text in read_pages(root)]
    modules: dict[str, Module] = {}
    errors: list[str] = []
    for preset in presets:
        model = load_model(root, pages, preset)
        errors.extend(model.errors)
        if not model.errors:
            modules[preset] = emit(model, digest)
            errors.extend(check_module(modules[preset], preset))
    if errors:
        raise SpecError("\n".join(dict.fromkeys(errors)))
    return modules


def check_module(module: Module, preset: str) -> list[str]:
    """Compile and run a module's text in a fresh namespace; a failure at its Markdown line."""
    filename = f"altspec/{preset}.py"
    try:
        code = compile(module.text, filename, "exec")
    except SyntaxError as error:
        return [_located(module, filename, error.lineno or 1, f"invalid syntax: {error.msg}")]
    try:
        exec(code, {"__name__": f"altspec.{preset}"})
    except Exception as error:
        traceback = error.__traceback__
        line = 1
        while traceback is not None:
            if traceback.tb_frame.f_code.co_filename == filename:
                line = traceback.tb_lineno
            traceback = traceback.tb_next
        return [_located(module, filename, line, f"{type(error).__name__}: {error}")]
    return []


def _located(module: Module, filename: str, line: int, message: str) -> str:
    """`message` at the Markdown line of emitted `line`, or at the module line if unmapped."""
    file, line = module.linemap.get(line, (filename, line))
    return f"{file}:{line}: {message}"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
