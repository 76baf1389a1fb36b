"""A download saved under the URL's own name, into the working directory or a directory given,
may put the harness on PATH: AIS002 says no error for it (issue 18, "Precision where it blocks a
build").

Found by a red team: `WORKDIR /usr/local/bin` then `RUN curl -fsSLO https://example.com/dl/claude
&& chmod +x claude`, and `cd /usr/local/bin && wget -q https://example.com/dl/claude`, then `RUN
claude --version`, were AIS002 errors. The class (lint_rules/_provides.py, _downloads): `curl -O`
(clustered too), `--remote-name`, `--remote-name-all`, `wget URL` without `-O`, `wget -P DIR`,
`--directory-prefix`, `aria2c URL`, `aria2c -d DIR` make the URL's last part in the cwd or that
directory; a name the server gives (`curl -J`, `wget --content-disposition`, aria2c's) or URLs read
from a file (`wget -i`) may be any name. A relative destination resolves against the WORKDIR, and
after a `cd` of the RUN it may be anywhere (probably). Every downloader spelling × every harness ×
where it lands × the call in the same RUN or a later one: a warning at most; the controls (another
name, a directory off PATH, output to stdout, `-XPOST`'s `O`, `-o` elsewhere) stay errors.
"""

import pytest

from tests.severities import CALLS, severities as _severities

URL = "https://example.com/dl/{h}"
# Downloads of {h} into the cwd ({u}: the URL).
INTO_CWD = [
    "curl -fsSLO {u}",
    "curl -O {u}",
    "curl -sSL --remote-name {u}",
    "curl --remote-name-all -fsSL {u}",
    "curl -fsSL -OJ https://example.com/download?id=1",
    "wget {u}",
    "wget -q {u}",
    "wget -nv --tries 3 {u}",
    "wget --content-disposition https://example.com/download?id=1",
    "aria2c {u}",
    "aria2c -x 4 {u}",
]
# Downloads of {h} into /usr/local/bin.
INTO_DIR = [
    "curl -fsSL -O --output-dir /usr/local/bin {u}",
    "curl --output-dir=/usr/local/bin --remote-name {u}",
    "wget -q -P /usr/local/bin {u}",
    "wget -qP/usr/local/bin {u}",
    "wget --directory-prefix=/usr/local/bin {u}",
    "aria2c -d /usr/local/bin {u}",
    "aria2c --dir=/usr/local/bin {u}",
]
CONTROLS = [
    "curl -fsSLO https://example.com/dl/foo",
    "curl -fsSL {u}",
    "curl -fsSL -XPOST {u}",
    "curl -fsSL -o /tmp/x {u}",
    "wget -qO- {u}",
    "wget -O /tmp/x {u}",
    "wget -q https://example.com/dl/foo",
    "aria2c -d /opt/x {u}",
    "wget -q -P /opt/x {u}",
]


def _files(place: str, step: str, call: str):
    yield f"FROM debian:12\n{place}RUN {step} && chmod +x * && {call}\n"
    yield f"FROM debian:12\n{place}RUN {step}\nRUN {call}\n"


@pytest.mark.parametrize("harness", sorted(CALLS))
def test_a_download_into_a_path_directory_is_no_error(harness):
    call, u = CALLS[harness], URL.format(h=harness)
    steps = [("WORKDIR /usr/local/bin\n", f.format(u=u)) for f in INTO_CWD]
    steps += [("WORKDIR /usr/local/bin\n", "cd /tmp && cd - && " + f.format(u=u)) for f in INTO_CWD]
    steps += [("", "cd /usr/local/bin && " + f.format(u=u)) for f in INTO_CWD]
    steps += [("", f.format(u=u)) for f in INTO_DIR]
    steps += [("WORKDIR /opt\n", f.format(u=u)) for f in INTO_DIR]
    for place, step in steps:
        for text in _files(place, step, call):
            got = _severities(text)
            assert got in ([], ["warning"]), (text, got)


@pytest.mark.parametrize("harness", sorted(CALLS))
def test_a_download_of_another_name_or_elsewhere_stays_an_error(harness):
    call, u = CALLS[harness], URL.format(h=harness)
    steps = [("WORKDIR /usr/local/bin\n", f.format(u=u)) for f in CONTROLS]
    steps += [("WORKDIR /opt\n", f.format(u=u)) for f in INTO_CWD]
    for place, step in steps:
        for text in _files(place, step, call):
            got = _severities(text)
            assert got == ["error"], (text, got)
