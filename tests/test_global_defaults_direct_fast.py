"""The global ARGs' defaults read with model._GlobalDefaults' short ways equal the ones read
without them (issue 18, "Linear by design").

DEFINITIONS_DIRECT: a one-word ARG's definition is added where __init__ meets it (_read_direct),
no tuple of one definition nor loop over it. ALIAS_STEP: _resolve steps along a chain of ALIAS
values (`ARG B=${A}`) with _before inline (_walk_aliases), and _alias_value's cut inline. Over
generated global ARGs (one word, several definitions on a line, quoted, continued, bare, empty,
aliases of names defined before, after, twice or never, near-aliases, values at the length where
expand() cuts; either escape character), each switch on and off gives the same definitions, the
same value of every name before every definition, the same aliases noted, the same expansions,
and the same lint findings.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

import aishell.model as model
from aishell.model import MAX_EXPANSION, parse

from tests.runs import read_switched
from tests.test_parse_fast import _ARG_PIECES, _fields

NAMES = ["A", "B", "C", "D_1"]
_LONG = [c * (MAX_EXPANSION - k) for c, k in (("w", 0), ("x", 1), ("y", 2))]
_ALIASES = ["$A", "${B}", "$C", "${D_1}", "$E", "${A}"]
_NEAR = ['"${A}"', "'$B'", "\\$C", "${A:-x}", "${B:+y}", "${C-$A}", "$A$B", "${A}x", "$", "aishell:base"]
_DEFAULT = st.sampled_from(_ALIASES + _NEAR + _LONG + ["a", '""', ""])
_FORMS = ["{n}={v}", "{n}", '{n}="{v} x"', "{n}={v} {m}=b", "{n}=\\\n{v}", "  {n}={v}  "]


def _line(form: str, n: str, v: str | None, m: str) -> str:
    if v is None:
        return f"ARG {n}\n"
    return "ARG " + form.format(n=n, v=v, m=m) + "\n"


_ARG = st.tuples(st.sampled_from(_FORMS), st.sampled_from(NAMES), st.none() | _DEFAULT, st.sampled_from(NAMES))


def _state(text: str, switch: str, on: bool) -> list:
    saved = getattr(model, switch)
    setattr(model, switch, on)
    try:
        try:
            df = parse(text)
        except model.DockerfileSyntaxError as e:
            return [str(e)]
        d = df._global_defaults()
        n = len(d.definitions)
        values = [d.value_at(name, k) for k in range(n + 1) for name in [*NAMES, "E"]]
        return [
            d.definitions,
            d.by_name,
            d._valued,
            values,
            d.aliased,
            d._values,
            [df.expand_global(t) for t in _ALIASES + _NEAR],
        ]
    finally:
        setattr(model, switch, saved)


@settings(max_examples=150, deadline=None, database=None)
@example(False, [("{n}={v}", "A", _LONG[2], "B"), ("{n}={v}", "B", "$A", "A")], "ALIAS_STEP")  # (at the cut)
@given(st.booleans(), st.lists(_ARG, min_size=1, max_size=8), st.sampled_from(["DEFINITIONS_DIRECT", "ALIAS_STEP"]))
@example(
    False, [("{n}={v}", "A", _LONG[1], "B"), ("{n}={v}", "B", "$A", "A"), ("{n}={v}", "C", "${B}", "A")], "ALIAS_STEP"
)
@example(
    False,
    [("{n}", "A", None, "B"), ("{n}={v} {m}=b", "B", "$A", "A"), ("{n}={v}", "A", "$B", "A")],
    "DEFINITIONS_DIRECT",
)
def test_the_defaults_are_those_without_the_short_way(backtick, args, switch):
    text = ("# escape=`\n" if backtick else "") + "".join(_line(*a) for a in args)
    if backtick:
        text = text.replace("\\\n", "`\n")
    text += "FROM ${A}${B}$C\nFROM ${D_1}\nRUN echo\n"
    assert _state(text, switch, True) == _state(text, switch, False), text


def test_a_chain_of_aliases_is_read_as_without_the_short_ways():
    """benchmarks/scale.py's arg_chain_froms, small: the findings and values alike."""
    n = 300
    text = "ARG A0=aishell:base\n" + "".join(f"ARG A{i + 1}=${{A{i}}}\n" for i in range(n))
    text += "".join(f"FROM ${{A{n - j}}}\n" for j in range(n // 10))
    for switch in ("DEFINITIONS_DIRECT", "ALIAS_STEP"):
        assert _state(text, switch, True) == _state(text, switch, False)
        fast = read_switched(text, [(model, switch)], True, lambda ins: None)
        assert fast == read_switched(text, [(model, switch)], False, lambda ins: None)
        assert len(fast[1]) == 1


@settings(max_examples=150, deadline=None, database=None)
@given(
    st.sampled_from(["ARG", "arg", "ENV"]),
    st.lists(st.sampled_from(_ARG_PIECES), min_size=1, max_size=6).map("".join),
    st.booleans(),
)
@example("ARG", "=x", False)
def test_a_one_word_arg_is_checked_as_the_general_check_does(keyword, args, backtick):
    """ARG_FIRST: an ARG of one plain word checked first (a blank name refused), as _check_args'
    general steps check it; other arguments (blanks, quotes, escapes) and other keywords alike."""
    text = ("# escape=`\n" if backtick else "") + f"{keyword} {args}\nFROM x\n"

    def outcome(on: bool):
        saved = model.ARG_FIRST
        model.ARG_FIRST = on
        try:
            return [_fields(ins) for ins in model.parse(text).instructions]
        except model.DockerfileSyntaxError as e:
            return (e.message, e.line)
        finally:
            model.ARG_FIRST = saved

    assert outcome(True) == outcome(False), text
