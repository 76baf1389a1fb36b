"""Edit helpers the rules share: remove a list item from a RUN, or a whole instruction."""

from __future__ import annotations

from aishell.findings import Edit
from aishell.model import Dockerfile, Instruction
from aishell.shell import Command, Script


def line_ending_at(text: str, offset: int) -> str:
    """The line ending of the line holding ``offset`` (of the line before it, on a last line
    without one): new lines copy their neighbour's, so files with mixed endings keep them."""
    nl = text.find("\n", offset)
    if nl < 0:
        nl = text.rfind("\n", 0, offset)
        if nl < 0:
            return "\n"
    return "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"


def drop_instruction(df: Dockerfile, ins: Instruction) -> Edit:
    """Remove an instruction's lines, heredoc bodies included, and one line break."""
    text = df.text
    start = text.rfind("\n", 0, ins.start) + 1
    if start == 0 and text.startswith("\ufeff"):
        start = 1  # keep the BOM
    nl = text.find("\n", ins.end)
    if nl >= 0:
        return Edit(start, nl + 1, "")
    if start > 1:
        # The last line has no final newline: take the line break before it,
        # so the file still ends without one.
        prev = start - 1
        if text[prev - 1] == "\r":
            prev -= 1
        return Edit(prev, len(text), "")
    return Edit(start, len(text), "")


def drop_command(df: Dockerfile, ins: Instruction, script: Script, cmd: Command) -> Edit | None:
    """Remove the top-level list item holding ``cmd``; the whole RUN when it is the only one.

    None when the command is nested (in a subshell, ``sh -c`` string, control
    structure) or its spans cannot be mapped exactly.
    """
    if cmd.nested or not script.exact or not (0 <= cmd.item < len(script.items)):
        return None
    return drop_items(df, ins, script, {cmd.item})


def drop_items(df: Dockerfile, ins: Instruction, script: Script, items: set[int]) -> Edit | None:
    """Remove one list item (a set of one) from a RUN's script, or the RUN when none is left."""
    if len(items) >= len(script.items):
        return drop_instruction(df, ins)
    (i,) = items
    spans = script.items
    if i > 0:
        return Edit(spans[i - 1][1], spans[i][1], "")
    return Edit(spans[0][0], spans[1][0], "")
