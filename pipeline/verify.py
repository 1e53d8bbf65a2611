"""Stage 5 — verify: every signature of a signed acta, and the set of signatories.

Takes PDF bytes, the trust roots and (for a session) the expected signatories; gives an `Informe` with, per
signature, integrity, cryptographic validity, trust path, revocation, expiry (a certificate expired when it
signed, with no timestamp proving an earlier signature), timestamp and what changed after it, plus the
document-level problems: no certification, a signatory missing or signing twice, an unexpected signature. For
a session the records say more: each signature must be made with a certificate registered for the member whose
field it fills (records/certificados.yaml), a signature in anyone else's field names who made it and whether
they attended, and the file must be the version the ledger recorded. Every signature is checked before
anything fails (pyHanko's validate command does the same).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from . import certificados, lta
from .bitacora import PROPIOS, Bitacora, clase_de, concuerda, espacio, leer_bitacora, nombre_de
from .spanish import ZONA_HORARIA

__all__ = [
    "Firma",
    "Informe",
    "Registrados",
    "registrados",
    "revisar_incremento",
    "verificar",
    "verificar_objetivo",
    "verificar_version",
]

_NIVELES = {
    "NONE": "ninguna",
    "LTA_UPDATES": "solo datos de validación",
    "FORM_FILLING": "llenado de campos y firmas",
    "ANNOTATIONS": "anotaciones",
    "OTHER": "cambios de contenido",
}


@dataclass(frozen=True)
class Firma:
    campo: str
    titular: str
    serie: str
    emisor: str
    huella: str
    fecha: str | None  # from the timestamp when there is one, else as the signer reported it
    sello_de_tiempo: bool
    certificacion: bool
    intacta: bool
    valida: bool
    confiable: bool
    revocada: bool
    modificacion: str  # what changed after this signature, in Spanish
    problemas: tuple[str, ...]
    avisos: tuple[str, ...] = ()  # what is not wrong with the signature but breaks PDF/A (its appearance)
    # When its certificate is no longer valid at the time of verification (it expired): the moment a timestamp
    # proves the signature was made, when the certificate was valid (ISO 8601). None: valid now, or not proven.
    probada: str | None = None


@dataclass(frozen=True)
class SelloDocumento:
    """A document timestamp (an archive timestamp of PAdES B-LTA): who made it, when, whether it holds."""

    campo: str
    autoridad: str  # the time-stamping authority's name
    fecha: str  # ISO 8601, the time it proves
    vence: str  # when the authority's certificate expires: the archive timestamp is renewed before
    valido: bool  # intact and valid
    confiable: bool  # its authority trusted at the time of verification


@dataclass(frozen=True)
class Informe:
    archivo: str
    firmas: tuple[Firma, ...]
    problemas: tuple[str, ...]  # document-level
    # What this verification could not check, said in words (a PDF verified without the STL's records cannot
    # prove that its signatories are the session's attendees, nor that each certificate is the registered one).
    sin_comprobar: tuple[str, ...] = ()
    sesion: str | None = None  # the session the file was checked against, when the records were at hand
    sellos: tuple[SelloDocumento, ...] = ()  # document timestamps (archive timestamps), oldest first
    nivel: str = ""  # PAdES level reached: B-B, B-T, B-LT, B-LTA
    zona: str = ZONA_HORARIA  # the time zone its dates are read in (stl.yaml, zona_horaria)

    @property
    def avisos(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for f in self.firmas for a in f.avisos))

    @property
    def todos(self) -> tuple[str, ...]:
        return (*(p for f in self.firmas for p in f.problemas), *self.problemas)

    @property
    def ok(self) -> bool:
        return not self.todos

    def como_dict(self) -> dict:
        return {**dataclasses.asdict(self), "avisos": list(self.avisos), "valido": self.ok}


def _confianza(quien: str, cert, status, ts) -> str:
    """Why a certificate does not validate, said so a person can act: expired (and no timestamp shows the signature
    came earlier), not yet valid, or not leading to a trusted root."""
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate

    serie = certificados.numero(cert)
    indicacion = status.trust_problem_indic
    vence, desde = cert.not_valid_after, cert.not_valid_before
    momento = ts.timestamp if ts is not None and ts.intact and ts.valid else None
    caducado = indicacion in (
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    )
    if caducado or (momento is not None and momento > vence):
        if momento is None:
            return (
                f"el certificado de {quien} (núm. {serie}) caducó el {vence:%Y-%m-%d} y la firma no tiene sello de "
                "tiempo que pruebe que se hizo antes: la firma no es válida"
            )
        if momento <= vence:
            return (
                f"el certificado de {quien} (núm. {serie}) caducó el {vence:%Y-%m-%d}, después de la firma (sello de "
                f"tiempo del {momento:%Y-%m-%d}), y no se pudo comprobar que entonces llevara a una raíz de confianza"
            )
        return (
            f"el certificado de {quien} (núm. {serie}) caducó el {vence:%Y-%m-%d}, antes de la firma (sello de "
            f"tiempo del {momento:%Y-%m-%d}): la firma no es válida"
        )
    if indicacion in (AdESIndeterminate.NOT_YET_VALID, AdESFailure.NOT_YET_VALID):
        return f"el certificado de {quien} (núm. {serie}) aún no era válido al firmar (lo es desde el {desde:%Y-%m-%d})"
    return f"el certificado de {quien} (emitido por {certificados.identidad(cert).emisor}) no lleva a una raíz de confianza"


# --- what may change after the certification ---------------------------------------------------------------------
#
# pyHanko's default policy lets the document information (/Info) and the XMP metadata change freely after a
# certification (its LTA_UPDATES level): a new title or author would ride into a signed acta. Here only what a
# signature itself writes may change: the field's value, widget and appearance, the signature dictionary, the
# DSS with its revocation data, and of the metadata only the dates and producer every signing program rewrites.

_INFO_VOLATIL = frozenset({"/ModDate", "/Producer"})
_XMP_VOLATIL = frozenset(
    {
        "{http://ns.adobe.com/xap/1.0/}ModifyDate",
        "{http://ns.adobe.com/xap/1.0/}MetadataDate",
        "{http://ns.adobe.com/pdf/1.3/}Producer",
        "{adobe:ns:meta/}xmptk",
    }
)


@functools.cache
def _politica():
    from pyhanko.sign.diff_analysis import (
        CatalogModificationRule,
        DocInfoRule,
        DSSCompareRule,
        FormUpdatingRule,
        GenericFieldModificationRule,
        MetadataUpdateRule,
        ObjectStreamRule,
        SigFieldCreationRule,
        SigFieldModificationRule,
        StandardDiffPolicy,
        SuspiciousModification,
        XrefStreamRule,
    )
    from pyhanko.sign.diff_analysis.constants import VALUE_UPDATE_KEYS
    from pyhanko.sign.diff_analysis.policy_api import ModificationLevel

    class CambioNoPermitido(SuspiciousModification):
        """A change after the certification, named in Spanish (the verification report quotes it)."""

    class Info(DocInfoRule):
        def apply(self, old, new):
            antes, despues = (_en_revision(r, r.trailer_view, "/Info") for r in (old, new))
            claves = sorted(
                k
                for k in set(antes) | set(despues)
                if k not in _INFO_VOLATIL and str(antes.get(k)) != str(despues.get(k))
            )
            if claves:
                raise CambioNoPermitido(
                    f"cambios en los metadatos del documento (/Info: {', '.join(claves)})"
                )
            yield from super().apply(old, new)

    class Metadatos(MetadataUpdateRule):
        def apply(self, old, new):
            actualizaciones = list(
                super().apply(old, new)
            )  # pyHanko's own checks (indirect, well-formed XMP)
            if _xmp(old) != _xmp(new):
                raise CambioNoPermitido(
                    "cambios en los metadatos XMP del documento (título, autor u otros datos)"
                )
            yield from actualizaciones

    nivel = ModificationLevel.LTA_UPDATES
    # pyHanko's default global rules, with /Info and XMP under the rules above.
    reglas = [
        CatalogModificationRule(),
        *(r.as_qualified(nivel) for r in (Info(), XrefStreamRule(), ObjectStreamRule(), DSSCompareRule())),
        Metadatos().as_qualified(nivel),
    ]
    # /M: the widget's modification date, which poppler's pdfsig writes when it fills a field.
    campos = [
        SigFieldCreationRule(),
        SigFieldModificationRule(value_update_keys=VALUE_UPDATE_KEYS | {"/M"}),
        GenericFieldModificationRule(),
    ]
    politica = StandardDiffPolicy(
        global_rules=reglas,
        form_rule=FormUpdatingRule(field_rules=campos),
    )
    return politica, CambioNoPermitido


def _en_revision(revision, diccionario, clave: str):
    """The object `clave` of `diccionario` as it was in `revision` (a pyHanko HistoricalResolver), or {}."""
    ref = diccionario.get_value_as_reference(clave, optional=True)
    return revision(ref) if ref is not None else {}


def _xmp(revision) -> tuple:
    """The XMP metadata of a revision without what every signing program rewrites (dates, producer)."""
    from lxml import etree

    flujo = _en_revision(revision, revision.root, "/Metadata")
    if not flujo:
        return ()
    arbol = etree.fromstring(flujo.data, parser=etree.XMLParser(resolve_entities=False))
    return tuple(
        (
            e.tag,
            (e.text or "").strip(),
            tuple(sorted((k, v) for k, v in e.attrib.items() if k not in _XMP_VOLATIL)),
        )
        for e in arbol.iter()
        if isinstance(e.tag, str) and e.tag not in _XMP_VOLATIL
    )


def _cambio(sig, status) -> str | None:
    """What changed after a signature that the policy refuses, in Spanish: named by one of our rules, or the
    objects pyHanko could not explain, described by what they were in the signed revision."""
    from pyhanko.sign.diff_analysis import SuspiciousModification

    _, cambio_no_permitido = _politica()
    resultado = getattr(status, "diff_result", None)
    if isinstance(resultado, cambio_no_permitido):
        return resultado.args[0]
    if not isinstance(resultado, SuspiciousModification):
        return None
    ids = sorted({int(n) for n in re.findall(r"idnum=(\d+)", str(resultado))})
    if not ids:
        return None
    try:
        return "; ".join(_que_era(sig, n) for n in ids) + ", escrito por el programa con que se firmó"
    except Exception:  # a description is a courtesy: the refusal stands without it
        return None


def _que_era(sig, numero: int) -> str:
    """What object `numero` was in the revision `sig` signed: a field's appearance, a page, its content..."""
    from pyhanko.pdf_utils.generic import NullObject, Reference
    from pyhanko.pdf_utils.misc import PdfReadError

    base = sig.reader.get_historical_resolver(sig.signed_revision)
    try:
        objeto = base(Reference(numero, 0))
    except PdfReadError:
        objeto = NullObject()
    if isinstance(
        objeto, NullObject
    ):  # not in the signed revision: added afterwards, and nothing refers to it
        nuevo = sig.reader.get_object(Reference(numero, 0))
        forma = hasattr(nuevo, "get") and str(nuevo.get("/Subtype", "")) == "/Form"
        return f"un objeto nuevo que nada usa (objeto {numero}{', una apariencia' if forma else ''})"
    campos = base.root.get("/AcroForm", {}).get("/Fields", [])
    for campo in campos:
        campo = campo.get_object()
        apariencia = campo.get("/AP", {}).get("/N") if hasattr(campo.get("/AP", {}), "get") else None
        if getattr(apariencia, "reference", None) == Reference(numero, 0) or (
            hasattr(apariencia, "idnum") and apariencia.idnum == numero
        ):
            return f"la apariencia anterior del campo «{campo.get('/T')}» (objeto {numero})"
    tipo = str(objeto.get("/Type", "")) if hasattr(objeto, "get") else ""
    nombres = {"/Page": "una página", "/Pages": "el árbol de páginas", "/Annot": "una anotación"}
    return f"{nombres.get(tipo, 'un objeto del documento')} (objeto {numero})"


# --- what follows the last signature --------------------------------------------------------------------------------
#
# pyHanko analyses the revisions it reads after a signature, and only those: bytes appended after the last %%EOF, or
# after a `startxref` that points back at an older cross-reference section, belong to no revision, so a signature
# that ends before them still reads «covers its revision, nothing changed after». And objects a later revision adds
# without anything using them are, to its policy, harmless. Here nothing after the last signature goes unsaid: it
# must be whole revisions of the document (validation data: the DSS, a document timestamp) with every new object in
# use, or the file fails naming what is there.

_FIN_DE_REVISION = re.compile(rb"\s*(?:endobj\s*)?startxref\s+(\d+)\s+%%EOF(\r\n|\r|\n)?")


def fin_firmado(sig) -> int:
    """Where the bytes a signature covers end (its /ByteRange's second range)."""
    _, _, inicio, largo = (int(v) for v in sig.byte_range)
    return inicio + largo


def _fin_de_revision(data: bytes, info) -> int | None:
    """The offset right after a revision's `%%EOF` (and its end of line), or None if its cross-reference section is
    not followed by «startxref <its own offset> %%EOF»."""
    marca = _FIN_DE_REVISION.match(data, info.end_location)
    if marca is None or int(marca.group(1)) != info.declared_startxref:
        return None
    return marca.end()


def _sin_uso(reader, revision: int) -> list[int]:
    """The objects a revision adds (new numbers) that neither the trailer nor any object it writes refers to."""
    from pyhanko.pdf_utils import generic

    xrefs = reader.xrefs
    escritos = xrefs.explicit_refs_in_revision(revision)
    nuevos = {r for r in escritos if xrefs.get_historical_ref(r, revision - 1) is None}
    resolver = reader.get_historical_resolver(revision)
    vistos: set = set()
    pendientes = [resolver.trailer_view, *(resolver(r) for r in escritos - nuevos)]
    while pendientes:
        objeto = pendientes.pop()
        if isinstance(objeto, generic.IndirectObject):
            if objeto.reference in nuevos and objeto.reference not in vistos:
                vistos.add(objeto.reference)
                pendientes.append(resolver(objeto.reference))
        elif isinstance(objeto, generic.DictionaryObject):
            pendientes.extend(objeto.raw_get(k) for k in objeto)
        elif isinstance(objeto, generic.ArrayObject):
            pendientes.extend(list.__iter__(objeto))
    flujo = xrefs.get_xref_container_info(revision).stream_ref
    return sorted(r.idnum for r in nuevos - vistos if r != flujo)


def _despues_de_la_ultima(reader, data: bytes, ultima) -> str | None:
    """What follows the last signature and is not a revision whose every new object is in use, said in Spanish."""
    fin = fin_firmado(ultima)
    if fin >= len(data):
        return None
    xrefs = reader.xrefs
    sin_uso = []
    for revision in range(ultima.signed_revision + 1, xrefs.total_revisions):
        fin_revision = _fin_de_revision(data, xrefs.get_xref_container_info(revision))
        if fin_revision is None:
            fin = -1
            break
        fin = fin_revision
        sin_uso += _sin_uso(reader, revision)
    if fin != len(data):
        extra = len(data) - fin_firmado(ultima)
        return (
            f"{extra} bytes que ninguna firma cubre y que no son una revisión del documento (otro programa los "
            "agregó al final del archivo)"
        )
    if sin_uso:
        return f"objetos que ninguna firma cubre y que nada usa (objeto {', '.join(map(str, sin_uso))})"
    return None


def _avisos_pdfa(sig) -> tuple[str, ...]:
    """What in a signature's appearance breaks PDF/A: a font not embedded, transparency."""
    try:
        apariencia = sig.sig_field["/AP"]["/N"]
    except (KeyError, TypeError):
        try:
            apariencia = sig.sig_field["/Kids"][0]["/AP"]["/N"]
        except (KeyError, TypeError, IndexError):
            return ()
    if not apariencia.get_object().data.strip():
        return (f"la firma en «{sig.field_name}» no tiene sello visible: su apariencia está vacía",)
    fuentes, opacidades = set(), set()
    pendientes, vistos = [apariencia], set()
    while pendientes:
        xobjeto = pendientes.pop().get_object()
        if id(xobjeto) in vistos:
            continue
        vistos.add(id(xobjeto))
        recursos = xobjeto.get("/Resources", {})
        for fuente in dict(recursos.get("/Font", {})).values():
            fuente = fuente.get_object()
            descriptor = fuente.get("/FontDescriptor")
            if "/DescendantFonts" in fuente:
                descriptor = fuente["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                fuentes.add(str(fuente.get("/BaseFont", "?")).lstrip("/"))
        for estado in dict(recursos.get("/ExtGState", {})).values():
            estado = estado.get_object()
            for clave in ("/CA", "/ca"):
                if clave in estado and float(estado[clave]) < 1:
                    opacidades.add(round(float(estado[clave]) * 100))
            if str(estado.get("/SMask", "/None")) != "/None":
                opacidades.add(0)
        pendientes.extend(dict(recursos.get("/XObject", {})).values())
    avisos = []
    if fuentes:
        avisos.append(
            f"el sello de la firma en «{sig.field_name}» usa la fuente {', '.join(sorted(fuentes))} sin incrustar: "
            "el acta deja de ser PDF/A"
        )
    if opacidades:
        cuanto = ", ".join(f"{o} %" for o in sorted(opacidades) if o) or "máscara suave"
        avisos.append(
            f"el sello de la firma en «{sig.field_name}» usa transparencia ({cuanto} de opacidad): el acta puede "
            "dejar de ser PDF/A"
        )
    return tuple(avisos)


def _contextos(raices: list, momento: dt.datetime | None) -> dict:
    return {
        "signer_validation_context": certificados.contexto_validacion(raices, momento),
        "ts_validation_context": certificados.contexto_validacion(raices, momento),
        "diff_policy": _politica()[0],
    }


def _contextos_en(reader, raices: list, momento: dt.datetime) -> dict:
    """Validation contexts at a past `momento`, with the revocation data the document keeps (its DSS) and nothing
    fetched: what a responder says years later cannot speak for that moment."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

    argumentos = {
        "trust_roots": raices,
        "moment": momento,
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
    }

    def contexto():
        try:
            return DocumentSecurityStore.read_dss(reader).as_validation_context(argumentos)
        except NoDSSFoundError:
            from pyhanko_certvalidator import ValidationContext

            return ValidationContext(**argumentos)

    return {
        "signer_validation_context": contexto(),
        "ts_validation_context": contexto(),
        "diff_policy": _politica()[0],
    }


def _validar(sig, raices: list, ahora: dt.datetime | None, reader):
    """pyHanko's status of `sig` at `ahora` (None: now); and, when its certificate is not trusted then though the
    signature is intact, the moment a timestamp proves it was made if the certificate was trusted at that moment
    (years later, an expired certificate: its own timestamp, or the document's archive timestamps)."""
    from pyhanko.sign.validation import validate_pdf_signature

    status = validate_pdf_signature(sig, **_contextos(raices, ahora))
    if status.trusted or status.revoked or not (status.intact and status.valid):
        return status, None
    probado = lta.existencia(reader, sig, raices, [], ahora) if reader.embedded_timestamp_signatures else None
    ts = status.timestamp_validity
    propio = (
        ts is not None and ts.intact and ts.valid and (ts.trusted or (probado and ts.timestamp <= probado))
    )
    momento = ts.timestamp if propio else probado
    if momento is None:
        return status, None
    antes = validate_pdf_signature(sig, **_contextos_en(reader, raices, momento))
    firme = antes.trusted and not antes.revoked
    return status, momento if firme else None


def _firma(
    sig, raices: list, nombres: dict[str, str], ahora: dt.datetime | None = None, reader=None
) -> Firma:
    from pyhanko.sign.validation.status import ModificationLevel

    # A plain string: pyHanko's keeps the whole reader alive, and como_dict would copy it.
    campo = str(sig.field_name)
    quien = nombres.get(campo, campo)
    cert = sig.signer_cert
    problemas = []
    try:
        status, probada = _validar(sig, raices, ahora, reader or sig.reader)
    except Exception as exc:  # a broken CMS blob or signature dictionary: report, keep checking the others
        return Firma(
            campo,
            certificados.identidad(cert).titular if cert else "?",
            *("", "", "", None, False, False, False, False, False, False, "desconocida"),
            (f"la firma de {quien} no se puede leer ({type(exc).__name__})",),
        )
    certificacion = sig.docmdp_level is not None
    if not status.intact:
        problemas.append(f"la firma de {quien} no es íntegra: el contenido firmado cambió (bytes alterados)")
    elif not status.valid:
        problemas.append(f"la firma criptográfica de {quien} no es válida")
    if status.revoked:
        problemas.append(f"el certificado de {quien} (núm. {certificados.numero(cert)}) está revocado")
    ts = status.timestamp_validity
    confiable = status.trusted or probada is not None
    if not status.revoked and status.intact and status.valid and not confiable:
        problemas.append(_confianza(quien, cert, status, ts))
    if ts is not None and not (ts.intact and ts.valid and (ts.trusted or probada is not None)):
        problemas.append(f"el sello de tiempo de la firma de {quien} no es válido o no es de confianza")
    nivel = status.modification_level
    cambio = _cambio(sig, status)
    if cambio is not None:
        problemas.append(
            f"después de la firma de {quien} el documento tiene {cambio}: solo se permite llenar campos y firmar"
        )
    elif status.docmdp_ok is False or (nivel is not None and nivel > ModificationLevel.FORM_FILLING):
        que = _NIVELES.get(nivel.name if nivel else "OTHER", "cambios")
        problemas.append(
            f"después de la firma de {quien} el documento tiene {que}: solo se permite llenar campos y firmar"
        )
    fecha = ts.timestamp if ts is not None else status.signer_reported_dt
    datos = certificados.identidad(cert)
    return Firma(
        campo=campo,
        titular=datos.titular,
        serie=datos.numero,
        emisor=datos.emisor,
        huella=datos.huella,
        fecha=fecha.isoformat() if fecha else None,
        sello_de_tiempo=ts is not None,
        certificacion=certificacion,
        intacta=status.intact,
        valida=status.valid,
        confiable=confiable,
        revocada=status.revoked,
        modificacion=(cambio if cambio else _NIVELES.get(nivel.name, nivel.name) if nivel else "desconocida"),
        problemas=tuple(problemas),
        avisos=() if certificacion else _avisos_pdfa(sig),
        probada=probada.isoformat() if probada and not status.trusted else None,
    )


def _sellos_de_documento(reader, raices: list, ahora: dt.datetime | None) -> tuple[tuple, list[str]]:
    """Each document timestamp, and what is wrong with them: one that is not intact or valid; the newest, made by
    an authority no longer trusted at `ahora` (its certificate expired: it was not renewed in time)."""
    from pyhanko.sign.validation import validate_pdf_timestamp

    sellos, problemas = [], []
    for sello in reader.embedded_timestamp_signatures:
        tsa = certificados.identidad(sello.signer_cert)
        try:
            estado = validate_pdf_timestamp(
                sello, certificados.contexto_validacion(raices, ahora), skip_diff=True
            )
            valido, confiable, fecha = estado.intact and estado.valid, estado.trusted, estado.timestamp
        except Exception:  # a broken token: said below
            valido, confiable, fecha = False, False, None
        sellos.append(
            SelloDocumento(
                str(sello.field_name),
                tsa.titular,
                fecha.isoformat() if fecha else "",
                tsa.vigente_hasta.isoformat(),
                valido,
                confiable,
            )
        )
        if not valido:
            problemas.append(
                f"el sello de tiempo del documento «{sello.field_name}» no es íntegro o no es válido"
            )
    if sellos and sellos[-1].valido and not sellos[-1].confiable:
        problemas.append(
            f"el último sello de tiempo del documento ({sellos[-1].autoridad}) ya no es de confianza: su certificado "
            f"venció el {sellos[-1].vence[:10]} y no se renovó antes («stl renovar-sello»)"
        )
    return tuple(sellos), problemas


def _con_lo_de_despues(firma: Firma, reader, data: bytes, sig, nombres: dict[str, str]) -> Firma:
    """The last signature, with what follows it in the file when that is more than whole revisions in use."""
    from pyhanko.pdf_utils.misc import PdfReadError

    try:
        cola = _despues_de_la_ultima(reader, data, sig)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        cola = f"revisiones que no se pueden leer ({type(exc).__name__})"
    if cola is None:
        return firma
    quien = nombres.get(firma.campo, firma.campo)
    problema = (
        f"después de la firma de {quien} el archivo tiene {cola}: solo se permite llenar campos y firmar"
    )
    return dataclasses.replace(firma, modificacion=cola, problemas=(*firma.problemas, problema))


@dataclass(frozen=True)
class Registrados:
    """What the records know of the signatories: whose each registered certificate is, and who attended."""

    duenos: dict[str, tuple[str, str]]  # certificate SHA-256 → (member id, name)
    asistentes: frozenset[str] | None = None  # ids of those who attended the session; None: not known
    archivo: str = "certificados.yaml"  # where the registered certificates are, as messages name it


def registrados(registro, sesion_id: str | None = None) -> Registrados:
    duenos = {
        huella: (id_, registro.stl.integrante(id_).nombre)
        for id_, huellas in registro.certificados.items()
        if id_ in {p.id for p in registro.stl.integrantes}
        for huella in huellas
    }
    asistentes = None
    if sesion_id is not None and sesion_id in {s.id for s in registro.sesiones}:
        sesion = registro.sesion(sesion_id)
        if sesion.asistencia is not None:
            asistentes = frozenset(a.integrante for a in sesion.asistencia)
    return Registrados(duenos, asistentes, str(Path(registro.raiz) / "certificados.yaml"))


def _quien_firmo(firma: Firma, registro: Registrados) -> tuple[str | None, str]:
    """The member a signature's certificate is registered for (id, name), or (None, the certificate's name)."""
    dueno = registro.duenos.get(firma.huella)
    return dueno if dueno else (None, firma.titular)


def _de_quien(
    esperados: dict[str, str], registro: Registrados, firmas: tuple[Firma, ...], ids: dict[str, str]
) -> list[str]:
    """A signature in an expected field must be by that member; one in any other field says who made it."""
    problemas = []
    for f in firmas:
        if f.certificacion and f.campo not in esperados:
            continue
        id_, nombre = _quien_firmo(f, registro)
        if f.campo in esperados:
            esperado = esperados[f.campo]
            if id_ is None:
                problemas.append(
                    f"la firma en el campo de {esperado} se hizo con un certificado a nombre de {nombre} (núm. "
                    f"{f.serie}) que no está registrado para {esperado} en {registro.archivo}"
                )
            elif ids.get(f.campo, f.campo.removeprefix("firma-")) != id_:
                problemas.append(
                    f"la firma en el campo de {esperado} la hizo {nombre}: su certificado (núm. {f.serie}) está "
                    f"registrado para {nombre}, no para {esperado}"
                )
            continue
        if id_ is not None and registro.asistentes is not None and id_ not in registro.asistentes:
            razon = "no asistió a la sesión y no firma su acta"
        elif id_ is not None:
            razon = "no firma esta acta (no asistió o no firma por su calidad)"
        else:
            razon = "su certificado no está registrado para ningún integrante"
        problemas.append(f"hay una firma no esperada en el campo «{f.campo}», de {nombre}: {razon}")
    return problemas


def verificar(
    data: bytes,
    raices: list,
    archivo: str,
    esperados: dict[str, str] | None = None,
    registro: Registrados | None = None,
    ids: dict[str, str] | None = None,
    ahora: dt.datetime | None = None,
) -> Informe:
    """Check every signature of `data` at `ahora` (None: now); `esperados` maps field name → signatory name (None:
    every field); `registro`, when given, checks each signature against the certificates registered for each
    member (`ids`: field name → member id, when a field is not «firma-ID»: the certification of a signatory who
    prepared it). Document timestamps (PAdES B-LTA) are checked apart, and the level reached is said."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import fields

    from . import lector

    try:
        reader = lector.abrir(data)
        # Each field's tooltip names its signatory («Nombre|Cargo», set by `stl preparar-firma`).
        campos = {
            name: str(ref.get_object().get("/TU", name)).partition("|")[0]
            for name, _, ref in fields.enumerate_sig_fields(reader)
        }
        firmas_pdf, todas = reader.embedded_regular_signatures, reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as exc:
        return Informe(archivo, (), (f"{archivo} no es un PDF legible ({exc})",))
    nombres = {**campos, "certificacion": "certificación", **(esperados or {})}
    firmas = tuple(_firma(sig, raices, nombres, ahora, reader) for sig in firmas_pdf)
    sellos, problemas = _sellos_de_documento(reader, raices, ahora)
    if firmas and todas[-1] is firmas_pdf[-1]:
        firmas = (*firmas[:-1], _con_lo_de_despues(firmas[-1], reader, data, firmas_pdf[-1], nombres))
    elif todas and (cola := _despues_de_la_ultima(reader, data, todas[-1])) is not None:
        problemas.append(f"después del último sello de tiempo del documento el archivo tiene {cola}")
    if not firmas or not firmas[0].certificacion:
        problemas.append(
            "el acta no tiene firma de certificación (DocMDP) antes de las firmas de los integrantes"
        )
    if esperados is None:
        esperados = {c: nombre for c, nombre in campos.items() if c.startswith("firma-")}
    problemas += _firmantes(esperados, firmas, registro, ids or {})
    nivel = lta.nivel(reader, [f.sello_de_tiempo for f in firmas])
    return Informe(archivo, firmas, tuple(problemas), sellos=sellos, nivel=nivel)


def _firmantes(
    esperados: dict[str, str], firmas: tuple[Firma, ...], registro: Registrados | None, ids: dict[str, str]
) -> list[str]:
    """Each expected signatory signs exactly once; a signature in another field is named."""
    problemas = []
    # The certification counts as a signatory's signature when it fills their field (they prepared the document).
    vistos = [f.campo for f in firmas if not f.certificacion or f.campo in esperados]
    for campo, nombre in esperados.items():
        veces = vistos.count(campo)
        if veces == 0:
            problemas.append(f"falta la firma de {nombre}")
        elif veces > 1:
            problemas.append(f"{nombre} firma {veces} veces")
    if registro is not None:
        return problemas + _de_quien(esperados, registro, firmas, ids)
    return problemas + [
        f"hay una firma no esperada en el campo «{campo}»"
        for campo in dict.fromkeys(vistos)
        if campo not in esperados
    ]


def revisar_incremento(data: bytes, raices: list) -> Informe:
    """A copy signed elsewhere: its problems (the new signature must be valid, nothing else may change) and the
    warnings of its appearance (PDF/A)."""
    informe = verificar(data, raices, "copia")
    nueva = informe.firmas[-1] if informe.firmas else None
    problemas = tuple(p for f in informe.firmas for p in f.problemas)
    if nueva is None or not nueva.intacta:
        problemas += ("la nueva firma no cubre el documento completo",)
    return dataclasses.replace(informe, problemas=problemas)


def pdfsig(path: str) -> list[bool]:
    """poppler's own verdict per signature (used by the tests to cross-check), without trust evaluation."""
    import subprocess

    out = subprocess.run(["pdfsig", "-nocert", path], capture_output=True, text=True).stdout
    return [
        line.strip() == "- Signature Validation: Signature is Valid."
        for line in out.splitlines()
        if "Signature Validation" in line
    ]


SIN_REGISTROS = (
    "sin los registros del STL no se comprobó que quienes firman sean los integrantes que asistieron a la sesión "
    "y firman su acta, ni que cada certificado sea el registrado para quien firma (use --registros con la carpeta "
    "de registros, o pida al STL la verificación)"
)


def verificar_objetivo(
    registros: Path,
    firmas: Path,
    objetivo: str,
    raices_extra: tuple[Path, ...],
    documento: str | None = None,
    ahora: dt.datetime | None = None,
) -> Informe:
    """`stl verificar`: a session's current version against its ledger; a PDF, with the records, against the same
    expected signatories and registered certificates; a PDF without records, against the trust roots only,
    saying what that cannot prove. Its dates are read in the time zone of the records."""
    from . import records

    registro = records.load(registros) if (Path(registros) / "stl.yaml").is_file() else None
    informe = _verificar_objetivo(registro, firmas, objetivo, raices_extra, documento, ahora)
    return dataclasses.replace(informe, zona=registro.stl.zona_horaria) if registro is not None else informe


def _verificar_objetivo(
    registro, firmas: Path, objetivo: str, raices_extra: tuple[Path, ...], documento: str | None, ahora
) -> Informe:
    from .errors import StlError

    raices = [certificados.autoridad(p, "--raiz") for p in raices_extra]
    if registro is not None and not raices:
        raices = certificados.raices_de_confianza(registro)
    if not raices:
        raise StlError("indique las raíces de confianza con --raiz o en stl.yaml (firma.raices)")
    if not objetivo.lower().endswith(".pdf"):
        clase = clase_de(objetivo, documento, registro.perfil.documento if registro is not None else "acta")
        workspace = espacio(Path(firmas), objetivo, clase)
        return verificar_version(workspace, leer_bitacora(workspace, clase), raices, registro, ahora)
    path = Path(objetivo)
    if not path.is_file():
        raise StlError(f"no existe {path}")
    datos = path.read_bytes()
    if registro is None:
        informe = verificar(datos, raices, str(path), ahora=ahora)
        return dataclasses.replace(informe, sin_comprobar=(SIN_REGISTROS,))
    return _contra_registros(datos, str(path), registro, Path(firmas), raices, ahora)


def _bitacora_de(datos: bytes, firmas: Path) -> Bitacora | None:
    """The ledger whose prepared, certified version (v00) the file continues, if any."""
    for ruta in sorted([*firmas.glob("*/bitacora.json"), *firmas.glob("*/*/bitacora.json")]):
        bitacora = Bitacora.de_json(ruta.read_bytes())
        base = ruta.parent / bitacora.versiones[0].archivo
        if base.is_file() and datos.startswith(base.read_bytes()):
            return bitacora
    return None


def _sesion_declarada(datos: bytes) -> tuple[str | None, str]:
    """The session and document the certification field names («Certificación|IV-2020», an acta, or
    «Certificación|IV-2020|convocatoria»: written by `stl preparar-firma`)."""
    from pyhanko.sign import fields

    from . import lector

    try:
        reader = lector.abrir(datos)
        for name, _, ref in fields.enumerate_sig_fields(reader):
            if name == "certificacion":
                partes = str(ref.get_object().get("/TU", "")).split("|")
                sesion = partes[1] if len(partes) > 1 and partes[1] else None
                return sesion, partes[2] if len(partes) > 2 else "acta"
    except Exception:  # an unreadable file: verificar says so
        return None, "acta"
    return None, "acta"


def _contra_registros(
    datos: bytes, archivo: str, registro, firmas: Path, raices: list, ahora=None
) -> Informe:
    from . import rules

    bitacora = _bitacora_de(datos, firmas)
    sesion, clase = (bitacora.sesion, bitacora.clase) if bitacora else _sesion_declarada(datos)
    objetivos = {s.id for s in registro.sesiones} | {r.id for r in registro.reuniones}
    if sesion is None or sesion not in objetivos:
        informe = verificar(datos, raices, archivo, ahora=ahora)
        problema = (
            f"{archivo} no corresponde a ninguna sesión de {registro.raiz}: no continúa ningún acta preparada para "
            f"firma en {firmas} ni dice de qué sesión es; no se pudo comprobar que quienes firman sean los asistentes"
        )
        return dataclasses.replace(informe, problemas=(*informe.problemas, problema))
    problemas = []
    workspace = espacio(firmas, sesion, clase)
    if bitacora is None and (workspace / "bitacora.json").is_file():
        bitacora = leer_bitacora(workspace)
        problemas.append(
            f"{archivo} dice ser {bitacora.nombre} de {sesion}, pero no continúa {bitacora.nombre} que se preparó "
            f"para firma ({workspace / bitacora.versiones[0].archivo}): su contenido es otro"
        )
    ids = {}
    if bitacora is not None:
        esperados = {e.campo: e.nombre for e in bitacora.esperados}
        ids = {e.campo: e.id for e in bitacora.esperados}
    elif clase not in PROPIOS or sesion.startswith("RT-"):
        informe = verificar(datos, raices, archivo, ahora=ahora)
        problema = (
            f"{archivo} dice ser {nombre_de(clase)} de {sesion}, pero {nombre_de(clase)} no está "
            f"{concuerda(clase, 'preparad')} para firma en {workspace}: no se pudo comprobar quién debe firmar"
        )
        return dataclasses.replace(informe, problemas=(*informe.problemas, problema), sesion=sesion)
    else:
        firmantes = rules.dictaminar(registro, sesion).firmantes
        esperados = {f"firma-{p.id}": p.nombre for p in firmantes}
        certifica = _certifica(datos, registro, {p.id for p in firmantes})
        if certifica is not None:  # the signatory who prepared it: their signature is the certification
            del esperados[f"firma-{certifica}"]
            esperados[CERTIFICACION], ids = (
                registro.stl.integrante(certifica).nombre,
                {CERTIFICACION: certifica},
            )
    informe = verificar(datos, raices, archivo, esperados, registrados(registro, sesion), ids, ahora)
    return dataclasses.replace(informe, problemas=(*informe.problemas, *problemas), sesion=sesion)


CERTIFICACION = "certificacion"


def _certifica(datos: bytes, registro, firmantes: set[str]) -> str | None:
    """The signatory whose registered certificate made the certification, when their own field is not in the
    file (`stl preparar-firma` by a signatory: the certification is their signature); without the ledger."""
    from pyhanko.sign import fields

    from . import lector

    try:
        reader = lector.abrir(datos)
        nombres = {nombre for nombre, _, _ in fields.enumerate_sig_fields(reader)}
        primera = reader.embedded_regular_signatures[0]
    except Exception:  # an unreadable file: verificar says so
        return None
    if primera.field_name != CERTIFICACION:
        return None
    huella = certificados.identidad(primera.signer_cert).huella
    duenos = [i for i, huellas in registro.certificados.items() if huella in huellas and i in firmantes]
    return duenos[0] if duenos and f"firma-{duenos[0]}" not in nombres else None


def verificar_version(workspace: Path, bitacora, raices: list, registro=None, ahora=None) -> Informe:
    """The current version of a session's acta: its signatures, its expected signatories (from the ledger),
    whose certificate each signature is (when the records are at hand), and that the file is the one the ledger
    recorded (its SHA-256)."""
    import hashlib

    path = workspace / bitacora.actual.archivo
    if not path.is_file():
        return Informe(str(path), (), (f"falta {path}, la versión actual que registra la bitácora",))
    datos = path.read_bytes()
    esperados = {e.campo: e.nombre for e in bitacora.esperados}
    quienes = registrados(registro, bitacora.sesion) if registro is not None else None
    informe = dataclasses.replace(
        verificar(
            datos, raices, str(path), esperados, quienes, {e.campo: e.id for e in bitacora.esperados}, ahora
        ),
        sesion=bitacora.sesion,
    )
    if registro is None:
        informe = dataclasses.replace(informe, sin_comprobar=(SIN_REGISTROS,))
    if hashlib.sha256(datos).hexdigest() != bitacora.actual.sha256:
        cambio = (
            f"{bitacora.actual.archivo} no es la versión que registra la bitácora (su SHA-256 cambió): alguien lo "
            "reemplazó o modificó fuera de stl"
        )
        informe = dataclasses.replace(informe, problemas=(*informe.problemas, cambio))
    return informe
