"""Do the forms of one policy agree? The same text as .txt (as is, and hard-wrapped at 80 columns),
.md (as is, and wrapped), .html (inside navigation and a footer) and .pdf (WeasyPrint) must give
the same ten facts as the unwrapped .txt.

    python bench/formats_agree.py [--pdf N] [--only ID ...] [--sentences]

Policies: corpus/policies/*/policy.* when the corpus is present, else the five bundled seeds.
Each policy is read once to find its blocks (headings, paragraphs, list items); every form is
generated from those blocks, read back with scorecard.text.read_policy and extracted. Prints,
per form, the share of policies whose facts equal those of the unwrapped .txt, and which
practices differ where they do. PDFs are slow (about a second each): --pdf limits how many.
--sentences also prints the share whose sentences (quote and section) equal the .txt's: stricter
than the facts, and where a form's reading goes wrong before any fact shows it.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scorecard.extract import extract
from scorecard.model import Rubric
from scorecard.rubric import load_rubric
from scorecard.text import read_policy

FORMS = ("txt", "txt-wrapped", "md", "md-wrapped", "html", "pdf")
WIDTH = 80


@dataclass(frozen=True)
class Block:
    kind: str  # heading | paragraph | item
    text: str


def policy_paths(root: Path = ROOT) -> list[Path]:
    """The corpus policies when the corpus has landed, else the bundled seeds."""
    corpus = sorted(p for p in (root / "corpus" / "policies").glob("*/policy.*")
                    if p.suffix in (".txt", ".md", ".html", ".pdf"))
    return corpus or seed_paths(root)


def seed_paths(root: Path = ROOT) -> list[Path]:
    return sorted((root / "providers").glob("*/policy.*"))


_BULLET = re.compile(r"^(?:[-*•·▪◦‣]|\d{1,2}[.)]|\(?[a-z]\))\s+")


def blocks_of(path: Path) -> list[Block]:
    """Headings, paragraphs and list items of a policy as the reader finds them: a line of its text
    is one block, a line that names a section is a heading."""
    document = read_policy(path)
    spans = getattr(document, "headings", None)  # older readers lack the field: section names then
    headings = {document.text[a:b] for a, b in spans} if spans is not None else {s.section for s in document.sentences}
    blocks = []
    for line in document.text.split("\n"):
        line = line.strip()
        if not line:
            continue
        kind = "heading" if line in headings else "item" if _BULLET.match(line) else "paragraph"
        blocks.append(Block(kind, _BULLET.sub("", line) if kind == "item" else line))
    return blocks


# --- the forms -------------------------------------------------------------------------------

def to_txt(blocks: list[Block], width: int | None = None) -> str:
    out: list[str] = []
    for i, block in enumerate(blocks):
        if block.kind == "item":
            text = _wrap(block.text, width, "- ", "  ")
        else:
            text = _wrap(block.text, width if block.kind == "paragraph" else None, "", "")
        gap = "\n" if block.kind == "item" and i and blocks[i - 1].kind == "item" else "\n\n"
        out.append((gap if out else "") + text)
    return "".join(out) + "\n"


def _wrap(text: str, width: int | None, first: str, rest: str) -> str:
    """Hard-wrapped as an editor or formatter does it: at spaces (and after a word's hyphen), never
    inside a word; a word longer than the width (a URL) overflows its line."""
    if width is None:
        return first + text
    return textwrap.fill(text, width, initial_indent=first, subsequent_indent=rest, break_long_words=False)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")


def to_md(blocks: list[Block], width: int | None = None) -> str:
    out: list[str] = []
    for i, block in enumerate(blocks):
        text = _MD_SPECIAL.sub(r"\\\1", block.text)
        if block.kind == "heading":
            body = "## " + text
        elif block.kind == "item":
            body = _wrap(text, width, "- ", "  ")
        else:
            body = _wrap(text, width, "", "")
        gap = "\n" if block.kind == "item" and i and blocks[i - 1].kind == "item" else "\n\n"
        out.append((gap if out else "") + body)
    return "".join(out) + "\n"


def article_html(blocks: list[Block]) -> str:
    parts, in_list = [], False
    for block in blocks:
        if block.kind == "item" and not in_list:
            parts.append("<ul>")
            in_list = True
        elif block.kind != "item" and in_list:
            parts.append("</ul>")
            in_list = False
        tag = {"heading": "h2", "item": "li", "paragraph": "p"}[block.kind]
        parts.append(f"<{tag}>{html.escape(block.text)}</{tag}>")
    if in_list:
        parts.append("</ul>")
    return "\n".join(parts)


NAV = ("<header><a href='/'>Example</a><nav><ul><li><a href='/products'>Products</a></li>"
       "<li><a href='/pricing'>Pricing</a></li><li><a href='/privacy'>Privacy</a></li>"
       "<li><a href='/contact'>Contact us</a></li></ul></nav></header>")
FOOTER = ("<footer><p>&copy; 2026 Example Inc. All rights reserved.</p><ul><li><a href='/terms'>Terms</a></li>"
          "<li><a href='/privacy'>Privacy</a></li><li><a href='/do-not-sell'>Do Not Sell or Share My Personal "
          "Information</a></li><li><a href='/cookies'>Cookie settings</a></li></ul></footer>")


def to_html(blocks: list[Block]) -> str:
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Privacy Policy</title>"
            "<style>body{font-family:sans-serif}</style></head><body>" + NAV
            + "<main><article>\n" + article_html(blocks) + "\n</article></main>" + FOOTER + "</body></html>")


def pdf_page(blocks: list[Block]) -> str:
    """The HTML page WeasyPrint draws the .pdf form from."""
    return ("<!doctype html><html><head><meta charset='utf-8'><style>@page{size:A4;margin:2cm}"
            "body{font:11pt sans-serif} h2{font-size:14pt}</style></head><body>"
            + article_html(blocks) + "</body></html>")


def render_pdf(page: str, path: Path) -> None:
    from weasyprint import HTML

    HTML(string=page).write_pdf(path)


PdfRenderer = Callable[[str, Path], None]  # (pdf_page's HTML, where to write the PDF)


def write_form(form: str, blocks: list[Block], folder: Path, original: Path | None = None,
               render: PdfRenderer = render_pdf) -> Path:
    """The policy in one form, written into folder; the unwrapped .txt of a .txt policy is the file as is.
    `render` draws the .pdf form (the tests pass one that keeps each PDF it drew, keyed by its page)."""
    folder.mkdir(parents=True, exist_ok=True)
    writers: dict[str, Callable[[], str]] = {
        "txt": lambda: to_txt(blocks), "txt-wrapped": lambda: to_txt(blocks, WIDTH),
        "md": lambda: to_md(blocks), "md-wrapped": lambda: to_md(blocks, WIDTH), "html": lambda: to_html(blocks),
    }
    suffix = {"txt-wrapped": ".txt", "md-wrapped": ".md"}.get(form, "." + form)
    path = folder / f"{form}{suffix}"
    if form == "txt" and original is not None and original.suffix == ".txt":
        path.write_bytes(original.read_bytes())
    elif form == "pdf":
        render(pdf_page(blocks), path)
    else:
        path.write_text(writers[form](), encoding="utf-8")
    return path


def facts_of(path: Path, rubric: Rubric) -> dict[str, str]:
    return {key: fact.value for key, fact in extract(read_policy(path), rubric).items()}


def sentences_of(path: Path) -> list[tuple[str, str]]:
    document = read_policy(path)
    return [(document.quote(s), s.section) for s in document.sentences]


@dataclass(frozen=True)
class Baseline:
    """What every form of a policy is compared with: its blocks and the facts of its unwrapped .txt."""

    blocks: list[Block]
    facts: dict[str, str]


def baseline_of(policy: Path, folder: Path, rubric: Rubric) -> Baseline:
    """The blocks of a policy and the facts of its unwrapped .txt (written into folder as txt.txt)."""
    blocks = blocks_of(policy)
    return Baseline(blocks, facts_of(write_form("txt", blocks, folder, policy), rubric))


def compare(policy: Path, folder: Path, rubric: Rubric, forms: tuple[str, ...] = FORMS,
            baseline: Baseline | None = None,
            render: PdfRenderer = render_pdf) -> dict[str, dict[str, tuple[str, str]]]:
    """For each form, the practices whose value differs from the unwrapped .txt: {form: {key: (txt, form)}}.
    `baseline`: baseline_of(policy) computed before (the tests share it between the tests of one policy)."""
    if baseline is None:
        baseline = baseline_of(policy, folder, rubric)
    result = {}
    for form in forms:
        if form == "txt":
            continue
        got = facts_of(write_form(form, baseline.blocks, folder, policy, render), rubric)
        result[form] = {k: (baseline.facts[k], got[k]) for k in baseline.facts if got.get(k) != baseline.facts[k]}
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pdf", type=int, default=1000, help="render PDFs for at most this many policies")
    ap.add_argument("--only", nargs="*", help="policy ids (folder names) to run")
    ap.add_argument("--seeds", action="store_true", help="the bundled seeds, even when the corpus is present")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    ap.add_argument("--sentences", action="store_true", help="also compare the sentences (quote, section)")
    args = ap.parse_args()
    rubric = load_rubric()
    paths = seed_paths() if args.seeds else policy_paths()
    if args.only:
        paths = [p for p in paths if p.parent.name in args.only]
    agree = dict.fromkeys(FORMS[1:], 0)
    runs = dict.fromkeys(FORMS[1:], 0)
    same_sentences = dict.fromkeys(FORMS[1:], 0)
    with tempfile.TemporaryDirectory() as tmp:
        for n, policy in enumerate(paths):
            forms = FORMS if n < args.pdf else FORMS[:-1]
            try:
                result = compare(policy, Path(tmp) / policy.parent.name, rubric, forms)
            except Exception as exc:
                print(f"{policy.parent.name}: {type(exc).__name__}: {exc}")
                continue
            if args.sentences:
                folder = Path(tmp) / policy.parent.name
                baseline = sentences_of(folder / "txt.txt")
                for form in result:
                    suffix = {"txt-wrapped": ".txt", "md-wrapped": ".md"}.get(form, "." + form)
                    same_sentences[form] += sentences_of(folder / f"{form}{suffix}") == baseline
            for form, diff in result.items():
                runs[form] += 1
                agree[form] += not diff
                if diff and args.verbose:
                    print(f"{policy.parent.name} {form}: " + ", ".join(f"{k} {a}->{b}" for k, (a, b) in diff.items()))
    print(f"{len(paths)} policies ({'seeds' if args.seeds or paths == seed_paths() else 'corpus'})")
    for form in FORMS[1:]:
        if runs[form]:
            print(f"{form:12s} {100 * agree[form] / runs[form]:5.1f}% agree with the unwrapped .txt"
                  f" ({agree[form]}/{runs[form]})"
                  + (f"; same sentences {same_sentences[form]}/{runs[form]}" if args.sentences else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
