"""Stage 3 — render, DOCX: a worded context → the editable Word document (docxtpl).

Takes one of the frozen contexts that `render` worded (the acta's `Documento`, the convocatoria's `Oficio`,
an `OrdenDelDia`, a `Minuta`); gives the bytes of a .docx laid out by `templates/docx/<clase>.docx` (built
by `templates/docx/plantillas.py`) from the same `doc` context as the PDF, so both formats say the same
thing. Jinja runs with autoescaping and `StrictUndefined`: text from records is text, never markup nor
template code.
"""

from __future__ import annotations

import io

from . import render
from .documentos import Imagen
from .errors import StlError
from .render import Documento, Minuta, Oficio, OrdenDelDia

__all__ = ["docx"]


def docx(documento: Documento | Oficio | OrdenDelDia | Minuta) -> bytes:
    """The .docx bytes of `documento`: «Página X de Y» fields, the rubric on every page of the signed ones
    (acta, minuta), title and author set."""
    import jinja2
    from docxtpl import DocxTemplate  # imported here: commands that do not render stay fast

    path = render.TEMPLATES / "docx" / f"{documento.clase}.docx"
    if not path.is_file():
        raise StlError(f"no se encontró la plantilla {path}: regenérela con templates/docx/plantillas.py")
    plantilla = DocxTemplate(path)
    # docxtpl builds a plain Environment when given none; ours also fails on a misspelt field instead of
    # writing an empty string into an acta.
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    plantilla.render({"doc": documento, "imagen": _imagenes(plantilla)}, jinja_env=env, autoescape=True)
    # Core properties are set here, not templated: docxtpl would render them through the HTML-escaping
    # environment and a "&" in a name would reach the metadata as "&amp;".
    props = plantilla.docx.core_properties
    props.title, props.author, props.language = documento.titulo, documento.autor, documento.idioma
    buffer = io.BytesIO()
    plantilla.save(buffer)
    return buffer.getvalue()


def _imagenes(plantilla):
    """`imagen(l)` for the templates: the picture of a letterhead logo (`documentos.Imagen`, its opaque PNG) at
    its size, with its description as the alternative text Word and LibreOffice read out."""
    from docx.shared import Cm
    from docxtpl import InlineImage

    class Logo(InlineImage):
        def __init__(self, imagen: Imagen) -> None:
            super().__init__(
                plantilla, io.BytesIO(imagen.png), width=Cm(imagen.ancho), height=Cm(imagen.alto)
            )
            self.descripcion = imagen.descripcion

        def _insert_image(self) -> str:
            # docxtpl's own describes nothing: the same picture, with its alternative text.
            parte = self.tpl.current_rendering_part
            inline = parte.new_pic_inline(self.image_descriptor, self.width, self.height)
            for propiedades in inline.xpath(".//wp:docPr | .//pic:cNvPr"):
                propiedades.set("descr", self.descripcion)
            return (
                f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'
            )

    return Logo
