"""Stage names and the references to them, as Engine 28.5's BuildKit reads them (issue 18).

Run on Engines 26.1 and 28.5 (`docker buildx build`; the same verdicts) and on 20.10's BuildKit 0.8:

- a FROM names a stage only as written, and only an earlier one: stage names are lower-cased,
  the base word is not, so `FROM Build` after `AS build` (and `FROM Scratch`, `FROM SCRATCH`)
  is an image, refused as upper-case ("failed to parse stage name"); a FROM of a later stage's
  name pulls that image (both BuildKits);
- every stage's name is parsed as a reference before anything is built, reachable or not
  (`AS b.`, `AS a___b`, a name of 248 characters: "invalid context name"; not 20.10);
- a `COPY --from=` or mount `from=` looks names up lower-cased (`--from=A` is stage `a`), the
  last stage of that name winning, and one naming its own stage is a cycle, refused whatever is
  built; one naming a later stage (by name or index) is refused when the build reaches the
  stage holding it ("cannot copy from stage", "cannot mount from stage"; not 20.10, whose
  BuildKit copies from the later stage's base);
- an image's path (`library/` and the name) may be 255 characters long (20.10 counted the
  registry in and refused `FROM` + 240 letters; 26.1 and 28.5 pull it);
- a NUL is an ordinary character to BuildKit's parser (the PyPI reference stops at it).

Two of these only the newer engines refuse (the stage name's reference, a later stage named):
aishell takes them (model.NEWER_ENGINE_REFUSALS off: a refusal would block a build on 20.10, the
setup's default), and the tests hold the checks to 28.5's verdicts with the switch on.

EXAMPLES are the files run on the engine, with its verdicts. The generating test builds files
of up to four stages from names in every case, bases naming earlier, later and no stages, and
copies and mounts by name and index, and holds aishell to a model of those rules.
"""

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint import Options, lint_text
from aishell.model import DockerfileSyntaxError
from contextlib import contextmanager

import aishell.model as model

# The messages of what only the newer engines refuse (see the module's doc).
NEWER_ONLY = re.compile("invalid context name|cannot copy from stage|cannot mount from stage")


@contextmanager
def newer(on: bool = True):
    """model.NEWER_ENGINE_REFUSALS set to ``on``, as it was on leaving."""
    saved = model.NEWER_ENGINE_REFUSALS
    model.NEWER_ENGINE_REFUSALS = on
    try:
        yield
    finally:
        model.NEWER_ENGINE_REFUSALS = saved


D = "debian:bookworm-slim"
# (file, refused by Engines 26.1 and 28.5's `docker buildx build` of the default target)
EXAMPLES = [
    (f"FROM {D} AS build\nCOPY f /f\nFROM Build\nCOPY f /g\n", True),
    (f"FROM {D} AS Build\nCOPY f /f\nFROM build\nCOPY f /g\n", False),
    ("FROM Scratch\nCOPY f /f\n", True),
    ("FROM SCRATCH\nCOPY f /f\n", True),
    ("FROM scratch\nCOPY f /f\n", False),
    (f"FROM later AS first\nCOPY f /g\nFROM {D} AS later\nCOPY f /f\nFROM first\n", False),  # (pulls `later`)
    (f"FROM {D} AS first\nCOPY --from=later /f /f\nFROM {D} AS later\nCOPY f /f\nFROM first\n", True),
    (f"FROM {D} AS first\nCOPY --from=1 /f /f\nFROM {D} AS later\nCOPY f /f\nFROM first\n", True),
    (f"FROM {D} AS a\nCOPY --from=Later /f /f\nFROM {D} AS later\nCOPY f /f\nFROM a\n", True),
    (f"FROM {D} AS a\nCOPY --from=later /f /f\nFROM {D} AS later\nCOPY f /f\nFROM {D} AS c\nCOPY f /g\n", False),
    (f"FROM {D} AS a\nCOPY --from=1 /f /f\nFROM {D} AS b\nCOPY f /f\nFROM {D} AS t\n", False),
    (f"FROM {D} AS a\nRUN --mount=from=later,target=/m true\nFROM {D} AS later\nCOPY f /f\nFROM a\n", True),
    (f"FROM {D} AS a\nCOPY f /f\nFROM {D} AS b\nRUN --mount=from=A,target=/m ls /m/f\n", False),
    (f"FROM {D} AS a\nCOPY f /f\nFROM {D} AS b\nCOPY --from=A /f /f\n", False),
    (f"FROM {D} AS a\nCOPY f /f\nFROM {D} AS b\nCOPY --from=a /f /f\nFROM {D} AS a\nCOPY f /g\nFROM b\n", True),
    (f"FROM {D} AS a\nCOPY f /f\nFROM {D} AS a\nCOPY f /g\nFROM a\nRUN ls /g\n", False),
    (f"FROM {D} AS a\nCOPY --from=a /f /f\n", True),
    (f"FROM {D} AS a\nCOPY --from=0 /f /f\n", True),
    (f"FROM {D} AS a\nCOPY --from=a /f /f\nFROM {D} AS t\n", True),
    (f"FROM {D} AS a\nCOPY --from={D} /etc/hostname /h\nCOPY --from=2 /etc/debian_version /v\nFROM {D} AS b\n", False),
    *((f"FROM {D} AS {n}\nCOPY f /f\n", True) for n in ["b.", "a..b", "x-", "a___b", "a_", "a.-b", "a-_b"]),
    (f"FROM {D} AS a__b\nCOPY f /f\n", False),
    (f"FROM {D} AS {'a' * 247}\n", False),
    (f"FROM {D} AS {'a' * 248}\n", True),
    (f"FROM {D} AS a\nCOPY f /f\nFROM b. AS c\nFROM {D} AS b.\nFROM {D} AS t\n", True),
    (f"FROM {'a' * 240}\nCOPY f /f\n", False),  # (pulled)
    (f"FROM {D} AS a\nCOPY f /f\nFROM {D} AS b\nCOPY --from=+0 /f /f\n", False),
    (f"FROM {D} AS a\nCOPY f /f\nFROM {D} AS b\nCOPY --from=00 /f /f\n", False),
    (f"FROM {D} AS a\nCOPY --from=+1 /f /f\nFROM {D} AS b\nCOPY f /f\nFROM a\n", True),
    (f"FROM node AS x\nCOPY f /f\nFROM {D} AS node\nCOPY f /g\n", False),  # (the image `node`)
    (f"FROM {D} AS a\nCOPY --from=node:24-bookworm-slim /usr/local/bin/node /n\nFROM {D} AS node\nFROM a\n", False),
    (f"FROM {D} AS a\nCOPY --from=debian /etc/hostname /h\nFROM {D} AS debian\nFROM a\n", True),
    # NUL (Engine 28.5): part of a word, of a keyword (no instruction), of a directive's value.
    (f"FROM {D}\nRUN echo a\0b\n", False),  # (parsed: the build runs it, and `echo` fails)
    (f'FROM {D}\nCMD ["a\0b"]\n', False),
    (f"FROM {D}\nENV A=a\0b\n", False),
    (f"FROM {D}\n# a\0b\nRUN echo a\n", False),
    (f"#\0escape=`\nFROM {D}\nRUN echo a\n", False),
    (f"FROM {D}\nRUN <<E\0F\nx\nE\0F\n", False),
    (f"FROM {D}\nRU\0N echo a\n", True),
    (f"FROM {D}\n\0RUN echo a\n", True),
    (f"FROM {D}\n \0\nRUN echo a\n", True),
    (f"# escape=`\0\nFROM {D}\nRUN echo a\n", True),
    (f"FROM {D}\nRUN echo a \\\0\n  b\n", True),
    (f"FROM {D} \0\n", True),
]


def _refused(text: str) -> str | None:
    """aishell's one-line refusal of the file, or None where it takes it."""
    try:
        lint_text(text, "/nonexistent/Dockerfile", Options(use_config=False))
    except (DockerfileSyntaxError, InputError) as e:
        assert "\n" not in str(e)
        return str(e)
    return None


@pytest.mark.parametrize("text,refused", EXAMPLES)
def test_what_engine_28_refuses_aishell_refuses_with_the_newer_checks(text, refused):
    with newer():
        assert (_refused(text) is not None) == refused, _refused(text)


@pytest.mark.parametrize("text,refused", EXAMPLES)
def test_what_every_engine_refuses_aishell_refuses(text, refused):
    """Without the newer engines' checks: what 28.5 takes, taken; what it refuses for another
    reason, refused; what it refuses only for one of theirs, never refused for one of them."""
    with newer():
        why = _refused(text)
    now = _refused(text)
    if not refused or why is None or not NEWER_ONLY.search(why):
        assert (now is not None) == refused, now
    else:
        assert now is None or not NEWER_ONLY.search(now), now


def test_the_newer_checks_are_off():
    assert model.NEWER_ENGINE_REFUSALS is False
    assert _refused("FROM debian AS b.\nFROM debian\n") is None
    later = "FROM debian AS a\nCOPY --from=b /x /x\nFROM debian AS b\nFROM debian\nCOPY --from=a /x /x\n"
    assert _refused(later) is None


# -- the generating test ------------------------------------------------------------------------
_PATH = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")  # distribution/reference's path component
NAMES = ["b", "build", "b.", "a..b", "a___b", "a__b", "x-", "a.-b", "a-b", "s1", "a" * 247, "a" * 248]


def _case(r: random.Random, name: str) -> str:
    return r.choice([name, name.upper(), name[:1].upper() + name[1:]])


def _name_ok(name: str) -> bool:
    return _PATH.fullmatch(name) is not None and len("library/" + name) <= 255


@st.composite
def stage_files(draw):
    """(text, refused by 28.5, refused by every engine) for a file of up to four stages, by the
    rules in the module's doc."""
    r = random.Random(draw(st.integers(0, 2**32 - 1)))
    n = r.randint(1, 4)
    names = [r.choice(NAMES + [None, None]) for _ in range(n)]
    lines, refs = [], []  # refs: (stage, kind, word) of each COPY --from / mount from
    bases = []
    for k in range(n):
        pick = r.randrange(5)
        if pick == 0:
            base = r.choice(["scratch", "Scratch", "SCRATCH"])
        elif pick == 1 or not any(names):
            base = "debian"
        else:
            base = _case(r, r.choice([x for x in names if x]))
        bases.append(base)
        lines.append(f"FROM {base}" + (f" AS {_case(r, names[k])}" if names[k] else ""))
        if r.randrange(2):
            kind = r.choice(["copy", "mount"])
            if kind == "copy" and r.randrange(3) == 0:
                word = str(r.randrange(n))  # (past the stages: refused elsewhere, stage_graph)
            elif any(names):
                word = _case(r, r.choice([x for x in names if x]))
            else:
                word = "debian"
            refs.append((k, kind, word))
            lines.append(f"COPY --from={word} /a /b" if kind == "copy" else f"RUN --mount=from={word},target=/m true")
        else:
            lines.append("COPY a /b")
    text = "\n".join(lines) + "\n"
    # BuildKit 28.5, step by step: every stage name; every base (as written: an earlier stage,
    # `scratch`, or an image that must parse; bases here are plain words of at most 248 letters,
    # whose length both reference rules take); cycles; then the reached stages' references.
    names_bad = any(x is not None and not _name_ok(x) for x in names)  # (newer engines only)
    base_of = {}
    for k, base in enumerate(bases):
        earlier = [j for j in range(k) if names[j] == base]
        if earlier:
            base_of[k] = earlier[-1]
        elif base != "scratch" and (base.lower() != base or not _name_ok(base)):
            return text, True, True
    last = {x: j for j, x in enumerate(names) if x is not None}
    edges: dict[int, set[int]] = {}
    late = []
    for k, kind, word in refs:
        if kind == "copy" and word.isdigit():
            j = int(word)
        else:
            j = last.get(word.lower())
        if j is not None:
            edges.setdefault(k, set()).add(j)
            if j > k:
                late.append(k)
    # A cycle through copies and mounts, reached or not.
    for start in edges:
        seen, todo = set(), [start]
        while todo:
            for j in edges.get(todo.pop(), ()):
                if j == start:
                    return text, True, True
                if j not in seen:
                    seen.add(j)
                    todo.append(j)
    built, todo = {n - 1}, [n - 1]
    while todo:
        k = todo.pop()
        for j in (*edges.get(k, ()), *([base_of[k]] if k in base_of else [])):
            if j not in built:
                built.add(j)
                todo.append(j)
    return text, names_bad or any(k in built for k in late), False  # (later stages: newer only)


@settings(max_examples=1500, deadline=None, database=None)
@given(stage_files())
def test_stage_names_and_references_as_buildkit_reads_them(case):
    text, refused, everywhere = case
    with newer():
        assert (_refused(text) is not None) == refused, (text, _refused(text))
    assert (_refused(text) is not None) == everywhere, (text, _refused(text))


def _same_either_way(text: str) -> None:
    """model.STAGE_NAMES_PLAIN on and off (with the newer engines' checks, which it serves): the
    same verdict."""
    verdicts = []
    for on in (True, False):
        model.STAGE_NAMES_PLAIN = on
        try:
            with newer():
                verdicts.append(_refused(text))
        finally:
            model.STAGE_NAMES_PLAIN = True
    assert verdicts[0] == verdicts[1], text


@pytest.mark.parametrize("text", [t for t, _ in EXAMPLES])
def test_plain_stage_names_fast_path_on_the_examples(text):
    _same_either_way(text)


@settings(max_examples=300, deadline=None, database=None)
@given(stage_files())
def test_plain_stage_names_fast_path_on_generated_files(case):
    _same_either_way(case[0])


# A name given to two stages: `COPY --from=a` and `FROM a` take the last (earlier, for FROM)
# stage of that name (Engine 28.5: the second `a`'s files were the ones copied and built on), so
# the first `a` is not built and its error is a warning; the second's is an error.
@pytest.mark.parametrize("first_has_it", [True, False])
def test_the_last_stage_of_a_name_is_the_one_built(first_has_it):
    run = ["RUN true", "RUN claude --version"]
    a1, a2 = (run[1], run[0]) if first_has_it else (run[0], run[1])
    text = f"FROM debian AS a\n{a1}\nFROM debian AS a\n{a2}\nFROM debian\nCOPY --from=a /x /x\n"
    found = lint_text(text, "/nonexistent/Dockerfile", Options(use_config=False)).findings
    assert [(f.code, f.severity) for f in found] == [("AIS002", "warning" if first_has_it else "error")]


def test_a_name_given_to_many_stages_is_looked_up_in_linear_time():
    """Stage.base_stage finds the last earlier stage of a name by bisection: a file naming one
    name 60,000 times, each stage FROM the one before, with a scan of that name's stages per stage
    (quadratic) took 73 s (AIS101 and AIS102 ask each stage's base). Linear: about 2 s; the limit
    is ten times that."""
    from tests.growth import cpu_time

    text = "FROM debian AS a\nENV X=1\n" + "FROM a AS a\nARG V\nCOPY . .\nRUN npm ci && echo $V\n" * 60_000
    t = cpu_time()
    lint_text(text, "/nonexistent/Dockerfile", Options(select=["AIS101", "AIS102"], use_config=False))
    assert cpu_time() - t < 20
