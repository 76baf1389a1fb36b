"""A dash oracle for the r68a tests: run a RUN's script with every command a stub.

The script runs in dash with PATH holding only a folder of stubs: the harnesses log their name
and exit 127 (as "not found" does), a few harmless tools are the real ones (find, xargs, env:
the wrappers under test), and the run is as the unprivileged user aishell-t15 where the tests
run as root, in a fresh temporary folder. It answers (did a harness run, the script's status
when no harness exists at all).
"""

import os
import pwd
import shutil
import subprocess
import tempfile

HARNESSES = ("claude", "codex", "gemini", "opencode")
REAL = ("env", "nice", "timeout", "xargs", "find", "cat", "printf", "true", "false", "test", "mkdir", "head", "tr")
USER = "aishell-t15"
DASH = shutil.which("dash")


def _user() -> str | None:
    if os.geteuid() != 0:
        return None  # (already unprivileged)
    try:
        pwd.getpwnam(USER)
    except KeyError:
        return None
    return USER


class Oracle:
    """Stub folders made once (``with_harness``: the logging harness stubs; ``without``: none).
    ``BIN_FIRST``: each run has a fresh writable folder first on PATH (where a stub installs)."""

    BIN_FIRST = False

    def __init__(self, root: str):
        self.root = root
        self.log = os.path.join(root, "ran")
        for d in ("with", "without"):
            os.makedirs(os.path.join(root, d))
            for r in REAL:
                p = shutil.which(r)
                if p:
                    os.symlink(p, os.path.join(root, d, r))
            for sh in ("sh", "dash"):
                os.symlink(DASH, os.path.join(root, d, sh))
            if shutil.which("bash"):
                os.symlink(shutil.which("bash"), os.path.join(root, d, "bash"))
        for h in HARNESSES:
            path = os.path.join(root, "with", h)
            with open(path, "w") as f:
                f.write(f"#!{DASH}\necho {h} >> {self.log}\nexit 127\n")
            os.chmod(path, 0o755)
        os.chmod(root, 0o755)
        self.user = _user()
        if self.user:
            subprocess.run(["chmod", "-R", "a+rX", root], check=True)

    def run(self, script: str) -> tuple[list[str], int]:
        """(the harnesses the script ran, its status where none exists)."""
        out = {}
        for d in ("with", "without"):
            with open(self.log, "w"):
                pass
            os.chmod(self.log, 0o666)
            cwd = tempfile.mkdtemp(dir=self.root)
            os.chmod(cwd, 0o777)
            path = os.path.join(self.root, d)
            if self.BIN_FIRST:
                os.mkdir(os.path.join(cwd, "bin"))
                os.chmod(os.path.join(cwd, "bin"), 0o777)
                path = os.path.join(cwd, "bin") + ":" + path
            argv = [DASH, "-c", script]
            if self.user:
                argv = [
                    "/usr/sbin/runuser" if os.path.exists("/usr/sbin/runuser") else "runuser",
                    "-u",
                    self.user,
                    "--",
                ] + argv
            env = {"PATH": path, "HOME": cwd}
            p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=10, stdin=subprocess.DEVNULL)
            with open(self.log) as f:
                out[d] = (f.read().split(), p.returncode)
            shutil.rmtree(cwd, ignore_errors=True)
        return out["with"][0], out["without"][1]


_NPM = f"""#!{DASH}
case "$*" in *@anthropic-ai/claude-code*)
  d=${{PATH%%:*}}; printf '#!{DASH}\\nexit 0\\n' > "$d/claude"; {shutil.which("chmod")} +x "$d/claude";;
esac
exit 0
"""


class InstallingOracle(Oracle):
    """The oracle with an `npm` whose global install of claude-code puts a claude that works in
    the first folder on PATH (a fresh one per run); each script run once (its answer kept)."""

    BIN_FIRST = True

    def __init__(self, root: str):
        super().__init__(root)
        self.known: dict[str, tuple[list[str], int]] = {}
        for d in ("with", "without"):
            path = os.path.join(root, d, "npm")
            with open(path, "w") as f:
                f.write(_NPM)
            os.chmod(path, 0o755)

    def run(self, script: str) -> tuple[list[str], int]:
        got = self.known.get(script)
        if got is None:
            got = self.known[script] = super().run(script)
        return got


def false_error(found: list[str], ran: list[str], status: int) -> str | None:
    """Why an AIS002 error among ``found`` (severities) is false: dash ran no harness, or the
    script, with no harness at all, passes (``ran``, ``status``: Oracle.run's); None if it is not."""
    if "error" in found and not (ran and status != 0):
        return f"error, but dash ran {ran} with status {status}"
    return None
