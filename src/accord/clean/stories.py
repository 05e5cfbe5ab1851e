"""A page's stories, read from the kinds of its lines: title, articles, and what was removed.

The story starts at the first paragraph. Its title is the last headline printed before
that paragraph. It ends at a marker such as "Related content" or "Risk warning", or at
a headline printed twice (pages repeat a story's headline below it, before the next
story). Paragraphs after the end make further articles when there are enough of them to
be a story; single cross-headings inside a story stay in it. The principal article is
the first full story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from accord.clean.lines import Kind, Line
from accord.records import Article

MIN_STORY_WORDS = 40
"""Fewer words than this after the first story (a disclaimer, a teaser) make no article."""

_PUBLISHER_SIGN = re.compile(r"\s[—–]\s*([A-Z][A-Za-z&.]*(?: [A-Z][A-Za-z&.]*){0,3})\s*$")
_BYLINE_LEAD = re.compile(r"(?i)^[•·▪►*|>\s-]*(?:by|author|written by|words by|reporter)?\s*:?\s*")


@dataclass
class _Story:
    title: str | None
    paragraphs: list[str] = field(default_factory=list)
    closed: bool = False

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass(frozen=True)
class Page:
    """The structure of a page: its stories and the lines around them."""

    title: str | None
    articles: tuple[Article, ...]
    header: tuple[str, ...]
    trailer: tuple[str, ...]
    removed: tuple[str, ...]
    author: str | None = None
    publisher: str | None = None


def same_text(a: str | None, b: str | None) -> bool:
    """True when two lines say the same thing, ignoring case, spacing and punctuation."""
    if not a or not b:
        return False
    return _key(a) == _key(b)


_NOT_WORD = re.compile(r"\W+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return _NOT_WORD.sub("", text.lower())


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _author(line: str) -> str | None:
    name = _BYLINE_LEAD.sub("", line).strip()
    name = re.split(r"\s[-–—|,]\s|\s*\|\s*", name)[0].strip()
    return name if 1 <= len(name.split()) <= 5 and not any(c.isdigit() for c in name) else None


def _repeated(lines: list[Line], i: int) -> bool:
    here = lines[i].text
    return any(0 <= j < len(lines) and lines[j].kind is Kind.HEADING and same_text(lines[j].text, here)
               for j in (i - 1, i + 1))


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.7 * len(letters)


def headline(lines: list[Line]) -> str | None:
    """The headline among the lines above a story: the last heading of six words or more
    that is not in capitals (mastheads and section labels are), else the last shorter one."""
    headings = [x.text for x in lines if x.kind is Kind.HEADING and not _shouting(x.text)]
    full = [h for h in headings if len(h.split()) >= 6]
    last = max((i for i, x in enumerate(lines) if x.kind is Kind.HEADING and x.text == (full or [None])[-1]), default=0)
    if len(full) >= 2 and last > 0 and lines[last - 1].text == full[-2] and _standfirst(full[-1], full[-2]):
        return full[-2]  # a headline with its standfirst right below it
    return (full or headings or [None])[-1]


def _standfirst(line: str, above: str) -> bool:
    """Whether `line`, right under the heading `above`, reads as the summary under a headline:
    a sentence of 14 words or more, longer than the headline."""
    words = len(line.split())
    return words >= 14 and words > len(above.split())


def _first_paragraph(lines: list[Line]) -> int | None:
    """Index of the first story paragraph; a page of short sentences only starts at the first."""
    for wanted in (Kind.BODY, Kind.SHORT):
        start = next((i for i, line in enumerate(lines) if line.kind is wanted), None)
        if start is not None:
            return start
    return None


def page_structure(lines: list[Line], known_title: str | None = None) -> Page:
    """The stories of a page, given its classified lines (and its title when markup told it)."""
    start = _first_paragraph(lines)
    if start is None:
        headings = [x.text for x in lines if x.kind is Kind.HEADING]
        title = known_title or (headings[0] if headings else None)
        return Page(title, (), tuple(x.text for x in lines), (), tuple(x.text for x in lines if x.text != title))
    title = known_title or headline(lines[:start])
    removed = [x.text for x in lines[:start] if not same_text(x.text, title)]
    author = next((_author(x.text) for x in lines[:start + 3] if x.kind is Kind.BYLINE and _author(x.text)), None)

    stories = [_Story(title)]
    pending_headings: list[str] = []
    ended = False
    last_story_line = start
    for i in range(start, len(lines)):
        line, current = lines[i], stories[-1]
        if line.kind is Kind.END:
            current.closed, ended = True, True
            removed.extend(pending_headings)
            removed.append(line.text)
            pending_headings = []
        elif line.kind is Kind.HEADING:
            if same_text(line.text, current.title) or _repeated(lines, i):
                current.closed = True
                removed.extend(pending_headings)
                pending_headings = [] if same_text(line.text, current.title) else [line.text]
                if not pending_headings:
                    removed.append(line.text)
            else:
                pending_headings.append(line.text)
        elif line.kind is Kind.BODY or i == start or (line.kind is Kind.SHORT and current.paragraphs and not current.closed):
            if current.closed and ended and not pending_headings:
                removed.append(line.text)  # text after a disclaimer or related block, with no headline
                continue
            if current.closed:
                fresh_title = pending_headings[-1] if pending_headings else None
                stories.append(_Story(fresh_title))
                current, pending_headings, ended = stories[-1], [], False
            current.paragraphs.extend(_tidy(h) for h in pending_headings)
            current.paragraphs.append(_tidy(line.text))
            pending_headings = []
            if len(stories) == 1:
                last_story_line = i
        else:
            removed.append(line.text)
    removed.extend(pending_headings)

    articles: list[Article] = []
    for n, story in enumerate(stories):
        if n and story.words < MIN_STORY_WORDS:
            removed.extend(story.paragraphs)
            continue
        articles.append(Article(story.title, "\n\n".join(story.paragraphs)))
    principal = next((i for i, a in enumerate(articles) if len(a.text.split()) >= MIN_STORY_WORDS), 0)
    articles = [Article(a.title, a.text, i == principal) for i, a in enumerate(articles)]
    header = [x.text for x in lines[:start]] + [lines[start].text[:80]]
    trailer = [x.text for x in lines[last_story_line + 1:]]
    sign = _PUBLISHER_SIGN.search(articles[principal].text) if articles else None
    return Page(title, tuple(articles), tuple(header), tuple(trailer), tuple(removed), author,
                sign.group(1) if sign else None)
