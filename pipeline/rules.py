"""Stage 2 — rules: a session checked against its governance profile.

Takes a `Registro` and a session id; gives a `Dictamen`: each attendee's capacity (voice, vote, signs),
the quorum with its reason, each acuerdo's outcome and wording, the notice in business days, the
attendance history, and every error and warning, each naming the rule and the seed article. Pure: no
I/O and no clock ("today" is whatever session is asked about).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import identidad, spanish, wording
from .business_days import Calendario
from .errors import Problema
from .models import (
    Acuerdo,
    Asistente,
    Calidad,
    Integrante,
    Perfil,
    Registro,
    Reunion,
    Sector,
    Sesion,
    Stl,
    TipoPunto,
    TipoSesion,
    Ubicacion,
)

__all__ = [
    "Aviso",
    "Capacidad",
    "Dictamen",
    "Quorum",
    "Resultado",
    "advertencias_reunion",
    "aprobacion_del_acta",
    "attendance_history",
    "capacidades",
    "dia_inhabil",
    "dictaminar",
    "estado_acuerdo",
    "notice",
    "outcome",
    "quorum",
]


@dataclass(frozen=True)
class Capacidad:
    """How one attendee takes part: vote or voice only, whose seat the vote is, whether they sign."""

    integrante: Integrante
    voto: bool
    escano: str | None  # id of the titular whose seat this vote casts
    firma: bool
    razon: str
    cita: str


@dataclass(frozen=True)
class Quorum:
    cumple: bool
    presentes: int  # seats present with a vote
    base: int  # active seats
    minimo: int
    sociedad_civil: tuple[str, ...]  # names of civil-society voters present
    razon: str
    cita: str


@dataclass(frozen=True)
class Resultado:
    acuerdo: Acuerdo
    aprobado: bool
    forma: str  # "unanimidad", "mayoria", "voto_de_calidad" (a tie decided by it) or "no_aprobado"
    a_favor: tuple[str, ...]
    en_contra: tuple[str, ...]
    abstenciones: tuple[str, ...]
    voto_de_calidad: str | None
    redaccion: str  # "se aprueba por unanimidad de votos"
    razon: str


@dataclass(frozen=True)
class Aviso:
    requeridos: int
    habiles: tuple[dt.date, ...]
    inhabiles: tuple[tuple[dt.date, str], ...]
    cumple: bool
    ultimo_dia: dt.date
    cita: str


@dataclass(frozen=True)
class Dictamen:
    sesion: Sesion
    capacidades: tuple[Capacidad, ...]
    quorum: Quorum | None
    resultados: tuple[Resultado, ...]
    aviso: Aviso | None
    ausencias: dict[str, int]  # titular id → consecutive absences up to this session
    errores: tuple[Problema, ...]
    advertencias: tuple[Problema, ...]

    @property
    def firmantes(self) -> tuple[Integrante, ...]:
        return tuple(c.integrante for c in self.capacidades if c.firma)


# --- capacity --------------------------------------------------------------------------------------


def _capacidad(
    asistente: Asistente, sesion: Sesion, stl: Stl, perfil: Perfil, problems: list[Problema]
) -> Capacidad:
    person = stl.integrante(asistente.integrante)
    regla = perfil.voto[person.calidad]
    cita = perfil.cita(regla)
    firma = person.calidad.value in perfil.firman["calidades"]
    kind = regla["regla"]
    if kind == "siempre":
        return Capacidad(person, True, person.id, firma, f"{person.calidad}: voz y voto", cita)
    if kind == "nunca" or asistente.en_lugar_de is None:
        why = "solo voz" if kind == "nunca" else "solo voz (no suple al titular)"
        return Capacidad(person, False, None, firma, f"{person.calidad}: {why}", cita)
    titular = stl.integrante(asistente.en_lugar_de)
    if sesion.asistio(titular.id):
        problems.append(
            Problema(
                f"{person.nombre} suple a {titular.nombre}, pero el titular está presente: "
                "el suplente solo vota cuando el titular no asiste",
                asistente.lugar,
                cita,
            )
        )
        return Capacidad(person, False, None, firma, f"{person.calidad}: solo voz (titular presente)", cita)
    if kind == "segun_designacion" and not person.con_voto:
        why = "solo voz (su designación no le da voto)"
        return Capacidad(person, False, None, firma, f"{person.calidad}: {why}", cita)
    razon = f"{person.calidad} en lugar de {titular.nombre}: voz y voto"
    return Capacidad(person, True, titular.id, firma, razon, cita)


def capacidades(sesion: Sesion, stl: Stl, perfil: Perfil) -> tuple[tuple[Capacidad, ...], list[Problema]]:
    """Each attendee's capacity under the profile, and the problems (double stand-ins…) found."""
    problems: list[Problema] = []
    result = tuple(_capacidad(a, sesion, stl, perfil, problems) for a in sesion.asistencia or ())
    seats: dict[str, str] = {}
    for cap in result:
        if cap.escano is None:
            continue
        if cap.escano in seats:
            problems.append(
                Problema(
                    f"el lugar de {stl.integrante(cap.escano).nombre} tiene dos votos "
                    f"({seats[cap.escano]} y {cap.integrante.nombre})",
                    sesion.lugar,
                    perfil.cita(perfil.voto[Calidad.SUPLENTE]),
                )
            )
        seats.setdefault(cap.escano, cap.integrante.nombre)
    return result, problems


# --- quorum ----------------------------------------------------------------------------------------


def _minimum(base: int, rule: str) -> int:
    if rule == "cincuenta_mas_uno":
        # «50 % más 1», taken literally: half the seats plus one, rounded up (7 seats → 5).
        return -(-base // 2) + 1
    return base // 2 + 1  # «mayoría»: more than half (7 seats → 4)


def _seat_sector(cap: Capacidad, stl: Stl) -> Sector:
    return stl.integrante(cap.escano).sector if cap.escano else cap.integrante.sector


def quorum(sesion: Sesion, stl: Stl, perfil: Perfil, caps: tuple[Capacidad, ...]) -> Quorum:
    """Met or not, who counts and why (000 Cap. VI.2; 001 Art. 7.1; 002 V.2)."""
    regla = perfil.quorum
    base = len(stl.titulares(sesion.fecha))
    voters = [c for c in caps if c.voto]
    minimo = _minimum(base, str(regla["minimo"]))
    civil = tuple(c.integrante.nombre for c in voters if _seat_sector(c, stl) is Sector.SOCIEDAD_CIVIL)
    regla_texto = "mayoría" if regla["minimo"] == "mayoria" else "50 % más uno"
    partes = [f"{len(voters)} de {base} integrantes con voto presentes (mínimo {minimo}: {regla_texto})"]
    cumple = len(voters) >= minimo
    if regla["sociedad_civil"]:
        if civil:
            partes.append(f"sociedad civil presente ({', '.join(civil)})")
        else:
            partes.append("no está presente ningún representante de la sociedad civil con voto")
            cumple = False
    return Quorum(cumple, len(voters), base, minimo, civil, "; ".join(partes), perfil.cita(regla))


# --- votes -----------------------------------------------------------------------------------------


def _casting_holder(voters: list[Capacidad], stl: Stl, perfil: Perfil) -> Capacidad | None:
    holder = perfil.empate["voto_de_calidad"]
    if holder == "sociedad_civil":
        found = [c for c in voters if _seat_sector(c, stl) is Sector.SOCIEDAD_CIVIL]
    elif holder == "presidente":
        found = [c for c in voters if c.escano and stl.integrante(c.escano).preside]
    else:
        found = []
    return found[0] if len(found) == 1 else None


def _check_ballots(acuerdo: Acuerdo, stl: Stl, caps: tuple[Capacidad, ...], perfil: Perfil) -> list[Problema]:
    v = acuerdo.votacion
    problems: list[Problema] = []
    by_id = {c.integrante.id: c for c in caps}
    listed = [*(v.a_favor or ()), *v.en_contra, *(who for who, _ in v.abstenciones)]
    for who in sorted({w for w in listed if listed.count(w) > 1}):
        problems.append(Problema(f"{_name(stl, who)} vota más de una vez en {acuerdo.folio}", v.en(who)))
    for who in dict.fromkeys(listed):
        cap = by_id.get(who)
        if cap is None:
            msg = f"{_name(stl, who)} vota en {acuerdo.folio} pero no asistió a la sesión"
            problems.append(Problema(msg, v.en(who)))
        elif not cap.voto:
            msg = f"{cap.integrante.nombre} vota en {acuerdo.folio}, pero asiste con {cap.razon}"
            problems.append(Problema(msg, v.en(who), cap.cita))
    if perfil.abstencion["regla"] == "justificada":
        motivos = perfil.abstencion.get("motivos", [])
        for who, motivo in v.abstenciones:
            if motivo not in motivos:
                msg = (
                    f"{_name(stl, who)} se abstiene en {acuerdo.folio} sin impedimento justificado ni "
                    "conflicto de interés: nadie puede abstenerse sin esa causa"
                )
                problems.append(Problema(msg, v.en(who), perfil.cita(perfil.abstencion)))
    return problems


def _name(stl: Stl, id_: str) -> str:
    try:
        return stl.integrante(id_).nombre
    except KeyError:
        return f"«{id_}»"


def outcome(
    acuerdo: Acuerdo, sesion: Sesion, stl: Stl, perfil: Perfil, caps: tuple[Capacidad, ...]
) -> tuple[Resultado, list[Problema]]:
    """The acuerdo's outcome under the decision, abstention and tie rules, and its wording."""
    v = acuerdo.votacion
    problems = _check_ballots(acuerdo, stl, caps, perfil)
    voters = [c for c in caps if c.voto]
    voter_ids = [c.integrante.id for c in voters]
    abst = tuple(who for who, _ in v.abstenciones)
    contra = tuple(v.en_contra)
    if v.a_favor is None:
        favor = tuple(w for w in voter_ids if w not in contra and w not in abst)
    else:
        favor = tuple(v.a_favor)
        silent = [w for w in voter_ids if w not in (*favor, *contra, *abst)]
        if silent and perfil.abstencion["regla"] == "justificada":
            names = ", ".join(_name(stl, w) for w in silent)
            msg = f"en {acuerdo.folio} no consta el voto de {names} (nadie puede abstenerse)"
            problems.append(Problema(msg, v.lugar, perfil.cita(perfil.abstencion)))
    favor_v = [w for w in favor if w in voter_ids]
    contra_v = [w for w in contra if w in voter_ids]
    recused = [w for w, motivo in v.abstenciones if w in voter_ids and motivo is not None]
    decision = perfil.decision
    if decision["regla"] == "mayoria_presentes":
        base = len(voters) - len(recused)
        mayoria = 2 * len(favor_v) > base
        regla_texto = f"{len(favor_v)} de {base} votos de los presentes"
    else:
        mayoria = len(favor_v) > len(contra_v)
        regla_texto = f"{len(favor_v)} a favor y {len(contra_v)} en contra"
    empate = not mayoria and len(favor_v) == len(contra_v) > 0
    calidad = None
    razon = regla_texto
    aprobado = mayoria
    holder = _casting_holder(voters, stl, perfil)
    if empate:
        if holder is not None and holder.integrante.id in (*favor_v, *contra_v):
            calidad = holder.integrante.id
            aprobado = calidad in favor_v
            razon = f"empate; decide el voto de calidad de {holder.integrante.nombre}"
        else:
            razon = "empate sin voto de calidad que lo resuelva"
    civil_favor = [w for w in favor_v if _seat_sector(_cap(caps, w), stl) is Sector.SOCIEDAD_CIVIL]
    sin_sociedad_civil = aprobado and decision["voto_sociedad_civil"] and not civil_favor
    if sin_sociedad_civil:
        aprobado = False
        razon += "; falta al menos un voto a favor de la sociedad civil"
    unanime = aprobado and len(favor_v) == len(voters) and not contra_v and not abst
    forma = "unanimidad" if unanime else ("mayoria" if aprobado else "no_aprobado")
    if aprobado and calidad:
        forma = "voto_de_calidad"  # a tie is not a majority
    motivos = dict(v.abstenciones)
    redaccion = wording.votacion(
        forma,
        tuple(stl.integrante(w) for w in favor_v),
        tuple(stl.integrante(w) for w in contra_v),
        tuple((stl.integrante(w), motivos[w]) for w in abst if w in voter_ids),
        stl.integrante(calidad) if calidad else None,
        perfil,
        sin_sociedad_civil,
    )
    resultado = Resultado(acuerdo, aprobado, forma, favor, contra, abst, calidad, redaccion, razon)
    problems.extend(_check_declared(resultado, perfil, stl, empate, holder))
    return resultado, problems


def _cap(caps: tuple[Capacidad, ...], who: str) -> Capacidad:
    return next(c for c in caps if c.integrante.id == who)


def _check_declared(
    r: Resultado, perfil: Perfil, stl: Stl, empate: bool, holder: Capacidad | None
) -> list[Problema]:
    """What the record says was decided must follow from the votes."""
    v, folio = r.acuerdo.votacion, r.acuerdo.folio
    cita_decision = perfil.cita(perfil.decision)
    problems = []
    if v.declarada == "unanimidad" and r.forma != "unanimidad":
        detail = f"{len(r.en_contra)} en contra, {len(r.abstenciones)} abstenciones"
        if r.forma == "no_aprobado":
            detail = r.razon
        msg = f"{folio} se declara aprobado por unanimidad, pero no lo es ({detail})"
        problems.append(Problema(msg, v.lugar, cita_decision))
    elif v.declarada == "mayoria" and not r.aprobado:
        problems.append(
            Problema(f"{folio} se declara aprobado, pero no lo es: {r.razon}", v.lugar, cita_decision)
        )
    elif v.declarada == "no_aprobado" and r.aprobado:
        problems.append(
            Problema(f"{folio} se declara no aprobado, pero los votos lo aprueban", v.lugar, cita_decision)
        )
    if v.voto_de_calidad is not None and v.voto_de_calidad != r.voto_de_calidad:
        claim = f"{folio} dice que {_name(stl, v.voto_de_calidad)} usó el voto de calidad"
        if not empate:
            why = "no hubo empate"
        elif holder is None:
            why = "en este perfil nadie presente tiene voto de calidad"
        else:
            why = f"el voto de calidad corresponde a {holder.integrante.nombre}"
        problems.append(Problema(f"{claim}, pero {why}", v.en("voto_de_calidad"), perfil.cita(perfil.empate)))
    return problems


# --- notice and attendance -------------------------------------------------------------------------


def notice(sesion: Sesion, perfil: Perfil, calendario: Calendario) -> Aviso | None:
    """Business days between convocatoria and session against the profile's minimum."""
    if sesion.convocatoria is None:
        return None
    tipo = "extraordinaria" if sesion.tipo is TipoSesion.EXTRAORDINARIA else "ordinaria"
    requeridos = int(perfil.aviso[tipo])
    habiles, inhabiles = calendario.entre(sesion.convocatoria.fecha, sesion.fecha)
    ultimo = calendario.ultimo_dia_para_convocar(sesion.fecha, requeridos)
    cumple = len(habiles) >= requeridos
    return Aviso(requeridos, tuple(habiles), tuple(inhabiles), cumple, ultimo, perfil.cita(perfil.aviso))


def dia_inhabil(fecha: dt.date, calendario: Calendario) -> str | None:
    """Why `fecha` is not a working day, as a person reads it, or None: «el viernes 25 de diciembre de 2026 es día
    inhábil: Navidad (Ley Federal del Trabajo, art. 74)». The calendar that counts a convocatoria's notice."""
    motivo = calendario.motivo_inhabil(fecha)
    if motivo is None:
        return None
    if fecha.weekday() >= 5:
        motivo = "fin de semana"
    elif fecha in calendario.propios:
        motivo = f"lo declaró así la institución ({calendario.propios[fecha]}; dias_inhabiles en stl.yaml)"
    return f"el {spanish.weekday_name(fecha)} {spanish.date_short(fecha)} es día inhábil: {motivo}"


def advertencias_reunion(registro: Registro, reunion: Reunion) -> list[Problema]:
    """What `stl minuta` warns about a working meeting: held on a non-working day."""
    inhabil = dia_inhabil(reunion.fecha, Calendario.de(registro.stl.dias_inhabiles))
    if inhabil is None:
        return []
    lugar = Ubicacion(reunion.lugar.archivo, reunion.lugar.linea, "fecha")
    return [Problema(f"la reunión de trabajo se celebra en día inhábil: {inhabil}", lugar)]


def attendance_history(registro: Registro, hasta: dt.date) -> dict[str, list[tuple[str, bool]]]:
    """Per titular: (session id, seat represented?) for every session with known attendance up to `hasta`."""
    history: dict[str, list[tuple[str, bool]]] = {}
    for sesion in registro.sesiones:
        if sesion.fecha > hasta or sesion.asistencia is None:
            continue
        stand_ins = {a.en_lugar_de for a in sesion.asistencia if a.en_lugar_de}
        for titular in registro.stl.titulares(sesion.fecha):
            present = sesion.asistio(titular.id) or titular.id in stand_ins
            history.setdefault(titular.id, []).append((sesion.id, present))
    return history


def estado_acuerdo(registro: Registro, acuerdo: Acuerdo) -> str:
    """pendiente, en_proceso, cumplido or cancelado: the last reported update; acuerdos that approve the agenda
    or an acta take effect when voted."""
    seguimiento = registro.seguimiento.get(acuerdo.folio)
    if seguimiento is not None and seguimiento.actualizaciones:
        return seguimiento.estado
    if acuerdo.aprueba_acta is not None or acuerdo.punto == TipoPunto.ORDEN_DEL_DIA.value:
        return "cumplido"
    return "pendiente"


def aprobacion_del_acta(registro: Registro, sesion_id: str) -> str | None:
    """How the acta of `sesion_id` was approved (000 Cap. VI.7; 001 Art. 7.5; 002 V.7), or None.

    Normally an approved acuerdo of a later session (STL/IV/2/2020 approves the acta of III-2020); or an
    approval entered explicitly in the record (Zacatecas signs «en la misma fecha»).
    """
    for sesion in registro.sesiones:
        for acuerdo in sesion.acuerdos:
            if acuerdo.aprueba_acta != sesion_id:
                continue
            resultado, _ = outcome(
                acuerdo,
                sesion,
                registro.stl,
                registro.perfil,
                capacidades(sesion, registro.stl, registro.perfil)[0],
            )
            if resultado.aprobado:
                return f"acuerdo {acuerdo.folio} de la sesión {sesion.id} ({sesion.fecha.isoformat()})"
    aprobacion = registro.sesion(sesion_id).aprobacion
    if aprobacion:
        fecha, fundamento = aprobacion
        return f"{fundamento} ({fecha.isoformat()})"
    return None


# --- the whole session -----------------------------------------------------------------------------


def dictaminar(registro: Registro, sesion_id: str) -> Dictamen:
    """Check one session against the profile; everything a person needs before the acta is drafted.

    The records are immutable once loaded, so each verdict is computed once per load (the site asks for
    every session's verdict from several pages)."""
    clave = ("dictamen", sesion_id)
    if clave not in registro.memo:
        registro.memo[clave] = _dictaminar(registro, sesion_id)
    return registro.memo[clave]


def _ausencias(registro: Registro) -> dict[str, dict[str, int]]:
    """Per session: each titular's consecutive absences up to it, in one pass over the sessions."""
    if "ausencias" not in registro.memo:
        seguidas: dict[str, int] = {}
        por_sesion = {}
        for sesion in registro.sesiones:  # ordered by date
            if sesion.asistencia is not None:
                suplidos = {a.en_lugar_de for a in sesion.asistencia if a.en_lugar_de}
                for titular in registro.stl.titulares(sesion.fecha):
                    presente = sesion.asistio(titular.id) or titular.id in suplidos
                    seguidas[titular.id] = 0 if presente else seguidas.get(titular.id, 0) + 1
            por_sesion[sesion.id] = dict(seguidas)
        registro.memo["ausencias"] = por_sesion
    return registro.memo["ausencias"]


def _dictaminar(registro: Registro, sesion_id: str) -> Dictamen:
    sesion = registro.sesion(sesion_id)
    stl, perfil = registro.stl, registro.perfil
    errors: list[Problema] = []
    warnings: list[Problema] = []
    caps, found = capacidades(sesion, stl, perfil)
    errors.extend(found)
    q = quorum(sesion, stl, perfil, caps) if sesion.asistencia is not None else None
    resultados = []
    sin_quorum = q is not None and not q.cumple
    for acuerdo in sesion.acuerdos:
        resultado, found = outcome(acuerdo, sesion, stl, perfil, caps)
        resultados.append(resultado)
        if not sin_quorum:  # without quorum no acuerdo stands: one error says it, not one per vote
            errors.extend(found)
    if sin_quorum and sesion.acuerdos:
        msg = f"se tomaron {len(sesion.acuerdos)} acuerdos sin quórum: {q.razon}"
        errors.append(Problema(msg, sesion.en("asistencia"), q.cita))
    elif sin_quorum:
        warnings.append(Problema(f"no hubo quórum: {q.razon}", sesion.en("asistencia"), q.cita))
    aviso = notice(sesion, perfil, Calendario.de(stl.dias_inhabiles))
    if aviso is not None and not aviso.cumple:
        folio = sesion.convocatoria.folio
        msg = (
            f"la convocatoria{f' {folio}' if folio else ''} da {spanish.dias_habiles(len(aviso.habiles))} de "
            f"anticipación; se requieren {aviso.requeridos}"
        )
        warnings.append(Problema(msg, sesion.convocatoria.en("fecha"), aviso.cita))
    if inhabil := dia_inhabil(sesion.fecha, Calendario.de(stl.dias_inhabiles)):
        warnings.append(Problema(f"la sesión se celebra en día inhábil: {inhabil}", sesion.en("fecha")))
    warnings.extend(_convener_warnings(sesion, stl, perfil))
    warnings.extend(_homonimos(registro))
    ausencias = _ausencias(registro)[sesion.id]
    limit = perfil.remocion.get("ausencias_consecutivas")
    for who, count in ausencias.items():
        if limit and count >= limit:
            msg = f"{stl.integrante(who).nombre} acumula {count} ausencias consecutivas (causa de remoción)"
            warnings.append(Problema(msg, sesion.lugar, perfil.cita(perfil.remocion)))
    return Dictamen(sesion, caps, q, tuple(resultados), aviso, ausencias, tuple(errors), tuple(warnings))


def _homonimos(registro: Registro) -> list[Problema]:
    """Two members of the same name (the records refuse names that only look alike): the acta, the rubric and
    the signatures would not tell them apart. Two people may share a name: a warning, once per load."""
    if "homonimos" not in registro.memo:
        gente = registro.stl.integrantes
        registro.memo["homonimos"] = [
            Problema(
                f"{gente[j].nombre} ({gente[j].id}) y {gente[i].nombre} ({gente[i].id}, línea "
                f"{gente[i].lugar.linea}) se llaman igual: en el acta, la rúbrica y las firmas no se distinguen. "
                "Si son dos personas, agregue a «nombre» lo que las distinga (el segundo apellido, una inicial); "
                "si es la misma, deje un solo registro",
                gente[j].lugar,
            )
            for i, j, igual in identidad.coincidencias([p.nombre for p in gente])
            if igual
        ]
    return registro.memo["homonimos"]


def _convener_warnings(sesion: Sesion, stl: Stl, perfil: Perfil) -> list[Problema]:
    if sesion.convocatoria is None:
        return []
    convoca = stl.integrante(sesion.convocatoria.convoca)
    quien = perfil.convoca["calidad"]
    ok = (quien == "facilitador" and convoca.calidad is Calidad.FACILITADOR) or (
        quien == "organo_garante" and convoca.sector is Sector.ORGANO_GARANTE
    )
    if ok:
        return []
    esperado = "el Facilitador" if quien == "facilitador" else "el órgano garante"
    msg = f"convoca {convoca.nombre}, pero según el perfil convoca {esperado}"
    return [Problema(msg, sesion.convocatoria.en("convoca"), perfil.cita(perfil.convoca))]
