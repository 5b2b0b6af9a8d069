"""epoch_processing/rewards: `process_rewards` pays the ending epoch's emission and service fees.
The emission is split between the quorums by `eth_reward_share_bips` and, in each, among the
operators that earned it (in a committee of the epoch, not slashed, no recorded duty missed in any
of its committees), pro rata to their snapshot weight, each operator counted once however many
committees it serves. A rollup's fee is shared equally across its served committees, each pot split
between the quorums and among the members that did their duty by weight. Every share is then split
between the operator's commission and its delegators pro rata. Every rounding remainder returns to
the reward reserve.

Each case computes the exact amounts from that rule and compares every balance."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part, spec_state_test, spec_test
from altspec.testing.epochs import run_epoch_processing
from altspec.testing.genesis import genesis_state
from altspec.testing.operations import slash
from altspec.testing.staking import ALT, account, owner, register_rollup
from tests.spec.epoch.helpers import add_staked_operator, min_alt, min_eth, queue, serving_state

RUNNER = "epoch_processing"
HANDLER = "rewards"

FEE_PAYER = account(0xF0)


# --- the rule, piece by piece ------------------------------------------------------------------


def quorum_parts(spec: ModuleType, state: Any, pot: int) -> tuple[int, int]:
    """A committee pot split into its ALT-quorum part and its ETH-quorum part."""
    eth = pot * int(state.params.staking.eth_reward_share_bips) // spec.BIPS_DENOMINATOR
    return pot - eth, eth


def pro_rata(amount: int, weights: list[int]) -> list[int]:
    """`amount` split pro rata to `weights`, each share rounded down."""
    total = sum(weights)
    return [amount * weight // total for weight in weights]


class Expected:
    """The balance changes a case expects: reward reserve, unclaimed rewards of stakers (by
    address) and operators (by index), and fee balances (by rollup id)."""

    def __init__(self, spec: ModuleType, state: Any) -> None:
        self.spec = spec
        self.state = state
        self.reserve = 0
        self.stakers: dict[bytes, int] = {}
        self.operators: dict[int, int] = {}
        self.fees: dict[int, int] = {}

    def pay_share(self, operator: int, share: int, stakes: dict[bytes, int] | None = None) -> None:
        """The operator takes its commission from `share`; its delegators (`stakes`: address to
        stake in the quorum; default: its owner alone) share the rest pro rata; the remainder
        goes to the operator."""
        commission = share * int(self.state.operators[operator].commission_bips) // 10_000
        stakes = {bytes(owner(self.spec, operator)): 1} if stakes is None else stakes
        distributed = 0
        if sum(stakes.values()) > 0:
            rewards = pro_rata(share - commission, list(stakes.values()))
            for address, reward in zip(stakes, rewards, strict=True):
                self.stakers[address] = self.stakers.get(address, 0) + reward
                distributed += reward
        self.operators[operator] = self.operators.get(operator, 0) + share - distributed

    def split(self, pot: int, operators: dict[int, tuple[int, int]]) -> None:
        """`pot` split between the quorums and, in each, among `operators` (operator: (ALT
        weight, ETH weight)) pro rata, each operator with its owner as its only delegator;
        remainders to the reserve."""
        for quorum, part in enumerate(quorum_parts(self.spec, self.state, pot)):
            weights = [weights[quorum] for weights in operators.values()]
            shares = pro_rata(part, weights) if sum(weights) > 0 else [0] * len(weights)
            for operator, share in zip(operators, shares, strict=True):
                self.pay_share(operator, share)
            self.reserve += part - sum(shares)

    def pay_emission(self, amount: int, earners: dict[int, tuple[int, int]]) -> None:
        """The emission `amount` leaves the reserve and is paid to `earners` (each operator that
        earned it, once, with its snapshot weights)."""
        self.reserve -= amount
        self.split(amount, earners)

    def pay_committee(self, pot: int, members: dict[int, tuple[int, int]]) -> None:
        """A committee's fee pot paid to `members` (the members that did their duty, with
        their snapshot weights)."""
        self.split(pot, members)


def balances(state: Any) -> dict[str, Any]:
    return {
        "reserve": int(state.reward_reserve),
        "stakers": {bytes(s.address): int(s.rewards) for s in state.stakers},
        "operators": {i: int(op.rewards) for i, op in enumerate(state.operators)},
        "fees": {i: int(r.fee_balance) for i, r in enumerate(state.rollups)},
    }


def run_rewards(spec: ModuleType, state: Any, expected: Expected | None = None) -> Iterator[Part]:
    """Yield the vector; check that every balance moved exactly as `expected` says (nothing
    moves when it is None)."""
    expected = expected or Expected(spec, state)
    before = balances(state)
    yield from run_epoch_processing(spec, state, "process_rewards")
    after = balances(state)
    assert after["reserve"] - before["reserve"] == expected.reserve
    for kind, changes in (("stakers", expected.stakers), ("operators", expected.operators),
                          ("fees", expected.fees)):
        assert set(changes) <= set(after[kind]), kind
        for key, value in after[kind].items():
            assert value - before[kind].get(key, 0) == changes.get(key, 0), (kind, key)


def weights(spec: ModuleType, state: Any, operator: int) -> tuple[int, int]:
    op = state.operators[operator]
    return (spec.get_operator_weight(state, op, spec.ALT_QUORUM),
            spec.get_operator_weight(state, op, spec.ETH_QUORUM))


def emission(state: Any) -> int:
    return min(int(state.params.staking.reward_per_epoch), int(state.reward_reserve))


def earned(spec: ModuleType, state: Any, operator: int) -> int:
    """Unclaimed rewards of the operator and its owner (its only delegator in these cases)."""
    owner_address = bytes(owner(spec, operator))
    staker = sum(int(s.rewards) for s in state.stakers if bytes(s.address) == owner_address)
    return staker + int(state.operators[operator].rewards)


def record_duty(spec: ModuleType, state: Any, rollup_id: int, service: int,
                operators: tuple[int, ...]) -> None:
    """Record that `operators` did their duty in the committee of this epoch."""
    committee = spec.get_committee(state, rollup_id, service, spec.get_current_epoch(state))
    for position, member in enumerate(committee.members):
        if int(member.operator_index) in operators:
            spec.record_participation(committee, position)


def pay_fees(spec: ModuleType, state: Any, rollup_id: int, amount: int) -> None:
    spec.process_pay_service_fees(state, spec.PayServiceFees(
        sender=FEE_PAYER, rollup_id=rollup_id, amount=amount))


# --- emission -----------------------------------------------------------------------------------


@spec_state_test
def test_no_committees(spec: ModuleType, state: Any) -> Iterator[Part]:
    """With no committee in the epoch nothing is emitted and nothing changes."""
    add_staked_operator(spec, state, 0)
    register_rollup(spec, state, (0,))
    pre = state.copy()
    yield from run_rewards(spec, state)
    assert state.reward_reserve == pre.reward_reserve


@spec_test
def test_single_committee(spec: ModuleType) -> Iterator[Part]:
    """One committee of one member: the whole emission, split between the quorums, less commission."""
    state = serving_state(spec, [2], services=(0,))
    expected = Expected(spec, state)
    expected.pay_emission(emission(state), {0: weights(spec, state, 0)})
    yield from run_rewards(spec, state, expected)
    owner_reward = state.stakers[0].rewards
    alt_part, eth_part = quorum_parts(spec, state, emission(state))
    assert owner_reward == alt_part - alt_part // 10 + eth_part - eth_part // 10  # 10% commission


@spec_state_test
def test_emission_split_by_operator_weight(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Each quorum's part of the emission is shared among the operators pro rata to their weight in it, each counted once wherever it serves."""
    first = register_rollup(spec, state, (0,))
    second = register_rollup(spec, state, (0, 1), owner_address=account(0xA1))
    add_staked_operator(spec, state, 0, 3, 2, ((first, 0),))
    add_staked_operator(spec, state, 1, 1, 9, ((second, 0), (second, 1)))
    add_staked_operator(spec, state, 2, 2, 1, ((second, 1),))
    advance_epochs(spec, state, 1)
    earners = {i: weights(spec, state, i) for i in range(3)}
    expected = Expected(spec, state)
    expected.pay_emission(emission(state), earners)
    yield from run_rewards(spec, state, expected)
    # Operator 1 sits in two committees but its stake counts once: 1/6 of the ALT weight.
    alt_part, eth_part = quorum_parts(spec, state, emission(state))
    total_alt = sum(w[0] for w in earners.values())
    total_eth = sum(w[1] for w in earners.values())
    assert earners[1][0] * 6 == total_alt
    assert earned(spec, state, 1) == (alt_part * earners[1][0] // total_alt
                                + eth_part * earners[1][1] // total_eth)


@spec_test
def test_emission_rounding_stays_in_reserve(spec: ModuleType) -> Iterator[Part]:
    """Weights that do not divide the emission: every remainder stays in or returns to the reserve."""
    state = serving_state(spec, [1, 1, 1], eths=[1, 1, 1], services=(0, 1))
    # Uneven weights: a few units more for operators 1 and 2.
    for operator, extra in ((1, 7), (2, 13)):
        for strategy in (spec.ALT_STRATEGY, spec.LST_ETH_STRATEGY):
            spec.process_deposit(state, spec.Deposit(
                sender=owner(spec, operator), strategy=strategy, amount=extra))
    queue(spec, state, 2, spec.ALT_STRATEGY, 1)  # keeps operator 2 active (it added 13)
    advance_epochs(spec, state, 1)
    state.params.staking.reward_per_epoch = 10**18 + 1
    expected = Expected(spec, state)
    expected.pay_emission(emission(state), {i: weights(spec, state, i) for i in (0, 1, 2)})
    assert expected.reserve > -emission(state)  # some remainder returned
    yield from run_rewards(spec, state, expected)


# --- service fees -------------------------------------------------------------------------------


@spec_test
def test_fee_split_across_committees(spec: ModuleType) -> Iterator[Part]:
    """A rollup's fee is shared equally among its three committees; the remainder returns to the reserve."""
    fee = 10**18 + 1
    assert fee % 3 == 2
    state = serving_state(spec, [2, 3], services=(0, 1, 2), fee_rate=fee)
    pay_fees(spec, state, 0, 5 * fee)
    state.params.staking.reward_per_epoch = 0
    expected = Expected(spec, state)
    expected.fees[0] = -fee
    expected.reserve = fee % 3
    members = {i: weights(spec, state, i) for i in (0, 1)}
    for _ in range(3):
        expected.pay_committee(fee // 3, members)
    yield from run_rewards(spec, state, expected)


@spec_test
def test_fee_and_emission(spec: ModuleType) -> Iterator[Part]:
    """An operator is paid its share of the emission plus its share of each of its committees' fee pots."""
    fee = 3 * ALT + 1
    state = serving_state(spec, [2, 5], services=(0, 1), fee_rate=fee)
    pay_fees(spec, state, 0, fee)
    members = {i: weights(spec, state, i) for i in (0, 1)}
    expected = Expected(spec, state)
    expected.pay_emission(emission(state), members)  # once, although both serve two committees
    expected.fees[0] = -fee
    expected.reserve += fee % 2
    for _ in range(2):
        expected.pay_committee(fee // 2, members)
    yield from run_rewards(spec, state, expected)
    assert state.rollups[0].fee_balance == 0


@spec_state_test
def test_fee_skips_committee_without_members(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A committee with no members gets no part of the fee: it is shared by the two that have members."""
    fee = 10**18 + 1
    rollup = register_rollup(spec, state, (0, 1, 2), fee_rate=fee)
    for index in (0, 1):
        add_staked_operator(spec, state, index, 2 + index, 2, ((rollup, 0), (rollup, 2)))
    advance_epochs(spec, state, 1)
    assert len(spec.get_committee(state, rollup, spec.SERVICE_SQUAD, 1).members) == 0
    pay_fees(spec, state, rollup, 2 * fee)
    state.params.staking.reward_per_epoch = 0
    expected = Expected(spec, state)
    expected.fees[rollup] = -fee
    expected.reserve = fee % 2
    for _ in range(2):
        expected.pay_committee(fee // 2, {i: weights(spec, state, i) for i in (0, 1)})
    yield from run_rewards(spec, state, expected)


@spec_test
def test_fee_balance_below_rate(spec: ModuleType) -> Iterator[Part]:
    """A fee balance below the rate pays what is left and is emptied."""
    fee = 4 * ALT
    state = serving_state(spec, [2], services=(0,), fee_rate=fee)
    pay_fees(spec, state, 0, fee - 1)
    state.params.staking.reward_per_epoch = 0
    expected = Expected(spec, state)
    expected.fees[0] = -(fee - 1)
    expected.pay_committee(fee - 1, {0: weights(spec, state, 0)})
    yield from run_rewards(spec, state, expected)
    assert state.rollups[0].fee_balance == 0


@spec_test
def test_empty_fee_balance_pays_nothing(spec: ModuleType) -> Iterator[Part]:
    """A rollup with a fee rate but an empty fee balance pays nothing (and, without emission, nothing changes)."""
    state = serving_state(spec, [2, 2], services=(0, 1), fee_rate=5 * ALT)
    state.params.staking.reward_per_epoch = 0
    yield from run_rewards(spec, state)


def genesis_state_with_rollups(spec: ModuleType, fee_rates: tuple[int, ...]) -> Any:
    """Rollup `i` (MACH only, at `fee_rates[i]`) served by operator `i` alone, at epoch 1."""
    state = genesis_state(spec)
    for index, rate in enumerate(fee_rates):
        rollup = register_rollup(spec, state, (0,), fee_rate=rate,
                                 owner_address=account(0xA0 + index))
        add_staked_operator(spec, state, index, 2 + index, 2, ((rollup, 0),))
    advance_epochs(spec, state, 1)
    return state


@spec_test
def test_fees_of_several_rollups(spec: ModuleType) -> Iterator[Part]:
    """Each rollup pays only its own committees, at its own rate."""
    state = genesis_state_with_rollups(spec, fee_rates=(2 * ALT, 7 * ALT + 1))
    pay_fees(spec, state, 0, 10 * ALT)
    pay_fees(spec, state, 1, 10 * ALT)
    state.params.staking.reward_per_epoch = 0
    expected = Expected(spec, state)
    expected.fees = {0: -2 * ALT, 1: -(7 * ALT + 1)}
    expected.pay_committee(2 * ALT, {0: weights(spec, state, 0)})
    expected.pay_committee(7 * ALT + 1, {1: weights(spec, state, 1)})
    yield from run_rewards(spec, state, expected)


@spec_state_test
def test_rollup_without_committee_yet(spec: ModuleType, state: Any) -> Iterator[Part]:
    """A rollup registered during the epoch has no committee in it: its fee balance is not charged."""
    add_staked_operator(spec, state, 0)
    advance_epochs(spec, state, 1)
    rollup = register_rollup(spec, state, (0,), fee_rate=ALT)
    spec.process_opt_in(state, spec.OptIn(
        sender=owner(spec, 0), operator_index=0, rollup_id=rollup, service=0))
    pay_fees(spec, state, rollup, 3 * ALT)
    yield from run_rewards(spec, state)


# --- quorums, commission, delegators -------------------------------------------------------------


@spec_test
def test_quorum_split(spec: ModuleType) -> Iterator[Part]:
    """`eth_reward_share_bips` of the pot goes to the ETH quorum, split by ETH weight; the rest by ALT weight."""
    state = serving_state(spec, [1, 3], eths=[3, 1], services=(0,))
    state.params.staking.eth_reward_share_bips = 2500
    pot = emission(state)
    alt_part, eth_part = quorum_parts(spec, state, pot)
    assert (alt_part, eth_part) == (pot - pot // 4, pot // 4)
    w = [weights(spec, state, i) for i in (0, 1)]
    expected = Expected(spec, state)
    expected.pay_emission(pot, {0: w[0], 1: w[1]})
    yield from run_rewards(spec, state, expected)
    # Operator 0 has a quarter of the ALT weight and three quarters of the ETH weight.
    share_0 = alt_part * w[0][0] // (w[0][0] + w[1][0]) + eth_part * w[0][1] // (w[0][1] + w[1][1])
    assert state.stakers[0].rewards + state.operators[0].rewards == share_0


@spec_test
def test_all_to_eth_quorum(spec: ModuleType) -> Iterator[Part]:
    """With `eth_reward_share_bips` at 100% the pot is split by ETH weight alone."""
    state = serving_state(spec, [1, 3], eths=[3, 1], services=(0,))
    state.params.staking.eth_reward_share_bips = spec.BIPS_DENOMINATOR
    pot = emission(state)
    expected = Expected(spec, state)
    expected.pay_emission(pot, {i: weights(spec, state, i) for i in (0, 1)})
    yield from run_rewards(spec, state, expected)


@spec_state_test
def test_commission(spec: ModuleType, state: Any) -> Iterator[Part]:
    """Each operator takes its own commission (0%, 25%, 100%) before its delegators are paid."""
    rollup = register_rollup(spec, state, (0,))
    for index, bips in enumerate((0, 2500, 10_000)):
        state.params.staking.default_commission_bips = bips
        add_staked_operator(spec, state, index, 2, 2, ((rollup, 0),))
    state.params.staking.default_commission_bips = 1000
    advance_epochs(spec, state, 1)
    assert [int(op.commission_bips) for op in state.operators] == [0, 2500, 10_000]
    expected = Expected(spec, state)
    expected.pay_emission(emission(state), {i: weights(spec, state, i) for i in range(3)})
    yield from run_rewards(spec, state, expected)
    assert state.operators[0].rewards == 0
    assert state.stakers[2].rewards == 0


@spec_test
def test_delegators_pro_rata(spec: ModuleType) -> Iterator[Part]:
    """Delegators share the operator's part after commission pro rata to their stake in each quorum (LST at its multiplier)."""
    state = serving_state(spec, [2], eths=[2], services=(0,))
    deposits = {
        account(1): ((spec.ALT_STRATEGY, 5 * ALT + 3),),
        account(2): ((spec.BEACON_ETH_STRATEGY, 2 * ALT + 1), (spec.LST_ETH_STRATEGY, 3 * ALT + 7)),
        account(3): ((spec.ALT_STRATEGY, 11 * ALT), (spec.LST_ETH_STRATEGY, ALT // 3)),
    }
    for sender, amounts in deposits.items():
        for strategy, amount in amounts:
            spec.process_deposit(state, spec.Deposit(sender=sender, strategy=strategy,
                                                     amount=amount))
        spec.process_delegate(state, spec.Delegate(sender=sender, operator_index=0))
    advance_epochs(spec, state, 1)

    def stakes(quorum: int) -> dict[bytes, int]:
        result = {}
        for staker in state.stakers:
            total = sum(int(staker.shares[s]) * int(strategy.multiplier)
                        for s, strategy in enumerate(state.strategies) if strategy.quorum == quorum)
            result[bytes(staker.address)] = total // spec.WEIGHT_DENOMINATOR
        return result

    pot = emission(state)
    expected = Expected(spec, state)
    expected.reserve = -pot
    for quorum, part in enumerate(quorum_parts(spec, state, pot)):
        expected.pay_share(0, part, stakes(quorum))  # the only member gets the whole part
    yield from run_rewards(spec, state, expected)
    assert all(s.rewards > 0 for s in state.stakers)


@spec_test
def test_delegator_left_during_epoch(spec: ModuleType) -> Iterator[Part]:
    """A delegator that undelegated during the epoch earns nothing; those still delegated share the part."""
    state = serving_state(spec, [2], services=(0,))
    for sender in (account(1), account(2)):
        spec.process_deposit(state, spec.Deposit(sender=sender, strategy=spec.ALT_STRATEGY,
                                                 amount=min_alt(spec, state)))
        spec.process_delegate(state, spec.Delegate(sender=sender, operator_index=0))
    advance_epochs(spec, state, 1)
    spec.process_undelegate(state, spec.Undelegate(sender=account(1)))
    earned = int(state.stakers[1].rewards)  # in epoch 1, while it was delegated
    pot = emission(state)
    alt_part, eth_part = quorum_parts(spec, state, pot)
    expected = Expected(spec, state)
    expected.reserve = -pot
    owner_alt = 2 * min_alt(spec, state)
    expected.pay_share(0, alt_part, {bytes(owner(spec, 0)): owner_alt,
                                     bytes(account(2)): min_alt(spec, state)})
    expected.pay_share(0, eth_part, {bytes(owner(spec, 0)): 2 * min_eth(spec, state)})
    yield from run_rewards(spec, state, expected)
    assert state.stakers[1].rewards == earned > 0


@spec_test
def test_all_stake_left_operator_keeps_share(spec: ModuleType) -> Iterator[Part]:
    """A member whose delegated stake all left during the epoch is still paid; with no delegator stake its share goes to the operator."""
    state = serving_state(spec, [2, 2], services=(0,))
    spec.process_undelegate(state, spec.Undelegate(sender=owner(spec, 1)))
    pot = emission(state)
    expected = Expected(spec, state)
    expected.reserve = -pot
    for part in quorum_parts(spec, state, pot):
        share = part // 2  # the snapshot weights are equal
        expected.pay_share(0, share)
        expected.pay_share(1, share, stakes={})  # no delegator left: all to the operator
        expected.reserve += part - 2 * share
    yield from run_rewards(spec, state, expected)
    assert state.stakers[1].rewards == 0


# --- participation ------------------------------------------------------------------------------


@spec_test
def test_only_participants_paid(spec: ModuleType) -> Iterator[Part]:
    """Only members that did a recorded duty share its committee's fee and only operators that missed none share the emission; a committee where nobody recorded one pays its fee to every member."""
    fee = 4 * ALT + 1
    state = serving_state(spec, [1, 2, 3, 4], eths=[4, 3, 2, 1], services=(0, 1), fee_rate=fee)
    pay_fees(spec, state, 0, fee)
    record_duty(spec, state, 0, spec.SERVICE_MACH, (1, 3))
    squad = spec.get_committee(state, 0, spec.SERVICE_SQUAD, spec.get_current_epoch(state))
    assert not any(squad.participation)
    expected = Expected(spec, state)
    expected.pay_emission(emission(state), {i: weights(spec, state, i) for i in (1, 3)})
    expected.fees[0] = -fee
    expected.reserve += fee % 2
    expected.pay_committee(fee // 2, {i: weights(spec, state, i) for i in (1, 3)})
    expected.pay_committee(fee // 2, {i: weights(spec, state, i) for i in range(4)})
    yield from run_rewards(spec, state, expected)


@spec_test
def test_single_participant_takes_pot(spec: ModuleType) -> Iterator[Part]:
    """A single member that did the recorded duty takes the whole emission, whatever its weight: the others missed it."""
    state = serving_state(spec, [1, 9, 9], services=(0,))
    record_duty(spec, state, 0, spec.SERVICE_MACH, (0,))
    expected = Expected(spec, state)
    expected.pay_emission(emission(state), {0: weights(spec, state, 0)})
    yield from run_rewards(spec, state, expected)
    assert state.operators[1].rewards == state.operators[2].rewards == 0


@spec_state_test
def test_missed_duty_forfeits_emission(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator that missed a recorded duty in one of its committees earns no emission that epoch, only the fee of the committee where it did its duty."""
    fee = 2 * ALT + 1
    first = register_rollup(spec, state, (0,), fee_rate=fee)
    second = register_rollup(spec, state, (0,), fee_rate=fee, owner_address=account(0xA1))
    add_staked_operator(spec, state, 0, 2, 2, ((first, 0), (second, 0)))
    add_staked_operator(spec, state, 1, 3, 2, ((first, 0), (second, 0)))
    add_staked_operator(spec, state, 2, 4, 3, ((first, 0),))
    advance_epochs(spec, state, 1)
    for rollup in (first, second):
        pay_fees(spec, state, rollup, fee)
    record_duty(spec, state, first, spec.SERVICE_MACH, (0, 1, 2))
    record_duty(spec, state, second, spec.SERVICE_MACH, (1,))  # operator 0 missed it
    w = {i: weights(spec, state, i) for i in range(3)}
    expected = Expected(spec, state)
    expected.pay_emission(emission(state), {1: w[1], 2: w[2]})
    expected.fees = {first: -fee, second: -fee}
    expected.pay_committee(fee, w)
    expected.pay_committee(fee, {1: w[1]})
    yield from run_rewards(spec, state, expected)
    alt_part, eth_part = quorum_parts(spec, state, fee)
    total_alt, total_eth = sum(x[0] for x in w.values()), sum(x[1] for x in w.values())
    assert earned(spec, state, 0) == alt_part * w[0][0] // total_alt + eth_part * w[0][1] // total_eth


@spec_test
def test_slashed_member_earns_no_emission(spec: ModuleType) -> Iterator[Part]:
    """A member slashed during the epoch earns neither emission nor fee; the others share both."""
    fee = 2 * ALT + 1
    state = serving_state(spec, [2, 3, 4], services=(0,), fee_rate=fee)
    pay_fees(spec, state, 0, fee)
    members = {i: weights(spec, state, i) for i in (0, 1)}
    slash(spec, state, 2, 10**17)
    assert state.operators[2].slashed
    expected = Expected(spec, state)
    expected.pay_emission(emission(state), members)
    expected.fees[0] = -fee
    expected.pay_committee(fee, members)
    yield from run_rewards(spec, state, expected)
    assert earned(spec, state, 2) == 0


@spec_state_test
def test_operator_in_many_committees_counted_once(spec: ModuleType, state: Any) -> Iterator[Part]:
    """An operator serving MACH, SQUAD and VITAL of one rollup and MACH of another earns the same emission as an equal-stake operator in one committee."""
    first = register_rollup(spec, state, (0, 1, 2))
    second = register_rollup(spec, state, (0,), owner_address=account(0xA1))
    add_staked_operator(spec, state, 0, 2, 2, ((first, 0), (first, 1), (first, 2), (second, 0)))
    add_staked_operator(spec, state, 1, 2, 2, ((first, 0),))
    advance_epochs(spec, state, 1)
    epoch = spec.get_current_epoch(state)
    seats = [
        [int(m.operator_index) for m in spec.get_committee(state, rollup, service, epoch).members]
        for rollup, service in ((first, 0), (first, 1), (first, 2), (second, 0))
    ]
    assert seats == [[0, 1], [0], [0], [0]]
    assert weights(spec, state, 0) == weights(spec, state, 1)
    expected = Expected(spec, state)
    expected.pay_emission(emission(state), {i: weights(spec, state, i) for i in (0, 1)})
    yield from run_rewards(spec, state, expected)
    assert earned(spec, state, 0) == earned(spec, state, 1) > 0


# --- the reserve --------------------------------------------------------------------------------


@spec_test
def test_reserve_below_emission(spec: ModuleType) -> Iterator[Part]:
    """When the reserve holds less than one epoch's emission, all of it is paid and it is left empty."""
    state = serving_state(spec, [2], services=(0,))
    reserve = int(state.reward_reserve)
    state.params.staking.reward_per_epoch = reserve + 1
    expected = Expected(spec, state)
    expected.pay_emission(reserve, {0: weights(spec, state, 0)})
    yield from run_rewards(spec, state, expected)
    assert state.reward_reserve == 0


@spec_test
def test_exhausted_reserve_pays_nothing_more(spec: ModuleType) -> Iterator[Part]:
    """An empty reserve emits nothing; the rollup's fees are still paid."""
    fee = 2 * ALT + 1
    state = serving_state(spec, [2], services=(0,), fee_rate=fee)
    state.params.staking.reward_per_epoch = int(state.reward_reserve)
    advance_epochs(spec, state, 1)  # the epoch pays out the whole reserve
    assert state.reward_reserve == 0
    pay_fees(spec, state, 0, 3 * fee)
    expected = Expected(spec, state)
    expected.fees[0] = -fee
    expected.pay_committee(fee, {0: weights(spec, state, 0)})
    yield from run_rewards(spec, state, expected)
    assert state.reward_reserve == 0
