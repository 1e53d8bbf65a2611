"""The acta beside its record, and its signature round: after the meeting.

Takes a session id; gives the acta's PDF pages as images (the PDF as it will be printed, drawn from
`operations.documento` as the preview draws it: no print CSS on screen), drawn once per state of the records and
templates; the approval as the rules find it; who signed, who is next (`operations.estado`); and the copies
received (`operations.incorporar`) and the e-mail to whoever signs next (see `acciones`).
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from flask import Flask, Response, abort, flash, render_template, request, url_for
from werkzeug.utils import secure_filename

from .. import huellas, operations, paquete, preview, rules
from ..errors import StlError
from . import formularios as f

__all__ = ["registrar", "ronda"]

_CANDADO = threading.Lock()  # one drawing at a time: WeasyPrint and pdftoppm are heavy on a laptop
_DIBUJOS: dict[str, tuple[str, list[Path]]] = {}  # session → (fingerprint of its inputs, its pages)
_CARPETA = tempfile.TemporaryDirectory(prefix="stl-consola-")


def _huella(c: operations.Carpetas, sesion: str) -> str:
    return huellas.entradas(huellas.instantanea(c.raiz), paquete.plantillas(), sesion)[:16]


def paginas(c: operations.Carpetas, sesion: str) -> tuple[str, list[Path]]:
    """The acta's pages as PNG files, drawn again only when a record or a template changed."""
    huella = _huella(c, sesion)
    with _CANDADO:
        hecho = _DIBUJOS.get(sesion)
        if hecho is not None and hecho[0] == huella:
            return hecho
        documento, _ = operations.documento(c, sesion)
        carpeta = Path(_CARPETA.name) / sesion
        carpeta.mkdir(exist_ok=True)
        _DIBUJOS[sesion] = (huella, preview.paginas(documento, carpeta, 70))
        return _DIBUJOS[sesion]


def ronda(c: operations.Carpetas, sesion: str) -> dict:
    """The approval and the signature round as the after page shows them."""
    datos: dict = {"aprobacion": None, "estado": (), "sin_preparar": None}
    try:
        registro, _ = operations.sesion(c, sesion).datos
        datos["aprobacion"] = rules.aprobacion_del_acta(registro, sesion)
        datos["estado"] = operations.estado(c, sesion, None).lineas
    except StlError as exc:
        datos["sin_preparar"] = exc.texto()
    return datos


def vista_paginas(sesion: str):
    """The pages (a fragment the after page loads beside the record, or a page of its own without scripts)."""
    f.rel(sesion)
    try:
        huella, pngs = paginas(f.c(), sesion)
    except StlError as exc:
        return render_template("_paginas.html", sesion_id=sesion, problemas=exc.problemas, pngs=(), huella="")
    if request.args.get("fragmento"):
        return render_template("_paginas.html", sesion_id=sesion, pngs=pngs, huella=huella, problemas=())
    return f.pagina("paginas.html", sesion_id=sesion, pngs=pngs, huella=huella, problemas=())


def pagina_png(sesion: str, n: int):
    hecho = _DIBUJOS.get(sesion)
    if hecho is None or not 1 <= n <= len(hecho[1]):
        abort(404)
    return Response(hecho[1][n - 1].read_bytes(), mimetype="image/png")


def incorporar(sesion: str):
    """A signed copy received from a member: `stl incorporar SESION archivo.pdf`."""
    archivo = request.files.get("copia")
    destino = url_for("despues", sesion=sesion)
    if archivo is None or not archivo.filename:
        flash("elija el PDF firmado que recibió", "error")
        return f.volver(destino, "firmas")
    with tempfile.TemporaryDirectory(prefix="stl-copia-") as tmp:
        path = Path(tmp) / (secure_filename(archivo.filename) or "copia.pdf")
        archivo.save(path)
        return f.accion(
            lambda: operations.incorporar(f.c(), sesion, path, None, f.consola().reloj()), destino, "firmas"
        )


def registrar(app: Flask) -> None:
    app.add_url_rule("/sesion/<sesion>/paginas", "paginas", vista_paginas)
    app.add_url_rule("/sesion/<sesion>/pagina/<int:n>.png", "pagina_png", pagina_png)
    app.add_url_rule("/sesion/<sesion>/incorporar", "incorporar", incorporar, methods=["POST"])
