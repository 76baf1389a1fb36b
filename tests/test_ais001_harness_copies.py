"""AIS001's safe fix never points a copy of a harness's files at the foundation (issue 18).

The class (red team, round 16): `COPY --from=aishell:base /usr/local/bin/claude …` (or a mount
`from=aishell:base,source=…codex`) was fixed to `aishell:foundation`, which has no harness, so a
build that worked with a stale local `aishell:base` failed with "not found". Generated: COPY
(with other flags, JSON form, several sources) and RUN mounts x sources that do or do not name a harness (any of the
four, in paths, packages and quoted spellings): always reported; a fix only when no harness is
named.
"""

from __future__ import annotations

import pytest

from aishell.lint import Options, lint_text

HARNESS = [
    "/usr/local/bin/claude",
    "/usr/local/lib/node_modules/@anthropic-ai/claude-code",
    "/root/.local/bin/codex",
    "/usr/local/lib/node_modules/@google/gemini-cli",
    "/usr/local/bin/opencode",
    "/usr/local/bin/c'l'aude",
    "/opt/Claude",
]
OTHER = ["/etc/aishell", "/usr/local/bin/gosu", "/usr/local/bin/docker-entrypoint.sh", "/opt/tools"]


def _forms(source: str):
    yield f"COPY --from=aishell:base {source} /x/\n"
    yield f"COPY --from=aishell:base --chmod=755 {source} /x/\n"
    if "'" not in source:
        yield f'COPY --from=aishell:base ["{source}", "/x/"]\n'
    yield f"COPY --from=aishell:base /etc/hosts {source} /x/\n"
    yield f"RUN --mount=type=bind,from=aishell:base,source={source},target=/m ls /m\n"


CASES = [(form, True) for s in HARNESS for form in _forms(s)] + [(form, False) for s in OTHER for form in _forms(s)]


@pytest.mark.parametrize("line,harness", CASES)
def test_a_copy_of_a_harness_from_the_old_image_has_no_fix(tmp_path, line, harness):
    text = "FROM debian:bookworm-slim\n" + line
    found = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS001"], use_config=False)).findings
    assert len(found) == 1, (line, found)
    assert (found[0].fix is None) == harness, line
