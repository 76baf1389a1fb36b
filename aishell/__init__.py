"""aishell: lint, migrate and build the Docker images AI coding harnesses run in."""

__version__ = "0.1.0"
