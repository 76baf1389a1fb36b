"""How the JavaScript package managers read an install's arguments: which words are options,
which are an option's value, which are the subcommand and the packages (rule AIS003).

An option that takes a separate value (`npm i -g X --loglevel verbose`, `--omit dev`,
`pnpm add -g X --reporter silent`) must not be read as a package: the fix that removes a
harness package would otherwise leave `npm i -g --loglevel verbose`, which installs the current
project. The tables below come from each tool's own definitions:

- npm: the config definitions of @npmcli/config (`lib/definitions/definitions.js`: every config
  whose type is not Boolean takes a value) and its shorthands; npm parses every word with nopt,
  before the subcommand as after it. nopt also lets a Boolean take a following `true`/`false`,
  and accepts `--no-NAME` and unique abbreviations (`--loglev`).
- pnpm: @pnpm/config's types and the universal options (pnpm also parses with nopt).
- yarn (classic): the commander options of `src/cli/index.js`, `global` and `add`.
- bun: the clap parameters of `src/install/PackageManager/CommandLineArguments.zig`.

A word after an option the table does not know, or after one whose value is optional
(`yarn --prod [bool]`), may be that option's value or a package: the reading is then not
``exact``, and AIS003 reports the install without a fix rather than guess.
"""

from __future__ import annotations

from typing import NamedTuple


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
            "sbom-format sbom-type scope scopes script-shell searchexclude searchlimit searchopts "
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


def read_args(args: list[str], spec: Spec, start: int = 0) -> Reading:
    """Split ``args[start:]`` into options (with their values) and positional words."""
    positional: list[int] = []
    options: list[tuple[str, str | None]] = []
    exact = True
    maybe: set[int] = set()
    n = len(args)
    k = start

    def word_follows(j: int) -> bool:
        return j < n and not (args[j].startswith("-") and args[j] != "-")

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
        if word_follows(k):
            exact = False
            maybe.add(k)
    return Reading(positional, options, exact, frozenset(maybe))


def is_global(reading: Reading, tool: str, env: dict[str, str] | None = None) -> bool:
    """Whether the install is global: `-g`, `--global` (`--global true`), `--location global`
    (npm, also `-L global`), combined `-gf`; for npm also `npm_config_global=true` or
    `npm_config_location=global` in the command's environment. The last setting wins."""
    state = None
    for name, value in reading.options:
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
