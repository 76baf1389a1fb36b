"""The global ARGs' defaults, expanded when asked for (model._GlobalDefaults), equal what expanding
every definition in order gives (the reference below): generated ARG sequences that redefine,
declare without a value, read themselves, read names defined later or never, and nest defaults."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell.model import MAX_EXPANSION, TOO_LONG, arg_definitions, expand, parse

NAMES = ["A", "B", "C", "D_1"]


def eager(df) -> dict[str, str]:
    """Every global ARG's default, each expanded in order with the ones before it."""
    out: dict[str, str] = {}
    for ins in df.global_args:
        for name, value, _ in arg_definitions(ins):
            if value is not None:
                out[name] = expand(value, out)
            else:
                out.setdefault(name, "")
    return out


_ref = st.sampled_from(NAMES).flatmap(
    lambda n: st.sampled_from(
        [f"${n}", f"${{{n}}}", f"${{{n}:-x}}", f"${{{n}-y}}", f"${{{n}:+z}}", f"${{{n}:-${{A}}}}"]
    )
)
_value = st.lists(st.one_of(_ref, st.sampled_from(["a", "b-", "1.0", ""])), max_size=4).map("".join)
_definition = st.tuples(st.sampled_from(NAMES), st.none() | _value).map(
    lambda nv: nv[0] if nv[1] is None else f'{nv[0]}="{nv[1]}"' if not nv[1] or "$" in nv[1] else f"{nv[0]}={nv[1]}"
)


@settings(max_examples=600, deadline=None, database=None)
@given(st.lists(st.lists(_definition, min_size=1, max_size=3), max_size=8), st.lists(_ref, min_size=1, max_size=3))
def test_lazy_defaults_are_the_eager_ones(args, image):
    text = "".join(f"ARG {' '.join(defs)}\n" for defs in args) + f"FROM img:{''.join(image)}\n"
    df = parse(text)
    want = eager(df)
    for name in [*NAMES, "E"]:
        assert df._global_defaults().get(name) == want.get(name), (text, name)
    assert df.expand_global(df.stages[0].image.text) == expand(df.stages[0].image.text, want)


def test_a_long_chain_is_read_without_recursion():
    """100,000 ARGs, each reading the one before: the last one's value with no recursion limit
    hit, each value cut at MAX_EXPANSION, and the values together within the budget (four times
    the file): past it a value is only the mark."""
    n = 100_000
    text = "ARG A0=x\n" + "".join(f"ARG A{i}=${{A{i - 1}}}y\n" for i in range(1, n)) + f"FROM ${{A{n - 1}}}\n"
    df = parse(text)
    assert df._global_defaults().get("A20") == "x" + "y" * 20
    assert df._global_defaults().get("A3000") == "x" + "y" * 3000
    assert df._global_defaults().get(f"A{n - 1}") == TOO_LONG  # past four times the file (8 MB) read


# A default that is another name alone (`ARG B=${A}`, `ARG B=$A`) is that name's value as it is,
# without expand_word, and so is a FROM's `${A}` (model._ALIAS_VALUES): over generated global ARGs
# (aliases of names defined before, after, twice, bare or never; quoted, escaped and modified
# near-aliases; values at the length where expand() cuts; either escape character), every
# definition reads the same value, and every text expands the same, with the shortcut as without.
_LONG = [c * (MAX_EXPANSION - k) for c, k in (("w", 0), ("x", 1), ("y", 2), ("z", 4))]
_ALIASES = ["$A", "${B}", "$C", "${D_1}", "$E", "${A}"]
_NEAR = ['"${A}"', "'$B'", "\\$C", "`$A", "${A:-x}", "${B:+y}", "${C-$A}", "$A$B", "${A}x", "$", "${A"]
_DEFAULT = st.sampled_from(_ALIASES + _NEAR + _LONG + ["a", '""'])


@settings(max_examples=400, deadline=None, database=None)
@given(
    st.booleans(),
    st.lists(st.tuples(st.sampled_from(NAMES), st.none() | _DEFAULT), min_size=1, max_size=8),
)
@example(False, [("A", _LONG[2]), ("B", "$A"), ("C", "${A}"), ("A", "$B")])  # at the length expand() cuts, and past it
@example(True, [("B", "$A"), ("A", "a"), ("C", "${B}"), ("A", None), ("D_1", "$A")])  # read before, bare, redefined
def test_an_alias_default_is_the_name_s_value_as_expand_word_gives_it(backtick, args):
    import aishell.model as model

    text = ("# escape=`\n" if backtick else "") + "".join(
        f"ARG {n}\n" if v is None else f"ARG {n}={v}\n" for n, v in args
    )
    text += "FROM ${A}${B}$C\n"

    def values(shortcut: bool) -> list:
        model._ALIAS_VALUES = shortcut
        try:
            df = parse(text)
            d = df._global_defaults()
            return [d.value_at(name, k) for k in range(len(args) + 1) for name in [*NAMES, "E"]] + [
                df.expand_global(t) for t in _ALIASES + _NEAR
            ]
        finally:
            model._ALIAS_VALUES = True

    assert values(True) == values(False), text


# Dockerfile.expand_global keeps each text's answer (model._EXPANSIONS_KEPT): asked again, in any
# order, among other texts that read the same names, a text expands as it did without the memo,
# long answers (kept out of the memo) included.
@settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(st.tuples(st.sampled_from(NAMES), st.none() | _DEFAULT), min_size=1, max_size=6),
    st.lists(st.sampled_from(_ALIASES + _NEAR + ["${A}${B}", "${C:-$A}x"]), min_size=1, max_size=12),
)
def test_an_expansion_asked_again_is_the_same(args, texts):
    import aishell.model as model

    text = "".join(f"ARG {n}\n" if v is None else f"ARG {n}={v}\n" for n, v in args) + "FROM x\n"

    def answers(kept: bool) -> list:
        model._EXPANSIONS_KEPT = kept
        try:
            df = parse(text)
            return [df.expand_global(t) for t in texts + texts[::-1]]
        finally:
            model._EXPANSIONS_KEPT = True

    assert answers(True) == answers(False), text
