"""Shared fixtures: the bundled Estado de México records, loaded once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builders import ROOT
from pipeline import records
from pipeline.models import Registro


@pytest.fixture(scope="session")
def registro_edomex() -> Registro:
    return records.load(ROOT / "records")


@pytest.fixture(scope="session")
def registro_jalisco() -> Registro:
    """The example STL of the Jalisco profile (records-ejemplos/jalisco): no Facilitador, a presiding member."""
    return records.load(ROOT / "records-ejemplos/jalisco")


@pytest.fixture(scope="session")
def registro_zacatecas() -> Registro:
    """The example STL of the Zacatecas profile (records-ejemplos/zacatecas): its session record is a minuta."""
    return records.load(ROOT / "records-ejemplos/zacatecas")


# --- Test PKI for the signature stage (tests/pki.py) -------------------------------------------------------


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """Keys, certificates and credentials generated now, with OCSP, CRLs and the TSA served on 127.0.0.1
    (Certomancer's animator in a daemon thread) until the session ends."""
    from pki import pki_en_servicio

    with pki_en_servicio(tmp_path_factory.mktemp("pki")) as p:
        yield p


@pytest.fixture(scope="session")
def sat(tmp_path_factory):
    """An e.firma chain built as the SAT builds it (x500UniqueIdentifier as a string, 20-digit numbers)."""
    from pki import generar_sat

    return generar_sat(tmp_path_factory.mktemp("sat"))


@pytest.fixture(scope="session")
def softhsm(pki, tmp_path_factory):
    """A SoftHSM2 token with vargas's regular key and certificate; `SOFTHSM2_CONF` set for the session."""
    from pki import crear_token

    with crear_token(pki.credenciales["vargas"], tmp_path_factory.mktemp("softhsm")) as token:
        yield token


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the bundled records, for a test to change."""
    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root)
    return root


@pytest.fixture
def consola(tmp_path: Path):
    """`stl consola` on a copy of the bundled records, its clock at the start of the Fifth Session (1 December 2020,
    10:00): (records folder, running console). Stopped after the test."""
    import datetime as dt

    from pipeline import operations
    from pipeline.consola import servidor

    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root)
    reloj = lambda: dt.datetime(2020, 12, 1, 10, 0, tzinfo=dt.UTC)  # noqa: E731 - the meeting's clock
    carpetas = operations.Carpetas(root, tmp_path / "salida", tmp_path / "firmas")
    corriendo = servidor.servir(carpetas, reloj=reloj)
    yield root, corriendo
    corriendo.detener()
