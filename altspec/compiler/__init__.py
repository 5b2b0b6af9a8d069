"""The spec compiler: `specs/*.md` and their YAML presets to `altspec/<preset>.py`.

Stages, each usable on its own: `parse` (Markdown to code blocks and definition tables),
`model` (definitions, checks, dependency order), `emit` (module text and line map), `build`
(hashing, caching, atomic writes) and `linemap` (compiled-module locations to Markdown lines).
The contract with spec authors is docs/authoring.md.
"""

from altspec.compiler.build import build, ensure_built
from altspec.compiler.linemap import translate

__all__ = ["build", "ensure_built", "translate"]
