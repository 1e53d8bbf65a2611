"""Stage 6b — publish: the public website of the STL, static, with the seven sections the seeds require.

Takes the records and the archive; gives a static site in one folder: Secretariado, Avance de compromisos y
agenda, Contacto, Datos abiertos, Ligas de interés, Dudas, quejas y sugerencias, and Cómo sumarse (000 Cap.
VII-B; 001 Art. 7.9; 002 V.10), a page per session, the archived documents with their verification line,
open data, an Atom feed, an iCalendar feed and a Pagefind search index. Templates receive plain dictionaries
built here from public fields only: nothing under a member's `privado` ever reaches them.

Incremental: each page has a key (the hash of what it shows and of the templates); a page whose key did
not change is not rendered again.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

import jinja2

from . import archive, documentos, opendata, render, rules, spanish, wording
from .errors import StlError
from .files import bloqueo, sincronizar, write_atomic
from .models import Calidad, Registro, Sesion, Sitio

__all__ = ["Resultado", "publicado", "publicar", "visibles"]

SITE_TEMPLATES = render.TEMPLATES / "site"
ESTADO_ANTERIOR = ".estado.json"  # where a site published in place (before versions) kept its build state
SECCIONES = (
    ("secretariado", "Secretariado Técnico Local"),
    ("compromisos", "Avance de compromisos y agenda"),
    ("contacto", "Datos de contacto"),
    ("datos-abiertos", "Datos abiertos"),
    ("ligas", "Ligas de interés"),
    ("dudas", "Dudas, quejas y sugerencias"),
    ("sumarse", "Cómo sumarse"),
)
ESTADOS = {
    "pendiente": "Pendiente",
    "en_proceso": "En proceso",
    "cumplido": "Cumplido",
    "cancelado": "Cancelado",
}


@dataclass(frozen=True)
class Resultado:
    paginas: tuple[str, ...]  # rendered this time
    omitidas: int  # unchanged, not rendered again
    documentos: int
    # The parts of the search index indexed again: "" the general one, or a year.
    indexadas: tuple[str, ...] = ()


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(SITE_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fecha"] = lambda iso: spanish.date_short(dt.date.fromisoformat(iso[:10]))
    return env


def _templates_hash() -> str:
    digest = hashlib.sha256(version("actas-stl-gobierno-abierto").encode())
    for path in sorted(SITE_TEMPLATES.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# --- public views of the records: plain dictionaries -----------------------------------------------------------


def _integrantes(registro: Registro) -> list[dict]:
    return [
        {"nombre": p.nombre, "cargo": p.denominacion, "sector": p.sector.nombre, "calidad": p.calidad.value}
        for p in registro.stl.integrantes
        if p.calidad is not Calidad.INVITADO
    ]


def _titulo(clase: str, propio: str = "acta", proyecto: bool = False) -> str:
    """How the site names a document; a fe de erratas corrects the session's own record (`propio`: what the
    profile calls it, «acta» or «minuta»); a draft is named as one."""
    nombres = {
        "acta": "Acta",
        "convocatoria": "Convocatoria (oficio)",
        "orden": "Orden del día",
        "minuta": "Minuta",
    }
    if proyecto:  # archived «sin firma» before its approval: a draft, never shown as the acta
        return documentos.proyecto(clase).capitalize()
    if clase.startswith("fe-de-erratas-"):
        del_propio = "de la minuta" if propio == "minuta" else "del acta"
        return f"Fe de erratas núm. {clase.removeprefix('fe-de-erratas-')} {del_propio}"
    return nombres.get(clase, clase)


def visibles(entradas: tuple[archive.Entrada, ...], sitio: Sitio) -> tuple[archive.Entrada, ...]:
    """The archived documents the site publishes: all of them but the drafts, with «proyectos: ocultos»."""
    return tuple(e for e in entradas if not (e.proyecto and sitio.proyectos == "ocultos"))


def publicado(e: archive.Entrada, politica: str) -> tuple[str, str, int]:
    """What the site publishes of an archived document: name, SHA-256 and size. Of a signed one, its versión
    pública unless stl.yaml says «documentos_firmados: publicar» (the signed PDF carries each signer's
    certificate, and an e.firma's carries RFC and CURP)."""
    if politica == "version_publica" and e.version_publica:
        return e.version_publica, e.version_publica_sha256, e.version_publica_bytes
    return e.nombre, e.sha256, e.bytes


def _documento(e: archive.Entrada, politica: str, propio: str = "acta") -> dict:
    nombre, sha, tamano = publicado(e, politica)
    return {
        "titulo": _titulo(e.clase, propio, e.proyecto),
        "codigo": e.codigo,
        "ruta": f"documentos/{nombre}",
        "sha256": sha,
        "bytes": tamano,
        "publica": nombre != e.nombre,
        "sha256_original": e.sha256,
        "archivado": e.archivado,
        "firmado": e.firmado,
        "firmable": e.firmable,  # the orden del día is not: no «Sin firma» on it
        "firmas": [{"nombre": f.nombre, "fecha": f.fecha, "valida": f.valida} for f in e.firmas],
        "version": e.version,
        "nota": e.nota,
    }


def _documentos(
    manifiesto: archive.Manifiesto, sesion_id: str, sitio: Sitio, propio: str = "acta"
) -> list[dict]:
    return [
        _documento(e, sitio.documentos_firmados, propio)
        for e in visibles(manifiesto.vigentes(), sitio)
        if e.sesion == sesion_id
    ]


def _acuerdos(registro: Registro, sesion: Sesion, d: rules.Dictamen) -> list[dict]:
    filas = []
    for r in d.resultados:
        a = r.acuerdo
        seg = registro.seguimiento.get(a.folio)
        filas.append(
            {
                "folio": a.folio,
                "sesion": sesion.id,
                "texto": wording.enunciado_acuerdo(
                    wording.resultado(registro, r), wording.acuerdo_objeto(a, sesion, registro)
                ),
                "resultado": r.forma,
                "responsable": registro.stl.integrante(seg.responsable).nombre
                if seg and seg.responsable
                else None,
                "fecha_limite": seg.fecha_limite.isoformat() if seg and seg.fecha_limite else None,
                "estado": ESTADOS[rules.estado_acuerdo(registro, a)],
                "actualizaciones": [
                    {"fecha": f.isoformat(), "estado": ESTADOS[e], "nota": n}
                    for f, e, n, _ in (seg.actualizaciones if seg else ())
                ],
            }
        )
    return filas


def _texto_acta(
    registro: Registro, sesion: Sesion, d: rules.Dictamen, manifiesto: archive.Manifiesto
) -> dict:
    """The acta's text on its session's page: as «Texto del acta» once it is approved or signed; before, only as
    «Proyecto de acta — pendiente de aprobación», or not at all (sitio.proyectos: ocultos)."""
    clase = registro.perfil.documento  # «acta», or «minuta» in Zacatecas
    texto = {
        "titulo": f"Texto de{'l' if clase == 'acta' else ' la'} {clase}",
        "parrafos": [],
        "proyecto": False,
    }
    if sesion.parcial or sesion.asistencia is None or d.errores or not sesion.hora_cierre:
        return texto
    firmada = (e := manifiesto.ultima(sesion.id, clase)) is not None and e.firmado
    if not firmada and rules.aprobacion_del_acta(registro, sesion.id) is None:
        texto.update(titulo=documentos.proyecto(clase).capitalize(), proyecto=True)
        if registro.stl.sitio.proyectos == "ocultos":
            return texto
    doc = render.acta(registro, d)
    parrafos = [doc.apertura, *doc.orden_convocado]
    for seccion in doc.secciones:
        for b in seccion.bloques:
            if b.tipo != "rayas":  # the line that closes the printed text off is no text of the page
                parrafos += list(b.items) if b.tipo == "lista" else [f"{b.folio} {b.texto}".strip()]
    texto["parrafos"] = parrafos
    return texto


def _sesion(registro: Registro, sesion: Sesion, manifiesto: archive.Manifiesto) -> dict:
    d = rules.dictaminar(registro, sesion.id)
    evidencias = [
        {"tipo": t, "titulo": ti, "url": u} for s, t, ti, u in registro.stl.sitio.evidencias if s == sesion.id
    ]
    return {
        "id": sesion.id,
        "nombre": wording.nombre_sesion(sesion),
        "fecha": sesion.fecha.isoformat(),
        "fecha_texto": spanish.date_words(sesion.fecha),
        "hora": f"{sesion.hora_inicio:%H:%M}" if sesion.hora_inicio else None,
        "modalidad": sesion.modalidad,
        "sede": sesion.sede and wording.sede(sesion.sede),
        "parcial": sesion.parcial,
        "fuente": sesion.fuente,
        "resumen": sesion.resumen,
        "celebrada": sesion.asistencia is not None or sesion.parcial,
        "asistentes": [
            {"nombre": c.integrante.nombre, "cargo": c.integrante.cargo_corto, "voto": c.voto}
            for c in d.capacidades
        ],
        "quorum": d.quorum.razon if d.quorum else None,
        "orden": [wording.titulo_punto(p, sesion, registro) for p in sesion.orden_aprobado],
        "acuerdos": _acuerdos(registro, sesion, d),
        "documentos": _documentos(manifiesto, sesion.id, registro.stl.sitio, registro.perfil.documento),
        "evidencias": evidencias,
        "acta": _texto_acta(registro, sesion, d, manifiesto),
    }


def _vista(registro: Registro, manifiesto: archive.Manifiesto) -> dict:
    stl, sitio = registro.stl, registro.stl.sitio
    sesiones = [
        _sesion(registro, s, manifiesto)
        for s in sorted(registro.sesiones, key=lambda s: s.fecha, reverse=True)
    ]
    reuniones = [
        {
            "id": r.id,
            "asunto": r.asunto,
            "fecha": r.fecha.isoformat(),
            "documentos": _documentos(manifiesto, r.id, registro.stl.sitio),
        }
        for r in registro.reuniones
    ]
    return {
        "stl": {
            "nombre": stl.nombre,
            "estado": stl.estado,
            "organo_garante": stl.organo_garante,
            "perfil": registro.perfil.nombre,
            "documento": registro.perfil.documento,  # what each session leaves: «acta» or «minuta»
        },
        "secciones": SECCIONES,
        "integrantes": _integrantes(registro),
        "sesiones": sesiones,
        "reuniones": reuniones,
        "acuerdos": [a for s in sesiones for a in s["acuerdos"]],
        "comunicados": [
            {"fecha": f.isoformat(), "titulo": t, "url": u, "texto": x} for f, t, u, x in sitio.comunicados
        ],
        "contacto": list(sitio.contacto),
        "dudas": list(sitio.dudas),
        "sumarse": list(sitio.sumarse),
        "ligas": [{"titulo": t, "url": u} for t, u in sitio.ligas],
        "url": sitio.url,
        "licencia": dict(zip(("nombre", "titulo", "url"), sitio.licencia, strict=True)),
    }


# --- building -------------------------------------------------------------------------------------------------


def _paginas(vista: dict) -> dict[str, tuple[str, dict]]:
    """Output path → (template, context); each context holds exactly what that page shows."""
    comunes = {"stl": vista["stl"], "secciones": vista["secciones"]}
    resumen = [
        {k: s[k] for k in ("id", "nombre", "fecha", "celebrada", "parcial")} for s in vista["sesiones"]
    ]
    paginas = {
        "index.html": ("inicio.html", {**comunes, "sesiones": resumen[:5], "indices": _anios(vista)}),
        "secretariado/index.html": (
            "secretariado.html",
            {
                **comunes,
                "integrantes": vista["integrantes"],
                "sesiones": vista["sesiones"],
                "reuniones": vista["reuniones"],
                "comunicados": vista["comunicados"],
            },
        ),
        "compromisos/index.html": (
            "compromisos.html",
            {**comunes, "acuerdos": vista["acuerdos"], "sesiones": resumen},
        ),
        "contacto/index.html": (
            "lista.html",
            {**comunes, "titulo": "Datos de contacto", "lineas": vista["contacto"]},
        ),
        "dudas/index.html": (
            "lista.html",
            {**comunes, "titulo": "Dudas, quejas y sugerencias", "lineas": vista["dudas"]},
        ),
        "sumarse/index.html": (
            "lista.html",
            {**comunes, "titulo": "Cómo sumarse", "lineas": vista["sumarse"]},
        ),
        "ligas/index.html": ("ligas.html", {**comunes, "ligas": vista["ligas"]}),
        "datos-abiertos/index.html": (
            "datos.html",
            {**comunes, "tablas": vista["tablas"], "licencia": vista["licencia"]},
        ),
    }
    for s in vista["sesiones"]:
        paginas[render.pagina_publica(s["id"])] = ("sesion.html", {**comunes, "sesion": s})
    for r in vista["reuniones"]:
        paginas[render.pagina_publica(r["id"])] = ("reunion.html", {**comunes, "reunion": r})
    return paginas


def _profundidad(ruta: str) -> str:
    return "../" * ruta.count("/")


def _atom(vista: dict, manifiesto: archive.Manifiesto, base: str, sitio: Sitio) -> bytes:
    """Newly published documents, newest first (RFC 4287), with the stdlib's XML writer."""
    from xml.etree import ElementTree as ET

    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed", {"xml:lang": "es-MX"})
    politica = sitio.documentos_firmados
    entradas = sorted(visibles(manifiesto.vigentes(), sitio), key=lambda e: e.archivado, reverse=True)
    ET.SubElement(feed, f"{{{ns}}}title").text = f"Documentos publicados — {vista['stl']['nombre']}"
    ET.SubElement(feed, f"{{{ns}}}id").text = f"{base}/feed.xml"
    ET.SubElement(feed, f"{{{ns}}}updated").text = (
        entradas[0].archivado if entradas else "2019-10-15T00:00:00+00:00"
    )
    ET.SubElement(feed, f"{{{ns}}}link", {"rel": "self", "href": f"{base}/feed.xml"})
    ET.SubElement(ET.SubElement(feed, f"{{{ns}}}author"), f"{{{ns}}}name").text = vista["stl"]["nombre"]
    for e in entradas:
        nombre, sha, tamano = publicado(e, politica)
        entry = ET.SubElement(feed, f"{{{ns}}}entry")
        estado = "firmado electrónicamente" if e.firmado else "sin firma" if e.firmable else "no se firma"
        estado += ", versión pública" if nombre != e.nombre else ""
        estado += ", proyecto pendiente de aprobación" if e.proyecto else ""
        ET.SubElement(entry, f"{{{ns}}}title").text = f"{nombre.split('/')[-1]} ({estado})"
        ET.SubElement(entry, f"{{{ns}}}id").text = f"{base}/documentos/{nombre}#{sha}"
        ET.SubElement(entry, f"{{{ns}}}updated").text = e.archivado
        ET.SubElement(
            entry, f"{{{ns}}}link", {"href": f"{base}/documentos/{nombre}", "type": "application/pdf"}
        )
        original = f"; SHA-256 del original firmado {e.sha256}" if nombre != e.nombre else ""
        ET.SubElement(entry, f"{{{ns}}}summary").text = f"SHA-256 {sha}; {tamano} bytes{original}"
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _ics(registro: Registro) -> bytes:
    """Past and next sessions as an iCalendar feed (in the STL's time zone, America/Mexico_City unless stl.yaml
    names another)."""
    from zoneinfo import ZoneInfo

    import icalendar

    zona = ZoneInfo(registro.stl.zona_horaria)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//actas-stl//Calendario del STL//ES")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Sesiones — {registro.stl.nombre}")
    for s in registro.sesiones:
        evento = icalendar.Event()
        evento.add("uid", f"{s.id}@sesiones-stl")
        evento.add("summary", f"{wording.nombre_sesion(s)} del Secretariado Técnico Local")
        if s.hora_inicio:
            inicio = dt.datetime.combine(s.fecha, s.hora_inicio, tzinfo=zona)
            fin = (
                dt.datetime.combine(s.fecha, s.hora_cierre, tzinfo=zona)
                if s.hora_cierre
                else inicio + dt.timedelta(hours=2)
            )
            evento.add("dtstart", inicio)
            evento.add("dtend", fin)
        else:
            evento.add("dtstart", s.fecha)
        if s.sede:
            evento.add("location", wording.sede(s.sede))
        evento.add("dtstamp", dt.datetime.combine(s.fecha, dt.time(0), tzinfo=dt.UTC))
        cal.add_component(evento)
    return cal.to_ical()


def versiones(destino: Path) -> Path:
    """Where the versions of the site at `destino` are built, beside it: `destino` is a symbolic link to one."""
    return destino.parent / f".{destino.name}.versiones"


def _actual(destino: Path) -> tuple[Path | None, dict]:
    """The version `destino` shows now and the state it was built with ({page: key}); (None, {}) for none."""
    carpeta = versiones(destino)
    if destino.is_symlink():
        actual = (destino.parent / os.readlink(destino)).resolve()
        if actual.parent != carpeta.resolve():
            raise StlError(
                f"{destino} es un enlace a {actual}, que no es una versión del sitio: «stl publicar» publica "
                f"cada versión en {carpeta}/ y cambia ese enlace de una vez; indique con --sitio otra carpeta, "
                "o borre el enlace"
            )
        estado = carpeta / f"{actual.name}.json"
        return actual, json.loads(estado.read_text("utf-8")) if estado.is_file() else {}
    if destino.is_dir():  # a site published by an earlier version of stl, in place: reused, then replaced
        estado = destino / ESTADO_ANTERIOR
        if not estado.is_file() and any(destino.iterdir()):
            raise StlError(
                f"{destino} es una carpeta con archivos que no es un sitio publicado por «stl publicar»: no se "
                "reemplaza; indique con --sitio otra carpeta (una nueva, o la de un sitio ya publicado)"
            )
        return destino, json.loads(estado.read_text("utf-8")) if estado.is_file() else {}
    if destino.exists():
        raise StlError(f"{destino} existe y no es una carpeta: indique con --sitio la carpeta del sitio")
    return None, {}


def _sin_versiones_muertas(carpeta: Path, actual: Path | None) -> None:
    """Versions a killed run left half-built (never shown: the link still named the previous one), and any
    version no longer shown, with their states and links-to-be."""
    vigente = {actual.name, f"{actual.name}.json"} if actual is not None else set()
    for entrada in carpeta.iterdir():
        if entrada.name in vigente or entrada.name == ".bloqueo":
            continue
        if entrada.is_dir() and not entrada.is_symlink():
            shutil.rmtree(entrada)
        else:
            entrada.unlink()


def _enlazar(origen: Path, destino: Path) -> None:
    """`destino` gets the same file as `origen`: a hard link (instant, no space), or a copy where there are none.
    The old version's file is never written again: a changed page is a new file renamed over the link."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(origen, destino)
    except OSError:
        shutil.copy2(origen, destino)


def _cambiar(destino: Path, nueva: Path) -> None:
    """Show `nueva` at `destino` at once: a new symbolic link renamed over the old one (rename(2) is atomic), so
    a reader finds the whole old site or the whole new one."""
    enlace = nueva.parent / f".enlace-{nueva.name}"
    enlace.unlink(missing_ok=True)
    enlace.symlink_to(os.path.relpath(nueva, destino.parent.resolve()))  # the whole folder may move
    if destino.is_dir() and not destino.is_symlink():
        # A site an earlier version of stl published in place: set aside once (a directory cannot be renamed
        # over), the one moment the site is missing; removed with the versions no longer shown.
        os.rename(destino, nueva.parent / f"anterior-{nueva.name}")
    os.replace(enlace, destino)


def publicar(
    registro: Registro,
    archivo: Path,
    destino: Path,
    buscar: bool = True,
    avance: Callable[[int, int], None] | None = None,
) -> Resultado:
    """Build (or update) the site shown at `destino`; gives what was rendered and what was skipped as unchanged.
    `avance` is told (steps done, steps in all) page by page, document by document, then the search index.

    Each run builds a whole new version beside the site (`versiones(destino)`): the pages and documents that
    did not change are hard links to the current version's files, the rest is written anew; when it is complete,
    `destino`, a symbolic link, is switched to it at once. A reader, or a run killed at any moment, sees the old
    site or the new one, never a mix, and no temporary file is ever in the published folder. The build state (a
    key per page) lives beside the versions, not in the site."""
    # «.» and «..» resolved, links kept: the link itself is what is replaced.
    destino = Path(os.path.abspath(destino))
    carpeta = versiones(destino)
    _actual(destino)  # what is not a site is refused before anything is written (again below, under the lock)
    carpeta.mkdir(parents=True, exist_ok=True)
    with bloqueo(carpeta / ".bloqueo"):
        actual, previo = _actual(destino)
        _sin_versiones_muertas(
            carpeta, actual if actual is not None and actual.parent == carpeta.resolve() else None
        )
        nueva = carpeta.resolve() / f"v{time.time_ns()}"
        nueva.mkdir()
        try:
            resultado, estado = _construir(registro, archivo, actual, previo, nueva, buscar, avance)
            write_atomic(carpeta, f"{nueva.name}.json", json.dumps(estado, indent=1).encode())
        except BaseException:  # a full disk, an error: the unfinished version goes (a kill: the next run)
            shutil.rmtree(nueva, ignore_errors=True)
            raise
        _cambiar(destino, nueva)
        _sin_versiones_muertas(carpeta, nueva)  # the previous version, now shown nowhere
    return resultado


class _Obra:
    """One version of the site being built: the files written (flushed to disk all together at the end, before
    the version is shown) and the progress reported to `avance`."""

    def __init__(self, nueva: Path, pasos: int, avance: Callable[[int, int], None] | None) -> None:
        self.nueva, self.pasos, self.avance = nueva, pasos, avance
        self.hecho = 0
        self.escritos: list[Path] = []

    def escribir(self, carpeta: Path, rel: str, datos: bytes) -> None:
        self.escritos.append(write_atomic(carpeta, rel, datos, sincronizar=False))

    def paso(self) -> None:
        self.hecho += 1
        if self.avance:
            self.avance(self.hecho, self.pasos)


def _filas_documentos(
    manifiesto: archive.Manifiesto, sitio: Sitio, propio: str = "acta"
) -> tuple[tuple, ...]:
    """The rows of the open data's `documentos` table: what the site publishes of each archived document."""
    filas = []
    for e in visibles(manifiesto.vigentes(), sitio):
        nombre, sha, _ = publicado(e, sitio.documentos_firmados)
        publica = nombre != e.nombre
        filas.append(
            (
                e.sesion,
                e.clase,
                _titulo(e.clase, propio, e.proyecto),
                f"documentos/{nombre}",
                sha,
                e.firmado,
                publica,
                e.sha256 if publica else None,
                e.archivado,
            )
        )
    return tuple(filas)


def _diccionario(tablas: tuple[opendata.Tabla, ...]) -> list[dict]:
    """The open data tables as the «Datos abiertos» page lists them."""
    return [
        {
            "nombre": t.nombre,
            "descripcion": t.descripcion,
            "filas": len(t.filas),
            "columnas": [
                {"nombre": c.nombre, "tipo": c.tipo, "descripcion": c.descripcion} for c in t.columnas
            ],
        }
        for t in tablas
    ]


def _escribir_paginas(
    obra: _Obra, paginas: dict[str, tuple[str, dict]], actual: Path | None, previo: dict
) -> tuple[dict, list[str], int]:
    """Each page rendered anew, or linked from the current version when its key did not change; gives the new
    state ({page: key}), the pages rendered and how many were skipped."""
    plantillas = _templates_hash()
    estado, hechas, omitidas = {}, [], 0
    for ruta, (plantilla, contexto) in paginas.items():
        obra.paso()
        clave = hashlib.sha256(
            (plantillas + json.dumps(contexto, sort_keys=True, default=str)).encode()
        ).hexdigest()
        estado[ruta] = clave
        if actual is not None and previo.get(ruta) == clave and (actual / ruta).is_file():
            _enlazar(actual / ruta, obra.nueva / ruta)
            omitidas += 1
            continue
        html = _env().get_template(plantilla).render(**contexto, raiz=_profundidad(ruta), ruta=ruta)
        obra.escribir(obra.nueva, ruta, html.encode("utf-8"))
        hechas.append(ruta)
    return estado, hechas, omitidas


def _construir(
    registro: Registro,
    archivo: Path,
    actual: Path | None,
    previo: dict,
    nueva: Path,
    buscar: bool,
    avance: Callable[[int, int], None] | None,
) -> tuple[Resultado, dict]:
    manifiesto = archive.leer(archivo)
    vista = _vista(registro, manifiesto)
    sitio = registro.stl.sitio
    tablas = opendata.tablas(registro, _filas_documentos(manifiesto, sitio, registro.perfil.documento))
    vista["tablas"] = _diccionario(tablas)
    paginas = _paginas(vista)
    todos = {publicado(e, sitio.documentos_firmados)[0] for e in visibles(manifiesto.entradas, sitio)}
    nuevos = sorted(n for n in todos if actual is None or not (actual / "documentos" / n).is_file())
    obra = _Obra(nueva, len(paginas) + len(nuevos) + 1, avance)
    estado, hechas, omitidas = _escribir_paginas(obra, paginas, actual, previo)
    for nombre in todos - set(nuevos):  # archived files never change: the ones already published are linked
        _enlazar(actual / "documentos" / nombre, nueva / "documentos" / nombre)
    partes = _partes(paginas, _anio_de(vista), estado)
    pendientes = _indice_vigente(partes, actual, previo, nueva, estado, buscar)
    # Pagefind indexes the parts whose pages changed (its own process, on another core) while the rest is written.
    with _indexar(nueva, pendientes):
        for nombre in nuevos:
            obra.escribir(nueva / "documentos", nombre, (archivo / nombre).read_bytes())
            obra.paso()
        obra.escritos.extend(opendata.escribir(tablas, nueva / "datos", False, sitio.licencia))
        base = (vista["url"] or "").rstrip("/")
        obra.escribir(nueva, "feed.xml", _atom(vista, manifiesto, base, sitio))
        obra.escribir(nueva, "calendario.ics", _ics(registro))
        for estatico in ("estilo.css", "verificar.js"):
            obra.escribir(nueva, estatico, (SITE_TEMPLATES / estatico).read_bytes())
        _pagina_firma(registro, nueva / "firmar", actual / "firmar" if actual is not None else None)
        sincronizar(obra.escritos)
    obra.paso()
    return Resultado(tuple(hechas), omitidas, len(nuevos), tuple(pendientes)), estado


def _pagina_firma(registro: Registro, destino: Path, anterior: Path | None) -> None:
    """The signing page (templates/site/firmar/, its script built by `make pagina-firma`) and its datos.js.

    The page speaks of the STL's own document and roles: index.html says what the profile calls the session's
    record («el acta», «la minuta») and whom the member sends the signed file to (who conducts the sessions, by
    role); datos.js gives the script the same words, those of every document the page may open (the PDF's
    certification names its class), the STL's time zone (the stamp's date and time, as `stl firmar` writes them)
    and the intermediate certificates of stl.yaml, which the page puts in each signature so that it verifies with
    the roots alone. Public words and certificates only: no member's name, address or certificate data."""
    from . import bitacora, certificados

    origen = SITE_TEMPLATES / "firmar"
    if not (origen / "firmar.js").is_file():
        raise StlError(
            f"falta {origen / 'firmar.js'}, el programa de la página de firma: constrúyalo con «make pagina-firma»"
        )
    propio = registro.perfil.documento
    clases = dict.fromkeys((propio, "minuta", "convocatoria", "fe-de-erratas"))  # what the STL has signed
    datos = {
        "documento": propio,  # a PDF whose certification names no class is the session's record
        "documentos": {c: bitacora.palabras(c) for c in clases},
        "recibe": wording.recibe_firmas(registro),
        "zona_horaria": registro.stl.zona_horaria,
        "intermedias": [base64.b64encode(c.dump()).decode() for c in certificados.intermedias(registro)],
    }
    pagina = _env().get_template("firmar/index.html")
    archivos = {
        "index.html": pagina.render(documento=datos["documentos"][propio], recibe=datos["recibe"]).encode(),
        **{nombre: (origen / nombre).read_bytes() for nombre in ("firmar.css", "firmar.js")},
        "datos.js": f"window.STL_FIRMA = {json.dumps(datos, indent=1)};\n".encode(),
    }
    for nombre, contenido in archivos.items():
        previo = anterior / nombre if anterior is not None else None
        if previo is not None and previo.is_file() and previo.read_bytes() == contenido:
            _enlazar(previo, destino / nombre)  # unchanged: the same file, as every unchanged page
        else:
            write_atomic(destino, nombre, contenido)


# --- the search index, in parts: each year's sessions and meetings, and the rest ----------------------------------

INDICE = "pagefind"  # the general pages' part (the search page loads it); each year's in INDICE/AAAA/


def _anio_de(vista: dict) -> dict[str, str]:
    """The page of each session and meeting → the year it was held: its part of the search index."""
    return {render.pagina_publica(x["id"]): x["fecha"][:4] for x in (*vista["sesiones"], *vista["reuniones"])}


def _anios(vista: dict) -> list[str]:
    """The years with a part of the search index, newest first: what the search page merges."""
    return sorted(set(_anio_de(vista).values()), reverse=True)


def _carpeta_indice(parte: str) -> str:
    return f"{INDICE}/{parte}" if parte else INDICE


def _partes(paginas: dict, anios: dict[str, str], estado: dict) -> dict[str, tuple[str, list[str]]]:
    """The parts of the search index, part ("" the general one, else a year) → (key, its pages). The key changes
    when a page of the part changes (its key in `estado`), when a page joins or leaves it, and with Pagefind."""
    partes: dict[str, list[str]] = {}
    for ruta in paginas:
        partes.setdefault(anios.get(ruta, ""), []).append(ruta)
    pagefind = version("pagefind")
    return {
        parte: (
            hashlib.sha256(
                "\n".join([pagefind, *(f"{r} {estado[r]}" for r in sorted(rutas))]).encode()
            ).hexdigest(),
            sorted(rutas),
        )
        for parte, rutas in partes.items()
    }


def _indice_vigente(
    partes: dict, actual: Path | None, previo: dict, nueva: Path, estado: dict, buscar: bool
) -> dict[str, list[str]]:
    """The parts Pagefind must index again (part → its pages), their keys recorded in `estado`; every other part
    the current version has is linked into the new one (Pagefind never writes in an index once built). Without
    search (`buscar` false) nothing is indexed and the current parts stay with their old keys, so that the next run
    with search indexes again those whose pages changed meanwhile."""
    pendientes = {}
    for parte, (clave, rutas) in partes.items():
        carpeta, nombre = _carpeta_indice(parte), f"{_carpeta_indice(parte)}/"
        viejo = actual / carpeta if actual is not None else None
        hay = viejo is not None and (viejo / "pagefind-entry.json").is_file()
        if buscar and not (hay and previo.get(nombre) == clave):
            pendientes[parte], estado[nombre] = rutas, clave
            continue
        if not hay:
            continue
        for path in viejo.rglob("*"):
            relativa = path.relative_to(viejo)
            if path.is_file() and not (not parte and relativa.parts[0].isdigit()):  # a year's: its own
                _enlazar(path, nueva / carpeta / relativa)
        if nombre in previo:
            estado[nombre] = previo[nombre]
    return pendientes


class _Pagefind(threading.Thread):
    """Pagefind on each part in turn, one process at a time (the memory of a run is that of its part), in a
    thread: `error` is the first failure; `parar` kills the run under way and starts no other."""

    def __init__(self, destino: Path, partes: dict[str, list[str]]) -> None:
        super().__init__(daemon=True)
        from pagefind.service import get_executable

        self.programa = get_executable()
        if self.programa is None:
            raise StlError(
                "no se encontró el programa de Pagefind, que hace el índice de búsqueda del sitio: reinstale con "
                "«pip install 'pagefind[bin]'», o publique sin búsqueda con «stl publicar --sin-busqueda»"
            )
        self.destino, self.partes, self.error = destino, partes, None
        self._candado, self._proceso, self._parado = threading.Lock(), None, False

    def run(self) -> None:
        for parte, rutas in self.partes.items():
            # Only the part's pages; session and meeting ids have no glob characters (their schema).
            args = [str(self.programa), "--site", str(self.destino), "--glob", "{" + ",".join(rutas) + "}"]
            args += ["--output-path", str(self.destino / _carpeta_indice(parte)), "--force-language", "es"]
            with self._candado:
                if self._parado:
                    return
                self._proceso = subprocess.Popen(
                    [*args, "--silent"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
                )
            salida, errores = self._proceso.communicate()
            if self._proceso.returncode:
                self.error = subprocess.CalledProcessError(self._proceso.returncode, args, salida, errores)
                return
            if parte:  # merged, a year's part is read for its index alone: the program is the general part's
                for path in (self.destino / _carpeta_indice(parte)).iterdir():
                    if path.is_file() and path.name != "pagefind-entry.json" and path.suffix != ".pf_meta":
                        path.unlink()

    def parar(self) -> None:
        with self._candado:
            self._parado = True
            if self._proceso is not None:
                self._proceso.kill()
        self.join()


@contextlib.contextmanager
def _indexar(destino: Path, partes: dict[str, list[str]]) -> Iterator[None]:
    """Full-text search that works on a static host: Pagefind's index of the pages (search needs JavaScript), in
    parts that the search page merges (`mergeIndex`), so that a change indexes again only its own part. Pagefind
    starts on entering (the pages must be written by then) and has finished, or failed, on leaving; if what runs
    meanwhile fails, it is stopped."""
    if not partes:
        yield
        return
    pagefind = _Pagefind(destino, partes)
    pagefind.start()
    try:
        yield
    except BaseException:
        pagefind.parar()
        raise
    pagefind.join()
    if pagefind.error is not None:
        raise pagefind.error
