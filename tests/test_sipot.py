"""The transparency portal (issue 28): `stl exportar-sipot` writes the sessions, actas and members as an XLSX for the
SIPOT of the Plataforma Nacional de Transparencia, in the columns of format 46a (LGTAIP 2015, art. 70, fr. XLVI),
with the published documents as hyperlinks; every column says where it comes from, and what the records do not
hold is said so in the cell. Opened with openpyxl, as a spreadsheet program would."""

from __future__ import annotations

import shutil

import openpyxl

from builders import ROOT, stl_ok
from pipeline import records, sipot


def _celdas(libro) -> list[str]:
    return [str(c.value) for hoja in libro for fila in hoja.iter_rows() for c in fila if c.value is not None]


def test_the_sipot_workbook_names_the_source_of_every_column(tmp_path):
    tree = tmp_path / "records"
    shutil.copytree(ROOT / "records", tree)
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write('aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación de prueba"}\n')
    stl_ok(tmp_path, "archivar", "IV-2020", "--sin-firma")
    stl_ok(tmp_path, "publicar", "--sitio", str(tmp_path / "sitio"), "--sin-busqueda")
    salida = stl_ok(tmp_path, "exportar-sipot")
    xlsx = tmp_path / "salida/sipot.xlsx"
    assert str(xlsx) in salida
    libro = openpyxl.load_workbook(xlsx)
    assert libro.sheetnames == ["46a Actas", "Calendario de sesiones", "Integrantes", "Fuentes"]
    for nombre in libro.sheetnames[:3]:
        hoja = libro[nombre]
        encabezados = [c.value for c in hoja[1]]
        fuentes = [c.value for c in hoja[2]]
        assert all(encabezados) and all(f and f.startswith("Fuente: ") and len(f) > 12 for f in fuentes), (
            nombre
        )
    actas = libro["46a Actas"]
    columnas = [c.value for c in actas[1]]
    assert columnas == [c.nombre for c in sipot.COLUMNAS_46A]
    assert "Hipervínculo a los documentos completos de las actas (versiones públicas, en su caso)" in columnas
    filas = {f[3].value.date().isoformat(): f for f in actas.iter_rows(min_row=3)}
    iv = {columna: celda for columna, celda in zip(columnas, filas["2020-11-03"], strict=True)}
    assert iv["Ejercicio"].value == 2020 and iv["Tipo de acta (catálogo)"].value == "Ordinaria"
    assert iv["Número de la sesión"].value == 4
    assert iv["Fecha de inicio del periodo que se informa"].value.date().isoformat() == "2020-10-01"
    assert iv["Fecha de término del periodo que se informa"].value.date().isoformat() == "2020-12-31"
    assert iv["Temas de la sesión (orden del día)"].value.startswith("Lista de asistencia")
    enlace = iv["Hipervínculo a los documentos completos de las actas (versiones públicas, en su caso)"]
    url = "https://gobiernoabierto.infoem.example/documentos/IV-2020/acta-IV-2020.pdf"
    assert enlace.hyperlink.target == url and enlace.value == url
    assert (tmp_path / "sitio/documentos" / url.split("/documentos/")[1]).is_file()  # what the site publishes
    assert "sin firma electrónica" in iv["Nota"].value
    # What the records do not hold is said, not made up.
    for columna in (
        "Área(s) responsable(s) que genera(n), posee(n), publica(n) y actualizan la información",
        "Fecha de validación",
        "Número del acta (en su caso)",
    ):
        assert iv[columna].value.startswith("No está en los registros"), columna
    instalacion = {c: v.value for c, v in zip(columnas, filas["2019-10-15"], strict=True)}
    assert instalacion["Tipo de acta (catálogo)"].startswith("Instalación (no está en el catálogo")
    assert instalacion["Número de la sesión"].startswith("No está en los registros")
    calendario = {f[0].value: f for f in libro["Calendario de sesiones"].iter_rows(min_row=3)}
    assert calendario["IV-2020"][7].hyperlink.target.endswith("/sesiones/IV-2020.html")
    assert calendario["RT-2020-11-24"][1].value == "Reunión de trabajo"
    registro = records.load(tree)
    integrantes = [f[0].value for f in libro["Integrantes"].iter_rows(min_row=3)]
    assert "Zulema Martínez Sánchez" in integrantes and len(integrantes) == len(
        [p for p in registro.stl.integrantes if p.calidad.value != "invitado"]
    )
    fuentes = {(f[1].value): f[2].value for f in libro["Fuentes"].iter_rows(min_row=2)}
    assert "20 de marzo de 2025" in fuentes["Ley General de 2025"]
    # Nothing private of a member reaches the workbook.
    privados = [v for p in registro.stl.integrantes for v in p.privado.values() if v]
    todo = " ".join(_celdas(libro))
    assert privados and not [v for v in privados if v in todo]


def test_a_quarter_and_a_draft(tmp_path):
    """--anio and --trimestre keep that period's sessions; an acta not approved is published only as a draft, and
    the workbook says so."""
    shutil.copytree(ROOT / "records", tmp_path / "records")
    stl_ok(tmp_path, "archivar", "IV-2020", "--sin-firma")
    salida = stl_ok(tmp_path, "exportar-sipot", "--anio", "2020", "--trimestre", "4")
    libro = openpyxl.load_workbook(tmp_path / "salida/sipot-2020-T4.xlsx")
    assert str(tmp_path / "salida/sipot-2020-T4.xlsx") in salida
    filas = list(libro["46a Actas"].iter_rows(min_row=3, values_only=True))
    assert [f[3].date().isoformat() for f in filas] == ["2020-11-03"]
    assert "proyecto de acta, pendiente de aprobación" in filas[0][-1]
