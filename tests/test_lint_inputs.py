"""Bad input is one line and a documented exit code, never a traceback (issue 18), by class:

- ENV/LABEL words joined by any character (the model splits as BuildKit does, and key_values
  never raises after the model accepted a file);
- the config's `lint:` section with keys and values of every YAML type (`on:` reads as True);
- SARIF for paths of any bytes, inside and outside the current folder;
- context files the rules read that are not regular files (FIFOs, devices, folders, dangling
  links): never opened, so never a hang;
- a folder the walk cannot list: an input error naming it, exit 2;
- a bad config.yaml: one line, however many files reach it;
- a FIFO, device or socket swapped in after the stat: refused once open, never read.
"""

import io
import json
import os
import stat
import subprocess
from urllib.parse import unquote_to_bytes

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.context import BuildContext
from aishell.errors import InputError
from aishell.lint import Options, lint_paths, lint_text
from tests.conftest import SAMPLES, aishell_command, run_cli

dockerfile = pytest.importorskip("dockerfile")

SEPARATORS = st.one_of(
    st.sampled_from(["\x1c", "\x1d", "\x1e", "\x1f", "\xa0", "\x85", "\u2003", "\u3000", "\u2028", "\v", "\f", "\t"]),
    # No NUL: the reference passes C strings (it would cut the file there), and aishell refuses NUL files.
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\n\r\\\"'"),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sep=SEPARATORS,
    keyword=st.sampled_from(["ENV", "LABEL"]),
    form=st.sampled_from(["X=$BUILD_DATE{}Y", "X=a{}Y=b", "X {}Y"]),
)
def test_env_and_label_words_never_crash_and_agree_with_buildkit(tmp_path, sep, keyword, form):
    text = f"FROM debian\nARG BUILD_DATE\n{keyword} {form.format(sep)}\nRUN apt-get update\n"
    try:
        dockerfile.parse_string(text)
        accepted = True
    except dockerfile.GoParseError:
        accepted = False
    except UnicodeDecodeError:
        return  # the reference cannot answer (see test_fuzz)
    try:
        lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
    except InputError as e:
        assert not accepted, f"BuildKit accepts {text!r}, the model refused: {e}"
        return
    assert accepted, f"BuildKit refuses {text!r}, the model accepted it"


YAML_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.sampled_from(["select", "ignore", "severity", "fail-level", "AIS001", "error", "ALL"]),
)
YAML_VALUES = st.recursive(
    YAML_SCALARS, lambda v: st.lists(v, max_size=3) | st.dictionaries(YAML_SCALARS, v, max_size=3), max_leaves=6
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lint=st.dictionaries(YAML_SCALARS, YAML_VALUES, max_size=4))
def test_any_lint_section_is_accepted_or_one_config_error(tmp_path, lint):
    from aishell.config import _load
    from aishell.errors import ConfigError

    (tmp_path / ".aishell").mkdir(exist_ok=True)
    try:
        text = yaml.safe_dump({"lint": lint})
    except yaml.YAMLError:
        return
    (tmp_path / ".aishell" / "config.yaml").write_text(text)
    try:
        _load(str(tmp_path))
    except ConfigError as e:
        assert "\n" not in str(e)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["AIS001", "AIS002", "AIS103"]).flatmap(
                lambda c: st.lists(st.booleans(), min_size=len(c), max_size=len(c)).map(
                    lambda up: "".join(ch.upper() if u else ch.lower() for ch, u in zip(c, up))
                )
            ),
            st.sampled_from(["info", "warning", "error"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_rule_given_two_severities_is_one_config_error(tmp_path, pairs):
    """`AIS001` and `ais001` are one rule: two keys for it in `lint.severity` (YAML keeps both)
    are refused, whichever their order and spelling; one key per rule is read."""
    from aishell.config import _load
    from aishell.errors import ConfigError

    (tmp_path / ".aishell").mkdir(exist_ok=True)
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        return  # (an exact repeat is YAML's duplicate key: its own test)
    body = "".join(f"    {k}: {v}\n" for k, v in pairs)
    (tmp_path / ".aishell" / "config.yaml").write_text("lint:\n  severity:\n" + body)
    rules = {k.upper() for k in keys}
    try:
        cfg = _load(str(tmp_path))
    except ConfigError as e:
        assert len(rules) < len(keys) and "again" in str(e), e
        return
    assert len(rules) == len(keys)
    assert cfg.lint.severity == {k.upper(): v for k, v in pairs}


def test_on_as_a_key_is_one_line(project):
    project.write(".aishell/config.yaml", "lint:\n  on: true\n  select: [AIS001]\n")
    project.write(".aishell/Dockerfile", "FROM aishell:base\n")
    r = run_cli("lint", cwd=project)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "boolean" in r.stderr


NAMES = st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b".."))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES)
def test_sarif_for_any_folder_name(tmp_path_factory, name):
    from aishell.reporters import report

    root = tmp_path_factory.mktemp("sarif")
    folder = os.path.join(os.fsencode(root), b"in", name)
    os.makedirs(folder)
    with open(os.path.join(folder, b"Dockerfile"), "w") as f:
        f.write("FROM aishell:base\n")
    old = os.getcwd()
    try:
        for cwd, expect_relative in (
            (os.path.join(os.fsencode(root), b"in"), True),
            (os.fsencode(root), True),
            (os.path.join(os.fsencode(root), b"other"), False),
        ):
            os.makedirs(cwd, exist_ok=True)
            os.chdir(cwd)
            target = os.path.relpath(folder, cwd)
            result = lint_paths([os.fsdecode(target)], Options(use_config=False))
            out = io.StringIO()
            report(result, "sarif", out)
            doc = json.loads(out.getvalue())
            loc = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            if expect_relative:
                assert loc["uriBaseId"] == "%SRCROOT%"
                assert unquote_to_bytes(loc["uri"]) == os.path.join(target, b"Dockerfile")
                base = doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
                assert unquote_to_bytes(base) == b"file://" + os.path.realpath(cwd).rstrip(
                    b"/"
                ) + b"/" or base.endswith("/")
            else:  # `../in/x/Dockerfile`: outside the current folder, an absolute URI
                assert "uriBaseId" not in loc and loc["uri"].startswith("file:///")
                assert unquote_to_bytes(loc["uri"]).endswith(os.path.join(name, b"Dockerfile"))
    finally:
        os.chdir(old)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_format_prints_a_non_utf8_path(tmp_path, fmt):
    folder = os.path.join(os.fsencode(tmp_path), b"x\xff")
    os.mkdir(folder)
    with open(os.path.join(folder, b"Dockerfile"), "w") as f:
        f.write("FROM aishell:base\n")
    r = subprocess.run([*aishell_command(), "lint", "--format", fmt, b"x\xff"], cwd=tmp_path, capture_output=True)
    assert r.returncode == 1 and b"Traceback" not in r.stderr, r.stderr
    # the name, as bytes or escaped (text: quoted as git quotes it, `"x\377/Dockerfile"`)
    assert b"x\xff" in r.stdout or b"x%FF" in r.stdout or b"x\\udcff" in r.stdout or b'"x\\377/' in r.stdout


def _make(kind: str, path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", path)
    elif kind == "folder":
        os.mkdir(path)
    elif kind == "dangling":
        os.symlink(path + ".nowhere", path)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "dangling"])
@pytest.mark.parametrize(
    "rel, dockerfile_text",
    [
        ("requirements.txt", "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"),
        ("reqs/base.txt", "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install -r reqs/base.txt\n"),
        ("package.json", "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"),
        (".dockerignore", "FROM node\nCOPY . /app\n"),
        ("Dockerfile.dockerignore", "FROM node\nCOPY . /app\n"),
    ],
)
def test_context_files_that_are_not_regular_are_never_read(tmp_path, kind, rel, dockerfile_text):
    (tmp_path / "Dockerfile").write_text(dockerfile_text)
    (tmp_path / "node_modules").mkdir()
    _make(kind, str(tmp_path / rel))
    r = subprocess.run(
        [*aishell_command(), "lint", "--format", "json", str(tmp_path / "Dockerfile")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )  # a hang (a FIFO opened) fails, not blocks
    assert r.returncode in (0, 1, 2) and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.count("\n") <= 1
    if r.returncode == 2:
        assert os.path.basename(rel) in r.stderr


def test_a_folder_that_cannot_be_listed_is_an_input_error(tmp_path):
    """os.walk cannot list a folder whose path is over PATH_MAX (as root, the one way to make a
    folder unreadable): one line naming it, exit 2, the rest still linted."""
    (tmp_path / "Dockerfile").write_text("FROM aishell:base\n")
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(20):  # 20 x 250 characters: past PATH_MAX (4096)
            os.mkdir("d" * 250, dir_fd=fd)
            nxt = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nxt
        with open(os.open("Dockerfile", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
            f.write("FROM aishell:base\n")
    finally:
        os.close(fd)
    r = run_cli("lint", ".", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "folder not read" in lines[0]
    assert "AIS001" in r.stdout  # the readable Dockerfile was still linted


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder; the PATH_MAX test covers the class")
def test_a_folder_without_permission_is_an_input_error(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "Dockerfile").write_text("FROM aishell:base\n")
    sub.chmod(0)
    try:
        r = run_cli("lint", tmp_path)
    finally:
        sub.chmod(stat.S_IRWXU)
    assert r.returncode == 2 and "folder not read: permission denied" in r.stderr


# -- regression tests from hostile inputs (issue 11), kept with the module they test --------------
from tests.conftest import run_bounded, one_line  # noqa: E402


# -- crashes and hangs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "FROM x\nRUN <<EOF\n#!\nclaude --version\nEOF\n",
        "FROM x\nRUN echo `claude --version\n",
        "FROM x\nRUN echo $(claude --version\n",
        'FROM x\nRUN echo "$(\n',
        "FROM x\nRUN echo " + "$(" * 1000 + "claude" + ")" * 1000 + "\n",
        'FROM x\nRUN bash -c "' + "$(" * 300 + "true" + ")" * 300 + '"\n',
    ],
)
def test_shell_constructs_buildkit_accepts_never_crash(tmp_path, text):
    f = tmp_path / "Dockerfile"
    f.write_text(text)
    r = run_bounded("lint", "--format", "json", f)
    assert r.returncode in (0, 1), r.stderr
    assert "Traceback" not in r.stderr
    json.loads(r.stdout)


@pytest.mark.parametrize("color", [True, False])
def test_source_text_is_printed_verbatim(tmp_path, color):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nRUN sed -i 's/\\[mysqld\\]/[client]/' /etc/my.cnf && claude --version\n")
    r = run_bounded("lint", f, env={"FORCE_COLOR": "1"} if color else {"NO_COLOR": "1"})
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "s/\\[mysqld\\]/[client]/" in r.stdout


def test_the_caret_keeps_the_lines_tabs(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nRUN\techo a &&\tclaude --version\n")
    r = run_bounded("lint", f)
    lines = r.stdout.splitlines()
    src = next(i for i, ln in enumerate(lines) if ln.startswith("2 |"))
    assert lines[src + 1] == "  | " + "   \t" + " " * len("echo a &&") + "\t" + "^" * len("claude")


def test_fifo_and_devices_are_refused_or_skipped_never_read(tmp_path):
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "Dockerfile").write_text("FROM aishell:base\n")
    os.mkfifo(tmp_path / "good" / "Dockerfile.fifo")
    r = run_bounded("lint", tmp_path / "good")  # found while walking: skipped with a note
    assert r.returncode == 1 and "AIS001" in r.stdout
    assert "Dockerfile.fifo: skipped, not a regular file" in r.stderr
    r = run_bounded("lint", tmp_path / "good" / "Dockerfile.fifo")  # named: one line, exit 2
    assert r.returncode == 2 and "not a regular file (a FIFO)" in one_line(r)
    r = run_bounded("lint", "/dev/zero")
    assert r.returncode == 2 and "character device" in one_line(r)


def test_a_fifo_config_is_one_line(tmp_path):
    (tmp_path / ".aishell").mkdir()
    os.mkfifo(tmp_path / ".aishell" / "config.yaml")
    (tmp_path / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    r = run_bounded("lint", cwd=tmp_path)
    assert r.returncode == 2 and "config.yaml: not a regular file" in one_line(r)


def test_a_broken_dockerfile_specific_ignore_file_is_one_line(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nCOPY . /app\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile.dockerignore").mkdir()
    for cmd in (("lint",), ("migrate", "--write")):
        r = run_bounded(*cmd, f)
        assert r.returncode == 2, r.stderr
        assert "Dockerfile.dockerignore" in one_line(r)
    assert f.read_text() == "FROM aishell:foundation\nCOPY . /app\n"


@pytest.mark.parametrize("specific", [True, False])
@pytest.mark.parametrize("root_file", [None, ".git\n"])
def test_an_ignore_file_linked_to_nothing_is_no_ignore_file(tmp_path, specific, root_file):
    """BuildKit reads the ignore file and takes any error as none (Docker's CLI and docker-py
    take "no such file" so): a `.dockerignore` or `Dockerfile.dockerignore` that is a link to
    nothing is as if absent (the specific one falls back to the root's), never an input error
    that blocks `aishell build`; nothing is written through the link."""
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nCOPY . /app\n")
    (tmp_path / ".git").mkdir()
    if specific:
        (tmp_path / "Dockerfile.dockerignore").symlink_to(tmp_path / "nowhere")
        if root_file is not None:
            (tmp_path / ".dockerignore").write_text(root_file)
    else:
        (tmp_path / ".dockerignore").symlink_to("nowhere")
    bc = BuildContext.for_dockerfile(str(f))
    expect = str(tmp_path / ".dockerignore") if specific and root_file is not None else None
    assert bc.ignore_file == expect
    r = run_bounded("lint", "--format", "json", f)
    assert r.returncode in (0, 1) and not r.stderr, r.stderr
    found = [x["code"] for x in json.loads(r.stdout)]
    assert found == ([] if expect else ["AIS103"])
    r = run_bounded("migrate", "--write", f)
    assert r.returncode == 0, r.stderr
    assert f.read_text() == "FROM aishell:foundation\nCOPY . /app\n"
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("name", ["Dockerfile", ".dockerignore", ".aishell/config.yaml", "app.py"])
def test_a_file_over_the_size_limit_is_one_line_never_read_whole(tmp_path, name, monkeypatch):
    """A sparse file of gigabytes named like an input (a Dockerfile, an ignore file, a config, a
    Python source) is refused by its size (MAX_FILE_BYTES), one line and exit 2, before a read:
    it was read whole first (2 GB: 7.6 s and 2.1 GB of memory). The others are still linted."""
    from aishell.errors import MAX_FILE_BYTES

    (tmp_path / ".aishell").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "Dockerfile").write_text("FROM aishell:base\n")
    if name != "Dockerfile":
        (tmp_path / "Dockerfile").write_text("FROM aishell:foundation\nCOPY . /app\n")
    big = tmp_path / name
    with open(big, "wb") as out:
        out.truncate(4 << 30)  # (sparse: no disk, no memory)
    assert big.stat().st_size > MAX_FILE_BYTES
    cmd = ("migrate",) if name == "app.py" else ("lint",)
    r = run_bounded(*cmd, tmp_path / name if name == "app.py" else tmp_path, tmp_path / "other")
    assert r.returncode == 2, (r.returncode, r.stderr)
    line = one_line(r)
    assert "too large" in line and os.path.basename(name) in line and "Traceback" not in r.stderr
    if name != ".aishell/config.yaml":  # (the project's config: a config error stops its lint)
        assert "other/Dockerfile" in r.stdout  # (still linted: AIS001's finding, or its diff)


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    """The size is asked before the read and the read takes at most one byte past the limit: a
    file grown after the stat is refused too, never read whole."""
    from aishell import errors

    monkeypatch.setattr(errors, "MAX_FILE_BYTES", 100)
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\n")
    real = errors.open_regular

    def grown(path):
        f.write_text("FROM aishell:foundation\n" + "#" * 200 + "\n")
        return real(path)

    monkeypatch.setattr(errors, "open_regular", grown)
    with pytest.raises(InputError, match="too large"):
        errors.read_bytes(str(f))


def test_a_multi_file_fix_is_written_all_or_none(tmp_path, monkeypatch):
    from aishell.errors import InputError
    from aishell.migrate import atomic

    a, b = tmp_path / "a", tmp_path / "b"
    a.write_text("old a\n")
    b.write_text("old b\n")
    # A folder that refuses the temporary file: nothing changes.
    with pytest.raises(InputError):
        atomic.write_all([(str(a), b"new a\n", False), (str(tmp_path / "missing" / "c"), b"c\n", True)])
    assert a.read_text() == "old a\n" and sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
    # A rename that fails after another succeeded: the first is put back.
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", dst)
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", flaky)
    with pytest.raises(InputError):
        atomic.write_all([(str(a), b"new a\n", False), (str(b), b"new b\n", False)])
    monkeypatch.undo()
    assert a.read_text() == "old a\n" and b.read_text() == "old b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


@pytest.mark.parametrize(
    "args",
    [
        ("lint", "{samples}"),
        ("lint", "--format", "json", "{samples}"),
        ("lint", "--format", "sarif", "{samples}"),
        ("lint", "--format", "github", "{samples}"),
        ("migrate", "{big}"),
        ("parse", "{big}"),
        ("rules",),
        ("--version",),
    ],
)
def test_output_that_cannot_be_written_is_one_line_and_exit_2(tmp_path, args):
    """stdout on a full disk (/dev/full: ENOSPC on every write): one line on stderr naming the
    reason, exit 2 (docs/exit-codes.md), never a traceback, whatever the command printed."""
    big = tmp_path / "Dockerfile"
    big.write_text("".join(f"FROM aishell:base AS s{i}\n" for i in range(3000)))
    argv = [a.format(samples=SAMPLES, big=big) for a in args]
    with open("/dev/full", "w") as full:
        r = subprocess.run([*aishell_command(), *argv], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    assert r.stderr == "aishell: cannot write the output: No space left on device\n"


# -- one problem, one line: a bad config.yaml is said once, whatever reaches it -------------------
#
# The class (red team r4): a project config that does not load fails the config itself and each
# Dockerfile of its project (their lint options are in it). `migrate` said it once per file,
# and `lint` twice when the two paths were spelled differently (relative, as the file linted;
# absolute, as the loader reads it). Generated: config problem x Dockerfiles in the project x
# path given (the folder, relative or absolute, or the files) x command. Each problem is one
# line; the Python file of the project is still migrated.

BAD_CONFIGS = {
    "yaml": b"mounts: [\n",
    "type": b"lint: 5\n",
    "code": b"lint:\n  ignore: [AIS999]\n",
    "utf8": b"\xff: 1\n",
    "on": b"lint:\n  on: x\n  select: [AIS001]\n",
    "fifo": None,
    "folder": None,
}


@pytest.mark.parametrize("problem", sorted(BAD_CONFIGS))
@pytest.mark.parametrize("dockerfiles", [1, 2, 3])
@pytest.mark.parametrize("given", ["dot", "absolute", "files"])
@pytest.mark.parametrize("command", ["lint", "migrate"])
def test_a_bad_config_is_one_line_and_the_rest_still_runs(problem, dockerfiles, given, command, tmp_path):
    from aishell.migration import migrate_paths

    proj = tmp_path / "proj"
    (proj / ".aishell").mkdir(parents=True)
    names = [".aishell/Dockerfile", "Dockerfile", "sub/Dockerfile.dev"][:dockerfiles]
    for n in names:
        (proj / n).parent.mkdir(parents=True, exist_ok=True)
        (proj / n).write_text("FROM aishell:base\n")
    (proj / "tool.py").write_text('IMAGE = "aishell:base"\n')
    cfg = proj / ".aishell" / "config.yaml"
    if problem == "fifo":
        os.mkfifo(cfg)
    elif problem == "folder":
        cfg.mkdir()
    else:
        cfg.write_bytes(BAD_CONFIGS[problem])
    cwd = os.getcwd()
    os.chdir(proj)
    try:
        if given == "dot":
            paths = ["."]
        elif given == "absolute":
            paths = [str(proj)]
        else:
            paths = names + (["tool.py"] if command == "migrate" else [])
            paths += [".aishell/config.yaml"] if problem not in ("fifo", "folder") else []
        if command == "lint":
            r = lint_paths(paths, Options())
        else:
            r = migrate_paths(paths, Options())
            assert [c.after for c in r.changes if c.path.endswith("tool.py")] == ['IMAGE = "aishell:foundation"\n']
    finally:
        os.chdir(cwd)
    lines = [str(e) for e in r.errors]
    assert len([x for x in lines if "config.yaml" in x]) == 1, lines
    assert all("\n" not in x for x in lines)


# -- only regular files are read, even when one is swapped in after the check -----------------
#
# The class (red team r4): the readers stat a path, then open it. A FIFO (or a device) put in
# its place between the two (an agent in the project can race `aishell lint` or `migrate
# --write`) was opened all the same: a FIFO with no writer blocked the run forever, /dev/zero
# filled memory. Generated: what is swapped in x which read (lint's, migrate's, and the check
# before --write's rename), the swap simulated by a stat that still answers "regular file".


def _swapped(kind: str, folder) -> str:
    import socket

    path = str(folder / "Dockerfile")
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":  # (/dev/null: read, it is an empty file, not an endless one)
        os.symlink("/dev/null", path)
    elif kind == "folder":
        os.mkdir(path)
    else:
        s = socket.socket(socket.AF_UNIX)
        s.bind(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "socket"])
@pytest.mark.parametrize("reader", ["lint", "migrate", "before the rename"])
def test_a_file_swapped_for_a_fifo_or_device_after_its_stat_is_never_read(kind, reader, tmp_path, monkeypatch):
    import threading

    from aishell import errors
    from aishell.migrate.atomic import write_all
    from aishell.migration import migrate_paths

    path = _swapped(kind, tmp_path)
    real_stat = os.stat
    regular = real_stat(__file__)

    def stat_says_regular(p, *a, **k):  # the stat ran before the swap
        return regular if os.path.abspath(p) == path else real_stat(p, *a, **k)

    monkeypatch.setattr(errors.os, "stat", stat_says_regular)
    got: list = []

    def run():
        try:
            if reader == "lint":
                got.append([str(e) for e in lint_paths([path], Options(use_config=False)).errors])
            elif reader == "migrate":
                got.append([str(e) for e in migrate_paths([path], Options(use_config=False)).errors])
            else:
                write_all([(path, b"FROM aishell:foundation\n", b"FROM aishell:base\n")])
                got.append([])
        except InputError as e:
            got.append([str(e)])
        except BaseException as e:  # noqa: BLE001
            got.append(e)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(5)
    blocked = t.is_alive()
    if blocked and kind == "fifo":  # let the blocked reader go, then fail
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        t.join(5)
    monkeypatch.undo()
    assert got and not blocked, f"reading a swapped-in {kind} blocked"
    lines = got[0]
    assert isinstance(lines, list) and len(lines) == 1 and "\n" not in lines[0], lines
    assert any(w in lines[0] for w in ("regular file", "directory", "no such device")), lines
    if kind != "device" or reader == "before the rename":
        assert os.path.lexists(path) and not os.path.isfile(path)


# -- every line on stderr is one line of text, whatever the files hold ---------------------------
#
# The class (red team r4): messages quote the input (an unknown instruction's word, a Python
# literal migrate leaves, a link's target), and those went to stderr raw: a line break split one
# problem into two lines, an escape sequence drove the terminal (`\x1b]0;title\x07`, `\x1b[2J`).
# Generated: each control character x where it enters a message x command.

CONTROLS = ["\n", "\r", "\t", "\x1b", "\x07", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\x0b", "\x0c"]
NOT_TEXT = set(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029])


@pytest.mark.parametrize("c", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("command", ["lint", "migrate"])
def test_every_stderr_line_is_one_line_of_text(c, command, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_bytes(f"FROM debian\n{c}\x1b[2J{c}X y\n".encode())
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Dockerfile").write_bytes(f"FROM debian\nX{c}\x1b]0;t\x07 y\n".encode())
    (tmp_path / "c.py").write_bytes(f'X = """FROM aishell:base\nRUN \\\\ {c}\x1b[31m"""\n'.encode())
    (tmp_path / "d.py").write_bytes(f"Y = b'''aishell:base'''  # {c}\n".encode())
    r = run_cli(command, ".", cwd=tmp_path)
    assert r.returncode == 2, r
    lines = r.stderr.split("\n")
    assert lines[-1] == "" and all(line.startswith("aishell: ") for line in lines[:-1]), r.stderr
    assert not NOT_TEXT & set(r.stderr[:-1].replace("\n", "")), r.stderr
    assert sum("Dockerfile" in line for line in lines) == 2, r.stderr


# -- a file that is not UTF-8 text says what it is, wherever the evidence lies --------------------
#
# The class (issue 18, round two): a Dockerfile an editor saved as UTF-16 was "binary file
# (contains NUL bytes)", and a NUL byte was looked for only in the first 8 KB: past them the file
# was read as text. Generated: each encoding with a byte-order mark x each kind of file lint and
# migrate read x a NUL byte at every distance from the start (either side of 8 KB). Each is one
# line naming the encoding or the NUL's line, exit 2, never a traceback.


@pytest.mark.parametrize("name", ["Dockerfile", ".aishell/config.yaml", "x.py"])
def test_other_encodings_and_nul_bytes_are_one_true_line(tmp_path, name):
    from aishell.errors import InputError, read_text

    body = 'X = "aishell:base"\n' if name.endswith(".py") else "FROM aishell:base\n"
    cases = [(body.encode(enc), label) for enc, label in [("utf-16", "UTF-16"), ("utf-32", "UTF-32")]]
    cases += [(body.encode(enc), label) for enc, label in [("utf-16-be", None), ("utf-16-le", None)]]
    filler = b"# pad\n"
    for at in (0, 8191, 8192, 8193, 100_000):
        data = (filler * (at // len(filler) + 1))[:at]
        data = data[: data.rfind(b"\n") + 1] if b"\n" in data else b""
        line = data.count(b"\n") + 1
        cases.append((data + b"RUN x\0y\n", f"a NUL byte on line {line}"))
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    from aishell.lint import Options
    from aishell.migration import migrate_file

    for data, said in cases:
        path.write_bytes(data + (b' = "aishell:base"\n' if name.endswith(".py") else b""))
        for read in (lambda p: read_text(p), lambda p: migrate_file(p, Options(use_config=False))):
            with pytest.raises(InputError) as e:
                read(str(path))
            message = str(e.value)
            assert "\n" not in message
            if said is not None:
                assert said in message, (data[:20], message)


# -- file names that look like options (pre-commit passes them with no `--`) ------------------

DASH_NAMES = st.builds(
    lambda dashes, stem, suffix: dashes + stem + suffix,
    st.sampled_from(["-", "--", "---"]),
    st.sampled_from(["rf", "h", "v", "select", "write", "check", "format", "x y", "\xe9"]),
    st.sampled_from([".Dockerfile", ".dockerfile", "/Dockerfile", ".py"]),
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(DASH_NAMES, min_size=1, max_size=3, unique=True))
def test_files_named_like_options_are_files(tmp_path_factory, names):
    """As pre-commit runs the hooks (its options, then the files it matched, no `--`): a file
    whose name starts with `-` is linted and migrated like the others, never a usage error that
    stops the run."""
    folder = tmp_path_factory.mktemp("dash")
    (folder / "good.Dockerfile").write_text("FROM aishell:base\n")
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("IMAGE = 'aishell:base'\n" if name.endswith(".py") else "FROM aishell:base\n")
    files = ["good.Dockerfile", *names]
    dockerfiles = [n for n in files if not n.endswith(".py")]
    r = run_cli("lint", "--format", "json", *dockerfiles, cwd=folder)
    assert r.returncode == 1, r.stderr
    linted = {os.path.relpath(f["filename"], folder) for f in json.loads(r.stdout)}
    assert linted == {os.path.normpath(n) for n in dockerfiles}, r.stdout
    r = run_cli("migrate", "--write", *files, cwd=folder)
    assert r.returncode == 0, r.stderr
    for name in files:
        assert "aishell:base" not in (folder / name).read_text(), name


# -- a folder where the project's Dockerfile is expected -------------------------------------


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from([(), ("Dockerfile",), ("x.Dockerfile", "sub/Dockerfile"), ("sub/",)]),
    st.sampled_from([("lint",), ("lint", "--format", "sarif"), ("migrate",), ("migrate", "--check")]),
)
def test_a_folder_named_like_the_projects_dockerfile_is_an_input_error(tmp_path_factory, inside, command):
    """`.aishell/Dockerfile` as a folder (empty, or holding Dockerfiles): with no path, lint and
    migrate say so in one line and exit 2; the walk found no Dockerfile in it (or others than
    the one `aishell build` builds) and the run passed."""
    project = tmp_path_factory.mktemp("dirdf")
    folder = project / ".aishell" / "Dockerfile"
    folder.mkdir(parents=True)
    for rel in inside:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        if not rel.endswith("/"):
            (folder / rel).write_text("FROM aishell:foundation\n")
    r = run_cli(*command, cwd=project)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stderr == "aishell: .aishell/Dockerfile: is a directory, not a file\n", r.stderr


# -- GitHub annotations name the file, whatever its name holds --------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from(["a", "\n", "\r", "%", ":", ",", "%0A", " ", "\xe9"]), min_size=1, max_size=5).map("".join)
)
def test_github_annotations_name_files_with_line_breaks(tmp_path_factory, stem):
    """The runner decodes %25, %0D, %0A, %3A and %2C in a `file=` property: a name with a line
    break, `%`, `:` or `,` comes back as itself (a `\\n` escaped as text named no file)."""
    from aishell.reporters import report

    folder = tmp_path_factory.mktemp("gh")
    path = folder / (stem + ".Dockerfile")
    path.write_text("FROM aishell:base\n")
    result = lint_paths([str(path)], Options(use_config=False))
    out = io.StringIO()
    report(result, "github", out)
    line = out.getvalue()
    assert line.startswith("::error file=") and line.count("\n") == 1, line
    prop = line[len("::error file=") :].split(",line=", 1)[0]
    decoded = prop.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
    assert os.path.abspath(decoded) == str(path), (prop, str(path))


def test_a_large_python_source_is_read_by_migrate_not_refused(tmp_path):
    """`migrate DIR` reads each Python source of the tree: a large generated module over the
    Dockerfile limit (65 MB here) that names no image is read and passed over (MAX_PYTHON_BYTES),
    not one more input error (exit 2) for a tree that is fine."""
    from aishell.errors import MAX_FILE_BYTES, MAX_PYTHON_BYTES

    (tmp_path / ".aishell").mkdir()
    (tmp_path / ".aishell" / "Dockerfile").write_text("FROM aishell:base\n")
    big = tmp_path / "generated_data.py"
    with open(big, "wb") as out:
        out.write(b"DATA = [\n")
        out.truncate(MAX_FILE_BYTES + (1 << 20))  # (sparse zeros after the first line)
    assert MAX_FILE_BYTES < big.stat().st_size < MAX_PYTHON_BYTES
    r = run_bounded("migrate", tmp_path)
    assert r.returncode == 1 and "too large" not in r.stderr, r.stderr  # (the Dockerfile's diff)
    assert "aishell:foundation" in r.stdout
