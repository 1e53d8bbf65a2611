"""The package's own files: templates, schemas and governance profiles, wherever the package is installed.

Takes nothing; gives paths. A wheel ships the top-level templates/ folder as `pipeline/templates`
(pyproject.toml maps it); a checkout (editable install) reads templates/ next to the package.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ESQUEMAS", "REINSTALAR", "cabecera_esquema", "esquema", "plantillas"]

_AQUI = Path(__file__).resolve().parent

REINSTALAR = (
    "la instalación de actas-stl está incompleta; reinstálela («pip install --force-reinstall "
    "actas-stl-gobierno-abierto», o «make install» en una copia del repositorio)"
)


def plantillas() -> Path:
    """The templates folder (pdf/, docx/, email/, site/); STL_PLANTILLAS points elsewhere."""
    if "STL_PLANTILLAS" in os.environ:
        return Path(os.environ["STL_PLANTILLAS"])
    if (_AQUI.parent / "pyproject.toml").is_file() and (_AQUI.parent / "templates").is_dir():
        return _AQUI.parent / "templates"  # a checkout
    return _AQUI / "templates"


ESQUEMAS = "esquemas"  # the copy of the schemas that `stl init` leaves in a records folder, for the editor


def esquema(nombre: str, raiz: Path, carpeta: Path | None = None) -> str | None:
    """The `$schema=` reference to the schema `nombre` ("sesion", "stl"…) for a record written in `carpeta` (by
    default the records folder `raiz` itself): relative to the copy `stl init` leaves in `raiz/esquemas/`, or to
    the package's own schemas when the records are inside the checkout that holds it (the bundled records). None
    elsewhere: an absolute path into an installed package breaks as soon as the folder is copied to another machine.
    """
    carpeta = Path(carpeta if carpeta is not None else raiz).resolve()
    copia = Path(raiz).resolve() / ESQUEMAS / f"{nombre}.schema.json"
    if copia.is_file():
        return Path(os.path.relpath(copia, carpeta)).as_posix()
    checkout = _AQUI.parent
    if (checkout / "pyproject.toml").is_file() and checkout in (carpeta, *carpeta.parents):
        return Path(os.path.relpath(_AQUI / "schemas" / f"{nombre}.schema.json", carpeta)).as_posix()
    return None


def cabecera_esquema(nombre: str, raiz: Path, carpeta: Path | None = None) -> str:
    """The first line of a record that names its schema for the editor (YAML language server), or nothing."""
    ref = esquema(nombre, raiz, carpeta)
    return f"# yaml-language-server: $schema={ref}\n" if ref else ""
