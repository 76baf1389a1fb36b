"""A command's wrappers walked once per spelling give what walking each gives (issue 18, r116).

aishell/shell.py's _Reader._command reads a chain of wrappers (`sudo -u x env A=1 nice -n 5 …
claude -v`) one at a time, each by _skip_wrapper to the command it runs; with WRAPPER_MEMO the
answer for a wrapper whose words, from its own on, are the same as an earlier one's in the same
command is that one's, moved (benchmarks/scale.py's wrapper chain walked each of its million).
Each RUN here is a generated chain of wrappers, their options, values and operands in turn,
repeated so that the memo answers, with near misses it must not answer alike: a refused value
(`timeout 5x`, `nice -n x`, `taskset zz`), an option that runs nothing (`sudo -l`, `env -S`,
`command -v`), a value an expansion gives, a chain cut by the end of the words, a shell or
`exec` after a wrapper. Read with WRAPPER_MEMO on and off, everything a rule sees of the script
(commands, spans, items) and every finding of every rule must agree.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.runs import read_switched
from tests.test_shell_fast import _dump

_WRAPPERS = [
    "sudo -u x",
    "sudo",
    "sudo -E -u x",
    "sudo -l",
    "sudo -h",
    "sudo -u",
    "env A=1",
    "env",
    "env -i A=1",
    "env -S",
    "env -u A",
    "nice -n 5",
    "nice -5",
    "nice -n x",
    "nice --adjustment=3",
    "timeout 5",
    "timeout 5x",
    "timeout -s KILL 5",
    "timeout -k 1 5",
    "timeout $T",
    "runuser -u x --",
    "runuser -u x",
    "exec",
    "exec -a x",
    "nohup",
    "time",
    "time -p",
    "stdbuf -o0",
    "stdbuf -oL -e0",
    "gosu x",
    "chroot /",
    "chroot --userspec=x /",
    "ionice -c 3",
    "ionice -c 9",
    "taskset 1",
    "taskset zz",
    "taskset -c 0",
    "npx -y",
    "xargs -r",
    "xargs -n 1",
    "setsid -f",
    "command",
    "command -v",
    "builtin",
    "doas -u x",
    "flock /f",
    "flock /f -c",
    "--",
    "-x",
    "env A=1 B=2 C=3 D=4 E=5 F=6 G=7",
    "env A=1 B=2 C=3 D=4 E=5 F=6 G=7 H=8",
    "nice -n 1 -n 2 -n 3 -n 4",
    "nice -n 1 -n 2 -n 3 -n x",
]
_ENDS = ["claude -v", "codex", "sh -c 'claude -v'", "bash", "true", "exec claude", "eval claude", "", "cd /x"]


def _record(ins) -> tuple:
    return _dump(shell.analyse_run(ins))


def _same(runs: list[str], base: str = "FROM aishell:foundation") -> None:
    text = base + "\n" + "".join(f"RUN {r}\n" for r in runs)
    switches = ("WRAPPER_MEMO",)
    assert read_switched(text, switches, True, _record) == read_switched(text, switches, False, _record), text


def _chain(words: list[str], times: int, end: str, joiner: str = " ") -> str:
    return joiner.join(words * times + [end]).strip()


def test_the_shapes_chain():
    # benchmarks/scale.py's wrapper chain (its wrappers in turn, on continued lines), shorter.
    shape = ["sudo -u x", "env A=1", "nice -n 5", "timeout 5", "runuser -u x --", "exec", "nohup", "time"]
    shape += ["stdbuf -o0", "gosu x", "chroot /", "ionice -c 3", "taskset 1", "npx -y"]
    for times in (1, 2, 5):
        for end in _ENDS:
            _same([_chain(shape, times, end), _chain(shape, times, end, " \\\n ")])


def test_each_wrapper_repeated():
    # Each wrapper, alone and beside each other, many times over: the memo answers from the second.
    pairs = [[a] for a in _WRAPPERS] + [[a, b] for a, b in random.Random(116).sample(
        [(a, b) for a in _WRAPPERS for b in _WRAPPERS], 150
    )]  # fmt: skip
    for k in range(0, len(pairs), 50):
        _same([_chain(p, 4, end) for p in pairs[k : k + 50] for end in ("claude -v", "")])


def test_long_options():
    # Wrappers of more words than the memo's key holds: walked each time (the same first words,
    # another command's word, or a refused value, past them).
    longs = _WRAPPERS[-4:]
    for a in longs:
        for b in longs:
            for end in ("claude -v", "x", ""):
                _same([f"{a} {b} {a} {end}".strip(), f"{a} {a} {b} {b} {end}".strip()])


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_WRAPPERS), min_size=1, max_size=5),
    st.integers(min_value=1, max_value=4),
    st.sampled_from(_ENDS),
    st.lists(st.sampled_from(_WRAPPERS), min_size=0, max_size=3),
)
def test_generated_chains(words, times, end, tail):
    # A chain repeated, then other wrappers before the command (the memo's words differ there).
    _same([_chain(words, times, " ".join([*tail, end])), _chain(words, times, end) + " && " + _chain(tail, 2, end)])
