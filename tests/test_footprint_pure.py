"""The pure parts of aishell.footprint (no engine): durations, sizes, what prune picks, item kinds."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aishell import labels as L
from aishell.errors import InputError
from aishell.footprint.inventory import Inventory, Item, _iso, _kind
from aishell.footprint.prune import UNITS, human, parse_duration, plan

NOW = datetime.now(timezone.utc)


def iso(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat().replace("+00:00", "Z")


def item(kind, ident, days_ago=10.0, project=None, size=100, referenced=(), used=(), mine=True):
    labels = {L.PROJECT_DIR: project} if project else {}
    i = Item(kind, ident, ident, iso(days_ago), size, labels)
    i.referenced_by, i.used_by, i.mine = list(referenced), list(used), mine
    return i


def inventory(*items) -> Inventory:
    inv = Inventory()
    inv.items = list(items)
    return inv


@pytest.mark.parametrize(
    "text, seconds",
    [("30s", 30), ("30m", 1800), ("12h", 43200), ("7d", 604800), ("2w", 1209600), (" 1d ", 86400), ("0s", 0)],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(sorted(UNITS)))
def test_parse_duration_is_number_times_unit(n, unit):
    assert parse_duration(f"{n}{unit}") == n * UNITS[unit]


@pytest.mark.parametrize("text", ["soon", "", "7", "d", "-1d", "1.5h", "1 d", "7D", "1y"])
def test_parse_duration_refuses_with_one_line(text):
    with pytest.raises(InputError) as e:
        parse_duration(text)
    assert "\n" not in str(e.value) and "--older-than" in str(e.value)


@pytest.mark.parametrize(
    "n, text",
    [
        (None, "?"),
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1.0 kB"),
        (1_500_000, "1.5 MB"),
        (2 * 10**9, "2.0 GB"),
        (3 * 10**12, "3.0 TB"),
        (5 * 10**15, "5000.0 TB"),
    ],
)
def test_human(n, text):
    assert human(n) == text


@given(st.integers(min_value=0, max_value=10**18))
def test_human_never_fails_and_has_a_unit(n):
    assert human(n).split(" ")[1] in ("B", "kB", "MB", "GB", "TB")


def test_plan_keeps_what_is_referenced_or_used_and_orders_children_first():
    inv = inventory(
        item("harness-volume", "v-free", 3),
        item("foundation", "f-free", 2),
        item("extension", "e-free", 1),
        item("carrier", "c-free", 4),
        item("extension", "e-ref", referenced=["/p"]),
        item("harness-volume", "v-used", used=["aishell-run-1"]),
    )
    assert [i.id for i in plan(inv)] == ["c-free", "e-free", "f-free", "v-free"]


def test_plan_never_takes_another_owners_item_unless_all_users_and_never_one_in_use():
    inv = inventory(
        item("harness-volume", "mine"),
        item("harness-volume", "theirs", mine=False),
        item("extension", "theirs-used", used=["c"], mine=False),
    )
    assert [i.id for i in plan(inv)] == ["mine"]
    assert sorted(i.id for i in plan(inv, all_users=True)) == ["mine", "theirs"]


def test_plan_older_than():
    inv = inventory(item("extension", "old", 10), item("extension", "new", 0.01))
    assert [i.id for i in plan(inv, older_than=86400)] == ["old"]
    assert [i.id for i in plan(inv, older_than=0)] == ["old", "new"]


def test_plan_keep_the_n_newest_per_project_and_per_kind():
    inv = inventory(
        item("extension", "a1", 1, project="/a"),
        item("extension", "a2", 2, project="/a"),
        item("extension", "a3", 3, project="/a"),
        item("extension", "b1", 5, project="/b"),
        item("harness-volume", "v1", 1),
        item("harness-volume", "v2", 2),
    )
    assert sorted(i.id for i in plan(inv, keep=1)) == ["a2", "a3", "v2"]
    assert sorted(i.id for i in plan(inv, keep=2)) == ["a3"]
    assert plan(inv, keep=10) == []


def test_item_reads_its_labels():
    i = Item("harness-volume", "v", "v", iso(1), None, {L.HARNESSES: "claude=2.1.301,codex=0.1.0", L.PROJECT_DIR: "/p"})
    assert i.harnesses == {"claude": "2.1.301", "codex": "0.1.0"} and i.project == "/p"
    assert i.age_seconds(NOW) == 86400
    assert Item("extension", "x", "x", "not a date", 1, {}).age_seconds() == 0.0
    doc = i.to_json()
    assert doc["harnesses"] == i.harnesses and doc["project"] == "/p" and doc["size"] is None


def test_kind_by_labels_and_own_tag():
    h = "ab" * 32
    foundation = {L.COMPONENT: L.COMPONENT_FOUNDATION, L.FOUNDATION_HASH: h}
    assert _kind(foundation, [L.foundation_tag(h)]) == "foundation"
    assert _kind(foundation, ["someone/else:latest"]) is None  # inherited the labels only
    assert _kind({L.COMPONENT: L.COMPONENT_EXTENSION, L.EXTENSION_HASH: "e"}, []) == "extension"
    assert _kind({L.COMPONENT: L.COMPONENT_EXTENSION}, []) is None
    assert _kind({L.COMPONENT: L.COMPONENT_CARRIER}, []) == "carrier"
    assert _kind({L.COMPONENT: L.COMPONENT_RUN}, []) is None and _kind({}, []) is None


def test_iso_of_engine_timestamps():
    assert _iso(0) == "1970-01-01T00:00:00Z"
    assert _iso("2026-01-01T00:00:00.5Z") == "2026-01-01T00:00:00.5Z" and _iso(None) == ""
