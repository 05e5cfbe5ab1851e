"""An event's date comes from its own clause, or a clause it hangs on that opens the sentence;
never from a clause beside it. Sentences written for these tests."""

from __future__ import annotations

import pytest

from accord.extract import extract
from accord.records import Article, CleanDocument, Relevance


def dated(text: str, published: str = "2024-09-06") -> dict[tuple[str, str], str | None]:
    doc = CleanDocument(id="t", doc="t", source="test", articles=(Article("T", text, True),),
                        relevance=Relevance(True, 1.0), published=published)
    return {(e.actor, e.action): e.date for e in extract(doc).events}


@pytest.mark.parametrize("text, key, expected", [
    # the 2023 belongs to the earlier meeting named beside the event: the story's date instead
    ("The Seoul meeting, co-hosted by Kenya and Ghana, was the second of its kind, following one held in Rome in 2023.",
     ("KEN", "host"), "2024-09-06"),
    # a date opening the sentence frames the clauses after it
    ("In March, Chile rallied support for a resolution on safe AI systems, an effort co-sponsored by Peru.",
     ("PER", "sponsor"), "2024-03"),
    # a temporal clause below the event dates it
    ("Norway signed the Framework Convention on Artificial Intelligence when it opened for signature in "
     "September 2023.", ("NOR", "sign"), "2023-09"),
    # a reporting clause that opens the sentence dates what it reports
    ("On 11 February, officials said that Peru had endorsed the Paris AI Declaration.", ("PER", "sign"), "2024-02-11"),
])
def test_the_date_of_an_event_is_that_of_its_clause(text, key, expected):
    assert dated(text).get(key) == expected
