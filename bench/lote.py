"""Benchmark: N actas in one `stl acta --todas` call (both cores) against LibreOffice converting the same N DOCX
in one call (one `soffice --convert-to pdf` process for all of them), for N = 10, 30, 60, 120 synthetic sessions.

The 120 point is the issue's figure (target: ratio ≤ 0.8): five paired runs A/B after a warm-up, medians. The
smaller points draw the curve of time against the number of sessions (bench/tiempo-vs-sesiones.png), one run
each: five of each would take the benchmark past its time budget. Every `stl` run writes to a new folder, every
LibreOffice run too, and both must give one PDF per session. Peak memory of `stl acta IV-2020` is in bench/acta.py.
Paired with those five runs, the floor (issue 29): the same HTML `stl` lays out, rendered by WeasyPrint alone in
as many processes as `stl` has workers; and, beside the seconds, the CPU time of each (user and system of all
its processes), which a shared machine inflates far less.
"""

from __future__ import annotations

import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from acta import cumple, procesos, soffice

ROOT = Path(__file__).resolve().parent.parent
STL = str(ROOT / ".venv/bin/stl")
PARRAFO = (
    "expuso los avances del compromiso, las dificultades de su implementación y las acciones de seguimiento "
    "propuestas para el siguiente periodo, con la participación de la sociedad civil. "
)


N = (10, 30, 60, 120)
RUNS = 5
OBJETIVO = 0.8  # issue 18 (issue 7 asked for 0.33)
# WeasyPrint alone on the HTML `stl` lays out, each process a share of the files: the floor of the batch.
PISO = """
import sys
from pathlib import Path
import weasyprint
base, salida = sys.argv[1], Path(sys.argv[2])
for html in sys.argv[3:]:
    pdf = weasyprint.HTML(filename=html, base_url=base).write_pdf(pdf_variant="pdf/a-3a")
    (salida / (Path(html).stem + ".pdf")).write_bytes(pdf)
"""


def _records(base: Path, n: int) -> tuple[Path, list[str]]:
    """Sessions I … n (2021 on, 40 a year), each a long acta: eight interventions of five paragraphs."""
    root = base / "records"
    shutil.copytree(
        ROOT / "records",
        root,
        ignore=shutil.ignore_patterns(
            "sesiones", "reuniones", "folios.yaml", "seguimiento.yaml", "envios.yaml", ".*"
        ),
    )
    (root / "sesiones").mkdir()
    from pipeline import spanish

    ids = ["martinez", "vargas", "cervantes", "funes"]
    sesiones = []
    for i in range(1, n + 1):
        anio, mes, dia = 2021 + (i - 1) // 40, 1 + ((i - 1) % 40) // 4, 4 + 5 * ((i - 1) % 4)
        sesion = {
            "tipo": "ordinaria",
            "numero": i,
            "fecha": f"{anio}-{mes:02d}-{dia:02d}",
            "hora_inicio": "10:00",
            "hora_cierre": "12:00",
            "modalidad": {"tipo": "virtual", "plataforma": "Plataforma virtual Zoom"},
            "convocatoria": {
                "fecha": f"{anio}-{mes:02d}-01"
                if dia > 10
                else f"{anio - (mes == 1)}-{(mes - 2) % 12 + 1:02d}-20",
                "convoca": "funes",
            },
            "asistencia": ids,
            "orden_del_dia": [
                {"tipo": "quorum"},
                {"tipo": "orden_del_dia", "acuerdos": [{"votacion": "unanimidad"}]},
                {
                    "clave": "avance",
                    "texto": "Avance de los compromisos del Plan de Acción Local",
                    "intervenciones": [{"orador": ids[k % 4], "texto": PARRAFO * 5} for k in range(8)],
                    "acuerdos": [{"texto": "el informe de avance", "votacion": "unanimidad"}],
                },
                {"tipo": "asuntos_generales"},
                {"tipo": "clausura"},
            ],
        }
        sesiones.append(f"{spanish.roman(i)}-{anio}")
        (root / f"sesiones/{sesiones[-1]}.yaml").write_text(
            yaml.safe_dump(sesion, allow_unicode=True), "utf-8"
        )
    return root, sesiones


def _contar(carpeta: Path, n: int, quien: str) -> None:
    pdfs = len(list(carpeta.rglob("*.pdf")))
    if pdfs != n:
        raise SystemExit(f"{quien} escribió {pdfs} PDF de {n}: la comparación no sería justa.")


def medir(curvas: dict | None = None) -> list[str]:
    """The section of bench/RESULTS.md; the curve (seconds against sessions) goes in curvas["lote"]."""
    from pipeline import render

    lo = soffice()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        registros = {n: _records(tmp / f"n{n}", n) for n in N}
        mayor = registros[max(N)]
        assert all(ids == mayor[1][:n] for n, (_, ids) in registros.items())
        subprocess.run(
            [
                STL,
                "--registros",
                str(mayor[0]),
                "--salida",
                str(tmp / "docx"),
                "acta",
                "--todas",
                "--formato",
                "docx",
            ],
            check=True,
            capture_output=True,
        )
        docx = {s: tmp / "docx" / s / f"acta-{s}.docx" for s in mayor[1]}
        assert all(p.is_file() for p in docx.values())
        html = _html(mayor[0], mayor[1], tmp / "html")
        perfil = f"-env:UserInstallation=file://{tmp}/lo-perfil"
        corrida = itertools.count()

        def nuestro(n: int) -> tuple[float, float, float]:
            salida = tmp / f"stl-{next(corrida)}"  # new each time: nothing to reuse
            medida = procesos(
                [
                    [
                        STL,
                        "--registros",
                        str(registros[n][0]),
                        "--salida",
                        str(salida),
                        "acta",
                        "--todas",
                        "--formato",
                        "pdf",
                    ]
                ]
            )
            _contar(salida, n, "`stl acta --todas`")
            shutil.rmtree(salida)
            return medida

        def libreoffice(n: int) -> tuple[float, float, float]:
            salida = tmp / f"lo-{next(corrida)}"
            medida = procesos(
                [
                    [lo, perfil, "--headless", "--convert-to", "pdf", "--outdir", str(salida)]
                    + [str(docx[s]) for s in registros[n][1]]
                ]
            )
            _contar(salida, n, "LibreOffice")
            shutil.rmtree(salida)
            return medida

        def piso(n: int) -> tuple[float, float, float]:
            salida = tmp / f"piso-{next(corrida)}"
            salida.mkdir()
            nucleos = os.cpu_count() or 1  # as many processes as `stl` has workers, each a share of the files
            partes = [[str(html[s]) for s in registros[n][1][k::nucleos]] for k in range(nucleos)]
            base = str(render.TEMPLATES / "pdf")
            medida = procesos([[sys.executable, "-c", PISO, base, str(salida), *p] for p in partes if p])
            _contar(salida, n, "WeasyPrint solo")
            shutil.rmtree(salida)
            return medida

        nuestro(N[0]), libreoffice(N[0]), piso(N[0])  # warm-up: caches, LibreOffice's first-start profile
        curva = {n: ([nuestro(n)], [libreoffice(n)]) for n in N[:-1]}
        a, b, c = [], [], []
        for _ in range(RUNS):
            a.append(nuestro(max(N)))
            b.append(libreoffice(max(N)))
            c.append(piso(max(N)))
        curva[max(N)] = (a, b)

    def mediana(medidas: list[tuple[float, float]], i: int = 0) -> float:
        return statistics.median(m[i] for m in medidas)

    filas = []
    for n, (x, y) in curva.items():
        corridas = (
            "1"
            if len(x) == 1
            else f"{len(x)} pareadas; stl: {', '.join(f'{t:.1f}' for t, *_ in x)}; "
            f"LibreOffice: {', '.join(f'{t:.1f}' for t, *_ in y)}"
        )
        filas.append(
            f"| {n} | {mediana(x):.1f} ({mediana(x) / n:.2f} por acta) | {mediana(y):.1f} ({mediana(y) / n:.2f} por acta) "
            f"| {mediana(x) / mediana(y):.2f} | {corridas} |"
        )
    n = max(N)
    razon = mediana(a) / mediana(b)
    sobre_piso, cpu_sobre_piso = mediana(a) / mediana(c), mediana(a, 2) / mediana(c, 2)
    if curvas is not None:
        curvas["lote"] = {
            "n": list(curva),
            "stl": [mediana(x) for x, _ in curva.values()],
            "libreoffice": [mediana(y) for _, y in curva.values()],
            "corridas_stl": [t for t, *_ in a],
            "corridas_libreoffice": [t for t, *_ in b],
            "objetivo": OBJETIVO,
        }
    return [
        "## Lote: N actas en una llamada de `stl acta --todas` contra LibreOffice convirtiendo los mismos N DOCX "
        "en una llamada",
        "",
        f"Sesiones sintéticas largas (ocho intervenciones de cinco párrafos cada una). `stl` reparte las actas "
        f"entre los {os.cpu_count()} núcleos; LibreOffice convierte todos los DOCX en un solo proceso "
        "(`soffice --headless --convert-to pdf --outdir … *.docx`, con un perfil propio). Tras un calentamiento "
        f"con {N[0]} actas, una corrida por punto de la curva y {RUNS} corridas pareadas A/B con {n}; medianas. "
        "Cada corrida escribe en una carpeta nueva y se comprueba que haya un PDF por sesión.",
        "",
        "| sesiones | stl acta --todas (s) | LibreOffice (s) | razón | corridas |",
        "|---|---|---|---|---|",
        *filas,
        "",
        "| medida | valor | objetivo |",
        "|---|---|---|",
        f"| razón stl / LibreOffice con {n} actas (medianas de {RUNS}) | {razon:.2f} (el piso, WeasyPrint solo: "
        f"{mediana(c) / mediana(b):.2f}; en CPU, stl {mediana(a, 2) / mediana(b, 2):.2f} y el piso "
        f"{mediana(c, 2) / mediana(b, 2):.2f}) | {cumple(razon, OBJETIVO)} |",
        f"| memoria máxima del lote de {n} (el mayor proceso; mediana de {RUNS}) | {mediana(a, 1):.0f} MiB "
        f"(LibreOffice: {mediana(b, 1):.0f} MiB) | — |",
        "",
        f"**El piso: WeasyPrint solo.** El mismo HTML que `stl` maqueta para esas {n} actas, escrito antes en "
        f"archivos, en PDF/A-3a etiquetado con WeasyPrint y nada más (sin la imprenta de `stl`: ni su lector restringido ni su arreglo del árbol de estructura), repartido en {os.cpu_count()} procesos (los núcleos que "
        f"usa `stl`), cada uno importando WeasyPrint; pareado con las {RUNS} corridas de arriba. El tiempo de CPU "
        "(usuario y sistema de todos los procesos) apenas cambia con la carga de la máquina; los segundos, sí.",
        "",
        "| | segundos, mediana (corridas) | CPU (s), mediana | memoria máxima (MiB) |",
        "|---|---|---|---|",
        f"| stl acta --todas | {mediana(a):.1f} ({_corridas(a)}) | {mediana(a, 2):.1f} | {mediana(a, 1):.0f} |",
        f"| WeasyPrint solo (el piso) | {mediana(c):.1f} ({_corridas(c)}) | {mediana(c, 2):.1f} | {mediana(c, 1):.0f} |",
        f"| LibreOffice | {mediana(b):.1f} ({_corridas(b)}) | {mediana(b, 2):.1f} | {mediana(b, 1):.0f} |",
        "",
        "| medida | valor | objetivo |",
        "|---|---|---|",
        f"| stl sobre su piso (WeasyPrint solo) con {n} actas, segundos / CPU | {sobre_piso:.2f} / "
        f"{cpu_sobre_piso:.2f} | — |",
        f"| el piso contra LibreOffice con {n} actas, segundos / CPU | {mediana(c) / mediana(b):.2f} / "
        f"{mediana(c, 2) / mediana(b, 2):.2f} | — |",
        f"| razón stl / LibreOffice en tiempo de CPU con {n} actas | {mediana(a, 2) / mediana(b, 2):.2f} | — |",
        "",
    ]


def _corridas(medidas: list[tuple[float, float, float]]) -> str:
    return ", ".join(f"{m[0]:.1f}" for m in medidas)


def _html(raiz: Path, sesiones: list[str], carpeta: Path) -> dict[str, Path]:
    """The HTML of each acta, as `stl` lays it out (the floor's input)."""
    from pipeline import records, render, rules

    registro = records.load(raiz)
    carpeta.mkdir()
    archivos = {}
    for s in sesiones:
        archivos[s] = carpeta / f"acta-{s}.html"
        archivos[s].write_text(render.html(render.acta(registro, rules.dictaminar(registro, s))), "utf-8")
    return archivos


if __name__ == "__main__":
    print("\n".join(medir()))
