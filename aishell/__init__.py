"""aishell: lint, migrate and build the Docker images AI coding harnesses run in."""

__version__ = "0.1.0"

# Where a rule's page lives; JSON/SARIF output links each finding here.
DOCS_URL = "https://github.com/aishell-dev/aishell/blob/main/docs/rules/{code}.md"
