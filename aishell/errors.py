"""Exit codes and input errors: one clear line, never a traceback."""

from __future__ import annotations

import os
import re
import reprlib

# Documented in docs/exit-codes.md.
EXIT_OK = 0
EXIT_FINDINGS = 1  # lint findings, migrate has changes, a build failed
EXIT_INPUT = 2  # usage, config or input error
EXIT_DOCKER = 3  # the Docker daemon cannot be reached
EXIT_INTERRUPTED = 130  # Ctrl-C


class InputError(Exception):
    """Bad input: printed as one line ``path: message`` (a path with control characters quoted)."""

    def __init__(self, path: str | None, message: str):
        super().__init__(f"{quote_path(path)}: {message}" if path else message)
        self.path = path
        self.message = message


class ConfigError(InputError):
    pass


def error_key(e: InputError) -> tuple:
    """What makes two errors one problem: the same message about the same file, however its
    path was spelled (a bad config.yaml is met once as the file linted, relative, and once per
    Dockerfile of its project, as the absolute path its loader reads): printed once."""
    path = e.path
    if path is not None:
        try:
            from aishell.paths import realpath

            path = realpath(path)
        except (OSError, ValueError):
            pass
    return path, e.message if path is not None else str(e)


def internal_error(path: str | None, e: Exception, what: str) -> InputError:
    """One line for a file that made aishell itself fail (a bug, not bad input): the run goes on
    with the other files and exits 2. AISHELL_DEBUG=1 lets the traceback through instead."""
    if os.environ.get("AISHELL_DEBUG"):
        raise e
    if isinstance(e, (RecursionError, MemoryError)):
        return InputError(path, f"too large or too deeply nested ({type(e).__name__}) while {what}")
    text = str(e).splitlines()[0][:200] if str(e) else ""
    return InputError(
        path, f"internal error while {what} ({type(e).__name__}{': ' + text if text else ''}); please report it"
    )


# What PyYAML raises on text it cannot load: YAMLError, and from its constructors ValueError
# (an integer over Python's 4,300-digit limit, a timestamp like 2001-13-45), OverflowError,
# and RecursionError on deeply nested flow collections.
YAML_ERRORS = (ValueError, OverflowError, RecursionError)


# Values a config's aliases may expand to, counted as often as each is reached: a file of
# MAX_CONFIG_CHARS (aishell.yaml_text) without aliases holds fewer, so no config that is not an
# alias bomb is refused. Past it, any reader that walks or prints a value (str() of an env value,
# a message showing it) takes seconds to minutes and gigabytes: 376 bytes of `&a [*b, *b, …]`
# nested seven times are 10**7 values.
MAX_EXPANDED_VALUES = 262_144


def check_yaml_values(data) -> None:
    """Raise ValueError for an integer too long to print (over Python's 4,300-digit limit for
    str(): `0xfff…` loads, then every message or dump that shows it would crash), and for
    aliases that expand to over MAX_EXPANDED_VALUES values. Walks each alias once (a YAML alias
    can make the data refer to itself: a list holding itself counts once), sizing each
    collection after its items."""
    sizes: dict[int, int] = {}  # id of a collection walked -> values it expands to (all held by data: ids stay unique)
    todo: list = [(data, False)]
    while todo:
        v, leaving = todo.pop()
        if leaving:
            n = 1
            for item in (*v.keys(), *v.values()) if isinstance(v, dict) else v:
                n += sizes.get(id(item), 1)  # (a scalar, or a collection holding this one: 1)
            if n > MAX_EXPANDED_VALUES:
                raise ValueError(
                    f"aliases that expand to over {MAX_EXPANDED_VALUES:,} values (a config is a few KB: "
                    "write the values out, or use fewer levels of aliases)"
                )
            sizes[id(v)] = n
        elif isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 14_000:
            raise ValueError("an integer too long to use (over 4,000 digits)")
        elif isinstance(v, (dict, list, tuple, set)) and id(v) not in sizes:
            sizes[id(v)] = 1  # (entered: 1 until its items are sized)
            todo.append((v, True))
            todo.extend((item, False) for item in ((*v.keys(), *v.values()) if isinstance(v, dict) else v))


def yaml_problem(e: BaseException, text: str | None = None) -> str:
    """One line for a YAML load failure: what went wrong and, when PyYAML knows, on which line
    (of ``text`` as an editor counts them, when given: PyYAML counts NEL, LS and PS too)."""
    if isinstance(e, RecursionError):
        return "invalid YAML: nested too deeply"
    mark = getattr(e, "problem_mark", None)
    where = f" (line {mark.line + 1 if text is None else _line_of(text, mark.index)})" if mark else ""
    character = getattr(e, "character", None)  # a ReaderError: a character YAML does not allow (its code)
    if isinstance(character, int) and isinstance(getattr(e, "position", None), int):
        line = f" (line {_line_of(text, e.position)})" if text is not None else ""
        return f"invalid YAML{line}: the character U+{character:04X} is not allowed in YAML (write it escaped in a double-quoted string)"
    if isinstance(e, ValueError) and "integer string conversion" in str(e):
        # (Python's own words name sys.set_int_max_str_digits(), which is no advice for a config.)
        found = _LONG_DIGITS.search(text) if text is not None else None
        line = f" (line {_line_of(text, found.start())})" if found else ""
        return f"invalid YAML{line}: an integer of more than 4,300 digits, too long to read (quote it to make it text)"
    what = getattr(e, "problem", None) or str(e)
    return f"invalid YAML{where}: {' '.join(str(what).split())}"


_LONG_DIGITS = re.compile(r"(?<![0-9_])[0-9_]{4301,}")


_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def _line_of(text: str, index: int) -> int:
    return len(_LINE_BREAKS.findall(text, 0, max(0, min(index, len(text))))) + 1


# The largest file aishell reads (a Dockerfile, an ignore file, a config, a Python source), far
# past any real one (benchmarks/scale.py's largest inputs are 10 MB): a 2 GB sparse file named
# like a Dockerfile was read whole (7.6 s, 2.1 GB) before it was found binary, a 3 GB sparse
# `.dockerignore` took 6.3 GB. tests/test_lint_inputs.py makes such files.
MAX_FILE_BYTES = 64 << 20
# ... and of a Python source `migrate` reads: a project may hold a large generated module (data,
# protobuf) that names no image; read and passed over, not refused (a review's: a 65 MB one made
# `migrate DIR` exit 2). A source that does name it is rewritten by the bounded paths.
MAX_PYTHON_BYTES = 256 << 20


def read_bytes(path: str, limit: int | None = None) -> bytes:
    """A regular file's bytes. FIFOs, devices and sockets are refused before any read, so
    `/dev/zero` or a FIFO named like a Dockerfile never hangs aishell or fills memory; so is a
    file over ``limit`` (MAX_FILE_BYTES by default; one that grows past it while read too)."""
    import stat

    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(st.st_mode):
            raise InputError(path, f"not a regular file ({_kind(st.st_mode)}); aishell reads only regular files")
        if st.st_size > limit:
            raise InputError(path, _too_large(st.st_size, limit))
        with open_regular(path) as f:
            data = f.read(limit + 1)
        if len(data) > limit:
            raise InputError(path, _too_large(len(data), limit))
        return data
    except FileNotFoundError:
        raise InputError(path, "no such file" if not os.path.lexists(path) else "a symlink to nothing") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as e:
        raise InputError(path, e.strerror or str(e)) from None


def _too_large(size: int, limit: int) -> str:
    return f"too large ({size:,} bytes or more); aishell reads files of up to {limit >> 20} MB"


def open_regular(path: str):
    """``path`` opened for reading in binary, when it is a regular file once open: a FIFO or a
    device swapped in after the caller's stat (a race an agent in the project can run) is
    refused, never read; O_NONBLOCK, so opening a FIFO does not wait for a writer."""
    import stat

    import errno

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        if e.errno == errno.ENXIO:  # what opening a socket says
            raise InputError(path, "not a regular file (a socket); aishell reads only regular files") from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        if not stat.S_ISREG(mode):
            raise InputError(path, f"not a regular file ({_kind(mode)}); aishell reads only regular files")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _kind(mode: int) -> str:
    import stat

    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def may_exist(path: str) -> bool:
    """Whether ``path`` may exist: os.path.lexists, except that a lookup the system refuses
    (EACCES, ELOOP, ENAMETOOLONG on the way) is no proof of absence. lexists said False there,
    and a Dockerfile in a folder without search permission was `no such file or folder`; a link
    loop, a dangling link or an unsearchable `.aishell/` dropped the project's config without a
    word. Reading it then says what is wrong (one line, exit 2)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def is_regular(path: str) -> bool:
    """A regular file (after symlinks): what discovery picks up in folders."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


# Byte-order marks of the encodings an editor may save a text file in that are not UTF-8 (the
# UTF-32 ones first: UTF-32LE's starts with UTF-16LE's).
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def other_encoding(path: str, data: bytes) -> None:
    """Raise InputError for a file saved as UTF-16 or UTF-32 (its byte-order mark)."""
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise InputError(
                path,
                f"encoded in {name} (its byte-order mark); aishell reads UTF-8 only, as BuildKit does: save it as UTF-8",
            )


def decode(path: str, data: bytes) -> str:
    """A file's text: UTF-8, strictly. A file saved as UTF-16 or UTF-32 (its byte-order mark)
    says so; a NUL byte anywhere makes it binary, wherever it is (only the first 8 KB were
    looked at: a NUL past them was read as text)."""
    other_encoding(path, data)
    nul = data.find(b"\0")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(path, f"binary file (a NUL byte on line {line}), not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[e.start]:02x} on line {line})") from None


def read_text(path: str) -> str:
    """The file's text, exactly: BOM and line endings kept."""
    return decode(path, read_bytes(path))


def relative_path(path: str) -> str:
    """``path`` relative to the current folder when it is under it, else as given."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith(".." + os.sep) else rel


def display_path(path: str) -> str:
    """A path as aishell prints it on a line: relative when under the current folder, and quoted
    as git quotes it when it holds a control character (a cloned repository can name a folder
    `x<ESC>[2J`: printed raw, it would drive the terminal, or split one line of output in two)."""
    return quote_path(relative_path(path))


# C0 and C1 controls, DEL, the line and paragraph separators, the bidirectional controls (which
# reorder what a reader sees), and the bytes that are not UTF-8 (os.fsdecode's surrogate escapes).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_NEEDS_QUOTES = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029{_BIDI}\\udc80-\\udcff]")
_C_ESCAPES = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\"}


# What may not reach a message line raw: C0 and C1 controls (a line break, ESC), DEL, the line
# and paragraph separators, the bidirectional controls, and the surrogate escapes of bytes that
# are not UTF-8. (The text report's excerpts keep tabs: aishell.reporters._UNSHOWN.)
_NOT_TEXT = _NEEDS_QUOTES


def _escape(m: re.Match) -> str:
    c = ord(m.group())
    if c in (9, 10, 13):
        return _C_ESCAPES[c]
    if 0xDC80 <= c <= 0xDCFF:
        return f"\\x{c - 0xDC00:02x}"
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxlist, _SHOWN.maxtuple, _SHOWN.maxdict, _SHOWN.maxset = 2, 4, 4, 4, 4
_SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlong = 80, 80, 40


def shown(value) -> str:
    """A value read from a file, as a message shows it: its repr, bounded in depth, items and
    length (reprlib). A YAML alias makes a 250-byte config hold a list of millions of items, whose
    full repr is gigabytes; a message about it is still one short line."""
    return _SHOWN.repr(value)


def one_line(text: str) -> str:
    """``text`` as one line of plain text for stderr: a line break, an escape sequence or any
    other control character that came from a file (a word of a Dockerfile, a Python literal, a
    link's target) is written as its escape (``\\n``, ``\\x1b``), so a cloned repository can
    neither split aishell's one line a problem in two nor drive the terminal."""
    return _NOT_TEXT.sub(_escape, text) if _NOT_TEXT.search(text) else text


def quote_path(path: str) -> str:
    """``path`` unchanged, or, when it holds a control character or a byte that is not UTF-8, the
    way git writes such a name (core.quotePath): in double quotes, C escapes for controls, `"`
    and `\\`, three-digit octal for every other byte outside printable ASCII. `git apply` reads
    it back; a terminal shows it as text."""
    if not _NEEDS_QUOTES.search(path):
        return path
    out = []
    for b in os.fsencode(path):
        if b in _C_ESCAPES:
            out.append(_C_ESCAPES[b])
        elif b < 0x20 or b >= 0x7F:
            out.append(f"\\{b:03o}")
        else:
            out.append(chr(b))
    return '"' + "".join(out) + '"'


def unmountable(path: str) -> str | None:
    """Why ``path`` cannot be given to the engine as a mount's source or target, or None: a
    line break or NUL byte (a --mount value, a passwd line), or bytes that are not UTF-8 (the
    engine's API is JSON text: a folder named with byte 0xFF would name another path)."""
    if "\n" in path or "\r" in path or "\0" in path:
        return "a path with a line break or NUL byte cannot be mounted"
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "a path whose name is not UTF-8 cannot be mounted"
    return None
