"""Commands that run a string or their stdin as shell code (issue 18, recall; found by a red-team
pass): `trap 'claude -v' EXIT`, `env -S'claude -v'` (the value attached), `script -qc 'claude -v'`
(util-linux), `su -lc`, `. /dev/stdin <<EOF` (or `source /dev/stdin`, `sh /dev/stdin`, `bash -s`,
`sh -`: a shell reading the heredoc as its script) were not read. The class: every way a known
tool takes a command line as an option's value (attached, separate, last in a cluster of short
options, `--opt=VALUE`, `--opt VALUE`, after operands where getopt permutes) and every way a
shell is told to read its script on stdin. The spellings are generated and run by the real tool
(dash, bash, env, script, su): the string is read exactly when the tool runs it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.model import parse
from aishell.shell import analyse_run

SH = shutil.which("dash") or shutil.which("sh")
BASH = shutil.which("bash")


def _ran(line: str, shell: str | None = None) -> bool:
    """Whether the real tools, run by ``shell``, print MARK for the script ``line``."""
    out = subprocess.run(
        [shell or SH, "-c", line],
        capture_output=True,
        text=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "SHELL": "/bin/sh", "HOME": "/root"},
    )
    return "MARK" in out.stdout.splitlines()  # (not `env` printing `X=echo MARK`)


def _read(run: str) -> bool:
    """Whether the reader finds `echo MARK` among the commands of ``RUN <run>``."""
    df = parse(f"FROM debian\nRUN {run}\n")
    return any(c.argv == ["echo", "MARK"] for c in analyse_run(df.instructions[1]).commands)


# -- options whose value is a command line --------------------------------------------------------

STRING = "'echo MARK'"


@st.composite
def option_strings(draw):
    """A command line that gives a tool a command string by one of getopt's spellings (or a
    near miss: the option after `--`, after an operand where getopt stops, or none at all)."""
    tool = draw(st.sampled_from(["env", "script", "su"] if shutil.which("su") else ["env", "script"]))
    short, long = {"env": ("S", "--split-string"), "script": ("c", "--command"), "su": ("c", "--command")}[tool]
    flags = {"env": ["-i", "-v", "-0"], "script": ["-q", "-e", "-f"], "su": ["-l", "-m", "-p"]}[tool]
    valued = {"env": ["-u HOME", "-C /", "--chdir=/", "--unset HOME"], "script": ["-E never", "-o 100000"]}
    valued["su"] = ["-s /bin/sh", "--shell=/bin/sh", "-g root"]
    before = draw(st.lists(st.sampled_from(flags + valued[tool]), max_size=2))
    spelling = draw(
        st.sampled_from(
            [
                f"-{short} {STRING}",  # separate
                f"-{short}{STRING}",  # attached
                f"{draw(st.sampled_from(flags))}{short} {STRING}",  # last in a cluster
                f"{draw(st.sampled_from(flags))}{short}{STRING}",  # attached to a cluster
                f"{long}={STRING}",
                f"{long} {STRING}",
                f"-- -{short} {STRING}",  # after `--`: an operand, not an option
                STRING,  # no option at all
            ]
        )
    )
    operand = {"env": "", "script": "/dev/null", "su": "root"}[tool]
    if tool == "env":
        # env stops at its first operand: `env A=1 -S …` runs a command named `-S`.
        pre = draw(st.sampled_from(["", "A=1 "]))
        return f"env {pre}{' '.join(before)} {spelling}".replace("  ", " ")
    where = draw(st.sampled_from(["before", "after"]))  # script and su permute their options
    if where == "before":
        parts = [tool, *before, spelling, operand]
    else:
        parts = [tool, operand, *before, spelling]
    return " ".join(p for p in parts if p)


@pytest.mark.skipif(SH is None or not shutil.which("script"), reason="no dash or script")
@settings(max_examples=300, deadline=None)
@given(option_strings(), st.sampled_from(["{}", "true && {}", "{} ; true", "sh -c {q}{}{q}"]))
def test_a_command_line_given_as_an_options_value_is_read_when_the_tool_runs_it(line, context):
    if "{q}" in context:
        if '"' in line:
            return
        line = context.replace("{q}", '"').format(line)
    else:
        line = context.format(line)
    assert _read(line) == _ran(line), line


# -- trap --------------------------------------------------------------------------------------


@pytest.mark.skipif(SH is None, reason="no dash")
@pytest.mark.parametrize(
    "line",
    [
        "trap 'echo MARK' EXIT",
        "trap -- 'echo MARK' EXIT",
        "trap 'echo MARK' 0",
        "trap 'echo MARK' EXIT INT",
        'trap "echo MARK" EXIT; true',
        "trap - EXIT",
        "trap 0 EXIT",
        "trap -p EXIT",
        "trap 'echo MARK'",  # (one operand: a condition to reset; dash refuses it)
    ],
)
def test_a_trap_action_is_read(line):
    ran = _ran(line)
    assert _read(line) == ran or (not ran and line == "trap 'echo MARK'"), line


# -- a shell reading its script on stdin ---------------------------------------------------------

READERS = [
    ". /dev/stdin",
    "source /dev/stdin",
    ". /dev/fd/0",
    "sh /dev/stdin",
    "sh -s",
    "sh -s -- a b",
    "sh -",
    "sh -e",
    "sh -e /dev/stdin",
    "bash -s",
    "bash /dev/fd/0",
    "bash -o pipefail -s",
    "bash -- /dev/stdin",
    "sh -c 'cat'",  # (runs a string: not stdin)
    "sh /dev/null",  # (a script file: not stdin)
    "bash -x /tmp/none",
    # su and runuser (without -u) start the user's shell, which reads its stdin unless told a
    # string or a file; the operands after the user are its arguments.
    "su root",
    "su - root",
    "su -l root",
    "su -s /bin/sh root",
    "su root -- -s",
    "su root -- /tmp/none",
    "runuser root",
    "runuser -u root",  # (no command: refused)
]


@pytest.mark.skipif(SH is None or BASH is None, reason="no dash or bash")
@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(READERS),
    st.sampled_from(["heredoc", "herestring", "pipe"]),
    st.sampled_from(["{}", "true && {}", "{} && true"]),
)
def test_a_shell_reading_its_stdin_reads_the_heredoc(reader, feed, context):
    if feed == "heredoc":
        run = context.format(f"{reader} <<EOF") + "\necho MARK\nEOF"
    elif feed == "herestring":
        run = context.format(f"{reader} <<< 'echo MARK'")
    else:
        run = context.format(f"printf 'echo MARK\\n' | {reader}")
    # (`source` is bash's; the Dockerfile's RUN would run it with /bin/sh: judge it with bash)
    ran = _ran(run, BASH if "source" in run or "<<<" in run else None)
    assert _read(run) == ran, run


def test_the_red_team_forms_are_reported(tmp_path):
    """The forms the red team found, each with its severity: an error where the harness's
    failure fails the RUN (`env -S`, `. /dev/stdin`), a warning where it does not (`trap`,
    `script` without `-e`)."""
    cases = {
        "RUN trap 'claude --version' EXIT\n": "warning",
        "RUN env -S'claude --version'\n": "error",
        "RUN env --split-string='claude --version'\n": "error",
        "RUN script -qc 'claude -v' /dev/null\n": "warning",
        "RUN script -qec 'claude -v' /dev/null\n": "error",
        "RUN . /dev/stdin <<EOF\nclaude --version\nEOF\n": "error",
        "RUN sh /dev/stdin <<EOF\nclaude --version\nEOF\n": "error",
        "RUN su -lc 'claude -v' node\n": "error",
    }
    for run, severity in cases.items():
        text = "FROM aishell:foundation\n" + run
        findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings
        assert [f.severity for f in findings] == [severity], (run, findings)
        assert text[findings[0].start : findings[0].end] == "claude", (run, findings)


# -- env -S with words after the string -----------------------------------------------------------

_ENV_S_PREFIXES = [
    [],
    ["A=1"],
    ["nice", "-n", "1"],
    ["env"],
    ["env", "-i"],
    ["true", "&&"],
    ["true", ";"],
    ["true", "|"],
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_ENV_S_PREFIXES), st.data())
def test_env_s_runs_its_string_with_the_words_after_it(prefix, data):
    """GNU env appends the words after `-S STRING` to the split string (`env -S 'A=1' claude -v`
    runs claude; a red-team pass found only the string read), and reads no shell syntax in it
    (`env -S 'true && echo MARK'` runs `true`): the reader finds `echo MARK` exactly when the
    real env runs it, however the command's words are split between the string and after it."""
    words = [*prefix, "echo", "MARK"]
    j = data.draw(st.integers(1, len(words)))
    inside, after = words[:j], words[j:]
    if any(w in ("&&", ";", "|") for w in after):
        return  # the shell's syntax outside the string, not env's words
    line = f"env -S '{' '.join(inside)}' {' '.join(after)}".rstrip()
    assert _read(line) == _ran(line), line
