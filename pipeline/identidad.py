"""Who a name names: two names compared as people compare them, and names that only look alike.

Takes names (of the roster, of a certificate's holder); gives whether two are the same name as Mexican names are
written (NFC, capitals and accents aside: «ZULEMA MARTINEZ SANCHEZ» is «Zulema Martínez Sánchez»), whether one
only *looks like* the other (a Cyrillic «а» or a Greek «Ζ» among Latin letters, «rn» for «m»: Unicode's
confusables, UTS #39), which letters make it so, and a name as a terminal may show it (format and control
characters written as ⟨U+202E⟩, never obeyed). Used by the records (two members of one name), by
`stl registrar-certificado` (the holder must be the member) and, mirrored in JavaScript from the same table
(`firmar/src/parecidos.js`, written by `tabla_js`), by the signing page.

The confusables are Unicode's own (confusables.txt), as the `confusable-homoglyphs` package ships them. Its data
links each character with those it can be taken for; what a look-alike comparison needs is each character's
*prototype* among the letters and digits of ASCII, the alphabet Mexican names are written in: `tabla` is that.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache

from .errors import StlError

__all__ = [
    "coincidencias",
    "comparable",
    "letras_ajenas",
    "mezcla",
    "mismo_nombre",
    "mostrar",
    "parecidos",
    "revisar_titular",
    "tabla",
    "tabla_js",
]

# Marks (accents) and format characters (zero-width, bidirectional controls): neither changes who a name names
# when people read it; the format ones print as nothing.
_QUITAR = ("Mn", "Me", "Cf")


def _sin_marcas(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto) if unicodedata.category(c) not in _QUITAR)


def comparable(nombre: str) -> str:
    """The name as people compare names: no accents, no capitals, single spaces («zulema martinez sanchez»)."""
    return " ".join(_sin_marcas(nombre).casefold().split())


def mismo_nombre(a: str, b: str) -> bool:
    return comparable(a) == comparable(b)


def _ascii(texto: str) -> bool:
    return texto.isascii() and texto.isprintable() and not texto.isspace()


@cache
def tabla() -> dict[str, str]:
    """Each character whose prototype (UTS #39) is made of ASCII letters, digits or signs → that prototype:
    «а» (Cyrillic) → «a», «Ζ» (Greek) → «Z», «ı» → «i», «I» → «l», «m» → «rn». A prototype is its own; so the
    mapping, applied once, gives the same text for two names that look alike."""
    from confusable_homoglyphs.confusables import confusables_data

    resultado = {}
    for caracter, parecidos_a in confusables_data.items():
        if len(caracter) != 1:
            continue
        en_ascii = [p["c"] for p in parecidos_a if _ascii(p["c"]) and p["c"] != caracter]
        if not en_ascii:
            continue
        # An ASCII character with one look-alike is a source with its prototype («I» → «l», «m» → «rn»); with
        # several it is itself a prototype («l» for «I», «1», «|»…) and stays. Anything else goes to ASCII.
        if not caracter.isascii() or len(parecidos_a) == 1:
            resultado[caracter] = en_ascii[0]
    return resultado


def _esqueletos(nombre: str) -> tuple[str, ...]:
    """The name's skeletons as written, in capitals and in small letters: «I» looks like «l» only as a capital,
    «m» like «rn» only in small letters, so each case is compared apart (and not folded after: «I» → «l» must
    not meet «L»)."""
    mapa = tabla()
    return tuple(
        " ".join("".join(mapa.get(c, c) for c in _sin_marcas(variante)).split())
        for variante in (nombre, nombre.upper(), nombre.lower())
    )


def parecidos(a: str, b: str) -> bool:
    """Two names that are not the same name and that the eye takes for one another."""
    if mismo_nombre(a, b):
        return False
    return any(x == y for x, y in zip(_esqueletos(a), _esqueletos(b), strict=True))


def coincidencias(nombres: list[str]) -> list[tuple[int, int, bool]]:
    """Each pair (i, j), i < j, of `nombres` that is the same name (True) or only looks the same (False), found
    through the names' keys (a roster of sixty is sixty look-ups, not 1,770 comparisons)."""
    vistos: dict[str, int] = {}
    parejas: dict[tuple[int, int], bool] = {}
    for j, nombre in enumerate(nombres):
        clave = comparable(nombre)
        if clave in vistos:
            parejas[(vistos[clave], j)] = True
        vistos.setdefault(clave, j)
    for variante in (0, 1, 2):
        esqueletos: dict[str, int] = {}
        for j, nombre in enumerate(nombres):
            esqueleto = _esqueletos(nombre)[variante]
            i = esqueletos.setdefault(esqueleto, j)
            if i != j and not mismo_nombre(nombres[i], nombre):
                parejas.setdefault((i, j), False)
    return sorted((i, j, igual) for (i, j), igual in parejas.items())


# The scripts whose letters the confusables most often lend to a Latin name, in Spanish.
_ESCRITURAS = {
    "CYRILLIC": "cirílica",
    "GREEK": "griega",
    "ARMENIAN": "armenia",
    "CHEROKEE": "cheroqui",
    "COPTIC": "copta",
    "LISU": "lisu",
    "GEORGIAN": "georgiana",
}


def letras_ajenas(nombre: str, solo_otras_escrituras: bool = False) -> list[str]:
    """The characters of `nombre` that only look Latin, each named once: «а» (U+0430, letra cirílica). Spanish
    letters (á, ñ, ü) are not among them; with `solo_otras_escrituras`, only letters of another script."""
    from confusable_homoglyphs.categories import alias

    mapa, vistas = tabla(), []
    for c in dict.fromkeys(unicodedata.normalize("NFC", nombre)):
        if c.isascii() or unicodedata.category(c) in _QUITAR:
            continue
        escritura = alias(c)
        if escritura == "LATIN" and c not in mapa:
            continue
        if escritura in ("LATIN", "COMMON", "INHERITED"):
            if solo_otras_escrituras or c not in mapa:
                continue
            tipo = "letra latina poco común" if escritura == "LATIN" else "signo"
        else:
            tipo = f"letra {_ESCRITURAS.get(escritura, escritura.lower())}"
        vistas.append(f"«{c}» (U+{ord(c):04X}, {tipo})")
    return vistas


def mezcla(nombre: str) -> list[str]:
    """The letters of another script in a name written in Latin letters («а» in «Jаvier»); none in a name
    written all in one script."""
    if not any(c.isascii() and c.isalpha() for c in nombre):
        return []
    return letras_ajenas(nombre, solo_otras_escrituras=True)


_OCULTOS = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def mostrar(texto: str) -> str:
    """`texto` safe for a terminal or a message: each control, bidirectional or zero-width character written as
    ⟨U+XXXX⟩ (a certificate may carry «U+202E», which would show the rest of a line reversed)."""

    def oculto(c: str) -> bool:
        return bool(_OCULTOS.match(c)) or unicodedata.category(c) in (
            "Cc",
            "Cf",
            "Co",
            "Cs",
            "Cn",
            "Zl",
            "Zp",
        )

    return "".join(f"⟨U+{ord(c):04X}⟩" if oculto(c) else c for c in texto)


def revisar_titular(titular: str, nombre: str, quien: str, moral: bool = False) -> None:
    """Refuse a certificate whose holder is not the member `nombre` (`quien`, her id): another person's, a
    company's (`moral`: the SAT's e.firma of a persona moral names the company), or a name that only looks like
    hers. The holder is shown escaped."""
    visto = mostrar(titular)
    if mismo_nombre(titular, nombre):
        if visto != titular:
            raise StlError(
                f"el titular del certificado, «{visto}», lleva caracteres invisibles: no se registra un certificado "
                "cuyo nombre no se lee como está escrito"
            )
        return
    if parecidos(titular, nombre):
        ajenas = letras_ajenas(titular)
        cuales = f": tiene {', '.join(ajenas)} donde el nombre tiene letras latinas" if ajenas else ""
        raise StlError(
            f"el titular del certificado, «{visto}», se parece a {nombre} ({quien}) pero no es el mismo nombre"
            f"{cuales}; no se registra: pida a {nombre} el certificado de su e.firma"
        )
    empresa = " (es la e.firma de una persona moral: firma por la empresa)" if moral else ""
    registre = "registre su e.firma personal" if moral else f"registre el de {nombre}"
    raise StlError(
        f"el titular del certificado ({visto}) no es {nombre} ({quien}){empresa}: cada integrante firma con su "
        f"propio certificado (000 Cap. VI.7); {registre}"
    )


def tabla_js() -> str:
    """`firmar/src/parecidos.js`: the same table for the signing page, which compares names as this module does."""
    cuerpo = json.dumps(dict(sorted(tabla().items())), ensure_ascii=True, separators=(",", ":"))
    return (
        "// Written by `python -m pipeline.identidad` from Unicode's confusables (the confusable-homoglyphs\n"
        "// package): each character whose prototype (UTS #39) is ASCII → that prototype. Do not edit; a test\n"
        "// checks it against pipeline/identidad.py.\n"
        f"export const PROTOTIPOS = {cuerpo};\n"
    )


if __name__ == "__main__":  # pragma: no cover - the generator of firmar/src/parecidos.js
    print(tabla_js(), end="")
