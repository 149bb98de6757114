"""Shared helpers for the benefit-sharing tests (paths, a CLI namespace builder)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def split_args():
    """Build the Namespace ``hst split`` would pass to ``benefit_sharing.cli.run``."""
    from benefit_sharing.cli import add_arguments

    def build(*argv: str) -> argparse.Namespace:
        parser = argparse.ArgumentParser(prog="hst split")
        add_arguments(parser, "split")
        return parser.parse_args(list(argv))

    return build
