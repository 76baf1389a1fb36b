"""AIS003 harness-installed-in-extension: the extension installs a harness.

## What it does
Finds harness installs in a Dockerfile: global package installs
(`npm install -g`, `npm i --global`, every spelling npm reads as an install or
`install-test` (`npm it -g`, `npm install-t -g`, `npm installTest -g`), `pnpm add -g`, `yarn global add`,
`bun add -g`, each also through `corepack` (`corepack pnpm@9 add -g`), and
`volta install`; options before the subcommand such as `npm --prefix DIR` or
`--loglevel verbose`, `--location global`, `npm_config_global=true` or
`npm_config_location=global` in the command's environment, in any case: assigned before it,
exported earlier in the RUN, or set by the stage's `ENV` or `ARG` default (a stage FROM another
keeps them; `sudo` and `env -i` reset them), and combined flags such as `-gf`) of
`@anthropic-ai/claude-code`, `@openai/codex`, `@google/gemini-cli` or
`opencode-ai`, with or without a version or under an alias
(`claude@npm:@anthropic-ai/claude-code`) or as the tarball `npm pack` writes of it
(`npm i -g ./anthropic-ai-claude-code-*.tgz`); Homebrew's formula or cask of each
(`brew install gemini-cli`, `brew install --cask claude-code` or `codex`, `brew install
opencode`, from a tap too: `sst/tap/opencode`); and vendor install scripts fetched
with `curl`/`wget` (`claude.ai/install.sh`, `chatgpt.com/codex/install.sh`, `opencode.ai/install`
and opencode's `install` on `raw.githubusercontent.com` from any branch or tag of `sst/opencode`,
`anomalyco/opencode` or `opencode-ai/opencode`: that host
and path exactly, any scheme, query, case or final dot of the host;
`docs.claude.ai/install.sh.md` is a page, not the installer). A command that installs nothing is
not one: an install given its usage or a dry run (`--help`, `-h`, `--dry-run`,
`npm_config_dry_run=true`; the last setting counts), a download that fetches no body (`curl -I`,
`--head`, `wget --spider`, either tool's usage or version, in a cluster too: `wget -qh`) or whose
body goes only into a digest (`curl … | sha256sum`).
A package or script URL a variable gives is read too (`npm i -g $PKG`, `"${PKG}"`, `curl $URL |
bash`): its values where the command runs, the ones the RUN assigned before it (`PKG=…;`, `export`,
`for p in @anthropic-ai/claude-code @openai/codex; do npm i -g "$p"; done`) or else the stage's
`ENV` or `ARG` default (a bare `ARG PKG` takes the global one; a stage FROM another keeps them),
and a default or alternative (`${PKG:-@openai/codex}`: the word when the variable may be unset
or empty, which a `--build-arg` may make it); reported at the word.

## Why is this bad?
The extension is the project's heavy image, often 1 GB or more. A harness
installed in it ties that image to one harness version: every harness update
rebuilds the extension, which is the cascade the three tiers exist to
prevent. `aishell build --with-claude` puts the harness in a content-addressed
volume instead, and an update takes seconds.

## Example
```dockerfile
FROM aishell:foundation
RUN npm install -g @anthropic-ai/claude-code typescript
```

## Use instead
```dockerfile
FROM aishell:foundation
RUN npm install -g typescript
```
and build with `aishell build --with-claude`, or set `build.harnesses` in
`.aishell/config.yaml`.

## Fix safety
Unsafe. The fix removes the harness packages from the install, or the whole
command (and the `RUN` when nothing else is left) when it installs nothing
else. Later steps that used the harness, or a pinned version you relied on,
need `--with-<harness>=VERSION` instead. Options keep their values (`--loglevel
verbose`, `--omit dev`): the tool's own option table says which options take
a separate value, and an install with an option it does not know followed by
a word (its value, or a package?) is reported without a fix, and so is a package or URL a
variable gives (its value is set elsewhere, an ARG's by `--build-arg` maybe), and one
whose other packages are all variables or substitutions (`npm i -g $EXTRA
@anthropic-ai/claude-code`): with `EXTRA` empty, `npm i -g` alone would install
the current folder as a global package. Under a `SHELL` that is no POSIX
shell (`pwsh`, `cmd`: their own grammar) only a fix that removes the whole
`RUN` is offered. Installs nested
in `sh -c` strings or control structures get no fix, and neither does an install script that is
downloaded to a file and run by a later command (only `curl … | bash` is
removed whole); nor does an install that is one stage of a pipeline (`npm i -g … |
tee /log; cat /log` would leave a `cat` of a file never written). A command the rest of the list depends on gets no fix: an
operand of `||` (`command -v claude || npm i -g …` would leave the failing
check, `npm i -g … || exit 1` an `exit 1`), one that writes a file (`npm i -g
… > log; grep -q added log`), one sent to the background that a later `wait
"$!"` waits for. A heredoc the removed command opens goes with it; the only
line of a body the RUN's line feeds to a shell (`cat <<EOF | sh && echo ok`)
goes with the RUN only where that line is one pipeline, else no fix; a removal
that would take a comment line between continuations gets no fix, and a `RUN`
removed whole takes the comment lines directly above it (and, continued to the end of the file,
the lines after it: BuildKit reads them as its own). Every fix is checked
before it is applied; one that fails is reported as not fixable.
"""

from __future__ import annotations

import re

from aishell.findings import UNSAFE, Edit, Example, Fix, Violation
from aishell.harness import find_brew_install, find_install, find_install_shared, may_name_install, script_harness
from aishell.rule import RuleContext
from aishell.shell import SHELLS, analyse_run, shell_instruction, variable_values
from aishell.lint_rules._edits import COMMENT_LINE, drop_command, drop_run_after, removes_run
from aishell.lint_rules._npm_env import reading, stage_envs
from aishell.lint_rules._provides import mentions_harness as may_mention_harness
from aishell.lint_rules import _provides
from aishell.lint_rules._provides import stage_values, version_key

CODE = "AIS003"
NAME = "harness-installed-in-extension"
SEVERITY = "warning"
FIX_AVAILABILITY = "sometimes"

VALID = [
    Example("FROM aishell:foundation\nRUN npm install -g typescript pnpm\n", name="other global packages"),
    Example("FROM aishell:foundation\nRUN npm install @anthropic-ai/sdk openai\n", name="SDKs, not harnesses"),
    Example("FROM aishell:foundation\nRUN npm install -g @anthropic-ai/claude-code-helper\n", name="similar name"),
    Example("FROM aishell:foundation\nRUN echo 'npm install -g @openai/codex' > /notes.txt\n", name="in a string"),
    Example(
        "FROM aishell:foundation\nRUN curl -fsSL https://example.com/install.sh | bash\n", name="other install script"
    ),
]

INVALID = [
    Example(
        "FROM aishell:foundation\nRUN npm install -g @anthropic-ai/claude-code\n",
        "FROM aishell:foundation\n",
        name="only package",
        spans=((2, 20, 2, 45),),
    ),
    Example(
        "FROM aishell:foundation\nRUN npm install -g @anthropic-ai/claude-code@1.0.0 typescript\n",
        "FROM aishell:foundation\nRUN npm install -g typescript\n",
        name="with a version, among other packages",
        spans=((2, 20, 2, 51),),
    ),
    Example(
        "FROM aishell:foundation\nRUN npm i --global \\\n      typescript \\\n      @openai/codex \\\n      eslint\n",
        "FROM aishell:foundation\nRUN npm i --global \\\n      typescript \\\n      eslint\n",
        name="continued package list",
        spans=((4, 7, 4, 20),),
    ),
    Example(
        "FROM aishell:foundation\nRUN apt-get update && pnpm add -g opencode-ai@latest && rm -rf /tmp/*\n",
        "FROM aishell:foundation\nRUN apt-get update && rm -rf /tmp/*\n",
        name="pnpm in a chain",
        spans=((2, 35, 2, 53),),
    ),
    Example(
        "FROM aishell:foundation\nRUN yarn global add @google/gemini-cli\n",
        "FROM aishell:foundation\n",
        name="yarn global",
        spans=((2, 21, 2, 39),),
    ),
    Example(
        "FROM aishell:foundation\nRUN bun add -g @openai/codex @google/gemini-cli\n",
        "FROM aishell:foundation\n",
        findings=2,
        name="two harnesses in one install",
        spans=((2, 16, 2, 29), (2, 30, 2, 48)),
    ),
    Example(
        "FROM aishell:foundation\nRUN curl -fsSL https://claude.ai/install.sh | bash\n",
        "FROM aishell:foundation\n",
        name="install script",
        spans=((2, 5, 2, 9),),
    ),
    Example(
        "FROM aishell:foundation\nRUN sh -c 'npm install -g @openai/codex'\n",
        None,
        name="inside sh -c: reported, no fix",
        spans=((2, 27, 2, 40),),
    ),
    Example(
        "FROM aishell:foundation\nRUN npm --prefix /usr/local install -g @openai/codex\n",
        "FROM aishell:foundation\n",
        name="an option with a value before the subcommand",
        spans=((2, 40, 2, 53),),
    ),
    Example(
        "FROM aishell:foundation\nRUN npm --location global install @google/gemini-cli typescript\n",
        "FROM aishell:foundation\nRUN npm --location global install typescript\n",
        name="--location global",
        spans=((2, 35, 2, 53),),
    ),
    Example(
        "FROM aishell:foundation\nRUN npm i -gf claude@npm:@anthropic-ai/claude-code\n",
        "FROM aishell:foundation\n",
        name="combined short flags and an alias",
        spans=((2, 15, 2, 51),),
    ),
    Example(
        "FROM aishell:foundation\nRUN curl -fsSLo /tmp/i.sh https://claude.ai/install.sh && bash /tmp/i.sh\n",
        None,
        name="script downloaded, then run: reported, no fix",
        spans=((2, 5, 2, 9),),
    ),
    Example(
        "FROM aishell:foundation\nRUN npm i -g @anthropic-ai/claude-code --loglevel verbose typescript\n",
        "FROM aishell:foundation\nRUN npm i -g --loglevel verbose typescript\n",
        name="an option's value is not a package: it stays with its option",
        spans=((2, 14, 2, 39),),
    ),
    Example(
        "FROM aishell:foundation\nRUN npm --loglevel verbose i -g @openai/codex\n",
        "FROM aishell:foundation\n",
        name="an option with a value before the subcommand, the harness alone: the command goes",
        spans=((2, 33, 2, 46),),
    ),
    Example(
        "FROM aishell:foundation\nRUN npm_config_global=true npm i @google/gemini-cli\n",
        "FROM aishell:foundation\n",
        name="global through npm's environment",
        spans=((2, 34, 2, 52),),
    ),
    Example(
        "FROM node:24\nENV NPM_CONFIG_GLOBAL=true\nRUN npm install @openai/codex\n",
        "FROM node:24\nENV NPM_CONFIG_GLOBAL=true\n",
        name="global through the stage's ENV",
        spans=((3, 17, 3, 30),),
    ),
    Example(
        "FROM node:24\nARG PKG=@anthropic-ai/claude-code\nRUN npm i -g $PKG\n",
        None,
        name="a package an ARG's default gives: reported at the word, no fix",
        spans=((3, 14, 3, 18),),
    ),
    Example(
        'FROM node:24\nRUN for p in @openai/codex typescript; do npm i -g "$p"; done\n',
        None,
        name="a package a loop gives: no fix",
        spans=((2, 52, 2, 56),),
    ),
    Example(
        "FROM aishell:foundation\nRUN brew install gemini-cli jq\n",
        "FROM aishell:foundation\nRUN brew install jq\n",
        name="Homebrew's formula",
        spans=((2, 18, 2, 28),),
    ),
    Example(
        "FROM aishell:foundation\nRUN curl -fsSL https://raw.githubusercontent.com/sst/opencode/dev/install | bash\n",
        "FROM aishell:foundation\n",
        name="opencode's install script from its repository",
        spans=((2, 5, 2, 9),),
    ),
    Example(
        "FROM node:24\nRUN npm pack @openai/codex && npm i -g ./openai-codex-*.tgz\n",
        "FROM node:24\nRUN npm pack @openai/codex\n",
        name="the tarball npm pack wrote",
        spans=((2, 40, 2, 60),),
    ),
    Example(
        "FROM aishell:foundation\nRUN npm i -g --frobnicate @openai/codex typescript\n",
        None,
        name="an option it does not know, then a word (its value, or a package?): reported, no fix",
        spans=((2, 27, 2, 40),),
    ),
]


_SHARED: dict[int, tuple[object, set[int]]] = {}


def _shared_items(script) -> set[int]:
    """The list items of ``script`` that hold more than one command (a pipeline's stages, or a
    command inside another's words), read once a script (a RUN of 100,000 installs asks for each)."""
    hit = _SHARED.get(id(script))
    if hit is not None and hit[0] is script:
        return hit[1]
    seen: set[int] = set()
    shared: set[int] = set()
    for c in script.commands:
        (shared if c.item in seen else seen).add(c.item)
    if len(_SHARED) > 64:
        _SHARED.clear()
    _SHARED[id(script)] = (script, shared)
    return shared


# What reads a download piped into it and keeps none of it: its digest or count is the output
# (`curl -fsSL …/install.sh | sha256sum`: the script is fetched, not run nor saved).
_DIGESTS = frozenset(
    {"sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "md5sum", "b2sum", "cksum", "sum", "wc"}
)
_CURL_SAVES = ("--output", "--remote-name", "--remote-name-all", "--output-dir")


def _curl_saves(a: str) -> bool:
    """A curl word that writes the body to a file (`-o f`, `-sSLo f`, `-O`, `--output=f`)."""
    if a[:2] == "--":
        return a.split("=", 1)[0] in _CURL_SAVES
    return a[:1] == "-" and ("o" in a or "O" in a)


def _wget_stdout(args: list[str], k: int) -> bool:
    """wget's `-O -`, `-qO-`, `--output-document=-` (or `… -`) at args[k]: the body to stdout."""
    a = args[k]
    nxt = args[k + 1 : k + 2] == ["-"]
    if a.startswith("--output-document"):
        return a == "--output-document=-" or a == "--output-document" and nxt
    return a[:1] == "-" and a[1:2] != "-" and (a.endswith("O-") or a.endswith("O") and nxt)


def _only_digested(text: str, script, cmd) -> bool:
    """The download ``cmd`` writes the script to its stdout (curl without an output file, wget
    with `-O -`), and that is a pipe straight into a digest (_DIGESTS) in the same pipeline."""
    if cmd.nested or cmd.start is None or cmd.end is None or ">" in text[cmd.start : cmd.end]:
        return False
    args = cmd.argv[1:]
    if cmd.name == "curl":
        if any(_curl_saves(a) for a in args):
            return False
    elif not any(_wget_stdout(args, k) for k in range(len(args))):
        return False  # (wget saves the file)
    commands = script.commands
    k = commands.index(cmd)
    nxt = commands[k + 1] if k + 1 < len(commands) else None
    if nxt is None or nxt.item != cmd.item or nxt.nested or nxt.name not in _DIGESTS or nxt.start is None:
        return False
    return text[cmd.end : nxt.start].strip() == "|"


def _piped_to_a_shell(script, cmd) -> bool:
    """The download is piped straight into a shell in the same list item (`curl … | bash`)."""
    return any(c.item == cmd.item and c is not cmd and c.name in SHELLS for c in script.commands)


# An install's command is one of these tools (aishell.harness.find_install): a RUN whose text
# names none of them, and has no quote or backslash that could join one from pieces (`n"p"m`),
# installs nothing, and its script is not read (a chain of stages running `claude --version`).
_INSTALLER_WORDS = ("npm", "curl", "wget", "yarn", "bun", "volta", "brew", "'", '"', "\\")  # ("pnpm" holds "npm")
_INSTALLER = re.compile("|".join(re.escape(w) for w in _INSTALLER_WORDS))


def may_install(ins) -> bool:
    """Cheap pre-check: False when the RUN's text and heredoc bodies cannot hold an install: no
    installer word, or no word of a harness package or install script (may_name_install: a RUN
    of a 10 MB file that runs `claude --version` installs nothing, and its script was read for
    this rule alone). The exec form's JSON escapes spell words otherwise: only the first test."""
    search = _INSTALLER.search
    if search(ins.logical) is None and not (ins.heredocs and any(search(d.content) for d in ins.heredocs)):
        return False
    if ins.json_args is not None or may_name_install(ins.logical):
        return True
    return any(may_name_install(d.content) for d in ins.heredocs) if ins.heredocs else False


# The commands find_install and find_brew_install read.
_INSTALLERS = frozenset({"npm", "pnpm", "yarn", "bun", "volta", "corepack", "brew", "curl", "wget"})


def _installs_none(df) -> bool:
    """No RUN of the file can hold an install: their texts are pieces of the file's (nothing
    joins two pieces without the escape character or a line ending to drop), and none names a
    tool (a chain of 200,000 stages running `claude --version` reads none of them), or none names
    a harness package or script host (200,000 `RUN npm ci`: may_install's second test, of the
    whole text; with no backslash, which the exec form's JSON reads). Asked by read_later, then
    by check: the answer of the file read_later asked of is taken (_NONE)."""
    got = _NONE
    if got[0] is df:
        got[0] = None  # (taken: the file is not held past its lint)
        return got[1]
    text = df.text
    if df.escape in text or "\r" in text:
        return False
    return not any(w in text for w in _INSTALLER_WORDS) or ("\\" not in text and not may_name_install(text))


_NONE: list = [None, False]  # (the file read_later asked of, _installs_none's answer)


def read_later(df) -> frozenset:
    """The names of the commands whose RUNs this rule reads after AIS002 read them all (their
    scripts kept compact meanwhile: aishell.shell.COMPACT_KEPT): none in a file whose RUNs
    install nothing (a file of 350,000 distinct `RUN echo N && claude -v`)."""
    if not _PREFILTER:
        return _INSTALLERS
    none = _NONE[1] = _installs_none(df)
    _NONE[0] = df
    return frozenset() if none else _INSTALLERS


_PREFILTER = True  # tests/test_ais002_fast.py compares the rule with and without it

# A fix that removes the RUN's only item (an install that is the whole RUN: `RUN npm install -g
# @anthropic-ai/claude-code@1.0.N`) made with the instruction before it at hand (_edits.drop_run_after,
# as AIS002 makes it), not by drop_command's drop_instruction, which looks that instruction up in
# an index and reads the block's start again (a file of 190,000 such RUNs, issue 18).
# tests/test_ais003_drop_run_fast.py compares the findings with it off.
DROP_RUN = True


def _install_message(inst) -> str:
    names = ", ".join(f"`{h.brew if inst.kind == 'brew' else h.npm_package}`" for h in inst.harnesses)
    return (
        f"{names} installed in the extension image: every harness update would rebuild it; "
        f"use `aishell build --with-{inst.harnesses[0].name}` (harness volume) instead"
    )


# The message of an install of one harness, made once per harness and way (brew or not), one
# string shared by its findings (a file of 190,000 installs made and kept one each);
# tests/test_shared_installs.py compares the findings with it off.
SHARED_MESSAGES = True
_MESSAGES: dict[tuple[bool, int], tuple[object, str]] = {}


def _message(inst) -> str:
    if not SHARED_MESSAGES or len(inst.harnesses) != 1:
        return _install_message(inst)
    h = inst.harnesses[0]
    key = (inst.kind == "brew", id(h))
    hit = _MESSAGES.get(key)
    if hit is None or hit[0] is not h:  # (the harness held: its id is no other's)
        hit = _MESSAGES[key] = (h, _install_message(inst))
    return hit[1]


_VERSION_MEMO = 4096  # keys kept (VERSION_DIGITS); forgotten all at once past it
_DIGIT = re.compile(r"[0-9]")


def check(ctx: RuleContext):
    df = ctx.df
    prefilter = _PREFILTER
    text = df.text
    if prefilter and _installs_none(df):
        return
    envs = stage_envs(df)  # npm_config_ variables the stages' ENV and ARG set, by RUN
    own = _own_grammar_runs(df) if may_name_shell(text) else ()  # RUNs under pwsh, cmd…
    # Variables the stages' ENV and ARG give a value naming a harness package or script, by RUN
    # (`ARG PKG=@openai/codex`, then `RUN npm i -g $PKG`); none where no ENV or ARG names one
    # (their texts alone are read: the whole file's, unquoted, took a tenth of a second per MB).
    staged = {}
    if "$" in text:
        defined = [ins.args for ins in df.instructions if ins.keyword in ("ENV", "ARG")]
        if defined and may_name_install("\n".join(defined)):
            staged = stage_values(df, may_name_install)
    last = None  # the instruction before ``ins`` (DROP_RUN)
    # (VERSION_DIGITS: a RUN's key -> its findings as (message, start, end from the RUN's start,
    # whether the fix removes the RUN), or None: not kept)
    memo: dict[tuple, tuple | None] = {}
    versions = _provides.VERSION_DIGITS and "@" in text
    rec = None  # (the findings of the RUN being read, kept for its key)
    for ins in df.instructions:
        before, last = last, ins
        # An ONBUILD's RUN is analysed, the ONBUILD edited: the edit helpers index the file's
        # instructions, and the RUN an ONBUILD carries is not one of them (looking it up rebuilt
        # the index for every ONBUILD: quadratic in the number of ONBUILD installs).
        run = ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins
        if run.keyword != "RUN":
            continue
        held = staged.get(ins.start) if staged else None  # (the variables the RUN spells)
        values = {name: v for name, (v, _) in held.items()} if held is not None else None
        key = None
        if versions and values is None and before is not None and "@" in run.logical:
            zeroed = version_key(text[ins.start : ins.end])
            if zeroed is not None:
                key = (zeroed, envs.get(ins.start) if envs else None, ins.start in own)
                kept = memo.get(key)
                if kept is not None:
                    # (a RUN of the same key before: its findings, here; its fix made again)
                    at = ins.start
                    fix = None
                    for message, a, b, whole in kept:
                        if whole and fix is None:
                            fix = Fix(UNSAFE, "Remove the harness install", (drop_run_after(df, ins, before),))
                        yield Violation(message, a + at, b + at, fix if whole else None)
                    continue
                if len(memo) >= _VERSION_MEMO:
                    memo.clear()
        if values is None and (not may_mention_harness(run) or (prefilter and not may_install(run))):
            if key is not None:
                memo[key] = ()
            continue
        if key is not None:
            rec = []
        script = analyse_run(run)
        expanded = None  # the variables the RUN assigned, before each command (read when asked)
        # A SHELL that is no POSIX shell (`pwsh`, `cmd`) reads the line by its own grammar (in cmd,
        # `&` runs the next command; in PowerShell it calls one, `@x` splats): only an edit that
        # removes the whole RUN is read the same way by it.
        own_grammar = ins.start in own and run.json_args is None
        # The stage's (`ENV npm_config_global=true`), then `export npm_config_global=true` earlier
        # in the RUN. Only the values sure at the default build: an ARG's default, not what a
        # --build-arg may give it.
        exported: dict[str, str] | None = reading(envs.get(ins.start)) if envs else None
        # (A command's words' spans are worked out when first read: only an npm command in a RUN
        # that names an npm_config_ variable, or whose stage sets one, needs them here; only npm
        # reads them, is_global.)
        configured = (
            exported is not None
            or "npm_config_" in run.logical.lower()
            or any("npm_config_" in d.content.lower() for d in run.heredocs)
        )
        for cmd in script.commands:
            if cmd.name == "export" and not cmd.nested:
                exported = _exports(cmd.argv, exported)
                continue
            env = _assigned(text, cmd, exported) if configured and cmd.name == "npm" else exported
            inst = find_install_shared(cmd.argv, env) or find_brew_install(cmd.argv)
            if cmd.name in _INSTALLERS and any("$" in w for w in cmd.argv[1:]):
                # Packages or script URLs a variable gives (`npm i -g $PKG`, `for p in …; do npm
                # i -g "$p"`): reported at the word, with no fix (its value comes from elsewhere).
                if expanded is None:
                    expanded = variable_values(run)
                yield from _expanded_installs(cmd, env, expanded.get(cmd.start, {}), values, inst)
                rec = None  # (not kept: VERSION_DIGITS' class has no `$`)
            if inst is None or inst.kind == "script" and _only_digested(text, script, cmd):
                continue
            message = _message(inst)
            if inst.kind == "script" or inst.other_packages == 0:
                # The command installs only harnesses: one finding per harness, each removing the command.
                whole = False  # (the edit removes the RUN: made again where a kept finding goes)
                if not inst.exact:
                    edit = None
                elif DROP_RUN and before is not None and cmd.item == 0 and len(script.items) == 1:
                    # drop_command's answer for the RUN's only item (not nested, the spans exact):
                    # the RUN, with the instruction before it at hand (no index look-up).
                    edit = None if cmd.nested or not script.exact else (drop_run_after(df, ins, before),)
                    whole = True
                else:
                    edit = drop_command(df, ins, script, cmd)
                    if edit and rec is not None:
                        rec = None  # (not kept: an edit of a part of the RUN)
                if own_grammar and edit is not None and not removes_run(df, ins, script, cmd.item):
                    edit = None
                if inst.kind == "script" and not _piped_to_a_shell(script, cmd):
                    # `curl -o i.sh URL && bash i.sh`: removing the download alone would leave the
                    # step that runs it; no fix rather than half of one.
                    edit = None
                elif edit and inst.kind != "script" and cmd.item in _shared_items(script):
                    # `npm i -g … | tee /log; cat /log`: a stage of a pipeline; removing its item
                    # takes the others with it (tee's file, which a later command reads).
                    edit = None
                fix = Fix(UNSAFE, "Remove the harness install", edit) if edit else None
                spans = [cmd.spans[k] for k in inst.package_words] or [cmd.spans[0]]
                for sp in spans:
                    if sp is None:
                        continue
                    if rec is not None:
                        rec.append((message, sp[0] - ins.start, sp[1] - ins.start, whole and fix is not None))
                    yield Violation(message, sp[0], sp[1], fix)
                continue
            rec = None  # (not kept: an install of other packages too, whose fix names a word)
            # Every other package a word that may expand to nothing (`npm i -g $EXTRA claude…`
            # with EXTRA empty): without the harness, the install may name no package, and
            # `npm i -g` alone installs the current folder as a global package (yarn, pnpm and
            # bun fail the build). No word can go then.
            keeps_one = any(not may_be_empty(cmd.argv[k]) for k in inst.other_words)
            for k in inst.package_words:
                sp, prev = cmd.spans[k], cmd.spans[k - 1]
                if sp is None:
                    continue
                fix = None
                if (
                    keeps_one
                    and not own_grammar
                    and inst.exact
                    and prev is not None
                    and not cmd.nested
                    and not COMMENT_LINE.search(df.text, prev[1], sp[1])
                ):
                    # The word and the blanks before it: the word is a package, never an option's
                    # value (aishell.harness.read_args), so the options keep their values.
                    fix = Fix(UNSAFE, f"Remove `{cmd.argv[k]}` from the install", (Edit(prev[1], sp[1], ""),))
                yield Violation(message, sp[0], sp[1], fix)
        if key is not None:
            memo[key] = None if rec is None or any(_DIGIT.search(r[0]) for r in rec) else tuple(rec)
            rec = None


_SHELL_WORD = re.compile("shell", re.I)


def may_name_shell(text: str) -> bool:
    """True wherever ``_SHELL_WORD.search(text)`` finds the word (tests/test_ais003_fast.py). Most
    files say `aishell` near the top; a file that never says it was scanned whole by that
    case-blind regex (0.11 s at 10 MB): lower-cased in C, then searched, it takes a tenth of
    that. The regex also reads the long s (U+017F) as an `s`; lower() keeps it."""
    if "shell" in text or "SHELL" in text:
        return True
    return "shell" in text.lower() or "\u017f" in text


def _own_grammar_runs(df) -> set[int]:
    """The starts of the RUN and ONBUILD instructions that run under a SHELL that is no POSIX shell
    run as `SHELL -c`: a stage starts with its base stage's SHELL (an earlier stage it is built
    FROM) or `/bin/sh -c`, and each SHELL instruction sets it from there on. An ONBUILD's RUN runs
    in the image built FROM this one, under the SHELL this stage ends with."""
    from aishell.lint_rules._provides import base_indices

    bases = base_indices(df)
    posix: dict[int, bool] = {}  # stage -> its SHELL so far is a POSIX shell
    out: set[int] = set()
    triggers: dict[int, list[int]] = {}
    for ins in df.instructions:
        k = ins.stage
        kw = ins.keyword
        if kw == "FROM" and 0 <= k < len(bases):
            b = bases[k]
            posix[k] = posix.get(b, True) if b is not None else True
        elif kw == "SHELL":
            posix[k] = shell_instruction(ins.json_args) is not None
        elif kw == "RUN" and not posix.get(k, True):
            out.add(ins.start)
        elif kw == "ONBUILD":
            triggers.setdefault(k, []).append(ins.start)
    for k, starts in triggers.items():
        if not posix.get(k, True):
            out.update(starts)
    return out


# What may expand to nothing: parameter expansions (any operator), command substitutions, and
# the quotes around them (`"$X"` is one empty word, which npm reads as no package too).
_EXPANSIONS = re.compile(r"\$\{[^}]*\}|\$\([^)]*\)+|`[^`]*`|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?$!-]|[\"']")


def may_be_empty(word: str) -> bool:
    """``word`` (as written) holds nothing but expansions and quotes: it may expand to no
    package at all."""
    return not _EXPANSIONS.sub("", word)


_ASSIGNMENT = re.compile(r"""(?:^|[ \t])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s"';&|]*)""")


# What empties the environment of the command after it: `sudo` (its env_reset; `-E` and
# `--preserve-env` keep it), `env -i`, `env -` and `env --ignore-environment`.
_RESETS = re.compile(
    r"(?<![\w-])(?:sudo(?![\w-])(?!(?:[ \t]+-[^ \t]*)*?[ \t]+(?:-[A-Za-z]*E|--preserve-env))"
    r"|env(?:[ \t]+-[^ \t]*)*?[ \t]+(?:-[A-Za-z]*i[A-Za-z]*|-|--ignore-environment)(?=[ \t]))"
)


def _assigned(text: str, cmd, exported: dict[str, str] | None, resets: bool = True) -> dict[str, str] | None:
    """The npm_config_* variables set for the command: exported earlier in the RUN (or by the
    stage), or assigned before it (`npm_config_global=true npm i …`, `env npm_config_global=true
    npm i …`); `sudo` and `env -i` reset the environment, so only what follows them counts
    (``resets`` False: read as if they kept it, what sudo's env_keep may do)."""
    env = exported
    sp = cmd.spans[0] if cmd.spans else None
    if cmd.start is None or sp is None or sp[0] <= cmd.start:
        return env
    prefix = text[cmd.start : sp[0]]
    if resets and env is not None:
        last = None
        for last in _RESETS.finditer(prefix):
            pass
        if last is not None:
            env = None
            prefix = prefix[last.start() :]
    if "npm_config_" not in prefix.lower():
        return env
    if resets:
        cut = prefix.rfind("sudo")
        if cut >= 0:
            env = None
            prefix = prefix[cut:]
    for m in _ASSIGNMENT.finditer(prefix):
        name = m.group(1).lower()
        if name.startswith("npm_config_"):
            env = dict(env or {})
            env[name] = m.group(2).strip("'\"")
    return env


def _exports(argv: list[str], env: dict[str, str] | None) -> dict[str, str] | None:
    """``env`` with the npm_config_* variables an `export NAME=value …` sets."""
    for word in argv[1:]:
        name, eq, value = word.partition("=")
        if eq and name.lower().startswith("npm_config_"):
            env = dict(env or {})
            env[name.lower()] = value
    return env


# A word's pieces: `$NAME`, `${NAME}`, `${NAME<op>word}` (`:-`, `-`, `:=`, `=`, `:+`, `+`), text.
# (A pattern re compiles on first use, rarely: not at every start.)
_PIECE = r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=+])([^{}$`]*))?\})|([^$]+)|(\$)"
_MAX_READINGS = 16


def _word_values(word: str, shell: dict, staged: dict | None) -> list[str] | None:
    """The texts ``word`` (unquoted, as Command.argv has it) may expand to: each variable's values
    the RUN assigned before it (``shell``, aishell.shell.variable_values), or else the stage's
    (``staged``), a default's or alternative's word; None when a piece is not read here."""
    outs = [""]
    for m in re.finditer(_PIECE, word):
        name = m.group(1) or m.group(2)
        if m.group(6) is not None:
            return None  # (`$(…)`, `$1`, `${#x}`: not read here)
        if name is None:
            outs = [o + m.group(5) for o in outs]
            continue
        held = shell.get(name)
        values = list(held[0]) if held is not None else list((staged or {}).get(name, ()))
        sure = held is not None and held[1]
        op, alt = m.group(3), m.group(4)
        if op is not None:
            if op.endswith("+"):
                values = [alt] if values or not sure else [""]
            elif not sure or not values or (op.startswith(":") and not values[0]):
                values = [v for v in values if v or not op.startswith(":")] + [alt]
        if not values:
            return None
        outs = [o + v for o in outs for v in values][:_MAX_READINGS]
    return outs


def _expanded_installs(cmd, env, shell: dict, staged: dict | None, found):
    """The harness installs a command makes once its words' variables are read (_word_values):
    one finding, with no fix, at each word that gives a harness no word as written gives."""
    argv = cmd.argv
    given = {h.name for h in found.harnesses} if found is not None else set()
    readings: list[tuple[list[str], list[int]]] = [([argv[0]], [0])]  # (argv, the word each came from)
    for k, word in enumerate(argv[1:], 1):
        texts = _word_values(word, shell, staged) if "$" in word else [word]
        if texts is None:
            texts = [word]
        new = []
        for argv2, origin in readings:
            for t in texts:
                parts = t.split() if "$" in word else [t]  # (a value of several words: split)
                new.append((argv2 + parts, origin + [k] * len(parts)))
        readings = new[:_MAX_READINGS]
    where: dict[int, list] = {}
    for argv2, origin in readings:
        inst = find_install(argv2, env) or find_brew_install(argv2)
        if inst is None:
            continue
        if inst.kind == "script":  # (at each word whose value is the script's URL)
            pairs = [(origin[j], script_harness(w)) for j, w in enumerate(argv2) if script_harness(w)]
        else:
            pairs = [(origin[j], h) for j, h in zip(inst.package_words, inst.harnesses)]
        for k, h in pairs:
            if "$" in argv[k] and h.name not in given:
                where.setdefault(k, [])
                if h not in where[k]:
                    where[k].append(h)
    for k, hs in where.items():
        sp = cmd.spans[k]
        if sp is None:
            continue
        names = ", ".join(f"`{h.npm_package}`" for h in hs)
        yield Violation(
            f"{names} installed in the extension image (the value of `{argv[k]}`): every harness update "
            f"would rebuild it; use `aishell build --with-{hs[0].name}` (harness volume) instead",
            sp[0],
            sp[1],
        )
