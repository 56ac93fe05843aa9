"""The core needs no Home Assistant: these tests run without one."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the package-wide fixture, which would start a Home Assistant core."""
