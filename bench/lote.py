"""Benchmark: 120 actas in one `stl acta --todas` call (both cores) against LibreOffice converting the same 120
DOCX in one call. Target (issue 7): ratio ≤ 0.33. Also peak memory of `stl acta IV-2020` (≤ 150 MiB)."""

from __future__ import annotations

import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STL = str(ROOT / ".venv/bin/stl")
PARRAFO = (
    "expuso los avances del compromiso, las dificultades de su implementación y las acciones de seguimiento "
    "propuestas para el siguiente periodo, con la participación de la sociedad civil. "
)


def _records(base: Path, n: int) -> Path:
    root = base / "records"
    shutil.copytree(
        ROOT / "records",
        root,
        ignore=shutil.ignore_patterns(
            "sesiones", "reuniones", "folios.yaml", "seguimiento.yaml", "envios.yaml", ".*"
        ),
    )
    (root / "sesiones").mkdir()
    ids = ["martinez", "vargas", "cervantes", "funes"]
    for i in range(1, n + 1):
        from pipeline import spanish

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
        (root / f"sesiones/{spanish.roman(i)}-{anio}.yaml").write_text(
            yaml.safe_dump(sesion, allow_unicode=True), "utf-8"
        )
    return root


def _tiempo(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def _memoria_acta() -> float:
    """Peak resident memory (MiB) of one `stl acta IV-2020` process, from the kernel's accounting."""
    with tempfile.TemporaryDirectory() as tmp:
        antes = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(
            [STL, "--salida", tmp, "acta", "IV-2020", "--formato", "pdf"],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        despues = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(antes, despues) / 1024


def medir(n: int = 120) -> list[str]:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("Falta LibreOffice (soffice): ejecute `make sistema`.")
    memoria = _memoria_acta()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = _records(tmp, n)
        subprocess.run(
            [
                STL,
                "--registros",
                str(root),
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
        docx = sorted(str(p) for p in (tmp / "docx").rglob("*.docx"))
        nuestro = _tiempo(
            [
                STL,
                "--registros",
                str(root),
                "--salida",
                str(tmp / "pdf"),
                "acta",
                "--todas",
                "--formato",
                "pdf",
            ]
        )
        pdfs = len(list((tmp / "pdf").rglob("*.pdf")))
        perfil = f"-env:UserInstallation=file://{tmp}/lo-profile"
        _tiempo(
            [
                soffice,
                perfil,
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp / "lo-calentamiento"),
                docx[0],
            ]
        )
        libreoffice = _tiempo(
            [soffice, perfil, "--headless", "--convert-to", "pdf", "--outdir", str(tmp / "lo"), *docx]
        )
    razon = nuestro / libreoffice
    return [
        f"## Lote: {n} actas en una llamada contra LibreOffice convirtiendo los {n} DOCX en una llamada",
        "",
        "| medida | valor | objetivo |",
        "|---|---|---|",
        f"| `stl acta --todas` ({pdfs} PDF, ambos núcleos) | {nuestro:.1f} s | — |",
        f"| `soffice --convert-to pdf` de los {n} DOCX | {libreoffice:.1f} s | — |",
        f"| razón | {razon:.2f} | ≤ 0.33 ({'cumplido' if razon <= 0.33 else 'NO cumplido'}) |",
        f"| memoria máxima de `stl acta IV-2020` | {memoria:.0f} MiB | ≤ 150 ({'cumplido' if memoria <= 150 else 'NO cumplido'}) |",
        "",
    ]
