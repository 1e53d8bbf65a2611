"""Stage 3 — render: one context per document → PDF (HTML+CSS through WeasyPrint) and DOCX (docxtpl).

Takes a `Registro` and the rules' `Dictamen`; gives a frozen `Documento` whose every sentence is already
worded (from `wording` and `spanish`), then bytes in each format. Templates only lay the context out, so
the PDF and the DOCX say exactly the same thing. Jinja runs with autoescaping and `StrictUndefined`: text
from records is text, never markup.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cache

import jinja2

from . import acta as actas
from . import membrete as membretes
from . import paquete, spanish, wording
from .acta import agenda, capital, parrafos
from .documentos import (
    Bloque,
    Documento,
    FilaAcuerdo,
    Firmante,
    Minuta,
    Oficio,
    OrdenDelDia,
    Seccion,
    firmantes_de,
)
from .errors import InstalacionError, RulesError, StlError
from .models import Integrante, Registro, Reunion, Sesion
from .rules import Dictamen

__all__ = [
    "Bloque",
    "Documento",
    "Firmante",
    "Oficio",
    "OrdenDelDia",
    "Seccion",
    "acta",
    "convocatoria",
    "orden",
    "pdf",
]


TEMPLATES = paquete.plantillas()

# --- the acta -------------------------------------------------------------------------------------------


def acta(registro: Registro, dictamen: Dictamen) -> Documento:
    """The acta of a session whose record passes the rules (worded by `acta.documento`); `RulesError` otherwise."""
    if dictamen.errores:
        raise RulesError(dictamen.errores)
    s = dictamen.sesion
    if s.parcial:
        raise StlError(f"la sesión {s.id} es un registro parcial: no genera acta")
    faltan = [
        campo
        for campo, valor in (("asistencia", s.asistencia), ("hora_cierre", s.hora_cierre))
        if valor is None
    ]
    if faltan or not s.orden_del_dia:
        faltan += [] if s.orden_del_dia else ["orden_del_dia"]
        raise StlError(
            f"{s.lugar.archivo}: la sesión {s.id} aún no tiene {', '.join(faltan)}: "
            "se registran al celebrarse la sesión y el acta se redacta después"
        )
    return actas.documento(registro, dictamen)


# --- the convocatoria oficio and the orden del día ----------------------------------------------------------


def _cuando_donde(s: Sesion) -> tuple[str, str]:
    """When and where the session is convened: the convened hour, or the opening if the record gives none."""
    cuando = f"{spanish.weekday_name(s.fecha)} {spanish.date_words(s.fecha)}, a {spanish.time_words(s.hora_convocada)}"
    donde = f"a través de la {s.sede}" if s.modalidad == "virtual" else f"en {s.sede}"
    return cuando, donde


def orden(registro: Registro, sesion: Sesion) -> OrdenDelDia:
    """The orden del día as convened (the agenda the convocatoria sends, 000 Cap. VI.6)."""
    if not sesion.orden_del_dia:
        raise StlError(f"{sesion.lugar.archivo}: la sesión {sesion.id} no tiene orden del día")
    nombre = wording.nombre_sesion(sesion)
    cuando, donde = _cuando_donde(sesion)
    return OrdenDelDia(
        titulo=f"Orden del día de la {nombre} del {registro.stl.nombre}",
        autor=registro.stl.nombre,
        pie=f"Orden del día de la {nombre} del Secretariado Técnico Local, de fecha {spanish.date_words(sesion.fecha)}.",
        sesion=f"{nombre} del {registro.stl.nombre}",
        cuando=cuando,
        donde=donde,
        puntos=agenda(sesion.orden_convocado, sesion, registro, abreviado=True),
        raiz=registro.raiz,
    )


def destinatarios(registro: Registro, sesion: Sesion) -> tuple[Integrante, ...]:
    """Who the convocatoria is addressed to, by the profile (000 Cap. IV; 001 Art. 11; 002 VII.8)."""
    calidades = registro.perfil.convoca["destinatarios"]
    convoca = sesion.convocatoria.convoca if sesion.convocatoria else None
    return tuple(
        p
        for p in registro.stl.integrantes
        if p.calidad.value in calidades and p.activo(sesion.fecha) and p.id != convoca  # not to oneself
    )


def convocatoria(registro: Registro, sesion: Sesion, folio: str) -> Oficio:
    """The oficio convening `sesion` under `folio`; the notice is checked before (see `folios.emitir`)."""
    stl, perfil, conv = registro.stl, registro.perfil, sesion.convocatoria
    nombre = wording.nombre_sesion(sesion)
    cuando, donde = _cuando_donde(sesion)
    convoca = stl.integrante(conv.convoca)
    cuerpo = (
        f"Con fundamento en {wording.fundamento(perfil)}, me permito convocarles a la {nombre} del {stl.nombre}, que se "
        f"celebrará el {cuando}, {donde}, conforme al orden del día que se adjunta.",
        "Mucho agradeceré confirmar su asistencia y, en caso de no poder asistir, hacerlo del conocimiento de "
        "su suplente o enlace, a fin de contar con el quórum necesario para sesionar.",
        "Sin otro particular, aprovecho la ocasión para enviarles un cordial saludo.",
    )
    return Oficio(
        titulo=f"Convocatoria a la {nombre} del {stl.nombre} (oficio {folio})",
        autor=stl.nombre,
        pie=f"Oficio {folio}. Convocatoria a la {nombre} del Secretariado Técnico Local.",
        emisor=stl.nombre,
        folio=folio,
        lugar_fecha=f"{f'{stl.ciudad}, ' if stl.ciudad else ''}{stl.estado}, a {spanish.date_words(conv.fecha)}",
        asunto=f"Convocatoria a la {nombre}",
        destinatarios=firmantes_de(destinatarios(registro, sesion)),
        cuerpo=cuerpo,
        firma=Firmante(convoca.id, convoca.nombre, convoca.cargo_corto),
        anexo=orden(registro, sesion),
        membrete=membretes.de(registro, conv.fecha),
        ccp=conv.ccp,
        raiz=registro.raiz,
    )


# --- the minuta of a working meeting --------------------------------------------------------------------


def minuta(registro: Registro, reunion: Reunion) -> Minuta:
    stl = registro.stl
    asistentes = firmantes_de(tuple(stl.integrante(i) for i in reunion.asistencia))
    horario = f"de {spanish.time_words(reunion.hora_inicio)} a {spanish.time_words(reunion.hora_cierre)}"
    sede = f"a través de la {reunion.sede}" if reunion.modalidad == "virtual" else f"en {reunion.sede}"
    fecha = spanish.date_words(reunion.fecha)
    temas = tuple(
        Seccion(
            spanish.roman(n), (Bloque("parrafo", tema.tema), *parrafos(tema.intervenciones, stl)), tema.tema
        )
        for n, tema in enumerate(reunion.temas, 1)
    )
    acuerdos = tuple(
        FilaAcuerdo(
            a.numero, a.texto, stl.integrante(a.responsable).nombre, spanish.date_short(a.fecha_limite)
        )
        for a in reunion.acuerdos
    )
    return Minuta(
        titulo=f"Minuta de la Reunión de Trabajo del {stl.nombre}, {spanish.date_short(reunion.fecha)}",
        autor=stl.nombre,
        pie=f"Esta hoja corresponde a la Minuta de la Reunión de Trabajo del Secretariado Técnico Local, de fecha {fecha}.",
        encabezado=f"Minuta de la Reunión de Trabajo del {stl.nombre}",
        datos=(
            ("Fecha", f"{spanish.weekday_name(reunion.fecha)} {fecha}"),
            ("Horario", horario),
            ("Modalidad", f"{reunion.modalidad}, {sede}"),
            ("Asunto", reunion.asunto),
        ),
        asistentes=asistentes,
        externos=tuple(Firmante("", nombre, cargo) for nombre, cargo in reunion.externos),
        temas=temas,
        acuerdos=acuerdos,
        encabezado_firmas=f"Minuta de la Reunión de Trabajo del Secretariado Técnico Local de fecha {fecha}",
        firmantes=asistentes,
        raiz=registro.raiz,
    )


# --- formats ----------------------------------------------------------------------------------------------


@cache
def _jinja() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["mayusculas"] = str.upper
    env.filters["capitalize_first"] = capital
    return env


def html(documento: Documento | Oficio | OrdenDelDia | Minuta) -> str:
    try:
        plantilla = _jinja().get_template(f"pdf/{documento.clase}.html")
    except jinja2.TemplateNotFound as exc:
        raise InstalacionError(f"falta la plantilla {TEMPLATES / exc.name}") from exc
    return plantilla.render(doc=documento)


def pdf(documento: Documento | Oficio | OrdenDelDia | Minuta) -> tuple[bytes, dict[str, list]]:
    """PDF/A-3b bytes and the signature-block rectangles: member id → [page, x1, y1, x2, y2] in PDF points."""
    from . import imprenta

    with sin_fuente(documento):
        return imprenta.pdf(html(documento), TEMPLATES / "pdf")


@contextlib.contextmanager
def sin_fuente(documento) -> Iterator[None]:
    """A character the press found no font for, said with the record fields it is written in."""
    from . import fuentes
    from .errors import SinFuenteError

    try:
        yield
    except SinFuenteError as exc:
        raise fuentes.error(exc.caracteres, documento.raiz) from None
