"""The build context of a Dockerfile, as the builder will send it.

For ``.aishell/Dockerfile`` the context is the project root (the folder that
holds ``.aishell/``); for any other Dockerfile it is the Dockerfile's folder,
unless ``--context DIR`` is given. The ignore file follows BuildKit:
``<Dockerfile-name>.dockerignore`` beside the Dockerfile replaces
``.dockerignore`` at the context root.
"""

from __future__ import annotations

import os
import posixpath
import re


class BuildContext:
    def __init__(self, root: str, dockerfile: str, ignore_file: str | None, ignore_patterns: list[str]):
        self.root = root
        self.dockerfile = dockerfile
        self.ignore_file = ignore_file  # the ignore file that applies, if any
        self.ignore_patterns = ignore_patterns
        self.project_root: str | None = None  # the folder holding `.aishell/`, when known
        self._exists: dict[str, bool] = {}
        self._ignored: dict[str, bool | None] = {}
        # Pattern tests ``ignored`` may still make before it answers "not known" (None: no limit;
        # lint sets IGNORE_BUDGET, the builder hashes with none). Each answer tests every pattern against the path and its
        # folders, so many patterns times many paths asked (one per install's manifest) grew
        # with their product: 2,000 patterns and 2,700 installs took 28 s.
        self.ignore_budget: int | None = None

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
        ignore = specific if _present(specific) else generic if _present(generic) else None
        patterns = read_ignore_patterns(ignore) if ignore else []
        bc = cls(root, dockerfile, ignore, patterns)
        bc.project_root = project_root
        return bc

    def exists(self, rel: str) -> bool:
        if rel not in self._exists:  # asked once per path, however many instructions ask
            self._exists[rel] = os.path.exists(os.path.join(self.root, rel))
        return self._exists[rel]

    def ignored(self, rel: str) -> bool | None:
        """Whether the build leaves ``rel`` out: True, False, or None when not known (also once
        ``ignore_budget`` is spent)."""
        got = self._ignored.get(rel, _ASK)
        if got is not _ASK:
            return got
        compiled = self.__dict__.get("_compiled", False)
        if compiled is False:
            compiled = self._compiled = _compile(self.ignore_patterns)
        budget = self.ignore_budget
        if budget is None or not compiled:
            got = self._ignored[rel] = ignored(rel, compiled)
            return got
        # Each pattern against the path and each folder above it, and the steps of the regexps.
        cost = len(compiled) * (rel.strip("/").count("/") + 1)
        if cost > budget:
            self._ignored[rel] = None
            return None
        limit = [budget - cost]
        got = self._ignored[rel] = ignored(rel, compiled, limit)
        self.ignore_budget = max(limit[0], 0)
        return got

    def is_ignored(self, rel: str) -> bool:
        """Whether ``rel`` may be left out (excluded, or not known): a fix may not rely on it."""
        return self.ignored(rel) is not False

    def may_bring_back(self, name: str, anywhere: bool = False) -> bool:
        """Whether a `!` line of the ignore file may match ``name`` (a top-level entry; with
        ``anywhere``, a folder of that name at any depth) or a path below it: the user keeps
        (part of) it in the context on purpose (`*` then `!dist`, or `!dist/main.js`), and a
        pattern appended after that line would exclude it again. Errs towards yes: a wildcard
        or a pattern aishell does not read that may match the name counts."""
        compiled = self.__dict__.get("_compiled", False)
        if compiled is False:
            compiled = self._compiled = _compile(self.ignore_patterns)
        for p in compiled or ():
            if not p.exclusion:
                continue
            parts = p.text.split("/")
            for part in parts if anywhere else parts[:1]:
                if part == name or part.startswith("**"):
                    return True
                if p.kind == "unknown" or "*" in part or "?" in part:
                    if _Pattern(False, part, p.kind == "unknown").match(name) is not False:
                        return True
        return False


def _present(path: str) -> bool:
    """Whether the build reads the ignore file ``path``: a symbolic link to nothing is none, as
    Docker's CLI and docker-py open it and take "no such file" as no ignore file (a cloned
    repository's dangling `.dockerignore` read as an input error blocked `aishell build`). Any
    other file that is there, even one that cannot be read, is (read_ignore_patterns says why)."""
    try:
        os.stat(path)
        return True
    except FileNotFoundError:
        return False
    except OSError:
        return os.path.lexists(path)


_ASK = object()  # (not asked yet)
# The pattern tests a lint may make (a pattern against a path or a folder above it), and the
# state steps of the regexps among them: about a second at most; a real project's ignore file
# and manifests need a few thousand.
IGNORE_BUDGET = 2_000_000


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


# moby/patternmatcher compiles a pattern into a Go regexp, escaping only `.+()|{}$` (plain
# characters to the token matcher below); `[`, `]`, `^` and `\\X` reach the regexp as they are
# (`[^a]`, `\\w`, `[[:alpha:]]` are regexp classes there), and docker-py's matcher (the classic
# builder's) reads them as fnmatch does. A pattern holding one is read as "unknown": aishell does
# not say whether it excludes a path.
_UNREAD = frozenset("[]^\\")
# A class (`[...]`, to the end when unclosed) or an escape and its character: no plain text.
# (Inside a class an escape takes the next character, `]` too, and a `]` first is a member.)
_NOT_LITERAL = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]?|\\.?", re.S)
_LITERAL_RUN = re.compile(r"[A-Za-z0-9_.-]+")


def _unlike(text: str) -> bool:
    """Whether BuildKit and docker-py read a pattern differently (or may): a `**` that is not a
    whole path element (BuildKit: `**log` is any path ending in `log`; docker-py: `log` in any
    folder), a blank inside it (each trims and cleans it in its own order), a `..` element
    (BuildKit keeps a leading one, docker-py drops it), a `!` after the first character."""
    from aishell.model import GO_SPACE

    text = text.strip(GO_SPACE)
    if any(c in GO_SPACE for c in text) or ".." in text.split("/") or "!" in text[1:]:
        return True  # (`/!x` is an exclusion for BuildKit, which strips the `/` first)
    text = text.lstrip("!")
    at = text.find("**")
    while at >= 0:
        end = at + 2
        while end < len(text) and text[end] == "*":
            end += 1
        if (at and text[at - 1] != "/") or (end < len(text) and text[end] != "/") or end - at > 2:
            return True
        at = text.find("**", end)
    return False


def _go_clean(path: str) -> str:
    """Go's filepath.Clean (posixpath.normpath keeps exactly two leading slashes; Go keeps one)."""
    if not path:
        return "."
    if path.startswith("//") and not path.startswith("///"):
        path = path[1:]
    return posixpath.normpath(path)


class _Pattern:
    """One pattern as moby/patternmatcher reads it: Pattern.compile's match types (the pattern
    itself, a prefix before a final `**`, a suffix after a first `**`, or the regexp it builds),
    or "unknown" (``regex`` then holds the plain runs any reading needs in a path it matches)."""

    __slots__ = ("exclusion", "kind", "text", "regex", "wild")

    def __init__(self, exclusion: bool, text: str, unlike: bool = False):
        self.exclusion, self.text, self.regex = exclusion, text, None
        self.wild = "*" in text or "?" in text
        if unlike or _UNREAD.intersection(text) or _unlike(text):
            self.kind = "unknown"
            # What every reading needs in a path it matches: the runs of plain characters outside
            # classes and escapes (a pattern that cannot match a path is known not to).
            # (Dots alone are no such run: docker-py drops a `..` element.)
            self.regex = [r for r in _LITERAL_RUN.findall(_NOT_LITERAL.sub(" ", text)) if r.strip(".")]
            return
        # The regexp Pattern.compile builds, as tokens for _nfa_match: a literal character, `?`
        # ([^/]), `*` ([^/]*), `**/` in the middle ((.*/)?), a final `**` (.*).
        kind, regex, i, n, first = "exact", [], 0, len(text), True
        while i < n:
            ch = text[i]
            i += 1
            if ch == "*":
                if i < n and text[i] == "*":
                    i += 1
                    if i < n and text[i] == "/":
                        i += 1
                    if i >= n:  # `**` at the end
                        if kind == "exact":
                            kind = "prefix"
                        else:
                            regex.append(_ALL)
                            kind = "regexp"
                    else:
                        regex.append(_DSTAR)
                        kind = "regexp"
                    if first:
                        kind = "suffix"
                else:
                    regex.append(_STAR)
                    kind = "regexp"
            elif ch == "?":
                regex.append(_ONE)
                kind = "regexp"
            else:
                regex.append(ch)
            first = False
        self.kind = kind
        if kind == "regexp":
            self.regex = tuple(regex)

    def match(self, path: str, limit: list[int] | None = None) -> bool | None:
        kind = self.kind
        if kind == "exact":
            return path == self.text
        if kind == "prefix":
            return path.startswith(self.text[:-2])
        if kind == "suffix":
            suffix = self.text[2:]
            return path.endswith(suffix) or (suffix[:1] == "/" and path == suffix[1:])
        if kind == "regexp":
            return _nfa_match(self.regex, path, limit)
        for run in self.regex:  # not known: unless a plain run is missing from the path
            if run not in path:
                return False
        return None


# Tokens other than a literal character (a string of length 1).
_ONE, _STAR, _DSTAR, _ALL = ("?",), ("*",), ("**/",), ("**",)


def _nfa_match(tokens: tuple, path: str, limit: list[int] | None = None) -> bool | None:
    """Whether the whole ``path`` matches the tokens: the regexp Go's engine runs, simulated as
    Go runs it, every state at once (in time linear in the path; a backtracking engine took
    seconds for `*a*a*a*a*a*a*c` against 80 `a`s). State 2k: before token k; 2k+1: inside the
    (.*/)? of token k, past at least one character. ``limit``: [the state steps it may take],
    spent as it goes; None (not known) once they run out (a pattern of thousands of `*?` keeps
    thousands of states alive along a long path)."""
    end = len(tokens)

    def closure(states: set[int]) -> set[int]:
        # The skips of `*`, `**/` and `**` from the states there, and on from the states they
        # reach: work in the states, not in the tokens (a pattern's every token once per
        # character).
        out = set(states)
        todo = [st for st in states if not st & 1]
        while todo:
            st = todo.pop() + 2
            if st - 2 < 2 * end and tokens[(st - 2) >> 1] in (_STAR, _DSTAR, _ALL) and st not in out:
                out.add(st)
                todo.append(st)
        return out

    if limit is not None and limit[0] < 0:
        return None
    states = closure({0})
    for c in path:
        if limit is not None:
            limit[0] -= len(states)
            if limit[0] < 0:
                return None
        nxt: set[int] = set()
        for st in states:
            k, inside = divmod(st, 2)
            if k >= end:
                continue
            tok = tokens[k]
            if inside:  # within (.*/)?: any character but a newline, a `/` may end it
                if c != "\n":
                    nxt.add(st)
                if c == "/":
                    nxt.add(2 * k + 2)
            elif tok is _ONE:
                if c != "/":
                    nxt.add(2 * k + 2)
            elif tok is _STAR:
                if c != "/":
                    nxt.add(st)
            elif tok is _ALL:
                if c != "\n":
                    nxt.add(st)
            elif tok is _DSTAR:
                if c != "\n":
                    nxt.add(st + 1)
                if c == "/":
                    nxt.add(2 * k + 2)
            elif tok == c:
                nxt.add(2 * k + 2)
        if not nxt:
            return False
        states = closure(nxt)
    return 2 * end in states


def _compile(patterns: list[str]) -> list[_Pattern] | None:
    """The patterns as ignorefile.ReadAll then NewPatternMatcher make them; None when BuildKit
    refuses them (an exclusion of nothing: the build fails, so nothing is known to be sent)."""
    from aishell.model import GO_SPACE

    out = []
    for raw in patterns:
        p = raw
        invert = p.startswith("!")  # ReadAll
        if invert:
            p = p[1:].strip(GO_SPACE)
        if p:
            p = _go_clean(p)
            if len(p) > 1 and p[0] == "/":
                p = p[1:]
        if invert:
            p = "!" + p
        p = _go_clean(p.strip(GO_SPACE))  # NewPatternMatcher
        exclusion = p.startswith("!")
        if exclusion:
            if len(p) == 1:
                return None
            p = p[1:]
        out.append(_Pattern(exclusion, p, _unlike(raw)))
    return out


def ignored(rel: str, patterns: list[_Pattern] | None, limit: list[int] | None = None) -> bool | None:
    """Whether BuildKit leaves ``rel`` (a context-relative path) out of the context:
    PatternMatcher.MatchesOrParentMatches, the last pattern matching the path or a folder above it
    deciding. None: not known (a pattern aishell does not read, or patterns BuildKit refuses)."""
    if patterns is None:
        return None
    rel = rel.strip("/")
    parent = posixpath.dirname(rel)
    dirs = parent.split("/") if parent else []
    state: bool | None = False
    for p in patterns:
        m = p.match(rel, limit)
        if m is not True and dirs:
            for i in range(len(dirs)):
                up = p.match("/".join(dirs[: i + 1]), limit)
                if up is True:
                    m = True
                    break
                if up is None:
                    m = None
        if m is True:
            if p.exclusion and state is not False and p.wild:
                # A re-inclusion by a wildcard: docker-py's walk does not enter a folder it
                # excluded unless an exclusion pattern starts with the folder's path.
                state = None
            else:
                state = not p.exclusion
        elif m is None and state is not (not p.exclusion):
            state = None
    return state


def is_ignored(rel: str, patterns: list[str]) -> bool:
    """Whether ``rel`` may be left out of the context (excluded, or not known: see ``ignored``)."""
    return ignored(rel, _compile(patterns)) is not False
