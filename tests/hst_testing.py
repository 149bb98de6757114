"""Helpers shared by test folders (a plainly named module: several folders have a conftest.py)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def hst(db: Path, *args: str, env: dict | None = None, check: bool = True):
    """Run the real CLI (``python -m matchmaking.cli``) on ``db``; returns the CompletedProcess."""
    import os
    import subprocess
    import sys

    full = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", **(env or {}))
    out = subprocess.run([sys.executable, "-m", "matchmaking.cli", "--db", str(db), *args], capture_output=True,
                         text=True, env=full, cwd=REPO_ROOT)
    if check:
        assert out.returncode == 0, out.stderr
    return out
