"""The lint engine: text -> model -> findings, with selection and suppression."""

from __future__ import annotations

import gc
import os
from bisect import bisect_right
from itertools import compress, islice
from operator import attrgetter, eq, itemgetter

from aishell.config import load_config
from aishell.errors import InputError, read_text
from aishell.harness import forget_installs
from aishell.findings import IGNORE_FILE_RE, IGNORE_RE, Finding, severity_rank
from aishell.model import GO_SPACE, Dockerfile, DockerfileSyntaxError, parse, paused_gc
from aishell.rule import RuleContext
from aishell.shell import end_file, start_file


class Options:
    def __init__(
        self,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        context: str | None = None,
        use_config: bool = True,
    ):
        self.select = select  # None: the config's, else all
        self.ignore = ignore or []
        self.context = context  # --context DIR
        self.use_config = use_config


class FileResult:
    def __init__(self, path: str, findings: list[Finding] | None = None, df: Dockerfile | None = None):
        self.path = path
        self.findings = findings or []
        self.df = df


class LintResult:
    def __init__(self, files: list[FileResult] | None = None, errors: list[InputError] | None = None):
        self.files = files or []
        self.errors = errors or []
        self.notes: list[str] = []  # files skipped while walking folders

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    def exit_code(self, fail_level: str = "warning") -> int:
        if self.errors:
            return 2
        rank = severity_rank(fail_level)
        return 1 if any(severity_rank(f.severity) >= rank for f in self.findings) else 0


def _matches(code: str, patterns: list[str]) -> bool:
    return any(p == "ALL" or code.startswith(p) for p in patterns)


def selected_rules(select: list[str] | None, ignore: list[str], target: str = "dockerfile"):
    """The rules to run on one kind of file: "dockerfile", or "config" (aishell.config_lint)."""
    from aishell.lint_rules import all_rules

    select = [s.upper() for s in select] if select else ["ALL"]
    ignore = [s.upper() for s in ignore]
    return [
        r
        for r in all_rules()
        if getattr(r, "TARGET", "dockerfile") == target and _matches(r.CODE, select) and not _matches(r.CODE, ignore)
    ]


def _suppressed(df: Dockerfile) -> tuple[set[str], dict[int, set[str]]]:
    """Codes suppressed for the whole file, and per instruction (by its start offset).

    `ignore-file=` counts on a comment line of the Dockerfile only: a `#` later in a line is
    the instruction's text, and a heredoc body line is the content of a file or script
    (BuildKit reads no comment there), so neither can switch a rule off."""
    file_codes: set[str] = set()
    body_starts: set[int] | None = None
    text, line_starts = df.text, df.line_starts
    for m in IGNORE_FILE_RE.finditer(text):
        at = line_starts[bisect_right(line_starts, m.start()) - 1]
        if text[at : m.start()].strip(GO_SPACE + "\ufeff"):
            continue
        if body_starts is None:
            body_starts = {o for ins in df.instructions for h in ins.heredocs for o in h.line_offsets}
        if at in body_starts:
            continue
        file_codes |= {c.strip().upper() for c in m.group(1).split(",") if c.strip()}
    per_ins: dict[int, set[str]] = {}
    # The instructions with a comment above them, picked in C: a loop over a 10 MB file's 600,000
    # instructions, once per lint (per pass of `aishell migrate`), for the few that have one.
    instructions = df.instructions
    for ins in compress(instructions, map(attrgetter("comment_before"), instructions)):
        if ins.comment_before:
            m = IGNORE_RE.match(ins.comment_before)
            if m:
                per_ins[ins.start] = {c.strip().upper() for c in m.group(1).split(",") if c.strip()}
    return file_codes, per_ins


# Objects allocated with the collector paused past which a lint freezes them (gc.freeze): with
# the collector back on, its next young collection would walk every one of them (the model and
# findings of a 10 MB file: millions, half a second) only to find them all alive. They hold no
# cycles, and reference counting still frees them; a small file's few are left to it.
FREEZE_AT = 200_000


def lint_text(text: str, path: str, options: Options | None = None, df: Dockerfile | None = None) -> FileResult:
    """Lint one file's text. Raises InputError for text BuildKit would reject."""
    with paused_gc():  # see model.paused_gc: linear, not slowed by full collections
        try:
            result = _lint_text(text, path, options, df)
        finally:
            end_file()  # (the compact scripts the rules shared: aishell.shell.COMPACT_KEPT)
            forget_installs()  # (and the installs read of their commands: aishell.harness.SHARED_INSTALLS)
        if gc.get_count()[0] > FREEZE_AT:
            gc.freeze()
        return result


def _lint_text(text: str, path: str, options: Options | None, df: Dockerfile | None) -> FileResult:
    options = options or Options()
    cfg = load_config(path) if options.use_config else None
    select = options.select if options.select is not None else (cfg.lint.select if cfg else None)
    ignore = list(options.ignore) + (cfg.lint.ignore if cfg else [])
    severities = cfg.lint.severity if cfg else {}
    from aishell.config_lint import is_config_path, lint_config_text

    if is_config_path(path):
        return FileResult(path, lint_config_text(text, path, selected_rules(select, ignore, "config"), severities))
    if df is None:
        try:
            df = parse(text, path)
        except DockerfileSyntaxError as e:
            raise InputError(path, f"line {e.line}: {e.message} (BuildKit would reject this file)") from None
    unknown = _unknown_instruction(df)
    if unknown is not None:
        word = unknown.raw_keyword or "(none: blanks joined by a continuation)"
        raise InputError(
            path, f"line {unknown.start_line}: unknown instruction: {word} (BuildKit would reject this file)"
        )
    stageless = _before_first_stage(df)
    if stageless is not None:
        raise InputError(path, f"{stageless} (BuildKit would reject this file)")
    refused = _refused_after_parse(df, path)
    ctx = RuleContext(df, path, _context_for(path, options, cfg))
    rules = selected_rules(select, ignore)
    # (the file's RUNs share what nested scripts they may read, and the scripts of the commands
    # the rules read again: their read_later, aishell.shell.COMPACT_KEPT)
    start_file(len(df.text), frozenset().union(*[rule.read_later(df) for rule in rules if hasattr(rule, "read_later")]))
    file_codes, per_ins = _suppressed(df)
    starts = [ins.start for ins in df.instructions] if per_ins else []
    # df.position inlined (a file may have 500,000 findings): the line by bisection, the column
    # from the line's start, less the BOM on line 1; an end on the start's line needs no search.
    line_starts = df.line_starts
    last_line = len(line_starts)
    bom = df.text.startswith("\ufeff")
    findings: list[Finding] = []
    append = findings.append
    new = tuple.__new__  # Finding(...) without its generated __new__
    codes = [rule.CODE for rule in rules]
    # The line of the finding before, [line_start, next_start): a RUN's findings come in order,
    # most on a line of one before them (an `&&` list of 800,000 harness calls is one line).
    line, line_start, next_start = 0, 0, -1
    for rule in rules:
        if rule.CODE in file_codes:
            continue
        code, name, severity, default = rule.CODE, rule.NAME, severities.get(rule.CODE), rule.SEVERITY
        for v in rule.check(ctx):
            message, start, end, fix, lowered = v  # (at once: a NamedTuple's attribute is a call each)
            if per_ins:
                owner = _owner(starts, start)
                if owner is not None and code in per_ins.get(owner, ()):
                    continue
            if not line_start <= start < next_start:
                line = bisect_right(line_starts, start)
                line_start = line_starts[line - 1]
                next_start = line_starts[line] if line < last_line else 1 << 62
            if start <= end < next_start:
                end_line, end_col = line, end - line_start + 1
            else:
                end_line = bisect_right(line_starts, end)
                end_col = end - line_starts[end_line - 1] + 1
            col = start - line_start + 1
            if bom:
                if line == 1:
                    col = max(1, col - 1)
                if end_line == 1:
                    end_col = max(1, end_col - 1)
            append(
                new(
                    Finding,
                    (
                        code,
                        name,
                        severity or lowered or default,
                        message,
                        path,
                        start,
                        end,
                        line,
                        col,
                        end_line,
                        end_col,
                        fix,
                        None,  # no public page: `aishell rules CODE` and SARIF's rules[].help carry the docs
                    ),
                )
            )
    # By start, then code: the rules ran in the order of their codes, so a stable sort by start
    # alone leaves findings at one offset in that order (no key tuple per finding).
    if refused:
        findings = _unfixed(findings, refused)
    in_order = all(a < b for a, b in zip(codes, codes[1:]))
    findings.sort(key=attrgetter("start") if in_order else attrgetter("start", "code"))
    return FileResult(path, _once(findings), df)


def _refused_after_parse(df: Dockerfile, path: str) -> list:
    """Refuse (InputError) what BuildKit's frontend refuses in a file that parses, before it
    builds (aishell.stage_graph.graph_error: a `COPY --from=` stage index naming no stage, a
    dependency cycle), or when it builds a stage the default build surely builds (a RUN
    `--mount` it refuses: stage_graph.mount_error). The RUNs with such a mount in another stage
    are returned: no fix is offered on them (the build of that stage fails whatever is fixed)."""
    from aishell.stage_graph import flagged, graph_error, refused_mounts

    found = flagged(df)
    if not found:
        return []
    from aishell.model import names_frontend

    frontend = names_frontend(df.text, df.directives)
    graph = graph_error(df, found, frontend)
    if graph is not None:
        raise InputError(path, f"line {graph[1]}: {graph[0]} (BuildKit would reject this file)")
    refused = refused_mounts(found, frontend)
    if refused:
        from aishell.lint_rules._provides import built_stages

        built = built_stages(df)
        for stage, ins, why in refused:
            if stage in built:
                raise InputError(
                    path, f"line {ins.start_line}: {why} (BuildKit would reject this file when it builds the stage)"
                )
    return [ins for _, ins, _ in refused]


def _unfixed(findings: list[Finding], runs: list) -> list[Finding]:
    """``findings`` without the fixes of those in or editing one of ``runs``."""
    spans = [(ins.start, ins.end) for ins in runs]

    def inside(a: int, b: int) -> bool:
        return any(a < e and s < b or s <= a < e for s, e in spans)

    return [
        f._replace(fix=None)
        if f.fix is not None and (inside(f.start, f.end) or any(inside(e.start, e.end) for e in f.fix.edits))
        else f
        for f in findings
    ]


_START = itemgetter(5)  # a Finding's start


def _once(findings: list[Finding]) -> list[Finding]:
    """``findings`` (sorted by start) with each one reported once: a rule that meets one problem
    on two paths (AIS002's walk of `f() { claude "$@"; }; f -v`) would say the same words at the
    same place twice. Equal findings
    share a start, so they are next to each other; a file without two findings at one offset
    (the 500,000 of the scale shapes) is passed by a comparison in C."""
    if len(findings) < 2:
        return findings
    if True not in map(eq, map(_START, findings), map(_START, islice(findings, 1, None))):
        return findings
    out = [findings[0]]
    group = [findings[0]]  # (the findings kept at the start of the last one)
    for f in findings[1:]:
        if f.start != group[0].start:
            group = [f]
        elif f in group:
            continue
        else:
            group.append(f)
        out.append(f)
    return out


# What BuildKit's instructions.ParseInstruction dispatches; any other command word fails the
# build ("unknown instruction"), though its parser (the model's reference) reads the line. An
# ONBUILD's trigger may be neither ONBUILD, FROM nor MAINTAINER.
INSTRUCTIONS = frozenset(
    "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD RUN SHELL STOPSIGNAL USER "
    "VOLUME WORKDIR".split()
)
_TRIGGERS = INSTRUCTIONS - {"ONBUILD", "FROM", "MAINTAINER"}


def _unknown_instruction(df: Dockerfile):
    """The first instruction BuildKit would not dispatch (an unknown command word: lines a
    heredoc BuildKit does not see left behind), or None. One C-level pass over the keywords."""
    keywords = set(map(attrgetter("keyword"), df.instructions))
    if keywords <= _TRIGGERS or (keywords <= INSTRUCTIONS and "ONBUILD" not in keywords):
        return None
    for ins in df.instructions:
        if ins.keyword not in INSTRUCTIONS:
            return ins
        if ins.keyword == "ONBUILD" and ins.sub is not None and ins.sub.keyword not in _TRIGGERS:
            return ins.sub
    return None


def _before_first_stage(df: Dockerfile) -> str | None:
    """What BuildKit's instructions.Parse and dockerfile2llb refuse in a file that parses: an
    instruction other than ARG before the first FROM ("no build stage in current context"), or
    no FROM at all ("dockerfile contains no stages to build"); None when neither."""
    for ins in df.instructions:
        if ins.keyword == "FROM":
            return None
        if ins.keyword != "ARG":
            return f"line {ins.start_line}: {ins.raw_keyword or ins.keyword} before the first FROM: no build stage in current context"
    return "no FROM: the file has no stage to build"


def _owner(starts: list[int], offset: int) -> int | None:
    i = bisect_right(starts, offset)
    return starts[i - 1] if i else None


def _context_for(path: str, options: Options, cfg):
    """The build context of a Dockerfile, for context-aware rules. One the user may not list or
    enter is an InputError (one line, exit 2), as an unreadable ignore file is: the build could
    not send it, and every name asked in it would be "not there" (AIS103 passed a context
    holding `.git`)."""
    from aishell.context import IGNORE_BUDGET, BuildContext

    bc = BuildContext.for_dockerfile(path, options.context, cfg.root if cfg else None)
    # (A folder that is not there, a text linted under a made-up path, has nothing to refuse.)
    effective = os.access in os.supports_effective_ids
    if os.path.isdir(bc.root) and not os.access(bc.root, os.R_OK | os.X_OK, effective_ids=effective):
        raise InputError(bc.root, "build context not read: permission denied")
    bc.ignore_budget = IGNORE_BUDGET  # past it, a path is not known to be sent or left out
    return bc


def lint_file(path: str, options: Options | None = None) -> FileResult:
    return lint_text(read_text(path), path, options)


def lint_paths(paths: list[str], options: Options | None = None) -> LintResult:
    from aishell.paths import remembered

    with remembered():  # each folder's project root and real path asked once (aishell.paths)
        return _lint_paths(paths, options)


def _lint_paths(paths: list[str], options: Options | None) -> LintResult:
    from aishell.rule import new_run
    from aishell.discovery import discover

    new_run()
    files, errors, notes = discover(paths)
    result = LintResult(errors=list(errors))
    result.notes = notes
    from aishell.errors import error_key

    # (a set kept, not one built per error: 12,000 bad files took 22 s)
    said = {error_key(x) for x in result.errors}
    for p in files + _project_configs(files, options):
        try:
            result.files.append(lint_file(p, options))
        except InputError as e:
            k = error_key(e)
            if k not in said:  # a bad config: once, not per file, however its path was spelled
                said.add(k)
                result.errors.append(e)
        except Exception as e:  # a bug of aishell's on this file: one line, the others go on
            from aishell.errors import internal_error

            result.errors.append(internal_error(p, e, "linting it"))
    return result


def _project_configs(files: list[str], options: Options | None) -> list[str]:
    """The config.yaml of each linted Dockerfile's project, once each (its AIS2xx findings)."""
    from aishell.config import find_project_root
    from aishell.config_lint import is_config_path

    if options is not None and not options.use_config:
        return []
    seen = {os.path.abspath(f) for f in files}
    out = []
    for f in files:
        if is_config_path(f):
            continue
        root = find_project_root(f)
        cfg = os.path.join(root, ".aishell", "config.yaml") if root else None
        if cfg and os.path.isfile(cfg) and os.path.abspath(cfg) not in seen:
            seen.add(os.path.abspath(cfg))
            out.append(os.path.relpath(cfg) if not os.path.isabs(f) else cfg)
    return out


def fail_level_for(paths: list[str], cli_level: str | None) -> str:
    if cli_level:
        return cli_level
    start = paths[0] if paths else os.getcwd()
    try:
        cfg = load_config(start)
    except InputError:
        return "warning"
    return cfg.lint.fail_level or "warning"
