"""AIS102 never moves an ARG past a trusted tool that runs the project's code (red team r67b).

The rule lets an ARG pass a RUN whose every command is a system tool or a package install (they
read no build variable); four shapes of such a command still run a program of the project's,
which can read every ARG from its environment, and the safe fix moved the ARG past them:

- the project's own script named like a tool, run by its path (`script/test`, the "scripts to
  rule them all" layout; `./true`, `bin/echo`, `/app/bin/mkdir`): drawn over every name of
  SYSTEM_TOOLS and every kind of path that is not a system bin folder;
- a tool told to run a program: tar's filters and scripts (`-I`, `-F`, `--to-command`, any
  unique abbreviation), apt's hooks and config file (`-o DPkg::Post-Invoke::=…`, `-c`), dpkg's
  `--pre-invoke`/`--post-invoke`/`--status-logger`;
- `gem install -g`/`--file` (in every spelling): it evaluates the Gemfile, Ruby code;
- apk's `-X`/`--repository`/`--repositories-file` naming a local repository (the project's own
  packages, their scripts run);
- pip's `-f`/`--find-links` naming a local folder (`-f /wheels`): the project's own sdist may be
  among its archives, and is built;
- npm's option parser reading `--ignore-scripts false` as false (lifecycle scripts run), or a
  later `--no-ignore-scripts`;
- any RUN after a SHELL that runs the project's program (`["/app/run.sh", "-c"]`), reads a
  startup file (`-l`, `--rcfile`) or a script of its own before the command, or after a
  `BASH_ENV` set by ENV or ARG.

Controls drawn from the same pieces (the tool by its bare name or its path in /usr/bin, tar and
apt without those options, `gem install rails`, `npm ci --ignore-scripts`) keep moving.
"""

from __future__ import annotations

import dockerfile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint_rules._edits import SYSTEM_TOOLS, runs_project_code
from tests.test_ais102_readers import _arg_moves_past, _arg_stays_above, _fixed

_TOOLS = sorted(SYSTEM_TOOLS - {"set", "cd"})  # (a path to `cd` or `set` is no command a shell runs)

# Where a project's script lives, relative to the WORKDIR or not: never a system bin folder.
project_paths = st.sampled_from(["./{}", "script/{}", "bin/{}", "scripts/ci/{}", "/app/bin/{}", "/src/{}", "../{}"])
system_paths = st.sampled_from(["{}", "/usr/bin/{}", "/bin/{}", "/usr/local/bin/{}", "//usr/bin/{}"])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_TOOLS), project_paths, st.sampled_from(["", " x", " -q y"]))
def test_a_project_script_named_like_a_tool_runs_project_code(name, path, args):
    step = path.format(name) + args
    assert runs_project_code(step.split())
    _arg_stays_above(step)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["mkdir", "true", "touch", "chmod", "ldconfig", "locale-gen"]), system_paths)
def test_the_tool_itself_is_still_passed(name, path):
    step = path.format(name) + ("" if name in ("true", "ldconfig", "locale-gen") else " /tmp/x")
    assert not runs_project_code(step.split())
    _arg_moves_past(step)


_TAR = [
    "-I ./unpack.sh",
    "-xIf",
    "xIf",
    "-F ./next.sh",
    "--to-command=./each.sh",
    "--to-c=./each.sh",
    "--use-compress-program=./z",
    "--use-compress=./z",
    "--info-script=./b.sh",
    "--new-volume-script=./b.sh",
    "--checkpoint-action=exec=make",
    "--rsh-command=./r",
]
_APT = [
    "-o APT::Update::Post-Invoke::=./build.sh update",
    "-o DPkg::Pre-Invoke::=make install -y curl",
    "-oDPkg::Post-Invoke::=./x install -y curl",
    "--option=DPkg::Pre-Install-Pkgs::=./x install -y curl",
    "-o Dir::Bin::dpkg=./fake install -y curl",
    "-c ./apt.conf update",
    "-c./apt.conf update",
    "--config-file=./apt.conf update",
    "--config-file ./apt.conf update",
]
_DPKG = ["--pre-invoke=./x --configure -a", "--post-invoke ./x --configure -a", "--status-logger=./log -l"]
_GEM = ["install -g", "install -g Gemfile", "install --file Gemfile", "install --file=Gemfile", "install --fil Gemfile"]
_PIP = ["--find-links=/app app", "--no-index -f /wheels app", "-f/wheels app", "--find-links=file:///w app", "-f . app"]
_APK = [
    "--repository /app/repo app",
    "-X /app/repo app",
    "-X/app/repo app",
    "--repository=/app/repo app",
    "--repositories-file /app/repos app",
    "-X file:///app/repo app",
]
_NPM = ["ci --ignore-scripts false", "install --ignore-scripts --no-ignore-scripts", "ci --ignore-scripts=false"]


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.sampled_from(_TAR).map(lambda o: f"tar {o} -f a.tar" if o[0] == "-" and " " in o else f"tar {o} a.tar"),
        st.sampled_from(_APT).flatmap(lambda o: st.sampled_from([f"apt-get {o}", f"apt {o}"])),
        st.sampled_from(_DPKG).map(lambda o: f"dpkg {o}"),
        st.sampled_from(_GEM).map(lambda o: f"gem {o}"),
        st.sampled_from(_APK).map(lambda o: f"apk add {o}"),
        st.sampled_from(_PIP).flatmap(lambda o: st.sampled_from([f"pip install {o}", f"python3 -m pip install {o}"])),
        st.sampled_from(_NPM).flatmap(lambda o: st.sampled_from([f"npm {o}", f"pnpm {o}"])),
    )
)
def test_a_tool_told_to_run_a_program_runs_project_code(step):
    assert runs_project_code(step.split()), step
    _arg_stays_above(step)


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(
        [
            "tar -xzf a.tar.gz -C /opt",
            "tar xf a.tar",
            "tar --extract --file=a.tar",
            "apt-get -o Acquire::Retries=3 install -y curl",
            "apt-get -qq update",
            "dpkg --add-architecture i386",
            "gem install rails -v 7.1",
            "gem install --no-document bundler",
            "npm ci --ignore-scripts",
            "npm install --ignore-scripts true",
            "pip install --find-links=https://x.org/w flask",
            "apk add --repository https://dl-cdn.alpinelinux.org/alpine/edge/testing app",
            "apk add -X https://x.org/r app",
            "dnf install -y -x kernel* gcc",
        ]
    )
)
def test_the_same_tools_without_those_options_are_still_passed(step):
    assert not runs_project_code(step.split()), step
    _arg_moves_past(step)


# -- a SHELL that runs the project's code before every RUN's command --------------------------

_CODE_SHELLS = [
    '["/app/run.sh", "-c"]',
    '["./wrap", "-c"]',
    '["/usr/local/lib/app/sh", "-c"]',
    '["python3", "-c"]',
    '["/bin/bash", "-l", "-c"]',
    '["/bin/bash", "-lc"]',
    '["bash", "--login", "-c"]',
    '["/bin/bash", "--rcfile", "/app/rc", "-i", "-c"]',
    '["/bin/bash", "-c", "source /app/env.sh; eval \\"$0\\""]',
]
_PLAIN = ['["/bin/bash", "-o", "pipefail", "-c"]', '["/bin/sh", "-c"]', '["bash", "-euxc"]', '["/usr/bin/zsh", "-c"]']


_SETUPS = [f"SHELL {s}" for s in _CODE_SHELLS] + [
    f"{e}\nSHELL {_PLAIN[0]}"
    for e in ("ENV BASH_ENV=/app/env.sh", "ENV BASH_ENV /app/env.sh", "ARG BASH_ENV=/app/env.sh")
]


@pytest.mark.parametrize("setup", _SETUPS)
@pytest.mark.parametrize("step", ["apt-get update", "mkdir -p /x", "npm ci --ignore-scripts"])
@pytest.mark.parametrize("before_arg", [True, False])
def test_an_arg_never_passes_a_run_of_a_shell_that_runs_project_code(setup, step, before_arg):
    """The SHELL (or BASH_ENV) set before or after the ARG: every RUN after it may read the ARG."""
    head = f"{setup}\nARG GIT_SHA\n" if before_arg else f"ARG GIT_SHA\n{setup}\n"
    text = f"FROM aishell:foundation\n{head}RUN {step}\nLABEL rev=$GIT_SHA\n"
    new = _fixed(text)
    dockerfile.parse_string(new)
    lines = new.splitlines()
    assert lines.index("ARG GIT_SHA") < lines.index(f"RUN {step}"), new


@pytest.mark.parametrize("shell", _PLAIN + ['["cmd", "/S", "/C"]', '["powershell", "-Command"]'])
@pytest.mark.parametrize("before_arg", [True, False])
def test_a_plain_shell_is_still_passed(shell, before_arg):
    head = f"SHELL {shell}\nARG GIT_SHA\n" if before_arg else f"ARG GIT_SHA\nSHELL {shell}\n"
    text = f"FROM aishell:foundation\n{head}RUN apt-get update\nLABEL rev=$GIT_SHA\n"
    new = _fixed(text)
    lines = new.splitlines()
    assert lines.index("ARG GIT_SHA") > lines.index("RUN apt-get update"), new


@pytest.mark.parametrize("setup", _SETUPS)
@pytest.mark.parametrize("depth", [1, 3])
@pytest.mark.parametrize("memo_twin", [False, True])
def test_a_stage_built_from_one_whose_shell_runs_project_code_inherits_it(setup, depth, memo_twin):
    """A stage inherits its base's SHELL and environment: built FROM a stage (or a chain of
    them) whose SHELL or BASH_ENV runs the project's code, every RUN of it may read the ARG. A
    stage of the same text built FROM a plain stage still moves it (the per-stage memo keys on
    the base)."""
    text = f"FROM aishell:foundation AS s0\n{setup}\nRUN true\n"
    for k in range(1, depth):
        text += f"FROM s{k - 1} AS s{k}\nRUN true\n"
    child = "ARG GIT_SHA\nRUN apt-get update\nLABEL rev=$GIT_SHA\n"
    if memo_twin:
        text += f"FROM aishell:foundation AS plain\nRUN true\nFROM plain\n{child}"
    text += f"FROM s{depth - 1}\n{child}"
    new = _fixed(text)
    dockerfile.parse_string(new)
    tail = new.split(f"FROM s{depth - 1}\n")[-1].splitlines()
    assert tail.index("ARG GIT_SHA") < tail.index("RUN apt-get update"), new
    if memo_twin:
        twin = new.split("FROM plain\n")[1].split("FROM s")[0].splitlines()
        assert twin.index("ARG GIT_SHA") > twin.index("RUN apt-get update"), new


@pytest.mark.parametrize("manager", ["apt-get install -y", "apt install", "apk add", "dnf install -y", "zypper in"])
@pytest.mark.parametrize("word", ["$DEB", "${DEB}", '"$DEB"', "${DIR}/app.deb", "$1"])
def test_a_package_an_expansion_names_may_be_a_file(manager, word):
    """`apt-get install -y $DEB`: the expansion may name a package file (`/tmp/app.deb`), whose
    maintainer scripts run with the RUN's environment: as a path, the ARG stays above it."""
    step = f"{manager} {word}"
    assert runs_project_code([*manager.split(), word.strip('"')]), step
    _arg_stays_above(step)


@pytest.mark.parametrize("word", ["python3=$V", "lib$NAME-dev", "curl"])
def test_a_package_named_with_an_expansion_inside_is_still_passed(word):
    step = f"apt-get install -y {word}"
    assert not runs_project_code(step.split()), step
    _arg_moves_past(step)
