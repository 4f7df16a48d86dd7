"""The compiled-detectors cache: a hit gives the same facts, a changed file is never served stale,
an unusable cache folder or a corrupt cache file is only slower, and errors are never cached.

Over a rubric of two practices and their rules from rubric/detectors.yaml (grammar whole): the cache works
the same for any file, and each compile costs a tenth of the default file's second."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from scorecard.errors import ScorecardError
from scorecard.extract import extract, load_detectors
from scorecard.model import Rubric
from scorecard.render.data import fact_json
from scorecard.rubric import load_rubric
from scorecard.text import parse_text
from tests.helpers import PROVIDERS, ROOT, rubric_data, write_rubric

PRACTICES = ("retention", "encryption")  # cloud9's policy states its retention
POLICY = (PROVIDERS / "cloud9" / "policy.txt").read_text(encoding="utf-8")


def _small_rubric(folder: Path) -> Rubric:
    """The default rubric cut to PRACTICES, with their rules beside it in detectors.yaml (DETECTORS)."""
    data = rubric_data()
    data["practices"] = [p for p in data["practices"] if p["key"] in PRACTICES]
    rubric = load_rubric(write_rubric(folder, data, with_detectors=False))
    detectors = yaml.safe_load((ROOT / "rubric" / "detectors.yaml").read_text(encoding="utf-8"))
    detectors["practices"] = {k: v for k, v in detectors["practices"].items() if k in PRACTICES}
    (folder / "detectors.yaml").write_text(yaml.safe_dump(detectors, sort_keys=False), encoding="utf-8")
    return rubric


SMALL = Path(tempfile.mkdtemp(prefix="scorecard-small-rubric-"))
RUBRIC = _small_rubric(SMALL)
DETECTORS = SMALL / "detectors.yaml"


def facts(detectors: object) -> dict[str, object]:
    found = extract(parse_text(POLICY), RUBRIC, detectors)  # type: ignore[arg-type]
    return {key: fact_json(fact) for key, fact in found.items()}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCORECARD_CACHE", str(folder))
    return folder


def test_a_cache_hit_gives_the_same_facts(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "detectors.yaml"
    shutil.copyfile(DETECTORS, path)
    fresh = load_detectors(path, RUBRIC)
    assert len(list(cache.glob("detectors-*.pickle"))) == 1
    cached = load_detectors(path, RUBRIC)
    assert cached is not fresh and cached.path == path
    assert facts(cached) == facts(fresh)


def test_a_changed_file_is_compiled_afresh(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "detectors.yaml"
    shutil.copyfile(DETECTORS, path)
    before = facts(load_detectors(path, RUBRIC))
    key = next(k for k, fact in before.items() if fact["value"] != "not_stated")
    text = path.read_text(encoding="utf-8")
    assert f"\n  {key}:\n" in text
    path.write_text(text.replace(f"\n  {key}:\n", f"\n  {key}_gone:\n", 1), encoding="utf-8")
    with pytest.raises(ScorecardError, match=f"{key}_gone"):  # strict: an unknown practice, not the cache
        load_detectors(path, RUBRIC)
    lenient = load_detectors(path, RUBRIC, strict=False)  # the practice is left out now
    assert key not in lenient.practices
    assert facts(lenient)[key]["value"] == "not_stated"

def test_a_corrupt_cache_file_or_no_cache_folder_is_only_slower(cache: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    expected = facts(load_detectors(DETECTORS, RUBRIC))
    for stored in cache.glob("detectors-*.pickle"):
        stored.write_bytes(b"not a pickle")
    assert facts(load_detectors(DETECTORS, RUBRIC)) == expected
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("SCORECARD_CACHE", str(blocked / "cache"))  # cannot be made: a file is in the way
    assert facts(load_detectors(DETECTORS, RUBRIC)) == expected
    monkeypatch.setenv("SCORECARD_CACHE", "")  # no cache at all
    assert facts(load_detectors(DETECTORS, RUBRIC)) == expected


class _Touch:
    """A pickle that, when loaded, creates a file: what an attacker who can write the cache would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.marker,))


def test_a_cache_file_others_could_write_is_never_unpickled(cache: Path, tmp_path: Path) -> None:
    import pickle

    path = tmp_path / "detectors.yaml"
    shutil.copyfile(DETECTORS, path)
    expected = facts(load_detectors(path, RUBRIC))
    (cached,) = cache.glob("detectors-*.pickle")
    marker = tmp_path / "ran"
    cached.write_bytes(pickle.dumps(_Touch(marker)))
    cached.chmod(0o666)
    assert facts(load_detectors(path, RUBRIC)) == expected
    assert not marker.exists()
    cached.write_bytes(pickle.dumps(_Touch(marker)))
    cached.chmod(0o600)  # the user's own file is trusted: the planted pickle runs, so the check above is what stopped it
    load_detectors(path, RUBRIC)
    assert marker.exists()
