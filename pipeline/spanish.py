"""Legal Mexican Spanish wording for numbers, dates, times and name lists.

Takes plain Python values (``int``, ``datetime.date``, ``datetime.time``, lists of
names) and gives the Spanish strings an acta of the Secretariado Técnico Local
needs: cardinals in words with the right gender and apocope, session ordinals in
the legal convention ("décima primera", never "undécima"), Roman numerals, dates
and hours in words, and enumerations joined with "y"/"e".

Every word comes from the explicit tables below, so the output does not depend
on any third-party spelling library and can be audited line by line. All
functions are pure; invalid input raises ``ValueError`` with a Spanish message
because those messages may reach the people who capture the records.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

__all__ = [
    "ZONAS_DE_MEXICO",
    "ZONA_HORARIA",
    "cardinal",
    "date_short",
    "date_words",
    "dias_habiles",
    "fecha_hora_local",
    "from_roman",
    "join_names",
    "month_name",
    "ordinal",
    "ordinal_abbr",
    "roman",
    "time_words",
    "weekday_name",
]

CARDINAL_LIMIT = 10**12
ORDINAL_LIMIT = 999
ROMAN_LIMIT = 3999

# 0-29 are single words in Spanish (with their written accents), so a flat
# table is clearer than composing them. Index 1 and 21 are the numbering forms;
# the apocopated/feminine variants are chosen in ``_below_hundred``.
_UNITS = (
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
)

# "veintiún" carries a written accent that "un" does not, so it cannot be built
# by string concatenation from the form of 1.
_TWENTY_ONE = {"uno": "veintiuno", "un": "veintiún", "una": "veintiuna"}

_TENS = {
    3: "treinta",
    4: "cuarenta",
    5: "cincuenta",
    6: "sesenta",
    7: "setenta",
    8: "ochenta",
    9: "noventa",
}

# Index 1 is "ciento"; exact 100 ("cien") is special-cased by the caller.
_HUNDREDS_M = (
    "",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
)
_HUNDREDS_F = (
    "",
    "ciento",
    "doscientas",
    "trescientas",
    "cuatrocientas",
    "quinientas",
    "seiscientas",
    "setecientas",
    "ochocientas",
    "novecientas",
)

# Ordinal stems take "-o"/"-a" for gender; keeping stems avoids two parallel
# tables that could drift apart.
_ORDINAL_UNITS = (
    "",
    "primer",
    "segund",
    "tercer",
    "cuart",
    "quint",
    "sext",
    "séptim",
    "octav",
    "noven",
)
_ORDINAL_TENS = (
    "",
    "décim",
    "vigésim",
    "trigésim",
    "cuadragésim",
    "quincuagésim",
    "sexagésim",
    "septuagésim",
    "octogésim",
    "nonagésim",
)
_ORDINAL_HUNDREDS = (
    "",
    "centésim",
    "ducentésim",
    "tricentésim",
    "cuadringentésim",
    "quingentésim",
    "sexcentésim",
    "septingentésim",
    "octingentésim",
    "noningentésim",
)

_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

_ROMAN_SYMBOLS = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
# Anchored with \Z (not $) so a trailing newline is not silently accepted.
_ROMAN_CANONICAL = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})\Z")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

# Vowels that form a diphthong with an initial /i/ ("hierro", "hiato", "ion"):
# the conjunction stays "y" there because the word no longer starts with the
# vowel sound /i/ but with the consonantal glide.
_DIPHTHONG_VOWELS = frozenset("aeouáéóú")


def _check_int(n: object, name: str) -> int:
    # bool is an int subclass; True/False in a legal document is always a bug.
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{name} debe ser un entero, no {type(n).__name__}")
    return n


def _check_gender(genero: str) -> bool:
    """Return True for feminine; reject anything that is not "m" or "f"."""
    if genero not in ("m", "f"):
        raise ValueError(f"género inválido {genero!r}: use 'm' o 'f'")
    return genero == "f"


def _below_hundred(n: int, one: str) -> str:
    if n == 1:
        return one
    if n == 21:
        return _TWENTY_ONE[one]
    if n < 30:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return _TENS[tens]
    return f"{_TENS[tens]} y {one if unit == 1 else _UNITS[unit]}"


def _below_thousand(n: int, one: str, feminine_hundreds: bool) -> str:
    """Spell 1..999; ``one`` is the form ("uno"/"un"/"una") for a final 1."""
    if n == 100:
        return "cien"
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        table = _HUNDREDS_F if feminine_hundreds else _HUNDREDS_M
        parts.append(table[hundreds])
    if rest:
        parts.append(_below_hundred(rest, one))
    return " ".join(parts)


def _below_million(n: int, one: str, feminine: bool) -> str:
    """Spell 1..999_999.

    Before "mil" a final one is always "un" ("veintiún mil") even in feminine,
    as CLDR and common Mexican usage do; the hundreds, however, agree with a
    feminine noun ("doscientas mil personas"), as the RAE requires.
    """
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands == 1:
        # "mil", never "un mil", in running text.
        parts.append("mil")
    elif thousands:
        parts.append(f"{_below_thousand(thousands, 'un', feminine)} mil")
    if rest:
        parts.append(_below_thousand(rest, one, feminine))
    return " ".join(parts)


def cardinal(n: int, genero: str = "m", apocope: bool = True) -> str:
    """Spell ``n`` (0 <= n < 10**12) as a Spanish cardinal.

    ``genero`` is "m" or "f". ``apocope`` only matters for the masculine: True
    gives the form used before a noun ("veintiún minutos"), False the numbering
    form used alone, for days and for years ("veintiuno").
    """
    _check_int(n, "n")
    feminine = _check_gender(genero)
    if not 0 <= n < CARDINAL_LIMIT:
        raise ValueError(f"número fuera de rango: {n} (debe estar entre 0 y {CARDINAL_LIMIT - 1})")
    if n == 0:
        return _UNITS[0]
    # The final 1 is the only word the apocope flag touches.
    one = "una" if feminine else ("un" if apocope else "uno")
    millions, rest = divmod(n, 10**6)
    parts = []
    if millions == 1:
        parts.append("un millón")
    elif millions:
        # "millón" is a masculine noun, so its count never takes feminine forms.
        parts.append(f"{_below_million(millions, 'un', False)} millones")
    if rest:
        parts.append(_below_million(rest, one, feminine))
    return " ".join(parts)


def _capitalize_words(text: str) -> str:
    # str.title() would also capitalize after apostrophes/hyphens; be explicit.
    return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))


def ordinal(n: int, genero: str = "f", apocope: bool = False, titulo: bool = False) -> str:
    """Spell ``n`` (1..999) as an ordinal in the legal-session convention.

    Teens are always written as two words ("décima primera", "décimo segundo"),
    which is how actas number sessions; "undécima" and "decimoprimera" are not
    used. ``apocope`` applies to the masculine before a noun ("décimo primer
    acuerdo"). ``titulo`` capitalizes every word ("Décima Primera").
    """
    _check_int(n, "n")
    feminine = _check_gender(genero)
    if not 1 <= n <= ORDINAL_LIMIT:
        raise ValueError(f"ordinal fuera de rango: {n} (debe estar entre 1 y {ORDINAL_LIMIT})")
    ending = "a" if feminine else "o"
    hundreds, rest = divmod(n, 100)
    tens, unit = divmod(rest, 10)
    words = [
        table[digit] + ending
        for table, digit in (
            (_ORDINAL_HUNDREDS, hundreds),
            (_ORDINAL_TENS, tens),
            (_ORDINAL_UNITS, unit),
        )
        if digit
    ]
    # Only "primero" and "tercero" shorten, and only as the last word, which is
    # the one that stands next to the noun.
    if apocope and not feminine and unit in (1, 3):
        words[-1] = _ORDINAL_UNITS[unit]
    text = " ".join(words)
    return _capitalize_words(text) if titulo else text


def ordinal_abbr(n: int, genero: str = "f") -> str:
    """Abbreviate an ordinal with the raised indicator: 4ª (feminine), 4º."""
    _check_int(n, "n")
    feminine = _check_gender(genero)
    if n < 1:
        raise ValueError(f"ordinal fuera de rango: {n} (debe ser mayor o igual a 1)")
    # U+00AA / U+00BA, not the degree sign U+00B0 that often slips in.
    return f"{n}\u00aa" if feminine else f"{n}\u00ba"


def roman(n: int) -> str:
    """Write ``n`` (1..3999) as a canonical uppercase Roman numeral."""
    _check_int(n, "n")
    if not 1 <= n <= ROMAN_LIMIT:
        raise ValueError(f"número romano fuera de rango: {n} (debe estar entre 1 y {ROMAN_LIMIT})")
    out = []
    for value, symbol in _ROMAN_SYMBOLS:
        count, n = divmod(n, value)
        out.append(symbol * count)
    return "".join(out)


def from_roman(s: str) -> int:
    """Read a canonical uppercase Roman numeral back into an integer.

    Non-canonical spellings ("IIII", "VX", "IC") are rejected rather than
    guessed, so a typo in a session number cannot silently become another one.
    """
    if not isinstance(s, str):
        raise TypeError(f"se esperaba una cadena, no {type(s).__name__}")
    if not s or not _ROMAN_CANONICAL.match(s):
        raise ValueError(f"número romano inválido: {s!r}")
    values = [_ROMAN_VALUES[symbol] for symbol in s]
    # A symbol followed by a larger one is subtractive (the I in IV); the regex
    # above already guarantees only the canonical pairs reach this point.
    return sum(
        -value if value < following else value
        for value, following in zip(values, [*values[1:], 0], strict=True)
    )


_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


def weekday_name(d: datetime.date) -> str:
    """Lowercase Spanish weekday: "martes"."""
    return _WEEKDAYS[d.weekday()]


def month_name(m: int) -> str:
    """Lowercase Spanish month name for ``m`` in 1..12."""
    _check_int(m, "m")
    if not 1 <= m <= 12:
        raise ValueError(f"mes inválido: {m} (debe estar entre 1 y 12)")
    return _MONTHS[m - 1]


def date_words(d: datetime.date) -> str:
    """Write a date fully in words: "tres de noviembre de dos mil veinte".

    Day 1 is "primero", as Mexican legal documents write it; other days and the
    year use the numbering form ("veintiuno", "dos mil veintiuno") because they
    stand alone rather than before a noun.
    """
    day = "primero" if d.day == 1 else cardinal(d.day, "m", apocope=False)
    year = cardinal(d.year, "m", apocope=False)
    return f"{day} de {month_name(d.month)} de {year}"


def date_short(d: datetime.date) -> str:
    """Write a date with digits for day and year: "3 de noviembre de 2020"."""
    return f"{d.day} de {month_name(d.month)} de {d.year}"


# Mexico's time zones (IANA), as stl.yaml may name them (`zona_horaria`); a Mexican acta is read in local time.
ZONA_HORARIA = "America/Mexico_City"
ZONAS_DE_MEXICO = (
    "America/Mexico_City",
    "America/Cancun",
    "America/Merida",
    "America/Monterrey",
    "America/Matamoros",
    "America/Chihuahua",
    "America/Ciudad_Juarez",
    "America/Ojinaga",
    "America/Mazatlan",
    "America/Bahia_Banderas",
    "America/Hermosillo",
    "America/Tijuana",
)


def fecha_hora_local(momento: datetime.datetime, zona: str = ZONA_HORARIA) -> str:
    """A moment as a Mexican reads it, in the local time of `zona` with its offset:
    "04/12/2026 15:36:49 (UTC-06:00)". A naive moment is taken as UTC."""
    from zoneinfo import ZoneInfo

    if momento.tzinfo is None:
        momento = momento.replace(tzinfo=datetime.UTC)
    local = momento.astimezone(ZoneInfo(zona))
    desfase = local.strftime("%z")
    return f"{local:%d/%m/%Y %H:%M:%S} (UTC{desfase[:3]}:{desfase[3:]})"


def time_words(t: datetime.time) -> str:
    """Write the hour as it follows "siendo": "las catorce horas con un minuto".

    Hours agree with the feminine "horas" ("veintiuna"); minutes use the
    masculine apocope ("veintiún minutos"). Seconds are dropped because actas
    record time to the minute.
    """
    # "una" is the only singular hour, and it takes a singular article.
    text = "la una hora" if t.hour == 1 else f"las {cardinal(t.hour, 'f')} horas"
    if t.minute == 1:
        text += " con un minuto"
    elif t.minute:
        text += f" con {cardinal(t.minute, 'm', apocope=True)} minutos"
    return text


def _conjunction_before(word: str) -> str:
    """Return "e" before the vowel sound /i/ ("e Isabel", "e Hilda"), else "y"."""
    lowered = word.lstrip().lower()
    if lowered.startswith(("hi", "hí")):
        after = lowered[2:]
    elif lowered.startswith(("i", "í")):
        after = lowered[1:]
    else:
        return "y"
    return "y" if after[:1] in _DIPHTHONG_VOWELS else "e"


def join_names(items: Sequence[str]) -> str:
    """Join names as the acta enumerates them: "A", "A y B", "A, B y C".

    An empty list raises ``ValueError``: an acta that lists nobody where names
    were expected points to missing data, not to an empty phrase.
    """
    if isinstance(items, str):
        raise TypeError("se esperaba una lista de nombres, no una cadena")
    names = list(items)
    if not names:
        raise ValueError("la lista de nombres está vacía")
    if len(names) == 1:
        return names[0]
    last = names[-1]
    return f"{', '.join(names[:-1])} {_conjunction_before(last)} {last}"


def dias_habiles(n: int) -> str:
    """ "1 día hábil", "5 días hábiles": a count of business days, in digits as the summaries give it."""
    return f"{n} día hábil" if n == 1 else f"{n} días hábiles"
