"""What a command tells its user when something is wrong: a ``UserError`` (one line on stderr, never a
traceback) and the exit codes of the CLI contract (``docs/cli.md``)."""

from __future__ import annotations

__all__ = ["UserError", "EXIT_OK", "EXIT_REJECTED", "EXIT_USAGE", "EXIT_UNKNOWN_ID"]

EXIT_OK = 0
EXIT_REJECTED = 1  # some rows rejected, the valid rows stored
EXIT_USAGE = 2  # usage error, unreadable file, nothing stored
EXIT_UNKNOWN_ID = 3


class UserError(Exception):
    """An error caused by the user's input: printed as one line, never as a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code
