"""The `stl` group: the folders every command works with, and what libraries may log."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from ..operations import Carpetas, buscar_registros
from .runtime import CONTEXT, carpeta_opcion


@click.group(
    context_settings=CONTEXT,
    options_metavar="[OPCIONES]",
    subcommand_metavar="COMANDO [ARGUMENTOS]...",
)
@carpeta_opcion(
    "--registros",
    None,
    "STL_REGISTROS",
    "Carpeta de registros (stl.yaml, sesiones/). Si no se indica, la carpeta actual o la más cercana hacia "
    "arriba que tenga stl.yaml (o records/ en la actual).",
)
@carpeta_opcion(
    "--salida", "salida", "STL_SALIDA", "Carpeta de documentos generados (una subcarpeta por sesión)."
)
@carpeta_opcion(
    "--firmas", "signatures", "STL_FIRMAS", "Carpeta de trabajo de las firmas (una subcarpeta por sesión)."
)
@carpeta_opcion("--archivo", "archivo", "STL_ARCHIVO", "Archivo de documentos publicados (solo se agrega).")
@click.option("--verbose", is_flag=True, help="Muestra el rastreo completo de un error (para desarrollo).")
@click.version_option(package_name="actas-stl-gobierno-abierto", prog_name="stl")
@click.pass_context
def main(
    ctx: click.Context, registros: Path | None, salida: Path, firmas: Path, archivo: Path, verbose: bool
) -> None:
    """Actas, convocatorias y minutas del Secretariado Técnico Local de Gobierno Abierto."""
    _registro_de_bibliotecas(verbose)
    raiz = registros if registros is not None else buscar_registros(Path.cwd())
    ctx.obj = {"carpetas": Carpetas(raiz, Path(salida), Path(firmas), Path(archivo)), "verbose": verbose}


def _registro_de_bibliotecas(verbose: bool) -> None:
    """What libraries log (pyHanko's tracebacks of a refused change, aiohttp's unclosed sessions) is for
    developers: shown on stderr with --verbose, never mixed with the Spanish messages otherwise."""
    raiz = logging.getLogger()
    if verbose:
        if not any(getattr(h, "_stl", False) for h in raiz.handlers):
            manejador = logging.StreamHandler(sys.stderr)
            manejador.setFormatter(logging.Formatter("[registro] %(levelname)s %(name)s: %(message)s"))
            manejador._stl = True  # type: ignore[attr-defined]
            raiz.addHandler(manejador)
    elif not any(isinstance(h, logging.NullHandler) for h in raiz.handlers):
        raiz.addHandler(logging.NullHandler())  # no «last resort» printing of library warnings
