"""The console's pages and forms: the STL and its roster, then each session before, during and after the meeting.

Every page is built from the records as they are now (`operations.registros`, `operations.sesion`); every form
carries the SHA-256 of the record it was built from and saves one change through `operations.editar`, which
refuses it if the file changed meanwhile (an editor, another tab) and writes atomically. What a CLI command does
(a new session, the oficio, the e-mails, the signature round, a signed copy received) is that command's own
operation. Each POST answers with a redirect to the page it came from (the browser's back and reload never send a
form twice), at the part of the page it changed.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, flash, render_template, request, url_for

from .. import edicion, operations, wording
from ..errors import StlError
from ..models import Calidad, Sector
from . import acciones, documento, vistas
from . import formularios as f

__all__ = ["registrar"]


# --- the STL: sessions and roster -----------------------------------------------------------------------------


def inicio():
    try:
        registro = operations.registros(f.c()).datos
        calendario = operations.calendario(f.c(), f.consola().reloj().date(), None).lineas
    except StlError as exc:
        return f.error_de_registros(exc, "Los registros tienen errores")
    hoy = f.consola().reloj().date()
    return f.pagina("inicio.html", registro=registro, calendario=calendario, hoy=hoy)


def nueva_sesion():
    try:
        fecha, hora = f.fecha("fecha"), f.hora("hora")
        modalidad = request.form.get("modalidad", "virtual")
        sede = request.form.get("sede", "").strip() or "Plataforma virtual Zoom"
        extraordinaria = request.form.get("extraordinaria") == "si"
        resultado = operations.nueva_sesion(f.c(), None, fecha, hora, extraordinaria, modalidad, sede)
    except StlError as exc:
        flash(exc.texto(), "error")
        return f.volver(url_for("inicio"), "nueva")
    for linea in resultado.lineas[1:]:
        flash(linea, "ok")
    sesion = resultado.paths[0].stem
    return f.volver(url_for("antes", sesion=sesion))


def integrantes():
    try:
        registro = operations.registros(f.c()).datos
    except StlError as exc:
        return f.error_de_registros(exc, "Los registros tienen errores")
    fecha = f.consola().reloj().date()
    return f.pagina(
        "integrantes.html",
        registro=registro,
        base=f.base("stl.yaml"),
        sectores=[(s.value, s.nombre) for s in Sector],
        calidades=[c.value for c in Calidad],
        titulares=registro.stl.titulares(fecha),
    )


_CAMPOS_INTEGRANTE = ("nombre", "genero", "cargo", "cargo_corto", "sector", "calidad", "de", "correo")


def _datos_integrante() -> dict[str, str | None]:
    datos = {k: request.form.get(k, "").strip() or None for k in _CAMPOS_INTEGRANTE}
    if datos.get("calidad") not in ("suplente", "enlace"):
        datos["de"] = None
    return datos


def agregar_integrante():
    cambio = edicion.agregar_integrante(_datos_integrante(), f.consola().reloj().date())
    return f.guardar("stl.yaml", cambio, url_for("integrantes"), "nuevo", hecho="Integrante agregado.")


def editar_integrante(id_: str):
    cambio = edicion.editar_integrante(id_, _datos_integrante())
    return f.guardar("stl.yaml", cambio, url_for("integrantes"), f"integrante-{id_}")


# --- one session ----------------------------------------------------------------------------------------------


def _sesion(sesion: str):
    """(registro, dictamen) of the session, or the page that lists why its records do not load."""
    f.rel(sesion)
    return operations.sesion(f.c(), sesion).datos


def _contexto(sesion: str, momento: str) -> dict:
    registro, dictamen = _sesion(sesion)
    s = dictamen.sesion
    puntos = vistas.puntos(registro, s)
    campos = ["fecha", "hora_inicio", "hora_cierre", "modalidad", "convocatoria", "asistencia"]
    campos += [f"asistencia[{n}]" for n in range(len(s.asistencia or ()))]
    for p in puntos:
        campos.append(p["campo"])
        campos += [f"{p['campo']}.intervenciones[{j}]" for j in range(len(p["punto"].intervenciones))]
        campos += [f"{p['campo']}.acuerdos[{k}]" for k in range(len(p["punto"].acuerdos))]
    problemas = [*dictamen.errores, *dictamen.advertencias]
    por_campo, sueltos = vistas.ubicar(problemas, campos)
    votantes, en_sala, avisos_quorum = vistas.en_sala(registro, dictamen)
    quorum, hay = vistas.frase_quorum(en_sala)
    return {
        "sesion": s,
        "registro": registro,
        "dictamen": dictamen,
        "puntos": puntos,
        "errores": por_campo,
        "sueltos": sueltos,
        "quorum": quorum,
        "hay_quorum": hay,
        "momento": momento,
        "base": f.base(f.rel(sesion)),
        "ahora": f.consola().reloj().strftime("%H:%M"),
        "campos": vistas.campos_esquema(),
        "votantes": votantes,
        "resultado": lambda i, k: vistas.resultado_voto(registro, dictamen, i, k),
        "nombre": wording.nombre_sesion(s),
        "pase": vistas.pase_de_lista(registro, s),
        "presentes": [registro.stl.integrante(a.integrante) for a in s.asistencia or ()],
        "abierta": None,
        "avisos_quorum": avisos_quorum,
    }


def _momento(sesion: str, momento: str, **extra):
    try:
        contexto = _contexto(sesion, momento)
    except StlError as exc:
        return f.error_de_registros(exc, f"El registro de {sesion} tiene errores")
    return f.pagina(f"{momento}.html", **contexto, **extra)


def antes(sesion: str):
    extra = {}
    try:
        registro, dictamen = _sesion(sesion)
        if dictamen.sesion.convocatoria is not None:
            extra["aviso"] = vistas.anticipacion(
                registro, dictamen.sesion, dictamen.sesion.convocatoria.fecha
            )
    except StlError:
        pass  # the page lists the errors
    return _momento(sesion, "antes", **extra)


def durante(sesion: str):
    return _momento(sesion, "durante")


def despues(sesion: str):
    return _momento(sesion, "despues", firmas=documento.ronda(f.c(), sesion))


def habiles(sesion: str):
    """The notice a convocatoria dated as typed gives (a fragment the page shows as the date is typed)."""
    try:
        registro, dictamen = _sesion(sesion)
        fecha = dt.date.fromisoformat(request.args.get("fecha", ""))
        aviso = vistas.anticipacion(registro, dictamen.sesion, fecha)
    except (StlError, ValueError):
        return render_template(
            "_habiles.html", aviso={"texto": "Escriba una fecha completa.", "cumple": False}
        )
    return render_template("_habiles.html", aviso=aviso)


def registrar(app: Flask) -> None:
    """Every route of the console on `app`."""
    app.add_url_rule("/", "inicio", inicio)
    app.add_url_rule("/sesiones", "nueva_sesion", nueva_sesion, methods=["POST"])
    app.add_url_rule("/integrantes", "integrantes", integrantes)
    app.add_url_rule("/integrantes", "agregar_integrante", agregar_integrante, methods=["POST"])
    app.add_url_rule("/integrantes/<id_>", "editar_integrante", editar_integrante, methods=["POST"])
    for momento in ("antes", "durante", "despues"):
        app.add_url_rule(f"/sesion/<sesion>/{momento}", momento, globals()[momento])
    app.add_url_rule("/sesion/<sesion>/habiles", "habiles", habiles)
    acciones.registrar(app)
    documento.registrar(app)
