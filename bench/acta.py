"""Benchmark: `stl acta IV-2020` (record → PDF, whole process) against LibreOffice converting the same acta's DOCX.

What a Facilitador does today is type the acta in Word and export it; LibreOffice headless converting the DOCX
is the reference measured side by side, in the same run, on the same machine. The machines are shared and
noisy, so the runs are paired A/B/A/B after a warm-up and the figure is the ratio of medians.
Its section of bench/RESULTS.md comes from `medir()`; `make bench` runs bench/run.py.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STL = [str(ROOT / ".venv/bin/stl"), "--registros", str(ROOT / "records")]
RUNS = 5


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=120).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "no disponible"
    return out.splitlines()[0] if out else "no disponible"


def medir() -> list[str]:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("Falta LibreOffice (soffice): ejecute `make sistema`.")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        salida = ["--salida", str(tmp / "salida")]
        subprocess.run(
            [*STL, *salida, "acta", "IV-2020", "--formato", "ambos"], check=True, capture_output=True
        )
        docx = tmp / "salida/IV-2020/acta-IV-2020.docx"
        profile = f"-env:UserInstallation=file://{tmp}/lo-profile"
        ours = [*STL, "--salida", str(tmp / "ours"), "acta", "IV-2020", "--formato", "pdf"]
        theirs = [
            soffice,
            profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp / "lo"),
            str(docx),
        ]
        timed(ours), timed(theirs)  # warm-up: caches, LibreOffice's first-start profile
        a, b = [], []
        for _ in range(RUNS):
            a.append(timed(ours))
            b.append(timed(theirs))
    ma, mb = statistics.median(a), statistics.median(b)
    ratio = ma / mb
    return [
        f"## `stl acta IV-2020` contra LibreOffice ({version([soffice, '--version'])})",
        "",
        "Proceso completo (registro → PDF) contra `soffice --headless --convert-to pdf` del DOCX de la misma acta;",
        f"{RUNS} corridas pareadas A/B tras un calentamiento; mediana.",
        "",
        "| | mediana (s) | corridas (s) |",
        "|---|---|---|",
        f"| stl acta (registro → PDF) | {ma:.3f} | {', '.join(f'{x:.3f}' for x in a)} |",
        f"| LibreOffice (DOCX → PDF) | {mb:.3f} | {', '.join(f'{x:.3f}' for x in b)} |",
        "",
        f"Razón stl / LibreOffice: **{ratio:.2f}** (objetivo ≤ 1.0: {'cumplido' if ratio <= 1.0 else 'NO cumplido'}).",
        "",
    ]
