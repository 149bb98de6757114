"""Helpers of the foundation tests (a uniquely named module: several test folders have a conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BAD_INPUTS = HERE / "bad_inputs"


def hst_command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "matchmaking.cli", "--db", str(db), *args]


def hst_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HST_DB", "HST_DEBUG")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def assert_no_traceback(proc: subprocess.CompletedProcess, unexpected_ok: bool = False) -> None:
    """No traceback, and (unless asked) no 'unexpected error': every user error has its own message."""
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    if not unexpected_ok:
        assert "unexpected error" not in proc.stderr, proc.stderr


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table of a database file, sorted: two dumps are equal iff the contents are."""
    import duckdb

    con = duckdb.connect(str(db))  # same configuration as an open Store, so it may share its instance
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        out = {}
        for t in tables:
            rows = con.execute(f'SELECT * FROM "{t}"').fetchall()
            out[t] = sorted(rows, key=repr)
        out["__sequence__"] = con.execute(
            "SELECT sequence_name, last_value FROM duckdb_sequences() ORDER BY 1").fetchall()
        return out
    finally:
        con.close()
