"""The wrappers whose whole option list aishell has (WRAPPERS entries marked `complete`) read a
line as the real tool does: the tool runs on each generated line, the oracle.

Red team (round eleven): only sudo had its whole option list. For `env`, `timeout`, `nice`,
`xargs`, `flock`, … an option the tool does not have, an ambiguous abbreviation, or `--flag=v`
for one that takes no value was passed over, though getopt refuses it and nothing runs
(`env --bogus claude`, `flock -X f claude`, `env --debug=1 claude`: errors that are false); an
option whose value is optional took the next word (`xargs -e claude`: claude runs, unseen);
`fakeroot -f FAKED` and `prlimit -o COLS` took no value (the value read as the command).

The class: `WRAPPER OPTS… OPERANDS claude -v` with known and unknown letters, clusters,
attached, separate and optional values, long options exact, abbreviated (uniquely or not) or
unknown, `--opt=v`, `--`. dash runs each line with a stub `claude` first on PATH (it fails as
"not found" does); the tool's getopt decides. An AIS002 error must mean the stub ran and the
RUN failed; the stub running must be a finding. The options below are the tools' own (their
getopt strings and long option tables, Debian 12), written apart from aishell's table; they are
only the vocabulary the lines are drawn from: what the tool does is the answer.
"""

from __future__ import annotations

import itertools
import shutil
import time
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dash import agrees, outcome
from tests.severities import severities
from tests.sweep import sample

HEAD = "FROM aishell:foundation\nRUN "
PATH = "/usr/bin:/bin"  # (where outcome's PATH finds the tools)
FAKEROOT_LIB = "/usr/lib/x86_64-linux-gnu/libfakeroot/libfakeroot-sysv.so"


class Tool(NamedTuple):
    optstring: str  # getopt's: a letter with `:` takes a value, with `::` an optional one (attached)
    longs: dict  # long option (no dashes) -> "" no value, ":" a value, "::" an optional one (`=v`)
    values: dict  # option letter or long name -> a value the tool accepts here (default "1")
    operands: str = ""  # words between the options and the command
    binary: str = ""  # its file, when not its name


# Options not drawn: env's `-i`/`-` empty PATH (the stub is then not found here, unlike a
# harness the image installs where execvp's default path looks) and `-S` (split by another
# reader, STRING_OPTIONS); flock's `-c` (only after the file).
TOOLS = {
    "env": Tool(
        "+C:u:v0",
        {
            "null": "", "unset": ":", "chdir": ":", "block-signal": "::", "default-signal": "::",
            "ignore-signal": "::", "list-signal-handling": "", "debug": "", "help": "", "version": "",
        },
        {"u": "X", "unset": "X", "C": "/", "chdir": "/", "block-signal": "INT", "default-signal": "INT",
         "ignore-signal": "INT"},
    ),
    "timeout": Tool(
        "+k:s:v",
        {"kill-after": ":", "signal": ":", "verbose": "", "preserve-status": "", "foreground": "", "help": "",
         "version": ""},
        {"s": "TERM", "signal": "9"},
        "5",
    ),
    "nice": Tool("+n:", {"adjustment": ":", "help": "", "version": ""}, {"n": "5", "adjustment": "3"}),
    "nohup": Tool("+", {"help": "", "version": ""}, {}),
    "xargs": Tool(
        "+0a:E:e::i::I:l::L:n:oprs:txP:d:",
        {
            "null": "", "arg-file": ":", "delimiter": ":", "eof": "::", "replace": "::", "max-lines": "::",
            "max-args": ":", "open-tty": "", "interactive": "", "no-run-if-empty": "", "max-chars": ":",
            "verbose": "", "show-limits": "", "exit": "", "max-procs": ":", "process-slot-var": ":",
            "version": "", "help": "",
        },
        {"a": "/dev/null", "arg-file": "/dev/null", "d": "x", "delimiter": "x", "E": "END", "e": "END",
         "eof": "END", "I": "R", "i": "R", "replace": "R", "s": "4096", "max-chars": "4096",
         "process-slot-var": "SLOT"},
    ),
    "stdbuf": Tool("+i:o:e:", {"input": ":", "output": ":", "error": ":", "help": "", "version": ""},
                   {"i": "0", "input": "0", "o": "L", "output": "L", "e": "0", "error": "0"}),
    "flock": Tool(
        "+sexnoFuw:E:hV?",
        {
            "shared": "", "exclusive": "", "unlock": "", "nonblocking": "", "nb": "", "timeout": ":", "wait": ":",
            "conflict-exit-code": ":", "close": "", "no-fork": "", "verbose": "", "help": "", "version": "",
        },
        {"w": "5", "timeout": "5", "wait": "5", "E": "3", "conflict-exit-code": "3"},
        "lk",
    ),
    "setsid": Tool("+Vhcfw", {"ctty": "", "fork": "", "wait": "", "help": "", "version": ""}, {}),
    "ionice": Tool(
        "+n:c:p:P:u:tVh",
        {"class": ":", "classdata": ":", "pid": ":", "pgid": ":", "uid": ":", "ignore": "", "help": "",
         "version": ""},
        {"c": "2", "class": "2", "n": "2", "classdata": "2"},  # (`--class` is also a prefix of `--classdata`)
    ),
    "taskset": Tool("+apchV", {"all-tasks": "", "pid": "", "cpu-list": "", "help": "", "version": ""}, {}, "1"),
    "prlimit": Tool(
        "+c::d::e::f::i::l::m::n::q::r::s::t::u::v::x::y::p:o:vVh",
        {
            **{r: "::" for r in ("core", "data", "nice", "fsize", "sigpending", "memlock", "rss", "nofile",
                                 "msgqueue", "rtprio", "stack", "cpu", "nproc", "as", "locks", "rttime")},
            "pid": ":", "output": ":", "noheadings": "", "raw": "", "verbose": "", "help": "", "version": "",
        },
        # (limits a container may set: none raised above its hard limit, none low enough to stop the exec)
        {
            **{c: "unlimited" for c in "dfmstvxy"},
            **{r: "unlimited" for r in ("data", "fsize", "rss", "stack", "cpu", "as", "locks", "rttime")},
            **{c: "1024" for c in "ilnqu"},
            **{r: "1024" for r in ("sigpending", "memlock", "nofile", "msgqueue", "nproc")},
            **{c: "0" for c in "cer"}, "core": "0", "nice": "0", "rtprio": "0",
            "o": "RESOURCE", "output": "RESOURCE",
        },
    ),
    "time": Tool(
        "+af:o:pqvV",
        {"append": "", "format": ":", "output": ":", "portability": "", "quiet": "", "verbose": "", "help": "",
         "version": ""},
        {"f": "%e", "format": "%e", "o": "out", "output": "out"},
        binary="/usr/bin/time",
    ),
    "fakeroot": Tool(
        "+l:f:i:s:ub:vh",
        {"lib": ":", "faked": ":", "unknown-is-real": "", "fd-base": ":", "version": "", "help": ""},
        {"l": FAKEROOT_LIB, "lib": FAKEROOT_LIB, "f": "/usr/bin/faked-sysv", "faked": "/usr/bin/faked-sysv",
         "i": "db", "s": "db", "b": "10", "fd-base": "10"},
    ),
}  # fmt: skip
# Letters few of the tools have: those a tool has not are its unknown options (none left out above).
UNKNOWN = "jkqzBGJKQWXYZ"
UNKNOWN_LONG = ("--bogus", "--no", "--x=1", "--zz")


def _short(tool: Tool) -> dict:
    """Each short option letter -> "", ":" or "::" (getopt reads a letter's first place)."""
    spec = tool.optstring.lstrip("+")
    found: dict = {}
    for i, c in enumerate(spec):
        if c != ":" and c not in found:
            found[c] = ":" * (spec[i + 1 : i + 3].count(":"))
    return found


def _unknown(tool: Tool) -> list[str]:
    return [c for c in UNKNOWN if c not in _short(tool)]


def _value(tool: Tool, opt: str) -> str:
    return tool.values.get(opt, "1")


def _verdict(name: str, words: str, tmp) -> None:
    """Run ``name words claude -v`` and lint it: an error only where the stub ran and the RUN
    failed, a finding wherever it ran."""
    line = f"{name} {words} claude -v </dev/null".replace("  ", " ")
    failed, ran = outcome(line, tmp, cwd=tmp)
    found = severities(HEAD + line + "\n")
    if not ran and not found and name == "setsid":
        time.sleep(0.3)  # (`setsid -f`: its child may run the stub after the parent exits)
        ran = (tmp / "ran").exists()
    agrees(found, failed, ran, line)


def _available(name: str) -> bool:
    return shutil.which(TOOLS[name].binary or name, path=PATH) is not None


@st.composite
def _words(draw, name: str) -> str:
    """The options of a generated line, then the tool's operands. Their values are ones the tool
    accepts (whether a value is valid is not the class): a letter that takes one ends its cluster,
    and one given no value (the next word is then its value) ends the options."""
    tool = TOOLS[name]
    short = _short(tool)
    flags = sorted(c for c, kind in short.items() if not kind) + _unknown(tool)[:4]
    letters = sorted(short) + _unknown(tool)[:4]
    words: list[str] = []
    open_value = False  # (the last option takes the next word as its value)
    count = draw(st.integers(0, 3))
    for i in range(count):
        last = i == count - 1
        kind = draw(st.sampled_from(("short", "cluster", "long", "prefix", "unknown-long", "nice")))
        if kind in ("short", "cluster"):
            n = 1 if kind == "short" else draw(st.integers(2, 3))
            letter = draw(st.sampled_from(letters))
            cluster = "-" + "".join(draw(st.sampled_from(flags)) for _ in range(n - 1)) + letter
            form = draw(st.sampled_from(("attached", "separate", "none") if last else ("attached", "separate")))
            open_value = short.get(letter) == ":" and form == "none"
            if short.get(letter) == ":" and form != "none":
                value = _value(tool, letter)
                words += [cluster + value] if form == "attached" else [cluster, value]
            elif short.get(letter) == "::" and form == "attached":
                words.append(cluster + _value(tool, letter))
            else:
                words.append(cluster)
        elif kind in ("long", "prefix"):
            if not tool.longs:
                continue
            opt = draw(st.sampled_from(sorted(tool.longs)))
            spelled = "--" + (opt if kind == "long" else opt[: draw(st.integers(1, len(opt)))])
            form = draw(st.sampled_from(("equals", "separate", "none") if last else ("equals", "separate")))
            value = _value(tool, opt)
            open_value = tool.longs[opt] == ":" and form == "none"
            words += {"equals": [f"{spelled}={value}"], "separate": [spelled, value], "none": [spelled]}[form]
        elif kind == "unknown-long":
            words.append(draw(st.sampled_from(UNKNOWN_LONG)))
        elif name == "nice":
            words.append(draw(st.sampled_from(("-5", "--5", "-+5", "-5x", "-19"))))
    if not open_value and draw(st.booleans()):
        words.append("--")
    return " ".join([*words, tool.operands])


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_a_generated_wrapper_line_reads_as_the_tool_runs_it(name, tmp_path_factory):
    if not _available(name):
        pytest.skip(f"{name} is not installed here")
    tmp = tmp_path_factory.mktemp(name)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_words(name))
    def check(words):
        _verdict(name, words, tmp)

    check()


def _enumerated() -> list[tuple[str, str]]:
    """Every option of every tool alone: each letter (its value attached, separate, none) and an
    unknown one; each long option and each of its prefixes, as it takes a value (`--p v`,
    `--p=v`) or none (`--p`, and `--p=1` that getopt_long refuses)."""
    cases = []
    for name, tool in TOOLS.items():
        for c, kind in [*_short(tool).items(), *((u, "") for u in _unknown(tool))]:
            v = _value(tool, c)
            forms = {"": [f"-{c}"], ":": [f"-{c}{v}", f"-{c} {v}"], "::": [f"-{c}{v}", f"-{c}"]}[kind]
            cases += [(name, f"{w} {tool.operands}") for w in forms]
        for opt, kind in tool.longs.items():
            v = _value(tool, opt)
            for n in range(1, len(opt) + 1):
                p = "--" + opt[:n]
                forms = {"": [p, f"{p}=1"], ":": [f"{p} {v}", f"{p}={v}"], "::": [f"{p}={v}", p]}[kind]
                cases += [(name, f"{w} {tool.operands}") for w in forms]
    return sorted(set(cases))


@pytest.mark.parametrize(("name", "words"), sample(_enumerated(), 600, "wrapper options"))
def test_each_wrapper_option_alone_reads_as_the_tool_runs_it(name, words, tmp_path):
    if not _available(name):
        pytest.skip(f"{name} is not installed here")
    _verdict(name, words, tmp_path)


def test_the_lines_cover_refused_and_run_ones(tmp_path):
    """The vocabulary reaches both answers: lines the tools refuse and lines they run."""
    ran = [outcome(f"{n} {w} claude -v </dev/null", tmp_path, cwd=tmp_path)[1] for n, w in _enumerated()[:400:7]]
    assert any(ran) and not all(ran)


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("env --bogus claude -v", []),  # (an option env has not: refused)
        ("env --debug=1 claude -v", []),  # (takes no value: refused)
        ("env --deb claude -v", ["error"]),  # (--debug)
        ("flock -X lk claude -v", []),
        ("flock --n lk claude -v", []),  # (--nonblocking, --nb, --no-fork: ambiguous)
        ("timeout --sig=9 5 claude -v", ["error"]),
        ("nice --adj 5 claude -v", ["error"]),
        ("nice -5x claude -v", []),  # (an invalid adjustment)
        ("nice --5 claude -v", ["error"]),
        ("nice -5x -5 claude -v", ["error"]),  # (the last adjustment counts)
        ("xargs -e claude -v", ["error"]),  # (`-e`'s value is only attached)
        ("xargs --max-lines 1 claude -v", []),  # (likewise: `1` is the command)
        ("fakeroot -f /usr/bin/faked-sysv claude -v", ["error"]),
        ("prlimit -o RESOURCE claude -v", ["error"]),
        ("flock -F -o lk claude -v", []),  # ("the --no-fork and --close options are incompatible")
        ("flock --no-fork -o lk claude -v", []),
        ("flock -F lk claude -v", ["error"]),
        ("setsid -wc claude -v", []),  # (a RUN has no terminal to make its controlling one)
        ("setsid --ctty claude -v", []),
        ("env A=1 -- claude -v", []),  # (getopt stops at `A=1`: `--` is the command)
        ("env A=1 -u X claude -v", []),
    ],
)
def test_the_red_team_lines(line, want):
    assert severities(HEAD + line + "\n") == want, line


ENV_WORDS = ["A=1", "B=2", "-u X", "--", "-C /tmp", "-v"]


@pytest.mark.skipif(shutil.which("env") is None, reason="no env")
@pytest.mark.parametrize(
    "words", [" ".join(p) for n in range(1, 4) for p in itertools.permutations(ENV_WORDS, n) if "A=1" in p]
)
def test_env_reads_options_only_before_the_first_assignment(tmp_path, words):
    """`env A=1 -- claude` runs a program named `--`: GNU env's options end at the first
    NAME=value word (and at `--`), whatever follows."""
    _verdict("env", words, tmp_path)


# A program given a shell's own command as the one to run: `env exec claude`, `exec command
# claude`. It runs a program of that name, which Debian does not have ("not found"): the harness
# never runs. `command` and `builtin` are the shell's, and run its own (`command exec claude`);
# fakeroot is a shell script that runs `"$@"`, its own too. (Not `.`: `command . claude` sources
# a file of that name, the harness itself here.)
RUNNERS_OF = ["env", "env A=1", "timeout 5", "nice", "nohup", "stdbuf -oL", "setsid -w", "ionice -c3"]
RUNNERS_OF += ["taskset 0x1", "prlimit", "time", "fakeroot", "flock lk", "xargs", "exec", "command", "builtin"]
OWN = ["exec", "eval", "command", "builtin", "trap", "source", "exec -a x", "exec -c", ""]


@pytest.mark.parametrize("runner", [r for r in RUNNERS_OF if shutil.which(r.split()[0]) or r.split()[0] in OWN])
@pytest.mark.parametrize("own", OWN)
def test_a_program_runs_no_command_of_the_shells_own(tmp_path, runner, own):
    _verdict(runner, own, tmp_path)
