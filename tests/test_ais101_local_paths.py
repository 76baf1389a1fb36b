"""AIS101: a requirements line that names a local path is an install of the project, never reported.

The docs said so for `-e .`, `./pkg` and `file:`; a red-team pass found `mypkg @ ./src/mypkg`
(a direct reference to a local path) reported with no fix. Moving that install above `COPY . .`
would break it (the path is not there yet), and it builds the project's own code: it is no
dependency install. Drawn: the direct-reference spellings of a local path (relative, absolute,
`~`, `file:`, extras, markers, blanks around `@`), alone or among named packages, in the file
installed or one it includes. AIS102 reads the same verdict: the ARG stays above the install.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.migration import fix_text

_PATH = st.sampled_from(
    ["./src/mypkg", "src/mypkg", "../mypkg", "/opt/src/mypkg", "~/mypkg", "file:./src/mypkg", "file:///src/mypkg"]
    + ["FILE:///src/mypkg", ".", "./", "mypkg", "./dist/mypkg-1.0.tar.gz"]
)


@st.composite
def _local_line(draw) -> str:
    name = draw(st.sampled_from(["mypkg", "my-pkg", "My.Pkg_2"]))
    extras = draw(st.sampled_from(["", "[dev]", "[dev,test]"]))
    at = draw(st.sampled_from(["@", " @ ", " @", "@ "]))
    marker = draw(st.sampled_from(["", ' ; python_version >= "3.8"', "; sys_platform == 'linux'"]))
    return f"{name}{extras}{at}{draw(_PATH)}{marker}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    _local_line(),
    st.lists(st.sampled_from(["flask", "requests==2.32.0", "numpy>=2"]), max_size=3),
    st.booleans(),
)
def test_a_direct_reference_to_a_local_path_is_not_reported(tmp_path_factory, line, named, included):
    folder = tmp_path_factory.mktemp("ctx")
    lines = [*named, line]
    if included:
        (folder / "base.txt").write_text("\n".join(lines) + "\n")
        (folder / "requirements.txt").write_text("flask\n-r base.txt\n")
    else:
        (folder / "requirements.txt").write_text("\n".join(lines) + "\n")
    path = str(folder / "Dockerfile")
    text = "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
    found = lint_text(text, path, Options(select=["AIS101"], use_config=False)).findings
    assert not found, (line, found)
    # AIS102: installing it builds the project, which can read the ARG: never moved past it.
    text = "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nARG GIT_SHA\nRUN pip install -r requirements.txt\n"
    text += "RUN make\n"
    new = fix_text(text, path, Options(select=["AIS102"], use_config=False)).text
    assert new == text, new


def test_a_direct_reference_to_a_url_is_still_a_dependency(tmp_path):
    """The control: `name @ https://…` and `name @ git+ssh://…` are third-party, reported."""
    for ref in ("https://example.com/x-1.0.tar.gz", "git+https://github.com/o/r.git@v1"):
        (tmp_path / "requirements.txt").write_text(f"flask\nmypkg @ {ref}\n")
        text = "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
        found = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS101"], use_config=False)).findings
        assert [f.code for f in found] == ["AIS101"], ref
