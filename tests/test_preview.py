"""Live preview in headless Chromium (Debian's, driven by Playwright): edits on disk show up, errors too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from builders import ROOT, chromium
from pipeline import preview


@pytest.fixture
def navegador():
    with chromium() as browser:
        yield browser


def _servidor(root: Path, objetivo: str, pdf: bool = False):
    server = preview.servir(preview.Vista(root, objetivo, pdf))
    preview.en_segundo_plano(server)
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def test_the_page_follows_the_record_as_it_is_edited(navegador, tmp_path):
    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root)
    salida_antes = sorted(p.name for p in tmp_path.iterdir())
    server, url = _servidor(root, "IV-2020")
    try:
        page = navegador.new_page()
        page.goto(url)
        expect(page.locator("body")).to_contain_text("catorce horas con treinta y un minutos")
        sesion = root / "sesiones/IV-2020.yaml"
        sesion.write_text(
            sesion.read_text("utf-8").replace('hora_cierre: "14:31"', 'hora_cierre: "14:45"'), "utf-8"
        )
        expect(page.locator("body")).to_contain_text(
            "catorce horas con cuarenta y cinco minutos", timeout=15000
        )
        page.screenshot(path=str(tmp_path / "vista-previa.png"))
        sesion.write_text(sesion.read_text("utf-8").replace("numero: 4\n", "numero: [4\n"), "utf-8")
        expect(page.locator("h1")).to_contain_text("El registro de IV-2020 tiene errores", timeout=15000)
        expect(page.locator(".errores")).to_contain_text("sesiones/IV-2020.yaml:6")
        expect(page.locator(".errores")).to_contain_text("YAML mal formado")
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        *salida_antes,
        "vista-previa.png",
    ]  # nothing else written


def test_pdf_mode_shows_the_pages(navegador, tmp_path):
    server, url = _servidor(ROOT / "records", "RT-2020-11-24", pdf=True)
    try:
        page = navegador.new_page()
        page.goto(url)
        expect(page.locator("img")).to_have_count(2)
        assert page.locator("img").first.evaluate("img => img.naturalWidth") > 500
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("ruta", ["/", "/version", "/acta.css", "/png/pagina-1.png"])
def test_only_requests_for_127_0_0_1_or_localhost_with_the_port_are_answered(tmp_path, ruta):
    """DNS rebinding: a page of another site, its name turned to 127.0.0.1, sends its own Host; refused (403)."""
    import http.client

    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root)
    server, _ = _servidor(root, "IV-2020")
    puerto = server.server_address[1]

    def estado(host: str | None) -> tuple[int, bytes]:
        conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=30)
        try:
            conexion.putrequest("GET", ruta, skip_host=True)
            if host is not None:
                conexion.putheader("Host", host)
            conexion.endheaders()
            respuesta = conexion.getresponse()
            return respuesta.status, respuesta.read()
        finally:
            conexion.close()

    try:
        for ajeno in (
            "atacante.example",
            f"atacante.example:{puerto}",
            "127.0.0.1",
            f"127.0.0.1:{puerto + 1}",
            f"localhost.atacante.example:{puerto}",
            None,
        ):
            codigo, cuerpo = estado(ajeno)
            assert codigo == 403, (ajeno, codigo)
            assert b"solo responde en" in cuerpo and "Sesión".encode() not in cuerpo
        if ruta in ("/", "/version"):
            for propio in (f"127.0.0.1:{puerto}", f"localhost:{puerto}"):
                assert estado(propio)[0] == 200, propio
    finally:
        server.shutdown()
        server.server_close()


def test_pdf_mode_lays_out_and_draws_again_only_what_changed(tmp_path):
    """The preview (and the console) keep the press warm: asked again with nothing changed, nothing is laid out or
    drawn again (the same image files); after an edit, a page that did not change keeps its image file, and the
    page that did gets a new one."""
    import re

    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root)
    vista = preview.Vista(root, "IV-2020", pdf=True)
    carpeta = Path(vista._tmp.name)

    def imagenes() -> list[tuple[str, int]]:
        nombres = re.findall(r'<img src="/png/([^"]+)"', vista.pagina())
        return [(n, (carpeta / n).stat().st_mtime_ns) for n in nombres]

    primera = imagenes()
    assert len(primera) >= 5
    assert imagenes() == primera, "nothing changed: the same images, not drawn again"
    sesion = root / "sesiones/IV-2020.yaml"
    sesion.write_text(
        sesion.read_text("utf-8").replace('hora_cierre: "14:31"', 'hora_cierre: "14:45"'), "utf-8"
    )
    segunda = imagenes()
    assert len(segunda) == len(primera)
    assert segunda[0] == primera[0], "the first page did not change: its image is the same file"
    assert set(segunda) != set(primera), "the page with the closing hour changed"
    assert sorted(p.name for p in carpeta.glob("*.png")) == sorted({n for n, _ in segunda})
