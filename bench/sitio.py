"""Benchmark: the public site of an STL with N sessions (100, 250, 500, 1,000) — full build, incremental rebuild,
records loading.

Synthetic records in a temporary folder: the bundled `stl.yaml` and N small complete sessions, 200 a year from
2021, one in twenty extraordinary, numbered on from one year to the next as the records require (with 1,000:
I-2021 … CXC-2021, CXCI-2022 … CML-2025; EXT-I-2021 … EXT-L-2025; a number is at most 999). Each has quorum,
the agenda, one matter with two short interventions and two or three acuerdos; the archive is empty. The site
is built with the Pagefind index, in process (`publish.publicar`), as `stl publicar` does, each full build in a
new folder. Medians of five after a warm-up. Targets (1,000 sessions): full build ≤ 30 s; rebuilding after
one session's record changed ≤ 2 s (records reloaded and the site published again). The full builds for each
N draw the site's curve in bench/tiempo-vs-sesiones.png.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from acta import cumple

ROOT = Path(__file__).resolve().parent.parent
N = (100, 250, 500, 1000)
RUNS = 5
POR_ANIO = 200
OBJETIVO_COMPLETO = 30.0
OBJETIVO_INCREMENTAL = 2.0


def _dias_habiles(anio: int):
    """Weekdays from the third week of January (no session falls on a weekend)."""
    dia = dt.date(anio, 1, 18)
    while True:
        if dia.weekday() < 5:
            yield dia
        dia += dt.timedelta(days=1)


def _sesion(tipo: str, anio: int, numero: int, oficio: int, fecha: dt.date) -> dict:
    convocada = fecha - dt.timedelta(days=14)
    acuerdos = [
        {
            "texto": f"el programa de trabajo {numero}-{anio} de la mesa de seguimiento",
            "votacion": "unanimidad",
        }
    ]
    if numero % 2:
        acuerdos.append(
            {
                "texto": f"el informe de avance {numero}-{anio} del Plan de Acción Local",
                "votacion": "unanimidad",
            }
        )
    return {
        "tipo": tipo,
        "numero": numero,
        "fecha": fecha.isoformat(),
        "hora_inicio": "10:00",
        "hora_cierre": "11:30",
        "modalidad": {"tipo": "virtual", "plataforma": "Plataforma virtual Zoom"},
        "convocatoria": {
            "folio": f"STL/{oficio:03d}/{convocada.year}",
            "fecha": convocada.isoformat(),
            "convoca": "funes",
        },
        "asistencia": ["martinez", "vargas", "cervantes", "funes"],
        "orden_del_dia": [
            {"tipo": "quorum"},
            {"tipo": "orden_del_dia", "acuerdos": [{"votacion": "unanimidad"}]},
            {
                "clave": "avance",
                "texto": f"Presentación del avance de los compromisos, sesión {numero} de {anio}",
                "intervenciones": [
                    {"orador": "funes", "texto": "presentó el avance de los compromisos del periodo."},
                    {"orador": "cervantes", "texto": "propuso dar seguimiento a los compromisos en la mesa."},
                ],
                "acuerdos": acuerdos,
            },
            {"tipo": "clausura"},
        ],
    }


def _records(base: Path, n: int) -> tuple[Path, list[str]]:
    root = base / "records"
    (root / "sesiones").mkdir(parents=True)
    shutil.copyfile(ROOT / "records/stl.yaml", root / "stl.yaml")
    ids = []
    from pipeline import spanish

    numeros = {"ordinaria": 0, "extraordinaria": 0}
    for anio in itertools.count(2021):
        dias = _dias_habiles(anio)
        for oficio in range(1, POR_ANIO + 1):
            if len(ids) == n:
                return root, ids
            tipo = "extraordinaria" if oficio % 20 == 0 else "ordinaria"
            numeros[tipo] += 1
            numero = numeros[tipo]
            sid = f"{'EXT-' if tipo == 'extraordinaria' else ''}{spanish.roman(numero)}-{anio}"
            datos = _sesion(tipo, anio, numero, oficio, next(dias))
            (root / f"sesiones/{sid}.yaml").write_text(yaml.safe_dump(datos, allow_unicode=True), "utf-8")
            ids.append(sid)
    raise AssertionError("unreachable")


def _borrar(sitio: Path) -> None:
    """A published site: its link and its versions."""
    from pipeline import publish

    shutil.rmtree(publish.versiones(sitio))
    sitio.unlink()


def _corridas(valores: list[float]) -> str:
    return ", ".join(f"{x:.2f}" for x in valores)


def medir(curvas: dict | None = None) -> list[str]:
    """The section of bench/RESULTS.md; the curve (seconds against sessions) goes in curvas["sitio"]."""
    from pipeline import publish, records

    n_max = max(N)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        conjuntos = {n: _records(tmp / f"n{n}", n) for n in N}
        root, ids = conjuntos[n_max]
        registros = {n: records.load(r) for n, (r, _) in conjuntos.items()}
        assert all(len(registros[n].sesiones) == n for n in N)
        archivo = tmp / "archivo"
        archivo.mkdir()
        corrida = itertools.count()

        def completo(n: int, buscar: bool = True) -> tuple[float, publish.Resultado, Path]:
            destino = tmp / f"sitio-{next(corrida)}"  # new each time: nothing to reuse
            inicio = time.perf_counter()
            resultado = publish.publicar(registros[n], archivo, destino, buscar=buscar)
            return time.perf_counter() - inicio, resultado, destino

        _borrar(completo(N[0])[2])  # warm-up: imports, templates, Pagefind's first start
        tiempos: dict[int, list[float]] = {n: [] for n in N}
        paginas: dict[int, int] = {}
        sitio = None
        for _ in range(RUNS):  # rounds over every N: the machine's noise falls on all of them alike
            for n in N:
                t, resultado, destino = completo(n)
                tiempos[n].append(t)
                paginas[n] = len(resultado.paginas)
                if sitio is not None:
                    _borrar(sitio)
                sitio = destino if n == n_max else None
                if sitio is None:
                    _borrar(destino)
        assert sitio is not None
        bytes_sitio = sum(p.stat().st_size for p in sitio.rglob("*") if p.is_file())

        carga = []
        for _ in range(RUNS):
            inicio = time.perf_counter()
            records.load(root)
            carga.append(time.perf_counter() - inicio)

        sin_busqueda = []
        for _ in range(3):  # for comparison only, not a target: three are enough
            t, resultado, destino = completo(n_max, buscar=False)
            assert len(resultado.paginas) == paginas[n_max]
            sin_busqueda.append(t)
            _borrar(destino)

        igual = []
        for _ in range(RUNS):
            inicio = time.perf_counter()
            sin_cambios = publish.publicar(registros[n_max], archivo, sitio, buscar=True)
            igual.append(time.perf_counter() - inicio)

        cambiada = root / f"sesiones/{ids[len(ids) // 2]}.yaml"
        incremental, recarga = [], []
        for k in range(RUNS):  # a different closing time each round: the session's page changes every time
            datos = yaml.safe_load(cambiada.read_text("utf-8"))
            datos["hora_cierre"] = f"11:{40 + k}"
            cambiada.write_text(yaml.safe_dump(datos, allow_unicode=True), "utf-8")
            inicio = time.perf_counter()
            registro = records.load(root)
            recarga.append(time.perf_counter() - inicio)
            tras_cambio = publish.publicar(registro, archivo, sitio, buscar=True)
            incremental.append(time.perf_counter() - inicio)
            assert tras_cambio.paginas, "el cambio no regeneró ninguna página"

    mediana = statistics.median
    t_completo, t_incremental = mediana(tiempos[n_max]), mediana(incremental)
    if curvas is not None:
        curvas["sitio"] = {
            "n": list(N),
            "con_busqueda": [mediana(tiempos[n]) for n in N],
            "minimo": [min(tiempos[n]) for n in N],
            "maximo": [max(tiempos[n]) for n in N],
            "objetivo": OBJETIVO_COMPLETO,
        }
    return [
        f"## Sitio público con N sesiones ({POR_ANIO} por año desde 2021, una de cada 20 extraordinaria), "
        "con búsqueda (Pagefind)",
        "",
        f"En proceso (`publish.publicar`), archivo vacío, cada sitio completo en una carpeta nueva. {RUNS} rondas "
        "sobre todos los tamaños tras un calentamiento; medianas.",
        "",
        "| sesiones | páginas | sitio completo con búsqueda, mediana (s) | corridas (s) |",
        "|---|---|---|---|",
        *(f"| {n} | {paginas[n]} | {mediana(tiempos[n]):.2f} | {_corridas(tiempos[n])} |" for n in N),
        "",
        f"Con {n_max} sesiones el sitio completo ocupa {bytes_sitio / 1024 / 1024:.1f} MB con el índice de búsqueda.",
        "",
        "| medida | valor | objetivo |",
        "|---|---|---|",
        f"| carga de los registros ({n_max} sesiones; {_corridas(carga)}) | {mediana(carga):.2f} s | — |",
        f"| sitio completo de {n_max} sesiones, con índice de búsqueda ({_corridas(tiempos[n_max])}) "
        f"| {t_completo:.2f} s | {cumple(t_completo, OBJETIVO_COMPLETO, ' s')} |",
        f"| sitio completo de {n_max} sesiones, sin índice de búsqueda ({_corridas(sin_busqueda)}) "
        f"| {mediana(sin_busqueda):.2f} s | — |",
        f"| publicar de nuevo sin cambios ({len(sin_cambios.paginas)} páginas generadas, {sin_cambios.omitidas} "
        f"sin cambios; {_corridas(igual)}) | {mediana(igual):.2f} s | — |",
        f"| tras cambiar una sesión de {n_max}: recargar los registros y publicar ({_corridas(incremental)}) "
        f"| {t_incremental:.2f} s | {cumple(t_incremental, OBJETIVO_INCREMENTAL, ' s')} |",
        "",
        f"Tras cambiar una sesión, recargar los registros toma {mediana(recarga):.2f} s (mediana) y se generan "
        f"{len(tras_cambio.paginas)} páginas: {', '.join(tras_cambio.paginas)}.",
        "",
    ]


if __name__ == "__main__":
    print("\n".join(medir()))
