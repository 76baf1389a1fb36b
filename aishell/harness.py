"""The harness registry: one place that knows each harness.

Used by the lint rules (what is a harness command or install), migrate and the
builder (what goes into the harness volume).
"""

from __future__ import annotations

import re

from typing import NamedTuple


class Harness(NamedTuple):
    name: str
    executables: tuple[str, ...]
    npm_package: str
    install_method: str  # "npm": installed with npm into the harness volume
    # URL fragments of vendor install scripts (`curl … | bash`): host and path, a `*` in the path
    # any part of it (a branch or tag of a repository: `refs/heads/main`, `v1.0`).
    install_scripts: tuple[str, ...] = ()
    # Its Homebrew formula or cask (`brew install gemini-cli`, `brew install --cask codex`).
    brew: str = ""
    # -- at run time (aishell claude|codex|gemini|opencode) --
    # Folders under HOME where the harness keeps its config, login and sessions: mounted from
    # the host at the same path. Never a single file that the harness replaces by rename.
    state_dirs: tuple[str, ...] = ()
    # The harness's own variables, passed through when set on the host (values never printed).
    env: tuple[str, ...] = ()
    # Fixed variables: self-update off (the volume is read-only), config kept inside state_dirs.
    # "{home}" is the host's HOME.
    run_env: tuple[tuple[str, str], ...] = ()
    # Arguments put before the user's (codex has no variable for its update check).
    run_args: tuple[str, ...] = ()
    # (host file, file in a state folder): copied once, when only the first exists, so a login
    # made on the host before is found by the first run (HOME-relative paths; run.isolation: shared).
    seed_files: tuple[tuple[str, str], ...] = ()
    # -- the project's copy of the harness's config (aishell/runner/harness_state.py, docs/run.md) --
    # Folders (HOME-relative, among state_dirs) whose files are copied from the host into the
    # project's copy before each run: settings, hooks, MCP servers, instructions, plugins.
    config_dirs: tuple[str, ...] = ()
    # Names (fnmatch patterns, first level under a config_dir) never copied from the host: the
    # harness's per-path state (sessions, history, caches, logs), kept per project, and the
    # files below, handled apart.
    per_project: tuple[str, ...] = ()
    # Login files (HOME-relative), shared both ways between the host and every project's copy.
    # Data only: regular files, never symlinks; nothing executable is among them.
    credential_files: tuple[str, ...] = ()
    # A JSON file that mixes config, state and login: (host file, file in the copy, auth keys).
    # Only the auth keys are shared both ways; see harness_state.JsonLogin.
    json_login: tuple[str, str, tuple[str, ...]] | None = None
    # Hosts the harness must reach under `--egress allowlist` (its API, login, telemetry, update
    # checks), by name, never resolved by aishell; "*." matches any subdomain (docs/egress.md).
    egress_hosts: tuple[str, ...] = ()


CLOUD_ENV = ("AWS_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")

HARNESSES: tuple[Harness, ...] = (
    Harness(
        "claude",
        ("claude",),
        "@anthropic-ai/claude-code",
        "npm",
        ("claude.ai/install.sh",),
        "claude-code",
        # CLAUDE_CONFIG_DIR moves ~/.claude.json (replaced by rename) into ~/.claude/.
        state_dirs=(".claude",),
        env=(
            "ANTHROPIC_API_KEY",
            "ANTHROPIC_AUTH_TOKEN",
            "ANTHROPIC_BASE_URL",
            "ANTHROPIC_MODEL",
            "ANTHROPIC_SMALL_FAST_MODEL",
            "ANTHROPIC_CUSTOM_HEADERS",
            "CLAUDE_CODE_OAUTH_TOKEN",
            "CLAUDE_CODE_USE_BEDROCK",
            "CLAUDE_CODE_USE_VERTEX",
            "ANTHROPIC_VERTEX_PROJECT_ID",
            "CLOUD_ML_REGION",
            "AWS_BEARER_TOKEN_BEDROCK",
            "DISABLE_TELEMETRY",
            "MAX_THINKING_TOKENS",
            *CLOUD_ENV,
        ),
        run_env=(("CLAUDE_CONFIG_DIR", "{home}/.claude"), ("DISABLE_AUTOUPDATER", "1")),
        seed_files=((".claude.json", ".claude/.claude.json"),),
        config_dirs=(".claude",),
        per_project=(
            "projects",
            "todos",
            "shell-snapshots",
            "statsig",
            "logs",
            "debug",
            "file-history",
            "session-env",
            "ide",
            "history.jsonl",
            "plans",
            "cache",
            "telemetry",
            "downloads",
            ".credentials.json",
            ".claude.json",
            ".claude.json.*",
            "*.lock",
        ),
        # Linux keeps the OAuth login in $CLAUDE_CONFIG_DIR/.credentials.json (macOS: the keychain).
        credential_files=(".claude/.credentials.json",),
        # The host's ~/.claude.json (claude without CLAUDE_CONFIG_DIR) holds the account next to
        # MCP servers and per-project settings: only the account keys travel.
        json_login=(
            ".claude.json",
            ".claude/.claude.json",
            ("oauthAccount", "primaryApiKey", "customApiKeyResponses", "userID"),
        ),
        # API, OAuth login (claude.ai, console), feature flags and error reports (statsig, sentry),
        # and the npm registry, which Claude Code asks for its version checks.
        egress_hosts=(
            "api.anthropic.com",
            "claude.ai",
            "console.anthropic.com",
            "statsig.anthropic.com",
            "statsig.com",
            "sentry.io",
            "*.sentry.io",
            "registry.npmjs.org",
        ),
    ),
    Harness(
        "codex",
        ("codex",),
        "@openai/codex",
        "npm",
        ("chatgpt.com/codex/install.sh",),
        "codex",
        state_dirs=(".codex",),
        env=(
            "OPENAI_API_KEY",
            "OPENAI_BASE_URL",
            "OPENAI_ORG_ID",
            "OPENAI_PROJECT_ID",
            "CODEX_API_KEY",
            "AZURE_OPENAI_API_KEY",
        ),
        run_env=(("CODEX_HOME", "{home}/.codex"),),
        run_args=("-c", "check_for_update_on_startup=false"),
        config_dirs=(".codex",),
        per_project=(
            "sessions",
            "archived_sessions",
            "history.jsonl",
            "log",
            "logs*",
            "version.json",
            "auth.json",
            "tmp",
            ".tmp",
            "cache",
            "models_cache.json",
            "*.sqlite",
            "*.sqlite-*",
            "shell_snapshots",
            "*.lock",
        ),
        credential_files=(".codex/auth.json",),
        # API, ChatGPT sign-in (auth.openai.com) and the ChatGPT-plan backend (chatgpt.com).
        egress_hosts=("api.openai.com", "auth.openai.com", "chatgpt.com"),
    ),
    Harness(
        "gemini",
        ("gemini",),
        "@google/gemini-cli",
        "npm",
        (),
        "gemini-cli",
        state_dirs=(".gemini",),
        env=(
            "GEMINI_API_KEY",
            "GOOGLE_API_KEY",
            "GOOGLE_CLOUD_PROJECT",
            "GOOGLE_CLOUD_LOCATION",
            "GOOGLE_GENAI_USE_VERTEXAI",
            "GOOGLE_GENAI_USE_GCA",
            "GEMINI_MODEL",
        ),
        # System settings (written into the volume by templates/harness) turn the update off.
        run_env=(("GEMINI_CLI_SYSTEM_SETTINGS_PATH", "/opt/harness/etc/gemini-cli/settings.json"),),
        config_dirs=(".gemini",),
        per_project=(
            "tmp",
            "history",
            "installation_id",
            "user_id",
            "oauth_creds.json",
            "google_accounts.json",
            "mcp-oauth-tokens*.json",
            "gemini-credentials.json",
            "*.log",
            "*.lock",
        ),
        # Google login (OAuth tokens, the active account) and MCP servers' OAuth tokens.
        credential_files=(
            ".gemini/oauth_creds.json",
            ".gemini/google_accounts.json",
            ".gemini/mcp-oauth-tokens.json",
            ".gemini/mcp-oauth-tokens-v2.json",
            ".gemini/gemini-credentials.json",
        ),
        # Gemini API, Code Assist (Google sign-in), OAuth, and usage statistics (play.googleapis.com).
        egress_hosts=(
            "generativelanguage.googleapis.com",
            "cloudcode-pa.googleapis.com",
            "oauth2.googleapis.com",
            "accounts.google.com",
            "www.googleapis.com",
            "play.googleapis.com",
        ),
    ),
    Harness(
        "opencode",
        ("opencode",),
        "opencode-ai",
        "npm",
        (
            "opencode.ai/install",
            # Its repository's script (sst/opencode, now anomalyco/opencode) and the former
            # opencode-ai/opencode's, from any branch or tag.
            "raw.githubusercontent.com/sst/opencode/*/install",
            "raw.githubusercontent.com/anomalyco/opencode/*/install",
            "raw.githubusercontent.com/opencode-ai/opencode/*/install",
        ),
        "opencode",
        state_dirs=(".config/opencode", ".local/share/opencode", ".local/state/opencode", ".cache/opencode"),
        env=(
            "OPENCODE_CONFIG",
            "ANTHROPIC_API_KEY",
            "OPENAI_API_KEY",
            "GEMINI_API_KEY",
            "GOOGLE_API_KEY",
            "OPENROUTER_API_KEY",
            "GROQ_API_KEY",
            "XAI_API_KEY",
            "DEEPSEEK_API_KEY",
            "GITHUB_TOKEN",
            *CLOUD_ENV,
        ),
        run_env=(("OPENCODE_DISABLE_AUTOUPDATE", "1"),),
        # Plugins' node_modules are reinstalled inside (not copied); data, state and cache stay per project.
        config_dirs=(".config/opencode",),
        per_project=("node_modules", "bun.lock", "bun.lockb", "*.lock"),
        credential_files=(".local/share/opencode/auth.json", ".local/share/opencode/mcp-auth.json"),
        # Its model catalogue (models.dev), its own service, and the providers it is set up with most.
        egress_hosts=(
            "opencode.ai",
            "models.dev",
            "api.anthropic.com",
            "api.openai.com",
            "generativelanguage.googleapis.com",
            "openrouter.ai",
        ),
    ),
)

BY_NAME = {h.name: h for h in HARNESSES}
# Every harness executable, package and install script contains one of these: a RUN whose text
# holds none can neither run nor install a harness, and needs no shell analysis for that.
HARNESS_WORDS = ("claude", "codex", "gemini", "opencode")


def may_mention_harness(ins) -> bool:
    """Cheap pre-check on an instruction's text and heredoc bodies (a hot path on big files)."""
    if mentions_in(ins.logical):
        return True
    if ins.json_args is not None and "\\u" in ins.logical:  # `["\\u0063laude"]`: JSON's escapes
        return mentions_in(" ".join(ins.json_args))
    if not ins.heredocs:
        return False
    return any(mentions_in(d.content) or (d.shell_expands and _echoes_name(d.content)) for d in ins.heredocs)


def mentions_in(text: str) -> bool:
    """Whether ``text`` may name a harness: in any case (an install script's host is:
    `HTTPS://CLAUDE.AI/install.sh`), and with quotes and backslashes taken out (the shell joins
    `c''laude` into `claude`). Substring tests on the lower-cased text, HARNESS_WORDS spelled
    out (tests/test_quoted_names.py checks they are): a case-insensitive regex scanned six
    times slower, and the pre-check reads every RUN of a file."""
    low = text.lower()
    if "claude" in low or "codex" in low or "gemini" in low or "opencode" in low:
        return True
    if "'" in low or '"' in low or "\\" in low:
        unquoted = _unquoted(text, low)
        if "claude" in unquoted or "codex" in unquoted or "gemini" in unquoted or "opencode" in unquoted:
            return True
    if "${" in low:
        matches = list(_defaults(low))
        if matches and _default_joins(low, matches):
            return True
    return "$" in low and "=" in low and _joins_name(low)


def _echoes_name(text: str) -> bool:
    """Whether an unquoted heredoc body ``text`` may name a harness once each `$( )` or backtick
    substitution of an echo or printf of plain words is read as its words (`cl$(echo aude)`:
    aishell.shell._outer_output)."""
    low = text.lower()
    if ("$(" not in low and "`" not in low) or re.search(_ECHOED, low) is None:
        return False
    return any(w in re.sub(_ECHOED, lambda m: m.group(1) or m.group(2) or "", low) for w in HARNESS_WORDS)


# A substitution of one echo or printf of plain words (lower-cased): the words it writes.
# (A pattern, compiled where first used: re's cache keeps it; most files never ask.)
# The words are read without backtracking (possessive, and no trailing blanks in the group):
# blanks the options, the words and the blanks before `)` could each have taken made a line of
# `$(echo` and thousands of spaces with no `)` cubic (163 s for 8,000 spaces).
_WORDS = r"((?:[^()$`\\'\";&|<>\n \t]++|[ \t]++(?=[^()$`\\'\";&|<>\n \t]))*+)"
_ECHOED = (
    r"\$\([ \t]*+(?:echo|printf)[ \t]++(?:-[a-z]++[ \t]++)*+" + _WORDS + r"[ \t]*+\)"
    r"|`[ \t]*+(?:echo|printf)[ \t]++(?:-[a-z]++[ \t]++)*+" + _WORDS + r"[ \t]*+`"
)


# `${X:-word}`, `${X-word}`, `${X:=word}`, `${X+word}`… (lower-cased; the word plain or with
# variables): the word, or nothing, may stand in the expansion's place, joined with the text
# around it (`${v:-cla}ude`, `${c}${v:+x}aude`, `${v:-${c}}aude`: aishell.shell reads them).
# A variable's name is read whole (the lookahead): letters a name could end on and the plain
# part could begin with would otherwise split each `$name` every way there is, and a word with
# no closing `}` (`"${X:-a";"$bb";"$cc";…`) tried them all, exponential in the `$name`s.
_DEFAULT_OPEN = r"\$\{[a-z_0-9]+:?[-=+]((?:[^{}$`]|\$\{?[a-z_][a-z0-9_]*(?![a-z0-9_])\}?)*)"
_DEFAULT_WORD = re.compile(_DEFAULT_OPEN + r"\}")
_DEFAULT_REACH = re.compile(_DEFAULT_OPEN)  # (the word, without its closing `}`)


def _defaults(low: str):
    """_DEFAULT_WORD's matches in ``low``, as its finditer finds them, in time linear in ``low``:
    finditer tries the pattern again at every `${` after one that found no `}`, and each try reads
    on to where the first stopped (`${x:-${x:-${x:-…` with no `}`: quadratic, 6 s for 40 KB). A
    `${` inside the word a failed try read cannot match either (the first try's word reads
    through it and on as far as its own would, so its `}` would have closed the first), so the
    next try starts where the word stopped (_DEFAULT_REACH)."""
    at = low.find("${")
    while at >= 0:
        m = _DEFAULT_WORD.match(low, at)
        if m is not None:
            yield m
            at = low.find("${", m.end())
            continue
        reach = _DEFAULT_REACH.match(low, at)
        at = low.find("${", at + 2 if reach is None else max(reach.end(), at + 2))


def _default_sub(low: str, matches: list, read: str) -> str:
    """_DEFAULT_WORD.sub(read, low), given its ``matches`` (from _defaults: linear)."""
    out, pos = [], 0
    for m in matches:
        out.append(low[pos : m.start()])
        out.append(m.expand(read) if read else "")
        pos = m.end()
    out.append(low[pos:])
    return "".join(out)


def _default_joins(low: str, matches: list) -> bool:
    """Whether ``low`` may name a harness once each `${X:-word}` (its ``matches``, from
    _defaults) is read as its word, or as nothing (then its variables joined as _joins_name
    joins them)."""
    for read in (r"\1", ""):
        joined = _default_sub(low, matches, read)
        if any(w in joined.translate(_QUOTING) for w in HARNESS_WORDS):
            return True
        if "$" in joined and "=" in joined and _joins_name(joined):
            return True
    return False


# `NAME=piece` where the piece (letters, `-`, `.`) may be part of a harness word: a name the shell
# may join from it (`c=cl; ${c}aude`), read by aishell.shell (lower-cased text).
# (_VALUE begins with a literal, which re finds by a fast scan: most texts assign no piece of a
# harness word. The others are patterns re compiles on first use, rarely: not at every start.)
_VALUE = re.compile(r"=[\"']?([a-z.-]+)")
_NAME_BEFORE = r"(?:^|[^\w$])([a-z_][a-z0-9_]*)$"  # the name an `=` at the end follows
_REFERENCE = r"\$\{?([a-z_][a-z0-9_]*)\}?"
_PIECES = frozenset(w[i:j] for w in HARNESS_WORDS for i in range(len(w)) for j in range(i + 1, len(w) + 1))


def _joins_name(low: str) -> bool:
    """Whether ``low`` may name a harness once each variable it assigns a piece of a harness word
    is read where it is referenced (`c=cl; ${c}aude -v`)."""
    if _PIECES.isdisjoint(_VALUE.findall(low)):
        return False  # (most texts: one scan, no match object)
    pieces = {}
    for m in _VALUE.finditer(low):
        if m.group(1) in _PIECES:
            name = re.search(_NAME_BEFORE, low[max(0, m.start() - 64) : m.start()])
            if name is not None:
                pieces[name.group(1)] = m.group(1)
    if not any("$" + name in low or "${" + name + "}" in low for name in pieces):
        return False  # (none of them read)
    joined = re.sub(_REFERENCE, lambda m: pieces.get(m.group(1), " "), low).translate(_QUOTING)
    return any(w in joined for w in HARNESS_WORDS)


def _unquoted(text: str, low: str) -> str:
    """``low`` (``text`` lower-cased) with quotes and backslashes taken out, bash's `$'…'` read:
    every word the shell reads from ``text`` is a run of it, lower-cased."""
    if "$'" in low and "\\" in low:
        # bash's `$'\x63laude'`: its escapes read first (aishell.shell.unquote_bash).
        from aishell.shell import unquote_bash

        low = _ANSI_C.sub(lambda m: unquote_bash(m.group(0)).replace("'", ""), text).lower()
    if "$'" in low or '$"' in low:
        low = low.replace("$'", "'").replace('$"', '"')  # (`c$"laude"`: bash's quotes)
    if "\\\n" in low:
        low = low.replace("\\\n", "")  # (a heredoc body's `cla\<newline>ude`: one word to a shell)
    return low.translate(_QUOTING)


_QUOTING = str.maketrans("", "", "'\"\\")  # what the shell removes from a word
_ANSI_C = re.compile(r"\$'(?:[^'\\]|\\[\s\S])*'?")  # a `$'…'` string


BY_EXECUTABLE = {exe: h for h in HARNESSES for exe in h.executables}
BY_PACKAGE = {h.npm_package: h for h in HARNESSES}


def _script_word(frag: str) -> str:
    """What every URL of the install script ``frag`` holds, lower-cased: its host (its scheme,
    `www.`, user, port or final dot aside), or for one with a `*` (a repository's file on a
    shared host) the path up to it (`/sst/opencode/`)."""
    host, _, path = frag.partition("/")
    return ("/" + path.partition("*")[0] if "*" in path else host).lower()


def _fewest(words: list[str]) -> tuple[str, ...]:
    """``words`` less each that holds another (a text holding it holds that one)."""
    return tuple(w for w in dict.fromkeys(words) if not any(o != w and o in w for o in words))


# What every word find_install (or find_brew_install) reads as a harness holds, lower-cased: a
# package's name past its scope (an alias, a registry tarball, `…/-/claude-code-1.0.0.tgz`, or
# npm pack's, `anthropic-ai-claude-code-1.0.0.tgz`, spells it too), an install script's
# _script_word, or a Homebrew name.
INSTALL_WORDS = _fewest(
    [h.npm_package.rsplit("/", 1)[-1].lower() for h in HARNESSES]
    + [_script_word(frag) for h in HARNESSES for frag in h.install_scripts]
    + [h.brew for h in HARNESSES if h.brew]
)


def may_name_install(text: str) -> bool:
    """Whether ``text`` may hold a word find_install reads as a harness (INSTALL_WORDS), with
    quotes and backslashes taken out as mentions_in takes them (words are not expanded)."""
    low = text.lower()
    if "'" in low or '"' in low or "\\" in low:
        low = _unquoted(text, low)
    return any(w in low for w in INSTALL_WORDS)


def package_harness(spec: str) -> Harness | None:
    """The harness an npm package spec names: ``@openai/codex@1.2``, ``opencode-ai@latest``,
    or an alias to one (``claude@npm:@anthropic-ai/claude-code``, ``npm:@openai/codex@1``)."""
    spec = spec.strip("'\"")
    if "://" in spec:
        return _tarball_harness(spec)
    if "@npm:" in spec:
        spec = spec.split("@npm:", 1)[1]
    elif spec.startswith("npm:"):
        spec = spec[4:]
    if spec.startswith("@"):
        scope, _, rest = spec[1:].partition("/")
        name = "@" + scope + "/" + rest.split("@", 1)[0]
    else:
        name = spec.split("@", 1)[0]
    return BY_PACKAGE.get(name)


# The node_modules folders of a global npm install (`npm root -g` with the prefix /usr or /usr/local).
GLOBAL_NODE_MODULES = ("/usr/lib/node_modules/", "/usr/local/lib/node_modules/")
# A path under what `npm root -g` prints, the folder `npm i -g` installs into, whatever the prefix.
_NPM_ROOT = r"npm\s+(?:root\s+(?:-g|--global|--location[= ]global)|(?:-g|--global|--location[= ]global)\s+root)\s*"
_UNDER_NPM_ROOT = re.compile(rf"(?:\$\(\s*{_NPM_ROOT}\)|`\s*{_NPM_ROOT}`)/")


def global_entry(path: str) -> str:
    """``path`` with a leading `$(npm root -g)/` (or backticks) spelled as the global node_modules
    folder (`node $(npm root -g)/@anthropic-ai/claude-code/cli.js` runs the harness's entry file)."""
    m = _UNDER_NPM_ROOT.match(path)
    return GLOBAL_NODE_MODULES[1] + path[m.end() :] if m else path


# What runs a JavaScript file named after its options (`node FILE`, `bun run FILE`, `deno run FILE`),
# by name: its options that take the next word as their value, those with which no file runs
# (`node -e CODE`, `node --check FILE`), and its subcommand words that come before the file.
SCRIPT_RUNNERS = {
    "node": (
        frozenset({"-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions"}),
        frozenset({"-e", "--eval", "-p", "--print", "-c", "--check", "-v", "--version", "-h", "--help", "-i"}),
        frozenset(),
    ),
    "bun": (
        frozenset({"-r", "--preload", "--cwd", "--env-file", "-c", "--config"}),
        frozenset({"-e", "--eval", "-p", "--print", "-v", "--version", "-h", "--help"}),
        frozenset({"run"}),
    ),
    "deno": (
        frozenset({"-c", "--config", "--import-map", "--env-file", "--lock", "--cert", "--location", "--seed"}),
        frozenset({"-v", "--version", "-h", "--help"}),
        frozenset({"run"}),
    ),
}
SCRIPT_RUNNERS["nodejs"] = SCRIPT_RUNNERS["node"]


def script_operand(name: str, argv: list[str]) -> str | None:
    """The file a script runner (SCRIPT_RUNNERS) runs: the first word after its options and
    subcommand (`node --require x cli.js`, `deno run -A cli.js`); None when it runs none."""
    values, none, subcommands = SCRIPT_RUNNERS[name]
    j = 1
    sub = False
    while j < len(argv):
        w = argv[j]
        if w == "--":
            j += 1
            break
        if w in none:
            return None
        if w.startswith("-") and len(w) > 1:
            j += 2 if w in values else 1
            continue
        if not sub and w in subcommands:
            j, sub = j + 1, True
            continue
        break
    return argv[j] if j < len(argv) else None


def entry_harness(path: str) -> Harness | None:
    """The harness whose npm package holds the file ``path`` names, or which it is: what a script
    runner runs of it (`node /usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js`,
    `node node_modules/.bin/codex`, `bun /usr/local/bin/gemini`, `deno run npm:opencode-ai`)."""
    if path.startswith(("npm:", "jsr:")) or "://" in path:
        return package_harness(path) if path.startswith("npm:") else None
    _, sep, rest = path.rpartition("node_modules/")
    if sep:
        parts = rest.split("/")
        name = "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]
        if name != ".bin":
            return BY_PACKAGE.get(name)
    return BY_EXECUTABLE.get(path.rsplit("/", 1)[-1])


def _tarball_harness(url: str) -> Harness | None:
    """The harness a registry tarball URL holds, by npm's tarball path: `…/NAME/-/BASE-VERSION.tgz`
    (`https://registry.npmjs.org/@anthropic-ai/claude-code/-/claude-code-1.0.0.tgz`), NAME
    scoped or not, on any registry host."""
    path = url.split("://", 1)[1].split("#", 1)[0].split("?", 1)[0]
    parts = path.split("/")[1:]  # after the host
    if "-" not in parts or not parts[-1].endswith((".tgz", ".tar.gz")):
        return None
    k = len(parts) - 1 - parts[::-1].index("-")
    name = "/".join(parts[max(0, k - 2) : k]) if k >= 2 and parts[k - 2].startswith("@") else parts[k - 1] if k else ""
    h = BY_PACKAGE.get(name.replace("%40", "@").replace("%2F", "/").replace("%2f", "/"))
    return h if h is not None and parts[-1].startswith(name.rsplit("/", 1)[-1] + "-") else None


def script_harness(url: str) -> Harness | None:
    """The harness whose vendor install script ``url`` is: the same host (``www.`` aside) and the
    same path, whatever the scheme or query; `docs.claude.ai/install.sh.md` is another file."""
    rest = url.split("://", 1)[1] if "://" in url else url
    rest = rest.split("#", 1)[0].split("?", 1)[0]
    host, _, path = rest.partition("/")
    # The host as DNS reads it: no user, port, case or final dot (`claude.ai.` is claude.ai).
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".").removeprefix("www.")
    path = "/" + path.rstrip("/")
    for h in HARNESSES:
        for frag in h.install_scripts:
            f_host, _, f_path = frag.partition("/")
            if host != f_host:
                continue
            if "*" in f_path:
                # (A repository's owner and name in any case: GitHub reads them so.)
                before, _, after = ("/" + f_path).partition("*")
                low = path.lower()
                if len(path) > len(before) + len(after) and low.startswith(before) and path.endswith(after):
                    return h
            elif path == "/" + f_path:
                return h
    return None


# -- recognising harness installs in RUN commands -------------------------------

# How the JavaScript package managers read an install's arguments: which words are options,
# which are an option's value, which are the subcommand and the packages (rule AIS003).
#
# An option that takes a separate value (`npm i -g X --loglevel verbose`, `--omit dev`,
# `pnpm add -g X --reporter silent`) must not be read as a package: the fix that removes a
# harness package would otherwise leave `npm i -g --loglevel verbose`, which installs the current
# project. The tables below come from each tool's own definitions:
#
# - npm: the config definitions of @npmcli/config (`lib/definitions/definitions.js`: every config
#   whose type is not Boolean takes a value) and its shorthands; npm parses every word with nopt,
#   before the subcommand as after it. nopt also lets a Boolean take a following `true`/`false`,
#   and accepts `--no-NAME` and unique abbreviations (`--loglev`).
# - pnpm: @pnpm/config's types and the universal options (pnpm also parses with nopt).
# - yarn (classic): the commander options of `src/cli/index.js`, `global` and `add`.
# - bun: the clap parameters of `src/install/PackageManager/CommandLineArguments.zig`.
#
# A word after an option the table does not know, or after one whose value is optional
# (`yarn --prod [bool]`), may be that option's value or a package: the reading is then not
# ``exact``, and AIS003 reports the install without a fix rather than guess.


class Spec(NamedTuple):
    value: frozenset  # options (`--name`, `-x`) that take the next word as their value
    flag: frozenset  # options that take no value
    optional: frozenset  # options whose value is optional: a following word may be theirs
    nopt: bool  # nopt rules: `--no-NAME`, a Boolean may take `true`/`false`, abbreviations


def _opts(*names: str) -> frozenset:
    return frozenset(names)


# npm: @npmcli/config definitions (npm 10-12). Boolean (or [null, Boolean]) types are flags.
_NPM_FLAGS = _opts(
    *(
        "--" + n
        for n in (
            "all allow-same-version allow-scripts-pending allow-scripts-pin allow-unused-patches audit "
            "bin-links bypass-2fa commit-hooks dangerously-allow-all-scripts description dev "
            "diff-ignore-all-space diff-name-only diff-no-prefix diff-text dry-run engine-strict "
            "expect-results force foreground-scripts format-package-lock fund git-tag-version global "
            "global-style if-present ignore-existing ignore-patch-failures ignore-scripts "
            "include-attestations include-staged include-workspace-root init-private install-links json "
            "keep-edit-dir legacy-bundling legacy-peer-deps link long offline "
            "omit-lockfile-registry-resolved optional package-lock package-lock-only packages-all "
            "parseable prefer-dedupe prefer-offline prefer-online production progress provenance "
            "read-only rebuild-bundle save save-bundle save-dev save-exact save-optional save-peer "
            "save-prod shrinkwrap sign-git-commit sign-git-tag strict-allow-scripts strict-peer-deps "
            "strict-ssl timing unicode update-notifier usage version versions workspaces "
            "workspaces-update yes "
            # shorthands that expand to a flag or to an option with its value
            "desc help local n no porcelain readonly iwr d dd ddd quiet q s silent verbose "
            "ws"
        ).split()
    ),
    *("-" + c for c in "afglpSBDEOPvy?Hhdqsn"),
    "-dd",
    "-ddd",
    "-ws",
    "-iwr",
    "-desc",
    "-local",
    "-quiet",
    "-silent",
    "-verbose",
    "-porcelain",
    "-readonly",
    "-help",
    "-no",
)
_NPM_VALUES = _opts(
    *(
        "--" + n
        for n in (
            "_auth access allow-directory allow-file allow-git allow-remote allow-scripts also "
            "audit-level auth-type before ca cache cache-max cache-min cafile call cert cidr cpu depth "
            "diff diff-dst-prefix diff-src-prefix diff-unified edit-dir editor expect-result-count "
            "expires fetch-retries fetch-retry-factor fetch-retry-maxtimeout fetch-retry-mintimeout "
            "fetch-timeout git global-ignore-file globalconfig heading https-proxy include "
            "init-author-email init-author-name init-author-url init-license init-module init-type "
            "init-version init.author.email init.author.name init.author.url init.license "
            "init.module init.version install-strategy key libc local-address location "
            "lockfile-version loglevel logs-dir logs-max maxsockets message min-release-age "
            "min-release-age-exclude name node-gyp node-options noproxy omit only orgs "
            "orgs-permission os otp pack-destination package packages packages-and-scopes-permission "
            "password patches-dir prefix preid provenance-file proxy registry replace-registry-host "
            "save-prefix sbom-format sbom-type scope scopes script-shell searchexclude searchlimit searchopts "
            "searchstaleness shell tag tag-version-prefix token-description umask user-agent "
            "userconfig viewer which workspace "
            # shorthands for an option that takes a value
            "reg enjoy-by"
        ).split()
    ),
    "-C",  # --prefix
    "-w",  # --workspace
    "-L",  # --location
    "-c",  # --call
    "-m",  # --message
    "-reg",
    "-enjoy-by",
)
# [..., Boolean, String]-like types: a following word that is no option may be the value.
_NPM_OPTIONAL = _opts("--browser", "--color")

NPM = Spec(_NPM_VALUES, _NPM_FLAGS, _NPM_OPTIONAL, True)

# pnpm: @pnpm/config types and the universal options (pnpm add/install, pnpm help).
PNPM = Spec(
    _opts(
        *(
            "--" + n
            for n in (
                "dir filter filter-prod test-pattern changed-files-ignore-pattern reporter loglevel "
                "store-dir virtual-store-dir global-dir global-bin-dir global-pnpmfile modules-dir "
                "lockfile-dir lockfile-directory cache-dir state-dir registry network-concurrency "
                "child-concurrency workspace-concurrency fetch-retries fetch-retry-factor "
                "fetch-retry-maxtimeout fetch-retry-mintimeout fetch-timeout node-linker "
                "package-import-method hoist-pattern public-hoist-pattern proxy https-proxy noproxy "
                "save-prefix pnpmfile store use-node-version node-version resolution-mode "
                "allow-build cpu os libc tag config-dir npm-path ca cafile cert key local-address "
                "user-agent"
            ).split()
        ),
        "-C",  # --dir
        "-F",  # --filter
    ),
    _opts(
        *(
            "--" + n
            for n in (
                "global save-dev save-prod save-optional save-peer save-exact save-workspace-protocol "
                "recursive workspace workspace-root ignore-scripts offline prefer-offline silent "
                "stream aggregate-output color use-stderr shamefully-hoist shamefully-flatten "
                "frozen-lockfile lockfile-only force ignore-workspace-root-check strict-peer-dependencies "
                "ignore-pnpmfile lockfile hoist link-workspace-packages shared-workspace-lockfile "
                "side-effects-cache side-effects-cache-readonly unsafe-perm verify-store-integrity "
                "use-running-store-server use-store-server production dev optional save "
                "fail-if-no-match workspace-packages help version verbose"
            ).split()
        ),
        *("-" + c for c in "gDPOErwsdhv"),
    ),
    _opts(),
    True,
)

# yarn classic: src/cli/index.js (global options), commands/global.js and commands/add.js.
YARN = Spec(
    _opts(
        *(
            "--" + n
            for n in (
                "link-folder global-folder modules-folder preferred-cache-folder cache-folder mutex "
                "cwd proxy https-proxy network-concurrency network-timeout registry otp use-yarnrc "
                "prefix"
            ).split()
        ),
    ),
    _opts(
        *(
            "--" + n
            for n in (
                "verbose offline prefer-offline strict-semver json ignore-scripts har ignore-platform "
                "ignore-engines ignore-optional force skip-integrity-check check-files no-bin-links "
                "flat no-lockfile pure-lockfile frozen-lockfile link-duplicates silent no-progress "
                "non-interactive update-checksums no-default-rc enable-pnp pnp disable-pnp focus "
                "version help latest dev peer optional exact tilde ignore-workspace-root-check audit"
            ).split()
        ),
        *("-" + c for c in "svhDPOETWA"),
    ),
    _opts("--prod", "--production", "--emoji", "--scripts-prepend-node-path"),  # `[bool]`: optional
    False,
)

# bun: CommandLineArguments.zig (shared and `add` parameters).
BUN = Spec(
    _opts(
        *(
            "--" + n
            for n in (
                "ca cafile cache-dir cwd backend registry concurrent-scripts network-concurrency omit "
                "linker minimum-release-age cpu os filter"
            ).split()
        ),
    ),
    _opts(
        *(
            "--" + n
            for n in (
                "yarn production prod no-save save dry-run frozen-lockfile force no-cache silent quiet "
                "verbose no-progress no-summary no-verify ignore-scripts trust global save-text-lockfile "
                "lockfile-only help dev development optional peer exact analyze only-missing"
            ).split()
        ),
        *("-" + c for c in "ypPfghdDEa"),
    ),
    _opts("--config", "-c"),  # `<STR>?`: the path is optional
    False,
)

SPECS = {"npm": NPM, "pnpm": PNPM, "yarn": YARN, "bun": BUN}

_BOOL_WORDS = ("true", "false")


def _abbreviation(name: str, spec: Spec) -> str | None:
    """The one long option ``name`` abbreviates (nopt), or None."""
    hits = [o for o in (*spec.value, *spec.flag) if o.startswith(name) and o.startswith("--")]
    return hits[0] if len(hits) == 1 else None


class Reading(NamedTuple):
    positional: list[int]  # indices of the words that are neither options nor option values
    options: list[tuple[str, str | None]]  # (option as written, its value) in order
    exact: bool  # False: some word may be an option's value or a positional, we cannot tell
    maybe_values: frozenset  # indices of positional words that may be an option's value


_new = tuple.__new__  # a NamedTuple made without its Python-level __new__ (one per install read)
_NO_VALUES: frozenset = frozenset()


def read_args(args: list[str], spec: Spec, start: int = 0) -> Reading:
    """Split ``args[start:]`` into options (with their values) and positional words."""
    positional: list[int] = []
    options: list[tuple[str, str | None]] = []
    exact = True
    maybe: set[int] = set()
    n = len(args)
    k = start
    while k < n:
        a = args[k]
        if a == "--":
            positional.extend(range(k + 1, n))
            break
        if not a.startswith("-") or a == "-":
            positional.append(k)
            k += 1
            continue
        name, eq, val = a.partition("=")
        if eq:
            options.append((name, val))
            k += 1
            continue
        if name.startswith("--") and name not in spec.value and name not in spec.flag and name not in spec.optional:
            if spec.nopt and name.startswith("--no-"):
                options.append((name, None))
                k += 1
                if k < n and args[k] in _BOOL_WORDS:
                    k += 1
                continue
            full = _abbreviation(name, spec) if spec.nopt else None
            if full is not None:
                exact = False  # an abbreviation: a later version may make it ambiguous
                name = full
        if name in spec.value:
            if k + 1 >= n:
                options.append((name, None))
                k += 1
                continue
            if args[k + 1].startswith("-") and args[k + 1] != "-":
                exact = False  # `--registry -g`: some tools take it as the value, some not
            options.append((name, args[k + 1]))
            k += 2
            continue
        if name in spec.flag:
            options.append((name, None))
            k += 1
            if spec.nopt and k < n and args[k] in _BOOL_WORDS:
                options[-1] = (name, args[k])
                k += 1
            continue
        if not name.startswith("--") and len(name) > 2:
            # Combined short flags (`-gf`; `-gC DIR`: the last may take a value).
            letters = ["-" + c for c in name[1:]]
            if all(x in spec.flag for x in letters[:-1]) and letters[-1] in spec.flag:
                options.extend((x, None) for x in letters)
                k += 1
                continue
            if all(x in spec.flag for x in letters[:-1]) and letters[-1] in spec.value and k + 1 < n:
                options.extend((x, None) for x in letters[:-1])
                options.append((letters[-1], args[k + 1]))
                k += 2
                continue
        # An option the table does not know, or one whose value is optional: the next word may
        # be its value or a positional word.
        options.append((name, None))
        k += 1
        if k < n and not (args[k].startswith("-") and args[k] != "-"):  # (a word follows)
            exact = False
            maybe.add(k)
    return _new(Reading, (positional, options, exact, frozenset(maybe) if maybe else _NO_VALUES))


_GLOBAL_OPTIONS = frozenset({"-g", "--global", "--no-global", "--local", "--location", "-L"})  # (is_global's)


def is_global(reading: Reading, tool: str, env: dict[str, str] | None = None) -> bool:
    """Whether the install is global: `-g`, `--global` (`--global true`), `--location global`
    (npm, also `-L global`), combined `-gf`; for npm also `npm_config_global=true` or
    `npm_config_location=global` in the command's environment. The last setting wins."""
    state = None
    for name, value in reading.options:
        if name not in _GLOBAL_OPTIONS:
            continue  # (no value read: most options say nothing of it)
        v = None if value is None else value.strip("'\"").lower()
        if name in ("-g", "--global"):
            state = v not in ("false", "0", "null")
        elif name == "--no-global" or (tool == "npm" and name == "--local"):
            state = v == "false"
        elif tool == "npm" and name in ("--location", "-L") and v is not None:
            state = v == "global"
    if state is not None:
        return state
    if tool == "npm" and env:
        g = env.get("npm_config_global")
        if g is not None and g.lower() not in ("", "false", "0", "null"):
            return True
        if (env.get("npm_config_location") or "").lower() == "global":
            return True
    return False


NPM_INSTALL = {"install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall"}
# npm's own spellings of an install besides those (its cmd-list.js `deref`: aliases, unique
# abbreviations, camelCase): `npm install-test` (alias `it`) installs its packages as `install`
# does, then runs the tests; `install-t…` abbreviates it, `installTest` is its camelCase form.
# tests/test_npm_install_spellings.py checks the set against npm's deref when npm is there.
NPM_ONLY_INSTALL = frozenset(
    {
        "it",
        "install-t",
        "install-te",
        "install-tes",
        "install-test",
        "installT",
        "installTe",
        "installTes",
        "installTest",
    }
)


def installs(tool: str, word: str) -> bool:
    """``word`` is the install subcommand of package manager ``tool`` (`npm it`, `pnpm add`)."""
    return word in NPM_INSTALL or (tool == "npm" and word in NPM_ONLY_INSTALL)


class Install(NamedTuple):
    """A command that installs one or more harnesses."""

    harnesses: tuple[Harness, ...]
    package_words: tuple[int, ...]  # argv indices of the harness packages (empty for scripts)
    other_packages: int  # how many other packages the same command installs
    kind: str  # "npm", "pnpm", "yarn", "bun", "volta", "brew", "script"
    # False when a word may be an option's value or a package (an option the tables above do
    # not know, or one whose value is optional): the install is certain enough to report,
    # not to edit.
    exact: bool = True
    other_words: tuple[int, ...] = ()  # argv indices of the other packages


# _installs_nothing: an install command given an option that makes it install nothing
# (tests/test_no_op_installs.py): its usage (`--help`, `-h`; npm's `-?`, `-H`, `--usage`) or a dry run (`--dry-run`, npm's
# `npm_config_dry_run=true`; pnpm has no such option and refuses it); the last setting counts
# (`--dry-run false`, `--no-dry-run`). A download that fetches no body: curl's `-I`/`--head`,
# wget's `--spider`, either's usage or version.
_USAGE = frozenset({"--help", "-h"})
_NPM_USAGE = frozenset({"-?", "-H", "--usage", "-help"})
_FALSE = ("false", "0", "null", "")


def _installs_nothing(reading: Reading, tool: str, env: dict[str, str] | None) -> bool:
    dry = None
    for name, value in reading.options:
        on = value is None or value.strip("'\"").lower() not in _FALSE
        if name in _USAGE or tool == "npm" and name in _NPM_USAGE:
            if on:
                return True
        elif name == "--dry-run":
            dry = on
        elif name == "--no-dry-run":
            dry = False
    if dry is None and tool == "npm" and env:
        value = env.get("npm_config_dry_run")
        dry = value is not None and value.lower() not in _FALSE
    return bool(dry)


# What makes curl or wget fetch no body, read the way their getopt reads it: (long options that
# print usage or version and stop, short letters that do, the long options that fetch headers
# only, the short letters that do, the long option that undoes those, long options that take the
# next word, short letters that take a value: the rest of a cluster, or the next word). An option
# given as another's value (`wget -O --spider`) is that value, not an option.
_NO_BODY_OPTIONS = {
    "curl": (
        frozenset({"--help", "--version", "--manual"}),
        frozenset("hVM"),
        frozenset({"--head"}),
        frozenset("I"),
        "--no-head",
        frozenset(
            "--output --header --user-agent --request --data --data-raw --data-binary --data-urlencode --form "
            "--url --user --proxy --referer --cookie --cookie-jar --config --max-time --connect-timeout --range "
            "--write-out --upload-file --dump-header --cert --key --cacert --retry --retry-delay --output-dir "
            "--continue-at --proto --proto-redir --resolve --connect-to --interface --limit-rate".split()
        ),
        frozenset("AbcCdDeEFHKmoPQrtTuUwxXyYz"),
    ),
    "wget": (
        frozenset({"--help", "--version"}),
        frozenset("hV"),
        frozenset({"--spider"}),
        frozenset(),
        "--no-spider",
        frozenset(
            "--output-document --output-file --append-output --user-agent --directory-prefix --execute "
            "--tries --timeout --wait --quota --input-file --base --domains --include-directories "
            "--exclude-directories --accept --reject --level --header --user --password --post-data "
            "--post-file --method --body-data --referer --load-cookies --save-cookies".split()
        ),
        frozenset("OoaUPetTwQiBDIXARln"),
    ),
}


def _fetches_nothing(tool: str, args: list[str]) -> bool:
    """``tool`` (curl or wget) given ``args`` fetches no body (see _installs_nothing)."""
    stops, stop_letters, heads, head_letters, undo, long_values, value_letters = _NO_BODY_OPTIONS[tool]
    k, n, head = 0, len(args), False
    while k < n:
        a = args[k]
        k += 1
        if a == "--":
            break
        if a.startswith("--"):
            if a in stops:
                return True
            if a in heads:
                head = True
            elif a == undo:
                head = False
            elif a in long_values:
                k += 1
        elif a.startswith("-") and len(a) > 1:
            for i, c in enumerate(a[1:]):
                if c in stop_letters:
                    return True
                if c in head_letters:
                    head = True
                if c in value_letters:
                    k += i == len(a) - 2  # (the value is the next word, or the rest of this one)
                    break
    return head


def find_install(argv: list[str], env: dict[str, str] | None = None) -> Install | None:
    """The harness install ``argv`` performs, if any. ``env``: the variables assigned for the
    command (`npm_config_global=true npm i …`), names lower-cased."""
    if not argv:
        return None
    tool = argv[0].rsplit("/", 1)[-1]
    args = argv[1:]
    if tool == "corepack" and args and args[0].split("@", 1)[0] in COREPACK_TOOLS:
        # `corepack pnpm@9 add -g X`: corepack runs the package manager it names, pin aside.
        inner = find_install([args[0].split("@", 1)[0], *args[1:]], env)
        if inner is None:
            return None
        return inner._replace(package_words=tuple(k + 1 for k in inner.package_words))
    if tool == "volta" and args and args[0] == "install":
        return _volta(argv)
    if tool in ("curl", "wget"):
        hs = tuple(h for a in args if (h := script_harness(a)))
        return Install(hs, (), 0, "script") if hs and not _fetches_nothing(tool, args) else None
    spec = SPECS.get(tool)
    if spec is None:
        return None
    reading = read_args(args, spec)
    if _installs_nothing(reading, tool, env):
        return None
    pos = reading.positional
    # The subcommand is the first word that is neither an option nor an option's value
    # (`npm --prefix /opt install -g …`, `npm --loglevel verbose i …`, `yarn --cwd /x global add`).
    # When that word may be an unknown option's value, the next one may be the subcommand.
    starts = [0, 1] if pos and pos[0] in reading.maybe_values else [0]
    for s in starts:
        if tool == "yarn":
            if [args[i] for i in pos[s : s + 2]] == ["global", "add"]:
                return _packages(argv, pos[s + 2 :], reading, True, tool, exact=s == 0)
            continue
        if s < len(pos) and installs(tool, args[pos[s]]):
            glob = is_global(reading, tool, env)
            return _packages(argv, pos[s + 1 :], reading, glob, tool, exact=s == 0)
    return None


# find_install's answer for a command with no variables given (env None), kept by the command's
# words (its argv list: the same list however often a rule asks of one command, from its script
# as read, kept compact or moved, aishell.shell.COMPACT_KEPT) for the rules after the first that
# asks: AIS002 reads the installs of every RUN, AIS003 then asks again (a file of 190,000 distinct
# installs read each twice). At most SHARED_MAX at a time, let go with the file (forget_installs,
# at the end of a lint): a script kept compact takes its commands' answers with it (aishell.
# compact.take_install) and gives them back when it is read again, so those of the RUNs read last
# are kept here, not every RUN's. tests/test_shared_installs.py compares the rules with it off.
SHARED_INSTALLS = True
SHARED_MAX = 1 << 15
_SHARED: dict[int, tuple[list[str], Install | None]] = {}


def find_install_shared(argv: list[str], env: dict[str, str] | None = None) -> Install | None:
    """find_install(argv, env), asked once per command when ``env`` is None (SHARED_INSTALLS)."""
    if env is not None or not SHARED_INSTALLS:
        return find_install(argv, env)
    hit = _SHARED.get(id(argv))
    if hit is not None and hit[0] is argv:  # (the list is held: its id is no other's while kept)
        return hit[1]
    found = find_install(argv)
    if len(_SHARED) >= SHARED_MAX:
        _SHARED.clear()
    _SHARED[id(argv)] = (argv, found)
    return found


def forget_installs() -> None:
    """The file is linted: the installs read of its commands are let go."""
    _SHARED.clear()


# The commands find_install may read as an install (argv[0] after its last `/`): it answers None
# for any other without a step (a RUN of 800,000 harness calls asks for each; tests/test_harness.py).
INSTALL_TOOLS = frozenset({*SPECS, "corepack", "volta", "curl", "wget"})

# corepack's package managers (`corepack npm …` runs npm only with COREPACK_ENABLE_NPM, still npm).
COREPACK_TOOLS = frozenset({"npm", "pnpm", "yarn"})
# `volta install TOOL[@VERSION]…` installs each tool for the whole machine (volta's own bin
# folder, on PATH): a global install. Its options (clap): --verbose, --quiet, -h/--help.
_VOLTA_FLAGS = frozenset({"--verbose", "--quiet"})


def _volta(argv: list[str]) -> Install | None:
    return _operands(argv, "volta", lambda w: w in _VOLTA_FLAGS, package_harness)


def _operands(argv: list[str], kind: str, known_flag, harness_of) -> Install | None:
    """An install whose words after the subcommand are options (``known_flag``: one the fix may
    keep) and operands, each a harness (``harness_of``) or another package."""
    harness_idx, others, hs, exact, other_idx = [], 0, [], True, []
    for k in range(2, len(argv)):
        word = argv[k]
        if word.startswith("-"):
            exact = exact and known_flag(word)
            continue
        h = harness_of(word)
        if h:
            harness_idx.append(k)
            hs.append(h)
        else:
            others += 1
            other_idx.append(k)
    return Install(tuple(hs), tuple(harness_idx), others, kind, exact, tuple(other_idx)) if hs else None


# npm pack's file name for each harness's package (`@scope/name` -> `scope-name-VERSION.tgz`).
_PACKED = {h.npm_package.lstrip("@").replace("/", "-") + "-": h for h in HARNESSES}


def packed_harness(word: str) -> Harness | None:
    """The harness a local tarball named as `npm pack` names its package holds (`npm pack
    @anthropic-ai/claude-code` writes `anthropic-ai-claude-code-1.0.0.tgz`; `./…-*.tgz` too)."""
    base = word.strip("'\"").removeprefix("file:").rsplit("/", 1)[-1]
    if not base.endswith(".tgz"):
        return None
    for prefix, h in _PACKED.items():
        if base.startswith(prefix) and base[len(prefix) : len(prefix) + 1] in "0123456789*?[":
            return h
    return None


# Homebrew: `brew install [OPTIONS] NAME…` (also `reinstall`), a name with its tap or not
# (`sst/tap/opencode`); the options with which it installs (any other: not exact, no fix).
_BREW_INSTALL = frozenset({"install", "reinstall"})
_BREW_FLAGS = frozenset(
    {"--cask", "--casks", "--formula", "--formulae", "-f", "--force", "-v", "--verbose", "-q", "--quiet", "-d"}
    | {"--debug", "-s", "--build-from-source", "--force-bottle", "--HEAD", "--fetch-HEAD", "--overwrite"}
    | {"--ignore-dependencies", "--only-dependencies", "--no-quarantine", "--adopt", "--skip-cask-deps", "-y"}
)
BY_BREW = {h.brew: h for h in HARNESSES if h.brew}


def find_brew_install(argv: list[str]) -> Install | None:
    """The harnesses a `brew install` in ``argv`` installs (Homebrew's formula or cask of each:
    Harness.brew), as find_install reads an npm install."""
    if len(argv) < 3 or argv[0].rsplit("/", 1)[-1] != "brew" or argv[1] not in _BREW_INSTALL:
        return None
    return _operands(
        argv,
        "brew",
        lambda w: w.split("=", 1)[0] in _BREW_FLAGS,
        lambda w: BY_BREW.get(w.rsplit("/", 1)[-1].split("@", 1)[0].lower()),
    )


def _packages(argv: list[str], words: list[int], reading, glob: bool, kind: str, exact: bool) -> Install | None:
    if not glob:
        return None
    harness_idx, others, hs, other_idx = [], 0, [], []
    for i in words:
        k = i + 1  # an index in argv
        h = package_harness(argv[k]) or packed_harness(argv[k])
        if h:
            harness_idx.append(k)
            hs.append(h)
        else:
            others += 1
            other_idx.append(k)
    if not hs:
        return None
    return _new(Install, (tuple(hs), tuple(harness_idx), others, kind, exact and reading.exact, tuple(other_idx)))
