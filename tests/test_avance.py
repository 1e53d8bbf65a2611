"""A progress bar on every command that processes many documents (batch of actas, publishing, sending), seen
as a Facilitador sees it: the real `stl` process on a terminal (a pseudo-terminal: click draws the bar only on
one)."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builders import ROOT, firmar_iv_2020

STL = Path(sys.executable).with_name("stl")


def _en_terminal(*args: str, cwd) -> tuple[int, str]:
    """Run `stl` with standard output and error on a pseudo-terminal; its exit code and what it showed."""
    principal, terminal = pty.openpty()
    proceso = subprocess.Popen(
        [str(STL), *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal
    )
    os.close(terminal)
    salida = b""
    while True:
        try:
            bloque = os.read(principal, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not bloque:
            break
        salida += bloque
    os.close(principal)
    return proceso.wait(timeout=300), salida.decode("utf-8", "replace")


def _barra(salida: str, etiqueta: str) -> list[int]:
    """The percentages the bar labelled `etiqueta` showed, in order."""
    return [int(p) for p in re.findall(rf"{etiqueta}\s+\[[#\-]*\]\s+(\d+)%", salida)]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    base = tmp_path_factory.mktemp("avance")
    shutil.copytree(ROOT / "records", base / "records")
    shutil.copy(ROOT / "tests/data/valid/V-2020.yaml", base / "records/sesiones/V-2020.yaml")
    return base


CARPETAS = ("--registros", "records", "--salida", "salida", "--firmas", "firmas", "--archivo", "archivo")


def test_a_batch_of_actas_shows_its_progress(base):
    codigo, salida = _en_terminal(*CARPETAS, "acta", "IV-2020", "V-2020", "--formato", "pdf", cwd=base)
    assert codigo == 0, salida
    assert _barra(salida, "Generando actas")[-1] == 100
    assert "salida/V-2020/acta-V-2020.pdf" in salida


def test_publishing_shows_its_progress_page_by_page(base):
    firmar_iv_2020(base / "records")
    for args in (["archivar", "IV-2020"], ["publicar", "--sitio", "sitio"]):
        codigo, salida = _en_terminal(*CARPETAS, *args, cwd=base)
        assert codigo == 0, salida
    porcentajes = _barra(salida, "Publicando el sitio")
    assert porcentajes[-1] == 100 and porcentajes == sorted(porcentajes) and len(set(porcentajes)) > 2
    assert "Sitio en sitio/" in salida


@pytest.mark.parametrize("documento", ["convocatoria", "acta"])
def test_sending_shows_its_progress_message_by_message(base, documento):
    extra = ["--sin-firma"] if documento == "acta" else []
    codigo, salida = _en_terminal(*CARPETAS, "enviar", documento, "IV-2020", "--simular", *extra, cwd=base)
    assert codigo == 0, salida
    assert (
        _barra(salida, "Enviando la convocatoria" if documento == "convocatoria" else "Enviando las copias")[
            -1
        ]
        == 100
    )
