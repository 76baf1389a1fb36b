"""A compound command whose status comes from a failure errexit ignores does not set it off.

`RUN set -e; { claude && true; }; true` was an AIS002 error, which blocks `aishell build`, though
the RUN passes: claude fails as a command of an and-or list other than its last, which errexit
ignores, and POSIX has a compound command (other than a subshell) whose status comes from such a
failure not set errexit off either. The class: every compound command (a `{ }` group, an `if`
body or else, a `for` or `case` body, nested ones) × every place errexit ignores in an and-or
list × how errexit comes on × what follows; dash is the oracle (a `( )` subshell is the control:
its status does set errexit off).
"""

import shutil
import subprocess

import pytest

from tests.severities import severities as _ais002

SH = shutil.which("dash") or shutil.which("sh")

WRAPS = [
    "{{ {s}; }}",
    "if true; then {s}; fi",
    "if false; then :; else {s}; fi",
    "for i in 1; do {s}; done",
    "case x in x) {s};; esac",
    "{{ {{ {s}; }}; }}",
    "if true; then {{ {s}; }}; fi",
    "( {s} )",
]
LISTS = ["H && true", "H && true && true", "true && H && true", "H && echo x", "true; H && true"]
ERREXIT = ["set -e; ", "set -ex; "]
AFTER = ["; true", "; echo done", " && true"]


def _fails(script: str) -> bool:
    return subprocess.run([SH, "-c", script.replace("H", "false")], capture_output=True, timeout=10).returncode != 0


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@pytest.mark.parametrize("after", AFTER)
@pytest.mark.parametrize("inner", LISTS)
@pytest.mark.parametrize("wrap", WRAPS)
def test_an_error_only_where_the_shell_exits(wrap, inner, after):
    for errexit in ERREXIT:
        script = errexit + wrap.format(s=inner) + after
        text = f"FROM aishell:foundation\nRUN {script.replace('H', 'claude --version')}\n"
        severities = _ais002(text)
        assert len(severities) == 1, text
        if not _fails(script):
            assert severities == ["warning"], text
        elif wrap == "( {s} )":
            assert severities == ["error"], text  # (the controls: the shell exits, surely)
