"""A TEST PKI for the signature stage, generated at test time.

Everything private is made here, into a pytest temp dir, and dies with it: RSA-2048 keys (one per entry of
`keysets.stl.keys` in `tests/data/pki/certomancer.yml`), certificates issued by Certomancer from that
configuration, and the members' credentials in the formats a signer meets in Mexico: a PKCS#12, and the
SAT e.firma pair (a DER certificate `.cer` and a DER PKCS#8 key `.key` encrypted with PBES2 +
des-ede3-cbc and PBKDF2-HMAC-SHA1).

The OCSP responder, the CRLs, the CA-issuer certificates and the RFC 3161 time-stamping authority are
served by Certomancer's animator (its aiohttp variant: aiohttp comes with pyHanko, while the WSGI variant
needs Werkzeug, which the project does not install) from a daemon thread, on 127.0.0.1 and a port the
operating system picks. The socket is bound before any certificate is issued, so the URLs inside the
certificates name the real port.

`SoftHSM2` holds one member's key and certificate behind PKCS#11 (`crear_token`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import os
import secrets
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from aiohttp import web
from asn1crypto import algos, keys, pem, x509
from certomancer.integrations.aiohttp_animator import build_animator_app
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography import x509 as cx509
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.serialization import pkcs12

CONFIGURACION = Path(__file__).resolve().parent / "data" / "pki" / "certomancer.yml"
ARQUITECTURA = "stl"

MIEMBROS = ("martinez", "vargas", "cervantes", "funes")

SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"

# Cadena (sin el propio certificado) que acompaña a cada certificado en su PKCS#12.
_CADENA_STL = ("intermedia", "raiz")
_CADENA_AJENA = ("ajena",)

# Parámetros del .key "como el del SAT": PBES2, PBKDF2 con HMAC-SHA1 (la PRF por omisión), des-ede3-cbc.
_ITERACIONES_KEY = 2048


@dataclass(frozen=True)
class Credencial:
    integrante: str  # id del integrante, p. ej. "martinez"
    p12: Path  # PKCS#12 con llave + certificado + cadena
    cer: Path  # certificado X.509 DER ("archivo.cer", como la e.firma del SAT)
    key: Path  # PKCS#8 DER cifrada con PBES2 + des-ede3-cbc (PBKDF2-SHA1), como el .key del SAT
    password: str  # del p12 y del key
    sha256: str  # SHA-256 (hex minúsculas) del certificado DER: lo que registran los registros


@dataclass(frozen=True)
class PKI:
    root: Path  # carpeta con todo lo generado
    raiz_pem: Path  # certificado de la AC raíz (ancla de confianza), PEM
    intermedia_pem: Path | None  # certificado de la AC intermedia (emisora de los integrantes), PEM
    tsa_url: str  # TSA RFC 3161 en http://127.0.0.1:PUERTO/...
    credenciales: dict[str, Credencial]  # una por integrante de MIEMBROS, con OCSP (AIA) y CRL DP locales
    efirma: Credencial  # "cervantes", certificado SIN AIA/OCSP ni CRL DP (como la e.firma del SAT)
    revocada: Credencial  # "vargas", certificado que el OCSP y la CRL dan por REVOCADO (desde 2025-06-01)
    caducada: Credencial  # "funes", certificado vencido (not_after 2021-06-30)
    ajena: Credencial  # "martinez", emitido por OTRA AC que no está entre las raíces de confianza
    ausente: Credencial  # "luna", certificado válido de un integrante que no asistió a la sesión que se firma
    url_base: str  # http://127.0.0.1:PUERTO (todo lo que sirve Certomancer cuelga de aquí)
    ocsp_url: str  # respondedor OCSP de la AC intermedia
    crl_url: str  # CRL vigente de la AC intermedia (DER)


@dataclass(frozen=True)
class Token:
    lib: str  # ruta del módulo PKCS#11 (SoftHSM2)
    label: str  # etiqueta del token
    pin: str  # PIN de usuario
    key_label: str  # CKA_LABEL de la llave privada
    cert_label: str  # CKA_LABEL del certificado (mismo CKA_ID que la llave)


# --- Servidor ---------------------------------------------------------------------------------------------


class ServidorPKI:
    """Certomancer's animator on 127.0.0.1, in a daemon thread with its own event loop.

    The socket is bound in the constructor (so `url` is known before anything is issued) and served
    from `iniciar`; `detener` stops the loop, cleans up aiohttp and closes the socket.
    """

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hilo: threading.Thread | None = None

    def iniciar(self, config: CertomancerConfig) -> None:
        _segundos_enteros()
        app = build_animator_app(config.pki_archs, with_web_ui=False)
        listo = threading.Event()
        fallo: list[BaseException] = []

        def correr() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            runner = web.AppRunner(app, access_log=None)
            try:
                loop.run_until_complete(runner.setup())
                loop.run_until_complete(web.SockSite(runner, self._sock).start())
            except BaseException as e:  # pragma: no cover - se informa al hilo principal
                fallo.append(e)
                listo.set()
                loop.close()
                return
            self._loop = loop
            listo.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(runner.cleanup())
                loop.close()

        self._hilo = threading.Thread(target=correr, name="pki-certomancer", daemon=True)
        self._hilo.start()
        if not listo.wait(10):
            raise RuntimeError("el servidor de la PKI de pruebas no arrancó en 10 s")
        if fallo:
            raise RuntimeError("el servidor de la PKI de pruebas no arrancó") from fallo[0]

    def detener(self) -> None:
        if self._loop is not None and self._hilo is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._hilo.join(10)
        self._sock.close()


_DESFASE = [dt.timedelta(0)]


def _segundos_enteros() -> None:
    """The animator's clock in whole seconds. Certomancer writes the OCSP responses' GeneralizedTime with
    microseconds, which RFC 5280 (4.1.2.5.2, the profile RFC 6960 uses) forbids and NSS refuses as a malformed
    response: a real responder's answer is in whole seconds, and poppler's pdfsig must read it as a citizen's
    reader would. The clock can be moved forward (`adelantado`)."""
    from certomancer.integrations import aiohttp_animator

    aiohttp_animator._now = lambda: (dt.datetime.now(tz=dt.UTC) + _DESFASE[0]).replace(microsecond=0)


@contextlib.contextmanager
def adelantado(hasta: dt.datetime) -> Iterator[None]:
    """The PKI's services (OCSP, CRLs, TSA) at the moment `hasta`, years later, as a certification authority still
    publishing then answers: fresh revocation data for that day. Only while the `with` lasts."""
    _DESFASE[0] = hasta - dt.datetime.now(tz=dt.UTC)
    try:
        yield
    finally:
        _DESFASE[0] = dt.timedelta(0)


# --- Generación -------------------------------------------------------------------------------------------


def pkcs8_cifrada_3des(llave_der: bytes, password: str, iteraciones: int = _ITERACIONES_KEY) -> bytes:
    """DER `EncryptedPrivateKeyInfo` of an unencrypted PKCS#8 `llave_der`, PBES2 + des-ede3-cbc + PBKDF2-SHA1.

    That is what `openssl pkcs8 -topk8 -v2 des3 -v2prf hmacWithSHA1 -outform DER` writes, and what the
    SAT's `.key` files are. cryptography can read it but only writes AES, so it is built here.
    """
    sal = secrets.token_bytes(8)
    iv = secrets.token_bytes(8)
    clave = PBKDF2HMAC(algorithm=hashes.SHA1(), length=24, salt=sal, iterations=iteraciones).derive(
        password.encode("utf-8")
    )
    relleno = padding.PKCS7(64).padder()
    claro = relleno.update(llave_der) + relleno.finalize()
    cifrador = Cipher(TripleDES(clave), modes.CBC(iv)).encryptor()
    cifrado = cifrador.update(claro) + cifrador.finalize()
    return keys.EncryptedPrivateKeyInfo(
        {
            "encryption_algorithm": {
                "algorithm": "pbes2",
                "parameters": {
                    "key_derivation_func": {
                        "algorithm": "pbkdf2",
                        "parameters": {
                            "salt": algos.Pbkdf2Salt("specified", sal),
                            "iteration_count": iteraciones,
                        },
                    },
                    "encryption_scheme": {"algorithm": "tripledes_3key", "parameters": iv},
                },
            },
            "encrypted_data": cifrado,
        }
    ).dump()


def _generar_llaves(config: dict, carpeta: Path) -> dict[str, rsa.RSAPrivateKey]:
    """One RSA-2048 key per entry of the key set, written (unencrypted PKCS#8 PEM) where Certomancer reads it."""
    conjunto = config["keysets"][ARQUITECTURA]
    destino = carpeta / conjunto.get("path-prefix", "")
    destino.mkdir(parents=True, exist_ok=True)
    llaves = {}
    for etiqueta, entrada in conjunto["keys"].items():
        llave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ruta = destino / entrada["path"]
        ruta.write_bytes(
            llave.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        ruta.chmod(0o600)
        llaves[etiqueta] = llave
    return llaves


def _archivos(carpeta: Path, base: str, llave, cert, cadena: list, password: str, cifrado: str):
    """A member's credential files: `.p12` (key, certificate, chain), `.cer` (DER) and `.key` (encrypted PKCS#8
    DER: PBES2 with des-ede3-cbc and PBKDF2-SHA1 as the SAT's, or with AES-256-CBC as cryptography writes)."""
    p12 = carpeta / f"{base}.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            name=base.encode(),
            key=llave,
            cert=cert,
            cas=cadena,
            encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
        )
    )
    cer = carpeta / f"{base}.cer"
    cer.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    key = carpeta / f"{base}.key"
    if cifrado == "3des":
        llave_der = llave.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        key.write_bytes(pkcs8_cifrada_3des(llave_der, password))
    else:
        key.write_bytes(
            llave.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(password.encode()),
            )
        )
    return p12, cer, key


def _credencial(
    arq,
    etiqueta: str,
    integrante: str,
    cadena: tuple[str, ...],
    llave: rsa.RSAPrivateKey,
    carpeta: Path,
) -> Credencial:
    cert: x509.Certificate = arq.get_cert(CertLabel(etiqueta))
    der = cert.dump()
    password = f"clave-{etiqueta}"
    ccert = cx509.load_der_x509_certificate(der)
    ccadena = [cx509.load_der_x509_certificate(arq.get_cert(CertLabel(c)).dump()) for c in cadena]

    p12, cer, key = _archivos(carpeta, etiqueta, llave, ccert, ccadena, password, "3des")
    return Credencial(
        integrante=integrante,
        p12=p12,
        cer=cer,
        key=key,
        password=password,
        sha256=hashlib.sha256(der).hexdigest(),
    )


def generar_pki(carpeta: Path, url_base: str) -> tuple[PKI, CertomancerConfig]:
    """Keys, certificates and credentials under `carpeta`, with every service URL under `url_base`."""
    config = yaml.safe_load(CONFIGURACION.read_text(encoding="utf-8"))
    llaves = _generar_llaves(config, carpeta)
    cm = CertomancerConfig(config, key_search_dir=str(carpeta), external_url_prefix=url_base)
    arq = cm.get_pki_arch(ArchLabel(ARQUITECTURA))

    def pem_de(etiqueta: str) -> Path:
        ruta = carpeta / f"{etiqueta}.pem"
        ruta.write_bytes(pem.armor("CERTIFICATE", arq.get_cert(CertLabel(etiqueta)).dump()))
        return ruta

    raiz_pem = pem_de("raiz")
    intermedia_pem = pem_de("intermedia")
    pem_de("ajena")
    pem_de("tsa")
    pem_de("ocsp")

    creds = carpeta / "credenciales"
    creds.mkdir()

    def cred(etiqueta: str, integrante: str, cadena: tuple[str, ...] = _CADENA_STL) -> Credencial:
        return _credencial(arq, etiqueta, integrante, cadena, llaves[etiqueta], creds)

    servicios = arq.service_registry
    pki = PKI(
        root=carpeta,
        raiz_pem=raiz_pem,
        intermedia_pem=intermedia_pem,
        tsa_url=servicios.get_tsa_info("tsa").url,
        credenciales={m: cred(m, m) for m in MIEMBROS},
        efirma=cred("cervantes-efirma", "cervantes"),
        revocada=cred("vargas-revocada", "vargas"),
        caducada=cred("funes-caducada", "funes"),
        ajena=cred("martinez-ajena", "martinez", _CADENA_AJENA),
        ausente=cred("luna", "luna"),
        url_base=url_base,
        ocsp_url=servicios.get_ocsp_info("intermedia").url,
        crl_url=servicios.get_crl_repo_info("intermedia").latest_external_url,
    )
    return pki, cm


@contextlib.contextmanager
def pki_en_servicio(carpeta: Path) -> Iterator[PKI]:
    """Generate the PKI under `carpeta` and serve it on 127.0.0.1 for the duration of the `with`."""
    servidor = ServidorPKI()
    try:
        pki, cm = generar_pki(carpeta, servidor.url)
        servidor.iniciar(cm)
        yield pki
    finally:
        servidor.detener()


def contexto_validacion(pki: PKI, **kwargs):
    """A pyHanko `ValidationContext` that trusts only the test root, fetches, and fails hard on revocation."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko_certvalidator import ValidationContext

    otros = [load_cert_from_pemder(pki.intermedia_pem)] if pki.intermedia_pem else []
    kwargs.setdefault("allow_fetching", True)
    kwargs.setdefault("revocation_mode", "hard-fail")
    return ValidationContext(trust_roots=[load_cert_from_pemder(pki.raiz_pem)], other_certs=otros, **kwargs)


# --- SoftHSM2 ---------------------------------------------------------------------------------------------


def _softhsm(*args: str) -> None:
    r = subprocess.run(["softhsm2-util", *args], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"softhsm2-util {args[0]} falló ({r.returncode}): {r.stderr or r.stdout}")


@contextlib.contextmanager
def crear_token(
    credencial: Credencial,
    carpeta: Path,
    *,
    label: str = "actas-stl-pruebas",
    pin: str = "123456",
    so_pin: str = "12345678",
) -> Iterator[Token]:
    """A SoftHSM2 token under `carpeta` holding `credencial`'s key and certificate.

    `SOFTHSM2_CONF` points at a config of our own while the `with` lasts (SoftHSM reads it when the
    library is first initialised in the process, so whoever opens the token must do it inside the `with`),
    and is restored afterwards, when the PKCS#11 library is also unloaded from python-pkcs11's cache.
    """
    import pkcs11
    from pkcs11 import Attribute
    from pkcs11.util.x509 import decode_x509_certificate

    tokens = carpeta / "tokens"
    tokens.mkdir(parents=True)
    conf = carpeta / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n",
        encoding="utf-8",
    )
    antes = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    nombre = credencial.integrante
    key_label, cert_label = f"{nombre}-llave", f"{nombre}-certificado"
    try:
        _softhsm("--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin)

        from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder

        cert = load_cert_from_pemder(credencial.cer)
        ski = cert.key_identifier or hashlib.sha1(cert.public_key.dump()).digest()
        llave = load_private_key_from_pemder(credencial.key, credencial.password.encode())
        # softhsm2-util only imports unencrypted PKCS#8 PEM from a file: it lives just for the import.
        fd, ruta = tempfile.mkstemp(suffix=".pem", dir=carpeta)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(pem.armor("PRIVATE KEY", llave.dump()))
            _softhsm(
                "--import", ruta, "--token", label, "--label", key_label, "--id", ski.hex(), "--pin", pin
            )
        finally:
            os.unlink(ruta)

        lib = pkcs11.lib(SOFTHSM_LIB)
        with lib.get_token(token_label=label).open(rw=True, user_pin=pin) as sesion:
            atributos = decode_x509_certificate(cert.dump())
            atributos.update({Attribute.TOKEN: True, Attribute.LABEL: cert_label, Attribute.ID: ski})
            sesion.create_object(atributos)

        yield Token(lib=SOFTHSM_LIB, label=label, pin=pin, key_label=key_label, cert_label=cert_label)
    finally:
        with contextlib.suppress(Exception):
            pkcs11.unload(SOFTHSM_LIB)
        if antes is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = antes


# --- e.firma del SAT ----------------------------------------------------------------------------------------
#
# Certomancer builds names through asn1crypto, which cannot write what the SAT writes, so these certificates are
# built with cryptography, field by field as in the SAT's published test e.firma (FIEL of AAA010101AAA, issuer
# «A.C. 2 de pruebas(4096)»): `x500UniqueIdentifier` (2.5.4.45) as a string, not the BIT STRING of X.520, in
# the issuer («SAT970701NN3») and in the subject («RFC / RFC del representante»), `serialNumber` « / CURP»,
# the 20-digit certificate number as the ASCII bytes of the serial, no OCSP nor CRL address, and the .key as an
# encrypted PKCS#8 DER (PBES2 with des-ede3-cbc, or AES).

_UID = cx509.ObjectIdentifier("2.5.4.45")
_NOMBRE = cx509.ObjectIdentifier("2.5.4.41")
_NOMBRE_NO_ESTRUCTURADO = cx509.ObjectIdentifier("1.2.840.113549.1.9.2")


@dataclass(frozen=True)
class CredencialSAT(Credencial):
    numero: str  # «número de certificado», 20 dígitos
    rfc: str
    curp: str


@dataclass(frozen=True)
class SAT:
    raiz_pem: Path  # AC raíz de pruebas del SAT (RSA 4096)
    emisora_pem: Path  # «A.C. 2 de pruebas(4096)», la intermedia que emite las e.firma
    credenciales: dict[str, CredencialSAT]  # por integrante


def _nombre_sat(*atributos: tuple) -> cx509.Name:
    from cryptography.x509.name import _ASN1Type

    tipos = {"P": _ASN1Type.PrintableString, "U": _ASN1Type.UTF8String, "I": _ASN1Type.IA5String}
    return cx509.Name(
        [cx509.NameAttribute(oid, valor, tipos[tipo] if tipo else None) for oid, valor, tipo in atributos]
    )


def _emisor_sat(nombre: str, uid_tipo: str) -> cx509.Name:
    from cryptography.x509.oid import NameOID as N

    return _nombre_sat(
        (N.COMMON_NAME, nombre, "U"),
        (N.ORGANIZATION_NAME, "Servicio de Administración Tributaria", "U"),
        (N.ORGANIZATIONAL_UNIT_NAME, "Administración de Seguridad de la Información", "U"),
        (N.EMAIL_ADDRESS, "asisnet@pruebas.sat.gob.mx", "I"),
        (N.STREET_ADDRESS, "Av. Hidalgo 77, Col. Guerrero", "U"),
        (N.POSTAL_CODE, "06300", "U"),
        (N.COUNTRY_NAME, "MX", "P"),
        (N.STATE_OR_PROVINCE_NAME, "Distrito Federal", "U"),
        (N.LOCALITY_NAME, "Coyoacán", "U"),
        (_UID, "SAT970701NN3", uid_tipo),
        (_NOMBRE_NO_ESTRUCTURADO, "Responsable: ACDMA", "P"),
    )


def _certificado_sat(sujeto, emisor, llave_publica, llave_emisora, serie: int, ca: bool, desde, hasta):
    import datetime as dt

    constructor = (
        cx509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(emisor)
        .public_key(llave_publica)
        .serial_number(serie)
        .not_valid_before(dt.datetime.fromisoformat(desde))
        .not_valid_after(dt.datetime.fromisoformat(hasta))
        .add_extension(cx509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(cx509.SubjectKeyIdentifier.from_public_key(llave_publica), critical=False)
        .add_extension(
            cx509.AuthorityKeyIdentifier.from_issuer_public_key(llave_emisora.public_key()), critical=False
        )
    )
    uso = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    if ca:
        uso.update(key_cert_sign=True, crl_sign=True)
    else:
        uso.update(
            digital_signature=True, content_commitment=True, data_encipherment=True, key_agreement=True
        )
        constructor = constructor.add_extension(
            cx509.ExtendedKeyUsage(
                [cx509.oid.ExtendedKeyUsageOID.EMAIL_PROTECTION, cx509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
    constructor = constructor.add_extension(cx509.KeyUsage(**uso), critical=True)
    return constructor.sign(llave_emisora, hashes.SHA256())


def _numero_sat(numero: str) -> int:
    """The SAT's certificate number as a serial: its ASCII digits are the serial's bytes."""
    return int.from_bytes(numero.encode("ascii"), "big")


def generar_sat(carpeta: Path) -> SAT:
    """An SAT-structured test e.firma chain under `carpeta`: a root, the issuing CA and two members.

    martinez: persona física (RFC in x500UniqueIdentifier as PrintableString, CURP in serialNumber), RSA 2048,
    .key with PBES2 + des-ede3-cbc. vargas: as the representative of a persona moral («RFC / RFC-representante»,
    « / CURP», as UTF8String), RSA 4096, .key with PBES2 + AES-256-CBC.
    """
    from cryptography.x509.oid import NameOID as N

    carpeta.mkdir(parents=True, exist_ok=True)
    llave_raiz = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    llave_emisora = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    nombre_raiz = _emisor_sat("AC Raíz de pruebas del SAT", "P")
    nombre_emisora = _emisor_sat("A.C. 2 de pruebas(4096)", "P")
    raiz = _certificado_sat(
        nombre_raiz,
        nombre_raiz,
        llave_raiz.public_key(),
        llave_raiz,
        _numero_sat("00001000000100000001"),
        True,
        "2019-01-01T00:00:00+00:00",
        "2035-12-31T23:59:59+00:00",
    )
    emisora = _certificado_sat(
        nombre_emisora,
        nombre_raiz,
        llave_emisora.public_key(),
        llave_raiz,
        _numero_sat("00001000000300000002"),
        True,
        "2019-01-01T00:00:00+00:00",
        "2034-12-31T23:59:59+00:00",
    )
    raiz_pem = carpeta / "sat-raiz.pem"
    raiz_pem.write_bytes(raiz.public_bytes(serialization.Encoding.PEM))
    emisora_pem = carpeta / "sat-emisora.pem"
    emisora_pem.write_bytes(emisora.public_bytes(serialization.Encoding.PEM))

    miembros = {
        # id: (nombre, RFC en x500UniqueIdentifier, CURP en serialNumber, tipo de cadena, bits, número, .key)
        "martinez": (
            "ZULEMA MARTINEZ SANCHEZ",
            "MASZ800101AB1",
            "MASZ800101MMCRNL09",
            "P",
            2048,
            "30001000000500003416",
            "3des",
        ),
        "vargas": (
            "JAVIER VARGAS ZEMPOALTECATL",
            "AAA010101AAA / VAZJ7610034S2",
            " / VAZJ761003HDFRMV09",
            "U",
            4096,
            "30001000000300023685",
            "aes",
        ),
    }
    credenciales = {}
    for id_, (nombre, uid, serie_sujeto, tipo, bits, numero, cifrado) in miembros.items():
        llave = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        sujeto = _nombre_sat(
            (N.COMMON_NAME, nombre, "U"),
            (_NOMBRE, nombre, "U"),
            (N.ORGANIZATION_NAME, nombre, "U"),
            (N.EMAIL_ADDRESS, f"{id_}@correo.ejemplo", "I"),
            (_UID, uid, tipo),
            (N.SERIAL_NUMBER, serie_sujeto, tipo),
        )
        cert = _certificado_sat(
            sujeto,
            nombre_emisora,
            llave.public_key(),
            llave_emisora,
            _numero_sat(numero),
            False,
            "2020-01-01T00:00:00+00:00",
            "2030-12-31T23:59:59+00:00",
        )
        password = f"clave-sat-{id_}"
        p12, cer, key = _archivos(carpeta, f"{id_}-sat", llave, cert, [emisora], password, cifrado)
        rfc = uid.split("/")[-1].strip()
        credenciales[id_] = CredencialSAT(
            integrante=id_,
            p12=p12,
            cer=cer,
            key=key,
            password=password,
            sha256=hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest(),
            numero=numero,
            rfc=rfc,
            curp=serie_sujeto.split("/")[-1].strip(),
        )
    return SAT(raiz_pem=raiz_pem, emisora_pem=emisora_pem, credenciales=credenciales)


# --- a small certification authority, for certificates the other chains don't have -----------------------------


class AcDePrueba:
    """A root made now that issues e.firma-like credentials (.p12, .cer, .key) for any holder name, RFC and
    validity, relative to the test run: a holder of another script, an expired certificate, a persona moral's.
    Records trust it only if `raiz` is added to `firma.raices`."""

    def __init__(self, carpeta: Path, nombre: str = "AC de pruebas de identidad") -> None:
        import datetime as dt

        carpeta.mkdir(parents=True, exist_ok=True)
        self.carpeta = carpeta
        self.ahora = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.llave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.nombre = self._nombre(nombre)
        uso = cx509.KeyUsage(False, False, False, False, False, True, True, False, False)
        self.cert = (
            self._base(self.nombre, self.llave.public_key(), -1, 3650)
            .add_extension(cx509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(uso, critical=True)
            .sign(self.llave, hashes.SHA256())
        )
        self.raiz = carpeta / "ac-de-prueba.pem"
        self.raiz.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    @staticmethod
    def _nombre(cn: str, rfc: str | None = None) -> cx509.Name:
        atributos = [(cx509.oid.NameOID.COMMON_NAME, cn, "U")]
        if rfc:
            atributos.append((_UID, rfc, "P"))
        return _nombre_sat(*atributos)

    def _base(self, sujeto: cx509.Name, llave_publica, desde_dias: int, hasta_dias: int):
        import datetime as dt

        return (
            cx509.CertificateBuilder()
            .subject_name(sujeto)
            .issuer_name(self.nombre)
            .public_key(llave_publica)
            .serial_number(cx509.random_serial_number())
            .not_valid_before(self.ahora + dt.timedelta(days=desde_dias))
            .not_valid_after(self.ahora + dt.timedelta(days=hasta_dias))
        )

    def credencial(
        self, base: str, titular: str, rfc: str | None = None, desde_dias: int = -1, hasta_dias: int = 365
    ) -> Credencial:
        """`base`.p12/.cer/.key for `titular`, valid from `desde_dias` to `hasta_dias` days from now."""
        llave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        uso = cx509.KeyUsage(True, True, False, False, False, False, False, False, False)
        cert = (
            self._base(self._nombre(titular, rfc), llave.public_key(), desde_dias, hasta_dias)
            .add_extension(cx509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(uso, critical=True)
            .sign(self.llave, hashes.SHA256())
        )
        password = f"clave-{base}"
        p12, cer, key = _archivos(self.carpeta, base, llave, cert, [self.cert], password, "3des")
        return Credencial(
            integrante=base,
            p12=p12,
            cer=cer,
            key=key,
            password=password,
            sha256=hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest(),
        )
