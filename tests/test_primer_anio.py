"""A new STL's whole first year, as a Facilitador of a state the project has never seen lives it.

The wheel is built and installed with its dependencies in a fresh venv (pip, as a user installs it), and only that
`stl` runs, in a folder outside the checkout. The state (Oaxaca) has no bundled profile: the test writes its own,
starting from `stl perfil jalisco`. Then four ordinary sessions, one extraordinary and one working meeting, each
through every command the year brings: `nueva-sesion` → `convocatoria` → `enviar convocatoria` (aiosmtpd on
127.0.0.1) → `validar` → `acta` → approval at the next session → `preparar-firma` → `enviar firma` from the first
signatory on → every member signs (two SAT-structured e.firma, one PKCS#12; the last one on a copy, brought back
with `incorporar`) → `verificar` → `archivar` → `publicar`. Every step exits 0 and, after every step, every record
is valid YAML and every registry valid against its schema.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from aiosmtpd.controller import Controller

from builders import NOMBRES
from pipeline import records
from pipeline.business_days import Calendario

pytestmark = pytest.mark.primer_anio

CONTRASENA_P12 = "clave-de-prueba"
ASIENTOS = [
    {
        "id": "organo-garante",
        "sector": "organo_garante",
        "calidad": "titular",
        "cargo": "Comisionada Presidenta del Órgano Garante de Transparencia de Oaxaca",
        "representacion": "Representante del Órgano Garante",
        "preside": True,
    },
    {
        "id": "gobierno",
        "sector": "poder_ejecutivo",
        "calidad": "titular",
        "cargo": "Secretario de Honestidad, Transparencia y Función Pública",
    },
    {
        "id": "sociedad-civil",
        "sector": "sociedad_civil",
        "calidad": "titular",
        "cargo": "Representante de la Sociedad Civil",
    },
]
# Who each seat is and how they sign: the SAT-structured e.firma of tests/pki.py (its names), and a PKCS#12.
PERSONAS = {
    "organo-garante": ("Zulema Martínez Sánchez", "f", "sat:martinez"),
    "gobierno": ("Javier Vargas Zempoaltecatl", "m", "sat:vargas"),
    "sociedad-civil": (NOMBRES[0], "f", "p12"),
}


@pytest.fixture(scope="session")
def instalado(rueda, tmp_path_factory) -> Path:
    """A fresh venv (no system site-packages, no checkout on its path) with the wheel and its dependencies, as
    pip installs them from the registry: the dependency metadata is tested too."""
    carpeta = tmp_path_factory.mktemp("instalado") / "v"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(carpeta)], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(carpeta / "bin/python"), "install", "-q"]
    hecho = subprocess.run([*pip, str(rueda)], capture_output=True, text=True, timeout=600)
    assert hecho.returncode == 0, hecho.stderr
    return carpeta


class Buzon:
    def __init__(self) -> None:
        self.destinatarios: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.destinatarios.append(list(envelope.rcpt_tos))
        return "250 2.0.0 Aceptado"


def _habil(dia: dt.date, calendario: Calendario) -> dt.date:
    while not calendario.es_habil(dia):
        dia += dt.timedelta(days=1)
    return dia


class Anio:
    """The STL's folder and the installed `stl`, run as a subprocess; every step checked."""

    def __init__(self, venv: Path, trabajo: Path, puerto: int) -> None:
        self.venv, self.trabajo, self.registros = venv, trabajo, trabajo / "registros"
        self.puerto = puerto
        self.env = {
            "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
            "HOME": str(trabajo / "casa"),
            "LANG": "C.UTF-8",
            "STL_REGISTROS": str(self.registros),
            "STL_SALIDA": str(trabajo / "salida"),
            "STL_FIRMAS": str(trabajo / "firmas"),
            "STL_ARCHIVO": str(trabajo / "archivo"),
            "STL_SITIO": str(trabajo / "sitio"),
        }
        self.pasos = 0
        self.tiempos: list[tuple[float, str]] = []
        self.lleno = False  # stl.yaml as `stl init` leaves it is refused until filled: by design

    def __call__(self, *args: str, **env: str) -> str:
        inicio = time.monotonic()
        hecho = subprocess.run(
            ["stl", *args],
            cwd=self.trabajo,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        salida = hecho.stdout + hecho.stderr
        assert hecho.returncode == 0, f"stl {' '.join(args)}\n{salida}"
        assert "Traceback" not in salida, salida
        self.pasos += 1
        self.tiempos.append((time.monotonic() - inicio, args[0]))
        if (self.registros / "stl.yaml").is_file():
            self.revisar_registros()
        return salida

    def revisar_registros(self) -> None:
        """Every record parses; each one with a schema copied by `stl init` is valid against it; and the whole
        tree loads as the records stage reads it."""
        esquemas = {
            p.name.removesuffix(".schema.json"): p for p in (self.registros / "esquemas").glob("*.json")
        }
        validadores = {
            n: jsonschema.Draft202012Validator(yaml.safe_load(p.read_text("utf-8")))
            for n, p in esquemas.items()
        }
        for path in self.registros.rglob("*.yaml"):
            datos = yaml.safe_load(path.read_text("utf-8"))
            carpeta = path.parent.name
            nombre = {"sesiones": "sesion", "reuniones": "reunion", "perfiles": "perfil"}.get(
                carpeta, path.stem
            )
            if nombre in validadores and (self.lleno or nombre != "stl"):
                validadores[nombre].validate(datos)
        if self.lleno:
            records.load(self.registros)

    def editar(self, rel: str, cambiar) -> None:
        path = self.registros / rel
        path.write_text(cambiar(path.read_text("utf-8")), "utf-8")


def _perfil(anio: Anio) -> Path:
    """Oaxaca's profile, written from the commented start `stl perfil jalisco` prints."""
    datos = yaml.safe_load(anio("perfil", "jalisco"))
    datos.update(
        id="oaxaca",
        nombre="Lineamientos del Secretariado Técnico Local de Gobierno Abierto de Oaxaca",
        fuente="aprobados en la sesión de instalación del Secretariado, el 3 de marzo de 2021",
    )
    datos["aviso"] = {"ordinaria": 5, "extraordinaria": 2, "cita": "Art. 12"}
    datos["frecuencia"] = {"sesiones_meses": 3, "reuniones_meses": 3, "cita": "Art. 10"}
    datos["convoca"] = {
        "calidad": "organo_garante",
        "destinatarios": ["titular"],
        "cita": "Art. 11, fracc. I",
    }
    datos["integracion"] = {"cita": "Art. 4", "asientos": ASIENTOS}
    path = anio.trabajo / "oaxaca.yaml"
    path.write_text(yaml.safe_dump(datos, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _llenar(anio: Anio, claves: Path, pki: dict[str, str]) -> None:
    """What the Facilitador fills in stl.yaml after `stl init`: names, addresses, mail server, trusted roots."""
    stl = yaml.safe_load((anio.registros / "stl.yaml").read_text("utf-8"))
    stl.update(
        nombre="Secretariado Técnico Local de Gobierno Abierto de Oaxaca",
        estado="Oaxaca",
        ciudad="Oaxaca de Juárez",
        organo_garante={
            "nombre": "Órgano Garante de Acceso a la Información Pública de Oaxaca",
            "siglas": "OGAIPO",
        },
        correo={
            "servidor": "127.0.0.1",
            "puerto": anio.puerto,
            "seguridad": "ninguna",
            "remitente": "stl@oaxaca.example",
        },
        firma={
            "raices": ["confianza/sat-raiz.pem", "confianza/raiz.pem"],
            "intermedias": ["confianza/sat-emisora.pem"],
        },
        sitio={"url": "https://gobiernoabierto.oaxaca.example"},
    )
    for persona in stl["integrantes"]:
        nombre, genero, _ = PERSONAS[persona["id"]]
        persona.update(nombre=nombre, genero=genero, cargo=persona["cargo"].removeprefix("POR LLENAR: "))
        persona["privado"] = {"correo": f"{persona['id']}@oaxaca.example"}
    texto = (anio.registros / "stl.yaml").read_text("utf-8").split("\nnombre:")[0]  # its header comments
    (anio.registros / "stl.yaml").write_text(
        texto + "\n" + yaml.safe_dump(stl, allow_unicode=True, sort_keys=False), "utf-8"
    )
    shutil.copytree(claves / "confianza", anio.registros / "confianza")
    anio.lleno = True
    for persona, como in pki.items():
        anio("registrar-certificado", persona, como)


def _credencial(claves: Path, sat, persona: str) -> tuple[list[str], dict[str, str]]:
    medio = PERSONAS[persona][2]
    if medio == "p12":
        return ["--p12", str(claves / f"{persona}.p12")], {"STL_CONTRASENA": CONTRASENA_P12}
    cred = sat.credenciales[medio.removeprefix("sat:")]
    return ["--cer", str(cred.cer), "--key", str(cred.key)], {"STL_CONTRASENA": cred.password}


def _firmar_todos(anio: Anio, claves: Path, sat, objetivo: str, enviar: bool) -> None:
    """From preparar-firma to the last signature, in the order of the rubric: the next signatory gets the acta by
    e-mail (`enviar firma`, from the first one on) and signs it; the last one signs a copy on their own machine,
    which `incorporar` brings back."""
    args, env = _credencial(claves, sat, "organo-garante")
    salida = anio("preparar-firma", objetivo, *args, **env)
    por_nombre = {nombre: persona for persona, (nombre, _, _) in PERSONAS.items()}
    esperados = re.search(r"Firmantes esperados: (.*)", salida).group(1).split(", ")
    assert set(esperados) <= set(por_nombre), esperados
    # Who prepares with their registered certificate has signed already: the certification is their signature.
    certifica = re.search(r"La certificación es la firma de (.*?) \(", salida)
    esperados = [e for e in esperados if not certifica or e != certifica.group(1)]
    for n, persona in enumerate(por_nombre[e] for e in esperados):
        if enviar:
            enviado = anio("enviar", "firma", objetivo)
            assert f"({persona}):" in enviado and "Se enviaron 1 mensaje(s)" in enviado, enviado
        args, env = _credencial(claves, sat, persona)
        if n < len(esperados) - 1:
            anio("firmar", objetivo, "--firmante", persona, *args, **env)
            continue
        actual = sorted((anio.trabajo / "firmas" / objetivo).glob("*.v*.pdf"))[-1]
        copia = anio.trabajo / f"copia-{objetivo}.pdf"
        shutil.copyfile(actual, copia)
        firmada = anio.trabajo / f"copia-{objetivo}.firmado-{persona}.pdf"
        anio("firmar", str(copia), "--firmante", persona, *args, "--salida-firmada", str(firmada), **env)
        assert "Firmaron todos" in anio("incorporar", objetivo, str(firmada))
    anio("archivar", objetivo)  # it verifies every signature first


def _celebrar(anio: Anio, sesion: str, ausente: str | None = None) -> None:
    """The session was held: closing time, attendance as nueva-sesion listed it (but `ausente`), and the previous
    acta approved."""

    def celebrada(texto: str) -> str:
        texto = texto.replace('# hora_cierre: "HH:MM"', 'hora_cierre: "11:30"').replace(
            "# asistencia: [", "asistencia: ["
        )
        if ausente:
            texto = re.sub(rf"(asistencia: \[.*?)\b{ausente}, |, {ausente}\b", r"\1", texto)
        # the agenda and the previous acta, approved: the line nueva-sesion leaves to uncomment
        return texto.replace("    # acuerdos: [", "    acuerdos: [")

    anio.editar(f"sesiones/{sesion}.yaml", celebrada)


def test_a_new_stl_from_the_installed_wheel_through_its_whole_first_year(instalado, tmp_path, sat):
    from pipeline import pki_demo

    trabajo = tmp_path / "oaxaca"
    (trabajo / "casa").mkdir(parents=True)
    buzon = Buzon()
    with socket.socket() as libre:
        libre.bind(("127.0.0.1", 0))
        puerto = libre.getsockname()[1]
    servidor = Controller(buzon, hostname="127.0.0.1", port=puerto)
    servidor.start()
    try:
        anio = Anio(instalado, trabajo, puerto)
        _anio_completo(anio, trabajo, sat, pki_demo)
    finally:
        servidor.stop()
    # Two titulares convened five times (the third convenes); each acta sent to each signatory in turn but the
    # one who prepares it, whose certification is their signature (one at the extraordinary session, which the
    # government's member missed).
    assert sum(len(d) for d in buzon.destinatarios) == 5 * 2 + 4 * 2 + 1
    sitio = trabajo / "sitio"
    for pagina in ("index.html", "pagefind/pagefind.js"):
        assert (sitio / pagina).exists(), pagina
    manifiesto = (trabajo / "archivo/manifiesto.json").read_text("utf-8")
    assert manifiesto.count('"firmado": true') >= 6


def _anio_completo(anio: Anio, trabajo: Path, sat, pki_demo) -> None:
    claves = trabajo.parent / "claves"  # private keys: never inside the records folder
    ahora = dt.datetime.now(dt.UTC)
    huellas = pki_demo.generar(
        claves, [("sociedad-civil", PERSONAS["sociedad-civil"][0])], CONTRASENA_P12, ahora
    )
    assert huellas
    (claves / "confianza").mkdir()
    shutil.copyfile(claves / "raiz.pem", claves / "confianza/raiz.pem")
    shutil.copyfile(sat.raiz_pem, claves / "confianza/sat-raiz.pem")
    shutil.copyfile(sat.emisora_pem, claves / "confianza/sat-emisora.pem")

    anio("init", "registros", "--perfil", str(_perfil(anio)))
    pki = {
        "organo-garante": str(sat.credenciales["martinez"].cer),
        "gobierno": str(sat.credenciales["vargas"].cer),
    }
    pki["sociedad-civil"] = str(claves / "sociedad-civil.cer")
    _llenar(anio, claves, pki)

    year = ahora.year - 1  # a year already lived: every date is in the past of the signatures
    calendario = Calendario.de(())
    fechas = {
        "I": _habil(dt.date(year, 2, 10), calendario),
        "II": _habil(dt.date(year, 4, 14), calendario),
        "EXT-I": _habil(dt.date(year, 5, 20), calendario),
        "III": _habil(dt.date(year, 6, 16), calendario),
        "IV": _habil(dt.date(year, 9, 15), calendario),
    }
    anterior = None
    for clave, fecha in fechas.items():
        sesion = f"{clave}-{year}"
        extra = ["--extraordinaria"] if clave.startswith("EXT") else []
        sede = (
            ["--modalidad", "presencial", "--sede", "la Sala de Plenos del OGAIPO"] if clave == "III" else []
        )
        anio("nueva-sesion", sesion, "--fecha", fecha.isoformat(), "--hora", "10:00", *extra, *sede)
        assert "Folio STL/" in anio("convocatoria", sesion)
        enviada = anio("enviar", "convocatoria", sesion)
        assert "Se enviaron 2 mensaje(s)" in enviada, enviada  # the titulares but the one who convenes
        anio("validar", sesion)
        _celebrar(anio, sesion, ausente="gobierno" if clave.startswith("EXT") else None)
        anio("validar", sesion, "--estricto")
        anio("acta", sesion)
        if anterior:  # its acta was approved in this session: now it is signed, archived and published
            _firmar_todos(anio, claves, sat, anterior, enviar=True)
            anio("publicar", "--sin-busqueda")
        if clave == "III":
            reunion_fecha = _habil(fecha + dt.timedelta(days=21), calendario)
            anio(
                "nueva-reunion",
                "--fecha",
                reunion_fecha.isoformat(),
                "--hora",
                "12:00",
                "--asunto",
                "Plan de Acción Local",
            )
            reunion = f"RT-{reunion_fecha.isoformat()}"
            anio("minuta", reunion)
            _firmar_todos(anio, claves, sat, reunion, enviar=False)
            anio("publicar", "--sin-busqueda")
        anterior = sesion
    # The last acta of the year is approved at the first session of the next one: recorded in its own record.
    anio.editar(
        f"sesiones/{anterior}.yaml",
        lambda t: (
            t
            + f'aprobacion: {{fecha: "{year + 1}-02-09", fundamento: "Primera Sesión Ordinaria de {year + 1}"}}\n'
        ),
    )
    anio("acta", anterior)
    _firmar_todos(anio, claves, sat, anterior, enviar=True)
    anio("verificar", anterior)
    anio("publicar")
    assert [f.folio for f in records.load(anio.registros).folios] == [
        f"STL/{n:03d}/{year}" for n in range(1, 6)
    ]
    assert anio.pasos > 80
    for nombre in (
        "folios",
        "certificados",
        "aprobaciones",
        "envios",
    ):  # each names the copy init left, relatively
        primera = (anio.registros / f"{nombre}.yaml").read_text("utf-8").splitlines()[0]
        assert primera == f"# yaml-language-server: $schema=esquemas/{nombre}.schema.json", primera
    if os.environ.get("STL_TIEMPOS"):
        por = {}
        for t, c in anio.tiempos:
            por.setdefault(c, []).append(t)
        for c, ts in sorted(por.items(), key=lambda x: -sum(x[1])):
            print(f"{c:24} {len(ts):3} {sum(ts):7.1f} s")
    assert os.path.commonpath([anio.registros, Path(__file__).parent]) != str(Path(__file__).parent)
