"""sanity/blocks: sequences of real blocks mixing every kind of staking and rollup operation,
across epoch boundaries: onboarding, activation, rewards, withdrawals after their delay, claims,
and invalid blocks at the end of a valid sequence."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import apply_block, build_block
from altspec.testing.context import Part, spec_state_test, with_presets
from altspec.testing.outcomes import run_blocks
from altspec.testing.staking import ALT, account, owner, register_operation

RUNNER = "sanity"
HANDLER = "blocks"

ROLLUP_OWNER = account(0xA0)
FEE_PAYER = account(0xF0)
DELEGATORS = (account(1), account(2))


# --- building blocks ----------------------------------------------------------------------------


def minimums(state: Any) -> tuple[int, int]:
    """The minimum ALT and ETH weights of an active operator."""
    weights = state.params.staking.min_weights
    return int(weights[0]), int(weights[1])


def unsealed_block(spec: ModuleType, state: Any, slot: int | None = None, **body: Any) -> Any:
    """A block at `slot` (default: the next slot) extending the latest block, whose state root
    cannot be computed because the block is invalid (it is left zero)."""
    slot = spec.Slot(state.slot + 1 if slot is None else slot)
    ahead = state.copy()
    spec.process_slots(ahead, slot)
    return spec.Block(slot=slot, parent_root=spec.hash_tree_root(ahead.latest_block_header),
                      body=spec.BlockBody(**body))


def epoch_start(spec: ModuleType, state: Any, epochs: int = 1) -> int:
    """The first slot `epochs` epochs after the state's epoch."""
    return int((spec.get_current_epoch(state) + epochs) * spec.SLOTS_PER_EPOCH)


def services_bits(spec: ModuleType, services: tuple[int, ...]) -> Any:
    return spec.Bitvector[spec.NUM_SERVICES](*[s in services for s in range(int(spec.NUM_SERVICES))])


def onboarding(spec: ModuleType, state: Any, operators: int = 3,
               services: tuple[int, ...] = (0, 1, 2), fee_rate: int = 2 * ALT,
               delegators: tuple[Any, ...] = DELEGATORS) -> dict[str, Any]:
    """The body of one block that registers a rollup (the next rollup id) and `operators`
    operators (the next indices), stakes each with twice both minimums (ALT and beacon ETH, the
    last one part in liquid-staking ETH), delegates each to itself, adds `delegators` to the
    first, and opts every operator in to every service of the rollup."""
    alt, eth = minimums(state)
    rollup_id = len(state.rollups)
    first = len(state.operators)
    indices = range(first, first + operators)
    deposits, delegations, opt_ins = [], [], []
    for index in indices:
        sender = owner(spec, index)
        deposits.append(spec.Deposit(sender=sender, strategy=spec.ALT_STRATEGY, amount=2 * alt))
        deposits.append(spec.Deposit(sender=sender, strategy=spec.BEACON_ETH_STRATEGY, amount=2 * eth))
        delegations.append(spec.Delegate(sender=sender, operator_index=index))
        opt_ins += [spec.OptIn(sender=sender, operator_index=index, rollup_id=rollup_id, service=s)
                    for s in services]
    deposits.append(spec.Deposit(sender=owner(spec, indices[-1]), strategy=spec.LST_ETH_STRATEGY,
                                 amount=eth))
    for number, delegator in enumerate(delegators, start=1):
        deposits.append(spec.Deposit(sender=delegator, strategy=spec.ALT_STRATEGY,
                                     amount=number * alt // 3))
        deposits.append(spec.Deposit(sender=delegator, strategy=spec.LST_ETH_STRATEGY,
                                     amount=number * eth // 7))
        delegations.append(spec.Delegate(sender=delegator, operator_index=first))
    return {
        "register_rollups": [spec.RegisterRollup(sender=ROLLUP_OWNER,
                                                 services=services_bits(spec, services),
                                                 fee_rate=fee_rate)],
        "register_operators": [register_operation(spec, state, index) for index in indices],
        "deposits": deposits,
        "delegations": delegations,
        "opt_ins": opt_ins,
    }


class Chain:
    """A working copy of the state that blocks are built on and applied to in order."""

    def __init__(self, spec: ModuleType, state: Any) -> None:
        self.spec = spec
        self.state = state.copy()
        self.blocks: list[Any] = []

    def block(self, slot: int | None = None, **body: Any) -> Any:
        block = apply_block(self.spec, self.state, slot, **body)
        self.blocks.append(block)
        return block

    def next_epoch(self, epochs: int = 1, **body: Any) -> Any:
        """A block at the first slot `epochs` epochs later."""
        return self.block(epoch_start(self.spec, self.state, epochs), **body)

    def invalid(self, slot: int | None = None, **body: Any) -> None:
        """End the sequence with an invalid block."""
        self.blocks.append(unsealed_block(self.spec, self.state, slot, **body))


def alt_rewards(state: Any) -> int:
    """All unclaimed ALT rewards."""
    return sum(int(s.rewards) for s in state.stakers) + sum(int(op.rewards) for op in state.operators)


# --- valid sequences ----------------------------------------------------------------------------


@spec_state_test
def test_onboarding_in_one_block(spec: ModuleType, state: Any) -> Iterator[Part]:
    """One block registers a rollup and three operators, deposits, delegates and opts in."""
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state))
    yield from run_blocks(spec, state, chain.blocks)
    assert len(state.rollups) == 1 and len(state.operators) == 3
    assert len(state.stakers) == 5
    assert all(len(op.services) == 3 and not op.active for op in state.operators)
    assert state.stakers[3].operator == 0 and state.stakers[3].free[0] == 0


@spec_state_test
def test_activation_and_first_rewards(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Operators onboarded in one epoch are active in the next, serve in its committees, and are paid at its end."""
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state))
    chain.next_epoch()
    assert all(op.active for op in chain.state.operators)
    assert len(spec.get_committee(chain.state, 0, spec.SERVICE_MACH, 1).members) == 3
    assert alt_rewards(chain.state) == 0
    chain.next_epoch()
    reserve = int(state.reward_reserve)
    yield from run_blocks(spec, state, chain.blocks)
    # One epoch's emission, less the rounding remainders that returned to the reserve.
    assert alt_rewards(state) == reserve - int(state.reward_reserve)
    assert 0 <= int(state.params.staking.reward_per_epoch) - alt_rewards(state) < 100
    assert all(op.rewards > 0 for op in state.operators)


@spec_state_test
def test_fees_rewards_and_claims(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Fees paid into a rollup flow to its committees each epoch; owners and delegators claim their rewards."""
    fee = 3 * ALT
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state, fee_rate=fee))
    chain.block(fee_payments=[spec.PayServiceFees(sender=FEE_PAYER, rollup_id=0, amount=5 * fee)])
    chain.next_epoch()
    chain.next_epoch(epochs=2)  # two epochs of emission and fees
    assert chain.state.rollups[0].fee_balance == 3 * fee
    claimants = [owner(spec, 0), owner(spec, 2), DELEGATORS[1]]
    owed = alt_rewards(chain.state)
    chain.block(reward_claims=[spec.ClaimRewards(sender=c) for c in claimants])
    paid = int(chain.state.ledgers[spec.ALT_STRATEGY].paid)
    assert 0 < paid < owed
    assert alt_rewards(chain.state) == owed - paid
    yield from run_blocks(spec, state, chain.blocks)
    assert state.operators[0].rewards == 0 and state.stakers[0].rewards == 0
    assert state.operators[1].rewards > 0


@with_presets("minimal")  # the withdrawal delays are thousands of epochs on mainnet
@spec_state_test
def test_withdrawals_after_delay(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Stake queued for withdrawal (one queue, one undelegation) is paid out only once each strategy's delay has passed."""
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state))
    chain.next_epoch()
    alt, eth = minimums(chain.state)
    chain.block(
        undelegations=[spec.Undelegate(sender=DELEGATORS[0])],
        queued_withdrawals=[
            spec.QueueWithdrawal(sender=owner(spec, 1), strategy=spec.ALT_STRATEGY, shares=alt),
            spec.QueueWithdrawal(sender=owner(spec, 1), strategy=spec.BEACON_ETH_STRATEGY, shares=eth),
        ],
    )
    # The delegator queued ALT and LST ETH; the owner of operator 1 ALT and beacon ETH.
    withdrawals = {int(w.id): (bytes(w.staker), int(w.strategy), int(w.withdrawable_epoch))
                   for w in chain.state.withdrawals}
    assert len(withdrawals) == 4
    eth_ready = min(epoch for _, strategy, epoch in withdrawals.values() if strategy != 0)
    alt_ready = max(epoch for _, strategy, epoch in withdrawals.values() if strategy == 0)
    assert eth_ready < alt_ready
    chain.block(int(eth_ready * spec.SLOTS_PER_EPOCH), completed_withdrawals=[
        spec.CompleteWithdrawal(sender=staker, withdrawal_id=i)
        for i, (staker, strategy, _) in withdrawals.items() if strategy != 0])
    assert len(chain.state.withdrawals) == 2
    chain.block(int(alt_ready * spec.SLOTS_PER_EPOCH), completed_withdrawals=[
        spec.CompleteWithdrawal(sender=staker, withdrawal_id=i)
        for i, (staker, strategy, _) in withdrawals.items() if strategy == 0])
    yield from run_blocks(spec, state, chain.blocks)
    assert len(state.withdrawals) == 0
    ledgers = state.ledgers
    assert ledgers[spec.ALT_STRATEGY].paid == alt + alt // 3
    assert ledgers[spec.BEACON_ETH_STRATEGY].paid == eth
    assert ledgers[spec.LST_ETH_STRATEGY].paid == eth // 7
    assert state.operators[1].active  # it kept exactly the minimum


@spec_state_test
def test_leaving_services_and_stake(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator opts out of a service, another is ejected by a withdrawal, a rollup disables a service: the next committees follow."""
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state))
    chain.next_epoch()
    alt, _ = minimums(chain.state)
    rollup = chain.state.rollups[0]
    chain.block(
        opt_outs=[spec.OptOut(sender=owner(spec, 0), operator_index=0, rollup_id=0,
                              service=spec.SERVICE_MACH)],
        queued_withdrawals=[spec.QueueWithdrawal(sender=owner(spec, 2), strategy=spec.ALT_STRATEGY,
                                                 shares=alt + 1)],
        rollup_updates=[spec.UpdateRollup(
            sender=ROLLUP_OWNER, rollup_id=0, owner=ROLLUP_OWNER, services=services_bits(spec, (0, 1)),
            fee_rate=rollup.fee_rate, mach_thresholds=rollup.mach_thresholds,
            fraud_window_epochs=rollup.fraud_window_epochs)],
    )
    chain.next_epoch()
    yield from run_blocks(spec, state, chain.blocks)
    epoch = spec.get_current_epoch(state)
    committees = state.committees[epoch % spec.COMMITTEE_HISTORY]
    assert [(int(c.service), [int(m.operator_index) for m in c.members]) for c in committees] == [
        (spec.SERVICE_MACH, [1]), (spec.SERVICE_SQUAD, [0, 1])]
    assert not state.operators[2].active


@spec_state_test
def test_second_rollup_and_operator_later(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A second rollup and operator join in a later epoch, with blocks that skip empty epochs."""
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state, operators=2, services=(0,)))
    chain.next_epoch(epochs=2)
    chain.block(**onboarding(spec, chain.state, operators=1, services=(1, 2), fee_rate=ALT,
                           delegators=()))
    chain.block(opt_ins=[spec.OptIn(sender=owner(spec, 0), operator_index=0, rollup_id=1,
                                    service=spec.SERVICE_VITAL)])
    chain.next_epoch(epochs=3)
    yield from run_blocks(spec, state, chain.blocks)
    epoch = spec.get_current_epoch(state)
    committees = state.committees[epoch % spec.COMMITTEE_HISTORY]
    assert [(int(c.rollup_id), int(c.service), [int(m.operator_index) for m in c.members])
            for c in committees] == [(0, 0, [0, 1]), (1, 1, [2]), (1, 2, [0, 2])]


# --- invalid blocks at the end of a sequence ----------------------------------------------------


@spec_state_test
def test_invalid_withdrawal_completed_early(spec: ModuleType, state: Any) -> Iterator[Part]:
    """After onboarding and a queued withdrawal, a block completing it before its delay is rejected."""
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state))
    chain.block(queued_withdrawals=[spec.QueueWithdrawal(
        sender=owner(spec, 0), strategy=spec.BEACON_ETH_STRATEGY, shares=1)])
    chain.next_epoch()
    chain.invalid(completed_withdrawals=[spec.CompleteWithdrawal(sender=owner(spec, 0),
                                                                 withdrawal_id=0)])
    yield from run_blocks(spec, state, chain.blocks, reason="withdrawal_not_ready")


@spec_state_test
def test_invalid_second_claim_in_block(spec: ModuleType, state: Any) -> Iterator[Part]:
    """After rewards flowed, a block claiming twice for the same account is rejected as a whole."""
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state))
    chain.next_epoch(epochs=2)
    claim = spec.ClaimRewards(sender=owner(spec, 1))
    chain.invalid(fee_payments=[spec.PayServiceFees(sender=FEE_PAYER, rollup_id=0, amount=ALT)],
                  reward_claims=[claim, claim])
    yield from run_blocks(spec, state, chain.blocks, reason="nothing_to_claim")


@spec_state_test
def test_invalid_duplicate_registration(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A block registering an operator for an owner that already has one is rejected."""
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state, operators=2))
    chain.invalid(register_operators=[register_operation(spec, state, 0)])
    yield from run_blocks(spec, state, chain.blocks, reason="already_operator")


@spec_state_test
def test_invalid_opt_in_to_disabled_service(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A block opting in to a service the rollup has not enabled is rejected, with the valid operations before it."""
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state, services=(0,)))
    chain.next_epoch()
    chain.invalid(
        deposits=[spec.Deposit(sender=owner(spec, 0), strategy=spec.ALT_STRATEGY, amount=ALT)],
        opt_ins=[spec.OptIn(sender=owner(spec, 0), operator_index=0, rollup_id=0,
                            service=spec.SERVICE_SQUAD)])
    yield from run_blocks(spec, state, chain.blocks, reason="service_not_enabled")


@spec_state_test
def test_invalid_state_root_after_epoch(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A block across an epoch boundary whose state root is its parent state's root is rejected."""
    chain = Chain(spec, state)
    chain.block(**onboarding(spec, state))
    chain.next_epoch()
    block = build_block(spec, chain.state, epoch_start(spec, chain.state))
    block.state_root = spec.hash_tree_root(chain.state)
    chain.blocks.append(block)
    yield from run_blocks(spec, state, chain.blocks, reason="state_root_mismatch")


# --- operation count ----------------------------------------------------------------------------


def deposits(spec: ModuleType, count: int) -> list[Any]:
    return [spec.Deposit(sender=account(0x10 + i), strategy=spec.ALT_STRATEGY, amount=ALT)
            for i in range(count)]


@spec_state_test
def test_max_operations(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A block with exactly `params.max_operations_per_block` operations (lowered to 5), of several kinds, is valid."""
    state.params.max_operations_per_block = 5
    chain = Chain(spec, state)
    chain.block(
        register_rollups=[spec.RegisterRollup(sender=ROLLUP_OWNER, services=services_bits(spec, (0,)),
                                              fee_rate=0)],
        deposits=deposits(spec, 3),
        fee_payments=[spec.PayServiceFees(sender=FEE_PAYER, rollup_id=0, amount=ALT)])
    yield from run_blocks(spec, state, chain.blocks)
    assert len(state.stakers) == 3


@spec_state_test
def test_too_many_operations(spec: ModuleType, state: Any) -> Iterator[Part]:
    """After a valid block, a block with one operation more than `params.max_operations_per_block` (lowered to 5) is rejected."""
    state.params.max_operations_per_block = 5
    chain = Chain(spec, state)
    chain.block(deposits=deposits(spec, 2))
    chain.invalid(
        register_rollups=[spec.RegisterRollup(sender=ROLLUP_OWNER, services=services_bits(spec, (0,)),
                                              fee_rate=0)],
        deposits=deposits(spec, 3),
        fee_payments=[spec.PayServiceFees(sender=FEE_PAYER, rollup_id=0, amount=ALT)] * 2)
    yield from run_blocks(spec, state, chain.blocks, reason="too_many_operations")


@with_presets("minimal")  # 1,025 operations on mainnet
@spec_state_test
def test_too_many_operations_default_limit(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A block with one operation more than the initial `params.max_operations_per_block`, spread over several kinds, is rejected."""
    limit = int(state.params.max_operations_per_block)
    per_kind = int(spec.MAX_BLOCK_OPERATIONS)
    senders = [account(0x10 + i) for i in range(limit + 1)]
    kinds = {
        "deposits": [spec.Deposit(sender=s, strategy=spec.ALT_STRATEGY, amount=ALT) for s in senders],
        "reward_claims": [spec.ClaimRewards(sender=s) for s in senders],
        "undelegations": [spec.Undelegate(sender=s) for s in senders],
        "fee_payments": [spec.PayServiceFees(sender=s, rollup_id=0, amount=ALT) for s in senders],
        "delegations": [spec.Delegate(sender=s, operator_index=0) for s in senders],
    }
    body: dict[str, list[Any]] = {}
    remaining = limit + 1
    for kind, operations in kinds.items():
        body[kind] = operations[:min(per_kind, remaining)]
        remaining -= len(body[kind])
    assert remaining == 0
    chain = Chain(spec, state)
    chain.invalid(**body)
    yield from run_blocks(spec, state, chain.blocks, reason="too_many_operations")
