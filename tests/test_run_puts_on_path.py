"""A RUN that puts the harness on PATH itself before calling it (issue 18, precision; found by a
red-team pass): `cd /usr/local/bin && ln -s /bin/true claude && claude -v`, `WORKDIR
/usr/local/bin` then `ln -s /bin/true claude && claude -v`, `export PATH=/opt/x:$PATH && … ln -s
/bin/true /opt/x/claude && claude -v` and the target-directory forms (`install -t DIR FILE`,
`cp -t`, `ln -t`, `mv -t`, `--target-directory=DIR`) were errors, though the build passes.

The class: a command of the RUN, before the harness, that creates or moves a file of its name
(`ln`, `cp`, `mv`, `install`, a redirection) to a destination the reader cannot prove is off
PATH: relative (resolved against the WORKDIR, not known after a `cd`), a `-t` directory, a
directory an `ENV PATH=` or the RUN itself (`export PATH=…`, `PATH=…;`) put on PATH. Generated
RUNs are run by dash and bash in a scratch root that stands in for `/` (its `usr/local/bin`,
`usr/bin`, `bin` first on PATH, the WORKDIR as the cwd), with a fake `claude` (exit 127) last on
PATH: AIS002 never says error when the RUN passes; where nothing in the RUN makes the cwd or
PATH unknown (no `cd`, no PATH assignment) it says error exactly when the RUN fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from tests.test_fix_pipelines import _apply, dockerfile
from tests.test_model_reference import _reference_text
from tests.test_eval_words import SHELLS

DIRS = ["/usr/local/bin", "/opt/x", "/opt/y", ".", "bin"]
DESTS = [
    "claude",
    "bin/claude",
    "/usr/local/bin/claude",
    "/opt/x/claude",
    "/opt/y/claude",
    "/usr/local/bin/",
    "/opt/x/",
]
STAGES = ["", "WORKDIR /usr/local/bin\n", "WORKDIR /app\n", "WORKDIR /opt/x\n", "ENV PATH=/opt/x:$PATH\n"]
PREFIXES = [
    "",
    "cd /usr/local/bin && ",
    "cd /opt && ",
    "cd /app && ",
    "export PATH=/opt/x:$PATH && ",
    "PATH=/opt/x:$PATH; ",
]


@st.composite
def creators(draw):
    if draw(st.booleans()):
        d = draw(st.sampled_from(DIRS))
        return draw(
            st.sampled_from(
                [
                    f"install -t {d} /src/claude",
                    f"install -m 755 -t {d} /src/claude",
                    f"cp -t {d} /src/claude",
                    f"ln -st {d} /src/claude",
                    f"ln -s -t {d} /src/claude",
                    f"mv -t {d} /src/claude",
                    f"cp --target-directory={d} /src/claude",
                    f"install --target-directory {d} /src/claude",
                ]
            )
        )
    dest = draw(st.sampled_from(DESTS))
    forms = [f"ln -s /src/claude {dest}", f"cp /src/claude {dest}", f"install -m 755 /src/claude {dest}"]
    if not dest.endswith("/"):
        forms.append(f"printf '#!/bin/sh\\n' > {dest} && chmod +x {dest}")
    return draw(st.sampled_from(forms))


def _bin(creator: str) -> bool:
    """The creator writes into a relative `bin` directory."""
    return any(w.rsplit("=", 1)[-1].startswith("bin") for w in creator.split())


def _fails(stage: str, script: str) -> bool:
    """The RUN fails under every shell, run in a scratch root standing in for `/`."""
    results = []
    for sh in SHELLS:
        root = tempfile.mkdtemp()
        try:
            for d in ("usr/local/bin", "usr/bin", "bin", "opt/x", "opt/y", "app", "src", "fake"):
                os.makedirs(os.path.join(root, d))
            for path, status in (("src/claude", 0), ("fake/claude", 127)):
                with open(os.path.join(root, path), "w") as f:
                    f.write(f"#!/bin/sh\nexit {status}\n")
                os.chmod(os.path.join(root, path), 0o755)
            path = f"{root}/usr/local/bin:{root}/usr/bin:{root}/bin:/usr/local/bin:/usr/bin:/bin:{root}/fake"
            cwd = root
            if stage.startswith("ENV"):
                path = f"{root}/opt/x:{path}"
            elif stage.startswith("WORKDIR"):
                cwd = root + stage.split()[1]
            real = script
            for d in ("/usr/local/bin", "/opt", "/app", "/src"):
                real = real.replace(d, root + d)
            run = subprocess.run(
                [sh, "-c", real],
                capture_output=True,
                timeout=20,
                stdin=subprocess.DEVNULL,
                env={"PATH": path, "HOME": root},
                cwd=cwd,
            )
            results.append(run.returncode != 0)
        finally:
            shutil.rmtree(root)
    return all(results)


@pytest.mark.skipif(not SHELLS, reason="no dash or bash")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stage=st.sampled_from(STAGES), prefix=st.sampled_from(PREFIXES), creator=creators())
def test_a_run_that_may_put_the_harness_on_path_first_is_no_error(tmp_path, stage, prefix, creator):
    script = f"{prefix}{creator} && claude -v"
    text = f"FROM aishell:foundation\n{stage}RUN {script}\n"
    findings = lint_text(text, os.fspath(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False))
    severities = [f.severity for f in findings.findings]
    for f in findings.findings:  # a fix offered still parses with BuildKit's parser
        if f.fix is not None:
            dockerfile.parse_string(_reference_text(_apply(text, f.fix.edits)))
    failed = _fails(stage, script)
    if not failed:
        assert severities in ([], ["warning"]), (text, severities)
    elif not prefix and not stage.startswith("ENV") and not (stage and _bin(creator)):
        # (`bin` under a WORKDIR other than `/`: a `bin` directory that is not a standard one may
        # be on PATH, a warning by design)
        assert severities == ["error"], (text, severities)  # (its destination is provably off PATH)
    else:
        assert severities in (["error"], ["warning"]), (text, severities)


@pytest.mark.parametrize(
    "lines",
    [
        "RUN cd /usr/local/bin && ln -s /bin/true claude && claude -v\n",
        "WORKDIR /usr/local/bin\nRUN ln -s /bin/true claude && claude -v\n",
        "RUN export PATH=/opt/x:$PATH && mkdir -p /opt/x && ln -s /bin/true /opt/x/claude && claude -v\n",
        "RUN PATH=/opt/x:$PATH; mkdir -p /opt/x && ln -s /bin/true /opt/x/claude && claude -v\n",
        "RUN install -t /usr/local/bin ./claude && claude -v\n",
        "RUN cd /opt && install -t . ./claude && claude -v\n",
        "RUN cp -t /usr/local/bin ./claude && claude -v\n",
        "RUN ln -st /usr/local/bin /opt/claude && claude -v\n",
        "RUN mv -t /usr/local/bin ./claude && claude -v\n",
        "RUN cp --target-directory=/usr/local/bin ./claude && claude -v\n",
        "RUN cd /usr/local/bin && printf '#!/bin/sh\\n' > claude && chmod +x claude && claude -v\n",
    ],
)
def test_the_red_team_forms_are_no_errors(tmp_path, lines):
    text = "FROM aishell:foundation\n" + lines
    findings = lint_text(text, os.fspath(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False))
    assert [f.severity for f in findings.findings] in ([], ["warning"]), lines


def test_a_path_assigned_in_a_run_lasts_for_it_only(tmp_path):
    text = "FROM aishell:foundation\nRUN export PATH=/opt/x:$PATH && ln -s /bin/true /opt/x/claude\nRUN claude -v\n"
    findings = lint_text(text, os.fspath(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False))
    assert [f.severity for f in findings.findings] == ["error"]
