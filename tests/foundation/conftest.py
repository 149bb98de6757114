"""Fixtures for the foundation tests (upload, store, export, CLI): a real CLI runner."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from foundation_helpers import assert_no_traceback, hst_command, hst_env


@pytest.fixture
def hst(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run the real ``hst`` command line in a subprocess: ``hst(*args, db=path)``; never a traceback."""

    def run(*args: str | Path, db: Path | None = None, timeout: float = 120, unexpected_ok: bool = False,
            **env: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(hst_command(db or tmp_path / "hst.duckdb", *map(str, args)), cwd=tmp_path,
                              env=hst_env(**env), capture_output=True, text=True, timeout=timeout, check=False)
        assert_no_traceback(proc, unexpected_ok)
        return proc

    return run
