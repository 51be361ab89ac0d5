"""Shared fixtures: a small valid policy set copied to a temporary folder, and a clean environment."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

# One BLAS thread, set before numpy loads: matching's small matrix products on threads cost 5-7x the CPU
# on a shared machine (tests/test_hostile_input.py: 92 s instead of 12 s under load).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bot.loading import load_policy_set  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """Tests never see the developer's LEEWAY_* or SLACK_* settings."""
    import os

    for name in list(os.environ):
        if name.startswith(("LEEWAY_", "SLACK_")):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def valid_dirs(tmp_path) -> tuple[Path, Path]:
    """A writable copy of tests/fixtures/valid: (playbooks, policies)."""
    target = tmp_path / "set"
    shutil.copytree(FIXTURES / "valid", target)
    return target / "playbooks", target / "policies"


@pytest.fixture(scope="session")
def fixture_set():
    return load_policy_set(FIXTURES / "valid" / "playbooks", FIXTURES / "valid" / "policies")


@pytest.fixture(scope="session")
def sample_set():
    return load_policy_set(REPO / "playbooks", REPO / "policies")


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
