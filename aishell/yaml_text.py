"""What YAML 1.1 and YAML 1.2 read differently in a config file: NEL, LS and PS (issue 18).

Kept out of aishell.errors (the core the rules import): it loads PyYAML.
"""

from __future__ import annotations

import re

from aishell.errors import YAML_ERRORS, _line_of, check_yaml_values, shown, yaml_problem

# What YAML 1.1 reads as a line break besides CR and LF (PyYAML, and SnakeYAML, the original
# aishell's reader through clj-yaml); YAML 1.2 and git do not.
YAML11_BREAKS = {"\x85": "NEL (U+0085)", "\u2028": "LINE SEPARATOR (U+2028)", "\u2029": "PARAGRAPH SEPARATOR (U+2029)"}


def yaml_breaks(text: str) -> str | None:
    """None, unless ``text`` holds a character YAML 1.1 reads as a line break and other readers
    do not (NEL, LS, PS) where the two readings differ: then one line saying where and what to
    write instead. A value then loses or changes characters (`"a<NEL>b"` loads as `a b`), a plain
    value breaks the file, and a comment can end early and hide a key after it (`# note<LS>run:
    ...` loads `run:`) that a reviewer of the file does not see. Where both readings agree (`"a<LS>b"`
    loads as written) the file is read."""
    found = [c for c in YAML11_BREAKS if c in text]
    if not found:
        return None
    keep = {}
    code = 0xF0000  # private-use characters the text does not hold stand in for them
    for c in found:
        while chr(code) in text:
            code += 1
        keep[c] = chr(code)
        code += 1
    back = str.maketrans({v: k for k, v in keep.items()})
    as_12 = _yaml_events(text.translate(str.maketrans(keep)), back)
    if as_12 is None:  # (bad either way: PyYAML's own message says why, on the editor's line)
        return None
    if _yaml_events(text, back) == as_12:
        return None
    at = [m.start() for m in re.finditer("|".join(found), text)]
    culprit = at[0]
    if len(at) <= 20 and len(text) <= 1_000_000:
        # The first one whose reading as a line break changes what loads (each kept as written
        # from the first on, until the file reads as YAML 1.2 reads it).
        for k, i in enumerate(at):
            part = text[: i + 1].translate(str.maketrans(keep)) + text[i + 1 :]
            if _yaml_events(part, back) != (
                _yaml_events(text[:i].translate(str.maketrans(keep)) + text[i:], back)
                if k
                else _yaml_events(text, back)
            ):
                culprit = i
                break
    line = _line_of(text, culprit)
    column = culprit - max(text.rfind("\n", 0, culprit), text.rfind("\r", 0, culprit))
    return (
        f"line {line}, column {column}: {YAML11_BREAKS[text[culprit]]}, a line break to YAML 1.1 (PyYAML here,"
        " and the original aishell's SnakeYAML) but not to YAML 1.2 or git, so the file reads differently to"
        f' each; write it escaped in a double-quoted string ("\\u{ord(text[culprit]):04x}") or remove it'
    )


def _yaml_events(text: str, back: dict) -> list | None:
    """The YAML events of ``text`` (scalars with the stand-ins ``back`` maps put back), or None
    when PyYAML refuses it."""
    import yaml

    try:
        return [
            (
                type(e).__name__,
                getattr(e, "anchor", None),
                getattr(e, "tag", None),
                e.value.translate(back) if isinstance(getattr(e, "value", None), str) else None,
            )
            for e in yaml.parse(text, Loader=yaml.SafeLoader)
        ]
    except Exception:  # noqa: BLE001  (any refusal: YAMLError, and what its constructors raise)
        return None


_COMPOSE = object()


def yaml_duplicates(text: str, root=_COMPOSE) -> str | None:
    """None, unless a mapping of ``text`` holds one key twice: then one line naming it and both
    lines. YAML loaders (PyYAML here, SnakeYAML in the original aishell) keep the last and drop
    the other silently, so a setting the file shows would not count. (A merge key, `<<`, may
    repeat.) ``text`` must load: the caller loads it first or after. ``root``: the caller's
    ``yaml.compose(text)``, not changed here (else it is composed here)."""
    import yaml

    if root is _COMPOSE:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except Exception:  # noqa: BLE001  (the caller's load says what is wrong)
            return None
    seen: set[int] = set()
    todo = [root] if root is not None else []
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple, object] = {}
            for k, v in node.value:
                todo.append(v)
                if not isinstance(k, yaml.ScalarNode) or k.tag == "tag:yaml.org,2002:merge":
                    todo.append(k)
                    continue
                key = (k.tag, k.value)
                if k.tag != "tag:yaml.org,2002:str":  # (`01` and `1`, `on` and `true`: one key once loaded)
                    try:
                        key = (k.tag, yaml.safe_load(k.value))
                    except Exception:  # noqa: BLE001
                        pass
                if key in first:
                    a, b = _line_of(text, first[key].start_mark.index), _line_of(text, k.start_mark.index)
                    return (
                        f"line {b}: the key {shown(k.value)} is set twice in one mapping (also on line {a}); YAML keeps "
                        "only the last, so the other would be dropped silently: keep one"
                    )
                first[key] = k
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return None


class Refused(Exception):
    """A config text load_checked refuses: ``str(self)`` is the one line that says why;
    ``error`` is PyYAML's exception when it is a load failure (None for a break or a duplicate)."""

    def __init__(self, message: str, error: BaseException | None = None):
        super().__init__(message)
        self.error = error


# A config's size bound: PyYAML (pure Python, the text composed and loaded) reads about 200 KB
# a second, so a cloned repository's 10 MB config.yaml would hold `aishell lint` for a minute.
MAX_CONFIG_CHARS = 262_144


def load_checked(text: str):
    """(root node, data) of a config's text, read as every config reader here reads one: no
    character YAML 1.1 alone reads as a line break (yaml_breaks), no key twice in a mapping
    (yaml_duplicates), no value too large to use (check_yaml_values). Composed once for the
    node and the duplicates, loaded once for the data (the constructor flattens merge keys in the
    node it builds from: the node is kept apart from it). Raises Refused."""
    import yaml

    if len(text) > MAX_CONFIG_CHARS:
        raise Refused(
            f"{len(text):,} characters, over the {MAX_CONFIG_CHARS:,} a config file may hold (a config is a "
            "few KB; reading this one would take seconds per 100 KB)"
        )
    problem = yaml_breaks(text)
    if problem:
        raise Refused(problem)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        problem = yaml_duplicates(text, root)
        if not problem:
            data = yaml.safe_load(text)
            check_yaml_values(data)
    except (yaml.YAMLError, *YAML_ERRORS) as e:
        raise Refused(yaml_problem(e, text), e) from None
    if problem:
        raise Refused(problem)
    return root, data
