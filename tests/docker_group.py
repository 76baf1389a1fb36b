"""The end of the Docker group, and its worker's priority (tests/conftest.py takes these hooks
as its own).

The Docker tests' fixtures remove what they left on the engine when pytest tears them down:
conftest's ``docker_client`` the harness volumes of the session's state folders, test_security.py's
``built`` the session's extension image, modules' fixtures their images. Session-scoped ones would
be torn down at the session's end, minutes after the last Docker test, when the suite's other tests
end. Here, right after the last Docker test of this process is torn down, everything still set up
is torn down as at the session's end (pytest's own SetupState, told there is no next test); the
tests after it set up again what they use, as each test does at its module's start.

Then the engine is free: the file AISHELL_DOCKER_GROUP_DONE names (if set) is made, and .ci/run,
waiting for it, stops that engine and starts the next one on the same socket while the suite's
other tests go on. Without this, a fixture's removal at the session's end would reach the next
engine (and could remove a content-addressed harness volume of the run on it).

"The last Docker test" is the last item marked ``docker`` among the session's items: the run's
order without pytest-xdist; with it, every worker collects every test in the same order
(conftest's _longest_first puts the Docker group first) and one worker runs the whole group in
that order.
"""

from __future__ import annotations

import os

import pytest

_LAST: list = []  # the last Docker test's node id ("" for none), found at the first teardown


def _is_last_docker_item(item) -> bool:
    if not _LAST:
        docker = [i for i in item.session.items if i.get_closest_marker("docker")]
        _LAST.append(docker[-1].nodeid if docker else "")
    return item.nodeid == _LAST[0]


@pytest.hookimpl(trylast=True)  # (after pytest's own, which tears down what the next test does not use)
def pytest_runtest_teardown(item, nextitem):
    """After the last Docker test's own teardown, the rest of the stack: its module's fixtures,
    the session's. A teardown's error is that test's, as it would be the session's last test's;
    then (or when pytest's own teardown of the test failed: this is not called) there is no
    signal, and .ci/run waits for the suite's end. (A plain hook, not a wrapper: pluggy 1.0,
    which pytest 7 allows, has no ``wrapper=True``.)"""
    if item.get_closest_marker("docker") and _is_last_docker_item(item):
        item.session._setupstate.teardown_exact(None)
        done = os.environ.get("AISHELL_DOCKER_GROUP_DONE")
        if done:
            with open(done, "a"):
                pass
        if hasattr(item.config, "workerinput"):
            os.nice(YIELD_NICE)  # (its worker's other tests yield too: see pytest_runtest_setup)


# The Docker group is CI's longest path (docs/engines.md: the engines one after the other), and
# its worker's own steps (the test, the `aishell` commands it starts) wait for the CPU behind the
# other workers' tests, which have minutes to spare. So under pytest-xdist a worker whose first
# test is not a Docker test lowers its own priority by YIELD_NICE, and the Docker group's worker
# does once the group is done: the kernel gives the group's worker, and then the wheel's Docker
# runs .ci/run starts beside the suite, the CPU first.
YIELD_NICE = 10
_FIRST: list = []  # the first test this process ran


def pytest_runtest_setup(item):
    """On a pytest-xdist worker's first test: YIELD_NICE unless it is a Docker test."""
    if not _FIRST and hasattr(item.config, "workerinput"):
        _FIRST.append(item.nodeid)
        if not item.get_closest_marker("docker"):
            os.nice(YIELD_NICE)
