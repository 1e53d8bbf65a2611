"""The certificates a Mexican signer brings, and the trust the records configure: shared by stages 4 and 5.

Takes a certificate (DER or PEM, from a file, a credential or a signature) and the records; gives what a person
reads of it (holder, SAT certificate number, issuer, validity), the RFC and CURP the SAT writes in it (never
shown in a document or on the site), the trust roots and intermediates of `stl.yaml`, and one check of validity
and chain used alike when a certificate is registered, when it signs and when a signed copy is incorporated.

Why the asn1crypto registration: X.520 types `x500UniqueIdentifier` (2.5.4.45) as a BIT STRING, but the SAT and
every certification authority in Mexico write it as a PrintableString ("AAA010101AAA / HEGT7610034S2": RFC of
the holder / RFC of the representative). asn1crypto 1.5 decodes it strictly, and pyHanko, pyhanko-certvalidator
and certomancer all read names through asn1crypto, so an e.firma failed wherever its subject or issuer was read
(asn1crypto issue #228, open). Importing this module registers, once for the process, a spec that accepts the
strict type and any string type for that attribute and for the few others asn1crypto pins to one type.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import core, x509

from .errors import StlError, causa

__all__ = [
    "Identidad",
    "autoridad",
    "avisos_de_titular",
    "contexto_validacion",
    "enmascarar",
    "es_autoridad",
    "es_persona_moral",
    "identidad",
    "intermedias",
    "leer_certificado",
    "mismo_nombre",
    "publica_revocacion",
    "raices_de_confianza",
    "revisar_vigencia_y_cadena",
    "titular_del_sello",
]


# --- asn1crypto: every string type where certification authorities write one ------------------------------------


class _BitsComoTexto(core.OctetBitString):
    """The strict BIT STRING form of an identifier, read as text (RFC 4514 writes it «#» + hex)."""

    @property
    def native(self):
        valor = super().native
        return None if valor is None else "#" + valor.hex()


_CADENAS = [
    ("teletex_string", x509.NotReallyTeletexString),
    ("printable_string", core.PrintableString),
    ("universal_string", core.UniversalString),
    ("utf8_string", core.UTF8String),
    ("bmp_string", core.BMPString),
    ("ia5_string", core.IA5String),
    ("visible_string", core.VisibleString),
]


def _cualquier_cadena(nombre: str, estricto: type) -> type:
    """A CHOICE of the strict type first, then every string type with another tag."""
    if estricto is core.OctetBitString:
        estricto = _BitsComoTexto
    otros = [(n, c) for n, c in _CADENAS if c.tag != estricto.tag]
    return type(f"Cualquiera_{nombre}", (core.Choice,), {"_alternatives": [("estricto", estricto), *otros]})


def _admitir_cadenas() -> None:
    especificaciones = x509.NameTypeAndValue._oid_specs
    for nombre, spec in list(especificaciones.items()):
        if spec is not x509.DirectoryString and not issubclass(spec, core.Choice):
            especificaciones[nombre] = _cualquier_cadena(nombre, spec)


_admitir_cadenas()


# --- what a person reads of a certificate ------------------------------------------------------------------------


def leer_certificado(path: Path) -> x509.Certificate:
    """A certificate from a .cer (DER, as the SAT gives it) or PEM file, with a Spanish error otherwise."""
    from asn1crypto import pem

    try:
        datos = Path(path).read_bytes()
    except OSError as exc:
        raise StlError(f"no se puede leer {path}: {causa(exc)}") from exc
    try:
        if pem.detect(datos):
            _, _, datos = pem.unarmor(datos)
        cert = x509.Certificate.load(datos, strict=True)
        _ = (
            cert.native
        )  # parse it all now: a damaged certificate fails here, not in the middle of a signature
    except (ValueError, TypeError) as exc:
        raise StlError(f"{path} no es un certificado X.509 (se espera un .cer DER o PEM)") from exc
    return cert


_RFC = re.compile(r"^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$")
_CURP = re.compile(r"^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[A-Z\d]\d$")


@dataclass(frozen=True)
class Identidad:
    """A certificate as a person reads it. `rfc` and `curp` are personal data: only masked on a terminal."""

    titular: str  # the holder's name (common name)
    numero: str  # the SAT's «número de certificado», or the serial in hexadecimal
    emisor: str
    vigente_desde: dt.datetime
    vigente_hasta: dt.datetime
    huella: str  # SHA-256 of the DER certificate
    rfc: str | None = None
    rfc_representante: str | None = None
    curp: str | None = None


def numero(cert: x509.Certificate) -> str:
    """The certificate number as the SAT shows it: the serial's bytes read as ASCII when they are all digits
    (3330303031…35 → 30001000000300023685), else every byte of the serial in hexadecimal, leading zeros kept."""
    contenido = cert["tbs_certificate"]["serial_number"].contents
    if len(contenido) > 1 and contenido[0] == 0 and contenido[1] & 0x80:
        contenido = contenido[1:]  # the DER sign byte, not part of the number
    if contenido and all(0x30 <= b <= 0x39 for b in contenido):
        return contenido.decode("ascii")
    return contenido.hex().upper()


def _nombre_comun(nombre: x509.Name) -> str:
    datos = nombre.native
    return datos.get("common_name") or datos.get("organization_name") or nombre.human_friendly


def _partes(valor) -> list[str]:
    """«AAA010101AAA / HEGT7610034S2» → ["AAA010101AAA", "HEGT7610034S2"]; « / HEGT761003MDFRNN09» → ["", …]."""
    if not isinstance(valor, str):
        return []
    return [p.strip().upper() for p in valor.split("/")]


def identidad(cert: x509.Certificate) -> Identidad:
    sujeto = cert.subject.native
    rfcs = [p for p in _partes(sujeto.get("unique_identifier")) if _RFC.match(p)]
    curps = [p for p in _partes(sujeto.get("serial_number")) if _CURP.match(p)]
    validez = cert["tbs_certificate"]["validity"]
    return Identidad(
        titular=_nombre_comun(cert.subject),
        numero=numero(cert),
        emisor=_nombre_comun(cert.issuer),
        vigente_desde=validez["not_before"].native,
        vigente_hasta=validez["not_after"].native,
        huella=hashlib.sha256(cert.dump()).hexdigest(),
        rfc=rfcs[0] if rfcs else None,
        rfc_representante=rfcs[1] if len(rfcs) > 1 else None,
        curp=curps[-1] if curps else None,
    )


def es_persona_moral(datos: Identidad) -> bool:
    """Whether the certificate is a legal entity's (persona moral): the SAT writes «RFC / RFC del representante»,
    and a persona moral's RFC has 12 characters (three letters), a persona física's 13."""
    return bool(datos.rfc_representante) or (datos.rfc is not None and len(datos.rfc) == 12)


def _comparable(nombre: str) -> str:
    """A name as two spellings of it compare: no accents, no case, single spaces («ZULEMA MARTINEZ SANCHEZ»)."""
    import unicodedata

    sin_acentos = unicodedata.normalize("NFKD", nombre).encode("ascii", "ignore").decode()
    return " ".join(sin_acentos.casefold().split())


def mismo_nombre(titular: str, nombre: str) -> bool:
    """Whether the certificate's holder is the person `nombre` (the SAT writes names in capitals, no accents)."""
    return _comparable(titular) == _comparable(nombre)


def titular_del_sello(datos: Identidad) -> str:
    """Who signs, as the certificate says: its holder; a persona moral, said to sign through its representative."""
    if es_persona_moral(datos):
        return f"{datos.titular} (persona moral, por conducto de su representante)"
    return datos.titular


def avisos_de_titular(datos: Identidad, nombre: str) -> list[str]:
    """What a person registering `datos` for the member `nombre` must know: the certificate is a company's, or
    another person's. A warning: the member decides (the signature will name the certificate's holder)."""
    if es_persona_moral(datos):
        representante = (
            f" (RFC del representante: {enmascarar(datos.rfc_representante)})"
            if datos.rfc_representante
            else ""
        )
        return [
            f"este certificado es la e.firma de una persona moral, {datos.titular} (RFC {enmascarar(datos.rfc)}), que "
            f"firma por conducto de su representante{representante}: no es la e.firma personal de {nombre}. Cada "
            f"firma hecha con él dirá «Firmado electrónicamente por: {titular_del_sello(datos)}». Si {nombre} firma "
            "a título personal, registre su e.firma de persona física"
        ]
    if not mismo_nombre(datos.titular, nombre):
        return [
            f"el titular del certificado, {datos.titular}, no es {nombre}: cada firma hecha con él dirá «Firmado "
            f"electrónicamente por: {datos.titular}»; registre el certificado de {nombre}, si es otro"
        ]
    return []


def enmascarar(dato: str | None) -> str:
    """An RFC or CURP for a terminal: its first four letters (from the name) and asterisks for the rest."""
    return dato[:4] + "*" * (len(dato) - 4) if dato else "—"


# --- trust: roots and intermediates from stl.yaml; validity and chain ----------------------------------------------


def es_autoridad(cert: x509.Certificate) -> bool:
    """Whether `cert` may anchor trust or issue others: a CA certificate (basicConstraints cA, and keyCertSign
    when it states its key usage). A signer's own certificate is not: trusted as a root, it would make its own
    signatures «valid» whatever its validity says."""
    usos = cert.key_usage_value
    return bool(cert.ca) and (usos is None or "key_cert_sign" in usos.native)


def autoridad(path: Path, donde: str) -> x509.Certificate:
    """The CA certificate at `path`; `donde` says who named it («stl.yaml:12 [firma.raices[0]]», «--raiz»)."""
    try:
        cert = leer_certificado(path)
    except StlError as exc:
        raise StlError(f"{donde}: {exc}") from exc
    if not es_autoridad(cert):
        datos = identidad(cert)
        raise StlError(
            f"{donde}: {path} no es el certificado de una autoridad certificadora: es el de {datos.titular} (núm. "
            f"{datos.numero}, sin «CA:TRUE» en basicConstraints), un certificado de firma. Indique el certificado "
            "de la autoridad que emite los certificados (p. ej. la AC raíz del SAT), no el de quien firma"
        )
    return cert


def _certificados(registro, rutas: tuple[str, ...], campo: str) -> list:
    base = Path(registro.raiz)
    lugares = getattr(registro.stl, "lugares_firma", {})
    certificados = []
    for i, ruta in enumerate(rutas):
        lugar = lugares.get(f"firma.{campo}[{i}]")
        linea = f":{lugar.linea}" if lugar is not None and lugar.linea else ""
        donde = f"{base / 'stl.yaml'}{linea} [firma.{campo}[{i}]]"
        certificados.append(autoridad(base / ruta, donde))
    return certificados


def raices_de_confianza(registro) -> list:
    if not registro.stl.raices:
        raise StlError(
            f"{Path(registro.raiz) / 'stl.yaml'} no configura las raíces de confianza (firma.raices): no se "
            "puede validar un certificado"
        )
    return _certificados(registro, registro.stl.raices, "raices")


def intermedias(registro) -> list:
    return _certificados(registro, registro.stl.intermedias, "intermedias")


def contexto_validacion(raices: list, ahora: dt.datetime | None = None, otros: tuple = ()):
    """Trust roots with revocation fetched from the certificates' own OCSP/CRL addresses."""
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=raices,
        other_certs=list(otros),
        allow_fetching=True,
        revocation_mode="soft-fail",
        moment=ahora,
    )


def publica_revocacion(cert) -> bool:
    """Whether the issuer publishes OCSP or CRL addresses for `cert` (SAT e.firma certificates do not)."""
    return bool(cert.ocsp_urls or cert.crl_distribution_points)


def revisar_vigencia_y_cadena(
    cert: x509.Certificate, quien: str, registro, ahora: dt.datetime, otros: tuple = ()
) -> None:
    """Refuse, in Spanish, a certificate expired or not yet valid at `ahora`, revoked, or not leading to the roots
    of stl.yaml; `otros` are intermediates the signer carries besides those of stl.yaml."""
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import (
        ExpiredError,
        InvalidCertificateError,
        PathBuildingError,
        PathValidationError,
        RevokedError,
    )

    datos = identidad(cert)
    cual = f"el certificado de {quien} (núm. {datos.numero})"
    if ahora > datos.vigente_hasta:
        raise StlError(f"{cual} caducó el {datos.vigente_hasta:%Y-%m-%d}")
    if ahora < datos.vigente_desde:
        raise StlError(f"{cual} es válido a partir del {datos.vigente_desde:%Y-%m-%d}")
    otros = (*intermedias(registro), *otros)
    validator = CertificateValidator(
        cert, validation_context=contexto_validacion(raices_de_confianza(registro), ahora, otros)
    )
    try:
        asyncio.run(validator.async_validate_usage({"digital_signature"}))
    except RevokedError as exc:
        raise StlError(f"{cual} está revocado") from exc
    except (
        InvalidCertificateError
    ) as exc:  # its key usage leaves out the digital signature: not a signing key
        raise StlError(f"{cual} no sirve para firmar: su uso de llave no incluye la firma digital") from exc
    except ExpiredError as exc:
        raise StlError(f"{cual} no está vigente") from exc
    except (PathBuildingError, PathValidationError) as exc:
        raise StlError(
            f"{cual}, emitido por {datos.emisor}, no lleva a las raíces de confianza de "
            f"{Path(registro.raiz) / 'stl.yaml'} (firma.raices)"
        ) from exc
