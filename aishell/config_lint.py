"""Lint rules that read ``.aishell/config.yaml`` (``TARGET = "config"`` in the rule module).

The model a config rule sees is small: the text, and each top-level key with its
value and the span of the key's line (from PyYAML's node marks, so offsets index
the decoded text as Dockerfile spans do). The loader is PyYAML, already needed to
read the config: `aishell lint` stays free of libcst and docker.
"""

from __future__ import annotations

import bisect
import os

from aishell.yaml_text import Refused, load_checked
from aishell.errors import ConfigError
from aishell.findings import Finding
from aishell.rule import ConfigContext, TopKey

CONFIG_NAMES = ("config.yaml", "config.yml")


def is_config_path(path: str) -> bool:
    """The project config (``.aishell/config.yaml``) or a user config (``aishell/config.yaml``)."""
    parent = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return os.path.basename(path) in CONFIG_NAMES and parent in (".aishell", "aishell")


def parse_config(text: str, path: str) -> ConfigContext:
    import yaml

    try:
        node, data = load_checked(text)
    except Refused as e:
        raise ConfigError(path, str(e)) from None
    keys: list[TopKey] = []
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        for k, _v in node.value:
            start = k.start_mark.index
            nl = text.find("\n", start)
            end = len(text) if nl < 0 else nl
            name = k.value if isinstance(k, yaml.ScalarNode) else str(k.value)
            keys.append(TopKey(name, data.get(name), start, end))
    return ConfigContext(text, path, keys)


def _position(text: str, starts: list[int], offset: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, offset) - 1
    return i + 1, offset - starts[i] + 1


def lint_config_text(text: str, path: str, rules, severities: dict[str, str]) -> list[Finding]:
    ctx = parse_config(text, path)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    findings = []
    for rule in rules:
        for v in rule.check(ctx):
            line, col = _position(text, starts, v.start)
            end_line, end_col = _position(text, starts, v.end)
            findings.append(
                Finding(
                    rule.CODE,
                    rule.NAME,
                    severities.get(rule.CODE, rule.SEVERITY),
                    v.message,
                    path,
                    v.start,
                    v.end,
                    line,
                    col,
                    end_line,
                    end_col,
                    v.fix,
                )
            )
    findings.sort(key=lambda f: (f.start, f.code))
    return findings
