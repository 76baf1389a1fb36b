"""The parse's fast paths give exactly what the straightforward paths give (issue 18).

`model.parse` reads the commonest line (one whole instruction: a keyword, arguments without a
builder flag, JSON form, heredoc or continuation), and `RUN <<WORD` with its body, without
_read_instruction and _read_heredoc_bodies; `_parse(text,
fast=False)` reads every line through _read_instruction and is the reference. Every field of
every instruction must agree, and a file one rejects the other rejects with the same error, on
the whole corpus and on generated files whose lines sit on the fast path's edges (blanks of
every kind around the keyword, flags, JSON, heredocs, escapes at the end, `# escape=`, BOM, CR).
The line table is held to the loop it replaced, and `aishell parse`'s JSON to json.dumps. A
continued line's offsets are kept as the pieces it was joined from (model._Pieces): each offset
looked up from them, and the array made from them, must be the array the reference builds.
"""

import json
from array import array
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

from aishell import model
from aishell.model import (
    MAX_LINE_BYTES,
    DockerfileSyntaxError,
    _Lines,
    _parse,
    instructions_json,
    paused_gc,
)
from tests.conftest import FUZZ_EXAMPLES, FUZZ_SEED, corpus_files, run_cli, sample_dockerfiles


def _heredoc(h):
    return (h.name, h.content, h.chomp, h.expand, h.fd, list(h.line_offsets), h.terminator_line)


def _spans(ins):
    """Each character's source offset looked up one at a time (a continued line's _Pieces does
    the lookup): _fields then reads them all at once (the array the ``offsets`` property makes)."""
    return [ins.source_span(k, k + 1) for k in range(min(len(ins.logical), 4000))]


def _fields(ins):
    return (
        ins.keyword,
        ins.raw_keyword,
        ins.start,
        ins.end,
        ins.start_line,
        ins.end_line,
        ins.logical,
        list(ins.offsets),
        ins.args_start,
        list(ins.flags),
        [_heredoc(h) for h in ins.heredocs],
        ins.json_args,
        None if ins.sub is None else _fields(ins.sub),
        ins.stage,
        ins.comment_before,
        ins.key_values,
        ins.shell,
    )


def _model(df):
    stages = [
        (st.index, df.instructions.index(st.from_ins), st.image, st.name, st.platform, len(st.instructions))
        for st in df.stages
    ]
    return (
        df.directives,
        df.escape,
        list(df.line_starts),
        [df.instructions.index(a) for a in df.global_args],
        stages,
        [(_spans(i), _fields(i)) for i in df.instructions],
    )


def _read_instruction_before(text, lines, s, e, i, start_line, escape):
    """model._read_instruction as it was before the fast paths (issue 18), verbatim."""
    chars: list[str] = []
    offsets = array("q")

    def take(a: int, b: int) -> bool:
        cont = model._continuation(text, a, b, escape)
        stop = b if cont is None else cont
        chars.append(text[a:stop])
        offsets.extend(range(a, stop))
        return cont is None

    last_end = e
    ended = take(s, e)
    while not ended and i < len(lines):
        a, b = lines.starts[i], lines.content_end(i)
        i += 1
        seg = text[a:b]
        if model._is_comment(seg) or not seg.strip(model.GO_SPACE):
            continue
        last_end = b
        ended = take(a, b)
    return model._make_instruction("".join(chars), offsets, s, last_end, start_line, i, escape), i


def _outcome(text, fast):
    """The model, or the error; ``fast=False``: every line through the reader as it was before."""
    try:
        with (
            paused_gc(),
            mock.patch.object(
                model, "_read_instruction", model._read_instruction if fast else _read_instruction_before
            ),
        ):
            return _model(_parse(text, None, fast=fast))
    except DockerfileSyntaxError as e:
        return ("error", e.line, e.message)


def _same_model(text):
    assert _outcome(text, True) == _outcome(text, False)


def _same_json(text):
    try:
        df = _parse(text, None)
    except DockerfileSyntaxError:
        return
    want = json.dumps([i.to_json() for i in df.instructions], indent=2) + "\n"
    assert "".join(instructions_json(df.instructions, chunk=3)) == want
    assert "".join(instructions_json(df.instructions)) == want


def _texts():
    for path in corpus_files() + sample_dockerfiles():
        try:
            yield path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue


def test_fast_path_agrees_on_the_corpus():
    n = 0
    for text in _texts():
        _same_model(text)
        _same_json(text)
        n += 1
    assert n >= 500 or not corpus_files()


# -- generated files: every line on an edge of the fast path ------------------------------------

KEYWORDS = [
    "FROM",
    "RUN",
    "run",
    "Copy",
    "ADD",
    "ARG",
    "ENV",
    "LABEL",
    "CMD",
    "ENTRYPOINT",
    "SHELL",
    "VOLUME",
    "WORKDIR",
    "USER",
    "EXPOSE",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "ONBUILD",
    "MAINTAINER",
    "FOO",
    "R1",
]
# Blanks of every kind BuildKit and Python disagree on, ASCII and not.
BLANKS = [" ", "\t", "  ", "\v", "\f", "\r", "\xa0", "\x85", "\u2000", "\u3000", "\x1c", "\x1f", "\ufeff"]
PIECES = [
    "a",
    "b c",
    "x=1",
    "--",
    "--from=b",
    "--platform=linux/amd64",
    "--mount=type=cache,target=/c",
    "-",
    "-x",
    "[",
    '["a", "b"]',
    '["a", 1]',
    "[]",
    "<<EOF",
    "<<-EOF",
    "< <",
    "<",
    "\\",
    "\\\\",
    "`",
    "``",
    "'q w'",
    '"d',
    "'",
    "#",
    "# c",
    "$V",
    "${V:-d}",
    "=",
    "CMD",
    "NONE",
    "RUN x",
    "é",
    "\x00",
]
piece = st.one_of(st.sampled_from(PIECES), st.sampled_from(BLANKS))
blanks = st.lists(st.sampled_from(BLANKS), max_size=2).map("".join)
# How the arguments start and end decides the path: flags, JSON, heredocs, continuations.
FIRST = ["", "x", "--from=b ", "--platform=p ", "--platform p img", "-- x", "--", "-x", "[", "[]", '["a", "b"]']
FIRST += ['["a", 1]', '[ "a" ] x', "<<EOF", "<<-EOF x", "a <<EOF", "a=1 b=2", "a b", "CMD", 'CMD ["a"]', "NONE"]
FIRST += ["RUN x", "RUN <<EOF", "ONBUILD RUN x", "$V", "#", "é", "\\", "`"]
FIRST += ["img AS n", "img as N x", "i AS", "i AS 'n'", "i\\ j AS k", "'i' as n", "i\tAs\tn", "i AS n\xa0"]
LAST = ["", "", "", "\\", " \\", "\\ ", "\\\t", "\\\\", "`", " `", "``", "\\\xa0", "\\\r", " x"]


@st.composite
def line(draw):
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(blanks) + draw(st.sampled_from(["#", "# c", "#escape=`", "# syntax=x"]))
    if kind == 1:
        return draw(blanks)
    if kind == 2:
        return draw(blanks) + draw(st.sampled_from(["EOF", "\tEOF", "E2"]))
    sep = draw(st.sampled_from(["", " ", " ", "\t", " \t"] + BLANKS))
    rest = draw(st.lists(piece, max_size=3).map("".join))
    return (
        draw(blanks)
        + draw(st.sampled_from(KEYWORDS))
        + sep
        + draw(st.sampled_from(FIRST))
        + rest
        + draw(st.sampled_from(LAST))
        + draw(blanks)
    )


@st.composite
def files(draw):
    head = draw(st.sampled_from(["", "\ufeff", "# escape=`\n", "# escape=\\\n", "\ufeff# syntax=x\n# escape=`\n"]))
    lines = draw(st.lists(line(), max_size=10))
    end = draw(st.sampled_from(["\n", "\r\n", "\r\r\n"]))
    text = head + "FROM a" + end + end.join(lines) + draw(st.sampled_from(["", end, end + "EOF" + end]))
    return text


@pytest.mark.parametrize("run_seed", [FUZZ_SEED], ids=lambda s: f"seed={s}")
def test_fast_path_agrees_on_generated_files(run_seed):
    @seed(run_seed)
    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(files())
    def check(text):
        _same_model(text)
        _same_json(text)

    check()


FROM_WORDS = ["i", "img:1", "'a b'", '"x y"', "a\\ b", "a'b", "AS", "as", "As", "n", "N\xa0", "x\x1c", "$V", "\\"]
FROM_SEPS = [" ", "\t", "  ", " \t", "\xa0", "\v", "\r", "\u3000"]


@settings(max_examples=max(200, FUZZ_EXAMPLES // 2), deadline=None, database=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(FROM_WORDS), st.sampled_from(FROM_SEPS), st.sampled_from(FROM_WORDS)).map("".join),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.sampled_from(FROM_WORDS + FROM_SEPS), max_size=6).map("".join),
)
def test_stages_agree_on_generated_from_lines(froms, tail):
    """The image, `AS` and name of each FROM, read without split_words when they can be."""
    text = "ARG V=1\n" + "".join(f"FROM {f}{tail}\nRUN x\nONBUILD RUN y\n" for f in froms)
    _same_model(text)


HEREDOC_OPENERS = ["RUN", "run", "rUn", " RUN", "\tRUN", "RUN\t", "RUNX", "ONBUILD RUN", "COPY", "RUN --network=none"]
# ... and words before the heredoc (_HEREDOC_WORDS_LINE), and lines just off that path.
HEREDOC_OPENERS += ["RUN bash", "RUN /bin/sh -e", "run a=1 sh\t-x ", "RUN --network=none bash", "RUN -e sh"]
HEREDOC_OPENERS += ["RUN cat - x:y@z%1+2,3", "RUN sh #", "RUN sh $x", "RUN 'sh'", "RUN sh >f", "RUN \xe9", "RUN a\\"]
HEREDOC_WORDS = ["<<EOF", "<<E_1", "<<-EOF", "<<'EOF'", '<<"EOF"', "3<<EOF", "<<EOF ", "<<EOF x", "<<EOF\\", "<<\xe9"]
HEREDOC_LINES = ["EOF", "E_1", "\tEOF", "EOF ", " EOF", "EOFX", "eof", "echo 1", "", "x\r", "RUN <<EOF", "# c", "\xe9"]


@settings(max_examples=max(300, FUZZ_EXAMPLES // 2), deadline=None, database=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(HEREDOC_OPENERS),
            st.sampled_from([" ", "\t", "  "]),
            st.sampled_from(HEREDOC_WORDS),
            st.lists(st.sampled_from(HEREDOC_LINES), max_size=4),
        ),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(["\n", "\r\n"]),
)
@example([("RUN", " ", "<<EOF", ["EOF", "RUN x", "EOF"])], "\n")  # (an empty body)
@example([(" RUN", "\t", "<<E_1", ["x", "E_1"])], "\r\n")
def test_heredoc_lines_agree(runs, end):
    """`RUN <<WORD` of plain characters, its body taken in one slice (_HEREDOC_LINE): leading
    blanks, the keyword's case, empty bodies, lines near the terminator (tabs, blanks, case), CRs,
    no terminator, and the lines just off the fast path (`<<-`, quotes, an fd, more words, flags)."""
    text = "FROM a" + end + "".join(f"{o}{sep}{w}{end}" + "".join(x + end for x in body) for o, sep, w, body in runs)
    _same_model(text)
    _same_model(text + "EOF" + end)


def test_the_fast_path_reads_the_common_lines():
    """The speed depends on it: the lines of the scale shapes take the fast path."""
    from aishell.model import _SIMPLE_LINE

    for text in ("COPY . .", "RUN npm ci", "ARG A1=${A0}${A0}", "FROM s1 AS s2", "  RUN true  ", "USER"):
        m = _SIMPLE_LINE["\\"].match(text, 0, len(text))
        assert m is not None, text
    for text in ("RUN --mount=x y", 'CMD ["a"]', "RUN <<EOF", "RUN a \\", "RUN a \\  ", "#x", "RUN\xa0x"):
        assert _SIMPLE_LINE["\\"].match(text, 0, len(text)) is None, text
    assert model._HEREDOC_LINE.match("RUN <<EOF") is not None  # (distinct heredoc RUNs)
    for text in ("RUN bash <<E0", "RUN /bin/sh -e <<EN"):  # (and the heredocs fed to a shell)
        assert model._HEREDOC_WORDS_LINE.match(text) is not None, text
    for text in ("RUN --mount=x sh <<E", "RUN sh 0<<E", "RUN sh <<-E", "RUN sh <<'E'", "RUN $s <<E", "RUN sh <<E x"):
        assert model._HEREDOC_WORDS_LINE.match(text) is None, text


# -- the line table -------------------------------------------------------------------------------


def _lines_reference(text):
    """The loop _Lines replaced: (starts, ends without '\\n', ends without trailing '\\r\\n')."""
    starts, raw_ends, ends = [], [], []
    pos, n = 0, len(text)
    while pos < n or not starts:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if len(text[pos:end].encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES:
            raise DockerfileSyntaxError("too long", len(starts) + 1)
        starts.append(pos)
        raw_ends.append(end)
        e = end
        while e > pos and text[e - 1] in "\r\n":
            e -= 1
        ends.append(e)
        if nl < 0:
            break
        pos = nl + 1
        if pos == n:
            break
    return starts, raw_ends, ends


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(["\n", "\r", "\r\n", "a", "é", "\ufeff", " "]), max_size=30).map("".join))
def test_the_line_table_is_the_loops(text):
    lines = _Lines(text)
    # Each line's content, which the fast path takes as an instruction's text, is its slice.
    assert lines.contents == [text[a:b] for a, b in zip(*_lines_reference(text)[::2])]
    assert (lines.starts, lines.raw_ends, lines.ends) == _lines_reference(text)
    assert [lines.raw(i) for i in range(len(lines))] == [text[a:b] for a, b in zip(lines.starts, lines.raw_ends)]


@pytest.mark.parametrize("before", [0, 1, 3])
@pytest.mark.parametrize("unit, count", [("x", MAX_LINE_BYTES), ("x", MAX_LINE_BYTES + 1), ("é", 32768)])
def test_the_line_limit_names_the_line(before, unit, count):
    text = "FROM a\n" * before + "RUN " + unit * (count - 4 // len(unit.encode())) + "\nRUN b\n"
    try:
        want = _lines_reference(text)
    except DockerfileSyntaxError as e:
        with pytest.raises(DockerfileSyntaxError) as got:
            _Lines(text)
        assert got.value.line == e.line == before + 1
        return
    lines = _Lines(text)
    assert (lines.starts, lines.raw_ends, lines.ends) == want


# -- aishell parse ---------------------------------------------------------------------------------


def test_parse_prints_json_dumps_text(tmp_path):
    """The CLI's text is json.dumps(list, indent=2): flags, JSON forms, heredocs, ONBUILD, non-ASCII."""
    text = (
        "\ufeff# escape=`\nFROM --platform=linux/amd64 a AS b\n"
        'COPY --from=b --chmod=755 ["x", "y\\u00e9"] /d\n'
        "RUN <<EOF cat\nline é \x01\nEOF\n"
        "ONBUILD RUN <<-A\n\tz\n\tA\n"
        "ENV A=1 `\n  B=2\n"
        'CMD []\nHEALTHCHECK CMD ["a"]\n'
    )
    path = tmp_path / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    df = _parse(text, None)
    r = run_cli("parse", path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == json.dumps([i.to_json() for i in df.instructions], indent=2) + "\n"


def test_the_fast_path_sets_every_slot():
    """_parse builds a simple line's Instruction without __init__: every slot is set, to what
    _FullInstruction.__init__ sets it (a slot added to Instruction and not to the fast path fails
    here), and the fields a _FullInstruction has its own slots for are Instruction's defaults."""
    from aishell.model import Instruction, _FullInstruction

    df = _parse("FROM a\nRUN b\n# c\nCOPY . .\n", None)
    for ins in df.instructions:
        assert type(ins) is Instruction
        for name in Instruction.__slots__:
            getattr(ins, name)  # AttributeError: a slot left unset
    ref = _parse("FROM a\nRUN b\n# c\nCOPY . .\n", None, fast=False)
    assert {type(i) for i in ref.instructions} == {_FullInstruction}
    assert [_fields(i) for i in df.instructions] == [_fields(i) for i in ref.instructions]
    # _fields reads every slot of both classes
    assert len(_fields(df.instructions[0])) == len(Instruction.__slots__) + len(_FullInstruction.__slots__)
    for name in _FullInstruction.__slots__:
        assert hasattr(Instruction, name)  # a default for the fast path's instructions


@pytest.mark.parametrize(
    "text", ["FROM a\nRUN b\n", "FROM a\nRUN b <<c\n", "FROM a\nRUN b \\\nc\n", "FROM a\nRUN `\nc\n"]
)
def test_the_simple_line_regex_without_the_looks_a_text_cannot_need(text):
    """A text without `<<` (or the escape) is matched by a regex without that look: the same
    lines match as with the full one."""
    from aishell.model import _SIMPLE_LINE, _Lines, _simple_line_for

    lines = _Lines(text)
    for escape in ("\\", "`"):
        full, chosen = _SIMPLE_LINE[escape], _simple_line_for(text, escape)
        for a, b in zip(lines.starts, lines.ends):
            got, want = chosen.match(text, a, b), full.match(text, a, b)
            assert (got and (got.span(), got.span(1))) == (want and (want.span(), want.span(1)))


def test_stages_are_worked_out_when_first_read():
    """`aishell parse` never reads the stages: the parse leaves them to the first read (a chain of
    250,000 stages took a third of it), which gives what the loop gives."""
    text = "ARG V=1\nFROM a AS B\nRUN x\nFROM b\nFROM --platform=p c AS d\nARG W\n"
    df = _parse(text, None)
    for name in ("stages", "global_args"):
        with pytest.raises(AttributeError):
            object.__getattribute__(df, name)  # not made by the parse
    assert [i.stage for i in df.instructions] == [-1, 0, 0, 1, 2, 2]
    assert _model(df) == _model(_parse(text, None, fast=False))
    assert [st.name for st in df.stages] == ["b", None, "d"]
    assert type(df) is model.Dockerfile  # no __getattr__ left to slow every read
    with pytest.raises(AttributeError):
        _parse(text, None).no_such_field


def _pieces(pieces, base=0):
    """(at, sources, n) of _Pieces for (length, gap) pairs: each piece starts ``gap`` source
    characters after the one before it ends, the first ``gap`` after ``base``."""
    at, sources, n, src = [], [], 0, base
    for length, gap in pieces:
        src += gap
        at.append(n)
        sources.append(src)
        n += length
        src += length
    return at, sources, n


def _offsets(at, sources, n):
    """The source offset of each of the n characters the pieces hold, one by one."""
    out = []
    for a, s, b in zip(at, sources, at[1:] + [n]):
        out.extend(range(s, s + b - a))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 40)), min_size=1, max_size=8))
def test_pieces_index_as_their_array(pieces):
    """Pieces of any length (an empty one: a line holding only the escape) at growing source
    offsets: every index, negative ones and slices give what the array gives."""
    at, sources, n = _pieces(pieces)
    p = model._Pieces(at, sources, n)
    ref = array("q", _offsets(at, sources, n))
    assert len(p) == len(ref) and list(p) == list(p.array()) == list(ref)
    with mock.patch.object(model, "_PACK_CHUNK", 3):  # packed a few at a time, as a long line is
        assert p.array() == ref
    assert [p[k] for k in range(-n, n)] == [ref[k] for k in range(-n, n)]
    assert list(p[1:-1]) == list(ref[1:-1])
    for k in (n, -n - 1):
        with pytest.raises(IndexError):
            p[k]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 40)), min_size=1, max_size=8),
    st.one_of(st.integers(0, 1000), st.integers(model._INT32 - 300, model._INT32 + 300)),
)
@example([(2, 0)], model._INT32 - 1)  # the last offset is the largest that fits
@example([(1, 0)], model._INT32 + 1)  # the first that does not
def test_pieces_array_items_as_small_as_they_fit(pieces, base):
    """The array holds 4-byte items when every offset fits one (model.offset_code), 8 past it
    (a file over 2 GB), with the same values: pieces that start anywhere, up to and across the
    limit. (An empty last piece hides where the offsets end: then 8 bytes may be kept.)"""
    at, sources, n = _pieces(pieces, base)
    ref = _offsets(at, sources, n)
    out = model._Pieces(at, sources, n).array()
    assert list(out) == ref
    if ref and max(ref) > model._INT32:
        assert out.itemsize == 8
    elif pieces[-1][0]:
        assert out.itemsize == 4


# The continuation rule has one definition, model.continuation_at; the loop of _read_instruction
# holds its twin inline. Every line of up to five characters of the alphabet below, under both
# escapes, read at each place the rule is applied: as an instruction's first line (and, at the end
# of the file, by continued_to_end), and as a later line (the inline twin), continues exactly where
# continuation_at says. (A later line made only of blanks would be skipped: it starts with `x`.)
_CONTINUATION_ALPHABET = ["a", " ", "\t", "\\", "`"]


def test_every_place_reads_a_continuation_as_continuation_at():
    from itertools import chain, product

    wrong = []
    for escape in ("\\", "`"):
        head = f"# escape={escape}\n"
        for tail in map("".join, chain.from_iterable(product(_CONTINUATION_ALPHABET, repeat=k) for k in range(6))):
            for line in (f"RUN {tail}", f"x{tail}"):
                k = model.continuation_at(line, escape)
                body = line.rstrip(" \t")
                assert k == (len(body) - 1 if k >= 0 else -1) and (k < 0 or line[k] == escape)
                first = model.parse(f"{head}{line}\nRUN b\n") if line[0] == "R" else None
                later = model.parse(f"{head}RUN a {escape}\n{line}\nRUN b\n")
                at_end = model.parse(f"{head}{line}\n") if line[0] == "R" else None
                got = [len(later.instructions) == 1]
                if first is not None:
                    got += [len(first.instructions) == 1, model.continued_to_end(at_end, at_end.instructions[-1])]
                if got != [k >= 0] * len(got):
                    wrong.append((escape, line, k, got))
    assert wrong == []


# _check_args takes the arguments of an ARG, ENV or LABEL that is one word holding nothing the
# word splitter reads specially (model._ONE_WORD: most ARGs) as that word, without split_words:
# generated argument texts (blanks of every kind, quotes, either escape, `=` anywhere, blank
# names) are accepted or refused with the same error with the shortcut as without it.
_ARG_PIECES = ["A", "b_1", "=", "==", "x", " ", "\t", "\xa0", "\u3000", '"', "'", "\\", "`", "$A", "é"]


@settings(max_examples=400, deadline=None, database=None)
@given(
    st.sampled_from(["ARG", "ENV", "LABEL", "arg"]),
    st.lists(st.sampled_from(_ARG_PIECES), min_size=1, max_size=6).map("".join),
    st.booleans(),
)
def test_a_one_word_argument_is_checked_as_split_words_splits_it(keyword, args, backtick):
    text = ("# escape=`\n" if backtick else "") + f"{keyword} {args}\nFROM x\n"

    def outcome(shortcut: bool):
        with mock.patch.object(model, "_ONE_WORD_ARGS", shortcut):
            try:
                return [_fields(ins) for ins in model.parse(text).instructions]
            except DockerfileSyntaxError as e:
                return (e.message, e.line)

    assert outcome(True) == outcome(False), text


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["COPY", "ADD"]), st.text(alphabet=" \t\v\f\ra=\xa0\u2000", max_size=8))
def test_copy_takes_two_words_as_split_on_blanks(kw, rest):
    """_check_args asks a COPY or ADD (not in JSON form) for a blank run instead of splitting its
    arguments: it refuses exactly those the split (BuildKit's line parser) gives fewer than two."""
    ins = _parse("FROM a\nWORKDIR w\n", None).instructions[1]
    ins.keyword, ins.logical, ins.args_start = kw, f"{kw} {rest}", len(kw) + 1
    trimmed = rest.rstrip(model.GO_SPACE)
    words = model._BLANKS_RE.split(trimmed) if trimmed else []
    try:
        model._check_args(ins, "\\")
        refused = False
    except DockerfileSyntaxError as e:
        refused = True
        assert "at least two arguments" in e.message
    assert refused == (len(words) < 2)


# Lines with `<<` that are no heredoc line of the fast path's, or that `simple` would take but
# for it (HEREDOC_FIRST): in arguments, quotes, comments, flags, other keywords, a first line.
_DOC_FIRST_LINES = [
    *(f"{o} {w}" for o in HEREDOC_OPENERS for w in HEREDOC_WORDS[:6]),
    "RUN echo '<<'",
    'RUN echo "a<<b"',
    "RUN echo a <<< b",
    "RUN x=1<<EOF",
    "COPY <<EOF /x",
    "LABEL a=<<b",
    "ENV A=<<B",
    "ARG A=<<B",
    "USER <<x",
    "# c <<EOF",
    "RUN echo 1 # <<EOF",
    "RUN <<EOF \\",
    "RUN a \\\n<<EOF",
    "ONBUILD RUN cat <<EOF",
    "RUN <<",
    "RUN <<<<EOF",
]


def test_a_line_with_a_heredoc_word_is_read_as_without_heredocs_first():
    """The lines with `<<` read without asking ``simple`` (HEREDOC_FIRST) give the model the
    fast path gives with it off, and the reference's: each line of _DOC_FIRST_LINES (148) after
    a FROM, on the first line (after a BOM too), with a body and terminator, with CRLF."""
    n = 0
    for line in _DOC_FIRST_LINES:
        for text in (
            f"FROM a\n{line}\nx\nEOF\n",
            f"{line}\nEOF\nFROM a\nRUN y\n",
            f"\ufeff{line}\nEOF\nFROM a\n",
            f"FROM a\r\n{line}\r\nx\r\nEOF\r\nRUN z <<\r\n",
        ):
            got = []
            for on in (True, False):
                with mock.patch.object(model, "HEREDOC_FIRST", on):
                    got.append(_outcome(text, True))
            assert got[0] == got[1] == _outcome(text, False), text
            n += 1
    assert n == 4 * len(_DOC_FIRST_LINES)


# KEY_VALUE_LINE: ENV and LABEL lines of key=value words, and the lines next to that shape (a
# character of each kind the regex leaves out, a word without `=`, a blank name, a flag, a
# continuation, blanks Go reads and Python does not), each read fast (on), with the fast path
# off for them (off) and by the reference; and the shape is taken (the path is asked).
KV_KEYS = ["A", "PATH", "a_b", "org.opencontainers.image.title", "x-y", "_", "A1", "1A", ".a", "-a", "", "é", "a b"]
KV_VALUES = ["", "1", "/p:$PATH", "${A:-b}", "a=b", "x;y", "()", "!", "?[]", "%&*", "'q'", '"d"', "a\\", "`", "<<E"]
KV_VALUES += ["#", "<", ">", "\xa0", "\x1c", "\t", "\\\n", "é", "~^_{|}", "@+,"]
KV_SEPS = [" ", "\t", "  ", " \t ", "\xa0", "\v", "\r", "\u3000"]


@st.composite
def kv_line(draw):
    words = draw(
        st.lists(
            st.one_of(
                st.tuples(
                    st.sampled_from(KV_KEYS), st.sampled_from(["=", "=", "=", "", " "]), st.sampled_from(KV_VALUES)
                ).map("".join),
                st.sampled_from(["--x=1", "x", "\\", "`"]),
            ),
            min_size=0,
            max_size=4,
        )
    )
    seps = [draw(st.sampled_from(KV_SEPS)) for _ in words]
    body = "".join(w + s for w, s in zip(words, seps))
    if draw(st.booleans()):
        body = body.rstrip(" \t\xa0\v\r\u3000")
    return (
        draw(st.sampled_from(["", " ", "\t"]))
        + draw(st.sampled_from(["ENV", "env", "Label", "LABEL", "ENVX", "ARG"]))
        + draw(st.sampled_from([" ", "\t", "  ", "", "\xa0"]))
        + body
    )


@settings(max_examples=max(300, FUZZ_EXAMPLES), deadline=None, database=None)
@given(
    st.lists(kv_line(), min_size=1, max_size=5),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["", "# escape=`", "\ufeff", "\ufeff# escape=`"]),
    st.booleans(),
)
def test_key_value_lines_read_as_the_general_path_reads_them(lines, end, head, first):
    """(``first``: the lines before the FROM, the first of them the file's first line, after a
    BOM or a directive where ``head`` has one.)"""
    body = end.join(lines) + end
    text = (head + end if head.endswith("`") else head) + (body + "FROM a" + end if first else "FROM a" + end + body)
    got = []
    for on in (True, False):
        with mock.patch.object(model, "KEY_VALUE_LINE", on):
            got.append(_outcome(text, True))
    assert got[0] == got[1] == _outcome(text, False), text


def test_the_key_value_shape_is_read_fast():
    """The common lines take the path (else the test above compares nothing), and a line it
    refuses is not taken: the regex alone, asked as _parse asks it."""
    for line in ("ENV PATH=/p1:$PATH", "  LABEL org.a.b=1 c-d=x\t", "env A= B=${C:-d}", "ENV a=b=c"):
        assert model._KEY_VALUE_LINE.match(line) is not None, line
    for line in ("ENV A 1", "ENV =x", "ENV A=1 b", "ENV A='q'", "ENV A=\\", "ENV A=`", "ENV A=<<B", "ENV A=\xa0"):
        assert model._KEY_VALUE_LINE.match(line) is None, line
    for line in ("ENV --x=1 A=b", "ENVA=1", "ENV\xa0A=1", "ENV A=1\xa0", "ENV A=1 #c", "ARG A=1", "ENV 1A=2"):
        assert model._KEY_VALUE_LINE.match(line) is None, line
