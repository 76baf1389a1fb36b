"""The harness registry: one place that knows each harness.

Used by the lint rules (what is a harness command or install), migrate and the
builder (what goes into the harness volume).
"""

from __future__ import annotations

from typing import NamedTuple

from aishell.install_args import SPECS, is_global, read_args


class Harness(NamedTuple):
    name: str
    executables: tuple[str, ...]
    npm_package: str
    install_method: str  # "npm": installed with npm into the harness volume
    # URL fragments of vendor install scripts (`curl … | bash`).
    install_scripts: tuple[str, ...] = ()
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
        ("opencode.ai/install",),
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
    texts = [ins.logical] + [d.content for d in ins.heredocs]
    return any(word in text for text in texts for word in HARNESS_WORDS)


BY_EXECUTABLE = {exe: h for h in HARNESSES for exe in h.executables}
BY_PACKAGE = {h.npm_package: h for h in HARNESSES}


def package_harness(spec: str) -> Harness | None:
    """The harness an npm package spec names: ``@openai/codex@1.2``, ``opencode-ai@latest``,
    or an alias to one (``claude@npm:@anthropic-ai/claude-code``, ``npm:@openai/codex@1``)."""
    spec = spec.strip("'\"")
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


def script_harness(url: str) -> Harness | None:
    """The harness whose vendor install script ``url`` is: the same host (``www.`` aside) and the
    same path, whatever the scheme or query; `docs.claude.ai/install.sh.md` is another file."""
    rest = url.split("://", 1)[1] if "://" in url else url
    rest = rest.split("#", 1)[0].split("?", 1)[0]
    host, _, path = rest.partition("/")
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].lower().removeprefix("www.")
    path = "/" + path.rstrip("/")
    for h in HARNESSES:
        for frag in h.install_scripts:
            f_host, _, f_path = frag.partition("/")
            if host == f_host and path == "/" + f_path:
                return h
    return None


# -- recognising harness installs in RUN commands -------------------------------

NPM_INSTALL = {"install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall"}


class Install(NamedTuple):
    """A command that installs one or more harnesses."""

    harnesses: tuple[Harness, ...]
    package_words: tuple[int, ...]  # argv indices of the harness packages (empty for scripts)
    other_packages: int  # how many other packages the same command installs
    kind: str  # "npm", "pnpm", "yarn", "bun", "script"
    # False when a word may be an option's value or a package (an option aishell.install_args
    # does not know, or one whose value is optional): the install is certain enough to report,
    # not to edit.
    exact: bool = True


def find_install(argv: list[str], env: dict[str, str] | None = None) -> Install | None:
    """The harness install ``argv`` performs, if any. ``env``: the variables assigned for the
    command (`npm_config_global=true npm i …`), names lower-cased."""
    if not argv:
        return None
    tool = argv[0].rsplit("/", 1)[-1]
    args = argv[1:]
    if tool in ("curl", "wget"):
        hs = tuple(h for a in args if (h := script_harness(a)))
        return Install(hs, (), 0, "script") if hs else None
    spec = SPECS.get(tool)
    if spec is None:
        return None
    reading = read_args(args, spec)
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
        if s < len(pos) and args[pos[s]] in NPM_INSTALL:
            glob = is_global(reading, tool, env)
            return _packages(argv, pos[s + 1 :], reading, glob, tool, exact=s == 0)
    return None


def _packages(argv: list[str], words: list[int], reading, glob: bool, kind: str, exact: bool) -> Install | None:
    if not glob:
        return None
    harness_idx, others, hs = [], 0, []
    for i in words:
        k = i + 1  # an index in argv
        h = package_harness(argv[k])
        if h:
            harness_idx.append(k)
            hs.append(h)
        else:
            others += 1
    if not hs:
        return None
    return Install(tuple(hs), tuple(harness_idx), others, kind, exact and reading.exact)
