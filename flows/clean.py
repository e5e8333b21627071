"""Clean: keep the headline, subheadings and body; drop everything else with a reason.

The rules look at the shape of a line and at cue words that boilerplate
shares across sites (appeals, "read more", comment forms, credits), and at
lines that one outlet repeats across its articles. None is taken from a
particular article.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from flows.entities import country_of
from flows.ingest import RawArticle

# --- cue patterns -----------------------------------------------------------

_APPEAL_RE = re.compile(
    r"\b(donat(e|ion|ing)|subscri(be|ption)|support (us|our|independent|journalism|today)|"
    r"your support|please support|support (?-i:(?=[A-Z]))|become a (member|patron|supporter)|"
    r"favou?r to ask|remind me later|pa(y|i)ment methods?|sign up for (our|the)|newsletter|"
    r"paywall|contribut(e|ion) (now|today)|we need your help|make a (gift|contribution))\b",
    re.IGNORECASE,
)
_LINK_RE = re.compile(
    r"^(click here|read more|read also|see also|related( articles?| stories| coverage)?:?|more:|"
    r"watch:|listen:|also read|recommended|trending|most read|more from|follow us|share this|"
    r"advertisement|sponsored|continue reading)\b|\bclick here\b|\bread more (from|at|on|about)\b",
    re.IGNORECASE,
)
_COMMENT_RE = re.compile(
    r"^(leave a (reply|comment)|post (a )?comment|cancel reply|comments?( \(\d+\))?:?$|"
    r"your email address will not be published|required fields are marked|log in to comment|"
    r"join the conversation|be the first to comment)",
    re.IGNORECASE,
)
_TAGS_RE = re.compile(r"^(tags|topics|filed under|keywords|categories)\s*:?", re.IGNORECASE)
_SOCIAL_RE = re.compile(
    r"^@\w+$|pic\.twitter\.com|twitter\.com/|x\.com/\w+/status|instagram\.com/|facebook\.com/|"
    r"tiktok\.com/|youtube\.com/watch|^— .+\(@\w+\)|^\(@\w+\)",
    re.IGNORECASE,
)
_CREDIT_WORDS = r"(getty images|shutterstock|afp|ap photo|reuters|epa|tass|xinhua|yonhap|alamy|pool|handout|file photo)"
_CAPTION_START_RE = re.compile(r"^(photo|image|picture|credit|caption|file photo|pictured)\s*[:|/]", re.IGNORECASE)
_CREDIT_TAIL_RE = re.compile(
    r"(?:^|[.!?]\s+|\s)((?:[A-Z][A-Za-z.'-]*\s+)*[A-Z][A-Za-z.'-]*\s*/\s*[A-Za-z]+(?:\s+via\s+[A-Z][\w ]+)?"
    r"|(?:photo|image)\s*(?:by|:)\s*[^.]+|" + _CREDIT_WORDS + r"(?:\s*/\s*[A-Za-z ]+)?)\s*$",
    re.IGNORECASE,
)
_CREDIT_HINT_RE = re.compile(r"photo|image|" + _CREDIT_WORDS, re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?…:;\"'”’)\]]$")

# Self-naming lines: the outlet is the name in the capture group.
_NAME = r"((?:The |the )?[A-Z][\w&'’-]*(?:\.(?=[ \w]))?(?:[ ]+(?:[A-Z][\w&'’-]*|of|on|and|&))*)"
_SELF_NAMING = [
    (re.compile(r"^(?:please )?(?:support|donate to|subscribe to) " + _NAME + r"\s*[!.]?$", re.IGNORECASE), "appeal"),
    (re.compile(r"read more (?:from|at|on) " + _NAME + r"\s*[!.]?$", re.IGNORECASE), "read-more"),
    (re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?" + _NAME, re.IGNORECASE), "copyright"),
    (re.compile(_NAME + r",? (?:is |has been )?an? (?:independent |non-?profit |online )?(?:news|media) (?:source|outlet|site|organi[sz]ation|publication)"), "self-description"),
]
_CITED_RE = re.compile(
    r"(?:according to|as per|reported by|cited by|quoted by|told) " + _NAME
    + r"|" + _NAME + r" (?:reported|quoted)\b"
)
_MEDIA_WORDS = re.compile(
    r"\b(times|post|news|daily|mail|examiner|journal|herald|telegraph|guardian|independent|agency|press|"
    r"tribune|gazette|radio|tv|television|broadcast\w*|media|wire|reuters|bloomberg|associated|observer|"
    r"standard|chronicle|express|mirror|sun|star|review|magazine|network|channel|online)\b",
    re.IGNORECASE,
)
_NOT_OUTLETS = {"he", "she", "it", "they", "him", "her", "them", "we", "officials", "sources"}


@dataclass
class CleanArticle:
    title: str
    text: str
    removed: list[tuple[int, str, str]] = field(default_factory=list)
    outlet: str | None = None
    outlet_evidence: str | None = None
    cited_outlets: list[str] = field(default_factory=list)


def normalise_line(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip().lower()


def _tidy_name(name: str) -> str:
    name = name.strip(" .!,:;")
    if name.isupper() and " " in name:
        # "THE WASHINGTON EXAMINER" -> "The Washington Examiner"
        name = " ".join(w if w in {"of", "and"} else w.capitalize() for w in name.lower().split())
    return name


def infer_outlet(lines: Iterable[str]) -> tuple[str | None, str | None]:
    """The outlet as the article names itself, or (None, None).

    Only lines in which a publication speaks of itself count (appeals, "read
    more from", copyright, "X, an independent news source"), so an outlet the
    article merely cites is never taken as its publisher.
    """
    for line in lines:
        stripped = line.strip()
        for pattern, evidence in _SELF_NAMING:
            m = pattern.search(stripped)
            if not m:
                continue
            name = _tidy_name(m.group(1))
            words = name.split()
            if 1 <= len(words) <= 6 and name.lower() not in _NOT_OUTLETS and not country_of(name):
                return name, f"self-reference ({evidence})"
    return None, None


def cited_outlets(text: str, publisher: str | None) -> list[str]:
    """Sources the article cites by name ('according to X', 'X reported')."""
    found = []
    for m in _CITED_RE.finditer(text):
        name = _tidy_name(m.group(1) or m.group(2) or "")
        if not name or name.lower() in _NOT_OUTLETS or country_of(name, "GPE"):
            continue
        if len(name.split()) > 5 or (publisher and name.lower() == publisher.lower()):
            continue
        # A cited person ("according to Kirby") is not an outlet: keep names that
        # look like publications or agencies (a media word, or an acronym).
        bare = re.sub(r"^the ", "", name, flags=re.IGNORECASE)
        if _MEDIA_WORDS.search(bare) or (bare.isupper() and 2 <= len(bare) <= 6):
            found.append(name)
    return sorted(set(found))


def _is_title_shaped(line: str) -> bool:
    return len(line.split()) <= 20 and not _SENTENCE_END_RE.search(line.rstrip())


def classify_line(line: str) -> str | None:
    """A reason to drop the line on its own, or None to keep it."""
    s = line.strip()
    if _COMMENT_RE.search(s):
        return "comment-form"
    if _SOCIAL_RE.search(s):
        return "social-embed"
    if _TAGS_RE.match(s) and (len(s.split()) <= 2 or "," in s):
        return "tag-list"
    if _LINK_RE.search(s) and len(s.split()) <= 25:
        return "link"
    # A short line with an appeal cue is an appeal; a long one must also speak of
    # the journalism it asks money for, or it is prose that mentions donations.
    if _APPEAL_RE.search(s) and (len(s.split()) <= 12 or _mentions_appeal_context(s)):
        return "appeal"
    if _CAPTION_START_RE.match(s):
        return "caption"
    words = s.split()
    letters = [c for c in s if c.isalpha()]
    # A whole line in capitals is a related-story link or a kicker, not prose.
    if len(words) >= 4 and letters and all(c.isupper() for c in letters):
        return "related-link"
    return None


def _mentions_appeal_context(s: str) -> bool:
    return bool(re.search(r"\b(journalism|reporting|independent|mission|monthly|donat)", s, re.IGNORECASE))


def _credit_reason(line: str) -> str | None:
    """Photo captions end with a credit ("... BRENDAN SMIALOWSKI/AFP via Getty Images")."""
    s = line.strip()
    # Every credit form needs a slash, "photo"/"image" or an agency's name; testing for them
    # first spares most lines the tail pattern, which backtracks over every word.
    if "/" not in s and not _CREDIT_HINT_RE.search(s):
        return None
    m = _CREDIT_TAIL_RE.search(s)
    if not m:
        return None
    tail = m.group(1)
    # The credit must be a tail of capitalised words, not the end of a sentence.
    if tail.split() and any(w[0].islower() and w not in {"via", "by"} for w in tail.split() if w[0].isalpha()):
        return None
    if "/" in tail or re.search(_CREDIT_WORDS, tail, re.IGNORECASE):
        return "caption-credit"
    return None


def lines_repeated_within_outlets(articles: list[RawArticle], min_articles: int = 2) -> set[str]:
    """Lines one outlet prints in several of its articles: its boilerplate."""
    per_outlet: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        if not article.outlet:
            continue
        seen = {normalise_line(line) for line in article.text.split("\n") if line.strip()}
        per_outlet[article.outlet.lower()].update(seen)
    repeated = set()
    for counts in per_outlet.values():
        repeated.update(line for line, n in counts.items() if n >= min_articles and len(line) >= 3)
    return repeated


def clean_article(raw: RawArticle, boilerplate: set[str] | frozenset[str] = frozenset()) -> CleanArticle:
    """Split ``raw.text`` into kept paragraphs and removed lines (with reasons)."""
    lines = raw.text.split("\n")
    outlet, evidence = raw.outlet, raw.outlet_evidence
    if not outlet:
        outlet, evidence = infer_outlet(lines)

    numbered = [(i + 1, line.strip()) for i, line in enumerate(lines) if line.strip()]
    reasons: dict[int, str] = {}
    for no, line in numbered:
        reason = classify_line(line) or _credit_reason(line)
        if reason is None and normalise_line(line) in boilerplate:
            reason = "outlet-boilerplate"
        if reason:
            reasons[no] = reason

    _drop_appeal_tail(numbered, reasons)
    _drop_trailing_fragments(numbered, reasons)

    # a headline is one line: a feed's title with line breaks inside would otherwise break
    # the text's "headline, a blank line, then the body" shape
    title = " ".join(raw.title.split()) if raw.title else None
    kept: list[str] = []
    seen_title = False
    for no, line in numbered:
        if no in reasons:
            continue
        if title is None:
            title = line
            kept.append(line)
            seen_title = True
            continue
        if normalise_line(line) == normalise_line(title):
            if seen_title or raw.title:
                reasons[no] = "repeated-headline"
                continue
            seen_title = True
        kept.append(line)
    if raw.title and title:
        kept.insert(0, title)

    removed = sorted((no, line, reasons[no]) for no, line in numbered if no in reasons)
    text = "\n\n".join(kept)
    return CleanArticle(
        title=title or "",
        text=text,
        removed=removed,
        outlet=outlet,
        outlet_evidence=evidence,
        cited_outlets=cited_outlets(text, outlet),
    )


def _drop_appeal_tail(numbered: list[tuple[int, str]], reasons: dict[int, str]) -> None:
    """An appeal near the end opens a block of site furniture: drop the block.

    Such blocks mix cue lines with a few uncued sentences ("We, the journalists
    of ..."); when most lines after the first appeal are boilerplate, all are.
    """
    n = len(numbered)
    for idx, (no, _line) in enumerate(numbered):
        if idx < n // 2 or reasons.get(no) != "appeal":
            continue
        tail = numbered[idx:]
        flagged = sum(1 for tno, _ in tail if tno in reasons)
        if flagged * 2 >= len(tail):
            for tno, _ in tail:
                reasons.setdefault(tno, "appeal")
        return


def _drop_trailing_fragments(numbered: list[tuple[int, str]], reasons: dict[int, str]) -> None:
    """Short title-shaped lines after the last paragraph of prose are site furniture
    (tag clouds, widget names); a heading with no text under it heads nothing."""
    for no, line in reversed(numbered):
        if no in reasons:
            continue
        if _is_title_shaped(line) and len(line.split()) <= 6:
            reasons[no] = "trailing-fragment"
            continue
        if "," in line and not _SENTENCE_END_RE.search(line) and any(
            reasons.get(p) == "tag-list" for p, _ in numbered if p < no
        ):
            reasons[no] = "tag-list"
            continue
        break
