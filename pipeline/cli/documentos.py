"""`stl validar`, `acta`, `convocatoria`, `orden`, `minuta`, `fe-de-erratas`: each parses, calls one operation
and prints its result."""

from __future__ import annotations

import click

from .. import operations
from ..errors import RulesError, error_boundary
from .raiz import main
from .runtime import FORMATOS, POSITIVO, Avance, ahora, carpetas, mostrar

_FORMATO = click.option(
    "--formato", type=FORMATOS, default="ambos", show_default=True, help="Formato de salida."
)


@main.command(options_metavar="[OPCIONES]", short_help="Valida una sesión y muestra su resumen.")
@click.argument("sesion", metavar="SESION")
@click.option("--estricto", is_flag=True, help="Trata las advertencias como errores (salida distinta de 0).")
@click.pass_obj
def validar(obj: dict, sesion: str, estricto: bool) -> None:
    """Valida los registros y la SESION (p. ej. IV-2020) contra el perfil de gobernanza.

    Muestra asistencia y calidad de cada asistente, quórum con su razón, cada acuerdo con su resultado,
    los días hábiles de anticipación de la convocatoria y las advertencias (una sesión en día inhábil, con el
    día y por qué); o cada error con archivo,
    línea y campo, de todos los registros (los demás comandos solo exigen válidos los que usan).
    """
    from .. import report

    with error_boundary(obj["verbose"]):
        registro, dictamen = operations.validar(carpetas(obj), sesion).datos
        click.echo("\n".join(report.summary(dictamen, registro)))
        if dictamen.errores:
            raise RulesError(dictamen.errores)
        if estricto and dictamen.advertencias:
            raise RulesError(dictamen.advertencias)


@main.command(
    options_metavar="[OPCIONES]", short_help="Genera el acta de una o varias sesiones (PDF y DOCX)."
)
@click.argument("sesiones", metavar="SESION...", nargs=-1)
@click.option("--todas", is_flag=True, help="Todas las sesiones con asistencia registrada.")
@_FORMATO
@click.pass_obj
def acta(obj: dict, sesiones: tuple[str, ...], todas: bool, formato: str) -> None:
    """Genera el acta de cada SESION en SALIDA/SESION/: PDF/A con rúbrica en cada hoja y DOCX editable.

    Junto al PDF escribe las posiciones de los bloques de firma (para la firma digital). No genera el acta
    de una sesión cuyo registro contradice las reglas de su perfil. Si nada cambió desde la última vez
    (registros, plantillas, perfiles, versión), no vuelve a generarla; con varias (o --todas), las reparte
    entre los núcleos de la máquina y muestra el avance. Un acta aprobada se compara siempre con su texto
    aprobado (aprobaciones.yaml): si el registro cambió, lo advierte.
    """
    with error_boundary(obj["verbose"]), Avance("Generando actas") as avance:
        resultado = operations.actas(carpetas(obj), list(sesiones), todas, formato, ahora(), avance)
    mostrar(resultado)


@main.command(options_metavar="[OPCIONES]", short_help="Emite el oficio de convocatoria con su folio.")
@click.argument("sesion", metavar="SESION")
@_FORMATO
@click.pass_obj
def convocatoria(obj: dict, sesion: str, formato: str) -> None:
    """Emite el oficio de convocatoria a la SESION, con el orden del día anexo, en SALIDA/SESION/.

    El folio (STL/00N/AAAA) se toma del registro de folios (folios.yaml): el que ya tenga la sesión o el
    siguiente del año, que se anota al emitir. Rechaza la convocatoria que no da los días hábiles de
    anticipación que exige el perfil (las extraordinarias tienen su propio plazo): entonces no escribe nada
    ni usa folio.
    """
    with error_boundary(obj["verbose"]):
        mostrar(operations.convocatoria(carpetas(obj), sesion, formato))


@main.command(options_metavar="[OPCIONES]", short_help="Genera el orden del día de una sesión.")
@click.argument("sesion", metavar="SESION")
@_FORMATO
@click.pass_obj
def orden(obj: dict, sesion: str, formato: str) -> None:
    """Genera el orden del día de la SESION, tal como se convoca, en SALIDA/SESION/."""
    with error_boundary(obj["verbose"]):
        mostrar(operations.orden(carpetas(obj), sesion, formato))


@main.command(options_metavar="[OPCIONES]", short_help="Genera la minuta de una reunión de trabajo.")
@click.argument("reunion", metavar="REUNION")
@_FORMATO
@click.pass_obj
def minuta(obj: dict, reunion: str, formato: str) -> None:
    """Genera la minuta de la REUNION de trabajo (p. ej. RT-2020-11-24) en SALIDA/REUNION/."""
    with error_boundary(obj["verbose"]):
        mostrar(operations.minuta(carpetas(obj), reunion, formato))


@main.command(
    "fe-de-erratas", options_metavar="[OPCIONES]", short_help="Genera la fe de erratas de un acta aprobada."
)
@click.argument("sesion", metavar="SESION")
@click.option("--numero", type=POSITIVO, metavar="N", help="Solo la N-ésima (si no, todas).")
@_FORMATO
@click.pass_obj
def fe_de_erratas(obj: dict, sesion: str, numero: int | None, formato: str) -> None:
    """Genera cada fe de erratas del acta de la SESION («fe_de_erratas» en su registro) en SALIDA/SESION/.

    Una corrección del acta ya aprobada o firmada no cambia el acta: es un documento aparte que cita el acta y
    su SHA-256 (el del archivo firmado si todos firmaron; si no, el del texto aprobado) y cada pasaje: dónde,
    qué dice y qué debe decir. Se rechaza un pasaje que el acta no dice. Se firma con
    «stl preparar-firma SESION --documento fe-de-erratas-N» y se archiva y publica junto al acta.
    """
    with error_boundary(obj["verbose"]):
        mostrar(operations.fe_de_erratas(carpetas(obj), sesion, numero, formato))
