"""A tree of files not known, put where PATH names a directory inside it, may hold the harness.

`COPY --from=h /root/.local /root/.local` then `ENV PATH=/root/.local/bin:$PATH` (where claude's
native installer puts it) was an AIS002 error, which blocks `aishell build`, on a build that
succeeds; so were the same copy of `/opt/claude` (a source named like the harness was read as a
file), a `PATH=/opt/claude/bin:$PATH claude` of the RUN after such a copy, an archive unpacked
or a repository cloned above a PATH directory (`tar -xz -C /opt`, `git clone URL /opt/tools`),
with the ENV before or after the step, and a tree written above a standard PATH directory
(`tar -xz -C /usr/local`). The class: every way of writing a tree (a COPY of a folder that may
be one, an unpack, a clone) × every way PATH comes to name a directory in it (an ENV before,
an ENV after, the RUN's own assignment, a standard directory) × how deep below the tree's root
that directory is; each is a warning at most. The controls: the same trees where PATH names
nothing inside them stay errors.
"""

import pytest

from tests.severities import severities as _ais002

HEAD = "FROM aishell:foundation\n"
CALL = "RUN claude --version\n"

# (the step writing a tree at ROOT, whether it may hold a directory: a file's name is not one)
TREES = [
    "COPY --from=h {root} {root}\n",
    "COPY --from=ghcr.io/acme/tools:1 {root} {root}\n",
    "COPY --from=h {root}/ {root}/\n",
    "RUN curl -fsSL https://example.com/t.tgz | tar -xz -C {parent}\n",
    "RUN tar -xzf /tmp/t.tgz --directory={parent}\n",
    "RUN unzip -q /tmp/t.zip -d {parent}\n",
    "RUN git clone https://example.com/acme/tools.git {root}\n",
    "RUN git clone --depth 1 -b main https://example.com/acme/tools {root}\n",
    "WORKDIR {parent}\nRUN git clone https://example.com/acme/{name}.git\n",
]
# The tree's root, and the directory PATH names below it.
ROOTS = [
    ("/opt/claude", "/opt/claude/bin"),
    ("/root/.local", "/root/.local/bin"),
    ("/opt/tools", "/opt/tools/bin"),
    ("/opt/tools", "/opt/tools/libexec/x/bin"),
]


def _tree(template: str, root: str) -> str:
    parent, _, name = root.rpartition("/")
    return template.format(root=root, parent=parent, name=name)


@pytest.mark.parametrize("root,entry", ROOTS)
@pytest.mark.parametrize("template", TREES)
def test_a_tree_above_a_path_directory_may_hold_the_harness(template, root, entry):
    tree = _tree(template, root)
    env = f"ENV PATH={entry}:$PATH\n"
    for text in (
        HEAD + tree + env + CALL,  # the ENV after the tree
        HEAD + env + tree + CALL,  # the ENV before it
        HEAD + tree + f"RUN PATH={entry}:$PATH claude --version\n",  # the RUN's own PATH
    ):
        if "RUN" in tree and "RUN PATH=" in text:
            continue  # (a RUN's PATH lasts for the RUN: a later RUN's assignment reads its files as a COPY's)
        assert _ais002(text) == ["warning"], text


UNPACKS = [
    "RUN curl -fsSL https://example.com/t.tgz | tar -xz -C {d}\n",
    "RUN tar -xzf /tmp/t.tgz --directory={d}\n",
    "RUN unzip -q /tmp/t.zip -d {d}\n",
    "WORKDIR {d}\nRUN tar -xzf /tmp/t.tgz -C .\n",
]


@pytest.mark.parametrize("template", UNPACKS)
@pytest.mark.parametrize("d", ["/usr/local", "/usr", "/", "/usr/local/"])
def test_an_archive_unpacked_above_a_standard_path_directory_may_hold_the_harness(template, d):
    # (A clone needs an empty directory: above a standard one it fails on its own.)
    text = HEAD + template.format(d=d) + CALL
    assert _ais002(text) == ["warning"], text


@pytest.mark.parametrize("root,entry", ROOTS)
@pytest.mark.parametrize("template", TREES)
def test_a_tree_elsewhere_leaves_the_call_an_error(template, root, entry):
    # PATH names a directory outside the tree: the build fails.
    tree = _tree(template, root)
    text = HEAD + tree + "ENV PATH=/srv/other/bin:$PATH\n" + CALL
    assert _ais002(text) == ["error"], text


def test_a_file_copied_where_path_names_a_directory_below_is_no_tree():
    # `app.py` is a file (a name with an extension): nothing lands in /opt/app/bin.
    text = HEAD + "COPY app.py /opt/app\nENV PATH=/opt/app/bin:$PATH\n" + CALL
    assert _ais002(text) == ["error"]
