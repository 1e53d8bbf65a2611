"""What every form of the console shares: the folders and clock of this launch, the values typed (a date, a
time, a text) read or refused in Spanish, and one change saved through `operations.editar` with its outcome said on
the page the form came from.

A POST answers with a redirect (303) to the page it came from, at the part it changed: the browser's back and
reload never send a form twice. On a conflict (the record changed since the form was built: an editor, another
tab) nothing is written and what the person typed is shown back, so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, session

from .. import edicion, operations
from ..errors import ConflictoError, StlError

__all__ = ["accion", "base", "c", "consola", "fecha", "guardar", "hora", "pagina", "rel", "texto", "volver"]

_SESION = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,24}$")
MOMENTOS = (("antes", "Antes"), ("durante", "Durante"), ("despues", "Después"))


def consola():
    return current_app.config["CONSOLA"]


def c() -> operations.Carpetas:
    return consola().carpetas


def rel(sesion: str) -> str:
    if not _SESION.match(sesion):
        raise StlError(f"«{sesion}» no es el ID de una sesión")
    return f"sesiones/{sesion}.yaml"


def base(rel: str) -> str:
    path = Path(c().raiz) / rel
    return edicion.huella(path.read_bytes() if path.is_file() else b"")


def pagina(plantilla: str, **contexto):
    perdido = session.pop("perdido", None)
    return render_template(plantilla, csrf=consola().csrf, perdido=perdido, momentos=MOMENTOS, **contexto)


def hora(campo: str, obligatoria: bool = True) -> dt.time | None:
    valor = request.form.get(campo, "").strip()
    if not valor and not obligatoria:
        return None
    try:
        return dt.time.fromisoformat(valor)
    except ValueError:
        raise StlError(f"«{valor}» no es una hora: escríbala como HH:MM de 24 horas (p. ej. 13:20)") from None


def fecha(campo: str) -> dt.date:
    valor = request.form.get(campo, "").strip()
    try:
        return dt.date.fromisoformat(valor)
    except ValueError:
        raise StlError(f"«{valor}» no es una fecha: escríbala como AAAA-MM-DD (p. ej. 2020-12-01)") from None


def texto(campo: str) -> str:
    valor = request.form.get(campo, "").strip()
    if not valor:
        raise StlError("el texto está vacío: escriba algo antes de guardar")
    return valor


def volver(destino: str, ancla: str | None = None):
    return redirect(destino + (f"#{ancla}" if ancla else ""), 303)


def guardar(rel: str, cambio, destino: str, ancla: str | None, usa=(), hecho: str = "Guardado."):
    """One change saved through `operations.editar`; the outcome said on the page the form came from. On a
    conflict, what the person typed is shown back (nothing typed is lost)."""
    try:
        operations.editar(c(), rel, request.form.get("base", ""), cambio, list(usa))
    except ConflictoError as exc:
        flash(exc.texto(), "error")
        escrito = [v for k, v in request.form.items() if k.startswith("texto") and v.strip()]
        if escrito:
            session["perdido"] = escrito
    except StlError as exc:
        flash(exc.texto(), "error")
    else:
        flash(hecho, "ok")
    return volver(destino, ancla)


def accion(funcion, destino: str, ancla: str | None = None):
    """Run `funcion()` (an operation) and say its result or its error on the page."""
    try:
        resultado = funcion()
    except StlError as exc:
        flash(exc.texto(), "error")
    else:
        for linea in resultado.lineas or [str(p) for p in resultado.paths]:
            flash(linea, "ok")
        for aviso in resultado.avisos:
            flash(f"Advertencia: {aviso}", "aviso")
    return volver(destino, ancla)


def error_de_registros(exc: StlError, titulo: str):
    return pagina("errores.html", titulo=titulo, problemas=exc.problemas), 200
