"""Normalization of policy text, and recovery of headings run into their text.

Offsets in a Document point into the *normalized* text, so every later stage (segmenting,
matching, quoting) sees the same characters the reader is shown.
"""
from __future__ import annotations

import re
import unicodedata

# Quotes and dashes that NFKC keeps but that make cue phrases fail ("don’t" vs "don't").
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\t": " ",
})
# Invisible characters: soft hyphen, zero-width space/joiners, word joiner, BOM, bidi marks,
# and C0/C1 controls (a NUL would also truncate the string inside the C segmenter).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069"
                        "\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Runs of spaces and odd spaces; a lone plain space (most of them) is not a match, which is fast. Written as one
# branch that starts with a set (an odd space, then any run; or a space, then one more at least), so that re
# skips to the next space of any kind instead of trying the pattern at every character.
_SPACES = re.compile(r"[ \u1680\u2000-\u200a\u205f\u3000]"
                     r"(?:(?<=[\u1680\u2000-\u200a\u205f\u3000])[ \u1680\u2000-\u200a\u205f\u3000]*"
                     r"|[ \u1680\u2000-\u200a\u205f\u3000]+)")

# "1. Collected InformationWhen You visit": a numbered title glued to the next sentence.
_NUMBERED_RUNON = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][^.?!:\n]{1,80}?[a-z)])(?=[A-Z][a-z]|[A-Z]{2,}\b)")
# "How can I access my personal information?You can access...": a question heading.
_QUESTION_RUNON = re.compile(r"^([A-Z][^.?!\n]{4,120}\?)(?=[A-Z])")


_REPLACEMENTS = tuple((chr(code), target) for code, target in _TRANSLATE.items())
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _straighten(text: str) -> str:
    # One str.replace per character present: several times faster than str.translate on whole files.
    for char, target in _REPLACEMENTS:
        if char in text:
            text = text.replace(char, target)
    return text


def normalize(text: str) -> str:
    """NFKC, straight quotes, plain spaces, no invisible characters; line breaks kept."""
    if "\r" in text:  # before controls are dropped: a lone CR (old Mac files) is a line break
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = _straighten(text)
        if not unicodedata.is_normalized("NFKC", text):
            text = _straighten(unicodedata.normalize("NFKC", text))
        text = _INVISIBLE.sub("", text).replace("\u2028", "\n").replace("\u2029", "\n")
        return _SPACES.sub(" ", text)
    if "\t" in text:
        text = text.replace("\t", " ")
    if _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
    return _SPACES.sub(" ", text) if "  " in text else text


def split_runon_heading(line: str) -> tuple[str, str] | None:
    """(heading, rest) when a line starts with a heading glued to its first sentence."""
    match = _NUMBERED_RUNON.match(line) or _QUESTION_RUNON.match(line)
    if match is None:
        return None
    return match.group(1), line[match.end():]


# Words that section titles of policies are made of; a Title Case line with none of them is a name
# or a fragment ("Microsoft Edge", "Google Analytics"), not a heading.
_HEADING_VOCABULARY = """
    privacy policy policies notice statement information data personal cookie cookies tracking track technologies
    security secure safeguards protect protection contact contacting rights right choices choice options children
    child minors kids changes change updates updated update amendments sharing share shared disclosure disclosures
    disclose use uses using collect collection collected retention retain storage store stored keep transfer
    transfers international third parties party advertising advertisements ads marketing communications access
    deletion delete correction opt out california ccpa cpra gdpr residents european eea legal basis definitions
    introduction overview scope summary questions links payment processing processors providers vendors partners
    service services general other additional terms effective date last revised consent law laws requests request
    sale sell selling signals social media who what why how when where which whom with about and for to of our
    your we us you this these the do not may can does are is from by in on under within encryption encrypted
    safety breach breaches notification track tracking accessibility
"""
_HEADING_WORDS = frozenset(_HEADING_VOCABULARY.split())
_LIST_SEPARATORS = re.compile(r"[;|]|\s[/\u2022·]\s")


_FUNCTION_VOCABULARY = """who what why how when where which whom with about and for to of our your we us you
    this these the do not may can does are is from by in on under within"""
_FUNCTION_WORDS = frozenset(_FUNCTION_VOCABULARY.split())
_TOPIC_WORDS = _HEADING_WORDS - _FUNCTION_WORDS
# A line ending in one of these stops mid-sentence ("We do not"): a fragment, never a title.
_MORE_FRAGMENT_ENDS = "a an or but if that than as at be been will would shall should"
_FRAGMENT_ENDS = _FUNCTION_WORDS | frozenset(_MORE_FRAGMENT_ENDS.split())


def looks_like_plain_title(line: str) -> bool:
    """A short sentence-case line about a topic, with no end punctuation ("What we collect and why",
    "Billing information"): a title when it stands alone, but as likely a statement, so the caller
    keeps it as a sentence too."""
    line = line.strip()
    # a closing quote after the full stop still ends a sentence: 'this may be considered a "sale."'
    if not 2 < len(line) <= 70 or line.rstrip("\"'\u201d\u2019")[-1:] in tuple(".,;:!") or not line[0].isupper() \
            or _LIST_SEPARATORS.search(line):
        return False
    words = line.rstrip("?").split()
    return (len(words) <= 10 and words[-1].lower() not in _FRAGMENT_ENDS
            and any(w.lower().strip("'\"():,&-") in _TOPIC_WORDS for w in words))


def looks_like_heading(line: str) -> bool:
    """A plain-text line that titles a section, by its shape and its words: numbered ("2. Sharing"),
    ALL CAPS, a question, or Title Case made of the words section titles use. A list of names
    ("Firefox; Chrome; Microsoft Edge; Safari"), a table row or a sentence fragment is not one."""
    line = line.strip()
    if not 2 < len(line) <= 90 or line.rstrip("\"'\u201d\u2019")[-1:] in tuple(".,;") or line[0] in "-*•(\"'":
        return False
    words = line.rstrip("?:").split()
    if len(words) > 14 or not (line[0].isupper() or line[0].isdigit()):
        return False
    joined = bool({"and", "or", "&"} & {w.lower() for w in words})
    if _LIST_SEPARATORS.search(line) or (line.count(",") >= 2 and not joined):
        return False  # items of a list or cells of a table row
    if re.match(r"\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z]", line) or (line.isupper() and len(words) <= 10):
        return True
    if line.endswith("?"):
        return True  # "What information do we collect?"
    long_words = [w for w in words if len(w) > 3]
    capitalized = sum(1 for w in long_words if w[0].isupper())
    if not long_words or capitalized / len(long_words) < 0.6:
        return False
    return len(words) == 1 or any(w.lower().strip("'\"():,&-") in _HEADING_WORDS for w in words)
