"""Tests for accord.knowledge: the packaged name tables, lookups, and user extension files."""

from __future__ import annotations

from importlib import resources

import pycountry
import pytest

from accord import knowledge
from accord.knowledge import DATA_DIR_VARIABLE, KnowledgeError
from accord.records import TARGET_TYPES

FORMAT_BODIES = {"UN", "UNGA", "UNSC", "UNESCO", "ITU", "EU", "COE", "OECD", "G7", "G20", "AU",
                 "ASEAN", "BRICS", "NATO", "GPAI", "WTO", "WHO"}


@pytest.fixture(autouse=True)
def packaged_only(monkeypatch):
    """Every test starts from the packaged files alone, whatever the caller's environment says."""
    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)
    knowledge.reload()
    yield
    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)
    knowledge.reload()


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    """An empty user data directory named by $ACCORD_DATA_DIR."""
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path))
    knowledge.reload()
    return tmp_path


def packaged_rows(name: str) -> list[list[str]]:
    text = resources.files("accord").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("text, code", [
    ("US", "USA"), ("the US", "USA"), ("U.S.", "USA"), ("the U.S.", "USA"), ("USA", "USA"),
    ("U.S.A.", "USA"), ("America", "USA"), ("United States of America", "USA"),
    ("the United States", "USA"), ("America's", "USA"), ("the U.S.'s", "USA"), ("american", "USA"),
    ("Washington", "USA"), ("the White House", "USA"),
    ("Britain", "GBR"), ("Great Britain", "GBR"), ("UK", "GBR"), ("U.K.", "GBR"), ("British", "GBR"),
    ("Britain’s", "GBR"), ("London", "GBR"), ("Downing Street", "GBR"),
    ("Vietnam", "VNM"), ("Viet Nam", "VNM"), ("Việt Nam", "VNM"), ("Vietnamese", "VNM"), ("Hanoi", "VNM"),
    ("South Korea", "KOR"), ("Republic of Korea", "KOR"), ("Korea", "KOR"), ("South Korean", "KOR"),
    ("North Korea", "PRK"), ("DPRK", "PRK"), ("North Korean", "PRK"),
    ("Russia", "RUS"), ("the Kremlin", "RUS"), ("Türkiye", "TUR"), ("Turkey", "TUR"), ("Turkiye", "TUR"),
    ("Czechia", "CZE"), ("Czech Republic", "CZE"), ("UAE", "ARE"), ("the Emirates", "ARE"),
    ("Emirati", "ARE"), ("Saudi", "SAU"), ("Côte d'Ivoire", "CIV"), ("Cote d’Ivoire", "CIV"),
    ("Ivory Coast", "CIV"), ("Chinese", "CHN"), ("Beijing", "CHN"), ("People’s Republic of China", "CHN"),
    ("French", "FRA"), ("Paris", "FRA"), ("Indian", "IND"), ("New Delhi", "IND"), ("German", "DEU"),
    ("Tokyo", "JPN"), ("Moscow", "RUS"), ("DR Congo", "COD"), ("Congo-Brazzaville", "COG"),
    ("Taiwan", "TWN"), ("Dutch", "NLD"), ("the Netherlands", "NLD"),
])
def test_countries_resolve_by_name_alias_demonym_and_capital(text, code):
    assert knowledge.resolve_actor(text) == code


@pytest.mark.parametrize("text, code", [
    ("United Nations", "UN"), ("the U.N.", "UN"), ("UN Secretary-General", "UN"), ("Guterres", "UN"),
    ("the United Nations General Assembly", "UNGA"), ("UN General Assembly", "UNGA"),
    ("General Assembly", "UNGA"), ("Security Council", "UNSC"), ("UNESCO", "UNESCO"),
    ("International Telecommunication Union", "ITU"),
    ("the European Commission", "EU"), ("European Parliament", "EU"), ("Council of the EU", "EU"),
    ("European Council", "EU"), ("EU", "EU"), ("European Union", "EU"), ("Brussels", "EU"),
    ("the Council of Europe", "COE"), ("Council of Europe", "COE"),
    ("African Union", "AU"), ("Group of Seven", "G7"), ("G-20", "G20"), ("ASEAN", "ASEAN"),
    ("NATO", "NATO"), ("Global Partnership on AI", "GPAI"), ("World Trade Organization", "WTO"),
    ("World Health Organisation", "WHO"), ("OECD", "OECD"),
])
def test_bodies_resolve(text, code):
    assert knowledge.resolve_actor(text) == code


@pytest.mark.parametrize("text", [
    "Congo", "Virgin Islands", "Macedonia", "European", "New Mexico", "Latin America", "",
    "Brussel", "Sofia", "Kingston", "Commission", "the",
])
def test_ambiguous_or_unknown_names_resolve_to_nothing(text):
    assert knowledge.resolve_actor(text) is None


def test_council_of_europe_is_not_the_european_council():
    assert knowledge.resolve_actor("Council of Europe") == "COE"
    assert knowledge.resolve_actor("European Council") == "EU"
    assert knowledge.find_instrument("Council of Europe Framework Convention").key == "coe-ai-convention"


def test_body_codes_are_the_format_list():
    assert knowledge.body_codes() == FORMAT_BODIES


def test_every_country_code_is_a_valid_alpha3_and_every_iso_country_is_listed():
    codes = [row[0] for row in packaged_rows("countries.tsv") if row[0] != "-"]
    invalid = [c for c in codes if pycountry.countries.get(alpha_3=c) is None]
    assert invalid == []
    assert len(codes) == len(set(codes))
    assert {c.alpha_3 for c in pycountry.countries} == set(codes) == knowledge.country_codes()


def test_no_name_names_two_actors():
    clashes = knowledge.actor_clashes()
    for form, codes in sorted(clashes.items()):
        print(f"clash: {form!r} -> {sorted(codes)}")
    assert clashes == {}


def test_no_name_names_two_instruments():
    clashes = knowledge.instrument_clashes()
    for form, keys in sorted(clashes.items()):
        print(f"clash: {form!r} -> {sorted(keys)}")
    assert clashes == {}


def test_actor_names_table_for_a_matcher():
    names = knowledge.actor_names()
    kinds = {(n.text, n.code): n.kind for n in names}
    assert {n.kind for n in names} <= set(knowledge.ACTOR_KINDS)
    assert kinds[("China", "CHN")] == "name"
    assert kinds[("U.S.", "USA")] == "alias"
    assert kinds[("Vietnamese", "VNM")] == "demonym"
    assert kinds[("Beijing", "CHN")] == "capital"
    assert kinds[("Brussels", "EU")] == "capital"
    assert kinds[("Council of Europe", "COE")] == "body"
    # forms a token matcher cannot derive itself: accents dropped, curly apostrophes
    assert kinds[("Viet Nam", "VNM")] == "alias"
    assert ("Cote d’Ivoire", "CIV") in kinds and ("Cote d'Ivoire", "CIV") in kinds
    assert len({n.text for n in names}) == len(names)
    assert not any(n.text in knowledge.non_actor_names() for n in names)


def test_non_actor_names_hold_phrases_around_country_names():
    shadows = knowledge.non_actor_names()
    assert {"Latin American", "New Mexico", "Northern Ireland"} <= set(shadows)


@pytest.mark.parametrize("text", [
    "Paris AI Declaration", "the Paris Declaration on Artificial Intelligence", "Paris Declaration on AI",
    "Statement on Inclusive and Sustainable Artificial Intelligence for People and the Planet",
    "statement on inclusive and sustainable AI for people and the planet",
    "the Paris declaration",
])
def test_paris_declaration_aliases(text):
    inst = knowledge.find_instrument(text)
    assert inst is not None and inst.key == "paris-ai-declaration"
    assert (inst.type, inst.year, inst.led_by, inst.place) == ("declaration", 2025, "FRA", "Paris")


@pytest.mark.parametrize("text, key", [
    ("A/RES/78/265", "unga-78-265"),
    ("Seizing the opportunities of safe, secure and trustworthy artificial intelligence systems "
     "for sustainable development", "unga-78-265"),
    ("US-led UN resolution on safe, secure and trustworthy AI", "unga-78-265"),
    ("A/RES/78/311", "unga-78-311"),
    ("Enhancing International Cooperation on Capacity-building of Artificial Intelligence", "unga-78-311"),
    ("China-led UN resolution on AI capacity-building", "unga-78-311"),
])
def test_the_two_un_resolutions_stay_distinct(text, key):
    assert knowledge.find_instrument(text).key == key


def test_un_resolution_facts():
    us, cn = knowledge.instruments()["unga-78-265"], knowledge.instruments()["unga-78-311"]
    assert (us.type, us.year, us.led_by) == ("resolution", 2024, "USA")
    assert (cn.type, cn.year, cn.led_by) == ("resolution", 2024, "CHN")
    assert set(map(knowledge.instrument_form, us.names)).isdisjoint(map(knowledge.instrument_form, cn.names))


@pytest.mark.parametrize("text, key", [
    ("Bletchley Declaration", "bletchley-declaration"),
    ("the Seoul Declaration", "seoul-declaration"),
    ("the EU AI Act", "eu-ai-act"),
    ("EU's Artificial Intelligence Act", "eu-ai-act"),
    ("Framework Convention on Artificial Intelligence and Human Rights, Democracy and the Rule of Law",
     "coe-ai-convention"),
    ("Global Digital Compact", "global-digital-compact"),
    ("G7 Hiroshima AI Process", "hiroshima-ai-process"),
    ("OECD AI Principles", "oecd-ai-principles"),
    ("UNESCO Recommendation on the Ethics of AI", "unesco-ai-ethics"),
    ("Executive Order 14110", "eo-14110"),
    ("New Generation AI Development Plan", "ngaidp"),
    ("World AI Conference", "waic"),
    ("Global Partnership on Artificial Intelligence", "gpai"),
    ("World Artificial Intelligence Cooperation Organisation", "waico"),
    # containment: the longest listed name inside the text wins
    ("China's new Global AI Governance Action Plan released on Saturday", "global-ai-governance-action-plan"),
    ("the AI Safety Summit in Seoul", "ai-seoul-summit"),
    ("the AI Safety Summit at Bletchley Park", "ai-safety-summit-2023"),
    ("the AI Action Summit in Paris", "ai-action-summit"),
    ("America's AI Action Plan", "us-ai-action-plan"),
])
def test_find_instrument(text, key):
    inst = knowledge.find_instrument(text)
    assert inst is not None and inst.key == key


@pytest.mark.parametrize("text", ["an AI plan", "the declaration", "", "Paris", "summit"])
def test_find_instrument_does_not_guess(text):
    assert knowledge.find_instrument(text) is None


def test_closest_names_suggest_catalog_names():
    assert knowledge.closest_names("Bletchly Declaraton")[0] == "Bletchley Declaration"
    assert len(knowledge.closest_names("Global AI Governance Plan", n=2)) == 2
    assert knowledge.closest_names("zzzz qqqq") == []


def test_catalog_is_sound():
    actors = knowledge.country_codes() | knowledge.body_codes()
    catalog = knowledge.instruments()
    assert 40 <= len(catalog) <= 90
    for inst in catalog.values():
        assert inst.type in TARGET_TYPES
        assert inst.led_by is None or inst.led_by in actors
        assert inst.year is None or 1990 <= inst.year <= 2030
        assert knowledge.find_instrument(inst.name) == inst
        for alias in inst.aliases:
            assert knowledge.find_instrument(alias) == inst, alias


def test_data_files_explain_themselves():
    for name in ("countries.tsv", "bodies.tsv", "instruments.tsv"):
        text = resources.files("accord").joinpath("data", name).read_text(encoding="utf-8")
        assert text.startswith("#") and "ACCORD_DATA_DIR" in text


def test_normal_forms():
    assert knowledge.normal_form("the U.S.'s") == "us"
    assert knowledge.normal_form("Côte d’Ivoire") == "cote d ivoire"
    assert knowledge.instrument_form("World AI Cooperation Organisation") == \
        knowledge.instrument_form("World Artificial Intelligence Cooperation Organization")


def test_user_files_add_and_override_rows(user_dir):
    (user_dir / "countries.tsv").write_text(
        "# my additions\n"
        "USA\tUnited States\tUS|Uncle Sam\tAmerican\tWashington\n"
        "XKX\tKosovo\tRepublic of Kosovo\tKosovar\tPristina\n",
        encoding="utf-8")
    (user_dir / "bodies.tsv").write_text("OSCE\tOrganization for Security and Co-operation in Europe\tOSCE\n",
                                         encoding="utf-8")
    (user_dir / "instruments.tsv").write_text(
        "bletchley-declaration\tdeclaration\t2023\tGBR\tBletchley Park\tBletchley Declaration\tBP Declaration\n"
        "kosovo-ai-plan\tstrategy\t2026\tXKX\tPristina\tKosovo AI Plan\tKosovar AI Plan\n",
        encoding="utf-8")
    assert knowledge.resolve_actor("Uncle Sam") == "USA"
    assert knowledge.resolve_actor("U.S.A.") is None  # the user's USA row replaced the packaged one
    assert knowledge.resolve_actor("Kosovar") == "XKX"
    assert knowledge.resolve_actor("Pristina") == "XKX"
    assert knowledge.resolve_actor("Chinese") == "CHN"  # untouched rows stay
    assert "OSCE" in knowledge.body_codes()
    assert knowledge.find_instrument("BP Declaration").key == "bletchley-declaration"
    assert knowledge.find_instrument("Bletchley Park Declaration") is None
    assert knowledge.find_instrument("Kosovar AI Plan").led_by == "XKX"
    assert len(knowledge.instruments()) == len(packaged_rows("instruments.tsv")) + 1


def test_reload_forgets_the_user_files(user_dir, monkeypatch):
    (user_dir / "countries.tsv").write_text("XKX\tKosovo\n", encoding="utf-8")
    assert knowledge.resolve_actor("Kosovo") == "XKX"
    monkeypatch.delenv(DATA_DIR_VARIABLE)
    knowledge.reload()
    assert knowledge.resolve_actor("Kosovo") is None


@pytest.mark.parametrize("name, row, expected", [
    ("instruments.tsv", "x\tpact\t2024\tUSA\t-\tX Pact\t-", "should be one of declaration, resolution"),
    ("instruments.tsv", "x\tlaw\t2024\tXYZ\t-\tX Law\t-", "led_by 'XYZ' is neither"),
    ("instruments.tsv", "x\tlaw\t24\tUSA\t-\tX Law\t-", "four digits"),
    ("countries.tsv", "usa\tUnited States", "not an ISO 3166-1 alpha-3"),
    ("countries.tsv", "USA", "expected 2 to 5 tab-separated columns"),
    ("bodies.tsv", "OSCE\tOSCE\n# again\nOSCE\tOSCE", "listed twice"),
])
def test_bad_user_rows_say_what_was_expected(user_dir, name, row, expected):
    (user_dir / name).write_text(row + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=expected) as err:
        knowledge.instruments()
    assert str(user_dir / name) in str(err.value)


def test_no_catalog_name_is_a_common_noun_alone():
    """A catalog alias names one instrument: never a lower-case word or a type noun by itself
    ("declaration", "the summit"), which would make every such mention that instrument."""
    from accord.extract.lexicon import lexicon

    lex = lexicon()
    common = set(lex.type_nouns) | set(lex.generic) | set(lex.loose)
    bad = []
    for inst in knowledge.instruments().values():
        for name in (inst.name, *inst.aliases):
            words = [w for w in name.split() if w.lower() not in ("the", "a", "an")]
            if len(words) == 1 and (words[0].islower() or words[0].lower() in common):
                bad.append((inst.key, name))
    assert bad == []
