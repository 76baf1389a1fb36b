"""A Dockerfile the user cannot reach is an input error, never a silent skip (issue 18).

A folder may be listed but not searched (mode r--: its names are known, its files cannot be
opened or even stat'ed). Walking it, discovery saw the Dockerfile's name, failed its stat and
noted "skipped, not a regular file": `aishell lint .` passed (exit 0) with that Dockerfile
unseen. Given by path, `lexists` failed the same way and the line said "no such file or
folder". As root, the test drops to `nobody` in-process for each lint: every permission
`nobody` may have on the folder (its "other" bits), the Dockerfile reached through its parent,
the folder itself or its own path, against what the kernel allows.
"""

import os
import shutil
import tempfile

import pytest

from aishell.lint import Options, lint_paths
from tests.test_atomic_keeps import as_nobody


@pytest.mark.parametrize("other", range(8))
@pytest.mark.parametrize("given", ["parent", "folder", "file", "missing"])
def test_a_dockerfile_nobody_can_reach_is_linted_or_one_error(other, given):
    if os.geteuid() != 0:
        pytest.skip("needs root to act as another user")
    top = tempfile.mkdtemp(prefix="aishell-unsearchable-")
    try:
        os.chmod(top, 0o755)
        folder = os.path.join(top, "sub")
        os.mkdir(folder)
        dockerfile = os.path.join(folder, "Dockerfile")
        with open(dockerfile, "w") as f:
            f.write("FROM aishell:base\n")
        os.chmod(dockerfile, 0o644)
        os.chmod(folder, 0o700 | other)
        path = {"parent": top, "folder": folder, "file": dockerfile, "missing": os.path.join(folder, "Nope")}[given]
        with as_nobody([]):
            readable = os.access(dockerfile, os.R_OK, effective_ids=True)
            listable = os.access(folder, os.R_OK, effective_ids=True)
            result = lint_paths([path], Options(use_config=False))
        found = [f.code for r in result.files for f in r.findings]
        if given == "missing":
            assert not found and len(result.errors) == 1, result.errors
            # (absent, or hidden behind a folder that cannot be searched: never "no such" then)
            assert ("no such" in str(result.errors[0])) == (readable or listable and other & 1 == 1)
        elif readable and listable:
            assert found == ["AIS001"] and not result.errors and not result.notes, result.errors
        else:
            # One line naming the Dockerfile, or the folder that cannot be listed (as a folder, or
            # as the Dockerfile's build context), no note.
            assert not found and len(result.errors) == 1 and not result.notes, (result.errors, result.notes)
            assert result.errors[0].path in (dockerfile, folder), result.errors[0].path
            assert "no such" not in str(result.errors[0]), str(result.errors[0])
    finally:
        os.chmod(top, 0o700)
        for root, dirs, _ in os.walk(top):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o700)
        shutil.rmtree(top)
