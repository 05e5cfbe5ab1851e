"""A cheap first look at a raw document: could it be about AI at all?

Most news is not about the governance of AI. Cleaning and parsing every page of a day's
news would spend nearly all the time on pages that are then marked not relevant, so
`might_be_relevant` looks for AI terms (data/prefilter_terms.txt) in the lowercased raw
content, markup included, with one compiled regular expression and no parsing: the
terms as a trie (accord.clean.alternation), about a tenth of a millisecond for a page of
news. It errs towards recall: a page that passes is cleaned and judged by the clean
stage as usual; a page that fails is stored as not relevant (`prefiltered_document`)
with the title and date its head gives, without cleaning.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from accord.clean.alternation import term_atoms, trie_pattern
from accord.clean.head import page_head
from accord.records import CleanDocument, RawDocument, Relevance

_JOINER = r"(?:[\s\-]|&nbsp;|&#160;)+"
"""What may stand between the words of a phrase in raw text or HTML."""


def prefilter_terms() -> tuple[str, ...]:
    """The AI terms of data/prefilter_terms.txt, in file order."""
    text = resources.files("accord.data").joinpath("prefilter_terms.txt").read_text(encoding="utf-8")
    terms = (line.strip().lower() for line in text.splitlines())
    return tuple(t for t in terms if t and not t.startswith("#"))


def _delimited(term: str) -> bool:
    """True for terms of scripts that put spaces between words (Latin, Greek, Cyrillic),
    which must match as whole words; others (CJK, Thai, Arabic...) match anywhere."""
    return all(ord(c) < 0x530 for c in term)


def _atoms(term: str) -> list[str]:
    """A term's atoms: a whole word (or, ending in "*", a word start) where words are delimited."""
    words = term.rstrip("*")
    if not _delimited(term):
        return term_atoms(words, _JOINER)
    return term_atoms(words, _JOINER, not_after=r"\w", end="" if term.endswith("*") else r"(?!\w)")


@cache
def prefilter_regex() -> re.Pattern[str]:
    """Every prefilter term in one pattern, compiled once per process."""
    return re.compile(trie_pattern(atoms for atoms in map(_atoms, prefilter_terms()) if atoms))


def might_be_relevant(raw: RawDocument) -> bool:
    """False only when the raw content, title and URL name no AI term at all.

    A pure function of the document: no parsing, one regular-expression scan.
    """
    regex = prefilter_regex()
    return any(regex.search(text.lower()) is not None for text in (raw.content, raw.title, raw.url) if text)


def prefiltered_document(raw: RawDocument) -> CleanDocument:
    """The document stored for a page that failed the prefilter: not relevant, no articles,
    with the title and publication date its head gives (accord.clean.head), so `accord docs`
    still lists it by name and date."""
    head = page_head(raw)
    return CleanDocument(id=raw.id, doc=raw.doc, source=raw.source, articles=(),
                         relevance=Relevance(False, 0.0, ()), url=raw.url, title=head.title,
                         published=head.published, date_note=head.date_note,
                         reference_date=raw.reference_date)
