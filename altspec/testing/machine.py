"""Reusable pieces of the spec's hypothesis state machines (tests/properties/).

A state machine drives random sequences of operations, valid and invalid, through the compiled
spec. Each operation is applied as a block would apply it: to a copy of the state that is adopted
only when the operation is accepted (`apply_atomically`). A rejection must be a reason-coded
`assert` whose code is listed in a *Reason codes* table of the spec (`reason_codes`), and must
leave the state byte-for-byte unchanged; any other exception is a spec bug. After every step the
machine runs the spec's invariants (`check_step`).

The number of examples comes from the environment (`fuzz_settings`): the default run is small
and derandomized, so `make test` is fast and deterministic; `ALTSPEC_FUZZ_EXAMPLES=N` (set by
`make fuzz`) runs a random campaign of `N` examples.
"""

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from hypothesis import Phase, settings

from altspec.compiler.reasons import block_reason_codes
from altspec.paths import REPO_ROOT
from altspec.testing import outcomes

FUZZ_EXAMPLES_ENV = "ALTSPEC_FUZZ_EXAMPLES"
"""The environment variable that turns a default run into a random campaign of N examples."""




def fuzz_examples(default: int, share: float = 1.0) -> int:
    """The number of examples: `default`, or in a campaign `share` of `ALTSPEC_FUZZ_EXAMPLES`
    (at least one), for a machine whose examples cost more than the others'."""
    value = os.environ.get(FUZZ_EXAMPLES_ENV, "").strip()
    return max(1, round(int(value) * share)) if value else default


def is_campaign() -> bool:
    """Whether this run is a random fuzz campaign (`ALTSPEC_FUZZ_EXAMPLES` is set)."""
    return bool(os.environ.get(FUZZ_EXAMPLES_ENV, "").strip())


def fuzz_settings(default_examples: int, step_count: int, share: float = 1.0) -> settings:
    """Hypothesis settings for a state machine: `default_examples` derandomized examples (the
    same every run, no example database, no targeting phase, so CI is fast and deterministic),
    or a random campaign of `share` of `ALTSPEC_FUZZ_EXAMPLES` examples, with every phase
    (targeting included) and the example database that keeps its failures."""
    if is_campaign():
        return settings(
            max_examples=fuzz_examples(default_examples, share),
            stateful_step_count=step_count,
            deadline=None,
            print_blob=True,
        )
    return settings(
        max_examples=default_examples,
        stateful_step_count=step_count,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        print_blob=True,
    )


@cache
def reason_codes() -> frozenset[str]:
    """The codes with which the spec may reject an operation or a block: every asserted reason
    code but the invariant checks' (tests/tools/test_reason_coverage.py checks that each is
    listed in its page's *Reason codes* table)."""
    return frozenset(block_reason_codes(REPO_ROOT))


class SpecCrash(AssertionError):
    """The spec raised something other than a reason-coded assert, or rejected with a code that
    no *Reason codes* table lists, or changed the state while rejecting."""


@dataclass
class MachineStats:
    """What a state machine did over a whole session: examples, operations by outcome, the
    reason codes of the rejections and how often interesting situations were reached."""

    name: str
    examples: int = 0
    accepted: int = 0
    rejected: int = 0
    violations: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    reached: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def operations(self) -> int:
        return self.accepted + self.rejected

    def summary(self) -> str:
        """The one-line summary of the session."""
        return (
            f"{self.name}: {self.examples} examples, {self.operations} operations "
            f"({self.accepted} accepted, {self.rejected} rejected), "
            f"invariant violations: {self.violations}"
        )

    def details(self) -> str:
        """The reachability counters and the rejection reasons, one line each."""
        reached = ", ".join(f"{key}={value}" for key, value in sorted(self.reached.items()))
        reasons = ", ".join(f"{key}={value}" for key, value in self.reasons.most_common())
        return f"  reached: {reached or '-'}\n  rejections: {reasons or '-'}"


def apply_atomically(
    state: Any, kind: str, apply: Callable[[Any], None], stats: MachineStats | None = None
) -> str | None:
    """Apply an operation as a block would: `apply(post)` on a copy `post` of `state`, adopted
    only when it returns. Return None when accepted, or the reason code of the rejection.

    Raises `SpecCrash` when the spec fails with anything but an `AssertionError`, rejects with a
    code listed in no *Reason codes* table (the `invariant_*` codes included), or the rejection
    changed `state`.
    """
    root = state.hash_tree_root()
    try:
        outcomes.apply_atomically(state, apply)
    except AssertionError as error:
        reason = str(error)
        if reason not in reason_codes():
            raise SpecCrash(f"{kind}: rejected with undocumented reason {reason!r}") from error
        if state.hash_tree_root() != root:
            raise SpecCrash(f"{kind}: rejected with {reason!r} but the state changed") from error
        if stats is not None:
            stats.rejected += 1
            stats.reasons[reason] += 1
            stats.kinds[f"{kind}: {reason}"] += 1
        return reason
    except Exception as error:
        raise SpecCrash(f"{kind}: raised {type(error).__name__}: {error}") from error
    if stats is not None:
        stats.accepted += 1
        stats.kinds[f"{kind}: accepted"] += 1
    return None


def process_slots(spec: ModuleType, state: Any, slot: Any) -> None:
    """`spec.process_slots(state, slot)`, which must never fail on a slot in the future: empty
    slots cannot be refused, so an exception there would halt the chain for good (`SpecCrash`)."""
    try:
        spec.process_slots(state, slot)
    except Exception as error:
        message = f"process_slots to slot {int(slot)}: {type(error).__name__}: {error}"
        raise SpecCrash(message) from error


def transition_checks(spec: ModuleType) -> list[Callable[[Any, Any], None]]:
    """Every `check_*_transition(pre, post)` function the spec defines."""
    names = sorted(n for n in vars(spec) if n.startswith("check_") and n.endswith("_transition"))
    return [getattr(spec, name) for name in names]


def check_step(spec: ModuleType, pre: Any, post: Any, stats: MachineStats | None = None) -> None:
    """Run the spec's invariants on `post` and every transition check from `pre` to `post`;
    count a failure as an invariant violation and re-raise it."""
    try:
        spec.check_invariants(post)
        for check in transition_checks(spec):
            check(pre, post)
    except Exception:
        if stats is not None:
            stats.violations += 1
        raise
