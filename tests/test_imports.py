"""Commands that do not render stay light: they never import WeasyPrint, pyHanko or docxtpl.

Each command runs to its end in a fresh interpreter, and the test first checks that it did: exit code 0 and what
it prints. A command that fails early (an error, a `SystemExit`) would import nothing heavy and pass the check of
the imports without having run; here it fails the test instead.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from builders import ROOT

PESADOS = ("weasyprint", "pyhanko", "docxtpl", "icalendar", "playwright")
MARCA = "--- módulos pesados importados:"


@pytest.mark.parametrize(
    ("args", "dice"),
    [
        (["--ayuda"], "Actas, convocatorias y minutas del Secretariado"),
        (["validar", "IV-2020"], "Cuarta Sesión Ordinaria (IV-2020)"),
        (["acuerdos"], "STL/IV/4/2020"),
        (["asistencia"], "Zulema Martínez Sánchez"),
        (["calendario"], "Calendario del Secretariado Técnico Local"),
    ],
    ids=["ayuda", "validar", "acuerdos", "asistencia", "calendario"],
)
def test_light_commands_do_not_import_the_heavy_libraries(args, dice):
    programa = (
        "import sys\n"
        "from pipeline.cli import main\n"
        f"codigo = main({['--registros', str(ROOT / 'records'), *args]!r}, standalone_mode=False)\n"
        "assert codigo in (None, 0), f'el comando terminó con código {codigo}'\n"
        f"print({MARCA!r}, sorted(m for m in {PESADOS!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", programa], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr  # the command ran to its end
    salida, _, importados = result.stdout.rpartition(MARCA)
    assert dice in salida, result.stdout
    assert importados.strip() == "[]", result.stdout
