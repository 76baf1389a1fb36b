"""One WORKDIR resolver for AIS002 and AIS101 (_copies.workdir_after), held to BuildKit.

BuildKit reads WORKDIR's argument as one word (quotes removed, variables expanded), joins a
relative path to the directory before and cleans it as Go's path.Clean does
(dockerfile2llb.dispatchWorkdir, system.NormalizeWorkdir). `buildkit` below is that, written
from the spec; the rules' two former resolvers are kept here as they were, and the shared one
must agree with each of them wherever that one agreed with BuildKit. Drawn: chains of WORKDIRs
of plain, dotted, doubled-slash, quoted (split, mixed, unbalanced) and variable paths.
"""

from __future__ import annotations

import posixpath

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.lint_rules._copies import workdir_after
from aishell.model import parse


def buildkit(cur: str | None, arg: str):
    """BuildKit's WORKDIR for ``arg`` (no `$`, no escape character in it), after ``cur``; None
    where BuildKit refuses the instruction (an unclosed quote, an empty path)."""
    word, quote = [], None
    for c in arg.strip():
        if quote is None and c in "'\"":
            quote = c
        elif c == quote:
            quote = None
        else:
            word.append(c)
    if quote is not None or not word:
        return None
    path = "".join(word)
    if cur is None and not path.startswith("/"):
        return None  # relative to a directory not known
    path = posixpath.normpath(path if path.startswith("/") else posixpath.join("/", cur, path))
    return "/" + path.lstrip("/")  # Go's Clean leaves no `//` at the start either


def old_ais101(cur, arg):
    """ais101._workdir before the merge (its _join is posixpath.normpath of posixpath.join)."""
    arg = arg.strip()
    if cur is None or "$" in arg or not arg:
        return None
    return posixpath.normpath(posixpath.join(cur, arg.strip("'\"")))


def old_ais002(cur, arg):
    """ais002._workdir before the merge."""
    path = arg.strip()
    if len(path) >= 2 and path[0] == path[-1] and path[0] in "'\"":
        path = path[1:-1]
    if not path or "$" in path or "\\" in path:
        return None
    if not path.startswith("/"):
        if cur is None:
            return None
        path = posixpath.join(cur, path)
    return posixpath.normpath(path)


_SEG = st.sampled_from(["app", "src", "my app", ".", "..", "", "a.b", "$V", "${HOME}", "x\\ y"])


@st.composite
def _arg(draw) -> str:
    segs = draw(st.lists(_SEG, min_size=1, max_size=4))
    path = draw(st.sampled_from(["/", "//", "", "///"])) + "/".join(segs) + draw(st.sampled_from(["", "/"]))
    quoting = draw(st.sampled_from(["none", "double", "single", "split", "mixed", "open"]))
    if quoting == "double":
        path = f'"{path}"'
    elif quoting == "single":
        path = f"'{path}'"
    elif quoting == "split" and len(path) > 1:
        k = draw(st.integers(1, len(path) - 1))
        path = f'"{path[:k]}"{path[k:]}'
    elif quoting == "mixed" and len(path) > 1:
        k = draw(st.integers(1, len(path) - 1))
        path = f"'{path[:k]}'\"{path[k:]}\""
    elif quoting == "open":
        path = '"' + path
    return path


def _chain(args: list[str]):
    text = "FROM x\n" + "".join(f"WORKDIR {a}\n" for a in args)
    return [i for i in parse(text).instructions if i.keyword == "WORKDIR"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(_arg(), min_size=1, max_size=5))
def test_the_shared_resolver_is_buildkit_and_each_former_one_where_it_was_right(args):
    try:
        chain = _chain(args)
    except Exception:
        return  # a line the parser refuses: no WORKDIR to resolve
    new = ref = o101 = o002 = "/"
    for ins in chain:
        arg = ins.args
        got = workdir_after(new, ins)
        # Not known to the rule: a variable, an escape character (it expands none).
        want = None if "$" in arg or "\\" in arg or "`" in arg else buildkit(ref, arg)
        assert got == want, (args, arg)
        for old, prev in ((old_ais101, o101), (old_ais002, o002)):
            was = old(prev, arg)
            if prev == ref and was == want and want is not None:
                assert got == was, (old.__name__, args, arg)
        new, ref, o101, o002 = got, want, old_ais101(o101, arg), old_ais002(o002, arg)


def test_an_absolute_workdir_after_an_unknown_one_is_known():
    """BuildKit sets an absolute WORKDIR whatever came before: AIS101 lost the directory for
    the rest of the stage after a `WORKDIR $X` (old_ais101)."""
    (ins,) = _chain(["/srv/app"])
    assert workdir_after(None, ins) == "/srv/app"
    (ins,) = _chain(["app"])
    assert workdir_after(None, ins) is None


@st.composite
def _usr_local_bin(draw) -> str:
    """/usr/local/bin (on PATH) and /usr/local/lib (not), quotes split at any point, slashes doubled, `.` segments."""
    path = draw(st.sampled_from(["/usr/local/bin", "//usr/local/bin/", "/usr/./local/bin", "/usr/lib/../local/bin"]))
    k = draw(st.integers(0, len(path)))
    j = draw(st.integers(k, len(path)))
    q1, q2 = draw(st.sampled_from(["''", '""', "'\"", "\"'"]))
    off = path[: path.rindex("bin")] + "lib" + path[path.rindex("bin") + 3 :]  # /usr/local/lib: not on PATH
    return tuple(f"{p[:k]}{q1}{p[k:j]}{q1}{q2}{p[j:]}{q2}" for p in (path, off))


@settings(max_examples=150, deadline=None)
@given(_usr_local_bin())
def test_ais002_resolves_a_quoted_or_doubled_workdir(spellings):
    """AIS002 tells a COPY onto PATH through the WORKDIR (a warning: the harness may be the
    copied file) from a RUN that surely finds none (an error), however the WORKDIR is spelt:
    `"/usr/local/"bin` was read as a relative path, and the RUN got the error."""
    for spelling, severity in zip(spellings, ("warning", "error")):
        text = f"FROM aishell:foundation\nWORKDIR {spelling}\nCOPY . .\nRUN claude --version\n"
        found = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
        assert [(f.code, f.severity) for f in found] == [("AIS002", severity)], text


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["WORKDIR $X\n", "WORKDIR ${BASE}/x\n", ""]),
    st.sampled_from(['"/app"', "'/app'", "/app", '"/"app', "//app", "/srv/../app"]),
)
def test_ais101_reports_after_a_workdir_it_can_resolve(tmp_path_factory, before, spelling):
    folder = tmp_path_factory.mktemp("ctx")
    (folder / "package.json").write_text("{}\n")
    (folder / "package-lock.json").write_text("{}\n")
    text = f"FROM aishell:foundation\n{before}WORKDIR {spelling}\nCOPY . .\nRUN npm ci\n"
    found = lint_text(text, str(folder / "Dockerfile"), Options(select=["AIS101"], use_config=False)).findings
    assert [f.code for f in found] == ["AIS101"], text
    assert found[0].fix is not None, text
