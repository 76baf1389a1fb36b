"""A FROM image no reference can name is refused as BuildKit refuses it (issue 18).

dockerfile2llb parses each stage's base that names no stage with distribution/reference's
ParseNormalizedNamed before anything is built: `FROM Ubuntu`, `FROM node:`, `FROM a..b` fail
with `failed to parse stage name "…": invalid reference format`, which aishell accepted
("All checks passed!"). References are generated from the grammar of regexp.go (path components
of lower-case letters and digits joined by `.`, `_`, `__` or dashes; a registry with a dot, a
port or `localhost`; a tag of word characters), so every valid one must pass: a false refusal
would block a build. Each invalid one is a valid one with one defect the grammar has no room for.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.model import DockerfileSyntaxError, parse

ALNUM = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)
SEPARATOR = st.sampled_from([".", "_", "__", "-", "--", "---"])


@st.composite
def components(draw) -> str:
    parts = [draw(ALNUM)]
    for _ in range(draw(st.integers(0, 2))):
        parts += [draw(SEPARATOR), draw(ALNUM)]
    return "".join(parts)


HOST_PART = st.from_regex(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,4}[a-zA-Z0-9])?", fullmatch=True)


@st.composite
def domains(draw) -> str:
    kind = draw(st.sampled_from(["dotted", "port", "localhost", "upper"]))
    if kind == "localhost":
        host = "localhost"
    elif kind == "upper":  # (one component, no dot or port: a registry because of its upper case)
        return draw(HOST_PART) + "R"
    else:
        host = ".".join(draw(st.lists(HOST_PART, min_size=2 if kind == "dotted" else 1, max_size=3)))
    return host + (f":{draw(st.integers(1, 65535))}" if kind == "port" or draw(st.booleans()) else "")


TAG = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)


@st.composite
def references(draw) -> tuple[str, str | None, list[str], str | None]:
    """(domain or None, path components, tag or None) of a valid reference."""
    domain = draw(st.none() | domains())
    path = draw(st.lists(components(), min_size=1, max_size=3))
    tag = draw(st.none() | TAG)
    return domain, path, tag


def _text(domain, path, tag) -> str:
    return (f"{domain}/" if domain else "") + "/".join(path) + (f":{tag}" if tag is not None else "")


def _refused(image: str, before: str = "") -> bool:
    try:
        parse(f"{before}FROM {image}\nRUN true\n")
    except DockerfileSyntaxError as e:
        assert "failed to parse stage name" in str(e), e
        return True
    return False


@settings(max_examples=400, deadline=None)
@given(references())
def test_every_reference_the_grammar_makes_is_accepted(ref):
    image = _text(*ref)
    assert not _refused(image), image


# One defect each, in the last path component (a first component before `/` with an upper-case
# letter is a registry), or in the tag.
DEFECTS = [
    lambda c: c + "X",  # upper case in a repository
    lambda c: "-" + c,  # a separator that starts or ends a component
    lambda c: c + ".",
    lambda c: c + "_",
    lambda c: c + "..x",  # two separators in a row
    lambda c: c + "___x",
    lambda c: c + "._x",
    lambda c: c + "é",  # not ASCII
    lambda c: c + "/",  # an empty component
    lambda c: c + "+x",  # a character the grammar has not
]
TAG_DEFECTS = ["", "-x", ".x", "x+y", "é", "x" * 129, "a:b"]


@settings(max_examples=300, deadline=None)
@given(references(), st.sampled_from(range(len(DEFECTS))))
def test_a_reference_with_one_defect_is_refused(ref, k):
    domain, path, tag = ref
    image = _text(domain, [*path[:-1], DEFECTS[k](path[-1])], tag)
    assert _refused(image), image


@settings(max_examples=200, deadline=None)
@given(references(), st.sampled_from(TAG_DEFECTS))
def test_a_bad_tag_is_refused(ref, bad):
    domain, path, _ = ref
    assert _refused(_text(domain, path, bad)), _text(domain, path, bad)


def test_a_name_over_255_characters_is_refused():
    # The path alone, without the registry: Engines 26.1 and 28.5 pull `FROM` + 247 letters
    # (`library/` and the name, 255); 20.10 counted `docker.io/` in (r68c).
    assert not _refused("a" * (255 - len("library/")))
    assert _refused("a" * (256 - len("library/")))
    assert not _refused("r.io/" + "a" * 255)


# A base names a stage or `scratch` only as written (Engines 20.10, 26.1 and 28.5 with BuildKit,
# r68c): in another case it is an image, refused as upper-case.
@pytest.mark.parametrize(
    "before,image",
    [("FROM alpine AS Builder\n", "BUILDER"), ('FROM "alpine" AS q\n', "Q"), ("", "SCRATCH"), ("", "Scratch")],
)
def test_a_stage_name_or_scratch_in_another_case_is_an_image(before, image):
    assert _refused(image, before)


@pytest.mark.parametrize(
    "before,image",
    [
        ("FROM alpine AS Builder\n", "builder"),  # a stage (names are lower-cased, the base is not)
        ('FROM "alpine" AS q\n', "q"),  # a stage whose image is quoted
        ("", "later\nFROM alpine AS later"),  # (an image: a FROM names only earlier stages)
        ("", "$IMAGE"),  # expanded: not read for sure
        ("ARG I=x\n", "${I}Y"),
        ("", '"Quoted"'),
        ("", "img@sha256:" + "0" * 64),  # digests are not judged
        ("# syntax=docker/dockerfile:1\n", "UPPER"),  # another frontend reads FROM its own way
    ],
)
def test_what_is_not_read_for_sure_is_left_alone(before, image):
    assert not _refused(image, before)


@pytest.mark.parametrize("image", ["Ubuntu", "node:", "a..b", "REPLACE-ME", "ghcr.io/Owner/x", "0123456789abcdef" * 4])
def test_the_issues_shapes_are_refused(image):
    assert _refused(image), image  # (64 hex digits: an identifier, no repository name)


@settings(max_examples=300, deadline=None)
@given(references(), st.sampled_from([None, *range(len(DEFECTS))]), st.sampled_from([None, *TAG_DEFECTS]))
def test_plain_references_fast_path_gives_the_same_verdicts(ref, k, bad_tag):
    """model.PLAIN_REFERENCES judges Docker Hub names in one match: on and off, the same verdict."""
    import aishell.model as model

    domain, path, tag = ref
    if k is not None:
        path = [*path[:-1], DEFECTS[k](path[-1])]
    image = _text(domain, path, tag if bad_tag is None else bad_tag)
    verdicts = []
    try:
        for on in (True, False):
            model.PLAIN_REFERENCES = on
            verdicts.append(_refused(image))
    finally:
        model.PLAIN_REFERENCES = True
    assert verdicts[0] == verdicts[1], image


# -- the images a COPY --from= or a mount's from= names: the same parse, in every stage ----------


def _lint_refused(text: str) -> bool:
    from aishell.errors import InputError
    from aishell.lint import Options, lint_text

    try:
        lint_text(text, "Dockerfile", Options(use_config=False))
    except InputError as e:
        assert "failed to parse stage name" in str(e), e
        return True
    return False


_WHERE = [
    "FROM alpine\nCOPY --from={} /x /y\n",
    "FROM alpine\nRUN --mount=from={},target=/m true\n",
    "FROM alpine AS skipped\nCOPY --from={} /x /y\nFROM alpine\nRUN true\n",  # (a stage not built)
    "FROM alpine AS skipped\nRUN --mount=type=cache,target=/c,from={} true\nFROM alpine\n",
]


@settings(max_examples=300, deadline=None)
@given(references(), st.sampled_from([None, *range(len(DEFECTS))]), st.sampled_from(range(len(_WHERE))))
def test_an_image_copied_or_mounted_from_is_judged_as_a_from(ref, k, where):
    """BuildKit adds a state of the image a COPY --from= or a mount's from= names (no stage of
    the file) and parses its name as a FROM's, in every stage, built or not (checked on Engine
    28: `COPY --from=UPPER`, `from=a..b`, `--mount=from=Secret` fail; they were taken)."""
    domain, path, tag = ref
    image = _text(domain, path if k is None else [*path[:-1], DEFECTS[k](path[-1])], tag)
    if "," in image or image.lstrip("+-").isdigit():
        return  # (a COPY --from= of digits names a stage by its index)
    assert _lint_refused(_WHERE[where].format(image)) == (k is not None), image


@pytest.mark.parametrize("where", range(len(_WHERE)))
@pytest.mark.parametrize(
    "before,value",
    [
        ("FROM alpine AS Builder\n", "BUILDER"),  # a stage, looked up lower-cased
        ("", "SCRATCH"),
        ("", "img@sha256:" + "0" * 64),
        ("# syntax=docker/dockerfile:1\n", "UPPER"),  # another frontend
    ],
)
def test_what_a_copy_or_mount_names_not_for_sure_is_left_alone(before, value, where):
    assert not _lint_refused(before + _WHERE[where].format(value))


@pytest.mark.parametrize("bom", ["", "\ufeff"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("syntax", ["# syntax=myorg/front", "#syntax = myorg/front", "# SYNTAX=myorg/front"])
def test_a_frontend_named_after_a_shebang_reads_the_file_its_own_way(bom, newline, syntax):
    """BuildKit's DetectSyntax drops a `#!` first line, then finds `# syntax=`: the frontend named
    reads the file, so its FROM names and flags are not BuildKit's own to judge (a review's:
    refused). Without that line, the shebang is a comment and BuildKit's frontend refuses."""
    from aishell.model import names_frontend

    text = f"{bom}#!/usr/bin/env buildctl{newline}{syntax}{newline}FROM Foo{newline}COPY --from=Bar a b{newline}"
    assert names_frontend(text, parse(text).directives)
    assert not _lint_refused(text)
    assert _lint_refused(f"{bom}#!/usr/bin/env buildctl{newline}FROM Foo{newline}")
