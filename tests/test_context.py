"""The build context and its ignore file, as BuildKit resolves them."""

import json

from aishell.context import BuildContext, is_ignored
from tests.conftest import run_cli


def test_aishell_dockerfile_context_is_the_project_root(project):
    df = project.write(".aishell/Dockerfile", "FROM aishell:foundation\n")
    bc = BuildContext.for_dockerfile(str(df))
    assert bc.root == str(project)


def test_other_dockerfiles_use_their_folder_or_context(project):
    df = project.write("docker/api.Dockerfile", "FROM a\n")
    assert BuildContext.for_dockerfile(str(df)).root == str(project / "docker")
    assert BuildContext.for_dockerfile(str(df), str(project)).root == str(project)


def test_dockerfile_specific_ignore_file_replaces_the_root_one(project):
    """BuildKit: <Dockerfile>.dockerignore beside the Dockerfile wins; the root file is not merged in."""
    df = project.write(".aishell/Dockerfile", "FROM a\n")
    project.write(".dockerignore", "node_modules\n")
    bc = BuildContext.for_dockerfile(str(df))
    assert bc.ignore_file == str(project / ".dockerignore")
    assert bc.is_ignored("node_modules")
    project.write(".aishell/Dockerfile.dockerignore", ".git\n")
    bc = BuildContext.for_dockerfile(str(df))
    assert bc.ignore_file == str(project / ".aishell" / "Dockerfile.dockerignore")
    assert bc.is_ignored(".git") and not bc.is_ignored("node_modules")


def test_pattern_matching():
    pats = ["**/__pycache__", "*.log", "!keep.log", "/dist", "build/"]
    assert is_ignored("a/b/__pycache__", pats)
    assert is_ignored("__pycache__/x.pyc", pats)
    assert is_ignored("err.log", pats) and not is_ignored("keep.log", pats)
    assert is_ignored("dist/app.js", pats) and is_ignored("build", pats)
    assert not is_ignored("src/dist.py", pats)


def test_ais103_uses_the_real_context_and_fix_writes_the_specific_file(project):
    project.write(".aishell/Dockerfile", "FROM aishell:foundation\nCOPY . /workspace\n")
    project.write(".dockerignore", "*.log\n")
    (project / ".git").mkdir()
    (project / "node_modules").mkdir()
    r = run_cli("lint", "--format", "json", "--select", "AIS103", cwd=project)
    items = json.loads(r.stdout)
    assert [i["code"] for i in items] == ["AIS103"] and ".git, node_modules" in items[0]["message"]
    # Excluding .git and node_modules may change the image (an unsafe fix): not applied without
    # --unsafe-fixes.
    r = run_cli("migrate", "--write", cwd=project)
    assert r.returncode == 0, r.stderr
    assert not (project / ".aishell" / "Dockerfile.dockerignore").exists()
    r = run_cli("migrate", "--write", "--unsafe-fixes", cwd=project)
    assert r.returncode == 0, r.stderr
    created = (project / ".aishell" / "Dockerfile.dockerignore").read_text()
    assert created.splitlines()[1:] == ["*.log", "", ".git", "node_modules"]
    assert (project / ".dockerignore").read_text() == "*.log\n"
    assert run_cli("lint", "--select", "AIS103", cwd=project).returncode == 0


def test_the_extension_hash_covers_files_not_known_to_be_left_out(project):
    """A file only a pattern aishell does not read may exclude (a Go regexp class) is hashed: if
    the builder sends it, a change to it must rebuild the extension. A file surely excluded is not."""
    from aishell.builder.extension import copied_files
    from aishell.model import parse

    df = project.write(".aishell/Dockerfile", "FROM aishell:foundation\nCOPY . /app\n")
    project.write(".aishell/Dockerfile.dockerignore", "req[^a].txt\nnode_modules\n")
    project.write("reqs.txt", "x\n")
    project.write("node_modules/a.js", "x\n")
    project.write("app.py", "x\n")
    bc = BuildContext.for_dockerfile(str(df))
    assert bc.ignored("reqs.txt") is None and bc.ignored("node_modules/a.js") is True
    files = copied_files(parse(df.read_text()), bc)
    assert "reqs.txt" in files and "app.py" in files and "node_modules/a.js" not in files
