"""AIS101's fix moves an install above `COPY . .` with a COPY of the files it reads: five classes
a red-team pass found where the moved RUN then lacked a file, or the written COPY did not build.

The rule's doc promises the fix "is offered only when the rule knows every one of those files".
Each class is drawn exhaustively (a product of spellings) over one context holding every file
named, and held to that promise:

1. several installs in the moved RUN (`pip install -r requirements.txt && npm ci`, `yarn || npm
   ci`): the fix copied the reported install's files only. Now: no fix.
2. a project install spelled as pip reads it (`-e.`, `--edit=.`, `-evendor/mylib`, a bare
   local path, `git+file:`; under pip3, `python3 -m pip`, `uv pip`): moved above the source it
   installs. Now: not a dependency install (no fix).
3. a file named by an option or a variable (`npm ci --cafile ca.pem`, `PIP_CERT=ca.pem pip …`,
   `export NPM_CONFIG_USERCONFIG=…`): not copied. Now: no fix.
4. an ADD's own flags (`--keep-git-dir`, `--checksum`, `--unpack`) carried onto the written
   COPY, which BuildKit refuses. Now: no fix from such an ADD; a COPY's flags still carried.
5. a RUN whose other commands act on the copied source (`chown -R node .`, `rm -rf src`,
   `chown -R node /app`): run before the source is there. Now: no fix.

Controls in each class (plain installs, `rm -rf /var/lib/apt/lists/*`, `--chown`) keep their fix.
"""

from __future__ import annotations

import itertools

import dockerfile
import pytest

from aishell.lint import Options, lint_text
from aishell.migration import fix_text

PKG = '{"dependencies": {"left-pad": "1.3.0"}}\n'
FILES = {
    "requirements.txt": "flask\n",
    "b.txt": "requests\n",
    "constraints.txt": "flask<4\n",
    "package.json": PKG,
    "package-lock.json": "{}\n",
    "frontend/package.json": PKG,
    "frontend/package-lock.json": "{}\n",
    "yarn.lock": "\n",
    "Gemfile": "source 'https://rubygems.org'\ngem 'rails'\n",
    "Gemfile.lock": "\n",
    "go.mod": "module example.com/x\n",
    "go.sum": "\n",
    "composer.json": "{}\n",
    "composer.lock": "{}\n",
    "pyproject.toml": "[project]\nname = 'x'\n",
    "uv.lock": "\n",
    "ca.pem": "\n",
    "corp-ca.pem": "\n",
    "c.npmrc": "\n",
    "pip.conf": "\n",
    "vendor/mylib/setup.py": "\n",
    "src/app.py": "\n",
}
COPY_FLAGS = {"chown", "chmod", "from", "link", "parents", "exclude"}


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ctx")
    for name, text in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return str(folder / "Dockerfile")


def _findings(path: str, run: str, copy: str = "COPY . ."):
    text = f"FROM aishell:foundation\nWORKDIR /app\n{copy}\nRUN {run}\n"
    return text, lint_text(text, path, Options(select=["AIS101"], use_config=False)).findings


def _inserted(finding) -> str:
    return finding.fix.edits[0].replacement


def _fixed(path: str, run: str, copy: str = "COPY . .") -> bool:
    return any(f.fix is not None for f in _findings(path, run, copy)[1])


# -- 1. several installs in one RUN ---------------------------------------------------------------

# Each install and the files it cannot run without.
INSTALLS = {
    "pip install -r requirements.txt": ("requirements.txt",),
    "pip install -r b.txt": ("b.txt",),
    "npm ci": ("package.json",),
    "npm ci --prefix frontend": ("frontend/package.json",),
    "bundle install": ("Gemfile",),
    "go mod download": ("go.mod",),
    "composer install": ("composer.json",),
    "uv sync --no-install-project": ("pyproject.toml",),
    "yarn install": ("package.json", "yarn.lock"),
    "bun install": ("package.json",),
    "pnpm install": ("package.json",),
}
_PAIRS = [
    (f"{a} {op} {b}", a, b) for (a, b), op in itertools.product(itertools.permutations(INSTALLS, 2), ("&&", "||", ";"))
] + [(f"if [ -f yarn.lock ]; then {a}; else {b}; fi", a, b) for a, b in itertools.permutations(INSTALLS, 2)]


def test_every_install_of_a_moved_run_has_its_files(context):
    bad = []
    for run, a, b in _PAIRS:
        for f in _findings(context, run)[1]:
            if f.fix is not None:
                copied = _inserted(f).split("\nRUN ", 1)[0]
                if not all(name in copied for name in INSTALLS[a] + INSTALLS[b]):
                    bad.append(run)
    assert not bad, (len(bad), bad[:5])


def test_one_install_alone_is_still_fixed(context):
    for run, files in INSTALLS.items():
        if run == "npm ci --prefix frontend":
            continue  # (another folder: no fix, as before)
        found = _findings(context, run)[1]
        assert [f.fix is not None for f in found] == [True], run
        assert all(name in _inserted(found[0]) for name in files), run


# -- 2. a project install, however pip spells it -------------------------------------------------

_LOCAL = [
    "-e .",
    "--editable .",
    "--editable=.",
    "-e.",
    "--edit=.",
    "--ed .",
    "-evendor/mylib",
    "-e vendor/mylib",
    "vendor/mylib",
    "vendor/mylib/",
    "./vendor/mylib",
    '"vendor/mylib"',
    "git+file:///app",
    "file:///app",
    ".",
    "./dist/x-1.0.whl",
]
_PIPS = ["pip", "pip3", "/venv/bin/pip", "python3 -m pip", "python -m pip", "uv pip"]
_REQS = [
    "-r requirements.txt",
    "--requirement=requirements.txt",
    "--requirement requirements.txt",
    "-rrequirements.txt",
]


@pytest.mark.parametrize("pip", _PIPS)
def test_a_local_path_makes_it_a_project_install(context, pip):
    bad = []
    for local, req, first in itertools.product(_LOCAL, _REQS, (True, False)):
        run = f"{pip} install {local} {req}" if first else f"{pip} install {req} {local}"
        if _fixed(context, run):
            bad.append(run)
    assert not bad, (len(bad), bad[:5])


@pytest.mark.parametrize("pip", _PIPS)
def test_named_packages_keep_the_fix(context, pip):
    for extra in ("", "flask", "'flask[async]>=2,<3'", "--no-cache-dir -U gunicorn", "x@git+https://e.org/x.git"):
        assert _fixed(context, f"{pip} install -r requirements.txt {extra}".strip()), (pip, extra)


# -- 3. files named by options and variables ------------------------------------------------------

_NAMED = [
    "npm ci --cafile ./corp-ca.pem",
    "npm ci --cafile=./corp-ca.pem",
    "npm ci --cafile corp-ca.pem",
    "npm ci --userconfig c.npmrc",
    "npm ci --userconfig=c.npmrc",
    "yarn install --cafile ca.pem",
    "pnpm install --cafile=ca.pem",
    "pip install --cert ca.pem -r requirements.txt",
    "pip install --cert=ca.pem -r requirements.txt",
    "pip install --client-cert ca.pem -r requirements.txt",
    "pip install -r requirements.txt --find-links ./wheels",
    "uv pip install -r requirements.txt --override constraints.txt",
]
_VARIABLES = [
    ("npm_config_cafile", "ca.pem", "npm ci"),
    ("NPM_CONFIG_CAFILE", "./corp-ca.pem", "npm ci"),
    ("NPM_CONFIG_USERCONFIG", "./c.npmrc", "npm ci"),
    ("npm_config_userconfig", "c.npmrc", "yarn install"),
    ("PIP_CERT", "ca.pem", "pip install -r requirements.txt"),
    ("PIP_CONSTRAINT", "constraints.txt", "pip install -r requirements.txt"),
    ("PIP_CONFIG_FILE", "pip.conf", "pip install -r requirements.txt"),
    ("PIP_CONFIG_FILE", "./pip.conf", "python3 -m pip install -r requirements.txt"),
]
_ASSIGN = ["{n}={v} {run}", '{n}="{v}" {run}', "{n}='{v}' {run}", "export {n}={v} && {run}", "env {n}={v} {run}"]
_ASSIGN += ["export {n}={v}; {run}", "{run} && {n}={v} true"]


def test_a_file_an_option_or_a_variable_names_means_no_fix(context):
    runs = list(_NAMED) + [a.format(n=n, v=v, run=r) for (n, v, r), a in itertools.product(_VARIABLES, _ASSIGN)]
    bad = [run for run in runs if _fixed(context, run)]
    assert not bad, (len(bad), bad[:5])


def test_values_that_name_no_file_keep_the_fix(context):
    for run in (
        "npm ci --loglevel=warn --omit=dev",
        "NODE_ENV=production npm ci",
        "PIP_NO_CACHE_DIR=1 pip install -r requirements.txt",
        "pip install -r requirements.txt --index-url https://pypi.example.org/simple",
        "export PATH=$PATH:/root/.local/bin && pip install -r requirements.txt",
    ):
        assert _fixed(context, run), run


# The same files named by an absolute path the broad COPY fills (`--cafile /app/ca.pem` after
# `COPY . /app`): not copied by the fix either. Every carrier above, every spelling of the
# destination, every place a `$` may stand in the path.
_COPIES = ["COPY . .", "COPY . /app", "COPY . /app/", "COPY ./ ./", "COPY --chown=1:1 . /app"]
_ABSOLUTE_FORMS = ["/app/{v}", "/app/./{v}", "//app/{v}", "/app/$D/{v}", "/app$D/{v}", "/$D/{v}", "/app/{v}$S"]


def _absolute(run: str, form: str) -> str:
    for v in (
        "./corp-ca.pem",
        "corp-ca.pem",
        "ca.pem",
        "./c.npmrc",
        "c.npmrc",
        "constraints.txt",
        "./pip.conf",
        "pip.conf",
    ):
        v_abs = form.format(v=v.removeprefix("./"))
        for sep in (" ", "=", "='", '="'):
            run = run.replace(sep + v, sep + v_abs)
    return run


def test_a_file_named_by_an_absolute_path_the_copy_fills_means_no_fix(context):
    runs = [r for r in _NAMED if "wheels" not in r] + [
        a.format(n=n, v=v, run=r) for (n, v, r), a in itertools.product(_VARIABLES, _ASSIGN)
    ]
    cases = [(_absolute(r, form), copy) for r, form, copy in itertools.product(runs, _ABSOLUTE_FORMS, _COPIES)]
    assert all("/app" in run or "/$D" in run for run, _ in cases)
    bad = [(run, copy) for run, copy in cases if _fixed(context, run, copy)]
    assert not bad, (len(bad), len(cases), bad[:5])


def test_absolute_paths_the_copy_does_not_fill_keep_the_fix(context):
    # (yarn's `--cafile`, pip's `--cert` and uv's `--override` withhold the fix whatever they name.)
    runs = [r for r in _NAMED if not any(w in r for w in ("wheels", "--override", "-cert", "yarn"))] + [
        a.format(n=n, v=v, run=r)
        for (n, v, r), a in itertools.product(_VARIABLES, _ASSIGN)
        if n != "PIP_CONSTRAINT" and not a.startswith("env ")  # (`env …` never had a fix)
    ]
    forms = ["/etc/ssl/{v}", "/app/missing/{v}", "/app/none-{v}", "/srv/$D/{v}"]
    bad = []
    for run, form, copy in itertools.product(runs, forms, _COPIES):
        run = _absolute(run, form)
        if not _fixed(context, run, copy):
            bad.append((run, copy))
    # The manifests the fix copies, named by their absolute path, keep it too.
    for run in ("pip install -r /app/requirements.txt", "pip install --requirement=/app/requirements.txt"):
        if not _fixed(context, run):
            bad.append((run, "COPY . ."))
    assert not bad, (len(bad), bad[:5])


# -- 4. the written COPY takes only COPY's flags --------------------------------------------------

_SOURCE_FLAGS = ["", "--chown=1000:1000", "--chmod=644", "--link", "--link=true", "--exclude=*.md"]
_ADD_FLAGS = ["--keep-git-dir=true", "--checksum=sha256:" + "0" * 64, "--unpack=true", "--unpack=false"]


def test_the_written_copy_is_one_buildkit_takes(context):
    bad = []
    cases = [("COPY", f, "") for f in _SOURCE_FLAGS]
    cases += [(kw, f, a) for kw, f, a in itertools.product(("ADD", "add"), _SOURCE_FLAGS, _ADD_FLAGS + [""])]
    for kw, flag, add_flag in cases:
        copy = " ".join(w for w in (kw, flag, add_flag, ". .") if w)
        text = f"FROM aishell:foundation\nWORKDIR /app\n{copy}\nRUN npm ci\n"
        new = fix_text(text, context, Options(select=["AIS101"], use_config=False), unsafe=True).text
        written = [c for c in dockerfile.parse_string(new) if c.cmd.upper() == "COPY" and c.original not in text]
        if any(f.lstrip("-").split("=")[0] not in COPY_FLAGS for c in written for f in c.flags):
            bad.append(copy)
        if not add_flag and not written:
            bad.append("no fix: " + copy)
    assert not bad, (len(bad), bad[:5])


# -- 5. other commands of the RUN acting on the source -------------------------------------------

_ACTS = ["chown -R node:node", "chown -R node", "chmod -R 755", "chmod 644", "rm -rf", "rm -f", "mkdir -p", "ln -s /x"]
_ON = [".", "./", "src", "./src", "src/app.py", "/app", "/app/", "/app/src", "/", "/ap*", "$APP_DIR"]


def test_a_command_acting_on_the_source_means_no_fix(context):
    bad = []
    for act, on, before in itertools.product(_ACTS, _ON, (True, False)):
        run = f"{act} {on} && npm ci" if before else f"npm ci && {act} {on}"
        if _fixed(context, run):
            bad.append(run)
    for run in ("[ -f src/app.py ] && npm ci", "test -d ./src || npm ci", "npm ci && apt-get install -y ./x.deb"):
        if _fixed(context, run):
            bad.append(run)
    assert not bad, (len(bad), bad[:5])


_REDIRECTS = [">", ">>", "2>", "&>", ">|", "1>>", "<"]
_TARGETS = [".npmrc", "./out.log", "src/x", "/app/.npmrc", "/app", "$OUT", '"out file"']


def test_a_redirection_into_the_source_means_no_fix(context):
    """(Red team, review round 16: `echo registry=… > .npmrc && npm ci` moved above `COPY . .`,
    which then copied the context's .npmrc over the one the RUN wrote.)"""
    bad = []
    for op, target, before in itertools.product(_REDIRECTS, _TARGETS, (True, False)):
        cmd = f"echo x {op} {target}" if op != "<" else f"true {op} {target}"
        run = f"{cmd} && npm ci" if before else f"npm ci && {cmd}"
        if _fixed(context, run):
            bad.append(run)
    assert not bad, (len(bad), bad[:5])


def test_redirections_away_from_the_source_keep_the_fix(context):
    for run in (
        "npm ci > /dev/null 2>&1",
        "npm ci 2>&1 >/dev/null",
        "echo x > /tmp/x && npm ci",
        "npm ci >> /var/log/npm.log",
        "echo registry=x > /etc/npmrc && npm ci",
        "pip install -r requirements.txt 'flask>=2,<3' 'x > y'",
    ):
        assert _fixed(context, run), run


@pytest.mark.parametrize("package", ["ruamel.yaml", "flufl.lock", "jaraco.text", "oslo.config"])
def test_a_package_named_like_a_file_is_a_package(context, package):
    """(Review round 16: `pip install ruamel.yaml && npm ci` lost its fix to the file-like name.)"""
    assert _fixed(context, f"pip install {package} && npm ci")
    assert _fixed(context, f"pip install -r requirements.txt {package}")
    assert not _fixed(context, f"uv pip install -r requirements.txt --override {package}.txt")


def test_commands_away_from_the_source_keep_the_fix(context):
    for run in (
        "npm ci && rm -rf /var/lib/apt/lists/*",
        "npm ci && rm -rf /tmp/* ~/.npm",
        "apt-get update && apt-get install -y git && npm ci",
        "mkdir -p /opt/cache && npm ci",
        "npm ci && chown -R node /usr/local/lib/node_modules",
        "[ -f /etc/os-release ] && npm ci",
    ):
        assert _fixed(context, run), run


# -- 6. a red-team pass on classes 3 and 5: the files an install reads by other ways ---------------
#
# Each found with a fix that broke the build or baked in a file the broad COPY left out: the same
# absolute path spelled with quotes or globs; a path the stage's ENV or ARG gives an installer's
# variable; a bare relative path in an rc file; pnpm's and bun's patch files; uv's config files;
# the COPY's destination itself; a broad COPY with `--exclude`. Each is drawn as a product.

_SPELLED = ['/app/"ca.pem"', "/app/'ca.pem'", '"/app"/ca.pem', '/ap""p/ca.pem', "/app/c*.pem", "/app/c?.pem"]
_SPELLED += ["/app/[c]a.pem", "/app/{ca,x}.pem", "/app/ca\\.pem", '"/app/ca.pem', "/app/ca$S.pem", "/app"]


def test_an_absolute_path_however_spelled_means_no_fix(context):
    carriers = [
        "npm ci --cafile {p}",
        "npm ci --cafile={p}",
        "npm_config_cafile={p} npm ci",
        "PIP_FIND_LINKS={p} pip install -r requirements.txt",
    ]
    bad = [
        (run, copy)
        for c, p, copy in itertools.product(carriers, _SPELLED, _COPIES)
        if _fixed(context, run := c.format(p=p), copy)
    ]
    assert not bad, (len(bad), bad[:5])


_INSTALLER_VARIABLES = [
    ("PIP_CONSTRAINT", "constraints.txt", "pip install -r requirements.txt"),
    ("PIP_CONFIG_FILE", "pip.conf", "pip install -r requirements.txt"),
    ("PIP_CERT", "ca.pem", "pip install -r requirements.txt"),
    ("PIP_FIND_LINKS", ".", "pip install -r requirements.txt"),
    ("NPM_CONFIG_CAFILE", "ca.pem", "npm ci"),
    ("npm_config_userconfig", "c.npmrc", "npm ci"),
    ("NODE_EXTRA_CA_CERTS", "ca.pem", "npm ci"),
    ("SSL_CERT_FILE", "corp-ca.pem", "pip install -r requirements.txt"),
    ("UV_CONSTRAINT", "constraints.txt", "uv pip install -r requirements.txt"),
]
_ENV_FORMS = ["ENV {n}={v}", 'ENV {n}="{v}"', "ENV {n} {v}", "ENV A=1 {n}={v}", "ARG {n}={v}"]


def test_a_path_the_stage_environment_names_means_no_fix(context):
    bad = []
    for (n, v, run), form, where in itertools.product(_INSTALLER_VARIABLES, _ENV_FORMS, ("{v}", "./{v}", "/app/{v}")):
        value = where.format(v=v)
        if value in ("./.", "/app/."):
            value = value[:-2] or "/"
        text = f"FROM aishell:foundation\nWORKDIR /app\n{form.format(n=n, v=value)}\nCOPY . .\nRUN {run}\n"
        found = lint_text(text, context, Options(select=["AIS101"], use_config=False)).findings
        if any(f.fix is not None for f in found):
            bad.append(text)
    assert not bad, (len(bad), bad[:3])


def test_an_environment_no_install_reads_keeps_the_fix(context):
    for env in (
        "ENV FLASK_APP=app.py",
        "ENV PATH=/app/node_modules/.bin:$PATH",
        "ARG NPM_CONFIG_CAFILE",
        "ENV LANG C.UTF-8",
    ):
        text = f"FROM aishell:foundation\nWORKDIR /app\n{env}\nCOPY . .\nRUN npm ci\n"
        found = lint_text(text, context, Options(select=["AIS101"], use_config=False)).findings
        assert [f.fix is not None for f in found] == [True], env


def _own_context(tmp_path, files: dict) -> str:
    for name, text in {
        "package.json": PKG,
        "package-lock.json": "{}\n",
        "requirements.txt": "flask\n",
        **files,
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return str(tmp_path / "Dockerfile")


_RC_KEYS = ["cafile", "certfile", "keyfile", "userconfig", "globalconfig", "//r.example.com/:certfile"]


@pytest.mark.parametrize("rc, form", [(".npmrc", "{k}={v}"), (".npmrc", "{k} = {v}"), (".yarnrc", '{k} "{v}"')])
def test_a_relative_path_in_an_rc_file_means_no_fix(tmp_path, rc, form):
    bad = []
    for k, v in itertools.product(_RC_KEYS, ("ca.pem", "certs/ca.pem", "./ca.pem")):
        d = tmp_path / f"{k.replace('/', '_')}-{v.replace('/', '_')}"
        d.mkdir()
        path = _own_context(d, {rc: form.format(k=k, v=v) + "\n", "ca.pem": "\n", "certs/ca.pem": "\n"})
        for run in ("yarn install",) if rc == ".yarnrc" else ("npm ci", "yarn install"):
            if _fixed(path, run):
                bad.append((rc, k, v, run))
    assert not bad, (len(bad), bad[:5])
    # A URL is no file: `registry=https://…` keeps the fix.
    path = _own_context(tmp_path / "url", {".npmrc": "registry=https://r.example.com/\n"})
    assert _fixed(path, "npm ci")


@pytest.mark.parametrize(
    "files",
    [
        {"package.json": '{"pnpm": {"patchedDependencies": {"lodash@4.17.21": "patches/l.patch"}}}'},
        {"package.json": '{"patchedDependencies": {"lodash@4.17.21": "patches/l.patch"}}'},
        {"pnpm-workspace.yaml": "patchedDependencies:\n  lodash@4.17.21: patches/l.patch\n"},
    ],
)
@pytest.mark.parametrize("run", ["pnpm install --frozen-lockfile", "bun install", "npm ci"])
def test_patch_files_a_node_install_reads_mean_no_fix(tmp_path, files, run):
    if "pnpm-workspace.yaml" in files and not run.startswith("pnpm"):
        pytest.skip("only pnpm reads pnpm-workspace.yaml")
    files = {**files, "patches/l.patch": "\n", "pnpm-lock.yaml": "\n", "bun.lock": "\n"}
    assert not _fixed(_own_context(tmp_path, files), run)


@pytest.mark.parametrize(
    "files, fixed",
    [
        ({"uv.toml": "[[index]]\nurl = 'https://x'\n"}, False),
        ({"pyproject.toml": "[tool.uv]\nindex-url = 'https://x'\n"}, False),
        ({"pyproject.toml": "[tool.uv.sources]\nx = { path = 'x' }\n"}, False),
        ({"pyproject.toml": "[project]\nname = 'x'\n"}, True),
        ({}, True),
    ],
)
@pytest.mark.parametrize("run", ["uv pip install -r requirements.txt", "uv pip install --system -r requirements.txt"])
def test_uv_pip_reads_uv_config(tmp_path, files, fixed, run):
    assert _fixed(_own_context(tmp_path, files), run) is fixed


@pytest.mark.parametrize(
    "flag",
    ["--exclude=.npmrc", "--exclude=.npm*", "--exclude=**/.npmrc", "--exclude=/.npmrc", "--chown=1:1 --exclude=*rc"],
)
def test_a_broad_copy_excluding_a_file_the_fix_copies_gives_no_fix(tmp_path, flag):
    path = _own_context(tmp_path, {".npmrc": "//r/:_authToken=secret\n"})
    assert not _fixed(path, "npm ci", f"COPY {flag} . .")
    assert _fixed(path, "npm ci", "COPY --exclude=*.md . .")  # (nothing the fix copies: kept)


# -- 7. a stranger's review of class 6: the environment from elsewhere, stems, and its cost --------

_SPELLED_STEMS = ["/ap$P/ca.pem", "/ap*/ca.pem", "/ap\\p/ca.pem", "/a?p/ca.pem", "/${D}pp/ca.pem"]


def test_a_path_whose_stem_may_reach_the_destination_means_no_fix(context):
    bad = [p for p in _SPELLED_STEMS if _fixed(context, f"npm ci --cafile {p}")]
    assert not bad, bad


_ENVIRONMENTS = [
    # (lines before the stage's WORKDIR, lines in the stage before it)
    ("FROM aishell:foundation AS base\nENV PIP_CONSTRAINT=constraints.txt\n", "FROM base\n"),
    ("FROM aishell:foundation AS base\nENV PIP_CERT=/app/ca.pem\n", "FROM base AS mid\nFROM mid\n"),
    ("ARG PIP_CONSTRAINT=constraints.txt\n", "FROM aishell:foundation\nARG PIP_CONSTRAINT\n"),
    ("ARG PIP_CERT=/app/ca.pem\n", "FROM aishell:foundation\nARG PIP_CERT\n"),
    ("", "FROM aishell:foundation\nARG C=constraints.txt\nENV PIP_CONSTRAINT=$C\n"),
    ("", "FROM aishell:foundation\nENV PIP_CONSTRAINT=${X:-constraints.txt}\n"),
    ("", "FROM aishell:foundation\nENV PIP_FIND_LINKS=wheels PIP_NO_INDEX=1\n"),
]


def test_the_environment_from_a_base_stage_a_global_arg_or_an_expansion_means_no_fix(context):
    bad = []
    for before, stage in _ENVIRONMENTS:
        text = f"{before}{stage}WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
        found = lint_text(text, context, Options(select=["AIS101"], use_config=False)).findings
        if any(f.fix is not None for f in found):
            bad.append(text)
    assert not bad, (len(bad), bad[:2])


def test_a_base_stage_without_such_an_environment_keeps_the_fix(context):
    text = "FROM aishell:foundation AS base\nENV LANG=C.UTF-8\nFROM base\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
    found = lint_text(text, context, Options(select=["AIS101"], use_config=False)).findings
    assert [f.fix is not None for f in found] == [True]


@pytest.mark.parametrize("line", ["save-prefix=~", "scripts-prepend-node-path=true", "tag-version-prefix=v"])
def test_rc_keys_that_name_no_file_keep_the_fix(tmp_path, line):
    assert _fixed(_own_context(tmp_path, {".npmrc": line + "\n"}), "npm ci")


def test_uv_pip_reading_requirements_from_above_gives_no_fix(tmp_path):
    path = _own_context(tmp_path, {"svc/x": "\n"})
    text = (
        "FROM aishell:foundation\nWORKDIR /app/svc\nCOPY . /app\nRUN uv pip install --system -r ../requirements.txt\n"
    )
    found = lint_text(text, path, Options(select=["AIS101"], use_config=False)).findings
    assert not any(f.fix is not None for f in found)


def test_many_envs_and_installs_stay_linear(context):
    """Every ENV was held against every install (4,000 of each: 32 s); now once per destination."""
    import time

    n = 4000
    text = "FROM aishell:foundation\nWORKDIR /app\n" + "".join(f"ENV PIP_X{i}=/opt/x{i}\n" for i in range(n))
    text += "COPY . .\n" + "".join(f"RUN pip install -r requirements.txt && echo {i}\n" for i in range(n))
    t = time.process_time()
    found = lint_text(text, context, Options(select=["AIS101"], use_config=False)).findings
    assert found and time.process_time() - t < 15  # (about 1 s linear; minutes quadratic)
