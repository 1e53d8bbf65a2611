"""The `stl` command: parses arguments, calls one stage function, prints. Nothing else lives here.

Every project error becomes a Spanish message and exit code 1 in `error_boundary`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from . import folios, records, render, render_docx, report, rules
from .errors import RulesError, StlError, error_boundary
from .files import write_atomic

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
@click.option(
    "--salida",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("salida"),
    show_default=True,
    envvar="STL_SALIDA",
    help="Carpeta de documentos generados (una subcarpeta por sesión).",
)
@click.option("--verbose", is_flag=True, help="Muestra el rastreo completo de un error (para desarrollo).")
@click.version_option(package_name="actas-stl-gobierno-abierto", prog_name="stl")
@click.pass_context
def main(ctx: click.Context, registros: Path, salida: Path, verbose: bool) -> None:
    """Actas, convocatorias y minutas del Secretariado Técnico Local de Gobierno Abierto."""
    ctx.obj = {"registros": registros, "salida": salida, "verbose": verbose}


def _session(registro, sesion: str) -> None:
    if sesion not in {s.id for s in registro.sesiones}:
        ids = ", ".join(s.id for s in registro.sesiones) or "ninguna"
        raise StlError(f"no hay registro de la sesión «{sesion}»; sesiones: {ids}")


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
        _session(registro, sesion)
        dictamen = rules.dictaminar(registro, sesion)
        click.echo("\n".join(report.summary(dictamen, registro)))
        if dictamen.errores:
            raise RulesError(dictamen.errores)
        if estricto and dictamen.advertencias:
            raise RulesError(dictamen.advertencias)


FORMATOS = click.Choice(["pdf", "docx", "ambos"])


def _write(carpeta: Path, nombre: str, documento, formato: str) -> list[Path]:
    """A document's PDF (with its signature-block positions, for signing) and/or its DOCX; the paths written."""
    paths = []
    if formato in ("pdf", "ambos"):
        data, bloques = render.pdf(documento)
        paths.append(write_atomic(carpeta, f"{nombre}.pdf", data))
        if bloques:
            posiciones = json.dumps(bloques, ensure_ascii=False, indent=2).encode()
            paths.append(write_atomic(carpeta, f"{nombre}.firmas.json", posiciones))
    if formato in ("docx", "ambos"):
        paths.append(write_atomic(carpeta, f"{nombre}.docx", render_docx.docx(documento)))
    return paths


@main.command(options_metavar="[OPCIONES]", short_help="Genera el acta de una sesión (PDF y DOCX).")
@click.argument("sesion", metavar="SESION")
@click.option("--formato", type=FORMATOS, default="ambos", show_default=True, help="Formato de salida.")
@click.pass_obj
def acta(obj: dict, sesion: str, formato: str) -> None:
    """Genera el acta de la SESION en SALIDA/SESION/: PDF/A con rúbrica en cada hoja y DOCX editable.

    Junto al PDF escribe las posiciones de los bloques de firma (para la firma digital). No genera el acta
    de una sesión cuyo registro contradice las reglas de su perfil.
    """
    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        _session(registro, sesion)
        documento = render.acta(registro, rules.dictaminar(registro, sesion))
        for path in _write(obj["salida"] / sesion, f"acta-{sesion}", documento, formato):
            click.echo(path)


@main.command(options_metavar="[OPCIONES]", short_help="Emite el oficio de convocatoria con su folio.")
@click.argument("sesion", metavar="SESION")
@click.option("--formato", type=FORMATOS, default="ambos", show_default=True, help="Formato de salida.")
@click.pass_obj
def convocatoria(obj: dict, sesion: str, formato: str) -> None:
    """Emite el oficio de convocatoria a la SESION, con el orden del día anexo, en SALIDA/SESION/.

    El folio (STL/00N/AAAA) se toma del registro de folios (records/folios.yaml): el que ya tenga la sesión
    o el siguiente del año, que se anota al emitir. Rechaza la convocatoria que no da los días hábiles de
    anticipación que exige el perfil (las extraordinarias tienen su propio plazo): entonces no escribe nada
    ni usa folio.
    """
    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        _session(registro, sesion)
        s = registro.sesion(sesion)
        if s.convocatoria is None:
            raise StlError(
                f"{s.lugar.archivo}: la sesión {sesion} no tiene «convocatoria» (fecha y quién convoca)"
            )
        carpeta, written = obj["salida"] / sesion, []

        def escribir(folio: str) -> None:  # before the folio is recorded: a failure consumes none
            written.extend(
                _write(carpeta, f"convocatoria-{sesion}", render.convocatoria(registro, s, folio), formato)
            )

        destinatario = f"Integrantes del {registro.stl.nombre}"
        asunto = f"Convocatoria a la {render.wording.nombre_sesion(s)}"
        folio = folios.emitir(Path(obj["registros"]), sesion, destinatario, asunto, escribir)
        click.echo(f"Folio {folio}")
        for path in written:
            click.echo(path)


@main.command(options_metavar="[OPCIONES]", short_help="Genera el orden del día de una sesión.")
@click.argument("sesion", metavar="SESION")
@click.option("--formato", type=FORMATOS, default="ambos", show_default=True, help="Formato de salida.")
@click.pass_obj
def orden(obj: dict, sesion: str, formato: str) -> None:
    """Genera el orden del día de la SESION, tal como se convoca, en SALIDA/SESION/."""
    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        _session(registro, sesion)
        documento = render.orden(registro, registro.sesion(sesion))
        for path in _write(obj["salida"] / sesion, f"orden-del-dia-{sesion}", documento, formato):
            click.echo(path)


@main.command(options_metavar="[OPCIONES]", short_help="Genera la minuta de una reunión de trabajo.")
@click.argument("reunion", metavar="REUNION")
@click.option("--formato", type=FORMATOS, default="ambos", show_default=True, help="Formato de salida.")
@click.pass_obj
def minuta(obj: dict, reunion: str, formato: str) -> None:
    """Genera la minuta de la REUNION de trabajo (p. ej. RT-2020-11-24) en SALIDA/REUNION/."""
    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        if reunion not in {r.id for r in registro.reuniones}:
            ids = ", ".join(r.id for r in registro.reuniones) or "ninguna"
            raise StlError(f"no hay registro de la reunión «{reunion}»; reuniones: {ids}")
        documento = render.minuta(registro, registro.reunion(reunion))
        for path in _write(obj["salida"] / reunion, f"minuta-{reunion}", documento, formato):
            click.echo(path)
