"""A file made on PATH under a name or directory an expansion gives may be any harness: AIS002
warns, it does not block the build (issue 18, "Precision where it blocks a build").

Found by a red team: `for t in claude codex; do ln -sf "/opt/harness/bin/$t" "/usr/local/bin/$t";
done` then `RUN claude --version` was an AIS002 error, as were `t=claude && ln -s /opt/x
/usr/local/bin/$t`, `ARG BIN=/usr/local/bin` then `cp /opt/claude "$BIN/claude"`, `ln -s /opt/x
/usr/local/bin/${TOOL:-claude}`, `curl -o "/usr/local/bin/${name}"`, `echo x > /usr/local/bin/$n`
and `xargs -I{} ln -s /opt/{} /usr/local/bin/{}`. The class: a created path whose directory or last
part holds an expansion (`$t`, `${t}`, `$( )`, backticks, xargs's or find's `{}`) may be any name
in any directory (lint_rules/_provides.py, place). Every creating command × every such path ×
every harness × the call in the same RUN or a later one: a warning; the controls (a fixed other
name, a last part that can never be the harness, `claude-$V`, `$V.tar.gz`, a fixed directory off
PATH) stay errors.
"""

import pytest

from tests.severities import CALLS, severities as _severities

CREATORS = [
    "ln -sf /opt/h/bin/x {p}",
    "cp /opt/x {p}",
    "mv /opt/x {p}",
    "install -m 755 /opt/x {p}",
    "rsync -a /opt/x {p}",
    "curl -fsSL -o {p} https://example.com/x",
    "curl -fsSLo {p} https://example.com/x",
    "wget -qO {p} https://example.com/x",
    "echo x > {p}",
    "printf '#!/bin/sh\\n' >> {p}",
    "cat /opt/x | tee {p}",
]
# Paths that may name the harness {h} on PATH.
MAY = [
    "/usr/local/bin/$t",
    '"/usr/local/bin/${t}"',
    "/usr/local/bin/${TOOL:-{h}}",
    "/usr/bin/$(basename /opt/{h})",
    "/usr/local/bin/`echo {h}`",
    '"$BIN/{h}"',
    "${PREFIX:-/usr/local}/bin/{h}",
    "/usr/local/bin/{h}$SUFFIX",
    '"$DEST"',
]
# Paths that cannot.
NOT = ["/usr/local/bin/foo", "/usr/local/bin/foo-$V", "/usr/local/bin/{h}-$V", "/usr/local/bin/$V.tar.gz", "/tmp/$t"]
LOOPS = [
    'for t in claude codex gemini opencode; do ln -sf "/opt/harness/bin/$t" "/usr/local/bin/$t"; done',
    "t={h} && ln -s /opt/x /usr/local/bin/$t",
    "ls /opt/h | xargs -I{{}} ln -s /opt/h/{{}} /usr/local/bin/{{}}",
    "ls /opt/h | xargs -I % cp /opt/h/% /usr/local/bin/%",
    "ls /opt/h | xargs ln -s -t /usr/local/bin",
    "find /opt/h -type f -exec ln -s {{}} /usr/local/bin/ \\;",
]
LOOP_CONTROLS = ["ls /opt/h | xargs -I{{}} ln -s /opt/h/{{}} /opt/h2/{{}}", "find /opt/h -exec ln -s {{}} /opt/x/ \\;"]


def _files(step: str, call: str):
    head = "FROM debian:12\nARG BIN=/usr/local/bin\n"
    yield head + f"RUN {step} && {call}\n"
    yield head + f"RUN set -e; {step}; {call}\n"
    yield head + f"RUN {step}\nRUN {call}\n"
    yield head + f"RUN {step}\nFROM debian:12 AS x\nRUN {call}\n"  # (a new stage: nothing carried)


def _check(step: str, call: str, may: bool):
    for k, text in enumerate(_files(step, call)):
        got = _severities(text)
        if k == 3 or not may:
            assert got == ["error"], (text, got)
        else:
            assert got in ([], ["warning"]), (text, got)  # (a warning at most)


@pytest.mark.parametrize("harness", sorted(CALLS))
@pytest.mark.parametrize("creator", CREATORS)
def test_a_path_an_expansion_names_may_be_the_harness(creator, harness):
    for path in MAY:
        _check(creator.format(p=path.replace("{h}", harness)), CALLS[harness], True)
    for path in NOT:
        _check(creator.format(p=path.replace("{h}", harness)), CALLS[harness], False)


@pytest.mark.parametrize("harness", sorted(CALLS))
def test_loops_and_xargs_may_make_any_name(harness):
    for form in LOOPS:
        _check(form.format(h=harness), CALLS[harness], True)
    for form in LOOP_CONTROLS:
        _check(form.format(h=harness), CALLS[harness], False)
