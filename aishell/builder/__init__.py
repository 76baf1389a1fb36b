"""aishell build: the lint gate, then foundation -> extension -> harness volume.

| step | module | what it makes |
|---|---|---|
| plan | ``plan`` | what to build: project, harness specs, CA certificates, base images |
| gate | ``run`` | lints .aishell/Dockerfile; errors stop the build before any Docker call |
| foundation | ``foundation`` | ``aishell:foundation`` and ``aishell:foundation-<hash>`` from templates/foundation |
| extension | ``extension`` | ``aishell:ext-<project hash>`` from the project's .aishell/Dockerfile |
| harness volume | ``volume`` | ``aishell-harness-<hash>``, seeded from templates/harness |
| backends | ``backends`` | BuildKit CLI (buildx, or DOCKER_BUILDKIT=1) or docker-py's classic builder |
| freshness | ``fresh`` | "is this tier current?", asked by every step above, by ``aishell status`` and by runs |
| state | ``aishell.state`` | $XDG_STATE_HOME/aishell/state.json, atomic, under a lock |

The engine client comes from ``aishell.engine``; label keys and tags from ``aishell.labels``.

Each step checks its hash first and does no Docker work when the result exists.
State is written once, after every step succeeded.
"""
