"""random/random: seeded sequences of blocks with random *valid* operations drawn from the actors
of the current state (deposits, delegations, undelegations, queued and completed withdrawals,
opt-ins and opt-outs, fee payments, claims, new operators) and random gaps (next slot, skipped
slots, whole empty epochs). Each case is a `sanity/blocks`-shaped vector: `pre`, `blocks_<i>`,
`post`, every block valid.

Operations are drawn one at a time; one is kept only if the block body with it still applies to
the state (tried on a copy), so every block is valid by construction.
"""

import random
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from altspec import PRESETS
from altspec.testing.blocks import advance_epochs, build_block
from altspec.testing.context import Part, SpecTest
from altspec.testing.genesis import genesis_state
from altspec.testing.outcomes import run_blocks
from altspec.testing.staking import ALT, account, owner, register_operation

RUNNER = "random"
HANDLER = "random"
SEEDS = range(8)
"""One case per seed, in every preset."""

MAX_TEST_OPERATORS = 6
"""Test operators the random cases may register (operator `i` is owned by `owner(spec, i)`)."""

ACCOUNTS = [account(0x30 + i) for i in range(6)]
"""Plain accounts that stake, delegate and pay fees."""


# --- the pre-state ------------------------------------------------------------------------------


def random_pre_state(spec: ModuleType, rng: random.Random) -> Any:
    """A state one epoch after genesis with one or two rollups and three to five operators with
    random stakes around the minimums, some delegators, and withdrawal delays shortened to at
    most a few epochs (a governable parameter) so that withdrawals complete within a case."""
    state = genesis_state(spec)
    staking = state.params.staking
    staking.alt_cooldown_epochs = min(int(staking.alt_cooldown_epochs), 3)
    staking.eth_withdrawal_delay_epochs = min(int(staking.eth_withdrawal_delay_epochs), 2)
    min_alt, min_eth = (int(w) for w in staking.min_weights)
    for rollup in range(rng.randint(1, 2)):
        services = [rng.random() < 0.7 for _ in range(int(spec.NUM_SERVICES))]
        services[rng.randrange(len(services))] = True
        spec.process_register_rollup(state, spec.RegisterRollup(
            sender=account(0xA0 + rollup), services=spec.Bitvector[spec.NUM_SERVICES](*services),
            fee_rate=rng.choice([0, ALT, rng.randint(1, 5 * ALT)])))
    for index in range(rng.randint(3, 5)):
        spec.process_register_operator(state, register_operation(spec, state, index))
        sender = owner(spec, index)
        for strategy, minimum in ((spec.ALT_STRATEGY, min_alt), (spec.BEACON_ETH_STRATEGY, min_eth)):
            amount = rng.randint(minimum * 3 // 4, 3 * minimum)
            spec.process_deposit(state, spec.Deposit(sender=sender, strategy=strategy, amount=amount))
        spec.process_delegate(state, spec.Delegate(sender=sender, operator_index=index))
        for rollup_id, rollup in enumerate(state.rollups):
            for service in range(int(spec.NUM_SERVICES)):
                if rollup.services[service] and rng.random() < 0.6:
                    spec.process_opt_in(state, spec.OptIn(sender=sender, operator_index=index,
                                                          rollup_id=rollup_id, service=service))
    for sender in ACCOUNTS[:rng.randint(1, 3)]:
        spec.process_deposit(state, spec.Deposit(sender=sender, strategy=spec.ALT_STRATEGY,
                                                 amount=rng.randint(1, min_alt)))
        spec.process_delegate(state, spec.Delegate(
            sender=sender, operator_index=rng.randrange(len(state.operators))))
    for rollup_id in range(len(state.rollups)):
        spec.process_pay_service_fees(state, spec.PayServiceFees(
            sender=ACCOUNTS[-1], rollup_id=rollup_id, amount=rng.randint(1, 20 * ALT)))
    advance_epochs(spec, state, 1)
    return state


# --- random operations --------------------------------------------------------------------------


Draw = Callable[[ModuleType, Any, random.Random], tuple[str, Any] | None]


def stakers_and_accounts(spec: ModuleType, state: Any) -> list[Any]:
    """Every address that may act as a staker: the known stakers and the plain test accounts."""
    known = [bytes(s.address) for s in state.stakers]
    return known + [a for a in ACCOUNTS if a not in known]


def some_amount(rng: random.Random, maximum: int) -> int:
    """A positive amount up to `maximum`, often all of it or a round part of it."""
    return rng.choice([maximum, max(1, maximum // 2), rng.randint(1, maximum)])


def draw_deposit(spec: ModuleType, state: Any, rng: random.Random) -> tuple[str, Any] | None:
    sender = rng.choice(stakers_and_accounts(spec, state))
    strategy = rng.randrange(len(state.strategies))
    minimum = int(state.params.staking.min_weights[int(state.strategies[strategy].quorum)])
    return "deposits", spec.Deposit(sender=sender, strategy=strategy,
                                    amount=rng.randint(1, minimum))


def draw_delegation(spec: ModuleType, state: Any, rng: random.Random) -> tuple[str, Any] | None:
    free = [s for s in state.stakers if s.operator == spec.NO_OPERATOR]
    targets = [i for i, op in enumerate(state.operators) if not op.slashed]
    if not free or not targets:
        return None
    return "delegations", spec.Delegate(sender=rng.choice(free).address,
                                        operator_index=rng.choice(targets))


def draw_undelegation(spec: ModuleType, state: Any, rng: random.Random) -> tuple[str, Any] | None:
    delegated = [s for s in state.stakers if s.operator != spec.NO_OPERATOR]
    if not delegated:
        return None
    return "undelegations", spec.Undelegate(sender=rng.choice(delegated).address)


def draw_queued_withdrawal(spec: ModuleType, state: Any,
                           rng: random.Random) -> tuple[str, Any] | None:
    holdings = [
        (staker.address, strategy, int(held))
        for staker in state.stakers
        for strategy in range(len(state.strategies))
        for held in [staker.free[strategy] if staker.operator == spec.NO_OPERATOR
                     else staker.shares[strategy]]
        if held > 0
    ]
    if not holdings:
        return None
    sender, strategy, held = rng.choice(holdings)
    return "queued_withdrawals", spec.QueueWithdrawal(sender=sender, strategy=strategy,
                                                      shares=some_amount(rng, held))


def draw_completed_withdrawal(spec: ModuleType, state: Any,
                              rng: random.Random) -> tuple[str, Any] | None:
    epoch = spec.get_current_epoch(state)
    ready = [w for w in state.withdrawals if w.withdrawable_epoch <= epoch]
    if not ready:
        return None
    withdrawal = rng.choice(ready)
    return "completed_withdrawals", spec.CompleteWithdrawal(sender=withdrawal.staker,
                                                            withdrawal_id=withdrawal.id)


def draw_opt_in(spec: ModuleType, state: Any, rng: random.Random) -> tuple[str, Any] | None:
    choices = [
        (index, rollup_id, service)
        for index, op in enumerate(state.operators) if not op.slashed
        for rollup_id, rollup in enumerate(state.rollups)
        for service in range(int(spec.NUM_SERVICES))
        if rollup.services[service] and not spec.is_serving(op, rollup_id, service)
    ]
    if not choices:
        return None
    index, rollup_id, service = rng.choice(choices)
    return "opt_ins", spec.OptIn(sender=state.operators[index].owner, operator_index=index,
                                 rollup_id=rollup_id, service=service)


def draw_opt_out(spec: ModuleType, state: Any, rng: random.Random) -> tuple[str, Any] | None:
    choices = [(index, ref) for index, op in enumerate(state.operators) for ref in op.services]
    if not choices:
        return None
    index, ref = rng.choice(choices)
    return "opt_outs", spec.OptOut(sender=state.operators[index].owner, operator_index=index,
                                   rollup_id=ref.rollup_id, service=ref.service)


def draw_fee_payment(spec: ModuleType, state: Any, rng: random.Random) -> tuple[str, Any] | None:
    if len(state.rollups) == 0:
        return None
    return "fee_payments", spec.PayServiceFees(
        sender=rng.choice(ACCOUNTS), rollup_id=rng.randrange(len(state.rollups)),
        amount=rng.randint(1, 10 * ALT))


def draw_claim(spec: ModuleType, state: Any, rng: random.Random) -> tuple[str, Any] | None:
    owed = [s.address for s in state.stakers if s.rewards > 0]
    owed += [op.owner for op in state.operators if op.rewards > 0]
    if not owed:
        return None
    return "reward_claims", spec.ClaimRewards(sender=rng.choice(owed))


def draw_registration(spec: ModuleType, state: Any, rng: random.Random) -> tuple[str, Any] | None:
    index = len(state.operators)
    if index >= MAX_TEST_OPERATORS:
        return None
    return "register_operators", register_operation(spec, state, index)


DRAWS: list[tuple[Draw, int]] = [
    (draw_deposit, 5),
    (draw_delegation, 3),
    (draw_undelegation, 1),
    (draw_queued_withdrawal, 4),
    (draw_completed_withdrawal, 5),
    (draw_opt_in, 2),
    (draw_opt_out, 1),
    (draw_fee_payment, 2),
    (draw_claim, 3),
    (draw_registration, 1),
]
"""Each kind of random operation with its relative frequency."""


# --- blocks -------------------------------------------------------------------------------------


def next_slot(spec: ModuleType, state: Any, rng: random.Random) -> int:
    """The slot of the next block: usually the next slot, sometimes after skipped slots or at
    the start of a later epoch (leaving whole epochs empty)."""
    roll = rng.random()
    if roll < 0.5:
        return int(state.slot) + 1
    if roll < 0.75:
        return int(state.slot) + rng.randint(2, int(spec.SLOTS_PER_EPOCH))
    epochs = rng.choice([1, 1, 2, 3])
    return int((spec.get_current_epoch(state) + epochs) * spec.SLOTS_PER_EPOCH) + rng.randrange(2)


def applies(spec: ModuleType, ahead: Any, slot: int, body: dict[str, Any]) -> Any | None:
    """The state after a block with `body` at `slot` (`ahead` is already at that slot), or None
    if the spec rejects the block."""
    block = spec.Block(slot=slot, parent_root=spec.hash_tree_root(ahead.latest_block_header),
                       body=spec.BlockBody(**body))
    post = ahead.copy()
    try:
        spec.process_block(post, block)
    except AssertionError:
        return None
    return post


def random_block(spec: ModuleType, state: Any, rng: random.Random) -> Any:
    """A valid block at a random later slot with zero to five random valid operations."""
    slot = next_slot(spec, state, rng)
    ahead = state.copy()
    spec.process_slots(ahead, spec.Slot(slot))
    body: dict[str, Any] = {"randomness": rng.randbytes(32)}
    current = ahead
    draws, weights = zip(*DRAWS, strict=True)
    for _ in range(rng.choice([0, 1, 2, 3, 3, 4, 5])):
        drawn = rng.choices(draws, weights)[0](spec, current, rng)
        if drawn is None:
            continue
        kind, operation = drawn
        candidate = {**body, kind: [*body.get(kind, []), operation]}
        post = applies(spec, ahead, slot, candidate)
        if post is not None:
            body, current = candidate, post
    return build_block(spec, state, slot, **body)


def random_case(seed: int) -> Callable[[ModuleType], Iterator[Part]]:
    """The body of the case for `seed`."""

    def body(spec: ModuleType) -> Iterator[Part]:
        rng = random.Random(seed)
        state = random_pre_state(spec, rng)
        chain = state.copy()
        blocks = []
        for _ in range(rng.randint(6, 10)):
            block = random_block(spec, chain, rng)
            spec.state_transition(chain, block)
            blocks.append(block)
        yield from run_blocks(spec, state, blocks)
        assert state == chain
        operations = sum(spec.count_operations(block.body) for block in blocks)
        assert operations > 0

    body.__name__ = f"randomized_{seed}"
    body.__doc__ = (f"Random valid blocks (seed {seed}): staking, rollup and reward operations "
                    "of the current actors, with skipped slots and epochs.")
    return body


def generated_tests() -> list[SpecTest]:
    """One random case per seed."""
    return [SpecTest(random_case(seed), handler=HANDLER, case=f"randomized_{seed}")
            for seed in SEEDS]


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("seed", SEEDS)
def test_random(seed: int, preset: str) -> None:
    """Every random case runs, all its blocks valid, and its states satisfy the invariants."""
    for _ in generated_tests()[seed].parts(preset):
        pass
