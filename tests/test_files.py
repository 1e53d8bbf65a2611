"""The output writer (`pipeline/files.py`): a file lands whole, with a normal file's mode, and only inside the folder
it is given; a path that leads out of it (`..`, an absolute path, a symbolic link inside the folder that points out)
is refused in Spanish before anything is written, there or anywhere else. A session's folder that is a symbolic
link, a site inside the archive or the records, are refused too; a dead writer's temporary files are removed, a
live writer's never. Fast, on values: `make mutacion` runs these against each mutant of files.py."""

from __future__ import annotations

import fcntl
import os
import re
import resource
import signal
import stat
import time
from pathlib import Path

import pytest

from pipeline.errors import StlError
from pipeline.files import aparte, bloqueo, sin_restos, sincronizar, subcarpeta, write_atomic


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


def test_the_mode_follows_the_umask_or_is_the_one_asked(tmp_path):
    previa = os.umask(0o027)
    try:
        normal = write_atomic(tmp_path, "a.txt", b"a")
        privado = write_atomic(tmp_path, "clave.p12", b"k", modo=0o600)
        sin_esperar = write_atomic(tmp_path, "b.txt", b"b", sincronizar=False)
        sincronizar([sin_esperar])
    finally:
        os.umask(previa)
    assert stat.S_IMODE(normal.stat().st_mode) == 0o640
    assert stat.S_IMODE(privado.stat().st_mode) == 0o600
    assert sin_esperar.read_bytes() == b"b" and stat.S_IMODE(sin_esperar.stat().st_mode) == 0o640
    write_atomic(tmp_path, "a.txt", b"otra vez")  # replaced whole
    assert normal.read_bytes() == b"otra vez"
    with pytest.raises(StlError, match=r"no se pudo escribir .*no-existe\.txt"):
        sincronizar([tmp_path / "no-existe.txt"])


def test_a_session_folder_that_is_a_symbolic_link_is_refused(tmp_path):
    salida, fuera = tmp_path / "salida", tmp_path / "fuera"
    salida.mkdir()
    fuera.mkdir()
    assert subcarpeta(salida, "IV-2020") == salida / "IV-2020"  # not there yet: fine
    (salida / "IV-2020").symlink_to(fuera, target_is_directory=True)
    with pytest.raises(StlError) as error:
        subcarpeta(salida, "IV-2020")
    assert str(error.value) == (
        f"{salida}/IV-2020 es un enlace simbólico a {fuera}: los documentos se escriben solo dentro de {salida}; "
        "borre el enlace (o indique otra carpeta de salida). No se escribió nada"
    )


def test_a_folder_inside_another_or_holding_it_is_refused(tmp_path):
    archivo, registros = tmp_path / "archivo", tmp_path / "registros"
    otras = {"el archivo": archivo, "los registros": registros}
    aparte(tmp_path / "sitio", "el sitio", otras)  # beside them: fine
    with pytest.raises(StlError) as error:
        aparte(archivo / "sitio", "el sitio", otras)
    assert str(error.value) == (
        f"el sitio {archivo}/sitio queda dentro de el archivo ({archivo}), que no se toca: indique otra carpeta. "
        "No se escribió nada"
    )
    with pytest.raises(StlError, match="queda dentro de los registros"):
        aparte(registros, "el sitio", otras)
    with pytest.raises(StlError) as error:
        aparte(tmp_path, "el sitio", otras)
    assert str(error.value) == (
        f"el sitio {tmp_path} contiene el archivo ({archivo}), que se publicaría con el sitio: indique una carpeta "
        "aparte. No se escribió nada"
    )


def test_only_the_stale_temporary_files_of_a_dead_writer_are_removed(tmp_path):
    carpeta = tmp_path / "sitio"
    carpeta.mkdir()
    viejo = carpeta / ".index.html.abcd1234.tmp"  # what write_atomic leaves when killed
    viejo.write_bytes(b"medio")
    os.utime(viejo, (time.time() - 60, time.time() - 60))
    reciente = carpeta / ".otra.html.efgh5678.tmp"  # another process may be writing it right now
    reciente.write_bytes(b"escribiendo")
    ajeno = carpeta / ".oculto.tmp"  # not a name write_atomic makes
    ajeno.write_bytes(b"de otra persona")
    os.utime(ajeno, (time.time() - 60, time.time() - 60))
    escrito = carpeta / ".vivo.html.ijkl9012.tmp"  # old, but its writer holds the lock
    escrito.write_bytes(b"vivo")
    os.utime(escrito, (time.time() - 60, time.time() - 60))
    with open(escrito, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        sin_restos(carpeta)
    assert sorted(p.name for p in carpeta.iterdir()) == sorted([reciente.name, ajeno.name, escrito.name])
    viejo.write_bytes(b"otro")
    os.utime(viejo, (time.time() - 60, time.time() - 60))
    sin_restos(carpeta)  # once per folder and process: the scan is not repeated
    assert viejo.exists()


def test_a_recent_or_held_temporary_file_never_stops_the_cleaning_of_the_others(tmp_path):
    """Old leftovers, recent ones and ones a live writer holds, interleaved in creation and in name order: whatever
    order the folder lists them in, every old leftover goes and the others stay."""
    carpeta = tmp_path / "actas"
    carpeta.mkdir()
    hace_un_minuto = time.time() - 60
    viejos, quedan, abiertos = [], [], []
    for i in range(30):
        viejo = carpeta / f".acta-{i:02d}a.pdf.v{i:07d}.tmp"
        viejo.write_bytes(b"medio")
        os.utime(viejo, (hace_un_minuto, hace_un_minuto))
        viejos.append(viejo)
        reciente = carpeta / f".acta-{i:02d}b.pdf.r{i:07d}.tmp"
        reciente.write_bytes(b"escribiendo")
        quedan.append(reciente)
        vivo = carpeta / f".acta-{i:02d}c.pdf.w{i:07d}.tmp"
        vivo.write_bytes(b"vivo")
        os.utime(vivo, (hace_un_minuto, hace_un_minuto))
        quedan.append(vivo)
        abiertos.append(open(vivo, "rb"))  # noqa: SIM115 - closed below
        fcntl.flock(abiertos[-1], fcntl.LOCK_EX)
    try:
        sin_restos(carpeta)
    finally:
        for handle in abiertos:
            handle.close()
    assert sorted(p.name for p in carpeta.iterdir()) == sorted(p.name for p in quedan)


def test_the_lock_is_one_holder_at_a_time(tmp_path):
    candado = tmp_path / "carpeta" / ".bloqueo"
    with bloqueo(candado):
        assert candado.exists()
        with open(candado, "a+b") as otro, pytest.raises(BlockingIOError):
            fcntl.flock(otro, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(candado, "a+b") as otro:
        fcntl.flock(otro, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released after the block


def test_the_temporary_file_is_beside_the_target_and_flushed_to_disk_before_the_rename(tmp_path, monkeypatch):
    """Written in the target's own folder (a rename never crosses file systems) under a name `sin_restos`
    recognises, flushed to disk (fsync) before it replaces the target: a power cut leaves the old file or the new."""
    llamadas = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(
        os, "fsync", lambda fd: (llamadas.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"))), fsync(fd))[1]
    )
    monkeypatch.setattr(os, "replace", lambda a, b: (llamadas.append(("replace", a, b)), replace(a, b))[1])
    write_atomic(tmp_path, "IV-2020/acta-IV-2020.pdf", b"%PDF")
    (_, sincronizado), (_, origen, destino) = llamadas
    assert sincronizado == origen  # the temporary file, before the rename
    assert Path(destino) == tmp_path / "IV-2020/acta-IV-2020.pdf"
    assert Path(origen).parent == tmp_path / "IV-2020"
    assert re.fullmatch(r"\.acta-IV-2020\.pdf\.[A-Za-z0-9_]{8}\.tmp", Path(origen).name)
    llamadas.clear()
    write_atomic(tmp_path, "IV-2020/pagina.html", b"<html>", sincronizar=False)  # flushed later, all at once
    assert [llamada[0] for llamada in llamadas] == ["replace"]


def test_a_write_that_fails_leaves_nothing_and_says_where(tmp_path):
    (tmp_path / "un-archivo").write_bytes(b"no es una carpeta")
    with pytest.raises(StlError) as error:
        write_atomic(tmp_path, "un-archivo/acta.pdf", b"%PDF")
    assert str(error.value).startswith(f"no se pudo escribir {tmp_path / 'un-archivo/acta.pdf'} (")
    # The write itself fails (a file larger than the process may write: EFBIG): the temporary file goes too.
    limite = resource.getrlimit(resource.RLIMIT_FSIZE)
    senal = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, limite[1]))
    try:
        with pytest.raises(StlError) as error:
            write_atomic(tmp_path, "grande/acta.pdf", b"x" * 5000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limite)
        signal.signal(signal.SIGXFSZ, senal)
    assert str(error.value).startswith(
        f"no se pudo escribir {tmp_path / 'grande/acta.pdf'} (el archivo excede el tamaño máximo permitido)"
    )
    assert list((tmp_path / "grande").iterdir()) == []


def test_the_first_write_into_a_folder_removes_what_a_dead_writer_left(tmp_path):
    carpeta = tmp_path / "sitio"
    carpeta.mkdir()
    resto = carpeta / ".index.html.abcd1234.tmp"
    resto.write_bytes(b"medio")
    os.utime(resto, (time.time() - 60, time.time() - 60))
    write_atomic(tmp_path, "sitio/otra.html", b"<html>")
    assert sorted(p.name for p in carpeta.iterdir()) == ["otra.html"]
