"""A cheap first look at a raw document: could it be about AI at all?

Most news is not about the governance of AI. Cleaning and parsing every page of a day's
news would spend nearly all the time on pages that are then marked not relevant, so
`might_be_relevant` looks for AI terms (data/prefilter_terms.txt) in the lowercased raw
content, markup included, with one compiled regular expression and no parsing: the
terms as a trie (accord.clean.alternation), about a tenth of a millisecond for a page of
news. A page that names AI must also name governance terms enough for an article of it
to be judged relevant (accord.clean.relevance's thresholds, counted on the page's whole
text with its tags stripped and on its meta titles: a superset of any article cleaning
can draw from it), which drops the many pages that name AI in stories about products and
markets. It errs towards recall: a page that passes is cleaned and judged by the clean
stage as usual; a page that fails is stored as not relevant (`prefiltered_document`)
with the title and date its head gives, without cleaning.
"""

from __future__ import annotations

import html
import re
from functools import cache

from accord.clean.alternation import term_atoms, trie_pattern
from accord.clean.head import page_head
from accord.clean.relevance import enough_governance, governance_terms
from accord.datafiles import data_texts
from accord.records import CleanDocument, RawDocument, Relevance

_JOINER = r"(?:[\s\-]|&nbsp;|&#160;)+"
"""What may stand between the words of a phrase in raw text or HTML."""


def prefilter_terms() -> tuple[str, ...]:
    """The AI terms of data/prefilter_terms.txt, in file order."""
    text = "\n".join(text for _, text in data_texts("prefilter_terms.txt"))
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


def names_ai(raw: RawDocument) -> bool:
    """True when the raw content, title or URL names an AI term (data/prefilter_terms.txt)."""
    regex = prefilter_regex()
    return any(regex.search(text.lower()) is not None for text in (raw.content, raw.title, raw.url) if text)


_TAG = re.compile(r"<[^>]*>")
_CONTENT = re.compile(r"""\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def names_enough_governance(raw: RawDocument) -> bool:
    """False only when no article cleaned out of the page can reach the relevance decision's
    governance thresholds: its governance terms are counted on its text (for HTML, tags
    stripped and entities read: what cleaning keeps is part of it), on the `content` of its
    tags (og:title and other titles in meta tags) and on the title given with it."""
    parts = [raw.title or ""]
    if "<" in raw.content:
        parts.append(html.unescape(_TAG.sub(" ", raw.content)))
        parts.extend(html.unescape(a or b) for a, b in _CONTENT.findall(raw.content))
    else:
        parts.append(raw.content)
    return enough_governance(governance_terms("\n".join(parts)), brief=True)  # any article may be a brief


def might_be_relevant(raw: RawDocument) -> bool:
    """False when the page names no AI term at all, or too few governance terms for any
    article of it to be relevant. A pure function of the document: no parsing, regular
    expressions only (the second one runs on the few pages that name AI)."""
    return names_ai(raw) and names_enough_governance(raw)


def prefiltered_document(raw: RawDocument) -> CleanDocument:
    """The document stored for a page that failed the prefilter: not relevant, no articles,
    with the title and publication date its head gives (accord.clean.head), so `accord docs`
    still lists it by name and date."""
    head = page_head(raw)
    return CleanDocument(id=raw.id, doc=raw.doc, source=raw.source, articles=(),
                         relevance=Relevance(False, 0.0, ()), url=raw.url, title=head.title,
                         published=head.published, date_note=head.date_note,
                         reference_date=raw.reference_date)
