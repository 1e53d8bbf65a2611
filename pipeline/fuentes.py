"""Stage 3, the fonts of the PDF: which characters they can draw.

Takes the HTML of a document; gives the characters its fonts cannot draw (`faltantes`), and for those the
`RecordsError` that names each one and the record fields (file, line) where it is written (`error`). The fonts are
the ones the PDF style sheet asks for (`font-family` of templates/pdf/base.css), as fontconfig resolves them for
WeasyPrint, in all four styles, and their character maps are read with fontTools: a character none of them has
would print as a blank gap in the PDF, with no warning, in a legal document. The press checks before laying a
document out; its second process reads the fonts while the records load.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

from . import paquete
from .errors import Problema, RecordsError
from .models import Ubicacion

__all__ = ["error", "faltantes"]


@cache
def resueltas() -> tuple[tuple[str, str], ...]:
    """(family name, file) of each font the PDF style sheet asks for (html's `font-family` in pdf/base.css), in
    each style, as fontconfig resolves it; empty where fontconfig cannot be asked."""
    fc_match = shutil.which("fc-match")
    declarada = re.search(
        r"html\s*\{[^}]*font-family:\s*([^;}]+)",
        (paquete.plantillas() / "pdf" / "base.css").read_text("utf-8"),
    )
    if fc_match is None or declarada is None:
        return ()
    encontradas = []
    for familia in (f.strip().strip("\"'") for f in declarada[1].split(",")):
        for estilo in ("", ":bold", ":italic", ":bold:italic"):
            salida = subprocess.run(
                [fc_match, "-f", "%{family[0]}\t%{file}", familia + estilo], capture_output=True, text=True
            ).stdout
            nombre, _, archivo = salida.partition("\t")
            if archivo and (nombre, archivo) not in encontradas:
                encontradas.append((nombre, archivo))
    return tuple(encontradas)


@cache
def cobertura() -> tuple[tuple[str, ...], frozenset[int]] | None:
    """(family names, every code point their files map), or None where fontconfig cannot be asked."""
    from fontTools.ttLib import TTFont

    fuentes = resueltas()
    if not fuentes:
        return None
    nombres, puntos = [], set()
    for nombre, archivo in fuentes:
        puntos |= set(TTFont(archivo, lazy=True, fontNumber=0).getBestCmap())
        if nombre not in nombres:
            nombres.append(nombre)
    return tuple(nombres), frozenset(puntos)


def _nombre(caracter: str) -> str:
    return f"«{caracter}» (U+{ord(caracter):04X}, {unicodedata.name(caracter, 'sin nombre')})"


def _campos(raiz: Path, caracter: str):
    """(file, line, field) of each record text holding `caracter` (never a member's `privado`)."""
    from .yamlfile import dotted, line_of, read_yaml

    for path in sorted([raiz / "stl.yaml", *raiz.glob("sesiones/*.yaml"), *raiz.glob("reuniones/*.yaml")]):
        if not path.is_file() or caracter not in path.read_text("utf-8", errors="replace"):
            continue
        rel = str(path.relative_to(raiz))
        data, lines, _ = read_yaml(path, rel)
        pendientes = [((), data)]
        while pendientes:
            donde, valor = pendientes.pop()
            if isinstance(valor, str) and caracter in valor:
                yield Ubicacion(rel, line_of(lines, donde), dotted(donde))
            elif isinstance(valor, dict):
                pendientes += [((*donde, str(k)), v) for k, v in valor.items() if k != "privado"]
            elif isinstance(valor, list):
                pendientes += [((*donde, i), v) for i, v in enumerate(valor)]


def faltantes(texto: str) -> list[str]:
    """The characters of `texto` the PDF fonts cannot draw, each once, sorted."""
    fuentes = cobertura()
    if fuentes is None or texto.isascii():
        return []
    return sorted({c for c in texto if ord(c) not in fuentes[1] and not c.isascii()})


def error(caracteres: list[str], raiz: str | Path | None) -> RecordsError:
    """Each character, and where in the records under `raiz` it is written (never in a member's `privado`)."""
    nombres = cobertura()[0]
    problemas = []
    for caracter in caracteres:
        mensaje = (
            f"contiene el carácter {_nombre(caracter)}, que las fuentes del PDF ({', '.join(nombres)}) no pueden "
            "dibujar: saldría un hueco en blanco; quítelo o escríbalo con otras letras. No se escribió nada"
        )
        lugares = list(_campos(Path(raiz), caracter)) if raiz else []
        problemas += [Problema(f"el campo «{u.campo}» {mensaje}", u) for u in lugares] or [
            Problema(f"el documento {mensaje}", Ubicacion(""))
        ]
    return RecordsError(problemas)
