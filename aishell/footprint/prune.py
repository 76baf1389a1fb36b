"""``aishell prune``: remove what aishell made and nothing references or uses.

Candidates are harness volumes, extension images, old foundation images, egress proxy
images other than the current one, and leftover carrier images (found by label, see
``inventory``) that are this user's own (owner label: UID and state folder; ``--all-users``
for an administrator), referenced by no project's
state and used by no container, running or stopped. Never wrong by default:

- a missing, unreadable or corrupt state file refuses the prune (it never means
  "everything is orphaned": ``aishell.state.load_strict``);
- the build lock is held throughout, so a volume a concurrent build is creating is safe;
- ``--dry-run`` lists what would go and the bytes, and changes nothing;
- without a terminal, ``--yes`` is required (exit 2 otherwise), never a silent delete;
- projects whose folder is gone are reported; ``--gone-projects`` drops their entries
  (and so frees what only they referenced);
- the state drops entries for images and volumes that no longer exist, and says so.
"""

from __future__ import annotations

import re

from aishell.errors import EXIT_INPUT, EXIT_OK, InputError

DURATION_RE = re.compile(r"^(\d+)([smhdw])$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> int:
    m = DURATION_RE.match(text.strip())
    if not m:
        raise InputError(None, f"--older-than {text!r}: expected a number and a unit, e.g. 30m, 12h, 7d, 2w")
    return int(m.group(1)) * UNITS[m.group(2)]


def plan(inv, older_than: int | None = None, keep: int = 0, all_users: bool = False) -> list:
    """The items to remove: this user's own (``all_users``: anyone's), unreferenced, unused by
    any container, then narrowed by age and --keep. Another user's item (or one without an
    owner label) is never a candidate by default: their state, which references it, is not
    readable here."""
    candidates = [i for i in inv.items if not i.referenced_by and not i.used_by and (i.mine or all_users)]
    if older_than is not None:
        candidates = [i for i in candidates if i.age_seconds() >= older_than]
    if keep > 0:
        # The N most recent per project (images), and per kind for what has no project (volumes).
        groups: dict[tuple, list] = {}
        for i in candidates:
            groups.setdefault((i.kind, i.project), []).append(i)
        kept = set()
        for items in groups.values():
            for i in sorted(items, key=lambda x: x.created, reverse=True)[:keep]:
                kept.add(i.id)
        candidates = [i for i in candidates if i.id not in kept]
    order = {
        "carrier": 0,
        "egress-proxy": 0,
        "extension": 1,
        "foundation": 2,
        "harness-volume": 3,
        "harness-image": 3,
    }  # children before parents
    return sorted(candidates, key=lambda i: (order[i.kind], i.created))


def remove(client, items: list) -> tuple[list, list[str]]:
    """Remove each item; (removed items, one line per item the engine refused)."""
    import docker.errors

    removed, refused = [], []
    for i in items:
        try:
            if i.kind == "harness-volume":
                client.volumes.get(i.id).remove()
            elif i.kind == "harness-image":  # pruned as an image, by its tag
                client.images.remove(i.id)
            else:
                client.images.remove(i.id)
            removed.append(i)
        except docker.errors.NotFound:
            removed.append(i)
        except docker.errors.APIError as e:
            refused.append(f"{i.name}: kept, the engine refused ({(e.explanation or str(e)).splitlines()[0][:120]})")
    return removed, refused


def clean_state(inv, drop_gone: bool) -> list[str]:
    """Drop state entries for items that no longer exist (and gone projects when asked); say what."""
    from aishell import state

    said: list[str] = []

    def change(data: dict) -> None:
        projects = state.projects(data)
        for project in list(projects):
            if drop_gone and project in inv.gone_projects:
                del projects[project]
                said.append(f"dropped the state of {project} (its folder no longer exists)")
                continue
            entry = projects[project]
            ext = state.extension(entry)
            if ext.get("image_id") and inv.find(ext["image_id"]) is None:
                entry.pop("extension", None)
                said.append(f"dropped {project}'s extension from the state: its image no longer exists")
            vol = state.harness_volume(entry)
            if vol and inv.find(vol) is None:
                entry.pop("harness", None)
                said.append(f"dropped {project}'s harness from the state: {vol} no longer exists")
        f = state.foundation_id(data)
        if f and inv.find(f) is None:
            data.pop("foundation", None)
            said.append("dropped the foundation from the state: its image no longer exists")

    if inv.missing or (drop_gone and inv.gone_projects):
        state.update(change)
    return said


def human(n: int | None) -> str:
    if n is None:
        return "?"
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} B"


def prune(
    client,
    say,
    *,
    dry_run: bool = False,
    yes: bool = False,
    interactive: bool = False,
    older_than: str | None = None,
    keep: int = 0,
    gone_projects: bool = False,
    all_users: bool = False,
) -> int:
    """Run the prune; ``say`` prints one line. Returns the exit code.

    ``interactive``: a terminal can confirm (else ``yes`` is required); ``older_than``: a
    duration such as ``7d``; ``keep``: the N most recent per project are kept."""
    from aishell import state
    from aishell.footprint.inventory import collect

    seconds = parse_duration(older_than) if older_than else None
    if keep < 0:
        raise InputError(None, "--keep must be 0 or more")
    with state.locked():  # the build lock: a build in progress finishes first
        inv = collect(client, state.load_strict())
        for project in inv.gone_projects:
            if gone_projects:  # what only those projects referenced is free
                for i in inv.items:
                    if project in i.referenced_by:
                        i.referenced_by.remove(project)
            else:
                say(f"{project}: folder gone; its items are kept (--gone-projects drops its state and frees them)")
        from aishell.runner.egress import remove_proxies, stopped_proxies

        stopped = stopped_proxies(client)  # left by an engine restart: serve nothing, re-made on demand
        for i in inv.items:
            i.used_by = [u for u in i.used_by if u not in stopped]
        for name in stopped:
            say(f"{'would remove' if dry_run else 'remove'} stopped egress proxy {name} (and its network)")
        items = plan(inv, seconds, keep, all_users)
        others = [i for i in inv.items if not i.mine and i not in items]
        if others:
            say(
                f"kept {len(others)} item{'s' if len(others) != 1 else ''} of other users or state folders "
                f"({human(sum(i.size or 0 for i in others))}; `aishell volumes list` shows them; an administrator's "
                "`aishell prune --all-users` removes those no container uses)"
            )
        total = sum(i.size or 0 for i in items)
        for i in items:
            ident = "" if i.kind in ("harness-volume", "harness-image") else f"{i.id[:19]}, "
            say(
                f"{'would remove' if dry_run else 'remove'} {i.kind} {i.name} ({ident}{human(i.size)}, created {i.created[:19]})"
            )
        if items:
            say(
                f"{len(items)} item{'s' if len(items) != 1 else ''}, {human(total)}{' would be freed' if dry_run else ''}"
            )
        elif not stopped:
            say("nothing to prune: every aishell image and volume of yours is referenced or in use")
        if dry_run:
            return EXIT_OK
        if (items or stopped) and not yes:
            if not interactive:
                say("refusing to remove anything without --yes (no terminal to ask)")
                return EXIT_INPUT
            import click

            if not click.confirm("Remove these?", default=False, err=True):
                say("nothing removed")
                return EXIT_OK
        remove_proxies(client, stopped)
        removed, refused = remove(client, items)
        for line in refused:
            say(line)
        if removed:
            say(f"removed {len(removed)}, freed {human(sum(i.size or 0 for i in removed))}")
        for i in removed:
            inv.items.remove(i)
        for line in clean_state(inv, gone_projects):
            say(line)
    return EXIT_OK
