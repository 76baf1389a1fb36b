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

import random
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
    # Definitions with something left open before them, or of another shape (SCOPES_MERGED
    # compares each with the one before it: what is open between, a heredoc, the shape).
    "( claude() { :; }",
    "{ claude() { :; }",
    "if true; then claude() { :; }",
    "while :; do claude() { :; }",
    "case x in y) claude() { :; }",
    "function claude { :; }",
    "claude () ( : ) &",
    "cat <<EOF; claude() { :; }\nx\nEOF",
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
SEPS = [
    "; ",
    " && ",
    " || ",
    " | ",
    " & ",
    " \\\n  ",
    "\n",
    ") ",
    " ( ",
    "",
    ")",
    ";;",
    " in ",
    "; }",
    "; fi; ",
    "; done ",
    " esac ",
]

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
    asked in order and out of order. And _Unseen.process_at (PROCESS_TREE's tree) is
    _new_process_at at every offset."""
    _process_at_agrees(text)
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
@given(st.sampled_from(DEFS), st.sampled_from(CALLS), st.sampled_from(SEPS), st.integers(2, 20))
@example("(claude() { :; })", "claude -v", "", 3)  # a call right after the `)` that ends the subshell
@example("claude() { :; } | cat", "claude -v", "", 3)
@example("for x in a; do claude() { :; }; done", "claude -v", " | ", 2)
def test_pumped_runs_read_the_same_both_ways(d, c, sep, n):
    """A definition then many calls, and definitions and calls taking turns (the quadratic ones),
    and two kinds of definition in turn, then calls (SCOPES_MERGED: each compared with the one
    before it)."""
    d2 = DEFS[n % len(DEFS)]
    bodies = (
        d + sep + sep.join([c] * n),
        sep.join([d, c] * n),
        sep.join([d] * n + [c] * n),
        sep.join([d, d2] * min(n // 2 + 1, ais002._UNSEEN_KEPT // 2) + [c] * 3),  # (within UNSEEN_BOUND)
    )
    for body in bodies:
        text = f"FROM debian\nRUN {body}\n"
        _scans_agree(text)
        assert _findings(text, True) == _findings(text, False)


# More definitions of odd shapes (in quotes, in a heredoc, nested opens) and calls after closing
# words, for test_definitions_in_a_row_read_the_same_both_ways.
MORE_DEFS = [
    'echo "claude() { :; }"',
    "x='claude() { :; }'",
    "claude(){ :;}",
    "claude ( ) { :; }",
    "( ( claude() { :; }",
    "case x in y) ( claude() { :; }",
    "{ ( claude() { :; } ) }",
    "{ { claude() { :; }",
    "claude() { :; } |",
    "cat <<E\nclaude() { :; }\nE",
]
MORE_CALLS = [
    "sh -c claude",
    "claude",
    ") ; claude",
    "} ; claude",
    "esac; claude",
    "fi; claude",
    "done; claude",
    "; } | cat; claude",
    "| cat; sh -c claude",
    "esac; ); } | cat; claude",
]


def test_definitions_in_a_row_read_the_same_both_ways():
    """Two to four definitions, then one to three calls (a third of them shuffled), 6,000 bodies
    from a fixed seed: SCOPES_MERGED compares each definition with the one before it, and a
    wrong merge shows only with something between them (it found both examples below: k1's
    pipe scan, with two `(` open at k2, matched `esac` with one and went on to a `|` after
    k2's had stopped at the `)`)."""
    rnd = random.Random(64)
    defs, calls = DEFS + MORE_DEFS, CALLS + MORE_CALLS
    bodies = [
        "claude() { :; }; }( ( claude() { :; } || esac; claude); } | cat; claude",
        "claude(){ :;} ( { claude() { :; };;case $x in a) claude ;; esac; }case $x in a) claude ;; esac"
        " | echo $(claude -v)",
        # Compounds open at k2: `esac` closes one of k1's in its pipe scan, k2's stops at the `)`.
        "claude() { :; }; { { claude() { :; }; esac; ); } | cat; claude",
    ]
    for _ in range(6000):
        parts = [rnd.choice(defs) for _ in range(rnd.randint(2, 4))]
        parts += [rnd.choice(calls) for _ in range(rnd.randint(1, 3))]
        if rnd.random() < 0.3:
            rnd.shuffle(parts)
        bodies.append("".join(p + rnd.choice(SEPS) for p in parts[:-1]) + parts[-1])
    texts = [f"FROM debian\nRUN {body}\n" for body in bodies]
    # The same as scripts of a heredoc (run by the RUN, and fed to bash), where a heredoc of the
    # script may be pending at k2: k1's scans skip its body (`;;`), k2's read it.
    for body in ["( claude() { :; }; cat <<E; claude() { :; }\n;;\nE\n); claude -v", *bodies[4:2000]]:
        body = body.replace("EOF", "EOT").replace(" \\\n", "\n")
        texts += [f"FROM debian\nRUN <<EOF\n{body}\nEOF\n", f"FROM debian\nRUN bash <<EOF\n{body}\nEOF\n"]
    differ = [text for text in texts if _findings(text, True) != _findings(text, False)]
    assert not differ, differ[:5]


def test_definitions_past_the_bound_count():
    """UNSEEN_BOUND: a call that _UNSEEN_KEPT definitions still open around it do not decide (each
    in a deeper `( `, none merged with the one before) is answered as unsure, the definitions
    counting (no error: as before FUNCTION_SCOPES); up to the bound, as the text read again."""
    kept = ais002._UNSEEN_KEPT

    def text(n: int) -> str:
        return "FROM debian\nRUN " + "( claude() { :; }; " * n + "sh -c 'claude -v'" + " )" * n + "\n"

    assert _findings(text(kept), True) == _findings(text(kept), False)
    assert [f[0] for f in _findings(text(kept), True)] == ["AIS002"]
    assert _findings(text(kept + 1), True) == []
    assert [f[0] for f in _findings(text(kept + 1), False)] == ["AIS002"]


def _process_at_agrees(text: str) -> None:
    from aishell.model import parse
    from aishell.shell import analyse_run

    try:
        df = parse(text)
    except Exception:  # noqa: BLE001 - a text the parser refuses has no script to read
        return
    for ins in df.instructions:
        if ins.keyword not in ("RUN", "ONBUILD"):
            continue
        try:
            script = analyse_run(ins)
        except Exception:  # noqa: BLE001 - (an ONBUILD of something else)
            continue
        if script is None:
            continue
        unseen = ais002._Unseen(text, script)
        for at in range(len(text) + 2):
            assert unseen.process_at(at) is ais002._new_process_at(text, script, at), (text, at)


def test_process_at_is_new_process_at():
    _process_at_agrees(
        "FROM debian\nRUN claude() { :; }; sh -c 'claude -v; bash -c \"claude\"' && "
        'find . -exec claude \\; ; su -c "x=$(claude) claude" && xargs claude < f; claude\n'
    )
    # Commands that start new processes nested in strings, side by side, and one in another's
    # string that starts where that one's name ends (the tree: each inside the other or apart).
    _process_at_agrees(
        "FROM debian\nRUN sh -c 'bash -c \"su -c claude; sh -c claude\"; sh -c x' && "
        "sudo sh -c 'claude' & bash -c 'sh -c \"sh -c \\\"claude\\\"\"'; sh -c claude\n"
    )
    # Two commands from one offset: `eval $(su …)` reads the `su` twice (its own and the eval's
    # string; seen in the corpus, tailscale's testcontainers Dockerfile): the first of them, as
    # _new_process_at, not the tree's last.
    _process_at_agrees('FROM debian\nRUN eval $(su -m u -c "ssh-agent -s") && su -c claude u\n')


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
        # Definitions in the RUN's own shell, then calls in new processes' strings: each
        # definition read to each call (SCOPES_MERGED; 1,000 and 1,000 took 37 s), and each
        # offset's process found by trying every `sh -c` (PROCESS_TREE).
        lambda n: _cont(["claude() { :; }"] * n + ["sh -c 'claude -v'"] * n),
        lambda n: _cont(["claude() { :; }", "sh -c 'claude -v'"] * n),
        lambda n: _cont(["( claude() { :; }"] * n + ["sh -c 'claude -v'"] * n + [")"] * n),
        lambda n: _cont(["{ claude() { :; }"] * n + ["sh -c 'claude -v'"] * n + ["}"] * n),
        lambda n: _cont(["claude() { :; } | cat"] * n + ["sh -c 'claude -v'"] * n),
        lambda n: _cont(["( claude() { :; } )"] * n + ["sh -c 'claude -v'"] * n),
    ]
    for shape in shapes:

        def lint(n, shape=shape):
            lint_text(shape(n), "Dockerfile", Options(use_config=False))

        growth.guard(lint, 60)
