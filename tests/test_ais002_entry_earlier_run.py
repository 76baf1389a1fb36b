"""AIS002: a harness's entry script that an earlier RUN wrote where `npm i -g` puts it is there
for `node` (red team r40, node-entry-earlier-run).

The class, generated: every way an earlier RUN puts files in a harness's global package
directory (a download to the file, a copy, link or install of it, an archive unpacked into the
directory or one above it, a directory copied there) × every entry path `node` may be given (the
two global prefixes, two harnesses) × the RUN that writes being the one before, or further
back, or in the stage built FROM. The controls keep their error: an earlier RUN that writes
elsewhere, that writes another harness's package, or that only reads the file.
"""

import pytest

from tests.severities import severities

FOUNDATION = "FROM aishell:foundation\n"
PREFIXES = ["/usr/local/lib/node_modules", "/usr/lib/node_modules"]
# (harness executable, package, entry file in it)
ENTRIES = [("claude", "@anthropic-ai/claude-code", "cli.js"), ("codex", "@openai/codex", "bin/codex.js")]

WRITERS = [
    "curl -fsSL https://example.com/x.js --create-dirs -o {pkg}/{file}",
    "wget -qO {pkg}/{file} https://example.com/x.js",
    "mkdir -p {pkg} && curl -fsSL https://example.com/p.tgz | tar -xz --strip-components=1 -C {pkg}",
    "tar -xzf /tmp/p.tgz -C {prefix}",
    "tar -xzf /tmp/p.tgz --directory={pkg}",
    "unzip /tmp/p.zip -d {pkg}",
    "cp -r /opt/pkg {pkg}",
    "cp /opt/x.js {pkg}/{file}",
    "ln -s /opt/x.js {pkg}/{file}",
    "install -D -m644 /opt/x.js {pkg}/{file}",
    "mv /opt/pkg {pkg}",
    "rsync -a /opt/pkg/ {pkg}/",
    "cd /tmp && cp -r pkg {pkg}/",
]
RUNNERS = ["node {entry} --version", "node --no-warnings {entry} -v"]


def _text(writer: str, exe: str, package: str, file: str, prefix: str, runner: str, gap: str = "") -> str:
    pkg = f"{prefix}/{package}"
    entry = f"{pkg}/{file}"
    return (
        FOUNDATION
        + "RUN "
        + writer.format(pkg=pkg, file=file, prefix=prefix)
        + "\n"
        + gap
        + "RUN "
        + runner.format(entry=entry)
        + "\n"
    )


CASES = [
    (w, e, p, r, gap)
    for w in WRITERS
    for e in ENTRIES
    for p in PREFIXES
    for r in RUNNERS
    for gap in ("", "RUN apt-get update\n", "ENV A=1\n")
]


@pytest.mark.parametrize(("writer", "entry", "prefix", "runner", "gap"), CASES)
def test_an_entry_script_an_earlier_run_wrote(writer, entry, prefix, runner, gap):
    text = _text(writer, *entry, prefix, runner, gap)
    assert "error" not in severities(text), text


@pytest.mark.parametrize("writer", WRITERS)
def test_an_entry_script_written_in_a_stage_built_from(writer):
    text = _text(writer, *ENTRIES[0], PREFIXES[0], RUNNERS[0], "")
    first, _, last = text.rpartition("RUN node")
    text = (
        first.replace("FROM aishell:foundation\n", "FROM aishell:foundation AS base\n") + "FROM base\nRUN node" + last
    )
    assert "error" not in severities(text), text


@pytest.mark.parametrize(
    "writer",
    [
        "curl -fsSL https://example.com/x.js -o /opt/cli.js",
        "cp {pkg}/cli.js /tmp/cli.js",
        "tar -xzf /tmp/p.tgz -C /opt",
        "ls {pkg}",
        "cp -r /opt/pkg /usr/local/lib/node_modules/@openai/codex",
    ],
)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_control_an_earlier_run_that_does_not_write_it(writer, prefix):
    text = _text(writer, *ENTRIES[0], prefix, RUNNERS[0])
    assert severities(text) == ["error"], text
