"""Stage 3, DOCX: the acta through docxtpl, read back with python-docx and converted by LibreOffice.

The DOCX must say what the `Documento` says (the same context as the PDF), keep record text as text, carry
the rubric on every page and «Página X de Y» as fields, and come from the committed template, which must be
what `templates/docx/plantillas.py` builds.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree
from pypdf import PdfReader

from builders import ROOT
from pipeline import render, render_docx, rules

SESION = "IV-2020"
FIRMANTES = [
    "Zulema Martínez Sánchez",
    "Javier Vargas Zempoaltecatl",
    "Daniel Rosemberg Cervantes Pérez",
    "Rafael Funes Díaz",
]
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
}


@pytest.fixture(scope="module")
def documento(registro_edomex) -> render.Documento:
    return render.acta(registro_edomex, rules.dictaminar(registro_edomex, SESION))


@pytest.fixture(scope="module")
def acta_docx(documento) -> bytes:
    return render_docx.docx(documento)


def abrir(data: bytes):
    return docx.Document(io.BytesIO(data))


def xpath(element, path: str) -> list:
    """lxml's XPath with the drawing namespaces (python-docx's own `xpath` knows only some prefixes)."""
    return etree.XPath(path, namespaces=NS)(element)


def flat(text: str) -> str:
    return " ".join(text.split())


# --- what the document says ---------------------------------------------------------------------------------


def _orden(lineas) -> list[str]:
    return [f"{n}.\t{linea}" for n, linea in enumerate(lineas, 1)]


def esperado(doc: render.Documento) -> list:
    """The body as the context says it, in order: paragraph texts, and tables as rows of cell texts."""
    body = [doc.apertura, *_orden(doc.orden_convocado)]
    for seccion in doc.secciones:
        if seccion.encabezado:
            body.append(seccion.encabezado)
        for n, b in enumerate(seccion.bloques):
            if b.tipo == "parrafo":
                body.append(f"{seccion.numero}. - {b.texto}" if n == 0 else b.texto)
            elif b.tipo == "lista":
                body += _orden(b.items)
            else:
                body += [[(b.folio, b.texto)], ""]  # the row, then the paragraph that keeps tables apart
    firmas = [f"{f.nombre.upper()}\n{f.denominacion.upper()}" for f in doc.firmantes]
    pares = [tuple(firmas[i : i + 2]) for i in range(0, len(firmas), 2)]
    if len(pares[-1]) == 1:
        pares[-1] += ("",)  # an odd last block leaves the right cell empty
    return [*body, doc.encabezado_firmas.upper(), pares, doc.pie]


def leido(document) -> list:
    """The body as python-docx reads it, in the shape of `esperado`."""
    body = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            body.append(item.text)
        else:
            assert isinstance(item, Table)
            body.append([tuple(cell.text.strip() for cell in row.cells) for row in item.rows])
    return body


def test_the_body_says_what_the_context_says(documento, acta_docx):
    """Every sentence, in order, and nothing else: no tag left, no stray empty paragraph."""
    document = abrir(acta_docx)
    assert leido(document) == esperado(documento)
    # Spot checks of the above, readable on their own.
    text = "\n".join(p.text for p in document.paragraphs)
    assert "IV. - En el desahogo del cuarto punto del orden del día" in text
    assert "8.\tClausura de la Sesión." in text and "7.\tClausura de la Sesión." in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    for n in range(1, 5):
        assert f"STL/IV/{n}/2020" in cells
    for nombre in FIRMANTES:
        assert any(nombre.upper() in c for c in cells)
    with zipfile.ZipFile(io.BytesIO(acta_docx)) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                assert not re.search(r"\{[{%#]|[}%#]\}", z.read(name).decode()), name


def test_page_header_footer_and_properties(documento, acta_docx):
    document = abrir(acta_docx)
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (12240, 15840)  # Letter
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(m.cm, 2) for m in margins] == [2.2, 2.2, 2.6, 4.4]

    # The rubric: a text box anchored in the (only, default) header, in the left margin, one name per row.
    header = section.header
    assert not header.is_linked_to_previous
    (anchor,) = xpath(header._element, ".//wp:anchor")
    assert xpath(anchor, "wp:positionH/@relativeFrom") == ["page"]
    x = int(xpath(anchor, "wp:positionH/wp:posOffset/text()")[0])
    width = int(xpath(anchor, "wp:extent/@cx")[0])
    assert x + width <= Cm(4.4)
    filas = ["".join(xpath(p, ".//w:t/text()")) for p in xpath(anchor, ".//wps:txbx/w:txbxContent/w:p")]
    assert [f for f in filas if f] == FIRMANTES

    footer = section.footer._element
    textos = ["".join(xpath(p, ".//w:t/text()")) for p in xpath(footer, "w:p")]
    assert textos[0] == documento.pie
    assert textos[1].startswith("Página ")
    campos = [i.strip() for i in xpath(footer, ".//w:fldSimple/@w:instr")]
    assert campos == ["PAGE", "NUMPAGES"]

    props = document.core_properties
    assert props.title == documento.titulo and props.author == documento.autor
    assert props.language == "es-MX"
    assert xpath(document.styles.element, "w:docDefaults//w:lang/@w:val") == ["es-MX"]


def test_record_text_stays_text(documento):
    """Markup, template syntax and ampersands from a record are printed as written, in every part."""
    raro = '<script>alert("x")</script> {{ 1 + 1 }} {% if true %}sí{% endif %} A & B'
    firmantes = (dataclasses.replace(documento.firmantes[0], nombre="Pérez & <b>Hijos</b> {{ x }}"),)
    doc = dataclasses.replace(
        documento, apertura=raro, titulo="Acta & <acta>", pie="Pie & {{ pie }}", firmantes=firmantes
    )
    document = abrir(render_docx.docx(doc))
    assert document.paragraphs[0].text == raro
    assert leido(document) == esperado(doc)
    header = document.sections[0].header._element
    assert "Pérez & <b>Hijos</b> {{ x }}" in xpath(header, ".//w:txbxContent//w:t/text()")
    footer = document.sections[0].footer._element
    assert "Pie & {{ pie }}" in xpath(footer, ".//w:t/text()")
    assert document.core_properties.title == "Acta & <acta>"


def test_rendering_is_imported_only_when_needed():
    """`stl validar` imports the render modules but must not pay for docxtpl."""
    code = "import sys, pipeline.render_docx; sys.exit('docxtpl' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


# --- as LibreOffice lays it out -----------------------------------------------------------------------------


def pdftotext(pdf: Path, page: int, area: str) -> str:
    """Text of one page cropped to the left margin (the rubric) or the foot, in points."""
    crops = {
        "margen": ["-x", "0", "-y", "0", "-W", "120", "-H", "792"],
        "pie": ["-x", "121", "-y", "720", "-W", "491", "-H", "72"],
    }
    args = ["pdftotext", "-f", str(page), "-l", str(page), *crops[area], str(pdf), "-"]
    return flat(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory):
    """Converts DOCX bytes to PDF with headless LibreOffice, in a profile of its own."""
    assert shutil.which("soffice"), "LibreOffice (soffice) is needed: make sistema"
    carpeta = tmp_path_factory.mktemp("libreoffice")
    perfil = (carpeta / "perfil").as_uri()

    def convert(data: bytes, name: str) -> Path:
        source = carpeta / f"{name}.docx"
        source.write_bytes(data)
        command = ["soffice", f"-env:UserInstallation={perfil}", "--headless", "--convert-to", "pdf"]
        subprocess.run(
            [*command, "--outdir", str(carpeta), str(source)], capture_output=True, check=True, timeout=180
        )
        return carpeta / f"{name}.pdf"

    return convert


def test_libreoffice_lays_out_rubric_and_page_numbers_on_every_page(documento, acta_docx, libreoffice):
    pdf = libreoffice(acta_docx, "acta")
    pages = len(PdfReader(pdf).pages)
    weasyprint = len(PdfReader(io.BytesIO(render.pdf(documento)[0])).pages)
    print(f"páginas: WeasyPrint {weasyprint}, LibreOffice {pages}")
    assert abs(pages - weasyprint) <= 1
    for n in range(1, pages + 1):
        margen = pdftotext(pdf, n, "margen")
        for nombre in FIRMANTES:
            assert nombre in margen, (n, margen)
        assert pdftotext(pdf, n, "pie") == f"{documento.pie} Página {n} de {pages}"


def test_eleven_signatories_fit_the_rubric_and_the_signature_grid(documento, libreoffice):
    """More than eight rows (narrow rows) and an odd last signature block."""
    nombres = [
        "Ana Cárdenas Íñiguez",
        "Beatriz Ochoa Ruvalcaba",
        "Carmen Zúñiga Pérez",
        "Dolores Ávila Tostado",
        "Elena Muñoz Aguirre",
        "Fernanda Lozano Gutiérrez",
        "Gabriela Ibáñez Chávez",
        "Hortensia Núñez Robles",
        "Isabel Quiñones Díaz",
        "Josefina Uribe Galindo",
        "María de los Ángeles Covarrubias Santibáñez",
    ]
    firmantes = tuple(render.Firmante(f"p{i}", n, "Representante") for i, n in enumerate(nombres))
    doc = dataclasses.replace(documento, firmantes=firmantes)
    data = render_docx.docx(doc)
    assert leido(abrir(data)) == esperado(doc)
    pdf = libreoffice(data, "once")
    pages = len(PdfReader(pdf).pages)
    for n in range(1, pages + 1):
        margen = pdftotext(pdf, n, "margen")
        for nombre in nombres:
            assert nombre in margen, (n, nombre, margen)


# --- the committed template ---------------------------------------------------------------------------------


def test_committed_template_is_what_plantillas_builds(tmp_path):
    """After editing plantillas.py, run it: `.venv/bin/python templates/docx/plantillas.py`."""
    spec = importlib.util.spec_from_file_location("plantillas", ROOT / "templates/docx/plantillas.py")
    plantillas = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plantillas)
    (built,) = plantillas.build(tmp_path)
    committed = ROOT / "templates/docx/acta.docx"
    with zipfile.ZipFile(built) as new, zipfile.ZipFile(committed) as old:
        parts = [n for n in new.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        assert len(parts) == 3
        for name in parts:
            assert new.read(name) == old.read(name), f"{name} differs: run templates/docx/plantillas.py"
