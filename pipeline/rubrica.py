"""Stage 3, the rubric in the margin of every page of a signed document (acta, minuta): how the names fit.

Takes the signatories' names; gives the `Disposicion` that `templates/pdf/_rubrica.html` draws: the page's left
margin, the columns, the type size and the height of each row (room to initial above the line, then the name),
chosen so that every name fits whole in its row and no name is drawn over another. Names are measured with the
advance widths of the font that draws them (Liberation Serif, as fontconfig gives it to WeasyPrint) and wrapped
as the browser wraps them, at spaces. The acta is «rubricada en cada hoja» by everyone who signs it (000 Cap.
VI.7; 001 Art. 7.5; 002 V.7): the whole rubric goes on every page, so a few names fit as they always did, forty
in two columns, sixty in a wider margin and three columns; a list that no layout holds is refused, saying so,
rather than drawn with names over each other.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from .errors import StlError

__all__ = ["Disposicion", "disposicion"]

_CM = 72 / 2.54  # points in a centimetre
MARGEN = 4.4  # cm: the page's left margin (templates/pdf/base.css), and how far it may widen
MARGENES = (4.4, 5.4, 6.4)
HUECO = 0.8  # cm between the rubric and the text of the page
ALTO = 20.5  # cm of margin the rubric may take on a letter page (it never paginates)
TAMANOS = (6.5, 6.0, 5.5, 5.0)  # pt: the usual size first, then smaller ones that still read in print
COLUMNAS = (1, 2, 3)
INTERLINEA = 1.1  # line-height of .rubrica (templates/pdf/base.css)
LINEA = 1.6  # pt: the rule above each name and the padding under it
ESPACIO_MINIMO = 0.3  # cm to initial above a name
FILA_MAXIMA = 2.4  # cm: a row never taller than this, however few the names


@dataclass(frozen=True)
class Disposicion:
    margen: float  # cm, the page's left margin
    ancho: float  # cm, the rubric's box
    columnas: int
    tamano: float  # pt
    fila: float  # cm, each row
    espacio: float  # cm, the room to initial in each row, above the name
    lado: float  # cm, the padding on each side of a name (half the gap between columns)
    derecha: float  # cm, the padding between the last column and the text of the page


@cache
def _metricas() -> tuple[dict[int, int], float] | None:
    """Each code point's advance width in em, of the rubric's regular face; None without fontconfig."""
    from fontTools.ttLib import TTFont

    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    archivo = subprocess.run(
        [fc_match, "-f", "%{file}", "Liberation Serif"], capture_output=True, text=True
    ).stdout.strip()
    if not archivo:
        return None
    fuente = TTFont(archivo, lazy=True, fontNumber=0)
    avances, por_em = fuente["hmtx"].metrics, fuente["head"].unitsPerEm
    return {c: avances[g][0] for c, g in fuente.getBestCmap().items()}, por_em


def _ancho(texto: str, tamano: float) -> float:
    """Points `texto` takes at `tamano`, a little more than the font says (kerning only narrows it)."""
    metricas = _metricas()
    if metricas is None:
        return len(texto) * 0.55 * tamano
    avances, por_em = metricas
    return 1.02 * tamano * sum(avances.get(ord(c), por_em * 0.6) for c in texto) / por_em


def _lineas(nombre: str, columna: float, tamano: float) -> int | None:
    """How many lines `nombre` takes in a column `columna` points wide, wrapped at spaces as the browser does;
    None if a word is wider than the column (broken in two, a surname would read as two words)."""
    espacio = _ancho(" ", tamano)
    lineas, ocupado = 0, math.inf  # the first word always starts a line
    for palabra in nombre.split():
        ancho = _ancho(palabra, tamano)
        if ancho > columna:
            return None
        if ocupado + espacio + ancho <= columna:
            ocupado += espacio + ancho
        else:
            lineas, ocupado = lineas + 1, ancho
    return max(lineas, 1)


def _prueba(nombres: list[str], margen: float, columnas: int, tamano: float) -> Disposicion | None:
    ancho = margen - HUECO
    lado = 0.2 if columnas == 1 else 0.1
    derecha = 0 if columnas == 1 else 0.15  # the last column keeps the single column's distance from the text
    columna = ((ancho - derecha) / columnas - 2 * lado) * _CM - 0.5
    filas = math.ceil(len(nombres) / columnas)
    lineas = [_lineas(n, columna, tamano) for n in nombres]
    if None in lineas:
        return None
    texto = max(lineas) * tamano * INTERLINEA + LINEA + 1
    necesaria = texto / _CM + ESPACIO_MINIMO
    if filas * necesaria > ALTO:
        return None
    fila = min(FILA_MAXIMA, ALTO / filas)
    espacio = round(fila - texto / _CM, 3)
    return Disposicion(margen, ancho, columnas, tamano, round(fila, 3), espacio, lado, derecha)


def disposicion(nombres: list[str] | tuple[str, ...]) -> Disposicion:
    """The first layout that holds every name: the usual margin before a wider one, fewer columns before more,
    larger type before smaller. `StlError` when none does."""
    nombres = list(nombres) or [""]
    for margen in MARGENES:
        for columnas in COLUMNAS:
            for tamano in TAMANOS:
                if hecha := _prueba(nombres, margen, columnas, tamano):
                    return hecha
    raise StlError(
        f"la rúbrica no cabe en el margen: los nombres de {len(nombres)} firmantes (de hasta "
        f"{max(len(n) for n in nombres)} caracteres) no caben en el margen de cada hoja ni con {MARGENES[-1]} cm "
        f"de margen, {len(COLUMNAS)} columnas y letra de {TAMANOS[-1]:g} puntos; cada hoja lleva la rúbrica de "
        "todos los que firman (000 Cap. VI.7) y no se genera con nombres encimados"
    )
