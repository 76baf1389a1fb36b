"""Each finding is reported once (issue 18's precision class, red team of session 58).

The class: a rule that meets one problem on two paths says it twice, the same words at the same
place (AIS002's walk read `f() { claude "$@"; }; f -v` as a call of the body with its arguments
and without them: "Found 2 findings (2 errors)" for one harness call). aishell.lint._once keeps
one of equal findings, whatever rule made them. Generated: functions whose bodies call a harness
(directly, through wrappers, with every positional form) called with and without arguments, once
or many times, beside other rules' findings; and the real corpus.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from tests.conftest import corpus_files, sample_dockerfiles

POSITIONALS = ['"$@"', "$@", "$1", '"$1"', "$*", '"$*"', "${1}", "${@}", '"${1:-x}"', "$2", ""]
WRAPPERS = ["", "sudo ", "env A=1 ", "timeout 5 ", "command ", "exec "]
HARNESSES = ["claude", "codex", "gemini", "opencode"]
ARGS = ["", " -v", " --version", " -p hi", ' "$X"', " a b"]


@st.composite
def scripts(draw):
    harness = draw(st.sampled_from(HARNESSES))
    body = f"{draw(st.sampled_from(WRAPPERS))}{harness} {draw(st.sampled_from(POSITIONALS))}".rstrip()
    name = draw(st.sampled_from(["f", "run_it", "h"]))
    calls = draw(st.lists(st.sampled_from(ARGS), min_size=1, max_size=4))
    join = draw(st.sampled_from(["; ", " && ", "\n"]))
    define = draw(
        st.sampled_from([f"{name}() {{ {body}; }}", f"{name}() ( {body} )", f"function {name} {{ {body}; }}"])
    )
    lines = [define] + [f"{name}{a}" for a in calls]
    if join == "\n":
        return "RUN <<EOF\n" + "\n".join(lines) + "\nEOF\n"
    return "RUN " + join.join(lines) + "\n"


def _assert_once(text: str, path: str = "Dockerfile") -> None:
    findings = lint_text(text, path, Options(use_config=False)).findings
    assert len(set(findings)) == len(findings), [(f.code, f.line, f.column, f.message[:60]) for f in findings]


@settings(max_examples=300, deadline=None)
@given(scripts(), st.sampled_from(["FROM aishell:foundation\n", "FROM aishell:base\n", "FROM debian\n"]))
def test_a_harness_call_in_a_function_is_one_finding(run, head):
    _assert_once(head + run)


def test_the_red_teams_forms_are_one_finding_each():
    for body in ['claude "$@"', "claude $1", '"claude" "$1"', "claude $*"]:
        text = f"FROM aishell:foundation\nRUN f() {{ {body}; }}; f -v\n"
        findings = lint_text(text, "Dockerfile", Options(use_config=False)).findings
        assert len(findings) == 1, [(f.code, f.column) for f in findings]


def test_the_corpus_and_samples_have_no_finding_twice():
    for p in corpus_files() + sample_dockerfiles():
        try:
            text = p.read_text()
        except (UnicodeDecodeError, OSError):
            continue
        try:
            _assert_once(text, str(p))
        except AssertionError:
            raise
        except Exception:
            continue  # (files lint refuses: tested elsewhere)
