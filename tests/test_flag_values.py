"""Builder-flag values: the model refuses what every Dockerfile frontend refuses when it reads an
instruction (HEALTHCHECK durations and retries, RUN --network/--security choices, boolean
flags, an empty --mount, a repeated flag), and nothing else.

Two oracles: Engine 28.5's verdicts, recorded below from `docker buildx build --call=outline`
(each line in the target stage, and in a stage the build does not reach: only what the second
refuses is refused whatever the target), and a reference written here from BuildKit's source
(frontend/dockerfile/instructions/{bflag,parse,commands_run*}.go, Go's time.ParseDuration and
strconv.ParseInt), independent of the model, held to the model over a generated grid of flags x
values."""

from __future__ import annotations

import itertools

import pytest

from aishell.model import DockerfileSyntaxError, parse

# (line, Engine 28.5 takes it in the target stage, takes it in an unreached stage)
PROBED = [
    ("HEALTHCHECK --interval=30s CMD true", True, True),
    ("HEALTHCHECK --interval=1m30s CMD true", True, True),
    ("HEALTHCHECK --interval=1.5h CMD true", True, True),
    ("HEALTHCHECK --interval=0 CMD true", True, True),
    ("HEALTHCHECK --interval=0s CMD true", True, True),
    ("HEALTHCHECK --interval=1ms CMD true", True, True),
    ("HEALTHCHECK --interval=999us CMD true", False, False),
    ("HEALTHCHECK --interval=500us CMD true", False, False),
    ("HEALTHCHECK --interval=-1s CMD true", False, False),
    ("HEALTHCHECK --interval=-0s CMD true", True, True),
    ("HEALTHCHECK --interval=+1s CMD true", True, True),
    ("HEALTHCHECK --interval=x CMD true", False, False),
    ("HEALTHCHECK --interval=10 CMD true", False, False),
    ("HEALTHCHECK --interval= CMD true", True, True),
    ("HEALTHCHECK --interval=1S CMD true", False, False),
    ("HEALTHCHECK --interval=.5s CMD true", True, True),
    ("HEALTHCHECK --interval=5.s CMD true", True, True),
    ("HEALTHCHECK --interval=1e3s CMD true", False, False),
    ("HEALTHCHECK --interval=1µs CMD true", False, False),
    ("HEALTHCHECK --interval=1us CMD true", False, False),
    ("HEALTHCHECK --interval=1ns CMD true", False, False),
    ("HEALTHCHECK --interval=$D CMD true", False, False),
    ("HEALTHCHECK --interval=1h1h CMD true", True, True),
    ("HEALTHCHECK --interval=1s  CMD true", True, True),
    ("HEALTHCHECK --interval=1 s CMD true", False, False),
    ("HEALTHCHECK --interval=00 CMD true", False, False),
    ("HEALTHCHECK --interval=-0 CMD true", True, True),
    ("HEALTHCHECK --interval=1. CMD true", False, False),
    ("HEALTHCHECK --interval=. CMD true", False, False),
    ("HEALTHCHECK --timeout=30s CMD true", True, True),
    ("HEALTHCHECK --timeout=1m30s CMD true", True, True),
    ("HEALTHCHECK --timeout=1.5h CMD true", True, True),
    ("HEALTHCHECK --timeout=0 CMD true", True, True),
    ("HEALTHCHECK --timeout=0s CMD true", True, True),
    ("HEALTHCHECK --timeout=1ms CMD true", True, True),
    ("HEALTHCHECK --timeout=999us CMD true", False, False),
    ("HEALTHCHECK --timeout=500us CMD true", False, False),
    ("HEALTHCHECK --timeout=-1s CMD true", False, False),
    ("HEALTHCHECK --timeout=-0s CMD true", True, True),
    ("HEALTHCHECK --timeout=+1s CMD true", True, True),
    ("HEALTHCHECK --timeout=x CMD true", False, False),
    ("HEALTHCHECK --timeout=10 CMD true", False, False),
    ("HEALTHCHECK --timeout= CMD true", True, True),
    ("HEALTHCHECK --timeout=1S CMD true", False, False),
    ("HEALTHCHECK --timeout=.5s CMD true", True, True),
    ("HEALTHCHECK --timeout=5.s CMD true", True, True),
    ("HEALTHCHECK --timeout=1e3s CMD true", False, False),
    ("HEALTHCHECK --timeout=1µs CMD true", False, False),
    ("HEALTHCHECK --timeout=1us CMD true", False, False),
    ("HEALTHCHECK --timeout=1ns CMD true", False, False),
    ("HEALTHCHECK --timeout=$D CMD true", False, False),
    ("HEALTHCHECK --timeout=1h1h CMD true", True, True),
    ("HEALTHCHECK --timeout=1s  CMD true", True, True),
    ("HEALTHCHECK --timeout=1 s CMD true", False, False),
    ("HEALTHCHECK --timeout=00 CMD true", False, False),
    ("HEALTHCHECK --timeout=-0 CMD true", True, True),
    ("HEALTHCHECK --timeout=1. CMD true", False, False),
    ("HEALTHCHECK --timeout=. CMD true", False, False),
    ("HEALTHCHECK --start-period=30s CMD true", True, True),
    ("HEALTHCHECK --start-period=1m30s CMD true", True, True),
    ("HEALTHCHECK --start-period=1.5h CMD true", True, True),
    ("HEALTHCHECK --start-period=0 CMD true", True, True),
    ("HEALTHCHECK --start-period=0s CMD true", True, True),
    ("HEALTHCHECK --start-period=1ms CMD true", True, True),
    ("HEALTHCHECK --start-period=999us CMD true", False, False),
    ("HEALTHCHECK --start-period=500us CMD true", False, False),
    ("HEALTHCHECK --start-period=-1s CMD true", False, False),
    ("HEALTHCHECK --start-period=-0s CMD true", True, True),
    ("HEALTHCHECK --start-period=+1s CMD true", True, True),
    ("HEALTHCHECK --start-period=x CMD true", False, False),
    ("HEALTHCHECK --start-period=10 CMD true", False, False),
    ("HEALTHCHECK --start-period= CMD true", True, True),
    ("HEALTHCHECK --start-period=1S CMD true", False, False),
    ("HEALTHCHECK --start-period=.5s CMD true", True, True),
    ("HEALTHCHECK --start-period=5.s CMD true", True, True),
    ("HEALTHCHECK --start-period=1e3s CMD true", False, False),
    ("HEALTHCHECK --start-period=1µs CMD true", False, False),
    ("HEALTHCHECK --start-period=1us CMD true", False, False),
    ("HEALTHCHECK --start-period=1ns CMD true", False, False),
    ("HEALTHCHECK --start-period=$D CMD true", False, False),
    ("HEALTHCHECK --start-period=1h1h CMD true", True, True),
    ("HEALTHCHECK --start-period=1s  CMD true", True, True),
    ("HEALTHCHECK --start-period=1 s CMD true", False, False),
    ("HEALTHCHECK --start-period=00 CMD true", False, False),
    ("HEALTHCHECK --start-period=-0 CMD true", True, True),
    ("HEALTHCHECK --start-period=1. CMD true", False, False),
    ("HEALTHCHECK --start-period=. CMD true", False, False),
    ("HEALTHCHECK --start-interval=30s CMD true", True, True),
    ("HEALTHCHECK --start-interval=1m30s CMD true", True, True),
    ("HEALTHCHECK --start-interval=1.5h CMD true", True, True),
    ("HEALTHCHECK --start-interval=0 CMD true", True, True),
    ("HEALTHCHECK --start-interval=0s CMD true", True, True),
    ("HEALTHCHECK --start-interval=1ms CMD true", True, True),
    ("HEALTHCHECK --start-interval=999us CMD true", False, False),
    ("HEALTHCHECK --start-interval=500us CMD true", False, False),
    ("HEALTHCHECK --start-interval=-1s CMD true", False, False),
    ("HEALTHCHECK --start-interval=-0s CMD true", True, True),
    ("HEALTHCHECK --start-interval=+1s CMD true", True, True),
    ("HEALTHCHECK --start-interval=x CMD true", False, False),
    ("HEALTHCHECK --start-interval=10 CMD true", False, False),
    ("HEALTHCHECK --start-interval= CMD true", True, True),
    ("HEALTHCHECK --start-interval=1S CMD true", False, False),
    ("HEALTHCHECK --start-interval=.5s CMD true", True, True),
    ("HEALTHCHECK --start-interval=5.s CMD true", True, True),
    ("HEALTHCHECK --start-interval=1e3s CMD true", False, False),
    ("HEALTHCHECK --start-interval=1µs CMD true", False, False),
    ("HEALTHCHECK --start-interval=1us CMD true", False, False),
    ("HEALTHCHECK --start-interval=1ns CMD true", False, False),
    ("HEALTHCHECK --start-interval=$D CMD true", False, False),
    ("HEALTHCHECK --start-interval=1h1h CMD true", True, True),
    ("HEALTHCHECK --start-interval=1s  CMD true", True, True),
    ("HEALTHCHECK --start-interval=1 s CMD true", False, False),
    ("HEALTHCHECK --start-interval=00 CMD true", False, False),
    ("HEALTHCHECK --start-interval=-0 CMD true", True, True),
    ("HEALTHCHECK --start-interval=1. CMD true", False, False),
    ("HEALTHCHECK --start-interval=. CMD true", False, False),
    ("HEALTHCHECK --retries=3 CMD true", True, True),
    ("HEALTHCHECK --retries=0 CMD true", True, True),
    ("HEALTHCHECK --retries=-1 CMD true", False, False),
    ("HEALTHCHECK --retries=abc CMD true", False, False),
    ("HEALTHCHECK --retries= CMD true", True, True),
    ("HEALTHCHECK --retries=+3 CMD true", True, True),
    ("HEALTHCHECK --retries=0x10 CMD true", False, False),
    ("HEALTHCHECK --retries=2147483647 CMD true", True, True),
    ("HEALTHCHECK --retries=2147483648 CMD true", False, False),
    ("HEALTHCHECK --retries=1_000 CMD true", False, False),
    ("HEALTHCHECK --retries=03 CMD true", True, True),
    ("HEALTHCHECK --retries=-0 CMD true", True, True),
    ("HEALTHCHECK --retries= 3 CMD true", False, False),
    ("HEALTHCHECK --retries=$R CMD true", False, False),
    ("HEALTHCHECK --retries=1.5 CMD true", False, False),
    ("RUN --network=default true", True, True),
    ("RUN --network=none true", True, True),
    ("RUN --network=host true", True, True),
    ("RUN --network=bogus true", False, False),
    ("RUN --network= true", False, False),
    ("RUN --network=$NET true", False, False),
    ("RUN --network=HOST true", False, False),
    ("RUN --network=None true", False, False),
    ("RUN --security=insecure true", False, False),
    ("RUN --security=sandbox true", False, False),
    ("RUN --security=x true", False, False),
    ("RUN --security= true", False, False),
    ("RUN --security=INSECURE true", False, False),
    ("RUN --security=$S true", False, False),
    ("RUN --mount=type=nope true", False, True),
    ("RUN --mount=type=cache,target=/x true", True, True),
    ("RUN --mount=type=bind,target=/x true", True, True),
    ("RUN --mount=type=cache,foo=bar,target=/x true", False, True),
    ("RUN --mount=foo=bar true", False, True),
    ("RUN --mount=type=cache,sharing=bogus,target=/x true", False, True),
    ("RUN --mount=type=cache,mode=999,target=/x true", False, True),
    ("RUN --mount=type=cache,uid=abc,target=/x true", False, True),
    ("RUN --mount=type=bind,ro=maybe,target=/x true", False, True),
    ("RUN --mount=type=bind,required,target=/x true", False, True),
    ("RUN --mount=type=bind,mode=0755,target=/x true", False, True),
    ("RUN --mount=type=tmpfs,size=abc,target=/x true", False, True),
    ("RUN --mount=type=secret true", False, True),
    ("RUN --mount=type=secret,id=a true", True, True),
    ("RUN --mount=target true", False, True),
    ("RUN --mount=type=$T,target=/x true", False, True),
    ("RUN --mount=type=CACHE,target=/x true", True, True),
    ("RUN --mount=type=cache,target=/x,rw true", True, True),
    ("RUN --mount=type=cache,bogus,target=/x true", False, True),
    ("RUN --mount= true", False, False),
    ("RUN --mount=type=secret,from=x,id=a true", False, True),
    ("RUN --mount=type=cache,from=$X,target=/x true", False, False),
    ('RUN --mount="type=cache,target=/x true', True, True),
    ("RUN --mount=type=bind,sharing=locked,target=/x true", False, True),
    ("COPY --chmod=755 a /b", True, True),
    ("COPY --chmod=0755 a /b", True, True),
    ("COPY --chmod=999z a /b", False, True),
    ("COPY --chmod=8 a /b", False, True),
    ("COPY --chmod=u+x a /b", True, True),
    ("COPY --chmod= a /b", True, True),
    ("COPY --chmod=$MODE a /b", True, True),
    ("COPY --chmod=07777 a /b", True, True),
    ("COPY --chmod=77777 a /b", False, True),
    ("COPY --chmod=-755 a /b", False, True),
    ("COPY --chmod=0o755 a /b", False, True),
    ("COPY --chmod=a=rX a /b", True, True),
    ("COPY --chmod=u=rwx,g=rx a /b", True, True),
    ("COPY --link=true a /b", True, True),
    ("COPY --link=false a /b", True, True),
    ("COPY --link=TRUE a /b", True, True),
    ("COPY --link=False a /b", True, True),
    ("COPY --link=maybe a /b", False, False),
    ("COPY --link= a /b", False, False),
    ("COPY --link=1 a /b", False, False),
    ("COPY --link=0 a /b", False, False),
    ("COPY --link=t a /b", False, False),
    ("COPY --link=yes a /b", False, False),
    ("COPY --link=$B a /b", False, False),
    ("COPY --link a /b", True, True),
    ("COPY --parents=true a /b", False, False),
    ("COPY --parents=false a /b", False, False),
    ("COPY --parents=TRUE a /b", False, False),
    ("COPY --parents=False a /b", False, False),
    ("COPY --parents=maybe a /b", False, False),
    ("COPY --parents= a /b", False, False),
    ("COPY --parents=1 a /b", False, False),
    ("COPY --parents=0 a /b", False, False),
    ("COPY --parents=t a /b", False, False),
    ("COPY --parents=yes a /b", False, False),
    ("COPY --parents=$B a /b", False, False),
    ("COPY --parents a /b", False, False),
    ("ADD --link=true a /b", True, True),
    ("ADD --link=false a /b", True, True),
    ("ADD --link=TRUE a /b", True, True),
    ("ADD --link=False a /b", True, True),
    ("ADD --link=maybe a /b", False, False),
    ("ADD --link= a /b", False, False),
    ("ADD --link=1 a /b", False, False),
    ("ADD --link=0 a /b", False, False),
    ("ADD --link=t a /b", False, False),
    ("ADD --link=yes a /b", False, False),
    ("ADD --link=$B a /b", False, False),
    ("ADD --link a /b", True, True),
    ("ADD --keep-git-dir=true a /b", True, True),
    ("ADD --keep-git-dir=false a /b", True, True),
    ("ADD --keep-git-dir=TRUE a /b", True, True),
    ("ADD --keep-git-dir=False a /b", True, True),
    ("ADD --keep-git-dir=maybe a /b", False, False),
    ("ADD --keep-git-dir= a /b", False, False),
    ("ADD --keep-git-dir=1 a /b", False, False),
    ("ADD --keep-git-dir=0 a /b", False, False),
    ("ADD --keep-git-dir=t a /b", False, False),
    ("ADD --keep-git-dir=yes a /b", False, False),
    ("ADD --keep-git-dir=$B a /b", False, False),
    ("ADD --keep-git-dir a /b", True, True),
    ("ADD --unpack=true a /b", True, True),
    ("ADD --unpack=false a /b", True, True),
    ("ADD --unpack=TRUE a /b", True, True),
    ("ADD --unpack=False a /b", True, True),
    ("ADD --unpack=maybe a /b", False, False),
    ("ADD --unpack= a /b", False, False),
    ("ADD --unpack=1 a /b", False, False),
    ("ADD --unpack=0 a /b", False, False),
    ("ADD --unpack=t a /b", False, False),
    ("ADD --unpack=yes a /b", False, False),
    ("ADD --unpack=$B a /b", False, False),
    ("ADD --unpack a /b", True, True),
    (
        "ADD --checksum=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa https://example.com/x /b",
        True,
        True,
    ),
    ("ADD --checksum=bad https://example.com/x /b", False, True),
    ("ADD --checksum= https://example.com/x /b", True, True),
    ("ADD --checksum=sha256:abc https://example.com/x /b", False, True),
    (
        "ADD --checksum=sha512:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa https://example.com/x /b",
        True,
        True,
    ),
    ("ADD --checksum=md5:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa https://example.com/x /b", False, True),
    ("ADD --checksum=$C https://example.com/x /b", True, True),
    (
        "ADD --checksum=SHA256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa https://example.com/x /b",
        False,
        True,
    ),
    (
        "ADD --checksum=sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA https://example.com/x /b",
        False,
        True,
    ),
    ("FROM --platform= scratch", True, True),
    ("FROM --platform=linux/amd64 scratch", True, True),
    ("FROM --platform=bogus scratch", False, False),
    ("FROM --platform=$BUILDPLATFORM scratch", True, True),
    ("FROM --platform=linux/amd64/v99/x/y scratch", False, False),
    ("FROM --platform=LINUX/AMD64 scratch", True, True),
    ("COPY --from=a --from=b x /y", False, False),
    ("COPY --from= x /y", True, True),
    ("COPY --chown=a --chown=b x /y", False, False),
    ("COPY --link --link x /y", False, False),
    ("RUN --mount=type=cache,target=/a --mount=type=cache,target=/b true", True, True),
    ("RUN --network=none --network=host true", False, False),
    ("COPY --exclude=a --exclude=b x /y", True, True),
    ("FROM --PLATFORM=linux/amd64 scratch", False, False),
    ("COPY --LINK x /y", False, False),
    ("ADD --exclude= x /y", True, True),
    ("COPY --chown= x /y", True, True),
    ("HEALTHCHECK --interval=1s --interval=2s CMD true", False, False),
    ("RUN --device=foo true", False, True),
    ("RUN --device= true", False, False),
    ("ADD --checksum=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ./local /b", False, True),
    ("HEALTHCHECK --bogus NONE", True, True),
    ("HEALTHCHECK --interval=1s --interval=2s NONE", True, True),
    ("HEALTHCHECK --interval=x none", True, True),
    ("HEALTHCHECK --interval NONE", True, True),
    ("HEALTHCHECK --interval=1000µs CMD true", False, False),
    ('RUN --network="host" true', True, True),
    ("HEALTHCHECK --interval=1m.5s CMD true", True, True),
    ("HEALTHCHECK --interval=9223372036854775807ns CMD true", True, True),
    ("HEALTHCHECK --interval=9223372036854775808ns CMD true", False, False),
    ("HEALTHCHECK --retries=-2147483649 CMD true", False, False),
    ("COPY --link=True --chmod=755 a /b", True, True),
    ("RUN --network=none --mount=type=cache,target=/a --mount=type=cache,target=/b true", True, True),
]

# Engine 28.5 refuses these in any stage, the model takes them: a flag of the labs frontend
# (which refuses only bad values: checked by the reference), upper-case flag names (the model
# reads names case-blind), a platform (parsed by containerd, whose rules vary by version), and
# `µs`, which BuildKit 0.13+ reads byte by byte, older frontends as the unit (1000µs = 1ms).
TAKEN_ON_PURPOSE = ("--security=", "--parents", "--platform=", "--PLATFORM", "--LINK", "1000\u00b5s")


def _refused(text: str) -> bool:
    try:
        parse(text)
    except DockerfileSyntaxError as e:
        assert "\n" not in str(e)
        return True
    return False


def _file(line: str) -> str:
    return line + "\n" if line.startswith("FROM") else "FROM scratch\n" + line + "\n"


@pytest.mark.parametrize(("line", "target_ok", "unreached_ok"), PROBED)
def test_the_model_refuses_what_buildkit_refuses_in_any_stage(line, target_ok, unreached_ok):
    refused = _refused(_file(line))
    if refused:
        assert not unreached_ok, "refused by the model, taken by Engine 28.5"
    elif not unreached_ok:
        assert any(w in line for w in TAKEN_ON_PURPOSE), "refused by Engine 28.5, taken by the model"


# -- the reference ------------------------------------------------------------------------------

_UNITS = {"ns": 1, "us": 1000, "\u00b5s": 1000, "\u03bcs": 1000, "ms": 10**6, "s": 10**9, "m": 60 * 10**9}
_UNITS["h"] = 60 * _UNITS["m"]


def go_parse_duration(s: str) -> int | None:
    """Go's time.ParseDuration, ported loop for loop (nanoseconds, None for an error)."""
    neg = False
    if s[:1] in ("-", "+"):
        neg, s = s[0] == "-", s[1:]
    if s == "0":
        return 0
    if not s:
        return None
    total = 0
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            return None
        i = 0
        while i < len(s) and "0" <= s[i] <= "9":
            i += 1
        whole, s, pre = s[:i], s[i:], i > 0
        frac, post = "", False
        if s[:1] == ".":
            s = s[1:]
            i = 0
            while i < len(s) and "0" <= s[i] <= "9":
                i += 1
            frac, s, post = s[:i], s[i:], i > 0
        if not pre and not post:
            return None
        i = 0
        while i < len(s) and s[i] != "." and not "0" <= s[i] <= "9":
            i += 1
        unit, s = s[:i], s[i:]
        if unit not in _UNITS:
            return None
        total += int(whole or "0") * _UNITS[unit] + (int(frac) * _UNITS[unit] // 10 ** len(frac) if frac else 0)
        if total > 2**63:
            return None
    if total > 2**63 - 1 + neg:
        return None
    return -total if neg else total


def reference_refuses(keyword: str, flags: list[tuple[str, str | None]], first_arg: str = "CMD") -> bool:
    """Whether every frontend's instruction parser refuses these (name, value) flags on ``keyword``
    (names known to the instruction; a value is BuildKit's unquoted reading)."""
    used = []
    for name, value in flags:
        if name in used and name not in ("mount", "exclude", "device"):
            return True
        used.append(name)
        if name in ("link", "parents", "keep-git-dir", "unpack"):
            if value is not None and value.lower() not in ("true", "false"):
                return True  # (an empty value: "missing a value on flag")
        elif value is None:
            continue
        elif keyword == "RUN" and name == "network":
            if value not in ("default", "none", "host"):
                return True
        elif keyword == "RUN" and name == "security":
            if value not in ("insecure", "sandbox"):
                return True
        elif keyword == "RUN" and name in ("mount", "device"):
            if value == "":
                return True
        elif keyword == "HEALTHCHECK" and first_arg.upper() != "NONE" and value != "":
            if name == "retries":
                digits = value[1:] if value[:1] in "+-" else value
                if not digits.isascii() or not digits.isdigit() or not -(2**31) <= int(value) < 2**31:
                    return True
                if int(value) < 0:
                    return True
            else:
                d = go_parse_duration(value)
                if d is None or 0 < d < 10**6 or d < 0:
                    return True
    return False


_KEYWORD_LINE = {
    "HEALTHCHECK": "HEALTHCHECK {flags} CMD true",
    "RUN": "RUN {flags} true",
    "COPY": "COPY {flags} a /b",
    "ADD": "ADD {flags} a /b",
}
_GRID_FLAGS = {
    "HEALTHCHECK": ("interval", "timeout", "start-period", "start-interval", "retries"),
    "RUN": ("network", "security", "mount"),
    "COPY": ("link", "parents", "from", "chmod"),
    "ADD": ("link", "keep-git-dir", "unpack", "checksum"),
}
# Spellings, valid and not: every pair of these pieces, and each alone.
_PIECES = [
    "",
    "0",
    "1",
    "10",
    "-",
    "+",
    ".",
    "5",
    "s",
    "ms",
    "us",
    "ns",
    "m",
    "h",
    "S",
    "x",
    "true",
    "FALSE",
    "none",
    "host",
    "default",
    "insecure",
    "sandbox",
    "1.5",
    "2147483648",
    "\u00b5s",
    "e3",
    "_",
    "0x1",
]


def _values():
    yield None
    for a, b in itertools.product(_PIECES, repeat=2):
        yield a + b


@pytest.mark.parametrize("keyword", sorted(_GRID_FLAGS))
def test_the_model_agrees_with_the_reference_on_a_grid_of_flags_and_values(keyword):
    disagree, cases = [], 0
    for name in _GRID_FLAGS[keyword]:
        for value in _values():
            if value is None and name not in ("link", "parents", "keep-git-dir", "unpack"):
                continue  # (a string flag without `=`: refused as missing a value, elsewhere)
            flag = f"--{name}" if value is None else f"--{name}={value}"
            text = "FROM scratch\n" + _KEYWORD_LINE[keyword].format(flags=flag) + "\n"
            cases += 1
            if _refused(text) != reference_refuses(keyword, [(name, value)]):
                disagree.append((flag, _refused(text)))
    for name in _GRID_FLAGS[keyword]:  # a flag given twice
        value = "" if name in ("link", "parents", "keep-git-dir", "unpack") else "=1s"
        text = "FROM scratch\n" + _KEYWORD_LINE[keyword].format(flags=f"--{name}{value} --{name}{value}") + "\n"
        ref = reference_refuses(keyword, [(name, value[1:] or None)] * 2)
        cases += 1
        if _refused(text) != ref:
            disagree.append((name, "twice", _refused(text)))
    assert not disagree, f"{len(disagree)} of {cases}: {disagree[:10]}"


def test_healthcheck_none_reads_no_flags_and_a_syntax_directive_is_exempt():
    for flags in ("--interval=x", "--interval", "--bogus", "--retries=1 --retries=2"):
        assert not _refused(f"FROM scratch\nHEALTHCHECK {flags} NONE\n")
    assert _refused("FROM scratch\nHEALTHCHECK --interval=x CMD true\n")
    assert not _refused("# syntax=docker/dockerfile:1\nFROM scratch\nHEALTHCHECK --interval=x CMD true\n")


@pytest.mark.parametrize("text", ["1h30m", ".5s", "5.s", "+1s", "-0", "0", "1.5h", "3us", "9223372036854775807ns"])
def test_go_durations_the_reference_takes(text):
    assert go_parse_duration(text) is not None


@pytest.mark.parametrize("text", ["", "1", "00", "1.", ".", "1S", "1e3s", "s", "9223372036854775808ns", "-"])
def test_go_durations_the_reference_refuses(text):
    assert go_parse_duration(text) is None


def test_a_long_duration_is_read_in_linear_time():
    """(A digit run without a unit once backtracked over every split: 20,000 digits took 6 s.)"""
    import time

    from aishell.model import _go_duration

    t = time.process_time()
    assert _go_duration("1" * 200_000 + "x") is None
    assert _go_duration("1" * 200_000 + "s") is None  # (overflows Go's int64: refused, not a crash)
    assert _go_duration("1." + "5" * 200_000 + "s") == 1_555_555_555
    assert time.process_time() - t < 2  # (milliseconds linear; hours quadratic)


def test_a_duration_too_long_for_int_is_one_error_line(tmp_path):
    """(int() of 5,000 digits raised ValueError: an internal error, not the file's.)"""
    from tests.conftest import run_cli

    f = tmp_path / "Dockerfile"
    f.write_text("FROM x\nHEALTHCHECK --interval=" + "1" * 5000 + "s CMD true\n")
    r = run_cli("lint", f)
    assert r.returncode == 2 and "invalid duration" in r.stderr and "internal error" not in r.stderr
