"""Canonical names from the country data package and within-article resolution."""

from __future__ import annotations

import pytest

from flows.entities import canonical_name, resolve_people


@pytest.mark.parametrize("text,label,expected", [
    ("Pyongyang", "GPE", "North Korea"),
    ("DPRK", "ORG", "North Korea"),
    ("North Korean", "NORP", "North Korea"),
    ("North Koreans", "NORP", "North Korea"),
    ("Washington", "GPE", "United States"),
    ("the White House", "ORG", "United States"),
    ("U.S.", "GPE", "United States"),
    ("American", "NORP", "United States"),
    ("Moscow", "GPE", "Russia"),
    ("the Kremlin", "ORG", "Russia"),
    ("Seoul", "GPE", "South Korea"),
    ("Kyiv", "GPE", "Ukraine"),
    ("Gaza", "GPE", "Palestine"),
    ("Saudi", "NORP", "Saudi Arabia"),  # countryinfo's demonym is "Saudi Arabian"
    ("TV", "GPE", "Tuvalu"),  # not Bolivia, whose native name "Teta Volivia" made an acronym
    ("the West Bank", "GPE", "Palestine"),
    ("KCNA", "ORG", "KCNA"),
    ("IT", "ORG", "IT"),
    # Demonyms and capitals several countryinfo records share go to the most populous one.
    ("French", "NORP", "France"),
    ("Chinese", "NORP", "China"),
    ("Norwegian", "NORP", "Norway"),
    ("Kingston", "GPE", "Jamaica"),
    ("Belgrade", "GPE", "Serbia"),
    ("Burma", "GPE", "Myanmar"),
    # US state abbreviations in datelines ("Ferguson, Mo.") are no country codes.
    ("Mo.", "GPE", "Mo."),
    ("Pa.", "GPE", "Pa."),
    ("U.K.", "GPE", "United Kingdom"),
    # The tagger cuts a name's acronym in half.
    ("the World Health Organization (WHO", "ORG", "World Health Organization"),
    # The tagger keeps the possessive mark: "Tiger Woods' agent", "Kirby's remarks".
    ("Tiger Woods'", "PERSON", "Tiger Woods"),
    ("Kirby’s", "PERSON", "Kirby"),
    ("the PGA Tour's", "ORG", "PGA Tour"),
])
def test_canonical_names(text, label, expected):
    assert canonical_name(text, label) == expected


def test_surnames_resolve_to_the_one_full_name():
    people = resolve_people(["Kirby", "John Kirby", "Kim", "Kim Jong Un", "Kim Yo Jong"])
    assert people["Kirby"] == "John Kirby"
    # Two Kims: ambiguous, so left as written.
    assert people["Kim"] == "Kim"


def test_a_first_name_resolves_to_the_one_full_name_it_starts():
    # FNC-1 bodies 1563 ("Mohammed provided bank statements") and 1433 ("Nikolai even claims").
    names = ["Mohammed", "Mohammed Islam", "Nikolai", "Nikolai Kryaglyachenko", "Kim", "Kim Jong Un", "Kim Yo Jong",
             "Apple", "Apple Retail Store"]
    people = resolve_people(names, first_names=["Mohammed", "Nikolai", "Kim"])
    assert people["Mohammed"] == "Mohammed Islam" and people["Nikolai"] == "Nikolai Kryaglyachenko"
    assert people["Kim"] == "Kim"  # two full names start with it
    # Only a one-word name tagged a person (all-bodies diff: "Apple" had become a store).
    assert people["Apple"] == "Apple" and resolve_people(names)["Mohammed"] == "Mohammed"


def test_a_name_of_several_words_gains_one_word_at_most():
    # Seen on an FNC-1 story: a German article's "Angriff von Boko Haram" (attack by Boko
    # Haram), tagged PERSON, had become the side of every Boko Haram claim in the corpus.
    people = resolve_people(["Boko Haram", "Angriff von Boko Haram", "Se Pyong", "So Se Pyong",
                             "World Health Organization", "A World Health Organization"])
    assert people["Boko Haram"] == "Boko Haram"
    assert people["World Health Organization"] == "World Health Organization"  # not an article more
    assert people["Se Pyong"] == "So Se Pyong"


def test_a_country_is_nobodys_surname():
    # On all 1,683 FNC-1 bodies, "Iraq" had become "Islamic State of Iraq" and "Canada"
    # "Radio Canada" as the side of hundreds of claims.
    people = resolve_people(["Iraq", "Islamic State of Iraq", "Canada", "Radio Canada", "Kirby", "John Kirby"])
    assert people["Iraq"] == "Iraq" and people["Canada"] == "Canada" and people["Kirby"] == "John Kirby"


def test_a_phrase_is_no_fuller_name():
    # A quote speaker "a new report from 9to5Mac" had become the claimant of every 9to5Mac
    # claim in the corpus; particles still belong to names.
    people = resolve_people(["9to5Mac", "a new report from 9to5Mac", "Leyen", "Ursula von der Leyen"])
    assert people["9to5Mac"] == "9to5Mac" and people["Leyen"] == "Ursula von der Leyen"


def test_entities_component_on_a_seed_sentence(nlp):
    doc = nlp("Kirby said the DPRK is supplying Russia. White House spokesman John Kirby told reporters in Washington.")
    by_text = {e["text"]: e["canonical"] for e in doc._.cc_entities}
    assert by_text.get("Kirby") == "John Kirby"
    assert by_text.get("Washington") == "United States"
    for e in doc._.cc_entities:
        assert doc.text[e["start_char"]:e["end_char"]] == e["text"]


def test_claim_sides_resolve_across_articles_like_claimants():
    # One article says "Woods", another "Tiger Woods": the person speaking for himself, or
    # the person his agent speaks for, is one side in the datasets.
    from flows.extract import _resolve_names

    entities = [{"label": "PERSON", "canonical": "Tiger Woods"}, {"label": "PERSON", "canonical": "Woods"}]
    entities.append({"label": "PERSON", "canonical": "Hunter Biden"})
    claims = [{"claimant": "Woods", "side": "Woods"}, {"claimant": "Mark Steinberg", "side": "Woods"},
              {"claimant": "PGA Tour", "side": "PGA Tour"}, {"claimant": "Duncan Hunter", "side": "Hunter"}]
    _resolve_names(entities, [], claims)
    assert [c["side"] for c in claims] == ["Tiger Woods", "Tiger Woods", "PGA Tour", "Duncan Hunter"]
    assert claims[0]["claimant"] == "Tiger Woods"


def test_organisation_spellings_and_acronyms_are_one_name():
    # Seen on the FNC-1 articles of one Ebola story: four forms of the WHO as four sides.
    from flows.entities import resolve_orgs

    names = ["World Health Organization"] * 3 + ["World Health Organisation"] * 2 + ["WHO"] * 5
    names += ["AP", "Associated Press", "Apple", "A Tribe Called Quest"] + ["A World Health Organization"] * 9
    out = resolve_orgs(names)
    assert {out[n] for n in ("World Health Organization", "World Health Organisation", "WHO")} == {
        "World Health Organization"}
    assert out["A World Health Organization"] == "World Health Organization"
    assert out["AP"] == "Associated Press" and out["Apple"] == "Apple"
    assert out["A Tribe Called Quest"] == "A Tribe Called Quest"
    # An acronym two names could spell stays as written.
    assert resolve_orgs(["AP", "Associated Press", "Andhra Pradesh"])["AP"] == "AP"
    assert resolve_orgs(list(reversed(names))) == out
    # Small words do not count in an acronym: SOHR.
    sohr = resolve_orgs(["Syrian Observatory for Human Rights", "SOHR"])
    assert sohr["SOHR"] == "Syrian Observatory for Human Rights"


def test_a_lone_title_names_nobody():
    from flows.claims import _names_somebody

    assert not _names_somebody("Det") and _names_somebody("Frank Shultz")


def test_an_arabic_surname_is_short_for_the_name_with_its_article():
    # FNC-1 bodies on the Jordanian pilot: "Jordanian government spokesman Mohammed
    # al-Momani said ..." and later "Momani said": the side came only with the full name.
    people = resolve_people(["Mohammed al-Momani", "Momani", "Abu Bakr al-Baghdadi", "Baghdadi", "Alexander"])
    assert people["Momani"] == "Mohammed al-Momani"
    assert people["Baghdadi"] == "Abu Bakr al-Baghdadi"
    assert people["Alexander"] == "Alexander"


def test_a_country_that_owns_an_office_is_a_country(nlp):
    # FNC-1 body 640: the small model tags "Jordan's" PERSON; a person called Jordan stays one.
    from flows.entities import extract_entities

    from spacy.tokens import Span

    # The model's label depends on the sentence around it: set the one it gave in that body.
    doc = nlp("Jordan's King Abdullah, a trained pilot, could lead revenge airstrikes on Islamic State himself.")
    doc.ents = [Span(doc, 0, 1, label="PERSON")]
    assert ("Jordan", "GPE") in {(e["canonical"], e["label"]) for e in extract_entities(doc)}
    doc = nlp("Michael Jordan's agent said the claims were false.")
    doc.ents = [Span(doc, 0, 2, label="PERSON")]
    assert {(e["text"], e["label"]) for e in extract_entities(doc)} == {("Michael Jordan", "PERSON")}
