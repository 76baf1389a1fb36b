"""Guards by growth (tests/test_scale.py, tests/test_migrate_scale.py): at n and GROWTH * n a shape
must take less than MARGIN times the linear growth; quadratic work takes GROWTH times longer
still. The only timing the suite asserts (speed itself is measured by benchmarks/).

Every guard measures CPU seconds (cpu_time), not wall time: other processes on a loaded machine
add nothing to them (a 5 s wall-clock guard failed at 6.6-7.2 s with the load average at 15-25,
on work that takes 0.5 s)."""

import os
import time

GROWTH, MARGIN = 16, 10


def cpu_time() -> float:
    """CPU seconds used by this process and the children it has waited for."""
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


def best(fn, n: int) -> float:
    """The shorter of two runs of ``fn(n)``, in seconds."""
    times = []
    for _ in range(2):
        t = cpu_time()
        fn(n)
        times.append(cpu_time() - t)
    return min(times)


def guard(fn, n: int, growth: int = GROWTH) -> None:
    small, big = best(fn, n), best(fn, n * growth)
    name = getattr(fn, "__name__", "shape")
    assert big < MARGIN * growth * small + 0.5, f"{name}: {small:.3f} s at n={n}, {big:.3f} s at {n * growth}"
