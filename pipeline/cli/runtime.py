"""What every command of `stl` shares: click in Spanish, the option types, the folders, printing a result, the
progress bar, the clock and the signing credential. Errors become messages in `errors.error_boundary`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from pathlib import Path

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from ..errors import StlError
from ..operations import Carpetas, Resultado

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
    "Option {name!r} requires an argument.": "La opción {name!r} necesita un valor.",
    "Got unexpected extra argument ({args})": "Sobra un argumento ({args})",
    "{name} {filename!r} does not exist.": "{name} {filename!r} no existe.",
    "{name} {filename!r} is a file.": "{name} {filename!r} es un archivo.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} es una carpeta.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} no se puede leer.",
    "{value!r} is not a valid {number_type}.": "«{value}» no es un número.",
    "{value} is not in the range {range}.": "{value} está fuera del intervalo permitido ({range}).",
    "integer": "entero",
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
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "«{value}» no es {choice}.",
        "«{value}» no es ninguno de estos: {choices}.",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Sobra un argumento ({args})",
        "Sobran argumentos ({args})",
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


class _Momento(click.ParamType):
    """A date (AAAA-MM-DD) or a time (HH:MM) typed on the command line, refused in Spanish with an example."""

    def __init__(self, formato: str, nombre: str, ejemplo: str) -> None:
        self.formato, self.name, self.ejemplo = formato, nombre, ejemplo

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date | dt.time):
            return value
        try:
            momento = dt.datetime.strptime(value, self.formato)
        except ValueError:
            self.fail(f"«{value}» no es {self.name} en la forma {self.ejemplo}", param, ctx)
        return momento.date() if self.name == "una fecha" else momento.time()


FECHA = _Momento("%Y-%m-%d", "una fecha", "AAAA-MM-DD (p. ej. 2027-01-15)")
HORA = _Momento("%H:%M", "una hora", "HH:MM de 24 horas (p. ej. 10:30)")
FORMATOS = click.Choice(["pdf", "docx", "ambos"])


class _Positivo(click.ParamType):
    """A whole number from 1 on (the N-th of something), refused in Spanish."""

    name = "número"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and value >= 1:
            return value
        if isinstance(value, str) and value.isdigit() and int(value) >= 1:
            return int(value)
        self.fail(f"«{value}» no es válido: debe ser un número entero de 1 en adelante", param, ctx)


POSITIVO = _Positivo()


def carpeta_opcion(nombre: str, defecto: str | None, variable: str, ayuda: str):
    """A folder option of the `stl` group, also settable from the environment."""
    tipo = click.Path(file_okay=False, path_type=Path)
    return click.option(
        nombre, type=tipo, default=defecto, show_default=defecto is not None, envvar=variable, help=ayuda
    )


def carpetas(obj: dict) -> Carpetas:
    return obj["carpetas"]


def ahora() -> dt.datetime:
    """The clock, read only here: operations take "now" as a value."""
    return dt.datetime.now(dt.UTC)


def mostrar(resultado: Resultado) -> None:
    """A command's result: its lines (or the paths it wrote), then its warnings on standard error."""
    for linea in resultado.lineas or [str(p) for p in resultado.paths]:
        click.echo(linea)
    for aviso in resultado.avisos:
        click.echo(f"Advertencia: {aviso}", err=True)


class Avance:
    """A progress bar on standard error for a command that processes many documents: the operation reports
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

    def __enter__(self) -> Avance:
        return self

    def __exit__(self, *exc) -> None:
        if self.barra is not None:
            self.barra.__exit__(*exc)


# --- the signing credential ------------------------------------------------------------------------------------


def credential_options(function):
    """--p12 | --cer + --key | --pkcs11-lib + --token: the medium a member signs with."""
    archivo = click.Path(exists=True, dir_okay=False, path_type=Path)
    options = [
        click.option("--p12", type=archivo, help="Archivo PKCS#12 (.p12, .pfx)."),
        click.option("--cer", type=archivo, help="e.firma del SAT: certificado (.cer)."),
        click.option("--key", type=archivo, help="e.firma del SAT: llave privada (.key)."),
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


def credencial(p12=None, cer=None, key=None, pkcs11_lib=None, token=None, llave=None, certificado_token=None):
    """The credential the options name, checked now and opened (asking for its password) only when the operation
    needs it: `credencial(**opciones)()` is a context manager."""
    medios = [bool(p12), bool(cer or key), bool(pkcs11_lib or token)]
    if sum(medios) != 1:
        raise StlError(
            "indique un solo medio de firma: --p12, o --cer y --key (e.firma), o --pkcs11-lib y --token"
        )
    if (cer or key) and not (cer and key):
        raise StlError("la e.firma necesita los dos archivos: --cer (certificado) y --key (llave privada)")
    if (pkcs11_lib or token) and not (pkcs11_lib and token):
        raise StlError("un token PKCS#11 necesita --pkcs11-lib y --token")

    @contextlib.contextmanager
    def abrir():
        from .. import sign

        if p12:
            yield sign.credencial_p12(p12, _secreto("STL_CONTRASENA", "Contraseña del archivo PKCS#12"))
        elif cer:
            yield sign.credencial_efirma(
                cer, key, _secreto("STL_CONTRASENA", "Contraseña de la llave privada (.key)")
            )
        else:
            pin = _secreto("STL_PIN", "PIN del token")
            with sign.credencial_pkcs11(pkcs11_lib, token, pin, llave, certificado_token) as cred:
                yield cred

    return abrir
