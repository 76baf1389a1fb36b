"""The build context of a Dockerfile, as the builder will send it.

For ``.aishell/Dockerfile`` the context is the project root (the folder that
holds ``.aishell/``); for any other Dockerfile it is the Dockerfile's folder,
unless ``--context DIR`` is given. The ignore file follows BuildKit:
``<Dockerfile-name>.dockerignore`` beside the Dockerfile replaces
``.dockerignore`` at the context root.
"""

from __future__ import annotations

import os


class BuildContext:
    def __init__(self, root: str, dockerfile: str, ignore_file: str | None, ignore_patterns: list[str]):
        self.root = root
        self.dockerfile = dockerfile
        self.ignore_file = ignore_file  # the ignore file that applies, if any
        self.ignore_patterns = ignore_patterns
        self._exists: dict[str, bool] = {}

    @classmethod
    def for_dockerfile(
        cls, dockerfile: str, context: str | None = None, project_root: str | None = None
    ) -> BuildContext:
        dockerfile = os.path.abspath(dockerfile)
        folder = os.path.dirname(dockerfile)
        if context:
            root = os.path.abspath(context)
        elif os.path.basename(folder) == ".aishell" and os.path.basename(dockerfile) == "Dockerfile":
            root = os.path.dirname(folder)
        else:
            root = folder
        specific = dockerfile + ".dockerignore"
        generic = os.path.join(root, ".dockerignore")
        ignore = specific if os.path.lexists(specific) else generic if os.path.lexists(generic) else None
        patterns = read_ignore_patterns(ignore) if ignore else []
        return cls(root, dockerfile, ignore, patterns)

    def exists(self, rel: str) -> bool:
        if rel not in self._exists:  # asked once per path, however many instructions ask
            self._exists[rel] = os.path.exists(os.path.join(self.root, rel))
        return self._exists[rel]

    def is_ignored(self, rel: str) -> bool:
        return is_ignored(rel, self.ignore_patterns)


def read_ignore_patterns(path: str) -> list[str]:
    """The patterns of an ignore file, read as BuildKit reads them (moby/patternmatcher's
    ignorefile.ReadAll): a UTF-8 BOM before the first line dropped, lines split at line feeds
    only (a CR before one dropped), a line that starts with `#` a comment (an indented `#` is a
    pattern), then blanks trimmed as Go's strings.TrimSpace trims them. An unreadable or
    non-regular file is an InputError (one line, exit 2): linting as if it did not exist would
    give wrong answers. Bytes that are not UTF-8 are replaced, as BuildKit matches them byte-wise
    anyway."""
    from aishell.errors import read_bytes
    from aishell.model import GO_SPACE

    text = read_bytes(path).decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    out = []
    for line in lines:
        if line.endswith("\r"):
            line = line[:-1]
        if line.startswith("#"):
            continue
        line = line.strip(GO_SPACE)
        if line:
            out.append(line)
    return out


def _clean(pattern: str) -> str:
    from aishell.model import GO_SPACE

    p = pattern.strip(GO_SPACE)
    neg = p.startswith("!")
    if neg:
        p = p[1:].strip(GO_SPACE)
    p = os.path.normpath(p.lstrip("/")).replace(os.sep, "/") if p.strip("/") else "."
    return ("!" if neg else "") + p


def _match(pattern: str, rel: str) -> bool:
    """Docker's pattern matching (filepath.Match plus ``**``), for a path or any parent of it."""
    import fnmatch
    import re

    parts = rel.split("/")
    # A pattern matches a path when it matches the path or one of its parent folders.
    for i in range(1, len(parts) + 1):
        cand = "/".join(parts[:i])
        regex = ""
        j = 0
        while j < len(pattern):
            c = pattern[j]
            if pattern.startswith("**", j):
                regex += ".*"
                j += 2
                if j < len(pattern) and pattern[j] == "/":
                    regex = regex[:-2] + "(?:.*/)?"
                    j += 1
                continue
            if c == "*":
                regex += "[^/]*"
            elif c == "?":
                regex += "[^/]"
            elif c == "[":
                k = pattern.find("]", j)
                if k < 0:
                    regex += re.escape(c)
                else:
                    regex += fnmatch.translate(pattern[j : k + 1])[4:-3]
                    j = k
            elif c == "\\" and j + 1 < len(pattern):
                j += 1
                regex += re.escape(pattern[j])
            else:
                regex += re.escape(c)
            j += 1
        if re.fullmatch(regex, cand):
            return True
    return False


def is_ignored(rel: str, patterns: list[str]) -> bool:
    """Whether ``rel`` (a context-relative path) is excluded; the last matching pattern wins."""
    rel = rel.strip("/")
    ignored = False
    for raw in patterns:
        p = _clean(raw)
        neg = p.startswith("!")
        if neg:
            p = p[1:]
        if _match(p, rel):
            ignored = not neg
    return ignored
