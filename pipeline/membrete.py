"""Stage 3 — render, the letterhead of the oficios: the records' `Membrete` → a `documentos.Membrete` to lay out.

Takes the STL's letterhead (stl.yaml `membrete:`, each logo's bytes read with the records) and the oficio's date;
gives the logos ready for both formats, the institution's lines and the legend of the oficio's year. Every oficio
(the convocatoria; the fe de erratas) lays it out with `templates/pdf/_membrete.html` and the `_membrete` block of
`templates/docx/plantillas.py`.

PDF/A: a logo never brings transparency into the PDF. A PNG or JPEG is decoded with Pillow and written again as
an opaque RGB PNG, its transparent parts flattened onto white (the paper), its colour in sRGB (no CMYK, no ICC
profile of its own). An SVG is drawn by WeasyPrint, as the document will draw it: if that drawing has no
transparency (soft masks, transparency groups, opacity below 1) it goes into the PDF as vector; otherwise it
goes as the PNG below. The DOCX always takes a PNG (python-docx embeds PNG and JPEG, not SVG): an SVG is
rasterised at 300 ppp by `pdftoppm` (poppler-utils, installed by `make sistema`) from that same drawing, on white.
An SVG that reaches outside itself is refused: WeasyPrint draws it with a fetcher that serves nothing but the
logo itself (`imprenta`), so a link to a file or an address, or an image nested in it (a `data:` SVG inside the
SVG), stops it and is named; and a DTD (entities) is refused before any parser reads it. `revisar` prepares
every logo as an oficio does, for `stl validar`.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from .documentos import Imagen, Membrete
from .errors import InstalacionError, Problema, RecordsError, RecursoAjeno
from .models import Logo, Registro

__all__ = ["de", "imagen", "revisar", "transparencias"]

PPP = 300  # resolution of a rasterised logo: print quality
ANCHO_MAXIMO = 4.5  # cm of each side of the letterhead (its logos share it); the lines take the middle
PIXELES_MAXIMOS = 40_000_000  # a logo is a few thousand pixels a side: more is a mistake (or a bomb)

_CM = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72, "pc": 2.54 / 6, "px": 2.54 / 96, "": 2.54 / 96}


def de(registro: Registro, fecha: dt.date) -> Membrete | None:
    """The letterhead of an oficio dated `fecha` (its legend is that year's); None if the STL has none."""
    membrete = registro.stl.membrete
    if membrete is None:
        return None
    imagenes = [imagen(logo) for logo in membrete.logos]
    izquierda, derecha = imagenes[:1], imagenes[1:]
    return Membrete(
        izquierda=tuple(_ajustada(i, len(izquierda)) for i in izquierda),
        derecha=tuple(_ajustada(i, len(derecha)) for i in derecha),
        lineas=membrete.lineas,
        leyenda=membrete.leyenda(fecha.year),
    )


def revisar(registro: Registro) -> None:
    """Every logo of stl.yaml prepared as an oficio prepares it: `RecordsError` with each one's problem."""
    problemas = []
    for logo in registro.stl.membrete.logos if registro.stl.membrete else ():
        try:
            imagen(logo)
        except RecordsError as exc:
            problemas += exc.problemas
    if problemas:
        raise RecordsError(problemas)


def _ajustada(i: Imagen, junto_a: int) -> Imagen:
    """`i` no wider than its share of its side of the letterhead, its proportions kept."""
    maximo = ANCHO_MAXIMO / junto_a
    if i.ancho <= maximo:
        return i
    return Imagen(i.descripcion, i.png, i.src, round(maximo, 2), round(i.alto * maximo / i.ancho, 2))


def imagen(logo: Logo) -> Imagen:
    """`logo` ready for the PDF (`src`, a data: URI) and the DOCX (`png`); `RecordsError` naming the stl.yaml
    field if the file is not an image that can be used."""
    extension = logo.archivo.rsplit(".", 1)[-1].lower()
    try:
        png, src, proporcion = _preparada(logo.datos, extension == "svg", logo.alto)
    except _Inservible as exc:
        raise RecordsError([Problema(f"el logotipo «{logo.archivo}» {exc}", logo.lugar)]) from None
    return Imagen(logo.descripcion, png, src, round(logo.alto * proporcion, 2), logo.alto)


class _Inservible(Exception):
    """Why an image file cannot be a logo, said after «el logotipo «…»»."""


@lru_cache(maxsize=16)
def _preparada(datos: bytes, svg: bool, alto: float) -> tuple[bytes, str, float]:
    """(opaque PNG, the PDF's data: URI, width / height) of an image file's bytes."""
    if not svg:
        png, proporcion = _opaca(_abierta(datos), alto)
        return png, _uri(png, "image/png"), proporcion
    texto = _svg_revisado(datos)
    ancho, alto_svg = _medidas_svg(texto)
    proporcion = ancho / alto_svg
    from . import imprenta

    try:
        dibujo = imprenta.pdf_de_svg(datos, alto * proporcion, alto)
    except RecursoAjeno as exc:
        raise _Inservible(
            f"es un SVG que pide «{exc.muestra}», algo de fuera del logotipo (un archivo, una dirección o una "
            "imagen dentro de él): guárdelo con todo dibujado en él (en Inkscape, «SVG simple») o como PNG"
        ) from None
    png, _ = _opaca(_abierta(_rasterizada(dibujo)), alto)
    vectorial = not transparencias(dibujo)
    return png, _uri(datos, "image/svg+xml") if vectorial else _uri(png, "image/png"), proporcion


def _uri(datos: bytes, tipo: str) -> str:
    return f"data:{tipo};base64,{base64.b64encode(datos).decode('ascii')}"


def _abierta(datos: bytes):
    from PIL import Image, ImageOps

    try:
        im = Image.open(io.BytesIO(datos))
        if im.width * im.height > PIXELES_MAXIMOS:
            raise _Inservible(
                f"mide {im.width} × {im.height} píxeles, demasiado para un logotipo: redúzcalo (con unos "
                "600 píxeles de alto basta para imprimirlo)"
            )
        im.load()
        return ImageOps.exif_transpose(im)  # a photo taken sideways is printed upright, as it is seen
    except _Inservible:
        raise
    except Exception as exc:  # Pillow says a broken or foreign file in many ways (OSError, SyntaxError…)
        raise _Inservible(
            f"no se puede leer como imagen ({exc}): ábralo y guárdelo de nuevo como PNG"
        ) from None


def _opaca(im, alto: float) -> tuple[bytes, float]:
    """An RGB PNG of `im` on white, no bigger than 300 ppp at `alto` cm; and its width / height."""
    from PIL import Image

    proporcion = im.width / im.height
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        im = im.convert("RGBA")
        fondo = Image.new("RGB", im.size, "white")
        fondo.paste(im, mask=im.getchannel("A"))
        im = fondo
    else:
        # A new image: nothing of the file's own (ICC profile, CMYK, 16 bits) reaches the PDF.
        im = Image.frombytes("RGB", im.size, im.convert("RGB").tobytes())
    pixeles = round(alto / 2.54 * PPP)
    if im.height > pixeles * 1.5:
        im = im.resize((max(1, round(pixeles * proporcion)), pixeles), Image.Resampling.LANCZOS)
    salida = io.BytesIO()
    im.save(salida, "PNG", optimize=True)
    return salida.getvalue(), proporcion


# A DTD declares entities, which XML parsers expand (a few hundred bytes can grow to gigabytes) or read from
# elsewhere: a logo needs none. What the drawing links to is refused by WeasyPrint's fetcher, not by its text.
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _svg_revisado(datos: bytes) -> str:
    if _DTD.search(datos):
        raise _Inservible(
            "es un SVG que trae un DTD (<!DOCTYPE> o <!ENTITY>): guárdelo sin él (en Inkscape, «SVG simple») o "
            "como PNG"
        )
    try:
        return datos.decode("utf-8")
    except UnicodeDecodeError:
        raise _Inservible("es un SVG que no está en UTF-8: guárdelo de nuevo en UTF-8 o como PNG") from None


def _medidas_svg(texto: str) -> tuple[float, float]:
    """Width and height (any unit: only their ratio matters) from the root's width/height, or its viewBox."""
    try:
        raiz = ElementTree.fromstring(texto)
    except ElementTree.ParseError as exc:
        raise _Inservible(f"no es un SVG bien formado ({exc}): guárdelo de nuevo o como PNG") from None
    if not raiz.tag.endswith("svg"):
        raise _Inservible("no es un SVG: su elemento raíz no es <svg>")

    def medida(nombre: str) -> float | None:
        m = re.fullmatch(r"\s*([0-9.]+)\s*(cm|mm|in|pt|pc|px|)\s*", raiz.get(nombre, ""))
        return float(m[1]) * _CM[m[2]] if m and float(m[1]) > 0 else None

    ancho, alto = medida("width"), medida("height")
    caja = [float(x) for x in re.split(r"[\s,]+", raiz.get("viewBox", "").strip()) if x]
    if (ancho is None or alto is None) and len(caja) == 4 and caja[2] > 0 and caja[3] > 0:
        ancho, alto = caja[2], caja[3]
    if ancho is None or alto is None:
        raise _Inservible("es un SVG que no dice su tamaño: póngale width y height, o viewBox, en <svg>")
    return ancho, alto


def _rasterizada(pdf: bytes) -> bytes:
    """The one page of `pdf` as a PNG at 300 ppp, on white paper (poppler's pdftoppm)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise InstalacionError(
            "para usar un logotipo SVG hace falta pdftoppm (paquete poppler-utils de Debian: make sistema, o "
            "apt-get install poppler-utils); o use el logotipo en PNG"
        )
    with tempfile.TemporaryDirectory(prefix="stl-logo-") as carpeta:
        entrada = Path(carpeta) / "logo.pdf"
        entrada.write_bytes(pdf)
        subprocess.run(
            [pdftoppm, "-png", "-r", str(PPP), "-singlefile", str(entrada), str(Path(carpeta) / "logo")],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return (Path(carpeta) / "logo.png").read_bytes()


def transparencias(pdf: bytes) -> list[str]:
    """What in `pdf` is transparency PDF/A must account for: soft masks, transparency groups, opacity < 1.
    Every object reachable from the document's root is looked at, not only its text."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    halladas, vistos = [], set()
    pendientes = [PdfReader(io.BytesIO(pdf)).trailer["/Root"]]
    while pendientes:
        objeto = pendientes.pop()
        if isinstance(objeto, IndirectObject):
            if objeto.idnum in vistos:
                continue
            vistos.add(objeto.idnum)
            objeto = objeto.get_object()
        if isinstance(objeto, DictionaryObject):
            if objeto.get("/SMask") not in (None, "/None"):
                halladas.append("máscara suave (/SMask)")
            grupo = objeto.get("/Group")
            if grupo is not None and grupo.get_object().get("/S") == "/Transparency":
                halladas.append("grupo de transparencia (/Group /Transparency)")
            for opacidad in ("/ca", "/CA"):
                if opacidad in objeto and float(objeto[opacidad]) < 1:
                    halladas.append(f"opacidad {opacidad} {float(objeto[opacidad])}")
            pendientes += [v for k, v in objeto.items() if k != "/Parent"]
        elif isinstance(objeto, ArrayObject):
            pendientes += list(objeto)
    return halladas
