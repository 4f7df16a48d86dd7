"""A plain `pip install .` (a wheel, not an editable install) ships the rubric, templates and examples."""
from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.helpers import ROOT


def test_wheel_ships_rubric_templates_and_providers(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)],
                            check=False, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("scorecard-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ["rubric/default.yaml", "templates/base.html", "templates/pdf.html", "templates/site.css",
                "providers/cloudcone/provider.yaml"]:
        assert f"scorecard/_data/{rel}" in names, rel
    for path in (ROOT / "rubric").glob("*.yaml"):
        assert f"scorecard/_data/rubric/{path.name}" in names
    for path in (ROOT / "templates").iterdir():
        assert f"scorecard/_data/templates/{path.name}" in names
    assert "scorecard/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "scorecard = scorecard.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
