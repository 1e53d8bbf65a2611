"""Stage 3, DOCX: every document through docxtpl, read back with python-docx and converted by LibreOffice.

Each DOCX (acta, minuta, convocatoria with its annex, orden del día) must say what its context says (the same
context as the PDF), keep record text as text, carry «Página X de Y» as fields and, when signed, the rubric
on every page, lay out in about as many pages as its PDF, and come from the committed template, which must
be what `templates/docx/plantillas.py` builds.
"""

from __future__ import annotations

import dataclasses
import functools
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

from builders import FIRMANTES, NOMBRES, ROOT
from pipeline import render, render_docx, rules

SESION, FOLIO, REUNION = "IV-2020", "STL/004/2020", "RT-2020-11-24"
CLASES = ("acta", "minuta", "convocatoria", "orden", "fe_de_erratas")
RARO = '<script>alert("x")</script> {{ 1 + 1 }} {% if true %}sí{% endif %} A & B'
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
}


@pytest.fixture(scope="module")
def documento(registro_edomex) -> render.Documento:
    return render.acta(registro_edomex, rules.dictaminar(registro_edomex, SESION))


@pytest.fixture(scope="module")
def contextos(registro_edomex, documento) -> dict:
    """Each clase's context: the acta and orden del día of IV-2020, its convocatoria, the minuta."""
    sesion = registro_edomex.sesion(SESION)
    return {
        "acta": documento,
        "minuta": render.minuta(registro_edomex, registro_edomex.reunion(REUNION)),
        "convocatoria": render.convocatoria(registro_edomex, sesion, FOLIO),
        "orden": render.orden(registro_edomex, sesion),
        "fe_de_erratas": _fe_de_erratas(registro_edomex, sesion, documento),
    }


def _fe_de_erratas(registro, sesion, acta) -> render.FeDeErratas:
    """A fe de erratas of IV-2020 with two passages, one with markup characters a template must keep as text."""
    from pipeline import models

    lugar = models.Ubicacion("sesiones/IV-2020.yaml", 1)
    correcciones = (
        models.Correccion("IV", "solicitó exponer este eje", "pidió exponer este eje"),
        models.Correccion("encabezado", "Estado de México", "Estado de México <b>&amp; A & B</b>"),
    )
    fe = models.FeDeErratas(
        1, sesion.fecha, correcciones, lugar, motivo="Error de transcripción.", ccp=("Archivo del STL.",)
    )
    con_fe = dataclasses.replace(sesion, fe_de_erratas=(fe,))
    return render.fe_de_erratas(
        registro, con_fe, 1, acta, ("aprobada", "SHA-256 del texto aprobado: " + "ab" * 32)
    )


@pytest.fixture(scope="module")
def docxs(contextos) -> dict[str, bytes]:
    return {clase: render_docx.docx(x) for clase, x in contextos.items()}


@pytest.fixture(scope="module")
def acta_docx(docxs) -> bytes:
    return docxs["acta"]


def abrir(data: bytes):
    return docx.Document(io.BytesIO(data))


def xpath(element, path: str) -> list:
    """lxml's XPath with the drawing namespaces (python-docx's own `xpath` knows only some prefixes)."""
    return etree.XPath(path, namespaces=NS)(element)


def flat(text: str) -> str:
    return " ".join(text.split())


# --- what the document says ---------------------------------------------------------------------------------


def _orden(lineas, desde: int = 1) -> list[str]:
    return [f"{n}.\t{linea}" for n, linea in enumerate(lineas, desde)]


def _firmas(doc) -> list:
    """The signature page of the acta and the minuta: heading, blocks two by two, the «Esta hoja…» line."""
    firmas = [f"{f.nombre.upper()}\n{f.denominacion.upper()}" for f in doc.firmantes]
    pares = [tuple(firmas[i : i + 2]) for i in range(0, len(firmas), 2)]
    if len(pares[-1]) == 1:
        pares[-1] += ("",)  # an odd last block leaves the right cell empty
    # An empty paragraph ends the body's section: the signature page is a section of its own (its footer gives
    # only the page; the «Esta hoja…» line is said once, under the blocks).
    return ["", doc.encabezado_firmas.upper(), pares, doc.pie]


def _acta(doc: render.Documento) -> list:
    body = [doc.apertura, *_orden(doc.orden_convocado)]
    for seccion in doc.secciones:
        if seccion.encabezado:
            body.append(seccion.encabezado)
        for n, b in enumerate(seccion.bloques):
            if b.tipo in ("parrafo", "introduccion", "cierre", "rayas"):
                body.append(f"{seccion.numero}. - {b.texto}" if n == 0 else b.texto)
            elif b.tipo == "lista":
                body += _orden(b.items)
            else:
                body += [[(b.folio, b.texto)], ""]  # the row, then the paragraph that keeps tables apart
    return [*body, *_firmas(doc)]


def _minuta(doc: render.Minuta) -> list:
    body = [doc.encabezado.upper(), list(doc.datos), "Asistentes"]
    body += _orden(f"{a.nombre}, {a.denominacion}." for a in doc.asistentes)
    externos = (f"{a.nombre}, {a.denominacion} (participa con voz)." for a in doc.externos)
    body += _orden(externos, len(doc.asistentes) + 1)
    body.append("Temas tratados")
    for tema in doc.temas:
        body += [f"{tema.numero}. {b.texto}" if n == 0 else b.texto for n, b in enumerate(tema.bloques)]
    if doc.acuerdos:
        filas = [(str(a.numero), a.texto, a.responsable, a.fecha_limite) for a in doc.acuerdos]
        body += ["Acuerdos", [("Núm.", "Acuerdo", "Responsable", "Fecha límite"), *filas]]
    return [*body, *_firmas(doc)]


def _orden_del_dia(orden: render.OrdenDelDia) -> list:
    cuando = orden.cuando[:1].upper() + orden.cuando[1:]
    return ["ORDEN DEL DÍA", orden.sesion, f"{cuando}, {orden.donde}.", *_orden(orden.puntos)]


def _membrete(oficio: render.Oficio) -> list:
    """The letterhead table (logos are pictures: no text) and the year's legend, when the STL has them."""
    m = oficio.membrete
    if m is None:
        return []
    return [[("", "\n".join(m.lineas), "")], *([f"“{m.leyenda}”"] if m.leyenda else [])]


def _destinatarios(oficio: render.Oficio) -> list:
    """More than four in a table of one row and two columns, each cell a column, split where the context says (as
    the PDF splits them); otherwise one under the other."""
    if len(oficio.destinatarios) <= 4:
        return [f"C. {d.nombre}\n{d.denominacion}" for d in oficio.destinatarios]
    columnas = oficio.destinatarios_en_columnas
    celdas = (
        "\n".join(f"C. {d.nombre}\n{d.denominacion}" for d in lado)
        for lado in (columnas.izquierda, columnas.derecha)
    )
    return [[tuple(celdas)]]


def _convocatoria(oficio: render.Oficio) -> list:
    return [
        *_membrete(oficio),
        oficio.emisor,
        [("Oficio número:", oficio.folio), ("Asunto:", oficio.asunto)],
        f"{oficio.lugar_fecha}.",
        *_destinatarios(oficio),
        "P r e s e n t e s",
        *oficio.cuerpo,
        "A t e n t a m e n t e",
        "",  # the line to sign on
        f"{oficio.firma.nombre.upper()}\n{oficio.firma.denominacion.upper()}",
        *_copias(oficio),
        f"Anexo del oficio {oficio.folio}",
        *_orden_del_dia(oficio.anexo),
    ]


def _copias(doc) -> list:
    return [f"{'C.c.p.' if n == 0 else ''}\t{linea}" for n, linea in enumerate(doc.ccp)]


def _fe(doc: render.FeDeErratas) -> list:
    filas = [(e.seccion, f"«{e.dice}»", f"«{e.debe_decir}»") for e in doc.erratas]
    return [
        *_membrete(doc),
        doc.emisor,
        [("Asunto:", doc.asunto)],
        f"{doc.lugar_fecha}.",
        "Fe de erratas",
        *doc.cuerpo,
        doc.referencia,
        [("Sección", "Dice", "Debe decir"), *filas],
        *doc.cierre,
        "A t e n t a m e n t e",
        "",
        f"{doc.firma.nombre.upper()}\n{doc.firma.denominacion.upper()}",
        *_copias(doc),
    ]


def esperado(doc) -> list:
    """The body as the context says it, in order: paragraph texts, and tables as rows of cell texts."""
    por_clase = {
        "acta": _acta,
        "minuta": _minuta,
        "convocatoria": _convocatoria,
        "orden": _orden_del_dia,
        "fe_de_erratas": _fe,
    }
    return por_clase[doc.clase](doc)


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


def sin_etiquetas(data: bytes) -> None:
    """No Jinja tag is left in any part of the document."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                assert not re.search(r"\{[{%#]|[}%#]\}", z.read(name).decode()), name


@pytest.mark.parametrize("clase", CLASES)
def test_the_body_says_what_the_context_says(clase, contextos, docxs):
    """Every sentence, in order, and nothing else: no tag left, no stray empty paragraph."""
    assert leido(abrir(docxs[clase])) == esperado(contextos[clase])
    sin_etiquetas(docxs[clase])


def test_spot_checks_of_the_acta(acta_docx):
    """Spot checks of the above, readable on their own."""
    document = abrir(acta_docx)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "IV. - En el desahogo del cuarto punto del orden del día" in text
    assert "8.\tClausura de la Sesión." in text and "7.\tClausura de la Sesión." in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    for n in range(1, 5):
        assert f"STL/IV/{n}/2020" in cells
    for nombre in FIRMANTES:
        assert any(nombre.upper() in c for c in cells)


def test_spot_checks_of_the_oficio_and_the_minuta(docxs):
    oficio = abrir(docxs["convocatoria"])
    convocatoria = [p.text for p in oficio.paragraphs]
    destinatarios = [
        c.text.strip() for row in oficio.tables[2].rows for c in row.cells
    ]  # after letterhead, folio
    assert [c.split("\n")[::2] for c in destinatarios] == [  # the columns come out about as tall
        ["C. Zulema Martínez Sánchez", "C. Javier Vargas Zempoaltecatl"],
        [
            "C. Daniel Rosemberg Cervantes Pérez",
            "C. Luis Gustavo Parra Noriega",
            "C. José Guadalupe Luna Hernández",
        ],
    ]
    assert "RAFAEL FUNES DÍAZ\nFACILITADOR DEL SECRETARIADO TÉCNICO LOCAL" in convocatoria
    anexo = convocatoria.index("Anexo del oficio STL/004/2020")
    assert convocatoria[anexo + 1 : anexo + 3] == [
        "ORDEN DEL DÍA",
        "Cuarta Sesión Ordinaria del Secretariado Técnico Local de Gobierno Abierto del Estado de México",
    ]
    assert convocatoria[-1] == "8.\tClausura de la Sesión."
    assert [p.text for p in abrir(docxs["orden"]).paragraphs] == convocatoria[anexo + 1 :]

    minuta = abrir(docxs["minuta"])
    text = [p.text for p in minuta.paragraphs]
    assert "I. Balance a un año de la instalación del Secretariado Técnico Local" in text
    assert "4.\tRafael Funes Díaz, Facilitador del Secretariado Técnico Local." in text
    datos, acuerdos, _ = minuta.tables
    assert datos.rows[0].cells[0].text == "Fecha"
    assert [c.text for c in acuerdos.rows[1].cells][2:] == [
        "Daniel Rosemberg Cervantes Pérez",
        "29 de enero de 2021",
    ]


def test_the_minuta_numbers_guests_after_members_and_skips_absent_acuerdos(contextos):
    minuta = contextos["minuta"]
    invitada = render.Firmante("", "Laura Gómez Rivas", "Investigadora invitada")
    doc = dataclasses.replace(minuta, externos=(invitada,), acuerdos=())
    body = leido(abrir(render_docx.docx(doc)))
    assert body == esperado(doc)
    assert "5.\tLaura Gómez Rivas, Investigadora invitada (participa con voz)." in body
    assert "Acuerdos" not in body


@pytest.mark.parametrize("clase", CLASES)
def test_page_header_footer_and_properties(clase, contextos, docxs):
    contexto, document = contextos[clase], abrir(docxs[clase])
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (12240, 15840)  # Letter
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    firmado = clase in {"acta", "minuta"}
    assert [round(m.cm, 2) for m in margins] == [2.2, 2.2, 2.6, 4.4 if firmado else 2.6]

    if firmado:
        # The rubric: a text box anchored in the (only, default) header, in the left margin, one name a row.
        header = section.header
        assert not header.is_linked_to_previous
        (anchor,) = xpath(header._element, ".//wp:anchor")
        assert xpath(anchor, "wp:positionH/@relativeFrom") == ["page"]
        x = int(xpath(anchor, "wp:positionH/wp:posOffset/text()")[0])
        width = int(xpath(anchor, "wp:extent/@cx")[0])
        assert x + width <= Cm(4.4)
        filas = ["".join(xpath(p, ".//w:t/text()")) for p in xpath(anchor, ".//wps:txbx/w:txbxContent/w:p")]
        assert [f for f in filas if f] == [f.nombre for f in contexto.firmantes] == list(FIRMANTES)
    else:
        assert section.header.is_linked_to_previous  # oficios carry no rubric: no header at all

    footer = section.footer._element
    textos = ["".join(xpath(p, ".//w:t/text()")) for p in xpath(footer, "w:p")]
    assert textos[0] == contexto.pie
    assert textos[1].startswith("Página ")
    campos = [i.strip() for i in xpath(footer, ".//w:fldSimple/@w:instr")]
    assert campos == ["PAGE", "NUMPAGES"]

    props = document.core_properties
    assert props.title == contexto.titulo and props.author == contexto.autor
    assert props.language == "es-MX"
    assert xpath(document.styles.element, "w:docDefaults//w:lang/@w:val") == ["es-MX"]


def test_record_text_stays_text(documento):
    """Markup, template syntax and ampersands from a record are printed as written, in every part."""
    firmantes = (dataclasses.replace(documento.firmantes[0], nombre="Pérez & <b>Hijos</b> {{ x }}"),)
    doc = dataclasses.replace(
        documento, apertura=RARO, titulo="Acta & <acta>", pie="Pie & {{ pie }}", firmantes=firmantes
    )
    document = abrir(render_docx.docx(doc))
    assert document.paragraphs[0].text == RARO
    assert leido(document) == esperado(doc)
    header = document.sections[0].header._element
    assert "Pérez & <b>Hijos</b> {{ x }}" in xpath(header, ".//w:txbxContent//w:t/text()")
    footer = document.sections[0].footer._element
    assert "Pie & {{ pie }}" in xpath(footer, ".//w:t/text()")
    assert document.core_properties.title == "Acta & <acta>"


def _raro(x):
    """`x` with record text full of markup and template syntax in its body, names, footer and title."""
    firmante = render.Firmante("raro", RARO, RARO)
    comunes = {"pie": f"Pie {RARO}", "titulo": f"Título {RARO}"}
    if x.clase == "orden":
        return dataclasses.replace(x, sesion=RARO, cuando=RARO, donde=RARO, puntos=(RARO,), **comunes)
    if x.clase == "convocatoria":
        anexo = _raro(x.anexo)
        return dataclasses.replace(
            x,
            folio=RARO,
            asunto=RARO,
            destinatarios=(firmante,),
            cuerpo=(RARO,),
            firma=firmante,
            anexo=anexo,
            **comunes,
        )
    acuerdo = render.FilaAcuerdo(1, RARO, RARO, RARO)
    tema = render.Seccion("I", (render.Bloque("parrafo", RARO), render.Bloque("parrafo", RARO)), RARO)
    return dataclasses.replace(
        x,
        encabezado=RARO,
        datos=((RARO, RARO),),
        asistentes=(firmante,),
        externos=(firmante,),
        temas=(tema,),
        acuerdos=(acuerdo,),
        firmantes=(firmante,),
        encabezado_firmas=RARO,
        **comunes,
    )


@pytest.mark.parametrize("clase", ["minuta", "convocatoria", "orden"])
def test_record_text_stays_text_in_every_document(clase, contextos):
    """The same for every field of the other documents, in the body, the rubric, the footer and the title."""
    doc = _raro(contextos[clase])
    document = abrir(render_docx.docx(doc))
    assert leido(document) == esperado(doc)
    assert sum(RARO in p.text for p in document.paragraphs) >= 2
    footer = document.sections[0].footer._element
    assert f"Pie {RARO}" in xpath(footer, ".//w:t/text()")
    if clase == "minuta":
        assert RARO in xpath(document.sections[0].header._element, ".//w:txbxContent//w:t/text()")
    assert document.core_properties.title == f"Título {RARO}"


def test_rendering_is_imported_only_when_needed():
    """`stl validar` imports the render modules but must not pay for docxtpl."""
    code = "import sys, pipeline.render_docx; sys.exit('docxtpl' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


# --- as LibreOffice lays it out -----------------------------------------------------------------------------


def pdftotext(pdf: Path, page: int, area: str) -> str:
    """Text of one page, whole or cropped to the left margin (the rubric) or the foot, in points."""
    crops = {
        "todo": [],
        "margen": ["-x", "0", "-y", "0", "-W", "120", "-H", "792"],
        "pie": ["-x", "0", "-y", "720", "-W", "612", "-H", "72"],
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


@pytest.fixture(scope="module")
def convertido(docxs, libreoffice):
    """Each document converted by LibreOffice once per module, when a test first asks for it."""
    return functools.cache(lambda clase: libreoffice(docxs[clase], clase))


@pytest.mark.parametrize("clase", CLASES)
def test_libreoffice_lays_out_every_page_like_the_pdf(clase, contextos, convertido):
    """As many pages as WeasyPrint's; «Página N de M» at every foot, the rubric in every margin; the signature
    page of the acta and the minuta says «Esta hoja corresponde…» once, under the blocks, not in its foot."""
    contexto, pdf = contextos[clase], convertido(clase)
    pages = len(PdfReader(pdf).pages)
    weasyprint = len(PdfReader(io.BytesIO(render.pdf(contexto)[0])).pages)
    print(f"{clase}: páginas WeasyPrint {weasyprint}, LibreOffice {pages}")
    assert pages == weasyprint
    firmantes = [f.nombre for f in getattr(contexto, "firmantes", ())]
    for n in range(1, pages + 1):
        margen = pdftotext(pdf, n, "margen")
        for nombre in firmantes:
            assert nombre in margen, (n, margen)
        leyenda = "" if firmantes and n == pages else f"{contexto.pie} "
        assert pdftotext(pdf, n, "pie") == f"{leyenda}Página {n} de {pages}"
    if firmantes:
        assert pdftotext(pdf, pages, "todo").count("Esta hoja corresponde") == 1


def test_the_convocatoria_annex_starts_a_page(contextos, convertido):
    """The annex is the orden del día on a page of its own, as in the PDF, after the oficio's last page: the body,
    the signature and the copies on one page (the letterhead may take the body to a second one)."""
    pdf = convertido("convocatoria")
    paginas = [pdftotext(pdf, n, "todo") for n in range(1, len(PdfReader(pdf).pages) + 1)]
    assert (
        "Con fundamento en" in paginas[0]
    )  # the body starts on the oficio's first page, after the addressees
    anexo = next(n for n, texto in enumerate(paginas) if texto.startswith(f"Anexo del oficio {FOLIO}"))
    assert paginas[anexo].startswith(f"Anexo del oficio {FOLIO} ORDEN DEL DÍA {contextos['orden'].sesion}")
    cierre = paginas[anexo - 1]
    assert "me permito convocarles" in cierre and "RAFAEL FUNES DÍAZ" in cierre
    assert all(linea in cierre for linea in contextos["convocatoria"].ccp)


def test_eleven_signatories_fit_the_rubric_and_the_signature_grid(documento, libreoffice):
    """More than eight rows (narrow rows) and an odd last signature block."""
    nombres = NOMBRES[1:]
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


# --- the committed templates --------------------------------------------------------------------------------


def test_committed_templates_are_what_plantillas_builds(tmp_path):
    """After editing plantillas.py, run it: `.venv/bin/python templates/docx/plantillas.py`."""
    spec = importlib.util.spec_from_file_location("plantillas", ROOT / "templates/docx/plantillas.py")
    plantillas = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plantillas)
    built = plantillas.build(tmp_path)
    assert sorted(p.name for p in built) == sorted(f"{clase}.docx" for clase in CLASES)
    for path in built:
        committed = ROOT / "templates/docx" / path.name
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(committed) as old:
            parts = [
                n
                for n in new.namelist()
                if re.fullmatch(r"word/(document|styles|header\d*|footer\d*)\.xml", n)
            ]
            assert len(parts) == (5 if path.stem in {"acta", "minuta"} else 3), path.name  # 2 footers: firmas
            for name in parts:
                assert new.read(name) == old.read(name), f"{path.name}: {name} differs: run plantillas.py"
