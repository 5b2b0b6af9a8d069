"""`make bench`: the speed figures of DESIGN.md section 5, measured on this machine.

Prints compile time, cached (no-op) rebuild time, time to generate every vector, and BLS verify
time per backend with their ratio. Each figure is the best of a few runs.
"""

import os
import time
from collections.abc import Callable

from altspec.compiler.build import build
from altspec.crypto import bls
from altspec.testing.keys import privkey, pubkey
from altspec.vectors.generate import generate_files


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest wall-clock time of `runs` runs of `work`, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def verify_time(backend: str, runs: int) -> float:
    """Seconds per `bls.Verify` of one valid signature with `backend`."""
    bls.use(backend)
    try:
        message = b"altspec bench"
        signature = bls.Sign(privkey(0), message)
        key = pubkey(0)
        assert bls.Verify(key, message, signature)
        return best_of(runs, lambda: bls.Verify(key, message, signature))
    finally:
        bls.use("arkworks")


def main() -> None:
    compile_s = best_of(3, lambda: build(force=True))
    cached_s = best_of(5, build)
    vectors_s = best_of(1, lambda: generate_files(progress=False))
    fast = verify_time("arkworks", 20)
    reference = verify_time("py_ecc", 3)
    rows = [
        ("compile the spec (both presets)", f"{compile_s:.3f} s", "target < 2 s"),
        ("cached rebuild (nothing changed)", f"{cached_s * 1000:.1f} ms", "target < 200 ms"),
        (f"generate all vectors ({os.cpu_count()} cores)", f"{vectors_s:.1f} s", "target < 60 s"),
        ("BLS Verify, arkworks", f"{fast * 1000:.2f} ms", ""),
        ("BLS Verify, py_ecc", f"{reference * 1000:.1f} ms", ""),
        ("BLS Verify ratio py_ecc / arkworks", f"{reference / fast:.0f}x", ""),
    ]
    width = max(len(name) for name, _, _ in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")


if __name__ == "__main__":
    main()
