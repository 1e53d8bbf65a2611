"""A disk that fails a write, for real: full (a small tmpfs filled up: ENOSPC), read-only (a tmpfs mounted `ro`:
EROFS) or without permission (a folder 0555, with the process stripped of root's right to ignore permission
bits: EACCES). Each is one Spanish sentence with the path and what to do, exit code 1, and nothing half written.

Mounting needs root (as in CI); where it is not allowed, those tests are skipped and say why, except in CI (`CI`
set), where that is a failure: a guarantee is checked there or the run fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import ROOT, sin_capacidad
from pipeline.cli import main

STL = Path(sys.executable).with_name("stl")


@contextlib.contextmanager
def _tmpfs(punto: Path, opciones: str) -> Iterator[Path]:
    punto.mkdir(parents=True, exist_ok=True)
    montaje = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", opciones, "tmpfs", str(punto)], capture_output=True
    )
    if montaje.returncode != 0:
        sin_capacidad(f"no se puede montar un tmpfs aquí: {montaje.stderr.decode().strip()}")
    try:
        yield punto
    finally:
        subprocess.run(["umount", "-l", str(punto)], check=True)


def _llenar(carpeta: Path) -> Path:
    """Fill the file system of `carpeta` to the last byte; gives the filler (delete it to free the space)."""
    relleno = carpeta / "relleno"
    with open(relleno, "wb", buffering=0) as handle:
        for bloque in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * bloque)
    return relleno


def _restos(carpeta: Path) -> list[str]:
    return sorted(
        str(p.relative_to(carpeta)) for p in carpeta.rglob("*") if p.name != "relleno" and p.is_file()
    )


def _stl(tree: Path, *args: str):
    return CliRunner().invoke(main, ["--registros", str(tree), *args])


def _una_frase(output: str, que: str, donde: Path) -> None:
    assert "Traceback" not in output and "Errno" not in output, output
    assert que in output and str(donde) in output, output
    assert len(output.strip().splitlines()) == 1, output


@pytest.fixture
def lleno(tmp_path) -> Iterator[Path]:
    with _tmpfs(tmp_path / "lleno", "size=2m") as punto:
        yield punto


def test_acta_on_a_full_disk(tree, lleno):
    salida = lleno / "salida"
    relleno = _llenar(lleno)
    result = _stl(tree, "--salida", str(salida), "acta", "IV-2020")
    assert result.exit_code == 1
    _una_frase(result.output, "no hay espacio en el disco para escribir", salida / "IV-2020")
    assert _restos(lleno) == []  # no temporary file, no half a PDF
    relleno.unlink()
    result = _stl(tree, "--salida", str(salida), "acta", "IV-2020")
    assert result.exit_code == 0, result.output
    assert (salida / "IV-2020/acta-IV-2020.pdf").read_bytes()[:5] == b"%PDF-"


def test_archivar_on_a_full_disk(tree, lleno):
    archivo = lleno / "archivo"
    relleno = _llenar(lleno)
    result = _stl(tree, "--archivo", str(archivo), "archivar", "IV-2020", "--sin-firma")
    assert result.exit_code == 1
    _una_frase(result.output, "no hay espacio en el disco para escribir", archivo)
    assert [r for r in _restos(lleno) if r != "archivo/.manifiesto.lock"] == []
    relleno.unlink()
    result = _stl(tree, "--archivo", str(archivo), "archivar", "IV-2020", "--sin-firma")
    assert result.exit_code == 0, result.output
    assert (archivo / "manifiesto.json").is_file()


def test_a_read_only_salida(tree, tmp_path):
    with _tmpfs(tmp_path / "solo-lectura", "ro,size=1m") as salida:
        result = _stl(tree, "--salida", str(salida), "acta", "IV-2020")
        assert result.exit_code == 1
        _una_frase(result.output, "la carpeta es de solo lectura", salida / "IV-2020")
        assert _restos(salida) == []


def test_a_salida_without_write_permission(tree, tmp_path):
    salida = tmp_path / "sin-permiso"
    salida.mkdir(mode=0o555)
    salida.chmod(0o555)
    orden = [str(STL), "--registros", str(tree), "--salida", str(salida), "acta", "IV-2020"]
    if os.geteuid() == 0:  # root ignores permission bits: the command runs without that capability
        if shutil.which("setpriv") is None:
            sin_capacidad("como root, hace falta setpriv para quitar CAP_DAC_OVERRIDE")
        orden = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *orden]
    proceso = subprocess.run(orden, capture_output=True, text=True, timeout=120)
    assert proceso.returncode == 1, proceso.stdout + proceso.stderr
    _una_frase(proceso.stdout + proceso.stderr, "no tiene permiso de escritura", salida / "IV-2020")
    assert _restos(salida) == []


# --- in CI, a guarantee that cannot be checked fails the run ----------------------------------------------------

SIN_CAPACIDAD = (
    "tests/test_disk.py::test_a_read_only_salida",
    "tests/test_site_served.py::test_the_site_served_by_another_user_answers_200_for_every_file",
)


def test_in_ci_a_missing_capability_fails_the_run_instead_of_skipping():
    """The tests of a full disk and of the site served by another user, run where `mount` and changing user are not
    allowed (as root, those capabilities are dropped from the bounding set with setpriv): skipped on a developer's
    machine, two failures with CI=true."""
    orden = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        *SIN_CAPACIDAD,
    ]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            sin_capacidad("como root, hace falta setpriv para quitar CAP_SYS_ADMIN, CAP_SETUID y CAP_SETGID")
        orden = ["setpriv", "--bounding-set=-sys_admin,-setuid,-setgid", *orden]
    entorno = {k: v for k, v in os.environ.items() if k != "CI"}
    fuera = subprocess.run(orden, cwd=ROOT, env=entorno, capture_output=True, text=True, timeout=120)
    assert fuera.returncode == 0 and "2 skipped" in fuera.stdout, fuera.stdout + fuera.stderr
    en = subprocess.run(
        orden, cwd=ROOT, env={**entorno, "CI": "true"}, capture_output=True, text=True, timeout=120
    )
    assert en.returncode == 1 and "2 failed" in en.stdout, en.stdout + en.stderr
    assert "en CI una garantía sin comprobar es una falla" in en.stdout
