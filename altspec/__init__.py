"""altspec: the executable specification of AltLayer's restaked-rollup services.

`from altspec import minimal as spec` (or `mainnet`) gives the spec compiled with that preset.
The modules are generated from `specs/` by `altspec build`; importing one through this package
rebuilds it first when a spec source changed, so it is never stale.
"""

from types import ModuleType

PRESETS = ("minimal", "mainnet")


def __getattr__(name: str) -> ModuleType:
    if name not in PRESETS:
        raise AttributeError(f"module 'altspec' has no attribute {name!r}")
    import importlib

    from altspec.compiler.build import ensure_built

    ensure_built()
    return importlib.import_module(f"altspec.{name}")
