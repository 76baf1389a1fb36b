"""The npm configuration a stage's environment gives the RUNs in it (AIS002, AIS003).

npm reads every environment variable whose name starts with `npm_config_`, in any case
(`NPM_CONFIG_GLOBAL=true` is `--global`); BuildKit puts a stage's `ENV` values and the values of
the `ARG`s declared in it (a bare `ARG NAME` takes the global default) into every RUN's
environment, and a stage built FROM another starts with that one's. So `ENV
npm_config_global=true` then `RUN npm install @anthropic-ai/claude-code` is a global install.

What a value is, for each variable: (value, sure). ``sure`` False where it may be another one:
an `ARG`'s (a `--build-arg` replaces it), a value naming a variable (`ENV npm_config_global=$G`),
an `ARG` declared without a default anywhere. Readers ask for the environment twice, as it is
(``value(env)``: the values known, those only known to be possible left out) and as it may be
(``value(env, maybe=True)``: every value that is not sure is taken as one that turns the setting
on), so that an install only the second reading finds is a possible one (a warning at most).
"""

from __future__ import annotations

import re

from aishell.model import arg_definitions, key_values

PREFIX = "npm_config_"
# The settings whose value the readers ask about (aishell.harness.is_global), and the value that
# turns each on where a value is not sure. Only these are kept: an environment is a few entries
# whatever the file sets (8,000 other `ENV npm_config_x…` copy nothing per RUN).
_ON = {"npm_config_global": "true", "npm_config_location": "global"}

Env = tuple  # ((name as written, value or None, sure), …): hashable, a memo key

# A step that may write npm's configuration files (`npm config set global true`, `npm set
# location global`, `echo global=true >> ~/.npmrc`, `COPY .npmrc /root/`): npm reads them after the
# environment, so a later `npm install` may be global where no variable says so (a possible one).
# In one command list item (no line break, `;`, `&` or `|` between them): the word `npm`, then the
# word `set`, then `global` or `location`. Read one item at a time, each word looked for once
# from the first `npm` of the item: the one regexp that said this backtracked over every `npm`,
# every `set` after it and every character after that (cubic: 1.6 KB of `npm … set …` on one
# line took half a second, 12 KB over a minute).
# (Searched in lower-cased text: a case-blind regexp has no fast scan for its first letters.)
_NPM_WORD = re.compile(r"\bnpm\b")
_SET_WORD = re.compile(r"\bset\b")
_RC_KEY = re.compile(r"\b(?:global|location)\b")
_ITEM_END = re.compile(r"[\n;&|]")


def _writes_rc(text: str, low: str | None = None) -> bool:
    """Whether ``text`` (any case) names `npmrc`, or sets npm's `global` or `location` as above:
    most texts hold no `npm` at all, and of those that do most name no `set` with `global` or
    `location`. Linear: each item's words are looked for once, from its first `npm`. ``low``:
    ``text.lower()`` where the caller has it (a whole file's, Dockerfile.lowered)."""
    if low is None:
        low = text.lower()
    if "npm" not in low:
        return False
    if "npmrc" in low:
        return True
    if "set" not in low or ("global" not in low and "location" not in low):
        return False
    at = 0
    while (npm := _NPM_WORD.search(low, at)) is not None:
        end = _ITEM_END.search(low, npm.end())
        stop = len(low) if end is None else end.start()
        # (A later `npm` of the item finds only the `set`s after this one's: nothing new.)
        found = _SET_WORD.search(low, npm.end(), stop)
        if found is not None and _RC_KEY.search(low, found.end(), stop) is not None:
            return True
        if end is None:
            return False
        at = stop + 1
    return False


_RC = "(npmrc)"  # the entry that stands for it


def _names_npm(text: str, low: str | None = None) -> bool:
    return "npm_config_" in text or PREFIX in (text.lower() if low is None else low)


def _rc(ins) -> bool:
    if _writes_rc(ins.logical):
        return True
    return any(_writes_rc(d.content) for d in ins.heredocs) if ins.heredocs else False


def _set(env: Env | None, name: str, value: str | None, sure: bool) -> Env:
    kept = tuple(e for e in env or () if e[0] != name)
    return kept + ((name, value, sure),)


def stage_envs(df) -> dict[int, Env]:
    """_stage_envs, remembered for the last files (AIS002 and AIS003 ask): keyed by the text,
    which alone decides it (a model is never held here). Do not change the dict."""
    from aishell.lint_rules._provides import by_text

    return by_text(_ENVS, df, _stage_envs)


_ENVS: dict[int, tuple] = {}


def _stage_envs(df) -> dict[int, Env]:
    """For each RUN and ONBUILD instruction (by its start offset) whose stage's environment sets
    an npm_config_ variable: that environment, as it is when the instruction runs. One pass over
    the stages in order (a stage's base comes before it); instructions that name no npm_config_
    variable cost one search of their text."""
    from aishell.lint_rules._provides import base_indices

    out: dict[int, Env] = {}
    rc = _writes_rc(df.text, df.lowered())
    if not rc and not _names_npm(df.text, df.lowered()):
        return out
    defaults = None
    ends: list[Env | None] = []
    for stage, b in zip(df.stages, base_indices(df)):
        env = ends[b] if b is not None else None
        for ins in stage.instructions:
            keyword = ins.keyword
            if keyword == "ENV":
                if _names_npm(ins.args):
                    for name, value in key_values(ins):
                        if name.lower() in _ON:
                            known = "$" not in value  # (`$G`: expanded by BuildKit, not known here)
                            env = _set(env, name, value if known else None, known)
            elif keyword == "ARG":
                if _names_npm(ins.args):
                    for name, value, _ in arg_definitions(ins):
                        if name.lower() not in _ON:
                            continue
                        if value is None:
                            if defaults is None:
                                defaults = df._global_defaults()
                            value = defaults.get(name)
                        # A --build-arg replaces it: never sure.
                        env = _set(env, name, value if value is None or "$" not in value else None, False)
            elif keyword in ("RUN", "ONBUILD", "COPY", "ADD"):
                if rc and (env is None or env[-1][0] != _RC) and _rc(ins):
                    # (From this step on, its own RUN too: it may write the file first.)
                    env = _set(env, _RC, None, False)
                if env and keyword in ("RUN", "ONBUILD"):
                    out[ins.start] = env
        ends.append(env)
    return out


def reading(env: Env | None, maybe: bool = False) -> dict[str, str] | None:
    """The variables as aishell.harness.find_install reads them (names lower-cased, the last
    setting of a name in any case winning): the sure values; with ``maybe``, a value that is not
    sure turned into the one that switches its setting on."""
    if not env:
        return None
    out: dict[str, str] = {}
    rc = False
    for name, value, sure in env:
        if name == _RC:
            rc = True
            continue
        key = name.lower()
        if maybe and not sure and key in _ON:
            out[key] = _ON[key]
        elif value is not None and (sure or not maybe or key not in _ON):
            out[key] = value
        else:
            out.pop(key, None)
    if rc and maybe and "npm_config_global" not in out and "npm_config_location" not in out:
        out["npm_config_global"] = "true"  # (the variables win over the files)
    return out or None
