"""Which commands a RUN executes."""

import pytest

from aishell.model import parse
from aishell.shell import analyse_run


def names(run: str) -> list[str]:
    df = parse("FROM a\n" + run + "\n")
    return [c.name for c in analyse_run(df.instructions[1]).commands]


@pytest.mark.parametrize(
    "run,expected",
    [
        ("RUN a && b || c; d | e & f", ["a", "b", "c", "d", "e", "f"]),
        ("RUN (cd /x && codex exec) && { gemini -p hi; }", ["cd", "codex", "gemini"]),
        ("RUN echo $(opencode --version) `claude x`", ["echo", "opencode", "claude"]),
        ('RUN echo "v=$(codex --version)"', ["echo", "codex"]),
        (
            "RUN sudo -u node env FOO=1 timeout 10 nice -n 5 nohup claude --x",
            ["sudo", "env", "timeout", "nice", "nohup", "claude"],
        ),
        ("RUN exec claude", ["exec", "claude"]),
        ("RUN find . | xargs -n1 -I{} codex {}", ["find", "xargs", "codex"]),
        ("RUN command claude && command -v gemini", ["command", "claude", "command"]),
        ("RUN bash -lc 'npm i -g x && claude --version'", ["bash", "npm", "claude"]),
        ('RUN sh -c "codex \\"q\\" && bash -c \'gemini\'"', ["sh", "codex", "bash", "gemini"]),
        ("RUN bash -euo pipefail -c 'opencode run'", ["bash", "opencode"]),
        ('RUN ["sh", "-c", "codex --help"]', ["sh", "codex"]),
        ('RUN ["claude", "--version"]', ["claude"]),
        ("RUN <<EOF\nset -e\nclaude --version\nEOF", ["set", "claude"]),
        ("RUN bash <<EOF\ncodex x\nEOF", ["bash", "codex"]),
        ("RUN python3 <<EOF\nimport claude\nEOF", ["python3"]),
        ("RUN if [ -x /x ]; then claude; else codex; fi", ["[", "claude", "codex"]),
        ("RUN for f in claude codex; do gemini $f; done", ["gemini"]),
        ("RUN case $x in a) claude;; b|c) codex x;; esac", ["claude", "codex"]),
        ("RUN FOO=bar claude > /tmp/claude 2>&1", ["claude"]),
        ("RUN /usr/local/bin/claude --version", ["claude"]),
        ("RUN a \\\n  # comment\n  && claude", ["a", "claude"]),
    ],
)
def test_commands(run, expected):
    assert names(run) == expected


@pytest.mark.parametrize(
    "run",
    [
        "RUN echo claude",
        "RUN ls /opt/claude",
        "RUN apt-get install -y foo-codex",
        "RUN grep gemini f",
        "RUN echo 'claude && codex'",
        "RUN cat <<EOF > /etc/motd\nclaude\nEOF",
        "RUN command -v claude",
        "RUN test -x /usr/bin/opencode",
    ],
)
def test_words_that_are_not_commands(run):
    assert not {"claude", "codex", "gemini", "opencode"} & set(names(run))


def test_spans_point_at_the_source():
    text = "FROM a\nRUN apt-get update \\\n && sudo claude --version\n"
    df = parse(text)
    script = analyse_run(df.instructions[1])
    claude = [c for c in script.commands if c.name == "claude"][0]
    a, b = claude.spans[0]
    assert text[a:b] == "claude"
    assert [text[x:y] for x, y in script.items] == ["apt-get update", "sudo claude --version"]
    assert not claude.nested


# -- a script cut anywhere: every prefix of a RUN is read without a crash -----------------------

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aishell.lint import Options, lint_text  # noqa: E402

_SHELL_PIECES = st.sampled_from(
    ["npx claude", "claude", " && ", " || ", "; ", " | ", "(", ")", "{ ", " }", "$(", "`", "'", '"', "\\", "if ",
     "then ", "fi", "case x in ", "a) ", ";;", "esac", "for a in b; do ", "done", "<<EOF", "\n", " ", "x=1 ", "&"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_SHELL_PIECES, max_size=14))
@example(["npx claude", " && ", "("])
def test_any_cut_of_a_script_is_linted_without_a_crash(pieces):
    """Unclosed `(`, `{`, `$(`, quotes, `if`, `case`… at the end of a RUN (e.g. `npx claude && (`)."""
    script = "".join(pieces)
    text = "FROM debian\nRUN " + script.replace("\n", " \\\n") + "\n"
    for cut in range(len(text) + 1):
        try:
            lint_text(text[:cut] + "\n", "Dockerfile", Options(use_config=False))
        except Exception as e:  # a parse error is fine, a crash is not
            from aishell.errors import InputError
            from aishell.model import DockerfileSyntaxError

            assert isinstance(e, (DockerfileSyntaxError, InputError)), (text[:cut], e)


def _wrapper_words():
    from tests.bench_scale import scale

    return scale.WRAPPER_WORDS


@pytest.mark.parametrize("count", [1, 7, 8, 9, 30, 200])
def test_a_chain_of_wrappers_keeps_the_first_wrappers_and_the_command(count):
    """Wrappers in a row (the benchmark's wrapper chain shape, each with its options): the first
    eight are commands with every word after them, the ones after are read past (a chain of n
    wrappers was n argvs of up to n words: quadratic; tests/test_scale.py guards the time) but
    for a wrapper that may lose the status (its own words), and the harness at the end is found
    with its own words."""
    words = _wrapper_words()
    chain = [words[i % len(words)] for i in range(count)]
    df = parse("FROM a\nRUN " + " \\\n".join(chain + ["claude -v --x"]) + "\n")
    commands = analyse_run(df.instructions[1]).commands
    from aishell.shell import _STATUS_BY_OPTIONS

    # (their own words only; a wrapper that checks a value, `timeout 5`, only where an expansion
    # may give it)
    deeper = [w.split()[0] for w in chain[8:] if w.split()[0] in _STATUS_BY_OPTIONS]
    assert [c.name for c in commands] == [w.split()[0] for w in chain[:8]] + deeper + ["claude"]
    assert commands[-1].argv == ["claude", "-v", "--x"]
    full = " ".join(chain + ["claude -v --x"]).split()
    at = 0
    for c, w in zip(commands, chain[:8]):
        assert c.argv == full[at:]
        at += len(w.split())


def _status_and_commands(src: str) -> None:
    from aishell.shell import failing_starts

    ins = parse(src).instructions[1]
    analyse_run(ins)
    failing_starts(ins)


@pytest.mark.parametrize(
    "shape,n",  # (n where the quadratic part already dominated the time)
    [
        # A function of n calls called n times: each call walked its n callees (a review).
        (
            lambda n: (
                "FROM x\nRUN f() { " + " \\\n".join(f"c{i};" for i in range(n)) + " }; " + "f; \\\n" * n + "claude -v\n"
            ),
            2000,
        ),
        # n long options before a wrapper's command, and before su's -c: a tuple grew by copies.
        (lambda n: "FROM x\nRUN xargs " + "--verbose \\\n" * n + "claude -v\n", 6000),
        (lambda n: "FROM x\nRUN su " + "--login \\\n" * n + "-c 'claude -v' root\n", 6000),
    ],
    ids=["function calls", "wrapper long options", "su long options"],
)
def test_reading_a_run_stays_linear(shape, n):
    """The reader and the status walk on shapes a review found quadratic: n and 16n, within ten
    times the linear growth (tests/growth.py)."""
    from tests.growth import guard

    def read(n: int) -> None:
        _status_and_commands(shape(n))

    guard(read, n)


def test_a_function_called_again_is_not_walked_again(monkeypatch):
    """Whether a function may end the shell is worked out once per definition, not per call:
    n calls of a function of n calls walked n x n names (the guard above cannot tell that from
    the reading's own linear time at sizes a test can afford)."""
    from aishell import shell

    walks = []
    real = shell._StatusWalk._walk_calls
    monkeypatch.setattr(shell._StatusWalk, "_walk_calls", lambda self, name: walks.append(name) or real(self, name))
    body = "; ".join(f"c{i}" for i in range(50))
    _status_and_commands("FROM x\nRUN f() { " + body + "; }; " + "f; " * 200 + "g() { f; }; g; g; f; claude -v\n")
    assert walks.count("f") <= 2 and walks.count("g") <= 1, walks[:10]


@pytest.mark.parametrize("before", [0, 7, 8, 9, 30])
@pytest.mark.parametrize("loses", ["xargs -r", "setsid -f", "sudo -b"])
def test_a_wrapper_that_loses_the_status_counts_however_deep(before, loses):
    """Past the eighth wrapper in a row wrappers are not recorded, but one that may lose the
    harness's status still is (a review: `nice` x 8, then `xargs -r claude -v`, was an error)."""
    from aishell.shell import failing_starts

    src = "FROM x\nRUN " + "nice " * before + f"{loses} claude -v\n"
    assert src.index("claude") not in failing_starts(parse(src).instructions[1])
