"""Reading is bounded: pathological Markdown and HTML (a few MB of emphasis markers, brackets,
tables, list items) are read in memory a small multiple of their size and in CPU time linear
in it. Each case runs in a fresh interpreter, which generates its input, reads it once to warm
imports up, and reports the growth of its peak resident memory and the CPU time of one read."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MB = 3_000_000

# name: (format, Python expression making the text from n characters, bound on memory as a multiple of n)
CASES = {
    "emphasis-run": ("md", "'**a ' * (n // 4)", 4),
    "emphasis-lines": ("md", "'_a_ *b* **c __d\\n' * (n // 17)", 4),
    "open-brackets": ("md", "'[' * n", 4),
    "unclosed-links": ("md", "'[a](' * (n // 4)", 4),
    "link-soup": ("md", "'[a](b) ![c](d) ' * (n // 16)", 6),
    "star-list": ("md", "'* \\n' * (n // 3)", 6),
    "markdown-table": ("md", "'| a | b |\\n|---|---|\\n' + '| Identifiers such as your name | Yes |\\n' * (n // 40)", 16),
    "markdown-list": ("md", "'- We do not sell your personal information.\\n' * (n // 45)", 12),
    "html-table": ("html", "'<table>%s</table>' % ('<tr><td>Identifiers such as your name</td><td>Yes</td></tr>' * (n // 55))", 16),
    "html-paragraphs": ("html", "'<p>We do not sell your personal information to anyone.</p>' * (n // 60)", 12),
}

PROBE = """
import json, resource, sys, time
from scorecard.text import parse_text
fmt, expression, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for warm in ("# A\\n\\nWarm *up* [x](y).\\n\\n| a |\\n|---|\\n| b |\\n", "<table><tr><td>warm</td></tr></table>"):
    parse_text(warm, fmt)
text = eval(expression, {"n": n})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
started = time.process_time()
document = parse_text(text, fmt)
cpu = time.process_time() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"chars": len(text), "grown": peak - before, "cpu": cpu, "sentences": len(document.sentences)}))
"""


def _probe(fmt: str, expression: str, n: int) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", PROBE, fmt, expression, str(n)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", sorted(CASES))
def test_pathological_input_is_read_in_bounded_memory_and_time(name):
    fmt, expression, multiple = CASES[name]
    got = _probe(fmt, expression, MB)
    # Memory: the text itself, its normalized copy and one small object per sentence, never
    # markdown-it's or lxml's tokens for the whole file (hundreds of bytes per input byte before).
    assert got["grown"] <= multiple * got["chars"] + 8_000_000, got
    # Time: linear; a generous bound for a shared machine (quadratic parsing took minutes per MB).
    assert got["cpu"] <= 30.0, got
