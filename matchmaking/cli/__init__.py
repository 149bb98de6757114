"""The ``hst`` command line: ``main`` parses and dispatches; each command family has its module
(``profiles``: init, ingest, export, stats; ``matching``: embed, match; ``accounts``: user; ``app``), and ``split`` is
``benefit_sharing.cli``, loaded by name. Errors and exit codes: ``errors``.
"""

from .errors import EXIT_OK, EXIT_REJECTED, EXIT_UNKNOWN_ID, EXIT_USAGE, UserError
from .main import build_parser, main

__all__ = ["main", "build_parser", "UserError", "EXIT_OK", "EXIT_REJECTED", "EXIT_USAGE", "EXIT_UNKNOWN_ID"]
