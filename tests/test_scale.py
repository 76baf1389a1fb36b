"""Blow-up guards: lint and parse stay linear on every shape of benchmarks/scale.py (issue 18).

Each shape is generated at a size where the quadratic versions took minutes (8,000 ARG + RUN
pairs: over 60 s; 8,000 chained stages: 21 s; 16,000 nested `$(`: 42 s) and the run must
finish within ten times the linear time measured on the 2-core CI machine under load (docs/benchmarks.md):
the only timing asserts in the suite, with that 10x margin. Memory is asserted where it once
blew up (ARGs that double: 2.1 GB from 503 bytes).
"""

import gc
import os
import tracemalloc
from pathlib import Path

import pytest

from aishell.lint import Options, lint_text
from aishell.model import parse
from tests.growth import cpu_time, guard

from tests.bench_scale import scale

SIZE = 250_000  # bytes: 8,000-12,500 pairs, stages or lines, 62,000 nested $(

# Linear time of `lint` at SIZE on the CI machine (2 cores, Python 3.11), rounded up; the
# guard is ten times that.
LINEAR_SECONDS = {
    "corpus": 0.3,
    "ARG + RUN pairs": 0.8,
    "COPY + RUN npm ci pairs": 2.0,
    "COPY elsewhere + npm ci": 1.0,
    "stage chain": 1.0,
    "nested $( )": 1.0,
    "doubling ARGs": 0.5,
    "heredoc, dense $( )": 0.6,
    "heredoc, corpus RUNs": 0.4,
    "one continued RUN": 0.5,
    "wrapper chain": 0.5,
    "made files and harness calls": 0.4,
    "nested WORKDIRs": 0.5,
    "ENV PATH additions": 0.6,
    "PATH additions in one ENV": 0.4,
    "&& list of harness calls": 1.5,
    "ARG chain, FROMs along it": 0.4,
    "installs over one large manifest": 0.6,
    "distinct heredoc RUNs, harness calls": 1.2,
    "distinct RUNs, harness calls": 1.0,
    "many functions, harness call": 1.0,
    "assignments from $( ), harness calls": 1.5,
    "harness installs, distinct": 0.6,
    "ONBUILD harness installs": 0.8,
    "heredocs fed to bash": 1.8,
    "eval of assigned commands": 1.5,
    "reassigned values read by $( )": 1.5,
    "distinct RUNs the plain reader refuses": 3.0,
}


def test_every_shape_has_a_guard():
    assert {s.name for s in scale.LINT_SHAPES} == set(LINEAR_SECONDS)


@pytest.mark.parametrize("shape", scale.LINT_SHAPES, ids=lambda s: s.name)
def test_lint_and_parse_stay_linear(shape, tmp_path):
    text, files = shape.make(SIZE)
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    start = cpu_time()
    parse(text)
    lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
    elapsed = cpu_time() - start
    assert elapsed < 10 * LINEAR_SECONDS[shape.name], f"{shape.name}: {elapsed:.1f} s at {len(text):,} bytes"


def test_working_directories_stay_bounded(tmp_path):
    """A chain of relative WORKDIRs makes each directory longer than the last: past PATH_MAX
    (the build fails there) the rules call it not known, so no path they build grows with the
    file (2 MB of `WORKDIR dN` + a harness call: 27 s when AIS002 joined every one, 1.2 s now)."""
    text = scale._repeat("FROM node\n", lambda i: f"WORKDIR d{i}\nRUN claude -v\n", 2_000_000)
    start = cpu_time()
    fr = lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
    elapsed = cpu_time() - start
    assert elapsed < 12, f"{elapsed:.1f} s at {len(text):,} bytes"
    assert fr.findings


@pytest.mark.parametrize("make", [scale.path_additions, scale.path_additions_one_env])
def test_path_additions_stay_linear(make, tmp_path):
    """The directories ENV adds to PATH are bounded (past 64 the rule adds none, as for a `$VAR`): 1 MB
    of `ENV PATH=/pN:$PATH` took about a minute when each ENV (or each assignment in one ENV)
    copied every directory added before it; 1.7 s and 0.8 s now."""
    text, _ = make(1_000_000)
    start = cpu_time()
    fr = lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
    elapsed = cpu_time() - start
    assert elapsed < 15, f"{elapsed:.1f} s at {len(text):,} bytes"
    assert fr.findings


def test_a_long_and_list_stays_linear(tmp_path):
    """The shell reader's status walk reads each command of an `a && b && …` list in constant
    time (it sliced the operators after each one: 700 KB, 54,000 harness calls, took minutes;
    1 MB 286 s; now about 4 s, most of it AIS002's findings)."""
    text, _ = scale.and_list(700_000)
    start = cpu_time()
    fr = lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
    elapsed = cpu_time() - start
    assert elapsed < 40, f"{elapsed:.1f} s at {len(text):,} bytes"
    assert len(fr.findings) > 50_000


def test_ignore_patterns_times_installs_stay_linear(tmp_path):
    """Each install asks whether its manifests are sent, and each answer tests every ignore
    pattern: 2,500 patterns and 2,500 installs each in its own folder took about 40 s. The
    answers are remembered per path and the tests a lint makes are bounded (IGNORE_BUDGET;
    past it a path is not known to be sent, as for a pattern aishell does not read)."""
    n = 2500
    for i in range(n):
        (tmp_path / f"d{i}").mkdir()
        (tmp_path / f"d{i}" / "package.json").write_text("{}")
        (tmp_path / f"d{i}" / "package-lock.json").write_text("{}")
    (tmp_path / ".dockerignore").write_text("".join(f"x{i}/*.tmp\n" for i in range(n)))
    text = "FROM node\nCOPY . /app\n" + "".join(f"WORKDIR /app/d{i}\nRUN npm ci\n" for i in range(n))
    start = cpu_time()
    fr = lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
    elapsed = cpu_time() - start
    assert elapsed < 20, f"{elapsed:.1f} s for {n:,} patterns and installs"
    assert len(fr.findings) >= n


def test_a_long_ignore_pattern_against_a_long_path_is_bounded(tmp_path):
    """One pattern of 30,000 `*?` against manifests 3,800 characters deep: the regexp simulation
    took every token once per character of the path and of each folder above it (about 50 s);
    its steps now follow the states alive and count against IGNORE_BUDGET, past which a path is
    not known (about 1 s)."""
    text = "FROM node\nCOPY . /app\n"
    for top in "pq":
        deep = "/".join(c * 250 for c in top + "bcdefghijklmno")
        (tmp_path / deep).mkdir(parents=True)
        (tmp_path / deep / "package.json").write_text("{}")
        (tmp_path / deep / "package-lock.json").write_text("{}")
        text += f"WORKDIR /app/{deep}\nRUN npm ci\n"
    (tmp_path / ".dockerignore").write_text("*?" * 30_000 + "x\n")
    start = cpu_time()
    lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
    elapsed = cpu_time() - start
    assert elapsed < 15, f"{elapsed:.1f} s"


def test_many_files_with_errors_stay_linear(tmp_path):
    """lint_paths reports each error once: it built the set of the errors so far for every new
    one (20,000 files that BuildKit would reject: 18 s, 1.2 s now; the CLI on 12,000: 22 s)."""
    from aishell.lint import lint_paths

    for i in range(20_000):
        (tmp_path / f"Dockerfile.{i}").write_text(f"FROM node\nFOO {i}\n")
    start = cpu_time()
    result = lint_paths([str(tmp_path)], Options(use_config=False))
    elapsed = cpu_time() - start
    assert len(result.errors) == 20_000
    assert elapsed < 12, f"{elapsed:.1f} s"


def test_many_dockerfiles_of_one_context_walk_it_once(tmp_path):
    """AIS102 walks the context for node config files (npmrc.ci copied to /root/.npmrc): once
    per run and context, not once per Dockerfile (3,000 files in one folder, each an ARG above
    `npm ci --ignore-scripts`: 34 s, about 2 s now)."""
    from aishell.lint import lint_paths

    (tmp_path / "package.json").write_text("{}\n")
    for i in range(3_000):
        (tmp_path / f"d{i}.Dockerfile").write_text("FROM node\nARG BUILD_DATE\nRUN npm ci --ignore-scripts\nRUN make\n")
    start = cpu_time()
    result = lint_paths([str(tmp_path)], Options(select=["AIS102"], use_config=False))
    elapsed = cpu_time() - start
    assert sum(len(f.findings) for f in result.files) == 3_000
    assert elapsed < 15, f"{elapsed:.1f} s"


def test_doubling_args_stay_small_in_memory(tmp_path):
    """Expansion is bounded: each value is cut at model.MAX_EXPANSION characters."""
    text = "ARG A0=aishell\n" + "".join(f"ARG A{i + 1}=${{A{i}}}${{A{i}}}\n" for i in range(40)) + "FROM ${A40}\n"
    assert len(text) < 1000
    tracemalloc.start()
    try:
        lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, f"{peak:,} bytes"


def test_many_doubling_args_stay_within_a_few_times_the_file(tmp_path):
    text, _ = scale.doubling_args(SIZE)
    tracemalloc.start()
    try:
        lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * len(text), f"{peak:,} bytes for {len(text):,}"  # 8 KiB per ARG would be 300x


def test_a_cut_expansion_never_spells_an_image():
    from aishell.model import MAX_EXPANSION, expand

    env = {"A": "x" * MAX_EXPANSION}
    out = expand("${A}aishell:base", env)
    assert len(out) <= MAX_EXPANSION + 1 and out.endswith("\x00")


def test_parse_streams_the_same_json_as_one_document(tmp_path):
    """`aishell parse` writes one instruction at a time (a 10 MB file's whole document once took
    1.2 GB); the text is exactly json.dumps(list, indent=2)."""
    import json

    from tests.conftest import corpus_files, run_cli, sample_dockerfiles

    for path in (sample_dockerfiles() + corpus_files())[:6]:
        text = path.read_text(encoding="utf-8")
        try:
            df = parse(text)
        except Exception:
            continue
        r = run_cli("parse", path)
        assert r.returncode == 0 and r.stdout == json.dumps([i.to_json() for i in df.instructions], indent=2) + "\n"


def test_the_json_report_streams_the_same_text(tmp_path):
    import io
    import json

    from aishell.lint import LintResult
    from aishell.reporters import finding_json, report

    text, files = scale.copy_npm_pairs(2000)
    (tmp_path / "package.json").write_text("{}")
    fr = lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
    for result in (LintResult([fr]), LintResult([])):
        out = io.StringIO()
        report(result, "json", out)
        items = [finding_json(f, r.df) for r in result.files for f in r.findings]
        assert out.getvalue() == json.dumps(items, indent=2) + "\n"


def test_lint_parse_and_migrate_leave_with_all_their_output_and_exit_code(tmp_path):
    """They end with os._exit (no teardown of a large model): everything written to stdout and
    stderr through pipes still arrives, whole, with the exit code the command chose (streams
    buffered as they are for users: no PYTHONUNBUFFERED)."""
    import functools
    import json

    from tests.conftest import run_cli

    run_cli = functools.partial(run_cli, env={"PYTHONUNBUFFERED": ""})

    text, files = scale.copy_npm_pairs(60_000)  # a few thousand findings: more than any buffer
    path = tmp_path / "Dockerfile"
    path.write_text(text + "FROM aishell:base\n")
    (tmp_path / "package.json").write_text("{}")
    fr = lint_text(path.read_text(), str(path), Options(use_config=False))
    assert len(fr.findings) > 2000

    r = run_cli("lint", "--format", "json", path, cwd=tmp_path)
    assert r.returncode == 1 and len(json.loads(r.stdout)) == len(fr.findings)
    r = run_cli("lint", "--format", "text", path, cwd=tmp_path)
    assert r.returncode == 1 and r.stdout.count("AIS101") >= len(fr.findings) - 1
    r = run_cli("lint", "--format", "json", tmp_path / "missing", cwd=tmp_path)
    assert r.returncode == 2 and "missing" in r.stderr
    r = run_cli("parse", path, cwd=tmp_path)
    assert r.returncode == 0 and len(json.loads(r.stdout)) == len(parse(text + "FROM aishell:base\n").instructions)
    r = run_cli("migrate", path, cwd=tmp_path)
    assert r.returncode == 1 and r.stdout.startswith("---") and r.stdout.endswith("\n") and "held back" in r.stderr


def test_a_pip_install_follows_a_bounded_number_of_includes(tmp_path):
    """A requirements file is read once per lint whatever the installs' options, and one install
    follows at most _FOLLOWS `-r`/`-c` includes (past them what it reads is not known: no fix),
    so that installs of many files that include one large tree stay linear."""
    from aishell.context import BuildContext
    from aishell.lint_rules import _manifests

    n = _manifests._FOLLOWS
    for i in range(n + 1):
        (tmp_path / f"c{i}.txt").write_text(f"pkg{i}\n")
    (tmp_path / "under.txt").write_text("".join(f"-r c{i}.txt\n" for i in range(n)))
    (tmp_path / "over.txt").write_text("".join(f"-r c{i}.txt\n" for i in range(n + 1)))
    bc = BuildContext.for_dockerfile(str(tmp_path / "Dockerfile"), None, None)
    got = _manifests.reads(bc, "pip", ("pip", "install", "-r", "under.txt"), ["under.txt"], [])
    assert got == ([f"c{i}.txt" for i in range(n)], [])
    assert _manifests.reads(bc, "pip", ("pip", "install", "-r", "over.txt"), ["over.txt"], []) is None


def test_a_folder_tree_deeper_than_the_recursion_limit_is_walked(tmp_path):
    """`aishell lint DIR` walks folders without recursion: Python 3.11's os.walk recursed once per
    level, so 1,000 nested folders (a 2,000-character path, under PATH_MAX) raised RecursionError
    and the whole run stopped. The walk is os.walk's: same order, links to folders not entered."""
    from aishell.discovery import discover, walk

    deep = tmp_path / "t"
    deep.mkdir()
    (deep / "Dockerfile").write_text("FROM aishell:base\n")
    p = deep
    for _ in range(1100):
        p = p / "d"
        p.mkdir()
    (p / "Dockerfile").write_text("FROM aishell:base\n")
    try:
        files, errors, _ = discover([str(deep)])
    finally:  # from the bottom up: pytest's cleanup (shutil.rmtree) recurses per level too
        (p / "Dockerfile").unlink()
        while p != deep:
            p.rmdir()
            p = p.parent
    assert files[:1] == [str(deep / "Dockerfile")] and not errors
    assert len(files) == 2 and files[1].endswith("/d" * 1100 + "/Dockerfile")
    small = tmp_path / "s"
    for rel in ("a/b/c", "a/e", "z"):
        (small / rel).mkdir(parents=True)
        (small / rel / "f").write_text("")
    (small / "a" / "link").symlink_to(small / "z")
    (small / "a" / "dangling").symlink_to(small / "nothing")
    assert list(walk(str(small))) == list(os.walk(str(small)))


def test_a_deep_chain_of_folders_each_with_a_dockerfile_stays_linear(tmp_path):
    """`lint DIR` and `migrate DIR` ask each folder once per run for its project root and its real
    path (aishell.paths): asked per file, every file walked every folder above it, and each
    walk's stat walked the path again, so one chain of folders each holding a Dockerfile grew
    with the cube of its depth (250/500/1,000 levels: 2.3/10.3/74.6 s; at 700, about 25 s for
    lint, 0.5 s now). What is left grows with the length of the paths the kernel resolves."""
    from aishell.lint import lint_paths
    from aishell.migration import migrate_paths

    top = tmp_path / "t"
    (top / ".aishell").mkdir(parents=True)  # every file's root is the top: each walk goes all the way up
    p, depth = top, 700
    for _ in range(depth):
        (p / "Dockerfile").write_text("FROM aishell:base\n")
        p = p / "d"
        p.mkdir()
    try:
        start = cpu_time()
        linted = lint_paths([str(top)])
        migrated = migrate_paths([str(top)], Options())
        elapsed = cpu_time() - start
    finally:  # from the bottom up: pytest's cleanup (shutil.rmtree) recurses per level
        while p != top:
            p.rmdir()
            p = p.parent
            (p / "Dockerfile").unlink()
    assert len(linted.files) == depth and not linted.errors
    assert len(migrated.changed) == depth and not migrated.errors
    assert elapsed < 10 * 1.5, f"{elapsed:.1f} s for {depth} levels"


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "RUN " + "npm " * n + "set " * n + "; echo global\n",  # one line
        lambda n: "RUN " + "npm \\\n" * n + "set \\\n" * n + "; echo location\n",  # one logical line
        lambda n: "RUN <<EOF\n" + "npm " * n + "set " * n + "| x global\nEOF\n",  # a heredoc's line
        lambda n: "RUN " + "npm set " * n + "&& global\nENV npm_config_a=1\nRUN npm i -g x\n",
    ],
    ids=["line", "continued", "heredoc", "with an install"],
)
def test_words_that_may_set_npms_config_are_read_in_linear_time(make, tmp_path):
    """Whether a step may write npm's config (`npm … set … global`) was one regexp with two lazy
    gaps: each `npm` tried every `set` after it and each of those every character after that
    (cubic: 1.6 KB of `npm`s and `set`s on one line took 0.5 s, 3.2 KB 3.7 s, 12 KB over a
    minute). Any words, any count, in any item: the words are looked for once per item now."""
    path = str(tmp_path / "Dockerfile")
    guard(lambda n: lint_text("FROM node\n" + make(n), path, Options(use_config=False)), 200)


def test_a_directive_with_a_long_blank_run_is_read_in_linear_time():
    """A parser directive's value was read with BuildKit's regexp `(.+?)\\s*$` (lazy value, then
    blanks): Python tried each character against every blank after it (`# check=a`, 32,000
    blanks, then `b`: 13 s per line, up to BuildKit's 65,535-character lines, three of them)."""
    for blanks in (" ", "\t", " \t\r\f"):
        guard(lambda n: parse("# syntax=a" + blanks * (n // len(blanks)) + "b\n# check=x\nFROM node\n"), 4000)


def test_directives_read_as_buildkits_regexp_reads_them():
    """read_directive gives what BuildKit's (RE2) regexp gives, on every short line of the
    characters that matter (the regexp is linear in RE2, not in Python: tried on short lines)."""
    import itertools
    import re

    from aishell.model import read_directive

    buildkit = re.compile(r"^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$")
    alphabet = "#a1= \t\n\r\f\v\xa0"
    for k in range(6):
        for t in itertools.product(alphabet, repeat=k):
            line = "#" + "".join(t)
            m = buildkit.match(line)
            assert read_directive(line) == (m.groups() if m else None), repr(line)


@pytest.mark.parametrize(
    "name, make, n",
    [
        ("requirements.txt", lambda n: "a" + " \t" * n + "x\n", 150),  # a requirement that is not one
        ("requirements.txt", lambda n: "a" + " " * n + "@ x\n", 2000),
        ("Gemfile", lambda n: "group" + " " * n + "!\n", 1000),  # a line the rule cannot read
        ("Gemfile", lambda n: "gem 'a', require: [:a" + " " * n + "!\n", 1000),
        ("Gemfile", lambda n: "gem 'a' " + "x #" * n + "'\n", 3000),  # `#`s, then a quote: no comment
    ],
    ids=["requirement blanks", "requirement @ blanks", "Gemfile blanks", "Gemfile list blanks", "Gemfile #s"],
)
def test_manifests_with_long_blank_runs_and_lines_are_read_in_linear_time(name, make, n, tmp_path):
    """AIS101 reads a pip or bundler install's manifests from the context, lines any length:
    their regexps held `\\s*`s side by side, each split of a run of blanks tried (a requirement
    `a<2,000 blanks>x`: 20 s, cubic; a Gemfile line `group<64,000 blanks>!`: about a minute);
    a requirement's or Gemfile's comment was looked for from every blank or `#`."""
    path = str(tmp_path / "Dockerfile")
    text = "FROM ruby\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN bundle install\n"
    (tmp_path / "Gemfile.lock").write_text("")

    def lint(n: int) -> None:
        (tmp_path / "requirements.txt").write_text(make(n) if name == "requirements.txt" else "a\n")
        (tmp_path / "Gemfile").write_text(make(n) if name == "Gemfile" else "gem 'a'\n")
        assert lint_text(text, path, Options(use_config=False)).findings

    guard(lint, n)


def test_manifest_comments_are_cut_as_the_regexps_cut_them():
    """_manifests._uncommented (Gemfile) and _cut_comment (requirements, YAML scalars) give what
    their regexps gave, on every short line of the characters that matter."""
    import itertools
    import re

    from lint_rules._manifests import _cut_comment, _uncommented

    ruby, pip, yaml = re.compile(r"\s+#[^{'\"]*$|^\s*#.*$"), re.compile(r"(^|\s+)#.*$"), re.compile(r"\s+#.*$")
    for k in range(7):
        for t in itertools.product(" \t#{'\"a", repeat=k):
            line = "".join(t)
            assert _uncommented(line) == ruby.sub("", line), repr(line)
        for t in itertools.product(" \t\n#a", repeat=k):
            line = "".join(t)
            assert _cut_comment(line) == pip.sub("", line) and _cut_comment(line, False) == yaml.sub("", line), repr(
                line
            )


def test_many_function_definitions_stay_small_in_memory(tmp_path):
    """The status walk reads a script's tokens and tree a batch of top-level items at a time
    (a RUN of function definitions held both whole: about 180 bytes per byte, 2 GB at 10 MB;
    about 60 now, most of it the commands the reader gives the rules)."""
    text, _ = scale.many_functions(SIZE)
    tracemalloc.start()
    try:
        fr = lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert fr.findings
    assert peak < 100 * len(text), f"{peak:,} bytes for {len(text):,}"


def test_speed_guards_read_cpu_time_not_the_wall_clock():
    """A guard against blow-ups measures CPU seconds (growth.cpu_time): a wall-clock one fails
    when other processes load the machine (6.6-7.2 s against 5 s at load 15-25, on 0.5 s of work)."""
    here, clock = Path(__file__).resolve().parent, "perf_" + "counter"
    assert not [p.name for p in sorted(here.glob("*.py")) if clock in p.read_text()]


@pytest.mark.parametrize("shape", scale.LINT_SHAPES, ids=lambda s: s.name)
def test_lint_leaves_no_cycles_of_its_own(shape, tmp_path):
    """lint pauses the cyclic collector (model.paused_gc), so an object of aishell's in a
    reference cycle lives until the end of the run: one per RUN is memory that grows with the
    file (a reader and its splitter, each naming the other: 1.6 GB for 385,000 `RUN bash <<EOF`
    at 10 MB). Every shape, linted, leaves no such cycle behind."""
    text, files = shape.make(40_000)
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        lint_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
        gc.collect()
        ours = [type(o).__qualname__ for o in gc.garbage if type(o).__module__.startswith("aishell")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not ours, f"{shape.name}: {len(ours)} objects in cycles, {sorted(set(ours))[:5]}"
