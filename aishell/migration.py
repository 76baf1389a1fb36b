"""Bind the rules to the fixer: `aishell migrate`'s entry points.

The fix loop and the rewriting engine live in ``migrate/`` (``migrate.fixer``,
``migrate.apply``, ``migrate.verify``, ``migrate.python_refs``) and never import a
rule; this outer-layer module hands them ``aishell.lint`` as the linter, and the
AIS001 fixes for Dockerfiles embedded in Python strings.
"""

from __future__ import annotations

from aishell.lint import Options, lint_text
from aishell.migrate.fixer import FileChange, FixResult, MigrateResult
from aishell.migrate import fixer


def linter(options: Options | None = None) -> fixer.Linter:
    """The fix loop's linter: the rules that may offer a fix. A rule that declares it never
    fixes (``FIX_AVAILABILITY = "never"``, checked by tests/test_rule_examples.py and on the
    corpus by tests/test_migrate_passes.py) cannot change what migrate does, and it ran on
    every pass: AIS004 was 43% of the 1 MB many-fixes file's four passes."""
    fixing = fixing_options(options)
    return lambda text, path: lint_text(text, path, fixing)


def fixing_options(options: Options | None) -> Options:
    """``options`` without the rules that never offer a fix."""
    from aishell.lint_rules import all_rules

    o = options or Options()
    never = [r.CODE for r in all_rules() if getattr(r, "FIX_AVAILABILITY", "sometimes") == "never"]
    return Options(o.select, list(o.ignore) + never, o.context, o.use_config)


def embedded_dockerfile(body: str) -> str | None:
    """A Dockerfile held in a Python string, with its image references rewritten; None if
    it is not one: a text BuildKit would reject (``Images built\\nFROM aishell:base must be
    rebuilt``, a line `hello`, a `FROM aishell:base is deprecated` it would not build) is a
    message, not a Dockerfile, and its refusal is about the string, never the Python file
    holding it (the codemod leaves it with a warning)."""
    from aishell.errors import InputError
    from aishell.model import DockerfileSyntaxError, parse
    from aishell.migrate.apply import apply_edits

    import re

    # The string's value, as Python reads its source, ends lines with \n where the source has a
    # lone CR (BuildKit would read one line); CRLF BuildKit reads as Python does. Same length: the
    # edits found in the value apply to the source text.
    text = re.sub(r"\r(?!\n)", "\n", body) if "\r" in body else body
    try:
        df = parse(text)
        result = lint_text(text, "<embedded Dockerfile>", Options(select=["AIS001"], use_config=False), df=df)
    except (DockerfileSyntaxError, InputError):
        return None
    for stage in df.stages:
        # BuildKit builds no `FROM` of two words or more than three (`FROM aishell:base is
        # deprecated`): a sentence that starts with the word, not an instruction.
        words = stage.from_ins.words()
        if not (len(words) == 1 or (len(words) == 3 and words[1].text.lower() == "as")):
            return None
    return apply_edits(body, [e for f in result.findings if f.fix for e in f.fix.edits])


def fix_text(text: str, path: str, options: Options | None = None, unsafe: bool = False) -> FixResult:
    from aishell.config_lint import is_config_path

    if is_config_path(path):
        return _fix_config(text, path, options)
    return fixer.fix_text(text, path, linter(options), unsafe)


def _fix_config(text: str, path: str, options: Options | None) -> FixResult:
    """A config's AIS2xx fixes are one rewrite into aishell's schema (aishell.config_migrate)."""
    result = FixResult(path, text, text)
    findings = lint_text(text, path, options).findings
    if any(f.fix for f in findings):
        from aishell.config_migrate import migrate_config_text

        result.text, _ = migrate_config_text(text, path)
        result.applied = [f for f in findings if f.fix]
        result.remaining = lint_text(result.text, path, options).findings
    else:
        result.remaining = findings
    return result


def _fixer(options: Options | None):
    return lambda text, path, unsafe: fix_text(text, path, options, unsafe)


def migrate_file(path: str, options: Options | None = None, unsafe: bool = False) -> FileChange:
    return fixer.migrate_file(path, linter(options), unsafe, embedded_dockerfile, _fixer(options))


def migrate_paths(
    paths: list[str], options: Options | None = None, unsafe: bool = False, write: bool = False
) -> MigrateResult:
    """Every Dockerfile and Python file under ``paths``, and the config.yaml of each
    Dockerfile's project (its original-schema keys, AIS2xx)."""
    from aishell.lint import _project_configs

    return fixer.migrate_paths(
        paths,
        linter(options),
        unsafe,
        write,
        embedded_dockerfile,
        _fixer(options),
        lambda files: _project_configs(files, options),
    )
