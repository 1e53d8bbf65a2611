"""A demonstration PKI for `make demo`: one CA and one certificate per signatory, never for real use.

Takes a folder and the people who sign; writes there the CA (`raiz.pem`), and per member a PKCS#12
(`<id>.p12`) and its certificate (`<id>.cer`, DER), all protected by one demo password. The folder is
git-ignored: no private key is ever committed. Real members sign with their own e.firma or token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .files import write_atomic

__all__ = ["autoridad_raiz", "generar"]


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Demostración de actas-stl (sin validez)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def autoridad_raiz(nombre: x509.Name, llave, inicio: dt.datetime, fin: dt.datetime) -> x509.Certificate:
    """A self-signed root CA that signs certificates and CRLs, valid from `inicio` to `fin`."""
    return (
        x509.CertificateBuilder()
        .subject_name(nombre)
        .issuer_name(nombre)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(inicio)
        .not_valid_after(fin)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(llave, hashes.SHA256())
    )


def generar(
    carpeta: Path, personas: list[tuple[str, str]], password: str, ahora: dt.datetime
) -> dict[str, str]:
    """Write the demo CA and one credential per (id, name); gives id → SHA-256 of each certificate."""
    inicio, fin = ahora - dt.timedelta(days=1), ahora + dt.timedelta(days=3 * 365)
    ca_key = _key()
    ca_name = _name("AC raíz de demostración del STL (sin validez)")
    ca = autoridad_raiz(ca_name, ca_key, inicio, fin)
    write_atomic(carpeta, "raiz.pem", ca.public_bytes(serialization.Encoding.PEM))
    huellas = {}
    for id_, nombre in personas:
        key = _key()
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(nombre))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(inicio)
            .not_valid_after(fin)
            .add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        der = cert.public_bytes(serialization.Encoding.DER)
        encryption = serialization.BestAvailableEncryption(password.encode())
        p12 = pkcs12.serialize_key_and_certificates(id_.encode(), key, cert, [ca], encryption)
        write_atomic(carpeta, f"{id_}.p12", p12, modo=0o600)  # a private key
        write_atomic(carpeta, f"{id_}.cer", der)
        huellas[id_] = hashlib.sha256(der).hexdigest()
    return huellas


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline.pki_demo CARPETA REGISTROS`: demo keys and a demo copy of the records that uses them.

    The copy registers each signatory's demo certificate, trusts the demo CA and records a demonstration
    approval of the acta of IV-2020 (in reality the next session approves it with an acuerdo).
    """
    import shutil
    import sys

    from . import records, rules

    carpeta, origen = (Path(a) for a in (argv or sys.argv[1:]))
    registro = records.load(origen)
    firmantes = rules.dictaminar(registro, "IV-2020").firmantes
    copia = carpeta / "registros"
    if copia.exists():
        shutil.rmtree(copia)
    shutil.copytree(origen, copia)
    ahora = dt.datetime.now(dt.UTC)
    huellas = generar(carpeta, [(p.id, p.nombre) for p in firmantes], "demo", ahora)
    lines = ["certificados:"] + [f"  - integrante: {i}\n    sha256: {h}" for i, h in huellas.items()]
    write_atomic(copia, "certificados.yaml", ("\n".join(lines) + "\n").encode())
    stl = (copia / "stl.yaml").read_text("utf-8") + "firma:\n  raices: [../raiz.pem]\n"
    write_atomic(copia, "stl.yaml", stl.encode())
    sesion = (copia / "sesiones/IV-2020.yaml").read_text("utf-8") + (
        'aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación de demostración (make demo)"}\n'
    )
    write_atomic(copia / "sesiones", "IV-2020.yaml", sesion.encode())
    print(f"PKI de demostración en {carpeta} (contraseña: demo); registros de demostración en {copia}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
