"""Read one YAML file into plain data plus the line of every field, and check it against a JSON Schema.

Takes a path; gives `(data, lines, problems)`. Errors are collected, never raised, and said in Spanish with
file, line and field. The loader is YAML 1.2-like on purpose: `13:00` stays a string (YAML 1.1 reads it as
780), `no`/`si` stay strings and dates stay text so that an impossible date becomes a clear message instead
of a crash.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .errors import Problema
from .models import Ubicacion

__all__ = ["Lines", "Path_", "dotted", "line_of", "read_yaml", "schema", "schema_problems"]

Path_ = tuple[str | int, ...]
Lines = dict[Path_, int]


class _Loader(yaml.SafeLoader):
    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 - PyYAML's class-level registry


for _tag, _regexp, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|false)$", "tf"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|)$", ["~", "n", ""]),
]:
    _Loader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def dotted(path: Path_) -> str:
    """`("orden_del_dia", 3, "acuerdos", 0)` → `orden_del_dia[3].acuerdos[0]`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_YAML_PHRASES = [
    (
        "mapping values are not allowed here",
        "aquí no se permite «clave: valor» (¿falta una sangría o sobran «:»?)",
    ),
    ("could not find expected ':'", "falta «:» después de una clave"),
    ("found character '\\t' that cannot start any token", "hay un tabulador; YAML solo admite espacios"),
    ("found undefined alias", "alias no definido"),
    ("found unexpected end of stream", "el archivo termina antes de cerrar comillas o corchetes"),
    ("did not find expected key", "se esperaba una clave (revise la sangría)"),
    ("did not find expected '-' indicator", "se esperaba un elemento de lista «-» (revise la sangría)"),
    ("expected <block end>, but found", "la sangría no cuadra con la línea anterior"),
    ("found unhashable key", "una clave no puede ser una lista ni una sección"),
    ("could not determine a constructor for the tag", "etiqueta YAML no admitida (no use «!!»)"),
    ("found unknown escape character", "secuencia de escape desconocida entre comillas dobles"),
    ("expected a comment or a line break", "sobra texto después de un valor entre comillas"),
]


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or str(exc)
    for english, spanish in _YAML_PHRASES:
        if english in problem:
            return f"YAML mal formado: {spanish}"
    return f"YAML mal formado ({problem})"


def _walk(node: yaml.Node, path: Path_, lines: Lines, problems: list[Problema], rel: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
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


def read_yaml(path: Path, rel: str) -> tuple[object, Lines, list[Problema]]:
    """Parse `path`; `rel` is how the file is named in messages."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, {}, [Problema(f"el archivo no está en UTF-8 ({exc.reason})", Ubicacion(rel))]
    except OSError as exc:
        return None, {}, [Problema(f"no se puede leer el archivo ({exc.strerror})", Ubicacion(rel))]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return None, {}, [Problema(_yaml_message(exc), Ubicacion(rel, line))]
    except yaml.YAMLError as exc:
        return None, {}, [Problema(f"YAML mal formado ({exc})", Ubicacion(rel))]
    finally:
        loader.dispose()
    lines: Lines = {}
    problems: list[Problema] = []
    if node is not None:
        _walk(node, (), lines, problems, rel)
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
    return Draft202012Validator(json.loads(text))


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
            for key in err.instance:
                if key not in known:
                    guess = difflib.get_close_matches(str(key), known, n=1)
                    hint = f"; ¿quiso decir «{guess[0]}»?" if guess else ""
                    add((*path, str(key)), f"campo desconocido «{key}»{hint}")
        else:
            add(path, _message(err))
    return [p for _, _, p in sorted(found, key=lambda item: (item[0], item[1]))]
