"""The output writer (`files.write_atomic`): a file lands whole, with a normal file's mode, and only inside the folder
it is given; a path that leads out of it (`..`, an absolute path, a symbolic link inside the folder that points out)
is refused in Spanish before anything is written, there or anywhere else."""

from __future__ import annotations

import os
import stat

import pytest

from pipeline.errors import StlError
from pipeline.files import write_atomic


def _todo(carpeta) -> list[str]:
    return sorted(str(p.relative_to(carpeta)) for p in carpeta.rglob("*"))


def test_a_file_inside_the_folder_is_written_whole_with_a_normal_mode(tmp_path):
    salida = tmp_path / "salida"
    previa = os.umask(0o022)
    try:
        path = write_atomic(salida, "IV-2020/acta-IV-2020.pdf", b"%PDF-1.7 contenido")
    finally:
        os.umask(previa)
    assert path == salida / "IV-2020/acta-IV-2020.pdf"
    assert path.read_bytes() == b"%PDF-1.7 contenido"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert _todo(salida) == ["IV-2020", "IV-2020/acta-IV-2020.pdf"]  # no temporary file left


@pytest.mark.parametrize(
    "rel",
    ["../fuera.txt", "IV-2020/../../fuera.txt", "enlace/fuera.txt", "ABSOLUTA"],
    ids=["dos-puntos", "dos-puntos-dentro", "enlace-simbolico", "ruta-absoluta"],
)
def test_a_path_outside_the_output_folder_is_refused_and_nothing_is_written(tmp_path, rel):
    salida, fuera = tmp_path / "salida", tmp_path / "fuera"
    salida.mkdir()
    fuera.mkdir()
    (salida / "enlace").symlink_to(fuera, target_is_directory=True)  # inside the folder, pointing out of it
    rel = str(tmp_path / "fuera.txt") if rel == "ABSOLUTA" else rel
    antes_salida, antes_raiz = _todo(salida), sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(StlError, match=r"la ruta «.*fuera\.txt» queda fuera de la carpeta de salida"):
        write_atomic(salida, rel, b"no debe escribirse")
    assert _todo(salida) == antes_salida and _todo(fuera) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == antes_raiz
