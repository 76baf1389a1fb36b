"""f-strings whose placeholders hold string literals alone build their value from constants:
`f"aishell:{'base'}"`, `f"aishell:" f"{'base'}"`, `f"{'aishell'}:base"`, `f"aishell:{'bas':e<4}"`
name the legacy image as surely as `"aishell:" "base"` does (issue 18, red team 59 #8: the
first two were left without a word, while `f"aishell:base{x}"` got a warning). `aishell
migrate` must rewrite such a value or say it left it, never be silent; and it must not speak of
a value that names no image.

Generated: the image and near misses (`aishell:basex`, `my-aishell:base`, `aishell:bas`, …) cut
into pieces at every place, each piece spelled as a plain, raw or f-string literal, a placeholder
of a literal (with `!s`, `!r`, a format spec that keeps or pads it, a join of two literals, a
nested f-string), pieces joined as implicit concatenation or inside one f-string. The oracle is
CPython: the expression is constants only, so its value is eval's. Where the value names the
image the file is rewritten or a warning names the image; where it does not (and no piece alone
names it), the file is left unchanged and nothing is said.
"""

from __future__ import annotations

import random
import re

from aishell.images import LEGACY, LEGACY_RE, python_mentions
from aishell.migrate.python_refs import rewrite_python_bounded

TARGETS = [LEGACY, "docker.io/library/" + LEGACY, "aishell:basex", "my-aishell:base", "aishell:bas", "aishell:base-c"]


def _piece(p: str, rng: random.Random) -> tuple[str, bool]:
    """(code, whether it is a placeholder) spelling ``p``: a literal or an f-string field's code."""
    kind = rng.randrange(9)
    if kind == 0:
        return f"'{p}'", True
    if kind == 1:
        return f"'{p}'!s", True
    if kind == 2 and len(p) > 1:
        return f"'{p[:1]}' '{p[1:]}'", True
    if kind == 3:
        return f"'{p}':s", True
    if kind == 4:
        return f"'{p}':<{len(p)}", True
    if kind == 5 and len(p) > 1:
        return f"'{p[:-1]}':{p[-1]}<{len(p)}", True  # (a fill character spells the last one)
    if kind == 6:
        return f"f'{p}'", True  # (a nested f-string)
    if kind == 7 and len(p) > 2:
        return f"'{p}x':.{len(p)}", True  # (a precision cuts it)
    return p, False


def _expression(target: str, rng: random.Random) -> str:
    cuts = sorted(rng.sample(range(1, len(target)), rng.randrange(1, 4)))
    pieces = [target[a:b] for a, b in zip([0, *cuts], [*cuts, len(target)])]
    if rng.random() < 0.5:
        # Inside one f-string: text and placeholders.
        body = []
        for p in pieces:
            code, field = _piece(p, rng)
            body.append("{" + code + "}" if field else code)
        return 'f"' + "".join(body) + '"'
    parts = []
    for p in pieces:
        code, field = _piece(p, rng)
        if field:
            parts.append('f"{' + code + '}"')
        else:
            parts.append(rng.choice(["", "r", "f"]) + f'"{p}"')
    return " ".join(parts)


def _cases(n: int):
    rng = random.Random(8)
    for _ in range(n):
        target = rng.choice(TARGETS)
        yield _expression(target, rng)
    yield "f\"aishell:{'base'}\""
    yield 'f"aishell:" f"{\'base\'}"'
    yield "f\"{'aishell'}:base\""
    yield "f\"aishell:{'base'!r}\""


def test_constant_fstrings_are_never_passed_silently():
    n = 0
    for expr in _cases(600):
        source = f"X = {expr}\n"
        value = eval(compile(expr, "x", "eval"))  # (constants only: the oracle)
        names = LEGACY_RE.search(value) is not None
        if not python_mentions(source):
            assert not names, expr  # (the prefilter: nothing parsed, nothing said)
            continue
        new, warnings, _count = rewrite_python_bounded(source, "x.py")
        if names:
            n += 1
            assert new != source or any(LEGACY in w for w in warnings), expr
        elif LEGACY not in re.sub(r"[\s'\"]", "", expr):
            # (No literal, nor a join of literals, spells it: `{'a' 'ishell:base'}` is rewritten
            # as the string it is, before the f-string joins it to more.)
            assert new == source and not warnings, (expr, warnings)
    assert n > 150


# The image whole in a placeholder, where the f-string joins it to more (issue 18, last round's
# note: `f"{'a' 'ishell:base'}-x"` became `f"{'aishell:foundation'}-x"`, a value that was no
# image rewritten). Spellings of the whole image a placeholder holds, and what joins it to more.
WHOLE = [
    "'aishell:base'",
    '"aishell:base"',
    "('aishell:base')",
    "'aishell:' 'base'",
    "'a' 'ishell:base'",
    "f'aishell:base'",
    "f'aishell:' 'base'",
]
FIELD_TAILS = ["", "!s", "!r", "!a", ":>20", ":", ":s", "=", "!s:<12"]
AROUND = [("", ""), ("", "-x"), ("docker.io/library/", ""), ("", "{'x'}"), ("{'my-'}", ""), ("", ":{'t'}")]
OUTSIDE = [("", ""), ("", ' "-x"'), ('"" ', ""), ("", ' "')]  # (an implicit join: a text, an empty one)


def _whole_cases(n: int):
    rng = random.Random(18)
    for _ in range(n):
        head, tail = rng.choice(AROUND)
        before, after = rng.choice(OUTSIDE)
        if after == ' "':
            after = ' ""'
        field = "{" + rng.choice(WHOLE) + rng.choice(FIELD_TAILS) + "}"
        quote = '"""' if '"' in field else '"'  # (Python 3.11: no `"` inside `f"…"`)
        yield f"{before}f{quote}{head}{field}{tail}{quote}{after}"


def test_a_rewrite_changes_a_value_only_where_it_is_the_image():
    """Constants only, so CPython's eval is the oracle: after migrate every statement's value is
    what it was, or the new image where it was exactly the old one; a literal left that names
    the image (its value joined to more) is said, never passed silently."""
    from aishell.images import FOUNDATION

    seen = {True: 0, False: 0}
    whole = set(_whole_cases(400))
    for expr in [*whole, *_cases(300)]:
        source = f"X = {expr}\n"
        old = eval(compile(expr, "x", "eval"))
        if not python_mentions(source):
            continue
        new, warnings, _count = rewrite_python_bounded(source, "x.py")
        got = eval(compile(new[len("X = ") :], "x", "eval"))
        if old == LEGACY:
            assert got in (LEGACY, FOUNDATION), (expr, new)
        else:
            assert got == old, (expr, new)  # (a value that is no image is never rewritten)
        if expr in whole and got == old:
            assert any(LEGACY in w for w in warnings), (expr, warnings)  # (left: said)
        seen[old == LEGACY] += 1
    assert seen[True] > 30 and seen[False] > 200, seen
