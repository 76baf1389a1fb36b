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
    """Stub folders made once (``with_harness``: the logging harness stubs; ``without``: none)."""

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
            argv = [DASH, "-c", script]
            if self.user:
                argv = [
                    "/usr/sbin/runuser" if os.path.exists("/usr/sbin/runuser") else "runuser",
                    "-u",
                    self.user,
                    "--",
                ] + argv
            env = {"PATH": os.path.join(self.root, d), "HOME": cwd}
            p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=10, stdin=subprocess.DEVNULL)
            with open(self.log) as f:
                out[d] = (f.read().split(), p.returncode)
            shutil.rmtree(cwd, ignore_errors=True)
        return out["with"][0], out["without"][1]
