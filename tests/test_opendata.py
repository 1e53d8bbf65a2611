"""Open data: CSV (UTF-8), JSON and SQLite of sesiones, asistencia, acuerdos and votaciones, with a dictionary."""

from __future__ import annotations

import csv
import json
import sqlite3

from pipeline import opendata


def test_the_four_tables_in_csv_json_and_sqlite(registro_edomex, tmp_path):
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
    ]
    campos = {f["name"] for r in diccionario["resources"] for f in r["schema"]["fields"]}
    assert "privado" not in " ".join(campos) and "correo" not in campos
