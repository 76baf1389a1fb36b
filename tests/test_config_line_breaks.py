"""A config.yaml holding NEL, LS or PS (U+0085, U+2028, U+2029) says what is true (issue 18).

YAML 1.1 (PyYAML, and the original aishell's SnakeYAML through clj-yaml) reads each of them as
a line break; YAML 1.2 and git do not. A plain value holding one was blamed as invalid YAML on a
line the editor does not show ("could not find expected ':'"); a double-quoted one lost it
silently (`"a<NEL>b"` loaded as `a b`); a comment holding one ended there and loaded what
followed as a key. Generated: each character x where it stands x each reader of the file (the
config loader, lint's AIS2xx model, migrate's rewrite of an original-schema file). The file
loads with the character as written where both readings agree, else it is one line naming the
line and column of a character that changes the reading, never a traceback.
"""

import re

import pytest

from aishell.errors import InputError

CHARS = ["\x85", "\u2028", "\u2029"]
# (text with {c} for the character, the characters both readings agree on, whether the value holds it)
QUOTED = {"\u2028", "\u2029"}  # (YAML 1.1 folds a NEL in a quoted scalar to a space, keeps LS and PS)
SHAPES = [
    ('run:\n  env:\n    FOO: "a{c}b"\n', QUOTED, True),
    ("run:\n  env:\n    FOO: 'a{c}b'\n", QUOTED, True),
    ('run:\n  env: {{FOO: "a{c}b"}}\n', QUOTED, True),
    ("run:\n  env:\n    FOO: a{c}b\n", set(), True),
    ("run:\n  env:\n    FOO: a{c}  b\n", set(), True),
    ("# a note{c}lint:\n#  ignore: [AIS003]\nrun:\n  env:\n    FOO: x\n", set(), True),  # a comment hides a key
    ("run:\n  env:\n    FOO: |\n      a{c}b\n", set(), True),
    ("run:\n  env:\n    FOO: [a{c}, b]\n", set(), True),
    ("run:\n  env:\n    FOO: x  # a note{c}\n", set(CHARS), False),  # (the comment ends earlier: nothing changes)
]


def _readers(tmp_path):
    from aishell.config import _read_yaml
    from aishell.config_lint import parse_config
    from aishell.config_migrate import _load

    path = tmp_path / ".aishell" / "config.yaml"
    path.parent.mkdir(exist_ok=True)

    def loader(text):
        path.write_text(text, encoding="utf-8")
        return _read_yaml(str(path))["run"]["env"]["FOO"]

    def lint_model(text):
        return parse_config(text, str(path)).keys[-1].value["env"]["FOO"]

    def migrate_model(text):
        return _load(text, str(path))[1]["run"]["env"]["FOO"]

    return [loader, lint_model, migrate_model]


@pytest.mark.parametrize("c", CHARS, ids=["NEL", "LS", "PS"])
def test_each_reader_loads_it_as_written_or_says_where_it_is(c, tmp_path):
    for shape, agreeing, holds in SHAPES:
        text = shape.format(c=c)
        agrees = c in agreeing
        for read in _readers(tmp_path):
            try:
                value = read(text)
            except InputError as e:
                message = str(e)
                assert not agrees, (read.__name__, text, message)
                assert "\n" not in message and "invalid YAML" not in message
                assert f"U+{ord(c):04X}" in message
                line, column = map(int, re.search(r"line (\d+), column (\d+)", message).groups())
                assert text.split("\n")[line - 1][column - 1] == c, (text, message)
                continue
            assert agrees, (read.__name__, text, value)
            assert (c in str(value)) == holds, (read.__name__, text, value)  # as written, never folded away


def test_lint_and_migrate_say_it_in_one_line_exit_2(project):
    project.write(".aishell/Dockerfile", "FROM aishell:foundation\n")
    project.write(".aishell/config.yaml", "# a note\u2028docker_args: [--privileged]\n")
    from tests.conftest import run_cli

    for args in (["lint"], ["migrate"]):
        r = run_cli(*args, cwd=project)
        assert r.returncode == 2, r.stderr
        assert "LINE SEPARATOR (U+2028)" in r.stderr and "line 1, column 9" in r.stderr
        assert "Traceback" not in r.stderr and "invalid YAML" not in r.stderr


def test_an_invalid_file_is_counted_in_the_editors_lines():
    """PyYAML counts NEL, LS and PS as lines: its line of a real syntax error is the editor's."""
    from aishell.errors import yaml_problem
    import yaml

    text = 'a: "x\u2028y"\nb: "p\u2029q"\nc: [\n'
    with pytest.raises(yaml.YAMLError) as e:
        yaml.safe_load(text)
    assert "(line 4)" in yaml_problem(e.value, text)


# -- migrate keeps a config's line endings, whatever they are ---------------------------------------
#
# The class (issue 18, round two): migrate rewrites an original-schema config line by line. A file
# whose lines end in lone CRs (YAML reads every CR as a line break) was one line to it: "the
# rewrite would not read as the same settings (please report this)". Generated: every ending
# (LF, CRLF, CR, and mixes) x a BOM x the last line ended or not x the keys that move. A file of
# one kind of ending is migrated and keeps it; lone CRs mixed with line feeds are one line saying
# so; the result always loads to the settings the original reads as.

ENDINGS = {"lf": ["\n"], "crlf": ["\r\n"], "cr": ["\r"], "crlf+lf": ["\r\n", "\n"], "cr+lf": ["\r", "\n"]}
LINES = [["env:", '  A: "1"'], ["docker_args: [--init]"], ["lint:", "  ignore: [AIS003]"], ["# a note"]]


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_migrate_keeps_the_line_endings_or_says_why_not(ending, bom):
    import yaml

    from aishell.config_migrate import migrate_config_text
    from aishell.legacy_config import translate

    breaks = ENDINGS[ending]
    for order in ([0, 1, 2, 3], [2, 3, 0, 1], [3, 1, 0]):
        lines = [line for k in order for line in LINES[k]]
        for ended in (True, False):
            text = bom + "".join(
                line + (breaks[i % len(breaks)] if ended or i < len(lines) - 1 else "") for i, line in enumerate(lines)
            )
            try:
                new, moves = migrate_config_text(text, "/p/.aishell/config.yaml")
            except InputError as e:
                assert ending == "cr+lf" and "carriage returns" in str(e), (text, e)
                continue
            assert moves and new.startswith(bom) and new.count("\ufeff") == len(bom)
            assert yaml.safe_load(new) == translate(yaml.safe_load(text))[0], (text, new)
            if len(breaks) == 1:  # one kind of ending: every line break of the result is it
                assert (
                    re.sub(re.escape(breaks[0]), "", new).count("\n")
                    + re.sub(re.escape(breaks[0]), "", new).count("\r")
                    == 0
                ), (text, new)


@pytest.mark.parametrize("char", ["\x01", "\x0c", "\x7f", "\x1b"])
def test_a_character_yaml_refuses_is_named_on_its_line(char, tmp_path):
    from aishell.config_lint import parse_config

    for ending in ("\n", "\r\n", "\r"):
        for at in range(1, 4):
            lines = ["lint:", "  ignore: [AIS003]", "run:", "  env: {A: x}"]
            lines[at] += "  # " + char
            text = ending.join(lines) + ending
            with pytest.raises(InputError) as e:
                parse_config(text, str(tmp_path / "config.yaml"))
            assert f"(line {at + 1})" in str(e.value) and f"U+{ord(char):04X}" in str(e.value), (text, e.value)


# -- a key set twice in one mapping -----------------------------------------------------------------
#
# The class (issue 18, round two): YAML loaders keep the last of two equal keys and drop the other
# silently (PyYAML, and SnakeYAML in the original aishell), so a setting the file shows did not
# count: `run:` twice, `lint.ignore` twice. Generated: the mapping it is in (top level, run:,
# run.env, lint:, legacy:, a flow mapping) x how the two keys are spelled (the same, quoted and
# plain, `1` and `01`, `on` and `true`) x each reader. Each is one line naming the key and both
# lines; keys that only look alike (`"1"` and `1`) load as before.

DUP_PLACES = [
    "{a}: 1\nlint:\n  ignore: [AIS003]\n{b}: 2\n",
    "run:\n  env:\n    X: y\n  {a}: 1\n  {b}: 2\n",
    "run:\n  env:\n    {a}: x\n    {b}: y\n",
    "lint:\n  ignore: [AIS003]\nlegacy:\n  n:\n    {a}: 1\n    {b}: 2\n",
    "legacy: {{{a}: 1, {b}: 2}}\n",
]
DUP_SPELLINGS = [("k", "k", True), ('"k"', "k", True), ("1", "01", True), ("on", "true", True), ('"1"', "1", False)]


def test_a_key_set_twice_is_one_line_naming_both(tmp_path):
    from aishell.config import _read_yaml
    from aishell.config_lint import parse_config
    from aishell.config_migrate import _load

    path = tmp_path / ".aishell" / "config.yaml"
    path.parent.mkdir()

    def loader(text):
        path.write_text(text)
        return _read_yaml(str(path))

    readers = [loader, lambda t: parse_config(t, str(path)), lambda t: _load(t, str(path))]
    for place in DUP_PLACES:
        for a, b, same in DUP_SPELLINGS:
            text = place.format(a=a, b=b)
            lines = text.split("\n")
            first = next(i for i, line in enumerate(lines) if line.strip().startswith(a + ":") or f"{{{a}:" in line) + 1
            second = max(i for i, line in enumerate(lines) if f"{b}:" in line) + 1
            for read in readers:
                try:
                    read(text)
                except InputError as e:
                    message = str(e)
                    if not same and "is set twice" not in message:
                        continue  # (another complaint about this made-up file: not a duplicate)
                    assert same and "is set twice" in message, (text, message)
                    assert f"line {second}:" in message and f"also on line {first}" in message, (text, message)
                    continue
                assert not same, (read, text)
