"""The caches of one process (scorecard/cache.py): a text read, or extracted, once however many files hold
it; keyed by content, so an edit is read again; the cache keeps documents and facts, never a file's bytes."""
from __future__ import annotations

import gc
from pathlib import Path

from scorecard import cache
from scorecard.rubric import load_rubric
from tests.helpers import PROVIDERS

TEXT = (PROVIDERS / "cloudpockets" / "policy.txt").read_bytes()


def test_the_same_bytes_in_two_files_are_read_once(tmp_path: Path) -> None:
    cache._parsed.cache_clear()
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_bytes(TEXT)
    two.write_bytes(TEXT)
    first, second = cache.read_policy_once(one), cache.read_policy_once(two)
    assert cache._parsed.cache_info().misses == 1
    assert (first.path, second.path) == (one, two)  # each names its own file
    assert second.text == first.text and second.sentences is first.sentences
    two.write_bytes(TEXT.replace(b"CloudPockets", b"PocketsRenamed"))
    assert "PocketsRenamed" in cache.read_policy_once(two).text  # by content: an edit is read again
    assert cache._parsed.cache_info().misses == 2


def test_the_cache_holds_no_bytes_and_no_document(tmp_path: Path) -> None:
    cache._parsed.cache_clear()
    cache._extracted.cache_clear()
    cache.seed_extraction({})  # no facts from an earlier build in this process
    path = tmp_path / "policy.txt"
    path.write_bytes(TEXT)
    document = cache.read_policy_once(path)
    facts = cache.extract_once(document, load_rubric())
    assert cache.extract_once(cache.read_policy_once(path), load_rubric()) == facts  # rubric loaded again
    assert (cache._parsed.cache_info().misses, cache._extracted.cache_info().misses) == (1, 1)
    keys = [o for o in gc.get_objects() if isinstance(o, cache.Content)]  # the keys both caches hold
    assert len(keys) >= 2 and all(key.inputs == [] for key in keys)
