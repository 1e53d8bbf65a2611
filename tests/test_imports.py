"""Commands that do not render stay light: they never import WeasyPrint, pyHanko or docxtpl."""

from __future__ import annotations

import subprocess
import sys

import pytest

from builders import ROOT

PESADOS = ("weasyprint", "pyhanko", "docxtpl", "icalendar", "playwright")


@pytest.mark.parametrize(
    "args",
    [["--ayuda"], ["validar", "IV-2020"], ["acuerdos"], ["asistencia"], ["calendario"]],
    ids=["ayuda", "validar", "acuerdos", "asistencia", "calendario"],
)
def test_light_commands_do_not_import_the_heavy_libraries(args):
    programa = (
        "import sys\n"
        "from pipeline.cli import main\n"
        f"try:\n    main({['--registros', str(ROOT / 'records'), *args]!r}, standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        f"print(sorted(m for m in {PESADOS!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", programa], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout
