"""aishell: lint, migrate and build the Docker images AI coding harnesses run in."""

import os as _os

__version__ = "0.1.0"

# Installed, the repository's lint_rules/ and migrate/ folders are this package's subpackages
# (pyproject.toml's [tool.setuptools.package-dir]). In a source checkout they sit beside this
# folder: find them there too, so `python -m aishell` and the tests run from a checkout the
# same way (a non-editable install used from the repository root, or none at all).
_checkout = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
if not _os.path.isdir(_os.path.join(__path__[0], "lint_rules")) and all(
    _os.path.isfile(_os.path.join(_checkout, *p))
    for p in (("pyproject.toml",), ("lint_rules", "__init__.py"), ("migrate", "__init__.py"))
):
    __path__.append(_checkout)
