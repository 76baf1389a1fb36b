"""AIS103 reads the glob words of a RUN that mounts the context in time linear in the text (issue 18).

Where a RUN bind-mounts the whole context (`--mount=type=bind,target=/ctx`), AIS103 looks for the
words of its text that hold a glob character (`ls /ctx/dis[t]` may read an artefact). findall of
_GLOB_WORD retried a word without one from each of its characters, each try reading to the
word's end: one 60 KB word took 18 s, a 240 KB file of four such RUNs over a minute. _glob_words
reads the runs between separators once and keeps those with `*`, `?` or `[`: the same words
(checked against findall on generated text), and the class at 60 KB within ten times its linear time.
"""

import random

import pytest

from aishell.lint import Options, lint_text
from lint_rules import ais103_context_without_ignore as ais103
from tests.growth import cpu_time

_ALPHABET = "ab/.*?[]\\ \t\n'\"`;&|()<>$-\u00a0"


@pytest.mark.parametrize("seed", range(20))
def test_glob_words_are_the_words_findall_finds(seed, monkeypatch):
    rng = random.Random(seed)
    for _ in range(300):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(40)))
        want = ais103._GLOB_WORD.findall(text)
        assert ais103._glob_words(text) == want, repr(text)
        monkeypatch.setattr(ais103, "LINEAR_GLOB_WORDS", False)
        assert ais103._glob_words(text) == want
        monkeypatch.setattr(ais103, "LINEAR_GLOB_WORDS", True)


def _mounting(word_chars: int, runs: int) -> str:
    body = "".join(f"RUN --mount=type=bind,target=/ctx cat /ctx/x{i} && echo {'a' * word_chars}\n" for i in range(runs))
    return "FROM debian\nCOPY . .\n" + body


def test_a_named_glob_still_keeps_the_artefact(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("x\n")
    path = str(tmp_path / "Dockerfile")
    text = "FROM debian\nCOPY . .\nRUN --mount=type=bind,target=/ctx ls /ctx/.gi[t]\n"
    assert not [f for f in lint_text(text, path, Options(use_config=False)).findings if f.code == "AIS103"]
    assert [f for f in lint_text(_mounting(10, 1), path, Options(use_config=False)).findings if f.code == "AIS103"]


# One RUN of a 60 KB word (the longest a line BuildKit reads allows) and four of them (240 KB):
# 0.05 s and 0.1 s here (2 cores, Python 3.11) for the rule's reading, rounded up; the quadratic
# findall took 18 s for each RUN. The guard is ten times the linear time.
LINEAR_SECONDS = 0.3


@pytest.mark.parametrize("runs", [1, 4])
def test_long_words_stay_linear(runs, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("x\n")
    text = _mounting(60_000, runs)
    start = cpu_time()
    found = lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False)).findings
    elapsed = cpu_time() - start
    assert [f for f in found if f.code == "AIS103"]
    assert elapsed < 10 * LINEAR_SECONDS, f"{elapsed:.1f} s for {runs} RUN(s) of a 60 KB word"
