"""Skip work whose inputs have not changed: content hashes of what a document is made from.

Takes the records (read once into memory: `instantanea`), the templates, the profiles and the package version;
gives one SHA-256. A command that finds, next to its outputs, the same input hash and the same output hashes
prints the outputs and does nothing else (no records loading, no rendering): a no-op rebuild costs little more
than starting Python. Otherwise the document is made from those same bytes (`records.load(…, archivos=…)`), never
from the folder read again: a record saved while the command runs cannot give a document under the hash of
another version of it.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from .files import write_atomic

__all__ = ["anotar", "entradas", "instantanea", "varias", "vigentes"]

REGISTRO = ".huellas.json"


def _archivos(carpeta: Path):
    return sorted(p for p in carpeta.rglob("*") if p.is_file() and not p.name.startswith("."))


def instantanea(registros: Path) -> dict[str, bytes]:
    """Every record file (hidden ones aside), read once: path relative to `registros` → its bytes."""
    carpeta = Path(registros)
    return {str(p.relative_to(carpeta)): p.read_bytes() for p in _archivos(carpeta)}


def entradas(registros: dict[str, bytes], plantillas: Path, *extra: str) -> str:
    """Hash of every input of a document: all records (an acta names other sessions), templates, profiles."""
    return varias(registros, plantillas, [extra])[0]


def varias(registros: dict[str, bytes], plantillas: Path, extras: list[tuple[str, ...]]) -> list[str]:
    """`entradas` of several documents made from the same records (a batch: one per session), each with its
    `extra`; what they share is read and hashed once."""
    digest = hashlib.sha256(version("actas-stl-gobierno-abierto").encode())
    for rel, datos in sorted(registros.items()):
        digest.update(rel.encode() + b"\0" + datos)
    perfiles = Path(str(resources.files("pipeline").joinpath("profiles")))
    for carpeta in (plantillas, perfiles):
        for path in _archivos(carpeta):
            digest.update(str(path.relative_to(carpeta)).encode() + b"\0" + path.read_bytes())
    huellas = []
    for extra in extras:
        propio = digest.copy()
        for valor in extra:
            propio.update(valor.encode())
        huellas.append(propio.hexdigest())
    return huellas


def _leer(carpeta: Path) -> dict:
    path = carpeta / REGISTRO
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def vigentes(carpeta: Path, nombre: str, huella: str) -> tuple[list[Path], tuple[str, ...]] | None:
    """The outputs of `nombre` and the warnings said when they were made, if they were made from `huella` and are
    still intact; None otherwise."""
    entrada = _leer(carpeta).get(nombre)
    if not entrada or entrada["entradas"] != huella:
        return None
    paths = [carpeta / n for n in entrada["salidas"]]
    for path, sha in zip(paths, entrada["salidas"].values(), strict=True):
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            return None
    return paths, tuple(entrada.get("avisos", ()))


def anotar(carpeta: Path, nombre: str, huella: str, paths: list[Path], avisos: tuple[str, ...] = ()) -> None:
    """Record what `nombre` was made from and what it gave, with its warnings (said again when it is not remade)."""
    registro = _leer(carpeta)
    salidas = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    registro[nombre] = {"entradas": huella, "salidas": salidas, "avisos": list(avisos)}
    write_atomic(carpeta, REGISTRO, json.dumps(registro, indent=1).encode())  # keeps the outputs in order
