"""Builds the DOCX templates (docxtpl) in this folder: `acta.docx`.

Why this script exists: the committed `acta.docx` is the template people may restyle in Word (its paragraph
styles carry every font, size and spacing), and this script documents how it is made and regenerates it. It
writes the same page as `templates/pdf/` (Letter; margins 2.2, 2.2, 2.6 and 4.4 cm on the left for the
rubric; Liberation Serif 11 pt, justified) from the same `doc` context (`render.Documento`), and it writes
it deterministically: fixed core properties and zip timestamps, so running it again gives the same file
and a diff of the template means a change of the template.

Run it from the project root after editing it: `.venv/bin/python templates/docx/plantillas.py`.

What python-docx has no API for is written as raw OOXML: the rubric text box in the header, the PAGE and
NUMPAGES fields of the footer, paragraph and table borders, cell margins, rows that do not split, the
language and font defaults. Jinja only ever sits in text, never in an attribute, so the template stays a
document Word opens. `{%p …%}` and `{%tr …%}` lines are whole paragraphs and table rows that docxtpl
removes on rendering; they use the «Etiqueta» style so they stand out when the template is edited.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor, Twips

AQUI = Path(__file__).resolve().parent

FUENTE = "Liberation Serif"
IDIOMA = "es-MX"

# The page, as in templates/pdf/base.css (@page).
ANCHO, ALTO = Twips(12240), Twips(15840)  # Letter, 8.5 × 11 in
MARGEN_SUP, MARGEN_DER, MARGEN_INF, MARGEN_IZQ = Cm(2.2), Cm(2.2), Cm(2.6), Cm(4.4)
TEXTO = ANCHO - MARGEN_IZQ - MARGEN_DER  # width of the body, 14.99 cm

# The rubric box: in the left margin, as tall as the body (23 cm, less a little), 3.6 cm wide like the PDF's
# @left-top box. Rows are a space to initial and the name under a line: 2.4 cm each while up to eight fit,
# 20.5 cm / 12 when there are more, so that twelve always fit (templates/pdf/acta.html does the same).
RUBRICA_X, RUBRICA_Y = Emu(216000), MARGEN_SUP + Emu(72000)  # 0.6 cm from the edge, 0.2 cm below the margin
RUBRICA_ANCHO, RUBRICA_ALTO = Emu(1296000), Emu(8244000)  # 3.6 × 22.9 cm
NOMBRE_RUBRICA = Cm(0.62)  # the name under the line, up to two lines of 6.5 pt
FILA_AMPLIA, FILA_ESTRECHA = Cm(2.4), Cm(20.5 / 12)
FIRMANTES_AMPLIOS = 8  # 8 × 2.4 cm ≤ 20.5 cm

EMU_POR_TWIP = 635
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


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


def _estilo(doc, nombre: str, id_: str, base: str = "Normal", **formato):
    """A paragraph style: the place where whoever restyles the template in Word changes the look."""
    style = doc.styles.add_style(nombre, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), id_)
    style.base_style = doc.styles[base]
    style.quick_style = True
    for key, value in formato.items():
        if key == "color":
            style.font.color.rgb = value
        elif key in {"size", "bold"}:
            setattr(style.font, key, value)
        else:
            setattr(style.paragraph_format, key, value)
    return style


def _estilos(doc) -> None:
    _defaults(doc)
    normal = doc.styles["Normal"]
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.space_after = Pt(6.05)  # 0.55 em
    fmt.line_spacing = 1.35
    fmt.widow_control = True

    orden = _estilo(doc, "Orden del día", "OrdenDelDia", space_after=Pt(2.2))
    orden.paragraph_format.left_indent = Pt(17.6)  # 1.6 em: the number hangs in it
    orden.paragraph_format.first_line_indent = Pt(-17.6)
    orden.paragraph_format.tab_stops.add_tab_stop(Pt(17.6))

    _estilo(
        doc,
        "Encabezado de punto",
        "EncabezadoDePunto",
        bold=True,
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=Pt(8.8),
        space_after=Pt(5.5),
        keep_with_next=True,
    )
    _estilo(doc, "Título de firmas", "TituloDeFirmas", base="Encabezado de punto", page_break_before=True)

    _estilo(
        doc,
        "Acuerdo folio",
        "AcuerdoFolio",
        bold=True,
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=Pt(0),
    )
    _estilo(doc, "Acuerdo texto", "AcuerdoTexto", space_after=Pt(0))
    # Between two acuerdo tables a paragraph is needed (Word joins adjacent tables); it is the 0.9 em
    # below each table in the PDF.
    _estilo(
        doc,
        "Tras acuerdo",
        "TrasAcuerdo",
        space_after=Pt(0),
        line_spacing=Pt(9.9),
        line_spacing_rule=WD_LINE_SPACING.EXACTLY,
    )

    # A row of the rubric is an empty paragraph as tall as the room to initial, then the name under a line.
    # Two paragraphs, not one with space before: Word and LibreOffice draw a single top border over a run of
    # consecutive paragraphs with the same border, so each bordered name needs a borderless neighbour.
    for nombre, id_, fila in (
        ("Rúbrica espacio", "RubricaEspacio", FILA_AMPLIA),
        ("Rúbrica espacio estrecho", "RubricaEspacioEstrecho", FILA_ESTRECHA),
    ):
        _estilo(
            doc,
            nombre,
            id_,
            size=Pt(6.5),
            space_after=Pt(0),
            line_spacing=Emu(fila - NOMBRE_RUBRICA),
            line_spacing_rule=WD_LINE_SPACING.EXACTLY,
            widow_control=False,
        )
    rubrica = _estilo(
        doc,
        "Rúbrica",
        "Rubrica",
        size=Pt(6.5),
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=Pt(0),
        line_spacing=1.1,
        left_indent=Cm(0.2),
        right_indent=Cm(0.2),
        widow_control=False,
    )
    _borde(rubrica, "top", 5, 1)  # 0.6 pt line, 1 pt above the name

    _estilo(
        doc,
        "Pie",
        "Pie",
        size=Pt(7.5),
        color=RGBColor(0x22, 0x22, 0x22),
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=Pt(0),
        line_spacing=1.3,
    )

    # Signature blocks: an empty area for the stamp of the digital signature, the line, name and denominación.
    sello = _estilo(
        doc,
        "Sello de firma",
        "SelloDeFirma",
        size=Pt(9),
        space_after=Pt(3),
        line_spacing=Cm(2.6),
        line_spacing_rule=WD_LINE_SPACING.EXACTLY,
        keep_with_next=True,
    )
    _borde(sello, "bottom", 6, 0)
    _estilo(
        doc,
        "Firma nombre",
        "FirmaNombre",
        size=Pt(9),
        bold=True,
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=Pt(0),
        keep_with_next=True,
    )
    _estilo(
        doc, "Firma cargo", "FirmaCargo", size=Pt(9), alignment=WD_ALIGN_PARAGRAPH.CENTER, space_after=Pt(0)
    )
    _estilo(
        doc,
        "Párrafo mínimo",
        "ParrafoMinimo",
        size=Pt(1),
        space_after=Pt(0),
        line_spacing=Pt(1),
        line_spacing_rule=WD_LINE_SPACING.EXACTLY,
    )
    _estilo(doc, "Constancia", "Constancia", size=Pt(9), space_before=Cm(0.6))
    _estilo(
        doc,
        "Etiqueta",
        "Etiqueta",
        size=Pt(8),
        color=RGBColor(0x80, 0x80, 0x80),
        alignment=WD_ALIGN_PARAGRAPH.LEFT,
        space_after=Pt(0),
        line_spacing=1.0,
    )


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
        '<wp:docPr id="1" name="Rúbrica" descr="Rúbrica al margen de quienes firman el acta"/>'
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


def _tabla(doc, anchos, bordes: bool, margen_celda: tuple[int, int]):
    """A fixed-layout table of the given column widths; borders and cell margins are raw tblPr."""
    table = doc.add_table(rows=1, cols=len(anchos))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed: the widths below are kept
    tblpr = table._tbl.tblPr
    ancho = tblpr.find(qn("w:tblW"))
    ancho.set(qn("w:w"), str(sum(round(a / EMU_POR_TWIP) for a in anchos)))
    ancho.set(qn("w:type"), "dxa")
    linea = 'w:val="single" w:sz="6" w:space="0" w:color="000000"' if bordes else 'w:val="nil"'
    lados = "".join(
        f"<w:{lado} {linea}/>" for lado in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    vertical, horizontal = margen_celda
    margenes = "".join(
        f'<w:{lado} w:w="{medida}" w:type="dxa"/>'
        for lado, medida in (
            ("top", vertical),
            ("left", horizontal),
            ("bottom", vertical),
            ("right", horizontal),
        )
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
        for cell in column.cells:
            cell.width = ancho
    return table


def _no_dividir(row):
    """The row is not split across pages (CSS page-break-inside: avoid)."""
    row._tr.get_or_add_trPr().insert_element_before(
        parse_xml(f"<w:cantSplit {nsdecls('w')}/>"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc"
    )
    return row


def _celda(cell, *parrafos: tuple[str, str]) -> None:
    """Fills a cell with (text, style) paragraphs; the cell's own empty paragraph becomes the first one."""
    first, *rest = parrafos
    cell.paragraphs[0].style = first[1]
    if first[0]:
        cell.paragraphs[0].add_run(first[0])
    for texto, estilo in rest:
        cell.add_paragraph(texto, style=estilo)


# --- the acta -----------------------------------------------------------------------------------------------


def _etiqueta(doc, etiqueta: str) -> None:
    doc.add_paragraph(etiqueta, style="Etiqueta")


def _cuerpo(doc) -> None:
    """The body, in the order of templates/pdf/acta.html."""
    doc.add_paragraph("{{ doc.apertura }}", style="Normal")
    _etiqueta(doc, "{%p for linea in doc.orden_convocado %}")
    _orden(doc)
    _etiqueta(doc, "{%p endfor %}")

    _etiqueta(doc, "{%p for seccion in doc.secciones %}")
    _etiqueta(doc, "{%p if seccion.encabezado %}")
    doc.add_paragraph("{{ seccion.encabezado }}", style="Encabezado de punto")
    _etiqueta(doc, "{%p endif %}")
    _etiqueta(doc, "{%p for b in seccion.bloques %}")
    _etiqueta(doc, '{%p if b.tipo == "parrafo" %}')
    # The section number opens the section's first paragraph, in bold: "IV. - En el desahogo…"
    parrafo = doc.add_paragraph(style="Normal")
    parrafo.add_run("{% if loop.first %}")
    parrafo.add_run("{{ seccion.numero }}. -").bold = True
    parrafo.add_run(" {% endif %}{{ b.texto }}")
    _etiqueta(doc, '{%p elif b.tipo == "lista" %}')
    _etiqueta(doc, "{%p for linea in b.items %}")
    _orden(doc)
    _etiqueta(doc, "{%p endfor %}")
    _etiqueta(doc, "{%p else %}")
    # An acuerdo: folio | text, bordered, never split across pages.
    folio = Cm(3.4)
    acuerdo = _tabla(doc, [folio, TEXTO - folio], bordes=True, margen_celda=(80, 120))
    row = _no_dividir(acuerdo.rows[0])
    _celda(row.cells[0], ("{{ b.folio }}", "Acuerdo folio"))
    _celda(row.cells[1], ("{{ b.texto }}", "Acuerdo texto"))
    doc.add_paragraph(style="Tras acuerdo")
    _etiqueta(doc, "{%p endif %}")
    _etiqueta(doc, "{%p endfor %}")
    _etiqueta(doc, "{%p endfor %}")

    _firmas(doc)


def _orden(doc) -> None:
    """One agenda line, numbered by the loop: each list starts at 1, as each <ol> of the PDF does."""
    linea = doc.add_paragraph(style="Orden del día")
    linea.add_run("{{ loop.index }}.")
    linea.add_run().add_tab()
    linea.add_run("{{ linea }}")


def _firmas(doc) -> None:
    """The signature page: heading in capitals, signature blocks two by two, the «Esta hoja…» sentence."""
    doc.add_paragraph("{{ doc.encabezado_firmas | upper }}", style="Título de firmas")
    columna = TEXTO // 2
    firmas = _tabla(doc, [columna, TEXTO - columna], bordes=False, margen_celda=(0, 170))
    _celda(firmas.rows[0].cells[0], ("{%tr for par in doc.firmantes | batch(2) %}", "Etiqueta"))
    _celda(firmas.rows[0].cells[1], ("", "Etiqueta"))
    row = _no_dividir(firmas.add_row())
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
    fin = firmas.add_row()
    _celda(fin.cells[0], ("{%tr endfor %}", "Etiqueta"))
    _celda(fin.cells[1], ("", "Etiqueta"))
    doc.add_paragraph("{{ doc.pie }}", style="Constancia")


def _pagina(doc) -> None:
    """Letter, the PDF's margins; the rubric in the header and «doc.pie / Página X de Y» in the footer."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = ANCHO, ALTO
    section.top_margin, section.right_margin = MARGEN_SUP, MARGEN_DER
    section.bottom_margin, section.left_margin = MARGEN_INF, MARGEN_IZQ
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.2)
    section.gutter = Twips(0)

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
    pagina = footer.add_paragraph(style="Pie")
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


def acta(destino: Path) -> Path:
    """Builds the acta template at `destino` (a .docx path) and gives it back."""
    doc = Document()
    _estilos(doc)
    _pagina(doc)
    _cuerpo(doc)
    _ajustes(doc)
    _propiedades(doc)
    _guardar(doc, destino)
    return destino


def build(carpeta: Path = AQUI) -> list[Path]:
    """Every template of this folder, written into `carpeta`."""
    carpeta.mkdir(parents=True, exist_ok=True)
    return [acta(carpeta / "acta.docx")]


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else AQUI):
        print(path)
