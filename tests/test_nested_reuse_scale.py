"""A script the RUN stores once and runs many times stays linear (issue 18: linear by design;
found by a red-team pass).

The reader reads what a RUN stored (a variable's value, an alias, the positional parameters, a
file it wrote or appended to, a function's body) again where it runs (`eval "$c"`, `sh -c
"$c"`, `$c`, `sh s.sh`, `. ./s.sh`), inside the budget of nested text it may read (shell.
NESTED_BUDGET). Work done to put that text together before the budget was asked (the value's
offsets, a file's pieces joined) once made a stored value of n characters run n times take n²:
20 KB took 6 s and 450 MB, and `echo … >> s.sh; sh s.sh` on every line 73 s at 131 KB.

Generated: every way to store a script x every way to run it again, on a RUN line and in a
heredoc, the stored script and the number of runs both growing with n: at GROWTH * n the text
the reader puts together grows at most twice as much as the file (counted, so that the test
is exact); a value an ENV set, run by every RUN, is guarded by time (tests/growth.py).
"""

from __future__ import annotations

import pytest

from aishell.lint import Options, lint_text
from aishell import shell
from tests.growth import GROWTH, guard

# (how the RUN stores a script ``{v}``, the commands that run it again)
STORES = {
    "variable": ("c='{v}'", ['eval "$c"', 'sh -c "$c"', 'bash -c "$c"', "$c", 'sh -c "$c" sh x']),
    "exported": ("export c='{v}'", ["sh -c 'eval \"$c\"'", "env sh -c '$c'"]),
    "alias": ("alias c='{v}'", ["c"]),
    "positional": ("set -- '{v}'", ['eval "$1"', "$1", 'eval "$@"']),
    "default": ("c='{v}'", ['eval "${c:-true}"', "${c:-true}"]),
    "written file": ("echo '{v}' > s.sh", ["sh s.sh", ". ./s.sh", "bash ./s.sh", "sh < s.sh", "cat s.sh | sh"]),
    "executable file": ("echo '{v}' > s.sh && chmod +x s.sh", ["./s.sh"]),
    "function": ("f() {{ {v}; }}", ["f", "f x"]),
}


def _script(store: str, use: str, n: int) -> list[str]:
    value = "; ".join(f"echo {i}" for i in range(n))
    return [store.format(v=value)] + [use] * n


def _dockerfile(key: str, n: int, uses: list[str] | None = None) -> str:
    store, all_uses = STORES[key]
    runs = []
    for use in all_uses if uses is None else uses:
        lines = _script(store, use, n)
        runs.append("RUN " + "; ".join(lines) + "; claude -v\n")
        runs.append("RUN <<EOF\n" + "\n".join(lines) + "\nclaude -v\nEOF\n")
    return "FROM aishell:foundation\n" + "".join(runs)


def _appended(n: int) -> str:
    """A file appended to before each run: each run reads all that was written so far."""
    lines = [f"echo 'echo {i}' >> s.sh\nsh s.sh" for i in range(n)]
    return "FROM aishell:foundation\nRUN <<EOF\n" + "\n".join(lines) + "\nclaude -v\nEOF\n"


SHAPES = {
    f"{key}: {use}": (lambda n, key=key, use=use: _dockerfile(key, n, [use]))
    for key in STORES
    for use in STORES[key][1]
}
SHAPES["appended file: sh s.sh"] = _appended


def _put_together(text: str, monkeypatch) -> int:
    """The characters of the scripts (shell._Mapped) made while linting ``text``: the text each
    nested script is read from, and what is put together before the budget is asked."""
    total = [0]
    init = shell._Mapped.__init__

    def counting(self, s, offsets):
        total[0] += len(s)
        init(self, s, offsets)

    with monkeypatch.context() as m:
        m.setattr(shell._Mapped, "__init__", counting)
        found = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    assert found  # (the harness after them is still read)
    return total[0]


@pytest.mark.parametrize("name", list(SHAPES))
def test_a_stored_script_run_many_times_stays_linear(name, monkeypatch):
    """Counted, not timed: at GROWTH times the runs and the stored script, at most twice GROWTH
    times the text put together (n² put GROWTH² times more: 10 MB for a 20 KB file)."""
    n = 32
    small = _put_together(SHAPES[name](n), monkeypatch)
    big = _put_together(SHAPES[name](n * GROWTH), monkeypatch)
    assert big <= 2 * GROWTH * small, f"{name}: {small} characters at n={n}, {big} at {n * GROWTH}"


def test_a_value_used_within_the_budget_is_still_read():
    """The budget cuts only what is past it: a stored harness call run a few times is found."""
    for key, (store, uses) in STORES.items():
        if key == "function":
            continue  # (a function is read at its definition)
        for use in uses:
            text = "FROM aishell:foundation\nRUN " + "; ".join([store.format(v="claude -v"), use, use]) + "\n"
            found = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
            assert found, (key, use)


def test_a_value_the_stage_set_run_by_every_run_stays_linear():
    """`ENV c=…` read by thousands of `RUN eval "$c"`: the RUNs of a file share one pool of
    nested text past their own budgets (shell.start_file); past it, each RUN reads the part of
    the value its own budget allows, as a script that may not run (a warning, still found)."""

    def lint(n: int) -> None:
        value = "claude -v; " + "; ".join(f"echo {i}" for i in range(n))
        text = 'FROM aishell:foundation\nENV c="' + value + '"\n' + 'RUN eval "$c"\n' * n
        found = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
        assert len(found) == n

    guard(lint, 16, growth=32)


def _findings(text: str) -> list[tuple]:
    found = lint_text(text, "Dockerfile", Options(use_config=False)).findings
    return [(f.code, f.severity, f.line, f.column, f.message) for f in found]


def test_what_a_file_reads_does_not_depend_on_the_files_before_it():
    """The pool is the file's: a file read after one that spent it all reads as it reads alone,
    also where the same RUN text was read in the spent file (a script read within what was left
    is not kept for another file: shell._analyse_cached)."""
    spender = _dockerfile("variable", 100)
    for key, text in [(key, _dockerfile(key, 12)) for key in STORES]:
        alone = _findings(text)
        runs = text.split("\n", 1)[1]
        _findings(spender + runs)  # (the same RUNs, read after the pool is spent)
        assert _findings(text) == alone, key


def test_a_run_read_with_the_pool_short_is_not_kept_for_another_file():
    from aishell import shell
    from aishell.model import parse

    run = parse("FROM x\nRUN eval 'claude -v' # short pool\n").instructions[1]
    try:
        shell._POOL[0] = 0
        shell.analyse_run(run)
        assert not any("short pool" in str(key) for key in shell._SEEN)
        shell.start_file(100)
        run.shell = None
        shell.analyse_run(run)
        assert any("short pool" in str(key) for key in shell._SEEN)  # (a whole pool: kept)
    finally:
        shell._POOL[0] = None
