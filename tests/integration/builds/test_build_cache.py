"""The build cache: a small manifest, one entry per provider, folders told unchanged by stat, and the
facts of an unchanged text reused when only provider.yaml changed."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scorecard import build as build_module
from scorecard import cache as cache_module
from scorecard.build import BuildOptions, build
from tests.helpers import copy_providers


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, int]:
    """Stamps in a cache folder of the test's own, trusted at once (no wait for the clock), and a count of
    the provider folders loaded and the detectors compiled."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(cache_module, "RACY_NS", -10**12)  # files made a moment ago count as settled
    calls = {"load": 0, "extract": 0}
    real_load = build_module.load_provider

    def load(*args: object, **kwargs: object) -> object:
        calls["load"] += 1
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    import scorecard.extract as extract_module

    real_detectors = extract_module.detectors_for

    def detectors(*args: object, **kwargs: object) -> object:
        calls["extract"] += 1
        return real_detectors(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "load_provider", load)
    monkeypatch.setattr(extract_module, "detectors_for", detectors)
    cache_module._extracted.cache_clear()  # as in a new process
    cache_module._parsed.cache_clear()
    return calls


def test_an_unchanged_folder_is_neither_read_nor_extracted_again(tmp_path: Path, counted: dict[str, int]) -> None:
    providers = copy_providers(tmp_path / "providers", ["cloudcone", "cloudpockets"])
    out = tmp_path / "site"
    options = BuildOptions(providers=providers, out=out, pdf=False, jobs=1)
    build(options)
    assert counted == {"load": 2, "extract": 2}
    manifest = json.loads((out / ".scorecard-manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["providers"]) == {"cloudcone", "cloudpockets"}
    assert all(isinstance(key, str) for key in manifest["providers"].values())  # a hash, not the scorecard
    assert {".scorecard-cache/cloudcone.json", ".scorecard-cache/cloudpockets.json"} <= set(manifest["files"])
    before = (out / "index.html").read_bytes()

    build(options)  # the stat of every file is as the first build left it: nothing is read
    assert counted == {"load": 2, "extract": 2}
    assert (out / "index.html").read_bytes() == before

    info = providers / "cloudpockets" / "provider.yaml"
    info.write_text(info.read_text(encoding="utf-8").replace("name: CloudPockets", "name: Pockets Renamed"),
                    encoding="utf-8")
    build(options)  # read again, and its text's facts come from the cache: no detectors compiled
    assert counted == {"load": 3, "extract": 2}
    assert "Pockets Renamed" in (out / "index.html").read_text(encoding="utf-8")


def test_a_policy_changed_with_its_size_and_time_kept_is_read_again(tmp_path: Path, counted: dict[str, int]) -> None:
    """The change time cannot be set back: an edit that keeps size and modification time is still seen."""
    providers = copy_providers(tmp_path / "providers", ["cloudpockets"])
    out = tmp_path / "site"
    options = BuildOptions(providers=providers, out=out, pdf=False, jobs=1)
    build(options)
    policy = providers / "cloudpockets" / "policy.txt"
    text = policy.read_text(encoding="utf-8")
    assert "is committed to protecting" in text
    info = policy.stat()
    changed = text.replace("is committed to protecting", "is dedicated to protecting")
    policy.write_text(changed, encoding="utf-8")
    os.utime(policy, ns=(info.st_atime_ns, info.st_mtime_ns))
    build(options)
    assert counted["load"] == 2
    assert "is dedicated to protecting" in (out / "cloudpockets" / "policy" / "index.html").read_text(encoding="utf-8")


def test_stamps_of_at_most_64_sites_are_kept(tmp_path: Path, counted: dict[str, int]) -> None:
    """One stamps file per site built: the oldest go, so a machine building many sites does not fill up."""
    providers = copy_providers(tmp_path / "providers", ["cloudpockets"])
    out = tmp_path / "site"
    folder = cache_module.stamps_file(out).parent
    folder.mkdir(parents=True)
    for i in range(70):
        old = folder / f"{i:032x}.json"
        old.write_text("{}", encoding="utf-8")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    build(BuildOptions(providers=providers, out=out, pdf=False, jobs=1))
    kept = sorted(p.name for p in folder.glob("*.json"))
    assert len(kept) == cache_module.STAMPS_KEEP == 64
    assert cache_module.stamps_file(out).name in kept
    assert f"{69:032x}.json" in kept and f"{0:032x}.json" not in kept  # the newest stay
