"""A rule's findings on a small stage, remembered by the stage's text (AIS101, AIS102).

A rule whose findings on a stage depend only on the stage's lines and on what is the same for
the whole file (its build context, its escape character, facts such as an `.npmrc` read once per
file; each stage starts afresh) finds the same things in every stage of the same text: the same
messages but for the line numbers they name, the same fixes moved by the distance between the
two stages. So a memo lives for one file only. A file that repeats its stages (a build per
target, a concatenation) is then read once per distinct stage. The memo gives itself up in a
file of distinct stages (``Adaptive``).
"""

from __future__ import annotations

MAX = 4096  # entries per memo; forgotten all at once past it (a file of distinct texts keeps nothing)


class Adaptive(dict):
    """A memo that stops paying for itself once it is seen to pay nothing: when it fills up
    (MAX entries) with fewer than MAX/8 answers asked again since it was last emptied, it is
    switched off for the rest of the file. A file of distinct stages (AIS102's `ARG S1_BUILD_DATE`,
    `ARG S2_…`: AIS101 keys a stage of one plain WORKDIR without its path) asks each key once, and
    storing and forgetting them cost more than the work they save.
    The caller counts its hits (``hits``) and asks ``on`` before looking."""

    __slots__ = ("on", "hits")

    def __init__(self, on: bool) -> None:
        super().__init__()
        self.on = on
        self.hits = 0

    def put(self, key, value):
        if len(self) >= MAX:
            self.on = self.hits >= MAX // 8
            self.hits = 0
            self.clear()
        if self.on:
            self[key] = value
        return value


def stage_key(text: str, instructions) -> str | None:
    """The memo key of a stage: its text from its FROM to its last line's break; None for a
    long stage (more than 16 instructions or 2 KB: seldom repeated, and costly to key) and for
    one that ends the file without a line break."""
    first = instructions[0]
    nl = text.find("\n", instructions[-1].end)
    if nl < 0 or len(instructions) > 16 or nl - first.start > 2048:
        return None
    return text[first.start : nl + 1]


def line_mark(s: str, end: int) -> tuple[int, int]:
    """(where the line number ending at ``end`` in ``s`` begins, that number)."""
    head = end
    while head > 0 and "0" <= s[head - 1] <= "9":
        head -= 1
    return head, int(s[head:end])


def relined(s: str, head: int, line: int, dl: int) -> str:
    """``s`` with its line number ``line`` (at ``head``) moved ``dl`` lines on."""
    return f"{s[:head]}{line + dl}{s[head + len(str(line)) :]}"
