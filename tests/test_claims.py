"""Claim typing, sides and propositions on short real-style sentences."""

from __future__ import annotations

import random

import pytest

from flows.claims import assign_propositions, resolve_across_documents, time_epoch


@pytest.fixture(scope="module")
def cnlp():
    from flows.eval_claims import build_nlp

    return build_nlp()


def claims_of(cnlp, body: str, headline: str = "Story headline here") -> list[dict]:
    doc = cnlp(f"{headline}\n\n{body}")
    out = doc._.cc_claims
    for c in out:
        assert doc.text[c["start_char"]:c["end_char"]] == c["text"]
    return out


def types(claims: list[dict]) -> set[tuple[str, str | None]]:
    return {(c["claim_type"], c["side"]) for c in claims}


def sides_where(cnlp, body: str, marker: str) -> set[str | None]:
    """Sides of the claims whose text contains ``marker``; there must be some."""
    found = [c for c in claims_of(cnlp, body) if marker in c["text"]]
    assert found, f"no claim with {marker!r}"
    return {c["side"] for c in found}


def finds_type(cnlp, sentence: str, claim_type: str) -> bool:
    """Whether the sentence, which must make some claim, makes one of this type."""
    found = claims_of(cnlp, sentence)
    assert found
    return any(c["claim_type"] == claim_type for c in found)


@pytest.mark.parametrize("sentence,expected", [
    ("Iran denied supplying drones to Russia.", ("denial", "Iran")),
    ("Moscow rejected the reports as fabricated.", ("denial", "Russia")),
    ("Pyongyang dismissed the accusations on Monday.", ("denial", "North Korea")),
    ("North Korea said it has never had arms dealings with Russia.", ("denial", "North Korea")),
    ("North Korea said it has no plan to export weapons to Russia.", ("denial", "North Korea")),
    ("North Korea said the claims were groundless.", ("denial", "North Korea")),
    ("The United States accused Iran of supplying drones to Russia.", ("allegation", "United States")),
    ("Washington alleged that Pyongyang was secretly shipping shells.", ("allegation", "United States")),
    ("Ukrainian President Volodymyr Zelensky warned that Russia could renew its attacks.", ("other", "Ukraine")),
])
def test_claim_types_from_cues(cnlp, sentence, expected):
    assert expected in types(claims_of(cnlp, sentence))


def test_negated_denial_is_no_denial(cnlp):
    found = claims_of(cnlp, "The ministry did not deny that it had sent the shells.")
    assert all(c["claim_type"] != "denial" for c in found)


def test_refused_is_no_denial(cnlp):
    found = claims_of(cnlp, "Kirby refused to provide the routes taken by the shipments.")
    assert all(c["claim_type"] != "denial" for c in found)


def test_both_sides_sentence(cnlp):
    found = claims_of(cnlp, "North Korea has refuted American claims that it shipped artillery shells to Russia.")
    assert ("denial", "North Korea") in types(found)
    allegation = [c for c in found if c["claim_type"] == "allegation"]
    assert allegation and allegation[0]["side"] == "United States"
    assert allegation[0]["target"] == "North Korea"


def test_denial_of_a_named_party_claim(cnlp):
    found = claims_of(cnlp, "In September Pyongyang denied a White House claim that it was planning to provide ammunition.")
    assert {("denial", "North Korea"), ("allegation", "United States")} <= types(found)


def test_side_from_speaker_description(cnlp):
    found = claims_of(cnlp, "White House national security spokesman John Kirby said North Korea is covertly supplying shells to Russia.")
    c = next(c for c in found if c["claimant"] == "John Kirby")
    assert c["side"] == "United States" and c["claim_type"] == "allegation"


def test_side_of_unnamed_official(cnlp):
    found = claims_of(cnlp, "North Korea's vice director of military foreign affairs said the rumor was groundless.")
    assert ("denial", "North Korea") in types(found)


def test_pronoun_speaker_continues(cnlp):
    body = ("Pentagon spokesman John Kirby spoke on Wednesday.\n\n"
            "He said North Korea was secretly shipping shells to Russia.")
    found = claims_of(cnlp, body)
    assert any(c["claimant"] == "John Kirby" and c["claim_type"] == "allegation" for c in found)


def test_positions_and_paragraphs(cnlp):
    found = claims_of(cnlp, "Iran denied supplying drones.\n\nMoscow denied the reports.",
                      headline="North Korea denies arms deals with Russia")
    by_para = {c["paragraph_index"]: c["position"] for c in found}
    assert by_para == {0: "headline", 1: "lead", 2: "body"}


def test_resolve_across_documents_fills_side():
    claims = [
        {"doc_id": "a", "claimant": "John Kirby", "side": "United States", "target": None, "claim_type": "allegation"},
        {"doc_id": "b", "claimant": "John Kirby", "side": None, "target": None, "claim_type": "other"},
        {"doc_id": "c", "claimant": "Kim Jong-un", "side": None, "target": None, "claim_type": "other"},
        {"doc_id": "d", "claimant": "Kim Jong Un", "side": "North Korea", "target": None, "claim_type": "other"},
    ]
    out = resolve_across_documents(claims, [])
    assert out[1]["side"] == "United States"
    assert out[2]["side"] == "North Korea"


def _claim(doc_id: str, text: str, claim_type: str = "denial", side: str = "North Korea") -> dict:
    return {"doc_id": doc_id, "claimant": side, "side": side, "claim_type": claim_type, "text": text,
            "start_char": 0, "end_char": len(text)}


def _docs(claims: list[dict]) -> list[dict]:
    return [{"doc_id": c["doc_id"], "text": c["text"], "story_id": "s1", "published_at": None} for c in claims]


def test_propositions_merge_paraphrases_not_earlier_denials():
    claims = [
        _claim("a", "We once again make clear that we have never had 'arms dealings' with Russia and that we have no plan to do so in the future."),
        _claim("b", "Once again, we make it clear that we have never had an arms trade with Russia and we have no plans to do so in the future, the statement reads."),
        _claim("c", "We have never had arms dealings with Russia"),
        _claim("d", "In September, Pyongyang denied a White House claim that it was planning to provide ammunition to Russia."),
        _claim("e", "North Korea on Tuesday denied a White House claim that it was providing ammunition to Russia."),
    ]
    out = {c["doc_id"]: c["proposition_id"] for c in assign_propositions(claims, _docs(claims))}
    assert out["a"] == out["b"] == out["c"]
    assert out["d"] != out["e"]
    assert out["d"] != out["a"]


def test_propositions_keep_types_apart():
    claims = [_claim("a", "Pyongyang is covertly supplying shells to Russia", "allegation", "United States"),
              _claim("b", "Pyongyang is covertly supplying shells to Russia", "denial", "North Korea")]
    out = assign_propositions(claims, _docs(claims))
    assert out[0]["proposition_id"] != out[1]["proposition_id"]


def test_proposition_ids_are_stable_across_order():
    claims = [_claim(str(i), t) for i, t in enumerate([
        "We have never had arms dealings with Russia and have no plan to do so.",
        "We have never had an arms trade with Russia and have no plans to do so.",
        "The rumor of arms dealings is groundless.",
    ])]
    first = {c["doc_id"]: c["proposition_id"] for c in assign_propositions(claims, _docs(claims))}
    shuffled = claims[:]
    random.Random(3).shuffle(shuffled)
    second = {c["doc_id"]: c["proposition_id"] for c in assign_propositions(shuffled, _docs(shuffled))}
    assert first == second
    assert all(p.startswith("p-") for p in first.values())


@pytest.mark.parametrize("sentence,epoch", [
    ("In September, Pyongyang refuted claims made by the White House.", "month-09"),
    ("Last month North Korea denied the report.", "earlier"),
    ("North Korea said on Tuesday the claims were groundless.", "current"),
    ("The White House said last week that North Korea is supplying shells.", "current"),
])
def test_time_epochs(sentence, epoch):
    assert time_epoch(sentence) == epoch


# --- rules tuned on the development set (general reporting grammar) ---------------

@pytest.mark.parametrize("sentence,expected", [
    ("An AutoNation spokesman denied any involvement with the truck.", ("denial", "AutoNation")),
    ("Ty Votaw, executive vice president of the PGA Tour, said there is no truth whatsoever to these claims.",
     ("denial", "PGA Tour")),
    ("U.S. officials suspect that one of the detainees has attempted to return to the battlefield.",
     ("allegation", "United States")),
])
def test_sides_of_organisations_and_new_cues(cnlp, sentence, expected):
    assert expected in types(claims_of(cnlp, sentence))


def test_person_without_country_speaks_for_themselves(cnlp):
    found = resolve_across_documents(claims_of(cnlp, "Dan Olsen claimed that the golfer had been suspended."), [])
    allegation = next(c for c in found if c["claim_type"] == "allegation")
    assert allegation["claimant"] and allegation["side"] == allegation["claimant"]


def test_representative_speaks_for_the_person(cnlp):
    found = claims_of(cnlp, "Robert Plant's publicist has described as rubbish a report that he rejected a reunion.")
    assert ("denial", "Robert Plant") in types(found)


def test_outlet_that_claims_makes_its_own_allegation(cnlp):
    found = claims_of(cnlp, "The Daily Mirror claimed that the singer had rejected the deal.")
    assert any(c["claim_type"] == "allegation" and c["side"] for c in found)


def test_alleged_as_modifier_is_no_allegation(cnlp):
    found = claims_of(cnlp, "The ambassador said nothing about the leader's alleged ailment.")
    assert all(c["type_cue"] != "alleged" for c in found)


def test_dev_gold_is_well_formed():
    import json

    from flows.eval_claims import DEV_GOLD, FNC1_BODIES, dev_docs, dev_parts, load_gold

    gold = load_gold(DEV_GOLD)
    parts = dev_parts(gold)
    # Articles 1-15 tune the rules; 16-31 (all the fixed selection rule gives) are held out.
    assert len(parts["tune"]) == 15 and len(parts["held-out"]) == 16
    assert all(g["claim_type"] in {"allegation", "denial", "other"} for g in gold)
    if not FNC1_BODIES.exists():
        pytest.skip("FNC-1 bodies not available")
    texts = {d["source"]: d["text"] for d in dev_docs(parts["tune"] + parts["held-out"])}
    assert all(g["evidence"] in texts[g["source"]] for g in gold), json.dumps(gold[0])


# Sides from how the article names the speaker (sentences adapted from FNC-1 bodies).

def test_surname_claimant_is_the_full_name_the_article_gives(cnlp):
    found = claims_of(cnlp, "Guitarist Jimmy Page spoke to fans in London on Monday.\n\n"
                            "“Everyone would love to play more concerts for the band,” Page said.")
    quoted = [c for c in found if "concerts" in c["text"]]
    assert quoted and {c["claimant"] for c in quoted} == {"Jimmy Page"}


def test_local_official_speaks_for_the_authority_in_their_title(cnlp):
    found = claims_of(cnlp, "“This report is entirely false,” Navarro County Judge H.M. Davenport said in a statement.")
    assert ("denial", "Navarro County") in types(found)


def test_bare_description_is_the_party_of_its_kind_named_before(cnlp):
    found = claims_of(cnlp, "Apple CEO Tim Cook spoke to staff in Berlin on Friday.\n\n"
                            "The CEO admits that he does charge his watch every night.")
    admits = [c for c in found if "charge" in c["text"]]
    assert admits and {c["claimant"] for c in admits} == {"Tim Cook"}


def test_a_belief_or_a_look_is_no_claim_but_a_denial_without_a_speech_verb_is(cnlp):
    # Adapted from FNC-1 bodies: "feared" and "seem" report no statement; the quote finder's
    # indirect rows for them do not become claims unless their content takes a side.
    feared = claims_of(cnlp, "Friends of the actor feared he had only months to live.")
    assert not [c for c in feared if "months to live" in c["text"]]
    denial = claims_of(cnlp, "Finally, though, Durex put the rumors to rest: an unnamed company "
                             "spokesperson told BuzzFeed that Durex would not be coming out with the condom.")
    assert any(c["claim_type"] == "denial" for c in denial)


def test_what_sources_report_is_an_allegation(cnlp):
    # FNC-1 body 1545 (a celebrity death hoax), first sentence shortened.
    found = claims_of(cnlp, "Multiple unconfirmed reports say Culkin was found dead Friday afternoon "
                            "in his Manhattan apartment.")
    assert any(c["claim_type"] == "allegation" and "found dead" in c["text"] for c in found)


def test_a_group_named_after_a_country_is_not_that_country(cnlp):
    # FNC-1 body 829: an analyst of a private monitoring group, not a North Korean voice.
    found = claims_of(cnlp, "Michael Madden, the editor of North Korea Leadership Watch, said Pyongyang "
                            "wants to open a restaurant in Scotland.")
    madden = [c for c in found if c["claimant"] == "Michael Madden"]
    assert madden and all(c["side"] != "North Korea" for c in madden)


def test_an_official_is_never_the_outlet_they_talk_to(cnlp):
    # Adapted from an FNC-1 body: CNN spoke last, but "officials told CNN" makes CNN the
    # listener; the officials are the last non-outlet speaker, the US government.
    found = claims_of(cnlp, "The Pentagon said on Monday that the five men were being monitored.\n\n"
                            "CNN reported that the program began in June.\n\n"
                            "The former prisoner is believed to have tried to contact Taliban associates, "
                            "officials told CNN.")
    told = [c for c in found if "Taliban" in c["text"]]
    assert told and {c["side"] for c in told} == {"United States"}


def test_said_in_a_report_that_a_named_group_acted_is_an_allegation(cnlp):
    # From an FNC-1 body: the that-clause hangs on "report", not on "said", and the group
    # is tagged PERSON by the small model; it is still another party's act.
    found = claims_of(cnlp, "Last week, Human Rights Watch said in a report that Boko Haram was holding "
                            "more than 500 women and young girls captive.")
    assert ("allegation", "Human Rights Watch") in types(found)


def test_officials_of_a_county_speak_for_it(cnlp):
    # From an FNC-1 body: no person and no country, only a local authority.
    found = claims_of(cnlp, "Navarro County officials Tuesday emphatically rejected as false a posting "
                            "on the National Report website.")
    assert ("denial", "Navarro County") in types(found)


def test_a_member_speaks_for_themselves_an_officer_for_the_organisation(cnlp):
    # Adapted from FNC-1 bodies: a golfer on the PGA Tour and a professor at a school are
    # not their spokesmen; the Tour's vice president is.
    golfer = claims_of(cnlp, "Journeyman PGA Tour golfer Dan Olsen claimed that Tiger Woods had been suspended.")
    assert ("allegation", "Dan Olsen") in types(resolve_across_documents(golfer, []))
    professor = claims_of(cnlp, "Harvard Business School Professor Ben Edelman denied sending the email.")
    assert ("denial", "Ben Edelman") in types(resolve_across_documents(professor, []))
    officer = claims_of(cnlp, "Ty Votaw, executive vice president of the PGA Tour, denied the report.")
    assert ("denial", "PGA Tour") in types(resolve_across_documents(officer, []))


@pytest.mark.parametrize("sentence", [
    "The FBI said it believed the video to be authentic.",
    "The Federal Bureau of Investigations said Wednesday they believe the video to be authentic.",
])
def test_a_security_agency_speaks_for_its_state(cnlp, sentence):
    # From FNC-1 bodies on the Foley video: named without the country, still the US.
    found = resolve_across_documents(claims_of(cnlp, sentence), [])
    assert {c["side"] for c in found} == {"United States"}


def test_a_place_where_somebody_is_is_not_the_state_they_speak_for(cnlp):
    # From an FNC-1 body on the Foley video: Libya is where they were held.
    found = claims_of(cnlp, "A friend of Foley and his fellow captive in Libya, journalist Clare Morgana "
                            "Gillis, wrote in 2013 that captivity was the state most opposite his nature.")
    found = resolve_across_documents(found, [])
    assert found and "Libya" not in {c["side"] for c in found}


def test_agent_of_one_of_two_coordinated_parties(cnlp):
    # FNC-1 body 2330's sentence. The small parser reads "the PGA Tour and Woods' agent" as
    # the agent of both; the agent speaks for Woods, and the PGA Tour is nobody's agent.
    body = ("Journeyman golfer Dan Olsen retracted claims Tiger Woods had been suspended by the PGA Tour "
            "after both the PGA Tour and Woods' agent, Mark Steinberg, vehemently denied the claims.\n\n"
            "\"These claims are absolutely, unequivocally and completely false,'' said Steinberg in a statement.")
    found = claims_of(cnlp, body)
    steinberg = [c for c in found if c["claimant"] == "Mark Steinberg"]
    assert steinberg and all(c["side"] in {"Woods", "Tiger Woods"} for c in steinberg)
    assert all(c["side"] not in {"Woods", "Tiger Woods"} for c in found if c["claimant"] == "PGA Tour")


def test_a_company_side_is_not_renamed_after_a_person_of_that_name(cnlp):
    body = ("Henry Ford built the first plant in Detroit.\n\n"
            "Ford's spokesman, Mark Truby, denied the claims that the company had hidden the defect.")
    truby = [c for c in claims_of(cnlp, body) if c["claimant"] == "Mark Truby"]
    assert truby and all(c["side"] != "Henry Ford" for c in truby)


def test_a_frame_takes_the_type_of_the_quote_its_verb_introduces(cnlp):
    # FNC-1 body 1588: the sentence is split after the first quoted sentence, so the
    # frame sees no cue of its own; the quote it introduces calls the claim a lie.
    body = ('In a video released on Friday, Abubakar Shekau said: "We have not made ceasefire with anyone. '
            'We did not negotiate with anyone. It\'s a lie."')
    found = [c for c in claims_of(cnlp, body) if c["claimant"] == "Abubakar Shekau"]
    assert found and {c["claim_type"] for c in found} == {"denial"}


@pytest.mark.parametrize("sentence,denial", [
    ('"We did not negotiate with anyone," the group\'s leader said.', True),
    ('"I have not taken any banned substance," the cyclist said.', True),
    ('"We will not negotiate with anyone," the group\'s leader said.', False),  # a refusal, not a deed denied
    ('"We didn\'t expect it to be as big as it was," she said.', False),  # a state of mind
    ('"They did not negotiate with anyone," the group\'s leader said.', False),  # another party
])
def test_speakers_who_say_they_did_not_do_it_deny(cnlp, sentence, denial):
    assert finds_type(cnlp, sentence, "denial") is denial


def test_he_after_an_unnamed_spokesman_is_that_spokesman(cnlp):
    # FNC-1 body 2145: "He said" follows the AutoNation spokesman, not the plumber named before.
    body = ("Jeff Oberholtzer told the Texas outlet The Galveston Daily News that the company sold the truck "
            "to AutoNation in October 2013.\n\n"
            "Reached for comment by The Huffington Post on Wednesday, an AutoNation spokesman denied any "
            "direct involvement with the truck's odd destination. He said the company sent the truck to be "
            "sold at auction.")
    he = [c for c in claims_of(cnlp, body) if c["text"].startswith("He said")]
    assert he and all(c["side"] == "AutoNation" for c in he)


def test_a_person_speaks_for_the_firm_whose_office_their_description_names(cnlp):
    # FNC-1 body 2145: the small model tags the firm PRODUCT, which is no entity of ours.
    body = ("Jeff Oberholtzer, the son of the owner of Mark-1 Plumbing, told the Texas outlet The Galveston "
            "Daily News that the company sold the truck to AutoNation in October 2013.\n\n"
            '"We have nothing to do with terror at all," Oberholtzer told Texas news source KHOU.')
    found = [c for c in claims_of(cnlp, body) if c["claimant"] == "Jeff Oberholtzer"]
    assert found and {c["side"] for c in found} == {"Mark-1 Plumbing"}


def test_sources_of_a_people_in_a_country_speak_for_the_people(cnlp):
    # FNC-1 body 1976: Syria is where the sources are; "as claimed by" names the accusers.
    body = ("Sources in the Kurdish underground in Syria denied Sunday night that Canadian-Israeli Gill "
            "Rosenberg, 31, had been in the Kobane region, as claimed by Islamist and Palestinian websites "
            "that reported she was captured by ISIS during the fighting in that area.")
    found = claims_of(cnlp, body)
    assert ("denial", "Kurds") in types(found)
    assert all(c["side"] != "Syria" for c in found)
    assert all(c["claimant"] != "Gill Rosenberg" for c in found)  # the accused, not the accuser


@pytest.mark.parametrize("adjective,group", [
    ("Kurdish", "Kurds"), ("Islamist", "Islamists"), ("Yazidi", "Yazidis"), ("Muslim", "Muslims"),
    ("Palestinian", None), ("British", None),  # peoples with a state are that state
])
def test_a_people_that_is_no_state(adjective, group):
    from flows.claims import norp_group

    assert norp_group(adjective) == group


def test_the_paper_is_the_outlet_named_before_not_the_last_speaker(cnlp):
    # FNC-1 body 1492: the quote finder hands "The paper claims" to the last speaker, Plant.
    body = ("Robert Plant's publicist has described as \"rubbish\" a Daily Mirror report that he rejected a "
            "Led Zeppelin reunion. The paper claims Jimmy Page and John Paul Jones had both signed on for the "
            "tour deal, bankrolled by Richard Branson.")
    found = [c for c in claims_of(cnlp, body) if c["text"].startswith("The paper") or "signed on" in c["text"]]
    assert found and {(c["claim_type"], c["side"]) for c in found} == {("allegation", "Daily Mirror")}


def test_the_claimant_is_the_person_the_phrase_is_about(cnlp):
    # FNC-1 body 754: the last person named in the phrase is the spokeswoman's principal.
    body = ("Bernadette Meehan, the spokeswoman for President Barack Obama's National Security Council, said "
            "the White House has \"not at this time seen any evidence that corroborates\" the claim.")
    found = claims_of(cnlp, body)
    assert found and {c["claimant"] for c in found} == {"Bernadette Meehan"}


def test_they_inside_a_quote_is_not_the_speaker(cnlp):
    # FNC-1 body 754: "claiming he is alive" is the militants' claim, which the spokesman rejects.
    body = ("Jordanian government spokesman Mohammed al-Momani said Jordan was looking into the claim.\n\n"
            "\u201cIt\u2019s part of their criminal propaganda. They have lied that our pilot is alive and tried to "
            "negotiate, claiming he is alive while they had killed him weeks before,\u201d al-Momani added.")
    found = [c for c in claims_of(cnlp, body) if "lied" in c["text"]]
    assert found and all(c["claim_type"] != "allegation" or c["side"] != "Jordan" for c in found)


@pytest.mark.parametrize("body,nobody", [
    # FNC-1 body 1357: the illustration claims, not Twitter, which its phrase names.
    ("There's an illustration being shared on Facebook, Instagram and Twitter that claims to be a tribute "
     "created by street artist Banksy in response to the attack.", {"Twitter", "Facebook", "Instagram"}),
    # FNC-1 body 1911: Samsung is the accused; nobody is named as accuser.
    ("That last detail will probably come as a surprise to Samsung, a company often accused of following "
     "Apple's lead when it comes to mobile devices.", {"Samsung", "Apple"}),
])
def test_no_claimant_where_nobody_speaks(cnlp, body, nobody):
    assert not {c["claimant"] for c in claims_of(cnlp, body)} & nobody


@pytest.mark.parametrize("sentence,denial", [
    # FNC-1 body 382: reporting that a deed did not happen denies it.
    ("A Jordanian government official on Thursday told Al Arabiya News that King Abdullah was not flying "
     "missions against ISIS himself.", True),
    ("Cicurel quoted YPG fighters, saying that Gill Rosenberg was not captured by IS.", True),
    # Seed 004: progress, not a denial.
    ("John Kirby said the purchases had not yet been completed.", False),
    ("Russian Foreign Minister Sergei Lavrov said the shipments will not arrive before May.", False),  # a forecast
    ("Russian Foreign Minister Sergei Lavrov said it was not clear whether the shells had arrived.", False),
])
def test_reporting_that_a_deed_did_not_happen(cnlp, sentence, denial):
    assert finds_type(cnlp, sentence, "denial") is denial


def test_to_deny_is_a_denial_only_when_done(cnlp):
    # FNC-1 body 1003: a wish, not a denial; the denial by Cuban media stays.
    body = ("So far there's nothing substantiating all the buzz. Cuban media outlets have denied any news "
            "conference is scheduled.\n\n"
            "Let's hope Fidel himself jumps on Twitter soon to deny -- or confirm? -- the rumors.")
    found = claims_of(cnlp, body)
    assert ("denial", "Cuban media outlets") in types(found)
    assert all(c["claim_type"] != "denial" for c in found if "Let's hope" in c["text"])
    # FNC-1 body 2452: reported, and done.
    found = claims_of(cnlp, "Although the possibility is quite intriguing, an official at the North Korean Embassy "
                            "in the United Kingdom is said to have denied any such plans.")
    assert ("denial", "North Korea") in types(found)


def test_unnamed_reps_speak_for_the_person_they_represent(cnlp):
    # FNC-1 body 560; the writer's "we" is nobody's claim.
    body = ("Look, we've always suspected that Paul Rudd was a super nice guy.\n\n"
            "Vanity Fair reached out to the actor's reps, who denied that the man in the video was Rudd.")
    found = claims_of(cnlp, body)
    assert ("denial", "Paul Rudd") in types(found)
    assert not [c for c in found if "suspected" in c["text"]]


def test_generic_accusers_are_no_side(cnlp):
    # FNC-1 body 1938.
    found = claims_of(cnlp, "Prosecutors allege that the retired fashion designer skinned the cats in her basement.")
    found = resolve_across_documents(found, [])
    assert found and {(c["claim_type"], c["side"]) for c in found} == {("allegation", None)}


def test_a_countrys_press_is_not_its_state(cnlp):
    # FNC-1 body 688; state media still speak for their state (seed articles' KCNA).
    for sentence in ("Iraqi news outlets claimed at the time that Ebola had started to spread in a Mosul hospital.",
                     "An Iraqi paper claimed that the virus had made its way into Mosul through jihadists."):
        found = claims_of(cnlp, sentence)
        assert found and all(c["side"] != "Iraq" for c in found)
    found = claims_of(cnlp, "North Korean state media claimed that the US was preparing an attack.")
    assert ("allegation", "North Korea") in types(found)


def test_a_relative_clause_that_says_where_somebody_serves_describes_them(cnlp):
    # FNC-1 body 688.
    body = ("\u201cThe Islamic State organization incinerated five militants infected with Ebola,\u201d said Faisal "
            "Ghazi, who is part of Iraq\u2019s Health Committee in its council of ministries.")
    found = [c for c in claims_of(cnlp, body) if c["claimant"] == "Faisal Ghazi"]
    assert found and {c["side"] for c in found} == {"Iraq"}


def test_an_agent_speaks_for_the_full_name_of_whom_they_represent(cnlp):
    # FNC-1 body 2286.
    body = ("A report that actor Judd Nelson had died turned out to be false.\n\n"
            "Nelson's agent Gregg Klein denied the report to the LA Times today.")
    found = [c for c in claims_of(cnlp, body) if c["claimant"] == "Gregg Klein"]
    assert found and {c["side"] for c in found} == {"Judd Nelson"}


def test_never_in_what_somebody_did_is_no_denial(cnlp):
    # FNC-1 body 2441.
    found = claims_of(cnlp, "An Indian public official has been sacked for taking leave 24 years ago and never "
                            "returning to his desk, the urban development ministry said.")
    assert found and all(c["claim_type"] != "denial" for c in found)


def test_a_new_unnamed_source_is_nobodys_side(cnlp):
    # FNC-1 bodies 1254 and 1709: "a source", "a witness" are somebody new, not the last speaker.
    body = ("Pentagon spokesman Col. Steve Warren said the strike had hit a convoy.\n\n"
            "However, a source told Iraqi media that the IS leader has not been killed, but is badly injured.")
    found = [c for c in claims_of(cnlp, body) if c["text"].startswith("However")]
    assert found and {(c["claim_type"], c["side"]) for c in found} == {("denial", None)}
    assert all(c["claimant"] != "Steve Warren" for c in found)


@pytest.mark.parametrize("sentence,allegation", [
    # FNC-1 body 1339: the small model leaves "Woods" untagged here.
    ("Journeyman golfer Dan Olsen also said Woods was using untested equipment.", True),
    # FNC-1 body 206: a forecast, not an act.
    ("One of the U.S. officials said President Barack Obama was expected to make a statement on Wednesday.", False),
])
def test_another_partys_act(cnlp, sentence, allegation):
    assert finds_type(cnlp, sentence, "allegation") is allegation


def test_to_describe_is_no_speech(cnlp):
    # FNC-1 body 1742: the infinitive made "Saudi" a claimant, with the side Bolivia.
    body = ("MSNBC's Chris Hayes was one of the first to spread the story that Saudi TV had blurred Michelle out of "
            "the picture, borrowing the coinage \"blurka\" to describe the apparent censorship of the First Lady's "
            "exposed hair.")
    assert all(c["type_cue"] != "describe" for c in claims_of(cnlp, body))


def test_an_unnamed_spokesman_with_nobody_before_is_somebody_new(cnlp):
    # FNC-1 body 272: nobody was quoted before, so there is nobody to refer back to.
    body = ("The nurse, named as Liu Tianlun, attempted to prise the woman off the baby but the mother refused to "
            "let her child go.\n\n"
            "She was eventually sedated and extracted from the baby.\n\n"
            "A hospital spokesman said: \u2018It was really shocking, the arm was badly damaged and suffered not only "
            "heavy bruising but bleeding as a result of the bite.\n\n"
            "\u2018Fortunately, doctors managed to insert something to stop her closing her teeth and then levered her "
            "jaws apart.\u2019")
    found = claims_of(cnlp, body)
    assert [c for c in found if c["claimant"] == "a hospital spokesman" and c["side"] is None]


def test_his_government_is_the_state_of_the_person_named_last(cnlp):
    # FNC-1 body 40 (tuning part).
    body = ("Young North Korean dictator Kim Jong Un's health is just fine, his government said Thursday evening.")
    found = claims_of(cnlp, body)
    assert found and {c["side"] for c in found} == {"North Korea"}


def test_unattributed_rumour_frames(cnlp):
    # FNC-1 body 40: "It was said" is nobody's claim, and bare "reports" are nobody named
    # (before, both went to the last speaker, North Korea).
    body = ("Young North Korean dictator Kim Jong Un's health is just fine, his government said.\n\n"
            "It was said Kim Yo Jong had taken over while her brother underwent medical treatment.\n\n"
            "The story emerged after Kim did not appear at the Supreme People's Assembly last month and reports "
            "said he suffered from \"discomfort.\"")
    found = claims_of(cnlp, body)
    assert not [c for c in found if c["text"].startswith("It was said")]
    reports = [c for c in found if "reports said" in c["text"]]
    assert reports and all(c["side"] is None for c in reports)


@pytest.mark.parametrize("sentence,denial", [
    ("On Tuesday the singer's reps officially confirmed that Axl Rose is not dead.", True),  # FNC-1 body 292
    ("Young North Korean dictator Kim Jong Un's health is just fine, his government said.", True),  # body 40
    # FNC-1 body 455: an assurance about captives, not the answer to a rumour about a person.
    ("Government spokesman Mike Omeri said Boko Haram negotiators assured that the schoolgirls are all alive and well.",
     False),
])
def test_the_answer_to_a_death_rumour(cnlp, sentence, denial):
    assert finds_type(cnlp, sentence, "denial") is denial


@pytest.mark.parametrize("sentence,denial", [
    ("North Korea rejected the US claims as groundless.", True),
    ("Pyongyang dismissed the accusations on Monday.", True),
    # FNC-1 bodies 2032 and 1296: documents and efforts turned down, not an accusation.
    ("North Korean authorities issued a directive in 2011 to reject birth certificates of newborns named Kim Jong Un.",
     False),
    ("A U.S. diplomat said Monday that North Korea has rejected U.S. efforts to discuss the detention of three "
     "Americans.", False),
])
def test_rejecting_a_thing_is_no_denial(cnlp, sentence, denial):
    assert finds_type(cnlp, sentence, "denial") is denial


def test_a_second_report_in_the_sentence_is_its_own_claim(cnlp):
    # FNC-1 body 40: "told" is coordinated with the rumour frame "It was said", not inside it,
    # and the parser takes "Kim" for the object of "told".
    body = ("It was said Kim Yo Jong had taken over while her brother underwent medical treatment, but So Se Pyong, "
            "the Democratic People's Republic of Korea's ambassador to the United Nations in Geneva, told Reuters "
            "Kim was not in bad health.")
    assert ("denial", "North Korea") in types(claims_of(cnlp, body))


def test_where_a_speaker_is_based_is_not_whom_it_speaks_for(cnlp):
    # FNC-1 body 40: the parser leaves "claimed" without a subject; the speaker before it is
    # the Diplomat, not Tokyo.
    body = ("Questions about Kim's health rose after an article from the Diplomat, a magazine based in Tokyo, "
            "claimed his sister was making important government decisions while Kim was being treated.")
    sides = {c["side"] for c in claims_of(cnlp, body)}
    assert "Diplomat" in sides and "Japan" not in sides


def test_a_place_in_the_speakers_phrase_is_not_the_speaker(cnlp):
    # FNC-1 body 1545: the quote finder names Manhattan; nobody is named.
    body = ("At least one occupant of the Manhattan apartment confirmed the apartment belongs to Culkin but police "
            "have not confirmed the man's identity at this time.")
    found = claims_of(cnlp, body)
    assert found and all(c["side"] is None and "Manhattan" != c["claimant"] for c in found)


def test_bare_sources_are_anonymous_not_the_last_speaker(cnlp):
    # FNC-1 body 40: "sources told the Associated Press" had taken the Diplomat's side.
    body = ("Questions about Kim's health rose after an article from the Diplomat, a magazine based in Tokyo, "
            "claimed his sister was making important government decisions.\n\n"
            "The leader also gained a significant amount of weight, which could contribute to ailments like gout, "
            "diabetes or high blood pressure, sources told the Associated Press.")
    found = [c for c in claims_of(cnlp, body) if "sources told" in c["text"]]
    assert found and all(c["side"] is None for c in found)


def test_an_untagged_group_before_an_office_word_is_the_side(cnlp):
    # FNC-1 body 1588: the model tags no entity in "the Boko Haram leader", and the quote
    # finder had taken him for the BBC reporter quoted before.
    body = ("The BBC's Tomi Oladipo in Lagos says the video will come as a huge embarrassment for the Nigerian "
            "government.\n\n"
            "But the Boko Haram leader said the girls were \"in their marital homes\" after being married off by "
            "the group.")
    found = [c for c in claims_of(cnlp, body) if "Boko Haram leader" in c["text"] or "marital" in c["text"]]
    assert found and {c["side"] for c in found} == {"Boko Haram"}


def test_an_agents_principal_is_the_persons_full_name(cnlp):
    # FNC-1 body 2330: the model tags this "Woods" ORG; an agent speaks for a person, and the
    # article names him in full.
    body = ("Journeyman golfer Dan Olsen retracted claims Tiger Woods had been suspended by the PGA Tour "
            "after both the PGA Tour and Woods' agent, Mark Steinberg, vehemently denied the claims.\n\n"
            "\"These claims are absolutely, unequivocally and completely false,'' said Steinberg in a statement.")
    steinberg = [c for c in claims_of(cnlp, body) if c["claimant"] == "Mark Steinberg"]
    assert steinberg and {c["side"] for c in steinberg} == {"Tiger Woods"}


@pytest.mark.parametrize("sentence,denial", [
    # FNC-1 body 724: a denial put out is a denial; one not given is none.
    ("The plot thickened this morning, when Durex initially tweeted a denial but then deleted it.", True),
    ("The company did not immediately confirm or deny the existence of the product, leaving the Internet in a "
     "tizzy.", False),
    # FNC-1 bodies 2145 and 1042: knowing nothing of how it happened.
    ("A Texas plumber says he has no idea how his company's work truck ended up in the hands of Islamic extremists "
     "in Syria.", True),
    ("Mohammed Islam said he had no idea where that dollar figure came from.", True),
])
def test_denials_put_out_or_not(cnlp, sentence, denial):
    found = claims_of(cnlp, sentence)
    assert any(c["claim_type"] == "denial" for c in found) is denial


def test_never_thinking_it_would_happen_is_no_denial(cnlp):
    # FNC-1 body 2145.
    body = ("\"Never in my lifetime would think something like that,\" Oberholtzer told Texas news source KHOU.")
    assert not finds_type(cnlp, body, "denial")


def test_a_fighter_speaks_for_the_side_they_fight_on(cnlp):
    # FNC-1 body 1976: an American in the ranks of the Kurds, and "he" after him.
    body = ("An American who is fighting in the ranks of the Kurds told Voice of Israel that Rosenberg was not in "
            "the Kobane region.\n\n"
            "\u201cShe was never in Kobane, that's not reasonable that she was captured,\u201d he said.")
    found = claims_of(cnlp, body)
    assert len(found) == 2 and {c["side"] for c in found} == {"Kurds"}


def test_common_nouns_the_quote_finder_ties_to_a_name_are_nobody_named(cnlp):
    # FNC-1 body 830: "A police spokesman" and "doctors" had taken the villager quoted before.
    body = ("Local Aamir Dhawan, 30, said: \"No one went to help the man because they could see his penis on the "
            "ground and knew this was punishment for a sex crime.\"\n\n"
            "Police have called for those responsible to come forward.\n\n"
            "A police spokesman said: \"People cannot take the law into your own hands.\"\n\n"
            "The man was eventually taken to hospital where doctors described his condition as critical.")
    found = claims_of(cnlp, body)
    later = [c for c in found if "police spokesman" in c["text"] or "critical" in c["text"]]
    assert len(later) == 2 and all("Dhawan" not in (c["claimant"] or "") and c["side"] is None for c in later)


def test_the_government_organization_is_the_state_body_named_before(cnlp):
    # FNC-1 body 269: "the government organization" is the UK Foreign Office, not Sky News.
    body = ("The UK Foreign Office is \"working urgently\" to verify the authenticity of the alleged Haines beheading "
            "video, Sky News reports. If verified, the execution would constitute \"another disgusting murder,\" the "
            "government organization said.")
    assert sides_where(cnlp, body, "disgusting") == {"United Kingdom"}


def test_a_circumstance_with_a_verb_is_no_speech(cnlp):
    # FNC-1 body 269: the hostage threatened nobody.
    body = ("This time around, the message from the Islamic State is very much aimed at @David_Cameron, with a 2nd "
            "British hostage threatened.")
    assert not claims_of(cnlp, body)


def test_he_can_mean_an_unnamed_employee(cnlp):
    # FNC-1 body 1507: "he" is the NBC employee just described, not Williams.
    body = ("On Wednesday, Williams, 55, acknowledged that he had repeatedly said he was aboard a chopper that had "
            "been hit by a rocket-propelled grenade.\n\n"
            "One longtime NBC employee who has worked with Williams on several occasions had a few dirty words to "
            "describe the celebrated anchor, calling him a \u201creal pompous piece of s\u2013t.\u201d\n\n"
            "\u201cOh, the fireworks that are going off inside,\u201d he said.")
    assert sides_where(cnlp, body, "fireworks") == {"NBC"}


def test_a_persons_colleagues_are_not_the_person(cnlp):
    # FNC-1 body 1507.
    body = ("On Wednesday, Williams, 55, acknowledged that he had repeatedly said he was aboard a chopper.\n\n"
            "Many of Williams\u2019 colleagues believe his claim that he simply \u201cconflated\u201d two versions "
            "of what happened in 2003.")
    assert not [c for c in claims_of(cnlp, body) if "colleagues" in c["text"] and "Williams" in (c["claimant"] or "")]


def test_a_passive_beliefs_subject_and_a_quoted_source(cnlp):
    # FNC-1 body 1854: the cheese is what is believed, Switzerland where it comes from; the
    # South Korean daily quotes a source, who speaks (and is not the cheese named before).
    body = ("Uncontrolled daily eating of Emmental, imported from Switzerland, is believed to be responsible for his "
            "rapid weight gain, the metro.co.uk reported.\n\n"
            "\"I heard that Kim Jong-un injured his right ankle in June after pushing ahead with on-site visits and "
            "ended up fracturing both ankles because he left the injury unattended,\" the South Korean daily Chosun "
            "Ilbo quoted a source as saying.")
    found = claims_of(cnlp, body)
    assert not [c for c in found if c["claimant"] in {"Emmental", "Switzerland"} or c["side"] in {"Switzerland", "South Korea"}]
    heard = [c for c in found if c["text"].startswith("\"I heard")]
    assert len(heard) == 1 and heard[0]["side"] is None and "source" in heard[0]["claimant"]



def test_a_title_is_no_party_name(cnlp):
    # FNC-1 body 2349: "Prime" is part of a title, not an untagged group.
    body = ("In an interview with MailOnline last month, the Prime Minister revealed how he personally watched videos "
            "of the brutal beheadings of British hostages carried out by Jihadi John.\n\n"
            "'These videos are absolutely horrific and depraved,' the Prime Minister said.")
    found = claims_of(cnlp, body)
    assert found and all(c["side"] != "Prime" for c in found)


def test_unnamed_authorities_are_sources_and_they_is_not_one_man(cnlp):
    # FNC-1 body 1109: "Federal authorities said" made no claim; "they" (the protesters) had
    # become the governor quoted last.
    body = ("State governor Angel Aguirre said some of the bodies could have been earlier victims of criminal gangs, "
            "and some of them seemed to have been buried \u201cmonths ago.\u201d\n\n"
            "Federal authorities said it wasn\u2019t clear whether Mondragon was involved with the student "
            "disappearances.\n\n"
            "The protests turned chaotic on Tuesday when demonstrators overtook state government buildings, ransacked "
            "offices and burned parts of the complex. On Tuesday, they took over bank branches and a local radio "
            "station and vowed to keep up the pressure on Guerrero\u2019s government until the missing students were "
            "found.")
    found = claims_of(cnlp, body)
    federal = [c for c in found if c["text"].startswith("Federal authorities")]
    assert federal and federal[0]["side"] is None and "authorities" in federal[0]["claimant"]
    assert not [c for c in found if "vowed" in c["text"] and c["claimant"] == "Angel Aguirre"]


FNC_1896 = (
    "Boko Haram has reportedly agreed to a cease-fire with the Nigerian military as well as the release of hundreds of "
    "schoolgirls who were abducted by the terrorist group earlier this year, officials said Friday.\n\n"
    "\"They've assured us they have the girls and they will release them,\" Nigerian presidential aide Hassan Tukur "
    "told the BBC. \"I am cautiously optimistic.\" The announcement of the release and cease-fire comes after a month "
    "of negotiations between the Nigerian government and Boko Haram.\n\n"
    "The little-known al Qaeda offshoot gained national attention in April when they abducted some 300 schoolgirls "
    "from a school in Chibok, northern Nigeria, to be sold as slaves.\n\n"
    "In August, Boko Haram declared an \u201cIslamic state\u201d in northeastern Nigeria, the Washington Post "
    "reported. Authorities believe the group is hiding the girls somewhere in that area.")


def test_unnamed_state_speakers_in_a_one_country_story_speak_for_it(cnlp):
    # FNC-1 body 1896: the article is about Nigeria and names no other country.
    found = [c for c in claims_of(cnlp, FNC_1896) if c["text"].startswith("Authorities believe")]
    assert found and {c["side"] for c in found} == {"Nigeria"}


def test_a_sentence_initial_capital_is_no_name(cnlp):
    # FNC-1 body 620: "Health" is capitalised because the sentence starts with it.
    body = ("Iraq has many problems. Ebola isn\u2019t one of them.\n\n"
            "Health officials said that simply isn\u2019t true.")
    assert all(c["side"] != "Health" for c in claims_of(cnlp, body))


def test_claims_deny_nothing(cnlp):
    # FNC-1 body 2330: the parser makes "claims" the subject of "denied"; the denier is the
    # agent named before the verb.
    body = ("Journeyman golfer Dan Olsen retracted claims Tiger Woods had been suspended by the PGA Tour for using "
            "performance-enhancing drugs after both the PGA Tour and Woods' agent, Mark Steinberg, vehemently denied "
            "the claims.")
    assert ("denial", "Tiger Woods") in types(claims_of(cnlp, body))


def test_a_group_in_a_relative_clause_is_an_unnamed_source(cnlp):
    # FNC-1 body 773.
    body = ("The prisoner swap, which occurred in May, drew ire from lawmakers who said the Obama administration broke "
            "federal law by not first informing Congress.")
    assert [c for c in claims_of(cnlp, body) if c["claimant"] == "lawmakers"]


def test_who_he_and_she_mean_after_quotes(cnlp):
    # FNC-1 body 214: the police spokesperson is not the villager quoted before, and "She"
    # is the HRW director whose quote no frame took (the model tags her ORG).
    body = ("Aamir Dhawan, 30, a local, said: \u201cNo one went to help the man because they could see his penis on "
            "the ground and knew this was punishment for a sex crime,\u201d according to the Daily Mirror.\n\n"
            "He added: \u201cWe have had a lot of intolerable offences against women in this country recently, and "
            "it\u2019s time it stopped.\u201d\n\n"
            "The Daily Mail reports a police spokesperson as saying: \u201cAs deplorable as these crimes are, law and "
            "order has to be maintained, and not lynch justice.\u201d\n\n"
            "Meenakshi Ganguly , South Asia Director at Human Rights Watch, wrote in the Hindustan Times in August that "
            "\u201cknee-jerk solutions like death penalty for rapists will not help end sexual violence against "
            "women.\u201d\n\n"
            "She added: \u201cInstead of hasty measures, the government should make a commitment to effective law "
            "enforcement.\u201d")
    found = claims_of(cnlp, body)
    police = [c for c in found if "police spokesperson" in c["text"]]
    assert police and all(c["claimant"] != "Aamir Dhawan" for c in police)
    she = [c for c in found if c["text"].startswith("She added")]
    assert she and {she[0]["claimant"], she[0]["side"]} & {"Meenakshi Ganguly", "Human Rights Watch"}


def test_friends_of_a_man_and_a_city_in_a_papers_name(cnlp):
    # FNC-1 body 939: the friends speak, not Emwazi; the Washington Post is no state.
    body = ("The \u201cJihadi John\u201d killer who has featured in several Islamic State beheading videos is "
            "Mohammed Emwazi, a Briton from a middle-class family who grew up in London, the BBC and the Washington "
            "Post newspaper reported Thursday.\n\n"
            "The Post quoted friends of Emwazi, who spoke on condition of anonymity, as saying they thought he had "
            "started to become radicalized after a planned safari in Tanzania.")
    found = claims_of(cnlp, body)
    assert found and all(c["side"] != "United States" and c["claimant"] != "Mohammed Emwazi" for c in found)


def test_listeners_wishes_and_unattributed_beliefs_make_no_claim(cnlp):
    # FNC-1 bodies 1205 and 1042: the owners were told (they did not speak); "we never
    # wanted the hype" denies no accusation; "the figure is believed to be" is nobody's.
    body = ("Owners Rob and Teresa Farndon were told there had been complaints of a noise nuisance and they needed "
            "to investigate Bernard\u2019s racket.\n\n"
            "Instead the figure is believed to be a few million dollars, but Mr. Islam declined to be more specific.\n\n"
            "\"The attention is not what we expected \u2013 we never wanted the hype. This was about friends trying to "
            "make something exciting together, \" Mr. Islam said in an exclusive CNBC interview.")
    found = claims_of(cnlp, body)
    assert not [c for c in found if c["claimant"] in {"Rob", "Rob and Teresa Farndon"} or c["claimant"] is None]
    assert [c for c in found if "Islam" in (c["claimant"] or "")] and not [c for c in found if c["claim_type"] == "denial"]


def test_naming_the_culprit_accuses_and_a_description_denies_nothing(cnlp):
    # FNC-1 body 472: an official names the killer (an allegation); "Western" is no party and
    # "the suspect believed to be" no speech. Body 2220: "An unverified audio recording" is
    # the writer's description, not a denial.
    body = ("A senior Western intelligence official told Fox News that 23-year-old London rapper Abdel Majed Abdel "
            "Bary is the suspect believed to be Foley's executioner.")
    found = claims_of(cnlp, body)
    assert [c for c in found if c["claim_type"] == "allegation"]
    assert all(c["side"] != "Western" and c["type_cue"] != "believed" for c in found)
    body = ("An unverified audio recording that may have captured the shooting of Michael Brown is being investigated "
            "by the FBI, according to a report.")
    assert not [c for c in claims_of(cnlp, body) if c["claim_type"] == "denial"]


def test_it_has_been_reported_is_nobodys_claim(cnlp):
    # FNC-1 body 1496: the quote finder gives "It" the country named before.
    body = ("According to newspapers in Argentina, 26-year-old Miss Sandoval realises later on that she is being "
            "filmed, but appears to do nothing about it.\n\n"
            "It has been reported that the pupil told the teacher he had deleted the footage, but instead he shared "
            "it with his friends on WhatsApp .")
    assert not [c for c in claims_of(cnlp, body) if c["text"].startswith(("It has been", "the pupil"))]


def test_they_in_a_relative_clause_and_a_second_conjunct(cnlp):
    # FNC-1 body 1934: "they" is the police of the main clause, not the witnesses quoted
    # before. Body 1776: CNN describes Fuentes, the second conjunct, not Klinger.
    body = ("Multiple witnesses have said that they saw Brown with his hands up in the air when he was shot.\n\n"
            "Police released footage on Aug. 15 that they said showed Brown robbing a convenience store for "
            "cigarillos.")
    police = [c for c in claims_of(cnlp, body) if c["text"].startswith("Police released")]
    assert police and "witnesses" not in police[0]["claimant"]
    body = ("Former LAPD officer David Klinger and CNN law enforcement analyst Tom Fuentes both told CNN\u2019s New "
            "Day Wednesday morning that the recording the network has been airing could quite easily be a hoax.\n\n"
            "\u201cI have no idea [if it's authentic],\u201d Klinger said.")
    klinger = [c for c in claims_of(cnlp, body) if c["claimant"] == "David Klinger"]
    assert klinger and all(c["side"] != "CNN" for c in klinger)


def test_investigating_an_alleged_breach_alleges_nothing(cnlp):
    # FNC-1 body 511.
    body = ("The Russian Interior Ministry's transport department in the Northwestern Federal District said it is "
            "currently investigating the alleged breach of security.")
    found = claims_of(cnlp, body)
    assert found and not [c for c in found if c["claim_type"] == "allegation"]




def test_i_in_a_quote_is_a_person_he_can_mean_next(cnlp):
    # FNC-1 body 1564 (paragraphs 3-7): "he said" after Fuentes' "I thought ..." is Fuentes,
    # not Klinger quoted before.
    body = ("\u201cI\u2019ve told your producers that for all I know this is something that one of Howard Stern\u2019s punk people have been doing \u2026 I don\u2019t have a high degree of confidence in it,\u201d Klinger said on CNN\u2019s \u201cNew Day.\u201d \u201cI look at this and my first inclination is that someone is trying to punk CNN.\u201d\n\nHe cited the fact that the clip emerged two weeks after the shooting as well as the curious words being voiced by a man in the audio as reasons why he doubted its authenticity, though he said he remains open to seeing whether an investigation finds it legitimate.\n\nA man\u2019s voice can be heard in the audio telling a woman, \u201cYou are pretty. You\u2019re so fine, just going over some of your videos. How could I forget?\u201d The context of the remarks is unclear, though purported gunshots can be heard in the background.\n\nAnd Klinger wasn\u2019t alone in his skepticism. Fuentes also said that he has qualms over the authenticity of the audio.\n\n\u201cWhen I heard this yesterday, I thought the exact same thing \u2014 it\u2019s a hoax, but maybe not. Maybe they\u2019ll be able to authenticate it,\u201d he said.")
    last = [c for c in claims_of(cnlp, body) if "authenticate" in c["text"]]
    assert last and all("Klinger" not in (c["claimant"] or "") for c in last)


def test_the_source_is_the_source_just_quoted_and_the_observatory_is_named_before(cnlp):
    # FNC-1 body 1079: "the source" is the well-placed source, whom the quote finder must not
    # rename. Body 495: "The Observatory" is the Syrian Observatory for Human Rights.
    body = ("U.S. intelligence officials are not commenting publicly on the reports, but a well-placed source told "
            "Fox News that Bary\u2019s Egyptian-born father was extradited from London to the United States in 2012 "
            "for his alleged connection to Usama bin Laden.\n\n"
            "Bary traveled to Syria last year to fight with ISIS, the source said.")
    found = [c for c in claims_of(cnlp, body) if c["text"].startswith("Bary traveled")]
    assert found and all("source" in c["claimant"] and c["side"] is None for c in found)
    body = ("According to the Syrian Observatory for Human Rights (SOHR), the militant group has Russian-made MiG 21 "
            "and 23 warplanes.\n\n"
            "The Observatory said the militants are being trained at the al Jarrah airbase on the eastern side of "
            "Aleppo.")
    found = [c for c in claims_of(cnlp, body) if c["text"].startswith("The Observatory")]
    assert found and all("Observatory" in (c["side"] or "") for c in found)


def test_a_chief_executive_speaks_for_the_firm_the_article_is_about(cnlp):
    # FNC-1 body 1808: "CEO Tim Cook", in an article that names Apple (and its Watch) throughout.
    body = ("We're just two months away from the Apple Watch launch and things still seem not to be set in stone. "
            "Some new features or misfeatures about Apple's first wearable foray are still coming in. For this "
            "round, the source is supposedly none other than CEO Tim Cook himself. Speaking to a crowd of Apple "
            "employees at a flagship store in Berlin, Cook was said to have given some good news for worried would "
            "be Apple Watch owners: the smartwatch is resistant enough to use in the shower.\n\n"
            "The one place that Tim Cook doesn't take his Apple Watch to is apparently his bed. The CEO admits that "
            "he does charge it every night. That's not surprising considering Apple itself said that the Apple "
            "Watch would have enough battery to last you a day.")
    cook = [c for c in claims_of(cnlp, body) if c["claimant"] == "Tim Cook"]
    assert cook and all(c["side"] == "Apple" for c in cook)


def test_each_party_of_a_coordinated_subject_makes_the_claim(cnlp):
    # FNC-1 body 431, and body 2330's first sentence, where the small parser hangs "both the PGA
    # Tour" on "agent".
    found = claims_of(cnlp, "Tiger Woods isn't golfing. He's taking some time off to rest, to heal, and to work on "
                            "his game. But according to one dude who probably doesn't know anything, it's all a "
                            "coverup, and Woods is actually serving a secret Tour suspension for a failed drug test. "
                            "Today, both the PGA Tour and Woods's agent flatly deny the claim.")
    assert {("denial", "PGA Tour"), ("denial", "Tiger Woods")} <= types(found)
    found = claims_of(cnlp, "Journeyman golfer Dan Olsen retracted claims Tiger Woods had been suspended by the PGA "
                            "Tour for using performance-enhancing drugs after both the PGA Tour and Woods' agent, "
                            "Mark Steinberg, vehemently denied the claims.")
    assert {("denial", "PGA Tour"), ("denial", "Tiger Woods")} <= types(found)
    # One name is one party: "the Islamic State of Iraq and Syria" is not also Syria (body 2168).
    found = claims_of(cnlp, "In a new video posted online, the Islamic State of Iraq and Syria (ISIS) claims it has "
                            "captured weapons and ammunition dropped by the U.S. military that was intended for "
                            "Kurdish forces defending an embattled Syrian city near the Turkish border.")
    assert found and all(c["side"] != "Syria" for c in found)


def test_the_second_of_two_parties_is_not_who_the_statement_means_next(cnlp):
    # Seed article 002: "Tuesday's statement" after "The United States and South Korea have
    # warned" is still North Korea's statement.
    body = ("North Korea said Tuesday that claims by the United States that Pyongyang is supplying artillery "
            "ammunition to Moscow for its war in Ukraine were groundless, state media KCNA reported.\n\n"
            "The United States and South Korea have warned that the North's repeated recent missile launches "
            "could culminate in a nuclear test.\n\n"
            "Tuesday's statement refuted allegations last week by White House national security spokesman John "
            "Kirby, who said the artillery from North Korea to Russia was coming under cover of shipments to the "
            "Middle East or Africa.")
    found = claims_of(cnlp, body)
    assert ("other", "South Korea") in types(found)
    refuted = [c for c in found if c["text"].startswith("Tuesday") and c["claim_type"] == "denial"]
    assert refuted and all(c["side"] == "North Korea" for c in refuted)


def test_a_statement_put_out_a_kin_and_an_unnamed_website(cnlp):
    # FNC-1 body 892: the ministry that released the statement claims; the sister of Luke
    # Somers is not Luke Somers, nor British because he is.
    body = ("The sister of British-born American photojournalist Luke Somers has said he has been killed in a "
            "failed rescue attempt in Yemen.\n\n"
            "Lucy Somers said: \"We ask that all of Luke's family members be allowed to mourn in peace.\"\n\n"
            "However, Yemen's defence ministry released a statement claiming that armed forces early on Saturday "
            "freed \"an American hostage\" being held by al-Qaeda and killed 10 members of the militant group "
            "holding him, Reuters reported.")
    found = claims_of(cnlp, body)
    sister = [c for c in found if c["text"].startswith("The sister")]
    assert sister and all(c["claimant"] != "Luke Somers" and c["side"] is None for c in sister)
    assert all("British-born" in c["claimant"] for c in sister)  # the text's own spacing
    statement = [c for c in found if "freed" in c["text"]]
    assert statement and all(c["side"] == "Yemen" for c in statement)
    # FNC-1 body 512: "The website" is some site the model did not tag, not the awards named last.
    body = ("As per the report, Abrams made the announcement at the 2015 Visual Effects Society Awards that was "
            "held on 4 February.\n\n"
            "The website also stated that Disney has taken the request seriously and is looking for a possible "
            "release date for \"Star Wars: The Force Awakens\" in summer.")
    site = [c for c in claims_of(cnlp, body) if "Disney has taken" in c["text"]]
    assert site and all("Awards" not in (c["claimant"] or "") and c["side"] is None for c in site)


def test_what_the_speakers_have_not_received_denies_nothing(cnlp):
    # FNC-1 body 269: a family's plea, not a denial of any deed.
    body = ("Haines\u2019 relatives pleaded Saturday with ISIS to \u201cmake contact\u201d and respond to their messages, "
            "NBC News reported. \u201cWe are the family of David Haines,\u201d the relatives said in a statement. "
            "\u201cWe have sent messages to you to which we have not received a reply. We are asking those holding "
            "David to make contact with us.\u201d")
    found = claims_of(cnlp, body)
    assert found and not [c for c in found if c["claim_type"] == "denial"]


def test_an_age_in_an_unnamed_speakers_phrase_is_no_name(cnlp):
    # FNC-1 body 1897: the quote finder ties "A 104-year-old woman" to Nevada, named in the
    # paragraph before; her age is no name, so she is an unnamed source.
    body = ("A Nevada lawmaker proposed a bill that grants pets access to medical marijuana Democrat Tick "
            "Segerblom, a Nevada lawmaker, proposed a bill in state legislature Tuesday that would allow for the "
            "access of medical marijuana for pets.\n\n"
            "A 104-year-old woman is claiming Dr. Pepper is what has kept her alive for so long")
    found = [c for c in claims_of(cnlp, body) if "Dr. Pepper" in c["text"]]
    assert found and all(c["side"] is None and "woman" in (c["claimant"] or "") for c in found)


def test_an_outlets_own_story_of_anothers_deed_is_its_allegation(cnlp):
    # FNC-1 body 1240: Bloomberg News is no party when only cited, but the deed it reports is
    # its allegation.
    found = claims_of(cnlp, "Google paid $585 million for six office buildings in Redwood City from two private "
                            "investment firms.\nGoogle reportedly bought the properties at the waterfront Pacific "
                            "Shores Center office park from Starwood Capital Group and Blackstone Group, according to "
                            "Bloomberg News.")
    assert ("allegation", "Bloomberg News") in types(found)
    # Body 502: what a still shows is no story told.
    found = claims_of(cnlp, "A CBC News still shows Vickers holding the gun and walking through the House of "
                            "Commons' moments after taking down the assailant.")
    assert ("allegation", "CBC News") not in types(found)


def test_a_name_in_a_relative_clause_of_the_speakers_phrase_is_not_the_speaker(cnlp):
    # FNC-1 body 1806: "where Michael lives" tells where the tipster is, not who speaks.
    found = claims_of(cnlp, "Our tipster in the Canton area of Batlimore, where Michael lives, claims he is "
                            "involved with Chandler, a Washington, D.C. resident, on the down-low.")
    assert found and all(c["claimant"] != "Michael" and c["side"] is None for c in found)
    assert any("tipster" in (c["claimant"] or "") for c in found)


def test_a_sighting_and_a_quoted_name_are_no_statements(cnlp):
    # FNC-1 body 1806: "was seen coming out" is what somebody saw, and "writing to "Michael""
    # quotes a name, not what she wrote.
    body = ("Our tipster in the Canton area of Batlimore, where Michael lives, claims he is involved with "
            "Chandler.\n\n"
            "Calling and texting and crying at times, she was writing to \"Michael\" and she said she was in town "
            "from Washington for business in crisis management.\n\n"
            "She did not seem like she was there on business, however, and was later seen coming out of Michael "
            "Phelps' place crying as he put her into a car.")
    assert not [c for c in claims_of(cnlp, body) if c["type_cue"] in {"writing", "seen"}]


def test_some_sources_are_somebody_new(cnlp):
    # FNC-1 body 1569: "Some sources" are not the U.S. officials quoted before.
    body = ("JUST IN: U.S. officials tell CBS News the name of the dead Ottawa shooting suspect is Michael "
            "Zehaf-Bibeau, a Canadian born in 1982.\n\n"
            "Police have said the male suspect in the shooting is dead, but did not reveal if it was Zehaf-Bibeau, "
            "Reuters reported. Some sources claimed he was born Michael Joseph Hall but changed his name to "
            "Zehaf-Bibeau after converting to Islam.")
    found = [c for c in claims_of(cnlp, body) if "Joseph Hall" in c["text"]]
    assert found and all(c["side"] is None and c["claimant"] == "some sources" for c in found)


def test_a_papers_country_is_not_its_side(cnlp):
    # FNC-1 body 1569: "the U.K.'s Daily Mail" is a paper, not Britain's voice; state media are.
    body = ("Police are searching for the gunman.\n\n"
            "The alleged shooter had a criminal history for drug trafficking in Montreal and robbery in Vancouver, "
            "the U.K.'s Daily Mail said.\n\n"
            "South Korea's Yonhap news agency said North Korea fired two missiles.")
    found = claims_of(cnlp, body)
    assert "United Kingdom" not in {c["side"] for c in found}
    assert ("allegation", "Yonhap news agency") in types(found)
    found = claims_of(cnlp, "North Korea's state media KCNA said the United States staged the attack.")
    assert {c["side"] for c in found} == {"North Korea"}


def test_one_of_a_mans_neighbours_is_not_him(cnlp):
    # FNC-1 body 1198: "One of Emwazi's neighbours" speaks, unnamed; Emwazi does not.
    found = claims_of(cnlp, "One of Emwazi\u2019s neighbours in Queen\u2019s Park, who identified himself only as "
                            "Abdullah, told reporters that the family seemed very normal.")
    assert found and all(c["side"] is None and "neighbours" in c["claimant"] for c in found)


def test_speaking_of_rumours_is_no_denial_but_calling_or_quashing_them_is(cnlp):
    # FNC-1 body 2506: outlets reporting "strong rumors" allege; they deny nothing.
    found = claims_of(cnlp, "By 8 p.m., media outlets around Latin America were reporting \u201cstrong rumors\u201d "
                            "about Castro\u2019s death and the alleged forthcoming announcement by Cuban officials.")
    assert found and not [c for c in found if c["claim_type"] == "denial"]
    # Body 40 and body 724: naming a story a rumour, or putting the rumours to rest, denies it.
    assert finds_type(cnlp, "\"That is rumors, fabricated rumors,\" So said about Kim's alleged ailment.", "denial")
    assert finds_type(cnlp, "Finally, though, Durex put the rumors to rest: an unnamed company spokesperson told "
                            "BuzzFeed the company had nothing to do with it.", "denial")


def test_a_spokesman_is_not_the_witness_quoted_before(cnlp):
    # FNC-1 body 1709: an unnamed witness, then an unnamed (police) spokesman.
    body = ("A witness said: \"No one went to help the man because they could see his penis on the ground and "
            "knew this was punishment for a sex crime.\"\n\n"
            "But the police have called for those responsible to come forward.\n\n"
            "A spokesman said: \"People cannot take the law into your own hands.\"")
    found = [c for c in claims_of(cnlp, body) if "law into" in c["text"]]
    assert found and all(c["claimant"] != "a witness" for c in found)


def test_a_paper_that_disputes_and_a_ministry_statement_a_paper_carries(cnlp):
    # FNC-1 body 2295: a newspaper that disputes another outlet's account denies it, as itself.
    found = claims_of(cnlp, "Press TV's account of the crash has been somewhat disputed by Turkish newspaper "
                            "Hurriyet Daily News, however, who said the vehicle involved was a cement mixer.")
    assert ("denial", "Hurriyet Daily News") in types(found)
    # Body 1988: the ministry's statement speaks for Yemen; Reuters only carries it.
    found = claims_of(cnlp, "The claim nonetheless seemed to contradict a statement on the Yemen defense ministry's "
                            "website carried by Reuters that suggested Luke Somers had been freed following a "
                            "suspected U.S. drone strike Saturday in Yemen.")
    assert {c["side"] for c in found} == {"Yemen"}


def test_calling_somebody_out_is_no_claim(cnlp):
    # FNC-1 body 345.
    found = claims_of(cnlp, "An eggnog-chugging contest was getting started, and one of Roche's colleagues called "
                            "him out to compete.")
    assert found == []


def test_the_accused_and_what_is_believed_of_them_are_no_speakers(cnlp):
    # FNC-1 body 702: "accused of handing the students over" names the accused, not an accuser;
    # "The officers are believed to have been working for a drugs gang" has no believer named.
    found = claims_of(cnlp, "Mr Karam said 14 more police officers had been arrested, accused of handing the "
                            "students over to a drugs gang.")
    assert found and all("officers" not in (c["claimant"] or "") for c in found)
    found = claims_of(cnlp, "The officers are believed to have been working for a drugs gang, known as the "
                            "Guerreros Unidos.")
    assert found == []


def test_a_correspondent_speaks_for_the_outlet_not_the_country_of_the_beat(cnlp):
    # FNC-1 body 702.
    body = ("Mexico's attorney general says DNA tests have shown that 28 bodies found in a mass grave are not "
            "those of a missing group of students.\n\n"
            "Will Grant, the BBC's Mexico correspondent, says confirmation the missing students were not found "
            "in mass graves will give their families renewed hope.")
    assert sides_where(cnlp, body, "Grant") == {"BBC"}


def test_a_ministry_spokesman_in_a_one_country_story_and_the_writers_nothing_to_suggest(cnlp):
    # FNC-1 body 1457 (its last paragraph, with the country it names three times).
    body = ("A gunman has been shot dead near the Canadian parliament in Ottawa today.\n\n"
            "It comes two days after an Islamic convert ran down two Canadian soldiers, killing one near Montreal. "
            "Following the incident the threat level in Canada was raised from low to medium. Ministry spokesman "
            "Jean-Christophe de Le Rue said the raised terror level signified \"intelligence has indicated that an "
            "individual or group within Canada or abroad has the intent and capability to commit an act of "
            "terrorism\". However, there is nothing to suggest the latest incident in Ottawa is terror related.")
    found = claims_of(cnlp, body)
    assert ("other", "Canada") in {(c["claim_type"], c["side"]) for c in found if "de Le Rue" in c["text"]}
    assert not [c for c in found if "nothing to suggest" in c["text"] or c["text"].startswith("the latest")]


def test_a_thing_the_parser_lends_a_report_verb_is_no_speaker(cnlp):
    # FNC-1 body 1457: "local TV" is lost in the parse; "the area" does not speak.
    found = claims_of(cnlp, "The area was placed in lockdown and local TV reported that more shots had been heard "
                            "before the gunman was killed.")
    assert not [c for c in found if "area" in (c["claimant"] or "")]


def test_a_wrong_laid_at_somebodys_door_accuses(cnlp):
    # FNC-1 body 908; body 1589: "it had committed torture and rape".
    assert finds_type(cnlp, "The UN said: \"In using children below the age of 15, the group has committed a war "
                            "crime.\"", "allegation")
    body = ("President Barack Obama spoke on Wednesday.\n\n"
            "He said it had committed torture and rape against innocent women and children and continued to enslave "
            "those they did not kill.")
    assert "allegation" in {c["claim_type"] for c in claims_of(cnlp, body) if c["claimant"] == "Barack Obama"}
    # Body 1097: the murdered man owns his murder; body 1346: those who did it are nobody accused.
    assert not finds_type(cnlp, "Ed Vaizey, a government minister and Conservative MP, said he was \u201cso sad and "
                                "angry\u201d to hear reports of Mr Haines\u2019s murder.", "allegation")
    assert not finds_type(cnlp, "A spokeswoman for the British Embassy in Washington said: \"Our prime minister has "
                                "been clear that we want all those who have committed murder on behalf of ISIL to "
                                "face justice.\"", "allegation")



def test_a_faith_is_no_side_and_a_liar_is_denied(cnlp):
    # FNC-1 body 11: "a Catholic priest in America" speaks for nobody named.
    found = claims_of(cnlp, "But now, a Catholic priest in America has apparently claimed that God is female, after "
                            "he officially died for 48 minutes following a massive heart attack.")
    assert found and all(c["side"] is None and "priest" in c["claimant"] for c in found)
    # Body 1890: calling a congressman a liar rejects what he said; "he" is not "federal officials".
    found = claims_of(cnlp, "Federal officials have called a sitting U.S. Representative a liar after he went on "
                            "national television claiming ISIS militants were crossing into the country through the "
                            "Mexican border.")
    assert "denial" in {c["claim_type"] for c in found if c["claimant"] == "federal officials"}
    assert not [c for c in found if "ISIS militants" in c["text"] and c["claimant"] == "federal officials"]


def test_a_spokesperson_with_no_body_named_speaks_for_the_body_named_last(cnlp):
    # FNC-1 body 1890.
    body = ("The Department of Homeland Security told AOL News that Rep. Duncan Hunter (R-CA) was telling a tale "
            "Tuesday afternoon when he told Fox News that insurgents were traversing the Texas border.\n\n"
            "\"The suggestion that individuals who have ties to ISIL have been apprehended at the Southwest border "
            "is categorically false, and not supported by any credible intelligence or the facts on the ground,\" "
            "spokesperson Marsha Catron told AOL.")
    found = [c for c in claims_of(cnlp, body) if "Catron" in c["text"]]
    assert found and {(c["claim_type"], c["side"]) for c in found} == {("denial", "United States")}


def test_naming_who_the_killer_is_accuses_and_quoted_friends_are_they(cnlp):
    # FNC-1 body 939.
    body = ("The \u201cJihadi John\u201d killer who has featured in several Islamic State beheading videos is Mohammed "
            "Emwazi, a Briton from a middle-class family who grew up in London, the BBC and the Washington Post "
            "newspaper reported Thursday.\n\n"
            "The Post quoted friends of Emwazi, who spoke on condition of anonymity, as saying they thought he had "
            "started to become radicalized after a planned safari in Tanzania following his graduation from the "
            "University of Westminster in London. They said Emwazi and two friends never made it to the safari.")
    found = claims_of(cnlp, body)
    assert ("allegation", "BBC") in types(found)
    assert {c["claimant"] for c in found if c["text"].startswith(("They said", "Emwazi and two"))} == {"friends of Emwazi"}


def test_the_listener_is_no_target_and_what_is_yet_to_be_said_is_no_claim(cnlp):
    # FNC-1 body 2421: the Journal only listens; Apple is what the claim is about.
    found = claims_of(cnlp, "Sources told the Wall Street Journal that Apple has been studying platinum casings.")
    assert [c["target"] for c in found if c["claim_type"] == "allegation"] == ["Apple"]
    # Body 2240.
    found = claims_of(cnlp, "With his new outlook, the Roman Catholic Archdiocese of Boston is yet to confirm if "
                            "Father O'neal will be permitted to resume preaching in his former parish.")
    assert found == []


def test_a_defecting_army_an_observatory_and_its_head_and_not_aware_of(cnlp):
    # FNC-1 body 495.
    body = ("According to the Syrian Observatory for Human Rights (SOHR), the militant group has Russian-made MiG 21 "
            "and 23 warplanes.\n\n"
            "Rami Abdulrahman, who runs the SOHR, said officers from the Iraqi army who had defected to Islamic State "
            "(IS) had \"overseen the training of some militants in order to be able to lead these aircraft\".\n\n"
            "The SOHR said it could not confirm if the Islamic State had any access to missiles.\n\n"
            "\"We're not aware of (Islamic State) conducting any flight operations in Syria or elsewhere,\" US "
            "Central Command spokesman Colonel Patrick Ryder said.")
    found = claims_of(cnlp, body)
    assert ("allegation", "Syrian Observatory for Human Rights") in types(found)
    assert {c["side"] for c in found if "SOHR said" in c["text"]} == {"Syrian Observatory for Human Rights"}
    assert ("denial", "United States") in types(found)


def test_defined_acronyms():
    from flows.entities import defined_acronyms

    found = defined_acronyms("According to the Syrian Observatory for Human Rights (SOHR), the Islamic State (IS) "
                             "has jets, said the World Health Organization (WHO) and Human Rights Watch (AP).")
    assert found == {"SOHR": "Syrian Observatory for Human Rights", "IS": "Islamic State",
                     "WHO": "World Health Organization"}


def test_a_hyphenated_speaker_and_responsibility_that_lies_with_somebody(cnlp):
    # FNC-1 body 500: "al-Bredi" is one name; where responsibility "lies" is blame, not a lie.
    body = ("Iraqi Member of Parliament Ali al-Bredi has claimed that Islamic State (IS) militants are using Chlorine "
            "gas against Iraqi soldiers in Fallujah.\n\n"
            "In a press conference on Monday, al-Bredi revealed that IS have killed 300 Iraqi soldiers with chlorine "
            "gas.\n\n"
            "\u201cResponsibility for this lies with Iraqi PM Haidar Abadi and the commander of the forces in Anbar as "
            "they failed to rescue the  soldiers,\u201d said al-Bredi.")
    found = claims_of(cnlp, body)
    assert {c["claimant"] for c in found} == {"Ali al-Bredi"}
    assert [c["claim_type"] for c in found if "Responsibility" in c["text"]] == ["allegation"]


def test_blame_on_a_thing_another_mans_ignorance_and_a_dish_are_no_charges(cnlp):
    # All-bodies diff of this session's rules: FNC-1 bodies 1560, 1342 and 156.
    found = claims_of(cnlp, "Oliver Ilic, 22, was told that he was no good in bed so he allegedly mutilated himself "
                            "then threw the remains away, Metro reports.\n\nThe man told doctors he believes his small "
                            "penis was to blame for the split.")
    assert not [c for c in found if "to blame" in c["text"] and c["claim_type"] == "allegation"]
    assert not finds_type(cnlp, "In the dark: Chandler said her new man Phelps (above) was not aware of her past, "
                                "though there's no actual proof that the two were ever an official item", "denial")
    assert not finds_type(cnlp, "Doctors believe some of the uncooked Japanese delicacy of raw meat or fish must "
                                "have become contaminated.", "allegation")
    # Body 1341: the command says it knows of no such flights.
    assert finds_type(cnlp, "Reuters was not immediately able to verify the report and U.S. Central Command said it "
                            "was not aware of Islamic State flying jets in Syria.", "denial")


def test_saying_one_did_not_do_it_and_that_a_figure_is_not_accurate_deny(cnlp):
    # FNC-1 body 1563.
    body = ("Mohammed Islam, the 17-year-old whose profile has circulated across the nation, says he did not make "
            "$72 million from trading stocks.\n\n"
            "Islam, a high school student at Stuyvesant in New York City, was profiled by the New Yorker, which claimed "
            "that he made $72 million from the market.\n\n"
            "But Islam told CNBC that the figure is not accurate, although he declined to be more specific other than "
            "saying it\u2019s closer to a few million dollars.")
    found = claims_of(cnlp, body)
    assert [c["claim_type"] for c in found if c["claimant"] == "Mohammed Islam"] == ["denial", "denial"]
    assert ("allegation", "New Yorker") in types(found)


def test_a_rumour_a_student_and_a_us_state_abbreviation(cnlp):
    # FNC-1 body 362: "N.C." is North Carolina, not New Caledonia; "A recent rumor" is nobody's
    # side; "the university" is the one named before; a student does not speak for her school.
    body = ("ELON, N.C. \u2013 A recent rumor claims that Elon University has banned the term \u201cfreshman\u201d "
            "because it\u2019s sexist. But the rumor is not true, according to the university.\n\n"
            "A junior student at Elon University recently wrote an article for the College Fix, a website for "
            "students, claiming the school dropped the term and replaced it with \u201cfirst year.\u201d")
    found = claims_of(cnlp, body)
    assert ("allegation", None) in types(found) and ("denial", "Elon University") in types(found)
    assert "New Caledonia" not in {c["side"] for c in found}
    assert {c["side"] for c in found if "junior student" in c["text"]} == {None}


def test_a_war_that_claimed_lives_and_a_papers_report_of_a_named_deed(cnlp):
    # FNC-1 body 2174: claiming lives is no speech.
    found = claims_of(cnlp, "European countries have been observing the centenary of the war this weekend, which "
                            "claimed some 16 million lives, both soldiers and civilians.")
    assert found == []
    # Body 472: what a paper reports that MI5 did is the paper's allegation (MI5 is untagged, all caps).
    found = claims_of(cnlp, "The Sunday Times reported that MI5 and MI6, Britain's two major intelligence agencies, "
                            "had identified the man who did the brutal deed, though he had not been publicly "
                            "identified.")
    assert ("allegation", "Sunday Times") in types(found)


def test_what_others_or_things_did_not_do_and_what_one_did_not_have_deny_nothing(cnlp):
    # All-bodies diff of the "says he did not make" rule: FNC-1 bodies 1107, 1790, 0 and 1115.
    for sentence in ("American officials said they were looking into the report, and the White House said it did "
                     "not have immediate comment.",
                     "Ineter scientist Jose Millan said that \"we need to celebrate the fact that it fell in an area "
                     "where, thank God, it didn't cause any danger to the population.\"",
                     "Local residents reported hearing a loud boom Saturday night, but said they didn't see "
                     "anything strange in the sky.",
                     "The SOHR said it did not know whether the planes were armed with missiles."):
        assert not finds_type(cnlp, sentence, "denial"), sentence


def test_a_hedged_identity_a_former_hostage_and_an_inquiry_not_done(cnlp):
    # FNC-1 body 29.
    body = ("Abdel-Majed Abdel Bary, 24, a former West London rapper who performed under the name L Jinny, is allegedly "
            "one of three British jihadists identified as possibly being the masked murderer known as \u201cJohn the "
            "Beatle,\u201d according to the Daily Mail.\n\n"
            "A former hostage held by ISIS said Bary is one of several jihadists nicknamed \u201cThe Beatles\u201d "
            "because of their British accents.\n\n"
            "\"We have not identified who the man in the video is at this time,\" a representative from Scotland Yard "
            "told Billboard.")
    found = claims_of(cnlp, body)
    assert ("allegation", "Daily Mail") in types(found)
    assert [c["claimant"] for c in found if "former hostage" in c["text"]] == ["a former hostage"]
    assert [c["claim_type"] for c in found if "Scotland Yard" in c["text"]] == ["other"]


def test_what_a_picture_shows_is_no_statement(cnlp):
    # FNC-1 body 1384: "shown in the picture" is a participle, nobody speaking.
    found = claims_of(cnlp, "The expos\u00e9, shown in the picture, displays a 'Top App list worker' in their work "
                            "place, which features a simple shelf containing hundreds of iPhone 5Cs.")
    assert not [c for c in found if c["type_cue"] in {"shown", "displays", "features"}]


def test_no_group_a_team_that_responds_and_claiming_responsibility(cnlp):
    # FNC-1 body 1866.
    assert claims_of(cnlp, "No group, Islamic or otherwise, claimed responsibility for either the attack in Ottawa or "
                           "the one near Montreal on Monday.") == []
    assert claims_of(cnlp, "A Royal Canadian Mounted Police intervention team responds to the shooting at the "
                           "Parliament building in Ottawa.") == []
    # Claiming one's own deed accuses nobody else (the guideline's "other").
    found = claims_of(cnlp, "The Islamic State group claimed responsibility for the attack on Friday.")
    assert {c["claim_type"] for c in found} == {"other"}


def test_whoever_publishes_a_story_claiming_makes_its_claim(cnlp):
    # FNC-1 bodies 1936, 506 and 514: the publisher, not "a story", claims; an outlet speaks for itself.
    for sentence, outlet in (
            ("On Saturday, the site Empire News posted a story claiming that the Boston Marathon bombing suspect was "
             "found lying in a pool of blood in his cell in Ft. Devens Detention Center in Massachusetts.", "Empire News"),
            ("The latest major hoax, 'Days of darkness' has finally been dispelled after satirical news site "
             "Huzlers.com wrote a story claiming that the world would be plunged into six days without light during "
             "December.", "Huzlers.com"),
            ("Origins: On 9 February 2015, the entertainment website Adobo Chronicles published an article claiming "
             "that rapper Kanye West had been barred from all future award shows.", "Adobo Chronicles")):
        assert ("allegation", outlet) in types(claims_of(cnlp, sentence)), sentence


def test_a_report_inside_what_an_article_says_is_the_articles(cnlp):
    # FNC-1 body 17: NASA confirmed nothing; the article says it did.
    found = claims_of(cnlp, "An article saying NASA confirmed six days of \u201ctotal darkness\u201d in December is "
                            "fake and it\u2019s merely an iteration of an old Internet hoax.")
    assert found and not [c for c in found if c["claimant"] == "NASA"]
    # Body 2130: a clause the parser hangs on a later speaker is no nesting.
    found = claims_of(cnlp, "(A Financial Times report says Smith won $1 million; both the FT and New York Times say "
                            "there were about 30 people eating on Smith\u2019s dime.)")
    assert ("allegation", "Financial Times") in types(found)


def test_people_who_study_a_country_do_not_speak_for_it(cnlp):
    # FNC-1 bodies 117 and 582.
    assert sides_where(cnlp, "Some Pyongyang watchers also suggest that Kim may have been sidelined in a power "
                             "struggle.", "sidelined") == {None}
    assert "North Korea" not in sides_where(cnlp, "North Korea expert Jenny Town said she believed the country has "
                                                  "\u201cwarmed\u201d to Scotland in recent months.", "warmed")


def test_no_indications_allege_nothing(cnlp):
    # FNC-1 body 2159.
    assert not finds_type(cnlp, "\"There are no indications that they are a risk right now,\u201d another defense "
                                "official said.", "allegation")


def test_a_relative_pronoun_the_parser_left_unattached_is_the_noun_before(cnlp):
    # FNC-1 body 117: "that said" is the North Korean TV report's, not the U.S. official's quoted before.
    body = ("A U.S. official following North Korea said this week there were no indications he was seriously ill.\n\n"
            "Speculation that Kim's unusually long absence from public view may be due to ill health was fuelled by a "
            "North Korean TV report late last month that said he was suffering from 'discomfort'.")
    assert sides_where(cnlp, body, "discomfort") == {"North Korea"}


def test_a_detective_speaks_for_his_police_department(cnlp):
    # FNC-1 body 1545: "Det." is no sentence end, and a town's police is a side of its own.
    found = claims_of(cnlp, "\u201cThe apartment was exceptionally clean and we found no signs of abuse or foul-play,"
                            "\u201d said Det. James Patterson, of the Manhattan Police Department.")
    assert [(c["claimant"], c["side"]) for c in found] == [("James Patterson", "Manhattan Police Department")]


def test_a_papers_anonymous_source_speaks_for_nobody_named(cnlp):
    # FNC-1 bodies 10 and 1492: the source is kept (it had been dropped as an outlet), with no side.
    assert sides_where(cnlp, "But the Post's sources now say an ad-supported version is definitely happening.",
                       "ad-supported") == {None}
    assert sides_where(cnlp, "\u201cBranson tried to pull out all of the stops,\u201d claimed the Mirror\u2019s source, "
                             "who claimed it was enough to convince Page.", "Branson") == {None}


def test_a_town_police_spokesman_is_no_bare_title(cnlp):
    # FNC-1 body 1528: "Detroit police" names his body; not the film studio named before.
    body = ("Reports began to surface online that the iconic vehicle had gone missing, presumed pinched from the Warner "
            "Brother's set two weeks ago.\n\n"
            "Detroit police spokesman Sgt. Michael Woody said the force had spoken with the producers of the movie to "
            "confirm all was well.")
    found = [c for c in claims_of(cnlp, body) if "producers" in c["text"]]
    assert [c["claimant"] for c in found] == ["Michael Woody"]
    assert not any("Warner" in (c["side"] or "") for c in found)


def test_locals_an_event_that_saw_and_a_spokesman_after_local_reports(cnlp):
    # FNC-1 body 1334.
    body = ("Locals say such scraps go ignored because there is an acceptance that love cheats are deserving of a "
            "beating.\n\n"
            "Local reports say the sickening attack was carried out by the scorned wife of the man Lin is accused of "
            "sleeping with and her three friends.\n\n"
            "Last month's attack in Jinan city, in Eastern China's Shandong Province, saw three women caught on camera "
            "attacking an alleged mistress.\n\n"
            "A police spokesman declined to comment, saying they had not received any complaint from any of those "
            "involved.")
    found = claims_of(cnlp, body)
    assert [c["side"] for c in found if "scraps" in c["text"]] == [None]
    assert not [c for c in found if "Jinan" in c["text"]]
    assert [c["claimant"] for c in found if "declined" in c["text"]] == ["a police spokesman"]


def test_hopes_and_feelings_are_no_deeds(cnlp):
    # FNC-1 body 2293 ("hoping" has the lemma "hop" in the small model).
    assert not finds_type(cnlp, "Thomas told NT News: \u201cIt takes a lot to deter me, but I do feel violated.\u201d",
                          "allegation")
    found = claims_of(cnlp, "The Bunbury Mail said Thomas was now hoping his friends would help him raise enough "
                            "money for a Spider-Man tattoo on his chest.")
    assert not [c for c in found if c["claim_type"] == "allegation"]


def test_where_somebody_comes_from_is_no_side_and_the_21_year_old_is_the_man_named(cnlp):
    # FNC-1 body 2293.
    body = ("Medical staff at Bali International Medical Centre said the spider had burrowed itself into Dylan "
            "Thomas\u2019s skin through a scar.\n\n"
            "The 21-year-old, from Bunbury, Western Australia, told NT News he woke up on Saturday morning to find a "
            "2-inch red trail rising up from his stomach.")
    found = [c for c in claims_of(cnlp, body) if "red trail" in c["text"]]
    assert [(c["claimant"], c["side"]) for c in found] == [("Dylan Thomas", "Dylan Thomas")]


def test_an_untagged_firm_on_a_spokespersons_title(cnlp):
    # FNC-1 body 2178.
    assert sides_where(cnlp, "\"This story is wildly inaccurate,\" Comcast spokesperson Charlie Douglas told Ars.",
                       "inaccurate") == {"Comcast"}


def test_rumours_that_exist_a_price_declined_and_the_writers_hard_to_say(cnlp):
    # FNC-1 bodies 1772, 643 and 660.
    assert not finds_type(cnlp, "Over at Forbes, Eric Savitz notes that this isn\u2019t the first time that there have "
                                "been rumors about Amazon opening a chain of stores.", "denial")
    assert claims_of(cnlp, "Apple has declined to state a price of the Apple Watch Edition.") == []
    assert claims_of(cnlp, "Given that both websites have been pretty reliable, it\u2019s hard to say who\u2019s "
                           "right.") == []
    # "according to some": a crowd, which the guideline does not count (body 1531)
    assert claims_of(cnlp, "But the whole thing could have been caused by a different organism or be a complete "
                           "fake, according to some.") == []


def test_the_appositive_of_a_name_is_who_claims(cnlp):
    # FNC-1 body 643.
    found = claims_of(cnlp, "This is according Chad Rickicki, a watch expert who claims that the 18-karat gold Apple "
                            "Watch would cost $600 just for the case.")
    assert [c["claimant"] for c in found] == ["Chad Rickicki"]


def test_where_an_outlet_or_a_group_is_from_is_not_its_side(cnlp):
    # FNC-1 bodies 660 and 726.
    assert sides_where(cnlp, "That being said, a report from French Apple website iGen (via AppleInsider) claims to "
                             "have heard from their sources that this event could be held on the 24th of February.",
                       "24th") == {"iGen"}
    assert sides_where(cnlp, "The Iraqi group ISIS said in the video that Sotloff would be next.", "Sotloff") == {"ISIS"}
    assert "Iraq" not in {c["side"] for c in claims_of(cnlp, "Iraqi militants said they had seized the town.")}


def test_a_cited_ministry_speaks_and_a_second_verb_is_no_nested_report(cnlp):
    # FNC-1 body 1522.
    assert sides_where(cnlp, "Al Arabiya cited the Iraqi Defense Ministry saying Baghdadi\u2019s aide had been killed.",
                       "aide") == {"Iraq"}
    found = claims_of(cnlp, "Pentagon Spokesman Col. Steve Warren could not confirm the deaths and said ISIS leaders "
                            "had not been targeted.")
    assert [c["claimant"] for c in found] == ["Steve Warren"]


def test_one_local_is_nobody_named(cnlp):
    # FNC-1 body 56: a counted speaker keeps no capital that would make it a name, or a side.
    found = claims_of(cnlp, "One local said: \"No one went to help the man because they could see his penis on the "
                            "ground and knew this was punishment for a sex crime,\" the Daily Mirror reports.")
    assert [(c["claimant"], c["side"]) for c in found] == [("one local", None)]


def test_they_in_a_relative_clause_of_a_threat_are_the_main_subject(cnlp):
    # FNC-1 body 2495: not Foley, quoted just before.
    body = ("In a speech, Foley blames Obama for his impending death.\n\n"
            "At the end of the video, ISIS militants parade another captive journalist, Steven Sotloff, who they "
            "threaten will be the next victim if the U.S. government's policy toward the militant group doesn't "
            "change.")
    assert [c["claimant"] for c in claims_of(cnlp, body) if "threaten" in c["text"]] == ["ISIS"]


def test_the_company_is_the_maker_and_another_report_is_nobody_quoted_before(cnlp):
    # FNC-1 body 722.
    body = ("When Tim Cook finally announced the long-awaited Apple Watch on September 9, the company promised an "
            "\u201cearly 2015\u201d release.\n\n"
            "The software itself is still in development, and Apple\u2019s in good shape.\n\n"
            "Another report from Asia this week claims that production on the Apple Watch isn\u2019t set to start at "
            "manufacturing partner Quanta until sometime in January.\n\n"
            "In fact, considering that Motorola promised the Moto 360 smartwatch by \u201csummer 2014,\u201d and didn\u2019t "
            "launch it until early September, it would seem that OEMs are pretty loose about their definitions.")
    found = claims_of(cnlp, body)
    assert [c["claimant"] for c in found if "early 2015" in c["text"]] == ["Apple"]
    assert [c["side"] for c in found if "Quanta" in c["text"]] == [None]
    assert not [c for c in found if c["type_cue"] and "considering" in c["type_cue"]]


def test_who_is_given_a_link_does_not_claim_what_it_says(cnlp):
    # FNC-1 body 1890.
    found = claims_of(cnlp, "When offered the opportunity to respond to DHS comments, a spokesperson for Rep Hunter "
                            "provided AOL News a link to a blog claiming sources told it four ISIS terrorists have "
                            "recently been arrested at the border.")
    assert found and "AOL News" not in {c["claimant"] for c in found} | {c["side"] for c in found}


def test_what_a_speaker_says_fighters_did_accuses_them(cnlp):
    # FNC-1 body 500.
    body = ("Iraqi Member of Parliament Ali al-Bredi has claimed that Islamic State (IS) militants are using Chlorine "
            "gas against Iraqi soldiers in Fallujah.\n\n"
            "He said that the militants deployed the gas in the Siqiliya area located of northern Fallujah.")
    assert [c["claim_type"] for c in claims_of(cnlp, body) if "Siqiliya" in c["text"]] == ["allegation"]
    # All-bodies diff (body 1256): fighters who were killed did nothing.
    found = claims_of(cnlp, "The al-Shabaab representative said that six al-Shabaab fighters had been killed in the "
                            "strikes.")
    assert found and not [c for c in found if c["claim_type"] == "allegation"]


def test_a_university_is_nobodys_product(cnlp):
    # All-bodies diff: in FNC-1 body 362 "Elon" is tagged an organisation too, and the
    # university's denial had become Elon's, as if Elon University were a product of it.
    from flows.eval_claims import FNC1_BODIES, dev_docs

    if not FNC1_BODIES.exists():
        pytest.skip("FNC-1 bodies not beside the repository")
    doc = cnlp(dev_docs(["fnc1-train-362"])[0]["text"])
    assert {c["side"] for c in doc._.cc_claims if c["claim_type"] == "denial"} == {"Elon University"}


def test_an_administration_named_for_its_leader_is_the_state(cnlp):
    # FNC-1 body 425.
    body = ("US President Barack Obama said he would act.\n\n"
            "Rep. Duncan Hunter said Tuesday night that U.S. border officials have caught 10 Islamic State fighters, a "
            "claim that was immediately disputed by the Obama administration.")
    found = [c for c in claims_of(cnlp, body) if c["claim_type"] == "denial"]
    assert [(c["claimant"], c["side"]) for c in found] == [("United States", "United States")]


def test_private_people_speak_for_no_country_and_it_is_no_person(cnlp):
    # FNC-1 body 628.
    found = claims_of(cnlp, "Two Australian men claim to have the oldest burger in the world - at a staggering 20 "
                            "years old.")
    assert found and {c["side"] for c in found} == {None}
    body = ("\u201cWe\u2019re pretty sure it\u2019s the oldest burger in the world,\u201d Mr Dean said.\n\n"
            "The fast-food giant shut up shop in Iceland in 2009 because it said the country's financial crisis had "
            "made it too expensive to operate.")
    assert not [c for c in claims_of(cnlp, body) if "Iceland" in c["text"] and c["claimant"] == "Dean"]


def test_according_to_claims_the_clause_it_hangs_on(cnlp):
    # FNC-1 body 1492: the quote finder takes "Branson had proposed" for the quote, so no
    # claim was made at all; the outlet's story of a deed is its allegation, and "the Mirror"
    # is the Daily Mirror the article named first.
    body = ("Robert Plant's publicist has described as \u201crubbish\u201d a Daily Mirror report that he rejected a "
            "\u00a3500m Led Zeppelin reunion.\n\n"
            "Branson had proposed 35 concerts spanning just three cities, according to the Mirror.")
    found = [c for c in claims_of(cnlp, body) if "35 concerts" in c["text"]]
    assert [(c["claim_type"], c["claimant"], c["side"]) for c in found] == [
        ("allegation", "Daily Mirror", "Daily Mirror")]
    # All-bodies diff (body 614): the small model tags "The Hollywood" alone; the source is the whole name.
    found = claims_of(cnlp, "After that, DiCaprio plans to take a long break from acting, according to The "
                            "Hollywood Reporter.")
    assert [(c["claimant"], c["side"]) for c in found] == [("Hollywood Reporter", "Hollywood Reporter")]


def test_a_short_outlet_name_is_the_outlet_named_in_full(cnlp):
    # FNC-1 body 1939 (shortened): "The Post claims" had been a party called "Post".
    body = ("The Washington Post named the man on Thursday.\n\n"
            "The Post claims that Emwazi is from an affluent family in west London.")
    assert sides_where(cnlp, body, "affluent family") == {"Washington Post"}


def test_one_official_is_somebody_new(cnlp):
    # FNC-1 body 55: after "according to a report", "one official" had become that report.
    body = ("Now, according to a report, intelligence agencies are warning the jets could be used in 9/11-style "
            "attacks.\n\n"
            "\u201cThere are a number of commercial airliners in Libya that are missing,\u201d one official told The "
            "Washington Free Beacon this morning.")
    found = [c for c in claims_of(cnlp, body) if "airliners" in c["text"]]
    assert found and {c["claimant"] for c in found} == {"one official"}


def test_a_leaders_administration_acts(cnlp):
    # FNC-1 body 773: what lawmakers say the Obama administration did accuses it.
    found = claims_of(cnlp, "The prisoner swap, which occurred in May, drew ire from lawmakers who said the Obama "
                            "administration broke federal law by not first informing Congress.")
    assert [c["claim_type"] for c in found] == ["allegation"]


def test_a_ministry_statement_is_no_militias(cnlp):
    # FNC-1 body 1976: "a foreign ministry statement" had become the Islamic State quoted
    # before it, and then the agency that carried it.
    body = ("Earlier on Sunday, the monitoring group SITE said Islamic State (ISIS) jihadists claimed a \"female "
            "Zionist soldier\" was captured.\n\n"
            "\"The Government of Canada is aware of reports that a Canadian citizen was kidnapped in Syria,\" a "
            "foreign ministry statement said, according to AFP.")
    assert sides_where(cnlp, body, "Government of Canada") == {None}


def test_one_source_is_somebody_new(cnlp):
    # All-bodies diff (FNC-1 body 2217): "one source" had become the district attorney quoted before.
    body = ("\u201cWe will not arrest people for this,\u201d Brooklyn District Attorney Ken Thompson said.\n\n"
            "\u201cYou can\u2019t go on the record that you\u2019re pulling back on marijuana arrests when it\u2019s a "
            "law on the books,\u201d one source said.")
    found = [c for c in claims_of(cnlp, body) if "on the record" in c["text"]]
    assert found and {(c["claimant"], c["side"]) for c in found} == {("one source", None)}


def test_where_somebody_is_based_is_no_side(cnlp):
    # FNC-1 body 921.
    found = claims_of(cnlp, "Following the appearance of the report online, UK-based terror expert Shiraz Maher "
                            "tweeted \"Well, that's it. The name is out.\"")
    assert found and {c["side"] for c in found} == {None}
    # All-bodies diff (body 1803): a government's base is its place.
    found = claims_of(cnlp, "The Gaza-based Ministry of Interior said in an emailed press statement that the civil "
                            "defense teams rescued 18 families.")
    assert {c["side"] for c in found} == {"Palestine"}


def test_a_report_is_nobody_named(cnlp):
    # FNC-1 body 2188: "a report" had become Apple, the company quoted before it.
    body = ("When Apple introduced its Apple Watch in September, the company said there would be three editions "
            "along with various face options and bands.\n\n"
            "Now a report claims to have pricing information on other editions.")
    found = [c for c in claims_of(cnlp, body) if "pricing" in c["text"]]
    assert [(c["claimant"], c["side"]) for c in found] == [("a report", None)]


def test_countering_or_shooting_down_claims_denies_them(cnlp):
    # FNC-1 body 134: neither sentence had made a denial.
    found = claims_of(cnlp, "WASHINGTON, Oct. 9 (UPI) -- Homeland Security Secretary Jeh Johnson took to CNN to "
                            "publicly counter claims made by Republican Rep. Duncan D. Hunter that Islamic State "
                            "militants have been detained attempting to enter the United States from Mexico.")
    assert ("denial", "United States") in types(found)
    assert ("allegation", "Duncan D. Hunter") in types(found)
    found = claims_of(cnlp, "Speaking to CNN's Wolf Blitzer, Johnson thoroughly shot down Hunter's claims: \"We "
                            "have no credible, specific intelligence to that effect.\"")
    assert [c["claimant"] for c in found if c["claim_type"] == "denial"] == ["Johnson"]
    # What is shot down or pushed back must be a claim.
    assert not [c for c in claims_of(cnlp, "The Russian army shot down a Ukrainian plane, officials said.")
                if c["claim_type"] == "denial"]
    assert not [c for c in claims_of(cnlp, "Apple said on Monday that it pushed back the deadline.")
                if c["claim_type"] == "denial"]
    # All-bodies diff (body 1384): countering a manipulation is no speech.
    assert not claims_of(cnlp, "While Apple has taken steps to counter the manipulation of App Store rankings, it's "
                               "quite difficult to identify manual downloads as being fake.")


def test_the_source_is_an_unnamed_source_not_the_firm_quoted_last(cnlp):
    # FNC-1 body 286: "the source" had become Apple, and "noted analyst" a verb whose speaker
    # was "Apple Watch"; "French website iGen" (parsed as two subjects) had lost its name.
    body = ("Citing an unnamed source, French website iGen reports Apple is looking to field the Apple Watch at a "
            "proposed retail cost of $500.\n\n"
            "This leaves the Apple Watch Sport version as Apple's lowest-priced option, which the company said would "
            "come in at $350.\n\n"
            "Additionally, the source claims Apple is still shooting for a launch on Valentine's Day.\n\n"
            "Prior to the Apple Watch announcement, noted analyst Ming-Chi Kuo accurately predicted that the device "
            "would come in two sizes.")
    found = claims_of(cnlp, body)
    assert {c["claimant"] for c in found if "iGen" in c["text"]} == {"iGen"}
    assert "Apple" not in {c["claimant"] for c in found if "Valentine" in c["text"]}
    assert {c["claimant"] for c in found if "two sizes" in c["text"]} == {"Ming-Chi Kuo"}
    # ...but a source the article gave a side stays that side (body 1976)
    body = ("Yisrael Hayom quotes a senior Kurdish source who confirmed that Rosenberg joined the Kurdish resistance "
            "in Syria.\n\n"
            "The source added that ten other western citizens have also joined the Kurdish fighters in recent days.")
    assert sides_where(cnlp, body, "ten other western") == {"Kurds"}


def test_a_quote_that_goes_on_after_its_cue_is_the_speakers_next_claim(cnlp):
    # FNC-1 body 1588: the second sentence of the quote was nobody's claim.
    body = ("Hopes were raised earlier this month when Nigeria's chief of defence staff, Alex Badeh, announced a truce "
            "with the group.\n\n"
            "\"They've assured us they have the girls and they will release them,\" he said. \"I am cautiously "
            "optimistic.\"")
    found = [c for c in claims_of(cnlp, body) if "optimistic" in c["text"]]
    assert [(c["claimant"], c["side"], c["is_direct"]) for c in found] == [("Alex Badeh", "Nigeria", True)]
    assert found[0]["text"] == "\"I am cautiously optimistic.\""


def test_the_network_is_the_broadcaster_named_before(cnlp):
    # FNC-1 body 2220: "the network said" found no outlet (CNN has no newspaper word), and the
    # quote's cue "said" was not taken for speech (the surface form, not the lemma, was checked).
    found = claims_of(cnlp, "News that a recording had surfaced was revealed on CNN, although the network said it "
                            "had not independently confirmed that the alleged gunshots heard on the tape were from the "
                            "shooting of the unarmed 18-year-old in Ferguson, Missouri, on Aug. 9.")
    assert [c["side"] for c in found] == ["CNN"]


def test_an_observatory_tagged_a_place_is_a_body_and_its_report_of_a_deed_accuses(cnlp):
    # FNC-1 body 630: the small model tags "the Syrian Observatory for Human Rights" a place,
    # which had made it Syria; and a deed a quoted monitor reports accuses the doers, as it
    # does when a frame carries it.
    found = claims_of(cnlp, "The officers are conducting the training at the captured al-Jarrah military airport "
                            "east of Aleppo in northern Syria, the Syrian Observatory for Human Rights said.")
    assert {c["side"] for c in found} == {"Syrian Observatory for Human Rights"}
    found = claims_of(cnlp, "Former Iraqi military officers who have joined Islamic State are training pilots to fly "
                            "three captured Syrian military jets, a monitoring group said Friday.")
    assert [c["claim_type"] for c in found] == ["allegation"]


def test_a_deed_somebody_is_believed_to_have_done_is_alleged(cnlp):
    # FNC-1 body 773 (a tune gold allegation); a figure believed to be something is no deed.
    found = claims_of(cnlp, "The former prisoner, being held in Qatar, is believed to have tried to make contact with "
                            "Taliban associates in Afghanistan, officials told CNN.")
    assert [c["claim_type"] for c in found] == ["allegation"]
    found = claims_of(cnlp, "Instead the figure is believed to be a few million dollars, officials told CNN.")
    assert not [c for c in found if c["claim_type"] == "allegation"]


def test_an_untagged_name_speaks_for_itself_not_for_the_group_quoted_before(cnlp):
    # FNC-1 bodies 495 and 2485: the quote finder resolved "The Metropolitan Police force" and
    # "iGen.fr" (no entity tagged in either) to the Syrian Observatory quoted before.
    body = ("The Syrian Observatory for Human Rights said the militants are being trained.\n\n"
            "The Metropolitan Police force said the men, who were arrested in London over the past two weeks, were "
            "charged with preparing acts of terrorism.\n\n"
            "According to iGen.fr, the stainless steel Apple Watch will cost $500.")
    found = claims_of(cnlp, body)
    assert {c["claimant"] for c in found if "charged" in c["text"]} == {"Metropolitan Police force"}
    assert {c["claimant"] for c in found if "$500" in c["text"]} == {"iGen.fr"}


def test_what_somebody_was_announced_as_is_not_their_claim(cnlp):
    # FNC-1 body 2028.
    found = claims_of(cnlp, "Castro, who passed on Cuba's leadership to his brother Raul in 2008, was announced Prime "
                            "Minister of Cuba after overthrowing the government in 1959.")
    assert not found


def test_a_group_the_tagger_calls_a_person_and_the_groups_leader(cnlp):
    # FNC-1 body 1195: the small model tags "Boko Haram" PERSON, so its denial had no side of
    # its own (the corpus run gave it Nigeria's), and "the militant group's leader" spoke for
    # Agence France-Presse, the body named last.
    body = ("The Islamist group Boko Haram has denied claims by Nigeria\u2019s government that it has agreed to a "
            "ceasefire and will release more than 200 abducted schoolgirls.\n\n"
            "The announcement came in a video sent to Agence France-Presse on Saturday in which the militant "
            "group\u2019s leader, Abubakar Shekau, ruled out future talks with the government and said the girls "
            "had converted to Islam and been married off since being kidnapped more than six months ago.")
    found = claims_of(cnlp, body)
    assert ("denial", "Boko Haram") in types(found)
    assert {c["side"] for c in found if c["claimant"] == "Abubakar Shekau"} == {"Boko Haram"}
    # FNC-1 body 1885: where the group is from, on the group's word, is not its side.
    found = claims_of(cnlp, "Nigerian militant group Boko Haram claims to be holding a German hostage who was "
                            "kidnapped from the state of Adamawa in northeastern Nigeria earlier this summer.")
    assert [(c["claimant"], c["side"]) for c in found] == [("Boko Haram", "Boko Haram")]


def test_a_name_whose_verb_is_report_is_an_outlet(cnlp):
    # FNC-1 body 2304: "UK MailOnline reported" had been Britain's claim.
    found = claims_of(cnlp, "Since returning from the trip, all seven girls have reportedly dropped out of their "
                            "classes, UK MailOnline reported.")
    assert found and "United Kingdom" not in {c["side"] for c in found} | {c["claimant"] for c in found}


def test_a_rep_for_the_actor_denies_for_him(cnlp):
    # FNC-1 body 1735: "it isn't him" (three words) had been dropped as a scare quote, "a rep
    # for the actor" spoke for nobody, and "nowhere near" denied nothing.
    body = ("A shocking viral video of a drunk gay basher being tackled by travelers at the Dallas Fort-Worth "
            "International Airport grew a little more shocking with rumors that one of the citizen heroes was "
            "Paul Rudd.\n\n"
            "But a rep for the actor tells The Hollywood Reporter that it isn't him.\n\n"
            "But the actor's publicist tells THR that Rudd was nowhere near the scene.")
    found = claims_of(cnlp, body)
    assert [(c["claim_type"], c["side"]) for c in found if "isn't him" in c["text"]] == [("denial", "Paul Rudd")]
    assert [(c["claim_type"], c["side"]) for c in found if "nowhere near" in c["text"]] == [("denial", "Paul Rudd")]
    # Three words that are no clause are still no claim (FNC-1 body 1588: "announced a truce").
    assert not [c for c in claims_of(cnlp, "Hopes were raised earlier this month when Nigeria's chief of defence "
                                           "staff, Alex Badeh, announced a truce with the group.")
                if c["text"] == "a truce"]


def test_an_autopsy_and_the_report_are_not_the_party_named_before(cnlp):
    # FNC-1 body 1715: "An independent autopsy indicates" had become the New York Daily News's
    # allegation, the outlet cited two paragraphs before.
    body = ("According to the New York Daily News, the audio, which surfaced Monday, was recorded by a Ferguson, "
            "Mo., resident who can be heard on the tape talking with a woman when gunfire erupts in the "
            "background.\n\n"
            "Witnesses have told both police and news stations that Brown, 18, was unarmed and running away with "
            "his hands up when Wilson began shooting. An independent autopsy indicates that Brown was hit at "
            "least six times, four in his arm and twice in the head.")
    assert not [c for c in claims_of(cnlp, body) if "six times" in c["text"] and c["claimant"] == "New York Daily News"]
    # FNC-1 body 989: "According to the report" had been Apple, the firm the report is about.
    body = ("Industry sources indicate Apple is planning to lean heavily on Samsung as a component supplier for "
            "both new iPhone 6 builds and the upcoming Apple Watch, reports BusinessKorea (via G for Games).\n\n"
            "According to the report, Apple is looking to Samsung to supply RAM, NAND flash storage, and "
            "batteries for future iPhone 6 production, supplementing or replacing current suppliers for those "
            "components.")
    found = [c for c in claims_of(cnlp, body) if "supply RAM" in c["text"]]
    assert found and "Apple" not in {c["claimant"] for c in found} | {c["side"] for c in found}


def test_the_report_is_the_outlet_that_reported_and_a_pair_is_no_she(cnlp):
    # FNC-1 body 2153: "the report said" is the paper quoted before it.
    body = ("Kim ended up in the hospital because he put off getting treatment for his injuries, The Chosun Ilbo "
            "reported.\n\n"
            "The reclusive Kim was operated on at the Bonghwa Clinic, a prestigious medical center for elite party "
            "members, the report said.")
    assert {c["claimant"] for c in claims_of(cnlp, body) if "Bonghwa" in c["text"]} == {"Chosun Ilbo"}
    # FNC-1 body 822: "she" had been Ferguson (tagged a person), one of a pair that did not act,
    # and what the FBI "indicated" had been its deed.
    body = ("\u201cHe was there when the event happened,\u201d Blumenthal said, adding that he initially assumed "
            "the noise was fireworks not gunshots.\n\n"
            "Neither Ferguson nor St. Louis County police have contacted the man or Blumenthal about the video. "
            "After interviewing him on Monday, she said the FBI indicated that they planned to speak with him "
            "again on Tuesday.")
    found = [c for c in claims_of(cnlp, body) if "FBI indicated" in c["text"]]
    assert [(c["claimant"], c["claim_type"]) for c in found] == [("Blumenthal", "other")]


def test_an_eyewitness_named_somebody_is_that_person_and_you_are_the_reader(cnlp):
    # FNC-1 body 794: the claimant had been "an eyewitness"; the reader asked "if you think it's
    # legit" had become the eyewitness's claim.
    body = ("Apparently, an eyewitness named Taugan Tan Kadalim claims he saw Josh and Thomas, the homeless man, "
            "in a car together outside of the liquor store in the video.\n\n"
            "26-year-old Taugan says that he recognized Josh from his YouTube videos and wanted to stay to see what "
            "pranks he was going to get up to.\n\n"
            "Ch-ch-check out the video (below) and let us know in the comments if you think it's legit or if it's "
            "just a ploy to get famous!")
    found = claims_of(cnlp, body)
    # ("Taugan", tagged a place that is none, is the first name of the man named before)
    assert [c["claimant"] for c in found] == ["Taugan Tan Kadalim", "Taugan Tan Kadalim"]


def test_the_publication_is_the_outlet_quoted_before(cnlp):
    # FNC-1 body 2419: "According to the publication" named nobody; the website had just claimed.
    body = ("Along with unveiling the Apple Watch earlier this year, the company also announced that the prices for "
            "the wearable device will start at $349. French website iGen.fr now claims to have an idea about the "
            "pricing of the stainless steel variant, as well as the gold variant.\n\n"
            "According to the publication, the stainless steel variant of the Apple Watch will be priced around "
            "$500, while the gold variant will be priced between $4,000 to $5,000.")
    found = [c for c in claims_of(cnlp, body) if "$500" in c["text"]]
    assert found and all("iGen.fr" in (c["claimant"] or "") for c in found)


def test_a_group_of_people_from_a_country_speaks_for_no_state(cnlp):
    # FNC-1 body 359: "A group of Russians" had spoken for Russia.
    found = claims_of(cnlp, "A group of Russians claim to have captured the best footage of bigfoot.")
    assert found and {c["side"] for c in found} == {None}
    # ...but a group of officials still speaks for their state.
    found = claims_of(cnlp, "A group of Russian officials claimed the US lied.")
    assert {c["side"] for c in found} == {"Russia"}


def test_what_somebody_was_said_to_have_had_done_to_them_is_not_their_claim(cnlp):
    # FNC-1 body 1407 (the name with a straight apostrophe, as the cleaner's ftfy writes it).
    found = claims_of(cnlp, "John Micheal O'neal from Massachussetts was said to have been declared dead for more "
                            "than 48 minutes, he was miraculously revived by medics and had woken up with a shocking "
                            "revelation that he had gone to heaven and met God.")
    assert not [c for c in found if "declared dead" in c["text"]]


def test_a_sham_called_fake_denies_nothing(cnlp):
    # FNC-1 body 1132: Apple's guideline against "fake or paid reviews" had been a denial.
    body = ("For its part, Apple has taken a tough line on rankings cheats. Apple says in its guidelines for "
            "developers that any effort to cheat the system will be dealt with swiftly and severely:\n\n"
            "\"Developers who attempt to manipulate or cheat the user reviews or chart ranking in the App Store with "
            "fake or paid reviews, or any other inappropriate methods will be removed from the iOS Developer "
            "Program\"")
    found = claims_of(cnlp, body)
    assert found and {c["claim_type"] for c in found} == {"other"}
    # A statement called fake is still denied.
    assert ("denial", "Apple") in types(claims_of(cnlp, "An Apple spokesman said the report was fake."))


def test_single_quotation_marks_and_a_surname_behind_a_title(cnlp):
    # FNC-1 body 1786: inside British single marks, "they laughed and said" had made the
    # whole quote the militants' claim, and "Mr Abdulla" was somebody other than Yasir Abdulla.
    body = ("Yasir Abdulla claimed that an elderly Kurdish woman went to Mosul, a city captured by Isis, and "
            "demanded to see him.\n\n"
            "Mr Abdulla, from Keighley, West Yorkshire, told The Sun: \u2018She was determined to find her son and "
            "went to Isis headquarters and asked to see him.\n\n"
            "He continued: \u2018But they had killed him and chopped him up and after she finished the meal and asked "
            "to see her son they laughed and said \u201cYou\u2019ve just eaten him\u201d.\u2019")
    found = claims_of(cnlp, body)
    assert {c["claimant"] for c in found if "determined" in c["text"]} == {"Yasir Abdulla"}
    assert "Isis" not in {c["claimant"] for c in found}


def test_a_militia_named_for_two_countries_is_neither(cnlp):
    # FNC-1 body 2168: the tagger ends the name at "Iraq", so ISIS's claim was Iraq's, Iraq
    # became the article's home state and "a senior administration official" spoke for it; and
    # the town a Kurdish official "is now in" was his side.
    body = ("In a new video posted online, the Islamic State of Iraq and Syria (ISIS) claims it has captured weapons "
            "and ammunition dropped by the U.S. military that was intended for Kurdish forces defending an "
            "embattled Syrian city near the Turkish border.\n\n"
            "In the video, ISIS claims some of the weapons and ammunition was air-dropped by mistake on its "
            "positions in Kobani.\n\n"
            "A senior administration official told CBS News on Sunday that the majority - but not necessarily all - "
            "of the bundles dropped by U.S. forces appeared to make it to their intended targets.\n\n"
            "Idris Nassan, a senior Kurdish official from Kobani who is now in the Turkish town of Mursitpinar, "
            "confirmed the Kurdish fighters received the airdrop and asked for more weapons.")
    found = claims_of(cnlp, body)
    sides = {c["side"] for c in found}
    assert "Iraq" not in sides and "Turkey" not in sides
    assert {c["side"] for c in found if "captured weapons" in c["text"]} == {"Islamic State of Iraq and Syria"}


def test_generic_speakers_take_no_side_from_other_articles():
    # All-bodies run: "officials" quoted in a Canadian article gave "officials" in New York City
    # and in a hoax about six days of darkness the side Canada.
    claims = [
        {"claimant": "officials", "side": "Canada", "claim_type": "other"},
        {"claimant": "officials", "side": "Canada", "claim_type": "other"},
        {"claimant": "officials", "side": None, "claim_type": "other"},
        {"claimant": "Stephen Harper", "side": "Canada", "claim_type": "other"},
        {"claimant": "Stephen Harper", "side": None, "claim_type": "other"},
        {"claimant": "9to5Mac", "side": "9to5 Mac", "claim_type": "allegation"},
        {"claimant": "9to5Mac", "side": None, "claim_type": "allegation"},
    ]
    out = resolve_across_documents(claims, [])
    assert [c["side"] for c in out] == ["Canada", "Canada", None, "Canada", "Canada", "9to5 Mac", "9to5 Mac"]


def test_a_press_officer_for_the_council_denies_for_it(cnlp):
    # FNC-1 body 2290: "a press officer" had been the press, so the council's rejection of the
    # story was an outlet's allegation; "the council" then spoke for nobody.
    body = ("Central Bedfordshire Council has refuted newspaper reports which suggested it was about to issue an "
            "Anti-Social Behaviour Order (Asbo) to a six-foot mechanical bear.\n\n"
            "However, a press officer for the council told i100.co.uk that the story was \u201cembellished\u201d and "
            "there had been \u201cabsolutely no mention of an Asbo or a gagging order, or anything like that\u201d.\n\n"
            "The council did acknowledge that one noise complaint had been made about the bear and council "
            "officers were therefore \u201clegally obliged\u201d to investigate it but subsequently deemed it not to "
            "be a nuisance.")
    found = claims_of(cnlp, body)
    officer = [c for c in found if "embellished" in c["text"]]
    assert [(c["claim_type"], c["side"]) for c in officer] == [("denial", "Central Bedfordshire Council")]
    assert {c["side"] for c in found if "acknowledge" in c["text"]} == {"Central Bedfordshire Council"}


def test_activists_speak_for_no_state_and_never_before_is_a_first(cnlp):
    # FNC-1 body 219: "Syrian activists" had spoken for Syria, whose government they oppose.
    found = claims_of(cnlp, "Syrian activists claim militants from the Islamic State of Iraq and Syria (ISIS) seized "
                            "earlier this week a cache of weapons airdropped by U.S.-led coalition forces that were "
                            "meant to supply Kurdish fighters battling the extremist group.")
    assert found and "Syria" not in {c["side"] for c in found}
    # FNC-1 body 1291: "never ... before" announces a first; it had been a denial.
    found = claims_of(cnlp, "Apple CEO Tim Cook, during a visit to the Covent Garden Apple Store in London last "
                            "month, told retail employees that Apple has \"never sold anything as a company that "
                            "people could try on before.\"")
    assert found and "denial" not in {c["claim_type"] for c in found}


def test_an_untagged_paper_by_its_title_and_a_website_nobody_named(cnlp):
    # FNC-1 body 1226: "The Hollywood Reporter" (only "Hollywood" tagged, a place) spoke for nobody.
    body = ("Citing unnamed sources, The Hollywood Reporter revealed on Monday that Bale, an Academy Award winning "
            "actor, has exited the project.")
    assert {c["side"] for c in claims_of(cnlp, body)} == {"Hollywood Reporter"}
    # FNC-1 body 387: "a website posted an article claiming" had been Snopes.com, quoted just before.
    body = ("Snopes.com\u2014the premier debunker of internet myths\u2014said the article was fake.\n\n"
            "On Nov. 10, a website posted an article claiming more than 250,000 turkeys at a Texas turkey farm had "
            "been infected with Ebola.")
    found = claims_of(cnlp, body)
    turkeys = [c for c in found if "turkeys" in c["text"]]
    assert turkeys and "Snopes.com" not in {c["claimant"] for c in turkeys} | {c["side"] for c in turkeys}
    # ...and the name before the dash is who said the article was fake (the parser had cut it off)
    assert [(c["claim_type"], c["side"]) for c in found if "was fake" in c["text"]] == [("denial", "Snopes.com")]


def test_a_man_dismissed_is_no_claim_denied(cnlp):
    # All-bodies diff (FNC-1 body 225), once "the department" resolved to its name: sacking him
    # had become the department's denial.
    body = ("Mr Naidu said in a statement that Mr Verma joined the Central Public Works Department in 1980.\n\n"
            "It took a further seven years for the department to reach a decision and dismiss him.")
    assert "denial" not in {c["claim_type"] for c in claims_of(cnlp, body)}
    # ...while dismissing what was said is still a denial
    found = claims_of(cnlp, "The US accused Pyongyang of supplying shells. North Korea dismissed them as groundless.")
    assert "denial" in {c["claim_type"] for c in found}


def test_the_health_department_is_the_department_named_before(cnlp):
    # FNC-1 body 1015: "The health department says" spoke for nobody; its words must all be in
    # the name ("the terrorist group" is not the "SITE Intelligence Group").
    body = ("\u201cSomebody went to an ER with a high fever and a history of having recently been to Nigeria,\u201d "
            "said Jeff Hershberger, the spokesman for the KCMO Health Department.\n\n"
            "The health department says it should know the patient\u2019s diagnosis by Monday.")
    found = [c for c in claims_of(cnlp, body) if "diagnosis" in c["text"]]
    assert {c["side"] for c in found} == {"KCMO Health Department"}
    body = ("A survey by the SITE Intelligence Group counted the videos.\n\n"
            "The terrorist group said it executed James Foley in retaliation for American airstrikes in Iraq.")
    assert "SITE Intelligence Group" not in {c["claimant"] for c in claims_of(cnlp, body) if "Foley" in c["text"]}


def test_the_groups_report_is_no_outlet_named_before(cnlp):
    # All-bodies diff of session 11's review (FNC-1 body 2386): once "Agence France-Presse"
    # counted as an outlet by its name, "The group's report described" became the agency's.
    body = ("A video sent to Agence France-Presse showed the men.\n\n"
            "The New York-based Committee to Protect Journalists estimated Tuesday that about 20 journalists are "
            "missing in Syria. The group's report described the widespread seizure of journalists as unprecedented "
            "and largely unreported by news organizations.")
    found = [c for c in claims_of(cnlp, body) if "widespread seizure" in c["text"]]
    assert "Agence France-Presse" not in {c["claimant"] for c in found} | {c["side"] for c in found}


def test_proposition_gold_is_well_formed():
    from flows.eval_claims import DEV_PROPOSITIONS, FNC1_BODIES, GOLD, dev_docs, load_gold, story_articles

    seed_gold = load_gold(GOLD)
    assert all(g.get("proposition") for g in seed_gold)
    # one proposition is one side's claim of one type
    kinds = {}
    for g in seed_gold + load_gold(DEV_PROPOSITIONS):
        kinds.setdefault(g["proposition"], set()).add((g["claim_type"], g["side"]))
    assert all(len(k) == 1 for k in kinds.values()), {p: k for p, k in kinds.items() if len(k) > 1}
    if not FNC1_BODIES.exists():
        pytest.skip("FNC-1 bodies not available")
    gold = load_gold(DEV_PROPOSITIONS)
    articles = story_articles({g["story"] for g in gold})
    for story, ids in articles.items():
        texts = {d["source"]: d["text"] for d in dev_docs(ids)}
        assert all(g["evidence"] in texts[g["source"]] for g in gold if g["story"] == story)


def test_pairwise_agreement_counts_merges_and_splits():
    from flows.eval_claims import pairwise_agreement

    # Gold: a, a, b. Predicted: the two a's apart, one a merged with b.
    found = pairwise_agreement([("a", "p1"), ("a", "p2"), ("b", "p2")])
    assert (found["pairs_gold"], found["pairs_predicted"]) == (1, 1)
    assert (found["precision"], found["recall"]) == (0.0, 0.0)
    assert found["merged"] == [("a", "b")] and found["split"] == ["a"]
    found = pairwise_agreement([("a", "p1"), ("a", "p1"), ("b", "p2")])
    assert (found["precision"], found["recall"], found["merged"], found["split"]) == (1.0, 1.0, [], [])


# A police officer speaks for the force (FNC-1 bodies 438 and 1422, the Carlisle "sneeze" attacker).

def test_police_rank_without_full_stop_speaks_for_the_force_named_with_it(cnlp):
    body = ("The following day, the same man is thought to have slapped an 82-year-old woman who had just "
            "sneezed in Scotch Street, Carlisle. Sgt Gill Cherry of Cumbria Police said the pensioner was "
            "left feeling 'confused and upset'.")
    assert sides_where(cnlp, body, "pensioner was") == {"Cumbria Police"}


def test_police_rank_speaks_for_the_one_force_the_article_names(cnlp):
    body = ("In what Cumbria Police admit is 'very unusual behaviour', the man first smacked a woman round the "
            "head after she sneezed in Carlisle on Monday.\n\n"
            "Sgt Gill Cherry said: \u201cWe are treating these two reported incidents as linked, and are appealing "
            "to the local community to help trace the man responsible.\u201d")
    assert sides_where(cnlp, body, "treating these two") == {"Cumbria Police"}


def test_a_police_force_named_for_its_place_speaks_for_itself():
    claims = [{"doc_id": "d1", "claimant": "Cumbria Police", "side": None, "claim_type": "other",
               "text": "they believe that the two crimes are linked", "start_char": 0, "end_char": 10}]
    assert resolve_across_documents(claims, [])[0]["side"] == "Cumbria Police"
    claims[0]["claimant"] = "police"
    assert resolve_across_documents(claims, [])[0]["side"] is None


def test_evaluation_scores_the_sides_the_pipeline_publishes(cnlp):
    """The evaluation resolves names and sides across articles as the pipeline does: a bare
    "Kirby" in one outlet's article is the White House spokesman John Kirby of
    another's, and speaks for the United States (seed sentences, one per article)."""
    from flows.eval_claims import predict

    docs = [
        {"source": "full-name", "text": "North Korea denies arms deals with Russia\n\nTuesday's statement refuted "
                                        "allegations last week by White House national security spokesman John Kirby, "
                                        "who said the artillery from North Korea to Russia was coming under cover of "
                                        "shipments to the Middle East or Africa."},
        {"source": "surname", "text": "Pyongyang rejects US claims\n\nThe North Koreans tried to conceal these "
                                      "shipments by making them \"appear as though they're being sent to countries in "
                                      "the Middle East,\" Kirby said, as per Washington Examiner."},
    ]
    found = {(c["claimant"], c["side"]) for c in predict(docs, cnlp) if c["source"] == "surname"}
    assert ("John Kirby", "United States") in found, found


def fnc1_claims(cnlp, ids: list[str], source: str, one_story: bool) -> list[dict]:
    """The claims of one FNC-1 body, run with the others alone (each its own story) or as one story."""
    from flows.eval_claims import FNC1_BODIES, dev_docs, predict

    if not FNC1_BODIES.exists():
        pytest.skip("FNC-1 bodies not beside the repository")
    return [c for c in predict(dev_docs(ids), cnlp, one_story=one_story) if c["source"] == source]


def test_unnamed_state_speaker_speaks_for_the_country_of_the_story(cnlp):
    """"A senior ministry official said" (FNC-1 body 829, tune part) in an article that names
    India once: the ten articles of its story, taken together, are about India."""
    from flows.eval_claims import story_articles

    ids = story_articles({"story-023"})["story-023"]

    def sides(one_story: bool) -> set:
        return {c["side"] for c in fnc1_claims(cnlp, ids, "fnc1-train-829", one_story)
                if c["claimant"].lower().startswith("a senior ministry official")}

    assert sides(one_story=False) == {None}
    assert sides(one_story=True) == {"India"}


def test_a_quote_printed_without_speaker_takes_the_speaker_another_outlet_gives_it(cnlp):
    """FNC-1 body 1208 prints "They've made this old age pensioner extremely happy" as its
    headline, with no speaker; body 151, of the same story, has 'Mr Beaton, 68, said:' it."""
    def speakers(one_story: bool) -> set:
        return {(c["claimant"], c["side"]) for c in fnc1_claims(cnlp, ["fnc1-train-151", "fnc1-train-1208"],
                                                                 "fnc1-train-1208", one_story)
                if "old age pensioner" in c["text"]}

    assert (None, None) in speakers(one_story=False)
    assert speakers(one_story=True) == {("Stan Beaton", "Stan Beaton")}
