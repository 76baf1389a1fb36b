"""AIS002: a destination spelled with `.`, `..` or `//` segments is the directory it names
(red team r40, dot-dir-dest).

The class, generated: every spelling of a directory (a final `/.` or `/./`, `.` and `..`
segments, repeated slashes; absolute, or relative to a WORKDIR) × every way a step puts a file
there (COPY, ADD, COPY --from, cp, mv, install, ln -s, rsync, their `-t DIR` forms, a file path
in the directory), then `claude --version`. The oracle is posixpath.normpath of the directory
(not the rule's tables): on PATH, nothing to report; elsewhere, an error (the controls). A `..`
that climbs out of /bin (a link to /usr/bin on a merged /usr) reads two ways: a warning.
"""

import posixpath

import pytest

from tests.severities import severities

FOUNDATION = "FROM aishell:foundation\n"
CALL = "RUN claude --version\n"

# Spellings of /usr/local/bin (on PATH) and of directories that are not on PATH.
ON_PATH = [
    "/usr/local/bin/.",
    "/usr/local/bin/./",
    "/usr/local/./bin",
    "/usr/./local/bin/.",
    "/./usr/local/bin",
    "/usr/local/../local/bin",
    "/usr/bin/../local/bin",
    "/usr/local/bin/x/..",
    "//usr//local/bin/.",
    "/usr/local/bin/.//",
    "/usr/bin/.",
]
OFF_PATH = ["/usr/local/bin/..", "/usr/local/bin/../lib", "/usr/local/./lib/.", "/opt/./bin/.."]
BOTH_WAYS = ["/bin/../local/bin", "/sbin/../local/bin/."]


def _into(d: str) -> list[str]:
    """Steps that put an executable `claude` into the directory spelled ``d``."""
    slash = d if d.endswith("/") else d + "/"
    out = [
        f"COPY claude {d}\n",
        f"COPY claude {slash}\n",
        f"COPY claude {slash}claude\n",
        f"ADD --chmod=755 https://example.com/dl/claude {slash}\n",
        f"COPY --from=img /bin/claude {d}\n",
    ]
    for tool in ("cp", "mv", "install -m755", "ln -s", "rsync -a"):
        out += [f"RUN {tool} /opt/c/claude {d}\n", f"RUN {tool} /opt/c/claude {slash}claude\n"]
    for tool in ("cp", "mv", "install -m755", "ln -s"):
        out += [f"RUN {tool} -t {d} /opt/c/claude\n", f"RUN {tool} --target-directory={d} /opt/c/claude\n"]
    return out


def _expected(d: str, step: str) -> list[str]:
    if d in BOTH_WAYS:
        return ["warning"]
    return [] if posixpath.normpath("/" + d.lstrip("/")) in ("/usr/local/bin", "/usr/bin") else ["error"]


CASES = [(d, step) for d in ON_PATH + OFF_PATH + BOTH_WAYS for step in _into(d)]


@pytest.mark.parametrize(("d", "step"), CASES)
def test_a_dotted_destination_is_the_directory_it_names(d, step):
    # (A file path in a directory, `{d}/claude`, is there whatever `d` ends in.)
    assert severities(FOUNDATION + step + CALL) == _expected(d, step), step


# Relative destinations, resolved against the WORKDIR (`WORKDIR /usr/local` then `cp x bin/.`).
RELATIVE = {
    "/usr/local/bin": [".", "./", "./."],
    "/usr/local": ["bin/.", "./bin", "bin/./", "../local/bin", "bin/x/.."],
    "/opt": ["../usr/local/bin/.", "./../usr/bin"],
}


@pytest.mark.parametrize(
    ("workdir", "d", "step"),
    [(w, d, s) for w, ds in RELATIVE.items() for d in ds for s in _into(d) if "--from" not in s],
)
def test_a_dotted_relative_destination_resolves_against_the_workdir(workdir, d, step):
    text = FOUNDATION + f"WORKDIR {workdir}\n" + step + CALL
    assert severities(text) == [], step


@pytest.mark.parametrize("step", _into("/usr/local/bin"))
def test_control_the_plain_spelling(step):
    assert severities(FOUNDATION + step + CALL) == []


@pytest.mark.parametrize("d", ["/usr/local/./bin", "/usr/local/../local/bin", "/usr//local/bin"])
def test_a_dotted_path_run_by_name_is_the_harness_on_path(d):
    """`/usr/local/./bin/claude` is /usr/local/bin/claude: not a file the image may hold."""
    assert severities(FOUNDATION + f"RUN {d}/claude --version\n") == ["error"]
    assert severities(FOUNDATION + f"COPY claude /usr/local/bin/\nRUN {d}/claude --version\n") == []
