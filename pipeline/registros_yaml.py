"""The registries stl adds to (folios, aprobaciones, certificados, envíos): one entry at a time, structurally.

Takes the records folder, a registry's name and one entry (plain data); gives the registry rewritten with the
entry at the end of its list. The file is parsed keeping its comments, key order and quoting (ruamel.yaml's
round trip), the entry is added to the parsed list, and the new text is read back by the records' own reader
and checked against the registry's schema before it replaces the old file atomically: the list is never extended
by appending text, so `folios: []` written by `stl init`, a file without a final line break or a hand-written
comment after the last entry never turns the registry into YAML that no longer loads.

Each registry has one lock (`candado`), held by whoever reads it to decide what to add: two processes never add
the same folio, approval, certificate or message. `agregar` refuses to write without it.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from . import paquete
from .errors import RecordsError, StlError
from .files import bloqueado, bloqueo, write_atomic
from .yamlfile import read_yaml, schema_problems

__all__ = ["REGISTROS", "agregar", "candado", "entradas", "ida_y_vuelta"]

# name → what its header comment says (after the `$schema` line, when there is one to write).
REGISTROS = {
    "folios": (
        "# Registro de folios de oficios del STL. `stl convocatoria` agrega cada folio que emite; los números de\n"
        "# un año van seguidos, sin repetirse ni saltarse.\n"
    ),
    "aprobaciones": (
        "# Texto aprobado de cada acta: el SHA-256 de su contenido cuando stl vio su aprobación. Lo escribe stl; no se\n"
        "# edita. Un acta cuyo contenido difiera no se prepara para firma: las correcciones van en «fe_de_erratas».\n"
    ),
    "certificados": (
        "# Certificados con que firma cada integrante (huella SHA-256). Lo escribe `stl registrar-certificado`.\n"
    ),
    "envios": (
        "# Registro de envíos por correo. `stl enviar` agrega cada mensaje en cuanto el servidor lo acepta y lo\n"
        "# consulta para no enviar nada dos veces. Nombra a cada integrante por su id, nunca por su dirección.\n"
    ),
}


def _lock(root: Path, nombre: str) -> Path:
    return Path(root) / f".{nombre}.lock"


def candado(root: Path, nombre: str) -> contextlib.AbstractContextManager[None]:
    """The registry's lock, for the whole read-decide-add: `with candado(root, "folios"): …`."""
    return bloqueo(_lock(root, nombre))


def ida_y_vuelta() -> YAML:
    """The round-trip YAML every record stl changes is read and written with (registries here, the console's
    edits in `edicion`): comments, key order and quoting kept, a long text on its line, lists indented as the
    records are written («  - folio: …»)."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _nuevo(root: Path, nombre: str) -> str:
    return paquete.cabecera_esquema(nombre, root) + REGISTROS[nombre] + f"{nombre}: []\n"


def _leido(root: Path, nombre: str, texto: str) -> list:
    """The registry's entries as the records read them; RecordsError (file, line, field) if it does not load."""
    rel = f"{nombre}.yaml"
    datos, lineas, problemas = read_yaml(Path(root) / rel, rel, texto.encode("utf-8"))
    if not problemas and datos is not None:
        problemas = schema_problems(datos, lineas, rel, nombre)
    if problemas:
        raise RecordsError(problemas)
    return [] if datos is None or datos.get(nombre) is None else datos[nombre]


def entradas(root: Path, nombre: str) -> list:
    """The entries of the registry as they are now (read under its lock by whoever adds to it)."""
    path = Path(root) / f"{nombre}.yaml"
    return _leido(root, nombre, path.read_text("utf-8")) if path.is_file() else []


def _en_linea(valor: object) -> object:
    """The entry as ruamel.yaml writes it: a block mapping whose listed mappings take one line each."""
    if isinstance(valor, dict):
        mapa = CommentedMap((k, _en_linea(v)) for k, v in valor.items() if v is not None)
        return mapa
    if isinstance(valor, list | tuple):
        lista = CommentedSeq(_en_linea(v) for v in valor)
        for item in lista:
            if isinstance(item, CommentedMap):
                item.fa.set_flow_style()
        return lista
    if isinstance(valor, str):
        return str(valor)  # not a subclass (an e-mail header), which ruamel.yaml cannot write
    return valor


def _con_entrada(root: Path, nombre: str, texto: str, entrada: dict) -> str:
    yaml = ida_y_vuelta()
    try:
        documento = yaml.load(texto)
    except YAMLError as exc:  # the records' reader said it loads: only ruamel's own limits get here
        raise StlError(f"{Path(root) / nombre}.yaml: no se pudo leer para agregar ({exc})") from exc
    if documento is None:
        documento = yaml.load(_nuevo(root, nombre))
    lista = documento.get(nombre)
    if lista is None:
        lista = documento[nombre] = CommentedSeq()
    lista.fa.set_block_style()  # `folios: []` becomes a block list, one entry after another
    lista.append(_en_linea(entrada))
    salida = io.StringIO()
    yaml.dump(documento, salida)
    return salida.getvalue()


def agregar(root: Path, nombre: str, entrada: dict, repetida: str | None = None) -> bool:
    """Add `entrada` at the end of the registry `nombre` (folios, aprobaciones, certificados, envios) and write it
    atomically, with its comments; the caller holds `candado(root, nombre)`. With `repetida` (a field), an entry
    whose field already has that value is not added again: gives False. Nothing is written if the registry does
    not load now, or if the new text would not read back as exactly the old entries plus this one."""
    root = Path(root)
    if not bloqueado(_lock(root, nombre)):
        raise RuntimeError(f"agregar a {nombre}.yaml sin su candado")  # a programming error, never the user's
    path = root / f"{nombre}.yaml"
    texto = path.read_text("utf-8") if path.is_file() else _nuevo(root, nombre)
    antes = _leido(root, nombre, texto)
    if repetida is not None and any(e.get(repetida) == entrada[repetida] for e in antes):
        return False
    nuevo = _con_entrada(root, nombre, texto, entrada)
    esperado = [*antes, {k: v for k, v in entrada.items() if v is not None}]
    if _leido(root, nombre, nuevo) != esperado:
        raise StlError(
            f"{path}: la entrada nueva no se leería tal como se escribió; no se escribió nada "
            f"({ {k: v for k, v in entrada.items() if v is not None} })"
        )
    write_atomic(root, f"{nombre}.yaml", nuevo.encode("utf-8"))
    return True
