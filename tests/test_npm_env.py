"""npm's configuration from the stage's environment (issue 18: precision where it blocks a build).

npm reads every `npm_config_*` variable, in any case, and BuildKit gives a RUN its stage's ENV
values and the values of the ARGs declared in it (a stage FROM another starts with that one's):
`ENV npm_config_global=true` then `RUN npm install @anthropic-ai/claude-code` is a global install,
so `claude` is on PATH afterwards (no AIS002 error; AIS003 reports the install). Generated: every
place the setting can come from x its spellings x values that turn it on or off x install verbs x
where the harness runs, with the verdict worked out from what npm and BuildKit do.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

PACKAGES = {
    "@anthropic-ai/claude-code": "claude",
    "@openai/codex": "codex",
    "@google/gemini-cli": "gemini",
    "opencode-ai": "opencode",
}
# (variable, value) -> whether npm installs globally (nopt reads a Boolean: "false", "0", "null"
# are off; any other non-empty string on; an empty value is skipped, as if unset).
SETTINGS = [
    ("npm_config_global", "true", True),
    ("NPM_CONFIG_GLOBAL", "true", True),
    ("Npm_Config_Global", "1", True),
    ("npm_config_global", "yes", True),
    ("NPM_CONFIG_LOCATION", "global", True),
    ("npm_config_location", "global", True),
    ("npm_config_global", "false", False),
    ("NPM_CONFIG_GLOBAL", "0", False),
    ("npm_config_location", "user", False),
    ("npm_config_global", '""', False),
]
# Where the setting is made: a template taking (name, value) and the install line, and whether
# its value is sure (an ARG's default is what the default build uses, but a --build-arg may
# replace it: where it turns the install off, the install may still be global, a warning).
PLACES = [
    ("FROM node:24\nENV {n}={v}\n{install}", True),
    ("FROM node:24\nENV {n} {v}\n{install}", True),
    ("FROM node:24\nENV A=1 {n}={v}\n{install}", True),
    ("FROM node:24 AS base\nENV {n}={v}\nFROM base\n{install}", True),
    ("FROM node:24 AS base\nENV {n}={v}\nFROM base AS mid\nRUN true\nFROM mid\n{install}", True),
    ("FROM node:24\nARG {n}={v}\n{install}", False),
    ("ARG {n}={v}\nFROM node:24\nARG {n}\n{install}", False),
    ("FROM node:24\nRUN true\nENV {n}={v}\n{install}", True),
]
VERBS = ["install", "i", "add", "isntall", "install --save"]


def _lint(text, tmp_path):
    opts = Options(select=["AIS002", "AIS003"], use_config=False)
    return lint_text(text, str(tmp_path / "Dockerfile"), opts).findings


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(SETTINGS),
    st.sampled_from(PLACES),
    st.sampled_from(VERBS),
    st.sampled_from(sorted(PACKAGES)),
    st.sampled_from(["RUN npm {verb} {pkg}\nRUN {exe} --version\n", "RUN npm {verb} {pkg} && {exe} --version\n"]),
)
def test_the_stage_environment_makes_an_npm_install_global(tmp_path_factory, setting, place, verb, pkg, shape):
    name, value, on = setting
    template, sure = place
    exe = PACKAGES[pkg]
    text = template.format(n=name, v=value, install=shape.format(verb=verb, pkg=pkg, exe=exe))
    findings = _lint(text, tmp_path_factory.mktemp("n"))
    runs = [f for f in findings if f.code == "AIS002"]
    installs = [f for f in findings if f.code == "AIS003"]
    if on:
        # A global install: the harness is on PATH afterwards; AIS003 reports the install.
        assert runs == [], (text, findings)
        assert len(installs) == 1 and text[installs[0].start : installs[0].end] == pkg, (text, findings)
    else:
        assert installs == [], (text, findings)
        # A project-local install: `claude` is not on PATH. An error where the value is sure;
        # where a --build-arg may turn the setting on, a warning.
        assert len(runs) == 1, (text, findings)
        assert runs[0].severity == ("error" if sure else "warning"), (text, findings)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([s for s in SETTINGS if s[2]]),
    st.sampled_from(sorted(PACKAGES)),
    st.sampled_from(
        [
            # Not known: a value naming a variable, an ARG with no default, a reset by sudo (whose
            # env_keep may keep it). The build may pass: a warning, never an error.
            ("FROM node:24\nENV {n}=$G\nRUN npm i {pkg}\nRUN {exe} -v\n", False),
            ("FROM node:24\nARG {n}\nRUN npm i {pkg}\nRUN {exe} -v\n", False),
            ("FROM node:24\nENV {n}={v}\nRUN sudo npm i {pkg}\nRUN {exe} -v\n", False),
            # Not in this stage's environment: a global ARG not declared in the stage, an ENV of
            # another stage. The install is local: an error.
            ("ARG {n}={v}\nFROM node:24\nRUN npm i {pkg}\nRUN {exe} -v\n", True),
            ("FROM node:24 AS a\nENV {n}={v}\nFROM node:24\nRUN npm i {pkg}\nRUN {exe} -v\n", True),
            # Set after the install: too late.
            ("FROM node:24\nRUN npm i {pkg}\nENV {n}={v}\nRUN {exe} -v\n", True),
        ]
    ),
)
def test_an_environment_not_known_or_not_the_stages_is_no_global_install(tmp_path_factory, setting, pkg, case):
    name, value, _ = setting
    template, error = case
    text = template.format(n=name, v=value, pkg=pkg, exe=PACKAGES[pkg])
    findings = _lint(text, tmp_path_factory.mktemp("n"))
    runs = [f for f in findings if f.code == "AIS002"]
    assert len(runs) == 1 and runs[0].severity == ("error" if error else "warning"), (text, findings)
    assert [f for f in findings if f.code == "AIS003"] == [], (text, findings)


# Steps that may write npm's configuration files, where `global=true` makes `npm install` global
# (npm reads them after the command line and the environment).
NPMRC_WRITERS = [
    "RUN npm config set global true\n",
    "RUN npm set global=true\n",
    "RUN npm config set location global\n",
    "RUN npm --loglevel warn config set global true\n",
    "RUN echo 'global=true' >> ~/.npmrc\n",
    "RUN printf 'global=true\\n' > /usr/local/etc/npmrc\n",
    "COPY .npmrc /root/.npmrc\n",
    "COPY npmrc /usr/local/etc/npmrc\n",
    "ADD ./.npmrc /root/\n",
]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(NPMRC_WRITERS),
    st.sampled_from(sorted(PACKAGES)),
    st.sampled_from(VERBS),
    st.sampled_from(["", "ENV npm_config_global=false\n", "ENV NPM_CONFIG_LOCATION=user\n", "FROM node:24 AS b\n"]),
)
def test_an_npm_config_file_a_step_writes_may_make_the_install_global(tmp_path_factory, writer, pkg, verb, after):
    """`RUN npm config set global true` (or an .npmrc copied in) then `npm install <harness>`:
    the install may be global, so the harness run after it is a warning, not an error; a variable
    of the environment wins over the files (an error again), and another stage has neither."""
    exe = PACKAGES[pkg]
    if after.startswith("FROM"):
        text = f"FROM node:24 AS a\n{writer}{after}RUN npm {verb} {pkg} && {exe} --version\n"
        expected = "error"
    else:
        text = f"FROM node:24\n{after}{writer}RUN npm {verb} {pkg} && {exe} --version\n"
        expected = "error" if after else "warning"
    findings = _lint(text, tmp_path_factory.mktemp("n"))
    runs = [f.severity for f in findings if f.code == "AIS002"]
    assert runs == [expected], (text, findings)
