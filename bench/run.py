"""`make bench`: run every benchmark and write bench/RESULTS.md (figures, machine, versions, date)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import acta  # noqa: E402
import firmas  # noqa: E402
import lote  # noqa: E402
import sitio  # noqa: E402


def main() -> int:
    versions = ", ".join(f"{p} {version(p)}" for p in ("weasyprint", "pyHanko", "docxtpl"))
    lines = [
        "# Resultados de los benchmarks",
        "",
        f"Fecha: {dt.datetime.now().isoformat(timespec='seconds')} · {platform.machine()}, "
        f"{len(os.sched_getaffinity(0))} núcleos · Python {platform.python_version()} · {versions}",
        "",
    ]
    for module in (acta, lote, firmas, sitio):
        section = module.medir()
        print("\n".join(section))
        lines += section
    (HERE / "RESULTS.md").write_text("\n".join(lines), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
