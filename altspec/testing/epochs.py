"""Epoch-processing vectors: one step of `process_epoch` on a state at the last slot of an epoch.

The order of the steps is read from the spec itself: `process_epoch` is parsed and every call of
a spec function whose body only calls further steps (as `process_staking_epoch` does) is
expanded, so a step added to a spec page is picked up without touching this module.
"""

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from functools import cache
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_to_epoch_end
from altspec.testing.context import Part

ROOT_STEP = "process_epoch"
"""The spec function whose steps are expanded."""


def _step_calls(spec: ModuleType, function_name: str) -> list[str] | None:
    """The spec functions called by `function_name`, in order, when its body (after the
    docstring) is nothing but calls `step(state)` of spec functions; None otherwise."""
    function = getattr(spec, function_name)
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    definition = tree.body[0]
    assert isinstance(definition, ast.FunctionDef), function_name
    body = definition.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    parameter = definition.args.args[0].arg if definition.args.args else None
    calls = []
    for statement in body:
        if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
            return None
        call = statement.value
        if not (
            isinstance(call.func, ast.Name)
            and callable(getattr(spec, call.func.id, None))
            and len(call.args) == 1
            and not call.keywords
            and isinstance(call.args[0], ast.Name)
            and call.args[0].id == parameter
        ):
            return None
        calls.append(call.func.id)
    return calls or None


def _expand(spec: ModuleType, function_name: str) -> list[tuple[str, tuple[str, ...]]]:
    """The leaf steps of `function_name` in execution order, each with the names of the
    composite steps that contain it (outermost first)."""
    calls = _step_calls(spec, function_name)
    if calls is None:
        return [(function_name, ())]
    return [
        (leaf, (function_name, *parents))
        for call in calls
        for leaf, parents in _expand(spec, call)
    ]


@cache
def _epoch_steps_of(spec: ModuleType) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(_expand(spec, ROOT_STEP))


def epoch_steps(spec: ModuleType) -> list[str]:
    """The leaf steps of `process_epoch`, in the order the spec runs them."""
    return [leaf for leaf, _ in _epoch_steps_of(spec)]


def steps_before(spec: ModuleType, function_name: str) -> list[str]:
    """The leaf steps of `process_epoch` that run before `function_name` (a leaf step, or a
    composite step such as `process_staking_epoch`, whose first leaf then bounds the list)."""
    steps = _epoch_steps_of(spec)
    for position, (leaf, parents) in enumerate(steps):
        if function_name == leaf or function_name in parents[1:]:
            return [name for name, _ in steps[:position]]
    known = sorted({name for leaf, parents in steps for name in (leaf, *parents[1:])})
    raise ValueError(f"{function_name} is not a step of {ROOT_STEP}; steps: {known}")


def prepare_epoch_processing(spec: ModuleType, state: Any, function_name: str) -> None:
    """Move `state` to the last slot of its epoch and run `process_slot` and every step of
    `process_epoch` before `function_name`, as `process_slots` would."""
    steps = steps_before(spec, function_name)
    advance_to_epoch_end(spec, state)
    spec.process_slot(state)
    for step in steps:
        getattr(spec, step)(state)


def run_epoch_processing(spec: ModuleType, state: Any, function_name: str) -> Iterator[Part]:
    """Yield an epoch_processing vector: `pre` (the state at the last slot of its epoch after
    `process_slot` and the earlier steps), then `post` (after `function_name`).

    `state` is left as the post-state; `post` is yielded as a copy, so a test may go on using
    `state` (for instance to move to the next slot) without changing the vector.
    """
    prepare_epoch_processing(spec, state, function_name)
    yield "pre", state.copy()
    process: Callable[[Any], None] = getattr(spec, function_name)
    process(state)
    yield "post", state.copy()
