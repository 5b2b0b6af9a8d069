"""Which spec functions a vector case exercises.

During vector generation every function of a spec module is wrapped (once per process) so that a
call records its name while a recording is open. Spec functions call each other through the
module's globals, so the wrappers see every call between spec functions; the cost is one set
insertion per spec call, nothing per call inside the libraries.
"""

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

_recording: set[str] | None = None


def _recorder(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        if _recording is not None:
            _recording.add(name)
        return function(*args, **kwargs)

    return call


def instrument(spec: ModuleType) -> None:
    """Wrap every function the spec module defines (idempotent)."""
    if getattr(spec, "_altspec_instrumented", False):
        return
    for name, value in list(vars(spec).items()):
        if inspect.isfunction(value) and value.__module__ == spec.__name__:
            setattr(spec, name, _recorder(name, value))
    spec._altspec_instrumented = True  # type: ignore[attr-defined]


@contextmanager
def recording(spec: ModuleType) -> Iterator[set[str]]:
    """Collect the names of the spec functions called while the context is open."""
    global _recording
    instrument(spec)
    previous, _recording = _recording, set()
    try:
        yield _recording
    finally:
        _recording = previous


@contextmanager
def paused() -> Iterator[None]:
    """Record nothing while the context is open (for the framework's own checks)."""
    global _recording
    previous, _recording = _recording, None
    try:
        yield
    finally:
        _recording = previous
