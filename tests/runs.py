"""The RUNs of a Dockerfile as the fast-path tests read them: ``read_runs(text)`` parses the text
and gives (the file, [(each RUN or ONBUILD instruction, analyse_run's script of it)]), or None
where BuildKit would refuse the text (the generating tests draw such texts too, and compare
None with None)."""

from __future__ import annotations

from aishell import shell
from aishell.model import Dockerfile, DockerfileSyntaxError, parse


def read_runs(text: str, keywords: tuple[str, ...] = ("RUN", "ONBUILD")) -> tuple[Dockerfile, list] | None:
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return None
    return df, [(ins, shell.analyse_run(ins)) for ins in df.instructions if ins.keyword in keywords]
