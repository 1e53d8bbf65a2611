"""Records edited as YAML structure, not as text: what `stl consola` changes in a session record or in stl.yaml.

Takes the text of a record and one change (a function of its parsed mapping); gives the new text. The text is
parsed with ruamel.yaml's round trip, so the comments, the key order, the quoting and the block style of
everything the change does not touch come back byte for byte: the record stays the source of truth, readable
and diffable. Each change below is a small function of values (a member's id, a time, an agenda point's
position) that knows where the schema wants a field (`asistencia` before `orden_del_dia`, a new topic before
«asuntos generales»). Nothing here reads the folder, the clock or the rules: `operations.editar` reads the file,
checks it did not change meanwhile, applies one of these, reloads the records with the result and only then
writes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from .errors import StlError
from .registros_yaml import ida_y_vuelta

__all__ = [
    "Cambio",
    "agregar_integrante",
    "agregar_intervencion",
    "agregar_punto",
    "aplicar",
    "aprobacion",
    "ausente",
    "conduce",
    "convocatoria",
    "datos_generales",
    "editar_integrante",
    "editar_intervencion",
    "huella",
    "id_para",
    "mover_punto",
    "poner_hora",
    "presente",
    "quitar_acuerdo",
    "quitar_intervencion",
    "quitar_punto",
    "retirado",
    "texto_punto",
    "votacion",
]

Cambio = Callable[[CommentedMap], None]

# Where a session's top-level keys go when they are added: the order of the bundled records and of the schema.
_ORDEN_SESION = (
    "tipo",
    "numero",
    "fecha",
    "registro",
    "fuente",
    "resumen",
    "hora_inicio",
    "hora_cierre",
    "entidad",
    "modalidad",
    "convocatoria",
    "asistencia",
    "conduce",
    "aprobacion",
    "orden_del_dia",
)
# The points that close the agenda: a new topic goes before them.
_FINALES = ("asuntos_generales", "clausura")


def huella(datos: bytes) -> str:
    """The SHA-256 of a file's bytes as a form saw them: a save is refused if the file has another one now."""
    return hashlib.sha256(datos).hexdigest()


def aplicar(texto: str, cambio: Cambio, nombre: str) -> str:
    """The text of the record `nombre` with `cambio` applied; everything else as it was."""
    yaml = ida_y_vuelta()
    try:
        documento = yaml.load(texto)
    except YAMLError as exc:
        raise StlError(
            f"{nombre}: no se puede leer como YAML para cambiarlo ({exc}); corríjalo en el editor"
        ) from exc
    if not isinstance(documento, CommentedMap):
        raise StlError(f"{nombre}: no es un registro (se esperaba una sección con campos)")
    cambio(documento)
    salida = io.StringIO()
    yaml.dump(documento, salida)
    return salida.getvalue()


# --- values as the records write them ------------------------------------------------------------------------


def _hora(valor: dt.time | str) -> DoubleQuotedScalarString:
    """A time in quotes, «"13:20"»: a YAML 1.1 reader would take 13:20 unquoted for a number."""
    texto = valor if isinstance(valor, str) else f"{valor:%H:%M}"
    return DoubleQuotedScalarString(texto)


def _fecha(valor: dt.date) -> DoubleQuotedScalarString:
    return DoubleQuotedScalarString(valor.isoformat())


def _texto(valor: str) -> str:
    """A text as typed: one line stays a plain scalar, several paragraphs a literal block («|-»)."""
    valor = valor.replace("\r\n", "\n").strip()
    return LiteralScalarString(valor) if "\n" in valor else valor


def _poner(mapa: CommentedMap, clave: str, valor: object, orden: tuple[str, ...] = _ORDEN_SESION) -> None:
    """Set `clave`, keeping its place if present; a new key goes where `orden` puts it."""
    if clave in mapa:
        mapa[clave] = valor
        return
    despues = orden[orden.index(clave) + 1 :] if clave in orden else ()
    for i, existente in enumerate(mapa):
        if existente in despues:
            mapa.insert(i, clave, valor)
            return
    mapa[clave] = valor


def _lista(mapa: CommentedMap, clave: str) -> CommentedSeq:
    if mapa.get(clave) is None:
        _poner(mapa, clave, CommentedSeq())
    return mapa[clave]


def _bloque(lista: CommentedSeq) -> CommentedSeq:
    lista.fa.set_block_style()  # `acuerdos: []` becomes a block list once it has an entry
    return lista


# --- the session: before ------------------------------------------------------------------------------------


def datos_generales(fecha: dt.date, hora: dt.time, modalidad: str, sede: str) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        doc["fecha"] = _fecha(fecha)
        _poner(doc, "hora_inicio", _hora(hora))
        lugar = "plataforma" if modalidad == "virtual" else "lugar"
        otro = "lugar" if modalidad == "virtual" else "plataforma"
        actual = doc.get("modalidad")
        if not isinstance(actual, CommentedMap):
            actual = CommentedMap()
            _poner(doc, "modalidad", actual)
        actual["tipo"] = modalidad
        actual.pop(otro, None)
        _poner(actual, lugar, sede, ("tipo", "lugar", "plataforma", "enlace"))

    return cambio


def convocatoria(fecha: dt.date, convoca: str) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        actual = doc.get("convocatoria")
        if not isinstance(actual, CommentedMap):
            actual = CommentedMap()
            _poner(doc, "convocatoria", actual)
        _poner(actual, "fecha", _fecha(fecha), ("folio", "fecha", "convoca", "hora", "ccp"))
        _poner(actual, "convoca", convoca, ("folio", "fecha", "convoca", "hora", "ccp"))

    return cambio


def _puntos(doc: CommentedMap) -> CommentedSeq:
    return _bloque(_lista(doc, "orden_del_dia"))


def _punto(doc: CommentedMap, i: int) -> CommentedMap:
    puntos = _puntos(doc)
    if not 0 <= i < len(puntos):
        raise StlError(
            f"el orden del día no tiene un punto {i + 1}: la página estaba desactualizada; recárguela"
        )
    return puntos[i]


def _clave_libre(doc: CommentedMap, texto: str) -> str:
    """A short key for a new topic from its title («Calendario de sesiones 2021» → calendario-sesiones-2021)."""
    palabras = [p for p in _sin_acentos(texto).split() if len(p) > 3 or p.isdigit()]
    base = "-".join(palabras[:3])[:30].strip("-") or "tema"
    base = base if base[0].isalpha() else f"tema-{base}"
    usadas = {str(p.get("clave") or p.get("tipo")) for p in doc.get("orden_del_dia") or ()}
    clave, n = base, 2
    while clave in usadas:
        clave, n = f"{base}-{n}", n + 1
    return clave


def agregar_punto(texto: str) -> Cambio:
    """A topic («asunto») before «asuntos generales» and the closing."""

    def cambio(doc: CommentedMap) -> None:
        puntos = _puntos(doc)
        nuevo = CommentedMap([("clave", _clave_libre(doc, texto)), ("texto", _texto(texto))])
        lugar = next((i for i, p in enumerate(puntos) if p.get("tipo") in _FINALES), len(puntos))
        puntos.insert(lugar, nuevo)

    return cambio


def texto_punto(i: int, texto: str) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        _punto(doc, i)["texto"] = _texto(texto)

    return cambio


def quitar_punto(i: int) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        _punto(doc, i)
        del _puntos(doc)[i]

    return cambio


def mover_punto(i: int, paso: int) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        puntos = _puntos(doc)
        punto = _punto(doc, i)
        j = i + paso
        if 0 <= j < len(puntos):
            del puntos[i]
            puntos.insert(j, punto)

    return cambio


def retirado(i: int, solicita: str | None, motivo: str = "") -> Cambio:
    """The point withdrawn when the agenda was approved (or put back, with `solicita` None)."""

    def cambio(doc: CommentedMap) -> None:
        punto = _punto(doc, i)
        if solicita is None:
            punto.pop("retirado", None)
            return
        datos = CommentedMap([("solicita", solicita)])
        if motivo.strip():
            datos["motivo"] = motivo.strip()
        punto["retirado"] = datos

    return cambio


# --- the session: during ------------------------------------------------------------------------------------


def _asistencia(doc: CommentedMap) -> CommentedSeq:
    return _lista(doc, "asistencia")


def _quien(entrada: object) -> str:
    return str(entrada if isinstance(entrada, str) else entrada.get("integrante"))


def presente(
    integrante: str,
    en_lugar_de: str | None = None,
    llega: dt.time | None = None,
    sale: dt.time | None = None,
    campos: frozenset[str] = frozenset(),
) -> Cambio:
    """`integrante` in the attendance: a bare id, or {integrante, en_lugar_de, llega, sale} when there is more
    to say. `campos` are the optional fields the session schema knows (`llega` and `sale` are written only
    where it has them)."""

    def cambio(doc: CommentedMap) -> None:
        lista = _asistencia(doc)
        extra = [("en_lugar_de", en_lugar_de), ("llega", llega), ("sale", sale)]
        extra = [(k, v) for k, v in extra if v is not None and (k == "en_lugar_de" or k in campos)]
        if extra:
            valor: object = CommentedMap([("integrante", integrante)])
            for k, v in extra:
                valor[k] = _hora(v) if isinstance(v, dt.time) else v
            valor.fa.set_flow_style()  # one line per attendee, as the README writes them
        else:
            valor = integrante
        for n, entrada in enumerate(lista):
            if _quien(entrada) == integrante:
                lista[n] = valor
                return
        lista.append(valor)

    return cambio


def ausente(integrante: str) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        lista = _asistencia(doc)
        for n, entrada in enumerate(lista):
            if _quien(entrada) == integrante:
                del lista[n]
                return

    return cambio


def poner_hora(campo: str, hora: dt.time | None) -> Cambio:
    """hora_inicio or hora_cierre (None removes the closing time)."""

    def cambio(doc: CommentedMap) -> None:
        if hora is None:
            doc.pop(campo, None)
        else:
            _poner(doc, campo, _hora(hora))

    return cambio


def conduce(integrante: str | None) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        if integrante:
            _poner(doc, "conduce", integrante)
        else:
            doc.pop("conduce", None)

    return cambio


def agregar_intervencion(i: int, orador: str | None, texto: str) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        punto = _punto(doc, i)
        if punto.get("intervenciones") is None:
            _poner(punto, "intervenciones", CommentedSeq(), _ORDEN_PUNTO)
        nueva = CommentedMap([("orador", orador)] if orador else [])
        nueva["texto"] = _texto(texto)
        _bloque(punto["intervenciones"]).append(nueva)

    return cambio


def _intervenciones(doc: CommentedMap, i: int, j: int) -> CommentedSeq:
    lista = _punto(doc, i).get("intervenciones") or []
    if not 0 <= j < len(lista):
        raise StlError(f"el punto {i + 1} no tiene una intervención {j + 1}: la página estaba desactualizada")
    return lista


def editar_intervencion(i: int, j: int, orador: str | None, texto: str) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        intervencion = _intervenciones(doc, i, j)[j]
        if orador:
            _poner(intervencion, "orador", orador, ("orador", "texto"))
        else:
            intervencion.pop("orador", None)
        intervencion["texto"] = _texto(texto)

    return cambio


def quitar_intervencion(i: int, j: int) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        del _intervenciones(doc, i, j)[j]

    return cambio


_ORDEN_PUNTO = ("clave", "tipo", "texto", "sesion", "retirado", "agregado", "intervenciones", "acuerdos")


def votacion(
    i: int,
    texto: str | None,
    votos: dict[str, str],
    motivos: dict[str, str],
    voto_de_calidad: str | None,
    hora: dt.time | None,
    campos: frozenset[str] = frozenset(),
) -> Cambio:
    """A vote taken member by member, as an acuerdo of point `i`: `votos` is id → «a_favor», «en_contra» or
    «abstencion» (in the order of the roll call), `motivos` the cause of each abstention. All in favour is
    written «unanimidad», as a person writes it; else the lists, and the casting vote on a tie. `hora` is written
    where the schema has it (`campos`)."""

    def cambio(doc: CommentedMap) -> None:
        punto = _punto(doc, i)
        if punto.get("acuerdos") is None:
            _poner(punto, "acuerdos", CommentedSeq(), _ORDEN_PUNTO)
        acuerdo = CommentedMap()
        if texto and texto.strip():
            acuerdo["texto"] = _texto(texto)
        if "hora" in campos and hora is not None:
            acuerdo["hora"] = _hora(hora)
        acuerdo["votacion"] = _votos(votos, motivos, voto_de_calidad)
        _bloque(punto["acuerdos"]).append(acuerdo)

    return cambio


def _votos(votos: dict[str, str], motivos: dict[str, str], voto_de_calidad: str | None) -> object:
    if votos and all(v == "a_favor" for v in votos.values()):
        return "unanimidad"
    resultado = CommentedMap()
    for clave in ("a_favor", "en_contra"):
        ids = [w for w, v in votos.items() if v == clave]
        if ids:
            resultado[clave] = CommentedSeq(ids)
            resultado[clave].fa.set_flow_style()
    abstenciones = [w for w, v in votos.items() if v == "abstencion"]
    if abstenciones:
        lista = CommentedSeq()
        for w in abstenciones:
            entrada = CommentedMap([("integrante", w)])
            if motivos.get(w):
                entrada["motivo"] = motivos[w]
            entrada.fa.set_flow_style()
            lista.append(entrada)
        resultado["abstenciones"] = lista
    if voto_de_calidad:
        resultado["voto_de_calidad"] = voto_de_calidad
    return resultado


def quitar_acuerdo(i: int, k: int) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        acuerdos = _punto(doc, i).get("acuerdos") or []
        if not 0 <= k < len(acuerdos):
            raise StlError(f"el punto {i + 1} no tiene un acuerdo {k + 1}: la página estaba desactualizada")
        del acuerdos[k]

    return cambio


# --- the session: after -------------------------------------------------------------------------------------


def aprobacion(fecha: dt.date, fundamento: str) -> Cambio:
    """The acta's approval entered explicitly (when no later session's acuerdo approves it)."""

    def cambio(doc: CommentedMap) -> None:
        _poner(
            doc, "aprobacion", CommentedMap([("fecha", _fecha(fecha)), ("fundamento", fundamento.strip())])
        )

    return cambio


# --- the roster (stl.yaml) ----------------------------------------------------------------------------------

_ORDEN_INTEGRANTE = (
    "id",
    "nombre",
    "genero",
    "cargo",
    "cargo_corto",
    "representacion",
    "cargo_firma",
    "sector",
    "calidad",
    "de",
    "con_voto",
    "preside",
    "mandato",
    "privado",
)


def _sin_acentos(texto: str) -> str:
    plano = unicodedata.normalize("NFKD", texto.lower())
    plano = "".join(c for c in plano if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", plano).strip()


def id_para(nombre: str, existentes: set[str]) -> str:
    """A member's id from the name, as the bundled roster makes them: the first surname in lower case without
    accents («Zulema Martínez Sánchez» → martinez); the given name added, then a number, if it is taken."""
    palabras = _sin_acentos(nombre).split()
    if not palabras:
        raise StlError("el nombre está vacío: escriba el nombre completo de la persona")
    apellido = palabras[-2] if len(palabras) >= 3 else palabras[-1]
    for candidato in (apellido, f"{apellido}-{palabras[0]}"):
        candidato = candidato if candidato[0].isalpha() else f"p-{candidato}"
        if candidato[:40] not in existentes:
            return candidato[:40]
    n = 2
    while f"{apellido}-{n}" in existentes:
        n += 1
    return f"{apellido}-{n}"


def _integrante(doc: CommentedMap, id_: str) -> CommentedMap:
    for persona in doc.get("integrantes") or ():
        if persona.get("id") == id_:
            return persona
    raise StlError(f"no hay integrante «{id_}» en stl.yaml: la página estaba desactualizada; recárguela")


def _datos_integrante(persona: CommentedMap, datos: dict[str, str | None]) -> None:
    for clave, valor in datos.items():
        if clave == "correo":
            privado = persona.get("privado")
            if valor:
                if not isinstance(privado, CommentedMap):
                    privado = CommentedMap()
                    _poner(persona, "privado", privado, _ORDEN_INTEGRANTE)
                privado["correo"] = valor
            elif isinstance(privado, CommentedMap):
                privado.pop("correo", None)
                if not privado:
                    del persona["privado"]
        elif valor:
            _poner(persona, clave, valor, _ORDEN_INTEGRANTE)
        else:
            persona.pop(clave, None)


def agregar_integrante(datos: dict[str, str | None], inicio: dt.date) -> Cambio:
    """A new member at the end of the roster, its id made from the name (`id_para`), its mandate from `inicio`."""

    def cambio(doc: CommentedMap) -> None:
        lista = _bloque(_lista(doc, "integrantes"))
        id_ = id_para(datos.get("nombre") or "", {str(p.get("id")) for p in lista})
        persona = CommentedMap([("id", id_)])
        _datos_integrante(persona, datos)
        _poner(persona, "mandato", CommentedMap([("inicio", _fecha(inicio))]), _ORDEN_INTEGRANTE)
        persona["mandato"].fa.set_flow_style()
        lista.append(persona)

    return cambio


def editar_integrante(id_: str, datos: dict[str, str | None]) -> Cambio:
    def cambio(doc: CommentedMap) -> None:
        _datos_integrante(_integrante(doc, id_), datos)

    return cambio
