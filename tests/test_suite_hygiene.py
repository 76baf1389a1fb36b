"""The suite cleans up after itself on the engine: the harnesses its tests made (each test has its
own state folder, so its own owner and its own ~0.5 GB harness) are removed when the Docker tests
end, and nothing else is (tests/conftest.py ``session_harnesses``)."""

import os

from conftest import session_harnesses

from aishell import labels as L


def _labels(owner: str) -> dict:
    return {L.COMPONENT: L.COMPONENT_HARNESS, L.OWNER: owner}


def test_only_what_this_session_made_under_its_folder_is_removed(tmp_path):
    base = tmp_path / "basetemp"
    mine = base / "test_a0" / "state"
    mine.mkdir(parents=True)
    nested = base / "test_b0" / "x"  # XDG_STATE_HOME may be any folder the test made
    nested.mkdir(parents=True)
    elsewhere = tmp_path / "someone" / "state"
    uid = os.getuid()
    before = {"aishell-harness-old": _labels(L.owner(uid, str(mine / "aishell")))}
    now = dict(
        before,
        **{
            "aishell-harness-a": _labels(L.owner(uid, str(mine / "aishell"))),
            "aishell:harness-b": _labels(L.owner(uid, str(nested / "aishell"))),
            "aishell-harness-theirs": _labels(L.owner(uid, str(elsewhere / "aishell"))),
            "aishell-harness-nobody": {L.COMPONENT: L.COMPONENT_HARNESS},
        },
    )
    assert session_harnesses(now, before, base) == ["aishell-harness-a", "aishell:harness-b"]
