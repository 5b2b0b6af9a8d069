"""Decorators that turn a spec-test generator into a pytest test and a vector case.

A test module names the vector runner and handler its cases belong to::

    RUNNER = "sanity"
    HANDLER = "blocks"

    @spec_state_test
    def test_empty_block(spec, state):
        \"\"\"A block with no operations.\"\"\"
        ...
        yield "post", state

Each decorated test runs once per preset. `@never_bls` marks a test that turns signature
verification off for speed: it runs under pytest but is never written as a vector, because every
signature in a vector must be real.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

import pytest
from remerkleable.core import View

import altspec
from altspec import PRESETS
from altspec.crypto import bls
from altspec.testing.trace import paused

Part = tuple[str, Any]
TestBody = Callable[..., Iterator[Part] | None]


@dataclass(frozen=True)
class SpecTest:
    """What a decorated test knows about itself; the vector writer reads it."""

    body: TestBody
    presets: tuple[str, ...] = PRESETS
    with_state: bool = False
    bls_active: bool = True
    vector: bool = True
    handler: str | None = None
    suite: str | None = None
    case: str | None = None

    @property
    def name(self) -> str:
        return self.case or self.body.__name__.removeprefix("test_")

    @property
    def description(self) -> str:
        doc = (self.body.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else self.name.replace("_", " ")

    def parts(self, preset: str) -> Iterator[Part]:
        """Run the test for `preset`, yielding the parts of its vector, each as it was when
        yielded; the `pre` and `post` states must satisfy the spec's invariants
        (`check_invariants`, which is not counted among the functions a case exercises)."""
        spec = load_spec(preset)
        with bls.verification(self.bls_active):
            args: list[Any] = [spec]
            if self.with_state:
                from altspec.testing.genesis import genesis_state

                args.append(genesis_state(spec))
            result = self.body(*args)
            for name, value in result or ():
                if isinstance(value, View):
                    value = value.copy()  # the part as it is now, not as the test leaves it
                if name in ("pre", "post") and isinstance(value, spec.State):
                    with paused():
                        spec.check_invariants(value)
                yield name, value


def load_spec(preset: str) -> ModuleType:
    """The compiled spec module of `preset` (rebuilt first if a spec source changed)."""
    module: ModuleType = getattr(altspec, preset)
    return module


def _as_pytest(test: SpecTest) -> Callable[[str], None]:
    """A pytest test, parametrized by preset, that drains the parts."""

    @pytest.mark.parametrize("preset", test.presets)
    def run(preset: str) -> None:
        for _ in test.parts(preset):
            pass

    run.__name__ = test.body.__name__
    run.__doc__ = test.body.__doc__
    run.spec_test = test  # type: ignore[attr-defined]
    return run


def _decorate(with_state: bool) -> Callable[[TestBody], Callable[[str], None]]:
    def decorator(body: TestBody) -> Callable[[str], None]:
        return _as_pytest(SpecTest(body=body, with_state=with_state))

    return decorator


spec_test = _decorate(with_state=False)
"""A test that takes `spec` and builds its own state."""

spec_state_test = _decorate(with_state=True)
"""A test that takes `spec` and a fresh genesis `state`."""


def _modify(fn: Callable[[str], None], **changes: Any) -> Callable[[str], None]:
    test: SpecTest = fn.spec_test  # type: ignore[attr-defined]
    return _as_pytest(replace(test, **changes))


def with_presets(*presets: str) -> Callable[[Callable[[str], None]], Callable[[str], None]]:
    """Run (and write vectors) only for these presets. Put it above the test decorator."""
    unknown = set(presets) - set(PRESETS)
    if unknown:
        raise ValueError(f"unknown presets {sorted(unknown)}; choose from {list(PRESETS)}")
    return lambda fn: _modify(fn, presets=tuple(presets))


def never_bls(fn: Callable[[str], None]) -> Callable[[str], None]:
    """Turn signature verification off for this test; it is then not written as a vector."""
    return _modify(fn, bls_active=False, vector=False)


def always_bls(fn: Callable[[str], None]) -> Callable[[str], None]:
    """Insist on signature verification for this test (the default, stated for the reader)."""
    return _modify(fn, bls_active=True)


def spec_tests_of(module: ModuleType) -> list[SpecTest]:
    """The spec tests a test module defines, in definition order."""
    return [
        value.spec_test
        for value in vars(module).values()
        if callable(value) and hasattr(value, "spec_test")
    ]
