"""System tools some tests need: a missing one fails the test with one line saying what to install."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_CORE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PACKAGES = {"chromium": "chromium", "pdftoppm": "poppler-utils", "npm": "npm"}


def require_tool(name: str) -> str:
    """The tool's path, or a one-line failure naming the Debian package (never a raw FileNotFoundError)."""
    path = shutil.which(name) or (f"/usr/bin/{name}" if name == "chromium" and shutil.which("/usr/bin/chromium") else None)
    if path is None:
        pytest.fail(f"{name} is not installed: run `apt-get install {PACKAGES.get(name, name)}` "
                    "(make test does it as root)", pytrace=False)
    return path


def require_axe_core() -> Path:
    """axe-core's script (installed by `npm ci` from package-lock.json), or a one-line failure."""
    if not AXE_CORE.is_file():
        require_tool("npm")
        pytest.fail(f"axe-core is not installed: run `npm ci` in {ROOT} (make test does)", pytrace=False)
    return AXE_CORE
