"""The image names aishell migrates between, shared by the lint rule and the Python codemod."""

import re

from aishell.labels import FOUNDATION

LEGACY = "aishell:base"
__all__ = ["FOUNDATION", "LEGACY", "LEGACY_RE"]  # FOUNDATION: the tag aishell builds (aishell.labels)
# The exact image: not aishell:base-custom, aishell:baseline, my-aishell:base or other/aishell:base;
# `${BASE:-aishell:base}` still counts, and so do the spellings Docker normalises to the same
# local image: docker.io/library/aishell:base, library/aishell:base (index.docker.io too).
LEGACY_RE = re.compile(
    r"(?<![\w./])(?<![^:]-)(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)/)?(?:library/)?"
    r"aishell:base(?:@sha256:[0-9a-fA-F]+)?(?![\w.:@-])"
)
