"""`make bench`: run every benchmark and write bench/RESULTS.md (figures, machine, versions, date) and the plot
bench/tiempo-vs-sesiones.png (seconds against the number of sessions: the batch of actas against LibreOffice,
and the public site)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import acta  # noqa: E402
import firmas  # noqa: E402
import lote  # noqa: E402
import perfil  # noqa: E402
import sitio  # noqa: E402
import vista  # noqa: E402

GRAFICA = "tiempo-vs-sesiones.png"
# What the figures below measure and how to read them (it was prose in the README, right after the two set-up
# commands): the same in every run, written before the figures of that run.
LECTURA = [
    "## Qué se mide y cómo leerlo",
    "",
    "`make bench` mide el acta, el lote de actas, las firmas, el sitio y la vista previa caliente contra sus",
    "objetivos y contra LibreOffice en la misma corrida (razones de medianas de cinco corridas tras un",
    "calentamiento; la máquina puede estar compartida, y la carga al empezar y al terminar está arriba; el tiempo de",
    "CPU, junto a los segundos donde se da, cambia mucho menos con la carga). Escribe este archivo y la gráfica",
    f"`{GRAFICA}` (tiempo contra número de sesiones). Necesita LibreOffice (`make sistema` lo instala de Debian) e",
    "instala matplotlib la primera vez; tarda unos 5 ½ minutos en 2 núcleos sin otras cargas.",
    "",
    "Para quien usa `stl`: los comandos que procesan varios documentos (`stl acta` con varias sesiones, `stl",
    "publicar`, `stl enviar`) muestran una barra de avance en la terminal; un acta se genera en un segundo y no se",
    "rehace si nada cambió. `~/.cache/actas-stl/` guarda solo datos derivados (la fuente reducida del sello y las",
    "huellas SHA-256 de los registros ya validados, nunca su contenido) y la clave (modo 0600) con que se sella la",
    "caché de abajo: se puede borrar en cualquier momento. `SALIDA/.cache/` (junto a los documentos, con su propio",
    "`.gitignore`) guarda las sesiones y reuniones ya analizadas, por el SHA-256 de sus bytes (nunca `stl.yaml` ni",
    "datos `privado`), sellada con un HMAC de esa clave: quien pueda escribir en la carpeta de salida pero no en la",
    "del usuario no puede hacer que `stl` lea otro contenido para un registro. Recargar 1000 sesiones que no",
    "cambiaron toma la mitad; se guarda solo cuando el comando terminó bien y también se puede borrar.",
    "",
    "Dónde se va el tiempo: en el acta y el lote, WeasyPrint mismo (importarlo ≈ 0.85 s en el proceso que maqueta,",
    "maquetar ≈ 60 % y dibujar el PDF ≈ 35 % de cada acta: sección «Perfil»); lo que se repetía entre actas (las",
    "hojas de estilo, esperar al disco) se hace una vez por proceso, y la sección del lote dice el",
    "piso: el mismo HTML con WeasyPrint solo. El índice de búsqueda va en partes, una por año y otra de las páginas",
    "generales: tras cambiar una sesión, Pagefind solo vuelve a indexar su año y la general, una parte a la vez (su",
    "memoria es la de la parte mayor). El sitio se publica sin esperar al disco página por página y no es",
    "cuadrático en el número de sesiones.",
    "",
]
FALTA_MATPLOTLIB = (
    "Falta matplotlib, con el que se dibuja la gráfica: ejecute `make bench`, que lo instala "
    "(o `.venv/bin/python -m pip install -e '.[bench]'`)."
)


def _cpuinfo() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _version(paquete: str) -> str:
    try:
        return version(paquete)
    except PackageNotFoundError:
        return "no instalado"


def _carga() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _cargada(inicio: str, fin: str, secciones: list[str]) -> list[str]:
    """A warning when other processes loaded the machine: its seconds are not those of a quiet machine."""
    cargas = [float(c.split(" / ")[0]) for c in (inicio, fin, *secciones)]
    nucleos = os.cpu_count() or 1
    if max(cargas) < nucleos / 2:
        return []
    return [
        f"- **La máquina estaba cargada** por otros procesos (carga de 1 min hasta {max(cargas):.1f} con {nucleos} "
        "núcleos; cada sección dice la suya): los segundos de esta corrida son más que los de una máquina sin otras "
        "cargas. Las razones medidas en la misma corrida y el tiempo de CPU, junto a los segundos donde se da, se ven "
        "mucho menos afectados."
    ]


def _resumen(lines: list[str]) -> list[str]:
    """Every row of the sections whose target cell says cumplido or NO cumplido, in one table."""
    filas = []
    for line in lines:
        celdas = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(celdas) >= 3 and "cumplido" in celdas[-1]:
            medida = re.sub(r"\s*\([^()]*\)$", "", celdas[0])
            filas.append(f"| {medida} | {celdas[-2]} | {celdas[-1]} |")
    return ["| medida | valor | objetivo |", "|---|---|---|", *filas]


def _grafica(curvas: dict, titulo: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (izq, der, costo) = plt.subplots(1, 3, figsize=(17, 4.8), dpi=110)
    c = curvas["lote"]
    izq.plot(c["n"], c["stl"], "o-", color="tab:blue", label="stl acta --todas (PDF)")
    izq.plot(
        c["n"],
        c["libreoffice"],
        "s-",
        color="tab:orange",
        label="LibreOffice, los mismos DOCX en una llamada",
    )
    izq.plot(
        c["n"],
        [c["objetivo"] * t for t in c["libreoffice"]],
        "--",
        color="tab:gray",
        label=f"objetivo: {c['objetivo']:g} × LibreOffice",
    )
    n = c["n"][-1]
    izq.scatter([n] * len(c["corridas_stl"]), c["corridas_stl"], s=12, color="tab:blue", alpha=0.4)
    izq.scatter(
        [n] * len(c["corridas_libreoffice"]), c["corridas_libreoffice"], s=12, color="tab:orange", alpha=0.4
    )
    izq.set_title(f"Lote de actas (con {n}: mediana de {len(c['corridas_stl'])}; puntos: corridas)")
    izq.set_xlabel("sesiones (un acta por sesión)")
    izq.set_ylabel("segundos")
    s = curvas["sitio"]
    abajo = [m - lo for m, lo in zip(s["con_busqueda"], s["minimo"], strict=True)]
    arriba = [hi - m for m, hi in zip(s["con_busqueda"], s["maximo"], strict=True)]
    der.errorbar(
        s["n"],
        s["con_busqueda"],
        yerr=[abajo, arriba],
        fmt="o-",
        color="tab:green",
        capsize=3,
        label="publicar: sitio completo con búsqueda\n(mediana; barras: mínimo y máximo)",
    )
    der.annotate(
        f"objetivo con {s['n'][-1]:,}: ≤ {s['objetivo']:g} s",
        xy=(0.97, 0.04),
        ha="right",
        xycoords="axes fraction",
        color="tab:gray",
    )
    der.set_title("Sitio público")
    der.set_xlabel("sesiones")
    der.set_ylabel("segundos")
    costo.plot(s["n"], s["por_sesion"], "o-", color="tab:green", label="publicar: ms por sesión (mediana)")
    costo.set_title("Sitio público: costo por sesión")
    costo.set_xlabel("sesiones")
    costo.set_ylabel("milisegundos por sesión")
    costo.set_xticks(s["n"])
    for ax in (izq, der, costo):
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize="small")
    izq.set_xticks(c["n"])
    der.set_xticks(s["n"])
    fig.suptitle(titulo, fontsize="medium")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def main() -> int:
    inicio = time.perf_counter()
    lo = acta.soffice()  # before anything else: without LibreOffice there is nothing to compare with
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise SystemExit(FALTA_MATPLOTLIB) from None
    fecha = dt.datetime.now().isoformat(timespec="seconds")
    carga_inicio = _carga()
    cpu, nucleos, ram = _cpuinfo(), os.cpu_count(), _ram_gib()
    libreoffice = acta.version([lo, "--version"]).removeprefix("LibreOffice ")
    versiones = ", ".join(
        [f"Python {platform.python_version()}"]
        + [f"{p} {_version(p)}" for p in ("weasyprint", "pyHanko", "docxtpl")]
        + [f"LibreOffice {libreoffice}", f"matplotlib {_version('matplotlib')}"]
    )
    curvas: dict = {}
    secciones: list[str] = []
    cargas: list[str] = []
    for nombre, medir in (
        ("acta", acta.medir),
        ("lote", lambda: lote.medir(curvas)),
        ("firmas", firmas.medir),
        ("sitio", lambda: sitio.medir(curvas)),
        ("vista previa", vista.medir),
        ("perfil", perfil.medir),
    ):
        print(f"Midiendo: {nombre}…", file=sys.stderr, flush=True)
        antes = _carga()
        section = medir()
        cargas += [antes, _carga()]
        section += [
            f"Carga media de la máquina (1 / 5 / 15 min) al empezar esta sección: {antes}; al terminarla: {cargas[-1]}.",
            "",
        ]
        print("\n".join(section), flush=True)
        secciones += section
    _grafica(
        curvas, f"Tiempo contra número de sesiones · {fecha[:10]} · {cpu}, {nucleos} núcleos", HERE / GRAFICA
    )
    duracion = time.perf_counter() - inicio
    lines = [
        "# Resultados de los benchmarks",
        "",
        f"- Fecha: {fecha}",
        f"- Máquina: {cpu}, {nucleos} núcleos ({len(os.sched_getaffinity(0))} disponibles), "
        + (f"{ram:.1f} GiB de RAM, " if ram else "")
        + f"{platform.system()} {platform.machine()}",
        f"- Carga media de la máquina (1 / 5 / 15 min) al empezar: {carga_inicio}; al terminar: {_carga()} "
        "(la máquina es compartida: por eso razones medidas en la misma corrida y medianas)",
        *_cargada(carga_inicio, cargas[-1], cargas),
        f"- Versiones: {versiones}",
        f"- Duración de todas las mediciones: {duracion // 60:.0f} min {duracion % 60:.0f} s",
        "",
        f"![Tiempo contra número de sesiones: lote de actas contra LibreOffice y sitio público]({GRAFICA})",
        "",
        f"Gráfica: [{GRAFICA}]({GRAFICA}).",
        "",
        *LECTURA,
        "## Resumen: cada objetivo (issues 18 y 29; los demás, de issues anteriores)",
        "",
        *_resumen(secciones),
        "",
        *secciones,
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines), "utf-8")
    print(f"Escritos {HERE / 'RESULTS.md'} y {HERE / GRAFICA} en {duracion:.0f} s.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
