"""Installs one COPY holds back one after the other are fixed in one pass (issue 18).

`COPY . .` + `RUN npm ci` repeated in one stage: each install is blocked only by the installs
before it, so fixing one a pass never settled past ten pairs ("fixes did not settle after 10
passes"). AIS101 now gives the first install's finding one fix that moves the whole chain. The
tests generate the class (stages of up to 50 pairs, several WORKDIRs, manifests and installs,
comments, flags, steps that break a chain, CRLF, a last line without a line break) and check
that migrate settles in one pass with the text that one install a pass (no pass limit) gives.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options
from aishell.lint_rules import ais101_source_before_dependencies as ais101
from aishell.migrate import fixer
from aishell.migration import fix_text

_CONTEXT = {
    "package.json": "{}\n",
    "package-lock.json": "{}\n",
    "requirements.txt": "flask\n",
    "api/package.json": "{}\n",
    "api/package-lock.json": "{}\n",
}
_INSTALLS = [
    "RUN npm ci --ignore-scripts",
    "RUN npm ci",
    "RUN pip install -r requirements.txt",
    "# deps\nRUN npm ci",
    "# a\n# b\nRUN pip install -r requirements.txt",
    "RUN apt-get update && npm ci",
    "RUN npm ci \\\n  --ignore-scripts",
    "# aishell: ignore=AIS101 kept here\nRUN npm ci",
    "# aishell: ignore=AIS003 another rule\nRUN npm ci",
]
_OTHER = ["LABEL a=b", "EXPOSE 80", "RUN make", "WORKDIR /srv", "COPY --chown=1:1 . .", "", "# note"]
_COPIES = ["COPY . .", "COPY . ./", "COPY --chown=1:1 . .", "# the source\nCOPY . ."]
_WORKDIRS = ["WORKDIR /app", "WORKDIR /app/api", "WORKDIR /", ""]


def _stage(draw) -> str:
    lines = ["FROM node:24", draw(st.sampled_from(_WORKDIRS))]
    pairs = draw(st.integers(1, 50))
    copy = st.sampled_from(_COPIES)
    install = st.sampled_from(_INSTALLS)
    other = st.sampled_from(_OTHER)
    for _ in range(pairs):
        lines.append(draw(copy))
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(other))
        lines.append(draw(install))
    return "\n".join(x for x in lines if x)


@st.composite
def _dockerfiles(draw):
    stages = [_stage(draw) for _ in range(draw(st.integers(1, 3)))]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    final = draw(st.booleans())
    return ("\n".join(stages) + ("\n" if final else "")).replace("\n", newline)


def _fixed(text: str, path: str, chains: bool, monkeypatch) -> tuple[str, int]:
    passes = []
    with monkeypatch.context() as m:
        m.setattr(ais101, "_CHAINS", chains)
        if not chains:
            m.setattr(fixer, "MAX_PASSES", 10_000)  # one install a pass, as many passes as it takes
        run = fixer._run

        def counted(lint, t, p):
            passes.append(t)
            return run(lint, t, p)

        m.setattr(fixer, "_run", counted)
        r = fix_text(text, path, Options(select=["AIS101"], use_config=False), unsafe=True)
    return r.text, len(passes)


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    d = tmp_path_factory.mktemp("ctx")
    for name, body in _CONTEXT.items():
        (d / name).parent.mkdir(exist_ok=True)
        (d / name).write_text(body)
    return d


@settings(max_examples=60, deadline=None)
@given(_dockerfiles())
def test_chained_installs_settle_in_one_pass_as_one_a_pass_would(context, text):
    path = str(context / "Dockerfile")
    with pytest.MonkeyPatch.context() as mp:
        chained, passes = _fixed(text, path, True, mp)
        one_a_pass, slow_passes = _fixed(text, path, False, mp)
    assert chained == one_a_pass
    assert passes <= 3  # the fixes, (a chain another COPY's moves free), and the check


@pytest.mark.parametrize("n", [1, 2, 11, 50])
def test_n_pairs_in_one_stage_settle(context, n, monkeypatch):
    text = "FROM node:24\nWORKDIR /app\n" + "COPY . .\nRUN npm ci --ignore-scripts\n" * n
    fixed, passes = _fixed(text, str(context / "Dockerfile"), True, monkeypatch)
    assert passes == 2
    assert fixed == (
        "FROM node:24\nWORKDIR /app\n"
        + "COPY package.json package-lock.json ./\nRUN npm ci --ignore-scripts\n" * n
        + "COPY . .\n" * n
    )


def test_the_rules_suppression_pattern_is_lints():
    from aishell import lint
    from aishell.lint_rules import _edits

    assert _edits.IGNORE_RE is lint.IGNORE_RE  # (one pattern: aishell.findings)
    assert _edits.suppresses("# aishell: ignore=ais003, AIS101 why", "AIS101")
    assert not _edits.suppresses("# aishell: ignore=AIS003 why", "AIS101")


# -- what stands between the COPY and the install ---------------------------------------------
#
# Round three (a red-team pass): the fix moved the install above every COPY and ADD between the
# whole-context COPY and it: `COPY --from=b /x ./requirements.txt` then read by pip was replaced by
# the context's file, and `COPY --from=ghcr.io/astral-sh/uv /uv /bin/` no longer came before the
# step that runs uv. Generated stages with such lines between (and lines that may stand there:
# LABEL, EXPOSE, another copy of the whole context): read by BuildKit's parser, every COPY or ADD of
# something other than the whole context that came before the install still does, in its order.

dockerfile = pytest.importorskip("dockerfile")

_BETWEEN = [
    "COPY --from=b /x ./requirements.txt",
    "COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/",
    "ADD extra.tgz .",
    "COPY config/ ./",
    "ADD https://example.com/x.txt ./requirements.txt",
    "COPY . .",
    "COPY --chown=1:1 . .",
    "ADD . .",
    'COPY [".", "./"]',
    "LABEL a=b",
    "EXPOSE 80",
]
_WHOLE = {".", "./", "./."}


def _writers(cmds, upto: int) -> list[tuple]:
    """The COPY/ADD steps before index ``upto`` that bring in anything but the whole context."""
    out = []
    for c in cmds[:upto]:
        if c.cmd.upper() in ("COPY", "ADD"):
            if any(f.startswith("--from") for f in c.flags) or not all(v in _WHOLE for v in c.value[:-1]):
                out.append((c.cmd.upper(), tuple(c.flags), tuple(c.value)))
    return out


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(_BETWEEN), max_size=3),
    st.sampled_from(["RUN pip install -r requirements.txt", "RUN npm ci --ignore-scripts"]),
)
def test_the_install_is_never_moved_above_a_copy_of_other_sources(context, between, install):
    text = "\n".join(["FROM python:3.12 AS b", "FROM node:24", "WORKDIR /app", "COPY . .", *between, install, ""])
    path = str(context / "Dockerfile")
    fixed = fix_text(text, path, Options(select=["AIS101"], use_config=False), unsafe=True).text
    if fixed == text:
        return
    before, after = dockerfile.parse_string(text), dockerfile.parse_string(fixed)
    run_b = next(i for i, c in enumerate(before) if c.cmd.upper() == "RUN")
    run_a = next(i for i, c in enumerate(after) if c.cmd.upper() == "RUN")
    new = {(c.cmd.upper(), tuple(c.flags), tuple(c.value)) for c in after} - {
        (c.cmd.upper(), tuple(c.flags), tuple(c.value)) for c in before
    }
    kept = [w for w in _writers(after, run_a) if w not in new]  # (the fix's own COPY of the manifests)
    assert kept == _writers(before, run_b), fixed
