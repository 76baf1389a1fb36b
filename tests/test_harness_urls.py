"""A harness installed from a URL is recognised however the URL is spelled (issue 18, recall;
found by a red-team pass): an install script's scheme and host in any case (`HTTPS://CLAUDE.AI/
install.sh`: the RUN was passed over by a case-sensitive pre-check), and a registry tarball of a
harness package (`npm i -g https://registry.npmjs.org/@anthropic-ai/claude-code/-/claude-code-
1.0.0.tgz`). Generated spellings of both, and near misses that are other files. A third pass:
a host with a final dot (`claude.ai.`, the same host to DNS), and the package managers that
run or are npm's: `corepack pnpm add -g`, `volta install`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.harness import HARNESSES, package_harness, script_harness
from aishell.lint import Options, lint_text

SCHEMES = st.sampled_from(["https://", "http://", "HTTPS://", "Https://"])
HOSTS = st.sampled_from(["registry.npmjs.org", "REGISTRY.NPMJS.ORG", "registry.yarnpkg.com", "npm.example.com:8443"])
TAILS = st.sampled_from(["", "?foo=1", "#x"])


def _case(draw, s: str) -> str:
    return "".join(c.upper() if draw(st.booleans()) else c for c in s)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_a_registry_tarball_of_a_harness_package_is_that_harness(data):
    h = data.draw(st.sampled_from(HARNESSES))
    base = h.npm_package.rsplit("/", 1)[-1]
    version = data.draw(st.sampled_from(["1.0.0", "0.1.2-beta.3", "2.0.0+build"]))
    url = f"{data.draw(SCHEMES)}{data.draw(HOSTS)}/{h.npm_package}/-/{base}-{version}.tgz{data.draw(TAILS)}"
    assert package_harness(url) is h, url
    near = data.draw(st.sampled_from(["other", "nodash", "wrongbase"]))
    if near == "other":
        miss = url.replace(h.npm_package, "left-pad", 1)
    elif near == "nodash":
        miss = url.replace("/-/", "/", 1)
    else:
        miss = url.replace(f"/-/{base}-", "/-/other-", 1)
    assert package_harness(miss) is None, miss


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_an_install_script_url_in_any_case_is_reported(data):
    h = data.draw(st.sampled_from([h for h in HARNESSES if h.install_scripts]))
    host, _, path = h.install_scripts[0].partition("/")
    # The host as DNS reads it: any case, `www.`, a final dot (`claude.ai.`), a user, a port.
    spelled = _case(data.draw, data.draw(st.sampled_from(["", "www."])) + host) + data.draw(st.sampled_from(["", "."]))
    spelled = data.draw(st.sampled_from(["", "user@", "u:p@"])) + spelled + data.draw(st.sampled_from(["", ":443"]))
    url = f"{data.draw(SCHEMES)}{spelled}/{path}"
    url += data.draw(TAILS)
    assert script_harness(url) is h, url
    text = f"FROM aishell:foundation\nRUN curl -fsSL {url} | bash\n"
    found = lint_text(text, "Dockerfile", Options(select=["AIS003"], use_config=False)).findings
    assert found, text


MANAGERS = [
    ("npm i -g", "npm"),
    ("corepack npm i -g", "npm"),
    ("pnpm add -g", "pnpm"),
    ("corepack pnpm add -g", "pnpm"),
    ("corepack pnpm@9.1.0 add --global", "pnpm"),
    ("corepack yarn global add", "yarn"),
    ("volta install", "volta"),
    ("volta install --verbose", "volta"),
    ("/usr/local/bin/volta install --quiet", "volta"),
]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_package_manager_install_of_a_harness_is_reported_and_its_fix_keeps_the_others(data):
    """`corepack TOOL` runs TOOL; `volta install` installs for the whole machine. A harness among
    other packages: the fix removes only its word (BuildKit's parser reads the rest unchanged);
    alone: the command goes. Near misses (`volta pin`, `corepack enable`) install nothing global."""
    from aishell.migration import fix_text

    prefix, _ = data.draw(st.sampled_from(MANAGERS))
    h = data.draw(st.sampled_from(HARNESSES))
    others = data.draw(st.lists(st.sampled_from(["typescript", "node@20", "prettier@3"]), max_size=2, unique=True))
    at = data.draw(st.integers(0, len(others)))
    words = others[:at] + [h.npm_package + data.draw(st.sampled_from(["", "@latest", "@1.2.3"]))] + others[at:]
    text = f"FROM aishell:foundation\nRUN {prefix} {' '.join(words)} && echo done\n"
    found = lint_text(text, "Dockerfile", Options(select=["AIS003"], use_config=False)).findings
    assert [f.code for f in found] == ["AIS003"], text
    fixed = fix_text(text, "Dockerfile", Options(select=["AIS003"], use_config=False), True).text
    expected = f"RUN {prefix} {' '.join(others)} && echo done" if others else "RUN echo done"
    assert fixed == f"FROM aishell:foundation\n{expected}\n", (text, fixed)
    for miss in ("volta pin", "corepack enable", "corepack pnpm add"):  # project-local, or no command
        text = f"FROM aishell:foundation\nRUN {miss} {h.npm_package}\n"
        assert not lint_text(text, "Dockerfile", Options(select=["AIS003"], use_config=False)).findings, text
