"""Projects in the original aishell's config schema: lint reports and goes on, migrate rewrites
losslessly and idempotently, the migrated config loads to the same run settings."""

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell import config as config_mod
from aishell.config_migrate import _comments, _normal, migrate_config_text
from aishell.legacy_config import KEPT_ASIDE, LEGACY_KEYS, MOVED, plan, translate
from tests.conftest import run_cli

# Every key of the original's schema, in both of its forms where it has two, comments in between.
ORIGINAL = """\
# acme: config of the original aishell

# inherit ~/.aishell/config.yaml
extends: global

# =====
# MOUNTS
# =====
mounts:
  - $HOME/.m2                 # maven cache
  - ~/.cache/uv
  - ~/data:/data:ro
# env: literal and pass-through
env:
  DEBUG: "true"   # literal
  T20_TOKEN:          # pass-through
ports:
  - "8080:8080"
  - "127.0.0.1:5432:5432"
  - "9090:9090/udp"
docker_args: "--memory=512m --hostname=acme"
pre_start:
  - "echo started > $HOME/pre.txt"
  # a second step
  - "echo second >> $HOME/pre.txt"
harness_args:
  claude: ["--model", "sonnet"]
  # pi is not an aishell harness
  pi:
    - --print
  codex: --verbose
claude_isolation: project
claude_shared_paths:
  - my-tool
detection:
  enabled: true
  custom_patterns:
    "*.secret": {severity: high, reason: "project secret"}
  allowlist:
    - path: .env.ci
      reason: CI template
gitleaks_freshness_check: false
gitleaks_freshness_threshold: 14
update_check:
  enabled: false
pi_packages: [pi-plugin]
# end
"""


def aishell(*args, cwd, env=None):
    return run_cli(*args, cwd=cwd, env=env)


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".aishell").mkdir()
    (tmp_path / ".aishell" / "config.yaml").write_text(ORIGINAL)
    (tmp_path / ".aishell" / "Dockerfile").write_text("FROM aishell:base\nRUN echo hi\n")
    return tmp_path


@pytest.fixture
def user_env(tmp_path):
    """An empty user config folder, so the host's never leaks in."""
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    return {"XDG_CONFIG_HOME": str(xdg), "HOME": str(tmp_path / "home"), "XDG_STATE_HOME": str(tmp_path / "state")}


def _trust(path, monkeypatch, user_env):
    """`aishell trust` for the project's config (privileged keys count only then: aishell.trust)."""
    from aishell import trust

    monkeypatch.setenv("XDG_STATE_HOME", user_env["XDG_STATE_HOME"])
    trust.trust(str(path))


def test_the_fixture_covers_every_key():
    assert set(yaml.safe_load(ORIGINAL)) == set(LEGACY_KEYS)


def test_lint_reports_each_key_and_goes_on_with_the_dockerfile(project, user_env):
    r = aishell("lint", "--format", "json", cwd=project, env=user_env)
    assert r.returncode == 1, r.stderr
    import json

    found = json.loads(r.stdout)
    by_code = {}
    for f in found:
        by_code.setdefault(f["code"], []).append(f)
    assert len(by_code["AIS201"]) == len(MOVED)
    assert len(by_code["AIS202"]) == len(KEPT_ASIDE)
    assert by_code["AIS001"], "the Dockerfile is still linted"
    assert "unknown key" not in r.stderr and "Traceback" not in r.stderr


def test_build_and_status_read_the_original_schema_with_one_warning(project, user_env, monkeypatch, capsys):
    from aishell import run_config

    monkeypatch.setattr(config_mod, "_cache", {})
    monkeypatch.setattr(run_config, "_warned", set())
    monkeypatch.setattr(run_config, "QUIET", False)
    monkeypatch.setenv("XDG_CONFIG_HOME", user_env["XDG_CONFIG_HOME"])
    _trust(project / ".aishell" / "config.yaml", monkeypatch, user_env)
    cfg = config_mod.load_config(str(project))
    assert cfg.run["mounts"] == ["$HOME/.m2", "~/.cache/uv", "~/data:/data:ro"]
    assert cfg.run["env"] == {"DEBUG": "true", "T20_TOKEN": None}
    assert cfg.run["docker_args"] == ["--memory=512m", "--hostname=acme"]
    assert cfg.run["pre_start"] == "echo started > $HOME/pre.txt && echo second >> $HOME/pre.txt"
    assert cfg.run["harness_args"] == {"claude": ["--model", "sonnet"], "codex": ["--verbose"]}
    assert cfg.run["isolation"] == "project"
    assert cfg.run["detection"]["allowlist"] == [".env.ci"]
    monkeypatch.setattr(config_mod, "_cache", {})
    config_mod.load_config(str(project))
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "original aishell's schema" in line]
    assert len(warnings) == 1 and "aishell migrate --write" in warnings[0], err


def test_migrate_shows_a_diff_then_writes_then_has_nothing_left(project, user_env):
    cfg = project / ".aishell" / "config.yaml"
    r = aishell("migrate", cwd=project, env=user_env)
    assert r.returncode == 1 and "+run:" in r.stdout and "+legacy:" in r.stdout, r.stdout + r.stderr
    assert cfg.read_text() == ORIGINAL
    r = aishell("migrate", "--write", cwd=project, env=user_env)
    assert r.returncode == 0, r.stderr
    new = cfg.read_text()
    assert _comments(new) == _comments(ORIGINAL)
    data = yaml.safe_load(new)
    assert set(data) == {"run", "legacy"}
    assert data["legacy"]["harness_args"] == {"pi": ["--print"]}
    r = aishell("migrate", "--write", cwd=project, env=user_env)
    assert cfg.read_text() == new, "a second migrate changes nothing"
    r = aishell("lint", cwd=project, env=user_env)
    assert "AIS2" not in r.stdout


def test_migrated_config_loads_to_the_same_run_settings(project, user_env, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", user_env["XDG_CONFIG_HOME"])
    monkeypatch.setattr(config_mod, "_cache", {})
    cfg = project / ".aishell" / "config.yaml"
    _trust(cfg, monkeypatch, user_env)
    before = config_mod.load_config(str(project)).run
    assert before["mounts"] and before["ports"]
    cfg.write_text(migrate_config_text(ORIGINAL, str(cfg))[0])
    _trust(cfg, monkeypatch, user_env)
    monkeypatch.setattr(config_mod, "_cache", {})
    assert config_mod.load_config(str(project)).run == before


def test_global_config_migrates_into_the_user_config_on_request(tmp_path, user_env):
    home = tmp_path / "home"
    (home / ".aishell").mkdir(parents=True)
    (home / ".aishell" / "config.yaml").write_text("# my defaults\nmounts:\n  - ~/.gitconfig\nenv:\n  EDITOR:\n")
    target = tmp_path / "xdg" / "aishell" / "config.yaml"
    r = aishell("migrate", "--global", cwd=tmp_path, env=user_env)
    assert r.returncode == 1 and "/dev/null" in r.stdout and not target.exists()
    r = aishell("exec", "--", "true", cwd=tmp_path, env={**user_env, "DOCKER_HOST": "tcp://127.0.0.1:9"})
    assert "is not read here: `aishell migrate --global --write`" in r.stderr, r.stderr
    r = aishell("migrate", "--global", "--write", cwd=tmp_path, env=user_env)
    assert r.returncode == 0, r.stderr
    assert target.read_text() == "run:\n  # my defaults\n  mounts:\n    - ~/.gitconfig\n  env:\n    EDITOR:\n"
    assert (home / ".aishell" / "config.yaml").exists()
    r = aishell("migrate", "--global", "--write", cwd=tmp_path, env=user_env)
    assert r.returncode == 2 and "already exists" in r.stderr and len(r.stderr.splitlines()) == 1


def test_user_config_merges_under_the_project_the_originals_way(tmp_path, user_env, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", user_env["XDG_CONFIG_HOME"])
    user = tmp_path / "xdg" / "aishell" / "config.yaml"
    user.parent.mkdir(parents=True)
    user.write_text(
        "run:\n  mounts: [~/.gitconfig]\n  env: {A: '1', B: '1'}\n  harness_args: {claude: [--verbose]}\n"
        "  pre_start: echo user\n  docker_args: [--cpus=1]\n"
    )
    (tmp_path / "p" / ".aishell").mkdir(parents=True)
    (tmp_path / "p" / ".aishell" / "config.yaml").write_text(
        "mounts: [~/data]\nenv: {B: '2'}\nharness_args: {claude: [--model, x]}\npre_start: echo project\ndocker_args: --cpus=2\n"
    )
    monkeypatch.setattr(config_mod, "_cache", {})
    run = config_mod.load_config(str(tmp_path / "p")).run
    assert run["mounts"] == ["~/.gitconfig"], "untrusted, the project's mounts are left out; the user's stay"
    _trust(tmp_path / "p" / ".aishell" / "config.yaml", monkeypatch, user_env)
    monkeypatch.setattr(config_mod, "_cache", {})
    run = config_mod.load_config(str(tmp_path / "p")).run
    assert run["mounts"] == ["~/.gitconfig", "~/data"]
    assert run["env"] == {"A": "1", "B": "2"}
    assert run["harness_args"] == {"claude": ["--verbose", "--model", "x"]}
    assert run["pre_start"] == "echo project"
    assert run["docker_args"] == ["--cpus=2"]  # aishell's rule: the project's list replaces the user's
    (tmp_path / "p" / ".aishell" / "config.yaml").write_text("extends: none\nmounts: [~/data]\n")
    _trust(tmp_path / "p" / ".aishell" / "config.yaml", monkeypatch, user_env)
    monkeypatch.setattr(config_mod, "_cache", {})
    run = config_mod.load_config(str(tmp_path / "p")).run
    assert run["mounts"] == ["~/data"] and "env" not in run


@pytest.mark.parametrize(
    "bad,message",
    [
        ("ports: ['80']\n", "host:container"),
        ("ports: ['99999:80']\n", "not a port number"),
        ("mounts: ['a:b']\n", "must be absolute"),
        *(
            (f"{top}mounts: {v}\n", "run.mounts must be a list of paths")
            for top in ("", "run:\n  ")
            for v in ("5", "[5]", "[~/a, 7]", "1.5", "true", "[null]", "{a: b}", "[[a]]")
        ),
        ("harness_args: {claude: {x: 1}}\n", "harness_args"),
        ("detection: {allowlist: [{reason: x}]}\n", "needs a path"),
        ("extends: sometimes\n", "run.extends"),
    ],
)
def test_bad_original_values_are_one_line_exit_2(tmp_path, user_env, bad, message):
    (tmp_path / ".aishell").mkdir()
    (tmp_path / ".aishell" / "config.yaml").write_text(bad)
    r = aishell("exec", "--dry-run", "--", "true", cwd=tmp_path, env=user_env)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, r.stderr


# -- the class: any original-schema config, with comments anywhere between keys --------------

_word = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_./", min_size=1, max_size=12)
_comment = st.text("abcdefghij klmnop:#-=", max_size=20).map(lambda s: "# " + s.strip())
_scalar = st.one_of(_word, st.integers(0, 99), st.booleans())
_values = {
    "extends": st.sampled_from(["global", "none"]),
    "mounts": st.lists(st.sampled_from(["~/.m2", "$HOME/.cache", "/srv/x:/x", "~/a:/a:ro"]), max_size=3),
    "env": st.one_of(
        st.dictionaries(st.from_regex(r"[A-Z][A-Z0-9_]{0,6}", fullmatch=True), st.one_of(st.none(), _word), max_size=3),
        st.lists(st.sampled_from(["A=1", "B", "C=x y"]), max_size=3),
    ),
    "ports": st.lists(st.sampled_from(["8080:80", "127.0.0.1:5432:5432", "9090:9090/udp"]), max_size=3),
    "docker_args": st.one_of(
        st.sampled_from(["--cpus=2 --memory=4g", "--gpus=all"]),
        st.lists(st.sampled_from(["--cpus=1", "--init"]), max_size=2),
    ),
    "pre_start": st.one_of(_word, st.lists(_word, max_size=3)),
    "harness_args": st.dictionaries(
        st.sampled_from(["claude", "codex", "gemini", "opencode", "pi", "vscode"]),
        st.one_of(_word, st.lists(_word, max_size=2)),
        max_size=3,
    ),
    "claude_isolation": st.sampled_from(["shared", "project"]),
    "claude_shared_paths": st.lists(_word, max_size=2),
    "detection": st.fixed_dictionaries(
        {"enabled": st.booleans()},
        optional={"allowlist": st.lists(st.fixed_dictionaries({"path": _word, "reason": _word}), max_size=2)},
    ),
    "gitleaks_freshness_check": st.booleans(),
    "gitleaks_freshness_threshold": st.integers(1, 30),
    "update_check": st.fixed_dictionaries({"enabled": st.booleans()}),
    "pi_packages": st.lists(_word, max_size=2),
    "lint": st.just({"ignore": ["AIS101"]}),
    "run": st.fixed_dictionaries({}, optional={"sudo": st.just(False), "env": st.just({"Z": "1"})}),
    "legacy": st.fixed_dictionaries({}, optional={"note": st.just("kept")}),
}
# An empty section as a file may spell it: keys moved into it must still load.
_EMPTY_SECTION = ["{key}: {{}}\n", "{key}:\n", "{key}: ~\n", "{key}: null  # none yet\n", "{key}: !!null\n"]


@st.composite
def original_configs(draw):
    keys = draw(st.lists(st.sampled_from(sorted(_values)), unique=True, min_size=1, max_size=10))
    out = []
    if draw(st.booleans()):
        out.append(draw(_comment) + "\n\n")
    for key in keys:
        value = draw(_values[key])
        for _ in range(draw(st.integers(0, 2))):
            out.append(draw(_comment) + "\n")
        if key in ("run", "legacy") and not value:
            dumped = draw(st.sampled_from(_EMPTY_SECTION)).format(key=key)
        elif isinstance(value, (dict, list)) and value and draw(st.booleans()):
            dumped = f"{key}: {yaml.safe_dump(value, default_flow_style=True, width=1000).strip()}\n"
        else:
            dumped = yaml.safe_dump({key: value}, default_flow_style=False, sort_keys=False, width=1000)
        lines = dumped.splitlines(True)
        if len(lines) > 2 and draw(st.booleans()):  # a comment inside the value, at its indentation
            indent = len(lines[1]) - len(lines[1].lstrip())
            lines.insert(2, " " * indent + draw(_comment) + "\n")
        out.extend(lines)
        if draw(st.booleans()):
            out.append("\n")
    text = "".join(out)
    # Document markers: a start (`---`, after a directive or not) and an end (`...`, with a
    # comment after it or not), which no moved key may take along.
    text = draw(st.sampled_from(["", "", "---\n", "%YAML 1.1\n---\n"])) + text
    if draw(st.integers(0, 3)) == 0:
        text += ("" if text.endswith("\n") else "\n") + draw(
            st.sampled_from(["...\n", "... # end\n", "...\n# after\n"])
        )
    if draw(st.integers(0, 3)) == 0 and text.endswith("\n"):  # the last line without a line break
        text = text[:-1]
    if draw(st.integers(0, 4)) == 0:  # a Windows editor's file
        text = "\ufeff" + text.replace("\n", "\r\n")
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(original_configs())
def test_migrate_is_lossless_and_idempotent_on_any_original_config(text):
    data = yaml.safe_load(text)
    new, moves = migrate_config_text(text, "config.yaml")
    if not plan(data):
        assert new == text
        return
    assert _normal(yaml.safe_load(new)) == _normal(translate(data)[0])
    assert _comments(new) == _comments(text)
    assert not plan(yaml.safe_load(new))
    assert new.startswith("\ufeff") == text.startswith("\ufeff") and ("\r\n" in new) == ("\r\n" in text)
    # A last line without a line break stays so, moved or not (it gained one: red team r74).
    assert new.endswith("\n") == text.endswith("\n"), (text[-40:], new[-40:])
    assert migrate_config_text(new, "config.yaml") == (new, [])
    # Lines outside the moved keys are unchanged: aishell's own sections keep their text.
    for key in ("lint",):
        if key in data:
            assert yaml.safe_dump({key: data[key]}).splitlines()[0] in new


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(original_configs())
def test_a_migration_composes_each_text_it_reads_once(text):
    """Each step of the migration loads the text it is given, and a step that changes nothing
    hands the next the same text: it is read once (a 150 KB config was composed ten times and
    loaded seven: 5 s). The texts read are kept for one file only."""
    from collections import Counter

    from aishell import config_migrate

    composed = Counter()
    real = yaml.compose
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(yaml, "compose", lambda t, *a, **k: composed.update([t]) or real(t, *a, **k))
        migrate_config_text(text, "config.yaml")
    assert composed and max(composed.values()) == 1, composed
    assert not config_migrate._LOADED


# -- the run: mounts, ports, pre_start, harness_args as data (no engine) -----------------------


def _spec(tmp_path, **kw):
    from aishell.runner.spec import Host, Options, build_spec

    home = tmp_path / "home"
    (home / ".m2").mkdir(parents=True, exist_ok=True)
    h = Host(1234, 2345, str(home), str(tmp_path), {}, {})
    opts = Options("claude", "claude", ["-p", "hi"], {}, **kw)
    return build_spec(
        h, str(tmp_path / "p"), "sha256:abc", "vol", {"claude": "1"}, opts, str(tmp_path / "s"), False, False, False
    )


def test_mounts_expand_home_keep_ro_and_skip_what_is_missing(tmp_path):
    from aishell.runner.spec import Mount

    s = _spec(tmp_path, mounts=("$HOME/.m2", "~/.m2:/m2:ro", "~/missing"))
    home = str(tmp_path / "home")
    assert Mount("bind", f"{home}/.m2", f"{home}/.m2") in s.mounts
    assert Mount("bind", f"{home}/.m2", "/m2", True) in s.mounts
    assert any("missing does not exist" in n for n in s.notes)


def test_a_mount_source_is_resolved_at_run_time_and_may_not_leave_the_project(tmp_path):
    """A trusted ``./cache:/cache``; the agent replaces ``cache`` with a symlink to ~/.ssh."""
    from aishell.errors import InputError
    from aishell.runner.spec import Mount

    home, p = tmp_path / "home", tmp_path / "p"
    (home / ".ssh").mkdir(parents=True)
    (p / "real-cache").mkdir(parents=True)
    (p / "cache").symlink_to(home / ".ssh")
    for entry in ("./cache:/cache", "cache:/cache:ro", f"{p}/cache:/cache", "./cache/../cache"):
        with pytest.raises(InputError, match="outside the project") as e:
            _spec(tmp_path, mounts=(entry,))
        assert "\n" not in str(e.value)
    (p / "cache").unlink()
    (p / "cache").symlink_to("real-cache")  # inside the project: mounted, by its real path
    assert Mount("bind", str(p / "real-cache"), "/cache") in _spec(tmp_path, mounts=("./cache:/cache",)).mounts
    (home / "data").symlink_to("/")  # a user's mount outside the project: its real path, warned about
    s = _spec(tmp_path, mounts=("~/data:/data:ro",))
    assert Mount("bind", "/", "/data", True) in s.mounts
    assert any("warning: run.mounts gives the container / read-only" in n for n in s.notes)


@pytest.mark.parametrize("target", ["/", "/opt/harness", "/opt/harness/bin", "/proc/x", "/etc"])
def test_a_mount_over_what_aishell_needs_is_refused(tmp_path, target):
    from aishell.errors import InputError

    with pytest.raises(InputError, match="would cover"):
        _spec(tmp_path, mounts=(f"~/.m2:{target}",))


def test_ports_bind_to_localhost_unless_an_address_is_given(tmp_path):
    s = _spec(tmp_path, ports=("8080:80", "0.0.0.0:5432:5432", "9090:9090/udp", "[::1]:7000:7000"))
    argv = s.argv()[: s.argv().index(s.image)]
    published = [argv[i + 1] for i, a in enumerate(argv) if a == "-p"]
    assert published == ["127.0.0.1:8080:80", "0.0.0.0:5432:5432", "127.0.0.1:9090:9090/udp", "[::1]:7000:7000"]


def test_pre_start_runs_through_a_wrapper_and_its_text_is_not_in_argv(tmp_path):
    s = _spec(tmp_path, pre_start="redis-server --daemonize yes")
    assert s.command[:2] == ["sh", "-c"] and s.command[-3:] == ["claude", "-p", "hi"]
    assert "redis-server" not in s.display() and "AISHELL_PRE_START" in s.argv()
    assert s.child_env["AISHELL_PRE_START"] == "redis-server --daemonize yes"


@pytest.fixture
def project_with_config(tmp_path):
    def make(text):
        (tmp_path / "pp" / ".aishell").mkdir(parents=True)
        (tmp_path / "pp" / ".aishell" / "config.yaml").write_text(text)
        return tmp_path / "pp"

    return make


# -- sensitive files ---------------------------------------------------------------------------


def test_detection_names_planted_secrets_and_honours_the_allowlist(tmp_path):
    from aishell.detection import scan, warning

    for rel in (
        ".env",
        ".env.ci",
        ".env.example",
        "keys/id_ed25519",
        "certs/server.pem",
        "cfg/.aws/credentials",
        "node_modules/x/.env",
        "src/app.py",
        "data/prod.secret",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    det = {"enabled": True, "custom_patterns": [["*.secret", "project secret"]], "allowlist": [".env.ci"]}
    assert [r for r, _ in scan(str(tmp_path), det)] == [
        ".env",
        "certs/server.pem",
        "cfg/.aws/credentials",
        "data/prod.secret",
        "keys/id_ed25519",
    ]
    assert scan(str(tmp_path), {"enabled": False}) == []
    assert ".env (environment file)" in warning(str(tmp_path), det)


def test_a_run_warns_about_a_planted_env_before_anything_starts(project_with_config, user_env):
    proj = project_with_config("detection:\n  allowlist:\n    - path: ok.key\n      reason: test key\n")
    (proj / ".env").write_text("TOKEN=x\n")
    (proj / "ok.key").write_text("x\n")
    r = aishell("exec", "--", "true", cwd=proj, env={**user_env, "DOCKER_HOST": "tcp://127.0.0.1:9"})
    assert r.returncode == 2 and "run.detection.allowlist" in r.stderr, "an allowlist hides secrets: it needs trust"
    assert aishell("trust", cwd=proj, env=user_env).returncode == 0
    # The warning comes before the engine is asked for anything (here: none answers).
    r = aishell("exec", "--", "true", cwd=proj, env={**user_env, "DOCKER_HOST": "tcp://127.0.0.1:9"})
    assert r.returncode == 3
    line = [x for x in r.stderr.splitlines() if "sensitive files" in x]
    assert len(line) == 1 and ".env (environment file)" in line[0] and "ok.key" not in line[0], r.stderr


# -- the original's command names --------------------------------------------------------------

NO_ENGINE = {"DOCKER_HOST": "tcp://127.0.0.1:9"}


@pytest.mark.parametrize(
    "argv,new,code",
    [
        (["setup", "--bogus"], "`aishell build`", 2),
        (["check"], "`aishell doctor`", 3),
        (["ps"], "`aishell status`", 3),
        (["volumes", "prune", "--dry-run"], "`aishell prune`", 3),
        (["doctor", "prune-volumes", "--dry-run"], "`aishell prune`", 3),
    ],
)
def test_the_originals_commands_name_aishells_and_run_it(tmp_path, user_env, argv, new, code):
    r = aishell(*argv, cwd=tmp_path, env={**user_env, **NO_ENGINE})
    notice = [
        x
        for x in r.stderr.splitlines()
        if x.startswith(f"aishell: `aishell {' '.join(a for a in argv if not a.startswith('-'))}` is")
    ]
    assert len(notice) == 1 and new in notice[0], r.stderr
    assert r.returncode == code, r.stderr  # aishell's command ran: its own exit code (3: no engine here)


# -- the original's state ----------------------------------------------------------------------

_edn_scalar = st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.text(max_size=12))


def _edn(v) -> str:
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + " ".join(_edn(x) for x in v) + "]"
    return "{" + ", ".join(f"{k} {_edn(x)}" for k, x in v.items()) + "}"


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r":[a-z][a-z0-9-]{0,10}", fullmatch=True),
        st.one_of(_edn_scalar, st.lists(_edn_scalar, max_size=3)),
        max_size=8,
    )
)
def test_the_edn_reader_reads_what_pr_str_writes(data):
    from aishell.legacy_state import read_edn

    assert read_edn(_edn(data)) == data


def test_the_first_build_offers_the_originals_harness_versions(tmp_path, user_env):
    home = tmp_path / "home"
    (home / ".aishell").mkdir(parents=True)
    (home / ".aishell" / "state.edn").write_text(
        '{:with-claude true, :with-opencode false, :with-codex true, :with-gemini false, :claude-version "2.0.22", '
        ':codex-version nil, :image-tag "aishell:foundation", :build-time "2026-01-20T10:00:00Z", '
        ':harness-volume-hash "def789ghi012"}'
    )
    (tmp_path / "p" / ".aishell").mkdir(parents=True)
    (tmp_path / "p" / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    env = {**user_env, **NO_ENGINE, "XDG_STATE_HOME": str(tmp_path / "state")}
    r = aishell("build", cwd=tmp_path / "p", env=env)
    assert "original aishell had selected (claude 2.0.22, codex latest" in r.stderr, r.stderr
    r = aishell("build", "--with-gemini", cwd=tmp_path / "p", env=env)
    assert "original aishell" not in r.stderr
    (home / ".aishell" / "state.edn").write_text('{:with-claude #inst "2026"')
    r = aishell("build", cwd=tmp_path / "p", env=env)
    assert "is not readable here" in r.stderr and "Traceback" not in r.stderr


# -- the foundation contract (AIS004): the class of calls and of installs --------------------

_INSTALLS = [
    "RUN curl -fsSL https://example.com/{c} -o /usr/local/bin/{c} && chmod +x /usr/local/bin/{c}",
    "COPY --from=example/{c}:1 /{c} /usr/local/bin/",
    "RUN pip install {c}",
    "RUN ln -s /opt/tools/bin/{c} /usr/local/bin/{c}",
    "RUN curl -fsSL https://example.com/t.tgz | tar -xz -C /usr/local/bin {c}",
]
_CALLS = [
    "RUN {c} --version",
    "RUN apt-get update && {c} run x",
    "RUN sh -c '{c} x'",
    "RUN sudo {c} x",
    "RUN env A=1 {c} x",
    "RUN set -e; \\\n    {c} x",
]
_BASES = ["FROM aishell:foundation", "FROM aishell:base", "FROM aishell:foundation AS b\nFROM b"]


def _ais004(text, tmp_path):
    from aishell.lint import Options, lint_text

    path = tmp_path / "Dockerfile"
    path.write_text(text)
    return lint_text(text, str(path), Options(select=["AIS004"], use_config=False)).findings


@pytest.mark.parametrize("command", ["bb", "bbin", "cue", "uv", "uvx", "gitleaks", "java"])
def test_ais004_flags_every_call_form_unless_installed_first(command, tmp_path):
    for base in _BASES:
        for call in _CALLS:
            text = f"{base}\n{call.format(c=command)}\n"
            found = _ais004(text, tmp_path)
            assert len(found) == 1 and text[found[0].start : found[0].end] == command, text
            for install in _INSTALLS:
                installed = f"{base}\n{install.format(c=command)}\n{call.format(c=command)}\n"
                assert _ais004(installed, tmp_path) == [], installed


def test_ais004_leaves_what_the_foundation_provides_and_other_bases(tmp_path):
    from aishell.foundation_manifest import provided

    for command in sorted(provided()):
        assert _ais004(f"FROM aishell:foundation\nRUN {command} --version\n", tmp_path) == []
    assert _ais004("FROM python:3.12\nRUN uv sync\n", tmp_path) == []


def test_a_project_with_only_a_config_lints_and_migrates_it(tmp_path, user_env):
    (tmp_path / ".aishell").mkdir()
    (tmp_path / ".aishell" / "config.yaml").write_text("env:\n  EDITOR:\n")
    r = aishell("lint", cwd=tmp_path, env=user_env)
    assert r.returncode == 1 and "AIS201" in r.stdout, r.stdout + r.stderr
    r = aishell("migrate", "--write", cwd=tmp_path, env=user_env)
    assert r.returncode == 0 and (tmp_path / ".aishell" / "config.yaml").read_text() == "run:\n  env:\n    EDITOR:\n"


# -- a config that ends without a line break, in a block scalar, still migrates -------------------
#
# The class (red team r4): a moved entry's lines end with a line break wherever they land, and a
# block scalar (`|`, `>`) that ended the file without one gained it in its value ("clip" keeps a
# final line break when there is one): a common `pre_start: |` config was refused with "please
# report this". Generated: style x indentation indicator x chomping x where the scalar sits x
# what comes before x line endings x BOM x a comment on the header. A clip scalar becomes
# strip (the same value, ended); keep cannot be kept and is one clear line; every other config
# loads to the same settings after the rewrite, with no original-schema key left.

import itertools  # noqa: E402

BLOCK_SPOTS = [
    "pre_start: {h}\n  echo hi\n  echo two",
    "env:\n  FOO: {h}\n    a",
    "harness_args:\n  claude:\n    - {h}\n      --x",
]
BEFORE = ["", "mounts:\n  - /a\n", "# a comment\nbuild:\n  harnesses: [claude]\n"]


@pytest.mark.parametrize(
    "style,indicator,chomp,spot,before,ending,comment",
    list(itertools.product("|>", ["", "2"], ["", "-", "+"], BLOCK_SPOTS, BEFORE, ["lf", "crlf", "bom"], ["", " # c"])),
)
def test_a_block_scalar_ending_the_file_migrates(style, indicator, chomp, spot, before, ending, comment):
    from aishell.errors import InputError

    crlf, bom = ending == "crlf", "\ufeff" if ending == "bom" else ""
    header = style + indicator + chomp + comment
    body = before + spot.format(h=header)
    if indicator:  # an explicit indentation: the content one space further in than it says
        body = (
            body.replace("\n  echo", "\n   echo").replace("\n    a", "\n     a").replace("\n      --x", "\n       --x")
        )
    text = bom + (body.replace("\n", "\r\n") if crlf else body)
    try:
        want = translate(yaml.safe_load(text.lstrip("\ufeff")))[0]
    except yaml.YAMLError:
        return  # (not YAML: not this class)
    try:
        new, _ = migrate_config_text(text, "c.yaml")
    except InputError as e:
        assert chomp == "+" and "\n" not in str(e) and "please report" not in str(e), e
        return
    got = yaml.safe_load(new.lstrip("\ufeff"))
    assert _normal(got) == _normal(want)
    assert not plan(got) and new.startswith(bom) and ("\r\n" in new) == crlf


# -- anchors and aliases across the keys migrate moves --------------------------------------------
#
# The class (issue 18, round two): migrate rewrites an original-schema config by moving key
# blocks into run: and legacy:. A value anchored in one key (`&a`) and aliased in another (`*a`)
# can end up before its anchor, or the anchor moved out with a harness kept aside; the next load
# of the migration's own text failed, and the file was blamed: "invalid YAML (line 4): found
# undefined alias" for a file that loads. Generated: three keys of every kind (moved to run:, kept
# aside, aishell's own, a harness aside) in every order, the anchor on each. Each migrates to the
# same settings, or is one line that names the alias, never an invalid-YAML blame.

ALIAS_SLOTS = {
    "docker_args": "docker_args: {v}\n",
    "ports": "ports: {v}\n",
    "harness_args": "harness_args:\n  claude: {v}\n  pi: [p]\n",
    "pi_packages": "pi_packages: {v}\n",
    "legacy": "legacy:\n  x: {v}\n",
    "lint": "lint:\n  ignore: [AIS003]\n",
}


def test_aliases_across_moved_keys_migrate_or_say_so():
    import itertools

    from aishell.errors import InputError

    from collections import Counter

    seen = Counter()
    for n, keys in enumerate(itertools.permutations(ALIAS_SLOTS, 3)):
        for anchor in (n % 3,):  # (the anchor on each place in turn: every key holds it in some order)
            text = "".join(ALIAS_SLOTS[k].format(v='&a ["--x"]' if i == anchor else "*a") for i, k in enumerate(keys))
            if "{v}" not in "".join(ALIAS_SLOTS[k] for k in keys[anchor : anchor + 1]):
                continue  # (the anchor's key holds no value)
            try:
                yaml.safe_load(text)
            except yaml.YAMLError:
                continue  # (an alias before its anchor in the file itself)
            try:
                new, _ = migrate_config_text(text, "/p/.aishell/config.yaml")
            except InputError as e:
                assert "alias" in str(e) and "invalid YAML" not in str(e) and "\n" not in str(e), (text, e)
                seen["said"] += 1
                continue
            assert _normal(yaml.safe_load(new)) == _normal(translate(yaml.safe_load(text))[0]), (text, new)
            seen["migrated"] += 1
    assert seen["migrated"] > 20 and seen["said"] > 3, seen
