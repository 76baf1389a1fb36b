"""A script let go past KEEP_SCRIPTS is kept compact for the rules after (COMPACT_KEPT, issue 18).

aishell/shell.py's analyse_run keeps the scripts of the last KEEP_SCRIPTS RUNs read; an older one
was let go, and read again by the next rule that asked (AIS002 reads every RUN of the file, then
AIS003 and AIS004 each ask again: a file of 190,000 distinct installs read each twice). With
COMPACT_KEPT a small one is kept in a compact form (_compact: its commands' word spans in an
array, _FlatSpans; no tokens for the status walk) until the file is linted. Here every rule's
findings, and every script as a rule sees it, are the same with it on and off, keeping none, one
or two full scripts (so that nearly every script the rules read is a compact one), over generated
files of the steps of tests/test_ais002_fast.py and tests/test_shell_fast.py (installs, heredocs,
ONBUILD, continued lines, CRLF, exec form, AIS004's commands).
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aishell import compact, shell
from aishell.lint import Options, lint_text
from aishell.model import DockerfileSyntaxError, parse

from tests.test_ais002_fast import dockerfiles
from tests.test_shell_fast import _KEEP_STEPS

_MORE = [
    "RUN npm install -g @anthropic-ai/claude-code@1.0.1",
    "RUN npm install -g @anthropic-ai/claude-code@1.0.2 \\\n    typescript",
    "ONBUILD RUN npm i -g @anthropic-ai/claude-code@1.0.3",
    "RUN  npm i -g  @openai/codex  &&  bbin install x",
    "RUN export npm_config_global=true && npm i @google/gemini-cli",
    "RUN sudo npm i -g opencode-ai; uv sync",
    "RUN cp x /usr/local/bin/claude && claude -v",
    "RUN ln -s /opt/c/claude /usr/local/bin/ \\\n && claude -v",
    "RUN java -version && cue vet",
]


def _lint(text: str, compact: bool, keep: int) -> list:
    saved = shell.COMPACT_KEPT, shell.KEEP_SCRIPTS, shell._SEEN
    try:
        shell.COMPACT_KEPT, shell.KEEP_SCRIPTS, shell._SEEN = compact, keep, {}
        shell._KEPT.clear()
        result = lint_text(text, "Dockerfile", Options(use_config=False))
    finally:
        shell.COMPACT_KEPT, shell.KEEP_SCRIPTS, shell._SEEN = saved
        shell._KEPT.clear()
    return list(result.findings)


@st.composite
def _files(draw):
    text = draw(dockerfiles())
    extra = draw(st.lists(st.sampled_from(_MORE + _KEEP_STEPS), max_size=8))
    return text + ("\n" if not text.endswith("\n") else "") + "\n".join(extra) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_files(), keep=st.sampled_from([0, 1, 2]))
@example(text="FROM aishell:foundation\n" + "\n".join(_MORE) + "\n", keep=0)
def test_compact_scripts_give_the_findings_of_scripts_read_again(text, keep):
    try:
        parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        return
    try:
        again = _lint(text, False, keep)
    except Exception as e:  # noqa: BLE001 (a file lint refuses: both ways)
        assert type(e).__name__ == "InputError"
        return
    assert _lint(text, True, keep) == again


def _dump(script) -> tuple:
    """What a rule reads of a script: its commands (spans each way a rule reads them), items, flags."""
    out = []
    for c in script.commands:
        sp = c.spans
        n = len(sp)
        out.append(
            (
                c.argv,
                list(sp),
                [sp[k] for k in range(n)],
                [sp[k] for k in range(-n, 0)],
                sp[1:],
                sp[:-1],
                list(sp.moved(7)) if type(sp) is not list else None,
                list(sp.moved(7).moved(-3)) if type(sp) is not list else None,
                c.start,
                c.end,
                c.nested,
                c.item,
                c.runner,
                c.name,
            )
        )
    return out, script.items, script.exact, script.truncated, script.fed, script.files_read, script.unsure_names


@settings(max_examples=300, deadline=None)
@given(text=_files())
def test_a_compact_script_is_the_script_as_rules_read_it(text):
    try:
        df = parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        return
    shell.start_file(len(df.text))
    for ins in df.instructions:
        run = ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins
        if run.keyword != "RUN":
            continue
        script = shell._analyse(run)
        kept = compact.compact(script, run.start)
        if kept is None:
            assert sum(len(c.argv) for c in script.commands) > shell.COMPACT_WORDS
            continue
        # (what the status walk reads of it on the RUN: no tokens; the heredocs it was fed)
        assert kept.tokens is None and kept.doc_tokens is None and kept.shape is None
        assert kept.fed == script.fed and kept.exact == script.exact
        made = compact.made(kept)
        assert _dump(made) == _dump(script)
        assert made.tokens is None and made.doc_tokens is None and made.shape is None
        assert compact.made(kept) is made  # (the last made are kept: the same Script asked again)
    shell.end_file()
    compact.end_file()


def test_each_run_is_read_once_by_every_rule(monkeypatch):
    """The benchmark's shape (`RUN npm install -g @anthropic-ai/claude-code@1.0.N`, and as ONBUILD
    triggers) in more RUNs than analyse_run keeps whole (here none, nor the texts it read): AIS002,
    AIS003 and AIS004 together read each RUN once. (The version-digit memo, VERSION_DIGITS, would
    answer most of these RUNs without reading them: off here, where each RUN's reading is counted.)"""
    from aishell.lint_rules import _provides

    monkeypatch.setattr(_provides, "VERSION_DIGITS", False)
    for line in (
        "RUN npm install -g @anthropic-ai/claude-code@1.0.{}\n",
        "ONBUILD RUN npm i -g @anthropic-ai/claude-code@1.0.{}\n",
    ):
        text = "FROM aishell:foundation\n" + "".join(line.format(i) for i in range(20))
        monkeypatch.setattr(shell, "KEEP_SCRIPTS", 0)
        monkeypatch.setattr(shell, "_SEEN", {})
        monkeypatch.setattr(shell, "_SEEN_MAX", 1)
        reads = []
        analyse = shell._analyse
        monkeypatch.setattr(shell, "_analyse", lambda *a, **k: reads.append(1) or analyse(*a, **k))
        findings = lint_text(text, "Dockerfile", Options(use_config=False)).findings
        monkeypatch.setattr(shell, "_analyse", analyse)
        assert len(findings) == 20
        assert len(reads) == 20, line


def test_compact_scripts_are_let_go_with_the_file(monkeypatch):
    """Kept until the file is linted: none is left on its RUNs after, none kept for the next file."""
    monkeypatch.setattr(shell, "KEEP_SCRIPTS", 0)
    text = "FROM aishell:foundation\n" + "".join(f"RUN npm i -g @openai/codex@0.{i}\n" for i in range(5))
    result = lint_text(text, "Dockerfile", Options(use_config=False))
    assert not shell._COMPACTED and not compact._FORMS and not compact._MADE
    assert all(type(ins.shell) is not compact.Compact for ins in result.df.instructions)
    assert all(type(ins.shell) is not shell.Script or ins.shell.tokens is not None for ins in result.df.instructions)


def test_a_file_no_later_rule_reads_pays_no_step(monkeypatch):
    """read_later: a file of `RUN echo N && claude -v` on debian (the benchmark's 'distinct RUNs')
    is read by AIS003 (no installer word) and AIS004 (no stage on the foundation) in no RUN after
    AIS002: no script let go is asked whether a rule reads it, none is kept compact. On the
    foundation, AIS004 may read one (each is asked; none names its commands: none kept); an
    install is read by AIS003 (each kept). (AIS002's digit memo, DIGIT_RUNS, would answer these
    RUNs without reading them: off here, where each RUN's reading is what is counted.)"""
    from aishell.lint_rules import ais002_harness_at_build_time as ais002

    monkeypatch.setattr(ais002, "DIGIT_RUNS", False)
    monkeypatch.setattr(shell, "KEEP_SCRIPTS", 0)
    asked, kept = [], []
    read_later, compact_ = shell._read_later, compact.compact
    monkeypatch.setattr(shell, "_read_later", lambda s: asked.append(1) or read_later(s))
    monkeypatch.setattr(compact, "compact", lambda *a: kept.append(1) or compact_(*a))
    for image, line, n_asked, n_kept in (
        ("debian", "RUN echo {} && claude -v\n", 0, 0),
        ("debian", "RUN echo {} && npm i -g typescript\n", 0, 0),  # (no harness package: AIS003 reads none)
        ("aishell:foundation", "RUN echo {} && claude -v\n", 21, 0),
        ("debian", "RUN echo {} && npm i -g @openai/codex\n", 21, 21),
    ):
        asked.clear()
        kept.clear()
        monkeypatch.setattr(shell, "_SEEN", {})
        text = f"FROM {image}\n" + "".join(line.format(i) for i in range(21))
        again = _lint(text, False, 0)
        assert list(lint_text(text, "Dockerfile", Options(use_config=False)).findings) == again
        assert (len(asked), len(kept)) == (n_asked, n_kept), (image, line)
