"""One status walk of a RUN for AIS002's three asks (issue 18, r94: aishell/shell.py ONE_WALK).

AIS002's _check_run asks a RUN's status walk up to three things, each once: the failing starts
(an error needs its command's), the commands each start is for (``named``: an error at an
expansion), the expansions whose value is not sure (``unsure_names``: the warning's reason).
Each was a walk of its own: a RUN of 25,000 `e=…; eval "$e"` pairs (benchmarks/scale.py
eval_assigned) was walked twice, 70 % of its lint. RunWalk walks once and gives a later ask that
walk's answer where the ask's own walk would run alike: the same nested extra (the file's pool,
_POOL, may have shrunk between the asks), taking from the pool what that walk took.

Generated: harness calls in forms that make each ask (a call that may not decide the RUN, an
error at `$c`, a value not sure, several calls, in all orders: an earlier step that may install
the harness makes the unsure ask come first) × places in the script (after `&&`, `||`, in `if`,
a group, a subshell, a function, under `set -e`) × contexts (the line, `sh -c`, `bash -c`, a fed
heredoc, `RUN <<EOF`, the exec form, ONBUILD, a stage ENV that names the harness, a SHELL with
`-e`, an earlier RUN that may install it): with the switch on and off every finding of every rule
and the pool left must agree, with the file's pool as it is and with a pool so small that the
walks take from it (the nested extra then differs between the asks); and the benchmark's RUN is
walked once with it on, twice off (fails without the change).
"""

from __future__ import annotations

from itertools import product

import pytest

from aishell import shell
from aishell.lint import Options, lint_text
from aishell.model import parse

FORMS = [
    "claude -v",
    "c=claude; $c -v",
    'c=claude; "$c" -v',
    "c=claude; `echo $c` -v",
    "[ -f x ] && c=claude; $c -v",
    "c=claude; [ -f x ] && c=true; $c -v",
    'c=claude; e="$c -v"; eval "$e"',
    'e="claude -v"; eval "$e"; e=true; eval "$e"',
    "{ c=claude; c=true; $c claude; }",
    "c=claude; $c -v; claude -v; $c --help",
    "claude -v; c=claude; [ -f y ] || c=codex; $c -v",
    'x=$(echo claude); $x -v; eval "$x -v"',
    "c=${C:-claude}; $c -v",
    "f() { claude -v; }; f; c=f; $c",
    'eval "c=claude"; $c -v; eval "$c" -v',
    'sh -c "c=claude; \\$c -v"',
]
PLACES = [
    "{c}",
    "set -e; {c}; echo done",
    "{c} && echo done",
    "true && {c}",
    "false || {c}",
    "if {c}; then echo y; fi",
    "( {c} ); echo done",
    "{{ {c}; }}",
    "g() {{ {c}; }}; set -e; g",
    "set -e; {c} || true; claude -v",
]
CONTEXTS = {
    "line": "RUN {s}\n",
    "sh -c": "RUN sh -c '{s}'\n",
    "bash -c": "RUN bash -c '{s}'\n",
    "fed": "RUN sh <<'EOF'\n{s}\nEOF\n",
    "RUN <<EOF": "RUN <<EOF\n{s}\nEOF\n",
    "exec": 'RUN ["sh", "-c", "{q}"]\n',
    "ONBUILD": "ONBUILD RUN {s}\n",
    "stage ENV": "ENV C=claude\nRUN {s}\n",
    "SHELL -e": 'SHELL ["/bin/sh", "-ec"]\nRUN {s}\n',
    "may install": "RUN npm install -g @anthropic-ai/claude-code || true\nRUN {s}\n",
}
_HEAD = "FROM aishell:foundation\n"


def _scripts(context: str) -> list[str]:
    out = [p.format(c=f) for p, f in product(PLACES, FORMS)]
    return [s for s in out if "'" not in s] if context.endswith("-c") else out


def _run(context: str, s: str) -> str:
    return CONTEXTS[context].format(s=s, q=s.replace("\\", "\\\\").replace('"', '\\"'))


def _lint(text: str, on: bool) -> tuple[list, int | None]:
    saved = shell.ONE_WALK, shell._SEEN, shell._WALKED
    shell.ONE_WALK = on
    shell._SEEN, shell._WALKED = {}, {}
    try:
        found = [
            (f.code, f.message, f.severity, f.start, f.end, f.fix)
            for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings
        ]
        return found, shell._POOL[0]
    finally:
        shell.ONE_WALK, shell._SEEN, shell._WALKED = saved


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_findings_and_pool_agree(context):
    """Every RUN of the context in one file (the pool shared), then each RUN alone."""
    scripts = _scripts(context)
    text = _HEAD + "".join(_run(context, s) for s in scripts)
    assert _lint(text, True) == _lint(text, False)
    for s in scripts:
        one = _HEAD + _run(context, s)
        assert _lint(one, True) == _lint(one, False), s


@pytest.mark.parametrize("extra", [0, 4, 12, 40])
@pytest.mark.parametrize("context", ["line", "bash -c", "fed", "may install", "stage ENV"])
def test_findings_and_pool_agree_in_a_small_pool(monkeypatch, context, extra):
    """A pool so small that the walks take from it (the nested extra then differs between a
    RUN's asks: a later ask walks again, as before): four RUNs a file, the pool shared."""
    monkeypatch.setattr(shell, "NESTED_EXTRA", extra)
    monkeypatch.setattr(shell, "NESTED_BUDGET", 0)
    scripts = _scripts(context)
    for k in range(0, len(scripts), 4):
        text = _HEAD + "".join(_run(context, s) for s in scripts[k : k + 4])
        assert _lint(text, True) == _lint(text, False), scripts[k : k + 4]


def _asks(text: str, on: bool, asks: str) -> tuple[list, int, int]:
    """The RUN of ``text`` read afresh in a file of its own, then its walk asked ``asks`` (in that
    order: f failing, n named, u unsure): each answer with the pool after it; what the first walk
    took from the pool (RunWalk.took); how many walks ran."""
    shell.ONE_WALK = on
    shell._SEEN, shell._WALKED = {}, {}
    shell.start_file(len(text))
    ins = next(i for i in parse(text).instructions if i.keyword == "RUN")
    shell.analyse_run(ins)
    walk = shell.RunWalk(ins, shell.DEFAULT_SHELL, None)
    out = []
    count = [0]
    run = shell._StatusWalk.run

    def counted(self, m, size):
        count[0] += 1
        return run(self, m, size)

    shell._StatusWalk.run = counted
    try:
        for ask in asks:
            answer = {"f": walk.failing, "n": walk.named, "u": walk.unsure}[ask]()
            out.append((sorted(answer) if ask == "f" else answer, shell._POOL[0]))
    finally:
        shell._StatusWalk.run = run
    return out, walk.took, count[0]


@pytest.mark.parametrize("asks", ["fnu", "fun", "ufn", "unf", "nuf", "fu"])
@pytest.mark.parametrize("extra", [0, 8, 64, 200, 400])
def test_the_asks_in_a_pool_taken_from(monkeypatch, extra, asks):
    """Nested strings longer than the RUN (its own part, NESTED_BUDGET × its length): a walk
    takes from the pool. With a pool that keeps NESTED_EXTRA after the first walk (8, 64: the
    later asks get its answer, the pool taken again, but the failing ask, which the memo may answer
    taking nothing), none taken (0), or one that does not (200, 400: the next ask's walk starts
    with less, and walks again): each answer and the pool after it as with the switch off."""
    monkeypatch.setattr(shell, "NESTED_EXTRA", extra)
    monkeypatch.setattr(shell, "NESTED_BUDGET", 1)
    monkeypatch.setattr(shell, "_POOL", [None])  # (the pools it starts are its own: not left to later tests)
    monkeypatch.setattr(shell, "_SEEN", {})
    monkeypatch.setattr(shell, "_WALKED", {})
    monkeypatch.setattr(shell, "ONE_WALK", True)
    text = _HEAD + 'RUN set -e; c=claude; e="$c -v; $c -v; $c -v"' + '; eval "$e"' * 10 + "\n"
    on, took, walks = _asks(text, True, asks)
    off = _asks(text, False, asks)
    assert on == off[0]
    assert off[2] == len(asks)
    if extra in (0, 8):
        assert (took > 0) == (extra == 8)  # (what the last walk took)
    assert walks <= len(asks)
    if extra == 0 or (extra == 8 and asks[0] == "f"):
        assert walks == 1  # (8: the pool taken again for each later ask, 8 left for each)
    elif extra == 8:
        assert walks == 2  # (the failing ask walks where the first took from the pool: the memo may answer it)
    elif asks == "fu":
        assert walks == (1 if extra == 64 else 2)  # (200, 400: the first leaves less than it started with)
    assert len(on[asks.index("u")][0]) == 10  # (each `$c` of each eval)


def _walks(monkeypatch, text: str) -> int:
    count = [0]
    run = shell._StatusWalk.run

    def counted(self, m, size):
        count[0] += 1
        return run(self, m, size)

    monkeypatch.setattr(shell._StatusWalk, "run", counted)
    _lint(text, shell.ONE_WALK)
    monkeypatch.setattr(shell._StatusWalk, "run", run)
    return count[0]


def test_the_shape_is_walked_once(monkeypatch):
    """The benchmark's RUN (`c=claude; eN="$c -v"; eval "$eN"`: no call decides it, each is a
    warning whose reason is asked of the walk): one walk with ONE_WALK, two without."""
    text = _HEAD + "RUN c=claude" + "".join(f'; e{i}="$c -v"; eval "$e{i}"' for i in range(60)) + "\n"
    counts = {}
    for on in (True, False):
        monkeypatch.setattr(shell, "ONE_WALK", on)
        counts[on] = _walks(monkeypatch, text)
    assert counts == {True: 1, False: 2}
    assert _lint(text, True) == _lint(text, False)
    assert len(_lint(text, True)[0]) == 60
