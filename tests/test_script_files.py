"""A script a RUN writes and then runs is read as a script (issue 18: recall of AIS002, and an
error only where the RUN fails).

A RUN may write a script to a file (`cat <<EOF > s.sh`, `echo … > s.sh`, `… | tee s.sh`, `>>`
to add to it) and run it (`sh s.sh`, `. ./s.sh`, `sh < s.sh`, `cat s.sh | sh`, `./s.sh` once a
`chmod +x` made it executable), pass a script through `tee` or `cat` into a shell, or give a shell
what a command substitution of a feeder writes (`sh -c "$(echo …)"`, `eval "$(printf …)"`;
`sh -c "$(cat)" <<EOF` runs an empty string: the substitution is made before the redirection).
Generated: writers x runners x joiners x bodies x what follows, each run by dash with a fake
`claude` on PATH that leaves a mark and fails, as the RUN would run it. AIS002 reports the harness
exactly when it ran, and an error exactly where the RUN then failed.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from tests.dash import SH, runs_claude

pytestmark = pytest.mark.skipif(SH is None, reason="needs a POSIX shell")

BODIES = ["claude -v", "echo claude -v", "set -e; claude -v; echo x", "true"]
# (the line's command, the heredoc body after the RUN line or None); {f}: the file, {s}: the body.
WRITERS = [
    ("cat <<EOF > {f}", "{s}\nEOF"),
    ("cat > {f} <<'EOF'", "{s}\nEOF"),
    ("echo '{s}' > {f}", None),
    ("printf '%s\\n' '{s}' > {f}", None),
    ("echo '{s}' | tee {f} > /dev/null", None),
    ("echo 'echo start' > {f}; echo '{s}' >> {f}", None),
    ("echo '{s}' > {f}; echo true > {f}", None),
    ("echo '{s}' > other.sh", None),
]
RUNNERS = [
    "sh {f}",
    "bash {f}",
    ". ./{f}",
    "sh -e {f}",
    "chmod +x {f} && ./{f}",
    "chmod 755 {f} && ./{f}",
    "./{f}",
    "sh < {f}",
    "cat {f} | sh",
    "sh -n {f}",
    "cat {f}",
    "mkdir -p d && cd d && sh {f}",
]
FILES = ["s.sh", "./s.sh", "x/../s.sh"]
JOINERS = [" && ", " ; "]  # (a space after a heredoc word: BuildKit reads `<<EOF;` as the word `EOF;`)
TAILS = ["", " || true", "; echo done"]
# Through a pipe, or a substitution: whole RUN lines ({s}: the body).
PIPED = [
    "echo '{s}' | tee s.sh | sh",
    "echo '{s}' | cat | sh",
    "echo '{s}' | cat - | bash",
    "printf '%s\\n' '{s}' | tee -a s.sh | sh -e",
    "sh -c \"$(echo '{s}')\"",
    "eval \"$(echo '{s}')\"",
    "sh -c \"$(printf '%s' '{s}')\"",
    "bash -c \"`echo '{s}'`\"",
    "echo '{s}' | tee s.sh > /dev/null | sh",
]


def _run(script: str, tmp) -> tuple[bool, bool]:
    return runs_claude(script, tmp, ("x",))


def _check(line: str, body: str | None, tmp, may: bool = False, plain: bool = False) -> None:
    """``may``: the file is run by its path with no `chmod +x` first: it may have been executable
    already (`>` keeps an existing file's mode), so a warning where the fresh file did not run.
    ``plain``: the script is the harness alone and nothing follows: an error exactly where the RUN
    failed (elsewhere an error only where it failed: a warning may stay where the shell's rules
    are subtler, `set -e` in a sourced file behind `||`)."""
    script = line + ("\n" + body if body is not None else "")
    text = f"FROM aishell:foundation\nRUN {script}\n"
    ran, failed = _run(script, tmp)
    findings = lint_text(text, str(tmp / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings
    if may and not ran:
        assert [f.severity for f in findings] in ([], ["warning"]), (text, findings)
        return
    assert bool(findings) == ran, (text, ran, findings)
    for f in findings:
        assert text[f.start : f.end] == "claude", (text, f)
    if ran:
        severities = [f.severity for f in findings]
        assert severities in (["error"], ["warning"]), (text, findings)
        if plain or not failed:
            assert severities == ["error" if failed else "warning"], (text, failed, findings)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(WRITERS),
    st.sampled_from(RUNNERS),
    st.sampled_from(FILES),
    st.sampled_from(JOINERS),
    st.sampled_from(BODIES),
    st.sampled_from(TAILS),
)
def test_a_script_written_then_run_is_read(tmp_path_factory, writer, runner, f, joiner, body, tail):
    line, doc = writer
    line = line.format(f=f, s=body) + joiner + runner.format(f=f) + tail
    may = runner == "./{f}"
    plain = body == "claude -v" and tail == ""
    _check(line, None if doc is None else doc.format(s=body), tmp_path_factory.mktemp("f"), may, plain)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(PIPED), st.sampled_from(BODIES), st.sampled_from(TAILS))
def test_a_script_piped_through_tee_or_cat_or_substituted_is_read(tmp_path_factory, form, body, tail):
    _check(form.format(s=body) + tail, None, tmp_path_factory.mktemp("p"), plain=body == "claude -v" and tail == "")


def test_a_substitution_made_before_the_redirection_reads_no_heredoc(tmp_path):
    """`sh -c "$(cat)" <<EOF`: `cat` runs before the heredoc is the command's stdin: nothing runs."""
    _check('sh -c "$(cat)" <<EOF', "claude -v\nEOF", tmp_path)
    _check('eval "$(cat)" <<EOF', "claude -v\nEOF", tmp_path)


FED_LINES = ["cat <<EOF | sh{t}", "cat <<EOF > s.sh && sh s.sh{t}", "cat <<EOF | tee f | sh{t}", "bash <<EOF{t}"]
FED_TAILS = ["", " && echo ok", " ; echo ok", " || echo no", " & wait"]


# What each rule that removes a command finds on the body's only line, and the text it points at.
FED_BODIES = {
    "AIS002": ("claude -v", "claude"),
    "AIS003": ("npm i -g @anthropic-ai/claude-code", "@anthropic-ai/claude-code"),
}


@pytest.mark.parametrize("line", FED_LINES)
@pytest.mark.parametrize("tail", FED_TAILS)
@pytest.mark.parametrize("code", sorted(FED_BODIES))
def test_a_fix_of_a_body_fed_to_a_shell_keeps_the_lines_other_commands(line, tail, code):
    """The only line of a heredoc body a shell runs: the script's items are the body's, and the
    fix once removed the whole RUN, `echo ok` with it (AIS002's harness call, AIS003's install:
    both remove a command through lint_rules._edits). Now it removes the RUN only where the line
    is one pipeline, and otherwise offers no fix."""
    body, pointed = FED_BODIES[code]
    text = f"FROM aishell:foundation\nRUN {line.format(t=tail)}\n{body}\nEOF\n"
    findings = lint_text(text, "Dockerfile", Options(select=[code], use_config=False)).findings
    assert [text[f.start : f.end] for f in findings] == [pointed], (text, findings)
    fix = findings[0].fix
    if fix is None:
        return
    fixed = text
    for e in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        fixed = fixed[: e.start] + e.replacement + fixed[e.end :]
    kept = tail.replace("&&", "").replace("||", "").replace(";", "").replace("&", "").strip()
    if kept:
        assert kept in fixed, (text, fixed)
    assert lint_text(fixed, "Dockerfile", Options(select=[code], use_config=False)).findings == [], fixed


BASH = shutil.which("bash")
PROCESS_SUBSTITUTIONS = [
    "bash <(echo claude -v)",
    "bash -e <(printf '%s\\n' 'claude -v')",
    "source <(echo claude -v)",
    ". <(echo 'claude -v')",
    "bash <(echo echo claude)",
    "cat <(echo claude -v)",
    "bash -n <(echo claude -v)",
    "diff <(echo claude) /dev/null || true",
]


@pytest.mark.skipif(BASH is None, reason="needs bash")
@pytest.mark.parametrize("line", PROCESS_SUBSTITUTIONS)
def test_a_process_substitution_a_shell_runs_is_read(tmp_path, line):
    """bash's `<(CMD)` given to a shell or `.` runs what CMD writes; dash has no `<(` (the RUN
    fails there, running nothing): a warning where bash runs the harness, nothing where it does not."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    mark = tmp_path / "ran"
    (bin_dir / "claude").write_text(f"#!/bin/sh\ntouch {mark}\nexit 1\n")
    (bin_dir / "claude").chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run([BASH, "-c", line], env=env, cwd=tmp_path, capture_output=True, timeout=20)
    text = f"FROM aishell:foundation\nRUN {line}\n"
    findings = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    assert [f.severity for f in findings] == (["warning"] if mark.exists() else []), (text, findings)
