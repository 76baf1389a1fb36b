"""The wrappers read the values of their options and operands as the real tools do: a value the
tool refuses (a usage error, or a setting that fails) runs nothing, and one an expansion gives
may be refused: a warning at most (aishell.wrapper_values).

Red team (round twelve, ~800 of 8,475 sweep lines, all false errors): `nice -n x claude`,
`timeout 5x claude`, `timeout -s FOO 5 claude`, `stdbuf -oX claude`, `ionice --class= claude`,
`taskset zz claude`, `prlimit --nofile=abc claude`, `flock -w x f claude`, `xargs -n 0 claude`
were errors, though the tool exits with its usage before it runs anything; `timeout "$T"
claude`, `sudo -u "$U" claude` too, though the value may be empty.

The class: `WRAPPER OPT VALUE… claude -v`, each value checked (a duration, a signal, an integer,
a buffer mode, an I/O class, a CPU mask or list, a resource limit, an xargs count) drawn from
pieces that make valid, invalid and borderline ones (empty, signs, blanks, suffixes, overflow,
hex, floats, Unicode digits, expansions). dash runs each line with the tool (the oracle) and a
stub `claude`: an AIS002 error must mean the stub ran and the RUN failed, the stub running a
finding (tests/test_ais002_wrapper_options.py's `_verdict`).
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.severities import severities
from tests.test_ais002_wrapper_options import HEAD, PATH, _verdict

# Each tool's lines: `{v}` is the value, written in double quotes (an expansion in it expands).
LINES = {
    "timeout": ["-s {v} 5", "--signal={v} 5", "-k {v} 5", "--kill-after {v} 5", "{v}", "-s TERM {v}"],
    "nice": ["-n {v}", "--adjustment={v}", "-n {v} -n 5", "-n 5 -n {v}", "-{v}", "-n 5 -{v}"],
    "xargs": ["-n {v}", "-L {v}", "-l{v}", "-P {v}", "-s {v}", "--max-args={v}", "--max-procs {v}", "-rn {v}"],
    "stdbuf": ["-o {v}", "-e{v}", "-i {v}", "--output={v}", "--input {v}", "-oL -e {v}"],
    "flock": ["-w {v} lk", "-E {v} lk", "--timeout={v} lk", "--conflict-exit-code {v} lk"],
    "ionice": ["-c {v}", "-n {v}", "--class={v}", "-c 2 -n {v}", "-t -c {v}", "--classdata {v}"],
    "taskset": ["{v}", "-c {v}", "--cpu-list {v}", "-a {v}"],
    "prlimit": ["--nofile={v}", "--core={v}", "-c{v}", "--cpu={v}", "-s{v}"],
    "env": ["-u {v}", "--unset={v}", "--block-signal={v}", "--default-signal={v}", "--ignore-signal={v}"],
}
# The pieces values are made of: numbers at the edges of the tools' ranges, signs, blanks,
# suffixes of durations and sizes, hex and float forms, signal names, class names, CPU lists,
# limits, Unicode digits, expansions (X is unset: empty; `${X:-5}` is 5).
PIECES = (
    ["", " ", "\t", "+", "-", "0", "1", "2", "3", "5", "7", "8", "9", "00", "10", "255", "256", "4096"]
    + [
        "32",
        "64",
        "65",
        "128",
        "160",
        "2147483647",
        "2147483648",
        "99999999999999999999",
        ".",
        ".5",
        "e",
        "e3",
        "e400",
        "x",
        "0x",
        "1f",
        "p1",
    ]
    + ["s", "m", "h", "d", "ms", "S", "K", "M", "G", "E", "Z", "Y", "iB", "B", "D", "L", "l", ",", ":", "-1"]
    + ["TERM", "SIG", "sig", "int", "KILL", "STOP", "EXIT", "RTMIN", "RTMAX", "+1", "-30", "unlimited"]
    + ["inf", "nan", "none", "idle", "best-effort", "Realtime", "٥", "５", "$X", "${X:-5}", "$(echo 5)"]
)
# (One piece alone half the time: the edges themselves, `L`, `160`, are drawn often.)
VALUES = st.one_of(st.sampled_from(PIECES), st.lists(st.sampled_from(PIECES), min_size=0, max_size=3).map("".join))


def _line(template: str, value: str) -> str:
    return template.replace("{v}", f'"{value}"')


@pytest.mark.parametrize("name", sorted(LINES))
def test_a_generated_wrapper_value_reads_as_the_tool_takes_it(name, tmp_path_factory):
    if shutil.which(name, path=PATH) is None:
        pytest.skip(f"{name} is not installed here")
    tmp = tmp_path_factory.mktemp(name)
    (tmp / "lk").touch()

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(LINES[name]), VALUES)
    def check(template, value):
        _verdict(name, _line(template, value), tmp)

    check()


@pytest.mark.parametrize("name", sorted(LINES))
def test_each_piece_alone_reads_as_the_tool_takes_it(name, tmp_path):
    """Every line of the tool with every piece alone as its value: each edge, enumerated."""
    if shutil.which(name, path=PATH) is None:
        pytest.skip(f"{name} is not installed here")
    (tmp_path / "lk").touch()
    for template in LINES[name]:
        for piece in PIECES:
            _verdict(name, _line(template, piece), tmp_path)


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("nice -n x claude -v", []),
        ("nice -n x -n 5 claude -v", ["error"]),  # (only the last adjustment is read)
        ("nice -n ' 5' claude -v", ["error"]),  # (strtol skips blanks before it)
        ("timeout 5x claude -v", []),
        ("timeout 0x1p3s claude -v", ["error"]),  # (strtod's hex float, then a suffix)
        ("timeout -s FOO 5 claude -v", []),
        ("timeout -s sigrtmin+2 5 claude -v", ["error"]),
        ("timeout -s 160 5 claude -v", []),  # (160 & 0x7F: 32, no signal's number)
        ("timeout -k x 5 claude -v", []),
        ("stdbuf -oX claude -v", []),
        ("stdbuf -o1KiB claude -v", ["error"]),
        ("stdbuf -iL claude -v", []),  # ("line buffering stdin is meaningless")
        ("ionice --class= claude -v", []),
        ("ionice -c 9 claude -v", ["warning"]),  # (the kernel may mask it, `-t` ignores it)
        ("taskset zz claude -v", []),
        ("taskset 0 claude -v", []),  # (no CPU)
        ("taskset 4 claude -v", ["warning"]),  # (a third CPU: this machine's may not have one)
        ("taskset -c 1x,0 claude -v", ["error"]),  # (cpulist_parse reads past the `x`)
        ("prlimit --nofile=abc claude -v", []),
        ("prlimit --nofile=2:1 claude -v", []),  # (a soft limit above the hard one)
        ("flock -w x f claude -v", []),
        ("flock -E 256 f claude -v", []),
        ("xargs -n 0 claude -v", []),
        ("xargs -P x claude -v", []),
        ("env -u A=B claude -v", []),
        ("env --ignore-signal=KILL claude -v", []),
        ('sudo -u "$U" claude -v', ["warning"]),  # (maybe empty: a usage error)
        ('sudo -C "$N" claude -v', ["warning"]),
        ('timeout "$T" claude -v', ["warning"]),
        ('nice -n "$N" claude -v', ["warning"]),
        ("nice -n 5 claude -v", ["error"]),
        ('nice -"${X:-5}" claude -v', ["warning"]),  # (an option an expansion spells: -5 here)
    ],
)
def test_the_red_team_value_lines(line, want):
    assert severities(HEAD + line + "\n") == want, line
