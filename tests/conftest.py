"""Shared fixtures: the bundled Estado de México records, loaded once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from builders import ROOT
from pipeline import records
from pipeline.models import Registro

# The archive a command uses when a test names none (STL_ARCHIVO) is its own for each test and for each fixture of a
# wider scope, outside the checkout: the approved text of an acta is anchored there (`aprobaciones.vigilar`), and a
# shared one would carry one test's approved text into another.


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if fixturedef.scope == "function":
        return (yield)
    antes = os.environ.get("STL_ARCHIVO")
    os.environ["STL_ARCHIVO"] = str(Path(tempfile.mkdtemp(prefix="stl-archivo-")) / "archivo")
    try:
        return (yield)
    finally:
        if antes is None:
            os.environ.pop("STL_ARCHIVO", None)
        else:
            os.environ["STL_ARCHIVO"] = antes


@pytest.fixture(autouse=True)
def _archivo_aparte(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("STL_ARCHIVO", str(tmp_path_factory.mktemp("archivo") / "archivo"))


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


# --- The package as a user installs it ------------------------------------------------------------------


@pytest.fixture(scope="session")
def rueda(tmp_path_factory) -> Path:
    """The wheel, built once per test session from a copy of the sources (the checkout is left as it is)."""
    tmp = tmp_path_factory.mktemp("rueda")
    fuente = tmp / "fuente"
    ignorar = shutil.ignore_patterns("__pycache__", "*.pyc")
    for nombre in ("pipeline", "templates"):
        shutil.copytree(ROOT / nombre, fuente / nombre, ignore=ignorar)
    for nombre in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / nombre, fuente / nombre)
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(fuente)]
    hecho = subprocess.run(pip, capture_output=True, text=True, timeout=300)
    if hecho.returncode != 0:  # no index for the isolated build: this venv's setuptools, if recent enough
        hecho = subprocess.run([*pip, "--no-build-isolation"], capture_output=True, text=True, timeout=300)
    assert hecho.returncode == 0, hecho.stderr
    [whl] = (tmp / "dist").glob("*.whl")
    return whl


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


@pytest.fixture
def v2020(consola):
    """The console, and the Fifth Session's record as «stl nueva-sesion» writes it."""
    import datetime as dt

    from pipeline import operations

    root, _ = consola
    fecha, hora = dt.date(2020, 12, 1), dt.time(10)
    operations.nueva_sesion(
        operations.Carpetas(root), None, fecha, hora, False, "virtual", "Plataforma virtual Zoom"
    )
    return consola
