"""operations/claim_rewards: `process_claim_rewards`, paying out a sender's unclaimed ALT
rewards as a staker and as an operator's owner."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, spec_state_test
from altspec.testing.operations import delegate, register_operators, staker
from altspec.testing.outcomes import run_operation
from altspec.testing.staking import ALT, account, owner, register_rollup

RUNNER = "operations"
HANDLER = "claim_rewards"


def claim_case(
    spec: ModuleType, state: Any, sender: Any, reason: str | None = None
) -> Iterator[Part]:
    """Yield the `process_claim_rewards` vector for `sender`."""
    operation = spec.ClaimRewards(sender=spec.Address(sender))
    yield from run_operation(spec, state, "claim_rewards", operation,
                             spec.process_claim_rewards, reason)


def rewarded_state(spec: ModuleType, state: Any, self_stake: bool = True) -> None:
    """Operator 0 (with 200,000 ALT and 32 ETH of its owner's stake unless `self_stake` is
    false) and its delegator, account 1 (100,000 ALT and 32 ETH), serve every service of a
    rollup through one rewarded epoch: both have unclaimed rewards."""
    rollup = register_rollup(spec, state)
    register_operators(spec, state, 1)
    if self_stake:
        delegate(spec, state, owner(spec, 0), 0, (200_000 * ALT, 32 * ALT))
    delegate(spec, state, account(1), 0, (100_000 * ALT, 32 * ALT))
    for service in range(int(spec.NUM_SERVICES)):
        spec.process_opt_in(state, spec.OptIn(
            sender=owner(spec, 0), operator_index=0, rollup_id=rollup, service=service))
    advance_epochs(spec, state, 2)
    assert state.operators[0].rewards > 0 and staker(spec, state, account(1)).rewards > 0


@spec_state_test
def test_claim_delegator_rewards(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A delegator claims its rewards: they are paid out of the ALT ledger and the operator's are untouched."""
    rewarded_state(spec, state)
    rewards = int(staker(spec, state, account(1)).rewards)
    commission = int(state.operators[0].rewards)
    paid = int(state.ledgers[spec.ALT_STRATEGY].paid)
    reserve = int(state.reward_reserve)
    yield from claim_case(spec, state, account(1))
    assert staker(spec, state, account(1)).rewards == 0
    assert state.ledgers[spec.ALT_STRATEGY].paid == paid + rewards
    assert state.operators[0].rewards == commission
    assert state.reward_reserve == reserve


@spec_state_test
def test_claim_owner_stake_and_commission(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator's owner claims its rewards as a staker and its operator's commission together."""
    rewarded_state(spec, state)
    total = int(staker(spec, state, owner(spec, 0)).rewards) + int(state.operators[0].rewards)
    paid = int(state.ledgers[spec.ALT_STRATEGY].paid)
    delegator = int(staker(spec, state, account(1)).rewards)
    yield from claim_case(spec, state, owner(spec, 0))
    assert staker(spec, state, owner(spec, 0)).rewards == 0
    assert state.operators[0].rewards == 0
    assert state.ledgers[spec.ALT_STRATEGY].paid == paid + total
    assert staker(spec, state, account(1)).rewards == delegator


@spec_state_test
def test_claim_commission_without_staker_record(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator's owner that never staked claims its operator's commission."""
    rewarded_state(spec, state, self_stake=False)
    assert spec.find_staker(state, owner(spec, 0)) is None
    commission = int(state.operators[0].rewards)
    yield from claim_case(spec, state, owner(spec, 0))
    assert state.operators[0].rewards == 0
    assert state.ledgers[spec.ALT_STRATEGY].paid == commission


@spec_state_test
def test_invalid_nothing_to_claim(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A delegator claims a second time with no new rewards."""
    rewarded_state(spec, state)
    spec.process_claim_rewards(state, spec.ClaimRewards(sender=spec.Address(account(1))))
    yield from claim_case(spec, state, account(1), reason="nothing_to_claim")
