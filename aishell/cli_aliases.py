"""The original aishell's command names, which users and their scripts still type.

Each prints one line naming aishell's own command, then runs it with the same arguments
(the original's flags that aishell has too keep their meaning; others are usage errors):

    aishell setup [--with-claude …]   -> aishell build [--with-claude …]
    aishell update                    -> aishell build --update
    aishell check                     -> aishell doctor
    aishell ps                        -> aishell status (its containers section)
    aishell volumes prune [--dry-run] -> aishell prune [--dry-run]
    aishell doctor prune-volumes      -> aishell prune
"""

from __future__ import annotations

import click

from aishell.cli import RUN_CONTEXT, doctor, main, volumes

ALIASES = {
    # name: (aishell's command, its argv prefix, what differs, or "")
    "setup": ("aishell build", ["build"], ""),
    "update": ("aishell build --update", ["build", "--update"], ""),
    "check": ("aishell doctor", ["doctor"], ""),
    "ps": ("aishell status", ["status"], "its containers section lists the running ones"),
}
PRUNE_NOTE = "it also removes the extension images and old foundations no project uses"


def _say_and_run(old: str, new: str, argv: list[str], differs: str) -> None:
    click.echo(f"aishell: `aishell {old}` is `{new}` here{': ' + differs if differs else ''}", err=True)
    main.main(args=argv, prog_name="aishell")


def _alias(name: str, new: str, prefix: list[str], differs: str):
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(args) -> None:
        _say_and_run(name, new, [*prefix, *args], differs)

    command.__doc__ = f"The original aishell's name for `{new}`."
    return main.command(name, context_settings=RUN_CONTEXT)(command)


for _name, (_new, _prefix, _differs) in ALIASES.items():
    _alias(_name, _new, _prefix, _differs)


@volumes.command("prune", context_settings=RUN_CONTEXT)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def volumes_prune(args) -> None:
    """The original aishell's name for `aishell prune`."""
    _say_and_run("volumes prune", "aishell prune", ["prune", *args], PRUNE_NOTE)


@doctor.command("prune-volumes", context_settings=RUN_CONTEXT)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def prune_volumes(args) -> None:
    """Remove the harness volumes (and images) nothing uses: `aishell prune` [--dry-run] [--yes]."""
    _say_and_run("doctor prune-volumes", "aishell prune", ["prune", *args], PRUNE_NOTE)
