"""Benchmark: the preview kept warm (`stl vista-previa --pdf`, and the console's pages): from an edit of the record
to the pages drawn, for IV-2020 and for a synthetic acta of about thirty pages.

In process, as the preview's server answers the page after an edit (`preview.Vista.pagina`): the records read
again, the acta worded, laid out (WeasyPrint already imported, its fonts and style sheets loaded), its PDF written
and every page drawn as an image. Each round changes the text of an intervention of the acta's middle point (a
different text each time: the acta is laid out again), after a warm-up; medians of RUNS rounds. Beside it, in the
same run and process, what the preview did before (issue 29): the whole PDF written and drawn with `pdftoppm -png`
on every request. Targets (issue 29): IV-2020 ≤ 1 s, the acta of thirty pages ≤ 2.5 s. The browser asks for the
page every 0.3 s (the preview's reload): at most that much more before the reader sees it.
"""

from __future__ import annotations

import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from acta import cumple
from lote import PARRAFO

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
OBJETIVOS = {"IV-2020": 1.0, "LARGA": 2.5}
LARGA = "V-2020"  # the long acta: a session after IV-2020 in the bundled records


def _larga(raiz: Path) -> None:
    """A long session in the records: eleven matters of eight interventions of five paragraphs (30 pages)."""
    ids = ["martinez", "vargas", "cervantes", "funes"]
    asuntos = [
        {
            "clave": f"asunto-{k}",
            "texto": f"Avance del compromiso {k} del Plan de Acción Local",
            "intervenciones": [{"orador": ids[i % 4], "texto": PARRAFO * 5} for i in range(8)],
            "acuerdos": [{"texto": f"el informe de avance del compromiso {k}", "votacion": "unanimidad"}],
        }
        for k in range(1, 12)
    ]
    sesion = {
        "tipo": "ordinaria",
        "numero": 5,
        "fecha": "2020-12-15",
        "hora_inicio": "10:00",
        "hora_cierre": "13:00",
        "modalidad": {"tipo": "virtual", "plataforma": "Plataforma virtual Zoom"},
        "convocatoria": {"fecha": "2020-12-01", "convoca": "funes"},
        "asistencia": ids,
        "orden_del_dia": [
            {"tipo": "quorum"},
            {"tipo": "orden_del_dia", "acuerdos": [{"votacion": "unanimidad"}]},
            *asuntos,
            {"tipo": "asuntos_generales"},
            {"tipo": "clausura"},
        ],
    }
    (raiz / f"sesiones/{LARGA}.yaml").write_text(yaml.safe_dump(sesion, allow_unicode=True), "utf-8")


def _editar(raiz: Path, sesion: str, ronda: int) -> None:
    """Another text for the first intervention of the acta's middle point: what a Facilitador does in the console."""
    path = raiz / f"sesiones/{sesion}.yaml"
    datos = yaml.safe_load(path.read_text("utf-8"))
    puntos = [p for p in datos["orden_del_dia"] if p.get("intervenciones")]
    intervencion = puntos[len(puntos) // 2]["intervenciones"][0]
    intervencion["texto"] = re.sub(r" \(revisión \d+\)$", "", intervencion["texto"]) + f" (revisión {ronda})"
    path.write_text(yaml.safe_dump(datos, allow_unicode=True), "utf-8")


def _cpu() -> float:
    propio, hijos = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return propio.ru_utime + propio.ru_stime + hijos.ru_utime + hijos.ru_stime


def _antes(vista, carpeta: Path) -> int:
    """What the preview did before: the acta worded, its PDF written and every page drawn by `pdftoppm -png`."""
    from pipeline import render

    documento, _ = vista._documento()
    datos, _ = render.pdf(documento)
    for vieja in carpeta.glob("*.png"):
        vieja.unlink()
    (carpeta / "vista.pdf").write_bytes(datos)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(carpeta / "vista.pdf"), str(carpeta / "p")], check=True
    )
    return len(list(carpeta.glob("p-*.png")))


def _paginas(html: str) -> int:
    return len(re.findall(r'<img src="/png/', html))


def _medir(vista, raiz: Path, sesion: str, carpeta: Path) -> dict:
    paginas = _paginas
    vista.pagina(), _antes(vista, carpeta)  # warm-up: imports, fonts, style sheets, the first layout
    ahora, antes, cpu, sin_cambio = [], [], [], []
    hojas = 0
    for ronda in range(1, RUNS + 1):
        _editar(raiz, sesion, ronda)
        inicio, c0 = time.perf_counter(), _cpu()
        hojas = paginas(vista.pagina())
        ahora.append(time.perf_counter() - inicio)
        cpu.append(_cpu() - c0)
        inicio = time.perf_counter()
        assert paginas(vista.pagina()) == hojas  # the same acta asked again (the browser's reload)
        sin_cambio.append(time.perf_counter() - inicio)
        _editar(raiz, sesion, ronda + RUNS)
        inicio = time.perf_counter()
        assert _antes(vista, carpeta) == hojas
        antes.append(time.perf_counter() - inicio)
    return {"hojas": hojas, "ahora": ahora, "cpu": cpu, "antes": antes, "sin_cambio": sin_cambio}


def _corridas(valores: list[float]) -> str:
    return ", ".join(f"{x:.2f}" for x in valores)


def medir() -> list[str]:
    from pipeline import preview

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        raiz = tmp / "records"
        shutil.copytree(ROOT / "records", raiz)
        _larga(raiz)
        (tmp / "antes").mkdir()
        medidas = {}
        for sesion in ("IV-2020", LARGA):
            vista = preview.Vista(raiz, sesion, pdf=True)
            medidas[sesion] = _medir(vista, raiz, sesion, tmp / "antes")
    mediana = statistics.median
    filas, objetivos = [], []
    for sesion, m in medidas.items():
        nombre = (
            f"{sesion} ({m['hojas']} páginas)"
            if sesion == "IV-2020"
            else f"acta sintética de {m['hojas']} páginas"
        )
        objetivo = OBJETIVOS["IV-2020" if sesion == "IV-2020" else "LARGA"]
        filas.append(
            f"| {nombre} | {mediana(m['ahora']):.2f} ({_corridas(m['ahora'])}) | {mediana(m['cpu']):.2f} "
            f"| {mediana(m['sin_cambio']):.3f} | {mediana(m['antes']):.2f} ({_corridas(m['antes'])}) |"
        )
        objetivos.append(
            f"| vista previa caliente, de la edición a las páginas dibujadas: {nombre} (mediana de {RUNS}) "
            f"| {mediana(m['ahora']):.2f} s (CPU {mediana(m['cpu']):.2f} s; antes {mediana(m['antes']):.2f} s) "
            f"| {cumple(mediana(m['ahora']), objetivo, ' s')} |"
        )
    return [
        "## Vista previa caliente: de la edición a las páginas (issue 29)",
        "",
        "En proceso, como responde el servidor de `stl vista-previa --pdf` (y la consola) tras una edición del "
        "registro: releer los registros, redactar, maquetar (WeasyPrint ya importado, fuentes y hojas de estilo "
        f"cargadas), escribir el PDF y dibujar cada página. {RUNS} ediciones de una intervención del punto de en "
        "medio, tras un calentamiento; medianas. «Antes»: lo que la vista previa hacía en cada petición (el PDF "
        "entero y `pdftoppm -png`), en la misma corrida. El navegador pregunta cada 0.3 s si hubo cambios: a lo más "
        "eso más.",
        "",
        "| acta | tras una edición (s) | CPU (s) | pedida otra vez sin cambios (s) | antes (s) |",
        "|---|---|---|---|---|",
        *filas,
        "",
        "| medida | valor | objetivo |",
        "|---|---|---|",
        *objetivos,
        "",
    ]


if __name__ == "__main__":
    print("\n".join(medir()))
