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
from . import paquete, rubrica, spanish, wording
from .acta import agenda, capital, parrafos
from .documentos import (
    Bloque,
    Documento,
    Errata,
    FeDeErratas,
    FilaAcuerdo,
    Firmante,
    Minuta,
    Oficio,
    OrdenDelDia,
    Seccion,
    Verificacion,
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
    if s.convocatoria is None:  # the acta says who convened the session, when and how
        raise StlError(
            f"{s.lugar.archivo}: la sesión {s.id} no tiene «convocatoria» (fecha y quién convoca), que el acta cita: "
            f"anótela en el registro (y emita el oficio con «stl convocatoria {s.id}»)"
        )
    # Without a folio (a session convened by an oficio stl did not issue) the acta says «mediante oficio, de
    # fecha …», never a number it does not know.
    return actas.documento(registro, dictamen)


# --- the convocatoria oficio and the orden del día ----------------------------------------------------------


def _cuando_donde(s: Sesion) -> tuple[str, str]:
    """When and where the session is convened: the convened hour, or the opening if the record gives none."""
    cuando = f"{spanish.weekday_name(s.fecha)} {spanish.date_words(s.fecha)}, a {spanish.time_words(s.hora_convocada)}"
    return cuando, wording.donde(s.modalidad, s.sede)


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
        f"Con fundamento en {wording.fundamento(perfil, sesion.tipo)}, me permito convocarles a la {nombre} del "
        f"{stl.nombre}, que se celebrará el {cuando}, {donde}, conforme al orden del día que se adjunta.",
        f"Mucho agradeceré confirmar su asistencia{wording.si_no_asiste(perfil)}, a fin de contar con el quórum "
        "necesario para sesionar.",
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


# --- the fe de erratas of an acta -------------------------------------------------------------------------


def _texto_de(doc: Documento) -> dict[str, str]:
    """Everything the acta says, by section (Roman numeral; «encabezado», «firmas»), as one string each."""
    textos = {"encabezado": " ".join([doc.titulo, doc.apertura, *doc.orden_convocado])}
    for s in doc.secciones:
        textos[s.numero] = " ".join(t for b in s.bloques for t in (b.folio, b.texto, *b.items) if t)
    textos["firmas"] = " ".join(
        [doc.encabezado_firmas, *(f"{f.nombre} {f.denominacion}" for f in doc.firmantes)]
    )
    return textos


def fe_de_erratas(
    registro: Registro, sesion: Sesion, numero: int, acta_doc: Documento, cita: str
) -> FeDeErratas:
    """The `numero`-th fe de erratas of the acta of `sesion`: each passage must be in the acta as it reads.

    `cita` says which acta is corrected and its SHA-256 (the signed file's, or the approved text's)."""
    if not 1 <= numero <= len(sesion.fe_de_erratas):
        hay = len(sesion.fe_de_erratas)
        raise StlError(
            f"{sesion.lugar.archivo}: la sesión {sesion.id} no tiene fe de erratas núm. {numero} "
            f"(tiene {hay} en «fe_de_erratas»)"
        )
    fe = sesion.fe_de_erratas[numero - 1]
    stl = registro.stl
    textos = _texto_de(acta_doc)
    erratas = []
    for j, c in enumerate(fe.correcciones):
        clave = c.seccion.strip().removeprefix("punto ").strip()
        if clave not in textos:
            puntos = [k for k in textos if k not in ("encabezado", "firmas")]
            raise StlError(
                f"{fe.lugar.archivo}:{fe.lugar.linea} [fe_de_erratas[{numero - 1}].correcciones[{j}].seccion]: "
                f"el acta de {sesion.id} no tiene la sección «{c.seccion}»: indique el punto del orden del día "
                f"({puntos[0]} a {puntos[-1]}), «encabezado» o «firmas»"
            )
        donde = textos[clave]
        if " ".join(c.dice.split()) not in " ".join(donde.split()):
            lugar = f"en el punto {clave}" if clave not in ("encabezado", "firmas") else f"en «{clave}»"
            raise StlError(
                f"{fe.lugar.archivo}:{fe.lugar.linea} [fe_de_erratas[{numero - 1}].correcciones[{j}].dice]: "
                f"el texto «{c.dice}» no aparece {lugar} de {sesion.id}: la fe de erratas cita lo que el acta dice"
            )
        seccion = f"Punto {clave} del orden del día" if clave not in ("encabezado", "firmas") else c.seccion
        erratas.append(Errata(capital(seccion), c.dice, c.debe_decir))
    nombre = wording.nombre_sesion(sesion)
    quien = fe.firma or (sesion.convocatoria.convoca if sesion.convocatoria else None)
    if quien is None:
        raise StlError(
            f"{fe.lugar.archivo}, línea {fe.lugar.linea}: diga quién emite la fe de erratas («firma»)"
        )
    firma = stl.integrante(quien)
    # «Acta», or «Minuta» where the profile calls it so (001 Art. 7.5)
    al, del_ = wording.documento(registro, "al"), wording.documento(registro, "del")
    cuerpo = (
        f"Con relación {al} de la {nombre} del {stl.nombre}, celebrada el {spanish.date_words(sesion.fecha)} y "
        f"{cita[0]}, se hace constar la siguiente fe de erratas:",
    )
    cierre = (
        *((f"Motivo: {fe.motivo}",) if fe.motivo else ()),
        f"La presente fe de erratas forma parte {del_.lower()} citada, que se conserva sin cambios, y se publica "
        "junto a ella.",
    )
    return FeDeErratas(
        titulo=f"Fe de erratas núm. {numero} {del_} de la {nombre} del {stl.nombre}",
        autor=stl.nombre,
        pie=f"Fe de erratas núm. {numero} {del_} de la {nombre} del Secretariado Técnico Local.",
        emisor=stl.nombre,
        lugar_fecha=f"{f'{stl.ciudad}, ' if stl.ciudad else ''}{stl.estado}, a {spanish.date_words(fe.fecha)}",
        asunto=f"Fe de erratas núm. {numero} {del_} de la {nombre}",
        cuerpo=cuerpo,
        referencia=cita[1],
        erratas=tuple(erratas),
        cierre=cierre,
        firma=Firmante(firma.id, firma.nombre, firma.cargo_corto),
        membrete=membretes.de(registro, fe.fecha),
        ccp=fe.ccp,
        raiz=registro.raiz,
    )


# --- verification in print --------------------------------------------------------------------------------

_BASE32 = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"  # Crockford's: no I, L, O, U, read aloud without doubt


def codigo_verificacion(registro: Registro, objetivo: str, clase: str, contenido: str) -> str:
    """A short code (12 characters, 60 bits) that names one signed document: printed and on its page."""
    import hashlib

    digest = int.from_bytes(
        hashlib.sha256(f"{registro.stl.nombre}|{objetivo}|{clase}|{contenido}".encode()).digest()
    )
    letras = "".join(_BASE32[(digest >> (5 * i)) & 31] for i in range(12))
    return f"{letras[:4]}-{letras[4:8]}-{letras[8:]}"


def pagina_publica(objetivo: str) -> str:
    """The page of a session or working meeting on the public site, relative to its root."""
    return f"{'reuniones' if objetivo.startswith('RT-') else 'sesiones'}/{objetivo}.html"


def verificacion(
    registro: Registro, objetivo: str, clase: str, contenido: str = "", codigo: str = ""
) -> Verificacion | None:
    """What a signed document prints on every page, by its code (given, or made from its content); None without
    `sitio.url` in stl.yaml (nowhere to verify)."""
    base = registro.stl.sitio.url
    if not base:
        return None
    import segno

    codigo = codigo or codigo_verificacion(registro, objetivo, clase, contenido)
    url = f"{base.rstrip('/')}/{pagina_publica(objetivo)}#v-{codigo}"
    qr = segno.make(url, error="m", micro=False)
    # The SVG's title is the QR code's alternative text in the tagged PDF (its /Alt).
    titulo = f"Código QR de verificación del documento: lleva a {url}"
    return Verificacion(
        codigo, url, qr.svg_inline(scale=1, border=0, omitsize=True, dark="#000", title=titulo)
    )


# --- the minuta of a working meeting --------------------------------------------------------------------


def minuta(registro: Registro, reunion: Reunion) -> Minuta:
    stl = registro.stl
    asistentes = firmantes_de(tuple(stl.integrante(i) for i in reunion.asistencia))
    horario = f"de {spanish.time_words(reunion.hora_inicio)} a {spanish.time_words(reunion.hora_cierre)}"
    sede = wording.donde(reunion.modalidad, reunion.sede)
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
    env.globals["rubrica"] = rubrica.disposicion
    return env


def html(documento: Documento | Oficio | OrdenDelDia | Minuta) -> str:
    try:
        plantilla = _jinja().get_template(f"pdf/{documento.clase}.html")
    except jinja2.TemplateNotFound as exc:
        raise InstalacionError(f"falta la plantilla {TEMPLATES / exc.name}") from exc
    return plantilla.render(doc=documento)


def pdf(documento: Documento | Oficio | OrdenDelDia | Minuta) -> tuple[bytes, dict[str, list]]:
    """Tagged PDF/A-3a bytes and the signature-block rectangles: member id → [page, x1, y1, x2, y2] in PDF points."""
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
