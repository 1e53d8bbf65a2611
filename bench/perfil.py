"""Profile, per phase: where the time of an acta in a batch, of the first acta of a process and of the site
rebuilt after one changed session goes. cProfile in process (its own overhead inflates Python-heavy code, so the
phase times are measured apart, without it); the top entries by own time go to bench/RESULTS.md.

Phases of an acta: wording (records → `Documento` → HTML), layout (WeasyPrint `render`), writing the PDF/A
(`write_pdf`: drawing the pages, fonts, compression). The first acta of a process also pays WeasyPrint's import
and the fonts; the site pays the records reload, the view of every session, the pages, the open data, the
calendar and Pagefind's index.
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lote
import sitio

ROOT = Path(__file__).resolve().parent.parent
TOP = 12
ACTAS = 12
SESIONES_SITIO = 1000

# A fresh process: what the first acta costs before and during its layout (the press's own process).
PRIMERA = """
import time
t = time.perf_counter()
from pipeline import imprenta, fuentes, records, render, rules
fases = {"importar el pipeline": time.perf_counter() - t}
def fase(nombre, f):
    t = time.perf_counter(); r = f(); fases[nombre] = time.perf_counter() - t; return r
registro = fase("cargar los registros", lambda: records.load(%(registros)r))
html = fase("redactar el acta y su HTML", lambda: render.html(render.acta(registro, rules.dictaminar(registro, "IV-2020"))))
fase("importar WeasyPrint y su configuración de fuentes", imprenta._fuentes)
fase("leer los mapas de caracteres de las fuentes (fc-match, fontTools)", fuentes.cobertura)
fase("maquetar y escribir el primer PDF del proceso", lambda: imprenta.pdf(html, render.TEMPLATES / "pdf"))
fase("maquetar y escribir el mismo PDF otra vez", lambda: imprenta.pdf(html, render.TEMPLATES / "pdf"))
for k, v in fases.items(): print(f"{v:.3f}\\t{k}")
"""


def _nombre(clave: tuple) -> str:
    archivo, linea, funcion = clave
    if archivo == "~":
        return funcion
    for raiz in ("site-packages/", "/pipeline/", f"/python{sys.version_info[0]}.{sys.version_info[1]}/"):
        if raiz in archivo:
            archivo = archivo.split(raiz, 1)[1]
            break
    return f"`{archivo}:{linea}({funcion})`"


def _top(perfil: cProfile.Profile, titulo: str) -> list[str]:
    estadisticas = pstats.Stats(perfil).stats
    total = sum(tt for _, _, tt, _, _ in estadisticas.values())
    filas = sorted(estadisticas.items(), key=lambda item: item[1][2], reverse=True)[:TOP]
    return [
        f"{titulo} (cProfile; {total:.2f} s de tiempo propio en total):",
        "",
        "| función | llamadas | tiempo propio (s) | % | acumulado (s) |",
        "|---|---|---|---|---|",
        *(
            f"| {_nombre(clave)} | {nc} | {tt:.3f} | {100 * tt / total:.0f} | {ct:.3f} |"
            for clave, (_, nc, tt, ct, _) in filas
        ),
        "",
    ]


def _actas(tmp: Path) -> list[str]:
    from pipeline import imprenta, records, render, rules

    raiz, ids = lote._records(tmp / "lote", ACTAS)
    registro = records.load(raiz)
    weasyprint = imprenta._weasyprint()
    base = str(render.TEMPLATES / "pdf")
    render.pdf(render.acta(registro, rules.dictaminar(registro, ids[0])))  # warm: the batch's steady state
    fases: dict[str, list[float]] = {
        "redactar (registro → HTML)": [],
        "maquetar": [],
        "escribir el PDF/A": [],
    }

    def una(sesion: str) -> None:
        t0 = time.perf_counter()
        html = render.html(render.acta(registro, rules.dictaminar(registro, sesion)))
        t1 = time.perf_counter()
        documento = weasyprint.HTML(string=html, base_url=base).render(font_config=imprenta._fuentes())
        t2 = time.perf_counter()
        documento.write_pdf(pdf_variant="pdf/a-3a")
        t3 = time.perf_counter()
        for nombre, t in zip(fases, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            fases[nombre].append(t)

    for sesion in ids:
        una(sesion)
    perfil = cProfile.Profile()
    perfil.enable()
    for sesion in ids:
        una(sesion)
    perfil.disable()
    return [
        f"Fases de un acta larga del lote (mediana de {ACTAS}, sin el perfilador, un proceso ya caliente): "
        + "; ".join(f"{nombre} {statistics.median(t[:ACTAS]):.3f} s" for nombre, t in fases.items())
        + ".",
        "",
        *_top(perfil, f"Las {ACTAS} actas del lote, en un proceso"),
    ]


def _primera() -> list[str]:
    codigo = PRIMERA % {"registros": str(ROOT / "records")}
    salida = subprocess.run(
        [sys.executable, "-c", codigo], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    filas = [linea.split("\t") for linea in salida.splitlines()]
    return [
        "El acta IV-2020 en un proceso nuevo, fase por fase (sin el perfilador; `stl acta` hace las dos primeras "
        "y la de los mapas de caracteres en el proceso principal mientras el segundo importa WeasyPrint):",
        "",
        "| fase | s |",
        "|---|---|",
        *(f"| {nombre} | {float(t):.3f} |" for t, nombre in filas),
        "",
    ]


def _sitio(tmp: Path) -> list[str]:
    from pipeline import publish, records

    raiz, ids = sitio._records(tmp / "sitio", SESIONES_SITIO)
    cache, archivo, destino = tmp / "salida/.cache", tmp / "archivo", tmp / "sitio-publicado"
    archivo.mkdir()
    publish.publicar(records.load(raiz, cache=cache), archivo, destino)
    cambiada = raiz / f"sesiones/{ids[len(ids) // 2]}.yaml"
    datos = yaml.safe_load(cambiada.read_text("utf-8"))
    datos["hora_cierre"] = "11:50"
    cambiada.write_text(yaml.safe_dump(datos, allow_unicode=True), "utf-8")
    perfil = cProfile.Profile()
    perfil.enable()
    publish.publicar(records.load(raiz, cache=cache), archivo, destino)
    perfil.disable()
    return _top(
        perfil,
        f"Tras cambiar una sesión de {SESIONES_SITIO}: recargar los registros (con la caché) y publicar, en "
        "proceso; Pagefind, en su propio proceso, no aparece aquí más que como la espera `communicate`",
    )


def medir() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        return [
            "## Perfil: dónde se va el tiempo",
            "",
            *_primera(),
            *_actas(tmp),
            *_sitio(tmp),
        ]


if __name__ == "__main__":
    print("\n".join(medir()))
