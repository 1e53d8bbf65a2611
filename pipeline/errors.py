"""One hierarchy of errors; `error_boundary` is the only place that turns them into CLI failures.

Stages raise `StlError` subclasses carrying every `Problema` they found, never the first one only.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from .models import Ubicacion
from .paquete import REINSTALAR

__all__ = [
    "ConflictoError",
    "InstalacionError",
    "Problema",
    "RecordsError",
    "RecursoAjeno",
    "RulesError",
    "SinFuenteError",
    "StlError",
    "error_boundary",
    "escritura_fallida",
]


@dataclass(frozen=True)
class Problema:
    """One thing wrong, said in Spanish, with where it is and (for rules) the seed article."""

    mensaje: str
    lugar: Ubicacion
    cita: str | None = None

    def __str__(self) -> str:
        texto = f"{self.lugar}: {self.mensaje}" if self.lugar.archivo else self.mensaje
        return f"{texto} ({self.cita})" if self.cita else texto


class StlError(Exception):
    """Base of every error a person can act on."""

    titulo = ""  # subclasses that list several problems name them

    def __init__(self, problemas: list[Problema] | tuple[Problema, ...] | str) -> None:
        if isinstance(problemas, str):
            problemas = [Problema(problemas, Ubicacion(""))]
        self.problemas = tuple(problemas)
        super().__init__(self.texto())

    def texto(self) -> str:
        if not self.titulo:
            return "\n".join(str(p) for p in self.problemas)
        cabeza = f"{self.titulo} ({len(self.problemas)}):"
        return "\n".join([cabeza, *(f"  - {p}" for p in self.problemas)])


class RecordsError(StlError):
    titulo = "Errores en los registros"


class RulesError(StlError):
    titulo = "El registro contradice las reglas del perfil de gobernanza"


class ConflictoError(StlError):
    """A record changed on disk (in an editor, another tab) after a form read it: the form's change is not
    written over it."""


class SinFuenteError(StlError):
    """Characters the fonts of the PDF cannot draw, found by the press (which knows no records): `render` turns
    it into the `RecordsError` that says where the records hold them (`fuentes.error`)."""

    def __init__(self, caracteres: list[str]) -> None:
        self.caracteres = caracteres
        super().__init__(
            "el documento tiene caracteres que las fuentes del PDF no pueden dibujar: " + "".join(caracteres)
        )


class RecursoAjeno(StlError):
    """WeasyPrint asked for `url`, which the document does not carry as its own (a template that links the
    network or a file elsewhere; an SVG logo with an image of its own inside): the press reads none of it."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(
            f"el documento pide «{self.muestra}», que no es de sus plantillas ni de los logotipos de stl.yaml: no se "
            "lee nada de fuera (la red, otros archivos, imágenes dentro de un logotipo); no se escribió nada"
        )

    @property
    def muestra(self) -> str:
        """The address as a person can read it: a `data:` URI by its type, not its thousands of characters."""
        if self.url.startswith("data:"):
            return self.url.split(",", 1)[0][:60] + ",…"
        return self.url if len(self.url) <= 120 else self.url[:117] + "…"


_CAUSAS = {
    errno.ENOENT: "no existe",
    errno.EISDIR: "es una carpeta, no un archivo",
    errno.ENOTDIR: "una parte de la ruta no es una carpeta",
    errno.EACCES: "no tiene permiso de lectura",
    errno.EPERM: "la operación no está permitida",
    errno.EROFS: "el sistema de archivos es de solo lectura",
    errno.ENOSPC: "no hay espacio en el disco",
    errno.ELOOP: "hay demasiados enlaces simbólicos en la ruta",
    errno.ENAMETOOLONG: "el nombre es demasiado largo",
    errno.EIO: "error de entrada y salida del disco",
    errno.EFBIG: "el archivo excede el tamaño máximo permitido",
    errno.ECONNREFUSED: "el servidor rechazó la conexión",
    errno.ECONNRESET: "el servidor cerró la conexión",
    errno.ETIMEDOUT: "se agotó el tiempo de espera",
}


def causa(exc: OSError) -> str:
    """What went wrong, in Spanish: the system's own message is in English («No such file or directory»)."""
    return _CAUSAS.get(exc.errno, f"error del sistema {exc.errno}" if exc.errno else type(exc).__name__)


def escritura_fallida(exc: OSError, path: Path | str | None) -> StlError:
    """A failed write said in one sentence: where, why in words, and what to do (a full disk, a folder that
    cannot be written); `path` when the error itself carries none (a full disk fails `write`, which names none)."""
    donde = path if path is not None else exc.filename
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StlError(
            f"no hay espacio en el disco para escribir {donde}: libere espacio (o indique otra carpeta) y vuelva a "
            "ejecutar el comando; no quedó nada escrito a medias"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        motivo = "es de solo lectura" if exc.errno == errno.EROFS else "no tiene permiso de escritura"
        return StlError(
            f"no se puede escribir {donde}: la carpeta {motivo}; indique otra carpeta (p. ej. --salida) o pida "
            "permiso de escritura, y vuelva a ejecutar el comando; no se escribió nada"
        )
    return StlError(
        f"no se pudo escribir {donde} ({causa(exc)}): revise la carpeta y vuelva a ejecutar el comando; "
        "no quedó nada escrito a medias"
    )


class InstalacionError(StlError):
    """A file of the package (template, schema, profile) or a dependency is missing: the install is broken."""

    def __init__(self, que: str) -> None:
        super().__init__(f"{que}: {REINSTALAR}")


def _de_la_instalacion(exc: Exception) -> InstalacionError | None:
    """A missing module, or a missing file inside the package, said in Spanish; None for anything else."""
    if isinstance(exc, ModuleNotFoundError):
        return InstalacionError(f"falta el módulo de Python «{exc.name}»")
    paquete = Path(__file__).resolve().parent
    archivo = Path(str(getattr(exc, "filename", "") or ""))
    if isinstance(exc, FileNotFoundError) and archivo.is_absolute() and paquete in archivo.parents:
        return InstalacionError(f"falta {archivo}, que es parte del paquete")
    return None


@contextlib.contextmanager
def error_boundary(verbose: bool = False) -> Iterator[None]:
    """Turn project errors into a clean Spanish message and exit code 1 (a traceback only if asked)."""
    try:
        yield
    except StlError as exc:
        if verbose:
            raise
        raise click.ClickException(exc.texto()) from exc
    except (ModuleNotFoundError, OSError) as exc:
        # A file or module missing from the package is a broken install; any other failed write (a folder, a
        # lock, outside `files`) gets the same sentence as in `files`. Never a traceback without --verbose.
        instalacion = _de_la_instalacion(exc)
        if verbose or (instalacion is None and getattr(exc, "filename", None) is None):
            raise
        falla = instalacion if instalacion is not None else escritura_fallida(exc, None)
        raise click.ClickException(falla.texto()) from exc
