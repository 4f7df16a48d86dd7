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


def test_the_cache_carries_the_tests_code_and_screens_so_a_new_process_makes_neither(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scorecard.extract import pattern

    path = tmp_path / "detectors.yaml"
    shutil.copyfile(DETECTORS, path)
    expected = facts(load_detectors(path, RUBRIC))
    monkeypatch.setattr(pattern, "_CODE", {})  # as a process that starts from the cache has them
    monkeypatch.setattr(pattern, "_SCREENS", {})
    cached = load_detectors(path, RUBRIC)
    assert cached.warm == {}  # read into the pattern module, not kept twice
    screened_sources = {s for p in cached.practices.values() for r in p.rules for s in (*r.unless_sources, *r.near_sources)}
    assert screened_sources and screened_sources <= set(pattern._SCREENS)
    assert pattern._CODE  # the generated tests' code
    made = dict(pattern._CODE)
    monkeypatch.setattr(pattern, "compile", _no_compile, raising=False)  # nothing generated is compiled again
    assert facts(cached) == expected
    assert made == pattern._CODE


def _no_compile(*args: object) -> None:
    raise AssertionError("compiled again")


def test_the_cache_is_keyed_on_the_python_that_marshalled_its_code(cache: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from scorecard.extract import spec

    path = tmp_path / "detectors.yaml"
    shutil.copyfile(DETECTORS, path)
    load_detectors(path, RUBRIC)
    monkeypatch.setattr(spec.sys, "version", "0.0.0 (another Python)")
    load_detectors(path, RUBRIC)
    assert len(list(cache.glob("detectors-*.pickle"))) == 2


def test_a_screened_pattern_is_compiled_only_when_a_text_passes_its_test() -> None:
    import re

    from scorecard.extract.spec import Screened, screened

    searcher = screened(r"\bdo not (?:sell|rent)\b")
    assert isinstance(searcher, Screened) and searcher.compiled is None
    assert searcher.search("we may share your data") is None
    assert searcher.compiled is None  # the literals are missing: no regex was needed
    assert searcher.search("we do not rent it").group(0) == "do not rent"  # type: ignore[union-attr]
    assert searcher.compiled is not None
    assert searcher.search("we do not sell, ever") is not None and searcher.search("do not sellers") is None
    assert [m.span() for m in searcher.finditer("do not sell; do not rent")] == [
        m.span() for m in re.finditer(r"\bdo not (?:sell|rent)\b", "do not sell; do not rent")]
    assert isinstance(screened(r"\w+"), re.Pattern)  # no literal to screen by: compiled as it is
