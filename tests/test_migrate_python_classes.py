"""The Python side of `aishell migrate`, attacked as a stranger would (issue 18, round 15).

Each test generates a class of inputs that a defect was found in: strings that start like a
Dockerfile but are none BuildKit reads, line continuations ended by CRLF or a lone CR (inside a
literal and between statements), f-strings whose escapes spell the image, form feeds inside
triple-quoted strings. The oracle is CPython's: the result compiles, its tree is the original's
but for the intended string values, and every byte outside the literals is kept.
"""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.images import FOUNDATION, LEGACY, LEGACY_RE
from aishell.migration import embedded_dockerfile
from aishell.migrate.python_refs import DOCKERFILE_HINT, rewrite_python_bounded

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _values(source: str) -> list:
    """The tree's string constants, in order, and its dump without them."""
    tree = ast.parse(source.lstrip("\ufeff"))
    values = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            values.append(node.value)
            node.value, node.kind = None, None
    return values, ast.dump(tree)


def _same_but_images(old: str, new: str) -> list[tuple[str, str]]:
    """The (old, new) string values that differ; asserts the rest of the tree is the same and
    that each changed value is the old one with some image references renamed (an embedded
    Dockerfile's FROM, not its stage ARG)."""
    compile(new.lstrip("\ufeff"), "x.py", "exec")
    (a, dump_a), (b, dump_b) = _values(old), _values(new)
    assert dump_a == dump_b and len(a) == len(b), (old, new)
    changed = [(x, y) for x, y in zip(a, b) if x != y]
    for x, y in changed:
        assert FOUNDATION not in x and LEGACY_RE.sub(LEGACY, x) == y.replace(FOUNDATION, LEGACY), (x, y)
    return changed


# -- a string that starts like a Dockerfile but is none BuildKit reads --------------------------
# It is a message (`Images built\nFROM aishell:base must be rebuilt`), or a Dockerfile broken on
# purpose: BuildKit's refusal of the text said "Python that libcst cannot read" and refused the
# whole file, its other literals not migrated.

DOCKERFILE_LINES = [
    "FROM aishell:base",
    "FROM aishell:base AS b",
    "ARG B=aishell:base",
    "RUN echo hi",
    "hello",
    "Images built",
    "RUN <<EOF",
    'CMD ["a"',
    "\x01",
    "COPY --from=aishell:base / /",
    "",
]


@SETTINGS
@given(
    lines=st.lists(st.sampled_from(DOCKERFILE_LINES), min_size=1, max_size=6),
    lead=st.sampled_from(["", "\n", "FROM aishell:base\n"]),
    quote=st.sampled_from(['r"""', "r'''", '"""', "'''"]),
)
def test_a_string_like_a_dockerfile_never_refuses_the_file(lines, lead, quote):
    body = lead + "\n".join(lines) + "\n"
    source = f"import os\nDF = {quote}{body}{quote[-3:]}\nIMAGE = 'aishell:base'\n"
    ast.parse(source)
    new, warnings, count = rewrite_python_bounded(source, "x.py", embedded_dockerfile)
    assert new.endswith("\nIMAGE = 'aishell:foundation'\n"), new  # the file is migrated
    changed = _same_but_images(source, new)
    if DOCKERFILE_HINT.search(body) and LEGACY_RE.search(body) and len(changed) == 1:
        assert warnings, source  # the Dockerfile-like string was left: never silently
