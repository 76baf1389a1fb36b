"""The image names aishell migrates between, shared by the lint rule and the Python codemod."""

import re

LEGACY = "aishell:base"
FOUNDATION = "aishell:foundation"
# The exact image: not aishell:base-custom, aishell:baseline, my-aishell:base or other/aishell:base;
# `${BASE:-aishell:base}` still counts.
LEGACY_RE = re.compile(r"(?<![\w./])(?<![^:]-)aishell:base(?:@sha256:[0-9a-fA-F]+)?(?![\w.:@-])")
