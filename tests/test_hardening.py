"""Issue 11: one regression test per class of defect found by hostile inputs.

Crashes and hangs, lost data, missed references and false errors (most of those
are rule examples in lint_rules/), migrate and config, output and CLI. Every
CLI call runs the real `aishell` in a subprocess with a timeout, so a hang
fails instead of stalling the suite.
"""

import json
import os
import sys

import pytest

from tests.conftest import run_cli

TIMEOUT = 60


def run(*args, cwd=None, env=None, input=None):
    return run_cli(*args, cwd=cwd, env=env, input=input, timeout=TIMEOUT)


def one_line(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


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
    r = run("lint", "--format", "json", f)
    assert r.returncode in (0, 1), r.stderr
    assert "Traceback" not in r.stderr
    json.loads(r.stdout)


@pytest.mark.parametrize("color", [True, False])
def test_source_text_is_printed_verbatim(tmp_path, color):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nRUN sed -i 's/\\[mysqld\\]/[client]/' /etc/my.cnf && claude --version\n")
    r = run("lint", f, env={"FORCE_COLOR": "1"} if color else {"NO_COLOR": "1"})
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "s/\\[mysqld\\]/[client]/" in r.stdout


def test_the_caret_keeps_the_lines_tabs(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nRUN\techo a &&\tclaude --version\n")
    r = run("lint", f)
    lines = r.stdout.splitlines()
    src = next(i for i, ln in enumerate(lines) if ln.startswith("2 |"))
    assert lines[src + 1] == "  | " + "   \t" + " " * len("echo a &&") + "\t" + "^" * len("claude")


def test_fifo_and_devices_are_refused_or_skipped_never_read(tmp_path):
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "Dockerfile").write_text("FROM aishell:base\n")
    os.mkfifo(tmp_path / "good" / "Dockerfile.fifo")
    r = run("lint", tmp_path / "good")  # found while walking: skipped with a note
    assert r.returncode == 1 and "AIS001" in r.stdout
    assert "Dockerfile.fifo: skipped, not a regular file" in r.stderr
    r = run("lint", tmp_path / "good" / "Dockerfile.fifo")  # named: one line, exit 2
    assert r.returncode == 2 and "not a regular file (a FIFO)" in one_line(r)
    r = run("lint", "/dev/zero")
    assert r.returncode == 2 and "character device" in one_line(r)


def test_a_fifo_config_is_one_line(tmp_path):
    (tmp_path / ".aishell").mkdir()
    os.mkfifo(tmp_path / ".aishell" / "config.yaml")
    (tmp_path / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    r = run("lint", cwd=tmp_path)
    assert r.returncode == 2 and "config.yaml: not a regular file" in one_line(r)


@pytest.mark.parametrize("kind", ["directory", "dangling symlink"])
def test_a_broken_dockerfile_specific_ignore_file_is_one_line(tmp_path, kind):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nCOPY . /app\n")
    (tmp_path / ".git").mkdir()
    ignore = tmp_path / "Dockerfile.dockerignore"
    ignore.mkdir() if kind == "directory" else ignore.symlink_to(tmp_path / "nowhere")
    for cmd in (("lint",), ("migrate", "--write")):
        r = run(*cmd, f)
        assert r.returncode == 2, r.stderr
        assert "Dockerfile.dockerignore" in one_line(r)
    assert f.read_text() == "FROM aishell:foundation\nCOPY . /app\n"


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


# -- lost data -----------------------------------------------------------------------------------


def test_ais103_never_rewrites_an_ignore_file_it_cannot_keep_byte_for_byte(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nCOPY . /app\n")
    (tmp_path / ".git").mkdir()
    raw = b"caf\xe9\nnode_modules\n"  # Latin-1, not UTF-8
    (tmp_path / "Dockerfile.dockerignore").write_bytes(raw)
    r = run("migrate", "--write", f)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "Dockerfile.dockerignore").read_bytes() == raw
    assert "created" not in r.stdout


def test_ais103_says_updated_for_a_file_that_existed(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nCOPY . /app\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile.dockerignore").write_text("dist\n")
    r = run("migrate", "--write", f)
    assert r.returncode == 0 and "updated Dockerfile.dockerignore" in r.stdout.replace(str(tmp_path) + os.sep, "")
    assert (tmp_path / "Dockerfile.dockerignore").read_text() == "dist\n.git\n"


@pytest.mark.parametrize(
    "text",
    [
        "FROM aishell:foundation\nRUN <<EOF\ncat > /usr/local/bin/ai <<'SH'\n#!/bin/sh\nexec claude \"$@\"\nSH\nchmod +x /usr/local/bin/ai\nEOF\n",
        "FROM aishell:foundation\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.system('claude --version')\nEOF\n",
        "FROM aishell:foundation\nRUN curl -fsSLo /tmp/i.sh https://claude.ai/install.sh && bash /tmp/i.sh\n",
    ],
)
def test_unsafe_fixes_never_delete_data(tmp_path, text):
    f = tmp_path / "Dockerfile"
    f.write_text(text)
    r = run("migrate", "--write", "--unsafe-fixes", f)
    assert r.returncode == 0, r.stderr
    assert f.read_text() == text


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a file to another owner")
def test_migrate_write_keeps_owner_and_group(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:base\n")
    os.chown(f, 1234, 2345)
    os.chmod(f, 0o640)
    assert run("migrate", "--write", f).returncode == 0
    st = os.stat(f)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (1234, 2345, 0o640)
    assert f.read_text() == "FROM aishell:foundation\n"


# -- the model -----------------------------------------------------------------------------------


def test_an_escaped_escape_at_the_end_of_a_line_is_no_continuation():
    dockerfile = pytest.importorskip("dockerfile")
    from aishell.model import parse

    for text in (
        "FROM x\nENV C trailing\\\\backslash\\\\\nRUN echo hi\n",
        "FROM x\nENV C a\\\\\\\nRUN echo hi\n",
        "FROM x\nENV C a\\\nRUN echo hi\n",
    ):
        want = [(c.cmd.upper(), c.start_line, c.end_line) for c in dockerfile.parse_string(text)]
        assert [(i.keyword, i.start_line, i.end_line) for i in parse(text).instructions] == want


# -- migrate and config --------------------------------------------------------------------------


def test_a_python_file_with_a_bom_is_migrated_and_keeps_it(tmp_path):
    f = tmp_path / "build.py"
    f.write_bytes("\ufeffIMAGE = 'aishell:base'\n".encode())
    r = run("migrate", "--write", tmp_path)
    assert r.returncode == 0, r.stderr
    assert f.read_bytes() == "\ufeffIMAGE = 'aishell:foundation'\n".encode()


def test_python_only_the_exact_image_changes(tmp_path):
    keep = (
        'a = f"aishell:base{SUFFIX}"\n'
        'b = "aishell:base{}".format(x)\n'
        'c = "aishell:base%s" % x\n'
        'd = "aishell:base is deprecated; use aishell:foundation"\n'
        'e = "docker.io/library/aishell:base-extra"\n'
    )
    f = tmp_path / "x.py"
    f.write_text(keep + "IMAGES = [" + ", ".join(['"aishell:base"'] * 13) + "]\n")
    r = run("migrate", "--write", f)
    assert r.returncode == 0, r.stderr
    assert f.read_text() == keep + "IMAGES = [" + ", ".join(['"aishell:foundation"'] * 13) + "]\n"
    assert "13 fixes applied" in r.stdout


def test_mixed_line_endings_are_fixed_and_kept_line_by_line(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_bytes(b"FROM aishell:base\r\nRUN echo a\nRUN echo b\r\n")
    r = run("migrate", "--write", f)
    assert r.returncode == 0, r.stderr
    assert f.read_bytes() == b"FROM aishell:foundation\r\nRUN echo a\nRUN echo b\r\n"


@pytest.mark.parametrize(
    "config, message",
    [
        ("lnt:\n  select: [AIS001]\n", "unknown key 'lnt'"),
        ("lint:\n  severity:\n    AIS: error\n", "lint.severity: 'AIS' is not a rule code"),
    ],
)
def test_config_mistakes_are_errors(tmp_path, config, message):
    (tmp_path / ".aishell").mkdir()
    (tmp_path / ".aishell" / "config.yaml").write_text(config)
    (tmp_path / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    r = run("lint", cwd=tmp_path)
    assert r.returncode == 2 and message in one_line(r)


def test_an_ignore_pragma_with_spaces_after_commas_suppresses_every_code(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text(
        "FROM aishell:foundation\n# aishell: ignore=AIS002, AIS003 CI installs it itself\n"
        "RUN npm i -g @openai/codex && claude --version\n"
    )
    r = run("lint", "--format", "json", f)
    assert r.returncode == 0 and json.loads(r.stdout) == [], r.stdout


# -- output and CLI ------------------------------------------------------------------------------


def test_sarif_uris_are_encoded_and_rules_carry_their_docs(tmp_path):
    odd = tmp_path / "a b%c#d:e"
    odd.mkdir()
    (odd / "Dockerfile").write_text("FROM aishell:base\n")
    r = run("lint", "--format", "sarif", "a b%c#d:e/Dockerfile", cwd=tmp_path)
    doc = json.loads(r.stdout)
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "a%20b%25c%23d%3Ae/Dockerfile"
    driver = doc["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    for rule in driver["rules"]:
        assert "helpUri" not in rule and rule["help"]["markdown"].startswith(f"# {rule['id']}")
    r = run("lint", "--format", "sarif", tmp_path / "a b%c#d:e" / "Dockerfile")
    uri = json.loads(r.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and "a%20b%25c%23d" in uri


def test_json_url_is_null_not_a_dead_link(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:base\n")
    assert json.loads(run("lint", "--format", "json", f).stdout)[0]["url"] is None


def test_a_bad_file_among_good_ones_is_one_line_and_the_rest_are_linted(tmp_path):
    good = tmp_path / "Dockerfile"
    good.write_text("FROM aishell:base\n")
    os.mkfifo(tmp_path / "fifo.Dockerfile")
    (tmp_path / "bin.Dockerfile").write_bytes(b"FROM x\n\0\1\2")
    r = run("lint", tmp_path / "fifo.Dockerfile", good, tmp_path / "bin.Dockerfile", tmp_path / "missing")
    assert r.returncode == 2
    assert "AIS001" in r.stdout
    errors = r.stderr.strip().splitlines()
    assert len(errors) == 3 and all(e.startswith("aishell: ") for e in errors), r.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("--select", "AIS9"), "unknown rule code 'AIS9'"),
        (("--ignore", "XYZ"), "unknown rule code 'XYZ'"),
        (("--context", "/no/such/folder"), "--context: no such folder"),
    ],
)
def test_bad_options_are_one_line_exit_2(tmp_path, args, message):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:base\n")
    r = run("lint", *args, f)
    assert r.returncode == 2 and message in one_line(r)


def test_a_folder_without_dockerfiles_says_so(tmp_path):
    r = run("lint", tmp_path)
    assert r.returncode == 0 and "All checks passed" not in r.stdout
    assert "no Dockerfiles found" in one_line(r)


def test_the_shell_reader_is_not_quadratic_in_command_substitutions():
    """Counted, not timed: each $( ) is found once, and items are looked up by bisection."""
    from aishell.model import parse
    from aishell.shell import analyse_run

    body = "".join(f"echo $(date +%s) $(printf {i})\n" for i in range(4000))
    ins = parse("FROM x\nRUN <<EOF\n" + body + "EOF\n").instructions[1]
    script = analyse_run(ins)
    assert len(script.items) == 4000
    assert sum(1 for c in script.commands if c.name == "printf") == 4000
    assert sys.getrecursionlimit() < 4000  # no recursion per $( ): the reader uses a work list
