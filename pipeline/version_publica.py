"""Stage 5 for the public copies — verify a versión pública: recognise it and check it against what was published.

A versión pública (LGTAIP art. 111; made by `archive.version_publica`) carries no signatures: their certificates
hold each signer's RFC and CURP. What proves that a copy is the one published is its SHA-256: the archive's
manifest (`archivo/manifiesto.json`) or the published site's open data (`datos/documentos.json`, a folder or
its address) give the SHA-256 of each versión pública and of the signed original it comes from.

Takes a PDF's bytes and those references; gives an `Informe`: what the file is, what was checked, which signatures
its constancia reports (verified when the original was archived) and how to request the original, or why it is
not the published copy (altered, or unknown). A file that is neither a published document nor declares itself a
versión pública is not for this module (`reconocer` gives None): its signatures are verified as ever (`verify`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import archive
from .bitacora import nombre_de
from .documentos import DECLARACION
from .errors import StlError

__all__ = ["Declaracion", "Informe", "Publicado", "declaracion", "publicados", "reconocer"]


@dataclass(frozen=True)
class Declaracion:
    """What a versión pública says of itself in its metadata (`Constancia.declaracion`); believed only once its
    SHA-256 is the one published."""

    original: str  # the signed original's name in the archive
    sha256_original: str
    firmas: tuple[
        str, ...
    ]  # «Nombre — fecha — certificado núm. … (emisor) — válida», as its constancia reports
    solicitud: str  # how to request the original


@dataclass(frozen=True)
class Publicado:
    """One document as the archive or the site published it."""

    sesion: str
    clase: str
    titulo: str  # «el acta», «Orden del día»…: what it is, to say so
    sha256: str  # of the file published (the versión pública, when there is one)
    publica: bool
    sha256_original: str | None
    firmado: bool
    original: str | None = None  # the original's path in the archive, when the archive is at hand
    firmas: tuple[str, ...] = ()  # the manifest's summary (who, when, valid), when the archive is at hand


@dataclass(frozen=True)
class Informe:
    archivo: str
    sha256: str
    veredicto: str
    que_es: str
    comprobado: tuple[str, ...]
    firmas: tuple[str, ...]
    solicitud: str
    problemas: tuple[str, ...]
    fuente: str  # what it was checked against

    @property
    def todos(self) -> tuple[str, ...]:
        return self.problemas

    @property
    def ok(self) -> bool:
        return not self.problemas

    def como_dict(self) -> dict:
        return {**dataclasses.asdict(self), "valido": self.ok, "version_publica": True}


def declaracion(datos: bytes) -> Declaracion | None:
    """The declaration a versión pública carries in its subject (PDF /Subject and XMP dc:description), or None."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        asunto = (PdfReader(io.BytesIO(datos), strict=False).metadata or {}).get("/Subject")
    except (PdfReadError, ValueError, KeyError, TypeError):
        return None
    lineas = str(asunto or "").splitlines()
    if not lineas or lineas[0] != DECLARACION:
        return None
    campos: dict[str, list[str]] = {}
    for linea in lineas[1:]:
        clave, _, valor = linea.partition(": ")
        campos.setdefault(clave, []).append(valor)
    return Declaracion(
        original=campos.get("Original", [""])[0],
        sha256_original=campos.get("SHA-256 del original", [""])[0],
        firmas=tuple(campos.get("Firma", ())),
        solicitud=campos.get("Solicitud", [""])[0],
    )


def _del_archivo(archivo: Path) -> tuple[Publicado, ...]:
    manifiesto = archive.leer(archivo)
    return tuple(
        Publicado(
            e.sesion,
            e.clase,
            nombre_de(e.clase),
            e.version_publica_sha256 or e.sha256,
            bool(e.version_publica),
            e.sha256 if e.version_publica else None,
            e.firmado,
            e.nombre,
            tuple(
                f"{f.nombre} — {f.fecha or 'sin fecha'} — {'válida' if f.valida else 'NO válida'}"
                for f in e.firmas
            ),
        )
        for e in manifiesto.entradas
    )


def _del_sitio(sitio: str) -> tuple[Publicado, ...]:
    """The documents a published site lists in its open data: a folder, or the site's http(s) address."""
    if urllib.parse.urlparse(sitio).scheme in ("http", "https"):
        url = sitio.rstrip("/") + "/datos/documentos.json"
        try:
            with urllib.request.urlopen(url, timeout=30) as respuesta:
                filas = json.loads(respuesta.read().decode("utf-8"))
        except (OSError, ValueError) as exc:
            raise StlError(f"no se pudieron leer los documentos publicados en {url} ({exc})") from None
    else:
        path = Path(sitio) / "datos/documentos.json"
        if not path.is_file():
            raise StlError(f"{sitio} no es la carpeta de un sitio publicado por «stl publicar»: falta {path}")
        filas = json.loads(path.read_text("utf-8"))
    return tuple(
        Publicado(
            f["sesion"],
            f["documento"],
            f"«{f['titulo']}»",
            f["sha256"],
            bool(f["version_publica"]),
            f.get("sha256_original") or None,
            bool(f["firmado"]),
        )
        for f in filas
    )


def publicados(archivo: Path | None, sitio: str | None) -> tuple[tuple[Publicado, ...], str] | None:
    """What was published, and where that was read: the site if given, else the archive if it is at hand."""
    if sitio:
        return _del_sitio(sitio), f"los datos abiertos del sitio {sitio} (datos/documentos.json)"
    if archivo is not None and (Path(archivo) / archive.MANIFIESTO).is_file():
        return _del_archivo(
            Path(archivo)
        ), f"el manifiesto del archivo ({Path(archivo) / archive.MANIFIESTO})"
    return None


def reconocer(
    datos: bytes,
    nombre: str,
    referencia: tuple[tuple[Publicado, ...], str] | None,
    archivo: Path | None = None,
) -> Informe | None:
    """The file as a published document: a versión pública (or an unsigned document) whose SHA-256 is the one
    published, or a versión pública that is not (altered, or not published). None for anything else."""
    sha = hashlib.sha256(datos).hexdigest()
    propia = declaracion(datos)
    encontrado = next((p for p in referencia[0] if p.sha256 == sha), None) if referencia else None
    if encontrado is not None and (encontrado.publica or not encontrado.firmado):
        return _publicado(nombre, sha, encontrado, propia, referencia[1], archivo)
    if propia is None:
        return None  # a signed file (an original), or any other PDF: its signatures say what it is
    if referencia is None:
        return Informe(
            nombre,
            sha,
            "VERSIÓN PÚBLICA SIN COMPROBAR",
            _que_es(propia.original),
            (),
            propia.firmas,
            propia.solicitud,
            (
                "no se pudo comprobar que sea la versión pública publicada: no hay archivo a la mano; indique el sitio "
                f"del STL con --sitio (su dirección o su carpeta), o compare su SHA-256 ({sha}) con el que da la "
                "página de la sesión",
            ),
            "ninguna",
        )
    return _alterada(nombre, sha, propia, referencia)


def _que_es(documento: str) -> str:
    return (
        f"la versión pública (LGTAIP, art. 111) de {documento or 'un documento firmado electrónicamente'}: el mismo "
        "documento sin los certificados de las firmas electrónicas, que contienen datos personales de quienes "
        "firman; no lleva firmas, y su última página es la constancia de las firmas del original"
    )


def _publicado(
    nombre: str, sha: str, p: Publicado, propia: Declaracion | None, fuente: str, archivo: Path | None
) -> Informe:
    titulo = f"{p.titulo} de {p.sesion}"
    if not p.publica:  # an unsigned document, as published (the orden del día, an oficio convened unsigned…)
        que = f"{titulo}, tal como se publicó; no lleva firmas electrónicas"
        hecho = f"su SHA-256 ({sha}) es el del documento publicado, según {fuente}"
        return Informe(nombre, sha, "DOCUMENTO PUBLICADO (SIN FIRMAS)", que, (hecho,), (), "", (), fuente)
    comprobado = [f"su SHA-256 ({sha}) es el de la versión pública publicada, según {fuente}"]
    problemas = []
    if propia is not None and propia.sha256_original != p.sha256_original:
        problemas.append(
            f"su constancia dice venir del original con SHA-256 {propia.sha256_original}, pero lo publicado dice "
            f"{p.sha256_original}"
        )
    original = f" ({propia.original})" if propia is not None and propia.original else ""
    comprobado.append(f"viene del original firmado{original} con SHA-256 {p.sha256_original}")
    if archivo is not None and p.original and (Path(archivo) / p.original).is_file():
        en_archivo = hashlib.sha256((Path(archivo) / p.original).read_bytes()).hexdigest()
        if en_archivo == p.sha256_original:
            comprobado.append(f"ese original se conserva en el archivo ({p.original}) con ese SHA-256")
        else:
            problemas.append(f"el original del archivo ({p.original}) ya no tiene el SHA-256 que se registró")
    firmas = propia.firmas if propia is not None else p.firmas
    solicitud = (
        propia.solicitud if propia is not None else "El original firmado se conserva en el archivo del STL."
    )
    veredicto = "VERSIÓN PÚBLICA ÍNTEGRA (la publicada)" if not problemas else "VERSIÓN PÚBLICA CON PROBLEMAS"
    que = _que_es(titulo)
    return Informe(
        nombre, sha, veredicto, que, tuple(comprobado), firmas, solicitud, tuple(problemas), fuente
    )


def _alterada(
    nombre: str, sha: str, propia: Declaracion, referencia: tuple[tuple[Publicado, ...], str]
) -> Informe:
    """A file that says it is a versión pública, whose SHA-256 is not the one published."""
    publicados_, fuente = referencia
    de = next((p for p in publicados_ if p.publica and p.sha256_original == propia.sha256_original), None)
    if de is not None:
        problema = (
            f"no es la versión pública publicada de {propia.original}: su SHA-256 es {sha} y el de la publicada es "
            f"{de.sha256} (según {fuente}); el archivo fue modificado o no es esa copia"
        )
    else:
        problema = (
            f"su SHA-256 ({sha}) no es el de ninguna versión pública publicada, ni su constancia cita un original "
            f"publicado (SHA-256 {propia.sha256_original}), según {fuente}"
        )
    return Informe(
        nombre,
        sha,
        "NO ES LA VERSIÓN PÚBLICA PUBLICADA",
        _que_es(propia.original),
        (),
        propia.firmas,
        propia.solicitud,
        (problema,),
        fuente,
    )
