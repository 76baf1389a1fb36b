"""AIS002 errors mean the build fails (issue 18, "Precision where it blocks a build").

Generated classes, each with its own oracle (not the rule's tables):
- where the harness command sits in the script (operators before and after it, pipeline
  position, `!`, `&`, `set -e`, `( )`, `{ }`, `if`, `sh -c`): an error exactly when its
  failure makes /bin/sh exit non-zero, which the test asks dash itself (the harness replaced
  by a command that fails, the others by `true`);
- the base image: an error only on an image known to lack the harness;
- WORKDIR, ENV PATH and COPY: a directory copied onto (or above) a PATH entry may hold it.
"""

import json
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

FOUNDATION = "FROM aishell:foundation\n"
SH = shutil.which("dash") or shutil.which("sh")


def _ais002(text, tmp_path):
    return lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings


# -- 1. the command's exit status and the RUN's ----------------------------------------------


@st.composite
def scripts(draw, depth=0):
    """A script with exactly one `H` (the harness command) among `true` commands."""
    parts = ["H"]
    for _ in range(draw(st.integers(0, 3))):
        shape = draw(st.sampled_from(["and", "or", "seq", "pipe_after", "pipe_before", "not", "bg", "group", "sub"]))
        s = " ".join(parts)
        if shape == "and":
            parts = [draw(st.sampled_from([f"true && {s}", f"{s} && true"]))]
        elif shape == "or":
            parts = [draw(st.sampled_from([f"true || {s}", f"{s} || true"]))]
        elif shape == "seq":
            parts = [draw(st.sampled_from([f"true; {s}", f"{s}; true"]))]
        elif shape == "pipe_after":
            parts = [f"{s} | true"] if " " not in s else [f"{{ {s}; }} | true"]
        elif shape == "pipe_before":
            parts = [f"true | {s}"] if " " not in s else [f"true | {{ {s}; }}"]
        elif shape == "not":
            parts = [f"! {s}"] if " " not in s else [f"! {{ {s}; }}"]
        elif shape == "bg":
            parts = [f"{{ {s}; }} & wait"]  # (wait: the status of `wait` with no operand is 0)
        elif shape == "group":
            # (Compound commands other than `( )` whose status comes from a failure errexit
            # ignores do not set it off: `set -e; {{ H && true; }}; true` passes.)
            parts = [
                draw(
                    st.sampled_from(
                        [
                            f"( {s} )",
                            f"{{ {s}; }}",
                            f"if true; then {s}; fi",
                            f"for i in 1; do {s}; done",
                            f"case x in x) {s};; esac",
                            f"if false; then :; else {s}; fi",
                        ]
                    )
                )
            ]
        else:
            parts = [draw(st.sampled_from([f"sh -c '{s}'", f"if command -v H2 >/dev/null; then {s}; fi"]))]
    prefix = draw(st.sampled_from(["", "set -e; ", "set -ex;  ", "set -eu; set +e; "]))
    return prefix + " ".join(parts)


def _fails(script: str) -> bool:
    """Whether /bin/sh exits non-zero when H fails (and H2 is not there)."""
    probe = script.replace("H2", "no-such-command-x").replace("H", "false")
    return subprocess.run([SH, "-c", probe], capture_output=True, timeout=10).returncode != 0


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=scripts(), harness=st.sampled_from(["claude", "codex --help", "gemini -v", "sudo -u node opencode"]))
def test_an_error_exactly_when_the_commands_failure_fails_the_run(tmp_path, script, harness):
    if script.count("sh -c") > 1:
        return  # (quotes in quotes: not one script)
    text = FOUNDATION + "RUN " + script.replace("H2", "claude").replace("H", harness) + "\n"
    findings = [f for f in _ais002(text, tmp_path) if "H2" not in script or f.start != text.find("claude")]
    # (the `command -v claude` of the guard is an argument: no finding)
    assert len(findings) == 1, (text, findings)
    fails = _fails(script)
    # An error must mean the RUN fails; a form the rule cannot be sure of may be a warning,
    # but the plain forms below must stay errors.
    if not fails:
        assert findings[0].severity == "warning", (text, findings)
        assert "would fail" not in findings[0].message
    elif not any(w in script for w in ("(", "{", "if", "sh -c", "for ", "case ")):
        assert findings[0].severity == "error", (text, findings)


RED_TEAM = [
    "RUN if command -v claude >/dev/null; then claude --version; fi\n",
    "RUN claude -v || true\n",
    "RUN claude -v; echo done\n",
    "RUN claude -v | tee x\n",
    "RUN ! claude -v\n",
    "RUN claude -v &\n",
    "RUN echo $(claude -v)\n",
    "RUN find / -maxdepth 0 -exec claude --version \\;\n",
]
ERRORS = [
    "RUN claude -v\n",
    "RUN apt-get update && claude -v\n",
    "RUN set -e; claude -v; echo done\n",
    "RUN set -euo pipefail; claude -v | tee x\n",
    "RUN sh -ec 'claude -v; echo done'\n",
    "RUN <<EOF\nset -e\nclaude -v\necho done\nEOF\n",
    "RUN bash -e <<EOF\nclaude -v\necho done\nEOF\n",
    "RUN if true; then claude -v; fi\n",
    "RUN ( claude -v )\n",
    'RUN ["/bin/sh", "-e", "-c", "claude -v; echo done"]\n',
]


@pytest.mark.parametrize("run", RED_TEAM)
def test_the_red_team_forms_are_warnings(tmp_path, run):
    findings = _ais002(FOUNDATION + run, tmp_path)
    assert [f.severity for f in findings] == ["warning"], (run, findings)
    assert "would fail" not in findings[0].message


@pytest.mark.parametrize("run", ERRORS)
def test_forms_that_fail_the_run_stay_errors(tmp_path, run):
    assert [f.severity for f in _ais002(FOUNDATION + run, tmp_path)] == ["error"], run


# -- 2. the base image -------------------------------------------------------------------------

KNOWN = ["aishell:foundation", "node:24", "debian:bookworm-slim", "docker.io/library/python:3.12", "scratch"]
UNKNOWN = [
    "ghcr.io/anthropics/claude-code:latest",
    "aishell:base",
    "myorg/devbox:1",
    "registry.example.com/node:24",
    "${BASE}",
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    image=st.sampled_from(KNOWN + UNKNOWN),
    chain=st.integers(0, 3),
    run=st.sampled_from(["claude --version", "apt-get update && codex -v", "sudo gemini -v"]),
)
def test_an_image_not_known_to_lack_the_harness_may_have_it(tmp_path, image, chain, run):
    lines = [f"ARG BASE\nFROM {image} AS s0"]
    lines += [f"FROM s{i} AS s{i + 1}" for i in range(chain)]
    text = "\n".join(lines) + f"\nRUN {run}\n"
    findings = _ais002(text, tmp_path)
    assert [f.severity for f in findings] == (["error"] if image in KNOWN else ["warning"]), (text, findings)


# -- 3. WORKDIR, ENV PATH and COPY ---------------------------------------------------------------

PATH_DIRS = ["/usr/local/bin", "/usr/bin", "/opt/tools/bin", "/home/node/.local/bin"]


@st.composite
def copies(draw):
    """(Dockerfile, whether the COPY may put `claude` on PATH)."""
    target = draw(st.sampled_from(PATH_DIRS))
    extra = not target.startswith("/usr/")
    env = f"ENV PATH={target}:$PATH\n" if extra or draw(st.booleans()) else ""
    # Where the COPY lands: the PATH directory, its parent, or elsewhere; absolute or relative.
    where = draw(st.sampled_from(["dir", "parent", "elsewhere"]))
    dest_dir = {"dir": target, "parent": target.rsplit("/", 1)[0], "elsewhere": "/srv/app"}[where]
    source = draw(st.sampled_from(["tools/", ".", "bin/*"]))
    if draw(st.booleans()):
        workdir, dest = dest_dir, draw(st.sampled_from([".", "./"]))
    elif draw(st.booleans()):
        parent, child = dest_dir.rsplit("/", 1)
        workdir, dest = parent or "/", child + "/"
    else:
        workdir, dest = "/", dest_dir + "/"
    may = where != "elsewhere"  # (a glob may match a directory too)
    base = draw(st.booleans())  # ENV and WORKDIR in a base stage
    # The ENV before the COPY or after it: the files stay where they were copied either way.
    env_after = env and draw(st.booleans())
    head = f"{FOUNDATION.strip()} AS a\n{'' if env_after else env}WORKDIR {workdir}\n"
    if base:
        head += "FROM a\n"
    return head + f"COPY {source} {dest}\n{env if env_after else ''}RUN claude --version\n", may


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=copies())
def test_a_directory_copied_onto_path_resolved_against_workdir(tmp_path, case):
    text, may = case
    findings = _ais002(text, tmp_path)
    assert [f.severity for f in findings] == (["warning"] if may else ["error"]), (text, findings)


# -- 4. a COPY whose destination the rule cannot resolve ---------------------------------------


@st.composite
def unresolved_copies(draw):
    """(Dockerfile, whether the COPY may put `claude` on PATH): the COPY's destination spelled so
    that the rule cannot resolve it (a WORKDIR with a variable, `${D:-…}` or an escape and a
    relative destination, or a destination naming a variable), or a literal one for control."""
    target = draw(st.sampled_from(["/usr/local/bin", "/usr/bin", "/bin"]))
    parent, child = target.rsplit("/", 1)
    parent = parent or "/"
    source = draw(st.sampled_from(["claude", "out/claude", "claude tools/"]))
    control = draw(st.booleans())
    if control:  # a literal directory off PATH: the relative destination resolves, not on PATH
        head = f"WORKDIR {draw(st.sampled_from(['/app', '/srv/app', '/opt']))}\n"
        return head, f"COPY {source} {draw(st.sampled_from(['.', './', 'lib/']))}\n", False
    # Where the copy lands: the PATH directory (`.`, `./`) or `bin/` below its parent.
    into = draw(st.sampled_from(["dir", "child"]))
    d = target if into == "dir" else parent
    dest = draw(st.sampled_from([".", "./"])) if into == "dir" else child + "/"
    spelling = draw(st.sampled_from(["env", "arg", "braces", "default", "escape", "quoted", "dest"]))
    letters = [i for i, c in enumerate(d) if c.isalpha() and c not in "nrtbfv"]
    if spelling == "escape" and not letters:
        spelling = "env"  # (`/`: no letter to escape)
    if spelling == "env":
        head = f"ENV D={d}\nWORKDIR $D\n"
    elif spelling == "arg":
        head = f"ARG D={d}\nWORKDIR ${{D}}\n"
    elif spelling == "braces":
        head = f"ENV D={d}\nWORKDIR ${{D}}/\n"
    elif spelling == "default":
        head = f"WORKDIR ${{D:-{d}}}\n"
    elif spelling == "escape":
        k = draw(st.sampled_from(letters))
        head = f"WORKDIR {d[:k]}\\{d[k:]}\n"
    elif spelling == "quoted":
        head = f'ENV D={d}\nWORKDIR "$D"\n'
    else:  # the destination names the variable
        head = f"ENV D={target}\nWORKDIR {draw(st.sampled_from(['/', '/app']))}\n"
        dest = draw(st.sampled_from(["$D/", "${D}/", "$D/claude", "${D:-/usr/local/bin}/"]))
    return head, f"COPY {source} {dest}\n", True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=unresolved_copies(), base=st.booleans())
def test_a_copy_the_rule_cannot_resolve_may_put_the_harness_on_path(tmp_path, case, base):
    """`ENV D=/usr/local/bin` + `WORKDIR $D` + `COPY claude .`: BuildKit puts claude on PATH, so
    the RUN after it is no sure failure (a warning at most); a literal WORKDIR off PATH is."""
    head, copy, may = case
    text = f"{FOUNDATION.strip()} AS a\n{head}" + ("FROM a\n" if base else "") + f"{copy}RUN claude --version\n"
    findings = _ais002(text, tmp_path)
    assert [f.severity for f in findings] == (["warning"] if may else ["error"]), (text, findings)


@pytest.mark.parametrize(
    "head",
    [
        "ENV D=/usr/local/bin\nWORKDIR $D\n",
        "ARG D=/usr/local/bin\nWORKDIR ${D}\n",
        "WORKDIR ${D:-/usr/local/bin}\n",
        "WORKDIR /usr/lo\\cal/bin\n",
    ],
)
def test_the_red_team_workdirs_are_warnings(tmp_path, head):
    text = f"{FOUNDATION}{head}COPY claude .\nRUN claude -v\n"
    assert [f.severity for f in _ais002(text, tmp_path)] == ["warning"], text


# -- 5. a harness inside a word the shell reads as one -----------------------------------------

BASH = shutil.which("bash")
ARITHMETIC = ["$((1+1))", "$(( (1+2) * 3 ))", '"$((1))"', "x$((2))y", "$((1))$((2))", "$(( $(echo 1) + 1 ))"]


@st.composite
def one_word_scripts(draw):
    """A bash script where a harness name sits in (or after) a word with operator characters
    inside it that do not end it: arithmetic `$((…))`, an array assignment `a=(…)`, a process
    substitution `<(…)`. Some run the harness (`a=($(claude))`, `cat <(claude)`), most do not."""
    h = draw(st.sampled_from(["claude", "codex", "gemini", "opencode"]))
    data = draw(st.sampled_from([h, f"{h} x", f"x {h}", f'"{h}"', f"$({h})", f"$(echo {h})"]))
    shape = draw(st.sampled_from(["arithmetic", "array", "declare", "process"]))
    if shape == "arithmetic":
        word = draw(st.sampled_from(ARITHMETIC))
        cmd = draw(st.sampled_from([f"echo {word} {h}", f"printf '%s ' {word} {h}", f"x={word} true {h}"]))
    elif shape == "array":
        cmd = f"{draw(st.sampled_from(['a', 'tools', 'a+']))}=({data})"
    elif shape == "declare":
        cmd = f"{draw(st.sampled_from(['declare -a', 'typeset -a', 'readonly -a', 'declare']))} a=({data})"
    else:
        arrow = draw(st.sampled_from(["<", ">"]))
        cmd = f"cat {arrow}({data})" if arrow == "<" else f"true >({data})"
    before = draw(st.sampled_from(["", "true && ", "set -e; ", "true; "]))
    after = draw(st.sampled_from(["", " && true", "; echo $?"]))
    return before + cmd + after


def _bash_runs(script: str, options: list[str], tmp_path) -> tuple[bool, int]:
    """(whether bash runs a harness, bash's exit status): each harness a stub that fails."""
    stubs = tmp_path / "stubs"
    stubs.mkdir(exist_ok=True)
    mark = tmp_path / "ran"
    for h in ["claude", "codex", "gemini", "opencode"]:
        (stubs / h).write_text(f"#!/bin/sh\necho {h} >> {mark}\nexit 1\n")
        (stubs / h).chmod(0o755)
    mark.unlink(missing_ok=True)
    env = {"PATH": f"{stubs}:/usr/bin:/bin"}
    done = subprocess.run([BASH, *options, script], env=env, cwd=tmp_path, capture_output=True, timeout=10)
    subprocess.run(["sleep", "0.05"])  # (a process substitution may finish after bash)
    return mark.exists(), done.returncode


@pytest.mark.skipif(BASH is None, reason="no bash")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=one_word_scripts(), shell=st.sampled_from(["SHELL", "SHELL pipefail", "bash -c"]))
def test_a_harness_inside_one_word_runs_only_where_bash_runs_it(tmp_path, script, shell):
    """`echo $((1+1)) claude`, `declare -a a=(claude)`, `cat <(echo claude)`: claude is data (no
    finding); `cat <(claude)` runs it, but its status is lost (bash exits 0): no error."""
    if shell == "bash -c":
        options, run = ["-c"], "RUN bash -c '" + script.replace("'", "'\\''") + "'\n"
    else:
        options = ["-eo", "pipefail", "-c"] if "pipefail" in shell else ["-c"]
        run = "SHELL " + json.dumps(["/bin/bash", *options]) + "\nRUN " + script + "\n"
    findings = _ais002(FOUNDATION + run, tmp_path)
    runs, status = _bash_runs(script, options, tmp_path)
    if not runs:
        assert findings == [], (run, findings)
    elif status == 0:
        assert all(f.severity == "warning" for f in findings), (run, status, findings)


# -- 6. a project install, then a PATH that names node_modules/.bin -----------------------------

PROJECT_INSTALLS = [
    "npm install @anthropic-ai/claude-code",
    "npm i -D @anthropic-ai/claude-code",
    "pnpm add @anthropic-ai/claude-code",
    "yarn add @anthropic-ai/claude-code",
    "bun add @anthropic-ai/claude-code",
]
PATH_ENVS = [
    "ENV PATH=/app/node_modules/.bin:$PATH",
    'ENV PATH="/app/node_modules/.bin:${PATH}"',
    "ENV PATH=./node_modules/.bin:$PATH",
    "ENV PATH $PATH:/app/node_modules/.bin",
]
PATH_RUNS = [
    "PATH=node_modules/.bin:$PATH {}",
    "export PATH=$PWD/node_modules/.bin:$PATH && {}",
    'PATH="./node_modules/.bin:$PATH"; {}',
    "env PATH=/app/node_modules/.bin:/usr/bin:/bin {}",
    "export PATH=$PATH:/app/node_modules/.bin; set -e; {}",
]


@st.composite
def project_bins(draw):
    """(Dockerfile, whether `claude` may be in a node_modules/.bin that PATH names): a project
    install of it (or an `npm ci` of a package.json copied in), in an earlier RUN or the same
    one, and an ENV or an assignment in the RUN that puts node_modules/.bin on PATH; or one
    of the two alone (control)."""
    install = draw(st.sampled_from(["none", "named", "package.json"]))
    where = draw(st.sampled_from(["env", "run", "none"]))
    same_run = where == "run" and install == "named" and draw(st.booleans())
    lines = [FOUNDATION.strip(), "WORKDIR /app"]
    first = ""
    if install == "named":
        first = draw(st.sampled_from(PROJECT_INSTALLS))
    elif install == "package.json":
        lines.append(draw(st.sampled_from(["COPY package.json ./", "COPY package*.json ./", "COPY . ."])))
        first = draw(st.sampled_from(["npm ci", "npm install", "yarn install --frozen-lockfile", "pnpm install"]))
    if first and not same_run:
        lines.append(f"RUN {first}")
    call = "claude --version"
    if where == "env":
        lines.append(draw(st.sampled_from(PATH_ENVS)))
    elif where == "run":
        call = draw(st.sampled_from(PATH_RUNS)).format(call)
    lines.append(f"RUN {first} && {call}" if same_run else f"RUN {call}")
    return "\n".join(lines) + "\n", install != "none" and where != "none"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=project_bins())
def test_a_project_install_on_path_may_provide_the_harness(tmp_path, case):
    """`npm install @anthropic-ai/claude-code` then `ENV PATH=/app/node_modules/.bin:$PATH` and
    `RUN claude -v`: the build finds the local copy, so no error (as `npx claude` there)."""
    text, may = case
    findings = _ais002(text, tmp_path)
    assert [f.severity for f in findings] == (["warning"] if may else ["error"]), (text, findings)


# -- 7. a heredoc in the script: where its body ends decides what runs --------------------------

DELIMITERS = ["EOF", '"E\\OF"', "'E\\OF'", "E\\OF", '"E\\$F"', '"E\\\\F"', "E'O'F", '"\\EOF"', '"E$F"']
ENDINGS = ["EOF", "E\\OF", "E$F", "E\\$F", "E\\\\F", "\\EOF"]


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    delimiter=st.sampled_from(DELIMITERS),
    lines=st.lists(st.sampled_from(ENDINGS + ["H"]), min_size=1, max_size=4).filter(lambda ls: "H" in ls),
)
def test_a_heredoc_body_ends_where_the_shell_ends_it(tmp_path, delimiter, lines):
    """`cat <<"E\\OF" > /f`, then the lines `EOF`, `claude -v`, `E\\OF`: the body ends at `E\\OF`
    (in double quotes a backslash quotes only $ ` " \\ and a newline), so claude is data. dash
    says which lines run (claude a stub on PATH that leaves a mark): no finding unless it ran."""
    body = "cat <<" + delimiter + " > /dev/null\n" + "\n".join(lines) + "\necho done\n"
    text = FOUNDATION + "RUN <<SCRIPT\nset -e\n" + body.replace("H", "claude -v") + "SCRIPT\n"
    stubs = tmp_path / "stubs"
    stubs.mkdir(exist_ok=True)
    mark = tmp_path / "ran"
    (stubs / "claude").write_text(f"#!/bin/sh\necho ran > {mark}\n")
    (stubs / "claude").chmod(0o755)
    mark.unlink(missing_ok=True)
    env = {"PATH": f"{stubs}:/usr/bin:/bin"}
    subprocess.run([SH, "-c", body.replace("H", "claude -v")], env=env, capture_output=True, timeout=10)
    findings = _ais002(text, tmp_path)
    if not mark.exists():
        assert findings == [], (text, findings)


# -- 8. what AIS003 reads as a harness install puts the harness on PATH for AIS002 --------------

INSTALL_SPELLINGS = [
    "npm install -g {pkg}",
    "npm_config_global=true npm install {pkg}",
    "NPM_CONFIG_GLOBAL=true npm i {pkg}",
    "env npm_config_global=true npm install {pkg}",
    "export npm_config_global=true && npm install {pkg}",
    "export NPM_CONFIG_GLOBAL=1; npm add {pkg}",
    "npm_config_location=global npm install {pkg}",
    "npm_config_global=false npm install {pkg}",
    "npm install {pkg}",
    "sudo npm_config_global=true npm install {pkg}",
    "npm_config_global=true sudo npm install {pkg}",
]
PACKAGES_BY_EXE = {
    "claude": "@anthropic-ai/claude-code",
    "codex": "@openai/codex",
    "gemini": "@google/gemini-cli",
    "opencode": "opencode-ai",
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spelling=st.sampled_from(INSTALL_SPELLINGS),
    exe=st.sampled_from(sorted(PACKAGES_BY_EXE)),
    same_run=st.booleans(),
)
def test_an_install_ais003_reports_provides_the_harness_to_ais002(tmp_path, spelling, exe, same_run):
    """`npm_config_global=true npm install @anthropic-ai/claude-code && claude -v`: AIS003 reads a
    global install there, so the harness is on PATH after it and AIS002 has no error to report."""
    install = spelling.format(pkg=PACKAGES_BY_EXE[exe])
    run = f"RUN {install} && {exe} --version\n" if same_run else f"RUN {install}\nRUN {exe} --version\n"
    text = FOUNDATION + run
    opts = Options(select=["AIS003"], use_config=False)
    installs = lint_text(text, str(tmp_path / "Dockerfile"), opts).findings
    errors = [f for f in _ais002(text, tmp_path) if f.severity == "error"]
    assert not (installs and errors), (text, installs, errors)
    if not installs:
        assert errors, (text, "no install, so the harness is not there")


# -- 9. a package manager aishell does not read, installing a package of the harness's name -----

OTHER_INSTALLERS = [
    "brew install {p}",
    "brew install --cask {p}",
    "mise use -g {p}",
    "nix profile install nixpkgs#{p}",
    "pipx install {p}",
    "uv tool install {p}",
    "apt-get install -y {p}",
    "asdf install {p} latest",
    "cargo install {p}",
    "go install github.com/example/{p}@latest",
    "npm install -g github:example/{p}",
]
SPELLED = {
    "claude": ["claude-code", "claude", "npm:@anthropic-ai/claude-code", "npm:@anthropic-ai/claude-code@1.2"],
    "codex": ["codex", "npm:@openai/codex"],
    "gemini": ["gemini-cli", "gemini"],
    "opencode": ["opencode", "opencode-ai"],
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    installer=st.sampled_from(OTHER_INSTALLERS),
    exe=st.sampled_from(sorted(SPELLED)),
    data=st.data(),
    same_run=st.booleans(),
    other=st.booleans(),
)
def test_a_package_of_the_harness_name_may_provide_it(tmp_path, installer, exe, data, same_run, other):
    """`brew install --cask claude-code && claude -v` builds where brew has the cask: a warning,
    not an error; so does a package named after it (`claude-something`: the harnesses' own
    packages are named so, claude-code, gemini-cli, opencode-ai); one of another name
    (`ripgrep`) leaves the error."""
    package = data.draw(st.sampled_from(SPELLED[exe]))
    if "/{p}" in installer:  # (a path's last part: the plain name)
        package = package.rsplit("/", 1)[-1].rsplit(":", 1)[-1].split("@")[0]
    if data.draw(st.booleans()):
        package = package.replace("@1.2", "") + "-something"  # named after it
    if other:
        package = "ripgrep"
    install = installer.format(p=package)
    run = f"RUN {install} && {exe} --version\n" if same_run else f"RUN {install}\nRUN {exe} --version\n"
    findings = _ais002(FOUNDATION + run, tmp_path)
    assert [f.severity for f in findings] == (["error"] if other else ["warning"]), (run, findings)


# -- 10. what echo, printf or cat feed a shell: the script is their output -----------------------

FEEDS = [
    "echo {h}",
    "echo '#' {h}",
    "echo -n {h}",
    "echo x; echo {h}",
    "printf '%s\\n' {h}",
    "printf '#%s\\n' {h}",
    "printf 'echo %s\\n' {h}",
    "printf '%s -v\\n' {h} true",
    "printf '%s\\n' '#' {h}",
    "printf ': %s %s\\n' {h} x",
    "printf '{h}\\n'",
    "printf '%%s {h}\\n'",
    "printf '%5s\\n' {h}",
    "echo {h} > /dev/null",
    "echo {h} >&2",
    "printf '%s\\n' {h} 1>/dev/null",
    "echo {h} 2>/dev/null",
]
SHELLS_READING = ["sh", "sh -e", "bash", "bash -s --", "sh -n", "bash --version", "sh -s", "dash -en"]


@pytest.mark.skipif(SH is None or BASH is None, reason="no dash or bash")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(feed=st.sampled_from(FEEDS), shell=st.sampled_from(SHELLS_READING), h=st.sampled_from(["claude", "codex"]))
def test_a_shell_runs_what_its_feeder_writes(tmp_path, feed, shell, h):
    """`printf 'echo %s\\n' claude | sh` runs `echo claude`; `echo '#' claude | sh` a comment;
    `echo claude | sh -n` nothing: no error where the RUN passes. Judged by running it (dash as
    /bin/sh) with a stub harness that fails."""
    line = feed.format(h=h)
    if ";" in line:
        line = "{ " + line + "; }"
    script = f"{line} | {shell}"
    stubs = tmp_path / "stubs"
    stubs.mkdir(exist_ok=True)
    for name in ("claude", "codex"):
        (stubs / name).write_text("#!/bin/sh\nexit 1\n")
        (stubs / name).chmod(0o755)
    env = {"PATH": f"{stubs}:/usr/bin:/bin"}
    done = subprocess.run([SH, "-c", script], env=env, capture_output=True, timeout=10)
    findings = _ais002(FOUNDATION + f"RUN {script}\n", tmp_path)
    if done.returncode == 0:
        assert all(f.severity == "warning" for f in findings), (script, findings)


# -- an install whose package an expansion names ----------------------------------------------
#
# The class: `P=@anthropic-ai/claude-code && npm i -g $P && claude -v`, `for p in …; do npm i -g
# $p; done`, `npm i -g $(cat packages.txt)`, `apt-get install -y $PKGS`, `xargs npm i -g <
# packages.txt`, `$INSTALL @anthropic-ai/claude-code`: the package (or the installer) is a value
# the rule does not read, so the install may put the harness on PATH and the build may pass. Such
# a RUN (or a later one) running the harness is a warning at most, never an error.


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    setup=st.sampled_from(["P={pkg} && ", "export P={pkg}; ", "", "for P in tsx {pkg}; do "]),
    word=st.sampled_from(["$P", '"$P"', "${P}", "${P:-x}", "`cat p.txt`", '"$(cat p.txt)"']),
    installer=st.sampled_from(
        ["npm i -g", "npm install --global", "pnpm add -g", "yarn global add", "bun add -g", "apt-get install -y"]
    ),
    pkg=st.sampled_from(["@anthropic-ai/claude-code", "@openai/codex", "claude", "opencode-ai"]),
    harness=st.sampled_from(["claude -v", "codex --version", "opencode run x"]),
    later=st.booleans(),
    form=st.sampled_from(
        [
            "{installer} {word}",
            "{installer} {word}",
            "xargs {installer} < p.txt",
            "cat p.txt | xargs {installer}",
            "xargs -a p.txt {installer}",
            "$INSTALL {word}",
        ]
    ),
)
def test_an_install_of_a_package_an_expansion_names_may_provide_the_harness(
    tmp_path, setup, word, installer, pkg, harness, later, form
):
    body = form.format(installer=installer, word=word, pkg=pkg)
    install = setup.format(pkg=pkg) + body + ("; done" if setup.startswith("for") else "")
    run = f"RUN {install}\nRUN {harness}\n" if later else f"RUN {install} && {harness}\n"
    findings = _ais002("ARG P\n" + FOUNDATION + run, tmp_path)
    assert all(f.severity != "error" for f in findings), (run, [f.message for f in findings])
