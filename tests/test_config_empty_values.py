"""An empty value of the wrong type in `.aishell/config.yaml` is one config error, never an empty
section; an empty rule code is never a prefix of every code (issue 18).

`lint: []`, `lint: 0`, `lint: false`, `lint: ""` (and the same under `build:` and
`lint.severity:`) were read as an empty section through `or {}`, where `lint: x` is refused;
`lint: {ignore: ""}` or `ignore: [AIS101, ""]` matched every rule as a prefix and silenced them
all, AIS001's build-blocking errors too, with exit 0. Every section, every empty or wrong-typed
value, every position of a blank code among real ones.
"""

import itertools

import pytest
import yaml

from aishell.config import _load
from aishell.errors import ConfigError

WRONG = [0, 0.0, False, True, 1, "", "x", [], [1], ["AIS001"]]
SECTIONS = [("lint",), ("build",), ("lint", "severity")]


def _write(tmp_path, data) -> None:
    (tmp_path / ".aishell").mkdir(exist_ok=True)
    (tmp_path / ".aishell" / "config.yaml").write_text(yaml.safe_dump(data))


def _nested(keys: tuple, value):
    for k in reversed(keys):
        value = {k: value}
    return value


@pytest.mark.parametrize("keys", SECTIONS, ids=".".join)
@pytest.mark.parametrize("value", [None, {}, *WRONG], ids=repr)
def test_a_section_is_a_mapping_or_nothing(tmp_path, keys, value):
    _write(tmp_path, _nested(keys, value))
    if value is None or value == {}:
        _load(str(tmp_path))  # (`lint:` with nothing: an empty section)
        return
    with pytest.raises(ConfigError) as e:
        _load(str(tmp_path))
    assert "must" in str(e.value) and "\n" not in str(e.value)


BLANKS = ["", " ", "\t"]


@pytest.mark.parametrize("key", ["select", "ignore"])
@pytest.mark.parametrize("blank", BLANKS, ids=repr)
@pytest.mark.parametrize("n,at", [(n, at) for n in range(3) for at in range(n + 1)])
def test_a_blank_rule_code_is_refused_wherever_it_is(tmp_path, key, blank, n, at):
    codes = ["AIS001", "AIS1"][:n]
    for value in ([*codes[:at], blank, *codes[at:]], blank if n == 0 else None):
        if value is None:
            continue
        _write(tmp_path, {"lint": {key: value}})
        with pytest.raises(ConfigError) as e:
            _load(str(tmp_path))
        assert "unknown rule code" in str(e.value)


@pytest.mark.parametrize(
    "codes", [list(c) for k in range(1, 3) for c in itertools.combinations(["AIS0", "AIS101", "ALL", "ais1"], k)]
)
def test_real_codes_and_prefixes_are_read(tmp_path, codes):
    _write(tmp_path, {"lint": {"ignore": codes}})
    assert _load(str(tmp_path)).lint.ignore == [c.upper() for c in codes]
