"""Convocatoria oficios, their folio registry and the orden del día."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import ROOT
from pipeline import records
from pipeline.cli import main

V_2020 = (ROOT / "tests/data/valid/V-2020.yaml").read_text("utf-8")


def stl(root: Path, *args: str):
    return CliRunner().invoke(
        main, ["--registros", str(root), "--salida", str(root.parent / "salida"), *args]
    )


def text_of(pdf: Path) -> str:
    return " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_iv_2020_reprints_its_folio_without_consuming_one(tree):
    before = digest(tree / "folios.yaml")
    result = stl(tree, "convocatoria", "IV-2020")
    assert result.exit_code == 0, result.output
    assert "Folio STL/004/2020" in result.output
    assert digest(tree / "folios.yaml") == before
    text = text_of(tree.parent / "salida/IV-2020/convocatoria-IV-2020.pdf")
    assert "Oficio número: STL/004/2020" in text
    assert "Estado de México, a veintiséis de octubre de dos mil veinte." in text
    assert "me permito convocarles a la Cuarta Sesión Ordinaria" in text
    assert (
        "el martes tres de noviembre de dos mil veinte, a las trece horas, a través de la Plataforma virtual Zoom"
        in text
    )
    assert (
        "C. Luis Gustavo Parra Noriega" in text
    )  # invitados are convened in the Estado de México (000 IV-VII)
    assert "RAFAEL FUNES DÍAZ" in text
    assert "Anexo del oficio STL/004/2020" in text and "ORDEN DEL DÍA" in text
    assert (
        "5. Presentación, discusión y en su caso, aprobación del Compromiso Proactivo a cargo del IEEM;"
        in text
    )


def test_a_new_session_takes_the_next_folio_once(tree):
    (tree / "sesiones/V-2020.yaml").write_text(V_2020.replace("  folio: STL/005/2020\n", ""), "utf-8")
    assert records.load(tree).sesion("V-2020").convocatoria.folio is None
    first = stl(tree, "convocatoria", "V-2020")
    assert first.exit_code == 0, first.output
    assert "Folio STL/005/2020" in first.output
    registro = records.load(tree)
    assert [f.folio for f in registro.folios] == ["STL/004/2020", "STL/005/2020"]
    assert registro.sesion("V-2020").convocatoria.folio == "STL/005/2020"
    entry = registro.folios[-1]
    assert (entry.sesion, entry.fecha.isoformat(), entry.asunto) == (
        "V-2020",
        "2020-11-20",
        "Convocatoria a la Quinta Sesión Ordinaria",
    )
    registry = (tree / "folios.yaml").read_text("utf-8")
    assert (
        registry.startswith("# yaml-language-server") and "STL/001/2020 a STL/003/2020" in registry
    )  # comments kept
    again = stl(tree, "convocatoria", "V-2020")
    assert again.exit_code == 0 and "Folio STL/005/2020" in again.output
    assert (tree / "folios.yaml").read_text("utf-8") == registry


def test_a_late_convocatoria_is_refused_and_consumes_nothing(tree):
    late = V_2020.replace("  folio: STL/005/2020\n", "").replace('fecha: "2020-11-20"', 'fecha: "2020-11-26"')
    (tree / "sesiones/V-2020.yaml").write_text(late, "utf-8")
    before = digest(tree / "folios.yaml")
    result = stl(tree, "convocatoria", "V-2020")
    assert result.exit_code == 1
    assert (
        "sesiones/V-2020.yaml:12 [convocatoria.fecha]: la convocatoria de fecha 26 de noviembre de 2020 para la sesión "
        "del 1 de diciembre de 2020 da 2 días hábiles de anticipación y el perfil exige 5 (000, Cap. VI.6)"
    ) in result.output
    assert "No se emitió el oficio ni se usó folio." in result.output
    assert digest(tree / "folios.yaml") == before
    assert not (tree.parent / "salida").exists()


def test_a_convocatoria_dated_before_the_last_folio_is_refused_and_consumes_nothing(tree):
    """Emitted after an oficio of a later date, its folio would break the registry's date order and with it every
    later command: refused before anything is written."""
    (tree / "sesiones/V-2020.yaml").write_text(
        V_2020.replace("  folio: STL/005/2020\n", "").replace('fecha: "2020-11-20"', 'fecha: "2020-10-23"'),
        "utf-8",
    )
    before = digest(tree / "folios.yaml")
    result = stl(tree, "convocatoria", "V-2020")
    assert result.exit_code == 1
    assert (
        "sesiones/V-2020.yaml:12 [convocatoria.fecha]: la convocatoria lleva fecha 23 de octubre de 2020, anterior a "
        "la del último oficio del registro de folios (STL/004/2020, del 26 de octubre de 2020)"
    ) in result.output
    assert "no se emitió el oficio ni se usó folio" in result.output
    assert digest(tree / "folios.yaml") == before
    assert not (tree.parent / "salida").exists()
    records.load(tree)


def test_a_folio_written_by_hand_out_of_sequence_is_refused(tree):
    (tree / "sesiones/V-2020.yaml").write_text(V_2020.replace("STL/005/2020", "STL/009/2020"), "utf-8")
    result = stl(tree, "convocatoria", "V-2020")
    assert result.exit_code == 1
    assert (
        "el folio STL/009/2020 escrito en el registro de la sesión no está en el registro de folios"
        in result.output
    )
    assert "sigue STL/005/2020" in result.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "  - folio: STL/006/2020",
            "el folio STL/006/2020 salta la numeración: tras STL/004/2020 sigue STL/005/2020",
        ),
        (
            "  - folio: STL/004/2020",
            "el folio STL/004/2020 repite la numeración: tras STL/004/2020 sigue STL/005/2020",
        ),
    ],
)
def test_the_registry_never_skips_nor_repeats(tree, extra, message):
    entry = f'{extra}\n    fecha: "2020-11-20"\n    destinatario: Integrantes\n    asunto: Otro oficio\n'
    with (tree / "folios.yaml").open("a", encoding="utf-8") as handle:
        handle.write(entry)
    with pytest.raises(records.RecordsError) as info:
        records.load(tree)
    assert [str(p) for p in info.value.problemas] == [f"folios.yaml:11 [folios[1].folio]: {message}"]


def test_orden_del_dia_document(tree):
    result = stl(tree, "orden", "IV-2020")
    assert result.exit_code == 0, result.output
    text = text_of(tree.parent / "salida/IV-2020/orden-del-dia-IV-2020.pdf")
    assert (
        "ORDEN DEL DÍA Cuarta Sesión Ordinaria del Secretariado Técnico Local de Gobierno Abierto del Estado de México"
        in text
    )
    assert (
        "Martes tres de noviembre de dos mil veinte, a las trece horas, a través de la Plataforma virtual Zoom."
        in text
    )
    assert "8. Clausura de la Sesión." in text


# --- the oficio's wording and layout (issue 15) ---------------------------------------------------------------


def pages_of(pdf: Path) -> list[str]:
    """The text of each page, flattened."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize(
    ("ejemplo", "fundamento"),
    [
        (
            "zacatecas",
            "Con fundamento en el artículo 11, fracción I, y el artículo 7, numeral 3, de los Lineamientos del "
            "Secretariado Técnico Local de Gobierno Abierto del Estado de Zacatecas, me permito convocarles",
        ),
        (
            "jalisco",
            "Con fundamento en el apartado VII, numeral 8, y el apartado V, numeral 6, del Mecanismo de Gobernanza "
            "del Secretariado Técnico Local de Gobierno Abierto en Jalisco, me permito convocarles",
        ),
    ],
)
def test_the_legal_basis_is_in_full_words(ejemplo, fundamento):
    from pipeline import render

    registro = records.load(ROOT / "records-ejemplos" / ejemplo)
    oficio = render.convocatoria(registro, registro.sesion("I-2021"), "STL/001/2021")
    assert oficio.cuerpo[0].startswith(fundamento)
    assert "Art." not in oficio.cuerpo[0] and "fracc." not in oficio.cuerpo[0]


def test_place_of_issue_convened_hour_and_addressees_without_the_convener(tree):
    from pipeline import render

    texto = V_2020.replace("  convoca: funes\n", '  convoca: funes\n  hora: "10:30"\n')
    (tree / "sesiones/V-2020.yaml").write_text(texto, "utf-8")
    registro = records.load(tree)
    oficio = render.convocatoria(registro, registro.sesion("V-2020"), "STL/005/2020")
    assert oficio.lugar_fecha == "Toluca de Lerdo, Estado de México, a veinte de noviembre de dos mil veinte"
    assert (
        "que se celebrará el martes primero de diciembre de dos mil veinte, a las diez horas con treinta minutos"
        in (oficio.cuerpo[0])
    )
    assert oficio.anexo.cuando.endswith("a las diez horas con treinta minutos")
    # without a convened hour, the opening
    registro = records.load(ROOT / "records")
    oficio = render.convocatoria(registro, registro.sesion("IV-2020"), "STL/004/2020")
    assert "a las trece horas" in oficio.cuerpo[0]
    jalisco = records.load(ROOT / "records-ejemplos/jalisco")
    oficio = render.convocatoria(jalisco, jalisco.sesion("I-2021"), "STL/001/2021")
    assert "garante" not in [d.id for d in oficio.destinatarios] and oficio.firma.id == "garante"
    assert len(oficio.destinatarios) == 9


def test_atentamente_and_the_signature_never_fall_alone_on_a_page(tmp_path):
    """Nine addressees pushed the closing alone to the second page: they go in two columns, and the body, the
    closing and the signature stay together."""
    root = tmp_path / "jalisco"
    import shutil

    shutil.copytree(ROOT / "records-ejemplos/jalisco", root)
    result = stl(root, "convocatoria", "I-2021", "--formato", "pdf")
    assert result.exit_code == 0, result.output
    pages = pages_of(tmp_path / "salida/I-2021/convocatoria-I-2021.pdf")
    [cierre] = [p for p in pages if "Atentamente" in p]
    assert "Sin otro particular" in cierre and "ANA LUCÍA HERRERA CORTÉS" in cierre
    assert "Con fundamento en" in cierre  # the whole body goes with its closing
    assert pages.index(cierre) == 0 and "Anexo del oficio" in pages[1]


def test_validar_without_folio_and_one_business_day(tree):
    texto = V_2020.replace("  folio: STL/005/2020\n", "").replace(
        '  fecha: "2020-11-20"', '  fecha: "2020-11-27"'
    )
    (tree / "sesiones/V-2020.yaml").write_text(texto, "utf-8")
    result = stl(tree, "validar", "V-2020")
    assert "None" not in result.output, result.output
    assert (
        "Convocatoria (aún sin folio: lo asigna «stl convocatoria») del 27 de noviembre de 2020"
        in result.output
    )
    assert "  1 día hábil de anticipación (se requieren 5)" in result.output
    assert "1 días" not in result.output


def test_help_shows_no_english_words_of_click():
    for comando in ("nueva-sesion", "nueva-reunion", "vista-previa", "firmar"):
        result = CliRunner().invoke(main, [comando, "--ayuda"], prog_name="stl")
        assert result.exit_code == 0, result.output
        for palabra in (r"\[required\]", r"\bTEXT\b", r"\bINTEGER\b", r"\bdefault:"):
            assert not re.search(palabra, result.output), (comando, palabra)
    assert "[obligatoria]" in CliRunner().invoke(main, ["nueva-reunion", "--ayuda"]).output
    errata = CliRunner().invoke(main, ["--estricto", "validar", "IV-2020"])
    assert "Did you mean" not in errata.output and "¿Quiso decir" in errata.output, errata.output
