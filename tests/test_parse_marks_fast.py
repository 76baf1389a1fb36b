"""Lines with `<<` that open no heredoc, and quoted or `<<-` heredoc lines, read fast (issue 18).

aishell/model.py reads a line whose `<<` are none at a word's start (`RUN echo '<<X' && claude -v`)
as the simple line it is (QUOTED_MARKS_LINE), and `RUN <<'WORD'`, `RUN <<"WORD"`, `RUN <<-WORD`,
`RUN bash <<-'WORD'` as it reads `RUN <<WORD` (QUOTED_HEREDOC_LINE), not through
_read_instruction and heredoc_words: benchmarks/scale.py's "quoted heredoc marks". Here: every
field of every instruction (tests/test_parse_fast.py's dump, and each heredoc's shell_expands)
is the same with the switches on, with them off and through the reference reader, on lines with
`<<` in many places and quotings (single, double, escaped quotes, `\\<<`, `<<<`, `<<-`, fds,
several openers, unterminated quotes, JSON form, continuations, comments, `# escape=``, a BOM,
CRLF); a sample agrees with BuildKit's parser; the shape takes the fast paths and stays linear.
"""

from __future__ import annotations

from itertools import product
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from aishell import model
from aishell.model import DockerfileSyntaxError, _parse, paused_gc
from tests.conftest import FUZZ_EXAMPLES, FUZZ_SEED
from tests.growth import guard
from tests.test_parse_fast import _model, _read_instruction_before
from tests.test_quoted_marks_fast import _shape  # (benchmarks/scale.py's quoted_heredoc_marks, n RUNs)

_SWITCHES = ("QUOTED_MARKS_LINE", "QUOTED_HEREDOC_LINE")


def _answer(text: str, fast: bool = True, on: bool = True):
    """The model (tests/test_parse_fast.py's dump, and each heredoc's shell_expands) or the error,
    with the switches ``on`` or off; ``fast=False``: every line through the reader as it was
    before the fast paths (the reference)."""
    try:
        with (
            paused_gc(),
            mock.patch.multiple(model, **dict.fromkeys(_SWITCHES, on)),
            mock.patch.object(
                model, "_read_instruction", model._read_instruction if fast else _read_instruction_before
            ),
        ):
            df = _parse(text, None, fast=fast)
            return _model(df), [[h.shell_expands for h in i.heredocs] for i in df.instructions]
    except DockerfileSyntaxError as e:
        return ("error", e.line, e.message)


def _same(text: str) -> None:
    got = _answer(text)
    assert got == _answer(text, on=False), repr(text)
    assert got == _answer(text, fast=False), repr(text)


# Words with `<<` in every place and quoting, and words near them.
PIECES = ["<<X", "<<-X", "<<'X'", '<<"X"', "<<-'X'", '<<-"X"', "3<<X", "<<X'", "<<'X", "<<\"X'", "<<''"]
PIECES += ["<<-Z", "<<'Z'"]  # (no terminator)
PIECES += ["'<<X'", '"<<X"', "'a <<X'", '"a <<X"', "'a' <<X", "a<<X", "a <<X", "\\<<X", "\\ <<X", "<<\\X"]
PIECES += ["<<<X", '<<<"x"', "<<<", "<<", "<<E<F", "<<X\\", "'", '"', "\\'<<X", '"\\"<<X"', '"\\" <<X"']
PIECES += ["'\\' <<X'", "$x<<X", "${x}<<X", "${<<X}", "`<<X`", "` <<X`", "#<<X", "# <<X", "<<\xe9", "\xa0<<X"]
PIECES += ["<<X\xa0", "<<\ufeffX", "<<E1 <<E2", "<<X && cat <<-E", "x", "-e", "$V", "${V:-d}", "'q w'"]
# Lines around them: keywords (heredocs read for RUN, COPY, ADD only), flags, JSON form, words
# before, an escape at the end (a continuation), a comment, the next line's continuation.
TEMPLATES = ["RUN {}", "RUN echo {} && claude -v", "run\t{}", "  RUN {} ", "COPY {} /x", "ADD {} /x", "CMD {}"]
TEMPLATES += ["ENTRYPOINT echo {}", "ENV A={}", "LABEL a={}", "ARG A={}", "USER {}", "ONBUILD RUN {}", "# {}"]
TEMPLATES += ["RUN --network=none {}", 'RUN ["sh", "-c", "{}"]', "RUN bash -e {}", "RUN echo {} \\", "RUN echo {} #"]
TEMPLATES += ["RUN echo \\\n {}", "RUN echo {} `", "RUN\xa0{}", "RUN 2{}"]
BODY = "x\nX\n\tX\nE\n\t\tE\n'X'\nE1\nE2\nF\n\xe9\nX\\\n"
TAB_BODY = "\tx\n\t\tX\n\tE\n\t'X'\n\tE1\n\tE2\nF\n\xe9\nX\n"  # (`<<-`: a terminator after tabs)


def test_lines_with_heredoc_marks_read_the_same():
    """Each piece in each template: after a FROM with bodies after it; as the file's first line
    (after a BOM); in a `# escape=`` file (the backquote its escape), with CRLF and the bodies'
    lines after tabs."""
    n = 0
    for piece, template in product(PIECES, TEMPLATES):
        line = template.format(piece)
        for text in (
            f"FROM a\n{line}\n{BODY}RUN y\n",
            f"\ufeff{line}\n{BODY}FROM a\n",
            f"# escape=`\n{line}\n{TAB_BODY}FROM a\n".replace("\n", "\r\n"),
        ):
            _same(text)
            n += 1
    assert n == 3 * len(PIECES) * len(TEMPLATES)


LINE_PARTS = [*PIECES, " ", "\t", "", "\xa0", "\v", "echo", "claude -v", "&&", "\\", "`", "[", '"]']
KEYWORDS = ["RUN ", "run\t", "COPY ", "CMD ", "ONBUILD RUN ", "RUN --mount=type=cache,target=/c ", "ENV A=", "  RUN "]
BODIES = ["X", "\tX", "E", "E1", "E2", "F", "x", "'X'", "", "# c", "X ", "RUN y", "EOF", "\\", "`"]


@st.composite
def files(draw):
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        parts = draw(st.lists(st.sampled_from(LINE_PARTS), min_size=1, max_size=5))
        lines.append(draw(st.sampled_from(KEYWORDS)) + " ".join(parts) + draw(st.sampled_from(["", " \\", "\\", " `"])))
        lines += draw(st.lists(st.sampled_from(BODIES), max_size=3))
    head = draw(st.sampled_from(["", "\ufeff", "# escape=`\n", "# escape=\\\n", "FROM a\n"]))
    text = head + "\n".join(lines) + "\nFROM a\n"
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@pytest.mark.parametrize("run_seed", [FUZZ_SEED], ids=lambda s: f"seed={s}")
def test_generated_files_read_the_same(run_seed):
    """Files of lines of such words, several a line, with bodies between: on, off, reference."""

    @seed(run_seed)
    @settings(
        max_examples=max(200, FUZZ_EXAMPLES // 3),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(files())
    def check(text):
        _same(text)

    check()


def test_a_sample_agrees_with_buildkit():
    """BuildKit's parser (the `dockerfile` package) finds the same instructions, lines and
    heredocs (names and bodies) as the fast paths: the pieces in the RUN templates, and the shape."""
    pytest.importorskip("dockerfile")
    from tests.test_model_reference import _compare

    n = 0
    for piece, template in product(PIECES, TEMPLATES[:8] + TEMPLATES[14:20]):
        _compare(f"FROM a\n{template.format(piece)}\n{BODY}RUN y\n")
        n += 1
    _compare(_shape(50))
    assert n > 500


def test_the_shape_takes_the_fast_paths():
    """The shape's lines and the other quoted and `<<-` openers are read without _read_instruction
    and heredoc_words (else the tests above compare nothing), and with the switches off through them."""
    text = (
        _shape(40) + "RUN <<\"Q\"\nq\nQ\nRUN <<-T\n\tt\n\tT\nRUN sh -e <<-'U'\nu\n\t\tU\nRUN echo \"<<a\" 'b<<c' d<<e\n"
    )
    for on, want in ((True, 0), (False, 44)):
        calls = []
        real_read, real_words = model._read_instruction, model.heredoc_words

        def read(*args):
            calls.append("read")
            return real_read(*args)

        def words(*args):
            calls.append("words")
            return real_words(*args)

        with (
            mock.patch.multiple(model, **dict.fromkeys(_SWITCHES, on)),
            mock.patch.object(model, "_read_instruction", read),
            mock.patch.object(model, "heredoc_words", words),
        ):
            df = model.parse(text)
        assert calls.count("read") == want, on
        assert calls.count("words") == want, on
        assert len(df.instructions) == 45
    _same(text)
    # What the regexes take and leave (the lines above, and those just off the paths).
    for line in ("RUN echo '<<X1' && claude -v", "RUN a<<b", 'RUN echo "<<X"', "RUN \\<<X", "COPY x<<'y' /z"):
        assert model._HEREDOC_OPENER.search(line) is None, line
    for line in ("RUN <<X", "RUN echo 3<<X", "RUN\t<<-X", "RUN echo ' <<X'", "RUN\xa0<<X", "RUN a \\ <<X"):
        assert model._HEREDOC_OPENER.search(line) is not None, line
    for line in ("RUN <<'E0'", 'run\t<<"E"', "RUN <<-E", "RUN <<-'E'", "RUN <<E"):
        assert model._QUOTED_HEREDOC_LINE.match(line) is not None, line
    for line in ("RUN <<'E\"", "RUN <<'E", "RUN <<'E' x", "RUN 3<<'E'", "RUN <<--E", "RUN <<''", "COPY <<'E'"):
        assert model._QUOTED_HEREDOC_LINE.match(line) is None, line
    for line in ("RUN bash <<'E'", 'RUN sh -e <<-"E"', "RUN cat <<-E"):
        assert model._QUOTED_HEREDOC_WORDS_LINE.match(line) is not None, line
    for line in ("RUN 'sh' <<'E'", "RUN sh <<'E' x", "RUN sh 0<<'E'", "RUN --m=x sh <<'E'"):
        assert model._QUOTED_HEREDOC_WORDS_LINE.match(line) is None, line


def test_the_shape_stays_linear():
    """The parse of the shape at 2,000 and 32,000 RUNs (about 1 MB): linear growth."""

    def parse_shape(n):
        model.parse(_shape(n))

    guard(parse_shape, 2_000)
