"""Formulaic names worded from data: sessions, agenda items and the object of generated acuerdos.

Takes model values; gives Spanish text. Shared by the summary of `stl validar` and by the documents, so
that a session is named the same way everywhere.
"""

from __future__ import annotations

from . import spanish
from .models import Acuerdo, Calidad, Integrante, Punto, Registro, Sesion, TipoPunto, TipoSesion

__all__ = [
    "acuerdo_objeto",
    "articulo",
    "de_articulo",
    "del_estado",
    "en_entidad",
    "enunciado_acuerdo",
    "facilitador",
    "lista_legal",
    "nombre_sesion",
    "ordinal_punto",
    "presentacion",
    "quien",
    "titulo_punto",
]


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
            f"Lista de asistencia y declaratoria de quórum, por parte {'de la' if facilitador(registro) == 'Facilitadora' else 'del'} "
            f"{facilitador(registro)} del Secretariado Técnico Local, para la apertura y celebración de la "
            f"{nombre_sesion(sesion, abreviado)} del Secretariado Técnico Local de fecha "
            f"{spanish.date_short(sesion.fecha)}"
        )
    if punto.tipo is TipoPunto.APROBACION_ACTA:
        previa = registro.sesion(punto.sesion or "")
        return f"Aprobación del Acta de la {nombre_sesion(previa)} del STL de fecha {spanish.date_words(previa.fecha)}"
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


# --- people and sentences of the acta ---------------------------------------------------------------------


def articulo(persona: Integrante) -> str:
    return "la" if persona.genero == "f" else "el"


def de_articulo(persona: Integrante) -> str:
    """ "de la" or "del" (never "de el")."""
    return "de la" if persona.genero == "f" else "del"


def facilitador(registro: Registro) -> str:
    """ "Facilitador" or "Facilitadora", as the roster's Facilitador is."""
    personas = [p for p in registro.stl.integrantes if p.calidad is Calidad.FACILITADOR]
    return "Facilitadora" if personas and personas[0].genero == "f" else "Facilitador"


def quien(persona: Integrante) -> str:
    """ "la Comisionada Presidenta del Infoem, Zulema Martínez Sánchez": how the acta introduces a speaker."""
    return f"{articulo(persona)} {persona.cargo_corto}, {persona.nombre}"


def presentacion(persona: Integrante) -> str:
    """ "Zulema Martínez Sánchez, Comisionada Presidenta del Instituto…, y Representante del Órgano Garante"."""
    if persona.representacion and persona.representacion != persona.cargo:
        return f"{persona.nombre}, {persona.cargo}, y {persona.representacion}"
    return f"{persona.nombre}, {persona.cargo}"


def lista_legal(items: list[str]) -> str:
    """Items joined as the acta lists people: "A; B; y, C"."""
    if len(items) < 2:
        return "".join(items)
    return "; ".join(items[:-1]) + "; y, " + items[-1]


def en_entidad(entidad: str) -> str:
    """ "En el Estado de México", "En el Estado de Jalisco": how the acta opens."""
    return f"En el {entidad}" if entidad.startswith("Estado ") else f"En el Estado de {entidad}"


def del_estado(estado: str) -> str:
    """ "del Estado de México", "de Jalisco"."""
    return f"del {estado}" if estado.startswith("Estado ") else f"de {estado}"


def ordinal_punto(n: int) -> str:
    """ "segundo", "tercer", "séptimo": the ordinal before «punto del orden del día»."""
    return spanish.ordinal(n, "m", apocope=True)


def enunciado_acuerdo(redaccion: str, objeto: str) -> str:
    """ "Por el que, se aprueba por unanimidad de votos el orden del día…"."""
    texto = f"Por el que, {redaccion} {objeto}"
    return texto if texto.endswith(".") else texto + "."
