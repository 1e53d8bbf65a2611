"""The letterhead of the oficios (stl.yaml `membrete:`) and their copies («C.c.p.»), in the PDF and the DOCX.

Checked as a person sees them: the pages rendered to PNG (pdftoppm; the DOCX through LibreOffice first), the
text (pdftotext), the images embedded (pdfimages, word/media) and the logo's ink where the letterhead is. The
PDF stays PDF/A: fonts embedded and no transparency anywhere in its objects.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from pipeline import records, render
from pipeline.cli import main

LINEAS = (
    "Secretariado Técnico Local de Gobierno Abierto del Estado de México",
    "Facilitador del Secretariado Técnico Local",
)
LEYENDA = "2020. Año de Laura Méndez de Cuenca; emblema de la mujer Mexiquense"
CCP = ("Integrantes de la Red Mexiquense de Gobierno Abierto. Para su conocimiento.", "Archivo.")
PPP = 100  # pixels per inch of the rendered pages
# Where the first logo lands on page 1 (left margin 2.6 cm, top margin 2.2 cm, 1.8 cm tall), and the same band at
# the right edge, where there is no logo: in pixels at PPP.
IZQUIERDA, DERECHA = (102, 87, 172, 157), (668, 87, 738, 157)


def stl(root: Path, *args: str):
    return CliRunner().invoke(
        main, ["--registros", str(root), "--salida", str(root.parent / "salida"), *args]
    )


def texto(pdf: Path, pagina: int = 1) -> str:
    args = ["pdftotext", "-f", str(pagina), "-l", str(pagina), str(pdf), "-"]
    return " ".join(subprocess.run(args, capture_output=True, text=True, check=True).stdout.split())


def pagina_png(pdf: Path, pagina: int = 1) -> Image.Image:
    salida = pdf.with_name(f"{pdf.stem}-{pagina}")
    args = ["pdftoppm", "-r", str(PPP), "-f", str(pagina), "-l", str(pagina), "-png", "-singlefile"]
    subprocess.run([*args, str(pdf), str(salida)], check=True, capture_output=True)
    return Image.open(f"{salida}.png").convert("L")


def tinta(imagen: Image.Image, caja: tuple[int, int, int, int]) -> float:
    """The share of pixels in `caja` that are not paper."""
    region = imagen.crop(caja)
    return sum(region.histogram()[:200]) / (region.width * region.height)


def imagenes(pdf: Path) -> list[str]:
    """pdfimages -list rows (page, num, type, width, height, color…)."""
    salida = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return salida.splitlines()[2:]


def transparencia(pdf: Path) -> list[str]:
    """Soft masks, transparency groups and opacity below 1 in any object reachable from the root."""
    halladas, vistos, pendientes = [], set(), [PdfReader(pdf).trailer["/Root"]]
    while pendientes:
        objeto = pendientes.pop()
        if isinstance(objeto, IndirectObject):
            if objeto.idnum in vistos:
                continue
            vistos.add(objeto.idnum)
            objeto = objeto.get_object()
        if isinstance(objeto, DictionaryObject):
            halladas += [k for k in ("/SMask",) if objeto.get(k) not in (None, "/None")]
            if "/Group" in objeto and objeto["/Group"].get_object().get("/S") == "/Transparency":
                halladas.append("/Group /Transparency")
            halladas += [f"{k} {objeto[k]}" for k in ("/ca", "/CA") if k in objeto and float(objeto[k]) < 1]
            pendientes += [v for k, v in objeto.items() if k != "/Parent"]
        elif isinstance(objeto, ArrayObject):
            pendientes += list(objeto)
    return halladas


def pdfa_con_fuentes(pdf: Path) -> None:
    fuentes = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    filas = fuentes.splitlines()[2:]
    assert filas and all(fila.split()[-5] == "yes" for fila in filas), fuentes
    xmp = PdfReader(pdf).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp  # tagged: PDF/A-3a
    assert transparencia(pdf) == []


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`stl convocatoria IV-2020` on a copy of the bundled records, in both formats."""
    from builders import ROOT

    root = tmp_path_factory.mktemp("demo") / "records"
    shutil.copytree(ROOT / "records", root)
    result = stl(root, "convocatoria", "IV-2020")
    assert result.exit_code == 0, result.output
    return root.parent / "salida/IV-2020"


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory):
    assert shutil.which("soffice"), "LibreOffice (soffice) is needed: make sistema"
    carpeta = tmp_path_factory.mktemp("libreoffice")

    def convert(docx: Path) -> Path:
        perfil = (carpeta / "perfil").as_uri()
        command = ["soffice", f"-env:UserInstallation={perfil}", "--headless", "--convert-to", "pdf"]
        subprocess.run(
            [*command, "--outdir", str(carpeta), str(docx)], capture_output=True, check=True, timeout=180
        )
        return carpeta / f"{docx.stem}.pdf"

    return convert


def test_the_demo_convocatoria_pdf_has_the_letterhead_the_legend_and_the_copies(demo):
    pdf = demo / "convocatoria-IV-2020.pdf"
    primera = texto(pdf)
    for linea in (*LINEAS, f"“{LEYENDA}”"):
        assert linea in primera
    assert primera.index(LEYENDA) < primera.index("Oficio número: STL/004/2020")  # at the head of the oficio
    assert f"C.c.p. {CCP[0]} {CCP[1]}" in primera
    assert primera.index("RAFAEL FUNES DÍAZ") < primera.index("C.c.p.")  # after the signature
    assert LEYENDA not in texto(pdf, 2)  # the annex is not on letterhead
    (logo,) = imagenes(pdf)
    assert logo.split()[:3] == ["1", "0", "image"] and logo.split()[5] == "rgb"  # opaque RGB, on page 1
    png = pagina_png(pdf)
    print(
        f"tinta del logotipo (PDF): {tinta(png, IZQUIERDA):.0%}, del lado derecho: {tinta(png, DERECHA):.0%}"
    )
    assert tinta(png, IZQUIERDA) > 0.4 and tinta(png, DERECHA) == 0


def test_the_demo_convocatoria_stays_pdfa_with_its_fonts_embedded(demo):
    """The example logo is a PNG with a transparent background: it is flattened onto white, no soft mask."""
    assert Image.open(Path(records.__file__).parents[1] / "records/membrete/logo-stl.png").mode == "RGBA"
    pdfa_con_fuentes(demo / "convocatoria-IV-2020.pdf")


def test_the_demo_convocatoria_docx_has_the_letterhead_as_libreoffice_lays_it_out(demo, libreoffice):
    docx = demo / "convocatoria-IV-2020.docx"
    with zipfile.ZipFile(docx) as z:
        (media,) = [n for n in z.namelist() if n.startswith("word/media/")]
        assert Image.open(io.BytesIO(z.read(media))).mode == "RGB"
        documento = z.read("word/document.xml").decode()
    assert 'descr="Logotipo de ejemplo del Secretariado Técnico Local de Gobierno Abierto"' in documento
    pdf = libreoffice(docx)
    primera = texto(pdf)
    for linea in (*LINEAS, f"“{LEYENDA}”"):
        assert linea in primera
    todo = " ".join(texto(pdf, n) for n in range(1, len(PdfReader(pdf).pages) + 1))
    assert f"C.c.p. {CCP[0]} {CCP[1]}" in todo
    png = pagina_png(pdf)
    print(
        f"tinta del logotipo (DOCX): {tinta(png, IZQUIERDA):.0%}, del lado derecho: {tinta(png, DERECHA):.0%}"
    )
    assert tinta(png, IZQUIERDA) > 0.4 and tinta(png, DERECHA) == 0


def _membrete(tree: Path, membrete: dict | None) -> None:
    datos = yaml.safe_load((tree / "stl.yaml").read_text("utf-8"))
    if membrete is None:
        datos.pop("membrete")
    else:
        datos["membrete"] = membrete
    (tree / "stl.yaml").write_text(yaml.safe_dump(datos, allow_unicode=True, sort_keys=False), "utf-8")


def test_a_missing_logo_is_said_with_its_file_and_field_and_nothing_is_written(tree):
    membrete = yaml.safe_load((tree / "stl.yaml").read_text("utf-8"))["membrete"]
    membrete["logos"][0]["archivo"] = "membrete/logo-infoem.png"
    _membrete(tree, membrete)
    folios = (tree / "folios.yaml").read_bytes()
    result = stl(tree, "convocatoria", "IV-2020")
    assert result.exit_code == 1
    linea = next(
        n
        for n, texto in enumerate((tree / "stl.yaml").read_text("utf-8").splitlines(), 1)
        if "logo-infoem" in texto
    )
    assert (
        f"stl.yaml:{linea} [membrete.logos[0].archivo]: no se encontró el logotipo «membrete/logo-infoem.png» "
        f"({tree / 'membrete/logo-infoem.png'})"
    ) in result.output
    assert "Traceback" not in result.output
    assert not (tree.parent / "salida").exists()
    assert (tree / "folios.yaml").read_bytes() == folios


@pytest.mark.parametrize(
    ("cambio", "mensaje"),
    [
        ({"logos": [{"archivo": "../logo.png", "descripcion": "x"}]}, "debe ser la ruta de una imagen .png"),
        (
            {"logos": [{"archivo": "membrete/logo.gif", "descripcion": "x"}]},
            "debe ser la ruta de una imagen .png",
        ),
        ({"logos": [{"archivo": "membrete/logo-stl.png"}]}, "falta el campo obligatorio «descripcion»"),
        ({"leyendas": {"dos mil veinte": "x"}}, "«dos mil veinte» no es un año"),
        ({"lineas": "Secretariado"}, "debe ser una lista"),
    ],
)
def test_a_malformed_letterhead_is_said_in_spanish_with_its_field(tree, cambio, mensaje):
    _membrete(tree, cambio)
    result = stl(tree, "validar", "IV-2020")
    assert result.exit_code == 1
    assert "stl.yaml:" in result.output and "[membrete." in result.output and mensaje in result.output, (
        result.output
    )


def test_a_file_that_is_not_the_image_it_says_is_refused(tree):
    (tree / "membrete/falso.png").write_bytes(b"<html>no soy una imagen</html>")
    _membrete(tree, {"logos": [{"archivo": "membrete/falso.png", "descripcion": "x"}]})
    result = stl(tree, "validar", "IV-2020")
    assert result.exit_code == 1
    assert (
        "[membrete.logos[0].archivo]: el logotipo «membrete/falso.png» no es una imagen PNG" in result.output
    )


def test_without_membrete_an_oficio_is_as_before(tree):
    _membrete(tree, None)
    registro = records.load(tree)
    oficio = render.convocatoria(registro, registro.sesion("IV-2020"), "STL/004/2020")
    assert oficio.membrete is None
    assert "membrete" not in render.html(oficio)


def test_the_legend_is_that_of_the_oficios_year(tree):
    _membrete(tree, {"lineas": ["Una institución"], "leyendas": {2021: "2021. Otro año", 2020: LEYENDA}})
    registro = records.load(tree)
    oficio = render.convocatoria(registro, registro.sesion("IV-2020"), "STL/004/2020")  # of 26 October 2020
    assert oficio.membrete.leyenda == LEYENDA and oficio.membrete.izquierda == ()
    _membrete(tree, {"lineas": ["Una institución"], "leyendas": {2021: "2021. Otro año"}})
    registro = records.load(tree)
    assert render.convocatoria(registro, registro.sesion("IV-2020"), "STL/004/2020").membrete.leyenda is None


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120">'
    '<rect width="120" height="120" fill="#1d4f91"{opacidad}/><circle cx="220" cy="60" r="55" fill="#6e1432"/></svg>'
)


@pytest.mark.parametrize("opacidad", ["", ' opacity="0.5"'])
def test_an_svg_logo_is_vector_unless_it_brings_transparency_and_a_png_in_the_docx(
    tree, libreoffice, opacidad
):
    """Without transparency the SVG is drawn as vector (no image in the PDF); with it, it is rasterised, opaque.
    Either way the PDF has no transparency, and the DOCX carries a PNG; both show the logo's ink."""
    (tree / "membrete/logo.svg").write_text(SVG.format(opacidad=opacidad), "utf-8")
    _membrete(tree, {"logos": [{"archivo": "membrete/logo.svg", "descripcion": "Logotipo vectorial"}]})
    result = stl(tree, "convocatoria", "IV-2020")
    assert result.exit_code == 0, result.output
    salida = tree.parent / "salida/IV-2020"
    pdf = salida / "convocatoria-IV-2020.pdf"
    assert len(imagenes(pdf)) == (1 if opacidad else 0)
    pdfa_con_fuentes(pdf)
    caja = (
        118,
        92,
        168,
        152,
    )  # inside the square, the first 1.8 cm of the logo's 4.5 cm (LibreOffice: 0.3 cm in)
    assert tinta(pagina_png(pdf), caja) > 0.8
    with zipfile.ZipFile(salida / "convocatoria-IV-2020.docx") as z:
        (media,) = [n for n in z.namelist() if n.startswith("word/media/")]
        assert media.endswith(".png")
    assert tinta(pagina_png(libreoffice(salida / "convocatoria-IV-2020.docx")), caja) > 0.8


def test_an_svg_that_reaches_outside_itself_is_refused(tree):
    svg = SVG.format(opacidad="").replace(
        "<rect", '<image href="file:///etc/passwd" width="1" height="1"/><rect'
    )
    (tree / "membrete/logo.svg").write_text(svg, "utf-8")
    _membrete(tree, {"logos": [{"archivo": "membrete/logo.svg", "descripcion": "x"}]})
    result = stl(tree, "convocatoria", "IV-2020")
    assert result.exit_code == 1
    assert (
        "[membrete.logos[0].archivo]: el logotipo «membrete/logo.svg» es un SVG que pide «file:///etc/passwd»"
        in result.output
    )
    assert not (tree.parent / "salida").exists()


# --- what WeasyPrint may fetch ------------------------------------------------------------------------------------


@pytest.fixture
def espia():
    """An HTTP server on 127.0.0.1 that serves a PNG and notes every request it gets."""
    import functools
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    pedidos: list[str] = []
    imagen = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(imagen, "PNG")

    class Espia(BaseHTTPRequestHandler):
        def do_GET(self):
            pedidos.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(imagen.getvalue())

        def log_message(self, *args):
            pass

    servidor = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Espia))
    threading.Thread(target=servidor.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{servidor.server_address[1]}", pedidos
    finally:
        servidor.shutdown()
        servidor.server_close()


def _svg_con(imagen: str) -> str:
    """The test logo with an <image> that asks for `imagen`."""
    return SVG.format(opacidad="").replace(
        "<rect", f'<image href="{imagen}" width="60" height="60"/><rect', 1
    )


@pytest.mark.parametrize("caso", ["svg-anidado", "red", "archivo-de-fuera"])
def test_an_svg_logo_fetches_nothing_outside_itself_and_validar_says_so(tree, espia, tmp_path, caso):
    """WeasyPrint's fetcher serves the document only what it carries: an SVG nested in the logo as a `data:` URI
    (which links the network), an address, a file outside the records; none is fetched, the oficio is refused
    naming the logo's field, and `stl validar` refuses it the same way."""
    import base64

    url, pedidos = espia
    fuera = tmp_path / "fuera.png"
    Image.new("RGB", (8, 8), "red").save(fuera, "PNG")
    anidado = _svg_con(f"{url}/anidado.png").encode()
    pide = {
        "svg-anidado": "data:image/svg+xml;base64," + base64.b64encode(anidado).decode(),
        "red": f"{url}/logo.png",
        "archivo-de-fuera": fuera.as_uri(),
    }[caso]
    (tree / "membrete/logo.svg").write_text(_svg_con(pide), "utf-8")
    _membrete(tree, {"logos": [{"archivo": "membrete/logo.svg", "descripcion": "x"}]})
    for comando in (("convocatoria", "IV-2020"), ("validar", "IV-2020")):
        result = stl(tree, *comando)
        salida = " ".join(result.output.split())
        assert result.exit_code == 1, result.output
        assert "[membrete.logos[0].archivo]: el logotipo «membrete/logo.svg» es un SVG que pide «" in salida
        assert "Traceback" not in salida
    assert pedidos == [] and not (tree.parent / "salida").exists()


def test_a_template_that_links_the_network_makes_no_request(tree, espia, tmp_path):
    """Templates of one's own (STL_PLANTILLAS) are read as the bundled ones: only their own folder's files."""
    from builders import ROOT

    url, pedidos = espia
    plantillas = tmp_path / "plantillas"
    shutil.copytree(ROOT / "templates", plantillas)
    orden = plantillas / "pdf/orden.html"
    orden.write_text(
        orden.read_text("utf-8").replace(
            "{% block cuerpo %}", f'{{% block cuerpo %}}<img src="{url}/espia.png" alt="">', 1
        )
    )
    assert f"{url}/espia.png" in orden.read_text("utf-8")
    proceso = subprocess.run(
        [
            str(Path(sys.executable).with_name("stl")),
            "--registros",
            str(tree),
            "--salida",
            str(tmp_path / "s"),
            "orden",
            "IV-2020",
            "--formato",
            "pdf",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "STL_PLANTILLAS": str(plantillas)},
        timeout=120,
    )
    assert proceso.returncode == 1, proceso.stdout + proceso.stderr
    assert f"el documento pide «{url}/espia.png», que no es de sus plantillas" in proceso.stderr
    assert pedidos == [] and not (tmp_path / "s/IV-2020/orden-IV-2020.pdf").exists()
