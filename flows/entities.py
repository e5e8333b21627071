"""Entity mentions and their canonical names.

Countries, their alternative spellings, capitals and demonyms come from the
maintained ``countryinfo`` package; acronyms of official names ("Democratic
People's Republic of Korea" -> "DPRK") are derived from it. Only the seats of
government used as metonyms ("the White House") are listed here, because no
data package carries them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

# Buildings and places that stand for a government in news prose.
SEATS_OF_GOVERNMENT = {
    "white house": "United States",
    "pentagon": "United States",
    "state department": "United States",
    "capitol hill": "United States",
    "kremlin": "Russia",
    "downing street": "United Kingdom",
    "whitehall": "United Kingdom",
    "elysee": "France",
    "élysée": "France",
    "zhongnanhai": "China",
    "blue house": "South Korea",
    "yongsan": "South Korea",
    "quai d'orsay": "France",
    "bundeskanzleramt": "Germany",
}

# Security agencies that only one state has, named without the state ("the FBI said"):
# they keep their own name as entities but speak for that state in claims.
STATE_AGENCIES = {
    "fbi": "United States", "federal bureau of investigation": "United States",
    "federal bureau of investigations": "United States", "cia": "United States",
    "central intelligence agency": "United States", "nsa": "United States",
    "national security agency": "United States", "department of homeland security": "United States",
    "dhs": "United States", "homeland security": "United States", "mi5": "United Kingdom", "mi6": "United Kingdom", "fsb": "Russia",
    "gru": "Russia", "svr": "Russia", "mossad": "Israel", "shin bet": "Israel", "shabak": "Israel",
}

# countryinfo records of states that no longer exist, or twice under another name: their
# capitals, demonyms and spellings belong to today's state ("Belgrade" is Serbia).
_DEFUNCT = {"Serbia and Montenegro", "Antilles néerlandaises", "Burma"}

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
_STOP_IN_ACRONYM = {"of", "the", "and", "de", "du", "la", "for", "on", "in", "to", "at", "&"}
_PUNCT_RE = re.compile(r"[.\u2019'`]")
_SPACE_RE = re.compile(r"\s+")
# Police and military titles spaCy's English tokenizer splits from their full stop, so that
# "said Det. James Patterson" ended a sentence at "Det" (flows.nlp keeps them one token).
# (Not "Sr.", "Fr.", "Sec.": those also end sentences.)
TITLE_ABBREVIATIONS = ("Det.", "Insp.", "Supt.", "Cpl.", "Pvt.", "Cmdr.", "Capt.", "Col.", "Lt.", "Maj.", "Sgt.",
                       "Brig.", "Lieut.", "Spc.", "Atty.", "Amb.", "Hon.", "Msgr.", "Cllr.", "Ofc.", "Asst.")
# Words for what a person is or does, whom "the guitarist", "the actor's reps" mean: the person
# named before (claims and quotes each add words of their own).
PERSON_ROLE_WORDS = frozenset({
    "actor", "actress", "artist", "author", "ceo", "chairman", "chairwoman", "coach", "comedian", "executive",
    "founder", "guitarist", "host", "musician", "owner", "player", "politician", "presenter", "professor",
    "rapper", "singer", "star", "writer"})

TITLE_WORDS = {
    "mr", "mrs", "ms", "dr", "president", "prime", "minister", "secretary", "spokesman",
    "spokeswoman", "spokesperson", "general", "gen", "sen", "senator", "rep", "gov", "governor",
    "chancellor", "king", "queen", "sir", "lord", "ambassador", "coordinator", "director",
    "det", "detective", "sgt", "sergeant", "lt", "lieutenant", "capt", "captain", "officer",
    "col", "colonel", "maj", "cpl", "prof", "professor", "judge", "rev", "insp", "inspector",
    "superintendent", "commander", "constable",
} | {a.rstrip(".").lower() for a in TITLE_ABBREVIATIONS}  # (which stay one token inside a name)


def _key(text: str) -> str:
    """Lookup key: case, dots, apostrophes, a leading 'the' and a possessive folded away."""
    t = text.strip()
    t = re.sub(r"[\u2019']s$", "", t)
    t = _PUNCT_RE.sub("", t).lower()
    t = _SPACE_RE.sub(" ", t).strip()
    if t.startswith("the "):
        t = t[4:]
    return t


def _acronym(name: str) -> str | None:
    words = [w for w in re.split(r"[\s,]+", name) if w]
    caps = [w for w in words if w.lower() not in _STOP_IN_ACRONYM]
    if len(caps) < 2 or not all(w[0].isupper() for w in caps):
        return None
    return "".join(w[0] for w in caps)


_DEFINED_ACRONYM_RE = re.compile(r"((?:[A-Z][\w\u2019'.&-]*\s+(?:(?:of|for|and|the|on|in|de|du)\s+)*)+[A-Z][\w\u2019'.&-]*)"
                                 r"\s*\(([A-Z]{2,7})\)")


def defined_acronyms(text: str) -> dict[str, str]:
    """'the Syrian Observatory for Human Rights (SOHR)': acronym -> the name it stands for,
    when its letters are the name's initials (a trailing run of the name may be cut off)."""
    out: dict[str, str] = {}
    for m in _DEFINED_ACRONYM_RE.finditer(text):
        words, acr = m.group(1).split(), m.group(2)
        for i in range(len(words)):
            name = " ".join(words[i:])
            if words[i].lower() not in _STOP_IN_ACRONYM and _acronym(name) == acr:
                out.setdefault(acr, name)
                break
    return out


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    return [v for v in value or [] if isinstance(v, str) and v]


@lru_cache(maxsize=1)
def country_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(aliases, two-letter codes): lookup key -> canonical country name, from countryinfo."""
    from countryinfo import all_countries

    aliases: dict[str, str] = {}
    # Capitals and demonyms that several records share ("French": France and five of its
    # territories; "Chinese": China, Hong Kong and Macau) go to the most populous one.
    weak: dict[str, tuple[int, str]] = {}
    codes: dict[str, str] = {}
    for country in all_countries():
        try:
            info = country.info()
        except Exception:  # a malformed record must not break entity linking
            continue
        name = info.get("name")
        if not name or name in _DEFUNCT:
            continue
        canonical = name
        people = info.get("population") if isinstance(info.get("population"), int) else 0

        def weakly(key: str) -> None:
            if (people, canonical) > weak.get(key, (-1, "")):
                weak[key] = (people, canonical)

        strong = {name, *_as_list(info.get("altSpellings"))}
        for alt in list(strong):
            acr = _acronym(alt)
            # Two-letter acronyms of native names clash with real codes: Bolivia's "Tetã
            # Volívia" made every "TV" Bolivia.
            if acr and len(acr) > 2:
                strong.add(acr)
        for capital in _as_list(info.get("capital")):
            weakly(_key(capital))
            # "Washington D.C." is mostly written "Washington".
            weakly(_key(re.sub(r"\s+D\.?C\.?$", "", capital)))
        for demonym in _as_list(info.get("demonym")):
            weakly(_key(demonym))
            weakly(_key(demonym) + "s")
        for alt in strong:
            k = _key(alt)
            # Two-letter codes ("IT", "IN") are common words: only trusted for GPE spans.
            if len(k) >= 3:
                aliases.setdefault(k, canonical)
            elif len(k) == 2:
                codes.setdefault(k, canonical)
    # Names and codes win over capitals and demonyms when they clash.
    for k, (_, v) in weak.items():
        aliases.setdefault(k, v)
    aliases.setdefault("america", aliases.get("usa", "United States"))
    aliases.setdefault("burma", aliases.get("myanmar", "Myanmar"))
    for saudi in ("saudi", "saudis"):  # countryinfo's demonym is "Saudi Arabian"
        aliases.setdefault(saudi, aliases.get("saudi arabia", "Saudi Arabia"))
    # Territories countryinfo files under no state: their authorities speak for Palestine.
    for territory in ("gaza", "gaza strip", "west bank"):
        aliases.setdefault(_key(territory), aliases.get("palestine", "Palestine"))
    return aliases, codes


# US state abbreviations written with dots ("ELON, N.C."): states, never the country with that
# two-letter code ("NC" New Caledonia, "SC" Seychelles). ("U.S." and "U.K." are not in it.)
_US_STATE_CODES = {"NC", "SC", "SD", "ND", "NH", "NJ", "NM", "NY", "RI", "DC", "MD", "MS", "MT", "MN", "GA", "VA", "PA",
                   "CO", "CA", "AL", "AR", "LA", "IN", "ID", "ME", "MA", "KY", "TN", "WA", "WV"}


def country_of(text: str, label: str | None = None) -> str | None:
    """Canonical country for a name, code, acronym, capital or demonym; else None."""
    k = _key(text)
    if not k:
        return None
    aliases, codes = country_tables()
    found = aliases.get(k) or SEATS_OF_GOVERNMENT.get(k)
    # "U.S." with its dots is an abbreviation, never the word "us"; but "Mo." and "Pa." in
    # "Ferguson, Mo." are US states, not Macau and Panama: a code is two capitals.
    letters = _PUNCT_RE.sub("", text).strip()
    if found is None and (label == "GPE" or "." in text) and len(letters) == 2 and letters.isupper() \
            and not ("." in text and letters in _US_STATE_CODES):
        found = codes.get(k)  # ("ELON, N.C.": North Carolina, not New Caledonia)
    return found


def agency_country(text: str) -> str | None:
    """The state a security agency belongs to ('the FBI' -> United States); else None."""
    return STATE_AGENCIES.get(_key(text))


def strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and _key(words[0]) in TITLE_WORDS:
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=65536)
def canonical_name(text: str, label: str | None = None) -> str:
    """Canonical form of a single mention, without document context (a pure function
    of its arguments, so remembered: the same names recur across articles)."""
    # "Kirby's", and the bare apostrophe of "Tiger Woods' agent" that the tagger keeps.
    clean = re.sub(r"[\u2019']s?$", "", text.strip())
    clean = re.sub(r"^[Tt]he\s+", "", clean)
    # "World Health Organization (WHO": the tagger cuts a name's acronym in half.
    clean = re.sub(r"\s*\([A-Z][A-Za-z.&]*\)?$", "", clean)
    clean = _SPACE_RE.sub(" ", clean).strip()
    if label != "PERSON":
        country = country_of(clean, label)
        if country:
            return country
    if label == "PERSON":
        return strip_titles(clean)
    return clean


_NAME_PARTICLES = {"von", "van", "der", "den", "de", "da", "del", "di", "du", "la", "le", "al", "el", "bin", "ibn", "bint", "dos"}


_ARABIC_ARTICLE_RE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an)[-\u2011]", re.IGNORECASE)


def _looks_like_a_name(name: str) -> bool:
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES or _ARABIC_ARTICLE_RE.sub("", w)[:1].isupper()
               for w in name.split())


def resolve_people(names: list[str], first_names: Iterable[str] = ()) -> dict[str, str]:
    """Map each person name to the fullest name it abbreviates in ``names``.

    "Kirby" -> "John Kirby" when exactly one longer name ends in "Kirby";
    ambiguous surnames stay as written. A name in ``first_names`` (one article's
    one-word PERSON names) may also be the first word of one full name.
    """
    first_names = set(first_names)
    # Index full names by their last word, so each lookup scans only its namesakes. A full
    # name is capitalised words and name particles; speakers such as "a new report from
    # 9to5Mac" are phrases, not fuller names of "9to5Mac".
    by_last: dict[str, set[str]] = {}
    by_first: dict[str, set[str]] = {}
    for full in {n for n in names if len(n.split()) > 1 and _looks_like_a_name(n)}:
        last = full.split()[-1].lower()
        by_last.setdefault(last, set()).add(full)
        by_first.setdefault(full.split()[0].lower(), set()).add(full)
        # Arabic surnames carry their article: "Momani" is short for "Mohammed al-Momani".
        bare = _ARABIC_ARTICLE_RE.sub("", last)
        if bare != last:
            by_last.setdefault(bare, set()).add(full)
    out: dict[str, str] = {}
    for n in sorted(set(names)):
        parts = n.split()
        # A country is nobody's surname: "Iraq" is not short for "Islamic State of Iraq",
        # nor "Canada" for "Radio Canada" (speakers and sides reach this list too).
        if not parts or country_of(n):
            out[n] = n
            continue
        namesakes = by_last.get(parts[-1].lower(), set())
        if len(parts) == 1:
            # "Mohammed" for "Mohammed Islam", "Nikolai" for "Nikolai Kryaglyachenko": a first
            # name, when no full name ends in it and one full name starts with it
            # (only a name tagged a person, in one article: "Apple" is no "Apple Retail Store")
            matches = namesakes or ({f for f in by_first.get(parts[0].lower(), set())}
                                    if n in first_names and not n.isupper() and not is_title_only(n) else set())
        else:
            # A name of several words gains one more at most ("Se Pyong" -> "So Se Pyong"):
            # longer prefixes are other phrases the tagger called a person ("Angriff von
            # Boko Haram" in a German article is no fuller name of "Boko Haram").
            matches = {f for f in namesakes if f != n and f.lower().endswith(" " + n.lower())
                       and len(f.split()) == len(parts) + 1 and f.split()[0].lower() not in {"a", "an", "the"}}
        out[n] = next(iter(matches)) if len(matches) == 1 else n
    return out


def full_name_of(ents: list[dict[str, Any]], surname: str, before: int | None = None) -> str | None:
    """The one person the entity rows name in full with this last name ("Klinger" -> "David
    Klinger"), among those named before the offset ``before`` when it is given."""
    if " " in surname:
        return None
    found = {e["canonical"] for e in ents if e["label"] == "PERSON" and " " in e["canonical"]
             and e["canonical"].split()[-1] == surname and (before is None or e["start_char"] < before)}
    return found.pop() if len(found) == 1 else None


def is_title_only(name: str) -> bool:
    """'Det', 'Officer': a title the tagger took for a name ('..., said Det.')."""
    words = name.split()
    return bool(words) and all(_key(w) in TITLE_WORDS for w in words)


_ARTICLE_RE = re.compile(r"^an? ", re.IGNORECASE)


def _org_key(name: str) -> str:
    """'The World Health Organisation', 'A World Health Organization' (the tagger takes in
    the article of 'a WHO spokesman') and 'World Health Organization' are one name."""
    return re.sub(r"isation\b", "ization", _ARTICLE_RE.sub("", _key(name)))


def resolve_orgs(names: list[str]) -> dict[str, str]:
    """Map each organisation name to the one form the corpus uses most for it.

    Spellings that differ only in case, dots, 'the' or British -isation are one name, and
    an acronym ("WHO") is the name whose initials it spells, when exactly one does. The
    form written most often wins (ties: the longer, then the first in sort order), so the
    result does not depend on the order of the documents.
    """
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    groups: dict[str, list[str]] = {}
    for n in sorted(counts):
        groups.setdefault(_org_key(n), []).append(n)
    by_initials: dict[str, set[str]] = {}
    for key, members in groups.items():
        for m in members:
            acr = _acronym(m)
            if acr and len(acr) >= 2:
                by_initials.setdefault(acr.lower(), set()).add(key)
    merged: dict[str, str] = {}
    for key, members in groups.items():
        if len(members) == 1 and members[0].isupper() and 2 <= len(members[0]) <= 6:
            owners = by_initials.get(members[0].lower(), set()) - {key}
            if len(owners) == 1:
                merged[key] = next(iter(owners))
    homes: dict[str, list[str]] = {}
    for key, members in groups.items():
        homes.setdefault(merged.get(key, key), []).extend(members)
    out: dict[str, str] = {}
    for home, everyone in homes.items():
        # The full name, not its acronym, names the group when it is written at all.
        spelled = [m for m in everyone if _org_key(m) == home] or everyone
        # Never the form with the tagger's stray article, however often it was written;
        # then the most written, the longest, the first in sort order.
        best = min(spelled, key=lambda m: (bool(_ARTICLE_RE.match(m)), -counts[m], -len(m), m))
        for m in everyone:
            out[m] = best
    return out


# Offices a country holds: "Jordan's King Abdullah", "Chad's government", "Georgia's army".
_STATE_OFFICES = TITLE_WORDS | {"government", "army", "military", "ministry", "embassy", "leader", "regime",
                                "foreign", "defence", "defense", "state", "officials", "parliament", "monarch"}


def country_owns_a_title(ent: Span) -> bool:
    """'Jordan's King Abdullah': the small model tags the possessive country PERSON (there
    are people called Jordan); owning a state's office, it is the country."""
    name = re.sub(r"[\u2019']s?$", "", ent.text).strip()
    if len(name.split()) > 2 or country_of(name, "GPE") is None:
        return False
    root = ent.root
    owner = root.dep_ == "poss" or (ent.end < len(ent.doc) and ent.doc[ent.end].tag_ == "POS")
    if not owner:
        return False
    head = root.head
    while head.dep_ == "compound" and head.head != head:
        head = head.head
    words = {head.lower_} | {t.lower_ for t in head.lefts if t.i > root.i}
    return bool(words & _STATE_OFFICES)


# Words that make a name a body's, whatever the tagger says: a place is no "observatory for".
_BODY_NAME_RE = re.compile(r"\b(observatory|institute|foundation|association|society|organi[sz]ation|committee|"
                           r"coalition|federation|for human rights|watch)\b", re.IGNORECASE)


# Members of an armed or political group: "Boko Haram insurgents", "militant group Boko Haram".
_MEMBER_NOUNS = {"militants", "fighters", "insurgents", "gunmen", "rebels", "jihadists", "members",
                 "commanders", "militia", "militiamen", "group", "militant", "insurgency"}


def _named_as_group(ent: Span) -> bool:
    """A name the small model tags PERSON that the article also writes as a group's: a word
    for its members right after it ("Boko Haram gunmen"), or a word for a group right before
    it ("the Islamist group Boko Haram", whose parse is often broken)."""
    doc = ent.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    before = doc[ent.start - 1] if ent.start > 0 else None
    return after is not None and after.lower_ in _MEMBER_NOUNS and after.pos_ == "NOUN" \
        or before is not None and before.lower_ in {"group", "militants"} and before.pos_ == "NOUN"


# A body's name cut at the first place it is named for: "the Islamic State of Iraq" (| "and Syria").
SPLIT_NAME_TAIL_RE = re.compile(r"\bof\s+(the\s+)?\S+$")

# One-word "names" that are a common noun: a body's name only with the word before them.
_GENERIC_BODY_WORDS = {"state", "group", "army", "party", "front", "brotherhood", "movement", "council"}


def _join_split_names(doc: Doc, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """'the Islamic State of Iraq' + 'and' + 'Syria': the tagger ends a body's name at the first
    place it is named for; the place after "and" is the rest of that name, not a party."""
    out: list[dict[str, Any]] = []
    for r in rows:
        prev = out[-1] if out else None
        if prev is not None and prev["label"] == "ORG" and r["label"] in {"GPE", "LOC"} \
                and SPLIT_NAME_TAIL_RE.search(prev["text"]) \
                and re.fullmatch(r"\s+and\s+(the\s+)?", doc.text[prev["end_char"]:r["start_char"]]):
            text = doc.text[prev["start_char"]:r["end_char"]]
            out[-1] = {**prev, "text": text, "canonical": canonical_name(text, "ORG"), "end_char": r["end_char"]}
            continue
        if prev is not None and prev["label"] == "NORP" and r["label"] == "ORG" \
                and r["text"].lower() in _GENERIC_BODY_WORDS and doc.text[prev["end_char"]:r["start_char"]] == " ":
            # ("the Islamic | State": the tagger's NORP and a one-word body are one name)
            text = doc.text[prev["start_char"]:r["end_char"]]
            out[-1] = {**r, "text": text, "canonical": canonical_name(text, "ORG"), "start_char": prev["start_char"]}
            continue
        out.append(r)
    return out


def extract_entities(doc: Doc) -> list[dict[str, Any]]:
    """Entity rows with canonical names, people resolved within the article."""
    rows = []
    # ("Boko Haram gunmen stormed ...": every mention of that name is the group's)
    groups = {e.text for e in doc.ents if e.label_ == "PERSON" and _named_as_group(e)}
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        text = ent.text
        label = "GPE" if ent.label_ == "PERSON" and country_owns_a_title(ent) else ent.label_
        if label == "PERSON" and text in groups:
            label = "ORG"
        if label in {"GPE", "LOC"} and _BODY_NAME_RE.search(text):
            label = "ORG"  # "the Syrian Observatory for Human Rights", tagged a place: a body
        # spaCy keeps a leading "the" and trailing possessive inside some spans.
        rows.append({
            "text": text,
            "label": label,
            "canonical": canonical_name(text, label),
            "start_char": ent.start_char,
            "end_char": ent.end_char,
        })
    rows = _join_split_names(doc, rows)
    names = [r["canonical"] for r in rows if r["label"] == "PERSON"]
    people = resolve_people(names, first_names=[n for n in names if " " not in n])
    for r in rows:
        if r["label"] == "PERSON":
            r["canonical"] = people.get(r["canonical"], r["canonical"])
    return rows


if not Doc.has_extension("cc_entities"):
    Doc.set_extension("cc_entities", default=None)


@Language.component("counterclaim_entities")
def entities_component(doc: Doc) -> Doc:
    """Sets ``doc._.cc_entities``: entity rows with canonical names."""
    doc._.cc_entities = extract_entities(doc)
    return doc
