"""An ONBUILD RUN that this build triggers is judged as the RUN it becomes (issue 18: recall and
precision of AIS002 errors).

BuildKit runs a base stage's ONBUILD triggers first in a stage of the same Dockerfile built FROM
it (moby/buildkit#5490), with what the base stage left. So the oracle is the Dockerfile rewritten
that way: the trigger taken out of its stage and put as a RUN right after the FROM of the stage
built from it. Where that stage is built by the default build, the ONBUILD's finding has the
severity the moved RUN gets (an error when it fails the build); where no built stage is FROM it,
it runs in no build of this file: a warning at most.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

RUNS = [
    "claude --version",
    "apt-get update && codex -v",
    "claude -v || true",
    "sudo -u node gemini --help",
    "echo $(opencode -v)",
    "set -e; claude -v; echo done",
    "npm i -g @anthropic-ai/claude-code && claude -v",
    "echo claude",
]
BEFORE = ["", "RUN npm i -g @anthropic-ai/claude-code\n", 'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]\n']
AFTER = ["", "RUN npm i -g @openai/codex\n", "WORKDIR /app\n", 'SHELL ["pwsh", "-c"]\n']
# The stages after `a` (`{child}` marks where the stage built FROM it starts, if any).
TOPOLOGIES = [
    "FROM a{child}\nRUN true\n",
    "FROM a AS b{child}\nFROM b\n",
    "FROM a AS b{child}\nFROM aishell:foundation\nCOPY --from=b /x /y\n",
    "FROM a AS b{child}\nFROM aishell:foundation\n",
    "FROM aishell:foundation\nRUN true\n",
    "",
]


def _findings(text, tmp):
    return lint_text(text, str(tmp / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(RUNS),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
    st.sampled_from(TOPOLOGIES),
)
def test_a_triggered_onbuild_run_is_judged_as_the_run_it_becomes(tmp_path_factory, run, before, after, topo):
    tmp = tmp_path_factory.mktemp("o")
    head = "FROM aishell:foundation AS a\n" + before
    original = head + f"ONBUILD RUN {run}\n" + after + topo.format(child="")
    got = [f.severity for f in _findings(original, tmp)]
    # The same step as a RUN (in a stage of its own, for whether it names a harness at all).
    plain = [f.severity for f in _findings(head + after + f"RUN {run}\n", tmp)]
    if "{child}" not in topo:
        assert got == ["warning"] * len(plain), (original, got)
        return
    moved = head + after + topo.format(child=f"\nRUN {run}")
    at = moved.index(f"\nRUN {run}") + 1
    expected = [f.severity for f in _findings(moved, tmp) if f.start >= at and f.end <= at + 4 + len(run)]
    assert len(got) == len(expected), (original, got, moved, expected)
    assert sorted(got) == sorted(expected), (original, got, moved, expected)
