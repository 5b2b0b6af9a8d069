"""Constraints between preset and configuration values that the spec pages state in prose."""

import pytest

from altspec import PRESETS
from altspec.testing.context import load_spec


@pytest.mark.parametrize("preset", PRESETS)
def test_certificates_are_judged_while_stake_is_slashable(preset: str) -> None:
    """A certificate may be judged only while its committee is kept and before any signer's
    stake could have left (specs/mach.md, Configuration)."""
    spec = load_spec(preset)
    age = spec.config.INITIAL_MAX_CERTIFICATE_AGE_EPOCHS
    assert age < spec.COMMITTEE_HISTORY
    assert age < spec.config.INITIAL_ALT_COOLDOWN_EPOCHS
    assert age < spec.config.INITIAL_ETH_WITHDRAWAL_DELAY_EPOCHS


@pytest.mark.parametrize("preset", PRESETS)
def test_every_committee_fits(preset: str) -> None:
    """One committee per enabled service of every rollup fits in an epoch's snapshot."""
    spec = load_spec(preset)
    assert spec.MAX_COMMITTEES >= spec.MAX_ROLLUPS * spec.NUM_SERVICES
    assert spec.MAX_STAKER_WITHDRAWALS <= spec.MAX_QUEUED_WITHDRAWALS
