"""Every document the mechanisms require signed (issue 17): the minuta, the convocatoria oficio and the fe de
erratas go through the same flow as the acta (prepare, sign, incorporate, verify, archive, publish, send), with
the same refusals; the approved acta is frozen; every signed page carries its verification code and QR code.

Real signatures with the demo PKI of `make demo` (generated here, password «demo»); the site served on 127.0.0.1
and read in headless Chromium; the QR code read back from the rendered page with zxing-cpp.
"""

from __future__ import annotations

import datetime as dt
import email
import functools
import hashlib
import io
import json
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import ARGS, CHROMIUM, FIRMAN_IV_2020, ROOT
from pipeline import pki_demo, records
from pipeline.cli import main

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


def _registros(base: Path, url: str) -> None:
    """The bundled records with the demo PKI registered, the acta of IV-2020 approved, the site at `url`."""
    tree = base / "records"
    shutil.copytree(ROOT / "records", tree)
    registro = records.load(tree)
    quienes = [*FIRMAN_IV_2020, "intruso"]
    nombres = [(i, registro.stl.integrante(i).nombre if i != "intruso" else "Persona Ajena") for i in quienes]
    huellas = pki_demo.generar(tree / "claves", nombres, "demo", dt.datetime.now(dt.UTC))
    lines = ["certificados:"] + [f"  - integrante: {i}\n    sha256: {huellas[i]}" for i in FIRMAN_IV_2020]
    (tree / "certificados.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    stl_yaml = (tree / "stl.yaml").read_text("utf-8").replace("https://gobiernoabierto.infoem.example", url)
    (tree / "stl.yaml").write_text(stl_yaml + "firma:\n  raices: [claves/raiz.pem]\n", "utf-8")
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write('aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación de prueba"}\n')


@pytest.fixture(scope="module")
def servidor(tmp_path_factory):
    """An HTTP server on 127.0.0.1 for the site, started first: its address goes in stl.yaml (the QR code)."""
    base = tmp_path_factory.mktemp("firmados")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Silencioso, directory=str(base)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base, f"http://127.0.0.1:{server.server_address[1]}/sitio"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def firmados(servidor):
    """As `make demo`: the oficio, the acta and the minuta prepared by the Facilitador (his certification is his
    signature), signed by whoever else signs each, archived and published. Gives the base folder."""
    base, url = servidor
    _registros(base, url)
    for args, _ in DOCUMENTOS.values():
        _ok(base, "preparar-firma", *args, *_p12(base, "funes"))
    for quien in (q for q in FIRMAN_IV_2020 if q != "funes"):
        for objetivo in ("IV-2020", "RT-2020-11-24"):
            _ok(base, "firmar", objetivo, "--firmante", quien, *_p12(base, quien))
    _ok(base, "archivar", "IV-2020")
    _ok(base, "archivar", "RT-2020-11-24")
    _ok(base, "publicar", "--sitio", str(base / "sitio"), "--sin-busqueda")
    return base


def _bitacora(base: Path, documento: str) -> dict:
    return json.loads((base / "firmas" / DOCUMENTOS[documento][1] / "bitacora.json").read_text("utf-8"))


def _actual(base: Path, documento: str) -> Path:
    return base / "firmas" / DOCUMENTOS[documento][1] / _bitacora(base, documento)["versiones"][-1]["archivo"]


@pytest.fixture
def copia(firmados, tmp_path):
    """A private copy of the signed records and workspaces, for one test to change."""
    for carpeta in ("records", "firmas"):
        shutil.copytree(firmados / carpeta, tmp_path / carpeta)
    return tmp_path


@pytest.mark.parametrize("documento", ["convocatoria", "minuta"])
def test_signed_like_the_acta_verified_archived_and_published(firmados, documento):
    args, _ = DOCUMENTOS[documento]
    salida = _ok(firmados, "verificar", *args)
    assert salida.startswith("Verificación de") and "VÁLIDO" in salida
    esperados = {e["id"] for e in _bitacora(firmados, documento)["esperados"]}
    assert esperados == ({"funes"} if documento == "convocatoria" else set(FIRMAN_IV_2020))
    # pdfsig (poppler) agrees: every signature of the final version is valid.
    pdfsig = subprocess.run(["pdfsig", str(_actual(firmados, documento))], capture_output=True, text=True)
    assert pdfsig.stdout.count("Signature Validation: Signature is Valid.") == len(esperados), pdfsig.stdout
    manifiesto = json.loads((firmados / "archivo/manifiesto.json").read_text("utf-8"))["documentos"]
    entrada = next(e for e in manifiesto if e["clase"] == documento)
    archivado = (firmados / "archivo" / entrada["nombre"]).read_bytes()
    assert entrada["firmado"] and archivado == _actual(firmados, documento).read_bytes()
    assert len(entrada["firmas"]) == len(esperados) and all(f["valida"] for f in entrada["firmas"])
    pagina = "sesiones/IV-2020.html" if documento == "convocatoria" else "reuniones/RT-2020-11-24.html"
    html = (firmados / "sitio" / pagina).read_text("utf-8")
    assert entrada["sha256"] in html and f'id="v-{entrada["codigo"]}"' in html


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
    for carpeta in ("records",):
        shutil.copytree(firmados / carpeta, tmp_path / carpeta)
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
    from playwright.sync_api import expect, sync_playwright

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
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
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


def test_a_profile_whose_session_record_is_a_minuta_signs_it_as_such(tmp_path):
    """Zacatecas (001 Art. 7.5): the session leaves a minuta, approved and signed the same day; it is prepared,
    signed and archived under that name, with the same flow as an acta."""
    from pipeline import rules

    tree = tmp_path / "records"
    shutil.copytree(ROOT / "records-ejemplos/zacatecas", tree)
    registro = records.load(tree)
    firmantes = [p.id for p in rules.dictaminar(registro, "I-2021").firmantes]
    nombres = [(i, registro.stl.integrante(i).nombre) for i in firmantes]
    huellas = pki_demo.generar(tree / "claves", nombres, "demo", dt.datetime.now(dt.UTC))
    lines = ["certificados:"] + [f"  - integrante: {i}\n    sha256: {h}" for i, h in huellas.items()]
    (tree / "certificados.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    with (tree / "stl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("firma:\n  raices: [claves/raiz.pem]\n")
    salida = _ok(tmp_path, "preparar-firma", "I-2021", *_p12(tmp_path, firmantes[0]))
    assert "minuta-I-2021.v00.pdf" in salida
    for quien in firmantes[1:]:  # the first prepared it: that certification is their signature
        _ok(tmp_path, "firmar", "I-2021", "--firmante", quien, *_p12(tmp_path, quien))
    assert "VÁLIDO" in _ok(tmp_path, "verificar", "I-2021")
    assert _ok(tmp_path, "estado", "I-2021").startswith("Minuta de I-2021")
    salida = _ok(tmp_path, "archivar", "I-2021")  # its oficio, never prepared for signature, goes unsigned
    assert "I-2021/minuta-I-2021.pdf (firmado" in salida
