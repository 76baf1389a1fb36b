"""AIS002: a bash that reads a startup file first may define the harness's name (red team r40,
bash-env-profile).

A non-interactive bash sources $BASH_ENV first; a login bash (`-l`, `--login`) /etc/profile,
which sources /etc/profile.d/*.sh, and ~/.profile; an earlier RUN may have written a `claude()`
function or a PATH there. bash's `hash -p FILE claude` makes `claude` run FILE. Not sure to
fail: a warning at most. The class, generated: every SHELL spelling of bash × every way BASH_ENV
is set (ENV, before or after the SHELL, the RUN itself) × the writer; every login spelling ×
every profile writer (RUN, COPY); `hash -p` spellings. The controls keep their error: the same
without BASH_ENV, a BASH_ENV a POSIX sh never reads, a login bash with no profile written, a
plain bash after a profile written, `hash` of another name.
"""

import pytest

from tests.severities import severities

FOUNDATION = "FROM aishell:foundation\n"
CALL = "RUN claude --version\n"
WRITE_ENV = "RUN printf 'claude() { echo stub; }\\n' > /etc/bash_env\n"
BASH_SHELLS = [
    'SHELL ["/bin/bash", "-c"]\n',
    'SHELL ["bash", "-o", "pipefail", "-c"]\n',
    'SHELL ["/usr/bin/bash", "-ec"]\n',
    'SHELL ["/bin/bash", "-eux", "-o", "pipefail", "-c"]\n',
]
ENVS = ["ENV BASH_ENV=/etc/bash_env\n", "ENV BASH_ENV /etc/bash_env\n", "ENV A=1 BASH_ENV=/etc/bash_env\n"]


@pytest.mark.parametrize("shell", BASH_SHELLS)
@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("order", ["shell-env", "env-shell", "env-write-shell"])
def test_bash_env_under_a_bash_shell(shell, env, order):
    steps = {"shell-env": shell + env + WRITE_ENV, "env-shell": env + WRITE_ENV + shell, "env-write-shell": env}
    text = FOUNDATION + steps[order] + (WRITE_ENV + shell if order == "env-write-shell" else "") + CALL
    assert severities(text) == ["warning"], text


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize(
    "run",
    ["RUN bash -c 'claude --version'\n", "RUN bash -ec 'claude --version'\n", "RUN set -e; bash -c 'claude -v'\n"],
)
def test_bash_env_for_a_bash_the_run_starts(env, run):
    assert severities(FOUNDATION + env + WRITE_ENV + run) == ["warning"]


@pytest.mark.parametrize(
    "run",
    [
        "RUN BASH_ENV=/etc/bash_env bash -c 'claude --version'\n",
        "RUN export BASH_ENV=/etc/bash_env && bash -c 'claude --version'\n",
        "RUN env BASH_ENV=/etc/bash_env bash -c 'claude --version'\n",
    ],
)
def test_bash_env_set_in_the_run(run):
    assert severities(FOUNDATION + WRITE_ENV + run) == ["warning"]


@pytest.mark.parametrize("shell", [*BASH_SHELLS, ""])
def test_control_no_bash_env(shell):
    assert severities(FOUNDATION + shell + WRITE_ENV + CALL) == ["error"]


@pytest.mark.parametrize("env", [*ENVS, "ENV BASH_ENV=\n"])
def test_control_bash_env_under_sh(env):
    """dash (/bin/sh) never reads BASH_ENV; an empty one names no file."""
    text = FOUNDATION + env + WRITE_ENV + CALL
    assert severities(text) == ["error"], text


LOGIN_SHELLS = [
    'SHELL ["/bin/bash", "-lc"]\n',
    'SHELL ["/bin/bash", "--login", "-c"]\n',
    'SHELL ["bash", "-l", "-c"]\n',
    'SHELL ["/bin/bash", "-elc"]\n',
]
PROFILE_WRITERS = [
    "RUN printf 'claude() { echo stub; }\\n' > /etc/profile.d/claude.sh\n",
    "RUN echo 'export PATH=/opt/c:$PATH' >> /etc/profile\n",
    "COPY claude.sh /etc/profile.d/\n",
    "COPY profile /root/.profile\n",
    "RUN echo 'claude() { :; }' >> /root/.bash_profile\n",
]


@pytest.mark.parametrize("shell", LOGIN_SHELLS)
@pytest.mark.parametrize("writer", PROFILE_WRITERS)
@pytest.mark.parametrize("before", [True, False])
def test_a_login_bash_after_a_profile_written(shell, writer, before):
    text = FOUNDATION + (shell + writer if before else writer + shell) + CALL
    assert severities(text) == ["warning"], text


@pytest.mark.parametrize("writer", PROFILE_WRITERS)
@pytest.mark.parametrize("run", ["RUN bash -lc 'claude --version'\n", "RUN bash --login -c 'claude --version'\n"])
def test_a_login_bash_the_run_starts(writer, run):
    assert severities(FOUNDATION + writer + run) == ["warning"]


@pytest.mark.parametrize("shell", LOGIN_SHELLS)
def test_control_a_login_bash_with_no_profile_written(shell):
    assert severities(FOUNDATION + shell + CALL) == ["error"]


@pytest.mark.parametrize("writer", PROFILE_WRITERS)
@pytest.mark.parametrize("shell", ['SHELL ["/bin/bash", "-c"]\n', ""])
def test_control_no_login_bash(writer, shell):
    assert severities(FOUNDATION + shell + writer + CALL) == ["error"]


@pytest.mark.parametrize("shell", ['SHELL ["/bin/bash", "-c"]\n', ""])
@pytest.mark.parametrize(
    "run",
    [
        "RUN hash -p /bin/true claude && claude -v\n",
        "RUN hash -p/bin/true claude; claude -v\n",
        "RUN hash -rp /bin/true claude && claude -v\n",
        "RUN hash -p /bin/true codex claude && claude -v\n",
    ],
)
def test_hash_p(shell, run):
    assert severities(FOUNDATION + shell + run) == ["warning"]


@pytest.mark.parametrize(
    "run",
    [
        "RUN hash -p /bin/true codex && claude -v\n",
        "RUN hash -r && claude -v\n",
        "RUN claude -v && hash -p /bin/true claude\n",
        "RUN hash -p /bin/true claude\nRUN claude -v\n",
    ],
)
def test_control_hash_of_another_name_or_after(run):
    assert severities(FOUNDATION + 'SHELL ["/bin/bash", "-c"]\n' + run) == ["error"]
