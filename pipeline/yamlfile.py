"""Read one YAML file into plain data plus the line of every field, and check it against a JSON Schema.

Takes a path; gives `(data, lines, problems)`. Errors are collected, never raised, and said in Spanish with
file, line and field. The loader is YAML 1.2-like on purpose: `13:00` stays a string (YAML 1.1 reads it as
780), `no`/`si` stay strings and dates stay text so that an impossible date becomes a clear message instead
of a crash.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .errors import Problema, causa
from .files import cache_dir
from .models import Ubicacion

__all__ = [
    "Lines",
    "Path_",
    "dotted",
    "invisibles",
    "line_of",
    "nfc",
    "read_yaml",
    "schema",
    "schema_problems",
]

Path_ = tuple[str | int, ...]
Lines = dict[Path_, int]


class _Loader(yaml.SafeLoader):
    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 - PyYAML's class-level registry


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's C parser (several times faster on a thousand sessions), with the same resolvers. Its error
    messages differ from PyYAML's, so a file it rejects is parsed again by `_Loader` to say why in Spanish."""

    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 - PyYAML's class-level registry


for _tag, _regexp, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|false)$", "tf"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|)$", ["~", "n", ""]),
]:
    for _cls in (_Loader, _FastLoader):
        _cls.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def dotted(path: Path_) -> str:
    """`("orden_del_dia", 3, "acuerdos", 0)` → `orden_del_dia[3].acuerdos[0]`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# (context, problem, message, mark): PyYAML's English, matched by substring, said in Spanish; `mark` says
# which line a person must look at: where the broken token *starts* (an unclosed quote or bracket, a key
# without «:») is PyYAML's context mark; elsewhere the problem mark is right.
_YAML_PROBLEMS = [
    ("simple key", "could not find expected ':'", "falta «:» después de una clave", "context"),
    ("quoted scalar", "", "unas comillas que se abren aquí no se cierran", "context"),
    ("flow sequence", "", "un «[» que se abre aquí no se cierra bien con «]»", "context"),
    ("flow mapping", "", "una «{» que se abre aquí no se cierra bien con «}»", "context"),
    ("an alias", "", "«*» inicia un alias de YAML; si es texto, póngalo entre comillas", "context"),
    ("an anchor", "", "«&» inicia un ancla de YAML; si es texto, póngalo entre comillas", "context"),
    ("block scalar", "", "después de «|» o «>» el texto va en las líneas siguientes, con sangría", "context"),
    ("", "found character '\\t'", "hay un tabulador; YAML solo admite espacios para la sangría", "problem"),
    (
        "",
        "cannot start any token",
        "un valor no puede empezar con ese carácter; ponga el texto entre comillas",
        "problem",
    ),
    (
        "",
        "mapping keys are not allowed here",
        "«?» no se permite aquí; ponga el texto entre comillas",
        "problem",
    ),
    (
        "",
        "mapping values are not allowed here",
        "aquí no se permite «clave: valor» (¿falta sangría, o el texto lleva «: » y va sin comillas?)",
        "problem",
    ),
    (
        "",
        "sequence entries are not allowed here",
        "aquí no se permite un elemento de lista «-» (revise la sangría)",
        "problem",
    ),
    ("", "but found '-'", "un elemento de lista «-» no cuadra con la sangría de la sección", "problem"),
    ("", "expected <block end>", "la sangría no cuadra con la de las líneas anteriores", "problem"),
    (
        "",
        "<document start>",
        "las líneas que empiezan con «%» o «---» no se admiten; ponga el texto entre comillas",
        "problem",
    ),
    (
        "",
        "found undefined alias",
        "alias de YAML no definido; si es texto, póngalo entre comillas",
        "problem",
    ),
    ("", "could not determine a constructor", "etiqueta YAML no admitida (no use «!»)", "problem"),
    (
        "",
        "unknown escape character",
        "secuencia de escape desconocida entre comillas dobles (use comillas simples)",
        "problem",
    ),
    ("", "found unhashable key", "una clave no puede ser una lista ni una sección", "problem"),
]


def _unbalanced_quote(lines: list[str], before: int) -> int | None:
    """A line just before `before` (0-based) that opens a quote it does not close, if any."""
    for index in range(before - 1, max(before - 4, -1), -1):
        text = lines[index].split(" #")[0]
        if text.count('"') % 2 or text.count("'") % 2:
            return index
    return None


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, int | None]:
    """Spanish message and 1-based line for a PyYAML syntax error (never PyYAML's English)."""
    context, problem = exc.context or "", exc.problem or ""
    if "expected <block end>" in problem and exc.problem_mark:
        # A quote left open swallows the line break and the next key: point at where it was opened.
        opened = _unbalanced_quote(text.splitlines(), exc.problem_mark.line + 1)
        if opened is not None:
            return "YAML mal formado: unas comillas que se abren aquí no se cierran", opened + 1
    for ctx, prob, message, mark_kind in _YAML_PROBLEMS:
        if ctx in context and prob in problem:
            mark = exc.context_mark if mark_kind == "context" else exc.problem_mark
            mark = mark or exc.problem_mark or exc.context_mark
            return f"YAML mal formado: {message}", mark.line + 1 if mark else None
    mark = exc.problem_mark or exc.context_mark
    general = "YAML mal formado: revise comillas, corchetes, sangría y «:» cerca de esta línea"
    return general, mark.line + 1 if mark else None


# Characters that print as nothing (zero-width, bidirectional controls, soft hyphen…) can make a name, an id or
# a folio read as something other than what is written: «Javier<U+202E>Vargas» shows reversed, «vargas<U+200B>» looks
# like «vargas» and is not. A legal record refuses them, naming the code point; ordinary line breaks and tabs stay.
_INVISIBLES = {
    0x00AD: "guion suave",
    0x061C: "marca de letra árabe",
    0x180E: "separador de vocales mongol",
    0x200B: "espacio de ancho cero",
    0x200C: "separador de ancho cero",
    0x200D: "unión de ancho cero",
    0x200E: "marca de izquierda a derecha",
    0x200F: "marca de derecha a izquierda",
    0x2028: "separador de línea",
    0x2029: "separador de párrafo",
    0x202A: "incrustación de izquierda a derecha",
    0x202B: "incrustación de derecha a izquierda",
    0x202C: "fin de formato direccional",
    0x202D: "forzado de izquierda a derecha",
    0x202E: "forzado de derecha a izquierda",
    0x2060: "unión de palabras",
    0x2061: "aplicación de función invisible",
    0x2062: "multiplicación invisible",
    0x2063: "separador invisible",
    0x2064: "suma invisible",
    0x2066: "aislamiento de izquierda a derecha",
    0x2067: "aislamiento de derecha a izquierda",
    0x2068: "aislamiento de primera fuerte",
    0x2069: "fin de aislamiento direccional",
    0xFEFF: "espacio sin separación de ancho cero",
}


def nfc(text: str) -> str:
    """Unicode NFC: a decomposed «é» (e + U+0301) becomes the single «é», so equal names compare equal."""
    return unicodedata.normalize("NFC", text)


def _invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Cf", "Zl", "Zp") or (category == "Cc" and char not in "\t\n\r")


# Every character `_invisible` refuses (Unicode 14, Python 3.11's `unicodedata`), as one regular expression: a
# thousand sessions are checked in milliseconds instead of asking `unicodedata` about every character. A test
# checks that the two agree on every code point.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def _nombre(char: str) -> str:
    """`U+200B (espacio de ancho cero)`."""
    control = unicodedata.category(char) == "Cc"
    nombre = _INVISIBLES.get(ord(char), "carácter de control" if control else "carácter invisible de formato")
    return f"U+{ord(char):04X} ({nombre})"


# Printable ASCII, tab, line breaks and Latin-1 letters and signs (all of Spanish but the typographic quotes and
# dashes): a text made only of these has nothing invisible, and saying so is twenty times faster than `_INVISIBLE`.
_COMUN = re.compile(r"[^\x20-\x7e\t\n\r\xa0-\xac\xae-\xff]")


def _tiene_invisibles(text: str) -> bool:
    raro = _COMUN.search(text)
    return raro is not None and _INVISIBLE.search(text, raro.start()) is not None


def invisibles(text: str) -> list[str]:
    """The refused characters of `text`, each named once, in order: [`U+200B (espacio de ancho cero)`]."""
    return list(dict.fromkeys(_nombre(c) for c in _INVISIBLE.findall(text)))


def _muestra(text: str) -> str:
    """Where the invisible characters are: the text around the first one, each shown as ⟨U+XXXX⟩."""
    first = _INVISIBLE.search(text).start()
    start = max(first - 30, 0)
    shown = _INVISIBLE.sub(lambda m: f"⟨U+{ord(m[0]):04X}⟩", text[start : first + 30])
    return ("…" if start else "") + shown + ("…" if first + 30 < len(text) else "")


def _refuse(text: str, where: Path_, lines: Lines, problems: list[Problema], rel: str, clave: bool) -> None:
    names = invisibles(text)
    many = len(names) > 1
    if clave:
        what = f"el nombre del campo «{dotted(where)}»"
    else:
        what = f"el campo «{dotted(where)}»" if where else "el texto"
    cuales = f"{'los caracteres invisibles' if many else 'el carácter invisible'} {' y '.join(names)}"
    problems.append(
        Problema(
            f"{what} contiene {cuales}, que {'pueden' if many else 'puede'} disfrazar lo escrito en un registro "
            f"legal; {'bórrelos' if many else 'bórrelo'} y escriba el texto de nuevo: «{_muestra(text)}»",
            Ubicacion(rel, line_of(lines, where), dotted(where)),
        )
    )


def _clean(value: object, path: Path_, lines: Lines, problems: list[Problema], rel: str) -> object:
    """`value` with every text in NFC; a problem for each text (or field name) with an invisible character.
    Lists and mappings are fixed in place: they are fresh from the parser."""
    if isinstance(value, str):
        if _tiene_invisibles(value):
            _refuse(value, path, lines, problems, rel, clave=False)
        return value if value.isascii() else nfc(value)
    if isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = _clean(item, (*path, i), lines, problems, rel)
    elif isinstance(value, dict):
        renamed = False
        for key, item in value.items():
            name = key if not isinstance(key, str) or key.isascii() else nfc(key)
            if isinstance(key, str) and _tiene_invisibles(key):
                _refuse(key, (*path, name), lines, problems, rel, clave=True)
            renamed = renamed or name != key
            value[key] = _clean(item, (*path, str(name)), lines, problems, rel)
        if renamed:
            return {k if not isinstance(k, str) or k.isascii() else nfc(k): v for k, v in value.items()}
    return value


def _walk(node: yaml.Node, path: Path_, lines: Lines, problems: list[Problema], rel: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = nfc(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problema(
                        f"la clave «{key}» está repetida (ya aparece en la línea {seen[key]})",
                        Ubicacion(rel, line, dotted((*path, str(key)))),
                    )
                )
            seen[key] = line
            lines[(*path, str(key))] = line
            _walk(value_node, (*path, str(key)), lines, problems, rel)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, problems, rel)


# A record nests a handful of levels (orden_del_dia[2].acuerdos[0].votacion.abstenciones[0].motivo is seven).
# Far deeper nesting is a mistake or an attack: refused before anything recursive (the constructor, `_walk`,
# `_clean`, the schema) meets it, instead of a RecursionError.
MAX_NIVELES = 20
_ANIDADO = (
    f"YAML mal formado: listas o secciones anidadas a más de {MAX_NIVELES} niveles, que ningún registro "
    "necesita; revise los corchetes y la sangría"
)


class _Forma(Exception):
    """A file whose shape YAML accepts and a record never has: aliases, or nesting past `MAX_NIVELES`."""

    def __init__(self, mensaje: str, linea: int | None) -> None:
        super().__init__(mensaje)
        self.mensaje, self.linea = mensaje, linea


def _linea_alias(text: str, loader_class) -> int | None:
    for token in yaml.scan(text, Loader=loader_class):
        if isinstance(token, yaml.AliasToken):
            return token.start_mark.line + 1
    return None


def _revisar_forma(node: yaml.Node, text: str, loader_class) -> None:
    """Refuse aliases and deep nesting, looking at each node once. An alias is the node it names, met again:
    expanding it (as `_walk` and `_clean` would) lets 800 bytes of nested aliases («billion laughs») grow to
    billions of values; a record has no use for aliases at all."""
    vistos: set[int] = set()
    pendientes = [(node, 1)]
    while pendientes:
        actual, nivel = pendientes.pop()
        if id(actual) in vistos:
            raise _Forma(
                "YAML mal formado: un alias de YAML («*nombre») repite otra parte del archivo, y los registros no "
                "usan anclas ni alias; escriba el valor completo (si es texto que empieza con «*», póngalo entre "
                "comillas)",
                _linea_alias(text, loader_class),
            )
        vistos.add(id(actual))
        if nivel > MAX_NIVELES:
            raise _Forma(_ANIDADO, actual.start_mark.line + 1)
        if isinstance(actual, yaml.MappingNode):
            pendientes += [(n, nivel + 1) for par in actual.value for n in par]
        elif isinstance(actual, yaml.SequenceNode):
            pendientes += [(n, nivel + 1) for n in actual.value]


def _parse(text: str, loader_class) -> tuple[yaml.Node | None, object]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _revisar_forma(node, text, loader_class)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


def _parse_any(text: str) -> tuple[yaml.Node | None, object]:
    """libyaml's parse, or PyYAML's for a file libyaml rejects (its errors are the ones said in Spanish)."""
    try:
        return _parse(text, _FastLoader)
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):  # libyaml's own limit (1,000 levels); PyYAML would recurse
            mark = getattr(exc, "problem_mark", None)
            raise _Forma(_ANIDADO, mark.line + 1 if mark else None) from exc
    try:
        return _parse(text, _Loader)
    except (
        RecursionError
    ):  # nested too deep for PyYAML's composer, in a file libyaml rejects for another reason
        raise _Forma(_ANIDADO, None) from None


def read_yaml(path: Path, rel: str, datos: bytes | None = None) -> tuple[object, Lines, list[Problema]]:
    """Parse `path` (or `datos`, its bytes already read); `rel` is how the file is named in messages."""
    try:
        datos = path.read_bytes() if datos is None else datos
        text = datos.decode("utf-8")
        if "\r" in text:  # line ends as `read_text` gives them (universal newlines)
            text = text.replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:  # e.g. saved as Windows-1252 («ANSI») by an editor on Windows
        linea = datos[: exc.start].count(b"\n") + 1
        mensaje = (
            "el archivo no está en UTF-8 (el primer carácter que no lo es está en esta línea): guárdelo de nuevo "
            "con la codificación UTF-8 (en el Bloc de notas: «Guardar como», Codificación «UTF-8»)"
        )
        return None, {}, [Problema(mensaje, Ubicacion(rel, linea))]
    except OSError as exc:
        return None, {}, [Problema(f"no se puede leer el archivo ({causa(exc)})", Ubicacion(rel))]
    try:
        node, data = _parse_any(text)
    except _Forma as exc:
        return None, {}, [Problema(exc.mensaje, Ubicacion(rel, exc.linea))]
    except yaml.MarkedYAMLError as exc:
        message, line = _yaml_problem(exc, text)
        return None, {}, [Problema(message, Ubicacion(rel, line))]
    except yaml.reader.ReaderError as exc:  # a control character YAML does not admit anywhere
        line = text.count("\n", 0, exc.position) + 1
        message = f"YAML mal formado: hay un carácter no admitido, {_nombre(chr(exc.character))}; bórrelo"
        return None, {}, [Problema(message, Ubicacion(rel, line))]
    except yaml.YAMLError:
        return None, {}, [Problema("YAML mal formado", Ubicacion(rel))]
    lines: Lines = {}
    problems: list[Problema] = []
    if node is not None:
        _walk(node, (), lines, problems, rel)
    data = _clean(data, (), lines, problems, rel)
    return data, lines, problems


def line_of(lines: Lines, path: Path_) -> int | None:
    """The line of `path`, or of its nearest ancestor that is in the file."""
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


# --- JSON Schema, in Spanish --------------------------------------------------------------------


@cache
def schema(name: str) -> Draft202012Validator:
    text = resources.files("pipeline").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    raiz = json.loads(text)
    return Draft202012Validator(_sin_referencias(raiz, raiz))


_ANOTACIONES = {"description", "title", "examples", "default"}


def _sin_referencias(nodo: object, raiz: dict, vistas: tuple[str, ...] = ()) -> object:
    """The schema with each local `$ref` replaced by what it names: the same validation, the same errors,
    without resolving references at every step (half the time of validating 1,000 sessions). A `$ref` with
    other keywords beside it becomes `allOf` (in place, as `$ref` is in draft 2020-12)."""
    if isinstance(nodo, list):
        return [_sin_referencias(n, raiz, vistas) for n in nodo]
    if not isinstance(nodo, dict):
        return nodo
    ref = nodo.get("$ref")
    if ref is None:
        return {k: v if k == "$defs" else _sin_referencias(v, raiz, vistas) for k, v in nodo.items()}
    if not ref.startswith("#/") or ref in vistas:  # recursive, or elsewhere: left to jsonschema
        return nodo
    destino = raiz
    for parte in ref[2:].split("/"):
        destino = destino[parte]
    destino = _sin_referencias(destino, raiz, (*vistas, ref))
    resto = {
        k: _sin_referencias(v, raiz, vistas) for k, v in nodo.items() if k not in ("$ref", *_ANOTACIONES)
    }
    return {"allOf": [destino], **resto} if resto else destino


_TYPE_NAMES = {
    "string": "texto",
    "integer": "un número entero",
    "number": "un número",
    "boolean": "verdadero o falso (true/false)",
    "object": "una sección con campos",
    "array": "una lista",
    "null": "vacío",
}


def _type_of(value: object) -> str:
    if value is None:
        return "vacío"
    if isinstance(value, bool):
        return "verdadero/falso"
    if isinstance(value, int | float):
        return "un número"
    if isinstance(value, str):
        return "texto"
    if isinstance(value, list):
        return "una lista"
    return "una sección con campos"


def _message(err: ValidationError) -> str:
    kind, expected, value = err.validator, err.validator_value, err.instance
    if kind == "type":
        names = [expected] if isinstance(expected, str) else expected
        wanted = " o ".join(_TYPE_NAMES.get(n, n) for n in names)
        return f"debe ser {wanted} (se encontró {_type_of(value)})"
    if kind == "enum":
        options = ", ".join("vacío" if o is None else str(o) for o in expected)
        return f"«{value}» no es un valor válido; debe ser uno de: {options}"
    if kind == "const":
        return f"debe ser «{expected}»"
    if kind == "pattern":
        return f"«{value}» {err.schema.get('x-mensaje', 'no tiene el formato esperado')}"
    if kind == "minLength":
        return "no puede estar vacío" if expected == 1 else f"debe tener al menos {expected} caracteres"
    if kind == "maxLength":
        return f"es demasiado largo ({len(value)} caracteres; el máximo es {expected})"
    if kind == "minimum":
        return f"debe ser al menos {expected}"
    if kind == "maximum":
        return f"debe ser como máximo {expected}"
    if kind == "minItems":
        return f"la lista debe tener al menos {expected} elemento(s)"
    return f"valor no válido ({err.message})"


def schema_problems(data: object, lines: Lines, rel: str, name: str) -> list[Problema]:
    """Every schema violation of `data`, one `Problema` per field, in file order."""
    clave = _clave(name, data)
    if clave in _validos():
        return []
    found = _problems(data, lines, rel, name)
    if not found:
        _anotar_valido(clave)
    return [p for _, _, p in sorted(found, key=lambda item: (item[0], item[1]))]


# --- data already found valid -------------------------------------------------------------------

# Validating is a pure function of the data and the schema: data found valid once (same schema, same version
# of jsonschema) is not validated again. Each such pair leaves one SHA-256 line in the user's cache (never
# data itself); invalid data is never noted, so its errors are always reported in full.
_MAXIMO_VALIDOS = 4 * 1024 * 1024  # bytes; past that the list starts over


@cache
def _firma_esquema(name: str) -> str:
    from importlib.metadata import version

    text = resources.files("pipeline").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    return hashlib.sha256(f"{version('jsonschema')}\0{text}".encode()).hexdigest()


def _clave(name: str, data: object) -> str:
    # repr() of the parsed YAML (dicts, lists, str, int, float, bool, None, dates) tells apart any two data
    # that could validate differently: it names every type and keeps every value.
    return hashlib.sha256(f"{_firma_esquema(name)}\0{data!r}".encode()).hexdigest()


def _archivo_validos() -> Path:
    return cache_dir() / "validados.txt"


@cache
def _validos() -> set[str]:
    try:
        path = _archivo_validos()
        if path.stat().st_size > _MAXIMO_VALIDOS:
            path.unlink()
            return set()
        return set(path.read_text("ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def _anotar_valido(clave: str) -> None:
    _validos().add(clave)
    with contextlib.suppress(OSError):
        path = _archivo_validos()
        path.parent.mkdir(parents=True, exist_ok=True)
        # One short line with O_APPEND: processes noting at once (a batch) never interleave within a line.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{clave}\n".encode())
        finally:
            os.close(fd)


def _problems(data: object, lines: Lines, rel: str, name: str) -> list[tuple[int, str, Problema]]:
    found: list[tuple[int, str, Problema]] = []

    def add(path: Path_, message: str) -> None:
        line = line_of(lines, path)
        found.append((line or 0, dotted(path), Problema(message, Ubicacion(rel, line, dotted(path)))))

    for err in schema(name).iter_errors(data):
        if err.validator in ("oneOf", "anyOf") and err.context:
            err = best_match(err.context)
        path: Path_ = tuple(err.absolute_path)
        if err.validator == "required":
            for field in err.validator_value:
                if isinstance(err.instance, dict) and field not in err.instance:
                    add(path, f"falta el campo obligatorio «{field}»")
        elif err.validator == "additionalProperties" and isinstance(err.instance, dict):
            known = list(err.schema.get("properties", {}))
            patterns = [re.compile(p) for p in err.schema.get("patternProperties", {})]
            for key in err.instance:
                if key in known or any(p.search(key) for p in patterns):
                    continue
                if "x-mensaje-clave" in err.schema:  # a mapping keyed by data (a year), not by field names
                    add((*path, str(key)), f"«{key}» {err.schema['x-mensaje-clave']}")
                    continue
                guess = difflib.get_close_matches(str(key), known, n=1)
                hint = f"; ¿quiso decir «{guess[0]}»?" if guess else ""
                add((*path, str(key)), f"campo desconocido «{key}»{hint}")
        else:
            add(path, _message(err))
    return found
