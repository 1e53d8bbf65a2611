"""Stage 4 — sign: the approved acta, signed by each attending member with their own certificate.

Takes the records, an approved session and one member's credential (PKCS#12, the SAT's e.firma `.cer` +
`.key`, or a PKCS#11 token); gives new versions of the acta in the workspace `signatures/<SESION>/` and a
ledger (`bitacora.json`) of who is expected and who signed. The acta must be «firmada al calce por todos los
integrantes que asistieron» (000 Cap. VI.7; 001 Art. 7.5; 002 V.7).

Why the order matters: pyHanko refuses new visible fields after a certification signature and any change of
page content breaks earlier signatures, so `preparar` creates every signature field first, then certifies
(DocMDP: only form filling and signing afterwards). Each signature is an incremental update written as a new
file; a signed PDF is never overwritten. The clock is an argument: stages never read it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import json
import logging
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import aprobaciones, certificados, identidad, registros_yaml, render, rules, spanish, wording
from .bitacora import (
    BITACORA,
    PROPIOS,
    Bitacora,
    Esperado,
    Version,
    concuerda,
    del_documento,
    leer_bitacora,
    nombre_de,
)
from .errors import StlError, causa
from .files import bloqueo, cache_dir, write_atomic
from .models import Registro

__all__ = [
    "Credencial",
    "Firmable",
    "cita_del_acta",
    "credencial_efirma",
    "credencial_p12",
    "credencial_pkcs11",
    "firmable",
    "firmar",
    "firmar_archivo",
    "incorporar",
    "preparar",
    "registrar_certificado",
]

TAMANO_SELLO = 6
# fontTools reports, at warning level, tables it drops while subsetting the stamp font: not a problem.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
CAMPO_CERTIFICACION = "certificacion"


# --- credentials --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credencial:
    """A pyHanko signer and its certificate, from whichever medium the member holds."""

    signer: object  # pyhanko.sign.signers.Signer
    medio: str  # "PKCS#12", "e.firma", "PKCS#11"

    @property
    def certificado(self):
        return self.signer.signing_cert

    @property
    def huella(self) -> str:
        return hashlib.sha256(self.certificado.dump()).hexdigest()

    @property
    def identidad(self) -> certificados.Identidad:
        return certificados.identidad(self.certificado)

    @property
    def serie(self) -> str:
        """The certificate number as the SAT shows it (the stamp, the ledger and `stl estado` say this)."""
        return self.identidad.numero

    @property
    def emisor(self) -> str:
        return self.identidad.emisor

    @property
    def titular(self) -> str:
        return self.identidad.titular


def _firmante_local(cert, llave, registro) -> object:
    """A pyHanko SimpleSigner that keeps the private key already parsed (and checked) when it was loaded.

    pyHanko's SimpleSigner keeps the key as DER and parses it again at every signature; for RSA, parsing checks
    the key (about 35 ms for 2048 bits). The key is checked once, when the credential is opened.
    """
    from asn1crypto import x509
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class FirmanteLocal(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mecanismo = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            hash_ = get_pyca_cryptography_hash(digest_algorithm)
            if mecanismo == "rsassa_pkcs1v15" and isinstance(llave, rsa.RSAPrivateKey):
                return llave.sign(data, padding.PKCS1v15(), hash_)
            if mecanismo == "ecdsa" and isinstance(llave, ec.EllipticCurvePrivateKey):
                return llave.sign(data, ec.ECDSA(hash_))
            return super().sign_raw(data, digest_algorithm)  # RSA-PSS, EdDSA...: pyHanko's own path

    if not isinstance(cert, x509.Certificate):
        cert = translate_pyca_cryptography_cert_to_asn1(cert)
    return FirmanteLocal(
        signing_cert=cert,
        signing_key=translate_pyca_cryptography_key_to_asn1(llave),
        cert_registry=registro,
        embed_roots=False,  # verifiers hold the roots: carrying them only makes each signature bigger
    )


def credencial_p12(path: Path, password: str) -> Credencial:
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StlError(f"no se puede leer {path}: {causa(exc)}") from exc
    try:
        llave, cert, otros = pkcs12.load_key_and_certificates(data, password.encode())
    except Exception:  # cryptography raises ValueError and others for a wrong password or a damaged file
        llave = cert = None
    if llave is None or cert is None:
        raise StlError(f"no se pudo abrir {path}: contraseña incorrecta o archivo PKCS#12 dañado")
    registro = SimpleCertificateStore()
    registro.register_multiple({translate_pyca_cryptography_cert_to_asn1(c) for c in otros})
    return Credencial(_firmante_local(cert, llave, registro), "PKCS#12")


def credencial_efirma(cer: Path, key: Path, password: str) -> Credencial:
    """The SAT's e.firma: a DER certificate (.cer) and a DER PKCS#8 key encrypted with PBES2 (.key)."""
    from cryptography.hazmat.primitives import serialization

    cert = certificados.leer_certificado(cer)
    try:
        datos = key.read_bytes()
        cargar = (
            serialization.load_pem_private_key
            if datos.lstrip().startswith(b"-----")
            else serialization.load_der_private_key
        )
        llave = cargar(datos, password=password.encode())
    except (OSError, ValueError, TypeError) as exc:
        raise StlError(
            f"no se pudo abrir la llave {key}: contraseña incorrecta o archivo .key dañado"
        ) from exc
    return Credencial(_firmante_local(cert, llave, None), "e.firma")


@contextlib.contextmanager
def credencial_pkcs11(
    lib: str, token: str, pin: str, llave: str | None = None, certificado: str | None = None
) -> Iterator[Credencial]:
    """A signer on a PKCS#11 token (a smart card, an HSM; SoftHSM2 in the tests); the session closes after."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    try:
        session = open_pkcs11_session(lib, token_criteria=TokenCriteria(label=token), user_pin=pin)
    except Exception as exc:  # python-pkcs11 raises its own hierarchy, without a common base
        raise StlError(f"no se pudo abrir el token «{token}» con {lib}: {type(exc).__name__}") from exc
    try:
        signer = PKCS11Signer(session, key_label=llave, cert_label=certificado or llave, embed_roots=False)
        yield Credencial(signer, "PKCS#11")
    finally:
        session.close()


# --- certificate checks --------------------------------------------------------------------------------------


def verificar_certificado(cred: Credencial, id_: str, registro: Registro, ahora: dt.datetime) -> None:
    """Refuse, in Spanish, a certificate not registered for the member, expired, revoked or untrusted."""
    persona = registro.stl.integrante(id_)
    registrados = registro.certificados.get(id_, frozenset())
    if cred.huella not in registrados:
        cuales = ", ".join(sorted(h[:16] + "…" for h in registrados)) or "ninguno"
        raise StlError(
            f"el certificado con el que firma ({cred.titular}, núm. {cred.serie}, huella {cred.huella[:16]}…) no "
            f"es el registrado para {persona.nombre} en {Path(registro.raiz) / 'certificados.yaml'} "
            f"(registrados: {cuales})"
        )
    otros = _con_cadena(cred, registro)
    certificados.revisar_vigencia_y_cadena(cred.certificado, persona.nombre, registro, ahora, otros)


def _con_cadena(cred: Credencial, registro: Registro) -> tuple:
    """The intermediates of stl.yaml (the SAT's issuing CA for an e.firma, whose .cer carries no chain) added to the
    credential, so that its signature carries its whole chain; gives the certificates the signer now carries."""
    store = getattr(cred.signer, "cert_registry", None)
    intermedias = certificados.intermedias(registro)
    if hasattr(store, "register_multiple") and intermedias:
        store.register_multiple(intermedias)
    return tuple(store or ())


# --- the PDF operations --------------------------------------------------------------------------------------


@functools.cache
def _liberation_serif() -> str:
    """The system's Liberation Serif (fc-match runs once per process)."""
    try:
        args = ["fc-match", "-f", "%{file}", "Liberation Serif"]
        origen = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        origen = ""
    if not origen.endswith(".ttf") or not Path(origen).is_file():
        raise StlError(
            "no se encontró la fuente Liberation Serif para el sello (instale fonts-liberation2: make sistema)"
        )
    return origen


# The characters of a stamp in Spanish and other Latin-script names: Basic Latin, Latin-1, Latin Extended-A,
# general punctuation, €, №, ™. A stamp with any other character uses the whole font.
_REPERTORIO_SELLO = ((0x20, 0x7E), (0xA0, 0x17F), (0x2010, 0x203A), (0x20AC, 0x20AC), (0x2116, 0x2122))


def _fuente(texto: str = "") -> str:
    """An embedded TTF for the stamp (accents must render; pyHanko's default Courier is Latin-1, not embedded).

    pyHanko writes the font's /W widths in the font's own units, but PDF expects thousandths of an em: with
    a 2048-unit TrueType font every glyph is drawn twice as far apart. So the stamp uses a copy of Liberation
    Serif rescaled to 1000 units per em (fontTools), made once into the user's cache folder.

    Each signature embeds the subset of the glyphs it draws, but pyHanko keeps the glyph numbers of the font
    it is given (2,602 entries in loca and hmtx) and its hinting, and subsetting the whole font costs about
    60 ms. So, when `texto` only has characters of `_REPERTORIO_SELLO`, the stamp uses a second copy reduced to
    their 386 glyphs, without TrueType hinting (as WeasyPrint embeds the acta's own fonts), with every OpenType
    layout feature (kerning and ligatures shape the same): 4 KB of font per signature instead of 11.
    """
    origen = _liberation_serif()
    cache = cache_dir()
    completa = cache / f"{Path(origen).stem}-1000upm.ttf"
    if not completa.is_file():
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.scaleUpem import scale_upem

        fuente = TTFont(origen)
        scale_upem(fuente, 1000)
        _guardar_fuente(fuente, completa)
    version = hashlib.sha256(repr(_REPERTORIO_SELLO).encode()).hexdigest()[:8]
    sello = cache / f"{Path(origen).stem}-1000upm-sello-{version}.ttf"
    if not sello.is_file():
        from fontTools import subset
        from fontTools.ttLib import TTFont

        opciones = subset.Options(hinting=False, layout_features=["*"], name_IDs=["*"], name_languages=["*"])
        opciones.notdef_outline = True
        fuente = TTFont(completa)
        subsetter = subset.Subsetter(opciones)
        subsetter.populate(unicodes=[c for a, b in _REPERTORIO_SELLO for c in range(a, b + 1)])
        subsetter.subset(fuente)
        _guardar_fuente(fuente, sello)
    return str(sello if _cubre(str(sello), texto) else completa)


def _guardar_fuente(fuente, destino: Path) -> None:
    buffer = io.BytesIO()
    fuente.save(buffer)
    write_atomic(destino.parent, destino.name, buffer.getvalue())


@functools.cache
def _caracteres(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


def _cubre(path: str, texto: str) -> bool:
    caracteres = _caracteres(path)
    return all(ord(c) in caracteres for c in texto if c != "\n")


# The page that signs in the browser (templates/site/firmar/) draws its stamp with the font `preparar` puts in the
# form's resources under this name: a simple TrueType font, WinAnsiEncoding, every Windows-1252 glyph embedded.
FUENTE_FORMULARIO = "STLSello"


def _fuente_formulario() -> tuple[bytes, dict[int, int], dict]:
    """Liberation Serif (1000 units per em) reduced to the Windows-1252 repertoire, with its widths and metrics.

    The browser page cannot subset fonts, so the prepared acta carries one whole font for every stamp the page
    draws; PDF/A asks every font drawn to be embedded with widths that match it, which this one is.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    _fuente()  # the 1000-unit copy in the cache
    completa = cache_dir() / f"{Path(_liberation_serif()).stem}-1000upm.ttf"
    codigos = {}
    for byte in range(32, 256):
        with contextlib.suppress(UnicodeDecodeError):
            codigos[byte] = ord(bytes([byte]).decode("cp1252"))
    destino = cache_dir() / f"{completa.stem}-winansi.ttf"
    if not destino.is_file():
        opciones = subset.Options(hinting=False, layout_features=[], name_IDs=["*"], name_languages=["*"])
        opciones.notdef_outline = True
        fuente = TTFont(completa)
        subsetter = subset.Subsetter(opciones)
        subsetter.populate(unicodes=codigos.values())
        subsetter.subset(fuente)
        _guardar_fuente(fuente, destino)
    fuente = TTFont(destino)
    mapa, anchos = fuente.getBestCmap(), fuente["hmtx"].metrics
    widths = {b: anchos[mapa[u]][0] if u in mapa else 0 for b, u in codigos.items()}
    os2, head = fuente["OS/2"], fuente["head"]
    metricas = {
        "bbox": [head.xMin, head.yMin, head.xMax, head.yMax],
        "ascent": os2.sTypoAscender,
        "descent": os2.sTypoDescender,
        "cap": getattr(os2, "sCapHeight", 0) or os2.sTypoAscender,
        "italic": fuente["post"].italicAngle,
    }
    return destino.read_bytes(), widths, metricas


def _recursos_sello(escritor) -> None:
    """The stamp font in the AcroForm's default resources (/DR /Font /STLSello), for the browser page."""
    from pyhanko.pdf_utils import generic as g

    datos, widths, m = _fuente_formulario()
    programa = g.StreamObject({g.NameObject("/Length1"): g.NumberObject(len(datos))}, stream_data=datos)
    programa.compress()
    nombre = g.NameObject("/STLSEL+LiberationSerif")
    descriptor = g.DictionaryObject(
        {
            g.NameObject("/Type"): g.NameObject("/FontDescriptor"),
            g.NameObject("/FontName"): nombre,
            g.NameObject("/Flags"): g.NumberObject(34),  # serif, non-symbolic
            g.NameObject("/FontBBox"): g.ArrayObject(g.NumberObject(v) for v in m["bbox"]),
            g.NameObject("/ItalicAngle"): g.NumberObject(int(m["italic"])),
            g.NameObject("/Ascent"): g.NumberObject(m["ascent"]),
            g.NameObject("/Descent"): g.NumberObject(m["descent"]),
            g.NameObject("/CapHeight"): g.NumberObject(m["cap"]),
            g.NameObject("/StemV"): g.NumberObject(80),
            g.NameObject("/FontFile2"): escritor.add_object(programa),
        }
    )
    fuente = g.DictionaryObject(
        {
            g.NameObject("/Type"): g.NameObject("/Font"),
            g.NameObject("/Subtype"): g.NameObject("/TrueType"),
            g.NameObject("/BaseFont"): nombre,
            g.NameObject("/FirstChar"): g.NumberObject(32),
            g.NameObject("/LastChar"): g.NumberObject(255),
            g.NameObject("/Widths"): g.ArrayObject(g.NumberObject(widths.get(b, 0)) for b in range(32, 256)),
            g.NameObject("/Encoding"): g.NameObject("/WinAnsiEncoding"),
            g.NameObject("/FontDescriptor"): escritor.add_object(descriptor),
        }
    )
    formulario = escritor.root["/AcroForm"]
    formulario[g.NameObject("/DR")] = g.DictionaryObject(
        {
            g.NameObject("/Font"): g.DictionaryObject(
                {g.NameObject(f"/{FUENTE_FORMULARIO}"): escritor.add_object(fuente)}
            )
        }
    )
    escritor.update_container(formulario)


# «Firmado electrónicamente por» names who signs as the certificate does (its holder; a company, as such); the next
# line is the signatory's cargo, preceded by their name when the certificate's holder is someone else.
SELLO = (
    "Firmado electrónicamente por: %(nombre)s\n"
    "%(cargo)s\n"
    "Fecha y hora: %(ts)s\n"
    "Certificado núm. %(serie)s\n"
    "Emisor: %(emisor)s\n"
    "Firma electrónica que ampara %(fojas)s %(del_documento)s."
)


def _fojas(fojas: int) -> str:
    return "la foja" if fojas == 1 else f"las {fojas} fojas"


def _tamano_cms(cred: Credencial) -> int:
    """An upper bound, from real sizes, of the bytes of this signer's PAdES CMS object without timestamp.

    pyHanko's CMS object carries the signer's certificate and the certificates of its store (not the roots,
    with embed_roots off), the issuer and serial number twice (signer identifier and signing-certificate-v2)
    and the signature value, at most as long as the key allows; the rest (SignedData, SignerInfo, algorithm
    identifiers, content type and message digest attributes, DER headers) is 256 bytes with SHA-256: counted
    twice, for RSA-PSS parameters or a DER length that grows. A dry run would give the same figure but builds
    the whole CMS object with asn1crypto (15 ms). tests/test_sign.py checks the bound against real signatures.
    """
    signer = cred.signer
    cert = cred.certificado
    raices = getattr(signer, "embed_roots", True)
    almacen = [c for c in (getattr(signer, "cert_registry", None) or ()) if raices or c.self_signed == "no"]
    certificados = sum(len(c.dump()) for c in (cert, *almacen, *getattr(signer, "attribute_certs", ())))
    emisor = len(cert.issuer.dump()) + len(cert["tbs_certificate"]["serial_number"].dump())
    clave = cert.public_key
    if clave.algorithm in ("rsa", "rsassa_pss"):
        firma = (clave.bit_size + 7) // 8  # as long as the modulus
    elif clave.algorithm == "ec":
        firma = 2 * ((clave.bit_size + 7) // 8) + 9  # SEQUENCE of two INTEGERs, each with a leading zero
    else:
        firma = {"ed25519": 64, "ed448": 114}.get(clave.algorithm, 5120)  # ML-DSA-87 signs with 4,627
    return certificados + 2 * emisor + firma + 2 * 256


def _reserva(cred: Credencial, sello_de_tiempo: bool, revocacion: bool) -> int:
    """Room for the CMS object, in hexadecimal digits (two per byte), reserved explicitly: never overflows.

    Without a timestamp the CMS object's size is known beforehand (`_tamano_cms`). A timestamp token brings
    the TSA's own chain (unknown beforehand), revocation data one OCSP response or CRL per certificate of
    both chains: generous fixed allowances, since an overflow fails the signature.
    """
    reserva = 2 * _tamano_cms(cred) + (16384 if sello_de_tiempo else 0) + (49152 if revocacion else 0)
    return reserva + reserva % 2  # pyHanko needs an even number of hexadecimal digits


# pyHanko formats the signing time with the style's format in the machine's zone (UTC on a server); the stamp asks
# for it in ISO 8601 with its offset and writes it again as a Mexican reads it, in the zone of stl.yaml.
_ISO = "%Y-%m-%dT%H:%M:%S%z"


@functools.cache
def _estilo_sello() -> type:
    """pyHanko's text stamp, with its appearance stream compressed (Flate): 2.1 KB of positioned glyphs → 0.8;
    and its date and time in local time with the offset (`zona`), «04/12/2026 15:36:49 (UTC-06:00)»."""
    from pyhanko.stamp import TextStamp, TextStampStyle

    class Sello(TextStamp):
        def as_form_xobject(self):
            xobject = super().as_form_xobject()
            xobject.compress()
            return xobject

    @dataclass(frozen=True)
    class EstiloSello(TextStampStyle):
        zona: str = spanish.ZONA_HORARIA

        def create_stamp(self, writer, box, text_params) -> Sello:
            momento = dt.datetime.strptime(text_params["ts"], _ISO)
            text_params = {**text_params, "ts": spanish.fecha_hora_local(momento, self.zona)}
            return Sello(writer=writer, style=self, box=box, text_params=text_params)

    return EstiloSello


def _timestamper(tsa: str | None):
    if not tsa:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(tsa)


def _sello(
    nombre: str, cargo: str, fojas: int, cred: Credencial, clase: str, zona: str = spanish.ZONA_HORARIA
) -> tuple[object, dict]:
    """The visible stamp of a signature: pyHanko's text stamp style with the embedded font, and its parameters."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle

    identidad = cred.identidad
    titular = certificados.titular_del_sello(identidad)
    otro = certificados.es_persona_moral(identidad) or not certificados.mismo_nombre(
        identidad.titular, nombre
    )
    params = {
        "nombre": titular,
        "cargo": f"{nombre}, {cargo}" if otro else cargo,
        "serie": cred.serie,
        "emisor": cred.emisor,
        "fojas": _fojas(fojas),
        "del_documento": del_documento(clase),
    }
    # Shaping and drawing must use the same size, or lines drift (pyHanko issue #733).
    fuente = GlyphAccumulatorFactory(_fuente(SELLO % {**params, "ts": ""}), font_size=TAMANO_SELLO)
    estilo = _estilo_sello()(
        zona=zona,
        stamp_text=SELLO,
        timestamp_format=_ISO,
        text_box_style=TextBoxStyle(font=fuente, font_size=TAMANO_SELLO, leading=TAMANO_SELLO + 2),
        background=None,
        border_width=0,
    )
    return estilo, params


def _firmar_bytes(
    data: bytes,
    campo: str,
    nombre: str,
    cargo: str,
    fojas: int,
    cred: Credencial,
    tsa: str | None,
    raices: list | None,
    clase: str = "acta",
    zona: str = spanish.ZONA_HORARIA,
) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    revocacion = bool(tsa) and raices is not None and certificados.publica_revocacion(cred.certificado)
    meta = signers.PdfSignatureMetadata(
        field_name=campo,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=f"Firma {del_documento(clase)} por {nombre}",
        name=nombre,
        embed_validation_info=revocacion,  # PAdES B-LT when the issuer publishes OCSP/CRL
        validation_context=certificados.contexto_validacion(raices) if revocacion else None,
    )
    estilo, params = _sello(nombre, cargo, fojas, cred, clase, zona)
    firmante = signers.PdfSigner(meta, cred.signer, timestamper=_timestamper(tsa), stamp_style=estilo)
    escritor = IncrementalPdfFileWriter(io.BytesIO(data))
    salida = firmante.sign_pdf(
        escritor, appearance_text_params=params, bytes_reserved=_reserva(cred, bool(tsa), revocacion)
    )
    return salida.getvalue()


def _catalogo(escritor) -> None:
    """pyHanko writes the catalog again with every signature (it updates the XMP metadata): WeasyPrint's named
    destinations and output intent, direct in the catalog, would be copied each time. As their own objects they
    are written once."""
    from pyhanko.pdf_utils.generic import ArrayObject, IndirectObject

    raiz = escritor.root
    if "/Names" in raiz and not isinstance(raiz.raw_get("/Names"), IndirectObject):
        raiz["/Names"] = escritor.add_object(raiz["/Names"])
    if "/OutputIntents" in raiz:
        intenciones = raiz["/OutputIntents"]
        raiz["/OutputIntents"] = ArrayObject(
            i if isinstance(i, IndirectObject) else escritor.add_object(i) for i in intenciones
        )
    escritor.update_root()


def _preparar_bytes(
    pdf: bytes,
    bloques: dict,
    esperados: tuple[Esperado, ...],
    cred: Credencial,
    tsa,
    aprobacion: str,
    sesion: str,
    clase: str = "acta",
    certifica: Esperado | None = None,
    raices: list | None = None,
    zona: str = spanish.ZONA_HORARIA,
) -> bytes:
    """Every signature field, then the certification (DocMDP). When `certifica` is a signatory (the preparer's
    certificate is registered for them), the certification is their signature: it fills a visible field in their
    block with their stamp, and their certificate signs the document once."""
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    escritor = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _catalogo(escritor)
    for e in esperados:
        page, *box = bloques[e.id]
        spec = fields.SigFieldSpec(sig_field_name=e.campo, on_page=page, box=tuple(box))
        fields.append_signature_field(escritor, spec)
    if certifica is None:
        fields.append_signature_field(escritor, fields.SigFieldSpec(sig_field_name=CAMPO_CERTIFICACION))
    # The tooltip names who signs each field: a member signing a copy elsewhere needs no records. The
    # certification's names the session, so that `stl verificar copia.pdf` knows which records to check it by.
    descripciones = {e.campo: f"{e.nombre}|{e.cargo}" for e in esperados}
    descripciones[CAMPO_CERTIFICACION] = f"Certificación|{sesion}" + ("" if clase == "acta" else f"|{clase}")
    for name, _, ref in fields.enumerate_sig_fields(escritor):
        if name in descripciones:
            ref.get_object()["/TU"] = pdf_string(descripciones[name])
            escritor.mark_update(ref)
    _recursos_sello(escritor)
    razon = f"Certificación {del_documento(clase)}{' aprobada' if clase in PROPIOS else ''}: {aprobacion}"
    revocacion = certifica is not None and bool(tsa) and raices is not None
    revocacion = revocacion and certificados.publica_revocacion(cred.certificado)
    meta = signers.PdfSignatureMetadata(
        field_name=CAMPO_CERTIFICACION,
        certify=True,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=razon if certifica is None else f"{razon}. Firma de {certifica.nombre}",
        name=certifica.nombre if certifica else None,
        embed_validation_info=revocacion,
        validation_context=certificados.contexto_validacion(raices) if revocacion else None,
    )
    if certifica is None:
        firmante = signers.PdfSigner(meta, cred.signer, timestamper=_timestamper(tsa))
        return firmante.sign_pdf(escritor, bytes_reserved=_reserva(cred, bool(tsa), False)).getvalue()
    fojas = int(escritor.root["/Pages"]["/Count"])
    estilo, params = _sello(certifica.nombre, certifica.cargo, fojas, cred, clase, zona)
    firmante = signers.PdfSigner(meta, cred.signer, timestamper=_timestamper(tsa), stamp_style=estilo)
    reserva = _reserva(cred, bool(tsa), revocacion)
    return firmante.sign_pdf(escritor, appearance_text_params=params, bytes_reserved=reserva).getvalue()


def _quien_certifica(
    registro: Registro, cred: Credencial, esperados: tuple[Esperado, ...]
) -> Esperado | None:
    """The signatory whose registered certificate prepares the document, if any: their certification is their
    signature. A certificate that signed twice in one document (the certification, then the same person's field)
    is what poppler 22.12 (pdfsig, Evince, Okular on Debian 12) cannot validate the second time: it keeps each
    certificate pointing into the signature it read first, which it has already freed, so NSS finds the «same»
    certificate with other bytes (SEC_ERROR_REUSED_ISSUER_AND_SERIAL) and the reader shows «Unknown issue with
    Certificate or corrupted data»."""
    return next((e for e in esperados if cred.huella in registro.certificados.get(e.id, ())), None)


# --- the workspace ---------------------------------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _actual(workspace: Path, bitacora: Bitacora) -> bytes:
    data = (workspace / bitacora.actual.archivo).read_bytes()
    if _sha(data) != bitacora.actual.sha256:
        raise StlError(
            f"{bitacora.actual.archivo} no es la versión que registra la bitácora (su SHA-256 cambió): "
            "alguien lo modificó fuera de stl; no se firma sobre él"
        )
    return data


def _nueva_version(
    workspace: Path, bitacora: Bitacora, data: bytes, firmante: str, cred: Credencial, ahora: dt.datetime
) -> Version:
    numero = bitacora.actual.numero + 1
    version = Version(
        numero,
        f"{bitacora.documento}.v{numero:02d}.pdf",
        _sha(data),
        ahora.isoformat(timespec="seconds"),
        firmante,
        cred.huella,
        cred.serie,
        cred.emisor,
    )
    write_atomic(workspace, version.archivo, data)  # a new file: no signed PDF is overwritten
    write_atomic(workspace, BITACORA, bitacora.con(version).json())
    return version


@dataclass(frozen=True)
class Firmable:
    """A document the mechanisms require signed, worded and ready to be laid out with its signature fields."""

    objetivo: str  # IV-2020, RT-2020-11-24
    clase: str  # acta, minuta, convocatoria, fe-de-erratas-N
    documento: object  # documentos.Documento, Minuta, Oficio or FeDeErratas
    fundamento: str  # why it may be signed (the acta's approval), in the certification's reason
    contenido: str  # SHA-256 of what it says: the verification code derives from it

    @property
    def esperados(self) -> tuple[Esperado, ...]:
        firmantes = getattr(self.documento, "firmantes", None) or (self.documento.firma,)
        return tuple(Esperado(f.id, f.nombre, f.denominacion, f"firma-{f.id}") for f in firmantes)


def _sha_de(documento) -> str:
    valor = dataclasses.asdict(documento)
    valor.pop("raiz", None)
    texto = json.dumps(
        valor, ensure_ascii=False, sort_keys=True, default=lambda b: hashlib.sha256(b).hexdigest()
    )
    return hashlib.sha256(texto.encode()).hexdigest()  # a logo's bytes count by their SHA-256


def _sesion(registro: Registro, objetivo: str, clase: str):
    try:
        return registro.sesion(objetivo)
    except KeyError:
        raise StlError(
            f"no hay registro de la sesión «{objetivo}» ({nombre_de(clase)} es de una sesión)"
        ) from None


def cita_del_acta(registro: Registro, sesion_id: str, firmas: Path) -> tuple[str, str]:
    """Which acta (or minuta) a fe de erratas corrects, and its SHA-256: the signed file's if every member signed
    it, or else the approved text's (records/aprobaciones.yaml). Words a reader reads: no file names, no dates in
    digits."""
    aprobacion = rules.aprobacion_del_acta(registro, sesion_id)
    aprobada = f"aprobada {aprobacion}" if aprobacion else "aprobada"
    del_documento = wording.documento(registro, "del").lower()
    workspace = firmas / sesion_id
    if (workspace / BITACORA).is_file():
        bitacora = leer_bitacora(workspace)
        if not {e.id for e in bitacora.esperados} - set(bitacora.firmados):
            return (
                f"{aprobada} y firmada electrónicamente por quienes asistieron",
                f"SHA-256 de la versión firmada {del_documento}: {bitacora.actual.sha256}",
            )
    aprobado = registro.aprobados.get(sesion_id)
    if aprobado is None:
        raise StlError(
            f"{wording.documento(registro, 'el').lower()} de {sesion_id} no tiene texto aprobado registrado ni está "
            "firmada: una fe de erratas corrige un documento aprobado; antes de aprobarlo, corrija el registro"
        )
    return aprobada, f"SHA-256 del texto aprobado {del_documento}: {aprobado.sha256}"


def firmable(
    registro: Registro,
    objetivo: str,
    clase: str,
    firmas: Path,
    ahora: dt.datetime | None = None,
    archivo: Path | None = None,
) -> Firmable:
    """The document `clase` of `objetivo` as it is signed; the acta only if approved and as approved (freezing,
    at `ahora`, the approved text the first time the approval is seen, also in the archive `archivo`)."""
    if clase in PROPIOS and objetivo.startswith("RT-"):
        if clase != "minuta":
            raise StlError(f"una reunión de trabajo deja una minuta, no {nombre_de(clase)}")
        try:
            reunion = registro.reunion(objetivo)
        except KeyError:
            raise StlError(f"no hay registro de la reunión «{objetivo}»") from None
        doc = render.minuta(registro, reunion)
        return Firmable(
            objetivo, clase, doc, f"reunión de trabajo del {reunion.fecha.isoformat()}", _sha_de(doc)
        )
    sesion = _sesion(registro, objetivo, clase)
    if clase in PROPIOS:
        aprobacion = rules.aprobacion_del_acta(registro, objetivo)
        if aprobacion is None:
            raise StlError(
                f"{nombre_de(clase)} de {objetivo} no tiene aprobación registrada: se aprueba con un acuerdo de una "
                "sesión posterior (tipo aprobacion_acta) o con «aprobacion: {fecha, fundamento}» en su registro; no "
                "se prepara para firma"
            )
        doc = render.acta(registro, rules.dictaminar(registro, objetivo))
        aprobaciones.revisar(registro, objetivo, doc, archivo)
        aprobaciones.vigilar(registro, objetivo, doc, ahora, archivo)  # the same freeze as `stl acta`
        return Firmable(objetivo, clase, doc, aprobacion, aprobaciones.contenido(doc, registro).sha256)
    if clase == "convocatoria":
        folio = (sesion.convocatoria.folio if sesion.convocatoria else None) or next(
            (f.folio for f in registro.folios if f.sesion == objetivo), None
        )
        if folio is None:
            raise StlError(
                f"la sesión {objetivo} no tiene oficio de convocatoria con folio: emítalo primero con "
                f"«stl convocatoria {objetivo}»"
            )
        doc = render.convocatoria(registro, sesion, folio)
        return Firmable(objetivo, clase, doc, f"oficio {folio}", _sha_de(doc))
    numero = clase.removeprefix("fe-de-erratas-")
    if clase.startswith("fe-de-erratas-") and numero.isdigit():
        acta = render.acta(registro, rules.dictaminar(registro, objetivo))
        cita = cita_del_acta(registro, objetivo, firmas)
        doc = render.fe_de_erratas(registro, sesion, int(numero), acta, cita)
        del_documento = wording.documento(registro, "del").lower()
        return Firmable(
            objetivo, clase, doc, f"fe de erratas núm. {numero} {del_documento} de {objetivo}", _sha_de(doc)
        )
    raise StlError(
        f"documento desconocido «{clase}»: se firman el acta (o la minuta), «convocatoria» y «fe-de-erratas-N»"
    )


def preparar(
    registro: Registro,
    sesion_id: str,
    workspace: Path,
    cred: Credencial,
    ahora: dt.datetime,
    clase: str = "acta",
    firmas: Path | None = None,
    archivo: Path | None = None,
) -> Bitacora:
    """Render the document, add one empty field per signatory, certify it (DocMDP) and start the ledger.

    The acta must be approved, and be the approved text (`aprobaciones`); every page carries the verification
    code and the QR code to the document's page on the public site, when stl.yaml gives the site's address. When
    the preparer's certificate is registered for a signatory, the certification is that signatory's signature
    (checked as `firmar` checks it) and the ledger records it as signed in version 0."""
    from pypdf import PdfReader

    doc = firmable(registro, sesion_id, clase, firmas or workspace.parent, ahora, archivo)
    verificacion = render.verificacion(registro, sesion_id, clase, doc.contenido)
    pdf, bloques = render.pdf(dataclasses.replace(doc.documento, verificacion=verificacion))
    _con_cadena(
        cred, registro
    )  # the certification of an e.firma is verified like any signature: with its chain
    certifica = _quien_certifica(registro, cred, doc.esperados)
    raices = None
    if certifica is not None:
        verificar_certificado(cred, certifica.id, registro, ahora)
        raices = certificados.raices_de_confianza(registro)
        certifica = dataclasses.replace(certifica, campo=CAMPO_CERTIFICACION)
    esperados = tuple(certifica if certifica and e.id == certifica.id else e for e in doc.esperados)
    with bloqueo(workspace / ".bloqueo"):  # one writer per session: no two signatures on one version
        if (workspace / BITACORA).exists():
            actual = leer_bitacora(workspace).actual.archivo
            raise StlError(
                f"{nombre_de(clase)} de {sesion_id} ya está {concuerda(clase, 'preparad')} para firma (versión "
                f"actual: {actual}); no se rehace"
            )
        stl = registro.stl
        data = _preparar_bytes(
            pdf,
            bloques,
            esperados,
            cred,
            stl.tsa,
            doc.fundamento,
            sesion_id,
            clase,
            certifica,
            raices,
            stl.zona_horaria,
        )
        fojas = len(PdfReader(io.BytesIO(data)).pages)
        codigo = verificacion.codigo if verificacion else ""
        base = Bitacora(
            sesion_id, f"{clase}-{sesion_id}", fojas, doc.fundamento, esperados, (), clase, codigo
        )
        version = Version(
            0,
            f"{base.documento}.v00.pdf",
            _sha(data),
            ahora.isoformat(timespec="seconds"),
            certifica.id if certifica else None,
            cred.huella,
            cred.serie,
            cred.emisor,
        )
        write_atomic(workspace, version.archivo, data)
        bitacora = base.con(version)
        write_atomic(workspace, BITACORA, bitacora.json())
    return bitacora


def firmar(
    registro: Registro,
    workspace: Path,
    firmante: str,
    cred: Credencial,
    ahora: dt.datetime,
    version_esperada: int | None = None,
) -> Version:
    """One member signs the current version; refused for non-attendees, second signatures, wrong certificates.

    `version_esperada` is the version the member saw before typing their password: if another member signed in
    the meantime, the signature is refused as stale (under the lock, so two members at once never both sign on
    the same version, and neither signature is lost) and the member signs the new version.
    """
    with bloqueo(workspace / ".bloqueo"):  # one writer per session: no two signatures on one version
        bitacora = leer_bitacora(workspace)
        esperado = _esperado(registro, bitacora, firmante)
        actual = bitacora.actual
        if version_esperada is not None and actual.numero != version_esperada:
            raise StlError(
                f"la versión v{version_esperada:02d} {del_documento(bitacora.clase)} de {bitacora.sesion} cambió mientras firmaba (ahora es "
                f"v{actual.numero:02d}, {actual.archivo}): vuelva a firmar; no se firmó nada"
            )
        verificar_certificado(cred, firmante, registro, ahora)
        data = _firmar_bytes(
            _actual(workspace, bitacora),
            esperado.campo,
            esperado.nombre,
            esperado.cargo,
            bitacora.fojas,
            cred,
            registro.stl.tsa,
            certificados.raices_de_confianza(registro),
            bitacora.clase,
            registro.stl.zona_horaria,
        )
        return _nueva_version(workspace, bitacora, data, firmante, cred, ahora)


def _esperado(registro: Registro, bitacora: Bitacora, firmante: str) -> Esperado:
    esperado = bitacora.esperado(firmante)
    nombre = (
        registro.stl.integrante(firmante).nombre
        if firmante in {p.id for p in registro.stl.integrantes}
        else f"«{firmante}»"
    )
    if esperado is None:
        firman = ", ".join(e.nombre for e in bitacora.esperados)
        razon = (
            "no asistió o no firma por su calidad" if bitacora.clase in PROPIOS else "no es quien lo firma"
        )
        raise StlError(
            f"{nombre} no firma {bitacora.nombre} de {bitacora.sesion}: {razon} (firman: {firman})"
        )
    if firmante in bitacora.firmados:
        raise StlError(
            f"{nombre} ya firmó {bitacora.nombre} de {bitacora.sesion} ({bitacora.firmados[firmante].archivo})"
        )
    return esperado


def firmar_archivo(pdf: Path, firmante: str, cred: Credencial, tsa: str | None, salida: Path) -> Path:
    """Sign a copy on the member's own machine (no records needed): the field carries name and cargo."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    data = pdf.read_bytes()
    campo = f"firma-{firmante}"
    reader = PdfFileReader(io.BytesIO(data))
    encontrado = next((f for f in fields.enumerate_sig_fields(reader) if f[0] == campo), None)
    if encontrado is None:
        raise StlError(
            f"{pdf} no tiene campo de firma para «{firmante}»: no es un documento preparado para firma o no firma en él"
        )
    if encontrado[1] is not None:
        raise StlError(f"el campo de «{firmante}» en {pdf} ya está firmado")
    nombre, _, cargo = str(encontrado[2].get_object().get("/TU", firmante)).partition("|")
    fojas = len(reader.root["/Pages"]["/Kids"]) if "/Kids" in reader.root["/Pages"] else 1
    certificacion = next(
        (f for f in fields.enumerate_sig_fields(reader) if f[0] == CAMPO_CERTIFICACION), None
    )
    declarado = str(certificacion[2].get_object().get("/TU", "")) if certificacion else ""
    partes = declarado.split("|")  # «Certificación|IV-2020|convocatoria»; an acta's names no class
    clase = partes[2] if len(partes) > 2 else "acta"
    firmado = _firmar_bytes(data, campo, nombre, cargo, fojas, cred, tsa, None, clase)
    write_atomic(salida.parent, salida.name, firmado)
    return salida


def incorporar(
    registro: Registro, workspace: Path, archivo: Path, ahora: dt.datetime
) -> tuple[Version, tuple[str, ...]]:
    """Accept a copy signed elsewhere only if it is the current version plus exactly one member's signature, and
    nothing else changed; gives the new version and what its appearance breaks of PDF/A (said, not refused)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from . import verify

    data = archivo.read_bytes()
    with bloqueo(workspace / ".bloqueo"):  # one writer per session: no two signatures on one version
        bitacora = leer_bitacora(workspace)
        base = _actual(workspace, bitacora)
        if not data.startswith(base) or len(data) == len(base):
            raise StlError(
                f"{archivo} no parte de la versión actual {del_documento(bitacora.clase)} ({bitacora.actual.archivo}): se firmó "
                "sobre otra versión o se modificó; firme la versión actual"
            )
        # Not strict: poppler's pdfsig writes a cross-reference table that pyHanko's strict reader refuses (an
        # object's generation without its object), and the file is still checked whole below.
        try:
            firmas = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        except Exception as exc:  # pyHanko raises its own PdfReadError or a bare ValueError/KeyError
            raise StlError(
                f"{archivo} no es un PDF legible ({exc}); firme otra vez la versión actual"
            ) from exc
        antes = len(PdfFileReader(io.BytesIO(base), strict=False).embedded_signatures)
        if len(firmas) != antes + 1:
            raise StlError(f"{archivo} agrega {len(firmas) - antes} firmas; se acepta exactamente una")
        nueva = firmas[-1]
        _en_campo_existente(registro, bitacora, archivo, nueva, base)
        firmante = nueva.field_name.removeprefix("firma-")
        esperado = _esperado(registro, bitacora, firmante)
        extra = len(data) - verify.fin_firmado(nueva)
        if extra:  # an update after the new signature would enter the official acta unsigned by anyone
            raise StlError(
                f"{archivo} no termina con la firma de {esperado.nombre}: después de ella tiene {extra} bytes que "
                f"nadie firmó (una actualización que agregó otro programa). Firme otra vez la versión actual "
                f"({bitacora.actual.archivo}) y envíe el archivo tal como lo deja la firma"
            )
        cred = Credencial(_CertOnly(nueva.signer_cert), "copia remota")
        verificar_certificado(cred, esperado.id, registro, ahora)
        informe = verify.revisar_incremento(data, certificados.raices_de_confianza(registro))
        if informe.problemas:
            raise StlError(
                f"{archivo} no se incorpora: " + "; ".join(informe.problemas) + ". Firme otra vez la versión "
                f"actual ({bitacora.actual.archivo}) sin cambiar nada más: con «stl firmar», o con la línea de "
                f"comandos de pyHanko («pyhanko sign addsig --field {nueva.field_name} --existing-only …»)"
            )
        return _nueva_version(workspace, bitacora, data, firmante, cred, ahora), informe.avisos


def _en_campo_existente(registro: Registro, bitacora: Bitacora, archivo: Path, nueva, base: bytes) -> None:
    """A signature in a field the copy added (poppler's `pdfsig -add-signature`, «firma-vargas-2») is not a
    member's: the prepared document has each signatory's field, and none may be added after the certification.
    Said as such, naming the field the certificate's owner signs in."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    existentes = {
        nombre for nombre, _, _ in fields.enumerate_sig_fields(PdfFileReader(io.BytesIO(base), strict=False))
    }
    if nueva.field_name in existentes:
        return
    huella = certificados.identidad(nueva.signer_cert).huella
    dueno = next((i for i, huellas in registro.certificados.items() if huella in huellas), None)
    esperado = bitacora.esperado(dueno) if dueno else None
    nuevo = (
        f"{archivo} trae la firma en un campo nuevo, «{nueva.field_name}», que agregó el programa con que se "
        f"firmó (p. ej. «pdfsig -add-signature»): {nombre_de(bitacora.clase)} ya trae el campo de cada firmante y "
        "después de la certificación no se agregan campos"
    )
    if esperado is not None and esperado.id in bitacora.firmados:
        raise StlError(f"{nuevo}; {esperado.nombre} ya firmó en «{esperado.campo}»: no se incorpora")
    campo = esperado.campo if esperado else "firma-ID"
    quien = f"el campo de {esperado.nombre}, «{campo}»" if esperado else "el campo de quien firma, «firma-ID»"
    raise StlError(
        f"{nuevo}. Firme otra vez la versión actual ({bitacora.actual.archivo}) en {quien}: con «stl firmar», "
        f"con la página de firma o con «pdfsig -sign {campo}»"
    )


@dataclass(frozen=True)
class _CertOnly:
    """A certificate seen in a signature: enough to check it like a credential."""

    signing_cert: object
    cert_registry: tuple = ()


def copiar_actual(workspace: Path, destino: Path) -> Path:
    """The current version, for a member who signs elsewhere."""
    bitacora = leer_bitacora(workspace)
    shutil.copyfile(workspace / bitacora.actual.archivo, destino)
    return destino


def registrar_certificado(
    root: Path, registro: Registro, integrante: str, archivo: Path, ahora: dt.datetime
) -> certificados.Identidad:
    """Add the certificate's SHA-256 to certificados.yaml (comments kept, written atomically), once it is
    known to be valid now and to lead to the trust roots of stl.yaml: the same checks as at signing time."""
    if integrante not in {p.id for p in registro.stl.integrantes}:
        raise StlError(f"integrante desconocido «{integrante}» (no está en {Path(root) / 'stl.yaml'})")
    cert = certificados.leer_certificado(archivo)
    datos = certificados.identidad(cert)
    nombre = registro.stl.integrante(integrante).nombre
    identidad.revisar_titular(datos.titular, nombre, integrante, moral=datos.rfc_representante is not None)
    for otro, huellas in registro.certificados.items():
        if datos.huella in huellas:
            raise StlError(f"ese certificado ya está registrado para «{otro}»")
    certificados.revisar_vigencia_y_cadena(cert, nombre, registro, ahora)
    descripcion = (
        f"núm. {datos.numero}, {identidad.mostrar(datos.emisor)}, vigente del {datos.vigente_desde:%Y-%m-%d} al "
        f"{datos.vigente_hasta:%Y-%m-%d}"
    )
    entrada = {"integrante": integrante, "sha256": datos.huella, "descripcion": descripcion}
    with registros_yaml.candado(root, "certificados"):
        # Read again under the lock: the same certificate may have been registered meanwhile.
        for otra in registros_yaml.entradas(root, "certificados"):
            if otra["sha256"] == datos.huella:
                raise StlError(f"ese certificado ya está registrado para «{otra['integrante']}»")
        registros_yaml.agregar(root, "certificados", entrada)
    return datos
