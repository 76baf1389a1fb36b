"""What a Dockerfile itself puts on PATH before a step runs it (rules AIS002 and AIS004).

A command name resolves to something the Dockerfile put there when an earlier step:

- copies or adds a file of that name into a directory on PATH (`COPY claude /usr/local/bin/`,
  `COPY --parents bin/claude /usr/local/`,
  `COPY --from=builder /out/claude /usr/local/bin/claude`, `ADD https://…/claude /usr/local/bin/`);
- creates that file in the same or an earlier RUN: a download (`curl -o`, `wget -O`; under the
  URL's name in the cwd or the directory given: `curl -O`, `wget URL`, `wget -P DIR`, `aria2c`), a link or
  copy (`ln -s`, `cp`, `mv`, `install`, `rsync`, into a `-t`/`--target-directory` directory too), a
  redirection or `tee` (`printf … > /usr/local/bin/claude`); a destination is read as
  posixpath.normpath reads it (`/usr/local/bin/.`, `/usr/local/../local/bin`: directory_level); a
  relative destination resolves against the WORKDIR (not known after a `cd` of the RUN: probably on PATH then),
  a global npm install of a local package of that name (`npm i -g ./anthropic-ai-claude-code-1.0.0.tgz`);
- defines a shell function of that name earlier in the same RUN (`claude() { …; }; claude`).

Each is CERTAIN (the name then runs what the Dockerfile put there) or PROBABLE (the step may
provide it: a package of the name installed by a package manager aishell.harness does not read
(`brew install --cask claude-code`, `apt-get install -y claude`), a directory copied onto PATH, an archive unpacked there, a git repository added onto PATH, a `bin` directory that is not
a standard one, an alias, bash's `hash -p FILE claude` (for its RUN only), a path named without a creating command, a COPY/ADD destination not known (a
variable in it, or relative to a WORKDIR not known: `WORKDIR $D`), a file made at a path whose
name or directory an expansion gives (`ln -s … /usr/local/bin/$t`, `cp … "$BIN/claude"`, `xargs -I{}
ln -s /opt/{} /usr/local/bin/{}`, `> /usr/local/bin/$n`: any name, in any directory), a file of the name in a
directory an `ENV PATH=` added or anywhere once the RUN assigns PATH, anything after a step that runs
the project's own code: runs_project_code, or code fed to a shell that aishell does not read:
`curl … | sh`, `sh < <(curl …)`, `sh < /tmp/i.sh`, `_Feeds`): a rule that blocks the build
reports a probable one as a warning at most. The directories are the standard PATH of the images
(`/usr/local/sbin` … `/bin`); `~/.local/bin` and other `bin` directories are only probable.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import chain, compress
from operator import attrgetter, itemgetter

from aishell.harness import GLOBAL_NODE_MODULES, HARNESSES, _echoes_name, mentions_in
from aishell.model import MAX_EXPANSION, TOO_LONG, arg_definitions, key_values
from aishell.stage_graph import go_atoi
from aishell.lint_rules._edits import is_system_tool
from aishell.shell import SHELLS, STDIN_FILES, _body_offsets, _reads_stdin, _RowSpans, fed_line, tokenize, unquote

CERTAIN = "certain"
PROBABLE = "probable"

PATH_DIRS = frozenset({"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"})
_GLOB = re.compile(r"[*?\[]")
# npm's tarball name for a package (`npm pack`): `@scope/name` -> `scope-name-1.0.0.tgz`.
_TARBALLS = {h.name: h.npm_package.lstrip("@").replace("/", "-") for h in HARNESSES}
_EXECUTABLES = {exe: h.name for h in HARNESSES for exe in h.executables}
_SHORT = {h.name: h.npm_package.rsplit("/", 1)[-1] for h in HARNESSES}  # `claude-code`


def directory_level(directory: str) -> str | None:
    """How surely a file in ``directory`` is found on PATH: the directory as posixpath.normpath
    reads it (`/usr/local/bin/.`, `/usr/local/./bin`, `/usr/local/../local/bin`); a `..` that
    climbs out of `/bin`, `/sbin` or `/lib…` (links into /usr on a merged /usr: `/bin/../local/bin`
    is /usr/local/bin there, /local/bin elsewhere) is read both ways, probably where they differ."""
    d = directory.rstrip("/") or "/"
    d = re.sub(r"/+", "/", d)
    if "/." in d or d[:1] == ".":
        level = _level(posixpath.normpath(d))
        if "/.." in d and _USR_LINK.match(d):
            other = _level(posixpath.normpath("/usr" + d))
            if other != level:
                return _best(level, other) and PROBABLE
        return level
    return _level(d)


_USR_LINK = re.compile(r"/(?:bin|sbin|lib\w*)/")  # (a merged /usr links these into /usr)


def _level(d: str) -> str | None:
    if d in PATH_DIRS:
        return CERTAIN
    if d.endswith(("/bin", "/sbin")) or d in ("bin", "sbin"):
        return PROBABLE
    return None


def _split(path: str) -> tuple[str, str]:
    """(directory, base name) of a path; a URL's path part."""
    if "://" in path:
        path = "/" + path.split("://", 1)[1].split("/", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    d, _, base = path.rstrip("/").rpartition("/")
    return d, base


def names_dir(path: str) -> bool:
    """A path spelled as a directory: a final `/`, or a last part `.` or `..` (`/usr/local/bin/.`):
    what is copied or linked there lands inside it."""
    return path.endswith(("/", "/.", "/..")) or path in (".", "..")


def _best(a: str | None, b: str | None) -> str | None:
    return CERTAIN if CERTAIN in (a, b) else a or b


_ARCHIVE = re.compile(r"\.(?:tar|tgz|tbz2?|txz|tar\.(?:gz|bz2|xz|zst))$")


def _may_be_dir(src: str, dest: str, extra: frozenset = frozenset()) -> bool:
    """A COPY source that may be a directory, whose contents COPY then copies: one ending in `/`
    or `.`, a `bin`/`sbin`, or a name without an extension (a dot-folder's leading dot is none)
    copied to a PATH directory or one above it written without a final `/` (`COPY tools
    /usr/local/bin`, `COPY --from=tools /usr/local/bin /usr/local/bin`, `COPY --from=tools /usr
    /usr`, `COPY --from=h /root/.local /root/.local` with /root/.local/bin in ``extra``, the
    directories an `ENV PATH=` added): no file is copied to be named `bin` or `usr`. Not a URL
    (ADD fetches a file), not `claude2` copied into `/usr/local/bin/` (a file so named)."""
    if is_git_source(src):
        return True  # (ADD clones the repository into the destination: its files, whatever they are)
    if src.endswith("/") or "://" in src:
        return src.endswith("/")
    base = src.rpartition("/")[2]
    if base in ("", ".", "..", "bin", "sbin"):
        return True
    if "." in base.lstrip(".") or names_dir(dest) or "$" in dest or not dest.startswith("/"):
        return False
    d = posixpath.normpath(dest)
    return any(p == d or p.startswith(d.rstrip("/") + "/") for p in (*PATH_DIRS, *extra))


def is_git_source(src: str) -> bool:
    """An ADD source BuildKit reads as a git repository, which it clones into the destination
    directory: `git@host:repo`, `git://…`, `ssh://…`, a URL whose path ends in `.git`, or one with
    a `#ref` fragment (`https://github.com/x/claude#main`)."""
    if src.startswith(("git@", "git://", "ssh://")):
        return True
    if "://" not in src:
        return False
    base, hash_, _ = src.partition("#")
    return bool(hash_) or base.split("?", 1)[0].rstrip("/").endswith(".git")


def parents_sources(words: list[str]) -> list[list[str]]:
    """`COPY --parents SRC… DEST`: each source is copied to DEST with its parent directories
    (those after a `/./` pivot, if any), as (source, the directory it lands in) word lists for
    copy_provides_at: `bin/claude /usr/local/` puts `claude` in /usr/local/bin/. A glob in the
    parents leaves the directory not known (a variable stands for it)."""
    if len(words) < 2:
        return [words]
    *sources, dest = words
    out = []
    for src in sources:
        kept = src.rpartition("/./")[2] if "/./" in src else src
        kept = kept.lstrip("/")
        while kept.startswith("./"):
            kept = kept[2:].lstrip("/")
        parent = posixpath.dirname(posixpath.normpath(kept)) if kept else ""
        if parent in (".", ""):
            out.append([src, dest])
        elif _GLOB.search(parent) or parent.startswith(".."):
            out.append([src, "$PARENTS/"])  # (where it lands is not known: copy_provides_at's unresolved case)
        else:
            out.append([src, dest.rstrip("/") + "/" + parent + "/"])
    return out


def copy_provides(words: list[str], names, add: bool = False) -> dict[str, str]:
    """Names that `COPY`/`ADD` ``words`` (sources..., destination) put on PATH, with how surely
    (``add``: ADD unpacks a local archive, which may hold anything)."""
    out: dict[str, str] = {}
    if len(words) < 2:
        return out
    *sources, dest = words
    dest_dir, dest_base = _split(dest)
    into_dir = (
        names_dir(dest)
        or len(sources) > 1
        or directory_level(dest) is not None
        or any(_may_be_dir(src, dest) and (is_git_source(src) or _split(src)[1] not in names) for src in sources)
    )
    for name in names:
        level = None
        if into_dir:
            where = directory_level(dest)
            for src in sources:
                _, base = _split(src)
                if add and is_git_source(src):
                    if where:
                        level = _best(level, PROBABLE)  # a repository's files, cloned onto PATH
                elif base == name:
                    level = _best(level, where)
                elif where and (
                    _may_be_dir(src, dest) or _GLOB.search(base) or (add and "://" not in src and _ARCHIVE.search(base))
                ):
                    level = _best(level, PROBABLE)  # a directory or a glob copied onto PATH
        elif dest_base == name:
            level = directory_level(dest_dir or "/")
        if level:
            out[name] = level
    return out


def copy_provides_at(
    words: list[str], names, add: bool, workdir: str | None, extra: frozenset = frozenset()
) -> dict[str, str]:
    """copy_provides, with a relative destination resolved against ``workdir`` (the stage's
    WORKDIR; None: not known, not resolved) and ``extra`` (directories an `ENV PATH=` added)
    on PATH too. A file named for one of those, or a directory, glob or archive copied into one
    or into a directory above one of them or above a standard one (`COPY tools/ /opt/tools/` with
    /opt/tools/bin on PATH, `COPY rootfs/ /`) may put a name there: probably."""
    if len(words) < 2:
        return {}
    *sources, dest = words
    if (workdir is None and not dest.startswith("/")) or "$" in dest or "\\" in dest:
        return _unresolved(sources, dest, names, add)
    if workdir is not None and not dest.startswith("/"):
        into = names_dir(dest)
        dest = posixpath.normpath(posixpath.join(workdir, dest))
        dest = dest.rstrip("/") + "/" if into else dest
    out = copy_provides([*sources, dest], names, add)
    if not dest.startswith("/"):
        return out
    d = posixpath.normpath(dest)
    if d.startswith("//"):
        d = d[1:]
    below = d.rstrip("/") + "/"
    into_dir = (
        names_dir(dest)
        or len(sources) > 1
        or d in extra
        # PATH names a directory inside the destination: only a directory copied there can fill
        # it (`COPY --from=h /opt/claude /opt/claude` with /opt/claude/bin on PATH).
        or any(p.startswith(below) for p in extra)
        or any(_may_be_dir(src, dest) and (is_git_source(src) or _split(src)[1] not in names) for src in sources)
    )
    probe = None
    if into_dir and d in extra:
        probe = "/usr/local/bin/"  # (a stand-in PATH directory: what copy_provides finds there)
    elif not into_dir and posixpath.dirname(d) in extra:
        probe = "/usr/local/bin/" + posixpath.basename(d)
    elif into_dir:
        if any(p.startswith(below) for p in (*PATH_DIRS, *extra)):
            probe = "/usr/local/bin/"
            # Only what may hold a directory tree: a directory, a glob, `.`, a local archive (ADD).
            sources = [s for s in sources if _may_be_dir(s, dest, extra) or _GLOB.search(s)] + [
                s for s in sources if add and "://" not in s and _ARCHIVE.search(_split(s)[1])
            ]
            sources = [s if s.endswith("/") or _GLOB.search(s) else s + "/" for s in sources]
            if not sources:
                return out
    if probe is None:
        return out
    for name in copy_provides([*sources, probe], names, add):
        out[name] = _best(out.get(name), PROBABLE)
    return out


def _unresolved(sources: list[str], dest: str, names, add: bool) -> dict[str, str]:
    """copy_provides_at for a destination the rule cannot resolve: relative to a WORKDIR not
    known (`WORKDIR $D`, `${D:-/usr/local/bin}`, an escape), or naming a variable (`$D/`). It
    may be a PATH directory: what a copy there provides, probably (never surely)."""
    base = dest.rstrip("/").rpartition("/")[2]
    into = dest.endswith("/") or len(sources) > 1 or base in ("", ".", "..") or "$" in base or "\\" in base
    probe = "/usr/local/bin/" + ("" if into else base)  # (a stand-in PATH directory)
    out = {name: PROBABLE for name in copy_provides([*sources, dest], names, add)}
    for name in copy_provides([*sources, probe], names, add):
        out[name] = PROBABLE
    return out


def in_tree(root: str, extra: frozenset = frozenset()) -> bool:
    """A PATH directory (a standard one, or one of ``extra``, the directories an `ENV PATH=`
    added) is ``root`` or below it: a tree written at ``root`` may put any name on PATH."""
    root = posixpath.normpath(root or "/")
    below = root.rstrip("/") + "/"
    return any(p == root or p.startswith(below) for p in (*PATH_DIRS, *extra))


def trees_written(script, workdir: str | None = "/") -> list[str]:
    """The roots of the trees of files not known that a RUN (``script``) writes: an archive
    unpacked into a directory (`tar -C`, `unzip -d`), a repository cloned; relative ones against
    ``workdir`` (None: not known, left out)."""
    out = []
    for c in script.commands:
        if c.argv and c.name in ("tar", "unzip", "bsdtar", "git"):
            for path, _ in _created(c.argv):
                if path.endswith("/**"):
                    root = path[:-3]
                    if not root.startswith("/"):
                        if workdir is None:
                            continue
                        root = posixpath.join(workdir, root)
                    out.append(posixpath.normpath(root or "/"))
    return out


def _operands(argv: list[str]) -> list[str]:
    return [a for a in argv[1:] if not a.startswith("-")]


_NODE_CREATORS = frozenset({"npm", "pnpm", "yarn", "bun"})  # (_created: a link, or a global install's tarball)
_GLOBAL_FLAGS = frozenset({"-g", "--global", "--location=global"})


def _created(argv: list[str]) -> list[tuple[str, str]]:
    """(path, how surely) of the files a command creates (the names it may put on PATH)."""
    tool = argv[0].rsplit("/", 1)[-1]
    args = argv[1:]
    out: list[tuple[str, str]] = []
    if tool in _DOWNLOADERS:
        return _downloads(tool, args)
    if tool in ("ln", "cp", "mv", "install"):
        ops, target, no_target = _copy_operands(tool, args)
        if ops is None:
            return out  # (`install -d`: directories)
        if target is not None:  # `-t DIR`, `--target-directory=DIR`: every operand is a source
            out.extend(_into(target, s) for s in ops)
        elif len(ops) >= 2:
            dest = ops[-1]
            if not no_target and (names_dir(dest) or directory_level(dest) is not None):
                out.extend(_into(dest, s) for s in ops[:-1])
            elif _contents(ops[0]) or (no_target and any(_RECURSIVE.match(a) for a in args)):
                out.append((dest.rstrip("/") + "/*", PROBABLE))  # `cp -rT dir /usr/local/bin`
            else:
                out.append((dest, CERTAIN))
        elif tool == "ln" and ops:  # `ln -s /opt/x/claude`: a link of that name in the cwd
            out.append((_split(ops[0])[1], CERTAIN))
    elif tool == "rsync":
        ops = [a for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] not in _RSYNC_VALUES)]
        if len(ops) >= 2 and ":" not in _BRACED.sub("", ops[-1]):  # (`host:path`: remote)
            dest = ops[-1]
            into = names_dir(dest) or directory_level(dest) is not None or len(ops) > 2
            for src in ops[:-1]:
                if into or _contents(src):
                    out.append(_into(dest, src) if not src.endswith("/") else (dest.rstrip("/") + "/*", PROBABLE))
                else:
                    out.append((dest, CERTAIN))
    elif tool == "tee":
        out.extend((a, CERTAIN) for a in _operands(argv))
    elif tool in ("tar", "unzip", "bsdtar"):
        # An archive unpacked into a directory on PATH may hold anything; one unpacked above a
        # directory PATH names (`tar -xz -C /opt`, `ENV PATH=/opt/tools/bin:$PATH`): a tree (place()).
        for value in _unpacked_into(args):
            out.append((value.rstrip("/") + ("/*" if directory_level(value) else "/**"), PROBABLE))
    elif tool == "git" and args[:1] == ["clone"]:
        # A repository cloned where PATH names a directory inside it: its files are not known.
        ops = _clone_operands(args[1:])
        if ops:
            into = ops[1] if len(ops) > 1 else ops[0].rstrip("/").rpartition("/")[2].rpartition(":")[2]
            into = into.removesuffix(".git") or "."
            out.append((into.rstrip("/") + "/**", PROBABLE))
    elif tool in ("pip", "pip3", "pipx", "uv"):
        # A local project (`pip install .`, `-e ./tool`) may declare any console script.
        if "install" in args and any(
            a.startswith((".", "/", "~", "file:")) or a.endswith((".whl", ".tar.gz", ".zip")) for a in args
        ):
            out.append(("/usr/local/bin/*", PROBABLE))
    elif tool in _NODE_CREATORS:
        ops = _operands(argv)  # (once: the link's test, then a global install's operands)
        if tool != "bun" and ops == ["link"]:
            out.append(("/usr/local/bin/*", PROBABLE))  # the project's own package, linked globally: any bin
            return out
        if tool == "yarn" or _GLOBAL_FLAGS.isdisjoint(args):
            return out
        for a in ops[1:]:
            if a.startswith((".", "/", "~", "file:")) or a.endswith((".tgz", ".tar.gz")):
                base = _split(a.removeprefix("file:"))[1]
                known = False
                for harness, tarball in _TARBALLS.items():
                    # `anthropic-ai-claude-code-1.0.0.tgz` (npm pack's name), `./claude-code`, `./codex`
                    if base.startswith((tarball, _SHORT[harness])) or base == harness:
                        known = True
                        exes = [e for e, h in _EXECUTABLES.items() if h == harness]
                        out.extend(("/usr/local/bin/" + e, CERTAIN) for e in exes)
                if not known:  # a local package may declare any executable
                    out.append(("/usr/local/bin/*", PROBABLE))
    return out


# Downloaders: the short options that take a value (getopt's reading: `-fsSLo PATH`, `-XPOST`,
# `-qO-`), the long ones that do when not spelled `--opt=VALUE`, and wget's `-n` pairs (`-nv`).
_DOWNLOADERS = {
    "curl": (
        "AbcCdDeEFHKmoPQrtTuUwxXyYz",
        frozenset(
            "--output --output-dir --header --data --user --request --user-agent --retry --max-time --connect-timeout"
            " --proxy --cacert --cert --referer --write-out --data-binary --data-raw --form --range --config --url"
            " --retry-delay --retry-max-time --limit-rate --resolve --cookie --cookie-jar --proto --proto-redir"
            " --dump-header --upload-file --continue-at".split()
        ),
    ),
    "wget": (
        "OoaPiBtTwQUelADIXR",
        frozenset(
            "--output-document --directory-prefix --input-file --output-file --append-output --tries --timeout --wait"
            " --user-agent --header --execute --level --accept --reject --user --password --post-data --quota".split()
        ),
    ),
    "aria2c": (
        "dosxkjilmtUTSMN",
        frozenset(
            "--dir --out --split --input-file --max-connection-per-server --min-split-size --max-concurrent-downloads"
            " --user-agent --header --timeout --max-tries --checksum --log".split()
        ),
    ),
}


# git clone's options that take the next word as their value.
_CLONE_VALUED = frozenset(
    "-b --branch -o --origin -c --config --depth -j --jobs -u --upload-pack --reference --reference-if-able"
    " --separate-git-dir --filter --template --shallow-since --shallow-exclude --server-option --bundle-uri".split()
)


def _clone_operands(args: list[str]) -> list[str]:
    """The repository and directory of `git clone` (``args``, its words after `clone`)."""
    ops: list[str] = []
    i, n = 0, len(args)
    while i < n:
        a = args[i]
        i += 1
        if a == "--":
            ops.extend(args[i:])
            break
        if a.startswith("-") and a != "-":
            i += a in _CLONE_VALUED
        else:
            ops.append(a)
    return ops


def _unpacked_into(args: list[str]) -> list[str]:
    """The directories tar, unzip or bsdtar (``args``, its words after the name) unpack into (`-C
    DIR`, `-d DIR`, `--directory=DIR`)."""
    out = []
    for i, a in enumerate(args):
        value = args[i + 1] if a in ("-C", "-d", "--directory") and i + 1 < len(args) else None
        if a.startswith("--directory="):
            value = a.split("=", 1)[1]
        if value:
            out.append(value)
    return out


# Where a global npm install puts each harness's package (`/usr/local/lib/node_modules/@anthropic-ai/claude-code`).
_PACKAGE_DIRS = tuple((g + h.npm_package, h.name) for g in GLOBAL_NODE_MODULES for h in HARNESSES)


def package_writes(text: str, script, workdir: str | None = "/") -> set[str]:
    """The harnesses whose global npm package directory (``_PACKAGE_DIRS``) a RUN (``script``,
    its text ``text``) puts files in: a file it makes there (`curl -o …/claude-code/cli.js`, `cp`,
    `ln`, a `-t` directory), an archive it unpacks into it or a directory above it (`tar -xz -C
    …/claude-code`, `-C /usr/local/lib/node_modules`): `node` may find a harness's entry script
    there after it. Relative paths resolve against ``workdir`` (None: not known, not read)."""
    out: set[str] = set()
    if "node_modules" not in text:
        return out
    for c in script.commands:
        argv = c.argv
        if not argv or c.name not in _CREATORS:
            continue
        paths = [p for p, _ in _created(argv)]
        if c.name in ("tar", "unzip", "bsdtar"):
            paths += [d.rstrip("/") + "/*" for d in _unpacked_into(argv[1:])]
        for path in paths:
            if not path.startswith("/"):
                if workdir is None:
                    continue
                path = posixpath.join(workdir, path)
            anything = path.endswith("/*")
            path = posixpath.normpath(path[:-2] if anything else path)
            for d, name in _PACKAGE_DIRS:
                if (path + "/").startswith(d + "/") or (anything and d.startswith(path.rstrip("/") + "/")):
                    out.add(name)
    return out


def _downloads(tool: str, args: list[str]) -> list[tuple[str, str]]:
    """(path, how surely) of the files a download makes: the output named (`curl -o`, `wget -O`,
    `aria2c -o`, in `--output-dir`/`-d`), or else the URL's last part in the cwd or the directory
    given (`curl -O`/`--remote-name`/`--remote-name-all`, `wget URL`, `wget -P DIR`, `aria2c URL`);
    a name the server may give (`curl -J`, `wget --content-disposition`, aria2c's), a list of URLs
    read from a file (`-i`), a recursive wget: any name (`*`), probably. Relative paths resolve
    where the RUN is (run_provides)."""
    shorts, longs = _DOWNLOADERS[tool]
    opts: list[tuple[str, str | None]] = []  # (option, value), in order
    urls: list[str] = []
    i, n = 0, len(args)
    while i < n:
        a = args[i]
        i += 1
        if a == "--":
            urls.extend(args[i:])
            break
        if a.startswith("--"):
            key, eq, value = a.partition("=")
            if not eq and key in longs and i < n:
                value, i = args[i], i + 1
            opts.append((key, value if (eq or key in longs) else None))
        elif a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                ch = a[j]
                if tool == "wget" and ch == "n":
                    opts.append(("-n" + a[j + 1 : j + 2], None))  # `-nv`, `-nc`, `-nd`
                    j += 2
                    continue
                if ch in shorts:
                    value = a[j + 1 :]
                    if not value and i < n:
                        value, i = args[i], i + 1
                    opts.append(("-" + ch, value))
                    break
                opts.append(("-" + ch, None))
                j += 1
        else:
            urls.append(a)
    given = dict(opts)
    out: list[tuple[str, str]] = []
    names = {"curl": ("-o", "--output"), "wget": ("-O", "--output-document"), "aria2c": ("-o", "--out")}[tool]
    outputs = [v for k, v in opts if k in names and v is not None]
    dirs = {"curl": ("--output-dir",), "wget": ("-P", "--directory-prefix"), "aria2c": ("-d", "--dir")}[tool]
    directory = next((v for k, v in reversed(opts) if k in dirs and v), None)
    prefix = directory.rstrip("/") + "/" if directory else ""
    if tool == "wget":
        out.extend((v, CERTAIN) for v in outputs if v != "-")
    else:
        out.extend((prefix + v if not v.startswith("/") else v, CERTAIN) for v in outputs if v != "-")
    if tool == "curl":
        by_url = any(k in ("-O", "--remote-name", "--remote-name-all") for k, _ in opts)
        server = any(k in ("-J", "--remote-header-name") for k, _ in opts)
    elif tool == "wget":
        by_url = not outputs
        server = any(
            k in ("--content-disposition", "--trust-server-names", "-r", "--recursive", "-m", "--mirror")
            for k, _ in opts
        )
    else:
        by_url, server = not outputs, True
    if not by_url:
        return out
    if server or "-i" in given or "--input-file" in given:
        out.append((prefix + "*", PROBABLE))
    for url in urls:
        path = url.split("://", 1)[-1].split("#", 1)[0]
        query = "?" in path
        if "/" not in path.split("?", 1)[0] or path.split("?", 1)[0].endswith("/"):
            continue  # (no name in it: curl refuses, wget writes index.html)
        base = _split(url)[1]
        if base:
            out.append((prefix + base, PROBABLE if (server or query) else CERTAIN))
    return out


def _contents(src: str) -> bool:
    """A source that copies a directory's contents, or names no file: `dir/.`, `dir/`, a glob."""
    base = _split(src)[1]
    return src.endswith("/") or base in ("", ".") or _GLOB.search(base) is not None


def _into(directory: str, src: str) -> tuple[str, str]:
    """What copying ``src`` into ``directory`` creates there: a file of its name, or anything."""
    if _contents(src):
        return directory.rstrip("/") + "/*", PROBABLE
    return directory.rstrip("/") + "/" + _split(src)[1], CERTAIN


_BRACED = re.compile(r"\$\{[^}]*\}")  # `${TOOL:-claude}` (its `:` names no host)
_RECURSIVE = re.compile(r"-[A-Za-z]*[rRa]|--recursive\Z|--archive\Z")
_RSYNC_VALUES = frozenset({"-e", "--rsh", "-f", "--filter", "--exclude", "--include", "-T", "--temp-dir", "-B"})

# Options of ln, cp, mv and install that take a value (short, and long ones not spelled `--opt=`).
_SHORT_VALUES = {"install": "mogSt", "cp": "St", "ln": "St", "mv": "St"}
_LONG_VALUES = frozenset(
    {"--target-directory", "--suffix", "--mode", "--owner", "--group", "--strip-program", "--no-preserve", "--sparse"}
)


def _copy_operands(tool: str, args: list[str]) -> tuple[list[str] | None, str | None, bool]:
    """(operands, the `-t`/`--target-directory` directory or None, whether `-T` says the last
    operand is no directory) of ln, cp, mv or install, options read as getopt reads them
    (clustered, attached, separate); operands None for `install -d` (it makes directories)."""
    ops: list[str] = []
    target, no_target = None, False
    shorts = _SHORT_VALUES[tool]
    i, n = 0, len(args)
    while i < n:
        a = args[i]
        if a == "--":
            ops.extend(args[i + 1 :])
            break
        if a.startswith("--"):
            key, eq, value = a.partition("=")
            if key in _LONG_VALUES and not eq:
                value = args[i + 1] if i + 1 < n else ""
                i += 1
            if key == "--target-directory":
                target = value
            elif key == "--no-target-directory":
                no_target = True
            elif key == "--directory" and tool == "install":
                return None, None, False
        elif a.startswith("-") and len(a) > 1:
            for j in range(1, len(a)):
                ch = a[j]
                if ch in shorts:
                    value = a[j + 1 :]
                    if not value:
                        value = args[i + 1] if i + 1 < n else ""
                        i += 1
                    if ch == "t":
                        target = value
                    break
                if ch == "T":
                    no_target = True
                elif ch == "d" and tool == "install":
                    return None, None, False
        else:
            ops.append(a)
        i += 1
    return ops, target, no_target


def _level_of(path: str, name: str) -> str | None:
    d, base = _split(path)
    if base == "*":
        return PROBABLE if directory_level(d) else None
    if base != name:
        return None
    return directory_level(d or "/") if d else None


@lru_cache(maxsize=64)
def _text_res(names: frozenset, literal_first: bool = False) -> tuple[re.Pattern, ...]:
    """One of ``names`` as the last part of a path (a redirection's target, a mention), as a
    function or as an alias being defined: one pattern each, each starting with a literal (a
    `/`, a name, `function`, `alias`), so that a megabyte of script is a few quick scans.
    ``literal_first`` (LITERAL_FIRST): the function's look-behind after each name (`claude(?<![…]
    claude)`), not before them, so that re's search skips to a name's first letter."""
    alt = "|".join(re.escape(n) for n in sorted(names))
    if literal_first:
        after = "|".join(re.escape(n) + r"(?<![\w./$-]" + re.escape(n) + ")" for n in sorted(names))
        function = r"(?P<fname2>" + after + r")[ \t]*\([ \t]*\)"
    else:
        function = r"(?<![\w./$-])(?P<fname2>" + alt + r")[ \t]*\([ \t]*\)"
    return (
        re.compile(r"/(?P<pname>" + alt + r")(?![\w.-])"),
        re.compile(function),
        re.compile(r"function[ \t]+(?P<fname>" + alt + r")(?![\w.-])"),
        re.compile(r"alias[ \t]+(?P<aname>" + alt + r")="),
        # A redirection to a relative path of the name: `> claude`.
        re.compile(r">[>|]?[ \t]*[\"']?(?P<rname>" + alt + r")(?![\w./-])"),
    )


_NOT_IN_PATH = frozenset(" \t\r\n\"';&|()<>=")


def _path_start(text: str, i: int) -> int | None:
    """Where the path ending at ``text[i:]`` starts (a path is at most 256 characters here: the
    work per name found stays bounded, whatever the text)."""
    lo = max(0, i - 256)
    while i > lo and text[i - 1] not in _NOT_IN_PATH:
        i -= 1
    return i if i == 0 or text[i - 1] in _NOT_IN_PATH else None


# A redirection's target (not `>&2`, `=>`, `->`), quoted parts of at most a line.
_REDIRECT_TARGET = re.compile(
    r"""(?<![=-])>>?\|?[ \t]*(?!&)(?P<target>(?:[^\s;&|()<>"'`$]|\$(?!\()|\$\([^()\n]{0,256}\)"""
    r"""|`[^`\n]{0,256}`|"[^"\n]{0,256}"|'[^'\n]{0,256}')+)"""
)
# ... its look-behind after the `>` (the character before it), so that re's search skips to a `>`.
_REDIRECT_TARGET_FIRST = re.compile(_REDIRECT_TARGET.pattern.replace("(?<![=-])>", ">(?<![=-]>)", 1))
# run_provides' text patterns of a look-behind first (_text_res' function, _REDIRECT_TARGET) with
# it after their first literal, which re's search then skips to (a megabyte of RUN was scanned
# a character at a time; tests/test_literal_first_fast.py compares the matches with this off).
LITERAL_FIRST = True
_REDIRECT_BEFORE = re.compile(r"(?:>\|?|>>)[ \t]*[\"']?\Z")


def may_provide(text: str, script) -> bool:
    """Cheap pre-check for run_provides and the installs: False when no command of ``script``
    creates files or installs packages and ``text`` has no path, function, alias, redirection,
    `hash` or `profile`."""
    if "/" in text or "(" in text or "function" in text or "alias" in text:
        return True
    if ">" in text or "hash" in text or "profile" in text:
        # A redirection makes a file (`WORKDIR /usr/local/bin`, then `printf … > claude`); bash's
        # `hash -p`; a profile file a login bash reads (AIS002's _sourced).
        return True
    # Some command whose first word is a tool or a path or an expansion (an installer, maybe:
    # run_provides), whose second or third an install verb, or whose name xargs or one that runs
    # project code (runs_project_code's, but for a path: `/` above). Each test reads one part of
    # a command: the first words and names are asked as sets, gathered in C (a RUN of 800,000
    # commands has a few distinct ones).
    commands = script.commands
    firsts = set(map(_FIRST, filter(None, map(_ARGV, commands))))  # (no list of them: a pass more)
    if not firsts:
        return False
    if not firsts.isdisjoint(_TOOLS):
        return True
    if MAY_PROVIDE_IN_C:
        # The first words joined: a `/`, `$` or backquote nowhere in them, none holds a path or
        # starts with an expansion (no generator step per word: a file of 350,000 distinct RUNs).
        joined = "\n".join(firsts)
        if ("/" in joined or "$" in joined or "`" in joined) and any("/" in w or w[:1] in ("$", "`") for w in firsts):
            return True
    elif any("/" in w or w[:1] in ("$", "`") for w in firsts):
        return True
    names = set(map(_NAME, commands))  # (a command without words: "", none of them)
    if "xargs" in names or not names.isdisjoint(_PROJECT_CODE_NAMES):
        return True
    if MAY_PROVIDE_IN_C:
        # Each command's second and third words, read lazily in C (no list of the slices: they
        # raised the peak memory 1 %), stopping at the first install verb.
        return not _INSTALL_VERBS.isdisjoint(chain.from_iterable(map(_SECOND_THIRD, map(_ARGV, commands))))
    # (A step per command for these: their slices gathered in C raised the peak memory 1 %.)
    return any(not _INSTALL_VERBS.isdisjoint(c.argv[1:3]) for c in commands)


# may_provide's tests of the first words and of the second and third in C, not a generator step
# per word and per command (tests/test_run_prechecks_ais002.py compares them, False).
MAY_PROVIDE_IN_C = True
_SECOND_THIRD = itemgetter(slice(1, 3))


_ARGV, _NAME = attrgetter("argv"), attrgetter("name")
_FIRST = itemgetter(0)


# run_provides reads which commands create files, change the cwd or are xargs, and whether any
# may run code or install a package, from their names and words gathered in C, not a step per
# command (a RUN of 600,000 commands has a few distinct names; tests/test_provides_fast.py turns
# it off).
COMMANDS_IN_C = True
_REST = itemgetter(slice(1, None))
NAMED_ONLY = True  # run_provides asks place() only of the name a created path ends in (tests turn it off)
CREATED_MEMO = True  # ... and _created once per distinct argv of a RUN (tests turn it off)
# ... and place() once per distinct argv of a RUN before its first `cd` and once after it (with
# CREATED_MEMO; tests/test_provides_fast.py turns it off)
PLACED_MEMO = True
# ... and, for a file maker whose argv is the list of the one before (shell.ROWS_SHARED: the rows
# of a "rows" token; _read_plain's repeated commands), on the same side of the first `cd`, gives
# its answers again without the key and the two look-ups, reading a _RowSpans' first span itself
# (the made-files benchmark: 7 `ln -s x claude` of 8 units; tests/test_made_files_fast.py turns
# it off).
ARGV_REPEATS = True
# ... and runs_unread_code only of a command it may say yes to (project_code_before's test: a name
# of _MAY_RUN_CODE, a path, an expansion), passing over one too short for a package install: a
# RUN of 600,000 `claude -v` asked four calls each (tests/test_provides_fast.py turns it off)
UNREAD_NAMES = True
_ANY_NAME = frozenset({"*", "**", ".", "..", ""})  # last parts place() may read as any name


def run_provides(
    text: str, base: int, script, names, workdir: str | None = "/", extra: frozenset = frozenset()
) -> list[tuple[str, int, str, str]]:
    """(name, source offset, how surely, how) of what a RUN puts on PATH or defines: ``text`` is
    the RUN's source from offset ``base`` (its heredocs included), ``script`` its commands,
    ``workdir`` the WORKDIR its shell starts in (None: not known), ``extra`` the directories an
    `ENV PATH=` added. One pass over each: a RUN that calls a harness a thousand times is read
    once, not once per call.

    A relative destination resolves against the WORKDIR, until a `cd` (`pushd`, `popd`) of the
    RUN: after one, the cwd is not known and a file of the name may be on PATH (probably). A
    file created in a directory an `ENV PATH=` added, or anywhere once the RUN assigns PATH
    (`export PATH=/opt/x:$PATH`), may be found there: probably (a PATH assigned in the RUN lasts
    for the RUN only: how "path")."""
    names = frozenset(names)
    out: list[tuple[str, int, str, str]] = []
    creators = []
    cd_at = None  # the first `cd` of the RUN: the cwd is not known after it
    xargs = False  # some command is xargs
    commands = script.commands
    # (The names of commands that do nothing here, most of them: COMMANDS_IN_C. Read again
    # where needed, not kept in a list: a list of 600,000 raised the peak memory.)
    distinct = set(map(_NAME, commands)) if COMMANDS_IN_C else None
    if distinct is not None:
        # The loop below in C: a command's name is its first word's last part (every Command
        # is made so), so a creator's name is one of _CREATORS.
        if not distinct.isdisjoint(_CREATORS):
            creators = [
                c
                for c in compress(commands, map(_CREATORS.__contains__, map(_NAME, commands)))
                if c[0][0] in _CREATORS or "/" in c[0][0]
            ]
        if not distinct.isdisjoint(_CWD_CHANGERS):
            cd_at = min(
                (
                    c[2]
                    for c in compress(commands, map(_CWD_CHANGERS.__contains__, map(_NAME, commands)))
                    if c[2] is not None
                ),
                default=None,
            )
        xargs = "xargs" in distinct
    for c in commands if distinct is None else ():
        argv, _, start, _, _, _, _, cname = c  # (a Command's fields in one step, not a property each)
        if not argv:
            continue
        if argv[0] in _CREATORS or ("/" in argv[0] and cname in _CREATORS):
            creators.append(c)
        elif cname in _CWD_CHANGERS and start is not None and (cd_at is None or start < cd_at):
            cd_at = start
        if cname == "xargs":
            xargs = True
    path_at = None  # where the RUN first assigns PATH
    if "PATH" in text:
        m = _PATH_SET.search(text)
        path_at = None if m is None else base + m.start()

    def place(path: str, name: str, at: int, certain: bool):
        """(how surely, how, offset) a file made at ``path`` by the command at ``at`` puts
        ``name`` on PATH, or None."""
        if "$" in path or "`" in path or "{}" in path:
            # `/usr/local/bin/$t`, `"$BIN/claude"`, `/usr/local/bin/{}` (xargs -I, find -exec):
            # a name or directory an expansion gives may be any (probably).
            d, last = _split_expanded(path)
            if not _may_name(last, name):
                return None
            if not d or _EXPANDS.search(d):
                return PROBABLE, "file", at  # (in any directory: a PATH one, maybe)
            path, certain = d.rstrip("/") + "/*", False
        if not path.startswith("/") and "://" not in path:
            if workdir is None or (cd_at is not None and cd_at < at):
                # Relative to a cwd not known: it may be a PATH directory.
                return (PROBABLE, "file", at) if _split(path)[1] in (name, "*") else None
            tree = path.endswith("/**")
            path = posixpath.normpath(posixpath.join(workdir, path[:-3] if tree else path))
            path = path.rstrip("/") + "/**" if tree else path
        if path.endswith("/**"):
            # A tree of files not known (an archive unpacked, a repository cloned): any name, in
            # the PATH directories at or below its root, or anywhere once the RUN assigns PATH.
            if in_tree(path[:-3], extra):
                return PROBABLE, "file", at
            return (PROBABLE, "path", max(at, path_at)) if path_at is not None else None
        level = _level_of(path, name)
        if level:
            return (level if certain else PROBABLE), "file", at
        if extra or path_at is not None:
            d, base_name = _split(path)
            if base_name in (name, "*"):
                if posixpath.normpath(d or "/") in extra:
                    return PROBABLE, "file", at
                if path_at is not None and certain:
                    return PROBABLE, "path", max(at, path_at)
        return None

    def asked(argv: list[str]) -> list[tuple[str, bool, object]]:
        """(path, made surely, the names place() is asked of) for each path the command of
        ``argv`` creates that may put one of ``names`` on PATH."""
        got = []
        for path, how in _created(argv):
            last = _split(path)[1]
            # place() finds a name only where the path's last part is it or `*` (once the path is
            # made absolute, which changes the last part only of one ending in `.`, `..` or
            # nothing): the one name asked, not each (NAMED_ONLY; tests/test_provides_fast.py).
            wide = last in _ANY_NAME or _EXPANDS.search(path) is not None  # (any name, maybe)
            names_asked = names if not NAMED_ONLY or wide else (last,) if last in names else ()
            if names_asked:
                got.append((path, how == CERTAIN, names_asked))
        return got

    made: dict[tuple, list] = {}  # asked's answers by argv (a RUN repeats its commands)
    placed: dict[tuple, list] = {}  # ... and place()'s (PLACED_MEMO)
    fed = _xargs_words(script) if xargs else None
    # (ARGV_REPEATS: the argv list of the creator before, whether it came after the first `cd`,
    # and place()'s answers for it.)
    last_argv = last_after = last_got = None
    repeats = ARGV_REPEATS and PLACED_MEMO and CREATED_MEMO and not fed
    for cmd in creators:
        spans = cmd[1]
        if repeats and type(spans) is _RowSpans:
            # (_RowSpans.__getitem__(0) inline: its first word's start, all that is read of it)
            words = spans.words
            a = spans.at
            if not words or not words[0]:
                first = None
            else:
                offsets = spans.m.offsets
                x, y = offsets[a], offsets[a + len(words[0]) - 1]
                first = None if x is None or y is None else (x + spans.delta,)
        else:
            try:
                first = spans[0]  # (one look-up: a span class's is three Python calls)
            except IndexError:
                first = None
        at = first[0] if first is not None else cmd.start
        if at is None:
            continue
        if repeats and cmd[0] is last_argv and (cd_at is not None and cd_at < at) is last_after:
            # The creator before's words, the same list (a row repeated: shell.ROWS_SHARED; a
            # plain script's command repeated): place()'s answers for them, as below.
            for name, level, how in last_got:
                out.append((name, max(at, path_at) if how == "path" else at, level, how))
            continue
        if fed and cmd.start in fed and cmd.name != "xargs":
            cmd = cmd._replace(argv=_with_input(cmd.argv, fed[cmd.start]))  # `xargs -I{} ln -s …`
        if CREATED_MEMO:
            key = tuple(cmd.argv)
            created = made.get(key)
            if created is None:
                if len(made) >= 4096:
                    made.clear()
                created = made[key] = asked(cmd.argv)
        else:
            created = asked(cmd.argv)
        if PLACED_MEMO and CREATED_MEMO:
            # place()'s answers for the argv, by whether the command is after the first `cd`
            # (what its answer reads of ``at``, besides giving it back: at, or max(at, path_at)
            # for a "path" one): once per distinct argv, not per command (a RUN of 600,000
            # commands makes 200,000 links of a few argvs).
            pkey = (key, cd_at is not None and cd_at < at)
            got = placed.get(pkey)
            if got is None:
                if len(placed) >= 4096:
                    placed.clear()
                got = placed[pkey] = [
                    (name, found[0], found[1])
                    for path, certain, names_asked in created
                    for name in names_asked
                    if (found := place(path, name, at, certain))
                ]
            for name, level, how in got:
                out.append((name, max(at, path_at) if how == "path" else at, level, how))
            if repeats:
                last_argv, last_after, last_got = cmd[0], pkey[1], got
            continue
        for path, certain, names_asked in created:
            for name in names_asked:
                found = place(path, name, at, certain)
                if found:
                    out.append((name, found[2], found[0], found[1]))
    if "hash" in text:
        # bash's `hash -p /bin/true claude`: `claude` then runs that file, in this shell only.
        for c in script.commands:
            if c.name == "hash" and c.spans and c.spans[0] is not None:
                out.extend((name, c.spans[0][0], PROBABLE, "alias") for name in _hashed(c.argv) if name in names)
    feeds = _Feeds(script, _Source(text=text, base=base))
    # The loop below does something only for a command that may run code (a name of
    # _MAY_RUN_CODE, a path, an expansion) or names an install verb after its first word: when
    # no command does (asked of the distinct names and first words, and of the words after them,
    # in C), it is passed over (COMMANDS_IN_C; a RUN of 600,000 commands was a step each).
    if distinct is not None and UNREAD_NAMES and distinct.isdisjoint(_MAY_RUN_CODE):
        firsts = set(map(_FIRST, filter(None, map(_ARGV, commands))))
        joined = "\n".join(firsts)
        if not (
            ("/" in joined or "$" in joined or "`" in joined) and any("/" in w or w[:1] in ("$", "`") for w in firsts)
        ) and _INSTALL_VERBS.isdisjoint(chain.from_iterable(map(_REST, map(_ARGV, commands)))):
            commands = ()
    for cmd in commands:
        argv, cname = cmd[0], cmd[7]  # (cmd.argv, cmd.name: a property each)
        if not argv:
            continue
        # (First a command runs_unread_code may say yes to, project_code_before's test, when
        # UNREAD_NAMES: most are none, and one of them of fewer than three words installs no
        # package either, below: passed over in a step.)
        may_run = not UNREAD_NAMES or cname in _MAY_RUN_CODE or "/" in argv[0] or argv[0][:1] in ("$", "`")
        if not may_run and len(argv) < 3:
            continue
        # (runs_unread_code then: a cheap look at the words, false for nearly every command,
        # before the first word's span, which a span class computes when asked.)
        if may_run and runs_unread_code(script, cmd, feeds) and cmd.spans and cmd.spans[0] is not None:
            # For the steps after this RUN (placed at its end); within the RUN, the commands
            # after it: project_code_before.
            out.extend((name, base + len(text), PROBABLE, "script") for name in names)
            continue
        # A package manager aishell does not read installing a package of a harness's own name
        # (`brew install --cask claude-code`, `mise use -g npm:@anthropic-ai/claude-code`, `nix
        # profile install nixpkgs#claude-code`, `apt-get install -y claude`): it may put it on PATH.
        if len(argv) >= 2 and argv[0][:1] in ("$", "`") and cmd.spans and cmd.spans[0] is not None:
            # A command an expansion names (`$INSTALL @anthropic-ai/claude-code`, `$INSTALL $PKG`):
            # an installer, maybe, of the packages its words name.
            out.extend(_package_installs(argv, names, cmd.spans[0][0]))
            continue
        if len(argv) < 3 or cname in _NOT_INSTALLERS or _INSTALL_VERBS.isdisjoint(argv[1:]):
            continue
        low = " ".join(argv[1:]).lower()
        if _EXECUTABLE_IN.search(low) is None and "$" not in low and "`" not in low and cname != "xargs":
            # (_installed_name names one only in a word that holds one; only an expansion or
            # xargs's input may name one otherwise: `make install` is passed over)
            continue
        if (
            cname in _NODE_TOOLS or not _NODE_TOOLS.isdisjoint(w.rsplit("/", 1)[-1] for w in argv)
        ) and _GLOBAL.isdisjoint(argv[1:]):
            continue  # a project-local install (aishell.harness reads the global ones)
        try:
            first = cmd.spans[0]  # (one look-up: not `cmd.spans and cmd.spans[0]` twice)
        except IndexError:
            continue
        if first is None:
            continue
        if cname == "xargs":
            # `xargs npm i -g < packages.txt`: the packages are its input, not read here.
            out.extend((name, first[0], PROBABLE, "install") for name in names)
            continue
        out.extend(_package_installs(argv, names, first[0]))
    if ">" in text and ("$" in text or "`" in text):
        # A redirection to a path an expansion names (`> /usr/local/bin/$n`, `> "$BIN/claude"`):
        # any name, or any directory (place).
        for m in (_REDIRECT_TARGET_FIRST if LITERAL_FIRST else _REDIRECT_TARGET).finditer(text):
            target = m.group("target")
            if "$" in target or "`" in target:
                target = target.replace('"', "").replace("'", "")
                for name in names:
                    found = place(target, name, base + m.start(), True)
                    if found:
                        out.append((name, found[2], found[0], found[1]))
    # What the text patterns need besides the name: a `/` (a path, a redirection's target), a
    # `(` (a function), `function` or `alias`. Most RUNs that name a harness have none of them.
    if ("/" in text or "(" in text or "function" in text or "alias" in text or ">" in text) and any(
        n in text for n in names
    ):
        calls = None
        paths, functions, keyword_functions, aliases, relative = _text_res(names, LITERAL_FIRST)
        for m in paths.finditer(text) if "/" in text else ():
            name = m.group("pname")
            if name:
                k = _path_start(text, m.start() + 1)
                if k is None:
                    continue
                path = text[k : m.end()].strip("'\"")
                if _REDIRECT_BEFORE.search(text, max(0, k - 8), k):
                    found = place(path, name, base + k, True)  # `printf … > /usr/local/bin/claude`
                    if found:
                        out.append((name, found[2], found[0], found[1]))
                    continue
                if not path.startswith("/"):
                    if workdir is None or (cd_at is not None and cd_at < base + k):
                        continue
                    path = posixpath.normpath(posixpath.join(workdir, path))
                if _level_of(path, name) == CERTAIN:  # `chmod +x /usr/local/bin/claude`: it may have been made
                    if calls is None:
                        calls = {c.spans[0][0] for c in script.commands if c.name in names and c.spans[0] is not None}
                    if base + k not in calls:  # (`/usr/local/bin/claude --version` runs it)
                        out.append((name, base + k, PROBABLE, "mention"))
        for m in relative.finditer(text) if ">" in text else ():
            name = m.group("rname")
            found = place(name, name, base + m.start(), True)  # `cd DIR && printf … > claude`
            if found:
                out.append((name, found[2], found[0], found[1]))
        for m in functions.finditer(text) if "(" in text else ():
            out.append((m.group("fname2"), base + m.start(), CERTAIN, "function"))
        for m in keyword_functions.finditer(text) if "function" in text else ():
            if _word_start(text, m.start()):
                out.append((m.group("fname"), base + m.start(), CERTAIN, "function"))
        for m in aliases.finditer(text) if "alias" in text else ():
            if _word_start(text, m.start()):
                out.append((m.group("aname"), base + m.start(), PROBABLE, "alias"))
    return out


# A RUN whose commands are all global or project installs by npm, pnpm or yarn of plain words
# (`npm install -g @anthropic-ai/claude-code@1.0.3`): of run_provides' readings only its
# _package_installs (a word naming a harness) and a `/NAME` mention in the text may give a name;
# install_bound gives those names without the rest of the reading, and AIS002 skips run_provides
# when the RUN surely installs each of them (aishell.harness.find_install): what run_provides
# would add is already there, surely (AIS002's INSTALLS_ONLY).
_NODE_INSTALLERS = frozenset({"npm", "pnpm", "yarn"})  # (bun is an interpreter too: runs_project_code)
_LOCAL_PACKAGE = (".", "/", "~", "file:")  # (_created: a tarball or a local package's directory)


def install_bound(text: str, script, names) -> set[str] | None:
    """None, or the names run_provides(text, …, script, names, …) may give at most (any WORKDIR,
    PATH directories, place), for a script of installs only: each command npm, pnpm or yarn by its
    own name, its first word after the options an install verb, no word a local package or
    tarball (`./x`, `/x`, `~/x`, `file:x`, `x.tgz`), and a text without an expansion,
    redirection, parenthesis, `function` or `alias`. run_provides then reads: no creator's file
    (_created: a global install of registry packages makes none here), no xargs, `cd`, `hash` or
    code runner (runs_project_code: npm's `run` only), and of the text only a `/NAME` path that
    its WORKDIR may put on PATH (a mention); an install's words give _package_installs' names."""
    commands = script.commands
    if not commands:
        return None
    out: set[str] = set()
    for c in commands:
        argv, cname = c[0], c[7]
        if not argv or argv[0] != cname or cname not in _NODE_INSTALLERS:
            return None
        verb = None
        for word in argv[1:]:
            if word.startswith("-"):
                continue
            if verb is None:
                verb = word
                if word not in _INSTALL_VERBS:
                    return None
                continue
            if word.startswith(_LOCAL_PACKAGE) or word.endswith((".tgz", ".tar.gz")):
                return None
        if verb is None:
            return None
        # _package_installs' names, at most: _installed_name gives a name that its word, lower-
        # cased, holds (a package's name holds its executable's: `claude-code`, `gemini-cli`).
        words = " ".join(argv).lower()
        out.update([name for name in names if name in words])
    # (The text last, in C, after the commands: a RUN of other commands, most, is not scanned;
    # a regex of these scanned 0.25 MB of a RUN of wrappers a character at a time.)
    if "$" in text or "`" in text or ">" in text or "(" in text or "function" in text or "alias" in text:
        return None
    if "/" in text:
        out.update(m.group("pname") for m in _text_res(frozenset(names))[0].finditer(text))
    return out


def _hashed(argv: list[str]) -> list[str]:
    """The names bash's `hash -p FILE NAME…` (`-pFILE`, `-rp FILE`) makes run FILE."""
    args = argv[1:]
    for i, a in enumerate(args):
        if a == "--" or not a.startswith("-"):
            return []
        k = a.find("p")
        if k > 0:
            return [w for w in args[i + (2 if k == len(a) - 1 else 1) :] if not w.startswith("-")]
    return []


_EXPANDS = re.compile(r"[$`]|\{\}")  # an expansion in a word: `$t`, `${t}`, `$( )`, backticks, `{}`
_EXPANSION = re.compile(r"\$\{[^}]*\}|\$\(.*\)|`[^`]*`|\$[\w@*#?$!-]*|\{\}|\$\(.*|`.*")


def _split_expanded(path: str) -> tuple[str, str]:
    """(directory, last part) of a path that holds an expansion, split at its last `/` outside
    `$( )`, `${ }` and backticks (`/usr/local/bin/$(basename "$u")`); no directory: ""."""
    depth, tick, cut, i, n = 0, False, -1, 0, len(path)
    while i < n:
        ch = path[i]
        if ch == "`":
            tick = not tick
        elif ch == "$" and path[i + 1 : i + 2] in ("(", "{"):
            depth += 1
            i += 1
        elif ch in ")}" and depth:
            depth -= 1
        elif ch == "/" and not depth and not tick:
            cut = i
        i += 1
    return (path[:cut] or "/", path[cut + 1 :]) if cut >= 0 else ("", path)


def _may_name(last: str, name: str) -> bool:
    """A path's last part, each expansion in it any text, may be ``name``: `$t`, `${TOOL:-x}`,
    `claude$SUFFIX`, `{}`; not `claude-$V` (never `claude`) nor `$V.tar.gz`."""
    parts = _EXPANSION.split(last)
    if len(parts) == 1:
        return last in (name, "*")
    return re.fullmatch(".*".join(re.escape(p) for p in parts), name) is not None


def _xargs_words(script) -> dict[int, str | None]:
    """Per start of a command xargs runs (xargs's own): the replacement string of its `-I`, `-i`
    or `--replace` (each word holding it holds an input line), or None (the input lines come
    after its words)."""
    out: dict[int, str | None] = {}
    for c in script.commands:
        if c.name != "xargs" or c.start is None:
            continue
        repl, words = None, c.argv[1:]
        for k, a in enumerate(words):
            if not a.startswith("-"):
                break
            if a.startswith("-I"):
                repl = a[2:] or (words[k + 1] if k + 1 < len(words) else "{}")
                break
            if a.startswith(("-i", "--replace")):
                repl = a.split("=", 1)[1] if "=" in a else a[2:] if a.startswith("-i") and a[2:] else "{}"
                break
        out[c.start] = repl
    return out


def _with_input(argv: list[str], repl: str | None) -> list[str]:
    """A command xargs runs, its input lines an expansion: in the words holding the replacement
    string, or after its words (`xargs ln -s -t /usr/local/bin`)."""
    if repl is None:
        return [*argv, "${xargs}"]
    return [w.replace(repl, "${xargs}") for w in argv]


def _package_installs(argv, names, at: int) -> list[tuple[str, int, str, str]]:
    """run_provides' provisions of an install whose words after the command name packages: each
    harness a word names, or every harness once a word is an expansion (`npm i -g $PKG`, `for p in
    …; do npm i -g $p`, `$(cat packages.txt)`: its value is not read here, and may be any)."""
    out = []
    for word in argv[1:]:
        exe = _installed_name(word)
        if exe in names:
            out.append((exe, at, PROBABLE, "install"))
        elif ("$" in word or "`" in word) and not word.startswith("-"):
            out.extend((name, at, PROBABLE, "install") for name in names)
            break
    return out


_INSTALL_VERBS = frozenset({"install", "i", "add", "use", "get"})
# Commands that name a package without installing it (and the harnesses themselves).
_NOT_INSTALLERS = frozenset(_EXECUTABLES) | {
    "echo",
    "printf",
    "grep",
    "test",
    "[",
    ":",
    "true",
    "false",
    "command",
    "which",
    "type",
    "hash",
    "ls",
    "cat",
}
_NODE_TOOLS = frozenset({"npm", "pnpm", "yarn", "bun"})
_EXECUTABLE_IN = re.compile("|".join(map(re.escape, sorted(_EXECUTABLES))))  # (any of them, in one search)
_GLOBAL = frozenset({"-g", "--global", "--location=global", "global"})
# A harness's package or executable name, as a package manager's argument names it.
_PACKAGE_NAMES = {h.npm_package.rsplit("/", 1)[-1]: h.executables[0] for h in HARNESSES} | {
    exe: exe for h in HARNESSES for exe in h.executables
}


def _installed_name(word: str) -> str | None:
    """The harness executable a package argument names, if any: `claude-code`, `claude`,
    `npm:@anthropic-ai/claude-code@1.0`, `nixpkgs#claude-code`, `github.com/sst/opencode@latest`."""
    if word.startswith("-") or "=" in word:
        return None
    base = word.rsplit("#", 1)[-1].rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    at = base.rfind("@")
    if at > 0:
        base = base[:at]  # a version or tag
    base = base.lower()
    exe = _PACKAGE_NAMES.get(base)
    if exe is None and _EXECUTABLE_IN.search(base) is not None:
        # A package named after it (`claude-cli`, `codex_tools`, `my.gemini`): whose executables
        # are not known here, and may well include it.
        exe = next((t for t in _PACKAGE_PARTS.split(base) if t in _EXECUTABLES), None)
    return exe


_PACKAGE_PARTS = re.compile(r"[-_.]")


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_.-")


_CWD_CHANGERS = frozenset({"cd", "pushd", "popd"})
# An assignment to PATH (`PATH=…`, `export PATH=…`, `PATH+=…`), as a word's start.
_PATH_SET = re.compile(r"(?<![\w$/.-])PATH\+?=")
_CREATORS = frozenset(
    {"curl", "wget", "aria2c", "ln", "cp", "mv", "install", "tee", "tar", "unzip", "bsdtar", "npm", "pnpm", "bun"}
    | {"rsync", "yarn", "pip", "pip3", "pipx", "uv", "git"}
)
_TOOLS = _CREATORS | {"yarn"}  # and the harness installs (aishell.harness.find_install)


def instruction_provides(df, ins, names, script=None) -> dict[str, str]:
    """Names a whole COPY, ADD or RUN instruction puts on PATH (for the steps after it)."""
    if ins.keyword in ("COPY", "ADD"):
        from aishell.lint_rules._copies import copy_words

        words = copy_words(ins)
        if ins.flags and ins.flag("parents") is not None:
            out: dict[str, str] = {}
            for part in parents_sources(words):
                for name, level in copy_provides(part, names, ins.keyword == "ADD").items():
                    out[name] = _best(out.get(name), level)
            return out
        return copy_provides(words, names, ins.keyword == "ADD")
    if ins.keyword != "RUN" or script is None:
        return {}
    # (AIS004's question, asked of the RUNs naming its commands only: project code counts for
    # AIS002, which asks of every RUN that may run it, _provided_by_step)
    provisions = run_provides(df.text[ins.start : ins.end], ins.start, script, names)
    return after_run([p for p in provisions if p[3] != "script"])


def after_run(provisions) -> dict[str, str]:
    """What a RUN's ``run_provides`` leave on PATH for the steps after it."""
    out: dict[str, str] = {}
    for name, _at, level, how in provisions:
        if how in ("function", "alias", "path"):
            continue  # a function, alias or PATH assignment lives in its RUN's shell only
        out[name] = _best(out.get(name), level)
    return out


# -- cheap pre-checks the harness rules share (hot paths on big files) ------------------


def mentions_harness(ins) -> bool:
    """aishell.harness.may_mention_harness (tests/test_ais002_fast.py checks that the two agree),
    without the call for the commonest case: a 10 MB file has 200,000 RUNs. The common spelling
    is looked for first, without mentions_in's lower-cased copy (what it finds, mentions_in does)."""
    text = ins.logical
    if "claude" in text or "codex" in text or "gemini" in text or "opencode" in text or mentions_in(text):
        return True
    if ins.json_args is not None and "\\u" in text:  # `["\\u0063laude"]`: JSON's escapes
        return mentions_in(" ".join(ins.json_args))
    if not ins.heredocs:
        return False
    for d in ins.heredocs:
        body = d.content
        if "claude" in body or "codex" in body or "gemini" in body or "opencode" in body or mentions_in(body):
            return True
        if d.shell_expands and _echoes_name(body):
            return True  # (`cl$(echo aude)` in an unquoted body: may_mention_harness's)
    return False


NOT_PLAIN = _NOT_PLAIN = re.compile(
    r"[$'\"\\`]"
)  # what expand_global may change (`: the escape of a `# escape=`` file)


def expanded_global(df, text: str) -> str:
    """``df.expand_global(text)``: the text itself when it has nothing to unquote or expand
    (a FROM of a stage name), without the call (tests/test_ais002_fast.py compares them)."""
    if len(text) <= MAX_EXPANSION and _NOT_PLAIN.search(text) is None:
        return text
    return df.expand_global(text)


def base_indices(df) -> list[int | None]:
    """``stage.base_stage(df)`` as an index (None: not built FROM an earlier stage) for every
    stage, in one pass without a call per stage: a FROM of a stage name is plain text (one
    search of them all says so), and the names met so far are the earlier stages'
    (tests/test_lint_chain_fast.py compares them). Remembered for the last files (four rules
    ask). Do not change the list."""
    return by_text(_BASES, df, _base_indices)


_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_UNSET = object()  # (the undo log: a name that held no value)


def spelled_names(run) -> dict[str, None]:
    """The names the RUN's text (or a heredoc's) with a `$` in it spells, in order (a superset of
    the variables it may expand: one pass over the text, not one search per variable)."""
    names: dict[str, None] = {}
    for t in (run.logical, *(d.content for d in run.heredocs)):
        if "$" in t:
            names.update(dict.fromkeys(_SHELL_NAME.findall(t)))
    return names


_QUOTED = re.compile(r"['\"\\`]")
_ENV_NAMES = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _env_expanded(ins, name: str, env: dict[str, list[str]], fixed: set[str]) -> str | None:
    """The value BuildKit gives ``name`` in the ENV ``ins`` whose value holds a `$` (`ENV
    C=claude` then `ENV D=$C`, `ENV D="$C -v"`), when each variable it names holds one value an
    earlier ENV set here (sure: no `--build-arg` changes it); None otherwise (a name the walk does
    not hold, or an ARG's: the value is not known)."""
    from aishell.model import GO_SPACE, expand_word, split_words
    from aishell.model import unquote as lex_unquote

    if ins.key_values is None or len(ins.key_values) > 64:
        return None
    escape = ins.escape
    for a, b in split_words(ins.logical, ins.args_start, seps=GO_SPACE, escape=escape):
        word = ins.logical[a:b]
        key, eq, raw = word.partition("=")
        if not eq or lex_unquote(key, escape=escape) != name:
            continue
        names = set(_ENV_NAMES.findall(raw))
        if not names or any(n not in fixed or len(env.get(n, ())) != 1 for n in names):
            return None
        return expand_word(raw, {n: env[n][0] for n in names}, escape)
    return None


# stage_values logs no undo for a stage nothing is walked after (a file of one stage, the last
# branch of the tree), keeps each variable's (values, set by an ENV) pair as the walk changes it
# instead of making one per variable per RUN, and reads the names of a RUN text once (the first
# _SPELLED_MAX texts: 280,000 distinct `RUN $Cn -v` kept cost more than they saved). In-process at
# 10 MB, gc off: 1.72 s -> 1.1 s for `ENV C=claude` + `RUN $C -v` repeated, 1.62 s -> 1.3 s for
# `ENV Cn=claude` then `RUN $Cn -v` (benchmarks/scale.py's two ENV shapes). tests/test_stage_values_fast.py
# compares it on and off.
STAGE_VALUES_FAST = True
_SPELLED_MAX = 1024


def stage_values(df, wanted) -> dict[int, dict[str, tuple[list[str], bool]]]:
    """For each RUN and ONBUILD RUN (by start) that spells a variable its stage's environment
    sets to a value ``wanted`` accepts (a text test: AIS003's may_name_install, AIS002's
    mentions_in): those variables -> (the values they may hold there, whether an `ENV` set them:
    the value is sure until the RUN changes it). An `ENV`'s value, or an `ARG`'s default (a bare
    `ARG NAME` takes the global one; an `ENV` of the name wins over it), which a `--build-arg`
    may change. A stage built FROM another starts with that one's.

    The stages are walked as the tree their FROMs make, depth first, with one environment and a
    log to undo a stage's changes on leaving it: each instruction is read once, and each RUN keeps
    only what it spells. A copy of the environment at each ENV, kept for the RUNs after it, took
    n² time and memory (6,500 `ENV Cn=claude` + `RUN $Cn`: 6 s and 1.6 GB), and so would a copy
    per stage along a chain of stages. A stage nothing is walked after logs nothing
    (STAGE_VALUES_FAST)."""
    stages = df.stages
    children: list[list[int]] = [[] for _ in stages]
    roots = []
    for i, b in enumerate(base_indices(df)):
        (children[b] if b is not None else roots).append(i)
    out: dict[int, dict[str, tuple[list[str], bool]]] = {}
    env: dict[str, list[str]] = {}
    fixed: set[str] = set()  # (the names an ENV set)
    undo: list[tuple[str, object, bool]] = []
    held_of: dict[str, tuple[list[str], bool]] = {}  # (each name of env -> (env[name], name in fixed))
    fast = STAGE_VALUES_FAST
    spelled: dict[str, list[str]] = {}  # (STAGE_VALUES_FAST: a RUN's text -> the names it spells)
    defaults = None
    stack = [(i, None) for i in reversed(roots)]
    while stack:
        i, mark = stack.pop()
        if mark is not None:  # (leaving stage i: its changes undone)
            while len(undo) > mark:
                name, old, was_fixed = undo.pop()
                if old is _UNSET:
                    env.pop(name, None)
                    held_of.pop(name, None)
                else:
                    env[name] = old
                    held_of[name] = (old, was_fixed)
                if not was_fixed:
                    fixed.discard(name)
            continue
        # (STAGE_VALUES_FAST: nothing after stage i and its children, as in a file of one stage, needs
        # its changes undone: none are logged)
        record = not fast or bool(stack)
        if record:
            stack.append((i, len(undo)))
        stack.extend((c, None) for c in reversed(children[i]))
        for ins in stages[i].instructions:
            keyword = ins.keyword
            if keyword in ("ENV", "ARG"):
                if keyword == "ENV":
                    # (Read when a value may be named, or a name holding one may be changed; a quote
                    # or an escape may spell a name its text does not hold: `ENV C=cla"ude"`.)
                    pairs = key_values(ins) if env or wanted(ins.args) or _QUOTED.search(ins.args) else ()
                else:
                    pairs = []
                    for name, value, _ in arg_definitions(ins):
                        if value is None:
                            if defaults is None:
                                defaults = df._global_defaults()
                            value = defaults.get(name)
                        if name not in fixed:
                            pairs.append((name, value))
                if keyword == "ENV" and env and "$" in ins.args:
                    # (Each value with the environment before this ENV: `ENV C=claude D=$C` gives D
                    # C's earlier value, as BuildKit does.)
                    pairs = [
                        (name, _env_expanded(ins, name, env, fixed) if value is not None and "$" in value else value)
                        for name, value in pairs
                    ]
                for name, value in pairs:
                    # (A value cut at MAX_EXPANSION, TOO_LONG, is not held: it is not the value, and a
                    # chain of `ENV An=${An-1}${An-1}` kept 8 KB a line, 2.8 GB for 10 MB of them.)
                    named = value is not None and "$" not in value and TOO_LONG not in value and wanted(value)
                    if named or name in env:
                        if record:
                            undo.append((name, env.get(name, _UNSET), name in fixed))
                        if keyword == "ENV":
                            fixed.add(name)
                        if named:
                            env[name] = values = [value]
                            held_of[name] = (values, name in fixed)
                        else:
                            env.pop(name)  # (another value, not read here)
                            held_of.pop(name, None)
            elif env and (run := ins if keyword == "RUN" else ins.sub if keyword == "ONBUILD" else None):
                if run.keyword == "RUN":
                    if fast and not run.heredocs:
                        text = run.logical
                        names = spelled.get(text)
                        if names is None:
                            names = _SHELL_NAME.findall(text) if "$" in text else ()
                            if len(spelled) < _SPELLED_MAX:
                                spelled[text] = names
                        # (a name spelled twice keeps its first place, as in spelled_names' dict)
                        held = {name: held_of[name] for name in names if name in held_of}
                    else:
                        held = {name: (env[name], name in fixed) for name in spelled_names(run) if name in env}
                    if held:
                        out[ins.start] = held
    return out


_BASES: dict[int, tuple] = {}


def _base_indices(df) -> list[int | None]:
    stages = df.stages
    refs = [None if stage.image is None else stage.image.text for stage in stages]
    known = [ref for ref in refs if ref is not None]
    all_plain = _NOT_PLAIN.search("".join(known)) is None and max(map(len, known), default=0) <= MAX_EXPANSION
    plain = _NOT_PLAIN.search
    first: dict[str, int] = {}
    out: list[int | None] = []
    append = out.append
    for stage, ref in zip(stages, refs):
        if ref is None:
            append(None)
        else:
            if not all_plain and (len(ref) > MAX_EXPANSION or plain(ref) is not None):
                ref = df.expand_global(ref)
            append(first.get(ref))  # (as written: BuildKit lower-cases the names, not the word)
        name = stage.name
        if name is not None:  # (the last earlier stage of a name wins)
            first[name] = stage.index
    return out


def plain_images_without(df, word: str, lower: bool = False) -> bool:
    """Every stage's image text is plain (expand_global leaves it as it is: no `$`, quote or
    backslash, not over-long) and none holds ``word`` (lower-cased when ``lower``): one search
    of them all, not a few calls per stage (a chain of 200,000 stages)."""
    texts = [stage.image.text for stage in df.stages if stage.image is not None]
    joined = "\n".join(texts)  # (a line break joins no two texts into ``word``)
    if _NOT_PLAIN.search(joined) is not None or max(map(len, texts), default=0) > MAX_EXPANSION:
        return False
    return word not in (joined.lower() if lower else joined)


_FROM_FLAG = re.compile(r"from\s*=")  # a mount's `from=` (lower-cased text): what may name a stage besides FROM


def unbuilt_stages(df) -> list[tuple[int, int]]:
    """The source spans (first offset, offset of the next stage's FROM or the end) of the stages a
    default build does not build: BuildKit builds the last stage and the stages it needs (its
    base stage, `COPY --from=`, `RUN --mount=…,from=`, by name or index, each's in turn; an
    ONBUILD's for the stages built FROM its stage, where the trigger runs), and skips the others
    (a `test` stage no later stage uses). A stage only a reference not known may name
    (`ONBUILD COPY --from=$X`) is not surely built: one of these."""
    stages = df.stages
    if len(stages) < 2:
        return []
    built = built_stages(df)
    end = len(df.text)
    spans = []
    for stage in stages:
        if stage.index not in built:
            nxt = stages[stage.index + 1].from_ins.start if stage.index + 1 < len(stages) else end
            spans.append((stage.from_ins.start, nxt))
    return spans


def built_stages(df) -> set[int]:
    """The indices of the stages a default build surely builds (see unbuilt_stages). A reference
    not known (a trigger's `--from=$X`, which BuildKit refuses when the trigger runs) names none
    surely: it is passed over, so an error in a stage only it may name is a warning."""
    stages = df.stages
    names: dict[str, int] = {}
    for stage in stages:
        if stage.name is not None:
            names[stage.name.lower()] = stage.index  # (BuildKit: the last stage of a name wins)
    needs: list[list[int]] = [[] for _ in stages]
    # What each stage's ONBUILDs name: needed by the stages built FROM it (its triggers run
    # there, in this build: moby/buildkit#5490), not by the stage itself, where they wait.
    triggers: list[list[int]] = [[] for _ in stages]
    lowered = df.lowered()  # (one pass in C: a case-blind regexp has no fast literal scan)
    flags = "--from" in lowered or _FROM_FLAG.search(lowered) is not None  # (most files: neither)
    bases = base_indices(df)
    for stage, b in zip(stages, bases):
        if b is not None:
            needs[stage.index].append(b)
        if not flags:
            continue
        for ins in stage.instructions:
            onbuild = ins.keyword == "ONBUILD"
            run = ins.sub if onbuild and ins.sub is not None else ins
            out = triggers[stage.index] if onbuild else needs[stage.index]
            for flag in run.flags:
                index = flag.name == "from"  # (a mount's `from=` is a name, never a stage index)
                if index and run.keyword in ("COPY", "ADD"):
                    refs = [flag.value or ""]
                elif flag.name == "mount" and run.keyword == "RUN" and flag.value:
                    refs = [
                        f.split("=", 1)[1]
                        for f in flag.value.split(",")
                        if "=" in f and f.split("=", 1)[0].strip().lower() == "from"
                    ]
                else:
                    continue
                for ref in refs:
                    ref = ref.strip().strip("'\"").lower()
                    if "$" in ref or "\\" in ref or "`" in ref:
                        continue
                    k = go_atoi(ref) if index else None  # (BuildKit's strconv.Atoi: `+0` is stage 0)
                    if k is not None:
                        out.append(k)
                    elif ref in names:
                        out.append(names[ref])
    for stage, b in zip(stages, bases):
        if b is not None and triggers[b]:
            needs[stage.index].extend(triggers[b])
    built = {len(stages) - 1} if stages else set()
    todo = list(built)
    while todo:
        for k in needs[todo.pop()]:
            if 0 <= k < len(stages) and k not in built:
                built.add(k)
                todo.append(k)
    return built


def fed_stages(df, bases=None) -> set[int]:
    """The stages whose ONBUILD triggers surely run in the default build: those a stage it surely
    builds is built FROM (BuildKit runs a base stage's triggers first in it, moby/buildkit#5490;
    once: they do not carry on to a stage built FROM that one). Surely built: built_stages.
    ``bases``: base_indices(df), if the caller has it."""
    if bases is None:
        bases = base_indices(df)
    built = built_stages(df)
    return {b for c, b in enumerate(bases) if b is not None and c in built}


UNBUILT = (
    " (if this stage is built at all: the default build, of the last stage, does not need it, and BuildKit skips it)"
)


# warn_where_unbuilt passes the violations of a file of one stage on as they are, in C, not
# one by one until the first error (unbuilt_stages is empty then: every stage is built): a RUN
# of made files and harness calls has only warnings, 170,000 at 8 MB (tests/test_made_files_fast.py
# compares the findings with it off).
ONE_STAGE_PASS = True


def warn_where_unbuilt(df, violations):
    """The ``violations``, an error in a stage the default build does not build (unbuilt_stages)
    made a warning that says so (AIS001's and AIS002's errors: such a build does not fail)."""
    if ONE_STAGE_PASS and len(df.stages) < 2:
        yield from violations  # (unbuilt_stages' answer: none; each passes as it is, in C)
        return
    unbuilt = None
    them = iter(violations)
    for v in them:
        if v.severity is None or v.severity == "error":
            if unbuilt is None:
                unbuilt = unbuilt_stages(df)
                if not unbuilt:  # every stage is built: the rest pass as they are, in C (800,000 findings)
                    yield v
                    yield from them
                    return
            if unbuilt and in_spans(unbuilt, v.start):
                v = v._replace(severity="warning", message=v.message + UNBUILT)
        yield v


def by_text(cache: dict, df, compute):
    """``compute(df)``, remembered in ``cache`` for the last files by their text, which alone
    decides the answers kept this way; the model is never held (the fix loop keeps one alive at
    a time). Callers do not change the answer."""
    text = df.text
    hit = cache.get(id(text))
    if hit is not None and hit[0] is text:
        return hit[1]
    out = compute(df)
    if len(cache) >= 8:
        cache.clear()
    cache[id(text)] = (text, out)
    return out


def in_spans(spans: list[tuple[int, int]], at: int) -> bool:
    """``at`` is in one of the sorted, disjoint ``spans``."""
    i = bisect_right(spans, (at, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]


# -- code of the project's own, which aishell does not read ------------------------------------
# A script the project ships (`./setup.sh`, `sh /tmp/install-claude.sh`, `python3 install.py`), a
# build tool running its rules (`make install`, `npm run setup`), configuration management, a
# local package (`dpkg -i x.deb`), a file sourced into the shell: any may put any harness on PATH.
_INTERPRETERS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "node", "ruby", "perl", "php", "deno", "bun"})
_BUILD_TOOLS = frozenset({"make", "gmake", "cmake", "ninja", "meson", "just", "task", "rake", "scons", "bazel"})
_CONFIG_TOOLS = frozenset(
    {"ansible", "ansible-playbook", "ansible-pull", "chef-solo", "chef-client", "puppet", "salt-call"}
)
_SCRIPT_RUNNERS = frozenset({"npm", "yarn", "pnpm", "bun"})
_PYTHONS = frozenset({"python", "python2", "python3"} | {f"python3.{k}" for k in range(6, 20)})
# The short options with which an interpreter runs a string (or a module) rather than a file.
_CODE_OPTIONS = dict.fromkeys(("sh", "bash", "dash", "zsh", "ksh"), "cs") | {
    "node": "ep",
    "ruby": "e",
    "perl": "eE",
    "php": "r",
    "deno": "",
    "bun": "e",
}


# A cheap pre-check of a RUN's text for runs_project_code: a word it may start with.
_PROJECT_CODE_TEXT = re.compile(
    r"(?:^|[\s;&|(`])(?:\S*/\S|\.\s|source\s|g?make\b|cmake|ninja|meson|just\b|task\b|rake|scons|bazel"
    r"|ansible|chef-|puppet|salt-call|sh\b|eval\b|bash|dash|zsh|ksh|node|ruby|perl|php|deno|bun|python|npm|yarn|pnpm|dpkg)"
    # (and a RUN that may make a file of a name an expansion gives, with no `/`: `echo x > "$f"`,
    # `ln -s x $t`, which run_provides reads too)
    r"|>[>|]?[ \t]*[\"']?[$`]|(?:^|[\s;&|(`])(?:ln|cp|mv|install|rsync|tee)\s[^;&|\n]{0,256}[$`]"
)


def may_run_project_code(text: str) -> bool:
    return _PROJECT_CODE_TEXT.search(text) is not None


_PROJECT_CODE_NAMES = (
    _INTERPRETERS | _BUILD_TOOLS | _CONFIG_TOOLS | _SCRIPT_RUNNERS | _PYTHONS | {".", "source", "dpkg"}
)
_MAY_RUN_CODE = _PROJECT_CODE_NAMES | SHELLS  # (a shell fed its stdin: _reads_script_on_stdin)


# project_code_before passes over the shell of a line that is one alone reading the RUN's one
# heredoc on its stdin (shell.fed_line); tests/test_fed_line_fast.py compares it (False).
FED_SHELL = True


def project_code_before(script, ins):
    """A test of whether a command of a RUN (``ins``, its commands ``script``) runs after one that
    runs the project's own code (runs_project_code), or None when none does. Within one part of
    the RUN's text (its line, or one of its heredocs read as a script), a command of a later
    top-level item runs after it (`./setup.sh && claude`, `make; claude`, a heredoc script's next
    line), and one nested in a compound or control structure of the same item after its end
    probably does (`if ./configure; then claude …`); not one beside it in a top-level pipeline
    (`make | claude -p …`: both start at once). A heredoc the line runs (``script.fed``: `bash
    <<EOF && claude`, `cat > f <<EOF && sh f && claude`) runs at its item of the line. Other
    parts are not compared: the text's order is not the order they run in (`cat > f <<EOF && sh
    f`: the body's lines run when `sh f` does, which is the code)."""
    # (The words runs_unread_code may say yes to, looked up first: a name of _MAY_RUN_CODE, a
    # path, an expansion; most RUNs that call a harness run none, and a file may hold 300,000.)
    code = [
        c
        for c in script.commands
        if c.argv
        and (c.name in _MAY_RUN_CODE or "/" in c.argv[0] or c.argv[0][:1] in ("$", "`"))
        and c.end is not None
        and c.spans
    ]
    if not code:
        return None
    if FED_SHELL and code[0] is script.commands[0] and fed_line(ins, script) is not None:
        # `RUN bash <<EOF`: the shell runs the body, which is read (runs_unread_code's no, without
        # its look at the shell's words and stdin).
        del code[0]
        if not code:
            return None
    inf = float("inf")
    starts = runs_at = None  # where each body starts; a body's start -> the line's item that runs it
    firsts: dict[int, list] = {}  # per part: [first item, (item, end) of the first nested]
    fed_first = inf  # the first item of the line that runs a body holding such code
    feeds = _Feeds(script, _Source(ins))
    read = None  # (UNREAD_PARAMS: where a command the reader read starts, made when first asked)
    for c in code:
        if c.spans[0] is not None and (
            runs_unread_code(script, c, feeds)
            or (
                UNREAD_PARAMS
                and c.nested  # (a RUN's own parameters are known: `$1 && claude -v` runs claude)
                and _PARAM_NAMED.fullmatch(c.argv[0]) is not None
                and c.start not in (read := read or _read_starts(script))
            )
        ):
            if starts is None:  # (made when first asked: most RUNs run no such code)
                starts = [h.line_offsets[0] for h in ins.heredocs if h.line_offsets]
                runs_at = dict(script.fed or ())
            part = bisect_right(starts, c.start) if starts else 0
            got = firsts.setdefault(part, [inf, (inf, inf)])
            got[0] = min(got[0], c.item)
            if c.nested:
                got[1] = min(got[1], (c.item, c.end))
            if part:
                fed_first = min(fed_first, runs_at.get(starts[part - 1], inf))
    if not firsts:
        return None

    def before(cmd, at: int) -> bool:
        part = bisect_right(starts, at) if starts else 0
        got = firsts.get(part)
        if got is not None and (got[0] < cmd.item or (cmd.nested and got[1] < (cmd.item, at))):
            return True
        return not part and fed_first < cmd.item

    return before


# A command a positional parameter names whose value the reader did not read (a `$( )` body, or a
# function's body where it is defined, has parameters it does not know: `set -- 'npm i -g …';
# x=$($1 && claude -v)`) may run anything, an install too: an error after it blocked a build that
# passes. Read, its value's commands start where it does (no command of its own there).
# tests/test_ais002_r69a_params.py compares the verdicts with dash's with this off.
UNREAD_PARAMS = True
_PARAM_NAMED = re.compile(r"\$(?:[1-9@*]|\{[1-9@*]\})")


def _read_starts(script) -> set:
    """Where the commands of ``script`` start that no expansion names (a value the reader read
    starts where the expansion does)."""
    return {c.start for c in script.commands if c.argv and c.argv[0][:1] != "$"}


def runs_unread_code(script, cmd, feeds=None) -> bool:
    """runs_project_code for a command of ``script``, but for one that runs a file the RUN wrote
    (`cat > s.sh <<EOF && sh s.sh`): the shell read it as a script, and the rules with it; and a
    command that runs code on its stdin which aishell does not read (``feeds``, the RUN's
    _Feeds: `curl … | sh`, `sh < <(curl …)`, `sh < /tmp/i.sh`)."""
    if not runs_project_code(cmd.argv, cmd.name):
        return feeds is not None and feeds.unread(cmd)
    read = script.files_read
    return not read or not any(sp is not None and sp[0] in read for sp in cmd.spans)


def runs_project_code(argv: list[str], name: str) -> bool:
    """Whether a command runs code aishell does not read that may install anything."""
    if name in _BUILD_TOOLS or name in _CONFIG_TOOLS:
        return True
    if name in (".", "source"):
        # (`. /etc/os-release`, `. /dev/stdin <<EOF`: the system's, or a heredoc the rule reads)
        return len(argv) > 1 and not argv[1].startswith(_SYSTEM_FILES)
    if argv[0][:1] == "@":
        return False  # (a scoped package a runner fetches: `npx -y @biomejs/biome`)
    if name in _INTERPRETERS or name in _PYTHONS:
        return _interpreter_input(argv, name) == "file"
    if argv[0][:1] in ("$", "`") and _unread_substitution(argv[0]):
        return True  # a command the output of a download names (`sh -c "$(curl -fsSL …)"`, `eval`)
    if "/" in argv[0] and argv[0].rsplit("/", 1)[0] not in _SYSTEM_DIRS:
        # (`./setup.sh`, `scripts/bootstrap`, `/opt/tools/install`.) A tool aishell knows by its
        # name is that tool where a package manager lives in a prefix of its own (`/opt/venv/bin/pip`,
        # `node_modules/.bin/claude`: a harness, judged as a file in the image), or a system utility
        # in a system bin folder (`/usr/local/bin/install`); a utility's name elsewhere (`./install`,
        # `bin/test`, `/opt/y/cp`) is the project's own script: an error after it blocked a build
        # its script may well make work (r68a).
        if name in _NOT_INSTALLERS or name in _TOOLS or name in _KNOWN_TOOLS:
            return PATHED_UTILITIES and name not in _PREFIXED_TOOLS and not is_system_tool(argv[0])
        return True
    if name in _SCRIPT_RUNNERS:
        return len(argv) > 2 and argv[1] in ("run", "run-script")
    if name == "dpkg":
        return any(
            w in ("-i", "--install") or (w.startswith("-") and not w.startswith("--") and "i" in w) for w in argv[1:]
        )
    return False


def _interpreter_input(argv: list[str], name: str) -> str:
    """What an interpreter (a shell too) runs: "file" (a script operand), "code" (a string or
    module: `sh -ec '…'`, `python3 -Bc …`, `node -e`; bun's other commands), "stdin" (`python3
    -`, no operand)."""
    code = _CODE_OPTIONS.get(name, "cm")  # (python's: -c, -m)
    valued = _VALUED_OPTIONS.get(name, "WXQ")  # (python's: -W arg, -X opt)
    words = iter(argv[1:])
    for word in words:
        if word == "-":
            return "stdin"
        if word.startswith("--") and word[2:].split("=")[0] in ("eval", "print", "command"):
            return "code"
        if word.startswith(("-", "+")) and not word.startswith("--"):
            if any(ch in code for ch in word[1:]):
                return "code"  # (read by the rule itself)
            if word[-1] in valued:
                next(words, None)  # (`bash -o pipefail`, `python3 -X utf8`: the option's value)
            continue
        if word.startswith("--"):
            continue
        return "file" if name != "bun" or word == "run" else "code"
    return "stdin"


# Files sourced that hold the system's settings, or a heredoc (`. /dev/stdin <<EOF`: the rule reads it).
_SYSTEM_FILES = ("/etc/os-release", "/etc/lsb-release", "/usr/lib/os-release", "/etc/default/", "/dev/", "/proc/")
# The short options whose value is the next word (`bash -o pipefail`, `node -r ts-node/register`).
_VALUED_OPTIONS = dict.fromkeys(("sh", "bash", "dash", "zsh", "ksh"), "oO") | {
    "node": "rC",
    "ruby": "IrC",
    "perl": "IM",
    "php": "cdz",
    "deno": "",
    "bun": "r",
}
# Tools aishell knows by name whatever folder they are run from (a venv's, /usr/local/bin's).
_KNOWN_TOOLS = frozenset({"pip", "pip3", "pipx", "uv", "apt-get", "apt", "dpkg", "env", "sudo", "gosu", "su-exec"})
# The known tools that live in prefixes of their own (a virtualenv's bin, node_modules/.bin, a
# version manager's folder), and the harnesses: that tool wherever their path is.
_PREFIXED_TOOLS = frozenset({"pip", "pip3", "pipx", "uv", "npm", "pnpm", "yarn", "bun"}) | frozenset(_EXECUTABLES)
# A system utility's name in a folder not a system one is the project's script (runs_project_code);
# tests/test_ais002_project_utilities.py turns it off to see the error it gave.
PATHED_UTILITIES = True
_SYSTEM_DIRS = frozenset({"/bin", "/sbin", "/usr/bin", "/usr/sbin"})  # (`/usr/bin/apt-get`: the system's)


# -- a shell fed code aishell does not read ---------------------------------------------------
# `curl … | sh`, `wget -qO- … | bash -s --`, `sh < <(curl …)`, `sh < /tmp/i.sh`, `bash <<< "$(curl
# …)"`, `curl … | python3 -`: the script is a download or a file, not text of the Dockerfile's.
# What aishell.shell reads instead: a heredoc, a here-string, what `echo`, `printf` or `cat`
# write (through `tee` too), a file the RUN wrote with them.
_FEEDERS = frozenset({"echo", "printf", "cat", "tee"})
_SUBSTITUTION = re.compile(r"(?:\$\(|<\(|>\(|`)[\s(]*([^\s;&|()`]*)")


def _unread_substitution(word: str) -> bool:
    """A word holding a command or process substitution of a command other than echo, printf or
    cat (`"$(curl -fsSL https://…)"`, `<(wget -qO- …)`): its output is not text aishell reads."""
    if "$(" not in word and "`" not in word and "<(" not in word:
        return False
    return any(m.group(1).rsplit("/", 1)[-1] not in _FEEDERS for m in _SUBSTITUTION.finditer(word))


def _reads_script_on_stdin(argv: list[str], name: str) -> bool:
    """A command that runs its stdin as code: a shell given no script (`sh`, `bash -s --`, `sudo
    -E bash -`, `sh /dev/stdin`), `. /dev/stdin`, an interpreter given none (`python3 -`, `node`)."""
    if name in SHELLS:
        return _reads_stdin(argv[1:])
    if name in (".", "source"):
        return len(argv) > 1 and argv[1] in STDIN_FILES
    if name in _INTERPRETERS or name in _PYTHONS:
        return _interpreter_input(argv, name) == "stdin"
    return False


# _Source.locate answers an offset in a RUN's line on one line (its offsets a range) without
# making the parts (tests/test_fed_plain_fast.py compares it with this off).
LINE_LOCATE = True


class _Source:
    """The text of a RUN by source offset: ``text`` from ``base`` (run_provides'), or read from
    the instruction (its line, continuations joined, and its heredocs' bodies)."""

    def __init__(self, ins=None, text: str | None = None, base: int = 0):
        self.ins, self.text, self.base = ins, text, base
        self.parts = None

    def locate(self, a: int):
        """(the part's text, the index of offset ``a`` in it, the part's offsets or None: from
        ``base``), or None."""
        if self.text is not None:
            i = a - self.base
            return (self.text, i, None) if 0 <= i <= len(self.text) else None
        if self.parts is None:
            ins = self.ins
            offs = ins.offsets
            if LINE_LOCATE and type(offs) is range and offs.step == 1 and offs.start <= a <= offs.stop and len(offs):
                # (The line on one line, first of the parts: its index without the bodies' offsets
                # worked out, nor a search; a RUN's line is asked of most, `bash <<EOF` of each.)
                return ins.logical, a - offs.start, offs
            self.parts = [(ins.logical, offs)] + [(h.content, _body_offsets(h)) for h in ins.heredocs]
        for s, offs in self.parts:
            if len(offs) and offs[0] <= a <= offs[-1] + 1:
                i = bisect_left(offs, a)
                if i == len(offs) or offs[i] == a:
                    return s, i, offs
        return None

    def offset(self, offs, i: int) -> int:
        if offs is None:
            return self.base + i
        return offs[i - 1] + 1 if i else offs[0]


# _Feeds.stdin_unread reads a command's redirections from its tokens; a command with no `<` has
# none of stdin, and one whose only `<` is one heredoc operator after a blank, with nothing the
# tokenizer reads otherwise (a quote, an expansion, a comment, another redirection), is fed that
# heredoc (`bash <<EOF`, `sh -e 0<<-'EOF'` is not: a quote): both answered without tokenizing
# (a file of 290,000 `RUN bash <<EN` tokenized each line for this alone).
# tests/test_provides_fast.py compares it with STDIN_TEXT off on generated commands.
STDIN_TEXT = True
_LONE_HEREDOC = re.compile(r"[^<>'\"\\$`#\n&|;()]*[ \t]0?<<(?!<)[^<>'\"\\$`#\n&|;()]*")


class _Feeds:
    """Whether what runs commands of ``script`` on their stdin reads code aishell does not read
    (see _reads_script_on_stdin); one per RUN, its indexes made when first asked."""

    def __init__(self, script, source: _Source):
        self.script, self.source = script, source
        self.by_end: dict[int, object] | None = None  # command end -> the (innermost) command
        self.written: dict[str, list] | None = None  # fed_file's index

    def unread(self, cmd) -> bool:
        return _reads_script_on_stdin(cmd.argv, cmd.name) and self.stdin_unread(cmd, 0)

    def words(self, cmd):
        """(tokens of the command's text, its part, where the command starts in it, the part's
        offsets)."""
        got = self.text(cmd)
        return None if got is None else (tokenize(got[0])[0], *got[1:])

    def text(self, cmd):
        """(the command's text, its part, where the command starts in it, the part's offsets)."""
        found = self.source.locate(cmd.start)
        if found is None or cmd.end is None:
            return None
        s, i, offs = found
        j = i + (cmd.end - cmd.start) if offs is None else bisect_left(offs, cmd.end, i)
        return s[i:j], s, i, offs

    def stdin_unread(self, cmd, depth: int) -> bool:
        """The stdin of ``cmd`` is code aishell does not read."""
        got = self.text(cmd) if cmd.start is not None and depth < 8 else None
        if got is None:
            return False
        text, s, i, offs = got
        if STDIN_TEXT and "<" not in text:
            toks = ()  # (no redirection of stdin: the pipe before it, if any, decides)
        elif STDIN_TEXT and _LONE_HEREDOC.fullmatch(text) is not None:
            return False  # a heredoc: aishell reads it
        else:
            toks = tokenize(text)[0]
        redirect = None
        for k, t in enumerate(toks):
            if t.kind == "redir" and t.text.lstrip("0").startswith("<") and not t.text.endswith(("<&", "<>")):
                redirect = (t.text.lstrip("0"), toks[k + 1].text if k + 1 < len(toks) else "")
        if redirect is not None:
            op, word = redirect
            if op.startswith("<<") and op != "<<<":
                return False  # a heredoc: aishell reads it
            if op == "<<<" or word.startswith("<("):
                return _unread_substitution(word)  # `<<< "$(curl …)"`, `< <(curl …)`
            return not self.fed_file(unquote(word), cmd.start, depth)  # `sh < i.sh`
        k = i
        while k > 0 and (s[k - 1] in " \t\n" or (s[k - 1] == "\\" and s[k : k + 1] == "\n")):
            k -= 1
        if k == 0 or s[k - 1] != "|" or (k > 1 and s[k - 2] == "|"):
            return False  # (the RUN's stdin: empty)
        k -= 1
        while k > 0 and (s[k - 1] in " \t\n" or (s[k - 1] == "\\" and s[k : k + 1] == "\n")):
            k -= 1
        if self.by_end is None:
            self.by_end = {}
            for c in self.script.commands:
                if c.end is not None and c.start is not None and c.argv:
                    # The outermost command ending there, the last of a wrapper's (what it runs):
                    # not one the shell reads in its output (`echo hi | sh`: `hi`).
                    had = self.by_end.get(c.end)
                    if had is None or c.start <= had.start:
                        self.by_end[c.end] = c
        before = self.by_end.get(self.source.offset(offs, k))
        if before is None or before.start is None or before.start >= cmd.start:
            return True  # a group, a loop, a subshell piped in: not read here
        return self.output_unread(before, depth + 1)

    def output_unread(self, cmd, depth: int) -> bool:
        """What ``cmd`` writes to a pipe is code aishell does not read."""
        name = cmd.name
        if name not in _FEEDERS:
            return True
        if name in ("echo", "printf"):
            return any(_unread_substitution(w) for w in cmd.argv[1:])
        files = [a for a in cmd.argv[1:] if a != "-" and not a.startswith("-")] if name == "cat" else []
        if any(not self.fed_file(f, cmd.start, depth) for f in files):
            return True
        if files and "-" not in cmd.argv[1:]:
            return False
        return self.stdin_unread(cmd, depth + 1)  # `cat`, `tee f`: their stdin

    def fed_file(self, path: str, before: int, depth: int) -> bool:
        """A feeder of the RUN wrote ``path`` before offset ``before`` (`cat > i.sh <<EOF`, `echo
        … > i.sh`, `… | tee i.sh`) from text aishell reads (the first such write is asked)."""
        if self.written is None:
            self.written = {}  # the file -> the feeders that write it, in order (one pass)
            for c in self.script.commands:
                if c.name not in _FEEDERS or c.start is None:
                    continue
                if c.name == "tee":
                    targets = [a for a in c.argv[1:] if not a.startswith("-")]
                else:
                    toks = (self.words(c) or ((),))[0]
                    targets = [
                        unquote(toks[k + 1].text)
                        for k, t in enumerate(toks[:-1])
                        if t.kind == "redir" and t.text.lstrip("1") in (">", ">>", ">|")
                    ]
                for target in targets:
                    if target:
                        self.written.setdefault(posixpath.normpath(target), []).append(c)
        writers = self.written.get(posixpath.normpath(path)) if path else None
        c = writers[0] if writers else None
        if c is None or c.start >= before or depth >= 8:
            return False
        return not (self.stdin_unread(c, depth + 1) if c.name == "tee" else self.output_unread(c, depth + 1))


# RUNs that differ only in the version digits of the packages they install (`RUN npm install -g
# @anthropic-ai/claude-code@1.0.7`, `…@1.0.8`) are one RUN for AIS002's and AIS003's memos
# (VERSION_DIGITS): keyed by the text with those digits made `0` (the length of each word, and
# every other character, as they are), their findings and what they provide are the first one's,
# moved (AIS003's fix, removing the RUN, made again where each is). Only for a RUN (or `ONBUILD
# RUN`) of one line of installs joined by `&&`, `||`, `;` or `&`, each `npm`, `pnpm`, `yarn` or
# `bun`, options (`-g`, no value), then `install`, `i`, `add` or `global add`, then plain words
# (letters and `_./:@%+,-`: no quote, `$`, `=`, `#`, redirection, pipe, parenthesis, brace, glob,
# backslash, so no variable, flag or comment) where the only digits are a package's version:
# `NAME@N.N…` or `@SCOPE/NAME@N.N…` (no digit in the name), which no rule reads
# (aishell.harness.package_harness takes the name). A file of 400,000 distinct `RUN npm install
# -g @anthropic-ai/claude-code@1.0.N` read each (issue 18). tests/test_version_digits_fast.py
# compares with it off on generated files.
VERSION_DIGITS = True
_PLAIN_WORD = r"[A-Za-z_./:@%+,-]+"
_VERSIONED = r"(?:@[A-Za-z_.-]+/)?[A-Za-z_.-]+@[0-9]+(?:\.[0-9]+)*"
_VERSIONED_INSTALL = (
    r"(?:npm|pnpm|yarn|bun)(?:[ \t]+-[A-Za-z_./:@%+,-]*)*[ \t]+(?:install|i|add|global[ \t]+add)"
    rf"(?:[ \t]+(?:{_VERSIONED}|{_PLAIN_WORD}))*"
)
_VERSION_HEAD = r"(?:[Oo][Nn][Bb][Uu][Ii][Ll][Dd][ \t]+)?[Rr][Uu][Nn][ \t]+"
_VERSION_OPS = re.compile(r"&&|\|\||;|&")
# (Compiled when first asked, a file without `@` never does: a RUN of one install, and one
# install between operators, matched piece by piece; one pattern of a RUN of them all took 8 ms
# to compile.)
_VERSIONED_MATCH: list = []
_VERSIONED_PIECES: list = []
_VERSION_ZEROS = bytes.maketrans(b"123456789", b"000000000")


def version_key(source: str) -> bytes | None:
    """The text of a RUN (``source``: its instruction's, `RUN …` or `ONBUILD RUN …`) with the
    version digits of its installs made `0`, when it is of the class VERSION_DIGITS keys so and
    holds such a digit; else None."""
    if "&" in source or ";" in source or "|" in source:
        if not _VERSIONED_PIECES:
            _VERSIONED_PIECES.append(re.compile(rf"[ \t]*{_VERSIONED_INSTALL}[ \t]*", re.A).fullmatch)
            _VERSIONED_PIECES.append(re.compile(_VERSION_HEAD, re.A).match)
        head = _VERSIONED_PIECES[1](source)
        if head is None:
            return None
        match = _VERSIONED_PIECES[0]
        for piece in _VERSION_OPS.split(source[head.end() :]):
            if match(piece) is None:
                return None
    else:  # (one install: the commonest)
        if not _VERSIONED_MATCH:
            _VERSIONED_MATCH.append(re.compile(rf"{_VERSION_HEAD}[ \t]*{_VERSIONED_INSTALL}[ \t]*", re.A).fullmatch)
        if _VERSIONED_MATCH[0](source) is None:
            return None
    b = source.encode()
    z = b.translate(_VERSION_ZEROS)
    return None if z == b else z
