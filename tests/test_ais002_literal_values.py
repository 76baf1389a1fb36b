"""An expansion's value is literal text: its backslashes and quotes stay (AIS002 precision).

Issue 18, round twelve (r70): `set -- 'c\\laude'; $1 -v`, `c='cl\\aude'; $c -v`, `x=c\\\\laude; $x`,
`x="c\\laude"; $x` and `"cl\\aude" -v` were errors, though each runs `cl\\aude` (or `c\\laude`): not
found, no harness ran. Field splitting and pathname expansion remove no character of a value (POSIX
2.6), and in double quotes a backslash escapes only `$`, a backquote, `"`, a backslash and a
newline (2.2.3); the reader read the value again as script text (quotes and backslashes removed a
second time, `;` and newlines ending a command, `A=1` an assignment, `if` a keyword), and unquoted
`"\\a"` as `a`. A `$( )` in double quotes keeps its own backslashes (`"$(echo c\\\\laude)"` writes
`c\\laude`), and `'$(echo claude)'` is no substitution at all. The class: ways to give a value
(assignments quoted every way, `set --`, `for`, `read`-free feeders) × values with and without
backslashes, quotes, operators, newlines, keywords × uses of it as a command name (`$c`, `"$c"`,
`${c}`, `"$@"`, `env $c`) × where the script runs (top level, `sh -c`, a body fed to sh, a function,
a loop), judged by dash with stubs that record that a harness ran and fail as "not found" does.
"""

import itertools
import shlex

import pytest

from tests.chunks import chunked, each
from tests.dash import SH, outcome
from tests.severities import severities
from tests.sweep import sample

HEAD = "FROM aishell:foundation\nRUN "
# Values as the shell holds them once assigned (each is given below every way it can be spelled).
VALUES = [
    "claude",
    "cl\\aude",
    "c\\laude",
    "\\claude",
    'cl"aude',
    "cl'aude",
    "claude;",
    "true;claude",
    "true\nclaude",
    "A=1 claude",
    "if claude",
    "! claude",
    "{ claude; }",
    "$x",
    "`claude`",
    "claude # x",
    "claude -v",
]
# Ways to put a value in `c` (or in $1): quoted for the shell by shlex (single quotes), in
# double quotes with the four characters escaped, unquoted with every special character escaped.
SETTERS = ["c={q}; ", "c={d}; ", "c={u}; ", "for c in {q}; do :; done; ", 'c="$(printf %s {q})"; ']
USES = ["$c -v", '"$c" -v', "${{c}} --version", 'set -- {q}; "$@" -v', "set -- {q}; $1 -v"]
# (A RUN's line holds no newline: the body fed to sh holds the values that do.)
CONTEXTS = ["{s}", "sh -c {quoted}", "sh <<'EOF'\n{s}\nEOF\n", "f() {{ {s}; }}; f", "for i in 1; do {s}; done"]
# Words spelled in the script itself (no expansion): quote removal applies once.
WORDS = ['"cl\\aude"', '"c\\laude"', '"cl\\\\aude"', "cl\\aude", "'cl\\aude'", '"cl\\"aude"', '"\\claude"']
SUBSTITUTIONS = [
    "'$(echo claude)'",
    '"$(echo claude)"',
    '"$(echo c\\\\laude)"',
    '"$(echo c\\laude)"',
    "$(echo c\\\\laude)",
    '"`echo c\\\\laude`"',
    "`echo c\\\\laude`",
]


def _double(value: str) -> str:
    return '"' + "".join("\\" + ch if ch in '$`"\\' else ch for ch in value) + '"'


def _unquoted(value: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_/.,:=+" else ("'\n'" if ch == "\n" else "\\" + ch) for ch in value)


def _script(context: str, s: str) -> str:
    return context.format(s=s, quoted=shlex.quote(s))


def _judged(script: str, tmp_path) -> None:
    found = severities(HEAD + script)
    fails, ran = outcome(script, tmp_path)
    assert "error" not in found or (fails and ran), (script, found)
    assert found or not ran, (script, found)


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize(
    "chunk",
    chunked(
        sample(
            itertools.product([v for v in VALUES if "\n" not in v], SETTERS, USES, CONTEXTS[:2] + CONTEXTS[3:]),
            600,
            "literal values",
        )
    ),
)
def test_a_value_runs_as_what_dash_runs(tmp_path, chunk):
    each(chunk, _a_value_runs, tmp_path)


def _a_value_runs(value, setter, use, context, tmp_path):
    s = (setter + use).format(q=shlex.quote(value), d=_double(value), u=_unquoted(value))
    _judged(_script(context, s), tmp_path)


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@pytest.mark.parametrize("chunk", chunked(list(itertools.product(VALUES, USES))))
def test_a_value_in_a_fed_body_runs_as_what_dash_runs(tmp_path, chunk):
    each(chunk, _in_a_fed_body, tmp_path)


def _in_a_fed_body(value, use, tmp_path):
    _judged(_script(CONTEXTS[2], f"c={shlex.quote(value)}; " + use.format(q=shlex.quote(value))), tmp_path)


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@pytest.mark.parametrize("chunk", chunked(list(itertools.product(WORDS + SUBSTITUTIONS, CONTEXTS))))
def test_a_word_runs_as_what_dash_runs(tmp_path, chunk):
    each(chunk, lambda word, context, tmp: _judged(_script(context, word + " -v"), tmp), tmp_path)
