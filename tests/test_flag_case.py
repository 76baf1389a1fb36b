"""Builder-flag names are case-sensitive: BuildKit's bflag (frontend/dockerfile/instructions/
bflag.go, BFlags.Parse) looks a name up in its map as written, so `COPY --FROM=x`, `RUN
--MOUNT=…` and `FROM --Platform=…` fail with "unknown flag: --FROM". The line parser (the
`dockerfile` package wraps it) keeps any flag word: the refusal is the instruction parser's.

Generated: every flag of every instruction that reads flags, times every spelling of its name in
upper and lower case letters (all of them for names of up to six letters, else each letter flipped
alone, all upper and capitalised)."""

from __future__ import annotations

import itertools

import dockerfile
import pytest

from aishell.model import DockerfileSyntaxError, parse

# A line each flag is valid on, with a valid value ("{}" is the flag's word).
LINES = {
    ("FROM", "platform"): "FROM {}=linux/amd64 alpine",
    ("RUN", "mount"): "RUN {}=type=cache,target=/c true",
    ("RUN", "network"): "RUN {}=none true",
    ("RUN", "security"): "RUN {}=insecure true",
    ("RUN", "device"): "RUN {}=nvidia.com/gpu=all true",
    ("COPY", "from"): "COPY {}=base /a /b",
    ("COPY", "chown"): "COPY {}=1:1 a /b",
    ("COPY", "chmod"): "COPY {}=755 a /b",
    ("COPY", "link"): "COPY {} a /b",
    ("COPY", "parents"): "COPY {} a /b",
    ("COPY", "exclude"): "COPY {}=*.md . /b",
    ("ADD", "chown"): "ADD {}=1:1 a /b",
    ("ADD", "chmod"): "ADD {}=755 a /b",
    ("ADD", "link"): "ADD {} a /b",
    ("ADD", "keep-git-dir"): "ADD {} https://example.com/r.git /b",
    ("ADD", "checksum"): "ADD {}=sha256:" + "0" * 64 + " https://example.com/a /b",
    ("ADD", "exclude"): "ADD {}=*.md . /b",
    ("ADD", "unpack"): "ADD {}=true https://example.com/a.tar /b",
    ("ADD", "parents"): "ADD {} a /b",
    ("HEALTHCHECK", "interval"): "HEALTHCHECK {}=30s CMD true",
    ("HEALTHCHECK", "timeout"): "HEALTHCHECK {}=30s CMD true",
    ("HEALTHCHECK", "start-period"): "HEALTHCHECK {}=30s CMD true",
    ("HEALTHCHECK", "start-interval"): "HEALTHCHECK {}=5s CMD true",
    ("HEALTHCHECK", "retries"): "HEALTHCHECK {}=3 CMD true",
}


def _spellings(name: str) -> list[str]:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) <= 6:
        out = set()
        for ups in itertools.product((False, True), repeat=len(letters)):
            chars = list(name)
            for i, up in zip(letters, ups):
                chars[i] = chars[i].upper() if up else chars[i]
            out.add("".join(chars))
    else:
        out = {name.upper(), name.capitalize()} | {name[:i] + name[i].upper() + name[i + 1 :] for i in letters}
    return sorted(out)


def _file(keyword: str, line: str) -> str:
    return line if keyword == "FROM" else "FROM alpine AS base\n" + line + "\n"


CASES = [(kw, name, spelled) for (kw, name) in LINES for spelled in _spellings(name)]


def test_every_known_flag_is_covered():
    from aishell.model import _KNOWN_FLAGS

    assert {(kw, f) for kw, flags in _KNOWN_FLAGS.items() for f in flags} == set(LINES)


@pytest.mark.parametrize(("keyword", "name", "spelled"), CASES)
@pytest.mark.parametrize("syntax", [False, True])
def test_a_flag_name_is_read_as_written(keyword, name, spelled, syntax):
    """Refused under a `# syntax=` frontend too (it may know more flags, but none reads a name
    case-blind)."""
    text = _file(keyword, LINES[keyword, name].format("--" + spelled))
    if syntax:
        text = "# syntax=docker/dockerfile:1\n" + text
    # BuildKit's line parser keeps the word whatever its case.
    assert any(f"--{spelled}" in f for c in dockerfile.parse_string(text) for f in c.flags)
    if spelled == name:
        flags = [f for ins in parse(text).instructions for f in ins.flags]
        assert [f.name for f in flags] == [name]
        return
    with pytest.raises(DockerfileSyntaxError, match=f"unknown flag: --{spelled}$"):
        parse(text)


@pytest.mark.parametrize(("keyword", "name", "spelled"), [c for c in CASES if c[1] != c[2]][::5])
def test_where_any_flag_passes_it_is_kept_as_written(keyword, name, spelled):
    """ARG takes any flag, and an ONBUILD's trigger is read when a child build runs it: the name
    stays as written there (a rule reading `--from` does not see `--FROM`)."""
    line = LINES[keyword, name].format("--" + spelled)
    text = f"FROM alpine\nONBUILD {line}\n" if keyword != "FROM" else f"FROM alpine\nARG --{spelled}=1 x\n"
    names = [f.name for ins in parse(text).instructions for f in (*ins.flags, *(ins.sub.flags if ins.sub else ()))]
    assert spelled in names
