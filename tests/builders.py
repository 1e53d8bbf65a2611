"""Builders of small STLs and sessions as model values, for testing the rules stage on values."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import os
import shutil
import ssl
from pathlib import Path
from typing import NoReturn

import pytest

from pipeline import records
from pipeline.models import (
    Acuerdo,
    Asistente,
    Calidad,
    Convocatoria,
    Integrante,
    Punto,
    Registro,
    Sector,
    Sesion,
    Stl,
    TipoPunto,
    TipoSesion,
    Ubicacion,
    Votacion,
)

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root, in a sandbox without network: no sandbox, no background connections (env/python.md).
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent
AQUI = Ubicacion("prueba.yaml", 1)


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, headless, driven by Playwright with `executable_path` (no browser download), for the
    block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def en_ci() -> bool:
    """Running in continuous integration: `CI` set, as CI services set it (CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def sin_capacidad(motivo: str) -> NoReturn:
    """A guarantee this machine cannot check (no `mount`, not root…): skipped on a developer's machine, a failure in
    CI, where a skip would leave the guarantee unchecked behind a note nobody reads."""
    if en_ci():
        pytest.fail(f"{motivo}; en CI una garantía sin comprobar es una falla, no se omite", pytrace=False)
    pytest.skip(motivo)


# Who signs the acta of IV-2020 (the bundled records), in the order of the rubric.
FIRMANTES = (
    "Zulema Martínez Sánchez",
    "Javier Vargas Zempoaltecatl",
    "Daniel Rosemberg Cervantes Pérez",
    "Rafael Funes Díaz",
)

# Twelve signatories' names, for the documents that must fit more than eight in the rubric (narrow rows) and
# sign in an odd last block: accented capitals, ñ, and the last one long enough to take two lines.
NOMBRES = (
    "Ana Cárdenas Íñiguez",
    "Beatriz Ochoa Ruvalcaba",
    "Carmen Zúñiga Pérez",
    "Dolores Ávila Tostado",
    "Elena Muñoz Aguirre",
    "Fernanda Lozano Gutiérrez",
    "Gabriela Ibáñez Chávez",
    "Hortensia Núñez Robles",
    "Isabel Quiñones Díaz",
    "Josefina Uribe Galindo",
    "Karla Espinosa Villaseñor",
    "María de los Ángeles Covarrubias Santibáñez",
)


def persona(id_: str, sector: str, calidad: str = "titular", **kw) -> Integrante:
    return Integrante(
        id=id_,
        nombre=kw.pop("nombre", id_.capitalize()),
        genero=kw.pop("genero", "f"),
        cargo=kw.pop("cargo", f"Cargo de {id_}"),
        cargo_corto=kw.pop("cargo_corto", f"Cargo de {id_}"),
        sector=Sector(sector),
        calidad=Calidad(calidad),
        lugar=AQUI,
        **kw,
    )


def stl_de(*personas: Integrante, inhabiles=()) -> Stl:
    return Stl(
        nombre="STL de prueba",
        estado="Estado de prueba",
        perfil_id="x",
        organo_garante="Instituto",
        organo_garante_siglas="IT",
        prefijo_folio="STL",
        integrantes=tuple(personas),
        dias_inhabiles=tuple(inhabiles),
        lugar=AQUI,
    )


def votacion(a_favor=None, en_contra=(), abstenciones=(), declarada=None, voto_de_calidad=None) -> Votacion:
    return Votacion(
        AQUI,
        a_favor=tuple(a_favor) if a_favor is not None else None,
        en_contra=tuple(en_contra),
        abstenciones=tuple(abstenciones),
        declarada=declarada,
        voto_de_calidad=voto_de_calidad,
    )


def sesion(
    asistencia,
    votaciones=(),
    tipo=TipoSesion.ORDINARIA,
    fecha=dt.date(2021, 3, 10),
    convocada=dt.date(2021, 3, 1),
) -> Sesion:
    """A session attended by `asistencia` (ids or (id, en_lugar_de)) with one acuerdo per votación."""
    asistentes = tuple(
        Asistente(a, AQUI) if isinstance(a, str) else Asistente(a[0], AQUI, a[1]) for a in asistencia
    )
    acuerdos = tuple(
        Acuerdo(n, f"STL/I/{n}/{fecha.year}", f"asunto {n}", v, AQUI, "asunto")
        for n, v in enumerate(votaciones, 1)
    )
    punto = Punto("asunto", TipoPunto.ASUNTO, AQUI, texto="Asunto", acuerdos=acuerdos)
    return Sesion(
        id="I-2021",
        tipo=tipo,
        numero=1,
        fecha=fecha,
        lugar=AQUI,
        hora_inicio=dt.time(10),
        hora_cierre=dt.time(12),
        convocatoria=Convocatoria("STL/001/2021", convocada, asistentes[0].integrante, AQUI),
        asistencia=asistentes,
        orden_del_dia=(punto,),
    )


def registro_de(stl: Stl, perfil_id: str, *sesiones: Sesion) -> Registro:
    return Registro("memoria", stl, records.load_profile(perfil_id), tuple(sesiones))


FIRMAN_IV_2020 = ("martinez", "vargas", "cervantes", "funes")


def aprobar_iv_2020(tree: Path) -> None:
    """A demo PKI in `tree/claves` (password «demo») with every signatory of IV-2020's certificate registered, its
    root trusted in stl.yaml, and the acta of IV-2020 approved: what `make demo` does before preparing it."""
    import datetime as dt

    from pipeline import pki_demo, records

    registro = records.load(tree)
    huellas = pki_demo.generar(
        tree / "claves",
        [(i, registro.stl.integrante(i).nombre) for i in FIRMAN_IV_2020],
        "demo",
        dt.datetime.now(dt.UTC),
    )
    lines = ["certificados:"] + [f"  - integrante: {i}\n    sha256: {h}" for i, h in huellas.items()]
    (tree / "certificados.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    with (tree / "stl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("firma:\n  raices: [claves/raiz.pem]\n")
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write('aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación de prueba"}\n')


def preparar_iv_2020(tree: Path) -> Path:
    """IV-2020 approved and prepared for signature with a demo PKI (`aprobar_iv_2020`): what `make demo` does
    before the signatures. Gives the workspace."""
    import datetime as dt

    from pipeline import records, sign

    ahora = dt.datetime.now(dt.UTC)
    aprobar_iv_2020(tree)
    registro = records.load(tree)
    workspace = tree.parent / "firmas/IV-2020"
    sign.preparar(
        registro, "IV-2020", workspace, sign.credencial_p12(tree / "claves/funes.p12", "demo"), ahora
    )
    return workspace


def firmar_iv_2020(tree: Path) -> bytes:
    """IV-2020 really signed by its four signatories with a demo PKI (in-process, no TSA): what
    `make demo` does (the Facilitador's certification is his signature, then the other three sign). Gives the
    bytes of the final version."""
    return firmar_pendientes(tree, preparar_iv_2020(tree))


def firmar_pendientes(tree: Path, workspace: Path) -> bytes:
    """Every signatory still missing signs the document prepared in `workspace`, in order, with their demo
    credential (`tree/claves/ID.p12`, password «demo»). Gives the bytes of the final version."""
    import datetime as dt

    from pipeline import records, sign
    from pipeline.bitacora import leer_bitacora

    registro = records.load(tree)
    ahora = dt.datetime.now(dt.UTC)
    while (siguiente := leer_bitacora(workspace).siguiente) is not None:
        i = siguiente.id
        sign.firmar(registro, workspace, i, sign.credencial_p12(tree / f"claves/{i}.p12", "demo"), ahora)
    return (workspace / leer_bitacora(workspace).actual.archivo).read_bytes()


def llenar_stl(carpeta: Path) -> None:
    """Fill what `stl init` left «POR LLENAR» in CARPETA/stl.yaml, as a person would: names, gender, cargos."""
    import re

    path = carpeta / "stl.yaml"
    texto = path.read_text("utf-8")
    nombres = iter(NOMBRES)
    texto = re.sub(r'nombre: "POR LLENAR"', lambda _: f'nombre: "{next(nombres)}"', texto)
    texto = texto.replace('genero: "POR LLENAR (f o m)"', "genero: f").replace(
        'cargo: "POR LLENAR: ', 'cargo: "'
    )
    texto = texto.replace("de POR LLENAR", "de Ejemplo").replace(
        '"POR LLENAR (p. ej. Jalisco, Estado de México)"', "Ejemplo"
    )
    texto = texto.replace('"POR LLENAR (ciudad donde se emiten los oficios)"', "Ciudad Ejemplo")
    texto = texto.replace(
        '"POR LLENAR (nombre del instituto de transparencia)"', '"Instituto de Transparencia de Ejemplo"'
    )
    texto = texto.replace('siglas: "POR LLENAR"', "siglas: ITE")
    assert not [linea for linea in texto.splitlines() if "POR LLENAR" in linea.split("#")[0]], texto
    path.write_text(texto, "utf-8")


def celebrar(carpeta: Path, sesion: str, hora_cierre: str = "11:30") -> None:
    """Mark a session written by `stl nueva-sesion` as held: closing time, everyone it lists attended, and the
    approvals it lists (the agenda, the previous acta) voted unanimously."""
    path = carpeta / "sesiones" / f"{sesion}.yaml"
    texto = path.read_text("utf-8").replace('# hora_cierre: "HH:MM"', f'hora_cierre: "{hora_cierre}"')
    texto = texto.replace("# asistencia: [", "asistencia: [").replace("    # acuerdos: [", "    acuerdos: [")
    path.write_text(texto, "utf-8")


def stl_ok(base: Path, *args: str) -> str:
    """`stl ARGS` on the records in `base/records`, with its signatures, archive and output beside them (the demo
    PKI's password «demo»); asserts it succeeded and gives what it printed."""
    from click.testing import CliRunner

    from pipeline.cli import main

    carpetas = ["--registros", f"{base}/records", "--firmas", f"{base}/firmas"]
    carpetas += ["--archivo", f"{base}/archivo", "--salida", f"{base}/salida"]
    result = CliRunner().invoke(main, [*carpetas, *args], env={"STL_CONTRASENA": "demo"})
    assert result.exit_code == 0, result.output
    return result.output


def certificado_tls(carpeta: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1: the server's TLS context and a client context trusting it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    llave = ec.generate_private_key(ec.SECP256R1())
    nombre = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    ahora = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(nombre)
        .issuer_name(nombre)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - dt.timedelta(hours=1))
        .not_valid_after(ahora + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(llave, hashes.SHA256())
    )
    (carpeta / "smtp.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (carpeta / "smtp.key").write_bytes(
        llave.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    servidor = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    servidor.load_cert_chain(carpeta / "smtp.pem", carpeta / "smtp.key")
    return servidor, ssl.create_default_context(cafile=str(carpeta / "smtp.pem"))
