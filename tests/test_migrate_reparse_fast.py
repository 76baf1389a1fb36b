"""The fix loop's line memo (migrate.fixer.REPARSE_MEMO, aishell.model.SEEN_LINES) gives the
models and the migrate results the parse without it gives.

While a file's fix loop runs, a simple line the parse has read and checked is taken from the
memo the next time (in that parse, or the next pass's, or a snippet the verifier parses):
generated texts of such lines and of their near misses (a line continued, a heredoc, a comment,
a blank line, CRLF, a BOM, line 0, lines BuildKit refuses: `COPY a`, `WORKDIR`, `ENV =x`, the
backtick escape) are parsed one after another with the memo on, each model compared slot for
slot with a fresh parse's, an error with the same error; and migrate's results (text, fixes
applied and refused, findings left) with the switch on and off, on generated files and a sample
of the corpus."""

from __future__ import annotations

import os
from array import array

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell import model
from aishell.lint import Options
from aishell.migrate import fixer
from aishell.migration import linter
from aishell.model import DockerfileSyntaxError, parse

_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))

_LINES = [
    "FROM aishell:base",
    "FROM node:24 AS build",
    "FROM build",
    "  FROM debian:bookworm",
    "WORKDIR /app",
    "WORKDIR",
    "WORKDIR \xa0",
    "COPY . .",
    "COPY a",
    "COPY package.json ./",
    "ARG BUILD_DATE",
    "ARG =x",
    "ENV A=1",
    "ENV =x",
    "RUN npm ci --ignore-scripts",
    "RUN claude --version && make",
    "RUN make \\",
    "    && make install",
    "RUN make `",
    "RUN <<EOF",
    "echo hi",
    "EOF",
    "RUN cat <<EOF",
    "# a comment",
    "# aishell: ignore=AIS002",
    "# escape=`",
    "# syntax=docker/dockerfile:1",
    "",
    "   ",
    "USER node",
    "USER",
    "EXPOSE 8080",
    "EXPOSE",
    'CMD ["node"]',
    "ONBUILD RUN make",
    "VOLUME /data",
    "HEALTHCHECK NONE",
    "LABEL a=b",
    'SHELL ["/bin/bash", "-c"]',
    "SHELL bash",
]


def _offsets(o):
    if o is None or isinstance(o, range):
        return o
    return list(o.array() if type(o) is model._Pieces else o)


def _ins(i):
    if i is None:
        return None
    return (
        type(i).__name__,
        i.keyword,
        i.raw_keyword,
        i.start,
        i.end,
        i.start_line,
        i.end_line,
        i.logical,
        i.args_start,
        i.stage,
        i.comment_before,
        i.key_values,
        _offsets(i._offsets),
        list(i.flags),
        [(h.name, h.content, h.chomp, h.expand, h.fd, list(h.line_offsets), h.terminator_line) for h in i.heredocs],
        i.json_args,
        _ins(i.sub),
    )


def _state(text: str):
    """The whole model of ``text`` (stages too), or the error."""
    try:
        df = parse(text)
    except DockerfileSyntaxError as e:
        return ("error", e.message, e.line)
    return (
        df.directives,
        df.escape,
        df.line_starts,
        [_ins(i) for i in df.instructions],
        [_ins(i) for i in df.flagged],
        [
            (s.index, s.from_ins.start, s.image, s.name, s.platform, [x.start for x in s.instructions])
            for s in df.stages
        ],
        [g.start for g in df.global_args],
    )


@st.composite
def _texts(draw):
    lines = draw(st.lists(st.sampled_from(_LINES), min_size=1, max_size=12))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(lines) + draw(st.sampled_from(["", end]))
    # (a backtick file: its escape ends a continued line, and a `\\` is a character)
    text = draw(st.sampled_from(["", "", "# escape=`" + end, "# syntax=x" + end])) + text
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


def _memo_on():
    model.SEEN_LINES = {"\\": {}, "`": {}}


@_SETTINGS
@given(st.lists(_texts(), min_size=1, max_size=5))
def test_parses_with_the_memo_equal_fresh_parses(texts):
    """Texts parsed one after another with one memo (each reading what the ones before left):
    each model, or error, as without it."""
    try:
        fresh = [_state(t) for t in texts]
        _memo_on()
        for t, want in zip(texts, fresh):
            assert _state(t) == want
            assert _state(t) == want  # (its own lines now all remembered)
    finally:
        model.SEEN_LINES = None


@_SETTINGS
@given(_texts(), st.data())
def test_a_line_moved_or_changed_between_parses(text, data):
    """The second parse of a fix pass: lines moved, removed, added, as the fixes do."""
    lines = text.split("\n")
    ops = data.draw(st.lists(st.tuples(st.integers(0, 20), st.sampled_from(_LINES + ["-"])), max_size=4))
    for k, line in ops:
        k %= len(lines) + 1
        if line == "-":
            del lines[k : k + 1]
        else:
            lines.insert(k, line)
    second = "\n".join(lines)
    try:
        want = _state(text), _state(second)
        _memo_on()
        assert (_state(text), _state(second)) == want
    finally:
        model.SEEN_LINES = None


def test_a_line_of_one_escape_is_not_taken_for_the_other():
    """`RUN make \\` is a whole instruction in a backtick file and continued in the others (and
    `RUN make `` the other way round): the memo keeps each escape's lines apart."""
    backtick = "# escape=`\nFROM a\nRUN make \\\nRUN make `\n  && b\n"
    plain = "FROM a\nRUN make \\\n  && b\nRUN make `\n"
    for texts in ((backtick, plain), (plain, backtick)):
        try:
            want = [_state(t) for t in texts]
            _memo_on()
            assert [_state(t) for t in texts] == want
        finally:
            model.SEEN_LINES = None


def test_the_memo_is_asked_and_filled():
    """The generated lines reach the memo: a text's second parse takes its lines from it."""
    text = "FROM a\nWORKDIR /app\nCOPY . .\nRUN make\nCOPY . .\n"
    try:
        _memo_on()
        want = _state(text)
        assert "COPY . ." in model.SEEN_LINES["\\"]
        assert "FROM a" not in model.SEEN_LINES["\\"]  # (line 0: a BOM may stand before it)
        assert _state(text) == want
    finally:
        model.SEEN_LINES = None
    assert model.SEEN_LINES is None


def _migrated(text: str, path: str, on: bool, unsafe: bool = True):
    saved = fixer.REPARSE_MEMO
    fixer.REPARSE_MEMO = on
    try:
        r = fixer.fix_text(text, path, linter(Options(use_config=False)), unsafe)
    except Exception as e:  # (an InputError: the same one both ways)
        return ("error", type(e).__name__, str(e))
    finally:
        fixer.REPARSE_MEMO = saved
    assert model.SEEN_LINES is None
    return (
        r.text,
        [(f.code, f.start, f.message, f.fix) for f in r.applied],
        [(f.code, f.start, why) for f, why in r.rejected],
        [(f.code, f.start, f.message, f.fix) for f in r.remaining],
        r.held_back,
    )


_FIXABLE = [
    "FROM aishell:base",
    "FROM aishell:base AS dev",
    "ARG BUILD_DATE",
    "RUN apt-get update",
    "RUN make",
    "RUN claude --version && make",
    "RUN npm i -g @anthropic-ai/claude-code",
    "RUN npm ci --ignore-scripts",
    "COPY . .",
    "WORKDIR /app",
    "RUN make \\",
    "  && claude --version",
    "RUN <<EOF",
    "claude --version",
    "EOF",
    "# a comment",
    "",
]


@_SETTINGS
@given(st.lists(st.sampled_from(_FIXABLE), min_size=1, max_size=14), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_migrate_with_and_without_the_memo(lines, end, unsafe):
    text = end.join(lines) + end
    assert _migrated(text, "Dockerfile", True, unsafe) == _migrated(text, "Dockerfile", False, unsafe)


def test_migrate_on_the_corpus_with_and_without_the_memo():
    """A sample of the real corpus (each file and, on aishell:base with a harness call in front
    of its RUNs, the fixes every pass makes)."""
    corpus = "/work/shared/corpus/dockerfiles"
    if not os.path.isdir(corpus):
        return
    names = sorted(n for n in os.listdir(corpus) if not n.endswith(".dockerignore"))[::16]
    import re

    for n in names:
        with open(os.path.join(corpus, n), encoding="utf-8", errors="replace") as f:
            text = f.read()
        hot = re.sub(r"^FROM\s+\S+", "FROM aishell:base\nARG BUILD_DATE", text, flags=re.M)
        hot = re.sub(r"^RUN (?=[a-z])", "RUN claude --version && ", hot, flags=re.M)
        for t in (text, hot):
            assert _migrated(t, n, True) == _migrated(t, n, False), n


def test_offsets_helper_reads_arrays():
    assert _offsets(array("i", [1, 2])) == [1, 2]
