"""The approval freeze: the text of an acta as it was approved, bound to its approval (records/aprobaciones.yaml).

Between rules and sign. Takes the worded acta (`documentos.Documento`) and the records; gives its content's
SHA-256, section by section, and writes it once, when stl first sees the approval (`stl acta`,
`stl preparar-firma`). From then on, an acta whose content differs is not prepared for signature: the records
were edited after the approval, and what changed is named by section. A correction after the approval is a fe
de erratas (`render.fe_de_erratas`), a document of its own; the approved acta never changes.

The content is the worded text (every sentence, the signatories), section by section, and what draws it on the
pages: the PDF templates and style sheets, the governance profile and the font files (one more section), so a
template that rewrites an acuerdo, a style sheet that hides a line or another font changes the approved content
and its verification code. A new version of WeasyPrint that only moves bytes does not.

The approved text is recorded twice: in the records (aprobaciones.yaml) and, once the archive folder is known, in
the append-only archive (ARCHIVO/aprobaciones/SESION.json), which the records folder cannot rewrite: deleting or
rewriting aprobaciones.yaml does not make an edited record the approved text. Where both exist, the archive's
copy is the one compared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import fuentes, paquete, records, registros_yaml, rules, wording
from .documentos import Documento
from .errors import StlError
from .files import write_atomic
from .models import Aprobado, Registro, Ubicacion

__all__ = ["Contenido", "Vigilancia", "cambios", "congelar", "contenido", "revisar", "vigilar"]

ARCHIVO = "aprobaciones.yaml"
ANCLAS = "aprobaciones"  # folder of the archive with the approved texts
DIBUJO = "plantillas, perfil y fuentes con que se dibuja el acta"


@dataclass(frozen=True)
class Contenido:
    sha256: str
    secciones: tuple[tuple[str, str], ...]  # (section, SHA-256)


def _sha(valor: object) -> str:
    texto = json.dumps(valor, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()


def _partes(doc: Documento) -> list[tuple[str, object]]:
    """The acta's sections as a reader names them, each with everything it says."""
    partes: list[tuple[str, object]] = [
        ("encabezado y apertura", [doc.titulo, doc.apertura]),
        ("orden del día convocado", list(doc.orden_convocado)),
    ]
    for s in doc.secciones:
        partes.append((f"punto {s.numero} del orden del día", dataclasses.asdict(s)))
    partes.append(("firmas", [doc.encabezado_firmas, [dataclasses.asdict(f) for f in doc.firmantes]]))
    partes.append(("pie de página", doc.pie))
    return partes


def dibujo(registro: Registro) -> str:
    """SHA-256 of what turns the worded acta into pages: the PDF templates and style sheets in use (STL_PLANTILLAS
    included), the governance profile's file and the font files the style sheet resolves to."""
    digest = hashlib.sha256()
    carpeta = paquete.plantillas() / "pdf"
    for path in sorted(p for p in carpeta.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(carpeta)).encode() + b"\0" + path.read_bytes())
    digest.update(b"perfil\0" + records.profile_bytes(registro.perfil.id, Path(registro.raiz)))
    for nombre, archivo in fuentes.resueltas():
        digest.update(nombre.encode() + b"\0" + Path(archivo).read_bytes())
    return digest.hexdigest()


def contenido(doc: Documento, registro: Registro) -> Contenido:
    """The SHA-256 of what the acta says and of what draws it (the whole, and each section)."""
    secciones = (*((nombre, _sha(valor)) for nombre, valor in _partes(doc)), (DIBUJO, dibujo(registro)))
    return Contenido(_sha([sha for _, sha in secciones]), secciones)


def cambios(aprobado: Aprobado, actual: Contenido) -> list[str]:
    """The sections whose content is not the approved one (also those added or gone; an approval recorded before
    the drawing was part of it is compared by its text)."""
    antes, ahora = dict(aprobado.secciones), dict(actual.secciones)
    distintas = [n for n, sha in actual.secciones if antes.get(n) != sha and (n in antes or n != DIBUJO)]
    return distintas + [f"{n} (ya no está)" for n in antes if n not in ahora]


def congelar(
    registro: Registro, sesion_id: str, doc: Documento, aprobacion: str, ahora: dt.datetime
) -> Contenido | None:
    """Record the approved text of `sesion_id` if it is not yet recorded; gives it when it was written now."""
    if sesion_id in registro.aprobados:
        return None
    root = Path(registro.raiz)
    actual = contenido(doc, registro)
    entrada = {
        "sesion": sesion_id,
        "aprobacion": aprobacion,
        "registrada": ahora.isoformat(timespec="seconds"),
        "sha256": actual.sha256,
        "secciones": [{"seccion": n, "sha256": sha} for n, sha in actual.secciones],
    }
    with registros_yaml.candado(root, "aprobaciones"):
        # Not if another process recorded it since the records were read.
        if not registros_yaml.agregar(root, "aprobaciones", entrada, repetida="sesion"):
            return None
    return actual


def anclado(archivo: Path | None, sesion_id: str) -> Aprobado | None:
    """The approved text of an acta as the archive holds it, or None."""
    if archivo is None:
        return None
    path = Path(archivo) / ANCLAS / f"{sesion_id}.json"
    if not path.is_file():
        return None
    try:
        datos = json.loads(path.read_text("utf-8"))
        secciones = tuple((s["seccion"], s["sha256"]) for s in datos["secciones"])
        return Aprobado(sesion_id, datos["aprobacion"], datos["sha256"], secciones, Ubicacion(str(path)))
    except (ValueError, KeyError, TypeError) as exc:
        raise StlError(
            f"{path}: no es un texto aprobado legible ({exc}); el archivo no se corrige a mano"
        ) from exc


def _anclar(archivo: Path, aprobado: Aprobado, ahora: dt.datetime) -> None:
    """The approved text into the append-only archive, once: an anchor already there is never replaced."""
    if anclado(archivo, aprobado.sesion) is not None:
        return
    datos = {
        "sesion": aprobado.sesion,
        "aprobacion": aprobado.aprobacion,
        "anclada": ahora.isoformat(timespec="seconds"),
        "sha256": aprobado.sha256,
        "secciones": [{"seccion": n, "sha256": sha} for n, sha in aprobado.secciones],
    }
    texto = json.dumps(datos, ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(archivo), f"{ANCLAS}/{aprobado.sesion}.json", texto.encode("utf-8"))


def _aprobado(registro: Registro, sesion_id: str, archivo: Path | None) -> Aprobado | None:
    """The recorded approved text: the archive's copy where there is one (the records folder can't rewrite it)."""
    return anclado(archivo, sesion_id) or registro.aprobados.get(sesion_id)


@dataclass(frozen=True)
class Vigilancia:
    """An acta against its approved text: its approval (None if not approved), the sections that changed since,
    and whether the approved text was recorded just now."""

    aprobacion: str | None
    cambios: tuple[str, ...] = ()
    registrada: bool = False


def vigilar(
    registro: Registro, sesion_id: str, doc: Documento, ahora: dt.datetime | None, archivo: Path | None = None
) -> Vigilancia:
    """The one freeze of every path (single acta, batch, preview, signing, archiving): once the acta is approved,
    its text as worded and drawn the first time that is seen is recorded (when `ahora` is given; the preview
    records nothing), in the records and in the archive (`archivo`), and any later difference is named by
    section."""
    aprobacion = rules.aprobacion_del_acta(registro, sesion_id)
    if aprobacion is None:
        return Vigilancia(None)
    actual = contenido(doc, registro)
    aprobado = _aprobado(registro, sesion_id, archivo)
    if aprobado is None and ahora is not None:
        escrito = congelar(registro, sesion_id, doc, aprobacion, ahora)
        if escrito is not None:
            aprobado = Aprobado(sesion_id, aprobacion, escrito.sha256, escrito.secciones, Ubicacion(ARCHIVO))
            if archivo is not None:
                _anclar(archivo, aprobado, ahora)
            return Vigilancia(aprobacion, registrada=True)
        aprobado = registro.aprobados.get(sesion_id)
    if aprobado is None:
        return Vigilancia(aprobacion)
    distintas = tuple(cambios(aprobado, actual))
    if archivo is not None and ahora is not None and not distintas:
        _anclar(archivo, aprobado, ahora)  # recorded before the archive was known: anchored now, unchanged
    return Vigilancia(aprobacion, distintas)


def revisar(registro: Registro, sesion_id: str, doc: Documento, archivo: Path | None = None) -> None:
    """Refuse an acta whose content is not the approved text, naming what changed."""
    aprobado = _aprobado(registro, sesion_id, archivo)
    if aprobado is None:
        return
    distintas = cambios(aprobado, contenido(doc, registro))
    if distintas:
        raise StlError(
            f"{wording.documento(registro, 'el').lower()} de {sesion_id} ya no es el texto aprobado ({aprobado.aprobacion}; SHA-256 "
            f"{aprobado.sha256[:16]}…, registrado en {aprobado.lugar.archivo}"
            + (f", línea {aprobado.lugar.linea}" if aprobado.lugar.linea else "")
            + f"): cambió {', '.join(distintas)}. Los registros, las plantillas o el perfil cambiaron después de la "
            "aprobación. Devuelva el registro al texto aprobado y anote la corrección en «fe_de_erratas» "
            "(stl fe-de-erratas); no se preparó nada"
        )
