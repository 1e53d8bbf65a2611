"""Distribution by e-mail against a real SMTP server on 127.0.0.1 (aiosmtpd, started by each test).

Each addressee gets one message; attachments are the very PDFs `stl convocatoria` and `stl orden` make; the
invitation parses with `icalendar`; a second run sends nothing; a server that refuses a message part-way leads,
after running again, to exactly one message per addressee. Rescheduling updates the same event (SEQUENCE 1), a
cancellation sends METHOD:CANCEL, a late Zacatecas cancellation is warned about; the acta goes out only signed
unless --sin-firma; --simular writes .eml files, connects to nothing and records nothing.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import email
import hashlib
import json
import re
import shutil
import socket
import subprocess
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import jsonschema
import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from builders import ROOT, aprobar_iv_2020, certificado_tls, firmar_iv_2020, firmar_pendientes
from pipeline import bitacora as ledger
from pipeline import distribute, records
from pipeline.cli import main
from pipeline.errors import RecordsError, StlError

MEXICO = ZoneInfo("America/Mexico_City")
CORREOS = {  # the bundled records: the four signatories have an address, the two invitados none
    "martinez": "presidencia@infoem.example",
    "vargas": "contraloria@edomex.example",
    "cervantes": "sociedad.civil@red-mexiquense.example",
    "funes": "facilitador@stl-edomex.example",
}
CONVOCADOS = ("martinez", "vargas", "cervantes")  # edomex convenes titulares and invitados (000 Cap. IV)
REMITENTE = "stl@prueba.example"


class Buzon:
    """An aiosmtpd handler that keeps every message; it can refuse the n-th one once, then recovers."""

    def __init__(self) -> None:
        self.mensajes: list[tuple[str, list[str], bytes]] = []
        self.intentos = 0
        self.falla: tuple[int, str] | None = None  # (which message, SMTP reply)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.intentos += 1
        if self.falla and self.intentos == self.falla[0]:
            return self.falla[1]
        self.mensajes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 Aceptado"

    def por_destinatario(self) -> collections.Counter:
        return collections.Counter(rcpt for _, rcpts, _ in self.mensajes for rcpt in rcpts)

    def leidos(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(data, policy=policy.default) for _, _, data in self.mensajes]


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def servidor():
    buzon = Buzon()
    controller = Controller(buzon, hostname="127.0.0.1", port=_puerto_libre())
    controller.start()
    try:
        yield buzon, controller.port
    finally:
        controller.stop()


def _correo(root: Path, bloque: str) -> None:
    """Replace the `correo:` section of stl.yaml (the bundled one points at an example server)."""
    path = root / "stl.yaml"
    text, n = re.subn(r"^correo:\n(?:  .*\n)+", bloque, path.read_text("utf-8"), flags=re.M)
    assert n == 1
    path.write_text(text, "utf-8")


@pytest.fixture
def tree(tmp_path: Path, servidor) -> Path:
    """A copy of the bundled records whose `correo:` points at the test server, without TLS."""
    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root, ignore=shutil.ignore_patterns(".*.lock", "envios.yaml"))
    _correo(
        root,
        f"correo:\n  servidor: 127.0.0.1\n  puerto: {servidor[1]}\n  seguridad: ninguna\n  remitente: {REMITENTE}\n",
    )
    return root


def stl(root: Path, *args: str, env: dict | None = None):
    base = root.parent
    opts = ["--registros", str(root), "--salida", str(base / "salida"), "--firmas", str(base / "firmas")]
    return CliRunner().invoke(main, [*opts, *args], env={"STL_SMTP_CONTRASENA": None, **(env or {})})


def _sesion(root: Path, old: str, new: str) -> None:
    path = root / "sesiones/IV-2020.yaml"
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")


def _invitacion(msg) -> tuple[icalendar.Calendar, icalendar.Event, str]:
    """The text/calendar part: the calendar, its one event and the METHOD named in the MIME type."""
    (parte,) = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    calendario = icalendar.Calendar.from_ical(parte.get_content())
    (evento,) = calendario.events
    return calendario, evento, parte.get_param("method")


def _adjuntos(msg) -> dict[str, bytes]:
    return {p.get_filename(): p.get_content() for p in msg.iter_attachments()}


def _log(root: Path) -> list[dict]:
    return yaml.safe_load((root / "envios.yaml").read_text("utf-8"))["envios"]


# --- the convocatoria ------------------------------------------------------------------------------------


def test_each_addressee_gets_the_convocatoria_once_with_the_documents_and_the_invitation(
    tree, servidor, tmp_path
):
    buzon, _ = servidor
    result = stl(tree, "enviar", "convocatoria", "IV-2020")
    assert result.exit_code == 0, result.output

    assert sorted(buzon.por_destinatario().elements()) == sorted(CORREOS[i] for i in CONVOCADOS)
    for nombre in ("Luis Gustavo Parra Noriega (parra)", "José Guadalupe Luna Hernández (luna)"):
        assert f"Advertencia: {nombre} no tiene correo registrado" in result.output

    # The attachments are the documents the project makes, byte for byte.
    otros = tmp_path / "documentos"
    for comando in ("convocatoria", "orden"):
        hecho = CliRunner().invoke(
            main, ["--registros", str(tree), "--salida", str(otros), comando, "IV-2020", "--formato", "pdf"]
        )
        assert hecho.exit_code == 0, hecho.output
    oficio = (otros / "IV-2020/convocatoria-IV-2020.pdf").read_bytes()
    orden = (otros / "IV-2020/orden-del-dia-IV-2020.pdf").read_bytes()

    uids = set()
    for (remitente, rcpts, _), msg in zip(buzon.mensajes, buzon.leidos(), strict=True):
        assert remitente == REMITENTE and msg["To"].addresses[0].addr_spec == rcpts[0]
        assert msg["Subject"].startswith("Convocatoria a la Cuarta Sesión Ordinaria, 3 de noviembre de 2020")
        assert "se le convoca a la Cuarta Sesión Ordinaria" in msg.get_body(("plain",)).get_content()
        adjuntos = _adjuntos(msg)
        assert adjuntos["convocatoria-IV-2020.pdf"] == oficio
        assert adjuntos["orden-del-dia-IV-2020.pdf"] == orden
        calendario, evento, metodo = _invitacion(msg)
        assert metodo == "REQUEST" and calendario["METHOD"] == "REQUEST"
        assert evento.start == dt.datetime(2020, 11, 3, 13, 0, tzinfo=MEXICO)
        assert evento.start.astimezone(dt.UTC) == dt.datetime(2020, 11, 3, 19, 0, tzinfo=dt.UTC)
        assert str(evento.start.tzinfo) == "America/Mexico_City"
        assert [tz.tz_name for tz in calendario.timezones] == ["America/Mexico_City"]
        assert "STL/004/2020" in evento["DESCRIPTION"] and evento["LOCATION"] == "Plataforma virtual Zoom"
        assert evento["SEQUENCE"] == 0 and str(evento["ATTENDEE"]) == f"mailto:{rcpts[0]}"
        assert str(evento["ORGANIZER"]) == f"mailto:{REMITENTE}"
        uids.add(str(evento["UID"]))
    assert uids == {"IV-2020@secretariado-tecnico-local-de-gobierno-abierto-del-estado-de-mexico"}

    # The log: one entry per message, member ids and no address, valid against its published schema.
    entradas = _log(tree)
    assert [(e["integrante"], e["clase"], e["secuencia"]) for e in entradas] == [
        (i, "convocatoria", 0) for i in CONVOCADOS
    ]
    assert {e["mensaje"] for e in entradas} == {m["Message-ID"] for m in buzon.leidos()}
    assert {e["sha256"] for e in entradas} == {hashlib.sha256(oficio).hexdigest()}
    texto = (tree / "envios.yaml").read_text("utf-8")
    # A copy of the records outside the checkout, without esquemas/: no `$schema` path that would not exist.
    assert texto.startswith("# Registro de envíos por correo.") and "$schema" not in texto
    schema = json.loads((ROOT / "pipeline/schemas/envios.schema.json").read_text("utf-8"))
    jsonschema.validate(yaml.safe_load(texto), schema)
    assert len(records.load(tree).envios) == 3
    for direccion in CORREOS.values():
        assert direccion not in texto and direccion not in result.output

    again = stl(tree, "enviar", "convocatoria", "IV-2020")
    assert again.exit_code == 0, again.output
    assert "Se enviaron 0 mensaje(s); 3 ya se habían enviado antes." in again.output
    assert len(buzon.mensajes) == 3 and len(_log(tree)) == 3


@pytest.mark.parametrize(
    ("respuesta", "primera_vez"),
    [
        ("451 4.3.0 Falla temporal del servidor de prueba", 3),  # refused; the others still go
        ("554 5.3.0 Rechazo del servidor de prueba", 3),
        ("421 4.3.2 El servidor de prueba cierra la conexión", 2),  # connection lost: the run stops
    ],
)
def test_a_server_failing_part_way_ends_with_one_message_per_addressee(
    tree, servidor, respuesta, primera_vez
):
    buzon, _ = servidor
    buzon.falla = (3, respuesta)
    stl_yaml = tree / "stl.yaml"  # a fourth addressee, so that a message comes after the refused one
    stl_yaml.write_text(
        stl_yaml.read_text("utf-8").replace(
            "    calidad: invitado\n",
            "    calidad: invitado\n    privado: {correo: parra@infoem.example}\n",
            1,
        ),
        "utf-8",
    )
    destinatarios = {*(CORREOS[i] for i in CONVOCADOS), "parra@infoem.example"}

    first = stl(tree, "enviar", "convocatoria", "IV-2020")
    assert first.exit_code != 0
    assert respuesta.split()[0] in first.output or "se perdió la conexión" in first.output
    assert "vuelva a ejecutar el comando para enviar solo los que faltan" in first.output
    assert len(buzon.mensajes) == primera_vez and len(_log(tree)) == primera_vez, first.output

    second = stl(tree, "enviar", "convocatoria", "IV-2020")
    assert second.exit_code == 0, second.output
    assert buzon.por_destinatario() == collections.Counter(destinatarios)
    assert len(_log(tree)) == 4 and len({e["integrante"] for e in _log(tree)}) == 4

    third = stl(tree, "enviar", "convocatoria", "IV-2020")
    assert third.exit_code == 0 and "Se enviaron 0 mensaje(s); 4 ya se habían enviado antes." in third.output
    assert len(buzon.mensajes) == 4


def test_a_rescheduled_session_sends_an_update_of_the_same_event(tree, servidor):
    buzon, _ = servidor
    assert stl(tree, "enviar", "convocatoria", "IV-2020").exit_code == 0
    _sesion(tree, 'fecha: "2020-11-03"\nhora_inicio: "13:00"', 'fecha: "2020-11-05"\nhora_inicio: "12:00"')

    result = stl(tree, "enviar", "convocatoria", "IV-2020")
    assert result.exit_code == 0, result.output
    primeros, cambios = buzon.leidos()[:3], buzon.leidos()[3:]
    assert len(cambios) == 3 and buzon.por_destinatario() == collections.Counter(
        {CORREOS[i]: 2 for i in CONVOCADOS}
    )
    uid = str(_invitacion(primeros[0])[1]["UID"])
    for msg in cambios:
        _, evento, metodo = _invitacion(msg)
        assert metodo == "REQUEST" and str(evento["UID"]) == uid and evento["SEQUENCE"] == 1
        assert evento.start == dt.datetime(2020, 11, 5, 12, 0, tzinfo=MEXICO)
        assert msg["Subject"].startswith("Cambio en la convocatoria a la Cuarta Sesión Ordinaria")
        cuerpo = msg.get_body(("plain",)).get_content()
        assert "Ahora se celebrará el jueves 5 de noviembre de 2020 a las 12:00 horas" in cuerpo
        assert "Antes: martes 3 de noviembre de 2020 a las 13:00 horas" in cuerpo
    assert [e["clase"] for e in _log(tree)[3:]] == ["actualizacion"] * 3

    assert "Se enviaron 0 mensaje(s)" in stl(tree, "enviar", "convocatoria", "IV-2020").output
    assert len(buzon.mensajes) == 6


def test_a_cancelled_session_sends_method_cancel_to_everyone_invited(tree, servidor):
    buzon, _ = servidor
    assert stl(tree, "enviar", "convocatoria", "IV-2020").exit_code == 0
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            'cancelada: {fecha: "2020-11-01", hora: "10:00", motivo: "Falta de quórum previsible"}\n'
        )

    result = stl(tree, "enviar", "convocatoria", "IV-2020")
    assert result.exit_code == 0, result.output
    assert "horas de anticipación" not in result.output  # the Estado de México sets no such term
    uid = str(_invitacion(buzon.leidos()[0])[1]["UID"])
    for msg in buzon.leidos()[3:]:
        calendario, evento, metodo = _invitacion(msg)
        assert metodo == "CANCEL" and calendario["METHOD"] == "CANCEL" and evento["STATUS"] == "CANCELLED"
        assert str(evento["UID"]) == uid and evento["SEQUENCE"] == 1
        assert msg["Subject"] == "Cancelación de la Cuarta Sesión Ordinaria del 3 de noviembre de 2020"
        assert "Motivo: Falta de quórum previsible" in msg.get_body(("plain",)).get_content()
        assert not any(nombre.endswith(".pdf") for nombre in _adjuntos(msg))
    assert buzon.por_destinatario() == collections.Counter({CORREOS[i]: 2 for i in CONVOCADOS})
    assert [(e["clase"], e["secuencia"]) for e in _log(tree)[3:]] == [("cancelacion", 1)] * 3
    assert "Se enviaron 0 mensaje(s)" in stl(tree, "enviar", "convocatoria", "IV-2020").output


@pytest.mark.parametrize(
    ("cancelada", "ahora", "advierte"),
    [
        (("2020-11-02", "20:00"), dt.datetime(2020, 11, 2, 20, 5, tzinfo=MEXICO), True),  # 17 h ahead
        (("2020-11-01", "10:00"), dt.datetime(2020, 11, 2, 20, 5, tzinfo=MEXICO), True),  # sent late
        (("2020-11-01", "10:00"), dt.datetime(2020, 11, 1, 10, 5, tzinfo=MEXICO), False),
    ],
)
def test_zacatecas_warns_of_a_cancellation_less_than_24_hours_ahead(tree, cancelada, ahora, advierte):
    _correo(tree, "correo:\n  servidor: 127.0.0.1\n  remitente: stl@prueba.example\n")
    stl_yaml = tree / "stl.yaml"
    stl_yaml.write_text(stl_yaml.read_text("utf-8").replace("perfil: edomex", "perfil: zacatecas"), "utf-8")
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f'cancelada: {{fecha: "{cancelada[0]}", hora: "{cancelada[1]}", motivo: "Prueba"}}\n')
    registro = records.load(tree)
    informe = distribute.enviar_convocatoria(
        registro, "IV-2020", tree.parent / "salida", ahora, distribute.Entrega(simular=True)
    )
    assert [e.mensaje.clase for e in informe.entregados] == ["cancelacion"] * 3
    avisos = [a for a in informe.advertencias if "24 horas" in a]
    assert bool(avisos) is advierte
    if advierte:
        (aviso,) = avisos
        assert "el 2 de noviembre de 2020 a las 20:05, 16 horas antes de la sesión" in aviso
        assert "(001, Art. 7.4)" in aviso and "sesiones/IV-2020.yaml" in aviso


# --- the acta --------------------------------------------------------------------------------------------


def _ledger(tree: Path, firmantes: tuple[str, ...]) -> bytes:
    """A signature workspace whose ledger records `firmantes` as signed: what `stl firmar` leaves (the
    signatures themselves are the signing stage's business, tested in test_sign.py)."""
    workspace = tree.parent / "firmas/IV-2020"
    workspace.mkdir(parents=True)
    ids = ("martinez", "vargas", "cervantes", "funes")
    esperados = tuple(ledger.Esperado(i, i.capitalize(), "cargo", f"firma-{i}") for i in ids)
    versiones = []
    for n, firmante in enumerate((None, *firmantes)):
        datos = b"%PDF-1.7\n% acta de IV-2020, version " + str(n).encode()
        archivo = f"acta-IV-2020.v{n:02d}.pdf"
        (workspace / archivo).write_bytes(datos)
        sha = hashlib.sha256(datos).hexdigest()
        versiones.append(
            ledger.Version(n, archivo, sha, "2020-12-01T10:00:00+00:00", firmante, "00", "1", "AC")
        )
    bitacora = ledger.Bitacora("IV-2020", "acta-IV-2020", 12, "prueba", esperados, tuple(versiones))
    (workspace / ledger.BITACORA).write_bytes(bitacora.json())
    return datos


def test_an_unsigned_acta_is_refused_and_nothing_is_sent(tree, servidor):
    buzon, _ = servidor
    result = stl(tree, "enviar", "acta", "IV-2020")
    assert result.exit_code != 0
    assert "el acta de IV-2020 no está firmada" in result.output and "--sin-firma" in result.output
    _ledger(tree, ("martinez", "vargas"))
    partial = stl(tree, "enviar", "acta", "IV-2020")
    assert partial.exit_code != 0
    assert "no tiene todas las firmas: falta la de Cervantes y Funes" in partial.output
    assert buzon.mensajes == [] and not (tree / "envios.yaml").exists()


def test_sin_firma_sends_the_rendered_acta_and_says_so(tree, servidor):
    buzon, _ = servidor
    result = stl(tree, "enviar", "acta", "IV-2020", "--sin-firma")
    assert result.exit_code == 0, result.output
    acta = (tree.parent / "salida/IV-2020/acta-IV-2020.pdf").read_bytes()
    assert buzon.por_destinatario() == collections.Counter(CORREOS.values())  # integrantes, not invitados
    for msg in buzon.leidos():
        assert msg["Subject"] == "Acta sin firmas de la Cuarta Sesión Ordinaria del 3 de noviembre de 2020"
        assert "ESTA COPIA NO LLEVA FIRMAS" in msg.get_body(("plain",)).get_content()
        assert _adjuntos(msg) == {"acta-IV-2020.pdf": acta}
    assert {e["sha256"] for e in _log(tree)} == {hashlib.sha256(acta).hexdigest()}
    assert "Se enviaron 0 mensaje(s); 4" in stl(tree, "enviar", "acta", "IV-2020", "--sin-firma").output


def test_the_signed_acta_is_its_current_version_and_goes_once(tree, servidor):
    buzon, _ = servidor
    actual = firmar_iv_2020(tree)
    result = stl(tree, "enviar", "acta", "IV-2020")
    assert result.exit_code == 0, result.output
    assert buzon.por_destinatario() == collections.Counter(CORREOS.values())
    firmantes = "Zulema Martínez Sánchez, Javier Vargas Zempoaltecatl, Daniel Rosemberg Cervantes Pérez y Rafael Funes Díaz"
    for msg in buzon.leidos():
        assert msg["Subject"] == "Acta firmada de la Cuarta Sesión Ordinaria del 3 de noviembre de 2020"
        assert _adjuntos(msg) == {"acta-IV-2020-firmada.pdf": actual}
        cuerpo = " ".join(msg.get_body(("plain",)).get_content().split())
        assert f"lleva la firma electrónica de {firmantes}" in cuerpo
    assert "Se enviaron 0 mensaje(s); 4" in stl(tree, "enviar", "acta", "IV-2020").output

    (tree.parent / "firmas/IV-2020/acta-IV-2020.v03.pdf").write_bytes(actual + b"%")
    tampered = stl(tree, "enviar", "acta", "IV-2020")
    assert tampered.exit_code != 0 and "no es la versión que registra la bitácora" in tampered.output
    assert len(buzon.mensajes) == 4


def test_an_acta_whose_signatures_do_not_verify_is_not_sent(tree, servidor):
    """The ledger can say «all signed» while the PDF does not verify (here: a byte changed and the ledger
    rewritten to match): nothing goes out."""
    buzon, _ = servidor
    actual = bytearray(firmar_iv_2020(tree))
    actual[actual.index(b"/Type /Page") + 2] = ord("X")
    workspace = tree.parent / "firmas/IV-2020"
    (workspace / "acta-IV-2020.v03.pdf").write_bytes(bytes(actual))
    bitacora = ledger.leer_bitacora(workspace)
    ultima = dataclasses.replace(bitacora.actual, sha256=hashlib.sha256(bytes(actual)).hexdigest())
    (workspace / ledger.BITACORA).write_bytes(
        dataclasses.replace(bitacora, versiones=(*bitacora.versiones[:-1], ultima)).json()
    )
    result = stl(tree, "enviar", "acta", "IV-2020")
    assert result.exit_code != 0
    assert "las firmas del acta de IV-2020 no verifican" in result.output and "no es íntegra" in result.output
    assert buzon.mensajes == [] and not (tree / "envios.yaml").exists()


# --- simulation, TLS and settings ------------------------------------------------------------------------


@pytest.mark.parametrize("simular", [True, False])
def test_a_name_with_a_line_break_is_refused_before_anything_is_sent(tree, servidor, simular):
    """«Zulema\\r\\nBcc: …» would end the «To:» header: refused by the records, one Spanish line, no traceback."""
    buzon, _ = servidor
    stl_yaml = tree / "stl.yaml"
    stl_yaml.write_text(
        stl_yaml.read_text("utf-8").replace(
            "nombre: Zulema Martínez Sánchez", 'nombre: "Zulema Martínez Sánchez\\r\\nBcc: otro@ejemplo.mx"'
        ),
        "utf-8",
    )
    result = stl(tree, "enviar", "convocatoria", "IV-2020", *(["--simular"] if simular else []))
    assert result.exit_code == 1, result.output
    assert "[integrantes[0].nombre]: lleva un retorno de carro (U+000D)" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, ValueError)
    assert buzon.mensajes == [] and not (tree / "envios.yaml").exists()
    assert not (tree.parent / "salida").exists()


def test_simular_writes_eml_files_connects_to_nothing_and_records_nothing(tree):
    with socket.create_server(("127.0.0.1", 0)) as escucha:
        escucha.setblocking(False)
        _correo(
            tree,
            f"correo:\n  servidor: 127.0.0.1\n  puerto: {escucha.getsockname()[1]}\n  remitente: {REMITENTE}\n",
        )
        result = stl(tree, "enviar", "convocatoria", "IV-2020", "--simular")
        assert result.exit_code == 0, result.output
        with pytest.raises(BlockingIOError):
            escucha.accept()  # nobody knocked
    carpeta = tree.parent / "salida/IV-2020/correo"
    assert sorted(p.name for p in carpeta.iterdir()) == [f"convocatoria-{i}.eml" for i in sorted(CONVOCADOS)]
    msg = email.message_from_bytes(
        (carpeta / "convocatoria-martinez.eml").read_bytes(), policy=policy.default
    )
    assert msg["To"].addresses[0].addr_spec == CORREOS["martinez"]
    assert _invitacion(msg)[2] == "REQUEST"
    assert "Simulación: no se conectó con ningún servidor" in result.output
    assert "Luis Gustavo Parra Noriega (parra) no tiene correo registrado" in result.output
    assert not (tree / "envios.yaml").exists() and not (tree / ".envios.lock").exists()


def test_the_platform_link_and_a_malformed_address(tree):
    _sesion(
        tree,
        "  plataforma: Plataforma virtual Zoom\n",
        "  plataforma: Plataforma virtual Zoom\n  enlace: https://zoom.example/j/123\n",
    )
    stl_yaml = tree / "stl.yaml"
    stl_yaml.write_text(
        stl_yaml.read_text("utf-8").replace("correo: contraloria@edomex.example", "correo: contraloria@"),
        "utf-8",
    )
    result = stl(tree, "enviar", "convocatoria", "IV-2020", "--simular")
    assert result.exit_code == 0, result.output
    assert "el correo de Javier Vargas Zempoaltecatl (vargas) no es una dirección válida" in result.output
    eml = tree.parent / "salida/IV-2020/correo/convocatoria-martinez.eml"
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    _, evento, _ = _invitacion(msg)
    assert evento["LOCATION"] == "Plataforma virtual Zoom: https://zoom.example/j/123"
    assert str(evento["URL"]) == "https://zoom.example/j/123"
    assert "Enlace para conectarse: https://zoom.example/j/123" in msg.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    ("sede", "donde", "location"),
    [
        ("plataforma: la plataforma Jitsi", "a través de la plataforma Jitsi", "Plataforma Jitsi"),
        (
            "plataforma: Plataforma virtual Zoom",
            "a través de la Plataforma virtual Zoom",
            "Plataforma virtual Zoom",
        ),
        (
            "plataforma: el canal de YouTube del STL",
            "a través del canal de YouTube del STL",
            "Canal de YouTube del STL",
        ),
        ("plataforma: Zoom", "a través de Zoom", "Zoom"),
    ],
)
def test_the_article_belongs_to_the_wording_not_to_the_venue_typed(tree, sede, donde, location):
    """«la plataforma Jitsi» typed with its article reads once «de la» in the acta, the oficio, the e-mail, and
    as a name in the invitation's LOCATION (it was «a través de la la plataforma» and «LOCATION:la Sala…»)."""
    from pipeline import render, rules

    _sesion(tree, "  plataforma: Plataforma virtual Zoom\n", f"  {sede}\n")
    registro = records.load(tree)
    acta = render.acta(registro, rules.dictaminar(registro, "IV-2020"))
    oficio = render.convocatoria(registro, registro.sesion("IV-2020"), "STL/004/2020")
    textos = " ".join([acta.apertura, *map(str, dataclasses.astuple(oficio))])
    assert donde in textos and "la la " not in textos and "de el " not in textos
    result = stl(tree, "enviar", "convocatoria", "IV-2020", "--simular")
    assert result.exit_code == 0, result.output
    eml = tree.parent / "salida/IV-2020/correo/convocatoria-martinez.eml"
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    _, evento, _ = _invitacion(msg)
    assert evento["LOCATION"] == location
    cuerpo = " ".join(msg.get_body(("plain",)).get_content().split())
    assert donde in cuerpo and "la la " not in cuerpo


def test_a_cancellation_after_the_session_started_is_a_records_error(tree):
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write('cancelada: {fecha: "2020-11-03", hora: "13:30", motivo: "Tarde"}\n')
    with pytest.raises(RecordsError, match=r"\[cancelada.fecha\]: la cancelación es posterior al inicio"):
        records.load(tree)


def test_simular_on_the_bundled_records_as_make_demo_runs_it(tmp_path):
    result = CliRunner().invoke(
        main, ["--salida", str(tmp_path), "enviar", "convocatoria", "IV-2020", "--simular"], env={}
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("sin enviar (simulación)") == 3
    assert "Advertencia: José Guadalupe Luna Hernández (luna) no tiene correo registrado" in result.output
    assert not (ROOT / "records/envios.yaml").exists()


@pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")  # aiosmtpd's own internals
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # it is TLS: implicit
@pytest.mark.parametrize("seguridad", ["starttls", "ssl"])
def test_tls_and_login_with_the_password_from_the_environment(tree, tmp_path, seguridad):
    contexto_servidor, contexto_cliente = certificado_tls(tmp_path)
    buzon, claves = Buzon(), []

    def autenticar(server, session, envelope, mecanismo, datos):
        claves.append(datos.password if isinstance(datos, LoginPassword) else None)
        return AuthResult(success=claves[-1] == b"secreto de prueba", handled=False)  # aiosmtpd replies 535

    tls = {"tls_context": contexto_servidor, "require_starttls": True}
    if seguridad == "ssl":
        # aiosmtpd only counts STARTTLS as TLS for AUTH; here the whole connection is TLS from the start.
        tls = {"ssl_context": contexto_servidor, "auth_require_tls": False}
    controller = Controller(
        buzon,
        hostname="127.0.0.1",
        port=_puerto_libre(),
        authenticator=autenticar,
        auth_required=True,
        **tls,
    )
    controller.start()
    try:
        _correo(
            tree,
            f"correo:\n  servidor: 127.0.0.1\n  puerto: {controller.port}\n  seguridad: {seguridad}\n"
            f"  usuario: stl-prueba\n  remitente: {REMITENTE}\n",
        )
        # Without STL_SMTP_CONTRASENA nothing is sent.
        sin_clave = stl(tree, "enviar", "convocatoria", "IV-2020")
        assert sin_clave.exit_code != 0 and "STL_SMTP_CONTRASENA" in sin_clave.output
        # The CLI trusts the system's authorities only; the stage takes the test's.
        registro = records.load(tree)
        entrega = distribute.Entrega(contrasena="secreto de prueba", contexto_tls=contexto_cliente)
        informe = distribute.enviar_convocatoria(
            registro, "IV-2020", tree.parent / "salida", dt.datetime.now(dt.UTC), entrega
        )
        assert informe.fallas == () and len(informe.entregados) == 3
        assert buzon.por_destinatario() == collections.Counter(CORREOS[i] for i in CONVOCADOS)
        assert claves == [b"secreto de prueba"]
        mala = distribute.Entrega(contrasena="otra", contexto_tls=contexto_cliente)
        with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
            handle.write('cancelada: {fecha: "2020-11-01", hora: "10:00", motivo: "Prueba"}\n')
        with pytest.raises(StlError, match="rechazó el usuario «stl-prueba» o la contraseña"):
            distribute.enviar_convocatoria(
                records.load(tree), "IV-2020", tree.parent / "salida", dt.datetime.now(dt.UTC), mala
            )
    finally:
        controller.stop()


def test_a_real_send_needs_a_correo_section(tree):
    stl_yaml = tree / "stl.yaml"
    stl_yaml.write_text(
        re.sub(r"^correo:\n(?:  .*\n)+", "", stl_yaml.read_text("utf-8"), flags=re.M), "utf-8"
    )
    result = stl(tree, "enviar", "convocatoria", "IV-2020")
    assert result.exit_code != 0 and "stl.yaml no tiene la sección «correo»" in result.output


def test_a_password_in_the_records_is_refused(tree):
    stl_yaml = tree / "stl.yaml"
    stl_yaml.write_text(
        stl_yaml.read_text("utf-8").replace(
            "  seguridad: ninguna\n", "  seguridad: ninguna\n  contrasena: x\n"
        ),
        "utf-8",
    )
    with pytest.raises(RecordsError, match="campo desconocido «contrasena»"):
        records.load(tree)


def test_the_invitation_and_the_message_give_the_convened_hour(tree):
    """`convocatoria.hora` is the hour convened (the oficio, the message and the invitation), not the opening."""
    path = tree / "sesiones/IV-2020.yaml"
    path.write_text(
        path.read_text("utf-8").replace("  convoca: funes\n", '  convoca: funes\n  hora: "12:30"\n'), "utf-8"
    )
    result = stl(tree, "enviar", "convocatoria", "IV-2020", "--simular")
    assert result.exit_code == 0, result.output
    eml = tree.parent / "salida/IV-2020/correo/convocatoria-martinez.eml"
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    _, evento, _ = _invitacion(msg)
    assert evento.decoded("dtstart").time() == dt.time(12, 30)
    assert "a las 12:30 horas (hora de la Ciudad de México)" in msg.get_body(("plain",)).get_content()


# --- the draft, for observations (issue 17) ------------------------------------------------------------------


def test_the_draft_goes_to_the_attendees_marked_and_its_observations_reach_the_approval(tree, servidor):
    """`stl enviar borrador` mails the draft acta, marked on every page, to whoever attended, once per draft;
    the observations recorded afterwards are listed where the approving session words the approval (Edomex's
    practice), and an approved acta is no longer a draft."""
    buzon, _ = servidor
    result = stl(tree, "enviar", "borrador", "IV-2020")
    assert result.exit_code == 0, result.output
    asistentes = yaml.safe_load((tree / "sesiones/IV-2020.yaml").read_text("utf-8"))["asistencia"]
    con_correo = {i: CORREOS[i] for i in asistentes if i in CORREOS}
    assert buzon.por_destinatario() == collections.Counter(con_correo.values())
    (msg, *_) = buzon.leidos()
    assert msg["Subject"] == (
        "Borrador del acta de la Cuarta Sesión Ordinaria del 3 de noviembre de 2020, para sus observaciones"
    )
    assert "para que haga llegar sus observaciones" in msg.get_body(("plain",)).get_content()
    ((nombre, pdf),) = _adjuntos(msg).items()
    assert nombre == "borrador-acta-IV-2020.pdf"
    paginas = (
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode().split("\f")
    )
    assert all("BORRADOR PARA OBSERVACIONES" in p for p in paginas[:-1])
    assert {e["clase"] for e in _log(tree)} == {"borrador"}
    assert (
        "Se enviaron 0 mensaje(s)" in stl(tree, "enviar", "borrador", "IV-2020").output
    )  # the same draft: once

    # The observations, then a later session that approves the acta of IV-2020.
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "observaciones:\n"
            '  - {integrante: cervantes, fecha: "2020-11-10", texto: "Precisar el nombre del eje.", aceptada: true}\n'
            '  - {integrante: martinez, fecha: "2020-11-11", texto: "Agregar la fecha límite.", aceptada: false,\n'
            '     motivo: "no se acordó en la sesión"}\n'
        )
    (tree / "sesiones/V-2020.yaml").write_text(
        'tipo: ordinaria\nnumero: 5\nfecha: "2020-12-15"\nhora_inicio: "13:00"\nhora_cierre: "13:40"\n'
        "modalidad: {tipo: virtual, plataforma: Plataforma virtual Zoom}\n"
        'convocatoria: {fecha: "2020-12-07", convoca: funes}\n'
        "asistencia: [martinez, vargas, cervantes, funes]\n"
        "orden_del_dia:\n  - tipo: quorum\n  - tipo: orden_del_dia\n    acuerdos: [{votacion: unanimidad}]\n"
        "  - tipo: aprobacion_acta\n    sesion: IV-2020\n    acuerdos: [{votacion: unanimidad}]\n"
        "  - tipo: clausura\n",
        "utf-8",
    )
    assert (
        stl(tree, "convocatoria", "V-2020", "--formato", "docx").exit_code == 0
    )  # the acta cites its oficio
    result = stl(tree, "acta", "V-2020", "--formato", "pdf")
    assert result.exit_code == 0, result.output
    texto = " ".join(
        subprocess.run(
            ["pdftotext", str(tree.parent / "salida/V-2020/acta-V-2020.pdf"), "-"], capture_output=True
        )
        .stdout.decode()
        .split()
    )
    assert (
        "Al borrador del acta se recibieron las siguientes observaciones: de Daniel Rosemberg Cervantes Pérez"
        in texto
    )
    assert "«Agregar la fecha límite.», que no se tomó (no se acordó en la sesión)" in texto
    assert "con las observaciones que se tomaron" in texto
    result = stl(tree, "enviar", "borrador", "IV-2020")
    assert result.exit_code == 1 and "ya está aprobada" in result.output


def test_an_observation_refused_without_a_reason_is_a_records_error(tree):
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            'observaciones:\n  - {integrante: cervantes, fecha: "2020-11-10", texto: "Otra.", aceptada: false}\n'
        )
    result = stl(tree, "validar", "IV-2020")
    assert result.exit_code == 1
    assert "sesiones/IV-2020.yaml:" in result.output and "[observaciones[0]]" in result.output
    assert "debe decir por qué («motivo»)" in result.output


# --- the acta for signature, one member at a time ----------------------------------------------------------------


def test_enviar_firma_sends_the_current_version_to_the_next_signatory_with_the_page_link(tree, servidor):
    buzon, _ = servidor
    sin_preparar = stl(tree, "enviar", "firma", "IV-2020")
    assert sin_preparar.exit_code != 0 and "no está preparada para firma" in sin_preparar.output
    actual = _ledger(tree, ("martinez",))
    sha = hashlib.sha256(actual).hexdigest()
    result = stl(tree, "enviar", "firma", "IV-2020")
    assert result.exit_code == 0, result.output
    assert buzon.por_destinatario() == collections.Counter([CORREOS["vargas"]])
    (msg,) = buzon.leidos()
    assert msg["Subject"] == "Para su firma: Acta de la Cuarta Sesión Ordinaria del 3 de noviembre de 2020"
    assert _adjuntos(msg) == {"acta-IV-2020.v01.pdf": actual}
    cuerpo = " ".join(msg.get_body(("plain",)).get_content().split())
    registro = records.load(tree)
    enlace = distribute.enlace_firma(registro, "vargas", sha)
    assert f"abra la página de firma: {enlace}" in cuerpo and f"version={sha}" in enlace
    assert enlace.startswith(f"{registro.stl.sitio.url.rstrip('/')}/firmar/#firmante=vargas&") or (
        not registro.stl.sitio.url and enlace.startswith("firmar/index.html#")
    )
    assert "(ya la firmaron Martinez)" in cuerpo and "acta-IV-2020.v01.firmado-vargas.pdf" in cuerpo
    assert [(e["clase"], e["integrante"], e["sha256"]) for e in _log(tree)] == [("firma", "vargas", sha)]
    jsonschema.validate(
        yaml.safe_load((tree / "envios.yaml").read_text("utf-8")),
        json.loads((ROOT / "pipeline/schemas/envios.schema.json").read_text("utf-8")),
    )
    otra = stl(tree, "enviar", "firma", "IV-2020")  # the same version: not again
    assert (
        "Se enviaron 0 mensaje(s); 1 ya se habían enviado antes." in otra.output and len(buzon.mensajes) == 1
    )


def test_enviar_firma_right_after_preparar_firma_goes_to_the_first_signatory(tree, servidor):
    """Nobody has signed yet: exactly when the first member needs the acta (it was a traceback)."""
    buzon, _ = servidor
    preparada = _ledger(tree, ())
    result = stl(tree, "enviar", "firma", "IV-2020")
    assert result.exit_code == 0 and result.exception is None, result.output
    assert buzon.por_destinatario() == collections.Counter([CORREOS["martinez"]])
    (msg,) = buzon.leidos()
    assert _adjuntos(msg) == {"acta-IV-2020.v00.pdf": preparada}
    cuerpo = " ".join(msg.get_body(("plain",)).get_content().split())
    assert "Le toca firmar el acta" in cuerpo and "ya la firmaron" not in cuerpo


def test_enviar_firma_after_everyone_signed_says_so(tree, servidor):
    buzon, _ = servidor
    _ledger(tree, ("martinez", "vargas", "cervantes", "funes"))
    result = stl(tree, "enviar", "firma", "IV-2020")
    assert result.exit_code != 0
    assert "todos los firmantes ya firmaron el acta de IV-2020" in " ".join(result.output.split())
    assert buzon.mensajes == []


# --- the minuta of a working meeting (RT-…): the same paths as the acta; no convocatoria, no draft ---------------

REUNION = "RT-2020-11-24"
MINUTA = "la minuta de la reunión de trabajo del 24 de noviembre de 2020"


def _sin_traceback(result) -> None:
    """A refusal a person can act on: exit 1 and a Spanish message, never a Python exception (on main, KeyError)."""
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and "KeyError" not in result.output


def _schema() -> dict:
    return json.loads((ROOT / "pipeline/schemas/envios.schema.json").read_text("utf-8"))


def test_the_minuta_of_a_working_meeting_goes_to_each_signatory_in_turn_then_signed_to_each_integrante(
    tree, servidor
):
    """`make demo`'s minuta: prepared by the Facilitador (his certification is his signature), sent to whoever
    signs next with the signing page's link, once per version; signed by all, a copy to each integrante."""
    buzon, _ = servidor
    sin_preparar = stl(tree, "enviar", "firma", REUNION)
    _sin_traceback(sin_preparar)
    assert f"la minuta de {REUNION} no está preparada para firma" in sin_preparar.output

    aprobar_iv_2020(tree)  # the demo PKI of the four, who are also the meeting's attendees
    preparada = stl(
        tree,
        *("--archivo", str(tree.parent / "archivo")),
        *("preparar-firma", REUNION, "--p12", str(tree / "claves/funes.p12")),
        env={"STL_CONTRASENA": "demo"},
    )
    assert preparada.exit_code == 0, preparada.output
    assert f"«stl enviar firma {REUNION}» le envía la versión actual" in preparada.output
    workspace = tree.parent / "firmas" / REUNION
    actual = ledger.leer_bitacora(workspace).actual
    v00 = (workspace / actual.archivo).read_bytes()
    estado = stl(tree, "estado", REUNION)
    assert estado.exit_code == 0 and "Firmas: 1 de 4" in estado.output, estado.output

    simulado = stl(tree, "enviar", "firma", REUNION, "--simular")
    assert simulado.exit_code == 0, simulado.output
    eml = tree.parent / f"salida/{REUNION}/correo/firma-martinez.eml"
    assert eml.is_file() and not (tree / "envios.yaml").exists() and buzon.mensajes == []

    result = stl(tree, "enviar", "firma", REUNION)
    assert result.exit_code == 0, result.output
    assert buzon.por_destinatario() == collections.Counter([CORREOS["martinez"]])
    (msg,) = buzon.leidos()
    assert msg["Subject"] == "Para su firma: Minuta de la reunión de trabajo del 24 de noviembre de 2020"
    assert _adjuntos(msg) == {f"minuta-{REUNION}.v00.pdf": v00}
    cuerpo = " ".join(msg.get_body(("plain",)).get_content().split())
    enlace = distribute.enlace_firma(records.load(tree), "martinez", actual.sha256)
    assert f"Le toca firmar {MINUTA} del Secretariado Técnico Local" in cuerpo
    assert "(ya la firmaron Rafael Funes Díaz)" in cuerpo and f"abra la página de firma: {enlace}" in cuerpo
    assert "«Abra la minuta»" in cuerpo and f"minuta-{REUNION}.v00.firmado-martinez.pdf" in cuerpo
    # Logged with the meeting's id, in a log its schema and the records accept.
    assert [(e["sesion"], e["clase"], e["integrante"], e["sha256"]) for e in _log(tree)] == [
        (REUNION, "firma", "martinez", actual.sha256)
    ]
    jsonschema.validate(yaml.safe_load((tree / "envios.yaml").read_text("utf-8")), _schema())
    assert [e.sesion for e in records.load(tree).envios] == [REUNION]
    otra = stl(tree, "enviar", "firma", REUNION)  # the same version: not again
    assert (
        "Se enviaron 0 mensaje(s); 1 ya se habían enviado antes." in otra.output and len(buzon.mensajes) == 1
    )

    firmada = firmar_pendientes(tree, workspace)
    todos = stl(tree, "enviar", "firma", REUNION)
    _sin_traceback(todos)
    assert f"todos los firmantes ya firmaron la minuta de {REUNION}" in " ".join(todos.output.split())
    assert f"«stl enviar acta {REUNION}»" in " ".join(todos.output.split())
    verificada = stl(tree, "verificar", REUNION)
    assert verificada.exit_code == 0, verificada.output

    copias = stl(tree, "enviar", "acta", REUNION)
    assert copias.exit_code == 0, copias.output
    nuevos = buzon.leidos()[1:]
    assert collections.Counter(m["To"].addresses[0].addr_spec for m in nuevos) == collections.Counter(
        CORREOS.values()
    )
    asistentes = "Zulema Martínez Sánchez, Javier Vargas Zempoaltecatl, Daniel Rosemberg Cervantes Pérez y Rafael Funes Díaz"
    for msg in nuevos:
        assert msg["Subject"] == "Minuta firmada de la reunión de trabajo del 24 de noviembre de 2020"
        assert _adjuntos(msg) == {f"minuta-{REUNION}-firmada.pdf": firmada}
        cuerpo = " ".join(msg.get_body(("plain",)).get_content().split())
        assert "Se le envía copia de la Minuta de la reunión de trabajo del 24 de noviembre de 2020" in cuerpo
        assert f"La minuta adjunta lleva la firma electrónica de {asistentes}" in cuerpo
    assert {(e["sesion"], e["sha256"]) for e in _log(tree) if e["clase"] == "acta"} == {
        (REUNION, hashlib.sha256(firmada).hexdigest())
    }
    jsonschema.validate(yaml.safe_load((tree / "envios.yaml").read_text("utf-8")), _schema())
    assert "Se enviaron 0 mensaje(s); 4" in stl(tree, "enviar", "acta", REUNION).output
    assert len(buzon.mensajes) == 5


def test_the_unsigned_minuta_goes_only_when_asked_to_each_integrante_and_each_attendee(tree, servidor):
    """The mechanisms give a copy of the minuta to each integrante (000 Cap. VI.8; 002 V.8), attendee or not:
    vargas, absent, gets it; parra, a guest who attended (and signs it), too; luna, a guest who did not, not."""
    buzon, _ = servidor
    reunion = tree / f"reuniones/{REUNION}.yaml"
    texto = reunion.read_text("utf-8")
    reunion.write_text(
        texto.replace("[martinez, vargas, cervantes, funes]", "[martinez, cervantes, funes, parra]")
    )
    stl_yaml = tree / "stl.yaml"
    texto = stl_yaml.read_text("utf-8")
    invitado = "    calidad: invitado\n"
    parra = texto.index(invitado, texto.index("- id: parra")) + len(invitado)
    stl_yaml.write_text(
        texto[:parra] + "    privado:\n      correo: parra@infoem.example\n" + texto[parra:], "utf-8"
    )

    sin_firmas = stl(tree, "enviar", "acta", REUNION)
    _sin_traceback(sin_firmas)
    assert f"la minuta de {REUNION} no está firmada" in sin_firmas.output
    assert f"«stl enviar acta {REUNION} --sin-firma»" in " ".join(sin_firmas.output.split())
    assert buzon.mensajes == [] and not (tree / "envios.yaml").exists()

    result = stl(tree, "enviar", "acta", REUNION, "--sin-firma")
    assert result.exit_code == 0, result.output
    assert "luna" not in result.output
    minuta = (tree.parent / f"salida/{REUNION}/minuta-{REUNION}.pdf").read_bytes()
    assert buzon.por_destinatario() == collections.Counter([*CORREOS.values(), "parra@infoem.example"])
    for msg in buzon.leidos():
        assert msg["Subject"] == "Minuta sin firmas de la reunión de trabajo del 24 de noviembre de 2020"
        cuerpo = " ".join(msg.get_body(("plain",)).get_content().split())
        assert "copia de la Minuta de la reunión de trabajo del 24 de noviembre de 2020" in cuerpo
        assert "ESTA COPIA NO LLEVA FIRMAS" in cuerpo
        assert _adjuntos(msg) == {f"minuta-{REUNION}.pdf": minuta}
    assert {(e["sesion"], e["clase"]) for e in _log(tree)} == {(REUNION, "acta")}
    assert "Se enviaron 0 mensaje(s); 5" in stl(tree, "enviar", "acta", REUNION, "--sin-firma").output


@pytest.mark.parametrize("simular", [False, True])
@pytest.mark.parametrize(
    ("que", "dice"),
    [
        ("convocatoria", "no tiene oficio de convocatoria ni invitación que enviar"),
        ("borrador", "su minuta no tiene borrador para observaciones"),
    ],
)
def test_a_working_meeting_has_no_convocatoria_nor_draft_to_send(tree, servidor, que, dice, simular):
    buzon, _ = servidor
    result = stl(tree, "enviar", que, REUNION, *(["--simular"] if simular else []))
    _sin_traceback(result)
    salida = " ".join(result.output.split())
    assert f"Error: {REUNION} es una reunión de trabajo: {dice}" in salida
    assert f"«stl enviar firma {REUNION}»" in salida and f"«stl enviar acta {REUNION}»" in salida
    assert salida.endswith("No se envió nada.")
    assert buzon.mensajes == [] and not (tree / "envios.yaml").exists()
    assert not (tree.parent / "salida").exists()


@pytest.mark.parametrize("comando", ["estado", "verificar"])
def test_estado_and_verificar_of_a_working_meeting_speak_of_its_minuta(tree, comando):
    """Before it is prepared, a Spanish line; asked for a document a meeting does not have, which one it has (on
    main, «prepare the oficio de convocatoria first», which `stl preparar-firma` then refused)."""
    sin_preparar = stl(tree, comando, REUNION)  # verificar says first that stl.yaml names no trusted roots
    _sin_traceback(sin_preparar)
    if comando == "estado":
        assert f"la minuta no está preparada para firma: ejecute primero «stl preparar-firma {REUNION}»" in (
            " ".join(sin_preparar.output.split())
        )
    for documento, nombre in (("convocatoria", "el oficio de convocatoria"), ("acta", "el acta")):
        otro = stl(tree, comando, REUNION, "--documento", documento)
        _sin_traceback(otro)
        assert (
            f"una reunión de trabajo deja una minuta, no {nombre}: «{REUNION}», sin --documento, nombra su minuta"
            in (" ".join(otro.output.split()))
        )


@pytest.mark.parametrize(
    ("sesion", "valido"),
    [
        ("RT-2020-11-24", True),
        ("RT-2020-11-24-2", True),  # a second meeting the same day
        ("IV-2020", True),
        ("RT-24-11-2020", False),
        ("RT-2020-11-24-", False),
        ("reunion del 24", False),
    ],
)
def test_the_log_of_messages_takes_a_working_meetings_id_and_refuses_garbage(tree, sesion, valido):
    (tree / "envios.yaml").write_text(
        "envios:\n"
        f"  - {{sesion: {sesion}, clase: firma, integrante: martinez, mensaje: <a@b.example>, "
        "fecha: '2020-11-25T10:00:00-06:00'}\n",
        "utf-8",
    )
    if valido:
        assert [e.sesion for e in records.load_envios(tree)] == [sesion]
        return
    with pytest.raises(RecordsError) as error:
        records.load_envios(tree)
    texto = str(error.value)
    assert "envios.yaml:2" in texto and "sesion" in texto
    assert "debe ser el ID de una sesión o de una reunión de trabajo, p. ej. IV-2020 o RT-2020-11-24" in texto


# --- a server that misbehaves on purpose: every notice delivered once, and the record says what is known ----------


class BuzonTravieso(Buzon):
    """Keeps every message it accepts; the n-th DATA gets `conducta`: «corta» keeps the message and drops the
    connection before its «250» (SMTP cannot tell the client it arrived), or an SMTP reply (421 also closes)."""

    def __init__(self, n: int, conducta: str) -> None:
        super().__init__()
        self.n, self.conducta = n, conducta

    async def handle_DATA(self, server, session, envelope) -> str:
        import asyncio

        if self.intentos + 1 != self.n:
            return await super().handle_DATA(server, session, envelope)
        self.intentos += 1
        if self.conducta == "corta":
            self.mensajes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            server.transport.close()
            return "250 2.0.0 Aceptado (nadie lo oye)"
        if self.conducta.startswith("421"):
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
        return self.conducta


@pytest.fixture
def travieso(request, tmp_path):
    """The records, with four addressees, pointing at a `BuzonTravieso` for the second message."""
    buzon = BuzonTravieso(2, request.param)
    controller = Controller(buzon, hostname="127.0.0.1", port=_puerto_libre())
    controller.start()
    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root, ignore=shutil.ignore_patterns(".*.lock", "envios.yaml"))
    _correo(
        root,
        f"correo:\n  servidor: 127.0.0.1\n  puerto: {controller.port}\n  seguridad: ninguna\n  remitente: {REMITENTE}\n",
    )
    stl_yaml = root / "stl.yaml"
    stl_yaml.write_text(
        stl_yaml.read_text("utf-8").replace(
            "    calidad: invitado\n",
            "    calidad: invitado\n    privado: {correo: parra@infoem.example}\n",
            1,
        ),
        "utf-8",
    )
    try:
        yield root, buzon
    finally:
        controller.stop()


def _lineas(result) -> str:
    return " ".join(result.output.split())


@pytest.mark.parametrize("travieso", ["corta"], indirect=True)
def test_a_message_dropped_before_its_250_is_recorded_unconfirmed_and_resent_only_when_asked(travieso):
    root, buzon = travieso
    primera = stl(root, "enviar", "convocatoria", "IV-2020")
    assert primera.exit_code == 1, primera.output
    salida = _lineas(primera)
    assert "Enviado sin confirmación a Javier Vargas Zempoaltecatl (vargas)" in salida
    assert "1 mensaje(s) quedaron «enviado sin confirmación»" in salida
    # The two after it were not tried: counted as two, and said so for each.
    assert "no se pudieron enviar 2 mensaje(s)" in salida
    assert salida.count("no se intentó, el servidor cerró la conexión sin responder") == 2
    assert "Connection unexpectedly closed" not in salida
    (vargas,) = [e for e in _log(root) if e["integrante"] == "vargas"]
    assert vargas["estado"] == "sin_confirmacion"
    guardado = {m["To"].addresses[0].addr_spec: m["Message-ID"] for m in buzon.leidos()}
    assert vargas["mensaje"] == guardado[CORREOS["vargas"]]  # the one the server kept
    assert records.load(root).envios  # the log stays valid

    segunda = stl(root, "enviar", "convocatoria", "IV-2020")
    assert segunda.exit_code == 0, segunda.output
    assert "anotado «enviado sin confirmación», no se reenvía sin --reenviar-sin-confirmacion" in _lineas(
        segunda
    )
    assert buzon.por_destinatario()[CORREOS["vargas"]] == 1  # not sent twice
    assert sum(buzon.por_destinatario().values()) == 4

    tercera = stl(root, "enviar", "convocatoria", "IV-2020", "--reenviar-sin-confirmacion")
    assert tercera.exit_code == 0, tercera.output
    assert "Enviado a Javier Vargas Zempoaltecatl (vargas)" in tercera.output
    ids = [m["Message-ID"] for m in buzon.leidos() if m["To"].addresses[0].addr_spec == CORREOS["vargas"]]
    assert len(ids) == 2 and ids[0] == ids[1]  # the same notice, recognisable as such
    assert [e.get("estado") for e in _log(root) if e["integrante"] == "vargas"] == ["sin_confirmacion", None]

    cuarta = stl(root, "enviar", "convocatoria", "IV-2020", "--reenviar-sin-confirmacion")
    assert (
        cuarta.exit_code == 0 and "Se enviaron 0 mensaje(s); 4 ya se habían enviado antes." in cuarta.output
    )


@pytest.mark.parametrize(
    ("travieso", "culpa", "no_intentados"),
    [
        (
            "421 4.3.2 Servicio no disponible, cierro la conexión",
            "el servidor cerró la conexión (421 4.3.2",
            2,
        ),
        ("451 4.3.0 Falla temporal", "el servidor respondió 451 4.3.0 Falla temporal", 0),
        ("550 5.7.1 Buzón rechazado", "el servidor respondió 550 5.7.1 Buzón rechazado", 0),
    ],
    indirect=["travieso"],
)
def test_a_refusal_or_a_421_is_said_in_spanish_counted_once_and_blamed_on_its_own_message(
    travieso, culpa, no_intentados
):
    root, buzon = travieso
    primera = stl(root, "enviar", "convocatoria", "IV-2020")
    assert primera.exit_code == 1, primera.output
    salida = _lineas(primera)
    assert f"Javier Vargas Zempoaltecatl (vargas): {culpa}" in salida
    assert f"no se pudieron enviar {1 + no_intentados} mensaje(s)" in salida
    assert salida.count("no se intentó") == no_intentados
    assert "please run connect() first" not in salida and "Connection unexpectedly closed" not in salida
    assert "quedan" not in salida
    assert [e["integrante"] for e in _log(root)] == [
        i for i in ("martinez", "vargas", "cervantes", "parra") if i != "vargas"
    ][: 1 if no_intentados else 3]

    segunda = stl(root, "enviar", "convocatoria", "IV-2020")
    assert segunda.exit_code == 0, segunda.output
    assert sum(buzon.por_destinatario().values()) == 4 and max(buzon.por_destinatario().values()) == 1


@pytest.mark.parametrize("travieso", ["corta"], indirect=True)
def test_a_minuta_dropped_before_its_250_is_named_as_the_minuta_and_not_sent_again(travieso):
    root, buzon = travieso
    primera = stl(root, "enviar", "acta", REUNION, "--sin-firma")
    assert primera.exit_code == 1 and isinstance(primera.exception, SystemExit), primera.output
    assert "Enviado sin confirmación a Javier Vargas Zempoaltecatl (vargas)" in _lineas(primera)
    (vargas,) = [e for e in _log(root) if e["integrante"] == "vargas"]
    assert (vargas["sesion"], vargas["clase"], vargas["estado"]) == (REUNION, "acta", "sin_confirmacion")
    segunda = stl(root, "enviar", "acta", REUNION, "--sin-firma")
    assert segunda.exit_code == 0, segunda.output
    assert "Javier Vargas Zempoaltecatl (vargas): la minuta, " in _lineas(segunda)
    assert buzon.por_destinatario()[CORREOS["vargas"]] == 1
    assert sum(buzon.por_destinatario().values()) == 4  # the four integrantes; parra, a guest absent, not
