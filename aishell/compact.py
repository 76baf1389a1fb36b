"""Scripts let go past KEEP_SCRIPTS kept compact for the rules that read them again (aishell.shell's
COMPACT_KEPT: the comments there). Imported by aishell.shell when a file first keeps one: a file
of fewer RUNs, or none a later rule reads, does not compile this module."""

from __future__ import annotations

from collections import deque
from operator import add, itemgetter

from aishell import harness, shell
from aishell.harness import Install
from aishell.shell import Command, Script, _new_object, _PlainSpans, _Spans


class FlatSpans(_Spans):
    """_Spans of a compact script's command: where each word starts, then where each ends, in one
    tuple ``at`` (a start not before its end: no span), moved by ``delta``."""

    __slots__ = ("at",)

    def moved(self, delta: int) -> _Spans:
        spans = _new_object(FlatSpans)
        spans.at, spans.delta = self.at, self.delta + delta
        return spans

    def __len__(self) -> int:
        return len(self.at) >> 1

    def __getitem__(self, k):
        if isinstance(k, slice):
            return list(self)[k]
        n = len(self.at) >> 1
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError("_Spans index out of range")
        a, b = self.at[k], self.at[n + k]
        if a >= b:
            return None
        d = self.delta
        return (a + d, b + d)

    def __iter__(self):
        at, d = self.at, self.delta
        n = len(at) >> 1
        return ((at[i] + d, at[n + i] + d) if at[i] < at[n + i] else None for i in range(n))


_A, _B = itemgetter(2), itemgetter(3)  # a Token's start and end


class Compact:
    """A script let go past KEEP_SCRIPTS, kept for the rules after (COMPACT_KEPT) in what little
    memory it needs of its own: ``form``, what every script of its layout shares (its flags, its
    items and each command's word spans, start, end, place and name, and whether its spans are
    the exec form's list, relative to where its RUN starts: _FORMS; a file of 190,000 distinct
    installs has a few), ``delta`` where its RUN starts
    (the RUN's own int), ``argvs`` its commands' words (a one-command script's argv list itself,
    else a tuple of them), ``found`` the installs AIS002 read of them (take_install;
    one, or a tuple, as ``argvs``), ``more`` its fed, files_read and unsure_names (None when all
    are). analyse_run gives the Script made of it (_made: the last MADE_KEPT are kept made); the
    status walk (failing_starts) reads it as a script kept with no tokens, from the text."""

    __slots__ = ("form", "delta", "argvs", "found", "more", "made")

    tokens = shape = staged = None  # (the walk's: none kept)

    @property
    def doc_tokens(self):
        return None

    @doc_tokens.setter
    def doc_tokens(self, value) -> None:
        if value is not None:  # (failing_starts takes a kept script's, leaving None)
            raise AttributeError("a compact script keeps no heredoc tokens")

    @property
    def fed(self):
        more = self.more
        return None if more is None else more[0]

    @property
    def exact(self) -> bool:
        return self.form[0]


_FORMS: dict[tuple, tuple] = {}  # the forms of the file's compact scripts, each kept once
FORMS_MAX = 1 << 16  # forms kept to be shared, at most (a form met past it is its script's own)
_MADE: deque[Compact] = deque()  # the compact scripts whose Script is made (their ``made``), oldest first
MADE_KEPT = 16


def compact(script: Script | None, base: int = 0) -> Compact | None:
    """``script``, of the RUN starting at ``base``, kept compact (Compact); None for a script of
    more than COMPACT_WORDS words, or read with stage variables."""
    if script is None or script.staged is not None:
        return None
    forms = []
    argvs = []
    count = 0
    most = shell.COMPACT_WORDS
    for c in script.commands:
        spans = c.spans
        argv = c.argv
        count += len(argv)
        if count > most:
            return None
        kind = type(spans)
        offsets = spans.m.offsets if kind is _Spans or kind is _PlainSpans else None
        if type(offsets) is range and offsets.step == 1:
            # A line's words (its offsets in a row): the Tokens' own starts and ends, moved by
            # where the line starts (m.span's answer for each), gathered in C; a plain line's
            # (_PlainSpans, _plain_line's: `RUN npm install -g …`), its starts and their words'
            # lengths added.
            if kind is _Spans:
                words = spans.words
                at = (*map(_A, words), *map(_B, words))
            else:
                lo = spans.lo
                hi = lo + spans.n
                starts = spans.starts[lo:hi]
                at = (*starts, *map(add, starts, map(len, spans.words[lo:hi])))
            shift = offsets.start + spans.delta - base
            if shift:
                at = tuple(map(shift.__add__, at))
        else:  # (any other: its spans as given, None as a start not before its end; the exec form's list)
            got = list(spans)
            at = (
                *[0 if sp is None else sp[0] - base for sp in got],
                *[0 if sp is None else sp[1] - base for sp in got],
            )
        start, end = c.start, c.end
        forms.append(
            (
                at,
                None if start is None else start - base,
                None if end is None else end - base,
                c.nested,
                c.item,
                c.runner,
                c.name,
                type(spans) is list,
            )
        )
        argvs.append(argv)
    form = (script.exact, script.truncated, tuple([(x - base, y - base) for x, y in script.items]), tuple(forms))
    shared = _FORMS.get(form)
    if shared is not None:
        form = shared
    elif len(_FORMS) < FORMS_MAX:
        _FORMS[form] = form
    kept = _new_object(Compact)
    kept.form, kept.delta, kept.made = form, base, None
    take = take_install
    if len(argvs) == 1:
        argv = argvs[0]
        kept.argvs, kept.found = argv, take(argv)
    else:
        kept.argvs, kept.found = tuple(argvs), tuple(map(take, argvs))
    fed, files_read, unsure_names = script.fed, script.files_read, script.unsure_names
    kept.more = None if fed is None and files_read is None and unsure_names is None else (fed, files_read, unsure_names)
    return kept


def made(kept: Compact) -> Script:
    """The Script ``kept`` keeps (Compact), as the rules read it; its installs read given back to
    aishell.harness (_give)."""
    script = kept.made
    if script is not None:
        return script
    exact, truncated, items, forms = kept.form
    d = kept.delta
    new, new_object, give = tuple.__new__, _new_object, _give
    argvs, found = kept.argvs, kept.found
    if len(forms) == 1:
        argvs, found = (argvs,), (found,)
    commands = []
    for (at, start, end, nested, item, runner, name, listed), argv, got in zip(forms, argvs, found):
        spans = new_object(FlatSpans)
        spans.at, spans.delta = at, d
        if listed:
            spans = list(spans)  # (the exec form's: a list, as read)
        commands.append(
            new(
                Command,
                (
                    argv,
                    spans,
                    None if start is None else start + d,
                    None if end is None else end + d,
                    nested,
                    item,
                    runner,
                    name,
                ),
            )
        )
        if got is not UNREAD:
            give(argv, got)
    script = new_object(Script)
    script.commands, script.items, script.exact, script.truncated = (
        commands,
        [(x + d, y + d) for x, y in items],
        exact,
        truncated,
    )
    script.tokens = script.doc_tokens = script.shape = script.staged = None
    more = kept.more
    script.fed, script.files_read, script.unsure_names = (None, None, None) if more is None else more
    kept.made = script
    _MADE.append(kept)
    if len(_MADE) > MADE_KEPT:
        _MADE.popleft().made = None
    return script


UNREAD = object()  # take_install's answer for a command not asked of
# The answers taken, each kept once (a file of 190,000 installs of one harness has a few): by
# their harnesses' ids (held: the harnesses are HARNESSES') and other fields.
_TAKEN: dict[tuple, Install] = {}


def take_install(argv: list[str]) -> Install | None | object:
    """find_install's answer kept for ``argv`` (aishell.harness.SHARED_INSTALLS), taken out;
    UNREAD when none is."""
    hit = harness._SHARED.pop(id(argv), None)
    if hit is None or hit[0] is not argv:
        return UNREAD  # (a hit for another list, let go, is taken as well: never asked again)
    found = hit[1]
    if found is None:
        return None
    key = (
        *map(id, found.harnesses),
        found.package_words,
        found.other_packages,
        found.kind,
        found.exact,
        found.other_words,
    )
    return _TAKEN.setdefault(key, found)


def _give(argv: list[str], found: Install | None) -> None:
    """take_install's answer for ``argv`` given back (the command is read again)."""
    shared = harness._SHARED
    if len(shared) >= harness.SHARED_MAX:
        shared.clear()
    shared[id(argv)] = (argv, found)


def end_file() -> None:
    """The file is linted: the forms, the Scripts made and the installs taken are let go."""
    _FORMS.clear()
    for kept in _MADE:
        kept.made = None
    _MADE.clear()
    _TAKEN.clear()
