"""A build context the user cannot list is an input error, never an empty context (issue 18).

The rules that look in the context (AIS103's `.git` and `node_modules`, AIS101's manifests) ask
the file system for names in it; in a folder the user may not list or enter, every answer was
"not there", and `aishell lint` said "All checks passed!" (exit 0) for a context `docker build`
could not send at all. As root, the test drops to `nobody` in-process for each lint: every
permission `nobody` may have on the folder (its "other" bits), the context given with
`--context` or the Dockerfile's own folder, against what the kernel allows.
"""

import os
import shutil
import tempfile

import pytest

from aishell.lint import LintResult, Options, lint_paths
from tests.test_atomic_keeps import as_nobody

DOCKERFILE = "FROM aishell:foundation\nCOPY . /workspace\n"


def _kernel_lists(folder: str) -> bool:
    """Whether the current user may list ``folder`` and look up the names in it."""
    try:
        os.listdir(folder)
        os.stat(os.path.join(folder, ".git"))
    except PermissionError:
        return False
    return True


@pytest.mark.parametrize("other", range(8))
@pytest.mark.parametrize("given", [True, False])
def test_a_context_nobody_can_list_is_linted_and_any_other_is_an_error(other, given):
    if os.geteuid() != 0:
        pytest.skip("needs root to act as another user")
    top = tempfile.mkdtemp(prefix="aishell-context-")
    try:
        os.chmod(top, 0o755)
        context = os.path.join(top, "context")
        os.makedirs(os.path.join(context, ".git"))
        os.makedirs(os.path.join(context, "node_modules"))
        folder = os.path.join(top, "elsewhere") if given else context
        os.makedirs(folder, exist_ok=True)
        dockerfile = os.path.join(folder, "Dockerfile")
        with open(dockerfile, "w") as f:
            f.write(DOCKERFILE)
        os.chmod(dockerfile, 0o644)
        os.chmod(context, 0o700 | other)
        with as_nobody([]):
            if not os.access(dockerfile, os.R_OK, effective_ids=True):
                return  # (the Dockerfile itself cannot be read: another class)
            lists = _kernel_lists(context)
            result: LintResult = lint_paths([dockerfile], Options(use_config=False, context=context if given else None))
        if lists:
            assert not result.errors and [f.code for f in result.findings] == ["AIS103"], result.errors
        else:
            assert not result.findings and len(result.errors) == 1, result.findings
            assert result.errors[0].path == context and "not read" in str(result.errors[0])
    finally:
        os.chmod(context, 0o700)
        shutil.rmtree(top)
