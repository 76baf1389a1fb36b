"""Precision where a finding blocks `aishell build` (issue 18): generated, not listed.

An AIS001/AIS002 *error* must mean the build would really fail; an ambiguous form is a warning
at most, and a form that runs nothing is no finding. The strategies below build the classes
from an independent table of what each wrapper's options do (getopt clusters, attached and
separate values, the options that run nothing), what each `--mount` field means, and what an
ONBUILD does, and compare the verdict with what the command really runs.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

HARNESS_WORDS = ["claude", "codex", "gemini", "opencode", "/usr/local/bin/claude"]

# wrapper -> (options with which it runs the command that follows, options with which it does not)
WRAPPERS = {
    "sudo": (
        [
            "",
            "-u node",
            "-unode",
            "-iu node",
            "-E",
            "-H",
            "--user=node",
            "--user node",
            "-n",
            "-i",
            "-s",
            "-g staff",
            "-u node --",
            "-C 3",
            "--preserve-env",
            "--preserve-env=PATH",
            "-EH",
            "-u#1000",
        ],
        ["-l", "-ll", "--list", "-v", "-K", "-V", "-e", "-nl", "-lU node", "--validate", "-ln"],
    ),
    "env": (["", "-i", "-", "A=1", "A=1 B=x", "-u HOME", "--unset=HOME", "-C /tmp", "--chdir /tmp", "-i A=1"], []),
    "command": (["", "-p", "--", "-p --"], ["-v", "-V", "-pv", "-vp", "-pV"]),
    "exec": (["", "-a name", "-c", "-l", "-cl"], []),
    "nohup": ([""], []),
    "timeout": (["5", "-s KILL 5", "--signal=KILL 5", "-k 1 5", "--preserve-status 5", "--foreground 10s", "-v 5"], []),
    "nice": (["", "-n 5", "-5", "--adjustment=3", "-n5"], []),
    "xargs": (["", "-r", "-n 1", "-n1", "-I {}", "-I{}", "-P 4", "-d ,", "--max-args=1", "-L 1", "-t"], []),
    "time": (["", "-p", "-v", "-f %e", "-o /tmp/t", "--format=%e"], []),
    "stdbuf": (["-oL", "-o L", "-i0 -oL", "--output=L"], []),
    "runuser": (["-u node", "-u node --", "-u node -g staff"], []),
    "gosu": (["node", "1000:1000"], []),
}
LOOKUPS = ["which", "type", "hash", "whereis", "echo", "ls", "grep -r"]


@st.composite
def wrapped(draw):
    """(command line, the harness word, whether it runs)."""
    runs = True
    parts = []
    for name in draw(st.lists(st.sampled_from(sorted(WRAPPERS)), min_size=1, max_size=3)):
        run_opts, stop_opts = WRAPPERS[name]
        if stop_opts and draw(st.integers(0, 3)) == 0:
            opt, runs = draw(st.sampled_from(stop_opts)), False
        else:
            opt = draw(st.sampled_from(run_opts))
        parts.append(f"{name} {opt}".strip())
    harness = draw(st.sampled_from(HARNESS_WORDS))
    return " ".join(parts + [harness, draw(st.sampled_from(["--version", "-p hi", ""]))]).strip(), harness, runs


CONTEXTS = [
    "RUN {}\n",
    "RUN apt-get update && {} && echo ok\n",
    "RUN echo $({})\n",
    "RUN sh -c '{}'\n",
    'RUN bash -lc "{}"\n',
    "RUN if true; then {}; fi\n",
    "RUN <<EOF\nset -e\n{}\nEOF\n",
    "RUN set -e; \\\n    {}\n",
    "RUN eval {}\n",
]


def _lint(text, tmp_path, select="AIS"):
    return lint_text(text, str(tmp_path / "Dockerfile"), Options(select=[select], use_config=False)).findings


@settings(max_examples=300, deadline=None)
@given(wrapped(), st.sampled_from(CONTEXTS))
def test_a_wrapped_harness_is_an_error_exactly_when_it_runs(tmp_path_factory, case, context):
    line, harness, runs = case
    if "'" in context:
        line = line.replace("'", "")
    if '"' in context:
        line = line.replace('"', "")
    text = "FROM aishell:foundation\n" + context.format(line)
    findings = [f for f in _lint(text, tmp_path_factory.mktemp("p"), "AIS002")]
    if not runs:
        assert findings == [], (text, findings)
        return
    assert len(findings) == 1 and findings[0].severity == "error", (text, findings)
    assert text[findings[0].start : findings[0].end] == harness


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(LOOKUPS), st.sampled_from(HARNESS_WORDS), st.sampled_from(CONTEXTS))
def test_a_harness_named_as_an_argument_is_no_finding(tmp_path_factory, lookup, harness, context):
    text = "FROM aishell:foundation\n" + context.format(f"{lookup} {harness}")
    assert _lint(text, tmp_path_factory.mktemp("p"), "AIS002") == []


RUNNERS = ["npx", "npx -y", "npx --yes", "bunx", "pnpm dlx", "npm exec --", "npm exec -y --", "yarn dlx", "pnpx"]
PACKAGES = {
    "claude": ["@anthropic-ai/claude-code", "claude"],
    "codex": ["@openai/codex", "codex"],
    "gemini": ["@google/gemini-cli", "gemini"],
    "opencode": ["opencode-ai", "opencode"],
}


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(RUNNERS), st.sampled_from(sorted(PACKAGES)), st.data())
def test_a_package_runner_is_a_warning_and_nothing_after_an_install(tmp_path_factory, runner, harness, data):
    """`npx X` fetches X when it is not installed: the build does not necessarily fail."""
    target = data.draw(st.sampled_from(PACKAGES[harness]))
    package = PACKAGES[harness][0]
    install = data.draw(
        st.sampled_from(
            [
                "",
                f"npm install {package}",
                f"npm i -D {package}",
                f"npm i -g {package}",
                f"pnpm add {package}",
                f"yarn add {package}",
                f"bun add {package}",
            ]
        )
    )
    joined = data.draw(st.booleans())
    run = f"{runner} {target} --version"
    body = (f"RUN {install} && {run}\n" if joined else f"RUN {install}\nRUN {run}\n") if install else f"RUN {run}\n"
    text = "FROM node:24\nWORKDIR /app\n" + body
    findings = _lint(text, tmp_path_factory.mktemp("p"), "AIS002")
    if install:
        assert findings == [], (text, findings)
    else:
        assert [f.severity for f in findings] == ["warning"], (text, findings)


INSTALL = "npm i -g @anthropic-ai/claude-code"


@pytest.mark.parametrize(
    "text, errors",
    [
        (f"FROM node:24\nONBUILD RUN {INSTALL}\nRUN claude --version\n", 1),
        (f"FROM node:24 AS a\nONBUILD RUN {INSTALL}\nFROM a\nRUN claude --version\n", 1),
        (f"FROM node:24\nRUN {INSTALL}\nONBUILD RUN claude --version\n", 0),
        (f"FROM node:24\nONBUILD RUN claude --version\nRUN {INSTALL}\n", 0),
        (f"FROM node:24\nONBUILD RUN {INSTALL}\nONBUILD RUN claude --version\n", 0),
        (f"FROM node:24\nONBUILD RUN claude --version\nONBUILD RUN {INSTALL}\n", 1),
        ("FROM node:24\nONBUILD RUN claude --version\n", 1),
    ],
)
def test_onbuild_installs_only_for_the_images_built_from_it(tmp_path, text, errors):
    assert len(_lint(text, tmp_path, "AIS002")) == errors


MOUNT_KEYS = [
    "type=bind",
    "type=cache",
    "type=secret",
    "type=ssh",
    "type=tmpfs",
    "target=/t",
    "dst=/d",
    "source=/s",
    "mode=0755",
    "uid=1000",
    "sharing=locked",
    "required=true",
    "env=TOKEN",
    "ro",
]
LEGACY_SPELLINGS = ["aishell:base", "docker.io/library/aishell:base", "library/aishell:base"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(MOUNT_KEYS), max_size=3),
    st.sampled_from(["id", "target", "source", "from", "dst", "env", "FROM"]),
    st.sampled_from(LEGACY_SPELLINGS),
    st.integers(0, 3),
)
def test_ais001_in_a_mount_only_for_its_from_field(tmp_path_factory, keys, key, image, at):
    fields = list(keys)
    fields.insert(min(at, len(fields)), f"{key}={image}")
    text = f"FROM aishell:foundation\nRUN --mount={','.join(fields)} ls\n"
    findings = _lint(text, tmp_path_factory.mktemp("p"), "AIS001")
    assert len(findings) == (1 if key.lower() == "from" else 0), (text, findings)


@pytest.mark.parametrize("flag", ["--chown=aishell:base", "--chmod=755", "--link", "--parents"])
def test_ais001_other_copy_flags_are_not_images(tmp_path, flag):
    assert _lint(f"FROM aishell:foundation\nCOPY {flag} . /app\n", tmp_path, "AIS001") == []
