"""Quotes: who said what, as direct, partial and indirect quotations.

The ``counterclaim_quotes`` component sets ``doc._.cc_quotes`` to a list of
dicts (see ``extract_quotes``). Everything is decided from the line shape
(quotation marks, dash paragraphs), the dependency parse already in the doc,
and lists of English reporting verbs; nothing is about a particular article.

Steps:
1. ``find_marked_spans`` pairs quotation marks character by character, per
   paragraph, carrying an unclosed quote into a paragraph that re-opens it.
2. ``_dash_spans`` adds the "– speech, the statement reads." paragraphs.
3. Each span is attributed (cue verb, its subject, a carrier such as a news
   agency) from the parse of the sentences it touches, or of the sentence
   introducing it, and typed direct (a whole statement), partial (words inside
   the writer's sentence) or dropped (scare quotes, titles, names).
4. Reporting verbs outside quotes give indirect quotes (their complement);
   so do stance words that are no speech cue (PolNeAR counts stances, plans,
   beliefs and findings as attributions: "endorsed the deal", "his claim that",
   "is expected to pass").
5. Speakers that are pronouns or descriptions are resolved to the last
   compatible named speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
from spacy import attrs as spacy_attrs
from spacy.parts_of_speech import IDS as UPOS_IDS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from flows.entities import PERSON_ROLE_WORDS, canonical_name, country_of, full_name_of

# --- lexicons -----------------------------------------------------------------

# Verbs that report speech (or a stance voiced in public) and take the speech as complement.
SPEECH_VERBS = {
    "say", "tell", "add", "state", "claim", "allege", "deny", "insist", "warn", "vow", "argue",
    "explain", "note", "report", "announce", "suggest", "write", "acknowledge", "admit", "agree",
    "assert", "contend", "declare", "confirm", "predict", "promise", "reply", "respond", "stress",
    "emphasize", "emphasise", "indicate", "recall", "reiterate", "accuse", "reject", "refute",
    "dismiss", "complain", "concede", "ask", "urge", "tweet", "testify", "maintain", "estimate",
    "continue", "observe", "remark", "comment", "mention", "point", "threaten", "pledge", "charge",
    "blame", "caution", "boast", "joke", "quip", "counter", "retort", "answer", "tout", "signal",
    "proclaim", "disclose", "reveal", "hint", "concur", "lament", "read", "describe",
    "call", "brand", "label", "term", "dub", "consider", "view", "regard", "see", "believe",
    "think", "feel", "hope", "fear", "worry", "expect", "know", "decry", "condemn", "criticize",
    "criticise", "slam", "blast", "praise", "question", "dispute", "rebuff", "repudiate", "demand",
    "propose", "plead", "cite", "quote", "recount", "speculate", "wonder", "assure", "inform",
    "notify", "advise", "conclude", "find", "show", "mutter", "shout", "yell", "scream",
    "whisper", "cry", "exclaim", "chant", "sing", "post", "message", "text", "email",
}
# Verbs whose object (not only a clause) is the thing said: "denied the allegations".
OBJECT_CONTENT_VERBS = {
    "deny", "reject", "refute", "dismiss", "accuse", "allege", "blame", "condemn", "criticize",
    "criticise", "dispute", "rebuff", "repudiate", "decry", "slam", "blast", "question", "claim",
    "announce", "confirm", "acknowledge", "admit", "threaten", "vow", "pledge", "promise", "demand",
    "predict", "propose", "praise", "tout", "reveal", "disclose",
}
# Verbs taking the speech as an infinitive or gerund: "vowed to expand", "denied supplying".
XCOMP_VERBS = {"vow", "pledge", "promise", "threaten", "deny", "claim", "refuse", "urge", "ask",
               "warn", "agree", "admit", "insist", "offer", "decline", "propose", "demand"}
# Verbs only strong enough to attribute quoted words, not to make an indirect quote.
WEAK_INDIRECT = {"continue", "read", "call", "describe", "brand", "label", "term", "dub", "cite",
                 "quote", "post", "message", "text", "sing", "cry", "praise", "point"}

# --- indirect attributions beyond reported speech ------------------------------
# PolNeAR-style attributions also cover stances, plans, beliefs and findings.
# These verbs make an indirect attribution only (never the cue of quoted words).
# Verbs whose clause complement is the content: "she recognized that ...".
CLAUSE_CONTENT_VERBS = {"imply", "recognize", "recognise", "doubt", "suspect", "convince", "discuss",
                        "demonstrate", "learn", "point", "acknowledge", "guess", "figure", "reckon",
                        "understand", "realize", "realise", "insinuate", "forecast", "project", "calculate"}
# Verbs whose object is the content: "endorsed the bipartisan deal", "cited low growth".
STANCE_OBJECT_VERBS = {
    "endorse", "oppose", "praise", "defend", "express", "discuss", "cite", "mention",
    "highlight", "denounce", "echo", "note", "repeat", "prefer", "reiterate", "emphasize",
    "emphasise", "stress", "outline", "affirm", "voice", "applaud", "mock", "disavow", "recount",
    "list", "state", "hail", "reject", "propose", "announce", "recommend", "condemn", "decry",
    "lament", "dispute", "question", "tout", "predict", "estimate", "forecast", "report", "describe",
    "advocate", "champion", "urge", "demand", "suggest", "acknowledge", "concede", "admit", "deny",
    "claim", "allege", "assert", "declare", "confirm", "reveal", "disclose",
}
# Verbs whose infinitive or gerund is the content: "expects to win", "declined to say".
STANCE_XCOMP_VERBS = {"expect", "seek", "refuse", "decline", "plan", "hope", "call", "decide", "aim",
                      "push", "pledge", "vow", "promise", "threaten", "propose", "suggest",
                      "recommend", "report", "consider", "advocate", "urge",
                      "encourage", "demand", "wish", "prefer", "oppose"}
# (verb, preposition) whose object is the content: "called for a ban", "talked about jobs".
STANCE_PREP_VERBS = {
    ("call", "for"), ("talk", "about"), ("speak", "about"), ("speak", "of"), ("refer", "to"),
    ("respond", "to"), ("point", "to"), ("comment", "on"), ("criticize", "for"), ("criticise", "for"),
    ("push", "for"), ("advocate", "for"), ("think", "about"), ("complain", "about"), ("praise", "for"),
    ("blast", "for"), ("slam", "for"), ("attack", "for"), ("fault", "for"), ("thank", "for"),
    ("congratulate", "for"), ("apologize", "for"), ("apologise", "for"), ("blame", "for"),
    ("distance", "from"), ("double", "on"), ("portray", "as"), ("describe", "as"), ("view", "as"),
    ("cast", "as"), ("cite", "as"), ("characterize", "as"), ("characterise", "as"),
    ("regard", "as"), ("hail", "as"), ("dismiss", "as"), ("label", "as"), ("brand", "as"),
    ("charge", "with"), ("warn", "about"), ("warn", "of"), ("worry", "about"), ("argue", "for"),
    ("argue", "against"), ("campaign", "for"), ("campaign", "against"), ("rail", "against"),
    ("testify", "about"), ("write", "about"), ("boast", "about"), ("brag", "about"), ("joke", "about"),
    ("insist", "on"), ("agree", "with"), ("disagree", "with"), ("weigh", "in"), ("object", "to"),
    ("allude", "to"), ("hint", "at"), ("lobby", "for"),
    ("ask", "about"), ("accuse", "of"), ("hope", "for"), ("wonder", "about"), ("speculate", "about"),
}
# Verbs of naming: "called the pact 'insanity'", "labelled him a traitor".
NAMING_VERBS = {"call", "label", "brand", "dub", "term", "deem", "declare", "pronounce", "name"}
# Verb prepositions that complete an object: "dismissed his proposal as too vague",
# "criticized the president for not using ...".
OBJECT_COMPLETING_PREPS = {"as", "for", "of", "with"}
# Passive cues whose subject is part of the content: "The House is expected to pass ...".
PASSIVE_RAISING = {"expect", "believe", "think", "say", "report", "consider", "know", "rumor", "rumour",
                   "estimate", "project", "predict", "see", "seem", "appear", "allege", "suppose", "assume"}
# Nouns whose clause or infinitive complement is the content: "the claim that ...",
# "his promise to ...".
CONTENT_NOUNS = {
    "claim", "statement", "suggestion", "proposal", "promise", "complaint", "idea", "desire",
    "belief", "fear", "argument", "assertion", "confidence", "pledge", "allegation",
    "accusation", "view", "notion", "assessment", "warning", "prediction", "estimate", "hope",
    "insistence", "contention", "charge", "threat", "vow", "call", "demand", "announcement",
    "admission", "acknowledgment", "acknowledgement", "denial", "conclusion", "finding",
    "speculation", "suspicion", "opinion", "expectation", "intention", "assurance",
    "message", "recommendation", "request", "insinuation", "theory", "rumor", "rumour", "report",
    "assumption", "impression", "sense", "feeling", "doubt", "doubts", "worry", "concerns",
}
# (noun, preposition) whose object is the content: "criticism of", "calls for".
CONTENT_NOUN_PREPS = {
    ("question", "about"), ("questions", "about"), ("concern", "about"), ("concerns", "about"),
    ("call", "for"), ("calls", "for"), ("endorsement", "of"), ("criticism", "of"), ("comment", "about"),
    ("comments", "about"), ("comment", "on"), ("comments", "on"), ("doubt", "about"), ("doubts", "about"),
    ("mention", "of"), ("rejection", "of"), ("hope", "of"), ("hopes", "of"), ("opposition", "to"),
    ("praise", "for"), ("defense", "of"), ("defence", "of"), ("denial", "of"),
    ("warning", "about"), ("warnings", "about"), ("fears", "of"), ("fear", "of"), ("worries", "about"),
    ("remarks", "about"), ("remarks", "on"), ("statement", "on"), ("statement", "about"),
    ("condemnation", "of"), ("denunciation", "of"), ("embrace", "of"), ("demand", "for"),
    ("demands", "for"), ("push", "for"), ("plea", "for"), ("appeal", "for"),
    ("complaints", "about"), ("complaint", "about"), ("claims", "of"), ("allegations", "of"),
    ("accusations", "of"), ("predictions", "of"), ("prediction", "of"), ("skepticism", "about"),
    ("skepticism", "of"), ("views", "on"), ("view", "of"), ("stance", "on"),
}
# Every word _stance_content can act on, to skip the others without reading their children.
_STANCE_NOUNS = CONTENT_NOUNS | {n for n, _ in CONTENT_NOUN_PREPS}
_STANCE_VERBS = (CLAUSE_CONTENT_VERBS | STANCE_XCOMP_VERBS | STANCE_OBJECT_VERBS | NAMING_VERBS
                 | {v for v, _ in STANCE_PREP_VERBS})
# Cues too weak to claim a quote when a speech verb also governs it:
# "U.S. information indicates that X 'is ...,' Kirby told reporters".
WEAK_GOVERNORS = {"indicate", "show", "suggest", "believe", "think", "see", "view", "consider", "know",
                  "feel", "hope", "fear", "expect", "find", "mean", "worry", "regard", "continue"}
# Cues that name who carried a statement rather than who made it.
CARRIER_VERBS = {"report", "carry", "cite", "quote", "publish", "broadcast", "air"}
# Objects that turn a verb into a reporting phrase: "told reporters".
AUDIENCE_WORDS = {"reporters", "journalists", "press", "media", "lawmakers", "audience", "crowd",
                  "supporters", "correspondents", "interviewer", "newsmen", "members"}

PRONOUNS_PERSON = {"he", "she", "him", "her", "i", "me"}
PRONOUNS_GROUP = {"it", "they", "them", "we", "us"}
# Descriptions that are a person, not a body: "the guitarist explained" is the man named
# before, even when an outlet was quoted since.
PERSON_ROLES = PERSON_ROLE_WORDS | {"drummer", "priest", "teenager", "student", "man", "woman", "boy", "girl", "victim",
                                   "pilot", "businessman", "billionaire"}
RELATIVE = {"who", "that", "which", "whom"}
# Heads that describe a speaker without naming it: resolved to an earlier named speaker.
DESCRIPTION_HEADS = {
    "official", "officials", "statement", "ministry", "spokesman", "spokeswoman", "spokesperson",
    "representative", "source", "sources", "agency", "government", "regime", "administration",
    "director", "minister", "office", "department", "military", "army", "leader", "president",
    "country", "side", "diplomat", "envoy", "embassy", "announcement", "report", "commentary",
    "editorial", "communique", "spokespeople", "aide", "aides", "adviser", "advisers", "campaign",
    "committee", "council", "command", "party", "delegation", "mission", "authorities", "authority",
}
SCARE_PREFIXES = {"so-called", "so", "dubbed", "named", "titled", "entitled", "nicknamed", "codenamed",
                  "hashtag", "slogan", "word", "term", "phrase", "called"}

OPEN_DOUBLE = "“«„"
CLOSE_DOUBLE = "”»"
DASHES = "–—―"
_ALNUM_RE = re.compile(r"\w", re.UNICODE)


# --- 1. quotation marks -------------------------------------------------------

@dataclass
class Marked:
    """A quoted stretch: its content fragments (without marks)."""
    fragments: list[tuple[int, int]]
    style: str  # "double", "single" or "dash"

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line: the text's paragraphs."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _role_double(text: str, i: int) -> str:
    """Whether a double mark at i opens, closes or could do either, from its neighbours."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    space_before = prev.isspace() or prev in "([{" + DASHES + "-/" + OPEN_DOUBLE + "‘'"
    space_after = nxt.isspace() or nxt in ".,;:!?)]}" + DASHES + CLOSE_DOUBLE + "’'"
    if ch in OPEN_DOUBLE:
        # A left mark used as a closer by a careless conversion.
        return "close" if (not space_before and space_after) else "open"
    if ch in CLOSE_DOUBLE:
        return "open" if (space_before and not space_after) else "close"
    if space_before and not space_after:
        return "open"
    if space_after and not space_before:
        return "close"
    return "either"


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return s, e


def _double_spans(text: str, paras: list[tuple[int, int]]) -> list[Marked]:
    """Pair double marks per paragraph; an unclosed quote continues into a
    paragraph that starts with an opening mark (the journalistic convention)."""
    out: list[Marked] = []
    carry: list[tuple[int, int]] | None = None  # fragments of a quote still open
    for pi, (ps, pe) in enumerate(paras):
        marks = [i for i in range(ps, pe) if text[i] in '"“”«»„']
        open_at: int | None = None
        frags: list[tuple[int, int]] = []
        if carry is not None:
            first = text[ps:pe].lstrip()
            if first[:1] in '"“«„':
                frags = carry
                open_at = ps + (len(text[ps:pe]) - len(first))
                marks = [m for m in marks if m != open_at]
            carry = None
        for m in marks:
            role = _role_double(text, m)
            if open_at is None:
                if role != "close":
                    open_at = m
            elif role == "open" and text[m] not in CLOSE_DOUBLE and m - open_at > 1 and role != "either":
                # Two openers in a row: the first lost its closer; restart here.
                frags = []
                open_at = m
            else:
                s, e = _trim(text, open_at + 1, m)
                if e > s:
                    out.append(Marked(frags + [(s, e)], "double"))
                frags, open_at = [], None
        if open_at is not None:
            s, e = _trim(text, open_at + 1, pe)
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            nxt_text = text[nxt[0]:nxt[1]].lstrip() if nxt else ""
            before = text[ps:open_at].rstrip()
            speech_start = not before or before[-1] in ":,"
            if nxt and nxt_text[:1] in '"“«„' and e > s and (speech_start or frags):
                carry = frags + [(s, e)]
            else:
                # A missing closing mark at the paragraph end: keep it only when the
                # opener looks like it starts speech, otherwise it is a stray mark.
                if e > s and speech_start:
                    out.append(Marked(frags + [(s, e)], "double"))
                elif frags:
                    out.append(Marked(frags, "double"))
    return out


def _single_spans(text: str, paras: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[Marked]:
    """Single-quoted stretches outside double quotes; apostrophes are not marks."""
    out: list[Marked] = []
    for ps, pe in paras:
        i = ps
        while i < pe:
            ch = text[i]
            if ch in "‘'" and not _inside(i, taken):
                prev = text[i - 1] if i > ps else " "
                nxt = text[i + 1] if i + 1 < pe else " "
                opener = (prev.isspace() or prev in "([{-/:" + DASHES + OPEN_DOUBLE + '"') and (
                    nxt.isalnum() or nxt in "[(…$")
                # '90s, 'em: an elision, not a quote.
                if opener and re.match(r"[‘']\d\ds\b|[‘'](em|til|cause|n)\b", text[i:i + 6]):
                    opener = False
                if opener:
                    close = _single_closer(text, i + 1, pe)
                    if close is not None:
                        s, e = _trim(text, i + 1, close)
                        if e > s:
                            out.append(Marked([(s, e)], "single"))
                        i = close + 1
                        continue
            i += 1
    return out


def _single_closer(text: str, start: int, pe: int) -> int | None:
    for j in range(start, pe):
        if text[j] in "’'":
            prev = text[j - 1]
            nxt = text[j + 1] if j + 1 < pe else " "
            if prev.isspace() or nxt.isalnum():
                continue  # an apostrophe inside a word: don't, Russia's
            # "countries’ leaders": a plural possessive, unless punctuation follows.
            if prev == "s" and nxt == " " and j + 2 < pe and text[j + 2].islower() and j - start > 40:
                continue
            return j
        if text[j] in '"“”':
            return None  # crossing a double quote: not a single-quoted span
    return None


def _inside(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(s - 1 <= i <= e for s, e in spans)


def _dash_spans(text: str, paras: list[tuple[int, int]], doc: Doc) -> list[Marked]:
    """Paragraphs that open with a dash and end ", <speaker> <cue>." (the dialogue
    dash of many European styles)."""
    out: list[Marked] = []
    for ps, pe in paras:
        para = text[ps:pe]
        stripped = para.lstrip()
        if not stripped or stripped[0] not in DASHES + "-" or len(stripped) < 3 or not stripped[1].isspace():
            continue
        lead = ps + len(para) - len(stripped) + 1
        comma = text.rfind(",", lead, pe)
        if comma < 0:
            continue
        tail = doc.char_span(comma + 1, pe, alignment_mode="expand")
        if tail is None or len(tail) > 12 or not any(_is_cue(t) for t in tail):
            continue
        s, e = _trim(text, lead, comma)
        if e > s:
            out.append(Marked([(s, e)], "dash"))
    return out


# Two apostrophes for a double mark; three are a double and a single mark together.
_TWO_APOSTROPHES = re.compile(r"'{2,3}")


def _ascii_doubles(text: str) -> str:
    """Two apostrophes written for a double quotation mark (''Like this,'' he said)
    become a double mark of the same width: the mark plus a space on the side away
    from the words, so the pairing below sees an opener or a closer. Of three in a
    row, the one on the inner side is a single mark (''' ends a nested quote)."""
    if "''" not in text:
        return text
    chars = list(text)
    for m in _TWO_APOSTROPHES.finditer(text):
        s, e = m.span()
        prev = text[s - 1] if s > 0 else " "
        opening = prev.isspace() or prev in "([{-/" + DASHES + OPEN_DOUBLE
        if e - s == 3:
            s, e = (s, s + 2) if opening else (s + 1, e)
        if opening:
            chars[s], chars[s + 1] = " ", '"'
        else:
            chars[s], chars[s + 1] = '"', " "
    return "".join(chars)


def find_marked_spans(doc: Doc) -> list[Marked]:
    """The doc's quoted stretches in text order: double marks (two apostrophes count
    as one), single marks outside them, and dash paragraphs outside them."""
    text = _ascii_doubles(_doc_text(doc))
    paras = _paragraphs(text)
    doubles = _double_spans(text, paras)
    taken = [(m.start, m.end) for m in doubles]
    singles = _single_spans(text, paras, taken)
    dashes = [d for d in _dash_spans(text, paras, doc)
              if not any(s < d.end and d.start < e for s, e in taken)]
    return sorted(doubles + singles + dashes, key=lambda m: m.start)


# --- 2. attribution -----------------------------------------------------------

def _is_cue(t: Token) -> bool:
    if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX"):
        return True
    return t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to"


def _headline_cue(t: Token) -> bool:
    """Title-case headlines confuse the tagger: match the word form instead."""
    w = t.lower_
    for cand in (w, w[:-1], w[:-2], w[:-3] + "y" if w.endswith("ies") else w):
        if cand in SPEECH_VERBS and cand not in WEAK_INDIRECT:
            return True
    return False


@dataclass
class Attribution:
    cue: Token | None = None
    cue_span: tuple[int, int] | None = None  # char offsets
    speaker: Span | None = None
    carrier: Span | None = None
    carrier_cue: Token | None = None


def _subject(v: Token) -> Token | None:
    for c in v.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return c
    return None


def _agent(v: Token) -> Token | None:
    for c in v.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _pobj_of_according(t: Token) -> Token | None:
    for c in t.children:
        if c.lower_ == "to":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    if nxt is not None:
        for p in nxt.children:
            if p.dep_ == "pobj":
                return p
    return None


def _person_end(doc: Doc, i: int) -> int:
    """The last token of the PERSON name that token ``i`` is in or begins."""
    while i + 1 < len(doc) and doc[i + 1].ent_iob_ == "I" and doc[i + 1].ent_type_ == "PERSON":
        i += 1
    return i


def _np_span(head: Token) -> Span:
    """The noun phrase of a speaker head, without appositions, relative clauses or
    trailing punctuation ("Hugh Hill, a doctor, who ..." -> "Hugh Hill")."""
    doc = head.doc
    left = head.i
    for t in head.lefts:
        if t.dep_ in ("punct",) and t.i == head.left_edge.i:
            continue
        left = min(left, t.left_edge.i)
    right = head.i
    if not head.ent_type_ == "PERSON":
        # "Spokesman for the Council John Kirby", "the spokesman, John Kirby,": the name.
        for t in head.rights:
            if t.dep_ == "appos" and t.ent_type_ == "PERSON":
                right = _person_end(doc, t.i)
                break
    for t in head.rights:
        if t.i <= right:
            continue
        if t.dep_ in ("appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis"):
            break
        if t.dep_ == "prep" and t.lower_ not in ("of", "at", "for", "from", "in", "with", "to"):
            break
        # "Our tipster in the Canton area of Baltimore, where Michael lives": a relative clause
        # deeper in the phrase describes the place, and its names are not the speaker's
        inner = [r.left_edge.i for r in t.subtree if r.dep_ == "relcl" and r != t]
        right = max(right, min(inner) - 1 if inner else t.right_edge.i)
        if inner:
            break
    if head.ent_type_ == "PERSON" and head.ent_iob_ == "B":
        # "al-Bredi": the parser splits a hyphenated name into three subjects; the name is whole
        right = max(right, _person_end(doc, head.i))
    # Quotation marks or brackets at the edges are not part of the name.
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    return doc[left:right + 1]


def _speaker_of(cue: Token) -> tuple[Token | None, Token | None]:
    """(speaker head, carrier head) for a cue token."""
    if cue.lower_ == "according":
        return _pobj_of_according(cue), None
    v = cue
    came_via_as = False
    for _ in range(4):
        lemma = v.lemma_.lower()
        if came_via_as and lemma in ("quote", "cite", "carry", "report"):
            # "KCNA cites a statement as saying", "X was quoted by KCNA as stating".
            subj = _subject(v)
            if subj is not None and subj.dep_ == "nsubjpass":
                return subj, _agent(v)
            obj = next((c for c in v.children if c.dep_ in ("dobj", "obj")), None)
            return (obj if obj is not None else subj), (subj if obj is not None else None)
        subj = _subject(v)
        if subj is not None and v.i == cue.i and v.dep_ == "parataxis" and v.head.i > v.i:
            # "The source of it, union members and leaders say, is ...": the parser ran
            # the content's subject into the cue's; the speaker follows the last comma.
            ps = _cue_phrase_start(v)
            if subj.i < ps < v.i:
                root = v.doc[ps:v.i].root
                if root.pos_ in ("NOUN", "PROPN", "PRON"):
                    subj = root
        if subj is not None:
            if subj.lower_ in RELATIVE and v.dep_ == "relcl":
                return v.head, None
            agent = _agent(v)
            if subj.dep_ == "nsubjpass" and agent is None:
                agent = _stray_agent(v)
            if subj.dep_ == "nsubjpass" and agent is not None:
                return agent, None  # "branded as X by the government": the agent said it
            return subj, None
        agent = _agent(v)
        if agent is not None:
            return agent, None
        absolute = _with_subject(v)
        if absolute is not None:
            return absolute, None
        if v.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl", "prep", "ccomp") and v.head.i != v.i:
            if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return v.head, None
            came_via_as = v.dep_ == "prep" and v.lower_ == "as" or (v.dep_ == "pcomp" and v.head.lower_ == "as")
            v = v.head
            if v.lower_ == "as" and v.dep_ == "prep":
                came_via_as = True
                v = v.head
            continue
        break
    return _noun_before(cue) or _inverted_speaker(cue), None


_INVERSION_CUES = {"say", "add", "explain", "continue", "write", "insist", "tell", "note", "recall", "reply"}


def _inverted_speaker(cue: Token) -> Token | None:
    """The speaker right after a cue that closes a quote, when the parse gave the cue no
    subject: '"..., " said Madden, before elaborating, "..."' (the parser hung the name
    on the next quote's verb). Only a name or a determined noun phrase counts, read off
    the words, not the tree."""
    doc = cue.doc
    if cue.lemma_.lower() not in _INVERSION_CUES or cue.i == cue.sent.start:
        return None
    before = doc[cue.i - 1]
    if not (before.is_punct or before.is_quote):
        return None
    i = cue.i + 1
    if i < len(doc) and doc[i].pos_ == "DET" and doc[i].lower_ in ("the", "a", "an"):
        i += 1
    head = None
    while i < len(doc) and doc[i].pos_ in ("PROPN", "NOUN", "ADJ") and doc[i].sent == cue.sent:
        head = doc[i]
        i += 1
    if head is None or head.pos_ == "ADJ":
        return None
    first = doc[cue.i + 1]
    named = first.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") and first.ent_iob_ == "B"
    return head if named or first.pos_ == "DET" else None


# Objects of "by" that name a means, a time or a degree, never who acted.
_NOT_AGENTS = {"far", "way", "law", "hand", "default", "design", "chance", "accident", "mistake",
               "means", "comparison", "contrast", "name", "phone", "telephone", "email", "mail", "letter",
               "video", "satellite", "margin", "percent", "%", "time", "end", "night", "day", "noon"}
_BY_PATH = {"pobj", "oprd", "attr", "acomp", "dobj"}


def _stray_agent(v: Token) -> Token | None:
    """A passive cue's "by" phrase that the parser hung on the cue's complement
    instead of the cue: "was branded as a 'foreign agent' by the Russian government"
    (by -> agent -> as -> branded). Only a phrase on the cue's own complement counts,
    not one deeper inside it ("asked about the claim of credit for the attack by X")."""
    for t in v.subtree:
        if t.i <= v.i or t.lower_ != "by" or t.dep_ != "prep":
            continue
        # by -> the cue's complement (-> its preposition) -> the cue; tokens are
        # views, so positions are compared, not identity.
        noun = t.head
        if noun.dep_ not in _BY_PATH or noun.pos_ not in ("NOUN", "PROPN", "ADJ"):
            continue
        up = noun.head if noun.head.i != v.i and noun.head.dep_ == "prep" else noun
        if up.head.i != v.i:
            continue
        p = next((c for c in t.children if c.dep_ == "pobj"), None)
        if p is None or p.pos_ not in ("NOUN", "PROPN", "PRON") or p.lower_ in _NOT_AGENTS:
            continue
        if p.ent_type_ in ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"):
            continue
        return p
    return None


def _with_subject(v: Token) -> Token | None:
    """The subject of a participle in an absolute "with X doing" phrase, when the
    parser attached the participle beside the "with" phrase rather than to it:
    "..., with Pyongyang on Monday vowing a 'resolute' response" (with -> repudiation,
    vowing -> repudiation). Between the phrase and the participle only prepositional,
    adverbial or noun-phrase modifiers (a time: "on Monday") may stand, and no comma."""
    if v.tag_ not in ("VBG", "VBN") or v.dep_ not in ("acl", "advcl") or v.head.i == v.i:
        return None
    siblings = [c for c in v.head.children if c.i < v.i]
    w = next((c for c in reversed(siblings) if c.lower_ == "with" and c.dep_ == "prep"), None)
    if w is None:
        return None
    if any(c.i > w.i and c.dep_ not in ("prep", "npadvmod", "advmod", "punct") for c in siblings):
        return None
    p = next((c for c in w.children if c.dep_ == "pobj"), None)
    if p is None or p.pos_ not in ("NOUN", "PROPN", "PRON") or p.right_edge.i >= v.i:
        return None
    # "celebrated with supporters, declaring ...": after a comma the participle goes
    # with the clause's own subject, the "with" phrase was an accompaniment.
    if any(t.is_punct for t in v.doc[p.right_edge.i + 1:v.i]):
        return None
    return p


def _noun_before(cue: Token) -> Token | None:
    """When the parse lost the subject ("..., in a statement carried by KCNA, an
    official at the ministry said:"), the noun phrase right before the cue, climbing
    out of its prepositional modifiers to the phrase's head noun."""
    if cue.lower_ == "according":
        return None
    sent_start = cue.sent.start
    i = cue.i - 1
    while i >= sent_start and cue.doc[i].pos_ in ("ADV", "AUX", "PART"):
        i -= 1
    if i < sent_start:
        return None
    t = cue.doc[i]
    if t.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    name = t
    while t.dep_ in ("pobj", "compound", "poss") and t.head.i < t.i:
        t = t.head
        if t.dep_ == "prep" and t.head.i < t.i:
            t = t.head
    if t.pos_ in ("NOUN", "PROPN", "PRON"):
        return t
    # "In September Pyongyang denied ...": with no comma after the opening phrase the
    # parser takes the name for the preposition's object; a name right before a
    # finite cue that has no subject is its subject.
    if (t.dep_ == "prep" and t.head.i == cue.i and cue.tag_ in ("VBD", "VBZ", "VBP")
            and name.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") and name.ent_iob_ in ("B", "I")):
        return name
    return None


def _cue_span(cue: Token) -> tuple[int, int]:
    doc = cue.doc
    if cue.lower_ == "according" and cue.i + 1 < len(doc):
        return cue.idx, doc[cue.i + 1].idx + len(doc[cue.i + 1])
    end = cue.idx + len(cue)
    for c in cue.rights:
        if c.dep_ in ("dobj", "dative") and c.lower_ in AUDIENCE_WORDS and c.i <= cue.i + 2:
            end = c.idx + len(c)
        if c.dep_ == "prt" and c.i == cue.i + 1:
            end = c.idx + len(c)
    return cue.idx, end


def _in_spans(i: int, spans: Iterable[tuple[int, int]]) -> bool:
    if isinstance(spans, _Spans):
        return spans.covers(i)
    return any(s <= i < e for s, e in spans)


class _Spans(list):
    """A list of (start, end) character spans that also answers "is i inside one of
    them?" by bisection over the merged spans; the per-token linear scan was a large
    share of the component's time. Iterating it gives the spans as listed."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        super().__init__(spans)
        merged: list[list[int]] = []
        for s, e in sorted((s, e) for s, e in self if s < e):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self._starts = [m[0] for m in merged]
        self._ends = [m[1] for m in merged]

    def covers(self, i: int) -> bool:
        k = bisect_right(self._starts, i) - 1
        return k >= 0 and i < self._ends[k]


def _tokens_with_pos(doc: Doc, tags: set[str], words: frozenset[str] | set[str] = frozenset()) -> list[Token]:
    """The tokens whose coarse tag is one of ``tags`` or whose lower form is one of
    ``words``, in order, read from the doc's arrays so that no Token is made for the rest."""
    arr = doc.to_array([spacy_attrs.POS, spacy_attrs.LOWER])
    keep = np.isin(arr[:, 0], [UPOS_IDS[t] for t in tags])
    if words:
        keep |= np.isin(arr[:, 1], np.array([doc.vocab.strings[w] for w in words], dtype=arr.dtype))
    return [doc[i] for i in np.flatnonzero(keep).tolist()]


def _contains(ancestor: Token, t: Token) -> bool:
    return ancestor.left_edge.i <= t.i <= ancestor.right_edge.i and (t.i == ancestor.i or ancestor in t.ancestors)


def _carrier_in(sent_tokens: list[Token], cue: Token, speaker: Token | None, quoted: list[tuple[int, int]]) -> tuple[Token, Token] | None:
    """Another cue in the sentence naming who carried the words: "..., KCNA reported",
    "according to KCNA" beside a named speaker, "per state media", "carried by X"."""
    cue_is_carrier = cue.lower_ == "according" or cue.lemma_.lower() in CARRIER_VERBS
    for t in sent_tokens:
        if t.i == cue.i or _in_spans(t.idx, quoted):
            continue
        if cue_is_carrier and t.lower_ == "according":
            continue  # "According to X, ..., reports KCNA": X spoke, KCNA carried
        if t.lower_ == "per" and t.dep_ == "prep":
            p = next((c for c in t.children if c.dep_ == "pobj"), None)
            if p is not None:
                return p, t
        is_carrier_verb = t.lemma_.lower() in CARRIER_VERBS and t.pos_ == "VERB"
        if is_carrier_verb or (t.lower_ == "according" and speaker is not None):
            head, _ = (_pobj_of_according(t), None) if t.lower_ == "according" else (
                _agent(t) or (_subject(t) if _subject(t) is not None and _subject(t).dep_ == "nsubj" else None), None)
            if head is not None and head.lower_ not in RELATIVE and (speaker is None or head.i != speaker.i):
                if speaker is not None and _contains(head, speaker):
                    continue
                return head, t
    return None


_SENT_BOUNDS = "counterclaim_sentence_bounds"
_TEXT = "counterclaim_text"


def _doc_text(doc: Doc) -> str:
    """The doc's text, joined once per extraction: ``Doc.text`` joins every token's
    text on each access, and reading it per quote cost most of the component's time."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.text
        doc.user_data[_TEXT] = text
    return text


def _sentences_of(doc: Doc, start: int, end: int) -> list[Span]:
    # doc.sents walks every token on each access; the bounds are read once per doc
    # (plain ints, so the doc still pickles across nlp.pipe worker processes).
    bounds = doc.user_data.get(_SENT_BOUNDS)
    if bounds is None:
        bounds = [(s.start_char, s.end_char, s.start, s.end) for s in doc.sents]
        doc.user_data[_SENT_BOUNDS] = bounds
    return [doc[i:j] for sc, ec, i, j in bounds if sc < end and start < ec]


def _choose_cue(tokens: list[Token], first: Token | None, quoted: list[tuple[int, int]], headline: bool) -> Token | None:
    cues = [t for t in tokens if not _in_spans(t.idx, quoted) and (_is_cue(t) or (headline and _headline_cue(t)))]
    if not cues:
        return None
    if first is not None:
        governing = [c for c in cues if _contains(c, first) and c.lower_ != "according"]
        if governing:
            # The lowest governing cue: "said" in "KCNA reported that X said '...'".
            non_carrier = [c for c in governing if c.lemma_.lower() not in CARRIER_VERBS] or governing
            strong = [c for c in non_carrier if c.lemma_.lower() not in WEAK_GOVERNORS] or non_carrier
            return max(strong, key=lambda c: len(list(c.ancestors)))
        non_carrier = [c for c in cues if c.lemma_.lower() not in CARRIER_VERBS or c.lower_ == "according"]
        pool = non_carrier or cues
        return min(pool, key=lambda c: abs(c.i - first.i))
    return cues[0]


def _attribute(doc: Doc, s: int, e: int, quoted: list[tuple[int, int]], headline_end: int) -> Attribution:
    sents = _sentences_of(doc, s, e)
    if not sents:
        return Attribution()
    tokens = [t for sent in sents for t in sent]
    first = next((t for t in tokens if t.idx >= s), None)
    headline = sents[0].start_char < headline_end or _title_case(sents[0])
    if headline:
        return _headline_attribution(doc, sents[0], s, quoted)
    cue = _choose_cue(tokens, first, quoted, headline)
    if cue is None:
        # Speech that stands alone: the cue is in the sentence before a colon,
        # or a short sentence after it ("...," he said. split by the tagger).
        prev_sent = _neighbour_sentence(doc, sents[0], -1)
        nxt_sent = _neighbour_sentence(doc, sents[-1], 1)
        if prev_sent is not None and prev_sent.text.rstrip().endswith(":"):
            cue = _choose_cue(list(prev_sent), None, quoted, False)
        elif nxt_sent is not None and len(nxt_sent) <= 8 and _same_paragraph(doc, sents[-1], nxt_sent):
            cue = _choose_cue(list(nxt_sent), None, quoted, False)
        if cue is None:
            return Attribution()
    return _attribution_of(cue, quoted)


def _attribution_of(cue: Token, quoted: list[tuple[int, int]]) -> Attribution:
    head, carrier = _speaker_of(cue)
    carrier_cue = None
    if carrier is None:
        found = _carrier_in(list(cue.sent), cue, head, quoted)
        if found is not None:
            carrier, carrier_cue = found
    speaker = _np_span(head) if head is not None else None
    if (speaker is not None and cue.lower_ != "according" and head.dep_ in ("pobj", "compound", "appos")
            and head.ent_iob_ in ("B", "I") and _subject(cue) is None and _agent(cue) is None):
        # The name a fronted phrase swallowed ("In September Pyongyang denied", "In a
        # 2007 entry from his blog Williams recounts"): the name alone, not the
        # phrase's words before it.
        ent = next((e for e in cue.doc.ents if e.start <= head.i < e.end), None)
        between = cue.doc[speaker.end:cue.i]
        if (ent is not None and ent.start > speaker.start and ent.end == speaker.end
                and all(t.pos_ in ("ADV", "AUX", "PART") for t in between)):
            speaker = ent
    if speaker is not None and _in_spans(speaker.start_char, quoted):
        speaker = None
    return Attribution(cue=cue, cue_span=_cue_span(cue), speaker=speaker,
                       carrier=_np_span(carrier) if carrier is not None else None, carrier_cue=carrier_cue)


def _title_case(sent: Span) -> bool:
    """Headline style: most longer words capitalised."""
    words = [t.text for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _headline_attribution(doc: Doc, sent: Span, start: int, quoted: list[tuple[int, int]]) -> Attribution:
    """Headlines ("North Korea Rejects 'Groundless' US Claims") confuse the tagger:
    the cue is a reporting word form before the quote, the speaker the words before it."""
    cues = [t for t in sent if t.idx < start and not _in_spans(t.idx, quoted) and (_headline_cue(t) or _is_cue(t))]
    if not cues:
        return Attribution()
    cue = cues[-1]
    first = sent.start
    for t in sent:
        if t.i < cue.i and t.text in (":", "|", "-", "–", "—"):
            first = t.i + 1
    toks = [t for t in doc[first:cue.i] if not t.is_punct and not t.is_space]
    if not toks:
        return Attribution(cue=cue, cue_span=_cue_span(cue))
    sp = doc[toks[0].i:toks[-1].i + 1]
    # Prefer the entity that ends right before the cue: "... as Kim Jong Un Says".
    ents = [e for e in doc.ents if e.end == toks[-1].i + 1 and e.start >= toks[0].i]
    if ents:
        sp = ents[-1]
    return Attribution(cue=cue, cue_span=_cue_span(cue), speaker=sp)


def _neighbour_sentence(doc: Doc, sent: Span, step: int) -> Span | None:
    i = sent.start - 1 if step < 0 else sent.end
    if i < 0 or i >= len(doc):
        return None
    return doc[i].sent


def _same_paragraph(doc: Doc, a: Span, b: Span) -> bool:
    return "\n" not in _doc_text(doc)[a.start_char:b.start_char]


# --- 3. typing ----------------------------------------------------------------

def _letters(text: str) -> int:
    return len(_ALNUM_RE.findall(text))


def _is_statement(doc: Doc, m: Marked, cue: Token | None) -> bool:
    """A whole statement (direct) rather than words inside the writer's sentence:
    it starts its sentence, or follows a colon, a comma, a cue or "that"."""
    text = _doc_text(doc)
    if m.style == "dash":
        return True
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    content = text[m.start:m.end]
    # An exclamation or question of its own ("You lie!") is a statement however short.
    exclaimed = content[:1].isupper() and content.rstrip()[-1:] in "!?"
    if not exclaimed and (not any(t.pos_ in ("VERB", "AUX") for t in span)
                          or len([t for t in span if not t.is_punct]) < 3):
        return False
    if _embedded_after(text, m):
        return False
    sent = doc[span.start].sent
    before = text[sent.start_char:m.start].rstrip()
    before = before.rstrip('"“”«»„‘’\'').rstrip()
    if m.start > 0 and len(before) == 0:
        return True
    if not before or before[-1] in ":,;" + DASHES or before.endswith("..."):
        return True
    words = before.split()
    last = words[-1].lower() if words else ""
    if last == "that":
        return False  # "said that '...'": the quote is a clause of the writer's sentence
    if last in ("saying", "said", "says", "adding", "stating", "asked", "told", "writing", "wrote"):
        return True
    if cue is not None and cue.i < span.start and cue.idx + len(cue) >= len(before) + sent.start_char - 1:
        return True
    return False


def _embedded_after(text: str, m: Marked) -> bool:
    """The writer's sentence goes on after the closing mark ("said 'it gets me mad'
    every time ..."), and the quote did not end on punctuation of its own."""
    end = m.end
    if text[end - 1:end] in ".,!?;:…":
        return False
    j = end
    while j < len(text) and text[j] in '"”’\'»':
        j += 1
    if j < len(text) and text[j] in ",.;:!?)" + DASHES:
        return False
    rest = text[j:j + 40].lstrip(" ")
    return bool(rest) and rest[0].isalnum() and rest[0].islower()


def _scare(doc: Doc, m: Marked, headline_end: int) -> bool:
    """Scare quotes, names and titles: "the so-called 'Vigilant Storm' operation"."""
    text = _doc_text(doc)
    content = text[m.start:m.end]
    prev_words = text[max(0, m.start - 30):m.start].rstrip(' "“‘\'«').split()
    if prev_words and prev_words[-1].lower().strip(",") in SCARE_PREFIXES:
        return True
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", content)]
    if not words:
        return True
    sents = _sentences_of(doc, m.start, m.end)
    in_headline = m.start < headline_end or (bool(sents) and _title_case(sents[0]))
    title_case = all(w[0].isupper() for w in words if len(w) > 3)
    if title_case and not in_headline:
        sent_start = sents[0].start_char if sents else m.start
        if text[sent_start:m.start].strip(' "“‘\'«') != "":
            return True
    return False


# --- 4. indirect quotes -------------------------------------------------------

def _content_child(v: Token) -> Token | None:
    lemma = v.lemma_.lower()
    for c in v.children:
        if c.dep_ == "ccomp":
            return c
    for c in v.children:
        if c.dep_ == "xcomp" and lemma in XCOMP_VERBS:
            return c
    if lemma in OBJECT_CONTENT_VERBS:
        for c in v.children:
            if c.dep_ in ("dobj", "obj") and c.lower_ not in AUDIENCE_WORDS:
                return c
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "for", "about") and lemma in ("accuse", "blame", "warn"):
                return c
    return None


def _prep_object(prep: Token) -> Token | None:
    return next((p for p in prep.children if p.dep_ in ("pobj", "pcomp")), None)


def _stance_content(t: Token) -> tuple[Token, str] | None:
    """The content of a stance word that is no speech cue (see the lexicons above):
    (the token whose subtree is the content, how it was found)."""
    lemma = t.lemma_.lower()
    if t.pos_ in ("NOUN", "PROPN"):
        low = t.lower_
        if lemma not in _STANCE_NOUNS and low not in _STANCE_NOUNS:
            return None  # no lexicon entry: its children need not be read
        for c in t.children:
            if c.dep_ == "acl" and c.i > t.i and (lemma in CONTENT_NOUNS or low in CONTENT_NOUNS):
                marks = {m.lower_ for m in c.children if m.dep_ == "mark"}
                to_inf = any(m.dep_ == "aux" and m.lower_ == "to" for m in c.children)
                if marks & {"that", "whether", "if"} or to_inf:
                    return c, "noun"
            if c.dep_ == "prep" and ((lemma, c.lower_) in CONTENT_NOUN_PREPS or (low, c.lower_) in CONTENT_NOUN_PREPS):
                p = _prep_object(c)
                if p is not None:
                    return p, "noun"
        return None
    if t.pos_ != "VERB" or lemma not in _STANCE_VERBS:
        return None
    for c in t.children:
        if c.dep_ == "ccomp" and lemma in CLAUSE_CONTENT_VERBS and c.i > t.i:
            return c, "ccomp"
    for c in t.children:
        if c.dep_ == "xcomp" and lemma in STANCE_XCOMP_VERBS and c.i > t.i:
            return c, "xcomp"
    if lemma in NAMING_VERBS:
        # "called the pact 'insanity'": an object and its name (parsed as oprd, or run
        # into the object when the name is quoted).
        obj = next((c for c in t.children if c.dep_ in ("dobj", "obj") and c.i > t.i), None)
        named = any(c.dep_ == "oprd" for c in t.children) or (
            obj is not None and obj.right_edge.i > obj.left_edge.i
            and any(x.is_quote for x in t.doc[obj.left_edge.i:obj.right_edge.i + 1]))
        if obj is not None and named:
            return obj, "dobj"
    if lemma in STANCE_OBJECT_VERBS:
        for c in t.children:
            if c.dep_ in ("dobj", "obj") and c.lower_ not in AUDIENCE_WORDS and c.pos_ != "PRON" and c.i > t.i:
                return c, "dobj"
    for c in t.children:
        if c.dep_ == "prep" and (lemma, c.lower_) in STANCE_PREP_VERBS and c.i > t.i:
            p = _prep_object(c)
            if p is not None and p.pos_ != "PRON":
                return p, "prep"
    return None


def _raising_range(v: Token) -> tuple[int, int] | None:
    """"The House is expected to pass a bill", "The two seemed to be well known": the
    subject, the cue and its infinitive together are the content (no speaker named)."""
    lemma = v.lemma_.lower()
    if v.pos_ not in ("VERB", "AUX") or lemma not in PASSIVE_RAISING:
        return None
    passive = any(c.dep_ == "auxpass" for c in v.children)
    if not passive and lemma not in ("seem", "appear"):
        return None
    subj = next((c for c in v.children if c.dep_ in ("nsubjpass", "nsubj")), None)
    xcomp = next((c for c in v.children if c.dep_ == "xcomp" and c.i > v.i), None)
    if subj is None or xcomp is None or subj.i > v.i or subj.lower_ in RELATIVE or _agent(v) is not None:
        return None
    return subj.left_edge.i, xcomp.right_edge.i


def _complete_object(v: Token, b: int) -> int:
    """Right end of an object with what completes it on the verb: "called the pact
    'insanity'" (naming), "dismissed his proposal as too vague" (as, for, of, with)."""
    for c in v.rights:
        if c.i <= b:
            continue
        if c.dep_ in ("oprd", "ccomp", "xcomp") and v.lemma_.lower() in NAMING_VERBS and c.i == b + 1:
            b = c.right_edge.i
        elif c.dep_ == "prep" and c.lower_ in OBJECT_COMPLETING_PREPS and c.i == b + 1:
            b = c.right_edge.i
    return b


def _stance_attribution(t: Token, quoted: list[tuple[int, int]]) -> Attribution:
    """Who holds a stance: the verb's subject, or for a noun its possessor ("his
    claim"), else the subject of the verb it is the object of ("issued a statement")."""
    if t.pos_ == "VERB":
        return _attribution_of(t, quoted)
    head = next((c for c in t.children if c.dep_ == "poss"), None)
    if head is None and t.dep_ in ("dobj", "obj", "nsubjpass") and t.head.pos_ == "VERB":
        head = _subject(t.head) if t.dep_ != "nsubjpass" else _agent(t.head)
    if head is not None and head.lower_ in RELATIVE:
        head = None
    speaker = _np_span(head) if head is not None else None
    if speaker is not None and _in_spans(speaker.start_char, quoted):
        speaker = None
    return Attribution(cue=t, cue_span=(t.idx, t.idx + len(t)), speaker=speaker)


def _clean_range(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """Token range [a, b] trimmed of punctuation and a leading complementiser."""
    while a <= b and (doc[a].is_punct or doc[a].is_space or (doc[a].lower_ in ("that",) and doc[a].dep_ == "mark")):
        a += 1
    while b >= a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    if b - a < 1:
        return None
    return doc[a].idx, doc[b].idx + len(doc[b])


_NONRESTRICTIVE_STARTS = {"who", "which", "whom", "whose", "including", "according"}


def _trim_tail(doc: Doc, a: int, b: int) -> int:
    """End of a content range without a trailing non-restrictive modifier, which
    PolNeAR leaves out: "..., who has been battered ...", "..., a plan he has
    modified ...", "..., echoing a memo ...", "..., including ...". Coordinated
    clauses ("..., but that ...") and subordinate clauses with a conjunction stay."""
    for k in range(a + 2, b):
        if doc[k].text not in (",", "—", "–", "--"):
            continue
        nxt = doc[k + 1]
        r = nxt
        while r.head.i != r.i and k < r.head.i <= b:
            r = r.head
        if r.i < a or r.left_edge.i < k:
            continue
        participle = r.dep_ in ("advcl", "xcomp") and r.tag_ in ("VBG", "VBN") and not any(
            c.dep_ == "mark" for c in r.children)
        if (nxt.lower_ in _NONRESTRICTIVE_STARTS or r.dep_ in ("relcl", "appos", "acl") or participle) \
                and r.right_edge.i >= b - 1:
            return k - 1
    return b


def _content_range(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    return _clean_range(doc, a, _trim_tail(doc, a, b))


def _indirect_content(v: Token) -> tuple[int, int] | None:
    doc = v.doc
    if v.lower_ == "according":
        # "According to X, <content>": the sentence minus the according phrase.
        sent = v.sent
        phrase_end = v.i
        pobj = _pobj_of_according(v)
        if pobj is not None:
            phrase_end = max(phrase_end, pobj.right_edge.i)
        if v.i <= sent.start + 1:
            return _clean_range(doc, phrase_end + 1, sent.end - 1)
        return _clean_range(doc, sent.start, v.i - 1)
    child = _content_child(v)
    if child is not None:
        a, b = child.left_edge.i, child.right_edge.i
        if v.lemma_.lower() in ("accuse", "blame") and child.dep_ in ("dobj", "obj"):
            # "accused X of Y": X and what X is accused of.
            for c in v.children:
                if c.dep_ == "prep" and c.i > b and c.lower_ in ("of", "for"):
                    b = c.right_edge.i
        if a <= v.i <= b:
            return None
        return _content_range(doc, a, b)
    if v.dep_ == "parataxis" and v.i > v.head.i:
        # "The shipments are late, Kirby said": the tagger hangs the verb off the content.
        return _clean_range(doc, v.sent.start, v.left_edge.i - 1)
    if v.dep_ == "parataxis" and v.i < v.head.i:
        return _parenthetical_content(v)
    return None


def _cue_phrase_start(v: Token) -> int:
    """First token of a cue phrase set off by commas: after the last comma before the
    cue within its subtree."""
    doc = v.doc
    for k in range(v.i - 1, v.left_edge.i - 1, -1):
        if doc[k].text in (",", "—", "–"):
            return k + 1
    return v.left_edge.i


def _parenthetical_content(v: Token) -> tuple[int, int] | None:
    """'On possible steps, he added, the US will discuss ...': a cue set off by
    commas before its content, which the parser makes the root with the cue hanging
    off it. The content is what follows the cue's comma to the end of the head's
    clause; the cue phrase holds only its subject and modifiers."""
    doc = v.doc
    head = v.head
    if _subject(v) is None or any(c.dep_ in ("dobj", "obj", "ccomp", "xcomp", "dative") for c in v.children):
        return None
    after = v.right_edge.i if doc[v.right_edge.i].is_punct else v.right_edge.i + 1
    if after >= len(doc) or doc[after].text not in (",", "—", "–", ":"):
        return None
    if not (after < head.i) or _subject(head) is None:
        return None
    return _content_range(doc, after + 1, head.right_edge.i)


def _interrupted_content(v: Token, content: tuple[int, int]) -> list[tuple[int, int]]:
    """'The argument would be aided, Devine said, by the calendar': a cue set in the
    middle of its content; the content goes on after it to the sentence's end."""
    doc = v.doc
    frags = [content]
    if v.dep_ == "parataxis" and v.head.i > v.i and content[0] > v.idx:
        # "The source of it, Mr. Y said, is manifold", "On possible steps, he added,
        # the US will ...": what stands before the cue is content too (better on dev
        # than the part after the cue alone).
        left = _clean_range(doc, v.head.left_edge.i, _cue_phrase_start(v) - 1)
        if left is not None:
            frags = [left, content]
        return frags
    if v.lower_ == "according" or content[1] > v.idx:
        return frags
    # The first comma after the cue, with only the cue's own words before it
    # ("Devine said, by ...", "strategists said Tuesday, for ...").
    sent_end = v.sent.end - 1
    comma = next((k for k in range(v.i + 1, min(sent_end, v.i + 6)) if doc[k].text in (",", "—", "–")), None)
    if comma is None or comma + 1 >= sent_end:
        return frags
    if any(not _contains(v, doc[k]) for k in range(v.i + 1, comma)) or not _contains(v.sent.root, doc[comma + 1]):
        return frags
    first = doc[comma + 1]
    if first.tag_ == "VBG" or first.lower_ in ("according", "who", "which") or _is_cue(first):
        return frags  # "..., adding that ...": an attribution of its own
    if any(_is_cue(doc[k]) for k in range(comma + 1, sent_end + 1)):
        return frags
    tail = _content_range(doc, comma + 1, sent_end)
    if tail is not None and tail[0] > content[1] and "\n" not in _doc_text(doc)[content[1]:tail[0]]:
        frags.append(tail)
    return frags


# --- 5. resolution ------------------------------------------------------------

def _entity_canonical(span_s: int, span_e: int, ents: list[dict[str, Any]], head: Token | None) -> str | None:
    # Only entities inside the mention: the tagger at times runs a name into the verb
    # ("North Korea Rejects" in a headline).
    inside = [e for e in ents if span_s <= e["start_char"] and e["end_char"] <= span_e]
    if not inside:
        return None
    if head is not None:
        for e in inside:
            if e["start_char"] <= head.idx < e["end_char"]:
                return e["canonical"]
    people = [e for e in inside if e["label"] == "PERSON"]
    if people:
        return people[-1]["canonical"]
    places = [e for e in inside if e["label"] in ("GPE", "NORP")]
    if places:
        return places[0]["canonical"]
    # "a US State Department spokesperson": an unnamed voice of a country's body is the country.
    first_word = inside[0]["text"].split()[0] if inside[0]["text"].split() else ""
    country = country_of(first_word, "GPE") if first_word[:1].isupper() else None
    return country or inside[0]["canonical"]


def _speaker_kind(speaker: Span) -> str:
    """'person', 'group' (pronoun it/they), 'description' or 'name'."""
    root = speaker.root
    low = root.lower_
    # "US" the country is tagged PRON at times: an all-caps word is a name.
    is_caps = root.text.isupper() and len(root.text) > 1
    if not is_caps and (root.pos_ == "PRON" or low in PRONOUNS_PERSON | PRONOUNS_GROUP):
        return "person" if low in PRONOUNS_PERSON else "group"
    if root.ent_type_ or root.pos_ == "PROPN":
        return "name"
    return "description"


_DOMAIN_RE = re.compile(r"\b\w+\.(com|net|org|fr|de|co\.uk|it|es)\b", re.IGNORECASE)


def _untagged_name_in(speaker: Span) -> bool:
    """Capitalised proper nouns, none of them inside an entity, before the phrase's head
    ('The Metropolitan Police force')."""
    names = [t for t in speaker if t.pos_ == "PROPN" and t.i < speaker.root.i and t.text[:1].isupper()]
    return bool(names) and not any(t.ent_type_ for t in speaker)


def _resolve(rows: list[dict[str, Any]], ents: list[dict[str, Any]], doc: Doc) -> None:
    """Fill speaker_canonical, resolving pronouns and descriptions to the last
    compatible named speaker before the mention (by position in the text)."""
    people: list[tuple[int, str]] = []
    groups: list[tuple[int, str]] = []
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["speaker_start"] if rows[i]["speaker_start"] is not None else rows[i]["start_char"]))
    for i in order:
        r = rows[i]
        sp = r.pop("_speaker_span", None)
        if r.get("speaker_canonical") is not None or sp is None:
            continue
        kind = _speaker_kind(sp)
        ent = _entity_canonical(sp.start_char, sp.end_char, ents, sp.root)
        label = sp.root.ent_type_ or None
        pos = sp.start_char
        if kind == "name" or (kind == "description" and ent is not None):
            canon = ent or canonical_name(sp.text, label)
            # ("Klinger said", the surname untagged or tagged otherwise, after "David Klinger":
            # that man, whom "he" can mean next)
            canon = full_name_of(ents, canon, before=pos) or canon
            r["speaker_canonical"] = canon
            is_person = any(e["label"] == "PERSON" and e["canonical"] == canon for e in ents)
            (people if is_person else groups).append((pos, canon))
            continue
        if kind == "description" and (_untagged_name_in(sp) or _DOMAIN_RE.search(sp.text)):
            # "The Metropolitan Police force", "iGen.fr": a name of its own the tagger missed,
            # not the group quoted before
            r["speaker_canonical"] = canonical_name(sp.text)
            groups.append((pos, r["speaker_canonical"]))
            continue
        if kind == "person":
            cands = [c for p, c in people if p < pos]
        elif kind == "group":
            cands = [c for p, c in groups if p < pos]
        elif sp.root.lemma_.lower() in PERSON_ROLES and any(t.lower_ == "the" for t in sp.root.children):
            cands = [c for p, c in people if p < pos] or [c for p, c in groups if p < pos]
        else:
            cands = [c for p, c in groups if p < pos] or [c for p, c in people if p < pos]
        r["speaker_canonical"] = cands[-1] if cands else (None if kind != "description" else canonical_name(sp.text))


# --- the extractor ------------------------------------------------------------

def _row(doc: Doc, kind: str, frags: list[tuple[int, int]], att: Attribution, ents: list[dict[str, Any]]) -> dict[str, Any]:
    start, end = frags[0][0], frags[-1][1]
    sp = att.speaker
    carrier = None
    if att.carrier is not None:
        carrier = _entity_canonical(att.carrier.start_char, att.carrier.end_char, ents, att.carrier.root)
        if not carrier:
            carrier = att.carrier.text
    cue_s, cue_e = att.cue_span if att.cue_span else (None, None)
    return {
        "text": _doc_text(doc)[start:end],
        "kind": kind,
        "speaker": sp.text if sp is not None else None,
        "speaker_start": sp.start_char if sp is not None else None,
        "speaker_end": sp.end_char if sp is not None else None,
        "speaker_canonical": None,
        "carrier": carrier,
        "cue": _doc_text(doc)[cue_s:cue_e] if cue_s is not None else None,
        "cue_start": cue_s,
        "cue_end": cue_e,
        "start_char": start,
        "end_char": end,
        "fragments": [[s, e] for s, e in frags],
        "_speaker_span": sp,
        "_cue_i": att.cue.i if att.cue is not None else None,
        "_carrier_i": att.carrier_cue.i if att.carrier_cue is not None else None,
    }


def _merge_interrupted(text: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """'"A," he said, "B."' -> one row: consecutive quotes in one paragraph that share
    their cue, with only the attribution between them."""
    out: list[dict[str, Any]] = []
    for r in rows:
        p = out[-1] if out else None
        if p is not None and _resumes(text, p, r):
            p["fragments"] = p["fragments"] + r["fragments"]
            p["end_char"] = r["end_char"]
            p["text"] = text[p["start_char"]:p["end_char"]]
            p["kind"] = "direct" if "direct" in (p["kind"], r["kind"]) else "partial"
            continue
        out.append(r)
    return out


def _resumes(text: str, p: dict[str, Any], r: dict[str, Any]) -> bool:
    """Whether quote row r goes on with p's words after p's cue, which stands between them."""
    if not (r["kind"] in ("direct", "partial") and p["kind"] in ("direct", "partial")
            and r["_cue_i"] is not None and r["_cue_i"] == p["_cue_i"]
            and p["cue_start"] is not None and p["end_char"] <= p["cue_start"] < r["start_char"]):
        return False
    gap = text[p["end_char"]:r["start_char"]]
    # Only the attribution stands between ("he said, adding"); a longer stretch is
    # more of the writer's sentence, and a line break a new paragraph.
    return "\n" not in gap and len(gap) < 120 and len(re.findall(r"\w+", gap)) <= 14


def _mostly_quoted(text: str, quoted: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether 90% of the letters of an indirect content lie inside quoted rows: the
    quote row then carries it (a partly quoted content is PolNeAR's "mixed" and stays)."""
    inside = sum(_letters(text[max(s, start):min(e, end)]) for s, e in quoted if s < end and start < e)
    return inside >= 0.9 * _letters(text[start:end])


def extract_quotes(doc: Doc) -> list[dict[str, Any]]:
    """Direct, partial and indirect quotes of a parsed doc, with speakers and cues."""
    try:
        return _extract(doc)
    except Exception:  # a malformed parse must never lose the document
        return []
    finally:
        # The text and sentence bounds are cached for one extraction only: a doc
        # kept by the caller must not carry them.
        doc.user_data.pop(_TEXT, None)
        doc.user_data.pop(_SENT_BOUNDS, None)


def _extract(doc: Doc) -> list[dict[str, Any]]:
    text = _doc_text(doc)
    if not text.strip() or len(doc) == 0:
        return []
    ents = doc._.cc_entities if Doc.has_extension("cc_entities") and doc._.cc_entities else []
    paras = _paragraphs(text)
    headline_end = paras[0][1] if paras else 0
    rows = _with_echoes(doc, _marked_rows(doc, ents, headline_end), ents, headline_end)
    rows = _merge_interrupted(text, sorted(rows, key=lambda r: r["start_char"]))
    rows.extend(_indirect_rows(doc, rows, ents))
    rows.sort(key=lambda r: (r["start_char"], r["end_char"]))
    _resolve(rows, ents, doc)
    for r in rows:
        for k in ("_cue_i", "_carrier_i", "_speaker_span"):
            r.pop(k, None)
    return rows


def _marked_rows(doc: Doc, ents: list[dict[str, Any]], headline_end: int) -> list[dict[str, Any]]:
    """A row for each quoted stretch, in text order; a stretch with no speaker found
    is kept as ``{"_unattributed": Marked}`` for ``_with_echoes``."""
    text = _doc_text(doc)
    marked = find_marked_spans(doc)
    quoted = _Spans(f for m in marked for f in m.fragments)
    rows: list[dict[str, Any]] = []
    last_direct: dict[str, Any] | None = None
    for m in marked:
        att = _attribute(doc, m.start, m.end, quoted, headline_end)
        if att.cue is None and m.style != "dash":
            if (last_direct is not None and _follows(text, last_direct["end_char"], m.start)
                    and _is_statement(doc, m, None)):
                # More of the previous speaker's words, with no cue of their own: the
                # same quote goes on (PolNeAR and journalistic practice agree).
                last_direct["fragments"] = last_direct["fragments"] + [[s, e] for s, e in m.fragments]
                last_direct["end_char"] = m.end
                last_direct["text"] = text[last_direct["start_char"]:m.end]
                continue
            if _after_colon(text, m.start) and _is_statement(doc, m, None):
                # "... released the following statement: 'We ...'": speech with no cue verb.
                row = _row(doc, "direct", m.fragments, _colon_attribution(doc, m.start, quoted), ents)
                rows.append(row)
                last_direct = row
                continue
            rows.append({"_unattributed": m})
            continue
        if _scare(doc, m, headline_end) and not _is_statement(doc, m, att.cue):
            continue
        kind = "direct" if _is_statement(doc, m, att.cue) else "partial"
        row = _row(doc, kind, m.fragments, att, ents)
        rows.append(row)
        if kind == "direct":
            last_direct = row
    return rows


def _with_echoes(doc: Doc, rows: list[dict[str, Any]], ents: list[dict[str, Any]],
                 headline_end: int) -> list[dict[str, Any]]:
    """The rows with each unattributed stretch replaced by a partial quote when its
    words repeat an attributed quote elsewhere (a headline's 'Groundless', a subhead's
    'shortages': that speaker's words), and dropped otherwise."""
    text = _doc_text(doc)
    attributed = [r for r in rows if "_unattributed" not in r]
    final: list[dict[str, Any]] = []
    for r in rows:
        if "_unattributed" not in r:
            final.append(r)
            continue
        m = r["_unattributed"]
        words = text[m.start:m.end].lower()
        if _letters(words) < 3 or _scare(doc, m, headline_end) and m.start >= headline_end:
            continue
        src = next((a for a in attributed if a["_speaker_span"] is not None and words in a["text"].lower()), None)
        if src is None:
            continue
        row = _row(doc, "partial", m.fragments, Attribution(), ents)
        for k in ("speaker", "speaker_start", "speaker_end", "_speaker_span"):
            row[k] = src[k]
        row["_cue_i"] = None
        final.append(row)
    return final


def _indirect_rows(doc: Doc, rows: list[dict[str, Any]], ents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Indirect quotes outside the words of the quote ``rows``: reporting verbs with
    their complement, then stance words."""
    quoted = _Spans(tuple(f) for r in rows for f in r["fragments"])
    # A quote's own cue may still report more than the quoted words ("He said the US
    # believes the 'significant' number ..."): the quoted-share test decides. A
    # quote's carrier verb ("..., KCNA reported") makes none.
    used_cues = {r["_carrier_i"] for r in rows if r.get("_carrier_i") is not None}
    reported = _reported_rows(doc, quoted, used_cues, ents)
    stances = _stance_rows(doc, quoted, used_cues | {r["_cue_i"] for r in reported}, ents)
    # "X said ..., KCNA reported": the reporting verb of a carrier is no quote of its own.
    carriers = {r["_carrier_i"] for r in reported + stances if r["_carrier_i"] is not None}
    return [r for r in reported + stances if r["_cue_i"] not in carriers]


def _reported_rows(doc: Doc, quoted: list[tuple[int, int]], used_cues: set[int],
                   ents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reported speech: a reporting verb (or "according to") and its complement."""
    text = _doc_text(doc)
    out: list[dict[str, Any]] = []
    # Only verbs can be cues (and "according"): the rest of the doc is never read.
    for t in _tokens_with_pos(doc, {"VERB", "AUX"}, {"according"}):
        if not _is_cue(t) or _in_spans(t.idx, quoted) or t.i in used_cues:
            continue
        if t.lemma_.lower() in WEAK_INDIRECT:
            continue
        content = _indirect_content(t)
        if content is None or _mostly_quoted(text, quoted, *content):
            continue
        out.append(_row(doc, "indirect", _interrupted_content(t, content), _attribution_of(t, quoted), ents))
    return out


def _stance_rows(doc: Doc, quoted: list[tuple[int, int]], skip: set[int],
                 ents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stances, plans, beliefs and findings: content words that are no speech cue
    (verbs, raising auxiliaries and nouns), except the tokens in ``skip``."""
    text = _doc_text(doc)
    out: list[dict[str, Any]] = []
    for t in _tokens_with_pos(doc, {"VERB", "AUX", "NOUN", "PROPN"}):
        if t.i in skip or _in_spans(t.idx, quoted):
            continue
        raised = _raising_range(t)
        found = _stance_content(t) if raised is None else (t, "raising")
        if found is None:
            continue
        child, how = found
        a, b = raised if raised is not None else (child.left_edge.i, child.right_edge.i)
        if how == "dobj":
            b = _complete_object(t, b)
        content = _content_range(doc, a, b)
        if content is None or _mostly_quoted(text, quoted, *content):
            continue
        att = Attribution(cue=t, cue_span=_cue_span(t)) if how == "raising" else _stance_attribution(t, quoted)
        out.append(_row(doc, "indirect", [content], att, ents))
    return out


def _follows(text: str, prev_end: int, start: int) -> bool:
    """Whether a quote starts right after prev_end: only the attribution's tail of the
    previous paragraph (or sentence) lies between them."""
    gap = text[prev_end:start]
    if gap.count("\n") > 2:
        return False
    inner = gap.strip().lstrip(",.!?" + "\"”»’'").rstrip("\"“«‘'")
    # Within a paragraph the attribution may describe the speaker at length
    # ('"...," said X, a strategist who ... . "..."').
    limit = 40 if "\n" not in gap else 20
    return len(re.findall(r"\w+", inner)) <= limit and not re.search(r"[\"“”«»]", inner)


def _after_colon(text: str, start: int) -> bool:
    before = text[max(0, start - 4):start].rstrip(' "“«‘\'\n')
    return before.endswith(":")


def _colon_attribution(doc: Doc, start: int, quoted: list[tuple[int, int]]) -> Attribution:
    """Speaker of a quote introduced by a colon sentence without a cue verb: its subject."""
    tok = doc.char_span(start, start + 1, alignment_mode="expand")
    if tok is None or tok.start == 0:
        return Attribution()
    prev = doc[tok.start - 1]
    while prev.i > 0 and (prev.is_punct or prev.is_space) and prev.text != ":":
        prev = doc[prev.i - 1]
    root = prev.sent.root
    subj = _subject(root)
    if subj is None or subj.pos_ == "PRON" and subj.lower_ == "it":
        return Attribution()
    return Attribution(cue=root, cue_span=_cue_span(root), speaker=_np_span(subj))


if not Doc.has_extension("cc_quotes"):
    Doc.set_extension("cc_quotes", default=None)


@Language.component("counterclaim_quotes")
def quotes_component(doc: Doc) -> Doc:
    """Sets ``doc._.cc_quotes``: the quotes of the doc (see ``extract_quotes``)."""
    doc._.cc_quotes = extract_quotes(doc)
    return doc
