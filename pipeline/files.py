"""Writing outputs: atomically, and only inside the output folder.

Takes bytes and a path relative to an output folder; gives the written path. A temporary file in the same
folder is written, flushed to disk and renamed over the target, so a crash leaves the old file or the new
one, never half of either. Paths that escape the output folder are refused (Pelican `sanitised_join`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import StlError

__all__ = ["bloqueo", "write_atomic"]


def write_atomic(base: Path, rel: str | Path, data: bytes) -> Path:
    base = base.resolve()
    target = (base / rel).resolve()
    if base != target and base not in target.parents:
        raise StlError(f"la ruta «{rel}» queda fuera de la carpeta de salida {base}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


@contextlib.contextmanager
def bloqueo(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if missing) for the block: one writer at a time across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
