"""A stage an ONBUILD names is needed where the trigger runs: in the stages built FROM its stage.

Found by a red team: `FROM aishell:base AS tools`, then a last stage `FROM debian:12` holding
`ONBUILD COPY --from=tools …` was an AIS001 error (tools counted as built), though the trigger
waits for an image built FROM that stage and BuildKit's default build (of the last stage)
skips `tools`: a warning "if this stage is built at all". The class: every way an ONBUILD names
a stage (COPY/ADD --from, RUN --mount=from, by name or index) × whether a stage built FROM its
stage is built (the trigger runs there: the named stage is built, the error stays) or not.
"""

import pytest

from aishell.lint import Options, lint_text

REFS = [
    "ONBUILD COPY --from={ref} /usr/local/bin/x /usr/local/bin/x",
    "ONBUILD ADD --from={ref} /x /y",
    "ONBUILD RUN --mount=from={ref},target=/t true",
    "ONBUILD RUN --mount=type=bind,from={ref},target=/t true",
    "onbuild copy --from={ref} /x /y",
]


def _severities(text: str, code: str) -> list[str]:
    return [f.severity for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == code]


@pytest.mark.parametrize("ref", ["tools", "TOOLS", "0"])
@pytest.mark.parametrize("onbuild", REFS)
def test_a_stage_only_a_waiting_trigger_names_is_not_built(onbuild, ref):
    line = onbuild.format(ref=ref)
    waiting = f"FROM aishell:base AS tools\nRUN echo built\nFROM debian:12 AS mid\n{line}\n"
    assert _severities(waiting, "AIS001") == ["warning"], waiting
    # A stage built FROM it runs the trigger: `tools` is built, the error stays. (A mount's
    # `from=0` is an image named `0`, not stage 0: BuildKit reads a mount's `from` by name only.)
    named = ["warning"] if ref == "0" and "--mount" in onbuild else ["error"]
    running = waiting + "FROM mid\nRUN echo last\n"
    assert _severities(running, "AIS001") == named, running
    # Not one built FROM a stage built FROM it: the trigger runs in the first child only.
    grandchild = waiting + "FROM mid AS child\nFROM child\n"
    assert _severities(grandchild, "AIS001") == named, grandchild


def test_ais002_in_a_stage_only_a_waiting_trigger_names_is_a_warning():
    text = "FROM debian:12 AS t\nRUN claude --version\nFROM debian:12\nONBUILD COPY --from=t /x /y\n"
    assert _severities(text, "AIS002") == ["warning"], text
    assert _severities(text.replace("ONBUILD ", ""), "AIS002") == ["error"]
