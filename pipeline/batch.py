"""Batches: many documents in one command, spread over the machine's cores.

Takes the records folder, the session ids and the output folder; gives, as each finishes, the paths written.
Each worker process loads the records once and keeps one WeasyPrint font configuration for all its
documents; the parent only collects results (and shows progress).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

__all__ = ["actas"]

_registro = None


def _cargar(registros: str, cache: str | None, archivos: dict[str, bytes] | None) -> None:
    global _registro
    from . import records

    # The same bytes as the parent's snapshot, read through the cache the main process saved (never written here).
    analizados = records.Analizados(Path(cache)) if cache else None
    _registro = records.load(registros, archivos, analizados, para=frozenset())


def _acta(sesion: str, salida: str, formato: str) -> list[str]:
    from . import escritura, render, rules

    documento = render.acta(_registro, rules.dictaminar(_registro, sesion))
    # Flushed to disk by the parent, idle meanwhile, while this process lays out the next acta (see `actas`).
    paths = escritura.escribir(Path(salida) / sesion, f"acta-{sesion}", documento, formato, sincronizar=False)
    return [str(p) for p in paths]


def actas(
    registros: Path,
    sesiones: list[str],
    salida: Path,
    formato: str,
    cache: Path | None = None,
    procesos: int | None = None,
    archivos: dict[str, bytes] | None = None,
) -> Iterator[tuple[str, list[str]]]:
    """(session, paths) for each acta, in the order they finish; an error stops the batch and is raised. The
    records are `archivos` (the caller's snapshot of their bytes) or the folder, parsed through `cache` (see
    `records.load`). The files given are written but not yet flushed to disk (`files.sincronizar`, before
    anything records them as made). The approval freeze and the change detection are the caller's
    (`operations.actas`)."""
    procesos = procesos or min(len(sesiones), os.cpu_count() or 1)
    inicio = (str(registros), str(cache) if cache else None, archivos)
    with ProcessPoolExecutor(max_workers=procesos, initializer=_cargar, initargs=inicio) as pool:
        futuros = {pool.submit(_acta, s, str(salida), formato): s for s in sesiones}
        for futuro in as_completed(futuros):
            yield futuros[futuro], futuro.result()
