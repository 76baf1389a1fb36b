"""AIS002 reads sudo's options as sudo 1.9's parse_args does (aishell.shell.sudo_parse): a line
sudo refuses with its usage message runs nothing, so no harness call behind it is an error.

Red team (round eleven): `sudo -U x claude` (-U without -l), `sudo -i -s claude`, `sudo -AS
claude`, `sudo -C 2 claude`, a repeated `-u`, `sudo -u '' claude`, `--preserve-env=A=B`, BSD's
`-a`/`-c`, `-v` with a command, `-kN`: each an AIS002 error, though sudo prints its usage and
runs nothing. (Round ten's `sudo --l claude`, `sudo -X claude`, judged then by Python's getopt
over sudo's option list, are among the lines: every long prefix, every letter.) The class:
generated option lines (letters, clusters, attached and next-word
values, long options whole and abbreviated, `--`, NAME=value words), each judged by the real
binary (tests/sudo_oracle.py: its transcript, tests/sudo_parse_args.jsonl, checked again against
the binary where one is given).
"""

import json
import os

import pytest

from aishell.lint import Options, lint_text
from aishell.shell import sudo_parse
from tests import sudo_oracle

RECORDED = [json.loads(line) for line in sudo_oracle.TRANSCRIPT.read_text().splitlines()]
HARNESS_CALLS = [(verdict, words) for verdict, words in RECORDED if words[-2:] == ["claude", "-v"]]
# sudo runs its command, its status the RUN's, unless `-b` (background) or an option sudoers (or
# SELinux) may refuse: then the call is a warning.
MAY_NOT_RUN = set("bCDRTrt")


def _verdict(words: list[str]) -> str:
    mode, _, _ = sudo_parse(["sudo", *words], 0)
    return "usage" if mode == "usage" else "help" if mode == "?h" else "parsed"


def test_the_transcript_is_the_generators_lines():
    assert [words for _, words in RECORDED] == sudo_oracle.lines()


def test_the_transcript_holds_every_verdict():
    verdicts = [verdict for verdict, _ in RECORDED]
    assert {v: verdicts.count(v) > 5 for v in ("usage", "help", "parsed")} == dict.fromkeys(
        ("usage", "help", "parsed"), True
    )


def test_sudo_parse_agrees_with_the_binary_on_every_line():
    wrong = [(verdict, words) for verdict, words in RECORDED if _verdict(words) != verdict]
    assert wrong == []


@pytest.mark.skipif(
    "AISHELL_SUDO" not in os.environ, reason="no sudo binary given (AISHELL_SUDO, see tests/sudo_oracle.py)"
)
def test_the_transcript_is_the_binarys():
    """(Only a sudo with no plugin where it looks: one configured would run the lines.)"""
    sudo = os.environ["AISHELL_SUDO"]
    assert [[sudo_oracle.binary_verdict(sudo, words), words] for _, words in RECORDED] == RECORDED


def test_ais002_follows_the_binary():
    """Each generated line that ends in `claude -v`, the RUN of a stage the last one copies
    from: no finding where sudo
    refuses the line (or prints its help), else what the mode it chose owes (`-l`, `-v`, `-e`:
    none; an option that may keep the command from running: a warning; else an error)."""
    text = "".join(
        f"FROM aishell:foundation AS s{i}\nRUN sudo {' '.join(_quoted(w) for w in words)}\n"
        for i, (_, words) in enumerate(HARNESS_CALLS)
    )
    # (a last stage that needs every one: none is skipped)
    text += "FROM aishell:foundation\n" + "".join(f"COPY --from=s{i} /x /x{i}\n" for i in range(len(HARNESS_CALLS)))
    found = {
        f.line: f.severity
        for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings
        if f.code == "AIS002"
    }
    wrong, wants = [], set()
    for row, (verdict, words) in enumerate(HARNESS_CALLS):
        row = 2 * row + 2
        mode, at, letters = sudo_parse(["sudo", *words], 0)
        if verdict != "parsed" or mode != "run" or at != len(words) - 1:
            want = None
        else:
            want = "warning" if MAY_NOT_RUN.intersection(letters) else "error"
        wants.add(want)
        if found.get(row) != want:
            wrong.append((words, verdict, found.get(row), want))
    assert wrong == []
    assert wants == {None, "warning", "error"}


def _quoted(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"
