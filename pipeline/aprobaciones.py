"""The approval freeze: the text of an acta as it was approved, bound to its approval (records/aprobaciones.yaml).

Between rules and sign. Takes the worded acta (`documentos.Documento`) and the records; gives its content's
SHA-256, section by section, and writes it once, when stl first sees the approval (`stl acta`,
`stl preparar-firma`). From then on, an acta whose content differs is not prepared for signature: the records
were edited after the approval, and what changed is named by section. A correction after the approval is a fe
de erratas (`render.fe_de_erratas`), a document of its own; the approved acta never changes.

The content is the worded text (every sentence, the signatories), not the PDF's bytes: a new version of the
fonts or of WeasyPrint changes the bytes, never what was approved.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import wording
from .documentos import Documento
from .errors import StlError
from .files import bloqueo, write_atomic
from .models import Aprobado, Registro

__all__ = ["Contenido", "cambios", "congelar", "contenido"]

ARCHIVO = "aprobaciones.yaml"
_CABECERA = (
    "# yaml-language-server: $schema=../pipeline/schemas/aprobaciones.schema.json\n"
    "# Texto aprobado de cada acta: el SHA-256 de su contenido cuando stl vio su aprobación. Lo escribe stl; no se\n"
    "# edita. Un acta cuyo contenido difiera no se prepara para firma: las correcciones van en «fe_de_erratas».\n"
    "aprobaciones:\n"
)


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


def contenido(doc: Documento) -> Contenido:
    """The SHA-256 of what the acta says (the whole and each section)."""
    partes = _partes(doc)
    secciones = tuple((nombre, _sha(valor)) for nombre, valor in partes)
    return Contenido(_sha([sha for _, sha in secciones]), secciones)


def cambios(aprobado: Aprobado, actual: Contenido) -> list[str]:
    """The sections whose content is not the approved one (also those added or gone)."""
    antes, ahora = dict(aprobado.secciones), dict(actual.secciones)
    distintas = [n for n, sha in actual.secciones if antes.get(n) != sha]
    return distintas + [f"{n} (ya no está)" for n in antes if n not in ahora]


def _texto(valor: str) -> str:
    return json.dumps(valor, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def congelar(
    registro: Registro, sesion_id: str, doc: Documento, aprobacion: str, ahora: dt.datetime
) -> Contenido | None:
    """Record the approved text of `sesion_id` if it is not yet recorded; gives it when it was written now."""
    if sesion_id in registro.aprobados:
        return None
    root = Path(registro.raiz)
    actual = contenido(doc)
    with bloqueo(root / ".aprobaciones.lock"):
        path = root / ARCHIVO
        texto = path.read_text("utf-8") if path.is_file() else _CABECERA
        if f"  - sesion: {sesion_id}\n" in texto:  # written by another process since the records were read
            return None
        texto = texto if texto.endswith("\n") else texto + "\n"
        texto += (
            f"  - sesion: {sesion_id}\n"
            f"    aprobacion: {_texto(aprobacion)}\n"
            f'    registrada: "{ahora.isoformat(timespec="seconds")}"\n'
            f"    sha256: {actual.sha256}\n"
            "    secciones:\n"
            + "".join(f"      - {{seccion: {_texto(n)}, sha256: {sha}}}\n" for n, sha in actual.secciones)
        )
        write_atomic(root, ARCHIVO, texto.encode("utf-8"))
    return actual


def revisar(registro: Registro, sesion_id: str, doc: Documento) -> None:
    """Refuse an acta whose content is not the approved text, naming what changed."""
    aprobado = registro.aprobados.get(sesion_id)
    if aprobado is None:
        return
    distintas = cambios(aprobado, contenido(doc))
    if distintas:
        raise StlError(
            f"{wording.documento(registro, 'el').lower()} de {sesion_id} ya no es el texto aprobado "
            f"({aprobado.aprobacion}; SHA-256 "
            f"{aprobado.sha256[:16]}…, registrado en {aprobado.lugar.archivo}, línea {aprobado.lugar.linea}): "
            f"cambió {', '.join(distintas)}. Los registros se editaron después de la aprobación. Devuelva el "
            "registro al texto aprobado y anote la corrección en «fe_de_erratas» (stl fe-de-erratas); no se preparó "
            "nada"
        )
