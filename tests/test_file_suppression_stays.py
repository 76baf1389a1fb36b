"""A file-wide suppression belongs to the file: a fix never takes it with an instruction.

Found by a red team: `# aishell: ignore-file=AIS001 we pin the old image until Q3` above a
`RUN claude --version` went with the RUN when `migrate --unsafe-fixes` removed it (a comment
directly above an instruction is the instruction's), and a second pass then rewrote the FROM the
comment had kept; AIS102 removing a duplicate ARG took one the same way. The class: every fix
that removes or moves an instruction × where the `ignore-file=` line sits in the comments above
it (alone, under or over another comment, indented, with CRLF). After each fix (and a second
pass) the suppression line is in the file once, byte for byte, and the code it names was not
fixed.
"""

import itertools

import pytest

from aishell.lint import Options
from aishell.migration import fix_text

SUPPRESSION = "# aishell: ignore-file=AIS001 we pin the old image on purpose until Q3"

# (instruction a fix removes or moves, the lines around it)
TARGETS = {
    "AIS002 removes a RUN": ("RUN claude --version", "RUN echo ok"),
    "AIS003 removes an install": ("RUN npm install -g @anthropic-ai/claude-code", "RUN echo ok"),
    "AIS102 removes a duplicate ARG": ("ARG V=1", "ARG V=1\nRUN echo $V"),
    "AIS102 moves an ARG": ("ARG BUILD_DATE", "RUN apt-get update && apt-get install -y curl\nLABEL d=$BUILD_DATE"),
}
BLOCKS = [
    [SUPPRESSION],
    ["# why we do this", SUPPRESSION],
    [SUPPRESSION, "# the RUN below checks the CLI"],
    ["  " + SUPPRESSION],
    ["# a", SUPPRESSION, "# b"],
]


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_the_file_wide_suppression_stays(target, nl):
    line, after = TARGETS[target]
    for block in BLOCKS:
        for ais102_first in (False, True):
            head = ["FROM aishell:base"] + (["ARG V=1"] if "duplicate" in target and ais102_first else [])
            lines = head + block + [line] + after.split("\n")
            text = nl.join(lines) + nl
            out = text
            for _ in range(3):  # later passes see what the first left
                out = fix_text(out, "Dockerfile", Options(use_config=False), unsafe=True).text
            kept = [ln for ln in out.split(nl) if "ignore-file" in ln]
            want = [ln for ln in block if "ignore-file" in ln]
            assert kept == want, (target, block, out)
            assert out.startswith("FROM aishell:base"), (target, block, out)


def test_the_instruction_still_goes_with_its_other_comments():
    text = f"FROM aishell:foundation\n{SUPPRESSION}\n# checks the CLI\nRUN claude --version\nRUN echo ok\n"
    out = fix_text(text, "Dockerfile", Options(use_config=False), unsafe=True).text
    assert out == f"FROM aishell:foundation\n{SUPPRESSION}\nRUN echo ok\n"


def test_products_are_distinct():
    assert len(set(itertools.product(TARGETS, map(tuple, BLOCKS)))) == len(TARGETS) * len(BLOCKS)
