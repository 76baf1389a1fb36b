"""The reader's containers made on first write read as those made with the reader (issue 18, r81).

aishell/shell.py's _Reader is made per RUN read; most RUNs write none of two dozen of its sets,
dicts and its work list, so under LAZY_READER they start as shared empties (_NO_SET, _NO_DICT,
_NO_WORK), read as empty ones, and each write site makes its container first. Each script here is
a form that writes one of them (an export, `sh -c` with a stdin, a heredoc a shell reads, a file
written, made executable and run, an alias, a nested assignment, `[ -f x ] && c=…`, bash's
`$'…'`, a command reached twice, a function body read at its call, a stage's file) in each
context (alone, after `&&`, in `sh -c`, in a subshell, in a function, in `RUN <<EOF`'s body),
then a harness call that reads what it wrote: read with the switch on and off, everything a rule
sees must agree, and AIS002's findings; and the forms together write every lazy container (else
the comparison would check nothing).
"""

from __future__ import annotations

from itertools import product

from aishell import shell

from tests.switched import read_switched

# (A form's heredoc body follows its line: BuildKit reads it after the RUN line, the shell too.)
_FORMS = [
    ("export c=claude; sh -c '$c -v'", None),
    ("c=claude; export c; bash -c '\"$c\" -v'", None),
    ("bash -c 'sh' <<'EOF'", "claude -v"),
    ("sh <<'EOF'", "claude -v"),
    ("cat <<'EOF' | bash", "claude -v"),
    ("cat <<'EOF' > s.sh && chmod +x s.sh; ./s.sh", "claude -v"),
    ("cat <<'EOF' > s.sh; ./s.sh", "claude -v"),
    ("[ -f x ] && cat <<'EOF' > s.sh; sh s.sh", "claude -v"),
    ("echo 'claude -v' > s.sh && sh s.sh", None),
    ("[ -f x ] && echo 'claude -v' > s.sh; sh s.sh", None),
    ("echo 'claude -v' >> s.sh; echo x > $F; sh s.sh", None),
    ("alias c=claude; c -v", None),
    ("sh -c 'c=claude; d=$c; $d -v'", None),
    ("[ -f x ] && c=claude; $c -v", None),
    ("$'claude' -v", None),
    ('bash -c "echo $(claude -v)"', None),
    ('f() { "$1" -v; }; f claude', None),
    ("eval 'claude -v'", None),
    ("true | sh -c 'claude -v'", None),
    ("sh /s.sh", None),
    ("/s.sh", None),
    ("/t.sh", None),
]
_PLACES = ["{}", "true && {}", "sh -c '{}'", "( {} )", "g() {{ {} ; }}; g", "<<"]


def _text(form: tuple[str, str | None], place: str) -> str:
    stage = "FROM aishell:foundation\nCOPY <<EOF /s.sh\nclaude -v\nEOF\nCOPY --chmod=755 <<EOF /t.sh\nclaude -v\nEOF\n"
    line, body = form
    doc = "" if body is None else f"{body}\nEOF\n"
    if place == "<<":
        return stage + f"RUN <<END\n{line}\n{doc}END\n"
    if place == "sh -c '{}'":
        line = line.replace("'", "'\\''")
    return stage + "RUN " + place.format(line) + "\n" + doc


def _read(text: str, lazy: bool):
    return read_switched(text, LAZY_READER=lazy)


_LAZY = [
    "work",
    "seen",
    "stdin_docs",
    "doc_items",
    "executable",
    "not_executable",
    "unsure_files",
    "unsure",
    "unsure_docs",
    "bash_only",
    "notes",
    "stdin_of",
    "maybe_unset",
    "exported",
    "aliases",
    "own",
    "scoped",
]


def test_lazy_containers_read_as_made_ones(monkeypatch):
    made: set[str] = set()
    real = shell._Reader._read_one

    def read_one(self, m, nested, item_base):
        real(self, m, nested, item_base)
        for name in _LAZY:
            if getattr(self, name) not in (shell._NO_SET, shell._NO_DICT, shell._NO_WORK):
                made.add(name)

    # (A heredoc in `sh -c '…'` is the string's, its body no Dockerfile heredoc: not that pair.)
    cases = [(f, p) for f, p in product(_FORMS, _PLACES) if not (f[1] and p == "sh -c '{}'")]
    assert len(cases) == 126
    texts = [_text(form, place) for form, place in cases]
    with monkeypatch.context() as m:
        m.setattr(shell._Reader, "_read_one", read_one)
        lazy = [_read(text, True) for text in texts]
    assert made == set(_LAZY), set(_LAZY) - made
    for text, found in zip(texts, lazy):
        assert found == _read(text, False), text
    # (Some harness call found in each form: the forms read what they wrote.)
    assert sum(1 for _, findings in lazy if any(f[0] == "AIS002" for f in findings)) > len(cases) // 2


def test_a_reader_starts_with_no_container_made():
    reader = shell._Reader()
    for name in _LAZY:
        assert getattr(reader, name) in (shell._NO_SET, shell._NO_DICT, shell._NO_WORK), name
