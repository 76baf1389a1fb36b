"""aishell.state: one schema, a strict and a lenient reader on the same code, one writer (no engine)."""

import json
import os

import pytest

from aishell import state
from aishell.errors import InputError


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "aishell"


def write(home, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "state.json").write_text(text)


def test_path_follows_xdg_state_home(home):
    assert state.state_path() == str(home / "state.json")


def test_missing_is_refused_strictly_empty_leniently_and_readable(home):
    with pytest.raises(InputError, match="no state file"):
        state.load_strict()
    assert state.load() == {}
    assert state.load_checked() == ({}, True)


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "unreadable or corrupt state"),
        ("[1, 2]", "not a JSON object"),
        ('"x"', "not a JSON object"),
        ("", "unreadable or corrupt state"),
    ],
)
def test_corrupt_is_refused_strictly_empty_leniently_and_unreadable(home, text, message):
    write(home, text)
    with pytest.raises(InputError, match=message):
        state.load_strict()
    assert state.load() == {}
    assert state.load_checked() == ({}, False)


def test_not_utf8_is_corrupt(home):
    home.mkdir(parents=True)
    (home / "state.json").write_bytes(b'{"a": "\xff"}')
    with pytest.raises(InputError, match="corrupt"):
        state.load_strict()
    assert state.load() == {}


def test_accessors_on_an_empty_or_partial_state():
    assert state.projects({}) == {} and state.project({}, "/p") == {}
    assert state.foundation_id({}) is None and state.foundation_id({"foundation": {}}) is None
    assert state.harness({}) == {} and state.harness_specs({}) == {} and state.harness_versions({}) == {}
    assert state.harness_volume({}) is None and state.extension({}) == {}
    assert state.project({"projects": None}, "/p") == {}


def test_record_build_then_read_back(home):
    ext = {"tag": "aishell:ext-1", "hash": "e", "image_id": "sha256:e", "foundation_id": "sha256:f"}
    harness = {
        "volume": "aishell-harness-1",
        "hash": "h",
        "versions": {"claude": "2.1.301"},
        "specs": {"claude": {"spec": "latest", "version": "2.1.301"}},
    }
    state.update(lambda d: state.record_build(d, "/p", {"hash": "f", "image_id": "sha256:f"}, ext, harness))
    state.update(lambda d: state.record_build(d, "/q", {"hash": "f2", "image_id": "sha256:f2"}, None, None))
    data = state.load_strict()
    assert state.foundation_id(data) == "sha256:f2"
    assert state.extension(state.project(data, "/p")) == ext
    assert state.harness_volume(state.project(data, "/p")) == "aishell-harness-1"
    assert state.harness_versions(state.project(data, "/p")) == {"claude": "2.1.301"}
    assert state.harness_specs(state.project(data, "/p"))["claude"]["spec"] == "latest"
    assert state.project(data, "/q") == {}
    assert json.loads((home / "state.json").read_text()) == data
    assert not [n for n in os.listdir(home) if n.endswith(".aishell-tmp")]  # no temporary file left


def test_update_over_a_corrupt_file_starts_empty(home):
    write(home, "{broken")
    state.update(lambda d: d.setdefault("projects", {}))
    assert state.load_strict() == {"projects": {}}
