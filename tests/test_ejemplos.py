"""The three example STLs (records/ for the Estado de México, records-ejemplos/jalisco and records-ejemplos/zacatecas),
rendered as a reader gets them: no document speaks of a role its profile does not have."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from builders import ROOT
from pipeline import records
from pipeline.cli import main
from pipeline.models import Perfil

EJEMPLOS = {
    "edomex": (ROOT / "records", "IV-2020"),
    "jalisco": (ROOT / "records-ejemplos/jalisco", "I-2021"),
    "zacatecas": (ROOT / "records-ejemplos/zacatecas", "I-2021"),
}


def palabras_ajenas(perfil: Perfil) -> list[str]:
    """Role words (regular expressions) that a document under `perfil` must not contain, from the profile."""
    ajenas = [r"[Qq]uien preside la sesión"]  # only when the roster names nobody: never in an example
    if not perfil.con_facilitador:
        ajenas.append(r"Facilitador")  # «Facilitadora» too
    if perfil.quien_dirige != "preside" and perfil.empate["voto_de_calidad"] != "presidente":
        ajenas += [r"President[ae] del (STL|Secretariado)", r"Presidencia"]
    if perfil.empate["voto_de_calidad"] is None:
        ajenas.append(r"voto de calidad")
    if perfil.empate["voto_de_calidad"] != "sociedad_civil":
        ajenas.append(r"Representación de la Sociedad Civil")
    if perfil.documento == "minuta":
        ajenas.append(r"\b[Aa]cta\b(?! circunstanciada)")
    else:
        ajenas.append(r"\bMinuta\b")
    return ajenas


@pytest.fixture(scope="module", params=list(EJEMPLOS))
def documentos(request, tmp_path_factory) -> tuple[Perfil, dict[str, str]]:
    """Acta (PDF and DOCX), orden del día and convocatoria of the example session, as text."""
    origen, sesion = EJEMPLOS[request.param]
    tmp = tmp_path_factory.mktemp(request.param)
    shutil.copytree(origen, tmp / "registros")
    textos = {}
    for comando, nombre in (("acta", "acta"), ("orden", "orden-del-dia"), ("convocatoria", "convocatoria")):
        formato = "ambos" if comando == "acta" else "pdf"
        args = ["--registros", str(tmp / "registros"), "--salida", str(tmp / "salida"), comando, sesion]
        result = CliRunner().invoke(main, [*args, "--formato", formato])
        assert result.exit_code == 0, result.output
        pdf = tmp / "salida" / sesion / f"{nombre}-{sesion}.pdf"
        texto = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        textos[f"{comando}.pdf"] = " ".join(re.sub(r"-\n(\w)", r"\1", texto).split())
    acta_docx = docx.Document(str(tmp / "salida" / sesion / f"acta-{sesion}.docx"))
    textos["acta.docx"] = " ".join(" ".join(p.text.split()) for p in acta_docx.paragraphs)
    return records.load(tmp / "registros").perfil, textos


def sin_palabras_ajenas(perfil: Perfil, textos: dict[str, str]) -> None:
    """No text of `textos` (name → text) speaks of a role or a document the profile does not have."""
    for nombre, texto in textos.items():
        for patron in palabras_ajenas(perfil):
            encontrado = re.search(patron, texto)
            contexto = texto[max(0, encontrado.start() - 80) : encontrado.end() + 80] if encontrado else ""
            assert encontrado is None, f"{perfil.id}, {nombre}: «{patron}» en «…{contexto}…»"


def test_no_role_word_that_the_profile_does_not_have(documentos):
    perfil, textos = documentos
    sin_palabras_ajenas(perfil, textos)


def test_the_profiles_own_role_words_are_there(documentos):
    perfil, textos = documentos
    acta = textos["acta.pdf"]
    if perfil.quien_dirige == "facilitador":
        assert re.search(
            r"por parte de(l| la) Facilitadora? del Secretariado Técnico Local", textos["orden.pdf"]
        )
    if perfil.quien_dirige == "preside":
        assert "por parte de la Presidenta del Secretariado Técnico Local" in textos["orden.pdf"]
        assert "la Presidenta del STL procedió a recabar la votación" in acta
    nombre = "Minuta" if perfil.documento == "minuta" else "Acta"
    assert f"corresponde {'a la' if nombre == 'Minuta' else 'al'} {nombre} de la" in acta


def test_the_examples_wording(documentos):
    perfil, textos = documentos
    acta, oficio = textos["acta.pdf"], textos["convocatoria.pdf"]
    esperado = {
        "edomex": [
            "a la cual fueron convocados por el Facilitador C. Rafael Funes Díaz",
            "Toluca de Lerdo, Estado de México, a veintiséis de octubre de dos mil veinte",
            "con fundamento en el capítulo XI, numeral 1, y el capítulo VI, numeral 6, del Mecanismo",
        ],
        "jalisco": [
            "a la cual fueron convocados por la Presidenta del ITEI y del STL C. Ana Lucía Herrera Cortés",
            "se aprueba con el voto de calidad de la Presidencia, a cargo de la Presidenta del ITEI y del STL",
            "Guadalajara, Jalisco, a veintisiete de enero de dos mil veintiuno",
        ],
        "zacatecas": [
            "a la cual fueron convocados por la Comisionada Presidenta del IZAI C. Norma Elena Ríos Valdez",
            "Andrés Villagrana Pinedo, Secretario General de Acuerdos del Tribunal Superior de Justicia del Estado "
            "de Zacatecas, en suplencia de Tomás Ledesma Bañuelos",
            "levanta acta circunstanciada, firmando al margen y al calce de la presente minuta",
            "con fundamento en el artículo 11, fracción I, y el artículo 7, numeral 3, de los Lineamientos",
        ],
    }[perfil.id]
    for frase in esperado:
        assert frase.lower() in (acta + " " + oficio).lower(), frase


def test_every_example_validates_without_warnings():
    for origen, sesion in EJEMPLOS.values():
        result = CliRunner().invoke(main, ["--registros", str(origen), "validar", "--estricto", sesion])
        assert result.exit_code == 0, result.output


def test_examples_live_in_their_own_records_folders():
    for perfil in ("jalisco", "zacatecas"):
        carpeta = Path(ROOT / "records-ejemplos" / perfil)
        assert records.load(carpeta).perfil.id == perfil
