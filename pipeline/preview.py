"""Live preview: the acta or minuta being written, served on 127.0.0.1 and reloaded as the record changes.

Takes the records folder and a session or meeting id; gives an HTTP server that renders the document from
the records on every request (so an edit shows at once), or the Spanish errors instead of the document when
the records do not load or break the rules. The page asks `/version` every 0.3 s and reloads when the
records or the templates change. With `pdf=True` the page shows the PDF pages as images, drawn into a
temporary folder by a `Paginador` that keeps the press warm (the console uses it too). It never writes into the
outputs.
"""

from __future__ import annotations

import hashlib
import html
import subprocess
import tempfile
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import operations, render
from .errors import StlError

__all__ = ["Paginador", "Vista", "paginas", "servir"]

_RECARGA = """
<script>
  // Reload when the records or the templates change (the server hashes their files). The page starts from
  // the version it was built from, so an edit made right after it loaded is not missed.
  const version = "%s";
  setInterval(async () => {
    try {
      const v = await (await fetch('/version', {cache: 'no-store'})).text();
      if (v !== version) location.reload();
    } catch (e) {}
  }, 300);
</script>
"""


class Vista:
    """What the preview shows: built afresh from the records on each request."""

    def __init__(
        self, registros: Path, objetivo: str, pdf: bool = False, archivo: Path | None = None
    ) -> None:
        self.registros, self.objetivo, self.pdf = Path(registros), objetivo, pdf
        self.archivo = archivo  # where the approved texts are anchored (the archive), if known
        self._tmp = tempfile.TemporaryDirectory(prefix="stl-vista-")
        self._paginador = Paginador(Path(self._tmp.name)) if pdf else None

    def version(self) -> str:
        digest = hashlib.sha256()
        for folder in (self.registros, render.TEMPLATES):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    stat = path.stat()
                    digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
        return digest.hexdigest()[:16]

    def _documento(self):
        """The document as `stl acta` words it, with the same warnings (the approved text changed, other
        records with errors); nothing is written."""
        carpetas = operations.Carpetas(self.registros, archivo=self.archivo or Path("archivo"))
        return operations.documento(carpetas, self.objetivo)

    def recarga(self) -> str:
        return _RECARGA % self.version()

    def pagina(self) -> str:
        recarga = self.recarga()  # before reading the records: a change while rendering still reloads
        try:
            documento, avisos = self._documento()
        except StlError as exc:
            return self._errores(exc, recarga)
        aviso = _avisos(avisos)
        if not self.pdf:
            html_ = render.html(documento)
            return html_.replace("<body>", "<body>" + aviso, 1).replace("</body>", recarga + "</body>")
        try:
            hojas = self._paginador.paginas(documento)
        except StlError as exc:  # a character the fonts cannot draw
            return self._errores(exc, recarga)
        imagenes = "".join(
            f'<img src="/png/{p.name}" alt="Página {n}" style="display:block;margin:1em auto;box-shadow:0 0 4px #888">'
            for n, p in enumerate(hojas, 1)
        )
        return _pagina(f"Vista previa de {self.objetivo} (PDF)", aviso + imagenes, recarga)

    def _errores(self, exc: StlError, recarga: str) -> str:
        items = "".join(f"<li>{html.escape(str(p))}</li>" for p in exc.problemas)
        cuerpo = f'<h1>El registro de {html.escape(self.objetivo)} tiene errores</h1><ul class="errores">{items}</ul>'
        return _pagina("Errores en los registros", cuerpo, recarga)

    def png(self, nombre: str) -> bytes | None:
        path = Path(self._tmp.name) / nombre
        return path.read_bytes() if path.parent == Path(self._tmp.name) and path.is_file() else None


class Paginador:
    """The pages of a document as PNG images in `carpeta`, for the preview and the console: laid out by a warm
    press (`imprenta.Prensa`: a document that did not change is not laid out again), drawn by pdftoppm (both
    cores, half the pages each) and encoded here, each image named by its pixels: a page that did not change keeps
    its file (and the browser its copy); the images of pages no longer there are removed.
    """

    def __init__(self, carpeta: Path, resolucion: int = 80) -> None:
        from . import imprenta

        self.carpeta, self.resolucion, self.prensa = Path(carpeta), resolucion, imprenta.prensa()
        self._ultimo: tuple[str, list[Path]] = ("", [])
        self._candado = threading.Lock()

    def paginas(self, documento) -> list[Path]:
        """The document's pages, as it will be printed, in order; `RecordsError` naming the record fields that
        hold a character the fonts cannot draw."""
        with render.sin_fuente(documento):
            datos, _, hojas = self.prensa.pdf(render.html(documento), render.TEMPLATES / "pdf")
        huella = hashlib.sha256(datos).hexdigest()
        with self._candado:
            if self._ultimo[0] != huella or not all(p.is_file() for p in self._ultimo[1]):
                self._ultimo = huella, self._dibujar(datos, hojas)
            return list(self._ultimo[1])

    def _dibujar(self, datos: bytes, hojas: int) -> list[Path]:
        from concurrent.futures import ThreadPoolExecutor

        pdf, raiz = self.carpeta / "vista.pdf", self.carpeta / "pagina"
        pdf.write_bytes(datos)
        mitad = (hojas + 1) // 2 if hojas >= 4 else hojas
        tramos = [(1, mitad), (mitad + 1, hojas)] if mitad < hojas else [(1, hojas)]
        procesos = [
            subprocess.Popen(
                ["pdftoppm", "-r", str(self.resolucion), "-f", str(a), "-l", str(b), str(pdf), str(raiz)]
            )
            for a, b in tramos
        ]
        if any(p.wait() for p in procesos):
            raise StlError("pdftoppm no pudo dibujar las páginas del PDF de la vista previa")
        crudas = sorted(self.carpeta.glob("pagina-*.ppm"), key=lambda p: int(p.stem.rpartition("-")[2]))
        with ThreadPoolExecutor(2) as hilos:  # zlib lets go of the GIL while it compresses
            paginas = list(hilos.map(_png, crudas))
        for vieja in set(self.carpeta.glob("*.png")) - set(paginas):
            vieja.unlink()
        return paginas


def _png(cruda: Path) -> Path:
    """A page drawn by pdftoppm (PPM), as PNG named by its pixels; encoded only if no page had them before (fast
    zlib: pdftoppm's own PNG takes six times as long)."""
    from PIL import Image

    datos = cruda.read_bytes()
    png = cruda.with_name(f"{hashlib.sha256(datos).hexdigest()[:24]}.png")
    if not png.is_file():
        temporal = cruda.with_suffix(".png.tmp")  # two pages alike: each its own, then the same name
        with Image.open(cruda) as imagen:
            imagen.save(temporal, format="PNG", compress_level=1)
        temporal.replace(png)
    cruda.unlink()
    return png


_PAGINADORES: dict[tuple[Path, int], Paginador] = {}
_CANDADO = threading.Lock()


def paginas(documento, carpeta: Path, resolucion: int = 80) -> list[Path]:
    """The document's pages, as it will be printed, as PNG images in `carpeta` (the console's): by the `Paginador`
    of that folder, kept for the life of the process with the press warm."""
    clave = (Path(carpeta), resolucion)
    with _CANDADO:
        if clave not in _PAGINADORES:
            _PAGINADORES[clave] = Paginador(carpeta, resolucion)
    return _PAGINADORES[clave].paginas(documento)


def _avisos(avisos: tuple[str, ...]) -> str:
    """The warnings `stl acta` would print, above the document (never printed on paper: the preview only)."""
    if not avisos:
        return ""
    items = "".join(f"<li>{html.escape(a)}</li>" for a in avisos)
    return (
        '<aside class="avisos-vista-previa" role="alert" style="border:2px solid #8b4500;background:#fff4e5;'
        f'padding:.5em 1em;margin:1em;font-family:sans-serif"><strong>Advertencias</strong><ul>{items}</ul></aside>'
    )


def _pagina(titulo: str, cuerpo: str, recarga: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="es-MX"><head><meta charset="utf-8"><title>{html.escape(titulo)}</title>'
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        ".errores li{color:#8b0000;margin:.4em 0}</style></head>"
        f"<body>{cuerpo}{recarga}</body></html>"
    )


def servir(vista: Vista, puerto: int = 0) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 (port 0: any free one); the caller runs `serve_forever` and shuts it down."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            # DNS rebinding: a page from elsewhere whose name now points at 127.0.0.1 would read the draft
            # through the reader's browser; its requests carry that name as Host, so only our own are answered.
            puerto = self.server.server_address[1]
            if self.headers.get("Host") not in (f"127.0.0.1:{puerto}", f"localhost:{puerto}"):
                texto = f"Esta vista previa solo responde en http://127.0.0.1:{puerto}/ o http://localhost:{puerto}/."
                return self._send(texto.encode("utf-8"), "text/plain; charset=utf-8", HTTPStatus.FORBIDDEN)
            if self.path == "/version":
                return self._send(vista.version().encode(), "text/plain")
            if self.path.startswith("/png/"):
                data = vista.png(self.path.removeprefix("/png/"))
                return self._send(data, "image/png") if data else self.send_error(HTTPStatus.NOT_FOUND)
            if self.path.endswith(".css"):
                path = render.TEMPLATES / "pdf" / Path(self.path).name
                return self._send(path.read_bytes(), "text/css") if path.is_file() else self.send_error(404)
            return self._send(vista.pagina().encode("utf-8"), "text/html; charset=utf-8")

        def _send(self, data: bytes, tipo: str, estado: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(estado)
            self.send_header("Content-Type", tipo)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args) -> None:
            pass  # the preview is interactive: no access log on the terminal

    return ThreadingHTTPServer(("127.0.0.1", puerto), Handler)


def en_segundo_plano(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread
