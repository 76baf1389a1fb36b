"""run_provides' text patterns with their look-behind after their first literal (LITERAL_FIRST)
find what the patterns of a look-behind first find (issue 18, "Linear by design").

lint_rules/_provides.py's _text_res gives the function pattern with the look-behind after each
name (`claude(?<![\\w./$-]claude)`), and _REDIRECT_TARGET_FIRST the redirection's after its `>`
(`>(?<![=-]>)`): re's search then skips to a name's first letter or a `>`, where the patterns of
a look-behind first try every position. The tests compare the matches of both over generated
texts of the pieces that decide them (names, a character before them that the look-behind
refuses or not, blanks, parentheses, `=>`, `->`, `>&`, quotes, expansions, the text's start),
and the lint findings of generated RUNs with the switch on and off.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint_rules import _provides

from tests.runs import read_switched

_NAMES = frozenset({"claude", "codex", "gemini", "opencode", "code"})
_PIECES = [
    *sorted(_NAMES),
    "claude-code",
    "xclaude",
    "(",
    ")",
    "()",
    " ",
    "\t",
    "\n",
    ".",
    "/",
    "$",
    "-",
    "_",
    "x",
    "=",
    ">",
    ">>",
    ">|",
    "&",
    "|",
    ";",
    "'",
    '"',
    "`",
    "$(a)",
    "${B}",
    "<",
    "function ",
]


def _matches(pattern, text: str) -> list:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_the_patterns_match_as_with_the_look_behind_first(text):
    fast, general = _provides._text_res(_NAMES, True), _provides._text_res(_NAMES, False)
    assert [p.pattern for p in fast[:1] + fast[2:]] == [p.pattern for p in general[:1] + general[2:]]
    assert _matches(fast[1], text) == _matches(general[1], text)
    assert _matches(_provides._REDIRECT_TARGET_FIRST, text) == _matches(_provides._REDIRECT_TARGET, text)


def test_the_near_misses_are_refused_as_before():
    """A name after a word character, `.`, `/`, `$` or `-` is no function; a `>` after `=` or
    `-` no redirection; at the text's start both are."""
    fast = _provides._text_res(_NAMES, True)[1]
    for text, found in [
        ("claude() { :; }", ["claude"]),
        ("xclaude() { :; }", []),
        ("a.claude ()", []),
        ("/claude()", []),
        ("$claude()", []),
        ("-claude()", []),
        ("opencode ( )", ["opencode"]),
        ("; code\t()", ["code"]),
    ]:
        assert [m["fname2"] for m in fast.finditer(text)] == found
    redirect = _provides._REDIRECT_TARGET_FIRST
    for text, found in [(">x", ["x"]), ("a=>x", []), ("a->x", []), ("a >$B/y", ["$B/y"]), ("2>&1", [])]:
        assert [m["target"] for m in redirect.finditer(text)] == found


_STEPS = [
    "claude() { echo x; }",
    "xclaude() { :; }",
    "codex ( ) { :; }",
    "printf x > /usr/local/bin/$N",
    'echo x > "$BIN/claude"',
    "echo x => claude",
    "echo a->$B",
    "printf x > claude",
    "cd /o",
    "claude -v",
    "codex -v",
    "./claude",
    "f() { claude; }",
    "export PATH=/p:$PATH",
    "true",
]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(_STEPS), min_size=1, max_size=6),
    st.sampled_from(["; ", " && ", " \\\n && "]),
    st.sampled_from(
        ["FROM node\nWORKDIR /usr/local/bin\n", "FROM aishell:foundation\n", "FROM node\nENV PATH=/p:$PATH\n"]
    ),
)
def test_findings_are_those_with_the_look_behind_first(steps, joint, head):
    text = head + "RUN " + joint.join(steps) + "\n"
    switch = [(_provides, "LITERAL_FIRST")]
    assert read_switched(text, switch, True, lambda ins: None) == read_switched(text, switch, False, lambda ins: None)
