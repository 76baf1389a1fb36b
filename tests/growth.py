"""Guards by growth (tests/test_scale.py, tests/test_migrate_scale.py): at n and GROWTH * n a shape
must take less than MARGIN times the linear growth; quadratic work takes GROWTH times longer
still. The only timing the suite asserts (speed itself is measured by benchmarks/)."""

import time

GROWTH, MARGIN = 16, 10


def best(fn, n: int) -> float:
    """The shorter of two runs of ``fn(n)``, in seconds."""
    times = []
    for _ in range(2):
        t = time.perf_counter()
        fn(n)
        times.append(time.perf_counter() - t)
    return min(times)


def guard(fn, n: int, growth: int = GROWTH) -> None:
    small, big = best(fn, n), best(fn, n * growth)
    name = getattr(fn, "__name__", "shape")
    assert big < MARGIN * growth * small + 0.5, f"{name}: {small:.3f} s at n={n}, {big:.3f} s at {n * growth}"
