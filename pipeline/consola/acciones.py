"""The console's forms on one session: each saves one change of its record (`edicion`) through
`operations.editar`, or runs the operation of a CLI command (the oficio, the e-mail of the convocatoria).

Before: general data, the convocatoria's date and who convenes, the agenda points. During: the roll call (who
arrived, at what time, in whose place; who left), the opening and closing times, notes and interventions per
point, a vote member by member (its outcome shown live from `rules`, the casting vote asked for on a tie).
"""

from __future__ import annotations

from flask import Flask, flash, render_template, request, url_for

from .. import edicion, operations
from ..errors import StlError
from . import formularios as f
from . import vistas

__all__ = ["registrar"]


def _destino(sesion: str, momento: str) -> str:
    return url_for(momento, sesion=sesion)


def _momento() -> str:
    momento = request.form.get("momento", "antes")
    return momento if momento in ("antes", "durante", "despues") else "antes"


def _guardar(sesion: str, cambio, ancla: str | None, hecho: str = "Guardado."):
    return f.guardar(f.rel(sesion), cambio, _destino(sesion, _momento()), ancla, [sesion], hecho)


def _con_valores(sesion: str, ancla: str | None, hacer):
    """`hacer()` reads the form (a time, a date) and gives the change; a value typed wrong is said, not saved."""
    try:
        cambio = hacer()
    except StlError as exc:
        flash(exc.texto(), "error")
        return f.volver(_destino(sesion, _momento()), ancla)
    return _guardar(sesion, cambio, ancla)


# --- before -----------------------------------------------------------------------------------------------------


def generales(sesion: str):
    def hacer():
        modalidad = request.form.get("modalidad", "virtual")
        sede = f.texto("sede")
        return edicion.datos_generales(f.fecha("fecha"), f.hora("hora_inicio"), modalidad, sede)

    return _con_valores(sesion, "generales", hacer)


def convocatoria(sesion: str):
    def hacer():
        return edicion.convocatoria(f.fecha("fecha"), request.form.get("convoca", ""))

    return _con_valores(sesion, "convocatoria", hacer)


def agregar_punto(sesion: str):
    return _con_valores(sesion, "puntos", lambda: edicion.agregar_punto(f.texto("texto")))


def punto(sesion: str, i: int):
    """Move, remove, retitle or withdraw point `i`."""
    que = request.form.get("accion", "")
    ancla = f"punto-{i}"
    if que == "subir":
        return _guardar(sesion, edicion.mover_punto(i, -1), ancla)
    if que == "bajar":
        return _guardar(sesion, edicion.mover_punto(i, 1), ancla)
    if que == "quitar":
        return _guardar(sesion, edicion.quitar_punto(i), "puntos", "Punto quitado.")
    if que == "retirar":
        solicita = request.form.get("solicita") or None
        return _guardar(sesion, edicion.retirado(i, solicita, request.form.get("motivo", "")), ancla)
    return _con_valores(sesion, ancla, lambda: edicion.texto_punto(i, f.texto("texto")))


def oficio(sesion: str):
    """The oficio with its folio: `stl convocatoria SESION`."""
    return f.accion(
        lambda: operations.convocatoria(f.c(), sesion, "ambos"), _destino(sesion, "antes"), "convocatoria"
    )


def enviar_convocatoria(sesion: str):
    """The convocatoria by e-mail: `stl enviar convocatoria SESION [--simular]`."""
    return _enviar(sesion, "convocatoria", "antes", "convocatoria")


def _enviar(sesion: str, que: str, momento: str, ancla: str):
    import os

    from .. import distribute  # here: the other pages need not load e-mail and iCalendar

    simular = request.form.get("simular") == "si"

    def hacer():
        entrega = distribute.Entrega(simular=simular, contrasena=os.environ.get("STL_SMTP_CONTRASENA"))
        resultado = operations.enviar(que, f.c(), sesion, f.consola().reloj(), entrega)
        informe = resultado.datos
        lineas = [
            f"{'Escrito sin enviar (simulación)' if informe.simulado else 'Enviado'}: {e.mensaje.integrante.nombre}"
            for e in informe.entregados
        ]
        lineas.append(
            f"{len(informe.entregados)} mensaje(s); {informe.ya_enviados} ya se habían enviado antes."
        )
        lineas += [f"No se pudo enviar: {falla}" for falla in informe.fallas]
        return operations.Resultado(lineas=tuple(lineas), avisos=tuple(informe.advertencias))

    return f.accion(hacer, _destino(sesion, momento), ancla)


# --- during -----------------------------------------------------------------------------------------------------


def asistencia(sesion: str, integrante: str):
    """The roll call, one person: arrived (at a time, in whose place), left (at a time), or not there."""
    que = request.form.get("accion", "presente")
    campos = vistas.campos_esquema()
    ancla = f"asistente-{integrante}"
    if que == "ausente":
        return _guardar(sesion, edicion.ausente(integrante), ancla, "Anotado como ausente.")

    def hacer():
        en_lugar_de = request.form.get("en_lugar_de") or None
        llega = {"llega": lambda: f.hora("llega"), "sale": lambda: _anotada(sesion, integrante, "llega")}
        sale = f.hora("sale") if que == "sale" else None
        return edicion.presente(integrante, en_lugar_de, llega.get(que, lambda: None)(), sale, campos)

    return _con_valores(sesion, ancla, hacer)


def _anotada(sesion: str, integrante: str, campo: str):
    """The time already recorded for `integrante` (an arrival kept when the departure is recorded)."""
    _, dictamen = operations.sesion(f.c(), sesion).datos
    asistente = next((a for a in dictamen.sesion.asistencia or () if a.integrante == integrante), None)
    return getattr(asistente, campo, None)


def hora(sesion: str):
    campo = request.form.get("campo")
    if campo not in ("hora_inicio", "hora_cierre"):
        campo = "hora_cierre"
    return _con_valores(sesion, campo, lambda: edicion.poner_hora(campo, f.hora("hora")))


def intervencion(sesion: str, i: int):
    orador = request.form.get("orador") or None
    return _con_valores(
        sesion, f"punto-{i}", lambda: edicion.agregar_intervencion(i, orador, f.texto("texto"))
    )


def editar_intervencion(sesion: str, i: int, j: int):
    ancla = f"intervencion-{i}-{j}"
    if request.form.get("accion") == "quitar":
        return _guardar(sesion, edicion.quitar_intervencion(i, j), f"punto-{i}", "Intervención quitada.")
    orador = request.form.get("orador") or None
    return _con_valores(sesion, ancla, lambda: edicion.editar_intervencion(i, j, orador, f.texto("texto")))


def _votos(sesion: str) -> tuple[dict[str, str], dict[str, str]]:
    registro, dictamen = operations.sesion(f.c(), sesion).datos
    votos, motivos = {}, {}
    for persona in vistas.en_sala(registro, dictamen)[0]:
        voto = request.form.get(f"voto-{persona.id}")
        if voto in ("a_favor", "en_contra", "abstencion"):
            votos[persona.id] = voto
            if voto == "abstencion" and request.form.get(f"motivo-{persona.id}"):
                motivos[persona.id] = request.form[f"motivo-{persona.id}"]
    if request.form.get("accion") == "unanimidad":
        votos = {p.id: "a_favor" for p in vistas.en_sala(registro, dictamen)[0]}
    return votos, motivos


def _votacion(sesion: str, i: int):
    votos, motivos = _votos(sesion)
    texto = request.form.get("texto_acuerdo", "").strip() or None
    calidad = request.form.get("calidad") or None
    hora = f.hora("hora_voto", obligatoria=False)
    return votos, edicion.votacion(i, texto, votos, motivos, calidad, hora, vistas.campos_esquema())


def votacion(sesion: str, i: int):
    """The vote, recorded only when every voter's vote is given and a tie has its casting vote confirmed."""
    ancla = f"votacion-{i}"

    def hacer():
        votos, cambio = _votacion(sesion, i)
        registro, dictamen = operations.sesion(f.c(), sesion).datos
        faltan = [p.nombre for p in vistas.en_sala(registro, dictamen)[0] if p.id not in votos]
        if faltan:
            raise StlError(f"falta el voto de {', '.join(faltan)}: no se registró la votación")
        previa = _previa(sesion, i, cambio)
        if previa["empate"] and previa["calidad"] and not request.form.get("calidad"):
            raise StlError(
                f"hay empate: confirme el voto de calidad de {previa['calidad'].nombre} para registrar la votación"
            )
        return cambio

    return _con_valores(sesion, ancla, hacer)


def _previa(sesion: str, i: int, cambio) -> dict:
    registro, dictamen = operations.ensayar(f.c(), f.rel(sesion), cambio, sesion).datos
    k = len(dictamen.sesion.orden_del_dia[i].acuerdos) - 1
    return vistas.resultado_voto(registro, dictamen, i, k)


def previa(sesion: str, i: int):
    """The outcome of the vote as it is being taken (a fragment the page shows live); nothing is written."""
    try:
        votos, cambio = _votacion(sesion, i)
        resultado = _previa(sesion, i, cambio) if votos else None
    except StlError as exc:
        return render_template("_previa.html", error=exc.texto(), i=i)
    return render_template(
        "_previa.html", resultado=resultado, i=i, confirmada=bool(request.form.get("calidad"))
    )


def quitar_acuerdo(sesion: str, i: int, k: int):
    return _guardar(sesion, edicion.quitar_acuerdo(i, k), f"punto-{i}", "Votación quitada.")


def conduce(sesion: str):
    return _guardar(sesion, edicion.conduce(request.form.get("conduce") or None), "asistencia")


# --- after ------------------------------------------------------------------------------------------------------


def aprobacion(sesion: str):
    def hacer():
        return edicion.aprobacion(f.fecha("fecha"), f.texto("texto_fundamento"))

    return _con_valores(sesion, "aprobacion", hacer)


def enviar_firma(sesion: str):
    """The acta to whoever signs next: `stl enviar firma SESION [--simular]`."""
    return _enviar(sesion, "firma", "despues", "firmas")


def registrar(app: Flask) -> None:
    s = "/sesion/<sesion>"
    reglas = [
        ("generales", generales),
        ("convocatoria", convocatoria),
        ("puntos", agregar_punto),
        ("puntos/<int:i>", punto),
        ("oficio", oficio),
        ("enviar-convocatoria", enviar_convocatoria),
        ("asistencia/<integrante>", asistencia),
        ("hora", hora),
        ("conduce", conduce),
        ("puntos/<int:i>/intervenciones", intervencion),
        ("puntos/<int:i>/intervenciones/<int:j>", editar_intervencion),
        ("puntos/<int:i>/votacion", votacion),
        ("puntos/<int:i>/votacion/previa", previa),
        ("puntos/<int:i>/acuerdos/<int:k>/quitar", quitar_acuerdo),
        ("aprobacion", aprobacion),
        ("enviar-firma", enviar_firma),
    ]
    for ruta, funcion in reglas:
        app.add_url_rule(f"{s}/{ruta}", f"{funcion.__name__}_post", funcion, methods=["POST"])
