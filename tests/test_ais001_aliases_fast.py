"""AIS001's _reaching and _aliases_the_old_image take the name a global ARG's default is an ALIAS
of (`$A`, `${A}`) from the expansion's match of it (Dockerfile.global_aliases), not a match of
their own (ALIASES_SHARED). Over generated global ARGs (aliases, names defined once, twice or
bare, read before or after they are defined, quoted, escaped, with operators and suffixes, the
old image spelled or not, a `# escape=`` file) and FROMs of them, the rule's findings and fixes,
and the whole lint's, are the same with the switch on and off; so are the aliases themselves
against ALIAS.fullmatch of each default."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

import aishell.lint_rules.ais001_legacy_base_image as rule
from aishell.model import ALIAS, DockerfileSyntaxError, parse
from aishell.rule import RuleContext
from tests.runs import lint_findings, switched

_NAMES = ["A", "B", "C", "D"]
# Defaults that are an ALIAS and near misses that are none (quoted, escaped, with more after or
# before the name, an operator, two names), the old image, another image, a bare declaration.
_VALUES = ["$A", "${B}", "$C", "${D}", "${A}", "$B", '"$A"', "'${B}'", "\\$C", "${A}-x", "x$B", "$A$B"]
_VALUES += ["${C:-aishell:base}", "${A:+x}", "$", "${}", "$1", "aishell:base", '"aishell:base"', "debian", None]
_FROMS = ["$A", "${B}", "$C", "${D}", "${A}-x", "${B:-debian}", "aishell:base", "s0"]


def _text(args, froms, backtick: bool) -> str:
    head = "# escape=`\n" if backtick else ""
    body = "".join(f"ARG {n}\n" if v is None else f"ARG {n}={v}\n" for n, v in args)
    stages = "".join(f"FROM {f} AS s{i}\nRUN true\n" for i, f in enumerate(froms))
    text = head + body + stages
    return text.replace("\\$", "`$") if backtick else text


def _rule(text: str) -> list[tuple] | None:
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return None
    found = [(v.start, v.end, v.severity, v.message, v.fix) for v in rule.check(RuleContext(df, "Dockerfile", None))]
    # (and what the expansion matched, against the pattern: a wrong alias fails here too)
    aliased = df.global_aliases()
    definitions = df.global_definitions()[0]
    for k, name in aliased.items():
        m = ALIAS.fullmatch(definitions[k][1])
        assert name == (None if m is None else m[1] or m[2]), (text, k, name)
    return found


def _both(text: str) -> None:
    out = []
    for on in (True, False):
        with switched([(rule, "ALIASES_SHARED")], on):
            found = _rule(text)
            whole = lint_findings(text) if found is not None else None
        out.append((found, whole))
    assert out[0] == out[1], text


@settings(max_examples=150, deadline=None, database=None)
@given(
    st.lists(st.tuples(st.sampled_from(_NAMES), st.sampled_from(_VALUES)), min_size=1, max_size=7),
    st.lists(st.sampled_from(_FROMS), min_size=1, max_size=3),
    st.booleans(),
)
@example([("A", "aishell:base"), ("B", "$A"), ("C", "${B}"), ("D", "$C")], ["$D", "${B}"], False)  # a chain
@example([("A", "aishell:base"), ("B", "$A"), ("B", "${A}-x")], ["$B", "$A"], False)  # B's last default counts
@example([("C", "aishell:base"), ("A", "$B"), ("B", "$A")], ["$C", "$A"], False)  # names that read each other
@example([("A", "aishell:base"), ("B", '"$A"'), ("C", "$B")], ["$C"], False)  # a quoted one: no alias
@example([("A", "aishell:base"), ("B", "\\$A"), ("C", "$B")], ["$C", "$B"], True)  # an escaped one
@example([("A", "aishell:base"), ("B", "${A}-x"), ("C", "$B")], ["$C", "${A}-x"], False)  # more after it
def test_shared_aliases_change_no_finding(args, froms, backtick):
    _both(_text(args, froms, backtick))


def test_a_long_chain_read_from_its_middle_and_end():
    # FROMs along a chain of aliases (benchmarks/scale.py arg_chain_froms), one a default reads
    # with a suffix, one named twice: the expansion matched some before the rule asks.
    n = 60
    args = [("A0", "aishell:base")] + [(f"A{i + 1}", f"${{A{i}}}") for i in range(n)]
    args[30] = ("A30", "${A29}-x")
    args.append(("A7", "$A3"))
    text = "".join(f"ARG {a}={v}\n" for a, v in args)
    text += "".join(f"FROM ${{A{i}}}\n" for i in (n, 45, 29, 31, 7, 2))
    _both(text)
