"""AIS101 works out installs that differ only in an option nothing reads once (issue 18).

The rule keys what it works out for an install (the COPY it is held against, what its tool
reads from the context, its message and its fix's plan) by the install's DepInstall and
`_manifests.cli_facts` of its words, not by the words themselves: `bundle install --jobs 1`
… `--jobs 9999` over one large Gemfile share one answer (benchmarks/scale.py, "installs over
one large manifest"). With `_CLI_FACTS` off the rule keys by the words. Both must give the same
findings (message, span, fix) on generated files: installs of every tool with options that
matter and options that do not, several working directories, COPYs in every order, ENV and ARG
values an install reads, in generated build contexts. The facts themselves are held to what
each tool's answer depends on.
"""

import random

import pytest

from aishell.context import BuildContext
from aishell.lint_rules import _manifests
from aishell.lint_rules import ais101_source_before_dependencies as ais101
from aishell.model import DockerfileSyntaxError, parse
from aishell.rule import RuleContext

# -- generated installs --------------------------------------------------------------------------

_PIP_LAUNCHERS = ["pip", "pip3", "python3 -m pip", "uv pip", "/venv/bin/pip"]
_PIP_FILES = ["requirements.txt", "app/requirements.txt", "r2.txt", "x/../requirements.txt", "sub/requirements.txt"]
_PIP_OPTIONS = [
    "--no-cache-dir",
    "-q",
    "--upgrade",
    "--no-deps",
    "--timeout {n}",
    "--retries={n}",
    "--index-url https://pypi.example/simple",
    "--cert ca.pem",
    "--find-links ./wheels",
    "-c constraints.txt",
    "--target ./vendor",
    "--prefix=/opt/p{n}",
    "-e .",
    "--only-binary=:all:",
    "--x{n}",
    "--requirem r2.txt",
    "-r ../up.txt",
]
_NODE_INSTALLS = ["npm ci", "npm install", "npm i", "yarn", "yarn install", "pnpm install", "bun install"]
_NODE_OPTIONS = [
    "--loglevel=l{n}",
    "--ignore-scripts",
    "--prefix x",
    "--userconfig=c.npmrc",
    "--cafile ./ca.pem",
    "--cafile /etc/ca{n}.pem",
    "-w a",
    "--frozen-lockfile",
    "--network-timeout {n}",
    "--omit=dev",
    "--workspaces=false",
]
_OTHER_INSTALLS = {
    "bundle install": ["--jobs {n}", "--gemfile=G", "--local", "--deployment", "--path vendor", "--retry={n}"],
    "composer install": ["--prefer-dist", "--no-scripts", "--no-autoloader", "-o", "-a", "--working-dir=x", "-d x"],
    "pipenv install": ["--deploy", "--x{n}", "--system"],
    "pipenv sync": ["--dev"],
    "uv sync": ["--frozen", "--no-install-project", "--directory x", "--python 3.{n}"],
    "poetry install": ["--no-root", "--only main", "-C x", "--no-interaction"],
    "go mod download": ["-x", "-modfile=alt.mod", "-C sub", "-json"],
    "cargo fetch": ["--locked"],
}


def _options(rnd: random.Random, options: list[str]) -> str:
    """Up to three options; `{n}`: a number each copy of the install gets anew."""
    return "".join(" " + rnd.choice(options) for _ in range(rnd.randint(0, 3)))


def _install(rnd: random.Random) -> str:
    """An install RUN's template: `{n}` stands for the numbers its copies differ in."""
    k = rnd.random()
    if k < 0.35:
        cmd = f"{rnd.choice(_PIP_LAUNCHERS)} install -r {rnd.choice(_PIP_FILES)}" + _options(rnd, _PIP_OPTIONS)
    elif k < 0.65:
        cmd = rnd.choice(_NODE_INSTALLS) + _options(rnd, _NODE_OPTIONS)
    else:
        tool = rnd.choice(list(_OTHER_INSTALLS))
        cmd = tool + _options(rnd, _OTHER_INSTALLS[tool])
    k = rnd.random()
    if k < 0.1:
        cmd = "apt-get update && " + cmd
    elif k < 0.15:
        cmd += " && rm -rf /tmp/cache"
    elif k < 0.2:
        cmd = "cd app && " + cmd
    elif k < 0.25:
        cmd = cmd.replace(" ", " \\\n  ", 1)  # continued over lines
    elif k < 0.3:
        cmd = "PIP_CERT=ca.pem " + cmd
    return "RUN " + cmd


_WORKDIRS = ["/app", "/srv/app", "app", "sub", "..", "/", "/app/"]
_COPIES = ["COPY . .", "COPY . /app", "COPY ./ ./", "COPY app/ ./", "COPY sub sub", "COPY --chown=1:1 . .", "ADD . ."]
_OTHERS = [
    "COPY requirements.txt ./",
    "COPY package.json ./",
    "ENV PIP_CONSTRAINT=c.txt",
    "ENV NPM_CONFIG_CAFILE=/app/ca.pem",
    "ENV PIP_FIND_LINKS=/wheels",
    "ARG PIP_INDEX_URL",
    "ENV A=b",
    "LABEL a=b",
    "USER node",
]


def _dockerfile(rnd: random.Random) -> str:
    """Stages of WORKDIRs, COPYs, ENVs and installs in random orders; installs of one kind with
    their options changed repeat in runs (what the memo shares) and mix with fresh ones."""
    lines = [rnd.choice(["ARG PIP_INDEX_URL=idx", "ARG PIP_INDEX_URL=https://x", "# no global ARG"])]
    for s in range(rnd.randint(1, 3)):
        lines.append(rnd.choice(["FROM python", f"FROM python AS s{s}", f"FROM s{s - 1}" if s else "FROM node"]))
        if rnd.random() < 0.5:
            lines += ["WORKDIR /app", "COPY . ."]  # (installs right after it: fixes)
        for _ in range(rnd.randint(2, 12)):
            k = rnd.random()
            if k < 0.1:
                lines.append("WORKDIR " + rnd.choice(_WORKDIRS))
            elif k < 0.3:
                lines.append(rnd.choice(_COPIES))
            elif k < 0.4:
                lines.append(rnd.choice(_OTHERS))
            elif k < 0.7:
                # The same install with other numbers in its options, several times in a row.
                run = _install(rnd)
                lines += [run.format(n=rnd.randint(1, 10**6)) for _ in range(rnd.randint(2, 6))]
            else:
                lines.append(_install(rnd).format(n=rnd.randint(1, 10**6)))
    nl = rnd.choice(["\n", "\n", "\r\n"])
    return nl.join(line.replace("\n", nl) for line in lines) + nl


_CONTEXT = [
    ("requirements.txt", "flask\nrequests==2.0\n"),
    ("requirements.txt", "-r base.txt\nflask\n"),
    ("requirements.txt", "-e .\n"),
    ("base.txt", "x\n"),
    ("r2.txt", "a\n"),
    ("constraints.txt", "a<2\n"),
    ("app/requirements.txt", "-r base.txt\n"),
    ("app/base.txt", "y\n"),
    ("sub/requirements.txt", "z\n"),
    ("package.json", '{"dependencies": {"a": "1"}}'),
    ("package.json", '{"scripts": {"postinstall": "node s.js"}}'),
    ("package-lock.json", "{}"),
    ("yarn.lock", ""),
    (".npmrc", "registry=https://r.example/\n"),
    ("app/package.json", "{}"),
    ("Gemfile", "source 'https://rubygems.org'\ngem 'a', '1.0'\n"),
    ("Gemfile.lock", ""),
    ("composer.json", '{"require": {"a/b": "^1"}}'),
    ("composer.json", '{"scripts": {"post-install-cmd": "x"}, "require": {"a/b": "^1"}}'),
    ("composer.json", '{"autoload": {"classmap": ["src/"]}}'),
    ("composer.json", '{"autoload": {"psr-4": {"A\\\\": "src/"}}}'),
    ("composer.lock", "{}"),
    ("Pipfile", "[packages]\np = '*'\n"),
    ("Pipfile.lock", "{}"),
    ("pyproject.toml", "[project]\nname = 'x'\n"),
    ("uv.lock", ""),
    ("uv.toml", ""),
    ("go.mod", "module x\n"),
    ("go.sum", ""),
    ("Cargo.toml", "[package]\nname = 'x'\n"),
    ("ca.pem", "x"),
    (".dockerignore", "*.md\n"),
]


def _write(folder, files) -> None:
    for name, content in files:
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content)


def _findings(text: str, path: str, cli: bool, monkeypatch) -> list:
    """AIS101's findings with _CLI_FACTS ``cli``, on a fresh build context (nothing the other
    run read is remembered)."""
    monkeypatch.setattr(ais101, "_CLI_FACTS", cli)
    ctx = RuleContext(parse(text, path), path, BuildContext.for_dockerfile(path))
    return [tuple(v) for v in ais101.check(ctx)]


@pytest.mark.parametrize("seed", range(10))
def test_installs_keyed_by_their_facts_report_what_installs_keyed_by_their_words_report(seed, tmp_path, monkeypatch):
    rnd = random.Random(seed)
    compared = reported = fixed = 0
    for n in range(40):
        d = tmp_path / f"d{n}"
        d.mkdir()
        _write(d, dict(rnd.sample(_CONTEXT, rnd.randint(len(_CONTEXT) // 2, len(_CONTEXT)))).items())
        text = _dockerfile(rnd)
        path = str(d / "Dockerfile")
        (d / "Dockerfile").write_text(text)
        try:
            parse(text, path)
        except DockerfileSyntaxError:
            continue
        keyed = _findings(text, path, True, monkeypatch)
        assert keyed == _findings(text, path, False, monkeypatch), text
        compared += 1
        reported += len(keyed)
        fixed += sum(1 for v in keyed if v[3] is not None)
    # The generated files exercise the rule: many findings, with and without fixes.
    assert compared > 30 and reported > 200 and fixed > 3, (compared, reported, fixed)


def test_installs_that_differ_in_an_option_nothing_reads_are_worked_out_once(tmp_path, monkeypatch):
    """Keyed by their facts, 300 installs over one manifest, each with another `--jobs`,
    `--loglevel`, …, choose their COPY once a kind; keyed by their words, once each. An option
    that changes what the tool reads (`--ignore-scripts`, `--no-scripts`) is another kind."""
    _write(tmp_path, [("Gemfile", "gem 'a'\n"), ("package.json", "{}"), ("composer.json", "{}")])
    runs = ["bundle install --jobs {n}", "npm ci --loglevel=l{n}", "composer install --prefer-dist{n}"]
    runs += ["npm ci --ignore-scripts --loglevel=l{n}", "composer install --no-scripts --timeout {n}"]
    text = "FROM ruby\nCOPY . .\n" + "".join(f"RUN {runs[n % 5].format(n=n)}\n" for n in range(300))
    path = str(tmp_path / "Dockerfile")
    chosen = []
    choose = ais101._choose
    monkeypatch.setattr(ais101, "_choose", lambda *a: chosen.append(a[-2]) or choose(*a))
    keyed = _findings(text, path, True, monkeypatch)
    assert len(keyed) == 300 and any(v[3] for v in keyed)
    assert len(chosen) == 5
    chosen.clear()
    assert _findings(text, path, False, monkeypatch) == keyed
    assert len(chosen) == 300


# -- the facts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "tool", "argv", "answer"),
    [
        ({"package.json": '{"scripts": {"postinstall": "x"}}'}, "npm ci", "npm ci", None),
        ({"package.json": '{"scripts": {"postinstall": "x"}}'}, "npm ci", "npm ci --ignore-scripts", ([], [])),
        ({"package.json": "{}"}, "npm ci", "npm ci --loglevel=silly", ([], [])),
        ({"package.json": "{}"}, "npm ci", "npm ci --prefix=x", None),
        ({"package.json": "{}"}, "npm ci", "npm ci --userconfig c.npmrc", None),
        ({"composer.json": '{"scripts": {"a": "b"}}'}, "composer install", "composer install", None),
        ({"composer.json": '{"scripts": {"a": "b"}}'}, "composer install", "composer install --no-scripts", ([], [])),
        ({"composer.json": '{"autoload": {"classmap": ["s"]}}'}, "composer install", "composer install", None),
        (
            {"composer.json": '{"autoload": {"classmap": ["s"]}}'},
            "composer install",
            "composer install --no-autoloader",
            ([], []),
        ),
        ({"composer.json": '{"autoload": {"psr-4": {}}}'}, "composer install", "composer install -o", None),
        ({"composer.json": '{"autoload": {"psr-4": {}}}'}, "composer install", "composer install", ([], [])),
        ({"composer.json": "{}"}, "composer install", "composer install -d x", None),
        ({"Gemfile": "gem 'a'\n"}, "bundle install", "bundle install --jobs 4", ([], [])),
        ({"Gemfile": "gem 'a'\n"}, "bundle install", "bundle install --gemfile=G", None),
        ({"go.mod": "module x\n"}, "go mod download", "go mod download -modfile=a.mod", None),
        ({"pyproject.toml": "[project]\n"}, "uv sync", "uv sync --directory x", None),
        ({"pyproject.toml": "[project]\n"}, "uv sync", "uv sync --frozen", ([], [])),
        ({"r.txt": "a\n"}, "pip install -r", "pip install -r r.txt --no-cache-dir", ([], [])),
        ({"r.txt": "a\n"}, "pip install -r", "pip install -r r.txt --cert ca.pem", None),
        ({"r.txt": "a\n"}, "pip install -r", "pip install -r x/../r.txt", None),
        ({"r.txt": "a\n"}, "pip install -r", "uv pip install -r r.txt", ([], [])),
        ({"r.txt": "a\n", "uv.toml": ""}, "pip install -r", "uv pip install -r r.txt", None),
        ({"r.txt": "a\n"}, "pip install -r", "uv pip install -r r.txt -c ../c.txt", None),
        ({"r.txt": "a\n"}, "pip install -r", "pip install -r r.txt -c ../c.txt", ([], [])),
        ({"Pipfile": "[packages]\n"}, "pipenv install", "pipenv install --deploy", ([], [])),
    ],
)
def test_the_facts_of_the_words_decide_what_the_install_reads(files, tool, argv, answer, tmp_path):
    """What each tool's answer reads of the words: `--ignore-scripts` against a package.json's
    hooks, composer's `--no-scripts`, `--no-autoloader` and `-o` against its scripts and
    autoloader, the options that send an install elsewhere, `uv pip` and its config, and the
    options that read nothing (`--jobs`, `--loglevel`)."""
    _write(tmp_path, files.items())
    manifest = {"npm ci": "package.json", "composer install": "composer.json", "bundle install": "Gemfile"}
    manifest |= {"go mod download": "go.mod", "uv sync": "pyproject.toml", "pipenv install": "Pipfile"}
    words = tuple(argv.split())
    bc = BuildContext.for_dockerfile(str(tmp_path / "Dockerfile"))
    got = _manifests.reads(bc, tool, words, [manifest.get(tool, "r.txt")], [])
    assert got == answer
    facts = _manifests.cli_facts(tool, words)
    fresh = BuildContext.for_dockerfile(str(tmp_path / "Dockerfile"))
    assert _manifests.reads_by(fresh, tool, facts, [manifest.get(tool, "r.txt")], []) == answer


def test_options_nothing_reads_give_the_same_facts_and_options_read_do_not():
    same = [("bundle install", "bundle install --jobs 4", "bundle install --jobs 8 --retry=3")]
    same += [("npm ci", "npm ci --loglevel=a", "npm ci --loglevel=b --omit=dev")]
    same += [("pip install -r", "pip install -r r.txt --no-cache-dir1", "pip install -r q.txt -q")]
    same += [("composer install", "composer install --prefer-dist", "composer install --no-dev")]
    for tool, a, b in same:
        assert _manifests.cli_facts(tool, tuple(a.split())) == _manifests.cli_facts(tool, tuple(b.split()))
    differ = [("npm ci", "npm ci", "npm ci --ignore-scripts")]
    differ += [("composer install", "composer install", "composer install --no-scripts")]
    differ += [("composer install", "composer install", "composer install --no-autoloader")]
    differ += [("composer install", "composer install", "composer install -o")]
    differ += [("pip install -r", "pip install -r r.txt", "uv pip install -r r.txt")]
    differ += [("pip install -r", "pip install -r r.txt", "pip install -r r.txt --cert c.pem")]
    for tool, a, b in differ:
        assert _manifests.cli_facts(tool, tuple(a.split())) != _manifests.cli_facts(tool, tuple(b.split())), (a, b)
