"""The ``aishell`` command. Each command parses options, calls one library
function and hands the result to a reporter. Heavy modules load lazily:
``aishell lint`` imports neither libcst nor docker."""

from __future__ import annotations

import errno
import gc
import os
import sys

import click

from aishell import __version__
from aishell.errors import EXIT_INPUT, InputError, unmountable

FORMATS = ("text", "json", "sarif", "github")
# The files a command reads, as click passes them: unchecked. click.Path() checks a path that
# exists is readable (os.access), and one that was not (mode 000, or a folder without search
# permission on the way) made the whole command a usage error of three lines, `Error: Invalid
# value for '[PATHS]...': Path 'x' is not readable.`, and no other file was linted or migrated.
# Reading the file says `x: permission denied`, one line, and the others go on.
FILE_ARG = click.Path(readable=False)
LEVELS = ("info", "warning", "error")


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    codes = [c.strip().upper() for c in value.split(",") if c.strip()]
    from aishell.lint_rules import known_code_prefix

    for c in codes:
        if not known_code_prefix(c):
            raise InputError(None, f"unknown rule code {c!r} (`aishell rules` lists them)")
    return codes


def fail(message: str, code: int = EXIT_INPUT) -> None:
    from aishell.errors import one_line

    click.echo(f"aishell: {one_line(message)}", err=True)
    sys.exit(code)


class PathsCommand(click.Command):
    """A command that takes files: an argument that starts with `-`, names no option of the
    command and names an existing file or folder is that path (pre-commit passes the files it
    matched after the hook's options, with no `--`: a file `-x.Dockerfile` at the root of the
    repository made the whole hook a usage error, and no file was linted)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        names: set[str] = set()
        valued: set[str] = set()
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                opts = set(param.opts) | set(param.secondary_opts)
                names |= opts
                if not param.is_flag and not param.count:
                    valued |= opts
        out: list[str] = []
        for k, arg in enumerate(args):
            if arg == "--":
                out.extend(args[k:])
                break
            if (
                arg.startswith("-")
                and arg != "-"
                and arg.split("=", 1)[0] not in names
                and not (out and out[-1] in valued)
                and os.path.lexists(arg)
            ):
                arg = os.path.join(".", arg)
            out.append(arg)
        return super().parse_args(ctx, out)


class Group(click.Group):
    """The command group: a current folder that no longer exists is one line, exit 2, and Ctrl-C
    is as exit-codes.md has it: `aishell: interrupted`, exit 130.
    Click's own handling printed `Aborted!` and exited 1, which for lint and migrate is the code
    of findings and changes: a CI step cut short read as a lint that ran and found something.
    (build answers its interrupts itself, after its cleanup: aishell.builder.run.)"""

    def invoke(self, ctx: click.Context):
        try:
            os.getcwd()
        except OSError as e:
            # Every command reads paths against it (a project's root, a relative name, SARIF's
            # %SRCROOT%): from a deleted folder each was `internal error ... please report it`.
            fail(f"the current folder cannot be read ({(e.strerror or str(e)).lower()}): cd to a folder that exists")
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            from aishell.errors import EXIT_INTERRUPTED

            click.echo("aishell: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aishell")
def main() -> None:
    """Lint, migrate and build the Docker images AI coding harnesses run in."""


@main.command(cls=PathsCommand)
@click.argument("paths", nargs=-1, type=FILE_ARG)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--select", help="Comma-separated rule codes or prefixes to enable (replaces the config's).")
@click.option("--ignore", help="Comma-separated rule codes or prefixes to disable.")
@click.option("--fail-level", type=click.Choice(LEVELS), help="Lowest severity that fails (default: warning).")
@click.option("--context", "context", help="Build context folder (default: the Dockerfile's).")
def lint(paths, fmt, select, ignore, fail_level, context) -> None:
    """Lint Dockerfiles (default: the project's .aishell/Dockerfile).

    Exit codes: 0 no findings at or above the fail level, 1 findings,
    2 usage, config or input errors.
    """
    from aishell import run_config
    from aishell.discovery import default_paths
    from aishell.lint import Options, fail_level_for, lint_paths
    from aishell.reporters import report, report_errors

    global _QUICK_EXIT
    run_config.QUIET = True  # original-schema config keys are reported as AIS2xx findings instead

    try:
        paths = list(paths) or default_paths()
        options = Options(select=_codes(select), ignore=_codes(ignore) or [], context=context)
        if context is not None and not os.path.isdir(context):
            raise InputError(
                context, "--context: not a folder" if os.path.lexists(context) else "--context: no such folder"
            )
        result = lint_paths(paths, options)
        # lint ran with the collector paused (model.paused_gc): its millions of objects would make
        # the first collection after it walk them all (a second at 10 MB), only to report and exit.
        gc.freeze()
        level = fail_level_for(paths, fail_level)
    except InputError as e:
        fail(str(e))
    _QUICK_EXIT = True
    report(result, fmt)
    report_errors(result)
    if not result.files and not result.errors:
        from aishell.errors import one_line

        found = one_line(", ".join(paths))
        click.echo(f"aishell: no Dockerfiles found in {found}: nothing was linted", err=True)
    sys.exit(result.exit_code(level))


@main.command()
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text")
def rules(code, fmt) -> None:
    """List the rules, or print one rule's documentation."""
    from aishell.ruledocs import rule_doc, rules_table

    if code:
        from aishell.lint_rules import by_code

        rule = by_code().get(code.upper())
        if rule is None:
            fail(f"unknown rule {code!r}; `aishell rules` lists them")
        click.echo(rule_doc(rule))
        return
    click.echo(rules_table(fmt))


@main.command("parse", cls=PathsCommand)
@click.argument("path", type=FILE_ARG)
@click.option("--format", "fmt", type=click.Choice(("json",)), default="json")
def parse_cmd(path, fmt) -> None:
    """Print the Dockerfile model as JSON (a debugging aid)."""
    from aishell.model import DockerfileSyntaxError, instructions_json, parse, paused_gc

    from aishell.discovery import LINKS_OUT, named_links_out
    from aishell.errors import read_text

    try:
        if named_links_out(path):  # (its content would be printed: as lint and migrate refuse it)
            raise InputError(path, LINKS_OUT)
        df = parse(read_text(path), path)
    except InputError as e:
        fail(str(e))
    except DockerfileSyntaxError as e:
        fail(f"{path}: {e}")
    # The same text as json.dumps(list, indent=2), written a piece at a time. The cyclic GC
    # paused: its full collections over a million instructions doubled the time.
    global _QUICK_EXIT
    out = click.get_text_stream("stdout")
    with paused_gc():
        for piece in instructions_json(df.instructions):
            out.write(piece)
    out.flush()
    _QUICK_EXIT = True


@main.command(cls=PathsCommand)
@click.argument("paths", nargs=-1, type=FILE_ARG)
@click.option("--write", is_flag=True, help="Apply the fixes in place (atomically).")
@click.option("--check", is_flag=True, help="Only print the names of files that would change.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (AIS002, AIS003).")
@click.option("--select", help="Comma-separated rule codes or prefixes to fix.")
@click.option("--ignore", help="Comma-separated rule codes or prefixes not to fix.")
@click.option(
    "--global",
    "global_config",
    is_flag=True,
    help="Migrate the original aishell's ~/.aishell/config.yaml into the user config ($XDG_CONFIG_HOME/aishell/config.yaml).",
)
def migrate(paths, write, check, unsafe_fixes, select, ignore, global_config) -> None:
    """Show (or with --write apply) the fixes, for Dockerfiles and Python sources.

    Without --write: a unified diff, exit 1 when there is something to change,
    0 when there is nothing. --write: one line per changed file, exit 0.
    Input errors: one line each, exit 2; other files are still migrated.
    """
    from aishell import run_config
    from aishell.discovery import default_paths
    from aishell.lint import Options
    from aishell.migration import migrate_paths

    run_config.QUIET = True  # migrate rewrites original-schema keys; no warning about them

    if write and check:
        fail("--write and --check do not go together")
    if global_config:
        _migrate_global(write, check, paths)
    try:
        paths = list(paths) or default_paths()
        options = Options(select=_codes(select), ignore=_codes(ignore) or [])
    except InputError as e:
        fail(str(e))
    from aishell.migrate import fixer

    fixer.KEEP_LAST = True  # this command leaves with os._exit: nothing to free (see fixer.KEEP_LAST)
    from aishell.paths import remembered

    with remembered():  # the diffs' names too: each folder's real path asked once (aishell.paths)
        _migrate_report(migrate_paths(paths, options, unsafe=unsafe_fixes, write=write), write, check)


def _migrate_report(result, write: bool, check: bool) -> None:
    global _QUICK_EXIT
    _QUICK_EXIT = True
    from aishell.errors import display_path, one_line

    for change in result.changed:
        name = display_path(change.path)
        if write:
            extra = "".join(
                f", {'created' if created else 'updated'} {display_path(n)}" for n, created in change.written
            )
            click.echo(f"fixed {name}: {change.applied} fix{'es' if change.applied != 1 else ''} applied{extra}")
        elif check:
            click.echo(f"would change {name}")
        else:
            _print_diff(change)
    for change in result.changes:  # a file left as it was says why too (a fix not applied)
        for w in change.warnings:
            click.echo(f"aishell: {display_path(change.path)}: warning: {one_line(w)}", err=True)
    if result.held_back:
        click.echo(
            f"{result.held_back} unsafe fix{'es' if result.held_back != 1 else ''} held back; "
            "apply with `aishell migrate --write --unsafe-fixes`",
            err=True,
        )
    for note in result.notes:
        click.echo(f"aishell: note: {one_line(note)}", err=True)
    if not result.changed and not result.errors:
        click.echo("nothing to migrate", err=True)
    for e in result.errors:
        click.echo(f"aishell: {one_line(str(e))}", err=True)
    if result.errors:
        sys.exit(EXIT_INPUT)
    sys.exit(1 if result.changed and not write else 0)


def _migrate_global(write: bool, check: bool, paths) -> None:
    from aishell.config_migrate import migrate_global
    from aishell.errors import display_path
    from aishell.migrate.fixer import write_change

    if paths:
        fail("--global takes no paths")
    try:
        change = migrate_global()
        (target,) = change.files
        if write:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            write_change(change)
            click.echo(f"created {display_path(target)} from {display_path(change.path)} (left as it was)")
        elif check:
            click.echo(f"would create {display_path(target)}")
        else:
            _print_diff(change)
    except InputError as e:
        fail(str(e))
    sys.exit(0 if write else 1)


def _harness_options(f):
    for name in ("opencode", "gemini", "codex", "claude"):
        f = click.option(
            f"--with-{name}",
            f"with_{name}",
            is_flag=False,
            flag_value="latest",
            default=None,
            metavar="[=VERSION]",
            help=f"Put {name} in the harness volume (a version, a range or latest; bare: latest).",
        )(f)
    return f


@main.command()
@_harness_options
@click.option("--force", is_flag=True, help="Rebuild every tier even when its hash matches.")
@click.option("--update", is_flag=True, help="Re-resolve harness versions (latest, ranges) on the npm registry.")
@click.option("--verbose", "-v", is_flag=True, help="Stream the full build log.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option(
    "--registry",
    metavar="REF",
    help="An OCI registry path to pull tiers from by hash (also AISHELL_REGISTRY, build.registry).",
)
@click.option("--push", is_flag=True, help="Push what was built to the registry (also build.push).")
@click.option(
    "--require-registry", is_flag=True, help="A registry that is down or refuses is an error, not a local build (CI)."
)
def build(
    with_claude, with_codex, with_gemini, with_opencode, force, update, verbose, quiet, registry, push, require_registry
) -> None:
    """Build what changed: foundation, extension (.aishell/Dockerfile), harness volume.

    The build stops before any Docker call when `aishell lint` finds errors.
    Exit codes: 0 built or up to date, 1 lint errors or a failed build,
    2 bad input or config (or a tampered registry tag), 3 Docker (or, with
    --require-registry, the registry) unreachable, 130 interrupted.
    """
    from aishell.builder.plan import make_plan, project_root
    from aishell.builder.run import build as run_build

    try:
        root = project_root()
        why = unmountable(os.path.realpath(root))
        if why is not None:
            raise InputError(None, f"{root!r}: {why}: nothing was built")
        _require_trust(root)
        harnesses = {"claude": with_claude, "codex": with_codex, "gemini": with_gemini, "opencode": with_opencode}
        harnesses = _original_state_offer(harnesses)
        plan = make_plan(
            project_root(),
            harnesses,
            force=force,
            update=update,
            registry=registry,
            push=push,
            require_registry=require_registry,
        )
    except InputError as e:
        fail(str(e))
    sys.exit(run_build(plan, verbose=verbose, quiet=quiet))


def _original_state_offer(harnesses: dict) -> dict:
    """No aishell state and no harness named: the original aishell's selection (aishell.legacy_state)."""
    from aishell import state
    from aishell.builder.plan import project_root
    from aishell.config import load_config
    from aishell.legacy_state import offer

    root = os.path.realpath(project_root())
    cfg = load_config(os.path.join(root, ".aishell", "config.yaml"))
    return offer(
        root, harnesses, cfg.build or {}, state.project(state.load(), root), lambda line: click.echo(line, err=True)
    )


def _run_options(f):
    options = [
        click.option(
            "--no-build", is_flag=True, help="Refuse, naming it, when anything is stale, instead of building it first."
        ),
        click.option(
            "--dry-run", is_flag=True, help="Print the exact docker run (env names, never values) and start nothing."
        ),
        click.option(
            "-e",
            "--env",
            "env",
            multiple=True,
            metavar="NAME[=VALUE]",
            help="Pass a variable (NAME alone: the host's value). Repeatable; adds to run.env.",
        ),
        click.option("--ssh-agent", is_flag=True, help="Forward the host's SSH agent socket (never ~/.ssh)."),
        click.option(
            "--docker-socket",
            is_flag=True,
            help="Mount the host's Docker socket: the container can then control Docker, which is root on the host.",
        ),
        click.option(
            "--sudo",
            is_flag=True,
            help="Let the user sudo to root inside: keeps Docker's default capabilities and allows setuid "
            "(the project config cannot ask for this).",
        ),
        click.option(
            "--egress",
            type=click.Choice(("open", "allowlist", "none")),
            default=None,
            help="Network: open (default), allowlist (only the harness's hosts and run.egress.allow, "
            "through a proxy) or none. Also run.egress.policy (docs/egress.md).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


RUN_CONTEXT = {"ignore_unknown_options": True, "allow_interspersed_args": False}


def _run(
    kind: str,
    harness: str | None,
    command: list[str],
    no_build,
    dry_run,
    env,
    ssh_agent,
    docker_socket,
    sudo,
    egress=None,
) -> None:
    from aishell.builder.plan import project_root
    from aishell.runner.egress import from_config as egress_from_config
    from aishell.runner.launch import run as launch_run
    from aishell.runner.spec import Options

    from aishell.trust import reserved_env

    try:
        cfg = _require_trust(project_root())
        run_cfg = cfg.run or {}
        variables = dict(run_cfg.get("env") or {})
        for item in env:
            name, eq, value = item.partition("=")
            if not name or not name.replace("_", "a").isalnum():
                raise InputError(None, f"-e {item!r}: expected NAME or NAME=VALUE")
            if reserved_env(name):
                raise InputError(None, f"-e {item!r}: {reserved_env(name)}")
            variables[name] = value if eq else None
        if harness is not None:  # run.harness_args come first, the command line's after (as the original)
            command = [*(run_cfg.get("harness_args") or {}).get(harness, ()), *command]
        opts = Options(
            harness,
            kind,
            command,
            variables,
            run_cfg.get("isolation", "host"),
            sudo or bool(run_cfg.get("sudo")),
            ssh_agent,
            docker_socket,
            tuple(run_cfg.get("docker_args") or ()),
            tuple(run_cfg.get("mounts") or ()),
            tuple(run_cfg.get("ports") or ()),
            run_cfg.get("pre_start"),
            egress_from_config(cfg, egress),
        )
        from aishell.detection import warning

        line = warning(os.path.realpath(project_root()), run_cfg.get("detection"))
        if line:
            click.echo(line, err=True)
        code = launch_run(opts, no_build=no_build, dry_run=dry_run)
    except InputError as e:
        fail(str(e))
    sys.exit(code)


def _require_trust(root: str):
    """The project's config, once its privileged keys are trusted: asks at a terminal, else exit 2
    naming the keys (``aishell.trust.require_trust``); nothing has started yet."""
    from aishell.config import clear_cache, load_config
    from aishell.trust import require_trust

    cfg = load_config(os.path.join(root, ".aishell", "config.yaml"))
    interactive = sys.stdin.isatty() and sys.stderr.isatty()
    ask = lambda question: click.confirm(question, default=False, err=True)  # noqa: E731
    if require_trust(cfg.grant, interactive, ask, lambda line: click.echo(line, err=True)):
        clear_cache()
        cfg = load_config(os.path.join(root, ".aishell", "config.yaml"))
    return cfg


@main.command("trust")
@click.option("--revoke", is_flag=True, help="Forget the trust: privileged keys are refused again.")
@click.option("--show", is_flag=True, help="Print the trust state and the privileged keys; change nothing.")
def trust_cmd(revoke, show) -> None:
    """Trust the project's .aishell/config.yaml as it is now (its sha256 goes into your state).

    Until then its privileged keys (run.docker_args, run.env pass-through, build.registry,
    build.push, build.ca_certificates outside the project) are refused; any later change to
    the file makes it untrusted again. Exit codes: 0 done, 2 no project config.
    """
    from aishell.builder.plan import project_root
    from aishell.config import clear_cache, load_config
    from aishell import trust as t

    from aishell.config import find_project_root

    path = os.path.join(project_root(), ".aishell", "config.yaml")
    try:
        if not os.path.isfile(path) or find_project_root(path) is None:
            # (none, or in a `.aishell/` that is not this project's: another user's, the home folder's)
            raise InputError(path, "no project config here: nothing to trust")
        cfg = load_config(path)  # a config that does not load is not trusted
        if show:
            click.echo(f"{path}: {cfg.grant.trust.word}")
            for key, why in cfg.grant.refused:
                click.echo(f"  refused  {key}: {why}")
            for key, origin, why in cfg.grant.privileged:
                click.echo(f"  granted  {key} (from the {origin} config): {why}")
            return
        if revoke:
            had = t.revoke(path)
            click.echo(f"{path}: trust revoked" if had else f"{path}: was not trusted")
            return
        g = cfg.grant
        h = t.trust(path)
        clear_cache()
        keys = [k for k, _ in g.refused] + [k for k, o, _ in g.privileged if o == "project"]
        click.echo(f"{path}: trusted (sha256 {h[:12]}){': grants ' + ', '.join(keys) if keys else ''}")
    except InputError as e:
        fail(str(e))


def _harness_command(name: str):
    @_run_options
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(args, **kw) -> None:
        _run(name, name, list(args), **kw)

    command.__doc__ = (
        f"Start {name} in the project's container; ARGS go to {name} untouched "
        f"(`aishell {name} -- --help` for its own help)."
    )
    return main.command(name, context_settings=RUN_CONTEXT)(command)


for _name in ("claude", "codex", "gemini", "opencode"):
    _harness_command(_name)


@main.command(context_settings=RUN_CONTEXT)
@_run_options
def shell(**kw) -> None:
    """An interactive bash in the project's container."""
    _run("shell", None, ["bash"], **kw)


@main.command("exec", context_settings=RUN_CONTEXT)
@_run_options
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def exec_cmd(command, **kw) -> None:
    """Run one command in the project's container: aishell exec -- CMD [ARGS...].

    Its exit code is the command's. aishell's own failures print a line starting
    with `aishell:` first: 2 bad input or nothing to run, 3 Docker unreachable.
    """
    _run("exec", None, list(command), **kw)


def _client_or_exit():
    from aishell.engine import DockerUnreachable, connect
    from aishell.errors import EXIT_DOCKER

    try:
        return connect()
    except DockerUnreachable as e:
        fail(str(e), EXIT_DOCKER)


def _say(line: str) -> None:
    click.echo(line)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON (docs/status.md).")
@click.option("--all", "all_projects", is_flag=True, help="Every project in the state, not just this one.")
@click.option("--check-updates", is_flag=True, help="Ask the npm registry for newer harness versions.")
def status(as_json, all_projects, check_updates) -> None:
    """What aishell built for this project: each tier current or stale (and why), harness
    versions, containers, the run spec, and the disk it uses. Builds and pulls nothing."""
    import json

    from aishell import state
    from aishell.builder.plan import make_plan, project_root
    from aishell.footprint.status import render, status as run_status

    try:
        root = os.path.realpath(project_root())
        plan = make_plan(root, {})
        client = _client_or_exit()
        data, ok = state.load_checked()
        roots = sorted(state.projects(data)) if all_projects else [root]
        doc = run_status(client, roots, data, ok, check_updates, plan)
    except InputError as e:
        fail(str(e))
    if as_json:
        click.echo(json.dumps(doc, indent=2))
    else:
        render(doc, _say)
        if not ok:
            click.echo(
                "aishell: the state file is unreadable; aishell build rewrites it, prune refuses until then", err=True
            )


@main.group()
def volumes() -> None:
    """The harness volumes aishell made."""


@volumes.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def volumes_list_cmd(as_json) -> None:
    """Each harness volume: its harnesses and versions, size, creation time, the projects
    whose state references it and the containers (any state) that mount it."""
    import json

    from aishell import state
    from aishell.footprint.prune import human
    from aishell.footprint.status import volumes_list

    client = _client_or_exit()
    data, _ = state.load_checked()
    rows = volumes_list(client, data)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no harness volumes")
    for v in rows:
        harnesses = ", ".join(f"{k} {x}" for k, x in sorted(v["harnesses"].items()))
        whose = "" if v["mine"] else f"  (another user's or state folder's: owner {v['owner'] or 'unlabelled'})"
        click.echo(f"{v['name']}  {harnesses}  {human(v['size'])}  created {v['created'][:19]}{whose}")
        click.echo(
            f"    projects: {', '.join(v['referenced_by']) or '-'}; containers: {', '.join(v['used_by']) or '-'}"
        )


@main.group()
def egress() -> None:
    """The egress policy's records (docs/egress.md)."""


@egress.command("log")
@click.option("--all", "all_projects", is_flag=True, help="Every project, not just this one.")
@click.option("--limit", type=int, default=50, show_default=True, help="How many of the most recent records.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def egress_log(all_projects, limit, as_json) -> None:
    """The hosts the egress proxy refused in recent runs (newest last), with counts."""
    import json

    from aishell.builder.plan import project_root
    from aishell.runner.egress import read_log

    rows = read_log(None if all_projects else os.path.realpath(project_root()), max(limit, 0))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo(
            "no blocked requests recorded" + ("" if all_projects else " for this project (--all: every project)")
        )
    for r in rows:
        click.echo(
            f"{r.get('time')}  {r.get('host')} ({r.get('count')})" + (f"  {r.get('project')}" if all_projects else "")
        )


@main.command()
@click.option("--dry-run", is_flag=True, help="Print what would go and the bytes it would free; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask (required without a terminal).")
@click.option("--older-than", metavar="DURATION", help="Only items older than this (30m, 12h, 7d, 2w).")
@click.option("--keep", type=int, default=0, show_default=True, help="Keep the N most recent per project.")
@click.option(
    "--gone-projects",
    is_flag=True,
    help="Drop the state of projects whose folder is gone, freeing what only they used.",
)
@click.option(
    "--all-users",
    is_flag=True,
    help="Also remove other users' items (an administrator's clean-up); never what a container uses.",
)
def prune(dry_run, yes, older_than, keep, gone_projects, all_users) -> None:
    """Remove the harness volumes, extension images, old foundations and leftover carrier
    images that no project's state references and no container (running or stopped) uses.

    Exit codes: 0 done (or nothing to do), 2 refused (no --yes without a terminal, or a
    missing or corrupt state file), 3 Docker unreachable.
    """
    from aishell.footprint.prune import prune as run_prune

    client = _client_or_exit()
    interactive = sys.stdin.isatty() and sys.stderr.isatty()
    try:
        code = run_prune(
            client,
            _say,
            dry_run=dry_run,
            yes=yes,
            interactive=interactive,
            older_than=older_than,
            keep=keep,
            gone_projects=gone_projects,
            all_users=all_users,
        )
    except InputError as e:
        fail(str(e))
    sys.exit(code)


HARNESS_NAMES = ("claude", "codex", "gemini", "opencode")


@main.group("config")
def config_group() -> None:
    """The project's copy of the harness config (docs/run.md): what a run changed, against the host's."""


def _config_copy(harness: str | None):
    from aishell import state
    from aishell.builder.plan import project_root
    from aishell.harness import BY_NAME, HARNESSES
    from aishell.runner import harness_state

    root = os.path.realpath(project_root())
    isolation = harness_state.project_isolation(root)
    if isolation == harness_state.PRIVILEGED_ISOLATION:
        raise InputError(
            None, "run.isolation is shared: runs write the host's harness folders themselves, there is no copy"
        )
    home = os.path.expanduser("~")
    copy = harness_state.copy_root(state.state_dir(), root, isolation)
    harnesses = [BY_NAME[harness]] if harness else list(HARNESSES)
    return home, copy, harnesses


@config_group.command("diff")
@click.argument("harness", required=False, type=click.Choice(HARNESS_NAMES))
def config_diff(harness) -> None:
    """Show how the project's copy of HARNESS's config (every harness by default) differs from
    the host's, as a unified diff. Exit 0 no difference, 1 differences, 2 bad input."""
    from aishell.runner import harness_state

    try:
        home, copy, harnesses = _config_copy(harness)
    except InputError as e:
        fail(str(e))
    text = "".join(harness_state.diff(home, copy, h) for h in harnesses)
    if text:
        _print_diff(text)
    sys.exit(1 if text else 0)


@config_group.command("apply")
@click.argument("harness", type=click.Choice(HARNESS_NAMES))
@click.option("--yes", is_flag=True, help="Write the files; without it, show the diff and write nothing.")
def config_apply(harness, yes) -> None:
    """Copy the project's version of HARNESS's changed config files to the host (hooks, MCP
    servers and notify commands included: read `aishell config diff HARNESS` first).
    Exit 0 applied or nothing to apply, 1 a file was not written (named), 2 refused (no --yes)
    or bad input."""
    from aishell.runner import harness_state

    try:
        home, copy, (h,) = _config_copy(harness)
    except InputError as e:
        fail(str(e))
    text = harness_state.diff(home, copy, h)
    if not text:
        click.echo(f"{harness}: the project's copy is the same as the host's: nothing to apply")
        return
    if not yes:
        _print_diff(text)
        fail(f"nothing written: `aishell config apply {harness} --yes` writes these files to the host")
    failed = 0
    for ok, line in harness_state.apply(home, copy, h):
        click.echo(line if ok else f"aishell: {line}", err=not ok)
        failed += not ok
    sys.exit(1 if failed else 0)


@main.group(invoke_without_command=True)
@click.pass_context
def doctor(ctx) -> None:
    """Check the engine, build backend, disk, base images, npm registry, state and harness
    folders: one line per problem with its fix. Exit 0 all good, 1 problems, 3 no Docker."""
    if ctx.invoked_subcommand is not None:
        return
    from aishell.footprint.doctor import doctor as run_doctor

    try:
        code = run_doctor(_say)
    except InputError as e:
        fail(str(e))
    sys.exit(code)


def _print_diff(diff) -> None:
    """A diff (text, or a migrate FileChange): a terminal gets it coloured, as text; a pipe gets
    a FileChange's diff as the bytes `git apply` takes (a Python source's lines in its own encoding)."""
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.syntax import Syntax

        text = diff if isinstance(diff, str) else diff.diff()
        Console().print(Syntax(text, "diff", theme="ansi_dark", background_color="default"))
    elif isinstance(diff, str):
        sys.stdout.write(diff)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(diff.diff_bytes())


from aishell import cli_aliases  # noqa: E402,F401  the original aishell's command names


# Commands that end the process without tearing their model down: freeing a 10 MB file's
# millions of objects one by one costs half a second, and nothing is left to do but exit.
# Set by the command itself, so that only a finished lint/parse/migrate leaves this way.
_QUICK_EXIT = False


def _quick_exit(code: object) -> None:
    """Flush every stream the command wrote to, then leave with ``code`` at once (os._exit):
    no atexit handler or finalizer of aishell's needs to run after these commands. Returns
    (and the normal exit follows) when a stream cannot be flushed: that path reports it."""
    if code is None:
        code = 0
    if not isinstance(code, int) or isinstance(code, bool):
        return
    from click._compat import _default_text_stderr, _default_text_stdout

    try:
        for stream in (_default_text_stdout(), sys.stdout, _default_text_stderr(), sys.stderr):
            if stream is not None:
                stream.flush()
    except OSError as e:
        _output_failed(e)
    except Exception:
        return
    os._exit(code)


def _output_failed(e: OSError) -> None:
    """The output could not be written (a full disk, a pipe its reader closed, an I/O error):
    one line on stderr, exit 2, and nothing more written (Python's own flush at exit would
    fail again, with a traceback-like message and exit 120)."""
    from aishell.errors import EXIT_INPUT

    reason = os.strerror(e.errno) if e.errno else str(e)
    try:
        sys.stderr.write(f"aishell: cannot write the output: {reason}\n")
        sys.stderr.flush()
    except Exception:
        pass
    os._exit(EXIT_INPUT)


def run() -> None:
    try:
        main()
    except SystemExit as e:
        if _QUICK_EXIT:
            _quick_exit(e.code)
        try:  # what the interpreter's exit would flush: a failure here is the output's
            sys.stdout.flush()
        except OSError as err:
            _output_failed(err)
        raise
    except KeyboardInterrupt:
        from aishell.errors import EXIT_INTERRUPTED

        click.echo("aishell: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except OSError as e:
        if e.errno in _OUTPUT_ERRNOS and e.filename is None:
            _output_failed(e)
        _last_resort(e)
    except Exception as e:
        _last_resort(e)


def _last_resort(e: Exception) -> None:
    """An error no command turned into its one line (a bug of aishell's): one line on stderr,
    exit 2, never a traceback. AISHELL_DEBUG=1 lets the traceback through."""
    from aishell.errors import internal_error

    err = internal_error(None, e, "running the command")  # (raises e itself under AISHELL_DEBUG)
    try:
        from aishell.errors import one_line

        click.echo(f"aishell: {one_line(str(err))}", err=True)
    except Exception:
        pass
    sys.exit(EXIT_INPUT)


# Errors of a write to aishell's own output (a file error names its file, and is the command's to report).
_OUTPUT_ERRNOS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG}
