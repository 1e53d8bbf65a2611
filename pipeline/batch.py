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


def _cargar(registros: str, cache: str | None) -> None:
    global _registro
    from . import records

    # Read through the cache the main process saved; a worker does not write it.
    _registro = records.load(registros, cache=records.Analizados(Path(cache)) if cache else None)


def _acta(sesion: str, salida: str, formato: str) -> list[str]:
    from . import escritura, render, rules

    documento = render.acta(_registro, rules.dictaminar(_registro, sesion))
    return [str(p) for p in escritura.escribir(Path(salida) / sesion, f"acta-{sesion}", documento, formato)]


def actas(
    registros: Path,
    sesiones: list[str],
    salida: Path,
    formato: str,
    cache: Path | None = None,
    procesos: int | None = None,
) -> Iterator[tuple[str, list[str]]]:
    """(session, paths) for each acta, in the order they finish; an error stops the batch and is raised. The
    records are parsed through `cache` (see `records.load`)."""
    procesos = procesos or min(len(sesiones), os.cpu_count() or 1)
    inicio = (str(registros), str(cache) if cache else None)
    with ProcessPoolExecutor(max_workers=procesos, initializer=_cargar, initargs=inicio) as pool:
        futuros = {pool.submit(_acta, s, str(salida), formato): s for s in sesiones}
        for futuro in as_completed(futuros):
            yield futuros[futuro], futuro.result()
