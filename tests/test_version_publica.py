"""The versión pública (issue 19; LGTAIP art. 111): what the site publishes of a signed document by default.

Two members sign with an e.firma built as the SAT builds it (RFC in x500UniqueIdentifier, CURP in serialNumber),
two with the demo PKI. Under `sitio.documentos_firmados: version_publica` (the default) no certificate, RFC or
CURP of a signer reaches any file of the site, looked for in the raw bytes and inside every object of every PDF
(streams decompressed), as text and as UTF-16; the signed originals, which do carry them (the control), stay in
the archive, their SHA-256 on the session page with how to request them. With «publicar», the signed PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import ROOT
from pipeline import pki_demo
from pipeline.cli import main

DEMO = ("cervantes", "funes")  # demo PKCS#12 («demo»); martinez and vargas sign with their SAT e.firma


def _stl(base: Path, *args: str, contrasena: str = "demo"):
    carpetas = [
        "--registros",
        f"{base}/records",
        "--firmas",
        f"{base}/firmas",
        "--archivo",
        f"{base}/archivo",
    ]
    return CliRunner().invoke(main, [*carpetas, *args], env={"STL_CONTRASENA": contrasena})


def _ok(base: Path, *args: str, contrasena: str = "demo") -> str:
    result = _stl(base, *args, contrasena=contrasena)
    assert result.exit_code == 0, result.output
    return result.output


def _credencial(base: Path, sat, quien: str) -> tuple[list[str], str]:
    if quien in DEMO:
        return ["--p12", str(base / "records/claves" / f"{quien}.p12")], "demo"
    cred = sat.credenciales[quien]
    return ["--cer", str(cred.cer), "--key", str(cred.key)], cred.password


def _firmado(base: Path, sat, politica: str | None = None) -> None:
    """The acta of IV-2020, the minuta of RT-2020-11-24 and the oficio signed, archived and published."""
    tree = base / "records"
    shutil.copytree(ROOT / "records", tree)
    nombres = [
        (i, n) for i, n in (("cervantes", "Daniel Rosemberg Cervantes Pérez"), ("funes", "Rafael Funes Díaz"))
    ]
    huellas = pki_demo.generar(tree / "claves", nombres, "demo", dt.datetime.now(dt.UTC))
    huellas |= {q: sat.credenciales[q].sha256 for q in ("martinez", "vargas")}
    lines = ["certificados:"] + [f"  - integrante: {i}\n    sha256: {h}" for i, h in huellas.items()]
    (tree / "certificados.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    sitio = f"  documentos_firmados: {politica}\n" if politica else ""
    stl_yaml = (tree / "stl.yaml").read_text("utf-8").replace("sitio:\n", "sitio:\n" + sitio, 1)
    stl_yaml += f"firma:\n  raices: [claves/raiz.pem, {sat.raiz_pem}]\n  intermedias: [{sat.emisora_pem}]\n"
    (tree / "stl.yaml").write_text(stl_yaml, "utf-8")
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write('aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación de prueba"}\n')
    facilitador, _ = _credencial(base, sat, "funes")
    for objetivo in (["IV-2020"], ["RT-2020-11-24"], ["IV-2020", "--documento", "convocatoria"]):
        _ok(base, "preparar-firma", *objetivo, *facilitador)  # his certification is his signature
    for quien in ("martinez", "vargas", "cervantes"):
        medio, contrasena = _credencial(base, sat, quien)
        for objetivo in ("IV-2020", "RT-2020-11-24"):
            _ok(base, "firmar", objetivo, "--firmante", quien, *medio, contrasena=contrasena)
    _ok(base, "archivar", "IV-2020")
    _ok(base, "archivar", "RT-2020-11-24")
    _ok(base, "publicar", "--sitio", str(base / "sitio"), "--sin-busqueda")


@pytest.fixture(scope="module")
def publicado(tmp_path_factory, sat):
    base = tmp_path_factory.mktemp("version-publica")
    _firmado(base, sat)
    return base


def _secretos(base: Path, sat) -> dict[str, bytes]:
    """What must not be published: each signer's certificate (DER), RFC and CURP (each part of a legal entity's
    «RFC / RFC del representante»)."""
    secretos = {}
    for quien in ("martinez", "vargas"):
        cred = sat.credenciales[quien]
        secretos[f"certificado de {quien}"] = cred.cer.read_bytes()
        for dato in (cred.rfc, cred.curp):
            for parte in re.split(r"\s*/\s*", dato):
                if parte:
                    secretos[f"{parte} ({quien})"] = parte.encode()
    for quien in DEMO:
        secretos[f"certificado de {quien}"] = (base / "records/claves" / f"{quien}.cer").read_bytes()
    return secretos


def _contenidos(path: Path) -> list[bytes]:
    """The bytes of a file and, for a PDF, every object of it: strings and decompressed streams."""
    datos = path.read_bytes()
    partes = [datos]
    if datos.startswith(b"%PDF"):
        from pypdf import PdfReader
        from pypdf.generic import StreamObject

        lector = PdfReader(io.BytesIO(datos))
        numeros = {n for generacion in lector.xref.values() for n in generacion} | set(lector.xref_objStm)
        for numero in sorted(numeros):
            objeto = lector.get_object(numero)
            partes.append(repr(objeto).encode("utf-8", "replace"))
            partes += _cadenas(objeto)
            if isinstance(objeto, StreamObject):
                partes.append(objeto.get_data())
    return partes


def _cadenas(objeto) -> list[bytes]:
    """Every string inside an object, as bytes (a signature's /Contents: the CMS with its certificates)."""
    from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, TextStringObject

    if isinstance(objeto, ByteStringObject):
        return [bytes(objeto)]
    if isinstance(objeto, TextStringObject):
        return [objeto.original_bytes, objeto.encode("utf-8")]
    if isinstance(objeto, DictionaryObject):
        return [b for v in objeto.values() for b in _cadenas(v)]
    if isinstance(objeto, ArrayObject):
        return [b for v in objeto for b in _cadenas(v)]
    return []


def _encontrados(carpeta: Path, secretos: dict[str, bytes]) -> list[str]:
    hallados = []
    for path in sorted(p for p in carpeta.rglob("*") if p.is_file()):
        for parte in _contenidos(path):
            for nombre, secreto in secretos.items():
                variantes = [secreto]
                if len(secreto) < 40:  # a text: as UTF-16 too (PDF strings, XMP)
                    variantes += [secreto.decode().encode("utf-16-be"), secreto.decode().encode("utf-16-le")]
                else:  # a certificate: also in hexadecimal, as a PDF writes a signature's /Contents
                    variantes += [secreto.hex().encode(), secreto.hex().upper().encode()]
                if any(v in parte for v in variantes):
                    hallados.append(f"{nombre} en {path.relative_to(carpeta)}")
    return sorted(set(hallados))


def test_no_certificate_rfc_or_curp_of_a_signer_reaches_the_site(publicado, sat):
    sitio = (publicado / "sitio").resolve()
    secretos = _secretos(publicado, sat)
    assert _encontrados(sitio, secretos) == []
    # The control: the signed originals in the archive do carry them (the scan can find what it looks for).
    originales = _encontrados(publicado / "archivo", secretos)
    for quien in ("martinez", "vargas"):
        assert f"certificado de {quien} en IV-2020/acta-IV-2020.pdf" in originales
        assert (
            f"{sat.credenciales[quien].curp.strip(' /')} ({quien}) en IV-2020/acta-IV-2020.pdf" in originales
        )
    publicados = sorted(p.name for p in (sitio / "documentos").rglob("*.pdf"))
    assert publicados == [
        "acta-IV-2020.version-publica.pdf",
        "convocatoria-IV-2020.version-publica.pdf",
        "minuta-RT-2020-11-24.version-publica.pdf",
        "orden-IV-2020.pdf",  # never signed: as it is
    ]


def test_the_version_publica_says_what_it_is_and_who_signed(publicado, sat):
    from pypdf import PdfReader

    manifiesto = json.loads((publicado / "archivo/manifiesto.json").read_text("utf-8"))["documentos"]
    acta = next(e for e in manifiesto if e["clase"] == "acta")
    publica = publicado / "archivo" / acta["version_publica"]
    texto = subprocess.run(["pdftotext", str(publica), "-"], capture_output=True, text=True).stdout
    paginas = texto.split("\f")[:-1]
    assert all("VERSIÓN PÚBLICA" in p for p in paginas)
    constancia = " ".join(paginas[-1].split())
    assert "Constancia de firmas electrónicas" in constancia and acta["sha256"] in constancia.replace(" ", "")
    for _quien, numero in (
        ("martinez", sat.credenciales["martinez"].numero),
        ("vargas", sat.credenciales["vargas"].numero),
    ):
        assert numero in constancia
    assert constancia.count("válida") >= 4 and "Zulema Martínez Sánchez" in constancia
    lector = PdfReader(publica)
    assert "/AcroForm" not in lector.trailer["/Root"] and b"/ByteRange" not in publica.read_bytes()
    fuentes = subprocess.run(["pdffonts", str(publica)], capture_output=True, text=True).stdout.splitlines()[
        2:
    ]
    assert fuentes and all(linea.split()[-5] == "yes" for linea in fuentes)  # every font embedded
    # The session page: the versión pública's SHA-256 and the original's, with how to request it.
    html = (publicado / "sitio/sesiones/IV-2020.html").read_text("utf-8")
    assert acta["version_publica_sha256"] in html and acta["sha256"] in html
    assert "solicitud de acceso a la información" in html
    feed = (publicado / "sitio/feed.xml").read_text("utf-8")
    assert "acta-IV-2020.version-publica.pdf" in feed and "/documentos/IV-2020/acta-IV-2020.pdf" not in feed
    datos = json.loads((publicado / "sitio/datos/documentos.json").read_text("utf-8"))
    fila = next(d for d in datos if d["documento"] == "acta")
    assert fila["version_publica"] is True and fila["sha256_original"] == acta["sha256"]


def test_with_publicar_the_site_publishes_the_signed_pdf(tmp_path, sat):
    _firmado(tmp_path, sat, "publicar")
    manifiesto = json.loads((tmp_path / "archivo/manifiesto.json").read_text("utf-8"))["documentos"]
    acta = next(e for e in manifiesto if e["clase"] == "acta")
    publicado = (tmp_path / "sitio").resolve() / "documentos" / acta["nombre"]
    assert publicado.read_bytes() == (tmp_path / "archivo" / acta["nombre"]).read_bytes()
    assert not (tmp_path / "sitio/documentos" / acta["version_publica"]).exists()


def _verificar(*args: str, archivo: Path, registros: Path):
    """`stl verificar` as a citizen runs it: no records, an archive folder that may not exist."""
    return CliRunner().invoke(
        main, ["--registros", str(registros), "--archivo", str(archivo), "verificar", *args]
    )


def test_stl_verificar_recognises_a_published_version_publica(publicado, tmp_path):
    """The versión pública downloaded from the site is not «NO VÁLIDO»: `stl verificar` says what it is, that its
    SHA-256 is the one published (manifest, or the site's open data, by folder or by address), which signatures
    its constancia reports and how to request the original; exit 0. Altered, or unchecked, exit ≠ 0."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    manifiesto = json.loads((publicado / "archivo/manifiesto.json").read_text("utf-8"))["documentos"]
    publicas = [e for e in manifiesto if e["version_publica"]]
    assert {e["clase"] for e in publicas} == {"acta", "minuta", "convocatoria"}
    sitio = (publicado / "sitio").resolve()
    vacio = tmp_path / "sin-registros"
    for e in publicas:
        descargada = sitio / "documentos" / e["version_publica"]
        result = _verificar(str(descargada), archivo=publicado / "archivo", registros=vacio)
        assert result.exit_code == 0, result.output
        salida = " ".join(result.output.split())
        assert "VERSIÓN PÚBLICA ÍNTEGRA" in salida and "NO VÁLIDO" not in salida, salida
        assert e["version_publica_sha256"] in salida and e["sha256"] in salida
        assert "se conserva en el archivo" in salida and "solicitud de acceso a la información" in salida
        for firma in e["firmas"]:
            assert firma["nombre"] in salida
    acta = next(e for e in publicas if e["clase"] == "acta")
    descargada = sitio / "documentos" / acta["version_publica"]
    sin_archivo = tmp_path / "sin-archivo"
    por_carpeta = _verificar(str(descargada), "--sitio", str(sitio), archivo=sin_archivo, registros=vacio)
    assert por_carpeta.exit_code == 0, por_carpeta.output
    assert "datos/documentos.json" in por_carpeta.output and "Zulema Martínez Sánchez" in por_carpeta.output

    class Silencioso(SimpleHTTPRequestHandler):
        def log_message(self, format, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Silencioso, directory=str(sitio)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        por_red = _verificar(str(descargada), "--sitio", url, "--json", archivo=sin_archivo, registros=vacio)
    finally:
        server.shutdown()
        server.server_close()
    assert por_red.exit_code == 0, por_red.output
    informe = json.loads(por_red.output)
    assert informe["valido"] is True and informe["version_publica"] is True
    assert informe["sha256"] == acta["version_publica_sha256"] and len(informe["firmas"]) == 4
    # One byte changed inside a content stream: still a versión pública by what it says, not the published one.
    datos = bytearray(descargada.read_bytes())
    donde = datos.index(b"stream\n", len(datos) // 3) + 40
    datos[donde] ^= 0x01
    alterada = tmp_path / "alterada.pdf"
    alterada.write_bytes(bytes(datos))
    result = _verificar(str(alterada), archivo=publicado / "archivo", registros=vacio)
    assert result.exit_code != 0
    assert (
        "NO ES LA VERSIÓN PÚBLICA PUBLICADA" in result.output
        and acta["version_publica_sha256"] in result.output
    )
    # Nothing to check it against: it says what it claims to be and how to check it, and does not pass.
    result = _verificar(str(descargada), archivo=sin_archivo, registros=vacio)
    assert (
        result.exit_code != 0
        and "VERSIÓN PÚBLICA SIN COMPROBAR" in result.output
        and "--sitio" in result.output
    )
