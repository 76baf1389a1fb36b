"""What aishell built, and reclaiming it: ``aishell status``, ``volumes list``, ``prune``, ``doctor``.

| module | what it does |
|---|---|
| ``inventory`` | finds aishell's images and volumes by their ``aishell.*`` labels, with the containers that use them and the projects whose state references them |
| ``status`` | ``aishell status`` (per-tier current/stale from the builder's hashes, run spec, disk) and ``aishell volumes list`` |
| ``prune`` | ``aishell prune``: what nothing references or uses, under the build lock, never on a missing or corrupt state |
| ``doctor`` | ``aishell doctor``: one line per problem, with the fix |

Docs: docs/status.md (the JSON schema), docs/prune.md.
"""
