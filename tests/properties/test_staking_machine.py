"""A hypothesis state machine over staking and the rollup registry (minimal preset).

It drives random sequences of every staking and rollup operation, `slash_operator`, whole blocks
and the passage of time, valid and invalid: fields are drawn mostly from the current actors (so
most operations apply) and sometimes out of range (unknown indices, zero or huge amounts, wrong
senders, amounts beyond balances, ALT near its maximum supply), and one rule feeds fully random
operations derived from the SSZ types. Every operation is applied to a copy of the state that is
adopted only when accepted (`altspec.testing.machine.apply_atomically`): a rejection must carry a
documented reason code and leave the state unchanged. After every step the spec's invariants
and transition checks run; after empty slots that land on the first slot of an epoch, the
committee snapshot is checked too.

`make test` runs a small derandomized campaign; `make fuzz` (or `ALTSPEC_FUZZ_EXAMPLES=N`) a
random one. With `-s` the session ends with a summary line, the reachability counters and the
rejection reasons.
"""

import contextlib
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from altspec import minimal as spec
from altspec.testing.blocks import advance_epochs
from altspec.testing.genesis import genesis_state
from altspec.testing.keys import privkey, pubkey
from altspec.testing.machine import (
    MachineStats,
    SpecCrash,
    apply_atomically,
    check_step,
    fuzz_settings,
    process_slots,
)
from altspec.testing.staking import (
    ALT,
    account,
    owner,
    register_operation,
    register_rollup,
    staked_state,
)
from altspec.testing.values import ssz_values

DEFAULT_EXAMPLES = 50
"""Examples in the default (derandomized) run of `make test`."""

STEPS = 50
"""Steps per example: enough for stake to activate, earn, be slashed and be withdrawn."""

CROWDED_EXAMPLES = 3
"""Examples of `test_at_capacity` in `make test`."""

CROWDED_EXTRA_STEPS = 6
"""The most operations of other kinds mixed into each `test_at_capacity` example."""

OPERATOR_KEYS = 6
"""Test operator keys the machine registers (few, so keys and owners collide)."""

ACCOUNTS = 8
"""Plain test accounts that deposit, delegate and pay (few, so they meet again)."""

ROLLUP_OWNER = account(0xA0)
"""The owner of the rollup of `staked_state`."""

U64_MAX = 2**64 - 1
U128_MAX = 2**128 - 1

STATS = MachineStats("staking fuzz")

DataObject = Any  # hypothesis's st.DataObject


# --- Starting points -------------------------------------------------------------------------

START_STATES = (
    "genesis",
    "staked_0",
    "staked_1",
    "staked_2",
    "staked_4",
    "delegated",
    "delegated",
    "matured",
    "matured",
)
"""Genesis; `staked_state` with a rollup and 0, 1, 2 or 4 active operators one epoch in; 4
operators with delegators, free stake, queued withdrawals and fees to pay (`delegated`); or
that state after a slashing and enough epochs for its withdrawals to be ready (`matured`).
Repeats weigh the choice towards the states where more operations apply."""


def _delegated_state() -> Any:
    state = staked_state(spec, operators=4)
    for index in range(5):
        sender = spec.Address(account(index))
        for strategy, amount in ((0, 5_000 * ALT), (1, 16 * ALT), (2, 8 * ALT)):
            spec.process_deposit(
                state, spec.Deposit(sender=sender, strategy=strategy, amount=amount)
            )
        if index < 4:
            spec.process_delegate(state, spec.Delegate(sender=sender, operator_index=index))
    for index in (0, 4):
        spec.process_queue_withdrawal(
            state,
            spec.QueueWithdrawal(
                sender=spec.Address(account(index)), strategy=spec.ALT_STRATEGY, shares=1_000 * ALT
            ),
        )
    spec.process_pay_service_fees(
        state,
        spec.PayServiceFees(sender=spec.Address(ROLLUP_OWNER), rollup_id=0, amount=1_000 * ALT),
    )
    advance_epochs(spec, state, 1)
    return state


def _matured_state() -> Any:
    """`delegated`, then account 1 queues ETH from operator 1, operator 1 is slashed by 10%,
    and the ALT cooldown passes: every queued withdrawal is ready (one of them slashed), and
    rewards and fees have been paid for several epochs."""
    state = _start_state("delegated").copy()
    spec.process_queue_withdrawal(
        state,
        spec.QueueWithdrawal(
            sender=spec.Address(account(1)), strategy=spec.BEACON_ETH_STRATEGY, shares=4 * ALT
        ),
    )
    spec.slash_operator(
        state,
        spec.OperatorIndex(1),
        spec.Wad(spec.WAD // 10),
        spec.Root(b"\x5a" * 32),
        spec.SLASHING_REASON_MACH_EQUIVOCATION,
    )
    advance_epochs(spec, state, int(state.params.staking.alt_cooldown_epochs))
    return state


@cache
def _start_state(kind: str) -> Any:
    if kind == "genesis":
        return genesis_state(spec)
    if kind == "delegated":
        return _delegated_state()
    if kind == "matured":
        return _matured_state()
    return staked_state(spec, operators=int(kind.removeprefix("staked_")))


@cache
def _proof(key: int, sender: bytes) -> Any:
    """The proof of possession of operator key `key` for owner `sender` (it depends only on the
    fork version and chain, so one genesis state serves)."""
    return spec.get_registration_signature(
        _start_state("genesis"), privkey(key), spec.Address(sender)
    )


# --- Operation table for the fully random rule -------------------------------------------------

OPERATIONS: dict[str, tuple[Any, Callable[[Any, Any], None]]] = {
    "register_operator": (spec.RegisterOperator, spec.process_register_operator),
    "deposit": (spec.Deposit, spec.process_deposit),
    "delegate": (spec.Delegate, spec.process_delegate),
    "undelegate": (spec.Undelegate, spec.process_undelegate),
    "queue_withdrawal": (spec.QueueWithdrawal, spec.process_queue_withdrawal),
    "complete_withdrawal": (spec.CompleteWithdrawal, spec.process_complete_withdrawal),
    "opt_in": (spec.OptIn, spec.process_opt_in),
    "opt_out": (spec.OptOut, spec.process_opt_out),
    "claim_rewards": (spec.ClaimRewards, spec.process_claim_rewards),
    "register_rollup": (spec.RegisterRollup, spec.process_register_rollup),
    "update_rollup": (spec.UpdateRollup, spec.process_update_rollup),
    "pay_service_fees": (spec.PayServiceFees, spec.process_pay_service_fees),
}

BODY_FIELDS = {
    "register_rollup": "register_rollups",
    "register_operator": "register_operators",
    "deposit": "deposits",
    "delegate": "delegations",
    "opt_in": "opt_ins",
    "opt_out": "opt_outs",
    "undelegate": "undelegations",
    "queue_withdrawal": "queued_withdrawals",
    "complete_withdrawal": "completed_withdrawals",
    "claim_rewards": "reward_claims",
    "pay_service_fees": "fee_payments",
    "update_rollup": "rollup_updates",
}
"""The block body list of each operation kind."""


# --- Drawing helpers ----------------------------------------------------------------------------


def prefer(data: DataObject, preferred: list[Any], other: st.SearchStrategy[Any]) -> Any:
    """Mostly (7 in 8) one of `preferred`, otherwise (or when there is none) a draw from
    `other`. Shrinks towards the preferred choices."""
    if preferred and data.draw(st.integers(0, 7)) < 7:
        return data.draw(st.sampled_from(preferred))
    return data.draw(other)


def mostly(data: DataObject, normal: list[Any], edge: list[Any]) -> Any:
    """Mostly (3 in 4) one of `normal`, otherwise one of the `edge` cases."""
    if data.draw(st.integers(0, 3)) < 3:
        return data.draw(st.sampled_from(normal))
    return data.draw(st.sampled_from(edge))


random_address = st.binary(min_size=20, max_size=20).map(spec.Address)
random_index = st.integers(0, U64_MAX)
random_amount = st.integers(0, U128_MAX)
bits3 = st.lists(st.booleans(), min_size=3, max_size=3)


class StakingMachine(RuleBasedStateMachine):
    """Random staking and rollup operations, slashings, blocks and time on the minimal spec."""

    def __init__(self) -> None:
        super().__init__()
        self.state: Any = None
        self.evidence = 0

    # --- set-up and bookkeeping ------------------------------------------------------------

    @initialize(start=st.sampled_from(START_STATES))
    def start(self, start: str) -> None:
        STATS.examples += 1
        event(f"start: {start}")
        self.state = _start_state(start).copy()
        check_step(spec, self.state, self.state, STATS)

    def addresses(self) -> list[Any]:
        """The actors: test accounts, test operator owners, the rollup owner, and everyone the
        state knows (stakers, operator and rollup owners), each once, in a stable order."""
        found = [spec.Address(account(i)) for i in range(ACCOUNTS)]
        found += [owner(spec, key) for key in range(OPERATOR_KEYS)]
        found.append(spec.Address(ROLLUP_OWNER))
        found += [staker.address for staker in self.state.stakers]
        found += [operator.owner for operator in self.state.operators]
        found += [rollup.owner for rollup in self.state.rollups]
        unique: dict[bytes, Any] = {}
        for address in found:
            unique.setdefault(bytes(address), address)
        return list(unique.values())

    def sender(self, data: DataObject, preferred: list[Any] | None = None) -> Any:
        """An actor (from `preferred` if given and not empty), sometimes a stranger."""
        return prefer(data, preferred or self.addresses(), random_address)

    def operator_index(self, data: DataObject) -> int:
        count = len(self.state.operators)
        unknown = st.sampled_from([count, count + 1, spec.MAX_OPERATORS, U64_MAX]) | random_index
        return int(prefer(data, list(range(count)), unknown))

    def rollup_id(self, data: DataObject) -> int:
        count = len(self.state.rollups)
        unknown = st.sampled_from([count, spec.MAX_ROLLUPS, U64_MAX]) | random_index
        return int(prefer(data, list(range(count)), unknown))

    def strategy(self, data: DataObject) -> int:
        count = len(self.state.strategies)
        unknown = st.sampled_from([count, spec.MAX_STRATEGIES - 1, spec.MAX_STRATEGIES, U64_MAX])
        return int(prefer(data, list(range(count)), unknown))

    def room(self, strategy: int) -> int:
        """How many more units of `strategy` the hub can receive: up to the ALT supply, or up
        to the largest amount its ledger can record."""
        if strategy == spec.ALT_STRATEGY:
            return int(spec.ALT_MAX_SUPPLY) - spec.get_alt_held(self.state)
        if strategy < len(self.state.ledgers):
            return int(spec.MAX_AMOUNT) - int(self.state.ledgers[strategy].received)
        return U128_MAX

    def amount(self, data: DataObject, strategy: int, normal: list[int]) -> int:
        room = self.room(strategy)
        edge = [room, room + 1, 0, 2**127, U128_MAX]
        value = mostly(data, normal, [a for a in edge if 0 <= a <= U128_MAX])
        return int(value) if data.draw(st.integers(0, 19)) else data.draw(random_amount)

    def apply(self, kind: str, process: Callable[[Any], None]) -> str | None:
        """Apply `process(post)` atomically, check every invariant, record the outcome."""
        pre = self.state.copy()
        reason = apply_atomically(self.state, kind, process, STATS)
        event(f"{kind}: {reason or 'accepted'}")
        check_step(spec, pre, self.state, STATS)
        return reason

    def apply_operation(self, kind: str, operation: Any) -> str | None:
        process = OPERATIONS[kind][1]
        return self.apply(kind, lambda post: process(post, operation))

    def reach(self, name: str) -> None:
        STATS.reached[name] += 1
        event(f"reached: {name}")

    # --- operation builders ----------------------------------------------------------------

    def build_register_operator(self, data: DataObject) -> Any:
        key = data.draw(st.integers(0, OPERATOR_KEYS - 1))
        sender = prefer(
            data, [owner(spec, key)], st.sampled_from(self.addresses()) | random_address
        )
        variant = data.draw(st.integers(0, 9))
        key_bytes, proof = pubkey(key), _proof(key, bytes(sender))
        if variant == 7:  # a proof made for another owner
            other = prefer(data, self.addresses(), random_address)
            proof = _proof(key, bytes(other))
        elif variant == 8:  # garbage proof
            proof = data.draw(st.binary(min_size=96, max_size=96))
        elif variant == 9:  # a key that is no valid point, or the point at infinity
            key_bytes = data.draw(
                st.sampled_from([b"\xc0" + b"\x00" * 47]) | st.binary(min_size=48, max_size=48)
            )
        return spec.RegisterOperator(sender=sender, pubkey=key_bytes, proof_of_possession=proof)

    def weigh(self) -> None:
        """Note when a quorum's weight summed over all operators exceeds 2**127 (huge stakes,
        where a weight overflowing its type once halted epoch processing)."""
        for quorum in range(int(spec.NUM_QUORUMS)):
            total = sum(
                spec.get_operator_weight(self.state, op, spec.QuorumNumber(quorum))
                for op in self.state.operators
            )
            if total > 2**127:
                self.reach("quorum_total_over_2**127")

    def build_deposit(self, data: DataObject) -> Any:
        strategy = self.strategy(data)
        normal = [1, 10**9, ALT, 32 * ALT, 1000 * ALT, 10_000 * ALT, 100_000 * ALT]
        return spec.Deposit(
            sender=self.sender(data),
            strategy=strategy,
            amount=self.amount(data, strategy, normal),
        )

    def build_delegate(self, data: DataObject) -> Any:
        return spec.Delegate(sender=self.sender(data), operator_index=self.operator_index(data))

    def build_undelegate(self, data: DataObject) -> Any:
        delegated = [s.address for s in self.state.stakers if s.operator != spec.NO_OPERATOR]
        return spec.Undelegate(sender=self.sender(data, delegated))

    def build_queue_withdrawal(self, data: DataObject) -> Any:
        stakers = [s.address for s in self.state.stakers]
        sender = self.sender(data, stakers)
        strategy = self.strategy(data)
        index = spec.find_staker(self.state, sender)
        held = 0
        if index is not None and strategy < spec.MAX_STRATEGIES:
            staker = self.state.stakers[index]
            delegated = staker.operator != spec.NO_OPERATOR
            held = int(staker.shares[strategy] if delegated else staker.free[strategy])
        normal = [held, held // 2, 1] if held > 0 else [1, ALT]
        shares = mostly(data, normal, [0, held + 1, U128_MAX])
        return spec.QueueWithdrawal(sender=sender, strategy=strategy, shares=shares)

    def build_complete_withdrawal(self, data: DataObject) -> Any:
        queued = list(self.state.withdrawals)
        epoch = spec.get_current_epoch(self.state)
        ready = [w for w in queued if w.withdrawable_epoch <= epoch]
        if ready and data.draw(st.booleans()):
            queued = ready
        if queued and data.draw(st.integers(0, 7)) < 7:
            withdrawal = data.draw(st.sampled_from(queued))
            sender = prefer(data, [withdrawal.staker], st.sampled_from(self.addresses()))
            withdrawal_id = int(withdrawal.id)
        else:
            sender = self.sender(data)
            next_id = int(self.state.next_withdrawal_id)
            withdrawal_id = data.draw(
                st.sampled_from([next_id, next_id + 1, U64_MAX]) | random_index
            )
        return spec.CompleteWithdrawal(sender=sender, withdrawal_id=withdrawal_id)

    def opt_fields(self, data: DataObject) -> dict[str, Any]:
        operator_index = self.operator_index(data)
        owners = []
        if operator_index < len(self.state.operators):
            owners = [self.state.operators[operator_index].owner]
        return {
            "sender": prefer(data, owners, st.sampled_from(self.addresses()) | random_address),
            "operator_index": operator_index,
            "rollup_id": self.rollup_id(data),
            "service": prefer(data, [0, 1, 2], st.sampled_from([3, U64_MAX]) | random_index),
        }

    def build_opt_in(self, data: DataObject) -> Any:
        return spec.OptIn(**self.opt_fields(data))

    def build_opt_out(self, data: DataObject) -> Any:
        served = [
            (index, operator.owner, ref)
            for index, operator in enumerate(self.state.operators)
            for ref in operator.services
        ]
        if served and data.draw(st.integers(0, 3)) < 3:
            index, operator_owner, ref = data.draw(st.sampled_from(served))
            sender = prefer(data, [operator_owner], st.sampled_from(self.addresses()))
            return spec.OptOut(
                sender=sender, operator_index=index, rollup_id=ref.rollup_id, service=ref.service
            )
        return spec.OptOut(**self.opt_fields(data))

    def build_claim_rewards(self, data: DataObject) -> Any:
        earners = [s.address for s in self.state.stakers if s.rewards > 0]
        earners += [op.owner for op in self.state.operators if op.rewards > 0]
        return spec.ClaimRewards(sender=self.sender(data, earners))

    def build_register_rollup(self, data: DataObject) -> Any:
        fee_rate = mostly(data, [0, ALT, 10 * ALT], [1, U128_MAX])
        services = prefer(data, [[True, True, True]], bits3)
        return spec.RegisterRollup(
            sender=self.sender(data),
            services=spec.Bitvector[spec.NUM_SERVICES](*services),
            fee_rate=fee_rate,
        )

    def build_update_rollup(self, data: DataObject) -> Any:
        rollup_id = self.rollup_id(data)
        current = self.state.rollups[rollup_id] if rollup_id < len(self.state.rollups) else None
        owners = [current.owner] if current is not None else []
        sender = prefer(data, owners, st.sampled_from(self.addresses()) | random_address)
        new_owner = prefer(data, owners, st.sampled_from(self.addresses()))
        services = prefer(data, [[True, True, True]], bits3)
        thresholds = [mostly(data, [51, 66, 100], [0, 50, 101, U64_MAX]) for _ in range(2)]
        return spec.UpdateRollup(
            sender=sender,
            rollup_id=rollup_id,
            owner=new_owner,
            services=spec.Bitvector[spec.NUM_SERVICES](*services),
            fee_rate=mostly(data, [0, ALT, 10 * ALT], [1, U128_MAX]),
            mach_thresholds=thresholds,
            fraud_window_epochs=mostly(data, [1, 16], [0, U64_MAX]),
        )

    def build_pay_service_fees(self, data: DataObject) -> Any:
        normal = [ALT, 100 * ALT, 10_000 * ALT]
        return spec.PayServiceFees(
            sender=self.sender(data),
            rollup_id=self.rollup_id(data),
            amount=self.amount(data, int(spec.ALT_STRATEGY), normal),
        )

    def build(self, kind: str, data: DataObject) -> Any:
        builder: Callable[[DataObject], Any] = getattr(self, f"build_{kind}")
        return builder(data)

    # --- operation rules ---------------------------------------------------------------------

    @rule(data=st.data())
    def register_operator(self, data: DataObject) -> None:
        if self.apply_operation("register_operator", self.build("register_operator", data)) is None:
            self.reach("operator_registered")

    @rule(data=st.data())
    def deposit(self, data: DataObject) -> None:
        if self.apply_operation("deposit", self.build("deposit", data)) is None:
            self.weigh()

    @rule(data=st.data())
    def delegate(self, data: DataObject) -> None:
        self.apply_operation("delegate", self.build("delegate", data))

    @rule(data=st.data())
    def undelegate(self, data: DataObject) -> None:
        self.apply_operation("undelegate", self.build("undelegate", data))

    @rule(data=st.data())
    def queue_withdrawal(self, data: DataObject) -> None:
        self.apply_operation("queue_withdrawal", self.build("queue_withdrawal", data))

    @rule(data=st.data())
    def complete_withdrawal(self, data: DataObject) -> None:
        operation = self.build("complete_withdrawal", data)
        position = spec.find_withdrawal(self.state, operation.withdrawal_id)
        withdrawal = self.state.withdrawals[position].copy() if position is not None else None
        if self.apply_operation("complete_withdrawal", operation) is None:
            assert withdrawal is not None
            self.reach("withdrawal_completed")
            if withdrawal.operator != spec.NO_OPERATOR:
                self.reach("delegated_withdrawal_completed")
                if self.state.operators[withdrawal.operator].slashed:
                    self.reach("withdrawal_completed_after_slashing")

    @rule(data=st.data())
    def opt_in(self, data: DataObject) -> None:
        self.apply_operation("opt_in", self.build("opt_in", data))

    @rule(data=st.data())
    def opt_out(self, data: DataObject) -> None:
        self.apply_operation("opt_out", self.build("opt_out", data))

    @rule(data=st.data())
    def claim_rewards(self, data: DataObject) -> None:
        if self.apply_operation("claim_rewards", self.build("claim_rewards", data)) is None:
            self.reach("rewards_claimed")

    @rule(data=st.data())
    def register_rollup(self, data: DataObject) -> None:
        self.apply_operation("register_rollup", self.build("register_rollup", data))

    @rule(data=st.data())
    def update_rollup(self, data: DataObject) -> None:
        self.apply_operation("update_rollup", self.build("update_rollup", data))

    @rule(data=st.data())
    def pay_service_fees(self, data: DataObject) -> None:
        self.apply_operation("pay_service_fees", self.build("pay_service_fees", data))

    @rule(data=st.data())
    def slash(self, data: DataObject) -> None:
        """`slash_operator`: a random operator, fraction (WAD included), fresh or reused
        evidence, any slashing reason."""
        index = self.operator_index(data)
        fraction = mostly(
            data,
            [1, spec.WAD // 100, spec.WAD // 2, spec.WAD - 1, spec.WAD],
            [0, spec.WAD + 1, U64_MAX],
        )
        used = [record.evidence_root for record in self.state.slashings]
        if used and data.draw(st.integers(0, 3)) == 0:
            evidence = data.draw(st.sampled_from(used))
        else:
            self.evidence += 1
            evidence = spec.Root(self.evidence.to_bytes(32, "big"))
        reason = prefer(data, [1, 2, 3, 4], st.sampled_from([0, 5]) | random_index)
        before = self.state.operators[index].copy() if index < len(self.state.operators) else None
        delegators = [s for s in self.state.stakers if s.operator == index]
        outcome = self.apply(
            "slash_operator",
            lambda post: spec.slash_operator(
                post,
                spec.OperatorIndex(index),
                spec.Wad(fraction),
                evidence,
                spec.SlashingReason(reason),
            ),
        )
        if outcome is not None or before is None:
            return
        self.reach("slashed")
        if any(bytes(s.address) != bytes(before.owner) for s in delegators):
            self.reach("slashed_with_delegators")
        if any(pool.shares > 0 for pool in before.queued):
            self.reach("slashed_with_queued_withdrawals")
        if before.active:
            self.reach("slashed_while_active")
        if before.slashed:
            self.reach("slashed_again")
        if fraction == spec.WAD:
            self.reach("slashed_fully")

    # --- random operations ------------------------------------------------------------------

    @rule(kind=st.sampled_from(sorted(OPERATIONS)), data=st.data())
    def random_operation(self, kind: str, data: DataObject) -> None:
        """A fully random operation of each type, derived from its SSZ definition."""
        type_, process = OPERATIONS[kind]
        operation = data.draw(ssz_values(type_))
        self.apply(f"random {kind}", lambda post: process(post, operation))

    @rule(
        index=random_index,
        fraction=st.integers(0, U64_MAX),
        evidence=ssz_values(spec.Root),
        reason=random_index,
    )
    def random_slash(self, index: int, fraction: int, evidence: Any, reason: int) -> None:
        """`slash_operator` with fully random arguments."""
        self.apply(
            "random slash_operator",
            lambda post: spec.slash_operator(
                post,
                spec.OperatorIndex(index),
                spec.Wad(fraction),
                evidence,
                spec.SlashingReason(reason),
            ),
        )

    # --- blocks and time ---------------------------------------------------------------------

    @rule(
        kinds=st.lists(st.sampled_from(sorted(BODY_FIELDS)), min_size=0, max_size=4),
        randomness=ssz_values(spec.Bytes32),
        data=st.data(),
    )
    def block(self, kinds: list[str], randomness: Any, data: DataObject) -> None:
        """A whole block at the next slot with a few operations, through `state_transition`
        directly on the machine's state: an invalid block must leave it unchanged."""
        body: dict[str, list[Any]] = {}
        for kind in kinds:
            body.setdefault(BODY_FIELDS[kind], []).append(self.build(kind, data))
        slot = spec.Slot(self.state.slot + 1)
        ahead = self.state.copy()
        process_slots(spec, ahead, slot)
        block = spec.Block(
            slot=slot,
            parent_root=spec.hash_tree_root(ahead.latest_block_header),
            body=spec.BlockBody(randomness=randomness, **body),
        )
        expected = apply_atomically(
            ahead, "block body", lambda post: spec.process_block(post, block)
        )
        if expected is None:
            block.state_root = spec.hash_tree_root(ahead)
        pre = self.state.copy()
        reason = apply_atomically(
            self.state, "block", lambda state: spec.state_transition(state, block), STATS
        )
        # `state_transition` is applied to a copy by `apply_atomically`, but it must itself be
        # atomic: rerun it on the machine's state when it rejected.
        if reason is not None:
            root = self.state.hash_tree_root()
            with contextlib.suppress(AssertionError):
                spec.state_transition(self.state, block)
            if self.state.hash_tree_root() != root:
                raise SpecCrash(f"state_transition rejected with {reason!r} but changed the state")
        event(f"block: {reason or 'accepted'}")
        if reason != expected:
            raise SpecCrash(f"block: state_transition gave {reason!r}, process_block {expected!r}")
        if reason is None:
            self.reach("block_with_operations" if kinds else "empty_block")
            if self.state.hash_tree_root() != block.state_root:
                raise SpecCrash("block accepted but the state is not its state_root")
        check_step(spec, pre, self.state, STATS)

    def advance(self, slots: int) -> None:
        """Move the state `slots` empty slots ahead; check the invariants and, on the first slot
        of an epoch, the committee snapshot."""
        pre = self.state.copy()
        process_slots(spec, self.state, spec.Slot(self.state.slot + slots))
        check_step(spec, pre, self.state, STATS)
        if self.state.slot % spec.SLOTS_PER_EPOCH == 0:
            try:
                spec.check_committee_snapshot(self.state)
            except Exception:
                STATS.violations += 1
                raise
        self.observe_time(pre)

    def observe_time(self, pre: Any) -> None:
        state = self.state
        if any(operator.active for operator in state.operators):
            self.reach("operator_active")
        epoch = spec.get_current_epoch(state)
        committees = state.committees[epoch % spec.COMMITTEE_HISTORY]
        if any(c.epoch == epoch and len(c.members) > 0 for c in committees):
            self.reach("committee_with_members")
        earned = sum(int(s.rewards) for s in state.stakers)
        earned += sum(int(op.rewards) for op in state.operators)
        earned_before = sum(int(s.rewards) for s in pre.stakers)
        earned_before += sum(int(op.rewards) for op in pre.operators)
        if earned > earned_before:
            self.reach("rewards_paid")
        if any(
            post.fee_balance < before.fee_balance
            for before, post in zip(pre.rollups, state.rollups, strict=True)
        ):
            self.reach("service_fees_charged")

    @rule()
    def next_slot(self) -> None:
        self.advance(1)

    @rule()
    def next_epoch(self) -> None:
        """To the first slot of the next epoch."""
        self.advance(int(spec.SLOTS_PER_EPOCH - self.state.slot % spec.SLOTS_PER_EPOCH))

    @rule(epochs=st.integers(2, 5))
    def several_epochs(self, epochs: int) -> None:
        """Several epochs at once, enough to pass the ALT cooldown (4 epochs in minimal)."""
        start = self.state.slot - self.state.slot % spec.SLOTS_PER_EPOCH
        self.advance(int(start + epochs * spec.SLOTS_PER_EPOCH - self.state.slot))


StakingMachine.TestCase.settings = fuzz_settings(DEFAULT_EXAMPLES, STEPS)
TestStakingMachine = StakingMachine.TestCase


# --- At capacity ---------------------------------------------------------------------------------


@cache
def _crowded_start() -> Any:
    """`staked_state` with 4 operators and one more registered, each registry one short of
    full: rollups, stakers, queued withdrawals, slashing records, and operator 0's services."""
    state = staked_state(spec, operators=4)
    spec.process_register_operator(state, register_operation(spec, state, 4))
    while len(state.rollups) < spec.MAX_ROLLUPS - 1:
        register_rollup(spec, state)
    refs = [(r, s) for r in range(1, len(state.rollups)) for s in range(int(spec.NUM_SERVICES))]
    for rollup_id, service in refs[
        : spec.MAX_OPERATOR_SERVICES - 1 - len(state.operators[0].services)
    ]:
        spec.process_opt_in(
            state,
            spec.OptIn(
                sender=owner(spec, 0), operator_index=0, rollup_id=rollup_id, service=service
            ),
        )
    stranger = 0
    while len(state.stakers) < spec.MAX_STAKERS - 1:
        stranger += 1
        sender = spec.Address((0xC0FFEE << 64 | stranger).to_bytes(20, "big"))
        spec.process_deposit(
            state, spec.Deposit(sender=sender, strategy=spec.ALT_STRATEGY, amount=ALT)
        )
    while len(state.withdrawals) < spec.MAX_QUEUED_WITHDRAWALS - 1:
        sender = state.stakers[4 + len(state.withdrawals) % (len(state.stakers) - 4)].address
        spec.process_queue_withdrawal(
            state, spec.QueueWithdrawal(sender=sender, strategy=spec.ALT_STRATEGY, shares=ALT // 4)
        )
    while len(state.slashings) < spec.MAX_SLASHINGS - 1:
        evidence = spec.Root((0xE51D << 64 | len(state.slashings)).to_bytes(32, "big"))
        spec.slash_operator(
            state, spec.OperatorIndex(4), spec.Wad(1), evidence, spec.SlashingReason(1)
        )
    advance_epochs(spec, state, 1)
    return state


class CrowdedStakingMachine(StakingMachine):
    """The machine's operations, started with every registry one short of full, plus steps
    that add one more entry to a registry (`new_*`). Driven by `test_at_capacity`, not as a
    state machine of its own."""

    def start(self) -> None:  # type: ignore[override]
        STATS.examples += 1
        event("start: crowded")
        self.state = _crowded_start().copy()
        self.strangers = 0
        check_step(spec, self.state, self.state, STATS)

    def new_staker(self, data: DataObject) -> None:
        """A deposit from an address that has no staker record yet."""
        self.strangers += 1
        sender = spec.Address((0xF1 << 152 | self.strangers).to_bytes(20, "big"))
        self.apply_operation(
            "deposit", spec.Deposit(sender=sender, strategy=spec.ALT_STRATEGY, amount=ALT)
        )

    def new_withdrawal(self, data: DataObject) -> None:
        """A withdrawal of one unit of free ALT."""
        free = [s.address for s in self.state.stakers if s.free[spec.ALT_STRATEGY] > 0]
        sender = data.draw(st.sampled_from(free)) if free else self.sender(data)
        self.apply_operation(
            "queue_withdrawal",
            spec.QueueWithdrawal(sender=sender, strategy=spec.ALT_STRATEGY, shares=1),
        )

    def new_slashing(self, data: DataObject) -> None:
        """A slashing of the smallest fraction with fresh evidence."""
        self.evidence += 1
        evidence = spec.Root((0xF2 << 248 | self.evidence).to_bytes(32, "big"))
        index = self.operator_index(data)
        self.apply(
            "slash_operator",
            lambda post: spec.slash_operator(
                post, spec.OperatorIndex(index), spec.Wad(1), evidence, spec.SlashingReason(1)
            ),
        )

    def new_service(self, data: DataObject) -> None:
        """Operator 0 opts in to a service of a rollup it does not serve yet."""
        operator = self.state.operators[0]
        pairs = [
            (rollup_id, service)
            for rollup_id in range(len(self.state.rollups))
            for service in range(int(spec.NUM_SERVICES))
            if not spec.is_serving(operator, rollup_id, service)
        ]
        rollup_id, service = data.draw(st.sampled_from(pairs)) if pairs else (0, 0)
        operation = spec.OptIn(
            sender=operator.owner, operator_index=0, rollup_id=rollup_id, service=service
        )
        self.apply_operation("opt_in", operation)

    def new_rollup(self, data: DataObject) -> None:
        self.apply_operation("register_rollup", self.build("register_rollup", data))

    def any_block(self, data: DataObject) -> None:
        kinds = data.draw(st.lists(st.sampled_from(sorted(BODY_FIELDS)), max_size=4))
        self.block(kinds=kinds, randomness=data.draw(ssz_values(spec.Bytes32)), data=data)

    def any_epoch(self, data: DataObject) -> None:
        self.next_epoch()


CAPACITY_STEPS = ("new_staker", "new_withdrawal", "new_slashing", "new_service", "new_rollup") * 2
"""Every registry that starts one short of full is added to twice: the second one is refused."""

OTHER_STEPS = (
    "deposit",
    "queue_withdrawal",
    "undelegate",
    "complete_withdrawal",
    "slash",
    "opt_in",
    "register_rollup",
    "any_block",
    "any_epoch",
)
"""Operations of the machine mixed in between (undelegating queues one withdrawal per
strategy; a block may hold several operations that fill a registry)."""


@fuzz_settings(CROWDED_EXAMPLES, 1, share=0.01)
@given(data=st.data())
def test_at_capacity(data: DataObject) -> None:
    """The capacity reason codes (`staker_registry_full`, `withdrawal_queue_full`,
    `slashing_records_full`, `rollup_registry_full`, `too_many_services`): from a state with
    every registry one short of full, each registry is added to twice, in a random order mixed
    with other operations, blocks and epochs, with the machine's checks after every step. The
    invariant checks cost about 30 times more per step there than in the machine, so this is a
    plain test of one sequence per example rather than a state machine of its own."""
    others = data.draw(st.lists(st.sampled_from(OTHER_STEPS), max_size=CROWDED_EXTRA_STEPS))
    steps = data.draw(st.permutations(CAPACITY_STEPS + tuple(others)))
    machine = CrowdedStakingMachine()
    machine.start()
    for name in steps:
        event(f"crowded step: {name}")
        getattr(machine, name)(data=data)


@pytest.fixture(scope="module", autouse=True)
def fuzz_summary() -> Iterator[None]:
    """Print the campaign's summary at the end of the module (shown with `-s`)."""
    yield
    if STATS.examples:
        print()
        print(STATS.summary())
        print(STATS.details())


def test_epoch_survives_the_largest_eth_stake() -> None:
    """Regression (found with the machine): a delegator deposits all the beacon ETH the ledger
    can still record. Operator 0's ETH weight fits in an `Amount`, but its committee's ETH total
    did not, and epoch processing raised (halting the chain) until weights became `Weight`
    (uint256). Epoch processing must not fail however much is staked."""
    state = _start_state("delegated").copy()
    room = int(spec.MAX_AMOUNT) - int(state.ledgers[spec.BEACON_ETH_STRATEGY].received)
    deposit = spec.Deposit(sender=account(0), strategy=spec.BEACON_ETH_STRATEGY, amount=room)
    assert (
        apply_atomically(state, "deposit", lambda post: spec.process_deposit(post, deposit)) is None
    )
    pre = state.copy()
    process_slots(spec, state, spec.Slot(state.slot + spec.SLOTS_PER_EPOCH))
    check_step(spec, pre, state)
    spec.check_committee_snapshot(state)
