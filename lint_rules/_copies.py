"""The words of COPY/ADD instructions, read once per distinct text (rules AIS101 and AIS103),
and the paths they and WORKDIR resolve to (AIS002, AIS101, AIS102)."""

from __future__ import annotations

import posixpath
import re

from aishell.model import Instruction, copy_args

# A quoted string of a RUN's text (AIS101 and AIS102 blank them before reading redirections:
# `'flask>=2,<3'` is no redirection).
QUOTED = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"", re.S)
# Text with no quote, backslash or whitespace but the word separators: str.split() reads it as
# model.split_words does, and unquoting changes nothing.
_PLAIN = re.compile(r"(?:[^\s'\"\\]|[ \t\n\v\f\r])*")
# The same test for ASCII text, one character class (the alternation above costs a branch per
# character): the ASCII characters _PLAIN refuses are the quotes, the backslash and \x1c-\x1f
# (whitespace to str.split, not a word separator).
NOT_PLAIN_ASCII = re.compile(r"[\x1c-\x1f'\"\\]")
_SEEN: dict[str, list[str]] = {}
_SEEN_MAX = 4096  # entries; forgotten all at once past it (a file of distinct COPYs keeps nothing)


def copy_words(ins: Instruction) -> list[str]:
    """model.copy_args(ins), shared between COPYs of the same text: do not change the list."""
    if ins.json_args is not None or ins.escape != "\\":  # (the memo: escape `\\`)
        return copy_args(ins)
    text = ins.logical[ins.args_start :]
    words = _SEEN.get(text)
    if words is None:
        words = _words(ins, text)
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        _SEEN[text] = words
    return words


def copy_words_once(ins: Instruction) -> list[str]:
    """model.copy_args(ins), for a caller that keeps its own memo (nothing kept here)."""
    if ins.json_args is not None:
        return copy_args(ins)
    return _words(ins, ins.logical[ins.args_start :])


def _words(ins: Instruction, text: str) -> list[str]:
    plain = not NOT_PLAIN_ASCII.search(text) if text.isascii() else _PLAIN.fullmatch(text)
    return text.split() if plain and ins.escape == "\\" else copy_args(ins)


# -- paths -------------------------------------------------------------------------------------

WHOLE = {".", "./", "./."}  # a COPY source that is the whole context


def rel_below(path: str, start: str) -> str:
    """posixpath.relpath(path, start) for normalised absolute paths, ``path`` at or under
    ``start``: the rest of ``path``, without the working directory relpath would ask for."""
    if path.startswith("//") or start.startswith("//"):
        return posixpath.relpath(path, start)
    if path == start:
        return "."
    return path[len(start.rstrip("/")) + 1 :]


def context_path(src: str, dest: str, path: str) -> str | None:
    """The context path that a COPY of ``src`` (the whole context, or a folder of it: the
    caller knows which) into the absolute ``dest`` puts at the absolute image path ``path``:
    the folder's path, then ``path``'s rest below ``dest``. None when ``path`` is not at or
    under ``dest``. The one mapping from image paths to context paths (AIS101, AIS102)."""
    if not (path + "/").startswith(dest.rstrip("/") + "/"):
        return None
    prefix = "" if src in WHOLE else src.strip("/").removeprefix("./") + "/"
    return prefix + rel_below(path, dest)


# A relative path posixpath.normpath leaves as it is: no empty, `.` or `..` segment (no segment
# starts with a dot), at most one trailing slash.
_PLAIN_REL = re.compile(r"[^./][^/]*(?:/[^./][^/]*)*/?")


def join_path(base: str, rel: str) -> str:
    """posixpath.normpath(posixpath.join(base, rel)) for a normalised absolute ``base``, by
    string operations where the result is plain (the general functions otherwise)."""
    if not base.startswith("//"):
        if rel.startswith("/"):
            if not rel.startswith("//") and (rel == "/" or _PLAIN_REL.fullmatch(rel, 1)):
                return rel.rstrip("/") or "/"
        elif rel in (".", "./"):
            return base
        elif _PLAIN_REL.fullmatch(rel):
            return ("" if base == "/" else base) + "/" + rel.rstrip("/")
    return posixpath.normpath(posixpath.join(base, rel))


# An absolute path Go's path.Clean leaves as it is but for a final slash: no quote, variable or
# escape character, no empty, `.` or `..` segment (no segment starts with a dot).
_PLAIN_ABSOLUTE = re.compile(r"/|(?:/[^./'\"$\\`][^/'\"$\\`]*)+/?")
# Linux's PATH_MAX less its NUL: BuildKit makes the WORKDIR under the snapshot's root, so a
# longer path fails the build (ENAMETOOLONG). Past it the rules call the directory not known,
# which bounds every path they build from one (a chain of relative WORKDIRs once made each
# longer than the last: 2,500 of them took AIS101 47 s).
MAX_PATH = 4095


def workdir_after(cur: str | None, ins: Instruction) -> str | None:
    """The working directory after the WORKDIR ``ins``, ``cur`` the one before it (None: not
    known), as BuildKit resolves it (dispatchWorkdir, system.NormalizeWorkdir): the argument
    read as one word with its quotes removed, a relative path joined to the directory before,
    the result cleaned as Go's path.Clean does (`.`, `..`, repeated and trailing slashes, a
    leading `//` too). None when the rule cannot know it: a variable (`$`, not expanded here),
    an escape character (`\\`, or `` ` `` under `# escape=```), unbalanced quotes (BuildKit
    refuses them), an empty path, or a relative path after a directory not known."""
    text = ins.args.strip()
    if _PLAIN_ABSOLUTE.fullmatch(text):
        if len(text) > MAX_PATH + 1:
            return None
        return text.rstrip("/") or "/"  # `/app`: nothing to unquote, join or clean
    if not text or "$" in text or "\\" in text or "`" in text:
        return None
    if "'" in text or '"' in text:
        text = _unquote_word(text)
        if not text:
            return None
    if text[0] == "/":
        path = join_path("/", text)
    elif cur is None:
        return None
    else:
        path = join_path(cur, text)
    if len(path) > MAX_PATH:
        return None
    return "/" + path.lstrip("/") if path.startswith("//") else path


def _unquote_word(text: str) -> str | None:
    """A word's quotes removed (no escape character in it), None if one is not closed."""
    out = []
    quote = None
    for c in text:
        if quote is None and c in "'\"":
            quote = c
        elif c == quote:
            quote = None
        else:
            out.append(c)
    return None if quote is not None else "".join(out)
