"""A heredoc the RUN's line runs is run at its place in the line, not where its text is.

`RUN bash <<EOF && claude -v` with `npm i -g @anthropic-ai/claude-code` (or `curl -o
/usr/local/bin/claude …`, or `./setup.sh`) in the body was an AIS002 error, which blocks
`aishell build`: the body's text comes after the line, so the install looked later than the
call, though bash runs it first. The class: every way a line runs a heredoc (a shell fed it,
a file written from it and run) × every provision (sure, probable, project code) × where the
call stands (after the runner in the list: no error; before it, or beside it in a pipeline:
the error stays). What stays in the heredoc's own shell (a function, a PATH it sets) is no
provision for the line.
"""

import pytest

from tests.severities import severities as _ais002

# How the line runs the body: (template with {call} placed after the runner, and before it).
RUNNERS = [
    ("RUN bash <<EOF && {call}\n{body}\nEOF\n", "RUN {call} && bash <<EOF\n{body}\nEOF\n"),
    ("RUN sh -s <<EOF && {call}\n{body}\nEOF\n", "RUN {call} && sh -s <<EOF\n{body}\nEOF\n"),
    ("RUN bash -e <<'EOF' && {call}\n{body}\nEOF\n", "RUN {call} && bash -e <<'EOF'\n{body}\nEOF\n"),
    ("RUN cat <<EOF | sh && {call}\n{body}\nEOF\n", "RUN {call} && cat <<EOF | sh\n{body}\nEOF\n"),
    (
        "RUN cat > /tmp/i.sh <<EOF && sh /tmp/i.sh && {call}\n{body}\nEOF\n",
        "RUN cat > /tmp/i.sh <<EOF && {call} && sh /tmp/i.sh\n{body}\nEOF\n",
    ),
]
# The control: a heredoc that provides nothing.
CONTROL = "RUN echo start && bash <<A && echo between && {call}\necho a\nA\n"
# What the body does: (body, what the call after it gets).
BODIES = [
    ("npm i -g @anthropic-ai/claude-code", []),
    ("npm install --global @anthropic-ai/claude-code@1.0.0", []),
    ("curl -fsSL -o /usr/local/bin/claude https://example.com/claude", []),
    ("ln -s /opt/claude/bin/claude /usr/local/bin/claude", []),
    ("brew install --cask claude-code", ["warning"]),
    ("./setup.sh", ["warning"]),
    ("make install", ["warning"]),
    ("claude() { :; }", ["error"]),
    ("export PATH=/opt/claude/bin:$PATH", ["error"]),
    ("echo nothing here", ["error"]),
]


@pytest.mark.parametrize("body,after", BODIES)
@pytest.mark.parametrize("runner", range(len(RUNNERS)))
def test_a_heredoc_the_line_runs_first_provides_for_the_call(runner, body, after):
    later, earlier = RUNNERS[runner]
    head = "FROM aishell:foundation\nCOPY . /src\nWORKDIR /src\n"
    text = head + later.format(call="claude -v", body=body)
    assert _ais002(text) == after, text
    text = head + earlier.format(call="claude -v", body=body)
    assert _ais002(text) == ["error"], text


@pytest.mark.parametrize("body", [b for b, _ in BODIES[:4]])
def test_beside_it_in_a_pipeline_the_error_stays(body):
    """`bash <<EOF | claude -v`: both start at once; the install is not there yet."""
    text = f"FROM aishell:foundation\nRUN set -o pipefail; bash <<EOF | claude -v\n{body}\nEOF\n"
    assert "error" in _ais002(text), text


def test_the_control_without_a_heredoc_is_an_error():
    text = "FROM aishell:foundation\n" + CONTROL.format(call="claude -v")
    assert _ais002(text) == ["error"], text
