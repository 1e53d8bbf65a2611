"""The `stl` command: parses arguments, calls one stage function, prints. Nothing else lives here.

Every project error becomes a Spanish message and exit code 1 in `error_boundary`.
"""

from __future__ import annotations

from pathlib import Path

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from . import records, report, rules
from .errors import RecordsError, RulesError, error_boundary

# Click ships no Spanish catalog; its own words (usage, option errors) are translated here so that every
# message a Facilitador sees is in Spanish.
_CLICK_ES = {
    "Usage:": "Uso:",
    "Options": "Opciones",
    "Commands": "Comandos",
    "Show this message and exit.": "Muestra esta ayuda y termina.",
    "Show the version and exit.": "Muestra la versión y termina.",
    "%(prog)s, version %(version)s": "%(prog)s, versión %(version)s",
    "Error: {message}": "Error: {message}",
    "Missing argument": "Falta el argumento",
    "Missing option": "Falta la opción",
    "Missing parameter": "Falta un parámetro",
    "Missing command.": "Falta el comando.",
    "No such command {name!r}.": "No existe el comando {name!r}.",
    "No such option {name!r}.": "No existe la opción {name!r}.",
    "Try '{command} {option}' for help.": "Pruebe '{command} {option}' para ver la ayuda.",
    "Invalid value for {param_hint}: {message}": "Valor no válido para {param_hint}: {message}",
    "Invalid value: {message}": "Valor no válido: {message}",
    "Option {name!r} does not take a value.": "La opción {name!r} no lleva valor.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} no existe.",
    "{name} {filename!r} is a file.": "{name} {filename!r} es un archivo.",
    "directory": "carpeta",
    "file": "archivo",
    "path": "ruta",
    "Aborted!": "¡Cancelado!",
    "default: {default}": "por omisión: {default}",
    "env var: {var}": "variable de entorno: {var}",
}
for _module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
    _module._ = lambda message: _CLICK_ES.get(message, message)  # type: ignore[attr-defined]

CONTEXT = {"help_option_names": ["-h", "--ayuda", "--help"], "max_content_width": 100}


@click.group(
    context_settings=CONTEXT,
    options_metavar="[OPCIONES]",
    subcommand_metavar="COMANDO [ARGUMENTOS]...",
)
@click.option(
    "--registros",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("records"),
    show_default=True,
    envvar="STL_REGISTROS",
    help="Carpeta de registros (stl.yaml y sesiones/).",
)
@click.option("--verbose", is_flag=True, help="Muestra el rastreo completo de un error (para desarrollo).")
@click.version_option(package_name="actas-stl-gobierno-abierto", prog_name="stl")
@click.pass_context
def main(ctx: click.Context, registros: Path, verbose: bool) -> None:
    """Actas, convocatorias y minutas del Secretariado Técnico Local de Gobierno Abierto."""
    ctx.obj = {"registros": registros, "verbose": verbose}


@main.command(options_metavar="[OPCIONES]", short_help="Valida una sesión y muestra su resumen.")
@click.argument("sesion", metavar="SESION")
@click.option("--estricto", is_flag=True, help="Trata las advertencias como errores (salida distinta de 0).")
@click.pass_obj
def validar(obj: dict, sesion: str, estricto: bool) -> None:
    """Valida los registros y la SESION (p. ej. IV-2020) contra el perfil de gobernanza.

    Muestra asistencia y calidad de cada asistente, quórum con su razón, cada acuerdo con su resultado,
    los días hábiles de anticipación de la convocatoria y las advertencias; o cada error con archivo,
    línea y campo.
    """
    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        if sesion not in {s.id for s in registro.sesiones}:
            ids = ", ".join(s.id for s in registro.sesiones) or "ninguna"
            raise RecordsError(f"no hay registro de la sesión «{sesion}»; sesiones: {ids}")
        dictamen = rules.dictaminar(registro, sesion)
        click.echo("\n".join(report.summary(dictamen, registro)))
        if dictamen.errores:
            raise RulesError(dictamen.errores)
        if estricto and dictamen.advertencias:
            raise RulesError(dictamen.advertencias)
