"""Signatures against what real users bring: the SAT's e.firma, other signing programs, forged and altered copies.

Everything here is real: e.firma certificates built as the SAT builds them (tests/pki.py), a copy signed by
poppler's `pdfsig -sign` from an NSS database, one signed by the pyHanko command line (`pyhanko-cli`), and every
verdict of `stl verificar` compared with pdfsig's and with `pyhanko sign validate`'s on the same file.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import test_sign
from click.testing import CliRunner
from test_sign import _como_version, _records, p12, stl

from builders import ROOT
from pipeline import verify
from pipeline.cli import main
from pki import PKI, SAT

preparada, copia = test_sign.preparada, test_sign.copia  # the prepared IV-2020 of test_sign, as fixtures here
PYHANKO = str(Path(sys.executable).with_name("pyhanko"))


def _sat_records(tmp: Path, pki: PKI, sat: SAT) -> Path:
    """The bundled records trusting both the test PKI and the SAT-structured chain; martinez and vargas are to be
    registered with their e.firma, cervantes (a certomancer e.firma) and funes (PKCS#12) already are."""
    root = _records(tmp, pki)
    lines = (root / "certificados.yaml").read_text("utf-8").splitlines()
    quitar = {pki.credenciales["martinez"].sha256, pki.credenciales["vargas"].sha256}
    salida, saltar = [], False
    for line in lines:
        if line.startswith("  - integrante:"):
            saltar = False
        if line.strip().startswith("sha256:") and line.split()[-1] in quitar:
            salida.pop()
            saltar = True
            continue
        if not saltar:
            salida.append(line)
    (root / "certificados.yaml").write_text("\n".join(salida) + "\n", "utf-8")
    stl_yaml = (root / "stl.yaml").read_text("utf-8")
    stl_yaml = stl_yaml.replace(f"raices: [{pki.raiz_pem}]", f"raices: [{pki.raiz_pem}, {sat.raiz_pem}]")
    stl_yaml = stl_yaml.replace(
        f"intermedias: [{pki.intermedia_pem}]", f"intermedias: [{pki.intermedia_pem}, {sat.emisora_pem}]"
    )
    (root / "stl.yaml").write_text(stl_yaml, "utf-8")
    return root


def _efirma(cred) -> tuple[list[str], dict[str, str]]:
    return ["--cer", str(cred.cer), "--key", str(cred.key)], {"STL_CONTRASENA": cred.password}


# The pyHanko command line, as installed, cannot read an e.firma (asn1crypto issue #228: it stops at the
# x500UniqueIdentifier the SAT writes as a string); with the registration of pipeline.certificados it can. For
# files signed with e.firma the comparison runs the same command with that registration made first.
_PYHANKO_CON_REGISTRO = (
    "import sys, pipeline.certificados; from pyhanko.__main__ import launch; sys.argv[0] = 'pyhanko'; "
    "sys.exit(launch())"
)


def _pyhanko(path: Path, *raices: Path, registro: bool = False) -> subprocess.CompletedProcess:
    """`pyhanko sign validate` of every signature, trusting only `raices` (exit code 0 only if all hold)."""
    confianza = [a for r in raices for a in ("--trust", str(r))]
    programa = [sys.executable, "-c", _PYHANKO_CON_REGISTRO] if registro else [PYHANKO]
    return subprocess.run(
        [
            *programa,
            "--verbose",
            "sign",
            "validate",
            "--trust-replace",
            *confianza,
            "--soft-revocation-check",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _pyhanko_valido(path: Path, *raices: Path, registro: bool = False) -> bool:
    return _pyhanko(path, *raices, registro=registro).returncode == 0


def _informe(result) -> dict:
    """The JSON report of `stl verificar --json` (when it fails, the Spanish error follows it on stderr)."""
    return json.JSONDecoder().raw_decode(result.output)[0]


def _stl_valido(root: Path, path: Path) -> bool:
    result = stl(root, "verificar", str(path), "--json")
    return _informe(result)["valido"] if result.output.startswith("{") else False


@pytest.fixture(scope="module")
def firmada_sat(tmp_path_factory, pki, sat):
    """IV-2020 signed by all four: martinez and vargas with SAT-structured e.firma (.cer + .key, RSA 2048 with a
    des-ede3 .key and RSA 4096 with an AES .key), registered through `stl registrar-certificado`; the Facilitador
    by certifying it with his PKCS#12."""
    root = _sat_records(tmp_path_factory.mktemp("sat"), pki, sat)
    registros = {}
    for who in ("martinez", "vargas"):
        registros[who] = stl(root, "registrar-certificado", who, str(sat.credenciales[who].cer))
        assert registros[who].exit_code == 0, registros[who].output
    args, env = p12(pki, "funes")
    assert stl(root, "preparar-firma", "IV-2020", *args, env=env).exit_code == 0
    for who, (args, env) in {
        "martinez": _efirma(sat.credenciales["martinez"]),
        "vargas": _efirma(sat.credenciales["vargas"]),
        "cervantes": _efirma(pki.efirma),
    }.items():
        result = stl(root, "firmar", "IV-2020", "--firmante", who, *args, env=env)
        assert result.exit_code == 0, result.output
    return root, registros


def test_a_sat_efirma_is_registered_with_its_number_and_masked_rfc(firmada_sat, sat):
    _, registros = firmada_sat
    martinez, vargas = registros["martinez"].output, registros["vargas"].output
    assert "Titular: ZULEMA MARTINEZ SANCHEZ" in martinez
    assert "Número de certificado: 30001000000500003416" in martinez
    assert "RFC: MASZ*********" in martinez and "Emisor: A.C. 2 de pruebas(4096)" in martinez
    assert "Vigencia: del 2020-01-01 al 2030-12-31" in martinez
    assert "Número de certificado: 30001000000300023685" in vargas
    assert "RFC: AAA0******** (representante: VAZJ*********)" in vargas
    for who, salida in (("martinez", martinez), ("vargas", vargas)):
        cred = sat.credenciales[who]
        assert cred.rfc not in salida and cred.curp not in salida
    # A persona moral's e.firma registered for an individual member is said, not taken silently.
    assert "Aviso:" not in martinez  # «ZULEMA MARTINEZ SANCHEZ» is Zulema Martínez Sánchez
    salida = " ".join(vargas.split())
    assert "Aviso: este certificado es la e.firma de una persona moral, JAVIER VARGAS ZEMPOALTECATL" in salida
    assert "no es la e.firma personal de Javier Vargas Zempoaltecatl" in salida


def _sellos(pdf: Path) -> dict[str, str]:
    """The text of each signature's stamp, by field (each drawn in its widget's appearance stream)."""
    from pypdf import PdfReader

    sellos = {}
    for pagina in PdfReader(pdf).pages:
        for anotacion in pagina.get("/Annots") or ():
            anotacion = anotacion.get_object()
            apariencia = anotacion.get("/AP")
            if apariencia and anotacion.get("/FT") == "/Sig":
                sellos[str(anotacion.get("/T"))] = " ".join(
                    _texto_de_xobject(apariencia["/N"].get_object()).split()
                )
    return sellos


def test_the_stamp_names_who_signs_as_the_certificate_does(firmada_sat):
    """The holder of the certificate, as it says: a person's in capitals as the SAT writes it; a persona moral's,
    as a company signing through its representative, with the member whose field it is named after it."""
    root, _ = firmada_sat
    sellos = _sellos(root.parent / "firmas/IV-2020/acta-IV-2020.v03.pdf")
    assert sellos["firma-martinez"].startswith(
        "Firmado electrónicamente por: ZULEMA MARTINEZ SANCHEZ Comisionada"
    )
    assert sellos["firma-vargas"].startswith(
        "Firmado electrónicamente por: JAVIER VARGAS ZEMPOALTECATL (persona moral, por conducto de su representante) "
        "Javier Vargas Zempoaltecatl, "
    )
    assert sellos["certificacion"].startswith("Firmado electrónicamente por: RAFAEL FUNES DIAZ Facilitador")


def test_the_sat_efirma_signs_and_verifies_with_its_20_digit_number(firmada_sat, pki, sat):
    root, _ = firmada_sat
    estado = stl(root, "estado", "IV-2020").output
    assert "Firmas: 4 de 4" in estado
    assert "núm. 30001000000500003416" in estado and "núm. 30001000000300023685" in estado
    result = stl(root, "verificar", "IV-2020")
    assert result.exit_code == 0, result.output
    assert "VÁLIDO (contra los registros de IV-2020)" in result.output
    assert "certificado núm. 30001000000500003416 (A.C. 2 de pruebas(4096))" in result.output
    final = root.parent / "firmas/IV-2020/acta-IV-2020.v03.pdf"
    assert verify.pdfsig(str(final)) == [True] * 4
    assert _pyhanko_valido(final, pki.raiz_pem, sat.raiz_pem, registro=True)
    sin_registro = _pyhanko(final, pki.raiz_pem, sat.raiz_pem)  # what a member running pyHanko alone meets
    assert sin_registro.returncode != 0 and "OctetBitString" in sin_registro.stderr


def test_rfc_and_curp_never_reach_the_stamp_the_page_text_nor_the_report(firmada_sat, sat):
    from pypdf import PdfReader

    root, _ = firmada_sat
    final = root.parent / "firmas/IV-2020/acta-IV-2020.v03.pdf"
    texto = subprocess.run(["pdftotext", str(final), "-"], capture_output=True, text=True, check=True).stdout
    sellos = ""
    for pagina in PdfReader(final).pages:  # each stamp is drawn in its widget's appearance stream
        for anotacion in pagina.get("/Annots") or ():
            apariencia = anotacion.get_object().get("/AP")
            if apariencia:
                sellos += _texto_de_xobject(apariencia["/N"].get_object())
    assert "30001000000500003416" in sellos  # the stamps were read: they carry the certificate number
    informe = stl(root, "verificar", "IV-2020", "--json").output
    for cred in sat.credenciales.values():
        for dato in (*cred.rfc.split(" / "), cred.curp):
            assert dato not in texto and dato not in sellos and dato not in informe


def _texto_de_xobject(xobjeto) -> str:
    """The text of a stamp's form XObject, through its fonts' ToUnicode maps (pypdf's own extraction)."""
    from pypdf import PdfWriter

    escritor = PdfWriter()
    pagina = escritor.add_blank_page(600, 200)
    recursos = xobjeto.get("/Resources", {})
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    contenido = DecodedStreamObject()
    contenido.set_data(xobjeto.get_data())
    pagina[NameObject("/Resources")] = DictionaryObject({NameObject(k): v for k, v in recursos.items()})
    pagina[NameObject("/Contents")] = escritor._add_object(contenido)
    texto = pagina.extract_text()
    for nombre in recursos.get("/XObject", {}) or {}:
        texto += _texto_de_xobject(recursos["/XObject"][nombre].get_object())
    return texto


@pytest.mark.parametrize("credencial", ["caducada", "ajena"])
def test_registrar_refuses_what_firmar_would_refuse(tmp_path, pki, credencial):
    root = _records(tmp_path, pki)
    antes = (root / "certificados.yaml").read_bytes()
    cred = getattr(pki, credencial)
    result = stl(root, "registrar-certificado", cred.integrante, str(cred.cer))
    assert result.exit_code == 1
    mensaje = (
        "caducó el 2021-06-30"
        if credencial == "caducada"
        else f"no lleva a las raíces de confianza de {root}"
    )
    assert mensaje in " ".join(result.output.split()) and "Traceback" not in result.output
    assert (root / "certificados.yaml").read_bytes() == antes


# --- a forged acta ------------------------------------------------------------------------------------------------


def test_a_forged_acta_fails_verificar_file_naming_the_certificate_in_the_wrong_field(
    tmp_path, pki, preparada
):
    """Someone registers one person's certificate for another member in a records folder of their own, changes
    the text of the acta, prepares the copy with a certificate of nobody's and signs the four fields with that one
    certificate: checked against the real records,
    `stl verificar copia.pdf` names each field filled by the wrong person and says the content is not the one
    prepared for signature; without records it never says plainly VÁLIDO."""
    falsos = tmp_path / "falsos"
    shutil.copytree(preparada, falsos / "records")
    funes = pki.credenciales["funes"]
    (falsos / "records/certificados.yaml").write_text(
        f"certificados:\n  - integrante: martinez\n    sha256: {funes.sha256}\n", "utf-8"
    )
    # The forger's own records: without the approved text that binds the real acta (aprobaciones.yaml).
    (falsos / "records/aprobaciones.yaml").unlink()
    sesion = falsos / "records/sesiones/IV-2020.yaml"
    texto = sesion.read_text("utf-8")
    cambiado = texto.replace("se retire el quinto punto", "se retire el cuarto punto", 1)
    assert cambiado != texto
    sesion.write_text(cambiado, "utf-8")
    args, env = p12(pki, "luna", pki.ausente)
    preparada_falsa = stl(falsos / "records", "preparar-firma", "IV-2020", *args, env=env)
    assert preparada_falsa.exit_code == 0, preparada_falsa.output
    args, env = p12(pki, "funes")
    copia = falsos / "firmas/IV-2020/acta-IV-2020.v00.pdf"
    for who in ("martinez", "vargas", "cervantes", "funes"):
        destino = copia.with_name(f"falsa-{who}.pdf")
        result = stl(
            falsos / "records",
            "firmar",
            str(copia),
            "--firmante",
            who,
            "--salida-firmada",
            str(destino),
            *args,
            env=env,
        )
        assert result.exit_code == 0, result.output
        copia = destino
    assert verify.pdfsig(str(copia)) == [True] * 5  # cryptographically, every signature holds

    real = stl(preparada, "verificar", str(copia))
    assert real.exit_code == 1
    salida = " ".join(real.output.split())
    assert (
        "la firma en el campo de Zulema Martínez Sánchez la hizo Rafael Funes Díaz: su certificado (núm."
        in salida
    )
    assert "no continúa el acta que se preparó para firma" in salida

    sin_registros = stl(tmp_path / "vacia", "verificar", str(copia), "--raiz", str(pki.raiz_pem))
    assert sin_registros.exit_code == 0, sin_registros.output
    assert ": VÁLIDO" not in sin_registros.output
    assert "QUIÉNES FIRMAN, SIN COMPROBAR" in sin_registros.output
    assert (
        "No se comprobó: sin los registros del STL no se comprobó que quienes firman" in sin_registros.output
    )


# --- metadata changed after the certification ---------------------------------------------------------------------


def _cambiar_metadatos(data: bytes, que: str) -> bytes:
    """An incremental update that changes the title in /Info or in the XMP metadata, nothing else."""
    from pyhanko.pdf_utils.generic import NameObject, StreamObject, pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    escritor = IncrementalPdfFileWriter(io.BytesIO(data))
    if que == "info":
        ref = escritor.trailer.raw_get("/Info")
        ref.get_object()[NameObject("/Title")] = pdf_string("Acta de otra sesión")
        escritor.mark_update(ref)
    else:
        ref = escritor.root.raw_get("/Metadata")
        xmp = ref.get_object().data.replace(
            "Cuarta Sesión Ordinaria".encode(), "Quinta Sesión Ordinaria".encode()
        )
        escritor.update_container(ref.get_object())
        nuevo = StreamObject(dict(ref.get_object()), stream_data=xmp)
        nuevo.pop("/Filter", None)
        nuevo.pop("/Length", None)
        escritor.root[NameObject("/Metadata")] = escritor.add_object(nuevo)
        escritor.update_root()
    salida = io.BytesIO()
    escritor.write(salida)
    return salida.getvalue()


@pytest.mark.parametrize(("que", "nombre"), [("info", "/Info: /Title"), ("xmp", "metadatos XMP")])
def test_a_metadata_change_before_a_signature_is_refused_by_incorporar(copia, pki, tmp_path, que, nombre):
    workspace = copia.parent / "firmas/IV-2020"
    cambiada = tmp_path / "cambiada.pdf"
    cambiada.write_bytes(_cambiar_metadatos((workspace / "acta-IV-2020.v00.pdf").read_bytes(), que))
    args, env = p12(pki, "martinez")
    firmada = tmp_path / "cambiada.firmado-martinez.pdf"
    assert stl(copia, "firmar", str(cambiada), "--firmante", "martinez", *args, env=env).exit_code == 0
    antes = sorted(p.name for p in workspace.iterdir())
    result = stl(copia, "incorporar", "IV-2020", str(firmada))
    assert result.exit_code == 1
    assert (
        f"el documento tiene cambios en los {'metadatos del documento (' + nombre + ')' if que == 'info' else nombre}"
        in result.output
    )
    assert "Traceback" not in result.output and "Error in diff" not in result.output
    assert sorted(p.name for p in workspace.iterdir()) == antes


@pytest.mark.parametrize("que", ["info", "xmp"])
def test_a_metadata_change_after_the_last_signature_is_detected(copia, pki, que):
    args, env = p12(pki, "martinez")
    assert stl(copia, "firmar", "IV-2020", "--firmante", "martinez", *args, env=env).exit_code == 0
    workspace = copia.parent / "firmas/IV-2020"
    _como_version(workspace, _cambiar_metadatos((workspace / "acta-IV-2020.v01.pdf").read_bytes(), que), "x")
    result = stl(copia, "verificar", "IV-2020")
    assert result.exit_code == 1
    assert (
        "después de la firma de Zulema Martínez Sánchez el documento tiene cambios en los metadatos"
        in result.output
    )
    assert "solo datos de validación" not in result.output and "Traceback" not in result.output
    # The real command, in a process of its own (no pytest logging handlers): pyHanko's traceback of the refused
    # change is in the log that --verbose shows, never before the Spanish verdict otherwise.
    programa = str(Path(sys.executable).with_name("stl"))
    carpetas = ["--registros", str(copia), "--firmas", str(copia.parent / "firmas")]
    for verbose in ([], ["--verbose"]):
        proceso = subprocess.run(
            [programa, *verbose, *carpetas, "verificar", "IV-2020"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proceso.returncode == 1
        assert ("Error in diff operation" in proceso.stderr) == bool(verbose), proceso.stderr[-2000:]
        assert "cambios en los metadatos" in proceso.stdout + proceso.stderr


# --- what a citizen's poppler reader shows ----------------------------------------------------------------------------


def _pdfsig_con_raiz(pdf: Path, raices: tuple[Path, ...], carpeta: Path) -> str:
    """pdfsig (what Evince and Okular show) with an NSS database that trusts only `raices`, OCSP on, as a citizen
    who imported the root certificates of stl.yaml has it."""
    db = carpeta / "nss-raiz"
    db.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True, capture_output=True)
    for i, raiz in enumerate(raices):
        subprocess.run(
            ["certutil", "-A", "-d", f"sql:{db}", "-n", f"raiz-{i}", "-t", "CT,C,C", "-a", "-i", str(raiz)],
            check=True,
            capture_output=True,
        )
    proceso = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{db}", str(pdf)], capture_output=True, text=True, timeout=120
    )
    return proceso.stdout


def _acta_de_demostracion(carpeta: Path) -> tuple[Path, Path]:
    """The acta of IV-2020 signed as `make demo` signs it (pipeline.pki_demo: one CA, no TSA): the Facilitador
    prepares it, then whoever is next signs until all have."""
    from pipeline import pki_demo
    from pipeline.bitacora import leer_bitacora

    pki_demo.main([str(carpeta), str(ROOT / "records")])
    registros, firmas = carpeta / "registros", carpeta / "firmas"

    def demo(*args):
        result = CliRunner().invoke(
            main,
            ["--registros", str(registros), "--firmas", str(firmas), *args],
            env={"STL_CONTRASENA": "demo"},
        )
        assert result.exit_code == 0, result.output

    demo("preparar-firma", "IV-2020", "--p12", str(carpeta / "funes.p12"))
    while (siguiente := leer_bitacora(firmas / "IV-2020").siguiente) is not None:
        demo("firmar", "IV-2020", "--firmante", siguiente.id, "--p12", str(carpeta / f"{siguiente.id}.p12"))
    bitacora = leer_bitacora(firmas / "IV-2020")
    return firmas / "IV-2020" / bitacora.actual.archivo, carpeta / "raiz.pem"


@pytest.mark.parametrize("pki_de", ["make-demo", "pki-de-pruebas"])
def test_pdfsig_shows_every_signature_valid_and_every_certificate_trusted(
    pki_de, firmada_sat, pki, sat, tmp_path
):
    """A fully signed acta in poppler's pdfsig, trusting the root: every signature «Signature is Valid» and every
    certificate «Certificate is Trusted». The Facilitador's certification was the one that failed: his certificate
    signed twice (certification, then his field), and poppler 22.12 cannot validate a certificate a second time."""
    if pki_de == "make-demo":
        pdf, raiz = _acta_de_demostracion(tmp_path / "demo")
        raices = (raiz,)
    else:  # SAT-structured e.firma and the test PKI: intermediate CAs in the signatures, timestamps, OCSP, B-LT
        root, _ = firmada_sat
        pdf = root.parent / "firmas/IV-2020/acta-IV-2020.v03.pdf"
        raices = (pki.raiz_pem, sat.raiz_pem)
    salida = _pdfsig_con_raiz(pdf, raices, tmp_path)
    assert salida.count("Signature Validation: Signature is Valid.") == 4, salida
    assert salida.count("Certificate Validation: Certificate is Trusted.") == 4, salida
    assert "Unknown issue" not in salida and "Signature #5" not in salida


# --- copies signed by other programs --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nss(tmp_path_factory, pki):
    """An NSS certificate database holding martinez's PKCS#12, as a member who signs with poppler has."""
    db = tmp_path_factory.mktemp("nss")
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True, capture_output=True)
    cred = pki.credenciales["martinez"]
    subprocess.run(
        ["pk12util", "-i", str(cred.p12), "-d", f"sql:{db}", "-W", cred.password],
        check=True,
        capture_output=True,
    )
    return db


def _pdfsig_firma(nss: Path, entrada: Path, carpeta: Path, *como: str) -> Path:
    """martinez signs `entrada` with poppler's pdfsig from the NSS database (`como`: which field, or a new one)."""
    firmada = carpeta / f"{entrada.stem}.firmado-martinez.pdf"
    comando = ["pdfsig", "-nssdir", f"sql:{nss}", *como, "-nick", "martinez", str(entrada), str(firmada)]
    subprocess.run(comando, check=True, capture_output=True, timeout=120)
    return firmada


def test_a_copy_signed_by_pdfsig_is_refused_saying_what_it_wrote_and_every_verifier_agrees(
    copia, pki, nss, tmp_path
):
    """poppler's pdfsig fills the field with a valid signature, but leaves an empty appearance and an object
    nothing uses (which pyHanko's policy, like ours, does not allow after a certification): one Spanish sentence
    says so and how to sign instead; pdfsig agrees each signature is intact, pyHanko that the file is not valid."""
    workspace = copia.parent / "firmas/IV-2020"
    firmada = _pdfsig_firma(nss, workspace / "acta-IV-2020.v00.pdf", tmp_path, "-sign", "firma-martinez")
    antes = sorted(p.name for p in workspace.iterdir())
    result = stl(copia, "incorporar", "IV-2020", str(firmada))
    salida = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert (
        "un objeto nuevo que nada usa (objeto" in salida
        and "escrito por el programa con que se firmó" in salida
    )
    assert "con «stl firmar», o con la línea de comandos de pyHanko" in salida
    assert "Traceback" not in salida and "PdfStrictReadError" not in salida and "Error in diff" not in salida
    assert sorted(p.name for p in workspace.iterdir()) == antes
    informe = _informe(stl(copia, "verificar", str(firmada), "--json"))
    firmas = {f["campo"]: f for f in informe["firmas"]}
    assert verify.pdfsig(str(firmada)) == [
        firmas["firma-martinez"]["intacta"],
        firmas["certificacion"]["intacta"],
    ]
    assert not informe["valido"] and not _pyhanko_valido(firmada, pki.raiz_pem)
    assert any("no tiene sello visible" in a for a in informe["avisos"])


def test_a_signature_pdfsig_adds_in_a_new_field_is_named_as_such(copia, pki, nss, tmp_path):
    """`pdfsig -add-signature` makes a field of its own («firma-martinez-2»): not «martinez-2 no asistió», but
    that the signature is in a new field and the member signs in theirs."""
    workspace = copia.parent / "firmas/IV-2020"
    nuevo = ("-add-signature", "-new-signature-field-name", "firma-martinez-2")
    firmada = _pdfsig_firma(nss, workspace / "acta-IV-2020.v00.pdf", tmp_path, *nuevo)
    antes = sorted(p.name for p in workspace.iterdir())
    result = stl(copia, "incorporar", "IV-2020", str(firmada))
    salida = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert "trae la firma en un campo nuevo, «firma-martinez-2»" in salida
    assert "Firme otra vez la versión actual (acta-IV-2020.v00.pdf) en el campo de Zulema Martínez" in salida
    assert "«pdfsig -sign firma-martinez»" in salida
    assert "no asistió" not in salida and "Traceback" not in salida
    assert sorted(p.name for p in workspace.iterdir()) == antes


def test_a_copy_signed_by_the_pyhanko_cli_is_incorporated_and_its_pdfa_break_is_said(copia, pki, tmp_path):
    workspace = copia.parent / "firmas/IV-2020"
    cred = pki.credenciales["martinez"]
    firmada = tmp_path / "acta-IV-2020.v00.firmado-martinez.pdf"
    subprocess.run(
        [
            PYHANKO,
            "sign",
            "addsig",
            "--field",
            "firma-martinez",
            "--existing-only",
            "pkcs12",
            "--passfile",
            "/dev/stdin",
            str(workspace / "acta-IV-2020.v00.pdf"),
            str(firmada),
            str(cred.p12),
        ],
        input=cred.password,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = stl(copia, "incorporar", "IV-2020", str(firmada))
    assert result.exit_code == 0, result.output
    salida = " ".join(result.output.split())
    assert "Aviso: el sello de la firma en «firma-martinez» usa la fuente Courier sin incrustar" in salida
    assert "deja de ser PDF/A" in salida and "Traceback" not in salida
    version = workspace / "acta-IV-2020.v01.pdf"
    informe = _informe(stl(copia, "verificar", "IV-2020", "--json"))
    assert any("Courier sin incrustar" in a for a in informe["avisos"])
    assert verify.pdfsig(str(version)) == [True, True]
    assert _pyhanko_valido(version, pki.raiz_pem)
    # The others sign with stl; the archive keeps the acta as signed and its manifest says what broke PDF/A.
    for who, (args, env) in {
        "vargas": p12(pki, "vargas"),
        "cervantes": _efirma(pki.efirma),
    }.items():
        assert stl(copia, "firmar", "IV-2020", "--firmante", who, *args, env=env).exit_code == 0
    archivo = tmp_path / "archivo"
    archivado = stl(copia, "--archivo", str(archivo), "archivar", "IV-2020")
    assert archivado.exit_code == 0, archivado.output
    assert "Aviso (anotado en el manifiesto): el sello de la firma en «firma-martinez»" in archivado.output
    manifiesto = json.loads((archivo / "manifiesto.json").read_text("utf-8"))
    acta = next(e for e in manifiesto["documentos"] if e["clase"] == "acta")
    assert acta["firmado"] and any("Courier sin incrustar" in a for a in acta["avisos"])


def test_stl_verificar_agrees_with_pdfsig_and_pyhanko_on_altered_files(firmada_sat, pki, sat, tmp_path):
    """One byte changed in a signed range: all three verifiers refuse it."""
    root, _ = firmada_sat
    final = root.parent / "firmas/IV-2020/acta-IV-2020.v03.pdf"
    data = bytearray(final.read_bytes())
    posicion = data.index(b"/Type /Page") if b"/Type /Page" in data else len(data) // 3
    data[posicion + 1] ^= 0x01
    alterado = tmp_path / "alterado.pdf"
    alterado.write_bytes(bytes(data))
    assert not _stl_valido(root, alterado)
    assert not all(verify.pdfsig(str(alterado)) or [False])
    assert not _pyhanko_valido(alterado, pki.raiz_pem, sat.raiz_pem, registro=True)
    assert (
        _stl_valido(root, final)
        and all(verify.pdfsig(str(final)))
        and _pyhanko_valido(final, pki.raiz_pem, sat.raiz_pem, registro=True)
    )
