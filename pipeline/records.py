"""Stage 1 — records: a `records/` tree → a validated `Registro` of frozen values.

Takes the folder holding `stl.yaml` and `sesiones/<ID>.yaml`; reads the governance profile the STL names
from `pipeline/profiles/`. Gives a `Registro`, or raises `RecordsError` with *every* problem found in every
file (schema, impossible dates and times, unknown or duplicate ids, references between sessions), each
with file, line and field. Governance rules (quorum, who may vote) are the next stage's business.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import hmac
import itertools
import marshal
import posixpath
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from . import identidad, spanish, yamlfile
from .errors import Problema, RecordsError, StlError
from .files import cache_dir, write_atomic
from .models import (
    POR_LLENAR,
    Acuerdo,
    AcuerdoReunion,
    Aprobado,
    Asistente,
    Calidad,
    Cancelacion,
    Convocatoria,
    Correccion,
    Correo,
    Envio,
    FeDeErratas,
    Folio,
    Integrante,
    Intervencion,
    Logo,
    Membrete,
    Observacion,
    Perfil,
    Punto,
    Registro,
    ReglaPerfil,
    Reunion,
    Sector,
    Seguimiento,
    Sesion,
    Sitio,
    Stl,
    Tema,
    TipoPunto,
    TipoSesion,
    Ubicacion,
    Votacion,
)
from .yamlfile import Lines, Path_, dotted, line_of, read_yaml, schema_problems

__all__ = ["Analizados", "available_profiles", "load", "load_envios", "load_profile", "parse_session_id"]

_SESSION_ID = re.compile(
    r"^(?:(?P<ext>EXT-)?(?P<roman>[IVXLCDM]+)-(?P<year>\d{4})"
    r"|INST-(?P<inst>\d{4})"
    r"|(?P<date>\d{4}-\d{2}-\d{2}))$"
)


@dataclass(frozen=True)
class SessionId:
    tipo: TipoSesion | None  # None: a session whose number and type the sources do not give
    numero: int | None
    anio: int
    fecha: dt.date | None = None


def parse_session_id(text: str) -> SessionId | None:
    """`IV-2020`, `EXT-I-2021`, `INST-2019` or `2019-11-11`; None if `text` is none of these."""
    match = _SESSION_ID.match(text)
    if not match:
        return None
    if match["roman"]:
        try:
            numero = spanish.from_roman(match["roman"])
        except ValueError:
            return None
        tipo = TipoSesion.EXTRAORDINARIA if match["ext"] else TipoSesion.ORDINARIA
        return SessionId(tipo, numero, int(match["year"]))
    if match["inst"]:
        return SessionId(TipoSesion.INSTALACION, None, int(match["inst"]))
    try:
        fecha = dt.date.fromisoformat(match["date"])
    except ValueError:
        return None
    return SessionId(None, None, fecha.year, fecha)


@dataclass
class _File:
    """One file being read: its name in messages, its field lines, and the problems found so far."""

    rel: str
    lines: Lines
    problems: list[Problema] = field(default_factory=list)

    def at(self, path: Path_) -> Ubicacion:
        return Ubicacion(self.rel, line_of(self.lines, path), dotted(path))

    def fields(self, path: Path_, raw: dict) -> dict[str, Ubicacion]:
        """The location of each field of the mapping at `path`."""
        return {str(key): self.at((*path, str(key))) for key in raw}

    def error(self, path: Path_, message: str) -> None:
        self.problems.append(Problema(message, self.at(path)))

    def date(self, value: str | None, path: Path_) -> dt.date | None:
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(path, f"fecha imposible: «{value}» no existe en el calendario")
            return None

    def time(self, value: str | None, path: Path_) -> dt.time | None:
        if value is None:
            return None
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            self.error(path, f"hora imposible: «{value}» (use HH:MM de 00:00 a 23:59)")
            return None


# --- profiles -----------------------------------------------------------------------------------


def _perfiles():
    """The folder of bundled profiles (a function, so a test can point it at profiles of its own)."""
    return resources.files("pipeline").joinpath("profiles")


def _propios(root: Path | None) -> dict[str, Path]:
    """The STL's own profiles, `<records>/perfiles/<id>.yaml`: a fourth state's mechanism needs no code."""
    carpeta = Path(root) / "perfiles" if root is not None else None
    if carpeta is None or not carpeta.is_dir():
        return {}
    return {p.name.removesuffix(".yaml"): p for p in sorted(carpeta.glob("*.yaml"))}


def available_profiles(root: Path | None = None) -> list[str]:
    """Bundled profiles and those in the records folder `root`."""
    incluidos = [p.name.removesuffix(".yaml") for p in _perfiles().iterdir() if p.name.endswith(".yaml")]
    return sorted({*incluidos, *_propios(root)})


def profile_bytes(profile_id: str, root: Path | None = None) -> bytes:
    """The bytes of the profile file a records folder uses (its own perfiles/<id>.yaml, or the bundled one)."""
    propio = _propios(root).get(profile_id)
    if propio is not None:
        return propio.read_bytes()
    return _perfiles().joinpath(f"{profile_id}.yaml").read_bytes()


def load_profile(profile_id: str, root: Path | None = None) -> Perfil:
    """A governance profile: the records folder's own `perfiles/<id>.yaml` if there is one, else the bundled
    one; checked against perfil.schema.json either way. `RecordsError` if it is missing or malformed."""
    if profile_id not in available_profiles(root):
        raise RecordsError(
            f"no existe el perfil «{profile_id}»; disponibles: {', '.join(available_profiles(root))} "
            "(o escriba el suyo en perfiles/<id>.yaml, dentro de la carpeta de registros)"
        )
    propio = _propios(root).get(profile_id)
    if propio is not None:
        return leer_perfil(propio, f"perfiles/{profile_id}.yaml", profile_id)
    resource = _perfiles().joinpath(f"{profile_id}.yaml")
    with resources.as_file(resource) as path:
        return leer_perfil(path, f"pipeline/profiles/{profile_id}.yaml", profile_id, incluido=True)


def leer_perfil(path: Path, rel: str, profile_id: str | None = None, incluido: bool = False) -> Perfil:
    """The profile in the file `path`, named `rel` in messages (the user's own file, with line and field); with
    `profile_id`, its «id» must be that (the name of its file)."""
    data, lines, problems = read_yaml(path, rel)
    if data is None and not problems:
        problems = [Problema("el archivo está vacío", Ubicacion(rel, 1))]
    if not problems:
        problems = schema_problems(data, lines, rel, "perfil")
    if not problems and profile_id is not None and data["id"] != profile_id:
        message = f"el perfil dice «id: {data['id']}», pero su archivo es {profile_id}.yaml: deben coincidir"
        problems = [Problema(message, Ubicacion(rel, line_of(lines, ("id",)), "id"))]
    if problems:
        raise RecordsError(problems)
    assert isinstance(data, dict)

    def regla(key: str) -> ReglaPerfil | None:
        if key not in data:
            return None
        values = dict(data[key])
        return ReglaPerfil({k: v for k, v in values.items() if k != "cita"}, values["cita"])

    voto = {Calidad(k): ReglaPerfil({"regla": v["regla"]}, v["cita"]) for k, v in data["voto"].items()}
    required = ("quorum", "decision", "abstencion", "empate", "aviso", "frecuencia", "remocion")
    kwargs = {k: regla(k) for k in (*required, "convoca", "redacta", "firman")}
    return Perfil(
        id=data["id"],
        nombre=data["nombre"],
        fuente=data["fuente"],
        documento=data["documento"],
        voto=voto,
        cancelacion=regla("cancelacion"),
        orden_fijo=regla("orden_fijo"),
        dirige=regla("dirige"),
        integracion=regla("integracion"),
        incluido=incluido,
        extraordinarias=regla("extraordinarias"),
        **kwargs,
    )


# --- stl.yaml -----------------------------------------------------------------------------------


# Texts that go on one line: a name, a cargo, an address. A line break in one (a quoted "\r\n" in YAML) would break
# the line of the acta it is printed on and, in the header of an e-mail («To: Nombre <correo>»), end the header:
# refused where it is written. The texts of a session (what was said) keep their line breaks.
_UNA_LINEA = ("nombre", "cargo", "cargo_corto", "cargo_firma", "representacion", "designacion")
_SALTO = re.compile(r"[\r\n\v\f\x85]")
_SALTOS = re.compile(r"\r\n|[\r\n\v\f\x85]")


def _en_una_linea(f: _File, raw: dict, path: Path_, campos) -> None:
    for campo in campos:
        valor = raw.get(campo)
        if isinstance(valor, str) and _SALTO.search(valor):
            cual = "un retorno de carro (U+000D)" if "\r" in valor else "un salto de línea"
            muestra = _SALTOS.sub("⏎", valor)
            f.error(
                (*path, campo),
                f"lleva {cual}: este dato va en una sola línea (en el acta y en el encabezado de cada correo); "
                f"escríbalo sin él: «{muestra}»",
            )


def _integrante(f: _File, raw: dict, path: Path_) -> Integrante:
    _en_una_linea(f, raw, path, _UNA_LINEA)
    _en_una_linea(f, raw.get("privado", {}), (*path, "privado"), tuple(raw.get("privado", {})))
    mandato = raw.get("mandato", {})
    inicio = f.date(mandato.get("inicio"), (*path, "mandato", "inicio"))
    fin = f.date(mandato.get("fin"), (*path, "mandato", "fin"))
    if inicio and fin and fin < inicio:
        f.error((*path, "mandato", "fin"), "el mandato termina antes de empezar")
        fin = None  # one error: the sessions the person attended are not also reported as out of office
    return Integrante(
        id=raw["id"],
        nombre=raw["nombre"],
        genero=raw["genero"],
        cargo=raw["cargo"],
        cargo_corto=raw.get("cargo_corto", raw["cargo"]),
        sector=Sector(raw["sector"]),
        calidad=Calidad(raw["calidad"]),
        lugar=f.at(path),
        representacion=raw.get("representacion"),
        cargo_firma=raw.get("cargo_firma"),
        de=raw.get("de"),
        con_voto=raw.get("con_voto", False),
        designacion=raw.get("designacion"),
        preside=raw.get("preside", False),
        inicio=inicio,
        fin=fin,
        privado=dict(raw.get("privado", {})),
    )


def _check_roster(f: _File, people: list[Integrante], perfil: Perfil | None) -> None:
    seen: dict[str, Integrante] = {}
    by_id = {p.id: p for p in people}
    for index, person in enumerate(people):
        path: Path_ = ("integrantes", index)
        if person.id in seen:
            first = seen[person.id].lugar.linea
            f.error((*path, "id"), f"el id «{person.id}» está repetido (ya se usa en la línea {first})")
        seen.setdefault(person.id, person)
        needs_titular = person.calidad in (Calidad.SUPLENTE, Calidad.ENLACE)
        if needs_titular and person.de is None:
            f.error(path, f"un {person.calidad} debe decir de qué titular lo es (campo «de»)")
        if not needs_titular and person.de is not None:
            f.error((*path, "de"), f"solo un suplente o un enlace lleva «de» (es {person.calidad})")
        if person.de is not None:
            titular = by_id.get(person.de)
            if titular is None:
                f.error((*path, "de"), f"integrante desconocido «{person.de}»")
            elif titular.calidad is not Calidad.TITULAR:
                f.error((*path, "de"), f"«{person.de}» no es titular (es {titular.calidad})")
        if person.con_voto and person.calidad is not Calidad.ENLACE:
            f.error((*path, "con_voto"), "«con_voto» solo aplica a un enlace")
        if perfil and person.con_voto and perfil.voto[Calidad.ENLACE]["regla"] != "segun_designacion":
            rule = perfil.voto[Calidad.ENLACE]
            f.problems.append(
                Problema(
                    f"el perfil {perfil.id} no da voto a los enlaces",
                    f.at((*path, "con_voto")),
                    perfil.cita(rule),
                )
            )
    if sum(1 for p in people if p.preside) > 1:
        f.error(("integrantes",), "solo un integrante puede presidir el STL («preside: true»)")


def _check_nombres(f: _File, people: list[Integrante], fuente: _Fuente) -> None:
    """Each member signs as herself (000 Cap. VI.7; 001 Art. 7.5; 002 V.7), so no two names may be told apart
    only by code points: a name that merely looks like another's (a Cyrillic «а», a Greek «Ζ», «rn» for «m»),
    a Latin name with letters of another script, or the same name written decomposed (NFD: the reader makes it
    NFC, but someone typed it so) is an error. The same name written alike is the rules stage's warning: two
    people may share a name."""
    escritos: list[str] | None = None
    con_error: set[int] = set()

    def linea(k: int) -> int | None:
        return f.lines.get(("integrantes", k, "nombre"))

    for i, j, igual in identidad.coincidencias([p.nombre for p in people]):
        if igual:
            escritos = escritos or (fuente.datos(f.rel) or b"").decode("utf-8", "replace").splitlines()
            for k, otro in ((i, j), (j, i)):
                if linea(k) and not unicodedata.is_normalized("NFC", escritos[linea(k) - 1]):
                    con_error.add(k)
                    f.error(
                        ("integrantes", k, "nombre"),
                        f"el nombre «{people[k].nombre}» ({people[k].id}) está escrito con letras descompuestas "
                        f"(Unicode NFD: cada acento aparte de su letra) y es el de {people[otro].nombre} "
                        f"({people[otro].id}, línea {linea(otro)}): en el papel no se distinguen. Escríbalo de "
                        "nuevo con el teclado; si son dos personas, agregue lo que las distinga (el segundo "
                        "apellido, una inicial)",
                    )
            continue
        # The name with the borrowed letters is the one to rewrite; between two such, the later one.
        k, otro = (
            (j, i)
            if identidad.letras_ajenas(people[j].nombre) or not identidad.letras_ajenas(people[i].nombre)
            else (i, j)
        )
        if k in con_error:
            continue
        con_error.add(k)
        ajenas = identidad.letras_ajenas(people[k].nombre)
        cuales = f": tiene {', '.join(ajenas)} donde aquel tiene letras latinas" if ajenas else ""
        f.error(
            ("integrantes", k, "nombre"),
            f"el nombre «{people[k].nombre}» ({people[k].id}) se confunde a la vista con el de "
            f"{people[otro].nombre} ({people[otro].id}, línea {linea(otro)}){cuales}. En el papel no se "
            "distinguen: escríbalo con letras del teclado y, si son dos personas, agregue lo que las distinga",
        )
    for k, persona in enumerate(people):
        if k not in con_error and (ajenas := identidad.mezcla(persona.nombre)):
            f.error(
                ("integrantes", k, "nombre"),
                f"el nombre «{persona.nombre}» ({persona.id}) tiene, entre letras latinas, {', '.join(ajenas)}, "
                "que se confunde con una latina: escríbalo con letras del teclado",
            )


def _sitio(f: _File, raw: dict) -> Sitio:
    comunicados = []
    for i, c in enumerate(raw.get("comunicados", [])):
        fecha = f.date(c["fecha"], ("sitio", "comunicados", i, "fecha"))
        if fecha:
            comunicados.append((fecha, c["titulo"], c.get("url"), c.get("texto")))
    return Sitio(
        url=raw.get("url"),
        contacto=tuple(raw.get("contacto", [])),
        dudas=tuple(raw.get("dudas", [])),
        sumarse=tuple(raw.get("sumarse", [])),
        ligas=tuple((x["titulo"], x["url"]) for x in raw.get("ligas", [])),
        comunicados=tuple(sorted(comunicados, reverse=True)),
        evidencias=tuple((e["sesion"], e["tipo"], e["titulo"], e["url"]) for e in raw.get("evidencias", [])),
        documentos_firmados=raw.get("documentos_firmados", "version_publica"),
        proyectos=raw.get("proyectos", "marcados"),
        **(
            {"licencia": (raw["licencia"]["nombre"], raw["licencia"]["titulo"], raw["licencia"]["url"])}
            if "licencia" in raw
            else {}
        ),
    )


# What each kind of logo file starts with; an SVG is text whose root element is <svg>.
_FIRMAS_DE_IMAGEN = {"png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",)}


def _anios_como_texto(data: dict) -> None:
    """`leyendas: {2020: …}` has integer keys in YAML; JSON Schema (and the messages) name fields by text."""
    membrete = data.get("membrete")
    if isinstance(membrete, dict) and isinstance(membrete.get("leyendas"), dict):
        membrete["leyendas"] = {str(k): v for k, v in membrete["leyendas"].items()}


def _imagen_reconocida(archivo: str, datos: bytes) -> bool:
    extension = archivo.rsplit(".", 1)[-1].lower()
    if extension == "svg":
        return b"<svg" in datos[:4096]
    return datos.startswith(_FIRMAS_DE_IMAGEN[extension])


def _membrete(f: _File, fuente: _Fuente, raw: dict | None) -> Membrete | None:
    """The letterhead; each logo read from the records folder now, with the records (the same snapshot)."""
    if raw is None:
        return None
    logos = []
    for i, logo in enumerate(raw.get("logos", [])):
        path: Path_ = ("membrete", "logos", i, "archivo")
        archivo = logo["archivo"]
        datos = fuente.datos(archivo)
        if datos is None:
            f.error(
                path,
                f"no se encontró el logotipo «{archivo}» ({Path(fuente.root) / archivo}): ponga la imagen en "
                "la carpeta de registros o corrija la ruta, que es relativa a esa carpeta",
            )
        elif not _imagen_reconocida(archivo, datos):
            tipo = archivo.rsplit(".", 1)[-1].upper().replace("JPG", "JPEG")
            f.error(path, f"el logotipo «{archivo}» no es una imagen {tipo}: su contenido no lo es")
        else:
            logos.append(Logo(archivo, logo["descripcion"], datos, f.at(path), logo.get("alto", 1.8)))
    leyendas = tuple(sorted((int(anio), texto) for anio, texto in raw.get("leyendas", {}).items()))
    return Membrete(tuple(logos), tuple(raw.get("lineas", [])), leyendas)


def _por_llenar(data: object, lines, rel: str, path: Path_ = ()) -> list[Problema]:
    """Every value `stl init` left as «POR LLENAR», with its line: the records are not usable until filled."""
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        if isinstance(data, str) and POR_LLENAR in data:
            lugar = Ubicacion(rel, line_of(lines, path), dotted(path))
            return [Problema(f"falta llenar este dato (dice «{data}»)", lugar)]
        return []
    return [p for key, value in items for p in _por_llenar(value, lines, rel, (*path, key))]


def _load_stl(fuente: _Fuente) -> tuple[Stl | None, Perfil | None, list[Problema]]:
    root = fuente.root
    rel = "stl.yaml"
    data, lines, problems = fuente.leer(rel)
    if data is None and not problems:
        problems = [Problema("el archivo está vacío", Ubicacion(rel, 1))]
    if problems:
        return None, None, problems
    por_llenar = _por_llenar(data, lines, rel)
    if por_llenar:
        return None, None, por_llenar
    if isinstance(data, dict):
        _anios_como_texto(data)
    f = _File(rel, lines, schema_problems(data, lines, rel, "stl"))
    if f.problems:
        return None, None, f.problems
    assert isinstance(data, dict)
    perfil = None
    try:
        perfil = load_profile(data["perfil"], root)
    except RecordsError as exc:
        if data["perfil"] in available_profiles(root):
            f.problems.extend(exc.problemas)
        else:
            f.error(("perfil",), exc.problemas[0].mensaje)
    _en_una_linea(f, data, (), ("nombre", "estado", "ciudad"))
    _en_una_linea(f, data["organo_garante"], ("organo_garante",), ("nombre", "siglas"))
    people = [_integrante(f, raw, ("integrantes", i)) for i, raw in enumerate(data["integrantes"])]
    _check_roster(f, people, perfil)
    _check_nombres(f, people, fuente)
    inhabiles = []
    for i, raw in enumerate(data.get("dias_inhabiles", [])):
        fecha = f.date(raw["fecha"], ("dias_inhabiles", i, "fecha"))
        if fecha:
            inhabiles.append((fecha, raw["acuerdo"]))
    stl = Stl(
        nombre=data["nombre"],
        estado=data["estado"],
        perfil_id=data["perfil"],
        organo_garante=data["organo_garante"]["nombre"],
        organo_garante_siglas=data["organo_garante"]["siglas"],
        prefijo_folio=data["folio"]["prefijo"],
        integrantes=tuple(people),
        dias_inhabiles=tuple(sorted(inhabiles)),
        lugar=f.at(()),
        tsa=data.get("firma", {}).get("tsa"),
        raices=tuple(data.get("firma", {}).get("raices", [])),
        intermedias=tuple(data.get("firma", {}).get("intermedias", [])),
        lugares_firma=_lugares_firma(f, data.get("firma", {})),
        sitio=_sitio(f, data.get("sitio", {})),
        correo=_correo(data.get("correo")),
        ciudad=data.get("ciudad"),
        membrete=_membrete(f, fuente, data.get("membrete")),
        zona_horaria=data.get("zona_horaria", spanish.ZONA_HORARIA),
    )
    return stl, perfil, f.problems


def _lugares_firma(f: _File, firma: dict) -> dict[str, Ubicacion]:
    """Where stl.yaml names each certificate of `firma:` (a root that is no CA is refused when it is read)."""
    lugares = [
        f.at(("firma", clave, i))
        for clave in ("raices", "intermedias")
        for i in range(len(firma.get(clave, [])))
    ]
    return {lugar.campo: lugar for lugar in lugares}


# The usual port of each kind of SMTP security: submission with STARTTLS, implicit TLS, plain SMTP.
_PUERTOS = {"starttls": 587, "ssl": 465, "ninguna": 25}


def _correo(raw: dict | None) -> Correo | None:
    if raw is None:
        return None
    seguridad = raw.get("seguridad", "starttls")
    return Correo(
        servidor=raw["servidor"],
        puerto=raw.get("puerto", _PUERTOS[seguridad]),
        seguridad=seguridad,
        remitente=raw["remitente"],
        usuario=raw.get("usuario"),
    )


# --- sesiones/<ID>.yaml -------------------------------------------------------------------------


@dataclass
class _SessionFile:
    """One session's file being read: what the reader of each part needs to check ids and dates."""

    f: _File
    data: dict
    sid: str
    parsed: SessionId
    stl: Stl
    known: set[str] = field(init=False)
    attendees: set[str] = field(init=False)
    fecha: dt.date | None = field(init=False)

    def __post_init__(self) -> None:
        self.known = {p.id for p in self.stl.integrantes}
        self.attendees = {
            a if isinstance(a, str) else a["integrante"] for a in self.data.get("asistencia", [])
        }
        # An impossible date is reported once; the checks that compare against it are skipped.
        self.fecha = self.f.date(self.data["fecha"], ("fecha",))

    def name(self, id_: str | None) -> str:
        """A member's name for a message; the id in quotes if it is unknown."""
        return self.stl.integrante(id_).nombre if id_ in self.known else f"«{id_}»"

    def member(self, value: str | None, path: Path_) -> None:
        if value is not None and value not in self.known:
            self.f.error(path, f"integrante desconocido «{value}» (no está en stl.yaml)")

    def attended(self, value: str | None, path: Path_, role: str) -> None:
        """Who speaks or asks for a change must have attended (when attendance is recorded)."""
        if value in self.known and "asistencia" in self.data and value not in self.attendees:
            nombre = self.stl.integrante(value).nombre
            self.f.error(path, f"{nombre} {role}, pero no está en la asistencia de la sesión")


def _read_session(s: _SessionFile) -> Sesion:
    """The whole `Sesion`: the heading here, each part from its own reader below."""
    d, f = s.data, s.f
    fecha = s.fecha or dt.date(s.parsed.anio, 1, 1)
    tipo = TipoSesion(d["tipo"])
    numero = d.get("numero", s.parsed.numero)
    _check_identity(s, tipo, numero)
    parcial = d.get("registro", "completo") == "parcial"
    if parcial:
        _check_partial(s)
    else:
        _check_complete(s)
    inicio = f.time(d.get("hora_inicio"), ("hora_inicio",))
    cierre = f.time(d.get("hora_cierre"), ("hora_cierre",))
    if inicio and cierre and cierre <= inicio:
        f.error(("hora_cierre",), f"la sesión cierra ({cierre:%H:%M}) antes de abrir ({inicio:%H:%M})")
    modalidad = d.get("modalidad", {})
    return Sesion(
        id=s.sid,
        tipo=tipo,
        numero=numero,
        fecha=fecha,
        lugar=f.at(()),
        lugares=f.fields((), d),
        parcial=parcial,
        fuente=d.get("fuente"),
        resumen=d.get("resumen"),
        hora_inicio=inicio,
        hora_cierre=cierre,
        entidad=d.get("entidad", s.stl.estado),
        modalidad=modalidad.get("tipo"),
        sede=modalidad.get("lugar") or modalidad.get("plataforma"),
        enlace=modalidad.get("enlace"),
        convocatoria=_convocatoria(s),
        asistencia=_asistencia(s, inicio, cierre),
        orden_del_dia=_orden(s, fecha, inicio, cierre),
        aprobacion=_aprobacion(s),
        cancelada=_cancelada(s, inicio),
        observaciones=_observaciones(s),
        fe_de_erratas=_fe_de_erratas(s),
        conduce=_conduce(s),
    )


# The heading: the ID against type, number and date; what a partial or a complete record must carry.


def _check_identity(s: _SessionFile, tipo: TipoSesion, numero: int | None) -> None:
    p, f, fecha = s.parsed, s.f, s.fecha
    if p.tipo is not None and p.tipo is not tipo:
        f.error(("tipo",), f"el ID «{s.sid}» corresponde a una sesión {p.tipo}, no {tipo}")
    if p.numero is not None and numero != p.numero:
        f.error(("numero",), f"el ID «{s.sid}» corresponde al número {p.numero}, no {numero}")
    if fecha and fecha.year != p.anio:
        f.error(("fecha",), f"la fecha es de {fecha.year} pero el ID «{s.sid}» dice {p.anio}")
    if fecha and p.fecha is not None and fecha != p.fecha:
        f.error(("fecha",), f"la fecha no coincide con el ID «{s.sid}»")
    if p.tipo is None and s.data.get("registro") != "parcial":
        f.error((), "un ID con fecha solo sirve para un registro parcial («registro: parcial»)")


def _check_partial(s: _SessionFile) -> None:
    if "fuente" not in s.data:
        s.f.error((), "un registro parcial debe decir su fuente (campo «fuente»)")
    if "orden_del_dia" in s.data:
        s.f.error(("orden_del_dia",), "un registro parcial no lleva orden del día")


def _check_complete(s: _SessionFile) -> None:
    # Attendance and closing time come after the session: without them the record is a session that
    # is convened (enough for the convocatoria and the orden del día) but not yet for its acta.
    for key in ("hora_inicio", "modalidad", "convocatoria"):
        if key not in s.data:
            s.f.error((), f"falta el campo obligatorio «{key}»")
    if not s.data.get("orden_del_dia"):
        s.f.error((), "falta el orden del día («orden_del_dia»)")
    modalidad = s.data.get("modalidad", {})
    if modalidad.get("tipo") == "virtual" and "plataforma" not in modalidad:
        s.f.error(("modalidad",), "una sesión virtual debe decir su plataforma")
    if modalidad.get("tipo") == "presencial" and "lugar" not in modalidad:
        s.f.error(("modalidad",), "una sesión presencial debe decir su lugar")


# The convocatoria.


def _convocatoria(s: _SessionFile) -> Convocatoria | None:
    raw = s.data.get("convocatoria")
    if raw is None:
        return None
    path: Path_ = ("convocatoria",)
    emitida = s.f.date(raw["fecha"], (*path, "fecha"))
    s.member(raw["convoca"], (*path, "convoca"))
    if "folio" in raw:
        _check_folio(s.f, raw["folio"], emitida, s.stl.prefijo_folio, (*path, "folio"))
    fecha = s.fecha
    if emitida and fecha and emitida > fecha:
        s.f.error(
            (*path, "fecha"),
            f"la convocatoria ({emitida.isoformat()}) es posterior a la sesión ({fecha.isoformat()})",
        )
    return Convocatoria(
        raw.get("folio"),
        emitida or fecha or dt.date(s.parsed.anio, 1, 1),
        raw["convoca"],
        s.f.at(path),
        hora=s.f.time(raw.get("hora"), (*path, "hora")),
        ccp=tuple(raw.get("ccp", [])),
        lugares=s.f.fields(path, raw),
    )


# The attendance.


def _asistencia(
    s: _SessionFile, inicio: dt.time | None, cierre: dt.time | None
) -> tuple[Asistente, ...] | None:
    raw_list = s.data.get("asistencia")
    if raw_list is None:
        return None
    result, seen = [], set()
    for i, raw in enumerate(raw_list):
        path: Path_ = ("asistencia", i)
        raw = {"integrante": raw} if isinstance(raw, str) else raw
        who, instead = raw["integrante"], raw.get("en_lugar_de")
        if who in seen:
            s.f.error(path, f"«{who}» aparece dos veces en la asistencia")
        seen.add(who)
        s.member(who, path)
        s.member(instead, (*path, "en_lugar_de"))
        if who in s.known:
            _check_attendee(s, s.stl.integrante(who), instead, path)
        llega, sale = _llega_y_sale(s, raw, path, inicio, cierre)
        result.append(Asistente(who, s.f.at(path), instead, llega, sale, s.f.fields(path, raw)))
    return tuple(result)


def _llega_y_sale(
    s: _SessionFile, raw: dict, path: Path_, inicio: dt.time | None, cierre: dt.time | None
) -> tuple[dt.time | None, dt.time | None]:
    """Arrival after the opening and departure before the closing: each strictly inside the session."""
    llega = s.f.time(raw.get("llega"), (*path, "llega"))
    sale = s.f.time(raw.get("sale"), (*path, "sale"))
    nombre = s.name(raw["integrante"])
    if llega and inicio and llega <= inicio:
        s.f.error(
            (*path, "llega"),
            f"{nombre} llega a las {llega:%H:%M}, no después de abrir la sesión ({inicio:%H:%M}): "
            "quien está al abrir no lleva «llega»",
        )
    if sale and inicio and sale <= inicio:
        s.f.error(
            (*path, "sale"), f"{nombre} sale a las {sale:%H:%M}, antes de abrir la sesión ({inicio:%H:%M})"
        )
    for campo, hora in (("llega", llega), ("sale", sale)):
        if hora and cierre and hora >= cierre:
            s.f.error(
                (*path, campo),
                f"{nombre} {campo} a las {hora:%H:%M}, no antes del cierre ({cierre:%H:%M}): "
                f"quite «{campo}» si estuvo hasta el final",
            )
    if llega and sale and sale <= llega:
        s.f.error((*path, "sale"), f"{nombre} sale ({sale:%H:%M}) antes de llegar ({llega:%H:%M})")
    return llega, sale


def _check_attendee(s: _SessionFile, person: Integrante, instead: str | None, path: Path_) -> None:
    if s.fecha and not person.activo(s.fecha):
        s.f.error(path, f"{person.nombre} no estaba en funciones el {s.fecha.isoformat()}")
    if instead is not None and person.calidad not in (Calidad.SUPLENTE, Calidad.ENLACE):
        s.f.error(
            (*path, "en_lugar_de"),
            f"{person.nombre} es {person.calidad}: solo un suplente o un enlace asiste en lugar de un titular",
        )
    elif instead is not None and person.de != instead:
        s.f.error(
            (*path, "en_lugar_de"),
            f"{person.nombre} es {person.calidad} de {s.name(person.de)}, no de {s.name(instead)}",
        )


def _conduce(s: _SessionFile) -> str | None:
    """Who conducts when the profile's conductor is absent: an attendee (the rules check the rest)."""
    quien = s.data.get("conduce")
    s.member(quien, ("conduce",))
    s.attended(quien, ("conduce",), "conduce la sesión")
    return quien


# The cancellation and the approval of the acta.


def _cancelada(s: _SessionFile, inicio: dt.time | None) -> Cancelacion | None:
    raw = s.data.get("cancelada")
    if raw is None:
        return None
    fecha = s.f.date(raw["fecha"], ("cancelada", "fecha"))
    hora = s.f.time(raw["hora"], ("cancelada", "hora"))
    if fecha is None or hora is None:
        return None
    if s.fecha and dt.datetime.combine(fecha, hora) > dt.datetime.combine(s.fecha, inicio or hora):
        s.f.error(("cancelada", "fecha"), "la cancelación es posterior al inicio de la sesión")
    return Cancelacion(fecha, hora, raw["motivo"], s.f.at(("cancelada",)))


def _aprobacion(s: _SessionFile) -> tuple[dt.date, str] | None:
    raw = s.data.get("aprobacion")
    if raw is None:
        return None
    fecha = s.f.date(raw["fecha"], ("aprobacion", "fecha"))
    return (fecha, raw["fundamento"]) if fecha else None


# The observations to the draft and the fe de erratas of the approved acta.


def _observaciones(s: _SessionFile) -> tuple[Observacion, ...]:
    result = []
    for i, raw in enumerate(s.data.get("observaciones", [])):
        path: Path_ = ("observaciones", i)
        s.member(raw["integrante"], (*path, "integrante"))
        s.attended(raw["integrante"], (*path, "integrante"), "hace una observación al acta")
        fecha = s.f.date(raw["fecha"], (*path, "fecha"))
        if fecha and s.fecha and fecha < s.fecha:
            s.f.error(
                (*path, "fecha"),
                "la observación es anterior a la sesión: se hace sobre el borrador del acta",
            )
        if raw["aceptada"] is False and not raw.get("motivo"):
            s.f.error(path, "una observación que no se tomó debe decir por qué («motivo»)")
        result.append(
            Observacion(
                raw["integrante"],
                fecha or s.fecha,
                raw["texto"],
                raw["aceptada"],
                s.f.at(path),
                raw.get("motivo"),
            )
        )
    return tuple(result)


def _fe_de_erratas(s: _SessionFile) -> tuple[FeDeErratas, ...]:
    result = []
    for i, raw in enumerate(s.data.get("fe_de_erratas", [])):
        path: Path_ = ("fe_de_erratas", i)
        s.member(raw.get("firma"), (*path, "firma"))
        fecha = s.f.date(raw["fecha"], (*path, "fecha"))
        if fecha and s.fecha and fecha < s.fecha:
            s.f.error((*path, "fecha"), "la fe de erratas es anterior a la sesión")
        correcciones = []
        for j, c in enumerate(raw["correcciones"]):
            if c["dice"].strip() == c["debe_decir"].strip():
                s.f.error((*path, "correcciones", j, "debe_decir"), "«debe_decir» repite lo que «dice»")
            correcciones.append(Correccion(str(c["seccion"]), c["dice"], c["debe_decir"]))
        result.append(
            FeDeErratas(
                i + 1,
                fecha or s.fecha,
                tuple(correcciones),
                s.f.at(path),
                raw.get("firma"),
                raw.get("motivo"),
                tuple(raw.get("ccp", ())),
            )
        )
    return tuple(result)


# The agenda: each item, its acuerdos and their votes.


def _orden(
    s: _SessionFile, fecha: dt.date, inicio: dt.time | None, cierre: dt.time | None
) -> tuple[Punto, ...]:
    items, claves = [], {}
    counter = [0]
    for i, raw in enumerate(s.data.get("orden_del_dia", [])):
        path: Path_ = ("orden_del_dia", i)
        tipo = TipoPunto(raw.get("tipo", "asunto"))
        clave = raw.get("clave", tipo.value if tipo is not TipoPunto.ASUNTO else None)
        if tipo is TipoPunto.ASUNTO and ("texto" not in raw or "clave" not in raw):
            s.f.error(path, "un punto de tipo asunto necesita «clave» y «texto»")
        if tipo is not TipoPunto.ASUNTO and "texto" in raw:
            s.f.error((*path, "texto"), f"el título de un punto «{tipo}» se redacta solo; quite «texto»")
        if tipo is TipoPunto.APROBACION_ACTA and "sesion" not in raw:
            s.f.error(path, "falta «sesion»: la sesión cuya acta se aprueba")
        if clave in claves:
            s.f.error((*path, "clave"), f"la clave «{clave}» ya se usa en el punto {claves[clave] + 1}")
        claves.setdefault(clave, i)
        items.append(_punto(s, raw, path, tipo, clave or f"punto-{i + 1}", counter, fecha))
    _check_duplicated_acuerdos(s, items)
    _check_vote_times(s, items, inicio, cierre)
    return tuple(items)


def _check_vote_times(
    s: _SessionFile, items: list[Punto], inicio: dt.time | None, cierre: dt.time | None
) -> None:
    """A vote's time is inside the session and no earlier than the votes before it in the agenda."""
    anterior = None
    for acuerdo in (a for p in items for a in p.acuerdos if a.hora):
        where = Ubicacion(acuerdo.lugar.archivo, acuerdo.lugar.linea, f"{acuerdo.lugar.campo}.hora")
        fuera = (inicio and acuerdo.hora < inicio) or (cierre and acuerdo.hora > cierre)
        if fuera:
            rango = f"de {inicio:%H:%M} a {cierre:%H:%M}" if inicio and cierre else "de la sesión"
            msg = f"{acuerdo.folio} se vota a las {acuerdo.hora:%H:%M}, fuera del horario {rango}"
            s.f.problems.append(Problema(msg, where))
        if anterior and acuerdo.hora < anterior.hora:
            msg = (
                f"{acuerdo.folio} se vota a las {acuerdo.hora:%H:%M}, antes que {anterior.folio} "
                f"({anterior.hora:%H:%M}), que le precede en el orden del día"
            )
            s.f.problems.append(Problema(msg, where))
        anterior = acuerdo


def _check_duplicated_acuerdos(s: _SessionFile, items: list[Punto]) -> None:
    seen: dict[str, str] = {}
    for acuerdo in (a for p in items for a in p.acuerdos if a.texto):
        key = " ".join(acuerdo.texto.lower().split())
        if key in seen:
            msg = f"acuerdo duplicado: {acuerdo.folio} repite el texto de {seen[key]}"
            s.f.problems.append(Problema(msg, acuerdo.lugar))
        seen.setdefault(key, acuerdo.folio)


def _punto(s: _SessionFile, raw, path, tipo, clave, counter, fecha) -> Punto:
    retirado, agregado = raw.get("retirado"), raw.get("agregado")
    if retirado and agregado:
        s.f.error(path, "un punto no puede estar «retirado» y «agregado» a la vez")
    modificacion = retirado or agregado or {}
    m_path = (*path, "retirado" if retirado else "agregado", "solicita")
    s.member(modificacion.get("solicita"), m_path)
    s.attended(modificacion.get("solicita"), m_path, "solicita la modificación del orden del día")
    if retirado and (raw.get("intervenciones") or raw.get("acuerdos")):
        s.f.error(path, "un punto retirado no tiene intervenciones ni acuerdos")
    intervenciones = _intervenciones(s, raw, path)
    acuerdos = []
    for j, item in enumerate(raw.get("acuerdos", [])):
        counter[0] += 1
        aprueba = raw.get("sesion") if tipo is TipoPunto.APROBACION_ACTA else None
        acuerdos.append(_acuerdo(s, item, (*path, "acuerdos", j), counter[0], clave, tipo, aprueba, fecha))
    return Punto(
        clave=clave,
        tipo=tipo,
        lugar=s.f.at(path),
        lugares=s.f.fields(path, raw),
        texto=raw.get("texto"),
        sesion=raw.get("sesion"),
        intervenciones=intervenciones,
        acuerdos=tuple(acuerdos),
        retirado=bool(retirado),
        agregado=bool(agregado),
        solicita=modificacion.get("solicita"),
        motivo=modificacion.get("motivo"),
    )


def _intervenciones(s: _SessionFile, raw: dict, path: Path_) -> tuple[Intervencion, ...]:
    intervenciones = []
    for j, item in enumerate(raw.get("intervenciones", [])):
        s.member(item.get("orador"), (*path, "intervenciones", j, "orador"))
        s.attended(item.get("orador"), (*path, "intervenciones", j, "orador"), "interviene")
        lugar = s.f.at((*path, "intervenciones", j))
        intervenciones.append(Intervencion(item["texto"], lugar, item.get("orador")))
    return tuple(intervenciones)


def _acuerdo(s: _SessionFile, raw, path, n, clave, tipo_punto, aprueba, fecha) -> Acuerdo:
    folio = acuerdo_folio(s.stl.prefijo_folio, s.parsed, n, fecha)
    worded = tipo_punto in (TipoPunto.ORDEN_DEL_DIA, TipoPunto.APROBACION_ACTA)
    if "texto" not in raw and not worded:
        s.f.error(path, "falta el campo obligatorio «texto» (el objeto del acuerdo)")
    if "folio" in raw and raw["folio"] != folio:
        s.f.error((*path, "folio"), f"el folio «{raw['folio']}» no es el que corresponde: {folio}")
    return Acuerdo(
        numero=n,
        folio=folio,
        texto=raw.get("texto"),
        votacion=_votacion(s, raw["votacion"], (*path, "votacion")),
        lugar=s.f.at(path),
        punto=clave,
        aprueba_acta=aprueba,
        hora=s.f.time(raw.get("hora"), (*path, "hora")),
    )


def _votacion(s: _SessionFile, raw, path: Path_) -> Votacion:
    lugar = s.f.at(path)
    if raw == "unanimidad":
        return Votacion(lugar, declarada="unanimidad")
    lugares: dict[str, Ubicacion] = {}  # member id → where their vote is written (first mention)
    for key in ("a_favor", "en_contra"):
        for k, who in enumerate(raw.get(key, [])):
            s.member(who, (*path, key, k))
            lugares.setdefault(who, s.f.at((*path, key, k)))
    abstenciones = []
    for k, item in enumerate(raw.get("abstenciones", [])):
        s.member(item["integrante"], (*path, "abstenciones", k, "integrante"))
        lugares.setdefault(item["integrante"], s.f.at((*path, "abstenciones", k)))
        abstenciones.append((item["integrante"], item.get("motivo")))
    s.member(raw.get("voto_de_calidad"), (*path, "voto_de_calidad"))
    a_favor = raw.get("a_favor")
    return Votacion(
        lugar,
        a_favor=tuple(a_favor) if a_favor is not None else None,
        en_contra=tuple(raw.get("en_contra", [])),
        abstenciones=tuple(abstenciones),
        declarada=raw.get("declarada"),
        voto_de_calidad=raw.get("voto_de_calidad"),
        lugares={**lugares, **s.f.fields(path, raw)},
    )


def _check_folio(f: _File, folio: str, fecha: dt.date | None, prefijo: str, path: Path_) -> None:
    prefix, _, year = folio.split("/")
    if prefix != prefijo:
        f.error(path, f"el folio debe empezar con «{prefijo}/»")
    if fecha and int(year) != fecha.year:
        f.error(path, f"el folio es de {year} y el oficio de {fecha.year}")


class Analizados:
    """Session and meeting records already parsed, by the SHA-256 of their bytes (never by date: a file saved
    twice in a second, or copied with its date, is still told apart), in one file of a cache folder beside the
    outputs: its data and the line of every field, as `read_yaml` gives them for a file without problems (a
    file with problems is parsed again each time, so that every one is reported). Only what the documents
    publish anyway: never `stl.yaml` (members' `privado`) nor the registries. Parsing is a pure function of
    the bytes and of `yamlfile`, whose source is part of every key. The file is checked whole (a SHA-256 of
    its content) and rewritten with the entries of the last load only when they changed; unreadable, it is
    as if empty."""

    ARCHIVO = "registros.marshal"

    def __init__(self, carpeta: Path | None) -> None:
        self.carpeta, self.previos, self.usados = carpeta, {}, {}
        if carpeta is None:
            return
        try:
            contenido = (carpeta / self.ARCHIVO).read_bytes()
            if hmac.compare_digest(_sello(contenido[32:]), contenido[:32]):
                self.previos = marshal.loads(contenido[32:])
        except (OSError, EOFError, ValueError, TypeError):
            pass

    def leer(self, path: Path, rel: str, datos: bytes | None) -> tuple[object, Lines, list[Problema]]:
        if self.carpeta is None or not rel.startswith(("sesiones/", "reuniones/")):
            return read_yaml(path, rel, datos)
        try:
            datos = path.read_bytes() if datos is None else datos
        except OSError:
            return read_yaml(path, rel)  # says why in Spanish
        clave = hashlib.sha256(_firma_analisis() + datos).digest()
        entrada = self.previos.get(clave)
        if entrada is not None:
            self.usados[clave] = entrada
            return *marshal.loads(entrada), []
        data, lines, problems = read_yaml(path, rel, datos)
        if not problems:
            self.usados[clave] = marshal.dumps((data, lines))
        return data, lines, problems

    def guardar(self) -> None:
        if self.carpeta is None or self.usados == self.previos:
            return
        contenido = marshal.dumps(self.usados)
        try:
            if not (self.carpeta / ".gitignore").is_file():
                write_atomic(self.carpeta, ".gitignore", b"*\n", sincronizar=False)
            datos = _sello(contenido) + contenido
            write_atomic(self.carpeta, self.ARCHIVO, datos, sincronizar=False)
        except StlError:  # a cache that cannot be written only costs time
            pass


def _sello(contenido: bytes) -> bytes:
    """An HMAC of the cache file with a key of this user's (their cache folder, mode 0600): whoever can write in the
    outputs folder but not in the user's home cannot make stl take other content for a record (nor feed marshal,
    which is not meant for untrusted bytes, anything but what stl wrote)."""
    return hmac.new(_clave_cache(), contenido, hashlib.sha256).digest()


@cache
def _clave_cache() -> bytes:
    carpeta = cache_dir()
    path = carpeta / "clave-registros"
    try:
        clave = path.read_bytes()
        if len(clave) == 32 and path.stat().st_mode & 0o077 == 0:
            return clave
    except OSError:
        pass
    clave = secrets.token_bytes(32)
    with contextlib.suppress(StlError):  # without a key that lasts, the cache only lasts this process
        write_atomic(carpeta, "clave-registros", clave, modo=0o600)
    return clave


@cache
def _firma_analisis() -> bytes:
    """What parsing depends on besides the bytes: the source of `yamlfile`, PyYAML, marshal's format."""
    import yaml

    fuente = Path(yamlfile.__file__).read_bytes()
    return hashlib.sha256(fuente + f"\0{yaml.__version__}\0{marshal.version}".encode()).digest()


class _Fuente:
    """Where the records are read from: the folder, or the bytes already read from it; parsed through the
    cache in `cache` (a folder) when one is given."""

    def __init__(
        self, root: Path, archivos: Mapping[str, bytes] | None = None, cache: Analizados | None = None
    ) -> None:
        self.root, self.archivos, self.analizados = root, archivos, cache or Analizados(None)

    def existe(self, rel: str) -> bool:
        return rel in self.archivos if self.archivos is not None else (self.root / rel).is_file()

    def leer(self, rel: str) -> tuple[object, Lines, list[Problema]]:
        return self.analizados.leer(
            self.root / rel, rel, None if self.archivos is None else self.archivos[rel]
        )

    def datos(self, rel: str) -> bytes | None:
        """The bytes of any file of the records (an image), None if there is none."""
        rel = posixpath.normpath(rel)  # «./membrete/logo.png» is «membrete/logo.png» of the snapshot
        if self.archivos is not None:
            return self.archivos.get(rel)
        try:
            return (self.root / rel).read_bytes()
        except OSError:  # absent, a folder, unreadable: not a file the records can use
            return None

    def registros_en(self, carpeta: str) -> list[str]:
        """`carpeta/*.yaml` but hidden files (an editor's, a writer's temporary), relative to the root, sorted."""
        if self.archivos is None:
            nombres = [p.name for p in (self.root / carpeta).glob("*.yaml")]
        else:
            nombres = [
                r.split("/")[1] for r in self.archivos if r.count("/") == 1 and r.startswith(f"{carpeta}/")
            ]
        return sorted(f"{carpeta}/{n}" for n in nombres if n.endswith(".yaml") and not n.startswith("."))


def _read_registry(fuente: _Fuente, rel: str, schema_name: str) -> tuple[dict | None, Lines, list[Problema]]:
    """An optional registry file (folios, certificados, envíos): None when absent or empty."""
    if not fuente.existe(rel):
        return None, {}, []
    data, lines, problems = fuente.leer(rel)
    if data is None or problems:
        return None, lines, problems
    return data, lines, schema_problems(data, lines, rel, schema_name)


def _load_folios(fuente: _Fuente, stl: Stl) -> tuple[list[Folio], list[Problema]]:
    """The folio registry: numbers within a year follow one another, never repeated nor skipped."""
    rel = "folios.yaml"
    data, lines, problems = _read_registry(fuente, rel, "folios")
    if data is None or problems:
        return [], problems
    f = _File(rel, lines)
    folios: list[Folio] = []
    convoca: dict[str, Folio] = {}  # session → the oficio that convenes it: one per session
    for i, raw in enumerate(data["folios"]):
        path: Path_ = ("folios", i)
        fecha = f.date(raw["fecha"], (*path, "fecha"))
        _check_folio(f, raw["folio"], fecha, stl.prefijo_folio, (*path, "folio"))
        _, numero, anio = raw["folio"].split("/")
        folio = Folio(
            raw["folio"],
            int(numero),
            int(anio),
            fecha or dt.date(int(anio), 1, 1),
            raw["destinatario"],
            raw["asunto"],
            f.at(path),
            raw.get("sesion"),
        )
        previous = next((x for x in reversed(folios) if x.anio == folio.anio), None)
        if previous and folio.numero != previous.numero + 1:
            esperado = f"{stl.prefijo_folio}/{previous.numero + 1:03d}/{folio.anio}"
            what = "repite" if folio.numero <= previous.numero else "salta"
            f.error(
                (*path, "folio"),
                f"el folio {folio.folio} {what} la numeración: tras {previous.folio} sigue {esperado}",
            )
        elif previous and fecha and folio.fecha < previous.fecha:
            f.error((*path, "fecha"), f"el folio {folio.folio} tiene fecha anterior a {previous.folio}")
        if folio.sesion and folio.sesion in convoca:
            primero = convoca[folio.sesion]
            f.error(
                (*path, "sesion"),
                f"la sesión {folio.sesion} ya tiene el folio {primero.folio} (línea {primero.lugar.linea}): "
                "una convocatoria lleva un solo folio",
            )
        if folio.sesion:
            convoca.setdefault(folio.sesion, folio)
        folios.append(folio)
    return folios, f.problems


def _load_certificados(fuente: _Fuente, stl: Stl) -> tuple[dict[str, frozenset[str]], list[Problema]]:
    """Registered certificates: member id → SHA-256 fingerprints of the certificates they sign with."""
    rel = "certificados.yaml"
    data, lines, problems = _read_registry(fuente, rel, "certificados")
    if data is None or problems:
        return {}, problems
    f = _File(rel, lines)
    known = {p.id for p in stl.integrantes}
    registered: dict[str, set[str]] = {}
    owner: dict[str, str] = {}
    for i, raw in enumerate(data["certificados"]):
        who, huella = raw["integrante"], raw["sha256"]
        if who not in known:
            f.error(
                ("certificados", i, "integrante"), f"integrante desconocido «{who}» (no está en stl.yaml)"
            )
        if owner.get(huella, who) != who:
            f.error(
                ("certificados", i, "sha256"), f"el certificado ya está registrado para «{owner[huella]}»"
            )
        owner.setdefault(huella, who)
        registered.setdefault(who, set()).add(huella)
    return {k: frozenset(v) for k, v in registered.items()}, f.problems


def _load_aprobados(fuente: _Fuente) -> tuple[dict[str, Aprobado], list[Problema]]:
    """The approved text of each acta (records/aprobaciones.yaml, written by stl): one entry per session."""
    rel = "aprobaciones.yaml"
    data, lines, problems = _read_registry(fuente, rel, "aprobaciones")
    if data is None or problems:
        return {}, problems
    f = _File(rel, lines)
    aprobados: dict[str, Aprobado] = {}
    for i, raw in enumerate(data["aprobaciones"]):
        path: Path_ = ("aprobaciones", i)
        if raw["sesion"] in aprobados:
            f.error((*path, "sesion"), f"el texto aprobado del acta de {raw['sesion']} ya está registrado")
            continue
        secciones = tuple((s["seccion"], s["sha256"]) for s in raw["secciones"])
        aprobados[raw["sesion"]] = Aprobado(
            raw["sesion"], raw["aprobacion"], raw["sha256"], secciones, f.at(path)
        )
    return aprobados, f.problems


def _load_envios(fuente: _Fuente) -> tuple[list[Envio], list[Problema]]:
    """The log of messages sent (records/envios.yaml), which `stl enviar` reads so as to send nothing twice."""
    rel = "envios.yaml"
    data, lines, problems = _read_registry(fuente, rel, "envios")
    if data is None or problems:
        return [], problems
    f = _File(rel, lines)
    envios = []
    for i, raw in enumerate(data["envios"]):
        path: Path_ = ("envios", i)
        try:
            fecha = dt.datetime.fromisoformat(raw["fecha"])
            inicio = dt.datetime.fromisoformat(raw["inicio"]) if "inicio" in raw else None
        except ValueError:
            f.error(path, "fecha u hora imposible")
            continue
        envios.append(
            Envio(
                sesion=raw["sesion"],
                clase=raw["clase"],
                integrante=raw["integrante"],
                mensaje=raw["mensaje"],
                fecha=fecha,
                lugar=f.at(path),
                sha256=raw.get("sha256"),
                secuencia=raw.get("secuencia"),
                inicio=inicio,
                sede=raw.get("sede"),
                confirmado=raw.get("estado") != "sin_confirmacion",
            )
        )
    return envios, f.problems


def load_envios(root: str | Path) -> tuple[Envio, ...]:
    """Only the log of messages sent; `RecordsError` if it is malformed (read again under `stl enviar`'s lock)."""
    envios, problems = _load_envios(_Fuente(Path(root)))
    if problems:
        raise RecordsError(problems)
    return tuple(envios)


def _load_seguimiento(
    fuente: _Fuente, stl: Stl, sesiones: list[Sesion], incompletas: bool = False
) -> tuple[dict[str, Seguimiento], list[Problema]]:
    """Follow-up of acuerdos: each names a real acuerdo (unless some session could not be read: its acuerdos are
    unknown), a known responsible, updates in date order."""
    rel = "seguimiento.yaml"
    data, lines, problems = _read_registry(fuente, rel, "seguimiento")
    if data is None or problems:
        return {}, problems
    f = _File(rel, lines)
    folios = {a.folio for s in sesiones for a in s.acuerdos}
    known = {p.id for p in stl.integrantes}
    result: dict[str, Seguimiento] = {}
    for i, raw in enumerate(data["seguimiento"]):
        path: Path_ = ("seguimiento", i)
        folio = raw["acuerdo"]
        if folio not in folios and not incompletas:
            f.error((*path, "acuerdo"), f"no hay un acuerdo {folio} en los registros de las sesiones")
        if folio in result:
            f.error(
                (*path, "acuerdo"),
                f"el acuerdo {folio} ya tiene seguimiento (línea {result[folio].lugar.linea})",
            )
        if raw.get("responsable") is not None and raw["responsable"] not in known:
            f.error(
                (*path, "responsable"), f"integrante desconocido «{raw['responsable']}» (no está en stl.yaml)"
            )
        actualizaciones = []
        for j, u in enumerate(raw.get("actualizaciones", [])):
            fecha = f.date(u["fecha"], (*path, "actualizaciones", j, "fecha"))
            if fecha and actualizaciones and fecha < actualizaciones[-1][0]:
                f.error((*path, "actualizaciones", j, "fecha"), "las actualizaciones van en orden de fecha")
            if fecha:
                actualizaciones.append((fecha, u["estado"], u.get("nota"), u.get("sesion")))
        limite = f.date(raw.get("fecha_limite"), (*path, "fecha_limite"))
        result.setdefault(
            folio, Seguimiento(folio, f.at(path), raw.get("responsable"), limite, tuple(actualizaciones))
        )
    return result, f.problems


def _with_folios(
    sesiones: list[Sesion], folios: list[Folio], ilegibles: frozenset[str] = frozenset()
) -> tuple[list[Sesion], list[Problema]]:
    """Each convocatoria takes its folio from the registry; a folio written in the record must agree."""
    problems: list[Problema] = []
    by_session: dict[str, Folio] = {}
    for x in folios:  # the first oficio of a session is its convocatoria; a second is reported where it is
        if x.sesion:
            by_session.setdefault(x.sesion, x)
    by_folio = {x.folio: x for x in folios}
    result = []
    for s in sesiones:
        conv, entry = s.convocatoria, by_session.get(s.id)
        if conv is not None and entry is not None and conv.folio is None:
            s = dataclasses.replace(s, convocatoria=dataclasses.replace(conv, folio=entry.folio))
        elif conv is not None and conv.folio is not None:
            owner = by_folio.get(conv.folio)
            if entry is not None and entry.folio != conv.folio:
                msg = f"el registro de folios da a {s.id} el folio {entry.folio}, no {conv.folio}"
                problems.append(Problema(msg, conv.en("folio")))
            elif owner is not None and owner.sesion not in (None, s.id):
                msg = f"el folio {conv.folio} corresponde, en el registro de folios, a {owner.sesion}"
                problems.append(Problema(msg, conv.en("folio")))
        result.append(s)
    for entry in folios:
        if entry.sesion and entry.sesion not in {s.id for s in sesiones} | ilegibles:
            problems.append(Problema(f"no hay registro de la sesión «{entry.sesion}»", entry.lugar))
    return result, problems


_REUNION_ID = re.compile(r"^RT-(\d{4}-\d{2}-\d{2})(?:-\d+)?$")


def _load_reunion(fuente: _Fuente, rel: str, stl: Stl) -> tuple[Reunion | None, list[Problema]]:
    """A working meeting's record (records/reuniones/RT-AAAA-MM-DD.yaml)."""
    path = Path(rel)
    match = _REUNION_ID.match(path.stem)
    if match is None:
        return None, [
            Problema(f"el nombre «{path.stem}» no es un ID de reunión (RT-AAAA-MM-DD)", Ubicacion(rel))
        ]
    data, lines, problems = fuente.leer(rel)
    if not problems:
        problems = schema_problems(data, lines, rel, "reunion")
    if problems:
        return None, problems
    f = _File(rel, lines)
    known = {p.id for p in stl.integrantes}

    def member(value: str, where: Path_) -> None:
        if value not in known:
            f.error(where, f"integrante desconocido «{value}» (no está en stl.yaml)")

    fecha = f.date(data["fecha"], ("fecha",))
    if fecha and fecha.isoformat() != match[1]:
        f.error(("fecha",), f"la fecha no coincide con el ID «{path.stem}»")
    inicio = f.time(data["hora_inicio"], ("hora_inicio",))
    cierre = f.time(data["hora_cierre"], ("hora_cierre",))
    if inicio and cierre and cierre <= inicio:
        f.error(("hora_cierre",), f"la reunión termina ({cierre:%H:%M}) antes de empezar ({inicio:%H:%M})")
    for i, who in enumerate(data["asistencia"]):
        member(who, ("asistencia", i))
    temas = []
    for i, raw in enumerate(data["temas"]):
        items = []
        for j, item in enumerate(raw.get("intervenciones", [])):
            where = ("temas", i, "intervenciones", j)
            if item.get("orador") is not None:
                member(item["orador"], (*where, "orador"))
                if item["orador"] in known and item["orador"] not in data["asistencia"]:
                    f.error(
                        (*where, "orador"),
                        f"{stl.integrante(item['orador']).nombre} interviene, pero no está en la asistencia",
                    )
            items.append(Intervencion(item["texto"], f.at(where), item.get("orador")))
        temas.append(Tema(raw["tema"], tuple(items)))
    acuerdos = []
    for i, raw in enumerate(data.get("acuerdos", [])):
        member(raw["responsable"], ("acuerdos", i, "responsable"))
        limite = f.date(raw["fecha_limite"], ("acuerdos", i, "fecha_limite"))
        if limite and fecha and limite < fecha:
            f.error(("acuerdos", i, "fecha_limite"), "la fecha límite es anterior a la reunión")
        acuerdos.append(
            AcuerdoReunion(
                i + 1, raw["texto"], raw["responsable"], limite or fecha or dt.date.min, f.at(("acuerdos", i))
            )
        )
    modalidad = data["modalidad"]
    sede = modalidad.get("lugar") or modalidad.get("plataforma")
    if sede is None:
        f.error(("modalidad",), "falta el lugar (presencial) o la plataforma (virtual)")
    if f.problems or fecha is None or inicio is None or cierre is None:
        return None, f.problems
    reunion = Reunion(
        id=path.stem,
        fecha=fecha,
        hora_inicio=inicio,
        hora_cierre=cierre,
        modalidad=modalidad["tipo"],
        sede=sede or "",
        asunto=data["asunto"],
        asistencia=tuple(data["asistencia"]),
        externos=tuple((e["nombre"], e["cargo"]) for e in data.get("externos", [])),
        temas=tuple(temas),
        acuerdos=tuple(acuerdos),
        lugar=f.at(()),
    )
    return reunion, []


def acuerdo_folio(prefijo: str, parsed: SessionId, n: int, fecha: dt.date) -> str:
    """`STL/IV/1/2020`; extraordinary `STL/EXT-I/1/2021`; installation `STL/INST/1/2019`."""
    if parsed.tipo is TipoSesion.INSTALACION or parsed.numero is None:
        session = "INST"
    else:
        session = spanish.roman(parsed.numero)
        if parsed.tipo is TipoSesion.EXTRAORDINARIA:
            session = f"EXT-{session}"
    return f"{prefijo}/{session}/{n}/{fecha.year}"


def _load_session(fuente: _Fuente, rel: str, stl: Stl) -> tuple[Sesion | None, list[Problema]]:
    sid = Path(rel).stem
    parsed = parse_session_id(sid)
    if parsed is None:
        message = f"el nombre «{sid}» no es un ID de sesión (p. ej. IV-2020, EXT-I-2021, INST-2019)"
        return None, [Problema(message, Ubicacion(rel))]
    data, lines, problems = fuente.leer(rel)
    if data is None and not problems:
        problems = [Problema("el archivo está vacío", Ubicacion(rel, 1))]
    if problems:
        return None, problems
    f = _File(rel, lines, schema_problems(data, lines, rel, "sesion"))
    if f.problems:
        return None, f.problems
    assert isinstance(data, dict)
    session_file = _SessionFile(f, data, sid, parsed, stl)
    sesion = _read_session(session_file)
    # Without a real date the session cannot be compared with the others: its one error is enough.
    return (sesion if session_file.fecha else None), f.problems


def _check_across(sesiones: list[Sesion], ilegibles: frozenset[str] = frozenset()) -> list[Problema]:
    """References between sessions: acta approvals, folio uniqueness, numbering in date order. A session whose
    record could not be read (`ilegibles`) has its own error: naming it is no second one."""
    problems: list[Problema] = []
    by_id = {s.id: s for s in sesiones}
    folios: dict[str, str] = {}
    approved: dict[str, str] = {}
    for s in sesiones:
        if s.convocatoria and s.convocatoria.folio:
            other = folios.get(s.convocatoria.folio)
            if other:
                msg = f"el folio {s.convocatoria.folio} ya se usó en la convocatoria de {other}"
                problems.append(Problema(msg, s.convocatoria.en("folio")))
            folios.setdefault(s.convocatoria.folio, s.id)
        for punto in s.orden_del_dia:
            if punto.tipo is not TipoPunto.APROBACION_ACTA or punto.sesion is None:
                continue
            target = by_id.get(punto.sesion)
            if target is None and punto.sesion in ilegibles:
                continue
            if target is None:
                msg = f"no hay registro de la sesión «{punto.sesion}» cuya acta se aprueba"
                problems.append(Problema(msg, punto.en("sesion")))
            elif target.fecha >= s.fecha:
                msg = f"el acta de {punto.sesion} no puede aprobarse en una sesión anterior o del mismo día"
                problems.append(Problema(msg, punto.en("sesion")))
            for acuerdo in punto.acuerdos:
                if punto.sesion in approved:
                    msg = f"el acta de {punto.sesion} ya fue aprobada por {approved[punto.sesion]}"
                    problems.append(Problema(msg, punto.en("sesion")))
                approved.setdefault(punto.sesion, acuerdo.folio)
    for tipo in (TipoSesion.ORDINARIA, TipoSesion.EXTRAORDINARIA):
        # By year, then number: right both for numbering that runs on across years (IV-2020 after III-2020)
        # and for numbering that starts again each year (I-2021 after XII-2020).
        numbered = sorted(
            (s for s in sesiones if s.tipo is tipo and s.numero), key=lambda s: (s.fecha.year, s.numero)
        )
        for earlier, later in itertools.pairwise(numbered):
            if later.fecha < earlier.fecha:
                msg = f"la sesión {later.id} tiene fecha anterior a {earlier.id}"
                problems.append(Problema(msg, later.en("fecha")))
    return problems


def _load_folder(fuente: _Fuente, folder: str, read, stl: Stl, problems: list[Problema]) -> list:
    """Every record of one folder read with `read`; its problems go to `problems`."""
    loaded = []
    for rel in fuente.registros_en(folder):
        value, found = read(fuente, rel, stl)
        problems.extend(found)
        if value is not None:
            loaded.append(value)
    return loaded


def load(
    root: str | Path,
    archivos: Mapping[str, bytes] | None = None,
    cache: Path | Analizados | None = None,
    para: frozenset[str] | None = None,
) -> Registro:
    """Read and validate a whole records tree; `RecordsError` lists every problem in every file. With `archivos`
    (path relative to `root` → bytes, as `huellas.instantanea` read them) the records are those bytes, not what
    the folder holds by now: a document is made exactly from what its input hash covers. With `cache` (a
    folder, beside the outputs), files already parsed are not parsed again (`Analizados`): given as a folder, the
    cache is saved when the records load without problems; given as an `Analizados`, when its caller calls
    `guardar()` (after the command succeeded: bad input writes nothing, not even the cache).

    With `para` (the ids of the sessions and meetings a command uses), only problems in those records, stl.yaml
    and the registries are errors; those of other sessions and meetings become `Registro.avisos`, and a record
    that could not be read is left out without a false «no hay registro» wherever it is named."""
    root = Path(root)
    analizados = cache if isinstance(cache, Analizados) else Analizados(cache)
    fuente = _Fuente(root, archivos, analizados)
    if not fuente.existe("stl.yaml"):
        raise RecordsError(f"no se encontró {root / 'stl.yaml'}: ¿es ésta la carpeta de registros?")
    stl, perfil, problems = _load_stl(fuente)
    if stl is None or perfil is None:
        raise RecordsError(problems)
    sesiones = _load_folder(fuente, "sesiones", _load_session, stl, problems)
    reuniones = _load_folder(fuente, "reuniones", _load_reunion, stl, problems)
    ilegibles = frozenset(Path(rel).stem for rel in fuente.registros_en("sesiones")) - {
        s.id for s in sesiones
    }
    folios, found = _load_folios(fuente, stl)
    problems.extend(found)
    certificados, found = _load_certificados(fuente, stl)
    problems.extend(found)
    seguimiento, found = _load_seguimiento(fuente, stl, sesiones, bool(ilegibles))
    problems.extend(found)
    envios, found = _load_envios(fuente)
    problems.extend(found)
    aprobados, found = _load_aprobados(fuente)
    problems.extend(found)
    sesiones, found = _with_folios(sesiones, folios, ilegibles)
    problems.extend(found)
    problems.extend(_check_across(sesiones, ilegibles))
    problems, avisos = _separar(problems, _con_referidas(para, sesiones, ilegibles))
    if problems:  # bad records write nothing, not even the cache
        raise RecordsError(problems)
    if avisos:
        invalidas = {Path(p.lugar.archivo).stem for p in avisos}
        sesiones = [s for s in sesiones if s.id not in invalidas]
        reuniones = [r for r in reuniones if r.id not in invalidas]
    if not isinstance(cache, Analizados):
        analizados.guardar()
    sesiones.sort(key=lambda s: (s.fecha, s.hora_inicio or dt.time(0)))
    reuniones = sorted(reuniones, key=lambda r: r.id)
    return Registro(
        str(root),
        stl,
        perfil,
        tuple(sesiones),
        tuple(folios),
        tuple(reuniones),
        certificados,
        envios=tuple(envios),
        seguimiento=seguimiento,
        aprobados=aprobados,
        avisos=tuple(avisos),
    )


def _con_referidas(
    para: frozenset[str] | None, sesiones: list[Sesion], ilegibles: frozenset[str]
) -> frozenset[str] | None:
    """The records a command uses and those they name (the session whose acta one approves): needed valid too."""
    if para is None:
        return None
    referidas = {p.sesion for s in sesiones if s.id in para for p in s.orden_del_dia if p.sesion}
    return para | referidas


def _separar(problems: list[Problema], para: frozenset[str] | None) -> tuple[list[Problema], list[Problema]]:
    """(errors, warnings): with `para`, a problem in another session's or meeting's record is a warning."""
    if para is None:
        return problems, []
    errores, avisos = [], []
    for p in problems:
        rel = Path(p.lugar.archivo)
        ajeno = rel.parent.name in ("sesiones", "reuniones") and rel.stem not in para
        (avisos if ajeno else errores).append(p)
    return errores, avisos
