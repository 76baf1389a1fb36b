"""A config value or key of any kind is one short error line, never a traceback (issue 18).

The class (red team, round 16): messages showed the offending value with its full repr, so a
250-byte `.aishell/config.yaml` whose YAML aliases nest a list nine times per level gave a 28 MB
line (one level more: over a minute and a gigabyte); keys of mixed types (`1:` beside `a:`) in
`build:` or `run:` were sorted together, a TypeError. Generated: every place a config value or
key is reported x values of every YAML kind (alias bombs, self-referring lists, long strings,
mappings, numbers, null) x keys of every scalar kind.
"""

from __future__ import annotations

import pytest

from aishell.config import clear_cache, load_config
from aishell.errors import ConfigError

# Each level repeats the one before nine times: 9**7 items, 250 bytes of YAML.
BOMB = (
    "[&a [x,x,x,x,x,x,x,x,x], "
    + ", ".join(f"&{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdef", "bcdefg"))
    + "]"
)
VALUES = {
    "alias bomb": BOMB,
    "self-referring list": "&r [*r, *r]",
    "mapping bomb": "{a: &m [x, x, x, x, x, x, x, x], b: [*m, *m, *m, *m, *m, *m, *m, *m]}",
    "long string": "'" + "x" * 20_000 + "'",
    "number": "3.5",
    "null": "~",
    "bool": "yes",
    "empty mapping": "{}",
}
# Where a value is checked and, when wrong, shown (a value that is right there leaves no error).
PLACES = {
    "lint.fail-level": "lint:\n  fail-level: {v}\n",
    "lint.severity": "lint:\n  severity:\n    AIS001: {v}\n",
    "lint.ignore": "lint:\n  ignore: {v}\n",
    "lint.select": "lint:\n  select: {v}\n",
    "run.isolation": "run:\n  isolation: {v}\n",
    "run.extends": "run:\n  extends: {v}\n",
    "run.mounts": "run:\n  mounts: {v}\n",
    "run.ports": "run:\n  ports: {v}\n",
    "run.harness_args": "run:\n  harness_args: {v}\n",
    "run.harness_args.claude": "run:\n  harness_args:\n    claude: {v}\n",
    "run.detection": "run:\n  detection: {v}\n",
    "run.docker_args": "run:\n  docker_args: {v}\n",
    "build": "build: {v}\n",
    "lint": "lint: {v}\n",
    "run": "run: {v}\n",
}
KEYS = ["1", "true", "~", "1.5", "'a'", "2020-01-01", "'" + "k" * 20_000 + "'"]
SECTIONS = ["", "build:\n  ", "lint:\n  ", "run:\n  ", "run:\n  detection:\n    ", "lint:\n  severity:\n    "]


def _load(tmp_path, text: str):
    (tmp_path / ".aishell").mkdir(exist_ok=True)
    (tmp_path / ".aishell" / "Dockerfile").write_text("FROM debian\n")
    (tmp_path / ".aishell" / "config.yaml").write_text(text)
    clear_cache()
    try:
        return load_config(str(tmp_path)), None
    except ConfigError as e:
        return None, str(e)
    finally:
        clear_cache()


def _short_line(error: str | None) -> None:
    if error is not None:
        assert "\n" not in error and len(error) < 1_000, error[:300]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("kind", VALUES)
def test_a_value_of_any_kind_is_a_short_line(tmp_path, place, kind):
    _, error = _load(tmp_path, PLACES[place].format(v=VALUES[kind]))
    _short_line(error)


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("first", KEYS)
@pytest.mark.parametrize("second", ["'zz'", "0", "false"])
def test_keys_of_any_kinds_together_are_a_short_line(tmp_path, section, first, second):
    indent = section.rsplit("\n", 1)[-1]
    text = section + f"{first}: x\n{indent}{second}: y\n"
    _, error = _load(tmp_path, text)
    _short_line(error)
