"""The public website in headless Chromium (Debian's, driven by Playwright), served over HTTP on 127.0.0.1.

The acceptance of the site: from the home page to the signed acta of IV-2020 (its SHA-256 checked against the
manifest and the page), search with Pagefind, the seven sections, axe-core with no violations on every page
type, no horizontal scroll at 375 px, and the session page without JavaScript. Screenshots of the home page
(also with search results) and the session page go to tests/artefactos/ (git-ignored) for review.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from click.testing import CliRunner
from playwright.sync_api import expect, sync_playwright

from builders import ARGS, CHROMIUM, ROOT, firmar_iv_2020
from pipeline.cli import main
from pipeline.publish import SECCIONES

ARTEFACTOS = Path(__file__).resolve().parent / "artefactos"
SESION = "sesiones/IV-2020.html"


class _Silencioso(SimpleHTTPRequestHandler):
    """A static host: PDFs served as attachments (so the browser downloads them), no request log."""

    def end_headers(self) -> None:
        if self.path.split("?")[0].endswith(".pdf"):
            self.send_header("Content-Disposition", "attachment")
        super().end_headers()

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture(scope="module")
def sitio(tmp_path_factory):
    """IV-2020 signed and archived, RT-2020-11-24 archived «sin firma», the site published with search, and
    served over HTTP (Pagefind fetches its index: file:// would not do). Gives (site folder, base URL, archive)."""
    base = tmp_path_factory.mktemp("sitio")
    tree = base / "records"
    shutil.copytree(ROOT / "records", tree)
    firmar_iv_2020(tree)
    carpetas = ["--registros", str(tree), "--firmas", f"{base}/firmas", "--archivo", f"{base}/archivo"]
    destino = base / "sitio"
    for args in (
        ["archivar", "IV-2020"],
        ["archivar", "RT-2020-11-24", "--sin-firma"],
        ["publicar", "--sitio", str(destino)],
    ):
        result = CliRunner().invoke(main, [*carpetas, *args])
        assert result.exit_code == 0, result.output
    assert (destino / "pagefind/pagefind-ui.js").is_file()
    # Served under a folder, as on an institution's portal (https://…/stl/): no link may assume the root.
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Silencioso, directory=str(base)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield destino, f"http://127.0.0.1:{server.server_address[1]}/sitio/", base / "archivo"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def navegador():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(navegador):
    context = navegador.new_context(accept_downloads=True)
    yield context.new_page()
    context.close()


def _acta_iv_2020(archivo: Path) -> dict:
    documentos = json.loads((archivo / "manifiesto.json").read_text("utf-8"))["documentos"]
    return next(e for e in documentos if e["sesion"] == "IV-2020" and e["clase"] == "acta")


def test_from_home_to_the_signed_acta_and_its_hash(sitio, page):
    _, url, archivo = sitio
    acta = _acta_iv_2020(archivo)
    assert acta["firmado"] is True
    page.goto(url)
    page.get_by_role("navigation", name="Secciones").get_by_role(
        "link", name="Secretariado Técnico Local", exact=True
    ).click()
    expect(page.locator("h1")).to_have_text("Secretariado Técnico Local")
    page.get_by_role("link", name="Cuarta Sesión Ordinaria", exact=True).click()
    expect(page).to_have_url(url + SESION)
    expect(page.locator("h1")).to_have_text("Cuarta Sesión Ordinaria")
    enlace = page.get_by_role("link", name="Acta (PDF")
    with page.expect_download() as info:
        enlace.click()
    # What is published of a signed acta is its versión pública (by default): the original stays in the archive,
    # its SHA-256 on the page.
    assert info.value.suggested_filename == "acta-IV-2020.version-publica.pdf"
    descarga = Path(info.value.path()).read_bytes()
    assert hashlib.sha256(descarga).hexdigest() == acta["version_publica_sha256"]
    assert len(descarga) == acta["version_publica_bytes"]
    por_http = page.request.get(enlace.evaluate("a => a.href"))
    assert por_http.ok and por_http.body() == descarga
    linea = page.locator(".documentos li", has=enlace).locator(".verificacion code")
    assert linea.inner_text() == acta["version_publica_sha256"]
    expect(page.locator(".documentos li", has=enlace)).to_contain_text("Firmado electrónicamente")
    expect(page.locator(".documentos li", has=enlace).locator(".original code")).to_have_text(acta["sha256"])


def test_search_finds_the_session(sitio, page):
    _, url, _ = sitio
    page.goto(url)
    campo = page.get_by_role("textbox", name="Buscar en las actas")  # named by the section's heading
    expect(campo).to_be_visible(timeout=10000)
    assert campo.get_attribute("aria-labelledby") == "buscar-titulo"
    campo.fill("Cultura del Gobierno Abierto")
    resultado = page.locator(f'.pagefind-ui__result-link[href$="{SESION}"]')
    expect(resultado.first).to_be_visible(timeout=15000)
    assert resultado.first.evaluate("a => a.href") == url + SESION  # inside the site's folder
    # The session's page and the Avance de compromisos page say it; their order depends on the parts' scores.
    expect(page.locator(".pagefind-ui__results")).to_contain_text("Cultura del Gobierno Abierto")
    ARTEFACTOS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTOS / "busqueda.png"), full_page=True)
    resultados = Axe().run(page)  # the results, drawn by Pagefind, are checked as well
    assert resultados.violations_count == 0, [v["id"] for v in resultados.response["violations"]]


@pytest.mark.parametrize(
    ("anio", "palabra", "pagina"),
    [("2019", "quince", "sesiones/INST-2019.html"), ("2020", "abonaría", SESION)],
)
def test_search_merges_the_part_of_each_year(sitio, page, anio, palabra, pagina):
    """The index is in parts (pagefind/ the general pages, pagefind/AAAA/ each year's sessions): a word that only
    the session of that year says is found from the home page, the part merged in the browser."""
    destino, url, _ = sitio
    parte = json.loads((destino / f"pagefind/{anio}/pagefind-entry.json").read_text("utf-8"))
    assert parte["languages"]["es"]["page_count"] >= 1
    pedidos = []
    page.on("request", lambda r: pedidos.append(r.url))
    page.goto(url)
    campo = page.get_by_role("textbox", name="Buscar en las actas")
    expect(campo).to_be_visible(timeout=10000)
    campo.fill(palabra)
    resultado = page.locator(f'.pagefind-ui__result-link[href$="{pagina}"]')
    expect(resultado.first).to_be_visible(timeout=15000)
    assert resultado.first.evaluate("a => a.href") == url + pagina  # inside the site's folder
    assert any(p.startswith(f"{url}pagefind/{anio}/index/") for p in pedidos), "searched in the year's part"


def test_the_seven_sections_are_reachable_from_home(sitio, page):
    _, url, _ = sitio
    page.goto(url)
    enlaces = page.locator(".tarjetas a")
    expect(enlaces).to_have_count(len(SECCIONES))
    hrefs = [enlaces.nth(i).evaluate("a => a.href") for i in range(len(SECCIONES))]
    for (clave, nombre), href in zip(SECCIONES, hrefs, strict=True):
        assert href == f"{url}{clave}/index.html"
        respuesta = page.goto(href)
        assert respuesta is not None and respuesta.status == 200, href
        expect(page.locator("h1")).to_have_text(nombre)


PAGINAS = [
    "index.html",
    "secretariado/index.html",
    "compromisos/index.html",
    "contacto/index.html",
    "ligas/index.html",
    "datos-abiertos/index.html",
    SESION,
]


@pytest.mark.parametrize("ruta", PAGINAS)
def test_axe_finds_no_violations(sitio, page, ruta):
    _, url, _ = sitio
    page.goto(url + ruta)
    if ruta == "index.html":  # with the search UI drawn, its markup is checked too
        expect(page.locator(".pagefind-ui__search-input")).to_be_visible(timeout=10000)
    resultados = Axe().run(page)
    violaciones = resultados.response["violations"]
    detalle = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in violaciones]
    assert resultados.violations_count == 0, detalle


@pytest.mark.parametrize("ruta", ["index.html", SESION])
def test_no_horizontal_scroll_at_375_px(sitio, navegador, ruta):
    _, url, _ = sitio
    context = navegador.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(url + ruta)
        ancho, ventana = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert ancho <= ventana, f"{ruta}: {ancho} px de contenido en {ventana} px"
        ARTEFACTOS.mkdir(exist_ok=True)
        nombre = "inicio" if ruta == "index.html" else "sesion-IV-2020"
        page.screenshot(path=str(ARTEFACTOS / f"{nombre}-375.png"), full_page=True)
    finally:
        context.close()


def test_session_page_without_javascript(sitio, navegador):
    destino, url, archivo = sitio
    acuerdos_iv = [
        a["folio"]
        for a in json.loads((destino / "datos/acuerdos.json").read_text("utf-8"))
        if a["sesion"] == "IV-2020"
    ]
    assert acuerdos_iv
    context = navegador.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url + SESION)
        documentos = page.locator(".documentos li")
        expect(documentos).to_have_count(3)  # convocatoria, orden del día, acta
        expect(page.locator(".documentos")).to_contain_text(_acta_iv_2020(archivo)["sha256"])
        acuerdos = page.get_by_role("table", name="Acuerdos de la sesión y su avance")
        expect(acuerdos.locator("tbody tr td:first-child")).to_have_text(acuerdos_iv)
        expect(acuerdos).to_contain_text("Cultura del Gobierno Abierto")
        page.goto(url)  # Playwright disables scripts without telling the parser: <noscript> stays unrendered
        assert "La búsqueda necesita JavaScript" in page.locator("noscript").text_content()
    finally:
        context.close()


def test_screenshots_for_review(sitio, page):
    _, url, _ = sitio
    ARTEFACTOS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    for ruta, nombre in (("index.html", "inicio"), (SESION, "sesion-IV-2020")):
        page.goto(url + ruta)
        if ruta == "index.html":
            expect(page.locator(".pagefind-ui__search-input")).to_be_visible(timeout=10000)
        page.screenshot(path=str(ARTEFACTOS / f"{nombre}.png"), full_page=True)
        assert (ARTEFACTOS / f"{nombre}.png").stat().st_size > 10_000
    print(f"Capturas en {ARTEFACTOS}")
