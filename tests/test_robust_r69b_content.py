"""`aishell migrate --write` keeps every byte of a Dockerfile outside its edit, or refuses it in
one line and writes nothing (issue 18, "No byte lost anywhere"), whatever the content.

Generated: Dockerfiles made of lines (instructions, comments, blank lines, a continued RUN, a
heredoc, a line of 60,000 characters, non-ASCII text, control characters) joined by LF, CRLF or
a lone CR, with or without a UTF-8 BOM, a final line ending or a NUL, run through the real
command (the fork runner of tests/test_robust_r69b_hostile.py) beside a file it must still fix.
Only FROM lines name the legacy image, so the one edit migrate may make is known: the file is
then the old bytes with `aishell:base` renamed, its mode kept; or exit 2, one line naming it,
and its bytes as they were.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_robust_r69b_hostile import imported, run  # noqa: F401 (imported: a fixture)

LINES = [
    b"FROM aishell:base",
    b"FROM aishell:base AS build",
    b"RUN echo hi",
    b"# a comment \xc3\xa9 \xe2\x80\xa8",
    b"",
    b"   ",
    b"RUN echo a \\\n  && echo b",  # (a continuation: never before a FROM, which it would swallow)
    b"ENV X=1\x0b Y=2",
    b"LABEL x=\x1c",
    b"RUN echo " + b"x" * 60_000,
    b"COPY <<EOF /x\nbody\nEOF",
    b"ARG V=1",
    b"RUN echo \x00",
    b"\t# indented comment",
]


@st.composite
def dockerfiles(draw) -> bytes:
    ending = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    lines = [b"FROM aishell:base"] + draw(st.lists(st.sampled_from(LINES), max_size=8))
    body = ending.join(line.replace(b"\n", ending) for line in lines)
    body += draw(st.sampled_from([b"", ending, ending * 2]))
    return draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + body


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=dockerfiles(), mode=st.sampled_from([0o644, 0o600, 0o2664, 0o4755]))
def test_a_written_dockerfile_is_its_old_bytes_with_the_image_renamed_or_untouched(imported, tmp_path, data, mode):  # noqa: F811
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "Dockerfile").write_bytes(data)
    os.chmod(root / "a" / "Dockerfile", mode)
    (root / "b" / "Dockerfile").write_bytes(b"FROM aishell:base\n")
    ran = run(str(root), "migrate", "--write", ".")
    after = (root / "a" / "Dockerfile").read_bytes()
    assert "Traceback" not in ran.err and "internal error" not in ran.err, ran
    assert (root / "b" / "Dockerfile").read_bytes() == b"FROM aishell:foundation\n", ran  # (the other file)
    assert sorted(os.listdir(root / "a")) == ["Dockerfile"], ran  # (no temporary file left)
    assert os.stat(root / "a" / "Dockerfile").st_mode & 0o7777 == mode, ran
    if ran.code == 2:
        assert after == data, ran
        naming = [ln for ln in ran.err.splitlines() if "a/Dockerfile:" in ln]
        assert len(naming) == 1 and naming[0].startswith("aishell: "), ran
    else:
        assert ran.code == 0, ran
        assert after == data.replace(b"aishell:base", b"aishell:foundation"), ran
