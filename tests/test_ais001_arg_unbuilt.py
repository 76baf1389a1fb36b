"""AIS001 at a global ARG default has the severity the same FROMs get with the image written in
them (issue 18: an error must mean the build fails; found by a red-team pass).

`ARG BASE=aishell:base` + `FROM ${BASE} AS legacy` + a last stage on the foundation was an
error, while `FROM aishell:base AS legacy` there is a warning: the default build builds the last
stage and what it needs, and skips `legacy`. Generated: chains of ARGs to the default x which
stages read it (skipped ones, built ones through FROM, COPY --from, RUN --mount from=, both) x
where the reading stages stand; the oracle is the file with the image written in each reading
FROM instead: an error at the default iff some such FROM is an error there.
"""

from __future__ import annotations

import itertools

from aishell.lint import Options, lint_text

CHAINS = [
    ("ARG BASE=aishell:base\n", "BASE"),
    ("ARG A0=aishell:base\nARG BASE=${A0}\n", "BASE"),
    ("ARG A0=aishell:base\nARG A1=$A0\nARG BASE=${A1}\n", "BASE"),
]
# (stages before the last, how the last uses them): the reading stages are s0, s1.
LAYOUTS = [
    ("FROM {r} AS s0\nRUN echo old\n", "FROM aishell:foundation\nRUN echo new\n"),
    ("FROM {r} AS s0\nRUN echo old\n", "FROM aishell:foundation\nCOPY --from=s0 /x /x\n"),
    ("FROM {r} AS s0\nRUN echo old\n", "FROM s0\nRUN echo new\n"),
    ("FROM {r} AS s0\nRUN echo old\n", "FROM aishell:foundation\nRUN --mount=from=s0,target=/m true\n"),
    ("FROM {r} AS s0\nFROM {r} AS s1\n", "FROM aishell:foundation\nCOPY --from=s1 /x /x\n"),
    ("FROM {r} AS s0\nFROM {r} AS s1\n", "FROM aishell:foundation\nRUN echo new\n"),
    ("FROM aishell:foundation AS s0\nFROM {r} AS s1\n", "FROM s0\nRUN echo new\n"),
    ("", "FROM {r}\nRUN echo new\n"),
]


def _findings(text: str):
    return lint_text(text, "Dockerfile", Options(select=["AIS001"], use_config=False)).findings


def test_an_arg_default_is_as_severe_as_the_image_in_its_froms():
    bad = []
    for (args, name), (stages, last) in itertools.product(CHAINS, LAYOUTS):
        text = args + stages.format(r="${" + name + "}") + last.format(r="${" + name + "}")
        written = (stages + last).format(r="aishell:base")
        got = [f.severity for f in _findings(text) if f.line <= args.count("\n")]
        oracle = [f.severity for f in _findings(written)]
        want = "error" if "error" in oracle else "warning"
        if got != [want] * len(got) or not got:
            bad.append((text, got, oracle))
    assert not bad, (len(bad), bad[:3])
