"""`stl consola` in Debian's Chromium (Playwright): a whole session recorded by clicks and keys, and the record it
writes makes the same acta as the same session written by hand; axe-core finds no violation before, during and
after, at 1280 and at 375 px; the roll call and a vote are taken with the keyboard alone; no request leaves the
machine. The screenshots of the three moments are the README's (docs/consola-*.png).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from builders import ROOT, chromium
from pipeline import aprobaciones, operations, records

AXE = ROOT / "firmar/node_modules/axe-core/axe.min.js"
DOCS = ROOT / "docs"

# The same session, written by hand: what the console must write (values, not bytes: comments and layout differ).
A_MANO = """\
tipo: ordinaria
numero: 5
fecha: "2020-12-01"
hora_inicio: "10:00"
hora_cierre: "11:30"
modalidad:
  tipo: virtual
  plataforma: "Plataforma virtual Zoom"
convocatoria:
  fecha: "2020-11-23"
  convoca: funes
asistencia:
  - martinez
  - cervantes
  - funes
  - {integrante: parra, sale: "10:50"}
  - {integrante: vargas, llega: "10:20", sale: "11:00"}
orden_del_dia:
  - tipo: quorum
  - tipo: orden_del_dia
    acuerdos:
      - {hora: "10:05", votacion: unanimidad}
  - tipo: aprobacion_acta
    sesion: IV-2020
    acuerdos:
      - hora: "10:25"
        votacion:
          a_favor: [martinez, cervantes]
          abstenciones: [{integrante: vargas, motivo: impedimento}]
  - tipo: seguimiento_acuerdos
  - clave: calendario-sesiones-2021
    texto: Calendario de sesiones 2021
    intervenciones:
      - orador: cervantes
        texto: propuso sesionar el primer martes de cada mes.
    acuerdos:
      - texto: el calendario de sesiones 2021
        hora: "10:40"
        votacion:
          a_favor: [cervantes]
          en_contra: [martinez]
          abstenciones: [{integrante: vargas, motivo: conflicto_de_interes}]
          voto_de_calidad: cervantes
  - clave: balance-instalacion
    texto: Balance a un año de la instalación
    intervenciones:
      - orador: martinez
        texto: presentó el balance del primer año del Secretariado.
    acuerdos:
      - texto: el balance a un año de la instalación
        hora: "11:05"
        votacion: unanimidad
  - clave: informe-mexiquense
    texto: Informe de la Red Mexiquense
    intervenciones:
      - orador: funes
        texto: informó de las actividades de la Red Mexiquense de Gobierno Abierto.
  - tipo: asuntos_generales
  - tipo: clausura
"""


@pytest.fixture
def navegador():
    with chromium() as browser:
        yield browser


def _pagina(navegador, url: str, ancho: int = 1280):
    """A page of the console; every request it makes is kept, to check none leaves 127.0.0.1."""
    contexto = navegador.new_context(
        bypass_csp=True, viewport={"width": ancho, "height": 900}, locale="es-MX"
    )
    page = contexto.new_page()
    page.peticiones = []
    page.on("request", lambda r: page.peticiones.append(r.url))
    page.goto(url)
    return page


def _axe(page) -> None:
    if not AXE.is_file():
        pytest.fail(f"falta {AXE}: «make pagina-firma» instala axe-core (firmar/package-lock.json)")
    page.add_script_tag(path=str(AXE))
    resultado = page.evaluate("async () => await axe.run(document)")
    assert resultado["violations"] == [], json.dumps(resultado["violations"], indent=1)[:3000]


def _enviar(page, boton, texto: str | None = "Guardado.", tecla: str | None = None) -> None:
    """Submit a form (a click on `boton`, or `tecla` on what has the focus) and wait for the page it leads to."""
    with page.expect_navigation():
        if tecla:
            page.keyboard.press(tecla)
        else:
            (page.locator(boton) if isinstance(boton, str) else boton).click()
    if texto:
        expect(page.locator(".mensaje.ok").first).to_contain_text(texto)


def _presente(page, quien: str) -> None:
    _enviar(page, f"#asistente-{quien} button[value=presente]")


def _hora(page, selector: str, hora: str, boton: str) -> None:
    page.fill(selector, hora)
    _enviar(page, boton)


def _abrir(page, i: int) -> None:
    if not page.locator(f"#votacion-{i}").evaluate("d => d.open"):
        page.locator(f"#votacion-{i} summary").click()


def _votar(page, i: int, votos: dict[str, str], hora: str, texto: str | None = None, calidad: bool = False):
    _abrir(page, i)
    if texto:
        page.fill(f"#acuerdo-texto-{i}", texto)
    page.fill(f"#hora-voto-{i}", hora)
    for quien, voto in votos.items():
        sentido, _, motivo = voto.partition(":")
        page.check(f"#v-{i}-{quien}-{sentido[0]}")
        if motivo:
            page.select_option(f"#v-{i}-{quien}-m", motivo)
    if calidad:
        expect(page.locator(f"#resultado-{i}")).to_contain_text("Empate")
        page.wait_for_load_state("networkidle")
        page.locator(f"#calidad-{i}").check()
    _enviar(page, f"#votacion-{i} button[value=votos]")


def _antes(page, root: Path) -> str:
    page.fill("#nueva-fecha", "2020-12-01")
    page.fill("#nueva-hora", "10:00")
    _enviar(page, page.get_by_role("button", name="Crear la siguiente sesión"), None)
    expect(page.locator("h1")).to_contain_text("Quinta Sesión Ordinaria")
    assert page.url.endswith("/sesion/V-2020/antes")
    page.fill("#c-fecha", "2020-11-24")  # the business days are counted as the date is typed
    expect(page.locator("#habiles")).to_contain_text("Fuera de plazo. 4 días hábiles")
    page.fill("#c-fecha", "2020-11-23")
    expect(page.locator("#habiles")).to_contain_text("5 días hábiles entre el oficio y la sesión")
    _enviar(page, page.get_by_role("button", name="Guardar la convocatoria"))
    for titulo in (
        "Calendario de sesiones 2021",
        "Balance a un año de la instalación",
        "Informe de la Red Mexiquense",
    ):
        page.fill("#punto-nuevo", titulo)
        _enviar(page, page.get_by_role("button", name="Agregar el punto"))
    expect(page.locator("ol.puntos > li")).to_have_count(9)
    return page.url


def _durante(page) -> None:
    _enviar(page, page.get_by_role("link", name="Durante"), None)
    for quien in ("martinez", "cervantes", "funes", "parra"):
        _presente(page, quien)
    expect(page.locator("#quorum")).to_contain_text("Hay quórum: 2 de 3 integrantes con voto")
    _hora(page, "#hora-inicio", "10:00", "text=Guardar la apertura")
    _abrir(page, 1)
    page.fill("#hora-voto-1", "10:05")
    _enviar(page, "#votacion-1 button[value=unanimidad]")
    _hora(page, "#llega-vargas", "10:20", "[aria-label='Anotar llegada de Javier Vargas Zempoaltecatl']")
    expect(page.locator("#quorum")).to_contain_text("3 de 3 integrantes con voto")
    _votar(page, 2, {"martinez": "f", "vargas": "abstencion:impedimento", "cervantes": "f"}, "10:25")
    page.select_option("#notas-orador-4", "cervantes")
    page.fill("#notas-4", "propuso sesionar el primer martes de cada mes.")
    _enviar(page, page.get_by_role("button", name="Anotar en el punto V", exact=True))
    # A tie: the outcome shows live and asks for the casting vote before the vote can be recorded.
    _abrir(page, 4)
    page.fill("#acuerdo-texto-4", "el calendario de sesiones 2021")
    page.fill("#hora-voto-4", "10:40")
    page.check("#v-4-martinez-c")
    page.check("#v-4-cervantes-f")
    page.check("#v-4-vargas-a")
    page.select_option("#v-4-vargas-m", "conflicto_de_interes")
    expect(page.locator("#resultado-4")).to_contain_text(
        "Empate: Daniel Rosemberg Cervantes Pérez ejerce su voto"
    )
    _enviar(page, "#votacion-4 button[value=votos]", None)
    expect(page.locator(".mensaje.error")).to_contain_text("hay empate: confirme el voto de calidad")
    _votar(
        page,
        4,
        {"martinez": "c", "cervantes": "f", "vargas": "abstencion:conflicto_de_interes"},
        "10:40",
        "el calendario de sesiones 2021",
        calidad=True,
    )
    _hora(page, "#sale-parra", "10:50", "[aria-label='Anotar salida de Luis Gustavo Parra Noriega']")
    _hora(page, "#sale-vargas", "11:00", "[aria-label='Anotar salida de Javier Vargas Zempoaltecatl']")
    expect(page.locator("#quorum")).to_contain_text("Hay quórum: 2 de 3 integrantes con voto")
    page.select_option("#notas-orador-5", "martinez")
    page.fill("#notas-5", "presentó el balance del primer año del Secretariado.")
    _enviar(page, page.get_by_role("button", name="Anotar en el punto VI", exact=True))
    _abrir(page, 5)
    expect(page.locator("#votacion-5 fieldset.voto")).to_have_count(2)  # Vargas left: he no longer votes
    page.fill("#acuerdo-texto-5", "el balance a un año de la instalación")
    page.fill("#hora-voto-5", "11:05")
    _enviar(page, "#votacion-5 button[value=unanimidad]")
    page.select_option("#notas-orador-6", "funes")
    page.fill("#notas-6", "informó de las actividades de la Red Mexiquense.")
    _enviar(page, page.get_by_role("button", name="Anotar en el punto VII", exact=True))
    _hora(page, "#hora-cierre", "11:30", "text=Cerrar la sesión")


def _despues(page) -> None:
    _enviar(page, page.get_by_role("link", name="Después"), None)
    expect(page.locator("aside.paginas img").first).to_be_visible(timeout=30000)  # the PDF, page by page
    assert page.locator("aside.paginas img").first.evaluate("i => i.naturalWidth") > 400
    page.fill("#texto-6-0", "informó de las actividades de la Red Mexiquense de Gobierno Abierto.")
    _enviar(page, "#intervencion-6-0 button[value=guardar]")


def _acta(root: Path, sesion: str):
    return aprobaciones.contenido(
        operations.documento(operations.Carpetas(root), sesion)[0], records.load(root)
    )


def test_a_whole_session_recorded_in_the_console_makes_the_acta_written_by_hand(consola, navegador, tmp_path):
    root, corriendo = consola
    page = _pagina(navegador, corriendo.url)
    _antes(page, root)
    _axe(page)
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "consola-antes.png"))
    _durante(page)
    page.goto(page.url.split("#")[0])  # the top: the quorum and the roll call
    _axe(page)
    page.screenshot(path=str(DOCS / "consola-durante.png"))
    _despues(page)
    page.goto(page.url.split("#")[0])  # the top: the first points, and the acta's pages beside them
    expect(page.locator("aside.paginas img").first).to_be_visible(timeout=30000)
    page.wait_for_load_state("networkidle")
    _axe(page)
    page.screenshot(path=str(DOCS / "consola-despues.png"))
    puerto = corriendo.url.split(":")[2].split("/")[0]
    assert all(u.startswith(f"http://127.0.0.1:{puerto}/") for u in page.peticiones), page.peticiones

    escrito = (root / "sesiones/V-2020.yaml").read_text("utf-8")
    assert "# Último día para emitir la convocatoria:" in escrito  # the comments nueva-sesion wrote are kept
    assert "# Acuerdos por revisar:" in escrito
    mano = tmp_path / "a-mano"
    shutil.copytree(ROOT / "records", mano)
    (mano / "sesiones/V-2020.yaml").write_text(A_MANO, "utf-8")
    assert _acta(root, "V-2020") == _acta(mano, "V-2020"), escrito


def _tab_hasta(page, selector: str, limite: int = 200) -> None:
    """Tab (only the keyboard) until the element `selector` has the focus."""
    for _ in range(limite):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"con Tab no se llega a {selector}")


def test_375_px_and_the_keyboard_alone(v2020, navegador):
    """At 375 px nothing overflows and axe finds nothing; the roll call and a vote are taken with Tab, Space and
    Enter only."""
    root, corriendo = v2020
    page = _pagina(navegador, corriendo.url.replace("/?", "/sesion/V-2020/durante?"), ancho=375)
    for quien in ("martinez", "cervantes"):
        _tab_hasta(page, f"#asistente-{quien} button[value=presente]")
        _enviar(page, None, tecla="Enter")
    expect(page.locator("#quorum")).to_contain_text("Hay quórum")
    _tab_hasta(page, "#votacion-1 summary")
    page.keyboard.press("Enter")
    _tab_hasta(page, "#v-1-martinez-f")
    page.keyboard.press("Space")
    _tab_hasta(page, "#v-1-cervantes-f")  # Tab leaves a radio group: the next member's
    page.keyboard.press("Space")
    expect(page.locator("#resultado-1")).to_contain_text("se aprueba por unanimidad")
    _tab_hasta(page, "#votacion-1 button[value=votos]")
    _enviar(page, None, tecla="Enter")
    assert "votacion: unanimidad" in (root / "sesiones/V-2020.yaml").read_text("utf-8")
    for momento in ("antes", "durante", "despues"):
        page.goto(f"{corriendo.url.split('?')[0]}sesion/V-2020/{momento}")
        page.wait_for_load_state("networkidle")  # the acta's pages, drawn and loaded beside the record
        anchos = "() => [...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > 375).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '/' + e.clientWidth + ' ' + Math.round(e.getBoundingClientRect().right))"
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, (momento, page.evaluate(anchos))
        _axe(page)
