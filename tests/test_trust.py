"""aishell/trust.py without an engine: the privileged-key table, layering, the trust record,
reserved variables and the docker_args parser, over generated inputs of each class."""

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import trust
from aishell.config import clear_cache, load_config
from aishell.errors import ConfigError, InputError


@pytest.fixture
def state(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    clear_cache()
    yield tmp_path
    clear_cache()


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    clear_cache()
    return path


# -- docker_args: the class "dangerous argument", in every syntax the docker CLI accepts --------

DANGEROUS = [
    ("privileged", None),
    ("pid", "host"),
    ("network", "host"),
    ("net", "host"),
    ("ipc", "host"),
    ("uts", "host"),
    ("userns", "host"),
    ("cgroupns", "host"),
    ("cap-add", "SYS_ADMIN"),
    ("cap-add", "ALL"),
    ("device", "/dev/sda"),
    ("security-opt", "seccomp=unconfined"),
    ("security-opt", "apparmor=unconfined"),
    ("security-opt", "no-new-privileges=false"),
    ("user", "0"),
    ("entrypoint", "/bin/sh"),
    ("volume", "/:/host"),
    ("volume", "/:/host:ro"),
    ("volume", "/var/run/docker.sock:/s"),
    ("mount", "type=bind,source=/,target=/host"),
    ("mount", "type=bind,src=/var/run/docker.sock,dst=/s"),
    ("volumes-from", "other"),
    ("group-add", "0"),
]
SAFE = [
    ("memory", "8g"),
    ("cpus", "2"),
    ("label", "a=b"),
    ("hostname", "box"),
    ("add-host", "x:127.0.0.1"),
    ("shm-size", "1g"),
    ("ulimit", "nofile=1024"),
    ("env", "LOG=1"),
    ("publish", "8080:80"),
    ("read-only", None),
    ("tmpfs", "/scratch"),
    ("volume", "cache:/cache"),
    ("init", None),
]
SHORT = {v: k for k, v in trust.SHORT.items()}


def spellings(flag, value):
    """Every way the docker CLI reads this option."""
    if value is None:
        out = [[f"--{flag}"]]
        if flag in SHORT:
            out.append([f"-{SHORT[flag]}"])
        return out
    out = [[f"--{flag}={value}"], [f"--{flag}", value]]
    if flag in SHORT:
        out += [[f"-{SHORT[flag]}", value], [f"-{SHORT[flag]}{value}"], [f"-{SHORT[flag]}={value}"]]
    return out


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DANGEROUS), st.lists(st.sampled_from(SAFE), max_size=3), st.data())
def test_every_spelling_of_a_dangerous_argument_warns_once(danger, safe, data):
    before = [a for f, v in safe for a in data.draw(st.sampled_from(spellings(f, v)))]
    args = before + data.draw(st.sampled_from(spellings(*danger)))
    parsed = trust.parse_docker_args(args)
    assert parsed[-1] == trust.DockerArg(*danger)
    warnings = trust.docker_arg_warnings(args, "/home/dev")
    assert len(warnings) == 1 and warnings[0].startswith("aishell: warning: run.docker_args --" + danger[0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SAFE), max_size=4), st.data())
def test_safe_arguments_parse_and_do_not_warn(safe, data):
    args = [a for f, v in safe for a in data.draw(st.sampled_from(spellings(f, v)))]
    assert [(a.flag, a.value) for a in trust.parse_docker_args(args)] == safe
    assert trust.docker_arg_warnings(args, "/home/dev") == []


def test_a_mount_of_home_or_a_hidden_folder_of_it_warns(tmp_path):
    home = str(tmp_path)
    for src in (home, f"{home}/.ssh", "/", os.path.dirname(home)):
        assert len(trust.docker_arg_warnings(["-v", f"{src}:/x"], home)) == 1, src
    assert trust.docker_arg_warnings(["-v", f"{home}/project-data:/x"], home) == []


@pytest.mark.parametrize(
    "args",
    [
        ["alpine"],
        ["--privileged", "sh"],
        ["--name", "x"],
        ["--rm"],
        ["-it"],
        ["-d"],
        ["--no-such-flag"],
        ["--memory"],
        ["-v"],
        ["-e", "LOCAL_UID=0"],
        ["--env=AISHELL_SUDO=1"],
        ["-eHOME=/root"],
        ["-Z"],
        ["--env-file", ".env"],
        ["--env-file=/etc/environment"],
        ["--memory=1g", "--label-file", "labels"],
        ["--label-file=labels"],
    ],
)
def test_refused_docker_args(args):
    with pytest.raises(ConfigError) as e:
        trust.parse_docker_args(args)
    assert "\n" not in str(e.value)


# -- the table ----------------------------------------------------------------------------------


def test_every_row_says_why_and_prefixes_match():
    for key, row in trust.PRIVILEGED.items():
        assert row.why and key.split(".")[0] in ("run", "build")
    assert trust.privileged("run.env.MY_TOKEN") is trust.PRIVILEGED["run.env"]
    assert trust.privileged("run.env.LD_PRELOAD") is trust.PRIVILEGED["run.env.LD_PRELOAD"]
    assert trust.privileged("run.harness_args") is None and trust.privileged("lint.select") is None
    iso = trust.privileged("run.isolation")  # issue 21: only `shared` widens the sandbox
    assert [v for v in ("host", "project", "shared") if iso.when(v, None)] == ["shared"]


@pytest.mark.parametrize(
    "name",
    [
        "LOCAL_UID",
        "LOCAL_HOME",
        "AISHELL_SUDO",
        "AISHELL_HARNESS",
        "HOME",
        "PATH",
        "CLAUDE_CONFIG_DIR",
        "CODEX_HOME",
        "SSH_AUTH_SOCK",
    ],
)
def test_reserved_variables(name):
    assert trust.reserved_env(name)
    assert not trust.reserved_env("GITHUB_TOKEN") and not trust.reserved_env("LOG_LEVEL")


# -- layering and the trust record ----------------------------------------------------------------


def project(tmp_path, text):
    root = tmp_path / "p"
    write(root / ".aishell" / "config.yaml", text)
    return root


def test_untrusted_privileged_keys_are_refused_then_trusted_then_untrusted_by_an_edit(state):
    root = project(state, "run:\n  docker_args: [--memory=1g]\n  env: [TOKEN, LOG=1]\n  isolation: project\n")
    cfg = load_config(str(root))
    assert sorted(k for k, _ in cfg.grant.refused) == ["run.docker_args", "run.env.TOKEN"]
    assert cfg.run == {"env": {"LOG": "1"}, "isolation": "project"}  # safe keys still apply
    assert cfg.grant.trust.word == "untrusted"
    with pytest.raises(trust.Untrusted) as e:
        trust.require_trust(cfg.grant, interactive=False)
    assert "run.docker_args" in str(e.value) and "aishell trust" in str(e.value) and "\n" not in str(e.value)

    trust.trust(cfg.path)
    clear_cache()
    cfg = load_config(str(root))
    assert cfg.grant.refused == [] and cfg.run["docker_args"] == ["--memory=1g"] and cfg.run["env"]["TOKEN"] is None
    assert {(k, o) for k, o, _ in cfg.grant.privileged} == {
        ("run.docker_args", "project"),
        ("run.env.TOKEN", "project"),
    }

    with open(cfg.path, "a") as f:
        f.write("# an edit\n")
    clear_cache()
    cfg = load_config(str(root))
    assert cfg.grant.trust.word == "changed since trusted" and cfg.grant.refused
    assert trust.revoke(cfg.path) and not trust.revoke(cfg.path)


def test_the_interactive_answer_records_the_trust(state):
    root = project(state, "run:\n  docker_args: [--memory=1g]\n")
    cfg = load_config(str(root))
    said = []
    assert trust.require_trust(cfg.grant, True, lambda q: True, said.append) is True
    assert any("run.docker_args" in line for line in said) and trust.trust_state(cfg.path).trusted
    cfg = load_config(str(root))
    with pytest.raises(trust.Untrusted):
        project(state, "run:\n  docker_args: [--memory=2g]\n")
        trust.require_trust(load_config(str(root)).grant, True, lambda q: False, said.append)


def test_the_user_config_is_trusted_layered_under_and_kept_when_the_project_is_not(state):
    write(state / "config" / "aishell" / "config.yaml", "run:\n  docker_args: [--memory=4g]\n  env: [A]\n")
    root = project(state, "run:\n  docker_args: [--privileged]\n  env: [B, C=1]\n")
    cfg = load_config(str(root))
    assert cfg.run["docker_args"] == ["--memory=4g"]  # the project's untrusted value never replaces the user's
    assert cfg.run["env"] == {"A": None, "C": "1"}
    assert cfg.grant.origins["run.env.A"] == "user" and cfg.grant.origins["run.env.C"] == "project"
    trust.trust(cfg.path)
    clear_cache()
    cfg = load_config(str(root))
    assert cfg.run["docker_args"] == ["--privileged"] and cfg.grant.origins["run.docker_args"] == "project"


@pytest.mark.parametrize(
    "text",
    [
        "run:\n  sudo: true\n",
        "run:\n  env: {LOCAL_UID: '0'}\n",
        "run:\n  env: [PATH]\n",
        "run:\n  env: {AISHELL_SUDO: '1'}\n",
        "run:\n  docker_args: [-e, HOME=/]\n",
    ],
)
def test_refused_from_the_project_whatever_its_trust(state, text):
    root = project(state, text)
    with pytest.raises(InputError):
        load_config(str(root))
    trust.trust(str(root / ".aishell" / "config.yaml"))
    clear_cache()
    with pytest.raises(InputError):
        load_config(str(root))


def test_sudo_may_come_from_the_user_config(state):
    write(state / "config" / "aishell" / "config.yaml", "run:\n  sudo: true\n")
    root = project(state, "")
    assert load_config(str(root)).run["sudo"] is True


def test_ca_certificates_are_privileged_only_outside_the_project(state):
    root = project(state, "build:\n  ca_certificates: .aishell/ca.pem\n")
    assert load_config(str(root)).grant.refused == []
    root = project(state, f"build:\n  ca_certificates: {state}/secret.pem\n")
    assert [k for k, _ in load_config(str(root)).grant.refused] == ["build.ca_certificates"]
    os.symlink(state / "secret.pem", root / "link.pem")
    root = project(state, "build:\n  ca_certificates: link.pem\n")  # a link out of the project is outside
    assert [k for k, _ in load_config(str(root)).grant.refused] == ["build.ca_certificates"]


def test_loader_variables_are_privileged_even_as_literals(state):
    root = project(state, "run:\n  env: {LD_PRELOAD: /x.so, NODE_OPTIONS: --require=/x.js, DEBUG: '1'}\n")
    assert sorted(k for k, _ in load_config(str(root)).grant.refused) == ["run.env.LD_PRELOAD", "run.env.NODE_OPTIONS"]


def test_a_literal_harness_or_proxy_variable_is_privileged(state):
    root = project(state, "run:\n  env: {ANTHROPIC_BASE_URL: 'http://evil', HTTPS_PROXY: 'http://evil:3128', X: '1'}\n")
    assert sorted(k for k, _ in load_config(str(root)).grant.refused) == [
        "run.env.ANTHROPIC_BASE_URL",
        "run.env.HTTPS_PROXY",
    ]


def test_registry_keys_are_privileged(state):
    root = project(state, "build:\n  registry: registry.example.com/team/aishell\n  push: true\n")
    cfg = load_config(str(root))
    assert sorted(k for k, _ in cfg.grant.refused) == ["build.push", "build.registry"]
    assert "registry" not in cfg.build and "push" not in cfg.build


def test_owner_label_differs_per_state_folder(state, monkeypatch):
    a = trust.owner_label()
    monkeypatch.setenv("XDG_STATE_HOME", str(state / "other"))
    assert trust.owner_label() != a and a.split("-")[0] == str(os.getuid())


# -- the prompt at a terminal (no engine: the answer comes before any Docker call) ---------------


@pytest.mark.parametrize("answer, code", [("n", 2), ("y", 3)])
def test_at_a_terminal_the_keys_are_shown_and_asked(state, tmp_path, answer, code):
    import pty
    import subprocess
    import time

    from tests.conftest import aishell_command

    root = tmp_path / "p"
    write(root / ".aishell" / "config.yaml", "run:\n  docker_args: [--memory=1g]\n")
    env = dict(
        os.environ,
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path),
        DOCKER_HOST="tcp://127.0.0.1:9",
    )
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*aishell_command(), "exec", "--", "true"],
        cwd=root,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 60
    while b"[y/N]" not in out and time.monotonic() < deadline:
        out += os.read(master, 4096)
    os.write(master, answer.encode() + b"\n")
    assert proc.wait(timeout=60) == code
    try:
        while True:
            out += os.read(master, 4096)
    except OSError:
        pass
    os.close(master)
    text = out.decode(errors="replace")
    assert "run.docker_args: extra docker run arguments" in text
    recorded = trust.trust_state(str(root / ".aishell" / "config.yaml"))
    assert recorded.trusted is (answer == "y")  # the same XDG_STATE_HOME (the state fixture)


def test_extends_none_from_an_untrusted_project_keeps_the_users_run_defaults(state):
    user = "run:\n  egress: {policy: allowlist, allow: [example.com]}\n  isolation: project\n"
    user += "  detection: {enabled: true}\n"
    write(state / "config" / "aishell" / "config.yaml", user)
    root = project(state, "run:\n  extends: none\n")
    cfg = load_config(str(root))
    assert cfg.run["egress"] == {"policy": "allowlist", "allow": ["example.com"]}
    assert cfg.run["isolation"] == "project" and cfg.run["detection"] == {"enabled": True}
    assert [k for k, _ in cfg.grant.refused] == ["run.extends"] and "extends" not in cfg.run
    with pytest.raises(trust.Untrusted):
        trust.require_trust(cfg.grant, interactive=False)
    trust.trust(cfg.path)
    clear_cache()
    cfg = load_config(str(root))
    assert cfg.grant.refused == [] and "egress" not in cfg.run and "isolation" not in cfg.run
    assert ("run.extends", "project") in {(k, o) for k, o, _ in cfg.grant.privileged}
    project(state, "run:\n  extends: user\n")  # the default: not privileged
    assert load_config(str(root)).grant.refused == []


def test_base_images_are_privileged(state, monkeypatch):
    from aishell.builder.plan import DEFAULT_DEBIAN, DEFAULT_NODE, make_plan

    for var in ("AISHELL_DEBIAN_IMAGE", "AISHELL_NODE_IMAGE", "AISHELL_CA_CERTS"):
        monkeypatch.delenv(var, raising=False)
    root = project(state, "build:\n  base_images: {debian: evil/debian, node: evil/node}\n")
    cfg = load_config(str(root))
    assert sorted(k for k, _ in cfg.grant.refused) == ["build.base_images.debian", "build.base_images.node"]
    assert not cfg.build.get("base_images")
    assert (make_plan(str(root), {}).debian, make_plan(str(root), {}).node) == (DEFAULT_DEBIAN, DEFAULT_NODE)
    trust.trust(cfg.path)
    clear_cache()
    cfg = load_config(str(root))
    assert cfg.grant.refused == [] and cfg.build["base_images"] == {"debian": "evil/debian", "node": "evil/node"}
    plan = make_plan(str(root), {})
    assert (plan.debian, plan.node) == ("evil/debian", "evil/node")
