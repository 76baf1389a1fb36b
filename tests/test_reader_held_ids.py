"""The reader's id-keyed tables hold the scripts whose ids they key (issue 18, a mend of the
stale-id class): a table keyed by ``id()`` of a script that is then freed can meet a later
script at the same address, and lend it what was noted for the first (a script that may not
run, the stdin its shell reads). `_Reader.notes` hold their scripts since round thirteen;
``unsure`` and ``stdin_of`` now do too, so no noted id can be another script's while the
reader lives. Generated: the forms that note an id (a script that may not run: a file run
without `chmod +x`, `sh -c` in a list that may not run, a file whose content is not sure; a
shell whose stdin an `sh -c` string's shell reads) × places in the RUN."""

import itertools

import pytest

from aishell import shell

FORMS = [
    "cat > s.sh <<'EOF'\nclaude -v\nEOF\n./s.sh",
    "printf 'claude -v' > s.sh; [ -f /x ] && printf 'x' > s.sh; sh s.sh",
    "[ -f /x ] && sh -c 'claude -v'",
    "bash -c 'sh' <<'EOF'\nclaude -v\nEOF",
    "sh -c 'exec sh' <<'EOF'\nclaude -v\nEOF",
    "cat > a.sh <<'EOF'\nsh -c 'claude -v'\nEOF\n./a.sh; sh -c 'sh -c \"claude -v\"'",
]
PLACES = ["{}", "true && {}", "sh -c 'true'; {}", "( {} )", "if [ -f /y ]; then {}; fi"]


_READ_ONE = shell._Reader._read_one


def _read(text: str, monkeypatch) -> dict[str, int]:
    """Read ``text``; before each script it reads, check that every id in the tables is the
    held script's (the moment a stale id would be met); how many entries each table had."""
    seen = {"unsure": 0, "stdin_of": 0}
    real = _READ_ONE

    def checked(self, m, nested, item_base):
        for name in seen:
            table = getattr(self, name)
            seen[name] += len(table)
            for key, value in table.items():
                script = value if name == "unsure" else value[0]
                assert id(script) == key, (name, text)
        return real(self, m, nested, item_base)

    monkeypatch.setattr(shell._Reader, "_read_one", checked)
    reader = shell._Reader()
    reader.want_docs = True
    reader.read(shell._Mapped(text, range(len(text))), False)
    return seen


@pytest.mark.parametrize("form,place", list(itertools.product(FORMS, PLACES)))
def test_every_noted_id_is_held_with_its_script(form, place, monkeypatch):
    _read(place.format(form), monkeypatch)


def test_the_forms_note_ids(monkeypatch):
    """The generated forms reach both tables (else the test above would check nothing)."""
    noted = {"unsure": 0, "stdin_of": 0}
    for form, place in itertools.product(FORMS, PLACES):
        for name, n in _read(place.format(form), monkeypatch).items():
            noted[name] += n
    assert all(noted.values()), noted


def test_a_held_entry_is_asked_by_the_script_it_holds():
    m, other = shell._Mapped("sh", [0, 1]), shell._Mapped("sh", [0, 1])
    assert shell._held((m, ["stdin"]), m) == ["stdin"]
    assert shell._held((m, ["stdin"]), other) is None
    assert shell._held(None, m) is None
