"""A script's `#!` line, read as the kernel reads it (AIS002 precision and recall).

`RUN <<EOF` whose body starts with `#!` is executed by its path, as is a file the RUN writes and
runs (`./s.sh`): the kernel starts the program the line names with the REST of the line as one
argument. `#!/bin/sh -e -u` gives sh the argument "-e -u", which it refuses; `#!/bin/bash -o
pipefail` too; `#!/usr/bin/env bash -e` asks env for a program named "bash -e" (none: 127); only
`env -S` splits the line (`#!/usr/bin/env -S bash -e`); `-n` reads and runs nothing; a `#!` line
naming python runs no shell. Each such script was an error (the harness was read as run) where
nothing ran. A shell that reads a script on its stdin (`sh <<'EOF'`) reads the `#!` line as a
comment: its commands run whatever interpreter the line names (they were not read). The class:
`#!` lines (interpreter, `env` with and without `-S`, arguments of one and several words, `-n`,
`-e`, another interpreter) × bodies × how the script runs (the RUN's heredoc, a written file run
by its path, a body fed to sh), judged against the kernel and dash running it.
"""

import itertools

import pytest

from tests.dash import SH, agrees, outcome
from tests.severities import severities

HEAD = "FROM aishell:foundation\nRUN "
BANGS = [
    "#!/bin/sh",
    "#!/bin/bash",
    "#! /bin/bash",
    "#!/bin/dash",
    "#!/bin/bash -e",
    "#!/bin/sh -e",
    "#!/bin/bash -n",
    "#!/bin/bash -e -u",
    "#!/bin/bash\t-e",
    "#!/bin/bash -o pipefail",
    "#!/usr/bin/env bash",
    "#!/usr/bin/env sh",
    "#!/usr/bin/env -S bash",
    "#!/usr/bin/env -S bash -e",
    "#!/usr/bin/env -S sh -e",
    "#!/usr/bin/env -S bash -o pipefail",
    "#!/usr/bin/env bash -e",
    "#!/usr/bin/python3",
]
BODIES = [
    "claude -v",
    "claude -v <<< x",
    "true\nclaude -v",
    "a=(x)\nclaude -v",
    "claude -v | cat",
    "claude -v || true",
    "claude -v | true\necho ok",
]
# How the script runs: the RUN's line (None: the heredoc is the RUN's script, executed by its
# path, the oracle runs the file itself), around the body.
HOWS = {
    "heredoc": None,
    "file": "cat > s.sh <<'EOF' && chmod +x s.sh && ./s.sh\n{s}\nEOF\n",
    "fed": "sh <<'EOF'\n{s}\nEOF\n",
}


@pytest.mark.skipif(SH is None, reason="needs dash")
@pytest.mark.parametrize("how,bang,body", list(itertools.product(HOWS, BANGS, BODIES)))
def test_a_shebang_is_read_as_the_kernel_reads_it(tmp_path, how, bang, body):
    script = f"{bang}\n{body}"
    if HOWS[how] is None:
        text = f"{HEAD}<<EOF\n{script}\nEOF\n"
        path = tmp_path / "script"
        path.write_text(script + "\n")
        path.chmod(0o755)
        line = str(path)
    else:
        line = HOWS[how].format(s=script)
        text = HEAD + line
    found = severities(text)
    fails, ran = outcome(line, tmp_path, cwd=tmp_path)
    agrees(found, fails, ran, how, script)
