"""Stage 3 — render, the PDF press: HTML and CSS laid out by WeasyPrint into tagged PDF/A-3a.

Takes the HTML `render` words and the folder its stylesheets are in; gives the PDF bytes and where each
signature block landed. WeasyPrint reads nothing but what the document names of its own: the files of the
templates folder and the `data:` images written into the HTML (the logos of stl.yaml, read with the records).
Anything else it asks for (an address on the network, a file elsewhere, an image nested in a logo) is not read,
and the document is refused with `errors.RecursoAjeno`. WeasyPrint is imported on first use (commands that do
not render stay light), with one font configuration per process. The PDF is tagged (PDF/A-3a: a structure tree in
reading order, headings, tables, /Lang es-MX, alternative text for every image) so that a screen reader can follow
it. `Imprenta` runs the press in a second process started before the records
are loaded: importing WeasyPrint takes as long as loading the records, checking the rules and wording the
document, and with two cores both happen at once. This module imports nothing heavy itself, so that the
second process can start at once.
"""

from __future__ import annotations

import contextlib
import os
import re
from functools import cache
from pathlib import Path

__all__ = ["Imprenta", "pdf", "pdf_de_svg"]


@cache
def _weasyprint():
    """WeasyPrint, imported on first use (commands that do not render stay fast), without its slow library hunt.

    WeasyPrint asks cffi for each native library under Windows and macOS names first; on Linux every miss makes
    `ctypes.util.find_library` spawn `ldconfig` and then `gcc`, 10–20 ms each, some 0.2 s per process. During
    that import the misses are answered from a single `ldconfig -p` instead; the original is then restored.
    """
    import ctypes.util
    import re
    import subprocess

    original = ctypes.util.find_library
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        listing = None

    def find_library(name: str) -> str | None:
        if listing is None:
            return original(name)
        match = re.search(rf"\s(lib{re.escape(name)}\.so[^\s]*)\s", listing)
        return match.group(1) if match else None

    ctypes.util.find_library = find_library
    try:
        import weasyprint
    finally:
        ctypes.util.find_library = original
    return weasyprint


@cache
def _buscador() -> type:
    """WeasyPrint's URL fetcher, restricted: a `data:` URI only if the document carries it (`datos`), a `file:` only
    inside `carpeta`. Anything else is refused and noted (`rechazados`): WeasyPrint goes on without it (it even
    catches every exception while it draws an SVG), so the caller checks the notes once the PDF is written."""
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    class Buscador(URLFetcher):
        def __init__(self, carpeta: Path | None, datos: frozenset[str]) -> None:
            super().__init__(allowed_protocols=("data", "file"))
            self.carpeta, self.datos, self.rechazados = carpeta, datos, []

        def fetch(self, url, headers=None):
            if url.startswith("data:") and url in self.datos:
                return super().fetch(url, headers)
            if url.startswith("file:") and self.carpeta is not None:
                ruta = Path(url2pathname(urlsplit(url).path)).resolve()
                if ruta.is_relative_to(self.carpeta.resolve()) and ruta.is_file():
                    return super().fetch(url, headers)
            self.rechazados.append(url)
            raise ValueError(f"no se lee {url[:80]}: no es del documento")

    return Buscador


_DATOS = re.compile(r"""data:[^"'\s)]+""")


def _html(html: str, base: Path | None):
    """WeasyPrint's document of `html`, fetching only the files of `base`'s templates folder and its own `data:`;
    and the fetcher, whose notes say what it refused."""
    buscador = _buscador()(base.parent if base is not None else None, frozenset(_DATOS.findall(html)))
    url = str(base) if base is not None else None
    return _weasyprint().HTML(string=html, base_url=url, url_fetcher=buscador), buscador


@contextlib.contextmanager
def _sin_ajenos(buscador):
    """Laying out and drawing (an SVG's images are fetched when it is drawn): what was refused, as `RecursoAjeno`."""
    yield
    if buscador.rechazados:
        from .errors import RecursoAjeno

        raise RecursoAjeno(buscador.rechazados[0])


@cache
def _fuentes():
    """One WeasyPrint font configuration per process, reused by every document of a batch."""
    _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def pdf(html: str, base: Path, comprobar: bool = True) -> tuple[bytes, dict[str, list]]:
    """Tagged PDF/A-3a bytes of `html` (stylesheets and images relative to `base`) and the signature-block rectangles:
    member id → [page, x1, y1, x2, y2] in PDF points. `SinFuenteError` for a character the fonts cannot draw
    (unless `comprobar` is false: whoever asked checks, see `Imprenta`)."""
    documento, buscador = _html(html, base)
    if comprobar:
        _comprobar(html)  # before the layout, the slow part
    with _sin_ajenos(buscador):
        rendered = documento.render(font_config=_fuentes())
        datos = rendered.write_pdf(pdf_variant="pdf/a-3a", finisher=_margenes_en_la_estructura)
    bloques = {}
    for number, page in enumerate(rendered.pages):
        height_pt = page.height * 0.75
        for anchor, (x1, y1, x2, y2) in page.anchors.items():
            if anchor.startswith("firma-"):
                # CSS px from the top-left → PDF points from the bottom-left (what pyHanko expects).
                box = [
                    round(x1 * 0.75, 2),
                    round(height_pt - y2 * 0.75, 2),
                    round(x2 * 0.75, 2),
                    round(height_pt - y1 * 0.75, 2),
                ]
                bloques[anchor.removeprefix("firma-")] = [number, *box]
    return datos, bloques


def _margenes_en_la_estructura(_documento, pdf) -> None:
    """What the first page's margins say, in the structure tree: its mark (BORRADOR, VERSIÓN PÚBLICA, «Proyecto de
    acta…») and its verification block (the QR code, with its alternative text, and the code), at the head of the
    tree, so that a screen reader reads them once. WeasyPrint tags the content of the page margins but leaves it out
    of the tree (in PDF 1.7 it cannot be an artifact element); the rest of them, repeated on every page (the rubric,
    the footer, the same mark and QR), stays out of it, as page furniture."""
    import pydyf

    objetos = {o.number: o for o in pdf.objects if isinstance(o, pydyf.Object)}
    raiz = next((o for o in pdf.objects if isinstance(o, dict) and o.get("Type") == "/StructTreeRoot"), None)
    if raiz is None or not pdf.page_references:
        return
    documento = objetos[_numero(raiz["K"][0])]
    en_el_arbol = _descendientes(documento, objetos)
    sueltos = [
        o
        for o in pdf.objects
        if isinstance(o, dict)
        and o.get("Type") == "/StructElem"
        and o.number not in en_el_arbol
        and o.get("Pg") == pdf.page_references[0]
        and _numero(o["P"]) == documento.number
    ]
    marca = [o for o in sueltos if o["S"] == "/Div" and _hijos(o, objetos) and _solo_texto(o, objetos)]
    verificacion = [o for o in sueltos if any(d["S"] == "/Figure" for d in _subarbol(o, objetos))]
    documento["K"][0:0] = [o.reference for o in (*marca[:1], *verificacion[:1])]


def _numero(referencia) -> int:
    return (
        int(bytes(referencia).split()[0])
        if isinstance(referencia, bytes)
        else int(str(referencia).split()[0])
    )


def _hijos(elemento, objetos) -> list:
    """The structure elements among the kids of `elemento` (not its marked-content ids)."""
    return [objetos[_numero(k)] for k in elemento.get("K", ()) if isinstance(k, (bytes, str))]


def _subarbol(elemento, objetos) -> list:
    hijos = _hijos(elemento, objetos)
    return [*hijos, *(d for h in hijos for d in _subarbol(h, objetos))]


def _descendientes(elemento, objetos) -> set[int]:
    return {elemento.number, *(d.number for d in _subarbol(elemento, objetos))}


def _solo_texto(elemento, objetos) -> bool:
    return all(h["S"] == "/Span" for h in _hijos(elemento, objetos))


def pdf_de_svg(svg: bytes, ancho_cm: float, alto_cm: float) -> bytes:
    """A one-page PDF/A of the SVG drawing alone, the page its size: what a document that shows it would draw
    (`membrete` looks in it for transparency, and rasterises it for the DOCX)."""
    import base64

    fuente = base64.b64encode(svg).decode("ascii")
    html = (
        f"<style>@page {{ size: {ancho_cm}cm {alto_cm}cm; margin: 0 }} body {{ margin: 0 }} "
        f"img {{ display: block; width: {ancho_cm}cm; height: {alto_cm}cm }}</style>"
        f'<img src="data:image/svg+xml;base64,{fuente}" alt="">'
    )
    documento, buscador = _html(html, None)
    with _sin_ajenos(buscador):
        return documento.write_pdf(pdf_variant="pdf/a-3b")


def _comprobar(html: str) -> None:
    from .errors import SinFuenteError
    from .fuentes import faltantes

    faltan = faltantes(html)
    if faltan:
        raise SinFuenteError(faltan)


class Imprenta:
    """The press in a second process, readying WeasyPrint from the moment it is created.

    `with Imprenta() as imprenta:` … load the records, word the document … `imprenta.encargar(html, base)`,
    build the DOCX meanwhile, then `datos, bloques = imprenta.recoger()`. The fonts' character maps are read
    here while the second process is still importing WeasyPrint, off the way to the PDF, and the document's
    characters checked against them here. With one core, or if the second process fails, the PDF is laid out
    here instead, so that an error is raised and reported as anywhere else.
    """

    def __init__(self) -> None:
        self._conexion = self._proceso = self._encargo = None
        import threading

        # Forking copies only the calling thread: a lock another thread held would stay locked in the child.
        if len(os.sched_getaffinity(0)) < 2 or threading.active_count() > 1:
            return
        import multiprocessing

        contexto = multiprocessing.get_context("fork")  # starts at once: nothing to import again
        self._conexion, hija = contexto.Pipe()
        self._proceso = contexto.Process(target=_imprimir, args=(hija,), daemon=True)
        self._proceso.start()
        hija.close()

    def encargar(self, html: str, base: Path) -> None:
        self._encargo = (html, base)
        if self._conexion is not None:
            try:
                self._conexion.send(self._encargo)
            except OSError:
                self.cerrar()
        from .fuentes import cobertura

        cobertura()  # meanwhile

    def recoger(self) -> tuple[bytes, dict[str, list]]:
        if self._conexion is not None:
            try:
                correcto, resultado = self._conexion.recv()
            except (EOFError, OSError):
                correcto = False
            if correcto:
                _comprobar(self._encargo[0])
                return resultado
            self.cerrar()
        return pdf(*self._encargo)

    def cerrar(self) -> None:
        if self._proceso is not None:
            self._conexion.close()
            self._proceso.kill()
            self._proceso.join()
        self._conexion = self._proceso = None

    def __enter__(self) -> Imprenta:
        return self

    def __exit__(self, *exc) -> None:
        self.cerrar()


def _imprimir(conexion) -> None:
    """The second process of `Imprenta`: WeasyPrint and its fonts first, then each document it is sent (its
    characters are checked by the parent)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent ends this one
    try:
        _fuentes()
    except Exception:  # the parent imports WeasyPrint itself, and reports what fails
        return
    while True:
        try:
            encargo = conexion.recv()
        except (EOFError, OSError):
            return
        try:
            resultado = (True, pdf(*encargo, comprobar=False))
        except Exception:  # the parent lays the document out again itself, and reports the error
            resultado = (False, None)
        conexion.send(resultado)
