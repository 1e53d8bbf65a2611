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
import io
from dataclasses import dataclass
from pathlib import Path

from . import certificados
from .bitacora import leer_bitacora

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


@dataclass(frozen=True)
class Informe:
    archivo: str
    firmas: tuple[Firma, ...]
    problemas: tuple[str, ...]  # document-level

    @property
    def todos(self) -> tuple[str, ...]:
        return (*(p for f in self.firmas for p in f.problemas), *self.problemas)

    @property
    def ok(self) -> bool:
        return not self.todos

    def como_dict(self) -> dict:
        return {**dataclasses.asdict(self), "valido": self.ok}


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
        return (
            f"el certificado de {quien} (núm. {serie}) caducó el {vence:%Y-%m-%d}, antes de la firma (sello de "
            f"tiempo del {momento:%Y-%m-%d}): la firma no es válida"
        )
    if indicacion in (AdESIndeterminate.NOT_YET_VALID, AdESFailure.NOT_YET_VALID):
        return f"el certificado de {quien} (núm. {serie}) aún no era válido al firmar (lo es desde el {desde:%Y-%m-%d})"
    return f"el certificado de {quien} (emitido por {certificados.identidad(cert).emisor}) no lleva a una raíz de confianza"


def _firma(sig, raices: list, nombres: dict[str, str]) -> Firma:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import ModificationLevel

    quien = nombres.get(sig.field_name, sig.field_name)
    cert = sig.signer_cert
    problemas = []
    try:
        status = validate_pdf_signature(
            sig,
            signer_validation_context=certificados.contexto_validacion(raices),
            ts_validation_context=certificados.contexto_validacion(raices),
        )
    except Exception as exc:  # a broken CMS blob or signature dictionary: report, keep checking the others
        return Firma(
            sig.field_name,
            certificados.identidad(cert).titular if cert else "?",
            "",
            "",
            "",
            None,
            False,
            False,
            False,
            False,
            False,
            False,
            "desconocida",
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
    if not status.revoked and status.intact and status.valid and not status.trusted:
        problemas.append(_confianza(quien, cert, status, ts))
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        problemas.append(f"el sello de tiempo de la firma de {quien} no es válido o no es de confianza")
    nivel = status.modification_level
    if status.docmdp_ok is False or (nivel is not None and nivel > ModificationLevel.FORM_FILLING):
        que = _NIVELES.get(nivel.name if nivel else "OTHER", "cambios")
        problemas.append(
            f"después de la firma de {quien} el documento tiene {que}: solo se permite llenar campos y firmar"
        )
    fecha = ts.timestamp if ts is not None else status.signer_reported_dt
    datos = certificados.identidad(cert)
    return Firma(
        campo=sig.field_name,
        titular=datos.titular,
        serie=datos.numero,
        emisor=datos.emisor,
        huella=datos.huella,
        fecha=fecha.isoformat() if fecha else None,
        sello_de_tiempo=ts is not None,
        certificacion=certificacion,
        intacta=status.intact,
        valida=status.valid,
        confiable=status.trusted,
        revocada=status.revoked,
        modificacion=_NIVELES.get(nivel.name, nivel.name) if nivel else "desconocida",
        problemas=tuple(problemas),
    )


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


def _de_quien(esperados: dict[str, str], registro: Registrados, firmas: tuple[Firma, ...]) -> list[str]:
    """A signature in an expected field must be by that member; one in any other field says who made it."""
    problemas = []
    for f in firmas:
        if f.certificacion:
            continue
        id_, nombre = _quien_firmo(f, registro)
        if f.campo in esperados:
            esperado = esperados[f.campo]
            if id_ is None:
                problemas.append(
                    f"la firma en el campo de {esperado} se hizo con un certificado a nombre de {nombre} (núm. "
                    f"{f.serie}) que no está registrado para {esperado} en {registro.archivo}"
                )
            elif f"firma-{id_}" != f.campo:
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
) -> Informe:
    """Check every signature of `data`; `esperados` maps field name → signatory name (None: every field);
    `registro`, when given, checks each signature against the certificates registered for each member."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        # Each field's tooltip names its signatory («Nombre|Cargo», set by `stl preparar-firma`).
        campos = {
            name: str(ref.get_object().get("/TU", name)).partition("|")[0]
            for name, _, ref in fields.enumerate_sig_fields(reader)
        }
        firmas_pdf = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as exc:
        return Informe(archivo, (), (f"{archivo} no es un PDF legible ({exc})",))
    nombres = {**campos, "certificacion": "certificación", **(esperados or {})}
    firmas = tuple(_firma(sig, raices, nombres) for sig in firmas_pdf)
    problemas = []
    if not firmas or not firmas[0].certificacion:
        problemas.append(
            "el acta no tiene firma de certificación (DocMDP) antes de las firmas de los integrantes"
        )
    if esperados is None:
        esperados = {c: nombre for c, nombre in campos.items() if c.startswith("firma-")}
    vistos = [f.campo for f in firmas if not f.certificacion]
    for campo, nombre in esperados.items():
        veces = vistos.count(campo)
        if veces == 0:
            problemas.append(f"falta la firma de {nombre}")
        elif veces > 1:
            problemas.append(f"{nombre} firma {veces} veces")
    if registro is not None:
        problemas += _de_quien(esperados, registro, firmas)
    else:
        problemas += [
            f"hay una firma no esperada en el campo «{campo}»"
            for campo in dict.fromkeys(vistos)
            if campo not in esperados
        ]
    return Informe(archivo, firmas, tuple(problemas))


def revisar_incremento(data: bytes, base: int, raices: list) -> list[str]:
    """Problems of a copy signed elsewhere: the new signature must be valid and nothing else may change."""
    informe = verificar(data, raices, "copia")
    nueva = informe.firmas[-1] if informe.firmas else None
    problemas = [p for f in informe.firmas for p in f.problemas]
    if nueva is None or not nueva.intacta:
        problemas.append("la nueva firma no cubre el documento completo")
    return problemas


def pdfsig(path: str) -> list[bool]:
    """poppler's own verdict per signature (used by the tests to cross-check), without trust evaluation."""
    import subprocess

    out = subprocess.run(["pdfsig", "-nocert", path], capture_output=True, text=True).stdout
    return [
        line.strip() == "- Signature Validation: Signature is Valid."
        for line in out.splitlines()
        if "Signature Validation" in line
    ]


def verificar_objetivo(
    registros: Path, firmas: Path, objetivo: str, raices_extra: tuple[Path, ...]
) -> Informe:
    """`stl verificar`: a session's current version against its ledger, or any PDF against the trust roots."""
    from pyhanko.keys import load_cert_from_pemder

    from . import records
    from .errors import StlError

    raices = [load_cert_from_pemder(str(p)) for p in raices_extra]
    registro = None
    if (Path(registros) / "stl.yaml").is_file():
        registro = records.load(registros)
        if not raices:
            raices = certificados.raices_de_confianza(registro)
    if not raices:
        raise StlError("indique las raíces de confianza con --raiz o en stl.yaml (firma.raices)")
    if objetivo.lower().endswith(".pdf"):
        path = Path(objetivo)
        if not path.is_file():
            raise StlError(f"no existe {path}")
        return verificar(path.read_bytes(), raices, str(path))
    workspace = Path(firmas) / objetivo
    return verificar_version(workspace, leer_bitacora(workspace), raices, registro)


def verificar_version(workspace: Path, bitacora, raices: list, registro=None) -> Informe:
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
    informe = verificar(datos, raices, str(path), esperados, quienes)
    if hashlib.sha256(datos).hexdigest() != bitacora.actual.sha256:
        cambio = (
            f"{bitacora.actual.archivo} no es la versión que registra la bitácora (su SHA-256 cambió): alguien lo "
            "reemplazó o modificó fuera de stl"
        )
        informe = dataclasses.replace(informe, problemas=(*informe.problemas, cambio))
    return informe
