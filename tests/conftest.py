"""Shared fixtures: the bundled Estado de México records, loaded once."""

from __future__ import annotations

import pytest

from builders import ROOT
from pipeline import records
from pipeline.models import Registro


@pytest.fixture(scope="session")
def registro_edomex() -> Registro:
    return records.load(ROOT / "records")
