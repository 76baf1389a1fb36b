"""Dockerfile words (ARG, ENV, LABEL, FROM, COPY values) read as BuildKit's shell lexer reads them,
with the file's escape character (`# escape=``: the backtick escapes and a backslash is a
character), judged by a port of moby/buildkit frontend/dockerfile/shell/lex.go (processStopOn,
processSingleQuote, processDoubleQuote, processDollar for `$name`, processName). In double quotes
the escape removes itself only before `"`, `$` and itself; before anything else it stays.
"""

from __future__ import annotations

from itertools import chain, product

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.model import expand_word, key_values, parse, unquote

_SPECIAL = "@*#?-$!0"


class Unclosed(Exception):
    """The lexer fails: a quote left open (BuildKit refuses the word)."""


def buildkit_word(word: str, env: dict[str, str], escape: str) -> str:
    """lex.go's ProcessWord of ``word`` (no `${`), unset variables empty (SkipUnsetEnv off)."""
    pos, n = 0, len(word)

    def name() -> str:  # processName
        nonlocal pos
        start = pos
        if pos < n and word[pos].isdecimal():
            while pos < n and word[pos].isdecimal():
                pos += 1
            return word[start:pos]
        if pos < n and word[pos] in _SPECIAL:
            pos += 1
            return word[start:pos]
        while pos < n and (word[pos].isalpha() or word[pos].isdecimal() or word[pos] == "_"):
            pos += 1
        return word[start:pos]

    def dollar() -> str:  # processDollar, `$name` only
        nonlocal pos
        pos += 1
        assert pos >= n or word[pos] != "{", "no `${` in these words"
        got = name()
        return env.get(got, "") if got else "$"

    out: list[str] = []
    while pos < n:
        ch = word[pos]
        if ch == "$":
            out.append(dollar())
        elif ch == "'":  # processSingleQuote
            end = word.find("'", pos + 1)
            if end < 0:
                raise Unclosed
            out.append(word[pos + 1 : end])
            pos = end + 1
        elif ch == '"':  # processDoubleQuote
            pos += 1
            while True:
                if pos >= n:
                    raise Unclosed
                ch = word[pos]
                if ch == '"':
                    pos += 1
                    break
                if ch == "$":
                    out.append(dollar())
                    continue
                pos += 1
                if ch == escape:
                    if pos >= n:
                        continue  # ignored at the end (and then the quote is open)
                    if word[pos] in ('"', "$", escape):
                        ch = word[pos]
                        pos += 1
                out.append(ch)
        else:
            pos += 1
            if ch == escape:
                if pos >= n:
                    break  # escape at the end of the word: dropped
                ch = word[pos]
                pos += 1
            out.append(ch)
    return "".join(out)


ENV = {"a": "x$a'y\\z`", "ab": "AB", "b": ""}
ALPHABET = ["a", "b", "1", "'", '"', "$", "\\", "`"]
WORDS = st.text(alphabet=ALPHABET, max_size=14)
ESCAPES = st.sampled_from(["\\", "`"])


def _reference(word: str, env: dict[str, str], escape: str) -> str:
    try:
        return buildkit_word(word, env, escape)
    except Unclosed:
        assume(False)
        raise


def test_every_short_word_is_read_as_buildkits_lexer_reads_it():
    """Every word of up to five characters of the alphabet, with either escape: expand_word as
    the lexer, and unquote as the lexer where the word has no `$` (unquote expands nothing)."""
    wrong = []
    for escape in ("\\", "`"):
        for word in map("".join, chain.from_iterable(product(ALPHABET, repeat=k) for k in range(6))):
            try:
                expected = buildkit_word(word, ENV, escape)
            except Unclosed:
                continue
            if expand_word(word, ENV, escape) != expected:
                wrong.append(("expand_word", word, escape))
            if "$" not in word and unquote(word, escape=escape) != expected:
                wrong.append(("unquote", word, escape))
    assert wrong == []


@settings(max_examples=300, deadline=None)
@given(WORDS, ESCAPES)
def test_expand_word_reads_a_longer_word_as_buildkits_lexer(word, escape):
    assert expand_word(word, ENV, escape) == _reference(word, ENV, escape), (word, escape)
    word = word.replace("$", "")  # unquote expands nothing
    assert unquote(word, escape=escape) == _reference(word, {}, escape), (word, escape)


def _one_line(word: str, escape: str) -> bool:
    """The word ends no line in a continuation (an odd run of escapes at its end)."""
    return (len(word) - len(word.rstrip(escape))) % 2 == 0


@settings(max_examples=200, deadline=None)
@given(WORDS, ESCAPES)
def test_env_and_label_values_are_read_with_the_files_escape(word, escape):
    word = word.replace("$", "")
    expected = _reference(word, {}, escape)
    assume(_one_line(word, escape))
    for keyword in ("ENV", "LABEL"):
        df = parse(f"# escape={escape}\nFROM scratch\n{keyword} k={word}\n")
        assert key_values(df.instructions[1]) == [("k", expected)], (keyword, word, escape)


# How each character of the legacy image is written: as it is, escaped, escaped in double quotes
# (which keeps the escape before a letter), single-quoted.
_SPELLINGS = st.lists(st.sampled_from(["", "", "esc", "dq", "sq"]), min_size=12, max_size=12)


@settings(max_examples=100, deadline=None)
@given(_SPELLINGS, ESCAPES, ESCAPES, st.booleans())
def test_a_from_is_reported_exactly_where_buildkit_reads_the_legacy_image(parts, escape, written_for, through_arg):
    """Each character of the word may be escaped (with the escape of ``written_for``, which
    may not be the file's), double- or single-quoted: AIS001 reports the FROM exactly where the
    lexer, with the file's escape, reads `aishell:base`."""
    word = "".join(
        {"": c, "esc": written_for + c, "dq": f'"{written_for}{c}"', "sq": f"'{c}'"}[how]
        for c, how in zip("aishell:base", parts)
    )
    image = _reference(word, {}, escape)
    if through_arg:
        text = f"# escape={escape}\nARG B={word}\nFROM $B\nRUN true\n"
    else:
        text = f"# escape={escape}\nFROM {word}\nRUN true\n"
    findings = lint_text(text, "Dockerfile", Options(select=["AIS001"], use_config=False)).findings
    assert bool([f for f in findings if f.severity == "error"]) == (image == "aishell:base"), (text, image, findings)


@pytest.mark.parametrize(
    ("escape", "line", "words"),
    [
        ("`", "COPY a\\ b /x", ["a\\", "b", "/x"]),
        ("`", "COPY a` b /x", ["a b", "/x"]),
        ("\\", "COPY a\\ b /x", ["a b", "/x"]),
        ("\\", "COPY a` b /x", ["a`", "b", "/x"]),
        ("`", 'COPY "a\\b" "c`d" /x', ["a\\b", "c`d", "/x"]),
        ("`", 'COPY "a``b" "c`"d" /x', ["a`b", 'c"d', "/x"]),
    ],
)
def test_copy_words_are_split_and_unquoted_with_the_files_escape(escape, line, words):
    df = parse(f"# escape={escape}\nFROM scratch\n{line}\n")
    assert [w.unquoted for w in df.instructions[1].words()] == words


# Built with Docker Engine 28.5.2 (BuildKit, buildx 0.29.1): `FROM scratch`, these ARGs, then
# `LABEL` and `ENV` of each, read back with `docker image inspect` (Config.Labels, Config.Env).
ENGINE_ANSWERS = [
    (
        "\\",
        ['X="a\\b\\$c\\"d\\\\e\\`f"', 'Y=a\\b\\$c\\"d\\\\e\\`f', "Z='$X'\"$\"X\\$X$X\\1"],
        {
            "x=$X": 'a\\b$c"d\\e\\`f',
            "y=$Y": 'ab$c"d\\e`f',
            "z=$Z": '$X$X$Xa\\b$c"d\\e\\`f1',
            'dq="p\\q\\$r\\"s\\\\t\\`u"': 'p\\q$r"s\\t\\`u',
            "sq='p\\q'": "p\\q",
        },
    ),
    (
        "`",
        ['X="a\\b`$c`"d``e`\\f`g"', 'Y=a\\b`$c`"d``e`\\f`g', "B=aishell`:base"],
        {
            "x=$X": 'a\\b$c"d`e`\\f`g',
            "y=$Y": 'a\\b$c"d`e\\fg',
            "b=$B": "aishell:base",
            'dq="p\\q`$r`"s``t`\\u`v"': 'p\\q$r"s`t`\\u`v',
        },
    ),
]


@pytest.mark.parametrize(("escape", "args", "labels"), ENGINE_ANSWERS)
def test_words_are_read_as_a_buildkit_engine_read_them(escape, args, labels):
    env: dict[str, str] = {}
    for arg in args:
        name, _, value = arg.partition("=")
        env[name] = expand_word(value, env, escape)
    for label, expected in labels.items():
        assert expand_word(label.partition("=")[2], env, escape) == expected, label
        assert buildkit_word(label.partition("=")[2], env, escape) == expected, label  # the port too


# expand_word's shortcut (model._DOLLARS_AS_WRITTEN: no quote, no escape, every `$` a name's or a
# `${`'s) must give what the general reading gives, `${…}` operators and nesting included.
_BRACED = st.text(alphabet=["a", "b", "_", "1", "$", "{", "}", ":", "-", "+", "?", "/", "'", "\\", "`"], max_size=16)
_BRACED_ENV = {"a": "A", "b": "", "a_": "x${a}", "ab": "$a"}


@settings(max_examples=1500, deadline=None)
@given(_BRACED, ESCAPES)
def test_a_word_written_plainly_expands_as_the_general_reading_reads_it(word, escape):
    from aishell.model import _LITERAL_DOLLAR, _NAME_END, _mark_literal_dollars, expand

    general = expand(_mark_literal_dollars(word, escape), _BRACED_ENV)
    assert expand_word(word, _BRACED_ENV, escape) == general.replace(_NAME_END, "").replace(_LITERAL_DOLLAR, "$")
