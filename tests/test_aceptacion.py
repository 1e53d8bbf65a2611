"""Signature acceptance on values, fast enough for `make mutacion`: who may sign, with which certificate, when.

A demo PKI made here with `pki_demo`, as `make demo` makes it: a root that stl.yaml trusts and a certificate per
member; the same kind of chain made valid in the past (expired now) and in the future (not valid yet), also trusted;
and a root stl.yaml does not trust. Every certificate is registered for the member it names. Then what `stl firmar`
and `stl incorporar` check of a certificate (`sign.verificar_certificado`: registered for that member, valid at the
moment given, leading to the trusted roots) and what `stl firmar` refuses before signing anything (someone who does
not sign the acta, a second signature, a version that changed meanwhile). test_sign.py does the same end to end,
with OCSP, CRLs and a time-stamping authority.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from builders import FIRMAN_IV_2020, ROOT
from pipeline import bitacora, pki_demo, records, sign
from pipeline.errors import StlError

AHORA = dt.datetime.now(dt.UTC)
CADENAS = {  # folder → the moment its certificates are made at (valid from the day before, for three years)
    "claves": AHORA,
    "vencidas": AHORA - dt.timedelta(days=4 * 365),
    "futuras": AHORA + dt.timedelta(days=30),
    "ajenas": AHORA,
}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("aceptacion")
    tree = base / "records"
    shutil.copytree(ROOT / "records", tree)
    registro = records.load(tree)
    huellas = []
    for carpeta, momento in CADENAS.items():
        quienes = [*FIRMAN_IV_2020, "parra"] if carpeta == "claves" else ["martinez"]
        nombres = [(i, registro.stl.integrante(i).nombre) for i in quienes]
        huellas += pki_demo.generar(tree / carpeta, nombres, "demo", momento).items()
    lineas = ["certificados:"] + [f"  - integrante: {i}\n    sha256: {h}" for i, h in huellas]
    (tree / "certificados.yaml").write_text("\n".join(lineas) + "\n", "utf-8")
    with (tree / "stl.yaml").open("a", encoding="utf-8") as handle:  # every root but the ajena
        handle.write("firma:\n  raices: [claves/raiz.pem, vencidas/raiz.pem, futuras/raiz.pem]\n")
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write('aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación de prueba"}\n')
    registro = records.load(tree)
    sign.preparar(registro, "IV-2020", base / "firmas/IV-2020", _cred(base, "claves", "funes"), AHORA)
    return base


def _cred(base: Path, carpeta: str, quien: str) -> sign.Credencial:
    return sign.credencial_p12(base / "records" / carpeta / f"{quien}.p12", "demo")


@pytest.fixture
def copia(base, tmp_path) -> Path:
    """The records and the prepared acta, for one test to sign in."""
    for carpeta in ("records", "firmas"):
        shutil.copytree(base / carpeta, tmp_path / carpeta)
    return tmp_path


def test_a_registered_valid_certificate_of_a_trusted_root_is_accepted(base):
    registro = records.load(base / "records")
    for quien in (*FIRMAN_IV_2020, "parra"):
        sign.verificar_certificado(_cred(base, "claves", quien), quien, registro, AHORA)


@pytest.mark.parametrize(
    ("carpeta", "quien", "como", "mensaje"),
    [
        ("claves", "vargas", "martinez", "no es el registrado para Zulema Martínez Sánchez"),
        ("claves", "vargas", "luna", "no es el registrado para .* \\(registrados: ninguno\\)"),
        (
            "vencidas",
            "martinez",
            "martinez",
            "el certificado de Zulema Martínez Sánchez \\(núm\\. .*\\) caducó el",
        ),
        ("futuras", "martinez", "martinez", "es válido a partir del"),
        (
            "ajenas",
            "martinez",
            "martinez",
            "no lleva a las raíces de confianza de .*stl\\.yaml \\(firma\\.raices\\)",
        ),
    ],
    ids=["de-otro-integrante", "sin-registro", "vencido", "aun-no-vigente", "de-otra-raiz"],
)
def test_a_certificate_is_refused_saying_why(base, carpeta, quien, como, mensaje):
    registro = records.load(base / "records")
    with pytest.raises(StlError, match=mensaje):
        sign.verificar_certificado(_cred(base, carpeta, quien), como, registro, AHORA)


def test_validity_is_judged_at_the_moment_given_not_by_the_clock(base):
    registro = records.load(base / "records")
    vencida, futura = _cred(base, "vencidas", "martinez"), _cred(base, "futuras", "martinez")
    sign.verificar_certificado(vencida, "martinez", registro, AHORA - dt.timedelta(days=2 * 365))
    sign.verificar_certificado(futura, "martinez", registro, AHORA + dt.timedelta(days=60))
    with pytest.raises(StlError, match="caducó"):
        sign.verificar_certificado(futura, "martinez", registro, AHORA + dt.timedelta(days=4 * 365))
    with pytest.raises(StlError, match="es válido a partir del"):
        sign.verificar_certificado(vencida, "martinez", registro, AHORA - dt.timedelta(days=5 * 365))


def _sin_cambios(copia: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((copia / "firmas/IV-2020").iterdir()) if p.is_file()}


@pytest.mark.parametrize(
    ("quien", "mensaje"),
    [
        (
            "parra",
            "Luis Gustavo Parra Noriega no firma el acta de IV-2020: no asistió o no firma por su calidad \\(firman: ",
        ),
        ("nadie", "«nadie» no firma el acta de IV-2020"),
    ],
    ids=["invitado", "desconocido"],
)
def test_who_does_not_sign_the_acta_is_refused_before_anything_is_signed(copia, quien, mensaje):
    registro = records.load(copia / "records")
    antes = _sin_cambios(copia)
    cred = _cred(copia, "claves", "parra" if quien == "parra" else "martinez")
    with pytest.raises(StlError, match=mensaje):
        sign.firmar(registro, copia / "firmas/IV-2020", quien, cred, AHORA)
    assert _sin_cambios(copia) == antes


def test_a_second_signature_a_stale_version_and_a_bad_certificate_are_refused(copia):
    registro = records.load(copia / "records")
    workspace = copia / "firmas/IV-2020"
    version = sign.firmar(registro, workspace, "martinez", _cred(copia, "claves", "martinez"), AHORA, 0)
    assert (version.numero, version.firmante) == (1, "martinez")
    assert bitacora.leer_bitacora(workspace).firmados["martinez"].archivo == "acta-IV-2020.v01.pdf"
    antes = _sin_cambios(copia)
    ya = re.escape("Zulema Martínez Sánchez ya firmó el acta de IV-2020 (acta-IV-2020.v01.pdf)")
    with pytest.raises(StlError, match=ya):
        sign.firmar(registro, workspace, "martinez", _cred(copia, "claves", "martinez"), AHORA)
    with pytest.raises(
        StlError, match="la versión v00 del acta de IV-2020 cambió mientras firmaba \\(ahora es v01"
    ):
        sign.firmar(registro, workspace, "vargas", _cred(copia, "claves", "vargas"), AHORA, 0)
    with pytest.raises(StlError, match="no es el registrado para Javier Vargas Zempoaltecatl"):
        sign.firmar(registro, workspace, "vargas", _cred(copia, "claves", "martinez"), AHORA, 1)
    assert _sin_cambios(copia) == antes
    sign.firmar(registro, workspace, "vargas", _cred(copia, "claves", "vargas"), AHORA, 1)
    assert set(bitacora.leer_bitacora(workspace).firmados) == {"martinez", "vargas"}
