"""`stl archivar` and `publicar`: the append-only archive and the public site."""

from __future__ import annotations

from pathlib import Path

import click

from .. import operations
from ..errors import error_boundary
from .raiz import main
from .runtime import Avance, ahora, carpetas, mostrar


@main.command(options_metavar="[OPCIONES]", short_help="Archiva los documentos de una sesión o reunión.")
@click.argument("objetivo", metavar="SESION|REUNION")
@click.option(
    "--sin-firma", is_flag=True, help="Archiva el acta o minuta sin firmas válidas, marcada «sin firma»."
)
@click.option(
    "--correccion", metavar="MOTIVO", help="Archiva otro contenido como versión nueva, con este motivo."
)
@click.pass_obj
def archivar(obj: dict, objetivo: str, sin_firma: bool, correccion: str | None) -> None:
    """Copia al archivo (solo se agrega, nunca se reemplaza) la convocatoria, el orden del día y el acta firmada
    y verificada de SESION, o la minuta de REUNION, con su SHA-256, tamaño, fecha y resumen de firmas en
    ARCHIVO/manifiesto.json. Un acta sin firmas válidas solo con --sin-firma; otro contenido bajo un nombre ya
    archivado solo como corrección (--correccion), que queda junto a la versión anterior."""
    with error_boundary(obj["verbose"]):
        mostrar(operations.archivar(carpetas(obj), objetivo, ahora(), sin_firma, correccion))


@main.command(
    "renovar-sello",
    options_metavar="[OPCIONES]",
    short_help="Renueva el sello de tiempo de los documentos archivados.",
)
@click.argument("objetivo", metavar="[SESION|REUNION]", required=False)
@click.option(
    "--dias",
    type=click.IntRange(min=0),
    default=365,
    show_default=True,
    help="Renueva los sellos cuyo certificado vence dentro de estos días.",
)
@click.pass_obj
def renovar_sello(obj: dict, objetivo: str | None, dias: int) -> None:
    """Agrega un sello de tiempo de archivo nuevo (PAdES B-LTA) a cada documento firmado del archivo (de SESION o
    REUNION, o todos) cuyo último sello vence dentro de --dias: con los datos de validación del anterior, antes
    de que su certificado venza, para que el acta se siga verificando aunque caduquen los certificados. Cada
    renovación queda como versión nueva junto a la anterior."""
    with error_boundary(obj["verbose"]):
        mostrar(operations.renovar_sello(carpetas(obj), objetivo, ahora(), dias))


@main.command(options_metavar="[OPCIONES]", short_help="Construye el sitio público del STL.")
@click.option(
    "--sitio",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("sitio"),
    show_default=True,
    envvar="STL_SITIO",
    help="Carpeta del sitio estático (se sube tal cual a cualquier hospedaje).",
)
@click.option("--sin-busqueda", is_flag=True, help="No genera el índice de búsqueda (Pagefind).")
@click.pass_obj
def publicar(obj: dict, sitio: Path, sin_busqueda: bool) -> None:
    """Construye el sitio con las siete secciones (Secretariado, compromisos y agenda, contacto, datos abiertos,
    ligas, dudas y cómo sumarse), una página por sesión con sus documentos archivados y su verificación, datos
    abiertos, Atom, calendario .ics y búsqueda. Solo vuelve a generar las páginas cuyo contenido cambió; en la
    terminal muestra el avance."""
    with error_boundary(obj["verbose"]), Avance("Publicando el sitio") as avance:
        resultado = operations.publicar(carpetas(obj), sitio, not sin_busqueda, avance)
    mostrar(resultado)


@main.command(
    "exportar-sipot",
    options_metavar="[OPCIONES]",
    short_help="Sesiones, actas e integrantes en el formato del portal de transparencia (XLSX).",
)
@click.option(
    "--anio", type=click.IntRange(2000, 2100), metavar="AAAA", help="Solo las sesiones de ese ejercicio."
)
@click.option(
    "--trimestre", type=click.IntRange(1, 4), metavar="N", help="Solo las de ese trimestre (1 a 4)."
)
@click.pass_obj
def exportar_sipot(obj: dict, anio: int | None, trimestre: int | None) -> None:
    """Escribe en SALIDA/sipot.xlsx las actas de las sesiones en las columnas del formato 46a (LGTAIP de 2015, art.
    70, fr. XLVI; Lineamientos técnicos generales) con el hipervínculo a cada acta publicada, el calendario de
    sesiones y la lista de integrantes, para cargarlos en el SIPOT de la Plataforma Nacional de Transparencia.
    Debajo de cada columna dice de dónde sale; lo que los registros no dicen (área responsable, fecha de
    validación) se dice así en la celda, no se inventa."""
    with error_boundary(obj["verbose"]):
        mostrar(operations.exportar_sipot(carpetas(obj), ahora(), anio, trimestre))
