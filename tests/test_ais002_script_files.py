"""A script file a RUN writes and runs is read as what the file holds when it runs.

Red team 40 (append-script, script-redirect-order): AIS002 gave errors, which block `aishell
build`, for RUNs that build. The reader took a file to hold what one write put there, though
the RUN changed it before running it (`>>`, `: >`, `cp`, `curl -o`, `sed -i`, `ln -sf`, …), wrote
it in one branch only, or never wrote to it at all (`echo … > f > /dev/null`: the last
redirection of fd 1 wins; `cat 3<<EOF > f`: the heredoc is not cat's stdin). The classes:
every writer × every command that may change the file × every way to run it; every order of
redirections; `>>` read as the concatenation (checked against dash). The controls, the same
shapes without the twist, keep their severity.
"""

import pytest

from tests.dash import runs_claude
from tests.severities import severities

HEAD = "FROM aishell:foundation\n"
F = "/tmp/s.sh"

# How the RUN writes `claude -v` into F: (line part, heredoc bodies after the line).
WRITERS = [
    (f"echo 'claude -v' > {F}", ""),
    (f"printf 'claude -v\\n' > {F}", ""),
    (f"echo 'claude -v' | tee {F}", ""),
    (f"cat > {F} <<'EOF'", "claude -v\nEOF\n"),
    (f"cat <<'EOF' >{F}", "claude -v\nEOF\n"),
]
# How it runs F.
RUNNERS = [f"sh {F}", f"bash {F}", f". {F}", f"chmod +x {F} && {F}", f"sh < {F}", f"cat {F} | sh"]
# Commands that may change F between the write and the run.
CHANGERS = [
    f": > {F}",
    f"true > {F}",
    f"date >> {F}",
    f"cat /etc/hostname >> {F}",
    f"cp /etc/hostname {F}",
    f"sudo cp /etc/hostname {F}",
    f"mv /tmp/other.sh {F}",
    f"curl -fsSL https://example.com/setup.sh -o {F}",
    f"curl -fsSLo{F} https://example.com/setup.sh",
    f"wget -qO {F} https://example.com/setup.sh",
    f"sed -i '/claude/d' {F}",
    f"sed -i.bak 's/claude/true/' {F}",
    f"perl -pi -e 's/claude/true/' {F}",
    f"ln -sf /etc/profile {F}",
    f"install -m 755 /etc/hostname {F}",
    f"rsync /etc/hostname {F}",
    f"dd if=/dev/null of={F}",
    f"truncate -s 0 {F}",
    f"rm {F} && touch {F}",
    "cp /etc/hostname /tmp/",
    "cp /etc/hostname /tmp",
    'cp /etc/hostname "$DEST"',
    "cp /etc/hostname /tmp/*.sh",
    'echo exit 0 > "$F"',
    f"sh -c ': > {F}'",
]


def _run(write, changer, runner):
    line, bodies = write
    parts = [line] + ([changer] if changer else []) + [runner]
    return HEAD + "RUN " + " && ".join(parts) + "\n" + bodies


@pytest.mark.parametrize("runner", RUNNERS)
@pytest.mark.parametrize("write", WRITERS)
def test_the_control_stays_an_error(write, runner):
    text = _run(write, None, runner)
    assert severities(text) == ["error"], text


@pytest.mark.parametrize("changer", CHANGERS)
@pytest.mark.parametrize("runner", RUNNERS)
@pytest.mark.parametrize("write", WRITERS)
def test_a_file_changed_before_it_runs_is_no_error(write, changer, runner):
    text = _run(write, changer, runner)
    assert "error" not in severities(text), text


# Writes that may not run: in one branch, after a test's `&&`, in a loop, after `||`.
MAYBE = [
    "if [ -f /nonexistent ]; then echo 'claude -v' > {F}; fi; sh {F}",
    "if [ -f /x ]; then echo 'claude -v' > {F}; else : > {F}; fi; sh {F}",
    "[ -f /nonexistent ] && echo 'claude -v' > {F}; sh {F}",
    "true || echo 'claude -v' > {F}; sh {F}",
    "for i in $L; do echo 'claude -v' > {F}; done; sh {F}",
    "f() {{ echo 'claude -v' > {F}; }}; sh {F}",
    "echo 'claude -v' >> {F}; sh {F}",
    "echo 'claude -v' >> {F} && chmod +x {F} && {F}",
]


@pytest.mark.parametrize("shape", MAYBE)
def test_a_write_that_may_not_run_is_no_error(shape):
    text = HEAD + "RUN " + shape.format(F=F) + "\n"
    assert "error" not in severities(text), text


def test_a_write_in_the_same_and_list_as_the_run_stays_an_error():
    for shape in (
        "[ -d /tmp ] && echo 'claude -v' > {F} && sh {F}",
        "apt-get update && echo 'claude -v' > {F} && chmod +x {F} && {F}",
        "echo 'claude -v' > {F}; sh {F}",
        "if [ -f /x ]; then echo 'exit 0' > {F}; fi; echo 'claude -v' > {F}; sh {F}",
        "for i in 1; do echo 'claude -v' > {F}; done; sh {F}",  # (one plain word: the body runs once)
    ):
        text = HEAD + "RUN " + shape.format(F=F) + "\n"
        assert severities(text) == ["error"], text


# `>>` appends: the file is the pieces in order, one script (dash says what runs).
APPENDS = [
    ("command -v claude >/dev/null || exit 0", "claude --version"),
    ("exit 0", "claude --version"),
    ("if false; then", "claude --version", "fi"),
    ("claude --version", "echo ok"),
    ("echo start", "claude --version"),
    ("set -e", "claude --version", "echo ok"),
    ("true &&", "claude --version"),
]
# Those whose concatenation surely fails at claude (dash: with no claude, the RUN fails).
SURE_APPENDS = [
    ("echo start", "claude --version"),
    ("set -e", "claude --version", "echo ok"),
    ("true &&", "claude --version"),
]


@pytest.mark.parametrize("pieces", APPENDS)
@pytest.mark.parametrize("feeder", ["echo '{}'", "printf '%s\\n' '{}'"])
def test_appends_are_read_as_one_script(pieces, feeder, tmp_path):
    script = (
        " && ".join(feeder.format(p) + (" > s.sh" if i == 0 else " >> s.sh") for i, p in enumerate(pieces))
        + " && sh s.sh"
    )
    ran, failed = runs_claude(script, tmp_path)
    got = severities(HEAD + "RUN " + script + "\n")
    assert got, script  # (claude is in the file)
    if not (ran and failed):
        assert "error" not in got, (script, got)
    if pieces in SURE_APPENDS:
        assert got == ["error"], (script, got)


# The order of redirections: the last one of fd 1 wins; a heredoc on fd 3 is not stdin.
REDIRECTS = [
    ("echo 'claude -v' > s.sh > /dev/null", ""),
    ("echo 'claude -v' > s.sh >&2", ""),
    ("echo 'claude -v' > s.sh 1>&2", ""),
    ("echo 'claude -v' > s.sh >&-", ""),
    ("echo 'claude -v' >s.sh 1>/dev/null", ""),
    ("echo 'claude -v' 2> s.sh", ""),
    ("echo 'claude -v' 3> s.sh", ""),
    ("cat 3<<'EOF' > s.sh", "claude -v\nEOF\n"),
    ("cat <<'EOF' 3> s.sh", "claude -v\nEOF\n"),
    ("cat <<'EOF' > s.sh > /dev/null", "claude -v\nEOF\n"),
    # controls: the file gets the text
    ("echo 'claude -v' > /dev/null > s.sh", ""),
    ("echo 'claude -v' 2>/dev/null > s.sh", ""),
    ("echo 'claude -v' > s.sh 2>&1", ""),
    ("echo 'claude -v' 1> s.sh", ""),
    ("cat 0<<'EOF' > s.sh", "claude -v\nEOF\n"),
    ("cat 3< /dev/null <<'EOF' > s.sh", "claude -v\nEOF\n"),
]


@pytest.mark.parametrize("write,bodies", REDIRECTS)
@pytest.mark.parametrize("runner", ["sh s.sh", ". ./s.sh", "sh < s.sh"])
def test_redirections_apply_left_to_right(write, bodies, runner, tmp_path):
    script = f"{write} && {runner}\n{bodies}"
    ran, failed = runs_claude(script, tmp_path)
    got = severities(HEAD + "RUN " + script)
    if ran and failed:
        assert got == ["error"], (script, got)  # (the controls: the file holds the text)
    else:
        assert "error" not in got, (script, got)
