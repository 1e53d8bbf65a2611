"""Benchmark: the public site of an STL with 1,000 sessions — full build, incremental rebuild, records loading.

Synthetic records in a temporary folder: the bundled `stl.yaml` and 1,000 small complete sessions, five years
of 200, one in twenty extraordinary, numbered on from one year to the next as the records require (I-2021 …
CXC-2021, CXCI-2022 … CML-2025; EXT-I-2021 … EXT-L-2025; a number is at most 999). Each has quorum, the
agenda, one matter with two short interventions and two or three acuerdos; the archive is empty. The site is
built with the Pagefind index, in process (`publish.publicar`), as `stl publicar` does. Targets: full build
≤ 30 s; rebuilding after one session's record changed ≤ 2 s (records reloaded and the site published again).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ANIOS = range(2021, 2026)
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


def _records(base: Path) -> tuple[Path, list[str]]:
    root = base / "records"
    (root / "sesiones").mkdir(parents=True)
    shutil.copyfile(ROOT / "records/stl.yaml", root / "stl.yaml")
    ids = []
    from pipeline import spanish

    numeros = {"ordinaria": 0, "extraordinaria": 0}
    for anio in ANIOS:
        dias = _dias_habiles(anio)
        for oficio in range(1, POR_ANIO + 1):
            tipo = "extraordinaria" if oficio % 20 == 0 else "ordinaria"
            numeros[tipo] += 1
            numero = numeros[tipo]
            sid = f"{'EXT-' if tipo == 'extraordinaria' else ''}{spanish.roman(numero)}-{anio}"
            datos = _sesion(tipo, anio, numero, oficio, next(dias))
            (root / f"sesiones/{sid}.yaml").write_text(yaml.safe_dump(datos, allow_unicode=True), "utf-8")
            ids.append(sid)
    return root, ids


def _cumple(valor: float, objetivo: float) -> str:
    return f"≤ {objetivo:g} ({'cumplido' if valor <= objetivo else 'NO cumplido'})"


def medir() -> list[str]:
    from pipeline import publish, records

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root, ids = _records(tmp)
        inicio = time.perf_counter()
        registro = records.load(root)
        carga = time.perf_counter() - inicio
        assert len(registro.sesiones) == len(ids)
        archivo, sitio = tmp / "archivo", tmp / "sitio"
        archivo.mkdir()

        inicio = time.perf_counter()
        completo = publish.publicar(registro, archivo, sitio, buscar=True)
        t_completo = time.perf_counter() - inicio
        inicio = time.perf_counter()
        sin_busqueda = publish.publicar(registro, archivo, tmp / "sitio-sin-busqueda", buscar=False)
        t_sin_busqueda = time.perf_counter() - inicio
        assert len(sin_busqueda.paginas) == len(completo.paginas)
        paginas = len(completo.paginas)
        bytes_sitio = sum(p.stat().st_size for p in sitio.rglob("*") if p.is_file())

        inicio = time.perf_counter()
        igual = publish.publicar(registro, archivo, sitio, buscar=True)
        t_igual = time.perf_counter() - inicio

        cambiada = root / f"sesiones/{ids[len(ids) // 2]}.yaml"
        texto = cambiada.read_text("utf-8")
        cambiada.write_text(texto.replace("hora_cierre: '11:30'", "hora_cierre: '11:45'"), "utf-8")
        assert cambiada.read_text("utf-8") != texto
        inicio = time.perf_counter()
        registro = records.load(root)
        recarga = time.perf_counter() - inicio
        incremental = publish.publicar(registro, archivo, sitio, buscar=True)
        t_incremental = time.perf_counter() - inicio
    return [
        f"## Sitio público: {len(ids)} sesiones ({len(ANIOS)} años de {POR_ANIO}, una de cada 20 extraordinaria), "
        "con búsqueda (Pagefind)",
        "",
        f"En proceso (`publish.publicar`), archivo vacío. {paginas} páginas; el sitio completo ocupa "
        f"{bytes_sitio / 1024 / 1024:.1f} MB con el índice de búsqueda.",
        "",
        "| medida | valor (s) | objetivo (s) |",
        "|---|---|---|",
        f"| carga de los registros ({len(ids)} sesiones) | {carga:.2f} | — |",
        f"| sitio completo, con índice de búsqueda | {t_completo:.2f} | {_cumple(t_completo, OBJETIVO_COMPLETO)} |",
        f"| sitio completo, sin índice de búsqueda | {t_sin_busqueda:.2f} | — |",
        f"| publicar de nuevo sin cambios ({len(igual.paginas)} páginas generadas, {igual.omitidas} sin cambios) "
        f"| {t_igual:.2f} | — |",
        f"| tras cambiar una sesión: recargar ({recarga:.2f} s) y publicar ({t_incremental - recarga:.2f} s); "
        f"{len(incremental.paginas)} páginas generadas: {', '.join(incremental.paginas)} "
        f"| {t_incremental:.2f} | {_cumple(t_incremental, OBJETIVO_INCREMENTAL)} |",
        "",
    ]


if __name__ == "__main__":
    print("\n".join(medir()))
