"""The worded documents: frozen values, every sentence already in Spanish, that the templates only lay out.

`acta` and `render` build them; `render` lays them out as PDF, `render_docx` as DOCX, from the same value, so
both formats say the same thing. Nothing here words anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Integrante

__all__ = [
    "BORRADOR",
    "VERSION_PUBLICA",
    "Bloque",
    "Constancia",
    "Documento",
    "Errata",
    "FeDeErratas",
    "FilaAcuerdo",
    "Firmante",
    "Imagen",
    "Membrete",
    "Minuta",
    "Oficio",
    "OrdenDelDia",
    "Seccion",
    "Verificacion",
    "firmantes_de",
    "proyecto",
]


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
class Verificacion:
    """Printed on every page of a signed document: a short code and a QR code to its page on the public site."""

    codigo: str  # "7KQ2-M9XD-4TPA"
    url: str  # the document's entry on its session's page
    qr: str  # the QR code of `url`, as SVG markup made by segno


@dataclass(frozen=True)
class FilaConstancia:
    nombre: str
    cargo: str
    fecha: str  # when it was signed, as the signature says
    certificado: str  # its number, as the SAT shows it
    emisor: str
    resultado: str  # «válida» or why not


@dataclass(frozen=True)
class Constancia:
    """The last page of a versión pública: who signed the original, when, with which certificate, the result of
    verifying it, and the SHA-256 of the signed original (kept in the archive, given on request)."""

    filas: tuple[FilaConstancia, ...]
    sha256: str
    archivo: str  # the original's name in the archive
    leyenda: tuple[str, ...]  # what a versión pública is; then how to request the original

    def declaracion(self) -> str:
        """What the versión pública says it is, one item a line, in its metadata (the PDF's subject, also in XMP):
        `stl verificar` reads it back (`version_publica.declaracion`), and trusts it only once the file's SHA-256
        is the one published."""
        lineas = [DECLARACION, f"Original: {self.archivo}", f"SHA-256 del original: {self.sha256}"]
        lineas += [
            f"Firma: {f.nombre} — {f.fecha} — certificado núm. {f.certificado} ({f.emisor}) — {f.resultado}"
            for f in self.filas
        ]
        lineas += [f"Solicitud: {self.leyenda[-1]}"] if self.leyenda else []
        return "\n".join(lineas)


DECLARACION = "Versión pública (LGTAIP, art. 111) de un documento firmado electrónicamente"


# Marked at the top of every page («BORRADOR…», «VERSIÓN PÚBLICA…»): what a copy is and what it is not.
BORRADOR = "BORRADOR PARA OBSERVACIONES — SIN VALIDEZ"
VERSION_PUBLICA = "VERSIÓN PÚBLICA (LGTAIP, art. 111): sin los certificados de las firmas electrónicas"


def proyecto(documento: str) -> str:
    """What an acta (or minuta) neither approved nor signed is, wherever it is shown: «Proyecto de acta — pendiente
    de aprobación» (000 Cap. VI.7; 001 Art. 7.5; 002 V.7: approved before it is signed), never the acta."""
    return f"Proyecto de {documento} — pendiente de aprobación"


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
    raiz: str = ""  # the records folder it was made from: where a character the fonts lack is written
    verificacion: Verificacion | None = None
    marca: str = ""  # BORRADOR, VERSION_PUBLICA or a proyecto, on every page
    constancia: Constancia | None = None  # a versión pública's last page


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
    raiz: str = ""


@dataclass(frozen=True)
class Imagen:
    """A logo ready for both formats (`membrete` prepares it): no transparency, its size on the page."""

    descripcion: str  # the alternative text
    png: bytes = field(compare=False, repr=False)  # opaque RGB: the DOCX's picture
    src: str = field(compare=False, repr=False)  # the PDF's: a data: URI of that PNG, or of a vector SVG
    ancho: float  # cm
    alto: float  # cm


@dataclass(frozen=True)
class Membrete:
    """The letterhead of an oficio: logos to the left and right of the institution's lines, the year's legend."""

    izquierda: tuple[Imagen, ...]
    derecha: tuple[Imagen, ...]
    lineas: tuple[str, ...]
    leyenda: str | None  # the legend of the oficio's year: «2020. Año de Laura Méndez de Cuenca; …»


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
    membrete: Membrete | None = None  # None: no letterhead in stl.yaml
    ccp: tuple[str, ...] = ()  # «C.c.p.» lines, after the signature
    clase: str = "convocatoria"
    idioma: str = "es-MX"
    raiz: str = ""
    verificacion: Verificacion | None = None
    marca: str = ""
    constancia: Constancia | None = None

    @property
    def destinatarios_en_columnas(self) -> Columnas:
        """The addressees in two columns, first down the left one, split where the columns come out about as tall
        (each addressee's lines estimated from its length): the PDF and the DOCX break them at the same place."""
        alturas = [1 + -(-len(d.denominacion) // _LETRAS_POR_LINEA) for d in self.destinatarios]
        total = sum(alturas)
        corte = min(
            range(1, len(alturas)),
            key=lambda k: (max(sum(alturas[:k]), total - sum(alturas[:k])), -k),
            default=1,
        )
        return Columnas(self.destinatarios[:corte], self.destinatarios[corte:])


# Characters of an addressee's denominación in one line of a column (10.5 pt on half the oficio's width).
_LETRAS_POR_LINEA = 48


@dataclass(frozen=True)
class Columnas:
    izquierda: tuple[Firmante, ...]
    derecha: tuple[Firmante, ...]


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
    raiz: str = ""
    verificacion: Verificacion | None = None
    marca: str = ""
    constancia: Constancia | None = None


@dataclass(frozen=True)
class Errata:
    seccion: str  # "punto III del orden del día"
    dice: str
    debe_decir: str


@dataclass(frozen=True)
class FeDeErratas:
    """A fe de erratas of an acta: an oficio-type document citing the acta and its SHA-256, and each passage."""

    titulo: str
    autor: str
    pie: str
    emisor: str
    lugar_fecha: str
    asunto: str
    cuerpo: tuple[str, ...]  # before the table of passages
    referencia: str  # the SHA-256 of the acta corrected, on a line of its own
    erratas: tuple[Errata, ...]
    cierre: tuple[str, ...]  # after it
    firma: Firmante
    membrete: Membrete | None = None
    ccp: tuple[str, ...] = ()
    clase: str = "fe_de_erratas"
    idioma: str = "es-MX"
    raiz: str = ""
    verificacion: Verificacion | None = None
    marca: str = ""
    constancia: Constancia | None = None


def firmantes_de(personas: tuple[Integrante, ...]) -> tuple[Firmante, ...]:
    return tuple(Firmante(p.id, p.nombre, p.denominacion) for p in personas)
