"""The values the wrappers of aishell.shell's WRAPPERS check before they run their command (a
usage error or a failed setting: nothing runs), by kind: each checker answers True (the tool
takes it), False (it refuses it, surely: no command runs) or None (not sure: the system decides,
`taskset 4` needs a fifth CPU, `prlimit --nofile=N` a hard limit, `ionice -c 1` a capability).
As Debian 12's tools read them (coreutils 9.1, findutils 4.9, util-linux 2.38, time 1.9, in the
C locale); the WRAPPERS entries name the kind of each option (Wrapper.values) and operand
(Wrapper.operand_values), and aishell.shell.check_value reads a value an expansion gives as not
sure. A module of its own, imported when a file first gives a wrapper a value: the others do not
compile it. tests/test_ais002_wrapper_values.py runs the tools on generated values as the oracle.
"""

from __future__ import annotations

import math
import re

_C_SPACE = " \t\n\v\f\r"
# What C's strtod reads, at the start of a string (C locale): decimal and hex forms, inf, nan.
_STRTOD = re.compile(
    r"(?a)[ \t\n\v\f\r]*[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?"
    r"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?))"
)
# What strtol reads in base 10, the whole string: blanks, a sign, digits (ASCII only).
_STRTOL = re.compile(r"(?a)[ \t\n\v\f\r]*[+-]?[0-9]+")
_DIGITS = re.compile(r"(?a)[0-9]+")
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
# Signal numbers sig2str names (glibc's Linux signals: 0 is EXIT; 32 and 33 are glibc's own).
_SIGNAL_NUMBERS = frozenset(range(0, 65)) - {32, 33}
_SIGNAL_NAMES = {
    name: n
    for n, name in enumerate(
        "EXIT HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP"
        " TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS".split()
    )
} | {"IOT": 6, "CLD": 17, "POLL": 29}
_RTMIN, _RTMAX = 34, 64
_UNCATCHABLE = frozenset({9, 19})  # KILL, STOP: `env --ignore-signal`/`--default-signal` refuse them
# stdbuf's size suffixes (xstrtoumax's "EGkKMPTYZ0": powers of 1024, or of 1000 with `B`/`D` after).
_SIZE = re.compile(r"(?a)(\+?[0-9]+)?(?:([EGkKMPTYZ])(iB|B|D)?)?")
_SIZE_POWERS = {"k": 1, "K": 1, "M": 2, "G": 3, "T": 4, "P": 5, "E": 6, "Z": 7, "Y": 8}
_IO_CLASSES = frozenset({"none", "realtime", "best-effort", "idle"})
# Sizes `xargs -s` surely takes (POSIX's least ARG_MAX): a smaller one may not hold the command.
_XARGS_SURE_SIZE = 4096


def _c_long(text: str) -> int | None:
    """strtol's value of the whole of ``text`` (clamped as it clamps), or None: not all a number."""
    if _STRTOL.fullmatch(text) is None:
        return None
    return max(_LONG_MIN, min(_LONG_MAX, int(text.strip(_C_SPACE))))


def _c_int(text: str) -> int | None:
    """util-linux strtos32_or_err's value of ``text``, or None where it refuses it (out of range too)."""
    if _STRTOL.fullmatch(text) is None:
        return None
    value = int(text.strip(_C_SPACE))
    return value if _INT_MIN <= value <= _INT_MAX else None


def _c_float(text: str) -> tuple[float, str] | None:
    """strtod's value of the start of ``text`` and the rest, or None where it reads no number."""
    m = _STRTOD.match(text)
    if m is None:
        return None
    number = m.group().lstrip(_C_SPACE)
    unsigned = number.lstrip("+-").lower()
    if unsigned.startswith("nan"):
        value = math.nan
    elif unsigned.startswith("0x"):
        value = float.fromhex(number)
    else:
        value = float(number)
    return value, text[m.end() :]


def _duration(text: str) -> bool:
    """GNU timeout's DURATION: a number strtod reads (not negative, nor NaN) and one of `smhd`."""
    read = _c_float(text)
    return read is not None and 0 <= read[0] and read[1] in ("", "s", "m", "h", "d")


def _seconds(text: str) -> bool | None:
    """util-linux strtotimeval_or_err's seconds (`flock -w`): all a finite number, not negative."""
    read = _c_float(text)
    if read is None or read[1] or not 0 <= read[0] < math.inf:
        return False
    return True if read[0] < _LONG_MAX else None


def _signal_number(text: str) -> int | None:
    """The signal coreutils' operand2sig reads ``text`` as (`timeout -s`, `kill -l`), or None."""
    if text[:1].isdigit() and text.isascii():
        if not text.isdigit():
            return None
        value = int(text)
        if value > _INT_MAX:
            return None  # (strtol's long does not fit the int)
        value &= 0xFF if value >= 0xFF else 0x7F
        return value if value in _SIGNAL_NUMBERS else None
    name = text.upper() if text.isascii() else text
    for candidate in (name, name[3:] if name.startswith("SIG") else None):
        if candidate is None:
            continue
        if candidate[:1].isdigit() and candidate.isascii():
            # str2sig of digits: strtol, up to the largest signal, then a name for it.
            if candidate.isdigit() and int(candidate) in _SIGNAL_NUMBERS:
                return int(candidate)
            continue
        if candidate in _SIGNAL_NAMES:
            return _SIGNAL_NAMES[candidate]
        if candidate[:5] in ("RTMIN", "RTMAX"):
            rest = candidate[5:]
            if rest == "":
                n = 0
            elif _STRTOL.fullmatch(rest) is not None:
                n = int(rest.strip(_C_SPACE))
            else:
                continue
            if candidate[:5] == "RTMIN" and 0 <= n <= _RTMAX - _RTMIN:
                return _RTMIN + n
            if candidate[:5] == "RTMAX" and _RTMIN - _RTMAX <= n <= 0:
                return _RTMAX + n
    return None


def _signal(text: str) -> bool:
    return _signal_number(text) is not None


def _signal_list(text: str, uncatchable: bool = True) -> bool:
    """GNU env's `--block-signal=SIGS`: signals split at commas (empty ones skipped), none 0 (EXIT)."""
    numbers = [_signal_number(part) for part in text.split(",") if part]
    return all(n and (uncatchable or n not in _UNCATCHABLE) for n in numbers)


def _buffer(text: str, line: bool = True) -> bool:
    """stdbuf's MODE: `L` (not for stdin), or a size xstrtoumax reads (suffixes, no sign, <= 2**64-1)."""
    text = text.lstrip(_C_SPACE)
    if text == "L":
        return line
    m = _SIZE.fullmatch(text)
    if m is None or not text:
        return False
    digits, suffix, base = m.groups()
    value = int(digits) if digits else 1
    if suffix:
        value *= (1000 if base in ("B", "D") else 1024) ** _SIZE_POWERS[suffix]
    return value < 2**64


def _ioclass(text: str) -> bool | None:
    """ionice's `-c`: a class name, or digits (strtos32); 0, 2 and 3 are set; others the kernel
    may refuse (`-t` ignores that), the real-time class needs a capability a build may not have."""
    if not (text[:1].isascii() and text[:1].isdigit()):
        return text.lower() in _IO_CLASSES  # (names it compares ignoring case)
    value = _c_int(text) if text.isascii() and text.isdigit() else None
    if value is None:
        return False
    return True if value in (0, 2, 3) else None


def _iodata(text: str) -> bool | None:
    """ionice's `-n`: strtos32; 0 to 7 are levels, others the kernel may refuse (or mask)."""
    value = _c_int(text)
    if value is None:
        return False
    return True if 0 <= value <= 7 else None


def _cpus(found: set) -> bool | None:
    """Whether the CPUs a mask or list names hold CPU 0 (surely there), or only others (maybe)."""
    if not found:
        return False  # (sched_setaffinity refuses an empty set)
    return True if 0 in found else None


def _cpumask(text: str) -> bool | None:
    """taskset's MASK, as util-linux cpumask_parse reads it: hex digits from the end (a `0x`
    before them, a comma between skipped); CPU 0 among them, or only others (not sure)."""
    digits = text[2:] if len(text) > 1 and text.startswith("0x") else text
    found: set = set()
    cpu = 0
    i = len(digits) - 1
    while i >= 0:
        if digits[i] == ",":
            i -= 1
            if i < 0:
                return None  # (it reads the byte before the string)
        if digits[i] not in "0123456789abcdefABCDEF":
            return False
        value = int(digits[i], 16)
        found.update(cpu + b for b in range(4) if value >> b & 1)
        cpu += 4
        i -= 1
    return _cpus(found)


def _cpulist(text: str) -> bool | None:
    """`taskset -c LIST`, as util-linux cpulist_parse reads it (N, N-M, N-M:STRIDE, by commas;
    after a number only the last item's rest must be empty: `1x,0` is read). Each range starts
    at its first CPU: CPU 0 is among them when one starts at 0."""
    zero = False
    end = ""
    for item in text.split(","):
        m = _DIGITS.match(item)
        if m is None:
            return False
        first = last = int(m.group())
        end = item[m.end() :]
        if "-" in end:
            end = end[end.index("-") + 1 :]
            m = _DIGITS.match(end)
            if m is None:
                return False
            last, end = int(m.group()), end[m.end() :]
            if ":" in end:
                end = end[end.index(":") + 1 :]
                m = _DIGITS.match(end)
                if m is None or int(m.group()) == 0:
                    return False
                end = end[m.end() :]
        if max(first, last) >= 2**31:
            return None  # (an unsigned int: it wraps, or the loop never ends)
        if first > last:
            return False
        zero = zero or first == 0
    return False if end else True if zero else None


_RLIM_INFINITY = 2**64 - 1


def _ull(text: str) -> int | None:
    """strtoull's value of a match of _STRTOL (a negative number wraps, as C's does); None for
    one out of range (ERANGE)."""
    value = int(text.strip(_C_SPACE))
    if abs(value) > _RLIM_INFINITY:
        return None
    return value if value >= 0 else value + 2**64


def _whole_limit(text: str) -> int | None:
    """A limit prlimit reads as the whole text (`unlimited`, or strtoull's number and nothing
    after it), else None."""
    if text == "unlimited":
        return _RLIM_INFINITY
    m = _STRTOL.match(text)
    return _ull(m.group()) if m is not None and m.end() == len(text) else None


def _rlimit(text: str) -> bool | None:
    """prlimit's `--RESOURCE=LIMITS` as util-linux's get_range reads it: `unlimited`; `:HARD`;
    else SOFT read as far as it is a number (`unlimited` or strtoull's), then `:` alone (the
    soft limit only), `:HARD` (the whole rest a limit) or anything else (the rest ignored: soft
    and hard both SOFT, `0x: ` is 0). No limit read, a HARD with more after it, or a soft limit
    above the hard one fails; another setrlimit may refuse (a hard limit raised without the
    capability, one the command then cannot exec under): not sure."""
    if text == "unlimited":
        return None
    if text.startswith(":"):
        return None if _whole_limit(text[1:]) is not None else False
    if text.startswith("unlimited"):
        low, end = _RLIM_INFINITY, len("unlimited")
    else:
        m = _STRTOL.match(text)
        low = None if m is None else _ull(m.group())
        if low is None:
            return False
        end = m.end()
    if text[end : end + 1] == ":" and end + 1 < len(text):
        high = _whole_limit(text[end + 1 :])
        if high is None or low > high:
            return False
    return None


def _count(least: int, most: int = _LONG_MAX):
    """xargs' parse_num: strtol of the whole value, clamped, from ``least`` to ``most``."""

    def check(text: str) -> bool:
        value = _c_long(text)
        return value is not None and least <= value <= most

    return check


def _xargs_size(text: str) -> bool | None:
    """xargs' `-s`: a number (a small one is raised, one too small for the command fails)."""
    value = _c_long(text)
    if value is None:
        return False
    return True if value >= _XARGS_SURE_SIZE else None


def _exit_code(text: str) -> bool:
    """flock's `-E`: strtos32, 0 to 255."""
    value = _c_int(text)
    return value is not None and 0 <= value <= 255


# The kinds of value the WRAPPERS entries name.
VALUE_KINDS = {
    "duration": _duration,  # timeout's DURATION, `-k`
    "seconds": _seconds,  # flock's `-w`
    "signal": _signal,  # timeout's `-s`
    "signals": _signal_list,  # env's `--block-signal=`
    "catchable signals": lambda text: _signal_list(text, False),  # env's `--default-signal=`, `--ignore-signal=`
    "adjustment": lambda text: _c_long(text) is not None,  # nice's (xstrtol: out of range is clamped)
    "buffer": _buffer,  # stdbuf's `-o`, `-e`
    "input buffer": lambda text: _buffer(text, False),  # stdbuf's `-i` (`L`: "meaningless")
    "io class": _ioclass,
    "io data": _iodata,
    "cpu mask": _cpumask,
    "cpu list": _cpulist,
    "rlimit": _rlimit,
    "count": _count(1),  # xargs' `-n`, `-L`, `-l`
    "procs": _count(0, _INT_MAX),  # xargs' `-P`
    "size": _xargs_size,  # xargs' `-s`
    "exit code": _exit_code,
    "name": lambda text: bool(text) and "=" not in text,  # env's `-u` (unsetenv refuses these)
    "path": bool,  # a file or directory it opens: not the empty name (whether it exists: not known)
    "not known": lambda text: None,  # rlwrap's values: it may refuse one (a file, a number)
    # softlimit's limits: `=` (the hard limit), or digits (scan_ulong: a limit maybe too low for
    # the child), else its usage.
    "softlimit": lambda text: True if text == "=" else None if text.isascii() and text.isdigit() or not text else False,
}
