"""The extract stage on sentences written for these tests: actions, actors, targets, dates, spans."""

from __future__ import annotations

import pytest

from accord.extract import extract
from accord.records import Article, CleanDocument, Relevance


def document(text: str, published: str | None = "2024-09-06", relevant: bool = True) -> CleanDocument:
    return CleanDocument(id="t", doc="t", source="test", articles=(Article("T", text, True),),
                         relevance=Relevance(relevant, 1.0), published=published)


def triples(text: str, **kw) -> set[tuple[str, str]]:
    return {(e.actor, e.action) for e in extract(document(text, **kw)).events}


@pytest.mark.parametrize("text, expected", [
    ("Norway, Iceland and Andorra signed the Framework Convention on Artificial Intelligence in Vilnius.",
     {("NOR", "sign"), ("ISL", "sign"), ("AND", "sign")}),
    ("Dozens of states, including Japan, Canada and Kenya, agreed to endorse the Seoul Declaration.",
     {("JPN", "sign"), ("CAN", "sign"), ("KEN", "sign")}),
    ("Argentina declined to sign the joint statement on military AI.", {("ARG", "refuse")}),
    ("Hungary did not sign the Bletchley Declaration.", {("HUN", "refuse")}),
    ("The resolution on autonomous weapons was co-sponsored by Austria and Mexico.",
     {("AUT", "sponsor"), ("MEX", "sponsor")}),
    ("The European Parliament adopted the Artificial Intelligence Act in March.", {("EU", "adopt")}),
    ("South Korea and the United Kingdom co-hosted the AI Seoul Summit.", {("KOR", "host"), ("GBR", "host")}),
    ("A Kenyan delegation attended the AI Action Summit.", {("KEN", "attend")}),
    ("Brazilian President Lula praised the Global Digital Compact.", {("BRA", "support")}),
    ("The United States withdrew from the UNESCO Recommendation on the Ethics of Artificial Intelligence.",
     {("USA", "withdraw")}),
    ("The General Assembly adopted a Mexico-led resolution on lethal autonomous weapons.",
     {("UNGA", "adopt"), ("MEX", "propose")}),
])
def test_actions_and_actors(text, expected):
    assert expected <= triples(text)


@pytest.mark.parametrize("text", [
    "Argentina is expected to sign the Framework Convention on Artificial Intelligence next year.",
    "Activists urged Canada to sign the Framework Convention on Artificial Intelligence.",
    "Chile may join the Global Partnership on Artificial Intelligence.",
    "Forty countries signed the Bletchley Declaration.",
    "Samsung signed a supply deal with a chip maker.",
])
def test_no_event_without_a_named_actor_who_did_it(text):
    assert not any(action == "sign" for _, action in triples(text))


def test_negated_signature_is_a_refusal_not_a_signature():
    found = triples("Saudi Arabia and Qatar did not sign the Bletchley Declaration.")
    assert found == {("SAU", "refuse"), ("QAT", "refuse")}


def test_reference_resolves_to_the_last_named_target():
    text = ("Ministers met in Vilnius to open the Framework Convention on Artificial Intelligence for signature. "
            "Israel and Norway signed the convention on the first day.")
    events = extract(document(text)).events
    assert {e.actor for e in events if e.action == "sign"} == {"ISR", "NOR"}
    assert all("Convention" in e.target.name for e in events)


def test_event_dates_are_resolved_against_the_published_date():
    text = "On Thursday, Georgia signed the Framework Convention on Artificial Intelligence."
    (event,) = [e for e in extract(document(text, published="2024-09-06")).events if e.actor == "GEO"]
    assert event.date == "2024-09-05"
    text = "In March, Japan proposed a resolution on AI safety."
    (event,) = [e for e in extract(document(text, published="2024-07-02")).events if e.actor == "JPN"]
    assert event.date == "2024-03"


def test_evidence_span_lies_in_the_text_and_is_the_sentence():
    text = "Markets were calm.\n\nOn 5 September 2024, Norway signed the Framework Convention on Artificial Intelligence."
    (event,) = extract(document(text)).events
    assert text[event.start:event.end] == event.evidence
    assert event.evidence.startswith("On 5 September 2024")
    assert event.date == "2024-09-05"


def test_irrelevant_documents_get_countries_but_no_events():
    result = extract(document("France and Germany signed a trade deal on cheese.", relevant=False))
    assert result.countries == ("DEU", "FRA")
    assert result.events == ()


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "....", "é" * 10_000, "\x00\ufffd", "AI " * 5000])
def test_never_crashes_and_spans_stay_inside(text):
    result = extract(document(text))
    for e in result.events:
        assert 0 <= e.start <= e.end <= len(text)


@pytest.mark.parametrize("text, expected, absent", [
    # a list set beside the agent: "signed by dozens of governments, among them ..."
    ("The summit closed with a declaration on open AI that was signed by dozens of governments, among them "
     "Chile, Ghana and Norway.", {("CHL", "sign"), ("GHA", "sign"), ("NOR", "sign")}, set()),
    # the subject of "were among those that endorsed"
    ("Peru and Kenya were among those that endorsed the Bletchley Declaration.", {("PER", "sign"), ("KEN", "sign")},
     set()),
    # "not among the signatories" is a refusal
    ("Chile was not among the signatories of the Seoul Declaration.", {("CHL", "refuse")}, {("CHL", "sign")}),
    # echoed negation: "and neither did X"
    ("Hungary did not sign the Bletchley Declaration, and neither did Poland.",
     {("HUN", "refuse"), ("POL", "refuse")}, set()),
    # a government signing its own order enacts it; a body endorsing its own strategy adopts it
    ("Japan signed an executive order on AI safety testing.", {("JPN", "adopt")}, {("JPN", "sign")}),
    ("African Union ministers endorsed a Continental Artificial Intelligence Strategy.", {("AU", "adopt")},
     {("AU", "sign")}),
    # firms from a country are not the country
    ("Firms from Japan and Korea signed the Frontier AI Safety Commitments.", set(), {("JPN", "sign"), ("KOR", "sign")}),
    # a dateline in capitals is a place, not an actor
    ("NAIROBI - Ministers of the African Union adopted a Continental Artificial Intelligence Strategy.",
     {("AU", "adopt")}, {("KEN", "adopt")}),
])
def test_lists_roles_and_actions_by_target(text, expected, absent):
    found = triples(text)
    assert expected <= found
    assert not (absent & found)


def test_intransitive_and_pronoun_signatures_act_on_the_instrument_last_named():
    text = ("Ten countries signed the Framework Convention on Artificial Intelligence in Vilnius. "
            "The European Union also signed. Norway ratified it in March.")
    events = {(e.actor, e.action): e.target.name for e in extract(document(text)).events}
    assert "Convention" in events[("EU", "sign")] and "Convention" in events[("NOR", "ratify")]


def test_places_that_contain_a_country_name_are_no_actor():
    assert not triples("The governor of New Mexico signed the Santiago Declaration.")
    assert ("MEX", "sign") in triples("Mexico signed the Santiago Declaration.")


def targets_of(text: str) -> set[tuple[str, str, str]]:
    return {(e.actor, e.action, e.target.key or e.target.name) for e in extract(document(text)).events}


@pytest.mark.parametrize("text, expected", [
    # attendance without a verb "attend": sending people, being represented, taking part, being among delegates
    ("The AI Action Summit opened in Paris on Monday. Mexico sent Juan Ramirez, a deputy foreign minister.",
     {("MEX", "attend", "ai-action-summit")}),
    ("The AI Action Summit opened in Paris on Monday. Chile and Peru sent their digital ministers.",
     {("CHL", "attend", "ai-action-summit"), ("PER", "attend", "ai-action-summit")}),
    ("The AI Seoul Summit opened on Tuesday. Indonesia was represented by its communications minister.",
     {("IDN", "attend", "ai-seoul-summit")}),
    ("The AI Seoul Summit opened on Tuesday. The presidents of Kenya and Ghana took part.",
     {("KEN", "attend", "ai-seoul-summit"), ("GHA", "attend", "ai-seoul-summit")}),
    ("The AI Safety Summit opened at Bletchley Park. A Saudi minister was among the delegates on the first day.",
     {("SAU", "attend", "ai-safety-summit-2023")}),
    # members listed with a role noun
    ("Mexico tabled the Pact for the Future on behalf of a group of co-sponsors that included Chile and Peru.",
     {("CHL", "sponsor", "pact-for-the-future"), ("PER", "sponsor", "pact-for-the-future")}),
    ("The Global Digital Compact went to a vote with 90 co-sponsors, Fiji among them.",
     {("FJI", "sponsor", "global-digital-compact")}),
    # a description of a catalogued instrument links to it, through its words or its owner
    ("Norway declined to sign the summit's closing declaration on inclusive and sustainable AI.",
     {("NOR", "refuse", "paris-ai-declaration")}),
    ("The OECD adopted a revised version of its principles on artificial intelligence.",
     {("OECD", "adopt", "oecd-ai-principles")}),
    # "the pact" is the pact, though a compact was named since
    ("The Pact for the Future was adopted with the Global Digital Compact annexed. "
     "Russia criticised the pact.", {("RUS", "oppose", "pact-for-the-future")}),
])
def test_attendance_roles_and_described_targets(text, expected):
    assert expected <= targets_of(text)


def test_the_meeting_attended_is_the_one_the_story_is_about():
    text = ("The Global AI Summit on Africa opened in Kigali. The Global AI Summit on Africa was organised with "
            "the World Economic Forum. Senegal and Benin sent their ministers.")
    found = targets_of(text)
    assert ("SEN", "attend", "global-ai-summit-africa") in found
    assert not any(t == "World Economic Forum" for _, _, t in found)


def test_when_and_where_are_no_part_of_a_new_target_name():
    text = "Chile and Peru signed a memorandum of understanding on data in Lima on Monday."
    names = {e.target.name for e in extract(document(text)).events}
    assert names and all("Lima" not in n and "Monday" not in n for n in names), names


@pytest.mark.parametrize("text, expected", [
    # an organ named without its state acts for the state of its clause
    ("Chile moved first in May, when the National Congress passed an AI Framework Act.", {("CHL", "adopt")}),
    # "its member states" and "the organisation's committee" act for the body last named
    ("The OECD published a Recommendation on AI Incidents that was adopted by its member states.",
     {("OECD", "adopt")}),
    # a launch that comes with money is also a pledge; a "commitment" without money is none
    ("Canada launched the AI Compute Strategy with C$2 billion over five years.", {("CAN", "propose"), ("CAN", "pledge")}),
])
def test_organs_members_and_funded_launches(text, expected):
    assert expected <= triples(text)


def test_pledges_need_money():
    assert not any(a == "pledge" for _, a in triples(
        "Kenya and Ghana committed their AI safety institutes to develop shared testing methods."))


def test_ratifying_it_means_the_treaty_described_before():
    text = ("The Union's convention on data protection, adopted in Lome in 2020, entered into force last year. "
            "Togo and Benin were among the states that had ratified it.")
    found = extract(document(text)).events
    assert {(e.actor, e.action) for e in found} >= {("TGO", "ratify"), ("BEN", "ratify")}
    assert all(e.target.type == "convention" for e in found if e.action == "ratify")


@pytest.mark.parametrize("text, expected", [
    # "by consensus" is no agent of an active verb
    ("The UN General Assembly on Tuesday adopted by consensus a resolution drafted by Morocco that calls for "
     "wider access to computing.",
     {("UNGA", "adopt"), ("MAR", "propose")}),
    # the owner of what a passive adoption adopts adopted it
    ("The General Assembly's second resolution on AI, led by Morocco, was adopted in July.",
     {("UNGA", "adopt"), ("MAR", "propose")}),
    # "has not signed" with no object means the instrument the story keeps naming
    ("The Framework Convention on Artificial Intelligence opened for signature. The convention binds its parties. "
     "Ministers also discussed the Hiroshima AI Process. Brazil did not attend the talks and has not signed.",
     {("BRA", "refuse")}),
])
def test_agents_owners_and_salient_instruments(text, expected):
    assert expected <= triples(text)


def test_an_unsigned_story_instrument_is_the_most_named_one():
    text = ("The Framework Convention on Artificial Intelligence opened for signature. Norway signed the convention. "
            "Ministers also discussed the Hiroshima AI Process. Brazil did not attend the talks and has not signed.")
    refused = [e for e in extract(document(text)).events if e.action == "refuse"]
    assert refused and refused[0].target.key == "coe-ai-convention"


@pytest.mark.parametrize("text, expected", [
    ("The AI Seoul Summit opened on Tuesday. The meeting brought together officials from Chile, Peru and Fiji.",
     {("CHL", "attend", "ai-seoul-summit"), ("PER", "attend", "ai-seoul-summit"), ("FJI", "attend", "ai-seoul-summit")}),
    ("The AI Seoul Summit opened on Tuesday. Participants included Chile, Peru and Fiji.",
     {("CHL", "attend", "ai-seoul-summit"), ("FJI", "attend", "ai-seoul-summit")}),
    ("The AI Seoul Summit opened on Tuesday. Among those attending were President Boric of Chile.",
     {("CHL", "attend", "ai-seoul-summit")}),
    ("The Bletchley Declaration was published on Wednesday. Signatories include Chile, Peru and Fiji.",
     {("CHL", "sign", "bletchley-declaration"), ("FJI", "sign", "bletchley-declaration")}),
    # a summit's "final declaration" is the catalogued declaration of that summit
    ("The AI Action Summit opened in Paris. Chile and Peru put their names to the final declaration.",
     {("CHL", "sign", "paris-ai-declaration"), ("PER", "sign", "paris-ai-declaration")}),
])
def test_gatherings_participants_and_summit_declarations(text, expected):
    assert expected <= targets_of(text)


def test_signatories_own_no_declaration_and_a_lawmaker_is_no_state():
    signed = targets_of("The Santiago summit ended. Chile and Peru signed a declaration on data.")
    assert not any(t == "santiago-declaration" for _, _, t in signed), signed
    assert not triples("Axel Berg, a member of the European Parliament, criticised the Bletchley Declaration.")


@pytest.mark.parametrize("text, expected", [
    ("The G20 leaders met for their summit in Osaka. Japan hosted the summit in Osaka.",
     {("JPN", "host", "g20-summit-2019")}),
    ("The G7 Apulia summit opened on Thursday. Among the leaders who took part in the session were "
     "Kenya's President William Ruto and Indian Prime Minister Narendra Modi.",
     {("KEN", "attend", "g7-summit-2024"), ("IND", "attend", "g7-summit-2024")}),
    ("Chile and Peru met on the sidelines of the APEC summit in Lima.",
     {("CHL", "attend", "apec-summit-2024"), ("PER", "attend", "apec-summit-2024")}),
    ("The AI Action Summit opened. The Kenyan president spoke at the summit on Monday.",
     {("KEN", "attend", "ai-action-summit")}),
])
def test_meetings_by_place_sidelines_and_speeches(text, expected):
    assert expected <= targets_of(text)


def test_agreeing_to_do_is_the_doing_and_rejoining_a_body_is_membership():
    assert ("UNGA", "adopt") in triples("The UN General Assembly agreed to adopt the Global Digital Compact.")
    assert ("UNGA", "sign") not in triples("The UN General Assembly agreed to adopt the Global Digital Compact.")
    joined = extract(document("Argentina rejoined UNESCO in March.")).events
    assert [(e.actor, e.action, e.target.type) for e in joined] == [("ARG", "sign", "organization")]


def test_a_group_made_up_of_states_acts_for_them():
    found = triples("The resolution on digital rights was put forward by a cross-regional core group made up of "
                    "Chile, Fiji and Norway.")
    assert {("CHL", "propose"), ("FJI", "propose"), ("NOR", "propose")} <= found


def test_a_meeting_noted_by_its_place_is_the_one_attended():
    text = ("Italy's prime minister, host of the summit in Apulia, opened a session to guests. "
            "Among the leaders who took part in the session were Kenya's President William Ruto.")
    assert ("KEN", "attend", "g7-summit-2024") in targets_of(text)


def test_month_with_a_year_shift_and_the_page_date_as_last_resort():
    events = extract(document("Chile ratified the Framework Convention on Artificial Intelligence in March last year.",
                              published="2025-06-10")).events
    assert [e.date for e in events] == ["2024-03"]
    undated = extract(document("Peru signed the Framework Convention on Artificial Intelligence.",
                               published="2025-06-10")).events
    assert [e.date for e in undated] == ["2025-06-10"]


@pytest.mark.parametrize("text, expected", [
    ("In May, Britain's justice secretary signed the Framework Convention on Artificial Intelligence on Chile's behalf.",
     {("CHL", "sign")}),
    ("Thirty countries and the EU put out a ministerial statement on AI risks.", {("EU", "sign")}),
    ("The Seoul Declaration was published. Peru sent a delegate to the talks but was not among the signatories "
     "of the declaration.", {("PER", "refuse")}),
])
def test_behalf_joint_statements_and_conjoined_membership(text, expected):
    assert expected <= triples(text)


def test_leaders_of_a_body_still_adopt_for_it():
    assert ("G7", "adopt") in triples("G7 leaders adopted a statement on AI in the world of work.")


def test_joining_another_in_declining_is_refusing_with_it():
    text = ("The Bletchley Declaration was published. Days later Kenya joined Chile in declining to sign the "
            "declaration, which about 40 countries, including Peru and Norway, endorsed.")
    found = triples(text)
    assert {("KEN", "refuse"), ("CHL", "refuse"), ("PER", "sign"), ("NOR", "sign")} <= found
    assert ("PER", "refuse") not in found


def test_a_government_issuing_its_own_plan_adopts_it_but_launching_a_process_proposes():
    assert ("KEN", "adopt") in triples("Kenya unveiled its national AI strategy on Monday.")
    assert ("JPN", "propose") in triples("Japan launched the Hiroshima AI Process.")
    assert ("USA", "propose") in triples("The US Treasury proposed a rule on outbound investment in AI.")


def test_the_one_who_said_it_and_the_latest_country_to_sign():
    assert ("JPN", "support") in triples("Japan said it supports the Hiroshima AI Process.")
    assert ("CHL", "sign") in triples("Chile is the latest country to sign the Framework Convention on "
                                       "Artificial Intelligence.")


def _targets(text: str, action: str) -> dict[str, str]:
    return {e.actor: e.target.key or e.target.name for e in extract(document(text)).events if e.action == action}


def test_a_clause_the_parse_hangs_on_the_noun_is_no_part_of_its_name():
    found = _targets("In 2019, ministers of the Group of 20 adopted AI principles drawn from the OECD text.", "adopt")
    assert found == {"G20": "g20-ai-principles"}


def test_a_group_of_states_named_as_democracies_acts_for_the_group():
    assert ("G7", "adopt") in triples("The Group of Seven industrialised democracies on Monday adopted a code "
                                      "of conduct for advanced AI developers.")
    assert ("COE", "sign") not in triples("Council of Europe members such as Norway signed the Framework "
                                          "Convention on Artificial Intelligence.")


def test_a_reference_means_the_instrument_named_in_passing_whose_head_noun_it_repeats():
    text = ("Ministers of the G7 adopted guiding principles for AI developers, together with a voluntary "
            "International Code of Conduct. Canada and Italy welcomed the code on Tuesday. "
            "Japan launched the process at the Hiroshima summit.")
    assert _targets(text, "support") == {"CAN": "hiroshima-code-of-conduct", "ITA": "hiroshima-code-of-conduct"}


def test_a_body_endorsing_its_own_text_adopts_it():
    assert ("AU", "adopt") in triples("At the summit, the African Union endorsed an African Digital Compact.")
    assert ("AU", "adopt") in triples("The plan builds on the Continental Artificial Intelligence Strategy that the "
                                      "AU's Executive Council endorsed in Accra in July last year.")


def test_a_quoted_title_after_the_noun_names_the_instrument():
    found = _targets('Trump signed a further order on Thursday, titled "Removing Barriers to American Leadership '
                     'in Artificial Intelligence", which gives officials 180 days.', "adopt")
    assert found == {"USA": "eo-14179"}  # catalogued under its title


def test_the_gathering_means_the_meeting_described_before():
    text = ("Officials from nine countries wrapped up the first meeting of a new international network of AI "
            "safety institutes in San Francisco on Thursday, agreeing to share test results. The two-day gathering was co-hosted by the US "
            "Commerce and State departments.")
    assert "first meeting" in _targets(text, "host")["USA"]


def test_proposing_that_something_be_done_names_no_instrument():
    text = ("The EU's AI Act entered its final round of talks. France and Germany proposed in November that the "
            "most powerful models be governed by codes of conduct.")
    assert not _targets(text, "propose")


def test_money_pledged_for_a_purpose_names_the_purpose():
    assert _targets("South Korea pledged $7.2 million over four years for research on synthetic content.",
                    "pledge") == {"KOR": "research on synthetic content"}
    assert "data centre campus" in _targets("The United Arab Emirates will invest between 30 billion and 50 "
                                            "billion euros in an AI data centre campus in France.", "pledge")["ARE"]
    assert not _targets("Japan pledged to work for research on synthetic content.", "pledge")


def test_a_dateline_is_not_the_subject():
    text = ("NEW DELHI: The Union Cabinet chaired by Prime Minister Narendra Modi on Thursday approved the "
            "IndiaAI Mission with an outlay of Rs 10,371.92 crore over five years, aimed at building India's "
            "computing capacity. India wants to train its own models.")
    assert _targets(text, "adopt") == {"IND": "indiaai-mission"}
    assert not _targets(text, "host"), "chairing a cabinet hosts no plan"


def test_what_a_text_says_of_itself_and_lists_of_unlike_things():
    assert not _targets("The convention will enter into force three months after five signatories, at least three "
                        "of them member states, have ratified it. Japan signed it in February.", "ratify")
    assert "USA" not in _targets("Trump also signed orders taking the United States out of the Paris climate "
                                 "agreement and the World Health Organization.", "sign")


def test_an_assembly_of_united_nations_adopts_and_a_global_initiative_is_proposed():
    assert ("UNGA", "adopt") in triples("The United Nations General Assembly adopted a Pact for the Future on Sunday.")
    assert ("CHN", "propose") in triples("China has been promoting the Global AI Governance Initiative that "
                                         "President Xi Jinping launched in 2023.")


def test_passive_conjoined_verbs_share_their_subject_and_judgements_name_no_instrument():
    found = _targets("The two-day Summit on Responsible Artificial Intelligence in the Military Domain was organised "
                     "by the Netherlands and co-hosted by South Korea at the World Forum in The Hague.", "host")
    assert found.get("KOR", "").startswith("reaim"), found
    assert not _targets("Vance said excessive regulation could kill the industry and attacked restrictive rules.",
                        "oppose")


def test_a_type_named_in_words_call_to_action():
    text = ("Around sixty countries, among them the United States and China, endorsed a joint call to action on the "
            "responsible use of artificial intelligence in the military. The Netherlands also endorsed the call to "
            "action. Kenya later signed the Blueprint for Action. Chile had signed the shorter \"call to action\".")
    found = _targets(text, "sign")
    assert found["USA"] == found["CHN"] == found["NLD"] == "reaim-call-to-action"
    assert found["CHL"] != found["KEN"]


def test_it_after_a_sentence_that_opens_with_a_state_is_that_state():
    text = ("The law passed on Thursday. Japan and Britain welcomed it. Seoul has worked to position itself as a "
            "convener on AI governance. In May it co-hosted the AI Seoul Summit with Britain.")
    assert _targets(text, "host") == {"KOR": "ai-seoul-summit", "GBR": "ai-seoul-summit"}


def test_a_missing_object_of_signing_is_no_meeting():
    text = ("Japan signed the Framework Convention on Artificial Intelligence. "
            "China did not take part in the talks and has not signed.")
    assert _targets(text, "refuse") == {"CHN": "coe-ai-convention"}


def test_the_meeting_means_the_one_described_and_it_launched_is_the_state():
    text = ("Ministers adopted revised principles on Friday. The changes, approved at the annual ministerial council "
            "meeting, add language on safety. The meeting was chaired by Japan.")
    assert "ministerial council meeting" in _targets(text, "host")["JPN"]
    text = ("Japan passed its first AI law on Wednesday. Tokyo wants to lead. During its G7 presidency in 2023 it "
            "launched the Hiroshima AI Process.")
    assert _targets(text, "propose").get("JPN") == "hiroshima-ai-process"


def test_joining_the_hosts_is_attending_the_meeting():
    text = ("The AI Seoul Summit opened on Tuesday. Officials from Australia, Canada and Britain, as well as the "
            "European Commission, joined their Korean hosts.")
    assert set(_targets(text, "attend")) == {"AUS", "CAN", "GBR", "EU"}
    assert not _targets("Kenya joined the leaders in condemning the attack.", "attend")


def test_members_listed_after_a_colon_join_the_body_and_the_organisation_is_the_body_last_named():
    found = _targets("GPAI started work in June 2020 with 15 founding members: Australia, Canada, France, "
                     "Slovenia and the European Union.", "sign")
    assert set(found) == {"AUS", "CAN", "FRA", "SVN", "EU"} and len(set(found.values())) == 1
    assert "USA" in _targets("The United States, which left UNESCO at the end of 2018, rejoined the organisation "
                             "in July last year.", "sign")


def test_among_the_countries_that_endorsed_something_signed_that():
    text = ("Singapore adopted the ASEAN Guide on AI Governance and Ethics. Singapore was also among the 28 "
            "countries that endorsed the Bletchley Declaration on AI safety in November.")
    assert _targets(text, "sign") == {"SGP": "bletchley-declaration"}


def test_declined_to_do_so_and_a_catalogued_instrument_described_in_passing():
    text = ("The AI Action Summit closed on Tuesday with a leaders' statement on inclusive and sustainable "
            "artificial intelligence. India signed the statement, but the United States and Britain declined "
            "to do so.")
    assert _targets(text, "sign") == {"IND": "paris-ai-declaration"}
    assert _targets(text, "refuse") == {"USA": "paris-ai-declaration", "GBR": "paris-ai-declaration"}


def test_the_kingdom_and_the_city_state_are_the_state_just_named():
    assert ("SAU", "sign") in triples("Saudi Arabia passed a data law on Tuesday. In Riyadh, the kingdom signed "
                                      "the Bletchley Declaration.")
    assert _targets("Singapore will spend more on AI. Earlier this month the city-state hosted the AI Seoul "
                    "Summit.", "host") == {"SGP": "ai-seoul-summit"}


def test_a_led_modifier_finds_a_catalogued_instrument_only_of_the_same_kind_of_thing():
    assert _targets("The US-led coalition met in Rome.", "propose").get("USA") != "us-ai-safety-institute"
