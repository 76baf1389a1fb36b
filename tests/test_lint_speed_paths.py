"""The fast paths of `aishell lint` give what the general ones give (issue 18, "Linear by design").

Each fast path is checked against the general code it stands in for, over generated inputs of
its class: the JSON finding template against json.dumps(indent=2) (any text in any field), the
block-wise `$( )` closer against a character-by-character reference, a RUN read once and moved
against the same RUN read where it is, COPY words split directly against model.copy_args, an
ENV/LABEL without quotes or escapes split by str.split against dockerfile-parse's reader.
"""

import io
import json
import random
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.findings import Edit, Finding, Fix
from aishell.lint import LintResult, Options, lint_text
from aishell.lint_rules._copies import copy_words
from aishell.model import DockerfileSyntaxError, copy_args, parse
from aishell.reporters import finding_json, report
from tests.conftest import corpus_files
from tests.growth import cpu_time

# -- the JSON report ---------------------------------------------------------------

_text = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["", '"', "\\", "\n", "\u2028", "é", "😀"])


@settings(max_examples=300, deadline=None)
@given(
    code=_text,
    message=_text,
    severity=st.sampled_from(["info", "warning", "error"]),
    path=_text.filter(lambda p: p and "\x00" not in p),
    nums=st.lists(st.integers(0, 10**9), min_size=6, max_size=6),
    url=st.none() | _text,
    fix=st.none()
    | st.tuples(
        st.sampled_from(["safe", "unsafe"]),
        _text,
        st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), _text), max_size=3),
    ),
)
def test_a_finding_is_written_as_json_dumps_writes_it(code, message, severity, path, nums, url, fix):
    f = Finding(code, "some-name", severity, message, path, nums[0], nums[1], *nums[2:6], None, url)
    if fix is not None:
        applicability, fix_message, edits = fix
        f = f._replace(fix=Fix(applicability, fix_message, tuple(Edit(a, b, r) for a, b, r in edits)))
    out = io.StringIO()
    report(LintResult([_Result(f)]), "json", out)
    assert out.getvalue() == json.dumps([finding_json(f)], indent=2) + "\n"


@settings(max_examples=150, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2), st.integers(0, 2), st.integers(0, 10**6)),
        min_size=1,
        max_size=12,
    ),
    pool=st.lists(_text, min_size=3, max_size=3),
)
def test_findings_that_share_parts_are_written_as_json_dumps_writes_them(picks, pool):
    """Many findings with the same code, message, fix message and edit text (the report keeps
    the text of shared parts): each one still written as json.dumps writes it."""
    findings = []
    for code, message, fix, content, n in picks:
        edits = (Edit(n, n + 1, pool[content]), Edit(n, n, pool[(content + 1) % 3]))[: 1 + n % 2]
        fixes = (None, Fix("safe", pool[fix], edits), Fix("unsafe", pool[fix], ()))
        findings.append(
            Finding(f"AIS{code}", pool[code], "error", pool[message], "Dockerfile", n, n + 1, n, 1, n, 2, fixes[fix])
        )
    out = io.StringIO()
    report(LintResult([_Result(*findings)]), "json", out)
    assert out.getvalue() == json.dumps([finding_json(f) for f in findings], indent=2) + "\n"


class _Result:
    """A FileResult without a model: edits are placed at the finding's position."""

    def __init__(self, *findings):
        self.path = "Dockerfile"
        self.findings = list(findings)
        self.df = None


def test_edits_of_other_files_and_fixes_without_edits_are_written_as_json_dumps_writes_them(tmp_path):
    ignore = tmp_path / ".dockerignore"
    ignore.write_text("node_modules\n.git\n")
    df = parse("FROM x\nRUN a\n")
    edits = (Edit(3, 9, "é\t"), Edit(len(ignore.read_text()), len(ignore.read_text()), ".env\n", str(ignore)))
    findings = [
        Finding(
            "AIS103", "n", "warning", "m", str(tmp_path / "Dockerfile"), 7, 10, 2, 1, 2, 4, Fix("safe", "x", edits)
        ),
        Finding("AIS103", "n", "warning", "m", str(tmp_path / "Dockerfile"), 7, 10, 2, 1, 2, 4, Fix("safe", "x", ())),
        Finding("AIS103", "n", "warning", "m", str(tmp_path / "new"), 0, 1, 1, 1, 1, 2, None, "https://x"),
    ]
    r = _Result(*findings)
    r.df = df
    out = io.StringIO()
    report(LintResult([r]), "json", out)
    assert out.getvalue() == json.dumps([finding_json(f, df) for f in findings], indent=2) + "\n"


# -- the $( ) closer --------------------------------------------------------------

_CLOSE_SKIP = re.compile(r"[^'\"\\()]+")


def _find_close_reference(s: str, i: int) -> int:
    """The character-by-character reading the block-wise one replaced."""
    n = len(s)
    depth, quote = 1, None
    while i < n:
        if quote is None:
            m = _CLOSE_SKIP.match(s, i)
            if m is not None:
                i = m.end()
                continue
        c = s[i]
        if quote == "'":
            if c == "'":
                quote = None
        elif c == "\\":
            i += 2
            continue
        elif quote == '"':
            if c == '"':
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


@pytest.mark.parametrize("first_block", [1, 2, 3, 64])
def test_the_blockwise_closer_finds_what_the_reference_finds(first_block, monkeypatch):
    monkeypatch.setattr(shell, "_FIRST_BLOCK", first_block)
    rnd = random.Random(first_block)
    for _ in range(20000):
        s = "".join(rnd.choice("(()))'\"\\ a$\n") for _ in range(rnd.randint(0, 40)))
        i = rnd.randint(0, len(s))
        assert shell._find_close(s, i, "(") == _find_close_reference(s, i), (s, i)


def test_the_closer_stays_linear_on_many_substitutions():
    """One `$( )` per line of a long heredoc: each closer is found near where it opens (once
    each search ran to the next quote, at the end of the script: quadratic)."""

    body = "".join(f"echo $(date) claude{i} && make -C /src/p{i} install\n" for i in range(20000))
    start = cpu_time()
    tokens, subs = shell.tokenize(body)
    assert len(subs) == 20000
    assert cpu_time() - start < 10 * 0.5  # linear: ~0.1 s on the CI machine


_SHELL_PIECES = [
    "echo",
    "x1",
    "-C",
    "/src/p1",
    "date",
    " ",
    "  ",
    "\t",
    "\r",
    "\n",
    "\\\n",
    "\\",
    "'",
    '"',
    "`",
    "$",
    "$(",
    "$((",
    "(",
    ")",
    "{",
    "}",
    "&&",
    "||",
    ";",
    ";;",
    "|",
    "&",
    "|&",
    "2>",
    ">",
    "<",
    "<<EOF",
    "<<-'E'",
    "EOF",
    "\tE",
    "#",
    "# c",
    "=",
    "$(date)",
    "$(a b)",
    "9",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SHELL_PIECES), max_size=40))
def test_the_tokenizer_fast_path_gives_what_the_general_loop_gives(pieces):
    """The one-regex steps of tokenize (plain words, operators, newlines, a word that is one
    simple `$( )`) against the character loop alone, on scripts made of the tokens' pieces."""
    script = "".join(pieces)
    fast = shell.tokenize(script)
    saved = shell._FAST
    shell._FAST = re.compile(r"(?!)")  # never matches: every token goes through the loop
    try:
        general = shell.tokenize(script)
    finally:
        shell._FAST = saved
    assert fast == general


# -- a RUN read once, moved ---------------------------------------------------------

_RUNS = [
    "npm ci",
    "apt-get update && apt-get install -y curl",
    "sudo -u node npx -y @openai/codex --version",
    'bash -c "claude --version; echo $(date)"',
    "cd /app && (make || true) | tee log 2>&1 & wait",
    "if true; then pip install -r requirements.txt; fi",
    "env -S 'npm ci' && eval claude x",
    "x=1 y=2 command -v foo",
    "cat <<EOF > /x\nhello $(whoami)\nEOF\n",
]


def _commands(script):
    return [(c.argv, list(c.spans), c.start, c.end, c.nested, c.item, c.runner) for c in script.commands]


def _each_run_reads_as_fresh(text: str) -> None:
    """Every RUN of ``text``, read through the memo of RUNs read before (emptied first), gives
    what reading it afresh gives."""
    df = parse(text)
    shell._SEEN.clear()
    for ins in df.instructions:
        if ins.keyword != "RUN":
            continue
        got = shell.analyse_run(ins)
        fresh = shell._analyse(ins)
        assert _commands(got) == _commands(fresh), text
        assert (got.items, got.exact, got.truncated) == (fresh.items, fresh.exact, fresh.truncated), text


@pytest.mark.parametrize("run", _RUNS)
def test_a_run_read_before_gives_what_reading_it_gives(run):
    text = "FROM x\n" + "".join(f"{'#' * k}\nRUN {run}\nCOPY . /s{k}\n" for k in range(4))
    _each_run_reads_as_fresh(text)


# A RUN continued over lines (comment lines between them, blanks after the escape, indented)
# read before, laid out alike elsewhere, gives what reading it gives; one of the same text laid
# out otherwise is read as itself (the memo's key holds where each line's piece is).
_LINE = st.sampled_from(["apt-get update", "claude -v", "echo 'a  b'", "x=$(date)", "&& make", "|| true", ";"])
_BREAK = st.sampled_from(["\\\n", "\\\n    ", "\\ \n", "\\\n# note\n  ", "\\\n\n", "\\\n #c\n#d\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_LINE, _BREAK), min_size=1, max_size=4), _LINE, st.lists(_BREAK, min_size=4, max_size=4))
def test_a_continued_run_read_before_gives_what_reading_it_gives(lines, last, other):
    run = "".join(f"{words} {brk}" for words, brk in lines) + last
    again = "".join(f"{words} {brk}" for (words, _), brk in zip(lines, other)) + last  # laid out otherwise
    text = "FROM x\n" + "".join(f"{'#' * k}\nRUN {run}\nCOPY . /s{k}\nRUN {again}\n" for k in range(3))
    _each_run_reads_as_fresh(text)


# -- COPY words ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(" \t\x0b\x0c\ra./b'\"\\$x\u00a0\u2003é"), min_size=1, max_size=20))
def test_copy_words_are_copy_args(args):
    try:
        df = parse(f"FROM x\nCOPY {args} /dest/\n")
    except Exception:
        return
    for ins in df.instructions:
        if ins.keyword == "COPY":
            assert copy_words(ins) == copy_args(ins)


def test_lint_of_repeated_pairs_is_the_same_as_of_one_pair(tmp_path):
    """A file of repeated `COPY . .` + `RUN npm ci` (the memo paths) reports each RUN as a file
    of one pair does: the same message (the first COPY's), the span moved by the pair's offset;
    the first RUN's fix moves every install above the first COPY, as the one pair's moves its
    one (each install is held back only by the ones before it: tests/test_ais101_chains.py), and
    the others have none."""
    (tmp_path / "package.json").write_text("{}")
    one = lint_text("FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", str(tmp_path / "Dockerfile"), Options())
    many = lint_text(
        "FROM node\nWORKDIR /app\n" + "COPY . .\nRUN npm ci\n" * 50, str(tmp_path / "Dockerfile"), Options()
    )
    (f,) = one.findings
    assert len(many.findings) == 50
    for k, g in enumerate(many.findings):
        assert g.message == f.message
        assert (g.start - 20 * k, g.end - 20 * k, g.line - 2 * k, g.column) == (f.start, f.end, f.line, f.column)
        assert (g.fix is None) == (k > 0)
    (insert, delete) = many.findings[0].fix.edits
    assert f.fix.edits[0].replacement == "COPY package.json ./\nRUN npm ci\n"
    assert insert.replacement == "COPY package.json ./\nRUN npm ci\n" * 50 + "COPY . .\n" * 50
    assert (insert.start, insert.end, delete.start, delete.end) == (f.fix.edits[0].start,) * 3 + (len(many.df.text),)


def _unquote_by_character(text):
    """The character walk shell.unquote replaced (model.unquote's before it read words as
    BuildKit does: one backslash at the end stayed), but for a backslash-newline, which the shell
    removes outside single quotes (r67), and a backslash in double quotes, which escapes only
    `$`, a backquote, `"`, a backslash and a newline there (POSIX 2.2.3; r70)."""
    out, i, n = [], 0, len(text)
    quote = None
    while i < n:
        c = text[i]
        if quote == "'":
            if c == "'":
                quote = None
            else:
                out.append(c)
        elif c == "\\" and i + 1 < n and (quote is None or text[i + 1] in '$`"\\\n'):
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 1
        elif c in "'\"" and quote is None:
            quote = c
        elif c == quote:
            quote = None
        else:
            out.append(c)
        i += 1
    return "".join(out)


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from("ab'\"\\ \n$é"), max_size=20))
def test_the_shell_unquotes_as_the_character_walk_did(text):
    assert shell.unquote(text) == _unquote_by_character(text)


def _unquote_mapped_by_character(m, a, b):
    """The character walk shell._unquote_mapped replaced (it copies runs of plain characters)."""
    s = m.s
    out, offs = [], []
    quote, i = None, a
    while i < b:
        c = s[i]
        if quote == "'":
            if c == "'":
                quote = None
            else:
                out.append(c)
                offs.append(m.offsets[i])
        elif c == "\\" and i + 1 < b and (quote is None or s[i + 1] in '"\\$`\n'):
            out.append(s[i + 1])
            offs.append(m.offsets[i + 1])
            i += 1
        elif quote is None and c in "'\"":
            quote = c
        elif c == quote:
            quote = None
        else:
            out.append(c)
            offs.append(m.offsets[i])
        i += 1
    return "".join(out), offs


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("ab'\"\\ \n$`é"), max_size=24), st.data())
def test_unquoting_by_runs_is_the_character_walk(text, data):
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    offsets = data.draw(st.sampled_from([list(range(7, 7 + len(text))), range(3, 3 + len(text))]))
    m = shell._Mapped(text, offsets)
    got = shell._unquote_mapped(m, a, b)
    assert (got.s, list(got.offsets)) == _unquote_mapped_by_character(m, a, b)


def _substituted_by_unquoting(m, word):
    """shell._substituted without its first-word check: every word read, then matched (a `$( )`
    as written, alone or in one pair of double quotes; a backquoted one unquoted; r70)."""
    quoted = word.text[:1] == '"'
    if word.text[quoted:].startswith("$("):
        if quoted and not word.text.endswith('"'):
            return None
        value = shell._Mapped(m.s[word.a + quoted : word.b - quoted], m.offsets[word.a + quoted : word.b - quoted])
    elif word.text[quoted:].startswith("`"):
        value = shell._unquote_mapped(m, word.a, word.b)
    else:
        return None
    found = shell._SUBSTITUTION.fullmatch(value.s)
    if found is None:
        return None
    g = 1 if found.group(1) is not None else 2
    a, b = found.start(g), found.end(g)
    return shell._feeder_output(shell._Mapped(value.s[a:b], value.offsets[a:b]), shell._Reader())


_SUB_PIECES = ["$(", "`", "(", ")", '"', "'", " ", "\n", "/", "echo", "cat", "printf", "claude", "$x", "/bin/", "-v"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_SUB_PIECES), max_size=10))
def test_a_feeder_is_found_as_unquoting_every_word_finds_it(pieces):
    """A word whose substitution begins with an expansion is passed over without unquoting it
    (a 1 MB nest of `$(`); every other answer is the full reading's."""
    text = "$(" + "".join(pieces)
    for word_text in (text, text + ")", '"' + text + ')"', "`" + "".join(pieces) + "`"):
        m = shell._Mapped(word_text, list(range(len(word_text))))
        word = shell.Token("word", word_text, 0, len(word_text))
        assert _plain(shell._substituted(m, word, shell._Reader())) == _plain(_substituted_by_unquoting(m, word))


def _plain(sources):
    if sources is None:
        return None
    return [tuple((x.s, list(x.offsets)) if isinstance(x, shell._Mapped) else x for x in src) for src in sources]


def _unquote_bash_by_character(text: str) -> str:
    """The character walk shell.unquote_bash replaced (it copies runs of plain characters)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "$" and i + 1 < n and text[i + 1] == "'":
            j = i + 2
            while j < n and text[j] != "'":
                if text[j] == "\\" and j + 1 < n:
                    e = text[j + 1]
                    if e in shell._ANSI:
                        out.append(shell._ANSI[e])
                        j += 2
                        continue
                    num = shell._ANSI_NUMBER.match(text, j + 1)
                    if num is not None:
                        octal, hx, u, big, ctrl = num.groups()
                        if ctrl is not None:
                            out.append(chr(ord(ctrl) & 0x1F))
                        else:
                            value = int(octal, 8) if octal else int(hx or u or big, 16)
                            out.append(chr(value & 0xFF) if octal or hx else chr(min(value, 0x10FFFF)))
                        j = num.end()
                        continue
                    out.append(e if e in "\\'\"?" else "\\" + e)
                    j += 2
                    continue
                out.append(text[j])
                j += 1
            i = j + 1
        elif c == "$" and i + 1 < n and text[i + 1] == '"':
            i += 1  # `$"…"`: a double-quoted string (translated, where a catalog says so)
        elif c == "'":
            j = text.find("'", i + 1)
            j = n if j < 0 else j
            out.append(text[i + 1 : j])
            i = j + 1
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n and text[j + 1] in shell._DQ_ESCAPES:
                    j += 1
                out.append(text[j])
                j += 1
            i = j + 1
        elif c == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["$'", "'", '"', '$"', "\\", "\\n", "\\x63", "\\143", "\\u00e9", "\\cA", "$", "ab", " ", "é"]),
        max_size=12,
    )
)
def test_bash_unquoting_by_runs_is_the_character_walk(pieces):
    text = "".join(pieces)
    assert shell.unquote_bash(text) == _unquote_bash_by_character(text)


# -- heredoc body offsets -----------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(st.characters(blacklist_characters="\r\n"), max_size=6),
            st.sampled_from(["\n", "\r\n", "\r", "\r\r\n"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_heredoc_body_offsets_are_each_lines_start_counted_on(lines):
    """A body whose lines are in a row in the source is mapped by a range; CRLF lines are not in
    a row: both give each character its line's start plus its place in the line."""
    body = "".join(text + end for text, end in lines)
    try:
        df = parse("FROM x\nRUN <<EOF\n" + body + "EOF\n")
    except DockerfileSyntaxError:
        assume(False)  # a lone CR before the terminator: not a line break, the body never ends
    (doc,) = df.instructions[1].heredocs
    reference = []
    for off, text in zip(doc.line_offsets, doc.content.split("\n")):
        reference.extend(range(off, off + len(text) + 1))
    assert list(shell._body_offsets(doc)) == reference[: len(doc.content)]


# -- a stage's base, worked out once --------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "${X}", "c", "node"]), st.sampled_from(["a", "b", "c", None])), max_size=8
    )
)
def test_a_stage_base_asked_again_is_the_one_worked_out(stages):
    # (a first stage `b`: `FROM b` names it; `FROM B` would be an image, refused as upper-case:
    # model._check_bases, tests/test_stage_refs_r68c_engine.py)
    text = "ARG X=b\nFROM node AS b\nRUN x\n"
    text += "".join(f"FROM {image}{f' AS {name}' if name else ''}\nRUN x\n" for image, name in stages)
    df = parse(text)
    for stage in df.stages:
        # (the word as written, expanded; the last earlier stage of that name: BuildKit's choice)
        earlier = [k for k in df.stage_index().get(df.expand_global(stage.image.text), ()) if k < stage.index]
        expected = df.stages[earlier[-1]] if earlier else None
        assert stage.base_stage(df) is expected
        assert stage.base_stage(df) is expected


# -- ENV/LABEL pairs without quotes or escapes -------------------------------------


def _key_values_before(ins):
    """model.key_values as it was before its fast path, verbatim: dockerfile-parse's reader first."""
    from dockerfile_parse.util import extract_key_values

    from aishell.model import _PY_ONLY_SPACE, GO_SPACE, split_words
    from aishell.shell import unquote

    if not any(c in ins.args for c in _PY_ONLY_SPACE):
        try:
            return extract_key_values(env_replace=False, args={}, envs={}, instruction_value=ins.args)
        except ValueError:
            pass
    words = split_words(ins.logical, ins.args_start, seps=GO_SPACE)
    texts = [ins.logical[a:b] for a, b in words]
    if texts and "=" not in texts[0]:
        rest = ins.logical[words[1][0] :].strip(GO_SPACE) if len(words) > 1 else ""
        return [(unquote(texts[0]), unquote(rest))]
    return [(unquote(k), unquote(v)) for k, _, v in (t.partition("=") for t in texts)]


def _pairs_instruction(args):
    from types import SimpleNamespace

    return SimpleNamespace(args=args, logical="ENV " + args, args_start=4, key_values=None, escape="\\")


# Keys, values, `=`, `$`, braces and every kind of blank (str.isspace's and Go's), no quote or escape.
_PAIR_TEXT = st.text(
    st.sampled_from(
        list("ab=$={}:/_.-") + [" ", "\t", "\x0b", "\x0c", "\r", "\x85", "\xa0", "\u2028", "\u3000", "\x1c"]
    ),
    max_size=30,
)


@settings(max_examples=1500, deadline=None)
@given(_PAIR_TEXT)
def test_pairs_without_quotes_are_dockerfile_parses(args):
    from aishell.model import key_values

    assume(args.split())  # the parse refuses an ENV or LABEL without arguments
    assert key_values(_pairs_instruction(args)) == list(_key_values_before(_pairs_instruction(args)))


# -- AIS004's mentions ---------------------------------------------------------------


def _ais004():
    import importlib

    return importlib.import_module("aishell.lint_rules.ais004_command_not_in_foundation")


@settings(max_examples=1500, deadline=None)
@given(st.data())
def test_ais004_mentions_are_its_patterns_matches(data):
    """The substring test before each pattern finds what the patterns alone find, on texts made
    of the names, the packages that provide them, pieces of both and the characters around
    them the patterns look at (word characters, dots, dashes, slashes, blanks, case)."""
    rule = _ais004()
    pieces = sorted({x for lits in rule._LITERALS.values() for x in lits})
    piece = st.sampled_from(pieces).flatmap(
        lambda p: st.sampled_from([p, p.upper(), p[:-1], p[1:], p + "x", "x" + p, "-" + p, p + "-", "." + p, "/" + p])
    )
    glue = st.sampled_from(["", " ", "-", ".", "/", "_", "a", "A", "1", "\n", "=", "@"])
    text = "".join(data.draw(st.lists(st.tuples(glue, piece).map("".join), max_size=6))) + data.draw(glue)
    assert rule._mentioned(text) == {name for name, w in rule._WORDS.items() if w.search(text)}


def test_ais004_mentions_on_the_corpus():
    rule = _ais004()
    for path in corpus_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for line in text.splitlines():
            assert rule._mentioned(line) == {name for name, w in rule._WORDS.items() if w.search(line)}, line


# -- the separator between list items, and a list item of one command (AIS002's fix) -----------

_BETWEEN = st.lists(
    st.sampled_from([" ", "\t", "&&", "||", ";", "|", "&", "\n", "\r\n", "# c", "#", "\\\n", "\\", "`", "`\n", "\xa0"]),
    max_size=6,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_BETWEEN)
def test_the_one_line_separator_is_the_general_one(between):
    """_edits._sep reads the text between two items on one line without comments or escapes
    (` && `, most of them) by str.split: the general reader (sep_of) gives the same."""
    from aishell.lint_rules._edits import _sep, sep_of

    text = "a" + between + "b"
    assert _sep(text, [(0, 1), (1 + len(between), len(text))], 0) == sep_of(between), repr(between)


_ITEMS = ["claude -v", "sudo -u n claude -v", "claude -p x | tee o", "a | claude -v", "(claude -v)", "claude $(b)"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_ITEMS), min_size=1, max_size=5),
    st.lists(st.sampled_from([" && ", "; ", " || ", " \\\n && ", "\n# c\n && "]), min_size=4, max_size=4),
)
def test_an_item_of_one_command_takes_no_pipeline_edit(items, ops):
    """AIS002's _pipeline_edits answers None at once for a harness command alone in its list
    item (drop_command removes the item): what the pipeline readers, fast and general, answer."""
    from aishell.lint_rules import ais002_harness_at_build_time as r

    body = items[0] + "".join(op + it for op, it in zip(ops, items[1:]))
    text = "FROM aishell:foundation\nRUN " + body + "\n"
    df = parse(text)
    script = shell.analyse_run(df.instructions[1])
    for cmd in script.commands:
        if cmd.nested or cmd.start is None or not script.exact or not (0 <= cmd.item < len(script.items)):
            continue
        if cmd.item in r._by_item(script):
            continue  # (an item of more than one command)
        a, b = script.items[cmd.item]
        assert r._pipeline_edits(text, script, cmd) is None
        assert r._pipeline_edits_slow(text, script, cmd, a, b) is None, text
        if a <= cmd.start < b and cmd.end is not None:
            assert r._stage_edits(text, r._pipeline(text, script, cmd.item), cmd) is None, text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_ITEMS + ["a | b | claude -v | c", "claude -v | claude -p y"]), min_size=1, max_size=4),
    st.lists(st.sampled_from([" && ", "; ", " | ", " \\\n | ", "\n# c\n && "]), min_size=3, max_size=3),
)
def test_the_pipeline_answer_from_an_items_starts_is_the_general_one(items, ops):
    """AIS002's answer for a harness command sharing its list item (no fix), read from the item's
    command starts once, equals the general reader's for every command of every item."""
    from aishell.lint_rules import ais002_harness_at_build_time as r

    body = items[0] + "".join(op + it for op, it in zip(ops, items[1:]))
    text = "FROM aishell:foundation\nRUN " + body + "\n"
    script = shell.analyse_run(parse(text).instructions[1])
    for cmd in script.commands:
        if cmd.start is None or cmd.end is None or not (0 <= cmd.item < len(script.items)):
            continue
        a, b = script.items[cmd.item]
        if a <= cmd.start < b:
            fast = r._stage_edits(text, r._pipeline(text, script, cmd.item), cmd)
            assert fast == r._pipeline_edits_slow(text, script, cmd, a, b), (text, cmd)
