"""What the browser tests need from the machine: a missing piece fails them with one line saying what
to install."""
from __future__ import annotations

import pytest

from tests.system import require_axe_core, require_tool


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium (Playwright never downloads a browser), with axe-core ready for the audits."""
    require_axe_core()
    return require_tool("chromium")
