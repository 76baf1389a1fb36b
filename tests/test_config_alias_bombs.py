"""A config whose YAML aliases expand to more values than any config holds is refused at load,
one line, before any reader walks or prints a value (issue 18, red team of session 58).

The class: aliases of aliases make a few hundred bytes stand for millions of values. Readers that
check a value's type refused them at once, but `run.env` (and the original's top-level `env`)
turned each value into text with str(): 376 bytes took 21 s and 1.1 GB, one level more a
MemoryError. The cut is where every reader gets the data (yaml_text.load_checked, through
errors.check_yaml_values): aliases expanding to over MAX_EXPANDED_VALUES values, which no file of
MAX_CONFIG_CHARS holds without them, are refused whatever key holds them. Generated: chains of
aliases of every width and depth at every place a config holds a value, sized independently here
(refused exactly when over the limit), self-referring ones (counted once, never refused for it),
and the env values that are collections (refused by name).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.config import clear_cache, load_config
from aishell.config_lint import parse_config
from aishell.config_migrate import migrate_config_text
from aishell.errors import MAX_EXPANDED_VALUES, ConfigError, InputError
from aishell.yaml_text import Refused, load_checked

PLACES = [
    "run:\n  env:\n    X: {v}\n",
    "env:\n  X: {v}\n",  # (the original aishell's top-level key)
    "run:\n  env: {v}\n",
    "run:\n  docker_args: {v}\n",
    "build:\n  harnesses: {v}\n",
    "lint:\n  ignore: {v}\n",
    "legacy:\n  x: {v}\n",
    "unknown: {v}\n",
]


def chain(width: int, depth: int) -> tuple[str, int]:
    """A flow list of ``depth`` anchored levels, each holding the level before ``width`` times
    (the first: ``width`` scalars), and the number of values it expands to, counted here as
    check_yaml_values should: each collection 1, plus its items."""
    parts = ["&a0 [" + ", ".join(["x"] * width) + "]"]
    size = 1 + width
    total = 1 + size  # (the outer list, and the first level)
    for i in range(1, depth):
        parts.append(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
        size = 1 + width * size
        total += size
    return "[" + ", ".join(parts) + "]", total


def _refusal(text: str) -> str | None:
    try:
        load_checked(text)
    except Refused as e:
        return str(e)
    return None


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 12), st.integers(1, 9), st.sampled_from(PLACES))
def test_aliases_are_refused_exactly_when_they_expand_past_the_limit(width, depth, place):
    value, total = chain(width, depth)
    text = place.format(v=value)
    refused = _refusal(text)
    if total > MAX_EXPANDED_VALUES:
        assert refused is not None and "aliases that expand to over" in refused and "\n" not in refused, refused
    else:
        assert refused is None or "aliases" not in refused, refused


@settings(max_examples=40, deadline=None)
@given(st.integers(5, 12), st.integers(6, 9), st.sampled_from(PLACES))
def test_every_reader_refuses_a_bomb_in_one_line(tmp_path_factory, width, depth, place):
    value, total = chain(width, depth)
    if total <= MAX_EXPANDED_VALUES:
        return
    text = place.format(v=value)
    tmp = tmp_path_factory.mktemp("bomb")
    (tmp / ".aishell").mkdir()
    (tmp / ".aishell" / "Dockerfile").write_text("FROM debian\n")
    (tmp / ".aishell" / "config.yaml").write_text(text)
    clear_cache()
    try:
        load_config(str(tmp))
        raise AssertionError("loaded")
    except ConfigError as e:
        assert "aliases that expand" in str(e) and "\n" not in str(e)
    finally:
        clear_cache()
    for read in (
        lambda: migrate_config_text(text, str(tmp / ".aishell" / "config.yaml")),
        lambda: parse_config(text, str(tmp / ".aishell" / "config.yaml")),
    ):
        try:
            got = read()
        except (InputError, ConfigError) as e:
            assert "aliases that expand" in str(e) and "\n" not in str(e)
        else:
            assert "aliases that expand" in repr(got), repr(got)[:300]


def test_a_list_that_holds_itself_is_counted_once():
    # `&r [*r, *r]`: three values (the list, and itself twice as a back reference): not a bomb,
    # whatever readers then say of it.
    assert _refusal("run:\n  mounts: &r [*r, *r]\n") is None


def test_a_shared_value_below_the_limit_loads():
    # A mapping reused under many keys (a real config's anchors): far below the limit, loads.
    text = "run:\n  harness_args:\n    claude: &args [--model, sonnet]\n    codex: *args\n    gemini: *args\n"
    assert _refusal(text) is None


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["[a, b]", "{a: b}", "[]", "{}", "&x [1, *x]"]), st.sampled_from(PLACES[:2]))
def test_an_env_value_that_is_a_collection_is_refused_by_name(tmp_path_factory, value, place):
    tmp = tmp_path_factory.mktemp("env")
    (tmp / ".aishell").mkdir()
    (tmp / ".aishell" / "Dockerfile").write_text("FROM debian\n")
    (tmp / ".aishell" / "config.yaml").write_text(place.format(v=value))
    clear_cache()
    try:
        load_config(str(tmp))
        raise AssertionError("loaded")
    except ConfigError as e:
        assert "run.env: the value of 'X' is a" in str(e) and "\n" not in str(e), str(e)
    finally:
        clear_cache()


def test_the_limit_is_no_more_than_a_config_file_holds_without_aliases():
    # (So a bomb is never read as a config: the red team's 376 bytes, 10**7 values, are refused.)
    from aishell.yaml_text import MAX_CONFIG_CHARS

    assert MAX_EXPANDED_VALUES <= MAX_CONFIG_CHARS
    levels = ["&a0 [" + ",".join(["x"] * 10) + "]"] + [
        f"&a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)
    ]
    assert "aliases that expand" in (_refusal("run:\n  env:\n    X: [" + ", ".join(levels) + "]\n") or "")
