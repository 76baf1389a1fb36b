"""Wrappers that run their arguments as a command: rlwrap, softlimit, bwrap, firejail (issue 18:
an AIS002 error where the build surely fails, a warning at most where it may not).

Red team (last session): `rlwrap claude`, `softlimit -m = claude`, `bwrap --bind / / claude`,
`firejail claude` had no finding: the wrappers were not in aishell.shell's table. Their option
syntax, from their sources and man pages (written here apart from the table, the oracle):
rlwrap 0.46 (getopt "+:a::Ab:cC:d::D:e:f:F:g:hH:iIl:nNM:m::oO:p::P:q:rRs:S:t:Tvw:z:") execs the
command once its options are read when its stdin is not a terminal (a RUN's): sure after flags
alone; a value option may stop it first (a file it opens, a number it checks) and other
versions add options: a warning. daemontools' softlimit (getopt "a:c:d:f:l:m:o:p:r:s:t:")
clamps a soft limit to the hard one: `=` is sure, a number may be too low for the child (a
warning), anything else is its usage (nothing runs), as is a letter it does not have. bwrap
and firejail make namespaces a build's container may not allow: a warning at most; bwrap's
options take zero to three words. `-h`/`--help`/`--version` run nothing. The class: each tool ×
generated option words (flags, values attached or not, unknown ones, help) × each harness.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.severities import CALLS, severities

HEAD = "FROM aishell:foundation\nRUN "

# (words, what they make of the run): "sure", "maybe" (a warning at most), "none" (nothing runs),
# "unknown" (an option not known: no error).
RLWRAP = (
    [(["-" + c], "sure") for c in "AciInNorRT"]
    + [([o], "sure") for o in ("--remember", "--one-shot", "--no-warnings", "--ansi-colour-aware", "--")]
    + [(["-" + c, "5"], "maybe") for c in "bCDefFgHlMOPqsStwz"]
    + [(["-s5"], "maybe"), (["--histsize=5"], "maybe"), (["--logfile", "/tmp/l"], "maybe"), (["-pRed"], "maybe")]
    + [(["-X"], "unknown"), (["-X", "val"], "unknown"), (["--bogus"], "unknown"), (["-Zq"], "unknown")]
    + [(["-h"], "none"), (["-v"], "none"), (["--help"], "none"), (["--version"], "none")]
)
SOFTLIMIT = (
    [(["-" + c, "="], "sure") for c in "acdflmoprst"]
    + [(["-m="], "sure"), (["--"], "sure")]
    + [(["-" + c, "1000000"], "maybe") for c in "acdflmoprst"]
    + [(["-m0"], "maybe")]
    + [(["-m", "x"], "none"), (["-m", "1k"], "none"), (["-x", "1"], "none"), (["-h"], "none")]
)
BWRAP = (
    [([o], "maybe") for o in ("--unshare-all", "--share-net", "--die-with-parent", "--new-session", "--clearenv")]
    + [([o, "/x"], "maybe") for o in ("--dev", "--proc", "--tmpfs", "--chdir", "--dir", "--remount-ro")]
    + [([o, "/a", "/b"], "maybe") for o in ("--bind", "--ro-bind", "--dev-bind", "--symlink", "--bind-try")]
    + [(["--setenv", "A", "1"], "maybe"), (["--chmod", "755", "/x"], "maybe"), (["--overlay", "a", "b", "/c"], "maybe")]
    + [(["--uid", "0"], "maybe"), (["--cap-add", "ALL"], "maybe")]
    + [(["--help"], "none"), (["--version"], "none")]
)
FIREJAIL = [([o], "maybe") for o in ("--noprofile", "--quiet", "--net=none", "--private", "--read-only=/x", "--")] + [
    (["--help"], "none"),
    (["--version"], "none"),
    (["--list"], "none"),
]
TOOLS = {"rlwrap": RLWRAP, "softlimit": SOFTLIMIT, "bwrap": BWRAP, "firejail": FIREJAIL}
_RANK = {"sure": 0, "maybe": 1, "unknown": 2, "none": 3}


@st.composite
def _lines(draw):
    tool = draw(st.sampled_from(sorted(TOOLS)))
    picks = draw(st.lists(st.sampled_from(TOOLS[tool]), max_size=3))
    words = [w for ws, _ in picks for w in ws]
    if "--" in words:
        words = [w for w in words if w != "--"] + ["--"]  # (the options end there)
    least = "maybe" if tool in ("bwrap", "firejail") else "sure"  # (namespaces: maybe refused)
    verdict = max([least, *(v for _, v in picks)], key=_RANK.get)
    harness = draw(st.sampled_from(sorted(CALLS)))
    return " ".join([tool, *words, CALLS[harness]]), verdict


@settings(max_examples=300, deadline=None)
@given(_lines())
def test_a_wrapper_runs_the_command_as_its_options_say(drawn):
    line, verdict = drawn
    found = severities(HEAD + line + "\n")
    if verdict == "sure":
        assert found == ["error"], (line, found)
    elif verdict == "maybe":
        assert found == ["warning"], (line, found)
    elif verdict == "unknown":
        assert found in ([], ["warning"]), (line, found)
    else:
        assert found == [], (line, found)
