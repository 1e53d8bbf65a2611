"""What the console's pages say, from the records and the rules: the quorum sentence, the notice in business days,
who votes, a vote's outcome, and each record problem placed next to the field it points at.

Takes values the operations give (a `Registro`, a `Dictamen`); gives sentences and small dicts for the templates.
The rules are never re-implemented here: every figure comes from `rules` and `business_days`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from functools import cache

from .. import rules, spanish, wording
from ..business_days import Calendario
from ..errors import Problema
from ..models import Registro, Sesion, TipoPunto

__all__ = [
    "anticipacion",
    "campos_esquema",
    "en_sala",
    "frase_quorum",
    "pase_de_lista",
    "puntos",
    "resultado_voto",
    "ubicar",
]


@cache
def campos_esquema() -> frozenset[str]:
    """The optional fields the installed session schema knows beyond the basic ones: «llega» and «sale» of an
    attendee, the «hora» of a vote, «conduce» (issue 25's schema). The console writes only what it knows."""
    import importlib.resources

    texto = importlib.resources.files("pipeline").joinpath("schemas/sesion.schema.json").read_text("utf-8")
    esquema = json.loads(texto)
    campos: set[str] = set()
    for opcion in esquema["properties"]["asistencia"]["items"].get("oneOf", []):
        campos |= set(opcion.get("properties", {}))
    campos |= {f"acuerdo.{k}" for k in esquema["$defs"]["acuerdo"]["properties"]}
    campos |= {k for k in ("conduce",) if k in esquema["properties"]}
    return frozenset(
        {"llega", "sale", "conduce"} & campos | ({"hora"} if "acuerdo.hora" in campos else set())
    )


def frase_quorum(q: rules.Quorum | None) -> tuple[str, bool]:
    """«Hay quórum: 5 de 7 integrantes con voto, sociedad civil presente» and whether there is."""
    if q is None:
        return "Aún no se pasa lista: nadie está anotado como presente.", False
    partes = [f"{q.presentes} de {q.base} integrantes con voto (mínimo {q.minimo})"]
    if q.sociedad_civil:
        partes.append("sociedad civil presente")
    elif "sociedad civil" in q.razon:
        partes.append("sin sociedad civil con voto")
    cabeza = "Hay quórum" if q.cumple else "No hay quórum"
    return f"{cabeza}: {', '.join(partes)} ({q.cita}).", q.cumple


def anticipacion(registro: Registro, sesion: Sesion, fecha: dt.date) -> dict:
    """The notice a convocatoria dated `fecha` gives the session, counted as `rules.notice` counts it."""
    if sesion.convocatoria is None:
        return {"texto": "", "cumple": True}
    supuesta = dataclasses.replace(sesion, convocatoria=dataclasses.replace(sesion.convocatoria, fecha=fecha))
    aviso = rules.notice(supuesta, registro.perfil, Calendario.de(registro.stl.dias_inhabiles))
    if fecha >= sesion.fecha:
        texto = "La convocatoria debe ser anterior a la sesión."
        return {"texto": texto, "cumple": False, "ultimo": spanish.date_short(aviso.ultimo_dia)}
    habiles = ", ".join(f"{d.day}/{d.month}" for d in aviso.habiles) or "ninguno"
    inhabiles = "; ".join(f"{d.day}/{d.month}: {m}" for d, m in aviso.inhabiles)
    texto = (
        f"{spanish.dias_habiles(len(aviso.habiles))} entre el oficio y la sesión "
        f"(se requieren {aviso.requeridos}, {aviso.cita}): {habiles}."
    )
    if inhabiles:
        texto += f" No cuentan: {inhabiles}."
    return {"texto": texto, "cumple": aviso.cumple, "ultimo": spanish.date_short(aviso.ultimo_dia)}


def puntos(registro: Registro, sesion: Sesion) -> list[dict]:
    """The agenda points as the pages list them: position in the record, title, kind, what they hold."""
    resultado = []
    for i, punto in enumerate(sesion.orden_del_dia):
        resultado.append(
            {
                "i": i,
                "numero": spanish.roman(i + 1),
                "titulo": wording.titulo_punto(punto, sesion, registro),
                "punto": punto,
                "asunto": punto.tipo in (TipoPunto.ASUNTO, TipoPunto.ASUNTOS_GENERALES),
                "vota": punto.tipo not in (TipoPunto.QUORUM, TipoPunto.CLAUSURA) and not punto.retirado,
                "campo": f"orden_del_dia[{i}]",
            }
        )
    return resultado


def pase_de_lista(registro: Registro, sesion: Sesion) -> list[dict]:
    """Everyone in the roster on the session's date, each with their attendance entry (None: not there), how the
    roll call says it, and the titulares a suplente or enlace can sit for."""
    filas = []
    for persona in registro.stl.integrantes:
        if not persona.activo(sesion.fecha):
            continue
        n, asistente = next(
            ((n, a) for n, a in enumerate(sesion.asistencia or ()) if a.integrante == persona.id),
            (None, None),
        )
        llega, sale = getattr(asistente, "llega", None), getattr(asistente, "sale", None)
        if asistente is None:
            estado = "no está"
        else:
            estado = f"llegó a las {llega:%H:%M}" if llega else "presente desde el inicio"
            if asistente.en_lugar_de:
                estado += f", en lugar de {registro.stl.integrante(asistente.en_lugar_de).nombre}"
            if sale:
                estado += f"; se retiró a las {sale:%H:%M}"
        suple = [registro.stl.integrante(persona.de)] if persona.de else []
        calidad = f"{persona.calidad} de {suple[0].nombre}" if suple else str(persona.calidad)
        filas.append(
            {
                "persona": persona,
                "asistente": asistente,
                "estado": estado,
                "calidad": calidad,
                "suple": suple,
                "sale": sale,
                "campo": f"asistencia[{n}]" if n is not None else None,
            }
        )
    return filas


def en_sala(registro: Registro, dictamen: rules.Dictamen) -> tuple[list, rules.Quorum | None, list[str]]:
    """Who is in the room now (arrived, whenever, and not gone: the roll call as it stands), who of them votes,
    the quorum they make (`rules.quorum`) and, when departures broke the quorum the opening had, the warning."""
    s = dictamen.sesion
    if s.asistencia is None:
        return [], None, []
    # `capacidades` follows the attendance, one each: the entries of those who left are dropped.
    aqui = tuple(
        c for c, a in zip(dictamen.capacidades, s.asistencia, strict=True) if not getattr(a, "sale", None)
    )
    quorum = rules.quorum(s, registro.stl, registro.perfil, aqui)
    avisos = []
    idos = [a for a in s.asistencia if getattr(a, "sale", None)]
    if idos and not quorum.cumple:
        nombres = spanish.join_names(
            [f"{registro.stl.integrante(a.integrante).nombre} ({a.sale:%H:%M})" for a in idos]
        )
        avisos.append(
            f"Ya no hay quórum desde que se retiró {nombres}: {quorum.razon}. Sin quórum no se puede votar "
            f"({quorum.cita})."
        )
    return [c.integrante for c in aqui if c.voto], quorum, avisos


def resultado_voto(registro: Registro, dictamen: rules.Dictamen, i: int, k: int) -> dict:
    """The outcome of acuerdo `k` of point `i` as the acta will word it, and the tie and casting vote if any."""
    punto = dictamen.sesion.orden_del_dia[i]
    acuerdo = punto.acuerdos[k]
    resultado = next(r for r in dictamen.resultados if r.acuerdo.folio == acuerdo.folio)
    empate = len(resultado.a_favor) == len(resultado.en_contra) > 0 and resultado.forma != "unanimidad"
    calidad = registro.stl.integrante(resultado.voto_de_calidad) if resultado.voto_de_calidad else None
    return {
        "folio": acuerdo.folio,
        "redaccion": wording.resultado(registro, resultado),
        "razon": resultado.razon,
        "aprobado": resultado.aprobado,
        "empate": empate,
        "calidad": calidad,
        "cuenta": f"{len(resultado.a_favor)} a favor, {len(resultado.en_contra)} en contra, "
        f"{len(resultado.abstenciones)} abstenciones",
    }


def ubicar(
    problemas: tuple[Problema, ...] | list[Problema], campos: list[str]
) -> tuple[dict, list[Problema]]:
    """Each problem next to the field it points at: the longest of `campos` (dotted paths the page shows, e.g.
    «orden_del_dia[3].acuerdos[0]») that its place starts with; the rest for the top of the page."""
    por_campo: dict[str, list[Problema]] = {}
    sueltos = []
    for problema in problemas:
        lugar = problema.lugar.campo
        candidatos = [c for c in campos if lugar == c or lugar.startswith((c + ".", c + "["))]
        if candidatos:
            por_campo.setdefault(max(candidatos, key=len), []).append(problema)
        else:
            sueltos.append(problema)
    return por_campo, sueltos
