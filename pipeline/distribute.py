"""Distribution: the convocatoria and the acta (or a working meeting's minuta), by e-mail, to each addressee once.

Takes the records, a session or a working meeting (RT-…, for its minuta: to sign, and signed; it has no
convocatoria nor draft), the documents `render` makes (or the signed acta in `signatures/<SESION>/`) and
the moment "now", which the CLI reads; gives one `EmailMessage` per addressee, in Spanish, with the documents
attached and, for a convocatoria, an iCalendar invitation: REQUEST; a change of date, time or place sends an
update with the same UID and a higher SEQUENCE; a cancellation, CANCEL. The messages go out over SMTP
(STARTTLS or implicit TLS) or, simulated, are written as `.eml` files in `salida/<SESION>/correo/`.

The governance documents require an electronic channel and a copy of every acta to each integrante (000 Cap.
VI.8-9 and VII-A; 001 Art. 7.6 and 7.8; 002 V.8-9). Every message the server accepts is recorded at once in
`records/envios.yaml`, written atomically under an exclusive lock held for the whole run: running again sends
nothing twice, and a run that failed part-way sends only what is missing. The log names members by id; their
addresses (`privado.correo`) go into the messages and nowhere else.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import re
import smtplib
import ssl
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from . import certificados, records, registros_yaml, render, rules, spanish, verify, wording
from .bitacora import (
    BITACORA,
    PROPIOS,
    clase_de,
    concuerda,
    del_documento,
    espacio,
    leer_bitacora,
    nombre_de,
    palabras,
)
from .documentos import BORRADOR as MARCA_BORRADOR
from .documentos import Documento, Minuta
from .errors import StlError, causa
from .files import bloqueo, subcarpeta, write_atomic
from .models import Calidad, Correo, Envio, Integrante, Registro, Sesion

__all__ = [
    "ACTA",
    "ACTUALIZACION",
    "CANCELACION",
    "CONVOCATORIA",
    "FIRMA",
    "Entrega",
    "Informe",
    "Mensaje",
    "enviar_acta",
    "enviar_convocatoria",
    "enviar_firma",
]

CONVOCATORIA, ACTUALIZACION, CANCELACION, ACTA = "convocatoria", "actualizacion", "cancelacion", "acta"
BORRADOR = "borrador"  # the draft acta, for the attendees' observations
FIRMA = "firma"  # the current version, to the next member who signs it, with the link to the signing page
_INVITACIONES = (CONVOCATORIA, ACTUALIZACION)

ZONA = ZoneInfo("America/Mexico_City")


def _zona(registro: Registro) -> ZoneInfo:
    """The STL's time zone (stl.yaml, zona_horaria; Mexico City unless it says otherwise)."""
    return ZoneInfo(registro.stl.zona_horaria)


# A record says when a session starts; until its closing time is recorded, calendars get this length.
DURACION = dt.timedelta(hours=2)
# Who gets a copy of the acta: the integrantes of the STL, not its guests (000 VI.8; 001 7.6; 002 V.8).
_RECIBEN_ACTA = (Calidad.TITULAR, Calidad.SUPLENTE, Calidad.ENLACE, Calidad.FACILITADOR)
# A simulated run without a `correo:` section still needs a sender (RFC 2606 reserves .invalid).
_REMITENTE_SIMULADO = "correo-no-configurado@stl.invalid"
_TIEMPO_DE_ESPERA = 30  # seconds, for every SMTP operation


@dataclass(frozen=True)
class Adjunto:
    nombre: str
    datos: bytes
    tipo: str  # MIME type


@dataclass(frozen=True)
class Mensaje:
    """One message to one addressee, and what the log records once the server accepts it."""

    clase: str
    sesion: str
    integrante: Integrante
    correo: str  # the address: only in the message itself, never in the log
    asunto: str
    cuerpo: str
    adjuntos: tuple[Adjunto, ...]
    calendario: bytes | None = None  # iCalendar object of the invitation
    metodo: str | None = None  # its METHOD: REQUEST or CANCEL
    sha256: str | None = None  # of the document attached
    secuencia: int | None = None
    inicio: dt.datetime | None = None
    sede: str | None = None

    @property
    def archivo(self) -> str:
        """The `.eml` name of a simulated message: kind, sequence of an update, member id."""
        secuencia = f"-{self.secuencia}" if self.clase == ACTUALIZACION else ""
        return f"{self.clase}{secuencia}-{self.integrante.id}.eml"


@dataclass(frozen=True)
class Entrega:
    """How the messages leave: over SMTP, or written as `.eml` files (simulated: no connection, no log)."""

    simular: bool = False
    contrasena: str | None = None  # from STL_SMTP_CONTRASENA, read by the CLI; never from the records
    contexto_tls: ssl.SSLContext | None = None  # None: the system's trusted authorities
    avance: Callable[[int, int], None] | None = None  # told (messages done, messages in all) as they go
    # Send again the messages recorded «enviado sin confirmación» (the user says they did not arrive).
    reenviar: bool = False


@dataclass(frozen=True)
class Entregado:
    mensaje: Mensaje
    message_id: str
    eml: Path | None = None  # the file of a simulated message


@dataclass(frozen=True)
class Informe:
    """What a run did: messages delivered (or simulated), documents written, what was already sent, problems."""

    simulado: bool
    entregados: tuple[Entregado, ...]
    documentos: tuple[Path, ...]
    ya_enviados: int
    advertencias: tuple[str, ...]
    fallas: tuple[str, ...]  # one per message not sent, naming its addressee and why
    sin_confirmar: tuple[Entregado, ...] = ()  # taken whole by the server, which closed before its «250 OK»
    por_confirmar: tuple[str, ...] = ()  # earlier messages so recorded, not sent again without `reenviar`

    @property
    def problemas(self) -> str | None:
        """What the user must know and act on, in Spanish: each message not sent (one line each, so that the count
        and the lines agree) and the messages sent without confirmation; None when everything went."""
        partes = []
        if self.fallas:
            partes.append(
                f"no se pudieron enviar {len(self.fallas)} mensaje(s); vuelva a ejecutar el comando para enviar "
                "solo los que faltan:\n" + "\n".join(f"  - {f}" for f in self.fallas)
            )
        if self.sin_confirmar:
            partes.append(
                f"{len(self.sin_confirmar)} mensaje(s) quedaron «enviado sin confirmación»: el servidor recibió el "
                "mensaje completo y cerró la conexión antes de confirmarlo, así que pudo haber llegado. Quedó anotado "
                "así en envios.yaml y no se reenvía solo; si no llegó, --reenviar-sin-confirmacion lo envía otra vez "
                "con el mismo Message-ID (el destinatario lo reconoce como el mismo aviso)"
            )
        return "\n".join(partes) or None


@dataclass(frozen=True)
class _Plan:
    mensajes: tuple[Mensaje, ...]
    documentos: tuple[Adjunto, ...]  # written to salida/<SESION>/ before anything is sent
    ya_enviados: int
    advertencias: tuple[str, ...]


# --- the convocatoria -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Evento:
    """The session as a calendar event: what an invitation announces."""

    uid: str
    inicio: dt.datetime
    fin: dt.datetime
    sede: str  # LOCATION: the place, or the platform and its link
    resumen: str


def _slug(texto: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", texto).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def _evento(registro: Registro, sesion: Sesion) -> _Evento:
    zona = _zona(registro)
    inicio = dt.datetime.combine(sesion.fecha, sesion.hora_convocada, zona)
    fin = (
        dt.datetime.combine(sesion.fecha, sesion.hora_cierre, zona)
        if sesion.hora_cierre
        else inicio + DURACION
    )
    lugar = wording.sede(
        sesion.sede
    )  # «Sala de Plenos», not «la Sala de Plenos»: a name, without its article
    sede = f"{lugar}: {sesion.enlace}" if sesion.enlace else lugar
    resumen = f"{wording.nombre_sesion(sesion)} del Secretariado Técnico Local"
    # Stable per session, so that an update or a cancellation replaces the event the invitation created.
    return _Evento(f"{sesion.id}@{_slug(registro.stl.nombre)}", inicio, fin, sede, resumen)


def _cuando(momento: dt.datetime) -> str:
    """ "martes 3 de noviembre de 2020 a las 13:00 horas (hora de la Ciudad de México)"."""
    return (
        f"{spanish.weekday_name(momento.date())} {spanish.date_short(momento.date())} a las "
        f"{momento:%H:%M} horas (hora de la Ciudad de México)"
    )


def _calendario(
    metodo: str,
    evento: _Evento,
    secuencia: int,
    descripcion: str,
    organizador: tuple[str, str],
    asistente: tuple[str, str],
    ahora: dt.datetime,
    enlace: str | None,
) -> bytes:
    """An iCalendar object (RFC 5545/5546) built with `icalendar`: one event, one attendee (the addressee)."""
    from icalendar import Calendar, Event, vCalAddress

    calendario = Calendar()
    calendario.add("prodid", "-//Actas del STL de Gobierno Abierto//actas-stl//ES")
    calendario.add("version", "2.0")
    calendario.add("calscale", "GREGORIAN")
    calendario.add("method", metodo)
    evento_ = Event()
    evento_.add("uid", evento.uid)
    evento_.add("sequence", secuencia)
    evento_.add("dtstamp", ahora.astimezone(dt.UTC))
    evento_.add("dtstart", evento.inicio)
    evento_.add("dtend", evento.fin)
    evento_.add("summary", evento.resumen)
    evento_.add("location", evento.sede)
    evento_.add("description", descripcion)
    if enlace:
        evento_.add("url", enlace)
    evento_.add("status", "CANCELLED" if metodo == "CANCEL" else "CONFIRMED")
    quien = vCalAddress(f"mailto:{organizador[1]}")
    quien.params["cn"] = organizador[0]
    evento_.add("organizer", quien)
    invitado = vCalAddress(f"mailto:{asistente[1]}")
    invitado.params.update({"cn": asistente[0], "role": "REQ-PARTICIPANT", "cutype": "INDIVIDUAL"})
    if metodo == "REQUEST":
        invitado.params.update({"partstat": "NEEDS-ACTION", "rsvp": "TRUE"})
    evento_.add("attendee", invitado)
    calendario.add_component(evento_)
    # The time zone travels with the event (VTIMEZONE), for the years around it only.
    un_anio = dt.timedelta(days=366)
    calendario.add_missing_timezones(
        first_date=evento.inicio.date() - un_anio, last_date=evento.fin.date() + un_anio
    )
    return calendario.to_ical()


def _secuencia(previos: list[Envio], evento: _Evento, cancelada: bool) -> int:
    """The SEQUENCE to send: the last one again while nothing changed, the next one after a change.

    A change is a start or place different from what the last invitation announced, a cancellation after an
    invitation, or an invitation after a cancellation (the session convened again).
    """
    if not previos:
        return 0
    ultimo = max(previos, key=lambda e: e.secuencia or 0)
    if cancelada:
        igual = ultimo.clase == CANCELACION
    else:
        anunciado = (ultimo.inicio, ultimo.sede)
        igual = ultimo.clase != CANCELACION and anunciado == (evento.inicio.replace(tzinfo=None), evento.sede)
    return (ultimo.secuencia or 0) + (0 if igual else 1)


def _sin_correo(persona: Integrante, que: str) -> str | None:
    """A warning if the member has no usable address, naming them and where to write it; None if it is fine."""
    correo = persona.privado.get("correo")
    if not correo:
        return (
            f"{persona.nombre} ({persona.id}) no tiene correo registrado (anótelo en privado.correo, "
            f"{persona.lugar}): no se le envió {que}; hágaselo llegar por otro medio"
        )
    try:
        valida = bool(Address(addr_spec=correo).domain)
    except (ValueError, IndexError, HeaderParseError):  # the parser's defects, and its IndexError on "x@"
        valida = False
    if not valida:
        return (
            f"el correo de {persona.nombre} ({persona.id}) no es una dirección válida (privado.correo, "
            f"{persona.lugar}): no se le envió {que}"
        )
    return None


def _destinatarios(registro: Registro, sesion: Sesion, previos: list[Envio]) -> list[Integrante]:
    """Whom the profile convenes, plus whoever was already invited (they must learn of any change)."""
    convocados = {p.id for p in render.destinatarios(registro, sesion)}
    invitados = {e.integrante for e in previos}
    return [p for p in registro.stl.integrantes if p.id in convocados | invitados]


def _aviso_de_cancelacion(
    registro: Registro, sesion: Sesion, evento: _Evento, ahora: dt.datetime
) -> str | None:
    """Zacatecas: a session is cancelled only by a notice issued 24 hours ahead or more (001 Art. 7.4)."""
    regla, cancelada = registro.perfil.cancelacion, sesion.cancelada
    if regla is None or cancelada is None:
        return None
    # The notice is the message: it counts from the later of the recorded cancellation and the sending.
    zona = _zona(registro)
    aviso = max(cancelada.momento.replace(tzinfo=zona), ahora.astimezone(zona))
    horas = (evento.inicio - aviso).total_seconds() / 3600
    if horas >= regla["horas"]:
        return None
    cuanto = "después del inicio de la sesión" if horas < 0 else f"{int(horas)} horas antes de la sesión"
    return (
        f"{cancelada.lugar}: la cancelación se comunica el {spanish.date_short(aviso.date())} a las "
        f"{aviso:%H:%M}, {cuanto}; el perfil exige comunicarla con al menos {regla['horas']} horas de "
        f"anticipación ({registro.perfil.cita(regla)})"
    )


def _plan_convocatoria(
    registro: Registro,
    sesion: Sesion,
    envios: tuple[Envio, ...],
    ahora: dt.datetime,
    remitente: str,
    firmas: Path | None = None,
) -> _Plan:
    conv = sesion.convocatoria
    if conv is None or conv.folio is None:
        raise StlError(
            f"{sesion.lugar.archivo}: la convocatoria a {sesion.id} no tiene folio todavía: emita primero el "
            f"oficio con «stl convocatoria {sesion.id}»"
        )
    if sesion.hora_inicio is None or sesion.sede is None:
        raise StlError(f"{sesion.lugar.archivo}: la sesión {sesion.id} no tiene hora de inicio ni lugar")
    evento = _evento(registro, sesion)
    previos = [e for e in envios if e.sesion == sesion.id and e.clase != ACTA]
    cancelada = sesion.cancelada is not None
    secuencia = _secuencia(previos, evento, cancelada)
    hechas = {CANCELACION} if cancelada else set(_INVITACIONES)
    enviados = {e.integrante for e in previos if e.clase in hechas and e.secuencia == secuencia}
    advertencias, pendientes, ya = [], [], 0
    que = "la cancelación" if cancelada else "la convocatoria"
    for persona in _destinatarios(registro, sesion, previos):
        if persona.id in enviados:
            ya += 1
        elif aviso := _sin_correo(persona, que):
            advertencias.append(aviso)
        else:
            pendientes.append(persona)
    if not pendientes:
        return _Plan((), (), ya, tuple(advertencias))
    if cancelada and (aviso := _aviso_de_cancelacion(registro, sesion, evento, ahora)):
        advertencias.append(aviso)
    redactor = _Convocatoria(registro, sesion, evento, secuencia, previos, ahora, remitente)
    firmado = None
    if not cancelada and firmas is not None:
        workspace = espacio(firmas, sesion.id, "convocatoria")
        firmado = _version_firmada(
            registro, workspace, sesion.id, not (workspace / BITACORA).is_file(), "convocatoria"
        )
    if not cancelada and firmado is None:
        advertencias.append(
            f"el oficio {conv.folio} va sin firma electrónica: para firmarlo antes de enviarlo, «stl preparar-firma "
            f"{sesion.id} --documento convocatoria» y «stl firmar {sesion.id} --documento convocatoria --firmante "
            f"{conv.convoca} …»"
        )
    documentos = () if cancelada else redactor.documentos(firmado[0] if firmado else None)
    mensajes = tuple(redactor.mensaje(p, documentos) for p in pendientes)
    return _Plan(mensajes, documentos, ya, tuple(advertencias))


class _Convocatoria:
    """Words the messages of one session's convocatoria, its update or its cancellation."""

    def __init__(
        self,
        registro: Registro,
        sesion: Sesion,
        evento: _Evento,
        secuencia: int,
        previos: list[Envio],
        ahora: dt.datetime,
        remitente: str,
    ) -> None:
        self.registro, self.s, self.evento, self.secuencia = registro, sesion, evento, secuencia
        self.previos, self.ahora, self.remitente = previos, ahora, remitente
        self.nombre = wording.nombre_sesion(sesion)
        self.convoca = registro.stl.integrante(sesion.convocatoria.convoca)
        self.orden = render.orden(registro, sesion)

    def documentos(self, firmado: Adjunto | None = None) -> tuple[Adjunto, ...]:
        """The oficio (its signed version, when the convener signed it) and the orden del día, as
        `stl convocatoria` and `stl orden` make them."""
        if firmado is None:
            oficio, _ = render.pdf(render.convocatoria(self.registro, self.s, self.s.convocatoria.folio))
            firmado = Adjunto(f"convocatoria-{self.s.id}.pdf", oficio, "application/pdf")
        orden, _ = render.pdf(self.orden)
        return (
            firmado,
            Adjunto(f"orden-del-dia-{self.s.id}.pdf", orden, "application/pdf"),
        )

    def _contexto(self, persona: Integrante) -> dict:
        s, conv = self.s, self.s.convocatoria
        anterior = [e for e in self.previos if e.integrante == persona.id and e.inicio]
        antes = max(anterior, key=lambda e: e.secuencia or 0) if anterior else None
        return {
            "persona": persona,
            "sesion": f"{self.nombre} del {self.registro.stl.nombre}",
            "nombre": self.nombre,
            "cuando": _cuando(self.evento.inicio),
            "donde": wording.donde(s.modalidad, s.sede),
            "enlace": s.enlace,
            "folio": conv.folio,
            "fecha_oficio": spanish.date_short(conv.fecha),
            "puntos": self.orden.puntos,
            "convoca": self.convoca,
            "stl": self.registro.stl.nombre,
            "cancelada": s.cancelada,
            "antes": (_cuando(antes.inicio.replace(tzinfo=_zona(self.registro))), antes.sede)
            if antes
            else None,
        }

    def _descripcion(self) -> str:
        s, conv = self.s, self.s.convocatoria
        lineas = [
            f"Convocatoria: oficio {conv.folio}, de fecha {spanish.date_short(conv.fecha)}, de "
            f"{self.convoca.nombre}, {self.convoca.cargo_corto}.",
        ]
        if s.cancelada:
            lineas += [f"Sesión cancelada. Motivo: {s.cancelada.motivo}"]
        else:
            lineas += ["", "Orden del día:", *(f"{n}. {p}" for n, p in enumerate(self.orden.puntos, 1))]
        return "\n".join(lineas)

    def mensaje(self, persona: Integrante, documentos: tuple[Adjunto, ...]) -> Mensaje:
        s, correo = self.s, persona.privado["correo"]
        ya_invitado = any(e.integrante == persona.id for e in self.previos)
        clase = CANCELACION if s.cancelada else (ACTUALIZACION if ya_invitado else CONVOCATORIA)
        metodo = "CANCEL" if s.cancelada else "REQUEST"
        ics = _calendario(
            metodo,
            self.evento,
            self.secuencia,
            self._descripcion(),
            (self.registro.stl.nombre, self.remitente),
            (persona.nombre, correo),
            self.ahora,
            s.enlace,
        )
        nombre_ics = "cancelacion.ics" if s.cancelada else "invitacion.ics"
        return Mensaje(
            clase=clase,
            sesion=s.id,
            integrante=persona,
            correo=correo,
            asunto=self._asunto(clase),
            cuerpo=_cuerpo(clase, self._contexto(persona)),
            adjuntos=(*documentos, Adjunto(nombre_ics, ics, "application/ics")),
            calendario=ics,
            metodo=metodo,
            sha256=_sha(documentos[0].datos) if documentos else None,
            secuencia=self.secuencia,
            inicio=self.evento.inicio.replace(tzinfo=None),
            sede=self.evento.sede,
        )

    def _asunto(self, clase: str) -> str:
        fecha, hora = spanish.date_short(self.s.fecha), f"{self.evento.inicio:%H:%M}"
        if clase == CANCELACION:
            return f"Cancelación de la {self.nombre} del {fecha}"
        if clase == ACTUALIZACION:
            return f"Cambio en la convocatoria a la {self.nombre}: ahora el {fecha} a las {hora} horas"
        return f"Convocatoria a la {self.nombre}, {fecha} a las {hora} horas (oficio {self.s.convocatoria.folio})"


# --- the acta, or a working meeting's minuta -------------------------------------------------------------


@dataclass(frozen=True)
class _Origen:
    """A session or a working meeting, as the messages about the record it leaves (its acta or minuta) name it."""

    id: str  # IV-2020, RT-2020-11-24
    fecha: dt.date
    nombre: str  # «Cuarta Sesión Ordinaria», «reunión de trabajo»: subjects add «del 3 de noviembre de 2020»
    de_la: str  # how a message's body names it after «de la»: its name, the STL's and its date
    clase: str  # the document it leaves: «acta», or «minuta» (a working meeting's; a session's in Zacatecas)
    destinatarios: tuple[Integrante, ...]  # who gets a copy of that document
    sin_firmas: Callable[[], Documento | Minuta]  # the document as `stl acta` or `stl minuta` makes it


def _origen(registro: Registro, id_: str) -> _Origen:
    """The session or working meeting `id_` (RT-…): what `stl enviar firma` and `stl enviar acta` need of it.

    A copy of the minuta, as of the acta, goes to each integrante of the STL (000 Cap. VI.8; 001 Art. 7.6; 002
    V.8), and to whoever attended the meeting and signed it without being one (a guest of the roster)."""
    stl, integrantes = registro.stl, registro.stl.integrantes
    if id_.startswith("RT-"):
        reunion = registro.reunion(id_)
        fecha = spanish.date_short(reunion.fecha)
        return _Origen(
            id_,
            reunion.fecha,
            "reunión de trabajo",
            f"reunión de trabajo del {fecha} del {stl.nombre}",
            "minuta",
            tuple(p for p in integrantes if _recibe(p, reunion.fecha) or p.id in reunion.asistencia),
            lambda: render.minuta(registro, reunion),
        )
    sesion = registro.sesion(id_)
    nombre = wording.nombre_sesion(sesion)
    return _Origen(
        id_,
        sesion.fecha,
        nombre,
        f"{nombre} del {stl.nombre}, celebrada el {spanish.date_short(sesion.fecha)}",
        registro.perfil.documento,  # the acta, or the minuta in Zacatecas (001 Art. 7.5)
        tuple(p for p in integrantes if _recibe(p, sesion.fecha)),
        lambda: render.acta(registro, rules.dictaminar(registro, id_)),
    )


def _recibe(persona: Integrante, fecha: dt.date) -> bool:
    """An integrante of the STL on `fecha`, not a guest: who gets a copy of an acta or a minuta."""
    return persona.calidad in _RECIBEN_ACTA and persona.activo(fecha)


def _version_firmada(
    registro: Registro, workspace: Path, sesion_id: str, sin_firma: bool, clase: str = "acta"
) -> tuple[Adjunto, tuple[str, ...]] | None:
    """The current version of a signed document if every expected signatory signed it; None to send it unsigned."""
    nombre, e = nombre_de(clase), concuerda(clase, "")
    comando = f"stl enviar acta {sesion_id} --sin-firma"
    if not (workspace / BITACORA).is_file():
        if sin_firma:
            return None
        raise StlError(
            f"{nombre} de {sesion_id} no está firmad{e}: aún no se prepara para firma («stl preparar-firma "
            f"{sesion_id}»). No se envió nada; para enviarl{e} sin firmas, use «{comando}»"
        )
    bitacora = leer_bitacora(workspace)
    faltan = [p.nombre for p in bitacora.esperados if p.id not in bitacora.firmados]
    if faltan and sin_firma:
        return None
    if faltan:
        propio = clase in PROPIOS  # the session's own record (acta, or minuta): sent unsigned on request
        sin = f"; para enviarl{e} sin firmas, use «{comando}»" if propio else ""
        raise StlError(
            f"{nombre} de {sesion_id} no tiene todas las firmas: falta la de {spanish.join_names(faltan)} (vea "
            f"«stl estado {sesion_id}{'' if propio else f' --documento {clase}'}»). No se envió nada{sin}"
        )
    datos = (workspace / bitacora.actual.archivo).read_bytes()
    if _sha(datos) != bitacora.actual.sha256:
        raise StlError(
            f"{workspace / bitacora.actual.archivo} no es la versión que registra la bitácora (su SHA-256 "
            "cambió): alguien lo modificó fuera de stl; no se envía"
        )
    # A legal copy goes out only if every signature verifies, as `stl verificar` would say.
    informe = verify.verificar_version(
        workspace, bitacora, certificados.raices_de_confianza(registro), registro
    )
    if not informe.ok:
        raise StlError(
            f"las firmas {del_documento(clase)} de {sesion_id} no verifican: {'; '.join(informe.todos)}. No se envió nada"
        )
    firmantes = tuple(p.nombre for p in bitacora.esperados)
    # Its own name: written beside the unsigned document that `stl acta`/`stl convocatoria` made, never over it.
    return Adjunto(
        f"{clase}-{sesion_id}-{concuerda(clase, 'firmad')}.pdf", datos, "application/pdf"
    ), firmantes


def _plan_acta(
    registro: Registro, origen: _Origen, envios: tuple[Envio, ...], workspace: Path, sin_firma: bool
) -> _Plan:
    """The record's own document (an acta, a minuta), signed by everyone or unsigned on request, to each of its
    addressees; the same file never twice to the same member."""
    clase = origen.clase
    firmada = _version_firmada(registro, workspace, origen.id, sin_firma, clase)
    documentos: tuple[Adjunto, ...] = ()
    if firmada is None:
        pdf, _ = render.pdf(origen.sin_firmas())
        adjunto, firmantes = Adjunto(f"{clase}-{origen.id}.pdf", pdf, "application/pdf"), ()
        documentos = (adjunto,)
    else:
        adjunto, firmantes = firmada
    huella = _sha(adjunto.datos)
    enviados = {
        e.integrante for e in envios if e.sesion == origen.id and e.clase == ACTA and e.sha256 == huella
    }
    advertencias, mensajes, ya = [], [], 0
    contexto = {
        "de_la": origen.de_la,
        # what the record is called: "el Acta" (000 Cap. VI.7) or "la Minuta" (001 Art. 7.5; a working meeting's)
        "del_documento": wording.documento(registro, "del", clase),
        "el_documento": wording.documento(registro, "el", clase).lower().capitalize(),
        "firmada": firmada is not None,
        "firmantes": spanish.join_names(list(firmantes)) if firmantes else "",
        "sha256": huella,
        "stl": registro.stl.nombre,
    }
    asunto = (
        f"{wording.documento(registro, '', clase)} {'firmada' if firmada else 'sin firmas'} de la "
        f"{origen.nombre} del {spanish.date_short(origen.fecha)}"
    )
    for persona in origen.destinatarios:
        if persona.id in enviados:
            ya += 1
        elif aviso := _sin_correo(persona, nombre_de(clase)):
            advertencias.append(aviso)
        else:
            mensajes.append(
                Mensaje(
                    clase=ACTA,
                    sesion=origen.id,
                    integrante=persona,
                    correo=persona.privado["correo"],
                    asunto=asunto,
                    cuerpo=_cuerpo(ACTA, {**contexto, "persona": persona}),
                    adjuntos=(adjunto,),
                    sha256=huella,
                )
            )
    return _Plan(tuple(mensajes), documentos if mensajes else (), ya, tuple(advertencias))


# --- the draft acta, for the attendees' observations ---------------------------------------------------------


def _plan_borrador(registro: Registro, sesion: Sesion, envios: tuple[Envio, ...]) -> _Plan:
    """The draft acta (marked so on every page) to each attendee, for their observations before the approval."""
    clase = registro.perfil.documento
    if aprobacion := rules.aprobacion_del_acta(registro, sesion.id):
        raise StlError(
            f"{wording.documento(registro, 'el').lower()} de {sesion.id} ya está aprobada {aprobacion}: ya no es un "
            "borrador; una corrección es una fe "
            "de erratas («fe_de_erratas» en su registro, stl fe-de-erratas). No se envió nada"
        )
    documento = dataclasses.replace(
        render.acta(registro, rules.dictaminar(registro, sesion.id)), marca=MARCA_BORRADOR
    )
    pdf, _ = render.pdf(documento)
    adjunto = Adjunto(f"borrador-{clase}-{sesion.id}.pdf", pdf, "application/pdf")
    huella = _sha(pdf)
    enviados = {
        e.integrante for e in envios if e.sesion == sesion.id and e.clase == BORRADOR and e.sha256 == huella
    }
    nombre = wording.nombre_sesion(sesion)
    contexto = {
        "sesion": f"{nombre} del {registro.stl.nombre}",
        "fecha": spanish.date_short(sesion.fecha),
        "del_documento": wording.documento(registro, "del"),
        "el_documento": nombre_de(clase),
        "observaciones": list(sesion.observaciones),
        "sha256": huella,
        "stl": registro.stl.nombre,
    }
    advertencias, mensajes, ya = [], [], 0
    for asistente in sesion.asistencia or ():
        persona = registro.stl.integrante(asistente.integrante)
        if persona.id in enviados:
            ya += 1
        elif aviso := _sin_correo(persona, f"el borrador {del_documento(clase)}"):
            advertencias.append(aviso)
        else:
            mensajes.append(
                Mensaje(
                    clase=BORRADOR,
                    sesion=sesion.id,
                    integrante=persona,
                    correo=persona.privado["correo"],
                    asunto=f"Borrador {wording.documento(registro, 'del').lower()} de la {nombre} del "
                    f"{spanish.date_short(sesion.fecha)}, para sus observaciones",
                    cuerpo=_cuerpo(BORRADOR, {**contexto, "persona": persona}),
                    adjuntos=(adjunto,),
                    sha256=huella,
                )
            )
    return _Plan(tuple(mensajes), (adjunto,) if mensajes else (), ya, tuple(advertencias))


def enviar_borrador(
    registro: Registro, sesion_id: str, salida: Path, ahora: dt.datetime, entrega: Entrega
) -> Informe:
    """The draft acta to each attendee, before its approval; a new draft (after observations) goes again."""
    _solo_sesiones(sesion_id, BORRADOR)
    sesion = registro.sesion(sesion_id)
    if sesion.asistencia is None or sesion.parcial:
        raise StlError(f"la sesión {sesion_id} no tiene asistencia registrada: aún no hay acta que enviar")

    def planear(envios: tuple[Envio, ...], remitente: str) -> _Plan:
        return _plan_borrador(registro, sesion, envios)

    return _ejecutar(registro, sesion_id, planear, salida, entrega, ahora, (BORRADOR,))


def enlace_firma(registro: Registro, id_: str, sha256: str) -> str:
    """The signing page's address for one member and one version. After «#» (a fragment: no server receives it)
    go who signs, the SHA-256 of the version (the page refuses another PDF) and of the registered certificate,
    when there is exactly one (the page warns of another)."""
    base = (registro.stl.sitio.url or "").rstrip("/")
    fragmento = f"firmante={id_}&version={sha256}"
    registrados = sorted(registro.certificados.get(id_, ()))
    if len(registrados) == 1:
        fragmento += f"&huella={registrados[0]}"
    return f"{base}/firmar/#{fragmento}" if base else f"firmar/index.html#{fragmento}"


def _plan_firma(registro: Registro, origen: _Origen, envios: tuple[Envio, ...], workspace: Path) -> _Plan:
    """One message: to the first signatory who has not signed the current version, with it attached."""
    clase = origen.clase
    nombre_doc, e = nombre_de(clase), concuerda(clase, "")
    if not (workspace / BITACORA).is_file():
        raise StlError(
            f"{nombre_doc} de {origen.id} no está preparad{e} para firma («stl preparar-firma {origen.id}»): no se "
            "envió nada"
        )
    bitacora = leer_bitacora(workspace)
    siguiente = bitacora.siguiente
    if siguiente is None:
        raise StlError(
            f"todos los firmantes ya firmaron {nombre_doc} de {origen.id}: verifíquel{e} («stl verificar "
            f"{origen.id}») y envíel{e} («stl enviar acta {origen.id}»); no se envió nada"
        )
    actual = bitacora.actual
    datos = (workspace / actual.archivo).read_bytes()
    if _sha(datos) != actual.sha256:
        raise StlError(
            f"{workspace / actual.archivo} no es la versión que registra la bitácora (su SHA-256 cambió): "
            "alguien lo modificó fuera de stl; no se envía"
        )
    enviado = any(
        e.sesion == origen.id
        and e.clase == FIRMA
        and e.integrante == siguiente.id
        and e.sha256 == actual.sha256
        for e in envios
    )
    if enviado:
        return _Plan((), (), 1, ())
    persona = registro.stl.integrante(siguiente.id)
    if aviso := _sin_correo(persona, f"{nombre_doc} para su firma"):
        return _Plan((), (), 0, (aviso,))
    firmaron = [e.nombre for e in bitacora.esperados if e.id in bitacora.firmados]
    contexto = {
        "persona": persona,
        "de_la": origen.de_la,
        "el_documento": nombre_doc,
        "archivo": actual.archivo,
        "firmado": f"{Path(actual.archivo).stem}.firmado-{siguiente.id}.pdf",
        "enlace": enlace_firma(registro, siguiente.id, actual.sha256),
        "firmaron": firmaron and spanish.join_names(firmaron),  # nobody yet, right after preparar-firma
        "faltan": len(bitacora.esperados) - len(bitacora.firmados),
        "sha256": actual.sha256,
        "stl": registro.stl.nombre,
    }
    mensaje = Mensaje(
        clase=FIRMA,
        sesion=origen.id,
        integrante=persona,
        correo=persona.privado["correo"],
        asunto=f"Para su firma: {wording.documento(registro, '', clase)} de la {origen.nombre} del "
        f"{spanish.date_short(origen.fecha)}",
        cuerpo=_cuerpo(FIRMA, contexto),
        adjuntos=(Adjunto(actual.archivo, datos, "application/pdf"),),
        sha256=actual.sha256,
    )
    return _Plan((mensaje,), (), 0, ())


# --- messages, SMTP and the log -------------------------------------------------------------------------


@cache
def _plantillas() -> jinja2.Environment:
    # Plain text, not HTML: nothing to escape; StrictUndefined makes a missing value an error, not a blank.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(render.TEMPLATES / "email"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _cuerpo(clase: str, contexto: dict) -> str:
    return _plantillas().get_template(f"{clase}.txt").render(**contexto)


def _sha(datos: bytes) -> str:
    return hashlib.sha256(datos).hexdigest()


def _message_id(m: Mensaje, remitente: str) -> str:
    """The same Message-ID every time the same notice goes out (session, kind, member, document, invitation's
    SEQUENCE): a message sent again is recognisable as the same notice, by the member and by mail systems."""
    aviso = json.dumps([m.sesion, m.clase, m.integrante.id, m.sha256, m.secuencia, m.metodo])
    clave = hashlib.sha256(aviso.encode("utf-8")).hexdigest()[:32]
    return f"<{clave}@{remitente.rpartition('@')[2]}>"  # short: a folded header would start with a space


def _email(m: Mensaje, nombre_stl: str, remitente: str, ahora: dt.datetime) -> EmailMessage:
    """The message, built by the standard library: text, the invitation as an alternative, attachments."""
    msg = EmailMessage()
    msg["Subject"] = m.asunto
    msg["From"] = Address(nombre_stl, addr_spec=remitente)
    msg["To"] = Address(m.integrante.nombre, addr_spec=m.correo)
    msg["Date"] = format_datetime(ahora.astimezone(ZONA))
    msg["Message-ID"] = _message_id(m, remitente)
    msg.set_content(m.cuerpo)
    if m.calendario is not None:
        # Calendar clients read the invitation from a text/calendar part that names its METHOD.
        msg.add_alternative(m.calendario.decode("utf-8"), subtype="calendar", params={"method": m.metodo})
    for adjunto in m.adjuntos:
        maintype, subtype = adjunto.tipo.split("/")
        msg.add_attachment(adjunto.datos, maintype=maintype, subtype=subtype, filename=adjunto.nombre)
    msg["Content-Language"] = "es-MX"  # last: setting the content moves Content-* headers into its parts
    return msg


def _anotar(root: Path, m: Mensaje, message_id: str, ahora: dt.datetime, confirmado: bool = True) -> None:
    """Add one accepted message to records/envios.yaml (comments kept, written atomically; the caller holds the
    registry's lock for the whole run); one the server took whole without confirming it, marked
    «sin_confirmacion»."""
    entrada = {
        "sesion": m.sesion,
        "clase": m.clase,
        "integrante": m.integrante.id,
        "mensaje": message_id,
        "sha256": m.sha256,
        "secuencia": m.secuencia,
        "inicio": m.inicio.isoformat(timespec="minutes") if m.inicio else None,
        "sede": m.sede,
        "fecha": ahora.isoformat(timespec="seconds"),
        "estado": None if confirmado else "sin_confirmacion",
    }
    registros_yaml.agregar(root, "envios", entrada)


class _Final:
    """Knows whether the end of the current message («CRLF.CRLF») reached the server: past that point a dropped
    connection may or may not have delivered it (SMTP cannot tell), before it the message was surely not kept."""

    final_enviado = False

    def send(self, s) -> None:
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.final_enviado = True


class _Smtp(_Final, smtplib.SMTP):
    pass


class _SmtpSsl(_Final, smtplib.SMTP_SSL):
    pass


def _conectar(correo: Correo, entrega: Entrega) -> smtplib.SMTP:
    if correo.usuario and not entrega.contrasena:
        raise StlError(
            f"falta la contraseña del usuario SMTP «{correo.usuario}»: defínala en la variable STL_SMTP_CONTRASENA "
            "(nunca en los registros ni en la línea de comandos)"
        )
    if correo.usuario and correo.seguridad == "ninguna":
        raise StlError(
            "stl.yaml [correo.seguridad]: con «ninguna» la contraseña viajaría sin cifrar; use starttls o ssl"
        )
    servidor = f"{correo.servidor}:{correo.puerto}"
    contexto = entrega.contexto_tls or ssl.create_default_context()
    local = correo.remitente.rpartition("@")[2]  # EHLO name: not the machine's own name
    smtp: smtplib.SMTP | None = None
    try:
        if correo.seguridad == "ssl":
            smtp = _SmtpSsl(
                correo.servidor, correo.puerto, local, timeout=_TIEMPO_DE_ESPERA, context=contexto
            )
        else:
            smtp = _Smtp(correo.servidor, correo.puerto, local, timeout=_TIEMPO_DE_ESPERA)
            if correo.seguridad == "starttls":
                smtp.starttls(context=contexto)
        if correo.usuario:
            smtp.login(correo.usuario, entrega.contrasena)
        return smtp
    except smtplib.SMTPAuthenticationError as exc:
        _cerrar(smtp)
        raise StlError(
            f"el servidor de correo {servidor} rechazó el usuario «{correo.usuario}» o la contraseña "
            "(STL_SMTP_CONTRASENA)"
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        _cerrar(smtp)
        raise StlError(
            f"el servidor de correo {servidor} no ofrece STARTTLS o autenticación: revise «correo» en stl.yaml"
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        _cerrar(smtp)
        raise StlError(
            f"no se pudo conectar con el servidor de correo {servidor} ({_falla_de_conexion(exc)}): revise «correo» "
            "en stl.yaml; no se envió nada"
        ) from exc


_CERTIFICADO_INVALIDO = {  # OpenSSL's X509_V_ERR_* codes, which ssl reports in English
    10: "venció",
    9: "aún no es vigente",
    18: "es autofirmado",
    19: "lo emitió una autoridad que este equipo no reconoce",
    20: "lo emitió una autoridad que este equipo no reconoce",
    21: "lo emitió una autoridad que este equipo no reconoce",
    23: "fue revocado",
    62: "es de otro nombre de servidor",
}


def _falla_de_conexion(exc: OSError) -> str:
    """Why the connection failed, in Spanish (the system and ssl say it in English)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        motivo = _CERTIFICADO_INVALIDO.get(exc.verify_code, f"código de OpenSSL {exc.verify_code}")
        return f"su certificado no es válido: {motivo}"
    if isinstance(exc, ssl.SSLError):
        return f"falló la conexión cifrada (TLS): {exc.reason or type(exc).__name__}"
    if isinstance(exc, smtplib.SMTPException):
        return _respuesta(exc)
    if isinstance(exc, TimeoutError):
        return f"no respondió en {_TIEMPO_DE_ESPERA} segundos"
    return causa(exc)


def _cerrar(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    with contextlib.suppress(OSError, smtplib.SMTPException):
        smtp.quit()
    smtp.close()


def _respuesta(exc: smtplib.SMTPException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codigo, texto = next(iter(exc.recipients.values()))
    elif isinstance(exc, smtplib.SMTPResponseException):
        codigo, texto = exc.smtp_code, exc.smtp_error
    else:
        return str(exc) or type(exc).__name__
    texto = texto.decode("utf-8", "replace") if isinstance(texto, bytes) else str(texto)
    return f"el servidor respondió {codigo} {texto}"


def _quien(m: Mensaje) -> str:
    return f"{m.integrante.nombre} ({m.integrante.id})"


def _codigo(exc: BaseException) -> int | None:
    """The SMTP reply code of a refusal; None when the server said nothing (the connection was lost)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        return next(iter(exc.recipients.values()))[0]
    return exc.smtp_code if isinstance(exc, smtplib.SMTPResponseException) else None


def _conexion_perdida(exc: BaseException) -> str:
    """What happened to the connection, in Spanish (smtplib says it in English: «please run connect() first»)."""
    if _codigo(exc) is not None:
        return f"el servidor cerró la conexión ({_respuesta(exc).removeprefix('el servidor respondió ')})"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "el servidor cerró la conexión sin responder"
    if isinstance(exc, TimeoutError):
        return f"el servidor no respondió en {_TIEMPO_DE_ESPERA} segundos"
    return f"se interrumpió la conexión con el servidor ({_falla_de_conexion(exc)})"


def _enviar(
    plan: _Plan, registro: Registro, entrega: Entrega, ahora: dt.datetime
) -> tuple[list[Entregado], list[Entregado], list[str]]:
    """Send each message; record each one the server accepts at once. A refused message does not stop the
    others; a lost connection (a drop, a 421) stops the run, and each message not tried says so (the next run
    sends what is missing). A message the server took whole and then dropped the connection without its «250»
    may have arrived: it is recorded «sin confirmación», not sent again unless asked, with the same Message-ID.
    Gives (accepted, unconfirmed, one failure per message not sent)."""
    correo, root = registro.stl.correo, Path(registro.raiz)
    if correo is None:
        raise StlError(
            "stl.yaml no tiene la sección «correo» (servidor, remitente…): agréguela para enviar, o use --simular"
        )
    entregados, sin_confirmar, fallas = [], [], []
    smtp = _conectar(correo, entrega)
    perdida: str | None = None
    try:
        for i, m in enumerate(plan.mensajes):
            if perdida is not None:
                fallas.append(f"{_quien(m)}: no se intentó, {perdida}")
                continue
            msg = _email(m, registro.stl.nombre, correo.remitente, ahora)
            smtp.final_enviado = False
            try:
                smtp.send_message(msg, from_addr=correo.remitente, to_addrs=[m.correo])
            except OSError as exc:  # smtplib's errors are OSErrors too
                codigo = _codigo(exc)
                if (
                    codigo is not None and codigo != 421
                ):  # refused: the connection stays usable for the others
                    fallas.append(f"{_quien(m)}: {_respuesta(exc)}")
                    continue
                perdida = _conexion_perdida(exc)
                if smtp.final_enviado and codigo is None:
                    _anotar(root, m, msg["Message-ID"], ahora, confirmado=False)
                    sin_confirmar.append(Entregado(m, msg["Message-ID"]))
                else:
                    fallas.append(f"{_quien(m)}: {perdida} sin aceptar el mensaje")
                continue
            _anotar(root, m, msg["Message-ID"], ahora)
            entregados.append(Entregado(m, msg["Message-ID"]))
            if entrega.avance:
                entrega.avance(i + 1, len(plan.mensajes))
    finally:
        _cerrar(smtp)
    return entregados, sin_confirmar, fallas


_CLASE = {
    CONVOCATORIA: "la convocatoria",
    ACTUALIZACION: "la actualización de la convocatoria",
    CANCELACION: "la cancelación",
    BORRADOR: "el borrador {del}",  # of the record's own document: «del acta», «de la minuta»
    FIRMA: "{el} para su firma",
    ACTA: "{el}",
}


def _sin_confirmar(envios: tuple[Envio, ...], sesion_id: str, clases: tuple[str, ...]) -> dict[str, Envio]:
    """By Message-ID, the messages of this session and kinds recorded «sin confirmación» and not accepted since."""
    aceptados = {e.mensaje for e in envios if e.confirmado}
    return {
        e.mensaje: e
        for e in envios
        if e.sesion == sesion_id and e.clase in clases and not e.confirmado and e.mensaje not in aceptados
    }


def _por_confirmar(registro: Registro, dudosos: dict[str, Envio]) -> tuple[str, ...]:
    nombres = {p.id: p.nombre for p in registro.stl.integrantes}
    documento = {
        e.sesion: palabras(clase_de(e.sesion, None, registro.perfil.documento)) for e in dudosos.values()
    }
    return tuple(
        f"{nombres.get(e.integrante, e.integrante)} ({e.integrante}): "
        f"{_CLASE.get(e.clase, e.clase).format_map(documento[e.sesion])}, "
        f"{e.fecha.astimezone(ZONA):%Y-%m-%d %H:%M}, {e.mensaje}"
        for e in dudosos.values()
    )


def _ejecutar(
    registro: Registro,
    sesion_id: str,
    planear: Callable[[tuple[Envio, ...], str], _Plan],
    salida: Path,
    entrega: Entrega,
    ahora: dt.datetime,
    clases: tuple[str, ...],
) -> Informe:
    carpeta, correo = subcarpeta(salida, sesion_id), registro.stl.correo
    remitente = correo.remitente if correo else _REMITENTE_SIMULADO
    if entrega.simular:
        plan = planear(registro.envios, remitente)
        documentos = tuple(write_atomic(carpeta, d.nombre, d.datos) for d in plan.documentos)
        entregados = []
        for i, m in enumerate(plan.mensajes, start=1):
            msg = _email(m, registro.stl.nombre, remitente, ahora)
            eml = write_atomic(carpeta / "correo", m.archivo, msg.as_bytes())
            entregados.append(Entregado(m, msg["Message-ID"], eml))
            if entrega.avance:
                entrega.avance(i, len(plan.mensajes))
        avisos = plan.advertencias
        if correo is None and entregados:
            avisos = (
                "stl.yaml no tiene la sección «correo»: los mensajes simulados llevan un remitente de ejemplo",
                *avisos,
            )
        return Informe(True, tuple(entregados), documentos, plan.ya_enviados, avisos, ())
    root = Path(registro.raiz)
    with bloqueo(root / ".envios.lock"):  # one `stl enviar` at a time: nothing sent twice
        envios = records.load_envios(root)  # read again under the lock
        dudosos = _sin_confirmar(envios, sesion_id, clases)
        if entrega.reenviar:  # the user says they did not arrive: planned again, with the same Message-ID
            envios = tuple(e for e in envios if e.mensaje not in dudosos)
        plan = planear(envios, remitente)
        documentos = tuple(write_atomic(carpeta, d.nombre, d.datos) for d in plan.documentos)
        entregados, sin_confirmar, fallas = (
            _enviar(plan, registro, entrega, ahora) if plan.mensajes else ([], [], [])
        )
    return Informe(
        False,
        tuple(entregados),
        documentos,
        plan.ya_enviados,
        plan.advertencias,
        tuple(fallas),
        tuple(sin_confirmar),
        () if entrega.reenviar else _por_confirmar(registro, dudosos),
    )


def _solo_sesiones(id_: str, clase: str) -> None:
    """A working meeting is agreed by its attendees, not convened by oficio (the convocatoria with its orden del
    día is a session's: 000 Cap. VI.6; 001 Art. 7.3; 002 V.6), and its minuta has no draft for observations."""
    if not id_.startswith("RT-"):
        return
    firma = (
        f"La minuta se prepara con «stl preparar-firma {id_}», se envía a quien sigue en firmarla con «stl enviar "
        f"firma {id_}» y, firmada por todos, a cada integrante con «stl enviar acta {id_}». No se envió nada."
    )
    if clase == CONVOCATORIA:
        raise StlError(
            f"{id_} es una reunión de trabajo: no tiene oficio de convocatoria ni invitación que enviar (eso es de "
            f"una sesión: «stl enviar convocatoria SESION»); avise a sus asistentes por el medio del STL. {firma}"
        )
    raise StlError(
        f"{id_} es una reunión de trabajo: su minuta no tiene borrador para observaciones (eso es del acta de una "
        f"sesión); revísela con «stl minuta {id_}» o «stl vista-previa {id_}» antes de prepararla. {firma}"
    )


def enviar_convocatoria(
    registro: Registro,
    sesion_id: str,
    salida: Path,
    ahora: dt.datetime,
    entrega: Entrega,
    firmas: Path | None = None,
) -> Informe:
    """The convocatoria (or its update, or its cancellation) to each addressee the profile names; the oficio
    signed by the convener if it was prepared for signature (`firmas`), refused while its signature is missing."""
    _solo_sesiones(sesion_id, CONVOCATORIA)
    sesion = registro.sesion(sesion_id)

    def planear(envios: tuple[Envio, ...], remitente: str) -> _Plan:
        return _plan_convocatoria(registro, sesion, envios, ahora, remitente, firmas)

    return _ejecutar(
        registro, sesion_id, planear, salida, entrega, ahora, (CONVOCATORIA, ACTUALIZACION, CANCELACION)
    )


def enviar_acta(
    registro: Registro,
    sesion_id: str,
    salida: Path,
    firmas: Path,
    ahora: dt.datetime,
    entrega: Entrega,
    sin_firma: bool = False,
) -> Informe:
    """The acta of a session or the minuta of a working meeting (RT-…), signed by everyone expected
    (`signatures/<ID>/`), to each integrante; unsigned only if asked."""
    origen = _origen(registro, sesion_id)

    def planear(envios: tuple[Envio, ...], remitente: str) -> _Plan:
        return _plan_acta(registro, origen, envios, firmas / sesion_id, sin_firma)

    return _ejecutar(registro, sesion_id, planear, salida, entrega, ahora, (ACTA,))


def enviar_firma(
    registro: Registro, sesion_id: str, salida: Path, firmas: Path, ahora: dt.datetime, entrega: Entrega
) -> Informe:
    """The current version of the acta (or of a working meeting's minuta) to the next member who has not signed
    it, with the signing page's link. Signing is one member at a time (each signature covers the previous ones):
    run it again after each `stl incorporar`; the same version is never sent twice to the same member."""
    origen = _origen(registro, sesion_id)

    def planear(envios: tuple[Envio, ...], remitente: str) -> _Plan:
        return _plan_firma(registro, origen, envios, firmas / sesion_id)

    return _ejecutar(registro, sesion_id, planear, salida, entrega, ahora, (FIRMA,))
