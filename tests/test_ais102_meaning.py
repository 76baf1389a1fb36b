"""AIS102's fixes keep what every step reads, and settle (issue 18, "A fix is valid or not offered").

An ARG's fix moves it (and the metadata that uses only it) down, or removes a declaration whose
value no step reads before the stage declares the name again. Either way each step must see the
same values as before: `meaning` reads a file as the list of its steps, each with the definition
(ARG default or ENV value, itself resolved) of every variable it names, and for a RUN that may
read its environment (the rule's own premise: package installs and file utilities do not) every
variable in scope. The files are generated with a few names declared again and again, so the
class behind "a moved ARG lands after the next declaration of its name" is what is drawn.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.lint_rules.ais102_volatile_arg_early import _run_facts
from aishell.migration import fix_text, fixing_options
from aishell.model import arg_definitions, key_values, parse

_REF = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def meaning(text: str, inherit: bool = True) -> list:
    """Per stage: its steps in order, each with what it reads; its final labels and ENV values
    (a move changes the place of LABEL/ENV lines among the steps, not what they set). An ENV
    wins over an ARG of the same name, wherever each is declared (as in Docker). ``inherit``:
    an ARG declared again without a default keeps the value it had (BuildKit's dispatchArg adds
    no env for it); without, it has none (the classic builder's AddArg stores nil). A fix must
    keep both meanings."""
    out = []
    for stage in parse(text).stages:
        args: dict = {}
        env: dict = {}
        labels: dict = {}
        steps = []
        for ins in stage.instructions:
            kw = ins.keyword
            body = ins.logical + "".join(h.content for h in ins.heredocs)
            read = tuple((n, env[n] if n in env else args.get(n)) for n in sorted(set(_REF.findall(body))))
            if kw == "ARG":
                for name, default, _w in arg_definitions(ins):
                    if not (inherit and default is None and name in args):
                        args[name] = ("ARG", default, read)
            elif kw == "ENV":
                for k, v in key_values(ins):
                    env[k] = ("ENV", v, read)
            elif kw == "LABEL":
                for k, v in key_values(ins):
                    labels[k] = (v, read)
            elif kw == "RUN" and not _run_facts(ins)[0]:  # may read its environment: all of it
                steps.append((kw, ins.logical, read, sorted({**args, **env}.items(), key=repr)))
            else:
                steps.append((kw, ins.logical, read))
        out.append((steps, sorted(labels.items(), key=repr), sorted(env.items(), key=repr)))
    return out


_NAME = st.sampled_from(["VERSION", "VERSION", "BUILD_DATE", "GIT_SHA", "NODE_VERSION"])
_LINE = st.one_of(
    _NAME.map(lambda n: f"ARG {n}"),
    st.tuples(_NAME, st.integers(0, 2)).map(lambda t: f"ARG {t[0]}={t[1]}"),
    # A default that reads a name, its own among them (`ARG VERSION=${VERSION}.0`).
    st.tuples(_NAME, _NAME, st.sampled_from(["${{{}}}.0", "${{{}:-3}}", "${}"])).map(
        lambda t: f"ARG {t[0]}=" + t[2].format(t[1])
    ),
    _NAME.map(lambda n: f"LABEL x=${n}"),
    _NAME.map(lambda n: f"ENV APP_VERSION=${{{n}}}"),
    _NAME.map(lambda n: f"RUN echo ${n} > /f"),
    st.sampled_from(
        [
            "RUN apt-get update",
            "RUN apt-get install -y curl",
            "RUN npm ci --ignore-scripts",
            "RUN npm ci",
            "RUN make",
            "RUN pip install .",
            "# a comment",
            "",
            "FROM aishell:foundation AS s",
        ]
    ),
)


def _fixed(text: str, unsafe: bool) -> str:
    return fix_text(text, "Dockerfile", Options(select=["AIS102"], use_config=False), unsafe).text


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=40), st.booleans())
# Found by reading the rule: the first VERSION, read by nothing before the second, was moved to
# just before `npm ci` (the first step that runs project code), past the second: npm ci then
# read 1 instead of 2.
@example(
    ["ARG VERSION=1", "RUN apt-get update", "ARG VERSION=2", "RUN apt-get install -y curl", "RUN echo $VERSION > /f"]
    + ["RUN apt-get update", "RUN npm ci"],
    False,
)
# Found by this test: ENV APP_VERSION=${VERSION} moved with its ARG past a later ENV APP_VERSION,
# whose value RUN make then no longer saw.
@example(
    ["ARG VERSION", "ENV APP_VERSION=${VERSION}", "ENV APP_VERSION=${BUILD_DATE}", "RUN echo $BUILD_DATE > /f"]
    + ["RUN make"],
    False,
)
# Found by a red-team pass: ARG GIT_SHA=abc, read by nothing before `ARG GIT_SHA` (no default),
# was removed; BuildKit keeps abc for the second declaration, and RUN echo read it.
@example(["ARG GIT_SHA=1", "RUN apt-get install -y curl", "ARG GIT_SHA", "RUN echo $GIT_SHA > /f"], False)
# Found by a red-team pass: ARG VERSION=1, read by nothing before `ARG VERSION=${VERSION}.0`, was
# removed as if that one did not read it: the label became `.0`.
@example(["ARG VERSION=1", "RUN apt-get update", "ARG VERSION=${VERSION}.0", "LABEL v=$VERSION"], False)
@example(["ARG GIT_SHA=1", "RUN apt-get update", "ARG GIT_SHA=${GIT_SHA:-3}", "RUN echo $GIT_SHA > /f"], False)
# Found by this test so extended: `ARG BUILD_DATE=${NODE_VERSION}.0` was moved past `ARG
# NODE_VERSION`, whose value (a --build-arg's) its default then read.
@example(["ARG BUILD_DATE=${NODE_VERSION}.0", "ARG NODE_VERSION", "RUN apt-get update", "RUN make"], False)
@example(["ARG GIT_SHA", "LABEL x=${GIT_SHA}-${VERSION}", "ENV VERSION=2", "RUN apt-get update", "RUN make"], False)
def test_fixes_keep_what_each_step_reads_and_settle(lines, unsafe):
    text = "\n".join(["FROM aishell:foundation", *lines]) + "\n"
    new = _fixed(text, unsafe)  # "fixes did not settle" (an InputError) fails the test
    assert meaning(new) == meaning(text), new
    assert meaning(new, inherit=False) == meaning(text, inherit=False), new
    assert _fixed(new, unsafe) == new
    opts = fixing_options(Options(select=["AIS102"], use_config=False))
    assert not [f for f in lint_text(new, "Dockerfile", opts).findings if f.fix], new


def test_a_name_declared_again_and_again_settles_in_one_pass():
    """Each ARG VERSION but the last is read by nothing before the next: each is removed, all in
    one pass (they were moved one a pass, and past ten "fixes did not settle")."""
    from aishell.migrate import fixer

    text = "FROM aishell:foundation\n" + "".join(f"ARG VERSION={i}\nRUN apt-get install -y p{i}\n" for i in range(200))
    text += "RUN echo $VERSION > /v\n"
    passes = []
    opts = fixing_options(Options(select=["AIS102"], use_config=False))

    def lint(t, p):
        passes.append(t)
        return lint_text(t, p, opts)

    r = fixer.fix_text(text, "Dockerfile", lint)
    assert r.text == (
        "FROM aishell:foundation\n"
        + "".join(f"RUN apt-get install -y p{i}\n" for i in range(200))
        + "ARG VERSION=199\nRUN echo $VERSION > /v\n"
    )
    assert len(passes) == 2  # the fixes, then the pass that finds nothing more to fix
    assert meaning(r.text) == meaning(text)


@pytest.mark.parametrize("between", ["", "RUN apt-get update\n", "# why\n"])
def test_a_chain_of_bare_declarations_settles_in_one_pass(between):
    """Found by test_a_file_without_a_final_line_break_keeps_it_so_and_gains_no_blank_line: eleven
    bare `ARG VERSION` lines, each counted as read by the next, moved one a pass, and the file's
    fixes did not settle (nothing was written). A bare declaration gives the next bare one nothing
    it would not have: each but the last is removed, in one pass."""
    from aishell.migrate import fixer

    text = "FROM aishell:foundation\n" + ("ARG VERSION\n" + between) * 11 + "RUN echo $BUILD_DATE > /f\n"
    passes = []
    opts = fixing_options(Options(select=["AIS102"], use_config=False))

    def lint(t, p):
        passes.append(t)
        return lint_text(t, p, opts)

    r = fixer.fix_text(text, "Dockerfile", lint)
    assert len(passes) <= 3, passes
    assert meaning(r.text) == meaning(text) and meaning(r.text, inherit=False) == meaning(text, inherit=False)


def test_an_arg_is_never_moved_past_pip_installing_requirements_that_build_the_project(tmp_path_factory):
    """`pip install -r FILE` builds the project when FILE (or a file it includes) names a local
    path (`-e .`, `./pkg`, `file:`), and that build can read the ARG: a red-team pass found the
    safe fix moving `ARG GIT_SHA` past it. Requirements drawn as test_fix_validity draws them
    (nested includes, links, FIFOs, local and unknown lines): where the generator put anything
    but named packages, the ARG stays above the install; where it put none, it moves past."""
    import os

    from hypothesis import HealthCheck, given, settings

    from tests.test_fix_validity import ALL, pip_case

    moved = kept = 0

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(pip_case())
    def check(case):
        nonlocal moved, kept
        files, install, reads, _decoys, *_ = case
        folder = tmp_path_factory.mktemp("ctx")
        for rel, content in files.items():
            p = folder / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if content == ("fifo",):
                os.mkfifo(p)
            elif isinstance(content, tuple):
                target = content[1]
                os.symlink(os.path.relpath(target, os.path.dirname(rel)) if target[0] != "/" else target, p)
            else:
                p.write_text(content)
        text = f"FROM aishell:foundation\nWORKDIR /\nCOPY . .\nARG GIT_SHA\nRUN {install}\nRUN make\n"
        new = fix_text(text, str(folder / "Dockerfile"), Options(select=["AIS102"], use_config=False)).text
        lines = new.splitlines()
        before = lines.index("ARG GIT_SHA") < next(i for i, ln in enumerate(lines) if ln.startswith("RUN pip"))
        if reads is ALL:
            assert before, (files, new)
            kept += 1
        elif not before:
            moved += 1

    check()
    assert kept > 10 and moved > 10, (kept, moved)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=30), st.sampled_from(["\n", "\r\n"]))
# Found by a red-team pass: the file's last line (metadata that moves with its ARG) gained a
# line break, and a blank line came before the moved lines.
@example(["ARG GIT_SHA", "RUN apt-get install -y curl", "LABEL x=$GIT_SHA"], "\n")
def test_a_file_without_a_final_line_break_keeps_it_so_and_gains_no_blank_line(lines, newline):
    text = newline.join(["FROM aishell:foundation", *lines])
    new = _fixed(text, False)
    assert new.endswith("\n") == text.endswith("\n"), repr(new)
    blank = lambda t: sum(1 for ln in t.replace("\r\n", "\n").split("\n") if not ln.strip())  # noqa: E731
    assert blank(new) <= blank(text), repr(new)
    assert meaning(new) == meaning(text) and meaning(new, inherit=False) == meaning(text, inherit=False), new
