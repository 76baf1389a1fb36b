"""aishell/deps.py's pip option table, held to pip's own parser (the pip installed with the
Python that runs the tests), and pip_install_words held to that parser's reading of every
option in every spelling: `--name value`, `--name=value`, each abbreviation pip takes, `-o value`,
`-ovalue`, and a short one after grouped flags (`-Uqo value`)."""

from __future__ import annotations

import copy
import optparse

import pytest

from aishell import deps

pip_commands = pytest.importorskip("pip._internal.commands")

# Long options the table keeps from other pip releases (8.1 to 26.2) than the installed one.
OTHER_RELEASES = set(
    "all-releases allow-all-external allow-external allow-insecure allow-unverified build build-constraint "
    "build-dir build-directory default-vcs download download-dir download-directory egg group install-option "
    "no-allow-external no-allow-insecure no-proxy-env no-require-hashes no-use-wheel only-dependencies "
    "only-deps only-final process-dependency-links refresh-package requirements-from-script resume-retries "
    "skip-requirements-regex uploaded-prior-to use-wheel".split()
)
# pip's destinations whose value names a file or folder the install reads (an index or
# find-links: unless a URL): the reading is then unknown. Written from pip's option help.
READS = {"cert", "client_cert", "find_links", "index_url", "extra_index_urls"}


class Refused(Exception):
    pass


def _refuse(msg):
    raise Refused(msg)


def _parser() -> optparse.OptionParser:
    parser = pip_commands.create_command("install").parser
    parser.error = _refuse  # (pip prints the usage and exits)
    return parser


def _options(parser) -> list[optparse.Option]:
    return [o for group in [parser, *parser.option_groups] for o in group.option_list]


def test_every_option_of_pip_is_in_the_table_with_its_arity():
    parser = _parser()
    flags, valued = set(deps._PIP_FLAGS), set(deps._PIP_VALUED)
    seen = set()
    for o in _options(parser):
        first = o._long_opts[0][2:]
        for name in o._long_opts:
            name = name[2:]
            seen.add(name)
            assert name in (valued if o.takes_value() else flags), (name, o.takes_value())
            assert deps._PIP_ALIAS.get(name, name) == first, name
        for short in o._short_opts:
            c = short[1]
            if o.takes_value():
                assert deps._PIP_SHORT.get(c) == first, short
            else:
                assert c in deps._PIP_SHORT_FLAGS, short
    assert not flags & valued
    assert (flags | valued) - seen <= OTHER_RELEASES, (flags | valued) - seen - OTHER_RELEASES
    shorts = {s[1] for o in _options(parser) for s in o._short_opts}
    assert set(deps._PIP_SHORT) | deps._PIP_SHORT_FLAGS >= shorts


def _value(o: optparse.Option) -> str:
    """A value pip's parser takes for ``o``: a path (which would read as local code if taken for a
    requirement) unless the option checks its value."""
    if o.choices:
        return o.choices[0]
    if o.type in ("int", "float"):
        return "3"
    return {"python_version": "3.11", "config_settings": "k=v", "format_control": ":none:"}.get(o.dest, "/tmp/l")


def _abbreviations(parser, name: str) -> list[str]:
    """Each prefix of ``name`` (`--name`) that pip's parser reads as that option."""
    out = []
    for k in range(3, len(name)):
        try:
            if parser._match_long_opt(name[:k]) == name:
                out.append(name[:k])
        except optparse.BadOptionError:
            pass
    return out


def _spellings(parser, o: optparse.Option):
    value = _value(o)
    for name in o._long_opts:
        for spelt in [name, *_abbreviations(parser, name)]:
            yield spelt, [spelt, value] if o.takes_value() else [spelt]
            if o.takes_value():
                yield spelt, [f"{spelt}={value}"]
    for short in o._short_opts:
        if o.takes_value():
            yield short, [short, value]
            yield short, [short + value]
            yield short, ["-Uq" + short[1:], value]
        else:
            yield short, [short]
            yield short, ["-q" + short[1:]]


def _expected(parser, words: list[str]):
    """pip_install_words's answer for ``words`` as pip's parser reads them, or None when pip
    refuses them."""
    try:
        # pip's own defaults, not a pip configuration file's (parse_args would read them)
        opts, positional = parser.parse_args(list(words), optparse.Values(copy.deepcopy(parser.defaults)))
    except (Refused, SystemExit):
        return None
    local = any(p.startswith(("./", "/")) for p in positional)
    unknown = any(getattr(opts, d) != parser.defaults[d] for d in READS)
    return deps.PipWords(
        list(opts.requirements or []), list(opts.constraints or []), bool(opts.editables) or local, unknown
    )


def test_a_requirement_after_any_option_in_any_spelling_reads_as_pip_reads_it():
    """Exhaustive over the installed pip's options x spellings x what follows (a requirement
    by name, local code): pip_install_words agrees with pip's parser on the requirement files,
    constraint files, whether local code is installed and whether a read file is named. An
    abbreviation that another pip release reads differently (the table holds several) may read
    as unknown instead. Without the table's fix (pip 23's `--log-file`, `--source`, `--pypi-url`
    ... missing), 76 of the 2,676 cases failed."""
    parser = _parser()
    failures, cases = [], 0
    for o in _options(parser):
        if o.action in ("help", "version"):
            continue
        for spelt, words in _spellings(parser, o):
            for after in (["flask"], ["./src"], ["-r", "r.txt", "flask"]):
                args = words + after
                want = _expected(parser, args)
                if want is None:
                    continue
                cases += 1
                got = deps.pip_install_words(args)
                word = spelt[2:].partition("=")[0]
                takes, names = deps._PIP_PREFIX.get(word, (False, frozenset()))
                if spelt.startswith("--") and (takes is None or len(names) > 1) and got.unknown:
                    # Another pip reads this abbreviation as another option: unknown, and no
                    # requirement or constraint file missed.
                    if set(got.reqs) >= set(want.reqs) and set(got.constraints) >= set(want.constraints):
                        continue
                if got != want:
                    failures.append((args, got, want))
    assert cases > 1000
    assert not failures, f"{len(failures)} of {cases}: {failures[:5]}"


@pytest.mark.parametrize(
    ("argv", "reqs"),
    [
        (["pip", "-q", "--log", "/tmp/l", "install", "-r", "r.txt"], ["r.txt"]),
        (["pip", "--log-file=/tmp/l", "--", "install", "-r", "r.txt"], ["r.txt"]),
        (["python", "-m", "pip", "--no-cache-dir", "install", "-rr.txt"], ["r.txt"]),
        (["pip", "--bogus", "install", "-r", "r.txt"], None),
    ],
)
def test_pips_general_options_before_the_command(argv, reqs):
    got = deps.find_dep_install(argv)
    assert (got and list(got.manifests)) == reqs


def test_words_after_a_double_dash_are_requirements_or_paths():
    assert deps.pip_install_words(["--", "-r", "./x"]) == deps.PipWords([], [], True, False)
    assert deps.pip_install_words(["--log-file", "/tmp/l", "flask"]) == deps.PipWords([], [], False, False)


def test_every_spelling_of_a_requirements_file_is_seen_by_ais102():
    """lint_rules/_edits.pip_requirement_files (what AIS102 reads for `-e .` before it moves an
    ARG past a pip install) names the files pip's parser reads, whatever the spelling, general
    options before `install` included."""
    from lint_rules._edits import pip_requirement_files

    parser = _parser()
    (o,) = [o for o in _options(parser) if o.dest == "requirements"]
    failures = []
    for _, words in _spellings(parser, o):
        for before in ([], ["-q"], ["--log-file", "/tmp/l"]):
            want = _expected(parser, words)
            got = pip_requirement_files(["pip", *before, "install", *words])
            if want is None or list(got) != want.reqs:
                failures.append((before, words, got))
    assert not failures, failures[:5]


@pytest.mark.parametrize(
    "spelling", [["-r", "requirements.txt"], ["-Ur", "requirements.txt"], ["--requirem=requirements.txt"]]
)
def test_ais102_moves_no_arg_past_a_requirements_file_that_builds_the_project(tmp_path, spelling):
    from aishell.lint import lint_file

    (tmp_path / "requirements.txt").write_text("-e .\n")
    run = " ".join(["pip", "install", *spelling])
    (tmp_path / "Dockerfile").write_text(
        f"FROM python:3.12\nARG VERSION=1\nWORKDIR /app\nCOPY . .\nRUN {run}\nRUN echo $VERSION\n"
    )
    found = [f for f in lint_file(str(tmp_path / "Dockerfile")).findings if f.code == "AIS102"]
    assert found and all(f.fix is None for f in found)
