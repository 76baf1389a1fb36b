"""The reader records a plain definition's body commands without their tokens (issue 18).

aishell/shell.py's _Splitter._definition, for token_chunks' plain function definition ("def"
token: `NAME() { CMD; CMD; }`), records a body command whose first word PLAIN_FIRSTS said yes
to itself (_Reader._record_shape) where the reader holds no function, file or alias and reads the
top level, and hands any other command's tokens to _command, asking the reader's state again
after it (DEF_RECORD). The tests read and lint the same Dockerfiles with it on and off (each
RUN's commands: argv, spans, start, end, nesting, item; the items; the findings): definitions
whose bodies hold commands of one to ten words (past ROW_WORDS), one blank, two or a tab apart,
first words that are plain, harnesses, paths, wrappers, shells, `eval`, `alias`, `cd`,
assignments, function names; after files made, aliases, functions that read parameters, in
`$( )`, `sh -c`, heredocs and continued lines.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.switched import read_switched

_FIRST = [
    "echo",
    "echo",
    "claude",
    "true",
    "./claude",
    "/usr/bin/claude",
    "cat",
    "cd",
    "chmod",
    "sh",
    "sudo",
    "eval",
    "alias",
    "unset",
    "x=1",
    "f",
    "export",
    "ln",
    "cp",
    "ls",
]
_WORDS = ["hi", "-v", "claude", "s.sh", "+x", "a=claude", "-s", "x", "/o", "b"]
_BLANK = [" ", " ", " ", "  ", "\t"]
_command = st.tuples(
    st.sampled_from(_FIRST), st.lists(st.tuples(st.sampled_from(_BLANK), st.sampled_from(_WORDS)), max_size=9)
).map(lambda c: c[0] + "".join(b + w for b, w in c[1]) + ";")
_definition = st.tuples(
    st.sampled_from(["f", "g", "claude"]),
    st.lists(_command, min_size=1, max_size=3),
    st.sampled_from(["; ", " && ", " | "]),
).map(lambda d: f"{d[0]}() {{ {' '.join(d[1])} }}{d[2]}")
_BEFORE = [
    "",
    "",
    "echo x > s.sh; ",
    "echo claude > claude; ",
    "alias e=claude; ",
    "h() { $1 -v; }; ",
    "cd /o; ",
    "echo $(",
    "sh -c '",
    "set -e; ",
]
# First words read before (PLAIN_FIRSTS's answers are held for them only then: read with no file held).
_WARM = ["", "echo hi; cp a b; ln -s a b; ./claude x; /usr/bin/claude; cat x; ls; true; claude; "]
_script = st.tuples(
    st.sampled_from(_WARM),
    st.sampled_from(_BEFORE),
    st.lists(_definition, min_size=1, max_size=5),
    st.sampled_from(_BEFORE),
).map(
    lambda s: (
        s[0]
        + s[1]
        + "".join(s[2])
        + s[3]
        + "claude -v; f; g"
        + (")" if s[1] == "echo $(" else "'" if s[1] == "sh -c '" else "")
    )
)
_FORMS = ["RUN {}\n", "RUN true \\\n && {} \\\n && echo x\n", "RUN <<EOF\n{}\nEOF\n", "RUN true; \\\n  {}\n"]


@settings(max_examples=250, deadline=None)
@given(_script, st.sampled_from(_FORMS))
@example("f() { echo hi; }; f() { echo hi; }; claude() { ln -s x claude; }; claude -v", "RUN {}\n")
@example("echo x > s.sh; f() { cat s.sh; chmod +x s.sh; ./s.sh; }; f", "RUN {}\n")
@example("f() { a b c d e f g h i; a  b; a\tb; }; f", "RUN {}\n")
@example("cp a b; ./claude; echo claude > claude; f() { cp x claude; ./claude; }; f", "RUN {}\n")
def test_a_definition_body_is_recorded_the_same(script, form):
    text = "FROM a\n" + form.format(script.replace("'", "") if "sh -c" in script and "<<" in form else script)
    assert read_switched(text, DEF_RECORD=True) == read_switched(text, DEF_RECORD=False)
