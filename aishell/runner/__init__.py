"""Running what was built: ``aishell claude|codex|gemini|opencode``, ``aishell shell``, ``aishell exec``.

| module | what it does |
|---|---|
| ``spec`` | the ``docker run`` as data: mounts, host user, env names, security options, labels (pure) |
| ``egress`` | ``--egress open|allowlist|none`` and ``run.egress``: the decision, the project's proxy container and internal network, the blocked log (docs/egress.md) |
| ``launch`` | finds the project, builds what is stale (or refuses with ``--no-build``), starts the docker CLI |

The entrypoint that creates the host user and checks the harness is
``aishell/templates/foundation/entrypoint.sh``. Docs: docs/run.md.
"""
