"""Writing outputs: atomically, and only inside the output folder.

Takes bytes and a path relative to an output folder; gives the written path. A temporary file in the same
folder is written, flushed to disk and renamed over the target, so a crash leaves the old file or the new
one, never half of either. Paths that escape the output folder are refused (Pelican `sanitised_join`).

A process killed while writing leaves its temporary file (`.<name>.<random>.tmp`) behind. The writer holds a lock
on its temporary file, so the first write into a folder by a later process can tell such leftovers (unlocked,
and older than a few seconds) from a file another process is writing right now, and removes them: a stale
temporary file never reaches the archive or the public site.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import StlError, escritura_fallida

__all__ = [
    "aparte",
    "bloqueado",
    "bloqueo",
    "cache_dir",
    "sin_restos",
    "sincronizar",
    "subcarpeta",
    "write_atomic",
]


def cache_dir() -> Path:
    """The user's cache folder for this program (XDG): derived data only, safe to delete at any time."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "actas-stl"


def _umask() -> int:
    """The process's umask, without changing it (os.umask sets it, and other threads may be creating files)."""
    with contextlib.suppress(OSError, ValueError, StopIteration), open("/proc/self/status", "rb") as status:
        return int(next(line for line in status if line.startswith(b"Umask:")).split()[1], 8)
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def write_atomic(
    base: Path, rel: str | Path, data: bytes, modo: int | None = None, sincronizar: bool = True
) -> Path:
    """Write `data` at `base/rel`; the file gets `modo`, or by default what `open()` would give it under the
    user's umask (0644 with umask 022), not the 0600 of the temporary file: a web server running as another
    user must be able to read the site, and a colleague the outputs. With `sincronizar=False` the data is not
    flushed to disk before the rename: for many files that nothing shows until the caller has flushed them
    all with `sincronizar(paths)` (one fsync after another costs several times less than one per write)."""
    base = base.resolve()
    target = (base / rel).resolve()
    if base != target and base not in target.parents:
        raise StlError(f"la ruta «{rel}» queda fuera de la carpeta de salida {base}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sin_restos(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise escritura_fallida(exc, target) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # «being written»: see sin_restos
            os.fchmod(handle.fileno(), 0o666 & ~_umask() if modo is None else modo)
            handle.write(data)
            handle.flush()
            if sincronizar:
                os.fsync(handle.fileno())
            os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise escritura_fallida(exc, target) from exc
        raise
    return target


def sincronizar(paths: list[Path]) -> None:
    """Flush files written with `write_atomic(…, sincronizar=False)` to disk, before anything shows them."""
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise escritura_fallida(exc, path) from exc


def subcarpeta(raiz: Path, nombre: str) -> Path:
    """`raiz/nombre`, the folder of one session inside an output folder, refused if it is a symbolic link: writing
    through it would put documents outside `raiz` (`write_atomic` checks paths from the folder it is given)."""
    carpeta = Path(raiz) / nombre
    real = carpeta.resolve()
    if real != Path(raiz).resolve() / nombre:
        raise StlError(
            f"{carpeta} es un enlace simbólico a {real}: los documentos se escriben solo dentro de {raiz}; "
            "borre el enlace (o indique otra carpeta de salida). No se escribió nada"
        )
    return carpeta


def aparte(destino: Path, que: str, otras: dict[str, Path]) -> None:
    """Refuse `destino` (the folder named `que`) inside one of `otras` ({name: folder}), or holding one: e.g. a site
    written into the append-only archive, or records published with the site."""
    propio = Path(destino).parent.resolve() / Path(destino).name  # the folder itself, not where a link leads
    for nombre, otra in otras.items():
        real = Path(otra).resolve()
        if propio == real or real in propio.parents:
            raise StlError(
                f"{que} {destino} queda dentro de {nombre} ({otra}), que no se toca: indique otra carpeta. "
                "No se escribió nada"
            )
        if propio in real.parents:
            raise StlError(
                f"{que} {destino} contiene {nombre} ({otra}), que se publicaría con el sitio: indique una "
                "carpeta aparte. No se escribió nada"
            )


# `tempfile.mkstemp(prefix=".<name>.", suffix=".tmp")`: eight random characters between the two.
_TEMPORAL = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
_REVISADAS: set[Path] = set()
_EDAD_MINIMA = 5.0  # seconds: a file just created may not be locked yet by its (live) writer


def sin_restos(carpeta: Path) -> None:
    """Remove the temporary files a killed writer left in `carpeta`; once per folder and process (one scan)."""
    if carpeta in _REVISADAS:
        return
    _REVISADAS.add(carpeta)
    limite = time.time() - _EDAD_MINIMA
    with contextlib.suppress(OSError), os.scandir(carpeta) as entradas:
        for entrada in entradas:
            if not _TEMPORAL.match(entrada.name) or not entrada.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError), open(entrada.path, "rb") as handle:
                if os.fstat(handle.fileno()).st_mtime > limite:
                    continue
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises while a live writer holds it
                os.unlink(entrada.path)


_TOMADOS = threading.local()  # the locks this thread holds now (`bloqueado`)


def bloqueado(path: Path) -> bool:
    """Whether this thread holds the lock `bloqueo(path)` right now."""
    return Path(path).resolve() in getattr(_TOMADOS, "rutas", set())


@contextlib.contextmanager
def bloqueo(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if missing) for the block: one writer at a time across processes."""
    tomados = _TOMADOS.__dict__.setdefault("rutas", set())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115 - closed below, after the block
    except OSError as exc:
        raise escritura_fallida(exc, path) from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        tomados.add(Path(path).resolve())
        try:
            yield
        finally:
            tomados.discard(Path(path).resolve())
            fcntl.flock(handle, fcntl.LOCK_UN)
