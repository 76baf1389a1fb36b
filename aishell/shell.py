"""Which commands does a RUN execute?

A small POSIX-shell reader, enough to find the simple commands of a script and
where they are in the source. It follows ``&&``, ``||``, ``;``, ``|``, ``&``,
newlines, ``( )``, ``{ }``, ``$( )``, backticks, control keywords, the wrappers
of the WRAPPERS table (``sudo env exec timeout nice nohup xargs command time
chroot doas flock unshare setpriv ionice …``, each with the options that take a
value and those with which it runs nothing; sudo's as its parse_args reads them,
sudo_parse), ``find -exec``, the strings of
``sh -c`` / ``bash -c`` / ``bash -lc`` (one option reader, shell_options, for
``sh``, ``set`` and the SHELL instruction), ``eval``, ``trap`` and of the options
of the STRING_OPTIONS table (``env -S``, ``su -c``, ``script -c``: attached,
separate, clustered, ``--opt=``), and the scripts a shell reads on its stdin (a
heredoc or here-string given to it, ``sh /dev/stdin``, ``. /dev/stdin``, what
``cat <<EOF``, ``echo`` or ``printf`` pipe into it, through ``tee`` or ``cat``) or from a
file the script wrote with them (``cat <<EOF > s.sh && sh s.sh``, ``>>`` appending to it; the
last redirection of fd 0 or fd 1 wins, a heredoc on another fd is not stdin), and what a command
substitution of one gives ``sh -c``/``eval``, recursively; a command named by an
expansion (``$c``, ``"$@"``, ``$(echo claude)``) is read as what the script made it hold. Arguments,
strings, paths, package names and function definitions are never commands.

Every position is a source offset in the Dockerfile text, so a rule can point
at a command and a fix can remove it.
"""

from __future__ import annotations

import posixpath
import re
import sys
from array import array
from bisect import bisect_right
from collections import deque
from functools import lru_cache
from itertools import chain
from operator import attrgetter, itemgetter
from types import MappingProxyType
from typing import NamedTuple

from aishell.harness import NPM_INSTALL, NPM_ONLY_INSTALL, installs, mentions_in
from aishell.model import Instruction, _Pieces, offset_code, unquote_delimiter

# unquote reads a run of characters at a time (a script's quoted words are most of its text).
# (A backslash-newline, matched with no group, is gone: a script's `cla\<newline>ude` is one word.)
_UNQ_OUT = re.compile(r"""'([^']*)'?|(")|\\\n|\\(.)|([^'"\\]+)|(\\)""", re.S)
# (In double quotes a backslash escapes only `$`, a backquote, `"`, a backslash and a newline:
# POSIX 2.2.3; before any other character it stays, `"cl\aude"` is the name `cl\aude`.)
_UNQ_DQ = re.compile(r"""(")|\\\n|\\([$`"\\])|([^"\\]+)|(\\)""", re.S)


# unquote of a word that is one quoted string returns its inside without the loop below
# (tests/test_simple_items_fast.py compares it with this off).
UNQUOTE_ONE = True


def unquote(text: str) -> str:
    """The text with shell quoting removed (no expansion), as POSIX has it: in double quotes a
    backslash escapes only `$`, a backquote, `"`, a backslash and a newline, and stays before any
    other character (model.unquote, BuildKit's reading, keeps it before most too)."""
    if "'" not in text and '"' not in text and "\\" not in text:
        return text
    if UNQUOTE_ONE and len(text) > 1 and (q := text[0]) == text[-1] and text.count(q) == 2:
        # One quoted string, the whole word (`"$e1"`, `'claude -v'`): its inside, where no
        # backslash is in a double-quoted one (one of every eval's and `sh -c`'s words).
        if q == "'" or (q == '"' and "\\" not in text):
            return text[1:-1]
    out: list[str] = []
    i, n, double = 0, len(text), False
    while i < n:
        if double:
            m = _UNQ_DQ.match(text, i)
            quote, escaped, plain, last = m.groups()
            if quote:
                double = False
            else:
                out.append(escaped or plain or last or "")
        else:
            m = _UNQ_OUT.match(text, i)
            single, quote, escaped, plain, last = m.groups()
            if quote:
                double = True
            else:
                out.append(single if single is not None else escaped or plain or last or "")
        i = m.end()
    return "".join(out)


_ANSI = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ANSI_NUMBER = re.compile(r"([0-7]{1,3})|x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|c(.)", re.S)


_BASH_PLAIN = re.compile(r"[^$'\"\\]+")  # unquote_bash copies these runs as they are
_ANSI_PLAIN = re.compile(r"[^'\\]+")  # (inside `$'…'`)
_DQ_PLAIN = re.compile(r'[^"\\]+')  # (inside "…")


def unquote_bash(text: str) -> str:
    """A word as bash reads it, quotes removed: unquote's, plus `$'…'` (ANSI-C escapes: `\\n`,
    `\\x63`, `\\143`, `\\u0063`, `\\cX`) and `$"…"` (a double-quoted string)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        run = _BASH_PLAIN.match(text, i)
        if run is not None:  # (runs copied whole: a word may be a 4 MB script in backquotes)
            out.append(run.group())
            i = run.end()
            continue
        c = text[i]
        if c == "$" and i + 1 < n and text[i + 1] == "'":
            j = i + 2
            while j < n and text[j] != "'":
                run = _ANSI_PLAIN.match(text, j)
                if run is not None:
                    out.append(run.group())
                    j = run.end()
                    continue
                if text[j] == "\\" and j + 1 < n:
                    e = text[j + 1]
                    if e in _ANSI:
                        out.append(_ANSI[e])
                        j += 2
                        continue
                    num = _ANSI_NUMBER.match(text, j + 1)
                    if num is not None:
                        octal, hx, u, big, ctrl = num.groups()
                        if ctrl is not None:
                            out.append(chr(ord(ctrl) & 0x1F))
                        else:
                            value = int(octal, 8) if octal else int(hx or u or big, 16)
                            out.append(chr(value & 0xFF) if octal or hx else chr(min(value, 0x10FFFF)))
                        j = num.end()
                        continue
                    out.append(e if e in "\\'\"?" else "\\" + e)
                    j += 2
                    continue
                out.append(text[j])
                j += 1
            i = j + 1
        elif c == "$" and i + 1 < n and text[i + 1] == '"':
            i += 1  # `$"…"`: a double-quoted string (translated, where a catalog says so)
        elif c == "'":
            j = text.find("'", i + 1)
            j = n if j < 0 else j
            out.append(text[i + 1 : j])
            i = j + 1
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                run = _DQ_PLAIN.match(text, j)
                if run is not None:
                    out.append(run.group())
                    j = run.end()
                    continue
                if text[j] == "\\" and j + 1 < n and text[j + 1] in _DQ_ESCAPES:
                    j += 1
                out.append(text[j])
                j += 1
            i = j + 1
        elif c == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


SHELLS = frozenset(
    {"sh", "bash", "dash", "zsh", "ash", "ksh", "ksh93", "mksh", "lksh", "oksh", "loksh", "pdksh", "yash", "posh"}
)
SOURCES = frozenset({".", "source"})  # run a file in the current shell (`. /dev/stdin`)
# The shell's commands that are not programs too: a wrapper that is a program and execs the
# command it is given (and the shell's `exec`) runs none of these (Debian has no /usr/bin/exec,
# eval, command, builtin, trap, source). Not `command`, `builtin` (the shell's own), nor a wrapper
# that is a shell script running it as `"$@"` (fakeroot, eatmydata, xvfb-run: builtins work there).
SHELL_ONLY = frozenset({"exec", "eval", "command", "builtin", "trap", ".", "source"})
PROGRAM_WRAPPERS = frozenset(
    "sudo doas env exec timeout nice nohup xargs stdbuf flock setsid ionice taskset prlimit time chroot"
    " unshare nsenter setpriv chrt gosu su-exec tini dumb-init strace ltrace".split()
)
# Files that are the standard input: a shell given one as its script reads the script on stdin.
STDIN_FILES = frozenset({"/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})
# `time` is read as a wrapper (its options: `time -p cmd`), not as a keyword.
KEYWORDS_BEFORE_COMMAND = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!"})
KEYWORDS_END = frozenset({"fi", "done", "esac"})
OPERATORS = ("&&", "||", ";;", "|&", ";", "|", "&", "(", ")")


_CHECKED_VALUES = 1024  # check_value's answers kept


@lru_cache(maxsize=_CHECKED_VALUES)
def check_value(kind: str, text: str) -> bool | None:
    """Whether the tool takes ``text`` as a value of ``kind`` (aishell.wrapper_values.VALUE_KINDS):
    None where an expansion gives it (`timeout "$T"`), or the kind's checker cannot be sure.
    (The answers last given are kept: a wrapper chain gives the same few a million times. The
    checkers' module is imported here, when a file first gives a wrapper a value.)"""
    if "$" in text or "`" in text:
        return None
    from aishell.wrapper_values import VALUE_KINDS

    return VALUE_KINDS[kind](text)


class Wrapper(NamedTuple):
    """A command that runs the command after its options, and how its options read."""

    value_short: str = ""  # short options that take a value (attached, `-unode`, or the next word)
    value_long: frozenset = frozenset()  # long options that take a value (`--user=x` or `--user x`)
    no_run_short: str = ""  # short options with which the command is not run (`sudo -l`, `command -v`)
    no_run_long: frozenset = frozenset()
    assignments: bool = False  # NAME=value words before the command (`env`, `sudo`)
    needs: str = ""  # short options, one of which it needs to run a command (`runuser -u USER`)
    needs_long: frozenset = frozenset()  # their long spellings (`runuser --user=USER`)
    operands: int = 0  # words after the options and before the command (`timeout 5`, `chroot /`)
    command_opts: frozenset = frozenset()  # options whose value is a shell command line (`flock -c`)
    # Whether its exit status is the wrapped command's (and it surely runs it): `carries`, unless
    # one of the status options is given; not `carries`, unless one is (`setsid -w` waits).
    carries: bool = True
    status_short: str = ""  # `xargs -r`/`-I` (may not run it: no input), `sudo -b` (background)
    status_long: frozenset = frozenset()
    leading: int = 0  # operands before the options (`setarch ARCH -R cmd`)
    # Options with which, given no command, it starts a shell that reads its stdin as a script
    # (`sudo -s <<EOF`, `sudo -u node -i <<EOF`, `doas -s`).
    shell_short: str = ""
    shell_long: frozenset = frozenset()
    # The tool's other long options, where the table is its whole list: getopt_long refuses a
    # `--word` that names none of them and abbreviates no one alone (`env --ig`: --ignore-environment
    # or --ignore-signal), so nothing runs. Empty: the list is not known, the word is passed over.
    other_long: frozenset = frozenset()
    # Likewise its other short options, where the table is its whole list: getopt refuses any
    # other letter (`env -X claude`), so nothing runs. Empty: not known.
    other_short: str = ""
    # Options whose value is optional: only attached (`xargs -eEND`, `--eof=END`), never the next
    # word (`xargs -e claude` runs claude).
    optional_short: str = ""
    optional_long: frozenset = frozenset()
    # Whether the table lists all the tool's options (the rest, aliases too, in other_short and
    # other_long, which may be empty: `nohup`): getopt refuses any other, and `--opt=v` for an
    # option in neither value_long nor optional_long (`env --debug=1`). (sudo's options are
    # read by sudo_parse, not by this table.)
    complete: bool = False
    # Options it refuses together, each a pair of one option's spellings (letter, long name):
    # `flock -F -o` ("the --no-fork and --close options are incompatible"), so nothing runs.
    incompatible: tuple = ()
    # The values it checks before it runs the command: (spellings, kind) pairs, the spellings a
    # letter and long names, the kind an aishell.wrapper_values.VALUE_KINDS name (`timeout -s FOO`:
    # nothing runs).
    values: tuple = ()
    # Likewise its operands, one kind each (`timeout DURATION`, "" for one it does not check),
    # and options that give an operand another kind: (spellings, place, kind) (`taskset -c LIST`).
    operand_values: tuple = ()
    retype: tuple = ()
    # Whether only the last value of its value options counts, read once all are (nice's
    # adjustment: `nice -n x -n 5 cmd` runs cmd).
    last_value: bool = False
    # Options with which it ignores a setting the system refuses (a value check_value is not
    # sure of: `ionice -t -c 1`, its ioprio_set failing, still runs the command). A value it
    # refuses to read (`ionice -t -c x`) or one an expansion gives stays as it was.
    tolerant_short: str = ""
    tolerant_long: frozenset = frozenset()
    # Whether an option the table does not have may be the tool's (its list is not known whole
    # here, and such an option may take the next word as its value): the command after it is
    # not sure (a warning at most), not passed over as sure (`rlwrap -X val claude`).
    unsure_other: bool = False
    # Long options that take two or three words as their values: (name, count) pairs (bwrap's
    # `--bind SRC DEST`, `--overlay RWSRC WORKDIR DEST`).
    long_arity: tuple = ()


# prlimit's resources, each an option with an optional value (its limits: set, else shown).
_PRLIMIT_RESOURCES = tuple(
    "--core --data --nice --fsize --sigpending --memlock --rss --nofile --msgqueue --rtprio --stack --cpu"
    " --nproc --as --locks --rttime".split()
)
# Where a value a wrapper checks may be refused (an expansion gives it): _wrapper_walk adds this to
# the letters given, and the command's status is not surely the wrapped one's (status_lost).
UNSURE_VALUE = "$"
# rlwrap's long options that take a value (WRAPPERS' rlwrap).
_RLWRAP_VALUE_LONG = frozenset(
    {"--break-chars", "--command-name", "--extra-char-after-completion", "--history-no-dupes", "--file"}
    | {"--history-format", "--forget-matching", "--history-filename", "--logfile", "--multi-line-ext"}
    | {"--only-cook", "--pre-given", "--quote-characters", "--histsize", "--substitute-prompt"}
    | {"--set-terminal-name", "--wait-before-prompt", "--filter"}
)

WRAPPERS = {
    # sudo's options are read as its parse_args reads them (sudo_parse, over SUDO_SHORT and
    # SUDO_LONG): this entry says what its letters do. `?` stands for "no command runs" (a usage
    # error, or a mode that lists, validates, edits or prints); `-b` runs it in the background,
    # and sudoers (or SELinux) may refuse `-C`, `-D`, `-R`, `-T` (sudoers' defaults do), `-r`,
    # `-t`: a command behind them may not run.
    "sudo": Wrapper(no_run_short="?", assignments=True, status_short="bCDRTrt", shell_short="si"),
    # The wrappers marked `complete` list all their options, as their getopt strings and long
    # option tables have them (Debian 12: coreutils 9.1, findutils 4.9, util-linux 2.38, time
    # 1.9, fakeroot 1.31; tests/test_ais002_wrapper_options.py runs them as the oracle).
    "env": Wrapper(  # (`env -0 CMD` refuses to run CMD)
        "uCS",
        frozenset({"--unset", "--chdir", "--split-string"}),
        "0",
        frozenset({"--help", "--version", "--null"}),
        True,
        other_short="iv",
        other_long=frozenset({"--ignore-environment", "--list-signal-handling", "--debug"}),
        optional_long=frozenset({"--block-signal", "--default-signal", "--ignore-signal"}),
        complete=True,
        values=(
            (("u", "--unset"), "name"),
            (("C", "--chdir"), "path"),
            (("--block-signal",), "signals"),
            (("--default-signal", "--ignore-signal"), "catchable signals"),
        ),
    ),
    # bash's exec takes `-a NAME`, `-c`, `-l`; dash's none ("exec: -a: not found"): a warning.
    "exec": Wrapper("a", status_short="acl"),
    # GNU coreutils and util-linux print their help or version and exit 0 on `--help`/`--version`
    # (util-linux on `-h`/`-V` too) given anywhere among the options: the command is not run.
    "timeout": Wrapper(
        "sk",
        frozenset({"--signal", "--kill-after"}),
        "",
        frozenset({"--help", "--version"}),
        operands=1,
        other_short="v",
        other_long=frozenset({"--verbose", "--preserve-status", "--foreground"}),
        complete=True,
        values=((("s", "--signal"), "signal"), (("k", "--kill-after"), "duration")),
        operand_values=("duration",),
    ),
    "nice": Wrapper(
        "n",
        frozenset({"--adjustment"}),
        "",
        frozenset({"--help", "--version"}),
        complete=True,
        values=((("n", "--adjustment"), "adjustment"),),
        last_value=True,
    ),
    "nohup": Wrapper("", frozenset(), "", frozenset({"--help", "--version"}), complete=True),
    "xargs": Wrapper(
        "nILPdaEs",
        frozenset({"--max-args", "--max-procs", "--delimiter", "--arg-file", "--max-chars", "--process-slot-var"}),
        # `-o` (`--open-tty`) and `-p` (`--interactive`) open /dev/tty, which a RUN has not: it
        # runs nothing.
        "op",
        frozenset({"--help", "--version", "--open-tty", "--interactive"}),
        # With no input, `-r` runs nothing and `-I`/`-i` have nothing to replace: exit 0.
        status_short="rIi",
        status_long=frozenset({"--no-run-if-empty", "--replace"}),
        other_short="0tx",
        other_long=frozenset({"--null", "--verbose", "--exit", "--show-limits"}),
        optional_short="eil",
        optional_long=frozenset({"--eof", "--replace", "--max-lines"}),
        complete=True,
        values=(
            (("n", "--max-args", "L", "l", "--max-lines"), "count"),
            (("P", "--max-procs"), "procs"),
            (("s", "--max-chars"), "size"),
            (("a", "--arg-file"), "path"),
        ),
    ),
    "command": Wrapper("", frozenset(), "vV"),
    "time": Wrapper(  # GNU time
        "fo",
        frozenset({"--format", "--output"}),
        "V",
        frozenset({"--help", "--version"}),
        other_short="apqv",
        other_long=frozenset({"--append", "--portability", "--quiet", "--verbose"}),
        complete=True,
        values=((("o", "--output"), "path"),),
    ),
    "stdbuf": Wrapper(  # (`stdbuf CMD`: "you must specify a buffering mode option", nothing run)
        "ioe",
        frozenset({"--input", "--output", "--error"}),
        "",
        frozenset({"--help", "--version"}),
        needs="ioe",
        needs_long=frozenset({"--input", "--output", "--error"}),
        complete=True,
        values=((("i", "--input"), "input buffer"), (("o", "--output", "e", "--error"), "buffer")),
    ),
    "runuser": Wrapper(
        "ugGswZ",
        frozenset({"--user", "--group", "--supp-group", "--shell", "--whitelist-environment"}),
        "hV",
        frozenset({"--help", "--version"}),
        needs="u",
        needs_long=frozenset({"--user"}),
    ),
    "gosu": Wrapper(operands=1),  # gosu USER COMMAND
    "su-exec": Wrapper(operands=1),
    "setuidgid": Wrapper(operands=1),
    "s6-setuidgid": Wrapper(operands=1),
    "chroot": Wrapper(
        "", frozenset({"--userspec", "--groups"}), "", frozenset({"--help", "--version"}), operands=1
    ),  # chroot NEWROOT COMMAND
    "doas": Wrapper("Cu", frozenset(), "LC", shell_short="s"),  # `doas -C conf cmd` checks the rule, runs nothing
    "setpriv": Wrapper(
        "",
        frozenset(
            {
                "--reuid",
                "--regid",
                "--ruid",
                "--rgid",
                "--euid",
                "--egid",
                "--groups",
                "--inh-caps",
                "--ambient-caps",
                "--bounding-set",
                "--securebits",
                "--pdeathsig",
                "--selinux-label",
                "--apparmor-profile",
                "--landlock-access",
                "--landlock-rule",
                "--seccomp-filter",
            }
        ),
        "dhV",
        frozenset({"--dump", "--list-caps", "--help", "--version"}),
    ),
    "unshare": Wrapper(
        "SGRwl",
        frozenset({"--setuid", "--setgid", "--root", "--wd", "--propagation", "--setgroups", "--load-interp"}),
        "hV",
        frozenset({"--help", "--version"}),
    ),
    "nsenter": Wrapper(
        "tSG", frozenset({"--target", "--setuid", "--setgid"}), "hV", frozenset({"--help", "--version"})
    ),
    "flock": Wrapper(
        "wE",
        frozenset({"--timeout", "--wait", "--conflict-exit-code"}),
        "hV?",  # (`-?`: its usage)
        frozenset({"--help", "--version"}),
        operands=1,  # flock FILE COMMAND, or flock FILE -c STRING (`-c` only there)
        command_opts=frozenset({"-c", "--command"}),
        other_short="sexnoFu",
        other_long=frozenset(
            {"--shared", "--exclusive", "--unlock", "--nonblocking", "--nb", "--close", "--no-fork", "--verbose"}
        ),
        complete=True,
        incompatible=((("F", "--no-fork"), ("o", "--close")),),
        values=((("w", "--timeout", "--wait"), "seconds"), (("E", "--conflict-exit-code"), "exit code")),
        operand_values=("path",),
    ),
    "ionice": Wrapper(
        "cnpPu",
        frozenset({"--class", "--classdata", "--pid", "--pgid", "--uid"}),
        "pPuhV",
        frozenset({"--pid", "--pgid", "--uid", "--help", "--version"}),
        other_short="t",
        other_long=frozenset({"--ignore"}),
        complete=True,
        values=((("c", "--class"), "io class"), (("n", "--classdata"), "io data")),
        tolerant_short="t",
        tolerant_long=frozenset({"--ignore"}),
    ),
    # A process group leader (the RUN's shell when it execs `setsid`) forks, and `-f` always
    # does: the parent exits 0 unless `-w` waits for the command.
    "setsid": Wrapper(
        "",
        frozenset(),
        # `-c`/`--ctty`: it makes the terminal its controlling one, and a RUN has none: it fails
        # ("Inappropriate ioctl for device") before running the command.
        "hVc",
        frozenset({"--help", "--version", "--ctty"}),
        carries=False,
        status_short="w",
        status_long=frozenset({"--wait"}),
        other_short="f",
        other_long=frozenset({"--fork"}),
        complete=True,
    ),
    "taskset": Wrapper(  # taskset [opts] MASK CMD
        "",
        frozenset(),
        "phV",
        frozenset({"--pid", "--help", "--version"}),
        operands=1,
        other_short="ac",
        other_long=frozenset({"--all-tasks", "--cpu-list"}),
        complete=True,
        operand_values=("cpu mask",),
        retype=((("c", "--cpu-list"), 0, "cpu list"),),
    ),
    "chrt": Wrapper(
        "T",
        frozenset({"--sched-runtime", "--sched-period", "--sched-deadline"}),
        "pmhV",
        frozenset({"--pid", "--max", "--help", "--version"}),
        operands=1,
    ),
    "prlimit": Wrapper(  # (a resource's limits attached, `-n1024`, `--nofile=1024`, or none: shown)
        "o",
        frozenset({"--pid", "--output"}),
        "phV",
        frozenset({"--pid", "--help", "--version"}),
        other_long=frozenset({"--noheadings", "--raw", "--verbose"}),
        optional_short="cdefilmnqrstuvxy",
        optional_long=frozenset(_PRLIMIT_RESOURCES),
        complete=True,
        values=((tuple("cdefilmnqrstuvxy") + _PRLIMIT_RESOURCES, "rlimit"),),
    ),
    "fakeroot": Wrapper(  # (a script: util-linux getopt reads its options, as getopt_long does)
        "silbf",
        frozenset({"--lib", "--faked", "--fd-base"}),
        "vh",
        frozenset({"--version", "--help"}),
        other_short="u",
        other_long=frozenset({"--unknown-is-real"}),
        complete=True,
    ),
    "tini": Wrapper("pe", frozenset(), "hl"),  # `-h` help, `-l` licence
    "dumb-init": Wrapper("r", frozenset({"--rewrite"}), "hV", frozenset({"--help", "--version"})),
    "catatonit": Wrapper(),
    "busybox": Wrapper(),  # busybox APPLET ARGS… (`busybox sh -c …`)
    "xvfb-run": Wrapper(
        "nslpfe", frozenset({"--server-num", "--server-args", "--xauth-protocol", "--auth-file", "--error-file"})
    ),
    "strace": Wrapper(
        "eoOpPsSIUXbu", frozenset({"--output", "--trace", "--user"}), "hV", frozenset({"--help", "--version"})
    ),
    "ltrace": Wrapper("eopsnuAaDF", frozenset({"--output"}), "hV", frozenset({"--help", "--version"})),
    # More that run the command after their options (issue 18, round two: their man pages).
    "eatmydata": Wrapper(),
    "nocache": Wrapper("n"),
    "unbuffer": Wrapper(),
    "catchsegv": Wrapper(),
    "torsocks": Wrapper("upaP", frozenset({"--user", "--pass", "--address", "--port"})),
    "proxychains": Wrapper("f"),
    "proxychains4": Wrapper("f"),
    "faketime": Wrapper("p", frozenset({"--date-prog"}), operands=1),  # faketime [opts] TIMESTAMP CMD
    "numactl": Wrapper(
        "ipmNCPbw",
        frozenset(
            {
                "--interleave",
                "--preferred",
                "--preferred-many",
                "--membind",
                "--cpunodebind",
                "--physcpubind",
                "--weighted-interleave",
                "--balancing",
            }
        ),
        "sH",
        frozenset({"--show", "--hardware", "--help", "--version"}),
    ),
    "chpst": Wrapper("uUbe/CnlLmdopfcrt"),
    "setarch": Wrapper(
        "", frozenset(), "hV", frozenset({"--list", "--help", "--version"}), leading=1
    ),  # setarch [ARCH] [opts] CMD
    "linux32": Wrapper("", frozenset(), "", frozenset({"--help", "--version"})),
    "linux64": Wrapper("", frozenset(), "", frozenset({"--help", "--version"})),
    "valgrind": Wrapper(),  # (its options are `--name=value` words)
    "dbus-run-session": Wrapper("", frozenset({"--config-file", "--dbus-daemon"})),
    "fakechroot": Wrapper("ldec", frozenset({"--lib", "--ldso", "--environment", "--config-dir"})),
    "toybox": Wrapper(),  # toybox APPLET ARGS…
    "with-contenv": Wrapper(),
    "envdir": Wrapper(operands=1),  # envdir DIR CMD (daemontools; s6-envdir too)
    "s6-envdir": Wrapper(operands=1),
    "setlock": Wrapper(operands=1),  # setlock FILE CMD
    "envuidgid": Wrapper(operands=1),
    "pgrphack": Wrapper(),
    # rlwrap (0.46, its getopt string and long options): with its stdin not a terminal (a
    # RUN's) it execs the command right after reading its options. A value option may stop it
    # first (a file it opens, a number it checks: not known here), and other versions add
    # options: the command is sure after its flags alone.
    "rlwrap": Wrapper(
        "bCDefFgHlMOPqsStwz",
        _RLWRAP_VALUE_LONG,
        "hv",
        frozenset({"--help", "--version"}),
        other_short="AciInNorRT",
        other_long=frozenset(
            {"--ansi-colour-aware", "--complete-filenames", "--case-insensitive", "--pass-sigint-as-sigterm"}
            | {"--no-warnings", "--no-children", "--one-shot", "--remember", "--renice", "--test-terminal"}
        ),
        optional_short="admp",
        optional_long=frozenset({"--always-readline", "--debug", "--multi-line", "--prompt-colour"}),
        values=(
            (
                tuple("bCDefFgHlMOPqsStwzadmp")
                + tuple(sorted(_RLWRAP_VALUE_LONG))
                + ("--always-readline", "--debug", "--multi-line", "--prompt-colour"),
                "not known",
            ),
        ),
        unsure_other=True,
    ),
    # daemontools' softlimit (and runit's): getopt "a:c:d:f:l:m:o:p:r:s:t:", a child required;
    # `=` sets the soft limit to the hard one (sure), a number may be too low for the child.
    "softlimit": Wrapper("acdflmoprst", complete=True, values=((tuple("acdflmoprst"), "softlimit"),)),
    # bubblewrap and firejail make namespaces a build's container may not allow them: a
    # command they run is a warning at most. bwrap reads its options by exact name, some of
    # two or three words; firejail's take their values attached (`--name=value`).
    "bwrap": Wrapper(
        "",
        frozenset(
            {"--args", "--argv0", "--userns", "--userns2", "--pidns", "--uid", "--gid", "--hostname", "--chdir"}
            | {"--unsetenv", "--lock-file", "--sync-fd", "--remount-ro", "--proc", "--dev", "--tmpfs", "--mqueue"}
            | {"--dir", "--seccomp", "--add-seccomp-fd", "--block-fd", "--userns-block-fd", "--info-fd"}
            | {"--json-status-fd", "--cap-add", "--cap-drop", "--perms", "--size", "--exec-label", "--file-label"}
            | {"--overlay-src", "--tmp-overlay", "--ro-overlay"}
        ),
        "",
        frozenset({"--help", "--version"}),
        carries=False,
        unsure_other=True,
        long_arity=tuple(
            (o, 2)
            for o in (
                "--setenv --bind --bind-try --dev-bind --dev-bind-try --ro-bind --ro-bind-try --bind-fd"
                " --ro-bind-fd --file --bind-data --ro-bind-data --symlink --chmod"
            ).split()
        )
        + (("--overlay", 3),),
    ),
    "firejail": Wrapper(
        "",
        frozenset(),
        "",
        frozenset({"--help", "--version", "--list", "--tree", "--top", "--shutdown"}),
        carries=False,
        unsure_other=True,
    ),
    # bash's `coproc CMD`: in the background (its status is not the RUN's); dash has no coproc.
    "coproc": Wrapper(carries=False),
    # OpenSSH's agent runs a command given after its options (`-c`, `-s`, `-k`, `-d`, `-D` with
    # one: a usage error, nothing run), its parent exec'ing it: the status is the command's.
    "ssh-agent": Wrapper("EaOPt", frozenset(), "cskdD"),
    "dbus-launch": Wrapper(
        "", frozenset({"--config-file", "--autolaunch"}), "", frozenset({"--help", "--version"})
    ),  # execs the program after starting a session bus
    "chronic": Wrapper(),  # moreutils: `chronic [-ev] CMD`, the command's status
    "ifne": Wrapper(carries=False),  # moreutils: runs it only if stdin is not empty (`-n`: if it is)
    "lckdo": Wrapper("W", operands=1),  # moreutils: `lckdo [-w] [-W SEC] [-q] LOCKFILE CMD`
    "cgexec": Wrapper("g"),  # libcgroup: `cgexec -g CONTROLLERS:PATH CMD`
    "trickle": Wrapper("wtlndu"),
    "torify": Wrapper(),
    "tsocks": Wrapper(),
    # GNU parallel runs the command after its options once per argument (`parallel claude ::: a`;
    # with no `:::`, per line of its input, maybe none), and moreutils' `parallel` reads its words
    # otherwise: which runs, and its status, not surely the command's.
    "parallel": Wrapper(
        "adEIjPnNsSCLl",
        frozenset(
            {
                "--arg-file",
                "--delimiter",
                "--eof",
                "--replace",
                "--jobs",
                "--max-procs",
                "--max-args",
                "--max-replace-args",
                "--max-chars",
                "--max-lines",
                "--sshlogin",
                "--sshloginfile",
                "--colsep",
                "--joblog",
                "--results",
                "--tmpdir",
                "--workdir",
                "--timeout",
                "--delay",
                "--retries",
                "--halt",
                "--env",
                "--basefile",
                "--transferfile",
                "--return",
                "--tagstring",
                "--load",
                "--memfree",
                "--block",
                "--recstart",
                "--recend",
                "--nice",
                "--header",
            }
        ),
        "hV",
        frozenset({"--help", "--version", "--dry-run", "--dryrun", "--citation", "--number-of-cpus"}),
        carries=False,
    ),
}
WRAPPER_VALUE_OPTS = WRAPPERS  # the names of the wrappers (kept for callers that test membership)
# Each wrapper's options whose values it checks: spelling (a letter, a long name) -> VALUE_KINDS
# name (empty for one that checks only operands, `taskset MASK`).
_VALUE_KINDS_OF = {
    n: {spelling: kind for spellings, kind in w.values for spelling in spellings}
    for n, w in WRAPPERS.items()
    if w.values or w.operand_values
}

# Fast paths that give what the general code gives (tests/test_shell_fast.py compares them with
# these off): a nested script of plain words read without the tokenizer, and a command whose
# name is no wrapper read without the wrapper checks.
PLAIN_COMMANDS = True
# ... and a script of plain commands only (words, simple `$( )`, `&&`, `||`, `;`, `&`, `|` and
# newlines: a dense heredoc, a long continued RUN) tokenized, split and read in one short loop.
PLAIN_SCRIPTS = True
# ... and a block of such a script whose tokens repeat one unit (` && claude -v` over a long
# continued RUN: and_list, issue 18, r132) read a unit once, its words, places and operators
# copied for the rest, each place moved by the unit's width (_token_period finds the unit; the
# copy is exact where the unit leaves the loop as it found it and has no `$( )`: else it is read
# token by token). tests/test_periodic_tokens_fast.py compares it with the switch off.
PERIODIC_TOKENS = True
_PERIOD_MIN = 64  # tokens in a block, fewer read one by one
_PERIOD_MAX = 64  # tokens of a unit at most
_PERIOD_HEAD = 8  # tokens before the unit is looked for (a list's first command is often another)


def _token_period(tokens: list) -> tuple[int, int, int] | None:
    """(where a unit starts, its length, how many times it repeats) for the longest run of one unit
    from the _PERIOD_HEAD'th token of ``tokens`` (each a findall tuple), at least 4 times, ending
    within two units of the end; None where there is none."""
    i0 = _PERIOD_HEAD
    try:
        j = tokens.index(tokens[i0], i0 + 1, i0 + 1 + _PERIOD_MAX)
    except ValueError:
        return None
    p = j - i0
    k = (len(tokens) - i0) // p
    if k < 4 or tokens[i0 + p : i0 + 4 * p] != tokens[i0 : i0 + 3 * p]:
        return None  # (four units first: a block that repeats none copies no more than those)
    for _ in range(3):  # (a block's last unit is often cut short)
        if k < 4:
            return None
        if tokens[i0 + p : i0 + k * p] == tokens[i0 : i0 + (k - 1) * p]:
            return i0, p, k
        k -= 1
    return None


# Scripts nested deeper than this ($( ) in $( ), sh -c in sh -c, ...) are not read: no real script
# comes near it, and each level costs a pass over the text inside it.
MAX_NESTING = 64
# ... and all nested scripts together are at most this many times as long as the script (each
# is charged as it is queued: _Reader._queue, _Reader._affords) ...
NESTED_BUDGET = 2
# ... plus at most this many characters more (a value an ENV, an ARG or the RUN set, read where
# it runs), taken from the file's pool (start_file): all the RUNs of a file together take no
# more than NESTED_EXTRA plus NESTED_BUDGET times the file. Each RUN having its own extra made a
# value set once and run by every RUN (`ENV c=…` then thousands of `RUN eval "$c"`) take the
# value's length times the RUNs: 60 KB took 172 s and 1.5 GB.
NESTED_EXTRA = 65536
_POOL: list[int | None] = [None]  # what the file's RUNs may still take; None: no file started


def start_file(size: int, later: frozenset = frozenset()) -> None:
    """A new file of ``size`` characters is read: its RUNs share a new pool (see NESTED_EXTRA).
    ``later``: the command names whose RUNs a rule reads again after the first reading (kept
    compact: COMPACT_KEPT)."""
    global _LATER
    _POOL[0] = NESTED_EXTRA + NESTED_BUDGET * size
    _LATER = later
    end_file()  # (a file linted before that did not end: its compact scripts)


# Characters that need no attention inside an unquoted word: skipped in one regex step.
_PLAIN = re.compile(r"[^\s;&|()<>'\"\\$`]+")


# The common tokens in one regex step (a 10 MB script is mostly these); anything else (`$( )` in
# a word, backticks, redirections, a word starting with a digit) goes through
# the loop below. Named groups are the token kinds; the unnamed ones are skipped. _DQ: a
# double-quoted string with no `$( )` or backtick in it.
_DQ = r'"[^"\\$`]*(?:(?:\\[\s\S]|\$(?!\())[^"\\$`]*)*"'
_FAST = re.compile(
    # A token's match takes the blanks before it: one step a token, not two.
    r"[ \t\r]*(?:(?P<op>&&|\|\||;;|\|&|[;|&()])"
    # a word of plain characters, quoted strings, `$` not before `(` and escapes (no `$( )` or
    # backtick anywhere: those have bodies; nothing that could start a comment or redirection).
    # Each special piece starts with a character the plain runs lack: one way to match, linear.
    r"|(?P<word>(?:[^\s;&|()<>'\"\\$`#0-9]|'[^']*'|" + _DQ + r"|\$(?!\())[^\s;&|()<>'\"\\$`]*"
    r"(?:(?:'[^']*'|" + _DQ + r"|\$(?!\()|\\[\s\S])[^\s;&|()<>'\"\\$`]*)*"
    r"(?=[ \t\r\n;&|()<>]|\Z))"
    # a newline (the loop reads the heredoc bodies opened on its line, if any)
    r"|(?P<nl>\n)"
    # a word that is one `$( )` on one line with no quotes, parentheses or backslashes inside
    r"|(?P<sub>\$\([^()'\"\\`\n]*\)(?=[ \t\r\n;&|()<>]|\Z)))"
    # skipped: blanks before what the loop reads, a line continuation, a comment
    r"|(?:[ \t\r]+|\\\n|\#[^\n]*)"
    # anything else: the loop reads it. This empty last alternative makes the regex match at
    # every position, so that re.finditer walks the script token by token and never searches
    # ahead (tokenize also takes a regex that matches nowhere: the tests' general path).
    r"|(?P<slow>)"
)


# token_chunks' ``rows`` (the general reader's splitter alone reads them): after a list operator
# (`&&`, `||`, `;`), a simple command of plain words one blank apart that a list operator, a
# newline or the end follows (blanks and line continuations between) is one "row" token, its
# text the words as written: the op and the row one regex match, one token for the splitter to
# read, not one per word (a RUN of 600,000 commands, most `ln -s x claude; claude -v`: each word
# matched, made a Token and read by _Splitter._feed). A row's words are those _FAST gives one by
# one (its class of characters is a part of _FAST's word's; a digit, `#`, `{` or `}` never
# starts one); where the splitter would do more than record the command (_Splitter._feed), it
# reads them one by one (_row_tokens). tests/test_plain_rows_fast.py reads with it off too.
PLAIN_ROWS = True
_ROW_WORD = r"[^\s;&|()<>'\"\\$`#0-9{}][^\s;&|()<>'\"\\$`{}]*+"
_ROW_WORDS = _ROW_WORD + r"(?: " + _ROW_WORD + r")*+"
_ROW_PAIR = (
    r"(?:&&|\|\||;(?!;))[ \t]*+"
    + _ROW_WORDS
    # (a continuation after a blank: one right after a word is an escape in it, `a\<newline>b`)
    + r"(?=(?:[ \t]++\\\n(?:[ \t]*+\\\n)*+)?[ \t]*+(?:&&|\|\||;(?!;)|\n|\Z))"
)
# Rows one after another are one "rows" token (its text: the operators, the rows and what is
# between them), read in one loop by _Splitter._rows; _ROW_SPLIT gives its operators and rows.
_ROW = r"(?P<rows>" + _ROW_PAIR + r"(?:(?:[ \t\r]++|\\\n)*+" + _ROW_PAIR + r")*+)|"
_ROW_SPLIT = re.compile(r"(?:[ \t\r]++|\\\n)*+(&&|\|\||;)[ \t]*+(" + _ROW_WORDS + ")")
# _FAST with the row first among the tokens (after the blanks it takes before each).
# (Its blanks before a token take line continuations too: a continued line's `\` and newline,
# skipped by _FAST one match each, are the row's, or the token's, when one follows.)
assert _FAST.pattern.startswith("[ \\t\\r]*(?:(?P<op>")
_FAST_ROWS = re.compile(r"(?:[ \t\r]++|\\\n)*+(?:" + _ROW + _FAST.pattern[len("[ \\t\\r]*(?:") :])
# ... and (EVAL_PAIRS, a line with `eval` in it) after a `;`, an assignment of one double-quoted
# string and an eval of that variable, `NAME="…"; eval "$NAME"`, that a list operator, a newline
# or the end follows: up to EVAL_PAIRS_MAX such pairs one after another are one "evals" token
# (its text: the pairs and what is between them), one regex step a pair, read by
# _Splitter._evals: where the reader holds as many variables as it keeps, none of the name
# (_assign does nothing) and nothing makes _feed do more than note the items, the eval read as
# _feed hands it to _command; else its tokens one by one (_eval_pair_tokens: the two operators,
# the assignment, `eval`, the word). A RUN of 200,000 `eN="$c -v"; eval "$eN"` pairs (the
# eval_assigned shape) was tokenized a word at a time. tests/test_eval_pairs_fast.py compares
# the findings and the reader's records with it off.
EVAL_PAIRS = True
EVAL_PAIRS_MAX = 800  # (a token's pairs: _handing makes the words of one at a time, for the walk)
_EVAL_PAIR = (
    r";(?!;)[ \t]*+(?P<n>[A-Za-z_][A-Za-z0-9_]*+)="
    + _DQ
    + r"[ \t]*+;(?!;)[ \t]*+eval[ \t]++\"\$(?P=n)\""
    + r"(?=(?:[ \t]++\\\n(?:[ \t]*+\\\n)*+)?[ \t]*+(?:&&|\|\||;(?!;)|\n|\Z))"
)
_EVALS = (
    r"(?P<evals>"
    + _EVAL_PAIR
    + r"(?:(?:[ \t\r]++|\\\n)*+"
    + _EVAL_PAIR.replace("?P<n>", "?P<n2>").replace("(?P=n)", "(?P=n2)")
    + r"){0,%d}+)|" % (EVAL_PAIRS_MAX - 1)
)
_FAST_EVALS = re.compile(r"(?:[ \t\r]++|\\\n)*+(?:" + _EVALS + _ROW + _FAST.pattern[len("[ \\t\\r]*(?:") :])
# A pair of an "evals" token: its operators, the assignment (its name), `eval` and its word.
_EVAL_SPLIT = re.compile(
    r"(?:[ \t\r]++|\\\n)*+(;)[ \t]*+((?P<n>[A-Za-z_][A-Za-z0-9_]*+)="
    + _DQ
    + r")[ \t]*+(;)[ \t]*+(eval)[ \t]++(\"\$(?P=n)\")"
)
# A row's text -> its words, interned, and its command's name (_Reader._record_row).
_ROWS: dict[str, tuple[tuple[str, ...], str]] = {}
ROWS_INLINE = True  # _Splitter._rows records a row seen before itself (tests/test_plain_rows_fast.py turns it off)
# _Splitter._rows gives the commands of one row text in a "rows" token one argv list, as
# _read_plain gives a command repeated the list of the one before (nothing changes an argv), so
# that the rules' memos by the list (run_provides' files made: ARGV_REPEATS; AIS002's repeated
# calls) ask it once: the made-files benchmark's `ln -s x claude`, seven in each token of 16
# rows. A row met again in the token is recorded from what it held (its tests' answers: a plain
# command, held by _ROWS), without them. tests/test_made_files_fast.py compares the reader's
# records and the findings with it on and off.
ROWS_SHARED = True


class Token(NamedTuple):
    kind: str  # "word", "op", "redir", "sub" (a $( ) or backtick body), "row" (see PLAIN_ROWS)
    text: str  # as written
    a: int  # index into the scanned string
    b: int
    # For a `<<WORD` redirection: (body start, body end, end of the terminator line) once read.
    body: tuple[int, int, int] | None = None


class Command(NamedTuple):
    """One simple command: ``argv[0]`` is the executable, as the shell sees it."""

    argv: list[str]
    spans: list[tuple[int, int] | None]  # source spans of argv words
    start: int | None  # source span of the whole simple command
    end: int | None
    nested: bool  # inside ( ), { }, $( ), backticks, sh -c, or a control structure
    item: int  # index of the top-level list item (pipeline) it belongs to
    # Run through a package runner: True for one that may fetch it first (`npx -y X`),
    # PROJECT_RUNNER for one that runs the project's copy only (`yarn exec X`, `yarn X`).
    runner: bool | str = False
    # The executable's name (argv[0] after its last `/`), kept: rules read it a million times at
    # 10 MB. Every Command is made here, with it (_name gives it for an argv).
    name: str = ""


def _name(argv: list[str]) -> str:
    return argv[0].rsplit("/", 1)[-1] if argv else ""


class Script:
    __slots__ = (
        "commands",
        "items",
        "exact",
        "truncated",
        "tokens",
        "doc_tokens",
        "fed",
        "files_read",
        "unsure_names",
        "staged",
        "shape",
        "fed_line",
        "fed_key",
        "digit_walk",
    )

    def __init__(self, commands=None, items=None, exact: bool = True):
        self.commands: list[Command] = commands or []
        # Source spans of the top-level list items, in order (pipelines between ; && || & newline).
        self.items: list[tuple[int, int]] = items or []
        self.exact = exact  # False when spans could not be mapped back
        self.truncated = False  # True when scripts nested deeper than MAX_NESTING were not read
        # A plain RUN line's tokens (see _Reader._read_plain), kept for the status walk (which
        # reads them again, not the text: see failing_starts); None when not kept.
        self.tokens: _Line | None = None
        # ... and each heredoc body's read as a plain script as it is written (by the heredoc's
        # index), kept for the walk of the body (failing_starts); None when none was.
        self.doc_tokens: dict[int, _Line] | None = None
        # The RUN's heredocs read as scripts that the line runs: (where the body starts, the
        # line's top-level item that runs it: the shell fed it, `sh f` of a file written from it).
        # Their commands run then, not where the text has them (after the whole line).
        self.fed: list[tuple[int, int]] | None = None
        # Where a command names a file the RUN wrote that it runs (`sh s.sh`, `. ./s.sh`,
        # `./s.sh`): source starts of those words. What it runs was read as a script here.
        self.files_read: set[int] | None = None
        # Source spans of expansions naming a command whose value is not sure there (`[ -f x ] &&
        # c=claude; $c`: unset, or another value); None when none is.
        self.unsure_names: list[tuple[int, int]] | None = None
        self.staged: dict | None = None  # the stage's variables it was read with (analyse_run)
        # The status walk's memo key of the tokens kept (``tokens``, or ``doc_tokens[0]`` of `RUN
        # <<EOF`) as _plain_line worked it out reading them: (the first words and operators, the
        # indices of the first words), False where the memo is not for them (_walk_shape); None:
        # not worked out (the walk works it out from the tokens).
        self.shape: tuple | bool | None = None
        # _FED_LINE's match of the RUN's line (`RUN bash -e <<EOF`: a shell alone reading the RUN's
        # one heredoc on its stdin), False when the line is not one, None: not asked yet (fed_line).
        self.fed_line: re.Match | bool | None = None
        # (``fed_key``, set by _fed_plain alone, not here: failing_starts' FED_MEMO key of the RUN
        # but the shell's flags, the body's source offsets and the line's shell word's; see FED_KEYED.)
        # (``digit_walk``, set by DIGIT_READ alone, not here: the line's DIGIT_MEMO tokens' starts,
        # the texts of its key and their indices, which failing_starts takes.)


class _Mapped:
    """A string plus the source offset of each of its characters (None when unknown)."""

    __slots__ = ("s", "offsets")

    def __init__(self, s: str, offsets: list[int | None]):
        self.s = s
        self.offsets = offsets

    def span(self, a: int, b: int) -> tuple[int, int] | None:
        if a >= b:
            return None
        x, y = self.offsets[a], self.offsets[b - 1]
        if x is None or y is None:
            return None
        return x, y + 1


class _Spans:
    """The source spans of a command's words, computed when asked: a 10 MB script has a million
    words, and rules look at the spans of a handful of them. ``delta`` moves them all: the same
    RUN text elsewhere in the file is read once (see analyse_run)."""

    __slots__ = ("m", "words", "delta")

    def __init__(self, m: _Mapped, words: list[Token], delta: int = 0):
        self.m = m
        self.words = words
        self.delta = delta

    def moved(self, delta: int) -> _Spans:
        return _Spans(self.m, self.words, self.delta + delta)

    def _span(self, w: Token) -> tuple[int, int] | None:
        sp = self.m.span(w.a, w.b)
        if sp is None or not self.delta:
            return sp
        return sp[0] + self.delta, sp[1] + self.delta

    def _from(self, a: int, w: str) -> tuple[int, int] | None:
        """The span of the word ``w`` at ``a`` in ``m``, moved: m.span inlined (a rule reads the
        first word's span of each of a script's commands, 800,000 in an `&&` list)."""
        b = a + len(w)
        if a >= b:
            return None
        offsets = self.m.offsets
        x, y = offsets[a], offsets[b - 1]
        if x is None or y is None:
            return None
        delta = self.delta
        return (x + delta, y + 1 + delta) if delta else (x, y + 1)

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, k):
        if type(k) is int:
            # (_span and m.span inlined: rules read a command's first word's span several times
            # each, AIS002's installs, what the RUN provides, AIS003's finding.)
            w = self.words[k]
            a, b = w[2], w[3]
            if a >= b:
                return None
            offsets = self.m.offsets
            x, y = offsets[a], offsets[b - 1]
            if x is None or y is None:
                return None
            delta = self.delta
            return (x + delta, y + 1 + delta) if delta else (x, y + 1)
        if isinstance(k, slice):
            return [self._span(w) for w in self.words[k]]
        return self._span(self.words[k])

    def __iter__(self):
        return (self._span(w) for w in self.words)

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def __repr__(self) -> str:
        return repr(list(self))


class _SliceSpans(_Spans):
    """_Spans of ``words[lo:hi]`` without copying them: each wrapper in a row is a command of the
    words from it on (see _Reader._command), and a plain script's command is a run of its
    tokens (see _Reader._read_plain), which copied were a list again for each."""

    __slots__ = ("lo", "hi")

    def __init__(self, m: _Mapped, words: list[Token], lo: int, hi: int, delta: int = 0):
        super().__init__(m, words, delta)
        self.lo = lo
        self.hi = hi

    def moved(self, delta: int) -> _Spans:
        return _SliceSpans(self.m, self.words, self.lo, self.hi, self.delta + delta)

    def __len__(self) -> int:
        return self.hi - self.lo

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self._span(w) for w in self.words[self.lo : self.hi][k]]
        n = self.hi - self.lo
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError("_Spans index out of range")
        return self._span(self.words[self.lo + k])

    def __iter__(self):
        words = self.words
        return (self._span(words[i]) for i in range(self.lo, self.hi))


class _Line(NamedTuple):
    """A plain script's tokens as _Reader._read_plain reads them: each one's text (a word, or an
    operator: `&&` `||` `;` `|` `&` or a newline, one string for all) and where it starts in the
    script. Two flat lists, not a Token each: an `&&` list of 800,000 commands kept 2.3 million."""

    texts: list[str]
    starts: array
    ops: array  # the indices of the operators in texts


class _PlainSpans(_Spans):
    """_Spans of the words ``texts[lo : lo + n]`` of a plain script (a _Line's)."""

    __slots__ = ("starts", "lo", "n")

    def __init__(self, m: _Mapped, texts: list[str], starts: array, lo: int, n: int, delta: int = 0):
        self.m = m
        self.words = texts
        self.delta = delta
        self.starts = starts
        self.lo = lo
        self.n = n

    def moved(self, delta: int) -> _Spans:
        return _PlainSpans(self.m, self.words, self.starts, self.lo, self.n, self.delta + delta)

    def _at(self, i: int) -> tuple[int, int] | None:
        return self._from(self.starts[i], self.words[i])

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, k):
        if type(k) is int and 0 <= k < self.n:
            # (_at and _from inlined: a rule reads the first word's span of each of 800,000 commands)
            i = self.lo + k
            a = self.starts[i]
            b = a + len(self.words[i])
            if a >= b:
                return None
            offsets = self.m.offsets
            x, y = offsets[a], offsets[b - 1]
            if x is None or y is None:
                return None
            delta = self.delta
            return (x + delta, y + 1 + delta) if delta else (x, y + 1)
        if isinstance(k, slice):
            return [self._at(i) for i in range(self.lo, self.lo + self.n)[k]]
        n = self.n
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError("_Spans index out of range")
        return self._at(self.lo + k)

    def __iter__(self):
        return (self._at(i) for i in range(self.lo, self.lo + self.n))


# _read_plain's plain_name of a command's first word: the command before's answer, when its first
# word is the same and no file, alias or pipe is there (tests/test_reader_memo_fast.py turns it off).
PLAIN_NAME_MEMO = True
# _Reader._command's: whether plain_name names a command, by its first word, where no file, alias
# or pipe is there (what it answers then depends on the word alone), for the general reader's
# commands (a RUN of 600,000 commands has a few first words). tests/test_splitter_fast.py turns
# it off.
PLAIN_FIRSTS = True
_PLAIN_FIRSTS: dict[str, bool] = {}
_new_object = object.__new__


# _Reader._read_one's short way for memory: a `$( )` body of a plain script (_read_plain's, its
# text m.s[base:base + len(s)] of its script ``parent``, its offsets that slice of parent's) is
# a _Body; a command _record_plain records of it whose spans are _RowSpans holds the parent with
# its words' place moved by ``base`` (the same offsets), not the body: the body's _Mapped and
# offsets (a memoryview slice, ~230 bytes) go once it is read (300,000 bodies in a 10 MB RUN of
# `x=$(date +%s)`, the reassigned_substitutions benchmark). tests/test_body_spans_fast.py turns
# it off.
BODY_SPANS = True


class _RowSpans(_Spans):
    """_Spans of a few words (at most ROW_WORDS) written one blank apart from ``at`` in ``m``:
    nothing kept per word (a 10 MB script of such commands kept a Token, then a start, each)."""

    __slots__ = ("at",)

    def __init__(self, m: _Mapped, words: list[str], at: int, delta: int = 0):
        self.m = m
        self.words = words
        self.at = at
        self.delta = delta

    def moved(self, delta: int) -> _Spans:
        return _RowSpans(self.m, self.words, self.at, self.delta + delta)

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, k):
        words = self.words
        if k == 0 and words:
            # The word rules read most (AIS002 twice per finding, run_provides per file made):
            # self._from(self.at, words[0]) inline, no sum and no call (a RUN of 600,000
            # commands has 200,000 findings). (A slice is never equal to 0.)
            a = self.at
            b = a + len(words[0])
            if a >= b:
                return None
            offsets = self.m.offsets
            x, y = offsets[a], offsets[b - 1]
            if x is None or y is None:
                return None
            delta = self.delta
            return (x + delta, y + 1 + delta) if delta else (x, y + 1)
        if isinstance(k, slice):
            return list(self)[k]
        if k < 0:
            k += len(words)
        if not 0 <= k < len(words):
            raise IndexError("_Spans index out of range")
        return self._from(self.at + sum(map(len, words[:k])) + k, words[k])

    def __iter__(self):
        a = self.at
        for w in self.words:
            yield self._from(a, w)
            a += len(w) + 1


ROW_WORDS = 8  # (a word's span is a sum of the lengths before it: kept short)


def _popped(items: list):
    """The items of the reversed list ``items``, last first, each taken out of it as it is given."""
    pop = items.pop
    while items:
        yield pop()


class _Body(_Mapped):
    """A `$( )` body of a plain script: its _Mapped, and where it is in the script (BODY_SPANS)."""

    __slots__ = ("parent", "base")


def _backquoted(text: str, offsets) -> _Mapped:
    """The script a backquoted substitution's body ``text`` is: a backslash before `$`, a
    backquote or a backslash goes (`` `echo \\`claude -v\\`` `` runs `` echo `claude -v` ``:
    a substitution in it); any other stays."""
    out: list[str] = []
    offs: list = []
    i, n = 0, len(text)
    while i < n:
        j = text.find("\\", i)
        if j < 0 or j + 1 >= n:
            break
        out.append(text[i:j])
        offs.extend(offsets[i:j])
        if text[j + 1] in "$`\\":
            out.append(text[j + 1])
            offs.append(offsets[j + 1])
        else:
            out.append(text[j : j + 2])
            offs.extend(offsets[j : j + 2])
        i = j + 2
    out.append(text[i:])
    offs.extend(offsets[i:])
    return _Mapped("".join(out), offs)


def _line_tokens(line: _Line, lo: int, hi: int) -> list[Token]:
    """The word Tokens of ``line``'s tokens lo to hi (for the general paths)."""
    texts, starts, new = line.texts, line.starts, tuple.__new__
    return [new(Token, ("word", texts[k], starts[k], starts[k] + len(texts[k]), None)) for k in range(lo, hi)]


_CLOSE_STOP = re.compile(r"['\"\\]")  # what changes how parentheses count: quotes, a backslash
_PARENS = re.compile(r"[()]")
_DQ_SKIP = re.compile(r'[^"\\]*')  # inside double quotes: everything but the closer and a backslash
_FIRST_BLOCK = 64
# _find_close of a backquote finds the next backquote or backslash by a search, not a step per
# character (a heredoc of 1 MB with an odd backquote read a third of it in Python steps: issue 18).
# tests/test_backquote_close_fast.py compares it with the switch off.
BACKQUOTE_SEARCH = True
_BACKQUOTE_STOP = re.compile(r"[`\\]")


def _find_close(s: str, i: int, opener: str) -> int:
    """Index just after the closer matching ``$(`` / ``(`` (i is after the opener) or backtick.

    Unquoted text is counted a block at a time: a block with fewer ``)`` than the open depth
    cannot close it (a thousand nested ``$(`` are read in a few steps, not one per character)."""
    n = len(s)
    if opener == "`" and BACKQUOTE_SEARCH:
        search = _BACKQUOTE_STOP.search
        while (m := search(s, i)) is not None:
            i = m.start()
            if s[i] == "`":
                return i + 1
            i += 2  # (a backslash: the character after it is quoted)
        return n
    if opener == "`":
        while i < n:
            if s[i] == "\\":
                i += 2
                continue
            if s[i] == "`":
                return i + 1
            i += 1
        return n
    depth, size = 1, _FIRST_BLOCK
    while i < n:
        # A block up to the next quote or backslash, bigger each time: the work is in proportion
        # to the distance to the closer, however far it is.
        j = min(n, i + size)
        size = min(2 * size, 1 << 16)
        m = _CLOSE_STOP.search(s, i, j)
        stop = j if m is None else m.start()
        closes = s.count(")", i, stop)
        if closes < depth:
            depth += s.count("(", i, stop) - closes
        else:
            for p in _PARENS.finditer(s, i, stop):
                if s[p.start()] == "(":
                    depth += 1
                else:
                    depth -= 1
                    if depth == 0:
                        return p.start() + 1
        i = stop
        if m is None:
            continue
        c = s[i]
        if c == "\\":
            i += 2
        elif c == "'":
            k = s.find("'", i + 1)
            if k < 0:
                return n
            i = k + 1
        else:  # a double quote: to its closer, a backslash escaping the next character
            i += 1
            while True:
                i = _DQ_SKIP.match(s, i).end()
                if i >= n:
                    return n
                if s[i] == '"':
                    i += 1
                    break
                i += 2
    return n


def _sub_bodies(s: str, a: int, b: int, subs: list[Token]) -> None:
    """$( ) and backtick bodies in an unquoted heredoc body, where the shell expands them."""
    i = a
    while i < b:
        if s[i] == "\\":
            i += 2
            continue
        if s.startswith("$(", i) and not s.startswith("$((", i):
            end = min(_find_close(s, i + 2, "("), b)
            subs.append(Token("sub", s[i + 2 : max(i + 2, end - 1)], i + 2, max(i + 2, end - 1)))
            i = end
            continue
        if s[i] == "`":
            end = min(_find_close(s, i + 1, "`"), b)
            subs.append(Token("sub", s[i + 1 : max(i + 1, end - 1)], i + 1, max(i + 1, end - 1)))
            i = end
            continue
        i += 1


def _read_heredoc(s: str, i: int, delimiter: str, strip_tabs: bool) -> tuple[int, int, int]:
    """The body of a heredoc that starts at s[i] (just after the newline): (start, end, after the
    terminator line). An unterminated body runs to the end, as the shell reads it."""
    a = pos = i
    n = len(s)
    while pos < n:
        nl = s.find("\n", pos)
        end = n if nl < 0 else nl
        line = s[pos:end].rstrip("\r")
        if (line.lstrip("\t") if strip_tabs else line) == delimiter:
            return a, pos, end
        pos = end + 1
    return a, n, n


def tokenize(s: str) -> tuple[list[Token], list[Token]]:
    """Words and operators of ``s``; second list: bodies of $( ) and backticks (also inside words).

    The body of a ``<<WORD`` heredoc is data: it is skipped (its $( ) are kept when the
    shell expands it) and attached to the redirection token as ``body``."""
    subs: list[Token] = []
    return list(chain.from_iterable(token_chunks(s, subs))), subs


# Tokens token_chunks gives at a time (at least; a chunk ends where no heredoc body is pending).
TOKEN_CHUNK = 4096


def token_chunks(s: str, subs: list[Token], definitions: bool = False, rows: bool = False):
    """tokenize's tokens of ``s`` as lists of about TOKEN_CHUNK tokens, made as they are asked
    for (the bodies of $( ) and backticks added to ``subs`` on the way): a reader of the tokens
    in order holds a chunk, not the whole script (a 10 MB line is 4 million tokens, 550 MB).
    ``definitions``: a plain function definition where a command starts is one "def" token
    (see _definition), for the readers that take one (_Splitter, _StatusWalk._stream);
    ``rows``: a plain command after a list operator is one "row" token (see PLAIN_ROWS), for
    _Splitter."""
    tokens: list[Token] = []
    pending: list[tuple[int, str, bool, bool]] = []  # (redir token index, delimiter, <<-, expands)
    i, n = 0, len(s)
    finditer = _FAST_ROWS.finditer if rows and PLAIN_ROWS else _FAST.finditer
    if rows and PLAIN_ROWS and EVAL_PAIRS and "eval" in s:
        finditer = _FAST_EVALS.finditer
    new, append = tuple.__new__, tokens.append  # Token(...) without its Python-level __new__
    intern = sys.intern  # (one string per spelling: a 10 MB script repeats its words two million times)
    definition = _PLAIN_DEFINITION.match if definitions and PLAIN_DEFINITIONS and "(" in s else None
    paren = -1  # (the next `(` from where a definition was last tried: see _near)
    if definition is not None and (d := definition(s)) is not None and (t := _definition(d)) is not None:
        append(t)
        i = d.end()
    while i < n:
        if len(tokens) >= TOKEN_CHUNK and not pending:
            yield tokens
            tokens = []
            append = tokens.append
        # The common tokens, one regex match each, until one the loop has to read (a "slow"
        # match, empty, where it starts) or a newline that opens heredoc bodies.
        resume = -1
        for m in finditer(s, i):
            kind = m.lastgroup
            if kind is None:  # blanks, a line continuation, a comment
                continue
            if kind == "word":  # (the commonest token: its own branch, no operator's test)
                text = intern(m["word"])  # (m["word"]: m.group("word") without a method call)
                j = m.end()
                if text[-1] == "=" and s.startswith("(", j) and _ASSIGN.fullmatch(text):
                    resume = _array_end(s, j, subs)  # bash's `a=(x y)`: one word, data
                    append(new(Token, ("word", s[j - len(text) : resume], j - len(text), resume, None)))
                    break
                append(new(Token, ("word", text, j - len(text), j, None)))
                if len(tokens) >= TOKEN_CHUNK and not pending:
                    yield tokens  # (the redirections pending are indices into this list)
                    tokens = []
                    append = tokens.append
            elif kind == "rows":  # (no definition starts there: its name would be before a `(`)
                text = m["rows"]
                j = m.end()
                append(new(Token, ("rows", text, j - len(text), j, None)))
                if len(tokens) >= TOKEN_CHUNK and not pending:
                    yield tokens
                    tokens = []
                    append = tokens.append
            elif kind == "op":  # (no operator ends with `=`: no array assignment's test)
                text = intern(m["op"])
                j = m.end()
                append(new(Token, ("op", text, j - len(text), j, None)))
                if (
                    definition is not None
                    and text in _BEFORE_DEFINITION
                    # (_near's answer, its cached one inline: a call less per operator)
                    and (paren := paren if paren >= j else _near(s, j, paren)) - j < _DEF_REACH
                    and (d := definition(s, j)) is not None
                    and (t := _definition(d)) is not None
                ):
                    append(t)
                    resume = d.end()
                    break
                if len(tokens) >= TOKEN_CHUNK and not pending:
                    yield tokens  # (the redirections pending are indices into this list)
                    tokens = []
                    append = tokens.append
            elif kind == "nl":
                j = m.end()
                append(new(Token, ("op", "\n", j - 1, j, None)))
                if pending:
                    resume = _skip_heredoc_bodies(s, j, pending, tokens, subs)
                    pending = []
                    break
                if (
                    definition is not None
                    and (paren := paren if paren >= j else _near(s, j, paren)) - j < _DEF_REACH
                    and (d := definition(s, j)) is not None
                    and (t := _definition(d)) is not None
                ):
                    append(t)
                    resume = d.end()
                    break
            elif kind == "evals":
                text = m["evals"]
                j = m.end()
                append(new(Token, ("evals", text, j - len(text), j, None)))
                if not pending:
                    yield tokens  # (up to EVAL_PAIRS_MAX pairs: a chunk's worth of words)
                    tokens = []
                    append = tokens.append
            elif kind == "sub":  # as _word_end and _add_sub read it: the word, then its body
                text = m[kind]
                j = m.end()
                a = j - len(text)
                append(new(Token, ("word", text, a, j, None)))
                subs.append(new(Token, ("sub", s[a + 2 : j - 1], a + 2, j - 1, None)))
            else:
                i = m.end()  # (empty, and never after blanks: those are a match of their own)
                break
        # (No match at all from i is the general path's regex: the loop reads s[i].)
        if resume >= 0:
            i = resume  # after the heredoc bodies
            continue
        if i >= n:
            break
        c = s[i]
        if c in " \t\r":
            i += 1
        elif c == "\n":
            tokens.append(Token("op", "\n", i, i + 1))
            i = _skip_heredoc_bodies(s, i + 1, pending, tokens, subs)
            pending = []
        elif c == "#":
            i = _comment_end(s, i)
        elif c == "\\" and i + 1 < n and s[i + 1] == "\n":
            i += 2
        elif (op := _operator_at(s, i, c)) is not None:
            tokens.append(Token("op", op, i, i + len(op)))
            i += len(op)
        elif c in "<>" and s.startswith("(", i + 1):
            # bash's process substitution `<(CMD)`, `>(CMD)`: a word (a file name) whose body
            # runs beside the command, its status lost, as a `$( )` body's is.
            a = i
            i = _add_sub(s, i + 2, "(", subs)
            tokens.append(Token("word", s[a:i], a, min(i, n)))
        elif (k := _redirection_end(s, i)) is not None:
            _add_redirection(s, i, k, tokens, pending)
            i = k
        else:
            a = i
            i = _word_end(s, i, subs)
            if s.startswith("(", i) and _ASSIGN.fullmatch(s, a, i):
                i = _array_end(s, i, subs)  # bash's `a=(x y)`, `a+=(z)`: one word, data
            tokens.append(Token("word", s[a:i], a, min(i, n)))
    if tokens:
        yield tokens


# The reader hands the status walk the tokens of the RUN line it read last through token_chunks
# (at least HAND_MIN characters, no heredoc: a line that is no plain script, which the walk
# streams) when it is one of plain definitions (at least one token in HAND_DEFS of every chunk a
# "def": `fN() { echo hi; };` …, where a second tokenizing costs most, each definition matched
# and read again): the walk of that text replays them (_handed) rather than tokenize it again (a
# 10 MB line of them: a fifth of its lint). They are held packed (_pack: about 20 bytes a token,
# against 150 for a Token; a definition's body is its shape, shared), one line's at a time, and
# given once (the walk frees them as it replays them). Packing costs a line whose walk is never
# asked for (AIS002 asks for it only before an error): the other lines are not packed (a line of
# made files and harness calls, all unsure, paid 5 % for it). tests/test_handed_tokens.py
# compares the walk's findings with it off.
HAND_TOKENS = True
HAND_MIN = 4096
HAND_DEFS = 8  # (0: every line, tests/test_handed_tokens.py)
# ... or (HAND_EVALS) when each chunk of a line with `eval` in it is mostly `eval` commands (at
# least one word in HAND_DEFS an `eval`: `eN="$c -v"; eval "$eN";` …), a line whose walk AIS002
# asks for as it meets the first harness call an eval runs: its second tokenizing was a seventh
# of that line's lint (the eval_assigned shape), its packing and replay a third of that. Their
# words are held as their places alone, each text sliced from the line again as it is replayed
# (one string held for each word of a 10 MB line: 50 MB more at its peak).
# tests/test_hand_evals_fast.py compares the findings and the walk's answers with it off.
HAND_EVALS = True
_HANDED: list = [None]  # (the script's text, its packed chunks, PLAIN_DEFINITIONS then), or None
_KIND_CODES = {"word": 0, "op": 1, "def": 2, "redir": 3}
_CODE_KINDS = ("word", "op", "def", "redir")
_KIND, _TEXT, _START, _END = (itemgetter(k) for k in range(4))


def _handing(s: str, chunks):
    """token_chunks' ``chunks`` of ``s``, as they come, packed on the way: handed (_HANDED)
    once the last is read (a reading left before its end hands nothing, nor one with a chunk
    that is not mostly definitions: see HAND_TOKENS)."""
    _HANDED[0] = None  # (the one held before is freed first)
    packed: list | None = []
    evals = HAND_EVALS and "eval" in s
    for chunk in chunks:
        if packed is not None:
            kinds = list(map(_KIND, chunk))
            if ("rows" in kinds and _handable(chunk, kinds, evals)) or "evals" in kinds:
                # (The walk reads words: PLAIN_ROWS and EVAL_PAIRS are the splitter's. A chunk
                # not mostly definitions with each rows token one is none with its words: not made.)
                words = []
                for t in chunk:
                    if t[0] == "rows":
                        words += _rows_tokens(t)
                    elif t[0] == "evals":
                        words += _evals_tokens(t)
                    else:
                        words.append(t)
                kinds = list(map(_KIND, words))
            else:
                words = chunk
            if not _handable(words, kinds, evals) or (one := _pack(words, kinds, evals)) is None:
                packed = None  # (not mostly definitions, or a token it does not pack: nothing is handed)
            else:
                packed.append(one)
        yield chunk
    if packed is not None:
        _HANDED[0] = (s, packed, PLAIN_DEFINITIONS)


def _handable(chunk: list[Token], kinds: list[str], evals: bool) -> bool:
    """A chunk (``kinds``: its tokens') of a line whose tokens the reader hands: mostly
    definitions (HAND_DEFS), or (``evals``: HAND_EVALS, the line holds an `eval`) mostly evals."""
    if not HAND_DEFS or kinds.count("def") * HAND_DEFS >= len(kinds):
        return True
    return evals and list(map(_TEXT, chunk)).count("eval") * HAND_DEFS >= len(kinds)


def _pack(chunk: list[Token], kinds: list[str], sliced: bool = False) -> tuple | None:
    """A chunk of tokens (``kinds``: theirs) in a few flat sequences: their kinds (a byte each),
    texts, starts and ends, and their bodies in order (a definition's: its shape, where the body
    starts from its name, the name's length: its text is read back from the script); None for a
    chunk of a kind of token it does not know, or of an offset an int array does not hold.
    (Tuples of strings, ints and tuples: the collector stops tracking them.)"""
    try:
        codes = bytes(map(_KIND_CODES.__getitem__, kinds))
        starts = array("i", map(_START, chunk))
        ends = array("i", map(_END, chunk))
    except (KeyError, OverflowError):
        return None
    texts = list(map(_TEXT, chunk))
    if sliced:  # (HAND_EVALS: a word's text is the line's s[a:b], read back as it is replayed)
        texts = [None if c == 0 else x for c, x in zip(codes, texts)]
    bodies: list = []
    if 2 in codes or 3 in codes:
        append = bodies.append
        k = -1
        for t in chunk:
            k += 1
            kind = t[0]
            if kind == "def":
                texts[k] = None  # (s[a : a + len(name)]: a name held for each made the line 30 MB larger)
                shape, base = t[4]
                append(shape)
                append(base - t[2])
                append(len(t[1]))
            elif kind == "redir":
                append(t[4])
    return codes, tuple(texts), starts, ends, tuple(bodies)


def _unpack(s: str, packed: tuple) -> list[Token]:
    """_pack's chunk of ``s``, its tokens again."""
    codes, texts, starts, ends, bodies = packed
    new = tuple.__new__
    if not bodies:
        kinds = _CODE_KINDS
        return [
            new(Token, (kinds[c], s[a:b] if x is None else x, a, b, None))
            for c, x, a, b in zip(codes, texts, starts, ends)
        ]
    out = []
    append = out.append
    take = iter(bodies).__next__
    for c, x, a, b in zip(codes, texts, starts, ends):
        if c == 2:
            shape, base, length = take(), take(), take()
            append(new(Token, ("def", s[a : a + length], a, b, (shape, a + base))))
        elif c == 3:
            append(new(Token, ("redir", x, a, b, take())))
        else:
            append(new(Token, (_CODE_KINDS[c], s[a:b] if x is None else x, a, b, None)))
    return out


def _handed(s: str):
    """The chunks of token_chunks(s, [], True) the reader handed for ``s`` (see HAND_TOKENS), made
    as they are asked for; None when it handed none for that text."""
    held = _HANDED[0]
    if held is None or held[2] != PLAIN_DEFINITIONS or len(held[0]) != len(s) or held[0] != s:
        return None
    _HANDED[0] = None
    return _replay(s, held[1])


def _replay(s: str, packed: list):
    packed.reverse()  # (each chunk freed as it is replayed)
    while packed:
        yield _unpack(s, packed.pop())


# An assignment word before a `(`: bash's array assignment `a=(x y)`, `a[1]=(…)`, `a+=(z)`.
_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")


def _array_end(s: str, i: int, subs: list[Token]) -> int:
    """After the `(` at s[i] of an array assignment: the index after its `)`. Its elements are
    data; only their $( ) and backticks run (bodies to ``subs``)."""
    end = _find_close(s, i + 1, "(")
    _sub_bodies(s, i + 1, end, subs)
    return end


def _skip_heredoc_bodies(s: str, i: int, pending: list, tokens: list[Token], subs: list[Token]) -> int:
    """After a newline at s[i - 1]: the bodies of the heredocs opened on that line, in order, each
    attached to its redirection token; where reading goes on."""
    n = len(s)
    for idx, delimiter, strip_tabs, expands in pending:
        a, b, after = _read_heredoc(s, i, delimiter, strip_tabs)
        tokens[idx] = tokens[idx]._replace(body=(a, b, after))
        if expands:
            _sub_bodies(s, a, b, subs)
        i = min(n, after + 1) if after < n else n
    return i


def _comment_end(s: str, i: int) -> int:
    """The newline that ends the comment starting at s[i] (or the end)."""
    nl = s.find("\n", i)
    return len(s) if nl < 0 else nl


def _operator_at(s: str, i: int, c: str) -> str | None:
    """The control operator at s[i] (c is s[i]), longest first, if any."""
    return next((o for o in OPERATORS if s.startswith(o, i)), None) if c in "&|;()" else None


def _redirection_end(s: str, i: int) -> int | None:
    """End of a redirection operator at s[i] ([n]> >> < <& >& <<[-]), if there is one."""
    n = len(s)
    j = i
    while j < n and s[j].isdigit():
        j += 1
    if j < n and s[j] in "<>":
        k = j
        while k < n and s[k] in "<>&-|":
            k += 1
        return k
    return None


def _add_redirection(s: str, i: int, k: int, tokens: list[Token], pending: list) -> None:
    """The redirection s[i:k] (its target is not a command); a ``<<`` also queues its heredoc,
    whose delimiter is the next word and whose body starts after the next newline."""
    op = s[i:k].lstrip("0123456789")
    if op in ("<<", "<<-"):
        a = k
        while a < len(s) and s[a] in " \t":
            a += 1
        word = s[a : _delimiter_end(s, a)]
        if word:
            name = unquote(word) if '"' not in word or "\\" not in word else unquote_delimiter(word, _DQ_ESCAPES)
            pending.append((len(tokens), name, op == "<<-", not any(q in word for q in "'\"\\")))
    tokens.append(Token("redir", s[i:k], i, k))


# What a backslash quotes inside double quotes in a heredoc delimiter, as the shell removes quotes
# (`<<"E\\OF"` ends at a line `E\\OF`).
_DQ_ESCAPES = '$`"\\\n'


def _delimiter_end(s: str, e: int) -> int:
    """End of the heredoc delimiter word that starts at s[e]."""
    n = len(s)
    quote = None
    while e < n and (quote or s[e] not in " \t\r\n;&|()<>"):
        if quote and s[e] == quote:
            quote = None
        elif not quote and s[e] in "'\"":
            quote = s[e]
        elif s[e] == "\\":
            e += 1
        e += 1
    return e


def _word_end(s: str, i: int, subs: list[Token]) -> int:
    """End of the word starting at s[i] (may pass len(s) after a final backslash); the bodies of
    its $( ) and backticks go to ``subs``."""
    n = len(s)
    quote = None
    plain = _PLAIN.match
    while i < n:
        if quote is None:
            m = plain(s, i)
            if m:
                i = m.end()
                continue
        c = s[i]
        if quote == "'":
            if c == "'":
                quote = None
            i += 1
            continue
        if c == "\\":
            i += 2
            continue
        if c == "$" and s.startswith("$(", i):
            if s.startswith("$((", i):
                # Arithmetic (`$((1+1))`) is part of the word: its parentheses end nothing, and
                # only the $( ) and backticks inside it run. One whose inner `(` is not closed
                # right before the outer `)` is `$( (CMD) … )`, a command substitution.
                end = _find_close(s, i + 2, "(")
                if s.startswith("))", end - 2):
                    _sub_bodies(s, i + 3, end - 2, subs)
                    i = end
                    continue
            i = _add_sub(s, i + 2, "(", subs)
            continue
        if c == "`":
            i = _add_sub(s, i + 1, "`", subs)
            continue
        if quote == '"':
            if c == '"':
                quote = None
            i += 1
            continue
        if c in "'\"":
            quote = c
            i += 1
            continue
        if c in " \t\r\n;&|()<>":
            break
        i += 1
    return i


def _add_sub(s: str, a: int, opener: str, subs: list[Token]) -> int:
    """The body of a ``$(`` or backtick that starts at s[a] goes to ``subs`` (an unclosed one runs
    to the end); returns the index after its closer."""
    end = _find_close(s, a, opener)
    closer = ")" if opener == "(" else "`"
    body_end = end - 1 if end - 1 >= a and s[end - 1 : end] == closer else end
    subs.append(Token("sub", s[a:body_end], a, body_end))
    return end


# The characters _unquote_mapped copies as they are, in runs, outside quotes, inside '…' and
# inside "…": a long word (a 1 MB nest of `$(`) is copied a run at a time, not a character.
_PLAIN_RUN = re.compile(r"[^\\'\"]+")
_SINGLE_RUN = re.compile(r"[^']+")
_DOUBLE_RUN = re.compile(r'[^\\"]+')


# _unquote_mapped of a word whose value is one run of its text (`claude`, `"$e1"`, `'a b'`): the
# run's offsets as a slice of the script's (a range or an array where the script's are one, not a
# list of an int object each, kept as long as a command's spans are: tests/test_eval_walk_fast.py).
ONE_RUN = True


def _unquote_mapped(m: _Mapped, a: int, b: int) -> _Mapped:
    """The unquoted value of word s[a:b], with offsets."""
    s, offsets = m.s, m.offsets
    out: list[str] = []
    offs: list[int | None] = []
    quote, i = None, a
    while i < b:
        run = (_PLAIN_RUN if quote is None else _SINGLE_RUN if quote == "'" else _DOUBLE_RUN).match(s, i, b)
        if run is not None:
            j = run.end()
            if ONE_RUN and not out and (j == b or j + 1 == b and quote is not None and s[j] == quote):
                # The value is this run alone (up to the end, or its closing quote there).
                return _Mapped(s[i:j], offsets[i:j])
            out.append(s[i:j])
            offs.extend(offsets[i:j])
            i = j
            continue
        c = s[i]
        if quote == "'":
            quote = None  # (c is the closing quote: a run took everything else)
        elif c == "\\" and i + 1 < b and (quote is None or s[i + 1] in '"\\$`\n'):
            out.append(s[i + 1])
            offs.append(offsets[i + 1])
            i += 1
        elif quote is None and c in "'\"":
            quote = c
        elif c == quote:
            quote = None
        else:
            out.append(c)
            offs.append(offsets[i])
        i += 1
    return _Mapped("".join(out), offs)


def long_option(opt: str, names: frozenset) -> str:
    """The long option getopt_long reads ``opt`` as: itself when it is one of ``names``, else the
    one name it abbreviates (`--sig` is `--signal`, `--he` is `--help`); an abbreviation of
    several, or of none, is left as it is (the tool refuses an ambiguous one: the build fails)."""
    if opt in names:
        return opt
    found = [n for n in names if n.startswith(opt)]
    return found[0] if len(found) == 1 else opt


_LONG_NAMES: dict = {}


def _long_names(spec) -> frozenset:
    """The long options a Wrapper or StringOption knows (those an abbreviation may stand for)."""
    names = _LONG_NAMES.get(spec)
    if names is None:
        if isinstance(spec, Wrapper):
            names = spec.value_long | spec.no_run_long | spec.status_long | spec.shell_long | spec.other_long
            names |= spec.optional_long
            if spec.long_arity:
                names |= {o for o, _ in spec.long_arity}
        else:
            names = spec.long | spec.value_long | {o for o in spec.no_run if o.startswith("--")}
        _LONG_NAMES[spec] = names
    return names


# The short options of each wrapper whose table is its whole list: getopt refuses any other letter.
_KNOWN_SHORT = {
    n: w.value_short + w.no_run_short + w.status_short + w.shell_short + w.other_short + w.optional_short
    for n, w in WRAPPERS.items()
    if w.complete
}


# The letters of each wrapper whose other options may be the tool's (Wrapper.unsure_other).
_OWN_SHORT = {
    n: w.value_short + w.no_run_short + w.status_short + w.shell_short + w.other_short + w.optional_short
    for n, w in WRAPPERS.items()
    if w.unsure_other
}
_LONG_ARITY = {n: dict(w.long_arity) for n, w in WRAPPERS.items() if w.long_arity}


# The wrappers whose command, when no option follows them, comes right after their operands
# (`timeout 5 x`; not `setarch ARCH`, `runuser -u`): (operands, NAME=value words before it, the
# kind of value of the first, the one it checks: `timeout 5x x` runs nothing).
_OPTIONLESS = {
    n: (w.operands, w.assignments, w.operand_values[0] if w.operand_values else "")
    for n, w in WRAPPERS.items()
    if not w.leading and not w.needs and len(w.operand_values) < 2
}


_NICE_NUMBER = re.compile(r"-[-+]?[0-9]+")
# `-+$N`, `--"$N"`, `--`…``: an adjustment if the expansion gives digits (`-+5`), else an option
# nice refuses or reads (`--help`): not known, as `-$N` is not.
_NICE_EXPANDED = re.compile(r"-[-+][$`]")


def _name_at(words: list[Token], k: int) -> str:
    """The command name words[k] spells, unquoted, without its directory."""
    return unquote(words[k].text).rsplit("/", 1)[-1]


def _skip_wrapper(name: str, words: list[Token], k: int) -> int | None:
    """Index of the wrapped command's word after wrapper ``name`` at words[k], or None when the
    wrapper does not run one (`command -pv X` looks X up, `sudo -l X` lists, `env -S` splits)."""
    return _wrapper_walk(name, words, k, True)[0]


# A command's wrappers met again with the same words after them (a chain of `sudo -u x env A=1
# nice -n 5 …`, its wrappers in turn) are walked once (WRAPPER_MEMO): _skip_wrapper reads the
# words from the wrapper's to the command's (and at most one after it: an operand's kind), none
# before it nor past that, so its answer is the one before, moved, where the _WRAPPER_WORDS words
# from the wrapper's on are the same and the command's word is two before their end. Kept for one
# command (_Reader._command's ``walked``), of no quote or backslash (its texts as they are; nor
# is each wrapper's word, or the one after it, searched for one there).
# tests/test_wrapper_memo_fast.py compares with it off.
WRAPPER_MEMO = True
_WRAPPER_WORDS = 8


def _skip_walked(name: str, words: list[Token], k: int, texts: list[str], walked: dict) -> int | None:
    """_skip_wrapper(name, words, k), from ``walked`` (the command's answers, by the words from
    the wrapper's on) where met before (WRAPPER_MEMO)."""
    key = tuple(texts[k : k + _WRAPPER_WORDS])
    got = walked.get(key)
    if got is not None:
        return k + got
    nxt = _skip_wrapper(name, words, k)
    if nxt is not None and nxt - k < _WRAPPER_WORDS - 2 and len(walked) < 256:
        walked[key] = nxt - k
    return nxt


def _wrapper_walk(name: str, words, k: int, tokens: bool = False) -> tuple[int | None, str, list[str]]:
    """_skip_wrapper's answer for ``words`` (tokens, or unquoted texts), with the short options
    and the long ones given before the command (`xargs -r` may run nothing), and UNSURE_VALUE
    among the letters where a value it checks may be refused (an expansion gives it)."""
    if name == "sudo":
        return _sudo_walk(words, k, tokens)
    spec = WRAPPERS[name]
    seen = ""
    longs: list[str] = []  # (a list: adding to a tuple copied it, quadratic in the options)
    kinds = _VALUE_KINDS_OF.get(name)  # (None: it checks no value)
    values: list[tuple[str, str]] = []  # (kind, value) of the options given, in order
    unsure = False  # (an option an expansion spells, `nice -"$N"`: its letters are not known)
    known = _KNOWN_SHORT.get(name)  # (None: the table is not the tool's whole list)
    own = _OWN_SHORT.get(name)  # (None: no option it lacks may be the tool's, Wrapper.unsure_other)
    k += 1
    if spec.leading and k < len(words) and not (unquote(words[k].text) if tokens else words[k]).startswith("-"):
        k += spec.leading  # `setarch ARCH -R cmd`; `setarch --list`, `setarch -R cmd` name none
    while k < len(words):
        w = unquote(words[k].text) if tokens else words[k]
        if w == "--":
            k += 1
            break
        if name == "nice" and (_NICE_NUMBER.match(w) or _NICE_EXPANDED.match(w)):
            # nice reads `-N`, `--N`, `-+N` as its adjustment (N) before getopt; the last one
            # given counts (`nice -5x -5 cmd` runs it).
            values.append((kinds["n"], w[1:]))
            k += 1
            continue
        if w.startswith("--") and len(w) > 2:
            names = _long_names(spec)
            opt = long_option(w.split("=", 1)[0], names)
            if opt in spec.no_run_long or opt == "--split-string" or (known is not None and opt not in names):
                return None, seen, longs  # (an option it refuses: unknown or ambiguous)
            if "=" in w and spec.complete and opt not in spec.value_long and opt not in spec.optional_long:
                return None, seen, longs  # (`--verbose=1`: it takes no value, refused)
            longs.append(opt)
            step = 2 if opt in spec.value_long and "=" not in w else 1
            if own is not None and opt not in names:
                unsure = True  # (maybe the tool's, maybe taking the next word)
            elif own is not None and spec.long_arity and opt in _LONG_ARITY[name]:
                step = 1 + _LONG_ARITY[name][opt]  # (`bwrap --bind SRC DEST`)
            if kinds is not None and opt in kinds and ("=" in w or step == 2 and k + 1 < len(words)):
                value = w.split("=", 1)[1] if step == 1 else words[k + 1]
                values.append((kinds[opt], unquote(value.text) if step == 2 and tokens else value))
            k += step
            continue
        if w.startswith("-") and len(w) > 1:
            step = 1
            for i, ch in enumerate(w[1:]):  # a cluster: `-iu node`, `-unode`, `-pv`
                seen += ch
                if ch in spec.no_run_short or (name == "env" and ch == "S"):
                    return None, seen, longs
                if known is not None and ch not in known:
                    if ch in "$`":
                        unsure = True
                        break
                    return None, seen, longs  # (a letter it refuses)
                if own is not None and ch not in own:
                    unsure = True  # (maybe the tool's, maybe taking the rest or the next word)
                    break
                if ch in spec.value_short:
                    step = 2 if i == len(w) - 2 else 1  # the value is the next word, or the rest
                    if kinds is not None and ch in kinds and (step == 1 or k + 1 < len(words)):
                        value = w[i + 2 :] if step == 1 else words[k + 1]
                        values.append((kinds[ch], unquote(value.text) if step == 2 and tokens else value))
                    break
                if ch in spec.optional_short:
                    if kinds is not None and ch in kinds and i < len(w) - 2:
                        values.append((kinds[ch], w[i + 2 :]))
                    break  # (the rest of the word is its value, if any)
            k += step
            continue
        if name == "env" and w == "-":
            k += 1
            continue
        break
    if spec.assignments:
        # NAME=value words, after the options (and a `--`), then the command: getopt stopped at
        # the first (`env A=1 -- x` runs a program named `--`).
        while k < len(words) and "=" in (w := unquote(words[k].text) if tokens else words[k]) and w[0] != "=":
            k += 1
    if spec.needs and not spec.needs_long.intersection(longs) and not any(ch in seen for ch in spec.needs):
        return None, seen, longs
    for one, other in spec.incompatible:
        if (one[0] in seen or one[1] in longs) and (other[0] in seen or other[1] in longs):
            return None, seen, longs  # (`flock -F -o`: refused)
    if kinds is not None:
        tolerant = spec.tolerant_short and (
            any(ch in seen for ch in spec.tolerant_short) or not spec.tolerant_long.isdisjoint(longs)
        )
        for kind, value in values[-1:] if spec.last_value else values:
            verdict = check_value(kind, value)
            if verdict is False:
                return None, seen, longs  # (`timeout -s FOO`, `nice -n x`: refused, nothing runs)
            if verdict is None and tolerant and "$" not in value and "`" not in value:
                continue  # (`ionice -t -c 1`: a refused setting is ignored)
            unsure = unsure or verdict is None
        if spec.operand_values:
            verdict = _operands_verdict(_operand_kinds(spec, seen, longs), words, k, tokens)
            if verdict is False:
                return None, seen, longs  # (`timeout 5x`, `taskset zz`)
            unsure = unsure or verdict is None
    if unsure:
        seen += UNSURE_VALUE
    k += spec.operands  # the duration, the new root, the lock file, the user
    return (k if k < len(words) else None), seen, longs


def _operands_verdict(kinds: tuple, words, k: int, tokens: bool) -> bool | None:
    """check_value's answer for the operands at words[k:], of ``kinds`` ("": not checked): False
    where one is refused, None where one may be."""
    verdict: bool | None = True
    for place, kind in enumerate(kinds):
        if kind and k + place < len(words):
            word = words[k + place]
            found = check_value(kind, unquote(word.text) if tokens else word)
            if found is False:
                return False
            verdict = verdict and found
    return verdict


def _operand_kinds(spec: Wrapper, seen: str, longs: list[str]) -> tuple:
    """The kinds of value of ``spec``'s operands, with the options given (`taskset -c`)."""
    kinds = spec.operand_values
    for spellings, place, kind in spec.retype:
        if any(o in seen if len(o) == 1 else o in longs for o in spellings):
            kinds = (*kinds[:place], kind, *kinds[place + 1 :])
    return kinds


# sudo 1.9's options, as its src/parse_args.c reads them (Debian 12's 1.9.13: built with SELinux,
# without BSD auth or login classes). getopt's string: a letter followed by `:` takes a value
# (attached, `-unode`, or the next word), by `::` an attached one only; `+`: the options end at
# the first word that is not one.
SUDO_SHORT = "+Aa:BbC:c:D:Eeg:Hh::iKklNnPp:R:r:SsT:t:U:u:Vv"
# Its long options: the letter each stands for, and whether it takes a value (0: none, 1: one,
# attached with `=` or the next word, 2: attached only). `--host` is `-h` with a value.
SUDO_LONG = {
    "--background": ("b", 0), "--preserve-env": ("E", 2), "--edit": ("e", 0), "--set-home": ("H", 0),
    "--login": ("i", 0), "--remove-timestamp": ("K", 0), "--list": ("l", 0), "--preserve-groups": ("P", 0),
    "--shell": ("s", 0), "--other-user": ("U", 1), "--validate": ("v", 0), "--askpass": ("A", 0),
    "--auth-type": ("a", 1), "--bell": ("B", 0), "--close-from": ("C", 1), "--login-class": ("c", 1),
    "--chdir": ("D", 1), "--group": ("g", 1), "--help": ("h", 0), "--host": ("h", 1),
    "--reset-timestamp": ("k", 0), "--no-update": ("N", 0), "--non-interactive": ("n", 0),
    "--prompt": ("p", 1), "--chroot": ("R", 1), "--role": ("r", 1), "--stdin": ("S", 0),
    "--command-timeout": ("T", 1), "--type": ("t", 1), "--user": ("u", 1), "--version": ("V", 0),
}  # fmt: skip
_SUDO_NAMES = frozenset(SUDO_LONG)
_SUDO_LETTERS = SUDO_SHORT.replace(":", "").lstrip("+")
_SUDO_VALUE = "".join(re.findall(r"(\w):(?!:)", SUDO_SHORT))  # (`h::`: an attached value only)
_SUDO_MODES = ("e", "K", "l", "v", "V", "?h")  # modes other than running a command (`?h`: the help)
# Its mode flags (`L`: the long list, `-l` twice), and those each mode takes (none: any other).
_SUDO_FLAGS = frozenset("bEHinPsL")
_SUDO_VALID_FLAGS = {"": "bEHinPs", "e": "n", "l": "nL", "v": "n"}
_SUDO_ONCE = "CDghpRrtTuU"  # settings given at most once (`h`: the remote host)
_SUDO_NOT_EMPTY = "DgRrtuU"  # settings whose value may not be empty (the host's too, given as a value)
_SUDO_CHECKED = _SUDO_NOT_EMPTY + "Ch"  # settings whose value it checks (an expansion's: not sure)
_SUDO_UNBUILT = "ac"  # BSD auth type, login class: not built on Linux, `default: usage()`
_SUDO_CLOSE_FROM = re.compile(r"[ \t\n\v\f\r]*\+?0*([0-9]{1,10})")  # (C's isspace, a sign, digits)
_INT_MAX = 2**31 - 1


def _sudo_walk(words, k: int, tokens: bool) -> tuple[int | None, str, list[str]]:
    """_wrapper_walk's answer for `sudo` at words[k]: its command where sudo runs one (sudo_parse),
    the letters given (long options as theirs), with `?` where none runs."""
    mode, at, letters = sudo_parse(_Unquoted(words) if tokens else words, k)
    return (at, letters, []) if mode == "run" else (None, letters + "?", [])


def sudo_parse(texts, k: int) -> tuple[str, int | None, str]:
    """How sudo 1.9's parse_args reads the words after `sudo` at texts[k] (unquoted texts):
    getopt_long's letters, clusters, values and abbreviations, NAME=value words among them, and
    every check that ends in its usage message (a value empty or given twice, `-C` below 3, two
    modes, `-i` with `-s` or `-E`, `-U` without `-l`, `-A` with `-S`, `-k` with `-N`, a command
    after `-v`, `-K`, `-V`, `-h`), so that a command it names is one sudo gets as far as. The
    mode ("usage": refused; "run"; "?h": the help; "k": `-k` alone; else the mode's letter,
    `l`, `v`, `e`, `K`, `V`), the index of the command (None: none, or not run), and the letters
    given (long options as theirs; UNSURE_VALUE last where an expansion gives a value it checks,
    `-u "$U"`: maybe empty); tests/test_ais002_sudo_parse_args.py checks it against the
    real binary's transcript."""
    n = len(texts)
    seen: list[str] = []
    mode = ""  # one of _SUDO_MODES, or running a command
    given: set = set()  # settings given, `k` for the timestamp ignored, `E` to keep the whole environment
    unsure = ""  # UNSURE_VALUE where an expansion gives a value it checks (`-u "$U"`: empty?)
    i = k + 1
    while i < n:
        w = texts[i]
        if w == "--":
            i += 1
            break
        if w[:1] != "-" or w == "-":
            if "=" in w and w[0] not in "/=" and not (i > k + 1 and texts[i - 1] == "--"):
                given.add("=")
                i += 1  # NAME=value: an environment variable (but not after a `--`, a value's too)
                continue
            break
        i += 1
        opts: list[tuple[str, str | None]] = []
        if w[1] == "-":
            name, eq, value = w.partition("=")
            name = long_option(name, _SUDO_NAMES)
            if name not in SUDO_LONG or eq and SUDO_LONG[name][1] == 0:
                return "usage", None, "".join(seen)  # unknown, ambiguous, or a value it takes none
            ch, takes = SUDO_LONG[name]
            if takes == 1 and not eq:
                if i == n:
                    return "usage", None, "".join(seen)
                value, i = texts[i], i + 1
            opts.append((ch, value if eq or takes == 1 else None))
        else:
            for j in range(1, len(w)):  # a cluster: `-iu node`, `-unode`, `-hHOST`
                ch = w[j]
                if ch not in _SUDO_LETTERS:
                    return "usage", None, "".join(seen)
                if ch in _SUDO_VALUE or ch == "h":
                    value = w[j + 1 :]
                    if not value and ch != "h":
                        if i == n:
                            return "usage", None, "".join(seen)
                        value, i = texts[i], i + 1
                    opts.append((ch, value or None if ch == "h" else value))
                    break
                opts.append((ch, None))
        for ch, value in opts:
            seen.append(ch)
            if ch == "h" and value is None:
                nxt = texts[i] if i < n else "-"
                if w == "-h" and nxt[:1] != "-" and not ("=" in nxt and nxt[0] not in "/="):
                    value, i = nxt, i + 1  # `-h HOST`: the next word is the remote host (empty too)
                else:
                    ch = "?h"  # the help
            if (
                ch in _SUDO_UNBUILT
                or (ch in _SUDO_ONCE and ch in given)
                or (ch in _SUDO_NOT_EMPTY and value == "")
                or (ch == "h" and value == "" and w != "-h")
                or (ch == "C" and "$" not in value and not _sudo_close_from(value))
                or (ch == "E" and value is not None and any("=" in v for v in value.split(",")))
                or (ch in _SUDO_MODES and mode and mode != ch)
                or (ch in "kK" and "N" in given)
                or (ch == "N" and "k" in given)
            ):
                return "usage", None, "".join(seen)
            if value and ch in _SUDO_CHECKED and ("$" in value or "`" in value):
                unsure = UNSURE_VALUE
            if ch in _SUDO_MODES:
                given.add("L" if mode == ch == "l" else ch)  # (`-ll`: the long list)
                mode = ch
            given.add("k" if ch == "K" else "E=" if ch == "E" and value is not None else ch)
    command = i < n
    if not mode and "k" in given and not command and not given.intersection("si"):
        mode = "k"  # `sudo -k` alone removes the timestamp
    if (
        given.intersection(_SUDO_FLAGS).difference(_SUDO_VALID_FLAGS.get(mode, ""))
        or ("i" in given and ("s" in given or "E" in given))
        or (given.intersection("ug") and mode not in ("", "e", "v") and not (mode == "l" and command))
        or ("U" in given and mode != "l")
        or ("A" in given and "S" in given)
        or (mode == "e" and ("=" in given or not command))
        or (command and mode not in ("", "e", "l"))
    ):
        return "usage", None, "".join(seen)
    return mode or "run", (i if command else None), "".join(seen) + unsure


def _sudo_close_from(value: str) -> bool:
    """sudo_strtonum reads ``value`` as a number from 3 to INT_MAX (`sudo -C`)."""
    m = _SUDO_CLOSE_FROM.fullmatch(value)
    return m is not None and 3 <= int(m.group(1)) <= _INT_MAX


def _xargs_lines(m: _Mapped, words: list[Token], k: int, nxt: int, stdin: list[tuple]) -> list[_Mapped] | None:
    """The command lines `xargs` at words[k] runs (its command at words[nxt]) with the input
    ``stdin`` (text the RUN wrote): with `-I R` (`-i`, `--replace`), one per input line, R in
    its words replaced by the line; else the input's words after its command, `-n N` of them a
    time. At most _VALUES_MAX lines (those that name a harness kept); None where the input is
    not read so (`-0`, `-d`, `-a`, `-L`, quotes or backslashes in it: xargs reads those)."""
    text = "".join(src[1].s for src in stdin)
    offsets: list = []
    for src in stdin:
        offsets.extend(src[1].offsets)
    if "'" in text or '"' in text or "\\" in text:
        return None
    replace = None
    per = 0
    j = k + 1
    while j < nxt:
        w = unquote(words[j].text)
        if w == "--":
            break
        if w.startswith("--"):
            opt, eq, value = w.partition("=")
            opt = long_option(opt, _long_names(WRAPPERS["xargs"]))
            if opt == "--replace":
                replace = value if eq else "{}"
            elif opt == "--max-args":
                per = int(value) if eq and value.isdigit() else -1
            elif opt in ("--null", "--delimiter", "--arg-file", "--max-lines"):
                return None
        elif w.startswith("-") and len(w) > 1:
            ch = w[1]
            rest = w[2:] or (unquote(words[j + 1].text) if ch in "ILnPdasE" and j + 1 < nxt else "")
            if ch == "I":
                replace = rest
            elif ch == "i":
                replace = w[2:] or "{}"
            elif ch == "n":
                per = int(rest) if rest.isdigit() else -1
            elif ch in "0dLaE" or not all(c in "rtpx" for c in w[1:]) and ch not in "sP":
                return None
            if ch in "ILnPdasE" and not w[2:]:
                j += 1
        j += 1
    if per < 0 or replace == "":
        return None
    tail = [(words[i].text, m.offsets[words[i].a : words[i].b]) for i in range(nxt, len(words))]
    items: list[tuple[str, list]] = []
    if replace is not None:
        start = 0
        for line in text.split("\n"):
            stripped = line.lstrip(" \t")
            lead = len(line) - len(stripped)
            if stripped:
                items.append((stripped, offsets[start + lead : start + len(line)]))
            start += len(line) + 1
    else:
        for found in re.finditer(r"[^ \t\n]+", text):
            items.append((found.group(), offsets[found.start() : found.end()]))
    if not items:
        return None
    if replace is None:
        size = per or len(items)
        groups = [items[i : i + size] for i in range(0, len(items), size)]
    else:
        groups = [[item] for item in items]
    lines = []
    for group in _capped(groups, lambda g: " ".join(item[0] for item in g)):
        s, offs = [], []
        for word, word_offs in tail:
            if replace is not None and replace in word:
                line, line_offs = group[0]
                pieces = word.split(replace)
                for i, piece in enumerate(pieces):
                    at = sum(len(p) for p in pieces[:i]) + i * len(replace)
                    s.append(piece)
                    offs.extend(word_offs[at : at + len(piece)])
                    if i + 1 < len(pieces):
                        s.append(line)
                        offs.extend(line_offs)
            else:
                s.append(word)
                offs.extend(word_offs)
            s.append(" ")
            offs.append(None)
        if replace is None:
            for word, word_offs in group:
                s.append(word)
                offs.extend(word_offs)
                s.append(" ")
                offs.append(None)
        lines.append(_Mapped("".join(s), offs))
    return lines


def _starts_shell(name: str, words: list[Token], k: int) -> bool:
    """Wrapper ``name`` at words[k], which names no command, starts a shell that reads its stdin:
    one of its shell options (Wrapper.shell_short/shell_long) is given, none that runs nothing."""
    spec = WRAPPERS[name]
    nxt, seen, longs = _wrapper_walk(name, words, k, True)
    if nxt is not None or any(ch in spec.no_run_short for ch in seen) or spec.no_run_long.intersection(longs):
        return False
    return any(ch in spec.shell_short for ch in seen) or not spec.shell_long.isdisjoint(longs)


def status_lost(argv: list[str]) -> bool:
    """The command (argv, unquoted, as Command.argv) runs a command (or a string) whose exit
    status does not surely become its own, or may not run it at all: `find -exec`, `trap`,
    `xargs -r`/`-I` (no input: nothing runs), `setsid` without `-w`, `sudo -b`, `script -c`
    without `-e` (tests/test_status_lost.py judges them with the real tools), a wrapper given a
    value it checks by an expansion (`timeout "$T"`, `sudo -u "$U"`: it may refuse it)."""
    name = _name(argv)
    if name in ("find", "trap"):
        return True
    if name == "script":
        at = _string_option(STRING_OPTIONS["script"], argv, 0)
        return at is None or not ("e" in at[2] or "--return" in at[3])
    spec = WRAPPERS.get(name)
    if spec is None or name not in _STATUS_NAMES:
        return False
    _, seen, longs = _wrapper_walk(name, argv, 0)
    if UNSURE_VALUE in seen:
        return True  # (`timeout "$T" CMD`: the value may be refused, CMD not run)
    flipped = any(ch in spec.status_short for ch in seen) or any(o in spec.status_long for o in longs)
    return flipped if spec.carries else not flipped


def _runuser_user(words: list[Token], k: int) -> bool:
    """`runuser -u USER …` (its command follows, or there is none), not `runuser USER` (a shell)."""
    _, seen, longs = _wrapper_walk("runuser", words, k, True)
    return "u" in seen or "--user" in longs


def _operands(spec: StringOption, words, k: int) -> list[int]:
    """The indices of the operands of the command at words[k] whose options getopt permutes
    (`su root -l -- -c x`: root, -c, x), a leading `-` (su's login) left out."""
    out: list[int] = []
    j, n = k + 1, len(words)
    while j < n:
        w = words[j]
        if w == "--":
            out.extend(range(j + 1, n))
            break
        if w.startswith("--"):
            j += 2 if w in spec.value_long else 1
        elif len(w) > 1 and w[0] == "-":
            j += 1
            for i, ch in enumerate(w[1:], 2):
                if ch in spec.value_short:
                    j += i == len(w)
                    break
        else:
            if not (w == "-" and not out):
                out.append(j)
            j += 1
    return out


class StringOption(NamedTuple):
    """How a command takes a command line as the value of an option (`env -S STRING`, `su -c
    STRING`, `script -c STRING`), read as getopt reads it: the value attached (`-S'claude -v'`,
    `--split-string=…`) or the next word, the letter last in a cluster (`-qc STRING`, `-iS…`)."""

    short: str  # letters whose value is the command line
    long: frozenset  # long options whose value it is
    value_short: str = ""  # the tool's other short options that take a value
    value_long: frozenset = frozenset()
    optional_short: str = ""  # short options with an optional value (attached only: `script -tFILE`)
    permute: bool = False  # options may follow operands (GNU getopt without `+`: `su node -c STRING`)
    no_run: frozenset = frozenset()  # options with which it runs nothing (`env -0`, `--help`)


_SU = StringOption(
    "c",
    frozenset({"--command", "--session-command"}),
    "sgGwu",
    frozenset({"--shell", "--group", "--supp-group", "--whitelist-environment", "--user"}),
    permute=True,
    no_run=frozenset({"h", "V", "--help", "--version"}),
)
STRING_OPTIONS = {
    # env stops at its first operand (`env A=1 -S x` runs a command named `-S`).
    "env": StringOption(
        "S",
        frozenset({"--split-string"}),
        "uC",
        frozenset({"--unset", "--chdir"}),
        no_run=frozenset({"0", "--null", "--help", "--version"}),
    ),
    "script": StringOption(
        "c",
        frozenset({"--command"}),
        "EIOBTmo",
        frozenset(
            {"--echo", "--log-in", "--log-out", "--log-io", "--log-timing", "--logging-format", "--output-limit"}
        ),
        "t",
        permute=True,
        no_run=frozenset({"V", "h", "--version", "--help"}),
    ),
    "su": _SU,
    "runuser": _SU,
}


def _string_option(spec: StringOption, words, k: int, stop: int | None = None):
    """For the command at words[k] (unquoted texts): (index of the word holding the command line,
    where in that word it starts, the short options and the long ones seen), or None. ``stop``:
    the words from there on are not its (`runuser -u node CMD`)."""
    n = len(words) if stop is None else stop
    seen = ""
    longs: list[str] = []  # (a list: adding to a tuple copied it, quadratic in the options)
    j = k + 1
    while j < n:
        w = words[j]
        if w == "--":
            return None
        if w.startswith("--"):
            raw, eq, _ = w.partition("=")
            opt = long_option(raw, _long_names(spec))
            if opt in spec.no_run:
                return None
            if opt in spec.long:
                if eq:
                    return j, len(raw) + 1, seen, longs
                return (j + 1, 0, seen, longs) if j + 1 < n else None
            longs.append(opt)
            j += 2 if opt in spec.value_long and not eq else 1
            continue
        if len(w) > 1 and w[0] == "-":
            j += 1
            for i, ch in enumerate(w[1:], 2):  # (i: where the rest of the word starts)
                if ch in spec.no_run:
                    return None
                if ch in spec.short:
                    if i < len(w):
                        return j - 1, i, seen, longs
                    return (j, 0, seen, longs) if j < n else None
                seen += ch
                if ch in spec.value_short:
                    j += i == len(w)  # the value is the next word, or the rest of this one
                    break
                if ch in spec.optional_short:
                    break
            continue
        if not spec.permute:
            return None
        j += 1
    return None


def _shell_c_string(words: list[Token], k: int) -> int | None:
    """For ``sh [options] -c [options] [--] STRING``: index of STRING (the first word after the
    options, `-c` among them: POSIX sh takes more options after it, and `--` ends them, so
    `sh -c -- 'claude -v'` runs `claude -v`), else None. Read by shell_options."""
    opts = shell_options(_Unquoted(words), k + 1)
    return opts.operand if opts.command and opts.operand < len(words) and not opts.noexec else None


# `set` with operands after its options sets the positional parameters as `set --` does (`set -e
# true`: $1 is true), and `eval`, `command set`, `builtin set` may set or shift them: read as
# `set -- claude` alone, `set -- claude; set -e true; sh -c "$1 -v"` (or `"$1" -v`) was an error
# where dash runs `true -v`. tests/test_ais002_set_operands.py asks dash, and turns this off.
SET_OPERANDS = True
_PARAMS_CHANGERS = frozenset({"eval", "command", "builtin"})  # (not `.`: its script is read with them)
# (An eval string that may: `set`, `shift`, `.`, `source`, or an expansion or substitution whose
# text is not known here.)
_MAY_SET_PARAMS = re.compile(r"\bset\b|\bshift\b|\bsource\b|[$`]|(?:^|[\s;&|(\"'])\.(?:[\s\"']|$)")


def _set_operands(words: list[Token], j: int) -> int | None:
    """For `set` whose options start at words[j]: where its operands start (the new positional
    parameters, maybe none: `set -e --`), None where it sets none (`set -e`, `set -o pipefail`),
    -1 where that is not known (an option word that is an expansion)."""
    while j < len(words):
        text = words[j].text
        if "$" in text or "`" in text:
            return -1
        w = unquote(text)
        if w in ("--", "-"):
            return j + 1  # (`set -` ends the options too, in dash and bash)
        if len(w) > 1 and w[0] in "-+":
            j += 2 if "o" in w[1:] else 1  # (`-o NAME`, `-eo NAME`: the option's name)
            continue
        return j
    return None


# A `-c` string's positional or special parameter is the starting shell's, expanded before the
# string is run (`sh -c "$1" _ claude` runs the RUN's $1, empty: nothing); read as the started
# shell's own, it named the operand after the string and gave an error where nothing runs.
# tests/test_ais002_r68a_outer_params.py compares the verdicts with dash's with this off.
OUTER_PARAMS = True
_OUTER_PARAM = re.compile(r"\$(?:[0-9@*#]|\{#?[0-9@*#])")
_OUTER_SCAN = re.compile(r"\\.|'[^']*'|\$'(?:[^'\\]|\\.)*'|\$[0-9@*#{]", re.S)
_OUTER_QUOTED_SCAN = re.compile(r'\\.|"(?:[^"\\]|\\.)*"|\'[^\']*\'|\$\'(?:[^\'\\]|\\.)*\'|\$[0-9@*#{]', re.S)
_OUTER_VAR_IN_DOUBLE = re.compile(r"(?<!\\)(?:\\\\)*\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_OUTER_IN_DOUBLE = re.compile(r"(?<!\\)(?:\\\\)*\$(?:[0-9@*#]|\{#?[0-9@*#])")
_IFS_OR_GLOB = re.compile(r"[ \t\n*?\[]")
# ... each value read where the string is (_outer_values): its plain text at its own offsets, an
# expansion's value spanning the expansion, not where the value was set: `set -- 'claude -v'; npm
# i -g @anthropic-ai/claude-code; sh -c "$1"` read claude at `set`, before the install (an error
# where the build passes), and `set -- 'npm i -g …'; sh -c "$1 && claude -v"` read both at the
# string's first quote, the install not before the call. And a value of several commands is read
# at one place (its words all span the expansion): which of them runs first is not in the offsets,
# so a harness call in it is not sure (a warning at most: `c='npm i -g …; claude -v'; sh -c "$c"`).
# tests/test_ais002_r69a_values.py compares the verdicts with dash's with this off.
VALUES_AT_STRING = True
# ... and a string it cannot read so (a `'` or backquote in it, `"$@"` joined to text, an unquoted
# value that splits) is read with each parameter and variable replaced by the first value held, in
# single quotes too (`set -- claude; sh -c "'$1' -v"` runs claude: it had no finding), not sure.
# tests/test_ais002_r69a_values.py turns this off.
OUTER_GUESS = True
_OUTER_REF = re.compile(r"\$(?:\{([0-9@*]|[A-Za-z_][A-Za-z0-9_]*)\}|([0-9@*]|[A-Za-z_][A-Za-z0-9_]*))")
_OUTER_ALONE = re.compile(r"\$(?:\{(?:[0-9@*]|[A-Za-z_][A-Za-z0-9_]*)\}|[0-9@*]|[A-Za-z_][A-Za-z0-9_]*)")
# `"$@"` (or `$@`) naming a command runs the first parameter with the others as its words: read as
# the first alone, `f() { "$@" && claude -v; }; f npm i -g @anthropic-ai/claude-code` was an error
# (`npm` alone installs nothing) where the build passes. Where one is not a plain word (blanks,
# quotes), the first is read alone, as before. tests/test_ais002_r69a_values.py turns this off.
ALL_PARAMS = True
_PARAM_WORD = re.compile(r"[A-Za-z0-9@%+=:,./_-]+")
_SEVERAL = re.compile(r"[;&|\n(){}`]")  # (a value that may hold several commands)


# A value assigned in single quotes alone is its text, `$` and backquotes too (`c='x=$(npm i -g
# …)'`): not known, `c=…; sh -c "$c && claude -v"` was an error where the string installs first.
# tests/test_ais002_r69a_values.py compares the verdicts with dash's with this off.
LITERAL_DOLLARS = True
# ... and a variable's is the starting shell's too there (`c='true; claude -v'; sh -c "$c"` runs claude: the string is
# `true; claude -v`, not the started shell's `$c`, which is not even exported), where the reader
# holds the values of each expansion in it (_outer_values); one it does not hold is read as before.
# tests/test_ais002_r69a_values.py compares the verdicts with dash's with this off.
OUTER_VARS = True
_OUTER_VAR = re.compile(r"\\.|'[^']*'|\$'(?:[^'\\]|\\.)*'|\$\{?([A-Za-z_][A-Za-z0-9_]*)", re.S)


def _outer_vars(text: str, held) -> bool:
    """Whether the word ``text`` (as written) expands a variable of ``held`` (the reader's) in
    the shell that reads it (`"$c -v"`, `${c}`), not one single-quoted or escaped (`'$c'`)."""
    if OUTER_GUESS and '"' in text:
        # (Inside double quotes a `'` is text: `"'$c' -v"` expands c here.)
        for t in _OUTER_QUOTED_SCAN.finditer(text):
            if t[0][0] == '"' and any(n in held for n in _OUTER_VAR_IN_DOUBLE.findall(t[0])):
                return True
    return any(t.group(1) in held for t in _OUTER_VAR.finditer(text) if t.group(1))


def _whole(text: str) -> bool:
    """The word ``text`` is one double-quoted string (one pair of quotes)."""
    return text[:1] == '"' and text.find('"', 1) == len(text) - 1


def _outer_params(text: str) -> bool:
    """Whether the word ``text`` (as written) expands a positional or special parameter of the
    shell that reads it (`"$1"`, `$@`, `"exec ${0}"`), not one single-quoted or escaped (`'$1'`,
    `"\\$1"`: the shell it starts expands those)."""
    if "$" not in text:
        return False
    if OUTER_GUESS and '"' in text:
        # (Inside double quotes a `'` is text: `"'$1' -v"` expands $1 here.)
        return any(
            (t[0][0] == "$" and _OUTER_PARAM.match(text, t.start()))
            or (t[0][0] == '"' and _OUTER_IN_DOUBLE.search(t[0]) is not None)
            for t in _OUTER_QUOTED_SCAN.finditer(text)
        )
    return any(t[0][0] == "$" and _OUTER_PARAM.match(text, t.start()) for t in _OUTER_SCAN.finditer(text))


class ShellOptions(NamedTuple):
    """What the options of `sh`/`bash` (or of `set`, or a SHELL instruction's argv) say."""

    errexit: bool
    pipefail: bool
    command: bool  # a `-c`: the first operand is the command string
    stdin: bool  # a `-s`: the script is read on stdin, the operands are its arguments
    operand: int  # index of the first operand (after the options and a `--` or `-`)
    noexec: bool = False  # `-n`, `-o noexec`: it reads commands without running them


def shell_options(argv, j: int = 1, errexit: bool = False, pipefail: bool = False) -> ShellOptions:
    """The one reader of a POSIX shell's options, from argv[j] on: `-e`, `+e`, clusters
    (`-euo pipefail`: each `o`/`O` takes the next word), `-o errexit`, `-c` anywhere among them
    (`sh -c -e STRING` is errexit too), bash's long options before the first short one, and `--`
    or a lone `-` ending them. Serves `sh -c STRING`, `set -e`, a shell reading its stdin and the
    SHELL instruction."""
    n = len(argv)
    command = stdin = short = noexec = False
    while j < n:
        w = argv[j]
        if w == "--" or w == "-":
            j += 1
            break
        if w.startswith("--"):
            if short:
                break  # (bash reads long options only before the others)
            j += 2 if w in ("--rcfile", "--init-file") else 1
            continue
        if len(w) < 2 or w[0] not in "-+":
            break
        short = True
        on = w[0] == "-"
        j += 1
        for ch in w[1:]:
            if ch == "e":
                errexit = on
            elif ch == "c" and on:
                command = True
            elif ch == "s" and on:
                stdin = True
            elif ch == "n":
                noexec = on
            elif ch in "oO":
                if j < n:
                    name = argv[j]
                    if ch == "o" and name == "errexit":
                        errexit = on
                    elif ch == "o" and name == "pipefail":
                        pipefail = on
                    elif ch == "o" and name == "noexec":
                        noexec = on
                j += 1
    return ShellOptions(errexit, pipefail, command, stdin, min(j, n), noexec)


class ShellGrammar(NamedTuple):
    """The options a shell takes when started (``sh OPTIONS -c STRING``): any other is a usage
    error (exit 2) before it reads a script, so nothing in the script runs."""

    short: str  # its letters, `-x` or `+x` (`o` takes a `set -o` name next, bash's `O` a shopt name)
    names: frozenset  # the names `-o`/`+o` takes
    shopts: frozenset  # the names bash's `-O`/`+O` takes
    long: frozenset  # bash's long options: exact (no abbreviation, no `=value`), before any short one
    long_value: frozenset  # those that take the next word (`--rcfile FILE`)
    nothing_short: str  # with which it reads the script without running it (`bash -D` prints its strings)
    nothing_long: frozenset
    # Those with which it may run nothing: `bash --pretty-print` prints a script it reads from
    # stdin or a file, and runs a `-c` string.
    unsure_long: frozenset = frozenset()


# The shells a RUN meets in a Debian image (aishell's foundation): dash 0.5.12 as /bin/sh and
# bash 5.2 (tests/test_ais002_shell_options.py checks them against the real ones when present).
_DASH_NAMES = frozenset(
    "errexit noglob ignoreeof interactive monitor noexec stdin xtrace verbose vi emacs noclobber"
    " allexport notify nounset privileged nolog debug".split()
)
_BASH_NAMES = frozenset(
    "allexport braceexpand emacs errexit errtrace functrace hashall histexpand history ignoreeof"
    " interactive-comments keyword monitor noclobber noexec noglob nolog notify nounset onecmd"
    " physical pipefail posix privileged verbose vi xtrace".split()
)
_BASH_SHOPTS = frozenset(
    "autocd assoc_expand_once cdable_vars cdspell checkhash checkjobs checkwinsize cmdhist compat31"
    " compat32 compat40 compat41 compat42 compat43 compat44 complete_fullquote direxpand dirspell"
    " dotglob execfail expand_aliases extdebug extglob extquote failglob force_fignore"
    " globasciiranges globskipdots globstar gnu_errfmt histappend histreedit histverify hostcomplete"
    " huponexit inherit_errexit interactive_comments lastpipe lithist localvar_inherit"
    " localvar_unset login_shell mailwarn no_empty_cmd_completion nocaseglob nocasematch"
    " noexpand_translation nullglob patsub_replacement progcomp progcomp_alias promptvars"
    " restricted_shell shift_verbose sourcepath varredir_close xpg_echo".split()
)
SHELL_GRAMMARS = {
    "dash": ShellGrammar("abcefilmnopsuvxCEIV", _DASH_NAMES, frozenset(), frozenset(), frozenset(), "", frozenset()),
    "bash": ShellGrammar(
        "abcefhiklmnoprstuvxBCDEHOPT",
        _BASH_NAMES,
        _BASH_SHOPTS,
        frozenset(
            "--debug --debugger --dump-po-strings --dump-strings --help --init-file --login --noediting"
            " --noprofile --norc --posix --pretty-print --rcfile --restricted --verbose --version".split()
        ),
        frozenset({"--init-file", "--rcfile"}),
        "D",
        frozenset({"--dump-po-strings", "--dump-strings", "--help", "--version"}),
        frozenset({"--pretty-print"}),
    ),
}


def shell_refuses(name: str, args, j: int = 0) -> bool | None:
    """Whether the shell ``name`` started with ``args`` (unquoted words, its options from args[j]) runs
    no script because of its options: one it does not have (`bash --posixx -c …`, `dash -o
    pipefail -c …`: a usage error) or one with which it runs nothing (`bash -D -c …`). True
    surely (`bash`, `dash`); None where Debian's /bin/sh would but `sh` may be another shell in
    another image (busybox's takes `-o pipefail`); False when it takes them (or its options are
    not known: zsh, ksh…)."""
    grammar = SHELL_GRAMMARS.get("dash" if name == "sh" else name)
    if grammar is None:
        return False
    refused = None if name == "sh" else True
    n = len(args)
    short = False
    unsure = False  # (an option with which it may run nothing)
    while j < n:
        w = args[j]
        if w == "--" or w == "-":
            break
        if "$" in w or "`" in w:
            return False  # (`bash $OPTS -c …`: not known)
        if w.startswith("--"):
            if short or w not in grammar.long:
                return refused  # (bash reads long options only before the others)
            if w in grammar.nothing_long:
                return refused
            unsure = unsure or w in grammar.unsure_long
            j += 2 if w in grammar.long_value else 1
            continue
        if len(w) < 2 or w[0] not in "-+":
            break
        short = True
        j += 1
        for ch in w[1:]:
            if ch not in grammar.short or ch in grammar.nothing_short:
                return refused
            if ch in "oO":
                if j >= n:
                    # `bash -o <<EOF` lists the options, then runs its stdin; the rest of the
                    # cluster may still be refused (`dash -oerrexit`: `r`) or not (`bash -oerrexit`,
                    # interactive: its stdin read otherwise).
                    unsure = True
                    continue
                if args[j] not in (grammar.names if ch == "o" else grammar.shopts):
                    return refused
                j += 1
    return None if unsure else False


class _Unquoted:
    """The unquoted texts of a command's words, each unquoted when asked."""

    __slots__ = ("words",)

    def __init__(self, words: list[Token]):
        self.words = words

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, i: int) -> str:
        return unquote(self.words[i].text)


# Package runners: they fetch a package and run its executable (`npx -y @openai/codex`).
RUNNER_VALUE_OPTS = {"-p", "--package", "--registry", "--cache", "--userconfig", "-w", "--workspace", "--prefix"}
TWO_WORD_RUNNERS = {("npm", "exec"), ("npm", "x"), ("pnpm", "dlx"), ("yarn", "dlx"), ("bun", "x")}
ONE_WORD_RUNNERS = {"npx", "bunx", "pnpx"}
# Package managers that run a command from the project's node_modules/.bin (or PATH) and fetch
# nothing: `yarn exec X` and `pnpm exec X` run the command X, `yarn run X`, `yarn X`, `pnpm run
# X` and `pnpm X` a script of package.json named X, or else the executable X. Read as the
# executable only where X may name a harness (`yarn build` runs a script, not `build`). (`bun
# run X` is aishell.harness.SCRIPT_RUNNERS': a script, a bin or the file X.)
PROJECT_RUNNER = "project"
PROJECT_EXEC = frozenset({("yarn", "exec"), ("pnpm", "exec")})
PROJECT_SCRIPT_OR_BIN = frozenset({("yarn", "run"), ("pnpm", "run")})
COREPACK_TOOLS = frozenset({"npm", "npx", "pnpm", "pnpx", "yarn", "yarnpkg"})  # what `corepack NAME …` runs
_TWO_WORD_FIRST = frozenset(a for a, _ in TWO_WORD_RUNNERS)
_PROJECT_FIRST = frozenset(a for a, _ in PROJECT_EXEC | PROJECT_SCRIPT_OR_BIN)


# Tool and environment managers that run a command in the environment they set up (`mise exec
# npm:@openai/codex -- codex`, `poetry run claude`, `bundle exec codex`, `nix shell nixpkgs#codex -c
# codex`): a harness there may be the copy that environment provides (mise's npm backend and nix
# fetch it), so it is a warning (TOOL_RUNNER), never "not found" for sure. They had no finding at
# all. tests/test_ais002_r68a_tool_runners.py generates each form, and turns TOOL_RUNNERS_ON off.
TOOL_RUNNERS_ON = True
TOOL_RUNNER = "tool"
# Their names are in _SPECIAL_NAMES, so a RUN line they start went to the reader: a file of 20,000
# `bundle install`/`poetry install`/`uv pip install` lines (600 KB) took 0.75 s of CPU, 0.51 s
# before. plain_argv takes one whose second word is no runner's subcommand as the one plain command
# the reader gives it: 0.55 s. tests/test_ais002_r68a_tool_runners.py compares it with this off.
PLAIN_TOOL_RUNNERS = True


class ToolRunner(NamedTuple):
    """Where the command is among the words after `TOOL SUB`: after ``skip`` positional words
    (`direnv exec DIR CMD`), past the ``flags`` and the ``values`` options (`--opt V`, `--opt=V`),
    or only after a `--` (``dashdash``: `mise exec TOOL@V… -- CMD`), or right after one of the
    ``command`` options (`nix develop -c CMD ARGS`). An option it does not know: not known."""

    skip: int = 0
    flags: frozenset = frozenset()
    values: frozenset = frozenset()
    dashdash: bool = False
    command: frozenset = frozenset()


_F = frozenset
_MISE = ToolRunner(dashdash=True)
_CONDA = ToolRunner(
    flags=_F({"--no-capture-output", "--live-stream", "-v", "--verbose"}),
    values=_F({"-n", "--name", "-p", "--prefix", "--cwd"}),
)
_NIX = ToolRunner(command=_F({"-c", "--command"}))
TOOL_RUNNERS = {
    ("mise", "exec"): _MISE,
    ("mise", "x"): _MISE,
    ("rtx", "exec"): _MISE,
    ("rtx", "x"): _MISE,
    ("flox", "activate"): _MISE,
    ("guix", "shell"): _MISE,
    ("asdf", "exec"): ToolRunner(),
    ("direnv", "exec"): ToolRunner(skip=1),
    ("volta", "run"): ToolRunner(
        flags=_F({"--bundled-npm", "--no-yarn", "--no-pnpm", "--verbose", "--quiet"}),
        values=_F({"--node", "--npm", "--yarn", "--pnpm", "--env"}),
    ),
    ("fnm", "exec"): ToolRunner(values=_F({"--using"})),
    ("poetry", "run"): ToolRunner(
        flags=_F({"-q", "--quiet", "-v", "-vv", "-vvv", "--verbose", "-n", "--no-interaction", "--no-plugins"}),
        values=_F({"-C", "--directory", "-P", "--project"}),
    ),
    ("uv", "run"): ToolRunner(
        flags=_F({"--no-project", "--isolated", "--frozen", "--locked", "--no-sync", "--all-extras", "-q", "--quiet"}),
        values=_F({"--with", "-w", "--python", "-p", "--from", "--package", "--extra", "--directory", "--project"}),
    ),
    ("pipenv", "run"): ToolRunner(flags=_F({"-v", "--verbose", "-q", "--quiet"})),
    ("pdm", "run"): ToolRunner(flags=_F({"-v", "-q", "-g", "--global"}), values=_F({"-p", "--project"})),
    ("pixi", "run"): ToolRunner(
        flags=_F({"--frozen", "--locked", "-v"}), values=_F({"-e", "--environment", "--manifest-path"})
    ),
    ("bundle", "exec"): ToolRunner(flags=_F({"--keep-file-descriptors"}), values=_F({"--gemfile"})),
    ("devbox", "run"): ToolRunner(flags=_F({"-q", "--quiet", "--pure"}), values=_F({"-c", "--config", "-e", "--env"})),
    ("conda", "run"): _CONDA,
    ("mamba", "run"): _CONDA,
    ("micromamba", "run"): _CONDA,
    ("nix", "develop"): _NIX,
    ("nix", "shell"): _NIX,
    # (r69a: `nvm exec VERSION CMD`, nvm's shell function once nvm.sh is sourced; `hatch run CMD`,
    # the project environment's command or script.)
    ("nvm", "exec"): ToolRunner(skip=1, flags=_F({"--silent"})),
    ("hatch", "run"): ToolRunner(),
}
_TOOL_FIRST = frozenset(a for a, _ in TOOL_RUNNERS)


def _tool_target(name: str, words: list[Token], k: int) -> int | None:
    """For a tool or environment manager at words[k] (TOOL_RUNNERS), the index of the command
    it runs; None where it runs none or which word it is is not known."""
    if k + 1 >= len(words):
        return None
    spec = TOOL_RUNNERS.get((name, unquote(words[k + 1].text)))
    if spec is None:
        return None
    j, n = k + 2, len(words)
    skip = spec.skip
    while j < n:
        w = unquote(words[j].text)
        if w == "--" and not spec.command:
            return j + 1 if j + 1 < n else None
        if spec.command:
            if w in spec.command:
                return j + 1 if j + 1 < n else None
            j += 1
            continue
        if spec.dashdash or "$" in words[j].text or "`" in words[j].text:
            j += 1 if spec.dashdash else n  # (an expansion: any option, or none)
            continue
        if w.startswith("-") and len(w) > 1:
            opt = w.partition("=")[0]
            if w in spec.flags:
                j += 1
            elif opt in spec.values:
                j += 1 if "=" in w else 2
            else:
                return None  # (an option not in the table: it may take the next word)
            continue
        if skip:
            skip -= 1
            j += 1
            continue
        return j
    return None


def _project_target(name: str, words: list[Token], k: int) -> int | None:
    """For package manager ``name`` at words[k], the index of the command it runs from the
    project (PROJECT_EXEC, or PROJECT_SCRIPT_OR_BIN and the bare form naming a harness); None if
    it runs none of these."""
    if k + 1 >= len(words):
        return None
    sub = unquote(words[k + 1].text)
    if (name, sub) in PROJECT_EXEC:
        return _runner_target(words, k)[0]
    j = _runner_target(words, k)[0] if (name, sub) in PROJECT_SCRIPT_OR_BIN else k + 1
    return j if j is not None and mentions_in(words[j].text) else None


# A package runner's `-c STRING` (`npx -p @openai/codex -c 'codex --version'`, `npm exec -c …`)
# runs the string in a shell whose PATH holds the bins of the packages it fetched and the
# project's node_modules/.bin: a harness there may be found. Its commands were read as the RUN's
# own, an error ("not found") where npm puts the harness it fetched on PATH; now they decide
# nothing (a warning at most). So does a shell any runner runs, which inherits that PATH (`npx -p
# @openai/codex sh -c 'codex -v'`, `yarn exec sh -c …`, `poetry run bash -c …`, `nix develop -c
# bash -c …`), and any script it runs in turn (`npx -p @openai/codex flock f -c 'codex -v'`, `yarn
# exec env -S 'claude -v'`: _Reader.via_runner). tests/test_ais002_r68a_runner_call.py turns it off.
RUNNER_CALL_UNSURE = True


# The package manager's options before a runner's verb (`npm --prefix /app exec claude`, `npm -y
# exec …`, `pnpm -C dir dlx …`, `yarn --cwd x dlx …`): read past (npm takes an option it does not
# know as a flag, as nopt does; these take the next word as their value), so the verb is found
# there too. Such a call had no finding at all. tests/test_ais002_runner_options_first.py
# generates the forms and turns this off.
RUNNER_OPTIONS_FIRST = True
_OPTIONS_FIRST_VALUES = {
    "npm": frozenset(RUNNER_VALUE_OPTS - {"-p", "--package"})
    | {"-C", "--loglevel", "--globalconfig", "--include", "--omit", "--location", "--script-shell", "--tag"},
    "pnpm": frozenset({"-C", "--dir", "-F", "--filter", "--loglevel", "--reporter", "--registry"}),
    "yarn": frozenset({"--cwd"}),
    "bun": frozenset({"--cwd", "-c", "--config"}),
}


def _runner_verb(name: str, words: list[Token], k: int) -> int | None:
    """For package manager ``name`` at words[k], the index of its package runner's verb
    (TWO_WORD_RUNNERS: `npm exec`, `pnpm dlx`), past the options before it; None if it runs none."""
    j = k + 1
    if RUNNER_OPTIONS_FIRST:
        values = _OPTIONS_FIRST_VALUES.get(name, frozenset())
        while j < len(words):
            w = unquote(words[j].text)
            if w == "--":
                j += 1  # (the options end: the next word is the verb, `npm -- exec claude`)
                break
            if len(w) < 2 or w[0] != "-":
                break
            j += 2 if w in values else 1
    if j < len(words) and (name, unquote(words[j].text)) in TWO_WORD_RUNNERS:
        return j
    return None


def _runner_target(words: list[Token], k: int) -> tuple[int | None, int | None, int]:
    """For a package runner at words[k]: (index of the command it runs, index of a `-c STRING`,
    where in that word the string starts: after `--call=`)."""
    name = unquote(words[k].text).rsplit("/", 1)[-1]
    if name in ONE_WORD_RUNNERS:
        j = k + 1
    else:
        verb = _runner_verb(name, words, k)
        j = k + 2 if verb is None else verb + 1
    while j < len(words):
        w = unquote(words[j].text)
        if w == "--":
            j += 1
            break
        if w in ("-c", "--call"):
            return None, (j + 1 if j + 1 < len(words) else None), 0
        if w.startswith("--call=") and RUNNER_CALL_UNSURE:
            return None, j, len("--call=")
        if w.startswith("-") and len(w) > 1:
            j += 2 if w in RUNNER_VALUE_OPTS else 1
            continue
        break
    return (j if j < len(words) else None), None, 0


FIND_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
_FULL_LEVELS = 8  # wrappers in a row recorded with every word after them (see _Reader._command)
# What `env -S` takes as word characters but a shell as syntax (the same length: spans kept).
_ENV_S_PLAIN = str.maketrans({c: "_" for c in ";&|<>()`"} | {"\n": " "})
# Commands whose output can be a script for a shell after `|`: `cat <<EOF | sh`, `echo … | bash`.
FEEDERS = frozenset({"cat", "echo", "printf", "tee"})
# Commands that set the shell's variables or positional parameters (read for a `$c` run later).
_VAR_COMMANDS = frozenset(
    {"set", "export", "readonly", "local", "declare", "typeset", "alias", "shift", "unset", "read"}
)
# Commands a file the RUN wrote may change the meaning of (`chmod +x s.sh`, `cd` moves relative paths).
_FILE_COMMANDS = frozenset({"chmod", "cd"})
# Commands that name a file the RUN wrote without changing it (see _Reader._names_files).
_NAMES_NO_FILE = frozenset({"chmod", "cat", "echo", "printf", "test", "[", "ls", "true", ":", "cd", "mkdir"})
_ESCAPES = {"n": "\n", "t": "\t"}
# The command names _command reads past or into (wrappers, `env -S`, `find -exec`, `su -c`,
# `eval`, package runners): any other name is the command, and only the shell and feeder
# checks after the loop apply to it.
_SPECIAL_NAMES = frozenset(
    set(WRAPPERS)
    | {"env", "find", "su", "runuser", "eval", "trap", "builtin", "sg", "corepack"}
    | set(STRING_OPTIONS)
    | SOURCES
    | ONE_WORD_RUNNERS
    | {a for a, _ in TWO_WORD_RUNNERS}
    | _PROJECT_FIRST
    | _TOOL_FIRST
)
# The builtins bash's `builtin NAME` runs that run a command in turn.
_RUNNING_BUILTINS = frozenset({"command", "exec", "eval", ".", "source", "builtin", "trap", "time"})
# The commands status_lost may answer True for: by their options (`xargs -r`, `setsid`), or where
# an expansion gives a value they check (`timeout "$T"`).
_STATUS_BY_OPTIONS = frozenset(
    {"find", "trap", "script"} | {n for n, w in WRAPPERS.items() if not w.carries or w.status_short or w.status_long}
)
_STATUS_NAMES = _STATUS_BY_OPTIONS | {n for n, w in WRAPPERS.items() if w.values or w.operand_values or w.unsure_other}
_STRING_FIRST = frozenset({"env", "script"})  # read for their command-line option before all else
# The words _Splitter._keyword reads as syntax in command position (outside a `for` header).
_KEYWORDISH = frozenset({"{", "}", "for", "select", "case", "esac"} | KEYWORDS_BEFORE_COMMAND | KEYWORDS_END)

# A plain function definition read as one token (token_chunks' ``definitions``): `NAME ( ) {`
# and simple commands of plain words, each ended by `;`, then `}` (blanks only, no newline). The
# readers of the token stream take its commands without reading its ten tokens one by one (a
# line of 500,000 `fN() { echo hi; };`); tests/test_status_walk_fast.py compares with this off.
PLAIN_DEFINITIONS = True
_DEF_WORD = r"[^\s;&|()<>'\"\\$`#{}]++"
_PLAIN_DEFINITION = re.compile(
    r"[ \t]*+("
    + _DEF_WORD
    + r")[ \t]*+\([ \t]*+\)[ \t]*+\{(?=[ \t])((?:[ \t]*+"
    + _DEF_WORD
    + r"(?:[ \t]++"
    + _DEF_WORD
    + r")*+[ \t]*+;)++)[ \t]*+\}(?=[ \t\r\n;&|)]|\Z)"
)
_DEF_TOKEN = re.compile(r"([ \t]*)(?:(" + _DEF_WORD + r")|;)")
# The operators after which a command starts (where a definition may); and the words that are
# no function's name or plain command's first word (a keyword, `!`, a stop word: _Splitter and
# _StatusWalk read those).
_BEFORE_DEFINITION = frozenset({";", "&&", "||", "&", "|"})
# ... and how near where it may start its `(` is (tried at every operator; a definition of a
# longer name is read a token at a time): the made-files shape tried 100,000 times a MB.
_DEF_REACH = 64
_NOT_PLAIN_FIRST = _KEYWORDISH | {"function", "!"}


# The bodies of plain definitions read before: a body's text (at most _BODY_TEXT characters) ->
# its commands' words as (start, end, text) from the body's start, or False where a word of it
# is read as syntax. A line of 400,000 `fN() { echo hi; };` has one body, read by the reader's
# and the status walk's tokens each time (a regex and a string per word) before; cleared when
# _BODIES_MAX are held. tests/test_shell_fast.py compares _definition with it and without it.
_BODIES: dict[str, tuple | bool] = {}
_BODIES_MAX = 4096
_BODY_TEXT = 256


def _definition(d: re.Match) -> Token | None:
    """The "def" token of the plain function definition ``d`` (_PLAIN_DEFINITION's match): its
    name, span and, as ``body``, its commands' words (_body_shape's) and where the body starts
    (_def_commands makes them tokens); None where a word of it is read as syntax (a keyword as
    the name or a first word, an assignment as the name)."""
    name = d.group(1)
    if name in _NOT_PLAIN_FIRST or "=" in name:
        return None  # (`a=( )`: an array assignment)
    a, b = d.span(2)
    if b - a > _BODY_TEXT:
        shape = _body_shape(d.string, a, b)
    else:
        text = d.group(2)
        shape = _BODIES.get(text)
        if shape is None:
            if len(_BODIES) >= _BODIES_MAX:
                _BODIES.clear()
            shape = _BODIES[text] = _body_shape(text, 0, b - a)
    if shape is False:
        return None
    return tuple.__new__(Token, ("def", name, d.start(1), d.end(), (shape, a)))


def _def_commands(t: Token) -> list[list[Token]]:
    """The word tokens of each command of the body of the "def" token ``t``: its body is (the
    commands' words as _body_shape gives them, where the body starts), made into tokens only by
    a reader that needs them (the status walk's _define reads the first words alone)."""
    shape, a = t.body
    new = tuple.__new__
    return [[new(Token, ("word", w, a + i, a + j, None)) for i, j, w in words] for words in shape]


def _body_shape(s: str, a: int, b: int) -> tuple | bool:
    """The commands of the plain definition body ``s[a:b]`` (_PLAIN_DEFINITION's group 2): for
    each, its words as (start, end, interned text) counted from ``a``; False where a command's
    first word is read as syntax (a keyword, `!`)."""
    intern = sys.intern
    commands, words = [], []
    pos = a
    for blanks, word in _DEF_TOKEN.findall(s, a, b):
        start = pos + len(blanks)
        if word:
            if not words and word in _NOT_PLAIN_FIRST:
                return False
            pos = start + len(word)
            words.append((start - a, pos - a, intern(word)))
        else:
            pos = start + 1
            commands.append(tuple(words))
            words = []
    return tuple(commands)


def _near(s: str, j: int, paren: int) -> int:
    """The first `(` of ``s`` at or after ``j`` (len(s): none), given ``paren``, the one found
    from an earlier place: each part of ``s`` is searched once."""
    if paren >= j:
        return paren
    paren = s.find("(", j)
    return len(s) if paren < 0 else paren


def _row_tokens(t: Token) -> list[Token]:
    """The word tokens token_chunks gives the text of the "row" token ``t`` one by one (see
    PLAIN_ROWS: its words are one blank apart)."""
    new, intern = tuple.__new__, sys.intern
    out = []
    a = t[2]
    for w in t[1].split(" "):
        b = a + len(w)
        out.append(new(Token, ("word", intern(w), a, b, None)))
        a = b + 1
    return out


def _pair_tokens(p: re.Match, base: int) -> list[Token]:
    """The operator token and the "row" token of _ROW_SPLIT's match ``p`` in a "rows" token
    whose text starts at ``base``."""
    new = tuple.__new__
    a, b = p.span(1)
    c, d = p.span(2)
    return [
        new(Token, ("op", sys.intern(p[1]), base + a, base + b, None)),
        new(Token, ("row", p[2], base + c, base + d, None)),
    ]


def _rows_tokens(t: Token) -> list[Token]:
    """The tokens token_chunks gives the text of the "rows" token ``t`` one by one: operators
    and words."""
    out = []
    for p in _ROW_SPLIT.finditer(t[1]):
        op, row = _pair_tokens(p, t[2])
        out.append(op)
        out += _row_tokens(row)
    return out


def _eval_pair_tokens(p: re.Match, base: int) -> list[Token]:
    """The tokens token_chunks gives the pair of _EVAL_SPLIT's match ``p`` in an "evals" token
    whose text starts at ``base`` (see EVAL_PAIRS): `;`, `NAME="…"`, `;`, `eval`, `"$NAME"`."""
    new, intern = tuple.__new__, sys.intern
    out = []
    for g, kind in ((1, "op"), (2, "word"), (4, "op"), (5, "word"), (6, "word")):
        a, b = p.span(g)
        out.append(new(Token, (kind, intern(p[g]), base + a, base + b, None)))
    return out


def _evals_tokens(t: Token) -> list[Token]:
    """The tokens token_chunks gives the text of the "evals" token ``t`` one by one."""
    out = []
    for p in _EVAL_SPLIT.finditer(t[1]):
        out += _eval_pair_tokens(p, t[2])
    return out


def _definition_tokens(s: str, t: Token) -> list[Token]:
    """The tokens token_chunks gives the text of the "def" token ``t`` of ``s`` one by one."""
    return [u._replace(a=u.a + t.a, b=u.b + t.a) for u in tokenize(s[t.a : t.b])[0]]


# A nested script that is one simple command of plain words (`$(date)`, `$(uname -m)`): no
# quotes, expansions, operators, redirections, comments or line breaks. _Reader reads it
# without the tokenizer and splitter, which give the same words (tests/test_shell_fast.py).
# (Words are separated by blanks, which no word holds: one way to match, no backtracking blow-up.)
_PLAIN_COMMAND = re.compile(
    r"[ \t\r]*(?:[^\s;&|()<>'\"\\$`#][^\s;&|()<>'\"\\$`]*(?:[ \t\r]+[^\s;&|()<>'\"\\$`#][^\s;&|()<>'\"\\$`]*)*[ \t\r]*)?"
)
_PLAIN_WORD = re.compile(r"[^ \t\r]+")
# The tokens of a plain script (see PLAIN_SCRIPTS), by re.findall (no match objects) over whole
# lines (no token of a plain script holds a newline): (blanks before, word, operator, bad). A
# word has no quotes, expansions, redirections or comment, or is one `$( )` of such words on one
# line; an operator is a list operator or a pipe. Anything else (`;;`, `|&`, parentheses, a `#`,
# ...) is one "bad" character: the general path reads the script.
_PLAIN_SCRIPT = re.compile(
    r"([ \t\r]*)(?:((?:[^\s;&|()<>'\"\\$`#][^\s;&|()<>'\"\\$`]*|\$\([^()'\"\\`\n]*\)))(?=[ \t\r\n;&|]|\Z)"
    r"|(&&|\|\||;(?!;)|\|(?!&)|&|\n)|\Z)"
    r"|([\s\S])"
)


# ... and with a word `NAME=$( )` too (one `$( )` of the same body as the value of a plain
# assignment: `v=$(date +%s)`), read as tokenize reads it: an assignment of a substitution whose
# body is queued as the `$( )` word's is (a RUN of 300,000 `v=$(date +%s); w=$(claude -v)` went
# through tokenize and _Splitter, and so did its status walk: issue 18). tests/
# test_subst_plain_fast.py compares it with the switch off on generated scripts.
PLAIN_SUB_ASSIGN = True
# (The plain word first, possessive: a word of no `$` costs what it cost; the three are disjoint.)
_PLAIN_SCRIPT_ASSIGN = re.compile(
    r"([ \t\r]*)(?:((?:[^\s;&|()<>'\"\\$`#][^\s;&|()<>'\"\\$`]*+|\$\([^()'\"\\`\n]*\)"
    r"|[A-Za-z_][A-Za-z0-9_]*+=\$\([^()'\"\\`\n]*\)))(?=[ \t\r\n;&|]|\Z)"
    r"|(&&|\|\||;(?!;)|\|(?!&)|&|\n)|\Z)"
    r"|([\s\S])"
)


# _Reader._read_plain's short way for a command of assignments alone (`v=$(date +%s)`, `x=1`):
# _assign, as _command comes to (tests/test_subst_plain_fast.py compares it with the switch off).
ASSIGN_READ = True
# ... and no _assign at all (nor its Tokens) for an assignment of one word whose variable the
# reader cannot hold (as many as it keeps, none of the name: _assign skips the word), there and
# in the status walk's _assignments (a RUN of 600,000 `vN=$(date +%s)`). tests/
# test_vars_full_fast.py compares it with the switch off.
VARS_FULL = True


def _assigns_only(words: list[str], lo: int, hi: int) -> bool:
    """Each of ``words[lo:hi]`` is an assignment as _Reader._command counts them (its loop past
    the assignments before a command's name)."""
    match = _PLAIN_ASSIGN.match  # (a plain `NAME=`: one it counts, no step more)
    for k in range(lo, hi):
        w = words[k]
        if match(w) is None and (
            "=" not in w or w.startswith(("=", "-", "'", '"')) or not w.split("=", 1)[0].replace("_", "a").isalnum()
        ):
            return False
    return True


_NOT_ONE_FILE = re.compile(r"[$`*?\[~]")  # (_file_key: an expansion or a glob)


def _file_key(word: str) -> str | None:
    """A path the RUN names (unquoted), as one key however it is spelled (`./s.sh`, `s.sh`);
    None when an expansion or a glob may make it another file."""
    if not word or _NOT_ONE_FILE.search(word) is not None:
        return None
    return posixpath.normpath(word)


def _adds_x(mode: str) -> bool:
    """A chmod mode that makes a file executable by its owner (`+x`, `u+x`, `755`, `a=rx`)."""
    if mode.isdigit():
        return len(mode) >= 3 and int(mode[-3]) % 2 == 1
    return mode[:1] in "+=ugoa" and "x" in mode and "-x" not in mode


# A word that is one parameter expansion: `$c`, `${c}`, `"$c"`, `"${c}"`, `$1`, `"$@"`.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # a shell variable's name
_NAME_EXPANSION = re.compile(r'"?\$(?:([A-Za-z_][A-Za-z0-9_]*|[0-9@*])|\{([A-Za-z_][A-Za-z0-9_]*|[0-9@*])\})"?')
# `${X:-word}`, `${X-word}`, `${X:=word}`, `${X=word}`, `${X:+word}`, `${X+word}` (a plain word:
# no quotes, escapes or expansions in it), `${X#pattern}`, `${X##pattern}`, `${X%pattern}`,
# `${X%%pattern}`, X a name or a positional parameter (`${1:-claude}`), quoted or not: the word a
# command is named by. (These two are patterns re compiles on first use, rarely: not at every start.)
_DEFAULT_EXPANSION = r'"?\$\{([A-Za-z_][A-Za-z0-9_]*|[0-9]+)(:?)([-=+]|##?|%%?)([^{}$`\\"\']*)\}"?'
# The longest value a pattern is removed from (each length tried: a bound on the work).
_PATTERN_VALUE_MAX = 256
_VALUES_MAX = 4  # values a variable is followed with (each use of it reads the command once per value)


# analyse_run's ``staged`` key for the files earlier steps of the stage wrote (no variable's name).
STAGE_FILES = "/files"


def _spanning(v: str, at: tuple[int, int]) -> list[int]:
    """Offsets for text ``v`` read where a word spans ``at`` (a variable's value assigned
    elsewhere, a file an earlier step wrote): each word of it spans that word (`${c:-ls}`,
    `sudo claude` in `$c`)."""
    last = at[1] - at[0] - 1
    offs = []
    k = 0
    for i, ch in enumerate(v):
        k = 0 if ch in " \t\n" else k + 1
        end = k == 0 or i + 1 == len(v) or v[i + 1] in " \t\n"
        offs.append(at[0] + (last if end else min(k - 1, last)))
    return offs


def _unmatched(s: str, op: str, pattern: str) -> tuple[int, int]:
    """The part of ``s`` (start, end) that `${X#pattern}` (``op`` `#`, `##`, `%` or `%%`) leaves:
    the shortest (`#`, `%`) or longest (`##`, `%%`) prefix or suffix the shell pattern matches
    removed, nothing when none does. (fnmatch reads `*` and `?` as the shell does here.)"""
    from fnmatch import fnmatchcase

    n = len(s)
    cuts = range(n + 1) if op in ("#", "%%") else range(n, -1, -1)
    for i in cuts:
        if op[0] == "#" and fnmatchcase(s[:i], pattern):
            return i, n
        if op[0] == "%" and fnmatchcase(s[i:], pattern):
            return 0, i
    return 0, n


# What a script's text reads otherwise than an expansion's value, where the value is read as
# text (_Reader._expanded_name): quotes, backslashes, `$`, backquotes, operators, `#`, braces, `!`
# and `=` are the value's own characters (POSIX 2.6: field splitting and pathname expansion
# remove none of them; `c='cl\aude'; $c` runs `cl\aude`, not found), and a newline splits fields
# as a blank does (the default IFS), it ends no command.
_VALUE_SPECIAL = re.compile(r"[\\'\"$`;&|<>()#{}!=\n]")


def _literal(v: str, offs: list) -> tuple[str, list]:
    """The text a reader reads as the fields of the value ``v`` (not empty; offsets ``offs``), no
    more: each character _VALUE_SPECIAL names escaped by a backslash (its offset twice), a newline
    a blank, and a first field that is a reserved word escaped (`c=if; $c claude` runs `if`)."""
    keyword = v.split(None, 1)[0] in _KEYWORDISH and _VALUE_SPECIAL.match(v) is None
    if not keyword and _VALUE_SPECIAL.search(v) is None:
        return v, offs
    out: list[str] = ["\\"] if keyword else []
    out_offs: list = [offs[0]] if keyword else []
    last = 0
    for found in _VALUE_SPECIAL.finditer(v):
        i = found.start()
        out.append(v[last:i])
        out_offs.extend(offs[last:i])
        if v[i] == "\n":
            out.append(" ")
            out_offs.append(offs[i])
        else:
            out.append("\\" + v[i])
            out_offs.extend((offs[i], offs[i]))
        last = i + 1
    out.append(v[last:])
    out_offs.extend(offs[last:])
    return "".join(out), out_offs


def _capped(values: list, text=None) -> list:
    """At most _VALUES_MAX of a variable's values, in their order: the last (the latest
    assignment), then those that may name a harness (what AIS002 reads: `for c in a b c d claude`
    keeps claude), then the latest others. ``text`` gives a value's text (a _Mapped's by default)."""
    n = len(values)
    if n <= _VALUES_MAX:
        return values
    keep = {n - 1}
    for i in range(n - 1):
        if len(keep) < _VALUES_MAX and mentions_in(values[i].s if text is None else text(values[i])):
            keep.add(i)
    i = n - 2
    while len(keep) < _VALUES_MAX:
        keep.add(i)
        i -= 1
    return [values[i] for i in sorted(keep)]


# _assign's short way: a value that begins with a substitution (`$(`, a backquote, in double
# quotes or not) _substituted gave none for is not read by _joined nor _word_values, which say
# None for it (their first piece is a `$` of no name; a backquote anywhere). tests/
# test_echo_memo_fast.py turns it off.
SUBST_NO_JOIN = True
_SUBST_STARTS = ("$(", '"$(', "`", '"`')
_JOINED_MAX = 256  # characters of a value _Reader._joined builds (a command line is short)
_JOINED_PIECE = r"\$([A-Za-z_][A-Za-z0-9_]*)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|[^$]+|\$"
_FIRST_WORD = re.compile(r"[ \t\n]*([^ \t\n;&|<>)]*)")
# _substituted's short way: a substitution whose first word is plain (no quote, backslash,
# expansion, `=`, brace or glob) and names none of _FEEDER_NAMES gives no value, as
# _feeder_output would find after tokenizing it. tests/test_shell_fast.py turns it off.
FEEDER_FIRST = True
_PLAIN_FIRST = re.compile(r"[\w./+-]+")
_FEEDER_NAMES = frozenset({"echo", "printf", "cat", "which", "command", "type"})
_SUBSTITUTION = re.compile(r"\$\((?!\()([\s\S]*)\)|`([^`]*)`")


# _Reader._assign's short way: a value `$(FIRST …)` whose FIRST (as _substituted finds it) begins
# with an expansion, a substitution or a subshell and has no `/`, or is plain and names no
# feeder (FEEDER_FIRST's), gets None from _substituted whatever its place and reader, and then
# (SUBST_NO_JOIN) is no value: _assign takes that at once, by a memo of such texts (no Token,
# no _substituted call; `x=$(date +%s)` 600,000 times in a 10 MB RUN, the
# substitution_assignments and reassigned_substitutions benchmarks). tests/
# test_body_spans_fast.py turns it off.
SUBST_NONE = True
_NONE_VALUES: dict[str, bool] = {}  # value text -> _gives_none's answer (emptied when full)


def _gives_none(value: str) -> bool:
    """Whether _substituted surely gives None for a word ``value`` that begins with `$(`, by
    the checks it makes before it reads the body."""
    return _first_names_no_feeder(_FIRST_WORD.match(value, 2).group(1))


def _first_names_no_feeder(first: str) -> bool:
    """Whether a substitution whose first word is ``first`` (as _FIRST_WORD finds it) surely
    writes nothing _substituted reads: that word begins with an expansion, a substitution or a
    subshell and has no `/` (its unquoted text keeps that `$`, `` ` `` or `(`, so names no
    feeder, and a word of `$(` nested a million deep is not unquoted at every level), or
    (FEEDER_FIRST) it is plain and names no feeder nor lookup (`$(date +%s)`, `$(uname -m)`:
    _feeder_output would say None after tokenizing it; a RUN of 400,000 `x=$(date)`)."""
    if first[:1] in ("$", "`", "(") and "/" not in first:
        return True
    return FEEDER_FIRST and _PLAIN_FIRST.fullmatch(first) is not None and first.rsplit("/", 1)[-1] not in _FEEDER_NAMES


def _substituted(m: _Mapped, word: Token, reader: _Reader) -> list[tuple] | None:
    """What a word that is one command substitution of a feeder expands to, as _feed's sources
    (`"$(echo claude -v)"`, `` `printf 'claude\\n'` ``, `$(cat <<'EOF' … EOF)`); None for any
    other word. (Its `cat` reads no stdin of the command's: the substitution is made before the
    command's redirections, so `sh -c "$(cat)" <<EOF` runs an empty string.)"""
    raw = word.text[1:] if word.text[:1] == '"' else word.text  # (`'$(…)'` is no substitution)
    if not raw.startswith(("$(", "`")):
        return None  # (most strings: no unquoting of a long one)
    # A feeder's first word names echo, printf or cat.
    first = _FIRST_WORD.match(raw, 2 if raw[0] == "$" else 1).group(1)
    if _first_names_no_feeder(first):
        return None
    if raw[0] == "$":
        # `$( )`'s text is a script of its own, in double quotes too: no backslash of it is the
        # word's to remove (`"$(echo c\\laude)"` writes `c\laude`); a backquote's is.
        quoted = raw is not word.text
        if quoted and word.text[-1:] != '"':
            return None
        if ECHO_MEMO and first == "echo" and word.b - word.a <= _ECHO_MEMO_TEXT:
            return _echo_memo(m, word.a + quoted, word.b - quoted, reader)
        value = _Mapped(m.s[word.a + quoted : word.b - quoted], m.offsets[word.a + quoted : word.b - quoted])
    else:
        value = _unquote_mapped(m, word.a, word.b)
    found = _SUBSTITUTION.fullmatch(value.s)
    if found is None:
        return None
    g = 1 if found.group(1) is not None else 2
    a, b = found.start(g), found.end(g)
    return _feeder_output(_Mapped(value.s[a:b], value.offsets[a:b]), reader)


# _substituted's memo of `$(echo WORDS)` (its first word a plain `echo`): what it expands to, by
# the substitution's text, each offset an index into that text, mapped through the word's
# offsets at each use: a body met again (`y=$(echo $x)` in a RUN 300,000 times, the
# reassigned_substitutions benchmark) is not tokenized and unquoted again. What echo writes is
# the text's alone (no file, no budget: _writes). tests/test_echo_memo_fast.py turns it off.
ECHO_MEMO = True
_ECHO_MEMO: dict[str, list | None] = {}
_ECHO_MEMO_TEXT = 200  # characters of a word whose substitution is memoized
_ECHO_MEMO_SIZE = 4096  # texts memoized (emptied when full)
_NOT_MEMOIZED: list = []


def _echo_memo(m: _Mapped, lo: int, hi: int, reader: _Reader) -> list[tuple] | None:
    """_substituted of the `$(echo …)` at m.s[lo:hi], through _ECHO_MEMO."""
    s = m.s[lo:hi]
    got = _ECHO_MEMO.get(s, _NOT_MEMOIZED)
    if got is _NOT_MEMOIZED:
        found = _SUBSTITUTION.fullmatch(s)
        if found is None:
            got = None
        else:
            g = 1 if found.group(1) is not None else 2
            a, b = found.start(g), found.end(g)
            got = _feeder_output(_Mapped(s[a:b], list(range(a, b))), reader)
        if len(_ECHO_MEMO) >= _ECHO_MEMO_SIZE:
            _ECHO_MEMO.clear()
        _ECHO_MEMO[s] = got
    if got is None:
        return None
    offsets = m.offsets
    return [("mapped", _Mapped(v.s, [None if i is None else offsets[lo + i] for i in v.offsets])) for _, v in got]


def _feeder_output(inner: _Mapped, reader: _Reader) -> list[tuple] | None:
    """What the script ``inner`` writes when it is one `echo`, `printf` or `cat` (of its own
    heredoc) command, as _feed's sources; None for any other script (``reader``: see _writes)."""
    toks, _ = tokenize(inner.s)
    if any(t.kind == "op" and t.text != "\n" for t in toks):
        return None  # not one simple command
    words: list[Token] = []
    stdin: list[tuple] = []
    skip = False
    for t in toks:
        if skip:
            skip = False
        elif t.kind == "redir":
            if t.body is None:
                return None  # (output elsewhere, or input not known)
            stdin.append(("mapped", _Mapped(inner.s[t.body[0] : t.body[1]], inner.offsets[t.body[0] : t.body[1]])))
            skip = True  # (its delimiter)
        elif t.kind == "word":
            words.append(t)
    name = unquote(words[0].text).rsplit("/", 1)[-1] if words else ""
    if name in _LOOKUPS:
        # `$(which claude)`, `$(command -v claude)`: the path of each name found, which runs it
        # (none found: no word, and the next one is the command).
        k = 1
        while k < len(words) and unquote(words[k].text).startswith("-"):
            if unquote(words[k].text) not in _LOOKUPS[name]:
                return None
            k += 1
        if name != "which" and k == 1:
            return None  # (`command claude` runs it, `type claude` describes it)
        return _writes(inner, "echo", words[k:], [], reader)
    if name not in ("echo", "printf", "cat"):
        return None
    return _writes(inner, name, words[1:], stdin, reader)


# Lookups whose output is the path of the command they name (`$(which claude) -v`): the options
# with which they print it (`command -v`, bash's `type -P`).
_LOOKUPS = {"which": ("-a", "-s"), "command": ("-v", "-pv", "-vp"), "type": ("-p", "-P")}


def _writes(
    m: _Mapped, name: str, args: list[Token], stdin: list[tuple], reader: _Reader, files: dict | None = None
) -> list[tuple] | None:
    """What `cat` (its heredocs, here-strings, what is piped into it, the files of ``files`` it
    names), `tee` (its stdin), `echo` or `printf` (their words) writes. What is not the command's
    own text (the pieces of the files `cat` copies, the format `printf` uses again) is charged
    to ``reader``'s budget of nested text (_Reader._spend): `cat f f > g` a few dozen times
    over, or a long format used again for each of many arguments, grew without bound."""
    if name == "tee":
        return stdin or None
    if name == "cat":
        if all(unquote(w.text) in ("-", "-u") for w in args):
            return stdin or None
        out: list[tuple] = []
        for w in args:
            word = unquote(w.text)
            if word in ("-", "-u"):
                out.extend(stdin)
                continue
            key = _file_key(word) if files else None
            if key is None or key not in files:
                return None  # (a file not written by this RUN: what it holds is not known)
            if not reader._spend(len(files[key])):
                return None  # (past the budget: as a file not known)
            out.extend(files[key])
        return out or None
    values = [_unquote_mapped(m, w.a, w.b) for w in args]
    if name == "echo":
        while values and len(values[0].s) > 1 and values[0].s[0] == "-" and set(values[0].s[1:]) <= set("neE"):
            values.pop(0)
        # One line, the words joined by spaces (`echo '#' claude` writes a comment).
        line, line_offs = [], []
        for k, v in enumerate(values):
            if k:
                line.append(" ")
                line_offs.append(None)
            line.append(v.s)
            line_offs.extend(v.offsets)
        values = [_Mapped("".join(line), line_offs)] if values else []
    elif values:  # printf FORMAT ARGS: the format, its conversions filled with the arguments
        values = [_printf(values[0], values[1:], reader)]
    text: list[str] = []
    offs: list[int | None] = []
    for v in values:
        s, i, n = v.s, 0, len(v.s)
        while i < n:  # `\n` and `\t` as echo (dash) and printf write them
            if s[i] == "\\" and i + 1 < n and s[i + 1] in _ESCAPES:
                text.append(_ESCAPES[s[i + 1]])
                offs.append(None)
                i += 2
                continue
            text.append(s[i])
            offs.append(v.offsets[i])
            i += 1
        text.append("\n")
        offs.append(None)
    return [("mapped", _Mapped("".join(text), offs))] if text else None


_CONVERSION = re.compile(r"%[-+ #0]*[0-9*]*(?:\.[0-9*]*)?[a-zA-Z]")


def _printf(fmt: _Mapped, args: list[_Mapped], reader: _Reader) -> _Mapped:
    """What `printf FORMAT ARGS` writes (escapes aside): the format's text, each conversion
    replaced by the next argument, the format used again while arguments are left and
    ``reader``'s budget affords the format's text again (past it, what was written so far)."""
    s, n = fmt.s, len(fmt.s)
    out: list[str] = []
    offs: list[int | None] = []
    k = 0
    while True:
        if out and not reader._spend(n):
            return _Mapped("".join(out), offs)
        used, i = False, 0
        while i < n:
            if s[i] == "%" and i + 1 < n:
                if s[i + 1] == "%":
                    out.append("%")
                    offs.append(fmt.offsets[i])
                    i += 2
                    continue
                conv = _CONVERSION.match(s, i)
                if conv is not None:
                    used, i = True, conv.end()
                    if k < len(args):
                        out.append(args[k].s)
                        offs.extend(args[k].offsets)
                        k += 1
                    continue
            out.append(s[i])
            offs.append(fmt.offsets[i])
            i += 1
        if not used or k >= len(args):
            return _Mapped("".join(out), offs)


# The positional parameters of a script given none ($0 not known): `"$@"` is no word, `set --
# claude "$@"` sets one. Shared, never changed (a new list is made for each change).
NO_ARGS: list = [None]
# A positional parameter's expansion in a function body (`$1`, `${2}`, `"$@"`, `$*`): _Splitter._define.
_POSITIONAL = re.compile(r"\$\{?[1-9@*]")
_BODY_OPENS = re.compile(r"[ \t]*\)[ \t\n]*")  # between a definition's `(` and its body's `{`
_BODY_WORD = re.compile(_DEF_WORD)  # a word of a body that may name a function it calls (_Reader._call)


def _keyword_definition(current: list) -> bool:
    """The words ``current`` are bash's `function NAME`, before its `(` or `{` (_Splitter)."""
    return len(current) == 2 and current[0].text == "function" and current[1].kind == "word"


class _Note(NamedTuple):
    """What a queued script runs with (see _Reader.notes)."""

    script: _Mapped
    args: list | None
    evaled: bool
    functions: dict | None = None  # the functions it sees: a body's, its caller's (_Reader._call); see _sees_functions
    called: bool = False  # a function's body, read at a call (the status walk runs it with the call's errexit)


def _held(entry: tuple | None, m: _Mapped):
    """The value noted with the script ``m`` in an id-keyed table that holds its script
    (``entry``: (script, value) or None): None when the entry is another script's."""
    return entry[1] if entry is not None and entry[0] is m else None


# The commands that run text in the shell that runs them, so may define or unset its functions
# (`eval 'f() { true; }'`, `. ./defs.sh`, a trap's action when a signal comes: `trap '…' USR1;
# kill -USR1 $$`), and those that may run one of them (`command eval`, bash's `builtin eval`).
_RUNS_TEXT = frozenset({"eval", ".", "source", "trap", "command", "builtin"})
# The key of a function's other body in _Reader.functions (define's ``maybe``): its name and a
# character no name holds. _ALT_ANY: tests turn the other bodies off.
_ALT = "\0"
_ALT_ANY = True
# A top-level item run in the background (`f() { true; } &`) defines its functions in a subshell:
# the names keep what they held (_Splitter.item_defs). Tests turn it off.
BACKGROUND_DEFS = True
# A function's body runs with the caller's errexit and pipefail, where the call has them
# (_StatusWalk._simple's call_errexit). Tests turn it off.
CALLER_ERREXIT = True
# A script that runs in this shell or a subshell (`$( )`, backquotes, eval's string, a value read
# as a command, a trap's action) sees the functions defined before it (_Reader._sees_functions);
# before, it saw none (`f() { "$1" -v; }; x=$(f claude)` ran claude with no finding). Tests turn it off.
CARRY_FUNCTIONS = True
_SEEN_ALL = 64  # functions kept up to which such a script sees them all (else those it names)
# A command of assignments only (`x=$(claude -v)`) exits with its last command substitution's
# status (POSIX): where the command decides, that substitution's script is walked as a subshell
# whose failure is the command's (_StatusWalk._last_substitution). Before, its commands decided
# nothing (a warning where the RUN surely fails). Tests turn it off.
SUBST_STATUS = True
# The reader's function bookkeeping (a call, `unset -f`, a command that may run text and so
# redefine one) reads the command's name past the assignments and redirections before it
# (_command_name_at): it read the first word, so `f() { claude -v; }; x=1 eval 'f() { true; }'; f` was an
# error (dash: eval redefines f, claude never runs). Tests turn it off.
NAME_PAST_PREFIX = True
_PLAIN_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
# _StatusWalk._last_substitution's short way: a last word `NAME=$(date +%s)`, its substitution
# one simple command of plain words (_PLAIN_COMMAND's, no keyword first), is found without
# tokenizing the command again and walked from its words (a _Line, the plain walk) without
# tokenizing and parsing it (a RUN of 300,000 `x=$(date +%s); y=$(claude -v)`: issue 18).
# tests/test_subst_plain_fast.py compares it with the switch off on generated commands.
SUBST_PLAIN = True
_ASSIGN_PLAIN_SUB = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=\$\(([^()'\"\\`$\n]*)\)")
# ... and a last word `NAME=$(echo $x)`, its substitution one simple command of words with
# expansions in them (_ONE_WORDS': no quote, parenthesis, backquote, operator, comment or line
# break; no keyword first): that body is the substitution tokenize finds (the last performed),
# without tokenizing the command (its body walked as before: the plain walk takes no `$`).
# tests/test_echo_memo_fast.py compares it with the switch off on generated commands.
SUBST_WORDS = True
_ASSIGN_WORDS_SUB = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=\$\(([^()'\"\\`\n]*)\)")


# _StatusWalk._last_substitution's checks of a command of one word (`x=$(date +%s)`, `y=$(echo
# $x)`), which read that word's text alone (its span's, where it holds the text): kept by the
# text (_last_sub_entry), not made again by four regular expressions at each of 300,000 rows
# (reassigned_substitutions: issue 18, r126). tests/test_plain_sub_memo_fast.py compares it with
# the switch off.
LAST_SUB_MEMO = True
_LAST_SUBS: dict[str, tuple] = {}


def _last_sub_entry(value: str) -> tuple:
    """LAST_SUB_MEMO's entry of a word `NAME=value` of a plain NAME: (no `${` in it; SUBST_PLAIN's
    body (interned), its start and end in ``value``, or three None; SUBST_WORDS' body, its start
    and end, or three None; _assigns_plain_sub's answer, for ROW_ENTRY), as _ASSIGN_PLAIN_SUB,
    _ASSIGN_WORDS_SUB and _ASSIGN_FIRST find them after the `=`."""
    ok = "${" not in value
    pbody = plo = phi = wtext = wlo = whi = None
    one = _VALUE_PLAIN_SUB.fullmatch(value)
    if one is not None:
        plo, phi = one.span(1)
        pbody = sys.intern(one.group(1))
    one = _VALUE_WORDS_SUB.fullmatch(value)
    if (
        one is not None
        and "$" in one.group(1)
        and _ONE_WORDS.fullmatch(one.group(1)) is not None
        and (first := _PLAIN_WORD.search(one.group(1))) is not None
        and first.group() not in _NOT_PLAIN_FIRST
    ):
        wtext = one.group(1)
        wlo, whi = one.span(1)
    plain = _assigns_plain_sub("x=" + value)  # (a plain name: the answer its value gives, PLAIN_SUB_MEMO's)
    return ok, pbody, plo, phi, wtext, wlo, whi, plain


# ASSIGN_ROWS' check of a row's word (_assigns_plain_sub's) and _last_substitution's look-up of
# its entry made once a row, from the one LAST_SUB_MEMO entry of its value (_row_entry): not the
# word's name checked and its value looked up twice (a RUN of 600,000 `vN=$(date +%s)`,
# substitution_assignments: issue 18, r132). tests/test_row_entry_fast.py compares it with the
# switch off.
ROW_ENTRY = True


def _row_entry(word: str) -> tuple | None:
    """ROW_ENTRY: the LAST_SUB_MEMO entry of ``word`` `NAME=value` (kept as _last_substitution
    keeps it), None where NAME is no plain name (the first `=` ends it: ASCII, an identifier)."""
    i = word.find("=")
    name = word[:i]
    if i <= 0 or not (name.isidentifier() and name.isascii()):
        return None
    value = word[i + 1 :]
    hit = _LAST_SUBS.get(value)
    if hit is None:
        hit = _last_sub_entry(value)
        if len(value) <= _MEMO_TEXT:
            if len(_LAST_SUBS) >= 4096:
                _LAST_SUBS.clear()
            _LAST_SUBS[value] = hit
    return hit


# (_ASSIGN_PLAIN_SUB's and _ASSIGN_WORDS_SUB's after their `=`)
_VALUE_PLAIN_SUB = re.compile(_ASSIGN_PLAIN_SUB.pattern.split("=", 1)[1])
_VALUE_WORDS_SUB = re.compile(_ASSIGN_WORDS_SUB.pattern.split("=", 1)[1])


_ONE_LINES: dict[str, _Line | None] = {}  # _one_command_line's answers (a _Line is never changed)
_ONE_LINES_MAX = 1024


def _one_command_line(body: str) -> _Line | None:
    """The tokens (a _Line) of ``body``, a script of one simple command of plain words
    (_PLAIN_COMMAND's: what tokenize gives it) with no keyword where it starts; None for any other."""
    line = _ONE_LINES.get(body, False)
    if line is not False:
        return line
    if _PLAIN_COMMAND.fullmatch(body) is None:
        line = None
    else:
        texts, starts = [], array(offset_code(len(body)))
        for w in _PLAIN_WORD.finditer(body):
            texts.append(sys.intern(w.group()))
            starts.append(w.start())
        if not texts or texts[0] in _NOT_PLAIN_FIRST:
            line = None
        else:
            line = tuple.__new__(_Line, (texts, starts, array(starts.typecode)))
    if len(_ONE_LINES) >= _ONE_LINES_MAX:
        _ONE_LINES.clear()
    _ONE_LINES[body] = line
    return line


# _Reader._read_one reads a nested script of one plain command (below) from _one_command_line's
# words (tests/test_subst_plain_fast.py compares it with the switch off).
ONE_READ = True
# ... and _Reader.read takes such a script (or ONE_WORDS_READ's, `echo $x`) whose first word
# plain_name names straight to _record_plain, without _read_one's and _command's steps, where no
# script has a note or a stdin and no file or alias is held (_Reader._body_read): the
# reassigned_substitutions benchmark's 900,000 bodies at 10 MB (issue 18, r112).
# tests/test_subst_assign_walk_fast.py compares it with the switch off on generated scripts.
BODY_READ = True
# ... and, for a body of one command of plain words (ONE_READ's _Line), what _record_plain finds
# from its words that its text alone decides (their texts, one blank apart from the first's
# start, the name) kept per text (_BODY_LINES): the command recorded from them, no Token per
# word (substitution_assignments: 300,000 bodies of two texts; issue 18, r122).
# tests/test_body_lines_fast.py compares it with the switch off.
BODY_LINES = True
_BODY_LINES: dict[str, tuple | None] = {}  # body text -> (argv, start, end, first word's length, name) or None
# ... and for a body of ONE_WORDS_READ's words with expansions in them (`echo $x`), the same
# entry, made from its words as _PLAIN_WORD finds them (_BODY_WORDS): the reassigned_substitutions
# benchmark's 300,000 `$(echo $x)` (issue 18, r126). tests/test_body_lines_fast.py compares it
# with the switch off.
BODY_WORDS = True
_BODY_WORDS: dict[str, tuple | None] = {}  # body text -> _BODY_LINES' entry of its words, or None
# ... and a plain script's bodies of no `$` (nothing queued before them) not queued one by one
# but read in a row after its split, as the work list would read them next (_Reader._batch_read):
# no _Body, no work-list entry, no _body_read call and one _script_start for a row of bodies
# _BODY_LINES holds (substitution_assignments: 600,000 bodies at 10 MB; issue 18, r128).
# tests/test_body_batch_fast.py compares it with the switch off.
BODY_BATCH = True
# ... and past a body with a `$` in it (`$(echo $x)`), which is batched too, with what each
# variable it reads held at its place (QUEUED_VALUES: the snapshot _queue would take, taken as
# the loop queues it): read in its turn in the row with those values (read()'s steps), or, where
# _body_read records it from a text _BODY_LINES or _BODY_WORDS holds (no value read: no note,
# stdin, file, alias or scoped variable), without them. The bodies after it were queued one by
# one before (reassigned_substitutions' 900,000 at 10 MB; issue 18, r131). tests/
# test_batch_values_fast.py compares it with the switch off.
# OFF: a batch holds every body's snapshot until the script's loop ends, and
# reassigned_substitutions' peak at 10 MB rose from 851 MB to 1,030 MB (over issue 18's 1 GB) for
# 12 % of its time: on again once a batch is read in bounded rows.
BATCH_VALUES = False


def _body_line(s: str, line: _Line) -> tuple | None:
    """_BODY_LINES' entry of the body ``s`` of the words ``line``: None where _record_plain would
    not make _RowSpans of them (a quote or backslash, more than ROW_WORDS, not one blank apart)."""
    texts = line.texts
    spaced = " ".join(texts)
    at = line.starts[0]
    b = line.starts[-1] + len(texts[-1])
    if (
        "'" in spaced
        or '"' in spaced
        or "\\" in spaced
        or len(texts) > ROW_WORDS
        or at + len(spaced) != b
        or not s.startswith(spaced, at)
    ):
        return None
    w0 = texts[0]
    return tuple(texts), at, b, len(w0), w0.rsplit("/", 1)[-1] if "/" in w0 else w0


# _StatusWalk._simple's short way for a command of assignments `v=$(date +%s)` alone, the first
# word of each substitution a plain name of no feeder (what _substituted's FEEDER_FIRST passes
# over): _StatusWalk._assignments, without the reader's _command and the general path's steps (a
# RUN of 300,000 of them: issue 18). tests/test_subst_plain_fast.py compares it with the switch off.
ASSIGN_WALK = True
# ... and a command of assignments alone `NAME=$(…)` whose substitutions hold words with
# expansions in them or a feeder (`y=$(echo $x)`, `_ASSIGN_WORDS_SUB`'s: no quote, backslash,
# parenthesis, backquote or line break in the body): the reader's _command comes to _assign for
# it too (no command name, no redirection: nothing recorded, queued or named unsure; what a
# feeder's _substituted spends is read back as the general path reads it), then the eating of
# stdin and _last_substitution (its own checks of the words: a `${` refused there). A RUN of
# 300,000 `x=$(date +%s); y=$(echo $x)` (reassigned_substitutions: issue 18, r112).
# tests/test_subst_assign_walk_fast.py compares it with the switch off on generated scripts.
SUBST_ASSIGN_WALK = True
_ASSIGN_FIRST = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=\$\([ \t]*([\w./+-]+)(?:[ \t][^()'\"\\`$\n]*)?\)")


# A nested script (eval's string, `sh -c "…"`, a `$( )` body) is read after the whole level it
# stands in, when its variables hold their last values: each it reads that was assigned again
# after it was queued holds, while it is read, its value then or now, neither surely
# (`c=claude; eval "$c -v"; c=x` runs claude). Off: the value now alone.
QUEUED_VALUES = True
# ... and the value a `$( )` body queued after its script's split reads (the one before the first
# assignment after the body's place) found by a bisection of the variable's assignments, which
# _remember appends in the text's order (a mark, _MIXED, where one is not: then one by one as
# before): `x=$(date); y=$(echo $x)` repeated scanned each body's from the script's first, a RUN
# of 16,000 pairs 3 s of 8. tests/test_ais002_queued_values.py compares the findings with it off.
HISTORY_BISECT = True
_MIXED = 0  # (a key no variable's name is)
_AT = itemgetter(0)
# eval runs its string in this shell, but the reader reads the string after the whole level:
# each `NAME=value` in it (plain, or `export NAME=value`) may hold for the commands after the
# eval (`eval "c=claude"; $c -v`), and its value or the one before, neither surely (as an
# assignment that may not run: the string is read, and its assignments made, later).
EVALED_VALUES = True
_EVALED_ASSIGNMENT = (
    r"(?:^|[;&|(\n])[ \t]*(?:export[ \t]+|readonly[ \t]+|local[ \t]+)?(([A-Za-z_][A-Za-z0-9_]*)="
    r"(?:\"[^\"\\]*\"|'[^']*'|\$\([^()]*\)|`[^`\\]*`|[^\s;&|()<>`'\"\\])*)"
)
_REFERENCED = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)").findall  # (compiled: used per queued script)


# A word of plain text and expansions whose values the reader may know (`$c`, `${c}`, `$1`,
# `${v:-claude}`, `${v#*/}`, joined: `${c}aude`, `${v%e}e`, `x=${v:-cla}ude`): as a command's name
# and as an assignment's value, each value it may have (_Reader._word_values), surely where each
# piece surely has its one. Off: an assignment of such a value (but a copy, `y=$c`, or a command
# line, `e="$c -v"`) was not known, nor a name joined with a `${X:-word}`, and the harness they
# name had no finding (`CLI=${CLI:-claude}; "$CLI" --version`). tests/test_ais002_word_values.py.
WORD_VALUES = True
# A piece of such a word: `$NAME`/`$1` (1), `${NAME}`/`${10}` (2), `${X:-word}`-like (3, the
# word plain: see _DEFAULT_EXPANSION), text, or a `$` of anything else (not known).
_WORD_PIECE = (
    r"\$([A-Za-z_][A-Za-z0-9_]*|[0-9])|\$\{([A-Za-z_][A-Za-z0-9_]*|[0-9]+)\}"
    r"|(\$\{(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+):?(?:[-=+]|##?|%%?)"
    r"(?:[^{}$`\\\"']|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})*\})|[^$]+|\$"
)
# (Patterns re compiles on first use: most runs read no such word.)
# A `${X:-word}`'s parts: the name, the colon, the operator, the word (plain, or with variables:
# `${v:-$c}`, read by _Reader._word_values).
_OPERATED = r"\$\{([A-Za-z_][A-Za-z0-9_]*|[0-9]+)(:?)([-=+]|##?|%%?)(.*)\}"
_VARIABLE = r"\$([A-Za-z_][A-Za-z0-9_]*)"


# ... and for a command of assignments alone that substitute nothing (`e1="$c -v"`, `v=1`, `p=$x`:
# no `$( )`, backquote or process substitution in any word): the reader's _command comes to
# _assign there too, and the general path's steps after it find no command, nothing to queue, no
# substitution to read stdin or give the status (_StatusWalk._assignments, ``subst`` False).
# tests/test_eval_walk_fast.py compares it with the switch off on generated scripts.
ASSIGN_PLAIN_WALK = True
_NO_SUBST = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*=(?:(?![$<>]\()[^`])*"
)  # (fullmatch: a plain `NAME=` of no substitution)


# _assigns_plain_sub's answers kept by the text after the word's `=`, which with a plain name
# before it alone decides them (a RUN of 300,000 `x=$(date +%s); y=$(echo $x)`, or of
# `v1=$(date +%s)`, `v2=…`, asks of the same few values at each row: reassigned_substitutions,
# issue 18, r126). Emptied when full, and by the tests' switched(). tests/
# test_plain_sub_memo_fast.py compares it with the switch off.
PLAIN_SUB_MEMO = True
_PLAIN_SUBS: dict[str, bool] = {}
_MEMO_TEXT = 200  # characters of a value whose answers PLAIN_SUB_MEMO and LAST_SUB_MEMO keep
_VALUE_FIRST = re.compile(_ASSIGN_FIRST.pattern.split("=", 1)[1])  # (_ASSIGN_FIRST's after its `=`)


def _assigns_plain_sub(word: str) -> bool:
    """``word`` is `NAME=$(FIRST …)`, FIRST plain (_PLAIN_FIRST's, as _FIRST_WORD finds it: after
    blanks, before one or the end) and no feeder's name, the body holding no quote, backslash,
    expansion, parenthesis or line break (see ASSIGN_WALK)."""
    if PLAIN_SUB_MEMO:
        # (A plain name: ASCII, an identifier's; the first `=` ends it, as in _ASSIGN_FIRST.)
        i = word.find("=")
        name = word[:i]
        if i <= 0 or not (name.isidentifier() and name.isascii()):
            return False
        value = word[i + 1 :]
        got = _PLAIN_SUBS.get(value)
        if got is None:
            m = _VALUE_FIRST.fullmatch(value)
            got = m is not None and FEEDER_FIRST and m.group(1).rsplit("/", 1)[-1] not in _FEEDER_NAMES
            if len(value) <= _MEMO_TEXT:
                if len(_PLAIN_SUBS) >= 4096:
                    _PLAIN_SUBS.clear()
                _PLAIN_SUBS[value] = got
        return got
    m = _ASSIGN_FIRST.fullmatch(word)
    return m is not None and FEEDER_FIRST and m.group(1).rsplit("/", 1)[-1] not in _FEEDER_NAMES


def _command_name_at(toks: list[Token]) -> tuple[int | None, bool]:
    """(where the command's name is in ``toks``, past the assignments and redirections before it
    (`x=1 eval …`, `2>/dev/null unset -f f`; None: there is none), and whether every assignment
    passed is a plain `NAME=`, one dash and bash both take as an assignment (bash's `x+=1`,
    `a[0]=1` are dash's command names))."""
    plain = True
    skip = False
    for k, t in enumerate(toks):
        if skip:
            skip = False
            continue
        if t.kind == "redir":
            op = t.text.lstrip("0123456789")
            skip = not op.endswith("-") or op.rstrip("-").endswith("<<")  # (its target: as _command reads it)
            continue
        if t.kind != "word":
            return None, plain
        m = _ASSIGN.match(t.text)
        if m is None:
            return k, plain
        if plain:
            p = _PLAIN_ASSIGN.match(t.text)
            plain = p is not None and p.end() == m.end()
    return None, plain


def _may_run_text(toks: list[Token], aliases) -> bool:
    """A command of words ``toks`` may run text in this shell (_RUNS_TEXT), however its name is
    quoted (`"eval"`, `e\\val`), or may be one: a name an expansion makes (`$e`, `$(echo eval)`),
    an alias; not `command -v`/`-V`, which only says what a name is. A function called after it
    may have been redefined there (_Reader._call)."""
    word = toks[0].text
    if word == "command":
        return not (len(toks) > 1 and toks[1].text in ("-v", "-V"))
    if word in _RUNS_TEXT or "$" in word or "`" in word or (aliases and word in aliases):
        return True
    return ("'" in word or '"' in word or "\\" in word) and unquote(word) in _RUNS_TEXT


# _Reader._command reads `eval WORD` (no redirection; no function, file or alias held) in one
# step: _eval, what its general steps come to for it, without them (a RUN of 30,000 `e=…; eval
# "$e"` pairs: the reader's and the status walk's). tests/test_eval_one_fast.py compares it off.
EVAL_ONE = True
# ... and a command named by an expansion (`$e1`, eval's string; `$c -v`), its first word one of
# no quote, backslash, backquote or `/` (`$d/env`: env's case), no redirection: the expansion's values read
# (_expanded_name) and the command recorded, what the general steps come to for it.
EXPANDED_ONE = True
# ... and (EVAL_UNHELD) eval's string when it is one variable the reader holds no value of
# (`eval "$e300"`, past the 256 it keeps; no function held): queued as an _Unheld, no note, no
# snapshot of values, and read (the reader's) or walked (the status walk's) as what _read_one,
# EXPANDED_ONE and EXPANSION_WALK come to for it where the name still holds none and no file,
# alias or scope is held then: the command `$e300` recorded, nothing read. Else it is noted as
# _eval notes it, and read the general way. tests/test_eval_unheld_fast.py compares it off.
EVAL_UNHELD = True
_UNHELD_WORD = re.compile(r'\$([A-Za-z_][A-Za-z0-9_]*)|"\$([A-Za-z_][A-Za-z0-9_]*)"')


class _Unheld(_Mapped):
    """EVAL_UNHELD's eval string `$NAME` (its name s[1:]: no slot of its own, a Command's spans
    keep it), ``args`` the positional parameters _eval would note for it."""

    __slots__ = ("args",)


# A reader's containers that most RUNs never write start as these shared empties (read as empty
# ones, never written: each write site makes its container first); False: each made with the
# reader (tests/test_lazy_reader.py compares the two).
LAZY_READER = True
_NO_SET: frozenset = frozenset()
_NO_DICT = MappingProxyType({})
_NO_WORK = ()


class _Reader:
    """Reads a script and every script nested in it, with a work list, not recursion: a
    thousand nested $( ) cost a thousand list entries, not a thousand stack frames."""

    # (Slots: a reader is made per RUN read, and a plain dict of its 37 attributes, past what
    # an instance's dict shares between instances, cost a tenth of a RUN's lint.)
    __slots__ = (
        "after_and",
        "aliases",
        "args",
        "bash_only",
        "budget",
        "child",
        "depth",
        "doc_feeds",
        "doc_items",
        "doc_ordinals",
        "doc_texts",
        "evals",
        "every_body",
        "executable",
        "executed",
        "exported",
        "files",
        "functions",
        "functions_shared",
        "guard_no",
        "guards",
        "hands",
        "inherited",
        "item_starts",
        "listed",
        "maybe_unset",
        "not_executable",
        "or_part",
        "ors",
        "own",
        "plain_commands",
        "plain_scripts",
        "notes",
        "scoped",
        "snaps",
        "history",
        "script",
        "seen",
        "stdin_docs",
        "stdin_of",
        "stdin_shells",
        "splitter",
        "sure_context",
        "top_args",
        "unsure",
        "via_runner",
        "unsure_docs",
        "unsure_files",
        "vars",
        "want_docs",
        "work",
        "write_sure",
    )

    def __init__(self) -> None:
        self.script = Script()
        # (LAZY_READER: the containers below that most RUNs never write start as shared empties,
        # _NO_SET, _NO_DICT and _NO_WORK, read as empty ones; each is made where it is first
        # written. A reader is made per RUN read: two dozen containers were a tenth of its cost.)
        lazy = LAZY_READER
        self.work: deque[tuple[_Mapped, bool, int | None, int]] = _NO_WORK if lazy else deque()
        # The functions defined so far whose bodies read positional parameters (the status
        # walk's reader: any `{ }` body it surely defined, _StatusWalk._define): name -> (the
        # script, start and end of its `{ }` body there (`f() { "$1" -v; }`), read again at each
        # call with its words as them (_call), whether it is surely still defined there (the
        # count of evals when it was defined, -1 after bash's `unset f`: _command), whether each call reads it (the reader's: a body
        # that reads positional parameters), or only one that decides (the walk's: every_body)).
        self.functions: dict[str, tuple[_Mapped, int, int, bool, bool]] | None = None
        # That dict is a note's too (a body queued at a call sees its caller's functions as they
        # were then, not as the caller changes them later): copied before it changes (_own_functions).
        self.functions_shared = False
        # A call reads again a body that reads no parameter too (the status walk's reader, at a
        # call that decides: the body's commands decide as it does, `f() { claude -v; }; f`).
        self.every_body = False
        # `eval`s, `.`s and `source`s read so far: one may define or unset any function (`eval
        # 'f() { true; }'`), so a function defined before one is not surely still its body.
        self.evals = 0
        self.seen: set[tuple] = _NO_SET if lazy else set()
        self.item_starts: list[int] = []
        self.depth = 0  # nesting depth of the script being read
        self.budget = 0  # characters of nested scripts that may still be read
        # RUN line only: the ordinal of each `<<` among the instruction's heredocs (by offset), and
        # the heredocs a shell reads as its script (`cat <<EOF | sh`, `cmd <<A && bash <<B`).
        self.want_docs = False
        self.doc_ordinals: dict[int, int] | None = None
        self.stdin_docs: set[int] = _NO_SET if lazy else set()
        self.doc_items: dict[int, int] = _NO_DICT if lazy else {}  # the top-level item that first runs each of those
        # And what the shell that feeds each one expands an unquoted body with, and the body's own
        # positional parameters and variables (see _feed; _fed_body): ordinal -> (its args, the
        # feeding shell's args, the variables that shell sees, those the body sees), or None.
        self.doc_feeds: dict[int, tuple] | None = None
        self.plain_commands = PLAIN_COMMANDS  # the fast path for plain nested commands (tests turn it off)
        self.plain_scripts = PLAIN_SCRIPTS
        # Files the script wrote with a feeder (`cat <<EOF > s.sh`, `echo … > s.sh`, `… | tee
        # s.sh`), by _file_key: what a later `sh s.sh`, `. ./s.sh` or `./s.sh` runs (portable
        # sources: ("mapped", _Mapped) or ("doc", ordinal)); those a `chmod` made executable.
        self.files: dict[str, list[tuple]] = {}
        self.executable: set[str] = _NO_SET if lazy else set()
        # The first piece of a file the command read last executed by its path (`./s.sh`), as
        # files holds it: its `#!` line names the shell that runs it (_StatusWalk._simple).
        self.executed: tuple | None = None
        # Those surely not executable (`COPY <<EOF /s.sh`: 0644).
        self.not_executable: set[str] = _NO_SET if lazy else set()
        # Those whose content is not surely that (another command names them, `>>` onto a file
        # the RUN did not write, a write that may not run): key -> 0, or the id of the part of
        # an `&&` list (see guards) out of which the write may not have run.
        self.unsure_files: dict[str, int] = _NO_DICT if lazy else {}
        # Scripts read that may not run (`./s.sh` with no `chmod +x`): the status walk's
        # commands in them decide nothing (by id of their _Mapped, holding it: no script read
        # later can take a noted id, as notes hold theirs; heredoc ordinals in unsure_docs).
        self.unsure: dict[int, _Mapped] = _NO_DICT if lazy else {}
        self.via_runner = False  # the command being read came through a runner (RUNNER_CALL_UNSURE)
        self.unsure_docs: set[int] = _NO_SET if lazy else set()
        self.bash_only: set[int] = _NO_SET if lazy else set()  # source starts of names spelled in bash's quoting only
        # The scripts a shell reads on its stdin, and which (its name; `.` for `. /dev/stdin`): by
        # id of the _Mapped, and heredoc ordinals as ("doc", ordinal). The status walk's: a command
        # of one that reads stdin may take the rest of it (_StatusWalk._eat). None: none yet.
        self.stdin_shells: dict | None = None
        # Shell variables the script assigned a plain value (`c=claude`, `export c=claude`, `for c
        # in claude codex`): name -> (the values it may hold, whether surely the last one), and
        # `set -- ARGS` set the positional parameters: a command named `$c` or `"$@"` runs those.
        self.vars: dict[str, tuple[list, bool]] = {}
        # One note per queued script that runs with its own positional parameters (`sh -c STRING
        # NAME ARGS…`, `bash -s ARGS <<EOF`; None: none known) or that eval runs (an expansion in
        # it is expanded, then read as script text, as eval reads its string: `eval "$c"`, c='claude
        # -v; x'): by id of the script, the note holding the script, so that no other takes its id.
        self.notes: dict[int, _Note] = _NO_DICT if lazy else {}
        # The stdin of the scripts `sh -c STRING` runs (by id of the script read), which a shell
        # that is the script's one command reads (`bash -c 'sh' <<EOF`, `… | sh -c 'exec sh'`),
        # and that of the script being read (see _read_one).
        # (The script held with it: see unsure.)
        self.stdin_of: dict[int, tuple[_Mapped, list]] = _NO_DICT if lazy else {}
        self.inherited: list | None = None
        self.args: list | None = None  # the positional parameters of the script being read
        # Those of a script read not nested (the RUN's line, the body of `RUN <<EOF`): none,
        # the SHELL runs it with `-c` and no operand; None for a body a shell on the line reads,
        # which may have some (`bash -s claude <<EOF`).
        self.top_args: list | None = None
        self.doc_texts: list[str] | None = None  # the RUN's heredoc bodies (`read c <<EOF` reads them)
        self.sure_context = True  # (the status walk: the command surely runs where it is)
        self.write_sure = True  # (the status walk: it surely runs, in this shell or not)
        # (The status walk: it runs only if what is before it in its `&&` list succeeded; the
        # conditional parts of lists it is in (_StatusWalk.guards) and the `||`s passed; where
        # each variable was assigned a value or unset, ``vars`` holding None for "surely the
        # last one", see _assign.)
        self.after_and = False
        self.guards: list[int] = []
        self.ors = 0
        # (The reader, at the top level: the command follows an `&&` or `||` of its list, so an
        # assignment in it may not run; the status walk's reader has after_and for that.)
        self.listed = self.or_part = False  # (and after an `||`: an assignment there, never sure)
        self.guard_no = 0
        self.maybe_unset: dict[str, tuple[int, int, bool]] = _NO_DICT if lazy else {}
        self.exported: set[str] = _NO_SET if lazy else set()  # the variables a child shell (`sh -c`) sees
        self.aliases: dict[str, _Mapped] = _NO_DICT if lazy else {}  # `alias c=claude`: what a later `c` may run
        self.child = False  # the script being read is nested (a child shell may not see a variable)
        # The variables the nested script being read assigned so far: a child shell sees its own
        # (`sh -c 'c=claude; $c -v'`, the body of `RUN <<EOF`, read one level down, too).
        self.own: set[str] = _NO_SET if lazy else set()
        # What the variables a nested script assigned surely held before it (name -> the held
        # tuple, None for none): its assignments hold for the rest of it, as the top level's do
        # (`sh -c 'c=x; c=claude; y="$c"; $y -v'`), and only there: once it is read, a later
        # script (a sibling, read after it: the work list goes level by level) reads each as
        # one value or the other (_unscope).
        self.scoped: dict[str, tuple | None] = _NO_DICT if lazy else {}
        # What the variables a queued script reads held when it was queued, by id of its text
        # (QUEUED_VALUES).
        self.snaps: dict[int, dict] = _NO_DICT if lazy else {}
        # While a script with `$( )` or backquotes in it is split: each variable's assignments in
        # it, (offset, value before), so that a body queued after the split reads the value its
        # place had (QUEUED_VALUES); None otherwise.
        self.history: dict[str, list] | None = None
        self.splitter: _Splitter | None = None  # (the one reading the script, if one does: _own_level)
        self.hands = False  # a RUN line's reader (_analyse): it hands the walk its tokens (HAND_TOKENS)

    def read(self, m: _Mapped, nested: bool, item_base: int | None = None) -> None:
        # Nested scripts are read again, inside their parent: their total length may be at most a
        # few times the script's, so that the work stays linear however deep they nest.
        pool = _POOL[0]
        extra = NESTED_EXTRA if pool is None or pool >= NESTED_EXTRA else max(pool, 0)
        self.budget = NESTED_BUDGET * len(m.s) + extra
        work = self.work
        if work or not LAZY_READER:
            work.append((m, nested, item_base, 0))  # (after what is queued: never, but in order)
        else:
            # The script itself first, as the work list would give it (most queue nothing after
            # it: no work list is made, _queue makes it).
            self.depth = 0
            self._read_one(m, nested, item_base)
            work = self.work
        while work:
            m, nested, item_base, self.depth = work.popleft()
            snap = self.snaps.pop(id(m), None) if self.snaps else None
            if snap is None:
                if type(m) is _Unheld and self._unheld_read(m, item_base):
                    continue
                if not (BODY_READ and nested and not self.notes and self._body_read(m, item_base)):
                    self._read_one(m, nested, item_base)
                continue
            # (QUEUED_VALUES: each variable it reads that changed since it was queued holds its
            # value then or now, neither surely, while it is read.)
            back = self._values_then(snap)
            if not (BODY_READ and nested and not self.notes and self._body_read(m, item_base)):
                self._read_one(m, nested, item_base)
            self._values_back(back)
        if pool is not None and self.budget < extra:
            _POOL[0] -= extra - max(self.budget, 0)  # (what it took past its own part)
        # The last splitter refers to this reader, and this reader to it: a cycle, which only the
        # cyclic collector frees, and lint and parse pause it (model.paused_gc). Let go now: a
        # file of 385,000 `RUN bash <<EOF` left each RUN's reader, splitter and their lists
        # behind, 1.6 GB at 10 MB (tests/test_scale.py).
        self.splitter = None

    def _values_then(self, snap: dict) -> list:
        """QUEUED_VALUES: each variable of ``snap`` (its value when a body was queued) that changed
        since holds its value then or now, neither surely, while the body is read; the changes
        made, for _values_back."""
        back = []
        vars_ = self.vars
        for name, then in snap.items():
            now = vars_.get(name)
            if now is then:
                continue
            if then is None or now is None:
                both = ((now or then)[0], False)  # (unset then or now: its value or none)
            elif [v.s for v in now[0]] != [v.s for v in then[0]]:
                both = (_capped(list({v.s: v for v in (*then[0], *now[0])}.values())), False)
            else:
                continue
            vars_[name] = both
            back.append((name, now, both))
        return back

    def _values_back(self, back: list) -> None:
        """The values _values_then changed as they were, where the body read left them."""
        for name, now, both in back:
            if self.vars.get(name) is both:
                if now is None:
                    del self.vars[name]
                else:
                    self.vars[name] = now

    def _queue(self, m: _Mapped, nested: bool, item_base: int | None, then: dict | None = None) -> None:
        """Read ``m`` later, one level deeper; past MAX_NESTING levels it is not read at all: each
        level re-reads the text inside it, so unbounded depth would make the work quadratic."""
        self.budget -= len(m.s)
        if self.via_runner:
            if not self.unsure:
                self.unsure = {}  # (LAZY_READER: made on first write)
            self.unsure[id(m)] = m  # (it runs with the runner's PATH: RUNNER_CALL_UNSURE)
        if self.depth < MAX_NESTING and self.budget >= 0:
            if self.work is _NO_WORK:
                self.work = deque()  # (LAZY_READER: made on first write)
            self.work.append((m, nested, item_base, self.depth + 1))
            if QUEUED_VALUES and (self.vars or then) and "$" in m.s:
                # (What each variable it reads holds now, where it holds a value: a loop, not a
                # comprehension, and a dict only where one does; `then`: a `$( )` body queued
                # after its script's split, _read_one.)
                get = self.vars.get
                snap = then
                for name in _REFERENCED(m.s):
                    held = get(name)
                    if held is not None and (then is None or name not in then):
                        if snap is None:
                            snap = {}
                        elif snap is then:
                            snap = dict(then)
                        snap[name] = held
                if snap:
                    if not self.snaps:
                        self.snaps = {}
                    self.snaps[id(m)] = snap
        else:
            self.script.truncated = True

    def _snapshot(self, text: str, then: dict | None) -> dict | None:
        """BATCH_VALUES: the snapshot _queue takes of a body of ``text`` queued with ``then``
        (what each variable it reads holds now, where it holds a value; None for none)."""
        if not (QUEUED_VALUES and (self.vars or then) and "$" in text):
            return None
        get = self.vars.get
        snap = then
        for name in _REFERENCED(text):
            held = get(name)
            if held is not None and (then is None or name not in then):
                if snap is None:
                    snap = {}
                elif snap is then:
                    snap = dict(then)
                snap[name] = held
        return snap or None

    def _affords(self, size: int) -> bool:
        """Whether a nested script of ``size`` characters may still be read (see _queue). Asked
        before one is put together from what the RUN stored (a variable's value, a file it wrote
        piece by piece), which may be read again at each use: that work stays within the budget
        too, however many times the value is used."""
        if self.depth < MAX_NESTING and size <= self.budget:
            return True
        self.script.truncated = True
        return False

    def _spend(self, size: int) -> bool:
        """Take ``size`` characters a command puts together from the budget (see _affords), if
        it affords them."""
        if self._affords(size):
            self.budget -= size
            return True
        return False

    def _own_functions(self) -> dict:
        """The functions, to change: a copy of a dict a note holds too (see functions_shared)."""
        if self.functions is None:
            self.functions = {}
        elif self.functions_shared:
            self.functions = dict(self.functions)
        self.functions_shared = False
        return self.functions

    def define(self, name: str, body: tuple | None, every: bool = False, maybe: bool = False) -> None:
        """The function ``name`` is defined with ``body``, (script, start, end) of its `{ }` body
        (its `{` the first at or after start; None: a body not known): kept for its calls when
        the body reads positional parameters, read at each call, or ``every`` (the status walk's:
        a body it surely defined, read at a call that decides; see functions), forgotten
        otherwise. ``maybe``: a definition in a compound command (a subshell, a branch that may
        not run: `( f() { true; } )`), which may leave the one before in place: that one stays,
        read at its calls as a body that may be gone (as after bash's `unset f`), not forgotten
        (its calls were then no calls, and a harness the body ran had no finding); a body kept
        for its calls replaces it, read so too."""
        if body is not None and (every or _POSITIONAL.search(body[0].s, body[1], body[2]) is not None):
            functions = self.functions
            if functions is None or self.functions_shared:
                functions = self._own_functions()
            stamp = self.evals
            if maybe and name in functions:
                # Over one it may not replace: either may run at a call (the one before kept as
                # the name's other body, _ALT), each read as a body that may not.
                kept = functions[name]
                if _ALT_ANY:
                    functions[name + _ALT] = (*kept[:3], -1, kept[4])
                stamp = -1
            else:
                functions.pop(name + _ALT, None)
            functions[name] = (*body, stamp, not every)
        elif self.functions is not None and name in self.functions:
            functions = self._own_functions()
            if maybe:
                kept = functions[name]
                functions[name] = (*kept[:3], -1, kept[4])
            else:
                del functions[name]
                functions.pop(name + _ALT, None)

    def _unset_functions(self, args: list[str]) -> None:
        """`unset ARGS` and the functions: `-f` removes them; no option, in bash, when no variable
        has the name (dash: never), so they may be gone; `-v` leaves them."""
        options = "".join(a[1:] for a in args if a[:1] == "-")
        if "v" in options and "f" not in options:
            return
        for name in args:
            if name in self.functions:
                if "f" in options:
                    del self._own_functions()[name]
                    self.functions.pop(name + _ALT, None)
                else:
                    body = self.functions[name]
                    self._own_functions()[name] = (*body[:3], -1, body[4])

    def _call(self, m: _Mapped, words: list[Token], item: int) -> None:
        """A call of a function whose body reads its positional parameters (see functions): the
        body is read again, nested, with the call's words as them (`f() { "$1" -v; }; f claude`
        runs claude), as `sh -c STRING NAME ARGS` reads its string: queued, so each call's
        reading is paid from the nested budget (N calls of a big function stay linear). The status
        walk's reader, only where every_body (a call that decides: what the body runs decides
        nothing elsewhere, nor at a call that does not). The name's other body, where a
        definition may not have replaced it (define's ``maybe``), is read too."""
        name = words[0].text
        self._call_body(self.functions[name], m, words, item)
        if _ALT_ANY and (other := self.functions.get(name + _ALT)) is not None:
            self._call_body(other, m, words, item)

    def _call_body(self, entry: tuple, m: _Mapped, words: list[Token], item: int) -> None:
        source, a, b, stamp, each = entry
        if not (each or self.every_body):
            return
        a = source.s.index("{", a)  # (a plain definition's: after its name, _StatusWalk._define)
        if not self._affords(b - a):
            return  # (as _queue: past the budget nothing more is read, nor put together)
        inner = _Mapped(source.s[a:b], source.offsets[a:b])  # (its own: notes are kept by the script's id)
        # The functions it sees: its caller's as they are at the call (not as the caller changes
        # them after it: the body is read later), those the body names, in one pass over it (a
        # copy of them all at each call would be quadratic: n definitions, each called).
        functions = self.functions
        seen = {w: functions[w] for w in _BODY_WORD.findall(source.s, a, b) if w in functions}
        self._note(inner, self._operand_args(m, words[1:10]), functions=seen, called=True)
        if stamp != self.evals or (self.aliases and words[0].text in self.aliases):
            # (What it runs decides nothing: _StatusWalk._simple. Maybe gone or redefined since:
            # evals; an alias of its name defined on an earlier line is what dash runs.)
            if not self.unsure:
                self.unsure = {}  # (LAZY_READER: made on first write)
            self.unsure[id(inner)] = inner
        self._queue(inner, True, item)

    def _note(
        self, m: _Mapped, args: list | None, evaled: bool = False, functions: dict | None = None, called: bool = False
    ) -> None:
        """Note that the script ``m`` (queued or about to be) runs with ``args`` as its positional
        parameters, whether eval runs it, and the functions it sees (a body's: its caller's; see
        notes), ``called``: it is a function's body read at a call."""
        if not self.notes:
            self.notes = {}  # (LAZY_READER: made on first write)
        self.notes[id(m)] = _Note(m, args, evaled, functions, called)

    def _sees_functions(self, inner: _Mapped, m: _Mapped | None = None, before: int = 0) -> None:
        """Note that ``inner``, a script queued that runs in this shell or a subshell (`$( )`,
        eval's string, a value read as a command, a trap's action), sees the functions defined
        so far that it names (one pass over its text, as _call_body's), keeping its note's
        parameters; with ``m``, only those defined in ``m`` before offset ``before`` (a `$( )`
        is queued once the whole script is read). Nothing when no function is kept. (Past
        _SEEN_ALL functions, only the names its text holds: not those its values or the bodies
        it calls name, but no copy of thousands per script.)"""
        seen = self._functions_seen(inner.s, m, before)
        if seen:
            note = self.notes.get(id(inner)) if self.notes else None
            if note is None or note.script is not inner:
                self._note(inner, None, functions=seen)
            else:
                self.notes[id(inner)] = note._replace(functions=seen)

    def _functions_seen(self, text: str, m: _Mapped | None = None, before: int = 0) -> dict | None:
        """The functions a script of ``text`` run in this shell sees (see _sees_functions)."""
        functions = self.functions
        if not functions or not CARRY_FUNCTIONS:
            return None
        if len(functions) <= _SEEN_ALL:
            # All of them, when they are few: a name an expansion holds (`c='f claude'; eval
            # $c`), a function a body it calls calls (`g() { "$1" -v; }; f() { g "$1"; }`).
            keys = functions
        else:
            keys = [key for w in _BODY_WORD.findall(text) for key in (w, w + _ALT) if key in functions]
        seen = {}
        for key in keys:
            entry = functions[key]
            if m is None or entry[0] is not m or entry[1] < before:
                seen[key] = entry
        return seen or None

    def _body_read(self, m: _Mapped, item_base: int | None) -> bool:
        """BODY_READ: the nested script ``m``, one simple command whose first word plain_name
        names (ONE_READ's plain words, or ONE_WORDS_READ's words with expansions in them), read
        as _read_one comes to it (_record_plain), where no script has a note or a stdin and no
        file or alias is held; False, nothing done that _read_one does not do again, for any
        other."""
        if self.notes or self.stdin_of or self.files or self.aliases or not self.plain_commands:
            return False
        s = m.s
        lines = BODY_LINES and ONE_READ and type(m.offsets) is not list
        # (BODY_LINES: an entry is kept only for a text that passed the checks below, which read
        # nothing else but plain_name, of no file or alias here: its answer is the word's.)
        new = tuple.__new__
        held = _BODY_LINES.get(s) if lines else None
        ones = False
        if held is None and lines and BODY_WORDS and "$" in s:
            held = _BODY_WORDS.get(s)  # (BODY_WORDS: ONE_WORDS_READ's, `echo $x`)
            ones = held is not None
        if held is None:
            if ONE_READ and (line := _one_command_line(s)) is not None:
                w0 = line.texts[0]
                ones = False
            elif ONE_WORDS_READ and "$" in s and _ONE_WORDS.fullmatch(s) is not None:
                line = None
                first = _PLAIN_WORD.search(s)
                if first is None:
                    return False
                w0 = first.group()
                ones = True
            else:
                return False
            if w0 == "eval" or w0[:1] == "$" or w0 in _KEYWORDISH or w0[:1] == "{":
                return False  # (_command's EVAL_ONE and EXPANDED_ONE, _read_one's keyword checks)
            plain = _PLAIN_FIRSTS.get(w0) if PLAIN_FIRSTS else None
            if plain is None:
                plain = self.plain_name(w0, False) is not None
                if PLAIN_FIRSTS:
                    if len(_PLAIN_FIRSTS) >= 4096:
                        _PLAIN_FIRSTS.clear()
                    _PLAIN_FIRSTS[w0] = plain
            if not plain:
                return False
            if ones:
                words = [new(Token, ("word", w.group(), w.start(), w.end(), None)) for w in _PLAIN_WORD.finditer(s)]
                if any(w[1] == "{" for w in words):
                    return False
                if lines and BODY_WORDS and s not in _BODY_WORDS:
                    if len(_BODY_WORDS) >= 4096:
                        _BODY_WORDS.clear()
                    texts = [w[1] for w in words]
                    starts = array(offset_code(len(s)), [w[2] for w in words])
                    held = _BODY_WORDS[s] = _body_line(s, new(_Line, (texts, starts, None)))
            else:
                if lines and s not in _BODY_LINES:
                    if len(_BODY_LINES) >= 4096:
                        _BODY_LINES.clear()
                    held = _BODY_LINES[s] = _body_line(s, line)
                if held is None:
                    words = [new(Token, ("word", t, a, a + len(t), None)) for t, a in zip(line.texts, line.starts)]
        self._script_start(None, None)  # (a script of no note, read nested)
        if not ones or self.want_docs:
            self.doc_ordinals = None
        item = item_base if item_base is not None else len(self.script.items)
        if held is None:
            self._record_plain(m, words, True, item)
            return True
        # BODY_LINES: _record_plain's steps for its words, as its text decides them (no file is
        # held: see above; offsets that hold no None).
        texts, at, b, n0, name = held
        argv = list(texts)
        spans = _new_object(_RowSpans)
        if type(m) is _Body:
            spans.m, spans.words, spans.at, spans.delta = m.parent, argv, at + m.base, 0
        else:
            spans.m, spans.words, spans.at, spans.delta = m, argv, at, 0
        offsets = m.offsets
        start = offsets[at]
        if self.depth:
            # (_seen_before's key: the first word's span and the argv.)
            key = ((start, offsets[at + n0 - 1] + 1), texts)
            if key in self.seen:
                return True
            if not self.seen:
                self.seen = set()
            self.seen.add(key)
        self.script.commands.append(new(Command, (argv, spans, start, offsets[b - 1] + 1, True, item, False, name)))
        return True

    def _unheld_read(self, m: _Unheld, item_base: int) -> bool:
        """EVAL_UNHELD: _read_one of eval's string ``m`` (`$NAME`), what it comes to (the command
        recorded) where NAME holds no value and no file, alias or stdin is held; False, ``m``
        noted as _eval notes it, for _read_one to read."""
        if self.files or self.aliases or self.stdin_of or not self.plain_commands:
            self._note(m, m.args, evaled=True)
            return False
        self._script_start(m.args, None)  # (a nested script of no note but its parameters)
        if m.s[1:] in self.vars:
            self._note(m, m.args, evaled=True)
            return False
        if self.want_docs:
            self.doc_ordinals = None  # (ONE_WORDS_READ's, at a depth)
        s = m.s
        span = m.span(0, len(s))
        self._record(
            m, [tuple.__new__(Token, ("word", s, 0, len(s), None))], span, span, True, item_base, False, 0, [s]
        )
        return True

    def _script_start(self, args, functions) -> None:
        """The reader readied for a script (_read_one's start; _body_read's and _unheld_read's
        short ways take it too): its positional parameters and functions (a note's: a script's
        own, a body's caller's; shared), and nothing of the script read before."""
        self.args = args
        self.functions = functions
        self.functions_shared = functions is not None
        self.child = self.depth > 0
        if self.own:
            self.own = set()
        if self.scoped:
            self._unscope()
        if self.listed:
            self.listed = self.or_part = False  # (a script's and-or lists are its own: and_or)
            self.guards = []
        self.splitter = None
        self.inherited = None

    def _read_one(self, m: _Mapped, nested: bool, item_base: int | None) -> None:
        note = self.notes.get(id(m)) if self.notes else None
        if note is None:
            self._script_start(None if nested else self.top_args, None)
        else:
            self._script_start(note.args if note.args is not None or nested else self.top_args, note.functions)
        if self.stdin_of and nested and _PLAIN_COMMAND.fullmatch(m.s) is not None:
            self.inherited = _held(self.stdin_of.pop(id(m), None), m)  # (its one command's, if it reads none else)
        if nested and ONE_READ and self.plain_commands and (line := _one_command_line(m.s)) is not None:
            # The same, its words as _one_command_line keeps them for the text (`$(date +%s)`
            # met 300,000 times: one match, one list of words, each word one string for all).
            self.doc_ordinals = None
            new = tuple.__new__
            words = [new(Token, ("word", t, a, a + len(t), None)) for t, a in zip(line.texts, line.starts)]
            self._command(m, words, True, item_base, None, False, False)
            return
        if nested and _PLAIN_COMMAND.fullmatch(m.s) is not None and self.plain_commands:
            # One simple command of plain words: what tokenize and _Splitter would give it.
            self.doc_ordinals = None  # (nested: no Dockerfile heredoc is named here)
            new = tuple.__new__
            words = [new(Token, ("word", w.group(), w.start(), w.end(), None)) for w in _PLAIN_WORD.finditer(m.s)]
            if words and (words[0].text not in _KEYWORDISH):
                self._command(m, words, True, item_base, None, False, False)
                return
            if not words:
                return
        if nested and ONE_WORDS_READ and self.plain_commands and "$" in m.s and _ONE_WORDS.fullmatch(m.s) is not None:
            # One simple command of words alone with expansions in them (eval's string `$e1`, a
            # value read as a command): what tokenize and _Splitter give it (words split at
            # blanks, `${x:-a b}` too; no quote, `$( )`, backquote, operator or comment), as the
            # status walk's ONE_TREE reads it; no token_chunks, no splitter (_own_level: a
            # splitter at depth 0 answers as none).
            new = tuple.__new__
            words = [new(Token, ("word", w.group(), w.start(), w.end(), None)) for w in _PLAIN_WORD.finditer(m.s)]
            if words and words[0].text not in _KEYWORDISH and not any(w[1] == "{" for w in words):
                if self.want_docs:
                    self.doc_ordinals = None if self.depth else {}  # (no heredoc: as below)
                self._command(m, words, True, item_base, None, False, False)
                return
        if QUEUED_VALUES and ("$(" in m.s or "`" in m.s):
            self.history = {}
        subs = self._read_plain(m, nested, item_base) if self.plain_scripts else None
        plain = subs is not None
        if subs is None:
            subs = []
            # (Rows for the splitter alone: not where group_stdin reads the tokens first.)
            grouped = "<<" in m.s and ("(" in m.s or "{" in m.s or "done" in m.s)
            chunks = token_chunks(m.s, subs, True, not grouped)
            if self.hands and HAND_TOKENS and not nested and self.depth == 0 and len(m.s) >= HAND_MIN:
                chunks = _handing(m.s, chunks)  # (for the status walk of this text: _handed)
            tokens = chain.from_iterable(chunks)  # (read as they come: see split)
            if self.want_docs:
                self.doc_ordinals = None
                if self.depth == 0:
                    tokens = list(tokens)
                    heredocs = (
                        t.a for t in tokens if t.kind == "redir" and t.text.lstrip("0123456789") in ("<<", "<<-")
                    )
                    self.doc_ordinals = {a: i for i, a in enumerate(heredocs)}
            if grouped:
                tokens = group_stdin(list(tokens))
            self.splitter = _Splitter(self, m, nested, item_base)
            self.splitter.split(tokens)
        history, self.history = self.history, None
        # (HISTORY_BISECT: each variable's assignments in the text's order, the first after a
        # body's place found by a bisection, not by a scan from the script's first.)
        ordered = HISTORY_BISECT and history is not None and _MIXED not in history
        # (BODY_SPANS: a plain script's bodies are each its text's slice there, m.s[sub.a:sub.b];
        # each Token let go as its body is queued, not all of them kept until the last is.)
        sliced = BODY_SPANS and plain
        if sliced:
            subs.reverse()
        # BODY_BATCH: the bodies before the first with a `$` in it (no value to keep for it:
        # QUEUED_VALUES), each (its Token, its item), read after this loop; nothing is queued
        # before them (the work list would read them next), no function is held (no note), and
        # the script is the one read() was given (depth 0: no values to put back after it).
        batch = (
            []
            if subs and BODY_BATCH and sliced and BODY_READ and not self.work and not self.functions and self.depth == 0
            else None
        )
        batching = batch is not None
        for sub in _popped(subs) if sliced else subs:
            if batching:
                if "$" not in sub.text:
                    self.budget -= len(sub.text)  # (as _queue: the budget spent, or the script truncated)
                    if self.budget >= 0:
                        batch.append(
                            (
                                sub,
                                self._item_at(m.offsets[sub.a] if sub.a < len(m.offsets) else None)
                                if item_base is None
                                else item_base,
                                None,
                            )
                        )
                    else:
                        self.script.truncated = True
                    continue
                if not BATCH_VALUES:
                    batching = False  # (this one and the rest queued: read after the row)
            if batching:
                inner = None  # (BATCH_VALUES: _batch_read makes it)
            elif sub.a and m.s[sub.a - 1] == "`" and "\\" in sub.text:
                inner = _backquoted(sub.text, m.offsets[sub.a : sub.b])  # (`\`` in it: a backquote)
            elif sliced:
                inner = _new_object(_Body)
                inner.s, inner.offsets, inner.parent, inner.base = sub.text, m.offsets[sub.a : sub.b], m, sub.a
            else:
                inner = _Mapped(sub.text, m.offsets[sub.a : sub.b])
            if self.functions and not batching:
                self._sees_functions(inner, m, sub.a)  # (a subshell: the functions defined before it)
            then = None
            if history and "$" in sub.text:
                # (QUEUED_VALUES: what each variable it reads held at its place, where the script
                # assigned it again after: the value before the first such assignment.)
                for name in _REFERENCED(sub.text):
                    entries = history.get(name)
                    if entries is None:
                        continue
                    if ordered:
                        k = bisect_right(entries, sub.a, key=_AT)
                        if k < len(entries):
                            if then is None:
                                then = {}
                            then[name] = entries[k][1]
                        continue
                    for at, old in entries:
                        if at > sub.a:
                            if then is None:
                                then = {}
                            then[name] = old
                            break
            if batching:
                # (BATCH_VALUES: as _queue spends the budget and takes the snapshot)
                self.budget -= len(sub.text)
                if self.budget >= 0:
                    batch.append(
                        (
                            sub,
                            self._item_at(m.offsets[sub.a] if sub.a < len(m.offsets) else None)
                            if item_base is None
                            else item_base,
                            self._snapshot(sub.text, then),
                        )
                    )
                else:
                    self.script.truncated = True
                continue
            self._queue(
                inner,
                True,
                self._item_at(m.offsets[sub.a] if sub.a < len(m.offsets) else None) if item_base is None else item_base,
                then,
            )
        if batch:
            self._batch_read(m, batch)

    def _batch_read(self, m: _Mapped, batch: list) -> None:
        """BODY_BATCH: the bodies ``batch`` of the plain script ``m`` (each its Token and item),
        read as the work list reads them when queued (nothing before them): one level deeper,
        each _body_read's (else _read_one's); a body whose text _BODY_LINES holds, its steps here,
        _script_start once for a row of such (what a body of those steps sets, the next sets
        again; _body_read's checks read nothing they change)."""
        depth = self.depth + 1
        lines = BODY_LINES and ONE_READ and type(m.offsets) is not list
        offsets = m.offsets
        commands = self.script.commands
        get = _BODY_LINES.get
        new = tuple.__new__
        ready = False  # (_script_start done, and _body_read's checks passed, since a body read otherwise)
        for sub, item, snap in batch:
            text = sub.text
            if snap is not None:
                # (BATCH_VALUES: a body with a `$` in it, read as read() reads it from the work
                # list, its variables holding their values at its place while it is read; not
                # where _body_read records it from a text held, reading no value.)
                inner = _new_object(_Body)
                inner.s, inner.offsets, inner.parent, inner.base = text, offsets[sub.a : sub.b], m, sub.a
                self.depth = depth
                ready = False
                if (
                    lines
                    and BODY_WORDS
                    and not (
                        self.notes
                        or self.stdin_of
                        or self.files
                        or self.aliases
                        or self.scoped
                        or not self.plain_commands
                    )
                    and (get(text) is not None or _BODY_WORDS.get(text) is not None)
                ):
                    self._body_read(inner, item)
                    continue
                back = self._values_then(snap)
                if not (not self.notes and self._body_read(inner, item)):
                    self._read_one(inner, True, item)
                self._values_back(back)
                continue
            held = (
                get(text)
                if lines
                and (
                    ready or not (self.notes or self.stdin_of or self.files or self.aliases or not self.plain_commands)
                )
                else None
            )
            if held is None:
                # (read() for it: a _Body of it, as _read_one makes it)
                inner = _new_object(_Body)
                inner.s, inner.offsets, inner.parent, inner.base = text, offsets[sub.a : sub.b], m, sub.a
                self.depth = depth
                ready = False
                if not (not self.notes and self._body_read(inner, item)):
                    self._read_one(inner, True, item)
                continue
            if not ready:
                self.depth = depth
                self._script_start(None, None)  # (a script of no note, read nested)
                self.doc_ordinals = None
                ready = True
            # (_body_read's steps for a text _BODY_LINES holds, its offsets the script's from the
            # body's start)
            texts, at, b, n0, name = held
            argv = list(texts)
            spans = _new_object(_RowSpans)
            base = sub.a
            spans.m, spans.words, spans.at, spans.delta = m, argv, at + base, 0
            start = offsets[base + at]
            key = ((start, offsets[base + at + n0 - 1] + 1), texts)  # (_seen_before's: depth > 0)
            if key in self.seen:
                continue
            if not self.seen:
                self.seen = set()
            self.seen.add(key)
            commands.append(new(Command, (argv, spans, start, offsets[base + b - 1] + 1, True, item, False, name)))

    def and_or(self, op: str) -> None:
        """A list operator at the top level of the script read (not the status walk's reader):
        whether the next command follows an `&&` or `||` (``listed``), and the conditional parts
        of its and-or list (``guards``, kept as _StatusWalk._guard keeps them), so that _assign
        and _expanded_name tell a value surely assigned from one that may not be (`c=echo; [ -f x
        ] && c=claude && $c`: claude; after the list, echo or claude)."""
        if op == "&&" or op == "||":
            if op == "||":
                if self.listed:
                    self.guards.pop()
                self.ors += 1
                self.or_part = True  # (`a || c=x && $c`: $c runs when a passed too)
            elif self.listed:
                return
            self.guard_no += 1
            self.guards.append(self.guard_no)
            self.listed = True
        elif self.listed:
            self.listed = self.or_part = False
            self.guards = []

    def _read_plain(self, m: _Mapped, nested: bool, item_base: int | None) -> list[Token] | None:
        """A plain script (see PLAIN_SCRIPTS) read as tokenize and _Splitter read it, in one loop:
        the bodies of its `$( )`; None (nothing read) when it is not one."""
        s = m.s
        if "'" in s or '"' in s or "\\" in s or "`" in s:
            return None  # never in a plain script (most scripts that are not: a few quick searches)
        new = tuple.__new__  # Token(...) without its Python-level __new__
        seq: list[str] = []  # the tokens' texts (a _Line's)
        code = offset_code(len(s))  # (both hold indices up to the length of s: the end is one)
        at_char = array(code)  # where each starts
        op_at = array(code)  # where the operators are in seq (a command's words are a slice of it)
        line = new(_Line, (seq, at_char, op_at))  # (without the NamedTuple's Python-level __new__)
        subs: list[Token] = []
        append, at_append = seq.append, at_char.append
        first = True  # the next word is a command's first: a keyword there is the general path's
        pos = 0  # the tokens are in a row: each starts where the one before (and its blanks) ends
        n = len(s)
        pattern = _PLAIN_SCRIPT_ASSIGN if PLAIN_SUB_ASSIGN else _PLAIN_SCRIPT
        findall = pattern.findall
        intern = sys.intern
        # A block of lines at a time, bigger each time: a script that is not plain is left after
        # little more than the text before its first odd character (findall reads to the end of
        # its block). A line much longer than the block is cut before a blank (a word or operator
        # is never cut; a `$( )` cut in two is an odd character, so the general path reads the
        # script); with no blank either, the rest is read a token at a time (finditer), which the
        # first odd character ends: else each level of `$(` nested in one long line without a
        # blank read the rest of the line again.
        start, size = 0, 256
        while start < n:
            if n - start <= 2 * size:
                # The rest fits in a block: read to the end in one findall (no token at a time
                # for the last half of a long script, as when no line break was found).
                stop = n
                tokens = findall(s, start, n)
            elif (stop := s.find("\n", start + size, start + 2 * size)) >= 0:
                stop += 1
                tokens = findall(s, start, stop)
            else:
                stop = s.find(" ", start + size, start + 2 * size)
                seen = start
                while stop >= 0 and PLAIN_SUB_ASSIGN and s.rfind("$(", seen, stop) > s.rfind(")", seen, stop):
                    # (A blank in a `$( )`, which holds no parenthesis: the block is cut at the
                    # first blank after its `)` instead, the `$( )` read whole.)
                    seen = s.find(")", stop)
                    stop = s.find(" ", seen) if seen >= 0 else -1
                if stop >= 0:
                    tokens = findall(s, start, stop)
                else:
                    tokens = (x.groups("") for x in pattern.finditer(s, start))
                    stop = n
            size = min(2 * size, 1 << 20)
            # PERIODIC_TOKENS: a block whose tokens repeat a unit (an `&&` list of one call) read
            # a unit at a time: its head, one unit, what the unit gave copied, then its tail.
            parts = (tokens,)
            if PERIODIC_TOKENS and type(tokens) is list and len(tokens) >= _PERIOD_MIN:
                cut = _token_period(tokens)
                if cut is not None:
                    i0, p, k = cut
                    parts = (tokens[:i0], None, tokens[i0 : i0 + p], k, tokens[i0 + k * p :])
            for part in parts:
                if part is None:  # (the unit starts: what the loop holds there)
                    pos0, first0, n0, ops0, subs0 = pos, first, len(seq), len(op_at), len(subs)
                    continue
                if type(part) is int:
                    # (the unit read once: the same again part - 1 times, where it gave the
                    # same state at its end as at its start and no `$( )` body)
                    width, count, step = pos - pos0, len(seq) - n0, part - 1
                    if first is not first0 or len(subs) != subs0 or not width or not count:
                        parts_left = tokens[i0 + p : i0 + part * p]  # (read one by one)
                    else:
                        seq.extend(seq[n0:] * step)
                        unit = at_char[n0:]
                        at_char.extend([a + d for d in range(width, width * part, width) for a in unit])
                        unit = op_at[ops0:]
                        op_at.extend([o + d for d in range(count, count * part, count) for o in unit])
                        pos += width * step
                        continue
                else:
                    parts_left = part
                for blanks, word, op, bad in parts_left:
                    if word:
                        a = pos + len(blanks)
                        pos = a + len(word)
                        if first:
                            if word in _KEYWORDISH:
                                return None
                            first = False
                        append(intern(word))
                        at_append(a)
                        if word[-1] == ")":  # a `$( )` (`NAME=$( )`): its body, as tokenize gives it
                            b = a + 2 if word[0] == "$" else a + word.index("$(") + 2
                            # (its text one string for all the bodies of that text: kept with each)
                            subs.append(new(Token, ("sub", intern(s[b : pos - 1]), b, pos - 1, None)))
                    elif op:
                        a = pos + len(blanks)
                        pos = a + len(op)
                        op_at.append(len(seq))
                        append(intern(op))  # (kept with the script: one `&&` for all)
                        at_append(a)
                        first = True
                    elif bad:
                        return None
                    else:  # the end of the block: blanks before a cut count in the next token's start
                        pos += len(blanks)
            start = stop
        if self.want_docs:
            self.doc_ordinals = {} if self.depth == 0 else None  # no heredoc here
        # _Splitter at depth 0 with no keyword: a list operator ends the command and the item, a
        # pipe the command (what it writes goes to the next one). The end is one more list operator.
        op_at.append(len(seq))
        append(";")
        at_append(n)
        command, plain_name = self._command, self.plain_name
        new_object = object.__new__
        last_w0 = last_name = None  # (see below: the words are interned, one string per spelling)
        memo = PLAIN_NAME_MEMO
        last_argv = None
        script = self.script
        commands, items, item_starts = script.commands, script.items, self.item_starts
        top = not nested and item_base is None
        offsets = m.offsets
        # A top-level command whose name none of _command's cases reads: recorded here, as
        # _record_plain records it (no quotes in a plain script; the top level is read once).
        # (Not with functions: a script read with its caller's, `. s.sh` of `f claude`, may call one.)
        direct = type(offsets) is not list and self.plain_commands and not self.depth and not self.functions
        pipe = None
        item_start = item_end = -1
        after = 0  # where the words after the last operator start in seq
        lists = (top or self.child) and "=" in s  # (the top level's and-or lists, for an assignment: see and_or)
        for at in op_at:
            lo, after = after, at + 1
            if at > lo:
                if item_start < 0:
                    item_start = at_char[lo]
                item_end = at_char[at - 1] + len(seq[at - 1])
            t = seq[at]
            if t == "|":
                pipe = command(m, _line_tokens(line, lo, at), nested, item_base, pipe, True, False) if at > lo else None
                continue
            sp = None  # the item's span, when it is the command's
            if at > lo:
                if direct:
                    # plain_name of the first word; the command before's answer for the same word
                    # when neither a file, an alias nor a pipe is there (then it is the word's alone).
                    w0 = seq[lo]
                    if w0 is last_w0 and memo and pipe is None and not self.files and not self.aliases:
                        name = last_name
                    else:
                        name = plain_name(w0, pipe is not None)
                        if pipe is None and not self.files and not self.aliases:
                            last_w0, last_name = w0, name
                if direct and name is not None:
                    if self.files:
                        self._names_files(seq[lo:at])
                    item = item_base if item_base is not None else len(items)
                    if item_start == at_char[lo]:
                        # The item is the command: one tuple for both (m.span's, without a call:
                        # ``direct`` offsets hold no None).
                        sp = start, end = offsets[item_start], offsets[item_end - 1] + 1
                    else:
                        start, end = offsets[at_char[lo]], offsets[item_end - 1] + 1
                    # _PlainSpans(m, seq, at_char, lo, at - lo), its slots set here: no __init__
                    # call per command (an `&&` list of 800,000). (seq is kept: see below.)
                    spans = new_object(_PlainSpans)
                    spans.m, spans.words, spans.delta, spans.starts, spans.lo, spans.n = m, seq, 0, at_char, lo, at - lo
                    argv = seq[lo:at]
                    if argv == last_argv:
                        argv = last_argv  # (the command before's words: one list for both, as a
                        # _SEEN script moved is one for all its copies; nothing changes an argv)
                    else:
                        last_argv = argv
                    commands.append(new(Command, (argv, spans, start, end, nested, item, False, name)))
                elif (
                    ASSIGN_READ
                    and "=" in seq[lo]
                    and (NAME_PAST_PREFIX or self.functions is None)
                    and _assigns_only(seq, lo, at)
                ):
                    # What _command comes to for assignments alone (no command name: no function
                    # called or unset; no redirection in a plain script): _assign. (Without
                    # NAME_PAST_PREFIX, _command asks of the first word what it asks of a name.)
                    if len(self.vars) < 256 or not (VARS_FULL and at == lo + 1 and self._full_for(seq[lo])):
                        self._assign(m, _line_tokens(line, lo, at), (not nested or self._own_level()) and pipe is None)
                else:
                    command(m, _line_tokens(line, lo, at), nested, item_base, pipe, False, False)
            pipe = None
            if lists:
                self.and_or(t)
            if item_start >= 0:
                if top:
                    if sp is None:
                        sp = m.span(item_start, item_end)
                    if sp is not None:
                        items.append(sp)
                        item_starts.append(sp[0])
                    else:
                        script.exact = False
                item_start = -1
        if top and not self.depth:
            seq.pop()  # (the `;` added above)
            at_char.pop()
            op_at.pop()
            script.tokens = line
        return subs

    def _item_at(self, offset: int | None) -> int:
        if offset is None:
            return -1
        idx = bisect_right(self.item_starts, offset) - 1
        if idx >= 0 and offset < self.script.items[idx][1]:
            return idx
        return -1

    def _nested(self, m: _Mapped, a: int, b: int, item: int, unquoted: bool = True) -> None:
        """Queue a string the command runs as a script (``sh -c``, ``su -c``, ``eval``)."""
        self._queue(_unquote_mapped(m, a, b) if unquoted else _Mapped(m.s[a:b], m.offsets[a:b]), True, item)

    def _nested_at(self, m: _Mapped, word: Token, at: int, item: int) -> None:
        """Queue the command line that starts ``at`` characters into the unquoted ``word``
        (`-S'claude -v'`: after the `-S`; `--command=…`: after the `=`)."""
        if not at:
            self._nested(m, word.a, word.b, item)
            return
        value = _unquote_mapped(m, word.a, word.b)
        self._queue(_Mapped(value.s[at:], value.offsets[at:]), True, item)

    def plain_name(self, w0: str, piped: bool) -> str | None:
        """The name of a command without redirections whose first word is ``w0`` when none of
        _command's cases reads it (no assignment, no quotes in it, no wrapper, shell, ``$``, alias,
        feeder in a pipeline, file command once files were made): _record_plain records it as it
        is, one command of all its words. None for any other."""
        if "=" in w0 or "'" in w0 or '"' in w0 or "\\" in w0 or "$" in w0 or "`" in w0:
            return None
        name = w0.rsplit("/", 1)[-1] if "/" in w0 else w0
        if (
            name in _SPECIAL_NAMES
            or name in SHELLS
            or (piped and name in FEEDERS)
            or (self.files and (name in _FILE_COMMANDS or "/" in w0))
            or name in _VAR_COMMANDS
            or (self.aliases and w0 in self.aliases)
        ):
            return None
        return name

    def _command(
        self,
        m: _Mapped,
        toks: list[Token],
        nested: bool,
        item_base: int | None,
        piped=None,
        piping=False,
        redirs: bool = True,  # False: the splitter saw no redirection among toks
    ):
        """Read one simple command; ``piped`` is what the command before a `|` writes (see
        _feed). Piping into another command, returns what this one writes when a shell would
        read it as a script."""
        w0 = toks[0][1]
        if (
            w0 == "eval"
            and EVAL_ONE
            and len(toks) == 2
            and toks[1][0] == "word"
            and self.functions is None
            and not self.files
            and not self.aliases
        ):
            # `eval "$e1"`: what the steps below come to for it (EVAL_ONE).
            item = item_base if item_base is not None else len(self.script.items)
            self._eval(m, toks, 0, m.span(toks[0].a, toks[0].b), m.span(toks[1].a, toks[1].b), nested, item)
            return None
        if (
            w0[:1] == "$"
            and EXPANDED_ONE
            and self.functions is None
            and not self.files
            and not self.aliases
            and "/" not in w0
            and "'" not in w0
            and '"' not in w0
            and "\\" not in w0
            and "`" not in w0
            and all(t[0] == "word" for t in toks)
        ):
            # `$e1`, `$c -v`: what the steps below come to for it (EXPANDED_ONE).
            item = item_base if item_base is not None else len(self.script.items)
            texts = [t[1] for t in toks]
            joined = "".join(texts)
            if "'" in joined or '"' in joined or "\\" in joined:
                texts = None
            if self.vars or self.args is not None or "$(" in w0 or "${" in w0:
                self._expanded_name(m, toks, item)
            start_span = m.span(toks[0].a, toks[0].b)
            end_span = start_span if len(toks) == 1 else m.span(toks[-1].a, toks[-1].b)
            self._record(m, toks, start_span, end_span, nested, item, False, 0, texts)
            return None
        if self.functions is not None:
            k, plain = 0, True
            if NAME_PAST_PREFIX and (toks[0].kind != "word" or "=" in w0):
                # Assignments or redirections first (`x=1 eval 'f() { true; }'`, `x=1 unset -f
                # f`, `2>&1 f`): the name is the first word past them; none (`x=$(f)`: its
                # substitutions run in a subshell) runs no text here nor calls a function.
                k, plain = _command_name_at(toks)
            if k is None:
                pass
            elif toks[k].text in self.functions:
                if plain:  # (`x+=1 f`: dash runs a command `x+=1`, not f)
                    self._call(m, toks[k:], item_base if item_base is not None else len(self.script.items))
                else:
                    self.evals += 1  # (bash calls f there: what it runs decides nothing)
            elif toks[k].text == "unset":
                if plain:
                    self._unset_functions([unquote(w.text) for w in toks[k + 1 :]])
                else:
                    self.evals += 1
            elif _may_run_text(toks[k:], self.aliases):
                self.evals += 1
        if not redirs and self.plain_commands:
            if PLAIN_FIRSTS and piped is None and not piping and not self.files and not self.aliases:
                # (plain_name's answer where no file, alias or pipe is there: the word's alone)
                plain = _PLAIN_FIRSTS.get(w0)
                if plain is None:
                    if len(_PLAIN_FIRSTS) >= 4096:
                        _PLAIN_FIRSTS.clear()
                    plain = _PLAIN_FIRSTS[w0] = self.plain_name(w0, False) is not None
            else:
                plain = self.plain_name(w0, piping or piped is not None) is not None
            if plain:
                # The commonest command (what the cases below give it, in one short step).
                self._record_plain(m, toks, nested, item_base if item_base is not None else len(self.script.items))
                return None
        # Drop redirections and their targets; keep heredoc bodies and here-strings fed to the command.
        words: list[Token] = []
        # The script on its stdin: ("raw"|"word", a, b) or ("doc", ordinal); None: the pipe's.
        # Redirections apply left to right, the last one of fd 0 wins (`sh -s < /dev/null`,
        # `sh <&-`: nothing), and a heredoc on another fd (`sh 3<<EOF`) is not stdin.
        stdin: list[tuple] | None = None
        if redirs:
            for t in toks:
                if t.kind == "redir":
                    break
            else:
                words = toks
        else:
            words = toks  # no redirection (most commands): the words as they are
        stdout_elsewhere = False  # `echo claude > /dev/null | sh`: the feeder writes nothing to the pipe
        written: list[tuple[bool, str]] = []  # the file its stdout goes to: (appended, the target word)
        opened: list[tuple[bool, str]] = []  # the files its redirections open for writing (any fd)
        out_at = None  # the one of them its stdout goes to (the last redirection of fd 1 wins)
        if words is not toks:
            skip = herestring = dup = False
            target = reading = None
            for t in toks:
                if skip:
                    skip = False
                    if herestring:
                        stdin = [("word", t.a, t.b)]  # `<<< 'claude --version'`
                    elif target is not None:
                        if target[1]:
                            out_at = len(opened)
                        opened.append((target[0], unquote(t.text)))
                    elif reading:
                        key = _file_key(unquote(t.text))  # `sh < s.sh`
                        stdin = list(self._file_srcs(key)) if key is not None and key in self.files else []
                    elif dup and unquote(t.text) != "0":
                        stdin = []  # (`<&3`: what fd 3 holds)
                    target = reading = None
                    herestring = dup = False
                    continue
                if t.kind == "redir":
                    op = t.text.lstrip("0123456789")
                    fd = t.text[: len(t.text) - len(op)]
                    skip = not op.endswith("-") or op.rstrip("-").endswith("<<")
                    if op[0] == ">":
                        if fd in ("", "1"):
                            stdout_elsewhere = True
                            out_at = None
                            if "&" not in op:
                                target = (op == ">>", True)
                        elif "&" not in op:
                            target = (op == ">>", False)
                    elif fd not in ("", "0"):
                        pass  # (`3<<EOF`, `4< f`: not what the command reads)
                    elif op == "<<<":
                        herestring = True
                    elif op in ("<<", "<<-"):
                        if t.body is not None:
                            stdin = [("raw", t.body[0], t.body[1])]
                        elif self.doc_ordinals is not None and t.a in self.doc_ordinals:
                            stdin = [("doc", self.doc_ordinals[t.a])]  # a Dockerfile heredoc (RUN line)
                    elif op == "<":
                        reading = True
                    elif op == "<&":
                        dup = True
                    else:
                        stdin = []  # (`<&-` closes it; `<>` reads a file)
                    continue
                words.append(t)
        if stdin is None:
            stdin = piped or self.inherited or []
        k = 0
        while k < len(words) and "=" in words[k].text and not words[k].text.startswith(("=", "-", "'", '"')):
            name = words[k].text.split("=", 1)[0]
            if not name.replace("_", "a").isalnum():
                break
            k += 1
        if opened:
            # Each file a redirection opens is truncated (`>`) or appended to, with what is not
            # known but a feeder's stdout (written after it runs, see the end).
            feeder = k < len(words) and unquote(words[k].text).rsplit("/", 1)[-1] in FEEDERS
            for n, (appended, target) in enumerate(opened):
                if n == out_at and feeder:
                    written.append((appended, target))
                    if not appended:
                        self._write(target, None, False)  # (emptied before it runs: `cat f > f`)
                else:
                    self._write(target, None, appended)
        if self.files and k < len(words):
            self._names_files([w.text for w in words[k:]])
        if k >= len(words):
            if k:  # assignments alone: the shell's variables from now on
                self._assign(m, words, (not nested or self._own_level()) and piped is None and not piping)
            return
        w0 = words[k].text
        if w0 in ("export", "readonly", "local", "declare", "typeset") and len(words) > k + 1:
            self._assign(m, words[k + 1 :], (not nested or self._own_level()) and piped is None and not piping)
            if w0 == "export":
                if not self.exported:
                    self.exported = set()  # (LAZY_READER: made on first write)
                self.exported.update(w.text.split("=", 1)[0] for w in words[k + 1 :])
        elif w0 == "set" and k + 1 < len(words) and words[k + 1].text == "--":
            # (Where it may not run, as `shift` there: the parameters are not known.)
            if self.sure_context and not self.after_and and piped is None and not piping:
                self._set_args(m, words[k + 2 :])
            else:
                self.args = None
        elif SET_OPERANDS and w0 == "set" and k + 1 < len(words):
            # `set -e true`, `set -o errexit true`, `set -ex -- true`: the operands after the options
            # are the new parameters too (an option that is an expansion: not known).
            at = _set_operands(words, k + 1)
            if at is not None:
                sure = self.sure_context and not self.after_and and piped is None and not piping
                if sure and at >= 0:
                    self._set_args(m, words[at:])
                else:
                    self.args = None
        elif SET_OPERANDS and self.args is not None and w0 in _PARAMS_CHANGERS:
            # `eval "set -- true"`, `command set -- x`, `builtin shift`: the parameters
            # may change in a way this does not follow: not known from here on. (`command set -e`,
            # `command ls`: they stay.)
            nxt = unquote(words[k + 1].text) if k + 1 < len(words) else ""
            if w0 not in ("command", "builtin") or nxt in _PARAMS_CHANGERS or nxt in ("shift", "") or nxt[0] == "-":
                self.args = None
            elif nxt == "set" and _set_operands(words, k + 2) is not None:
                self.args = None
        elif w0 == "read" and stdin:
            self._read_values(m, words[k + 1 :], stdin)
        elif w0 == "unset" and self.vars and not any(w.text.startswith("-f") for w in words[k + 1 :]):
            # `unset c`: none from now on (where it surely runs; else its value or none).
            sure = self.sure_context and not self.after_and and not nested and piped is None and not piping
            for w in words[k + 1 :]:
                name = unquote(w.text)
                held = self.vars.get(name)
                if held is not None and self.history is not None:
                    self._remember(name, w.a)
                if held is not None and sure:
                    del self.vars[name]  # (as one never assigned: `${c:-x}` is x, or what the base image set)
                elif held is not None:
                    self.vars[name] = (held[0], False)
        elif w0 == "shift" and self.args is not None:
            # `shift [N]`: the parameters after the first N; where it may not run, or N is not a
            # number the script holds that many of, they are not known.
            n = unquote(words[k + 1].text) if k + 1 < len(words) else "1"
            sure = self.sure_context and not self.after_and and piped is None and not piping
            if sure and n.isdigit() and int(n) < len(self.args):
                self.args = [self.args[0], *self.args[1 + int(n) :]]
            else:
                self.args = None
        elif w0 == "alias":
            for w in words[k + 1 :]:
                name, eq, _ = w.text.partition("=")
                if eq and name and len(self.aliases) < 256:
                    if not self.aliases:
                        self.aliases = {}  # (LAZY_READER: made on first write)
                    self.aliases[name] = _unquote_mapped(m, w.a + len(name) + 1, w.b)
        elif self.aliases and w0 in self.aliases:
            # dash (and ash) expand an alias defined on an earlier line, bash does not in a
            # script: what it runs may run (a warning at most).
            self._expanded_name(m, words[k:], item_base if item_base is not None else len(self.script.items), True)
        start_span = m.span(toks[0].a, toks[0].b)
        end_span = m.span(toks[-1].a, toks[-1].b)
        item = item_base if item_base is not None else len(self.script.items)
        name = ""
        runner = False  # the command comes through a package runner (`npx X`): it may be fetched
        self.via_runner = False
        # Each wrapper is a command too, its argv the words from it on, up to _FULL_LEVELS of them
        # in a row; the ones after are read past, not recorded (no rule looks for a wrapper so
        # deep) but for those that may lose the status: a chain of n wrappers was n argvs of up
        # to n words (8,000 `sudo -u x`: 3 GB).
        levels = 0
        # The words' texts, sliced for each command recorded (None when one holds a quote or a
        # backslash: _record unquotes those).
        texts = [w.text for w in words]
        joined = "".join(texts)
        if "'" in joined or '"' in joined or "\\" in joined:
            texts = None
        expands = "$" in joined or "`" in joined  # (a wrapper's value may be an expansion's)
        walked = None  # (WRAPPER_MEMO: _skip_walked's answers for this command, when first asked)
        bare = texts is not None and WRAPPER_MEMO  # (and no word to look at for a quote: none holds one)
        while k < len(words):
            name = words[k].text
            if not bare and ("'" in name or '"' in name or "\\" in name):
                name = unquote_bash(name) if "$'" in name or '$"' in name else unquote(name)
            if "/" in name or not bare:
                name = name.rsplit("/", 1)[-1]
            if name not in _SPECIAL_NAMES and self.plain_commands:
                break  # none of the cases below: the command itself
            nxt: int | None = None
            if name in _STRING_FIRST:
                # `env -S STRING`, `script -qc STRING`: a command line as an option's value.
                at = _string_option(STRING_OPTIONS[name], _Unquoted(words), k)
                if at is not None or name == "script":
                    self._record(m, words[k:], start_span, end_span, nested, item)
                    if at is not None and name == "env":
                        # GNU env splits the string into words (quotes and `${VAR}` read, no shell
                        # operators: `env -S 'true && claude'` runs `true` with three arguments)
                        # and appends the words after it (`env -S 'A=1' claude -v` runs claude):
                        # one simple command, its operator characters made plain.
                        value = _unquote_mapped(m, words[at[0]].a, words[at[0]].b)
                        parts, offs = [value.s[at[1] :], " "], [*value.offsets[at[1] :], None]
                        for w in words[at[0] + 1 :]:
                            value = _unquote_mapped(m, w.a, w.b)
                            parts += (value.s, " ")
                            offs.extend(value.offsets)
                            offs.append(None)
                        self._queue(_Mapped("".join(parts).translate(_ENV_S_PLAIN), offs), True, item)
                    elif at is not None:
                        self._nested_at(m, words[at[0]], at[1], item)
                    return None
            if name == "trap":
                # `trap [--] ACTION CONDITION…`: ACTION runs on a condition (`-`, a number, or
                # a single operand reset them; `-p`, `-l` print).
                self._record(m, words[k:], start_span, end_span, nested, item)
                j = k + 1
                if j < len(words) and unquote(words[j].text) == "--":
                    j += 1
                if j + 1 < len(words) and (j > k + 1 or not words[j].text.startswith("-")):
                    action = unquote(words[j].text)
                    if action != "-" and not action.isdigit():
                        queued = len(self.work)
                        self._nested(m, words[j].a, words[j].b, item)
                        if self.functions and len(self.work) > queued:
                            self._sees_functions(self.work[-1][0])  # (this shell runs it)
                return None
            if name in WRAPPERS and name != "runuser":
                quick = _OPTIONLESS.get(name) if self.plain_commands else None
                w = words[k + 1].text if k + 1 < len(words) else "-"
                if (
                    quick is not None
                    and w[:1] != "-"
                    and (bare or ("'" not in w and '"' not in w and "\\" not in w))
                    and not (quick[1] and "=" in w and w[0] != "=")
                ):
                    # No option after it (`time x`, `timeout 5 x`): the command follows its
                    # operands, as _skip_wrapper finds (a wrapper chain is a million of these).
                    nxt = k + 1 + quick[0]
                    if nxt >= len(words) or quick[2] and check_value(quick[2], w) is False:
                        nxt = None  # (w: the operand, unquoted)
                else:
                    if bare:
                        nxt = _skip_walked(name, words, k, texts, walked if walked is not None else (walked := {}))
                    else:
                        nxt = _skip_wrapper(name, words, k)
                    if nxt is None and WRAPPERS[name].shell_short and _starts_shell(name, words, k):
                        # `sudo -s <<EOF`, `sudo -u node -i <<EOF`: the shell it starts reads the heredoc.
                        self._record(m, words[k:], start_span, end_span, nested, item)
                        self._feed(m, stdin, item, reads=name)
                        return None
                if nxt is not None and name in PROGRAM_WRAPPERS and _name_at(words, nxt) in SHELL_ONLY:
                    # `env exec claude`, `timeout 5 eval claude`, `exec command claude`, `xargs
                    # exec`: a program (exec's too) is run, and these are the shell's own: "not
                    # found", nothing runs.
                    return None
                if nxt is not None and name == "xargs" and stdin and all(src[0] == "mapped" for src in stdin):
                    # `echo claude | xargs -I % % -v`, `printf '%s\n' claude | xargs sh -c '"$0" -v'`:
                    # the command lines xargs builds from input the RUN wrote.
                    built = _xargs_lines(m, words, k, nxt, stdin)
                    if built is not None:
                        self._record(m, words[k:], start_span, end_span, nested, item)
                        for line in built:
                            self._queue(line, True, item)
                        return None
                if nxt is not None and WRAPPERS[name].command_opts:
                    if unquote(words[nxt].text) in WRAPPERS[name].command_opts:  # `flock FILE -c STRING`
                        self._record(m, words[k:], start_span, end_span, nested, item)
                        if nxt + 1 < len(words):
                            self._nested(m, words[nxt + 1].a, words[nxt + 1].b, item)
                        return None
                if nxt is not None and name == "parallel" and unquote(words[nxt].text) in (":::", ":::+"):
                    # GNU `parallel ::: CMD…`, no command after its options: each argument of the first
                    # group is a command line it runs (joined to the other groups' arguments, if any).
                    self._record(m, words[k:], start_span, end_span, nested, item)
                    for w in words[nxt + 1 :]:
                        if unquote(w.text) in (":::", ":::+", "::::", "::::+"):
                            break
                        self._nested(m, w.a, w.b, item)
                    return None
            elif name == "find":
                # `find … -exec CMD ARGS \;` (or `{} +`, -execdir, -ok): CMD runs for each file.
                self._record(m, words[k:], start_span, end_span, nested, item)
                j = k + 1
                while j < len(words):
                    if unquote(words[j].text) in FIND_EXEC and j + 1 < len(words):
                        e = j + 1
                        while e < len(words) and not (
                            unquote(words[e].text) == ";" or (words[e].text == "+" and words[e - 1].text == "{}")
                        ):
                            e += 1
                        if e > j + 1:
                            a, b = words[j + 1].a, words[e - 1].b
                            self._nested(m, a, b, item, unquoted=False)
                        j = e
                    j += 1
                return None
            elif name in ("su", "runuser"):
                # runuser -u USER [--] COMMAND; `su USER` and `runuser USER` start a shell. A `-c`
                # is runuser's own only before its command (`runuser -u node ionice -c 3 x`).
                nxt = _skip_wrapper("runuser", words, k) if name == "runuser" else None
                at = _string_option(STRING_OPTIONS[name], _Unquoted(words), k, nxt)
                if at is not None:
                    self._record(m, words[k:], start_span, end_span, nested, item)
                    self._nested_at(m, words[at[0]], at[1], item)
                    return None
                if name == "su" or nxt is None and not _runuser_user(words, k):
                    # `su USER -- -c STRING`: the operands after the user go to the shell, which
                    # reads its stdin when they are options only (`su node <<EOF`, `su - node`).
                    ops = _operands(STRING_OPTIONS["su"], _Unquoted(words), k)
                    shell_words = [words[i] for i in ops]
                    j = _shell_c_string(shell_words, 0) if len(ops) > 1 else None
                    if j is not None:
                        self._record(m, words[k:], start_span, end_span, nested, item)
                        self._nested(m, shell_words[j].a, shell_words[j].b, item)
                        return None
                    if _reads_stdin([unquote(w.text) for w in shell_words[1:]]):
                        self._record(m, words[k:], start_span, end_span, nested, item)
                        self._feed(m, stdin, item, reads=name)
                        return None
            elif name == "builtin":
                # bash's `builtin NAME ARGS` runs the builtin NAME (`builtin command claude` runs
                # claude); any other NAME, a harness's too, is an error there. (dash has no
                # `builtin`: the status walk does not count what follows it.)
                nxt = k + 1
                if nxt < len(words) and unquote(words[nxt].text) == "--":
                    nxt += 1
                if nxt >= len(words) or unquote(words[nxt].text) not in _RUNNING_BUILTINS:
                    nxt = None
            elif name == "sg":
                # `sg [-] GROUP [-c] COMMAND`: /bin/sh -c COMMAND with GROUP's id; with no
                # COMMAND, a shell that reads its stdin.
                self._record(m, words[k:], start_span, end_span, nested, item)
                j = k + 1
                if j < len(words) and unquote(words[j].text) == "-":
                    j += 1
                if j < len(words):
                    j += 1
                    if j < len(words) and unquote(words[j].text) == "-c":
                        j += 1
                    if j < len(words):
                        self._nested(m, words[j].a, words[j].b, item)
                    else:
                        self._feed(m, stdin, item, reads=name)
                return None
            elif name == "eval":
                self._eval(m, words, k, start_span, end_span, nested, item)
                return None
            elif name == "corepack":
                # `corepack pnpm dlx X`, `corepack yarn …`: corepack runs the package manager it
                # names with the words after it (any other word is its own subcommand).
                # Its package runners only (`pnpm dlx`, `yarn dlx`, `npm exec`, `npx`, `yarn exec`): an install
                # behind it is aishell.harness.find_install's, which reads `corepack npm i -g X`.
                tool = unquote(words[k + 1].text) if k + 1 < len(words) else ""
                if tool not in COREPACK_TOOLS or not (
                    tool in ONE_WORD_RUNNERS
                    or (k + 2 < len(words) and _runner_verb(tool, words, k + 1) is not None)
                    or (tool in _PROJECT_FIRST and _project_target(tool, words, k + 1) is not None)
                ):
                    break
                nxt = k + 1
            elif name in ONE_WORD_RUNNERS or (
                name in _TWO_WORD_FIRST and k + 1 < len(words) and _runner_verb(name, words, k) is not None
            ):
                target, call, at = _runner_target(words, k)
                if call is not None:
                    self._record(m, words[k:], start_span, end_span, nested, item)
                    if RUNNER_CALL_UNSURE:
                        inner = _unquote_mapped(m, words[call].a, words[call].b)
                        inner = _Mapped(inner.s[at:], inner.offsets[at:]) if at else inner
                        if not self.unsure:
                            self.unsure = {}  # (LAZY_READER: made on first write)
                        self.unsure[id(inner)] = inner
                        self._queue(inner, True, item)
                    else:
                        self._nested(m, words[call].a, words[call].b, item)
                    return None
                nxt = target
                levels += 1
                if levels <= _FULL_LEVELS or nxt is None:
                    self._record(m, words, start_span, end_span, nested, item, runner, k, texts)
                runner = True
                self.via_runner = RUNNER_CALL_UNSURE
                if nxt is None:
                    return None
                k = nxt
                continue
            elif TOOL_RUNNERS_ON and name in _TOOL_FIRST and (target := _tool_target(name, words, k)) is not None:
                # `poetry run claude`, `mise exec npm:@openai/codex -- codex`: the copy the tool's
                # environment provides, or the build fails.
                levels += 1
                if levels <= _FULL_LEVELS:
                    self._record(m, words, start_span, end_span, nested, item, runner, k, texts)
                runner = runner or TOOL_RUNNER
                self.via_runner = RUNNER_CALL_UNSURE
                k = target
                continue
            elif name in _PROJECT_FIRST and (target := _project_target(name, words, k)) is not None:
                # `yarn exec claude`, `yarn claude`: the project's copy, or the build fails.
                levels += 1
                if levels <= _FULL_LEVELS:
                    self._record(m, words, start_span, end_span, nested, item, runner, k, texts)
                runner = runner or PROJECT_RUNNER
                self.via_runner = RUNNER_CALL_UNSURE
                k = target
                continue
            else:
                break
            levels += 1
            if levels <= _FULL_LEVELS or nxt is None:
                self._record(m, words, start_span, end_span, nested, item, runner, k, texts)
            elif name in _STATUS_BY_OPTIONS or (
                name in _STATUS_NAMES and expands and any("$" in w.text or "`" in w.text for w in words[k:nxt])
            ):
                # (Past the cap, a wrapper that may lose the status is still a command, with its
                # own words only: the status walk reads its options, `xargs -r`, `setsid -f`, and
                # the values an expansion gives, `timeout "$T"`.)
                self._record(m, words[k:nxt], start_span, end_span, nested, item, runner)
            if nxt is None:
                return None
            k = nxt
        w = words[k].text
        if ("$" in w or "`" in w) and (self.vars or self.args is not None or "$(" in w or "`" in w or "${" in w):
            self._expanded_name(m, words[k:], item)
        self._record(m, words, start_span, end_span, nested, item, runner, k, texts)
        if name in SOURCES:
            # `. /dev/stdin <<EOF`, `source /dev/stdin`: the current shell runs its stdin.
            if k + 1 < len(words) and unquote(words[k + 1].text) in STDIN_FILES:
                self._feed(m, stdin, item, args=self.args, here=True, reads=".")
            elif k + 1 < len(words) and words[k + 1].text.startswith("<("):
                self._process_substitution(m, words[k + 1], item)  # `source <(echo claude -v)`
            elif k + 1 < len(words) and self.files:
                self._run_file(m, words[k + 1], item, here=True)  # `. ./s.sh`: a file this RUN wrote
            return None
        if name in SHELLS:
            refused = shell_refuses(name, _Unquoted(words), k + 1)
            if refused:
                return None  # (`bash --posixx -c 'claude -v'`: a usage error, nothing runs)
            sure = refused is False  # (None: `sh -o pipefail -c …`, refused by dash, not by busybox)
            if RUNNER_CALL_UNSURE and runner:
                sure = False  # (`npx -p @openai/codex sh -c 'codex -v'`: the runner's PATH, see there)
            j = _shell_c_string(words, k)
            got = None  # (OUTER_VARS: the string's values, _outer_values')
            if j is not None and OUTER_PARAMS and _outer_params(words[j].text):
                # `sh -c "$1" _ claude`: this shell expands the string's `$1` (a RUN's line has
                # none: `sh -c ""` runs nothing; `set -- claude; sh -c "$1"` runs claude), not the
                # shell it starts, which takes `_ claude` as its own $0 and $1.
                self._outer_c_string(m, words, j, item, stdin, sure)
            elif (
                j is not None
                and OUTER_PARAMS
                and OUTER_VARS
                and QUEUED_VALUES  # (off: a nested script reads each variable's last value, this one too)
                and self.vars
                and _outer_vars(words[j].text, self.vars)
                and (
                    (got := self._outer_values(m, words[j])) is not None
                    or (OUTER_GUESS and self._guessed_string(m, words[j], _whole(words[j].text)) is not None)
                )
            ):
                self._outer_c_string(m, words, j, item, stdin, sure, got)  # `c='…'; sh -c "$c"`
            elif j is not None:
                inner = _unquote_mapped(m, words[j].a, words[j].b)
                if "$" in inner.s:
                    # `sh -c 'exec "$@"' sh claude -v`: $0 and the positional parameters (none
                    # after the string: `sh -c 'set -- claude "$@"; "$@"'`).
                    given = self._operand_args(m, words[j + 1 : j + 10])
                    self._note(inner, None if given is None else given[1:] or NO_ARGS)
                if stdin:
                    if not self.stdin_of:
                        self.stdin_of = {}  # (LAZY_READER: made on first write)
                    self.stdin_of[id(inner)] = (inner, stdin)  # (`bash -c 'sh' <<EOF`: its shell reads it)
                if not sure:
                    if not self.unsure:
                        self.unsure = {}  # (LAZY_READER: made on first write)
                    self.unsure[id(inner)] = inner
                self._queue(inner, True, item)
                value = _substituted(m, words[j], self)
                if value is not None:
                    self._feed(m, value, item, sure)  # `sh -c "$(echo claude -v)"`: what the substitution writes
            else:
                args = [unquote(w.text) for w in words[k + 1 :]]
                if _reads_stdin(args):
                    # `bash <<EOF`, `sh -s <<< STRING`, `cat <<EOF | sh`, `echo … | bash -s --`: a
                    # script, given the operands after `-s` (or after `/dev/stdin`) as its parameters.
                    opts = shell_options(args, 0)
                    at = k + 1 + opts.operand + (not opts.stdin and opts.operand < len(args))
                    self._feed(m, stdin, item, sure, args=self._operand_args(m, words[at : at + 9]), reads=name)
                elif not _runs_nothing(args):
                    at = k + 1 + shell_options(args, 0).operand
                    if at < len(words) and words[at].text.startswith("<("):
                        self._process_substitution(m, words[at], item)  # `bash <(echo claude -v)`
                    elif at < len(words) and self.files:
                        self._run_file(m, words[at], item, sure=sure)  # `sh s.sh`: a file this RUN wrote
            return None
        if self.files and name in _FILE_COMMANDS:
            self._file_command(name, [unquote(w.text) for w in words[k + 1 :]])
        elif self.files and "/" in words[k].text:
            self._run_file(m, words[k], item, executed=True)  # `./s.sh`
        if name in FEEDERS and (piping or written or name == "tee"):
            unsure = (
                name == "cat"
                and any(  # (`cat s.sh | sh` of a file whose content is not sure)
                    self._file_unsure(_file_key(unquote(w.text))) for w in words[k + 1 :] if self.unsure_files
                )
            )
            out = _writes(m, name, words[k + 1 :], stdin, self, self.files) if not unsure else None
            if out is not None:
                out = self._portable(m, out)
            for appended, target in written:
                self._write(target, out, appended)
            if name == "tee":
                args = [unquote(w.text) for w in words[k + 1 :]]
                appended = any(a in ("-a", "--append") for a in args)
                for a in args:
                    if not a.startswith("-"):
                        self._write(a, out, appended)
            if piping and not stdout_elsewhere:
                return out
        return None

    def _outer_c_string(self, m: _Mapped, words: list[Token], j: int, item: int, stdin, sure: bool, got=None) -> None:
        """A shell's `-c` string (words[j]) that expands a positional or special parameter of the
        script being read (_outer_params), or a variable it holds (OUTER_VARS; ``got``: the
        string's values, _outer_values'): the shell it starts runs the string's value, so each
        value _word_values knows is read as its script (`"$1"`, `"exec $1"`: sure for one sure
        value); any other, the string as written, with no parameters known (its `$0`, `"$@"` are
        not the operands after it) and not sure (`sh -c "exec $0" claude` runs the RUN's $0)."""
        w = words[j]
        if got is None:
            got = self._outer_values(m, w) if VALUES_AT_STRING else self._word_values(m, w.text, w.a)
        several = VALUES_AT_STRING and got is not None and got[2]
        if got is not None and not all(v.s.strip() for v in got[0]):
            got = ([v for v in got[0] if v.s.strip()], got[1])  # (`sh -c ""`: runs nothing)
            if not got[0]:
                return
        whole = _whole(w.text)
        if got is None or (not whole and any(_IFS_OR_GLOB.search(v.s) for v in got[0])):
            # (Unquoted, a value is split into words and globbed: `sh -c $1` with `true; claude`
            # runs `true;`, with $0 `claude`.)
            inner = (self._guessed_string(m, w, whole) if OUTER_GUESS else None) or _unquote_mapped(m, w.a, w.b)
            self._note(inner, None)
            values, sure = [inner], False
        else:
            values, sure = got[0], sure and got[1] and len(got[0]) == 1 and not several
            given = self._operand_args(m, words[j + 1 : j + 10])
            for v in values:
                self._note(v, None if given is None else given[1:] or NO_ARGS)
        for inner in values:
            if stdin:
                if not self.stdin_of:
                    self.stdin_of = {}  # (LAZY_READER: made on first write)
                self.stdin_of[id(inner)] = (inner, stdin)
            if not sure:
                if not self.unsure:
                    self.unsure = {}  # (LAZY_READER: made on first write)
                self.unsure[id(inner)] = inner
            self._queue(inner, True, item)

    def _guessed_string(self, m: _Mapped, w: Token, whole: bool) -> _Mapped | None:
        """OUTER_GUESS: the `-c` string ``w`` that _outer_values cannot read (a `'` or backquote
        in it, `"$@"` joined to text, an unquoted value that splits) with each positional
        parameter and variable it names replaced by the first value the reader holds, inside
        single quotes too (the starting shell expands them there: `"'$1' -v"`); an unquoted
        `$1` alone, the value's first field (`sh -c $1` of `claude -v` runs `claude`). None
        where one is not known, or the word is neither one double-quoted string nor one
        expansion. Read not sure: a warning at most."""
        text = w.text
        single = _OUTER_ALONE.fullmatch(text) is not None
        if not (whole or single) or "\\" in text or not self._affords(len(text) + _JOINED_MAX):
            return None
        a = w.a + (not single)
        inner = text if single else text[1:-1]
        out, offs, k = [], [], 0
        for ref in _OUTER_REF.finditer(inner):
            name = ref.group(1) or ref.group(2)
            if name in ("@", "*") or name.isdigit():
                args = self.args
                if args is None:
                    return None
                if name == "*":
                    value = " ".join(v.s for v in args[1:] if v is not None)
                elif name == "@":
                    value = args[1].s if len(args) > 1 and args[1] is not None else ""
                else:
                    param = self._param(name)
                    value = "" if param is False else param.s if param is not None else None
            else:
                held = self.vars.get(name)
                value = held[0][0].s if held is not None and held[0] else None
            if value is None:
                return None
            if single:
                value = value.split(None, 1)[0] if value.split() else ""
            place = m.span(a + ref.start(), a + ref.end())
            if place is None:
                return None
            out += [inner[k : ref.start()], value]
            offs += list(m.offsets[a + k : a + ref.start()]) + _spanning(value, place)
            k = ref.end()
            if name == "@" and len(self.args) > 2:
                break  # (`"$@ -v"` of two: the string ends with the first; the rest are $0 …)
        else:
            out.append(inner[k:])
            offs += list(m.offsets[a + k : a + len(inner)])
        guessed = "".join(out)
        return _Mapped(guessed, offs) if guessed.strip() and len(guessed) <= _JOINED_MAX else None

    def _outer_values(self, m: _Mapped, w: Token) -> tuple[list[_Mapped], bool, bool] | None:
        """_word_values of the `-c` string ``w`` (VALUES_AT_STRING), each value mapped where the
        string is: its plain text at its own offsets, each expansion's value spanning the
        expansion (_spanning); and whether an expansion's value may hold several commands (read
        at one place: their order is not in the offsets). None where _word_values gives none."""
        got = self._word_values(m, w.text, w.a)
        if got is None or not self._affords(sum(len(v.s) for v in got[0]) + len(w.text)):
            return None  # (past the budget: not put together again, a value run many times)
        text = w.text
        quoted = text[:1] == '"' and text[-1:] == '"' and len(text) > 1
        inner = text[1:-1] if quoted else text
        at = w.a + quoted
        several = False
        pieces: list[list[tuple[str, list]]] = []
        # (A `"` inside, `"$1"" -v"`, stays in the text: the started shell reads it, and a value
        # it would join to blanks is read as written, _outer_c_string.)
        for piece in re.finditer(_WORD_PIECE, inner):
            a, b = at + piece.start(), at + piece.end()
            if piece.group(1) or piece.group(2) or piece.group(3):
                one = self._word_values(m, piece.group(), a)
                place = m.span(a, b)
                if one is None or place is None:
                    return None
                several = several or any(_SEVERAL.search(v.s) is not None for v in one[0])
                pieces.append([(v.s, _spanning(v.s, place)) for v in one[0]])
            else:
                pieces.append([(piece.group(), list(m.offsets[a:b]))])
        values = [("", [])]
        for got_piece in pieces:
            values = [(s + ps, o + po) for s, o in values for ps, po in got_piece]
            if len(values) > _VALUES_MAX:
                return None
        seen: dict[str, _Mapped] = {}
        for s, o in values:
            if s not in seen:
                seen[s] = _Mapped(s, o)
        return list(seen.values()), got[1], several

    def _remember(self, name: str, at: int) -> None:
        """QUEUED_VALUES: ``name`` is assigned at ``at`` (an offset of the script being split):
        its value before, for the `$( )` bodies queued after the split (_read_one)."""
        history = self.history
        entries = history.get(name)
        if entries is None:
            history[name] = [(at, self.vars.get(name))]
            return
        if at < entries[-1][0]:
            history[_MIXED] = True  # (not in the text's order: _read_one reads them one by one)
        entries.append((at, self.vars.get(name)))

    def _full_for(self, word: str) -> bool:
        """_assign of the one word ``word`` (`NAME=value`) does nothing: the reader holds as many
        variables as it keeps, none of the name (VARS_FULL; its callers ask the count first: most
        scripts assign few)."""
        return len(self.vars) >= 256 and word.partition("=")[0] not in self.vars

    def _assign(self, m: _Mapped, words: list[Token], sure: bool, at: int | None = None) -> None:
        """`NAME=value …`: what each variable holds from now on (``sure``: the assignment surely
        runs here; a value with an expansion in it is not known; ``at``: where the script being
        split makes it, when not at the word: an eval's string's, _evaled_assignments)."""
        sure = sure and self.sure_context and not self.or_part
        for w in words:
            name, eq, value = w.text.partition("=")
            if not eq or not name.replace("_", "a").isalnum() or name[:1].isdigit():
                continue
            if len(self.vars) >= 256 and name not in self.vars:
                continue
            if self.history is not None:
                self._remember(name, w.a if at is None else at)
            if self.child:
                if not self.own:
                    self.own = set()  # (LAZY_READER: made on first write)
                self.own.add(name)
                if sure and name not in self.scoped:
                    if not self.scoped:
                        self.scoped = {}  # (LAZY_READER: made on first write)
                    self.scoped[name] = self.vars.get(name)
            if SUBST_NONE and value[:2] == "$(" and SUBST_NO_JOIN and FEEDER_FIRST:
                # `x=$(date +%s)`: what _substituted says of it is its text's alone (SUBST_NONE):
                # no value, as the general path below finds.
                none = _NONE_VALUES.get(value)
                if none is None:
                    if len(_NONE_VALUES) >= 4096:
                        _NONE_VALUES.clear()
                    none = _NONE_VALUES[value] = _gives_none(value)
                known = None if none else False
            else:
                known = ("$" not in value and "`" not in value) or (
                    LITERAL_DOLLARS and value[:1] == "'" and value.find("'", 1) == len(value) - 1
                )
            held = _unquote_mapped(m, w.a + len(name) + 1, w.b) if known else None
            its_sure = sure
            split = False  # the value is a command line built from variables (see _joined)
            several = None  # (`y=$c`, c one of several values: y one of them, not surely)
            if known is False:
                # `d=$c` (a copy of a variable read so far), `c=$(echo claude)` (what a feeder
                # writes, its last newlines cut): known too.
                ref = _NAME_EXPANSION.fullmatch(value)
                source = (ref.group(1) or ref.group(2)) if ref is not None else None
                copied = self.vars.get(source) if source is not None else None
                if source is not None and source.isdigit():
                    # `y=$1`: the positional parameter, where the script's are known (unset: empty).
                    param = self._param(source)
                    if param is not None:
                        held = _Mapped("", []) if param is False else param
                elif copied is not None:
                    if len(copied[0]) == 1:
                        held, its_sure = copied[0][0], sure and copied[1]
                    elif copied[0]:
                        several = copied[0]
                else:
                    out = _substituted(m, tuple.__new__(Token, ("word", value, w.a + len(name) + 1, w.b, None)), self)
                    mapped = [src[1] for src in out or () if src[0] == "mapped"]
                    if len(mapped) == 1:
                        held = mapped[0]
                    elif out is None and SUBST_NO_JOIN and value.startswith(_SUBST_STARTS):
                        pass  # (`x=$(date +%s)`, `x="$(…)"`: _joined and _word_values say None)
                    elif out is None and (" " in value or "\t" in value):
                        # `c1="$c0 -v"`: words and variables read so far (a command line in a
                        # variable, `$c1`, is split by IFS, which may not be the default: a
                        # warning at most; a value of one word, `PATH=/x:$PATH`, is none).
                        held = self._joined(
                            value, m.offsets[w.a + len(name) + 1] if w.b > w.a + len(name) + 1 else None
                        )
                        split = held is not None
                        if held is None and WORD_VALUES and w.b > w.a + len(name) + 1:
                            # (`e="${v:-claude} -v"`: each value, none surely: split as above)
                            got = self._word_values(m, value, w.a + len(name) + 1)
                            if got is not None:
                                several = got[0]
                    elif out is None and WORD_VALUES and w.b > w.a + len(name) + 1:
                        # `x=${v:-claude}`, `x=${c}aude`, `x="${1:-claude}"`: one value where
                        # surely, else one of several (a warning at most).
                        got = self._word_values(m, value, w.a + len(name) + 1)
                        if got is not None and len(got[0]) == 1 and got[1]:
                            held = got[0][0]
                        elif got is not None:
                            several = got[0]
            if several is not None:
                old = [] if its_sure else self.vars.get(name, ([], False))[0]
                self.vars[name] = (_capped(old + several), False)
            elif (
                its_sure
                and (self.after_and or self.listed)
                and held is not None
                and (
                    (prior := self.vars.get(name)) is None
                    or [v.s for v in prior[0]] != [held.s]
                    or prior[1] is not True
                )
            ):
                # `[ -f x ] && c=claude`: claude, or unset (None: see _expanded_name); the same
                # again (`…; [ -f y ] && c=claude`): still claude, or unset. With another value
                # before (`c=echo; [ -f x ] && c=claude`): claude, or that one.
                before = [v for v in prior[0] if v.s != held.s] if prior is not None else []
                self.vars[name] = (_capped(before + [held]), None)
                if not self.maybe_unset:
                    self.maybe_unset = {}  # (LAZY_READER: made on first write)
                self.maybe_unset[name] = (self.guards[-1] if self.guards else 0, self.ors, bool(before))
            elif its_sure:
                self.vars[name] = ([held] if held is not None else [], not split)
            else:
                old = self.vars.get(name, ([], False))[0]
                self.vars[name] = (_capped(old + [held]) if held is not None else old, False)

    def _own_level(self) -> bool:
        """The command read is at the top level of a nested script that is a shell's own (a child
        shell's `sh -c` string, a `$( )` body, eval's string, a command an expansion names), not
        in a compound or a function of it: its assignments hold for the rest of that script as
        the top level's do (within its and-or lists: the splitter reads them, and_or). Where the
        script ends, _unscope."""
        return self.child and (self.splitter is None or self.splitter.depth == 0)

    def _unscope(self) -> None:
        """The nested script read last is done: each variable it assigned surely holds, for the
        scripts read after it (siblings, or its own nested scripts, which the work list reads
        later), its value or the one before, neither surely (as an assignment that may not run)."""
        for name, before in self.scoped.items():
            held = self.vars.get(name)
            values = {v.s: v for v in (*(before[0] if before is not None else ()), *(held[0] if held else ()))}
            self.vars[name] = (_capped(list(values.values())), False)
        self.scoped = {}

    def _evaled_assignments(self, inner: _Mapped, at: int) -> None:
        """EVALED_VALUES: the assignments of eval's string ``inner`` (queued, read later; ``at``:
        where the eval is), each variable's value from now on its value or the one before,
        neither surely (_assign's, not sure); a word that goes on past what is read here is not
        known (the value before, not surely)."""
        for found in re.finditer(_EVALED_ASSIGNMENT, inner.s):
            name = found.group(2)
            if len(self.vars) >= 256 and name not in self.vars:
                continue
            a, b = found.span(1)
            if b < len(inner.s) and inner.s[b] not in " \t\n;&|)":
                before = self.vars.get(name)
                if before is not None:
                    if self.history is not None:
                        self._remember(name, at)
                    self.vars[name] = (before[0], False)  # (`c=a\ b`: not known)
                continue
            self._assign(inner, [tuple.__new__(Token, ("word", found.group(1), a, b, None))], False, at)

    def _joined(self, value: str, at: int | None, pick: tuple | None = None) -> _Mapped | None:
        """The value of an assignment's word of plain text and `$NAME`/`${NAME}` (unquoted or in
        one pair of double quotes) whose variables each hold one known value; None for any other.
        ``pick``: (a variable's name, one of its values) read as its one."""
        if value[:1] == '"' and value[-1:] == '"' and len(value) > 1:
            value = value[1:-1]
        if at is None or "`" in value or "\\" in value or '"' in value or "'" in value:
            return None
        parts = []
        size = 0
        for piece in re.finditer(_JOINED_PIECE, value):
            ref = piece.group(1) or piece.group(2)
            if ref is None:
                if piece.group() == "$":
                    return None  # (`$1`, `$(…)`, `${X:-…}`: not read here)
                parts.append(piece.group())
                continue
            held = ([pick[1]], False) if pick is not None and ref == pick[0] else self.vars.get(ref)
            if held is None or len(held[0]) != 1:
                return None
            parts.append(held[0][0].s)
            size += len(parts[-1])
            if size > _JOINED_MAX:
                return None  # (`a="$a$a"` a few times over: no value grows without bound)
        s = "".join(parts)
        return _Mapped(s, [at] * len(s))

    def _word_values(self, m: _Mapped, value: str, a: int) -> tuple[list[_Mapped], bool] | None:
        """The values a word of plain text and expansions (_WORD_PIECE; ``value``, at ``a`` in
        ``m``, with double quotes or none: they only join) may have, and whether surely: each piece's
        values joined (at most _VALUES_MAX of them, none past _JOINED_MAX characters); None where
        a piece is not known (a variable the script did not assign, a quote, a substitution).
        One `${X:-word}` alone keeps its word's offsets; a joined value is read at the word."""
        quoted = value[:1] == '"' and value[-1:] == '"' and len(value) > 1
        text = value[1:-1] if quoted else value
        if not text or "`" in text or "\\" in text or "'" in text:
            return None
        moved = '"' in text  # (`"${v:-cla}"ude`: the quotes joined; each piece read at the word)
        if moved:
            text = re.sub(_VARIABLE, r"${\1}", text).replace('"', "")  # (`$c"aude"` is `${c}aude`)
        at = a + quoted
        pieces: list[list[_Mapped] | str] = []
        sure = True
        for piece in re.finditer(_WORD_PIECE, text):
            name = piece.group(1) or piece.group(2)
            if piece.group(3) is not None:
                part = piece.group(3)
                if "$" in part[2:]:
                    # `${v:-$c}`: the word's values first, then the expansion with each.
                    got = self._operated(m, part, at + piece.start())
                    if got is None:
                        return None
                    got, surely = got
                    moved = True
                else:
                    ref = re.fullmatch(_DEFAULT_EXPANSION, part)
                    got, surely = self._default_values(
                        m, Token("word", part, at + piece.start(), at + piece.end()), ref
                    )
                if not got and surely and re.fullmatch(_OPERATED, part, re.S).group(3) == "+":
                    got = [_Mapped("", [])]  # (`${v:+x}`, v null or unset: nothing, joined)
                if not got:
                    return None  # (an error that ends the shell, or nothing known)
            elif name:
                if name.isdigit():
                    param = self._param(name)
                    if param is None:
                        return None
                    got, surely = [_Mapped("", []) if param is False else param], True
                else:
                    held = self.vars.get(name)
                    if held is None or not held[0]:
                        return None
                    got = held[0]
                    surely = held[1] is True and len(got) == 1 and self._sees(name)
            elif piece.group() == "$":
                return None  # (`$(…)`, `$@`, `${#x}`: not read here)
            else:
                pieces.append(piece.group())  # (text: joined as it is)
                continue
            sure = sure and surely
            pieces.append(got)
        if len(pieces) == 1 and not moved and not isinstance(pieces[0], str):
            return pieces[0], sure
        start = m.offsets[a] if a < len(m.offsets) else None
        values = [""]
        for got in pieces:
            if isinstance(got, str):
                values = [v + got for v in values]
            else:
                values = [v + g.s for v in values for g in got]
            if len(values) > _VALUES_MAX or sum(map(len, values)) > _JOINED_MAX:
                return None
        return [_Mapped(v, [start] * len(v)) for v in dict.fromkeys(values)], sure

    def _operated(self, m: _Mapped, part: str, a: int) -> tuple[list[_Mapped], bool] | None:
        """The values of `${X:-word}` and the like (``part``, at ``a`` in ``m``) whose word holds
        variables (`${v:-$c}`): for each value of the word, the expansion's, read at the word."""
        name, colon, op, word = re.fullmatch(_OPERATED, part, re.S).groups()
        inner = self._word_values(m, word, a)
        if inner is None:
            return None
        out: list[_Mapped] = []
        sure = inner[1]
        for v in inner[0]:
            text = f"${{{name}{colon}{op}{v.s}}}"
            ref = re.fullmatch(_DEFAULT_EXPANSION, text)
            if ref is None:
                return None  # (a value with a quote, a `$` or a brace: not read here)
            got, surely = self._default_values(
                _Mapped(text, [m.offsets[a]] * len(text)), Token("word", text, 0, len(text)), ref
            )
            out += got
            sure = sure and surely
        return list({v.s: v for v in out}.values()), sure and len(inner[0]) == 1

    def _param(self, name: str) -> _Mapped | bool | None:
        """The positional parameter ``name`` (digits) of the script being read: its value, False
        where surely unset (past the last one), None where not known."""
        args = self.args
        if args is None:
            return None
        i = int(name)
        return False if i >= len(args) else args[i]

    def _sees(self, name: str) -> bool:
        """The script being read surely sees the variable ``name`` the reader holds: at the top
        level, or (a child shell) one exported to it or one it assigned itself."""
        return not self.child or name in self.exported or name in self.own

    def seed(self, staged: dict[str, tuple[list[str], bool]]) -> None:
        """Start with the variables the stage's ENV and ARG set (name -> its values, whether
        surely: an ENV's, until the RUN changes it; an ARG's default a --build-arg may replace is
        not): the RUN's environment, which its child shells see too. Under STAGE_FILES, the files
        an earlier step of the stage wrote (`COPY <<EOF /s.sh`): path -> (the heredoc, whether
        executable (None: not known), whether surely its text), what `sh /s.sh`, `. /s.sh` or
        `/s.sh` runs, read where the heredoc is (its commands are there, not in the RUN)."""
        for name, (values, sure) in staged.items():
            if name == STAGE_FILES:
                for path, (doc, executable, sure_text) in values.items():
                    key = _file_key(path)
                    self.files[key] = [("mapped", _Mapped(doc.content, _body_offsets(doc)))]
                    if executable:
                        if not self.executable:
                            self.executable = set()  # (LAZY_READER: made on first write)
                        self.executable.add(key)
                    elif executable is not None:
                        if not self.not_executable:
                            self.not_executable = set()  # (LAZY_READER: made on first write)
                        self.not_executable.add(key)
                    if not sure_text:
                        if not self.unsure_files:
                            self.unsure_files = {}  # (LAZY_READER: made on first write)
                        self.unsure_files[key] = 0
                continue
            self.vars[name] = ([_Mapped(v, [None] * len(v)) for v in _capped(values, str)], sure and len(values) == 1)
            if not self.exported:
                self.exported = set()  # (LAZY_READER: made on first write)
            self.exported.add(name)

    def _read_values(self, m: _Mapped, words: list[Token], stdin: list[tuple]) -> None:
        """`read [-r] NAME…` of input the RUN wrote (a heredoc, what `echo`/`printf` pipe): each
        NAME may hold its field of any line (`while read c; do $c -v; done <<EOF`: one a pass;
        so a warning at most, as a `for` loop's), the last NAME the rest of the line. Input
        with what `read` or an unquoted body would change (a backslash, `$`, a backtick), an
        option but `-r`, or a NAME not plain, leaves the NAMEs as they were."""
        names = [w.text for w in words]
        while names and names[0] == "-r":
            names = names[1:]
        if not names or not all(_NAME.fullmatch(n) for n in names):
            return
        text = self._stdin_text(m, stdin)
        if text is None or "\\" in text:
            return
        values: list[list[_Mapped]] = [[] for _ in names]
        for line in text.split("\n"):
            fields = line.split(None, len(names) - 1)
            for i, field in enumerate(fields):
                values[i].append(_Mapped(field, [None] * len(field)))
        if self.history is not None:
            for name, w in zip(names, words[len(words) - len(names) :]):
                self._remember(name, w.a)
        for name, held in zip(names, values):
            if held:
                self.vars[name] = (_capped(held, attrgetter("s")), False)
            else:
                self.vars.pop(name, None)

    def _stdin_text(self, m: _Mapped, stdin: list[tuple]) -> str | None:
        """The text ``stdin`` (_command's) gives, where each piece is text the RUN wrote as it
        is: what a feeder wrote, a heredoc of ``m`` or of the RUN, quoted or with nothing the
        shell expands; else None."""
        parts = []
        for src in stdin:
            if src[0] == "mapped":
                parts.append(src[1].s)
                continue
            if src[0] == "raw":
                body = m.s[src[1] : src[2]]
            elif src[0] == "doc" and self.doc_texts is not None and src[1] < len(self.doc_texts):
                body = self.doc_texts[src[1]]
            else:
                return None
            if "$" in body or "`" in body:
                return None  # (an unquoted body's expansions: not known here)
            parts.append(body)
        return "".join(parts)

    def _set_args(self, m: _Mapped, words: list[Token]) -> None:
        """`set -- ARGS`: the positional parameters of the script being read. An ARG that is
        `"$@"` or `"$N"` gives the parameters set before (`set -- "$@" -v` adds one); where
        those are not known, nor are the new ones."""
        args: list = [None]
        for w in words:
            if len(args) > 9:
                break
            ref = _NAME_EXPANSION.fullmatch(w.text) if "$" in w.text else None
            if ref is None:
                args.append(_unquote_mapped(m, w.a, w.b))
                continue
            name = ref.group(1) or ref.group(2)
            old = self.args
            quoted = w.text[0] == '"'
            if (name == "@" or (name == "*" and not quoted)) and old is not None:
                # (Unquoted, an empty parameter is no word: `set -- $@`.)
                args.extend(old[1:] if quoted else [v for v in old[1:] if v is not None and v.s.strip()])
            elif name == "*" and old is not None and len(old) <= 2:
                args.append(old[1] if len(old) == 2 else _Mapped("", []))  # (`"$*"`: one word, empty of none)
            elif name.isdigit() and name != "0" and old is not None:
                args.append(old[int(name)] if int(name) < len(old) else _Mapped("", []))  # (unset: empty)
            else:
                self.args = None  # (`set -- "$*"`, `set -- "$c"`, or parameters not known)
                return
        self.args = args[:10]

    def _operand_args(self, m: _Mapped, words: list[Token]) -> list | None:
        """The positional parameters ``words`` give a script (`sh -s -- ARGS`), as `set -- ARGS`
        would set them here (`"$@"` is this script's); None where not known."""
        old = self.args
        self._set_args(m, words)
        given, self.args = self.args, old
        return given

    def _eval(
        self, m: _Mapped, words: list[Token], k: int, start_span, end_span, nested: bool, item: int, record=True
    ) -> None:
        """`eval` at ``words[k]``: its command recorded, and the string it runs queued (the words
        after it, joined with spaces) as a script this shell runs. ``record`` False: the command
        not recorded (EVAL_WALK: the status walk reads it from the words). The string runs in
        this shell: one that may set or shift the positional parameters (SET_OPERANDS) leaves
        them not known after it (the string itself is read with them as they were)."""
        self._eval_string(m, words, k, start_span, end_span, nested, item, record)
        if (
            SET_OPERANDS
            and self.args is not None
            and any(_MAY_SET_PARAMS.search(w.text) is not None for w in words[k + 1 :])
        ):
            self.args = None

    def _eval_string(
        self, m: _Mapped, words: list[Token], k: int, start_span, end_span, nested: bool, item: int, record=True
    ) -> None:
        if record:
            self._record(m, words[k:], start_span, end_span, nested, item)
        queued = len(self.work)
        if k + 1 < len(words):
            if (
                EVAL_UNHELD
                and k + 2 == len(words)
                and not self.functions
                and self._eval_unheld(m, words[k + 1], item) is not None
            ):
                pass  # (EVAL_UNHELD: _nested, _queue and _note of `$NAME`, which has no `=`, no `$(`.)
            elif k + 2 == len(words):
                self._nested(m, words[k + 1].a, words[k + 1].b, item)
                if len(self.work) > queued:
                    # (eval runs the string in this shell: its `$1` is this script's,
                    # `set -- 'claude -v'; eval "$1"`)
                    self._note(self.work[-1][0], self.args, evaled=True)
                    if self.functions:
                        self._sees_functions(self.work[-1][0])
                    if EVALED_VALUES and "=" in self.work[-1][0].s:
                        self._evaled_assignments(self.work[-1][0], words[k].a)
                value = _substituted(m, words[k + 1], self)
                if value is not None:
                    self._feed(m, value, item)  # `eval "$(echo claude -v)"`
            else:  # eval joins its words with spaces: each keeps the spans of its characters
                parts, offs = [], []
                for w in words[k + 1 :]:
                    value = _unquote_mapped(m, w.a, w.b)
                    parts.append(value.s)
                    parts.append(" ")
                    offs.extend(value.offsets)
                    offs.append(None)
                inner = _Mapped("".join(parts), offs)
                if self.functions:
                    self._sees_functions(inner)  # (eval runs it in this shell)
                self._queue(inner, True, item)
                if EVALED_VALUES and "=" in inner.s:
                    self._evaled_assignments(inner, words[k].a)

    def _eval_unheld(self, m: _Mapped, w: Token, item: int) -> _Unheld | None:
        """EVAL_UNHELD's case of `eval WORD` (no function held; _eval's): WORD ``w`` one
        variable, `$NAME` or `"$NAME"`, this reader holds no value of: its string `$NAME` made
        (with the positional parameters _eval would note for it: eval runs it in this shell) and
        queued, or past the depth or the budget the script marked truncated; None for any other
        WORD. _eval and the walk's EVAL_UNHELD_WALK share it."""
        ref = _UNHELD_WORD.fullmatch(w.text)
        if ref is None or (ref.group(1) or ref.group(2)) in self.vars:
            return None
        quoted = ref.group(1) is None
        inner = _new_object(_Unheld)
        inner.s = s = w.text[quoted : len(w.text) - quoted]
        inner.offsets = m.offsets[w.a + quoted : w.b - quoted]
        inner.args = self.args
        self.budget -= len(s)
        if self.depth < MAX_NESTING and self.budget >= 0:
            if self.work is _NO_WORK:
                self.work = deque()  # (LAZY_READER: made on first write)
            self.work.append((inner, True, item, self.depth + 1))
        else:
            self.script.truncated = True
        return inner

    def _expanded_name(self, m: _Mapped, words: list[Token], item: int, alias: bool = False) -> None:
        """A command named by an expansion (`$c -v`, `"${c}"`, `"$@"`, `$1`, `$(echo claude)`):
        read the command it runs with each value the expansion may have (a variable the script
        assigned, a positional parameter, what a feeder writes), at the word's span."""
        word = words[0]
        text = word.text
        values: list[_Mapped] = []
        sure = True
        ref = _NAME_EXPANSION.fullmatch(text)
        default = joined = None
        no_params = False  # (`"$@"` where the script has none)
        extra = ""  # (ALL_PARAMS: the parameters after the first of `"$@"`, as words)
        if ref is None and "${" in text:
            ref = default = re.fullmatch(_DEFAULT_EXPANSION, text)
        if alias:
            values, sure = [self.aliases[text]], False
        elif default is not None:
            values, sure = self._default_values(m, word, ref)
        elif ref is None and "$(" not in text and "`" not in text:
            # A name joined from text and variables (`c=cl; ${c}aude`): each variable's one value
            # the RUN assigned; surely, where each is surely its last.
            at = m.span(word.a, word.b)
            if '"' in text and "'" not in text and "\\" not in text:
                # (`$c"aude"`: the quotes end the name, and join: `${c}aude`)
                text = re.sub(r"\$([A-Za-z_][A-Za-z0-9_]*)", r"${\1}", text).replace('"', "")
            start = at[0] if at is not None else None
            joined = self._joined(text, start)
            refs = [v for piece in re.finditer(_JOINED_PIECE, text) if (v := piece.group(1) or piece.group(2))]
            if joined is None:
                # One variable of several values (`c=x; c=cl` in a group, which the reader is not
                # sure runs): a name joined with each (none surely: that variable's is not sure).
                several = {v for v in refs if len(self.vars.get(v, ((),))[0]) > 1}
                if len(several) == 1:
                    (var,) = several
                    values = [j for v in self.vars[var][0] if (j := self._joined(text, start, (var, v))) is not None]
                got = None
                if not values and WORD_VALUES:
                    # (`${v%e}e`, `${v:-cla}ude`, `"$c${1:-x}"`: each piece's values, joined)
                    got = self._word_values(m, word.text, word.a)
                if got is not None:
                    values, sure = got
                    joined = values[0]  # (read at the word, as a joined name is: not substituted)
                    refs = []
                elif not values:
                    return
            else:
                values = [joined]
            for var in refs:
                sure = sure and self.vars[var][1] is True and self._sees(var)
        elif ref is not None:
            name = ref.group(1) or ref.group(2)
            if name in ("@", "*") or name.isdigit():
                args = self.args
                if args is None:
                    return
                if name in ("@", "*"):
                    values = [v for v in args[1:] if v is not None and (text[0] == '"' or v.s.strip())]
                    if name == "*" and text.startswith('"') and len(values) > 1:
                        return  # `"$*"`: one word, the arguments joined (`claude -v`: not found)
                    # (Its first word is the command; with no parameters, `"$@"` too is no word.)
                    no_params = len(args) == 1 and name == "@"
                    if ALL_PARAMS and name == "@" and len(values) > 1:
                        # (`"$@"` runs its first parameter with the others as its words: `f() {
                        # "$@" && claude -v; }; f npm i -g @anthropic-ai/claude-code` installs;
                        # ones that are not plain words, the first alone, as before.)
                        if all(_PARAM_WORD.fullmatch(v.s) is not None for v in values[1:]):
                            extra = " " + " ".join(v.s for v in values[1:])
                    values = values[:1] or ([_Mapped("", [])] if no_params or text[0] != '"' else [])
                else:
                    param = self._param(name)  # (unset: `set --; $1 claude -v` runs claude)
                    values = [_Mapped("", [])] if param is False else [param] if param is not None else []
            else:
                held = self.vars.get(name)
                if held is None:
                    return
                values, sure = held
                if sure is None:
                    # Its value or unset (`[ -f x ] && c=claude`), in a later list: unset, the
                    # next word is the command, and one that starts with `-` is not found either
                    # (`$c -v`: the RUN fails both ways); with none, nothing runs (`$c`: it may
                    # pass). Still inside the part of the list that runs only after the
                    # assignment (`[ -f x ] && c=claude && $c`, `… && { c=claude; $c; }`), its
                    # value. After an `||` (`[ -f x ] && c=claude || $c -v`) the command may run
                    # only when it is unset, or not at all: a warning at most.
                    # Where it held another value before (`c=echo; [ -f x ] && c=claude`), that
                    # one, outside the guarded part: a warning at most.
                    guard, ors, before = self.maybe_unset.get(name, (0, -1, False))
                    if guard in self.guards:
                        values, sure = values[-1:], True
                    elif before:
                        sure = False
                    else:
                        sure = ors == self.ors and len(words) > 1 and words[1].text.startswith("-")
                # (A child shell, `sh -c '$c'`, sees only the exported variables; `$( )` sees all.)
                sure = sure and len(values) == 1 and self._sees(name)
        else:
            out = _substituted(m, word, self)
            if out is None:
                return
            values = [src[1] for src in out if src[0] == "mapped"]
        at = m.span(word.a, word.b)
        if at is None or not values:
            return
        if not sure:
            if self.script.unsure_names is None:
                self.script.unsure_names = []
            self.script.unsure_names.append(at)
        rest = m.s[word.b : words[-1].b]
        rest_offs = list(m.offsets[word.b : words[-1].b])
        if extra:
            rest, rest_offs = extra + rest, _spanning(extra, at) + rest_offs  # (ALL_PARAMS)
        substituted = ref is None and not alias and joined is None
        quoted = text.startswith('"')
        # An empty value is no word (`c=; $c claude -v`, `set --; "$@" claude`): the next word is
        # the command. Quoted, it is one, empty (`"$c" claude`: not found), but for `"$@"`. (Read
        # as the status walk, which reads the expansion's span as one command, reads it: a child
        # shell's own variables too, `sh -c 'c=; $c claude -v'`.)
        vanishes = not quoted or no_params
        for value in _capped(values):
            cut = not self._affords(len(value.s) + len(rest))
            if cut:
                # Past the budget (a long value run again and again): the part of it the budget
                # still allows, a script that may not run as read (its commands decide nothing).
                room = self.budget - len(rest)
                if room <= 0:
                    return
                value = _Mapped(value.s[:room], value.offsets[:room])
            v = value.s.strip()
            if not v:
                tail, surely = self._past_empty(rest.lstrip())
                if vanishes and tail:
                    # (Read at the expansion, as a value is: the status walk's command there; a
                    # value it may hold, `[ -f x ] && c=; $c claude -v`, as one: a warning.)
                    first = len(tail.split(None, 1)[0])
                    offs = _spanning(tail[:first], at) + rest_offs[len(rest) - len(tail) + first :]
                    inner = _Mapped(tail, offs)
                    if self.args is not None:
                        self._note(inner, self.args)  # (the same script's: `c=; $c $1`)
                    if self.functions:
                        self._sees_functions(inner)  # (this shell runs it: `c=f; $c claude`)
                    if not (sure and surely) or cut:
                        if not self.unsure:
                            self.unsure = {}  # (LAZY_READER: made on first write)
                        self.unsure[id(inner)] = inner
                    self._queue(inner, True, item)
                continue
            if quoted and any(c in v for c in " \t\n"):
                continue  # (`"$c"` with c='claude -v': one word, the command `claude -v`, not found)
            if substituted:
                # (What `$(echo claude)` writes keeps its own offsets: inside the substitution.)
                a = len(value.s) - len(value.s.lstrip())
                offs: list[int | None] = list(value.offsets[a : a + len(v)])
            else:
                # (A value assigned elsewhere is read at the word: the first word of the value
                # spans the expansion.)
                offs = _spanning(v, at)
            if not alias and not (self.notes and id(m) in self.notes and self.notes[id(m)].evaled):
                v, offs = _literal(v, offs)  # (an alias's value is read as text, as eval's string is)
            inner = _Mapped(v + rest, offs + rest_offs)
            if not sure or cut or (VALUES_AT_STRING and not substituted and _SEVERAL.search(v) is not None):
                # (VALUES_AT_STRING: a value of several commands, read at the word: not sure.)
                if not self.unsure:
                    self.unsure = {}  # (LAZY_READER: made on first write)
                self.unsure[id(inner)] = inner
            if self.functions:
                self._sees_functions(inner)  # (this shell runs it: `c=f; $c claude`)
            self._queue(inner, True, item)

    def _past_empty(self, tail: str) -> tuple[str, bool]:
        """``tail`` (the words after an expansion that is no word) past its first words that are
        no word either: each an unquoted `$NAME` or `${NAME}` of a variable the script assigned
        only empty values (`c=; $c $c claude -v` runs claude), and whether surely so (each one
        value, surely, that this script surely sees). Read now, where the variables are what they
        are at the command (the rest is read later, after the script's other commands)."""
        sure = True
        while tail[:1] == "$":
            first = tail.split(None, 1)[0]
            ref = _NAME_EXPANSION.fullmatch(first)
            name = ref is not None and first[-1] != '"' and (ref.group(1) or ref.group(2))
            held = self.vars.get(name) if name and not name[0].isdigit() and name not in "@*" else None
            if held is None or not held[0] or any(v.s.strip() for v in held[0]):
                break
            sure = sure and held[1] is True and len(held[0]) == 1 and self._sees(name)
            tail = tail[len(first) :].lstrip()
        return tail, sure

    def _default_values(self, m: _Mapped, word: Token, ref) -> tuple[list[_Mapped], bool]:
        """The values of `${X:-word}`, `${X-word}`, `${X:=word}`, `${X=word}` (X's, or the word
        when X is unset, or null with the colon), of `${X:+word}`, `${X+word}` (the word when X
        is set, or not null) and of `${X#pattern}` and the like (X's, less the pattern), and
        whether surely: only when this script assigned X one known value (a variable it did not
        assign may come from an ENV, an ARG or the base image), or X is a positional parameter
        of a script whose parameters are known (`${1:-claude}` at a RUN's top: claude)."""
        name, colon, op, word_text = ref.groups()
        if op[0] in "#%":
            # (`${X:#p}` is a bad substitution: the shell stops, nothing runs.)
            return ([], False) if colon else self._pattern_removed(name, op, word_text)
        default = _Mapped(word_text, m.offsets[word.a + ref.start(4) : word.a + ref.end(4)])
        if name.isdigit():
            param = self._param(name)
            if param is None:
                return [default], False
            if param is False:
                # Unset: the word; `${1=word}` is an error (no parameter is assigned), nothing runs.
                return ([] if op in "=+" else [default]), True
            held = ([param], True)
            known = True
        else:
            held = self.vars.get(name)
            known = held is not None and held[1] and len(held[0]) == 1 and self._sees(name)
        if not known:
            # Not known here: the word, or what X may hold (a warning at most).
            may = [v for v in held[0] if op != "+"] if held is not None else []
            if op == "+" and WORD_VALUES:
                may = [_Mapped("", [])]  # (`${v:+x}claude`: x, or nothing where v is unset)
            return _capped(may + [default]), False
        value = held[0][0]
        is_set = not (colon and not value.s)
        if op == "=" and not is_set and name.isdigit():
            # (`set -- ''; ${1:=claude} -v`: no parameter is assigned; the shell stops, nothing runs.)
            return [], True
        if op == "+":
            return ([default] if is_set else []), True
        return ([value] if is_set else [default]), True

    def _pattern_removed(self, name: str, op: str, pattern: str) -> tuple[list[_Mapped], bool]:
        """The values of `${X#pattern}` (X's less the shortest prefix the pattern matches),
        `${X##pattern}` (the longest), `${X%pattern}` and `${X%%pattern}` (suffixes), where X
        holds known values; surely where X surely holds one and the pattern has no bracket
        expression (dash and bash read `[^a]` differently). No value over _PATTERN_VALUE_MAX."""
        if name.isdigit():
            param = self._param(name)
            if param is None or param is False:
                return [], False
            held, sure = [param], True
        else:
            known = self.vars.get(name)
            if known is None:
                return [], False
            held, sure = known
            sure = sure is True and len(held) == 1 and self._sees(name)
        if any(len(v.s) > _PATTERN_VALUE_MAX for v in held):
            return [], False
        sure = sure and "[" not in pattern
        out = []
        for v in held:
            a, b = _unmatched(v.s, op, pattern)
            out.append(_Mapped(v.s[a:b], v.offsets[a:b]))
        return out, sure

    def _process_substitution(self, m: _Mapped, word: Token, item: int) -> None:
        """bash's `<(CMD)` as the script a shell or `.` runs: what a feeder CMD writes. dash has
        no process substitution (a syntax error: the RUN fails, running nothing), so it may not
        run: a warning at most."""
        if not word.text.endswith(")"):
            return
        out = _feeder_output(_Mapped(m.s[word.a + 2 : word.b - 1], m.offsets[word.a + 2 : word.b - 1]), self)
        if out is not None:
            self._feed(m, out, item, sure=False)

    def _portable(self, m: _Mapped, srcs: list[tuple]) -> list[tuple]:
        """Sources (see _feed) that do not depend on ``m``: ("mapped", …) or ("doc", ordinal)."""
        out = []
        for src in srcs:
            if src[0] in ("raw", "word"):
                a, b = src[1], src[2]
                out.append(
                    ("mapped", _unquote_mapped(m, a, b) if src[0] == "word" else _Mapped(m.s[a:b], m.offsets[a:b]))
                )
            else:
                out.append(src)
        return out

    def _write(self, target: str, srcs: list[tuple] | None, appended: bool) -> None:
        """A feeder wrote ``srcs`` (None: what, not known) to the file ``target``. Its content is
        sure only where the write surely ran (or in the part of the `&&` list after it) and held
        all of the file (`>`, or `>>` onto a file the RUN wrote)."""
        key = _file_key(target)
        if key is None:
            if self.files and target:
                if not self.unsure_files:
                    self.unsure_files = {}  # (LAZY_READER: made on first write)
                self.unsure_files.update(dict.fromkeys(self.files, 0))  # (`> $F`, `> *.sh`: any of them)
            return
        if key in STDIN_FILES or key.startswith("/dev/"):
            return
        if srcs is None:
            self.files.pop(key, None)  # (now a file of unknown content)
            return
        guard = (self.guards[-1] if self.guards else 0) if self.after_and else None
        if not self.write_sure:
            guard = 0
        if appended and key in self.files:
            self.files[key].extend(srcs)  # (the file's own list: `>>` on every line was n²)
            if guard is not None and key not in self.unsure_files:
                if not self.unsure_files:
                    self.unsure_files = {}  # (LAZY_READER: made on first write)
                self.unsure_files[key] = guard
        elif len(self.files) < 256:
            self.files[key] = list(srcs)
            if appended:
                guard = 0  # (what the file held before, not known)
            if guard is None:
                if self.unsure_files:  # (LAZY_READER: none yet, nothing to remove)
                    self.unsure_files.pop(key, None)
            else:
                if not self.unsure_files:
                    self.unsure_files = {}  # (LAZY_READER: made on first write)
                self.unsure_files[key] = guard

    def _names_files(self, argv: list[str]) -> None:
        """A command other than a shell running a file, a `chmod` or `cat` that names a file the
        RUN wrote (`cp`, `sed -i`, `curl -o`, `ln -sf`, `mv`, `dd of=…`, its directory, a word
        with an expansion or a glob) may change it: what it holds is not known any more."""
        name = unquote(argv[0]).rsplit("/", 1)[-1]
        if name in _NAMES_NO_FILE:
            return
        texts = argv[1:]
        if name in SHELLS or name in SOURCES:  # (the file it runs: `sh s.sh`, not `sh -c ': > s.sh'`)
            texts = [t for t in texts if _file_key(unquote(t)) not in self.files]
        if not texts or not self.files:
            return
        # (Each word once, not once for each file: a RUN may hold hundreds of files.)
        checks = []
        for t in texts:
            if any(c in t for c in "$`*?["):
                self.files.clear()  # (any of them, now of unknown content)
                return
            checks.append((t, _file_key(unquote(t))))
        for key in list(self.files):
            folder, slash, base = key.rpartition("/")
            if not slash:
                folder = "."
            for t, t_key in checks:
                if base in t or t_key == folder:
                    del self.files[key]  # (now a file of unknown content)
                    break

    def _file_command(self, name: str, args: list[str]) -> None:
        """`chmod +x s.sh` makes a written file executable; `cd` leaves the relative paths."""
        if name == "cd":
            for key in [k for k in self.files if not k.startswith("/")]:
                del self.files[key]
            return
        if any(_adds_x(a) for a in args):
            for a in args:
                key = _file_key(a)
                if key in self.files:
                    if not self.executable:
                        self.executable = set()  # (LAZY_READER: made on first write)
                    self.executable.add(key)

    def _run_file(
        self, m: _Mapped, word: Token, item: int, executed: bool = False, sure: bool = True, here: bool = False
    ) -> None:
        """A shell runs the file ``word`` names (`sh s.sh`, `. s.sh`, `./s.sh`): a file this RUN
        wrote is read as a script. Executed by its path, it runs only if a `chmod` made it
        executable (else "permission denied"), and by a shell only if it has no `#!` line for
        another interpreter: not sure then, nor when the shell may refuse its options (``sure``).
        ``here``: this shell runs it (`. s.sh`), seeing its functions (CARRY_FUNCTIONS)."""
        key = _file_key(unquote(word.text))
        srcs = self.files.get(key) if key is not None else None
        if not srcs or not self._affords(_pieces_size(srcs, self.budget)):
            return  # (`echo … >> s.sh; sh s.sh` on every line: each run reads all pieces so far)
        srcs = self._file_srcs(key)
        if executed:
            if key in self.not_executable and key not in self.executable:
                return  # (an earlier step wrote it without the mode: "permission denied", nothing runs)
            # (The kernel reads its `#!` line: `#!/usr/bin/env python3`, not a shell script;
            # `#!/bin/sh -n`, none of it runs. The status walk's reader knows no heredoc's text:
            # what it reads of one this reader did not is no command recorded.)
            first = srcs[0]
            text = first[1].s if first[0] == "mapped" else None
            if first[0] == "doc" and self.doc_texts is not None and first[1] < len(self.doc_texts):
                text = self.doc_texts[first[1]]
            if text is not None and not _runs_as_shell(text):
                return
            self.executed = first
        span = m.span(word.a, word.b)
        if span is not None:
            if self.script.files_read is None:
                self.script.files_read = set()
            self.script.files_read.add(span[0])
        self._feed(None, srcs, item, sure=sure and (not executed or key in self.executable), functions=here)

    def _file_srcs(self, key: str) -> list[tuple] | None:
        """What the file ``key`` holds (see files), its pieces marked as scripts that may not run
        where its content is not sure (see unsure_files)."""
        srcs = self.files.get(key)
        if srcs and self._file_unsure(key):
            for src in srcs:
                if src[0] == "mapped":
                    if not self.unsure:
                        self.unsure = {}  # (LAZY_READER: made on first write)
                    self.unsure[id(src[1])] = src[1]
                else:
                    if not self.unsure_docs:
                        self.unsure_docs = set()  # (LAZY_READER: made on first write)
                    self.unsure_docs.add(src[1])
        return srcs

    def _file_unsure(self, key: str | None) -> bool:
        """The content of the file ``key`` the RUN wrote is not sure here (see unsure_files)."""
        guard = self.unsure_files.get(key) if self.unsure_files else None
        return guard is not None and not (guard and guard in self.guards)

    def _feed(
        self,
        m: _Mapped,
        stdin: list[tuple],
        item: int,
        sure: bool = True,
        args: list | None = None,
        here: bool = False,
        reads: str | None = None,
        functions: bool = False,
    ) -> None:
        """Read what a shell reads on its stdin as a script (``sure``: False when it may not run;
        ``args``: its positional parameters, if known; ``here``: this shell reads it, `. /dev/stdin`;
        ``functions``: it sees this shell's functions (`. s.sh`, `here` too: CARRY_FUNCTIONS);
        ``reads``: the name of the shell that reads it on its stdin, None for a string it runs).
        Several pieces (`cat a b | sh`, a file written with `>>`) are one script: read as one
        when each is text here, else none of them decides."""
        if len(stdin) > 1:
            if all(src[0] == "mapped" for src in stdin):
                if not self._affords(_pieces_size(stdin, self.budget)):
                    return
                offsets: list[int | None] = []
                for src in stdin:
                    offsets.extend(src[1].offsets)
                    sure = sure and id(src[1]) not in self.unsure
                stdin = [("mapped", _Mapped("".join(src[1].s for src in stdin), offsets))]
            else:
                sure = False
        queued = len(self.work)
        for src in stdin:
            if src[0] == "doc":
                if not self.stdin_docs:
                    self.stdin_docs = set()  # (LAZY_READER: made on first write)
                self.stdin_docs.add(src[1])
                if not self.doc_items:
                    self.doc_items = {}  # (LAZY_READER: made on first write)
                self.doc_items.setdefault(src[1], item)
                if self.doc_feeds is None:
                    self.doc_feeds = {}
                if src[1] not in self.doc_feeds:
                    # (An unquoted body is this shell's text first: `c=claude; sh <<EOF` with
                    # `$c -v` runs claude, `set -- claude; "$@"` in it runs nothing.)
                    seen = {k: v for k, v in self.vars.items() if self._sees(k)} if self.vars else {}
                    given = seen if here else {k: v for k, v in seen.items() if k in self.exported}
                    text = self.doc_texts[src[1]] if self.doc_texts and src[1] < len(self.doc_texts) else None
                    known = self._functions_seen(text) if (here or functions) and text and self.functions else None
                    self.doc_feeds[src[1]] = (args, self.args, seen, given, known)
                if not sure:
                    if not self.unsure_docs:
                        self.unsure_docs = set()  # (LAZY_READER: made on first write)
                    self.unsure_docs.add(src[1])
            elif src[0] == "mapped":
                if not sure:
                    if not self.unsure:
                        self.unsure = {}  # (LAZY_READER: made on first write)
                    self.unsure[id(src[1])] = src[1]
                if (here or functions) and self.functions:
                    self._sees_functions(src[1])
                self._queue(src[1], True, item)
            else:
                queued_here = len(self.work)
                self._nested(m, src[1], src[2], item, unquoted=src[0] == "word")
                if (here or functions) and self.functions and len(self.work) > queued_here:
                    self._sees_functions(self.work[-1][0])
        if reads is not None:
            if self.stdin_shells is None:
                self.stdin_shells = {}
            for src in stdin:
                if src[0] == "doc":
                    self.stdin_shells["doc", src[1]] = reads
            for k in range(queued, len(self.work)):  # (a deque: indexed from its end, near there)
                # (Asked only of the status walk's reader, for the scripts still in its work
                # list, and emptied for each command: a noted id is a live script's.)
                self.stdin_shells[id(self.work[k][0])] = reads

    def _record_plain(self, m: _Mapped, words: list[Token], nested: bool, item: int) -> None:
        """_record for a command that is all of ``words`` (its start and end are theirs)."""
        # (The words' texts: a list of the exact size for the commonest lengths, without a
        # comprehension's frame; list(map()) kept 8 slots for 2 words, a comprehension 4.)
        n = len(words)
        if n == 2:
            argv = [words[0][1], words[1][1]]
        elif n == 1:
            argv = [words[0][1]]
        elif n == 3:
            argv = [words[0][1], words[1][1], words[2][1]]
        elif n == 4:
            argv = [words[0][1], words[1][1], words[2][1], words[3][1]]
        else:
            argv = [w[1] for w in words]
        if self.files:
            self._names_files(argv)  # (`cp x s.sh`: what s.sh holds is not known)
        spaced = " ".join(argv)  # (one join: a quote or backslash is in it as in the words)
        if "'" in spaced or '"' in spaced or "\\" in spaced:
            argv = [unquote(t) for t in argv]
            spans = _Spans(m, words)
        elif n <= ROW_WORDS and (at := words[0][2]) + len(spaced) == words[-1][3] and m.s.startswith(spaced, at):
            # Each word as written is its argv entry, one space after the one before (a word's
            # text is its span's): the first one's start is all the spans need (the Tokens are
            # not kept, 150 bytes a word: a 10 MB script has two million). One comparison, not
            # a step per word; a tab between two words makes them _PlainSpans, the same spans.
            # (The text there compared in place, no slice of it; _RowSpans(m, argv, at), its
            # slots set here: no __init__ call per command.)
            spans = _new_object(_RowSpans)
            if type(m) is _Body:
                # (BODY_SPANS: the same offsets in the script the body is a slice of; the body's
                # own _Mapped and offsets not kept by the command.)
                spans.m, spans.words, spans.at, spans.delta = m.parent, argv, at + m.base, 0
            else:
                spans.m, spans.words, spans.at, spans.delta = m, argv, at, 0
        else:
            spans = _PlainSpans(m, argv, array("q", [w[2] for w in words]), 0, len(argv))
        offsets = m.offsets
        if type(offsets) is list:  # (only lists can hold None)
            start_span = m.span(words[0].a, words[0].b)
            end_span = m.span(words[-1].a, words[-1].b)
            start = start_span[0] if start_span else None
            end = end_span[1] if end_span else None
        else:
            start = offsets[words[0][2]]
            end = offsets[words[-1][3] - 1] + 1
        if self.depth and self._seen_before(m, words[0].a, words[0].b, argv):
            return
        name = argv[0]
        if "/" in name:
            name = name.rsplit("/", 1)[-1]
        self.script.commands.append(tuple.__new__(Command, (argv, spans, start, end, nested, item, False, name)))

    def _record_shape(self, m: _Mapped, words: tuple, a: int, item: int) -> None:
        """_record_plain for a plain definition body's command (DEF_RECORD: top level, no file
        held, ``m`` a _Mapped of no unknown offset), its words as _body_shape gives them, the
        body starting at ``a``: none holds a quote or a backslash."""
        if SHAPE_MEMO:
            # (The words' texts, their joined text and the command's name, by the shape's words
            # object: _BODIES gives one for each body text.)
            held = _SHAPES.get(id(words))
            if held is None or held[0] is not words:
                if len(_SHAPES) >= _BODIES_MAX:
                    _SHAPES.clear()
                argv = tuple([w[2] for w in words])
                name = argv[0]
                if "/" in name:
                    name = name.rsplit("/", 1)[-1]
                held = _SHAPES[id(words)] = (words, argv, " ".join(argv), words[0][0], words[-1][1], name)
            argv = list(held[1])
            spaced = held[2]
            at = a + held[3]
            b = a + held[4]
            if len(argv) <= ROW_WORDS and at + len(spaced) == b and m.s.startswith(spaced, at):
                spans = _new_object(_RowSpans)
                spans.m, spans.words, spans.at, spans.delta = m, argv, at, 0
            else:
                spans = _PlainSpans(m, argv, array("q", [a + w[0] for w in words]), 0, len(argv))
            offsets = m.offsets
            self.script.commands.append(
                tuple.__new__(Command, (argv, spans, offsets[at], offsets[b - 1] + 1, True, item, False, held[5]))
            )
            return
        argv = [w[2] for w in words]
        n = len(argv)
        at = a + words[0][0]
        b = a + words[-1][1]
        if n == 1:
            spaced = argv[0]
        else:
            spaced = " ".join(argv)
        if n <= ROW_WORDS and at + len(spaced) == b and m.s.startswith(spaced, at):
            spans = _new_object(_RowSpans)
            spans.m, spans.words, spans.at, spans.delta = m, argv, at, 0
        else:
            spans = _PlainSpans(m, argv, array("q", [a + w[0] for w in words]), 0, n)
        offsets = m.offsets
        name = argv[0]
        if "/" in name:
            name = name.rsplit("/", 1)[-1]
        self.script.commands.append(
            tuple.__new__(Command, (argv, spans, offsets[at], offsets[b - 1] + 1, True, item, False, name))
        )

    def _seen_before(self, m: _Mapped, a: int, b: int, argv: list[str]) -> bool:
        """Whether this nested script recorded the command whose first word is m.s[a:b] and whose
        argv is ``argv`` already (the same command reached twice: a $( ) inside a `bash -c "…"`
        string), noting it if not; by the word's source span and the argv. Only nested scripts
        can be reached twice: the top level is read once (the callers ask at ``depth`` only)."""
        first = m.span(a, b)
        if first is None:
            return False
        key = (first, tuple(argv))
        if key in self.seen:
            return True
        if not self.seen:
            self.seen = set()  # (LAZY_READER: made on first write)
        self.seen.add(key)
        return False

    def _record_row(self, m: _Mapped, text: str, a: int, b: int, nested: bool, item: int) -> None:
        """_record_plain for the command of the "row" token ``text`` at m.s[a:b] (see PLAIN_ROWS),
        where no file is held (_Splitter._feed's case): its words are one blank apart, none
        holds a quote or a backslash. (Their texts interned, as the tokenizer's are: one
        string per spelling, a memo of the rows seen.)"""
        held = _ROWS.get(text)
        if held is None:
            if len(_ROWS) >= 4096:
                _ROWS.clear()
            words = tuple(map(sys.intern, text.split(" ")))
            held = _ROWS[text] = (words, words[0].rsplit("/", 1)[-1] if "/" in words[0] else words[0])
        argv = list(held[0])
        n = len(argv)
        if n <= ROW_WORDS:
            spans = _new_object(_RowSpans)
            spans.m, spans.words, spans.at, spans.delta = m, argv, a, 0
        else:
            starts = array("q")
            at = a
            for w in argv:
                starts.append(at)
                at += len(w) + 1
            spans = _PlainSpans(m, argv, starts, 0, n)
        w0 = argv[0]
        offsets = m.offsets
        if type(offsets) is list:  # (only lists can hold None)
            start_span = m.span(a, a + len(w0))
            end_span = m.span(b - len(argv[-1]), b)
            start = start_span[0] if start_span else None
            end = end_span[1] if end_span else None
        else:
            start = offsets[a]
            end = offsets[b - 1] + 1
        if self.depth and self._seen_before(m, a, a + len(w0), argv):
            return
        self.script.commands.append(tuple.__new__(Command, (argv, spans, start, end, nested, item, False, held[1])))

    def _record(self, m, words, start_span, end_span, nested, item, runner: bool = False, lo=0, texts=None) -> None:
        """Record the command of ``words[lo:]``; ``texts``: the texts of all ``words`` when none
        holds a quote or a backslash (each wrapper in a row slices them, see _command)."""
        if texts is not None:
            argv = texts[lo:]
        else:
            argv = [w.text for w in (words[lo:] if lo else words)]
            joined = "".join(argv)
        if texts is None and ("'" in joined or '"' in joined or "\\" in joined):
            first = argv[0] if argv else ""
            argv = [unquote(t) for t in argv]
            if "$'" in first or '$"' in first:
                # bash's `$'claude'`, `$'\x63laude'`, `$"claude"`: the name bash runs. dash reads
                # `$'…'` as `$` and a quoted string (`$claude`): not surely the harness there.
                argv[0] = unquote_bash(first)
                at = m.span(words[lo].a, words[lo].b)
                if at is not None:
                    if not self.bash_only:
                        self.bash_only = set()  # (LAZY_READER: made on first write)
                    self.bash_only.add(at[0])
        spans = _SliceSpans(m, words, lo, len(words)) if lo else _Spans(m, words)
        if self.depth and lo < len(words) and self._seen_before(m, words[lo].a, words[lo].b, argv):
            return
        self.script.commands.append(
            tuple.__new__(  # Command(...) without its Python-level __new__
                Command,
                (
                    argv,
                    spans,
                    start_span[0] if start_span else None,
                    end_span[1] if end_span else None,
                    nested,
                    item,
                    runner,
                    _name(argv),
                ),
            )
        )


# Operators that end a command and, outside ( ) and compound commands, the item.
_LIST_OPERATORS = frozenset({"&&", "||", ";", "&", "\n"})

# _Splitter._feed appends a command's first word itself where _word would only append it: a word
# outside a `for` header that is no keyword (`{`, `if`, `do`…; a quoted one is none either way).
# A command per line of a 10 MB RUN is a call less each. tests/test_splitter_fast.py reads with
# it off too.
FIRST_WORDS = True
# _Splitter._feed records a plain command at the list operator after it itself (_record_plain),
# where _command would only do that: no redirection or pipe, no function, file or alias held, and
# PLAIN_FIRSTS's answer for its first word held and yes. tests/test_splitter_fast.py reads with it
# off too.
PLAIN_DIRECT = True


class _Splitter:
    """Splits one script's tokens into simple commands (each handed to the reader's ``_command``)
    and, at the top level, into items: the spans between ``&&``, ``||``, ``;``, ``&`` and newlines."""

    __slots__ = (
        "reader",
        "m",
        "nested",
        "item_base",
        "depth",
        "item_start",
        "item_end",
        "current",
        "for_header",
        "case_header",
        "case_pattern",
        "cases",
        "pipe",
        "redirs",
        "for_words",
        "lists",
        "outside",
        "piped_at",
        "defining",
        "guarded",
        "item_defs",
    )

    def __init__(self, reader: _Reader, m: _Mapped, nested: bool, item_base: int | None) -> None:
        self.reader = reader
        self.m = m
        self.nested = nested
        self.item_base = item_base
        self.depth = 0  # ( ), { } and compound commands open around the current token
        self.item_start: int | None = None
        self.item_end: int | None = None
        self.current: list[Token] = []  # the simple command being read
        self.for_header = False  # between `for`/`select` and `do`: names and words, not commands
        self.case_header = self.case_pattern = False  # `case WORD in`, or a pattern before `)`
        self.cases = 0  # open `case` commands
        self.pipe = None  # what the command before a `|` writes, when it is a script (see _writes)
        self.redirs = False  # a redirection is among self.current
        self.for_words: list[Token] = []  # a `for` header's words (`NAME in WORDS…`)
        # (The top level's and-or lists, a nested script's too, for an assignment there: see
        # _Reader.and_or, _Reader._own_level.)
        self.lists = (not nested or reader.child) and "=" in m.s
        # Per `(` open: the reader's positional parameters and variables outside it, put back at
        # its `)` (a subshell's `set --`, `c=…` are its own: `(set -- claude); "$@"` runs nothing).
        self.outside: list[tuple] = []
        # The same per pipeline open (at its first `|`, before its first command is read), put
        # back at its end: dash and bash run each of its commands in a subshell (`echo claude |
        # read c; $c` runs no claude, nor `c=claude | true; $c`).
        self.piped_at: list[tuple] = []
        # Function definitions being read: (name, depth of its `name ( )`, where its `{` opened,
        # or None before it, where its name ends, whether it may not run: _maybe), the
        # innermost last (_define).
        self.defining: list[list] = []
        self.guarded = False  # the item read follows an `&&` or `||` at the top level (_maybe)
        # The functions the item being read (at the top level) defined, each with what the reader
        # held for its name before (its entry and other body, or None): an item that ends with
        # `&` ran in a subshell, and its definitions are put back (_background). None: none.
        self.item_defs: dict[str, tuple] | None = None

    def _def(self, name: str, body: tuple | None, maybe: bool) -> None:
        """reader.define, noting what the name held before a sure definition (see item_defs)."""
        if not maybe and BACKGROUND_DEFS:
            functions = self.reader.functions
            defs = self.item_defs
            if defs is None:
                defs = self.item_defs = {}
            if name not in defs:
                defs[name] = (None, None) if functions is None else (functions.get(name), functions.get(name + _ALT))
        self.reader.define(name, body, maybe=maybe)

    def _item_end(self, op: str) -> None:
        """The top-level item read has ended with ``op``: after `&`, the definitions it made
        ran in a subshell, so the names hold what they held before it (`f() { "$1" -v; }; f() {
        true; } & f claude` runs claude)."""
        defs, self.item_defs = self.item_defs, None
        if op == "&" and defs:
            functions = self.reader._own_functions()
            for name, (entry, other) in defs.items():
                for key, held in ((name, entry), (name + _ALT, other)):
                    if held is None:
                        functions.pop(key, None)
                    else:
                        functions[key] = held

    def _maybe(self) -> bool:
        """A definition read here may not run, or not in this shell (define's ``maybe``): in a
        compound command, after an `&&` or `||`, in a pipeline."""
        return self.depth > 0 or self.guarded or bool(self.piped_at) or self.pipe is not None

    def split(self, tokens) -> None:
        """Reads ``tokens`` in order: a list, or token_chunks' as they come (none kept but the
        current command's)."""
        self._feed(tokens)
        self._flush_command()
        self._flush_item()

    def _feed(self, tokens) -> None:
        command = self.reader._command
        for t in tokens:
            # (A token's fields by index: a NamedTuple's field names are descriptors the
            # interpreter does not specialize, three times slower to read on every token.)
            kind = t[0]
            if self.case_header or self.case_pattern:
                self._case_token(t)
            elif kind == "op":
                text = t[1]
                if text in _LIST_OPERATORS:  # _operator's first step, inline (the commonest token)
                    if self.current:
                        r = self.reader
                        if (
                            PLAIN_DIRECT
                            and PLAIN_FIRSTS
                            and not self.redirs
                            and self.pipe is None
                            and r.functions is None
                            and r.plain_commands
                            and not r.files
                            and not r.aliases
                            and _PLAIN_FIRSTS.get(self.current[0][1])
                        ):
                            # What _command does with a plain command (PLAIN_FIRSTS's answer for
                            # its first word is held): _record_plain, without the call between.
                            item = self.item_base
                            r._record_plain(
                                self.m,
                                self.current,
                                self.nested or self.depth > 0,
                                item if item is not None else len(r.script.items),
                            )
                        else:
                            command(
                                self.m,
                                self.current,
                                self.nested or self.depth > 0,
                                self.item_base,
                                self.pipe,
                                False,
                                self.redirs,
                            )
                            self.redirs = False
                        self.current = []
                    self.pipe = None
                    if self.piped_at and self.piped_at[-1][0] >= self.depth:
                        self._pipeline_end()
                    if self.depth == 0:
                        # (self._flush_item(), inline: a call less per item of a script of thousands)
                        a = self.item_start
                        if a is not None and not self.nested and self.item_base is None:
                            b = self.item_end
                            offsets = self.m.offsets
                            if a < b and (x := offsets[a]) is not None and (y := offsets[b - 1]) is not None:
                                self.reader.script.items.append((x, y + 1))
                                self.reader.item_starts.append(x)
                            else:
                                self.reader.script.exact = False
                        self.item_start = self.item_end = None
                        self.for_header = False
                        self.guarded = text == "&&" or text == "||"
                        if self.item_defs is not None:
                            self._item_end(text)
                        if self.lists:
                            self.reader.and_or(text)
                else:
                    self._operator(t)
            elif kind == "word" and (
                t[1] != "{" if self.current else FIRST_WORDS and not self.for_header and t[1] not in _KEYWORDISH
            ):
                # A word after the command's first (most words), or a first word that is no
                # keyword outside a `for` header (FIRST_WORDS): self._word, its short way.
                if self.item_start is None and self.depth == 0:
                    self.item_start = t[2]
                b = t[3]
                if self.item_end is None or b > self.item_end:
                    self.item_end = b
                self.current.append(t)
            elif kind == "row":
                r = self.reader
                text = t[1]
                if (
                    PLAIN_DIRECT
                    and PLAIN_FIRSTS
                    and FIRST_WORDS
                    and not self.current
                    and not self.for_header
                    and not self.redirs
                    and self.pipe is None
                    and r.functions is None
                    and r.plain_commands
                    and not r.files
                    and not r.aliases
                    and (first := text.partition(" ")[0]) not in _KEYWORDISH
                    and _PLAIN_FIRSTS.get(first)
                ):
                    # What its words one by one, then the list operator after it, do (the
                    # command is recorded there: nothing is read between): the item's span,
                    # and _record_plain's record (PLAIN_DIRECT's case: its memo holds yes).
                    if self.item_start is None and self.depth == 0:
                        self.item_start = t[2]
                    b = t[3]
                    if self.item_end is None or b > self.item_end:
                        self.item_end = b
                    item = self.item_base
                    r._record_row(
                        self.m,
                        text,
                        t[2],
                        b,
                        self.nested or self.depth > 0,
                        item if item is not None else len(r.script.items),
                    )
                else:
                    self._feed(_row_tokens(t))
            elif kind == "rows":
                self._rows(t)
            elif kind == "evals":
                self._evals(t)
            else:
                self._word(t)

    def _evals(self, t: Token) -> None:
        """The "evals" token ``t`` (see EVAL_PAIRS): each pair `; NAME="…"; eval "$NAME"` as
        _feed reads its tokens, where the script's top level is read, no command is pending,
        nothing held makes _feed do more than note the items and hand the eval to _command, and
        the reader keeps no more variables, none named NAME (its _assign does nothing); else the
        pair's tokens through _feed (the state, _plain_top and no `for` header, asked again after
        it)."""
        r = self.reader
        base = t[2]
        m = self.m
        fast = None
        new = tuple.__new__
        for p in _EVAL_SPLIT.finditer(t[1]):
            fed = False
            if self.current:
                # (A command pending, the pair's first operator ends it: _feed's step, then the
                # state asked again; the item it ended is noted, none is open.)
                a, b = p.span(1)
                self._feed([new(Token, ("op", ";", a + base, b + base, None))])
                fed = True
                fast = None
            if fast is None:
                fast = FIRST_WORDS and not self.for_header and self._plain_top()
                if fast:
                    items = r.script.items
                    offsets = m.offsets
                    command = r._command
            if fast and len(r.vars) >= 256 and p[3] not in r.vars:
                # Two items, each ended by its `;`: the assignment's, which _command reads as
                # nothing, and the eval's, handed to _command here (the list operator after it
                # ends its item).
                a, b = p.span(2)
                self._list_item(";", a + base, b + base, offsets, items)
                a, b = p.span(5)
                self._list_item(";", a + base, b + base, offsets, items)
                c, d = p.span(6)
                command(
                    m,
                    [
                        new(Token, ("word", "eval", a + base, b + base, None)),
                        new(Token, ("word", sys.intern(p[6]), c + base, d + base, None)),
                    ],
                    False,
                    None,
                    None,
                    False,
                    False,
                )
                self.item_end = d + base
            else:
                self._feed(_eval_pair_tokens(p, base)[fed:])
                fast = None

    def _plain_top(self) -> bool:
        """Whether the splitter is in a plain top-level state: it reads the script's top level
        (not a nested script's, nor in a compound command), no command, `case` header or
        pattern, pipeline or redirection is pending, the item read defined no function, and the
        reader holds no function, file or alias and takes plain commands, so that _feed, at a
        list operator and the words after it, does no more than note the items and hand the
        commands on. _rows and _evals ask it before their one-loop steps (each adding its own
        conditions), and again after a pair read through _feed."""
        r = self.reader
        return (
            not self.current
            and not self.case_header
            and not self.case_pattern
            and self.depth == 0
            and not self.nested
            and self.item_base is None
            and not self.piped_at
            and self.item_defs is None
            and self.pipe is None
            and not self.redirs
            and r.functions is None
            and r.plain_commands
            and not r.files
            and not r.aliases
        )

    def _list_item(self, op: str, a: int, b: int, offsets, items: list) -> None:
        """In a plain top-level state (_plain_top), the list operator ``op`` (`&&`, `||`, `;`)
        and a word or row from ``a`` to ``b`` after it: what _feed does with them, for _rows'
        and _evals' one-loop steps. The operator ends the item read (its span noted, or the
        script's items marked inexact: _flush_item) and the and-or list's state moves on
        (_Reader.and_or); the next item starts at the word. (``offsets`` and ``items``: the
        script's, which the loop holds: m.offsets, reader.script.items.)"""
        r = self.reader
        start = self.item_start
        if start is not None:
            end = self.item_end
            if start < end and (x := offsets[start]) is not None and (y := offsets[end - 1]) is not None:
                items.append((x, y + 1))
                r.item_starts.append(x)
            else:
                r.script.exact = False
        self.for_header = False
        self.guarded = op == "&&" or op == "||"
        if self.lists:
            # (r.and_or(op), its two commonest cases inline)
            if op == "&&":
                if not r.listed:
                    r.guard_no += 1
                    r.guards.append(r.guard_no)
                    r.listed = True
            elif op == ";":
                if r.listed:
                    r.listed = r.or_part = False
                    r.guards = []
            else:
                r.and_or(op)
        self.item_start = a
        self.item_end = b

    def _rows(self, t: Token) -> None:
        """The "rows" token ``t``: its operators and rows (see PLAIN_ROWS), each pair as _feed
        reads them (the operator's, then the row's step), in one loop where the script's top
        level is read, no command is pending and nothing held makes _feed do more than note the
        item and record the row (the state that lets it, _plain_top, is asked once, again after a
        pair read through _feed)."""
        r = self.reader
        base = t[2]
        m = self.m
        fast = None
        shared = None  # ROWS_SHARED: each row text's argv and name, once it is recorded inline
        for p in _ROW_SPLIT.finditer(t[1]):
            if fast is None:
                fast = PLAIN_DIRECT and PLAIN_FIRSTS and FIRST_WORDS and self._plain_top()
                if fast:
                    script = r.script
                    items = script.items
                    offsets = m.offsets
                    record = r._record_row
                    # (_record_row's commonest case inline: a row seen before, of at most
                    # ROW_WORDS words, at the top level of a script of no unknown offset)
                    inline = ROWS_INLINE and r.depth == 0 and type(offsets) is not list
                    commands = script.commands
                    if shared is None and ROWS_SHARED:
                        shared = {}
            row = p[2]
            if fast and shared is not None and (known := shared.get(row)) is not None:
                # A row met before in this token (ROWS_SHARED): the steps below, the answers of
                # their tests of its words (no keyword first, a plain command, held by _ROWS, of
                # at most ROW_WORDS words) and its argv held.
                argv = known[0]
                a, b = p.span(2)
                a += base
                b += base
                self._list_item(p[1], a, b, offsets, items)
                spans = _new_object(_RowSpans)
                spans.m, spans.words, spans.at, spans.delta = m, argv, a, 0
                commands.append(
                    tuple.__new__(
                        Command, (argv, spans, offsets[a], offsets[b - 1] + 1, False, len(items), False, known[1])
                    )
                )
            elif fast and (first := row.partition(" ")[0]) not in _KEYWORDISH and _PLAIN_FIRSTS.get(first):
                # _feed's steps: the operator ends the item before it, then the row's.
                a, b = p.span(2)
                a += base
                b += base
                self._list_item(p[1], a, b, offsets, items)
                if inline and (held := _ROWS.get(row)) is not None and len(held[0]) <= ROW_WORDS:
                    argv = list(held[0])
                    if shared is not None:
                        shared[row] = (argv, held[1])
                    spans = _new_object(_RowSpans)
                    spans.m, spans.words, spans.at, spans.delta = m, argv, a, 0
                    commands.append(
                        tuple.__new__(
                            Command, (argv, spans, offsets[a], offsets[b - 1] + 1, False, len(items), False, held[1])
                        )
                    )
                else:
                    record(m, row, a, b, False, len(items))
            else:
                self._feed(_pair_tokens(p, base))
                fast = None

    def _definition(self, t: Token) -> None:
        """token_chunks' plain function definition ``t``: what its tokens one by one do (the name
        is no command; `( )`, `{`, `}` open and close; each command read, nested, its pipe
        none), in one step where no command, `case` or `for` header is being read."""
        if self.current or self.case_header or self.case_pattern or self.for_header:
            self._feed(_definition_tokens(self.m.s, t))
            return
        if self.item_start is None and self.depth == 0:
            self.item_start = t.a
        self.item_end = max(self.item_end or 0, t.b)
        self.pipe = None
        if self.reader.functions is not None:
            self._def(t.text, None, self._maybe())  # (a plain body reads no parameter)
        r = self.reader
        command = r._command
        self.depth += 1  # (its body's commands are in a `{ }`: _Reader._own_level)
        m = self.m
        if DEF_RECORD and PLAIN_FIRSTS and type(m) is _Mapped and type(m.offsets) is not list:
            # What _command and _record_plain do with a body's command whose first word
            # PLAIN_FIRSTS's answer is held and yes, where the reader holds no function, file or
            # alias and reads the top level (DEF_RECORD), without its tokens; any other command
            # read through them (the reader's state asked again after it).
            shape, a = t.body
            item = self.item_base
            plain = r.functions is None and r.plain_commands and not r.files and not r.aliases and not r.depth
            for words in shape:
                if plain and _PLAIN_FIRSTS.get(words[0][2]):
                    r._record_shape(m, words, a, item if item is not None else len(r.script.items))
                else:
                    new = tuple.__new__
                    command(
                        m,
                        [new(Token, ("word", w, a + i, a + j, None)) for i, j, w in words],
                        True,
                        item,
                        None,
                        False,
                        False,
                    )
                    plain = r.functions is None and r.plain_commands and not r.files and not r.aliases and not r.depth
        else:
            for words in _def_commands(t):
                command(self.m, words, True, self.item_base, None, False, False)
        self.depth -= 1

    def _flush_item(self) -> None:
        if self.item_start is not None and not self.nested and self.item_base is None:
            script = self.reader.script
            # (self.m.span inlined: one call less per item of a script of thousands)
            a, b = self.item_start, self.item_end
            sp = None
            if a < b:
                offsets = self.m.offsets
                x, y = offsets[a], offsets[b - 1]
                if x is not None and y is not None:
                    sp = x, y + 1
            if sp is not None:
                script.items.append(sp)
                self.reader.item_starts.append(sp[0])
            else:
                script.exact = False
        self.item_start = self.item_end = None

    def _flush_command(self, piping: bool = False):
        out = None
        if self.current:
            out = self.reader._command(
                self.m, self.current, self.nested or self.depth > 0, self.item_base, self.pipe, piping, self.redirs
            )
            self.redirs = False
        self.current = []
        self.pipe = None
        return out

    def _case_token(self, t: Token) -> None:
        """`case WORD in PATTERN) ...;; PATTERN|PATTERN) ...;; esac`: the header and patterns."""
        if t.kind == "def":
            self._definition(t)
            return
        if t.kind == "rows":
            self._feed(_rows_tokens(t))  # (its words, one by one: `in`, `esac` among them)
            return
        if t.kind == "evals":
            self._feed(_evals_tokens(t))
            return
        if t.kind == "row":
            self._feed(_row_tokens(t))
            return
        self.item_end = t.b
        if t.kind == "word" and unquote(t.text) == "esac":
            self.case_header = self.case_pattern = False
            self.cases -= 1
            self.depth = max(0, self.depth - 1)
        elif self.case_header and t.kind == "word" and unquote(t.text) == "in":
            self.case_header, self.case_pattern = False, True
        elif self.case_pattern and t.kind == "op" and t.text == ")":
            self.case_pattern = False

    def _operator(self, t: Token) -> None:
        """An operator ends the simple command; at the top level, some end the item too."""
        text = t.text
        if text in _LIST_OPERATORS:  # the commonest: what the general steps below do for them
            if self.current:
                self._flush_command()
            else:
                self.pipe = None
            if self.piped_at and self.piped_at[-1][0] >= self.depth:
                self._pipeline_end()
            if self.depth == 0:
                self._flush_item()
                self.for_header = False
                self.guarded = text == "&&" or text == "||"
                if self.item_defs is not None:
                    self._item_end(text)
                if self.lists:
                    self.reader.and_or(text)
            return
        if (
            text == "("
            and self.current[-1:]
            and self.current[-1].kind == "word"
            and (len(self.current) == 1 or _keyword_definition(self.current))
        ):
            maybe = self._maybe()
            self._def(self.current[-1].text, None, maybe)  # (until its body is read: _define)
            if "$" in self.m.s:  # (only a body with an expansion may read its parameters)
                self.defining.append([self.current[-1].text, self.depth, None, t.b, maybe])
            self.current = []  # `name ( )`, bash's `function name ( )`: a function definition, not a command
        if text in ("|", "|&"):
            if not self.piped_at or self.piped_at[-1][0] < self.depth:
                r = self.reader  # (as they were before its first command, read now)
                self.piped_at.append((self.depth, r.args, dict(r.vars)))
            self.pipe = self._flush_command(True)
        elif text == "(" and not self.current and self.pipe is not None:
            pass  # (`echo claude -v | ( sh )`: the pipe is the subshell's first command's stdin)
        else:
            self._flush_command()
        if text == ";;" and self.cases:
            self.case_pattern = True
            return
        if text == "(":
            if self.item_start is None and self.depth == 0:
                self.item_start = t.a
            self.item_end = max(self.item_end or 0, t.b)  # a `(` never closed still ends its item
            self.depth += 1
            r = self.reader
            self.outside.append((r.args, dict(r.vars)))
        elif text == ")":
            self.depth = max(0, self.depth - 1)
            self.item_end = max(self.item_end or 0, t.b)
            if self.piped_at and self.piped_at[-1][0] > self.depth:
                self._pipeline_end()
            if self.outside:
                self.reader.args, self.reader.vars = self.outside.pop()
        if text in ("&&", "||", ";", "&", "\n", ";;") and self.depth == 0:
            self._flush_item()
            self.for_header = False

    def _pipeline_end(self) -> None:
        """The pipeline opened last has ended: the reader's parameters and variables are put
        back as they were at its first `|` (see piped_at)."""
        _, self.reader.args, self.reader.vars = self.piped_at.pop()

    def _word(self, t: Token) -> None:
        """A word or redirection: part of the current command, unless it is a keyword before one."""
        if t.kind == "def":
            self._definition(t)
            return
        if self.item_start is None and self.depth == 0:
            self.item_start = t.a
        self.item_end = max(self.item_end or 0, t.b)
        if t.kind == "redir":
            self.redirs = True
            if t.body is not None:
                self.item_end = max(self.item_end, t.body[2])  # the item ends after the heredoc's terminator
        elif self.current and t.text == "{" and _keyword_definition(self.current):
            # bash's `function NAME {` (dash runs `function`, not found: the status walk reads
            # which shell runs it, _StatusWalk._command): NAME's definition, as `NAME ( ) {`.
            name = self.current[1].text
            maybe = self._maybe()
            self._def(name, None, maybe)
            if "$" in self.m.s:
                self.defining.append([name, self.depth, None, t.a, maybe])
            self.current = []
            self._keyword("{")
            if self.defining:
                self._define("{", t)
            return
        elif not self.current:
            word = t.text
            quoted = "'" in word or '"' in word or "\\" in word
            if quoted:
                word = unquote(word)
            if self.for_header and word != "do":
                self.for_words.append(t)
            # (A quoted word is no reserved word: `\if claude` runs `if`, not found.)
            if (self.for_header or (word in _KEYWORDISH and not quoted)) and self._keyword(word):
                if self.defining and (word == "{" or word == "}") and not self.for_header:
                    self._define(word, t)
                return
        self.current.append(t)

    def _define(self, word: str, t: Token) -> None:
        """The `{` or `}` ``t`` of a function definition's body (see defining): at its `}`, the
        body is the reader's for calls of the name when it reads positional parameters."""
        top = self.defining[-1]
        if word == "{":
            if (
                top[2] is None
                and self.depth == top[1] + 1
                and (top[3] == t.a or _BODY_OPENS.fullmatch(self.m.s, top[3], t.a))
            ):
                top[2] = t.a
            elif top[2] is None:
                self.defining.pop()  # (another compound body: not read at calls)
            return
        if top[2] is None or self.depth != top[1]:
            return
        self.defining.pop()
        self._def(top[0], (self.m, top[2], t.b), top[4])

    def _loop_values(self) -> None:
        """`for NAME in WORDS; do`: NAME may hold each plain word (the body runs in a loop)."""
        words = self.for_words
        if len(words) >= 2 and unquote(words[1].text) == "in":
            plain = _capped([w for w in words[2:] if "$" not in w.text and "`" not in w.text], attrgetter("text"))
            if plain:
                name = words[0].text
                self.reader.vars[name] = ([_unquote_mapped(self.m, w.a, w.b) for w in plain], False)
        self.for_words = []

    def _keyword(self, word: str) -> bool:
        """Track a word in command position that is shell syntax, not a command; True if it is."""
        if self.for_header:
            if word == "do":
                self.for_header = False
                self._loop_values()
            return True
        if word in ("{", "}") or word in KEYWORDS_BEFORE_COMMAND or word in KEYWORDS_END:
            if word == "{":
                self.depth += 1
            elif word == "}":
                self.depth = max(0, self.depth - 1)
            elif word in ("if", "while", "until"):
                self.depth += 1
            elif word in ("fi", "done"):
                self.depth = max(0, self.depth - 1)
            return True
        if word in ("for", "select"):
            self.for_words = []
            self.for_header = True
            self.depth += 1
            return True
        if word == "case":
            self.case_header = True
            self.cases += 1
            self.depth += 1
            return True
        if word == "esac" and self.cases:
            self.cases -= 1
            self.depth = max(0, self.depth - 1)
            return True
        return False


# Commands that read no stdin: a group's stdin goes past them to the next command that may read
# it (`( cd /src && sh ) <<EOF`: sh reads the heredoc), and in a script a shell reads on its stdin
# they take none of it (_StatusWalk._eat). (Not `rm`, `cp`, `mv`, `ln`: `-i` asks on stdin.)
_NO_STDIN = frozenset(
    {"cd", "set", "export", "umask", "true", ":", "echo", "printf", "unset", "shopt", "trap"}
    | {"test", "[", "[[", "false", "exit", "return", "shift", "local", "readonly", "alias", "unalias"}
    | {"hash", "type", "pwd", "wait", "mkdir", "chmod", "chown", "touch", "ls", "sleep"}
)
_COMMAND_AFTER = frozenset({";", "&&", "||", "|", "&", "\n", "(", "!"})  # op texts after which a command starts
_HEREDOC_REDIRS = frozenset({"<<", "<<-", "0<<", "0<<-"})


_LOOP_OPENS = frozenset({"while", "until", "for", "select"})  # (their `done` closes them: group_stdin)


def group_stdin(tokens: list[Token]) -> list[Token]:
    """`( sh ) <<EOF`, `{ sh; } <<EOF`: a group whose stdin is a heredoc gives it to the first
    command inside that reads stdin at all: the heredoc's redirection (and its word) moved onto
    that command (`( sh <<EOF )`), which then reads it as `sh <<EOF` would. ``tokens`` as the
    tokenizer gives them, a list; the same list when there is nothing to move."""
    if not any(t.kind == "redir" and t.text in _HEREDOC_REDIRS for t in tokens):
        return tokens
    if any(t.kind == "word" and t.text == "case" for t in tokens):
        return tokens  # (a pattern's `)` closes no group)
    out = list(tokens)
    opens: list[int | None] = []  # per `(` or `{` open: the index of its first token (None: not a group)
    at_command = True
    i = 0
    while i < len(out):
        t = out[i]
        closes = None
        if t.kind == "op" and t.text == "(":
            opens.append(i + 1 if at_command else None)  # (`f()`: no group)
        elif t.kind == "word" and at_command and t.text in _LOOP_OPENS:
            # `while read c; do …; done <<EOF`: the condition's `read` reads it first (a `for`
            # loop's `done` closes its own, given to nothing).
            opens.append(i + 1 if t.text in ("while", "until") else None)
        elif t.kind == "word" and t.text == "{" and at_command:
            opens.append(i + 1)
        elif (t.kind == "op" and t.text == ")") or (t.kind == "word" and t.text in ("}", "done") and at_command):
            closes = opens.pop() if opens else None
        if (
            closes is not None
            and i + 2 < len(out) + 1
            and i + 1 < len(out)
            and out[i + 1].kind == "redir"
            and out[i + 1].text in _HEREDOC_REDIRS
            and i + 2 < len(out)
            and (to := _first_reader(out, closes, i)) is not None
        ):
            moved = out[i + 1 : i + 3]
            del out[i + 1 : i + 3]
            out[to:to] = moved
            i += 2
        at_command = (t.kind == "op" and t.text in _COMMAND_AFTER) or (
            t.kind == "word" and at_command and (t.text in KEYWORDS_BEFORE_COMMAND or t.text == "{")
        )
        i += 1
    return out


def _first_reader(tokens: list[Token], lo: int, hi: int) -> int | None:
    """Where the first command of ``tokens[lo:hi]`` (a group's inside) that may read stdin ends
    (its words, before the operator after it); None when it is not a simple command there, takes
    its stdin from elsewhere, or comes after a pipe."""
    i = lo
    while i < hi:
        t = tokens[i]
        if t.kind != "word" or t.text in _KEYWORDISH:
            return None
        j = i
        while j < hi and tokens[j].kind != "op":
            if tokens[j].kind == "redir" and tokens[j].text.lstrip("0")[:1] == "<":
                return None  # (its stdin: a file, a string, another heredoc)
            j += 1
        if unquote(t.text) not in _NO_STDIN:
            return j
        if j < hi and tokens[j].text not in (";", "&&", "\n"):
            return None  # (`echo x | sh`: the pipe is its stdin)
        i = j + 1
    return None


def _may_read(command: Command, reader: _Reader) -> bool:
    """The command may read its stdin: not one of _NO_STDIN, nor named by a variable whose values
    the script assigned all are (`c=echo; $c ok`: the command is `echo`)."""
    if command.name in _NO_STDIN:
        return False
    ref = _NAME_EXPANSION.fullmatch(command.argv[0]) if "$" in command.name else None
    held = reader.vars.get(ref.group(1) or ref.group(2)) if ref is not None else None
    if not held or not held[0]:
        return True  # (not known: any command)
    firsts = (v.s.split(None, 1)[:1] for v in held[0])
    return any(first and first[0] not in _NO_STDIN for first in firsts)


def _substitutes(toks: list[Token]) -> bool:
    """A word of the simple command ``toks`` holds a command substitution, which reads the
    command's stdin as any command may (`x=$(head -1)`)."""
    return any(t.kind == "word" and ("$(" in t.text or "`" in t.text) for t in toks)


# Shells that read a script on their stdin a block ahead (dash's 8 KB, `.` of dash and of bash,
# which reads the file whole): a script of at most a pipe's buffer (what a heredoc, or a feeder's
# one write, holds before the shell reads) is theirs whole before its first command reads stdin.
_READ_AHEAD = frozenset({"dash", "."})
_READ_AHEAD_MAX = 4096

# What dash refuses as a syntax error, or stops at with "Bad substitution", where bash reads it
# (_dash_refuses): a candidate, found in one search of a script's text, then read as tokens.
_BAD_SUBSTITUTION = re.compile(
    r"\$\{(?:![A-Za-z_]|#?[A-Za-z_][A-Za-z0-9_]*\[|[A-Za-z_][A-Za-z0-9_]*(?:[/,^@]|:[^-=?+]))"
)
_BASH_ONLY = re.compile(r"<<<|\[\[|\|&|[<>]\(|=\(|" + _BAD_SUBSTITUTION.pattern)
_ARRAY_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=\(")
_SINGLE_QUOTED = re.compile(r"'[^']*'")


def _dash_refuses(s: str, nested: bool = False) -> bool:
    """Whether dash refuses the script ``s`` or stops in it where bash reads it: a here-string
    `<<<`, `|&`, a process substitution `<(…)`, an array `a=(…)` (syntax errors: nothing of the
    line runs, nor anything after it), a `${a[0]}`, `${x/a/b}`, `${x:1}`, `${x,,}`, `${!x}` ("Bad
    substitution": the shell ends there), or runs `[[` (not found: `[[ … ]] && claude` runs no
    claude), in it or in a `$( )` of it (``nested``: one of those, not looked into further).
    bash runs those; a `sh` may be either: none of it is sure. Its tokens are read a chunk at a
    time (a 10 MB body is not held as tokens), up to the first such one."""
    subs: list[Token] = []
    at_command = True
    for t in chain.from_iterable(token_chunks(s, subs)):
        kind, text = t.kind, t.text
        if kind == "redir":
            if text.endswith("<<<"):
                return True
        elif kind == "op":
            if text == "|&":
                return True
        elif (
            (at_command and text == "[[")
            or text[:2] in ("<(", ">(")
            or _ARRAY_ASSIGNMENT.match(text)
            or ("${" in text and _BAD_SUBSTITUTION.search(_SINGLE_QUOTED.sub("", text)))
        ):
            return True
        # (A group's `{` is a keyword before a command too: `{ [[ -d / ]] && claude -v; }`, a body.)
        at_command = (kind == "op" and text != ")") or (
            at_command and (text in KEYWORDS_BEFORE_COMMAND or (text == "{" and kind == "word"))
        )
    # (dash reads a `$( )` as it reads the line: `echo $(a=(x)); claude` is refused whole.)
    return not nested and any(_BASH_ONLY.search(sub.text) and _dash_refuses(sub.text, True) for sub in subs)


def _runs_nothing(args: list[str]) -> bool:
    """A shell's options (``args``: its words after its name) with which it runs no script:
    `sh -n` reads it without running it; `bash --version` reads none."""
    opts = shell_options(args, 0)
    return opts.noexec or any(
        a in ("--version", "--help", "--noexec") or (a[:1] == "-" and a[1:2] != "-" and "n" in a)
        for a in args[: opts.operand]
    )


# _reads_stdin's answers by its words (a function of them alone): the few spellings a file uses
# (`bash`, `sh -e`), asked of each shell the reader meets and of each by the rules' _Feeds (a file
# of 333,000 `RUN bash <<EN` read the options four times a RUN). tests/test_fed_plain_fast.py
# compares it with STDIN_MEMO off.
STDIN_MEMO = True
_STDIN_READS: dict[tuple, bool] = {}
_STDIN_MAX = 4096  # entries; forgotten all at once past it


def _reads_stdin(args: list[str]) -> bool:
    """A shell that runs its stdin as its script: options only (`bash`, `bash -e`, `bash -euo
    pipefail`), `-s` (`sh -s -- ARGS`), or a script operand that is stdin (`sh /dev/stdin`)."""
    if not STDIN_MEMO or len(args) > 8:
        return _reads_stdin_of(args)
    key = tuple(args)
    got = _STDIN_READS.get(key)
    if got is None:
        if len(_STDIN_READS) >= _STDIN_MAX:
            _STDIN_READS.clear()
        got = _STDIN_READS[key] = _reads_stdin_of(args)
    return got


def _reads_stdin_of(args: list[str]) -> bool:
    """_reads_stdin, worked out."""
    opts = shell_options(args, 0)
    if opts.command:
        return False
    if _runs_nothing(args):
        return False  # `sh -n` reads the script without running it; `bash --version` reads none
    return opts.stdin or opts.operand >= len(args) or args[opts.operand] in STDIN_FILES


def analyse_text(s: str, offsets: list[int | None] | None = None) -> Script:
    """Commands of a shell script ``s`` (offsets default to indices of ``s``)."""
    reader = _Reader()
    reader.read(_Mapped(s, list(range(len(s))) if offsets is None else offsets), False)
    return reader.script


# BuildKit's test for a RUN whose command line is one heredoc and nothing else (dispatchRun,
# parser.MustParseHeredoc): `[fd]<<[-]WORD`, WORD one word once unquoted. Only then is the body
# itself the script (run by the SHELL, or as a file when it starts with `#!`), and no expansion
# applies to it; any other line (`<<A <<B`, `<<EOF ;`, `cat <<EOF`) goes to the shell with the
# bodies after it, and the shell reads them as it reads any heredoc: a line of redirections
# alone runs nothing, and an unquoted body's `$( )` run as the body is read.
_HEREDOC_ONLY = re.compile(r"[0-9]*<<-?([^<]*)")


def heredoc_only(ins: Instruction) -> bool:
    """The RUN's command line is one heredoc alone (`RUN <<EOF`, `RUN 3<<-'EOF'`), as BuildKit reads it."""
    if not ins.heredocs or ins.json_args is not None:
        return False
    if _ONLY_LINE.fullmatch(ins.logical, ins.args_start) is not None:
        return True  # (one word of plain characters: no copy of the line, nothing to split)
    return _heredoc_only_spelled(ins)


def _heredoc_only_spelled(ins: Instruction) -> bool:
    """heredoc_only of a line _ONLY_LINE does not match (_analyse asks that first)."""
    m = _HEREDOC_ONLY.fullmatch(ins.logical[ins.args_start :].strip())
    if m is None or not m.group(1):
        return False
    return one_shell_word(m.group(1))


_SHLEX_READS = re.compile(r"[ \t\r\n'\"\\]")  # (one search, not a scan per character: asked twice per RUN)


def one_shell_word(word: str) -> bool:
    """``word`` is one word as shlex (POSIX) splits it."""
    if _SHLEX_READS.search(word) is None:
        return True  # (no blank, quote or backslash to read: itself)
    import shlex

    try:
        return len(shlex.split(word)) == 1
    except ValueError:
        return False


# What the shell expands in an unquoted heredoc body as it reads it: `$( )` (not `$(( ))`),
# backticks, and a backslash before `$`, a backtick or a backslash (it goes).
_OUTER = re.compile(r"\\\n|\\[\\$`]|\\(?=[^\\$`])|\$\((?!\()|`")
_OUTER_VARS = re.compile(
    r"\\\n|\\[\\$`]|\\(?=[^\\$`])|\$\((?!\()|`"
    r"|\$(?:\{([A-Za-z_][A-Za-z0-9_]*|[0-9#@*])\}|([A-Za-z_][A-Za-z0-9_]*|[0-9#@*]))"
)


def _fed_body(doc, feed: tuple | None = None) -> tuple[_Mapped, list[_Mapped]]:
    """The script a shell fed heredoc ``doc`` reads (and the substitutions the shell that feeds
    it runs as it reads an unquoted body): the body, or _outer_expansion's (``feed``: what the
    feeding shell expands it with, _Reader.doc_feeds'). _analyse's reader and the status walk
    read the same text."""
    s = doc.content
    if not doc.shell_expands:
        return _Mapped(s, _body_offsets(doc)), []
    if "$" in s or "`" in s or "\\" in s:
        own = frozenset(_ASSIGNED.findall(s)) if "$" in s and "=" in s else frozenset()
        return _outer_expansion(doc, own, feed)
    return _Mapped(s, _body_offsets(doc)), []


_ASSIGNED = re.compile(r"(?:^|(?<=[\s;&|(]))([A-Za-z_][A-Za-z0-9_]*)=", re.M)  # `c=claude` in a body


_BLANKED = "\0"  # (_outer_value: not known)


def _outer_value(name: str, own: frozenset, feed: tuple | None) -> str | None:
    """What the shell that feeds an unquoted body puts for `$name` in it (``feed``: see
    _Reader.doc_feeds): its value where known and sure, _BLANKED where not (a word that names
    no command), None where it is left for the body's reader (a variable the stage gives both)."""
    if name in "@*#" or name.isdigit():
        args = feed[1] if feed is not None else None
        if args is None:
            return _BLANKED
        if name.isdigit():
            k = int(name)
            if k >= len(args):
                return ""  # (unset: `$2` of one parameter)
            return _BLANKED if args[k] is None else args[k].s
        if name == "#":
            return str(len(args) - 1) if len(args) < 10 else _BLANKED  # (_set_args keeps nine)
        return _BLANKED if None in args[1:] else " ".join(v.s for v in args[1:])
    held = feed[2].get(name) if feed is not None else None
    if held is not None:
        return held[0][0].s if held[1] is True and len(held[0]) == 1 else _BLANKED
    return _BLANKED if name in own else None


def _outer_expansion(doc, own: frozenset = frozenset(), feed: tuple | None = None) -> tuple[_Mapped, list[_Mapped]]:
    """An unquoted heredoc body as the shell reads it: (the text it gives the command, with each
    `$( )` and backtick blanked, the escaping backslashes and backslash-newlines gone, and the
    bodies of those substitutions, which the shell runs). Offsets are the source's. One pass of
    searches. ``feed`` (a shell fed it, _Reader.doc_feeds'): the feeding shell's `$NAME`,
    `${NAME}`, `$1`, `"$@"`, `$#` become its values where known (each character at the `$`),
    and are blanked where not; so are those of names the body assigns (``own``), whose value
    there is the feeding shell's, not the body's (`sh <<EOF` with `c=claude; $c -v`: `-v`)."""
    s = doc.content
    offs = _body_offsets(doc)
    subs: list[_Mapped] = []
    edits: list[tuple[int, int, str | None]] = []  # (start, end, text put there; None: blanked)
    resized = False
    i, n = 0, len(s)
    search = (_OUTER_VARS if own or (feed is not None and "$" in s) else _OUTER).search
    while i < n:
        m = search(s, i)
        if m is None:
            break
        j, t = m.start(), m.group()
        if t[0] == "$" and t[1:2] != "(":
            value = _outer_value(m.group(1) or m.group(2), own, feed)
            if value is not None:
                edits.append((j, m.end(), None if value is _BLANKED else value))
                resized = resized or (value is not _BLANKED and len(value) != m.end() - j)
            i = m.end()
            continue
        if t[0] == "\\":
            if len(t) == 2:
                edits.append((j, j + (2 if t[1] == "\n" else 1), ""))
                resized = True
            i = j + 2
            continue
        width = 1 if t == "`" else 2
        end = _find_close(s, j + width, "`" if t == "`" else "(")
        a, b = j + width, max(j + width, end - 1)
        subs.append(_Mapped(s[a:b], offs[a:b]))
        out = _outer_output(subs[-1]) if FED_OUTPUT else None
        edits.append((j, end, out))
        resized = resized or out is not None
        i = end
    if not edits:
        return _Mapped(s, offs), subs
    pieces: list[str] = []
    kept = array("q") if resized else None
    last = 0
    for a, b, text in edits:
        pieces.append(s[last:a])
        if type(text) is _Mapped:  # (what a substitution writes: _outer_output)
            pieces.append(text.s)
            kept.extend(offs[last:a])
            kept.extend(offs[a] if o is None else o for o in text.offsets)
            last = b
            continue
        pieces.append("x" * (b - a) if text is None else text)  # (blanked: one word where it was)
        if kept is not None:
            kept.extend(offs[last:a])
            if text is None:
                kept.extend(offs[a:b])
            elif text:
                kept.extend([offs[a]] * len(text))
        last = b
    pieces.append(s[last:])
    if kept is None:
        return _Mapped("".join(pieces), offs), subs
    kept.extend(offs[last:])
    return _Mapped("".join(pieces), memoryview(kept)), subs


# An unquoted body's `$( )` or backtick substitution whose output is sure (`$(echo claude) -v`,
# `` `which claude` ``) puts that output where it was, as the shell that feeds the body does
# (tests/test_ais002_fed_substitutions.py); off, every substitution is blanked (one word that
# names no command).
FED_OUTPUT = True
# A substitution whose output _outer_output works out: one echo or lookup of plain words (no
# expansion, quote removal, escape, glob or brace the feeding shell would change them by), or a
# lookup of one name (`which claude`: its path; of several, those not found write nothing).
# (A pattern, compiled where first used: re's cache keeps it; most files never ask.)
_PLAIN_WORD_CHARS = r"[^\s$`\\'\"*?\[~{;&|<>()#%]+"  # (`%`: printf's conversions)
_PLAIN_ECHO = (
    r"[ \t]*(?:(?:echo|printf)(?:[ \t]+"
    + _PLAIN_WORD_CHARS
    + r")*|(?:which|command[ \t]+-v)[ \t]+(?!-)"
    + _PLAIN_WORD_CHARS
    + r")[ \t]*"
)


class _OutputBudget:
    """_outer_output's reader for _writes: printf's format used again while 4,096 characters last."""

    left = 4096

    def _spend(self, n: int) -> bool:
        self.left -= n
        return self.left >= 0


def _outer_output(inner: _Mapped) -> _Mapped | None:
    """What the substitution ``inner`` of an unquoted heredoc body writes, as the body then holds
    it (trailing newlines removed), where that is sure: see _PLAIN_ECHO; else None."""
    if re.fullmatch(_PLAIN_ECHO, inner.s) is None:
        return None
    budget = _OutputBudget()
    got = _feeder_output(inner, budget)
    if budget.left < 0:
        return None  # (printf's format used again past the budget: not all of it)
    if not got:
        return None if got is None else _Mapped("", [])
    text = "".join(v.s for _, v in got)
    offsets = [o for _, v in got for o in v.offsets]
    keep = len(text.rstrip("\n"))
    return _Mapped(text[:keep], offsets[:keep])


def _pieces_size(srcs: list[tuple], limit: int) -> int:
    """The characters of the pieces ``srcs`` (see _Reader._feed; a heredoc's counts one: it is
    read as the RUN's own), counted until past ``limit``: a file written piece by piece costs
    no more to ask about than it may be read."""
    size = 0
    for src in srcs:
        size += len(src[1].s) if src[0] == "mapped" else 1
        if size > limit:
            break
    return size


class _Shebang(NamedTuple):
    """A script's `#!` line as the kernel runs it: the base name of the program it starts ("" for
    none: env given no program, or one it cannot find) and that program's arguments before the
    script's path. The kernel passes the rest of the line as ONE argument: `#!/bin/sh -e -u`
    gives sh "-e -u" (refused), `#!/usr/bin/env bash -e` asks env for a program "bash -e" (not
    found); only `env -S` splits it (`#!/usr/bin/env -S bash -e`)."""

    name: str
    args: tuple[str, ...]


def _shebang(body: str) -> _Shebang | None:
    """The `#!` line of a script, read once for every question asked of it; None without one."""
    if not body.startswith("#!"):  # (its first line does not: no copy of the body's first line)
        return None
    words = body.split("\n", 1)[0][2:].split(None, 1)
    if not words:
        return _Shebang("sh", ())  # a bare `#!`: the shell that runs the file reads it
    name = words[0].rsplit("/", 1)[-1]
    arg = words[1].strip() if len(words) > 1 else ""
    if name != "env":
        return _Shebang(name, (arg,) if arg else ())
    if arg.startswith("-S"):
        argv = arg[2:].split()  # (`-S bash -e`: env splits it; its options and assignments first)
        j = 0
        while j < len(argv) and (argv[j].startswith("-") or "=" in argv[j]):
            j += 1
        return _Shebang(argv[j].rsplit("/", 1)[-1], tuple(argv[j + 1 :])) if j < len(argv) else _Shebang("", ())
    if not arg or arg.startswith("-") or "=" in arg or " " in arg or "\t" in arg:
        return _Shebang("", ())  # (no program, or one named with a space: env finds none)
    return _Shebang(arg.rsplit("/", 1)[-1], ())


def _runs_as_shell(body: str) -> bool:
    """A script executed by its path (`./s.sh`, `RUN <<EOF` with a `#!` line) is run by a shell
    that reads it: no `#!` line (the shell that executes it reads it), or one naming a shell
    with arguments it takes (see _shebang_options)."""
    bang = _shebang(body)
    return bang is None or _shebang_options(bang) is not None


def _shebang_options(bang: _Shebang) -> tuple[bool, bool] | None:
    """(errexit, pipefail) of the shell a `#!` line runs, from its arguments (`#!/bin/sh -e`:
    errexit); None when it runs none of the script: not a shell, `-n`, or an argument of
    several words (`#!/bin/sh -e -u`: one argument "-e -u", which the shell refuses)."""
    if bang.name not in SHELLS:
        return None
    if not bang.args:
        return DEFAULT_SHELL
    if any(" " in a or "\t" in a for a in bang.args):
        return None
    opts = shell_options([bang.name, *bang.args], 1)
    return None if opts.noexec else (opts.errexit, opts.pipefail)


def analyse_run(ins: Instruction, staged: dict | None = None) -> Script:
    """The commands a RUN (or ONBUILD RUN) executes, in the order written (read once per RUN text).
    ``staged``: the stage's variables the RUN starts with (_Reader.seed), read each time, not kept."""
    if ins.keyword == "ONBUILD" and ins.sub is not None:
        ins = ins.sub
    if staged:
        script = _analyse(ins, staged=staged)
        script.staged = staged
        return script
    kept = ins.shell
    if kept is not None:
        return kept if type(kept) is Script else _CM.made(kept)  # (a compact one: COMPACT_KEPT)
    script, seen = _analyse_cached(ins)
    if not seen:  # (a script read before is moved again when asked: nothing kept per RUN)
        ins.shell = script
        _KEPT.append(ins)
        while len(_KEPT) > KEEP_SCRIPTS:
            old = _KEPT.popleft()
            if _LATER and COMPACT_KEPT and _read_later(old.shell):  # (no rule reads any later: no step)
                kept = old.shell = (_CM or _compacting()).compact(old.shell, old.start)
                if kept is not None:
                    _COMPACTED.append(old)
            else:
                old.shell = None
    return script


# The RUNs whose script is kept on them (ins.shell), oldest first. The rules that ask for a RUN's
# script ask in a row (AIS101's run_info then _span), or in a file of a few thousand RUNs at most;
# a file of 300,000 distinct RUNs kept them all (450 MB at 10 MB) for no second reader. Past
# KEEP_SCRIPTS the oldest is let go, read again if asked (the same script: tests/test_shell_fast.py).
KEEP_SCRIPTS = 4096
_KEPT: deque[Instruction] = deque()

# ... but a small script let go is kept in a compact form (_compact) until the file is linted: the
# rules that read every RUN's commands ask in turn (AIS002 for the whole file, then AIS003, then
# AIS004), and a file of 190,000 distinct installs (`RUN npm install -g @anthropic-ai/claude-code@1.0.N`)
# read every one of them twice: past KEEP_SCRIPTS the first reading was gone (issue 18). A Script as
# read keeps its tokens (a Token per word for its spans, the status walk's _Line and memo key): 1.6
# KB for a 50-byte line, 354 MB at 10 MB; its compact form (_Compact) keeps what the rules read of
# it, and of that only its words and where it is as its own (170 bytes for that line; its layout
# shared with the RUNs laid out alike). tests/test_compact_scripts.py compares the rules with
# COMPACT_KEPT off on generated files.
COMPACT_KEPT = True
COMPACT_WORDS = 64  # words of a script kept compact, at most (a longer one is read again if asked)
# The command names whose RUNs a rule asks for after the rule that reads every RUN (AIS002): the
# rules' read_later(df) (AIS003's installers, in a file that may install; AIS004's commands, in a
# file built on the foundation), given by start_file. A script of none is let go: the file of
# 350,000 distinct `RUN echo N && claude -v` is asked by no rule after it, and pays no step.
_LATER: frozenset = frozenset()


def _read_later(script: Script | None) -> bool:
    """Whether a command of ``script`` has a name a later rule reads (_LATER; in C: no Python
    step per command). Not for a script kept compact already (a RUN met twice in _KEPT: its
    script let go, then read again): it is let go."""
    return type(script) is Script and not _LATER.isdisjoint(map(_COMMAND_NAME, script.commands))


_COMMAND_NAME = itemgetter(7)  # a Command's name
_COMPACTED: list[Instruction] = []  # the RUNs holding a compact script, let go by end_file


def end_file() -> None:
    """The file is linted: the compact scripts kept on its RUNs are let go (read again if asked)."""
    for ins in _COMPACTED:
        ins.shell = None
    _COMPACTED.clear()
    if _CM is not None:
        _CM.end_file()


# aishell.compact, imported when a script is first kept compact (a file of more than KEEP_SCRIPTS
# RUNs a later rule reads): no other file compiles it (python -B compiles every module it imports).
_CM = None


def _compacting():
    global _CM
    from aishell import compact

    _CM = compact
    return compact


def plain_argv(ins: Instruction) -> list[str] | None:
    """The argv of a RUN on one line that is one simple command of plain words (`make t1`,
    `apt-get update`): no quotes, expansions, operators, redirections, globs or comments, no
    assignment before it, and a first word that names no wrapper, shell, package runner or
    keyword (the reader reads into those), but a package manager's install (`npm ci`, `yarn add
    x`: PLAIN_TOOL_VERBS). It is the one command analyse_run gives, without reading the script
    (tests/test_ais102_fast.py and tests/test_plain_argv_npm.py compare them); None for any other
    RUN."""
    if ins._offsets is not None or ins.heredocs or ins.json_args is not None:
        return None
    m = _ONE_COMMAND.fullmatch(ins.logical, ins.args_start)
    if m is None:
        return None
    argv = ins.logical[m.start(1) :].split()
    name = argv[0].rsplit("/", 1)[-1]
    if name not in _READ_INTO:
        return argv
    if PLAIN_TOOL_VERBS and len(argv) > 1 and (name, argv[1]) in _TOOL_VERBS:
        return argv  # `npm ci --loglevel=l5`, `yarn install`: no runner's (see PLAIN_TOOL_VERBS)
    if PLAIN_TOOL_RUNNERS and name in _TOOL_FIRST and (len(argv) < 2 or (name, argv[1]) not in TOOL_RUNNERS):
        return argv  # `bundle install`, `uv pip install x`: no tool runner's (see PLAIN_TOOL_RUNNERS)
    return None


_ONE_COMMAND = re.compile(
    r"[ \t]*([^\s;&|()<>'\"\\$`#=*?\[\]{}~!]+(?:[ \t]+[^\s;&|()<>'\"\\$`#*?\[\]{}~][^\s;&|()<>'\"\\$`*?\[\]{}~]*)*)[ \t]*"
)
_READ_INTO = _SPECIAL_NAMES | SHELLS | _KEYWORDISH

# plain_argv takes a package manager's install (`npm ci --loglevel=l5`, `npm i -g x`, `pnpm
# install`, `/usr/bin/yarn add x`) as the plain command it is: its name is in _READ_INTO only as a
# package runner's first word (`npm exec`, `npm x`, `pnpm dlx`, `yarn dlx`, `bun x`: _TWO_WORD_FIRST)
# or a project runner's (`yarn exec`, `pnpm run`, `yarn claude`: _PROJECT_FIRST), and _command
# reads those by the word right after the name, which here is an install verb (no runner's, no
# project exec or script, no harness): it reads past every case and records all the words as one
# command. Any other second word (`npm exec`, `npm run`, `npm test`, `npm --prefix x exec`, an
# option first) goes to the reader. AIS101 and AIS102 had each such RUN read by the reader (`npm ci
# --loglevel=lN`, a fifth of the RUNs of "installs over one large manifest", benchmarks/scale.py):
# its lint took 1.8-1.95 s of CPU in-process at 4 MB, 1.15 s with this, and through the CLI at
# 10 MB 4.7-4.9 s of CPU, 2.9 s. tests/test_plain_argv_npm.py compares it with this off.
PLAIN_TOOL_VERBS = True
# npm's clean installs: `ci` and its aliases (npm's cmd-list.js), and `install-ci-test`'s.
_NPM_CI = frozenset({"ci", "clean-install", "ic", "install-clean", "isntall-clean", "cit", "install-ci-test"})
_TOOL_VERBS = frozenset(
    (tool, verb)
    for tool in ("npm", "pnpm", "yarn", "bun")
    for verb in NPM_INSTALL | NPM_ONLY_INSTALL | _NPM_CI
    if installs(tool, verb) or (tool == "npm" and verb in _NPM_CI)
)
# (What makes them plain to _command: no runner's or project runner's verb, nor a harness's name
# (_project_target reads `yarn NAME` as the project's NAME), nor an option (`-c`, `--`); and the
# tools are no wrapper, shell, source, keyword or other name _command or plain_name reads.)
assert not _TOOL_VERBS & (TWO_WORD_RUNNERS | PROJECT_EXEC | PROJECT_SCRIPT_OR_BIN)
assert not any(mentions_in(v) or v.startswith("-") for _, v in _TOOL_VERBS)
assert not {t for t, _ in _TOOL_VERBS} & (
    set(WRAPPERS)
    | set(STRING_OPTIONS)
    | _STRING_FIRST
    | ONE_WORD_RUNNERS
    | SOURCES
    | SHELLS
    | _KEYWORDISH
    | FEEDERS
    | _FILE_COMMANDS
    | _VAR_COMMANDS
    | {"env", "find", "su", "runuser", "eval", "trap", "builtin", "sg", "corepack"}
)


# Scripts read, by RUN text: a file repeats the same RUN (`RUN npm ci` after every `COPY`), and a
# RUN on one line (or continued, its characters in a row) reads the same wherever it is, moved;
# so does one continued over lines laid out alike, keyed by its text and its pieces' places (the
# many-fixes migrate read each again in every copy and every lint: a fifth of its run at 10 MB).
_SEEN: dict[str | tuple, tuple[Script, int]] = {}
_SEEN_MAX = 1024  # entries; forgotten all at once past it
_SEEN_TEXT = 4096  # longer RUNs are read each time: they are rarely repeated


def _analyse_cached(ins: Instruction) -> tuple[Script, bool]:
    """The RUN's script, and whether it is one read before (for another RUN of the same text)."""
    if ins.json_args is not None or ins.heredocs:
        return _analyse(ins), False
    a = ins.args_start
    n = len(ins.logical) - a
    if not 0 < n <= _SEEN_TEXT:
        return _analyse(ins), False  # long or empty
    offsets = ins._offsets  # None for one line: its characters are in a row from ins.start
    text = ins.logical[a:]
    if offsets is None:
        first = ins.start + a
    elif offsets[a + n - 1] - offsets[a] == n - 1:
        first = offsets[a]
    elif type(offsets) is _Pieces:
        # Continued lines: the same text joined from lines laid out alike (each piece where it
        # was, from the first) reads the same, moved (the corpus's RUNs over several lines).
        first = offsets.sources[0]
        text = (text, a, tuple(offsets.at), tuple([s - first for s in offsets.sources]))
    else:
        return _analyse(ins), False  # (its offsets already spelled out one by one)
    hit = _SEEN.get(text)
    if hit is None:
        pool = _POOL[0]
        limited = pool is not None and pool < NESTED_EXTRA
        script = _analyse(ins)
        if limited:
            return script, False  # (read within what the file had left: not kept for another)
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        _SEEN[text] = (script, first)
        return script, False
    seen, base = hit
    delta = first - base
    if not delta:
        return seen, True
    new = tuple.__new__  # Command(...) without its Python-level __new__
    out = Script(
        [
            new(
                Command,
                (
                    c.argv,
                    c.spans.moved(delta),
                    None if c.start is None else c.start + delta,
                    None if c.end is None else c.end + delta,
                    c.nested,
                    c.item,
                    c.runner,
                    c.name,
                ),
            )
            for c in seen.commands
        ],
        [(x + delta, y + delta) for x, y in seen.items],
        seen.exact,
    )
    out.truncated = seen.truncated
    return out, True


# `RUN <<EOF` whose line is one heredoc word of plain characters: the line runs nothing, and the
# reader would give it one item, the redirection (_analyse reads no such line; tests/
# test_heredoc_only_fast.py compares).
ONLY_LINE = True
_ONLY_LINE = re.compile(r"[ \t]*([0-9]*<<-?(?:\w+|'\w+'|\"\w+\"))[ \t]*", re.ASCII)


# A RUN line, or the body of `RUN <<EOF`, of plain commands that _Reader._read_plain records each
# by its first word alone (its ``direct`` path for every one: plain_name names it): no `$`, quote,
# backslash, pipe, parenthesis, redirection or comment, no keyword where a command starts, no
# assignment, shell, wrapper or other name a case of _command reads there. _plain_line reads it
# in one pass without a _Reader: the commands, items and tokens _read_plain gives, and the status
# walk's memo key of those tokens (_walk_shape's). A file of 350,000 distinct such RUNs (`RUN echo
# N && claude -v`) made a reader and read each through it (issue 18). tests/test_plain_line_fast.py
# compares it with PLAIN_LINE off on generated lines and bodies.
PLAIN_LINE = True
_LINE_WORD = r"[^\s;&|()<>'\"\\$`#][^\s;&|()<>'\"\\$`]*+"  # (_PLAIN_SCRIPT's word, with no `$( )`)
# Its tokens, as _PLAIN_SCRIPT gives them: (blanks before, a word, an operator). A character of
# none (a quote, `$`, a pipe, `;;`, a `#` starting a word...) is passed over by findall: the
# tokens then do not add up to the text, and _plain_line leaves it to the reader.
_LINE_TOKEN = re.compile(r"([ \t\r]*)(?:(" + _LINE_WORD + r")|(&&|\|\||;(?!;)|&|\n))")
# Characters never in one, found by one search before any token is read (a long script that is not
# plain, `RUN a && b 'c'…`, was read to its end first); and the longest text read so: a longer one
# that is not plain but for a late pipe or name was read twice (the general path is linear too).
_LINE_ODD = re.compile(r"[$'\"\\`()<>]")
_LINE_MAX = 4096
_LINE_CODE = offset_code(_LINE_MAX)
# The first words _plain_line leaves to the reader (_read_plain's general path, plain_name's None)
# and those the walk's key is not made for (_walk_shape's None), as a first word with no `/`
# (its name) looks them up: one set each, not three and two (_LINE_UNKEYED: after _GUARD_WORDS).
_LINE_STOP = _KEYWORDISH | _SPECIAL_NAMES | SHELLS | _VAR_COMMANDS
_LINE_NAMES_STOP = _SPECIAL_NAMES | SHELLS | _VAR_COMMANDS  # (of a name after a `/`)

# A package manager's install in a plain line (`npm install -g @anthropic-ai/claude-code@1.0.3`,
# `pnpm add x`, `/usr/bin/yarn add x`, `bun i x`): its first word is a package runner's first
# (_TWO_WORD_FIRST; yarn's and pnpm's run the project's bins too, _PROJECT_FIRST), so plain_name
# refuses it and _read_plain gave it to _command's general path, which reads it past every case
# (its second word, an install verb, names no runner, no project exec or script, no harness) and
# records it as it is, one command of all its words, as _plain_line records its others: a reader
# made and read through per RUN (a file of 190,000 distinct `RUN npm install -g …@1.0.N`, issue 18).
# _plain_line reads such a command as its others (the status walk's key is not made for it, as
# _walk_shape makes none: plain_name's None). tests/test_install_line_fast.py compares with it off.
INSTALL_LINE = True
_INSTALL_LINES = frozenset(
    (tool, verb)
    for tool in ("npm", "pnpm", "yarn", "bun")
    for verb in NPM_INSTALL | NPM_ONLY_INSTALL
    if installs(tool, verb)
    and (tool, verb) not in TWO_WORD_RUNNERS | PROJECT_EXEC | PROJECT_SCRIPT_OR_BIN
    and not mentions_in(verb)
    and verb not in ("-c", "--call", "--")
)
# (_command reads nothing else of these names: no wrapper, shell, feeder, file or variable command.)
assert not {t for t, _ in _INSTALL_LINES} & (
    set(WRAPPERS)
    | set(STRING_OPTIONS)
    | _STRING_FIRST
    | ONE_WORD_RUNNERS
    | SHELLS
    | FEEDERS
    | _FILE_COMMANDS
    | _VAR_COMMANDS
    | SOURCES
    | {"find", "su", "runuser", "eval", "trap", "builtin", "sg", "corepack"}
    | {"export", "readonly", "local", "declare", "typeset", "set", "read", "unset", "shift", "alias"}
)


def _plain_line(m: _Mapped, items: list) -> tuple | None:
    """(the commands, the tokens (a _Line), Script.shape) of the plain script ``m`` (see
    PLAIN_LINE) read at the top level as _Reader._read_plain reads it, its items appended to
    ``items`` (the items before it: a heredoc body's are numbered on from the line's); None,
    nothing appended, when it is not one."""
    s = m.s
    if len(s) > _LINE_MAX or _LINE_ODD.search(s) is not None:
        return None
    if ONE_LINE and "\n" not in s and "&" not in s and ";" not in s and "|" not in s:  # (a body fails first)
        one = _one_line(m, items)
        if one is not None:
            return one or None  # (False: its command is one the loop leaves to the reader too)
    texts: list[str] = []
    at: list[int] = []  # (the starts, made an array once: an append to an array parses its argument)
    ops: list[int] = []
    append, at_append, intern = texts.append, at.append, sys.intern
    pos = 0  # the tokens are in a row: each starts where the one before (and its blanks) ends
    for blanks, word, op in _LINE_TOKEN.findall(s):
        if blanks:
            pos += len(blanks)
        at_append(pos)
        if word:
            pos += len(word)
            append(intern(word))  # (interned as _read_plain's)
        else:
            pos += len(op)
            ops.append(len(texts))
            append(intern(op))
    if pos != len(s) and pos != len(s.rstrip(" \t\r")):
        return None  # (a character passed over; a word not followed by a blank, an operator or the end)
    n = len(texts)
    code = _LINE_CODE  # (offset_code of a text of at most _LINE_MAX characters)
    starts = array(code, at)
    offsets = m.offsets
    # (A range of step 1, a line on one line or a body: a character's offset is a sum, no look-up.)
    first = offsets.start if type(offsets) is range and offsets.step == 1 else None
    new, new_object = tuple.__new__, _new_object
    commands: list[Command] = []
    spans_of: list[tuple[int, int]] = []  # the items (each command is one: no pipe)
    base = len(items)
    key: list | None = [] if len(ops) <= _WALKED_OPS else None  # (_walk_shape's, without the SHELL's)
    firsts: list[int] = []
    shape: tuple | bool | None = None
    lo = 0
    last_argv = None
    ops.append(n)
    for k in ops:
        if k > lo:  # a command: its words are texts[lo:k]
            w0 = texts[lo]
            if "/" in w0:
                name = w0.rsplit("/", 1)[-1]
                if w0 in _KEYWORDISH or "=" in w0:
                    return None
                if name in _LINE_NAMES_STOP:
                    if not (INSTALL_LINE and k - lo > 1 and (name, texts[lo + 1]) in _INSTALL_LINES):
                        return None
                    unkeyed = True  # (an install: see INSTALL_LINE)
                else:
                    unkeyed = name in _WALK_NAMES or w0 in _GUARD_WORDS
            else:
                name = w0
                if w0 in _LINE_STOP or "=" in w0:
                    if not (INSTALL_LINE and k - lo > 1 and (w0, texts[lo + 1]) in _INSTALL_LINES):
                        return None  # (_read_plain's general path; plain_name's None: no file, alias or pipe here)
                    unkeyed = True  # (an install: see INSTALL_LINE)
                else:
                    unkeyed = w0 in _LINE_UNKEYED
            if key is not None:
                if unkeyed:
                    key, shape = None, False  # (_walk_shape's None)
                else:
                    key.append(w0)
                    firsts.append(lo)
            last = k - 1
            if first is not None:
                sp = (first + at[lo], first + at[last] + len(texts[last]))
            else:
                sp = (offsets[at[lo]], offsets[at[last] + len(texts[last]) - 1] + 1)
            spans = new_object(_PlainSpans)
            spans.m, spans.words, spans.delta, spans.starts, spans.lo, spans.n = m, texts, 0, starts, lo, k - lo
            argv = texts[lo:k]
            if argv == last_argv:
                argv = last_argv  # (as _read_plain shares them)
            else:
                last_argv = argv
            commands.append(new(Command, (argv, spans, sp[0], sp[1], False, base + len(spans_of), False, name)))
            spans_of.append(sp)
        if key is not None and k < n:
            key.append(texts[k])  # (an operator)
        lo = k + 1
    ops.pop()
    items.extend(spans_of)
    if key is not None:
        shape = (tuple(key), firsts)
    return commands, new(_Line, (texts, starts, array(code, ops))), shape


# _plain_line of a line of one simple command (no operator: most RUN lines, `RUN npm install -g
# @anthropic-ai/claude-code@1.0.3`) in one match and one split, not a token at a time: the same
# commands, tokens and shape (tests/test_install_line_fast.py and tests/test_plain_line_fast.py
# compare _plain_line with the reader, tests/test_one_line_fast.py with this off).
ONE_LINE = True
_ONE_LINE = re.compile(r"[ \t\r]*+(" + _LINE_WORD + r"(?:[ \t\r]++" + _LINE_WORD + r")*+)[ \t\r]*+")


def _one_line(m: _Mapped, items: list) -> tuple | bool | None:
    """_plain_line's answer for ``m``, a plain line with no operator character, when it is one
    simple command (see ONE_LINE); False when that command is one _plain_line leaves to the reader
    (its loop would say so of it: not read again); None, nothing appended, when it is not one (no
    word, a character no word holds: _plain_line's loop reads it)."""
    s = m.s
    f = _ONE_LINE.fullmatch(s)
    if f is None:
        return None
    texts = list(map(sys.intern, s.split()))  # (the words: blanks between them are " \t\r" only)
    w0 = texts[0]
    if "/" in w0:
        name = w0.rsplit("/", 1)[-1]
        if w0 in _KEYWORDISH or "=" in w0:
            return False
        if name in _LINE_NAMES_STOP:
            if not (INSTALL_LINE and len(texts) > 1 and (name, texts[1]) in _INSTALL_LINES):
                return False
            unkeyed = True
        else:
            unkeyed = name in _WALK_NAMES or w0 in _GUARD_WORDS
    else:
        name = w0
        if w0 in _LINE_STOP or "=" in w0:
            if not (INSTALL_LINE and len(texts) > 1 and (w0, texts[1]) in _INSTALL_LINES):
                return False
            unkeyed = True
        else:
            unkeyed = w0 in _LINE_UNKEYED
    code = offset_code(len(s))
    starts = array(code)
    p = f.start(1)
    find, add = s.find, starts.append
    for w in texts:
        p = find(w, p)
        add(p)
        p += len(w)
    offsets = m.offsets
    a = starts[0]
    if type(offsets) is range and offsets.step == 1:
        sp = (offsets.start + a, offsets.start + p)
    else:
        sp = (offsets[a], offsets[p - 1] + 1)
    spans = _new_object(_PlainSpans)
    spans.m, spans.words, spans.delta, spans.starts, spans.lo, spans.n = m, texts, 0, starts, 0, len(texts)
    # (Its argv the tokens' texts, one list for both: nothing changes either, and the command's
    # words are all the line's.)
    command = tuple.__new__(Command, (texts, spans, sp[0], sp[1], False, len(items), False, name))
    items.append(sp)
    shape = False if unkeyed else ((w0,), [0])
    return [command], tuple.__new__(_Line, (texts, starts, array(code))), shape


# `RUN bash <<EOF` (_FED_LINE's line: a shell alone, on one line, with options that leave it
# reading its stdin, reading the RUN's one heredoc there) with a body _plain_line reads: the
# reader would read the line through the general path (a redirection: tokens, a splitter, the
# shell's options asked of _reads_stdin), then the body with a second reader as the script on
# the shell's stdin, which for a plain body is _plain_line's reading (no expansion in it for the
# feeding shell to make, no `$` for the shell's parameters or variables). _fed_plain makes the
# same Script in one step: the line's one command (the shell and its options, its item the line
# up to the delimiter), the body's commands and items after it, the body fed at the line's item,
# its tokens kept for the walk, and their memo key (Script.shape, which failing_starts' FED_MEMO
# takes). A file of 333,000 `RUN bash <<EN` made two readers for each (issue 18).
# tests/test_fed_plain_fast.py compares it with FED_PLAIN off on generated lines and bodies.
FED_PLAIN = True
_FED_OPTION = re.compile(r"-[euxv]+")
# ... and failing_starts' FED_MEMO key (but the shell's flags) of such a RUN made here, from what
# _fed_plain has at hand (the line's match, the shell's options, the body's offsets: Script.fed_key),
# not worked out again from the line and the body by the walk's memo look-up (a file of 333,000
# `RUN bash <<EN` did both for each). tests/test_fed_plain_fast.py compares the memo's keys and
# the failing starts with it off.
FED_KEYED = True


def _fed_plain(ins: Instruction) -> Script | None:
    """_analyse's Script of ``ins``, a RUN of one heredoc, when its line is _FED_LINE's (on one
    line) and its body plain (see FED_PLAIN); None, nothing made, for any other."""
    offsets = ins._offsets
    if offsets is None:
        offsets = range(ins.start, ins.start + len(ins.logical))  # (ins.offsets', without the call)
    elif type(offsets) is not range:
        return None  # (continued over lines)
    logical = ins.logical
    f = _FED_LINE.fullmatch(logical, ins.args_start)
    if f is None:
        return None
    word, options = f.group(1, 2)
    name = word.rsplit("/", 1)[-1] if "/" in word else word
    doc = ins.heredocs[0]
    if name not in SHELLS or not doc.line_offsets:
        return None  # (`/usrbash`, which the pattern takes; an empty body)
    at = f.start(1)
    item = (offsets[at], offsets[f.end(4) - 1] + 1)  # (the shell to the delimiter)
    items = [item]
    body = _new_object(_Mapped)
    body.s, body.offsets = doc.content, _body_offsets(doc)
    read = _plain_line(body, items)
    if read is None:
        return None
    argv = [word]
    line = _new_object(_Mapped)
    line.s, line.offsets = logical, offsets
    if options:
        starts = array("q", [at])
        for o in _FED_OPTION.finditer(logical, f.start(2), f.end(2)):
            argv.append(o.group())
            starts.append(o.start())
        spans = _PlainSpans(line, argv, starts, 0, len(argv))
    else:
        spans = _new_object(_RowSpans)  # (the shell's word alone: its start is all its span needs)
        spans.m, spans.words, spans.at, spans.delta = line, argv, at, 0
    commands = read[0]
    commands.insert(0, tuple.__new__(Command, (argv, spans, item[0], item[1], False, 0, False, name)))
    script = Script(commands, items)
    script.fed = [(doc.line_offsets[0], 0)]
    script.doc_tokens = {0: read[1]}
    script.shape = read[2]
    script.fed_line = f  # (fed_line's answer, matched here)
    if FED_KEYED:
        content = doc.content
        # failing_starts' FED_MEMO key but bash (what the body's walk is keyed by: the shell's word,
        # its options, `<<` or `<<-`, a quoted delimiter or not, a body longer than dash reads
        # ahead), the body's source offsets and the shell word's, which it works out again from
        # the line's match otherwise. Only for a body _BASH_ONLY finds nothing in, as it asks (a
        # plain one holds no `$`, `<`, `>` or `(`: each of its candidates but `[[`, `|&` needs one).
        if ("[" not in content and "|" not in content) or _BASH_ONLY.search(content) is None:
            quoted = f.group(4)[0] in "'\""
            script.fed_key = (
                (word, tuple(argv[1:]), f.group(3), quoted, len(content) > _READ_AHEAD_MAX),
                body.offsets,
                item[0],
            )
    return script


def fed_line(ins: Instruction, script: Script) -> re.Match | None:
    """_FED_LINE's match of the RUN's line (``ins``, or the RUN an ONBUILD carries; ``script`` its
    script, analyse_run's) when the line is a shell alone reading the RUN's one heredoc on its
    stdin and the script holds the body as the script it runs (Script.fed): its first command
    the shell, the line's only one (item 0), the body's after it. `RUN bash <<EOF`, `RUN /bin/sh
    -e <<-'EOF'`, whatever the body. The shell runs no code but the body's, which the rules read
    (its stdin the heredoc: no file, download or other input), creates no file and installs
    nothing. None for any other. Matched once a script (Script.fed_line: _fed_plain's match)."""
    got = getattr(script, "fed_line", None)  # (a compact script is made without it: aishell.compact)
    if got is None:
        if ins.keyword == "ONBUILD" and ins.sub is not None:
            ins = ins.sub
        got = False
        if script.fed and len(ins.heredocs) == 1 and ins.json_args is None and script.commands:
            m = _FED_LINE.fullmatch(ins.logical, ins.args_start)
            first = script.commands[0]
            if m is not None and first.item == 0 and not first.nested and first.name in SHELLS:
                got = m
        script.fed_line = got
    return got or None


def _analyse(ins: Instruction, reader_class: type[_Reader] | None = None, staged: dict | None = None) -> Script:
    if ins.json_args is not None:
        return _analyse_exec(ins)
    # (_plain_line: what a fresh _Reader reads with its fast paths on, and no stage variables)
    direct = reader_class is None and not staged and PLAIN_SCRIPTS and PLAIN_COMMANDS
    line = None  # (the RUN line's arguments and their offsets, when made for _plain_line)
    digit_key = None  # (DIGIT_READ's key of the line, when the reader's Script may be kept under it)
    if direct and PLAIN_LINE and not ins.heredocs:
        # A RUN line with no heredoc (most): the plain line first, as the general path below
        # reads it (its line the arguments, a one-line instruction's offsets a range from them).
        a = ins.args_start
        offsets = ins._offsets
        line = _new_object(_Mapped)
        line.s = ins.logical[a:]
        if offsets is None:
            line.offsets = range(ins.start + a, ins.start + len(ins.logical))
        else:
            offsets = ins.offsets
            line.offsets = (offsets if type(offsets) is range else memoryview(offsets))[a:]
        s = line.s
        # (DIGIT_PLAIN: before _plain_line, which reads a line of the key alike or refuses it
        # alike, where an and-or list or a pipe is; after it where none is: most lines of one
        # command, which _one_line reads in fewer steps.)
        before = DIGIT_READ and DIGIT_PLAIN and offsets is None and ("&" in s or "|" in s)
        if before:
            made, digit_key = _digit_read(s, line.offsets.start)
            if made is not None:
                return made
        items = []
        read = _plain_line(line, items)
        if read is not None:
            script = Script(read[0], items)
            script.tokens, script.shape = read[1], read[2]
            if digit_key is not None:
                _digit_plain_keep(digit_key, line.s, line.offsets.start, script)  # (DIGIT_PLAIN)
            return script
        if digit_key is not None and not _digit_named(s):
            _digit_refuse(digit_key)  # (no word DIGIT_READ makes `0`: the reader's, each time)
            digit_key = None
        if DIGIT_READ and not before and offsets is None and _digit_named(s):
            made, digit_key = _digit_read(s, line.offsets.start)
            if made is not None:
                return made
    reader_class = reader_class or _Reader
    # `RUN <<EOF`: BuildKit runs the body itself, as it is (heredoc_only; its first question,
    # the line one plain heredoc word, asked once for both).
    w = _ONLY_LINE.fullmatch(ins.logical, ins.args_start) if ins.heredocs else None
    if w is None and ins.heredocs and FED_PLAIN and PLAIN_LINE and direct and len(ins.heredocs) == 1:
        fed = _fed_plain(ins)  # (`RUN bash <<EOF` of a plain body: no reader for the line nor the body)
        if fed is not None:
            return fed
    only = w is not None or (bool(ins.heredocs) and _heredoc_only_spelled(ins))
    if not ONLY_LINE:
        w = None
    if w is not None:
        # The item the reader gives the line (a redirection alone, no command); its script, made
        # only if no body is read (line_script None: no command, no file read, no tokens).
        offsets = ins.offsets
        item = (offsets[w.start(1)], offsets[w.end(1) - 1] + 1)
        if PLAIN_LINE and direct:
            # The body the SHELL runs (the first; a plain one has no `#!` line), read as the
            # general path below reads it: its items after the line's, its tokens kept.
            doc = ins.heredocs[0]
            items = [item]
            read = _plain_line(_Mapped(doc.content, _body_offsets(doc)), items)
            if read is not None:
                script = Script(read[0], items)
                script.doc_tokens = {0: read[1]}
                script.shape = read[2]
                return script
        line_script, line_items, item_starts, stdin_docs, doc_items = None, [item], [item[0]], (), ()
        feeds = None
    else:
        if line is None:  # (a line _plain_line reads was read above: this one it did not)
            offsets = ins.offsets  # a range for a one-line instruction, else an array: sliced without a copy
            line = _Mapped(
                ins.logical[ins.args_start :],
                (offsets if type(offsets) is range else memoryview(offsets))[ins.args_start :],
            )
        reader = reader_class()
        reader.top_args = NO_ARGS
        if staged:
            reader.seed(staged)
        reader.want_docs = bool(ins.heredocs)
        reader.hands = not ins.heredocs  # (a line with heredocs is walked from its whole token list)
        if ins.heredocs:
            reader.doc_texts = [doc.content for doc in ins.heredocs]
        reader.read(line, False)
        if not ins.heredocs:
            if digit_key is not None and reader.budget == NESTED_BUDGET * len(line.s) + NESTED_EXTRA:
                _digit_keep(digit_key, line.s, line.offsets.start, reader.script)  # (DIGIT_READ)
            return reader.script
        line_script, item_starts, stdin_docs = reader.script, reader.item_starts, reader.stdin_docs
        line_items, doc_items, feeds = line_script.items, reader.doc_items, reader.doc_feeds
    body_reader = None
    doc_tokens = None  # the bodies' tokens, each read as a plain script (_Reader._read_plain's)
    for i, doc in enumerate(ins.heredocs):
        fed = (i == 0) if only else (i in stdin_docs)
        if only or not doc.shell_expands:
            if not fed or (only and not _runs_as_shell(doc.content)):
                continue  # data (`cat <<'EOF' > f`), or a script for another interpreter
            inner, subs = _Mapped(doc.content, _body_offsets(doc)), ()
        elif fed:
            inner, subs = _fed_body(doc, feeds.get(i) if feeds else None)
        elif "$(" in doc.content or "`" in doc.content:
            # An unquoted body the shell expands as it reads it: its `$( )` and backticks run
            # (their status lost), whatever the command does with the text, quotes or not.
            inner, subs = _outer_expansion(doc)
        else:
            continue
        if body_reader is None:
            body_reader = reader_class()
            if staged:
                body_reader.seed(staged)
            # The bodies' items are numbered on from the line's, kept first: every command's item
            # names its own span in script.items, the line's or its body's (an item of the line
            # once named a body's span, and removing `claude` from `bash <<B & claude` took a
            # line of the body). Which part an item is in: lint_rules._edits.item_part.
            body_reader.script.items.extend(line_items)
            body_reader.item_starts.extend(item_starts)
            if line_script is not None:
                body_reader.script.exact = line_script.exact
        if fed:  # (a shell reading the script on its stdin reads a `#!` line as a comment)
            if not only and i in doc_items and doc.line_offsets:
                fed_list = body_reader.script.fed
                if fed_list is None:
                    fed_list = body_reader.script.fed = []
                fed_list.append((doc.line_offsets[0], doc_items[i]))
            body_reader.script.tokens = None
            # (`bash -s claude <<EOF`: its own parameters, if known; `export c=claude; sh <<EOF`: `$c`)
            feed = feeds.get(i) if feeds and not only else None
            body_reader.top_args = NO_ARGS if only else feed[0] if feed is not None else None
            if feed is not None and feed[3]:
                body_reader.vars.update(feed[3])
            if feed is not None and feed[4]:
                body_reader._note(inner, None, functions=feed[4])  # (`. s.sh` of a body: this shell's functions)
            body_reader.read(inner, False)
            if not subs and body_reader.script.tokens is not None:  # (``inner`` is the body as written)
                if doc_tokens is None:
                    doc_tokens = {}
                doc_tokens[i] = body_reader.script.tokens
        for sub in subs:
            body_reader.read(sub, True, -1)
    if body_reader is None:
        return line_script if line_script is not None else Script(items=line_items)
    body = body_reader.script
    if line_script is not None:
        if line_script.commands:
            body.commands = line_script.commands + body.commands
        if line_script.files_read:
            body.files_read = line_script.files_read | (body.files_read or set())
        body.tokens = line_script.tokens  # (the RUN line's)
    else:
        body.tokens = None  # (a line not read: none)
    body.doc_tokens = doc_tokens
    return body


def variable_values(ins: Instruction) -> dict[int, dict[str, tuple[list[str], bool]]]:
    """The shell variables a RUN assigned before each of its commands (by the source start of the
    command's first word): name -> (the plain values it may hold there, whether surely the one
    value), as the reader reads them for a command named `$c` (`c=claude`, `export c=…`, `for c in
    claude codex`). Reads the RUN again: for the few commands that expand a variable."""
    found: dict[int, dict[str, tuple[list[str], bool]]] = {}

    class Noting(_Reader):
        def __init__(self) -> None:
            super().__init__()
            self.plain_commands = self.plain_scripts = False  # (every command through _command)

        def _command(self, m, toks, *args, **kwargs):
            if self.vars and toks:
                at = m.span(toks[0].a, toks[0].b)
                if at is not None and at[0] not in found:
                    found[at[0]] = {
                        name: ([v.s for v in values], sure is True and len(values) == 1)
                        for name, (values, sure) in self.vars.items()
                    }
            return super()._command(m, toks, *args, **kwargs)

    if ins.keyword == "ONBUILD" and ins.sub is not None:
        ins = ins.sub
    if ins.json_args is None:
        _analyse(ins, Noting)
    return found


def _body_offsets(doc) -> range | memoryview:
    """The source offset of each character of a heredoc body: each line's start, counted on. The
    lines are in a row in the source (a CR stays in the body), so this is a range, which costs
    nothing (a 10 MB body once took 80 MB of offsets). A source line is never shorter than its
    body line plus the newline, so the lines are in a row exactly when the last one starts where
    the lengths before it add up to; if ever they are not, the offsets are listed."""
    starts, content = doc.line_offsets, doc.content
    if starts and starts[-1] - starts[0] == content.rfind("\n", 0, len(content) - 1) + 1:
        return range(starts[0], starts[0] + len(content))
    offs = array("q")  # 8 bytes per character: a 10 MB script is 80 MB of offsets, not 360
    for off, text in zip(starts, content.split("\n")):
        offs.extend(range(off, off + len(text) + 1))
    return memoryview(offs)[: len(content)]


def _analyse_exec(ins: Instruction) -> Script:
    args = ins.json_args or []
    script = Script(items=[(ins.start, ins.end)], exact=True)
    if not args:
        return script
    elements = _exec_elements(ins)
    spans = [e[0] if e else None for e in elements]
    script.commands.append(Command(list(args), spans, ins.start, ins.end, False, 0, False, _name(args)))
    # The exec form runs argv as it is: re-read it as a command line of quoted words, so that
    # wrappers and `sh -e -c STRING` are followed as in the shell form (spans kept per element;
    # a command in the string keeps where it starts and ends, which orders it against the
    # others: `["sh", "-c", "./setup.sh && claude -v"]` runs the project's code first).
    line, offsets = _exec_line(ins, elements)
    inner = analyse_text(line, offsets)
    for c in inner.commands:
        if c.argv == list(args) and not c.nested:
            continue  # the whole argv, recorded above with its exact spans
        if c.nested and c.start is not None and c.end is not None:
            script.commands.append(c._replace(item=0))
        else:  # (the argv's own command, through wrappers: the RUN is its process)
            script.commands.append(c._replace(item=0, start=ins.start, end=ins.end))
    return script


_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _exec_elements(ins: Instruction) -> list[tuple[tuple[int, int], list[int]] | None]:
    """Per element of the exec form's argv: the source span of its JSON string's content and the
    source offset of each of its characters (an escape's: where the escape starts, so
    `"echo \\"hi\\" && claude -v"` and `"\\u0063laude"` map like plain text), or None where the
    text does not decode to it."""
    args = ins.json_args or []
    logical, offsets = ins.logical, ins.offsets
    out: list = []
    pos = ins.args_start
    for a in args:
        m = _JSON_STRING.search(logical, pos)
        if m is None:
            out.append(None)
            continue
        pos = m.end()
        lit, base = m.group(), m.start()
        chars, at = [], []
        i, n = 1, len(lit) - 1
        while i < n:
            ch = lit[i]
            at.append(offsets[base + i])
            if ch != "\\":
                chars.append(ch)
                i += 1
                continue
            e = lit[i + 1]
            if e != "u":
                chars.append(_JSON_ESCAPES.get(e, e))
                i += 2
                continue
            code, i = int(lit[i + 2 : i + 6], 16), i + 6
            if 0xD800 <= code < 0xDC00 and lit.startswith("\\u", i):
                low = int(lit[i + 2 : i + 6], 16)
                if 0xDC00 <= low < 0xE000:
                    chars.append(chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
                    i += 6
                    continue
            chars.append("\ufffd" if 0xD800 <= code < 0xE000 else chr(code))  # (a lone surrogate: Go's)
        if "".join(chars) != a or not a:
            out.append(None)
            continue
        out.append(((offsets[base + 1], offsets[base + len(lit) - 2] + 1), at))
    return out


# -- Whether a command's failure fails the RUN (AIS002's errors, issue 18) ----------------------
# A harness that is not there fails with "not found"; that fails the build only when the
# command's exit status reaches the RUN's: the last pipeline of the and-or list that ends the
# script (only `&&` after it), or under `set -e` (`sh -e`, `bash -euo pipefail`) the last one of
# its and-or list, and not negated (`!`), not before a `|` (unless pipefail), not in the
# background (`&`), not in a `$( )`, a condition, a loop, a `case` or a function (but a `for` of
# one plain word, whose body surely runs once, and the list of a `case` of a plain word whose
# first matching pattern is plain: _runs_once, _case_match), not reached only when something
# fails (after `||`, but one after `false` or `! true`) or when a condition holds (`if`). Through `( )`, `{ }`,
# wrappers, `sh -c`, `eval`, `su -c` and heredocs given to a shell. Anything else, or a script
# not understood, decides nothing: the answer errs towards "not sure" (a warning, not an error).


class _Unsure(Exception):
    """A script whose structure is not understood: none of its commands decides."""


_STOP_WORDS = frozenset({"then", "elif", "else", "fi", "do", "done", "}", "esac"})
_SURELY_TRUE = frozenset({"true", ":"})


DEFAULT_SHELL = (False, False)  # `/bin/sh -c`: errexit and pipefail off


def shell_instruction(argv: list[str] | None) -> tuple[bool, bool] | None:
    """(errexit, pipefail) with which the RUNs after a SHELL instruction of this (JSON) argv run
    their text, read by shell_options (`["/bin/bash", "-eo", "pipefail", "-c"]`: both on); None
    when it is not a POSIX shell that runs the text as `-c STRING` (`pwsh`, `cmd`, `/usr/bin/env
    bash -c`, a shell form): then no command's failure surely fails the RUN."""
    if not argv or _name(argv) not in SHELLS:
        return None
    opts = shell_options(argv, 1)
    if not opts.command or opts.stdin or opts.operand != len(argv) or opts.noexec:
        return None  # (`-n`: it runs nothing)
    return opts.errexit, opts.pipefail


# failing_starts' ``named``: start -> the names of the commands there, a frozenset. Most starts
# have one name, and most names are a few harnesses': one frozenset per name, shared by every start
# that has it alone (a set per start was ~220 bytes: 600,000 of them in the 10 MB RUN of `w=$(claude
# -v)` assignments, ~50 MB of peak). At most _ONE_NAMES_MAX kept (a file of distinct names).
SHARED_NAMES = True
_ONE_NAMES: dict[str, frozenset[str]] = {}
_ONE_NAMES_MAX = 4096


def _add_named(named: dict, start: int, name: str) -> None:
    """Add ``name`` to the names of the commands at ``start`` in ``named`` (see _ONE_NAMES)."""
    got = named.get(start)
    if got is None:
        if not SHARED_NAMES:
            named[start] = {name}
            return
        one = _ONE_NAMES.get(name)
        if one is None:
            if len(_ONE_NAMES) >= _ONE_NAMES_MAX:
                _ONE_NAMES.clear()
            one = _ONE_NAMES[name] = frozenset((name,))
        named[start] = one
    elif name not in got:
        if type(got) is set:
            got.add(name)
        else:
            named[start] = got | {name}  # (a frozenset: the shared one is left as it is)


def failing_starts(
    ins: Instruction,
    shell: tuple[bool, bool] | None = DEFAULT_SHELL,
    unsure_names: list | None = None,
    staged: dict | None = None,
    named: dict | None = None,
    hit: list | None = None,
    keep: list | None = None,
) -> frozenset[int]:
    """Source offsets of the first words of the commands (as analyse_run gives their spans) whose
    failure surely makes the RUN (or ONBUILD RUN) fail, assuming the other commands succeed
    (none after a command of its shell that may end the shell, or a trap run as it ends). One
    pass over the script and each script nested in it (within MAX_NESTING and NESTED_BUDGET).
    ``shell``: errexit and pipefail of the shell that runs a shell-form RUN (the SHELL
    instruction's, see shell_instruction), and a third True when that shell is bash (its syntax
    then, not dash's: _dash_refuses); None: not a POSIX shell, nothing is sure.
    ``unsure_names``, a list, gets the source spans of the expansions that name a command with a
    value not sure there (`[ -f x ] && c=claude; $c`: unset, or another value; Script.unsure_names).
    ``staged``: as analyse_run's. ``named``, a dict, gets the names of the commands each start
    is for (start -> their names): where an expansion names the command, the one the walk holds
    sure may not be the one a finding there is for (`{ c=claude; c=true; $c claude; }`: the
    reader, not sure inside a group, reads claude at `$c`, the walk `true`). ``hit``, a list: the
    memo (_WALKED) may answer though ``unsure_names`` or ``named`` is given, and gets True appended
    when it does (those two then stay as they were: no walk ran); a walk that runs fills the memo.
    ``keep``, a list (ONE_WALK; neither of those two given): where a walk of the RUN's line runs,
    it gathers both too and gets the RunWalk appended that gives a later ask its answers (the memo
    answering, no walk, or the exec form: nothing appended). Most RUNs ask the failing starts
    alone, the memo answering: no RunWalk is made for them."""
    if ins.keyword == "ONBUILD" and ins.sub is not None:
        ins = ins.sub
    if ins.json_args is None and shell is None:
        return frozenset()
    bash = shell is not None and len(shell) > 2 and shell[2]
    if bash:
        shell = shell[:2]
    if ins.json_args is not None:
        walk = _StatusWalk()
        walk.unsure_names, walk.staged, walk.named = unsure_names, staged, named
        script = analyse_run(ins)
        first = script.commands[0] if script.commands else None
        if first is not None and first.spans and first.spans[0] is not None:
            walk.out.add(first.spans[0][0])  # the exec form: the process is the RUN
            if named is not None:
                _add_named(named, first.spans[0][0], first.name)
        line, offsets = _exec_line(ins)
        if line:
            walk.run(_Mapped(line, offsets), len(line))
        return frozenset(walk.out)  # (nothing kept: its analyse_run may read, and take from the pool, or not)
    offsets = ins.offsets
    shape = None  # (_walk_shape of the kept tokens of the line, or of the body) when _WALKED may answer
    kept = at = None  # those tokens, and the source offsets of their text (from ``base`` on)
    base = 0
    line_at = None  # (FED_MEMO: the source offset of the line's shell word)
    if (
        WALK_MEMO
        and (hit is not None or (unsure_names is None and named is None))
        and staged is None
        and ins.shell is not None
    ):
        if not ins.heredocs:
            kept = ins.shell.tokens
            if kept is not None:
                shape = _walk_shape(kept, shell, ins.shell.shape)
                at, base = offsets, ins.args_start
            if shape is None and DIGIT_MEMO and (digits := _digit_walk(ins, shell, bash)):
                kept, shape = digits  # (the line's tokens: their starts; the key, the first words)
                at, base = offsets, ins.args_start
        elif ins.shell.doc_tokens and ONLY_HEREDOC and ins.shell.fed is None and heredoc_only(ins):
            # `RUN <<EOF` with a plain body (so no `#!` line: a comment): the walk runs the body
            # alone, from the SHELL's options (_heredocs), as it runs a plain line of those tokens.
            kept = ins.shell.doc_tokens.get(0)
            if kept is not None:
                shape = _walk_shape(kept, shell, ins.shell.shape)
                at = _body_offsets(ins.heredocs[0])
        elif FED_MEMO and len(ins.heredocs) == 1 and ins.shell.doc_tokens and type(offsets) is range:
            # `RUN bash -e <<EOF` with a plain body: the line a shell alone reading the heredoc
            # on its stdin (FED_MEMO): the body's walk, as bash (or sh) reads it there, and the
            # line's, keyed by the line's shell and options and the body's first words.
            # (fed_line's match where the reading made one of this line from this start: an
            # ONBUILD's is its RUN's; else one now)
            fed = getattr(ins.shell, "fed_line", None)
            made = None  # (FED_KEYED: _fed_plain's key, for its match of this line)
            if not fed or fed.string is not ins.logical or fed.pos != ins.args_start:
                fed = _FED_LINE.fullmatch(ins.logical, ins.args_start)
            elif FED_KEYED:
                made = getattr(ins.shell, "fed_key", None)
            kept = ins.shell.doc_tokens.get(0) if fed is not None else None
            if made is not None:
                if kept is not None and (shape := _walk_shape(kept, shell, ins.shell.shape)) is not None:
                    shape = (("fed", (bash, *made[0]), *shape[0]), shape[1])
                    at, line_at = made[1], made[2]
            elif kept is not None and "$(" not in (body := ins.heredocs[0].content) and _BASH_ONLY.search(body) is None:
                shape = _walk_shape(kept, shell, ins.shell.shape)  # (_fed_plain's, if it read the RUN)
                if shape is not None:
                    opts = tuple(fed.group(2).split())
                    quoted = fed.group(4)[0] in "'\""
                    key = (bash, fed.group(1), opts, fed.group(3), quoted, len(body) > _READ_AHEAD_MAX)
                    shape = (("fed", key, *shape[0]), shape[1])
                    at = _body_offsets(ins.heredocs[0])
                    line_at = offsets[fed.start(1)]
        if shape is not None:
            decided = _WALKED.get(shape[0])
            if decided is not None:
                if hit is not None:
                    hit.append(True)
                ins.shell.doc_tokens = None  # (as the walk takes them: see below)
                starts, firsts = kept.starts, shape[1]
                return frozenset([at[base + starts[firsts[k]]] if k >= 0 else line_at for k in decided])
    if keep is not None and ONE_WALK:
        pool, unsure_names, named = _POOL[0], [], {} if may_name(ins) else None
    line = _Mapped(
        ins.logical[ins.args_start :], (offsets if type(offsets) is range else memoryview(offsets))[ins.args_start :]
    )
    walk = _StatusWalk()
    walk.unsure_names = unsure_names  # (the memo is not asked then, but with ``hit``: it keeps no names)
    walk.named = named
    walk.staged = staged
    walk.bash = bash
    walk.docs = ins.heredocs
    walk.only = heredoc_only(ins)
    walk.start = shell
    if ins.shell is not None and REUSE_TOKENS:
        walk.tokens = ins.shell.tokens  # the line's tokens as analyse_run read them, if kept
        # ... and its heredoc bodies', given to this walk: kept no longer (a file of 300,000
        # heredoc RUNs kept 100 MB of them), a later walk reads the bodies again.
        walk.doc_tokens, ins.shell.doc_tokens = ins.shell.doc_tokens, None
    total = len(line.s) + sum(len(d.content) for d in ins.heredocs)
    pool = _POOL[0]
    walk.run(line, total)
    if (
        shape is not None
        and shape[0][0] == _DIGITS
        and (_POOL[0] != pool or walk.budget != NESTED_BUDGET * total + _nested_extra(pool))
    ):
        shape = None  # (DIGIT_MEMO: it read something nested, paid by the line's length: not kept)
    if shape is not None:
        starts = kept.starts
        ordinal = {at[base + starts[i]]: k for k, i in enumerate(shape[1])}
        if line_at is not None:
            ordinal[line_at] = -1  # (FED_MEMO: the line's shell)
        decided = sorted(ordinal.get(a, -2) for a in walk.out)
        if not decided or decided[0] >= (0 if line_at is None else -1):  # (each a first word's: see _walk_shape)
            if len(_WALKED) >= _WALKED_MAX:
                _WALKED.clear()
            _WALKED[shape[0]] = tuple(decided)
    out = frozenset(walk.out)
    if keep is not None and ONE_WALK:
        keep.append(RunWalk.kept(ins, shell, bash, staged, (out, named, unsure_names), pool))
    return out


# A rule asks up to three things of a RUN's status walk (AIS002's _check_run: the failing starts,
# the commands each start is for where an expansion names one, the expansions whose value is not
# sure), each once, each a walk of the RUN: a RUN of 25,000 `e=…; eval "$e"` pairs was walked
# twice, 70 % of its lint. RunWalk walks it once for all three (the memo, _WALKED, may still
# answer the first alone) and gives a later ask that walk's answer where that ask's own walk would
# have run alike: with the same budget, so the same nested extra (_nested_extra: the file's pool,
# _POOL, may have shrunk since), taking what that walk took from the pool again. Where the extra
# differs, the ask walks, as before. tests/test_one_walk_fast.py compares findings and the pool
# with it off on generated RUNs, a small pool among them.
ONE_WALK = True


def _nested_extra(pool: int | None) -> int:
    """The nested extra a walk (or a reader) starts with when the file's pool is ``pool``."""
    return NESTED_EXTRA if pool is None or pool >= NESTED_EXTRA else max(pool, 0)


_HIT: list = []  # (RunWalk._answer's ``hit``: emptied after each ask)


def may_name(ins: Instruction) -> bool:
    """Whether a command may be named by an expansion (`$c`, `"$c"`, `` `echo c` ``) on the RUN's
    line: only then does a rule ask the walk's ``named`` (AIS002: for an error there). A heredoc
    body's is not looked for: an ask then walks (as without ONE_WALK)."""
    logical = ins.logical
    return "$" in logical or '"' in logical or "`" in logical


class RunWalk:
    """The status walk of one RUN for what a rule asks of it, each ask once (see ONE_WALK):
    ``failing()`` is failing_starts(ins, shell, staged=staged), ``named()`` its ``named`` and
    ``unsure()`` its ``unsure_names``, sorted. ``names``: whether a start may be asked about in
    ``named`` (may_name; False: not collected, an ask then walks)."""

    __slots__ = ("ins", "shell", "staged", "names", "walked", "extra", "took", "line")

    def __init__(self, ins: Instruction, shell, staged: dict | None, names: bool | None = None) -> None:
        self.ins, self.shell, self.staged = ins, shell, staged
        self.names = may_name(ins) if names is None else names
        # (failing starts, named or None, sorted unsure spans) of the last walk that ran, the
        # nested extra it started with, and what it took from the pool.
        self.walked: tuple | None = None
        self.extra = self.took = 0
        # (Only a line's walk is kept: the exec form's reads its script with analyse_run first,
        # which may take from the pool, or answer from what it kept, taking nothing.)
        self.line = (ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins).json_args is None

    @staticmethod
    def kept(ins: Instruction, shell, bash: bool, staged, walked: tuple, pool: int | None) -> RunWalk:
        """failing_starts' ``keep``: the RunWalk of the walk it ran, from the pool before it."""
        walk = RunWalk(ins, (*shell, True) if bash else shell, staged, walked[1] is not None)
        walked[2].sort()
        walk.walked = walked
        walk.extra, walk.took = _nested_extra(pool), (0 if pool is None else pool - _POOL[0])
        return walk

    def _answer(self, ask: int) -> tuple:
        """The walk's three answers for ask 0 (failing), 1 (named) or 2 (unsure): the last walk's
        where this ask's own walk would run alike (the same nested extra; for ask 0, which the
        memo may answer without a walk, nothing taken from the pool), else a walk's."""
        pool = _POOL[0]
        walked = self.walked
        if walked is not None and _nested_extra(pool) == self.extra and walked[ask] is not None:
            if self.took:
                if ask == 0:
                    walked = None  # (the memo may answer it, taking nothing)
                else:
                    _POOL[0] = pool - self.took  # (what this ask's own walk would take)
            if walked is not None:
                return walked
        named = {} if self.names or ask == 1 else None
        unsure: list = []
        hit: list | None = [] if ask == 0 else None
        out = failing_starts(self.ins, self.shell, unsure, self.staged, named, hit)
        if hit:
            return out, None, None  # (the memo answered: no walk, nothing kept)
        unsure.sort()
        walked = out, named, unsure
        if self.line:
            self.walked = walked
            self.extra, self.took = _nested_extra(pool), (0 if pool is None else pool - _POOL[0])
        return walked

    def failing(self) -> frozenset[int]:
        if not ONE_WALK:
            return failing_starts(self.ins, self.shell, staged=self.staged)
        return self._answer(0)[0]

    def named(self) -> dict:
        if not ONE_WALK:
            named: dict = {}
            failing_starts(self.ins, self.shell, staged=self.staged, named=named)
            return named
        return self._answer(1)[1]

    def unsure(self) -> list[tuple[int, int]]:
        if not ONE_WALK:
            spans: list = []
            failing_starts(self.ins, self.shell, spans, self.staged)
            return sorted(spans)
        return self._answer(2)[2]


# The status walk of a RUN line of plain commands (its kept tokens, Script.tokens) whose every
# command the walk decides by its first word alone (_plain_simple: no name it reads, no guard,
# no reader made for a command before it, so no file, alias or function changes that) reads
# nothing but those first words, the operators and the SHELL's options: its answer, which
# commands decide the RUN (by ordinal), is theirs, whatever the other words and wherever the
# RUN is (`echo 1 && claude -v`, `echo 2 && claude -v`: one walk). So is the walk of the plain
# body of `RUN <<EOF` (Script.doc_tokens), which the SHELL runs alone as it runs such a line: the
# same key (`RUN <<EOF\nclaude -v\necho N\nEOF`: one walk for all). tests/test_status_walk_fast.py
# compares it with WALK_MEMO off on generated lines and bodies, and lines among bodies.
WALK_MEMO = True
_WALKED: dict[tuple, tuple[int, ...]] = {}
_WALKED_MAX = 4096  # entries; forgotten all at once past it
_WALKED_OPS = 64  # a line of more operators is rarely met again: walked each time, no key made
# ... and the walk of a RUN whose line is a shell alone reading its one heredoc on its stdin
# (`RUN bash <<EOF`, `RUN sh -e <<-'EOF'`: the line on one line, no other word or redirection)
# with a plain body (Script.doc_tokens): the shell walks the body as its stdin's script (a command
# that reads stdin may take the rest: _eat, by its name; bash's or dash's reading, by the shell's
# name; the body's length against _READ_AHEAD_MAX), and the line's status is the shell's, so the
# walk reads the body's first words and operators, the line's shell, options and heredoc
# operator, and the SHELL's options: the key (the delimiter's quoting too, though a plain body
# has nothing it changes). Its answer marks first words of the body, or the line's shell (-1).
# (A body holding a bash-only form is walked each time: dash may refuse it; so is one holding a
# `$( )`, which may read the stdin the body is on: `echo $(head -1)` takes the line after it.)
# tests/test_status_walk_fast.py compares it with the memos off on generated RUNs.
FED_MEMO = True
_FED_LINE = re.compile(
    r"[ \t]*((?:/usr)?(?:/bin/)?(?:bash|sh|dash))((?:[ \t]+-[euxv]+)*)[ \t]+(<<-?)[ \t]*"
    r"('[A-Za-z_][A-Za-z0-9_]*'|\"[A-Za-z_][A-Za-z0-9_]*\"|[A-Za-z_][A-Za-z0-9_]*)[ \t]*"
)


# ... and the walk of a RUN line that differs from one walked before only in the digits of the
# words `echo` and `:` print or take (`echo "7" > /f && claude -v`, `claude -v && npm ci && : 7`,
# `echo $HOME7 && claude -v`, `echo "x7" | sudo tee /var/m && claude -v`: a file of distinct
# such RUNs walked each, issue 18). Those words are no command's, nothing runs or decides by them:
# the walk's answer is the line's with them any other digits, so the key is the line's tokens with
# the digit runs in them made `0`, all others as they are (a file written, an `exit 3`, `2>`).
# Only where what echo prints goes nowhere a command reads it (stdout; or a file or a `[sudo] tee`
# when every other command is one the walk decides by its first word, none reading a file), in a
# line of no quote `'`, backslash, `(`, `{`, `<`, backquote, comment or alias (no `$( )`, `${ }`,
# function, nor echo made another command), and a walk that read nothing nested (its budget, which
# the line's length sets, untouched). tests/test_digit_memo_fast.py compares it with it off.
DIGIT_MEMO = True
_DIGITS = "digits"  # (the first element of its keys)
_DIGIT_MAX = 1024  # characters of a line keyed so
_DIGIT_ODD = re.compile(r"['\\(){}<`#]|alias|exec")
_DIGIT_RUN = re.compile(r"[0-9]+")
_DIGIT_TEE = re.compile(r"[\w./-]+", re.ASCII)
_DIGIT_OPS = frozenset({"&&", "||", ";", "&", "|", "\n"})


# ... and the digits of a project script's name (`yarn build7`, `pnpm test2`: the word after
# the command, plain, a letter first, of letters, digits and `_:.-`, no harness named), as a
# command of those two words alone: the reader and the walk read such a word only for its
# subcommand (an install verb, `run`, `exec`, `dlx`: none with a digit, asserted below) and for a
# harness's name (mentions_in: names of no digit), so a script of any digits reads alike (the
# project's script, run, not a file: no file is named by it). Only in a line of no redirection and
# no pipe (no file written, no output read). tests/test_digit_names_fast.py compares with it off.
DIGIT_SCRIPTS = True
# ... and _plain_line's Script of a line that differs from one it read before only in the digits
# of words that are no command's first (`echo 7 && claude -v`, `apt-get install -y python3`):
# _plain_line reads a command's first word (a name it looks up, the walk's key) and, after an
# install tool, its second (a verb: none holds a digit), every other word as text it passes on,
# so the Script is the one read before, moved, with those words as this line spells them (a
# file of distinct plain RUNs read each, issue 18). Kept under DIGIT_READ's key (each digit made
# `0`) for a line of an and-or list or a pipe, asked before _plain_line there (a line of a key the
# reader read is refused by _plain_line too: it is then made without either).
# tests/test_digit_names_fast.py compares with it off.
DIGIT_PLAIN = True
# ... and the digits of the command `env N` runs (`env 7`: a command name of digits alone, the
# command of those two words): the reader reads past env to the command `7` and records it, the
# walk marks its start; neither reads a name of digits alone otherwise than another (no harness,
# shell, wrapper, keyword or special name is one, asserted below; a function or alias of that name
# needs `(`, `{` or `alias`, which _DIGIT_ODD refuses; no `/`, so no file: no PATH or file look-up
# reads it). Only in a line of no redirection and no pipe. tests/test_digit_names_fast.py too.
DIGIT_ENV = True
_DIGIT_SCRIPT = re.compile(r"[A-Za-z][A-Za-z0-9_:.-]*", re.ASCII)
_DIGIT_NUMBER = re.compile(r"[0-9]+", re.ASCII)


def _digit_named(s: str) -> bool:
    """The cheap precheck of DIGIT_MEMO and DIGIT_READ: the line may hold a word they make `0`."""
    return "echo" in s or ":" in s or ((DIGIT_ENV and "env" in s) or (DIGIT_SCRIPTS and ("yarn" in s or "pnpm" in s)))


class _Starts:
    """The starts of a line's tokens (DIGIT_MEMO's, where the memo's answer is mapped back)."""

    __slots__ = ("starts",)

    def __init__(self, starts: list[int]) -> None:
        self.starts = starts


def _digit_shape(logical: str, a: int, shell, bash: bool) -> tuple[_Starts, tuple[tuple, list[int]]] | None:
    """(the starts of the tokens of the line ``logical[a:]``, (its DIGIT_MEMO key, the indices of
    its tokens)) when that memo may answer for it; None when not."""
    s = logical[a:]
    if len(s) > _DIGIT_MAX or _DIGIT_ODD.search(s) is not None or not _digit_named(s):
        return None
    if _DIGIT_RUN.search(s) is None:
        return None  # (no digit: no key)
    if not (FAST_SIMPLE and PLAIN_COMMANDS and PLAIN_WALK and REUSE_TOKENS):
        return None
    got = _digit_words(s)
    if got is None:
        return None
    toks, texts, _ = got
    # (Its answer by the tokens' ordinals, any token's: `sudo tee` decides at tee's word too.)
    return _Starts([t.a for t in toks]), ((_DIGITS, shell, bash, *texts), list(range(len(toks))))


def _digit_walk(ins: Instruction, shell, bash: bool) -> tuple[_Starts, tuple[tuple, list[int]]] | None:
    """_digit_shape of the RUN's line: DIGIT_READ's, kept with its Script, if it made one."""
    held = getattr(ins.shell, "digit_walk", None)
    if held is None:
        return _digit_shape(ins.logical, ins.args_start, shell, bash)
    if not (FAST_SIMPLE and PLAIN_COMMANDS and PLAIN_WALK and REUSE_TOKENS):
        return None
    return held[0], ((_DIGITS, shell, bash, *held[1]), held[2])


def _digit_words(s: str) -> tuple[list[Token], list[str], list[int]] | None:
    """(the tokens of the line ``s``, their texts with the digit runs of the words of `echo` and
    `:` made `0` (and of `yarn`'s script, env's command: DIGIT_SCRIPTS, DIGIT_ENV), the indices of
    the tokens so made) when DIGIT_MEMO may key the line so (see there; _digit_shape's prechecks
    made); None when not."""
    subs: list = []
    toks = [t for chunk in token_chunks(s, subs) for t in chunk]
    if subs or not toks:
        return None
    # The commands: [lo, hi) of each, with the operator before and after it.
    commands: list[tuple[int, int]] = []
    lo = 0
    n = len(toks)
    for k in range(n + 1):
        if k == n or toks[k].kind == "op":
            if k < n and toks[k].text not in _DIGIT_OPS:
                return None
            if k > lo:
                if toks[lo].kind != "word":
                    return None
                commands.append((lo, k))
            elif k < n:
                return None  # (an operator with no command before it)
            lo = k + 1
    if len(commands) > _WALKED_OPS:
        return None
    texts = [t.text for t in toks]
    free: list[int] = []  # (the tokens whose digits were made 0)
    writing = False
    teed: set[int] = set()  # (the `[sudo] tee` a writing echo pipes into)
    targets: set[str] = set()
    bare = None  # (DIGIT_SCRIPTS, DIGIT_ENV: no redirection and no pipe in the line; asked once)
    for c, (lo, hi) in enumerate(commands):
        w0 = texts[lo]
        if w0 != "echo" and w0 != ":":
            if hi - lo == 2 and (w0 == "env" or w0 in _PROJECT_FIRST) and (DIGIT_SCRIPTS or DIGIT_ENV):
                # `yarn build7`, `env 7` (DIGIT_SCRIPTS, DIGIT_ENV): the word's digits.
                t = toks[lo + 1]
                if (
                    t.kind == "word"
                    and (
                        _DIGIT_NUMBER.fullmatch(t.text) is not None
                        if w0 == "env"
                        else _DIGIT_SCRIPT.fullmatch(t.text) is not None and not mentions_in(t.text)
                    )
                    and (DIGIT_ENV if w0 == "env" else DIGIT_SCRIPTS)
                ):
                    if bare is None:
                        bare = all(u.kind == "word" or (u.kind == "op" and u.text != "|") for u in toks)
                    if bare:
                        texts[lo + 1] = _DIGIT_RUN.sub("0", t.text)
                        free.append(lo + 1)
            continue
        piped_in = lo > 0 and texts[lo - 1] == "|"
        piped_out = hi < n and texts[hi] == "|"
        if piped_in:
            return None
        redirected = False
        after_redir = False
        for k in range(lo + 1, hi):
            t = toks[k]
            if t.kind == "redir":
                redirected = after_redir = True
                continue
            if after_redir:
                after_redir = False
                targets.add(t.text)  # (a target, kept as it is)
                continue
            if w0 == ":" and "$" in t.text:
                return None  # (`: $x`: not keyed)
            new, runs = _DIGIT_RUN.subn("0", t.text)
            if runs:
                texts[k] = new
                free.append(k)  # (a key for it: a line of no such digit is met again as it is)
        if w0 == "echo" and (redirected or piped_out):
            writing = True
            if piped_out:
                # The command it pipes into: `tee` or `sudo tee` with plain words, the pipeline's last.
                if c + 1 >= len(commands):
                    return None
                tlo, thi = commands[c + 1]
                words = texts[tlo:thi]
                if words[0] == "sudo":
                    words = words[1:]
                if (
                    not words
                    or words[0] != "tee"
                    or (thi < n and texts[thi] == "|")
                    or any(toks[k].kind != "word" or _DIGIT_TEE.fullmatch(texts[k]) is None for k in range(tlo, thi))
                ):
                    return None
                teed.add(c + 1)
                targets.update(w for w in words[1:] if not w.startswith("-"))
    if not free:
        return None
    if writing:
        # What echo printed is in a file: every other command one the walk decides by its first
        # word, with no word naming a file, no redirection, no pipe.
        for c, (lo, hi) in enumerate(commands):
            w0 = texts[lo]
            if w0 == "echo" or w0 == ":" or c in teed:
                continue
            if (
                (lo > 0 and texts[lo - 1] == "|")
                or (hi < n and texts[hi] == "|")
                or w0 in _LINE_STOP
                or w0 in _LINE_UNKEYED
                or w0 in _FILE_COMMANDS
                or w0 in FEEDERS
                or any(ch in w0 for ch in '/=$"')
                or any(
                    toks[k].kind != "word" or "/" in texts[k] or "$" in texts[k] or texts[k] in targets
                    for k in range(lo, hi)
                )
            ):
                return None
    return toks, texts, free


# The general reader's Script of a RUN line that differs from one it read before only in the
# digits of the words `echo` and `:` take, each digit another (`echo "7" > /f && claude -v`, `echo
# "8" > /f && claude -v`; `: 12` and `: 13`, not `: 9`): the reader reads those words as text it
# passes on, the same way whatever digits they hold (no name, option, file descriptor or number
# it reads in them), so the Script is the one read before, moved to the line's place, with the
# words as this line spells them (a file of distinct such RUNs read each through the reader,
# four times a plain line's cost: issue 18). Keyed by the line with each digit made `0` (its
# length, and every character but the digits', as they are); kept only for a line of one line
# (its offsets in a row) that DIGIT_MEMO keys (_digit_words: echo's output reaches no command
# that reads it, no `'`, backslash, `(`, `{`, `<`, backquote, comment or alias), whose every
# digit is in a word it makes `0`, none right after a `$` (`$1`), each such word in the commands
# as written or within its double quotes, read without anything nested (the reader's budget
# untouched) from a pool that was not short, and used only from such a pool. Its DIGIT_MEMO
# tokens and key are kept with it (Script.digit_walk): the walk does not tokenize the line again.
# tests/test_digit_read_fast.py compares the scripts, walks and findings with it off.
DIGIT_READ = True
_DIGIT_READS: dict[bytes, tuple | None] = {}  # (None: a line of that key is not kept)
_DIGIT_READS_MAX = 1024  # entries; forgotten all at once past it
# (The key: the line's UTF-8 bytes, a lone surrogate passed, with each digit made `0`: a
# bytes.translate, no look-up per character as str.translate's table makes, a fifth of a memo
# hit's cost. No byte of a character past ASCII is a digit's: it is the line so made, encoded.)
_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_DOLLAR_DIGIT = re.compile(r"\$[0-9]")


def _digit_read(s: str, first: int) -> tuple[Script | None, bytes | None]:
    """(the Script DIGIT_READ gives the RUN line ``s`` whose first character is at ``first``, or
    None; the memo's key to keep the reader's Script under, when the line may be kept)."""
    if len(s) > _DIGIT_MAX or _DIGIT_RUN.search(s) is None:
        return None, None
    pool = _POOL[0]
    if pool is not None and pool < NESTED_EXTRA:
        return None, None  # (the reader's extra cut short: read, not kept)
    key = s.encode("utf-8", "surrogatepass").translate(_ZEROS)
    got = _DIGIT_READS.get(key, _NOT_MEMOIZED)
    if got is _NOT_MEMOIZED:
        return None, None if _DIGIT_ODD.search(s) is not None else key
    if got is None:
        return None, None
    seen, base, words, tokens, walk = got
    delta = first - base
    if walk is None and not DIGIT_PLAIN:
        return None, None  # (_plain_line's, kept with DIGIT_PLAIN on, not asked with it off)
    new, new_object = tuple.__new__, _new_object  # Command(...) without its Python-level __new__
    commands = []
    for c, at in zip(seen.commands, words):
        argv = c.argv
        name = c.name
        if at is not None:
            argv = list(argv)
            for k, a, b in at:
                argv[k] = s[a:b]
                if k == 0:
                    name = argv[0]  # (env's command: DIGIT_ENV)
        if delta:
            spans = c.spans
            if type(spans) is _PlainSpans:  # (its moved(), inline: most lines kept are plain)
                moved = new_object(_PlainSpans)
                moved.m, moved.words, moved.delta = spans.m, spans.words, spans.delta + delta
                moved.starts, moved.lo, moved.n = spans.starts, spans.lo, spans.n
            else:
                moved = spans.moved(delta)
            c = new(
                Command,
                (
                    argv,
                    moved,
                    None if c.start is None else c.start + delta,
                    None if c.end is None else c.end + delta,
                    c.nested,
                    c.item,
                    c.runner,
                    name,
                ),
            )
        elif at is not None:
            c = new(Command, (argv, *c[1:7], name))
        commands.append(c)
    script = Script(commands, [(x + delta, y + delta) for x, y in seen.items], seen.exact)
    script.truncated = seen.truncated
    if tokens is not None:
        line = seen.tokens
        texts = list(line.texts)
        for k, a, b in tokens:
            texts[k] = s[a:b]
        script.tokens = new(_Line, (texts, line.starts, line.ops))
        if walk is None:
            script.shape = seen.shape  # (DIGIT_PLAIN: _plain_line's key of the walk, of no digit)
            if len(commands) == 1 and seen.commands[0].argv is line.texts:
                commands[0] = new(Command, (texts, *commands[0][1:]))  # (_one_line's: one list for both)
    script.digit_walk = walk
    return script, None


def _digit_refuse(key: bytes) -> None:
    """DIGIT_READ, DIGIT_PLAIN: a line of ``key`` is read each time."""
    if len(_DIGIT_READS) >= _DIGIT_READS_MAX:
        _DIGIT_READS.clear()
    _DIGIT_READS[key] = None


def _digit_plain_keep(key: bytes, s: str, first: int, script: Script) -> None:
    """DIGIT_PLAIN: keep _plain_line's Script of the line ``s`` (its first character at ``first``)
    under ``key`` when no digit is in a command's first word; None when one is."""
    if len(_DIGIT_READS) >= _DIGIT_READS_MAX:
        _DIGIT_READS.clear()
    _DIGIT_READS[key] = None
    if not DIGIT_PLAIN:
        return
    line = script.tokens
    texts, starts = line.texts, line.starts
    firsts = {0, *[k + 1 for k in line.ops]}
    search = _DIGIT_RUN.search
    held = [k for k, w in enumerate(texts) if search(w) is not None]
    if not firsts.isdisjoint(held):
        return  # (a name, `ksh93`: the line's reading may differ)
    tokens = [(k, starts[k], starts[k] + len(texts[k])) for k in held]
    words: list[list[tuple[int, int, int]] | None] = []
    for c in script.commands:
        sp = c.spans
        if type(sp) is not _PlainSpans:
            return
        lo = sp.lo
        at = [(k - lo, a, b) for k, a, b in tokens if lo <= k < lo + sp.n]
        words.append(at or None)
    _DIGIT_READS[key] = (script, first, words, tokens, None)


def _digit_keep(key: bytes, s: str, first: int, script: Script) -> None:
    """DIGIT_READ: keep the reader's Script of the line ``s`` (its first character at ``first``)
    under ``key`` for the lines that differ from it only in those digits, or None where it may
    not answer for them (see DIGIT_READ)."""
    if len(_DIGIT_READS) >= _DIGIT_READS_MAX:
        _DIGIT_READS.clear()
    _DIGIT_READS[key] = None
    got = _digit_words(s)
    if (
        got is None
        or script.files_read
        or script.unsure_names
        or script.fed
        or script.doc_tokens
        or script.shape is not None
        or script.staged is not None
    ):
        return
    toks, texts, free = got
    spans: dict[tuple[int, int], tuple[int, int]] = {}  # (a free word's text, unquoted: where it is)
    named: set[tuple[int, int]] = set()  # (of those, env's command's: DIGIT_ENV)
    for k in free:
        t = toks[k]
        if toks[k - 1].text == "env" and (k == 1 or toks[k - 2].kind == "op"):
            named.add((t.a, t.b))
        if _DOLLAR_DIGIT.search(t.text) is not None:
            return  # (`$1`: a parameter)
        q = t.text[0] == '"'
        if q and (len(t.text) < 2 or t.text[-1] != '"' or '"' in t.text[1:-1]):
            return  # (a word of quoted and unquoted pieces: not kept)
        spans[(t.a, t.b)] = (t.a + q, t.b - q)
    if sum(1 for t in toks if _DIGIT_RUN.search(t.text) is not None) != len(free):
        return  # (a digit the reader may read: an operand, a descriptor, a target)
    # Each command's words that hold a digit: one of those words, as written or unquoted.
    words: list[list[tuple[int, int, int]] | None] = []
    for c in script.commands:
        at = None
        for k, w in enumerate(c.argv):
            sp = c.spans[k]
            if sp is None:
                if _DIGIT_RUN.search(w) is not None:
                    return
                continue
            word = spans.get((sp[0] - first, sp[1] - first))
            if word is None:
                if _DIGIT_RUN.search(w) is not None or _DIGIT_RUN.search(s, sp[0] - first, sp[1] - first) is not None:
                    return
                continue
            if w != s[word[0] : word[1]] or (k == 0 and ((sp[0] - first, sp[1] - first) not in named or c.name != w)):
                return  # (a word read otherwise than as written; a name but env's command's)
            if at is None:
                at = []
            at.append((k, *word))
        words.append(at)
    tokens = None
    if script.tokens is not None:
        tokens = []
        line = script.tokens
        for k, w in enumerate(line.texts):
            if _DIGIT_RUN.search(w) is not None:
                a = line.starts[k]
                if s[a : a + len(w)] != w:
                    return
                tokens.append((k, a, a + len(w)))
    walk = (_Starts([t.a for t in toks]), tuple(texts), list(range(len(toks))))
    script.digit_walk = walk
    _DIGIT_READS[key] = (script, first, words, tokens, walk)


def _walk_shape(
    line: _Line, shell: tuple[bool, bool], known: tuple | bool | None = None
) -> tuple[tuple, list[int]] | None:
    """(the key of _WALKED: the SHELL's options, each command's first word and the operators in
    order; the index in ``line.texts`` of each command's first word), or None when the walk may
    read more of some command (see WALK_MEMO) or runs with a flag of the fast paths off.
    ``known``: the Script's shape of ``line`` (_plain_line's; None: not worked out)."""
    if not (FAST_SIMPLE and PLAIN_COMMANDS and PLAIN_WALK and REUSE_TOKENS) or len(line.ops) > _WALKED_OPS:
        return None
    if known is not None:
        return ((shell, *known[0]), known[1]) if known else None
    texts = line.texts
    n = len(texts)
    key: list = [shell]
    firsts: list[int] = []
    lo = 0
    plain_name = _BLANK.plain_name
    for k in chain(line.ops, (n,)):
        if k > lo:  # a command (its words: texts[lo:k]), then the operator at k, if any
            w0 = texts[lo]
            name = plain_name(w0, k < n and texts[k] == "|")
            if name is None or name in _WALK_NAMES or w0 in _GUARD_WORDS:
                return None
            key.append(w0)
            firsts.append(lo)
        if k < n:
            key.append(texts[k])  # (an operator: no word is spelled as one)
        lo = k + 1
    return tuple(key), firsts


def _exec_line(ins: Instruction, elements=None) -> tuple[str, list]:
    """The exec form's argv as a command line of quoted words, with the source offset of each
    character (_exec_elements'; None for the quoting added)."""
    args = ins.json_args or []
    if elements is None:
        elements = _exec_elements(ins)
    parts, offsets = [], []
    for a, e in zip(args, elements):
        if e is None:
            parts.append("'" + a.replace("'", "'\\''") + "' ")
            offsets.extend([None] * (len(parts[-1])))
            continue
        span, at = e
        parts.append("'")
        offsets.append(span[0] - 1)
        for ch, o in zip(a, at):
            if ch == "'":
                parts.append("'\\''")
                offsets.extend((None, o, o, None))
            else:
                parts.append(ch)
                offsets.append(o)
        parts.append("' ")
        offsets.extend((span[1], None))
    return "".join(parts), offsets


def _shell_options(argv: list[str], errexit: bool, pipefail: bool) -> tuple[bool, bool]:
    """errexit and pipefail after the options of `set` or of a shell (`-e`, `-euo pipefail`,
    `-o errexit`, `+e`, `sh -c -e`): shell_options'."""
    opts = shell_options(argv, 1, errexit, pipefail)
    return opts.errexit, opts.pipefail


def _set_expands(argv: list[str]) -> bool:
    """`set` (``argv``) with an expansion where an option may be (`set +$o`, `set $OPTS`, `set
    -o $NAME`): it may turn any option on or off. Not in the positional parameters after `--`
    or a first word that is no option (`set -- "$@"`, `set a $b`)."""
    value = False  # the word is -o's option name
    for w in argv[1:]:
        if "$" in w or "`" in w:
            return True
        if value:
            value = False
        elif w in ("--", "-") or w[:1] not in ("-", "+"):
            return False
        else:
            value = w.endswith("o")
    return False


def _turns_off(lists, off_functions: dict) -> tuple[bool, bool]:
    """Whether running ``lists`` (parsed lists, _StatusWalk's tree) in this shell may turn errexit,
    pipefail off: a `set +e`, `set +o pipefail` anywhere in them but a subshell or a pipeline
    (their own shells), a call of a function that may (``off_functions``), an `eval` of such a
    literal string. Read where a branch, a loop or a function may or may not run it: after it,
    the option is not surely on."""
    off_e = off_p = False
    todo = list(lists)
    while todo and not (off_e and off_p):
        items = todo.pop()
        for and_or, _ in items:
            for _, (_, commands) in and_or:
                if len(commands) != 1:
                    continue  # (a pipeline: each part in a subshell)
                command = commands[0]
                kind = command[0]
                if kind == "simple":
                    words = [unquote(t.text) for t in command[1] if t.kind == "word"]
                    if not words:
                        continue
                    argv = " ".join(words[1:]).split() if words[0] == "eval" else words  # (`eval 'set +e'`)
                    if argv[:1] == ["set"]:
                        e, p = _shell_options(argv, True, True)
                        if _set_expands(argv):
                            e = p = False  # (`set +$o`: any option, off too)
                        off_e, off_p = off_e or not e, off_p or not p
                    elif words[0] in off_functions:
                        e, p = off_functions[words[0]]
                        off_e, off_p = off_e or e, off_p or p
                elif kind == "group":
                    if not command[2]:  # (a subshell's options are its own)
                        todo.append(command[1])
                elif kind == "if":
                    for cond, body in command[1]:
                        todo.extend((cond, body))
                    if command[2] is not None:
                        todo.append(command[2])
                elif kind == "other":
                    todo.extend(command[1])
    return off_e, off_p


# Commands that may end the shell that runs them (before the commands after them run).
_ENDERS = frozenset({"exit", "return", ".", "source", "logout"})
_ENDING_WORDS = re.compile(r"(?<![\w-])(?:exit|exec|return|source|trap|eval|logout)(?![\w-])")
# Trap conditions whose action runs as the shell ends or a command fails (EXIT, 0; bash's ERR,
# DEBUG, RETURN): `exit 0` there sets the status the RUN ends with.
_ENDING_TRAPS = frozenset({"EXIT", "ERR", "DEBUG", "RETURN"})


def _trap_condition(word: str) -> str:
    """A trap condition as one name (`exit`, `0`, `SIGEXIT`: EXIT)."""
    c = word.upper()
    c = c[3:] if c.startswith("SIG") else c
    return "EXIT" if c == "0" else c


# failing_starts reads the tokens analyse_run kept for a plain RUN line (tests turn it off).
REUSE_TOKENS = True
# ... and a simple command _Reader.plain_name records as it is, named nothing the walk reads,
# decided without reading it (tests/test_status_walk_fast.py compares it with this off).
FAST_SIMPLE = True
# The names the walk looks at after reading a simple command (_ends, _simple; SOURCES are enders).
_WALK_NAMES = _ENDERS | SHELLS | _STATUS_NAMES | {"exec", "command", "builtin", "eval", "trap", "set", "shift"}
# ... and without building the tree of a plain line (_StatusWalk._plain_lists; tests/test_status_walk_fast.py).
PLAIN_WALK = True
# ... and a plain script of one simple command (the body of `x=$(date +%s)`: SUBST_PLAIN) without
# _plain_lists and _plain_eval's steps for lists (_StatusWalk._plain_one; tests/test_subst_plain_fast.py).
PLAIN_ONE = True
# ... and a command of a plain line whose first word _plain_simple said yes to before, since the
# last command read otherwise, decided without asking it again (_StatusWalk._plain_eval's
# ``passed``; tests/test_status_walk_fast.py compares it with this off).
PLAIN_REPEAT = True
# ... and a run of such commands, each alone in its pipeline and followed by `&&`, read in one short
# loop that marks those that decide (_plain_eval; an `&&` list of 800,000 calls). tests/
# test_plain_runs_fast.py compares it with this off.
PLAIN_RUNS = True
# ... and a row (an and-or list) that is one word `NAME=$(plain words)` alone (ASSIGN_WALK's
# word, no `&&`, `|` or `&`), read in a few steps: what the row loop and _simple's ASSIGN_WALK
# check come to for it (_assignments), without the loop's lists and the tokens of a line
# (substitution_assignments: a RUN of 300,000 `v=$(date +%s)`; issue 18, r122).
# tests/test_assign_rows_fast.py compares it with this off.
ASSIGN_ROWS = True
# ... and, for `RUN <<EOF`, without reading the line (tests/test_status_walk_fast.py compares).
ONLY_HEREDOC = True
# ... and a script's tokens and tree a batch of this many top-level items at a time (_StatusWalk._stream).
STREAM_WALK = True
STREAM_ITEMS = 256
# ... and a `{ }` group of simple commands read in one loop (_StatusWalk._plain_group), and a
# function whose body is one, defined, not run, with its plain commands decided in one loop
# (_StatusWalk._unreached): a line of 500,000 `fN() { echo hi; };` built and walked a tree
# ten calls deep for each (tests/test_status_walk_fast.py compares both with these off).
PLAIN_GROUPS = True
FAST_FUNCTIONS = True
# _StatusWalk._script's tree of a script of one simple command of words alone (no operator,
# redirection or keyword: eval's string `$e1`, a `$c -v` value's `claude -v`), made as _parse
# makes it without its steps (tests/test_eval_walk_fast.py turns it off).
ONE_TREE = True
# ... and walks it with _simple at once: what _list_eval and _command_eval come to for a list of
# that one command (tests/test_eval_one_fast.py turns it off).
ONE_SIMPLE_WALK = True
# (... and its tokens, for a script of words alone: _PLAIN_COMMAND's, `$` allowed in them, which
# tokenize reads as a word's character where no `(` follows it.)
_ONE_WORDS = re.compile(_PLAIN_COMMAND.pattern.replace("$`", "`"))
# The reader's: a nested script of one simple command of such words read without token_chunks
# and _Splitter (_Reader._read_one; eval's string `$e1`: 33,000 in the 1 MB eval_assigned RUN).
ONE_WORDS_READ = True
# ... and a definition that is an item of its own read in one step (_StatusWalk._def_item).
DEF_ITEMS = True
# ... and a simple command that is an item of its own (`;`, a newline, `&` or the end after it)
# read in one loop, not through _and_or, _pipeline and _command (_StatusWalk._simple_item): the
# 1 MB eval_assigned RUN's 67,000 items peeked each token five times (tests/
# test_simple_items_fast.py compares the trees and the findings with it off).
SIMPLE_ITEMS = True
# ... and such an item of a streamed script's batch walked from its "def" token, its tree built
# only where a command of its body is not _plain_simple's (_StatusWalk._define): the benchmark's
# 400,000 `fN() { echo hi; };` built a tree and walked it through _list_eval and _command_eval each.
DEF_WALK = True
# ... and a run of such items read in one loop (_StatusWalk._def_run), and one whose body's
# commands _plain_simple decides all defined in one step (_StatusWalk._plain_body).
DEF_RUNS = True
DEF_PLAIN = True
# ... and so where the walk's reader holds functions (each definition the walk reads surely run
# is one: _keep_body), none of them a first word of the body nor `unset`, what _plain_simple
# refuses then (a line of `fN() { echo hi; };` went through _unreached_items for each after the
# first; tests/test_def_plain_held_fast.py compares with this off).
DEF_PLAIN_HELD = True
# ... and a definition whose body is the same one (the same _BODIES shape) as the item's just
# before it in the batch, defined through DEF_PLAIN's step: that step's answer (the names it
# calls, whether it may end the shell) taken again, where nothing it read can have changed (the
# same reader, holding functions or not as then; the name defined none of the body's words;
# the body's names no function then, or the answer "may end", which more definitions keep): the
# many_functions benchmark's 400,000 `fN() { echo hi; };` each asked _plain_body and _may_end
# (tests/test_def_repeat_fast.py compares with this off).
DEF_REPEAT = True


class _AnyName(frozenset):
    """Holds every name (_StatusWalk._repeat_words': no definition takes the answer again)."""

    def __contains__(self, name) -> bool:
        return True


_ANY_NAME_SET = _AnyName()
# The reader's splitter records a plain definition's body command itself (_Reader._record_shape)
# where _command would only hand its tokens to _record_plain: no token made, no call between (a
# line of `fN() { echo hi; };`; tests/test_def_record_fast.py reads with it off too).
DEF_RECORD = True
# ... and _record_shape takes a body command's texts (its argv, their joined text, its name)
# from a memo by its words (_BODIES' shape), not made again for each definition of the body (a
# line of `fN() { echo hi; };`; tests/test_shape_memo_fast.py reads with it off too). Emptied
# when _BODIES_MAX are held; each entry keeps its words, so an id is never another's.
SHAPE_MEMO = True
_SHAPES: dict[int, tuple] = {}
# A compound command with an empty list (`( )`, `{ }`, `then fi`, `do done`), and a `;` with no
# command before it (`; x`, `true; ; x`, `then ; x`, a `case` item's `y) ;`), are syntax errors to
# dash and bash: nothing of the line runs, and the walk decides nothing there (_filled, _list;
# tests/test_ais002_dash_syntax.py asks the shells with this off).
EMPTY_BODIES = True
# The first words at which _StatusWalk._command reads no simple command (a compound command,
# a stop word, `!`), or which _list stops at: _plain_group leaves those groups to the general path.
_NOT_SIMPLE = _STOP_WORDS | {"{", "if", "while", "until", "for", "select", "case", "function", "!"}
# The operators of a plain script as the status walk reads them (Script.tokens holds strings).
_OP_TOKENS = {op: Token("op", op, -1, -1) for op in ("&&", "||", ";", "|", "&", "\n")}


# A `case` word, and a pattern, read here: plain characters (no quote, expansion or bracket
# expression), `*` and `?` in a pattern (which fnmatch reads as the shell does).
_CASE_WORD = re.compile(r"[A-Za-z0-9_./:+@%,=-]+")
_CASE_PATTERN = re.compile(r"[A-Za-z0-9_./:+@%,=*?-]+")
_LOOP_EXITS = frozenset({"break", "continue"})


def _case_match(subject: str, patterns: list[str]) -> bool | None:
    """Whether one of ``patterns`` (a `case` list's) surely matches the plain ``subject``, or
    surely none does; None where not known (a pattern with a quote, an expansion, a bracket)."""
    from fnmatch import fnmatchcase

    for pattern in patterns:
        if _CASE_PATTERN.fullmatch(pattern) is None:
            return None
        if fnmatchcase(subject, pattern):
            return True
    return False


def _runs_once(header: list[Token], body: list[Token]) -> tuple[str, Token] | None:
    """A `for` loop (``header``: its tokens between `for` and `do`; ``body``: between `do` and
    `done`) whose body surely runs once, to its end: `for NAME in WORD; do`, WORD plain (no
    quote, expansion, glob or brace), no `break` or `continue` in the body. (NAME, the WORD's
    token): NAME holds WORD there."""
    words = [t for t in header if t.kind != "op"]
    if (
        len(words) != 3
        or words[1].text != "in"
        or _NAME.fullmatch(words[0].text) is None
        or _CASE_WORD.fullmatch(words[2].text) is None
        or any(t.kind == "word" and t.text in _LOOP_EXITS for t in body)
    ):
        return None
    return words[0].text, words[2]


# Commands whose job is to answer yes or no: their failure is no error but a branch.
_GUARDS = frozenset({"test", "[", "[[", "type", "hash", "which", "false", "getent", "id"})


def _is_guard(command) -> bool:
    """Whether ``command`` (a status walk's command) is a test: `[ … ]`, `test`, `command -v`, ...."""
    if command[0] != "simple" or not command[1]:
        return False
    return _guards([t.text for t in command[1][:3]])


_GUARD_WORDS = _GUARDS | {"command", "builtin", "grep"}  # the first words _guards may say yes to
_LINE_UNKEYED = _WALK_NAMES | _GUARD_WORDS  # (_plain_line's, of a first word with no `/`)


def _guards(words: list[str]) -> bool:
    """_is_guard of a simple command of these words (the first three are enough)."""
    name = words[0]
    if name == "command" or name == "builtin":
        return len(words) > 1 and (words[1] in ("-v", "-V") or words[1] in _GUARDS)
    return name in _GUARDS or (name == "grep" and any(w in ("-q", "--quiet", "-s") for w in words[1:3]))


_BLANK = _Reader()  # a reader that has read nothing (_StatusWalk._plain_simple asks it, and never changes it)


def _def_items(t: Token) -> list:
    """The status walk's items of the body of the plain function definition ``t`` (a "def" token)."""
    return [([(None, (False, [("simple", words)]))], ";") for words in _def_commands(t)]


def _def_tree(t: Token, s: str | None = None) -> tuple:
    """The status walk's tree of the plain function definition ``t`` (a "def" token) of the
    script ``s``: its `{ }` body's span there as the fourth element, as _StatusWalk._definition
    gives it (None without ``s``: only the body's tree is asked for)."""
    span = None if s is None else _def_span(t, s)
    return ("function", t.text, [[([(None, (False, [("group", _def_items(t), False)]))], None)]], span)


def _def_span(t: Token, s: str) -> tuple[int, int]:
    """The span in ``s`` of the `{ }` body of the plain function definition ``t``."""
    return s.index("{", t.a + len(t.text)), t.b  # (_PLAIN_DEFINITION's `{`: none in a name)


# _last_substitution's short way for memory: a substitution walked as a subshell of no
# shell of its own to note (not bash's, no functions seen) is queued as (its text, the
# script it is in, where it starts there, ...), its _Mapped (and offsets: a memoryview
# slice, ~230 bytes) made as run() takes it: not the whole work list's at once (300,000 in
# a 10 MB RUN of `x=$(date +%s)`, the reassigned_substitutions benchmark). tests/
# test_body_spans_fast.py turns it off.
LAZY_BODIES = True
# ... and such a body of one simple command whose first word _plain_simple says yes to (`date
# +%s`, `claude -v`, `echo $x`: a plain one's _Line, or words alone, _ONE_WORDS') walked as
# _script comes to for it (_plain_one, or ONE_TREE's _simple: _plain_simple, the command
# deciding), without _script's steps for a script (its per-shell sets and dicts made afresh):
# where no script is noted bash's or read on a stdin, and the walk's reader holds no note, own
# or scoped variable, nor stdin (_StatusWalk._body_walked; anything else, _script as before).
# The reassigned_substitutions benchmark's 900,000 bodies at 10 MB (issue 18, r112).
# tests/test_subst_assign_walk_fast.py compares it with the switch off on generated scripts.
BODY_WALK = True
# ... and, in a row of bodies each walked so (``body_fresh``: nothing else walked since the first),
# a plain body's _Line walked before in the row, where _plain_simple said yes to its first word:
# what it did then done again (the start marked, its name), without _body_walked's and
# _plain_simple's checks (they read nothing such a row changes) nor a _Mapped of the body
# (substitution_assignments: 300,000 bodies of two texts; issue 18, r122). run()'s ``repeat``;
# tests/test_body_repeat_fast.py compares it with the switch off.
BODY_REPEAT = True
# ... and so a body queued as its text alone (no _Line: `$(echo $x)`, SUBST_WORDS' text, one
# string for all the bodies of that text), keyed by the text's string, its first word's start
# kept: reassigned_substitutions' 300,000 `$(echo $x)` at 10 MB (issue 18, r131). tests/
# test_text_repeat_fast.py compares it with the switch off.
TEXT_REPEAT = True
# A nested script of one simple command of words alone whose first word is an expansion (`$e1`,
# `$c -v`: eval's string, a value read as a command), walked as _script, ONE_SIMPLE_WALK's _simple
# and the reader's EXPANDED_ONE come to for it (_StatusWalk._expansion_walked): its expansion read
# (_Reader._expanded_name: the scripts it queues, the names not sure), without _script's steps
# for a script, _simple's general path and the command recorded, which the walk reads past (a
# name that is an expansion decides nothing, runs no function, ends no shell, sets no option);
# where it is not bash's nor read on a stdin, its note (if any) holds no function, and the walk's
# reader holds no own or scoped variable, stdin, file or alias. The eval_assigned benchmark's
# 330,000 `$eN` at 10 MB (issue 18, r113). tests/test_expansion_walk_fast.py compares it with
# the switch off on generated scripts.
EXPANSION_WALK = True
# _StatusWalk._simple's general path for `eval WORD` (EVAL_ONE's: one word after it, no
# redirection, no function, file or alias held), a word that is no `$( )` or backquote feeding
# eval and no command that may eat the stdin it is read on: the reader's _eval, the command not
# recorded, what the walk reads of that command (its start, its end of the shell, `eval 'set
# +e'`) read from the words (_StatusWalk._eval_walked). The eval_assigned benchmark's 330,000
# `eval "$eN"` at 10 MB (issue 18, r113). tests/test_expansion_walk_fast.py compares it with the
# switch off on generated scripts.
EVAL_WALK = True
# _StatusWalk._simple asks EVAL_WALK's case of `eval WORD` before _plain_simple, which says no to
# eval (_SPECIAL_NAMES) whatever it is given (tests/test_one_command_items_fast.py).
EVAL_FIRST = True
# EVAL_WALK's `eval WORD` where WORD is one variable the walk's reader holds no value of (`eval
# "$e300"`, EVAL_UNHELD's case: `$NAME` or `"$NAME"`): _eval's step for it taken by the walk
# itself (_Reader._eval_unheld, which _eval takes too; _queue_read moves what it queues onto the
# walk as ever), with no _eval call, and eval's string read as `$NAME` without unquote.
# tests/test_eval_unheld_walk_fast.py compares it off.
EVAL_UNHELD_WALK = True
# _StatusWalk._list_eval reads an item of one simple command, not negated (the eval_assigned
# benchmark's `eN="$c -v";` and `eval "$eN";`), in a few steps of its own: what its loop over the
# and-or list's pipelines and their commands, and _command_eval, do for it (issue 18, r117;
# tests/test_one_command_items_fast.py compares the walk with it off).
ONE_COMMAND_ITEMS = True


# _StatusWalk._plain_lists' short way for memory: the and-or lists of a plain line as one flat
# list, five items each in a row (where the list starts, the operator after its first command,
# its pipelines, the one after its last `||`, run in the background), not a tuple of five each
# (~100 bytes: 600,000 lists in a 10 MB RUN of `x=$(date +%s); …`, all held while the line is
# walked; an array of them saved more but boxed each number again as it was read, +1 % time).
# tests/test_body_spans_fast.py turns it off.
PACKED_LISTS = True


class _StatusWalk:
    """Reads a script's structure (lists, and-or lists, pipelines, compound commands) and marks
    the commands whose failure fails the whole; nested scripts go through a work list."""

    def __init__(self) -> None:
        self.out: set[int] = set()
        self.m: _Mapped | None = None  # the script being walked
        self.docs: list = []
        self.only = False  # the RUN's line is one heredoc alone (heredoc_only)
        self.only_body = 0  # (id of that heredoc's body as the walk reads it)
        self.top_args: list | None = None  # the positional parameters of the script walked, if known
        self.work: deque = deque()
        self.budget = 0
        self.reader: _Reader | None = None  # made when a command is read (_simple), not for each RUN
        self.guard_ids = 0  # (numbers for self.guards, never reused: the reader outlives a script)
        self.top = True
        self.start = DEFAULT_SHELL  # errexit and pipefail of the shell that runs the RUN
        self.staged: dict | None = None  # the stage's variables (analyse_run's ``staged``)
        self.subshells = 0  # `( )` open around the command read (its assignments stay there)
        self.here = True  # the command read surely runs, if the list it is in runs (see _list_eval)
        self.tokens: list | None = None  # the RUN line's tokens (Script.tokens), if kept
        self.doc_tokens: dict | None = None  # ... and its heredoc bodies' (Script.doc_tokens)
        self.unsure_names: list | None = None  # (failing_starts' ``unsure_names``, when asked for)
        self.named: dict | None = None  # (... and its ``named``)
        # Which shell runs each script walked: bash (the SHELL's for the RUN's own, `bash -c`, a
        # body fed to bash) or not (dash, or a `sh` that may be dash: _dash_refuses applies), and
        # the shell that reads it on its stdin, if one does (_script's ``eats``): by id of the
        # script's _Mapped, until it is walked; of the heredocs given to one (ordinal -> (that
        # shell, whether bash), as fed_docs).
        self.bash = False
        self.bash_ids: set[int] = set()
        self.stdin_ids: dict[int, str] = {}
        self.fed_shells: dict[int, tuple[str | None, bool]] = {}
        self.piped_in = False  # the command walked reads a pipe (not the script's stdin)
        self.bash_now = False  # the script walked is bash's
        self.eats = False  # ... is read on a shell's stdin that a command of it may read (_eat)
        self.eaten = False  # ... and one that may did (what follows may never run)
        self.call_sets: dict[tuple, frozenset[str]] = {}  # (one frozenset per list of names: _define)

    def run(self, m: _Mapped, size: int) -> None:
        pool = _POOL[0]
        extra = NESTED_EXTRA if pool is None or pool >= NESTED_EXTRA else max(pool, 0)
        self.budget = NESTED_BUDGET * size + extra  # (as _Reader.read's)
        # (script, its failure fails the RUN, the shell's exit fails the RUN, errexit, pipefail,
        # depth, its tokens as a plain script when kept)
        self.work.append((m, True, True, *self.start, 0, self.tokens))
        self.body_fresh = False  # (BODY_WALK: what _script sets is set by _body_walked)
        repeat: dict = {}  # (BODY_REPEAT: id of a _Line walked in this row of bodies -> (it, its name))
        while self.work:
            m, fails, exits, errexit, pipefail, depth, tokens = self.work.popleft()
            if type(m) is _Unheld:
                if self._unheld_walked(m, depth):
                    continue
            elif type(m) is str:
                # (LAZY_BODIES: a `$( )` body queued as its text, its script and its place.)
                if (
                    repeat
                    and (hit := repeat.get(id(tokens) if tokens is not None else id(m))) is not None
                    and hit[0] is (tokens if tokens is not None else m)
                    and depth <= MAX_NESTING
                    and (tokens is not None or type(fails.offsets) is not list)  # (TEXT_REPEAT's)
                ):
                    # BODY_REPEAT: _body_walked's steps for a body of ``body_fresh``, and
                    # _plain_simple's once it said yes (_plain_again: it decides; no stdin
                    # eaten, not in a function, no ender, offsets that hold no None).
                    self.depth = depth
                    if self.top_args is not None:
                        self.top_args = None
                        if self.reader is not None:
                            self.reader.args = None
                    self.pipe = None
                    self.simple_seen = True
                    at = fails.offsets[exits + (tokens.starts[0] if tokens is not None else hit[2])]
                    self.out.add(at)
                    if self.named is not None:
                        _add_named(self.named, at, hit[1])
                    continue
                m = _Mapped(m, fails.offsets[exits : exits + len(m)])
                if BODY_WALK and depth <= MAX_NESTING and self._body_walked(m, depth, tokens):
                    if (
                        BODY_REPEAT
                        and tokens is not None
                        and self.body_fresh
                        and not self.eats
                        and not self.in_function
                        and not self.enders
                        and not self.calls
                        and type(m.offsets) is not list
                    ):
                        w0 = tokens.texts[0]
                        repeat[id(tokens)] = (tokens, w0.rsplit("/", 1)[-1] if "/" in w0 else w0)
                    elif (
                        TEXT_REPEAT
                        and tokens is None
                        and self.body_fresh
                        and not self.eats
                        and not self.in_function
                        and not self.enders
                        and not self.calls
                        and type(m.offsets) is not list
                        and len(m.s) <= _MEMO_TEXT  # (a long text: seldom again, and a long search)
                        and (first := _PLAIN_WORD.search(m.s)) is not None
                    ):
                        # (_body_walked's first word of a text: _ONE_WORDS' words, none before it)
                        w0 = first.group()
                        repeat[id(m.s)] = (m.s, w0.rsplit("/", 1)[-1] if "/" in w0 else w0, first.start())
                    continue  # (self.top: False already, the line walked first)
                fails = exits = True
            if repeat:
                repeat.clear()  # (body_fresh ends here)
            self.depth = depth
            self.body_fresh = False
            try:
                if not (
                    EXPANSION_WALK
                    and m.s[:1] == "$"
                    and tokens is None
                    and not self.top
                    and depth <= MAX_NESTING
                    and self._expansion_walked(m, fails, exits, errexit, pipefail)
                ):
                    self._script(m, fails, exits, errexit, pipefail, tokens)
            except (_Unsure, RecursionError, IndexError):
                pass  # its commands decide nothing (those marked already are marked rightly)
            self.top = False
        if pool is not None and self.budget < extra:
            _POOL[0] -= extra - max(self.budget, 0)
        if self.reader is not None:
            self.reader.splitter = None  # (its cycle with the reader: see _Reader.read)

    def _reader_plain(self, m: _Mapped) -> bool:
        """The walk's reader holds nothing that the short walks of a nested script ``m``
        (_expansion_walked, _unheld_walked) read past: no own or scoped variable, stdin, file or
        alias; the short ways they take on; ``m`` not read on a shell's stdin."""
        r = self.reader
        return not (
            r is None
            or r.own
            or r.scoped
            or r.stdin_of
            or r.files
            or r.aliases
            or not (ONE_TREE and ONE_SIMPLE_WALK and EXPANDED_ONE and FAST_SIMPLE)
            or (self.stdin_ids and id(m) in self.stdin_ids)
        )

    def _unheld_walked(self, m: _Unheld, depth: int) -> bool:
        """EVAL_UNHELD: eval's string ``m`` (`$NAME`) walked as _expansion_walked walks it, where
        NAME holds no value: nothing it does is left for what the walk gives (the next script
        sets what it reads afresh); False, ``m`` noted as _eval notes it, for the general walk."""
        r = self.reader
        if not (EXPANSION_WALK and depth <= MAX_NESTING and self._reader_plain(m) and m.s[1:] not in r.vars):
            if r is not None:
                r._note(m, m.args, evaled=True)
            return False
        self.bash_ids.discard(id(m))
        self.body_fresh = False
        self.top = False
        return True

    def _eval_walked(self, r: _Reader, toks, decides, errexit, pipefail, call_errexit):
        """EVAL_WALK: what _simple's general path does with `eval WORD` (``toks``; the reader
        ``r`` set for it) from the reader's _command (EVAL_ONE: _eval) on, the command eval
        not recorded but read from the words as the general path reads it: its start where it
        decides, what it does to the shell's end and options; the string queued for the walk."""
        m = self.m
        w0, w1 = toks
        start_span = m.span(w0.a, w0.b)
        text = w1.text
        if EVAL_UNHELD_WALK and EVAL_UNHELD and (inner := r._eval_unheld(m, w1, 0)) is not None:
            arg = inner.s  # (_record's argv[1]: the word unquoted)
        else:
            r._eval(m, toks, 0, start_span, m.span(w1.a, w1.b), False, 0, False)
            arg = unquote(text) if ("'" in text or '"' in text or "\\" in text) else text  # (_record's argv[1])
        self.pipe = None
        self.budget = r.budget
        if self.unsure_names is not None and r.script.unsure_names:
            self.unsure_names.extend(r.script.unsure_names)
        self.simple_seen = True
        if decides and start_span is not None and start_span[0] not in r.bash_only:
            self.out.add(start_span[0])
            if self.named is not None:
                _add_named(self.named, start_span[0], "eval")
        # (_ends of it: eval is none of _ENDERS, _STATUS_NAMES, SHELLS, SOURCES.)
        if self.in_function:
            self.called.add("eval")
        if self._may_end("eval"):
            self.ended = True
        elif "$" in arg or "`" in arg or "." in arg or _ENDING_WORDS.search(arg):
            self.ended = True
        elif self.enders or self.calls:
            self.ended = any(self._may_end(w) for w in arg.split()) or self.ended
        state = None
        off = self.off_functions.get("eval") if self.off_functions else None
        if "set" in arg and (words := arg.split())[:1] == ["set"]:  # (`eval 'set +e'`: the string's words)
            new = _shell_options(words, True, True)
            off = (not new[0], not new[1])
        if off is not None and (off[0] or off[1]):
            state = (errexit and not off[0], pipefail and not off[1])
        if r.work or r.stdin_docs:
            self._queue_read(r, decides, (errexit, pipefail), (call_errexit, pipefail), self.bash_now)
        return state

    def _fresh_state(self) -> None:
        """The state _script starts a script with, for the short walks that skip it
        (_expansion_walked, _body_walked): each set, dict or list made afresh only where it holds
        something (a walk of one plain command reads them empty and adds nothing to them). Keep it
        in step with _script's."""
        self.doc_ordinals = None
        if self.fed_docs:
            self.fed_docs = {}
        if self.fed_shells:
            self.fed_shells = {}
        self.ended = False
        if self.traps:
            self.traps = set()
        if self.enders:
            self.enders = set()
        if self.calls:
            self.calls = {}
        if self.ends_memo:
            self.ends_memo = {}
        if self.called:
            self.called = set()
        self.in_function = 0
        if self.off_functions:
            self.off_functions = {}
        self.after_and = False
        if self.guards:
            self.guards = []
        self.ors = 0

    def _expansion_walked(self, m: _Mapped, fails: bool, exits: bool, errexit: bool, pipefail: bool) -> bool:
        """EXPANSION_WALK: the nested script ``m``, one simple command of words alone whose first
        word is an expansion (`$e1`, `$c -v`), walked as _script, _simple and the reader's
        _command (EXPANDED_ONE) walk it, but for the command they record, which decides nothing
        there; False, nothing done that _script does not do again, for any other."""
        if not self._reader_plain(m):
            return False
        r = self.reader
        s = m.s  # (its first character a `$`: run()'s)
        if _ONE_WORDS.fullmatch(s) is None or _BASH_ONLY.search(s) is not None:
            return False
        new = tuple.__new__
        toks = [new(Token, ("word", w.group(), w.start(), w.end(), None)) for w in _PLAIN_WORD.finditer(s)]
        w0 = toks[0][1]
        if "/" in w0 or "=" in w0:
            return False  # (EXPANDED_ONE's; an `=`: _simple's checks of assignments)
        note = r.notes.get(id(m)) if r.notes else None
        if note is not None and note.functions is not None:
            return False
        # What _script sets for a script of no function, not read on a stdin (as _body_walked).
        bash = id(m) in self.bash_ids
        if bash:
            self.bash_ids.discard(id(m))
        self.bash_now = bash
        self.eats = self.eaten = False
        top_args = NO_ARGS if id(m) == self.only_body else None
        self.top_args = top_args
        r.args = None if note is None else note.args
        r.functions, r.functions_shared = None, False
        if r.args is None:
            r.args = top_args
        r.inherited = None
        self._fresh_state()
        self.m = m
        self.toks, self.i, self.chunks = toks, len(toks), None
        # ONE_SIMPLE_WALK's _simple of it: here, no trap; _plain_simple says no (an expansion).
        decides = fails or (errexit and exits)
        self.here, self.piped_in = True, False
        # _simple's general path: the reader set for the command, as there.
        self._command_reader(r, None, not self.subshells, decides, True, False, 0)
        r.child = self.depth > 0 and id(m) != self.only_body
        # (_command's EXPANDED_ONE: the expansion read; the command it records, `$e1`, the walk
        # reads past: no start, no name it knows, nothing it ends.)
        if r.vars or r.args is not None or "$(" in w0 or "${" in w0:
            r._expanded_name(m, toks, 0)
        self.pipe = None
        self.budget = r.budget
        if self.unsure_names is not None and r.script.unsure_names:
            self.unsure_names.extend(r.script.unsure_names)
        self.simple_seen = True
        if r.work or r.stdin_docs:
            self._queue_read(r, decides, (False, False), (errexit, pipefail), bash)
        return True

    def _body_walked(self, m: _Mapped, depth: int, line: _Line | None) -> bool:
        """BODY_WALK: the `$( )` body ``m`` (LAZY_BODIES', ``line`` its tokens when plain), walked
        as _script walks it (its failure fails the command), when it is one simple command whose
        first word _plain_simple says yes to; False, nothing done that _script does not do
        again, for any other."""
        r = self.reader
        if self.bash_ids or self.stdin_ids or (r is not None and (r.notes or r.own or r.scoped or r.stdin_of)):
            return False
        s = m.s
        if line is not None:
            if line.ops or _BASH_ONLY.search(s) is not None:
                return False
            w0, a = line.texts[0], line.starts[0]
        elif r is not None and _ONE_WORDS.fullmatch(s) is not None and _BASH_ONLY.search(s) is None:
            # (ONE_TREE's words: with no walk's reader, STREAM_WALK's path is _script's.)
            first = _PLAIN_WORD.search(s)
            if first is None:
                return False
            w0, a = first.group(), first.start()
        else:
            return False
        if w0 in _NOT_SIMPLE:
            return False  # (`function`, a keyword: _script's)
        self.depth = depth
        self.m = m
        top_args = NO_ARGS if id(m) == self.only_body else None
        if self.body_fresh:
            # (The body walked before was one too, and nothing else ran since: what _script
            # sets is set, but for its parameters.)
            if top_args is not self.top_args:
                self.top_args = top_args
                if r is not None:
                    r.args = top_args
            return self._plain_simple(w0, a, True, False)
        # What _script sets for a script of no note, not bash's, read on no stdin (the shell's
        # sets and dicts made afresh only where one holds something: the walk of one command
        # that _plain_simple says yes to reads them empty and adds nothing to them).
        self.bash_now = self.eats = self.eaten = False
        self.top_args = top_args
        if r is not None:
            r.args, r.functions, r.functions_shared, r.inherited = top_args, None, False, None
        self._fresh_state()
        self.here, self.piped_in = True, False
        self.body_fresh = True  # (until _script runs: run() says so)
        return self._plain_simple(w0, a, True, False)

    # -- parsing: tokens into nested tuples --------------------------------------------------
    # list: [(and_or, terminator)]; and_or: [(op before it or None, pipeline)];
    # pipeline: (negated, [command]); command: ("simple", toks) | ("group", list, subshell) |
    # ("if", [(condition list, body list)], else list or None) | ("other", [lists], the index of
    # the one that surely runs once or None, a loop variable it holds or None): loops and `case`.

    def _parse(self, toks: list[Token]) -> list:
        self.toks, self.i, self.chunks = toks, 0, None
        out = self._list(())
        if self.i < len(toks):
            raise _Unsure
        return out

    def _peek(self):
        if self.i < len(self.toks):
            return self.toks[self.i]
        return self._pull() if self.chunks is not None else None

    def _pull(self):
        """The next token of a streamed script (_stream): its next chunk, added to self.toks."""
        chunk = next(self.chunks, None)
        if chunk is None:
            self.chunks = None
            return None
        self.toks += chunk
        return self.toks[self.i]

    def _stream(self, chunks, fails, exits, errexit, pipefail) -> None:
        """_parse and _list_eval of a script whose tokens come in chunks (token_chunks'), a batch
        of STREAM_ITEMS top-level items at a time: neither its tokens nor its tree are kept whole
        (a 10 MB line of function definitions: 4 million tokens, 550 MB, and a tree as large).
        Where the text does not parse, nothing of it is marked, as where the tree is built first:
        what the batches before marked is undone (the caller made sure nothing else changed: the
        walk's reader is made in it). An error of the walk itself is raised once all parsed."""
        kept = set(self.out), len(self.work), self.guard_ids, self.__dict__.get("pipe")
        self.toks, self.i, self.chunks = [], 0, chunks
        failed = None
        more = True
        while more:
            try:
                items = self._list((), 0, STREAM_ITEMS)
                t = self._peek()
                if t is not None and t.kind == "op" and t.text in (")", ";;"):
                    raise _Unsure  # (what _parse finds after the list)
            except (_Unsure, RecursionError, IndexError):
                self.out, self.guard_ids, self.pipe, self.reader = kept[0], kept[2], kept[3], None
                while len(self.work) > kept[1]:
                    # (Its ids go with it: once the script is freed, its id can be another's, a
                    # script made later that must not pass for bash's or a stdin's by it.)
                    dropped = id(self.work.pop()[0])
                    self.bash_ids.discard(dropped)
                    if self.stdin_ids:
                        self.stdin_ids.pop(dropped, None)
                raise
            more = t is not None
            if failed is None:
                try:
                    errexit, pipefail = self._list_eval(items, True, fails, exits, errexit, pipefail, more=more)
                except Exception as e:  # noqa: BLE001 (raised as _list_eval raised it, once the text parsed)
                    failed = e
            del self.toks[: self.i]  # (what the next batch reads starts there)
            self.i = 0
        if failed is not None:
            raise failed

    def _skip_newlines(self) -> None:
        while (t := self._peek()) is not None and t.kind == "op" and t.text == "\n":
            self.i += 1

    def _list(self, stops, nest: int = 0, limit: int = -1) -> list:
        """The list up to one of ``stops``, or its first ``limit`` items (_stream's batches)."""
        if nest > MAX_NESTING:
            raise _Unsure
        items = []
        while True:
            t = self._peek()
            while t is not None and t.kind == "op" and t.text in ("\n", ";"):
                if t.text == ";" and EMPTY_BODIES:
                    raise _Unsure  # (no command before it: an item's own `;` was read with it)
                self.i += 1
                t = self._peek()
            if t is None or (t.kind == "op" and t.text in (")", ";;")):
                return items
            if t.kind == "word" and t.text in _STOP_WORDS:
                if t.text in stops:
                    return items
                raise _Unsure
            if len(items) == limit:
                return items  # (an item follows)
            if t.kind == "def" and DEF_ITEMS and (item := self._def_item(t, nest, limit >= 0)) is not None:
                items.append(item)
                if type(item[0]) is Token and DEF_RUNS:
                    self._def_run(items, limit)
                continue
            if SIMPLE_ITEMS and t.kind == "word" and t.text not in _NOT_SIMPLE and (item := self._simple_item()):
                items.append(item)
                continue
            and_or = self._and_or(nest)
            t = self._peek()
            if t is not None and t.kind == "op" and t.text == "(":
                raise _Unsure  # (`timeout 5 ( claude )`: both shells refuse it, nothing runs)
            term = None
            if t is not None and t.kind == "op" and t.text in (";", "\n", "&"):
                term = t.text
                self.i += 1
            items.append((and_or, term))

    def _simple_item(self) -> tuple | None:
        """The item of the simple command at the next token (a word _command reads as one: not
        in _NOT_SIMPLE) when a `;`, a newline, `&` or the end follows its words (`e1="$c -v";
        eval "$e1";`): the tree _and_or, _pipeline and _command give it, without their steps
        (SIMPLE_ITEMS); None, nothing read, for any other (`|`, `&&`, `||`, `(`, `)`, `;;`)."""
        toks, start = self.toks, self.i
        j = start + 1
        while True:
            while j >= len(toks):
                if self.chunks is None or self._pull() is None:
                    self.i = j
                    return [(None, (False, [("simple", toks[start:j])]))], None
            t = toks[j]
            if t[0] == "op":
                break
            j += 1
        op = t[1]
        if op != ";" and op != "\n" and op != "&":
            return None
        self.i = j + 1
        return [(None, (False, [("simple", toks[start:j])]))], op

    def _def_item(self, t: Token, nest: int, batch: bool = False) -> tuple | None:
        """The item of the plain function definition ``t`` (the next token) when a `;`, a newline
        or the end follows it (`fN() { echo hi; };`, a line of 500,000): the tree _and_or,
        _pipeline and _command give it, without their steps; None, nothing read, for any other.
        ``batch``: an item of _stream's batch, which only _list_eval reads: (``t``, its terminator)
        under DEF_WALK, no tree (_list_eval gives it to _define)."""
        toks, j = self.toks, self.i + 1
        while j >= len(toks):
            if self.chunks is None or self._pull() is None:
                break
        after = toks[j] if j < len(toks) else None
        if after is None:
            term = None
        elif after.kind == "op" and (after.text == ";" or after.text == "\n"):
            term = after.text
        else:
            return None
        if nest + 2 > MAX_NESTING:
            raise _Unsure  # (as _command raises)
        self.i = j + (after is not None)
        if batch and DEF_WALK:
            return t, term
        return [(None, (False, [_def_tree(t, None if self.m is None else self.m.s)]))], term

    def _def_run(self, items: list, limit: int) -> None:
        """After a batch's item of a plain definition (_def_item's, under DEF_WALK): the plain
        definitions that follow it, each then a `;` or a newline, as _list's loop and _def_item
        read them (the `;`s and newlines between skipped), to the end of the tokens read so far
        or ``limit`` items; _list's loop reads on from there."""
        toks = self.toks
        i = self.i
        n = len(toks) - 1  # (a definition's terminator is the token after it)
        while i < n:
            t = toks[i]
            kind = t[0]
            if kind == "op":
                if (t[1] != ";" or EMPTY_BODIES) and t[1] != "\n":
                    break  # (a `;` here has no command before it: _list's)
                i += 1
                continue
            if kind != "def" or len(items) == limit:
                break
            after = toks[i + 1]
            if after[0] != "op" or (after[1] != ";" and after[1] != "\n"):
                break
            items.append((t, after[1]))
            i += 2
        self.i = i

    def _and_or(self, nest: int) -> list:
        out = [(None, self._pipeline(nest))]
        while (t := self._peek()) is not None and t.kind == "op" and t.text in ("&&", "||"):
            self.i += 1
            self._skip_newlines()
            out.append((t.text, self._pipeline(nest)))
        return out

    def _pipeline(self, nest: int) -> tuple:
        negated = False
        while (t := self._peek()) is not None and t.kind == "word" and t.text == "!":
            negated = not negated
            self.i += 1
        commands = [self._command(nest)]
        while (t := self._peek()) is not None and t.kind == "op" and t.text in ("|", "|&"):
            self.i += 1
            self._skip_newlines()
            commands.append(self._command(nest))
        return negated, commands

    def _expect(self, word: str) -> None:
        t = self._peek()
        if t is None or t.kind != "word" or t.text != word:
            raise _Unsure
        self.i += 1

    def _redirections(self) -> None:
        """Redirections after a compound command (`( … ) > f`, `{ …; } 2>&1`)."""
        while (t := self._peek()) is not None and t.kind == "redir":
            self.i += 1
            if not t.text.endswith("-") or t.text.rstrip("-").endswith("<<"):
                if (w := self._peek()) is not None and w.kind == "word":
                    self.i += 1

    def _command(self, nest: int) -> tuple:
        t = self._peek()
        if t is None:
            raise _Unsure
        n = nest + 1
        if t.kind == "def":  # (token_chunks' plain function definition: the tree of its tokens)
            if n + 1 > MAX_NESTING:
                raise _Unsure  # (as _list raises for its body)
            self.i += 1
            self._redirections()
            return _def_tree(t, None if self.m is None else self.m.s)
        if t.kind == "op":
            if t.text != "(":
                raise _Unsure
            self.i += 1
            body = self._filled(self._list((), n))
            t = self._peek()
            if t is None or t.kind != "op" or t.text != ")":
                raise _Unsure
            self.i += 1
            self._redirections()
            return ("group", body, True)
        word = t.text if t.kind == "word" else ""
        if word == "{":
            if PLAIN_GROUPS and n <= MAX_NESTING and (group := self._plain_group()) is not None:
                return group
            self.i += 1
            body = self._filled(self._list(("}",), n))
            self._expect("}")
            self._redirections()
            return ("group", body, False)
        if word == "if":
            self.i += 1
            branches = []
            cond = self._filled(self._list(("then",), n))
            self._expect("then")
            branches.append((cond, self._filled(self._list(("elif", "else", "fi"), n))))
            other = None
            while True:
                t = self._peek()
                if t is not None and t.text == "elif":
                    self.i += 1
                    cond = self._filled(self._list(("then",), n))
                    self._expect("then")
                    branches.append((cond, self._filled(self._list(("elif", "else", "fi"), n))))
                    continue
                if t is not None and t.text == "else":
                    self.i += 1
                    other = self._filled(self._list(("fi",), n))
                self._expect("fi")
                break
            self._redirections()
            return ("if", branches, other)
        if word in ("while", "until"):
            self.i += 1
            cond = self._filled(self._list(("do",), n))
            self._expect("do")
            body = self._filled(self._list(("done",), n))
            self._expect("done")
            self._redirections()
            return ("other", [cond, body], None, None)
        if word in ("for", "select"):
            self.i += 1
            header = []
            while (t := self._peek()) is not None and not (t.kind == "word" and t.text == "do"):
                if (t.kind == "op" and t.text not in (";", "\n")) or t.kind == "def":
                    raise _Unsure  # (a definition: its `(`)
                header.append(t)
                self.i += 1
            self._expect("do")
            start = self.i
            body = self._filled(self._list(("done",), n))
            once = _runs_once(header, self.toks[start : self.i]) if word == "for" else None
            self._expect("done")
            self._redirections()
            return ("other", [body], None if once is None else 0, once)
        if word == "case":
            return self._case(n)
        if word == "function" and self.bash_now:
            return self._keyword_definition(n)
        if word in ("esac", "function", "select") or word in _STOP_WORDS:
            raise _Unsure  # (dash's `function`: a command not found, then a syntax error at `}`)
        # A simple command, or a function definition `name ( ) compound`.
        start = self.i
        while (t := self._peek()) is not None and not (t.kind == "op"):
            self.i += 1
        t = self._peek()
        if t is not None and t.text == "(" and self.i == start + 1:
            t_name = self.toks[start]
            self.i += 1
            t = self._peek()
            if t is None or t.text != ")":
                raise _Unsure
            self.i += 1
            return self._definition(t_name, n)
        if self.i == start:
            raise _Unsure
        return ("simple", self.toks[start : self.i])

    @staticmethod
    def _filled(body: list) -> list:
        """A compound command's list, which dash and bash refuse empty (`( )`, `{ }`, `then fi`,
        `do done`: a syntax error, so nothing of the line runs): the walk cannot say."""
        if not body and EMPTY_BODIES:
            raise _Unsure
        return body

    def _keyword_definition(self, n: int) -> tuple:
        """bash's `function NAME { …; }` or `function NAME ( ) { …; }` (the next tokens): as
        `NAME ( ) { …; }` (a body of another kind, or none: _Unsure)."""
        self.i += 1
        t_name = self._peek()
        if t_name is None or t_name.kind != "word":
            raise _Unsure
        self.i += 1
        t = self._peek()
        if t is not None and t.kind == "op" and t.text == "(":
            self.i += 1
            t = self._peek()
            if t is None or t.text != ")":
                raise _Unsure
            self.i += 1
        self._skip_newlines()
        t = self._peek()
        if t is None or t.kind != "word" or t.text != "{":
            raise _Unsure
        return self._definition(t_name, n)

    def _definition(self, t_name: Token, n: int) -> tuple:
        """The function ``t_name``'s definition, its body the next tokens (past `name ( )`)."""
        self._skip_newlines()
        first = self._peek()
        k = self.i
        body = self._command(n)
        last = None
        if first is not None and first.text == "{":
            # Its `}`: the last token, or the one before the redirections that follow it (`f() {
            # claude -v; } 2>&1`: they apply at each call; the body is what a call runs).
            j = self.i - 1
            toks = self.toks
            while j > k and not (toks[j].kind == "word" and toks[j].text == "}"):
                if toks[j].kind == "redir":
                    j -= 1
                elif toks[j - 1].kind == "redir":
                    j -= 2
                else:
                    break
            last = toks[j]
        # (Its `{ }` body's span, read again at a call that decides: _define, _Reader.define.)
        text = (first.a, last.b) if last is not None and last.text == "}" and self.m is not None else None
        return ("function", t_name.text, [[([(None, (False, [body]))], None)]], text)

    def _case(self, n: int) -> tuple:
        """`case WORD in PATTERN|PATTERN) LIST;; … esac` at the next token: ("other", the lists, the
        index of the one that surely runs, if one does: _case_match)."""
        self.i += 1
        subject = self._peek()
        if subject is None or subject.kind != "word":
            raise _Unsure
        self.i += 1
        self._skip_newlines()
        self._expect("in")
        lists: list = []
        chosen = None
        open_ = _CASE_WORD.fullmatch(subject.text) is not None  # (no list is chosen yet, one may be)
        while True:
            self._skip_newlines()
            t = self._peek()
            if t is not None and t.kind == "word" and t.text == "esac":
                self.i += 1
                break
            if t is not None and t.kind == "op" and t.text == "(":
                self.i += 1
            patterns = []
            while True:
                t = self._peek()
                if t is None or t.kind != "word":
                    raise _Unsure
                patterns.append(t.text)
                self.i += 1
                t = self._peek()
                if t is None or t.kind != "op" or t.text not in ("|", ")"):
                    raise _Unsure
                self.i += 1
                if t.text == ")":
                    break
            lists.append(self._list(("esac",), n))
            if open_:
                match = _case_match(subject.text, patterns)
                open_ = match is False
                if match:
                    chosen = len(lists) - 1
            t = self._peek()
            if t is not None and t.kind == "op" and t.text == ";;":
                self.i += 1
            elif t is None or t.kind != "word" or t.text != "esac":
                raise _Unsure
        self._redirections()
        return ("other", lists, chosen, None)

    def _plain_group(self) -> tuple | None:
        """The `{ }` group at the next token when it holds simple commands only, each ended by
        `;`, a newline or `&` (`{ echo hi; }`, a function's usual body): the tree the general
        path (_list, _and_or, _pipeline, _command) gives it, read in one loop; None, nothing
        read, for any other (a nested or compound command, `|`, `&&`, an unclosed group)."""
        toks, j = self.toks, self.i + 1
        items: list = []
        while True:
            while True:  # (what _list skips before an item; the tokens of a streamed script come in chunks)
                while j >= len(toks):
                    if self.chunks is None or self._pull() is None:
                        return None
                t = toks[j]
                if t.kind != "op" or (t.text != "\n" and t.text != ";"):
                    break
                if t.text == ";" and EMPTY_BODIES:
                    return None  # (no command before it: the general path's, _list)
                j += 1
            if t.kind != "word" or t.text in _NOT_SIMPLE:
                if t.kind != "word" or t.text != "}" or not items:
                    return None  # (an empty group: the general path's, _filled)
                self.i = j + 1
                self._redirections()
                return ("group", items, False)
            start = j
            while True:  # a simple command's words and redirections, up to an operator
                j += 1
                while j >= len(toks):
                    if self.chunks is None or self._pull() is None:
                        return None
                t = toks[j]
                if t.kind == "op":
                    break
            if t.text != ";" and t.text != "\n" and t.text != "&":
                return None  # (`|`, `&&`, `(` after one word: a function definition, ...)
            items.append(([(None, (False, [("simple", toks[start:j])]))], t.text))
            j += 1

    # -- evaluation ---------------------------------------------------------------------------

    def _script(self, m: _Mapped, fails: bool, exits: bool, errexit: bool, pipefail: bool, tokens=None) -> None:
        # (Its shell, and the one that reads it on its stdin: taken out before all else, an id is
        # another script's once this one is gone.)
        bash = self.bash if self.top else id(m) in self.bash_ids
        self.bash_ids.discard(id(m))
        reads = self.stdin_ids.pop(id(m), None) if self.stdin_ids else None
        if self.depth > MAX_NESTING:
            return  # (what the work list holds was paid for as it was put there: see _simple)
        if self.top and self.only and ONLY_HEREDOC:
            # `RUN <<EOF`: the line is one redirection, which runs nothing; the body is the script.
            self.fed_docs = {}
            self.fed_shells = {}
            self._heredocs(fails, exits)
            return
        self.bash_now = bash
        # Read on its stdin, a command that reads stdin may take the rest of it (_eat): in any
        # shell but one that reads a block ahead (dash, `.` of bash and dash), which holds a short
        # script whole before it runs a command (a heredoc of at most a pipe's buffer).
        self.eats = reads is not None and (reads not in _READ_AHEAD or len(m.s) > _READ_AHEAD_MAX)
        self.eaten = False
        # (As _Reader.top_args: the RUN's line and the body of `RUN <<EOF` have no parameters.)
        self.top_args = NO_ARGS if self.top or id(m) == self.only_body else None
        r = self.reader
        if r is not None:
            note = r.notes.get(id(m)) if r.notes else None
            r.args = None if note is None else note.args
            r.functions = None if note is None else note.functions  # (as _Reader._read_one)
            r.functions_shared = r.functions is not None
            if r.args is None:
                r.args = self.top_args
            r.inherited = None
            if r.own:
                r.own = set()  # (this script's own assignments: _Reader._sees)
            if r.scoped:
                r._unscope()  # (the script walked before: its assignments held there)
            if r.stdin_of and _PLAIN_COMMAND.fullmatch(m.s) is not None:
                r.inherited = _held(r.stdin_of.pop(id(m), None), m)  # (as _Reader._read_one reads it)
        plain = tokens is not None
        if plain:
            # A plain script's tokens, read once (the RUN line's or a heredoc body's: tests/
            # test_shell_fast.py: tokenize's); its operators are strings there (a walk reads no
            # operator's position).
            toks = tokens
        elif STREAM_WALK and r is None and not (self.top and self.docs):
            toks = None  # read in chunks (_stream): the walk's reader is made in it, or not at all
        elif ONE_TREE and _ONE_WORDS.fullmatch(m.s) is not None:
            # Words alone, no quote, `$( )` or operator (eval's string `$e1`): what tokenize
            # gives them, without its steps (ONE_TREE).
            new = tuple.__new__
            toks = [new(Token, ("word", w.group(), w.start(), w.end(), None)) for w in _PLAIN_WORD.finditer(m.s)]
        else:
            toks, _subs = tokenize(m.s)  # (what is in a `$( )` decides nothing)
        self.doc_ordinals = None
        if self.top and self.docs:
            heredocs = (
                t.a for t in toks if not plain and t.kind == "redir" and t.text.lstrip("0123456789") in ("<<", "<<-")
            )
            self.doc_ordinals = {a: i for i, a in enumerate(heredocs)}  # (a plain line has no redirection)
        if not bash and _BASH_ONLY.search(m.s) is not None and _dash_refuses(m.s):
            raise _Unsure  # (dash refuses it, or fails on it: nothing, or not all, of it runs)
        if not plain and toks is not None and "<<" in m.s and ("(" in m.s or "{" in m.s or "done" in m.s):
            toks = group_stdin(toks)  # (as the reader reads them: `( sh ) <<EOF`)
        # (The short walks that skip this start a script from _fresh_state: keep the two in step.)
        self.fed_docs: dict[int, tuple] = {}
        self.fed_shells = {}
        self.simple_seen = False
        # What may take the shell's exit status out of the hands of the commands after it: a
        # command that may have ended the shell (`exit`, `exec CMD`, `return`, `.`, a function
        # that may), and the conditions an action is trapped for that runs as it ends (`trap
        # 'exit 0' EXIT`). Per shell: a subshell's are its own.
        self.ended = False
        self.traps: set[str] = set()
        self.enders: set[str] = set()  # functions of this script that may end the shell
        self.calls: dict[str, set[str]] = {}  # the other functions: the names their bodies call
        self.ends_memo: dict[str, bool] = {}  # _may_end's answers since the last definition
        self.called: set[str] = set()  # the names the function being read calls
        self.in_function = 0
        self.off_functions: dict[str, tuple[bool, bool]] = {}  # functions that may turn errexit, pipefail off
        self.after_and = False  # the command read runs only if one before it in an `&&` list passed
        # The conditional parts of the and-or lists being read, innermost last: a pipeline
        # after `&&` and the ones after it up to an `||` (they run only if it did), or one
        # after `||` alone. An assignment in one holds for sure only while it lasts.
        self.guards: list[int] = []
        self.ors = 0  # `||`s passed (at the pipeline after one, and again after that pipeline)
        self.m = m
        if plain and PLAIN_WALK and PLAIN_ONE and toks.texts and not toks.ops:
            self._plain_one(toks, fails, exits, errexit, pipefail)
        elif plain and PLAIN_WALK:
            self._plain_eval(toks, self._plain_lists(toks), fails, exits, errexit, pipefail)
        elif toks is None:
            chunks = _handed(m.s) if HAND_TOKENS and self.top else None  # (the reader's: see HAND_TOKENS)
            if chunks is None:
                chunks = token_chunks(m.s, [], True)  # (no `$( )` body decides)
            self._stream(chunks, fails, exits, errexit, pipefail)
        else:
            if plain:
                toks = [
                    _OP_TOKENS[t] if t in _OP_TOKENS else Token("word", t, a, a + len(t))
                    for t, a in zip(toks.texts, toks.starts)
                ]
            if ONE_TREE and toks and toks[0].text not in _NOT_SIMPLE and all(t.kind == "word" for t in toks):
                # One simple command of words alone (eval's string `$e1`, `claude -v`): what
                # _parse makes of it, one list of one pipeline of it (ONE_TREE).
                self.toks, self.i, self.chunks = toks, len(toks), None
                if ONE_SIMPLE_WALK:
                    # What _list_eval and _command_eval do with that tree: _simple of it, alone
                    # in its list (ONE_SIMPLE_WALK).
                    here = not self.ended
                    its_fails = its_exits = False
                    if here and not self.traps:
                        its_fails, its_exits = fails, exits
                    self.here, self.piped_in = here, False
                    decides = here and (its_fails or (errexit and its_exits))
                    self._simple(toks, here, decides, errexit, pipefail, False, errexit and here)
                    tree = None
                else:
                    tree = [([(None, (False, [("simple", toks)]))], None)]
            else:
                tree = self._parse(toks)
            if tree is not None:
                self._list_eval(tree, True, fails, exits, errexit, pipefail)
        if self.top and self.docs:
            self._heredocs(fails, exits)

    def _heredocs(self, fails: bool, exits: bool, only=None) -> None:
        """The RUN's heredocs given to a shell: `RUN <<EOF` (the heredoc is the script) or a
        shell on the line that reads one (`RUN bash -e <<EOF`, `cat <<EOF | sh`); ``only``: those."""
        for i, doc in enumerate(self.docs):
            if only is not None and i not in only:
                continue
            if i in self.fed_docs:
                state = self.fed_docs[i]
            elif self.only and i == 0:
                # `RUN <<EOF`: the body is the script, run by the SHELL (a `#!` line: by its own)
                bang = _shebang(doc.content)
                options = self.start if bang is None else _shebang_options(bang)
                if options is None:
                    continue  # (`#!/bin/sh -n`: it runs nothing)
                state = (fails, exits, *options)
                bash = self.bash if bang is None else bang.name == "bash"
            else:
                continue
            tokens = self.doc_tokens.get(i) if self.doc_tokens else None
            self.budget -= len(doc.content)
            if self.only and i == 0:
                body = _Mapped(doc.content, _body_offsets(doc))
                self.only_body = id(body)
                # (Held while the walk runs: an id is another object's once its own is freed, and
                # a script walked later, EXPANSION_WALK's `$c` as much as any, must not pass for
                # the body by that id.)
                self.only_held = body
                if bash:
                    self.bash_ids.add(id(body))
            else:
                # (As _analyse reads it: `\$c` is `$c` to the shell fed it, its `$c` the feeding shell's.)
                r = self.reader
                feed = r.doc_feeds.get(i) if r is not None and r.doc_feeds else None
                body = _fed_body(doc, feed)[0]
                if feed is not None and feed[0] is not None:
                    r._note(body, feed[0])  # (`bash -s claude <<EOF`: its parameters)
                reads, bash = self.fed_shells.get(i, (None, False))
                if bash:
                    self.bash_ids.add(id(body))
                if reads is not None:
                    self.stdin_ids[id(body)] = reads
            self.work.append((body, *state, 1, tokens))

    # -- a plain line: no tree ---------------------------------------------------------------
    # A plain line's kept tokens (Script.tokens, a _Line: words and the operators `&&` `||` `;`
    # `|` `&` and newlines; no parenthesis or redirection, no keyword where a command starts) are
    # lists of and-or lists of pipelines of simple commands: what _parse and _list_eval do with
    # them, read from the tokens (an `&&` list of 800,000 commands built a tree of 300 MB).

    def _plain_lists(self, line: _Line) -> list:
        """_parse of a plain line, checked and cut into its and-or lists: (index of its first
        token, index in ``line.ops`` of the operator after its first command, number of
        pipelines, index of the pipeline after the last `||` or -1, run in the background: a
        tuple each, or with PACKED_LISTS the five of each in a row in the one list);
        _Unsure where _parse is. One step per operator: the words between two are a command."""
        toks = line.texts
        out: list = []  # (PACKED_LISTS: the five of each in a row, no tuple each)
        n = len(toks)
        start = q0 = -1  # the and-or list being read (-1: between lists)
        pipelines = last_or = 0
        lo = 0  # the first token after the operator before
        for q, k in enumerate(chain(line.ops, (n,))):
            t = toks[k] if k < n else None
            if k > lo:  # a command, then the operator t after it (None: the end)
                if start < 0:
                    start, q0, pipelines, last_or = lo, q, 1, -1
                if toks[lo] == "function":
                    raise _Unsure  # (_command's: a function keyword)
                if t == "&&" or t == "||":
                    if t == "||":
                        last_or = pipelines
                    pipelines += 1
                elif t != "|":
                    if PACKED_LISTS:
                        out.extend((start, q0, pipelines, last_or, t == "&"))
                    else:
                        out.append((start, q0, pipelines, last_or, t == "&"))  # (`;`, a newline, `&`, the end)
                    start = -1
            elif t is None:
                if start >= 0:
                    raise _Unsure  # (a command expected after `&&`, `||` or `|` at the end)
            elif not (t == "\n" or (t == ";" and start < 0 and not EMPTY_BODIES)):
                # An operator where a command may start: only newlines are skipped (a `;` there
                # has no command before it: a syntax error, EMPTY_BODIES).
                raise _Unsure
            lo = k + 1
        return out

    def _plain_eval(self, line: _Line, lists, fails, exits, errexit, pipefail) -> None:
        """_list_eval of a plain line's and-or lists (_plain_lists'), at its top level."""
        toks, starts, ops = line.texts, line.starts, line.ops
        if PACKED_LISTS:
            n = len(lists) // 5
            rows = iter(lists)
            rows = zip(rows, rows, rows, rows, rows)  # (_plain_lists' five of each, in a row)
        else:
            n, rows = len(lists), lists
        end, n_ops = len(toks), len(line.ops)
        guards = self.guards
        # First word -> its name, for the words _plain_simple said yes to (alone in a pipeline)
        # since the last command the general path read: nothing its checks read changed since
        # (only that path makes the reader, files, aliases, functions), so the answer is yes
        # again, and what it does is done here (PLAIN_REPEAT: an `&&` list of 800,000 calls).
        passed: dict[str, str] = {}
        # ... and whether what _plain_simple does for such a command is only to mark it when it
        # decides (no name wanted, no stdin eaten, not in a function, offsets that hold no None).
        quick, offsets = False, None
        rows_fast = ASSIGN_ROWS and ASSIGN_WALK and (NAME_PAST_PREFIX or self.reader is None)
        for k, (lo, q, count, last_or, bg) in enumerate(rows):
            last = k == n - 1
            if (
                rows_fast
                and count == 1
                and not bg
                and (ops[q] if q < n_ops else end) == lo + 1
                and (lo + 1 >= end or toks[lo + 1] != "|")
                and "=$(" in (w0 := toks[lo])
                and (
                    (entry := _row_entry(w0)) is not None and entry[7]
                    if ROW_ENTRY and LAST_SUB_MEMO
                    else (entry := None) is None and _assigns_plain_sub(w0)
                )
                and (NAME_PAST_PREFIX or self.reader is None or self.reader.functions is None)
            ):
                # ASSIGN_ROWS: the steps below for a row of one pipeline of the one command
                # `NAME=$(…)` (no operator before it, nothing guards it; not `false`, no guard).
                if self.ended:
                    reaches = its_fails = its_exits = False
                else:
                    reaches = True
                    its_fails, its_exits = (False, False) if self.traps else (fails, exits)
                self.after_and = False
                decides = reaches and ((last_or <= 0 and last and its_fails) or (errexit and its_exits))
                self.piped_in = False
                passed.clear()
                self.here = reaches
                a = starts[lo]
                self._assignments(
                    [tuple.__new__(Token, ("word", w0, a, a + len(w0), None))],
                    reaches,
                    decides,
                    errexit,
                    pipefail,
                    False,
                    True,
                    True,
                    entry,
                )
                continue
            opened = False
            final = count - 1
            guarded = fails_before = failed = False  # (as _list_eval's)
            op = None  # the operator before the pipeline
            js = iter(range(count)) if count > 3 else range(count)  # (PLAIN_RUNS' next(js): four or more)
            for j in js:
                if (
                    quick
                    and op == "&&"
                    and opened
                    and PLAIN_RUNS
                    and not failed
                    and not fails_before
                    and not bg
                    and not self.ended
                    and not self.traps
                ):
                    # PLAIN_RUNS: the pipelines from here that are one command of a first word
                    # passed (quick), more `&&` after each, what the steps below do for each: here
                    # they all run; one decides alone by the list's status (not its last; nothing
                    # guards it, errexit ignored); nothing else changes (not `false`, no guard).
                    decides = last and fails
                    add = self.out.add
                    while j < final:
                        hi = ops[q] if q < n_ops else end
                        if hi <= lo or hi >= end or toks[hi] != "&&":
                            break
                        w0 = toks[lo]
                        if passed.get(w0) is None or w0 == "false" or w0 in _GUARD_WORDS:
                            break
                        if decides and last_or <= j:
                            add(offsets[starts[lo]])
                        lo, q = hi + 1, q + 1
                        j = next(js)
                commands = []  # (first, end) of each command's words
                while True:
                    hi = ops[q] if q < n_ops else end
                    after = toks[hi] if hi < end else None
                    a, lo, q = lo, hi + 1, q + 1
                    if hi > a:
                        commands.append((a, hi))
                        if after != "|":
                            break
                    # (no words: a newline after `&&`, `||` or `|`)
                reaches, its_fails, its_exits = True, fails, exits
                if self.ended:
                    reaches = its_fails = its_exits = False
                elif self.traps:
                    its_fails = its_exits = False
                if failed and op == "||":
                    guarded = False
                here = reaches and (j == 0 or (op == "||" and failed) or (op == "&&" and not fails_before))
                self.after_and = j > 0
                if op is not None:
                    if op == "||" or not opened:  # (after `&&` in an opened part, _guard does nothing)
                        self._guard(op, opened)
                    opened = True
                last_of_and_or = j == final
                status = last_or <= j and last and not bg and its_fails
                nq = len(commands)
                alone = nq == 1 and not bg
                for p, (a, b) in enumerate(commands):
                    decides = (
                        here
                        and (p == nq - 1 or pipefail)
                        and (status or (errexit and last_of_and_or and not bg and its_exits and not guarded))
                    )
                    if not alone:
                        kept = self.ended, self.traps
                        self.traps = set(self.traps)
                    piping = p < nq - 1
                    self.piped_in = p > 0
                    w0 = toks[a]
                    name = passed.get(w0) if alone else None
                    if name is not None:
                        if quick:
                            if decides:
                                self.out.add(offsets[starts[a]])
                        else:
                            self._plain_again(w0, name, starts[a], decides)
                            if self.eats and not self.piped_in and any("$(" in w or "`" in w for w in toks[a:b]):
                                self._eat()  # (as below)
                    elif (SUBST_ASSIGN_WALK and "=" in w0) or not self._plain_simple(w0, starts[a], decides, piping):
                        # (An assignment's first word: plain_name names none, _plain_simple says no.)
                        passed.clear()
                        self.here = here
                        state = self._simple(
                            _line_tokens(line, a, b),
                            here and alone,
                            decides,
                            errexit,
                            pipefail,
                            piping,
                            errexit and last_of_and_or and here and alone,
                        )
                        if alone and state is not None:
                            errexit, pipefail = state
                    else:
                        if self.eats and not self.piped_in and any("$(" in w or "`" in w for w in toks[a:b]):
                            self._eat()  # (`echo $(head -1)`: the substitution reads it)
                        if alone and PLAIN_REPEAT:
                            name = (self.reader or _BLANK).plain_name(w0, False)  # (_plain_simple's)
                            if name not in self.enders and name not in self.calls:
                                passed[w0] = name  # (_plain_again does not ask _may_end)
                                offsets = self.m.offsets
                                quick = (
                                    self.named is None
                                    and not self.eats
                                    and not self.in_function
                                    and type(offsets) is not list
                                )
                    if not alone:
                        self.ended, self.traps = kept[0] or self.eaten, kept[1]
                a, b = commands[0]
                guarded = (guarded and op != "||") or (nq == 1 and toks[a] in _GUARD_WORDS and _guards(toks[a:b]))
                fails_before = nq == 1 and b == a + 1 and self._fails(toks[a], False)
                failed = here and fails_before
                if op == "||":
                    guards.pop()
                    opened = False
                    self.ors += 1
                op = after
            if opened:
                guards.pop()

    def _plain_one(self, line: _Line, fails, exits, errexit, pipefail) -> None:
        """_plain_eval of a plain script of one simple command (no operator: one and-or list of
        one pipeline of one command, `$(date +%s)`), what its steps come to there (PLAIN_ONE)."""
        toks = line.texts
        if toks[0] == "function":
            raise _Unsure  # (_plain_lists')
        reaches, its_fails, its_exits = True, fails, exits
        if self.ended:
            reaches = its_fails = its_exits = False
        elif self.traps:
            its_fails = its_exits = False
        self.after_and = False
        decides = reaches and (its_fails or (errexit and its_exits))
        self.piped_in = False
        if self._plain_simple(toks[0], line.starts[0], decides, False):
            if self.eats and any("$(" in w or "`" in w for w in toks):
                self._eat()  # (`echo $(head -1)`: the substitution reads it)
        else:
            self.here = reaches
            self._simple(
                _line_tokens(line, 0, len(toks)), reaches, decides, errexit, pipefail, False, errexit and reaches
            )

    def _fails(self, word: str, negated: bool) -> bool:
        """A pipeline of one simple command of the one word ``word``, ``negated`` or not, surely
        fails: `false`, `! true`, `! :`, none of them a function or an alias of the script."""
        if word not in _SURELY_TRUE if negated else word != "false":
            return False
        r = self.reader
        return word not in self.calls and word not in self.enders and (r is None or word not in r.aliases)

    def _guard(self, op: str, opened: bool) -> None:
        """Entering a pipeline after ``op`` in a list whose conditional part is ``opened`` or not."""
        if op == "||":
            if opened:
                self.guards.pop()
            self.ors += 1
        elif opened:
            return
        self.guard_ids += 1
        self.guards.append(self.guard_ids)

    def _list_eval(self, items, reached, fails, exits, errexit, pipefail, quiet=False, more=False):
        """Mark what decides in a list; returns (errexit, pipefail) after it (in its shell).
        ``quiet``: the list is the body of a group or `if` whose status decides only through
        errexit, which a failure of a test's `&&` inside does not set off. ``more``: ``items``
        are a batch of a list that goes on (_stream), its last item not the list's."""
        n = len(items) + more
        outer_and = self.after_and
        guards = self.guards
        last_def = None  # DEF_REPEAT's: the item before's [shape, reader, held, names, called, name, words]
        for k, (and_or, term) in enumerate(items):
            if type(and_or) is Token:  # (_def_item's of a batch: what the loop below does with its tree)
                self.after_and, self.piped_in, self.pipe = outer_and, False, None
                if (
                    last_def is not None
                    and and_or.body[0] is last_def[0]
                    and self.reader is last_def[1]
                    and (last_def[1] is None or (last_def[1].functions is None) is last_def[2])
                    and (name := and_or.text)
                    not in (self._repeat_words(last_def) if last_def[6] is None else last_def[6])
                    and (last_def[4] is not None or name not in self.calls)
                    and not self.off_functions
                    and not self.eats
                ):
                    # (DEF_REPEAT: _define's DEF_PLAIN step with its answer for the body before;
                    # "may end" kept where no function it may reach is defined again.)
                    self.here = False
                    self.pipe = None
                    self.simple_seen = True
                    if last_def[4] is None:
                        self.enders.add(name)
                    else:
                        self.calls[name] = last_def[4]
                    self.ends_memo.clear()
                    self._keep_body(name, and_or, None, reached and not self.ended)
                    continue
                last_def = self._define(and_or.text, None, and_or, reached=reached and not self.ended)
                continue
            last_def = None
            if (
                ONE_COMMAND_ITEMS
                and len(and_or) == 1
                and not (pipeline := and_or[0][1])[0]
                and len(pipeline[1]) == 1
                and (command := pipeline[1][0])[0] == "simple"
            ):
                # An item of one simple command, not negated (`e1="$c -v";`, `eval "$e1";`: most):
                # what the loop below does with it, its steps for one pipeline of one command (no
                # operator, no guard, the command alone unless in the background).
                bg = term == "&"
                here, its_fails, its_exits = reached, fails, exits
                if self.ended:
                    here = its_fails = its_exits = False
                elif self.traps:
                    its_fails = its_exits = False
                self.after_and = outer_and
                decides = here and ((k == n - 1 and not bg and its_fails) or (errexit and not bg and its_exits))
                if bg:
                    kept = self.ended, self.traps
                    self.traps = set(self.traps)
                self.here = here
                self.piped_in = False
                state = self._simple(
                    command[1], here and not bg, decides, errexit, pipefail, False, errexit and here and not bg
                )
                if bg:
                    self.ended, self.traps = kept[0] or self.eaten, kept[1]
                elif state is not None:
                    errexit, pipefail = state
                continue
            last = k == n - 1
            opened = False
            bg = term == "&"
            # The last `||` of the list: a command before it does not give the list's status
            # (an index, not a slice of the operators after each command: a list of 8,000
            # `&&`s once took 16 s; a pipeline alone, the commonest item, has none).
            last_or = -1 if len(and_or) == 1 else max((i for i, (op, _) in enumerate(and_or) if op == "||"), default=-1)
            final = len(and_or) - 1
            guarded = False  # a test before it in the list (`command -v claude && claude -v`)
            # The pipeline before it fails if it runs (`false`: `false && claude` never runs claude),
            # and surely ran (`false || claude -v` surely does).
            fails_before = failed = False
            for j, (op, (negated, commands)) in enumerate(and_or):
                reaches, its_fails, its_exits = reached, fails, exits
                if self.ended:
                    reaches = its_fails = its_exits = False  # (the shell may have ended before it)
                elif self.traps:
                    its_fails = its_exits = False  # (an EXIT trap's action may set the status)
                if failed and op == "||":
                    guarded = False  # (no test's failure: it surely runs, as a first one does)
                here = reaches and (j == 0 or (op == "||" and failed) or (op == "&&" and not fails_before))
                self.after_and = outer_and or j > 0
                if j:
                    self._guard(op, opened)
                    opened = True
                last_of_and_or = j == final
                # (Quiet: a failure errexit ignores, a test's before `&&` or that of any command of
                # an and-or list but its last, gives the group a status that does not set it off:
                # `set -e; { claude && true; }; echo ok` passes, as POSIX has it.)
                status = (
                    last_or <= j and last and not bg and its_fails and not (quiet and (guarded or not last_of_and_or))
                )
                for q, command in enumerate(commands):
                    to_pipeline = not negated and (q == len(commands) - 1 or pipefail)
                    # (Under errexit, a test's failure before `&&` skips the rest and ends the list
                    # quietly: what follows may never run, so its failure is not sure to end the shell.)
                    decides = (
                        here
                        and to_pipeline
                        and (status or (errexit and last_of_and_or and not bg and its_exits and not guarded))
                    )
                    alone = len(commands) == 1 and not bg  # in this shell, not a subshell
                    inner_errexit = errexit and not negated and last_of_and_or
                    if not alone:
                        kept = self.ended, self.traps
                        self.traps = set(self.traps)  # (at most 5: its traps are its own; its functions kept)
                    self.here = here
                    self.piped_in = q > 0
                    state = self._command_eval(
                        command,
                        here and alone,
                        decides,
                        its_exits if alone else decides,
                        inner_errexit,
                        pipefail,
                        errexit,
                        q < len(commands) - 1,
                        quiet or not status,
                    )
                    if not alone:
                        self.ended, self.traps = kept[0] or self.eaten, kept[1]
                    if alone and state is not None:
                        errexit, pipefail = state
                if j < final:  # (what the pipeline after it reads: none after the last)
                    # (After `||` the list goes on whatever came before: `test -f x || true && claude`.)
                    guarded = (guarded and op != "||") or negated or (len(commands) == 1 and _is_guard(commands[0]))
                    fails_before = (
                        len(commands) == 1
                        and commands[0][0] == "simple"
                        and len(commands[0][1]) == 1
                        and self._fails(commands[0][1][0].text, negated)
                    )
                    failed = here and fails_before
                if op == "||":
                    guards.pop()
                    opened = False
                    self.ors += 1
            if opened:
                guards.pop()
        self.after_and = outer_and
        return errexit, pipefail

    def _command_eval(self, command, reached, decides, exits, inner_errexit, pipefail, errexit, piping, quiet=False):
        kind = command[0]
        if kind == "simple":
            return self._simple(command[1], reached, decides, errexit, pipefail, piping, inner_errexit and reached)
        self.pipe = None
        if kind == "function":
            self._define(command[1], command[2], text=command[3], reached=reached)
            return None
        if kind == "group":
            _, body, subshell = command
            if subshell:  # its errexit, pipefail, traps, ending and variables are its own
                kept = self.ended, self.traps
                self.traps = set(self.traps)  # (at most 5: its traps are its own; its functions kept)
                self.subshells += 1
                # (So are the functions it defines or unsets: _Reader.functions, copied as it changes them.)
                functions = None if self.reader is None else self.reader.functions
                if functions is not None:
                    self.reader.functions_shared = True
                self._list_eval(body, reached, decides, decides, inner_errexit, pipefail)
                if self.reader is not None:
                    self.reader.functions = functions
                    self.reader.functions_shared = functions is not None
                self.subshells -= 1
                self.ended, self.traps = kept[0] or self.eaten, kept[1]
                return None
            state = self._list_eval(body, reached, decides, exits, inner_errexit, pipefail, quiet)
            return (errexit if inner_errexit == state[0] else state[0], state[1])
        if kind == "if":
            _, branches, other = command
            sure = False
            for cond, body in branches:
                self._list_eval(cond, False, False, False, False, False)
                words = [c[1] for ao, _ in cond for _, (_, cs) in ao for c in cs if c[0] == "simple"]
                sure = (
                    len(cond) == 1
                    and len(cond[0][0]) == 1
                    and not cond[0][0][0][1][0]
                    and len(words) == 1
                    and len(words[0]) == 1
                    and words[0][0].text in _SURELY_TRUE
                )
                self._list_eval(
                    body, reached and sure, decides and sure, exits and sure, inner_errexit, pipefail, quiet
                )
                if sure:
                    break
            if other is not None:
                self._list_eval(other, False, False, False, False, False)
            return self._maybe_off(
                [x for branch in branches for x in branch] + ([other] if other else []), errexit, pipefail
            )
        # Loops and `case`: what is in them decides nothing, but a list that surely runs once.
        _, lists, chosen, bound = command
        if bound is not None:
            self._bind(*bound, reached)
        state = None
        for k, body in enumerate(lists):
            if k == chosen:
                state = self._list_eval(body, reached, decides, exits, inner_errexit, pipefail, quiet)
            else:
                self._list_eval(body, False, False, False, False, False)
        if state is None:
            return self._maybe_off(lists, errexit, pipefail)
        return (errexit if inner_errexit == state[0] else state[0], state[1])

    def _define(self, name: str, bodies, t: Token | None = None, text=None, reached: bool = False) -> list | None:
        """The function ``name`` defined, not run (``bodies``: its tree's, a list of one command;
        or None and ``t``, its plain definition's "def" token): a call of it may end the shell
        when its body may (or sets a trap). ``text``: its body's, where a call's words are its
        positional parameters (the tree's fourth element: its `{ }` body's span in the script
        walked; a plain definition's, from ``t``), ``reached``: the definition surely runs (the
        reader reads its calls that decide: _Reader.define). Returns what DEF_REPEAT takes again
        for the next definition of the same body (_list_eval), where its DEF_PLAIN step decided
        it: [shape, reader before, its functions None, names, their frozenset or None for "may
        end", the name, the words (_repeat_words)]; None otherwise."""
        if (
            t is not None
            and text is None
            and FAST_FUNCTIONS
            and DEF_PLAIN
            and not self.off_functions
            and not self.eats
            and (names := self._plain_body(t.body[0])) is not None
        ):
            # What the steps below do with a body _plain_simple decides whole, in one: it sets
            # no trap and turns nothing off; it may end the shell through a function it calls,
            # else its calls are noted (one frozenset for each list of names: a line of 500,000
            # `fN() { echo hi; };` held a set for each, 100 MB).
            self.here = False
            self.pipe = None
            self.simple_seen = True
            r = self.reader  # (before _keep_body, which may make one)
            if any((n in self.enders or n in self.calls) and self._may_end(n) for n in names):
                self.enders.add(name)
                called = None
            else:
                key = tuple(names)
                called = self.call_sets.get(key)
                if called is None:
                    called = self.call_sets[key] = frozenset(names)
                self.calls[name] = called
            self.ends_memo.clear()
            self._keep_body(name, t, text, reached)
            if DEF_REPEAT:
                # (What DEF_REPEAT may take again for the next item of the same body: its words
                # made and checked there, _repeat_words.)
                return [t.body[0], r, r is not None and r.functions is None, names, called, name, None]
            return None
        kept = self.ended, self.traps, self.called
        self.ended, self.traps, self.called = False, set(), set()
        self.in_function += 1  # (`return` there ends the function, not the shell)
        if t is not None and FAST_FUNCTIONS:
            fast = self._unreached_items(None, t)
        else:
            bodies = bodies or _def_tree(t)[2]
            fast = all([self._unreached(body) for body in bodies])
        self.in_function -= 1
        # (_turns_off reads only `set`, `eval` and the functions of off_functions, none of
        # which _plain_simple decides: a body it decided whole turns nothing off.)
        if not (fast and not self.off_functions):
            off = _turns_off(bodies or _def_tree(t)[2], self.off_functions)
        else:
            off = (False, False)
        if off[0] or off[1]:
            self.off_functions[name] = off  # (a call of it may turn them off: _simple)
        else:
            self.off_functions.pop(name, None)
        if self.ended or self.traps:
            self.enders.add(name)
        else:
            self.calls[name] = self.called  # (what it calls may be defined later)
        self.ends_memo.clear()
        self.ended, self.traps, self.called = kept
        self._keep_body(name, t, text, reached)

    def _repeat_words(self, memo: list) -> frozenset:
        """DEF_REPEAT's words for the definition answer ``memo`` (_list_eval's ``last_def``), made
        at its first reuse: the names a definition that takes it again must not have (its body's
        first words, their names, the name it defined). An answer "does not end the shell" is
        taken again only where none of the body's names is a function (nor becomes one: none is
        defined while it is taken), "may end" in any case (more definitions keep it so); where
        one is, the words are every name (none takes it again)."""
        names, called = memo[3], memo[4]
        if called is not None and any(n in self.enders or n in self.calls for n in names):
            words = _ANY_NAME_SET
        else:
            words = frozenset(names).union([w[0][2] for w in memo[0]], [memo[5]])
        memo[6] = words
        return words

    def _keep_body(self, name: str, t: Token | None, text, reached: bool) -> None:
        """_define's last step: the walk's reader keeps the body of a function surely defined,
        read at a call that decides (_Reader.define), and forgets any other of the name."""
        r = self.reader
        if reached and (t is not None or text is not None):
            # (_Reader.define's, for a body it surely defined, in one step: a line of 500,000.)
            if r is None:
                r = self._new_reader()
            functions = r.functions
            if functions is None or r.functions_shared:
                functions = r._own_functions()
            if text is None:  # (its `{` the first after its name: _Reader._call)
                functions[name] = (self.m, t.a + len(t.text), t.b, r.evals, False)
            else:
                functions[name] = (self.m, text[0], text[1], r.evals, False)
            functions.pop(name + _ALT, None)  # (surely this one: _Reader.define)
        elif r is not None:
            r.define(name, None)  # (a body not known, or maybe not defined: no call read)

    def _plain_body(self, shape: tuple) -> list[str] | None:
        """The names of the commands of the plain body of ``shape`` (a "def" token's: its
        commands' words) when _plain_simple, asked in _unreached_items, decides every one with
        nothing else changed before: each first word's name is one it records as it is and the
        walk reads nothing of (no reader's files or stage files then, nor functions but where
        DEF_PLAIN_HELD checks each first word: those are left to it); None for any other."""
        r = self.reader
        if not (FAST_SIMPLE and (PLAIN_COMMANDS if r is None else r.plain_commands)):
            return None
        held = None  # (the reader's functions, DEF_PLAIN_HELD's: each first word checked)
        if r is not None:
            if r.files:
                return None
            if r.functions is not None:
                if not DEF_PLAIN_HELD:
                    return None
                held = r.functions
        if r is None and self.staged is not None and STAGE_FILES in self.staged:
            return None
        plain_name = (r or _BLANK).plain_name
        names = []
        for words in shape:
            w0 = words[0][2]
            name = plain_name(w0, False)
            if name is None or name in _WALK_NAMES:
                return None
            if held is not None and (w0 in held or name == "unset"):
                return None  # (a call, or `unset`: _plain_simple's refusal)
            names.append(name)
        return names

    def _bind(self, name: str, word: Token, reached: bool) -> None:
        """`for NAME in WORD`: the walk's reader reads NAME=WORD there (_runs_once)."""
        r = self._new_reader() if self.reader is None else self.reader
        at = self.m.offsets[word.a : word.b]
        assigned = _Mapped(f"{name}={word.text}", [None] * (len(name) + 1) + list(at))
        r.sure_context = reached and not self.subshells
        r.after_and, r.guards, r.ors = self.after_and, self.guards, self.ors
        r.child = self.depth > 0 and id(self.m) != self.only_body
        r._assign(assigned, [Token("word", assigned.s, 0, len(assigned.s))], True)

    def _unreached(self, body) -> bool:
        """_list_eval of a function's body (``body``, a list of one command), which runs nowhere
        it decides anything: a `{ }` group's plain commands (_plain_simple's) decided in one loop,
        the rest of it through _list_eval. True when _plain_simple decided the whole body."""
        group = body[0][0][0][1][1][0]  # (_command's: one item, one pipeline, one command)
        if not (FAST_FUNCTIONS and group[0] == "group" and not group[2]):
            self._list_eval(body, False, False, False, False, False)
            return False
        return self._unreached_items(group[1])

    def _unreached_items(self, items, t: Token | None = None) -> bool:
        """_unreached of a `{ }` group's ``items``; or of None and ``t``, a plain definition's
        "def" token, whose body's commands are plain words (``t.body``: no tree built, nor any
        token made, unless one of them is left to _list_eval)."""
        # What _list_eval and _command_eval do before they read the group's commands.
        self.here = False
        self.pipe = None
        if t is not None:
            shape, a = t.body
            for k, words in enumerate(shape):
                if self._plain_simple(words[0][2], a + words[0][0], False, False):
                    continue
                self._list_eval(_def_items(t)[k:], False, False, False, False, False, True)
                return False
            return True
        for k, (and_or, term) in enumerate(items):
            toks = None
            if len(and_or) == 1 and term != "&" and not (pipeline := and_or[0][1])[0] and len(pipeline[1]) == 1:
                kind, words = pipeline[1][0][:2]
                if kind == "simple" and all(w.kind != "redir" for w in words):
                    toks = words
            if toks is not None and self._plain_simple(toks[0].text, toks[0].a, False, False):
                continue
            self._list_eval(items[k:], False, False, False, False, False, True)  # (its items are independent)
            return False
        return True

    def _maybe_off(self, lists, errexit: bool, pipefail: bool) -> tuple[bool, bool] | None:
        """errexit and pipefail after a compound that may run ``lists`` or not (an `if`, a loop):
        off where they may turn it off (_turns_off), else None (unchanged)."""
        if not (errexit or pipefail):
            return None
        off_e, off_p = _turns_off(lists, self.off_functions)
        if not (off_e or off_p):
            return None
        return errexit and not off_e, pipefail and not off_p

    def _ends(self, commands, reached) -> None:
        """Note what a simple command (``commands``: it and what its wrappers run) does to the
        shell's end: it may end the shell (`exit`, `exec CMD`, `return`, `.`/`source`, a
        function of the script that may, an `eval` of a string that may), or set or reset a
        trap run as the shell ends (EXIT, 0; bash's ERR, DEBUG, RETURN)."""
        for c in commands:
            argv, name = c.argv, c.name
            if c.nested or name == "command" and len(argv) > 1 and argv[1] != "-v" and argv[1] != "-V":
                continue  # (`command exit 0`: the next is the one it runs)
            if name == "builtin" and len(argv) > 1:
                argv = argv[1:]
                name = argv[0]
            if self.in_function:
                self.called.add(name)
            if name == "return" and self.in_function:
                pass
            elif name in _ENDERS or (name == "exec" and len(argv) > 1) or self._may_end(name):
                self.ended = True
            elif name == "set" and shell_options(argv, 1).noexec:
                self.ended = True  # (`set -n`, `set -o noexec`: nothing after it runs)
            elif name == "shift" and (self.reader is None or self.reader.args is None):
                # Past the parameters there are (or where they are not known), dash ends: a
                # special builtin's error (bash goes on; the reader: _Reader._command).
                self.ended = True
            elif name == "eval":
                text = " ".join(argv[1:])
                if any(ch in text for ch in "$`.") or _ENDING_WORDS.search(text):
                    self.ended = True  # (it may run anything, or does run what may end the shell)
                elif self.enders or self.calls:
                    self.ended = any(self._may_end(w) for w in text.split()) or self.ended
            elif name == "trap":
                self._trap(argv, reached)
            return

    def _may_end(self, name: str) -> bool:
        """The function ``name`` may end the shell: it may, or a function it calls (defined
        before or after it) may; past 64 functions, assumed so."""
        if name in self.enders:
            return True
        if name not in self.calls:
            return False
        # Remembered until the next definition: a function of n calls called n times walked
        # its n callees each time (quadratic; a review found it).
        got = self.ends_memo.get(name)
        if got is None:
            got = self.ends_memo[name] = self._walk_calls(name)
        return got

    def _walk_calls(self, name: str) -> bool:
        seen, todo = {name}, [name]
        while todo:
            for callee in self.calls.get(todo.pop(), ()):
                if callee in self.enders or len(seen) > 64:
                    return True
                if callee in self.calls and callee not in seen:
                    seen.add(callee)
                    todo.append(callee)
        return False

    def _trap(self, argv, reached) -> None:
        ops = argv[1:]
        while ops and ops[0].startswith("-") and ops[0] != "-":
            if ops[0] == "--":
                ops = ops[1:]
                break
            if any(ch in ops[0] for ch in "pl"):
                return  # (prints the traps or the signals)
            ops = ops[1:]
        if not ops:
            return
        if len(ops) == 1 or ops[0] == "-" or ops[0] == "" or ops[0].isdigit():
            # `trap EXIT`, `trap - EXIT`, `trap '' EXIT` (ignored), `trap 0 EXIT`: reset, where surely run
            conditions = ops if len(ops) == 1 or ops[0].isdigit() else ops[1:]
            if reached:
                self.traps.difference_update(_trap_condition(c) for c in conditions)
            return
        for c in ops[1:]:
            cond = _trap_condition(c)
            if cond in _ENDING_TRAPS:
                self.traps.add(cond)
            elif "$" in c or "`" in c:
                self.traps.add("?")  # (a condition not known: one entry, the set stays small)

    def _plain_simple(self, w0: str, a: int, decides: bool, piping: bool) -> bool:
        """A command without redirections whose first word is ``w0`` (at ``a``), when the reader
        records it as it is (Reader.plain_name) and it names nothing the walk reads (_WALK_NAMES):
        what _simple's general path does with the one command it gets, without reading it (an
        `&&` list of 800,000 commands); False (nothing done) for any other."""
        r = self.reader
        if not (FAST_SIMPLE and (PLAIN_COMMANDS if r is None else r.plain_commands)):
            return False
        name = (r or _BLANK).plain_name(w0, piping or getattr(self, "pipe", None) is not None)
        if (
            name is None
            or (r.files if r is not None else self.staged is not None and STAGE_FILES in self.staged)
            or name in _WALK_NAMES
            or (self.off_functions and name in self.off_functions)
            or (r is not None and r.functions is not None and (w0 in r.functions or name == "unset"))
        ):
            return False
        self.pipe = None
        self.simple_seen = True
        if (name in self.enders or name in self.calls) and self._may_end(name):
            self.ended = True
        self._plain_again(w0, name, a, decides)  # (the rest: what a first word said yes to before gets)
        return True

    def _last_substitution(self, toks, errexit: bool, pipefail: bool, plain: bool = False, entry=None) -> None:
        """``toks``, a command that decides and has no redirection nor command name, exits with
        the status of its last command substitution (`x=$(claude -v)`, `a=1 b=`claude -v``:
        POSIX; dash and bash alike): walk that substitution's script as a subshell whose failure
        fails the command (SUBST_STATUS). It inherits errexit with dash, not with bash (which
        clears it in a command substitution); pipefail with both; the functions defined so far.
        Nothing where a word is not a plain `NAME=` assignment (`"x"=…` is a command, bash's
        `x+=` dash's command) or holds a `${` (`x=${v:-$(claude -v)}`: the substitution may not
        run). ``plain``: each word is known to be `NAME=$(…)` of no `${` (_assigns_plain_sub's).
        ``entry``: the one word's LAST_SUB_MEMO entry, its name checked (ROW_ENTRY: _row_entry's)."""
        m = self.m
        t = toks[-1]
        hit = None  # (LAST_SUB_MEMO's entry for the one word, where its span holds its text)
        if entry is not None and t.b - t.a == len(t.text) and m.s.startswith(t.text, t.a):
            hit = entry  # (the look-up below, made by _row_entry)
            base = t.a + t.text.find("=") + 1
            if not plain and not (hit[0] and t.kind == "word"):
                return
        elif (
            LAST_SUB_MEMO
            and len(toks) == 1
            and (i := t.text.find("=")) > 0
            and (name := t.text[:i]).isidentifier()
            and name.isascii()
            and t.b - t.a == len(t.text)
            and m.s.startswith(t.text, t.a)
        ):
            value = t.text[i + 1 :]
            hit = _LAST_SUBS.get(value)
            if hit is None:
                hit = _last_sub_entry(value)
                if len(value) <= _MEMO_TEXT:
                    if len(_LAST_SUBS) >= 4096:
                        _LAST_SUBS.clear()
                    _LAST_SUBS[value] = hit
            if not plain and not (hit[0] and t.kind == "word"):
                return
            base = t.a + i + 1  # (the value's start: the entry's places are in it)
        elif not plain and not all(
            t.kind == "word" and _PLAIN_ASSIGN.match(t.text) and "${" not in t.text for t in toks
        ):
            return
        line = None  # the substitution's tokens, when it is one plain command (SUBST_PLAIN)
        if hit is not None:
            if SUBST_PLAIN and (body := hit[1]) is not None:
                lo, hi = base + hit[2], base + hit[3]
                line = _one_command_line(body)
        elif SUBST_PLAIN and (one := _ASSIGN_PLAIN_SUB.fullmatch(m.s, t.a, t.b)) is not None:
            # The last word is `NAME=$(plain words)`: its substitution is the last (those of the
            # words before it end before it), one simple command of the words _PLAIN_COMMAND
            # allows (what tokenize reads there): walked as a plain script, not tokenized twice.
            lo, hi = one.span(1)
            body = sys.intern(one.group(1))  # (one string for all the bodies of that text: queued)
            line = _one_command_line(body)
        if line is not None:
            text, start, stop = body, lo, hi
        elif hit is not None and SUBST_WORDS and hit[4] is not None:
            text, start, stop = hit[4], base + hit[5], base + hit[6]
        elif (
            hit is None
            and SUBST_WORDS
            and (one := _ASSIGN_WORDS_SUB.fullmatch(m.s, t.a, t.b)) is not None
            and "$" in one.group(1)
            and _ONE_WORDS.fullmatch(one.group(1)) is not None
            and (first := _PLAIN_WORD.search(one.group(1))) is not None
            and first.group() not in _NOT_PLAIN_FIRST
        ):
            # `y=$(echo $x)`: its substitution is that body, as tokenize finds it (SUBST_WORDS).
            text, (start, stop) = one.group(1), one.span(1)
        else:
            a = toks[0].a
            subs = tokenize(m.s[a : t.b])[1]
            if not subs:
                return
            # The last performed: the one that ends last (one nested in another ends before it).
            last = max(subs, key=lambda t: (t.b, -t.a))
            text, start, stop = last.text, a + last.a, a + last.b
        if self.depth >= MAX_NESTING or self.budget < len(text):
            return
        self.budget -= len(text)
        r = self.reader
        quoted = start and m.s[start - 1] == "`" and "\\" in text  # (read as _backquoted reads it)
        if LAZY_BODIES and not quoted and not self.bash_now and (r is None or not r.functions):
            # (LAZY_BODIES: its _Mapped made as it is walked, from its script and place.)
            self.work.append((text, m, start, errexit, pipefail, self.depth + 1, line))
            return
        inner = _backquoted(text, m.offsets[start:stop]) if quoted else _Mapped(text, m.offsets[start:stop])
        if r is not None and r.functions:
            r._sees_functions(inner)  # (a subshell: the functions defined before it, CARRY_FUNCTIONS)
        if self.bash_now:
            self.bash_ids.add(id(inner))
        self.work.append((inner, True, True, errexit and not self.bash_now, pipefail, self.depth + 1, line))

    def _assignments(
        self, toks, reached, decides, errexit, pipefail, piping, subst: bool = True, plain: bool = True, entry=None
    ) -> None:
        """_simple of a command of assignments `NAME=$(plain words)` alone, the first of its
        words a plain name of no feeder (_assigns_plain_sub; ASSIGN_WALK): the reader's _command
        comes to _assign there (no command name, so no function is called or unset; no
        redirection, no command recorded, nothing queued; _substituted's FEEDER_FIRST answer,
        so nothing spent), and what _simple does after it to the eating of stdin and
        _last_substitution. What the general path sets in the reader for each command and only
        a command it records or queues reads is left as it was (the next one sets it again).
        ``subst`` False: assignments that substitute nothing (ASSIGN_PLAIN_WALK): no stdin read,
        no status of a substitution. ``plain`` False: words of SUBST_ASSIGN_WALK, which
        _last_substitution checks as the general path has it check them."""
        r = self._new_reader() if self.reader is None else self.reader
        r.depth, r.budget = 0, self.budget
        r.sure_context = reached and not self.subshells
        r.after_and, r.guards, r.ors = self.after_and, self.guards, self.ors
        r.child = self.depth > 0 and id(self.m) != self.only_body
        piped = getattr(self, "pipe", None)
        if len(r.vars) < 256 or not (VARS_FULL and len(toks) == 1 and r._full_for(toks[0][1])):
            r._assign(self.m, toks, piped is None and not piping)
        self.pipe = None
        self.budget = r.budget
        if not subst:
            return
        if self.eats and not self.piped_in:
            self._eat()  # (`x=$(head -1)`: the substitution reads it)
        if SUBST_STATUS and decides:
            self._last_substitution(toks, errexit, pipefail, plain, entry)

    def _plain_again(self, w0: str, name: str, a: int, decides: bool) -> None:
        """What _plain_simple does for a command alone in its pipeline, of the first word ``w0``
        (named ``name``), once it said yes to it, past the enders' check: alone for a word it said
        yes to before (_plain_eval's ``passed``: not a name of enders or calls; the walk's pipe is
        None and a simple command was seen since)."""
        if decides:
            offsets = self.m.offsets
            if type(offsets) is not list:
                self.out.add(offsets[a])  # (m.span's start: only a list holds None)
                if self.named is not None:
                    _add_named(self.named, offsets[a], name)
            else:
                sp = self.m.span(a, a + len(w0))
                if sp is not None:
                    self.out.add(sp[0])
                    if self.named is not None:
                        _add_named(self.named, sp[0], name)
        if self.in_function:
            self.called.add(name)
        if self.eats and not self.piped_in and name not in _NO_STDIN:
            self._eat()

    def _new_reader(self) -> _Reader:
        """The walk's reader, made when it first reads something (not for each RUN)."""
        r = self.reader = _Reader()
        r.work = deque()  # (the walk reads and clears it: _simple)
        r.args = self.top_args
        if self.staged:
            r.seed(self.staged)
        return r

    def _eat(self) -> None:
        """A command that may read the shell's stdin, which holds the rest of the script (bash
        reads a script on its stdin a byte at a time, or seeks back, so that a command gets what
        follows: `bash <<EOF` with `read x` or `cat > /dev/null`, then `claude -v`, runs no
        claude): what follows may never run. In a function, its calls may (_may_end)."""
        self.ended = True
        if not self.in_function:
            self.eaten = True  # (what a subshell or a pipeline's command reads is gone after it too)

    def _simple(self, toks, reached, decides, errexit, pipefail, piping, call_errexit=False):
        """Mark what the simple command ``toks`` runs that decides; returns (errexit, pipefail)
        after it, or None for no change. ``call_errexit``: errexit is on where it stands and not
        ignored there (the last of its and-or list, not negated, not in a condition, alone in
        this shell): a function it calls runs its body with it on (CALLER_ERREXIT)."""
        if (
            ASSIGN_WALK
            and "=$(" in toks[0].text
            and (NAME_PAST_PREFIX or self.reader is None or self.reader.functions is None)
            and all(t.kind == "word" and _assigns_plain_sub(t.text) for t in toks)
        ):
            # `v=$(date +%s)`: what the general path below comes to for it (_assignments; no
            # first word _plain_simple says yes to: an assignment's).
            self._assignments(toks, reached, decides, errexit, pipefail, piping)
            return None
        if (
            SUBST_ASSIGN_WALK
            and "=$(" in toks[0].text
            and (NAME_PAST_PREFIX or self.reader is None or self.reader.functions is None)
            and all(t.kind == "word" and _ASSIGN_WORDS_SUB.fullmatch(t.text) is not None for t in toks)
        ):
            # `y=$(echo $x)`: the same, its last substitution found as the general path finds it.
            self._assignments(toks, reached, decides, errexit, pipefail, piping, True, False)
            return None
        if (
            ASSIGN_PLAIN_WALK
            and "=" in toks[0].text
            and (NAME_PAST_PREFIX or self.reader is None or self.reader.functions is None)
            and all(t.kind == "word" and _NO_SUBST.fullmatch(t.text) is not None for t in toks)
        ):
            # `e1="$c -v"`, `v=1`: the same, with no substitution (ASSIGN_PLAIN_WALK).
            self._assignments(toks, reached, decides, errexit, pipefail, piping, False)
            return None
        if (
            not (EVAL_FIRST and toks[0][1] == "eval")
            and all(t.kind != "redir" for t in toks)
            and self._plain_simple(toks[0].text, toks[0].a, decides, piping)
        ):
            if self.eats and not self.piped_in and _substitutes(toks):
                self._eat()  # (`echo $(head -1)`: the substitution reads it)
            return None
        r = self._new_reader() if self.reader is None else self.reader
        # (every_body: a call of a function, its body decides too, _Reader._call; write_sure: a
        # file it writes, in a pipeline or a subshell too.)
        self._command_reader(
            r, self.doc_ordinals, reached and not self.subshells, decides, self.here, self.after_and, self.ors
        )
        r.child = self.depth > 0 and id(self.m) != self.only_body  # (`RUN <<EOF`'s body is the RUN's script)
        piped = getattr(self, "pipe", None)
        if (
            EVAL_WALK
            and len(toks) == 2
            and toks[0][1] == "eval"
            and toks[0][0] == "word"
            and toks[1][0] == "word"
            and EVAL_ONE
            and r.functions is None
            and not r.files
            and not r.aliases
            and not (self.eats and not self.piped_in)
            and not (toks[1][1][1:] if toks[1][1][:1] == '"' else toks[1][1]).startswith(("$(", "`"))
        ):
            return self._eval_walked(r, toks, decides, errexit, pipefail, call_errexit)
        # (The reader's shortcut for a command with no redirection, as the splitter gives it.)
        redirs = any(t.kind == "redir" for t in toks)
        self.pipe = r._command(self.m, toks, False, 0, piped, piping, redirs)
        self.budget = r.budget
        if self.unsure_names is not None and r.script.unsure_names:
            self.unsure_names.extend(r.script.unsure_names)
        commands = r.script.commands
        self.simple_seen = self.simple_seen or bool(commands)
        state = None
        through_find = False
        shell_state = (False, False)
        runs_bash = self.bash_now  # (what it runs in this shell: `eval`, `$c`, `.`)
        for c in commands:
            if (
                decides
                and not through_find
                and c.spans
                and (sp := c.spans[0]) is not None
                and sp[0] not in r.bash_only
                and "$" not in c.argv[0]
                and "`" not in c.argv[0]
                and not (r.aliases and c.argv[0] in r.aliases)
            ):
                # (A name that is an expansion, `$c`: the command it expands to decides, read at
                # the same span, where it is sure.)
                self.out.add(sp[0])
                if self.named is not None:
                    _add_named(self.named, sp[0], c.name)
            if c.name == "builtin":
                # bash's: dash has none (the RUN fails there with "not found", running nothing
                # after it), so what it runs does not surely run.
                through_find = True
            elif c.name in _STATUS_NAMES and status_lost(c.argv):
                # `find -exec CMD ;`, `trap CMD EXIT`, `xargs -r CMD`, `setsid -f CMD`: its exit
                # status is not CMD's (or CMD may not run at all).
                through_find = True
            elif c.name in SHELLS:
                shell_state = _shell_options(c.argv, False, False)
                runs_bash = c.name == "bash"
            elif c.name in SOURCES:
                shell_state = (errexit, pipefail)  # `. /dev/stdin`: this shell runs it
        if r.executed is not None and len(commands) == 1:
            # A file executed by its path: the shell its `#!` line names runs it, with its options
            # (`#!/bin/bash -e`: bash, errexit; bash's syntax is bash's there); none, the one
            # that executes it (dash: a RUN's shell runs a file without the line).
            kind, src = r.executed
            text = src.s if kind == "mapped" else self.docs[src].content if src < len(self.docs) else None
            bang = None if text is None else _shebang(text)
            options = None if bang is None else _shebang_options(bang)
            if options is not None:
                shell_state, runs_bash = options, bang.name == "bash"
        if commands:
            self._ends(commands, reached)
        if (
            self.eats
            and not self.piped_in
            and (any(_may_read(c, r) for c in commands if not c.nested) or _substitutes(toks))
            and not any(t.kind == "redir" and t.text.lstrip("0")[:1] == "<" for t in toks)
        ):
            self._eat()  # (a redirection of fd 0 gives it another stdin: `read x < f`)
        if commands:
            last = commands[-1]
            if last.name == "set" and not through_find and len(commands) == 1:
                new = _shell_options(last.argv, errexit, pipefail)
                if _set_expands(last.argv):
                    new = (False, False)  # (`set +$o`, `set $OPTS`: any option, off too)
                # Turning an option on counts only where the `set` surely runs (off: always).
                state = (new[0] if reached or not new[0] else errexit, new[1] if reached or not new[1] else pipefail)
            if last.name == "eval":
                shell_state = (errexit, pipefail)
            off = self.off_functions.get(last.name) if self.off_functions else None
            if last.name == "eval" and not through_find:
                words = " ".join(last.argv[1:]).split()  # (`eval 'set +e'`: the string's words)
                if words[:1] == ["set"]:
                    new = _shell_options(words, True, True)
                    off = (not new[0], not new[1])
            if off is not None and (off[0] or off[1]) and (len(commands) == 1 or last.name == "eval"):
                # A function whose body may turn them off (`f() { set +e; }; f`), `eval 'set +e'`.
                state = (errexit and not off[0], pipefail and not off[1])
        if SUBST_STATUS and decides and not commands and not redirs and not r.work:
            self._last_substitution(toks, errexit, pipefail)
        if r.work or r.stdin_docs:
            self._queue_read(r, decides and not through_find, shell_state, (call_errexit, pipefail), runs_bash)
        return state

    def _command_reader(
        self,
        r: _Reader,
        doc_ordinals,
        sure_context: bool,
        every_body: bool,
        write_sure: bool,
        after_and: bool,
        ors: int,
    ) -> None:
        """The reader ``r`` set to read one command for the walk (_simple's general path,
        EXPANSION_WALK): a new script, nothing queued, and what it found of the last command
        emptied (new sets only where the last one added to them: nothing else holds them, and
        most commands add nothing). What it may queue is what the walk may still read: paid for
        as it is queued (_Reader._queue), before the walk reads it, so that a value used many
        times (`eval "$c"` on every line, all read after the line) is not put together more
        often than it may be read."""
        r.script = Script()
        r.work.clear()
        r.depth, r.budget = 0, self.budget
        r.doc_ordinals = doc_ordinals
        if r.stdin_docs:
            r.stdin_docs = set()
        if r.unsure:
            r.unsure = {}
        if r.unsure_docs:
            r.unsure_docs = set()
        if r.bash_only:
            r.bash_only = set()
        if r.stdin_shells:
            r.stdin_shells = None
        r.executed = None
        r.sure_context = sure_context
        r.every_body = every_body
        r.write_sure = write_sure
        r.after_and, r.guards, r.ors = after_and, self.guards, ors

    def _queue_read(self, r: _Reader, decides: bool, state: tuple, called_state: tuple, bash: bool) -> None:
        """What the reader ``r`` queued while reading a command (the scripts nested in it,
        r.work; the heredocs it fed to a shell, r.stdin_docs) moved onto the walk, one level
        deeper: each with ``state`` (errexit, pipefail) as the shell runs it, a function's body
        with ``called_state`` (it runs in this shell, with the call's options), ``bash`` whether
        bash runs it. _simple's general path, EVAL_WALK and EXPANSION_WALK share it."""
        for entry in r.work:
            # (A script that may not run, `./s.sh` with no `chmod +x`: what is in it decides nothing.)
            its = decides and id(entry[0]) not in r.unsure
            state_in = state
            if CALLER_ERREXIT and r.notes and (note := r.notes.get(id(entry[0]))) is not None and note.called:
                # A function's body runs in this shell, with its options (`set -e; f() { claude
                # -v; echo ok; }; f`: claude's failure ends the shell); errexit as the call has it.
                state_in = called_state
            self.work.append((entry[0], its, its, *state_in, self.depth + 1, None))
            if bash:
                self.bash_ids.add(id(entry[0]))
            if r.stdin_shells and id(entry[0]) in r.stdin_shells:
                self.stdin_ids[id(entry[0])] = r.stdin_shells[id(entry[0])]
        r.work.clear()
        if r.stdin_docs:
            for ordinal in r.stdin_docs:
                its = decides and ordinal not in r.unsure_docs
                self.fed_docs[ordinal] = (its, its, *state)
                self.fed_shells[ordinal] = (r.stdin_shells.get(("doc", ordinal)) if r.stdin_shells else None, bash)
            if self.depth and self.docs:
                # A script nested in the line gave a shell its stdin (`bash -c 'sh' <<EOF`): the
                # line's heredocs were read already.
                self._heredocs(False, False, r.stdin_docs)
