"""A system utility's name in a folder of the project's is the project's script (r68a's false
error): `./install`, `bin/test`, `/opt/y/cp` run code aishell does not read, which may put the
harness on PATH, so a harness call after one is a warning, as after `./install.sh`. The name
where the system keeps it (bare, a system bin folder) is the utility, whose effects the rule
reads; a package manager in a prefix of its own (`/opt/venv/bin/pip`) is that tool anywhere.

Generated over every name runs_project_code knows by name (lint_rules._provides) in project
folders and system ones; the system forms give what they gave before (PATHED_UTILITIES off).
"""

import pytest

from aishell.lint import Options, lint_text
from aishell.lint_rules import _provides
from tests.runs import switched

KNOWN = sorted((_provides._NOT_INSTALLERS | _provides._TOOLS | _provides._KNOWN_TOOLS) - _provides._PREFIXED_TOOLS)
PROJECT = ("./{}", "bin/{}", "script/{}", "/opt/y/{}", "/app/bin/{}", "../{}", ".//{}")
SYSTEM = ("{}", "/usr/bin/{}", "/bin/{}", "/usr/local/bin/{}", "/usr//bin/{}")


def _severities(command: str) -> list[str]:
    text = f"FROM aishell:foundation\nRUN {command} x && opencode -v\n"
    found = lint_text(text, "/nonexistent/Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    return [f.severity for f in found if "opencode" in f.message]


@pytest.mark.parametrize("name", KNOWN)
def test_a_utility_name_in_a_project_folder_runs_the_projects_code(name):
    for form in PROJECT:
        assert _severities(form.format(name)) == ["warning"], form.format(name)


@pytest.mark.parametrize("name", KNOWN)
def test_the_utility_where_the_system_keeps_it_is_judged_as_before(name):
    now = [_severities(form.format(name)) for form in SYSTEM]
    with switched([(_provides, "PATHED_UTILITIES")], False):
        assert now == [_severities(form.format(name)) for form in SYSTEM]


@pytest.mark.parametrize("name", sorted(_provides._PREFIXED_TOOLS))
def test_a_package_manager_is_that_tool_in_any_folder(name):
    for form in PROJECT + SYSTEM:
        word = form.format(name)
        assert _provides.runs_project_code([word, "--version"], name) is False, word


def test_without_it_the_project_script_was_an_error():
    with switched([(_provides, "PATHED_UTILITIES")], False):
        assert _severities("./install") == ["error"]
        assert _severities("bin/test") == ["error"]
