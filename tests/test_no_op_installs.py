"""AIS003 reports no install where nothing is installed (issue 18: `npm i -g … --dry-run`,
`npm_config_dry_run=true npm i -g …`, `--help`/`-h`, `pnpm add -g … --dry-run`, `curl -I URL`,
`curl --head`, `wget --spider`, `curl … | sha256sum` were warned as installs).

The class: an install command given an option that makes it install nothing (its usage, a dry
run; the last setting counts: `--dry-run false`, `--no-dry-run`), and a download of an install
script that fetches no body (curl's `-I`/`--head`, in a cluster too, wget's `--spider`) or whose
body is neither run nor saved (piped straight into a digest). Generated: tools x harness
packages x no-op options, their negations, where they stand, and near misses (the option as
another option's value, `--dry-run=false`, a cluster without `I`, the body piped into a shell or
`tee`, or saved with `-o`). The oracle is those tools' documented readings, written out here.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

INSTALLS = ["npm i -g", "npm install --global", "pnpm add -g", "yarn global add", "bun add -g"]
PACKAGES = ["@anthropic-ai/claude-code", "@openai/codex", "@google/gemini-cli"]
# (option words, whether they alone make the command install nothing, tools they apply to)
NO_OPS = [
    (["--dry-run"], True, "npm pnpm yarn bun"),
    (["--help"], True, "npm pnpm yarn bun"),
    (["-h"], True, "npm pnpm yarn bun"),
    (["-?"], True, "npm"),
    (["-H"], True, "npm"),
    (["--usage"], True, "npm"),
    (["--dry-run", "false"], False, "npm"),
    (["--dry-run=false"], False, "npm pnpm yarn bun"),
    (["--dry-run=true"], True, "npm pnpm yarn bun"),
    (["--dry-run", "--no-dry-run"], False, "npm"),
    (["--no-dry-run", "--dry-run"], True, "npm"),
    (["--loglevel", "verbose"], False, "npm"),
    ([], False, "npm pnpm yarn bun"),
]


def _ais003(text: str) -> list:
    findings = lint_text(text, "Dockerfile", Options(select=["AIS003"], use_config=False)).findings
    return [f.code for f in findings]


@settings(max_examples=120, deadline=None, derandomize=True)
@given(
    st.sampled_from(INSTALLS),
    st.sampled_from(PACKAGES),
    st.sampled_from(NO_OPS),
    st.booleans(),
    st.sampled_from(["", "npm_config_dry_run=true ", "npm_config_dry_run=false ", "npm_config_dry_run= "]),
)
def test_an_install_given_a_no_op_option_installs_nothing(install, package, no_op, before, env):
    words, quiet, tools = no_op
    tool = install.split()[0]
    if tool not in tools.split():
        words, quiet = [], False
    options = " ".join(words)
    line = f"{install} {options} {package}" if before else f"{install} {package} {options}"
    quiet = quiet or (tool == "npm" and env == "npm_config_dry_run=true " and not any("dry-run" in w for w in words))
    text = f"FROM aishell:foundation\nRUN {env}{line}\n"
    assert bool(_ais003(text)) != quiet, text


CURL_FLAGS = [
    *("-f", "-s", "-S", "-L", "-k", "-fsSL", "-sL", "-I", "-sI", "-fsSLI", "-Is", "--head", "--no-head"),
    *("-h", "-sV", "--help", "--version", "--manual"),
]
CURL_VALUED = [
    *(["-H", "-I"], ["-A", "--head"], ["-o", "i.sh"], ["--output", "i.sh"], ["-sSo", "i.sh"], ["-O"]),
    *(["-A", "--help"], ["-sA", "-h"], ["-Ah"]),
]
READERS = ["bash", "sh -s --", "sha256sum", "md5sum", "wc -c", "tee i.sh", "cat"]


def _curl_oracle(words: list[str], reader: str | None) -> bool:
    """Whether `curl WORDS URL [| READER]` installs (fetches the body, then runs or saves it)."""
    head, saves, k = False, False, 0
    while k < len(words):
        w = words[k]
        k += 1
        if w in ("--help", "--version", "--manual"):
            return False  # (prints usage or its version, and stops)
        if w == "--head":
            head = True
        elif w == "--no-head":
            head = False
        elif w in ("-H", "-A", "--output"):
            saves = saves or w == "--output"
            k += 1
        elif w.startswith("-") and not w.startswith("--"):
            for i, c in enumerate(w[1:]):
                if c in "hVM":
                    return False
                if c == "I":
                    head = True
                if c in "oO":
                    saves = True
                if c in "HAo":
                    k += i == len(w) - 2
                    break
    if head:
        return False
    return saves or reader is None or reader.split()[0] in ("bash", "sh", "tee", "cat")


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.lists(st.one_of(st.sampled_from(CURL_FLAGS).map(lambda f: [f]), st.sampled_from(CURL_VALUED)), max_size=3),
    st.one_of(st.none(), st.sampled_from(READERS)),
)
def test_a_download_that_fetches_no_body_or_keeps_none_installs_nothing(groups, reader):
    words = [w for g in groups for w in g]
    line = "curl " + " ".join(words) + " https://claude.ai/install.sh" + (f" | {reader}" if reader else "")
    text = f"FROM aishell:foundation\nRUN {line}\n"
    assert bool(_ais003(text)) == _curl_oracle(words, reader), text


def test_wget_spider_and_stdout():
    url = "https://claude.ai/install.sh"
    for line, installs in [
        (f"wget --spider {url}", False),
        (f"wget -q --spider {url}", False),
        (f"wget --spider --no-spider {url}", True),
        (f"wget -O --spider {url}", True),  # (`--spider` is the output file's name)
        (f"wget {url}", True),
        (f"wget -qO- {url} | sha256sum", False),
        (f"wget -O - {url} | wc -c", False),
        (f"wget -qO- {url} | sh", True),
        (f"wget {url} | sha256sum", True),  # (saved as install.sh)
        (f"wget -qO- {url} > i.sh | sha256sum", True),
    ]:
        text = f"FROM aishell:foundation\nRUN {line}\n"
        assert bool(_ais003(text)) == installs, text


WGET_FLAGS = ["-q", "-c", "-N", "-nv", "-nc", "-qc", "-h", "-qh", "-V", "-cV", "--spider", "--no-spider", "--help"]
WGET_VALUED = [
    *(["-O", "--spider"], ["-qO", "--spider"], ["--output-document", "--spider"], ["-O", "i.sh"]),
    *(["-e", "-h"], ["-qe", "-V"], ["-Oh"], ["--user-agent", "--help"], ["-U", "--version"], ["-O-"]),
]


def _wget_oracle(words: list[str]) -> bool:
    """Whether `wget WORDS URL` fetches the body (getopt's reading of wget's option table)."""
    spider, k = False, 0
    while k < len(words):
        w = words[k]
        k += 1
        if w in ("--help", "--version"):
            return False
        if w == "--spider":
            spider = True
        elif w == "--no-spider":
            spider = False
        elif w in ("--output-document", "--user-agent"):
            k += 1
        elif w.startswith("-") and not w.startswith("--"):
            for i, c in enumerate(w[1:]):
                if c in "hV":
                    return False
                if c in "OeUn":
                    k += i == len(w) - 2
                    break
    return not spider


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.sampled_from(WGET_FLAGS).map(lambda f: [f]), st.sampled_from(WGET_VALUED)), max_size=3))
def test_wget_that_fetches_no_body_installs_nothing(groups):
    """wget's usage and version stop it in a cluster too (`-qh`); `--spider` fetches headers only
    (the last of it and `--no-spider` counts); any of them as an option's value is that value."""
    words = [w for g in groups for w in g]
    line = "wget " + " ".join(words) + " https://claude.ai/install.sh"
    text = f"FROM aishell:foundation\nRUN {line}\n"
    assert bool(_ais003(text)) == _wget_oracle(words), text
