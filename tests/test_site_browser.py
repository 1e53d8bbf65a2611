"""The public website in headless Chromium (Debian's, driven by Playwright), served over HTTP on 127.0.0.1.

The acceptance of the site: from the home page to the signed acta of IV-2020 (its SHA-256 checked against the
manifest and the page), search with Pagefind, the seven sections, axe-core with no violations on every page
type, no horizontal scroll at 375 px, and the session page without JavaScript. Screenshots of the home page
(also with search results) and the session page go to tests/artefactos/ (git-ignored) for review.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from click.testing import CliRunner
from playwright.sync_api import expect

from builders import ROOT, chromium, firmar_iv_2020
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


@contextlib.contextmanager
def _servido(base: Path) -> Iterator[str]:
    """`base` served over HTTP on 127.0.0.1 (Pagefind fetches its index: file:// would not do); gives its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Silencioso, directory=str(base)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _stl(base: Path, tree: Path, *pasos: list[str]) -> list[str]:
    """Each `stl` command of `pasos` on the records `tree`, with the signatures and archive beside it; their
    outputs."""
    carpetas = ["--registros", str(tree), "--firmas", f"{base}/firmas", "--archivo", f"{base}/archivo"]
    salidas = []
    for args in pasos:
        result = CliRunner().invoke(main, [*carpetas, *args])
        assert result.exit_code == 0, result.output
        salidas.append(result.output)
    return salidas


@pytest.fixture(scope="module")
def sitio(tmp_path_factory):
    """IV-2020 signed and archived, RT-2020-11-24 archived «sin firma», the site published with search, and
    served over HTTP. Gives (site folder, base URL, archive)."""
    base = tmp_path_factory.mktemp("sitio")
    tree = base / "records"
    shutil.copytree(ROOT / "records", tree)
    firmar_iv_2020(tree)
    destino = base / "sitio"
    _stl(
        base,
        tree,
        ["archivar", "IV-2020"],
        ["archivar", "RT-2020-11-24", "--sin-firma"],
        ["publicar", "--sitio", str(destino)],
    )
    assert (destino / "pagefind/pagefind-ui.js").is_file()
    # Served under a folder, as on an institution's portal (https://…/stl/): no link may assume the root.
    with _servido(base) as url:
        yield destino, f"{url}sitio/", base / "archivo"


@pytest.fixture(scope="module")
def proyecto(tmp_path_factory):
    """The bundled records as they are: the acta of IV-2020 neither approved nor signed, archived «sin firma» and
    published (without search). Gives (site folder, base URL, what `stl archivar` said)."""
    base = tmp_path_factory.mktemp("proyecto")
    tree = base / "records"
    shutil.copytree(ROOT / "records", tree)
    destino = base / "sitio"
    archivado, _ = _stl(
        base,
        tree,
        ["archivar", "IV-2020", "--sin-firma"],
        ["publicar", "--sitio", str(destino), "--sin-busqueda"],
    )
    with _servido(base) as url:
        yield destino, f"{url}sitio/", archivado


@pytest.fixture(scope="module")
def navegador():
    with chromium() as browser:
        yield browser


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


@pytest.mark.parametrize("ruta", PAGINAS)
def test_no_horizontal_scroll_at_375_px(sitio, navegador, ruta):
    """Every page fits a 375 px phone: «Avance de compromisos» too (its table was 439 px wide), each row of it a
    block that names every cell's column."""
    _, url, _ = sitio
    context = navegador.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(url + ruta)
        ancho, ventana = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert ancho <= ventana, f"{ruta}: {ancho} px de contenido en {ventana} px"
        for tabla in page.locator("table").all():
            assert tabla.evaluate("t => t.scrollWidth <= t.clientWidth"), f"{ruta}: una tabla se desborda"
        if ruta == "compromisos/index.html":
            celda = page.locator("table.apilable tbody td").nth(2)
            contenido = celda.evaluate("td => getComputedStyle(td, '::before').content")
            assert contenido == '"Responsable: "', contenido
        ARTEFACTOS.mkdir(exist_ok=True)
        nombre = ruta.removesuffix(".html").replace("/", "-")
        if ruta in ("index.html", SESION, "compromisos/index.html"):
            page.screenshot(path=str(ARTEFACTOS / f"{nombre}-375.png"), full_page=True)
    finally:
        context.close()


def test_a_draft_acta_is_published_only_as_a_draft(proyecto, sitio, page):
    """An acta neither approved nor signed: on its page only as «Proyecto de acta — pendiente de aprobación», its
    PDF marked so on every page; never as «Texto del acta». Signed, the acta shows as the acta."""
    destino, url, _ = proyecto
    page.goto(url + SESION)
    texto = page.get_by_role("region", name="Proyecto de acta — pendiente de aprobación")
    expect(texto.get_by_role("heading", level=2)).to_have_text("Proyecto de acta — pendiente de aprobación")
    expect(texto).to_contain_text("Este texto no es el acta de la sesión")
    expect(texto.locator(".texto-acta")).to_contain_text("Cuarta Sesión Ordinaria")
    expect(page.get_by_role("heading", name="Texto del acta")).to_have_count(0)
    enlace = page.get_by_role("link", name="Proyecto de acta — pendiente de aprobación (PDF")
    expect(enlace).to_have_count(1)
    expect(page.get_by_role("link", name="Acta (PDF")).to_have_count(0)
    pdf = destino / "documentos/IV-2020/acta-IV-2020.pdf"
    paginas = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    paginas = [p for p in paginas.split("\f") if p.strip()]
    assert paginas and all("PROYECTO DE ACTA — PENDIENTE DE APROBACIÓN" in p for p in paginas)
    firmado_url = sitio[1]
    page.goto(firmado_url + SESION)
    expect(page.get_by_role("heading", name="Texto del acta")).to_have_count(1)
    expect(page.get_by_text("Proyecto de acta")).to_have_count(0)
    page.goto(url + SESION)  # the draft, marked, is as accessible as the rest
    resultados = Axe().run(page)
    assert resultados.violations_count == 0, [v["id"] for v in resultados.response["violations"]]


def test_the_orden_del_dia_carries_no_signature_badge(proyecto, sitio, page):
    """Nobody signs the orden del día: no «Sin firma» on it, on the page or from `stl archivar`; an unsigned acta
    and an oficio convened before oficios were signed keep theirs."""
    _, url, archivado = proyecto
    assert "orden-IV-2020.pdf (no se firma," in archivado, archivado
    assert "acta-IV-2020.pdf (SIN FIRMA," in archivado, archivado
    for base in (url, sitio[1]):
        page.goto(base + SESION)
        orden = page.locator(".documentos li", has=page.get_by_role("link", name="Orden del día (PDF"))
        expect(orden).to_have_count(1)
        expect(orden.locator(".sello")).to_have_count(0)
        oficio = page.locator(
            ".documentos li", has=page.get_by_role("link", name="Convocatoria (oficio) (PDF")
        )
        expect(oficio.locator(".sello")).to_have_text("Sin firma")
    page.goto(url + SESION)
    acta = page.locator(".documentos li", has=page.get_by_role("link", name="Proyecto de acta"))
    expect(acta.locator(".sello")).to_have_text("Sin firma")


def test_the_check_box_recognises_the_version_publica(sitio, page, tmp_path):
    """«Verificar un archivo» with the versión pública downloaded from the page: it says what the file is, the
    signatures its constancia reports and how to request the original (was only «Coincide … «Acta»»)."""
    from builders import FIRMANTES

    destino, url, archivo = sitio
    acta = _acta_iv_2020(archivo)
    page.goto(url + SESION)
    publica = destino / "documentos" / acta["version_publica"]
    page.set_input_files("#archivo-a-verificar", str(publica))
    resultado = page.locator("#resultado-verificacion")
    expect(resultado).to_contain_text("es la versión pública publicada de «Acta»")
    expect(resultado).to_contain_text(acta["version_publica_sha256"])
    for nombre in FIRMANTES:
        expect(resultado).to_contain_text(nombre)
    expect(resultado).to_contain_text(f"El original firmado (SHA-256 {acta['sha256']})")
    expect(resultado).to_contain_text("mediante una solicitud de acceso a la información")
    alterada = tmp_path / "alterada.pdf"
    alterada.write_bytes(publica.read_bytes() + b"%\n")
    page.set_input_files("#archivo-a-verificar", str(alterada))
    expect(resultado).to_contain_text("No coincide")


def test_open_data_has_a_license(sitio, page):
    _, url, _ = sitio
    page.goto(url + "datos-abiertos/index.html")
    licencia = page.get_by_role("link", name="Creative Commons Atribución 4.0 Internacional")
    expect(licencia).to_have_attribute("rel", "license")
    paquete = page.request.get(url + "datos/datapackage.json").json()
    assert paquete["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Atribución 4.0 Internacional",
            "path": licencia.get_attribute("href"),
        }
    ]


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
