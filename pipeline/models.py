"""Frozen values passed between the stages.

`records` builds them from YAML, `rules` reads them and returns verdicts, later stages render, sign and
publish them. Nothing here does I/O. Every value read from a file carries its `Ubicacion` so that any
stage can point a person at the file, line and field that caused a problem.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

__all__ = [
    "POR_LLENAR",
    "Acuerdo",
    "AcuerdoReunion",
    "Asistente",
    "Calidad",
    "Cancelacion",
    "Convocatoria",
    "Correo",
    "Envio",
    "Folio",
    "Integrante",
    "Intervencion",
    "Logo",
    "Membrete",
    "Perfil",
    "Punto",
    "Registro",
    "ReglaPerfil",
    "Reunion",
    "Sector",
    "Seguimiento",
    "Sesion",
    "Sitio",
    "Stl",
    "Tema",
    "TipoPunto",
    "TipoSesion",
    "Ubicacion",
    "Votacion",
]


# What `stl init` writes where a person must put the real value; the records are refused until it is gone.
POR_LLENAR = "POR LLENAR"


@dataclass(frozen=True)
class Ubicacion:
    """Where a value came from: file, 1-based line and the dotted field path."""

    archivo: str
    linea: int | None = None
    campo: str = ""

    def __str__(self) -> str:
        lugar = self.archivo if self.linea is None else f"{self.archivo}:{self.linea}"
        return f"{lugar} [{self.campo}]" if self.campo else lugar


class Sector(StrEnum):
    ORGANO_GARANTE = "organo_garante"
    ENTE_PUBLICO = "ente_publico"
    PODER_EJECUTIVO = "poder_ejecutivo"
    PODER_LEGISLATIVO = "poder_legislativo"
    PODER_JUDICIAL = "poder_judicial"
    GOBIERNO_MUNICIPAL = "gobierno_municipal"
    SOCIEDAD_CIVIL = "sociedad_civil"
    ACADEMIA = "academia"
    SECTOR_EMPRESARIAL = "sector_empresarial"
    COMUNIDAD_TECNOLOGICA = "comunidad_tecnologica"

    @property
    def nombre(self) -> str:
        return _SECTOR_NAMES[self]


_SECTOR_NAMES = {
    Sector.ORGANO_GARANTE: "órgano garante",
    Sector.ENTE_PUBLICO: "ente público",
    Sector.PODER_EJECUTIVO: "Poder Ejecutivo",
    Sector.PODER_LEGISLATIVO: "Poder Legislativo",
    Sector.PODER_JUDICIAL: "Poder Judicial",
    Sector.GOBIERNO_MUNICIPAL: "gobierno municipal",
    Sector.SOCIEDAD_CIVIL: "sociedad civil",
    Sector.ACADEMIA: "academia",
    Sector.SECTOR_EMPRESARIAL: "sector empresarial",
    Sector.COMUNIDAD_TECNOLOGICA: "comunidad tecnológica",
}


class Calidad(StrEnum):
    """The capacity in which a person sits in the STL."""

    TITULAR = "titular"
    SUPLENTE = "suplente"
    ENLACE = "enlace"
    INVITADO = "invitado"
    FACILITADOR = "facilitador"


class TipoSesion(StrEnum):
    ORDINARIA = "ordinaria"
    EXTRAORDINARIA = "extraordinaria"
    INSTALACION = "instalacion"


class TipoPunto(StrEnum):
    """Agenda items whose wording is generated from data, plus free `asunto` items."""

    QUORUM = "quorum"
    ORDEN_DEL_DIA = "orden_del_dia"
    APROBACION_ACTA = "aprobacion_acta"
    SEGUIMIENTO_ACUERDOS = "seguimiento_acuerdos"
    ASUNTO = "asunto"
    ASUNTOS_GENERALES = "asuntos_generales"
    CLAUSURA = "clausura"


class _Situado:
    """A value read from a file: `lugar` is its mapping, `lugares` the line of each of its fields."""

    lugar: Ubicacion
    lugares: dict[str, Ubicacion]

    def en(self, campo: str) -> Ubicacion:
        """Where `campo` (a field, or for a vote a member id) is written; the mapping itself if absent."""
        return self.lugares.get(campo, self.lugar)


# --- the STL and its governance profile -------------------------------------------------------


@dataclass(frozen=True)
class ReglaPerfil:
    """One rule of a governance profile: its parameters and the article of the seed it comes from."""

    valores: dict[str, object]
    cita: str

    def __getitem__(self, key: str) -> object:
        return self.valores[key]

    def get(self, key: str, default: object = None) -> object:
        return self.valores.get(key, default)


@dataclass(frozen=True)
class Perfil:
    """A governance profile (Estado de México, Zacatecas, Jalisco…) as data."""

    id: str
    nombre: str
    fuente: str
    documento: str  # "acta" or "minuta": what each session leaves
    voto: dict[Calidad, ReglaPerfil]
    quorum: ReglaPerfil
    decision: ReglaPerfil
    abstencion: ReglaPerfil
    empate: ReglaPerfil
    aviso: ReglaPerfil
    frecuencia: ReglaPerfil
    remocion: ReglaPerfil
    convoca: ReglaPerfil
    redacta: ReglaPerfil
    firman: ReglaPerfil
    cancelacion: ReglaPerfil | None = None
    orden_fijo: ReglaPerfil | None = None
    dirige: ReglaPerfil | None = None
    integracion: ReglaPerfil | None = None  # the seats `stl init` leaves to fill in
    incluido: bool = False  # one of the bundled profiles, whose `fuente` is the number of its seed
    extraordinarias: ReglaPerfil | None = None  # the article that lets the STL meet in extraordinary session

    @property
    def con_facilitador(self) -> bool:
        """Whether the mechanism has a Facilitador at all (Jalisco's does not: 002 I)."""
        roles = [self.convoca["calidad"], self.redacta.get("calidad"), self.dirige and self.dirige["calidad"]]
        return "facilitador" in [*roles, *self.convoca["destinatarios"], *self.firman["calidades"]]

    @property
    def quien_dirige(self) -> str:
        """ "facilitador" or "preside": who conducts the sessions (000 Cap. XI.5; 001 Art. 9.1; 002 VII.1)."""
        if self.dirige is not None:
            return str(self.dirige["calidad"])
        return "facilitador" if self.con_facilitador else "preside"

    def cita(self, regla: ReglaPerfil) -> str:
        """The citation a person reads: seed and article in a bundled profile (a rule may cite another seed, e.g.
        "004, nota 4"); the article alone in a profile of one's own, whose document the summary names once."""
        if not self.incluido or re.match(r"\d{3},", regla.cita):
            return regla.cita
        return f"{self.fuente}, {regla.cita}"

    @property
    def referencia(self) -> str:
        """How a summary names the profile's document: «(semilla 000)» for a bundled one, its own citation
        otherwise (a new STL has no seed number)."""
        return f"semilla {self.fuente}" if self.incluido else self.fuente


@dataclass(frozen=True)
class Integrante:
    """A person in the roster. `privado` never leaves the records stage towards anything public."""

    id: str
    nombre: str
    genero: str  # "f" or "m": agreement of cargo and articles in the documents
    cargo: str
    cargo_corto: str
    sector: Sector
    calidad: Calidad
    lugar: Ubicacion
    representacion: str | None = None
    cargo_firma: str | None = None
    de: str | None = None  # for suplente/enlace: the titular's id
    con_voto: bool = False  # for enlace: designated in writing with voice and vote
    designacion: str | None = None
    preside: bool = False  # presides the STL (Jalisco: the ITEI President)
    inicio: dt.date | None = None
    fin: dt.date | None = None
    privado: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def denominacion(self) -> str:
        """How the person is named at the signature block and in the roll call."""
        if self.cargo_firma:
            return self.cargo_firma
        if self.representacion and self.representacion != self.cargo_corto:
            return f"{self.cargo_corto} y {self.representacion}"
        return self.cargo_corto

    def activo(self, fecha: dt.date) -> bool:
        """Whether the mandate covers `fecha`."""
        if self.inicio is not None and fecha < self.inicio:
            return False
        return self.fin is None or fecha <= self.fin


@dataclass(frozen=True)
class Correo:
    """The SMTP account `stl enviar` sends from (stl.yaml `correo:`); the password is never in the records."""

    servidor: str
    puerto: int
    seguridad: str  # "starttls", "ssl" (implicit TLS) or "ninguna"
    remitente: str  # the STL's own address: From of every message and ORGANIZER of the invitations
    usuario: str | None = None


@dataclass(frozen=True)
class Sitio:
    """What the public site says about the institution (never about a member's private data)."""

    url: str | None = None
    contacto: tuple[str, ...] = ()
    dudas: tuple[str, ...] = ()
    sumarse: tuple[str, ...] = ()
    ligas: tuple[tuple[str, str], ...] = ()  # (título, url)
    comunicados: tuple[tuple[dt.date, str, str | None, str | None], ...] = ()  # (fecha, título, url, texto)
    evidencias: tuple[tuple[str, str, str, str], ...] = ()  # (sesión, tipo, título, url)
    # What the site publishes of a signed document: its versión pública (LGTAIP art. 111: the same document
    # without the signers' certificates, which carry RFC and CURP, plus a constancia of the signatures), or the
    # signed PDF itself («publicar»).
    documentos_firmados: str = "version_publica"
    # What the site shows of an acta neither approved nor signed: its text and PDF marked «Proyecto de acta —
    # pendiente de aprobación» («marcados»), or nothing of it but that it is pending («ocultos»).
    proyectos: str = "marcados"
    # The license of the open data (datapackage.json): an Open Definition id, its title and its text's address.
    licencia: tuple[str, str, str] = (
        "CC-BY-4.0",
        "Creative Commons Atribución 4.0 Internacional",
        "https://creativecommons.org/licenses/by/4.0/deed.es",
    )


@dataclass(frozen=True)
class Logo:
    """A logo of the letterhead: an image file of the records folder, its bytes as read with the records."""

    archivo: str  # relative to the records folder: membrete/logo-infoem.png
    descripcion: str  # what it shows: the alternative text of the PDF and the DOCX
    datos: bytes = field(compare=False, repr=False)
    lugar: Ubicacion  # where stl.yaml names it
    alto: float = 1.8  # cm


@dataclass(frozen=True)
class Membrete:
    """The letterhead of the oficios (stl.yaml `membrete:`): logos, the institution's lines, each year's legend."""

    logos: tuple[Logo, ...] = ()
    lineas: tuple[str, ...] = ()
    leyendas: tuple[tuple[int, str], ...] = ()  # (year, legend the state decreed for it)

    def leyenda(self, anio: int) -> str | None:
        """The legend of `anio`, the year of the oficio's date; None if the records give none."""
        return dict(self.leyendas).get(anio)


@dataclass(frozen=True)
class Stl:
    nombre: str
    estado: str
    perfil_id: str
    organo_garante: str
    organo_garante_siglas: str
    prefijo_folio: str
    integrantes: tuple[Integrante, ...]
    dias_inhabiles: tuple[tuple[dt.date, str], ...]  # (date, acuerdo that declared it)
    lugar: Ubicacion
    tsa: str | None = None  # RFC 3161 timestamp authority
    raices: tuple[str, ...] = ()  # trust roots, paths relative to the records folder
    intermedias: tuple[str, ...] = ()  # intermediate CAs (the SAT's e.firma certificates name none)
    lugares_firma: dict[str, Ubicacion] = field(
        default_factory=dict
    )  # «firma.raices[0]» → its line in stl.yaml
    sitio: Sitio = field(default_factory=Sitio)
    correo: Correo | None = None  # SMTP settings for `stl enviar`
    ciudad: str | None = None  # where its oficios are issued: "Toluca de Lerdo"
    membrete: Membrete | None = None  # None: oficios without letterhead
    zona_horaria: str = "America/Mexico_City"  # where signatures' dates and times are read (IANA)

    def integrante(self, id_: str) -> Integrante:
        for persona in self.integrantes:
            if persona.id == id_:
                return persona
        raise KeyError(id_)

    def titulares(self, fecha: dt.date) -> tuple[Integrante, ...]:
        return tuple(p for p in self.integrantes if p.calidad is Calidad.TITULAR and p.activo(fecha))


# --- a session -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Folio:
    """One oficio in the folio registry (records/folios.yaml)."""

    folio: str  # STL/004/2020
    numero: int
    anio: int
    fecha: dt.date
    destinatario: str
    asunto: str
    lugar: Ubicacion
    sesion: str | None = None


@dataclass(frozen=True)
class Convocatoria(_Situado):
    folio: str | None  # None: not issued yet (`stl convocatoria` takes it from the registry)
    fecha: dt.date
    convoca: str
    lugar: Ubicacion
    hora: dt.time | None = None  # the hour convened; None: the session's `hora_inicio`
    ccp: tuple[str, ...] = ()  # copies of the oficio («C.c.p.»), one line each as printed
    lugares: dict[str, Ubicacion] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Asistente(_Situado):
    integrante: str
    lugar: Ubicacion
    en_lugar_de: str | None = None
    llega: dt.time | None = None  # arrived after the opening, at this time
    sale: dt.time | None = None  # left before the closing, at this time
    lugares: dict[str, Ubicacion] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Intervencion:
    texto: str
    lugar: Ubicacion
    orador: str | None = None  # None: a narrative paragraph of the Facilitador's record


@dataclass(frozen=True)
class Votacion(_Situado):
    """How an acuerdo was voted. `a_favor` None means every present voter not listed elsewhere."""

    lugar: Ubicacion
    a_favor: tuple[str, ...] | None = None
    en_contra: tuple[str, ...] = ()
    abstenciones: tuple[tuple[str, str | None], ...] = ()  # (integrante, motivo)
    declarada: str | None = None  # "unanimidad", "mayoria" or "no_aprobado", as the record states
    voto_de_calidad: str | None = None
    lugares: dict[str, Ubicacion] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Acuerdo:
    numero: int  # 1-based within the session
    folio: str  # STL/IV/1/2020
    texto: str | None  # None: worded from the agenda item (orden del día, aprobación de acta)
    votacion: Votacion
    lugar: Ubicacion
    punto: str  # clave of the agenda item
    aprueba_acta: str | None = None  # session id whose acta this acuerdo approves
    hora: dt.time | None = None  # when it was voted, if the record says


@dataclass(frozen=True)
class Punto(_Situado):
    clave: str
    tipo: TipoPunto
    lugar: Ubicacion
    texto: str | None = None  # for `asunto` items
    sesion: str | None = None  # for `aprobacion_acta`
    intervenciones: tuple[Intervencion, ...] = ()
    acuerdos: tuple[Acuerdo, ...] = ()
    retirado: bool = False
    solicita: str | None = None  # who asked for the modification (withdrawal or addition)
    motivo: str | None = None
    agregado: bool = False
    lugares: dict[str, Ubicacion] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Cancelacion:
    """A convened session called off: when the cancellation was issued and why (001 Art. 7.4)."""

    fecha: dt.date
    hora: dt.time
    motivo: str
    lugar: Ubicacion

    @property
    def momento(self) -> dt.datetime:
        return dt.datetime.combine(self.fecha, self.hora)


@dataclass(frozen=True)
class Observacion:
    """An attendee's observation on the draft acta, before its approval: whether it was taken, and why."""

    integrante: str
    fecha: dt.date
    texto: str
    aceptada: bool
    lugar: Ubicacion
    motivo: str | None = None


@dataclass(frozen=True)
class Correccion:
    """One passage of a fe de erratas: where, what the approved acta says, what it should say."""

    seccion: str
    dice: str
    debe_decir: str


@dataclass(frozen=True)
class FeDeErratas:
    """A correction of an approved (or signed) acta, issued as its own short signed document."""

    numero: int  # 1-based, in the order of the record
    fecha: dt.date
    correcciones: tuple[Correccion, ...]
    lugar: Ubicacion
    firma: str | None = None  # who issues it; by default whoever convened the session
    motivo: str | None = None
    ccp: tuple[str, ...] = ()  # «C.c.p.» lines, after the signature


@dataclass(frozen=True)
class Aprobado:
    """The approved text of an acta, bound to its approval (records/aprobaciones.yaml, written by stl)."""

    sesion: str
    aprobacion: str
    sha256: str
    secciones: tuple[tuple[str, str], ...]  # (section, SHA-256 of its content)
    lugar: Ubicacion


@dataclass(frozen=True)
class Sesion(_Situado):
    id: str
    tipo: TipoSesion
    numero: int | None
    fecha: dt.date
    lugar: Ubicacion
    parcial: bool = False  # an earlier session known only as far as the seeds tell
    fuente: str | None = None
    resumen: str | None = None
    hora_inicio: dt.time | None = None
    hora_cierre: dt.time | None = None
    entidad: str | None = None
    modalidad: str | None = None  # "presencial" or "virtual"
    sede: str | None = None  # place (presencial) or platform (virtual)
    enlace: str | None = None  # link to join a virtual session
    convocatoria: Convocatoria | None = None
    asistencia: tuple[Asistente, ...] | None = None  # None: attendance unknown
    orden_del_dia: tuple[Punto, ...] = ()  # as convened, plus added items flagged `agregado`
    aprobacion: tuple[dt.date, str] | None = None  # acta approved explicitly: date and basis
    cancelada: Cancelacion | None = None
    observaciones: tuple[Observacion, ...] = ()  # on the draft acta, before its approval
    fe_de_erratas: tuple[FeDeErratas, ...] = ()
    conduce: str | None = (
        None  # who conducts in the absence of the profile's conductor (Facilitador, Presidencia)
    )
    lugares: dict[str, Ubicacion] = field(default_factory=dict, compare=False, repr=False)

    @property
    def acuerdos(self) -> tuple[Acuerdo, ...]:
        return tuple(a for p in self.orden_del_dia for a in p.acuerdos)

    @property
    def orden_aprobado(self) -> tuple[Punto, ...]:
        """The agenda as approved: convened items minus the withdrawn ones, plus the added ones."""
        return tuple(p for p in self.orden_del_dia if not p.retirado)

    @property
    def orden_convocado(self) -> tuple[Punto, ...]:
        return tuple(p for p in self.orden_del_dia if not p.agregado)

    @property
    def orden_modificado(self) -> bool:
        return any(p.retirado or p.agregado for p in self.orden_del_dia)

    @property
    def hora_convocada(self) -> dt.time | None:
        """The hour the convocatoria gives (`convocatoria.hora`), or the opening if it gives none."""
        if self.convocatoria is not None and self.convocatoria.hora is not None:
            return self.convocatoria.hora
        return self.hora_inicio

    def asistio(self, id_: str) -> bool:
        return self.asistencia is not None and any(a.integrante == id_ for a in self.asistencia)

    def asistente(self, id_: str) -> Asistente | None:
        return next((a for a in self.asistencia or () if a.integrante == id_), None)


@dataclass(frozen=True)
class Tema:
    tema: str
    intervenciones: tuple[Intervencion, ...]


@dataclass(frozen=True)
class AcuerdoReunion:
    numero: int
    texto: str
    responsable: str
    fecha_limite: dt.date
    lugar: Ubicacion


@dataclass(frozen=True)
class Reunion:
    """A working meeting; it leaves a minuta (000 Cap. VI.5, VI.7 and XI.7)."""

    id: str  # RT-2020-11-24
    fecha: dt.date
    hora_inicio: dt.time
    hora_cierre: dt.time
    modalidad: str
    sede: str
    asunto: str
    asistencia: tuple[str, ...]
    externos: tuple[tuple[str, str], ...]  # (nombre, cargo) of people outside the roster
    temas: tuple[Tema, ...]
    acuerdos: tuple[AcuerdoReunion, ...]
    lugar: Ubicacion


@dataclass(frozen=True)
class Envio:
    """One message the SMTP server accepted (records/envios.yaml): who got what, never their address."""

    sesion: str
    clase: str  # "convocatoria", "actualizacion", "cancelacion", "borrador", "firma" or "acta" (a minuta too)
    integrante: str
    mensaje: str  # Message-ID
    fecha: dt.datetime  # when the server accepted it
    lugar: Ubicacion
    sha256: str | None = None  # of the document attached (oficio or acta); none for a cancellation
    secuencia: int | None = None  # iCalendar SEQUENCE of the invitation
    inicio: dt.datetime | None = None  # the start and place the invitation announced (to detect a change)
    sede: str | None = None
    # False: «enviado sin confirmación», the server took the whole message and closed before its «250 OK»
    confirmado: bool = True


ESTADOS_ACUERDO = ("pendiente", "en_proceso", "cumplido", "cancelado")


@dataclass(frozen=True)
class Seguimiento:
    """Follow-up of one acuerdo (000 Cap. XI.9): who answers for it, by when, and each reported update."""

    acuerdo: str  # folio
    lugar: Ubicacion
    responsable: str | None = None
    fecha_limite: dt.date | None = None
    actualizaciones: tuple[
        tuple[dt.date, str, str | None, str | None], ...
    ] = ()  # (fecha, estado, nota, sesión)

    @property
    def estado(self) -> str:
        return self.actualizaciones[-1][1] if self.actualizaciones else "pendiente"


@dataclass(frozen=True)
class Registro:
    """Everything under one `records/` tree, validated as records (not yet against the rules)."""

    raiz: str
    stl: Stl
    perfil: Perfil
    sesiones: tuple[Sesion, ...]  # ordered by date
    folios: tuple[Folio, ...] = ()
    reuniones: tuple[Reunion, ...] = ()
    certificados: dict[str, frozenset[str]] = field(default_factory=dict)  # member id → registered SHA-256
    seguimiento: dict[str, Seguimiento] = field(default_factory=dict)  # acuerdo folio → its follow-up
    envios: tuple[Envio, ...] = ()  # messages sent (records/envios.yaml), oldest first
    aprobados: dict[str, Aprobado] = field(default_factory=dict)  # session id → its acta's approved text
    avisos: tuple = ()  # errors.Problema of records the command did not need valid (`records.load(para=…)`)

    @cached_property
    def memo(self) -> dict:
        """Values derived from this immutable tree (verdicts, absences), each computed once per load."""
        return {}

    def reunion(self, id_: str) -> Reunion:
        for r in self.reuniones:
            if r.id == id_:
                return r
        raise KeyError(id_)

    @cached_property
    def _sesiones_por_id(self) -> dict[str, Sesion]:
        """Each session by its id, once per load: looking one up by scanning them made the site quadratic."""
        return {s.id: s for s in reversed(self.sesiones)}  # reversed: the first of a repeated id wins

    def sesion(self, id_: str) -> Sesion:
        try:
            return self._sesiones_por_id[id_]
        except KeyError:
            raise KeyError(id_) from None
