"""AIS002: a harness call behind a test's `&&` under errexit, with more after it, is no error
(issue 18: an error must mean the build really fails; found by a red-team pass).

`set -e; command -v claude >/dev/null && claude -v; echo ok` exits 0 in dash: a failing command
before `&&` ends its list without ending the shell, so claude never runs and the RUN succeeds.
Generated: every test (`[`, `[[`, `test`, `command -v`, `type`, `hash`, `which`, `grep -q`, a
negated pipeline) x every errexit source (`set -e`, `set -eu`, `set -o errexit`, the SHELL's
`-e`) x what follows (`; echo ok`, a newline in a heredoc) x each harness x where the list stands
(alone, in a `{ }` group or an `if` body, whose status errexit then ignores too): a warning.
Controls: the same list as the RUN's last (its failure fails the RUN whether or not claude
runs), a command that is no test before `&&` (`cd /app`), a test the list goes on from (`|| true
&&`), stay errors.
"""

from __future__ import annotations

import itertools

from aishell.lint import Options, lint_text

GUARDS = [
    "command -v {h} >/dev/null",
    "command -V {h}",
    '[ -n "$WITH_AI" ]',
    "[[ -x /usr/local/bin/{h} ]]",
    "test -f /etc/ai",
    "type {h}",
    "hash {h} 2>/dev/null",
    "which {h}",
    "grep -q ai /etc/features",
    "! false",
]
ERREXIT = [
    ("", "set -e; {line}"),
    ("", "set -eu; {line}"),
    ("", "set -o errexit; {line}"),
    ('SHELL ["/bin/bash", "-eo", "pipefail", "-c"]\n', "{line}"),
    ('SHELL ["/bin/sh", "-e", "-c"]\n', "{line}"),
]
HARNESSES = ["claude", "codex", "gemini", "opencode"]


def _severities(text: str) -> list[str]:
    found = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    return [f.severity for f in found]


# Where the test's list stands: alone, in a group, in an `if` body, in a group before `&&`.
WRAPS = ["{x}", "{{ {x}; }}", "if true; then {x}; fi", "{{ {x}; }} && true"]


def test_a_call_behind_a_test_with_more_after_it_is_a_warning():
    bad = []
    for guard, (shell, form), h, heredoc, wrap in itertools.product(GUARDS, ERREXIT, HARNESSES, (False, True), WRAPS):
        line = wrap.format(x=f"{guard.format(h=h)} && {h} --version")
        if heredoc:
            body = form.format(line=line).replace("; ", "\n")
            run = f"RUN <<EOF\n{body}\necho ok\nEOF\n"
        else:
            run = "RUN " + form.format(line=line) + "; echo ok\n"
        text = f"FROM aishell:foundation\n{shell}{run}"
        if _severities(text) != ["warning"]:
            bad.append(text)
    assert not bad, (len(bad), bad[:3])


def test_the_same_list_last_or_after_a_plain_command_is_an_error():
    """(And after `|| true`, which the list goes on from whatever the test said.)"""
    bad = []
    for guard, (shell, form), h in itertools.product(
        GUARDS[:3] + GUARDS[4:6], ERREXIT, HARNESSES
    ):  # (`[[`: no dash builtin)
        for line in (
            f"{guard.format(h=h)} && {h} --version",
            f"cd /tmp && {h} --version; echo ok",
            f"{guard.format(h=h)} || true && {h} --version; echo ok",
            f"{{ {guard.format(h=h)} && {h} --version; }}",
            f"{{ {h} --version; }}; echo ok",
        ):
            text = f"FROM aishell:foundation\n{shell}RUN " + form.format(line=line) + "\n"
            if _severities(text) != ["error"]:
                bad.append(text)
    assert not bad, (len(bad), bad[:3])
