"""Rewrite an original-schema config into aishell's, as text edits that keep everything else.

Each top-level entry of the file is a block of lines: the comment lines right above
its key (up to a blank line), the key, its value, and whatever follows up to the
next entry's block. A key that moves (``aishell.legacy_config``) takes its whole
block, comments and formatting included, under ``run:`` (or ``legacy:`` when aishell
has no equivalent), indented as that section's children are; the other entries and
the lines before the first key are copied unchanged. Two values are renamed in place
(``claude_isolation: shared`` -> ``isolation: host``, ``extends: global`` -> ``user``),
and ``harness_args`` entries for harnesses aishell does not run go to
``legacy.harness_args``.

Before anything is written the result is proved (black's way): it must load to the
same data as the translation of the original, and hold the same comment lines; a
second pass must change nothing. Otherwise an InputError says so and nothing is written.
"""

from __future__ import annotations

import re

import os

from aishell.yaml_text import Refused, load_checked
from aishell.errors import YAML_ERRORS, InputError, yaml_problem
from aishell.legacy_config import KNOWN_HARNESSES, LEGACY_SECTION, convert_value, plan, split_harness_args, translate


# The texts one migration has loaded, with their (node, data): each step loads the text it is
# given, and a step that changes nothing (no key to rename, no flow section) hands the next the
# same text (a 150 KB config was read 15 times: 5 s). Nothing changes a loaded node or its data
# (PyYAML's constructor flattens merge keys in the node it builds from, but data comes from a
# load of its own). migrate_config_text empties it before and after each file.
_LOADED: dict[str, tuple] = {}


def _load(text: str, path: str, rewritten: bool = False):
    """(node, data) of ``text``; ``rewritten``: a text the migration made from the file, whose
    failure to load is the migration's, never the file's (a line of it is no line of the file)."""
    hit = _LOADED.get(text)
    if hit is not None:
        return hit
    try:
        root, data = load_checked(text)
    except Refused as e:
        if e.error is None or not rewritten:
            raise InputError(path, str(e)) from None
        raise _rewrite_failed(e.error, path) from None
    _LOADED[text] = (root, data)
    return root, data


def _rewrite_failed(e: BaseException, path: str) -> InputError:
    """The error for a rewrite that does not load: an alias the moves separated from its anchor
    (the file's own doing, said so), else the migration's (its line is no line of the file)."""
    import yaml

    if isinstance(e, yaml.composer.ComposerError) and "alias" in str(getattr(e, "problem", "")):
        return InputError(
            path,
            "it uses a YAML alias (*name) whose anchor (&name) the keys being moved would leave after it or "
            "out of reach: write that value out in full, then migrate again; nothing was written",
        )
    return InputError(path, f"the rewrite would not load ({yaml_problem(e)}); nothing was written (please report this)")


def _line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _entry_starts(text: str, mapping) -> list[int]:
    """Where each entry's block begins: its key's line, or the comment lines right above it."""
    starts = []
    floor = 0
    for k, _v in mapping.value:
        start = _line_start(text, k.start_mark.index)
        while start > floor:
            prev = _line_start(text, start - 1)
            line = text[prev:start]
            # A comment at the key's column or left of it; an indented one belongs to the value above.
            if not line.strip().startswith("#") or len(line) - len(line.lstrip()) > k.start_mark.column:
                break
            start = prev
        starts.append(start)
        floor = _line_start(text, k.start_mark.index) + 1
    return starts


_DOCUMENT_END = re.compile(r"^\.\.\.(?=[ \t\n#]|\Z)", re.M)


def _mapping_end(text: str, last: int) -> int:
    """Where the top-level mapping whose last entry starts at ``last`` ends: at a document end
    marker after it, else at the end of the text."""
    m = _DOCUMENT_END.search(text, last)
    return len(text) if m is None else m.start()


def _blocks(text: str, mapping) -> tuple[str, list[tuple[str, str]], str]:
    """The text before the first entry, (key, block text) for each entry, in order, and the text
    from a document end marker (`...` at column 0) on: it ends the mapping, so no block takes it
    (moved under `run:`, an indented `...` would be part of a value: the file would not load)."""
    starts = _entry_starts(text, mapping)
    end = _mapping_end(text, starts[-1]) if starts else len(text)
    ends = starts[1:] + [end]
    keys = [str(k.value) for k, _ in mapping.value]
    blocks = [(keys[i], text[starts[i] : ends[i]]) for i in range(len(keys))]
    return (text[: starts[0]] if starts else text), blocks, (text[end:] if starts else "")


def _indent(block: str, n: int) -> str:
    if not block.endswith("\n"):
        block += "\n"
    pad = " " * n
    return "".join(pad + line if line.strip() else line for line in block.splitlines(True))


def _split_trailing(block: str) -> tuple[str, str]:
    """A block's content and the blank or column-0 comment lines after it (they stay in place)."""
    lines = block.splitlines(True)
    i = len(lines)
    while i > 1 and (not lines[i - 1].strip() or lines[i - 1].startswith("#")):
        i -= 1
    return "".join(lines[:i]), "".join(lines[i:])


def _rename(text: str, path: str) -> str:
    """claude_isolation -> isolation, and the two renamed choices, as span edits."""
    import yaml

    root, data = _load(text, path)
    moves = {m.key: m for m in plan(data)}
    edits = []
    for k, v in root.value:
        m = moves.get(k.value)
        if m is None or not m.target.startswith("run."):
            continue
        if k.value == "claude_isolation":
            edits.append((k.start_mark.index, k.end_mark.index, "isolation"))
        if isinstance(v, yaml.ScalarNode) and convert_value(k.value, v.value) != v.value:
            edits.append((v.start_mark.index, v.end_mark.index, convert_value(k.value, v.value)))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _harness_aside(text: str, path: str) -> tuple[str, str | None]:
    """Take harness_args entries for harnesses aishell does not run (pi, vscode) out of the
    text; returns the new text and a ``harness_args:`` block holding them (or None)."""
    import yaml

    root, data = _load(text, path, rewritten=True)
    moves = {m.key: m for m in plan(data)}
    for k, v in root.value:
        if k.value != "harness_args" or not moves["harness_args"].target.startswith("run."):
            continue
        if not isinstance(v, yaml.MappingNode) or all(str(c.value) in KNOWN_HARNESSES for c, _ in v.value):
            return text, None
        if v.flow_style:  # {claude: [...], pi: [...]}: rewritten as two flow mappings
            keep, aside = split_harness_args(data["harness_args"])
            new_value = _flow(keep)
            return text[: v.start_mark.index] + new_value + text[v.end_mark.index :], f"harness_args: {_flow(aside)}\n"
        starts = _entry_starts(text, v)
        ends = starts[1:] + [_value_end(text, root, k)]
        taken = [(s, e) for (c, _), s, e in zip(v.value, starts, ends) if str(c.value) not in KNOWN_HARNESSES]
        aside = "harness_args:\n" + "".join(_ended(text[s:e]) for s, e in taken)
        for s, e in sorted(taken, reverse=True):
            text = text[:s] + text[e:]
        return text, aside
    return text, None


def _flow(value) -> str:
    import yaml

    return yaml.safe_dump(value, default_flow_style=True, width=1 << 20).strip()


def _flow_extras(region: str) -> str | None:
    """What re-dumping a flow mapping's value would drop: a comment between its tokens, or an
    anchor, alias or tag (the dump writes values, not how the text spelled them)."""
    import yaml

    prev = 0
    try:
        for tok in yaml.scan(region, Loader=yaml.SafeLoader):
            if isinstance(tok, (yaml.AnchorToken, yaml.AliasToken, yaml.TagToken)):
                return "an anchor, alias or tag"
            if "#" in region[prev : tok.start_mark.index]:
                return "a comment"
            prev = max(prev, tok.end_mark.index)
    except yaml.YAMLError:
        return "text it cannot read on its own"
    return "a comment" if "#" in region[prev:] else None


def _block_sections(text: str, path: str, receiving=("run", LEGACY_SECTION)) -> str:
    """run: and legacy: in flow style ({...}) become block mappings, so keys can join them; one
    spelled as an explicit null (`run: ~`, `run: null`) becomes an empty one (`run:`): keys
    indented under the `~` would not load (``receiving``: the sections keys move into)."""
    import yaml

    root, data = _load(text, path, rewritten=True)
    for k, v in reversed(root.value):
        if (
            k.value in receiving
            and isinstance(v, yaml.ScalarNode)
            and v.tag == "tag:yaml.org,2002:null"
            and v.end_mark.index > v.start_mark.index
        ):
            text = text[: v.start_mark.index] + text[v.end_mark.index :]
            continue
        if k.value in ("run", LEGACY_SECTION) and isinstance(v, yaml.MappingNode) and v.flow_style:
            kept = _flow_extras(text[v.start_mark.index : v.end_mark.index])
            if kept:
                raise InputError(
                    path,
                    f"{k.value}: is a flow mapping ({{...}}) holding {kept}: write it as a block mapping to migrate it",
                )
            value = data[k.value]
            block = (
                ""
                if not value
                else "\n" + _indent(yaml.safe_dump(value, default_flow_style=False, sort_keys=False), 2).rstrip("\n")
            )
            text = text[: v.start_mark.index] + block + text[v.end_mark.index :]
    return text


def _value_end(text: str, root, k) -> int:
    """The end of the last content line of top-level key ``k``'s value (before the next entry)."""
    keys = [kk for kk, _ in root.value]
    i = keys.index(k)
    limit = _entry_starts(text, root)[i + 1] if i + 1 < len(keys) else _mapping_end(text, k.start_mark.index)
    content, _ = _split_trailing(text[_line_start(text, k.start_mark.index) : limit])
    return _line_start(text, k.start_mark.index) + len(content)


def _ended(block: str) -> str:
    return block if block.endswith("\n") else block + "\n"


def _section(text: str, root, name: str) -> tuple[object, object] | None:
    for k, v in root.value:
        if k.value == name:
            return k, v
    return None


def migrate_config_text(text: str, path: str) -> tuple[str, list]:
    """The config in aishell's schema and the moves made; ``text`` itself when nothing moves.
    A byte-order mark stays first, and a file whose lines all end in CRLF keeps CRLF, one whose
    lines all end in a lone CR (YAML reads every CR as a line break) keeps CR. Lone CRs mixed
    with line feeds are refused, with one line: the rewrite works on lines."""
    _LOADED.clear()
    try:
        return _migrate_config_text(text, path)
    finally:
        _LOADED.clear()


def _migrate_config_text(text: str, path: str) -> tuple[str, list]:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    crlf = "\r\n" in body and body.count("\r\n") == body.count("\n")
    if crlf:
        body = body.replace("\r\n", "\n")
    cr = "\r" in body and "\n" not in body
    if cr:
        body = body.replace("\r", "\n")
    elif "\r" in body.replace("\r\n", ""):
        data = _load(body, path)[1]  # (a file that does not load says so first)
        if isinstance(data, dict) and plan(data):
            raise InputError(
                path,
                "its lines end in lone carriage returns (CR) mixed with line feeds: make them one kind, then "
                "migrate again; nothing was written",
            )
    new, moves = _migrate(body, path)
    if not moves:
        return text, []
    if crlf:
        new = new.replace("\n", "\r\n")
    elif cr:
        new = new.replace("\n", "\r")
    return bom + new, moves


def _end_line(text: str, path: str) -> str:
    """``text`` (no final line break) as the same settings with one. A moved entry's lines end
    with a line break wherever they land; that changes nothing, except for a block scalar (`|`,
    `>`) that ends the file: its value gains the line break ("clip" keeps one when there is
    one). That scalar's header then says "strip" (`|` -> `|-`): the same value, ended."""
    import yaml

    ended = text + "\n"
    try:
        if same_data(yaml.safe_load(ended), yaml.safe_load(text)):
            return text  # (left as it was: nothing to say, the last line stays unended)
    except (yaml.YAMLError, *YAML_ERRORS):
        return text  # (_migrate says what is wrong with it)
    last = None
    todo = [yaml.compose(text, Loader=yaml.SafeLoader)]
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.ScalarNode):
            if last is None or node.end_mark.index > last.end_mark.index:
                last = node
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            todo.extend(v for kv in node.value for v in kv)
    if last is not None and last.style in ("|", ">"):
        i = last.start_mark.index
        header_end = text.find("\n", i)
        header = text[i:header_end].split("#", 1)[0]
        if text[i] == last.style and "+" not in header and "-" not in header:
            stripped = text[: i + 1] + "-" + text[i + 1 :] + "\n"
            try:
                if same_data(yaml.safe_load(stripped), yaml.safe_load(text)):
                    return stripped
            except (yaml.YAMLError, *YAML_ERRORS):
                pass
    raise InputError(
        path,
        "its last value changes when the file ends with a line break (a block scalar that keeps its "
        "line breaks): add one, check the value, and migrate again; nothing was written",
    )


def _migrate(text: str, path: str) -> tuple[str, list]:
    import yaml

    root, data = _load(text, path)
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        return text, []
    moves = plan(data)
    if not moves:
        return text, []
    if root.flow_style:
        raise InputError(path, "the config is one flow mapping ({...}): write it as a block mapping to migrate it")
    ended = text.endswith("\n")
    if not ended:
        text = _end_line(text, path)
    for name in ("run", LEGACY_SECTION):
        sec = _section(text, root, name)
        if sec is not None and not isinstance(sec[1], yaml.MappingNode) and sec[1].tag != "tag:yaml.org,2002:null":
            raise InputError(path, f"{name}: is not a mapping, so keys cannot be moved into it")
    receiving = {m.target.split(".", 1)[0] for m in moves}
    if any(m.key == "harness_args" for m in moves):
        receiving.add(LEGACY_SECTION)  # (entries for harnesses aishell does not run go aside)
    new = _block_sections(_rename(text, path), path, receiving)
    new, harness_aside = _harness_aside(new, path)
    root, data2 = _load(new, path, rewritten=True)
    prefix, blocks, suffix = _blocks(new, root)
    # claude_isolation is already called isolation in the text.
    target = {
        ("isolation" if m.key == "claude_isolation" and m.target.startswith("run.") else m.key): m.target.split(".", 1)[
            0
        ]
        for m in moves
    }
    to_run = [(k, b) for k, b in blocks if target.get(k) == "run"]
    to_legacy = [(k, b) for k, b in blocks if target.get(k) == LEGACY_SECTION]
    legacy_text = "".join(_ended(b) for _, b in to_legacy) + (harness_aside or "")
    run_text = "".join(_ended(b) for _, b in to_run)
    sections = {"run": run_text, LEGACY_SECTION: legacy_text}
    out = [prefix]
    emitted = set()
    keys_in_file = [k for k, _ in blocks]
    for key, block in blocks:
        if key in target:
            sec = target[key]
            # The new section goes where its first key was, unless the file already has it.
            if sec not in keys_in_file and sec not in emitted and sections[sec]:
                out.append(f"{sec}:\n" + _indent(sections[sec], 2))
                emitted.add(sec)
            continue
        if key in ("run", LEGACY_SECTION) and sections[key]:
            content, trailing = _split_trailing(block)
            if not content.endswith("\n"):
                content += "\n"
            child = _child_indent(new, root, key)
            out.append(content + _indent(sections[key], child) + trailing)
            emitted.add(key)
            continue
        out.append(block if block.endswith("\n") or key == keys_in_file[-1] else block + "\n")
    if harness_aside and LEGACY_SECTION not in emitted:
        out.append(f"{LEGACY_SECTION}:\n" + _indent(harness_aside, 2))
    if suffix and not out[-1].endswith("\n"):
        out.append("\n")
    result = "".join(out) + suffix
    if not ended:
        result = _unended(result)
    _verify(text, result, path)
    return result, moves


def _unended(text: str) -> str:
    """``text`` (a rewrite of a file whose last line had no line break) ending as the file did,
    without one: the moved lines end with one wherever they land (_end_line), the last of them
    too, and a blank line that separated the file's last entry from the one before it is left
    last when that entry moves away. Kept where taking them away would change the settings (a
    block scalar that keeps its line breaks cannot end so: _end_line refused it already)."""
    import yaml

    unended = text.rstrip("\n")
    if unended == text:
        return text
    try:
        if same_data(yaml.safe_load(unended), yaml.safe_load(text)):
            return unended
    except (yaml.YAMLError, *YAML_ERRORS):
        pass
    return text


def _child_indent(text: str, root, name: str) -> int:
    sec = _section(text, root, name)
    v = sec[1]
    if hasattr(v, "value") and isinstance(v.value, list) and v.value:
        return v.value[0][0].start_mark.column
    return 2


def _comments(text: str) -> list[str]:
    lines = (line.strip().lstrip("\ufeff") for line in text.splitlines())
    return sorted(line for line in lines if line.startswith("#"))


def _normal(data):
    """Equal settings: an emptied harness_args (its entries all kept aside) is no harness_args,
    and an empty run: or legacy: ({} or nothing) is no section."""
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in ("run", LEGACY_SECTION) or v}
    if isinstance(data, dict) and isinstance(data.get("run"), dict) and not data["run"].get("harness_args", 1):
        data = {**data, "run": {k: v for k, v in data["run"].items() if k != "harness_args"}}
    return data


def same_data(a, b) -> bool:
    """``a == b`` for loaded YAML data, each pair of shared (aliased) values compared once.
    Python's == walks an alias every time it is used: 30 lines of `&aN [*aM, *aM]` (M = N - 1)
    are 2^30 leaves to it (a 711-byte config took 20 s to migrate, each line more twice as long).
    An alias to a value that holds it compares as equal where the two hold each other alike
    (== would recurse without end)."""
    seen: set[tuple[int, int]] = set()  # (every value stays held by a or b: ids stay unique)
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if x is y:
            continue
        if type(x) in (dict, list) and type(x) is type(y):
            key = (id(x), id(y))
            if key in seen:
                continue
            seen.add(key)
            if len(x) != len(y):
                return False
            if type(x) is dict:
                if x.keys() != y.keys():
                    return False
                todo.extend((x[k], y[k]) for k in x)
            else:
                todo.extend(zip(x, y))
        elif isinstance(x, (dict, list)) or isinstance(y, (dict, list)) or x != y:
            return False
    return True


def _verify(before: str, after: str, path: str) -> None:
    import yaml

    try:
        got = yaml.safe_load(after)
    except (yaml.YAMLError, *YAML_ERRORS) as e:
        raise _rewrite_failed(e, path) from None
    want, _ = translate(yaml.safe_load(before))
    if not same_data(_normal(got), _normal(want)):
        raise InputError(
            path, "the rewrite would not read as the same settings; nothing was written (please report this)"
        )
    if _comments(before) != _comments(after):
        raise InputError(path, "the rewrite would lose a comment; nothing was written (please report this)")
    if plan(got):
        raise InputError(path, "the rewrite still has original-schema keys; nothing was written (please report this)")


def original_global_path(home: str | None = None) -> str:
    return os.path.join(home or os.path.expanduser("~"), ".aishell", "config.yaml")


def migrate_global(home: str | None = None):
    """The original's ``~/.aishell/config.yaml`` as aishell's user config, a new file
    (the original file stays as it is, for the original aishell). Returns a FileChange
    whose only write is the new user config; refuses when that file exists."""
    from aishell.errors import read_text
    from aishell.migrate.fixer import FileChange
    from aishell.config import user_config_path

    source = original_global_path(home)
    target = user_config_path()
    if not os.path.lexists(source):
        raise InputError(source, "no such file: there is no global config of the original aishell to migrate")
    if os.path.lexists(target):
        raise InputError(
            target,
            f"already exists: copy the settings from {source} into it by hand "
            "(`aishell migrate` on a copy shows them in aishell's schema)",
        )
    text = read_text(source)
    new, _ = migrate_config_text(text, source)
    try:
        data = _load(new, source)[1]
    finally:
        _LOADED.clear()
    if data is not None and not isinstance(data, dict):
        # (A scalar or a list was copied as it was: a user config every later command refused,
        # `the top level must be a mapping`, made by the command that was to migrate it.)
        raise InputError(source, "the top level must be a mapping; nothing was written")
    return FileChange(source, text, text, 1, 0, [], {target: (None, new)})
