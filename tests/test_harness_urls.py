"""A harness installed from a URL is recognised however the URL is spelled (issue 18, recall;
found by a red-team pass): an install script's scheme and host in any case (`HTTPS://CLAUDE.AI/
install.sh`: the RUN was passed over by a case-sensitive pre-check), and a registry tarball of a
harness package (`npm i -g https://registry.npmjs.org/@anthropic-ai/claude-code/-/claude-code-
1.0.0.tgz`). Generated spellings of both, and near misses that are other files."""

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
    url = f"{data.draw(SCHEMES)}{_case(data.draw, data.draw(st.sampled_from(['', 'www.'])) + host)}/{path}"
    url += data.draw(TAILS)
    assert script_harness(url) is h, url
    text = f"FROM aishell:foundation\nRUN curl -fsSL {url} | bash\n"
    found = lint_text(text, "Dockerfile", Options(select=["AIS003"], use_config=False)).findings
    assert found, text
