"""What the system says went wrong reaches the user in Spanish: the operating system, ssl and smtplib say it in
English («No such file or directory», «[Errno 111] Connection refused», «certificate verify failed»)."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest

from builders import certificado_tls
from pipeline import distribute
from pipeline.errors import StlError
from pipeline.models import Correo
from pipeline.yamlfile import read_yaml

INGLES = ("No such", "Is a directory", "Errno", "refused", "Permission denied", "certificate verify")


def test_a_record_that_cannot_be_read_says_why_in_spanish(tmp_path):
    carpeta = tmp_path / "V-2020.yaml"
    carpeta.mkdir()
    [problema] = read_yaml(carpeta, "sesiones/V-2020.yaml")[2]
    assert problema.mensaje == "no se puede leer el archivo (es una carpeta, no un archivo)"
    [problema] = read_yaml(tmp_path / "no-esta.yaml", "sesiones/no-esta.yaml")[2]
    assert problema.mensaje == "no se puede leer el archivo (no existe)"


def _puerto_cerrado() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nobody listens there


def test_a_mail_server_that_refuses_the_connection_is_said_in_spanish():
    correo = Correo("127.0.0.1", _puerto_cerrado(), "ninguna", "stl@example.org")
    with pytest.raises(StlError) as error:
        distribute._conectar(correo, distribute.Entrega())
    assert str(error.value).startswith(
        f"no se pudo conectar con el servidor de correo 127.0.0.1:{correo.puerto} (el servidor rechazó la "
        "conexión): revise «correo» en stl.yaml"
    )
    assert not any(palabra in str(error.value) for palabra in INGLES)


def test_a_mail_server_with_a_certificate_nobody_trusts_is_said_in_spanish(tmp_path):
    """A TLS server on 127.0.0.1 whose self-made certificate the client does not trust (the system's roots)."""
    servidor_tls, _ = certificado_tls(tmp_path)
    oyente = socket.create_server(("127.0.0.1", 0))

    def atender():
        conexion, _ = oyente.accept()
        with conexion, contextlib.suppress(OSError):
            servidor_tls.wrap_socket(conexion, server_side=True).close()

    hilo = threading.Thread(target=atender, daemon=True)
    hilo.start()
    correo = Correo("127.0.0.1", oyente.getsockname()[1], "ssl", "stl@example.org")
    try:
        with pytest.raises(StlError) as error:
            distribute._conectar(correo, distribute.Entrega())
    finally:
        hilo.join(5)
        oyente.close()
    assert "(su certificado no es válido: es autofirmado)" in str(error.value)
    assert "Errno" not in str(error.value)


def test_a_record_saved_as_windows_1252_names_the_line_and_how_to_save_it(tmp_path):
    """Notepad's «ANSI» on a Spanish Windows: the error points at the first line with an accent, not at byte 57."""
    archivo = tmp_path / "I-2027.yaml"
    archivo.write_bytes("tipo: ordinaria\nnumero: 1\nlugar: Mérida\n".encode("cp1252"))
    [problema] = read_yaml(archivo, "sesiones/I-2027.yaml")[2]
    assert problema.lugar.linea == 3
    assert problema.mensaje.startswith("el archivo no está en UTF-8") and "«UTF-8»" in problema.mensaje
    assert "byte" not in problema.mensaje
