"""The package's own files: templates, schemas and governance profiles, wherever the package is installed.

Takes nothing; gives paths. A wheel ships the top-level templates/ folder as `pipeline/templates`
(pyproject.toml maps it); a checkout (editable install) reads templates/ next to the package.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["REINSTALAR", "esquema", "plantillas"]

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


def esquema(nombre: str, carpeta: Path) -> str:
    """The `$schema=` reference, for a record written in `carpeta`, to the schema `nombre` ("sesion", "stl"…):
    relative inside the checkout that holds the package (as the bundled records write it), else the installed
    file's absolute path, so that the editor finds it from any records folder."""
    archivo = _AQUI / "schemas" / f"{nombre}.schema.json"
    carpeta = Path(carpeta).resolve()
    if _AQUI.parent in (carpeta, *carpeta.parents):
        return os.path.relpath(archivo, carpeta)
    return archivo.as_posix()
