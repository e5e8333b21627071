"""Claims: who alleges, who denies, for which side, carried by which evidence.

Per document (the ``counterclaim_claims`` spaCy component):

* every quote from ``doc._.cc_quotes`` becomes a claim, typed from its cue,
  its own words and the sentence around it;
* every reporting frame in a sentence (a reporting, accusing or denying verb
  with its subject, or "according to X") becomes a claim; a denial of
  somebody's "claims", "allegation", "reports" ... also yields that owner's
  allegation, because the sentence reports both sides.

Across documents, ``resolve_across_documents`` fills sides from how other
articles describe the same speaker, and ``assign_propositions`` groups the
same claim carried by several outlets under one content-derived id.

All rules are about English reporting grammar and cue-word lists; none is
about a particular article.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any, Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from flows.entities import (PERSON_ROLE_WORDS, SPLIT_NAME_TAIL_RE, agency_country, canonical_name, country_of,
                            defined_acronyms, full_name_of, is_title_only, resolve_people, strip_titles)

# --- cue lexicons -----------------------------------------------------------

# Verbs whose subject rejects an accusation.
DENY_VERBS = {
    "deny", "reject", "refute", "dismiss", "repudiate", "rebuff", "rebut", "disavow", "dispute",
    "contest", "disown", "decry", "counter",
}
# Phrasal verbs that reject a claim only when one is their object: "shot down Hunter's
# claims", "hit back at the allegations" (not "shot down a plane").
PHRASAL_DENY_VERBS = {"shoot down", "knock down", "brush off", "brush aside", "wave off", "laugh off",
                      "shrug off", "hit back", "push back", "swat down"}
DENY_VERBS |= PHRASAL_DENY_VERBS
_PHRASAL_HEADS = {p.split()[0] for p in PHRASAL_DENY_VERBS}
# Verbs whose subject accuses another party.
ALLEGE_VERBS = {"accuse", "allege", "blame", "claim", "charge", "implicate", "suspect"}
# Verbs that report speech or belief; the type then comes from the clause they govern.
REPORT_VERBS = {
    "say", "tell", "state", "add", "explain", "reiterate", "insist", "stress", "note", "declare",
    "announce", "assert", "argue", "maintain", "suggest", "write", "report", "read",
    "believe", "consider", "view", "see", "think", "caveat", "confirm", "reveal", "quote",
    "cite",
    "acknowledge", "admit", "emphasize", "emphasise", "underline", "comment", "respond",
    "reply", "describe", "characterize", "call", "affirm", "contend", "testify", "conclude",
}
# Reporting verbs that are "other" unless the clause says otherwise, and need no clause.
WARN_VERBS = {"warn", "threaten", "vow", "pledge", "promise", "caution", "urge", "predict"}
# Clause verbs that state a condition rather than an act of the subject.
STATIVE_VERBS = {"need", "want", "know", "seem", "appear", "look", "remain", "have", "feel", "hope", "wish", "like"}
# Verbs of a medium carrying somebody else's statement.
CARRIER_VERBS = {"report", "quote", "cite", "carry"}
ALL_VERBS = DENY_VERBS | ALLEGE_VERBS | REPORT_VERBS | WARN_VERBS

# Nouns naming somebody's claim: "U.S. claims", "allegations by X", "a White House claim".
CLAIM_NOUNS = {"claim", "allegation", "accusation", "charge", "report", "rumor", "rumour", "assertion", "suggestion"}
# Nouns naming a denial: "reiterated their denial", "its previous repudiation".
DENIAL_NOUNS = {"denial", "rebuttal", "refutation", "repudiation", "rejection", "dismissal"}

# Words inside the claim that make it a denial: the claimant calls the accusation false.
DENIAL_WORDS = {
    "never", "groundless", "unfounded", "baseless", "false", "untrue", "fabricated", "fabrication",
    "rumor", "rumour", "rumors", "rumours", "nonsense", "absurd", "slander", "smear", "lie", "lies",
    "fake", "hoax", "hostile", "propaganda", "farce", "ridiculous", "preposterous",
    "rubbish", "incorrect", "unverified", "unsourced", "doctored", "debunk", "debunked", "myth", "liar", "liars",
    # (what a story was made: "the story was 'embellished'")
    "embellished", "exaggerated", "overblown",
}
# Multi-word denial phrases, matched on lowercased lemmas.
DENIAL_PHRASES = ("no plan", "no plans", "no intention", "no evidence that we", "not true", "no basis",
                  "not accurate", "inaccurate", "not correct",
                  "no truth", "nothing to do with", "no involvement", "not involved",
                  # "has no idea how the vehicle ended up in Syria": knowing nothing of the deed
                  "no idea how", "no idea where", "no idea who", "no idea whom", "no idea why", "no knowledge of")
# The answer to a death or illness rumour, when a person is what the clause is about
# ("Axl Rose is not dead"; not "the schoolgirls are all alive and well", an assurance).
HEALTH_PHRASES = ("alive and well", "is alive", "is still alive", "not dead", "in good health", "is just fine",
                  "is perfectly fine", "is doing fine")
# Words that make a claim an allegation: the claimant asserts a hidden or wrongful act.
ALLEGATION_WORDS = {
    "covertly", "secretly", "clandestinely", "illegally", "illicitly", "suspicion", "suspicions",
    "indication", "indications", "evidence", "violate", "violation", "conceal", "disguise",
    "obfuscate", "smuggle", "smuggling", "breach", "obfuscating",
}
ALLEGATION_PHRASES = ("information indicates", "indicates that", "our suspicions", "our indications", "intelligence shows")

# Whole words only: "is alive" is not in "this alive", "not dead" not in "not deadly".
def _whole_words(phrases: Iterable[str]) -> list[tuple[str, re.Pattern[str]]]:
    return [(p, re.compile(r"\b" + re.escape(p) + r"\b")) for p in phrases]


_DENIAL_PHRASE_RES = _whole_words(DENIAL_PHRASES)
_HEALTH_PHRASE_RES = _whole_words(HEALTH_PHRASES)
_ALLEGATION_PHRASE_RES = _whole_words(ALLEGATION_PHRASES)

PRONOUNS = {"he", "she", "it", "they", "we", "i", "who", "which", "that", "him", "her", "them"}
# Nouns for somebody who speaks for another party: "Woods' agent", "the singer's publicist".
AGENT_NOUNS = {"agent", "publicist", "representative", "rep", "reps", "spokesman", "spokeswoman",
               "spokesperson", "lawyer", "attorney", "manager", "aide", "adviser", "advisor"}
# A state body named without its country ("National Security Council", "the Defense Ministry"):
# the country is learnt from other articles, so such a body is no side of its own. (A town's
# police is a local authority, which speaks for itself: "the Manhattan Police Department".)
_STATE_BODY_RE = re.compile(
    r"\b(council|(?<!police )(?<!fire )(?<!sheriff's )(?<!sheriff\u2019s )department|ministry|agency|house|pentagon|administration|command|army|forces?|navy|"
    r"office|embassy|committee|parliament|congress|senate|cabinet|government|intelligence|service|military|bureau)\b",
    re.IGNORECASE,
)
# Claimants that name nobody: never a side of their own.
GENERIC_CLAIMANTS = {"reports", "report", "sources", "source", "officials", "official", "media", "critics",
                     "prosecutors", "investigators", "residents", "witnesses", "researchers", "scientists",
                     "doctors", "lawmakers", "activists", "fans", "users", "neighbours", "neighbors",
                     "experts", "analysts", "observers", "people", "some", "others", "friends", "insider",
                     "insiders", "things", "story", "statement", "police", "government", "company", "watchers"}
# Heads that point back at the last speaker: "the statement said", "the official added".
ANAPHORIC_HEADS = {
    "statement", "official", "spokesman", "spokeswoman", "spokesperson", "ministry", "comment",
    "comments", "report", "agency", "government", "regime", "representative", "envoy", "source",
    "sources", "officials", "director", "minister", "note", "letter", "message", "rebuke",
}
QUOTE_CHARS = "\"“”«»„"
_QUOTED_RE = re.compile(r"[\"“«„]([^\"”»]{2,})[\"”»]")
# Phrases that place a claim before the story's own events.
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_PAST_RE = re.compile(
    r"\b(?:in|since|during|from|early|late|mid-?)\s+(?:early\s+|late\s+|mid-?)?(" + "|".join(_MONTHS) + r")\b"
    r"|\b(last|previous|past)\s+(month|year|spring|summer|autumn|fall|winter)\b"
    r"|\b(earlier|previous|prior|former)\s+(denial|claim|statement|allegation|report|repudiation|rejection)s?\b"
    r"|\bhad\s+(?:earlier|previously|already)\b|\b(?:earlier|previously)\s+(?:denied|rejected|claimed|said|accused|alleged)\b",
    re.IGNORECASE,
)
# Average similarity two groups of claims need to be one proposition.
_PROPOSITION_SIM = 0.40

if not Doc.has_extension("cc_claims"):
    Doc.set_extension("cc_claims", default=None)


# --- small helpers ----------------------------------------------------------

# spaCy rebuilds doc.text and doc.ents from the tokens on every access; the claim rules
# ask for them thousands of times per article, so the last article's are kept.
# One tuple, replaced whole, so a thread never pairs one doc with another's text.
_last_doc: tuple[Any, str, dict[int, Span]] = (None, "", {})


def _doc_views(doc: Doc) -> tuple[str, dict[int, Span]]:
    global _last_doc
    last = _last_doc
    if last[0] is not doc:
        last = (doc, doc.text, {i: e for e in doc.ents for i in range(e.start, e.end)})
        _last_doc = last
    return last[1], last[2]


def _text(doc: Doc) -> str:
    return _doc_views(doc)[0]


def _ent_at(tok: Token) -> Span | None:
    return _doc_views(tok.doc)[1].get(tok.i)


def _forms(token: Token) -> frozenset[str]:
    """Lemma and lowercase form: title-case headlines get their lemma wrong. A verb's
    particle makes a phrasal form too ("shot down" -> "shoot down")."""
    forms = _word_forms(token.lower_, token.lemma_.lower())
    # (every verb check goes through here: look at children only for a phrasal verb's own verb)
    if token.pos_ == "VERB" and token.lemma_.lower() in _PHRASAL_HEADS:
        prt = [c.lower_ for c in token.children if c.dep_ == "prt"
               or c.dep_ == "advmod" and c.lower_ in {"back", "down", "off", "aside"}]
        if prt:
            return forms | {f"{token.lemma_.lower()} {prt[0]}"}
    return forms


@lru_cache(maxsize=65536)
def _word_forms(low: str, lemma: str) -> frozenset[str]:
    out = {lemma, low}
    for suffix in ("ies", "es", "s", "ed", "d", "ing"):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            stem = low[: -len(suffix)]
            out.update({stem, stem + "e", stem + "y" if suffix == "ies" else stem})
    return frozenset(out)


def _lemma_in(token: Token, words: set[str]) -> str | None:
    hit = _forms(token) & words
    return min(hit) if hit else None


def _is_negated(token: Token) -> bool:
    """'did not deny', 'would not say', 'neither confirmed nor denied': the verb itself is negated."""
    if any(c.dep_ == "neg" or c.lower_ in {"neither", "nor"} for c in token.children):
        return True
    head = token.head if token.dep_ == "conj" else None
    # "did not immediately confirm or deny": a negation before "or" covers both verbs
    or_ = any(c.dep_ == "cc" and c.lower_ == "or" for c in (head.children if head is not None else ()))
    return head is not None and any(c.lower_ == "neither" or (or_ and c.dep_ == "neg") for c in head.children)


def paragraph_of(text: str, offset: int) -> int:
    """0 for the headline line, then 1, 2, ... per blank-line-separated paragraph."""
    head_end = text.find("\n")
    if head_end == -1 or offset < head_end:
        return 0
    return max(1, text.count("\n\n", 0, offset))


def position_of(paragraph_index: int) -> str:
    return "headline" if paragraph_index == 0 else "lead" if paragraph_index == 1 else "body"


def _ents_in(doc: Doc, start: int, end: int) -> list[dict[str, Any]]:
    ents = (doc._.cc_entities if Doc.has_extension("cc_entities") else None) or [
        {"text": e.text, "label": e.label_, "canonical": canonical_name(e.text, e.label_),
         "start_char": e.start_char, "end_char": e.end_char}
        for e in doc.ents
    ]
    return [e for e in ents if e["start_char"] >= start and e["end_char"] <= end]


def _ent_span(doc: Doc, ent: dict[str, Any]) -> Span | None:
    """The tokens of an entity row."""
    return doc.char_span(ent["start_char"], ent["end_char"], alignment_mode="expand")


def _ents_of(doc: Doc, toks: list[Token]) -> list[dict[str, Any]]:
    """The entities that start on these tokens: a phrase with a cut conjunct or clause keeps
    only its own ("Klinger and CNN analyst Tom Fuentes, both" spans CNN but does not hold it)."""
    kept = {t.idx for t in toks}
    lo, hi = min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)
    # (a body's name may run on past the phrase: "the Islamic State of Iraq | and Syria")
    return [e for e in _ents_in(doc, lo, len(_text(doc))) if e["start_char"] in kept and (
        e["end_char"] <= hi or e["label"] == "ORG" and _text(doc)[hi:hi + 5] == " and "
        and SPLIT_NAME_TAIL_RE.search(_text(doc)[e["start_char"]:hi]))]


def _state_of(name: str) -> str | None:
    """The country a bare name speaks for, by the same rules as an ORG mention: a country
    or its capital, a seat of government, a security agency, or a state body with the
    country in its name ("US National Security Council")."""
    return _country({"text": name, "label": "ORG", "canonical": name})


def _country(ent: dict[str, Any]) -> str | None:
    if ent["label"] == "PERSON":
        return None
    found = country_of(ent["text"], ent["label"]) or country_of(ent["canonical"], ent["label"])
    if not found and ent["label"] == "ORG":
        found = agency_country(ent["text"])
    if found or ent["label"] not in {"ORG", "FAC", "NORP"}:
        return found
    if re.search(r"\bIslamic State\b", ent["text"], re.IGNORECASE):
        return None  # "the Islamic State of Iraq and Syria": a militia named for the land it claims
    # "US State Department", "North Korean state media": a country inside the name of a state
    # body or state outlet. "North Korea Leadership Watch" is a private group named after one.
    if ent["label"] == "ORG" and not (_STATE_BODY_RE.search(ent["text"]) or _MEDIA_RE.search(ent["text"])
                                      or re.search(r"\b(state|embassy|regime|party)\b", ent["text"], re.IGNORECASE)):
        return None
    if ent["label"] == "ORG" and _MEDIA_RE.search(ent["text"]) and not _STATE_BODY_RE.search(ent["text"]) \
            and not re.search(r"\b(state|official|government)\b", ent["text"], re.IGNORECASE):
        return None  # "the Washington Post", "Moscow Times": a city in a paper's name; "state TV" is the state's
    words = re.sub(r"[\u2019']s\b", "", ent["text"]).split()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            part = " ".join(words[i:i + n])
            # Two letters inside a body's name are mostly not a country ("Saudi TV", "PR firm").
            if part[:1].isupper() and part.lower() not in _STOP and (n > 1 or len(part) > 2 or part in {"US", "UK"}):
                hit = country_of(part, "GPE" if "." in part or part.isupper() else None)
                if hit:
                    return hit
    return None


def _ngram_country(tokens: Iterable[Token]) -> str | None:
    """A country named by a run of up to three tokens (for badly parsed headlines)."""
    toks = [t for t in tokens if not t.is_punct]
    for n in (3, 2, 1):
        for i in range(len(toks) - n + 1):
            run = toks[i:i + n]
            # Only names: "and" and "in" are also country codes.
            if any(t.is_stop or not t.text[:1].isupper() for t in run):
                continue
            text = " ".join(t.text for t in run)
            if n == 1 and toks[i].is_upper and len(text) <= 3 and toks[i].ent_type_ not in {"GPE", "NORP"}:
                continue  # "a TV report": a short capital word is a country code only where it is tagged a place
            found = country_of(text, "GPE" if n > 1 or toks[i].is_upper else None)
            if found:
                return found
    return None


# --- who speaks ---------------------------------------------------------------

class Party(dict):
    """claimant, side and the phrase they came from."""


def _phrase_tokens(head: Token) -> list[Token]:
    """The subject's noun phrase, without a relative clause that follows it."""
    subtree = list(head.subtree)
    inside = {t.i for t in subtree}
    # ("The report citing a South Korean daily": what the participle names is not the report)
    # ("David Klinger and CNN analyst Tom Fuentes": the second is another party)
    cut = {"relcl", "acl", "conj", "cc"}

    def cut_here(t: Token) -> bool:
        # ("Our tipster in the Canton area of Baltimore, where Michael lives": a relative
        # clause deeper in the phrase describes a place or thing, not the speaker)
        return (t.dep_ in cut and t.head == head) or (t.dep_ == "relcl" and t != head)

    return [t for t in subtree if not cut_here(t) and
            not any(cut_here(a) for a in t.ancestors if a.i in inside and a != head)]


def describe_party(doc: Doc, head: Token, person_sides: dict[str, str], by_name: bool = True) -> Party | None:
    """Claimant and side from a subject phrase: 'White House spokesman John Kirby' ->
    (John Kirby, United States); 'North Korea's vice director' -> (North Korea, North Korea)."""
    named_as = next((o for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in {"name", "call"}
                     for o in c.children if o.dep_ in {"oprd", "dobj", "attr"} and o.ent_type_ == "PERSON"), None)
    if named_as is not None and not head.ent_type_ and by_name:
        # "an eyewitness named Taugan Tan Kadalim": that man; "a Comcast agent named Jeremy": that
        # man, for Comcast
        own = describe_party(doc, named_as, person_sides)
        described = describe_party(doc, head, person_sides, by_name=False)
        if own is not None and described is not None and described.get("side") and not own.get("side"):
            own["side"] = described["side"]
        if own is not None:
            return own
    toks = _phrase_tokens(head)
    start, end = min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)
    first = min((t.i for t in toks if not t.is_punct), default=head.i)
    if by_name and first >= 2 and doc[first - 1].text in {"\u2014", "\u2013", "--"} \
            and doc[first - 2].ent_type_ in {"ORG", "PERSON"} and not head.ent_type_ \
            and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        # "Snopes.com—the premier debunker of internet myths—said": the name the dash
        # sets the description after (the parser cuts it off as a sentence of its own)
        named = describe_party(doc, doc[first - 2], person_sides, by_name=False)
        if named is not None:
            return Party(**named, named=True)
    if head.lemma_.lower() in {"source", "insider"} and any(
            (c.dep_ == "poss" or c.dep_ == "nmod" and any(x.dep_ == "case" for x in c.children))
            and _MEDIA_RE.search(" ".join(t.text for t in c.subtree)) for c in head.children):
        # "the Post's sources", "the Mirror's source": a paper's anonymous source, not the paper
        return _unnamed(head)
    kin = head
    if head.lower_ in _QUANTITY_HEADS:
        # "One of Emwazi's neighbours": the neighbours are what the phrase is about
        kin = next((o for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                    for o in c.children if o.dep_ == "pobj"), head)
    if kin.lemma_.lower() in _RELATIONS and kin.pos_ == "NOUN" and not kin.ent_type_:
        # "The sister of British-born photojournalist Luke Somers", "Somers' wife": what the
        # phrase says of the man she is kin to is not hers
        owned = {t.i for c in kin.children if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of")
                 for t in c.subtree}
        own = [t for t in toks if t.i not in owned]
        # ("in Queen's Park": where they live names nobody either)
        named = [e for e in _ents_of(doc, own) if not _located_in(doc, e)]
        if owned and not named and not any(t.pos_ == "PROPN" and not t.ent_type_ for t in own):
            return _unnamed(head)
    ents = _ents_of(doc, toks)
    # "Many of Williams' colleagues": the person whose colleagues speak is not the speaker
    people = [e for e in ents if e["label"] == "PERSON" and not _only_an_owner(_ent_span(doc, e))]
    countries = [c for e in ents if not _located_in(doc, e) and not _outlets_country(doc, e, toks)
                 and not _private_nationality(doc, e) for c in [_country(e)] if c]
    ranks = _fights_for(doc, head)
    if ranks:
        # "An American who is fighting in the ranks of the Kurds": the side they fight on,
        # not their nationality
        countries = [ranks]
    # ("the paper" alone is an outlet named before: see _resolve_subject.)
    # "the South Korean daily Chosun Ilbo": a media word on the name makes it the press too
    media_word = head.lemma_.lower() in _MEDIA_NOUNS or any(
        c.dep_ in {"compound", "appos"} and c.lemma_.lower() in _MEDIA_NOUNS for c in head.children)
    media_word = media_word or _reporting_name(head)
    press = media_word and not any(
        t.lower_ in {"state", "official", "government", "regime"} for t in toks) and \
        any(t.pos_ in {"ADJ", "PROPN", "NOUN"} and t != head for t in toks)
    if head.pos_ == "NOUN" and head.text[:1].isupper() and not head.ent_type_ \
            and (_MEDIA_RE.fullmatch(head.text) or head.lower_ == "reporter") \
            and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in head.children):
        # "The Hollywood Reporter revealed" (no name tagged but a place): a paper by its title
        name = " ".join(t.text for t in toks if t.i >= min(c.i for c in head.children if c.dep_ == "compound")
                        and t.i <= head.i)
        return Party(claimant=name, side=name, start=start, end=end, phrase=_text(doc)[start:end], human=False,
                     press=True)
    if press and not head.ent_type_ and re.search(r"\w\.[a-z]{2,3}$", head.text):
        # "French Apple website iGen.fr is reporting": the site by its address, not the firm it covers
        return Party(claimant=head.text, side=head.text, start=start, end=end, phrase=_text(doc)[start:end],
                     human=False, press=True)
    if press:
        # "Iraqi news outlets claimed": a country's press is not its state ("state media" is).
        countries = []
        ents = [e for e in ents if e["label"] not in {"GPE", "NORP"}]
    orgs = [e for e in ents if e["label"] in {"ORG", "FAC"} and not _country(e)]
    if not people and orgs and orgs[0]["start_char"] <= head.idx < orgs[0]["end_char"] and _free_press(orgs[0], toks):
        countries = []  # "the U.K.'s Daily Mail said": the paper speaks, not Britain
    newsroom = _newsroom(ents, toks)
    if newsroom:
        countries = []  # "the BBC's Mexico correspondent": the BBC's voice, on Mexico
    side = countries[0] if countries else None
    principal = None if countries else newsroom or _represented(doc, toks, None)
    if people:
        # The person the phrase is about: "Bernadette Meehan, the spokeswoman for President
        # Barack Obama's National Security Council" is Meehan; "Woods' agent, Mark Steinberg"
        # is the agent's appositive, Steinberg.
        at_head = [e for e in people if e["start_char"] <= head.idx < e["end_char"]]
        appos = [e for e in people for c in head.children
                 if c.dep_ == "appos" and e["start_char"] <= c.idx < e["end_char"]]
        claimant = (at_head or appos or people)[-1]["canonical"]
        side = side or principal or person_sides.get(claimant)
        if head.lemma_.lower() in {"administration", "government", "regime"} and not at_head \
                and side and country_of(side) == side:
            claimant = side  # "the Obama administration": the state its leader leads, not the man
        named = _ent_span(doc, (at_head or appos or people)[-1])
        if not side and not at_head and (head.lemma_.lower() in _MEDIA_NOUNS or named is not None and (
                named.root.dep_ in {"appos", "compound"} and named.root.head.lemma_.lower() in _MEDIA_NOUNS)):
            # "the entertainment website Adobo Chronicles", "a report from French Apple website
            # iGen" (tagged a person): an outlet speaks for itself
            side = claimant
        if not side:
            own_orgs = [o for o in orgs if not _MEDIA_RE.search(o["text"]) and not _STATE_BODY_RE.search(o["text"])]
            side = own_orgs[0]["canonical"] if own_orgs and _holds_office(toks) else None
        if not side and _office_of_described_body(toks):
            # "The group's leader, Abubakar Shekau", "the company's chief executive, Tim Cook":
            # the body is the one named before
            # (not the agency the video was sent to, nor a surname the tagger took for a body)
            people = " ".join(e["canonical"] for e in _ents_in(doc, 0, len(_text(doc))) if e["label"] == "PERSON")
            body = _named_before(doc, start, {"ORG"}, lambda e: not _country(e) and not _outlet_like(e["text"])
                                 and not re.search(rf"\b{re.escape(e['canonical'])}\b", people))
            side = (person_sides.get(body) or body) if body else None
        spokes = [t for t in toks if t.lemma_.lower() in _SPOKES_NOUNS - {"authority", "authorities"}]
        # (only a bare title: "a spokesman with the charity", "for the county prosecutor",
        # "Detroit police spokesman" name a body the tagger missed, not the one named before)
        if not side and not orgs and spokes and not any(
                c.dep_ in {"prep", "poss"} or c.lemma_.lower() in {"top", "chief", "deputy"}
                or c.dep_ == "compound" and c.pos_ in {"NOUN", "PROPN"} and c.i < t.i
                for t in spokes for c in t.children):
            # "spokesperson Marsha Catron told AOL", after "The Department of Homeland Security told
            # AOL News ...": a spokesperson with no body named speaks for the body named last
            body = _named_before(doc, start, {"ORG"}, lambda e: not _MEDIA_RE.search(e["text"]))
            side = (person_sides.get(body) or _state_of(body) or body) if body else None
    elif orgs and not countries and head.lemma_.lower() in _NOT_STAFF and head.pos_ == "NOUN":
        # "A junior student at Elon University": where somebody studies is not whom they speak for
        return _unnamed(head)
    elif orgs and not countries:
        claimant = orgs[0]["canonical"]
        side = side or principal or person_sides.get(claimant)
        if not side and not _MEDIA_RE.search(orgs[0]["text"]) and not _STATE_BODY_RE.search(orgs[0]["text"]):
            side = claimant  # a company or body speaks for itself
    elif countries:
        # An unnamed official speaks for their country.
        claimant = countries[0]
    elif principal:
        # "the actor's reps": unnamed, on the side of the one they represent.
        claimant, side = _text(doc)[start:end].strip(" ,;:-\u2014"), principal
    elif press:
        # an outlet that claims speaks for itself: "Iraqi news outlets", not "multiple Iraqi ..."
        words = [t for t in toks if not (t.dep_ in {"det", "predet"} or t.lower_ in {"multiple", "several", "many", "some"})]
        lo, hi = min(t.idx for t in words), max(t.idx + len(t.text) for t in words)
        claimant = side = _text(doc)[lo:hi].strip(" ,;:-\u2014")
    else:
        # The parser may cut a name ("North | Korea said"): take capitalised words just before.
        lead = []
        i = toks[0].i - 1 if toks else -1
        while i >= 0 and doc[i].pos_ == "PROPN" and doc[i].is_title and len(lead) < 2:
            lead.insert(0, doc[i])
            i -= 1
        # "Sources in the Kurdish underground in Syria": where they are, not whom they speak for.
        inside = {t.i for t in toks}
        found = _ngram_country(lead + [t for t in toks if not (
            t.dep_ == "pobj" and t.head.lower_ in {"in", "at", "near", "inside"}
            and t.head.head.i in inside and t.head.head.pos_ in {"NOUN", "PROPN"}) and not _studies(t)
            and not _comes_from(t) and not _some_of_a_people(t) and not (t.dep_ in {"amod", "compound"} and t.head.lemma_.lower()
                                            in _NONSTATE_BODIES | _PRIVATE_PEOPLE)])
        if not found and any(t.lower_ in {"country", "nation"} and t.dep_ == "poss" for t in toks):
            found = protagonist(doc)  # "the country's defense ministry": the story's own country
        if not found and _STATE_BODY_RE.search(head.text) and any(
                t.lower_ in {"his", "her"} and t.dep_ == "poss" and t.head == head for t in toks):
            # "Kim Jong Un's health is just fine, his government said": the state of the person
            # named last, when their description gives one.
            person = _named_before(doc, head.idx, {"PERSON"})
            side = person_sides.get(person or "")
            found = side if side and country_of(side) == side else None
        if not found and head.lemma_.lower() in _OFFICE_TITLES | _SPOKES_NOUNS:
            # "Navarro County officials", "Gaza police": a local authority speaks for itself.
            local = [e for e in ents if e["label"] == "GPE"]
            found = local[0]["canonical"] if local else None
        if not found and head.lemma_.lower() in _OFFICE_WORDS | AGENT_NOUNS:
            # "the Boko Haram leader": a name the model did not tag, before an office word
            name = _untagged_name_before(head)
            if name:
                phrase = _text(doc)[start:end].strip(" ,;:-\u2014")
                return Party(claimant=phrase[:1].lower() + phrase[1:], side=name, start=start, end=end,
                             phrase=phrase, human=True, press=False)
        if not found:
            # "Sources in the Kurdish underground": a people that is no state speaks as itself.
            # ("a Catholic priest in America": one person's faith is no party he speaks for;
            # "Muslim groups" speak for Muslims)
            groups = [norp_group(e["text"]) for e in ents if e["label"] == "NORP" and not _located_in(doc, e)
                      and not (e["text"].lower() in _FAITHS and head.tag_ == "NN")]
            found = next((g for g in groups if g), None)
        if not found and any(_some_of_a_people(t) for t in toks):
            return _unnamed(head)  # "A group of Russians", "Two Americans": private people, named by nobody
        if not found:
            return None
        claimant = side = found
    # "an AutoNation spokesman denied ... He said ...": an unnamed person is who "he" means next.
    human = bool(people) or head.lemma_.lower() in AGENT_NOUNS | _OFFICE_WORDS | _PERSON_DESCRIPTIONS | _HUMAN_NOUNS \
        or bool(ranks) or (head.ent_type_ == "NORP" and any(c.lower_ in {"a", "an"} for c in head.children)) \
        or any(c.dep_ == "appos" and c.lemma_.lower() in _OFFICE_WORDS | _PERSON_DESCRIPTIONS for c in head.children)
    # (the last: "Meenakshi Ganguly, South Asia Director at Human Rights Watch", tagged ORG)
    return Party(claimant=claimant, side=side, start=start, end=end, phrase=_text(doc)[start:end], human=human,
                 press=press and not people and not orgs)


# Heads that count people out of a group: "One of Emwazi's neighbours", "Many of Williams' colleagues".
_QUANTITY_HEADS = {"one", "two", "three", "some", "many", "several", "most", "all", "few", "others"}
# People at a body who do not speak for it.
_NOT_STAFF = {"student", "pupil", "patient", "customer", "visitor", "fan", "passenger", "guest", "tourist",
              "shopper", "user", "viewer", "reader", "teen", "teenager", "alumnus", "graduate", "inmate"}
# Nouns for people, whom "he" or "she" can mean next ("One longtime NBC employee ... he said").
_HUMAN_NOUNS = {"employee", "staffer", "worker", "member", "friend", "relative", "colleague", "neighbour",
                "neighbor", "resident", "witness", "man", "woman", "father", "mother", "son", "daughter",
                "brother", "sister", "wife", "husband", "teen", "teenager", "student", "teacher", "nurse",
                "soldier", "fighter", "source", "insider", "plumber", "driver", "pilot", "officer", "survivor"}
# Nouns a person's name owns without the phrase being about that person.
_RELATIONS = {"colleague", "friend", "fan", "family", "relative", "neighbour", "neighbor", "supporter", "critic",
              "rival", "opponent", "teammate", "classmate", "co-worker", "coworker", "parent", "child", "children",
              "mother", "father", "son", "daughter", "brother", "sister", "wife", "husband", "widow", "widower",
              "uncle", "aunt", "cousin", "nephew", "niece", "grandmother", "grandfather", "girlfriend",
              "boyfriend", "fiancee", "fiance", "spouse", "sibling", "siblings", "parents", "sons", "daughters"}


def _only_an_owner(span: Span | None) -> bool:
    """'Williams' colleagues', 'Woods' fans': the name owns the phrase's people."""
    if span is None or not len(span):
        return False
    doc = span.doc
    # (the parser does not always make the name the owner: "Many of Williams' colleagues")
    marks = {"'", "\u2019", "'s", "\u2019s"}
    after = next((t for t in doc[span.end:span.end + 3] if t.text not in marks and t.tag_ != "POS"), None)
    owned = after is not None and after.i > span.end and doc[after.i - 1].text in marks | {"'S"}
    if owned and after.lemma_.lower() in _RELATIONS:
        return True
    # "friends of Emwazi, who spoke on condition of anonymity"
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in _RELATIONS


def _fights_for(doc: Doc, head: Token) -> str | None:
    """'who is fighting with the Kurds', '... in the ranks of the Kurds', 'who fought for
    the Peshmerga': the party a fighter is on."""
    for clause in head.children:
        if clause.dep_ not in {"relcl", "acl"} or clause.lemma_.lower() not in {"fight", "serve", "volunteer"}:
            continue
        for prep in (c for c in clause.children if c.dep_ == "prep"):
            for obj in (o for o in prep.children if o.dep_ == "pobj"):
                if prep.lower_ == "in" and obj.lower_ == "ranks":
                    obj = next((o for p in obj.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"), None)
                elif prep.lower_ not in {"with", "for", "alongside"}:
                    continue
                if obj is None or obj.pos_ not in {"PROPN", "NOUN"} or not obj.text[:1].isupper():
                    continue
                span = _ent_at(obj)
                name = span.text if span is not None else obj.text
                name = re.sub(r"^[Tt]he\s+", "", name)
                return country_of(name) or (norp_group(name) if span is not None and span.label_ == "NORP" else None) \
                    or canonical_name(name, span.label_ if span is not None else None)
    return None


def _untagged_name_before(head: Token) -> str | None:
    """'the Boko Haram leader', 'a Mark-1 Plumbing spokesman': the proper nouns compounded
    onto an office word, when the model tagged them as nothing."""
    words = [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
    words = [w for c in words for w in c.subtree if w.pos_ == "PROPN" or w.is_punct and w.text == "-"]
    if not words or any(w.ent_type_ for w in words) or any(not w.text[:1].isupper() for w in words if w.pos_ == "PROPN"):
        return None
    name = " ".join(w.text for w in words).replace(" - ", "-")
    if len(words) == 1 and (words[0].is_sent_start or words[0].i == 0 or words[0].nbor(-1).is_space):
        return None  # "Health officials said": a capital only because the sentence starts there
    if is_title_only(name) or is_title_only(f"{name} {head.text}"):
        return None  # "the Prime Minister", "Deputy Commander": a title, not a party's name
    return None if country_of(name) or _STATE_BODY_RE.search(name) or _MEDIA_RE.search(name) else name


_FAITHS = {"catholic", "christian", "muslim", "jewish", "buddhist", "hindu", "protestant", "orthodox", "evangelical",
           "mormon", "anglican", "methodist", "baptist", "lutheran", "sikh", "atheist"}


def norp_group(adjective: str) -> str | None:
    """'Kurdish' -> 'Kurds', 'Islamist' -> 'Islamists', 'Yazidi' -> 'Yazidis': the people an
    adjective of nationality or creed names, when it is no state (those map to the state)."""
    word = adjective.strip()
    if not word or " " in word or not word[:1].isupper() or country_of(word, "NORP"):
        return None
    if word.lower() in {"western", "eastern", "northern", "southern", "foreign", "international", "global"}:
        return None  # "a senior Western intelligence official": no people of its own
    if word.endswith("ish") and len(word) > 5:
        return word[:-3] + "s"
    if word.endswith(("an", "ist", "i", "im")):
        return word + "s"
    return word


_MEDIA_NOUNS = {"outlet", "media", "paper", "newspaper", "site", "website", "station", "channel", "network",
                "press", "tabloid", "magazine", "broadcaster", "daily"}


# Heads of unnamed speakers that speak for a state: "a senior ministry official", "authorities"
# (the home state of a one-country story is theirs).
_STATE_SPEAKERS = {"ministry", "government", "army", "military", "official", "officials", "authorities",
                   "forces", "embassy", "spokesman", "spokeswoman", "spokesperson", "lawmakers", "legislators",
                   "diplomats", "diplomat"}


def _unnamed_state_speaker(claim: dict[str, Any]) -> bool:
    """A claim of "a senior ministry official" or "authorities" that has no side yet."""
    return not claim.get("side") and bool(claim.get("claimant")) \
        and claim["claimant"].lower().split()[-1] in _STATE_SPEAKERS


def _home_state(doc: Doc) -> str | None:
    """The one country an article is about, when it names it at least three times and
    twice as often as any other; else None."""
    return _dominant(Counter(c for e in _ents_in(doc, 0, len(_text(doc))) for c in [_country(e)] if c))


def _dominant(counts: Counter) -> str | None:
    """The one name an article is about: at least three mentions and twice any other's."""
    top = counts.most_common(2)
    if not top or top[0][1] < 3 or (len(top) > 1 and top[0][1] < 2 * top[1][1]):
        return None
    return top[0][0]


# Titles of a firm's own officers: "CEO Tim Cook" in an article about one company speaks
# for it. ("President", "spokesman" serve states as often, so they are not here.)
_COMPANY_TITLES = {"ceo", "cfo", "coo", "founder", "co-founder", "cofounder"}


def _home_org(doc: Doc) -> str | None:
    """The one organisation an article is about, when it names it at least three times and
    twice as often as any other; outlets and state bodies do not count."""
    names = [e["canonical"] for e in _ents_in(doc, 0, len(_text(doc)))
             if e["label"] == "ORG" and not _country(e) and not _MEDIA_RE.search(e["text"])
             and not _STATE_BODY_RE.search(e["text"])]
    # "Apple Watch" (the small model tags products ORG) is a mention of Apple, when Apple is named too.
    own = set(names)
    return _dominant(Counter(next((o for o in sorted(own, key=len) if n.startswith(o + " ")), n) for n in names))


def protagonist(doc: Doc) -> str | None:
    """The country the headline names first (else the most mentioned one): what
    'the country' refers to in the article."""
    ents = _ents_in(doc, 0, len(_text(doc)))
    head_end = _text(doc).find("\n")
    head_end = len(_text(doc)) if head_end == -1 else head_end
    in_head = [c for e in ents if e["end_char"] <= head_end for c in [_country(e)] if c]
    if in_head:
        return in_head[0]
    counts = Counter(c for e in ents for c in [_country(e)] if c)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if counts else None


# Titles of people who speak for their organisation. A golfer on the PGA Tour, a professor
# at Harvard Business School or a fan of a club speaks for themselves.
# Ranks only a police force gives ("captain", "lieutenant" are also an army's or a team's);
# British style writes them without the full stop ("Sgt Gill Cherry of Cumbria Police").
_POLICE_RANKS = {"detective", "det.", "det", "inspector", "insp.", "insp", "superintendent", "supt.", "supt",
                 "constable", "sergeant", "sgt.", "sgt"}
_OFFICE_WORDS = _POLICE_RANKS | {
    "ceo", "cfo", "coo", "chief", "executive", "president", "vice", "chairman", "chairwoman", "chair",
    "director", "spokesman", "spokeswoman", "spokesperson", "representative", "rep", "official", "officer",
    "head", "manager", "secretary", "commissioner", "founder", "co-founder", "owner", "partner", "counsel",
    "lawyer", "attorney", "agent", "publicist", "coordinator", "minister", "ambassador", "envoy", "general",
    "commander", "leader", "boss", "editor", "chancellor", "dean", "governor", "mayor", "spokesmen",
    # other ranks: "Det. James Patterson, of the Manhattan Police Department" (a police rank above)
    "lieutenant", "lt.", "captain", "capt.",
}
# A force by its name, tagged or not ("Cumbria Police", "the Metropolitan Police Service").
_POLICE_FORCE_RE = re.compile(r"\b((?:[A-Z][\w'-]+ ){1,3}(?:Police|Constabulary)(?: Department| Service)?)\b")


def _reporting_name(tok: Token) -> bool:
    """'UK MailOnline reported': a name (tagged a body, or not tagged) whose verb is "report" is
    an outlet, and a country on it is where the outlet is."""
    return tok.pos_ == "PROPN" and tok.ent_type_ in {"ORG", ""} and tok.dep_ == "nsubj" and tok.head.lemma_ == "report"


def _outlet_like(name: str) -> bool:
    """A news outlet or agency by its name ('Agence France-Presse', 'CNN', 'Daily Mail',
    'Snopes.com')."""
    return bool(_MEDIA_RE.search(name) or _WEB_ADDRESS_RE.search(name) or _BROADCASTER_RE.fullmatch(name)
                or re.search(r"\b(Presse|Agence)\b", name))


def _office_of_described_body(toks: list[Token]) -> bool:
    """'the group's leader', 'the company's chief executive': an office of a body the phrase
    names only by a description ("the paper's editor" is an outlet's, left to the outlet rules)."""
    return any(t.dep_ == "poss" and t.lemma_.lower() in _ORG_DESCRIPTIONS - _OUTLET_DESCRIPTIONS
               and any(d.lower_ == "the" for d in t.children) and _holds_office([t.head]) for t in toks)


def _holds_office(toks: list[Token]) -> bool:
    return any(t.lower_ in _OFFICE_WORDS or t.lemma_.lower() in _OFFICE_WORDS for t in toks)


# People who study a place: "Pyongyang watchers", "North Korea expert Jenny Town".
_STUDENTS_OF = {"watcher", "expert", "analyst", "observer", "specialist", "scholar", "hand", "researcher",
                "academic", "historian"}


def _studies(tok: Token) -> bool:
    """A name in the compound of a word for somebody who studies it ('Pyongyang watchers',
    'North Korea-watchers'): what they study, not whom they speak for."""
    while tok.dep_ == "compound" and tok.head.i > tok.i:
        tok = tok.head
        if tok.lemma_.lower() in _STUDENTS_OF or tok.lower_.rstrip("s") in _STUDENTS_OF:
            return True
    return False


# People "from" a state who speak for it: "a delegation from Iraq", "a senator from Texas".
_FROM_A_STATE = {"delegation", "team", "envoy", "diplomat", "lawmaker", "senator", "congressman", "congresswoman",
                 "representative", "soldier", "troops", "force", "forces", "officer", "authorities", "police", "mp"}


def _comes_from(tok: Token) -> bool:
    """'The 21-year-old, from Bunbury, Western Australia': where somebody comes from, unless
    they are sent by it ('a delegation from Iraq')."""
    while tok.dep_ in {"appos", "conj", "compound"} and tok.head != tok:
        tok = tok.head
    prep = tok.head
    return tok.dep_ == "pobj" and prep.lower_ == "from" and prep.head.pos_ in {"NOUN", "PROPN", "ADJ"} \
        and prep.head.lemma_.lower() not in _OFFICE_WORDS | _STATE_SPEAKERS | _FROM_A_STATE \
        and prep.head.ent_type_ not in {"PERSON", "ORG", "GPE", "NORP"}  # (an age is tagged DATE)


def _located_in(doc: Doc, ent: dict[str, Any]) -> bool:
    """'his fellow captive in Libya', 'a magazine based in Tokyo', 'Pyongyang watchers': a
    place where the person is or was, or that they study, not a state they speak for."""
    if ent["label"] not in {"GPE", "LOC", "FAC"}:
        return False  # before the span lookup: most entities in a description are names
    span = _ent_span(doc, ent)
    if span is None:
        return False
    if _studies(span.root):
        return True
    if _comes_from(span.root):
        return True
    head = span.root.head
    if span.root.dep_ in {"npadvmod", "compound", "amod"} and head.lower_ == "based":
        # "UK-based terror expert Shiraz Maher": where he works, not whom he speaks for
        # (but "the Gaza-based Ministry of Interior" is that place's government)
        return not _STATE_BODY_RE.search(head.head.text)
    # ("Emmental, imported from Switzerland": a participle's place is an origin, not a side)
    return span.root.dep_ == "pobj" and (head.lower_ in {"in", "at", "near", "inside"}
                                         or head.head.dep_ == "acl" and head.head.pos_ == "VERB")


def descriptions_of_people(doc: Doc) -> dict[str, str]:
    """Each named person or body -> the country its own description names
    ('Ukrainian President Volodymyr Zelensky', 'Kim Jong Un, the leader of North Korea',
    'North Korean state media KCNA')."""
    out: dict[str, str] = {}
    ents = _ents_in(doc, 0, len(_text(doc)))
    for e in ents:
        if e["label"] not in {"PERSON", "ORG"} or _country(e):
            continue
        span = _ent_span(doc, e)
        if span is None:
            continue
        root = span.root
        # Climb compound/appos links so the whole description is in view.
        while root.dep_ in {"compound", "appos", "nmod"} and root.head != root:
            root = root.head
        # a relative clause says what they did; a coordinated phrase ("the PGA Tour and
        # Woods' agent") is another party
        # (also on the appositive: "Idris Nassan, a senior Kurdish official from Kobani who is now
        # in the Turkish town of Mursitpinar" is where he is, not whom he speaks for)
        cut = {x.i for h in [root] + [a for a in root.children if a.dep_ == "appos"] for c in h.children
               if c.dep_ in {"relcl", "acl", "ccomp", "conj", "cc"} and not _describes_a_post(c) for x in c.subtree}
        toks = [t for t in root.subtree if t.i not in cut]
        lo = min(t.idx for t in toks)
        hi = max(t.idx + len(t.text) for t in toks)
        if hi - lo > 160:
            continue
        inside = _ents_of(doc, toks)
        countries = [c for x in inside if not _located_in(doc, x) and not _outlets_country(doc, x, toks)
                     for c in [_country(x)] if c]
        if e["canonical"] in out:
            continue
        if _free_press(e, toks):
            continue  # "the U.K.'s Daily Mail": where the paper is, not whom it speaks for
        newsroom = _newsroom(inside, toks) if e["label"] == "PERSON" else None
        if newsroom:
            out[e["canonical"]] = newsroom  # "Will Grant, the BBC's Mexico correspondent": the BBC
            continue
        if countries:
            out[e["canonical"]] = countries[0]
            continue
        # No country: a representative speaks for whom they represent ("Woods' agent,
        # Mark Steinberg"); anybody else for the organisation their description names
        # ("Ty Votaw, executive vice president of the PGA Tour").
        principal = _represented(doc, toks, e)
        if principal is None and e["label"] == "PERSON":
            orgs = [x for x in inside if x["label"] == "ORG" and x["canonical"] != e["canonical"]
                    and not _MEDIA_RE.search(x["text"]) and not _STATE_BODY_RE.search(x["text"])]
            principal = orgs[0]["canonical"] if orgs and _holds_office(toks) else None
        if principal is None and e["label"] == "PERSON":
            principal = _described_principal(doc, toks, e) or _office_of(toks)
        if principal is None and e["label"] == "PERSON":
            # "Comcast spokesperson Charlie Douglas": an untagged name on his title
            # (a firm's titles only: "Foreign Secretary", "Justice Minister" name a post, not a firm)
            principal = next((n for t in toks if t.lemma_.lower() in _FIRM_TITLES and not t.ent_type_
                              for n in [_untagged_name_before(t)] if n), None)
        if principal is None and e["label"] == "PERSON":
            # "Rami Abdulrahman, who runs the SOHR": the body he runs
            runs = [c for c in root.children if _describes_a_post(c)
                    and c.lemma_.lower() in {"run", "head", "lead", "direct", "found", "own", "chair"}]
            bodies = [x for x in inside if x["label"] == "ORG" and not _MEDIA_RE.search(x["text"])
                      and any(c.left_edge.idx <= x["start_char"] < c.right_edge.idx + len(c.right_edge) for c in runs)]
            principal = bodies[0]["canonical"] if bodies else None
        if principal is None and e["label"] == "PERSON" and any(t.lower_ in _COMPANY_TITLES for t in toks) \
                and not any(t.pos_ == "PROPN" and t.lower_ not in _OFFICE_WORDS
                            and not e["start_char"] <= t.idx < e["end_char"] for t in toks):
            # "CEO Tim Cook", with no firm named in the phrase: the firm the article is about
            principal = _home_org(doc)
        if principal is None and e["label"] == "PERSON" and any(t.lower_ in _POLICE_RANKS for t in toks):
            # "Sgt Gill Cherry said", in an article that names one police force: that force
            # (less a sentence's capitalised first word: "The Cumbria Police", "In Cumbria Police")
            forces = {re.sub(r"^(The|A|In|And|But|Then) ", "", m.group(1)) for m in _POLICE_FORCE_RE.finditer(_text(doc))}
            principal = forces.pop() if len(forces) == 1 else None
        if principal is None and e["label"] == "PERSON" and any(
                t.lower_ in {"ministry", "government", "army", "military", "embassy"} for t in toks) \
                and not [x for x in inside if x["label"] in {"ORG", "NORP", "GPE"}]:
            # "Ministry spokesman Jean-Christophe de Le Rue", in an article about one country: its state
            principal = _home_state(doc)
        if principal:
            out[e["canonical"]] = principal
    return out


# (Not "journalist" or "writer": a hostage who is a freelance journalist, a screenwriter.)
_JOURNALISTS = {"correspondent", "reporter", "columnist", "anchor", "anchorman", "anchorwoman", "editor",
                "commentator"}


def _newsroom(ents: list[dict[str, Any]], toks: list[Token]) -> str | None:
    """The outlet a journalist's description names: their beat ("Mexico correspondent") is
    what they cover, not whom they speak for."""
    if not any(t.lemma_.lower() in _JOURNALISTS and not t.ent_type_ for t in toks):  # (not "The Hollywood Reporter")
        return None
    # (whatever organisation a correspondent's phrase names is their outlet: "the BBC's")
    outlets = [e for e in ents if e["label"] == "ORG" and not _country(e)]
    return outlets[0]["canonical"] if outlets else None


# Bodies that are no state's, whatever country they are from: "Iraqi group ISIS".
_NONSTATE_BODIES = {"blog", "group", "militant", "militants", "rebel", "rebels", "movement", "network", "militia",
                    "company", "firm", "organisation", "organization", "charity", "insurgent", "insurgents"}


def _outlets_country(doc: Doc, ent: dict[str, Any], toks: list[Token]) -> bool:
    """'a report from French Apple website iGen', 'Iraqi group ISIS': where an outlet or a
    group is from, on its own noun, is not whom it speaks for (unless the phrase makes it the
    state's: 'state media')."""
    span = _ent_span(doc, ent)
    if span is None or ent["label"] not in {"NORP", "GPE"}:
        return False
    head = span.root.head if span.root.dep_ in {"amod", "compound", "nmod", "poss"} else None
    words = {head.lemma_.lower()} if head is not None else set()
    while head is not None and head.dep_ == "compound" and head.head.i > head.i:
        head = head.head  # ("Nigerian militant group Boko Haram": the group word is a compound)
        words.add(head.lemma_.lower())
    reports = head is not None and span.root.dep_ == "compound" and _reporting_name(head)
    return head is not None and (bool(words & (_MEDIA_NOUNS | _NONSTATE_BODIES)) or reports) and not any(
        t.lower_ in {"state", "official", "government", "regime", "state-run", "state-owned"} for t in toks)


# People who hold no office: "Two Australian men claim ...".
_PRIVATE_PEOPLE = {"man", "men", "woman", "women", "boy", "boys", "girl", "girls", "teen", "teenager", "couple", "pair",
                   "mother", "father", "mum", "dad", "tourist", "student", "resident", "citizen", "national", "family",
                   # ("Syrian activists claim": no state's voice, often its opponents')
                   "activist", "activists", "dissident", "dissidents", "defector", "defectors", "refugee", "refugees"}


def _private_nationality(doc: Doc, ent: dict[str, Any]) -> bool:
    """'Two Australian men', 'a British tourist': where private people are from is no state
    they speak for (the guideline's states speak through officials)."""
    span = _ent_span(doc, ent)
    if span is None or ent["label"] not in {"NORP", "GPE"}:
        return False
    root = span.root
    return _some_of_a_people(root) or root.dep_ in {"amod", "compound"} and root.head.lemma_.lower() in _PRIVATE_PEOPLE


def _some_of_a_people(tok: Token) -> bool:
    """'A group of Russians claim to have captured ... bigfoot': some of a people, not its state."""
    if not (tok.ent_type_ == "NORP" and (tok.tag_ == "NNPS" or tok.lower_.endswith(("ns", "es")))):
        return False
    counted = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" \
        and tok.head.head.lemma_.lower() in {"group", "team", "couple", "pair", "band", "family"} | _QUANTITY_HEADS else tok
    # ("Two Americans", "a group of": a count; "the Russians" can be the state)
    return any(c.dep_ in {"det", "nummod"} and c.lower_ != "the" for c in counted.children)


def _free_press(org: dict[str, Any], toks: list[Token]) -> bool:
    """An outlet by its name ("the U.K.'s Daily Mail", "South Korea's Yonhap news agency")
    whose phrase does not make it the state's own voice ("state media", "official")."""
    return org["label"] == "ORG" and bool(_MEDIA_RE.search(org["text"])) and not any(
        t.lower_ in {"state", "official", "government", "regime", "state-run", "state-owned"} for t in toks)


def _describes_a_post(clause: Token) -> bool:
    """'Faisal Ghazi, who is part of Iraq's Health Committee', '..., who works for the WHO':
    a relative clause that says where somebody serves describes them; others say what they did."""
    if clause.lemma_.lower() == "be" and not any(c.dep_ in {"attr", "acomp"} for c in clause.children):
        return False  # "who is now in the Turkish town of Mursitpinar": where he is, not his post
    return clause.dep_ == "relcl" and clause.lemma_.lower() in {"be", "work", "serve", "head", "lead", "chair",
                                                                "run", "direct", "found", "own", "advise"} \
        and any(c.dep_ == "nsubj" and c.lower_ == "who" for c in clause.children)


_SPOKES_NOUNS = {"spokesman", "spokeswoman", "spokesperson", "authority", "authorities"}
# Titles a firm's people hold, which an untagged firm name may precede: "Comcast spokesperson"
# (not a post's: "Foreign Secretary", "Justice Minister").
_FIRM_TITLES = _SPOKES_NOUNS - {"authority", "authorities"} | _COMPANY_TITLES | {
    "chairman", "chairwoman", "director", "executive", "manager", "owner", "representative", "rep", "agent",
    "publicist", "lawyer", "editor", "boss", "head"}
_OFFICE_TITLES = {"judge", "sheriff", "mayor", "governor", "commissioner", "councillor", "councilman",
                  "councilwoman", "prosecutor", "attorney", "official", "officials", "police", "chief"}


def _office_of(toks: list[Token]) -> str | None:
    """'the son of the owner of Mark-1 Plumbing': the proper name an office word is *of*,
    whatever entity label the small model gave it (it tags firms PRODUCT or nothing)."""
    inside = {t.i for t in toks}
    for t in toks:
        if t.lower_ not in _OFFICE_WORDS and t.lemma_.lower() not in _OFFICE_WORDS:
            continue
        for prep in t.children:
            if prep.dep_ != "prep" or prep.lower_ not in {"of", "at"}:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj" or obj.pos_ != "PROPN" or obj.i not in inside:
                    continue
                words = [c for c in obj.lefts if c.dep_ in {"compound", "nummod"} and c.pos_ in {"PROPN", "NUM"}]
                name = " ".join(w.text for w in words + [obj])
                if obj.ent_type_ in {"GPE", "LOC", "NORP", "PERSON"} or _MEDIA_RE.search(name) \
                        or _STATE_BODY_RE.search(name) or country_of(name):
                    continue
                if len(words) == 0 and not obj.ent_type_:
                    continue  # "director of Health": a field, not a firm's name
                return name
    return None


def _described_principal(doc: Doc, toks: list[Token], person: dict[str, Any]) -> str | None:
    """'Navarro County Judge H.M. Davenport': the local authority whose title the person holds."""
    for x in _ents_in(doc, min(t.idx for t in toks), person["start_char"]):
        span = _ent_span(doc, x)
        if x["label"] == "GPE" and span is not None and span.root.dep_ == "compound" \
                and span.root.head.lemma_.lower() in _OFFICE_TITLES:
            return x["canonical"]
    return None


def _represented(doc: Doc, toks: list[Token], own: dict[str, Any] | None) -> str | None:
    """'Woods' agent', 'the actor's publicist', 'an AutoNation spokesman': whom the phrase's
    agent noun speaks for, when that is a named person or organisation."""
    for t in toks:
        press_staff = t.lower_ in {"officer", "secretary"} and any(c.lower_ == "press" for c in t.children)
        if t.lemma_.lower() not in AGENT_NOUNS and t.lower_ not in AGENT_NOUNS and not press_staff:
            continue
        if own is not None and any(c.dep_ in {"poss", "compound", "nmod"} and own["start_char"] <= c.idx < own["end_char"]
                                   for c in t.children):
            continue  # "the PGA Tour ... agent": the party whose agent this is, not the agent
        owners = [c for c in t.children if c.dep_ in {"poss", "compound"}]
        # ("a rep for the actor": the same owner after "for"; a named one there, "a spokesman for
        # Prime Minister Stephen Harper", keeps the office's side)
        described = owners + [o for c in t.children if c.dep_ == "prep" and c.lower_ == "for"
                              for o in c.children if o.dep_ == "pobj"]
        for c in described:
            if not c.ent_type_ and c.lemma_.lower() in _PERSON_DESCRIPTIONS:
                found = _named_before(doc, c.idx, {"PERSON"})  # "the actor's reps": the actor named last
                if found and (own is None or found != own["canonical"]):
                    return found
            if not c.ent_type_ and c.pos_ == "NOUN" and any(d.lower_ == "the" for d in c.children):
                # "a press officer for the council": the body named before by that word
                # ("Central Bedfordshire Council")
                found = _body_named_by(doc, c)
                if found and (own is None or found != own["canonical"]):
                    return found
        # "the PGA Tour and Woods' agent": the small parser can hang the owner on the
        # coordination instead, but the words still say whose agent it is
        if t.i >= 2 and doc[t.i - 1].tag_ == "POS":
            owners.append(doc[t.i - 2])
        for c in owners:
            if c.ent_type_ in {"PERSON", "ORG"}:
                span = _ent_at(c)
                if span is None:
                    continue
                # The article's own name for them: "Nelson's agent" speaks for Judd Nelson.
                row = next((e for e in _ents_in(doc, span.start_char, span.end_char)
                            if e["start_char"] == span.start_char and e["label"] == "PERSON"), None)
                canon = row["canonical"] if row else canonical_name(span.text, span.label_)
                if row is None and (t.lemma_.lower() in _PERSONAL_AGENTS or t.lower_ in _PERSONAL_AGENTS):
                    canon = _full_name(doc, canon) or canon  # "Woods' agent" (tagged ORG): Tiger Woods
                found = country_of(span.text, span.label_)
                if found:
                    return found
                if (own is None or canon != own["canonical"]) and not _STATE_BODY_RE.search(span.text) \
                        and not _MEDIA_RE.search(span.text):
                    return canon
    return None


# Who works for a person, not a firm: "Ford's spokesman" may speak for the Ford company,
# "Woods' agent" speaks for a man.
_PERSONAL_AGENTS = {"agent", "publicist", "lawyer", "attorney", "manager", "rep", "reps", "representative"}


def _full_name(doc: Doc, surname: str) -> str | None:
    """The one person the article names in full with this last name."""
    return full_name_of(_ents_in(doc, 0, len(_text(doc))), surname)


def _subject_of(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}]
    if len(subjects) > 1 and subjects[0].pos_ == "NOUN" and subjects[1].pos_ == "PROPN" \
            and subjects[1].left_edge.i == subjects[0].i + 1 \
            and (subjects[1].ent_type_ or subjects[0].lemma_.lower() in _MEDIA_NOUNS | {"blog"}):
        return subjects[1]  # "French website iGen reports", parsed with two subjects: the name
    if subjects:
        return subjects[0]
    # "who said" -> the relative clause's antecedent; "Accusing X, NK refuted" -> the main subject.
    if verb.dep_ in {"relcl"}:
        return verb.head
    if verb.dep_ == "advcl" and _lemma_in(verb.head, {"cite", "quote"}):
        # "Al Arabiya cited the Iraqi Defense Ministry saying ...": the ministry says it
        cited = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        if cited is not None:
            return cited
    if verb.dep_ in {"advcl", "xcomp", "conj", "pcomp"} and verb.head != verb:
        return _subject_of(verb.head)
    # "Yemen's defence ministry released a statement claiming that ...", "the site Empire News
    # posted a story claiming": who put the statement out
    if verb.dep_ == "acl" and verb.head.dep_ == "dobj" and verb.head.lemma_.lower() in _PUT_OUT_NOUNS \
            and verb.head.head.lemma_.lower() in _ISSUE_VERBS | _PUBLISH_VERBS:
        return _subject_of(verb.head.head)
    return None


# What a party puts out and a participle can report from: "issued a statement saying".
_PUT_OUT_NOUNS = {"statement", "report", "video", "letter", "message", "communique", "note", "post", "tweet",
                  "release", "announcement", "audio", "recording", "story", "article", "piece", "posting"}
# How an outlet puts out a story: "Huzlers.com wrote a story claiming ...".
_PUBLISH_VERBS = {"write", "run", "carry", "print", "air", "broadcast", "pen"}


def _speaker_before(verb: Token, sent: Span) -> Token | None:
    """A verb the parser left without a subject ('..., an unnamed official at X said:'):
    the nearest official-like noun or named party before it in the sentence."""
    for t in reversed(list(sent[: verb.i - sent.start])):
        if t.pos_ == "VERB" and t.dep_ != "acl":
            return None  # ("a magazine based in Tokyo": a participle describes, the search goes on)
        if t.dep_ == "pobj" and t.head.head.dep_ == "acl":
            continue  # "based in Tokyo": where the speaker is, not who
        if t.pos_ in {"NOUN", "PROPN"} and (t.lemma_.lower() in ANAPHORIC_HEADS
                                            or t.ent_type_ in {"PERSON", "GPE", "NORP", "ORG"}):
            while t.dep_ == "compound" and t.head.i > t.i and t.head != verb:
                t = t.head
            if t.dep_ in {"dative", "dobj"} and _lemma_in(t.head, {"give", "provide", "send", "offer", "hand",
                                                                  "show", "tell", "email"}):
                continue  # "provided AOL News a link to a blog claiming ...": who was given it, not who claims
            return t
    return None


def _according_to(sent: Span) -> Token | None:
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            objs = [c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None


# --- what kind of claim ---------------------------------------------------------

def is_nested_report(tok: Token) -> bool:
    """'He said the United States believes ...': the inner verb is part of the outer claim."""
    if _lemma_in(tok, DENY_VERBS | ALLEGE_VERBS) or not _lemma_in(tok, REPORT_VERBS):
        return False
    # Only inside another claim's reported clause; a carrier ("..., KCNA reported")
    # does not swallow the speaker's own verb, nor does a relative clause ("Kirby, who said").
    node = tok
    while node.head != node and node.dep_ in {"ccomp", "xcomp", "pcomp", "prep", "conj", "parataxis", "advcl"}:
        if node.dep_ == "conj":
            if any(c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON" for c in node.children):
                return False  # "It was said ..., but So Se Pyong told Reuters ...": a report of its own
            # "Warren could not confirm the deaths and said ...": a coordinated verb stands where
            # its first verb stands, not inside it
            node = node.head
            continue
        node = node.head
        if node.pos_ == "VERB" and _lemma_in(node, ALL_VERBS) and not _lemma_in(node, CARRIER_VERBS):
            return True
    return False


def carries_inner_speaker(tok: Token) -> bool:
    """'North Korea said ..., state media KCNA reported': the inner 'said' has the speaker."""
    if not _lemma_in(tok, CARRIER_VERBS):
        return False
    return any(c.dep_ in {"ccomp", "parataxis"} and _lemma_in(c, ALL_VERBS) and _subject_of(c) is not None
               for c in tok.children)


def _inside_name(tok: Token) -> bool:
    """'States' in 'United States' is no verb; 'Dismisses' wrongly inside 'North Korea Dismisses' is."""
    ent = _ent_at(tok)
    if ent is None:
        return False
    return ent.label_ == "PERSON" or bool(country_of(ent.text, ent.label_))


def is_title_line(sent: Span) -> bool:
    """A headline or subheading in title case, where the tagger misreads verbs as names."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 2 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)


def _medium_clauses(verb: Token) -> list[Token]:
    """'said in a report that X ...', 'told a press conference that X ...': the that-clause
    the parser hangs on the medium rather than on the verb."""
    media = [o for c in verb.children if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"]
    media += [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
    return [c for o in media for c in o.children if c.dep_ in {"acl", "ccomp", "relcl"}
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]


def _reports_a_clause(verb: Token) -> bool:
    """The verb carries a reported clause, its own ('said that ...') or its medium's."""
    return any(c.dep_ in {"ccomp", "parataxis", "xcomp"} for c in verb.children) or bool(_medium_clauses(verb))


def _clause_tokens(verb: Token) -> list[Token]:
    """The content the verb reports: its complement clauses and objects; for
    '"...," Kirby said' (the verb hangs off the quote) the rest of the sentence."""
    if verb.dep_ == "parataxis" or (verb.dep_ == "ccomp" and verb.head.i < verb.i):
        inside = {t.i for t in verb.subtree}
        return [t for t in verb.head.subtree if t.i not in inside]
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ in {"ccomp", "xcomp", "dobj", "parataxis", "advcl", "prep", "attr", "acomp", "oprd", "pcomp"}:
            out.extend(c.subtree)
    return out


# What can be fake without anybody's statement being denied: "fake reviews", "a fake passport".
_NOT_CLAIMS = {"review", "passport", "id", "identity", "name", "money", "currency", "banknote", "note", "bill",
               "account", "profile", "follower", "like", "click", "download", "rating", "blood", "gun", "bomb",
               "eyelash", "nail", "tan", "smile", "orgasm", "injury"}


def type_from_words(tokens: Iterable[Token]) -> tuple[str, str | None]:
    """Denial and allegation cues inside the reported content, negation-aware."""
    toks = list(tokens)
    lemmas = " ".join(t.lemma_.lower() for t in toks)
    lowers = " ".join(t.lower_ for t in toks)
    for t in toks:
        if t.lower_ == "never" and _never_done(t):
            continue
        if t.dep_ == "amod" and t.head.dep_ in {"nsubj", "nsubjpass"}:
            continue  # "An unverified audio recording ... is being investigated": a description, not a denial
        if t.dep_ == "amod" and t.lower_ in {"fake", "false", "doctored", "fabricated"} \
                and t.head.lemma_.lower() in _NOT_CLAIMS:
            continue  # "cheat the chart ranking with fake or paid reviews": a sham, no statement called one
        if t.lower_ in _RUMOUR_WORDS and (t.dep_ not in {"attr", "oprd", "appos", "ROOT", "conj"} or any(
                c.dep_ == "expl" for c in t.head.children)) and not _quashed(t):
            # "reporting strong rumors about his death", "aware of the rumors", "there have been
            # rumors about Amazon opening stores": no verdict
            continue
        if t.lower_ in {"lie", "lies"} and (t.pos_ != "NOUN" or t.doc[t.i + 1:t.i + 2].text.lower() == "with"):
            continue  # "Responsibility for this lies with Iraqi PM Haidar Abadi": no lie
        if t.lower_ == "never" or (t.lower_ in DENIAL_WORDS and t.lower_ not in {"hostile"}):
            return "denial", t.lower_
    for p, rx in _DENIAL_PHRASE_RES:
        if rx.search(lowers) or rx.search(lemmas):
            return "denial", p
    for p, rx in _HEALTH_PHRASE_RES:
        if rx.search(lowers) and any(_about_a_person(t) for t in toks if t.lower_ in {"alive", "dead", "health", "fine"}):
            return "denial", p
    for p, rx in _ALLEGATION_PHRASE_RES:
        if rx.search(lowers):
            return "allegation", p
    for t in toks:
        if t.lower_ in ALLEGATION_WORDS or t.lemma_.lower() in ALLEGATION_WORDS:
            if any(c.lower_ in {"alleged", "suspected", "reported", "possible", "potential", "apparent"}
                   for c in t.children):
                continue  # "investigating the alleged breach of security": somebody else's allegation
            if any(c.dep_ == "det" and c.lower_ in {"no", "little"} for c in t.children):
                continue  # "there were no indications he was seriously ill": nothing is alleged
            before = next((b for b in reversed(t.doc[max(0, t.i - 3):t.i]) if b.pos_ != "ADV"), None)
            if t.tag_ == "VBN" and before is not None and _lemma_in(before, {"feel", "seem", "look"}):
                continue  # "I do feel violated": a feeling, not a breach (the parser may make it a conj)
            if not _is_negated(t.head) and t.lower_ not in {"evidence"}:
                return "allegation", t.lower_
    for t in toks:
        if t.lemma_.lower() in _WRONGDOING and t.pos_ == "NOUN" and _charged_to_somebody(t):
            return "allegation", t.lower_
        if _blame_laid(t):
            return "allegation", "blame"
    for t in toks:
        if _knows_of_none(t):
            return "denial", "not aware of"
    # "hostile attempt to tarnish": calling the accusation a smear is rejecting it.
    for t in toks:
        if t.lower_ == "hostile":
            return "denial", t.lower_
    for t in toks:
        if own_act_denied(t):
            return "denial", f"we did not {t.lemma_.lower()}"
    return "other", None


def _blame_laid(t: Token) -> bool:
    """'Responsibility for this lies with Iraqi PM Haidar Abadi' (the tagger may take "lies"
    for a noun); 'Boko Haram is to blame': blame laid on a party, not on a thing."""
    doc = t.doc
    if t.lower_ in {"lie", "lies"} and doc[t.i + 1:t.i + 2].text.lower() == "with":
        return any(x.lower_ in {"responsibility", "blame", "fault"} for x in doc[max(0, t.i - 4):t.i])
    if t.lower_ == "blame" and doc[t.i - 1:t.i].text.lower() == "to" and t.i >= 2:
        verb = doc[t.i - 2] if doc[t.i - 2].lemma_ == "be" else None
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
        return subj is not None and (subj.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} or subj.pos_ == "PROPN")
    return False


def _knows_of_none(t: Token) -> bool:
    """'We're not aware of (Islamic State) conducting any flight operations', 'Central Command
    said it was not aware of ...': the speakers know of no such deed. ('Phelps was not aware
    of her past' is about somebody else.)"""
    if t.lower_ not in {"aware", "unaware"}:
        return False
    verb = t.head if t.dep_ == "acomp" else t
    negated = t.lower_ == "unaware" or any(c.dep_ == "neg" for c in verb.children)
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return negated and subj is not None and subj.lower_ in {"we", "i", "it", "they"} \
        and any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children)


# Wrongs that, laid at somebody's door, accuse them.
_WRONGDOING = {"abuse", "crime", "fraud", "corruption", "murder", "torture", "atrocity", "misconduct",
               "wrongdoing", "bribery", "embezzlement", "theft", "assault", "harassment", "massacre"}
# Wrongs whose owner is the doer ("Sandoval's crimes"); "Haines's murder" is the victim's.
_DOERS_WRONGS = {"crime", "fraud", "corruption", "misconduct", "wrongdoing", "bribery", "embezzlement", "theft"}


def _charged_to_somebody(wrong: Token) -> bool:
    """'clear proof of Sandoval's abuse', 'the group has committed a war crime': a wrong with
    its doer. Not 'no proof of ...', 'if it was a crime', or 'victims of abuse'."""
    if any(c.lower_ in {"no", "not", "never", "n't"} for a in [wrong, *list(wrong.ancestors)[:3]] for c in a.children) \
            or wrong.head.lemma_.lower() in {"victim", "survivor", "allegation", "accusation", "claim", "charge"}:
        return False
    doer = wrong.lemma_.lower() in _DOERS_WRONGS and any(
        c.dep_ == "poss" and (c.pos_ == "PROPN" or c.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"})
        for c in wrong.children)
    # ("those who have committed murder", "the extremist who carried out the murder": whoever
    # did it, not somebody accused)
    committed = wrong.dep_ == "dobj" and wrong.head.lemma_.lower() in {"commit", "perpetrate", "carry"} \
        and not _is_negated(wrong.head) and any(c.dep_ == "nsubj" and c.lower_ not in {"we", "i", "who", "that", "which"}
                                                 for c in wrong.head.children)
    return doer or committed


# Calling a story a rumour rejects it ("That is rumors, fabricated rumors"); speaking of
# the rumours does not.
_RUMOUR_WORDS = {"rumor", "rumour", "rumors", "rumours"}


_QUASH_VERBS = {"quash", "squash", "scotch", "dispel", "kill", "end", "silence", "debunk", "refute", "deny",
                "dismiss", "reject", "shoot", "stamp", "bury"}


def _quashed(rumour: Token) -> bool:
    """'Durex put the rumors to rest', 'moved to quash the rumours': ending a rumour denies it."""
    verb = rumour.head
    if rumour.dep_ != "dobj":
        return False
    if verb.lemma_.lower() in {"put", "lay"}:
        return any(t.lower_ == "rest" for t in verb.subtree)
    return verb.lemma_.lower() in _QUASH_VERBS


# Not deeds: "we didn't expect it to be so big", "I did not comment".
_MENTAL_VERBS = {"expect", "think", "realize", "realise", "mean", "intend", "plan", "anticipate", "imagine",
                 "understand", "notice", "recall", "remember", "hear", "care", "mind", "comment", "be", "die"}
def _never_done(never: Token) -> bool:
    """'sacked for taking leave and never returning to his desk': what somebody did not do,
    in a gerund or modifier clause, is no denial; nor is what they never thought would happen."""
    verb = never.head
    if verb.lemma_.lower() in _NEVER_THOUGHT:
        return True  # "Never in my lifetime would think something like that": surprise, not a denial
    if any(t.lower_ == "before" and t.dep_ == "advmod" for t in verb.subtree):
        return True  # "has never sold anything people could try on before": a first, not a denial
    while verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head
    return verb.dep_ in {"pcomp", "acl", "relcl", "amod"} or verb.tag_ == "VBG"


_NEVER_THOUGHT = {"think", "imagine", "expect", "dream", "anticipate", "realize", "realise", "believe", "guess",
                  "want", "wish", "like", "hope", "intend", "mean"}  # ("we never wanted the hype")


# Steps of an inquiry: "We have not identified who the man in the video is" says where it stands.
_NOT_YET_DONE = {"identify", "confirm", "determine", "establish", "verify", "decide", "locate", "find", "learn",
                 "receive"}
# Auxiliaries of a done deed: "we did not negotiate", "I have not taken", "we had not sold".
_DEED_AUX = {"do", "does", "did", "have", "has", "had", "'ve"}


def own_act_denied(verb: Token) -> bool:
    """'We did not negotiate with anyone', 'I have never taken drugs': the speakers
    say they did not do something, which is how the accused deny an act. A plan
    ('we will not negotiate'), a state ('we don't know') or a negated question is no denial."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() in STATIVE_VERBS | ALL_VERBS | _MENTAL_VERBS | _NOT_YET_DONE:
        return False
    if verb.dep_ == "relcl":
        return False  # "messages to which we have not received a reply": what a thing is, not a denied deed
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects or subjects[0].lower_ not in {"we", "i"}:
        return False
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    negs = [c for c in verb.children if c.dep_ == "neg" and c.lower_ in {"not", "n't", "never"}]
    if not negs or any(a.lemma_.lower() not in _DEED_AUX and a.lower_ not in _DEED_AUX for a in auxes):
        return False  # "will not", "could not", "cannot": a plan or an ability, not a deed
    return bool(auxes) and verb.doc[verb.i + 1:verb.i + 2].text != "?"


def _reported_clauses(verb: Token) -> list[Token]:
    if verb.dep_ == "parataxis" or (verb.dep_ == "ccomp" and verb.head.i < verb.i):
        return [verb.head]
    return [c for c in verb.children if c.dep_ in {"ccomp"}] + _medium_clauses(verb)


# Every modal: "may not have been" denies nothing. (third_party_subject keeps "may have
# supplied" as a hedged allegation, so it lists only the modals of plans and forecasts.)
_MODALS = {"would", "will", "shall", "should", "could", "can", "may", "might", "must", "'ll", "wo", "ca"}


def denied_act(verb: Token, clauses: list[Token] | None = None) -> str | None:
    """'told Voice of Israel that Rosenberg was not in the Kobane region', 'saying that
    Rosenberg was not captured': reporting that a deed or a presence did not happen is
    denying it. Not a forecast ('will not'), a state ('does not know'), or 'it is not clear'.
    `clauses` are the reported clauses when no verb of speech carries them ('according to')."""
    for head in _reported_clauses(verb) if clauses is None else clauses:
        # ("Rudd was nowhere near the scene": a presence denied as plainly as with "not")
        if not any(c.dep_ == "neg" and c.lower_ in {"not", "n't"} or c.dep_ == "advmod" and c.lower_ == "nowhere"
                   for c in head.children) \
                or any(c.dep_ == "mark" and c.lower_ in {"if", "whether"} for c in head.children):
            continue
        if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in _MODALS or c.lower_ == "yet" for c in head.children):
            continue  # "will not", and "had not yet been completed": a state of progress, not a denial
        subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects:
            # "told Reuters Kim was not in bad health": the parser takes the name for the object
            subjects = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "PROPN"
                        and c.i + 1 == head.left_edge.i]
        lemma = head.lemma_.lower()
        speaker = _subject_of(verb)
        if subjects and speaker is not None and head.pos_ == "VERB" \
                and any(c.dep_ == "aux" and c.lower_ == "did" for c in head.children) \
                and lemma not in STATIVE_VERBS | _MENTAL_VERBS | _NOT_DONE_TO_ANYBODY \
                and _same_party(subjects[0], speaker):
            return f"did not {lemma}"  # "Mohammed Islam ... says he did not make $72 million"
        if subjects and speaker is not None and speaker.lemma_.lower() in AGENT_NOUNS and lemma == "be" \
                and subjects[0].lower_ in {"it", "he", "she"} and any(
                    c.dep_ == "attr" and c.lower_ in {"him", "her", "he", "she"} for c in head.children):
            # "a rep for the actor tells THR that it isn't him": the client is not the man
            return head.doc[subjects[0].i:head.i + 3].text
        if not subjects or subjects[0].pos_ == "PRON" or subjects[0].lower_ in {"this", "that", "there"}:
            continue  # a pronoun's deed is mostly the speaker's own story ("he has not filed a suit")
        if lemma in STATIVE_VERBS | _MENTAL_VERBS - {"be"} | {"go", "do"} or _lemma_in(head, REPORT_VERBS) \
                or head.pos_ not in {"VERB", "AUX"} or (head.pos_ == "AUX" and lemma != "be"):
            continue
        if lemma == "be" and not any(c.dep_ == "prep" or c.lower_ == "nowhere" for c in head.children):
            continue  # "X was not a concern": an assessment; "X was not in Kobane": a presence denied
        nowhere = any(c.lower_ == "nowhere" for c in head.children)
        return f"{head.text} {'nowhere' if nowhere else 'not'}"
    return None


# What one can say one did not do without denying any charge: perceive, receive, speak, go.
_NOT_DONE_TO_ANYBODY = {"see", "hear", "notice", "feel", "receive", "get", "find", "comment", "elaborate", "say",
                        "go", "do", "cause"}


def _same_party(pronoun: Token, speaker: Token) -> bool:
    """'Mohammed Islam says he ...', 'the company said it ...': the clause's pronoun is the
    speaker. ('Millan said that it didn't cause any danger': the meteorite.)"""
    person = speaker.ent_type_ == "PERSON" or speaker.lemma_.lower() in _HUMAN_NOUNS | _OFFICE_WORDS
    if pronoun.lower_ in {"he", "she"}:
        return person and speaker.tag_ != "NNS"
    if pronoun.lower_ == "it":
        return not person and speaker.pos_ in {"PROPN", "NOUN"} and speaker.tag_ != "NNS"
    return False


def _about_a_person(word: Token) -> bool:
    """'Axl Rose is not dead', 'he is still alive', 'Kim's health is just fine': the clause's
    subject (or its owner) is a person."""
    verb = word
    while verb.dep_ not in {"ROOT", "ccomp", "conj", "parataxis", "advcl", "relcl"} and verb.head != verb:
        verb = verb.head
    for subj in (c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}):
        owners = [subj] + [c for c in subj.children if c.dep_ in {"poss", "appos", "compound"}]
        if any(o.ent_type_ == "PERSON" or o.lower_ in {"he", "she", "his", "her"} for o in owners):
            return True
    return False


def third_party_subject(doc: Doc, verb: Token, side: str | None, claimant: str | None,
                        clauses: list[Token] | None = None) -> str | None:
    """'US officials said that Russia was purchasing shells from North Korea': a report
    whose clause has another party as its subject asserts that party's act."""
    for head in _reported_clauses(verb) if clauses is None else clauses:
        if any(c.dep_ == "mark" and c.lower_ in {"if", "whether"} for c in head.children):
            continue
        hedged = _hedged_deed(head)
        if hedged:
            return hedged
        if _lemma_in(head, STATIVE_VERBS | {"expect", "schedule", "indicate"}) or _lemma_in(head, REPORT_VERBS):
            continue  # ("Obama was expected to make a statement": a forecast; "the FBI indicated": speech)
        if any(c.dep_ == "aux" and c.lower_ in {"would", "will", "shall", "should", "could", "'ll"} for c in head.children):
            continue  # a plan or a forecast, not an act
        # "Bary is the suspect believed to be Foley's executioner": naming the culprit accuses
        culprit = head.lemma_.lower() == "be" and any(
            c.dep_ == "attr" and c.lemma_.lower() in _CULPRIT_NOUNS for c in head.children)
        # ...and so does naming who the culprit is: "The 'Jihadi John' killer ... is Mohammed Emwazi"
        named = next((c for c in head.children if c.dep_ == "attr" and c.pos_ == "PROPN"), None)
        if head.lemma_.lower() == "be" and named is not None and any(
                c.dep_ == "nsubj" and c.lemma_.lower() in _CULPRIT_NOUNS for c in head.children):
            return named.text
        if head.lemma_.lower() == "be" and not culprit and not any(t.pos_ == "VERB" for t in head.subtree if t != head):
            continue  # "X is a concern": an assessment, not an act
        subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects:
            continue
        c = subjects[0]
        # ("officers from the Iraqi army who had defected": whose officers they are)
        owners = [o for x in c.children if x.dep_ == "prep" and x.lower_ in {"of", "from"}
                  for o in x.children if o.dep_ == "pobj"
                  and (o.ent_type_ == "ORG" or o.lemma_.lower() in _ARMED_BODIES)]  # (not "the Japanese delicacy")
        for t in [c] + [x for o in [c, *owners] for x in o.children if x.dep_ in {"poss", "compound", "amod", "nmod"}] + owners:
            if t.ent_type_ in {"GPE", "NORP", "ORG"}:
                span = _ent_at(t)
                if span is None:
                    continue
                found = _country({"text": span.text, "label": span.label_, "canonical": span.text})
                if found and found != side and found != claimant:
                    return span.text
        # "the Obama administration broke federal law": a leader's government acts
        leader = next((x for x in c.children if x.dep_ in {"compound", "poss"} and x.ent_type_ == "PERSON"), None)
        if leader is not None and c.lemma_.lower() in _ARMED_BODIES | {"administration", "cabinet"} \
                and head.lemma_.lower() != "be":
            name = _words_up_to(c)
            if leader.text not in (claimant or "") and name != side:
                return name
        # A named group or person other than the speaker: "HRW said in a report that
        # Boko Haram was holding 500 women" (the small model often tags groups PERSON).
        span = _ent_at(c)
        if span is not None and span.label_ in {"ORG", "PERSON"} and (head.lemma_.lower() != "be" or culprit):
            name = canonical_name(span.text, span.label_)
            if name not in {side, claimant} and not _country({"text": span.text, "label": span.label_, "canonical": name}):
                return name
        # "He said that the militants deployed the gas": fighters the speaker is not one of
        # ("ISIS fighters have been caught", "were killed": what was done to them is not their deed)
        if c.lemma_.lower() in _FIGHTERS and c.tag_ == "NNS" and c.dep_ == "nsubj" and head.lemma_.lower() != "be" \
                and not _lemma_in(head, _NOT_DONE_TO_ANYBODY) and (claimant or "").lower().split()[-1:] != [c.lower_]:
            return "the " + c.lower_
        # The small model leaves many names untagged ("Olsen also said Woods was using
        # untested equipment"): a proper noun is somebody too, unless it names the speaker.
        if span is None and c.pos_ == "PROPN" and c.text[:1].isupper() and (head.lemma_.lower() != "be" or culprit) \
                and not country_of(c.text) and not any(c.text in (n or "").split() for n in (side, claimant)):
            return c.text
    return None


# People a description names without a name: "the former prisoner", "the woman".
_DESCRIBED_PEOPLE = _HUMAN_NOUNS | _PRIVATE_PEOPLE | {"prisoner", "detainee", "captive", "hostage", "suspect",
                                                     "convert", "veteran", "gunman", "militant"}


def _hedged_deed(head: Token) -> str | None:
    """'The former prisoner ... is believed to have tried to make contact with Taliban
    associates': a deed somebody described is believed, thought or suspected to have done,
    which is how an unproven charge is reported."""
    if not (_lemma_in(head, {"believe", "think", "suspect", "say", "understand"})
            and any(c.dep_ == "auxpass" for c in head.children)):
        return None
    deed = next((c for c in head.children if c.dep_ == "xcomp" and any(
        a.dep_ == "aux" and a.lower_ == "have" for a in c.children)), None)
    subj = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
    if deed is None or subj is None or deed.lemma_.lower() == "be":
        return None  # ("is believed to be a few million dollars": a figure, no deed)
    if subj.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or (
            subj.pos_ == "NOUN" and subj.lemma_.lower() in _DESCRIBED_PEOPLE
            and any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in subj.children)):
        return _words_up_to(subj)
    return None


def _words_up_to(head: Token) -> str:
    """A noun phrase's words up to its head, without the article: 'the Obama administration'
    -> 'Obama administration', 'The former prisoner, being held' -> 'former prisoner'."""
    return " ".join(t.text for t in head.subtree if t.i <= head.i and t.dep_ != "det")


# Fighters whose deeds a speaker reports of them: "the militants deployed the gas".
_FIGHTERS = {"militant", "insurgent", "rebel", "terrorist", "jihadist", "gunman", "extremist", "fighter", "attacker"}
# Bodies whose members' deeds are the body's: "officers from the Iraqi army".
_ARMED_BODIES = {"army", "military", "force", "forces", "police", "government", "regime", "militia", "group",
                 "navy", "ministry", "agency", "service", "services", "guard"}
# Nouns that name a wrongdoer: saying somebody is one accuses them.
_CULPRIT_NOUNS = {"suspect", "killer", "culprit", "perpetrator", "executioner", "attacker", "gunman", "murderer",
                  "mastermind", "bomber", "shooter", "hacker", "thief", "kidnapper", "abductor", "assailant"}

# What one claims without saying anything: lives, titles, prizes.
_CLAIMED_THINGS = {"life", "lives", "victim", "title", "seat", "prize", "award", "medal", "crown", "victory", "win",
                   "territory", "land", "throne", "spot", "place", "record", "trophy", "jackpot", "refund", "benefit"}

# Verbs under which "to deny" is not done: wished, asked for, refused.
_UNDONE = {"hope", "wish", "want", "ask", "urge", "call", "refuse", "decline", "let", "expect", "need", "plan"}


# What one rejects when one rejects an accusation.
_CLAIMLIKE = CLAIM_NOUNS | {"story", "statement", "comment", "remark", "article", "posting", "post", "tweet",
                            "speculation", "notion", "idea", "theory", "assessment", "finding", "account", "version",
                            "narrative", "characterization", "portrayal", "insinuation", "criticism", "blame", "link",
                            "involvement", "responsibility", "wrongdoing"}


def _rejects_a_claim(verb: Token) -> bool:
    """'rejected the US claims', 'dismissed them as groundless', 'refuted that ...': what is
    turned down is something said. No object at all counts too ('Pyongyang dismissed')."""
    objs = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    if any(c.dep_ in {"ccomp"} for c in verb.children) or not objs:
        return not (verb.lemma_.lower() == "counter" and not objs)  # ("countered with a goal")
    for o in objs:
        # ("dismissed them as groundless"; not "dismiss him", a man sacked)
        if o.lemma_.lower() in _CLAIMLIKE or o.lower_ in _CLAIMLIKE or o.ent_type_ \
                or o.pos_ == "PRON" and o.lower_ not in {"him", "her", "me", "us", "you"} \
                or any(t.text in QUOTE_CHARS for t in o.subtree):
            return True
    return False


def _declined(verb: Token) -> bool:
    """'Apple has declined to state a price': nothing stated."""
    return verb.dep_ == "xcomp" and bool(_lemma_in(verb.head, {"decline", "refuse"})) \
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def verb_type(verb: Token, sent: Span) -> tuple[str, str] | None:
    """(claim_type, type_cue) for a claim verb, or None when it makes no claim
    ('did not deny', 'would not say')."""
    deny = _lemma_in(verb, DENY_VERBS)
    allege = _lemma_in(verb, ALLEGE_VERBS)
    negated = _is_negated(verb)
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
    # "a company often accused of copying" is a passive participle too.
    # (and "had been arrested, accused of handing the students over": a participle clause)
    passive = passive or (verb.dep_ in {"acl", "advcl"} and verb.tag_ == "VBN"
                          and not any(c.dep_ in {"nsubj", "aux"} for c in verb.children))
    if (deny or allege) and passive and not any(c.dep_ == "agent" for c in verb.children):
        return None  # "was accused of theft": the subject is the accused, the accuser is unnamed
    if (deny or allege) and verb.dep_ in {"amod", "compound"}:
        return None  # "his alleged ailment", "the disputed report": a modifier, not an act of speech
    if allege == "charge" and not any(c.dep_ == "ccomp" or c.lower_ == "with" for c in verb.children):
        return None  # "charged at him" is no accusation
    if allege == "claim" and any(c.dep_ == "dobj" and c.lemma_.lower() in _CLAIMED_THINGS for c in verb.children):
        return None  # "the war, which claimed some 16 million lives", "claimed the title": no speech
    if any(c.dep_ in {"nsubj", "nsubjpass"} and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
           for c in verb.children):
        return None  # "No group, Islamic or otherwise, claimed responsibility": nobody did
    if allege == "claim" and not negated and any(c.dep_ == "dobj" and c.lemma_.lower() in {"responsibility", "credit"}
                                                 for c in verb.children):
        return "other", verb.text  # claiming one's own deed accuses nobody else
    if (deny or allege) and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children) \
            and any(a.lemma_.lower() in _UNDONE for a in list(verb.ancestors)[:3]):
        return None  # "hope Fidel jumps on Twitter to deny", "declined to deny": not done
    if _declined(verb):
        return None
    if deny in PHRASAL_DENY_VERBS and not any(
            o.lemma_.lower() in _CLAIMLIKE for c in verb.children
            for o in ([c] if c.dep_ == "dobj" else [x for x in c.children if x.dep_ == "pobj"] if c.dep_ == "prep" else [])):
        return None  # "shot down a plane", "pushed back the deadline": no claim rejected
    if deny == "counter" and any(c.dep_ == "dobj" and c.lemma_.lower() not in _CLAIMLIKE for c in verb.children):
        return None  # "steps to counter the manipulation", "to counter the threats": no claim countered
    if deny and deny != "deny" and not _rejects_a_claim(verb):
        # "issued a directive to reject birth certificates", "rejected the proposal": a thing or a
        # demand turned down, not an accusation (the guideline's "other"); cue words still count.
        if negated:
            return None
        kind, cue = type_from_words(_clause_tokens(verb))
        return kind, cue or verb.text
    if deny:
        return None if negated else ("denial", verb.text)
    if allege:
        if negated:
            return None
        if allege == "claim" and verb.pos_ not in {"VERB"}:
            return None
        return ("allegation", verb.text)
    if negated:
        return None
    kind, cue = type_from_words(_clause_tokens(verb))
    return kind, cue or verb.text


# --- frames -------------------------------------------------------------------

def _owner_of_claim_noun(noun: Token) -> Token | None:
    """Who made the claim a noun names: 'U.S. claims', 'claims by X', 'claims made by X',
    'a White House claim', 'allegations last week by Kirby'."""
    mods = [c for c in noun.children if c.dep_ in {"poss", "compound", "amod", "nmod"}]
    for c in mods:
        if country_of(c.text, "GPE" if "." in c.text or c.is_upper else None):
            return c  # "US Claims", "American claims": the modifier itself names a country
    for c in mods:
        if c.ent_type_ in {"GPE", "NORP", "ORG", "PERSON"} and c.ent_type_ != "PERSON" or country_of(c.text, "GPE" if "." in c.text else None):
            return c
    for c in mods:
        if c.ent_type_ or c.pos_ == "PROPN":
            return c
    for c in list(noun.children) + list(noun.head.children if noun.dep_ in {"dobj", "nsubj", "nsubjpass"} else []):
        if c.lower_ in {"by", "from"} and c.dep_ in {"prep", "agent"}:
            objs = [o for o in c.children if o.dep_ == "pobj"]
            if objs:
                return objs[0]
        if c.dep_ == "acl" and c.head == noun:
            for cc in c.children:
                if cc.dep_ == "agent" or cc.lower_ == "by":
                    objs = [o for o in cc.children if o.dep_ == "pobj"]
                    if objs:
                        return objs[0]
    return None


def _target_after(tokens: Iterable[Token], doc: Doc, side: str | None) -> str | None:
    for t in tokens:
        if t.ent_type_ in {"GPE", "ORG", "NORP", "PERSON"} or t.lower_ in {"u.s.", "us"}:
            span = _ent_at(t)
            text, label = (span.text, span.label_) if span is not None else (t.text, "GPE")
            c = country_of(text, label) or (canonical_name(text, label) if label != "PERSON" else None)
            if c and c != side:
                return c
    return None


def _inside_direct_quote(doc: Doc, offset: int) -> bool:
    """Between quotation marks opened in this paragraph (a quote span may run over the
    '..., he said. "...' between two quoted parts, so the marks decide)."""
    text = _text(doc)
    start = text.rfind("\n", 0, offset) + 1
    inside = False
    single = False  # (British single marks: "‘...’", where a ’ before a letter is an apostrophe)
    for i in range(start, offset):
        ch = text[i]
        if ch == "\u201c":
            inside = True
        elif ch == "\u201d":
            inside = False
        elif ch == '"':
            inside = not inside
        elif ch == "\u2018" and (i == start or not text[i - 1].isalnum()):
            single = True
        elif ch == "\u2019" and single and not text[i + 1:i + 2].isalpha():
            single = False
    return inside or single


def _frame_speaker(tok: Token, sent: Span, is_report: bool) -> tuple[bool, Token | None]:
    """The phrase that speaks for a frame verb; (False, None) when the verb has a subject
    that cannot speak, so the frame is nobody's claim."""
    # "as claimed by Islamist websites", "was denied by the ministry": the agent accuses or
    # denies. ("was quoted / revealed by KCNA": the agent of a report only carries it.)
    agents = [o for c in tok.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"] \
        if tok.tag_ == "VBN" and not any(c.dep_ == "nsubj" for c in tok.children) \
        and _lemma_in(tok, ALLEGE_VERBS | DENY_VERBS) else []
    if agents:
        return True, agents[0]
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    # ("X, imported from Switzerland, is believed to ...": nobody speaks before a passive verb)
    subj = _subject_of(tok) or (None if passive else _speaker_before(tok, sent))
    if subj is None:
        return True, None
    told = subj.dep_ == "nsubjpass" and subj.head == tok
    if told and _lemma_in(tok, {"tell", "inform", "ask", "warn", "advise", "notify"}):
        return False, None  # "Owners Rob and Teresa Farndon were told there had been complaints": the listeners
    if told and _lemma_in(tok, {"believe", "think", "understand", "presume", "consider"}) \
            and any(c.dep_ == "xcomp" for c in tok.children):
        return False, None  # "The officers are believed to have been working for a gang": what is believed of them
    if told and is_report and not _is_a_party(subj):
        return False, None  # "Eating of Emmental is believed to be responsible": what is said, not who says it
    if _lemma_in(subj, CLAIM_NOUNS - {"report"}) and subj.dep_ == "nsubj" and _lemma_in(tok, DENY_VERBS):
        # "retracted claims X had been ... after Woods' agent, Mark Steinberg, vehemently denied
        # the claims": claims deny nothing, the parser lost the subject
        return True, _speaker_before(tok, sent)
    return True, subj


def _quotes_words(text: str) -> bool:
    """Quotation marks that carry speech: a quote's end or a quoted run of words. A quoted
    name or word ('she was writing to "Michael"') is no content for a report verb."""
    rest = _QUOTED_RE.sub(lambda m: "" if len(m.group(1).split()) < 3 else m.group(0), text)
    return any(ch in rest for ch in QUOTE_CHARS)


def _frame_claims(doc: Doc, sent: Span, person_sides: dict[str, str], last: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    acc = _according_to(sent)
    for tok in sent:
        if tok.pos_ not in {"VERB", "AUX", "PROPN", "NOUN"} or not _lemma_in(tok, ALL_VERBS):
            continue
        if tok.pos_ in {"NOUN", "PROPN"} and (_inside_name(tok) or not tok.is_title
                                               or not tok.lower_.endswith("s") or not is_title_line(sent)):
            continue  # "Rejects", "Denies": verbs only in title-case lines, where the tagger misreads them
        if is_nested_report(tok) or carries_inner_speaker(tok):
            continue
        if tok.pos_ == "AUX":
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].dep_ == "compound" and doc[tok.i + 1].pos_ == "NOUN" \
                and _subject_of(tok) is None and any(
                c.dep_ == "ccomp" and (inner := _subject_of(c)) is not None and inner.left_edge.i == tok.i + 1
                for c in tok.children):
            continue  # "noted analyst Ming-Chi Kuo predicted", parsed with "noted" as the verb
        typed = verb_type(tok, sent)
        if typed is None:
            continue
        claim_type, cue = typed
        is_report = _lemma_in(tok, REPORT_VERBS) and not (_lemma_in(tok, DENY_VERBS) or _lemma_in(tok, ALLEGE_VERBS))
        if is_report and not _reports_a_clause(tok) and not _quotes_words(sent.text):
            continue  # "see", "read", "call" without a reported clause are no speech
        if _no_speech(tok):
            continue
        if any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in tok.children) \
                and not any(c.dep_ == "agent" for c in tok.children):
            continue  # "It was said Kim Yo Jong had taken over", "it has been rumored": nobody's claim
        found, subj = _frame_speaker(tok, sent, is_report)
        if not found:
            continue
        carrier_verb = _lemma_in(tok, CARRIER_VERBS)
        if carrier_verb and acc is not None:
            subj = acc  # "According to X, ..., reports agency Y": X speaks, Y carries.
        if subj is not None and subj.lower_ in {"they", "he", "she"} and _inside_direct_quote(doc, tok.idx):
            continue  # '"They have lied ..., claiming he is alive," al-Momani added': not the speaker
        if subj is not None and subj.lower_ in {"we", "i"} and not _inside_direct_quote(doc, tok.idx):
            continue  # "we've always suspected that ...": the writer's own voice
        if subj is not None and subj.dep_ == "nsubjpass" and subj.head == tok and _lemma_in(tok, {"say", "report"}) \
                and any(c.dep_ == "xcomp" and any(x.dep_ == "auxpass" for x in c.children) for c in tok.children):
            continue  # "O'neal was said to have been declared dead": what was done to him, not his word
        party = _resolve_subject(doc, subj, person_sides, last) if subj is not None else None
        if party is None and subj is not None and tok.dep_ == "acl" and subj is not tok.head \
                and tok.head.lemma_.lower() in _PUT_OUT_NOUNS:
            # "a website posted an article claiming": an unnamed publisher; the article claims
            party = _resolve_subject(doc, tok.head, person_sides, last)
        if party is None and acc is not None:
            party = describe_party(doc, acc, person_sides)
        if party is None and is_title_line(sent):
            # Headline without a parse: the country named before the verb.
            found = _ngram_country(doc[sent.start:tok.i])
            if found:
                party = Party(claimant=found, side=found)
        if party is None:
            continue
        # "X reported" where 'according to Y' or a said-clause names the speaker: X only carries it.
        if _lemma_in(tok, {"report", "quote", "cite"}) and any(
            c for c in out if c["claim_type"] != "other" or c.get("_verb") != tok.i
        ):
            continue
        if carrier_verb and subj is not acc:
            # "KCNA cites a statement from an official": the object speaks, the subject carries.
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            froms = [o for c in list(tok.children) + [x for ob in objs for x in ob.children]
                     if c.lower_ == "from" for o in c.children if o.dep_ == "pobj"]
            spoken = None
            for cand in froms + objs:
                spoken = describe_party(doc, cand, person_sides)
                if spoken is not None:
                    break
            if spoken is None and objs and objs[0].lemma_.lower() in ANAPHORIC_HEADS:
                spoken = _resolve_subject(doc, objs[0], person_sides, last)  # ("a source": somebody new)
            elif spoken is None and objs and objs[0].pos_ == "NOUN" \
                    and objs[0].lemma_.lower() in _RELATIONS | _HUMAN_NOUNS | _SPEAKING_GROUPS:
                spoken = _unnamed(objs[0])  # "The Post quoted friends of Emwazi as saying": the friends
            party = spoken or party
        deed_of = None  # a named party whose deed the frame reports
        if claim_type == "other" and not _lemma_in(tok, WARN_VERBS):
            undone = denied_act(tok)
            if undone:
                claim_type, cue = "denial", undone
        if claim_type == "other" and not _lemma_in(tok, WARN_VERBS):
            about = third_party_subject(doc, tok, party.get("side"), party.get("claimant"))
            if about:
                claim_type, cue, = "allegation", f"{tok.text} that {about}"
                deed_of = about
        target = None
        if claim_type == "allegation":
            # ("Sources told the Wall Street Journal that Apple ...": the listener is no target)
            listener = {c.i for c in tok.children if c.dep_ in {"dobj", "dative"}} \
                if _lemma_in(tok, {"tell", "inform", "assure", "brief", "notify"}) else set()
            objs = [c for c in tok.children if c.dep_ in {"dobj", "ccomp"} and c.i not in listener]
            target = _target_after([t for o in objs for t in o.subtree] or _clause_tokens(tok), doc, party.get("side"))
        answered = _answered_allegations(doc, sent, tok, Party(side=None), person_sides) if claim_type == "denial" else []
        owner_sides = {a["side"] for a in answered}
        if party.get("anaphoric") and party.get("side") in owner_sides:
            # "The statement refuted allegations by X": whoever refutes is not on X's side.
            other = next((h for h in reversed(last.get("history", [])) if h["side"] and h["side"] not in owner_sides), None)
            if other:
                party = Party(**other)
        out.append({**_claim(doc, sent, party, claim_type, cue, target, verb_i=tok.i), "_deed_of": deed_of})
        # "Both the PGA Tour and Woods' agent denied": each party that speaks for another side
        # makes the claim too.
        for other in _conjoined_parties(doc, subj, party, person_sides, last):
            out.append({**_claim(doc, sent, other, claim_type, cue, target, verb_i=tok.i), "_conjoined": True})
        # A denial of somebody's claims: their allegation is reported too.
        for a in answered:
            if a["side"] != party.get("side"):
                a["target"] = party.get("side")
                out.append(a)
    # Denial nouns: "reiterated their denial of such U.S. accusations".
    for tok in sent:
        if _lemma_in(tok, DENIAL_NOUNS) and tok.pos_ == "NOUN":
            verb = tok.head
            if tok.dep_ == "dobj" and verb.lemma_.lower() in _ISSUE_VERBS and not _is_negated(verb) \
                    and not any(c["_verb"] == verb.i for c in out):
                # "Durex initially tweeted a denial": issuing a denial is denying
                subj = _subject_of(verb)
                party = _resolve_subject(doc, subj, person_sides, last) if subj is not None else None
                if party is not None:
                    out.append(_claim(doc, sent, party, "denial", tok.text, None, verb_i=verb.i))
            if any(c["_verb"] == verb.i for c in out) and verb.pos_ == "VERB":
                for c in out:
                    if c["_verb"] == verb.i and c["claim_type"] == "other":
                        c["claim_type"], c["type_cue"] = "denial", tok.text
                        out.extend(_answered_allegations(doc, sent, tok, Party(claimant=c["claimant"], side=c["side"]), person_sides))
    if acc is not None and not out and not is_title_line(sent) and not any(
            (q.get("cue") or "").lower() == "according to" and sent.start_char <= int(q["start_char"]) < sent.end_char
            for q in _quotes_of(doc)):
        # (a quote the extractor took from the phrase itself is claimed with the quotes)
        claim = _according_claim(doc, sent, acc, person_sides, last)
        if claim is not None:
            out.append(claim)
    return out


def _according_claim(doc: Doc, sent: Span, source: Token, person_sides: dict[str, str],
                     last: dict[str, Any]) -> dict[str, Any] | None:
    """'Branson had proposed 35 concerts, according to the Mirror': the clause the phrase
    hangs on is the source's claim, though no verb of speech carries it."""
    according = source.head.head
    verb = according.head
    if according.dep_ != "prep" or verb.pos_ not in {"VERB", "AUX"} or _inside_direct_quote(doc, according.idx):
        return None  # ("the cost, according to estimates, of ...": no clause to claim)
    party = _resolve_subject(doc, source, person_sides, last) or describe_party(doc, source, person_sides)
    if source.pos_ == "PROPN" and not source.ent_type_ and any(
            c.dep_ == "compound" and c.ent_type_ == "ORG" for c in source.children):
        # "according to The Hollywood Reporter", tagged "The Hollywood": the whole name
        words = [t for t in source.subtree if t.pos_ == "PROPN" and t.i <= source.i]
        name = " ".join(t.text for t in words)
        party = Party(claimant=name, side=None, press=True)  # (an outlet cited is a party only for a deed)
    if party is None:
        return None
    phrase = {t.i for t in according.subtree}
    claim_type, cue = type_from_words(t for t in verb.subtree if t.i not in phrase)
    deed_of = None
    if claim_type == "other":
        undone = denied_act(verb, clauses=[verb])
        if undone:
            claim_type, cue = "denial", undone
    if claim_type == "other":
        deed_of = third_party_subject(doc, verb, party.get("side"), party.get("claimant"), clauses=[verb])
        if deed_of:
            claim_type, cue = "allegation", f"according to {source.text}: {deed_of}"
            if party.get("press"):
                party = Party(claimant=party["claimant"], side=party["claimant"])  # its own story
    target = _target_after([t for t in verb.subtree if t.i not in phrase], doc, party.get("side")) \
        if claim_type == "allegation" else None
    return {**_claim(doc, sent, party, claim_type, cue, target, verb_i=verb.i), "_deed_of": deed_of}


def _conjoined_parties(doc: Doc, subj: Token | None, party: Party, person_sides: dict[str, str],
                       last: dict[str, Any]) -> list[Party]:
    """The other named parties of a coordinated subject, each with a side of its own."""
    if subj is None or subj.lower_ in PRONOUNS or subj.dep_ == "nsubjpass":
        return []  # ("Syria (as well as Iraq) is thought to possess": what is believed of them)
    out: list[Party] = []
    sides = {party.get("side")}
    own_name = _ent_at(subj)
    # ("both the PGA Tour and Woods' agent": the small parser hangs "both the PGA Tour" on "agent")
    # ("Woods' agent, Mark Steinberg": the name is in apposition to the phrase that has the "both")
    base = subj.head if subj.dep_ == "appos" else subj
    both = [c for c in base.children if c.dep_ in {"nmod", "poss", "compound"}
            and any(g.dep_ == "preconj" for g in c.children)]
    for conj in [*base.conjuncts, *both]:
        if (conj.i < base.i and conj not in both) or conj.pos_ not in {"PROPN", "NOUN"}:
            continue
        if own_name is not None and own_name.start <= conj.i < own_name.end:
            continue  # one name
        of_names = [o for p in base.children if p.dep_ == "prep" and p.lower_ == "of" and p.i < conj.i
                    for o in p.children if o.dep_ == "pobj"]
        if any(o.ent_type_ and o.ent_type_ == conj.ent_type_ or country_of(o.text) and country_of(conj.text)
               for o in of_names):
            continue  # "the Islamic State of Iraq and Syria": Syria is coordinated with Iraq, whatever the parse
        if not conj.ent_type_ and conj.lemma_.lower() not in _OFFICE_WORDS:
            continue  # "online news sites and YouTubers": a crowd; "his agent and a Tour official": a party
        other = _resolve_subject(doc, conj, person_sides, last)
        if other is None or other.get("anaphoric") or not other.get("side") or other.get("side") in sides \
                or other.get("claimant") == party.get("claimant"):  # "terror expert and Director at ... X": one man
            continue
        sides.add(other["side"])
        out.append(other)
    return out


# Verbs that put out a statement: "tweeted a denial", "issued a denial".
_ISSUE_VERBS = {"issue", "tweet", "post", "release", "publish", "give", "offer", "send", "put", "make"}


def _answered_allegations(doc: Doc, sent: Span, anchor: Token, denier: Party, person_sides: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    seen: set[str] = set()
    for noun in sent:
        if not (_lemma_in(noun, CLAIM_NOUNS) and noun.pos_ in {"NOUN", "PROPN", "VERB"}):
            continue
        if noun.pos_ == "VERB" and not any(c.lower_ in {"by", "made"} for c in noun.children):
            continue
        owner = _owner_of_claim_noun(noun)
        if owner is None:
            continue
        party = describe_party(doc, owner, person_sides)
        if party is not None and not party.get("side") and _names_somebody(party.get("claimant")):
            party["side"] = party["claimant"]  # "a Daily Mirror report": the outlet's own allegation
        if party is None or not party.get("side") or party.get("side") == denier.get("side"):
            continue
        if party["claimant"] in seen:
            continue
        seen.add(party["claimant"])
        claim = _claim(doc, sent, party, "allegation", noun.text, denier.get("side"), verb_i=noun.i)
        claim["_answered"] = True  # reported second-hand: not the sentence's speaker for anaphora
        out.append(claim)
    return out


def _maker_of(doc: Doc, org: str) -> str:
    """'Apple Watch' (the small model tags products ORG) is Apple's, when the article names
    Apple on its own anywhere: 'the company' is the maker, not the product."""
    names = {e["canonical"] for e in _ents_in(doc, 0, len(_text(doc))) if e["label"] == "ORG"}
    rest = org.split()[-1].lower()
    if rest in _ORG_DESCRIPTIONS | {"institute", "foundation", "association", "society", "bank", "inc", "corp",
                                    "group", "agency", "council", "department"} \
            or _MEDIA_RE.search(rest) or _STATE_BODY_RE.search(rest):
        return org  # "Elon University" is no product of Elon
    return next((n for n in sorted(names, key=len) if org.startswith(n + " ")), org)


def _noun_before(tok: Token) -> Token | None:
    """The noun a relative pronoun the parser did not attach stands for: "a North Korean TV
    report late last month that said ..." (not "month": a date is nobody)."""
    for t in reversed(list(tok.sent[: tok.i - tok.sent.start])):
        if t.pos_ in {"NOUN", "PROPN"} and t.ent_type_ not in {"DATE", "TIME"}:
            return t
        if t.pos_ == "VERB":
            return None
    return None


def _body_named_by(doc: Doc, noun: Token) -> str | None:
    """'the council', 'The Observatory', 'the health department': the organisation named before
    whose name (of two words or more) holds that word and the phrase's modifiers
    ('Central Bedfordshire Council', 'KCMO Health Department')."""
    word = noun.text[:1].upper() + noun.text[1:]
    mods = [c.lower_ for c in noun.children if c.dep_ in {"amod", "compound", "nmod"}]
    return _named_before(doc, noun.idx, {"ORG"}, lambda e: word in e["text"].split() and " " in e["text"]
                         and all(m in e["text"].lower().split() for m in mods))


def _outlet_quoted_before(last: dict[str, Any], offset: int, self_only: bool = False) -> dict[str, Any] | None:
    """The outlet quoted last before ``offset`` (the frames' outlets are carried into the
    quote path under "outlets"); with ``self_only``, one that spoke for itself."""
    quoted = [h for h in last.get("history", []) + last.get("outlets", []) if h.get("press") and h.get("at", 0) < offset
              and (not self_only or h["claimant"] == h["side"])]
    return max(reversed(quoted), key=lambda h: h.get("at", 0), default=None)  # (a tie: the one remembered last)


def _resolve_subject(doc: Doc, subj: Token, person_sides: dict[str, str], last: dict[str, Any]) -> Party | None:
    """A subject phrase, or the last speaker for 'he', 'the statement', 'the official'."""
    if subj.lower_ in {"who", "which", "that"} and (subj.head.dep_ == "relcl" or subj.tag_ in {"WDT", "WP"}):
        antecedent = subj.head.head if subj.head.dep_ == "relcl" else _noun_before(subj)
        if antecedent is None:
            return None
        # "Kirby, who said", "officials who deny": a party. "an illustration shared on
        # Twitter that claims to be a tribute": a thing, whatever its phrase names.
        if not _is_a_party(antecedent):
            return None
        if antecedent.dep_ == "appos" and antecedent.head.ent_type_ in {"PERSON", "ORG"}:
            antecedent = antecedent.head  # "Chad Rickicki, a watch expert who claims": Rickicki
        party = describe_party(doc, antecedent, person_sides)  # "those who deny": only a named antecedent
        if party is None and antecedent.lemma_.lower() in _SPEAKING_GROUPS and antecedent.pos_ == "NOUN":
            party = _unnamed(antecedent)  # "drew ire from lawmakers who said ..."
        return party
    if subj.lower_ in {"they", "he", "she"} and subj.head.dep_ == "relcl" \
            and _lemma_in(subj.head, REPORT_VERBS | WARN_VERBS) and not _lemma_in(subj.head, DENY_VERBS | ALLEGE_VERBS):
        # "Police released footage on Aug. 15 that they said showed ...", "ISIS militants parade
        # another captive journalist, Steven Sotloff, who they threaten will be next": the main
        # clause's subject
        main = next((c for c in subj.sent.root.children if c.dep_ == "nsubj" and c.lower_ not in PRONOUNS), None)
        if main is not None and main.i < subj.i and (_is_a_party(main) or describe_party(doc, main, person_sides)):
            found = _resolve_subject(doc, main, person_sides, last)
            if found is not None:
                return found
    if subj.lower_ in PRONOUNS and subj.dep_ != "relcl":
        prefer_person = subj.lower_ in {"he", "she", "him", "her"}
        prev = last.get("person") if prefer_person else last.get("any")
        if prefer_person and prev and _plural(prev["claimant"]):
            prev = None  # "he" is never "federal officials"
        if subj.lower_ in {"they", "them", "it"} and prev and prev.get("self"):
            # "they ... vowed to keep up the pressure": one person quoted last is not "they";
            # "The fast-food giant shut up shop ... because it said": nor "it"
            prev = next((h for h in reversed(last.get("history", [])) if not h.get("self")), None)
        # (what "he" means is still the person it meant: "He added" keeps Dhawan a person)
        return Party(claimant=prev["claimant"], side=prev["side"], anaphoric=True,
                     human=prefer_person or subj.lower_ == "i" or bool(prev.get("self")),
                     anonymous=bool(prev.get("anonymous"))) if prev else None
    party = describe_party(doc, subj, person_sides)
    if party is not None:
        return party
    if subj.lower_ in {"old", "year-old"} and any(c.dep_ == "det" and c.lower_ == "the" for c in subj.children):
        # "The 21-year-old, from Bunbury, ... told NT News": the person named last
        name = _named_before(doc, subj.idx, {"PERSON"})
        if name:
            return Party(claimant=name, side=person_sides.get(name) or name)
    if subj.lemma_.lower() in _OUTLET_DESCRIPTIONS and not subj.ent_type_ \
            and not any(c.dep_ == "det" and c.lower_ in {"a", "an", "another"} for c in subj.children):
        # "The paper claims": the outlet named last; an outlet that claims speaks for itself.
        # ("a website posted an article claiming ...": some other site, not the one quoted last)
        outlet = _outlet_before(doc, subj.idx)
        if outlet:
            return Party(claimant=outlet, side=outlet)
        # ("French website iGen.fr now claims ... According to the publication": the outlet quoted
        # before, when its name has no newspaper word)
        quoted = _outlet_quoted_before(last, subj.idx, self_only=True)
        if quoted and any(c.dep_ == "det" and c.lower_ == "the" for c in subj.children):
            return Party(claimant=quoted["claimant"], side=quoted["side"], anaphoric=True, press=True)
    if subj.lemma_.lower() in _ORG_DESCRIPTIONS - _OUTLET_DESCRIPTIONS and not subj.ent_type_ \
            and any(c.dep_ == "det" and c.lower_ in {"the", "this"} for c in subj.children):
        # "The company said that ...", "the government organization said": the body named last
        # (a state body too, when the phrase says it is one)
        mods = [c for c in subj.children if c.dep_ in {"amod", "compound", "nmod"}]
        state = any(t.lower_ in {"government", "state"} for t in mods)
        org = _named_before(doc, subj.idx, {"ORG"},
                            lambda e: not _MEDIA_RE.search(e["text"]) and (state or not _country(e))
                            and not _full_name(doc, e["canonical"]))  # ("Branson", tagged ORG, is a man)
        if org and len(mods) == int(state):  # ("the monitoring group" is some other group)
            org = _maker_of(doc, org)
            return Party(claimant=org, side=person_sides.get(org) or _state_of(org) or org)
    # (lower case only a word that is no generic body, its modifiers in the name too: "the
    # terrorist group" is not the SITE Intelligence Group)
    bare = subj.pos_ == "NOUN" and subj.lemma_.lower() not in _ORG_DESCRIPTIONS | _OUTLET_DESCRIPTIONS
    if (subj.text[:1].isupper() and not subj.is_sent_start or bare) and not subj.ent_type_ \
            and any(c.dep_ == "det" and c.lower_ == "the" for c in subj.children):
        # "The Observatory said", "the Committee added", "The council did acknowledge", "the health
        # department says": the organisation named before with those words ("KCMO Health Department")
        org = _body_named_by(doc, subj)
        if org:
            return Party(claimant=org, side=person_sides.get(org) or _state_of(org) or org)
    if subj.lemma_.lower() in {"report", "rumor", "rumour"} and (
            subj.tag_ == "NNS" and not any(c.dep_ in {"det", "poss"} for c in subj.children)
            or any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in subj.children)
            and (subj.lemma_.lower() != "report" or not any(c.dep_ in {"prep", "poss", "compound"} for c in subj.children))
            or any(c.dep_ == "det" and c.lower_ == "another" for c in subj.children)):
        # ("Another report from Asia this week claims": not the report quoted last either)
        # "reports suggested", "multiple unconfirmed reports say": reports of nobody named,
        # not the last speaker's.
        return _unnamed(subj, human=False)
    if subj.lower_ == "sources" and not any(c.dep_ in {"poss", "compound", "amod", "prep", "nummod"}
                                            or (c.dep_ == "det" and c.lower_ not in _SOME) for c in subj.children):
        # "..., sources told the Associated Press", "Some sources claimed": anonymous, not
        # whoever spoke last
        return _unnamed(subj)
    if subj.lemma_.lower() in {"source", "witness", "eyewitness", "insider", "resident", "neighbour",
                               "neighbor", "friend", "relative", "bystander"} \
            and any(c.dep_ in {"det", "nummod"} and c.lower_ in {"a", "an", "another", "one"} for c in subj.children):
        # "A witness said", "a source told Iraqi media": somebody new and unnamed, not the last
        # speaker. (An unnamed official or spokesman mostly speaks for the side just quoted.)
        return _unnamed(subj)
    if subj.lemma_.lower() == "report" and subj.tag_ == "NN" and not any(
            c.dep_ in {"compound", "prep", "amod"} or c.ent_type_ for c in subj.children):
        # "According to the report, Apple is looking to Samsung": the outlet quoted or named
        # before, or a report of nobody named; never the firm the report is about
        if any(c.dep_ == "poss" for c in subj.children):
            return Party(**_unnamed(subj, human=False), press=True)  # "the group's report": its owner's, not an outlet's
        quoted = _outlet_quoted_before(last, subj.idx)
        if quoted:
            return Party(claimant=quoted["claimant"], side=quoted["side"], anaphoric=True, press=True,
                         anonymous=bool(quoted.get("anonymous")))
        outlet = _outlet_before(doc, subj.idx)
        if outlet:
            return Party(claimant=outlet, side=outlet, anaphoric=True, press=True)
        return Party(**_unnamed(subj, human=False), press=True)
    if subj.lemma_.lower() in ANAPHORIC_HEADS:
        # "the statement", "the official": the last speaker who was not a named person,
        # but never the outlet this verb addresses ("officials told CNN": CNN only listens).
        told = _addressed(subj.head)
        earlier = [last.get("unnamed"), last.get("any"), *reversed(last.get("history", []))]
        same = last.get("any")
        if same and same["claimant"] and same["claimant"].lower().split()[-1] in {subj.lower_, subj.lemma_.lower()}:
            earlier.insert(0, same)  # "a well-placed source told Fox News ... the source said": that source
        if subj.lemma_.lower() == "source":
            # "the source claims": an anonymous source quoted before, never a party named ("Apple")
            earlier = [h for h in earlier if h and h.get("source")]
            if not earlier:
                return _unnamed(subj)
        indefinite = any(c.dep_ in {"det", "nummod"} and c.lower_ in {"a", "an", "one"} for c in subj.children)
        # "Local Aamir Dhawan said: ... A police spokesman said:": somebody new, not the man before
        # ("A witness said: ... A spokesman said:": nor the unnamed witness, nor "local reports")
        # ("a foreign ministry statement" is some state's, not the militia's quoted last)
        of_a_state = indefinite and bool(_STATE_BODY_RE.search(" ".join(t.text for t in subj.subtree if t.i <= subj.i)))
        prev = next((h for h in earlier if h and h["claimant"] not in told
                     and not (indefinite and (h.get("self") or h.get("unnamed_person") or is_reporter(h["claimant"])))
                     and not (of_a_state and not _state_of(h["side"] or ""))), None)
        if prev:
            # ("the source said" after "a well-placed source": still nobody the quote finder may rename)
            return Party(claimant=prev["claimant"], side=prev["side"], anaphoric=True,
                         anonymous=bool(prev.get("anonymous")))
        new = _unnamed(subj)
        if of_a_state:
            return new  # some state's body, which one the article does not say here
        if any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in subj.children) and subj.lower_ != "statement" \
                and not _STATE_BODY_RE.search(new["claimant"]) and not set(new["claimant"].lower().split()) & _ORG_DESCRIPTIONS:
            # "A hospital spokesman said", with nobody quoted before: somebody new and unnamed.
            # ("a ministry official", "a company spokesperson" are the state or firm named around.)
            return new
    if subj.lemma_.lower() in _SPEAKING_GROUPS and subj.pos_ == "NOUN":
        # "Police said ...", "Federal authorities said ...", "Witnesses said ...": unnamed
        # sources the article quotes (a crowd such as "some" or "fans" is nobody's source)
        return _unnamed(subj)
    return None


# Determiners of somebody new: "some sources", "other sources".
_SOME = {"some", "other", "several", "many", "multiple", "various", "numerous"}
# Groups whose statements news reports attribute to them without a name.
_SPEAKING_GROUPS = {"police", "authority", "prosecutor", "investigator", "witness", "eyewitness", "resident",
                    "doctor", "expert", "analyst", "researcher", "scientist", "lawmaker", "activist", "relative",
                    "family", "neighbour", "neighbor", "survivor", "rescuer", "medic", "soldier", "militant",
                    "rebel", "protester", "protestor", "organiser", "organizer", "villager", "official", "officer",
                    "detective", "firefighter", "paramedic", "agent", "diplomat", "staff", "employee", "worker",
                    "hostage", "captive", "prisoner", "detainee", "defector", "victim", "passenger", "local"}


def _plural(claimant: str | None) -> bool:
    """'federal officials', 'witnesses', 'police': an unnamed crowd, whom 'he' cannot mean."""
    words = (claimant or "").split()
    if not words or not claimant[:1].islower():
        return False
    last = words[-1].lower()
    return (last.endswith("s") and not last.endswith("ss")) or last in {"police", "people", "staff"}


def _unnamed(subj: Token, human: bool = True) -> Party:
    """Somebody the text does not name ("a source", "reports"): the phrase is the claimant,
    nobody's side, and never the last speaker."""
    toks = _phrase_tokens(subj)
    phrase = "".join(t.text_with_ws for t in toks).strip(" ,;:-\u2014")
    if toks[0].pos_ != "PROPN" and toks[0].ent_type_ not in {"NORP", "GPE", "ORG", "PERSON", "LOC"}:
        # "At least one occupant": no name, whatever the case ("Iraqi militants" keep theirs)
        phrase = phrase[:1].lower() + phrase[1:]
    return Party(claimant=phrase, side=None, human=human, anonymous=True)


def _is_a_party(noun: Token) -> bool:
    """A named party, or a noun for people or bodies that speak; not a thing."""
    words = AGENT_NOUNS | _OFFICE_WORDS | ANAPHORIC_HEADS | GENERIC_CLAIMANTS
    # ("Chad Rickicki, a watch expert who claims ...": the appositive of a name is that party)
    return noun.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} or noun.lemma_.lower() in words or noun.lower_ in words \
        or noun.dep_ == "appos" and noun.head.ent_type_ in {"PERSON", "ORG"}


def _addressed(verb: Token) -> set[str]:
    """Names a reporting verb speaks to: 'told CNN', 'said to Reuters'."""
    heads = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
    heads += [o for c in verb.children if c.lower_ == "to" and c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"]
    out = set()
    for h in heads:
        span = _ent_at(h)
        if span is not None and span.label_ in {"ORG", "PERSON", "GPE"}:
            out.add(canonical_name(span.text, span.label_))
    return out


def _claim(doc: Doc, sent: Span, party: dict[str, Any], claim_type: str, cue: str | None, target: str | None,
           verb_i: int | None = None, start: int | None = None, end: int | None = None,
           quote_index: int | None = None, is_direct: bool | None = None) -> dict[str, Any]:
    text = _text(doc)
    s = sent.start_char if start is None else start
    e = sent.end_char if end is None else end
    # Evidence never carries the trailing line break or spaces.
    while e > s and text[e - 1].isspace():
        e -= 1
    evidence = text[s:e]
    para = paragraph_of(text, s)
    if is_direct is None:
        is_direct = bool(_QUOTED_RE.search(evidence))
    return {
        "claimant": party.get("claimant"),
        "side": party.get("side"),
        "target": target if target != party.get("side") else None,
        "claim_type": claim_type,
        "type_cue": cue,
        "text": evidence,
        "start_char": s,
        "end_char": e,
        "quote_index": quote_index,
        "is_direct": bool(is_direct),
        "position": position_of(para),
        "paragraph_index": para,
        "_verb": verb_i,
        "_human": bool(party.get("human")),
        "_anonymous": bool(party.get("anonymous")),
        "_source": bool(party.get("anonymous")) or "source" in (party.get("phrase") or "").lower(),
        "_press": bool(party.get("press")),
    }


# --- quotes ---------------------------------------------------------------------

def _quote_claims(doc: Doc, quotes: list[dict[str, Any]], person_sides: dict[str, str], last: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for i, q in enumerate(quotes):
        if q is None:
            continue
        if len(q.get("text", "").split()) < 4 and not (q.get("kind") == "indirect" and _is_clause(doc, q)):
            continue  # a scare-quoted word is no claim of its own ("tells THR that it isn't him" is)
        if q.get("kind") == "indirect" and any(
                o is not None and o is not q and o.get("kind") == "indirect" and _speaks_inside(q, int(o["start_char"]), int(o["end_char"]))
                and o.get("speaker_start") is not None and int(o["speaker_start"]) < int(q["speaker_start"])
                and not _MEDIA_RE.search(o.get("speaker_canonical") or "") for o in quotes):
            # "An article saying NASA confirmed ...": NASA's words are the article's claim. (An
            # outlet only carries: "X confirmed that ..., The Daily Mail noted" is X's.)
            continue
        s, e = int(q["start_char"]), int(q["end_char"])
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or not len(span):
            continue
        sent = span[0].sent
        sp = doc.char_span(int(q["speaker_start"]), int(q["speaker_end"]), alignment_mode="expand") \
            if q.get("speaker_start") is not None and q.get("speaker_end") is not None else None
        if q.get("speaker_canonical") and _MEDIA_RE.search(q["speaker_canonical"]) and not country_of(q["speaker_canonical"]):
            if sp is not None and len(sp) and _nobody_named(sp, q) and sp.root.lemma_.lower() not in _MEDIA_PRODUCTS:
                # "An independent autopsy indicates ...", after "according to the Daily News": a
                # thing, not the outlet named before; "two people with knowledge of the purchase"
                # speak for themselves
                if not (_is_a_party(sp.root) or sp.root.lemma_.lower() in _HUMAN_NOUNS | _SPEAKING_GROUPS | {"people", "person"}):
                    continue
            else:
                # "according to The Independent": a cited outlet, not a party; but "Branson had
                # proposed 35 concerts, according to the Mirror": the outlet's own story of a deed
                # (a photo or a video that "shows" somebody is no story told: "CBC News shows Vickers holding the gun")
                depicts = (q.get("cue") or "").lower().startswith(("show", "depict", "feature", "picture"))
                about = _act_of_another(span, q["speaker_canonical"]) if q.get("kind") == "indirect" and not depicts else None
                if about:
                    canon = q["speaker_canonical"]
                    out.append(_claim(doc, sent, Party(claimant=canon, side=canon), "allegation",
                                      f"{q.get('cue') or 'reported'} that {about}", about, start=s, end=e,
                                      quote_index=i, is_direct=False))
                continue
        cue_tok = None
        if q.get("cue_start") is not None:
            cs = doc.char_span(int(q["cue_start"]), int(q["cue_end"]), alignment_mode="expand")
            cue_tok = cs.root if cs is not None and len(cs) else None
        party = None
        if sp is not None:
            if _only_an_owner(sp):
                # "quoted friends of Emwazi as saying": the friends speak, not Emwazi
                owner = sp.root.head.head if sp.root.dep_ == "pobj" else sp.root.head
                party = _unnamed(owner)
            elif sp is not None and len(sp):
                party = _resolve_subject(doc, sp.root, person_sides, last)
        if cue_tok is not None and _lemma_in(cue_tok, {"quote", "cite"}):
            # '"...," the daily Chosun Ilbo quoted a source as saying': the source speaks
            objs = [c for c in cue_tok.children if c.dep_ == "dobj"]
            spoken = _resolve_subject(doc, objs[0], person_sides, last) if objs else None
            if spoken is not None:
                party, q = spoken, {**q, "speaker_canonical": None}
        if party is not None and q.get("speaker_canonical") and party.get("claimant") in (None, party.get("side")) \
                and not party.get("press") and not party.get("named"):
            canon = q["speaker_canonical"]
            if canon.lower() not in PRONOUNS:
                # ("Adams says", tagged a body, is Ariel Adams: not a body named "Adams")
                own = None if canon.endswith(" " + (party.get("side") or "-")) else party.get("side")
                party = Party(claimant=canon, side=own or person_sides.get(canon) or _state_of(canon))
        if party is None and sp is not None and len(sp) and cue_tok is not None and sp.root.dep_ == "nsubjpass" \
                and sp.root.head != cue_tok and sp.root.pos_ == "NOUN" and not _is_a_party(sp.root):
            continue  # "The area was placed in lockdown and local TV reported": a thing lent to the verb
        if party is None and sp is not None and len(sp) and (_names_a_place_only(sp) or _nobody_named(sp, q)):
            party = _unnamed(sp.root)  # "one occupant of the Manhattan apartment": nobody named
        if party is None and sp is not None and len(sp) and sp.root.lemma_.lower() in _OUTLET_DESCRIPTIONS \
                and not sp.root.ent_type_ and not _MEDIA_RE.search(q.get("speaker_canonical") or "") \
                and not _WEB_ADDRESS_RE.search(q.get("speaker_canonical") or ""):
            party = _unnamed(sp.root)  # "The website also stated": some site, not the awards named last
        if party is None and q.get("speaker_canonical"):
            canon = q["speaker_canonical"]
            party = Party(claimant=canon, side=person_sides.get(canon) or _state_of(canon))
        if party is None and q.get("carrier"):
            party = Party(claimant=q["carrier"], side=person_sides.get(q["carrier"]) or _state_of(q["carrier"]))
        if party is None and q.get("kind") == "indirect":
            continue  # "the figure is believed to be a few million dollars": nobody's claim
        if (q.get("speaker") or "").strip().lower() in {"it", "there"} and cue_tok is not None \
                and any(c.dep_ == "auxpass" for c in cue_tok.children):
            continue  # "It has been reported that ...": nobody's claim either ("it said": the firm)
        if party is None:
            party = Party(claimant=None, side=None)
        if (q.get("speaker") or "").strip().lower() == "you":
            continue  # "let us know if you think it's legit": the reader, nobody quoted
        if (q.get("speaker") or "").strip().lower() in {"we", "i"} and not _inside_direct_quote(doc, s):
            continue  # "we've always suspected that ...": the writer's own voice, no source's
        if cue_tok is not None and (_is_negated(cue_tok) or _declined(cue_tok)):
            continue  # "would not say how ...", "declined to state a price"
        if cue_tok is not None and not _cue_has_a_speaker(doc, cue_tok, sent, person_sides):
            continue
        if cue_tok is not None and _lemma_in(cue_tok, {"tell", "inform", "ask", "warn", "advise", "notify"}) \
                and any(c.dep_ == "auxpass" for c in cue_tok.children):
            continue  # "Owners Rob and Teresa Farndon were told there had been complaints": the listeners
        if cue_tok is not None and sp is not None and len(sp) and sp.root.dep_ == "nsubjpass" \
                and sp.root.head == cue_tok and not _lemma_in(cue_tok, {"quote", "cite"}):
            continue  # "Castro ... was announced Prime Minister of Cuba": what is said of him, not by him
        kind, cue = _quote_type(cue_tok, span, sent, q.get("cue"))
        if kind == "other" and q.get("kind") == "indirect" and not _speech_cue(q.get("cue"), cue_tok):
            continue  # "things seem ...", "friends feared ...": a belief or a look, not a statement
        if kind == "other" and q.get("kind") == "indirect" and cue_tok is not None and _lemma_in(cue_tok, REPORT_VERBS) \
                and not _lemma_in(cue_tok, WARN_VERBS):
            # as in a frame: "Former Iraqi military officers ... are training pilots ..., a
            # monitoring group said" reports another party's deed
            about = third_party_subject(doc, cue_tok, party.get("side"), party.get("claimant"))
            if about:
                kind, cue = "allegation", f"{cue_tok.text} that {about}"
        target = _target_after(span, doc, party.get("side")) if kind == "allegation" else None
        out.append(_claim(doc, sent, party, kind, cue, target, start=s, end=e, quote_index=i,
                          is_direct=q.get("kind") in {"direct", "partial"}))
        _remember(last, out[-1])
    return out


def _is_clause(doc: Doc, q: dict[str, Any]) -> bool:
    """A quote's words with a subject and a verb: 'that it isn't him', not 'a truce'."""
    span = doc.char_span(int(q["start_char"]), int(q["end_char"]), alignment_mode="expand")
    # (not "what happened", "who's right": a question's words; not "This is": no complement)
    return span is not None and len(span) >= 3 and span.root.pos_ in {"VERB", "AUX"} and any(
        t.dep_ in {"nsubj", "nsubjpass", "expl"} and t.head == span.root and t.tag_ not in {"WP", "WDT"}
        for t in span) and span.root.i < span[-1].i


def _act_of_another(span: Span, speaker: str) -> str | None:
    """The named party whose deed an indirect quote's main clause reports ("Branson had
    proposed ..."), when it is not the speaker and the clause is no plan or forecast."""
    verb = span.root
    # ("Bary ... is allegedly one of three British jihadists identified as ...": a hedge marks
    # the statement as a charge, whatever the verb)
    hedged = any(c.dep_ == "advmod" and c.lower_ in {"allegedly", "reportedly", "purportedly"} for c in verb.children)
    # (_lemma_in: the small model's lemma of "hoping" is "hop")
    if verb.pos_ not in {"VERB", "AUX"} or (_lemma_in(verb, STATIVE_VERBS | {"be"}) and not hedged) \
            or _lemma_in(verb, REPORT_VERBS):
        return None
    if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in _MODALS for c in verb.children):
        return None
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None:
        return None
    name = _ent_at(subj)
    if name is None or name.label_ not in {"PERSON", "ORG", "GPE", "NORP"}:
        return None
    found = canonical_name(name.text, name.label_)
    return None if found.lower() in speaker.lower() or speaker.lower() in found.lower() else found


# What an outlet publishes: "the story said" is the outlet's, whoever was named last.
_MEDIA_PRODUCTS = {"story", "article", "report", "piece", "post", "editorial", "column", "headline", "blog"}


def _nobody_named(phrase: Span, quote: dict[str, Any]) -> bool:
    """'doctors described', 'a masked man claims', 'the relatives said': a common noun that
    is no description of a party named before, which the quote finder still ties to the
    last name it saw."""
    root = phrase.root
    words = ANAPHORIC_HEADS | AGENT_NOUNS | _OFFICE_WORDS | _ORG_DESCRIPTIONS | _PERSON_DESCRIPTIONS | _OUTLET_DESCRIPTIONS
    # "the doctor" can be the one named before; "doctors" and "a doctor" are somebody new
    new = any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in root.children) or (
        root.tag_ == "NNS" and not any(c.dep_ in {"det", "poss"} for c in root.children))
    quantity = root.lower_ in _QUANTITY_HEADS
    if not (root.pos_ == "NOUN" or quantity) or root.ent_type_ \
            or (root.lemma_.lower() in words or root.lower_ in words) and not new:
        return False
    if any(t.lower_ in _ORG_DESCRIPTIONS | _STATE_WORDS for t in phrase if t != root):
        return False  # "an unnamed company spokesperson": of the firm named before
    canon = (quote.get("speaker_canonical") or "").lower()
    # ("Many of Williams' colleagues": a name that owns the people is no speaker's name)
    ents = _ents_in(phrase.doc, phrase.start_char, phrase.end_char)
    # ("a Catholic priest in America": a faith and a whereabouts name nobody either)
    owners = {t.i for e in ents for sp in [_ent_span(phrase.doc, e)] if sp is not None
              and (_only_an_owner(sp) or _located_in(phrase.doc, e)) for t in sp}
    owners |= {t.i for t in phrase if t.lower_ in _FAITHS}
    # ("A 104-year-old woman": an age is no name)
    return bool(canon) and (canon not in phrase.text.lower() or bool(owners)) \
        and not any(t.ent_type_ and t.ent_type_ not in _AMOUNT_LABELS and t.i not in owners for t in phrase)


_AMOUNT_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}


def _names_a_place_only(phrase: Span) -> bool:
    """'At least one occupant of the Manhattan apartment': a common noun whose only name is
    a place that describes something it owns or where it is, not whom it speaks for."""
    root = phrase.root
    offices = ANAPHORIC_HEADS | AGENT_NOUNS | _OFFICE_WORDS | _OFFICE_TITLES | _SPOKES_NOUNS | _STATE_WORDS
    if root.pos_ != "NOUN" or root.ent_type_ or root.lemma_.lower() in offices or root.lower_ in offices:
        return False  # ("Texas officials", "Gaza police": a local authority)
    names = [t for t in phrase if t.ent_type_ and t.ent_type_ not in {"DATE", "TIME", "CARDINAL", "ORDINAL"}]
    if names and root.lemma_.lower() in _PRIVATE_PEOPLE \
            and all(t.ent_type_ in {"GPE", "LOC", "FAC", "NORP"} for t in names):
        return True  # "Two Australian men": private people, wherever they are from
    return bool(names) and all(t.ent_type_ in {"GPE", "LOC", "FAC"} for t in names) \
        and not any(_state_of(t.text) for t in names)


# Words for a state's bodies and people: "Gaza police", "the Texas government".
_STATE_WORDS = {"police", "government", "authorities", "ministry", "department", "army", "military", "forces",
                "council", "court", "agency", "office", "state", "regime", "embassy", "prosecutors", "investigators"}


def _no_speech(verb: Token) -> bool:
    """'the reported attack', 'borrowing a coinage to describe the censorship': a report or
    perception verb as a modifier or an infinitive of purpose says nobody spoke."""
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    if verb.dep_ == "pcomp" and verb.head.lower_ in {"with", "without"}:
        return True  # "with a 2nd British hostage threatened": a circumstance, nobody speaking
    if _lemma_in(verb, {"respond", "reply"}) and any(
            c.dep_ == "prep" and c.lower_ == "to" and any(o.dep_ == "pobj" and o.lemma_.lower() not in _CLAIMLIKE
                                                         | {"question", "request", "query", "inquiry", "email", "call"}
                                                         for o in c.children) for c in verb.children) \
            and not any(c.dep_ in {"ccomp", "parataxis"} for c in verb.children):
        return True  # "A police intervention team responds to the shooting": an act, not a reply
    if verb.lemma_.lower() == "call" and any(c.dep_ == "prt" for c in verb.children):
        return True  # "one of Roche's colleagues called him out to compete": a call, not a claim
    if _lemma_in(verb, {"see", "spot", "hear"}) and any(c.dep_ == "auxpass" for c in verb.children) \
            and any(c.dep_ in {"xcomp", "advcl", "dep"} and c.tag_ == "VBG" for c in verb.children):
        return True  # "was later seen coming out of his place": a sighting, not a statement
    if verb.lower_ == "considering" and not any(c.dep_ == "nsubj" for c in verb.children):
        return True  # "considering that Motorola promised ...": the writer's reasoning
    if verb.lemma_.lower() == "see" and any(c.dep_ == "nsubj" and c.pos_ == "NOUN" and not c.ent_type_
                                            and not _is_a_party(c) for c in verb.children):
        return True  # "Last month's attack in Jinan city saw three women caught on camera": an event
    if infinitive and verb.dep_ in {"acl", "relcl"} and verb.head.pos_ in {"NOUN", "PRON"}:
        return True  # "there is nothing to suggest ...", "no reason to believe": the writer's voice
    if infinitive and verb.dep_ == "xcomp" and verb.head.pos_ == "ADJ":
        return True  # "it's hard to say who's right", "safe to say": the writer's voice
    if infinitive and verb.dep_ == "xcomp" and any(c.lower_ == "yet" for c in verb.head.children):
        return True  # "the Archdiocese is yet to confirm": not done
    return bool(_lemma_in(verb, {"report", "quote", "see", "view", "consider", "read", "call", "describe",
                                 "believe", "think", "show", "depict", "display", "feature"})) and (
        verb.dep_ in {"amod", "acl"} or infinitive)


def _cue_has_a_speaker(doc: Doc, cue: Token, sent: Span, person_sides: dict[str, str]) -> bool:
    """'a company often accused of copying' (the accused, no accuser), 'an illustration
    that claims to be a tribute' (a thing): the quote finder still names a speaker, but the
    frame rules see none."""
    if _no_speech(cue) or ((_lemma_in(cue, ALLEGE_VERBS) or _lemma_in(cue, DENY_VERBS)) and verb_type(cue, sent) is None):
        return False
    subj = next((c for c in cue.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is not None and subj.lower_ in {"who", "which", "that"} and cue.dep_ == "relcl":
        return _resolve_subject(doc, subj, person_sides, {}) is not None
    return True


def _speech_cue(cue: str | None, cue_tok: Token | None = None) -> bool:
    """A verb or noun of speech; by the token's lemma where there is one ("said", "told":
    the surface form alone misses irregular verbs)."""
    words = (cue or "").lower().split()
    if not words:
        return False
    if cue_tok is not None and _lemma_in(cue_tok, ALL_VERBS | CLAIM_NOUNS | DENIAL_NOUNS):
        return True
    return words[0] == "according" or any(_word_forms(w, w) & (ALL_VERBS | CLAIM_NOUNS | DENIAL_NOUNS) for w in words)


def _quote_type(cue_tok: Token | None, span: Span, sent: Span, cue_text: str | None) -> tuple[str, str | None]:
    if cue_tok is not None:
        if _lemma_in(cue_tok, DENY_VERBS) and not _is_negated(cue_tok):
            return "denial", cue_tok.text
        if _lemma_in(cue_tok, ALLEGE_VERBS) and not _is_negated(cue_tok):
            return "allegation", cue_tok.text
    kind, cue = type_from_words(span)
    if kind != "other":
        return kind, cue
    if cue_tok is not None and cue_tok.lemma_.lower() in {"call", "brand", "label", "dub", "term"}:
        # "called a sitting U.S. Representative a liar": the name given is the verdict
        kind, cue = type_from_words([t for c in cue_tok.children if c.dep_ == "oprd" for t in c.subtree])
        if kind != "other":
            return kind, cue
    # The sentence around the quote: "reiterated their denial ..., saying, '...'".
    for t in sent:
        if _lemma_in(t, DENIAL_NOUNS) and t.pos_ == "NOUN":
            return "denial", t.text
    return "other", (cue_text or None)


def _remember(last: dict[str, Any], claim: dict[str, Any], doc: Doc | None = None) -> None:
    if not claim.get("claimant"):
        return
    # (a person speaking for themselves is nobody "a spokesman" can mean)
    entry = {"claimant": claim["claimant"], "side": claim["side"],
             "self": bool(claim.get("_human")) and claim["side"] in (None, claim["claimant"])
             and not _state_of(claim["claimant"]) and not claim.get("_anonymous"),  # a named person
             "anonymous": bool(claim.get("_anonymous")),
             "source": bool(claim.get("_source")),
             "at": claim["start_char"],
             # (an outlet, or whoever "reported": what "the report" means next)
             "press": bool(claim.get("_press")) or is_reporter(claim["claimant"]) or _outlet_like(claim["claimant"])
             or _outlet_like(claim["side"] or "") or _reported_by(doc, claim),
             "unnamed_person": bool(claim.get("_human")) and bool(claim.get("_anonymous"))}
    last["any"] = entry
    last.setdefault("history", []).append(entry)
    if claim["claimant"] != claim["side"] and not claim.get("_anonymous") or claim.get("_human"):
        last["person"] = entry  # ("reports suggested" is nobody "he" can mean)
    if claim["claimant"] == claim["side"]:
        last["unnamed"] = entry


def _reported_by(doc: Doc | None, claim: dict[str, Any]) -> bool:
    """'Gertz reported': the claimant is whoever reported (not 'Kim was reported to have ...')."""
    if doc is None or claim.get("_verb") is None:
        return False
    verb = doc[claim["_verb"]]
    return verb.lemma_.lower() == "report" and any(c.dep_ == "nsubj" for c in verb.children)


# --- the component ----------------------------------------------------------------

def _quotes_of(doc: Doc) -> list[dict[str, Any]]:
    return (doc._.get("cc_quotes") if Doc.has_extension("cc_quotes") else None) or []


def _trailing_fragments(doc: Doc, claims: list[dict[str, Any]], quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """'"They've assured us ...," he said. "I am cautiously optimistic."': a fragment of a
    frame's quote that goes on past the frame's sentence is the same speaker's next claim
    (when no claim covers that sentence already)."""
    out: list[dict[str, Any]] = []
    for c in claims:
        i = c.get("quote_index")
        if i is None or c.get("_answered"):
            continue
        for fs, fe in quotes[i].get("fragments") or []:
            span = doc.char_span(int(fs), int(fe), alignment_mode="expand")
            if int(fs) <= c["end_char"] or span is None or not len(span):
                continue
            start, end = span[0].sent.start_char, span[-1].sent.end_char
            while end < len(_text(doc)) and _text(doc)[end] in QUOTE_CHARS:
                end += 1  # (the parser may leave the closing mark to the next sentence)
            if any(o["start_char"] < end and start < o["end_char"] for o in claims + out):
                continue
            kind, cue = type_from_words(span)
            party = Party(claimant=c["claimant"], side=c["side"], human=c.get("_human"), anonymous=c.get("_anonymous"))
            target = _target_after(span, doc, c["side"]) if kind == "allegation" else None
            out.append(_claim(doc, span[0].sent, party, kind, cue, target, start=start, end=end,
                              quote_index=i, is_direct=True))
    return out


def _bare_quote_sentence(sent: Span) -> bool:
    """A sentence that is a quotation on its own, continuing the last speaker."""
    t = sent.text.strip()
    return len(t) > 20 and t[0] in QUOTE_CHARS and t.rstrip(".")[-1:] in QUOTE_CHARS


def _link_quotes(doc: Doc, claims: list[dict[str, Any]], quotes: list[dict[str, Any]]) -> set[int]:
    """Attach each quote to the frame claim whose verb is its cue, or that carries it
    inside its sentence; returns the indices of the quotes so linked."""
    linked: set[int] = set()
    for i, q in enumerate(quotes):
        qs, qe = int(q["start_char"]), int(q["end_char"])
        cs = q.get("cue_start")
        best = None
        for c in claims:
            verb = doc[c["_verb"]] if c.get("_verb") is not None else None
            if not c.get("_answered") and verb is not None and cs is not None \
                    and verb.idx <= int(cs) < verb.idx + len(verb.text) + 1:
                best = c  # the quote's own cue is this claim's verb
                c["_said_quote"] = i
                break
        for c in claims if best is None else []:
            if not c.get("_answered") and c["start_char"] <= qs and qe <= c["end_char"] + 2:
                best = c
                break
        if best is not None:
            linked.add(i)
            if best["quote_index"] is None:
                best["quote_index"] = i
            best["is_direct"] = best["is_direct"] or q.get("kind") in {"direct", "partial"}
    return linked


def sentences(doc: Doc) -> list[Span]:
    """doc.sents, with a split the parser made in mid-phrase ('North | Korea said')
    undone: a sentence must end in punctuation or at a line break."""
    out: list[Span] = []
    start = None
    for sent in doc.sents:
        if start is None:
            start = sent.start
        last = sent[-1]
        ends = last.is_punct and last.text[-1:] in ".!?:;\"”’'»)" or "\n" in last.text or "\n" in last.whitespace_ \
            or last.is_space or sent.end == len(doc)
        if ends:
            out.append(doc[start:sent.end])
            start = None
    if start is not None:
        out.append(doc[start:len(doc)])
    return out


_MEDIA_RE = re.compile(
    r"\b(times|post|news|daily|mail|examiner|journal|herald|telegraph|guardian|independent|press|tribune|"
    r"gazette|globe|radio|tv|television|wire|reuters|bloomberg|observer|chronicle|express|mirror|magazine|channel)\b",
    re.IGNORECASE,
)


def outlet_short_names(doc: Doc) -> dict[str, str]:
    """'the Mirror' after 'Daily Mirror', 'the Post' after 'The Washington Post': the last word
    of an outlet the article names in full, lower-cased -> that name (when only one outlet
    ends with it)."""
    found: dict[str, set[str]] = {}
    for ent in doc.ents:
        words = ent.text.split()
        if ent.label_ == "ORG" and len(words) > 1 and _MEDIA_RE.search(words[-1]) and words[-1].isalpha():
            name = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            found.setdefault(words[-1].lower(), set()).add(name)
    return {short: next(iter(names)) for short, names in found.items() if len(names) == 1}


def _keep_media_frame(doc: Doc, c: dict[str, Any]) -> bool:
    if c["side"] or c.get("_anonymous") or not (c["claimant"] and _MEDIA_RE.search(c["claimant"])):
        return True  # ("the Post's sources" are no outlet)
    verb = doc[c["_verb"]] if c.get("_verb") is not None else None
    if verb is None:
        return False
    # "The Sunday Times reported that MI5 and MI6 had identified the man": a named party's deed
    # the outlet reports is its own allegation (as with "..., according to Bloomberg News");
    # "disputed by Turkish newspaper Hurriyet Daily News": an outlet that denies is a party too
    if c["claim_type"] == "allegation" and c.get("_deed_of") \
            or (c["claim_type"] == "allegation" and _lemma_in(verb, ALLEGE_VERBS)
                or c["claim_type"] == "denial" and _lemma_in(verb, DENY_VERBS)) and not c.get("_answered"):
        c["side"] = c["claimant"]
        return True
    return False


def extract_claims(doc: Doc) -> list[dict[str, Any]]:
    """Claims of one article, in text order: sentence frames first; quotes that no
    frame carries (a quote-only paragraph, an unknown cue) become claims of their own."""
    person_sides = descriptions_of_people(doc)
    quotes = _quotes_of(doc)
    last: dict[str, Any] = {}
    claims: list[dict[str, Any]] = []
    for sent in sentences(doc):
        if not sent.text.strip():
            continue
        frames = _frame_claims(doc, sent, person_sides, last)
        # A news outlet cited as a source ("according to The Independent") is no party;
        # one that itself "claims" or "alleges" something makes its own allegation.
        frames = [c for c in frames if _keep_media_frame(doc, c)]
        if not frames and _bare_quote_sentence(sent) and last.get("any") and not quotes:
            kind, cue = type_from_words(sent)
            frames = [_claim(doc, sent, Party(**last["any"]), kind, cue, None)]
        for c in frames:
            # ("The United States and South Korea have warned": "the statement" after it is not Seoul's)
            if c["claimant"] and not c.get("_answered") and not c.get("_conjoined"):
                _remember(last, c, doc)
        if not frames:
            # A quote the frames did not take ("Meenakshi Ganguly ... wrote in the Hindustan Times
            # that '...'"): its named speaker is who "she" means next.
            here = [q for q in quotes if sent.start_char <= int(q["start_char"]) < sent.end_char]
            said = [q for q in here if _names_somebody(q.get("speaker_canonical"))]
            if said:
                name = said[-1]["speaker_canonical"]
                last["person"] = {"claimant": name, "side": person_sides.get(name), "self": True}
            for q in here:
                # "The Post quoted friends of Emwazi ... as saying ... They said": an unnamed crowd
                # quoted is who "they" means next, not the outlet before
                sp = doc.char_span(int(q["speaker_start"]), int(q["speaker_end"]), alignment_mode="expand") \
                    if q.get("speaker_start") is not None else None
                crowd = sp.root if sp is not None and len(sp) else None
                if crowd is not None and crowd.dep_ == "pobj" and crowd.head.lower_ == "of":
                    crowd = crowd.head.head  # ("friends of Emwazi": the speaker span is the owner)
                if crowd is not None and crowd.tag_ == "NNS" and not crowd.ent_type_ \
                        and crowd.lemma_.lower() in _RELATIONS | _HUMAN_NOUNS | _SPEAKING_GROUPS:
                    last["any"] = {**_unnamed(crowd), "self": False, "anonymous": True}
            # "Kirby spoke on Wednesday. He said ...": a named subject is who "he" means next.
            for t in sent:
                if t.dep_ == "nsubj" and t.ent_type_ == "PERSON":
                    if any(c.dep_ in {"conj", "preconj"} for c in t.children):
                        break  # ("Neither Ferguson nor St. Louis County police have ...": a pair is no "she")
                    party = describe_party(doc, t, person_sides)
                    if party is not None and party.get("claimant") != party.get("side"):
                        last["person"] = {"claimant": party["claimant"], "side": party.get("side")}
                    break
        claims.extend(frames)
    linked = _link_quotes(doc, claims, quotes)
    claims.extend(_trailing_fragments(doc, claims, quotes))
    for c in claims:
        if c["claim_type"] == "other" and c.get("_said_quote") is not None and not is_reporter(c["claimant"]):
            # '..., Shekau said: "... It's a lie."': the words its verb introduces type the frame.
            q = quotes[c["_said_quote"]]
            span = doc.char_span(int(q["start_char"]), int(q["end_char"]), alignment_mode="expand")
            kind, cue = type_from_words(span) if span is not None else ("other", None)
            if kind != "other":
                c["claim_type"], c["type_cue"] = kind, cue
    rest = [q if i not in linked else None for i, q in enumerate(quotes)]
    # (the quotes' own speakers start afresh; only the outlets quoted before carry over, for
    # "according to the report" and "the publication")
    outlets = {"outlets": [h for h in last.get("history", []) if h.get("press")]}
    quote_claims = _quote_claims(doc, rest, person_sides, outlets) if quotes else []
    claims = _reports_as_allegations(_drop_duplicates(_settle_parties(doc, claims + quote_claims, person_sides)))
    # "..., according to some": a crowd is nobody's source (the guideline counts no generic crowd)
    claims = [c for c in claims if (c.get("claimant") or "").lower() not in _QUANTITY_HEADS]
    # "A senior ministry official said" in an article about one country: its state
    stateless = [c for c in claims if _unnamed_state_speaker(c)]
    home = _home_state(doc) if stateless else None
    for c in stateless:
        c["side"] = home
    # "the Syrian Observatory for Human Rights (SOHR) ... The SOHR said": one party
    acronyms = defined_acronyms(_text(doc))
    short = outlet_short_names(doc)
    for c in claims:
        for key in ("claimant", "side", "target"):
            c[key] = acronyms.get(c.get(key) or "", c.get(key))
            # "a Daily Mirror report ... according to the Mirror": one outlet
            c[key] = short.get(re.sub(r"^the\s+", "", (c.get(key) or "").lower()), c.get(key))
    for c in claims:
        c.pop("_verb", None)
        c.pop("_deed_of", None)
        c.pop("_answered", None)
        c.pop("_conjoined", None)
        c.pop("_said_quote", None)
        c.pop("_human", None)
        c.pop("_anonymous", None)
        c.pop("_source", None)
        c.pop("_press", None)
    return sorted(claims, key=lambda c: (c["start_char"], c["end_char"], c["claim_type"], c["claimant"] or ""))


# Descriptions that stand for a named party mentioned earlier: "the company said" is the
# last organisation named, "the CEO admits" the last person named.
_ORG_DESCRIPTIONS = {"company", "firm", "group", "organisation", "organization", "band", "paper", "newspaper",
                     "website", "site", "magazine", "outlet", "station", "network", "brand", "team", "club",
                     "publication", "tabloid", "retailer", "maker", "manufacturer", "charity", "party",
                     "university", "college"}
_PERSON_DESCRIPTIONS = PERSON_ROLE_WORDS | {"director", "chief", "president", "minister", "leader", "doctor"}


# Descriptions of a news outlet: "the paper claims" is the outlet named last, not any firm.
_OUTLET_DESCRIPTIONS = {"paper", "newspaper", "tabloid", "magazine", "website", "site", "outlet", "station",
                        "network", "publication", "broadcaster", "channel"}


_WEB_ADDRESS_RE = re.compile(r"\.(com|net|org|co\.uk)\b", re.IGNORECASE)


def _outlet_before(doc: Doc, offset: int) -> str | None:
    """The outlet named last before ``offset``: a name with a newspaper word or a web address
    (the small model tags some outlets PERSON)."""
    return _named_before(doc, offset, {"ORG", "PERSON"}, lambda e: _outlet_like(e["text"]))


# Broadcasters known by their letters: what "the network said" means after "revealed on CNN".
# (Only here: as outlets everywhere they cost tune F1, session 8.)
_BROADCASTER_RE = re.compile(r"(?:the )?(CNN|BBC|NBC|ABC|CBS|MSNBC|CNBC|PBS|NPR|ITV|Sky|Fox|RT|TMZ|AP|AFP|KBS|NHK)"
                             r"(?: News)?", re.IGNORECASE)


def _named_before(doc: Doc, offset: int, labels: set[str], keep: Callable[[dict[str, Any]], bool] | None = None) -> str | None:
    """The named party of one of ``labels`` mentioned last before ``offset`` that passes
    ``keep`` (by default: not a country, which "the company" or "the CEO" never is)."""
    keep = keep or (lambda e: not _country(e))
    ents = [e for e in _ents_in(doc, 0, offset) if e["label"] in labels and keep(e)]
    return ents[-1]["canonical"] if ents else None


def _settle_parties(doc: Doc, claims: list[dict[str, Any]], person_sides: dict[str, str]) -> list[dict[str, Any]]:
    """Every claimant by the fullest name the article gives it, and every side from that name.

    A surname alone ("Page said") is the one full name in the article that ends in it;
    a bare description ("the company", "the CEO") is the party of its kind named last
    before it; a person with no country or organisation in any of their descriptions
    speaks for themselves.
    """
    descriptions = _ORG_DESCRIPTIONS | _PERSON_DESCRIPTIONS
    named_quotes = [q for q in _quotes_of(doc) if _names_somebody(q.get("speaker_canonical"))]
    for c in claims:
        # The quote finder's speaker (resolved over the whole article) beats a claimant
        # that names nobody.
        if _names_somebody(c.get("claimant")) and c["claimant"].lower() not in descriptions or c.get("_anonymous"):
            continue
        if (c.get("claimant") or "").lower() in _OUTLET_DESCRIPTIONS and _outlet_before(doc, c["start_char"]):
            continue  # "The paper claims": the outlet named before, whoever spoke last
        # (not a report nested in the claim: "An article saying NASA confirmed ..." is no NASA claim)
        q = next((q for q in named_quotes if _overlap(q, c) and not (
            c.get("quote_index") is not None and _speaks_inside(q, c["start_char"], c["end_char"]))), None)
        if q is not None:
            side = person_sides.get(q["speaker_canonical"]) or _state_of(q["speaker_canonical"])
            if c.get("side") and side != c["side"]:
                continue  # "the Boko Haram leader": its own words name the side; a name elsewhere would not
            c["claimant"], c["side"] = q["speaker_canonical"], side
    ents = _ents_in(doc, 0, len(_text(doc)))
    people = [e["canonical"] for e in ents if e["label"] == "PERSON"]
    names = [c["claimant"] for c in claims if c.get("claimant") and _names_somebody(c["claimant"])]
    # Sides are not mapped to full names here: a company side named like a person ("Ford's
    # spokesman" in an article about Henry Ford) would become that person.
    # (a first name, when the article tags it a person at least as often as anything else: not "Apple")
    tags = Counter((e["canonical"], e["label"] == "PERSON") for e in ents
                   if e["label"] in {"PERSON", "ORG", "GPE", "NORP"})
    # (or when the tagger took it for a place that is none: "26-year-old Taugan says", after
    # "Taugan Tan Kadalim"; not an organisation's name: "Ford" stays the firm)
    orgs = {e["canonical"] for e in ents if e["label"] == "ORG"}
    firsts = {p.split()[0] for p in people if " " in p}
    singles = [n for n in people + names if " " not in n and (
        tags[(n, True)] >= tags[(n, False)] or n in firsts and n not in orgs and not country_of(n))]
    # ("Mr Abdulla told The Sun", after "Yasir Abdulla claimed": a surname behind a title)
    bare = {n: strip_titles(n) for n in names}
    full = resolve_people(people + [b for b in bare.values() if " " not in b], first_names=singles)
    for c in claims:
        name = c.get("claimant")
        if not name:
            continue
        old = name
        key = name.lower()
        if key in descriptions:
            labels = {"ORG"} if key in _ORG_DESCRIPTIONS else {"PERSON"}
            found = _outlet_before(doc, c["start_char"]) if key in _OUTLET_DESCRIPTIONS else None
            found = found or _named_before(doc, c["start_char"], labels)
            if found:
                name = found
        elif key in PRONOUNS:
            continue
        name = full.get(name) or full.get(bare.get(name, name), name)
        if name == old:
            continue
        c["claimant"] = name
        if not c.get("side") or c["side"] == old:
            side = person_sides.get(name) or _state_of(name)
            # A side that was only the old name is left to resolve_across_documents.
            c["side"] = side if side and side != old else None
    return claims


def _speaks_inside(quote: dict[str, Any], start: int, end: int) -> bool:
    """A quote, other than the one at ``start``, whose speaker is inside the content
    ``start``-``end`` reports inside it: "An article saying NASA confirmed ..." is the
    article's claim, not NASA's."""
    at = quote.get("speaker_start")
    return at is not None and int(quote["start_char"]) != start and start <= int(at) < end


_REPORTERS = {"reports", "report", "sources", "source", "insider", "insiders", "media", "rumours", "rumors"}


def _reports_as_allegations(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What reports, sources and outlets say about others is the story's contested
    content: 'Sources are reporting that X was found dead', 'according to the Mirror'."""
    for c in claims:
        if c["claim_type"] == "other" and is_reporter(c.get("claimant")):
            c["claim_type"], c["type_cue"] = "allegation", f"reported by {c['claimant']}"
    return claims


def is_reporter(name: str | None) -> bool:
    """Reports, sources and outlets: 'multiple reports', 'a source', 'the Mirror'."""
    low = _PRESS_STAFF_RE.sub("", (name or "").lower()).strip()
    return bool(low) and (low.split()[-1] in _REPORTERS or bool(_MEDIA_RE.search(low) and not country_of(name)))


# A body's own spokespeople, not the press: "a press officer for the council", "press secretary".
_PRESS_STAFF_RE = re.compile(r"\bpress (officer|secretary|office|spokes\w+|aide|team|attach\w+)\b")


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start_char"] < b["end_char"] and b["start_char"] < a["end_char"]


def _drop_duplicates(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One claim per (span, speaker, type): a sentence frame that repeats a quote's
    claim is dropped, and an 'other' frame yields to a typed one by the same speaker."""
    kept: list[dict[str, Any]] = []
    for c in claims:
        dup = False
        for k in kept:
            same_speaker = (k["claimant"] == c["claimant"]) or (k["side"] and k["side"] == c["side"])
            if _overlap(k, c) and same_speaker:
                if k["claim_type"] == c["claim_type"]:
                    dup = True
                elif c["claim_type"] == "other":
                    dup = True
                elif k["claim_type"] == "other" and k["quote_index"] is None:
                    kept.remove(k)
                    break
            if dup:
                break
        if not dup:
            kept.append(c)
    return kept


@Language.component("counterclaim_claims")
def claims_component(doc: Doc) -> Doc:
    """Sets ``doc._.cc_claims``: the article's claims (see ``extract_claims``)."""
    doc._.cc_claims = extract_claims(doc)
    return doc


# --- across documents ------------------------------------------------------------

def resolve_across_documents(claims: list[dict[str, Any]], quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill a missing side from the side other articles give the same claimant
    (the majority, ties broken by name so the result does not depend on order)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in claims:
        # (only names: "officials" in one article are not the "officials" of another)
        if c.get("claimant") and c.get("side") and _names_somebody(c["claimant"]):
            votes[_name_key(c["claimant"])][c["side"]] += 1
    for q in quotes:
        name = q.get("speaker_canonical")
        side = _state_of(name) if name else None
        if name and side:
            votes[_name_key(name)][side] += 1
    out = []
    for c in claims:
        c = dict(c)
        if not c.get("side") and c.get("claimant"):
            found = votes.get(_name_key(c["claimant"]))
            if found:
                c["side"] = _majority(found)
            else:
                c["side"] = _state_of(c["claimant"])
            if not c["side"] and _names_somebody(c["claimant"]):
                # Nobody gives them a country or an organisation: they speak for themselves.
                c["side"] = c["claimant"]
        if c.get("target") == c.get("side"):
            c["target"] = None
        out.append(c)
    return out


_QUOTE_KEY_LEN = 40  # letters and digits: shorter words ("Be the pack leader") recur by chance


def _story(row: dict[str, Any], story_of: dict[str, str]) -> str:
    """The story of a row's document; without one, the document is a story of its own."""
    return story_of.get(row["doc_id"], row["doc_id"])


def quotes_attributed_elsewhere(claims: list[dict[str, Any]], quotes: list[dict[str, Any]],
                                story_of: dict[str, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A quote one outlet prints without a speaker is often another outlet's copy of the
    same words with one (wire copy, re-edited). A quote's claim with no claimant takes the
    named claimant and side that other articles of its story give the same words (compared
    without case and punctuation; the majority, ties by name), and its quote row the speaker."""
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in claims:
        words = _name_key(c["text"])
        if c.get("quote_id") and c.get("claimant") and _names_somebody(c["claimant"]) and len(words) >= _QUOTE_KEY_LEN:
            votes[(_story(c, story_of), words)][(c["claimant"], c.get("side") or "", c["doc_id"])] += 1
    speaker_of: dict[str, str] = {}
    out = []
    for c in claims:
        if c.get("quote_id") and not c.get("claimant"):
            elsewhere: Counter = Counter()
            for (name, side, doc_id), n in votes.get((_story(c, story_of), _name_key(c["text"])), {}).items():
                if doc_id != c["doc_id"]:
                    elsewhere[(name, side)] += n
            if elsewhere:
                name, side = _majority(elsewhere)
                c = {**c, "claimant": name, "side": side or None}
                speaker_of[c["quote_id"]] = name
        out.append(c)
    quotes = [{**q, "speaker_canonical": speaker_of[q["quote_id"]]}
              if q.get("quote_id") in speaker_of and not q.get("speaker_canonical") else q for q in quotes]
    return out, quotes


def story_home_states(claims: list[dict[str, Any]], entities: list[dict[str, Any]],
                      story_of: dict[str, str]) -> list[dict[str, Any]]:
    """"A senior ministry official said" in an article that names no one country (the
    article-level rule found none): the country the story's articles, taken together, are
    about, by the same test (three mentions, twice any other)."""
    stateless = {i for i, c in enumerate(claims) if _unnamed_state_speaker(c)}
    wanted = {_story(claims[i], story_of) for i in stateless}
    counts: dict[str, Counter] = defaultdict(Counter)
    for e in entities:
        story = _story(e, story_of)
        country = _country(e) if story in wanted else None
        if country:
            counts[story][country] += 1
    return [{**c, "side": _dominant(counts[_story(c, story_of)])} if i in stateless else c
            for i, c in enumerate(claims)]


_RULE_OF_RE = re.compile(r"^(?:the\s+)?(.+?)[\u2019']s?\s+(?:regime|government|administration)$", re.IGNORECASE)


def regimes_as_states(quotes: list[dict[str, Any]], claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"Kim Jong-un's regime said": the speaker is the state that person leads, as the
    corpus's claims side them ("North Korean leader Kim Jong Un" in another article);
    where no article gives them a country, the quote keeps its speaker."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in claims:
        side = c.get("side")
        if c.get("claimant") and side and side != c["claimant"] and country_of(side) == side:
            votes[_name_key(c["claimant"])][side] += 1
    out = []
    for q in quotes:
        m = _RULE_OF_RE.match((q.get("speaker") or "").strip())
        found = votes.get(_name_key(q.get("speaker_canonical") or "")) if m else None
        if found:
            q = {**q, "speaker_canonical": _majority(found)}
        out.append(q)
    return out


def _majority(votes: Counter) -> str:
    """The most voted value, ties broken by name so the result does not depend on order."""
    return min(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _names_somebody(name: str | None) -> bool:
    """A proper name ('AutoNation', 'Dan Olsen'), not 'his government' or 'Sources'."""
    # ("9to5Mac": a name may start with a digit)
    capital = name[:1].isupper() or name[:1].isdigit() and any(ch.isupper() for ch in name) if name else False
    if not name or not capital or name.lower() in PRONOUNS or is_title_only(name):
        return False
    words = name.lower().split()
    if words[0] in {"a", "an", "the", "his", "her", "its", "their", "our"}:
        return False
    # ("Cumbria Police", "Ottawa Police": a force is named for its place)
    return words[-1] not in GENERIC_CLAIMANTS or (
        words[-1] == "police" and len(words) > 1 and all(w[:1].isupper() for w in name.split()))


def _name_key(name: str) -> str:
    """'Kim Jong-un' and 'Kim Jong Un' are one person."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


_ACCORDING_RE = re.compile(r",?\s*(?:according to|as per|per)\s+[^,.;]+", re.IGNORECASE)
_SAID_VERBS = r"\b(?:said|says|told reporters|added|stated|reported|explained|reads)\b"
_SAID_TAIL_RE = re.compile(r",?\s*(?:the )?[\w .'’-]{0,80}?" + _SAID_VERBS + r"[^,.;\"”]*[.,]?\s*$", re.IGNORECASE)
_SAID_WORD_RE = re.compile(_SAID_VERBS, re.IGNORECASE)
# A trailing attribution ("..., the ministry said.") sits in the last words of the
# evidence; matching it against the whole text cost a scan per character.
_TAIL_WINDOW = 240


@lru_cache(maxsize=65536)
def core_text(text: str) -> str:
    """The claim's words with attribution and punctuation stripped, lowercased."""
    t = _ACCORDING_RE.sub(" ", text)
    cut = max(0, len(t) - _TAIL_WINDOW)
    if _SAID_WORD_RE.search(t, cut):  # the tail pattern needs one of its verbs; most quotes have none
        t = t[:cut] + _SAID_TAIL_RE.sub(" ", t[cut:])
    t = re.sub(r"[\"“”'‘’«»„\[\]()–—-]", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" ,.;:").lower()
    return t or text.lower()


def _shingles(text: str, n: int = 3) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    words = [w for w in words if w not in _STOP]
    if len(words) < n:
        return set(words)
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)} | set(words)


_STOP = {"the", "a", "an", "of", "to", "in", "and", "that", "for", "on", "with", "its", "it", "is", "was", "were",
         "be", "by", "as", "at", "has", "have", "had", "this", "these", "such", "their", "from", "or", "but"}


def claim_similarity(a: str, b: str) -> float:
    """Lexical similarity robust to paraphrase and to a quote cut to a fragment:
    the best of fuzzy token-set overlap and shingle containment."""
    from rapidfuzz import fuzz

    ca, cb = core_text(a), core_text(b)
    fuzzy = fuzz.token_set_ratio(ca, cb) / 100.0
    sa, sb = _shingles(ca), _shingles(cb)
    contain = len(sa & sb) / max(1, min(len(sa), len(sb))) if sa and sb else 0.0
    jacc = len(sa & sb) / max(1, len(sa | sb)) if sa and sb else 0.0
    return max(0.6 * fuzzy + 0.4 * contain, jacc)


def _sentence_around(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    hi_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    hi = min(hi_candidates) if hi_candidates else len(text)
    return text[lo + 1:hi]


def time_epoch(sentence: str, published_at: Any = None) -> str:
    """'current', or the earlier period a background sentence places the claim in."""
    m = _PAST_RE.search(sentence)
    if not m:
        return "current"
    month = m.group(1)
    if month:
        month_no = _MONTHS.index(month.lower()) + 1
        if published_at is not None and getattr(published_at, "month", None) == month_no:
            return "current"
        return f"month-{month_no:02d}"
    return "earlier"


_SMALL_BUCKET = 24


def similarity_matrix(texts: list[str]) -> "np.ndarray":
    """claim_similarity for every pair at once, in C: rapidfuzz's cdist for the
    fuzzy part and a sparse product for shared shingles. Equal to calling
    claim_similarity pair by pair, without its quadratic Python loop."""
    import numpy as np
    from rapidfuzz import fuzz, process
    from scipy import sparse

    if len(texts) == 1:
        return np.ones((1, 1))  # what the general path gives a single claim, without its set-up
    cores = [core_text(t) for t in texts]
    fuzzy = process.cdist(cores, cores, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=1) / 100.0
    sets = [_shingles(core) for core in cores]
    sizes = np.array([len(x) for x in sets], dtype=np.float32)
    if len(sets) <= _SMALL_BUCKET:
        # Most buckets hold a few claims, where scipy's set-up costs more than the
        # product; set intersections count the same shared shingles exactly.
        shared = np.array([[len(a & b) for b in sets] for a in sets], dtype=np.float32)
    else:
        vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, found in enumerate(sets):
            for sh in found:
                rows.append(i)
                cols.append(vocab.setdefault(sh, len(vocab)))
        m = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                              shape=(len(cores), max(1, len(vocab))))
        shared = (m @ m.T).toarray()
    smaller = np.maximum(1, np.minimum.outer(sizes, sizes))
    union = np.maximum(1, np.add.outer(sizes, sizes) - shared)
    nonempty = np.outer(sizes > 0, sizes > 0)
    contain = np.where(nonempty, shared / smaller, 0.0)
    jacc = np.where(nonempty, shared / union, 0.0)
    sim = np.maximum(0.6 * fuzzy + 0.4 * contain, jacc)
    np.fill_diagonal(sim, 1.0)
    return sim


def _cluster(items: list[dict[str, Any]], threshold: float) -> tuple[list[list[int]], "np.ndarray"]:
    """Average-link agglomerative clustering: a claim joins a group only if it is
    similar to the group as a whole, so paraphrase chains cannot drift.

    Returns the groups (sorted member indices, ordered by first member) and the
    similarity matrix they came from.
    """
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(items)
    sim = similarity_matrix([it["text"] for it in items])
    if n == 1:
        return [[0]], sim
    dist = np.clip(1.0 - sim.astype(np.float64), 0.0, None)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    # Merge while the average similarity stays above the threshold (strictly).
    labels = fcluster(tree, t=(1.0 - threshold) - 1e-9, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    return sorted(groups.values(), key=lambda g: g[0]), sim


def _claim_key(c: dict[str, Any]) -> str:
    return f"{c.get('doc_id', '')}:{c['start_char']}:{c['end_char']}:{c['claim_type']}:{c.get('claimant') or ''}"


def assign_propositions(claims: list[dict[str, Any]], documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give the same claim carried by several outlets one proposition_id.

    Claims are grouped by (story, side, claim_type, time period) and clustered
    by lexical similarity inside each group; the id is a hash of the sorted
    member keys, so it does not depend on processing order.
    """
    docs = {d["doc_id"]: d for d in documents}
    buckets: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    out = [dict(c) for c in claims]
    for c in out:
        d = docs.get(c.get("doc_id"), {})
        text = d.get("text") or ""
        sentence = _sentence_around(text, c["start_char"], c["end_char"]) if text else c["text"]
        epoch = time_epoch(sentence, d.get("published_at"))
        c["_epoch"] = epoch
        buckets[(d.get("story_id") or "", c.get("side") or "", c["claim_type"], epoch)].append(c)
    for key in sorted(buckets):
        items = sorted(buckets[key], key=_claim_key)
        groups, sim = _cluster(items, _PROPOSITION_SIM)
        for group in groups:
            members = [items[i] for i in group]
            pid = "p-" + hashlib.sha1("|".join(sorted(_claim_key(m) for m in members)).encode()).hexdigest()[:12]
            # The most central member names the proposition.
            totals = {i: float(sim[i, group].sum()) for i in group}
            central = items[max(group, key=lambda i: (round(totals[i], 6), -len(items[i]["text"]), _claim_key(items[i])))]
            label = f"{central.get('side') or 'unknown'} {central['claim_type']}: {core_text(central['text'])}"
            if central["_epoch"] != "current":
                label += f" ({central['_epoch']})"
            for m in members:
                m["proposition_id"] = pid
                m["proposition"] = label[:300]
    for c in out:
        c.pop("_epoch", None)
    return out
