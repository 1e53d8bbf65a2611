"""The approved text never changes (aprobaciones.yaml), whatever part of the acta a later edit touches.

Through the commands a Facilitador runs, on the three example STLs: `stl acta` sees the approval and records the
approved text; then the record is edited where only the acta's heading and opening say it — the date, the hour it
opened, who attended — and `stl acta` warns while `stl preparar-firma` refuses, naming «encabezado y apertura» (the
hour appears nowhere else), writing nothing and leaving aprobaciones.yaml as it was.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import ROOT
from pipeline import pki_demo
from pipeline.cli import main

EJEMPLOS = {
    "edomex": (ROOT / "records", "IV-2020"),
    "jalisco": (ROOT / "records-ejemplos/jalisco", "I-2021"),
    "zacatecas": (ROOT / "records-ejemplos/zacatecas", "I-2021"),
}
EL = {"edomex": "el acta", "jalisco": "el acta", "zacatecas": "la minuta"}  # as each profile calls it
DEL = {"edomex": "del acta", "jalisco": "del acta", "zacatecas": "de la minuta"}
INVITADA = (
    "  - id: invitada-nueva\n    nombre: Lucía Paredes Mora\n    genero: f\n    cargo: Investigadora invitada\n"
    "    cargo_corto: Investigadora invitada\n    sector: academia\n    calidad: invitado\n"
)


def _stl(base: Path, *args: str):
    carpetas = ["--registros", f"{base}/records", "--salida", f"{base}/salida", "--firmas", f"{base}/firmas"]
    carpetas += ["--archivo", f"{base}/archivo"]
    return CliRunner().invoke(main, [*carpetas, *args], env={"STL_CONTRASENA": "demo"})


@pytest.fixture(scope="module", params=list(EJEMPLOS))
def aprobada(request, tmp_path_factory) -> tuple[Path, str]:
    """The example's records with its acta approved and the approved text recorded by `stl acta`."""
    origen, sesion = EJEMPLOS[request.param]
    base = tmp_path_factory.mktemp(f"aprobada-{request.param}")
    shutil.copytree(origen, base / "records")
    registro = base / "records/sesiones" / f"{sesion}.yaml"
    if "\naprobacion:" not in registro.read_text("utf-8"):
        with registro.open("a", encoding="utf-8") as handle:
            handle.write('aprobacion: {fecha: "2021-04-01", fundamento: "Aprobación de prueba"}\n')
    pki_demo.generar(base / "claves", [("prepara", "Persona que Prepara")], "demo", dt.datetime.now(dt.UTC))
    result = _stl(base, "acta", sesion, "--formato", "docx")
    assert result.exit_code == 0, result.output
    assert f"Texto aprobado {DEL[request.param]} de {sesion} registrado en" in result.output
    return base, sesion


def _perfil(base: Path) -> str:
    return re.search(r"^perfil: (\w+)", (base / "records/stl.yaml").read_text("utf-8"), re.M)[1]


def _editar(base: Path, sesion: str, cambio: str) -> None:
    path = base / "records/sesiones" / f"{sesion}.yaml"
    texto = path.read_text("utf-8")
    if cambio == "fecha":
        fecha = re.search(r'^fecha: "(\S+)"', texto, re.M)[1]
        despues = dt.date.fromisoformat(fecha) + dt.timedelta(days=1)
        texto = texto.replace(f'fecha: "{fecha}"', f'fecha: "{despues.isoformat()}"', 1)
    elif cambio == "hora":
        texto = re.sub(r'^hora_inicio: "(\d\d):\d\d"', r'hora_inicio: "\1:15"', texto, count=1, flags=re.M)
    else:  # one more person attended: a guest, with voice only, who neither spoke nor signs
        stl = base / "records/stl.yaml"
        stl.write_text(stl.read_text("utf-8").rstrip("\n") + "\n" + INVITADA, "utf-8")
        if "asistencia: [" in texto:
            texto = re.sub(r"^asistencia: \[(.*)\]", r"asistencia: [\1, invitada-nueva]", texto, flags=re.M)
        else:
            texto = texto.replace("asistencia:\n", "asistencia:\n  - invitada-nueva\n", 1)
    assert texto != path.read_text("utf-8")
    path.write_text(texto, "utf-8")


@pytest.mark.parametrize("cambio", ["fecha", "hora", "asistencia"])
def test_an_edit_of_the_heading_after_approval_is_warned_and_refused(aprobada, tmp_path, cambio):
    origen, sesion = aprobada
    el = EL[_perfil(origen)]
    for carpeta in ("records", "archivo"):  # the approved text, in the records and anchored in the archive
        shutil.copytree(origen / carpeta, tmp_path / carpeta)
    aprobado = (tmp_path / "records/aprobaciones.yaml").read_bytes()
    _editar(tmp_path, sesion, cambio)

    result = _stl(tmp_path, "acta", sesion, "--formato", "docx")
    assert result.exit_code == 0, result.output
    assert f"{el} de {sesion} ya no es el texto aprobado" in result.output
    assert re.search(r"cambió [^.]*encabezado y apertura", result.output), result.output

    p12 = str(origen / "claves/prepara.p12")
    result = _stl(tmp_path, "preparar-firma", sesion, "--p12", p12)
    assert result.exit_code == 1, result.output
    assert f"{el} de {sesion} ya no es el texto aprobado" in result.output
    assert re.search(r"cambió [^.]*encabezado y apertura", result.output), result.output
    assert not (tmp_path / "firmas").exists() or not any((tmp_path / "firmas").rglob("*.pdf"))
    assert (tmp_path / "records/aprobaciones.yaml").read_bytes() == aprobado
