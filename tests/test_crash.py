"""Crash safety: `stl firmar`, `stl archivar` and `stl publicar` killed (SIGKILL, the whole process group) at
several moments — after 0.05, 0.2 and 0.5 s, and the instant a temporary file, a new version, a document, a page
or the search index appears (each moment tried until the kill lands before the command ends) — leave the previous
state intact or the new one complete, and the command then runs to completion.

Each command runs as a real `stl` process with a demo PKI (`builders.preparar_iv_2020`). After every kill the
state is checked: the ledger lists versions whose files have exactly the recorded SHA-256, every earlier
version byte-identical, and a new one an incremental update of the one before; every archive manifest entry
has its file with its SHA-256 and size; every page of the site is complete. At the end nothing the killed runs
left behind remains (`files.write_atomic` removes a dead writer's temporary file).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from builders import FIRMAN_IV_2020, ROOT, preparar_iv_2020
from pipeline import archive, certificados, records, sign, verify
from pipeline import bitacora as ledger

STL = Path(sys.executable).with_name("stl")
TIEMPOS = (0.05, 0.2, 0.5)
Momento = float | Callable[[], bool]  # seconds, or a condition polled while the command runs


def _lanzar(base: Path, *args: str) -> subprocess.Popen:
    carpetas = ("--registros", "records", "--firmas", "firmas", "--archivo", "archivo")
    return subprocess.Popen(
        [str(STL), *(str(base / x) if x[0] != "-" else x for x in carpetas), *args],
        cwd=base,
        env={**os.environ, "STL_CONTRASENA": "demo"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes Pagefind and any other child with it
    )


class Aparece:
    """The moment a file whose name starts with `inicio` and ends with `fin` is written in `carpeta` by the
    command under test (not one an earlier, killed run left there)."""

    def __init__(self, carpeta: Path, inicio: str, fin: str = "") -> None:
        self.carpeta, self.inicio, self.fin, self.desde = carpeta, inicio, fin, 0

    def __repr__(self) -> str:
        return f"«{self.carpeta.name}/{self.inicio}…{self.fin}» aparece"

    def armar(self) -> None:
        self.desde = time.time_ns()

    def __call__(self) -> bool:
        with contextlib.suppress(FileNotFoundError), os.scandir(self.carpeta) as entradas:
            for e in entradas:
                if e.name.startswith(self.inicio) and e.name.endswith(self.fin):
                    with contextlib.suppress(FileNotFoundError):
                        if e.stat().st_mtime_ns >= self.desde:
                            return True
        return False


def _matar(proceso: subprocess.Popen, momento: Momento) -> bool:
    """SIGKILL to the process group after `momento` seconds or as soon as `momento()` holds; True if that
    interrupted the command (it had not finished)."""
    limite = time.monotonic() + 60
    if isinstance(momento, float):
        with contextlib.suppress(subprocess.TimeoutExpired):
            proceso.wait(momento)
    else:
        while proceso.poll() is None and not momento():
            assert time.monotonic() < limite, "el comando no terminó ni llegó al momento esperado"
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proceso.pid, signal.SIGKILL)
    proceso.communicate(timeout=60)
    return proceso.returncode == -signal.SIGKILL


def _armar(momento: Momento) -> None:
    if isinstance(momento, Aparece):
        momento.armar()


def _completar(base: Path, *args: str) -> str:
    proceso = _lanzar(base, *args)
    out, err = proceso.communicate(timeout=120)
    assert proceso.returncode == 0, (out.decode(), err.decode())
    return out.decode()


def _interrumpir(
    momentos: list[Momento], intento: Callable[[], tuple[subprocess.Popen, Callable[[], None]]]
) -> tuple[int, int]:
    """Each moment, tried up to three times until the kill lands before the command ends; after every run its
    check. `intento` prepares, launches and gives the process and the check. Gives (interrupted, runs)."""
    interrumpidas = ejecuciones = 0
    for momento in momentos:
        for _ in range(3):
            _armar(momento)
            proceso, comprobar = intento()
            ejecuciones += 1
            interrumpida = _matar(proceso, momento)
            comprobar()
            interrumpidas += interrumpida
            if interrumpida:
                break
        else:
            pytest.fail(f"ninguna de tres ejecuciones se interrumpió en {momento}")
    return interrumpidas, ejecuciones


def _restos(carpeta: Path) -> list[Path]:
    return [p for p in carpeta.rglob(".*.tmp") if p.is_file()]


def _envejecer(carpeta: Path) -> None:
    """Leftovers of the killed runs, as a later day finds them (the cleaning waits a few seconds on purpose)."""
    for resto in _restos(carpeta):
        os.utime(resto, (time.time() - 60, time.time() - 60))


@pytest.fixture(scope="module")
def preparada(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("crash")
    shutil.copytree(ROOT / "records", base / "records")
    preparar_iv_2020(base / "records")
    return base


def _copia(origen: Path, destino: Path) -> Path:
    shutil.copytree(origen, destino)
    return destino


# --- stl firmar ---------------------------------------------------------------------------------------------------


def _versiones(workspace: Path) -> dict[str, bytes]:
    bitacora = ledger.leer_bitacora(workspace)
    return {v.archivo: (workspace / v.archivo).read_bytes() for v in bitacora.versiones}


def _bitacora_consistente(workspace: Path, antes: dict[str, bytes], quien: str) -> None:
    """The ledger as it was, or with exactly one more version, complete, by `quien`, built on the previous one."""
    bitacora = ledger.leer_bitacora(workspace)  # parses: never half written
    ahora = _versiones(workspace)
    for v in bitacora.versiones:
        assert hashlib.sha256(ahora[v.archivo]).hexdigest() == v.sha256, v.archivo
    assert {k: ahora[k] for k in antes} == antes, "una versión anterior cambió"
    nuevas = [v for v in bitacora.versiones if v.archivo not in antes]
    assert len(nuevas) <= 1
    if nuevas:
        anterior = bitacora.versiones[-2]
        assert nuevas[0].firmante == quien
        assert ahora[nuevas[0].archivo].startswith(ahora[anterior.archivo])  # an incremental update of it


def test_firmar_killed_at_any_moment(preparada, tmp_path):
    base = _copia(preparada, tmp_path / "base")
    workspace = base / "firmas/IV-2020"
    momentos: list[Momento] = [
        *TIEMPOS,
        Aparece(workspace, ".acta-IV-2020.v", ".tmp"),  # the new version half written
        Aparece(workspace, "acta-IV-2020.v"),  # the new version written, the ledger not yet
        Aparece(workspace, ".bitacora.json.", ".tmp"),  # the ledger half written
    ]

    def intento():
        if len(ledger.leer_bitacora(workspace).firmados) == len(FIRMAN_IV_2020):  # all signed: start again
            shutil.rmtree(base / "firmas")
            shutil.copytree(preparada / "firmas", base / "firmas")
        antes = _versiones(workspace)
        quien = next(i for i in FIRMAN_IV_2020 if i not in ledger.leer_bitacora(workspace).firmados)
        credencial = ("--p12", f"records/claves/{quien}.p12")
        return _lanzar(
            base, "firmar", "IV-2020", "--firmante", quien, *credencial
        ), lambda: _bitacora_consistente(workspace, antes, quien)

    interrumpidas, ejecuciones = _interrumpir(momentos, intento)

    # Able to run again to completion: everyone who has not signed yet signs.
    _envejecer(workspace)
    for quien in FIRMAN_IV_2020:
        if quien not in ledger.leer_bitacora(workspace).firmados:
            _completar(base, "firmar", "IV-2020", "--firmante", quien, "--p12", f"records/claves/{quien}.p12")
    assert _restos(base) == []
    bitacora = ledger.leer_bitacora(workspace)
    assert [v.numero for v in bitacora.versiones] == [0, 1, 2, 3]  # v00: the Facilitador's certification
    assert sorted(p.name for p in workspace.glob("*.pdf")) == [v.archivo for v in bitacora.versiones]
    registro = records.load(base / "records")
    informe = verify.verificar_version(
        workspace, bitacora, certificados.raices_de_confianza(registro), registro
    )
    assert informe.ok, informe.todos
    print(f"\nstl firmar: {interrumpidas} de {ejecuciones} ejecuciones interrumpidas con SIGKILL")


# --- stl archivar -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def firmada(preparada, tmp_path_factory) -> Path:
    base = _copia(preparada, tmp_path_factory.mktemp("crash-firmada") / "base")
    registro = records.load(base / "records")
    ahora = dt.datetime.now(dt.UTC)
    for i in FIRMAN_IV_2020:
        if i in ledger.leer_bitacora(base / "firmas/IV-2020").firmados:  # the Facilitador, by certifying it
            continue
        cred = sign.credencial_p12(base / f"records/claves/{i}.p12", "demo")
        sign.firmar(registro, base / "firmas/IV-2020", i, cred, ahora)
    return base


def _manifiesto_consistente(archivo: Path) -> archive.Manifiesto:
    """Every entry names a file with exactly its SHA-256 and size; no document twice."""
    manifiesto = archive.leer(archivo)  # parses: never half written
    for e in manifiesto.entradas:
        datos = (archivo / e.nombre).read_bytes()
        assert (hashlib.sha256(datos).hexdigest(), len(datos)) == (e.sha256, e.bytes), e.nombre
    assert len({e.nombre for e in manifiesto.entradas}) == len(manifiesto.entradas)
    return manifiesto


def test_archivar_killed_at_any_moment(firmada, tmp_path):
    base = _copia(firmada, tmp_path / "base")
    archivo = base / "archivo"
    carpeta = archivo / "IV-2020"
    momentos: list[Momento] = [
        *TIEMPOS,
        Aparece(carpeta, ".", ".tmp"),  # a document half written
        Aparece(carpeta, "acta-IV-2020.pdf"),  # every document written, the manifest not yet
        Aparece(archivo, ".manifiesto.json.", ".tmp"),  # the manifest half written
    ]

    def intento():
        if len(archive.leer(archivo).entradas) == 3:  # it completed: start again from an empty archive
            shutil.rmtree(archivo)
        antes = archive.leer(archivo).entradas

        def comprobar() -> None:
            assert (
                _manifiesto_consistente(archivo).entradas[: len(antes)] == antes
            )  # append-only, even killed

        return _lanzar(base, "archivar", "IV-2020"), comprobar

    interrumpidas, ejecuciones = _interrumpir(momentos, intento)

    _envejecer(base)
    salida = _completar(base, "archivar", "IV-2020")
    assert "ya existe fuera del manifiesto" not in salida
    manifiesto = _manifiesto_consistente(archivo)
    assert sorted((e.clase, e.version) for e in manifiesto.entradas) == [
        ("acta", 1),
        ("convocatoria", 1),
        ("orden", 1),
    ]
    acta = manifiesto.ultima("IV-2020", "acta")
    assert acta.firmado and acta.sha256 == ledger.leer_bitacora(base / "firmas/IV-2020").actual.sha256
    assert _restos(base) == []
    assert "Nada nuevo" in _completar(base, "archivar", "IV-2020")
    print(f"\nstl archivar: {interrumpidas} de {ejecuciones} ejecuciones interrumpidas con SIGKILL")


def test_a_document_left_by_a_killed_archivar_is_adopted_only_if_identical(firmada, tmp_path):
    """The window the kills above aim at, made certain: documents written, manifest not."""
    base = _copia(firmada, tmp_path / "base")
    registro = records.load(base / "records")
    ahora = dt.datetime.now(dt.UTC)
    otra = _copia(base, tmp_path / "otra")
    completas = archive.archivar(registro, "IV-2020", base / "firmas", otra / "archivo", ahora)
    (base / "archivo/IV-2020").mkdir(parents=True)
    for e in completas:  # the documents a killed run left, without the manifest
        shutil.copyfile(otra / "archivo" / e.nombre, base / "archivo" / e.nombre)
    entradas = archive.archivar(registro, "IV-2020", base / "firmas", base / "archivo", ahora)
    assert [e.sha256 for e in entradas] == [e.sha256 for e in completas]
    _manifiesto_consistente(base / "archivo")

    # Other bytes under that name are never replaced.
    shutil.rmtree(base / "archivo")
    (base / "archivo/IV-2020").mkdir(parents=True)
    (base / "archivo/IV-2020/orden-IV-2020.pdf").write_bytes(b"otra cosa")
    with pytest.raises(sign.StlError, match="ya existe fuera del manifiesto, con otro contenido"):
        archive.archivar(registro, "IV-2020", base / "firmas", base / "archivo", ahora)
    assert (base / "archivo/IV-2020/orden-IV-2020.pdf").read_bytes() == b"otra cosa"
    assert not (base / "archivo/manifiesto.json").exists()


# --- stl publicar -------------------------------------------------------------------------------------------------


def _sitio_completo(sitio: Path, archivo: Path) -> None:
    """Every page there is whole; every document there is the archived one."""
    for pagina in sitio.rglob("*.html"):
        if "pagefind" not in pagina.parts:
            assert pagina.read_text("utf-8").rstrip().endswith("</html>"), pagina
    for e in archive.leer(archivo).entradas:
        copia = sitio / "documentos" / e.nombre
        if copia.exists():
            assert hashlib.sha256(copia.read_bytes()).hexdigest() == e.sha256, copia
    for nombre in ("feed.xml", "calendario.ics"):
        if (sitio / nombre).exists():
            assert (sitio / nombre).stat().st_size > 0


def _contenido(sitio: Path) -> dict[str, bytes]:
    """What a reader of the site can fetch: every file under the published folder (through its link)."""
    return {str(p.relative_to(sitio)): p.read_bytes() for p in sorted(sitio.rglob("*")) if p.is_file()}


class ApareceEn:
    """The moment a path matching `patron` below `carpeta` is written by the command under test."""

    def __init__(self, carpeta: Path, patron: str) -> None:
        self.carpeta, self.patron, self.desde = carpeta, patron, 0

    def __repr__(self) -> str:
        return f"«{self.carpeta.name}/{self.patron}» aparece"

    def armar(self) -> None:
        self.desde = time.time_ns()

    def __call__(self) -> bool:
        for path in self.carpeta.glob(self.patron):
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime_ns >= self.desde:
                    return True
        return False


def test_publicar_killed_at_any_moment_shows_the_old_site_or_the_new_one(firmada, tmp_path):
    """The site a reader sees, after a kill at any moment, is byte for byte the old one or the new one (never some
    pages updated and others not), with no temporary file in it; the build state is not in it either."""
    antes = _copia(firmada, tmp_path / "antes")
    _completar(antes, "publicar", "--sitio", str(antes / "sitio"))  # the old site: nothing archived yet
    registro = records.load(antes / "records")
    archive.archivar(registro, "IV-2020", antes / "firmas", antes / "archivo", dt.datetime.now(dt.UTC))
    viejo = _contenido(antes / "sitio")
    referencia = tmp_path / "referencia"
    shutil.copytree(antes, referencia, symlinks=True)
    _completar(referencia, "publicar", "--sitio", str(referencia / "sitio"))
    nuevo = _contenido(referencia / "sitio")
    assert viejo != nuevo and any(r.startswith("documentos/") for r in nuevo)
    base = tmp_path / "base"
    sitio, versiones = base / "sitio", base / ".sitio.versiones"
    momentos: list[Momento] = [
        *TIEMPOS,
        ApareceEn(versiones, "v*/index.html"),  # the first page of the new version written
        ApareceEn(versiones, "v*/sesiones/IV-2020.html"),
        ApareceEn(versiones, "v*/documentos/IV-2020/acta-IV-2020.version-publica.pdf"),
        ApareceEn(
            versiones, "v*/datos/datos.sqlite"
        ),  # the open data written, the feeds and the index not yet
        ApareceEn(versiones, "v*/pagefind"),  # the search index being built
        ApareceEn(versiones, "v*.json"),  # the new version complete, its state written, not shown yet
    ]

    def comprobar() -> None:
        visto = _contenido(sitio)
        assert visto in (viejo, nuevo), sorted(set(visto.items()) ^ set(nuevo.items()))[:5]
        assert not [r for r in visto if any(parte.startswith(".") for parte in Path(r).parts)]

    def intento():
        if base.exists():
            shutil.rmtree(base)
        shutil.copytree(antes, base, symlinks=True)
        return _lanzar(base, "publicar", "--sitio", str(sitio)), comprobar

    interrumpidas, ejecuciones = _interrumpir(momentos, intento)

    _completar(base, "publicar", "--sitio", str(sitio))
    assert _contenido(sitio) == nuevo
    _sitio_completo(sitio, base / "archivo")
    assert (sitio / "sesiones/IV-2020.html").is_file() and (sitio / "pagefind/pagefind-entry.json").is_file()
    assert (sitio / "estilo.css").read_bytes() == (ROOT / "templates/site/estilo.css").read_bytes()
    assert _restos(base) == []  # without waiting: what the killed runs left was never in the site
    assert len([p for p in versiones.iterdir() if p.is_dir()]) == 1
    print(f"\nstl publicar: {interrumpidas} de {ejecuciones} ejecuciones interrumpidas con SIGKILL")
