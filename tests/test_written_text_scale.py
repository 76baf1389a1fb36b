"""What a RUN's feeders write stays within the budget of nested text (issue 18: linear by
design; found by a red-team pass).

The reader keeps the pieces of each file a feeder wrote (`echo … > s.sh`, `>> s.sh`, `cat a b >
c`), and puts together what `printf FORMAT ARGS` writes, before a shell reads it. Three ways
grew faster than the file:

- `>> s.sh` copied the file's pieces at every append: n appends, n²/2 pieces (1.6 MB: 24 s);
- `cat f f > g` copied the pieces of each file it names: doubled a few dozen times, 2^k pieces
  (a 478-byte file: 4.8 s and 462 MB at k = 24), and a file of n pieces copied n times, n²;
- printf uses its format again while arguments are left: a long format and many arguments
  wrote their product (a 16 KB file: 34 s and 441 MB).

Counted, not timed: the pieces copied into the files' lists, the characters put together
(shell._Mapped), at n and GROWTH * n (each class grew GROWTH² times or more before).
"""

from __future__ import annotations

import pytest

from aishell import shell
from aishell.lint import Options, lint_text
from tests.growth import GROWTH


def _lint(text: str) -> list:
    return lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings


def _copied(text: str, monkeypatch) -> int:
    """The pieces put into the lists of the files the RUNs wrote while linting ``text``: a
    list made anew counts all of its pieces, one grown in place what it grew by."""
    total = [0]
    write = shell._Reader._write

    def counting(self, target, srcs, appended):
        key = shell._file_key(target)
        old = self.files.get(key)
        before = len(old) if old is not None else 0
        write(self, target, srcs, appended)
        new = self.files.get(key)
        if new is not None:
            total[0] += len(new) - before if new is old else len(new)

    with monkeypatch.context() as m:
        m.setattr(shell._Reader, "_write", counting)
        assert _lint(text)  # (the harness after them is still read)
    return total[0]


def _heredoc(lines: list[str]) -> str:
    return "FROM aishell:foundation\nRUN <<EOF\n" + "\n".join(lines) + "\nclaude -v\nEOF\n"


def _pieces(n: int) -> list[str]:
    """A file of n pieces (written first: its content is sure)."""
    return ["echo 'echo 0' > s.sh", *(f"echo 'echo {i}' >> s.sh" for i in range(1, n))]


def _appends(n: int) -> str:
    return _heredoc([*_pieces(n), "sh s.sh"])


def _copies(n: int) -> str:
    """A file of n pieces, copied n times."""
    return _heredoc([*_pieces(n), *(f"cat s.sh > t{i % 200}.sh" for i in range(n))])


PIECES = {"appended": _appends, "copied": _copies}


@pytest.mark.parametrize("name", list(PIECES))
def test_the_pieces_of_written_files_grow_with_the_file(name, monkeypatch):
    n = 64
    small = _copied(PIECES[name](n), monkeypatch)
    big = _copied(PIECES[name](n * GROWTH), monkeypatch)
    assert big <= 2 * GROWTH * small, f"{name}: {small} pieces at n={n}, {big} at {n * GROWTH}"


def test_a_file_doubled_by_cat_stays_within_the_budget(monkeypatch):
    """`cat f f > g` k times: 2^k pieces; at most the budget of the RUN's nested text."""
    k = 20
    text = _heredoc(["echo 'echo hi' > f0", *(f"cat f{i} f{i} > f{i + 1}" for i in range(k)), f"sh f{k}"])
    assert _copied(text, monkeypatch) <= 2 * (shell.NESTED_BUDGET * len(text) + shell.NESTED_EXTRA)


def test_a_file_doubled_a_few_times_is_still_read():
    """Within the budget, what the copies hold is read: the harness in the file is found."""
    text = _heredoc(["echo 'claude -v' > f0", *(f"cat f{i} f{i} > f{i + 1}" for i in range(4)), "sh f4"])
    lines = [f.line for f in _lint(text)]
    assert lines.count(3) == 1 and len(lines) == 2, lines  # (the `echo` line's, and the end's)


def _put_together(text: str, monkeypatch) -> int:
    """The characters of the scripts (shell._Mapped) made while linting ``text``, with no
    NESTED_EXTRA (a constant, which small files would spend whole)."""
    total = [0]
    init = shell._Mapped.__init__

    def counting(self, s, offsets):
        total[0] += len(s)
        init(self, s, offsets)

    with monkeypatch.context() as m:
        m.setattr(shell._Mapped, "__init__", counting)
        m.setattr(shell, "NESTED_EXTRA", 0)
        assert _lint(text)
    return total[0]


def _printf(n: int, use: str) -> str:
    """A format of about n characters, used again for each of n arguments."""
    fmt = "echo " + "x" * n + " %s\\n"
    return _heredoc([use.format(f"printf '{fmt}' " + " ".join("a" * n))])


PRINTF = {"piped": "{} | sh", "written": "{} > s.sh; sh s.sh", "substituted": 'c="$({})"; eval "$c"'}


@pytest.mark.parametrize("name", list(PRINTF))
def test_a_format_used_again_stays_within_the_budget(name, monkeypatch):
    n = 16
    small = _put_together(_printf(n, PRINTF[name]), monkeypatch)
    big = _put_together(_printf(n * GROWTH, PRINTF[name]), monkeypatch)
    assert big <= 2 * GROWTH * small, f"{name}: {small} characters at n={n}, {big} at {n * GROWTH}"


def test_a_format_used_again_within_the_budget_is_read():
    text = _heredoc(["printf '%s\\n' a b 'claude -v' c | sh"])
    assert [f.line for f in _lint(text)].count(3) == 1
