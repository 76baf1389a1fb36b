"""Harness config across the sandbox: read from the host, write to the project.

A run never mounts the host's harness folders (``~/.claude``, ``~/.codex``, ``~/.gemini``,
opencode's). It mounts the project's own copy, ``$XDG_STATE_HOME/aishell/harness-config/<key>/``
(``<key>``: a hash of the project path), at the same paths. Before each run:

- **config** (each harness's ``config_dirs`` minus its ``per_project`` names, aishell/harness.py):
  each file is refreshed from the host unless the project's copy changed it since it was last
  copied (three-way, against ``base.json`` beside the copy, which the container cannot see). A
  file the project changed is kept (the project's wins) and one line says so.
- **logins** (``credential_files`` and the account keys of ``json_login``): shared both ways.
  Copied in before the run; after it, a login the run wrote (a regular file, never a symlink)
  is written to the host, where the next run of any project and the host's harness find it,
  once it passes its harness's check in ``LOGIN_CHECKS`` (a file that fails stays in the copy).
  Copy in, copy back (not a bind mount of single files): harnesses replace these files by
  rename, which a single-file bind mount cannot follow.

After the run, one line names the config files the run changed in the project's copy;
``aishell status`` lists those that differ from the host's; ``aishell config diff`` shows them and
``aishell config apply HARNESS --yes`` writes them to the host.

``run.isolation: project``: nothing from the host's config; logins still shared (a login is not
executable and logging in once per project is what users of the original's
``claude_isolation: project`` did not have to do). ``run.isolation: shared``: the host's folders
themselves, read-write (the old behaviour; a privileged key, aishell/trust.py).

Every write into a copy walks the path one folder at a time with ``O_NOFOLLOW`` and replaces
files by rename, so a symlink the agent planted in its copy never leads a write outside it.
Writes to the host never go through a symlink either.
"""

from __future__ import annotations

import difflib
import errno
import fnmatch
import hashlib
import json
import os
import re
import stat
from typing import Callable, Iterable

ISOLATION = ("host", "project", "shared")
# The privileged value: `run.isolation: shared` hands the host's harness folders to the agent,
# so its row in aishell/trust.py's PRIVILEGED table lets only the user (or `aishell trust`) set it.
PRIVILEGED_ISOLATION = "shared"


def isolation_widens(value, _ctx=None) -> bool:
    """trust.Privileged's ``when``: only ``shared`` widens the sandbox (host and project do not)."""
    return value == PRIVILEGED_ISOLATION


SHARED_WARNING = (
    "aishell: run.isolation: shared: the agent can rewrite the host's harness config "
    "(hooks, MCP servers, notify), which the host runs outside any container"
)
MAX_FILE = 16 * 1024 * 1024  # a config file larger than this is not copied (said in one line)
BASE = "base.json"
# Keys of claude's .claude.json that make it run something or widen what it may do: the
# project's changes to these are what the after-run line and `aishell config diff` report.
CLAUDE_WATCH_TOP = ("mcpServers",)
CLAUDE_WATCH_PROJECT = (
    "mcpServers",
    "allowedTools",
    "enabledMcpjsonServers",
    "disabledMcpjsonServers",
    "enableAllProjectMcpServers",
    "hasTrustDialogAccepted",
)


def project_key(project: str) -> str:
    return hashlib.sha256(os.fsencode(project)).hexdigest()[:16]


def copy_root(state_dir: str, project: str, isolation: str) -> str:
    """The folder holding the project's copies of the harness folders (HOME-relative layout)."""
    if isolation == "project":
        return os.path.join(state_dir, "isolation", project_key(project))
    return os.path.join(state_dir, "harness-config", project_key(project))


def _sha(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


# -- safe file access inside a copy (the agent's side) ---------------------------------------------


def _dir_fd(root: str, parts: list[str], create: bool) -> int:
    """An fd of root/parts…, each step opened with O_NOFOLLOW: a symlink anywhere raises OSError."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for part in parts:
            if part in ("", ".", ".."):
                raise OSError(errno.EINVAL, "bad path component", part)
            try:
                nfd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                os.mkdir(part, 0o700, dir_fd=fd)
                nfd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = nfd
    except BaseException:
        os.close(fd)
        raise
    return fd


def copy_read(root: str, rel: str) -> bytes | None:
    """The bytes of a regular file in the copy; None when missing, a symlink, a folder, or
    reached through a symlink."""
    *parts, name = rel.split("/")
    try:
        fd = _dir_fd(root, parts, False)
    except OSError:
        return None
    try:
        return _read_regular(name, fd)
    finally:
        os.close(fd)


def _read_regular(name: str, dir_fd: int | None, follow: bool = False) -> bytes | None:
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    try:
        f = os.open(name, flags, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        st = os.fstat(f)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE:
            return None
        chunks = []
        while chunk := os.read(f, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(f)


def copy_write(root: str, rel: str, data: bytes, mode: int = 0o600) -> None:
    """Replace root/rel by rename; folders created on the way; never through a symlink."""
    *parts, name = rel.split("/")
    fd = _dir_fd(root, parts, True)
    try:
        tmp = f".{name}.aishell-{os.urandom(4).hex()}"
        f = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode, dir_fd=fd)
        try:
            os.write(f, data)
            os.fchmod(f, mode)
        finally:
            os.close(f)
        try:
            os.rename(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except OSError:
            os.unlink(tmp, dir_fd=fd)
            raise
    finally:
        os.close(fd)


def copy_remove(root: str, rel: str) -> None:
    """Remove a file (or a planted symlink, never its target) from the copy."""
    *parts, name = rel.split("/")
    try:
        fd = _dir_fd(root, parts, False)
    except OSError:
        return
    try:
        st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        if not stat.S_ISDIR(st.st_mode):
            os.unlink(name, dir_fd=fd)
    except FileNotFoundError:
        pass
    finally:
        os.close(fd)


def copy_files(root: str, top: str, skip: tuple[str, ...]) -> dict[str, os.stat_result]:
    """Regular files under root/top (HOME-relative names), symlinks neither followed nor listed."""
    out: dict[str, os.stat_result] = {}
    try:
        fd = _dir_fd(root, top.split("/"), False)
    except OSError:
        return out
    try:
        for dirpath, dirnames, filenames, dfd in os.fwalk(".", dir_fd=fd, follow_symlinks=False):
            rel_dir = os.path.normpath(os.path.join(top, dirpath))
            if dirpath == ".":
                dirnames[:] = [d for d in dirnames if not _skipped(d, skip)]
                filenames = [f for f in filenames if not _skipped(f, skip)]
            for name in filenames:
                try:
                    st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode):
                    out[f"{rel_dir}/{name}"] = st
    finally:
        os.close(fd)
    return out


def _skipped(name: str, skip: tuple[str, ...]) -> bool:
    return name.startswith(".aishell-") or ".aishell-" in name or any(fnmatch.fnmatchcase(name, p) for p in skip)


# -- the host's side (the user's own files) ----------------------------------------------------------


def host_files(home: str, top: str, skip: tuple[str, ...]) -> dict[str, str]:
    """The host's config files under HOME/top: HOME-relative name -> path. The user's own
    symlinks are followed (dotfiles), once per real folder."""
    out: dict[str, str] = {}
    base = os.path.join(home, top)
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(base, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        rel_dir = os.path.normpath(os.path.join(top, os.path.relpath(dirpath, base)))
        if dirpath == base:
            dirnames[:] = [d for d in dirnames if not _skipped(d, skip)]
            filenames = [f for f in filenames if not _skipped(f, skip)]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.isfile(path):
                out[f"{rel_dir}/{name}"] = path
    return out


def _mode(path: str) -> int:
    """The file's permission bits without setuid/setgid/sticky, owner-only (a hook keeps its x)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode) & 0o700
    except OSError:
        return 0o600


def host_read(path: str, follow: bool) -> bytes | None:
    return _read_regular(path, None, follow=follow)


def host_write(path: str, data: bytes, mode: int = 0o600) -> str | None:
    """Replace a host file by rename; None, or why it was not written (a symlink is never
    written through: the agent may have planted it under run.isolation: shared)."""
    if os.path.islink(path):
        return f"{path} is a symlink: not written"
    if os.path.lexists(path) and not os.path.isfile(path):
        return f"{path} is not a regular file: not written"
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if os.path.islink(folder):
            return f"{folder} is a symlink: not written"
        if os.path.exists(path):
            mode = stat.S_IMODE(os.stat(path).st_mode)
        copy_write(folder, os.path.basename(path), data, mode)
    except OSError as e:
        return f"{path}: {e.strerror}"
    return None


def host_remove(path: str) -> None:
    if os.path.isfile(path) and not os.path.islink(path):
        os.unlink(path)


# -- claude's .claude.json: config, state and the account in one file ---------------------------------


def json_host(home: str, h) -> str:
    """The host's file of ``json_login``: claude's ~/.claude.json, or the ~/.claude/.claude.json
    the old aishell (run.isolation: shared) kept when only that one exists."""
    host_rel, copy_rel, _ = h.json_login
    first, second = os.path.join(home, host_rel), os.path.join(home, copy_rel)
    if not os.path.lexists(first) and os.path.isfile(second) and not os.path.islink(second):
        return second
    return first


def _json(data: bytes | None) -> dict | None:
    if data is None:
        return None
    try:
        doc = json.loads(data)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def _dump(doc: dict) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()


def _auth(doc: dict | None, keys: tuple[str, ...]) -> dict:
    return {k: doc[k] for k in keys if doc and k in doc}


def claude_watch(doc: dict | None) -> dict:
    """What in .claude.json makes claude run something or allow more."""
    if not doc:
        return {}
    out = {k: doc[k] for k in CLAUDE_WATCH_TOP if k in doc}
    projects = doc.get("projects") if isinstance(doc.get("projects"), dict) else {}
    watched = {p: {k: v[k] for k in CLAUDE_WATCH_PROJECT if k in v} for p, v in projects.items() if isinstance(v, dict)}
    watched = {p: v for p, v in watched.items() if v}
    if watched:
        out["projects"] = watched
    return out


def _set_watch(doc: dict, watch: dict) -> dict:
    doc = dict(doc)
    for k in CLAUDE_WATCH_TOP:
        doc.pop(k, None)
        if k in watch:
            doc[k] = watch[k]
    projects = dict(doc.get("projects") or {}) if isinstance(doc.get("projects"), dict) else {}
    for p, entry in list(projects.items()):
        if isinstance(entry, dict):
            projects[p] = {k: v for k, v in entry.items() if k not in CLAUDE_WATCH_PROJECT}
    for p, keys in (watch.get("projects") or {}).items():
        projects[p] = {**(projects.get(p) if isinstance(projects.get(p), dict) else {}), **keys}
    if projects or "projects" in doc:
        doc["projects"] = projects
    return doc


def _hash_doc(doc) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


# -- what a login file may hold before it goes to the host ------------------------------------------------
# A login file the run wrote reaches the host, whose harness reads it outside any container. Each one
# is checked against the shape its harness documents; anything else (opencode's `wellknown` entries,
# which make opencode fetch config and run commands from a URL; unknown keys; an API key replacing the
# host's) stays in the project's copy and one line says so. A check returns why not, or None.
_ID = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def _keys(doc, allowed: set[str], what: str) -> str | None:
    if not isinstance(doc, dict):
        return f"{what} is not a JSON object"
    extra = sorted(set(doc) - allowed)
    return f"{what} has unexpected key {extra[0]!r}" if extra else None


def _strs(doc: dict, names: tuple[str, ...], what: str, nullable: bool = False) -> str | None:
    for k in names:
        if k in doc and not (isinstance(doc[k], str) or (nullable and doc[k] is None)):
            return f"{what}: {k} is not a string"
    return None


def _key_swap(new, old) -> bool:
    """An API key replacing a different one the host has: an account swap, never pushed."""
    return bool(old) and new != old


def check_opencode_auth(doc, host) -> str | None:
    if not isinstance(doc, dict):
        return "not a JSON object"
    host = host if isinstance(host, dict) else {}
    for pid, e in doc.items():
        if not pid or set(pid) - _ID:
            return f"provider id {pid[:40]!r} is not a plain name"
        if not isinstance(e, dict) or e.get("type") not in ("oauth", "api"):
            t = e.get("type") if isinstance(e, dict) else None
            return f"entry {pid!r} is of type {str(t)[:20]!r} (only oauth and api are copied)"
        if e["type"] == "api":
            why = _keys(e, {"type", "key"}, f"entry {pid!r}") or _strs(e, ("key",), f"entry {pid!r}")
            if why:
                return why
            if pid in host and host[pid] != e:
                return f"entry {pid!r} replaces the host's login for {pid!r} with an API key"
        else:
            allowed = {"type", "refresh", "access", "expires", "accountId", "enterpriseUrl"}
            why = _keys(e, allowed, f"entry {pid!r}") or _strs(
                e, ("refresh", "access", "accountId", "enterpriseUrl"), f"entry {pid!r}"
            )
            if why:
                return why
            if "expires" in e and (isinstance(e["expires"], bool) or not isinstance(e["expires"], (int, float))):
                return f"entry {pid!r}: expires is not a number"
    return None


def check_opencode_mcp_auth(doc, host) -> str | None:
    if not isinstance(doc, dict):
        return "not a JSON object"
    for name, e in doc.items():
        why = _keys(e, {"tokens", "clientInfo", "codeVerifier", "oauthState", "serverUrl"}, f"entry {name[:40]!r}")
        why = why or _strs(e, ("codeVerifier", "oauthState", "serverUrl"), f"entry {name!r}")
        for part in ("tokens", "clientInfo"):
            if not why and part in e and not isinstance(e[part], dict):
                why = f"entry {name!r}: {part} is not a JSON object"
        if why:
            return why
    return None


def check_codex_auth(doc, host) -> str | None:
    why = _keys(doc, {"OPENAI_API_KEY", "tokens", "last_refresh", "auth_mode"}, "the file")
    why = why or _strs(doc, ("OPENAI_API_KEY", "last_refresh", "auth_mode"), "the file", nullable=True)
    if why:
        return why
    tokens = doc.get("tokens")
    if tokens is not None:
        why = _keys(tokens, {"id_token", "access_token", "refresh_token", "account_id"}, "tokens")
        if why:
            return why
    if _key_swap(doc.get("OPENAI_API_KEY"), (host or {}).get("OPENAI_API_KEY")):
        return "OPENAI_API_KEY replaces the host's API key"
    return None


def check_claude_credentials(doc, host) -> str | None:
    why = _keys(doc, {"claudeAiOauth", "mcpOAuth"}, "the file")
    if why:
        return why
    oauth = doc.get("claudeAiOauth")
    if oauth is not None:
        allowed = {"accessToken", "refreshToken", "expiresAt", "scopes", "subscriptionType", "rateLimitTier"}
        why = _keys(oauth, allowed, "claudeAiOauth")
    if not why and "mcpOAuth" in doc and not isinstance(doc["mcpOAuth"], dict):
        why = "mcpOAuth is not a JSON object"
    return why


def check_claude_account(doc, host) -> str | None:
    """The account keys of .claude.json (json_login): only these are ever written."""
    why = _strs(doc, ("primaryApiKey", "userID"), "the account keys")
    if not why and "oauthAccount" in doc and not isinstance(doc["oauthAccount"], dict):
        why = "oauthAccount is not a JSON object"
    responses = doc.get("customApiKeyResponses")
    if not why and responses is not None:
        why = _keys(responses, {"approved", "rejected"}, "customApiKeyResponses")
        for k in ("approved", "rejected"):
            v = (responses or {}).get(k, []) if isinstance(responses, dict) else []
            if not why and not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
                why = f"customApiKeyResponses.{k} is not a list of strings"
    if not why and _key_swap(doc.get("primaryApiKey"), (host or {}).get("primaryApiKey")):
        why = "primaryApiKey replaces the host's API key"
    return why


def check_gemini_oauth(doc, host) -> str | None:
    allowed = {"access_token", "refresh_token", "scope", "token_type", "id_token", "expiry_date"}
    return _keys(doc, allowed, "the file") or _strs(
        doc, ("access_token", "refresh_token", "scope", "token_type", "id_token"), "the file"
    )


def check_gemini_accounts(doc, host) -> str | None:
    why = _keys(doc, {"active", "old"}, "the file") or _strs(doc, ("active",), "the file", nullable=True)
    old = doc.get("old", []) if isinstance(doc, dict) else []
    if not why and not (isinstance(old, list) and all(isinstance(x, str) for x in old)):
        why = "old is not a list of strings"
    return why


def check_json_values(doc, host) -> str | None:
    """MCP servers' token stores: JSON data, read by the harness for the servers its config names."""
    return None if isinstance(doc, (dict, list)) else "not a JSON object or list"


# One check per login file (credential_files and json_login of aishell/harness.py); a login file
# without one is never pushed (tests/test_harness_state.py asserts every file has one).
LOGIN_CHECKS: dict[str, Callable] = {
    ".claude/.credentials.json": check_claude_credentials,
    ".claude/.claude.json": check_claude_account,
    ".codex/auth.json": check_codex_auth,
    ".gemini/oauth_creds.json": check_gemini_oauth,
    ".gemini/google_accounts.json": check_gemini_accounts,
    ".gemini/mcp-oauth-tokens.json": check_json_values,
    ".gemini/mcp-oauth-tokens-v2.json": check_json_values,
    ".gemini/gemini-credentials.json": check_json_values,
    ".local/share/opencode/auth.json": check_opencode_auth,
    ".local/share/opencode/mcp-auth.json": check_opencode_mcp_auth,
}


# gemini's encrypted token stores (FileTokenStorage: hex ``iv:authTag:ciphertext``, keyed by the
# machine's host and user name): only that shape, the content cannot be checked (docs/run.md).
OPAQUE_LOGINS = (".gemini/mcp-oauth-tokens-v2.json", ".gemini/gemini-credentials.json")
_OPAQUE = re.compile(rb"[0-9a-f]{32}:[0-9a-f]{32}:[0-9a-f]*\s*")


def login_refused(rel: str, data: bytes, host: bytes | None) -> str | None:
    """Why the login file ``rel`` of the copy may not go to the host, or None."""
    check = LOGIN_CHECKS.get(rel)
    if check is None:
        return "aishell has no check for this file"
    try:
        doc = json.loads(data)
    except ValueError:
        if rel in OPAQUE_LOGINS and _OPAQUE.fullmatch(data):
            return None
        return "not JSON"
    try:
        hdoc = json.loads(host) if host is not None else None
    except ValueError:
        hdoc = None
    return check(doc, hdoc)


# -- one run ---------------------------------------------------------------------------------------------


class Session:
    """The project's copy around one run: ``before()`` then ``after()``."""

    def __init__(
        self, home: str, state_dir: str, project: str, isolation: str, harnesses: Iterable, say: Callable[[str], None]
    ) -> None:
        self.home = home
        self.project = project
        self.isolation = isolation
        self.harnesses = list(harnesses)
        self.say = say
        self.root = copy_root(state_dir, project, isolation)
        self.base: dict = {}
        self.snapshot: dict[str, tuple] = {}

    # base.json: what each file was when it was last copied between host and copy (sha256)
    def _load_base(self) -> None:
        doc = _json(host_read(os.path.join(self.root, BASE), follow=False)) or {}
        self.base = {"config": dict(doc.get("config") or {}), "login": dict(doc.get("login") or {})}

    def _save_base(self) -> None:
        copy_write(self.root, BASE, _dump(self.base))

    def folders(self) -> list[str]:
        return [os.path.join(self.root, rel) for h in self.harnesses for rel in h.state_dirs]

    def before(self) -> None:
        if self.isolation == "shared":
            return
        try:
            self._before()
        except OSError as e:
            from aishell.errors import InputError

            raise InputError(
                e.filename or self.root, f"cannot prepare the project's copy of the harness config: {e.strerror}"
            ) from None

    def _before(self) -> None:
        os.makedirs(self.root, mode=0o700, exist_ok=True)
        self._load_base()
        kept: list[str] = []
        for h in self.harnesses:
            if self.isolation == "host":
                kept += [f"{h.name}: {rel}" for rel in self._refresh_config(h)]
            try:
                self._logins_in(h)
            except OSError as e:
                self.say(f"aishell: {h.name}'s login not copied in: {e.filename or ''} {e.strerror}".replace("  ", " "))
        self._save_base()
        if kept:
            self.say(
                "aishell: kept the project's own " + ", ".join(kept) + " (the host's differs; "
                "`aishell config diff` shows it)"
            )
        self.snapshot = self._stat_config()

    def after(self) -> None:
        if self.isolation == "shared":
            return
        self._load_base()
        for h in self.harnesses:
            try:
                self._logins_out(h)
            except OSError as e:
                self.say(
                    f"aishell: {h.name}'s login not copied to the host: {e.filename or ''} {e.strerror}".replace(
                        "  ", " "
                    )
                )
        self._save_base()
        changed = self.changed_by_run()
        if changed:
            names = "; ".join(f"{name}: {', '.join(files)}" for name, files in changed.items())
            self.say(
                f"aishell: this run changed harness config in the project's copy (not on the host): {names} "
                "(`aishell config diff` shows it, `aishell config apply HARNESS --yes` copies it to the host)"
            )

    # -- config: host -> copy, three-way per file
    def _refresh_config(self, h) -> list[str]:
        kept = []
        base = self.base["config"]
        for top in h.config_dirs:
            host = host_files(self.home, top, h.per_project)
            mine = copy_files(self.root, top, h.per_project)
            for rel in sorted(set(host) | set(mine) | {r for r in base if r.startswith(top + "/")}):
                try:
                    if self._refresh_one(rel, host, base):
                        kept.append(rel[len(top) + 1 :])
                except OSError as e:
                    self.say(f"aishell: {os.path.join(self.root, rel)}: {e.strerror}: not refreshed from the host")
        if h.json_login and self.isolation == "host":
            try:
                kept += self._refresh_json(h)
            except OSError as e:
                self.say(
                    f"aishell: {os.path.join(self.root, h.json_login[1])}: {e.strerror}: not refreshed from the host"
                )
        return kept

    def _refresh_one(self, rel: str, host: dict, base: dict) -> bool:
        """Refresh one file; True when the project's own version is kept although the host's differs."""
        hdata = host_read(host[rel], follow=True) if rel in host else None
        if rel in host and hdata is None:
            self.say(f"aishell: {host[rel]} is larger than {MAX_FILE >> 20} MiB or unreadable: not copied")
            return False
        cdata = copy_read(self.root, rel)
        b, hs, cs = base.get(rel), _sha(hdata), _sha(cdata)
        if cs == hs:
            _set(base, rel, hs)
        elif cs == b:  # the project did not change it: the host's wins
            if hdata is None:
                copy_remove(self.root, rel)
            else:
                copy_remove(self.root, rel)  # a planted symlink is replaced, never followed
                copy_write(self.root, rel, hdata, _mode(host[rel]))
            _set(base, rel, hs)
        elif b is None and cdata is not None and rel not in host:
            pass  # made by the project, unknown to the host: its own
        else:
            return True
        return False

    def _refresh_json(self, h) -> list[str]:
        host_rel, copy_rel, _keys = h.json_login
        hdoc = _json(host_read(json_host(self.home, h), follow=True))
        cdoc = _json(copy_read(self.root, copy_rel))
        key = copy_rel + "#watch"
        hw = claude_watch(hdoc)
        if cdoc is None:
            if hdoc is not None:
                copy_write(self.root, copy_rel, _dump(hdoc))
            self.base["config"][key] = _hash_doc(hw)
            return []
        cw = claude_watch(cdoc)
        if _hash_doc(cw) == _hash_doc(hw):
            self.base["config"][key] = _hash_doc(hw)
            return []
        if _hash_doc(cw) == self.base["config"].get(key):
            copy_write(self.root, copy_rel, _dump(_set_watch(cdoc, hw)))
            self.base["config"][key] = _hash_doc(hw)
            return []
        return [os.path.basename(copy_rel)]

    # -- logins: both ways
    def _logins_in(self, h) -> None:
        base = self.base["login"]
        for rel in h.credential_files:
            hpath = os.path.join(self.home, rel)
            if os.path.islink(hpath):
                self.say(f"aishell: {hpath} is a symlink: a login file must be a regular file (not shared)")
                continue
            hdata, cdata = host_read(hpath, follow=False), copy_read(self.root, rel)
            hs, cs, b = _sha(hdata), _sha(cdata), base.get(rel)
            if cs is not None and cs != b and hs == b:
                self._push_login(rel, cdata)  # a login inside that never reached the host (a killed run)
            elif hs != cs:
                if hdata is None:
                    if cs == b:
                        copy_remove(self.root, rel)  # logged out on the host
                else:
                    copy_remove(self.root, rel)  # a planted symlink or folder is replaced, never followed
                    copy_write(self.root, rel, hdata, 0o600)
                _set(base, rel, hs)
            else:
                _set(base, rel, hs)
        if h.json_login:
            self._json_login_in(h)

    def _logins_out(self, h) -> None:
        base = self.base["login"]
        for rel in h.credential_files:
            cdata = copy_read(self.root, rel)
            cs = _sha(cdata)
            if cs is not None and cs != base.get(rel):
                self._push_login(rel, cdata)
            elif cdata is None and base.get(rel) is not None and not _is_symlink(self.root, rel):
                hpath = os.path.join(self.home, rel)
                if _sha(host_read(hpath, follow=False)) == base[rel]:
                    host_remove(hpath)  # logged out inside
                _set(base, rel, None)
        if h.json_login:
            self._json_login_out(h)

    def _push_login(self, rel: str, data: bytes) -> None:
        hpath = os.path.join(self.home, rel)
        refused = login_refused(rel, data, host_read(hpath, follow=False))
        if refused:
            self._kept_login(rel, refused)
            return
        why = host_write(hpath, data, 0o600)
        if why:
            self.say(f"aishell: a login the run wrote was not copied to the host: {why}")
        else:
            _set(self.base["login"], rel, _sha(data))

    def _kept_login(self, rel: str, why: str) -> None:
        self.say(
            f"aishell: kept the login file {os.path.join(self.root, rel)} in the project's copy, not copied to "
            f"the host: {why} (review it; copy it to ~/{rel} yourself if it is yours)"
        )

    def _json_login_in(self, h) -> None:
        host_rel, copy_rel, keys = h.json_login
        hpath = json_host(self.home, h)
        hdoc = _json(host_read(hpath, follow=False)) if not os.path.islink(hpath) else None
        cdoc = _json(copy_read(self.root, copy_rel))
        ha, ca, b = _hash_doc(_auth(hdoc, keys)), _hash_doc(_auth(cdoc, keys)), self.base["login"].get(copy_rel)
        if cdoc is not None and ca != b and ha == b:
            self._json_login_out(h)
            return
        if ha != ca and (hdoc is not None or ca == b):
            doc = {k: v for k, v in (cdoc or {}).items() if k not in keys}
            doc.update(_auth(hdoc, keys))
            copy_write(self.root, copy_rel, _dump(doc))
        self.base["login"][copy_rel] = ha

    def _json_login_out(self, h) -> None:
        host_rel, copy_rel, keys = h.json_login
        cdoc = _json(copy_read(self.root, copy_rel))
        if cdoc is None:
            return
        auth = _auth(cdoc, keys)
        if _hash_doc(auth) == self.base["login"].get(copy_rel):
            return
        hpath = json_host(self.home, h)
        hdoc = _json(host_read(hpath, follow=False)) if os.path.exists(hpath) and not os.path.islink(hpath) else None
        refused = login_refused(copy_rel, json.dumps(auth).encode(), json.dumps(_auth(hdoc, keys)).encode())
        if refused:
            self._kept_login(copy_rel, refused + " (account keys)")
            return
        if os.path.lexists(hpath) and hdoc is None:
            self.say(f"aishell: the run's {h.name} login was not copied to {hpath}: not a JSON file aishell can update")
            return
        doc = {k: v for k, v in (hdoc or {}).items() if k not in keys}
        doc.update(auth)
        why = host_write(hpath, _dump(doc), 0o600)
        if why:
            self.say(f"aishell: a login the run wrote was not copied to the host: {why}")
        else:
            self.base["login"][copy_rel] = _hash_doc(auth)

    # -- what changed
    def _stat_config(self) -> dict[str, tuple]:
        out = {}
        for h in self.harnesses:
            for top in h.config_dirs:
                for rel, st in copy_files(self.root, top, h.per_project).items():
                    out[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
            if h.json_login:
                out[h.json_login[1] + "#watch"] = (
                    _hash_doc(claude_watch(_json(copy_read(self.root, h.json_login[1])))),
                )
        return out

    def changed_by_run(self) -> dict[str, list[str]]:
        """Config files the run changed that now differ from the host's, per harness (only the
        files whose size, mtime or inode moved are read)."""
        now = self._stat_config()
        moved = {rel for rel in set(now) | set(self.snapshot) if now.get(rel) != self.snapshot.get(rel)}
        out: dict[str, list[str]] = {}
        for h in self.harnesses:
            files = []
            for top in h.config_dirs:
                for rel in sorted(r for r in moved if r.startswith(top + "/")):
                    hdata = host_read(os.path.join(self.home, rel), follow=True)
                    if hdata != copy_read(self.root, rel):
                        files.append(rel[len(top) + 1 :])
            if h.json_login and h.json_login[1] + "#watch" in moved:
                host = _json(host_read(json_host(self.home, h), follow=True))
                if claude_watch(_json(copy_read(self.root, h.json_login[1]))) != claude_watch(host):
                    files.append(os.path.basename(h.json_login[1]))
            if files:
                out[h.name] = files
        return out


def _is_symlink(root: str, rel: str) -> bool:
    return os.path.islink(os.path.join(root, rel))


def _set(d: dict, key: str, value) -> None:
    if value is None:
        d.pop(key, None)
    else:
        d[key] = value


# -- what differs from the host: status, diff, apply ---------------------------------------------------


def divergent(home: str, root: str, harnesses: Iterable, isolation: str = "host") -> dict[str, list[str]]:
    """Per harness, the config files of the copy that differ from the host's (names relative
    to the harness's config folder; .claude.json: its MCP servers and permissions only)."""
    out: dict[str, list[str]] = {}
    if isolation == "shared":
        return out
    for h in harnesses:
        files = []
        for top in h.config_dirs:
            host = host_files(home, top, h.per_project)
            mine = copy_files(root, top, h.per_project)
            for rel in sorted(set(host) | set(mine)):
                hdata = host_read(host[rel], follow=True) if rel in host else None
                if rel in host and hdata is None:
                    continue
                if hdata != copy_read(root, rel):
                    files.append(rel[len(top) + 1 :])
        if h.json_login:
            host_rel, copy_rel, _ = h.json_login
            cdoc = _json(copy_read(root, copy_rel))
            if cdoc is not None and claude_watch(cdoc) != claude_watch(_json(host_read(json_host(home, h), True))):
                files.append(os.path.basename(copy_rel))
        if files:
            out[h.name] = files
    return out


def diff(home: str, root: str, h) -> str:
    """A unified diff, host -> the project's copy, of each divergent file."""
    chunks = []
    for name in divergent(home, root, [h]).get(h.name, []):
        host_path, a, b = _pair(home, root, h, name)
        label_a, label_b = host_path, os.path.join(root, _copy_rel(h, name))
        if a is not None and b is not None and (b"\0" in a or b"\0" in b):
            chunks.append(f"Binary files {label_a} and {label_b} differ\n")
            continue
        ta = (a or b"").decode("utf-8", "replace").splitlines(keepends=True)
        tb = (b or b"").decode("utf-8", "replace").splitlines(keepends=True)
        lines = difflib.unified_diff(
            ta, tb, label_a if a is not None else "/dev/null", label_b if b is not None else "/dev/null"
        )
        chunks.append("".join(line if line.endswith("\n") else line + "\n" for line in lines))
    return "".join(chunks)


def _copy_rel(h, name: str) -> str:
    if h.json_login and name == os.path.basename(h.json_login[1]):
        return h.json_login[1]
    return f"{h.config_dirs[0]}/{name}"


def _pair(home: str, root: str, h, name: str) -> tuple[str, bytes | None, bytes | None]:
    """(host path, host bytes, the project's bytes) of one divergent file. For .claude.json the
    project's side is the host's file with the project's watched keys."""
    if h.json_login and name == os.path.basename(h.json_login[1]):
        host_rel, copy_rel, _ = h.json_login
        host_path = json_host(home, h)
        a = host_read(host_path, follow=True)
        hdoc = _json(a) or {}
        mine = _set_watch(hdoc, claude_watch(_json(copy_read(root, copy_rel))))
        return host_path, (_dump(hdoc) if a is not None else None), _dump(mine)
    rel = _copy_rel(h, name)
    host_path = os.path.join(home, rel)
    return host_path, host_read(host_path, follow=True), copy_read(root, rel)


def apply(home: str, root: str, h) -> list[tuple[bool, str]]:
    """Write the project's version of each divergent file to the host (a file the project
    removed is removed): (done, line) per file. Never writes through a symlink."""
    done = []
    for name in divergent(home, root, [h]).get(h.name, []):
        host_path, _a, b = _pair(home, root, h, name)
        if b is None:
            if os.path.islink(host_path):
                done.append((False, f"{host_path} is a symlink: not removed"))
                continue
            host_remove(host_path)
            done.append((True, f"removed {host_path}"))
            continue
        try:
            mode = stat.S_IMODE(os.stat(os.path.join(root, _copy_rel(h, name)), follow_symlinks=False).st_mode) & 0o755
        except OSError:
            mode = 0o600
        why = host_write(host_path, b, mode)
        done.append((why is None, why or f"wrote {host_path}"))
    return done


# -- for status and `aishell config` ---------------------------------------------------------------------


def project_isolation(project: str) -> str:
    from aishell.config import load_config

    return (load_config(os.path.join(project, ".aishell", "config.yaml")).run or {}).get("isolation", "host")


def project_divergent(home: str, state_dir: str, project: str, isolation: str) -> dict[str, list[str]]:
    """``aishell status``: per harness with a copy, the config files that differ from the host's."""
    if isolation == PRIVILEGED_ISOLATION:
        return {}
    from aishell.harness import HARNESSES

    root = copy_root(state_dir, project, isolation)
    with_copy = [h for h in HARNESSES if any(os.path.isdir(os.path.join(root, d)) for d in h.config_dirs)]
    return divergent(home, root, with_copy, isolation)
