"""The test PKI (tests/pki.py) works end to end with pyHanko: every credential format signs, the TSA stamps,
OCSP and the CRL answer on 127.0.0.1, and the bad certificates fail validation for the right reason."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import subprocess
import urllib.request

import pytest
from asn1crypto import crl, keys, tsp, x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator.registry import SimpleCertificateStore

from pki import MIEMBROS, PKI, Credencial, contexto_validacion, vence

# Straight to 127.0.0.1, whatever proxy the environment names.
_SIN_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _pdf_en_blanco() -> bytes:
    w = PdfFileWriter()
    caja = generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 612, 792)])
    w.insert_page(PageObject(contents=w.add_object(generic.StreamObject(stream_data=b"")), media_box=caja))
    salida = io.BytesIO()
    w.write(salida)
    return salida.getvalue()


def _firmar(signer: signers.Signer, timestamper: HTTPTimeStamper | None = None) -> bytes:
    escritor = IncrementalPdfFileWriter(io.BytesIO(_pdf_en_blanco()))
    meta = signers.PdfSignatureMetadata(field_name="Firma1")
    return signers.sign_pdf(escritor, meta, signer=signer, timestamper=timestamper).getvalue()


def _validar(pdf: bytes, vc):
    firma = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    return validate_pdf_signature(firma, vc)


def _p12(cred: Credencial) -> signers.SimpleSigner:
    return signers.SimpleSigner.load_pkcs12(cred.p12, passphrase=cred.password.encode())


def _cert(cred: Credencial) -> x509.Certificate:
    return load_cert_from_pemder(cred.cer)


def _todas(pki: PKI) -> list[Credencial]:
    return [*pki.credenciales.values(), pki.efirma, pki.revocada, pki.caducada, pki.ajena]


def _estados_ocsp(vc) -> dict[int, str]:
    """serial -> status of every OCSP answer the validation context fetched."""
    estados = {}
    for respuesta in vc.ocsps:
        for simple in respuesta.basic_ocsp_response["tbs_response_data"]["responses"]:
            estados[simple["cert_id"]["serial_number"].native] = simple["cert_status"].name
    return estados


# --- The files -------------------------------------------------------------------------------------------


def test_credenciales_por_integrante(pki):
    assert tuple(pki.credenciales) == MIEMBROS
    assert {c.integrante for c in pki.credenciales.values()} == set(MIEMBROS)
    assert (pki.efirma.integrante, pki.revocada.integrante) == ("cervantes", "vargas")
    assert (pki.caducada.integrante, pki.ajena.integrante) == ("funes", "martinez")
    huellas = [c.sha256 for c in _todas(pki)]
    assert len(set(huellas)) == len(huellas)  # every credential is its own certificate
    for cred in _todas(pki):
        assert cred.p12.parent.is_relative_to(pki.root)
        assert cred.sha256 == hashlib.sha256(cred.cer.read_bytes()).hexdigest()
        llave, cert, cadena = pkcs12.load_key_and_certificates(cred.p12.read_bytes(), cred.password.encode())
        assert llave is not None and cert is not None and cadena
        assert hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest() == cred.sha256


def test_vigencias(pki):
    ahora = dt.datetime.now(dt.UTC)
    for cert in (load_cert_from_pemder(pki.raiz_pem), load_cert_from_pemder(pki.intermedia_pem)):
        assert cert.not_valid_before.year == 2019 and cert.not_valid_after > ahora
    for cred in (*pki.credenciales.values(), pki.efirma, pki.revocada, pki.ajena):
        cert = _cert(cred)
        assert cert.not_valid_before == dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        # Ten years after this run, whatever year it is (never a fixed date that a later run would pass).
        assert abs(cert.not_valid_after - vence(10, ahora)) <= dt.timedelta(days=1)
    assert _cert(pki.caducada).not_valid_after == dt.datetime(2021, 6, 30, 23, 59, 59, tzinfo=dt.UTC)


def test_key_es_pkcs8_pbes2_3des_como_el_sat(pki):
    for cred in _todas(pki):
        info = keys.EncryptedPrivateKeyInfo.load(cred.key.read_bytes())
        alg = info["encryption_algorithm"]
        assert alg["algorithm"].native == "pbes2"
        kdf = alg["parameters"]["key_derivation_func"]
        assert kdf["algorithm"].native == "pbkdf2"
        assert kdf["parameters"]["prf"]["algorithm"].native == "sha1"
        esquema = alg["parameters"]["encryption_scheme"]
        assert esquema["algorithm"].dotted == "1.2.840.113549.3.7"  # des-ede3-cbc
        # pyHanko (through cryptography) decrypts it, and it is the certificate's key.
        llave = load_private_key_from_pemder(cred.key, cred.password.encode())
        modulo = _cert(cred).public_key["public_key"].parsed["modulus"].native
        assert llave["private_key"].parsed["modulus"].native == modulo
    # And OpenSSL reads it too.
    cred = pki.efirma
    r = subprocess.run(
        [
            "openssl",
            "pkey",
            "-inform",
            "DER",
            "-in",
            str(cred.key),
            "-passin",
            f"pass:{cred.password}",
            "-noout",
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr


def test_urls_de_revocacion_locales_y_efirma_sin_ellas(pki):
    assert pki.url_base.startswith("http://127.0.0.1:")
    assert pki.tsa_url.startswith(pki.url_base)
    for cred in (*pki.credenciales.values(), pki.revocada, pki.caducada):
        cert = _cert(cred)
        assert cert.ocsp_urls == [pki.ocsp_url]
        assert [p.url for p in cert.crl_distribution_points] == [pki.crl_url]
    efirma = _cert(pki.efirma)
    extensiones = {e["extn_id"].native for e in efirma["tbs_certificate"]["extensions"]}
    assert "authority_information_access" not in extensiones
    assert "crl_distribution_points" not in extensiones
    assert efirma.ocsp_urls == [] and efirma.crl_distribution_points == []
    assert efirma.subject == _cert(pki.credenciales["cervantes"]).subject


def test_la_crl_lista_solo_la_revocada(pki):
    lista = crl.CertificateList.load(_SIN_PROXY.open(pki.crl_url, timeout=10).read())
    revocados = {r["user_certificate"].native for r in lista["tbs_cert_list"]["revoked_certificates"]}
    assert revocados == {_cert(pki.revocada).serial_number}


# --- Signing with each kind of credential ------------------------------------------------------------------


def test_p12_con_sello_de_tiempo_y_ocsp_good(pki):
    cred = pki.credenciales["martinez"]
    pdf = _firmar(_p12(cred), HTTPTimeStamper(pki.tsa_url))
    vc = contexto_validacion(pki)
    estado = _validar(pdf, vc)
    assert estado.bottom_line and estado.trusted and not estado.revoked, estado.pretty_print_details()
    assert estado.timestamp_validity is not None and estado.timestamp_validity.trusted
    assert hashlib.sha256(estado.signing_cert.dump()).hexdigest() == cred.sha256
    assert _estados_ocsp(vc)[_cert(cred).serial_number] == "good"


def test_cer_y_key_como_la_efirma(pki, tmp_path):
    cred = pki.efirma
    firmante = signers.SimpleSigner(
        signing_cert=load_cert_from_pemder(cred.cer),
        signing_key=load_private_key_from_pemder(cred.key, cred.password.encode()),
        cert_registry=SimpleCertificateStore.from_certs([load_cert_from_pemder(pki.intermedia_pem)]),
    )
    pdf = _firmar(firmante, HTTPTimeStamper(pki.tsa_url))
    # With no OCSP/CRL URL there is nothing to check: "hard-fail" only checks what the certificate declares...
    estado = _validar(pdf, contexto_validacion(pki))
    assert estado.bottom_line and estado.trusted, estado.pretty_print_details()
    # ...while "require" demands revocation info, which an e.firma certificate does not point to.
    estado = _validar(pdf, contexto_validacion(pki, revocation_mode="require"))
    assert not estado.bottom_line and not estado.trusted

    # Poppler sees the signature (the certificate's trust needs an NSS database, not set up here).
    archivo = tmp_path / "efirma.pdf"
    archivo.write_bytes(pdf)
    r = subprocess.run(["pdfsig", str(archivo)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Signature is Valid" in r.stdout
    assert "DANIEL ROSEMBERG CERVANTES PEREZ" in r.stdout


def test_token_pkcs11_softhsm(pki, softhsm):
    cred = pki.credenciales["vargas"]
    with open_pkcs11_session(
        softhsm.lib, token_criteria=TokenCriteria(label=softhsm.label), user_pin=softhsm.pin
    ) as sesion:
        firmante = PKCS11Signer(
            sesion,
            cert_label=softhsm.cert_label,
            key_label=softhsm.key_label,
            other_certs_to_pull=None,
            ca_chain=[load_cert_from_pemder(pki.intermedia_pem)],
        )
        pdf = _firmar(firmante, HTTPTimeStamper(pki.tsa_url))
    vc = contexto_validacion(pki)
    estado = _validar(pdf, vc)
    assert estado.bottom_line and estado.trusted, estado.pretty_print_details()
    assert hashlib.sha256(estado.signing_cert.dump()).hexdigest() == cred.sha256
    assert _estados_ocsp(vc)[_cert(cred).serial_number] == "good"


def test_tsa_rfc3161(pki):
    huella = hashlib.sha256(b"acta IV-2020").digest()
    token = asyncio.run(HTTPTimeStamper(pki.tsa_url).async_timestamp(huella, "sha256"))
    info = tsp.TSTInfo.load(token["content"]["encap_content_info"]["content"].parsed.dump())
    assert info["message_imprint"]["hashed_message"].native == huella
    assert abs(info["gen_time"].native - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    certificados = [c.chosen for c in token["content"]["certificates"]]
    usos = [c.extended_key_usage_value.native for c in certificados if c.extended_key_usage_value]
    assert usos == [["time_stamping"]]
    intermedia = load_cert_from_pemder(pki.intermedia_pem).dump()
    assert intermedia in [c.dump() for c in certificados]  # the TSA embeds its issuer


# --- The bad certificates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cual", "indicacion"),
    [
        ("revocada", AdESIndeterminate.REVOKED_NO_POE),
        ("caducada", AdESIndeterminate.OUT_OF_BOUNDS_NO_POE),
        ("ajena", AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND),
    ],
)
def test_certificados_que_no_valen(pki, cual, indicacion):
    cred: Credencial = getattr(pki, cual)
    pdf = _firmar(_p12(cred), HTTPTimeStamper(pki.tsa_url))
    vc = contexto_validacion(pki)
    estado = _validar(pdf, vc)
    assert estado.intact and estado.valid  # the cryptography is fine: the certificate is not
    assert not estado.bottom_line and not estado.trusted
    assert estado.trust_problem_indic == indicacion
    assert estado.revoked == (cual == "revocada")
    if cual == "revocada":
        assert _estados_ocsp(vc)[_cert(cred).serial_number] == "revoked"
