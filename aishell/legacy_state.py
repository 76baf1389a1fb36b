"""The original aishell's state (``~/.aishell/state.edn``): the harness versions it had built.

The original wrote one global map with ``pr-str`` (its ``aishell.state/write-state``):
keyword keys, and strings, booleans, nil, numbers as values, e.g.
``{:with-claude true, :claude-version "2.0.22", :with-codex false, :image-tag "aishell:foundation"}``.
:func:`read_edn` reads that subset of EDN (maps, vectors, lists, sets, keywords, strings,
numbers, true/false/nil, comments, commas as whitespace) and nothing else: a file it cannot
read is ignored with one line, never an error for the build.

Where a project has no aishell state yet and the build names no harness (neither ``--with-*``
nor ``build.harnesses``), the first ``aishell build`` builds the harnesses and versions the
original had selected, and says so.
"""

from __future__ import annotations

import os
import re

HARNESSES = ("claude", "codex", "gemini", "opencode")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?M?N?")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "b": "\b", "f": "\f"}


class EdnError(ValueError):
    pass


def read_edn(text: str):
    value, i = _value(text, _skip(text, 0))
    if _skip(text, i) != len(text):
        raise EdnError(f"unexpected text at {i}")
    return value


def _skip(s: str, i: int) -> int:
    while i < len(s):
        if s[i] in " \t\r\n,":
            i += 1
        elif s[i] == ";":
            nl = s.find("\n", i)
            i = len(s) if nl < 0 else nl + 1
        else:
            break
    return i


def _token_end(s: str, i: int) -> int:
    while i < len(s) and s[i] not in ' \t\r\n,;()[]{}"':
        i += 1
    return i


def _seq(s: str, i: int, close: str) -> tuple[list, int]:
    out = []
    i = _skip(s, i)
    while i < len(s) and s[i] != close:
        v, i = _value(s, i)
        out.append(v)
        i = _skip(s, i)
    if i >= len(s):
        raise EdnError(f"missing {close}")
    return out, i + 1


def _value(s: str, i: int):
    if i >= len(s):
        raise EdnError("unexpected end")
    c = s[i]
    if c == "{":
        items, i = _seq(s, i + 1, "}")
        if len(items) % 2:
            raise EdnError("a map needs key-value pairs")
        keys = items[0::2]
        if not all(isinstance(k, (str, int, float, bool)) or k is None for k in keys):
            raise EdnError("unsupported map key")
        return dict(zip(keys, items[1::2])), i
    if c == "[" or c == "(":
        return _seq(s, i + 1, "]" if c == "[" else ")")
    if s.startswith("#{", i):
        items, i = _seq(s, i + 2, "}")
        return items, i
    if c == '"':
        out, i = [], i + 1
        while i < len(s) and s[i] != '"':
            if s[i] == "\\":
                i += 1
                if i < len(s) and s[i] == "u":
                    out.append(chr(int(s[i + 1 : i + 5], 16)))
                    i += 5
                    continue
                if i >= len(s) or s[i] not in _ESCAPES:
                    raise EdnError("bad escape")
                out.append(_ESCAPES[s[i]])
            else:
                out.append(s[i])
            i += 1
        if i >= len(s):
            raise EdnError("unterminated string")
        return "".join(out), i + 1
    end = _token_end(s, i)
    tok = s[i:end]
    if not tok:
        raise EdnError(f"unexpected {c!r}")
    if tok in ("true", "false"):
        return tok == "true", end
    if tok == "nil":
        return None, end
    if tok.startswith(":"):
        return tok, end  # keywords stay as ":name"
    if _NUMBER.fullmatch(tok):
        t = tok.rstrip("MN")
        return (float(t) if any(ch in t for ch in ".eE") else int(t)), end
    if tok.startswith("#inst") or tok.startswith("#"):
        raise EdnError(f"tagged value {tok!r} is not read")
    return tok, end  # a symbol


def original_state_path(home: str | None = None) -> str:
    return os.path.join(home or os.path.expanduser("~"), ".aishell", "state.edn")


def original_versions(home: str | None = None) -> tuple[dict[str, str], str | None]:
    """The harnesses the original had selected (name -> version, "latest" when it recorded
    none), and a note when its state file exists but cannot be read."""
    path = original_state_path(home)
    if not os.path.isfile(path):
        return {}, None
    try:
        with open(path, encoding="utf-8") as f:
            data = read_edn(f.read())
    except (OSError, UnicodeDecodeError, EdnError, ValueError) as e:
        return {}, f"aishell: note: {path} (the original aishell's state) is not readable here ({e}); ignored"
    if not isinstance(data, dict):
        return {}, None
    out = {}
    for h in HARNESSES:
        if data.get(f":with-{h}") is True:
            version = data.get(f":{h}-version")
            out[h] = version if isinstance(version, str) and version.strip() else "latest"
    return out, None


def offer(root: str, cli: dict[str, str | None], build_conf: dict, pstate: dict, say) -> dict[str, str | None]:
    """``cli`` with the original's selections filled in, when nothing else chooses harnesses."""
    if any(v is not None for v in cli.values()) or build_conf.get("harnesses") or pstate:
        return cli
    versions, note = original_versions()
    if note:
        say(note)
    if not versions:
        return cli
    chosen = ", ".join(f"{h} {v}" for h, v in versions.items())
    say(
        f"aishell: first build here: using the harnesses the original aishell had selected ({chosen}, from "
        f"{original_state_path()}); --with-<harness> chooses others"
    )
    return {**cli, **versions}
