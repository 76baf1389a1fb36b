"""sudo 1.9's parse_args as an oracle: the real binary's verdict on option lines, and a
generator of option lines that covers its grammar (tests/test_ais002_sudo_parse_args.py).

The verdicts are recorded in tests/sudo_parse_args.jsonl (one `[verdict, words]` a line), made
by running Debian 12's sudo 1.9.13 (`apt-get download sudo; dpkg -x sudo_*.deb DIR`, as root,
with no /etc/sudo.conf: every line that gets past its option parsing stops at loading the
sudoers plugin, which DIR does not install where sudo looks, so nothing runs):

    AISHELL_SUDO=DIR/usr/bin/sudo python -m tests.sudo_oracle > tests/sudo_parse_args.jsonl

"usage": sudo prints its usage (an option it refuses, a value, a conflict: nothing runs);
"help": `-h`, exit 0; "parsed": it got past parse_args.
"""

import json
import os
import random
import string
import subprocess
from pathlib import Path

TRANSCRIPT = Path(__file__).with_name("sudo_parse_args.jsonl")
SEED, COUNT = 66, 3000
# sudo's own option table (parse_args.c), written here apart from aishell's.
LETTERS = "AaBbCcDEegHhiKklNnPpRrSsTtUuVv"
VALUED = "aCcDgpRrTtUu"
LONG = [
    "askpass", "auth-type=", "background", "bell", "close-from=", "login-class=", "chdir=",
    "preserve-env", "edit", "group=", "set-home", "help", "host=", "login", "remove-timestamp",
    "reset-timestamp", "list", "no-update", "non-interactive", "preserve-groups", "prompt=",
    "chroot=", "role=", "stdin", "shell", "type=", "command-timeout=", "other-user=", "user=",
    "version", "validate",
]  # fmt: skip
VALUES = ["x", "node", "", "2", "3", " 4", "+5", "07", "2147483648", "3x", "-v", "--", "A=B", "A,B", "A,B=C", "/x=y"]
OTHER = ["A=B", "/x=y", "=x", "--", "-", "X", "-j", "-:"]


def _value(rng: random.Random) -> str:
    return rng.choice(VALUES)


def _word(rng: random.Random) -> list[str]:
    """One option as a user may write it: a letter (its value attached or next), a cluster,
    a long option (whole or abbreviated, `=value` or the next word), or another word."""
    kind = rng.randrange(6)
    if kind <= 1:
        ch = rng.choice(LETTERS)
        if ch in VALUED or (ch == "h" and rng.random() < 0.5):
            value = _value(rng)
            return ["-" + ch + value] if value and rng.random() < 0.4 else ["-" + ch, value]
        return ["-" + ch]
    if kind == 2:
        cluster = "".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 3)))
        head = cluster.rstrip(VALUED + "h") or cluster  # (letters before the first valued one)
        return ["-" + cluster] if cluster == head else ["-" + cluster, _value(rng)]
    if kind == 3:
        name = rng.choice(LONG)
        bare = name.rstrip("=")
        cut = bare[: rng.randint(1, len(bare))] if rng.random() < 0.3 else bare
        if rng.random() < 0.4:
            return [f"--{cut}={_value(rng)}"]
        return [f"--{cut}", _value(rng)] if name.endswith("=") else [f"--{cut}"]
    return [rng.choice(OTHER)]


def lines() -> list[list[str]]:
    """The option lines the transcript holds: the red team's cases; every prefix of every long
    option and every letter and digit (alone and after `-E`, `-n` in one cluster), each with
    and without a value word before `claude -v`; then COUNT generated ones (one to four options,
    then `claude -v`, or nothing, or `claude` alone)."""
    rng = random.Random(SEED)
    prefixes = sorted({"--" + o.rstrip("=")[:n] for o in LONG for n in range(1, len(o.rstrip("=")) + 1)})
    letters = ["-" + c + ch for ch in string.ascii_letters + string.digits for c in ("", "E", "n")]
    out = [
        ["-U", "x", "claude"], ["-i", "-s", "claude"], ["-i", "-E", "claude"], ["-AS", "claude"],
        ["-C", "2", "claude"], ["-u", "a", "-u", "b", "claude"], ["-u", "", "claude"],
        ["--preserve-env=A=B", "claude"], ["-c", "x", "claude"], ["-a", "x", "claude"],
        ["-e", "claude"], ["-l", "-l", "claude"], ["-v", "claude"], ["-k", "-l", "claude"],
        ["-kN", "claude"], ["-l", "claude"], ["-iu", "node", "claude"], ["-h", "host", "claude"],
        ["-h", "claude"], ["-bh", "claude"], ["-u", "--", "A=B", "claude"], ["-k"], ["-k", "-n"],
        ["-D", "/", "claude"], ["-R", "/", "claude"], ["-T", "5", "claude"], ["-l", "-u", "x"],
        ["--help"], ["-h", "A=B"], ["-h", "-n"], ["--he"], ["-h", "", "claude"], ["--host=", "claude"],
        ["-A", "-h"], ["--help", "--"], ["-h", "-u", "x"],
    ]  # fmt: skip
    for opt in prefixes + letters:
        out += [[opt, "node", "claude", "-v"], [opt, "claude", "-v"]]
    for _ in range(COUNT):
        words = [w for _ in range(rng.randint(1, 4)) for w in _word(rng)]
        tail = rng.random()
        out.append(words + (["claude", "-v"] if tail < 0.7 else ["claude"] if tail < 0.85 else []))
    return out


def binary_verdict(sudo: str, words: list[str]) -> str:
    """The real binary's verdict on ``words`` (see the module's docstring)."""
    libs = Path(sudo).resolve().parent.parent / "libexec" / "sudo"
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    if libs.is_dir():
        env["LD_LIBRARY_PATH"] = str(libs)
    done = subprocess.run([sudo, *words], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=10)
    if "usage: " in done.stderr:
        return "usage"
    if done.returncode == 0 and "usage: " in done.stdout:
        return "help"
    return "parsed"


if __name__ == "__main__":
    for words in lines():
        print(json.dumps([binary_verdict(os.environ["AISHELL_SUDO"], words), words]))
