"""A bug of aishell's on one file is one line naming it, and the run goes on (issue 18, "One bad
file never stops the run"): lint and migrate catch whatever a file makes them raise, the CLI
turns anything left into one line and exit 2, and AISHELL_DEBUG=1 shows the traceback instead.
The bug is simulated by a rule that raises on files holding a marker, with every kind of
exception a bug may raise."""

from __future__ import annotations

import subprocess
import sys

import pytest

from aishell.lint import Options, lint_paths
from aishell.lint_rules import ais001_legacy_base_image as ais001
from aishell.migration import migrate_paths

KINDS = [AttributeError("'NoneType' object has no attribute 'end'"), KeyError("x"), IndexError(), ValueError("v\nw")]


def _broken(monkeypatch, exc: Exception) -> None:
    real = ais001.check

    def check(ctx):
        if "BREAK" in ctx.df.text:
            raise exc
        return real(ctx)

    monkeypatch.setattr(ais001, "check", check)


def _folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text("FROM aishell:base\n# BREAK\n")
    (tmp_path / "b" / "Dockerfile").write_text("FROM aishell:base\n")
    return tmp_path


@pytest.mark.parametrize("exc", KINDS, ids=lambda e: type(e).__name__)
def test_lint_reports_the_file_and_lints_the_others(exc, tmp_path, monkeypatch):
    _broken(monkeypatch, exc)
    root = _folder(tmp_path)
    r = lint_paths([str(root)], Options(use_config=False))
    (err,) = r.errors
    assert str(err).startswith(str(root / "a" / "Dockerfile")) and "internal error" in str(err)
    assert "\n" not in str(err) and type(exc).__name__ in str(err)
    assert [f.path for f in r.files] == [str(root / "b" / "Dockerfile")] and r.files[0].findings


@pytest.mark.parametrize("exc", KINDS, ids=lambda e: type(e).__name__)
def test_migrate_reports_the_file_and_migrates_the_others(exc, tmp_path, monkeypatch):
    _broken(monkeypatch, exc)
    root = _folder(tmp_path)
    r = migrate_paths([str(root)], Options(use_config=False), write=True)
    (err,) = r.errors
    assert "internal error" in str(err) and "nothing was written" in str(err)
    assert (root / "a" / "Dockerfile").read_text() == "FROM aishell:base\n# BREAK\n"
    assert (root / "b" / "Dockerfile").read_text() == "FROM aishell:foundation\n"


def test_the_cli_gives_one_line_and_exit_2_and_the_traceback_under_aishell_debug(tmp_path):
    root = _folder(tmp_path)
    code = (
        "import sys\nimport aishell.model as m\n"
        "def broken(_):\n    raise RuntimeError('bug')\n"
        "m.instructions_json = broken\n"
        "sys.argv = ['aishell', 'parse', sys.argv[1]]\n"
        "from aishell.cli import run\nrun()\n"
    )
    p = subprocess.run([sys.executable, "-c", code, str(root / "a" / "Dockerfile")], capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert p.stderr.strip().splitlines() == [
        "aishell: internal error while running the command (RuntimeError: bug); please report it"
    ]
    env = {**__import__("os").environ, "AISHELL_DEBUG": "1"}
    p = subprocess.run(
        [sys.executable, "-c", code, str(root / "a" / "Dockerfile")], capture_output=True, text=True, env=env
    )
    assert "Traceback" in p.stderr and "RuntimeError: bug" in p.stderr
