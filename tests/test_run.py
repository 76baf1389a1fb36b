"""aishell claude|codex|gemini|opencode|shell|exec: the spec as data, then real runs on the engine.

The real runs use the real harness from the npm registry (claude, in the content-addressed
volume that tests/test_build.py also makes) and the `aishell` under test (AISHELL_CMD in CI:
the installed wheel). HOME and the state folder are per test, so the host's own harness
config is never touched.
"""

import os
import signal
import subprocess
import time

import pytest

from aishell.runner.spec import ENTRYPOINT, Host, Mount, Options, build_spec
from tests.conftest import CA_DIR, Project, aishell_command, remove_harness, run_cli

V = "2.1.301"


# -- the spec, as data (no engine) -------------------------------------------------------------


def host(**kw) -> Host:
    values = dict(uid=1234, gid=2345, home="/home/dev", cwd="/work/p/src", environ={}, git_identity={})
    values.update(kw)
    return Host(**values)


def spec_for(h=None, harness="claude", command=("-p", "hi"), env=None, tty=(False, False, False), **kw):
    opts = Options(harness, harness or "exec", list(command), env or {}, **kw)
    return build_spec(h or host(), "/work/p", "sha256:abc", "aishell-harness-x", {"claude": V}, opts, "/state", *tty)


def test_no_value_is_ever_in_argv_only_names():
    secret = "sk-ant-very-secret"
    s = spec_for(
        host(environ={"ANTHROPIC_API_KEY": secret, "HTTPS_PROXY": "http://u:pw@proxy:3128"}),
        env={"TOKEN": "t0ps3cret", "FROM_HOST": None},
    )
    argv = s.argv()
    assert secret not in s.display() and "pw@proxy" not in s.display() and "t0ps3cret" not in s.display()
    for name in ("ANTHROPIC_API_KEY", "HTTPS_PROXY", "TOKEN", "HOME", "CLAUDE_CONFIG_DIR"):
        assert argv[argv.index(name) - 1] == "-e"
    assert "FROM_HOST" not in argv  # -e NAME with NAME unset on the host passes nothing
    assert s.child_env["ANTHROPIC_API_KEY"] == secret and s.child_env["TOKEN"] == "t0ps3cret"


def test_harness_vars_pass_only_when_set_and_self_update_is_off():
    s = spec_for(host(environ={"OPENAI_API_KEY": "x"}))
    assert "OPENAI_API_KEY" not in s.env_names  # codex is not in this volume
    assert s.child_env["DISABLE_AUTOUPDATER"] == "1"
    assert s.child_env["CLAUDE_CONFIG_DIR"] == "/home/dev/.claude"
    assert s.command == ["claude", "-p", "hi"]


def test_user_home_mounts_and_workdir():
    s = spec_for()
    argv = s.argv()
    assert argv[argv.index("--user") + 1] == "1234:2345" and argv[argv.index("--entrypoint") + 1] == ENTRYPOINT
    assert s.child_env["HOME"] == "/home/dev" and s.workdir == "/work/p/src"
    assert "/home/dev:rw,exec,uid=1234,gid=2345,mode=0700" in s.tmpfs  # HOME: empty, the user's
    passwd = next(v for k, v in s.files.items() if k.endswith("/passwd"))
    assert passwd.decode().split(":")[2:4] == ["1234", "2345"] and ":/home/dev:" in passwd.decode()
    assert any(m.target == "/var/lib/extrausers/passwd" and m.readonly for m in s.mounts)
    assert Mount("bind", "/work/p", "/work/p") in s.mounts
    assert Mount("volume", "aishell-harness-x", "/opt/harness", True, ("volume-nocopy",)) in s.mounts
    claude = next(m for m in s.mounts if m.target == "/home/dev/.claude")  # the project's copy, never the host's
    assert (
        claude.source.startswith("/state/harness-config/")
        and claude.source.endswith("/.claude")
        and not claude.readonly
    )
    assert not any(m.source.endswith(".claude.json") for m in s.mounts)  # never a file replaced by rename
    assert not any("docker.sock" in m.source for m in s.mounts)


def test_isolation_project_keeps_harness_state_apart():
    s = spec_for(isolation="project")
    m = next(m for m in s.mounts if m.target == "/home/dev/.claude")
    assert m.source.startswith("/state/isolation/") and m.source.endswith("/.claude")
    assert spec_for(isolation="project").state_dirs == s.state_dirs  # stable per project


@pytest.mark.parametrize(
    "tty, flags",
    [
        ((True, True, False), ["-i", "-t"]),
        ((False, False, True), ["-i"]),
        ((False, True, False), []),
        ((True, False, False), ["-i"]),
    ],
)
def test_terminal_flags(tty, flags):
    argv = spec_for(tty=tty).argv()
    assert [a for a in argv if a in ("-i", "-t")] == flags


def test_hardened_by_default_and_sudo_says_what_it_costs():
    for h in (host(), host(uid=0, gid=0)):
        argv = spec_for(h).argv()
        assert "--cap-drop=ALL" in argv and "--security-opt=no-new-privileges" in argv and "--init" in argv
        assert not any(a.startswith("--cap-add") for a in argv)  # not even for the entrypoint: it has no root phase
    s = spec_for(sudo=True)
    assert "--cap-drop=ALL" not in s.argv() and "--group-add=aishell-sudo" in s.argv()
    assert any("can become root" in n for n in s.notes)


def test_rootless_engine_runs_as_container_root_which_is_the_host_user():
    s = spec_for(host(rootless=True))
    argv = s.argv()
    assert argv[argv.index("--user") + 1] == "0:0" and "--cap-drop=ALL" in argv
    assert s.tmpfs == ["/home/dev:rw,exec,uid=0,gid=0,mode=0700"] and s.files == {}


def test_dot_aishell_is_mounted_read_only_over_the_project(tmp_path):
    (tmp_path / ".aishell").mkdir()
    opts = Options(None, "exec", ["true"], {})
    s = build_spec(host(cwd=str(tmp_path)), str(tmp_path), "img", None, {}, opts, "/state", False, False, False)
    assert s.mounts[:2] == [
        Mount("bind", str(tmp_path), str(tmp_path)),
        Mount("bind", str(tmp_path / ".aishell"), str(tmp_path / ".aishell"), readonly=True),
    ]


def test_what_the_hosts_git_runs_is_mounted_read_only(tmp_path):
    """.git/config (core.fsmonitor, core.hooksPath) and .git/hooks run on the host's next git command."""
    opts = Options(None, "exec", ["true"], {})

    def spec():
        return build_spec(host(cwd=str(tmp_path)), str(tmp_path), "img", None, {}, opts, "/state", False, False, False)

    def git_mounts(s):
        return [m for m in s.mounts if "/.git" in m.target]

    assert git_mounts(spec()) == []  # no .git
    (tmp_path / ".git").write_text("gitdir: /elsewhere/.git/worktrees/p\n")  # a worktree: skipped
    assert git_mounts(spec()) == []
    (tmp_path / ".git").unlink()
    (tmp_path / ".git" / "hooks").mkdir(parents=True)
    (tmp_path / ".git" / "config").write_text("[core]\n")
    s = spec()
    assert git_mounts(s) == [
        Mount("bind", str(tmp_path / ".git" / "config"), str(tmp_path / ".git" / "config"), readonly=True),
        Mount("bind", str(tmp_path / ".git" / "hooks"), str(tmp_path / ".git" / "hooks"), readonly=True),
    ]
    argv = s.argv()
    assert f"type=bind,source={tmp_path}/.git/hooks,target={tmp_path}/.git/hooks,readonly" in argv
    (tmp_path / ".git" / "hooks").rmdir()
    (tmp_path / ".git" / "hooks").symlink_to(tmp_path / "elsewhere")  # not followed, but said
    s = spec()
    assert [m.target for m in git_mounts(s)] == [str(tmp_path / ".git" / "config")]
    assert any(".git/hooks is a symlink" in n for n in s.notes)


def test_docker_socket_only_when_asked_and_explained():
    s = spec_for(docker_socket=True)
    assert Mount("bind", "/var/run/docker.sock", "/var/run/docker.sock") in s.mounts
    assert any("root on this host" in n for n in s.notes)


def test_labels_for_status_and_prune():
    s = spec_for()
    from aishell.trust import owner_label

    assert s.labels == {
        "aishell.component": "run",
        "aishell.project-dir": "/work/p",
        "aishell.image": "sha256:abc",
        "aishell.harness-volume": "aishell-harness-x",
        "aishell.harness": "claude",
        "aishell.owner": owner_label(),
    }


def test_mount_paths_with_colon_and_comma_are_quoted_csv():
    assert Mount("bind", "/a,b:c", "/a,b:c").arg() == 'type=bind,"source=/a,b:c","target=/a,b:c"'
    assert Mount("bind", '/a"b', "/x").arg() == 'type=bind,"source=/a""b",target=/x'


def test_git_identity_from_the_host_unless_already_set():
    s = spec_for(
        host(git_identity={"GIT_AUTHOR_NAME": "Ada", "GIT_COMMITTER_NAME": "Ada"}, environ={"GIT_AUTHOR_NAME": "Env"})
    )
    assert s.child_env["GIT_COMMITTER_NAME"] == "Ada" and "GIT_AUTHOR_NAME" not in s.child_env


def test_a_ca_file_named_by_the_host_environment_is_used_and_said(project, tmp_path, monkeypatch):
    from aishell.builder.plan import make_plan

    pem = tmp_path / "proxy.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    for name in ("AISHELL_CA_CERTS", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    assert make_plan(str(project), {}).ca_certs is None
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pem))
    plan = make_plan(str(project), {})
    assert plan.ca_certs == str(pem) and plan.ca_note.startswith(
        f"aishell: trusting the CA certificates in REQUESTS_CA_BUNDLE={pem}"
    )
    monkeypatch.setenv("AISHELL_CA_CERTS", str(pem))
    assert make_plan(str(project), {}).ca_note is None  # chosen explicitly: nothing to say


def test_a_tls_failure_ends_with_the_ca_hint(capsys):
    from aishell.builder.run import Output, _tls_hint

    out = Output(verbose=False, quiet=False)
    _tls_hint(out, ["npm error code SELF_SIGNED_CERT_IN_CHAIN"])
    assert "AISHELL_CA_CERTS" in capsys.readouterr().err
    _tls_hint(out, ["npm error code E404"])
    assert capsys.readouterr().err == ""


# -- the CLI without an engine ------------------------------------------------------------------


def run_aishell(*args, cwd, env, **kw):
    return run_cli(*args, cwd=cwd, env=env, **kw)


def test_bad_run_config_is_one_line_exit_2(project):
    project.write(".aishell/config.yaml", "run:\n  isolation: everywhere\n")
    r = run_aishell("exec", "--", "true", cwd=project, env=dict(os.environ))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "run.isolation" in r.stderr


def test_bad_env_flag_is_one_line_exit_2(project):
    r = run_aishell("exec", "-e", "=x", "--", "true", cwd=project, env=dict(os.environ))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "NAME or NAME=VALUE" in r.stderr


def test_unknown_harness_is_a_usage_error(project):
    r = run_aishell("aider", cwd=project, env=dict(os.environ))
    assert r.returncode == 2 and "No such command 'aider'" in r.stderr


def test_docker_down_is_one_line_exit_3(project):
    r = run_aishell("exec", "--", "true", cwd=project, env=dict(os.environ, DOCKER_HOST="tcp://127.0.0.1:9"))
    assert (
        r.returncode == 3
        and r.stderr.startswith("aishell: cannot reach the Docker daemon")
        and r.stderr.count("\n") == 1
    )


# -- real runs ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory, docker_client):
    """A project built once for the module: extension + claude in the volume."""
    base = tmp_path_factory.mktemp("run")
    proj = Project(base / "project")
    proj.write(".aishell/Dockerfile", "FROM aishell:foundation\nRUN echo ext-v1 > /ext.txt\n")
    (base / "home").mkdir()
    env = dict(os.environ, XDG_STATE_HOME=str(base / "state"), HOME=str(base / "home"), COLUMNS="200")
    for name in ("ANTHROPIC_API_KEY", "AISHELL_BUILDER"):
        env.pop(name, None)
    if os.path.isdir(CA_DIR):
        env["AISHELL_CA_CERTS"] = CA_DIR
    r = run_aishell("build", f"--with-claude={V}", "--quiet", cwd=proj, env=env)
    assert r.returncode == 0, r.stderr
    yield proj, env
    _remove_own_volume(docker_client, env)
    from aishell.builder.plan import Plan

    try:
        docker_client.images.remove(Plan(str(proj), {}, None, "", "").extension_tag, force=True)
    except Exception:
        pass


def _remove_own_volume(docker_client, env) -> None:
    """Harness volumes are per owner (state folder): the one this module's state made goes."""
    import json

    try:
        with open(os.path.join(env["XDG_STATE_HOME"], "aishell", "state.json")) as f:
            projects = json.load(f).get("projects") or {}
        for entry in projects.values():
            name = (entry.get("harness") or {}).get("volume")
            if name:
                remove_harness(docker_client, name)  # a volume, or a harness image (engines with image mounts)
    except Exception:
        pass


def run_containers(docker_client, proj) -> list:
    # ignore_removed: a container removed between docker-py's listing and its inspect is gone,
    # which is what the callers wait for (not a 404).
    return docker_client.containers.list(
        all=True, filters={"label": f"aishell.project-dir={os.path.realpath(proj)}"}, ignore_removed=True
    )


def test_claude_version_is_the_volumes(built):
    proj, env = built
    r = run_aishell("claude", "--version", cwd=proj, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{V} (Claude Code)"


def test_exec_runs_as_the_host_user_in_the_project(built):
    proj, env = built
    (proj / "sub").mkdir(exist_ok=True)
    r = run_aishell(
        "exec",
        "--",
        "sh",
        "-c",
        "id -u; id -g; pwd; echo $HOME; echo made > written.txt; cat /ext.txt",
        cwd=proj / "sub",
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 0, r.stderr
    uid, gid, cwd, home, ext = r.stdout.split()
    assert (int(uid), int(gid)) == (os.getuid(), os.getgid())
    assert cwd == os.path.realpath(proj / "sub") and home == env["HOME"] and ext == "ext-v1"
    st = os.stat(proj / "sub" / "written.txt")
    assert (st.st_uid, st.st_gid) == (os.getuid(), os.getgid())


def test_a_login_written_by_rename_survives_to_the_next_run(built):
    """The login file is shared with the host (aishell/runner/harness_state.py); per harness: tests/test_harness_state.py."""
    proj, env = built
    # A login of the shape claude writes (logins are checked before they reach the host).
    token = '{"claudeAiOauth": {"accessToken": "token-1"}}'
    login = (
        f'test "$CLAUDE_CONFIG_DIR" = "$HOME/.claude" && echo \'{token}\' > "$CLAUDE_CONFIG_DIR/.credentials.json.tmp" '
        '&& mv "$CLAUDE_CONFIG_DIR/.credentials.json.tmp" "$CLAUDE_CONFIG_DIR/.credentials.json"'
    )
    r = run_aishell("exec", "--", "sh", "-c", login, cwd=proj, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    on_host = os.path.join(env["HOME"], ".claude", ".credentials.json")
    assert open(on_host).read() == token + "\n"
    assert os.stat(os.path.join(env["HOME"], ".claude")).st_uid == os.getuid()
    r = run_aishell(
        "exec", "--", "sh", "-c", 'cat "$HOME/.claude/.credentials.json"', cwd=proj, env=env, stdin=subprocess.DEVNULL
    )
    assert r.stdout == token + "\n"


@pytest.mark.parametrize("code", [0, 1, 42, 130])
def test_exit_codes_come_through_exactly(built, code):
    proj, env = built
    r = run_aishell("exec", "--", "sh", "-c", f"exit {code}", cwd=proj, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == code, r.stderr


def test_piped_stdin_reaches_the_command(built):
    proj, env = built
    r = run_aishell("exec", "--", "cat", cwd=proj, env=env, input="hi\nthere\n")
    assert r.returncode == 0 and r.stdout == "hi\nthere\n"


def test_the_harness_volume_is_read_only(built):
    proj, env = built
    r = run_aishell("exec", "--", "touch", "/opt/harness/bin/x", cwd=proj, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 1 and "Read-only file system" in r.stderr


def test_hardened_container_cannot_gain_privileges(built):
    proj, env = built
    r = run_aishell(
        "exec",
        "--",
        "grep",
        "-E",
        "^(CapEff|NoNewPrivs)",
        "/proc/self/status",
        cwd=proj,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert r.stdout == "CapEff:\t0000000000000000\nNoNewPrivs:\t1\n", r.stderr


def test_ca_certificates_reach_node_and_curl_at_run_time(built):
    proj, env = built
    script = (
        'test "$SSL_CERT_FILE" = /etc/ssl/certs/ca-certificates.crt && test -n "$REQUESTS_CA_BUNDLE" && '
        "curl -fsS -m 60 -o /dev/null https://registry.npmjs.org/ && "
        "node -e \"require('https').get('https://registry.npmjs.org/',r=>{console.log('node',r.statusCode);process.exit(0)})\""
    )
    r = run_aishell("exec", "--", "sh", "-c", script, cwd=proj, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 0 and "node 200" in r.stdout, r.stderr


def test_dry_run_starts_nothing_and_shows_names_not_values(built, docker_client):
    proj, env = built
    before = len(docker_client.containers.list(all=True, ignore_removed=True))
    r = run_aishell(
        "claude", "--dry-run", "-p", "fix the test", cwd=proj, env=dict(env, ANTHROPIC_API_KEY="sk-secret-1")
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("docker run --rm --init ") and "-e ANTHROPIC_API_KEY" in r.stdout
    assert "sk-secret-1" not in r.stdout + r.stderr
    assert r.stdout.rstrip().endswith("claude -p 'fix the test'")
    assert len(docker_client.containers.list(all=True, ignore_removed=True)) == before


def test_no_container_is_left_after_a_run_or_a_failure(built, docker_client):
    proj, env = built
    run_aishell("exec", "--", "true", cwd=proj, env=env, stdin=subprocess.DEVNULL)
    run_aishell("exec", "--", "sh", "-c", "exit 3", cwd=proj, env=env, stdin=subprocess.DEVNULL)
    run_aishell("exec", "--", "no-such-command", cwd=proj, env=env, stdin=subprocess.DEVNULL)
    assert run_containers(docker_client, proj) == []


def _start_sleeper(proj, env, docker_client):
    p = subprocess.Popen(
        [*aishell_command(), "exec", "--", "sleep", "300"],
        cwd=proj,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    for _ in range(600):  # until the container runs (bounded: 60 s)
        if any(c.status == "running" for c in run_containers(docker_client, proj)):
            return p
        time.sleep(0.1)
    p.kill()
    raise AssertionError(p.communicate())


def _wait_gone(docker_client, proj) -> list:
    for _ in range(300):
        left = run_containers(docker_client, proj)
        if not left:
            return left
        time.sleep(0.1)
    return left


def test_sigterm_reaches_the_command_and_the_container_goes(built, docker_client):
    proj, env = built
    p = _start_sleeper(proj, env, docker_client)
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=60) == 143  # the command's own exit: killed by SIGTERM, through --init
    assert _wait_gone(docker_client, proj) == []


def test_a_killed_aishell_leaves_no_container(built, docker_client):
    proj, env = built
    p = _start_sleeper(proj, env, docker_client)
    p.kill()  # SIGKILL: nothing in aishell runs; its watchdog removes the container
    p.wait(timeout=60)
    assert _wait_gone(docker_client, proj) == []


def test_a_stale_extension_is_built_first_or_refused_with_no_build(built):
    proj, env = built
    proj.write(".aishell/Dockerfile", "FROM aishell:foundation\nRUN echo ext-v2 > /ext.txt\n")
    try:
        r = run_aishell("exec", "--no-build", "--", "cat", "/ext.txt", cwd=proj, env=env, stdin=subprocess.DEVNULL)
        assert r.returncode == 2 and r.stderr.count("\n") == 1
        assert "extension: .aishell/Dockerfile, its ignore file or a file it copies changed" in r.stderr
        r = run_aishell("exec", "--", "cat", "/ext.txt", cwd=proj, env=env, stdin=subprocess.DEVNULL)
        assert r.returncode == 0 and r.stdout == "ext-v2\n", r.stderr
        r = run_aishell("exec", "--no-build", "--", "cat", "/ext.txt", cwd=proj, env=env, stdin=subprocess.DEVNULL)
        assert r.returncode == 0 and r.stdout == "ext-v2\n", r.stderr
    finally:
        proj.write(".aishell/Dockerfile", "FROM aishell:foundation\nRUN echo ext-v1 > /ext.txt\n")


def test_a_harness_not_in_the_volume_names_the_flag(built):
    proj, env = built
    r = run_aishell("codex", "--version", cwd=proj, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "aishell build --with-codex" in r.stderr


def test_a_folder_with_nothing_built_says_what_to_build(tmp_path, docker_client):
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"), HOME=str(tmp_path))
    r = run_aishell("shell", cwd=tmp_path, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "aishell build --with-claude" in r.stderr


def test_a_project_path_with_colon_and_comma(tmp_path, built, docker_client):
    _, env = built
    odd = Project(tmp_path / "a:b,c")
    odd.write(".aishell/config.yaml", "")
    env = dict(env, XDG_STATE_HOME=str(tmp_path / "state"))
    assert run_aishell("build", f"--with-claude={V}", "--quiet", cwd=odd, env=env).returncode == 0
    r = run_aishell("exec", "--", "pwd", cwd=odd, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 0 and r.stdout == f"{os.path.realpath(odd)}\n", r.stderr


def test_a_non_root_host_user_owns_what_it_writes(built, docker_client, tmp_path):
    """The spec aishell runs, with another host uid: it runs as that user from the start, with
    a name from the read-only passwd line (tests/test_security.py runs the CLI as a real
    second user)."""
    from aishell.builder.fresh import inspect
    from aishell.builder.plan import make_plan

    if os.getuid() != 0:
        pytest.skip("not root: the CLI tests above already run as this non-root user")
    proj, _ = built
    work = tmp_path / "w"
    (work / "home").mkdir(parents=True)
    os.chown(work, 4321, 4321)
    os.chown(work / "home", 4321, 4321)
    fresh = inspect(make_plan(str(proj), {}), docker_client, {})
    h = Host(4321, 4321, str(work / "home"), str(work), {}, {})
    opts = Options(
        None,
        "exec",
        [
            "sh",
            "-c",
            "id -u; echo $HOME; touch made-by-user; grep ^CapEff /proc/self/status; sudo -n true || echo no-sudo",
        ],
        {},
    )
    spec = build_spec(h, str(work), fresh.image.id, None, {}, opts, str(tmp_path / "state"), False, False, False)
    from aishell.runner.launch import _write_files

    _write_files(spec.files)
    out = subprocess.run(spec.argv(), env=dict(os.environ, **spec.child_env), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["4321", str(work / "home"), "CapEff:", "0000000000000000", "no-sudo"]
    assert os.stat(work / "made-by-user").st_uid == 4321
