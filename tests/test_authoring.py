"""Authoring: new session and meeting records pre-filled from the records and the profile, and the calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from pipeline import authoring, records, wording
from pipeline.errors import StlError
from pipeline.models import TipoPunto


def escribir(root: Path, agenda: authoring.Agenda):
    (root / agenda.ruta).write_text(agenda.texto, "utf-8")
    return records.load(root)


def test_next_session_after_iv_2020(tree):
    registro = records.load(tree)
    agenda = authoring.nueva_sesion(
        registro, "V-2020", dt.date(2020, 12, 1), dt.time(10), False, "virtual", "Zoom"
    )
    assert agenda.ruta == "sesiones/V-2020.yaml"
    nuevo = escribir(tree, agenda)  # it validates
    sesion = nuevo.sesion("V-2020")
    tipos = [p.tipo for p in sesion.orden_del_dia]
    assert tipos == [
        TipoPunto.QUORUM,
        TipoPunto.ORDEN_DEL_DIA,
        TipoPunto.APROBACION_ACTA,
        TipoPunto.SEGUIMIENTO_ACUERDOS,
        TipoPunto.ASUNTOS_GENERALES,
        TipoPunto.CLAUSURA,
    ]
    aprobacion = sesion.orden_del_dia[2]
    titulo = wording.titulo_punto(aprobacion, sesion, nuevo)
    assert (
        titulo == "Aprobación del Acta de la Cuarta Sesión Ordinaria del STL de fecha 3 de noviembre de 2020"
    )
    assert "#   STL/IV/3/2020: el eje “Cultura del Gobierno Abierto” por parte del Infoem" in agenda.texto
    assert "#   STL/IV/4/2020: someter el punto a discusión" in agenda.texto
    # 5 business days before Tuesday 1 Dec 2020: 24–30 Nov; the oficio goes out on Monday 23 Nov at the latest.
    assert sesion.convocatoria.fecha == dt.date(2020, 11, 23) and sesion.convocatoria.convoca == "funes"
    assert agenda.avisos == (
        "Último día para emitir la convocatoria: veintitrés de noviembre de dos mil veinte (23 de noviembre de 2020).",
    )
    assert sesion.asistencia is None  # convened, not held: expected attendees are a comment to edit
    assert "# asistencia: [martinez, vargas, cervantes, funes, parra, luna]" in agenda.texto


def test_existing_or_out_of_sequence_ids_are_refused(tree):
    registro = records.load(tree)
    with pytest.raises(StlError, match="ya existe el registro de la sesión IV-2020: no se sobrescribe"):
        authoring.nueva_sesion(
            registro, "IV-2020", dt.date(2020, 12, 1), dt.time(10), False, "virtual", "Zoom"
        )
    with pytest.raises(StlError, match="su ID es V-2020, no VI-2020"):
        authoring.nueva_sesion(
            registro, "VI-2020", dt.date(2020, 12, 1), dt.time(10), False, "virtual", "Zoom"
        )
    escribir(
        tree,
        authoring.nueva_sesion(
            registro, "V-2020", dt.date(2020, 12, 1), dt.time(10), False, "virtual", "Zoom"
        ),
    )
    with pytest.raises(StlError, match="ya existe el registro de la sesión V-2020: no se sobrescribe"):
        authoring.nueva_sesion(
            records.load(tree), "V-2020", dt.date(2020, 12, 1), dt.time(10), False, "virtual", "Zoom"
        )


def test_an_extraordinary_session_has_its_own_numbering_and_notice(tree):
    registro = records.load(tree)
    agenda = authoring.nueva_sesion(
        registro, "EXT-I-2020", dt.date(2020, 12, 1), dt.time(10), True, "presencial", "Sala de Plenos"
    )
    sesion = escribir(tree, agenda).sesion("EXT-I-2020")
    assert sesion.numero == 1 and sesion.sede == "Sala de Plenos"


def test_zacatecas_gets_the_fixed_order_of_business(tree):
    stl = yaml.safe_load((tree / "stl.yaml").read_text("utf-8"))
    stl["perfil"] = "zacatecas"
    (tree / "stl.yaml").write_text(yaml.safe_dump(stl, allow_unicode=True), "utf-8")
    registro = records.load(tree)
    agenda = authoring.nueva_sesion(
        registro, "V-2020", dt.date(2020, 12, 1), dt.time(10), False, "virtual", "Zoom"
    )
    sesion = escribir(tree, agenda).sesion("V-2020")
    textos = [p.texto or p.tipo.value for p in sesion.orden_del_dia]
    # 001 Art. 8: quorum, agenda, previous acta, reports and follow-up, topics, distribution of the material.
    assert textos == [
        "quorum",
        "orden_del_dia",
        "aprobacion_acta",
        "seguimiento_acuerdos",
        "Desarrollo de los temas a tratar",
        "Distribución del material de trabajo presentado durante la reunión",
        "asuntos_generales",
        "clausura",
    ]
    assert sesion.convocatoria.convoca == "martinez"  # 001 Art. 11-I: the transparency commission convenes


def test_new_working_meeting(tree):
    registro = records.load(tree)
    agenda = authoring.nueva_reunion(
        registro, dt.date(2020, 11, 24), dt.time(11), "virtual", "Zoom", "Balance anual"
    )
    assert agenda.ruta == "reuniones/RT-2020-11-24-2.yaml"  # the example already holds RT-2020-11-24
    reunion = escribir(tree, agenda).reunion("RT-2020-11-24-2")
    assert reunion.asunto == "Balance anual" and reunion.asistencia == (
        "martinez",
        "vargas",
        "cervantes",
        "funes",
    )


def test_calendar(tree):
    registro = records.load(tree)
    escribir(
        tree,
        authoring.nueva_sesion(
            registro, "V-2020", dt.date(2020, 12, 1), dt.time(10), False, "virtual", "Zoom"
        ),
    )
    lines = authoring.calendario(records.load(tree), dt.date(2020, 11, 20))
    assert "  - 3 de noviembre de 2020: Cuarta Sesión Ordinaria (IV-2020) — celebrada" in lines
    assert "  - 1 de diciembre de 2020: Quinta Sesión Ordinaria (V-2020) — programada" in lines
    assert "  · no se cumplió entre el 8 de junio de 2020 y el 3 de noviembre de 2020" in lines
    assert "Próxima sesión a más tardar el 3 de enero de 2021" in lines
    assert "Actas por aprobar: IV-2020" in lines
    # Months later V-2020's date has passed with no attendance recorded: it does not count as held.
    lejos = authoring.calendario(records.load(tree), dt.date(2021, 3, 1))
    assert "  - 1 de diciembre de 2020: Quinta Sesión Ordinaria (V-2020) — sin asistencia registrada" in lejos
    assert "Próxima sesión a más tardar el 3 de enero de 2021 — VENCIDO" in lejos


def test_cli_nueva_sesion_writes_once_and_says_the_last_day(tree):
    from click.testing import CliRunner

    from pipeline.cli import main

    args = ["--registros", str(tree), "nueva-sesion", "V-2020", "--fecha", "2020-12-01", "--hora", "10:00"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == [
        str(tree / "sesiones/V-2020.yaml"),
        "Último día para emitir la convocatoria: veintitrés de noviembre de dos mil veinte (23 de noviembre de 2020).",
    ]
    before = (tree / "sesiones/V-2020.yaml").read_bytes()
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1 and "ya existe el registro de la sesión V-2020" in again.output
    assert (tree / "sesiones/V-2020.yaml").read_bytes() == before
    calendario = CliRunner().invoke(main, ["--registros", str(tree), "calendario", "--anio", "2020"])
    assert calendario.exit_code == 0 and "Quinta Sesión Ordinaria (V-2020)" in calendario.output
