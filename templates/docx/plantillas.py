"""Builds the DOCX templates (docxtpl) in this folder: `acta.docx`, `minuta.docx`, `convocatoria.docx`,
`orden.docx` and `fe_de_erratas.docx`, one per `clase` of the contexts of `pipeline/render.py`.

Why this script exists: the committed templates are what people may restyle in Word (their paragraph
styles carry every font, size and spacing), and this script documents how they are made and regenerates
them. Each writes the same page as its twin in `templates/pdf/` (Letter, Liberation Serif 11 pt, justified;
margins 2.2, 2.2 and 2.6 cm, and on the left 4.4 cm for the rubric of the signed documents, acta and minuta,
or 2.6 cm for the oficios, convocatoria and orden del día, which carry none) from the same `doc` context,
and writes it deterministically: fixed core properties and zip timestamps, so running it again gives the
same files and a diff of a template means a change of the template.

Run it from the project root after editing it: `.venv/bin/python templates/docx/plantillas.py`.

Every template has the same styles, page setup and footer («doc.pie», «Página X de Y»); the signed ones
also share the rubric text box and the signature page, and the convocatoria's annex is the orden del día
block of `orden.docx`. What python-docx has no API for is written as raw OOXML: the rubric text box in the
header, the PAGE and NUMPAGES fields of the footer, paragraph and table borders, cell margins and shading,
rows that do not split or that repeat, letter spacing, the language and font defaults. Jinja only ever
sits in text, never in an attribute, so each template stays a document Word opens. `{%p …%}` and
`{%tr …%}` lines are whole paragraphs and table rows that docxtpl removes on rendering; they use the
«Etiqueta» style so they stand out when a template is edited.
"""

from __future__ import annotations

import io
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor, Twips

AQUI = Path(__file__).resolve().parent

FUENTE = "Liberation Serif"
IDIOMA = "es-MX"

# The page, as in templates/pdf/base.css (@page) and oficio.css (its narrower left margin).
ANCHO, ALTO = Twips(12240), Twips(15840)  # Letter, 8.5 × 11 in
MARGEN_SUP, MARGEN_DER, MARGEN_INF, MARGEN_IZQ = Cm(2.2), Cm(2.2), Cm(2.6), Cm(4.4)
MARGEN_IZQ_OFICIO = Cm(2.6)
TEXTO = ANCHO - MARGEN_IZQ - MARGEN_DER  # width of the body of the acta and the minuta, 14.99 cm
TEXTO_OFICIO = ANCHO - MARGEN_IZQ_OFICIO - MARGEN_DER  # of the oficios, 16.79 cm

# The rubric box: in the left margin, as tall as the body (23 cm, less a little), 3.6 cm wide like the PDF's
# @left-top box. Rows are a space to initial and the name under a line: 2.4 cm each while up to eight fit,
# 20.5 cm / 12 when there are more, so that twelve always fit (templates/pdf/_rubrica.html does the same).
RUBRICA_X, RUBRICA_Y = Emu(216000), MARGEN_SUP + Emu(72000)  # 0.6 cm from the edge, 0.2 cm below the margin
RUBRICA_ANCHO, RUBRICA_ALTO = Emu(1296000), Emu(8244000)  # 3.6 × 22.9 cm
NOMBRE_RUBRICA = Cm(0.62)  # the name under the line, up to two lines of 6.5 pt
FILA_AMPLIA, FILA_ESTRECHA = Cm(2.4), Cm(20.5 / 12)
FIRMANTES_AMPLIOS = 8  # 8 × 2.4 cm ≤ 20.5 cm

EMU_POR_TWIP = 635
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"

# Liberation Serif's own line height, in ems (ascent, descent and gap), which Word and LibreOffice multiply for a
# «multiple» line spacing; CSS's line-height multiplies the font size. `_css(1.35)` is line-height: 1.35, so that
# the DOCX breaks pages where the PDF does.
ALTO_PROPIO = 1.145


def _css(line_height: float) -> float:
    return round(line_height / ALTO_PROPIO, 3)


CENTRO, IZQUIERDA, DERECHA = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
EXACTO = WD_LINE_SPACING.EXACTLY
CERO = Pt(0)


# --- styles -------------------------------------------------------------------------------------------------


def _defaults(doc) -> None:
    """Font, size and language of every run: Liberation Serif 11 pt, es-MX, instead of the theme's."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    rpr.append(
        parse_xml(
            f'<w:rFonts {nsdecls("w")} w:ascii="{FUENTE}" w:hAnsi="{FUENTE}" w:eastAsia="{FUENTE}" w:cs="{FUENTE}"/>'
        )
    )
    rpr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="22"/>'))
    rpr.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="22"/>'))
    rpr.append(
        parse_xml(f'<w:lang {nsdecls("w")} w:val="{IDIOMA}" w:eastAsia="{IDIOMA}" w:bidi="{IDIOMA}"/>')
    )
    ppr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    ppr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:after="0" w:line="240" w:lineRule="auto"/>'))


def _borde(style, lado: str, grosor_octavos: int, espacio_pt: int = 0) -> None:
    """A paragraph border (python-docx has no API for them): the rubric and signature lines."""
    borde = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:{lado} w:val="single" w:sz="{grosor_octavos}" '
        f'w:space="{espacio_pt}" w:color="000000"/></w:pBdr>'
    )
    # Schema order: before whatever python-docx may already have written after it.
    style.element.get_or_add_pPr().insert_element_before(
        borde, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"
    )


def _espaciado(style, twips: int) -> None:
    """Letter spacing (CSS letter-spacing), which python-docx has no API for either."""
    style.element.get_or_add_rPr().insert_element_before(
        parse_xml(f'<w:spacing {nsdecls("w")} w:val="{twips}"/>'), "w:w", "w:kern", "w:position", "w:sz"
    )


def _id(nombre: str) -> str:
    """The style id Word would give: «Orden del día» → «OrdenDelDia»."""
    ascii_ = unicodedata.normalize("NFKD", nombre).encode("ascii", "ignore").decode()
    return "".join(palabra[:1].upper() + palabra[1:] for palabra in ascii_.split())


def _estilo(doc, nombre: str, base: str = "Normal", **formato):
    """A paragraph style: the place where whoever restyles a template in Word changes the look.

    `formato` holds python-docx font (size, bold, italic, color) and paragraph-format attributes, plus
    `borde` (side, eighths of a point, points of space), `tab` (a tab stop) and `letras` (letter spacing).
    """
    style = doc.styles.add_style(nombre, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), _id(nombre))
    style.base_style = doc.styles[base]
    style.quick_style = True
    for key, value in formato.items():
        if key == "color":
            style.font.color.rgb = value
        elif key in {"size", "bold", "italic"}:
            setattr(style.font, key, value)
        elif key == "borde":
            _borde(style, *value)
        elif key == "tab":
            style.paragraph_format.tab_stops.add_tab_stop(value)
        elif key == "letras":
            _espaciado(style, value)
        else:
            setattr(style.paragraph_format, key, value)
    return style


def _estilos(doc) -> None:
    """Every paragraph style of every template, so that each looks like the others where they agree.

    One style a line, like a stylesheet (hence no formatter here); the comments name the PDF's CSS rule.
    """
    _defaults(doc)
    fmt = doc.styles["Normal"].paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.space_after = Pt(6.05)  # p: 0.55 em
    fmt.line_spacing = _css(1.35)
    fmt.widow_control = True
    sangria_firma = Emu((TEXTO_OFICIO - Cm(7)) // 2)  # the oficio's line to sign on is 7 cm wide
    # fmt: off
    # ol.orden: the number hangs in a 1.6 em indent. h2, and the heading of the signature page. h1 of the minuta
    # and, letter-spaced, of the orden del día.
    _estilo(doc, "Orden del día", space_after=Pt(2.2), left_indent=Pt(17.6), first_line_indent=Pt(-17.6), tab=Pt(17.6))
    _estilo(doc, "Encabezado de punto", bold=True, alignment=CENTRO, space_before=Pt(8.8), space_after=Pt(5.5), keep_with_next=True)
    _estilo(doc, "Título de firmas", base="Encabezado de punto")  # its own section starts a new page
    _estilo(doc, "Título", bold=True, size=Pt(12), alignment=CENTRO, space_after=Pt(9.6), keep_with_next=True)
    _estilo(doc, "Título del orden", base="Título", size=Pt(13), space_after=Pt(7.8), letras=13)
    _estilo(doc, "Centrado", alignment=CENTRO)

    # The acta's acuerdos: folio | text. Between two acuerdo tables a paragraph is needed (Word joins adjacent
    # tables); it is the 0.9 em below each table in the PDF.
    _estilo(doc, "Acuerdo folio", bold=True, alignment=CENTRO, space_after=CERO)
    _estilo(doc, "Acuerdo texto", space_after=CERO)
    _estilo(doc, "Tras acuerdo", space_after=CERO, line_spacing=Pt(9.9), line_spacing_rule=EXACTO)
    # An acuerdo's introduction goes with its box (p.introduccion); the closing paragraph is never split (p.cierre)
    # and a line of dashes closes the text before the signature page (p.rayas).
    _estilo(doc, "Introducción de acuerdo", keep_with_next=True)
    _estilo(doc, "Cierre", keep_together=True, keep_with_next=True)
    _estilo(doc, "Rayas", alignment=IZQUIERDA, space_after=CERO, widow_control=False)
    # The minuta's tables: datos (label | value) and acuerdos (10 pt, a shaded header row).
    _estilo(doc, "Dato de minuta", bold=True, alignment=IZQUIERDA, space_after=CERO)
    _estilo(doc, "Valor de minuta", space_after=CERO)
    _estilo(doc, "Celda", size=Pt(10), alignment=IZQUIERDA, space_after=CERO)
    _estilo(doc, "Celda de encabezado", base="Celda", bold=True)

    # The oficio: emisor, «Oficio número | Asunto» to the right, place and date, addressees, signature, annex.
    _estilo(doc, "Emisor", bold=True, size=Pt(12), alignment=CENTRO, space_after=Pt(14.4))
    _estilo(doc, "Dato del oficio", bold=True, size=Pt(10.5), alignment=DERECHA, space_after=CERO)
    _estilo(doc, "Valor del oficio", size=Pt(10.5), alignment=IZQUIERDA, space_after=CERO)
    _estilo(doc, "Lugar y fecha", alignment=DERECHA, space_before=Pt(8.8), space_after=Pt(15.4))
    _estilo(doc, "Destinatario", size=Pt(10.5), alignment=IZQUIERDA, space_after=Pt(3.7))
    _estilo(doc, "Presentes", base="Destinatario", bold=True, space_before=Pt(6.3), space_after=Pt(12.6))
    # The body, «Atentamente», the signature and the copies stay on one page (.cierre of oficio.css): never a
    # signature or a «C.c.p.» alone.
    _estilo(doc, "Cuerpo del oficio", keep_with_next=True)
    _estilo(doc, "Atentamente", alignment=CENTRO, space_before=Cm(1.6), keep_with_next=True)
    _estilo(doc, "Línea de firma", line_spacing=Cm(1.6), line_spacing_rule=EXACTO, space_after=Pt(4), left_indent=sangria_firma, right_indent=sangria_firma, keep_with_next=True, borde=("bottom", 6))
    _estilo(doc, "Firma del oficio", alignment=CENTRO, keep_with_next=True)  # with the copies, if any
    _estilo(doc, "Anexo", italic=True, alignment=CENTRO, page_break_before=True, keep_with_next=True)
    # The letterhead (templates/pdf/_membrete.html): logos at the sides, the lines centred, the year's legend; the
    # copies (_ccp.html) after the signature, «C.c.p.» hanging before the first.
    _estilo(doc, "Logos a la izquierda", alignment=IZQUIERDA, space_after=CERO, line_spacing=1.0)
    _estilo(doc, "Logos a la derecha", alignment=DERECHA, space_after=CERO, line_spacing=1.0)
    _estilo(doc, "Línea del membrete", size=Pt(9.5), alignment=CENTRO, space_after=CERO, line_spacing=_css(1.25))
    _estilo(doc, "Primera línea del membrete", base="Línea del membrete", size=Pt(10.5), bold=True)
    _estilo(doc, "Leyenda del año", size=Pt(9), italic=True, alignment=CENTRO, space_before=Cm(0.2), space_after=Pt(4))
    _estilo(doc, "Copia", size=Pt(8), alignment=IZQUIERDA, space_after=CERO, line_spacing=_css(1.25), left_indent=Cm(1.2), first_line_indent=Cm(-1.2), tab=Cm(1.2))
    _estilo(doc, "Primera copia", base="Copia", space_before=Cm(0.9))

    # A row of the rubric is an empty paragraph as tall as the room to initial, then the name under a 0.6 pt
    # line 1 pt above it. Two paragraphs, not one with space before: Word and LibreOffice draw a single top
    # border over a run of consecutive paragraphs with the same border, so each bordered name needs a
    # borderless neighbour.
    for nombre, fila in (("Rúbrica espacio", FILA_AMPLIA), ("Rúbrica espacio estrecho", FILA_ESTRECHA)):
        _estilo(doc, nombre, size=Pt(6.5), space_after=CERO, line_spacing=Emu(fila - NOMBRE_RUBRICA), line_spacing_rule=EXACTO, widow_control=False)
    _estilo(doc, "Rúbrica", size=Pt(6.5), alignment=CENTRO, space_after=CERO, line_spacing=1.1, left_indent=Cm(0.2), right_indent=Cm(0.2), widow_control=False, borde=("top", 5, 1))
    _estilo(doc, "Pie", size=Pt(7.5), color=RGBColor(0x22, 0x22, 0x22), alignment=CENTRO, space_after=CERO, line_spacing=_css(1.3))

    # Signature blocks: an empty area for the stamp of the digital signature, the line, name and denominación.
    # No «keep with next» in the blocks: a row whose every paragraph has it is kept with the next row (Word and
    # LibreOffice), and a table of such rows moves whole to the next page; the rows do not split (cantSplit).
    _estilo(doc, "Sello de firma", size=Pt(9), space_after=Pt(3), line_spacing=Cm(2.6), line_spacing_rule=EXACTO, borde=("bottom", 6))
    _estilo(doc, "Firma nombre", size=Pt(9), bold=True, alignment=CENTRO, space_after=CERO)
    _estilo(doc, "Firma cargo", size=Pt(9), alignment=CENTRO, space_after=CERO)
    _estilo(doc, "Párrafo mínimo", size=Pt(1), space_after=CERO, line_spacing=Pt(1), line_spacing_rule=EXACTO)
    _estilo(doc, "Constancia", size=Pt(9), space_before=Cm(0.6))
    _estilo(doc, "Etiqueta", size=Pt(8), color=RGBColor(0x80, 0x80, 0x80), alignment=IZQUIERDA, space_after=CERO, line_spacing=1.0)
    # fmt: on


# --- raw OOXML pieces ---------------------------------------------------------------------------------------


def _p(texto: str, estilo: str) -> str:
    run = f'<w:r><w:t xml:space="preserve">{escape(texto)}</w:t></w:r>' if texto else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{estilo}"/></w:pPr>{run}</w:p>'


def _rubrica() -> str:
    """The rubric: a text box anchored in the header, so that it is on every page, in the left margin.

    A DrawingML text box (`wps:wsp` in `wp:anchor`) positioned against the page; Word and LibreOffice both
    repeat header objects on every page. One row per signatory, wide or narrow by how many sign.
    """
    filas = "".join(
        [
            _p("{%p for f in doc.firmantes %}", "Etiqueta"),
            _p(f"{{%p if loop.length > {FIRMANTES_AMPLIOS} %}}", "Etiqueta"),
            _p("", "RubricaEspacioEstrecho"),
            _p("{%p else %}", "Etiqueta"),
            _p("", "RubricaEspacio"),
            _p("{%p endif %}", "Etiqueta"),
            _p("{{ f.nombre }}", "Rubrica"),
            _p("{%p endfor %}", "Etiqueta"),
            _p("", "ParrafoMinimo"),  # a text box must hold a paragraph, whatever the loop gives
        ]
    )
    x, y, cx, cy = (int(v) for v in (RUBRICA_X, RUBRICA_Y, RUBRICA_ANCHO, RUBRICA_ALTO))
    return (
        f'<w:r {nsdecls("w", "wp")} xmlns:wps="{WPS}"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" '
        'behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        "<wp:wrapNone/>"
        '<wp:docPr id="1" name="Rúbrica" descr="Rúbrica al margen de quienes firman el documento"/>'
        "<wp:cNvGraphicFramePr/>"
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{filas}</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" '
        'anchorCtr="0" upright="1"><a:noAutofit/></wps:bodyPr>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )


def _campo(instruccion: str) -> str:
    """A Word field (PAGE, NUMPAGES): Word and LibreOffice put the number; the "1" is only its last value."""
    return (
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instruccion} "><w:r><w:rPr><w:noProof/></w:rPr>'
        "<w:t>1</w:t></w:r></w:fldSimple>"
    )


def _tabla(doc, anchos, bordes: bool, margen_celda: tuple[int, ...], alineacion=WD_TABLE_ALIGNMENT.CENTER):
    """A fixed-layout table of the given column widths and no rows yet; borders and cell margins (twips,
    CSS-like: vertical and horizontal, or top, right, bottom and left) are raw tblPr."""
    table = doc.add_table(rows=0, cols=len(anchos))
    table.alignment = alineacion
    table.autofit = False  # w:tblLayout fixed: the widths below are kept
    tblpr = table._tbl.tblPr
    ancho = tblpr.find(qn("w:tblW"))
    ancho.set(qn("w:w"), str(sum(round(a / EMU_POR_TWIP) for a in anchos)))
    ancho.set(qn("w:type"), "dxa")
    linea = 'w:val="single" w:sz="6" w:space="0" w:color="000000"' if bordes else 'w:val="nil"'
    lados = "".join(
        f"<w:{lado} {linea}/>" for lado in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    arriba, derecha, abajo, izquierda = margen_celda * 2 if len(margen_celda) == 2 else margen_celda
    margenes = "".join(
        f'<w:{lado} w:w="{medida}" w:type="dxa"/>'
        for lado, medida in (("top", arriba), ("left", izquierda), ("bottom", abajo), ("right", derecha))
    )
    siguientes = ("w:tblLook", "w:tblCaption", "w:tblDescription")  # what follows them in CT_TblPr
    tblpr.insert_element_before(
        parse_xml(f"<w:tblBorders {nsdecls('w')}>{lados}</w:tblBorders>"), "w:shd", "w:tblLayout", *siguientes
    )
    tblpr.insert_element_before(
        parse_xml(f"<w:tblCellMar {nsdecls('w')}>{margenes}</w:tblCellMar>"), *siguientes
    )
    for column, ancho in zip(table.columns, anchos, strict=True):
        column.width = ancho
    return table


_PROPIEDADES_DE_FILA = (
    "w:cantSplit",
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
)  # schema order


def _fila(table, *propiedades: str):
    """A new row of `table`, with the named row properties: `cantSplit` (CSS page-break-inside: avoid, the
    row is not split across pages), `tblHeader` (the row repeats at the top of every page, like <thead>)."""
    row = table.add_row()
    trpr = row._tr.get_or_add_trPr()
    for nombre in propiedades:
        siguientes = _PROPIEDADES_DE_FILA[_PROPIEDADES_DE_FILA.index(f"w:{nombre}") + 1 :]
        trpr.insert_element_before(parse_xml(f"<w:{nombre} {nsdecls('w')}/>"), *siguientes)
    return row


def _celda(cell, *parrafos: tuple[str, str]) -> None:
    """Fills a cell with (text, style) paragraphs; the cell's own empty paragraph becomes the first one."""
    first, *rest = parrafos
    cell.paragraphs[0].style = first[1]
    if first[0]:
        cell.paragraphs[0].add_run(first[0])
    for texto, estilo in rest:
        cell.add_paragraph(texto, style=estilo)


def _filas_por(table, bucle: str):
    """`{%tr for <bucle> %}`, the row it repeats (given back, to fill) and `{%tr endfor %}`."""
    for etiqueta in (f"{{%tr for {bucle} %}}", None, "{%tr endfor %}"):
        row = _fila(table, "cantSplit")
        if etiqueta is None:
            repetida = row
            continue
        _celda(row.cells[0], (etiqueta, "Etiqueta"))
        for cell in row.cells[1:]:
            _celda(cell, ("", "Etiqueta"))
    return repetida


# --- pieces of more than one template -----------------------------------------------------------------------


def _etiqueta(doc, etiqueta: str) -> None:
    doc.add_paragraph(etiqueta, style="Etiqueta")


def _lista(doc, bucle: str, texto: str, numero: str = "{{ loop.index }}") -> None:
    """A numbered list, one line per item of `{%p for <bucle> %}`: each list starts at 1, as each <ol> of
    the PDF does, unless `numero` says otherwise."""
    _etiqueta(doc, f"{{%p for {bucle} %}}")
    linea = doc.add_paragraph(style="Orden del día")
    linea.add_run(f"{numero}.")
    linea.add_run().add_tab()
    linea.add_run(texto)
    _etiqueta(doc, "{%p endfor %}")


def _primero_en_negrita(doc, negrita: str, resto: str, estilo: str = "Normal") -> None:
    """A paragraph of a `{%p for %}` loop that, the first time, opens with `negrita` in bold; `resto` closes
    the `{% if loop.first %}` and says the rest."""
    parrafo = doc.add_paragraph(style=estilo)
    parrafo.add_run("{% if loop.first %}")
    parrafo.add_run(negrita).bold = True
    parrafo.add_run(resto)


def _nombre_y_cargo(doc, estilo: str, nombre: str, cargo: str, parrafo=None) -> None:
    """The name in bold and, on the next line, the denominación: an addressee, the oficio's signatory; in a new
    paragraph of `doc` or in `parrafo`."""
    if parrafo is None:
        parrafo = doc.add_paragraph(style=estilo)
    parrafo.style = estilo
    parrafo.add_run(nombre).bold = True
    parrafo.add_run().add_break()
    parrafo.add_run(cargo)


def _membrete(doc) -> None:
    """The letterhead of templates/pdf/_membrete.html, first in the body of every oficio: the first logo to the
    left, the others to the right (pictures that `render_docx` inserts through `imagen`), the institution's lines
    between them, the legend of the oficio's year under them. Nothing without `doc.membrete`."""
    _etiqueta(doc, "{%p if doc.membrete %}")
    lado = Cm(4.6)
    membrete = _tabla(doc, [lado, TEXTO_OFICIO - 2 * lado, lado], bordes=False, margen_celda=(0, 0))
    row = _fila(membrete, "cantSplit")
    for cell in row.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    logos = "{% for l in doc.membrete.LADO %}{{ imagen(l) }}{% endfor %}"
    _celda(row.cells[0], (logos.replace("LADO", "izquierda"), "Logos a la izquierda"))
    _celda(
        row.cells[1],
        ("{%p for linea in doc.membrete.lineas %}", "Etiqueta"),
        ("{%p if loop.first %}", "Etiqueta"),
        ("{{ linea }}", "Primera línea del membrete"),
        ("{%p else %}", "Etiqueta"),
        ("{{ linea }}", "Línea del membrete"),
        ("{%p endif %}", "Etiqueta"),
        ("{%p endfor %}", "Etiqueta"),
        ("", "Párrafo mínimo"),  # a cell must end with a paragraph, however many lines the loop gives
    )
    _celda(row.cells[2], (logos.replace("LADO", "derecha"), "Logos a la derecha"))
    _etiqueta(doc, "{%p if doc.membrete.leyenda %}")
    doc.add_paragraph("“{{ doc.membrete.leyenda }}”", style="Leyenda del año")
    _etiqueta(doc, "{%p endif %}")
    _etiqueta(doc, "{%p endif %}")


def _copias(doc) -> None:
    """The copies of templates/pdf/_ccp.html, after the oficio's signature: «C.c.p.» and a line per copy."""
    _etiqueta(doc, "{%p for linea in doc.ccp %}")
    _etiqueta(doc, "{%p if loop.first %}")
    primera = doc.add_paragraph("C.c.p.", style="Primera copia")
    primera.add_run().add_tab()
    primera.add_run("{{ linea }}")
    _etiqueta(doc, "{%p else %}")
    doc.add_paragraph("\t{{ linea }}", style="Copia")
    _etiqueta(doc, "{%p endif %}")
    _etiqueta(doc, "{%p endfor %}")


def _orden_del_dia(doc, orden: str) -> None:
    """The orden del día block of templates/pdf/_orden.html: its own document (`orden` is `doc`) and the
    convocatoria's annex (`doc.anexo`)."""
    doc.add_paragraph("ORDEN DEL DÍA", style="Título del orden")
    sesion = doc.add_paragraph(style="Centrado")
    sesion.add_run(f"{{{{ {orden}.sesion }}}}").bold = True
    sesion.paragraph_format.keep_with_next = True
    # «cuando» with a capital, as the PDF's capitalize_first filter writes it.
    doc.add_paragraph(
        f"{{{{ {orden}.cuando[:1] | upper }}}}{{{{ {orden}.cuando[1:] }}}}, {{{{ {orden}.donde }}}}.",
        style="Centrado",
    )
    _lista(doc, f"linea in {orden}.puntos", "{{ linea }}")


def _firmas(doc) -> None:
    """The signature page, a section of its own: its footer gives only the page (the «Esta hoja…» sentence is
    said once, under the blocks); heading in capitals, signature blocks two by two, the sentence."""
    doc.add_section(WD_SECTION.NEW_PAGE)
    doc.paragraphs[-1].style = "Párrafo mínimo"  # python-docx closes the section in a new empty paragraph
    footer = doc.sections[-1].footer
    footer.is_linked_to_previous = False
    _numero_de_pagina(footer.paragraphs[0])
    doc.add_paragraph("{{ doc.encabezado_firmas | upper }}", style="Título de firmas")
    columna = TEXTO // 2
    firmas = _tabla(doc, [columna, TEXTO - columna], bordes=False, margen_celda=(0, 170))
    row = _filas_por(firmas, "par in doc.firmantes | batch(2)")
    row.height = Cm(5.1)  # the 4.6 cm block and the 0.5 cm below it
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    _celda(
        row.cells[0],
        ("", "Sello de firma"),
        ("{{ par[0].nombre | upper }}", "Firma nombre"),
        ("{{ par[0].denominacion | upper }}", "Firma cargo"),
    )
    _celda(
        row.cells[1],
        ("{%p if par | length > 1 %}", "Etiqueta"),
        ("", "Sello de firma"),
        ("{{ par[1].nombre | upper }}", "Firma nombre"),
        ("{{ par[1].denominacion | upper }}", "Firma cargo"),
        ("{%p endif %}", "Etiqueta"),
        ("", "Párrafo mínimo"),  # a cell must end with a paragraph when an odd last block leaves it empty
    )
    doc.add_paragraph("{{ doc.pie }}", style="Constancia")


# --- the body of each template ------------------------------------------------------------------------------


def _acta(doc) -> None:
    """The body, in the order of templates/pdf/acta.html."""
    doc.add_paragraph("{{ doc.apertura }}", style="Normal")
    _lista(doc, "linea in doc.orden_convocado", "{{ linea }}")

    _etiqueta(doc, "{%p for seccion in doc.secciones %}")
    _etiqueta(doc, "{%p if seccion.encabezado %}")
    doc.add_paragraph("{{ seccion.encabezado }}", style="Encabezado de punto")
    _etiqueta(doc, "{%p endif %}")
    _etiqueta(doc, "{%p for b in seccion.bloques %}")
    # The section number opens the section's first paragraph, in bold: "IV. - En el desahogo…"
    for tipo, estilo in (
        ("parrafo", "Normal"),
        ("introduccion", "Introducción de acuerdo"),
        ("cierre", "Cierre"),
    ):
        _etiqueta(doc, f'{{%p {"if" if tipo == "parrafo" else "elif"} b.tipo == "{tipo}" %}}')
        _primero_en_negrita(doc, "{{ seccion.numero }}. -", " {% endif %}{{ b.texto }}", estilo)
    _etiqueta(doc, '{%p elif b.tipo == "rayas" %}')
    doc.add_paragraph("{{ b.texto }}", style="Rayas")
    _etiqueta(doc, '{%p elif b.tipo == "lista" %}')
    _lista(doc, "linea in b.items", "{{ linea }}")
    _etiqueta(doc, "{%p else %}")
    # An acuerdo: folio | text, bordered, never split across pages.
    folio = Cm(3.4)
    acuerdo = _tabla(doc, [folio, TEXTO - folio], bordes=True, margen_celda=(80, 120))
    row = _fila(acuerdo, "cantSplit")
    _celda(row.cells[0], ("{{ b.folio }}", "Acuerdo folio"))
    _celda(row.cells[1], ("{{ b.texto }}", "Acuerdo texto"))
    doc.add_paragraph(style="Tras acuerdo")
    _etiqueta(doc, "{%p endif %}")
    _etiqueta(doc, "{%p endfor %}")
    _etiqueta(doc, "{%p endfor %}")

    _firmas(doc)


def _minuta(doc) -> None:
    """The body, in the order of templates/pdf/minuta.html."""
    doc.add_paragraph("{{ doc.encabezado | upper }}", style="Título")
    etiqueta = Cm(2.8)
    datos = _tabla(doc, [etiqueta, TEXTO - etiqueta], bordes=False, margen_celda=(20, 120, 20, 0))
    row = _filas_por(datos, "etiqueta, valor in doc.datos")
    _celda(row.cells[0], ("{{ etiqueta }}", "Dato de minuta"))
    _celda(row.cells[1], ("{{ valor }}", "Valor de minuta"))

    doc.add_paragraph("Asistentes", style="Encabezado de punto")
    _lista(doc, "a in doc.asistentes", "{{ a.nombre }}, {{ a.denominacion }}.")
    # Who takes part without being a member: the numbers go on after the members'.
    numero = "{{ loop.index + doc.asistentes | length }}"
    _lista(doc, "a in doc.externos", "{{ a.nombre }}, {{ a.denominacion }} (participa con voz).", numero)

    doc.add_paragraph("Temas tratados", style="Encabezado de punto")
    _etiqueta(doc, "{%p for tema in doc.temas %}")
    _etiqueta(doc, "{%p for b in tema.bloques %}")
    # The first block is the topic itself, numbered and in bold: "I. Balance a un año…"
    _primero_en_negrita(doc, "{{ tema.numero }}. {{ b.texto }}", "{% else %}{{ b.texto }}{% endif %}")
    _etiqueta(doc, "{%p endfor %}")
    _etiqueta(doc, "{%p endfor %}")

    _etiqueta(doc, "{%p if doc.acuerdos %}")
    doc.add_paragraph("Acuerdos", style="Encabezado de punto")
    anchos = [Cm(1.3), Cm(7.5), Cm(3.6)]
    acuerdos = _tabla(doc, [*anchos, TEXTO - sum(anchos)], bordes=True, margen_celda=(60, 100))
    encabezado = _fila(acuerdos, "cantSplit", "tblHeader")
    for cell, titulo in zip(
        encabezado.cells, ("Núm.", "Acuerdo", "Responsable", "Fecha límite"), strict=True
    ):
        _celda(cell, (titulo, "Celda de encabezado"))
        cell._tc.get_or_add_tcPr().append(
            parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="EEEEEE"/>')
        )
    row = _filas_por(acuerdos, "a in doc.acuerdos")
    for cell, campo in zip(row.cells, ("numero", "texto", "responsable", "fecha_limite"), strict=True):
        _celda(cell, (f"{{{{ a.{campo} }}}}", "Celda"))
    _etiqueta(doc, "{%p endif %}")

    _firmas(doc)


def _cabeza_oficio(doc, datos: tuple[tuple[str, str], ...]) -> None:
    """The head of every oficio: letterhead, issuer, «Oficio número / Asunto» to the right, place and date."""
    _membrete(doc)
    doc.add_paragraph("{{ doc.emisor }}", style="Emisor")
    etiqueta = Cm(2.9)
    tabla = _tabla(
        doc,
        [etiqueta, Cm(7.6)],
        bordes=False,
        margen_celda=(0, 120, 0, 0),
        alineacion=WD_TABLE_ALIGNMENT.RIGHT,
    )
    for titulo, valor in datos:
        row = _fila(tabla)
        _celda(row.cells[0], (titulo, "Dato del oficio"))
        _celda(row.cells[1], (valor, "Valor del oficio"))
    doc.add_paragraph("{{ doc.lugar_fecha }}.", style="Lugar y fecha")


def _firma_oficio(doc) -> None:
    """«Atentamente», the line to sign on (the signature field goes there), name and cargo, the copies."""
    doc.add_paragraph("A t e n t a m e n t e", style="Atentamente")
    doc.add_paragraph(style="Línea de firma")
    _nombre_y_cargo(
        doc, "Firma del oficio", "{{ doc.firma.nombre | upper }}", "{{ doc.firma.denominacion | upper }}"
    )
    _copias(doc)


def _cuerpo(doc, parrafos: str) -> None:
    """The body of an oficio: it starts on the page it follows; its last paragraph stays with «Atentamente», the
    signature and the copies (.cierre of oficio.css)."""
    _etiqueta(doc, f"{{%p for parrafo in {parrafos} %}}")
    _etiqueta(doc, "{%p if loop.last %}")
    doc.add_paragraph("{{ parrafo }}", style="Cuerpo del oficio")
    _etiqueta(doc, "{%p else %}")
    doc.add_paragraph("{{ parrafo }}", style="Normal")
    _etiqueta(doc, "{%p endif %}")
    _etiqueta(doc, "{%p endfor %}")


def _convocatoria(doc) -> None:
    """The oficio and its annex, in the order of templates/pdf/convocatoria.html."""
    _cabeza_oficio(doc, (("Oficio número:", "{{ doc.folio }}"), ("Asunto:", "{{ doc.asunto }}")))

    # More than four addressees go in two columns (table.columnas of convocatoria.html): one row, each cell a column,
    # split where the context says (`Oficio.destinatarios_en_columnas`), so that both formats break alike.
    _etiqueta(doc, "{%p if doc.destinatarios | length > 4 %}")
    mitad = TEXTO_OFICIO // 2
    columnas = _tabla(doc, [mitad, TEXTO_OFICIO - mitad], bordes=False, margen_celda=(0, 227, 0, 0))
    row = _fila(columnas, "cantSplit")
    for cell, lado in zip(row.cells, ("izquierda", "derecha"), strict=True):
        _celda(cell, (f"{{%p for d in doc.destinatarios_en_columnas.{lado} %}}", "Etiqueta"))
        _nombre_y_cargo(
            doc, "Destinatario", "C. {{ d.nombre }}", "{{ d.denominacion }}", cell.add_paragraph()
        )
        cell.add_paragraph("{%p endfor %}", style="Etiqueta")
        cell.add_paragraph(style="Párrafo mínimo")  # a cell must end with a paragraph
    _etiqueta(doc, "{%p else %}")
    _etiqueta(doc, "{%p for d in doc.destinatarios %}")
    _nombre_y_cargo(doc, "Destinatario", "C. {{ d.nombre }}", "{{ d.denominacion }}")
    _etiqueta(doc, "{%p endfor %}")
    _etiqueta(doc, "{%p endif %}")
    doc.add_paragraph("P r e s e n t e s", style="Presentes")

    _cuerpo(doc, "doc.cuerpo")
    _firma_oficio(doc)

    doc.add_paragraph("Anexo del oficio {{ doc.folio }}", style="Anexo")  # on a page of its own
    _orden_del_dia(doc, "doc.anexo")


def _fe_de_erratas(doc) -> None:
    """templates/pdf/fe_de_erratas.html: the oficio's head, the cited acta, the passages and the signature."""
    _cabeza_oficio(doc, (("Asunto:", "{{ doc.asunto }}"),))
    doc.add_paragraph("Fe de erratas", style="Título")
    _etiqueta(doc, "{%p for parrafo in doc.cuerpo %}")
    doc.add_paragraph("{{ parrafo }}", style="Normal")
    _etiqueta(doc, "{%p endfor %}")
    doc.add_paragraph("{{ doc.referencia }}", style="Celda")
    anchos = [Cm(3.6), Cm(6.6)]
    erratas = _tabla(doc, [*anchos, TEXTO_OFICIO - sum(anchos)], bordes=True, margen_celda=(60, 100))
    encabezado = _fila(erratas, "cantSplit", "tblHeader")
    for cell, titulo in zip(encabezado.cells, ("Sección", "Dice", "Debe decir"), strict=True):
        _celda(cell, (titulo, "Celda de encabezado"))
    row = _filas_por(erratas, "e in doc.erratas")
    for cell, campo in zip(
        row.cells, ("{{ e.seccion }}", "«{{ e.dice }}»", "«{{ e.debe_decir }}»"), strict=True
    ):
        _celda(cell, (campo, "Celda"))
    _cuerpo(doc, "doc.cierre")
    _firma_oficio(doc)


def _orden(doc) -> None:
    """templates/pdf/orden.html: the orden del día block alone."""
    _orden_del_dia(doc, "doc")


# --- the page and the file ----------------------------------------------------------------------------------


def _pagina(doc, margen_izq, rubrica: bool) -> None:
    """Letter, the PDF's margins; the rubric in the header if the document is signed, and «doc.pie /
    Página X de Y» in the footer."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = ANCHO, ALTO
    section.top_margin, section.right_margin = MARGEN_SUP, MARGEN_DER
    section.bottom_margin, section.left_margin = MARGEN_INF, margen_izq
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.2)
    section.gutter = Twips(0)

    if rubrica:
        header = section.header
        header.is_linked_to_previous = False
        ancla = header.paragraphs[0]
        ancla.style = "Párrafo mínimo"  # the anchor paragraph takes no room in the header
        ancla._p.append(parse_xml(_rubrica()))

    footer = section.footer
    footer.is_linked_to_previous = False
    pie = footer.paragraphs[0]
    pie.style = "Pie"
    pie.add_run("{{ doc.pie }}")
    _numero_de_pagina(footer.add_paragraph())


def _numero_de_pagina(pagina) -> None:
    """«Página X de Y» with Word fields, in the «Pie» style."""
    pagina.style = "Pie"
    pagina.add_run("Página ")
    pagina._p.append(parse_xml(_campo("PAGE")))
    pagina.add_run(" de ")
    pagina._p.append(parse_xml(_campo("NUMPAGES")))


def _ajustes(doc) -> None:
    """Settings: Word 2013+ layout (not compatibility mode) and the document's language."""
    settings = doc.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    for lang in settings.iter(qn("w:themeFontLang")):
        lang.set(qn("w:val"), IDIOMA)
    # Leftovers of python-docx's own default document that would contradict this one.
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rid]


def _propiedades(doc) -> None:
    """Fixed core properties: no dates (Word adds them when someone saves); title and author are each
    document's, set when rendering (`render_docx`)."""
    props = doc.core_properties
    props.title = props.subject = props.author = props.keywords = props.comments = props.category = ""
    props.last_modified_by = ""
    props.revision = 1
    props.language = IDIOMA
    core = props._element
    for fecha in ("dcterms:created", "dcterms:modified"):
        for element in core.findall(qn(fecha)):
            core.remove(element)


def _guardar(doc, destino: Path) -> None:
    """Zips with fixed timestamps and order, so the same template is the same bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as zin, zipfile.ZipFile(destino, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, zin.read(name))


# clase → (body, left margin, rubric): the signed documents carry the rubric in the wide margin.
PLANTILLAS: dict[str, tuple[Callable, object, bool]] = {
    "acta": (_acta, MARGEN_IZQ, True),
    "minuta": (_minuta, MARGEN_IZQ, True),
    "convocatoria": (_convocatoria, MARGEN_IZQ_OFICIO, False),
    "orden": (_orden, MARGEN_IZQ_OFICIO, False),
    "fe_de_erratas": (_fe_de_erratas, MARGEN_IZQ_OFICIO, False),
}


def plantilla(clase: str, destino: Path) -> Path:
    """Builds the template of `clase` at `destino` (a .docx path) and gives it back."""
    cuerpo, margen_izq, rubrica = PLANTILLAS[clase]
    doc = Document()
    _estilos(doc)
    _pagina(doc, margen_izq, rubrica)
    cuerpo(doc)
    _ajustes(doc)
    _propiedades(doc)
    _guardar(doc, destino)
    return destino


def build(carpeta: Path = AQUI) -> list[Path]:
    """Every template of this folder, written into `carpeta`."""
    carpeta.mkdir(parents=True, exist_ok=True)
    return [plantilla(clase, carpeta / f"{clase}.docx") for clase in PLANTILLAS]


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else AQUI):
        print(path)
