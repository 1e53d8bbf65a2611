"""Benchmark: the public site of an STL with N sessions (100 … 4,000) — full build, incremental rebuild, records
loading, peak memory.

Synthetic records in a temporary folder: the bundled `stl.yaml` and N small complete sessions, 200 a year from
2021, one in twenty extraordinary, numbered anew each year (I-2021 … CXC-2021, I-2022 …; EXT-I-2021 … EXT-X-2021,
…); 4,000 sessions are those of the 32 STLs of the country in a decade, kept by one. Each has quorum, the agenda,
one matter with two short interventions and two or three acuerdos; the archive is empty. The site is built with
the Pagefind index, in process (`publish.publicar`), as `stl publicar` does, each full build in a new folder;
rounds over every N after a warm-up, medians. Targets: 4,000 sessions in ≤ 30 s with the cost per session flat
from 1,000 on (at 4,000 at most 1.25 times that at 1,000); rebuilding after one session's record of 1,000
changed ≤ 2 s (records reloaded, through the cache of parsed records beside the outputs, and the site published
again); peak memory of `stl publicar` with 4,000 sessions, a whole process (its largest process, Pagefind
included), ≤ 500 MiB. The search index is in parts, a year each (issue 29): beside those figures, Pagefind on the
largest part and on the whole site in one index, as it was before. The full builds draw the site's curves in bench/tiempo-vs-sesiones.png.
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
from acta import cumple, proceso, procesos

ROOT = Path(__file__).resolve().parent.parent
STL = str(ROOT / ".venv/bin/stl")
N = (100, 500, 1000, 2000, 4000)
RUNS = 5  # the incremental rebuild and the records loading
RONDAS = 3  # full builds of every N: with 4,000, five would take the benchmark past its time budget
INCREMENTAL = 1000
POR_ANIO = 200
OBJETIVO_COMPLETO = 30.0
OBJETIVO_PLANO = 1.25  # cost per session at 4,000 / at 1,000
OBJETIVO_INCREMENTAL = 2.0
OBJETIVO_MEMORIA = 500.0


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
    shutil.copytree(ROOT / "records/membrete", root / "membrete")  # the letterhead stl.yaml names
    ids = []
    from pipeline import spanish

    for anio in itertools.count(2021):
        numeros = {"ordinaria": 0, "extraordinaria": 0}
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


def _pagefind(sitio: Path, salida: Path, glob: str = "**/*.html") -> list[str]:
    """Pagefind alone on the pages of a published site that match `glob`."""
    opciones = ["--glob", glob, "--force-language", "es", "--output-path", str(salida), "--silent"]
    return [sys.executable, "-m", "pagefind", "--site", str(sitio.resolve()), *opciones]


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for (Pagefind)."""
    import resource

    propio, hijos = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return propio.ru_utime + propio.ru_stime + hijos.ru_utime + hijos.ru_stime


def _corridas(valores: list[float]) -> str:
    return ", ".join(f"{x:.2f}" for x in valores)


def medir(curvas: dict | None = None) -> list[str]:
    """The section of bench/RESULTS.md; the curves (seconds, and ms per session, against sessions) go in
    curvas["sitio"]."""
    from pipeline import publish, records

    n_max, n_inc = max(N), INCREMENTAL
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        conjuntos = {n: _records(tmp / f"n{n}", n) for n in N}
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
        bytes_sitio: dict[int, int] = {}
        for _ in range(RONDAS):  # rounds over every N: the machine's noise falls on all of them alike
            for n in N:
                t, resultado, destino = completo(n)
                tiempos[n].append(t)
                paginas[n] = len(resultado.paginas)
                bytes_sitio[n] = sum(p.stat().st_size for p in destino.rglob("*") if p.is_file())
                _borrar(destino)

        sin_busqueda = []
        for _ in range(RONDAS):  # for comparison only, not a target
            t, resultado, destino = completo(n_inc, buscar=False)
            assert len(resultado.paginas) == paginas[n_inc]
            sin_busqueda.append(t)
            _borrar(destino)

        # Peak memory: `stl publicar` with 4,000 sessions as a whole process (cold: a new site, no cache), and
        # apart, to tell them apart, without the search index and Pagefind alone on the same pages.
        raiz_max = conjuntos[n_max][0]

        def publicar(*opciones: str) -> tuple[float, float, Path]:
            destino = tmp / f"sitio-{next(corrida)}"
            carpetas = ["--registros", raiz_max, "--archivo", archivo, "--salida", f"{destino}-salida"]
            comando = [STL, *carpetas, "publicar", "--sitio", destino, *opciones]
            return *proceso([str(x) for x in comando]), destino

        t_proceso, memoria, destino = publicar()
        # Pagefind alone: the whole site in one index (as before issue 29), and the largest part (a year).
        _, mem_pagefind = proceso(_pagefind(destino, tmp / "pf"))
        _, mem_parte = proceso(_pagefind(destino, tmp / "pf-2021", "sesiones/*-2021.html"))
        _borrar(destino)
        _, mem_sin_busqueda, destino = publicar("--sin-busqueda")
        _borrar(destino)

        # One session of 1,000 changed: records reloaded (through the cache of parsed records that the CLI keeps
        # beside the outputs) and the site published again.
        root, ids = conjuntos[n_inc]
        cache = tmp / "salida/.cache"
        records.load(root, cache=cache)  # the cache as the previous command left it
        _, _, sitio = completo(n_inc)
        carga, carga_fria = [], []
        for _ in range(RUNS):
            inicio = time.perf_counter()
            records.load(root, cache=cache)
            carga.append(time.perf_counter() - inicio)
            inicio = time.perf_counter()
            records.load(root)
            carga_fria.append(time.perf_counter() - inicio)

        igual = []
        for _ in range(RUNS):
            inicio = time.perf_counter()
            sin_cambios = publish.publicar(registros[n_inc], archivo, sitio, buscar=True)
            igual.append(time.perf_counter() - inicio)

        cambiada = root / f"sesiones/{ids[len(ids) // 2]}.yaml"
        incremental, recarga, cpu_incremental = [], [], []
        for k in range(RUNS):  # a different closing time each round: the session's page changes every time
            datos = yaml.safe_load(cambiada.read_text("utf-8"))
            datos["hora_cierre"] = f"11:{40 + k}"
            cambiada.write_text(yaml.safe_dump(datos, allow_unicode=True), "utf-8")
            inicio, cpu = time.perf_counter(), _cpu()
            registro = records.load(root, cache=cache)
            recarga.append(time.perf_counter() - inicio)
            tras_cambio = publish.publicar(registro, archivo, sitio, buscar=True)
            incremental.append(time.perf_counter() - inicio)
            cpu_incremental.append(_cpu() - cpu)
            assert tras_cambio.paginas, "el cambio no regeneró ninguna página"
        indice = [p for p in (sitio / "pagefind").glob("**/pagefind-entry.json")]
        # What Pagefind took before the parts, in this same run: the whole site of 1,000 indexed again.
        todo_el_sitio = [procesos([_pagefind(sitio, tmp / f"pf-{k}")]) for k in range(RUNS)]

    mediana = statistics.median
    por_sesion = {n: mediana(tiempos[n]) / n * 1000 for n in N}
    t_completo, t_incremental = mediana(tiempos[n_max]), mediana(incremental)
    plano = por_sesion[n_max] / por_sesion[n_inc]
    if curvas is not None:
        curvas["sitio"] = {
            "n": list(N),
            "con_busqueda": [mediana(tiempos[n]) for n in N],
            "minimo": [min(tiempos[n]) for n in N],
            "maximo": [max(tiempos[n]) for n in N],
            "por_sesion": [por_sesion[n] for n in N],
            "objetivo": OBJETIVO_COMPLETO,
        }
    return [
        f"## Sitio público con N sesiones ({POR_ANIO} por año desde 2021, una de cada 20 extraordinaria), "
        "con búsqueda (Pagefind)",
        "",
        f"En proceso (`publish.publicar`), archivo vacío, cada sitio completo en una carpeta nueva. {RONDAS} "
        "rondas sobre todos los tamaños tras un calentamiento; medianas.",
        "",
        "| sesiones | páginas | sitio completo con búsqueda, mediana (s) | ms por sesión | MB | corridas (s) |",
        "|---|---|---|---|---|---|",
        *(
            f"| {n} | {paginas[n]} | {mediana(tiempos[n]):.2f} | {por_sesion[n]:.1f} "
            f"| {bytes_sitio[n] / 1024 / 1024:.1f} | {_corridas(tiempos[n])} |"
            for n in N
        ),
        "",
        "| medida | valor | objetivo |",
        "|---|---|---|",
        f"| sitio completo de {n_max} sesiones, con índice de búsqueda ({_corridas(tiempos[n_max])}) "
        f"| {t_completo:.2f} s | {cumple(t_completo, OBJETIVO_COMPLETO, ' s')} |",
        f"| costo por sesión con {n_max} / con {n_inc} ({por_sesion[n_max]:.1f} / {por_sesion[n_inc]:.1f} ms) "
        f"| {plano:.2f} | {cumple(plano, OBJETIVO_PLANO)} |",
        f"| memoria máxima de `stl publicar` con {n_max} sesiones, sitio nuevo (el mayor proceso, Pagefind "
        f"incluido; {t_proceso:.1f} s) | {memoria:.0f} MiB (Pagefind en la mayor parte: {mem_parte:.0f} MiB; "
        f"con todo el sitio en un índice: {mem_pagefind:.0f} MiB) | {cumple(memoria, OBJETIVO_MEMORIA, ' MiB')} |",
        f"| la misma memoria sin índice de búsqueda / Pagefind en la mayor parte del índice ({POR_ANIO} sesiones "
        f"de un año) / Pagefind con todo el sitio en un índice, como antes | {mem_sin_busqueda:.0f} / "
        f"{mem_parte:.0f} / {mem_pagefind:.0f} MiB | — |",
        f"| sitio completo de {n_inc} sesiones, sin índice de búsqueda ({_corridas(sin_busqueda)}) "
        f"| {mediana(sin_busqueda):.2f} s | — |",
        f"| carga de los registros, {n_inc} sesiones, sin caché ({_corridas(carga_fria)}) "
        f"| {mediana(carga_fria):.2f} s | — |",
        f"| carga de los registros, {n_inc} sesiones, con la caché de registros analizados ({_corridas(carga)}) "
        f"| {mediana(carga):.2f} s | — |",
        f"| publicar de nuevo sin cambios ({len(sin_cambios.paginas)} páginas generadas, {sin_cambios.omitidas} "
        f"sin cambios; {_corridas(igual)}) | {mediana(igual):.2f} s | — |",
        f"| tras cambiar una sesión de {n_inc}: recargar los registros y publicar ({_corridas(incremental)}) "
        f"| {t_incremental:.2f} s (CPU {mediana(cpu_incremental):.2f} s; publicar sin cambios {mediana(igual):.2f} s) "
        f"| {cumple(t_incremental, OBJETIVO_INCREMENTAL, ' s')} |",
        f"| lo mismo en tiempo de CPU, este proceso y los de Pagefind ({_corridas(cpu_incremental)}) "
        f"| {mediana(cpu_incremental):.2f} s | — |",
        "",
        f"Tras cambiar una sesión, recargar los registros toma {mediana(recarga):.2f} s (mediana) y se generan "
        f"{len(tras_cambio.paginas)} páginas: {', '.join(tras_cambio.paginas)}; Pagefind vuelve a indexar "
        f"{len(tras_cambio.indexadas)} de las {len(indice)} partes del índice ("
        f"{', '.join(p or 'la general' for p in tras_cambio.indexadas)}), una tras otra mientras se escribe lo "
        f"demás; indexar otra vez todo el sitio, como antes, le toma {mediana(t for t, _, _ in todo_el_sitio):.2f} s "
        f"y {mediana(c for _, _, c in todo_el_sitio):.2f} s de CPU (medianas de {RUNS} en esta corrida: "
        f"{_corridas([t for t, _, _ in todo_el_sitio])}).",
        "",
    ]


if __name__ == "__main__":
    print("\n".join(medir()))
