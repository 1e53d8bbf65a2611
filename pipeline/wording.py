"""Formulaic names worded from data: sessions, agenda items and the object of generated acuerdos.

Takes model values; gives Spanish text. Shared by the summary of `stl validar` and by the documents, so
that a session is named the same way everywhere.
"""

from __future__ import annotations

from . import spanish
from .models import Acuerdo, Punto, Registro, Sesion, TipoPunto, TipoSesion

__all__ = ["acuerdo_objeto", "nombre_sesion", "titulo_punto"]


def nombre_sesion(sesion: Sesion, abreviado: bool = False) -> str:
    """ "Cuarta Sesión Ordinaria" (or "4ª Sesión Ordinaria"); installation and unnumbered sessions too."""
    if sesion.tipo is TipoSesion.INSTALACION:
        return "Sesión de Instalación"
    tipo = "Ordinaria" if sesion.tipo is TipoSesion.ORDINARIA else "Extraordinaria"
    if sesion.numero is None:
        return f"Sesión {tipo} del {spanish.date_short(sesion.fecha)}"
    numero = spanish.ordinal_abbr(sesion.numero) if abreviado else spanish.ordinal(sesion.numero, titulo=True)
    return f"{numero} Sesión {tipo}"


def titulo_punto(punto: Punto, sesion: Sesion, registro: Registro, abreviado: bool = True) -> str:
    """The agenda line of an item, without its number or final punctuation."""
    if punto.tipo is TipoPunto.ASUNTO:
        return punto.texto or ""
    if punto.tipo is TipoPunto.QUORUM:
        return (
            "Lista de asistencia y declaratoria de quórum, por parte del Facilitador del Secretariado "
            "Técnico Local, para la apertura y celebración de la "
            f"{nombre_sesion(sesion, abreviado)} del Secretariado Técnico Local de fecha "
            f"{spanish.date_short(sesion.fecha)}"
        )
    if punto.tipo is TipoPunto.APROBACION_ACTA:
        previa = registro.sesion(punto.sesion or "")
        return f"Aprobación del Acta de la {nombre_sesion(previa)} del STL de fecha {spanish.date_short(previa.fecha)}"
    return _FIXED_TITLES[punto.tipo]


_FIXED_TITLES = {
    TipoPunto.ORDEN_DEL_DIA: "Lectura y en su caso, aprobación del orden del día",
    TipoPunto.SEGUIMIENTO_ACUERDOS: "Seguimiento de acuerdos",
    TipoPunto.ASUNTOS_GENERALES: "Asuntos Generales",
    TipoPunto.CLAUSURA: "Clausura de la Sesión",
}


def acuerdo_objeto(acuerdo: Acuerdo, sesion: Sesion, registro: Registro) -> str:
    """What the acuerdo approves: its own text, or worded from its agenda item."""
    if acuerdo.texto:
        return acuerdo.texto
    if acuerdo.aprueba_acta:
        previa = registro.sesion(acuerdo.aprueba_acta)
        return f"el Acta de la {nombre_sesion(previa)} del STL, de fecha {spanish.date_short(previa.fecha)}"
    if sesion.orden_modificado:
        return "el orden del día con las modificaciones propuestas"
    return "el orden del día en sus términos"
