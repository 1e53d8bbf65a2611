"""Formulaic names worded from data: sessions, agenda items and the object of generated acuerdos.

Takes model values; gives Spanish text. Shared by the summary of `stl validar` and by the documents, so
that a session is named the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re

from . import rules, spanish
from .models import Acuerdo, Calidad, Integrante, Perfil, Punto, Registro, Sesion, Stl, TipoPunto, TipoSesion

__all__ = [
    "acuerdo_objeto",
    "articulo",
    "cita_en_palabras",
    "de_articulo",
    "del_estado",
    "dirige",
    "documento",
    "en_entidad",
    "enunciado_acuerdo",
    "lista_legal",
    "nombre_sesion",
    "ordinal_punto",
    "presentacion",
    "quien",
    "recibe_firmas",
    "rol",
    "rol_corto",
    "titulo_punto",
    "votacion",
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
        persona = dirige(registro, sesion.fecha)
        por_parte = f", por parte {de_articulo(persona)} {rol(persona)}" if persona else ""
        return (
            f"Lista de asistencia y declaratoria de quórum{por_parte}, para la apertura y celebración de la "
            f"{nombre_sesion(sesion, abreviado)} del Secretariado Técnico Local de fecha "
            f"{spanish.date_short(sesion.fecha)}"
        )
    if punto.tipo is TipoPunto.APROBACION_ACTA:
        previa = registro.sesion(punto.sesion or "")
        # the date in digits, in the agenda as in the acuerdo (seed 003, punto 3 y STL/IV/2/2020)
        return (
            f"Aprobación {documento(registro, 'del')} de la {nombre_sesion(previa)} del STL de fecha "
            f"{spanish.date_short(previa.fecha)}"
        )
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
        tomadas = registro.perfil.redacta.get("observaciones") and any(
            o.aceptada for o in previa.observaciones
        )
        con = ", con las observaciones que se tomaron" if tomadas else ""
        return (
            f"{documento(registro, 'el')} de la {nombre_sesion(previa)} del STL, de fecha "
            f"{spanish.date_short(previa.fecha)}{con}"
        )
    if sesion.orden_modificado:
        return "el orden del día con las modificaciones propuestas"
    return "el orden del día en sus términos"


# --- people and sentences of the acta ---------------------------------------------------------------------


def articulo(persona: Integrante) -> str:
    return "la" if persona.genero == "f" else "el"


def de_articulo(persona: Integrante) -> str:
    """ "de la" or "del" (never "de el")."""
    return "de la" if persona.genero == "f" else "del"


# --- roles: who conducts, convenes, drafts and signs, from the profile and the roster ------------------------


def dirige(registro: Registro, fecha: dt.date) -> Integrante | None:
    """Who conducts the sessions under the profile (`rules.dirige`): the role the agenda and the acta name."""
    return rules.dirige(registro, fecha)


def recibe_firmas(registro: Registro) -> dict[str, str]:
    """Whom a member sends what they signed outside stl (the signing page's download), by role: who conducts the
    sessions (000 Cap. XI.5; 001 Art. 9.1; 002 VII.1), as the roster has them at the latest session, {"el": "la
    Facilitadora del Secretariado Técnico Local", "al": "a la Facilitadora…"}; the profile's role when the roster
    names nobody. Never a person's name or address: the page is public."""
    fechas = [s.fecha for s in registro.sesiones]
    persona = dirige(registro, max(fechas)) if fechas else None
    if persona is not None:
        el = f"{articulo(persona)} {rol(persona)}"
    elif registro.perfil.quien_dirige == "facilitador":
        el = "el Facilitador del Secretariado Técnico Local"
    else:
        el = "la Presidencia del Secretariado Técnico Local"
    return {"el": el, "al": "al " + el.removeprefix("el ") if el.startswith("el ") else "a " + el}


def rol(persona: Integrante) -> str:
    """ "Facilitador del Secretariado Técnico Local", "Presidenta del Secretariado Técnico Local": the role a
    person holds in the STL; a member without one goes by the cargo."""
    if persona.calidad is Calidad.FACILITADOR:
        return f"{rol_corto(persona)} del Secretariado Técnico Local"
    if persona.preside:
        return f"{'Presidenta' if persona.genero == 'f' else 'Presidente'} del Secretariado Técnico Local"
    return persona.cargo_corto


def rol_corto(persona: Integrante) -> str:
    """ "Facilitadora", "Presidente del STL": how the acta names the role once the person was introduced."""
    if persona.calidad is Calidad.FACILITADOR:
        return "Facilitadora" if persona.genero == "f" else "Facilitador"
    if persona.preside:
        return f"{'Presidenta' if persona.genero == 'f' else 'Presidente'} del STL"
    return persona.cargo_corto


_DOCUMENTO = {
    "acta": {"": "Acta", "el": "el Acta", "del": "del Acta", "al": "al Acta"},
    "minuta": {"": "Minuta", "el": "la Minuta", "del": "de la Minuta", "al": "a la Minuta"},
}


def documento(registro: Registro, contraccion: str = "", clase: str | None = None) -> str:
    """What each session leaves, by the profile: "Acta" (000 Cap. VI.7) or "Minuta" (001 Art. 7.5), with its
    article: `contraccion` "el" → "el Acta" / "la Minuta", "del", "al". `clase` names another record's own
    document: "minuta" for a working meeting's (000 Cap. VI.7; 002 V.7), whatever the profile calls its actas."""
    return _DOCUMENTO[clase or registro.perfil.documento][contraccion]


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
    """ "del Estado de México", "del Estado de Zacatecas" (never "de Zacatecas": that is the municipality)."""
    return f"del {estado}" if estado.startswith("Estado ") else f"del Estado de {estado}"


# The article belongs to the wording, not to what the Facilitador typed: «la plataforma Jitsi» and «Plataforma
# virtual Zoom» both read «a través de la plataforma…», never «de la la plataforma». Without an article typed, the
# usual nouns of a venue give it; any other name (Zoom, Microsoft Teams, Palacio de Gobierno) goes without one.
_ARTICULO = re.compile(r"(el|la|los|las)\s+(?=\S)", re.IGNORECASE)
_GENERO = {
    "la": [
        "plataforma",
        "sala",
        "aula",
        "videoconferencia",
        "videollamada",
        "liga",
        "reunión",
        "oficina",
        "biblioteca",
        "casa",
        "sede",
        "universidad",
        "escuela",
        "facultad",
        "presidencia",
        "secretaría",
        "dirección",
    ],
    "el": [
        "salón",
        "auditorio",
        "recinto",
        "edificio",
        "palacio",
        "centro",
        "canal",
        "sistema",
        "espacio",
        "foro",
        "instituto",
        "congreso",
        "museo",
        "teatro",
        "hotel",
        "club",
    ],
}


def _articulo_y_nombre(sede: str) -> tuple[str | None, str]:
    """ "la plataforma Jitsi" → ("la", "plataforma Jitsi"); "Plataforma virtual Zoom" → ("la", …); "Zoom" → (None, …)."""
    sede = " ".join(sede.split())
    tecleado = _ARTICULO.match(sede)
    if tecleado:
        return tecleado.group(1).lower(), sede[tecleado.end() :]
    primera = sede.split(" ", 1)[0].lower()
    return next((a for a, nombres in _GENERO.items() if primera in nombres), None), sede


def donde(modalidad: str | None, sede: str) -> str:
    """Where a session is held, as a clause: «a través de la Plataforma virtual Zoom», «a través del canal de
    YouTube», «en la Sala de Plenos del ITEI», «a través de Zoom»."""
    articulo, nombre = _articulo_y_nombre(sede)
    if modalidad == "virtual":
        return f"a través {'del' if articulo == 'el' else f'de {articulo}' if articulo else 'de'} {nombre}"
    return f"en {articulo} {nombre}" if articulo else f"en {nombre}"


def sede(sede: str) -> str:
    """The venue as a name, for a calendar's LOCATION or a list: «la Sala de Plenos» → «Sala de Plenos»."""
    _, nombre = _articulo_y_nombre(sede)
    return nombre[:1].upper() + nombre[1:]


def ordinal_punto(n: int) -> str:
    """ "segundo", "tercer", "séptimo": the ordinal before «punto del orden del día»."""
    return spanish.ordinal(n, "m", apocope=True)


def enunciado_acuerdo(redaccion: str, objeto: str) -> str:
    """ "Por el que, se aprueba por unanimidad de votos el orden del día…"; a vote worded with its breakdown
    ("…, con ocho votos a favor y un voto en contra, del …") is set off by a comma before the object."""
    texto = f"Por el que, {redaccion}{',' if ',' in redaccion else ''} {objeto}"
    return texto if texto.endswith(".") else texto + "."


# --- legal basis ------------------------------------------------------------------------------------------

_CITA = re.compile(
    r"^(?:(?P<tipo>Cap|Art)\.\s*)?(?P<numero>[0-9]+|[IVXLCDM]+)(?:\.(?P<numeral>[0-9]+))?"
    r"(?:,\s*fracc\.\s*(?P<fracciones>[IVXLCDM]+(?:\s*y\s*[IVXLCDM]+)*))?$"
)
_DIVISION = {"Cap": "capítulo", "Art": "artículo", None: "apartado"}


def cita_en_palabras(cita: str) -> str:
    """ "Art. 11, fracc. I" → "el artículo 11, fracción I"; "Art. 7.3" → "el artículo 7, numeral 3"; "Cap. XI.1"
    → "el capítulo XI, numeral 1"; "V.6" → "el apartado V, numeral 6". A citation of another shape stays as is."""
    cita = re.sub(r"\s*\(.*\)\s*$", "", cita.strip())
    m = _CITA.match(cita)
    if m is None:
        return cita
    texto = f"el {_DIVISION[m['tipo']]} {m['numero']}"
    if m["numeral"]:
        texto += f", numeral {m['numeral']}"
    if m["fracciones"]:
        plural = " y " in m["fracciones"]
        texto += f", {'fracciones' if plural else 'fracción'} {m['fracciones']}"
    return texto


def fundamento(perfil: Perfil, tipo: TipoSesion = TipoSesion.ORDINARIA) -> str:
    """The legal basis of a convocatoria in full words: who convenes, that the STL may meet in extraordinary
    session (for one), and the notice, each article once ("el artículo 11, fracción I, el artículo 7, numeral 2,
    y el artículo 7, numeral 3, de los Lineamientos…")."""
    reglas = [perfil.convoca]
    if tipo is TipoSesion.EXTRAORDINARIA and perfil.extraordinarias is not None:
        reglas.append(perfil.extraordinarias)
    reglas.append(perfil.aviso)
    citas = list(dict.fromkeys(cita_en_palabras(r.cita.split(";")[0]) for r in reglas))
    de = "de los" if perfil.nombre.split(" ", 1)[0].endswith("s") else "del"
    enumeradas = citas[0] if len(citas) == 1 else ", ".join(citas[:-1]) + f", y {citas[-1]}"
    return f"{enumeradas}, {de} {perfil.nombre}"


def si_no_asiste(perfil: Perfil) -> str:
    """ "y, en caso de no poder asistir, hacerlo del conocimiento de su suplente o enlace": only the figures that
    stand in for a titular under the profile's rules and are convened (no «enlace» in Zacatecas, 001 Art. 5)."""
    figuras = [c for c in ("suplente", "enlace") if c in perfil.convoca["destinatarios"]]
    if not figuras:
        return ""
    return f" y, en caso de no poder asistir, hacerlo del conocimiento de su {' o '.join(figuras)}"


# --- votes ------------------------------------------------------------------------------------------------

_MOTIVOS = {"impedimento": "por impedimento", "conflicto_de_interes": "por conflicto de interés"}
# Who holds the casting vote, by the profile's `empate.voto_de_calidad` (000 Cap. VIII.4; 002 VI).
_OFICIO_DE_CALIDAD = {
    "presidente": "la Presidencia",
    "sociedad_civil": "la Representación de la Sociedad Civil",
}


def _votos(n: int, sentido: str) -> str:
    """ "cuatro votos a favor", "un voto en contra", "ningún voto en contra"."""
    if n == 0:
        return f"ningún voto {sentido}"
    return f"{spanish.cardinal(n)} {'voto' if n == 1 else 'votos'} {sentido}"


def _de(persona: Integrante, motivo: str | None = None) -> str:
    """ "del Representante del Poder Judicial, Ricardo Solís Estrada" (", por impedimento")."""
    texto = f"{de_articulo(persona)} {persona.cargo_corto}, {persona.nombre}"
    return f"{texto}, {_MOTIVOS[motivo]}" if motivo in _MOTIVOS else texto


def _quienes(items: list[str]) -> str:
    """ "del A, Ana; de la B, Bea; y del C, Carlos": each person already holds a comma, so semicolons part them."""
    if len(items) == 1:
        return items[0]
    return "; ".join(items[:-1]) + "; y " + items[-1]


def _cuenta(
    favor: int, contra: tuple[Integrante, ...], abst: tuple[tuple[Integrante, str | None], ...]
) -> str:
    """ "cuatro votos a favor, un voto en contra del …, y una abstención de la …, por impedimento": each vote
    against and each abstention with whom it is of, never set off from it by a comma."""
    partes = [_votos(favor, "a favor")]
    if contra:
        partes.append(f"{_votos(len(contra), 'en contra')} {_quienes([_de(p) for p in contra])}")
    if abst:
        n = len(abst)
        quienes = _quienes([_de(p, motivo) for p, motivo in abst])
        partes.append(f"{spanish.cardinal(n, 'f')} {'abstención' if n == 1 else 'abstenciones'} {quienes}")
    if len(partes) == 1:
        return f"{partes[0]} y {_votos(0, 'en contra')}"
    if len(partes) == 2:
        return f"{partes[0]} y {partes[1]}"
    return ", ".join(partes[:-1]) + (", y " if "," in partes[-2] else " y ") + partes[-1]


def votacion(resultado: rules.Resultado, stl: Stl, perfil: Perfil) -> str:
    """How the acta words an outcome, by its class (`rules.CLASES`; 000 Cap. VIII; 001 Art. 7; 002 VI): unanimity
    as seed 003; any other with its count in words and who voted against or abstained (and why); a tie decided
    by the casting vote, naming the office; a rejection as such, and why when it is not a majority against."""
    r = resultado
    cuenta = _cuenta(
        len(r.a_favor),
        tuple(stl.integrante(w) for w in r.en_contra),
        tuple((stl.integrante(w), motivo) for w, motivo in r.motivos),
    )
    if r.clase in ("voto_de_calidad", "rechazo_voto_de_calidad"):
        oficio = _OFICIO_DE_CALIDAD.get(
            str(perfil.empate["voto_de_calidad"]), "quien tiene el voto de calidad"
        )
        que = "se aprueba con" if r.clase == "voto_de_calidad" else "no se aprueba, por"
        calidad = stl.integrante(r.voto_de_calidad)
        return f"{que} el voto de calidad de {oficio}, a cargo {_de(calidad)}, ante el empate de {cuenta}"
    formulas = {
        "unanimidad": "se aprueba por unanimidad de votos",
        "unanimidad_emitidos": f"se aprueba por unanimidad de los votos emitidos, con {cuenta}",
        "mayoria": f"se aprueba por mayoría de votos, con {cuenta}",
        "rechazo_mayoria": f"se rechaza por mayoría de votos, con {cuenta}",
        "empate": f"no se aprueba, ante el empate de {cuenta}",
        "sin_mayoria": f"no se aprueba, al no reunir la mayoría de votos que se requiere, con {cuenta}",
        "sin_sociedad_civil": f"no se aprueba, al no contar con el voto a favor de la sociedad civil, con {cuenta}",
        "sin_quorum": "no se aprueba, por falta de quórum",
    }
    return formulas[r.clase]


def resultado(registro: Registro, resultado: rules.Resultado) -> str:
    """`votacion` with the STL and the profile of `registro`."""
    return votacion(resultado, registro.stl, registro.perfil)
