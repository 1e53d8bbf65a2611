"""The console's web server: Flask on werkzeug's server, bound to 127.0.0.1, for one person at one computer.

Takes the folders and a clock; gives a running server and the address to open, with a token made for this
launch (as Jupyter does): the first request carries it in the URL, gets it back as an HttpOnly, SameSite=Strict
cookie for this port and is redirected to the same page without it, so it stays out of the history. Every request
must name this server in its Host header (a page of another site whose name now points at 127.0.0.1 is
refused: DNS rebinding) and carry the token; every form carries a CSRF token derived from it, and a POST from
another origin is refused. Nothing is logged: no access log (URLs name sessions and members), and an unexpected
error is shown as a sentence, its traceback only with --verbose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, redirect, request
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .. import paquete
from ..operations import Carpetas
from . import rutas

__all__ = ["Consola", "Servidor", "crear_app", "servir"]

# Only this machine's pages: scripts, styles and images from the console itself, nothing from outside.
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True)
class Consola:
    """What every request needs: the folders, the clock, this launch's token and whether to show tracebacks."""

    carpetas: Carpetas
    reloj: Callable[[], dt.datetime]
    token: str
    verbose: bool = False

    @property
    def csrf(self) -> str:
        return hmac.new(self.token.encode(), b"csrf", hashlib.sha256).hexdigest()


class _Silencioso(WSGIRequestHandler):
    """werkzeug's handler without its access log: the URLs name sessions and members."""

    def log(self, type: str, message: str, *args) -> None:
        pass


def _propios(puerto: int) -> tuple[str, ...]:
    return (f"127.0.0.1:{puerto}", f"localhost:{puerto}")


def _revisar(app: Flask) -> Response | None:
    """Host, token and CSRF of one request; a response refuses it, None lets it through."""
    consola: Consola = app.config["CONSOLA"]
    puerto = app.config["PUERTO"]
    if request.host not in _propios(puerto):
        texto = f"La consola solo responde en http://127.0.0.1:{puerto}/ o http://localhost:{puerto}/."
        return Response(texto, 403, mimetype="text/plain")
    dado = request.args.get("token")
    if dado is not None and hmac.compare_digest(dado, consola.token):
        destino = request.path + (f"#{request.args['ancla']}" if request.args.get("ancla") else "")
        respuesta = redirect(destino, 303)
        respuesta.set_cookie(app.config["COOKIE"], consola.token, httponly=True, samesite="Strict", path="/")
        return respuesta
    cookie = request.cookies.get(app.config["COOKIE"], "")
    if not hmac.compare_digest(cookie, consola.token):
        texto = (
            "Esta consola necesita la dirección completa que mostró «stl consola» al abrirse (con su token). "
            "Ábrala desde ahí."
        )
        return Response(texto, 403, mimetype="text/plain")
    if request.method == "POST":
        origen = request.headers.get("Origin")
        if origen is not None and origen not in {f"http://{h}" for h in _propios(puerto)}:
            return Response("Formulario de otro sitio: rechazado.", 403, mimetype="text/plain")
        if not hmac.compare_digest(request.form.get("csrf", ""), consola.csrf):
            return Response(
                "El formulario no trae el código de esta consola (¿una página de antes de reiniciarla?): "
                "recargue la página.",
                403,
                mimetype="text/plain",
            )
    return None


def _encabezados(respuesta: Response) -> Response:
    respuesta.headers["Content-Security-Policy"] = _CSP
    respuesta.headers["X-Content-Type-Options"] = "nosniff"
    respuesta.headers["Referrer-Policy"] = "same-origin"  # «no-referrer» would send Origin: null
    respuesta.headers["Cache-Control"] = "no-store"
    return respuesta


def crear_app(consola: Consola, puerto: int) -> Flask:
    """The console as a WSGI application answering on 127.0.0.1:`puerto`."""
    plantillas = paquete.plantillas() / "consola"
    app = Flask(__name__, template_folder=str(plantillas), static_folder=None)
    app.config.update(
        CONSOLA=consola,
        PUERTO=puerto,
        COOKIE=f"stl-consola-{puerto}",
        SECRET_KEY=hmac.new(consola.token.encode(), b"sesion", hashlib.sha256).digest(),
        SESSION_COOKIE_NAME=f"stl-consola-avisos-{puerto}",
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=50 * 1024 * 1024,  # a signed acta comes back as an upload
    )
    app.before_request(lambda: _revisar(app))
    app.after_request(_encabezados)

    @app.errorhandler(Exception)
    def _falla(exc: Exception):
        if hasattr(exc, "code") and hasattr(exc, "get_response"):  # an HTTP error (404, 405): as it is
            return exc
        if consola.verbose:
            traceback.print_exception(exc, file=sys.stderr)
        texto = (
            f"La consola encontró un error que no esperaba ({type(exc).__name__}). Nada se escribió a medias. "
            "Vuelva a la página anterior; si se repite, ejecute «stl --verbose consola» para ver el detalle."
        )
        return Response(texto, 500, mimetype="text/plain")

    @app.get("/estatico/<nombre>")
    def estatico(nombre: str):
        tipos = {".css": "text/css", ".js": "text/javascript"}
        path = plantillas / Path(nombre).name
        if path.suffix not in tipos or not path.is_file():
            abort(404)
        return Response(path.read_bytes(), mimetype=tipos[path.suffix])

    rutas.registrar(app)
    return app


@dataclass
class Servidor:
    """A running console: its address (with the token), and how to stop it."""

    servidor: BaseWSGIServer
    url: str
    hilo: threading.Thread | None = None

    def detener(self) -> None:
        self.servidor.shutdown()
        self.servidor.server_close()


def servir(
    carpetas: Carpetas,
    puerto: int = 0,
    reloj: Callable[[], dt.datetime] | None = None,
    verbose: bool = False,
    fondo: bool = True,
) -> Servidor:
    """The console on 127.0.0.1:`puerto` (0: any free port); with `fondo`, already serving in a thread."""
    token = secrets.token_urlsafe(32)
    consola = Consola(carpetas, reloj or (lambda: dt.datetime.now().astimezone()), token, verbose)
    servidor = make_server("127.0.0.1", puerto, None, threaded=True, request_handler=_Silencioso)
    puerto = servidor.server_port
    servidor.app = crear_app(consola, puerto)
    resultado = Servidor(servidor, f"http://127.0.0.1:{puerto}/?token={token}")
    if fondo:
        resultado.hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
        resultado.hilo.start()
    return resultado
