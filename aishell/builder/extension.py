"""The extension image: the project's .aishell/Dockerfile, built FROM the foundation.

The context is the project root; the ignore file is ``.aishell/Dockerfile.dockerignore``
when it exists, else the root ``.dockerignore`` (BuildKit's rule, applied on
every backend). The label ``aishell.extension.hash`` covers the Dockerfile, the
ignore file and every context file the Dockerfile copies; the image is rebuilt
only when that hash or the foundation image id changes, never for a harness.
"""

from __future__ import annotations

import glob
import os

from aishell import labels as L
from aishell.builder.plan import Plan, digest
from aishell.context import BuildContext
from aishell.trust import owner_label


def copied_files(df, bc: BuildContext) -> list[str]:
    """Context-relative paths of the files COPY/ADD bring in (not ignored), sorted."""
    out: set[str] = set()
    for ins in df.all_instructions():
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None or ins.heredocs:
            continue
        sources = ins.json_args[:-1] if ins.json_args is not None else [w.unquoted for w in ins.words()[:-1]]
        for src in sources:
            if "://" in src:
                continue  # a URL (ADD): its text is in the Dockerfile, which is hashed
            for path in glob.glob(os.path.join(bc.root, src.lstrip("/")), recursive=False) or []:
                _walk(path, bc, out)
    return sorted(out)


def _walk(path: str, bc: BuildContext, out: set[str]) -> None:
    rel = os.path.relpath(path, bc.root).replace(os.sep, "/")
    if rel != "." and bc.ignored(rel) is True:  # not known (None): hashed, as it may be sent
        return
    if os.path.isdir(path) and not os.path.islink(path):
        for name in sorted(os.listdir(path)):
            _walk(os.path.join(path, name), bc, out)
    else:
        out.add(rel)


def extension_hash(plan: Plan, df) -> tuple[str, BuildContext]:
    bc = BuildContext.for_dockerfile(plan.dockerfile)
    parts: list[bytes | str] = [open(plan.dockerfile, "rb").read()]
    if bc.ignore_file:
        parts.append(open(bc.ignore_file, "rb").read())
    for rel in copied_files(df, bc):
        path = os.path.join(bc.root, rel)
        st = os.lstat(path)
        parts.append(f"{rel}\0{st.st_mode & 0o777}")
        parts.append(os.readlink(path) if os.path.islink(path) else open(path, "rb").read())
    return digest(*parts), bc


def registry_key(h: str, foundation_id: str) -> str:
    """The extension's name in a registry: its content and the foundation it is built on,
    not the project's path, so the same project on two machines has the same name."""
    return digest(h, foundation_id)


def ensure(plan: Plan, df, client, foundation, backend_factory, on_step, registry=None):
    """(image, hash, "built" | "reused" | "pulled", BuildResult or None)."""
    from aishell.builder import fresh

    h, bc = extension_hash(plan, df)
    tag = plan.extension_tag
    if not plan.force:
        image = fresh.find_image(client, tag)
        if image is not None:
            if fresh.extension_state(image, h, foundation.id)[0] == "current":
                if registry is not None:
                    registry.share(client, image.id, "extension", registry_key(h, foundation.id), extra_tags=("cache",))
                return image, h, "reused", None
    key = registry_key(h, foundation.id)
    if registry is not None and not plan.force:
        image = registry.pull(client, "extension", key, {L.EXTENSION_HASH: h, L.FOUNDATION_ID: foundation.id})
        if image is not None:
            repo, _, t = tag.rpartition(":")
            image.tag(repo, t)
            return client.images.get(tag), h, "pulled", None
    labels = {
        L.COMPONENT: L.COMPONENT_EXTENSION,
        L.OWNER: owner_label(),
        L.PROJECT_DIR: os.path.realpath(plan.root),
        L.FOUNDATION_ID: foundation.id,
        L.EXTENSION_HASH: h,
    }
    cache = [registry.cache_ref()] if registry is not None and registry.down is None else []
    result = backend_factory().build(
        plan.root,
        os.path.join(".aishell", "Dockerfile"),
        [tag],
        {},
        labels,
        bc.ignore_patterns,
        on_step,
        cache_from=cache,
        inline_cache=registry is not None,
    )
    if registry is not None:
        registry.push(client, result.image_id, "extension", key, extra_tags=("cache",))
    return client.images.get(result.image_id), h, "built", result
