"""AIS002's reading of shell functions of a harness's name, read once per RUN (issue 18).

lint_rules/ais002_harness_at_build_time.py's _function_unseen asks, for each harness call after a
function of its name is defined in the RUN, whether the shell running the call sees the function.
It tokenized the text from each definition to each call, and scanned every command for the new
process around each offset and for each `unset`: `claude() { :; }` then 2,000 calls took 15 s for
22 KB, a definition per call 77 s for 56 KB (found by benchmarks/fuzz_hunt.py: a line of
`$(claude()[` and `${x%%x=$(claude)[` pieces, 44 KB, 10 s). With UNSEEN_MEMO the RUN's reading is
kept for all its calls (_Unseen, _Scan). These tests generate RUNs of definitions (plain, in a
subshell, piped, in the background, in another process's string, in `$( )`, in `case`, `if`),
calls (plain, in `sh -c`, `bash -c`, `( )`, `$( )`, `find -exec`, behind wrappers), `unset`s and
`export -f`, with every separator, and compare with the switch on and off: each answer of
_Scan (subshell, piped) with _subshell_ends and _piped_or_background for every definition and
call position, _Unseen.process_at with _new_process_at, and every finding. A growth test guards
the arrangements found quadratic (tests/growth.py).
"""

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.lint_rules import ais002_harness_at_build_time as ais002
from tests import growth

DEFS = [
    "claude() { :; }",
    "(claude() { :; })",
    "claude() { :; } | true",
    "claude() { :; } &",
    "claude() ( : )",
    "sh -c 'claude() { :; }; claude'",
    "x=$(claude() { :; })",
    "case x in y) claude() { :; };; esac",
    "if true; then claude() { :; }; fi",
    "{ claude() { :; }; } | cat",
    "true | claude() { :; }",
    "$(claude()[",
    "if false; then :; elif true; then claude() { :; } | cat; fi",
    "for x in do; do claude() { :; }; done &",
]
CALLS = [
    "claude -v",
    "sh -c 'claude -v'",
    'bash -c "claude -v"',
    "(claude -v)",
    "echo $(claude -v)",
    "echo `claude -v`",
    "find . -exec claude \\;",
    "sudo claude -v",
    "${x%%x=$(claude)[",
    "unset -f claude",
    "unset claude",
    "export -f claude",
    "case $x in a) claude ;; esac",
    "cat <<EOF\nclaude\nEOF",
]
SEPS = ["; ", " && ", " || ", " | ", " & ", " \\\n  ", "\n", ") ", " ( ", "", ")", ";;", " in "]

_piece = st.sampled_from(DEFS + CALLS)
_run = st.lists(st.tuples(_piece, st.sampled_from(SEPS)), min_size=1, max_size=8).map(
    lambda ps: "".join(p + s for p, s in ps[:-1]) + ps[-1][0]
)


def _findings(text: str, on: bool) -> list:
    saved = ais002.UNSEEN_MEMO
    ais002.UNSEEN_MEMO = on
    ais002._UNSEEN[:] = [None, None, None]
    try:
        return [
            (f.code, f.message, f.severity, f.start, f.end, f.fix)
            for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings
        ]
    except Exception as e:  # noqa: BLE001 - the same refusal both ways
        return [type(e).__name__, str(e)]
    finally:
        ais002.UNSEEN_MEMO = saved


def _scans_agree(text: str) -> None:
    """Every definition offset (each `claude(`) against every later call offset (each `claude`):
    _Scan's answers, where it gives one, are the text read again's; one _Scan per definition,
    asked in order and out of order."""
    defs = [m.start() for m in re.finditer(r"claude\(", text)]
    calls = [m.start() for m in re.finditer(r"claude", text)]
    for k in defs:
        later = [a for a in calls if a > k]
        for order in (later, later[::-1]):
            scan = ais002._Scan(text, k)
            for at in order:
                sub = scan.subshell(at)
                if sub is not None:
                    assert sub == ais002._subshell_ends(text, k, at), (text, k, at)
                pipe = scan.piped(at)
                if pipe is not None:
                    assert pipe == ais002._piped_or_background(text, k, at), (text, k, at)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_run, st.sampled_from(["RUN ", "RUN set -e; ", "ONBUILD RUN "]))
def test_generated_runs_read_the_same_both_ways(body, head):
    text = f"FROM debian\n{head}{body}\n"
    _scans_agree(text)
    assert _findings(text, True) == _findings(text, False)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(DEFS), st.sampled_from(CALLS), st.sampled_from(SEPS), st.integers(2, 30))
@example("(claude() { :; })", "claude -v", "", 3)  # a call right after the `)` that ends the subshell
@example("claude() { :; } | cat", "claude -v", "", 3)
@example("for x in a; do claude() { :; }; done", "claude -v", " | ", 2)
def test_pumped_runs_read_the_same_both_ways(d, c, sep, n):
    """A definition then many calls, and definitions and calls taking turns (the quadratic ones)."""
    for body in (d + sep + sep.join([c] * n), sep.join([d, c] * n), sep.join([d] * n + [c] * n)):
        text = f"FROM debian\nRUN {body}\n"
        _scans_agree(text)
        assert _findings(text, True) == _findings(text, False)


def test_process_at_is_new_process_at():
    text = (
        "FROM debian\nRUN claude() { :; }; sh -c 'claude -v; bash -c \"claude\"' && "
        'find . -exec claude \\; ; su -c "x=$(claude) claude" && xargs claude < f; claude\n'
    )
    from aishell.model import parse
    from aishell.shell import analyse_run

    df = parse(text)
    script = analyse_run(df.instructions[1])
    unseen = ais002._Unseen(text, script)
    for at in range(len(text) + 2):
        assert unseen.process_at(at) is ais002._new_process_at(text, script, at), at


def _cont(body_pieces: list[str]) -> str:
    """One RUN of the pieces, `; ` between, continued every 40 (BuildKit's 64 KB line bound)."""
    return (
        "FROM debian\nRUN "
        + "".join(p + ("; \\\n " if i % 40 == 39 else "; ") for i, p in enumerate(body_pieces))
        + ":\n"
    )


def test_definitions_and_calls_grow_linearly():
    shapes = [
        lambda n: _cont(["claude() { :; }"] * n + ["claude -v"] * n),
        lambda n: _cont(["claude() { :; }"] + ["claude -v"] * n),
        lambda n: _cont(["(claude() { :; })"] + ["claude -v"] * n),
        lambda n: _cont(["claude() { :; }", "claude -v"] * n),
        lambda n: _cont(["(claude() { :; })"] * n + ["claude -v"] * n),
        lambda n: _cont(["claude() { :; }"] + ["unset -f claude", "claude -v"] * n),
    ]
    for shape in shapes:

        def lint(n, shape=shape):
            lint_text(shape(n), "Dockerfile", Options(use_config=False))

        growth.guard(lint, 60)
