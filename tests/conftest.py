from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"


@pytest.fixture(scope="session")
def nlp():
    from flows.nlp import load_nlp

    return load_nlp("auto")


def make_settings(input_dir: Path, data_dir: Path, **extra):
    from flows.settings import Settings

    return Settings(input_dir=input_dir, data_dir=data_dir, **extra)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The whole pipeline on the seeds, run once through the plain stages."""
    from flows import stages

    data = tmp_path_factory.mktemp("seed-data")
    settings = make_settings(SEEDS, data)
    result = stages.run_all(settings)
    return settings, result


@pytest.fixture(scope="session")
def seed_db(seed_build):
    from flows.views import connect

    settings, _ = seed_build
    return connect(settings.tables_dir, settings.sql_dir)


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """One temporary Prefect server for the whole session."""
    home = tmp_path_factory.mktemp("prefect-home")
    os.environ["PREFECT_HOME"] = str(home)
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


def copy_seeds(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for f in SEEDS.iterdir():
        shutil.copy(f, dest / f.name)
    return dest
