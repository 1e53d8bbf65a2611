"""Every document the mechanisms require signed (issue 17), on each example STL (issue 30): the oficio, the
session's record (an acta, or a minuta in Zacatecas), the minuta of a working meeting and the fe de erratas go
through the same flow (prepare, send for signature, sign, incorporate, verify, archive, publish with the open data,
send by e-mail), with the same refusals; the approved acta is frozen; every signed page carries its verification
code and QR code.

Real signatures with the demo PKI of `make demo` (generated here, password «demo»); a real SMTP server (aiosmtpd)
on 127.0.0.1; the site served on 127.0.0.1 and read in headless Chromium; the QR code read back from the rendered
page with zxing-cpp.
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import functools
import hashlib
import io
import json
import re
import shutil
import socket
import subprocess
import threading
from dataclasses import dataclass
from email import policy
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_ejemplos import EJEMPLOS, sin_palabras_ajenas

from builders import chromium
from pipeline import pki_demo, records, rules
from pipeline.cli import main
from pipeline.models import Perfil

DOCUMENTOS = {  # what `stl preparar-firma` is given → its workspace, inside firmas/
    "convocatoria": (["IV-2020", "--documento", "convocatoria"], "IV-2020/convocatoria"),
    "minuta": (["RT-2020-11-24"], "RT-2020-11-24"),
    "acta": (["IV-2020"], "IV-2020"),
}


class _Silencioso(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


def _stl(base: Path, *args: str):
    carpetas = [
        "--registros",
        f"{base}/records",
        "--firmas",
        f"{base}/firmas",
        "--archivo",
        f"{base}/archivo",
    ]
    carpetas += ["--salida", f"{base}/salida"]
    return CliRunner().invoke(main, [*carpetas, *args], env={"STL_CONTRASENA": "demo"})


def _ok(base: Path, *args: str) -> str:
    result = _stl(base, *args)
    assert result.exit_code == 0, result.output
    return result.output


def _p12(base: Path, quien: str) -> list[str]:
    return ["--p12", str(base / "records/claves" / f"{quien}.p12")]


# --- the whole lifecycle, on each example STL ----------------------------------------------------------------------
#
# Estado de México (the bundled records), Jalisco (a presiding member, no Facilitador, a casting vote) and Zacatecas
# (the session leaves a «minuta», a suplente standing in, a letterhead): the session's oficio is issued and signed by
# its convener, the session's record prepared, sent for signature, signed by every signatory, verified, archived,
# published with its open data and sent by e-mail (aiosmtpd on 127.0.0.1), all through `stl`.


@dataclass
class Ciclo:
    base: Path
    perfil: Perfil
    sesion: str
    propio: str  # what the profile calls the session's record: «acta», or «minuta» (Zacatecas)
    firmantes: tuple[str, ...]
    convoca: str
    correos: list  # every message the SMTP server accepted, parsed
    salidas: dict[str, str]  # what each step printed

    def documentos(self) -> dict[str, tuple[list[str], str]]:
        """What was signed: name → (what `stl preparar-firma` was given, its workspace inside firmas/)."""
        hechos = {
            "convocatoria": ([self.sesion, "--documento", "convocatoria"], f"{self.sesion}/convocatoria"),
            self.propio: ([self.sesion], self.sesion),
        }
        if self.perfil.id == "edomex":
            hechos["minuta"] = (["RT-2020-11-24"], "RT-2020-11-24")
        return hechos


class _Buzon:
    """An aiosmtpd handler that keeps every message."""

    def __init__(self) -> None:
        self.mensajes: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.mensajes.append(envelope.content)
        return "250 2.0.0 Aceptado"


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _registros(base: Path, ejemplo: str, url: str, puerto: int) -> tuple[tuple[str, ...], str]:
    """The example's records with a demo PKI for its signatories and convener (and an «intruso»), the session's
    record approved, the site at `url`, the mail server at 127.0.0.1:`puerto` and an address for everyone.
    Gives (the signatories, the convener)."""
    origen, sesion = EJEMPLOS[ejemplo]
    tree = base / "records"
    shutil.copytree(origen, tree)
    registro = records.load(tree)
    firmantes = tuple(p.id for p in rules.dictaminar(registro, sesion).firmantes)
    convoca = registro.sesion(sesion).convocatoria.convoca
    quienes = list(dict.fromkeys([*firmantes, convoca]))
    nombres = [(i, registro.stl.integrante(i).nombre) for i in quienes] + [("intruso", "Persona Ajena")]
    huellas = pki_demo.generar(tree / "claves", nombres, "demo", dt.datetime.now(dt.UTC))
    lines = ["certificados:"] + [f"  - integrante: {i}\n    sha256: {huellas[i]}" for i in quienes]
    (tree / "certificados.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    stl_yaml = re.sub(r"^correo:\n(?:  .*\n)+", "", (tree / "stl.yaml").read_text("utf-8"), flags=re.M)
    if "\nsitio:\n" in stl_yaml:
        stl_yaml = re.sub(r"^sitio:\n  url: .*\n", f"sitio:\n  url: {url}\n", stl_yaml, flags=re.M)
    else:
        stl_yaml += f"sitio:\n  url: {url}\n"
    if "privado:" not in stl_yaml:  # the examples give no addresses: one for everyone
        stl_yaml = re.sub(
            r"^(  - id: (\S+)\n)",
            rf"\1    privado:\n      correo: \2@{ejemplo}.example\n",
            stl_yaml,
            flags=re.M,
        )
    stl_yaml += f"correo:\n  servidor: 127.0.0.1\n  puerto: {puerto}\n  seguridad: ninguna\n  remitente: stl@prueba.example\n"
    (tree / "stl.yaml").write_text(stl_yaml + "firma:\n  raices: [claves/raiz.pem]\n", "utf-8")
    path = tree / "sesiones" / f"{sesion}.yaml"
    if "\naprobacion:" not in path.read_text("utf-8"):
        with path.open("a", encoding="utf-8") as handle:
            handle.write('aprobacion: {fecha: "2021-04-01", fundamento: "Aprobación de prueba"}\n')
    return firmantes, convoca


def _firmar_todo(base: Path, args: list[str], workspace: Path) -> None:
    """Every expected signatory who has not signed yet (whoever prepared it signed with the certification) signs
    the current version, one after another, as the ledger asks."""
    extra = ["--documento", args[2]] if len(args) > 1 else []
    bitacora = json.loads((workspace / "bitacora.json").read_text("utf-8"))
    firmaron = {v["firmante"] for v in bitacora["versiones"]}
    for esperado in (e for e in bitacora["esperados"] if e["id"] not in firmaron):
        _ok(base, "firmar", args[0], *extra, "--firmante", esperado["id"], *_p12(base, esperado["id"]))


def _ciclo(base: Path, ejemplo: str, url: str) -> Ciclo:
    """The lifecycle of the example's session through `stl`, with a mail server listening meanwhile."""
    from aiosmtpd.controller import Controller

    _, sesion = EJEMPLOS[ejemplo]
    buzon = _Buzon()
    servidor = Controller(buzon, hostname="127.0.0.1", port=_puerto_libre())
    servidor.start()
    try:
        firmantes, convoca = _registros(base, ejemplo, url, servidor.port)
        perfil = records.load(base / "records").perfil
        ciclo = Ciclo(base, perfil, sesion, perfil.documento, firmantes, convoca, [], {})
        ciclo.salidas["convocatoria"] = _ok(base, "convocatoria", sesion)  # reprints the folio it already has
        documentos = ciclo.documentos()
        for nombre, (args, _) in documentos.items():
            ciclo.salidas[f"preparar {nombre}"] = _ok(base, "preparar-firma", *args, *_p12(base, convoca))
        ciclo.salidas["enviar firma"] = _ok(base, "enviar", "firma", sesion)  # to the first signatory
        for nombre, (args, carpeta) in documentos.items():
            _firmar_todo(base, args, base / "firmas" / carpeta)
            ciclo.salidas[f"verificar {nombre}"] = _ok(base, "verificar", *args)
        ciclo.salidas["estado"] = _ok(base, "estado", sesion)
        for objetivo in dict.fromkeys(args[0] for args, _ in documentos.values()):
            ciclo.salidas[f"archivar {objetivo}"] = _ok(base, "archivar", objetivo)
        ciclo.salidas["publicar"] = _ok(base, "publicar", "--sitio", str(base / "sitio"), "--sin-busqueda")
        ciclo.salidas["enviar acta"] = _ok(base, "enviar", "acta", sesion)
        ciclo.salidas["enviar convocatoria"] = _ok(base, "enviar", "convocatoria", sesion)
    finally:
        servidor.stop()
    ciclo.correos.extend(email.message_from_bytes(m, policy=policy.default) for m in buzon.mensajes)
    return ciclo


@pytest.fixture(scope="module")
def servidor(tmp_path_factory):
    """An HTTP server on 127.0.0.1 for the sites, started first: its address goes in stl.yaml (the QR code)."""
    base = tmp_path_factory.mktemp("firmados")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Silencioso, directory=str(base)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base, f"http://127.0.0.1:{server.server_address[1]}/sitio"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def edomex(servidor) -> Ciclo:
    """As `make demo`: the oficio, the acta of IV-2020 and the minuta of RT-2020-11-24 prepared, signed by whoever
    signs each, archived, published and sent."""
    base, url = servidor
    return _ciclo(base, "edomex", url)


@pytest.fixture(scope="module")
def firmados(edomex) -> Path:
    """The base folder of the Estado de México lifecycle (records, firmas, archivo, sitio, salida)."""
    return edomex.base


@pytest.fixture(scope="module", params=list(EJEMPLOS))
def ciclo(request, servidor) -> Ciclo:
    """The lifecycle of each example STL; Estado de México's is `edomex`, done once for the module."""
    if request.param == "edomex":
        return request.getfixturevalue("edomex")
    base, url = servidor
    (base / request.param).mkdir()
    return _ciclo(base / request.param, request.param, url.removesuffix("/sitio") + f"/{request.param}/sitio")


def _bitacora(base: Path, documento: str) -> dict:
    return json.loads((base / "firmas" / DOCUMENTOS[documento][1] / "bitacora.json").read_text("utf-8"))


def _actual(base: Path, documento: str) -> Path:
    return base / "firmas" / DOCUMENTOS[documento][1] / _bitacora(base, documento)["versiones"][-1]["archivo"]


@pytest.fixture
def copia(firmados, tmp_path):
    """A private copy of the signed records and workspaces, for one test to change (what was sent by e-mail,
    envios.yaml, stays behind: a test sends again)."""
    ignorar = shutil.ignore_patterns("envios.yaml", ".*.lock")
    for carpeta in ("records", "firmas"):
        shutil.copytree(firmados / carpeta, tmp_path / carpeta, ignore=ignorar)
    return tmp_path


def test_each_document_is_signed_verified_archived_and_published(ciclo):
    """The oficio, the session's record (the acta, or Zacatecas's minuta) and Edomex's minuta of a working meeting:
    signed by whoever signs each, valid for `stl verificar` and poppler's pdfsig, archived as the signed current
    version under the name the profile gives it, and on the site with its SHA-256 and its verification code; the
    approved text recorded in the records and anchored in the archive."""
    s, propio = ciclo.sesion, ciclo.propio
    manifiesto = json.loads((ciclo.base / "archivo/manifiesto.json").read_text("utf-8"))["documentos"]
    for documento, (args, carpeta) in ciclo.documentos().items():
        salida = ciclo.salidas[f"verificar {documento}"]
        assert salida.startswith("Verificación de") and "VÁLIDO" in salida
        bitacora = json.loads((ciclo.base / "firmas" / carpeta / "bitacora.json").read_text("utf-8"))
        esperados = {e["id"] for e in bitacora["esperados"]}
        if documento == "convocatoria":
            assert esperados == {ciclo.convoca}
        elif documento == propio:
            assert esperados == set(ciclo.firmantes)
        versiones = bitacora["versiones"]  # the certification, then each signature not made by it
        assert {v["firmante"] for v in versiones} - {None} <= esperados
        actual = ciclo.base / "firmas" / carpeta / versiones[-1]["archivo"]
        assert actual.name == f"{documento}-{args[0]}.v{len(versiones) - 1:02d}.pdf"
        # pdfsig (poppler) agrees: every signature of the final version is valid.
        pdfsig = subprocess.run(["pdfsig", str(actual)], capture_output=True, text=True)
        assert pdfsig.stdout.count("Signature Validation: Signature is Valid.") == len(versiones), (
            pdfsig.stdout
        )
        entrada = next(e for e in manifiesto if e["clase"] == documento)
        assert entrada["nombre"] == f"{args[0]}/{documento}-{args[0]}.pdf"
        assert f"{entrada['nombre']} (firmado" in ciclo.salidas[f"archivar {args[0]}"]
        assert (
            entrada["firmado"]
            and (ciclo.base / "archivo" / entrada["nombre"]).read_bytes() == actual.read_bytes()
        )
        assert len(entrada["firmas"]) == len(esperados) and all(f["valida"] for f in entrada["firmas"])
        pagina = f"{'reuniones' if args[0].startswith('RT-') else 'sesiones'}/{args[0]}.html"
        html = (ciclo.base / "sitio" / pagina).read_text("utf-8")
        assert entrada["sha256"] in html and f'id="v-{entrada["codigo"]}"' in html
    assert ciclo.salidas["estado"].startswith(f"{propio.capitalize()} de {s}")
    assert f"sesion: {s}" in (ciclo.base / "records/aprobaciones.yaml").read_text("utf-8")
    assert (ciclo.base / "archivo/aprobaciones" / f"{s}.json").is_file()


def test_the_open_data_say_what_the_records_and_the_archive_say(ciclo):
    """The open data of the session: its signed documents with the versión pública the site publishes and the
    SHA-256 of the archived original; its acuerdos with the outcome the rules give (Jalisco's casting vote
    included); who attended."""
    s = ciclo.sesion
    registro = records.load(ciclo.base / "records")

    def filas(tabla: str) -> list[dict]:
        with (ciclo.base / "sitio/datos" / f"{tabla}.csv").open(encoding="utf-8", newline="") as handle:
            return [f for f in csv.DictReader(handle) if f["sesion"] == s]

    manifiesto = json.loads((ciclo.base / "archivo/manifiesto.json").read_text("utf-8"))["documentos"]
    originales = {e["clase"]: e["sha256"] for e in manifiesto if e["nombre"].startswith(f"{s}/")}
    documentos = {f["documento"]: f for f in filas("documentos") if f["firmado"] == "sí"}
    assert set(documentos) == {"convocatoria", ciclo.propio}
    for clase, fila in documentos.items():
        assert fila["version_publica"] == "sí" and fila["sha256_original"] == originales[clase]
        publicado = ciclo.base / "sitio" / fila["archivo"]
        assert hashlib.sha256(publicado.read_bytes()).hexdigest() == fila["sha256"] != originales[clase]
    dictamen = rules.dictaminar(registro, s)
    assert {f["folio"]: f["resultado"] for f in filas("acuerdos")} == {
        r.acuerdo.folio: r.forma for r in dictamen.resultados
    }
    assert {f["integrante"] for f in filas("asistencia")} == {
        a.integrante for a in registro.sesion(s).asistencia
    }
    if ciclo.perfil.id == "jalisco":
        assert "voto_de_calidad" in {f["resultado"] for f in filas("acuerdos")}


def test_every_member_gets_the_signed_documents_once_by_email(ciclo):
    """`stl enviar acta`: each member who receives it (titulares, suplentes, enlaces and the Facilitador in
    office) one message with the signed record, named as the profile names it, the very archived bytes;
    `stl enviar convocatoria`: the signed oficio to each person convened; `stl enviar firma`: the version to sign,
    to the first signatory only."""
    s, propio = ciclo.sesion, ciclo.propio
    registro = records.load(ciclo.base / "records")
    archivo = ciclo.base / "archivo" / s

    def recibidos(asunto: str) -> dict[str, list]:
        por_correo: dict[str, list] = {}
        for m in ciclo.correos:
            if m["Subject"].startswith(asunto):
                por_correo.setdefault(m["To"].addresses[0].addr_spec, []).append(m)
        return por_correo

    reciben = {
        p.privado["correo"]
        for p in registro.stl.integrantes
        if p.calidad.value in ("titular", "suplente", "enlace", "facilitador") and "correo" in p.privado
    }
    actas = recibidos(f"{propio.capitalize()} firmada de la ")
    assert set(actas) == reciben and all(len(m) == 1 for m in actas.values())
    for (mensaje,) in actas.values():
        (adjunto,) = mensaje.iter_attachments()
        assert adjunto.get_filename() == f"{propio}-{s}-firmada.pdf"
        assert adjunto.get_content() == (archivo / f"{propio}-{s}.pdf").read_bytes()
    convocados = recibidos("Convocatoria a la ")
    assert convocados and all(len(m) == 1 for m in convocados.values())
    for (mensaje,) in convocados.values():
        adjuntos = {a.get_filename(): a.get_content() for a in mensaje.iter_attachments()}
        assert adjuntos[f"convocatoria-{s}-firmado.pdf"] == (archivo / f"convocatoria-{s}.pdf").read_bytes()
    primero = next(f for f in ciclo.firmantes if f != ciclo.convoca)  # who prepared it signed with it
    primero = registro.stl.integrante(primero).privado["correo"]
    assert set(recibidos("Para su firma: ")) == {primero}


def _texto_de(mensaje) -> str:
    adjuntos = " ".join(a.get_filename() for a in mensaje.iter_attachments())
    return f"{mensaje['Subject']} {mensaje.get_body(('plain',)).get_content()} {adjuntos}"


def test_no_word_of_a_role_or_document_the_profile_does_not_have(ciclo):
    """What the lifecycle says about the session — every command's output, the e-mails with the signed record and
    the oficio, the session's page and its rows of open data — names only the roles and the document the profile
    has (no Facilitador in Jalisco, no «acta» in Zacatecas), as test_ejemplos.py asks of the documents. (The data
    dictionary describes the format every STL shares: all its values.)"""
    s = ciclo.sesion
    textos = {f"stl {paso}": salida for paso, salida in ciclo.salidas.items() if "minuta" not in paso}
    for i, mensaje in enumerate(ciclo.correos):
        if not mensaje["Subject"].startswith("Para su firma: "):  # the signing page's words: see below
            textos[f"correo {i} ({mensaje['Subject']})"] = _texto_de(mensaje)
    pagina = (ciclo.base / "sitio/sesiones" / f"{s}.html").read_text("utf-8")
    textos[f"sesiones/{s}.html"] = re.sub(r"<[^>]+>", " ", pagina)
    for tabla in ("documentos", "acuerdos", "asistencia", "sesiones"):
        with (ciclo.base / "sitio/datos" / f"{tabla}.csv").open(encoding="utf-8", newline="") as handle:
            textos[f"datos/{tabla}.csv"] = " ".join(
                " ".join(f.values()) for f in csv.DictReader(handle) if f["sesion"] == s
            )
    sin_palabras_ajenas(ciclo.perfil, textos)


# Whom the signing page tells each example's members to send the signed file: who conducts the sessions, by role.
RECIBE = {
    "edomex": "al Facilitador del Secretariado Técnico Local",
    "jalisco": "a la Presidenta del Secretariado Técnico Local",
    "zacatecas": "a la Facilitadora del Secretariado Técnico Local",
}


def test_the_signing_page_and_its_email_speak_of_the_profiles_document_and_roles(ciclo):
    """The page where a member signs in the browser and the e-mail that sends them there (issue 30) speak of the
    profile's document («la minuta» in Zacatecas) and send the signed file to whoever conducts the sessions (no
    Facilitador in Jalisco): the published files as they are, and the page in Chromium as a member reads it,
    before and after opening the session's record; its signature lands in that member's field, and the page
    then says whom to send it to."""
    from playwright.sync_api import expect

    el = "la minuta" if ciclo.propio == "minuta" else "el acta"
    sitio = ciclo.base / "sitio/firmar"
    textos = {nombre: (sitio / nombre).read_text("utf-8") for nombre in ("index.html", "firmar.js")}
    correos = [m for m in ciclo.correos if m["Subject"].startswith("Para su firma: ")]
    assert correos
    for i, mensaje in enumerate(correos):
        textos[f"correo de firma {i}"] = _texto_de(mensaje)
        assert f"En «Abra {el}»" in textos[f"correo de firma {i}"]
    bitacora = json.loads((ciclo.base / "firmas" / ciclo.sesion / "bitacora.json").read_text("utf-8"))
    v00 = ciclo.base / "firmas" / ciclo.sesion / bitacora["versiones"][0]["archivo"]
    quien = next(f for f in ciclo.firmantes if f != ciclo.convoca)  # the certification is the convener's
    with chromium() as browser:
        page = browser.new_context(accept_downloads=True).new_page()
        page.goto((sitio / "index.html").as_uri() + f"#firmante={quien}")
        expect(page.locator("html")).to_have_attribute("data-listo", "1")
        textos["la página"] = f"{page.title()} {page.inner_text('body')}"
        assert f"Firmar {el} con su e.firma" in textos["la página"]
        assert f"envíelo {RECIBE[ciclo.perfil.id]}." in textos["la página"]
        page.set_input_files("#pdf", str(v00))
        expect(page.locator("#campo")).to_have_value(f"firma-{quien}")
        expect(page.locator("#documento-info")).to_contain_text(f"{el.split()[1].capitalize()} de ")
        page.check("#medio-p12")
        page.set_input_files("#p12", str(ciclo.base / "records/claves" / f"{quien}.p12"))
        page.fill("#contrasena", "demo")
        with page.expect_download(timeout=60_000):
            page.click("#firmar")
        expect(page.locator("#mensaje")).to_contain_text(f"Envíe ese archivo {RECIBE[ciclo.perfil.id]};")
        textos["la página con el PDF abierto y firmado"] = f"{page.title()} {page.inner_text('body')}"
        assert f"Firmar y descargar {el}" in textos["la página con el PDF abierto y firmado"]
        browser.close()
    sin_palabras_ajenas(ciclo.perfil, textos)


def test_the_oficio_is_signed_only_by_its_convener_and_sent_signed(firmados, copia):
    result = _stl(
        copia,
        "firmar",
        "IV-2020",
        "--documento",
        "convocatoria",
        "--firmante",
        "martinez",
        *_p12(copia, "martinez"),
    )
    assert result.exit_code == 1
    assert "no firma el oficio de convocatoria de IV-2020: no es quien lo firma" in result.output
    salida = _ok(copia, "enviar", "convocatoria", "IV-2020", "--simular")
    assert "va sin firma electrónica" not in salida
    eml = next((copia / "salida/IV-2020/correo").glob("*.eml"))
    mensaje = email.message_from_bytes(eml.read_bytes())
    adjunto = next(p for p in mensaje.walk() if p.get_filename() == "convocatoria-IV-2020-firmado.pdf")
    assert adjunto.get_payload(decode=True) == _actual(firmados, "convocatoria").read_bytes()
    firmado = (
        copia / "salida/IV-2020/convocatoria-IV-2020-firmado.pdf"
    )  # the path printed is what was attached
    assert str(firmado) in salida and firmado.read_bytes() == adjunto.get_payload(decode=True)


def test_an_oficio_prepared_but_unsigned_is_not_sent(firmados, tmp_path):
    shutil.copytree(firmados / "records", tmp_path / "records", ignore=shutil.ignore_patterns("envios.yaml"))
    # Prepared with a certificate of no signatory's: the convener has still to sign it.
    _ok(tmp_path, "preparar-firma", "IV-2020", "--documento", "convocatoria", *_p12(tmp_path, "intruso"))
    result = _stl(tmp_path, "enviar", "convocatoria", "IV-2020", "--simular")
    assert result.exit_code == 1
    assert (
        "el oficio de convocatoria de IV-2020 no tiene todas las firmas: falta la de Rafael Funes Díaz"
        in (result.output)
    )
    assert not (tmp_path / "salida/IV-2020/correo").exists()


@pytest.mark.parametrize("documento", ["convocatoria", "minuta"])
def test_tampering_is_caught_as_for_the_acta(firmados, copia, documento, tmp_path):
    args, carpeta = DOCUMENTOS[documento]
    final = _actual(copia, documento)
    datos = final.read_bytes()
    # 1. A byte of the signed content changed in the current version: verificar fails, archivar refuses.
    alterado = bytearray(datos)
    i = datos.index(b"/Producer")
    alterado[i + 12] ^= 0x01
    final.write_bytes(bytes(alterado))
    result = _stl(copia, "verificar", *args)
    assert result.exit_code == 1 and "SHA-256 cambió" in result.output
    final.write_bytes(datos)
    # 2. The signed file changed after the last signature (an incremental update that adds a page's text).
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    escritor = IncrementalPdfFileWriter(io.BytesIO(datos))
    pagina = escritor.root["/Pages"]["/Kids"][0].get_object()
    contenido = escritor.add_object(
        generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 72 Td (CAMBIADO) Tj ET")
    )
    pagina["/Contents"] = (
        generic.ArrayObject([*pagina["/Contents"], contenido])
        if isinstance(pagina["/Contents"], generic.ArrayObject)
        else generic.ArrayObject([pagina.raw_get("/Contents"), contenido])
    )
    escritor.update_container(pagina)
    salida = io.BytesIO()
    escritor.write(salida)
    cambiado = tmp_path / "cambiado.pdf"
    cambiado.write_bytes(salida.getvalue())
    result = _stl(copia, "verificar", str(cambiado))
    assert result.exit_code == 1, result.output
    # 3. A copy signed on an old version (v00) is not incorporated. (The oficio has one version: its convener
    # signed it by certifying it.)
    if documento == "convocatoria":
        assert len(_bitacora(copia, documento)["versiones"]) == 1
        return
    base = copia / "firmas" / carpeta / _bitacora(copia, documento)["versiones"][0]["archivo"]
    vieja = tmp_path / "vieja.pdf"
    _ok(
        copia,
        "firmar",
        str(base),
        "--firmante",
        "martinez",
        *_p12(copia, "martinez"),
        "--salida-firmada",
        str(vieja),
    )
    antes = sorted(p.name for p in (copia / "firmas" / carpeta).iterdir())
    result = _stl(copia, "incorporar", *args, str(vieja))
    assert result.exit_code == 1 and "no parte de la versión actual" in result.output
    assert sorted(p.name for p in (copia / "firmas" / carpeta).iterdir()) == antes


@pytest.mark.parametrize("documento", ["convocatoria", "minuta"])
def test_an_unregistered_certificate_is_refused(firmados, tmp_path, documento):
    shutil.copytree(firmados / "records", tmp_path / "records")
    args, carpeta = DOCUMENTOS[documento]
    _ok(tmp_path, "preparar-firma", *args, *_p12(tmp_path, "intruso"))  # no signatory's: nobody signed yet
    extra = ["--documento", "convocatoria"] if documento == "convocatoria" else []
    result = _stl(tmp_path, "firmar", args[0], *extra, "--firmante", "funes", *_p12(tmp_path, "intruso"))
    assert result.exit_code == 1 and "no es el registrado para Rafael Funes Díaz" in result.output
    assert sorted(
        p.name for p in (tmp_path / "firmas" / carpeta).iterdir() if p.suffix != "" and p.is_file()
    ) == [
        "bitacora.json",
        f"{documento}-{args[0]}.v00.pdf",
    ]


def test_a_record_edited_after_approval_is_refused_then_corrected_by_a_fe_de_erratas(firmados, copia):
    """The approved text is frozen (aprobaciones.yaml, written when the acta was prepared): an edit of the
    record afterwards is refused naming the section; the correction is a fe de erratas, signed, archived and
    shown on the session page, citing the signed acta's SHA-256."""
    aprobado = (copia / "records/aprobaciones.yaml").read_text("utf-8")
    assert "sesion: IV-2020" in aprobado
    shutil.rmtree(copia / "firmas/IV-2020")  # prepared again from the records
    sesion = copia / "records/sesiones/IV-2020.yaml"
    original = sesion.read_text("utf-8")
    frase = "solicitó exponer este eje al Comisionado del Infoem"
    assert frase in original
    sesion.write_text(original.replace(frase, "pidió exponer este eje al Comisionado del Infoem"), "utf-8")
    result = _stl(copia, "preparar-firma", "IV-2020", *_p12(copia, "funes"))
    assert result.exit_code == 1, result.output
    assert (
        "ya no es el texto aprobado" in result.output and "cambió punto IV del orden del día" in result.output
    )
    assert not (copia / "firmas/IV-2020").exists() or not any((copia / "firmas/IV-2020").iterdir())
    # The record back to the approved text, the correction as a fe de erratas.
    sesion.write_text(
        original
        + "fe_de_erratas:\n"
        + '  - fecha: "2020-12-10"\n'
        + "    motivo: Error de transcripción advertido después de la firma.\n"
        + "    correcciones:\n"
        + "      - seccion: IV\n"
        + f'        dice: "{frase}"\n'
        + '        debe_decir: "pidió exponer este eje al Comisionado del Infoem"\n',
        "utf-8",
    )
    shutil.copytree(firmados / "firmas/IV-2020", copia / "firmas/IV-2020", dirs_exist_ok=True)
    firmada = _actual(firmados, "acta")
    sha_acta = hashlib.sha256(firmada.read_bytes()).hexdigest()
    salida = _ok(copia, "fe-de-erratas", "IV-2020")
    pdf = copia / "salida/IV-2020/fe-de-erratas-1-IV-2020.pdf"
    assert str(pdf) in salida and (copia / "salida/IV-2020/fe-de-erratas-1-IV-2020.docx").is_file()
    texto = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert sha_acta in texto.replace("\n", "") and "Debe decir" in texto and frase in " ".join(texto.split())
    salida = _ok(copia, "preparar-firma", "IV-2020", "--documento", "fe-de-erratas-1", *_p12(copia, "funes"))
    assert "La certificación es la firma de Rafael Funes Díaz" in salida and "Firmaron todos" in salida
    assert "VÁLIDO" in _ok(copia, "verificar", "IV-2020", "--documento", "fe-de-erratas-1")
    shutil.copytree(firmados / "archivo", copia / "archivo")
    salida = _ok(copia, "archivar", "IV-2020")
    assert "fe-de-erratas-1-IV-2020.pdf (firmado" in salida
    _ok(copia, "publicar", "--sitio", str(copia / "sitio"), "--sin-busqueda")
    html = (copia / "sitio/sesiones/IV-2020.html").read_text("utf-8")
    manifiesto = json.loads((copia / "archivo/manifiesto.json").read_text("utf-8"))["documentos"]
    fe = next(e for e in manifiesto if e["clase"] == "fe-de-erratas-1")
    assert "Fe de erratas núm. 1 del acta" in html and fe["sha256"] in html
    acta = next(e for e in manifiesto if e["clase"] == "acta")
    assert acta["version"] == 1 and acta["sha256"] == sha_acta  # the signed acta itself never changes


def test_a_fe_de_erratas_must_quote_what_the_acta_says(firmados, copia):
    sesion = copia / "records/sesiones/IV-2020.yaml"
    sesion.write_text(
        sesion.read_text("utf-8")
        + 'fe_de_erratas:\n  - fecha: "2020-12-10"\n    correcciones:\n      - seccion: III\n'
        + '        dice: "un texto que el acta no dice"\n        debe_decir: "otro"\n',
        "utf-8",
    )
    result = _stl(copia, "fe-de-erratas", "IV-2020")
    assert result.exit_code == 1
    assert (
        "IV-2020.yaml:" in result.output
        and "[fe_de_erratas[0].correcciones[0].dice]" in result.output
        and "no aparece en el punto III" in result.output
    )
    assert not (copia / "salida").exists()


def test_a_fe_de_erratas_must_name_a_section_the_acta_has(firmados, copia):
    """«XX» is no section of the acta, even if the passage is somewhere in it: refused, naming file, line and
    field, and nothing written."""
    sesion = copia / "records/sesiones/IV-2020.yaml"
    texto = sesion.read_text("utf-8")
    linea = len(texto.splitlines()) + 2
    sesion.write_text(
        texto
        + 'fe_de_erratas:\n  - fecha: "2020-12-10"\n    correcciones:\n      - seccion: XX\n'
        + '        dice: "solicitó exponer este eje al Comisionado del Infoem"\n        debe_decir: "otro"\n',
        "utf-8",
    )
    result = _stl(copia, "fe-de-erratas", "IV-2020")
    salida = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert (
        f"IV-2020.yaml:{linea} [fe_de_erratas[0].correcciones[0].seccion]: el acta de IV-2020 no tiene"
        in salida
    )
    assert "la sección «XX»" in salida and "«encabezado» o «firmas»" in salida and "Traceback" not in salida
    assert not (copia / "salida").exists()


def test_the_printed_qr_code_leads_to_the_page_that_verifies_the_file(servidor, firmados, tmp_path):
    """Decode the QR code of the signed acta's first page from the rendered PNG, follow it in Chromium to the
    session page, and check the published SHA-256 by choosing the file in the «verify a file» box."""
    import zxingcpp
    from PIL import Image
    from playwright.sync_api import expect

    _, url = servidor
    manifiesto = json.loads((firmados / "archivo/manifiesto.json").read_text("utf-8"))["documentos"]
    acta = next(e for e in manifiesto if e["clase"] == "acta")
    archivo = firmados / "archivo" / acta["nombre"]
    subprocess.run(
        ["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(archivo), str(tmp_path / "p")], check=True
    )
    imagen = Image.open(next(tmp_path.glob("p*.png")))
    codigos = zxingcpp.read_barcodes(imagen)
    assert len(codigos) == 1 and codigos[0].format == zxingcpp.BarcodeFormat.QRCode
    destino = codigos[0].text
    assert destino == f"{url}/sesiones/IV-2020.html#v-{acta['codigo']}"
    # The same code is printed, as text, on every page.
    texto = subprocess.run(["pdftotext", str(archivo), "-"], capture_output=True, text=True).stdout
    paginas = texto.split("\f")[:-1]
    assert paginas and all(acta["codigo"] in p for p in paginas)
    otro = tmp_path / "otro.pdf"
    otro.write_bytes(archivo.read_bytes() + b"\n% una copia alterada\n")
    peticiones = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda r: peticiones.append(r.url))
        page.goto(destino)
        entrada = page.locator(f"#v-{acta['codigo']}")
        expect(entrada).to_contain_text(acta["sha256"])
        expect(entrada).to_contain_text(acta["codigo"])
        expect(entrada).to_contain_text("todas las firmas son válidas")
        page.set_input_files("#archivo-a-verificar", str(archivo))
        expect(page.locator("#resultado-verificacion")).to_contain_text("Coincide")
        expect(page.locator("#resultado-verificacion")).to_contain_text(acta["sha256"])
        page.set_input_files("#archivo-a-verificar", str(otro))
        expect(page.locator("#resultado-verificacion")).to_contain_text("No coincide")
        browser.close()
    assert peticiones and all(r.startswith(url) for r in peticiones), peticiones  # the file was not uploaded


def test_without_a_site_address_no_qr_code_and_no_code(firmados, tmp_path):
    shutil.copytree(firmados / "records", tmp_path / "records")
    stl_yaml = tmp_path / "records/stl.yaml"
    stl_yaml.write_text(
        "\n".join(x for x in stl_yaml.read_text("utf-8").splitlines() if not x.startswith("  url: ")) + "\n",
        "utf-8",
    )
    salida = _ok(tmp_path, "preparar-firma", "RT-2020-11-24", *_p12(tmp_path, "funes"))
    assert "Código de verificación" not in salida
    pdf = next((tmp_path / "firmas/RT-2020-11-24").glob("*.v00.pdf"))
    subprocess.run(
        ["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")], check=True
    )
    import zxingcpp
    from PIL import Image

    assert zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("p*.png")))) == []


def test_the_verification_code_depends_on_what_the_document_says(firmados, tmp_path):
    """The printed code names one text: the acta of the same session approved with another sentence, or the minuta
    of the same meeting with another intervention, gets another code; the same text, prepared again from its
    records elsewhere, the same code (so the code on paper leads to that text and no other)."""

    def codigo(nombre: str, archivo: str, dice: str, debe_decir: str, *args: str) -> str:
        base = tmp_path / nombre
        shutil.copytree(firmados / "records", base / "records")
        (base / "records/aprobaciones.yaml").unlink()  # records of their own, approved with their own text
        path = base / "records" / archivo
        assert dice in path.read_text("utf-8")
        path.write_text(path.read_text("utf-8").replace(dice, debe_decir), "utf-8")
        salida = _ok(base, "preparar-firma", *args, *_p12(base, "funes"))
        return re.search(r"Código de verificación impreso en cada página: (\S+)", salida)[1]

    frase = "solicitó exponer este eje al Comisionado del Infoem"
    acta, minuta = _bitacora(firmados, "acta")["codigo"], _bitacora(firmados, "minuta")["codigo"]
    assert codigo("igual", "sesiones/IV-2020.yaml", frase, frase, "IV-2020") == acta
    assert codigo("otra-acta", "sesiones/IV-2020.yaml", frase, "pidió exponer este eje", "IV-2020") != acta
    dijo = "coincidió en la propuesta"
    otra = codigo(
        "otra-minuta", "reuniones/RT-2020-11-24.yaml", dijo, "no coincidió en la propuesta", "RT-2020-11-24"
    )
    assert otra != minuta and minuta != acta
