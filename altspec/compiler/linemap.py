"""Stage 5: rewrite locations in the compiled modules into the Markdown lines they came from.

`translate` turns `altspec/minimal.py:123` (with or without a path prefix, as mypy, ruff and
pytest print it) and `File ".../altspec/minimal.py", line 123` (Python tracebacks) into
`specs/core.md:45`, using `altspec/<preset>.linemap.json`. Unmapped locations are kept.
"""

import json
import re
from pathlib import Path

_PATH = r"(?P<prefix>[^\s\"'(]*?)(?<![\w.-])altspec/(?P<preset>\w+)\.py"
_COLON = re.compile(_PATH + r":(?P<line>\d+)")
_TRACEBACK = re.compile(r'File "' + _PATH + r'", line (?P<line>\d+)')

LineMap = dict[str, tuple[str, int]]


def load_linemap(root: Path, preset: str) -> LineMap:
    """The line map of a preset (empty when it was never built)."""
    path = root / "altspec" / f"{preset}.linemap.json"
    if not path.is_file():
        return {}
    return {line: (file, md_line) for line, (file, md_line) in json.loads(path.read_text()).items()}


def translate(text: str, root: Path) -> str:
    """`text` with every mapped location in a compiled module replaced by its Markdown line."""
    maps: dict[str, LineMap] = {}

    def lookup(match: re.Match[str]) -> tuple[str, int] | None:
        """The Markdown origin of a matched location, with the path prefix kept."""
        preset = match["preset"]
        if preset not in maps:
            maps[preset] = load_linemap(root, preset)
        origin = maps[preset].get(match["line"])
        return None if origin is None else (match["prefix"] + origin[0], origin[1])

    def colon(match: re.Match[str]) -> str:
        """`path:line` form."""
        origin = lookup(match)
        return match[0] if origin is None else f"{origin[0]}:{origin[1]}"

    def traceback(match: re.Match[str]) -> str:
        """`File "path", line N` form."""
        origin = lookup(match)
        return match[0] if origin is None else f'File "{origin[0]}", line {origin[1]}'

    return _COLON.sub(colon, _TRACEBACK.sub(traceback, text))
