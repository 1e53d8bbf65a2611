"""Stage 6c — the transparency portal: the STL's sessions, actas and members as a spreadsheet for the SIPOT.

The actas and minutas of a collegiate body, its calendar and its members are a transparency obligation that the
sujeto obligado (here, the órgano garante the STL sits in) publishes on the Plataforma Nacional de Transparencia
through its Sistema de Portales de Obligaciones de Transparencia (SIPOT), in the formats of the Lineamientos
técnicos generales. Takes the records, the archive (what was published, and under which name) and "now"; gives
an XLSX workbook, one sheet per table, with the published documents as hyperlinks.

Where each column comes from — said in the workbook too, under every header and in its sheet «Fuentes»:

* The sheet «46a Actas» takes its columns from the format 46a of art. 70, fr. XLVI of the Ley General de
  Transparencia y Acceso a la Información Pública (LGTAIP, DOF 4 May 2015: «las actas de sesiones ordinarias y
  extraordinarias, así como las opiniones y recomendaciones que emitan, en su caso, los consejos consultivos»),
  as the Lineamientos técnicos generales set it (DOF 4 May 2016; modified by the acuerdo
  CONAIP/SNT/ACUERDO/ORD01-15/12/2017-08). The stored copies consulted for this work hold those Lineamientos but
  not the annex with the format itself: the column names are written here as that format names them to the best
  of our knowledge, and must be compared with the template the SIPOT gives before loading it (the SIPOT's
  templates also carry hidden identifier rows, which this workbook does not imitate).
* «Calendario de sesiones» and «Integrantes» are not columns of a format of the LGTAIP: some state laws ask for
  «la calendarización, las minutas y las actas … así como la lista de los integrantes de cada uno de los órganos
  colegiados» (as quoted on a page of the Mexico City transparency portal). Their columns are named by the
  records they come from.
* What the records do not hold (the area responsible, the validation date) is said in the cell, never made up.

The Ley General of 20 March 2025 (DOF; in force the next day) replaced the 2015 law: it extinguished the INAI and
gave its role to «Transparencia para el Pueblo», a body of the Secretaría Anticorrupción y Buen Gobierno that
heads a Sistema Nacional de Acceso a la Información Pública, with «autoridades garantes» in place of the
«organismos garantes». The stored material consulted here does not say under which article and fraction the new
law keeps the actas of collegiate bodies, nor whether new Lineamientos changed format 46a: until they are
confirmed the workbook follows the 2015 law and its Lineamientos, and says so in its sheet «Fuentes».
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from . import archive, publish, rules, wording
from .files import write_atomic
from .models import Calidad, Registro, Sesion, TipoSesion

__all__ = ["COLUMNAS_46A", "exportar", "libro"]

LGTAIP_2015 = "LGTAIP 2015, art. 70, fr. XLVI; Lineamientos técnicos generales, formato 46a"
SIN_DATO = "No está en los registros del STL"


@dataclass(frozen=True)
class Columna:
    nombre: str  # as the format names it, or as the records do
    fuente: str  # where its values come from


def _c(nombre: str, fuente: str) -> Columna:
    return Columna(nombre, fuente)


COLUMNAS_46A = (
    _c("Ejercicio", "Año de la fecha de la sesión (registros: sesiones/ID.yaml, fecha)"),
    _c(
        "Fecha de inicio del periodo que se informa",
        "Primer día del trimestre de la sesión (la actualización es trimestral)",
    ),
    _c("Fecha de término del periodo que se informa", "Último día del trimestre de la sesión"),
    _c("Fecha en que se realizó la sesión", "Registros: sesiones/ID.yaml, fecha"),
    _c(
        "Tipo de acta (catálogo)",
        "Registros: sesiones/ID.yaml, tipo (ordinaria, extraordinaria, instalación)",
    ),
    _c("Número de la sesión", "Registros: sesiones/ID.yaml, numero"),
    _c("Número del acta (en su caso)", f"{SIN_DATO}: las actas del STL no llevan número propio"),
    _c(
        "Temas de la sesión (orden del día)",
        "Registros: sesiones/ID.yaml, orden_del_dia (el orden aprobado, como lo redacta el acta)",
    ),
    _c(
        "Hipervínculo a los documentos completos de las actas (versiones públicas, en su caso)",
        "Archivo: manifiesto.json (lo que publica el sitio: la versión pública del acta firmada, o el PDF "
        "firmado con sitio.documentos_firmados: publicar) y stl.yaml, sitio.url",
    ),
    _c(
        "Área(s) responsable(s) que genera(n), posee(n), publica(n) y actualizan la información",
        f"{SIN_DATO}: la anota la unidad de transparencia",
    ),
    _c("Fecha de validación", f"{SIN_DATO}: la anota la unidad de transparencia al validar"),
    _c("Fecha de actualización", "Fecha de esta exportación (stl exportar-sipot)"),
    _c(
        "Nota",
        "Lo que dicen los registros de la fila: sesión conocida en parte, acta sin aprobar o sin archivar",
    ),
)
COLUMNAS_CALENDARIO = (
    _c("Sesión", "Registros: sesiones/ID.yaml o reuniones/ID.yaml, el ID"),
    _c("Tipo", "Registros: tipo de la sesión (ordinaria, extraordinaria, instalación) o reunión de trabajo"),
    _c("Fecha", "Registros: fecha"),
    _c("Hora", "Registros: hora de inicio (o la convocada)"),
    _c("Modalidad", "Registros: modalidad"),
    _c("Sede o plataforma", "Registros: sede"),
    _c("Estado", "Reglas: celebrada (hay asistencia), programada o cancelada"),
    _c("Página de la sesión", "stl.yaml, sitio.url, y la página que publica stl publicar"),
)
COLUMNAS_INTEGRANTES = (
    _c("Nombre", "Registros: stl.yaml, integrantes[].nombre"),
    _c("Cargo", "Registros: stl.yaml, integrantes[] (cargo con que firma o se le nombra en el acta)"),
    _c("Sector", "Registros: stl.yaml, integrantes[].sector"),
    _c("Calidad", "Registros: stl.yaml, integrantes[].calidad (titular, suplente, enlace, facilitador)"),
    _c("Suple o enlaza a", "Registros: stl.yaml, integrantes[].de (nombre del titular)"),
    _c("Inicio del encargo", "Registros: stl.yaml, integrantes[].inicio (vacío si no se registró)"),
    _c("Fin del encargo", "Registros: stl.yaml, integrantes[].fin (vacío: en funciones)"),
)
_TIPOS = {
    TipoSesion.ORDINARIA: "Ordinaria",
    TipoSesion.EXTRAORDINARIA: "Extraordinaria",
    TipoSesion.INSTALACION: "Instalación (no está en el catálogo Ordinaria/Extraordinaria del formato)",
}


@dataclass(frozen=True)
class Enlace:
    """A cell that is a hyperlink to a published document or page."""

    url: str


def _trimestre(fecha: dt.date) -> tuple[dt.date, dt.date]:
    inicio = dt.date(fecha.year, 3 * ((fecha.month - 1) // 3) + 1, 1)
    siguiente = dt.date(inicio.year + (inicio.month == 10), (inicio.month + 2) % 12 + 1, 1)
    return inicio, siguiente - dt.timedelta(days=1)


def _enlace_acta(registro: Registro, sesion: Sesion, manifiesto: archive.Manifiesto) -> tuple[object, str]:
    """The hyperlink to the acta the site publishes, or why there is none; and the row's note."""
    clase, sitio = registro.perfil.documento, registro.stl.sitio
    e = manifiesto.ultima(sesion.id, clase)
    aprobada = rules.aprobacion_del_acta(registro, sesion.id) is not None
    if e is None:
        nota = "" if aprobada else f"{clase.capitalize()} pendiente de aprobación."
        return f"{SIN_DATO}: {clase} sin archivar ni publicar (stl archivar {sesion.id})", nota
    if e.proyecto:
        if sitio.proyectos == "ocultos":
            return f"Proyecto de {clase} sin aprobar: el sitio no lo publica", "Pendiente de aprobación."
        nota = f"Se publica como proyecto de {clase}, pendiente de aprobación."
    else:
        nota = "" if e.firmado else f"{clase.capitalize()} publicada sin firma electrónica."
    if not sitio.url:
        return f"{SIN_DATO}: stl.yaml no da la dirección del sitio (sitio.url)", nota
    nombre, _, _ = publish.publicado(e, sitio.documentos_firmados)
    return Enlace(f"{sitio.url.rstrip('/')}/documentos/{nombre}"), nota


def _actas(registro: Registro, manifiesto: archive.Manifiesto, ahora: dt.datetime, filtro) -> list[list]:
    filas = []
    for s in sorted(registro.sesiones, key=lambda s: s.fecha):
        if not (s.asistencia is not None or s.parcial) or not filtro(s.fecha):
            continue
        inicio, fin = _trimestre(s.fecha)
        enlace, nota = _enlace_acta(registro, s, manifiesto)
        if s.parcial:
            nota = f"Sesión conocida solo en parte ({s.fuente or 'fuentes'}). {nota}".strip()
            enlace = enlace if isinstance(enlace, Enlace) else f"{SIN_DATO}: sesión conocida solo en parte"
        temas = "; ".join(wording.titulo_punto(p, s, registro) for p in s.orden_aprobado)
        filas.append(
            [
                s.fecha.year,
                inicio,
                fin,
                s.fecha,
                _TIPOS[s.tipo],
                s.numero if s.numero is not None else f"{SIN_DATO} (sesión conocida en parte)",
                f"{SIN_DATO}: las actas del STL no llevan número propio",
                temas or f"{SIN_DATO}: sin orden del día registrado",
                enlace,
                f"{SIN_DATO}: la anota la unidad de transparencia",
                f"{SIN_DATO}: la anota la unidad de transparencia al validar",
                ahora.date(),
                nota,
            ]
        )
    return filas


def _calendario(registro: Registro, filtro) -> list[list]:
    base = (registro.stl.sitio.url or "").rstrip("/")
    filas = []
    for s in sorted(registro.sesiones, key=lambda s: s.fecha):
        if not filtro(s.fecha):
            continue
        estado = (
            "cancelada"
            if s.cancelada
            else "celebrada"
            if s.asistencia is not None or s.parcial
            else "programada"
        )
        hora = s.hora_inicio or s.hora_convocada
        pagina = Enlace(f"{base}/sesiones/{s.id}.html") if base else f"{SIN_DATO}: sin sitio.url en stl.yaml"
        tipo = _TIPOS[s.tipo].split(" (")[0]
        filas.append(
            [
                s.id,
                tipo,
                s.fecha,
                f"{hora:%H:%M}" if hora else "",
                s.modalidad or "",
                s.sede or "",
                estado,
                pagina,
            ]
        )
    for r in sorted(registro.reuniones, key=lambda r: r.fecha):
        if not filtro(r.fecha):
            continue
        pagina = Enlace(f"{base}/reuniones/{r.id}.html") if base else f"{SIN_DATO}: sin sitio.url en stl.yaml"
        filas.append(
            [
                r.id,
                "Reunión de trabajo",
                r.fecha,
                f"{r.hora_inicio:%H:%M}",
                r.modalidad,
                r.sede,
                "celebrada",
                pagina,
            ]
        )
    return filas


def _integrantes(registro: Registro) -> list[list]:
    """The members as the site lists them (invited guests are not members): public fields only, never `privado`."""
    stl = registro.stl
    return [
        [
            p.nombre,
            p.denominacion,
            p.sector.nombre,
            p.calidad.value,
            stl.integrante(p.de).nombre if p.de else "",
            p.inicio or "",
            p.fin or "",
        ]
        for p in stl.integrantes
        if p.calidad is not Calidad.INVITADO
    ]


def _fuentes() -> list[list]:
    filas = [[f"46a Actas ({LGTAIP_2015})", c.nombre, c.fuente] for c in COLUMNAS_46A]
    filas += [
        ["Calendario de sesiones (no es un formato de la LGTAIP)", c.nombre, c.fuente]
        for c in COLUMNAS_CALENDARIO
    ]
    filas += [
        ["Integrantes (no es un formato de la LGTAIP)", c.nombre, c.fuente] for c in COLUMNAS_INTEGRANTES
    ]
    filas += [
        [
            "Nota",
            "Nombres de columna del formato 46a",
            "Tomados del formato 46a de los Lineamientos técnicos generales (DOF 4/05/2016, modificados por el "
            "acuerdo CONAIP/SNT/ACUERDO/ORD01-15/12/2017-08); cotéjelos con la plantilla que da el SIPOT antes de "
            "cargar: las copias consultadas no incluían el anexo con el formato.",
        ],
        [
            "Nota",
            "Ley General de 2025",
            "La Ley General de Transparencia y Acceso a la Información Pública publicada en el DOF el 20 de marzo "
            "de 2025 sustituyó a la de 2015: extinguió el INAI, cuyas funciones pasan a Transparencia para el "
            "Pueblo (Secretaría Anticorrupción y Buen Gobierno), y los organismos garantes pasan a ser autoridades "
            "garantes. No se pudo confirmar en qué artículo y fracción conserva las actas de órganos colegiados ni "
            "si cambiaron los formatos: esta hoja sigue la ley de 2015 y sus Lineamientos.",
        ],
    ]
    return filas


def libro(
    registro: Registro,
    archivo: Path,
    ahora: dt.datetime,
    anio: int | None = None,
    trimestre: int | None = None,
) -> bytes:
    """The workbook (XLSX bytes): «46a Actas», «Calendario de sesiones», «Integrantes» and «Fuentes». `anio` and
    `trimestre` keep the sessions of that exercise (and quarter) only."""
    from openpyxl import Workbook

    def filtro(fecha: dt.date) -> bool:
        return (anio is None or fecha.year == anio) and (
            trimestre is None or (fecha.month - 1) // 3 + 1 == trimestre
        )

    manifiesto = archive.leer(archivo)
    hojas = (
        ("46a Actas", COLUMNAS_46A, _actas(registro, manifiesto, ahora, filtro)),
        ("Calendario de sesiones", COLUMNAS_CALENDARIO, _calendario(registro, filtro)),
        ("Integrantes", COLUMNAS_INTEGRANTES, _integrantes(registro)),
    )
    wb = Workbook()
    wb.remove(wb.active)
    for titulo, columnas, filas in hojas:
        _hoja(wb.create_sheet(titulo), columnas, filas)
    fuentes = wb.create_sheet("Fuentes")
    _hoja(fuentes, (_c("Hoja", ""), _c("Columna", ""), _c("De dónde sale", "")), _fuentes(), fuentes=False)
    wb.properties.title = f"Obligaciones de transparencia — {registro.stl.nombre}"
    wb.properties.creator = "actas-stl"
    wb.properties.created = wb.properties.modified = ahora.replace(tzinfo=None)
    salida = io.BytesIO()
    wb.save(salida)
    return salida.getvalue()


def _hoja(hoja, columnas: tuple[Columna, ...], filas: list[list], fuentes: bool = True) -> None:
    """Row 1, each column's name; row 2, where its values come from («Fuente: …»); then the rows."""
    from openpyxl.styles import Alignment, Font

    hoja.append([c.nombre for c in columnas])
    for celda in hoja[1]:
        celda.font = Font(bold=True)
        celda.alignment = Alignment(wrap_text=True, vertical="top")
    if fuentes:
        hoja.append([f"Fuente: {c.fuente}" for c in columnas])
        for celda in hoja[2]:
            celda.font = Font(italic=True, size=9)
            celda.alignment = Alignment(wrap_text=True, vertical="top")
    for fila in filas:
        hoja.append([v.url if isinstance(v, Enlace) else v for v in fila])
        for celda, valor in zip(hoja[hoja.max_row], fila, strict=True):
            if isinstance(valor, Enlace):
                celda.hyperlink = valor.url
                celda.style = "Hyperlink"
            elif isinstance(valor, dt.date):
                celda.number_format = "DD/MM/YYYY"  # the format's dates: día/mes/año
    hoja.freeze_panes = "A3" if fuentes else "A2"
    for n, _ in enumerate(columnas, 1):
        hoja.column_dimensions[hoja.cell(1, n).column_letter].width = 28


def exportar(
    registro: Registro,
    archivo: Path,
    salida: Path,
    ahora: dt.datetime,
    anio: int | None = None,
    trimestre: int | None = None,
) -> Path:
    """`stl exportar-sipot`: the workbook written (atomically) in the output folder; gives its path."""
    sufijo = f"-{anio}" if anio else ""
    sufijo += f"-T{trimestre}" if trimestre else ""
    nombre = f"sipot{sufijo}.xlsx"
    return write_atomic(Path(salida), nombre, libro(registro, archivo, ahora, anio, trimestre))
