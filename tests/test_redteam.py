"""Red-team round two (issue 18): new shapes of the issue's classes, as generating tests.

Each test builds a family of inputs of one class that the earlier suites
(test_fix_validity, test_migrate_robust, test_precision, test_recall, test_lint_inputs,
test_fuzz) do not generate; each failed when it was written, and proves the fix that
followed (config loading, flow-style config sections, Python encodings and form feeds,
heredoc words, AIS002 precision and recall, AIS101's fix, pragmas in heredoc bodies, many
fixes in one instruction, file names with control characters).
"""

from __future__ import annotations

import os
import subprocess

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint import Options, lint_text
from tests.conftest import aishell_command, run_cli

dockerfile = pytest.importorskip("dockerfile")

OPTS = Options(use_config=False)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


# -- config.yaml: any YAML value is a config error of one line, never a traceback ---------------

# Scalars PyYAML's constructors raise ValueError/OverflowError on (not YAMLError), or that
# str.isdigit() accepts and int() refuses, or that are unhashable where a choice is expected.
ODD_SCALARS = [
    "9" * 5000,  # an int over Python's 4,300-digit limit
    "'" + "9" * 5000 + ":1'",  # the same inside a port string
    "2001-13-45",  # a timestamp with month 13
    "2001-02-30",
    "'\u00b2:1'",  # '²' is a digit to isdigit(), not to int()
    "'\u0661\u0662:\u0661'",  # Arabic-Indic digits
    "0x" + "f" * 5000,
    "[1]",
    "{a: 1}",
    "!!binary 'A'",
    "!!float 'x'",
]
KEYS = [
    "ports",
    "mounts",
    "env",
    "claude_isolation",
    "extends",
    "docker_args",
    "pre_start",
    "harness_args",
    "detection",
    "pi_packages",
    "run",
    "legacy",
    "lint",
    "build",
]


@st.composite
def odd_configs(draw) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True)):
        value = draw(st.sampled_from(ODD_SCALARS))
        form = draw(st.integers(0, 2))
        if form == 0:
            lines.append(f"{key}: {value}")
        elif form == 1:
            lines.append(f"{key}:\n  - {value}")
        else:
            sub = draw(st.sampled_from(["ports", "isolation", "extends", "env", "x", "fail-level", "harnesses"]))
            lines.append(f"{key}:\n  {sub}: {value}")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(odd_configs())
def test_any_config_value_is_one_config_line_never_a_crash(tmp_path_factory, text):
    """Loading (lint, build, run), linting (AIS2xx) and migrating a config: success or one
    InputError line. ValueError from PyYAML's int/timestamp constructors, RecursionError from
    deep flow collections and TypeError from unhashable choices all crashed before."""
    from aishell.config import _load
    from aishell.config_lint import parse_config
    from aishell.config_migrate import migrate_config_text

    root = tmp_path_factory.mktemp("cfg")
    (root / ".aishell").mkdir()
    path = root / ".aishell" / "config.yaml"
    path.write_text(text)
    for call in (
        lambda: _load(str(root)),
        lambda: parse_config(text, str(path)),
        lambda: migrate_config_text(text, str(path)),
    ):
        try:
            call()
        except InputError as e:
            assert "\n" not in str(e), str(e)
            # Words for the config's author, not Python's advice to a programmer (red team r74).
            assert "sys." not in str(e) and "set_int_max" not in str(e), str(e)


@pytest.mark.parametrize(
    "text",
    [
        "ports:\n  - '" + "9" * 5000 + ":1'\n",
        "legacy:\n  built: 2001-13-45\n",
        "run: [1]\nmounts: [a]\n",
        "claude_isolation: [project]\n",
        "pi_packages: " + "[" * 1200 + "]" * 1200 + "\n",  # past the recursion limit
        "ports: 0x" + "f" * 5000 + "\n",  # loads; str() of it raised ValueError
        "mounts:\n  - \x07a\n",
    ],
    ids=["huge-port", "bad-date", "run-list", "unhashable-choice", "deep", "huge-hex", "control-char"],
)
def test_odd_config_through_the_command_is_one_line_exit_2(project, text):
    project.write(".aishell/config.yaml", text)
    project.write(".aishell/Dockerfile", "FROM aishell:foundation\n")
    for args in (("lint",), ("migrate", "--write", ".aishell/Dockerfile", ".aishell/config.yaml")):
        r = run_cli(*args, cwd=project, timeout=60)
        assert "Traceback" not in r.stderr, r.stderr[-800:]
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        errors = [ln for ln in r.stderr.splitlines() if "warning" not in ln]
        # The config is named, never the Dockerfile that happened to load it.
        assert errors and all("config.yaml" in ln for ln in errors), r.stderr


# -- config migrate: a flow-style run:/legacy: re-dumped loses nothing, or is refused -------------

FLOW_EXTRAS = [
    ("{ports: ['1:1'], # why\n  isolation: host}", False),
    ("{ports: &p ['1:1']}\nlegacy:\n  copy: *p", False),
    ("{ports: !!seq ['1:1']}", False),
    ("{env: {A: 'x # not a comment'}}", True),
    ('{env: {A: "x#y"}, isolation: host}', True),
    ("{}", True),
]


@pytest.mark.parametrize("run, migrates", FLOW_EXTRAS)
@pytest.mark.parametrize("legacy_key", ["mounts: [a]", "pi_packages: [x]"])
def test_flow_run_section_keeps_comments_anchors_and_tags_or_refuses(run, migrates, legacy_key):
    """`run: {…, # comment}` was rewritten to block style with the comment silently gone (the
    comment check compares whole comment lines only), and an anchor inside it became an
    'undefined alias' error. Now: migrated with every comment, or refused with one line."""
    from aishell.config_migrate import migrate_config_text

    text = f"run: {run}\n{legacy_key}\n"
    try:
        new, _ = migrate_config_text(text, ".aishell/config.yaml")
    except InputError as e:
        assert not migrates, e
        assert "\n" not in str(e) and "flow mapping" in str(e)
        return
    assert migrates, new
    assert isinstance(yaml.safe_load(new), dict)
    for comment in ("# why",):
        assert (comment in text) == (comment in new)


# -- Python: a statement after a form feed is rewritten (it is valid Python) --------------------

FF_PREFIXES = ["\x0c", "\x0c\x0c", " \x0c", "\x0c "]
FF_STATEMENTS = [
    "I = 'aishell:base'",
    'I = "aishell:base"',
    "f('aishell:base')",
    "D = {'image': 'aishell:base'}",
]


def test_a_statement_after_a_form_feed_is_rewritten(tmp_path):
    """PEP 8 page breaks: Python ignores \\f at the start of a line. `\\fI = 'aishell:base'` as
    the first line, or after any statement, is refused with 'unterminated string literal'
    (exit 2); the same without the \\f is rewritten."""
    from aishell.migration import migrate_file

    failures = []
    for prefix in FF_PREFIXES:
        for stmt in FF_STATEMENTS:
            for before in ("", "x = 1\n", "# c\n"):
                src = f"{before}{prefix}{stmt}\n"
                try:
                    compile(src, "a.py", "exec")  # only valid Python (`\f x` at top level is an indent)
                except SyntaxError:
                    continue
                p = tmp_path / "a.py"
                p.write_bytes(src.encode())
                try:
                    after = migrate_file(str(p), OPTS).after
                except InputError as e:
                    failures.append((src, str(e)[-120:]))
                    continue
                if after != src.replace("aishell:base", "aishell:foundation"):
                    failures.append((src, after))
    assert not failures, failures[:5]


# -- Python: a PEP 263 source in another encoding is not an input error -------------------------

COOKIES = [
    "# -*- coding: latin-1 -*-\n",
    "# coding=cp1252\n",
    "#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\n",
]
NON_UTF8 = [b"NAME = 'caf\xe9'\n", b"# \xa9 ACME\n", b"S = '\x93quoted\x94'\n"]


def test_a_python_file_in_its_declared_encoding_never_fails_the_run(tmp_path):
    """`aishell migrate --check .` (the pre-commit hook) exits 2 on any valid Latin-1 Python
    file in the tree, even one that never names the image: 'not valid UTF-8'. Python reads
    the coding cookie (PEP 263); so should migrate, or at least skip a file without the image."""
    failures = []
    for i, cookie in enumerate(COOKIES):
        for j, body in enumerate(NON_UTF8):
            src = cookie.encode() + body
            compile(src, "m.py", "exec")  # valid Python in its declared encoding
            folder = tmp_path / f"p{i}{j}"
            folder.mkdir()
            (folder / "m.py").write_bytes(src)
            r = run_cli("migrate", "--check", folder)
            if r.returncode != 0 or "Traceback" in r.stderr:
                failures.append((src, r.returncode, r.stderr.strip()[-120:]))
    assert not failures, failures[:4]


@pytest.mark.parametrize("cookie", COOKIES)
@pytest.mark.parametrize("body", NON_UTF8)
def test_a_python_file_in_its_declared_encoding_is_rewritten_in_it(tmp_path, cookie, body):
    """A source in its coding cookie's encoding that names the image: the literal is rewritten
    and every other byte stays as it was, in that encoding."""
    src = cookie.encode() + body + b"IMAGE = 'aishell:base'\n"
    compile(src, "m.py", "exec")
    p = tmp_path / "m.py"
    p.write_bytes(src)
    r = run_cli("migrate", "--write", p)
    assert r.returncode == 0, r.stderr
    assert p.read_bytes() == src.replace(b"aishell:base", b"aishell:foundation")


# -- parser: an empty heredoc word (<<'' or <<"") is not a heredoc to BuildKit -------------------


def _buildkit(text):
    try:
        return [(c.cmd.upper(), len(c.heredocs)) for c in dockerfile.parse_string(text)]
    except dockerfile.GoParseError:
        return None


def test_an_empty_heredoc_word_agrees_with_buildkit():
    """BuildKit takes `<<''` / `<<""` as plain words (no heredoc): the model refuses the file
    as an 'unterminated heredoc' (exit 2 for a file that builds) or swallows lines as a body."""
    from aishell.model import DockerfileSyntaxError, parse

    failures = []
    for keyword, tail in (("RUN cat", " > /f"), ("RUN", ""), ("COPY", " /f"), ("ADD", " /f"), ("RUN cat", "")):
        for word in ("''", '""'):
            for after in ("RUN echo ok\n", "\nRUN echo ok\n", ""):
                text = f"FROM debian\n{keyword} <<{word}{tail}\n{after}"
                want = _buildkit(text)
                if want is None:
                    continue
                try:
                    got = [(i.keyword.upper(), len(i.heredocs)) for i in parse(text).instructions]
                except DockerfileSyntaxError as e:
                    got = f"refused: {e}"
                if got != want:
                    failures.append((text, want, got))
    # A BOM inside the word: BuildKit's shell lexer drops U+FEFF, so `<<\ufeffEOF` is heredoc EOF.
    for keyword in ("COPY", "RUN cat", "ADD"):
        text = f"FROM debian\n{keyword} <<\ufeffEOF /f\nx\nEOF\nRUN echo ok\n"
        want = _buildkit(text)
        try:
            got = [(i.keyword.upper(), len(i.heredocs)) for i in parse(text).instructions]
        except DockerfileSyntaxError as e:
            got = f"refused: {e}"
        if want is not None and got != want:
            failures.append((text, want, got))
    assert not failures, failures[:4]


# -- AIS002 precision: a harness the Dockerfile itself puts on PATH is no build-blocking error ---

# Ways a Dockerfile makes `claude` exist before running it (in the same RUN or an earlier step).
PROVIDERS = [
    ("COPY claude /usr/local/bin/claude\n", ""),
    ("COPY --from=builder /out/claude /usr/local/bin/\n", ""),
    ("ADD https://example.com/claude /usr/local/bin/claude\n", ""),
    ("", "curl -fsSL https://example.com/claude -o /usr/local/bin/claude && chmod +x /usr/local/bin/claude && "),
    ("", "ln -s /bin/true /usr/local/bin/claude && "),
    ("", "claude() { echo stub; }; "),
    ("", "npm install -g ./anthropic-ai-claude-code-1.0.0.tgz && "),
    ("RUN printf '#!/bin/sh\\n' > /usr/local/bin/claude && chmod +x /usr/local/bin/claude\n", ""),
]
# Paths that name a file in the image, not the harness from the volume.
LOCAL_PATHS = ["./claude --version", "node_modules/.bin/claude --version", "/app/bin/claude --version"]


def _errors(text, tmp_path):
    findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings
    return [f for f in findings if f.severity == "error"]


def test_a_harness_the_dockerfile_provides_is_no_error(tmp_path):
    """AIS002 is an error ('the build would fail') for `claude --version` after the Dockerfile
    copied, downloaded, linked or defined `claude` itself; all of these build. AIS004 already
    counts such steps (a download to /usr/local/bin/bbin, COPY --from=… /uv)."""
    failures = []
    for step, prefix in PROVIDERS:
        for use in ("claude --version", "sudo -u node claude --version"):
            text = f"FROM aishell:foundation\n{step}RUN {prefix}{use}\n"
            assert _buildkit(text) is not None
            if _errors(text, tmp_path):
                failures.append(text)
    for use in LOCAL_PATHS:
        text = f"FROM aishell:foundation\nCOPY . /app\nWORKDIR /app\nRUN npm ci && {use}\n"
        if _errors(text, tmp_path):
            failures.append(text)
    assert not failures, failures


# -- AIS002 recall: shapes that really run the harness and are not seen ---------------------------

RUNS_HARNESS = [
    "RUN cat <<EOF | sh\nclaude --version\nEOF\n",
    "RUN cat <<'EOF' | bash -s --\nclaude --version\nEOF\n",
    "RUN cat <<A > /a && bash <<B\nhello\nA\nclaude --version\nB\n",
    # (A here-string is bash's: dash, the default SHELL's, refuses it and runs nothing, r70.)
    'SHELL ["/bin/bash", "-c"]\nRUN bash <<< \'claude --version\'\n',
    "RUN chroot / claude --version\n",
    "RUN doas -u node claude --version\n",
    "RUN setpriv --reuid=1000 claude --version\n",
    "RUN unshare -r claude --version\n",
    "RUN flock /tmp/l claude --version\n",
    "RUN ionice -c3 claude --version\n",
]
# (`find -exec claude …` is reported as a warning: find's status is not the command's;
# tests/test_recall.py.)


def test_a_harness_run_through_these_shapes_is_an_error(tmp_path):
    """Each of these runs `claude` at build time (the build fails with 'not found'); AIS002
    reports none of them."""
    missed = [t for t in RUNS_HARNESS if not _errors("FROM aishell:foundation\n" + t, tmp_path)]
    assert not missed, missed


# -- AIS101: the manifests-first COPY must hold what the install reads -----------------------------

# (context files, install command, files the install reads besides the manifest it names)
NEEDS = [
    (
        {"requirements.txt": "-r base.txt\nflask\n", "base.txt": "requests\n"},
        "pip install -r requirements.txt",
        ["base.txt"],
    ),
    (
        {"requirements.txt": "-c constraints.txt\nflask\n", "constraints.txt": "flask==3\n"},
        "pip install -r requirements.txt",
        ["constraints.txt"],
    ),
    (
        {"requirements.txt": "--requirement more.txt\n", "more.txt": "flask\n"},
        "pip install -r requirements.txt",
        ["more.txt"],
    ),
    (
        {
            "package.json": "{}",
            "yarn.lock": "",
            ".yarnrc.yml": "yarnPath: .yarn/releases/yarn-4.cjs\n",
            ".yarn/releases/yarn-4.cjs": "x",
        },
        "yarn install --immutable",
        [".yarn/releases/yarn-4.cjs"],
    ),
    (
        {"package.json": '{"workspaces": ["pkgs/*"]}', "package-lock.json": "{}", "pkgs/a/package.json": "{}"},
        "npm ci",
        ["pkgs/a/package.json"],
    ),
    (
        {
            "package.json": "{}",
            "pnpm-lock.yaml": "",
            "pnpm-workspace.yaml": "packages: ['pkgs/*']\n",
            "pkgs/a/package.json": "{}",
        },
        "pnpm install --frozen-lockfile",
        ["pkgs/a/package.json"],
    ),
    (
        {"Gemfile": "source 'https://rubygems.org'\ngemspec\n", "Gemfile.lock": "", "x.gemspec": ""},
        "bundle install",
        ["x.gemspec"],
    ),
    (
        {"Cargo.toml": "[package]\nname = 'x'\n", "Cargo.lock": "", "src/main.rs": "fn main() {}\n"},
        "cargo fetch",
        ["src/main.rs"],
    ),
    ({"req[1].txt": "flask\n"}, "pip install -r 'req[1].txt'", []),
    ({"req?.txt": "flask\n", "reqs.txt": "other\n"}, "pip install -r 'req?.txt'", []),
]


def _copied(sources: list[str], name: str) -> bool:
    """Whether COPY sources (Go filepath.Match patterns, as BuildKit reads them) take in ``name``."""
    import fnmatch

    return any(fnmatch.fnmatchcase(name, s.rstrip("/")) or name.startswith(s.rstrip("/") + "/") for s in sources)


def test_the_ais101_fix_copies_what_the_install_reads_or_is_not_offered(tmp_path):
    """After `migrate --write --unsafe-fixes`, the install runs before `COPY . .` with only
    the COPY the fix wrote: `-r base.txt` inside requirements.txt, yarn's yarnPath, workspace
    members, a Gemfile's gemspec, a crate's targets are missing and the build fails; a
    manifest named `req[1].txt` is written as a glob that does not match it (COPY fails)."""
    from aishell.migration import fix_text

    failures = []
    for k, (files, install, needed) in enumerate(NEEDS):
        folder = tmp_path / f"c{k}"
        for rel, content in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(content)
        text = f"FROM debian\nWORKDIR /app\nCOPY . .\nRUN {install}\n"
        path = str(folder / "Dockerfile")
        (folder / "Dockerfile").write_text(text)
        result = fix_text(text, path, OPTS, unsafe=True)
        if result.text == text:
            continue  # no fix offered: fine
        cmds = dockerfile.parse_string(result.text)
        run_at = next(i for i, c in enumerate(cmds) if c.cmd.upper() == "RUN")
        sources = [s for c in cmds[:run_at] if c.cmd.upper() == "COPY" for s in c.value[:-1]]
        manifests = [m for m in files if m in install]
        missing = [n for n in needed + manifests if not _copied(sources, n)]
        if missing:
            failures.append((install, sources, missing))
    assert not failures, failures


# -- file names with control characters: the diff still applies, the terminal gets no raw escapes ---

CONTROL_NAMES = [b"a\nb", b"d\te", b"x\x1b[2Jy", b"r\rs"]


def _tree(root, names):
    for name in names:
        folder = os.path.join(os.fsencode(root), name)
        os.makedirs(folder)
        with open(os.path.join(folder, b"Dockerfile"), "w") as f:
            f.write("FROM aishell:base\n")


def test_the_diff_applies_for_any_file_name(tmp_path):
    """`aishell migrate > fix.patch && git apply fix.patch`: a folder name holding a newline
    splits the `--- a/…` header over two lines, a tab ends it early (git reads the rest as a
    timestamp). git writes such paths C-quoted ("a/a\\nb/Dockerfile") and reads them back."""
    import shutil

    if not shutil.which("git"):
        pytest.skip("git is not installed")
    failures = []
    for name in CONTROL_NAMES:
        root = tmp_path / f"t{CONTROL_NAMES.index(name)}"
        root.mkdir()
        _tree(root, [name])
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        r = run_cli("migrate", ".", cwd=root)
        assert r.returncode == 1, r.stderr
        apply = subprocess.run(
            ["git", "apply", "--check", "-"], cwd=root, input=r.stdout, capture_output=True, text=True
        )
        if apply.returncode != 0:
            failures.append((name, apply.stderr.strip()[:200]))
    assert not failures, failures


def test_file_names_never_put_control_characters_on_the_terminal(tmp_path):
    """A cloned repository names a folder `x\\x1b[2Jy`: `aishell lint` (text) and `aishell
    migrate --check` print the ESC sequence raw (the terminal clears), and a newline in a name
    splits one finding's line in two. Expected: quoted/escaped as git does."""
    _tree(tmp_path, CONTROL_NAMES)
    leaks = []
    for args in (("lint", "."), ("migrate", "--check", "."), ("migrate", "--write", ".")):
        r = run_cli(*args, cwd=tmp_path)
        for ch in ("\x1b",):
            if ch in r.stdout or ch in r.stderr:
                leaks.append((args, repr(ch)))
        if any(ln.startswith("b/Dockerfile") or ln == "b/Dockerfile" for ln in r.stdout.splitlines()):
            leaks.append((args, "newline"))
    assert not leaks, leaks


# -- suppression: a heredoc body line is script text, not a Dockerfile comment ---------------------

HEREDOC_HOSTS = [
    "RUN <<EOF\n{}\necho ok\nEOF\n",
    "RUN cat > /etc/motd <<'EOF'\n{}\nEOF\n",
    "COPY <<EOF /notes.txt\n{}\nEOF\n",
    "ADD <<-EOF /notes.txt\n\t{}\n\tEOF\n",
    "RUN python3 - <<'PY'\n{}\nprint(1)\nPY\n",
]


def test_a_pragma_inside_a_heredoc_body_suppresses_nothing(tmp_path):
    """`# aishell: ignore-file=AIS001` written into a file by `COPY <<EOF` (or a shell
    comment in a RUN script) switches the build-blocking AIS001 off for the whole Dockerfile.
    `ignore=` in the same place already does nothing; BuildKit keeps those lines as the
    heredoc's content, not as comments."""
    leaked = []
    for host in HEREDOC_HOSTS:
        for pragma in ("# aishell: ignore-file=AIS001", "# aishell: ignore-file=AIS001,AIS002 x"):
            text = "FROM aishell:base\n" + host.format(pragma)
            body = [h.content for c in dockerfile.parse_string(text) for h in c.heredocs]
            assert any(pragma in b for b in body), text  # BuildKit: the line is heredoc content
            codes = [f.code for f in lint_text(text, str(tmp_path / "Dockerfile"), OPTS).findings]
            if "AIS001" not in codes:
                leaked.append(text)
    assert not leaked, leaked


# -- time: many fixes inside one instruction ------------------------------------------------------


@pytest.mark.parametrize("piece", ["claude --version"])
def test_many_harness_commands_in_one_run_migrate_in_linear_time(tmp_path, piece):
    """A 46 KB Dockerfile: one RUN of 2,000 `&& claude --version` lines. `migrate
    --unsafe-fixes` took 17 s at 1,250 and 48 s at 2,500 (quadratic or worse: each of the
    fixes overlaps the others, so each pass applies one and re-lints the file); lint alone
    takes 0.5 s. Guard: 10 s, ten times a linear run's time."""
    text = "FROM aishell:foundation\nRUN " + " \\\n && ".join([piece] * 2000) + "\n"
    (tmp_path / "Dockerfile").write_text(text)
    try:
        r = run_cli("migrate", "--unsafe-fixes", tmp_path / "Dockerfile", timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("migrate --unsafe-fixes took over 10 s")
    assert r.returncode in (0, 1, 2) and "Traceback" not in r.stderr


def test_quote_path_is_what_git_writes_and_reads():
    """errors.quote_path against git itself: for names with every control byte, quotes,
    backslashes and bytes that are not UTF-8, `git ls-files` (core.quotePath) prints the same
    text; a name without controls is unchanged."""
    import shutil

    from aishell.errors import quote_path

    if not shutil.which("git"):
        pytest.skip("git is not installed")
    assert quote_path("plain/é x/Dockerfile") == "plain/é x/Dockerfile"
    names = [bytes([b]) + b'q"\\\xc3\xa9' for b in list(range(1, 32)) + [127]] + [b"n\xffq\x01", b"c\xc2\x9bx"]
    import tempfile

    with tempfile.TemporaryDirectory() as root:
        subprocess.run(["git", "init", "-q", root], check=True)
        for n in names:
            with open(os.path.join(os.fsencode(root), n), "wb"):
                pass
        subprocess.run(["git", "-C", root, "add", "-A"], check=True)
        listed = subprocess.run(["git", "-C", root, "ls-files"], capture_output=True, check=True).stdout
    want = sorted(listed.decode("ascii").splitlines())
    assert sorted(quote_path(os.fsdecode(n)) for n in names) == want


@pytest.mark.parametrize(
    "where, counts",
    [
        ("{}\nFROM aishell:base\n", True),
        ("\ufeff{}\nFROM aishell:base\n", True),
        ("FROM aishell:base\n   {}\n", True),
        ("FROM aishell:base\nRUN echo a \\\n{}\n  b\n", True),  # a comment line inside a continued RUN
        ("FROM aishell:base\nRUN echo hi {}\n", False),  # mid-line: the RUN's text (a shell comment)
        ('FROM aishell:base\nLABEL x="1 {}"\n', False),
        ("FROM aishell:base\nRUN <<EOF\necho\n  {}\nEOF\n", False),
    ],
)
def test_ignore_file_counts_on_a_comment_line_only(tmp_path, where, counts):
    for pragma in ("# aishell: ignore-file=AIS001", "#aishell:ignore-file=ais001, AIS002 why"):
        text = where.format(pragma)
        codes = [f.code for f in lint_text(text, str(tmp_path / "Dockerfile"), OPTS).findings]
        assert ("AIS001" not in codes) == counts, text


@pytest.mark.parametrize("cookie", COOKIES)
@pytest.mark.parametrize("body", NON_UTF8)
def test_the_diff_of_a_python_file_in_another_encoding_applies_as_written(tmp_path, cookie, body):
    """`aishell migrate` (no --write) prints a diff `git apply` takes: the source's lines in its
    own encoding, so applying it gives the bytes --write would write."""
    src = cookie.encode() + body + b"IMAGE = 'aishell:base'\n" + body
    p = tmp_path / "m.py"
    p.write_bytes(src)
    r = subprocess.run([*aishell_command(), "migrate", "m.py"], cwd=tmp_path, capture_output=True)
    assert r.returncode == 1, r.stderr
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    a = subprocess.run(["git", "apply", "-"], cwd=tmp_path, input=r.stdout, capture_output=True)
    assert a.returncode == 0, a.stderr
    assert p.read_bytes() == src.replace(b"aishell:base", b"aishell:foundation")
