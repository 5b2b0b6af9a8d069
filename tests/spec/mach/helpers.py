"""Builders shared by the MACH spec tests: states with MACH committees, and real signed
attestations, alerts, certificates and equivocation evidence. Everything goes through the spec's
own processing functions and honest-operator helpers, so a built state satisfies every invariant
(the few exceptions fill a bounded list directly and say why)."""

from collections.abc import Iterable, Iterator, Sequence
from types import ModuleType
from typing import Any

from altspec.crypto import bls
from altspec.testing.blocks import advance_epochs
from altspec.testing.context import Part
from altspec.testing.genesis import genesis_state
from altspec.testing.keys import privkey
from altspec.testing.outcomes import run_step
from altspec.testing.staking import add_operator, owner, register_rollup

ROLLUP = 0
"""The rollup every MACH test state registers first."""

DEFAULT_UNITS = 10
"""Each test operator stakes this many minimum weights of each quorum unless told otherwise."""


def alt_units(spec: ModuleType, units: int) -> int:
    """`units` times the initial minimum ALT weight, in base units (1,000 ALT on minimal,
    100,000 ALT on mainnet), so that a test reads the same on every preset."""
    return units * int(spec.config.INITIAL_MIN_ALT_WEIGHT)


def eth_units(spec: ModuleType, units: int) -> int:
    """`units` times the initial minimum ETH weight, in base units (1 ETH on minimal, 32 ETH on
    mainnet)."""
    return units * int(spec.config.INITIAL_MIN_ETH_WEIGHT)


def root(byte: int) -> bytes:
    """A distinct 32-byte output root for each `byte`."""
    return bytes([byte]) * 32


def stakes(spec: ModuleType, units: Sequence[int]) -> tuple[list[int], list[int]]:
    """The ALT and ETH stakes of operators that stake `units[i]` minimum weights of each."""
    return [alt_units(spec, u) for u in units], [eth_units(spec, u) for u in units]


def mach_state(spec: ModuleType, operators: int = 4, alt: Sequence[int] | None = None,
               eth: Sequence[int] | None = None, services: tuple[int, ...] = (0,)) -> Any:
    """A state one epoch after genesis with rollup 0 (MACH enabled, and `services`) served by
    `operators` active operators; operator `i` stakes `alt[i]` ALT and `eth[i]` beacon ETH, in
    base units (default `DEFAULT_UNITS` minimum weights of each). The committees of the current
    epoch exist."""
    state = genesis_state(spec)
    rollup = register_rollup(spec, state, services)
    for index in range(operators):
        add_operator(
            spec, state, index,
            alt=alt_units(spec, DEFAULT_UNITS) if alt is None else alt[index],
            eth=eth_units(spec, DEFAULT_UNITS) if eth is None else eth[index],
            services=((rollup, int(spec.SERVICE_MACH)),),
        )
    advance_epochs(spec, state, 1)
    return state


def current_epoch(spec: ModuleType, state: Any) -> int:
    return int(spec.get_current_epoch(state))


def attestation_data(spec: ModuleType, state: Any, l2_block: int, output_root: bytes,
                     epoch: int | None = None, rollup_id: int = ROLLUP) -> Any:
    """What an operator signs to attest `output_root` at `l2_block` (epoch: the current one)."""
    return spec.OutputAttestationData(
        rollup_id=rollup_id,
        l2_block_number=l2_block,
        output_root=output_root,
        epoch=current_epoch(spec, state) if epoch is None else epoch,
    )


def alert_data(spec: ModuleType, state: Any, l2_block: int, invalid_root: bytes,
               expected_root: bytes, epoch: int | None = None, rollup_id: int = ROLLUP) -> Any:
    """What an operator signs to say `invalid_root` is wrong at `l2_block`."""
    return spec.OutputAlertData(
        rollup_id=rollup_id,
        l2_block_number=l2_block,
        invalid_output_root=invalid_root,
        expected_output_root=expected_root,
        epoch=current_epoch(spec, state) if epoch is None else epoch,
    )


def attestation_signatures(spec: ModuleType, state: Any, data: Any,
                           signers: Iterable[int]) -> dict[Any, Any]:
    """The signatures of `signers` over attestation `data`, by operator index."""
    return {
        spec.OperatorIndex(i): spec.get_attestation_signature(state, data, privkey(i))
        for i in signers
    }


def alert_signatures(spec: ModuleType, state: Any, data: Any,
                     signers: Iterable[int]) -> dict[Any, Any]:
    """The signatures of `signers` over alert `data`, by operator index."""
    return {
        spec.OperatorIndex(i): spec.get_alert_signature(state, data, privkey(i)) for i in signers
    }


def output_certificate(spec: ModuleType, state: Any, data: Any, signers: Iterable[int]) -> Any:
    """The certificate an honest aggregator builds from the attestations of `signers`."""
    signatures = attestation_signatures(spec, state, data, signers)
    return spec.build_output_certificate(state, data, signatures)


def alert_certificate(spec: ModuleType, state: Any, data: Any, signers: Iterable[int]) -> Any:
    """The certificate an honest aggregator builds from the alerts of `signers`."""
    return spec.build_alert_certificate(state, data, alert_signatures(spec, state, data, signers))


def indexed_attestation(spec: ModuleType, state: Any, data: Any, signers: Sequence[int]) -> Any:
    """`data` signed by `signers` (in the given order) as evidence names them."""
    signatures = [spec.get_attestation_signature(state, data, privkey(i)) for i in signers]
    return spec.IndexedOutputAttestation(
        data=data,
        signers=[spec.OperatorIndex(i) for i in signers],
        signature=spec.BLSSignature(bls.Aggregate(signatures)),
    )


def equivocation(spec: ModuleType, state: Any, l2_block: int, root_1: bytes,
                 signers_1: Sequence[int], root_2: bytes, signers_2: Sequence[int]) -> Any:
    """Evidence that `signers_1` attested `root_1` and `signers_2` attested `root_2` for one
    block of rollup 0, in the current epoch."""
    data_1 = attestation_data(spec, state, l2_block, root_1)
    data_2 = attestation_data(spec, state, l2_block, root_2)
    return spec.MachEquivocation(
        attestation_1=indexed_attestation(spec, state, data_1, signers_1),
        attestation_2=indexed_attestation(spec, state, data_2, signers_2),
    )


def certify(spec: ModuleType, state: Any, l2_block: int, output_root: bytes,
            signers: Iterable[int] = (0, 1, 2), rollup_id: int = ROLLUP) -> None:
    """Certify `output_root` at `l2_block` with a certificate of `signers` (setup)."""
    data = attestation_data(spec, state, l2_block, output_root, rollup_id=rollup_id)
    spec.process_output_certificate(state, output_certificate(spec, state, data, signers))


def raise_alert(spec: ModuleType, state: Any, l2_block: int, invalid_root: bytes,
                expected_root: bytes, signers: Iterable[int] = (0, 1, 2)) -> Any:
    """Confirm an alert (setup); return its root, the handle `resolve_alert` takes."""
    data = alert_data(spec, state, l2_block, invalid_root, expected_root)
    spec.process_alert_certificate(state, alert_certificate(spec, state, data, signers))
    return spec.hash_tree_root(data)


def update_thresholds(spec: ModuleType, state: Any, thresholds: Sequence[int],
                      rollup_id: int = ROLLUP) -> None:
    """The rollup owner sets the rollup's MACH thresholds with `UpdateRollup`."""
    rollup = state.rollups[rollup_id]
    spec.process_update_rollup(state, spec.UpdateRollup(
        sender=rollup.owner,
        rollup_id=rollup_id,
        owner=rollup.owner,
        services=rollup.services,
        fee_rate=rollup.fee_rate,
        mach_thresholds=list(thresholds),
        fraud_window_epochs=rollup.fraud_window_epochs,
    ))


def delegator_deposit(spec: ModuleType, state: Any, address: bytes, operator: int,
                      amount: int) -> None:
    """An outside staker deposits `amount` ALT and delegates it to `operator`."""
    sender = spec.Address(address)
    spec.process_deposit(state, spec.Deposit(
        sender=sender, strategy=spec.ALT_STRATEGY, amount=amount))
    spec.process_delegate(state, spec.Delegate(sender=sender, operator_index=operator))


def queue_own_withdrawal(spec: ModuleType, state: Any, operator: int, shares: int) -> None:
    """The operator's owner queues `shares` of its own ALT stake for withdrawal."""
    spec.process_queue_withdrawal(state, spec.QueueWithdrawal(
        sender=owner(spec, operator), strategy=spec.ALT_STRATEGY, shares=shares))


def slashed_operators(state: Any) -> list[int]:
    """The indices of the slashed operators."""
    return [index for index, operator in enumerate(state.operators) if operator.slashed]


def fast_final_checks(spec: ModuleType, state: Any,
                      blocks: Iterable[tuple[int, int]]) -> list[dict[str, Any]]:
    """`checks.yaml` of a finality vector: for each (rollup, L2 block), whether the spec says
    it is fast-final in `state`."""
    return [
        {
            "rollup_id": rollup_id,
            "l2_block_number": l2_block,
            "fast_final": bool(spec.is_fast_final(state, rollup_id, l2_block)),
        }
        for rollup_id, l2_block in blocks
    ]


def run_resolution(spec: ModuleType, state: Any, alert_root: bytes, outcome: int,
                   reason: str | None = None) -> Iterator[Part]:
    """Yield a `resolve_alert` operations vector: `pre`, `resolution.yaml`
    (`{alert_root, outcome}`), then `post`, or no post and `reason`. As with a block operation,
    the call works on a copy adopted only when it is accepted."""
    given = {"alert_root": "0x" + bytes(alert_root).hex(), "outcome": int(outcome)}
    yield from run_step(
        state, "resolution", given,
        lambda post: spec.resolve_alert(post, spec.Root(alert_root), spec.uint64(outcome)),
        reason,
    )
