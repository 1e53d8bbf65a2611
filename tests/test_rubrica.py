"""The rubric in the margin holds every signatory's name on every page, never one name over another: 9, 20, 40
and 60 signatories with names as long as real ones, rendered, and checked from the PDF's own text positions
(poppler's `pdftotext -bbox-layout`: each line of text and each word with its box)."""

from __future__ import annotations

import collections
import itertools
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_render import _persona, _sesion, _stl, _tree

from pipeline import records, render, rubrica, rules
from pipeline.errors import StlError

NOMBRES = (
    "María de los Ángeles",
    "José Guadalupe",
    "Juan Carlos",
    "Ana Sofía",
    "Francisco Javier",
    "Guadalupe",
)
APELLIDOS = (
    "Covarrubias Santibáñez",
    "Hernández Zempoaltecatl",
    "Villaseñor Ortiz de Montellano",
    "Íñiguez Quiñones",
    "Rodríguez Xicoténcatl",
    "Gutiérrez de Velasco Arriaga",
    "Pérez",
    "Núñez Chávez",
    "Ruiz",
    "Aguirre Berlanga",
)


def nombres(n: int) -> list[str]:
    """`n` different names, most as long as Mexican names get (two given names, two compound surnames)."""
    todos = [f"{nombre} {apellido}" for apellido, nombre in itertools.product(APELLIDOS, NOMBRES)]
    return todos[:n]


def _acta(tmp: Path, n: int) -> Path:
    """The acta of a session where `n` members sign: n − 1 titulares (one of civil society) and the
    Facilitadora."""
    personas = [
        _persona(f"p{i}", nombre, "sociedad_civil" if i == 0 else "ente_publico")
        for i, nombre in enumerate(nombres(n - 1))
    ]
    personas.append(_persona("facilitadora", "Lucía Arredondo Peña", "sociedad_civil", "facilitador"))
    orden = [
        {"tipo": "quorum"},
        {"tipo": "orden_del_dia", "acuerdos": [{"votacion": "unanimidad"}]},
        {"tipo": "clausura"},
    ]
    root = _tree(tmp, _stl(personas), "I-2021", _sesion([p["id"] for p in personas], orden))
    registro = records.load(root)
    data, _ = render.pdf(render.acta(registro, rules.dictaminar(registro, "I-2021")))
    path = tmp / f"acta-{n}.pdf"
    path.write_bytes(data)
    return path


def _palabras(pdf: Path) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Per page, every word and its box in points (x from the left, y from the top)."""
    salida = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    raiz = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", salida))
    xhtml = "{http://www.w3.org/1999/xhtml}"
    return [
        [
            (p.text, tuple(float(p.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for p in pagina.iter(f"{xhtml}word")
        ]
        for pagina in raiz.iter(f"{xhtml}page")
    ]


def _se_enciman(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.parametrize("n", [9, 20, 40, 60])
def test_the_rubric_holds_every_name_on_every_page_without_overlap(tmp_path, n):
    """No two words of a page overlap (a name over another, or over the text); the words in the margin are,
    on every page, exactly the words of every signatory's name, none clipped, none missing."""
    pdf = _acta(tmp_path, n)
    esperados = [*nombres(n - 1), "Lucía Arredondo Peña"]
    margen = rubrica.disposicion(esperados).margen * 72 / 2.54  # where the text of the page begins
    palabras_de_nombres = collections.Counter(p for nombre in esperados for p in nombre.split())
    paginas = _palabras(pdf)
    assert len(paginas) > 1
    for numero, palabras in enumerate(paginas, start=1):
        cajas = sorted((caja for _, caja in palabras), key=lambda c: c[1])
        for i, a in enumerate(cajas):
            for b in itertools.takewhile(lambda c, a=a: c[1] < a[3], cajas[i + 1 :]):
                assert not _se_enciman(a, b), (numero, a, b)
        en_margen = collections.Counter(t for t, c in palabras if c[2] <= margen + 1 and c[1] < 716)
        assert en_margen == palabras_de_nombres, (
            numero,
            en_margen - palabras_de_nombres,
            palabras_de_nombres - en_margen,
        )


def test_the_layout_changes_only_as_much_as_the_names_need():
    def forma(n: int) -> tuple:
        d = rubrica.disposicion([*nombres(n - 1), "Lucía Arredondo Peña"])
        return d.margen, d.columnas, d.tamano

    assert forma(9) == forma(20) == (4.4, 1, 6.5)  # as the acta always was
    assert forma(40)[1] == 2 and forma(60)[1] == 3
    assert forma(40)[0] <= forma(60)[0] <= rubrica.MARGENES[-1]


def test_names_no_layout_holds_are_refused_saying_so():
    with pytest.raises(StlError) as exc:
        rubrica.disposicion(["María de los Ángeles Covarrubias Santibáñez"] * 150)
    mensaje = str(exc.value)
    assert "la rúbrica no cabe en el margen: los nombres de 150 firmantes" in mensaje
    assert "no se genera con nombres encimados" in mensaje
