"""Open data: sessions, attendance, acuerdos and votes as tables, in CSV, JSON and SQLite, with a data dictionary.

Takes the records and the rules' verdicts; gives `Tabla` values (columns described in Spanish, rows) and writes
them. Only public facts leave here: names, cargos, sectors, votes and outcomes, as the actas publish them.
Nothing of an integrante's `privado` fields is ever read, and no certificate data (CURP/RFC) is involved.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import rules, wording
from .files import write_atomic
from .models import Registro, Sitio

__all__ = ["Columna", "Tabla", "escribir", "tablas"]


@dataclass(frozen=True)
class Columna:
    nombre: str
    tipo: str  # "texto", "entero", "fecha", "hora", "booleano"
    descripcion: str


@dataclass(frozen=True)
class Tabla:
    nombre: str
    descripcion: str
    columnas: tuple[Columna, ...]
    filas: tuple[tuple, ...]

    def dicts(self) -> list[dict]:
        return [dict(zip((c.nombre for c in self.columnas), fila, strict=True)) for fila in self.filas]


def _c(nombre: str, tipo: str, descripcion: str) -> Columna:
    return Columna(nombre, tipo, descripcion)


SESIONES = (
    _c("sesion", "texto", "ID de la sesión{ej_sesiones}"),
    _c("nombre", "texto", "Nombre de la sesión, p. ej. «Cuarta Sesión Ordinaria»"),
    _c("tipo", "texto", "ordinaria, extraordinaria o instalacion"),
    _c("numero", "entero", "Número de la sesión en su tipo (vacío si las fuentes no lo dan)"),
    _c("fecha", "fecha", "Fecha de la sesión (AAAA-MM-DD)"),
    _c("hora_inicio", "hora", "Hora de apertura (HH:MM)"),
    _c("hora_cierre", "hora", "Hora de clausura (HH:MM)"),
    _c("modalidad", "texto", "presencial o virtual"),
    _c("sede", "texto", "Lugar o plataforma"),
    _c("convocatoria_folio", "texto", "Folio del oficio de convocatoria{ej_oficio}"),
    _c("convocatoria_fecha", "fecha", "Fecha del oficio de convocatoria"),
    _c(
        "quorum",
        "booleano",
        "Si hubo quórum según el mecanismo de gobernanza (vacío si no se conoce la asistencia)",
    ),
    _c("asistentes", "entero", "Personas que asistieron"),
    _c("acuerdos", "entero", "Acuerdos tomados"),
    _c("registro", "texto", "completo, o parcial si la sesión solo se conoce en parte por las fuentes"),
)
ASISTENCIA = (
    _c("sesion", "texto", "ID de la sesión"),
    _c("integrante", "texto", "ID del integrante en el padrón"),
    _c("nombre", "texto", "Nombre completo"),
    _c("cargo", "texto", "Cargo con que se le nombra en el acta"),
    _c("sector", "texto", "Sector que representa"),
    _c("calidad", "texto", "titular, suplente, enlace, invitado o facilitador"),
    _c("en_lugar_de", "texto", "ID del titular a quien suple, si suple a alguien"),
    _c("voto", "booleano", "Si asistió con voz y voto (si no, solo con voz)"),
    _c("firma", "booleano", "Si firma el acta"),
)
ACUERDOS = (
    _c("folio", "texto", "Folio del acuerdo{ej_acuerdo}"),
    _c("sesion", "texto", "ID de la sesión"),
    _c("numero", "entero", "Número del acuerdo en la sesión"),
    _c("objeto", "texto", "Lo que se acuerda"),
    _c(
        "resultado",
        "texto",
        "unanimidad, mayoria, voto_de_calidad (empate que decide el voto de calidad) o no_aprobado",
    ),
    _c("redaccion", "texto", "Como lo asienta el acta: «se aprueba por unanimidad de votos»"),
    _c("a_favor", "entero", "Votos a favor"),
    _c("en_contra", "entero", "Votos en contra"),
    _c("abstenciones", "entero", "Abstenciones"),
    _c("voto_de_calidad", "texto", "ID de quien resolvió un empate con su voto de calidad"),
    _c("aprueba_acta", "texto", "ID de la sesión cuya acta aprueba el acuerdo"),
)
VOTACIONES = (
    _c("folio", "texto", "Folio del acuerdo"),
    _c("sesion", "texto", "ID de la sesión"),
    _c("integrante", "texto", "ID de quien vota"),
    _c("nombre", "texto", "Nombre de quien vota"),
    _c("sentido", "texto", "a_favor, en_contra o abstencion"),
)


DOCUMENTOS = (
    _c("sesion", "texto", "ID de la sesión o reunión de trabajo"),
    _c("documento", "texto", "acta, minuta, convocatoria, orden, fe-de-erratas-N"),
    _c("titulo", "texto", "Qué documento es"),
    _c("archivo", "texto", "Ruta del PDF publicado en el sitio"),
    _c("sha256", "texto", "SHA-256 del PDF publicado"),
    _c("firmado", "booleano", "Si el documento está firmado electrónicamente"),
    _c(
        "version_publica",
        "booleano",
        "Si lo publicado es la versión pública (LGTAIP art. 111): el documento sin los certificados de las firmas",
    ),
    _c(
        "sha256_original",
        "texto",
        "SHA-256 del original firmado, que se conserva en el archivo (vacío si no aplica)",
    ),
    _c("archivado", "texto", "Cuándo se archivó (ISO 8601)"),
)


def _ejemplos(registro: Registro) -> dict[str, str]:
    """The examples the data dictionary gives, taken from this STL's own records (none where it has none)."""
    tipos: dict[str, str] = {}
    for s in registro.sesiones:
        tipos.setdefault(s.tipo.value, s.id)
    nombres = {"ordinaria": "ordinaria", "extraordinaria": "extraordinaria", "instalacion": "instalación"}
    sesiones = ", ".join(f"{i} ({nombres.get(t, t)})" for t, i in tipos.items())
    oficio = next(
        (s.convocatoria.folio for s in registro.sesiones if s.convocatoria and s.convocatoria.folio), None
    )
    acuerdo = next(((s, a) for s in registro.sesiones for a in s.acuerdos), None)
    return {
        "ej_sesiones": f", p. ej. {sesiones}" if sesiones else "",
        "ej_oficio": f", p. ej. {oficio}" if oficio else "",
        "ej_acuerdo": (
            f", p. ej. {acuerdo[1].folio} (acuerdo {acuerdo[1].numero} de la sesión {acuerdo[0].id})"
            if acuerdo
            else ""
        ),
    }


def _acuerdos(registro: Registro, s, d: rules.Dictamen) -> tuple[list[tuple], list[tuple]]:
    """The rows of one session's acuerdos and of each vote on them."""
    acuerdos, votaciones = [], []
    for r in d.resultados:
        a = r.acuerdo
        acuerdos.append(
            (
                a.folio,
                s.id,
                a.numero,
                wording.acuerdo_objeto(a, s, registro),
                r.forma,
                wording.resultado(registro, r),
                len(r.a_favor),
                len(r.en_contra),
                len(r.abstenciones),
                r.voto_de_calidad,
                a.aprueba_acta,
            )
        )
        for sentido, ids in (
            ("a_favor", r.a_favor),
            ("en_contra", r.en_contra),
            ("abstencion", r.abstenciones),
        ):
            votaciones += [(a.folio, s.id, i, registro.stl.integrante(i).nombre, sentido) for i in ids]
    return acuerdos, votaciones


def _con_ejemplos(columnas: tuple[Columna, ...], ejemplos: dict[str, str]) -> tuple[Columna, ...]:
    return tuple(Columna(c.nombre, c.tipo, c.descripcion.format(**ejemplos)) for c in columnas)


def tablas(registro: Registro, documentos: tuple[tuple, ...] = ()) -> tuple[Tabla, ...]:
    """The tables of the open data; `documentos`, the rows of the documents the site publishes (from `publish`)."""
    sesiones, asistencia, acuerdos, votaciones = [], [], [], []
    for s in registro.sesiones:
        d = rules.dictaminar(registro, s.id)
        sesiones.append(
            (
                s.id,
                wording.nombre_sesion(s),
                s.tipo.value,
                s.numero,
                s.fecha.isoformat(),
                f"{s.hora_inicio:%H:%M}" if s.hora_inicio else None,
                f"{s.hora_cierre:%H:%M}" if s.hora_cierre else None,
                s.modalidad,
                s.sede,
                s.convocatoria.folio if s.convocatoria else None,
                s.convocatoria.fecha.isoformat() if s.convocatoria else None,
                d.quorum.cumple if d.quorum else None,
                len(s.asistencia) if s.asistencia is not None else None,
                len(s.acuerdos),
                "parcial" if s.parcial else "completo",
            )
        )
        suplencias = {a.integrante: a.en_lugar_de for a in s.asistencia or ()}
        for c in d.capacidades:
            p = c.integrante
            asistencia.append(
                (
                    s.id,
                    p.id,
                    p.nombre,
                    p.cargo_corto,
                    p.sector.value,
                    p.calidad.value,
                    suplencias.get(p.id),
                    c.voto,
                    c.firma,
                )
            )
        filas, votos = _acuerdos(registro, s, d)
        acuerdos += filas
        votaciones += votos
    ejemplos = _ejemplos(registro)
    return (
        Tabla(
            "sesiones",
            "Sesiones del Secretariado Técnico Local",
            _con_ejemplos(SESIONES, ejemplos),
            tuple(sesiones),
        ),
        Tabla("asistencia", "Quién asistió a cada sesión y con qué calidad", ASISTENCIA, tuple(asistencia)),
        Tabla(
            "acuerdos",
            "Acuerdos de cada sesión y su resultado",
            _con_ejemplos(ACUERDOS, ejemplos),
            tuple(acuerdos),
        ),
        Tabla("votaciones", "El voto de cada integrante en cada acuerdo", VOTACIONES, tuple(votaciones)),
        Tabla("documentos", "Documentos publicados y cómo verificarlos", DOCUMENTOS, documentos),
    )


# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(…)`, `@SUM(…)`, DDE with
# `+cmd|…`): in the CSV such a text gets a single quote in front, as OWASP advises against CSV injection. JSON
# and SQLite are not opened by spreadsheets as formulas: they keep the text as it is.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
NOTA_CSV = (
    "En los CSV, un texto que empieza con =, +, -, @, tabulador o retorno de carro lleva delante un apóstrofo (') "
    "para que una hoja de cálculo no lo ejecute como fórmula; en JSON y SQLite va tal cual."
)


def _celda(valor: object) -> object:
    if valor is True:
        return "sí"
    if valor is False:
        return "no"
    if valor is None:
        return ""
    if isinstance(valor, str) and valor.startswith(_FORMULA):
        return "'" + valor
    return valor


_SQL = {"texto": "TEXT", "entero": "INTEGER", "fecha": "TEXT", "hora": "TEXT", "booleano": "INTEGER"}


def _csv(tabla: Tabla) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.nombre for c in tabla.columnas])
    for fila in tabla.filas:
        writer.writerow([_celda(v) for v in fila])
    return buffer.getvalue().encode("utf-8")


def _sqlite(todas: tuple[Tabla, ...]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "datos.sqlite"
        with sqlite3.connect(path) as db:
            for t in todas:
                columnas = ", ".join(f'"{c.nombre}" {_SQL[c.tipo]}' for c in t.columnas)
                db.execute(f'CREATE TABLE "{t.nombre}" ({columnas})')
                marcas = ", ".join("?" for _ in t.columnas)
                db.executemany(f'INSERT INTO "{t.nombre}" VALUES ({marcas})', t.filas)
        data = path.read_bytes()
    return data


def diccionario(todas: tuple[Tabla, ...], licencia: tuple[str, str, str] = Sitio().licencia) -> dict:
    """A Frictionless-style data package descriptor: the data dictionary, machine-readable, with its license
    (stl.yaml sitio.licencia; CC-BY-4.0 by default)."""
    nombre, titulo, url = licencia
    return {
        "name": "datos-abiertos-stl",
        "description": NOTA_CSV,
        "licenses": [{"name": nombre, "title": titulo, "path": url}],
        "resources": [
            {
                "name": t.nombre,
                "path": f"{t.nombre}.csv",
                "description": f"{t.descripcion}. {NOTA_CSV}",
                "schema": {
                    "fields": [
                        {"name": c.nombre, "type": c.tipo, "description": c.descripcion} for c in t.columnas
                    ]
                },
            }
            for t in todas
        ],
    }


def escribir(
    todas: tuple[Tabla, ...],
    carpeta: Path,
    sincronizar: bool = True,
    licencia: tuple[str, str, str] = Sitio().licencia,
) -> list[Path]:
    """Each table as CSV (UTF-8) and JSON, all of them in one SQLite file, and the data dictionary with its
    license. With `sincronizar=False` the caller flushes the files to disk (`files.sincronizar`)."""
    archivos = {}
    for t in todas:
        archivos[f"{t.nombre}.csv"] = _csv(t)
        archivos[f"{t.nombre}.json"] = json.dumps(t.dicts(), ensure_ascii=False, indent=1).encode()
    archivos["datos.sqlite"] = _sqlite(todas)
    archivos["datapackage.json"] = json.dumps(
        diccionario(todas, licencia), ensure_ascii=False, indent=1
    ).encode()
    return [
        write_atomic(carpeta, nombre, datos, sincronizar=sincronizar) for nombre, datos in archivos.items()
    ]
