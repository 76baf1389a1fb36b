"""AIS102 never moves an ARG past a node package install whose config file expands variables.

npm reads `.npmrc` (yarn 1, pnpm and bun too), yarn `.yarnrc`/`.yarnrc.yml`, bun `bunfig.toml`,
and each expands `${NAME}` from the environment, where BuildKit puts the build ARGs: with
`--ignore-scripts` the install runs no project code, yet `//registry/:_authToken=${GIT_SHA}`
reads the ARG. Drawn: the manager and its spelling, the config file, its folder (the context's
root or one down), whether it expands a variable, whether the ignore file leaves it out. The
ARG stays above the install when the build sends a file that expands one (still reported, with
no fix, as before a step that runs project code); otherwise it moves past it (the control).
"""

from __future__ import annotations

import os
import tempfile

import dockerfile
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.lint_rules._manifests import NODE_RC_FILES
from aishell.migration import fix_text

_OPTS = Options(select=["AIS102"], use_config=False)

_INSTALLS = st.sampled_from(
    [
        "npm ci --ignore-scripts",
        "npm install --ignore-scripts",
        "cd web && npm ci --ignore-scripts",
        "yarn install --ignore-scripts",
        "pnpm install --ignore-scripts",
        "bun install --ignore-scripts",
        "/usr/bin/npm i --ignore-scripts --no-audit",
    ]
)
_CONTENT = st.sampled_from(
    [
        ("//registry.npmjs.org/:_authToken=${GIT_SHA}\n", "all"),
        ("registry=${REGISTRY:-https://registry.npmjs.org/}\n", "all"),
        ('npmAuthToken: "${NPM_TOKEN}"\n', "all"),
        ('[install.scopes]\nmyorg = { token = "$GIT_SHA", url = "https://r.example/" }\n', "bare"),
        ("save-exact=true\n", "none"),
        ("# no variables here\nfund=false\n", "none"),
    ]
)
# (How the ignore file treats the config file: its lines for a file at `path`, and whether the
# build sends the file.)
_IGNORES = st.sampled_from(
    [
        (lambda path: [], True),
        (lambda path: [path], False),
        (lambda path: ["web", f"!{path}", "!web/package.json"], True),  # re-included from an excluded folder
        (lambda path: ["*", f"!{path}", "!package.json"], True),  # an allow-list
        (lambda path: ["*", "!package.json"], False),
    ]
)


@settings(max_examples=200, deadline=None, database=None)
@given(_INSTALLS, st.sampled_from(NODE_RC_FILES), st.sampled_from(["", "web"]), _CONTENT, _IGNORES)
def test_an_install_reading_a_config_that_expands_keeps_the_arg_above(install, rc, folder, content, ignore):
    body, how = content
    lines_for, sent = ignore
    # `${NAME}` everywhere; `$NAME` in bunfig.toml (bun's docs spell it so) and .yarnrc (read as loosely)
    expands = how == "all" or (how == "bare" and rc in ("bunfig.toml", ".yarnrc"))
    text = f"FROM node:22\nARG GIT_SHA\nRUN {install}\nRUN make\n"
    path_in_context = f"{folder}/{rc}" if folder else rc
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "web"))
        with open(os.path.join(root, "package.json"), "w") as f:
            f.write('{"name": "x"}\n')
        with open(os.path.join(root, folder, rc), "w") as f:
            f.write(body)
        ignore_lines = lines_for(path_in_context)
        if ignore_lines:
            with open(os.path.join(root, ".dockerignore"), "w") as f:
                f.write("".join(f"{x}\n" for x in ignore_lines))
        path = os.path.join(root, "Dockerfile")
        with open(path, "w") as f:
            f.write(text)
        findings = lint_text(text, path, _OPTS).findings
        new = fix_text(text, path, _OPTS).text
    dockerfile.parse_string(new)
    lines = new.splitlines()
    # Reported either way (the ARG makes the install re-run whenever it changes), as a step that
    # runs project code is; moved past it only when no config file the build sends expands one.
    assert [f.code for f in findings] == ["AIS102"], (install, rc, folder, body, ignore_lines)
    if expands and sent:
        assert new == text, (install, rc, folder, body, ignore_lines)
    else:
        assert lines.index("ARG GIT_SHA") > lines.index(f"RUN {install}"), (new, ignore_lines)


def test_a_config_file_that_cannot_be_read_may_expand():
    """A `.npmrc` the rule cannot read (a FIFO: never opened) may expand a variable: the ARG
    stays above the install."""
    text = "FROM node:22\nARG GIT_SHA\nRUN npm ci --ignore-scripts\nRUN make\n"
    with tempfile.TemporaryDirectory() as root:
        os.mkfifo(os.path.join(root, ".npmrc"))
        path = os.path.join(root, "Dockerfile")
        with open(path, "w") as f:
            f.write(text)
        assert fix_text(text, path, _OPTS).text == text


# Requirement lines, `{v}` where a variable may stand: pip expands `${NAME}` on any line.
_REQ_LINES = st.sampled_from(
    [
        "requests==2.{v}",
        "--index-url https://u:{v}@pypi.example/simple",
        "-i https://{v}@pypi.example/simple",
        "--extra-index-url=https://{v}@pypi.example/simple",
        "https://example.com/pkg-1{v}.tar.gz",
        "pkg @ https://example.com/pkg-1{v}.whl",
        "pkg @ git+https://github.com/o/r@main{v}",
        'requests; python_version > "3{v}"',
    ]
)


@settings(max_examples=150, deadline=None, database=None)
@given(_REQ_LINES, st.booleans(), st.booleans())
def test_a_pip_install_whose_requirements_expand_keeps_the_arg_above(line, expands, included):
    """`pip install -r requirements.txt` (or a file it includes) with `${GIT_SHA}` anywhere: the
    install reads the ARG, which is never moved past it; without one, it moves (the control)."""
    req = line.format(v="${GIT_SHA}" if expands else "0")
    text = "FROM python:3.12\nARG GIT_SHA\nCOPY requirements.txt more.txt ./\nRUN pip install -r requirements.txt\nRUN make\n"
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "requirements.txt"), "w") as f:
            f.write("-r more.txt\nflask\n" if included else req + "\n")
        with open(os.path.join(root, "more.txt"), "w") as f:
            f.write(req + "\n" if included else "flask\n")
        new, moved = _fixed(root, text, "RUN pip install -r requirements.txt")
    assert moved != expands, (req, included, new)


def _fixed(root: str, text: str, install: str) -> tuple[str, bool]:
    """(the fixed text of ``text`` as a Dockerfile in ``root``, whether `ARG GIT_SHA` moved past
    the ``install`` line); the result parses with BuildKit's parser."""
    path = os.path.join(root, "Dockerfile")
    with open(path, "w") as f:
        f.write(text)
    new = fix_text(text, path, _OPTS).text
    dockerfile.parse_string(new)
    lines = new.splitlines()
    return new, lines.index("ARG GIT_SHA") > lines.index(install)


# How a node config file reaches the image, besides the project's own at the context's root:
# (context files {path: content}, instructions, whether the rule can read what the file says).
# `{rc}` is the config text drawn; a delivery the rule cannot read keeps the ARG above always.
_DELIVERIES = st.sampled_from(
    [
        # a context file renamed into place, named like a config file or not
        ({"npmrc.ci": "{rc}"}, ["COPY npmrc.ci /root/.npmrc"], True),
        ({".npmrc.gitlab": "{rc}"}, ["COPY .npmrc.gitlab /usr/local/etc/npmrc"], True),
        ({"ci/npmrc": "{rc}"}, ["COPY ci/npmrc $HOME/.npmrc"], True),
        ({"deploy/ci/yarnrc.yml": "{rc}"}, ["COPY deploy/ci/yarnrc.yml /home/node/.yarnrc.yml"], True),
        ({"bunfig.ci.toml": "{rc}"}, ["COPY bunfig.ci.toml ./bunfig.toml"], True),
        ({"ci/registry.conf": "{rc}"}, ["COPY ci/registry.conf /root/.npmrc"], True),
        ({"ci/registry.conf": "{rc}"}, ['COPY ["ci/registry.conf", "/usr/local/etc/npmrc"]'], True),
        # a folder deep in the context copied over a home
        ({"ops/ci/npm/.npmrc": "{rc}"}, ["COPY ops/ci/npm/ /root/"], True),
        ({"ops/ci/npm/.npmrc": "{rc}"}, ["COPY ops /opt/ops", "RUN ln -s /opt/ops/ci/npm/.npmrc /root/.npmrc"], False),
        # made, pointed at, fetched or copied from elsewhere: not readable here
        ({}, ["RUN echo '//r.example/:_authToken=${{GIT_SHA}}' > ~/.npmrc"], False),
        ({}, ["RUN printf '%s\\n' 'registry=https://r.example/' >> /root/.npmrc"], False),
        ({}, ["RUN npm set //r.example/:_authToken '${{GIT_SHA}}'"], False),
        ({}, ["RUN <<EOT\necho '//r.example/:_authToken=${{GIT_SHA}}' > ~/.NPMRC\nEOT"], False),
        ({}, ["RUN <<EOT bash\nprintf 'registry=https://r.example/' > /root/.npmrc\nEOT"], False),
        ({}, ["RUN npm config set registry https://r.example/"], False),
        ({}, ["RUN pnpm config set //r.example/:_authToken '${{GIT_SHA}}'"], False),
        ({}, ["RUN yarn config set npmAuthToken '${{GIT_SHA}}'"], False),
        (
            {"ci/registry.conf": "{rc}"},
            ["COPY ci/registry.conf /cfg/npm.conf", "ENV NPM_CONFIG_USERCONFIG=/cfg/npm.conf"],
            False,
        ),
        ({}, ["ENV YARN_RC_FILENAME=.ci.yml"], False),
        ({}, ["COPY --from=cfg /out/.npmrc /root/.npmrc"], False),
        ({}, ["ADD https://r.example/npmrc /root/.npmrc"], False),
        ({}, ["COPY <<EOF /root/.npmrc\n//r.example/:_authToken=${{GIT_SHA}}\nEOF"], False),
        ({}, ["ONBUILD COPY npmrc.ci /root/.npmrc"], False),
    ]
)


@settings(max_examples=300, deadline=None, database=None)
@given(_DELIVERIES, _CONTENT, st.booleans(), _INSTALLS)
def test_a_config_file_put_anywhere_in_the_image_keeps_the_arg_above(delivery, content, first, install):
    """A config file copied in under another name (`COPY npmrc.ci /root/.npmrc`), from a folder
    deep in the context, made by a RUN (`echo … > ~/.npmrc`, `npm set …`), pointed at by an ENV
    (NPM_CONFIG_USERCONFIG), copied from a stage, fetched or written in a heredoc: npm reads it
    wherever the tool looks (the user's, the global, the project's), and the ARG must not move
    past an install that may expand it. Drawn: the delivery, before or after the ARG, the
    config's text, the install. Control: a readable copy without a variable lets the ARG move."""
    files, steps, readable = delivery
    body, how = content
    steps = [s.format(rc="") for s in steps]
    # A copy under another name may be any tool's file: any `$` counts; npm's and yarn 2's own
    # names expand only `${NAME}`.
    exact = any(os.path.basename(rel) in (".npmrc", ".yarnrc.yml") for rel in files)
    expands = not readable or how == "all" or (how == "bare" and not exact)
    head = "FROM node:22 AS cfg\nRUN true\n\nFROM node:22\n"
    arg = ["ARG GIT_SHA"]
    middle = steps + arg if first else arg + steps
    text = head + "\n".join(middle) + f"\nRUN {install}\nRUN make\n"
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "web"))
        with open(os.path.join(root, "package.json"), "w") as f:
            f.write('{"name": "x"}\n')
        for rel, content_text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(content_text.format(rc=body))
        new, moved = _fixed(root, text, f"RUN {install}")
    if expands:
        assert not moved, (steps, body, first, new)
    elif first or not any(s.startswith("RUN") for s in steps):
        assert moved, (steps, body, first, new)  # (a RUN between the ARG and the install may read it)


def test_the_walk_spends_no_ignore_budget_of_the_other_rules(tmp_path):
    """The config walk asks the ignore file about every folder: on a budget of its own, so a
    large context leaves AIS101 the pattern tests its answers need."""
    from aishell.context import IGNORE_BUDGET, BuildContext
    from aishell.lint_rules import _manifests
    from aishell.rule import new_run

    for i in range(50):
        (tmp_path / f"d{i}" / "sub").mkdir(parents=True)
    (tmp_path / "d7" / "sub" / "npmrc.ci").write_text("//r/:_authToken=${GIT_SHA}\n")
    (tmp_path / ".dockerignore").write_text("".join(f"x{i}*\n" for i in range(200)))
    (tmp_path / "Dockerfile").write_text("FROM node\n")
    new_run()
    bc = BuildContext.for_dockerfile(str(tmp_path / "Dockerfile"))
    bc.ignore_budget = IGNORE_BUDGET
    assert _manifests.node_rc_expands(bc) is True
    assert bc.ignore_budget == IGNORE_BUDGET
