"""Titles of text captures: the headline, not the standfirst printed under it."""

from __future__ import annotations

from accord.clean import clean_document
from accord.records import RawDocument

BODY = ("The ministers of the group met in Lisbon on Tuesday and agreed a common line on artificial intelligence "
        "rules for public services, officials said after the talks, which ran late into the night.\n\n"
        "Portugal, which chaired the meeting, said the text would be published next week after a final review "
        "by legal experts from each of the governments that took part.\n")


def title_of(text: str) -> str | None:
    return clean_document(RawDocument(doc="t", source="t.txt", kind="text", content=text)).title


def test_a_standfirst_under_the_headline_is_not_the_title():
    page = ("Daily Globe\nNews | World | Tech\n\nMinisters agree common line on AI in public services\n\n"
            "Officials from twelve governments say the deal will be written into national guidance before the "
            "end of the year\n\nBy Ana Costa\n\n" + BODY)
    assert title_of(page) == "Ministers agree common line on AI in public services"


def test_a_lone_headline_is_still_the_title():
    page = "Daily Globe\nNews | World | Tech\n\nMinisters agree common line on AI in public services\n\n" + BODY
    assert title_of(page) == "Ministers agree common line on AI in public services"
