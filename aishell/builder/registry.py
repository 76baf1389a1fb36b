"""Sharing builds through an OCI registry: pull a tier by its hash before building it, push after.

Where: ``--registry``, ``AISHELL_REGISTRY`` or ``build.registry`` (for example
``registry.example.com/team/aishell``). Tiers are content-addressed, so the tag is the hash:

| tier | reference | accepted only when |
|---|---|---|
| foundation | ``<registry>/foundation:<foundation hash>`` | label ``aishell.foundation.hash`` is that hash |
| extension | ``<registry>/extension:<hash of extension hash + foundation id>`` | labels ``aishell.extension.hash`` and ``aishell.foundation.id`` match |
| harness carrier | ``<registry>/harness:<volume hash>`` | label ``aishell.harness.hash`` is that hash |

Pulls and pushes go through the engine, with Docker's own credentials and TLS rules (plain
HTTP only where the engine allows it: loopback, or its insecure-registries). A registry that
is down, slow or refusing gives one warning and a local build (``--require-registry`` makes
it an error); a bounded timeout caps each call. A failed push leaves the local build and the
state as they are.

Names are not proof: a registry is used only when trusted config (the command line,
``AISHELL_REGISTRY``, the user config, or a project config the user trusted) names it
(``aishell/trust.py``), and what is pulled from it is kept under names scoped to that registry
(``aishell.labels.registry_scope``): only projects naming the same registry use it, never the user's shared local
foundation or harness volumes. The hash labels check that a tag is consistent with what it
names, not who made it: anyone who can push to the registry can push a consistent image.
"""

from __future__ import annotations

import os

DEFAULT_TIMEOUT = 60  # seconds per registry call


class RegistryError(Exception):
    """The registry could not be used (down, refused, auth); with --require-registry, fatal."""


class Tampered(Exception):
    """A tag holds an image whose hash label is not the one its tag names."""


class Registry:
    def __init__(self, ref: str, push: bool = False, require: bool = False, timeout: float | None = None):
        self.ref = ref.rstrip("/")
        self.push_enabled = push
        self.require = require
        self.timeout = timeout or float(os.environ.get("AISHELL_REGISTRY_TIMEOUT") or DEFAULT_TIMEOUT)
        self.down: str | None = None  # the first failure: later calls are skipped, one warning only
        self.warnings: list[str] = []
        self._api = None

    @property
    def host(self) -> str:
        return self.ref.split("/", 1)[0]

    def reference(self, tier: str, h: str) -> tuple[str, str]:
        return f"{self.ref}/{tier}", h

    def cache_ref(self) -> str:
        """The moving tag that carries BuildKit's inline cache for the extension (--cache-from)."""
        return f"{self.ref}/extension:cache"

    def api(self, client):
        """``client``'s low-level API client, with this registry's timeout (``aishell.engine``)."""
        if self._api is None:
            from aishell.engine import api_client

            self._api = api_client(client, self.timeout)
        return self._api

    def _fail(self, what: str, error: Exception | str) -> None:
        raw = getattr(error, "explanation", None) or str(error)  # the engine's own words, not the HTTP wrapper
        text = raw.splitlines()[0][:200] if raw else type(error).__name__
        lower = text.lower()
        if any(
            k in lower
            for k in ("unauthorized", "authentication required", "no basic auth credentials", "denied", " 401")
        ):
            text = f"authentication failed ({text}); log in with `docker login {self.host}`"
        message = f"registry {self.ref}: {what} failed: {text}"
        if self.require:
            raise RegistryError(message)
        if self.down is None:
            self.down = message
            self.warnings.append(message + "; building locally")

    def pull(self, client, tier: str, h: str, labels: dict[str, str]):
        """The image for ``tier`` with hash ``h``, pulled and verified, or None (not there, or down)."""
        import docker.errors

        if self.down is not None:
            return None
        repo, tag = self.reference(tier, h)
        try:
            for chunk in self.api(client).pull(repo, tag, stream=True, decode=True):
                if "error" in chunk:
                    raise docker.errors.APIError(chunk["error"])
        except docker.errors.NotFound:
            return None
        except docker.errors.APIError as e:
            text = str(e)
            if "manifest unknown" in text or "not found" in text.lower():
                return None
            self._fail("pull", e)
            return None
        except Exception as e:  # connection refused, timeout
            self._fail("pull", e)
            return None
        image = client.images.get(f"{repo}:{tag}")
        got = {k: (image.labels or {}).get(k) for k in labels}
        if got != labels:
            client.images.remove(f"{repo}:{tag}", force=False)
            raise Tampered(
                f"{repo}:{tag} does not hold what its tag names ({', '.join(f'{k}={v}' for k, v in got.items())}); refused"
            )
        return image

    def has(self, client, tier: str, h: str) -> bool | None:
        """Whether the registry holds ``tier`` with hash ``h`` (its manifest; nothing is pulled)."""
        import docker.errors

        repo, tag = self.reference(tier, h)
        try:
            self.api(client).inspect_distribution(f"{repo}:{tag}")
            return True
        except docker.errors.APIError as e:
            text = str(e).lower()
            return False if ("manifest unknown" in text or "not found" in text or "404" in text) else None
        except Exception:
            return None

    def push(self, client, image_id: str, tier: str, h: str, extra_tags: tuple[str, ...] = ()) -> None:
        """Tag and push; a failure warns (or raises with --require-registry), never undoes the build."""
        import docker.errors

        if not self.push_enabled or self.down is not None:
            return
        repo, tag = self.reference(tier, h)
        try:
            for t in (tag, *extra_tags):
                client.api.tag(image_id, repo, t)
                for chunk in self.api(client).push(repo, t, stream=True, decode=True):
                    if "error" in chunk:
                        raise docker.errors.APIError(chunk["error"])
        except Exception as e:
            self._fail("push", e)

    def share(self, client, image_id: str, tier: str, h: str, extra_tags: tuple[str, ...] = ()) -> None:
        """With pushing on: push a tier that was reused locally but is not in the registry yet,
        so a teammate finds every tier, not only what this machine happened to build."""
        if self.push_enabled and self.down is None and self.has(client, tier, h) is False:
            self.push(client, image_id, tier, h, extra_tags)

    def wants(self, client, tier: str, h: str) -> bool:
        """Pushing is on and the registry lacks this tier."""
        return self.push_enabled and self.down is None and self.has(client, tier, h) is False


def from_plan(plan) -> Registry | None:
    if not plan.registry:
        return None
    return Registry(plan.registry, push=plan.push, require=plan.require_registry)
