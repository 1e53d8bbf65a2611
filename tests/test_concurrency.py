"""Concurrency: two members signing the same version at once, two convocatorias issued at once.

Real processes, not threads: each loads the records and its credential on its own, then they are released
together. The ledger's lock lets one signature through; the other member saw a version that is no longer the
current one and is refused as stale (`version_esperada`), then signs the new version: no signature is lost and
none is made on a version its signer did not see. The folio registry's lock hands out STL/005/2020 and
STL/006/2020 to two new sessions convened at the same moment: never one number twice.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from builders import FIRMAN_IV_2020, ROOT, preparar_iv_2020
from pipeline import bitacora as ledger
from pipeline import certificados, records, sign, verify
from pipeline.errors import StlError

STL = Path(sys.executable).with_name("stl")
VALID_SESSION = ROOT / "tests/data/valid/V-2020.yaml"

# One member signing IV-2020 in a process of its own: it reads the version it will sign (what the member sees
# before typing the password), says it is ready, and signs when told to.
_FIRMA = """
import datetime as dt, sys, time
from pathlib import Path
from pipeline import bitacora as ledger
from pipeline import records, sign
from pipeline.errors import StlError

tree, quien, senales = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
workspace = tree.parent / "firmas" / "IV-2020"
registro = records.load(tree)
cred = sign.credencial_p12(tree / "claves" / f"{quien}.p12", "demo")
vista = ledger.leer_bitacora(workspace).actual.numero
(senales / f"{quien}.lista").touch()
while not (senales / "ya").exists():
    time.sleep(0.001)
try:
    version = sign.firmar(registro, workspace, quien, cred, dt.datetime.now(dt.UTC), version_esperada=vista)
except StlError as exc:
    print(exc)
    sys.exit(3)
print(version.archivo)
"""


def _firmar_a_la_vez(
    tree: Path, quienes: tuple[str, ...], senales: Path
) -> list[subprocess.CompletedProcess]:
    senales.mkdir()
    procesos = [
        subprocess.Popen(
            [sys.executable, "-c", _FIRMA, str(tree), quien, str(senales)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for quien in quienes
    ]
    limite = time.monotonic() + 60
    while not all((senales / f"{q}.lista").exists() for q in quienes):
        assert time.monotonic() < limite and all(p.poll() is None for p in procesos), [
            p.communicate() for p in procesos if p.poll() is not None
        ]
        time.sleep(0.005)
    (senales / "ya").touch()
    return [
        subprocess.CompletedProcess(p.args, p.wait(60), *p.communicate())  # type: ignore[misc]
        for p in procesos
    ]


def test_two_members_signing_the_same_version_at_once(tmp_path):
    tree = tmp_path / "records"
    shutil.copytree(ROOT / "records", tree)
    workspace = preparar_iv_2020(tree)
    v00 = (workspace / "acta-IV-2020.v00.pdf").read_bytes()

    martinez, vargas = _firmar_a_la_vez(tree, ("martinez", "vargas"), tmp_path / "senales")
    assert sorted([martinez.returncode, vargas.returncode]) == [0, 3], (martinez, vargas)
    gana, pierde = (martinez, vargas) if martinez.returncode == 0 else (vargas, martinez)
    assert gana.stdout.strip() == "acta-IV-2020.v01.pdf", gana
    assert (
        "la versión v00 del acta de IV-2020 cambió mientras firmaba (ahora es v01, acta-IV-2020.v01.pdf): "
        "vuelva a firmar"
    ) in pierde.stdout
    assert "Traceback" not in pierde.stderr

    # The refused member signs again, now on the version they see: both signatures are in the acta.
    tarde = "vargas" if pierde is vargas else "martinez"
    [otra_vez] = _firmar_a_la_vez(tree, (tarde,), tmp_path / "senales-2")
    assert otra_vez.returncode == 0 and otra_vez.stdout.strip() == "acta-IV-2020.v02.pdf", otra_vez

    bitacora = ledger.leer_bitacora(workspace)
    assert [v.firmante for v in bitacora.versiones] == [
        "funes",  # the Facilitador prepared it: his certification is his signature
        "vargas" if tarde == "martinez" else "martinez",
        tarde,
    ]
    assert (workspace / "acta-IV-2020.v00.pdf").read_bytes() == v00  # nothing signed is overwritten
    registro = records.load(tree)
    informe = verify.verificar_version(
        workspace, bitacora, certificados.raices_de_confianza(registro), registro
    )
    firmas = {f.campo: f for f in informe.firmas}
    assert {"firma-martinez", "firma-vargas"} <= set(firmas)
    assert all(not f.problemas for f in informe.firmas), informe.todos
    faltan = {e.nombre for e in bitacora.esperados if e.id not in ("martinez", "vargas", "funes")}
    assert set(informe.problemas) == {f"falta la firma de {n}" for n in faltan}


def test_a_stale_version_is_refused_before_anything_is_written(tmp_path):
    """The same refusal in-process: the workspace is left exactly as it was."""
    tree = tmp_path / "records"
    shutil.copytree(ROOT / "records", tree)
    workspace = preparar_iv_2020(tree)
    registro = records.load(tree)
    ahora = dt.datetime.now(dt.UTC)
    sign.firmar(registro, workspace, "vargas", sign.credencial_p12(tree / "claves/vargas.p12", "demo"), ahora)
    antes = {p.name: p.read_bytes() for p in workspace.iterdir()}
    cred = sign.credencial_p12(tree / "claves/cervantes.p12", "demo")
    with pytest.raises(StlError, match=r"cambió mientras firmaba \(ahora es v01"):
        sign.firmar(registro, workspace, "cervantes", cred, ahora, version_esperada=0)
    assert {p.name: p.read_bytes() for p in workspace.iterdir()} == antes
    assert sign.firmar(registro, workspace, "cervantes", cred, ahora, version_esperada=1).numero == 2
    assert (
        set(ledger.leer_bitacora(workspace).firmados)
        == {"funes", "vargas", "cervantes"}
        < set(FIRMAN_IV_2020)
    )


_SEXTA = """\
# Sexta Sesión Ordinaria, convocada el mismo día que la Quinta (sin folio: lo asigna `stl convocatoria`).
tipo: ordinaria
numero: 6
fecha: "2020-12-15"
hora_inicio: "11:00"
modalidad:
  tipo: virtual
  plataforma: Plataforma virtual Zoom
convocatoria:
  fecha: "2020-11-20"
  convoca: funes
orden_del_dia:
  - tipo: quorum
  - tipo: orden_del_dia
  - tipo: asuntos_generales
  - tipo: clausura
"""


def _convocar_a_la_vez(tree: Path, salida: Path, sesiones: tuple[str, ...]) -> dict[str, str]:
    """`stl convocatoria` for each session, all started at once; gives the folio each one printed."""
    procesos = {
        s: subprocess.Popen(
            [
                str(STL),
                "--registros",
                str(tree),
                "--salida",
                str(salida),
                "convocatoria",
                s,
                "--formato",
                "pdf",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for s in sesiones
    }
    folios = {}
    for s, p in procesos.items():
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, (s, out, err)
        folios[s] = re.search(r"Folio (\S+)", out)[1]
    return folios


def test_two_convocatorias_at_once_never_share_a_folio(tmp_path):
    tree = tmp_path / "records"
    shutil.copytree(ROOT / "records", tree)
    quinta = VALID_SESSION.read_text("utf-8").replace("  folio: STL/005/2020\n", "")
    (tree / "sesiones/V-2020.yaml").write_text(quinta, "utf-8")
    (tree / "sesiones/VI-2020.yaml").write_text(_SEXTA, "utf-8")
    salida = tmp_path / "salida"

    folios = _convocar_a_la_vez(tree, salida, ("V-2020", "VI-2020"))
    assert sorted(folios.values()) == ["STL/005/2020", "STL/006/2020"], folios
    registro = yaml.safe_load((tree / "folios.yaml").read_text("utf-8"))["folios"]
    assert [(f["folio"], f.get("sesion")) for f in registro] == [
        ("STL/004/2020", "IV-2020"),
        *sorted(((folio, s) for s, folio in folios.items())),
    ]
    for s, folio in folios.items():  # each oficio carries the folio recorded for its session
        pdf = salida / s / f"convocatoria-{s}.pdf"
        texto = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        otros = [f for x, f in folios.items() if x != s]
        assert folio in texto and not any(o in texto for o in otros)
    records.load(tree)  # the registry is still valid: numbers follow one another

    # Both again, at once: each session keeps its folio and no number is spent.
    antes = (tree / "folios.yaml").read_bytes()
    assert _convocar_a_la_vez(tree, salida, ("VI-2020", "V-2020")) == folios
    assert (tree / "folios.yaml").read_bytes() == antes
