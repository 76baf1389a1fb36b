"""Prove a rewrite is what it claims to be (black's equivalence check, for our edits)."""

from __future__ import annotations

from aishell.errors import InputError


def check_dockerfile(before: str, after: str, path: str) -> None:
    """The result parses, and keeps the source's directives, BOM and line-ending style."""
    from aishell.model import DockerfileSyntaxError, parse

    try:
        a, b = parse(before, path), parse(after, path)
    except DockerfileSyntaxError as e:
        raise InputError(path, f"rewrite produced an invalid Dockerfile ({e}); nothing was written") from None
    if a.directives != b.directives or a.escape != b.escape:
        raise InputError(path, "rewrite changed the parser directives; nothing was written")
    if before.startswith("\ufeff") != after.startswith("\ufeff"):
        raise InputError(path, "rewrite changed the byte-order mark; nothing was written")
    # A file with one line-ending style keeps it; a file that mixes them keeps each line's own
    # (the fixes copy the ending of the line they are next to).
    b_crlf, a_crlf = before.count("\r\n"), after.count("\r\n")
    b_lf, a_lf = before.count("\n") - b_crlf, after.count("\n") - a_crlf
    if (b_crlf and not b_lf and a_lf) or (b_lf and not b_crlf and a_crlf):
        raise InputError(path, "rewrite mixed line endings; nothing was written")
