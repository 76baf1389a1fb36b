"""More commands that run the command after them (issue 18, round two: recall of AIS002, with an
error only where the build surely fails).

The table below is written from each tool's manual, not from aishell/shell.py: the options that
take a value (attached or separate), the operands before the command, the options with which the
tool runs nothing, and the tools that may not pass the command's status on. `sg GROUP -c STRING`
runs STRING with /bin/sh; bash's `builtin NAME` runs only a builtin (`builtin command claude`
runs claude, `builtin claude` nothing) and dash has no `builtin` (the RUN fails there, running
nothing after it): a warning; bash's `coproc CMD` runs CMD in the background: a warning. The
generated lines nest these with the older wrappers in the shapes a RUN takes.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.shell import PROGRAM_WRAPPERS, SHELL_ONLY

# tool -> (prefixes that run the next command, its status the tool's; that run it, status not
# surely passed on; that run nothing of it)
TOOLS = {
    "eatmydata": (["eatmydata", "eatmydata --"], [], []),
    "nocache": (["nocache", "nocache -n 2", "nocache -n2"], [], []),
    "unbuffer": (["unbuffer", "unbuffer -p"], [], []),
    "catchsegv": (["catchsegv"], [], []),
    "torsocks": (["torsocks", "torsocks -u me -p pw", "torsocks -a 127.0.0.1 -P 9050", "torsocks -i -q"], [], []),
    "proxychains4": (["proxychains4", "proxychains4 -q", "proxychains4 -f /etc/p.conf", "proxychains -q -f x"], [], []),
    "faketime": (
        ["faketime 2020-01-01", "faketime -f +2d", "faketime -m @2020-01-01", "faketime --date-prog d x"],
        [],
        [],
    ),
    "numactl": (
        ["numactl --interleave=all", "numactl -i all", "numactl -N 0 -m 0", "numactl --cpunodebind 0", "numactl -l"],
        [],
        ["numactl -H", "numactl --show", "numactl -s"],
    ),
    "chpst": (["chpst -u node", "chpst -unode", "chpst -b name -e /etc/env -v", "chpst -/ /srv -n 5"], [], []),
    "setarch": (
        ["setarch x86_64", "setarch x86_64 -R", "setarch i686 --uname-2.6 -v", "linux64", "linux32 -R"],
        [],
        [],
    ),
    "valgrind": (["valgrind", "valgrind --tool=memcheck -q", "valgrind --log-file=/tmp/v"], [], []),
    "dbus-run-session": (["dbus-run-session", "dbus-run-session --", "dbus-run-session --config-file=/x --"], [], []),
    "fakechroot": (["fakechroot", "fakechroot -l /lib/x.so", "fakechroot -s --"], [], []),
    "envdir": (["envdir /etc/env", "s6-envdir /run/env", "setlock /tmp/l", "envuidgid node", "pgrphack"], [], []),
    "busybox": (["busybox", "toybox", "with-contenv", "catatonit", "catatonit -g --"], [], []),
    "fakeroot": (["fakeroot", "fakeroot -u", "fakeroot -s /tmp/s", "fakeroot -i /tmp/s --", "fakeroot -b 3"], [], []),
    "ltrace": (["ltrace", "ltrace -f", "ltrace -o /tmp/l", "ltrace -e malloc -S"], [], []),
    "setuidgid": (["setuidgid node", "s6-setuidgid node"], [], []),
    "builtin": ([], ["builtin command", "builtin exec", "builtin command --"], ["builtin echo", "builtin type"]),
    "coproc": ([], ["coproc"], []),
    # Round three (issue 18): more that exec their operands, from their manuals and source.
    # OpenSSH's agent execs the command in its parent (status passed on); `-c`, `-s`, `-k`,
    # `-d`, `-D` with a command are a usage error.
    "ssh-agent": (
        ["ssh-agent", "ssh-agent -t 60", "ssh-agent -t60", "ssh-agent -a /tmp/s.sock", "ssh-agent -E md5 -O x"],
        [],
        ["ssh-agent -k", "ssh-agent -c", "ssh-agent -s", "ssh-agent -d", "ssh-agent -D", "ssh-agent -t 5 -k"],
    ),
    # dbus-launch execs the program after starting a session bus (tools/dbus-launch.c).
    "dbus-launch": (
        [
            "dbus-launch",
            "dbus-launch --exit-with-session",
            "dbus-launch --config-file=/x",
            "dbus-launch --config-file /x",
        ],
        [],
        ["dbus-launch --version", "dbus-launch --help"],
    ),
    "chronic": (["chronic", "chronic -e", "chronic -v", "chronic -ev"], [], []),  # moreutils
    "ifne": ([], ["ifne", "ifne -n"], []),  # runs it only if stdin is (not) empty
    "lckdo": (["lckdo /tmp/l", "lckdo -w /tmp/l", "lckdo -W 5 /tmp/l", "lckdo -q -W5 /tmp/l"], [], []),
    "cgexec": (["cgexec -g cpu:/x", "cgexec -gcpu:/x", "cgexec --sticky -g cpu,memory:/x"], [], []),
    "trickle": (["trickle -d 100", "trickle -s -u 10 -d 100", "trickle -d100"], [], []),
    "torify": (["torify", "tsocks"], [], []),
    "xvfb-run": (["xvfb-run", "xvfb-run -a", "xvfb-run -s -ac", "xvfb-run --server-num=5 -e /x"], [], []),
    # GNU parallel: per argument after `:::`, or per input line (maybe none); moreutils' reads its
    # words otherwise (a warning at most).
    "parallel": (
        [],
        ["parallel", "parallel -j 2", "parallel --jobs=2 -k", "parallel -a /tmp/list", "parallel -j2 --halt now"],
        ["parallel --version", "parallel --help", "parallel --dry-run", "parallel -j 2 --citation"],
    ),
}
# Older wrappers, to nest with (tests/test_precision.py covers their options).
OLD = ["sudo -u node", "env A=1", "nice -n 5", "timeout 5", "command", "exec"]
HARNESSES = ["claude", "codex", "gemini", "opencode"]
CONTEXTS = [
    "RUN {}\n",
    "RUN apt-get update && {}\n",
    "RUN sh -c '{}'\n",
    'RUN bash -lc "{}"\n',
    "RUN <<EOF\nset -e\n{}\nEOF\n",
]


PREFIXES = [
    (prefix, kind)
    for name in sorted(TOOLS)
    for kind, prefixes in zip(("plain", "quiet", "stop"), TOOLS[name])
    for prefix in prefixes
]


@st.composite
def lines(draw):
    """(command line, harness, whether it runs, whether its status is surely the RUN's)."""
    runs, sure = True, True
    parts = []
    for prefix, kind in draw(st.lists(st.sampled_from(PREFIXES), min_size=1, max_size=2)):
        parts.append(prefix)
        runs = runs and kind != "stop"
        sure = sure and kind == "plain"
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(OLD)))
    # The wrapper of each part that runs the next (`builtin exec`: exec), and the next's name: a
    # program runs none of the shell's own (`sudo -u node builtin command claude`: not found).
    runners = ["exec" if "exec" in part.split()[1:] else part.split()[0] for part in parts]
    if any(a in PROGRAM_WRAPPERS and b.split()[0] in SHELL_ONLY for a, b in zip(runners, parts[1:])):
        runs = False
    harness = draw(st.sampled_from(HARNESSES))
    return " ".join([*parts, harness, "--version"]), harness, runs, sure


def _findings(text, _tmp=None):
    return lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings


@settings(max_examples=120, deadline=None)
@given(lines(), st.sampled_from(CONTEXTS))
def test_a_wrapped_harness_is_found_and_an_error_only_when_surely_failing(case, context):
    line, harness, runs, sure = case
    text = "FROM aishell:foundation\n" + context.format(line)
    findings = _findings(text)
    if not runs:
        assert findings == [], (text, findings)
        return
    assert [text[f.start : f.end] for f in findings] == [harness], (text, findings)
    assert findings[0].severity == ("error" if sure else "warning"), (text, findings)


SG = ["sg staff -c '{}'", "sg staff '{}'", "sg - staff -c '{}'", "echo '{}' | sg staff", "sg staff <<< '{}'"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SG), st.sampled_from(HARNESSES), st.sampled_from(["", "set -e; ", "true && "]))
def test_sg_runs_its_string_with_a_shell(form, harness, before):
    # (`<<<` is bash's: dash, the default SHELL, refuses the line, so a bash SHELL runs that form.)
    shell = 'SHELL ["/bin/bash", "-c"]\n' if "<<<" in form else ""
    text = "FROM aishell:foundation\n" + shell + "RUN " + before + form.format(f"{harness} --version") + "\n"
    findings = _findings(text)
    assert [(f.severity, text[f.start : f.end]) for f in findings] == [("error", harness)], (text, findings)
    # The harness as sg's group, or as the data of a command sg runs, runs nothing.
    quiet = f"FROM aishell:foundation\nRUN echo {harness} | sg {harness} -c cat\n"
    assert _findings(quiet) == [], quiet


def test_every_wrapper_aishell_knows_is_generated():
    """The class, not a list of examples: each wrapper of aishell/shell.py's table has its option
    spellings generated here, in tests/test_precision.py or in tests/test_ais002_more_wrappers.py."""
    from aishell.shell import WRAPPERS as KNOWN
    from tests.test_ais002_more_wrappers import TOOLS as NEWER
    from tests.test_precision import HELPS, QUIET
    from tests.test_precision import WRAPPERS as OLDER

    here = {p.split()[0] for kinds in TOOLS.values() for prefixes in kinds for p in prefixes}
    assert set(KNOWN) - here - set(OLDER) - set(NEWER) - set(QUIET) - set(HELPS) == set()
