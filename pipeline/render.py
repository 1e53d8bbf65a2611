"""Stage 3 — render: one context per document → PDF (HTML+CSS through WeasyPrint) and DOCX (docxtpl).

Takes a `Registro` and the rules' `Dictamen`; gives a frozen `Documento` whose every sentence is already
worded (from `wording` and `spanish`), then bytes in each format. Templates only lay the context out, so
the PDF and the DOCX say exactly the same thing. Jinja runs with autoescaping and `StrictUndefined`: text
from records is text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from . import paquete, spanish, wording
from .errors import InstalacionError, RulesError, StlError
from .models import Calidad, Integrante, Intervencion, Punto, Registro, Reunion, Sesion, Stl, TipoPunto
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
    "escribir",
    "orden",
    "pdf",
]


TEMPLATES = paquete.plantillas()

# Connectors between interventions, in turn, as the Facilitador writes them (seed 003).
_CONECTORES = (
    "Por su parte",
    "Posteriormente",
    "Asimismo",
    "En uso de la voz",
    "En relación con lo anterior",
)


@dataclass(frozen=True)
class Bloque:
    """A paragraph, a numbered list (an agenda) or an acuerdo row."""

    tipo: str  # "parrafo", "lista" or "acuerdo"
    texto: str = ""
    items: tuple[str, ...] = ()
    folio: str = ""


@dataclass(frozen=True)
class Seccion:
    numero: str  # Roman numeral of the agenda item
    bloques: tuple[Bloque, ...]
    encabezado: str | None = None


@dataclass(frozen=True)
class Firmante:
    id: str
    nombre: str
    denominacion: str


@dataclass(frozen=True)
class Documento:
    """Everything a document says, worded; the same value feeds the PDF and the DOCX templates."""

    clase: str  # "acta", …: the template's name
    titulo: str
    autor: str
    pie: str  # "Esta hoja corresponde al Acta de…", on every page
    apertura: str
    orden_convocado: tuple[str, ...]
    secciones: tuple[Seccion, ...]
    encabezado_firmas: str
    firmantes: tuple[Firmante, ...]
    idioma: str = "es-MX"


# --- the acta ---------------------------------------------------------------------------------------------


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _a_la(titulo: str) -> str:
    """ "a la presentación…", "al informe…": the contraction before an agenda title."""
    first = titulo.split(" ", 1)[0].lower().strip(",")
    feminine = first.endswith(("ción", "sión", "dad", "tud", "a"))
    return f"a la {_lower_first(titulo)}" if feminine else f"al {_lower_first(titulo)}"


def _agenda(
    puntos: tuple[Punto, ...], sesion: Sesion, registro: Registro, abreviado: bool
) -> tuple[str, ...]:
    titles = [wording.titulo_punto(p, sesion, registro, abreviado) for p in puntos]
    return tuple(f"{t};" if i < len(titles) - 1 else f"{t}." for i, t in enumerate(titles))


def _paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by a blank line; inside one, line breaks are spaces (in PDF and DOCX alike)."""
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _parrafos(item: Intervencion, i: int, stl: Stl) -> list[Bloque]:
    """One intervention, the `i`-th of its item: connector, who speaks, what they said (seed 003)."""
    first, *rest = _paragraphs(item.texto)
    if item.orador is None:
        text = _capital(first)
    else:
        text = f"{_CONECTORES[i % len(_CONECTORES)]}, {wording.quien(stl.integrante(item.orador))}, {first}"
    return [Bloque("parrafo", text), *(Bloque("parrafo", p) for p in rest)]


def parrafos(intervenciones: tuple[Intervencion, ...], stl: Stl, start: int = 0) -> list[Bloque]:
    """Interventions as the acta and the minuta write them."""
    return [b for i, item in enumerate(intervenciones[start:], start) for b in _parrafos(item, i, stl)]


class _Acta:
    """Words the acta of one session; each agenda kind has its formula (seed 003)."""

    def __init__(self, registro: Registro, dictamen: Dictamen) -> None:
        self.registro, self.d, self.s, self.stl = registro, dictamen, dictamen.sesion, registro.stl
        dirige = wording.dirige(registro, self.s.fecha)
        self.f = dirige if dirige and self.s.asistio(dirige.id) else None
        self.resultados = {r.acuerdo.folio: r for r in dictamen.resultados}

    # who conducts: the Facilitador (000 Cap. XI.5; 001 Art. 9.1) or who presides the STL (002 VII.1), by the
    # profile; the words "quien preside la sesión" only when the roster names nobody who attended
    def conduce(self) -> str:
        return wording.quien(self.f) if self.f else "quien preside la sesión"

    def conduce_corto(self) -> str:
        if self.f is None:
            return "quien preside la sesión"
        return f"{wording.articulo(self.f)} {wording.rol_corto(self.f)}"

    def asistente(self, id_: str, en_lugar_de: str | None, forma) -> str:
        text = forma(self.stl.integrante(id_))
        if en_lugar_de:
            text += f", en suplencia de {self.stl.integrante(en_lugar_de).nombre}"
        return text

    def apertura(self) -> str:
        s, conv = self.s, self.s.convocatoria
        sede = f"a través de la {s.sede}" if s.modalidad == "virtual" else f"en {s.sede}"
        convoca = self.stl.integrante(conv.convoca)
        titulo = wording.rol_corto(convoca) if convoca.calidad is Calidad.FACILITADOR else convoca.cargo_corto
        presentes = [self.asistente(a.integrante, a.en_lugar_de, wording.presentacion) for a in s.asistencia]
        return (
            f"{wording.en_entidad(s.entidad)}, siendo {spanish.time_words(s.hora_inicio)} del día {spanish.date_words(s.fecha)}, "
            f"se encuentran reunidos los integrantes del Secretariado Técnico Local {wording.del_estado(self.stl.estado)}, "
            f"para celebrar su {wording.nombre_sesion(s)}, {sede}, a la cual fueron convocados por "
            f"{wording.articulo(convoca)} {titulo} C. {convoca.nombre}, mediante el oficio número {conv.folio}, "
            f"de fecha {spanish.date_words(conv.fecha)}; en ese sentido, se presentaron: "
            f"{wording.lista_legal(presentes)}, con la finalidad de desahogar la sesión bajo el siguiente orden del día:"
        )

    def intervenciones(self, punto: Punto, start: int = 0) -> list[Bloque]:
        if punto.tipo is not TipoPunto.ASUNTOS_GENERALES:
            return parrafos(punto.intervenciones, self.stl, start)
        blocks = []
        for i, item in enumerate(punto.intervenciones[start:], start):
            if item.orador is None or not self._da_la_palabra(punto, i):
                blocks += _parrafos(item, i, self.stl)
                continue
            # Asuntos generales: the Facilitador gives the floor (seed 003, punto VI).
            first, *rest = _paragraphs(item.texto)
            persona = self.stl.integrante(item.orador)
            lead = "Continuando con los asuntos generales, " if i else ""
            text = (
                f"{_capital(lead + self.conduce_corto())} otorgó el uso de la palabra "
                f"{'a la' if persona.genero == 'f' else 'al'} {persona.cargo_corto}, {persona.nombre}, quien {first}"
            )
            blocks += [Bloque("parrafo", text), *(Bloque("parrafo", p) for p in rest)]
        return blocks

    def _da_la_palabra(self, punto: Punto, i: int) -> bool:
        orador = punto.intervenciones[i].orador
        previous = punto.intervenciones[i - 1].orador if i else None
        facilitador = self.f.id if self.f else None
        return orador != facilitador and (i == 0 or previous == facilitador)

    def acuerdos(self, punto: Punto, intro: str) -> list[Bloque]:
        if not punto.acuerdos:
            return []
        blocks = [Bloque("parrafo", intro)]
        for acuerdo in punto.acuerdos:
            resultado = self.resultados[acuerdo.folio]
            objeto = wording.acuerdo_objeto(acuerdo, self.s, self.registro)
            blocks.append(
                Bloque("acuerdo", wording.enunciado_acuerdo(resultado.redaccion, objeto), folio=acuerdo.folio)
            )
        return blocks

    # --- one formula per agenda kind ---

    def quorum(self, n: int, punto: Punto) -> list[Bloque]:
        q = self.d.quorum
        if q.cumple and q.presentes == q.base:
            estado = "se contaba con la totalidad de integrantes del Secretariado Técnico Local"
        elif q.cumple:
            estado = (
                f"se contaba con quórum legal, con {spanish.cardinal(q.presentes)} de "
                f"{spanish.cardinal(q.base)} integrantes con derecho a voto"
            )
        else:
            estado = "no se contaba con el quórum requerido"
        forma = lambda p: f"{p.nombre}, {p.denominacion}"  # noqa: E731
        lista = [self.asistente(a.integrante, a.en_lugar_de, forma) for a in self.s.asistencia]
        blocks = [
            Bloque(
                "parrafo",
                f"{_capital(self.conduce())}, en uso de la voz procedió al pase de lista para la verificación del "
                f"quórum legal, constatando que {estado}, {wording.lista_legal(lista)}.",
            )
        ]
        ausentes = self._ausentes()
        if ausentes:
            blocks.append(
                Bloque("parrafo", f"Se hace constar la inasistencia de {spanish.join_names(ausentes)}.")
            )
        return blocks + self.intervenciones(punto)

    def _ausentes(self) -> list[str]:
        suplidos = {a.en_lugar_de for a in self.s.asistencia if a.en_lugar_de}
        return [
            f"{p.nombre}, {p.denominacion}"
            for p in self.stl.titulares(self.s.fecha)
            if not self.s.asistio(p.id) and p.id not in suplidos
        ]

    def orden_del_dia(self, n: int, punto: Punto) -> list[Bloque]:
        blocks = [
            Bloque(
                "parrafo",
                f"Para el desahogo del {wording.ordinal_punto(n)} punto del orden del día, se sometió a "
                "consideración de los asistentes la lectura y en su caso, aprobación del orden del día; en uso de "
                f"la palabra, {self.conduce()}, preguntó a los presentes si existía algún comentario o "
                "modificación al mismo.",
            ),
            *self.intervenciones(punto),
        ]
        if self.s.orden_modificado:
            blocks += [
                Bloque(
                    "parrafo",
                    f"Por lo que, {self.conduce_corto()} sometió a consideración {self._modificaciones()}, "
                    "quedando de la siguiente manera:",
                ),
                Bloque("lista", items=_agenda(self.s.orden_aprobado, self.s, self.registro, abreviado=False)),
            ]
        intro = (
            f"Una vez agotado el {wording.ordinal_punto(n)} punto del orden del día, {self.conduce_corto()} "
            "procedió a recabar la votación del punto correspondiente para emitir el siguiente acuerdo:"
        )
        return blocks + self.acuerdos(punto, intro)

    def _modificaciones(self) -> str:
        convocados = list(self.s.orden_convocado)
        cambios = []
        for p in self.s.orden_del_dia:
            if not (p.retirado or p.agregado):
                continue
            if p.retirado:
                que = f"retirar el {wording.ordinal_punto(convocados.index(p) + 1)} punto"
            else:
                que = f"incorporar el punto «{wording.titulo_punto(p, self.s, self.registro)}»"
            if p.solicita:
                persona = self.stl.integrante(p.solicita)
                nombre = persona.representacion or persona.cargo_corto
                que += f" por parte {wording.de_articulo(persona)} {nombre}"
            cambios.append(que)
        return "la propuesta de " + spanish.join_names(cambios)

    def aprobacion_acta(self, n: int, punto: Punto) -> list[Bloque]:
        previa = self.registro.sesion(punto.sesion)
        nombre = f"{wording.nombre_sesion(previa)} del STL, de fecha {spanish.date_short(previa.fecha)}"
        return [
            Bloque(
                "parrafo",
                f"Para el desahogo del {wording.ordinal_punto(n)} punto del orden del día, en uso de la voz "
                f"{self.conduce_corto()}, procedió a someter a consideración de los integrantes del Secretariado "
                f"Técnico Local (STL) la aprobación {wording.documento(self.registro, 'del')} de la {nombre}, en ese sentido, {self.conduce_corto()} "
                "señaló que en días pasados se envió a cada integrante el documento para conocimiento del mismo, "
                "por lo que preguntó a los presentes si tenían algún comentario al respecto o se pudiera aprobar "
                "en los términos propuestos.",
            ),
            *self.intervenciones(punto),
            *self.acuerdos(punto, "Derivado de ello, se emitió el siguiente acuerdo:"),
        ]

    def asunto(self, n: int, punto: Punto) -> list[Bloque]:
        intro = (
            f"En el desahogo del {wording.ordinal_punto(n)} punto del orden del día, concerniente "
            f"{_a_la(wording.titulo_punto(punto, self.s, self.registro))}"
        )
        first = punto.intervenciones[0] if punto.intervenciones else None
        if first and self.f and first.orador == self.f.id:
            head, *rest = _paragraphs(first.texto)
            blocks = [
                Bloque("parrafo", f"{intro}, {self.conduce()}, {head}"),
                *(Bloque("parrafo", p) for p in rest),
            ]
            blocks += self.intervenciones(punto, start=1)
        else:
            blocks = [Bloque("parrafo", intro + "."), *self.intervenciones(punto)]
        if punto.acuerdos:
            blocks.append(
                Bloque(
                    "parrafo",
                    f"{_capital(self.conduce())}, sometió a votación el {wording.ordinal_punto(n)} punto del "
                    "orden del día, al no haber más participaciones.",
                )
            )
        intro_acuerdo = "Una vez analizado y discutido el presente asunto, el Secretariado Técnico emitió el siguiente acuerdo:"
        return blocks + self.acuerdos(punto, intro_acuerdo)

    def seguimiento_acuerdos(self, n: int, punto: Punto) -> list[Bloque]:
        intro = (
            f"Para el desahogo del {wording.ordinal_punto(n)} punto del orden del día, relativo al seguimiento "
            f"de acuerdos, {self.conduce()}, informó sobre el estado de los acuerdos adoptados por el Secretariado."
        )
        return [
            Bloque("parrafo", intro),
            *self.intervenciones(punto),
            *self.acuerdos(punto, "Se emitió el siguiente acuerdo:"),
        ]

    def asuntos_generales(self, n: int, punto: Punto) -> list[Bloque]:
        intro = f"En desahogo al {wording.ordinal_punto(n)} punto del orden del día, alusivo a los asuntos generales:"
        if not punto.intervenciones:
            return [Bloque("parrafo", intro + " no se registraron asuntos generales.")]
        cierre = (
            f"{_capital(self.conduce())}, mencionó que, no habiendo otra participación por parte de los "
            "integrantes, se continuaría con el siguiente punto del orden del día."
        )
        blocks = [Bloque("parrafo", intro), *self.intervenciones(punto)]
        return blocks + self.acuerdos(punto, "Se emitió el siguiente acuerdo:") + [Bloque("parrafo", cierre)]

    def clausura(self, n: int, punto: Punto) -> list[Bloque]:
        s = self.s
        return [
            *self.intervenciones(punto),
            Bloque(
                "parrafo",
                f"Para el desahogo del {wording.ordinal_punto(n)} punto del orden del día se procedió a la clausura "
                "de la sesión, por lo que, una vez desahogados los puntos del orden del día, siendo "
                f"{spanish.time_words(s.hora_cierre)} del {spanish.date_words(s.fecha)}, se dio por concluida la "
                f"{wording.nombre_sesion(s)}{self._levanta()}, firmando al margen y al calce de la presente "
                f"{self.registro.perfil.documento} quienes en ella intervinieron.",
            ),
        ]

    def _levanta(self) -> str:
        """Who drafts, where the profile names the drafter's own record (001 Art. 9.3: acta circunstanciada)."""
        redacta = self.registro.perfil.redacta
        if not redacta.get("documento") or redacta.get("calidad") != "facilitador" or self.f is None:
            return ""
        if self.f.calidad is not Calidad.FACILITADOR:
            return ""
        return f", de la cual {self.conduce()}, levanta {redacta['documento']}"

    def documento(self) -> Documento:
        s = self.s
        nombre = wording.nombre_sesion(s)
        secciones = []
        for n, punto in enumerate(s.orden_aprobado, 1):
            bloques = getattr(self, punto.tipo.value)(n, punto)
            encabezado = "Clausura de la Sesión" if punto.tipo is TipoPunto.CLAUSURA else None
            secciones.append(Seccion(spanish.roman(n), tuple(bloques), encabezado))
        firmantes = tuple(Firmante(p.id, p.nombre, p.denominacion) for p in self.d.firmantes)
        doc = lambda contraccion="": wording.documento(self.registro, contraccion)  # noqa: E731
        return Documento(
            clase="acta",
            titulo=f"{doc()} de la {nombre} del {self.stl.nombre}",
            autor=self.stl.nombre,
            pie=f"Esta hoja corresponde {doc('al')} de la {nombre} del Secretariado Técnico Local, de fecha "
            f"{spanish.date_words(s.fecha)}.",
            apertura=self.apertura(),
            orden_convocado=_agenda(s.orden_convocado, s, self.registro, abreviado=True),
            secciones=tuple(secciones),
            encabezado_firmas=f"{doc()} de la {nombre} del Secretariado Técnico Local",
            firmantes=firmantes,
        )


def acta(registro: Registro, dictamen: Dictamen) -> Documento:
    """The acta of a session whose record passes the rules; `RulesError` otherwise."""
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
    return _Acta(registro, dictamen).documento()


def firmantes_de(personas: tuple[Integrante, ...]) -> tuple[Firmante, ...]:
    return tuple(Firmante(p.id, p.nombre, p.denominacion) for p in personas)


# --- the convocatoria oficio and the orden del día ----------------------------------------------------------


@dataclass(frozen=True)
class OrdenDelDia:
    """The orden del día of a session, as convened: its own document and the annex of the convocatoria."""

    titulo: str
    autor: str
    pie: str
    sesion: str  # "Cuarta Sesión Ordinaria del Secretariado Técnico Local de Gobierno Abierto del Estado de México"
    cuando: str  # "martes tres de noviembre de dos mil veinte, a las trece horas"
    donde: str  # "a través de la Plataforma virtual Zoom"
    puntos: tuple[str, ...]
    clase: str = "orden"
    idioma: str = "es-MX"


@dataclass(frozen=True)
class Oficio:
    """The convocatoria oficio (folio STL/004/2020), with the orden del día attached."""

    titulo: str
    autor: str
    pie: str
    emisor: str  # the STL, at the head of the oficio
    folio: str
    lugar_fecha: str  # "Estado de México, a veintiséis de octubre de dos mil veinte"
    asunto: str
    destinatarios: tuple[Firmante, ...]
    cuerpo: tuple[str, ...]
    firma: Firmante
    anexo: OrdenDelDia
    clase: str = "convocatoria"
    idioma: str = "es-MX"


def _cuando_donde(s: Sesion) -> tuple[str, str]:
    """When and where the session is convened: the convened hour, or the opening if the record gives none."""
    hora = s.convocatoria.hora if s.convocatoria and s.convocatoria.hora else s.hora_inicio
    cuando = f"{spanish.weekday_name(s.fecha)} {spanish.date_words(s.fecha)}, a {spanish.time_words(hora)}"
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
        puntos=_agenda(sesion.orden_convocado, sesion, registro, abreviado=True),
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
    )


# --- the minuta of a working meeting --------------------------------------------------------------------


@dataclass(frozen=True)
class FilaAcuerdo:
    numero: int
    texto: str
    responsable: str
    fecha_limite: str


@dataclass(frozen=True)
class Minuta:
    """The minuta of a working meeting: attendees, topics, agreements with who and by when."""

    titulo: str
    autor: str
    pie: str
    encabezado: str
    datos: tuple[tuple[str, str], ...]  # (label, value): fecha, horario, modalidad, asunto
    asistentes: tuple[Firmante, ...]
    externos: tuple[Firmante, ...]
    temas: tuple[Seccion, ...]
    acuerdos: tuple[FilaAcuerdo, ...]
    encabezado_firmas: str
    firmantes: tuple[Firmante, ...]
    clase: str = "minuta"
    idioma: str = "es-MX"


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
    env.filters["capitalize_first"] = _capital
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

    return imprenta.pdf(html(documento), TEMPLATES / "pdf")


def escribir(
    carpeta: Path,
    nombre: str,
    documento: Documento | Oficio | OrdenDelDia | Minuta,
    formato: str,
    imprenta=None,
) -> list[Path]:
    """Write a document as `formato` ("pdf", "docx" or "ambos"): NOMBRE.pdf with NOMBRE.firmas.json (the
    signature-block positions, for signing) and/or NOMBRE.docx, atomically. Gives the paths written."""
    import json

    from . import render_docx
    from .files import write_atomic

    pdf_tambien, docx_tambien = formato in ("pdf", "ambos"), formato in ("docx", "ambos")
    if pdf_tambien and imprenta is not None:  # an `imprenta.Imprenta`, already readying WeasyPrint
        imprenta.encargar(html(documento), TEMPLATES / "pdf")  # laid out there while the DOCX is built here
    docx = render_docx.docx(documento) if docx_tambien else None
    paths = []
    if pdf_tambien:
        datos, bloques = imprenta.recoger() if imprenta is not None else pdf(documento)
        paths.append(write_atomic(carpeta, f"{nombre}.pdf", datos))
        if bloques:
            posiciones = json.dumps(bloques, ensure_ascii=False, indent=2).encode()
            paths.append(write_atomic(carpeta, f"{nombre}.firmas.json", posiciones))
    if docx is not None:
        paths.append(write_atomic(carpeta, f"{nombre}.docx", docx))
    return paths
