"""Stage 3 — writing a worded document to files: NOMBRE.pdf (with NOMBRE.firmas.json) and NOMBRE.docx.

Takes a document that `render` worded and a format; gives the paths written, each atomically. The PDF is laid
out by `render` (or by an `imprenta.Imprenta` already readying WeasyPrint), the DOCX by `render_docx`: both
depend on `render`, and `render` on neither.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import render, render_docx
from .documentos import Documento, Minuta, Oficio, OrdenDelDia
from .files import write_atomic

__all__ = ["escribir"]


def escribir(
    carpeta: Path,
    nombre: str,
    documento: Documento | Oficio | OrdenDelDia | Minuta,
    formato: str,
    imprenta=None,
    sincronizar: bool = True,
) -> list[Path]:
    """Write a document as `formato` ("pdf", "docx" or "ambos"): NOMBRE.pdf with NOMBRE.firmas.json (the
    signature-block positions, for signing) and/or NOMBRE.docx, atomically. Gives the paths written. With
    `sincronizar=False` they are not flushed to disk: the caller does (`files.sincronizar`), as the batch's parent
    does while its workers lay out the next actas."""
    pdf_tambien, docx_tambien = formato in ("pdf", "ambos"), formato in ("docx", "ambos")
    if pdf_tambien and imprenta is not None:  # an `imprenta.Imprenta`, already readying WeasyPrint
        imprenta.encargar(
            render.html(documento), render.TEMPLATES / "pdf"
        )  # laid out there while the DOCX is built here
    docx = render_docx.docx(documento) if docx_tambien else None
    paths = []
    if pdf_tambien:
        with render.sin_fuente(documento):  # before anything is written
            datos, bloques = imprenta.recoger() if imprenta is not None else render.pdf(documento)
        paths.append(write_atomic(carpeta, f"{nombre}.pdf", datos, sincronizar=sincronizar))
        if bloques:
            posiciones = json.dumps(bloques, ensure_ascii=False, indent=2).encode()
            paths.append(write_atomic(carpeta, f"{nombre}.firmas.json", posiciones, sincronizar=sincronizar))
    if docx is not None:
        paths.append(write_atomic(carpeta, f"{nombre}.docx", docx, sincronizar=sincronizar))
    return paths
