"""Targets an analyst can trust: an indefinite noun is a new instrument, a generic one none, a
meeting named only by when is the story's meeting, a dateline no signer. Sentences of our own."""

from __future__ import annotations

from accord.extract import extract
from accord.records import Article, CleanDocument, Relevance


def events(text: str) -> list:
    doc = CleanDocument(id="t", doc="t", source="test", articles=(Article("T", text, True),),
                        relevance=Relevance(True, 1.0), published="2024-05-22")
    return list(extract(doc).events)


def test_an_indefinite_agreement_is_not_the_summit_declaration_named_before():
    found = events("Leaders endorsed the Bletchley Declaration at the AI Safety Summit at Bletchley Park. "
                   "Later, Britain and Canada signed an agreement on joint testing of AI models.")
    signed = {e.actor: e.target for e in found if e.action == "sign" and e.actor in ("GBR", "CAN")}
    assert set(signed) == {"GBR", "CAN"}
    assert all(t.key != "bletchley-declaration" and "testing" in t.name for t in signed.values())


def test_a_joint_statement_described_at_a_summit_is_its_declaration():
    found = events("Ministers met at the AI Action Summit. Kenya and Chile signed a joint statement on open artificial intelligence there.")
    assert {(e.actor, e.target.key) for e in found if e.action == "sign"} == {
        ("KEN", "paris-ai-declaration"), ("CHL", "paris-ai-declaration")}


def test_generic_or_hollow_nouns_name_no_target():
    for text in ("Austria and Canada proposed working groups.",
                 "Japan and Korea adopted the corresponding statement.",
                 "Peru and Chile endorsed frameworks."):
        assert [e for e in events(text) if e.actor in ("AUT", "CAN", "JPN", "KOR", "PER", "CHL")] == [], text


def test_a_meeting_named_only_by_when_is_the_story_meeting():
    found = events("The AI Seoul Summit opened on Tuesday. Tuesday's session was attended by leaders from Kenya and Peru.")
    attended = {(e.actor, e.target.key) for e in found if e.action == "attend"}
    assert attended == {("KEN", "ai-seoul-summit"), ("PER", "ai-seoul-summit")}


def test_a_title_case_dateline_is_no_signer_and_no_evidence():
    found = events("Paris, Feb. 11 (Reuters) - The Framework Convention on Artificial Intelligence was signed by "
                   "Andorra and San Marino on Tuesday.")
    assert {e.actor for e in found} == {"AND", "SMR"}
    assert all(e.evidence.startswith("The Framework Convention") for e in found)


def test_a_comparison_after_a_comma_is_no_part_of_the_target():
    found = events("Guterres supported the creation of a new UN body, similar to agencies such as the "
                   "International Atomic Energy Agency.")
    assert [(e.actor, e.action, e.target.name) for e in found] == [("UN", "support", "new UN body")]
