"""Governance profiles a new STL starts from: a bundled one printed with its fields explained, and a profile of
one's own checked before `stl init` copies it.

Takes a profile's name or the path of the user's file; gives YAML text or a `Perfil`. The comments come from
perfil.schema.json (each field's description and the values it admits), so they never drift from what the records
accept. Nothing is written here.
"""

from __future__ import annotations

import json
import re
import textwrap
from importlib import resources
from pathlib import Path

from . import records
from .errors import StlError
from .models import Perfil

__all__ = ["comentado", "para_init"]


def _esquema() -> dict:
    return json.loads(
        resources.files("pipeline").joinpath("schemas", "perfil.schema.json").read_text("utf-8")
    )


def _opciones(campo: dict) -> str | None:
    opciones = campo.get("enum") or campo.get("items", {}).get("enum")
    if opciones:
        lista = "lista de " if "items" in campo else ""
        return lista + " | ".join("null" if o is None else str(o) for o in opciones)
    return "true | false" if campo.get("type") == "boolean" else None


def _valores(clave: str, propiedad: dict, esquema: dict) -> list[str]:
    """«regla: siempre | en_suplencia | …» for each field of `propiedad` that admits only some values."""
    if clave == "voto":
        return [f"regla de cada calidad: {_opciones(esquema['$defs']['voto']['properties']['regla'])}"]
    lineas = []
    for nombre, campo in propiedad.get("properties", {}).items():
        if texto := _opciones(campo):
            lineas.append(f"{nombre}: {texto}")
        for sub, interior in campo.get("items", {}).get("properties", {}).items():
            if texto := _opciones(interior):
                lineas.append(f"{nombre}[].{sub}: {texto}")
    return lineas


def _comentario(clave: str, esquema: dict) -> list[str]:
    propiedad = esquema["properties"].get(clave, {})
    lineas = [propiedad["description"]] if "description" in propiedad else []
    if "x-mensaje" in propiedad:
        lineas.append(
            f"  Un «{clave}» que {propiedad['x-mensaje'].removeprefix('no sirve como id de un perfil: ')}."
        )
    if texto := _opciones(propiedad):
        lineas.append(f"  {texto}")
    lineas += [f"  {v}" for v in _valores(clave, propiedad, esquema)]
    if "$ref" in propiedad:
        lineas.append("  cita: el artículo del documento que lo dice («Art. 7.3», «Cap. VI.2», «V.6»)")
    return [
        f"# {parte}"
        for linea in lineas
        for parte in textwrap.wrap(linea, 108, subsequent_indent="    " if linea.startswith("  ") else "  ")
    ]


def comentado(perfil_id: str) -> str:
    """The bundled profile `perfil_id` as the start of one's own: every field explained in Spanish above it."""
    incluidos = records.available_profiles(None)
    if perfil_id not in incluidos:
        raise StlError(f"no hay un perfil incluido «{perfil_id}»; los incluidos son: {', '.join(incluidos)}")
    texto = records._perfiles().joinpath(f"{perfil_id}.yaml").read_text("utf-8")
    esquema = _esquema()
    cabecera = [
        f"# Perfil de gobernanza para empezar el de su STL, tomado del incluido «{perfil_id}» (stl perfil {perfil_id}).",
        "# Cambie «id» (el nombre corto de su perfil), «nombre» y «fuente» (la cita del documento de gobernanza de su",
        "# STL), y cada regla según ese documento, con la cita de su artículo. Después:",
        "#   stl init CARPETA --perfil ESTE-ARCHIVO.yaml",
        "# que lo revisa contra su esquema (cada error con su línea) y lo copia a CARPETA/perfiles/.",
        "",
    ]
    salida, empezado = list(cabecera), False
    for linea in texto.splitlines():
        if not empezado and linea.startswith("#"):
            continue  # the bundled file's own header names its seed; the new one starts from ours
        empezado = True
        clave = re.match(r"([a-z_]+):", linea)
        if clave:
            salida += _comentario(clave.group(1), esquema)
        salida.append(linea)
    return "\n".join(salida) + "\n"


def para_init(perfil: str) -> tuple[Perfil, str | None]:
    """A bundled profile by name, or the profile file the user passes (its text, to copy into the records): checked
    as the records will read it, each problem named in the user's file with its line and field."""
    ruta = Path(perfil)
    if not (perfil.endswith((".yaml", ".yml")) or ruta.is_file()):
        return records.load_profile(perfil), None
    if not ruta.is_file():
        raise StlError(f"no existe el archivo de perfil {ruta}")
    leido = records.leer_perfil(ruta, str(ruta))
    return leido, ruta.read_text("utf-8")
