"""drop_items' shortcut for an item joined to the one before it gives what its general path gives
(issue 18, "Linear by design").

lint_rules/_edits.py's drop_items tries the removal of the item with the `&&` or `||` before it
first, and returns it when no comment line is inside it, before reading the operator after the
item; and for an item after any other operator that an `&&` or `||` follows, the item with that
operator, without the general path's candidates (JOINED_FIRST). Each test removes every list item of generated RUNs with the shortcut on and
off and compares the edits: items joined and separated by every list operator, on continued lines
with comment and blank lines between them, with heredocs the item opens, a last item ended by `;`
or `&`, CRLF lines, as a RUN and an ONBUILD RUN; plus every RUN of the corpus.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.lint_rules import _edits
from aishell.model import parse

from tests.conftest import corpus_files
from tests.runs import read_runs


def _drops(text: str):
    """drop_items of each item of each RUN of ``text``, with JOINED_FIRST as set."""
    got = read_runs(text)
    if got is None:
        return None
    df, runs = got
    return [[_edits.drop_items(df, ins, script, {i}) for i in range(len(script.items))] for ins, script in runs]


def _both(text: str):
    saved = _edits.JOINED_FIRST
    try:
        _edits.JOINED_FIRST = True
        fast = _drops(text)
        _edits.JOINED_FIRST = False
        general = _drops(text)
    finally:
        _edits.JOINED_FIRST = saved
    return fast, general


_ITEMS = [
    "claude -v",
    "echo a",
    "x",
    "cat <<<x",
    "cat <<EOF",
    "cat <<-'E' >f",
    "(a)",
    "{ b; }",
    "a | claude",
    "c <<EOF; d",
]
_SEPS = [
    " && ",
    " || ",
    "; ",
    " & ",
    "&&",
    " \\\n && ",
    " && \\\n ",
    " \\\n# c\n && ",
    " && \\\n# c\n\n ",
    " \\\n  # c\n || ",
    "; \\\n# c\n ",
    " \\\n",
    "\\\n;",
    " \\\r\n && ",
]
_ENDS = ["", ";", " &", " ;", " \\\n# c\n", " && \\\n# end"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_SEPS), st.sampled_from(_ITEMS)), min_size=1, max_size=8),
    st.sampled_from(_ENDS),
    st.sampled_from(["RUN ", "ONBUILD RUN ", "RUN --network=none "]),
)
def test_every_item_is_removed_the_same_both_ways(items, end, head):
    line = "true" + "".join(sep + item for sep, item in items) + end
    bodies = "".join("body\nEOF\n" if "EOF" in item else "b\nE\n" if "'E'" in item else "" for _, item in items)
    text = "FROM a\n" + head + line + "\n" + bodies + "RUN echo\n"
    fast, general = _both(text)
    assert fast == general


@pytest.mark.parametrize(("joint", "reads"), [(" && ", 1), ("&&", 51), (" \\\n && ", 51)])
def test_the_shortcut_takes_an_and_list(joint, reads):
    """The benchmark's `&&` list: every item but the first is removed by the shortcut, which
    reads the operator before it (one _sep call, none for ` && `; the general path reads two)."""
    text = "FROM node\nRUN true" + (joint + "claude -v") * 50 + "\n"
    fast, general = _both(text)
    assert fast == general
    calls = []
    saved = _edits._sep
    _edits._sep = lambda *a: calls.append(a) or saved(*a)
    try:
        _drops(text)
    finally:
        _edits._sep = saved
    assert len(calls) == reads  # (and the first item's operator after it)


def test_the_shortcut_takes_an_item_that_begins_an_and_list():
    """The benchmark's files made between harness calls (`ln -s x claude; claude -v && …`): each
    call goes with the `&&` after it, by the shortcut (the general path asks item_part)."""
    text = "FROM node\nRUN true" + " \\\n && ln -s x claude; claude -v" * 50 + "\n"
    fast, general = _both(text)
    assert fast == general
    calls = []
    saved = _edits.item_part
    _edits.item_part = lambda *a: calls.append(a) or saved(*a)
    try:
        _drops(text)
    finally:
        _edits.item_part = saved
    assert len(calls) == 2  # (the first item, `true`, and the last call, which ends the RUN)


@pytest.mark.skipif(not corpus_files(), reason="corpus not present")
def test_the_corpus_runs_are_cut_the_same_both_ways():
    for path in corpus_files():
        fast, general = _both(path.read_text(encoding="utf-8", errors="replace"))
        assert fast == general, path.name


def test_an_item_after_a_semicolon_reads_only_the_operator_after_it():
    """The benchmark's files made between harness calls, on one line (`ln -s x claude; claude -v
    && …`): the `; ` before a call is no join without _sep reading it; only the operator after it
    is read (one _sep call per call, not two)."""
    text = "FROM node\nRUN true" + " && ln -s x claude; claude -v" * 50 + "\n"
    fast, general = _both(text)
    assert fast == general
    df = parse(text)
    script = shell.analyse_run(df.instructions[1])
    calls = []
    saved = _edits._sep
    _edits._sep = lambda *a: calls.append(a) or saved(*a)
    try:
        for i in range(2, len(script.items), 2):  # (each `claude -v`)
            _edits.drop_items(df, df.instructions[1], script, {i})
    finally:
        _edits._sep = saved
    # (The last call ends the RUN: the general path, which reads the `; ` before it.)
    assert [k for _, _, k in calls] == [*range(2, 100, 2), 99]


def _cleaned(text: str):
    """drop_item of each item of each RUN of ``text``, told clean_run's answer for the RUN."""
    got = read_runs(text)
    if got is None:
        return None
    df, runs = got
    out = []
    for ins, script in runs:
        if not ins.heredocs and ins.sub is None:
            # (clean_run reads the instruction's text: every item is in it.)
            assert all(ins.start <= a <= b <= ins.end for a, b in script.items)
        clean = _edits.clean_run(df.text, ins)
        out.append([_edits.drop_item(df, ins, script, i, clean) for i in range(len(script.items))])
    return out


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_SEPS), st.sampled_from(_ITEMS)), min_size=1, max_size=8),
    st.sampled_from(_ENDS),
    st.sampled_from(["RUN ", "ONBUILD RUN ", "RUN --network=none "]),
    st.booleans(),
)
def test_a_clean_run_is_cut_as_without_knowing_it(items, end, head, crlf):
    """drop_item told that the RUN holds no `<<`, `#` nor CR (clean_run) removes each item as
    it does without being told (CLEAN_RUN off), which is drop_items' general path's answer."""
    line = "true" + "".join(sep + item for sep, item in items) + end
    bodies = "".join("body\nEOF\n" if "EOF" in item else "b\nE\n" if "'E'" in item else "" for _, item in items)
    text = "FROM a\n" + head + line + "\n" + bodies + "RUN echo\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    saved = _edits.CLEAN_RUN
    try:
        _edits.CLEAN_RUN = True
        fast = _cleaned(text)
        _edits.CLEAN_RUN = False
        general = _cleaned(text)
    finally:
        _edits.CLEAN_RUN = saved
    assert fast == general
    if not crlf:
        assert general == _both(text)[1]


def test_a_clean_and_list_is_cut_without_searching_its_items():
    """The benchmark's `&&` list on continued lines: clean_run searches the RUN once; no item
    removed is searched for a comment line (COMMENT_LINE), nor sliced for its operator (_sep)."""
    text = "FROM node\nRUN true" + (" && claude -v" * 20 + " \\\n") * 5 + " && claude -v\n"
    df = parse(text)
    ins = df.instructions[1]
    script = shell.analyse_run(ins)
    assert _edits.clean_run(df.text, ins)
    searches, seps = [], []
    saved, saved_sep = _edits.COMMENT_LINE, _edits._sep

    class Counted:
        def search(self, *a):
            searches.append(a)
            return saved.search(*a)

    _edits.COMMENT_LINE = Counted()
    _edits._sep = lambda *a: seps.append(a) or saved_sep(*a)
    try:
        cut = [_edits.drop_item(df, ins, script, i, True) for i in range(1, len(script.items))]
    finally:
        _edits.COMMENT_LINE, _edits._sep = saved, saved_sep
    assert not searches and len(seps) == 5  # (the items after a line break: ` \\\n && `)
    assert cut == [_edits.drop_item(df, ins, script, i) for i in range(1, len(script.items))]


# Two-item RUNs with heredocs (removes_run's case beyond one item): a line and its fed or other
# body, heredoc-only RUNs, bodies empty, of one or two commands, two heredocs, items of the line
# after the heredoc's operator, as a RUN and an ONBUILD RUN, CRLF lines.
_TWO_LINES = ["bash <<EOF", "<<EOF", "cat <<EOF | sh", "sh <<EOF && claude -v", "cat <<EOF > f", "<<EOF claude -v"]
_TWO_LINES += ["sh <<EOF <<B", "cat <<EOF; sh", "claude -v", "a && b", "sh -e <<-'EOF'", "x <<EOF", "<<B <<EOF"]
_TWO_BODIES = ["claude -v", "", "a\nb", "a && b", "claude -v &", "x <<Y\ny\nY"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["RUN ", "ONBUILD RUN "]), st.sampled_from(_TWO_LINES), st.sampled_from(_TWO_BODIES)),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_whether_an_item_removes_the_run_is_told_as_item_part_tells(runs, crlf):
    """removes_run (PART_DIRECT: the bodies' starts against the two items') answers as through
    item_part, item_part of a RUN of one heredoc as of any, for every item of every RUN, and
    drop_items removes each the same."""
    text = "FROM a\n" + "".join(
        f"{head}{line}\n" + ("" if "EOF" not in line else f"{body}\nEOF\n") + ("b\nB\n" if "<<B" in line else "")
        for head, line, body in runs
    )
    if crlf:
        text = text.replace("\n", "\r\n")
    got = read_runs(text)
    if got is None:
        return
    df, scripts = got
    answers = []
    saved = _edits.PART_DIRECT
    try:
        for on in (True, False):
            _edits.PART_DIRECT = on
            answers.append(
                [
                    [
                        (
                            _edits.removes_run(df, ins, s, i),
                            _edits.item_part(df, ins, s, i),
                            _edits.drop_items(df, ins, s, {i}),
                        )
                        for i in range(len(s.items))
                    ]
                    for ins, s in scripts
                ]
            )
    finally:
        _edits.PART_DIRECT = saved
    assert answers[0] == answers[1]


def test_a_fed_body_removes_the_run_without_item_part(monkeypatch):
    """`RUN bash <<EOF` of `claude -v`: its second item, the body's only one, removes the RUN, told
    without item_part (PART_DIRECT)."""
    df = parse("FROM a\nRUN bash <<EOF\nclaude -v\nEOF\nRUN sh <<EOF && claude -v\nEOF\n")
    calls = []
    real = _edits.item_part
    monkeypatch.setattr(_edits, "item_part", lambda *a: calls.append(a) or real(*a))
    told = [_edits.removes_run(df, ins, shell.analyse_run(ins), 1) for ins in df.instructions[1:]]
    assert told == [True, False] and calls == []
