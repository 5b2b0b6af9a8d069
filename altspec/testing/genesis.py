"""Genesis states for tests."""

from types import ModuleType
from typing import Any

GENESIS_TIME = 1_700_000_000
"""The genesis time of every test state (a fixed date, so vectors are reproducible)."""


def genesis_state(spec: ModuleType) -> Any:
    """The spec's genesis state at `GENESIS_TIME`."""
    return spec.initialize_state(spec.Timestamp(GENESIS_TIME))
