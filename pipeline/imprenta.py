"""Stage 3 — render, the PDF press: HTML and CSS laid out by WeasyPrint into tagged PDF/A-3a.

Takes the HTML `render` words and the folder its stylesheets are in; gives the PDF bytes and where each
signature block landed. WeasyPrint reads nothing but what the document names of its own: the files of the
templates folder and the `data:` images written into the HTML (the logos of stl.yaml, read with the records).
Anything else it asks for (an address on the network, a file elsewhere, an image nested in a logo) is not read,
and the document is refused with `errors.RecursoAjeno`. WeasyPrint is imported on first use (commands that do
not render stay light), with one font configuration and one parse of each linked style sheet per process (a worker
of the batch lays out many actas). The PDF is tagged (PDF/A-3a: a structure tree in reading order, headings,
tables, /Lang es-MX, alternative text for every image) so that a screen reader can follow it. `Imprenta` runs the
press in a second process started before the records are loaded: importing WeasyPrint takes as long as loading the
records, checking the rules and wording the document, and with two cores both happen at once. `Prensa` is the
press kept warm for the preview and the console: a document that did not change is not laid out again. This
module imports nothing heavy itself, so that the second process can start at once.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from functools import cache
from pathlib import Path

__all__ = ["Imprenta", "Prensa", "pdf", "pdf_de_svg", "prensa"]


_CARGA = threading.RLock()


def _una_vez(funcion):
    """Like `functools.cache` for a function of no arguments, and run once even when two threads ask at once (the
    preview readies the press in a thread while a request may already need it)."""
    hecho: list = []

    def una_vez():
        if not hecho:
            with _CARGA:
                if not hecho:
                    hecho.append(funcion())
        return hecho[0]

    return una_vez


@_una_vez
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
    _compartir_hojas(weasyprint)
    return weasyprint


_EFECTOS = re.compile(rb"@(font-face|import|counter-style|color-profile|layer)\b", re.IGNORECASE)


def _compartir_hojas(weasyprint) -> None:
    """The style sheets a document links, parsed once per process and given to every document that links them.

    WeasyPrint parses them again for each document; ours are the same few files for every document of a process
    (a worker of the batch, the preview). Each one WeasyPrint asks for in `css.find_stylesheets` (`CSS(url=…)`)
    comes from here, in its place among the document's sheets (same origin, same order: the PDF is byte for byte
    the one WeasyPrint alone makes, tests/test_identicos.py), parsed again only when its file changes. A sheet that
    leaves something in the document besides its rules (@font-face, @import, @counter-style, @color-profile,
    @layer) is parsed for each document, as everything is where WeasyPrint is not the version this was made for.
    """
    import inspect
    from urllib.request import url2pathname

    from weasyprint import css

    esperados = ["wrapper_element", "device_media_type", "url_fetcher", "base_url", "font_config"]
    if (
        css.CSS is not weasyprint.CSS
        or list(inspect.signature(css.find_stylesheets).parameters)[:5] != esperados
    ):
        return
    original, hojas = css.CSS, {}

    def compartida(url: str, url_fetcher, media_type: str, font_config):
        path = Path(url2pathname(url.removeprefix("file:").split("?")[0]))
        try:
            antes = path.stat()
            firma = (url, media_type, antes.st_mtime_ns, antes.st_size, antes.st_ino)
            hecha = hojas.get(firma)
            if hecha is not None and hecha[0] is font_config:
                return hecha[1]
            if _EFECTOS.search(path.read_bytes()):
                return None
        except OSError:
            return None
        adicionales: dict = {}
        hoja = original(
            url=url,
            url_fetcher=url_fetcher,
            media_type=media_type,
            font_config=font_config,
            counter_style=adicionales,
            color_profiles=adicionales,
            _check_mime_type=True,
        )
        despues = path.stat()
        if adicionales or hoja.layers or (despues.st_mtime_ns, despues.st_size) != firma[2:4]:
            return None  # the document parses it itself, as WeasyPrint does
        hojas[firma] = (font_config, hoja)
        return hoja

    def hoja_de(*args, **kwargs):  # in place of WeasyPrint's `CSS` where it builds a document's sheets
        url = kwargs.get("url")
        if (
            not args
            and kwargs.get("_check_mime_type")
            and "matcher" not in kwargs
            and str(url).startswith("file:")
        ):
            hoja = compartida(
                url, kwargs.get("url_fetcher"), kwargs.get("media_type"), kwargs.get("font_config")
            )
            if hoja is not None:
                return hoja
        return original(*args, **kwargs)

    css.CSS = hoja_de


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


@_una_vez
def _fuentes():
    """One WeasyPrint font configuration per process, reused by every document of a batch."""
    _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def pdf(html: str, base: Path, comprobar: bool = True) -> tuple[bytes, dict[str, list]]:
    """Tagged PDF/A-3a bytes of `html` (stylesheets and images relative to `base`) and the signature-block rectangles:
    member id → [page, x1, y1, x2, y2] in PDF points. `SinFuenteError` for a character the fonts cannot draw
    (unless `comprobar` is false: whoever asked checks, see `Imprenta`)."""
    return _maquetar(html, base, comprobar)[:2]


def _maquetar(html: str, base: Path, comprobar: bool = True) -> tuple[bytes, dict[str, list], int]:
    """`pdf`, and how many pages."""
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
    return datos, bloques, len(rendered.pages)


class Prensa:
    """The press kept warm for the preview and the console: WeasyPrint imported and its fonts loaded once per
    process (`_fuentes`), the style sheets parsed once (`_compartir_hojas`), and the last PDFs kept, each by its
    HTML and the files of its templates folder: a document that did not change is not laid out again, and one that
    did is laid out alone. One layout at a time (the preview answers from several threads).
    """

    def __init__(self, recuerda: int = 8) -> None:
        from collections import OrderedDict

        self._hechos: OrderedDict[str, tuple[bytes, dict[str, list], int]] = OrderedDict()
        self._recuerda, self._candado = recuerda, threading.Lock()
        threading.Thread(target=_fuentes, daemon=True).start()  # WeasyPrint readied before the first document

    def pdf(self, html: str, base: Path) -> tuple[bytes, dict[str, list], int]:
        """`pdf(html, base)` and its number of pages, laid out again only if the document or a file of `base`
        changed; `SinFuenteError` as `pdf`."""
        clave = _clave(html, base)
        with self._candado:
            if clave in self._hechos:
                self._hechos.move_to_end(clave)
                return self._hechos[clave]
            hecho = self._hechos[clave] = _maquetar(html, base)
            while len(self._hechos) > self._recuerda:
                self._hechos.popitem(last=False)
            return hecho


@_una_vez
def prensa() -> Prensa:
    """The process's warm press: the preview's and the console's pages share it."""
    return Prensa()


def _clave(html: str, base: Path) -> str:
    """The HTML and what each file of its templates folder is now (name, size, modification)."""
    import hashlib

    digest = hashlib.sha256(html.encode())
    for path in sorted(Path(base).rglob("*")):
        if path.is_file():
            estado = path.stat()
            digest.update(f"\0{path}\0{estado.st_size}\0{estado.st_mtime_ns}".encode())
    return digest.hexdigest()


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
