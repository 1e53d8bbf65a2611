"""The archive outlives its certificates: PAdES B-LTA against the test PKI on 127.0.0.1 (TSA, OCSP, CRLs).

The acta of IV-2020 is signed with a timestamp by some (B-T, B-LT) and without one by a member who signed a copy
elsewhere (B-B, as the browser page signs); `stl archivar` keeps it as B-LTA (validation data in the DSS and a
document timestamp over everything), `stl verificar` says the level, and the clock is moved past every signer's
certificate expiry: the archived acta still verifies through its timestamps, the signed version without them no
longer does; `stl renovar-sello` adds a new archive timestamp.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import test_sign
from click.testing import CliRunner
from test_sign import p12, stl

from pipeline import certificados, records, verify
from pipeline.cli import main
from pki import PKI, adelantado

preparada, copia = test_sign.preparada, test_sign.copia


def _vence(*rutas: Path) -> dt.datetime:
    return max(
        certificados.leer_certificado(r).native["tbs_certificate"]["validity"]["not_after"] for r in rutas
    )


@pytest.fixture(scope="module")
def archivada(preparada, pki: PKI, tmp_path_factory):
    """IV-2020 signed by all four (vargas on his own machine, without a timestamp) and archived."""
    base = tmp_path_factory.mktemp("lta")
    shutil.copytree(preparada, base / "records")
    shutil.copytree(preparada.parent / "firmas", base / "firmas")
    root = base / "records"
    args, env = p12(pki, "martinez")
    assert stl(root, "firmar", "IV-2020", "--firmante", "martinez", *args, env=env).exit_code == 0
    efirma = ["--cer", str(pki.efirma.cer), "--key", str(pki.efirma.key)]
    firma = stl(
        root,
        "firmar",
        "IV-2020",
        "--firmante",
        "cervantes",
        *efirma,
        env={"STL_CONTRASENA": pki.efirma.password},
    )
    assert firma.exit_code == 0, firma.output
    actual = base / "firmas/IV-2020/acta-IV-2020.v02.pdf"
    args, env = p12(pki, "vargas")
    copia_vargas = base / "en-casa-de-vargas.pdf"
    shutil.copyfile(actual, copia_vargas)
    firma = CliRunner().invoke(main, ["firmar", str(copia_vargas), "--firmante", "vargas", *args], env=env)
    assert firma.exit_code == 0, firma.output
    incorporada = stl(root, "incorporar", "IV-2020", str(base / "en-casa-de-vargas.firmado-vargas.pdf"))
    assert incorporada.exit_code == 0, incorporada.output
    archivado = stl(root, "--archivo", str(base / "archivo"), "archivar", "IV-2020")
    assert archivado.exit_code == 0, archivado.output
    return base


def _acta(base: Path) -> tuple[dict, Path]:
    manifiesto = json.loads((base / "archivo/manifiesto.json").read_text("utf-8"))["documentos"]
    entrada = [e for e in manifiesto if e["clase"] == "acta"][-1]
    return entrada, base / "archivo" / entrada["nombre"]


def test_archivar_keeps_the_signed_acta_as_b_lta_and_verificar_says_the_level(archivada, pki):
    entrada, pdf = _acta(archivada)
    firmada = (archivada / "firmas/IV-2020/acta-IV-2020.v03.pdf").read_bytes()
    datos = pdf.read_bytes()
    assert datos.startswith(firmada) and len(datos) > len(firmada)  # the signed acta, intact, then its proof
    assert entrada["nivel"] == "B-LTA" and entrada["renovar_antes"]
    vacia = str(archivada / "sin-registros")
    result = CliRunner().invoke(
        main, ["--registros", vacia, "verificar", str(pdf), "--raiz", str(pki.raiz_pem)]
    )
    assert result.exit_code == 0, result.output
    assert "Nivel de firma: PAdES B-LTA" in result.output
    assert "sello de tiempo del documento: Sellado de tiempo de pruebas STL" in result.output
    original = stl(archivada / "records", "verificar", "IV-2020")
    assert (
        original.exit_code == 0 and "Nivel de firma: PAdES B-B" in original.output
    )  # vargas's has no timestamp
    again = stl(archivada / "records", "--archivo", str(archivada / "archivo"), "archivar", "IV-2020")
    assert again.exit_code == 0 and "Nada nuevo" in again.output, again.output


def test_years_later_past_every_signers_expiry_the_archived_acta_still_verifies(archivada, pki):
    """The clock (and the PKI's) moved past the expiry of every signer's certificate, before the TSA's: the
    archived B-LTA acta verifies through its timestamps; the signed version without an archive timestamp does not
    (vargas's signature has no timestamp of its own)."""
    creds = [pki.credenciales[m].cer for m in ("martinez", "vargas", "funes")] + [pki.efirma.cer]
    despues = _vence(*creds) + dt.timedelta(days=30)
    tsa = next(Path(pki.root).glob("tsa.pem"))
    assert despues < _vence(tsa), "the test PKI's TSA must outlive its members"
    registro = records.load(archivada / "records")
    raices = certificados.raices_de_confianza(registro)
    _, pdf = _acta(archivada)
    with adelantado(despues):
        archivado = verify.verificar(pdf.read_bytes(), raices, str(pdf), ahora=despues)
        firmado = verify.verificar(
            (archivada / "firmas/IV-2020/acta-IV-2020.v03.pdf").read_bytes(), raices, "v03", ahora=despues
        )
    assert archivado.ok, archivado.todos
    assert archivado.nivel == "B-LTA" and all(f.confiable and f.probada for f in archivado.firmas)
    assert not firmado.ok
    assert any("vargas" in f.campo and "caducó" in p for f in firmado.firmas for p in f.problemas), (
        firmado.todos
    )


def test_renovar_sello_adds_an_archive_timestamp_as_a_new_version(archivada, pki, tmp_path):
    base = tmp_path / "base"
    for carpeta in ("records", "firmas", "archivo"):
        shutil.copytree(archivada / carpeta, base / carpeta)
    root, archivo = base / "records", base / "archivo"
    nada = stl(root, "--archivo", str(archivo), "renovar-sello", "IV-2020", "--dias", "30")
    assert nada.exit_code == 0 and "nada que renovar" in nada.output, nada.output
    result = stl(root, "--archivo", str(archivo), "renovar-sello", "IV-2020", "--dias", "100000")
    assert result.exit_code == 0, result.output
    assert "acta-IV-2020.v2.pdf (sello de tiempo renovado" in result.output
    anterior, nuevo = (
        (archivo / "IV-2020/acta-IV-2020.pdf").read_bytes(),
        (archivo / "IV-2020/acta-IV-2020.v2.pdf"),
    )
    assert nuevo.read_bytes().startswith(anterior)
    vacia = str(base / "sin-registros")
    informe = CliRunner().invoke(
        main, ["--registros", vacia, "verificar", str(nuevo), "--raiz", str(pki.raiz_pem)]
    )
    assert informe.exit_code == 0, informe.output
    assert informe.output.count("  - sello de tiempo del documento:") == 2
    entrada, _ = _acta(base)
    assert entrada["version"] == 2 and entrada["reemplaza"] == "IV-2020/acta-IV-2020.pdf"
    assert entrada["version_publica"] == "IV-2020/acta-IV-2020.version-publica.pdf"
