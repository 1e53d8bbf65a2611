"""Stage 6a — archive: the documents of a session, kept append-only with a manifest.

Takes the records, a session (or working meeting), the signature workspaces and the archive folder; gives
new entries of `archivo/manifiesto.json`: name, SHA-256, size, when archived, and a signatures summary (who,
when, valid). The acta goes in only if its signatures verify, or explicitly marked «sin firma»; so does a
minuta. Archiving other bytes under an archived name is refused: a correction is a new version with a note,
and the old one stays. Nothing archived is ever overwritten or deleted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import certificados, render, rules, verify
from .bitacora import BITACORA, leer_bitacora
from .errors import StlError
from .files import bloqueo, sin_restos, write_atomic
from .models import Registro

__all__ = ["Entrada", "Manifiesto", "archivar", "leer"]

MANIFIESTO = "manifiesto.json"
CON_FIRMA = ("acta", "minuta")  # documents that must be signed by those who attended (000 Cap. VI.7)


@dataclass(frozen=True)
class FirmaResumen:
    nombre: str
    fecha: str | None
    valida: bool


@dataclass(frozen=True)
class Entrada:
    nombre: str  # path inside the archive: IV-2020/acta-IV-2020.pdf, IV-2020/acta-IV-2020.v2.pdf
    sesion: str
    clase: str  # acta, convocatoria, orden, minuta
    version: int
    sha256: str
    bytes: int
    archivado: str  # ISO 8601
    firmado: bool
    firmas: tuple[FirmaResumen, ...] = ()
    nota: str | None = None
    reemplaza: str | None = None
    # What the document's signatures break of PDF/A (a stamp by another program with a font not embedded, say):
    # the signed file is archived as it is, and the manifest says it.
    avisos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Manifiesto:
    entradas: tuple[Entrada, ...] = ()

    def vigentes(self) -> tuple[Entrada, ...]:
        """The latest version of each (session, class): what the site shows."""
        ultimas: dict[tuple[str, str], Entrada] = {}
        for e in self.entradas:
            ultimas[(e.sesion, e.clase)] = e
        return tuple(ultimas.values())

    def ultima(self, sesion: str, clase: str) -> Entrada | None:
        return next((e for e in reversed(self.entradas) if e.sesion == sesion and e.clase == clase), None)

    def json(self) -> bytes:
        return json.dumps(
            {"documentos": [dataclasses.asdict(e) for e in self.entradas]}, ensure_ascii=False, indent=2
        ).encode()


def leer(archivo: Path) -> Manifiesto:
    path = archivo / MANIFIESTO
    if not path.is_file():
        return Manifiesto()
    raw = json.loads(path.read_text("utf-8"))["documentos"]
    return Manifiesto(
        tuple(
            Entrada(
                **{
                    **e,
                    "firmas": tuple(FirmaResumen(**f) for f in e["firmas"]),
                    "avisos": tuple(e.get("avisos", ())),
                }
            )
            for e in raw
        )
    )


@dataclass(frozen=True)
class _Documento:
    clase: str
    datos: bytes
    firmado: bool
    firmas: tuple[FirmaResumen, ...]
    avisos: tuple[str, ...] = ()


def _acta(registro: Registro, sesion_id: str, firmas: Path, sin_firma: bool) -> _Documento | None:
    sesion = registro.sesion(sesion_id)
    if sesion.parcial or sesion.asistencia is None:
        return None  # no acta yet (convened only) or none to generate (known only in part)
    problema = None
    workspace = firmas / sesion_id
    if (workspace / BITACORA).is_file():
        bitacora = leer_bitacora(workspace)
        datos = (workspace / bitacora.actual.archivo).read_bytes()
        esperados = {e.campo: e.nombre for e in bitacora.esperados}
        informe = verify.verificar_version(
            workspace, bitacora, certificados.raices_de_confianza(registro), registro
        )
        if informe.ok and hashlib.sha256(datos).hexdigest() == bitacora.actual.sha256:
            resumen = tuple(
                FirmaResumen(esperados.get(f.campo, f.titular), f.fecha, not f.problemas)
                for f in informe.firmas
                if not f.certificacion
            )
            return _Documento("acta", datos, True, resumen, informe.avisos)
        problema = "sus firmas no verifican: " + "; ".join(informe.todos)
    else:
        problema = "no está firmada (no se ha preparado para firma)"
    if not sin_firma:
        raise StlError(
            f"el acta de {sesion_id} {problema}. No se archivó nada; para publicarla marcada «sin firma», use "
            f"«stl archivar {sesion_id} --sin-firma»"
        )
    datos, _ = render.pdf(render.acta(registro, rules.dictaminar(registro, sesion_id)))
    return _Documento("acta", datos, False, ())


def _documentos(registro: Registro, objetivo: str, firmas: Path, sin_firma: bool) -> list[_Documento]:
    if objetivo.startswith("RT-"):
        if objetivo not in {r.id for r in registro.reuniones}:
            raise StlError(f"no hay registro de la reunión «{objetivo}»")
        if not sin_firma:
            raise StlError(
                f"la minuta de {objetivo} no lleva firmas electrónicas; para publicarla marcada «sin firma», use "
                f"«stl archivar {objetivo} --sin-firma»"
            )
        datos, _ = render.pdf(render.minuta(registro, registro.reunion(objetivo)))
        return [_Documento("minuta", datos, False, ())]
    if objetivo not in {s.id for s in registro.sesiones}:
        raise StlError(f"no hay registro de la sesión «{objetivo}»")
    sesion = registro.sesion(objetivo)
    documentos = []
    if sesion.convocatoria and sesion.convocatoria.folio:
        datos, _ = render.pdf(render.convocatoria(registro, sesion, sesion.convocatoria.folio))
        documentos.append(_Documento("convocatoria", datos, False, ()))
    if sesion.orden_del_dia:
        datos, _ = render.pdf(render.orden(registro, sesion))
        documentos.append(_Documento("orden", datos, False, ()))
    acta = _acta(registro, objetivo, firmas, sin_firma)
    if acta is not None:
        documentos.append(acta)
    if not documentos:
        raise StlError(f"la sesión {objetivo} no tiene documentos que archivar")
    return documentos


def _resto_identico(path: Path, sha: str) -> bool:
    """A run killed after writing a document and before the manifest leaves that document behind, unlisted: the
    same bytes found again are adopted (the entry is written now), other bytes are never replaced."""
    return hashlib.sha256(path.read_bytes()).hexdigest() == sha


def archivar(
    registro: Registro,
    objetivo: str,
    firmas: Path,
    archivo: Path,
    ahora: dt.datetime,
    sin_firma: bool = False,
    correccion: str | None = None,
) -> list[Entrada]:
    """Archive the documents of `objetivo`; gives the new entries (none when everything is already archived)."""
    documentos = _documentos(registro, objetivo, firmas, sin_firma)
    with bloqueo(archivo / ".manifiesto.lock"):
        manifiesto = leer(archivo)
        nuevas: list[tuple[Entrada, bytes]] = []
        for d in documentos:
            sha = hashlib.sha256(d.datos).hexdigest()
            previa = manifiesto.ultima(objetivo, d.clase)
            if previa is not None and previa.sha256 == sha:
                continue
            if previa is not None and correccion is None:
                raise StlError(
                    f"{previa.nombre} ya está archivado con otro contenido (SHA-256 {previa.sha256[:16]}…, ahora "
                    f"{sha[:16]}…): lo archivado no se reemplaza; si es una corrección, use --correccion «motivo» "
                    "y quedará como una versión nueva junto a la anterior. No se archivó nada"
                )
            version = 1 if previa is None else previa.version + 1
            sufijo = "" if version == 1 else f".v{version}"
            nombre = f"{objetivo}/{d.clase}-{objetivo}{sufijo}.pdf"
            if (archivo / nombre).exists() and not _resto_identico(archivo / nombre, sha):
                raise StlError(
                    f"{archivo / nombre} ya existe fuera del manifiesto, con otro contenido que el que se archivaría "
                    f"(SHA-256 {sha[:16]}…): no se reemplaza; revise el archivo (¿lo dejó ahí otra cosa que "
                    "«stl archivar»?). No se archivó nada"
                )
            entrada = Entrada(
                nombre,
                objetivo,
                d.clase,
                version,
                sha,
                len(d.datos),
                ahora.isoformat(timespec="seconds"),
                d.firmado,
                d.firmas,
                correccion if previa is not None else None,
                previa.nombre if previa else None,
                d.avisos,
            )
            nuevas.append((entrada, d.datos))
        for entrada, datos in nuevas:  # every check passed: now write, each file new, then the manifest
            destino = archivo / entrada.nombre
            if destino.exists():  # the same bytes, left by a killed run: adopted as they are
                sin_restos(destino.parent)
            else:
                write_atomic(archivo, entrada.nombre, datos)
        if nuevas:
            total = Manifiesto((*manifiesto.entradas, *(e for e, _ in nuevas)))
            write_atomic(archivo, MANIFIESTO, total.json())
    return [e for e, _ in nuevas]
