"""`stl consola` over HTTP: only 127.0.0.1 with this launch's token, the Host header checked, forms CSRF-safe,
nothing logged; two tabs and an editor never lose each other's changes; a record problem is shown next to the
field it points at; records changed as YAML structure keep every byte they did not change."""

from __future__ import annotations

import datetime as dt
import http.client
import re
import urllib.parse
from pathlib import Path

import pytest

from builders import ROOT
from pipeline import edicion, operations
from pipeline.consola import servidor


class Cliente:
    """One browser tab: its own cookie, the forms of the last page it read."""

    def __init__(self, url: str) -> None:
        partes = urllib.parse.urlsplit(url)
        self.puerto, self.token = partes.port, urllib.parse.parse_qs(partes.query)["token"][0]
        self.galletas: dict[str, str] = {}

    @property
    def cookie(self) -> str | None:
        return "; ".join(f"{k}={v}" for k, v in self.galletas.items()) or None

    @cookie.setter
    def cookie(self, valor: str | None) -> None:
        self.galletas = dict([valor.split("=", 1)]) if valor else {}

    def pedir(self, metodo: str, ruta: str, datos: dict | None = None, encabezados: dict | None = None):
        conexion = http.client.HTTPConnection("127.0.0.1", self.puerto, timeout=30)
        try:
            cabeza = {"Host": f"127.0.0.1:{self.puerto}", **(encabezados or {})}
            if self.cookie:
                cabeza["Cookie"] = self.cookie
            cuerpo = None
            if datos is not None:
                cuerpo = urllib.parse.urlencode(datos)
                cabeza["Content-Type"] = "application/x-www-form-urlencoded"
            conexion.request(metodo, ruta, cuerpo, {k: v for k, v in cabeza.items() if v is not None})
            respuesta = conexion.getresponse()
            for galleta in respuesta.msg.get_all("Set-Cookie") or ():
                nombre, _, valor = galleta.split(";")[0].partition("=")
                self.galletas[nombre] = valor
            return respuesta.status, dict(respuesta.getheaders()), respuesta.read().decode("utf-8")
        finally:
            conexion.close()

    def entrar(self) -> None:
        estado, cabeza, _ = self.pedir("GET", f"/?token={self.token}")
        assert estado == 303 and cabeza["Location"] == "/", (estado, cabeza)
        galleta = cabeza["Set-Cookie"]
        assert "HttpOnly" in galleta and "SameSite=Strict" in galleta
        assert self.galletas[f"stl-consola-{self.puerto}"] == self.token

    def pagina(self, ruta: str) -> str:
        estado, _, cuerpo = self.pedir("GET", ruta)
        assert estado == 200, cuerpo[:500]
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', cuerpo).group(1)
        self.base = re.search(r'name="base" value="([^"]*)"', cuerpo).group(1)
        return cuerpo

    def enviar(self, ruta: str, datos: dict) -> str:
        """A form of the last page read: its csrf and base, then the page the redirect leads to."""
        estado, cabeza, cuerpo = self.pedir("POST", ruta, {"csrf": self.csrf, "base": self.base, **datos})
        assert estado == 303, (estado, cuerpo[:500])
        return self.pagina(cabeza["Location"].split("#")[0])


def test_only_the_address_with_this_launchs_token_opens_the_console(v2020):
    root, corriendo = v2020
    c = Cliente(corriendo.url)
    for ruta in ("/", "/sesion/V-2020/durante", "/estatico/consola.css", "/?token=otro", "/?token="):
        estado, _, cuerpo = c.pedir("GET", ruta)
        assert estado == 403 and "token" in cuerpo and "Quinta" not in cuerpo, (ruta, estado)
    c.cookie = f"stl-consola-{c.puerto}=adivinado"
    assert c.pedir("GET", "/")[0] == 403
    c.cookie = None
    c.entrar()  # the token, once, in the URL: then a cookie, and the token leaves the address bar
    assert "Quinta" in c.pagina("/")
    otro = servidor.servir(operations.Carpetas(root))  # another launch: another token
    try:
        assert Cliente(otro.url).token != c.token
        assert c.pedir("GET", "/")[0] == 200
    finally:
        otro.detener()


def test_only_requests_for_127_0_0_1_or_localhost_with_the_port_are_answered(v2020):
    """DNS rebinding: a page of another site whose name now points at 127.0.0.1 sends its own Host: refused."""
    _, corriendo = v2020
    c = Cliente(corriendo.url)
    c.entrar()
    p = c.puerto
    for ajeno in (
        "atacante.example",
        f"atacante.example:{p}",
        "127.0.0.1",
        f"127.0.0.1:{p + 1}",
        f"localhost.atacante.example:{p}",
    ):
        estado, _, cuerpo = c.pedir("GET", "/", encabezados={"Host": ajeno})
        assert estado == 403 and "solo responde en" in cuerpo, ajeno
    for propio in (f"127.0.0.1:{p}", f"localhost:{p}"):
        assert c.pedir("GET", "/", encabezados={"Host": propio})[0] == 200


def test_a_form_without_this_consoles_code_or_from_another_origin_writes_nothing(v2020):
    root, corriendo = v2020
    c = Cliente(corriendo.url)
    c.entrar()
    c.pagina("/sesion/V-2020/durante")
    antes = (root / "sesiones/V-2020.yaml").read_bytes()
    ruta = "/sesion/V-2020/asistencia/martinez"
    assert c.pedir("POST", ruta, {"base": c.base, "accion": "presente", "momento": "durante"})[0] == 403
    assert c.pedir("POST", ruta, {"csrf": "x", "base": c.base, "accion": "presente"})[0] == 403
    ajeno = {"Origin": "http://atacante.example"}
    datos = {"csrf": c.csrf, "base": c.base, "accion": "presente"}
    assert c.pedir("POST", ruta, datos, ajeno)[0] == 403
    sin_galleta = Cliente(corriendo.url)
    assert sin_galleta.pedir("POST", ruta, datos)[0] == 403
    assert (root / "sesiones/V-2020.yaml").read_bytes() == antes
    c.enviar(ruta, {"accion": "presente", "momento": "durante"})
    assert "- martinez" in (root / "sesiones/V-2020.yaml").read_text("utf-8")


def test_two_tabs_never_lose_each_others_changes(v2020):
    root, corriendo = v2020
    uno, dos = Cliente(corriendo.url), Cliente(corriendo.url)
    uno.entrar()
    dos.entrar()
    uno.pagina("/sesion/V-2020/durante")
    dos.pagina("/sesion/V-2020/durante")
    uno.enviar("/sesion/V-2020/asistencia/martinez", {"accion": "presente", "momento": "durante"})
    pagina = dos.enviar(
        "/sesion/V-2020/puntos/4/intervenciones",
        {"orador": "", "texto": "el Facilitador dio la bienvenida.", "momento": "durante"},
    )
    assert "cambió desde que se abrió esta página" in pagina
    assert (
        "el Facilitador dio la bienvenida." in pagina
    )  # what was typed is shown back: nothing typed is lost
    registro = (root / "sesiones/V-2020.yaml").read_text("utf-8")
    assert "- martinez" in registro and "bienvenida" not in registro
    dos.enviar(  # the page it got back is the record as it is now: the change goes in beside the other
        "/sesion/V-2020/puntos/4/intervenciones",
        {"orador": "", "texto": "el Facilitador dio la bienvenida.", "momento": "durante"},
    )
    registro = (root / "sesiones/V-2020.yaml").read_text("utf-8")
    assert "- martinez" in registro and "el Facilitador dio la bienvenida." in registro


def test_a_record_edited_in_an_editor_during_the_session_is_never_overwritten(v2020):
    root, corriendo = v2020
    c = Cliente(corriendo.url)
    c.entrar()
    c.pagina("/sesion/V-2020/durante")
    c.enviar("/sesion/V-2020/asistencia/cervantes", {"accion": "presente", "momento": "durante"})
    path = root / "sesiones/V-2020.yaml"
    editado = path.read_text("utf-8").replace(
        'hora_inicio: "10:00"', 'hora_inicio: "10:15"  # según la grabación'
    )
    path.write_text(editado, "utf-8")  # the Facilitador's editor saves while the console's page is open
    pagina = c.enviar("/sesion/V-2020/asistencia/funes", {"accion": "presente", "momento": "durante"})
    assert "cambió desde que se abrió esta página" in pagina and "no se guardó su cambio" in pagina
    assert path.read_text("utf-8") == editado
    assert 'value="10:15"' in pagina  # the page was reloaded with what the file says now
    c.enviar("/sesion/V-2020/asistencia/funes", {"accion": "presente", "momento": "durante"})
    final = path.read_text("utf-8")
    assert '"10:15"  # según la grabación' in final and "- funes" in final  # both kept, comment included


def test_a_record_problem_is_shown_next_to_the_field_it_points_at(v2020):
    root, corriendo = v2020
    path = root / "sesiones/IV-2020.yaml"
    texto = path.read_text("utf-8").replace(
        "    acuerdos:\n      - texto: el eje “Cultura del Gobierno Abierto” por parte del Infoem\n        votacion: unanimidad",
        "    acuerdos:\n      - texto: el eje “Cultura del Gobierno Abierto” por parte del Infoem\n        votacion:\n"
        "          a_favor: [martinez, cervantes]\n          abstenciones: [{integrante: vargas}]",
    )
    assert texto != path.read_text("utf-8")
    path.write_text(texto, "utf-8")
    c = Cliente(corriendo.url)
    c.entrar()
    pagina = c.pagina("/sesion/IV-2020/despues")
    bloque = re.search(
        r'<ul class="errores-campo" id="err-orden-del-dia-3-acuerdos-0">(.*?)</ul>', pagina, re.S
    )
    assert bloque and "sin impedimento justificado" in bloque.group(1), pagina[:3000]
    assert pagina.index("STL/IV/3/2020") < bloque.start()  # right after that acuerdo, not at the top


def test_nothing_is_logged(v2020, capfd):
    _, corriendo = v2020
    c = Cliente(corriendo.url)
    c.entrar()
    c.pagina("/sesion/V-2020/durante")
    c.enviar("/sesion/V-2020/asistencia/martinez", {"accion": "presente", "momento": "durante"})
    c.pedir("GET", "/no-existe")
    salida = capfd.readouterr()
    assert salida.out == "" and salida.err == ""


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "records").rglob("*.yaml")), ids=lambda p: p.name)
def test_a_record_read_and_written_back_is_the_same_bytes(path: Path):
    texto = path.read_text("utf-8")
    assert edicion.aplicar(texto, lambda doc: None, path.name) == texto


def test_a_change_keeps_the_comments_and_the_order_of_everything_else():
    texto = (ROOT / "records/sesiones/IV-2020.yaml").read_text("utf-8")
    nuevo = edicion.aplicar(texto, edicion.poner_hora("hora_cierre", dt.time(14, 45)), "IV-2020.yaml")
    assert nuevo == texto.replace('hora_cierre: "14:31"', 'hora_cierre: "14:45"')
    nuevo = edicion.aplicar(
        texto, edicion.presente("vargas", llega=dt.time(13, 20), campos=frozenset({"llega"})), "x"
    )
    assert (
        'asistencia: [martinez, {integrante: vargas, llega: "13:20"}, cervantes, funes, parra, luna]' in nuevo
    )


def test_ids_are_made_from_the_first_surname():
    assert edicion.id_para("Zulema Martínez Sánchez", set()) == "martinez"
    assert edicion.id_para("Ana Núñez", set()) == "nunez"
    assert edicion.id_para("Zulema Martínez Sánchez", {"martinez"}) == "martinez-zulema"
    assert edicion.id_para("Zulema Martínez Sánchez", {"martinez", "martinez-zulema"}) == "martinez-2"
