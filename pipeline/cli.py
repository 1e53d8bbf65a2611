"""The `stl` command: parses arguments, calls one stage function, prints. Nothing else lives here.

Every project error becomes a Spanish message and exit code 1 in `error_boundary`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from .errors import RulesError, StlError, error_boundary
from .files import aparte, subcarpeta, write_atomic

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
    "required": "obligatoria",
}
_CLICK_ES_PLURAL = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "¿Quiso decir {possibility}?",
        "(¿Quiso decir alguna de estas: {possibilities}?)",
    ),
}


def _ngettext(singular: str, plural: str, n: int) -> str:
    es = _CLICK_ES_PLURAL.get((singular, plural))
    if es is None:
        return singular if n == 1 else plural
    return es[0] if n == 1 else es[1]


for _module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
    _module._ = lambda message: _CLICK_ES.get(message, message)  # type: ignore[attr-defined]
    if hasattr(_module, "ngettext"):
        _module.ngettext = _ngettext  # type: ignore[attr-defined]

CONTEXT = {"help_option_names": ["-h", "--ayuda", "--help"], "max_content_width": 100}


def _carpeta(nombre: str, defecto: str, variable: str, ayuda: str):
    """A folder option of the `stl` group, also settable from the environment."""
    tipo = click.Path(file_okay=False, path_type=Path)
    return click.option(
        nombre, type=tipo, default=Path(defecto), show_default=True, envvar=variable, help=ayuda
    )


@click.group(
    context_settings=CONTEXT,
    options_metavar="[OPCIONES]",
    subcommand_metavar="COMANDO [ARGUMENTOS]...",
)
@_carpeta("--registros", "records", "STL_REGISTROS", "Carpeta de registros (stl.yaml y sesiones/).")
@_carpeta("--salida", "salida", "STL_SALIDA", "Carpeta de documentos generados (una subcarpeta por sesión).")
@_carpeta(
    "--firmas", "signatures", "STL_FIRMAS", "Carpeta de trabajo de las firmas (una subcarpeta por sesión)."
)
@_carpeta("--archivo", "archivo", "STL_ARCHIVO", "Archivo de documentos publicados (solo se agrega).")
@click.option("--verbose", is_flag=True, help="Muestra el rastreo completo de un error (para desarrollo).")
@click.version_option(package_name="actas-stl-gobierno-abierto", prog_name="stl")
@click.pass_context
def main(
    ctx: click.Context, registros: Path, salida: Path, firmas: Path, archivo: Path, verbose: bool
) -> None:
    """Actas, convocatorias y minutas del Secretariado Técnico Local de Gobierno Abierto."""
    _registro_de_bibliotecas(verbose)
    ctx.obj = {
        "registros": registros,
        "salida": salida,
        "firmas": firmas,
        "archivo": archivo,
        "verbose": verbose,
    }


def _registro_de_bibliotecas(verbose: bool) -> None:
    """What libraries log (pyHanko's tracebacks of a refused change, aiohttp's unclosed sessions) is for
    developers: shown on stderr with --verbose, never mixed with the Spanish messages otherwise."""
    import logging

    raiz = logging.getLogger()
    if verbose:
        if not any(getattr(h, "_stl", False) for h in raiz.handlers):
            manejador = logging.StreamHandler(sys.stderr)
            manejador.setFormatter(logging.Formatter("[registro] %(levelname)s %(name)s: %(message)s"))
            manejador._stl = True  # type: ignore[attr-defined]
            raiz.addHandler(manejador)
    elif not any(isinstance(h, logging.NullHandler) for h in raiz.handlers):
        raiz.addHandler(logging.NullHandler())  # no «last resort» printing of library warnings


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
    from . import membrete, records, report, rules

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        membrete.revisar(registro)  # the logos as the oficios prepare them: what they would refuse
        _session(registro, sesion)
        dictamen = rules.dictaminar(registro, sesion)
        click.echo("\n".join(report.summary(dictamen, registro)))
        if dictamen.errores:
            raise RulesError(dictamen.errores)
        if estricto and dictamen.advertencias:
            raise RulesError(dictamen.advertencias)


FORMATOS = click.Choice(["pdf", "docx", "ambos"])


class _Avance:
    """A progress bar on standard error for a command that processes many documents: the stage reports
    `avance(hechos, total)`; the bar opens at the first report, once the total is known. Off a terminal, click
    prints only the label."""

    def __init__(self, etiqueta: str) -> None:
        self.etiqueta = etiqueta
        self.barra = None

    def __call__(self, hechos: int, total: int) -> None:
        if self.barra is None:
            self.barra = click.progressbar(length=total, label=self.etiqueta, file=sys.stderr)
            self.barra.__enter__()
        self.barra.update(hechos - self.barra.pos)

    def __enter__(self) -> _Avance:
        return self

    def __exit__(self, *exc) -> None:
        if self.barra is not None:
            self.barra.__exit__(*exc)


def _analizados(obj: dict):
    """The records already parsed (`records.Analizados`), kept beside the documents made from them in a folder
    git ignores; deleting it only costs time. The command saves it once it succeeded."""
    from . import records

    return records.Analizados(Path(obj["salida"]) / ".cache")


def _imprenta(formato: str):
    """When a PDF is wanted, a second process that readies WeasyPrint while this one loads the records; to be
    entered before importing the rest of the pipeline, which that process need not wait for."""
    from . import imprenta

    return imprenta.Imprenta() if formato in ("pdf", "ambos") else contextlib.nullcontext()


@main.command(
    options_metavar="[OPCIONES]", short_help="Genera el acta de una o varias sesiones (PDF y DOCX)."
)
@click.argument("sesiones", metavar="SESION...", nargs=-1)
@click.option("--todas", is_flag=True, help="Todas las sesiones con asistencia registrada.")
@click.option("--formato", type=FORMATOS, default="ambos", show_default=True, help="Formato de salida.")
@click.pass_obj
def acta(obj: dict, sesiones: tuple[str, ...], todas: bool, formato: str) -> None:
    """Genera el acta de cada SESION en SALIDA/SESION/: PDF/A con rúbrica en cada hoja y DOCX editable.

    Junto al PDF escribe las posiciones de los bloques de firma (para la firma digital). No genera el acta
    de una sesión cuyo registro contradice las reglas de su perfil. Con una sesión, si nada cambió desde la
    última vez (registros, plantillas, perfiles, versión), no vuelve a generarla; con varias (o --todas),
    las reparte entre los núcleos de la máquina y muestra el avance.
    """
    with error_boundary(obj["verbose"]):
        if len(sesiones) == 1 and not todas:
            _acta_una(obj, sesiones[0], formato)
        else:
            _actas_varias(obj, list(sesiones), todas, formato)


def _acta_una(obj: dict, sesion: str, formato: str) -> None:
    from . import huellas, paquete

    carpeta, nombre = subcarpeta(obj["salida"], sesion), f"acta-{sesion}"
    leidos = huellas.instantanea(obj["registros"])
    huella = huellas.entradas(leidos, paquete.plantillas(), sesion, formato)
    paths = huellas.vigentes(carpeta, nombre, huella)
    if paths is None:  # something changed since the last run (or there was none): render
        with _imprenta(formato) as imprenta:
            from . import escritura, records, render, rules

            # The very bytes hashed, not the folder again.
            analizados = _analizados(obj)
            registro = records.load(obj["registros"], leidos, analizados)
            _session(registro, sesion)
            documento = render.acta(registro, rules.dictaminar(registro, sesion))
            paths = escritura.escribir(carpeta, nombre, documento, formato, imprenta)
            analizados.guardar()
            _texto_aprobado(registro, sesion, documento)
        huellas.anotar(carpeta, nombre, huella, paths)
    for path in paths:
        click.echo(path)


def _texto_aprobado(registro, sesion: str, documento) -> None:
    """Once the acta is approved, its text as generated now is what gets signed (records/aprobaciones.yaml)."""
    from . import aprobaciones, rules

    aprobacion = rules.aprobacion_del_acta(registro, sesion)
    if aprobacion is None:
        return
    if sesion in registro.aprobados:
        if cambios := aprobaciones.cambios(registro.aprobados[sesion], aprobaciones.contenido(documento)):
            click.echo(
                f"Advertencia: el acta de {sesion} ya no es el texto aprobado ({aprobacion}): cambió "
                f"{', '.join(cambios)}. No se podrá preparar para firma; una corrección es una fe de erratas.",
                err=True,
            )
        return
    if aprobaciones.congelar(registro, sesion, documento, aprobacion, _ahora()):
        click.echo(
            f"Texto aprobado del acta de {sesion} registrado en {Path(registro.raiz) / 'aprobaciones.yaml'}"
        )


def _actas_varias(obj: dict, sesiones: list[str], todas: bool, formato: str) -> None:
    from . import batch, records

    analizados = _analizados(obj)
    registro = records.load(obj["registros"], cache=analizados)
    if todas:
        sesiones = [s.id for s in registro.sesiones if s.asistencia is not None and not s.parcial]
    if not sesiones:
        raise StlError("indique al menos una SESION, o --todas")
    for sesion in sesiones:
        _session(registro, sesion)
        subcarpeta(obj["salida"], sesion)
    escritas = []
    with _Avance("Generando actas") as avance:
        for hechas, (_, paths) in enumerate(
            batch.actas(obj["registros"], sesiones, obj["salida"], formato, analizados.carpeta), start=1
        ):
            escritas += paths
            avance(hechas, len(sesiones))
    analizados.guardar()  # once every acta was written: the workers of the next batch read through it
    for path in sorted(escritas):
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
    with error_boundary(obj["verbose"]), _imprenta(formato) as imprenta:
        from . import escritura, folios, records, render

        registro = records.load(obj["registros"])
        _session(registro, sesion)
        s = registro.sesion(sesion)
        if s.convocatoria is None:
            raise StlError(
                f"{s.lugar.archivo}: la sesión {sesion} no tiene «convocatoria» (fecha y quién convoca)"
            )
        carpeta, written = subcarpeta(obj["salida"], sesion), []

        def escribir(folio: str) -> None:  # before the folio is recorded: a failure consumes none
            oficio = render.convocatoria(registro, s, folio)
            written.extend(escritura.escribir(carpeta, f"convocatoria-{sesion}", oficio, formato, imprenta))

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
    with error_boundary(obj["verbose"]), _imprenta(formato) as imprenta:
        from . import escritura, records, render

        registro = records.load(obj["registros"])
        _session(registro, sesion)
        documento = render.orden(registro, registro.sesion(sesion))
        carpeta = subcarpeta(obj["salida"], sesion)
        for path in escritura.escribir(carpeta, f"orden-del-dia-{sesion}", documento, formato, imprenta):
            click.echo(path)


@main.command(options_metavar="[OPCIONES]", short_help="Genera la minuta de una reunión de trabajo.")
@click.argument("reunion", metavar="REUNION")
@click.option("--formato", type=FORMATOS, default="ambos", show_default=True, help="Formato de salida.")
@click.pass_obj
def minuta(obj: dict, reunion: str, formato: str) -> None:
    """Genera la minuta de la REUNION de trabajo (p. ej. RT-2020-11-24) en SALIDA/REUNION/."""
    with error_boundary(obj["verbose"]), _imprenta(formato) as imprenta:
        from . import escritura, records, render

        registro = records.load(obj["registros"])
        if reunion not in {r.id for r in registro.reuniones}:
            ids = ", ".join(r.id for r in registro.reuniones) or "ninguna"
            raise StlError(f"no hay registro de la reunión «{reunion}»; reuniones: {ids}")
        documento = render.minuta(registro, registro.reunion(reunion))
        for path in escritura.escribir(
            subcarpeta(obj["salida"], reunion), f"minuta-{reunion}", documento, formato, imprenta
        ):
            click.echo(path)


@main.command(
    "fe-de-erratas", options_metavar="[OPCIONES]", short_help="Genera la fe de erratas de un acta aprobada."
)
@click.argument("sesion", metavar="SESION")
@click.option("--numero", type=click.IntRange(min=1), metavar="N", help="Solo la N-ésima (si no, todas).")
@click.option("--formato", type=FORMATOS, default="ambos", show_default=True, help="Formato de salida.")
@click.pass_obj
def fe_de_erratas(obj: dict, sesion: str, numero: int | None, formato: str) -> None:
    """Genera cada fe de erratas del acta de la SESION («fe_de_erratas» en su registro) en SALIDA/SESION/.

    Una corrección del acta ya aprobada o firmada no cambia el acta: es un documento aparte que cita el acta y
    su SHA-256 (el del archivo firmado si todos firmaron; si no, el del texto aprobado) y cada pasaje: dónde,
    qué dice y qué debe decir. Se rechaza un pasaje que el acta no dice. Se firma con
    «stl preparar-firma SESION --documento fe-de-erratas-N» y se archiva y publica junto al acta.
    """
    with error_boundary(obj["verbose"]), _imprenta(formato) as imprenta:
        from . import escritura, records, sign

        registro = records.load(obj["registros"])
        _session(registro, sesion)
        s = registro.sesion(sesion)
        if not s.fe_de_erratas:
            raise StlError(f"{s.lugar.archivo}: la sesión {sesion} no tiene «fe_de_erratas»")
        numeros = [numero] if numero else [fe.numero for fe in s.fe_de_erratas]
        documentos = [
            sign.firmable(registro, sesion, f"fe-de-erratas-{n}", obj["firmas"]).documento for n in numeros
        ]  # every one checked before anything is written
        carpeta = subcarpeta(obj["salida"], sesion)
        for n, documento in zip(numeros, documentos, strict=True):
            for path in escritura.escribir(
                carpeta, f"fe-de-erratas-{n}-{sesion}", documento, formato, imprenta
            ):
                click.echo(path)


# --- authoring -------------------------------------------------------------------------------------------------


@main.command(options_metavar="[OPCIONES]", short_help="Escribe los registros de un STL nuevo.")
@click.argument("carpeta", metavar="CARPETA", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--perfil",
    required=True,
    metavar="PERFIL",
    help="edomex, zacatecas, jalisco, o la ruta de un perfil propio (PERFIL.yaml, ver perfil.schema.json).",
)
@click.pass_obj
def init(obj: dict, carpeta: Path, perfil: str) -> None:
    """Escribe en CARPETA los registros de un Secretariado Técnico Local nuevo: stl.yaml con los lugares del
    perfil (sectores, quién preside, el Facilitador) para llenar, el registro de folios y las carpetas
    sesiones/ y reuniones/. Un perfil propio se copia a CARPETA/perfiles/ y se valida contra su esquema, así
    que otro estado no necesita código. Nunca escribe sobre una carpeta con contenido."""
    from . import authoring

    with error_boundary(obj["verbose"]):
        if carpeta.exists() and any(carpeta.iterdir()):
            raise StlError(
                f"{carpeta} ya tiene contenido: «stl init» solo escribe en una carpeta nueva o vacía"
            )
        leido, propio = _perfil_para_init(perfil)
        for rel, texto in authoring.nuevo_stl(leido, carpeta, propio).items():
            click.echo(write_atomic(carpeta, rel, texto.encode("utf-8")))
        for sub in ("sesiones", "reuniones"):
            (carpeta / sub).mkdir(parents=True, exist_ok=True)
        click.echo(
            f"Llene cada «POR LLENAR» de {carpeta / 'stl.yaml'} y revise con «stl --registros {carpeta} "
            f"validar SESION» después de «stl --registros {carpeta} nueva-sesion I-AAAA --fecha AAAA-MM-DD "
            "--hora HH:MM»."
        )


def _perfil_para_init(perfil: str):
    """A bundled profile by name, or a profile file of one's own: checked as the records would read it."""
    import tempfile

    import yaml

    from . import records

    ruta = Path(perfil)
    if not (perfil.endswith((".yaml", ".yml")) or ruta.is_file()):
        return records.load_profile(perfil), None
    if not ruta.is_file():
        raise StlError(f"no existe el archivo de perfil {ruta}")
    texto = ruta.read_text("utf-8")
    try:
        datos = yaml.safe_load(texto)
    except yaml.YAMLError as exc:
        raise StlError(f"{ruta}: no es YAML válido ({exc})") from exc
    perfil_id = datos.get("id") if isinstance(datos, dict) else None
    if not isinstance(perfil_id, str) or not perfil_id:
        raise StlError(f"{ruta}: el perfil debe decir su «id» (p. ej. «id: oaxaca»)")
    with tempfile.TemporaryDirectory() as tmp:
        destino = Path(tmp) / "perfiles" / f"{perfil_id}.yaml"
        destino.parent.mkdir()
        destino.write_text(texto, "utf-8")
        return records.load_profile(perfil_id, Path(tmp)), texto


MODALIDAD = click.Choice(["virtual", "presencial"])


def _modalidad_y_sede(comando):
    """--modalidad and --sede, the same for a session and a working meeting."""
    comando = click.option(
        "--sede",
        default="Plataforma virtual Zoom",
        show_default=True,
        metavar="TEXTO",
        help="Lugar o plataforma.",
    )(comando)
    return click.option(
        "--modalidad", type=MODALIDAD, default="virtual", show_default=True, help="Presencial o virtual."
    )(comando)


def _escribir_registro(registros: Path, agenda) -> None:
    """Write a new record only if it does not exist and the whole tree still loads with it."""
    import shutil
    import tempfile

    from . import records

    destino = Path(registros) / agenda.ruta
    if destino.exists():
        raise StlError(f"ya existe {destino}: no se sobrescribe")
    with tempfile.TemporaryDirectory() as tmp:
        prueba = Path(tmp) / "registros"
        shutil.copytree(registros, prueba)
        (prueba / agenda.ruta).write_text(agenda.texto, "utf-8")
        records.load(prueba)
    write_atomic(Path(registros), agenda.ruta, agenda.texto.encode("utf-8"))
    click.echo(destino)
    for aviso in agenda.avisos:
        click.echo(aviso)


@main.command(
    "nueva-sesion", options_metavar="[OPCIONES]", short_help="Escribe el registro de la siguiente sesión."
)
@click.argument("sesion", metavar="SESION")
@click.option(
    "--fecha",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="AAAA-MM-DD",
    help="Fecha de la sesión.",
)
@click.option(
    "--hora", required=True, type=click.DateTime(["%H:%M"]), metavar="HH:MM", help="Hora de inicio."
)
@click.option("--extraordinaria", is_flag=True, help="Sesión extraordinaria (su propia numeración y plazo).")
@_modalidad_y_sede
@click.pass_obj
def nueva_sesion(
    obj: dict, sesion: str, fecha, hora, extraordinaria: bool, modalidad: str, sede: str
) -> None:
    """Escribe records/sesiones/SESION.yaml prellenado: número y tipo, quién convoca y el orden del día del perfil
    (aprobación del acta pendiente, seguimiento de acuerdos; en Zacatecas, el orden del Art. 8). Dice el último
    día para emitir la convocatoria y nunca sobrescribe un registro."""
    from . import authoring, records

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        agenda = authoring.nueva_sesion(
            registro, sesion, fecha.date(), hora.time(), extraordinaria, modalidad, sede
        )
        _escribir_registro(obj["registros"], agenda)


@main.command(
    "nueva-reunion", options_metavar="[OPCIONES]", short_help="Escribe el registro de una reunión de trabajo."
)
@click.option(
    "--fecha", required=True, type=click.DateTime(["%Y-%m-%d"]), metavar="AAAA-MM-DD", help="Fecha."
)
@click.option(
    "--hora", required=True, type=click.DateTime(["%H:%M"]), metavar="HH:MM", help="Hora de inicio."
)
@click.option("--asunto", required=True, metavar="TEXTO", help="Para qué se reúnen.")
@_modalidad_y_sede
@click.pass_obj
def nueva_reunion(obj: dict, fecha, hora, asunto: str, modalidad: str, sede: str) -> None:
    """Escribe records/reuniones/RT-AAAA-MM-DD.yaml con el padrón como asistencia, para completar y generar la minuta."""
    from . import authoring, records

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        _escribir_registro(
            obj["registros"],
            authoring.nueva_reunion(registro, fecha.date(), hora.time(), modalidad, sede, asunto),
        )


@main.command(options_metavar="[OPCIONES]", short_help="Sesiones, plazos y pendientes del STL.")
@click.option("--anio", type=int, metavar="AAAA", help="Solo las sesiones de ese año.")
@click.pass_obj
def calendario(obj: dict, anio: int | None) -> None:
    """Sesiones celebradas y programadas, si se cumple la frecuencia mínima del perfil, la fecha límite de la próxima
    sesión, actas por aprobar o por firmar e integrantes cerca del límite de ausencias consecutivas."""
    from . import authoring, records
    from .bitacora import leer_bitacora

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        firmadas = set()
        for sesion in registro.sesiones:
            try:
                bitacora = leer_bitacora(obj["firmas"] / sesion.id)
            except StlError:
                continue
            if len(bitacora.firmados) == len(bitacora.esperados):
                firmadas.add(sesion.id)
        hoy = _ahora().astimezone().date()
        click.echo("\n".join(authoring.calendario(registro, hoy, anio, frozenset(firmadas))))


@main.command(
    "vista-previa", options_metavar="[OPCIONES]", short_help="Muestra el acta o minuta mientras se escribe."
)
@click.argument("objetivo", metavar="SESION|REUNION")
@click.option("--puerto", type=int, default=8765, show_default=True, metavar="N", help="Puerto en 127.0.0.1.")
@click.option("--pdf", is_flag=True, help="Muestra las páginas del PDF como imágenes.")
@click.pass_obj
def vista_previa(obj: dict, objetivo: str, puerto: int, pdf: bool) -> None:
    """Sirve en http://127.0.0.1:PUERTO/ el acta de SESION o la minuta de REUNION y la recarga en el navegador cada
    vez que cambia un registro o una plantilla; si el registro tiene errores, los muestra en la página. No escribe
    nada en la carpeta de salida. Ctrl+C para terminar."""
    from . import preview

    with error_boundary(obj["verbose"]):
        server = preview.servir(preview.Vista(obj["registros"], objetivo, pdf), puerto)
        click.echo(f"Vista previa en http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C para terminar)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


# --- archive and site ----------------------------------------------------------------------------------------


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
    from . import archive, records

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        nuevas = archive.archivar(
            registro, objetivo, obj["firmas"], obj["archivo"], _ahora(), sin_firma, correccion
        )
        for e in nuevas:
            estado = "firmado" if e.firmado else "SIN FIRMA"
            click.echo(f"{obj['archivo'] / e.nombre} ({estado}, SHA-256 {e.sha256})")
            for aviso in e.avisos:
                click.echo(f"  Aviso (anotado en el manifiesto): {aviso}")
        if not nuevas:
            click.echo(f"Nada nuevo: los documentos de {objetivo} ya están archivados.")


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
    from . import archive, records

    with error_boundary(obj["verbose"]):
        nuevas = archive.renovar(records.load(obj["registros"]), obj["archivo"], _ahora(), objetivo, dias)
        for e in nuevas:
            click.echo(
                f"{obj['archivo'] / e.nombre} (sello de tiempo renovado; su certificado vence el {e.renovar_antes[:10]})"
            )
        if not nuevas:
            click.echo(f"Ningún sello de tiempo de archivo vence dentro de {dias} días: nada que renovar.")


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
    from . import publish, records

    with error_boundary(obj["verbose"]):
        carpetas = {k: obj[k] for k in ("registros", "archivo", "firmas", "salida")}
        aparte(sitio, "la carpeta del sitio", {f"la carpeta de {k}": v for k, v in carpetas.items()})
        analizados = _analizados(obj)
        registro = records.load(obj["registros"], cache=analizados)
        with _Avance("Publicando el sitio") as avance:
            resultado = publish.publicar(registro, obj["archivo"], sitio, not sin_busqueda, avance)
        analizados.guardar()
        click.echo(
            f"Sitio en {sitio}/: {len(resultado.paginas)} páginas generadas, {resultado.omitidas} sin cambios, "
            f"{resultado.documentos} documentos nuevos."
        )


@main.command(options_metavar="[OPCIONES]", short_help="Acuerdos con responsable, fecha límite y estado.")
@click.option("--pendientes", is_flag=True, help="Solo los pendientes y en proceso.")
@click.pass_obj
def acuerdos(obj: dict, pendientes: bool) -> None:
    """Lista cada acuerdo con su responsable, fecha límite y estado (pendiente, en proceso, cumplido, cancelado),
    según records/seguimiento.yaml."""
    from . import records, report

    with error_boundary(obj["verbose"]):
        click.echo("\n".join(report.acuerdos(records.load(obj["registros"]), pendientes)))


@main.command(options_metavar="[OPCIONES]", short_help="Historial de asistencia de cada integrante.")
@click.pass_obj
def asistencia(obj: dict) -> None:
    """Por cada titular, las sesiones a las que asistió (o en que lo suplieron) y las que faltó."""
    from . import records, report

    with error_boundary(obj["verbose"]):
        click.echo("\n".join(report.asistencia(records.load(obj["registros"]))))


# --- signatures ------------------------------------------------------------------------------------------------


def credential_options(function):
    """--p12 | --cer + --key | --pkcs11-lib + --token: the medium a member signs with."""
    options = [
        click.option(
            "--p12",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Archivo PKCS#12 (.p12, .pfx).",
        ),
        click.option(
            "--cer",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="e.firma del SAT: certificado (.cer).",
        ),
        click.option(
            "--key",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="e.firma del SAT: llave privada (.key).",
        ),
        click.option(
            "--pkcs11-lib", metavar="RUTA", help="Token PKCS#11: ruta de la biblioteca del fabricante (.so)."
        ),
        click.option("--token", metavar="ETIQUETA", help="Token PKCS#11: etiqueta del token."),
        click.option(
            "--llave", metavar="ETIQUETA", help="Token PKCS#11: etiqueta de la llave privada (si hay varias)."
        ),
        click.option(
            "--certificado-token",
            metavar="ETIQUETA",
            help="Token PKCS#11: etiqueta del certificado (si no, la de --llave).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _secreto(variable: str, pregunta: str) -> str:
    """A password or PIN: from the environment or a hidden prompt, never from an argument."""
    return os.environ.get(variable) or click.prompt(pregunta, hide_input=True)


@contextlib.contextmanager
def _credencial(p12, cer, key, pkcs11_lib, token, llave, certificado_token):
    from . import sign

    medios = [bool(p12), bool(cer or key), bool(pkcs11_lib or token)]
    if sum(medios) != 1:
        raise StlError(
            "indique un solo medio de firma: --p12, o --cer y --key (e.firma), o --pkcs11-lib y --token"
        )
    if p12:
        yield sign.credencial_p12(p12, _secreto("STL_CONTRASENA", "Contraseña del archivo PKCS#12"))
    elif cer or key:
        if not (cer and key):
            raise StlError(
                "la e.firma necesita los dos archivos: --cer (certificado) y --key (llave privada)"
            )
        yield sign.credencial_efirma(
            cer, key, _secreto("STL_CONTRASENA", "Contraseña de la llave privada (.key)")
        )
    else:
        if not (pkcs11_lib and token):
            raise StlError("un token PKCS#11 necesita --pkcs11-lib y --token")
        pin = _secreto("STL_PIN", "PIN del token")
        with sign.credencial_pkcs11(pkcs11_lib, token, pin, llave, certificado_token) as cred:
            yield cred


def _ahora() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@main.command(
    "registrar-certificado",
    options_metavar="[OPCIONES]",
    short_help="Registra el certificado de un integrante.",
)
@click.argument("integrante", metavar="INTEGRANTE")
@click.argument(
    "certificado", metavar="ARCHIVO", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.pass_obj
def registrar_certificado(obj: dict, integrante: str, certificado: Path) -> None:
    """Registra en certificados.yaml (en la carpeta de registros) el certificado (.cer DER o PEM) con que firma
    el INTEGRANTE, p. ej. el .cer de su e.firma del SAT.

    Antes comprueba que esté vigente y que lleve a las raíces de confianza de stl.yaml (firma.raices), como al
    firmar. Muestra titular, RFC (enmascarado), número de certificado y vigencia. Solo con ese certificado se
    acepta su firma. Se guarda la huella SHA-256, nunca la llave privada.
    """
    from . import records, report, sign

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        datos = sign.registrar_certificado(
            Path(obj["registros"]), registro, integrante, certificado, _ahora()
        )
        click.echo(
            "\n".join(report.certificado_registrado(registro.stl.integrante(integrante).nombre, datos))
        )


_DOCUMENTO = click.option(
    "--documento",
    metavar="DOCUMENTO",
    help="Qué documento: «convocatoria» (el oficio), «fe-de-erratas-N»; si no, el acta de la sesión (la minuta, "
    "en los perfiles cuyo registro de sesión es una minuta) o la minuta de la reunión de trabajo RT-….",
)


def _documento_valido(documento: str | None) -> None:
    if documento is not None and not re.fullmatch(
        r"acta|minuta|convocatoria|fe-de-erratas-[1-9][0-9]{0,2}", documento
    ):
        raise StlError(
            f"documento desconocido «{documento}»: se firman «acta» (o «minuta»), «convocatoria» y «fe-de-erratas-N»"
        )


def _objetivo(registro, objetivo: str, documento: str | None) -> str:
    """The document meant, after checking the session or working meeting exists."""
    from .bitacora import clase_de

    _documento_valido(documento)
    if objetivo.startswith("RT-"):
        if objetivo not in {r.id for r in registro.reuniones}:
            ids = ", ".join(r.id for r in registro.reuniones) or "ninguna"
            raise StlError(f"no hay registro de la reunión «{objetivo}»; reuniones: {ids}")
    else:
        _session(registro, objetivo)
    return clase_de(objetivo, documento, registro.perfil.documento)


def _espacio(obj: dict, objetivo: str, clase: str) -> Path:
    """The document's signature workspace: the session's folder for its own document, a subfolder otherwise."""
    from .bitacora import PROPIOS

    carpeta = subcarpeta(obj["firmas"], objetivo)
    return carpeta if clase in PROPIOS else subcarpeta(carpeta, clase)


@main.command("preparar-firma", options_metavar="[OPCIONES]", short_help="Prepara un documento para firma.")
@click.argument("objetivo", metavar="SESION|REUNION")
@_DOCUMENTO
@credential_options
@click.pass_obj
def preparar_firma(obj: dict, objetivo: str, documento: str | None, **medio) -> None:
    """Prepara para firma el acta aprobada de la SESION, la minuta de la REUNION (RT-…), el oficio de
    convocatoria (--documento convocatoria) o una fe de erratas (--documento fe-de-erratas-N): un campo de
    firma por firmante y la firma de certificación.

    El acta debe tener su aprobación registrada (un acuerdo de una sesión posterior o «aprobacion» en su
    registro) y ser el texto aprobado: la primera vez se registra su SHA-256 en aprobaciones.yaml; si después
    cambia, se rechaza nombrando las secciones que cambiaron (una corrección es una fe de erratas). Con la
    dirección del sitio en stl.yaml (sitio.url), cada página lleva el código de verificación y el código QR a su
    página pública. Quien prepara (normalmente el Facilitador) certifica el documento con su credencial: después
    solo se permite llenar campos y firmar.
    """
    from . import records, sign

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        clase = _objetivo(registro, objetivo, documento)
        workspace = _espacio(obj, objetivo, clase)
        with _credencial(**medio) as cred:
            bitacora = sign.preparar(registro, objetivo, workspace, cred, _ahora(), clase, obj["firmas"])
        click.echo(workspace / bitacora.actual.archivo)
        click.echo(f"Firmantes esperados: {', '.join(e.nombre for e in bitacora.esperados)}")
        if bitacora.codigo:
            click.echo(f"Código de verificación impreso en cada página: {bitacora.codigo}")
        if bitacora.actual.firmante:  # the preparer is a signatory: the certification is their signature
            quien = bitacora.esperado(bitacora.actual.firmante).nombre
            click.echo(
                f"La certificación es la firma de {quien} (su certificado registrado): no firma otra vez."
            )
        _siguiente(workspace)


@main.command(
    options_metavar="[OPCIONES]", short_help="Firma un documento con la credencial de un integrante."
)
@click.argument("objetivo", metavar="SESION|REUNION|ARCHIVO.pdf")
@click.option("--firmante", required=True, metavar="ID", help="Id del integrante que firma.")
@_DOCUMENTO
@click.option(
    "--tsa",
    envvar="STL_TSA",
    metavar="URL",
    help="Sello de tiempo (solo al firmar un archivo fuera de los registros).",
)
@click.option(
    "--salida-firmada",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Copia firmada (al firmar un archivo).",
)
@credential_options
@click.pass_obj
def firmar(
    obj: dict,
    objetivo: str,
    firmante: str,
    documento: str | None,
    tsa: str | None,
    salida_firmada: Path | None,
    **medio,
) -> None:
    """Firma la versión actual del acta de SESION (o de otro documento, con --documento), de la minuta de la
    REUNION, o una copia ARCHIVO.pdf en la máquina de quien firma.

    La contraseña o el PIN se piden en pantalla o se toman de STL_CONTRASENA / STL_PIN, nunca de un argumento.
    Se rechaza a quien no firma el documento (no asistió; en un oficio, quien no lo emite), un certificado
    distinto del registrado, caducado o revocado, y una segunda firma de la misma persona. Cada firma es un
    archivo nuevo: ningún PDF firmado se sobrescribe.
    """
    from . import records, sign
    from .bitacora import leer_bitacora

    with error_boundary(obj["verbose"]):
        if objetivo.lower().endswith(".pdf"):
            origen = Path(objetivo)
            destino = salida_firmada or origen.with_name(f"{origen.stem}.firmado-{firmante}.pdf")
            with _credencial(**medio) as cred:
                click.echo(sign.firmar_archivo(origen, firmante, cred, tsa, destino))
            return
        registro = records.load(obj["registros"])
        clase = _objetivo(registro, objetivo, documento)
        workspace = _espacio(obj, objetivo, clase)
        # The version seen before the password prompt: if another member signs meanwhile, this is refused as
        # stale instead of silently signing a version the member did not see.
        vista = leer_bitacora(workspace, clase).actual.numero
        with _credencial(**medio) as cred:
            version = sign.firmar(registro, workspace, firmante, cred, _ahora(), version_esperada=vista)
        click.echo(workspace / version.archivo)
        _siguiente(workspace)


def _siguiente(workspace: Path) -> None:
    """Who signs next (each signature covers the previous ones: one member at a time), or that all signed."""
    from .bitacora import PROPIOS, concuerda, leer_bitacora

    bitacora = leer_bitacora(workspace)
    siguiente = bitacora.siguiente
    if siguiente is None:
        click.echo(
            f"Firmaron todos: {bitacora.nombre} de {bitacora.sesion} está {concuerda(bitacora.clase, 'complet')}. "
            f"Verifíquel{concuerda(bitacora.clase, '')}: «stl verificar {bitacora.sesion}»."
        )
        return
    faltan = len(bitacora.esperados) - len(bitacora.firmados)
    envio = (
        f" «stl enviar firma {bitacora.sesion}» le envía la versión actual con el enlace a la página de firma."
        if bitacora.clase in PROPIOS and not bitacora.sesion.startswith("RT-")
        else ""
    )
    click.echo(
        f"Sigue: {siguiente.nombre} ({siguiente.id}); faltan {faltan} de {len(bitacora.esperados)}.{envio}"
    )


@main.command(options_metavar="[OPCIONES]", short_help="Incorpora una copia firmada en otra máquina.")
@click.argument("objetivo", metavar="SESION|REUNION")
@click.argument(
    "archivo", metavar="ARCHIVO.pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@_DOCUMENTO
@click.pass_obj
def incorporar(obj: dict, objetivo: str, archivo: Path, documento: str | None) -> None:
    """Acepta ARCHIVO.pdf solo si es la versión actual del documento más exactamente la firma de un integrante."""
    from . import records, sign

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        clase = _objetivo(registro, objetivo, documento)
        workspace = _espacio(obj, objetivo, clase)
        version, avisos = sign.incorporar(registro, workspace, archivo, _ahora())
        click.echo(workspace / version.archivo)
        for aviso in avisos:
            click.echo(
                f"Aviso: {aviso}. Para conservar el PDF/A, el integrante puede firmar con «stl firmar»."
            )
        _siguiente(workspace)


@main.command(options_metavar="[OPCIONES]", short_help="Quién ha firmado un documento y quién falta.")
@click.argument("objetivo", metavar="SESION|REUNION")
@_DOCUMENTO
@click.pass_obj
def estado(obj: dict, objetivo: str, documento: str | None) -> None:
    """Muestra quién firmó el acta de la SESION (o la minuta de la REUNION, u otro documento con --documento),
    cuándo y con qué certificado, y quién falta."""
    from . import records, report, spanish
    from .bitacora import clase_de, espacio, leer_bitacora

    with error_boundary(obj["verbose"]):
        _documento_valido(documento)
        propio, zona = "acta", spanish.ZONA_HORARIA
        if (Path(obj["registros"]) / "stl.yaml").is_file():
            registro = records.load(obj["registros"])
            zona = registro.stl.zona_horaria  # the signatures' times in local time
            if documento is None and not objetivo.startswith("RT-"):
                propio = registro.perfil.documento
        clase = clase_de(objetivo, documento, propio)
        bitacora = leer_bitacora(espacio(obj["firmas"], objetivo, clase), clase)
        click.echo("\n".join(report.estado_firmas(bitacora, zona)))


@main.command(options_metavar="[OPCIONES]", short_help="Verifica las firmas de un documento.")
@click.argument("objetivo", metavar="SESION|REUNION|ARCHIVO.pdf")
@_DOCUMENTO
@click.option("--json", "como_json", is_flag=True, help="Informe en JSON.")
@click.option(
    "--raiz",
    "raices",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Certificado raíz de confianza (si no, los de stl.yaml).",
)
@click.pass_obj
def verificar(
    obj: dict, objetivo: str, documento: str | None, como_json: bool, raices: tuple[Path, ...]
) -> None:
    """Verifica cada firma (integridad, cadena de confianza, revocación, sello de tiempo, cambios posteriores)
    y que cada firmante esperado firme exactamente una vez. Revisa todas antes de fallar (salida ≠ 0)."""
    from . import report, verify

    with error_boundary(obj["verbose"]):
        informe = verify.verificar_objetivo(
            Path(obj["registros"]), obj["firmas"], objetivo, raices, documento
        )
        if como_json:
            click.echo(json.dumps(informe.como_dict(), ensure_ascii=False, indent=2))
        else:
            click.echo("\n".join(report.verificacion(informe)))
        if not informe.ok:
            raise StlError("la verificación falló: " + "; ".join(informe.todos))


# --- distribution by e-mail ------------------------------------------------------------------------------------


@main.group(
    options_metavar="[OPCIONES]",
    subcommand_metavar="COMANDO [ARGUMENTOS]...",
    short_help="Envía por correo la convocatoria, el borrador, el acta o el acta para firma.",
)
def enviar() -> None:
    """Envía por correo la convocatoria de una sesión (el oficio firmado, si quien convoca lo firmó), el
    borrador del acta para las observaciones de quienes asistieron, el acta firmada a cada integrante, o el acta a
    quien sigue en firmarla, con el enlace a la página de firma.

    En la terminal muestra el avance, mensaje por mensaje. El servidor se configura en la sección «correo» de
    stl.yaml; la contraseña se toma solo de la variable
    STL_SMTP_CONTRASENA. Cada mensaje aceptado se anota en records/envios.yaml (con el id del integrante, nunca
    su dirección): al repetir el comando no se envía nada dos veces y, tras una falla, solo lo que faltó.
    """


def _informe(informe) -> None:
    """Print what a run of `stl enviar` did; fail (exit 1) after printing if some message was refused."""
    for e in informe.entregados:
        m = e.mensaje
        quien = f"{m.integrante.nombre} ({m.integrante.id})"
        if informe.simulado:
            click.echo(f"Para {quien}, sin enviar (simulación): {e.eml}")
        else:
            click.echo(f"Enviado a {quien}: {e.message_id}")
        click.echo(f"  Asunto: {m.asunto}")
        click.echo(f"  Adjuntos: {', '.join(a.nombre for a in m.adjuntos)}")
    for path in informe.documentos:
        click.echo(path)
    for aviso in informe.advertencias:
        click.echo(f"Advertencia: {aviso}", err=True)
    n = len(informe.entregados)
    verbo = "se escribieron" if informe.simulado else "se enviaron"
    click.echo(f"{verbo.capitalize()} {n} mensaje(s); {informe.ya_enviados} ya se habían enviado antes.")
    if informe.simulado:
        click.echo("Simulación: no se conectó con ningún servidor ni se anotó nada en el registro de envíos.")
    if informe.fallas:
        raise StlError(
            f"no se pudieron enviar {len(informe.fallas)} mensaje(s); vuelva a ejecutar el comando para enviar "
            "solo los que faltan:\n" + "\n".join(f"  - {f}" for f in informe.fallas)
        )


def _entrega(simular: bool, avance: _Avance):
    from . import distribute  # here, not at the top: other commands need not load e-mail and iCalendar

    return distribute.Entrega(
        simular=simular, contrasena=os.environ.get("STL_SMTP_CONTRASENA"), avance=avance
    )


_SIMULAR = click.option(
    "--simular",
    is_flag=True,
    help="No envía: escribe cada mensaje como archivo .eml en SALIDA/SESION/correo/ (sin conectarse ni anotar).",
)


@enviar.command(
    "convocatoria", options_metavar="[OPCIONES]", short_help="Envía la convocatoria de una sesión."
)
@click.argument("sesion", metavar="SESION")
@_SIMULAR
@click.pass_obj
def enviar_convocatoria(obj: dict, sesion: str, simular: bool) -> None:
    """Envía la convocatoria de la SESION a cada destinatario que señala el perfil, con el oficio y el orden
    del día adjuntos y una invitación de calendario.

    Si la fecha, la hora o el lugar cambiaron desde el último envío, envía una actualización de la invitación a
    todos; si la sesión tiene «cancelada», envía la cancelación (en Zacatecas, con al menos 24 horas de
    anticipación, Art. 7.4: si no, lo advierte). Quien no tiene correo registrado se señala con una advertencia.
    """
    from . import distribute, records

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        _session(registro, sesion)
        with _Avance("Enviando la convocatoria") as avance:
            informe = distribute.enviar_convocatoria(
                registro, sesion, obj["salida"], _ahora(), _entrega(simular, avance), obj["firmas"]
            )
        _informe(informe)


@enviar.command(
    "borrador", options_metavar="[OPCIONES]", short_help="Envía el borrador del acta para observaciones."
)
@click.argument("sesion", metavar="SESION")
@_SIMULAR
@click.pass_obj
def enviar_borrador(obj: dict, sesion: str, simular: bool) -> None:
    """Envía a quienes asistieron a la SESION el borrador de su acta (marcado «BORRADOR» en cada página),
    para que hagan llegar sus observaciones antes de aprobarla.

    Las observaciones se anotan en el registro de la sesión («observaciones»: integrante, fecha, texto,
    aceptada y, si no se tomó, motivo); en los perfiles cuya práctica lo hace, el acuerdo que aprueba el acta
    las menciona. Un borrador nuevo (tras corregir) se envía otra vez; el mismo, no. Se niega si el acta ya está
    aprobada: entonces una corrección es una fe de erratas.
    """
    from . import distribute, records

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        _session(registro, sesion)
        with _Avance("Enviando el borrador") as avance:
            informe = distribute.enviar_borrador(
                registro, sesion, obj["salida"], _ahora(), _entrega(simular, avance)
            )
        _informe(informe)


@enviar.command(
    "firma",
    options_metavar="[OPCIONES]",
    short_help="Envía el acta a quien sigue en firmarla, con el enlace.",
)
@click.argument("sesion", metavar="SESION")
@_SIMULAR
@click.pass_obj
def enviar_firma(obj: dict, sesion: str, simular: bool) -> None:
    """Envía la versión actual del acta de la SESION al siguiente integrante que no la ha firmado, con el enlace
    a la página de firma del sitio (sitio/firmar/) e instrucciones breves.

    Se firma de uno en uno: después de cada «stl incorporar», vuelva a ejecutarlo para el siguiente. La misma
    versión no se envía dos veces a la misma persona.
    """
    from . import distribute, records

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        _session(registro, sesion)
        with _Avance("Enviando el acta para firma") as avance:
            informe = distribute.enviar_firma(
                registro, sesion, obj["salida"], obj["firmas"], _ahora(), _entrega(simular, avance)
            )
        _informe(informe)


@enviar.command("acta", options_metavar="[OPCIONES]", short_help="Envía el acta firmada a cada integrante.")
@click.argument("sesion", metavar="SESION")
@click.option(
    "--sin-firma",
    is_flag=True,
    help="Si el acta aún no tiene todas las firmas, envía el acta sin firmar (el mensaje lo dice).",
)
@_SIMULAR
@click.pass_obj
def enviar_acta(obj: dict, sesion: str, sin_firma: bool, simular: bool) -> None:
    """Envía a cada integrante del STL una copia del acta de la SESION: la versión actual de FIRMAS/SESION/,
    firmada por todos los que deben firmarla (000 Cap. VI.8; 001 Art. 7.6; 002 V.8).

    Se niega a enviar un acta sin todas sus firmas, salvo con --sin-firma.
    """
    from . import distribute, records

    with error_boundary(obj["verbose"]):
        registro = records.load(obj["registros"])
        _session(registro, sesion)
        with _Avance("Enviando el acta") as avance:
            informe = distribute.enviar_acta(
                registro, sesion, obj["salida"], obj["firmas"], _ahora(), _entrega(simular, avance), sin_firma
            )
        _informe(informe)
