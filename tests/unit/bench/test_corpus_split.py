"""bench/corpus.py: round-2 organisations go to the half named, round-3 ones (--new-even) are balanced
among themselves, every earlier assignment is kept, a subset of a half can be named by a file of ids,
and a raw labels file may name its labeller as `labellers: [x]`."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]


def load_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


corpus = load_corpus()


def policy(pid: str, organisation: str) -> object:
    return corpus.Policy(Path(pid), {"organisation": organisation, "era": "ccpa-gdpr", "format": "md"})


def test_new_organisations_all_go_to_the_named_half_and_old_ones_stay() -> None:
    old = [policy(f"old-{n}", f"Old Org {n}") for n in range(6)]
    first = corpus.make_split(old)
    new = [policy(f"new-{n}", f"New Org {n}") for n in range(8)]
    second = corpus.make_split(old + new, previous=first, new_half="dev")
    assert {org: second[org] for org in first} == first
    assert {second[f"New Org {n}"] for n in range(8)} == {"dev"}


def test_without_a_named_half_new_organisations_are_balanced_across_both() -> None:
    new = [policy(f"new-{n}", f"New Org {n}") for n in range(8)]
    assert set(corpus.make_split(new).values()) == {"dev", "test"}


def test_ids_file_takes_whitespace_commas_and_comments(tmp_path: Path) -> None:
    listed = tmp_path / "ids.txt"
    listed.write_text("a-privacy-2020 b-privacy-2021,c-privacy-2022\n# d-privacy-2023\ne-privacy-2024  # note\n")
    assert corpus.ids_from_file(listed) == {"a-privacy-2020", "b-privacy-2021", "c-privacy-2022", "e-privacy-2024"}


def test_new_even_balances_new_organisations_among_themselves_and_keeps_old_ones() -> None:
    old = [policy(f"old-{n}", f"Old Org {n}") for n in range(6)]
    previous = {f"Old Org {n}": "dev" for n in range(6)}  # a lopsided earlier split
    new = [policy(f"new-{n}", f"New Org {n}") for n in range(8)]
    placed = corpus.make_split(old + new, previous=previous, new_even=True)
    assert {org: placed[org] for org in previous} == previous
    halves = [placed[f"New Org {n}"] for n in range(8)]
    assert halves.count("dev") == halves.count("test") == 4
    # without --new-even the balance rule counts the old ones too: seven of the eight go to test
    plain = corpus.make_split(old + new, previous=previous)
    assert [plain[f"New Org {n}"] for n in range(8)].count("test") == 7


def test_new_even_with_the_round_counts_earlier_batches_of_the_round() -> None:
    old = [policy(f"old-{n}", f"Old Org {n}") for n in range(6)]
    first_batch = [policy(f"first-{n}", f"First Org {n}") for n in range(3)]
    previous = {f"Old Org {n}": "dev" for n in range(6)} | {f"First Org {n}": "test" for n in range(3)}
    second_batch = [policy(f"second-{n}", f"Second Org {n}") for n in range(3)]
    every = old + first_batch + second_batch
    round_ids = {p.id for p in first_batch + second_batch}
    placed = corpus.make_split(every, previous=previous, new_even=True, round_ids=round_ids)
    assert {org: placed[org] for org in previous} == previous
    assert {placed[f"Second Org {n}"] for n in range(3)} == {"dev"}  # evens the round: 3 test, 3 dev


def test_a_raw_labels_file_may_name_its_labeller_as_a_one_item_labellers_list(tmp_path: Path) -> None:
    pid = "a-privacy-2020"
    policies = {pid: corpus.Policy(tmp_path / pid, {"organisation": "A", "era": "pre-ccpa", "format": "md"})}
    for body, wrong in (("labeller: p", False), ("labellers: [p]", False), ("labellers: [q]", True)):
        raw = tmp_path / f"{pid}.p.yaml"
        raw.write_text(f"id: {pid}\n{body}\nfacts: {{}}\n", encoding="utf-8")
        problems = corpus.check_labels(raw, policies, {pid: [""]})
        assert any("labeller" in problem for problem in problems) == wrong, problems
