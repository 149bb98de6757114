"""Profiles as users send them: the upload contract, reading files, mapping headers, checking values,
the report of an upload, the templates to fill in, and writing profiles back out.

Intake only: nothing here talks to the database (storing a prepared file is ``services.commit``) or
knows about matching. Module by module:

- ``contract``: the columns, their headers in both languages, enumerated values, private fields, keys;
- ``read``: file type and encoding from the bytes, cells as text (CSV, XLSX, JSON);
- ``headers``: which column is which, and the kind of a file;
- ``validate``: one check per column kind (``VALIDATORS``);
- ``prepare``: a file → valid rows + rejected rows with their reasons (``Prepared``);
- ``report``: problems, notices, refusals and the report of one file;
- ``templates`` / ``export``: files to fill in, and stored profiles written back out.
"""

from importlib import import_module
from typing import Any

from .contract import COLUMNS, KEY, KINDS, PRIVATE_FIELDS, PROFILE_FIELDS, Column, label
from .prepare import Prepared, prepare
from .read import MAX_FILE_BYTES, RawTable, read_table
from .report import REASON_HEADER, FileRefused, IngestReport, Notice, Problem, refused_report

# Templates and export need pandas, which an upload never does: they load on first use, so that
# ``hst ingest`` starts without pandas.
_LAZY = {name: module for module, names in (
    ("templates", ("FORMATS", "LANGS", "template_bytes", "template_file_name", "template_frame", "template_guide")),
    ("export", ("numeric_headers", "profiles_table", "write_table"))) for name in names}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "COLUMNS",
    "KEY",
    "KINDS",
    "PRIVATE_FIELDS",
    "PROFILE_FIELDS",
    "Column",
    "label",
    "prepare",
    "Prepared",
    "read_table",
    "RawTable",
    "MAX_FILE_BYTES",
    "FileRefused",
    "IngestReport",
    "Notice",
    "Problem",
    "refused_report",
    "REASON_HEADER",
    "template_bytes",
    "template_file_name",
    "template_frame",
    "template_guide",
    "FORMATS",
    "LANGS",
    "profiles_table",
    "write_table",
    "numeric_headers",
]
