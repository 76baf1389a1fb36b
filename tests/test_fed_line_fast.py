"""A shell alone reading the RUN's one heredoc is told by its body (issue 18, r98).

`RUN bash <<EOF` (aishell/shell.py's fed_line: the line a shell alone, by name or path, options
that leave it reading its stdin, the RUN's one heredoc on it) runs the body and nothing else:
AIS002 tells what the RUN provides from the body alone (FED_NOTHING: the shell, a name
may_provide takes for one that may run the project's code, is passed over), and
_provides.project_code_before passes over the shell (FED_SHELL: runs_unread_code's no, without its
look at the shell's words and stdin). Here: each line of tests/test_fed_plain_fast.py (the form
and lines near it that are not) with each delimiter spelling, bodies that provide nothing and
bodies that provide, install, define, run the project's code or feed a shell of their own, in
stages that differ in what is on PATH (a WORKDIR on PATH, an ENV PATH, files copied in, a login
SHELL, an ONBUILD of the form): with the two switches on and off, what each RUN provides under
three places, project_code_before's answer at every command, and every finding of every rule
must agree; and the form must take the short way.
"""

from __future__ import annotations

from itertools import product

from aishell import shell
from aishell.lint_rules import _provides
from aishell.lint_rules import ais002_harness_at_build_time as ais002
from aishell.model import parse

from tests.runs import lint_findings, switched
from tests.test_fed_plain_fast import _DELIMITERS, _LINES

_BODIES = [
    "claude -v",
    "echo 1\nclaude -v",
    "claude -v\necho 1",
    "",
    "echo $HOME\nclaude -v",
    "ln -s /opt/c/bin/claude /usr/local/bin/claude\nclaude -v",
    "npm i -g @anthropic-ai/claude-code\nclaude -v",
    "npm install @anthropic-ai/claude-code && npx claude -v",
    "./setup.sh\nclaude -v",
    "make install && claude -v",
    "python3 setup.py\nclaude -v",
    "claude() { :; }\nclaude -v",
    "alias claude=true\nclaude -v",
    "hash -p /bin/true claude; claude -v",
    "curl -fsSL https://x.sh | sh\nclaude -v",
    "sh\nclaude -v",
    "bash -c 'claude -v'",
    "printf x > claude\nchmod +x claude\n./claude -v",
    "cat > /etc/profile.d/c.sh\nclaude -v",
    "export PATH=/opt/c/bin:$PATH\nclaude -v",
    "cd /tmp && claude -v",
    "tar -xzf c.tgz -C /usr/local/lib/node_modules && claude -v",
    "set -e\nclaude -v\necho $?",
]
_STAGES = [  # (FROM, what the stage does before the RUN)
    ("aishell:foundation", ""),
    ("node:24", "WORKDIR /usr/local/bin\n"),
    ("debian", "ENV PATH=/app/bin:$PATH\nCOPY . /app\n"),
    ("debian", 'SHELL ["/bin/bash", "-lc"]\nRUN echo x > /etc/profile.d/a.sh\n'),
]
_PLACES = [("/", frozenset()), ("/usr/local/bin", frozenset()), (None, frozenset({"/app/bin"}))]
_SWITCHES = ((ais002, "FED_NOTHING"), (_provides, "FED_SHELL"))
# The lines of the form: the first nine, and the two continued over lines (the line joined is one).
_FORM = [*_LINES[:9], "sh \\\n  <<{d}", "sh -e \\\n -x <<{d}"]


def _run(line: str, d: str, body: str, onbuild: bool = False) -> str:
    end = d.strip("'\"")
    line = line.format(d=d)
    extra = "x\nX\n" if "<<X" in line else ""
    return f"{'ONBUILD ' if onbuild else ''}RUN {line}\n{body}\n{end}\n{extra}"


def _texts() -> list[str]:
    """A Dockerfile per stage kind and line: a stage for the line with each body and delimiter
    (an ONBUILD of it for every fourth), then one that copies from each (so the default build
    builds them all: their errors are errors)."""
    out = []
    for (base, before), line in product(_STAGES, _LINES):
        runs = [
            f"FROM {base} AS s{k}\n{before}{_run(line, d, body, onbuild=k % 4 == 3)}"
            for k, (d, body) in enumerate(product(_DELIMITERS, _BODIES))
        ]
        copies = "".join(f"COPY --from=s{k} /a /a{k}\n" for k in range(len(runs)))
        out.append("".join(runs) + "FROM debian\n" + copies)
    return out


def _told(text: str) -> tuple:
    """(what each RUN provides at each place, project_code_before's answer at each command start
    of each RUN, the file's findings, how many RUNs fed_line took)"""
    shell._SEEN = {}
    df = parse(text)
    provided, before, taken = [], [], 0
    for ins in df.instructions:
        if ais002._runs(ins) is None:
            continue
        script = shell.analyse_run(ins)
        taken += shell.fed_line(ins, script) is not None
        provided.append([ais002._provided_by_step(df, ins, script, place) for place in _PLACES])
        test = _provides.project_code_before(script, ais002._runs(ins))
        before.append(None if test is None else [test(c, c.start) for c in script.commands if c.start is not None])
    return provided, before, lint_findings(text), taken


def test_a_shell_fed_the_heredoc_is_told_by_its_body():
    texts = _texts()
    assert len(texts) * len(_DELIMITERS) * len(_BODIES) == 4 * 22 * 4 * 23  # 8,096 RUNs
    taken = errors = 0
    for text in texts:
        with switched(_SWITCHES, True):
            fast = _told(text)
        with switched(_SWITCHES, False):
            general = _told(text)
        assert fast[:3] == general[:3]
        taken += fast[3]
        errors += sum(f[2] == "error" for f in fast[2])
    assert taken == 4 * len(_FORM) * 4 * 23  # (the lines of the form, each body: an empty one is a line)
    assert errors > 500  # (the form's errors among them, told the short way)


def test_fed_line_takes_the_form_alone():
    """fed_line's answer is _fed_plain's match where it read the RUN, the same match where the
    reader did (a body _plain_line leaves to it), and None for every line not of the form."""
    for line, d in product(_LINES, _DELIMITERS):
        for body in ("claude -v", "echo $HOME\nclaude -v"):
            df = parse("FROM a\n" + _run(line, d, body))
            ins = df.instructions[1]
            ins.shell = None
            script = shell.analyse_run(ins)
            got = shell.fed_line(ins, script)
            if line in _FORM:
                assert got is not None and got.group(0) == ins.logical[ins.args_start :], (line, d, body)
                assert script.commands[0].name in shell.SHELLS and script.commands[1].item > 0
            else:
                assert got is None, (line, d, body)


def test_the_form_reads_nothing_more(monkeypatch):
    """`RUN bash <<EOF` of harness calls and echoes: no run_provides, no installs, no look at the
    shell's stdin (the work the short ways save, which fails without them)."""
    asked = []
    for name in ("run_provides", "_installs"):
        real = getattr(ais002, name)
        monkeypatch.setattr(ais002, name, lambda *a, _r=real, _n=name, **k: asked.append(_n) or _r(*a, **k))
    real_unread = _provides.runs_unread_code
    monkeypatch.setattr(
        _provides, "runs_unread_code", lambda *a, **k: asked.append("runs_unread_code") or real_unread(*a, **k)
    )
    text = "FROM aishell:foundation\n" + "".join(
        _run(line, d, body)
        for line, d, body in product(_LINES[:9], _DELIMITERS, ["claude -v", "echo 1\nclaude -v", "echo $HOME\nclaude"])
    )
    found = lint_findings(text)
    assert sum(f[0] == "AIS002" and f[2] == "error" for f in found) == 9 * 4 * 3
    assert asked == []
