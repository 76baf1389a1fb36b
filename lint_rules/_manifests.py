"""What a dependency install reads from the build context before the source is there (AIS101).

``reads(bc, tool, argv, manifests, optional)`` answers, for an install whose manifests are
``manifests`` (context-relative paths, in the context) and whose optional companions present
are ``optional``:

- ``SOURCE``: the install builds local code (`-e .`, a local path in a requirements file):
  it is not a dependency-only install at all;
- ``None``: the rule cannot know every file the install reads (a manifest that includes
  files it cannot follow, workspaces, local path dependencies, the project's own install
  hooks, a file that is not a regular file of the context, too large, a syntax it does not
  read): no fix is offered;
- ``(needed, optional)``: every context file the install reads besides the manifests —
  files the manifests include (`-r base.txt`, yarn's `yarnPath`), and companions that
  change how it runs (`.npmrc`), copied when present and not ignored.

Each file is read once per build context (memoised on the context), only when it is a
regular file inside the context (a symlink out of it, a FIFO or a device is never opened),
and at most ``LIMIT`` bytes; and read *into* what the rules ask of it once too: what does not
depend on an install's command line (a requirements file's includes, a package.json's hooks
and local dependencies, a Gemfile's lines, a composer.json's sections) is remembered per file
or per set of manifests, so that many installs with different options over one large manifest
cost one reading of it, not one each (10,000 `RUN pip install -r requirements.txt pN` over a
400 KB requirements file took minutes). The command line is read in one place,
``cli_facts``, into the few facts the answer depends on (pip's words known, `--ignore-scripts`,
composer's `--no-scripts`…): ``reads_by`` takes those, not the words, so installs that differ
only in an option nothing reads share one answer. A pip install that follows more than
``_FOLLOWS`` includes (`-r`/`-c` lines, across all the files it reads) is not known.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import stat

from aishell.deps import pip_install_words

SOURCE = "source"
LIMIT = 1 << 20  # bytes: a larger manifest is not read (no fix)
_DEPTH = 16  # nested requirement files followed at most
_FOLLOWS = 1024  # `-r`/`-c` includes one pip install follows at most (past it: not known)

_UNREAD = object()


def _memo(bc, kind: str, key, make):
    """``make()``, remembered on the build context under (kind, key): what a rule reads from a
    file that does not depend on the install's command line is worked out once per file."""
    cache = bc.__dict__.setdefault("_ais101_" + kind, {})
    got = cache.get(key, _UNREAD)
    if got is _UNREAD:
        got = cache[key] = make()
    return got


def _read(bc, rel: str) -> str | None:
    """The text of a regular file of the context at ``rel``; None when it is not one (missing,
    a symlink out of the context, a FIFO, a device, larger than LIMIT, unreadable)."""
    cache = bc.__dict__.setdefault("_ais101_read", {})
    got = cache.get(rel, _UNREAD)
    if got is not _UNREAD:
        return got
    text = None
    if plain_file(bc, rel):
        real = os.path.join(os.path.realpath(bc.root), posixpath.normpath(rel))
        try:
            st = os.stat(real)
            if stat.S_ISREG(st.st_mode) and st.st_size <= LIMIT:
                # O_NONBLOCK: a FIFO swapped in after the check does not block the open.
                fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
                with os.fdopen(fd, "rb") as f:
                    if stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                        data = f.read(LIMIT + 1)
                        if len(data) <= LIMIT:
                            text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
        except OSError:
            text = None
    cache[rel] = text
    return text


def plain_file(bc, rel: str) -> bool:
    """A regular file of the context reached through no symlink: COPY of a symlink copies the
    link, not what it points to, and a link out of the context is not the context's."""
    cache = bc.__dict__.setdefault("_ais101_plain", {})
    got = cache.get(rel)
    if got is None:
        rel_n = posixpath.normpath(rel)
        root = os.path.realpath(bc.root)
        path = os.path.join(root, rel_n)
        try:
            got = (
                not rel_n.startswith(("../", "/"))
                and rel_n != ".."
                and os.path.realpath(path) == path
                and stat.S_ISREG(os.lstat(path).st_mode)
            )
        except OSError:
            got = False
        cache[rel] = got
    return got


def through_missing(folder: str, written: str) -> bool:
    """Whether the path ``written``, relative to the context folder ``folder`` (`""`: the working
    directory), goes into a folder and back out of it (`x/../r.txt`) other than ``folder`` or one
    above it. The kernel resolves `x/..` only through a folder that exists; the fix's `COPY`
    makes only the folders of the files it copies, so the install would not find the file."""
    if ".." not in written:
        return False
    known = [p for p in folder.split("/") if p not in ("", ".")]  # these folders exist
    cur: list[str] = list(known)
    for seg in written.split("/"):
        if seg in ("", "."):
            continue
        if seg != "..":
            cur.append(seg)
        elif cur:
            if len(cur) > len(known) or cur != known[: len(cur)]:
                return True
            cur.pop()
    return False


def _cli_through_missing(argv) -> bool:
    """through_missing for a word of an install's command line, or an option's value (`-r`,
    `--requirement=`, `-rx/../r.txt`)."""
    for w in argv:
        if ".." in w:
            if w.startswith("-"):
                if through_missing("", w.split("=", 1)[1] if "=" in w else w[2:]):
                    return True
            elif through_missing("", w):
                return True
    return False


def _in_context(bc, rel: str) -> bool:
    """A file the build sends: in the context and not excluded by the ignore file."""
    return bc.exists(rel) and not bc.is_ignored(rel)


# The node package managers' config files, which expand environment variables (`${NAME}`,
# `${NAME:-default}`, in bunfig.toml `$NAME`): npm reads .npmrc (yarn 1, pnpm and bun read it
# too), yarn .yarnrc and .yarnrc.yml, bun bunfig.toml. A build ARG named there is read by every install, scripts or no.
NODE_RC_FILES = (".npmrc", ".yarnrc", ".yarnrc.yml", "bunfig.toml")
# A config file however a project names its copy (`npmrc.ci`, `.npmrc.gitlab`, `ci/yarnrc.yml`):
# `COPY npmrc.ci /root/.npmrc` puts it where the tool reads it, whatever its name in the context.
_RC_NAME = re.compile(r"npmrc|yarnrc|bunfig", re.I)
_RC_ENTRIES = 20_000  # context entries looked at, at most (past it: may expand)
# What in a Dockerfile may make or point at such a file: a RUN writing one (`echo … >
# ~/.npmrc`, `npm set //r/:_authToken '${T}'`), an ENV or ARG naming one elsewhere
# (NPM_CONFIG_USERCONFIG, YARN_RC_FILENAME), a COPY of one from another stage, a URL or a heredoc.
# (Searched in lower-cased text: a case-blind regexp has no fast scan for its first letters.)
_RC_MENTION = re.compile(
    r"npmrc|yarnrc|bunfig|userconfig|globalconfig|rc_?filename|(?:npm|pnpm|yarn)\s+(?:c(?:onfig)?\s+)?set\b"
)


def node_rc_expands(bc) -> bool:
    """Whether a node package manager's config file the build may send expands an environment
    variable, or may (unreadable, not known): any file of the context named like one (walked
    down to _RC_ENTRIES entries). No context: it may."""
    if bc is None:
        return True
    got = bc.__dict__.get("_node_rc_expands")
    if got is None:
        # One walk per context for the whole run: `aishell lint DIR` of 3,000 Dockerfiles in one
        # folder (one context) walked its 3,000 entries once per file (34 s).
        from aishell.rule import RUN_CACHE

        key = ("node rc", bc.root, tuple(bc.ignore_patterns))
        got = RUN_CACHE.get(key)
        if got is None:
            if len(RUN_CACHE) >= 256:
                RUN_CACHE.clear()
            got = RUN_CACHE[key] = _node_rc_expands(bc)
        bc._node_rc_expands = got
    return got


def node_rc_may_expand(bc, df) -> bool:
    """node_rc_expands, or the Dockerfile makes, fetches or points at a config file whose text
    it cannot vouch for (see _RC_MENTION), or copies a context file it cannot read to a config
    file's name (`COPY ci/registry.conf /usr/local/etc/npmrc`). Remembered per file linted."""
    if node_rc_expands(bc):
        return True
    memo = bc.__dict__.setdefault("_node_rc_in", {})
    key = id(df.text)  # (the text, not the model: a model is never kept alive here)
    hit = memo.get(key)
    if hit is None or hit[0] is not df.text:
        if len(memo) > 8:
            memo.clear()
        hit = memo[key] = (df.text, _mentions_expand(bc, df))
    return hit[1]


def _mentions_expand(bc, df) -> bool:
    from aishell.model import copy_args

    if _RC_MENTION.search(df.lowered()) is None:
        return False
    for ins in df.instructions:
        target = ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins
        if _RC_MENTION.search(ins.logical.lower()) is None and not any(
            _RC_MENTION.search(d.content.lower()) for d in target.heredocs
        ):
            continue  # (a heredoc's body is not in the instruction's line: `RUN <<EOF` … `> ~/.npmrc`)
        if target.keyword not in ("COPY", "ADD") or target.heredocs or target.flag("from") is not None:
            return True  # made, pointed at or copied from where the build cannot be read here
        words = copy_args(target)
        if len(words) < 2:
            return True
        *sources, dest = words
        if any("://" in s or s.startswith("git@") for s in sources):
            return True  # fetched
        if _RC_NAME.search(dest) is None:
            continue  # the sources named so are the context's, which node_rc_expands read
        for src in sources:
            rel = posixpath.normpath(src)
            if any(c in src for c in "*?[$\\") or rel.startswith(("/", "..")) or rel == ".":
                return True
            text = _read(bc, rel)
            if text is None or "$" in text:
                return True  # (a folder, unreadable, or it may expand: renamed, any `$`)
    return False


def _node_rc_expands(bc) -> bool:
    # The walk asks the ignore file about folders on a budget of its own: it must not spend the
    # one the other rules' answers need (past it a path is "not known" and AIS101 offers no fix).
    budget = bc.ignore_budget
    if budget is not None:
        bc.ignore_budget = _RC_IGNORE_BUDGET
    try:
        return _walk_for_rc(bc)
    finally:
        bc.ignore_budget = budget


_RC_IGNORE_BUDGET = 1_000_000  # pattern tests (past it, a folder is entered: it may be sent)


def _walk_for_rc(bc) -> bool:
    # Depth first from the root, symlinked folders not entered (the build sends the link).
    # An excluded folder too, unless no pattern re-includes: `web` then `!web/.npmrc` sends it.
    enter_excluded = any(p.lstrip().startswith("!") for p in bc.ignore_patterns)
    todo = [""]
    seen = 0
    while todo:
        folder = todo.pop()
        try:
            with os.scandir(os.path.join(bc.root, folder) if folder else bc.root) as it:
                entries = [(e.name, e.is_dir(follow_symlinks=False)) for e in it]
        except OSError:
            return True
        seen += len(entries)
        if seen > _RC_ENTRIES:
            return True
        for name, is_dir in entries:
            rel = posixpath.join(folder, name) if folder else name
            if is_dir:
                if enter_excluded or bc.ignored(rel) is not True:
                    todo.append(rel)
                continue
            if _RC_NAME.search(name) is None or bc.ignored(rel) is True:
                continue
            text = _read(bc, rel)
            # npm and yarn 2+ expand `${NAME}`; bun's docs write `token = "$NPM_TOKEN"`, and
            # yarn 1 is read as loosely: any `$` there, and in a file of another name (`npmrc.ci`
            # may be any of them once copied).
            if text is None or "${" in text or ("$" in text and name not in (".npmrc", ".yarnrc.yml")):
                return True
    return False


def reads(bc, tool: str, argv: tuple[str, ...], manifests: list[str], optional: list[str]):
    return reads_by(bc, tool, cli_facts(tool, argv), manifests, optional)


def reads_by(bc, tool: str, facts, manifests: list[str], optional: list[str]):
    """reads() of an install whose command line gives ``facts`` (cli_facts): the answer reads
    the words only through them, so installs that differ in an option nothing reads (`bundle
    install --jobs 4`, `--jobs 8`) share one answer, remembered on the context."""
    if bc is None or facts is None:
        return None  # (None: `pip install -r x/../r.txt`, `npm ci --prefix x`: not known, whatever the context)
    cache = bc.__dict__.setdefault("_ais101_reads", {})
    key = (tool, facts, tuple(manifests), tuple(optional))
    got = cache.get(key, _UNREAD)
    if got is _UNREAD:
        got = cache[key] = _reads(bc, tool, facts, manifests, optional)
    return got


def cli_facts(tool: str, argv: tuple[str, ...]):
    """What reads() reads of an install's words ``argv`` (``tool``: its DepInstall's name), as a
    small tuple: the one place the words are read, so that two command lines of the same facts
    get the same answer for any context, manifests and companions. None when no context makes
    the install known (an option that reads or moves to another place, a path through a
    folder and back)."""
    if _cli_through_missing(argv):
        return None  # `pip install -r x/../r.txt`: the fix would not make x/
    name = tool.split()[0]
    if name == "pip":
        # (Not None when the words are not known: _reads asks the ignore file about the
        # optional files first, as it did before it read the words, so that its budget is
        # spent in the same order.)
        uv = argv[0].rsplit("/", 1)[-1] == "uv"
        return "pip", _pip_cli_ok(argv), uv, uv and any(".." in w for w in argv)
    if name in ("npm", "yarn", "pnpm", "bun"):
        if _has_option(argv, _NODE_CLI) or any(map(_names_local_file, argv[1:])):
            return None
        return name, "--ignore-scripts" in argv
    if name == "bundle":
        if _has_option(argv, _BUNDLE_CLI):
            return None
        return (name,)
    if name == "go":
        if any(w.startswith(("-modfile", "--modfile", "-C")) for w in argv):
            return None
        return (name,)
    if name in ("uv", "poetry"):
        if _has_option(argv, _PYPROJECT_CLI):
            return None
        return (name,)
    if name == "pipenv":
        return (name,)
    if name == "composer":
        if _has_option(argv, _COMPOSER_CLI):
            return None
        return (
            name,
            "--no-scripts" in argv,
            "--no-autoloader" in argv,
            any(a in argv for a in ("-o", "--optimize-autoloader", "-a", "--classmap-authoritative")),
        )
    # cargo reads the crate's targets (src/main.rs, src/lib.rs…) and its workspace members to
    # load the manifest; anything else is not known either.
    return None


# Options that make an install read another folder's files, or not known ones.
_BUNDLE_CLI = frozenset({"--gemfile", "--local", "--path", "--prefer-local"})
_PYPROJECT_CLI = frozenset({"--directory", "--project", "-C", "--package", "--all-packages"})
_COMPOSER_CLI = frozenset({"--working-dir", "-d"})


def _has_option(argv, options: frozenset) -> bool:
    """Whether a word of ``argv`` is one of ``options``, alone or with its `=value`."""
    for w in argv:
        if w.partition("=")[0] in options:
            return True
    return False


def _reads(bc, tool, facts, manifests, optional):
    """reads_by's answer, worked out (``facts``: cli_facts, not None)."""
    name = tool.split()[0]
    if name == "pip":
        walked = manifests + [o for o in optional if not bc.is_ignored(o)]
        _, cli_ok, uv, up = facts
        if not cli_ok:
            return None
        if uv and (up or _uv_config(bc, posixpath.dirname(manifests[0]) if manifests else "")):
            # (a `..` path: uv looks for its config from the working directory, not known from here)
            return None  # `uv pip` reads uv.toml, or pyproject.toml's [tool.uv], from the working directory up
        return _memo(bc, "pip", tuple(walked), lambda: _pip(bc, walked))
    if name in ("npm", "yarn", "pnpm", "bun"):
        return _node(bc, name, facts[1], manifests, optional)
    if name == "bundle":
        return _memo(bc, "bundle", (tuple(manifests), tuple(optional)), lambda: _bundler(bc, manifests, optional))
    if name == "go":
        return _memo(bc, "go", tuple(manifests), lambda: _go(bc, manifests))
    if name in ("uv", "poetry"):
        key = (name, tuple(manifests), tuple(optional))
        return _memo(bc, "pyproject", key, lambda: _pyproject(bc, name, manifests, optional))
    if name == "pipenv":
        return _memo(bc, "pipenv", tuple(manifests), lambda: _pipenv(bc, manifests))
    if name == "composer":
        return _composer(bc, facts[1:], manifests)
    return None


# -- pip: requirements files and what they include -------------------------------------------

_URL = re.compile(r"^(https?|git\+https?|git\+ssh|git\+git|hg\+https?|svn\+https?|bzr\+https?)://", re.I)
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_SPEC = r"(?:\s*(?:===|==|!=|~=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*(?:,\s*(?:===|==|!=|~=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*)*)"
_REQ = re.compile(rf"^{_NAME}\s*(?:\[\s*(?:{_NAME}\s*(?:,\s*{_NAME}\s*)*)?\])?\s*(?:{_SPEC}|\({_SPEC}\))?$")
_REQ_URL = re.compile(rf"^{_NAME}\s*(?:\[[^\]]*\])?\s*@\s*(\S+)$")
# Blanks appear in _REQ, _REQ_URL and _GEMFILE_LINE only as `\s*` or `\s+` (never required to
# be one blank or many), so a line matches as it does with each run of blanks made one space.
# Matched as written, their neighbouring `\s*`s share a run every way there is: a requirement
# `a<2,000 blanks>x` took 20 s (cubic), a Gemfile line `group<64,000 blanks>!` about a minute.
_BLANK_RUN = re.compile(r"\s+")


def _one_blank(line: str) -> str:
    return _BLANK_RUN.sub(" ", line)


_ARCHIVE = (".zip", ".whl", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz", ".tar.lz")
# Options of a requirements line that name no file: (takes a value, the value must be a URL).
_PIP_OPTS = {
    "-i": True,
    "--index-url": True,
    "--extra-index-url": True,
    "-f": True,
    "--find-links": True,
    "--no-index": False,
    "--pre": False,
    "--prefer-binary": False,
    "--require-hashes": False,
    "--only-binary": None,
    "--no-binary": None,
    "--trusted-host": None,
    "--use-feature": None,
    "--hash": None,
}
_FOLLOW = {"-r": "r", "--requirement": "r", "-c": "c", "--constraint": "c"}
_LOCAL = {"-e", "--editable"}


def _cut_comment(line: str, at_start: bool = True) -> str:
    """``line`` as `re.sub(r"(^|\\s+)#.*$", "", line)` leaves it (``at_start`` False: `\\s+#.*$`):
    without the first `#` that starts it or follows a blank, the blanks before that `#` and
    the rest, but a last line break. One pass: the regexp tried every blank of a run (a line of
    32,000 blanks: 7 s)."""
    end = len(line) - line.endswith("\n")
    at = line.rfind("\n", 0, end) + 1  # (`.*$` crosses no line break but a last one)
    while (at := line.find("#", at)) >= 0:
        if at > 0 and line[at - 1].isspace():
            return line[: len(line[:at].rstrip())] + line[end:]
        if at == 0 and at_start:
            return line[end:]
        at += 1
    return line


def _pip_lines(text: str):
    """pip's logical lines: continuations joined, comments dropped."""
    out, cur = [], ""
    for line in text.splitlines():
        if re.match(r"^\s*#", line):
            if cur:
                out.append(cur)
                cur = ""
            continue
        if line.endswith("\\") and not line.endswith("\\\\"):
            cur += line[:-1]
            continue
        out.append(cur + line)
        cur = ""
    if cur:
        out.append(cur)
    return [_cut_comment(ln).strip() if "#" in ln else ln.strip() for ln in out]


def _split_opt(words: list[str], k: int):
    """(option, value, next index) for the option at words[k]; value None if it takes none."""
    w = words[k]
    if w.startswith("--") and "=" in w:
        opt, val = w.split("=", 1)
        return opt, val, k + 1
    for short in ("-r", "-c", "-e", "-i", "-f"):
        if w.startswith(short) and len(w) > 2 and not w.startswith("--"):
            return short, w[2:], k + 1
    takes = _PIP_OPTS.get(w)
    if w in _FOLLOW or w in _LOCAL or takes is not False:
        return w, (words[k + 1] if k + 1 < len(words) else ""), k + 2
    return w, None, k + 1


def _pip_cli_ok(argv: tuple[str, ...]) -> bool:
    """The command line itself reads no other local file (`--find-links ./wheels`, `--cert
    ca.pem`) and has no option the rule does not know."""
    rest = argv[argv.index("install") + 1 :] if "install" in argv else ()
    return not pip_install_words(list(rest)).unknown


# A scheme (`git+ssh:`, `https:`) or scp-like `user@host:` before a path: no local path.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[^/]*@[^/]*:")


def _local_path(url: str) -> bool:
    """The part after `name @` names a local path: `file:`, or a path without a scheme."""
    return url.lower().startswith("file:") or not _SCHEME.match(url)


def _pip(bc, manifests):
    """What a pip install of ``manifests`` reads (its command line already checked): each file
    read once (_pip_scan), the includes followed breadth by the order pip meets them, at most
    _DEPTH deep and _FOLLOWS in all."""
    seen: set[str] = set(manifests)
    needed: list[str] = []
    todo = [(m, 0) for m in manifests]
    follows = 0
    while todo:
        rel, depth = todo.pop()
        if depth > _DEPTH:
            return None
        includes, end = _memo(bc, "pip_scan", rel, lambda: _pip_scan(bc, rel))
        follows += len(includes)
        if follows > _FOLLOWS:
            return None
        for nested in includes:
            if nested not in seen:
                if not _in_context(bc, nested):
                    return None
                seen.add(nested)
                needed.append(nested)
                todo.append((nested, depth + 1))
        if end is not _FILE_READ:
            return end
    return needed, []


_FILE_READ = object()  # _pip_scan read the whole file: its includes are all there is


def _pip_scan(bc, rel: str):
    """One requirements file, read once: (the files its `-r`/`-c` lines include, in order and
    each once, up to the first line that settles the install; that answer: None, SOURCE, or
    _FILE_READ when no line did)."""
    text = _read(bc, rel)
    if text is None:
        return (), None
    includes: dict[str, None] = {}
    for line in _pip_lines(text):
        if not line:
            continue
        if "${" in line and not _URL.match(line.split()[-1] if line.startswith("-") else line):
            return tuple(includes), None  # an environment variable pip expands: any path
        words = line.split()
        k = 0
        if not words[0].startswith("-"):
            head, sep, tail = line.partition(" --")
            words = ("--" + tail).split() if sep else []
            req = head.split(";", 1)[0].strip()
            req = _one_blank(req)
            m = _REQ_URL.match(req)
            if m:
                if not _URL.match(m.group(1)):
                    # `name @ ./src/pkg`, `name @ file:…`: a local path, code that builds here
                    return tuple(includes), SOURCE if _local_path(m.group(1)) else None
            elif _URL.match(req):
                pass
            elif req.lower().endswith(_ARCHIVE) or req.startswith((".", "/", "~", "file:")) or "/" in req:
                return tuple(includes), SOURCE  # a local path or archive: code that builds here
            elif not _REQ.match(req):
                return tuple(includes), None
        while k < len(words):
            opt, val, k = _split_opt(words, k)
            if opt in _LOCAL:
                if _URL.match(val or ""):
                    continue
                return tuple(includes), SOURCE
            if opt in _FOLLOW:
                if not val:
                    return tuple(includes), None
                if _URL.match(val):
                    continue
                if val.startswith(("/", "~", "file:")) or "${" in val:
                    return tuple(includes), None
                nested = posixpath.normpath(posixpath.join(posixpath.dirname(rel), val))
                if nested.startswith("../") or nested == ".." or through_missing(posixpath.dirname(rel), val):
                    return tuple(includes), None
                includes[nested] = None
                continue
            if opt not in _PIP_OPTS:
                return tuple(includes), None  # an option the rule does not know may read a file
            if _PIP_OPTS[opt] is True and not _URL.match(val or ""):
                return tuple(includes), None  # --find-links ./wheels, --index-url file:…
    return tuple(includes), _FILE_READ


# -- npm, yarn, pnpm, bun ----------------------------------------------------------------------

_LOCAL_SPEC = re.compile(r"^\s*(file:|link:|portal:|workspace:|patch:|exec:|\.{1,2}(/|$)|/|~/)", re.I)
_HOOKS = ("preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare", "prepublish", "dependencies")
_DEP_KEYS = (
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
    "resolutions",
    "overrides",
    "pnpm",
    "patchedDependencies",
)
_NODE_CLI = frozenset({"--prefix", "--cwd", "--dir", "-C", "--filter", "-F", "--workspace", "--workspaces", "-w", "-W"})
_COMPANIONS = {
    "npm": (".npmrc",),
    "yarn": (".npmrc", ".yarnrc", ".yarnrc.yml"),
    "pnpm": (".npmrc",),
    "bun": (".npmrc", "bunfig.toml"),
}
_UNKNOWN_FILES = {"pnpm": (".pnpmfile.cjs", ".pnpmfile.mjs")}
_YARNRC_FILE_KEYS = ("yarnPath",)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _local(value) -> bool:
    return any(_LOCAL_SPEC.match(s) or "@file:" in s or "@link:" in s for s in _strings(value))


# An rc key whose value names a file or folder (npm's `cafile`, `certfile`, `keyfile`,
# `userconfig`, `globalconfig`, `prefix`, `cache`, `init-module`, a scoped `//host/:certfile`;
# yarn 1's `cafile`): any value but a URL is a path (`cert` and `key` hold the PEM itself;
# `save-prefix=~` and `scripts-prepend-node-path=true` name none).
_FILE_KEY = re.compile(r"(?:^|:)(?:\w*file|userconfig|globalconfig|prefix|cache|init-module|onload-script)$", re.I)


def _rc_paths_ok(text: str, follow: tuple[str, ...]) -> tuple[bool, list[str]]:
    """An ini-like rc file (.npmrc, .yarnrc): no value that is a local path but ``follow``'s."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        m = re.match(r'^"?([^"=\s]+)"?\s*(?:=\s*|\s+)(.*)$', line)
        if not m:
            return False, []
        key, val = m.group(1), m.group(2).strip().strip("\"'")
        if key in follow:
            out.append(val)
        elif _LOCAL_SPEC.match(val) or (_FILE_KEY.search(key) and val and "://" not in val):
            # (`cafile=ca.pem` is read from the working directory as `cafile=./ca.pem` is; a
            # `${VAR}` in such a value may be any file.)
            return False, []
    return True, out


def _uv_config(bc, folder: str) -> bool:
    """Whether uv may find a config file of the project's in ``folder`` or above it (a uv.toml,
    or a pyproject.toml, which may hold [tool.uv]): the fix copies neither."""
    parts = folder.split("/") if folder else []
    for k in range(len(parts), -1, -1):
        up = "/".join(parts[:k])
        if bc.exists(posixpath.join(up, "uv.toml") if up else "uv.toml"):
            return True
        pyproject = posixpath.join(up, "pyproject.toml") if up else "pyproject.toml"
        if bc.exists(pyproject):
            text = _read(bc, pyproject)
            if text is None or "tool.uv" in text:
                return True
    return False


def _above(bc, folder: str, names: tuple[str, ...]) -> bool:
    """Whether a folder of the context above ``folder`` holds one of ``names`` (a workspace
    root, an rc file the tool looks up the tree for)."""
    parts = folder.split("/") if folder else []
    for k in range(len(parts) - 1, -1, -1):
        up = "/".join(parts[:k])
        if any(bc.exists(posixpath.join(up, n) if up else n) for n in names):
            return True
    return False


_NODE_UP = ("package.json", "pnpm-workspace.yaml", ".yarnrc.yml", ".yarnrc", ".npmrc", "bunfig.toml", ".pnpmfile.cjs")


def _node(bc, name, ignore_scripts: bool, manifests, optional):
    """What a node install reads (its words already read: cli_facts; ``ignore_scripts``: it
    runs with `--ignore-scripts`)."""
    (manifest,) = manifests[:1] or (None,)
    if manifest is None or posixpath.basename(manifest) != "package.json":
        return None
    hooks = _memo(bc, "package_json", manifest, lambda: _package_json(bc, manifest))
    if hooks is None:
        return None
    if hooks and not ignore_scripts:
        return None  # the project's own install hooks run, and may read any file
    key = (name, manifest, tuple(optional))
    return _memo(bc, "node", key, lambda: _node_files(bc, name, manifest, optional))


def _names_local_file(word: str) -> bool:
    """A word of a node install's command line (its subcommand, an option, an option's value, attached
    with `=` or the next word) that may name a file of the context: a relative path (`--cafile
    ./ca.pem`, `--userconfig=c.npmrc`), not a URL or an absolute path."""
    value = word.split("=", 1)[1] if word.startswith("-") and "=" in word else word
    if value.startswith("-") or value.startswith("/") or "://" in value:
        return False
    return "/" in value or "." in value or "$" in value


def _package_json(bc, manifest: str) -> bool | None:
    """Whether a package.json has install hooks (True, False); None when the rule cannot know
    what the install reads whatever its options (workspaces, local dependencies, unreadable)."""
    folder = posixpath.dirname(manifest)
    if _above(bc, folder, _NODE_UP):
        return None  # a workspace root or rc file up the tree is read too
    text = _read(bc, manifest)
    if text is None:
        return None
    try:
        pkg = json.loads(text)
    except ValueError:
        return None
    if not isinstance(pkg, dict) or "workspaces" in pkg:
        return None  # the members' package.json files are read too
    if "patchedDependencies" in pkg or (isinstance(pkg.get("pnpm"), dict) and "patchedDependencies" in pkg["pnpm"]):
        return None  # pnpm's and bun's patch files (`patches/x.patch`) are read by the install
    if any(_local(pkg.get(k)) for k in _DEP_KEYS):
        return None  # a local dependency: its folder is read
    scripts = pkg.get("scripts")
    if scripts is not None and not isinstance(scripts, dict):
        return None
    return bool(scripts and any(h in scripts for h in _HOOKS))


def _node_files(bc, name: str, manifest: str, optional: list[str]):
    """The files a node install of ``manifest`` reads besides it (its package.json known)."""
    folder = posixpath.dirname(manifest)
    for bad in _UNKNOWN_FILES.get(name, ()):
        if bc.exists(posixpath.join(folder, bad)):
            return None  # pnpm's hook file: code that may read any file
    needed: list[str] = []
    extra: list[str] = []
    optional = [o for o in optional if not bc.is_ignored(o)]  # the build does not see the others
    for lock in optional:
        if posixpath.basename(lock) == "pnpm-workspace.yaml":
            if not _pnpm_workspace_ok(bc, lock) or "patchedDependencies" in (_read(bc, lock) or ""):
                return None  # (pnpm 10 reads its patch files from there too)
        elif lock.endswith(".yarnrc.yml"):
            files = _yarnrc_yml(bc, lock)
            if files is None:
                return None
            needed += files
    for comp in _COMPANIONS.get(name, ()):
        rel = posixpath.join(folder, comp)
        if rel in optional or not _in_context(bc, rel):
            continue
        if comp == ".yarnrc.yml":
            files = _yarnrc_yml(bc, rel)
            if files is None:
                return None
            needed += files
        elif comp == "bunfig.toml":
            text = _read(bc, rel)
            if text is None or _LOCAL_SPEC.search(text.replace('"', "\n").replace("'", "\n")):
                return None
        else:
            text = _read(bc, rel)
            if text is None:
                return None
            ok, files = _rc_paths_ok(text, ("yarn-path",) if comp == ".yarnrc" else ())
            if not ok:
                return None
            for f in files:
                path = _local_file(bc, folder, f)
                if path is None:
                    return None
                needed.append(path)
        extra.append(rel)
    return needed, extra


def _local_file(bc, folder: str, value: str) -> str | None:
    """A file an rc file names, context-relative, if it is a file the build sends."""
    if not value or value.startswith(("/", "~")) or "$" in value:
        return None
    rel = posixpath.normpath(posixpath.join(folder, value))
    if rel.startswith("../") or rel == ".." or through_missing(folder, value):
        return None
    if not _in_context(bc, rel) or _read(bc, rel) is None:
        return None
    return rel


def _scalar(text: str) -> str | None:
    """A YAML scalar written plainly or quoted; None for anything else (escapes, flow, anchors)."""
    text = _cut_comment(text, False).strip() if not text.strip().startswith(("'", '"')) else text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"' and "\\" not in text and '"' not in text[1:-1]:
        return text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == "'":
        inner = text[1:-1]
        return inner.replace("''", "'") if "'" not in inner.replace("''", "") else None
    if text and text[0] not in "[]{}&*!|>'\"%@`#,?-" and ": " not in text:
        return text
    return None


def _yaml_top(text: str) -> dict[str, tuple[str, list[str]]] | None:
    """A YAML mapping's top-level keys: key -> (the text after the colon, the indented lines
    below). None for YAML the rule does not read plainly (flow style at the top, anchors,
    several documents, tabs): rules read no YAML library, and what is unread gets no fix."""
    out: dict[str, tuple[str, list[str]]] = {}
    cur = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " -" and cur is not None:
            if "\t" in line or re.search(r"(^|\s)[&*!][\w-]", line):
                return None
            out[cur][1].append(line)
            continue
        m = re.match(r"""^(?:"([\w.-]+)"|'([\w.-]+)'|([A-Za-z_][\w.-]*))\s*:(?:\s+(.*))?$""", line)
        if not m or re.search(r"(^|\s)[&*!][\w-]", line):
            return None
        cur = m.group(1) or m.group(2) or m.group(3)
        if cur in out:
            return None
        out[cur] = ((m.group(4) or "").strip(), [])
    return out


def _values(entry: tuple[str, list[str]]):
    """Every scalar under a key, roughly: the inline text and each line's value part."""
    inline, block = entry
    yield inline
    for line in block:
        rest = line.strip().lstrip("-").strip()
        if re.match(r"^[^'\"\s][^:]*:(\s|$)", rest):
            rest = rest.split(":", 1)[1]
        yield rest.strip().strip("'\"")


# .yarnrc.yml keys that name no file the install reads (yarnPath and plugins are followed).
_YARNRC_PLAIN = {
    "nodeLinker",
    "npmRegistryServer",
    "npmAuthToken",
    "npmAuthIdent",
    "npmAlwaysAuth",
    "npmScopes",
    "npmPublishRegistry",
    "enableTelemetry",
    "enableGlobalCache",
    "enableImmutableInstalls",
    "enableProgressBars",
    "enableColors",
    "enableHyperlinks",
    "enableInlineBuilds",
    "enableMessageNames",
    "enableScripts",
    "enableStrictSsl",
    "enableHardenedMode",
    "checksumBehavior",
    "compressionLevel",
    "httpTimeout",
    "httpRetry",
    "httpProxy",
    "httpsProxy",
    "networkConcurrency",
    "nmMode",
    "nmHoistingLimits",
    "nmSelfReferences",
    "pnpMode",
    "pnpEnableEsmLoader",
    "supportedArchitectures",
    "defaultSemverRangePrefix",
    "logFilters",
    "preferInteractive",
    "progressBarStyle",
    "unsafeHttpWhitelist",
    "npmMinimalAgeGate",
}


def _yarnrc_yml(bc, rel: str) -> list[str] | None:
    text = _read(bc, rel)
    data = _yaml_top(text) if text is not None else None
    if data is None:
        return None
    folder = posixpath.dirname(rel)
    files = []
    for key, (inline, block) in data.items():
        if key == "yarnPath" and not block:
            files.append(_scalar(inline))
        elif key == "plugins" and not inline:
            for line in block:
                item = line.strip()
                if item.startswith("- "):
                    item = item[2:].strip()
                    if not item.startswith("path:") and not re.match(r"^[\w-]+\s*:", item):
                        files.append(_scalar(item))
                        continue
                if item.startswith("path:"):
                    files.append(_scalar(item[5:]))
                elif not re.match(r"^(spec|checksum)\s*:", item):
                    return None
        elif key not in _YARNRC_PLAIN:
            return None  # a key that may name a file (cacheFolder, caFilePath, packageExtensions…)
    out = []
    for f in files:
        path = _local_file(bc, folder, f) if f is not None else None
        if path is None:
            return None
        out.append(path)
    return out


def _pnpm_workspace_ok(bc, rel: str) -> bool:
    text = _read(bc, rel)
    data = _yaml_top(text) if text is not None else None
    if data is None or "packages" in data or "patchedDependencies" in data:
        return False  # the members' package.json files (or patch files) are read too
    return not any(_LOCAL_SPEC.match(v) for entry in data.values() for v in _values(entry))


# -- Ruby: a Gemfile is Ruby code; only the plain forms are known ---------------------------------

_STR = r"""(?:'[^'\\#]*'|"[^"\\#]*")"""
_VAL = rf"(?:{_STR}|:\w+|true|false|nil|\[\s*(?:(?:{_STR}|:\w+)\s*,?\s*)*\])"
_GEM_KEYS = r"(?:require|group|groups|platform|platforms|git|github|branch|tag|ref|source|submodules)"
_GEM_OPT = rf"(?:{_GEM_KEYS}\s*:\s*{_VAL}|:{_GEM_KEYS}\s*=>\s*{_VAL})"
_GEMFILE_LINE = re.compile(
    rf"""^(?:
      source\s+{_STR}(?:\s+do)?
    | gem\s+{_STR}(?:\s*,\s*{_STR})*(?:\s*,\s*{_GEM_OPT})*
    | (?:group|platforms?)\s*\(?\s*(?::\w+|{_STR})(?:\s*,\s*(?::\w+|{_STR}))*\s*\)?\s+do
    | ruby\s+{_STR}
    | git_source\s*\(\s*:\w+\s*\)\s*\{{\s*\|\w+\|\s*"https://[^"\\]*"\s*\}}
    | end
    )$""",
    re.X,
)


_COMMENT_STOPS = "{'\""


def _uncommented(line: str) -> str:
    """``line`` without its Ruby comment as `re.sub(r"\\s+#[^{'\"]*$|^\\s*#.*$", "", line)` reads
    one (a `#` after a blank with no brace or quote after it, or a comment line), found in one
    pass: that regexp scanned the rest of the line from every `#` after a blank (quadratic)."""
    if line.lstrip().startswith("#"):
        return ""
    at = max(line.rfind(c) for c in _COMMENT_STOPS) + 1  # (past the last brace or quote)
    while (at := line.find("#", at)) > 0:
        if line[at - 1].isspace():
            return line[: len(line[:at].rstrip())]
        at += 1
    return line


def _bundler(bc, manifests, optional):
    (gemfile,) = manifests[:1] or (None,)
    if gemfile is None:
        return None
    folder = posixpath.dirname(gemfile)
    text = _read(bc, gemfile)
    if text is None:
        return None
    logical, cur = [], []  # (the lines of one logical line: joined once, not once per line)
    for line in text.splitlines():
        line = _uncommented(line).strip()
        if line:
            cur.append(line)
        if cur and cur[-1].endswith((",", "(")):
            continue
        if cur:
            logical.append(" ".join(cur))
        cur = []
    if cur or not all(_GEMFILE_LINE.match(_one_blank(ln)) for ln in logical):
        return None  # gemspec, path:, eval_gemfile, conditionals…: files the rule cannot know
    for lock in (o for o in optional if not bc.is_ignored(o)):
        lock_text = _read(bc, lock)
        if lock_text is None or re.search(r"^PATH\s*$", lock_text, re.M):
            return None
    for rel in (".bundle/config", "vendor/cache"):
        if bc.exists(posixpath.join(folder, rel)):
            return None  # bundler's local settings or gem cache change what it reads
    return [], []


# -- Go ------------------------------------------------------------------------------------------


def _go(bc, manifests):
    (gomod,) = manifests[:1] or (None,)
    if gomod is None:
        return None
    folder = posixpath.dirname(gomod)
    if bc.exists(posixpath.join(folder, "go.work")) or _above(bc, folder, ("go.work",)):
        return None  # workspace mode: the members' go.mod files are read
    text = _read(bc, gomod)
    if text is None:
        return None
    for m in re.finditer(r"=>\s*(\S+)", text):
        if m.group(1).startswith((".", "/", "~")) or re.match(r"^[A-Za-z]:", m.group(1)):
            return None  # replace with a local folder
    return [], []


# -- pyproject.toml (uv, poetry), Pipfile, composer ----------------------------------------------


def _toml(text: str):
    try:
        import tomllib
    except ImportError:  # Python 3.10: no TOML reader, no fix
        return None
    try:
        return tomllib.loads(text)
    except Exception:  # noqa: BLE001
        return None


def _pyproject(bc, name, manifests, optional):
    (pyproject,) = manifests[:1] or (None,)
    if pyproject is None:
        return None
    folder = posixpath.dirname(pyproject)
    if _above(bc, folder, ("pyproject.toml", "uv.toml")):
        return None  # a workspace root above may hold this project
    text = _read(bc, pyproject)
    data = _toml(text) if text is not None else None
    if not isinstance(data, dict):
        return None
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    uv = tool.get("uv") if isinstance(tool.get("uv"), dict) else {}
    poetry = tool.get("poetry") if isinstance(tool.get("poetry"), dict) else {}
    if "workspace" in uv or any(
        isinstance(v, (dict, list)) and _has_path(v) for v in (uv.get("sources") or {}).values()
    ):
        return None  # workspace members or path sources: their files are read
    if poetry:
        for section in _poetry_deps(poetry):
            if _has_path(section):
                return None
        if name == "poetry" and ("readme" in poetry or "packages" in poetry or "include" in poetry):
            return None  # poetry checks the files the project names
    if name == "poetry" and isinstance(data.get("project"), dict) and "readme" in data["project"]:
        return None
    extra = []
    for comp in (".python-version", "uv.toml") if name == "uv" else ("poetry.toml",):
        rel = posixpath.join(folder, comp)
        if _in_context(bc, rel):
            if _read(bc, rel) is None:
                return None
            extra.append(rel)
    return [], extra


def _poetry_deps(poetry: dict):
    yield poetry.get("dependencies")
    yield poetry.get("dev-dependencies")
    groups = poetry.get("group")
    if isinstance(groups, dict):
        for g in groups.values():
            if isinstance(g, dict):
                yield g.get("dependencies")


def _has_path(value) -> bool:
    if isinstance(value, dict):
        return "path" in value or "workspace" in value or any(_has_path(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_path(v) for v in value)
    return False


def _pipenv(bc, manifests):
    text = _read(bc, manifests[0]) if manifests else None
    data = _toml(text) if text is not None else None
    if not isinstance(data, dict) or any(_has_path(data.get(k)) for k in ("packages", "dev-packages")):
        return None
    return [], []


def _composer(bc, cli, manifests):
    """What a composer install reads (its words already read: ``cli``, cli_facts' (it has
    `--no-scripts`, `--no-autoloader`, an option that optimises the autoloader))."""
    no_scripts, no_autoloader, optimize = cli
    facts = _memo(bc, "composer", manifests[0] if manifests else None, lambda: _composer_json(bc, manifests))
    if facts is None:
        return None
    scripts, scans, autoload = facts
    if scripts and not no_scripts:
        return None  # the project's own install hooks
    if not no_autoloader:
        if scans:
            return None  # classmap or files: the autoloader scans the source
        if optimize:
            if autoload:
                return None
    return [], []


def _composer_json(bc, manifests) -> tuple[bool, bool, bool] | None:
    """A composer.json read once: (it has scripts, its autoloader scans the source (classmap,
    files), it has an autoload section); None when a repository is a local path or archive, or
    the file is unreadable."""
    text = _read(bc, manifests[0]) if manifests else None
    try:
        data = json.loads(text) if text is not None else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    repos = data.get("repositories")
    for r in repos.values() if isinstance(repos, dict) else repos or ():
        if not isinstance(r, dict) or r.get("type") in ("path", "artifact"):
            return None
    scans = False
    for k in ("autoload", "autoload-dev"):
        section = data.get(k)
        if section and (not isinstance(section, dict) or set(section) - {"psr-4", "psr-0"}):
            scans = True
    return bool(data.get("scripts")), scans, bool(data.get("autoload") or data.get("autoload-dev"))
