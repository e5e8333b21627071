"""Quote extraction: one test per construction, on short real sentences from the
seeds and the corpora, plus the hand-checked seed gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.quotes import extract_quotes

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "seed_quotes.jsonl"


@pytest.fixture(scope="module")
def qnlp():
    from flows.eval_quotes import build_nlp

    return build_nlp()


def run(qnlp, text: str) -> list[dict]:
    doc = qnlp(text)
    rows = doc._.cc_quotes
    assert rows == extract_quotes(doc)  # the component and the pure function agree
    # Its per-extraction caches (text, sentence bounds) do not stay on the doc.
    assert not [k for k in doc.user_data if isinstance(k, str) and k.startswith("counterclaim_")]
    for r in rows:
        assert doc.text[r["start_char"]:r["end_char"]] == r["text"]
        if r["speaker_start"] is not None:
            assert doc.text[r["speaker_start"]:r["speaker_end"]] == r["speaker"]
        if r["cue_start"] is not None:
            assert doc.text[r["cue_start"]:r["cue_end"]] == r["cue"]
        assert r["kind"] in ("direct", "partial", "indirect")
        assert r["fragments"][0][0] == r["start_char"] and r["fragments"][-1][1] == r["end_char"]
        assert set(r) == {"text", "kind", "speaker", "speaker_start", "speaker_end", "speaker_canonical", "carrier",
                          "cue", "cue_start", "cue_end", "start_char", "end_char", "fragments"}
    return rows


def only(rows, kind):
    return [r for r in rows if r["kind"] == kind]


def indirect_by(rows, cue):
    """The first indirect row with this cue."""
    found = [r for r in only(rows, "indirect") if r["cue"] == cue]
    assert found, f"no indirect row with cue {cue!r}: {rows}"
    return found[0]


def test_direct_curly_quote_with_carrier(qnlp):
    rows = run(qnlp, "Headline.\n\nUnidentified vice director of the military foreign affairs office of the North Korean "
                     "ministry was quoted by state media KCNA as stating, \u201cWe see such measures of the US as part of "
                     "its hostile endeavor to damage the image of North Korea in the international arena.\u201d")
    [q] = only(rows, "direct")
    assert q["text"].startswith("We see such measures") and q["text"].endswith("arena.")
    assert q["speaker_canonical"] == "North Korea"
    assert "KCNA" in q["carrier"]


def test_direct_straight_quotes_inverted_speaker(qnlp):
    rows = run(qnlp, 'Headline.\n\n"We once again make clear that we have never had \'arms dealings\' with Russia," '
                     "the statement added.")
    [q] = only(rows, "direct")
    assert q["speaker"] == "the statement" and q["cue"] == "added"
    assert not only(rows, "partial")  # the nested 'arms dealings' belongs to the outer quote


def test_guillemets(qnlp):
    rows = run(qnlp, "Headline.\n\n\u00abWe have no plans to do so in the future,\u00bb the minister said.")
    [q] = only(rows, "direct")
    assert q["text"].startswith("We have no plans")


def test_apostrophes_are_not_quotes(qnlp):
    rows = run(qnlp, "Headline.\n\nRussia\u2019s war in the '90s didn't stop, the country\u2019s leaders\u2019 aides said.")
    assert not only(rows, "direct") and not only(rows, "partial")


def test_dash_paragraph_quote(qnlp):
    rows = run(qnlp, "Headline.\n\nKCNA cites a statement from a representative of the country\u2019s defense ministry.\n\n"
                     "\u2013 Once again, we make it clear that we have never had an arms trade with Russia and we have no "
                     "plans to do so in the future, the statement reads.")
    [q] = only(rows, "direct")
    assert q["text"].startswith("Once again") and q["text"].endswith("future")
    assert q["speaker"] == "the statement" and q["cue"] == "reads"


def test_interrupted_quote_is_one_row(qnlp):
    text = ("Headline.\n\n\u201cWhen you see him reaching out to countries like North Korea, that gives cause for "
            "concern,\u201d Kirby explained. \u201cIt increasingly is unsettling.\u201d")
    rows = run(qnlp, text)
    [q] = only(rows, "direct")
    assert len(q["fragments"]) == 2
    assert text[slice(*q["fragments"][1])] == "It increasingly is unsettling."
    assert q["speaker"] == "Kirby"


def test_interrupted_quote_with_comma(qnlp):
    rows = run(qnlp, "Headline.\n\n\u201cSupporters of some other candidates,\u201d Blackwell added, \u201chave focused "
                     "largely on paid advertising.\u201d")
    quotes = [r for r in rows if r["kind"] != "indirect"]
    assert len(quotes) == 1 and len(quotes[0]["fragments"]) == 2


def test_quote_across_paragraphs(qnlp):
    text = ("Headline.\n\nWhen Wallace died, President Clinton said: \u201cHillary and I offer our condolences to the "
            "family.\n\n\u201cGovernor Wallace was wheelchair-bound and often in great pain.\u201d\n\nThat was all.")
    rows = run(qnlp, text)
    [q] = only(rows, "direct")
    assert len(q["fragments"]) == 2 and q["text"].endswith("great pain.")
    assert q["speaker_canonical"] == "Clinton"


def test_unbalanced_marks_keep_other_quotes(qnlp):
    rows = run(qnlp, "Headline.\n\nHe said the \u201cgroundless claims were wrong.\n\n"
                     "\u201cWe have never exported weapons,\u201d the official said.")
    assert any(r["kind"] == "direct" and r["text"].startswith("We have never") for r in rows)


@pytest.mark.parametrize("text", [
    "", " ", "\n\n", "\u201c", "\u201d\u201d\u201c", "'", "\"\"\"", "\u2013", "\u2013 ,said.", "\x00\x01 \ufffd",
    "\u00ab\u00bb\u00ab", "a\u2019", "\u201c\n\n\u201c\n\n\u201c", "said said said", "\U0001F600 \u201chi\u201d",
    "According to", "\u2014 , he said.", "'\u2018\u2019'" * 50,
])
def test_never_raises(qnlp, text):
    rows = run(qnlp, text)
    assert isinstance(rows, list)


def test_partial_quote_vs_scare_quotes(qnlp):
    rows = run(qnlp, "Headline.\n\nKirby said the shipments were \u201ca sign of Russia\u2019s own defence article "
                     "shortages and needs\u201d as they face sanctions.\n\nThe tests were a reply to the so-called "
                     "'Vigilant Storm' operation.")
    [p] = only(rows, "partial")
    assert p["text"].startswith("a sign of") and p["speaker"] == "Kirby"
    assert not any("Vigilant" in r["text"] and r["kind"] != "indirect" for r in rows)


def test_headline_partial_quote(qnlp):
    rows = run(qnlp, "North Korea Rejects 'Groundless' US Claims That Pyongyang Agrees To Supply Russia\n\nBody.")
    [p] = only(rows, "partial")
    assert p["text"] == "Groundless" and p["speaker_canonical"] == "North Korea"


def test_indirect_said_that(qnlp):
    rows = run(qnlp, "Headline.\n\nKirby had said U.S. officials did not know whether Russia has actually received the "
                     "ammunition.")
    q = indirect_by(rows, "said")
    assert q["text"].startswith("U.S. officials did not know") and q["speaker"] == "Kirby" and q["cue"] == "said"
    assert q["fragments"] == [[q["start_char"], q["end_char"]]]


def test_indirect_according_to(qnlp):
    rows = run(qnlp, "Headline.\n\nAccording to North Korea, the claims about the country\u2019s ammunition deliveries "
                     "to Russia are unfounded, reports the state news agency KCNA.")
    [q] = only(rows, "indirect")
    assert q["speaker_canonical"] == "North Korea" and q["cue"] == "According to"
    assert "KCNA" in q["carrier"]


def test_indirect_told_reporters(qnlp):
    rows = run(qnlp, "Headline.\n\nKirby told reporters that the United States believes the supplies will help Russia "
                     "prolong the war.")
    q = indirect_by(rows, "told reporters")
    assert q["speaker"] == "Kirby" and q["text"].startswith("the United States believes")


def test_indirect_inversion_and_denial(qnlp):
    rows = run(qnlp, "Headline.\n\nThe shipments are a sign of shortages, Kirby said.\n\n"
                     "North Korea has denied the U.S. allegation that it has sought to provide weapons to Russia.")
    kinds = {(r["speaker"], r["cue"]) for r in only(rows, "indirect")}
    assert ("Kirby", "said") in kinds and ("North Korea", "denied") in kinds


def test_appositive_speaker(qnlp):
    rows = run(qnlp, "Headline.\n\n\u201cThe hospital is full,\u201d Hugh Hill, a doctor at the clinic, said.")
    [q] = only(rows, "direct")
    assert q["speaker"] == "Hugh Hill"


def test_said_inversion_speaker(qnlp):
    rows = run(qnlp, "Headline.\n\n\u201cI never really trusted her,\u201d said Robert Stone, a 59-year-old from "
                     "Hilton Head.")
    [q] = only(rows, "direct")
    assert q["speaker"] == "Robert Stone"


def test_speaker_named_after_the_cue_when_the_parse_gives_it_to_the_next_quote(qnlp):
    # FNC-1 body 2452: the parser made "Madden" the subject of the second quote's verb,
    # and the first quote was left with no speaker.
    rows = run(qnlp, "Kim may open a restaurant\n\nMichael Madden, editor of the North Korea Leadership Watch "
                     "blog, spoke to the paper.\n\n\"Plus, North Koreans love whisky,\" said Madden, before "
                     "elaborating, \"Tourists in North Korea are told to tip people in Scotch instead of the "
                     "currency\". The restaurants would serve all nationally popular delicacies.")
    quotes = only(rows, "direct")
    assert quotes and quotes[0]["text"].startswith("Plus, North Koreans")
    assert {q["speaker_canonical"] for q in quotes} == {"Michael Madden"}


def test_pronoun_and_description_resolution(qnlp):
    rows = run(qnlp, "Headline.\n\nNorth Korea has denied the U.S. allegation that it sent weapons to Russia.\n\n"
                     "The official reiterated their denial, saying, \u201cWe once again make clear that we have no "
                     "plan to do so.\u201d\n\nJohn Kirby told reporters that the DPRK is supplying shells. The North "
                     "Koreans, he said, attempted to make them \u201cappear as though they\u2019re being sent to the "
                     "Middle East.\u201d")
    d = only(rows, "direct")[0]
    assert d["speaker"] == "The official" and d["speaker_canonical"] == "North Korea"
    p = only(rows, "partial")[0]
    assert p["speaker"] == "he" and p["speaker_canonical"] == "John Kirby"


def test_description_speaker_with_country(qnlp):
    rows = run(qnlp, "Headline.\n\n\"Recently, the U.S. is persistently spreading a groundless rumor,\" North Korea's "
                     "vice director of military foreign affairs of the Ministry of National Defense said in a "
                     "statement, according to KCNA.")
    [q] = only(rows, "direct")
    assert q["speaker_canonical"] == "North Korea" and q["carrier"] == "KCNA"


@pytest.fixture(scope="module")
def seed_matches(qnlp):
    """Each seed gold quote with the row it matches; read once for both seed tests."""
    from flows.eval_quotes import match_seed_gold, seed_docs

    gold = [json.loads(ln) for ln in GOLD.read_text(encoding="utf-8").splitlines() if ln.strip()]
    # The raw files: the cleaned documents are reported by flows.eval_quotes.
    return match_seed_gold(seed_docs(raw=True), gold, qnlp)


# Direct/partial seed quotes whose speaker is still wrong (see docs/quotes-eval.md):
# "Kim Jong-un's regime" (the regime is the country: needs world knowledge).
KNOWN_SPEAKER_MISSES = {"hegemonic policy"}


def test_seed_gold_direct_and_partial(seed_matches):
    matches = [m for m in seed_matches if m["gold"]["kind"] in ("direct", "partial")]
    missing = [m["gold"]["text"][:60] for m in matches if m["pred"] is None]
    assert not missing
    wrong = [(m["gold"]["source"], m["gold"]["text"][:40], m["pred"]["speaker_canonical"]) for m in matches
             if m["pred"]["speaker_canonical"] != m["gold"]["speaker_canonical"]
             and not (m["gold"]["source"].startswith("004") and m["gold"]["text"] in KNOWN_SPEAKER_MISSES)]
    assert not wrong
    assert sum(m["pred"]["kind"] == m["gold"]["kind"] for m in matches) >= len(matches) - 3


def test_seed_gold_indirect(seed_matches):
    matches = [m for m in seed_matches if m["gold"]["kind"] == "indirect"]
    right = [m for m in matches if m["pred"] is not None and m["pred"]["speaker_canonical"] == m["gold"]["speaker_canonical"]]
    assert len(right) >= len(matches) - 4


# --- constructions added for PolNeAR-style attributions (sentences from the PolNeAR corpus) ---

def test_two_apostrophes_are_a_double_mark(qnlp):
    rows = run(qnlp, "Headline.\n\n''We finally may be seeing some wage acceleration, and if it sticks, that would be a "
                     "very big story,'' the economist Jared Bernstein, a former adviser in the Obama White House, wrote "
                     "on his blog.")
    [q] = only(rows, "direct")
    assert q["text"].startswith("We finally may be seeing") and q["text"].endswith("very big story")
    assert q["speaker"].endswith("Jared Bernstein") and q["cue"] == "wrote"


def test_cue_inside_its_content(qnlp):
    text = "Headline.\n\nThe argument would be aided, Devine said, by the upcoming primary calendar."
    rows = run(qnlp, text)
    [q] = [r for r in only(rows, "indirect") if r["cue"] == "said"]
    assert q["speaker"] == "Devine" and len(q["fragments"]) == 2
    assert text[slice(*q["fragments"][0])] == "The argument would be aided"
    assert text[slice(*q["fragments"][1])] == "by the upcoming primary calendar"


def test_trailing_nonrestrictive_clause_is_left_out(qnlp):
    rows = run(qnlp, "Headline.\n\nThe candidates say they are not trying to avoid appearing beside presumptive "
                     "Democratic presidential nominee Hillary Clinton, who has been battered in recent weeks by the "
                     "fallout from the investigation.")
    q = indirect_by(rows, "say")
    assert q["text"].startswith("they are not trying") and q["text"].endswith("Hillary Clinton")


def test_stance_infinitive(qnlp):
    rows = run(qnlp, "Headline.\n\nCook declined to say whether it was a violation of Pentagon email policies.")
    q = indirect_by(rows, "declined")
    assert q["speaker"] == "Cook" and q["text"].startswith("to say whether")


def test_stance_preposition(qnlp):
    rows = run(qnlp, "Headline.\n\nShe also called for more \u201cflexibility\u201d for U.S. military advisers in Iraq "
                     "to assist local forces.")
    q = indirect_by(rows, "called")
    assert q["speaker"] == "She" and q["text"].startswith("more \u201cflexibility\u201d")


def test_passive_expectation_keeps_its_subject(qnlp):
    rows = run(qnlp, "Headline.\n\nThe House is expected to pass a bipartisan bill later this week that would "
                     "dismantle key elements of No Child Left Behind.")
    q = indirect_by(rows, "expected")
    assert q["text"].startswith("The House is expected to pass") and q["speaker"] is None


def test_naming_verb_with_quoted_name(qnlp):
    rows = run(qnlp, "Headline.\n\nContrast that with Trump, who has called the 12-nation TPP pact \"insanity,\" "
                     "and Sanders.")
    assert any(r["kind"] == "indirect" and r["text"].startswith("the 12-nation TPP pact") and "insanity" in r["text"]
               for r in rows)


def test_noun_complement(qnlp):
    rows = run(qnlp, "Headline.\n\nThe candidate also continued to refute a Politico story about his claim that "
                     "he\u2019d been offered a full scholarship to West Point.")
    q = indirect_by(rows, "claim")
    assert q["text"] == "he\u2019d been offered a full scholarship to West Point" and q["speaker"] == "his"


# --- speakers and contents the parser hangs elsewhere ---

def test_absolute_with_participle_speaker(qnlp):
    # The parser hangs "vowing" on "repudiation", beside the "with Pyongyang" phrase.
    rows = run(qnlp, "Headline.\n\nNorth Korea's latest admonition against the United States came only a day after "
                     "its previous repudiation, with Pyongyang on Monday vowing a \"resolute and overwhelming\" "
                     "military response to last week's U.S.-South Korean war drills.")
    [q] = only(rows, "partial")
    assert q["text"] == "resolute and overwhelming"
    assert q["speaker"] == "Pyongyang" and q["speaker_canonical"] == "North Korea"


def test_absolute_with_participle_speaker_polnear(qnlp):
    rows = run(qnlp, "Headline.\n\nThe conversation ended with Maddow asking Clinton pointedly whether she would "
                     "consider a woman as a running mate should she be the nominee.")
    q = indirect_by(rows, "asking")
    assert q["speaker"] == "Maddow" and q["text"].startswith("whether she would consider")


def test_accompanying_with_phrase_is_no_speaker(qnlp):
    # After a comma the participle keeps the clause's subject.
    rows = run(qnlp, "Headline.\n\nClinton celebrated in Florida with supporters, declaring it \u201canother super "
                     "Tuesday for our campaign.\u201d")
    [q] = [r for r in rows if r["kind"] in ("direct", "partial")]
    assert q["speaker"] == "Clinton"


def test_passive_agent_on_the_complement(qnlp):
    # "by the Russian government" hangs on "agent", not on "branded".
    rows = run(qnlp, "Headline.\n\nThe Moscow Times, an independent news source for over 30 years, has been "
                     "unjustly branded as a \"foreign agent\" by the Russian government.")
    [q] = only(rows, "partial")
    assert q["text"] == "foreign agent"
    assert q["speaker"] == "the Russian government" and q["speaker_canonical"] == "Russia"


def test_passive_agent_deep_inside_is_not_the_speaker(qnlp):
    rows = run(qnlp, "Headline.\n\nMurphy\u2019s 15-hour filibuster was viewed as a victory by some in the "
                     "movement.")
    q = indirect_by(rows, "viewed")
    assert q["speaker"] == "some in the movement"


def test_parenthetical_cue_before_its_content(qnlp):
    text = ("Headline.\n\nKirby refused to provide the routes taken by the North Korean munitions. On possible "
            "steps, he added, the US will discuss partners and friends including at the UN.")
    rows = run(qnlp, text)
    q = indirect_by(rows, "added")
    assert q["speaker"] == "he" and q["speaker_canonical"] == "Kirby"
    assert [text[s:e] for s, e in q["fragments"]] == [
        "On possible steps", "the US will discuss partners and friends including at the UN"]


def test_parenthetical_cue_after_the_subject(qnlp):
    text = ("Headline.\n\nThe source of the attraction to Mr. Trump, union members and leaders say, is manifold: "
            "the candidate's unapologetically populist positions on certain economic issues, particularly trade; a "
            "frustration with the impotence of conventional politicians; and above all, a sense that he rejects the "
            "norms of Washington discourse.")
    rows = run(qnlp, text)
    q = indirect_by(rows, "say")
    # Not the content's subject, which the parser ran into the cue's; a coordinated
    # speaker keeps its first conjunct (the head word PolNeAR scores).
    assert q["speaker"] == "union members"
    assert text[slice(*q["fragments"][0])] == "The source of the attraction to Mr. Trump"
    assert text[slice(*q["fragments"][1])].startswith("is manifold")


def test_name_swallowed_by_a_fronted_phrase(qnlp):
    # No comma after the opening phrase: the parser makes the name the preposition's object.
    rows = run(qnlp, "Headline.\n\nIn September Pyongyang denied a White House claim that it was planning to provide "
                     "ammunition to help the Russian military replenish its stockpiles.")
    q = indirect_by(rows, "denied")
    assert q["speaker"] == "Pyongyang" and q["speaker_canonical"] == "North Korea"
    assert q["text"].startswith("a White House claim that")


def test_name_swallowed_by_a_fronted_phrase_fnc(qnlp):
    rows = run(qnlp, "Headline.\n\nIn a 2007 entry from his blog Williams recounts how he was part of a 'flotilla of "
                     "four twin-rotor Chinook helicopters'.")
    q = indirect_by(rows, "recounts")
    assert q["speaker"] == "Williams"
    [p] = only(rows, "partial")
    assert p["speaker"] == "Williams"


def test_a_surname_is_the_full_name_before_it_and_he_can_mean_him(qnlp):
    # FNC-1 body 1564: "Klinger said" kept the bare surname, which then counted as no person,
    # so "he said" went to Fuentes.
    text = ("CNN law enforcement analyst Tom Fuentes and former Los Angeles police officer David Klinger both said "
            "Wednesday morning that they initially felt the recording was a hoax, according to Mediaite.\n\n"
            "\u201cI\u2019ve told your producers that for all I know this is something that one of Howard Stern\u2019s "
            "punk people have been doing \u2026 I don\u2019t have a high degree of confidence in it,\u201d Klinger said "
            "on CNN\u2019s \u201cNew Day.\u201d\n\n"
            "He cited the fact that the clip emerged two weeks after the shooting as well as the curious words being "
            "voiced by a man in the audio as reasons why he doubted its authenticity, though he said he remains open "
            "to seeing whether an investigation finds it legitimate.")
    rows = run(qnlp, text)
    assert {r["speaker_canonical"] for r in rows if r["speaker"] == "Klinger"} == {"David Klinger"}
    assert {r["speaker_canonical"] for r in rows if r["text"].startswith("he remains open")} == {"David Klinger"}
    # ...and "the guitarist" is the man named before, not the paper quoted since (FNC-1 body 1492).
    text = ("Robert Plant\u2019s publicist has described as \u201crubbish\u201d a Daily Mirror report that he "
            "rejected a \u00a3500m Led Zeppelin reunion. The paper claims Jimmy Page and John Paul Jones had both "
            "signed on for the tour deal, bankrolled by Richard Branson.\n\n"
            "At the end of September, Page said a reunion was no longer \u201ca possibility or on the "
            "cards\u201d. The guitarist explained that he is instead planning to revisit Led Zeppelin material on "
            "a 2015 solo tour.")
    rows = run(qnlp, text)
    assert {r["speaker_canonical"] for r in rows if r["speaker"] == "The guitarist"} == {"Jimmy Page"}
