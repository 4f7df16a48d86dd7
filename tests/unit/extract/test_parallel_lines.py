"""extract_lines: the jsonl lines made in the workers are the records' JSON, in input order, on any job count."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from scorecard.extract.parallel import extract_lines, extract_records
from scorecard.rubric import load_rubric
from tests.helpers import PROVIDERS


def test_lines_are_the_records_json_in_order_on_one_or_two_jobs(tmp_path: Path) -> None:
    paths = []
    for n, source in enumerate(sorted(PROVIDERS.glob("*/policy.*")) * 2):
        paths.append(tmp_path / f"{n:02d}{source.suffix}")
        shutil.copyfile(source, paths[-1])
    rubric = load_rubric()
    expected = [json.dumps(record, ensure_ascii=False) for record in extract_records(paths, rubric, jobs=1)]
    assert list(extract_lines(paths, rubric, jobs=1)) == expected
    assert list(extract_lines(paths, rubric, jobs=2)) == expected
    assert [json.loads(line)["file"] for line in expected] == [str(p) for p in paths]
