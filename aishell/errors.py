"""Exit codes and input errors: one clear line, never a traceback."""

from __future__ import annotations

import os

# Documented in docs/exit-codes.md.
EXIT_OK = 0
EXIT_FINDINGS = 1  # lint findings, migrate has changes, a build failed
EXIT_INPUT = 2  # usage, config or input error
EXIT_DOCKER = 3  # the Docker daemon cannot be reached
EXIT_INTERRUPTED = 130  # Ctrl-C


class InputError(Exception):
    """Bad input: printed as one line ``path: message``."""

    def __init__(self, path: str | None, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


class ConfigError(InputError):
    pass


def read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as e:
        raise InputError(path, e.strerror or str(e)) from None


def decode(path: str, data: bytes) -> str:
    if b"\0" in data[:8192]:
        raise InputError(path, "binary file (contains NUL bytes), not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[e.start]:02x} on line {line})") from None


def read_text(path: str) -> str:
    """The file's text, exactly: BOM and line endings kept."""
    return decode(path, read_bytes(path))


def display_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith(".." + os.sep) else rel
