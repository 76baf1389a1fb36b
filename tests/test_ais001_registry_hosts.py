"""AIS001 reads an image name's host as Docker normalises it (issue 18: an AIS001 error means
the build would really use the old image).

Red team (last session): `FROM registry-1.docker.io/library/aishell:base` (and
`registry-1.docker.io/aishell:base`) was reported as the local legacy image. Docker normalises
only `docker.io/` and `index.docker.io/` (then adds `library/` to a one-part path) to its Hub
names (distribution/reference normalize.go, splitDockerDomain): a first part holding `.` or `:`,
or `localhost`, or an upper-case letter, is another registry's host, whose image is not the
local `aishell:base`. The oracle below is that function. The class: hosts × `library/` or
another namespace or none × tags × a digest or none × every place AIS001 reads an image (FROM,
a global ARG default a FROM expands, `${B:-…}`'s word, COPY --from=, a mount's from=).
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.images import LEGACY_RE
from aishell.lint import Options, lint_text

HOSTS = [
    "",
    "docker.io/",
    "index.docker.io/",
    "registry-1.docker.io/",
    "Docker.io/",
    "docker.io:443/",
    "index.docker.io:443/",
    "localhost/",
    "localhost:5000/",
    "ghcr.io/",
    "hub.docker.com/",
    "Library/",
    "registry-1/",
]
NAMESPACES = ["", "library/", "other/", "library/library/", "aishell/"]
TAGS = [":base", ":base-slim", ":latest", ":Base", ""]
DIGESTS = ["", "@sha256:" + "ab" * 32]
PLACES = [
    "FROM {}\nRUN true\n",
    "ARG B={}\nFROM $B\n",
    "ARG B\nFROM ${{B:-{}}}\n",
    "FROM alpine\nCOPY --from={} /a /b\n",
    "FROM alpine\nRUN --mount=type=bind,from={},target=/b ls /b\n",
]


def _docker_names_legacy(ref: str) -> bool:
    """normalize.go's reading: the reference is docker.io/library/aishell, tag base."""
    name = ref.split("@", 1)[0]
    tag = None
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
    i = name.find("/")
    first = name[:i]
    if i == -1 or (not any(c in first for c in ".:") and first != "localhost" and first.lower() == first):
        domain, rest = "docker.io", name
    else:
        domain, rest = first, name[i + 1 :]
    if domain == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io" and "/" not in rest:
        rest = "library/" + rest
    return domain == "docker.io" and rest == "library/aishell" and tag == "base"


REFS = ["".join(p) + "aishell" + t + d for p in itertools.product(HOSTS, NAMESPACES) for t in TAGS for d in DIGESTS]


def test_the_pattern_is_dockers_normalisation():
    for ref in REFS:
        assert (LEGACY_RE.fullmatch(ref) is not None) == _docker_names_legacy(ref), ref


def test_the_hub_spellings_are_there():
    assert _docker_names_legacy("index.docker.io/aishell:base")
    assert not _docker_names_legacy("registry-1.docker.io/library/aishell:base")
    assert sum(map(_docker_names_legacy, REFS)) == 2 * 3 * 2  # (none, docker.io, index) × (none, library/)


def _codes(text: str) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(REFS), st.sampled_from(PLACES))
def test_ais001_where_docker_names_the_local_image(ref, place):
    found = [s for c, s in _codes(place.format(ref)) if c == "AIS001"]
    assert found == (["error"] if _docker_names_legacy(ref) else []), (ref, place)
