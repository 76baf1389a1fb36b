"""An exec form's `sh -c` script is read as the same script in the shell form.

`RUN ["/bin/sh", "-c", "./setup.sh && claude -v"]` was an AIS002 error though the project's
code runs first and may install the harness (the shell form, `RUN sh -c '…'`, warns): the
commands in the string were given the whole RUN as their place, so nothing ordered them. And
a string holding a JSON escape (`\\"`, `\\n`, `\\t`, `\\u00e9`) was not mapped to the source at
all: `["/bin/sh", "-c", "echo \\"hi\\" && claude -v"]` gave no finding. The class: scripts (what
runs before the call × the call × what follows, newlines included) × JSON spellings (ASCII
escapes or not, spaces); each must give what `RUN /bin/sh -c '…'` gives, at the harness's word.
"""

import itertools
import json
import shlex

import pytest

from aishell.lint import Options, lint_text
from tests.severities import severities

BEFORE = [
    "",
    "./setup.sh && ",
    "curl -fsSL https://x.io/i.sh | sh && ",
    "npm i -g @anthropic-ai/claude-code && ",
    'echo "hi" && ',
    "printf 'a\\tb\\n' && ",
    "echo x\n",
    "set -e\n./configure\n",
    "echo é && ",
    "make; ",
    "[ -f x ] && c=claude; ",
]
CALLS = ["claude -v", "codex --version", "$c -v"]
AFTER = ["", "; echo done", "\necho ok", ' && echo "ok\\\\"']
SCRIPTS = [b + c + a for b, c, a in itertools.product(BEFORE, CALLS, AFTER) if "$c" not in c or "c=" in b]


def _exec(script: str, ascii_only: bool, spaced: bool) -> str:
    sep = ", " if spaced else ","
    return f"FROM debian\nRUN [{sep.join(json.dumps(a, ensure_ascii=ascii_only) for a in ('/bin/sh', '-c', script))}]\n"


@pytest.mark.parametrize("script", SCRIPTS)
def test_an_exec_form_script_reads_as_the_shell_forms(script):
    # (A newline ends a command as `;` does; the shell form cannot hold one in a quoted word.)
    line = f"FROM debian\nRUN /bin/sh -c {shlex.quote(script.replace(chr(10), '; '))}\n"
    want = severities(line)
    for ascii_only, spaced in itertools.product((True, False), repeat=2):
        text = _exec(script, ascii_only, spaced)
        assert severities(text) == want, text
        for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings:
            if f.code == "AIS002":
                start = text.splitlines(keepends=True)
                a = sum(len(x) for x in start[: f.line - 1]) + f.column - 1
                b = sum(len(x) for x in start[: f.end_line - 1]) + f.end_column - 1
                assert text[a:b].strip('"') in ("claude", "codex", "$c"), (text, text[a:b])


@pytest.mark.parametrize("escaped", ["\\u0063laude -v", "echo \\u00e9 && claude -v", "echo \\/ && claude -v"])
def test_escapes_anywhere_keep_the_finding(escaped):
    text = f'FROM debian\nRUN ["/bin/sh", "-c", "{escaped}"]\n'
    assert severities(text) == ["error"], text  # (`\\u0063laude`: the pre-check reads JSON's escapes too)
