"""The published site served as a real host serves it: by another user, reading the files with its own rights.

With umask 022, `stl acta`, `stl archivar` and `stl publicar` write files with mode 0644 (what `open()` gives
under that umask), never the 0600 of their temporary files; with umask 027, 0640. The site, built in a folder
`nobody` can traverse, is served by `python -m http.server` running as `nobody` (setpriv) on 127.0.0.1 with
an ephemeral port, and every file of it answers 200.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import ROOT, sin_capacidad
from pipeline.cli import main

SETPRIV = shutil.which("setpriv")
COMO_NOBODY = [SETPRIV or "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def _python_de_nobody() -> str | None:
    """An interpreter `nobody` can run: the system's, or this one (a venv or pyenv under /root is out of reach)."""
    for python in ("/usr/bin/python3", sys.executable):
        with contextlib.suppress(OSError):
            if subprocess.run([*COMO_NOBODY, python, "-c", ""], capture_output=True).returncode == 0:
                return python
    return None


@contextlib.contextmanager
def _umask(mask: int) -> Iterator[None]:
    previa = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previa)


def _publicado(base: Path) -> Path:
    """Records copied into `base`, IV-2020 archived «sin firma» with its acta in salida/, the site published."""
    tree = base / "records"
    shutil.copytree(ROOT / "records", tree)
    carpetas = ["--registros", str(tree), "--salida", f"{base}/salida", "--archivo", f"{base}/archivo"]
    for args in (
        ["acta", "IV-2020", "--formato", "pdf"],
        ["archivar", "IV-2020", "--sin-firma"],
        ["publicar", "--sitio", f"{base}/sitio", "--sin-busqueda"],
    ):
        result = CliRunner().invoke(main, [*carpetas, *args])
        assert result.exit_code == 0, result.output
    return base / "sitio"


def _archivos(carpeta: Path) -> list[Path]:
    return sorted(p for p in carpeta.rglob("*") if p.is_file())


@pytest.mark.parametrize(("mask", "modo"), [(0o022, 0o644), (0o027, 0o640)])
def test_outputs_get_the_mode_of_a_normal_file_under_the_umask(tmp_path, mask, modo):
    with _umask(mask):
        _publicado(tmp_path)
    for carpeta in ("salida", "archivo", "sitio"):
        archivos = _archivos(tmp_path / carpeta)
        assert archivos, carpeta
        modos = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in archivos}
        assert set(modos.values()) == {oct(modo)}, modos


@pytest.fixture
def carpeta_publica() -> Iterator[Path]:
    """A folder `nobody` can traverse (pytest's own temporary folders are 0700)."""
    carpeta = Path(tempfile.mkdtemp(prefix="stl-sitio-servido-"))
    carpeta.chmod(0o755)
    try:
        yield carpeta
    finally:
        shutil.rmtree(carpeta)


@contextlib.contextmanager
def _servidor_como_nobody(sitio: Path, python: str) -> Iterator[str]:
    args = [
        *COMO_NOBODY,
        python,
        "-u",
        "-m",
        "http.server",
        "--bind",
        "127.0.0.1",
        "--directory",
        str(sitio),
        "0",
    ]
    proceso = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        linea = (
            proceso.stdout.readline()
        )  # «Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ...»
        assert "port" in linea, linea
        yield f"http://127.0.0.1:{linea.split(' port ')[1].split()[0]}"
    finally:
        proceso.kill()
        proceso.wait()


def test_the_site_served_by_another_user_answers_200_for_every_file(carpeta_publica):
    """Needs root and setpriv to serve as `nobody`: without them skipped, and in CI (`CI` set) a failure."""
    if os.geteuid() != 0 or SETPRIV is None:
        sin_capacidad("servir el sitio como nobody necesita root y setpriv")
    python = _python_de_nobody()
    if python is None:
        sin_capacidad(
            "no hay un intérprete de Python que nobody pueda ejecutar (o setpriv no puede cambiar de usuario)"
        )
    with _umask(0o022):
        sitio = _publicado(carpeta_publica)
    archivos = _archivos(sitio)
    assert {"index.html", "estilo.css", "calendario.ics", "feed.xml", "datos/datos.sqlite"} <= {
        str(p.relative_to(sitio)) for p in archivos
    }
    assert any(p.suffix == ".pdf" for p in archivos) and any(p.suffix == ".csv" for p in archivos)
    with _servidor_como_nobody(sitio, python) as url:
        for path in archivos:
            ruta = urllib.request.quote(str(path.relative_to(sitio)))
            with urllib.request.urlopen(f"{url}/{ruta}", timeout=10) as respuesta:
                assert respuesta.status == 200, ruta
                assert respuesta.read() == path.read_bytes(), ruta
