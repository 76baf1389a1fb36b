"""AIS101's fast paths give what its general path gives (issue 18, "Linear by design").

The rule works each COPY, WORKDIR, RUN, manifest mapping and fix text out once per distinct
text (across stages too), reuses a RUN's choice of COPY while no broad COPY lands where its
manifest would be, and joins paths by string operations. With `_FAST` off every one of those is
worked out where it is asked. Both must give the same findings (message, span, fix) on generated
files with a generated build context: repeated and distinct instructions, several stages,
WORKDIRs of every form, COPYs of the context, of folders, with flags, the JSON form, RUNs on one
line and continued, CRLF. The string path operations are held to posixpath, and copy_words'
ASCII test to the regular expression it stands in for.
"""

import posixpath
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.context import BuildContext
from aishell.lint_rules import _copies
from aishell.lint_rules import ais101_source_before_dependencies as ais101
from aishell.model import DockerfileSyntaxError, parse
from aishell.rule import RuleContext

# -- paths -----------------------------------------------------------------------------------

_segment = st.sampled_from(["a", "b c", ".", "..", "...", ".x", "", "x.", "$V", "é", "'q'"])
_path = st.lists(_segment, max_size=5).map("/".join)


@settings(max_examples=2000, deadline=None)
@given(base=_path, rel=_path, absolute=st.booleans(), slash=st.booleans())
def test_join_is_normpath_of_join(base, rel, absolute, slash):
    base = posixpath.normpath("/" + base) if not base.startswith("//") else posixpath.normpath(base)
    rel = ("/" if absolute else "") + rel + ("/" if slash else "")
    assert ais101._join(base, rel) == posixpath.normpath(posixpath.join(base, rel))


@settings(max_examples=2000, deadline=None)
@given(start=_path, below=_path, lead=st.sampled_from(["/", "//", "///"]))
def test_rel_is_relpath_for_a_path_at_or_under_the_start(start, below, lead):
    start = posixpath.normpath(lead + start)
    path = posixpath.normpath(posixpath.join(start, below))
    if not (path + "/").startswith(start.rstrip("/") + "/"):
        return  # `..` left the start: _map never asks
    assert _copies.rel_below(path, start) == posixpath.relpath(path, start)


@settings(max_examples=2000, deadline=None)
@given(path=_path, lead=st.sampled_from(["", "/", "//", "///"]), slash=st.booleans())
def test_ancestors_by_string_operations_are_the_dirname_walk(path, lead, slash):
    for p in (posixpath.normpath(lead + path) if lead else path, lead + path + ("/" if slash else "")):
        assert ais101._ancestors_fast(p) == tuple(ais101._ancestors(p)), p


def test_copy_words_ascii_test_is_the_regular_expression():
    for i in range(128):
        for text in (chr(i), f"a{chr(i)}b", f". /x{chr(i)}"):
            assert bool(_copies._PLAIN.fullmatch(text)) == (not _copies.NOT_PLAIN_ASCII.search(text)), i


# -- the rule ----------------------------------------------------------------------------------

_WORKDIRS = ["/app", "app", "/srv/app", "sub", "..", "/", "$HOME", "'/q'", "/a/b/../c", "./x", "//app", "/app/"]
_SOURCES = [".", "./", "./.", "src", "src/", "./app", "app", "nope", "sub"]
_DESTS = [".", "./", "/app", "/app/", "/srv/app", "sub/", "/src1", "/", "$D", "x", "//app", "../up"]
_RUNS = [
    "npm ci",
    "npm ci --ignore-scripts",
    "npm install",
    "yarn install",
    "pip install -r requirements.txt",
    "pip install -r app/requirements.txt",
    "pip install -r 'my reqs.txt'",
    "go mod download",
    "npm ci && npm run build",
    "apt-get update && npm ci",
    "pip install .",
    "bundle install",
    "bundle install --jobs 4",
    "pip install -r requirements.txt --no-cache-dir",
    "pip  install\t-r requirements.txt ",
    "pipenv install --deploy",
    "composer install --prefer-dist",
    "pip install -e .",
    "make",
    "uv sync --no-install-project",
    "echo hi",
    "pip install -r ../requirements.txt",
    "cd app && npm ci",
    "pip install -r requirements.txt \\\n  && echo done",
    "npm ci \\\n  --ignore-scripts",
    '["npm", "ci"]',
    "pip install -r requirements.txt X=ca.pem",
    "npm ci A=./c.npmrc",
    "yarn install P=/abs:rel.pem",
    "bundle install --jobs=4",
]
_FILES = [
    ("package.json", '{"dependencies": {"a": "1"}}'),
    ("package-lock.json", "{}"),
    ("requirements.txt", "flask\n"),
    ("app/requirements.txt", "-r base.txt\n"),
    ("app/base.txt", "x\n"),
    ("app/package.json", "{}"),
    ("my reqs.txt", "a\n"),
    ("go.mod", "module x\n"),
    ("go.sum", ""),
    ("src/package.json", "{}"),
    ("yarn.lock", ""),
    ("Gemfile", "source 'https://rubygems.org'\ngem 'a'\n"),
    ("Gemfile.lock", ""),
    (".dockerignore", ".*\n"),
    ("pyproject.toml", "[project]\nname = 'x'\n"),
    ("uv.lock", ""),
    ("sub/package.json", "{}"),
    ("sub/requirements.txt", "-e .\n"),
]


def _instruction(rnd: random.Random, stage: int) -> str:
    k = rnd.random()
    if k < 0.15:
        return "WORKDIR " + rnd.choice(_WORKDIRS)
    if k < 0.45:
        if rnd.random() < 0.05:
            return 'COPY [".", "."]'
        flags = rnd.choice(["", "", "--chown=1:1 ", "--from=b0 ", "--chown=1:\\\n1 "])
        return rnd.choice(["COPY ", "ADD ", "copy "]) + flags + rnd.choice(_SOURCES) + " " + rnd.choice(_DESTS)
    if k < 0.75:
        return ("# a comment\n" if rnd.random() < 0.2 else "") + rnd.choice(["RUN ", "run "]) + rnd.choice(_RUNS)
    if k < 0.9:  # a pair a fix can reorder
        return f"COPY {rnd.choice(['.', './', 'sub', 'app/'])} {rnd.choice(['.', './', '/app/'])}\nRUN " + rnd.choice(
            _RUNS
        )
    return rnd.choice(["LABEL a=b", "EXPOSE 80", "ENV A=b", "COPY package*.json ./", "USER node"])


def _dockerfile(rnd: random.Random) -> str:
    lines = []
    units = [[_instruction(rnd, s) for _ in range(rnd.randint(1, 6))] for s in range(rnd.randint(1, 4))]
    for s in range(rnd.randint(1, 5)):
        lines.append(rnd.choice(["FROM node", f"FROM node AS b{s}", "from node"]))
        # Repeat units (the memo paths) and mix in fresh instructions (the general path).
        for _ in range(rnd.randint(1, 4)):
            lines += rnd.choice(units) if rnd.random() < 0.7 else [_instruction(rnd, s)]
    nl = rnd.choice(["\n", "\n", "\r\n"])
    return nl.join(line.replace("\n", nl) for line in lines) + rnd.choice([nl, ""])


def _write(folder, files) -> None:
    """A build context: (path, content) pairs written under ``folder``."""
    for name, content in files:
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content)


def _fast_equals_general(text: str, path: str, monkeypatch) -> list | None:
    """The fast path's findings on ``text`` (its context the folder of ``path``), checked equal
    to the general path's; None when BuildKit would refuse the file."""
    try:
        df = parse(text, path)
    except DockerfileSyntaxError:
        return None
    ctx = RuleContext(df, path, BuildContext.for_dockerfile(path))
    fast = _findings(ctx, True, monkeypatch)
    assert fast == _findings(ctx, False, monkeypatch), text
    return fast


def _findings(ctx, fast: bool, monkeypatch) -> list:
    monkeypatch.setattr(ais101, "_FAST", fast)
    return [tuple(v) for v in ais101.check(ctx)]


@pytest.mark.parametrize("seed", range(8))
def test_the_fast_paths_report_what_the_general_path_reports(seed, tmp_path, monkeypatch):
    rnd = random.Random(seed)
    compared = reported = fixed = 0
    for n in range(60):
        d = tmp_path / f"d{n}"
        d.mkdir()
        _write(d, rnd.sample(_FILES, rnd.randint(0, len(_FILES))))
        text = _dockerfile(rnd)
        path = str(d / "Dockerfile")
        (d / "Dockerfile").write_text(text)
        try:
            df = parse(text, path)
        except DockerfileSyntaxError:
            continue
        ctx = RuleContext(df, path, BuildContext.for_dockerfile(path))
        general = _findings(ctx, False, monkeypatch)
        fast = _findings(ctx, True, monkeypatch)
        assert fast == general, text
        compared += 1
        reported += len(fast)
        fixed += sum(1 for v in fast if v[3] is not None)
    # The generated files exercise the rule: findings with and without fixes.
    assert compared > 40 and reported > 20 and fixed > 3, (compared, reported, fixed)


@pytest.mark.parametrize("seed", range(6))
def test_repeated_stages_report_what_the_general_path_reports(seed, tmp_path, monkeypatch):
    """Whole stages repeated at other offsets and lines (the stage memo: the findings of a stage
    of the same text, moved, the message's COPY line renumbered), with comments and blank
    lines between them, a stage at the end without a final line break, and fresh stages."""
    rnd = random.Random(100 + seed)
    _write(tmp_path, _FILES[:6] + _FILES[8:10])
    compared = fixed = 0
    for n in range(20):
        stages = [
            "\n".join(
                [rnd.choice(["FROM node", "FROM node AS b", "# head\nFROM node"])]
                + [_instruction(rnd, 0) for _ in range(rnd.randint(1, 7))]
            )
            for _ in range(3)
        ]
        parts = [rnd.choice(stages) if rnd.random() < 0.8 else _dockerfile(rnd) for _ in range(rnd.randint(2, 12))]
        nl = rnd.choice(["\n", "\r\n"])
        text = "".join(p + rnd.choice(["\n", "\n\n", "\n# between\n", "\n\n\n"]) for p in parts)
        text = text.replace("\r\n", "\n").replace("\n", nl)
        if rnd.random() < 0.3:
            text = text.rstrip("\r\n")
        fast = _fast_equals_general(text, str(tmp_path / "Dockerfile"), monkeypatch)
        if fast is None:
            continue
        compared += 1
        fixed += sum(1 for v in fast if v[3] is not None)
    assert compared > 10 and fixed > 5, (compared, fixed)


def test_a_stage_of_many_pairs_reports_what_the_general_path_reports(tmp_path, monkeypatch):
    """The benchmark shapes (one stage of pairs, COPYs elsewhere, a pair per stage, stages that
    differ in their WORKDIR, the migrated form), mixed, at a size where the memos fill and are
    cleared (past _MAX entries), after enough distinct stages and COPYs that the stage, WORKDIR,
    folder and COPY memos are given up (_Adaptive)."""
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "package-lock.json").write_text("{}")
    units = [
        lambda i: "COPY . .\nRUN npm ci\n",
        lambda i: f"COPY . /src{i}\nRUN npm ci\n",
        lambda i: "FROM node:24\nWORKDIR /app\nCOPY . .\nRUN npm ci --ignore-scripts\n",
        lambda i: "FROM node:24\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n",
        lambda i: f"WORKDIR /w{i % 7}\nCOPY . .\nRUN npm ci\n",
        lambda i: f"RUN npm ci # {i}\n",
        lambda i: f"FROM node:24\nWORKDIR /app{i}\nCOPY . .\nRUN npm ci --ignore-scripts\n",
    ]
    rnd = random.Random(7)
    # First distinct stages and COPYs only (the memos give up), then a mix.
    text = (
        "".join(units[6](i) for i in range(2 * ais101._MAX))
        + "FROM node\nWORKDIR /app\n"
        + "".join(units[1](i) for i in range(2 * ais101._MAX))
        + "".join(rnd.choice(units)(i) for i in range(3 * ais101._MAX))
    )
    path = str(tmp_path / "Dockerfile")
    df = parse(text, path)
    ctx = RuleContext(df, path, BuildContext.for_dockerfile(path))
    fast = _findings(ctx, True, monkeypatch)
    assert fast == _findings(ctx, False, monkeypatch)
    assert len(fast) > 3000 and any(v[3] for v in fast)


def test_a_workdir_of_two_leading_slashes_ends(tmp_path):
    """normpath keeps `//app` (POSIX leaves two leading slashes to the system) and
    dirname("//") is "//": the folders of `//app/package.json` once never reached `/`, and
    `aishell lint` ran until it ran out of memory."""
    (tmp_path / "package.json").write_text("{}")
    text = "FROM node\nWORKDIR //app\nCOPY . .\nRUN npm ci\n"
    path = str(tmp_path / "Dockerfile")
    ctx = RuleContext(parse(text, path), path, BuildContext.for_dockerfile(path))
    (v,) = list(ais101.check(ctx))
    assert v.fix is not None and text[v.start : v.end] == "npm"


@pytest.mark.parametrize("dest", [".", "./", "/app", "sub/"])
def test_stages_that_differ_only_in_their_workdir_report_what_the_general_path_reports(dest, tmp_path, monkeypatch):
    """What a COPY into the working directory finds for an install is remembered without the
    directory (ais101._at_workdir): each install of _RUNS in stages whose WORKDIRs differ (the
    root, where `..` stays at the root, a folder, two levels, a repeated one), in both orders.
    Into `sub/` no stage reports: the manifests are not under it."""
    _write(tmp_path, _FILES)
    (tmp_path / ".dockerignore").unlink()
    workdirs = ["/", "/app", "/a/b", "/app", "sub"]
    compared = reported = 0
    more = ["pip install -r ./requirements.txt", "pip install -r app/../requirements.txt"]
    # `..` that the root keeps at the root: from /app this is app's requirements.txt, from / the root's
    more.append("pip install -r ../app/requirements.txt")
    for run in _RUNS + more:
        for order in (workdirs, workdirs[::-1]):
            text = "".join(f"FROM node\nWORKDIR {w}\nCOPY . {dest}\nRUN {run}\n" for w in order)
            fast = _fast_equals_general(text, str(tmp_path / "Dockerfile"), monkeypatch)
            if fast is None:
                continue
            compared += 1
            reported += len(fast)
    assert compared > 30 and (reported > 10 or dest == "sub/"), (compared, reported)


def test_a_memo_that_pays_nothing_is_given_up_and_one_that_pays_is_kept():
    """_Adaptive: full of keys asked once, it switches itself off (storing and forgetting them
    only cost); full with enough of them asked again, it empties and goes on."""
    idle = ais101._Adaptive(True)
    for i in range(ais101._MAX + 1):
        idle.put(i, i)
    assert not idle.on and len(idle) == 0
    assert idle.put("late", 1) == 1 and "late" not in idle
    busy = ais101._Adaptive(True)
    for i in range(ais101._MAX):
        busy.put(i, i)
    busy.hits = ais101._MAX // 8
    busy.put("next", 1)
    assert busy.on and dict(busy) == {"next": 1}
    off = ais101._Adaptive(False)
    off.put("k", 1)
    assert "k" not in off


# Families of WORKDIRs of one length and slashes (one anonymous key each): paths the other lines
# name, one not known (`$`), one past MAX_DEPTH.
_SAME_SHAPE = [
    ["/app1", "/app2", "/root", "/home", "/$HOM"],
    ["/a/b1", "/a/b2", "/x/y1"],
    ["/" + "/".join(["a"] * 65), "/" + "b" * 129],
]
_WORKDIR_RUNS = [
    "RUN npm ci",
    "RUN pip install -r requirements.txt",
    "RUN chown -R node /app1 && npm ci",
    "RUN chown -R node ~ && npm ci",
    "RUN rm -rf /root/x && npm ci",
    "RUN npm ci > /app2/log",
    "RUN pip install -r ../app1/requirements.txt",
    "RUN pip install -r ..",
    "RUN --mount=type=cache,target=/app1/node_modules npm ci",
]
_WORKDIR_COPIES = [
    "COPY . ./",
    "COPY . sub/",
    "COPY . /app1",
    "COPY . /root/",
    "COPY . ..",
    'COPY . "/app2"',
    "COPY app1 .",
    "COPY package.json package-lock.json ./",
]
_WORKDIR_LINES = (
    _WORKDIR_RUNS
    + _WORKDIR_COPIES
    + [
        "ENV PIP_FIND_LINKS=/app1",
        "ENV PIP_CONSTRAINT=c.txt",
        "WORKDIR {v}",
        "WORKDIR app1",
        "LABEL a=b",
    ]
)


def _workdir_stage(rnd: random.Random) -> list[str]:
    """A stage around one WORKDIR of a _SAME_SHAPE family (its path, and a second WORKDIR's,
    chosen per stage), a COPY (`COPY . .` half the time) and an install after it, with lines of
    _WORKDIR_LINES before and after."""
    before = rnd.choice([[], [], ["COPY . ."], [rnd.choice(_WORKDIR_LINES)]])
    copy = ["COPY . ."] if rnd.random() < 0.5 else [rnd.choice(_WORKDIR_COPIES)]
    after = [rnd.choice(_WORKDIR_LINES + ["WORKDIR {v}"] * 4) for _ in range(rnd.choice([0, 0, 1, 2]))]
    return ["FROM node", *before, "WORKDIR {w}", *copy, *after, rnd.choice(_WORKDIR_RUNS)]


@pytest.mark.parametrize("seed", range(12))
def test_stages_remembered_without_their_workdir_report_what_the_general_path_reports(seed, tmp_path, monkeypatch):
    """The stage memo keys a stage by its text with its WORKDIR's path made anonymous
    (ais101._workdir_free_key) when nothing in the stage names a path that path could be or hold:
    stages that differ only in it (a path of the same length and slashes: `/app1`, `/root`) are
    worked out once. Generated stages around such WORKDIRs (one not known, one too deep), with
    lines that name one of them (`chown /app1`, `~`, `../app1/…`, an ENV, an absolute, quoted or
    `..` COPY destination), a COPY before the WORKDIR, a second WORKDIR: every file reports what
    the general path (no memo) does, and many stages of different text share a key."""
    _write(tmp_path, _FILES[:6] + [("app1/requirements.txt", "flask\n"), ("app1/package.json", "{}")])
    rnd = random.Random(300 + seed)
    path = str(tmp_path / "Dockerfile")
    shared = compared = 0
    for _ in range(60):
        family = rnd.choice(_SAME_SHAPE)
        shapes = [_workdir_stage(rnd) for _ in range(3)]
        stages = [
            "\n".join(shape).format(w=rnd.choice(family), v=rnd.choice(family)) for shape in rnd.choices(shapes, k=12)
        ]
        text = "\n".join(stages) + "\n"
        fast = _fast_equals_general(text, path, monkeypatch)
        if fast is None:
            continue
        compared += 1
        df = parse(text, path)
        keys: dict = {}
        for stage in df.stages:
            key = ais101.stage_key(df.text, stage.instructions)
            keys.setdefault(ais101._workdir_free_key(key, stage.instructions), set()).add(key)
        shared += sum(len(texts) - 1 for k, texts in keys.items() if isinstance(k, tuple))
    assert compared > 50 and shared > 5, (compared, shared)


@pytest.mark.parametrize("copy", ["COPY . .", *_WORKDIR_COPIES])
def test_each_copy_and_install_in_stages_of_each_workdir_report_what_the_general_path_reports(
    copy, tmp_path, monkeypatch
):
    """Every COPY of _WORKDIR_COPIES before every install of _WORKDIR_RUNS, in stages of each
    WORKDIR of the first _SAME_SHAPE family, in both orders (the first stage of a key is the one
    worked out), and with the COPY before the WORKDIR."""
    _write(tmp_path, _FILES[:6] + [("app1/requirements.txt", "flask\n"), ("app1/package.json", "{}")])
    path = str(tmp_path / "Dockerfile")
    for run in _WORKDIR_RUNS:
        for order in (_SAME_SHAPE[0], _SAME_SHAPE[0][::-1]):
            for stage in (f"FROM node\nWORKDIR {{w}}\n{copy}\n{run}\n", f"FROM node\n{copy}\nWORKDIR {{w}}\n{run}\n"):
                _fast_equals_general("".join(stage.format(w=w) for w in order), path, monkeypatch)


def test_a_stage_keyed_without_its_workdir_is_one_of_distinct_workdirs(tmp_path, monkeypatch):
    """The benchmark's distinct stages (`WORKDIR /app0`, `/app1`, …: paths of several lengths) share
    a key per length and report what the general path reports; with the anonymous key off, they
    report the same."""
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "package-lock.json").write_text("{}")
    text = "".join(f"FROM node:24\nWORKDIR /app{i}\nCOPY . .\nRUN npm ci --ignore-scripts\n" for i in range(300))
    path = str(tmp_path / "Dockerfile")
    fast = _fast_equals_general(text, path, monkeypatch)
    assert len(fast) == 300 and all(v[3] is not None for v in fast)
    monkeypatch.setattr(ais101, "_WORKDIR_FREE", False)
    assert _fast_equals_general(text, path, monkeypatch) == fast
    df = parse(text, path)
    keys = {ais101._workdir_free_key(ais101.stage_key(df.text, s.instructions), s.instructions) for s in df.stages}
    assert len(keys) == 3  # /app0-9, /app10-99, /app100-299
