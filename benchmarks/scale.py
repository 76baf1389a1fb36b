"""Does aishell stay linear on huge inputs? Time and peak memory per shape, at 1 MB and 10 MB.

Run:  python benchmarks/scale.py [--sizes 1,10] [--only NAME,...] [--commands lint,parse]
      (the installed wheel, see benchmarks/installed.py; AISHELL_CMD=… reuses one)

Each shape is a family of inputs that once grew faster than the input (issues 11 and 18):
a generator ``make(size) -> (Dockerfile text, context files)`` that tests/test_scale.py also
uses, at a size where quadratic behaviour would take minutes. `aishell lint` and
`aishell parse` run on every shape; `migrate_shapes()` is where `aishell migrate` shapes go
(many fixes, large Python files), measured the same way.
Aim (issue 18): every shape under 5 s and under 1 GB at 10 MB on the 2-core machine.
Each run is one process; peak memory is its maximum resident set size (wait4).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, NamedTuple

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dockerfiles"


class Shape(NamedTuple):
    name: str
    make: Callable[[int], tuple[str, dict[str, str]]]  # size in bytes -> (Dockerfile, context files)
    commands: tuple[str, ...] = ("lint", "parse")


def _repeat(head: str, unit: Callable[[int], str], size: int, tail: str = "") -> str:
    parts, total, i = [head], len(head) + len(tail), 0
    while total < size:
        u = unit(i)
        parts.append(u)
        total += len(u)
        i += 1
    parts.append(tail)
    return "".join(parts)


def arg_run_pairs(size: int):
    """`ARG Xn` + `RUN apt-get …` pairs (AIS102 once rescanned every later step for every ARG)."""
    return _repeat("FROM debian\n", lambda i: f"ARG X{i}\nRUN apt-get install -y pkg{i}\n", size), {}


def copy_npm_pairs(size: int):
    """`COPY . .` + `RUN npm ci` pairs (AIS101 once paired every RUN with every COPY before it)."""
    return _repeat("FROM node\nWORKDIR /app\n", lambda i: "COPY . .\nRUN npm ci\n", size), {"package.json": "{}"}


def copy_elsewhere_pairs(size: int):
    """`COPY . /srcN` + `RUN npm ci` in /app: no COPY holds the manifest (AIS101 once tried every
    COPY before every RUN)."""
    return _repeat("FROM node\nWORKDIR /app\n", lambda i: f"COPY . /src{i}\nRUN npm ci\n", size), {"package.json": "{}"}


def stage_chain(size: int):
    """Stages each built FROM the previous one (AIS002 once walked the whole chain per stage)."""
    return _repeat("FROM node AS s0\n", lambda i: f"FROM s{i} AS s{i + 1}\nRUN claude --version\n", size), {}


def nested_substitutions(size: int):
    """`$(` nested as deep as the size allows (each level once re-read the text inside it), in
    continued lines of 60,000 bytes (BuildKit refuses a line over 65,535)."""
    k = max(1, (size - 20) // 4)
    opening = "\\\n".join("$(" * 30000 for _ in range(k // 30000)) + "\\\n" + "$(" * (k % 30000)
    closing = "\\\n".join(")" * 60000 for _ in range(k // 60000)) + "\\\n" + ")" * (k % 60000)
    return "FROM x\nRUN echo " + opening + "\\\nclaude\\\n" + closing + "\n", {}


def doubling_args(size: int):
    """Global ARGs whose value is the previous one twice: 503 bytes once needed 2.1 GB."""
    return _repeat(
        "ARG A0=aishell\n", lambda i: f"ARG A{i + 1}=${{A{i}}}${{A{i}}}\n", size, "FROM ${A40}\nRUN echo\n"
    ), {}


def heredoc_dense(size: int):
    """One heredoc script, every line a command list with `$( )` naming a harness."""
    return _repeat(
        "FROM x\nRUN <<EOF\n", lambda i: f"echo $(date) claude{i} && make -C /src/p{i} install\n", size, "EOF\n"
    ), {}


def _corpus_runs() -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from aishell.model import parse

    out = []
    for n in sorted(os.listdir(CORPUS)) if CORPUS.is_dir() else ():
        try:
            df = parse((CORPUS / n).read_text(encoding="utf-8"))
        except Exception:
            continue
        for ins in df.instructions:
            if ins.keyword == "RUN" and ins.json_args is None and not ins.heredocs and "EOF" not in ins.args:
                out.append(ins.args.strip() + "\n")
    return out or ["apt-get update && apt-get install -y curl ca-certificates\n"]


def heredoc_corpus(size: int):
    """One heredoc script made of the corpus's RUN commands: a realistic long script."""
    runs = _corpus_runs()
    # An ARG (AIS102) and a harness (AIS002) make the rules read the whole script.
    return _repeat(
        "FROM x\nARG BUILD_DATE\nRUN <<EOF\n", lambda i: runs[i % len(runs)], size, "claude --version\nEOF\n"
    ), {}


def _corpus_blob() -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from aishell.model import parse

    parts = []
    for n in sorted(os.listdir(CORPUS)) if CORPUS.is_dir() else ():
        if n.endswith(".dockerignore"):
            continue
        try:
            t = (CORPUS / n).read_text(encoding="utf-8").lstrip("\ufeff")
            if parse(t).directives or "\r" in t:
                continue
        except Exception:
            continue
        parts.append(t if t.endswith("\n") else t + "\n")
    return "".join(parts) or "FROM debian\nRUN apt-get update\n"


def corpus(size: int):
    """The corpus files that parse alone and have no directive, concatenated and repeated."""
    blob = _corpus_blob()
    text = blob * (size // len(blob) + 1)
    cut = text.rfind("\nFROM ", 0, size)
    return text[: cut + 1 if cut > 0 else size], {"requirements.txt": "", "package.json": "{}"}


def continued_run(size: int):
    """One RUN continued over many lines (one logical line of the whole size)."""
    return _repeat("FROM x\nRUN true", lambda i: f" \\\n && echo step{i} claude", size, "\n"), {}


# Wrappers with their options and operands, as a RUN chains them (`sudo -u x env A=1 nice … claude`).
WRAPPER_WORDS = (
    "sudo -u x",
    "env A=1",
    "nice -n 5",
    "timeout 5",
    "runuser -u x --",
    "exec",
    "nohup",
    "time",
    "stdbuf -o0",
    "gosu x",
    "chroot /",
    "ionice -c 3",
    "taskset 1",
    "npx -y",
)


def wrapper_chain(size: int):
    """One RUN of wrappers in a row, each on its own continued line, then a harness command."""
    n = len(WRAPPER_WORDS)
    return _repeat("FROM aishell:foundation\nRUN ", lambda i: WRAPPER_WORDS[i % n] + " \\\n", size, "claude -v\n"), {}


def made_and_called(size: int):
    """One RUN that makes files of a harness's name (relative ones, after `cd`, into `-t`
    directories, after PATH assignments), defines functions that call each other and sets traps,
    between harness calls (AIS002 once scanned every file made for every call)."""

    def unit(i: int) -> str:
        if i % 8:
            return " \\\n && ln -s x claude; claude -v"
        return (
            f" \\\n && cd /o{i} && install -m 755 -t bin{i} ./claude && PATH=/p{i}:$PATH; printf x > claude"
            f" && f{i}() {{ f{i - 1}; }}; f{i} | cat; trap 'x' $S{i}; claude -v"
        )

    return _repeat("FROM aishell:foundation\nRUN true", unit, size, "\n"), {}


def nested_workdirs(size: int):
    """Relative WORKDIRs, each a folder below the last, with a `COPY . .` and an install in each
    (every working directory longer than the last; AIS101 once tried each folder above every
    install's manifest, each with a path as long: 2,500 of them took 47 s)."""
    return _repeat("FROM node\n", lambda i: f"WORKDIR d{i}\nCOPY . .\nRUN npm ci\n", size), {"package.json": "{}"}


def path_additions(size: int):
    """`ENV PATH=/pN:$PATH` then a harness call, repeated: PATH grows at every ENV (AIS002 once
    copied the whole set of added directories at each: 5,600 pairs took 9 s)."""
    return _repeat("FROM node\n", lambda i: f"ENV PATH=/p{i}:$PATH\nRUN claude -v\n", size), {}


def path_additions_one_env(size: int):
    """One ENV of `PATH=/pN:$PATH` assignments on continued lines (copied once per assignment)."""
    return _repeat("FROM node\nENV", lambda i: f" PATH=/p{i}:$PATH \\\n", size, " Z=1\nRUN claude -v\n"), {}


def and_list(size: int):
    """One RUN: a list of harness calls joined by `&&` (every command a finding; the shell
    reader's status walk once sliced the operators after each command), in continued 60 KB lines."""
    k = max(1, (size - 20) // 13)
    line = "\\\n".join(" && claude -v" * 5000 for _ in range(k // 5000)) + "\\\n" + " && claude -v" * (k % 5000)
    return "FROM node\nRUN true" + line + "\n", {}


def arg_chain_froms(size: int):
    """A chain of global ARGs, each the one before (the first `aishell:base`), then FROMs each
    naming a different one of them (AIS001 once walked the chain again for every FROM)."""
    n = max(1, size // 22)
    args = "".join(f"ARG A{i + 1}=${{A{i}}}\n" for i in range(n))
    froms = "".join(f"FROM ${{A{n - j}}}\n" for j in range(max(1, n // 10)))
    return "ARG A0=aishell:base\n" + args + froms, {}


# One install per tool whose manifest the rules read (AIS101, AIS102), each with its own option.
_INSTALLS = (
    "RUN pip install -r requirements.txt --no-cache-dir{i}\n",
    "RUN npm ci --loglevel=l{i}\n",
    "RUN bundle install --jobs {i}\n",
    "RUN composer install --prefer-dist{i}\n",
    "RUN pipenv install --x{i}\n",
)


def installs_one_manifest(size: int):
    """Installs that differ only in an option (`--jobs N`), over one large manifest per tool
    (requirements.txt, package.json, Gemfile, composer.json, Pipfile), each a tenth of the size
    up to 900 KB (the rules read no manifest over 1 MB): AIS101 once read each manifest again
    for each install's command line (1,250 `pip install -r requirements.txt pN` over 100 KB of
    requirements took 25 s, a Pipfile twice as fast to grow)."""
    k = min(size // 10, 900_000) // 20
    files = {
        "requirements.txt": "".join(f"pkg{i}==1.0\n" for i in range(k)),
        "package.json": '{"dependencies": {' + ", ".join(f'"dep{i}": "^1.0.0"' for i in range(k)) + "}}",
        "package-lock.json": "{}",
        "Gemfile": "source 'https://rubygems.org'\n" + "".join(f"gem 'g{i}', '1.0'\n" for i in range(k)),
        "Gemfile.lock": "",
        "composer.json": '{"require": {' + ", ".join(f'"a/b{i}": "^1"' for i in range(k)) + "}}",
        "composer.lock": "{}",
        "Pipfile": "[packages]\n" + "".join(f"p{i} = '*'\n" for i in range(k)),
        "Pipfile.lock": "{}",
    }
    n = len(_INSTALLS)
    text = _repeat("FROM python\nCOPY . .\n", lambda i: _INSTALLS[i % n].format(i=i), size // 2)
    return text, files


def distinct_heredoc_runs(size: int):
    """RUNs that never repeat, each a heredoc script calling a harness then `echo N`: every RUN
    is read, its status walked (line and body) and checked on its own (a RUN text met again is
    read once, from a memo: these never are), so each per-RUN constant counts once per 35 bytes
    (a red team's: 2.4 s CPU per 0.5 MB, about 45 s at 10 MB)."""
    return _repeat("FROM debian\n", lambda i: f"RUN <<EOF\nclaude -v\necho {i}\nEOF\n", size), {}


def distinct_line_runs(size: int):
    """RUNs that never repeat, each one line `echo N && claude -v`: the per-RUN constants of the
    reader, the status walk and AIS002 once per 25 bytes (a red team's: 1 s CPU per 0.5 MB,
    about 20 s at 10 MB)."""
    return _repeat("FROM debian\n", lambda i: f"RUN echo {i} && claude -v\n", size), {}


def many_functions(size: int):
    """One RUN defining many shell functions (`fN() { echo hi; };`) on continued lines of about
    900 bytes, then a harness call: the status walk once held the line's tokens and its tree
    whole (a red team's: about 195 MB per MB, 2 GB at 10 MB)."""

    def unit(i: int) -> str:
        return f" f{i}() {{ echo hi; }};" + (" \\\n" if i % 40 == 39 else "")

    return _repeat("FROM aishell:foundation\nRUN", unit, size, " claude -v\n"), {}


def substitution_assignments(size: int):
    """One RUN (errexit on) of assignments from command substitutions on continued lines, every
    other one a harness call (`v=$(date +%s); w=$(claude -v)`): each substitution is read for
    the value it gives, and a harness call's is walked as a subshell whose status is the
    command's (AIS002 errors)."""
    return _repeat(
        "FROM aishell:foundation\nRUN set -e",
        lambda i: f"; v{i}=$(date +%s); w{i}=$(claude -v)" + (" \\\n" if i % 40 == 39 else ""),
        size,
        "\n",
    ), {}


def harness_installs(size: int):
    """RUNs that never repeat, each installing a harness at build time (`npm install -g
    @anthropic-ai/claude-code@1.0.N`: AIS003 at every one, whose install AIS002 then counts as
    providing the harness to the steps after it). Every rule that reads installs reads each RUN;
    past the scripts kept (KEEP_SCRIPTS) each reads it again."""
    return _repeat(
        "FROM aishell:foundation\n", lambda i: f"RUN npm install -g @anthropic-ai/claude-code@1.0.{i}\n", size
    ), {}


def onbuild_installs(size: int):
    """ONBUILD triggers that never repeat, each installing a harness (`ONBUILD RUN npm i -g
    @anthropic-ai/claude-code@1.0.N`): read as RUNs by AIS002 (for the stages that inherit them and as
    triggers) and by AIS003, an edit of the ONBUILD for each."""
    return _repeat(
        "FROM aishell:foundation\n", lambda i: f"ONBUILD RUN npm i -g @anthropic-ai/claude-code@1.0.{i}\n", size
    ), {}


def fed_heredocs(size: int):
    """RUNs that never repeat, each feeding a heredoc to bash (`RUN bash <<EN` with `claude -v`):
    the line and the body read as two scripts, the body walked as the script bash reads on its
    stdin, and each command asked whether it runs code aishell does not read."""
    return _repeat("FROM debian\n", lambda i: f"RUN bash <<E{i}\nclaude -v\nE{i}\n", size), {}


def eval_assigned(size: int):
    """One RUN (continued every 40 pairs) assigning a command to a variable and `eval`-ing it
    (`c=claude; eN="$c -v"; eval "$eN"`): each eval's string is put together from the values
    the reader tracks and read as a script of its own."""
    return _repeat(
        "FROM aishell:foundation\nRUN c=claude",
        lambda i: f'; e{i}="$c -v"; eval "$e{i}"' + (" \\\n" if i % 40 == 39 else ""),
        size,
        "\n",
    ), {}


def reassigned_substitutions(size: int):
    """One RUN (errexit on) that assigns the same variables again and again from command
    substitutions, each read by the next substitution (`x=$(date +%s); y=$(echo $x); w=$(claude
    -v)`): each `$( )` body reads the value its variable holds at its place, from the script's
    history of assignments (shell.QUEUED_VALUES), not the last one. Found in session 55: that
    lookup scanned each variable's history from the first assignment, quadratic in the RUN."""
    return _repeat(
        "FROM aishell:foundation\nRUN set -e",
        lambda i: "; x=$(date +%s); y=$(echo $x); w=$(claude -v)" + (" \\\n" if i % 40 == 39 else ""),
        size,
        "\n",
    ), {}


# RUN lines that `_plain_line` (shell.PLAIN_LINE) refuses, one of each kind in turn: a quoted
# word and a redirection, an expansion, a runner of project code (`npm ci`, `yarn build`), a
# wrapper (`env`), a pipe into `sudo tee`.
_REFUSED_LINES = (
    'RUN echo "{i}" > /f && claude -v\n',
    "RUN claude -v && npm ci && : {i}\n",
    "RUN echo $HOME{i} && claude -v\n",
    "RUN claude -v && yarn build{i}\n",
    "RUN claude -v && env {i}\n",
    'RUN echo "x{i}" | sudo tee /var/m && claude -v\n',
)


def refused_line_runs(size: int):
    """RUNs that never repeat, each a harness call beside a command the one-pass reader of plain
    lines refuses (quotes with a redirection, `$`, a runner, a wrapper, a pipe into `sudo tee`):
    each goes through the full reader and status walk, about four times a plain line's cost
    (found by benchmarks/scale_hunt.py in session 56: its slowest pairs were these, `RUN npm ci`
    and `RUN echo "x" > /f` with `claude -v &&` in front)."""
    n = len(_REFUSED_LINES)
    return _repeat("FROM debian\n", lambda i: _REFUSED_LINES[i % n].format(i=i), size), {}


LINT_SHAPES: tuple[Shape, ...] = (
    Shape("corpus", corpus),
    Shape("ARG + RUN pairs", arg_run_pairs),
    Shape("COPY + RUN npm ci pairs", copy_npm_pairs),
    Shape("COPY elsewhere + npm ci", copy_elsewhere_pairs),
    Shape("stage chain", stage_chain),
    Shape("nested $( )", nested_substitutions),
    Shape("doubling ARGs", doubling_args),
    Shape("heredoc, dense $( )", heredoc_dense),
    Shape("heredoc, corpus RUNs", heredoc_corpus),
    Shape("one continued RUN", continued_run),
    Shape("wrapper chain", wrapper_chain),
    Shape("made files and harness calls", made_and_called),
    Shape("nested WORKDIRs", nested_workdirs),
    Shape("ENV PATH additions", path_additions),
    Shape("PATH additions in one ENV", path_additions_one_env),
    Shape("&& list of harness calls", and_list),
    Shape("ARG chain, FROMs along it", arg_chain_froms),
    Shape("installs over one large manifest", installs_one_manifest),
    Shape("distinct heredoc RUNs, harness calls", distinct_heredoc_runs),
    Shape("distinct RUNs, harness calls", distinct_line_runs),
    Shape("many functions, harness call", many_functions),
    Shape("assignments from $( ), harness calls", substitution_assignments),
    Shape("harness installs, distinct", harness_installs),
    Shape("ONBUILD harness installs", onbuild_installs),
    Shape("heredocs fed to bash", fed_heredocs),
    Shape("eval of assigned commands", eval_assigned),
    Shape("reassigned values read by $( )", reassigned_substitutions),
    Shape("distinct RUNs the plain reader refuses", refused_line_runs),
)


# -- Shapes r69d's hunt found linear but over the aim (seconds or memory per MB, issue 18) -----
# Each grows linearly (4x the time at 4x the size, or less) but costs more per MB than the aim
# allows at 10 MB (5 s, 1 GB); kept apart from LINT_SHAPES (tests/test_scale.py guards those) and
# guarded for growth by tests/test_scale_r69d_shapes.py. CPU seconds and peak RSS above the
# process's start, in process, on the 2-core machine at load 1-2.


def env_doubling_steps(size: int):
    """`ENV An=${An-1}${An-1}` on separate lines after `ENV A0=claude`: every value is cut at
    model.MAX_EXPANSION (8 KB) and AIS002's stage_values (lint_rules/_provides.py) kept each
    cut value, since it names a harness: 61 MB at 250 KB, 281 MB at 1 MB (about 2.8 GB at 10 MB),
    0.9 s. A cut value is no longer held (tests/test_stage_values_cut.py): 12 MB, 0.43 s at 1 MB."""
    return _repeat(
        "FROM aishell:foundation\nENV A0=claude\n", lambda i: f"ENV A{i + 1}=${{A{i}}}${{A{i}}}\n", size, "RUN echo\n"
    ), {}


def env_redefined_runs(size: int):
    """`ENV C=claude` (or `claude `) then `RUN $C -v`, repeated: AIS002 read every RUN again with
    its values (shell.analyse_run with ``staged``, then the status walk): 6.8 s CPU at 1 MB, 67.8 s
    at 10 MB. Keyed by its text and the values it reads (AIS002's STAGED_MEMO): 0.8 s CPU at 1 MB,
    6.7 s at 10 MB (r70a; the rest is the parse, stage_values and the other rules). stage_values
    logs no undo in a file of one stage and reads the one RUN text once (_provides.STAGE_VALUES_FAST):
    6.2 s CPU at 10 MB (6.9 s without it, this machine; in-process 1.1 s of it, 1.7 s)."""
    return _repeat("FROM aishell:foundation\n", lambda i: f"ENV C=claude{' ' if i % 2 else ''}\nRUN $C -v\n", size), {}


def env_names_runs(size: int):
    """Many `ENV Cn=claude`, then a `RUN $Cn -v` for each (more RUNs than ENVs: the last names
    no ENV sets): AIS002 read each RUN with its own environment, 5.3 s CPU at 1 MB, 46.9 s at 10
    MB. One key per length of name (AIS002's STAGED_DIGITS): 0.8 s CPU at 1 MB, 5.9 s at 10 MB
    (r70a). stage_values logs no undo in a file of one stage (_provides.STAGE_VALUES_FAST): 5.8 s
    CPU at 10 MB (6.3 s without it, this machine; in-process 1.3 s of it, 1.6 s)."""
    half = size // 2
    return _repeat("FROM aishell:foundation\n", lambda i: f"ENV C{i}=claude\n", half) + _repeat(
        "", lambda i: f"RUN $C{i} -v\n", size - half
    ), {}


def fed_nested_heredocs(size: int):
    """One `RUN bash <<EOF` whose script runs `sh -c 'bash <<X … X'` again and again, each feeding
    a harness call: 1.7 s at 250 KB, 6.5 s at 1 MB (shell.py's _feed and _command, per fed script)."""
    return _repeat(
        "FROM aishell:foundation\nRUN bash <<EOF\n", lambda i: f"sh -c 'bash <<X\nclaude {i}\nX'\n", size, "EOF\n"
    ), {}


def quoted_heredoc_marks(size: int):
    """RUNs that quote a heredoc's mark (`RUN echo '<<Xn' && claude -v`) or open a quoted one
    (`RUN <<'En'`): 1.0 s at 250 KB, 3.6 s at 1 MB, 30.8 s CPU at 10 MB (AIS002's full reader per
    RUN). AIS002's memo now keys them with their digits made `0` (QUOTED_MARKS): 0.8 s CPU at 1 MB,
    5.7 s at 10 MB, two thirds of it the parser's look at each `<<` line (model.heredoc_words). The
    parser reads both lines fast now (model.QUOTED_MARKS_LINE, QUOTED_HEREDOC_LINE): lint 3.1 s CPU
    at 10 MB (6.2 s without them, this machine), parse 1.2 s (4.4 s)."""
    return _repeat(
        "FROM aishell:foundation\n",
        lambda i: f"RUN echo '<<X{i}' && claude -v\n" if i % 2 else f"RUN <<'E{i}'\nclaude -v $x\nE{i}\n",
        size,
    ), {}


FOUND_R69D: tuple[Shape, ...] = (
    Shape("ENV values doubling, one a line", env_doubling_steps),
    Shape("ENV redefined, RUN $C each", env_redefined_runs),
    Shape("ENV names, RUN $Cn each", env_names_runs),
    Shape("heredoc feeding sh -c bash <<X", fed_nested_heredocs),
    Shape("quoted heredoc marks", quoted_heredoc_marks),
)


def _py(name: str, unit, size: int, head: str = "", tail: str = "") -> tuple[str, dict[str, str]]:
    return "FROM debian\n", {name: _repeat(head, unit, size, tail)}


def py_fstring_conditionals(size: int):
    """`xN = f"{'aishell:base' if a else f'{b}'}"` on every line: no plain path, libcst reads
    each statement (3.3 s at 250 KB, 10.6 s at 1 MB: about 100 s at 10 MB)."""
    return _py("cond.py", lambda i: f"x{i} = f\"{{'aishell:base' if a else f'{{b}}'}}\"\n", size)


def py_docstrings(size: int):
    """Functions whose docstring names the image and whose return value is it: libcst per
    function (3.1 s at 250 KB, 11.8 s at 1 MB)."""
    return _py("doc.py", lambda i: f'def f{i}():\n    """Uses aishell:base."""\n    return "aishell:base"\n', size)


def py_cr_lines(size: int):
    """`xN = 'aishell:base'` with lone CR line ends: the plain path took LF lines only, so libcst
    read every statement (1.9 s at 250 KB, 6.7-7.0 s CPU at 1 MB, CRLF alike). It reads CRLF and a
    lone CR as CPython does (python_refs.PLAIN_CR): 0.64 s CPU at 1 MB, 2.5 s at 10 MB, start-up
    included (in-process 0.19 s a MB, CRLF too; LF lines 0.2 s). A form feed still sends its
    piece to libcst."""
    return _py("cr.py", lambda i: f"x{i} = 'aishell:base'\r", size)


def py_triple_literals(size: int):
    """`xN = '''aishell:base\\nN'''` (a two-line literal naming the image): libcst per statement
    (1.8 s at 250 KB, 6.2 s at 1 MB)."""
    return _py("triple.py", lambda i: f"x{i} = '''aishell:base\n{i}'''\n", size)


def py_implicit_join(size: int):
    """One parenthesised implicit concatenation `('aishell:base' 'a' 'a' …)`: CPython's tree of the
    one statement and its tokens (python_refs._string_parts, _run_literals) hold about 270 bytes a
    character: 70 MB at 250 KB, 269 MB at 1 MB (2.7 GB at 10 MB), 1.7 s."""
    return "FROM debian\n", {"join.py": "x = ('aishell:base'" + " 'a'" * max(1, size // 4) + ")\n"}


def py_decorators(size: int):
    """Decorators `@d('aishell:base')` stacked on one function: one statement of the whole file,
    134 MB and 2.1 s at 1 MB (584 MB and 9.3 s at 4 MB)."""
    return _py("deco.py", lambda i: "@d('aishell:base')\n", size, tail="def f(): pass\n")


def fstring_fields(size: int):
    """A Python file of one f-string of placeholders with text between them (`f'{a}aishell{a}…'`),
    then a line naming the image, beside a one-line Dockerfile. Found by r69d's hunt: CPython 3.11
    parses an f-string in time that grows with its placeholders times its length (1.2 s at 270 KB,
    13 s at 1.1 MB, minutes at 2 MB), and `migrate` parsed every statement of a file naming the
    image; python_refs.FSTRING_BOUND now refuses such a file with one line, after a linear scan."""
    return "FROM debian\n", {
        "fstrings.py": "x = f'" + "{a}aishell" * max(1, (size - 40) // 10) + "'\nIMAGE = 'aishell:base'\n"
    }


def function_scopes(size: int):
    """One Python function of `xN = lambda: xN` lines, then a line naming the image. Found by r69d's
    hunt: CPython 3.11 builds a function's symbol table in time quadratic in its size (each nested
    scope copies the names the function binds), and migrate checked the statements before a
    mention with it: 5.1 s at 258 KB, 28.7 s at 538 KB; python_refs.SYMTABLE_MAX_CHARS gives
    larger texts to ast.parse (0.16 s at 538 KB)."""
    return "FROM debian\n", {
        "scopes.py": _repeat("def f():\n", lambda i: f"    x{i} = lambda: x{i}\n", size, "IMAGE = 'aishell:base'\n")
    }


def literals_one_line(size: int):
    """One Python line of many literals, bytes naming the image beside a non-ASCII one (`x =
    [b'aishell:base', 'é', ...]`). Found by r69d's hunt: python_refs._plain_literals read each
    literal's line again (sliced, and encoded and decoded when not ASCII): 2.8 s at 352 KB, 50 s at
    1.4 MB; python_refs.LINE_MAPS maps each line once (1.3 s at 1.4 MB)."""
    return "FROM debian\n", {"line.py": "x = [" + ", ".join(["b'aishell:base', '\u00e9'"] * max(1, size // 22)) + "]\n"}


def migrate_shapes() -> tuple[Shape, ...]:
    """Shapes for `aishell migrate --check` (many fixes, large Python files), each measured like
    the lint shapes, `migrate --check` run on the shape's folder (its Dockerfile and Python files)."""
    return (
        Shape("Python, f-string of many placeholders", fstring_fields, ("migrate",)),
        Shape("Python, one function of many lambdas", function_scopes, ("migrate",)),
        Shape("Python, literals on one non-ASCII line", literals_one_line, ("migrate",)),
        Shape("Python, image in f-string conditionals", py_fstring_conditionals, ("migrate",)),
        Shape("Python, docstrings naming the image", py_docstrings, ("migrate",)),
        Shape("Python, CR line ends", py_cr_lines, ("migrate",)),
        Shape("Python, two-line literals", py_triple_literals, ("migrate",)),
        Shape("Python, one long implicit join", py_implicit_join, ("migrate",)),
        Shape("Python, stacked decorators", py_decorators, ("migrate",)),
    )


# A small parent reports its child's peak RSS: a child forked from this (large) process would
# count this process's pages in its own high-water mark.
PEAK = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(rc, time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime)\n"
)


def measure_cpu(cmd: list[str], cwd: str) -> tuple[int, float, float, float]:
    """(exit code, wall seconds, peak RSS in MB, CPU seconds: user + system) of one run. The CPU
    time is the process's own work: on a loaded machine the wall time also counts waiting."""
    out = subprocess.run(
        ["python3", "-c", PEAK, *cmd], capture_output=True, text=True, check=True, cwd=cwd
    ).stdout.split()
    return int(out[0]), float(out[1]), int(out[2]) / 1024, float(out[3])


# The machine's speed moves by up to 2x within hours (a shared VM): a fixed pure-Python loop,
# timed before and after the shapes, says how fast it was while they ran. Seen here: 1.8 s idle
# on a fast hour, 2.9 s on a slow one.
REFERENCE = "import time\nt = time.process_time()\ns = 0\nfor i in range(10_000_000): s += i & 7\nd = {}\nfor i in range(2_000_000): d[str(i)] = i\nprint(time.process_time() - t)\n"


def reference_seconds() -> float:
    """CPU seconds of the REFERENCE loop in a fresh python3."""
    return float(subprocess.run(["python3", "-c", REFERENCE], capture_output=True, text=True, check=True).stdout)


def print_reference(when: str) -> None:
    print(
        f"machine speed {when}: reference loop {reference_seconds():.2f} s CPU (benchmarks/scale.py REFERENCE)",
        flush=True,
    )


def measure(cmd: list[str], cwd: str) -> tuple[int, float, float]:
    """(exit code, seconds, peak RSS in MB) of one run."""
    rc, seconds, peak, _ = measure_cpu(cmd, cwd)
    return rc, seconds, peak


def _args(command: str, path: str) -> list[str]:
    return {
        "lint": ["lint", "--format", "json", path],
        "parse": ["parse", path],
        "migrate": ["migrate", "--check", os.path.dirname(path)],
    }[command]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,10", help="sizes in MB, comma-separated")
    ap.add_argument("--only", default="", help="shape names (substrings), comma-separated")
    ap.add_argument("--commands", default="", help="only these commands (lint, parse, migrate), comma-separated")
    opts = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from installed import installed_aishell

    aishell = installed_aishell()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"aishell: {aishell} ({'AISHELL_CMD' if os.environ.get('AISHELL_CMD') else 'installed wheel'})")
    only = [o for o in opts.only.split(",") if o]
    commands = [c for c in opts.commands.split(",") if c]
    shapes = [s for s in LINT_SHAPES + FOUND_R69D + migrate_shapes() if not only or any(o in s.name for o in only)]
    print_reference("before")
    for shape in shapes:
        for mb in (float(x) for x in opts.sizes.split(",")):
            with tempfile.TemporaryDirectory(prefix="aishell-scale-") as work:
                text, files = shape.make(int(mb * 1_000_000))
                for name, content in files.items():
                    Path(work, name).write_text(content)
                path = Path(work, "Dockerfile")
                path.write_text(text)
                size = sum(p.stat().st_size for p in Path(work).iterdir()) / 1e6  # (a shape's Python files too)
                for command in (c for c in shape.commands if not commands or c in commands):
                    rc, seconds, peak, cpu = measure_cpu([aishell, *_args(command, str(path))], work)
                    flag = "" if seconds < 5 and peak < 1024 else "  <- over the aim"
                    print(
                        f"  {command:<7} {shape.name:<26} {size:5.1f} MB  {seconds:6.2f} s  (CPU {cpu:5.2f} s)"
                        f"  {peak:6.0f} MB  exit {rc}{flag}",
                        flush=True,
                    )
    print_reference("after")


if __name__ == "__main__":
    main()
