"""Signature acceptance on values, fast enough for `make mutacion`: who may sign, with which certificate, when.

A demo PKI made here with `pki_demo`, as `make demo` makes it: a root that stl.yaml trusts and a certificate per
member; the same kind of chain made valid in the past (expired now) and in the future (not valid yet), also trusted;
and a root stl.yaml does not trust. Every certificate is registered for the member it names. Then what `stl firmar`
and `stl incorporar` check of a certificate (`sign.verificar_certificado`: registered for that member, valid at the
moment given, leading to the trusted roots) and what `stl firmar` refuses before signing anything (someone who does
not sign the acta, a second signature, a version that changed meanwhile). test_sign.py does the same end to end,
with OCSP, CRLs and a time-stamping authority.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from builders import FIRMAN_IV_2020, ROOT
from pipeline import bitacora, certificados, pki_demo, records, sign
from pipeline.errors import StlError

AHORA = dt.datetime.now(dt.UTC)
CADENAS = {  # folder → the moment its certificates are made at (valid from the day before, for three years)
    "claves": AHORA,
    "vencidas": AHORA - dt.timedelta(days=4 * 365),
    "futuras": AHORA + dt.timedelta(days=30),
    "ajenas": AHORA,
}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("aceptacion")
    tree = base / "records"
    shutil.copytree(ROOT / "records", tree)
    registro = records.load(tree)
    huellas = []
    for carpeta, momento in CADENAS.items():
        quienes = [*FIRMAN_IV_2020, "parra"] if carpeta == "claves" else ["martinez"]
        nombres = [(i, registro.stl.integrante(i).nombre) for i in quienes]
        huellas += pki_demo.generar(tree / carpeta, nombres, "demo", momento).items()
    lineas = ["certificados:"] + [f"  - integrante: {i}\n    sha256: {h}" for i, h in huellas]
    (tree / "certificados.yaml").write_text("\n".join(lineas) + "\n", "utf-8")
    with (tree / "stl.yaml").open("a", encoding="utf-8") as handle:  # every root but the ajena
        handle.write("firma:\n  raices: [claves/raiz.pem, vencidas/raiz.pem, futuras/raiz.pem]\n")
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write('aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación de prueba"}\n')
    return base


def _cred(base: Path, carpeta: str, quien: str) -> sign.Credencial:
    return sign.credencial_p12(base / "records" / carpeta / f"{quien}.p12", "demo")


@pytest.fixture
def copia(base, tmp_path) -> Path:
    """The records, and the acta of IV-2020 under signature with Zulema Martínez's signature in: its ledger
    (bitacora.json) as `stl preparar-firma` and `stl firmar` write it; what is refused below is refused before any PDF
    is read, and nothing is written."""
    shutil.copytree(base / "records", tmp_path / "records")
    registro = records.load(tmp_path / "records")
    firmable = sign.firmable(registro, "IV-2020", "acta", tmp_path / "firmas")
    martinez = _cred(base, "claves", "martinez")
    versiones = (
        bitacora.Version(0, "acta-IV-2020.v00.pdf", "0" * 64, AHORA.isoformat(), None, "", "", ""),
        bitacora.Version(
            1, "acta-IV-2020.v01.pdf", "1" * 64, AHORA.isoformat(), "martinez", martinez.huella, "", ""
        ),
    )
    ledger = bitacora.Bitacora(
        "IV-2020", "acta-IV-2020", 3, firmable.fundamento, firmable.esperados, versiones
    )
    workspace = tmp_path / "firmas/IV-2020"
    workspace.mkdir(parents=True)
    (workspace / bitacora.BITACORA).write_bytes(ledger.json())
    return tmp_path


def test_a_registered_valid_certificate_of_a_trusted_root_is_accepted(base):
    registro = records.load(base / "records")
    for quien in (*FIRMAN_IV_2020, "parra"):
        sign.verificar_certificado(_cred(base, "claves", quien), quien, registro, AHORA)


@pytest.mark.parametrize(
    ("carpeta", "quien", "como", "mensaje"),
    [
        ("claves", "vargas", "martinez", "no es el registrado para Zulema Martínez Sánchez"),
        ("claves", "vargas", "luna", "no es el registrado para .* \\(registrados: ninguno\\)"),
        (
            "vencidas",
            "martinez",
            "martinez",
            "el certificado de Zulema Martínez Sánchez \\(núm\\. .*\\) caducó el",
        ),
        ("futuras", "martinez", "martinez", "es válido a partir del"),
        (
            "ajenas",
            "martinez",
            "martinez",
            "no lleva a las raíces de confianza de .*stl\\.yaml \\(firma\\.raices\\)",
        ),
    ],
    ids=["de-otro-integrante", "sin-registro", "vencido", "aun-no-vigente", "de-otra-raiz"],
)
def test_a_certificate_is_refused_saying_why(base, carpeta, quien, como, mensaje):
    registro = records.load(base / "records")
    with pytest.raises(StlError, match=mensaje):
        sign.verificar_certificado(_cred(base, carpeta, quien), como, registro, AHORA)


def test_validity_is_judged_at_the_moment_given_not_by_the_clock(base):
    registro = records.load(base / "records")
    vencida, futura = _cred(base, "vencidas", "martinez"), _cred(base, "futuras", "martinez")
    sign.verificar_certificado(vencida, "martinez", registro, AHORA - dt.timedelta(days=2 * 365))
    sign.verificar_certificado(futura, "martinez", registro, AHORA + dt.timedelta(days=60))
    with pytest.raises(StlError, match="caducó"):
        sign.verificar_certificado(futura, "martinez", registro, AHORA + dt.timedelta(days=4 * 365))
    with pytest.raises(StlError, match="es válido a partir del"):
        sign.verificar_certificado(vencida, "martinez", registro, AHORA - dt.timedelta(days=5 * 365))


@pytest.fixture
def crl_en_loopback(tmp_path):
    """A root whose CRL, served on 127.0.0.1, revokes one of its two certificates: (stl.yaml's folder, revoked,
    not revoked), both as asn1crypto certificates, as stl reads them."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    class Crl(BaseHTTPRequestHandler):
        cuerpo = b""

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(self.cuerpo)))
            self.end_headers()
            self.wfile.write(self.cuerpo)

        def log_message(self, *args):
            pass

    servidor = ThreadingHTTPServer(("127.0.0.1", 0), Crl)
    url = f"http://127.0.0.1:{servidor.server_port}/raiz.crl"
    nombre = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AC de prueba con CRL")])
    llave = ec.generate_private_key(ec.SECP256R1())
    inicio, fin = AHORA - dt.timedelta(days=1), AHORA + dt.timedelta(days=365)
    raiz = pki_demo.autoridad_raiz(nombre, llave, inicio, fin)
    punto = x509.CRLDistributionPoints(
        [x509.DistributionPoint([x509.UniformResourceIdentifier(url)], None, None, None)]
    )
    hojas = []
    for quien in ("Persona revocada", "Persona vigente"):
        hojas.append(
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, quien)]))
            .issuer_name(nombre)
            .public_key(ec.generate_private_key(ec.SECP256R1()).public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(inicio)
            .not_valid_after(fin)
            .add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
            )
            .add_extension(punto, critical=False)
            .sign(llave, hashes.SHA256())
        )
    revocado = (
        x509.RevokedCertificateBuilder()
        .serial_number(hojas[0].serial_number)
        .revocation_date(AHORA - dt.timedelta(hours=2))
        .build()
    )
    Crl.cuerpo = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(nombre)
        .last_update(AHORA - dt.timedelta(hours=1))
        .next_update(AHORA + dt.timedelta(days=1))
        .add_revoked_certificate(revocado)
        .sign(llave, hashes.SHA256())
        .public_bytes(serialization.Encoding.DER)
    )
    tree = tmp_path / "records"
    shutil.copytree(ROOT / "records", tree)
    (tree / "raiz.pem").write_bytes(raiz.public_bytes(serialization.Encoding.PEM))
    with (tree / "stl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("firma:\n  raices: [raiz.pem]\n")
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    try:
        yield (tree, *(asn1_x509.Certificate.load(h.public_bytes(serialization.Encoding.DER)) for h in hojas))
    finally:
        servidor.shutdown()
        servidor.server_close()


def test_a_certificate_its_authority_revoked_is_refused_as_revoked(crl_en_loopback):
    """The CRL the certificate names is fetched (here from 127.0.0.1) and read: the revoked one is refused saying
    so, its sibling of the same root passes."""
    tree, revocado, vigente = crl_en_loopback
    registro = records.load(tree)
    certificados.revisar_vigencia_y_cadena(vigente, "Persona vigente", registro, AHORA)
    with pytest.raises(StlError) as error:
        certificados.revisar_vigencia_y_cadena(revocado, "Persona revocada", registro, AHORA)
    assert str(error.value) == (
        f"el certificado de Persona revocada (núm. {certificados.identidad(revocado).numero}) está revocado"
    )


def _sin_cambios(copia: Path) -> dict[str, bytes]:
    """What is in the workspace, but the lock file that every signature takes."""
    carpeta = copia / "firmas/IV-2020"
    return {p.name: p.read_bytes() for p in sorted(carpeta.iterdir()) if p.is_file() and p.name != ".bloqueo"}


def test_each_signatory_signs_in_their_own_field(copia):
    """Who signs the acta, in the order of the rubric, each in the field named after them (000 Cap. VI.7)."""
    registro = records.load(copia / "records")
    ledger = bitacora.leer_bitacora(copia / "firmas/IV-2020")
    assert [(e.id, e.campo, e.nombre) for e in ledger.esperados] == [
        (i, f"firma-{i}", registro.stl.integrante(i).nombre) for i in FIRMAN_IV_2020
    ]
    for quien, esperado in zip(FIRMAN_IV_2020[1:], ledger.esperados[1:], strict=True):  # martinez signed
        assert sign._esperado(registro, ledger, quien) == esperado


@pytest.mark.parametrize(
    ("quien", "mensaje"),
    [
        (
            "parra",
            "Luis Gustavo Parra Noriega no firma el acta de IV-2020: no asistió o no firma por su calidad ",
        ),
        ("nadie", "«nadie» no firma el acta de IV-2020"),
        ("martinez", "Zulema Martínez Sánchez ya firmó el acta de IV-2020 (acta-IV-2020.v01.pdf)"),
    ],
    ids=["invitado", "desconocido", "segunda-firma"],
)
def test_who_does_not_sign_or_signed_already_is_refused_before_anything_is_signed(copia, quien, mensaje):
    registro = records.load(copia / "records")
    antes = _sin_cambios(copia)
    cred = _cred(copia, "claves", "parra" if quien == "parra" else "martinez")
    with pytest.raises(StlError) as error:
        sign.firmar(registro, copia / "firmas/IV-2020", quien, cred, AHORA)
    assert str(error.value).startswith(mensaje)
    if quien != "martinez":
        firman = ", ".join(registro.stl.integrante(i).nombre for i in FIRMAN_IV_2020)
        assert str(error.value).endswith(f"(firman: {firman})")
    assert _sin_cambios(copia) == antes


def test_a_stale_version_and_a_certificate_of_someone_else_are_refused(copia):
    registro = records.load(copia / "records")
    workspace = copia / "firmas/IV-2020"
    antes = _sin_cambios(copia)
    with pytest.raises(StlError) as error:
        sign.firmar(registro, workspace, "vargas", _cred(copia, "claves", "vargas"), AHORA, 0)
    assert str(error.value) == (
        "la versión v00 del acta de IV-2020 cambió mientras firmaba (ahora es v01, acta-IV-2020.v01.pdf): vuelva a "
        "firmar; no se firmó nada"
    )
    with pytest.raises(StlError, match="no es el registrado para Javier Vargas Zempoaltecatl"):
        sign.firmar(registro, workspace, "vargas", _cred(copia, "claves", "martinez"), AHORA, 1)
    assert _sin_cambios(copia) == antes


@pytest.mark.lenta
def test_a_registered_member_signs_the_current_version(base, tmp_path):
    """The other side, with a real PDF: the acta prepared and signed, a new version in the ledger."""
    shutil.copytree(base / "records", tmp_path / "records")
    registro = records.load(tmp_path / "records")
    workspace = tmp_path / "firmas/IV-2020"
    sign.preparar(registro, "IV-2020", workspace, _cred(base, "claves", "funes"), AHORA)
    version = sign.firmar(registro, workspace, "martinez", _cred(base, "claves", "martinez"), AHORA, 0)
    assert (version.numero, version.archivo, version.firmante) == (1, "acta-IV-2020.v01.pdf", "martinez")
    assert bitacora.leer_bitacora(workspace).firmados["martinez"] == version  # funes: the certification


def test_the_oficio_is_signed_only_by_whoever_signs_it(copia):
    """The convocatoria oficio: its convener signs it (000 Cap. XI.1), nobody else, whatever their quality."""
    registro = records.load(copia / "records")
    funes = bitacora.Esperado("funes", "Rafael Funes Díaz", "Facilitador", "firma-funes")
    oficio = bitacora.Bitacora("IV-2020", "convocatoria-IV-2020", 1, "oficio", (funes,), (), "convocatoria")
    assert sign._esperado(registro, oficio, "funes") == funes
    with pytest.raises(StlError) as error:
        sign._esperado(registro, oficio, "martinez")
    assert str(error.value) == (
        "Zulema Martínez Sánchez no firma el oficio de convocatoria de IV-2020: no es quien lo firma "
        "(firman: Rafael Funes Díaz)"
    )


def test_the_refusal_of_an_unregistered_certificate_says_which_one_and_which_are_registered(base):
    registro = records.load(base / "records")
    cred = _cred(base, "claves", "vargas")
    registrados = ", ".join(sorted(h[:16] + "…" for h in registro.certificados["martinez"]))
    with pytest.raises(StlError) as error:
        sign.verificar_certificado(cred, "martinez", registro, AHORA)
    assert str(error.value) == (
        f"el certificado con el que firma ({cred.titular}, núm. {cred.serie}, huella {cred.huella[:16]}…) no es el "
        f"registrado para Zulema Martínez Sánchez en {base / 'records/certificados.yaml'} (registrados: {registrados})"
    )


def test_a_certificate_is_valid_from_its_first_second_to_its_last(base):
    """X.509 validity includes both ends (RFC 5280, 4.1.2.5)."""
    registro = records.load(base / "records")
    cred = _cred(base, "claves", "martinez")
    desde, hasta = cred.certificado.not_valid_before, cred.certificado.not_valid_after
    for momento in (desde, hasta):
        sign.verificar_certificado(cred, "martinez", registro, momento)
    for momento, dice in (
        (desde - dt.timedelta(seconds=1), "es válido a partir"),
        (hasta + dt.timedelta(seconds=1), "caducó"),
    ):
        with pytest.raises(StlError, match=dice):
            sign.verificar_certificado(cred, "martinez", registro, momento)


# --- a chain with an issuing CA between the root and the member (as the SAT's e.firma) ----------------------------


def _certificado(sujeto, emisor, llave, llave_emisora, desde, hasta, ca=False, firma_digital=True):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    def nombre(texto):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, texto)])

    uso = x509.KeyUsage(
        firma_digital and not ca, not ca, not firma_digital, False, False, ca, ca, False, False
    )
    return (
        x509.CertificateBuilder()
        .subject_name(nombre(sujeto))
        .issuer_name(nombre(emisor))
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(desde)
        .not_valid_after(hasta)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(uso, critical=True)
        .sign(llave_emisora, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def cadena(tmp_path_factory) -> Path:
    """Records whose stl.yaml trusts only a root; the members' certificates come from an issuing CA under it (or
    from one that expired), in a .p12 that carries that CA, or not; one certificate is not for signing."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    base = tmp_path_factory.mktemp("cadena")
    shutil.copytree(ROOT / "records", base / "records")
    claves = base / "records/ec"
    claves.mkdir()
    dia = dt.timedelta(days=1)
    llave = {
        n: ec.generate_private_key(ec.SECP256R1()) for n in ("raiz", "emisora", "vencida", "m", "v", "c", "f")
    }
    raiz = _certificado(
        "Raíz EC", "Raíz EC", llave["raiz"], llave["raiz"], AHORA - dia, AHORA + 900 * dia, ca=True
    )
    emisora = _certificado(
        "Emisora EC", "Raíz EC", llave["emisora"], llave["raiz"], AHORA - dia, AHORA + 800 * dia, ca=True
    )
    vencida = _certificado(
        "Vencida EC", "Raíz EC", llave["vencida"], llave["raiz"], AHORA - 9 * dia, AHORA - dia, ca=True
    )
    miembros = {  # id: (key, issuer, issuer's key, for signing, the .p12 carries the issuer)
        "martinez": (llave["m"], emisora, llave["emisora"], True, False),
        "vargas": (llave["v"], emisora, llave["emisora"], True, True),
        "cervantes": (llave["c"], vencida, llave["vencida"], True, True),
        "funes": (llave["f"], emisora, llave["emisora"], False, True),
    }
    lineas = ["certificados:"]
    for quien, (clave, ca, llave_ca, firma, con_cadena) in miembros.items():
        nombre_ca = ca.subject.rfc4514_string().removeprefix("CN=")
        cert = _certificado(
            quien, nombre_ca, clave, llave_ca, AHORA - dia, AHORA + 300 * dia, firma_digital=firma
        )
        cifrado = serialization.BestAvailableEncryption(b"demo")
        p12 = pkcs12.serialize_key_and_certificates(
            quien.encode(), clave, cert, [ca] if con_cadena else None, cifrado
        )
        (claves / f"{quien}.p12").write_bytes(p12)
        huella = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
        lineas.append(f"  - integrante: {quien}\n    sha256: {huella}")
    for nombre, cert in (("raiz", raiz), ("emisora", emisora)):
        (claves / f"{nombre}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (base / "records/certificados.yaml").write_text("\n".join(lineas) + "\n", "utf-8")
    with (base / "records/stl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("firma:\n  raices: [ec/raiz.pem]\n")
    return base


def _con_intermedias(cadena: Path, tmp_path: Path) -> Path:
    shutil.copytree(cadena / "records", tmp_path / "records")
    stl = tmp_path / "records/stl.yaml"
    stl.write_text(stl.read_text("utf-8") + "  intermedias: [ec/emisora.pem]\n", "utf-8")
    return tmp_path / "records"


def test_the_issuing_ca_comes_from_stl_yaml_or_from_the_signers_p12(cadena, tmp_path):
    registro = records.load(cadena / "records")
    sign.verificar_certificado(
        _cred(cadena, "ec", "vargas"), "vargas", registro, AHORA
    )  # the .p12 carries it
    with pytest.raises(StlError, match="emitido por Emisora EC, no lleva a las raíces de confianza"):
        sign.verificar_certificado(
            _cred(cadena, "ec", "martinez"), "martinez", registro, AHORA
        )  # it does not
    con_intermedias = records.load(_con_intermedias(cadena, tmp_path))
    sign.verificar_certificado(_cred(cadena, "ec", "martinez"), "martinez", con_intermedias, AHORA)


def test_a_certificate_from_an_expired_ca_or_not_for_signing_is_refused(cadena):
    registro = records.load(cadena / "records")
    with pytest.raises(StlError) as error:
        sign.verificar_certificado(_cred(cadena, "ec", "cervantes"), "cervantes", registro, AHORA)
    assert str(error.value).startswith("el certificado de Daniel Rosemberg Cervantes Pérez (núm. ")
    assert str(error.value).endswith(") no está vigente")  # its own dates are fine; its issuer's are not
    with pytest.raises(
        StlError, match=r"el certificado de Rafael Funes Díaz .* no sirve para firmar: su uso de"
    ):
        sign.verificar_certificado(
            _cred(cadena, "ec", "funes"), "funes", registro, AHORA
        )  # no digital signature


def test_the_issuing_ca_of_stl_yaml_goes_into_the_signers_store(cadena, tmp_path):
    """So that each signature carries its whole chain (a verifier elsewhere has only the root): after the check,
    the credential's store holds the issuing CA that stl.yaml names."""
    registro = records.load(_con_intermedias(cadena, tmp_path))
    cred = _cred(cadena, "ec", "martinez")  # its .p12 does not carry the issuing CA
    antes = {c.subject.human_friendly for c in cred.signer.cert_registry}
    sign.verificar_certificado(cred, "martinez", registro, AHORA)
    despues = {c.subject.human_friendly for c in cred.signer.cert_registry}
    assert "Common Name: Emisora EC" not in antes and "Common Name: Emisora EC" in despues
