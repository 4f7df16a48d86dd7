"""Start-up: what a command imports. `build --no-pdf` and `extract` never load WeasyPrint, the fetch stack
(httpx, trafilatura, lxml) or numpy; a build that draws PDFs does load WeasyPrint (the check can fail)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import copy_providers

HEAVY = ("weasyprint", "httpx", "trafilatura", "lxml", "numpy", "blingfire")
PROBE = """
import json, sys
from scorecard.cli import main
sys.argv = ["scorecard", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def imported(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    """Exit status and the top-level modules loaded by one `scorecard ARGS` run in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True,
                          cwd=cwd, check=False)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["code"], set(result["modules"])


def test_an_html_build_imports_neither_weasyprint_nor_the_fetch_stack(tmp_path: Path) -> None:
    providers = copy_providers(tmp_path / "providers", ["cloudcone", "cloudpockets"])
    code, modules = imported(["build", "--no-pdf", "--providers", str(providers), "--out", str(tmp_path / "s")],
                             tmp_path)
    assert code == 0 and (tmp_path / "s" / "index.html").is_file()
    assert not modules & set(HEAVY), modules & set(HEAVY)
    code, modules = imported(["build", "--no-pdf", "--providers", str(providers), "--out", str(tmp_path / "s")],
                             tmp_path)  # the rebuild, from the manifest, imports no more
    assert code == 0 and not modules & set(HEAVY)


def test_extract_imports_only_what_reading_a_text_policy_needs(tmp_path: Path) -> None:
    policy = tmp_path / "tiny.txt"
    policy.write_text("We do not sell your personal data. You may delete your account at any time.\n",
                      encoding="utf-8")
    code, modules = imported(["extract", str(policy)], tmp_path)
    assert code == 0
    assert not modules & {"weasyprint", "httpx", "trafilatura", "lxml", "numpy"}, modules


def test_a_build_with_pdfs_does_load_weasyprint(tmp_path: Path) -> None:
    providers = copy_providers(tmp_path / "providers", ["cloudcone"])
    code, modules = imported(["build", "--providers", str(providers), "--out", str(tmp_path / "s"), "-j", "1"],
                             tmp_path)
    assert code == 0 and "weasyprint" in modules


def test_analysis_never_imports_the_fetch_package() -> None:
    """Reading versions/ is the provider folder's job: history, build and rendering leave scorecard.fetch alone."""
    probe = ("import sys, scorecard.build, scorecard.history, scorecard.render.changes, scorecard.review;"
             "print(sorted(m for m in sys.modules if m.startswith('scorecard.fetch')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
