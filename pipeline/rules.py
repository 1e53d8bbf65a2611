"""Stage 2 — rules: a session checked against its governance profile.

Takes a `Registro` and a session id; gives a `Dictamen`: each attendee's capacity (voice, vote, signs),
the quorum with its reason, each acuerdo's outcome and wording, the notice in business days, the
attendance history, and every error and warning, each naming the rule and the seed article. Pure: no
I/O and no clock ("today" is whatever session is asked about).
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from dataclasses import dataclass

from . import identidad, spanish
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
    "APROBADAS",
    "CLASES",
    "Aviso",
    "Capacidad",
    "Dictamen",
    "Evento",
    "Momento",
    "Quorum",
    "Resultado",
    "advertencias_reunion",
    "aprobacion_del_acta",
    "attendance_history",
    "capacidades",
    "dia_inhabil",
    "dictaminar",
    "dirige",
    "estado_acuerdo",
    "notice",
    "outcome",
    "quorum",
]

# The class of each outcome: what the acta may say of it, and nothing else.
APROBADAS = (
    "unanimidad",  # every voter present voted for it
    "unanimidad_emitidos",  # every vote cast was for it; someone abstained
    "mayoria",  # more for than the rule asks, with votes against
    "voto_de_calidad",  # a tie, decided for it by the casting vote
)
CLASES = (
    *APROBADAS,
    "rechazo_mayoria",  # more votes against than for
    "rechazo_voto_de_calidad",  # a tie, decided against it by the casting vote
    "empate",  # a tie nobody present could decide
    "sin_mayoria",  # not against by majority, but short of the majority the rule asks
    "sin_sociedad_civil",  # a majority without the civil-society vote the rule asks (000 Cap. VIII.2; 002 VI)
    "sin_quorum",  # voted without quorum: no acuerdo stands
)


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
class Momento:
    """Who is in the session at one moment (its opening, a vote, right after someone arrives or leaves)."""

    hora: dt.time | None
    presentes: tuple[str, ...]  # every attendee present, in the order of the attendance
    votantes: tuple[str, ...]  # those of them with a vote
    quorum: Quorum


@dataclass(frozen=True)
class Evento:
    """Someone arrived after the opening (`llega`) or left before the closing: the session right after it."""

    hora: dt.time
    integrante: str
    llega: bool
    despues: Momento


@dataclass(frozen=True)
class Resultado:
    """One acuerdo's vote as facts: who could vote, who voted how, the class of the outcome and why."""

    acuerdo: Acuerdo
    aprobado: bool
    clase: str  # one of CLASES
    a_favor: tuple[str, ...]  # the votes counted: present voters only
    en_contra: tuple[str, ...]
    abstenciones: tuple[str, ...]
    voto_de_calidad: str | None
    razon: str
    momento: Momento | None = None  # who was present when it was voted
    motivos: tuple[tuple[str, str | None], ...] = ()  # (abstainer, cause)

    @property
    def forma(self) -> str:
        """ "unanimidad", "mayoria", "voto_de_calidad" or "no_aprobado": the outcome in four words (site, data)."""
        if not self.aprobado:
            return "no_aprobado"
        return {"unanimidad": "unanimidad", "voto_de_calidad": "voto_de_calidad"}.get(self.clase, "mayoria")


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
    quorum: Quorum | None  # at the opening
    resultados: tuple[Resultado, ...]
    aviso: Aviso | None
    ausencias: dict[str, int]  # titular id → consecutive absences up to this session
    errores: tuple[Problema, ...]
    advertencias: tuple[Problema, ...]
    apertura: Momento | None = None  # who was present at the opening
    eventos: tuple[Evento, ...] = ()  # arrivals and departures, in time order
    conduce: Integrante | None = None  # who conducted the session
    en_ausencia: bool = False  # …in the absence of whoever the profile has conduct it
    inasistentes: tuple[Integrante, ...] = ()  # titulares whose seat nobody took, the absent conductor
    totalidad: bool = False  # every seat taken and the conductor present at the opening

    @property
    def firmantes(self) -> tuple[Integrante, ...]:
        return tuple(c.integrante for c in self.capacidades if c.firma)

    def resultado(self, folio: str) -> Resultado:
        return next(r for r in self.resultados if r.acuerdo.folio == folio)


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
    result: list[Capacidad] = []
    seats: dict[str, str] = {}
    for asistente in sesion.asistencia or ():
        cap = _capacidad(asistente, sesion, stl, perfil, problems)
        result.append(cap)
        if cap.escano is None:
            continue
        if cap.escano in seats:
            problems.append(
                Problema(
                    f"el lugar de {stl.integrante(cap.escano).nombre} tiene dos votos "
                    f"({seats[cap.escano]} y {cap.integrante.nombre})",
                    asistente.lugar,
                    perfil.cita(perfil.voto[Calidad.SUPLENTE]),
                )
            )
        seats.setdefault(cap.escano, cap.integrante.nombre)
    return tuple(result), problems


# --- quorum and who is present when ---------------------------------------------------------------------


def _minimum(base: int, rule: str) -> int:
    if rule == "cincuenta_mas_uno":
        # «50 % más 1», taken literally: half the seats plus one, rounded up (7 seats → 5).
        return -(-base // 2) + 1
    return base // 2 + 1  # «mayoría»: more than half (7 seats → 4)


def _seat_sector(cap: Capacidad, stl: Stl) -> Sector:
    """A voter's sector is their seat's: a suplente or enlace counts as the sector of the titular they stand in for."""
    return stl.integrante(cap.escano).sector


def quorum(sesion: Sesion, stl: Stl, perfil: Perfil, caps: tuple[Capacidad, ...]) -> Quorum:
    """Met or not by `caps` (those present), who counts and why (000 Cap. VI.2; 001 Art. 7.1; 002 V.2)."""
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
            partes.append(f"sociedad civil presente ({spanish.join_names(list(civil))})")
        else:
            partes.append("no está presente ningún representante de la sociedad civil con voto")
            cumple = False
    return Quorum(cumple, len(voters), base, minimo, civil, "; ".join(partes), perfil.cita(regla))


def _presente(asistente: Asistente, hora: dt.time | None) -> bool:
    """Present at `hora` (None: at the opening): arrived by then and not yet gone."""
    if hora is None:
        return asistente.llega is None
    return (asistente.llega is None or asistente.llega <= hora) and (
        asistente.sale is None or hora < asistente.sale
    )


def momento(
    sesion: Sesion, stl: Stl, perfil: Perfil, caps: tuple[Capacidad, ...], hora: dt.time | None
) -> Momento:
    """Who is present at `hora` (None: the opening), who of them votes, and the quorum they make."""
    presentes = tuple(a.integrante for a in sesion.asistencia or () if _presente(a, hora))
    aqui = tuple(c for c in caps if c.integrante.id in presentes)
    votantes = tuple(c.integrante.id for c in aqui if c.voto)
    return Momento(hora, presentes, votantes, quorum(sesion, stl, perfil, aqui))


def _eventos(sesion: Sesion, stl: Stl, perfil: Perfil, caps: tuple[Capacidad, ...]) -> tuple[Evento, ...]:
    cambios = [(a.llega, a.integrante, True) for a in sesion.asistencia or () if a.llega]
    cambios += [(a.sale, a.integrante, False) for a in sesion.asistencia or () if a.sale]
    return tuple(
        Evento(hora, quien, llega, momento(sesion, stl, perfil, caps, hora))
        for hora, quien, llega in sorted(cambios, key=lambda c: (c[0], not c[2]))
    )


def _hora_del_voto(sesion: Sesion, acuerdo: Acuerdo) -> tuple[dt.time | None, list[Asistente]]:
    """When `acuerdo` was voted, as far as presence goes: its own time, or any time between the votes around it
    (the opening and the closing at the ends) if nobody arrived or left in between; else who did."""
    if acuerdo.hora is not None:
        return acuerdo.hora, []
    acuerdos = list(sesion.acuerdos)
    i = acuerdos.index(acuerdo)
    antes = [a.hora for a in acuerdos[:i] if a.hora]
    despues = [a.hora for a in acuerdos[i + 1 :] if a.hora]
    desde = antes[-1] if antes else sesion.hora_inicio
    hasta = despues[0] if despues else sesion.hora_cierre
    if desde is None or hasta is None:
        return desde, []
    dudosos = [
        a
        for a in sesion.asistencia or ()
        if any(h is not None and desde < h <= hasta for h in (a.llega, a.sale))
    ]
    return desde, dudosos


# --- who conducts (000 Cap. XI.5; 001 Art. 9.1; 002 VII.1) --------------------------------------------------


def dirige(registro: Registro, fecha: dt.date) -> Integrante | None:
    """Who conducts the sessions under the profile: the Facilitador (000 Cap. XI.5; 001 Art. 9.1) or the
    integrante the roster marks `preside: true` (002 VII.1); None if the roster names nobody for it."""
    quien = registro.perfil.quien_dirige
    for persona in registro.stl.integrantes:
        es = persona.calidad is Calidad.FACILITADOR if quien == "facilitador" else persona.preside
        if es and persona.activo(fecha):
            return persona
    return None


def _conduccion(
    registro: Registro, sesion: Sesion, problems: list[Problema]
) -> tuple[Integrante | None, bool]:
    """Who conducted, and whether in the absence of whoever the profile has conduct: the profile's conductor if
    present; else whom the record names (`conduce`); else who presides the STL, if present."""
    stl, perfil = registro.stl, registro.perfil
    rol = dirige(registro, sesion.fecha)
    if sesion.asistencia is None or sesion.parcial:
        return rol, False
    cita = perfil.cita(perfil.dirige) if perfil.dirige else ""
    nombrado = stl.integrante(sesion.conduce) if sesion.conduce and sesion.asistio(sesion.conduce) else None
    if rol is not None and sesion.asistio(rol.id):
        if nombrado is not None and nombrado != rol:
            msg = (
                f"«conduce» dice {nombrado.nombre}, pero asistió {rol.nombre}, que dirige las sesiones: "
                "«conduce» solo se anota en su ausencia"
            )
            problems.append(Problema(msg, sesion.en("conduce"), cita))
        quien, ausencia = rol, False
    elif nombrado is not None:
        quien, ausencia = nombrado, rol is not None
    else:
        preside = next(
            (p for p in stl.integrantes if p.preside and p.activo(sesion.fecha) and sesion.asistio(p.id)),
            None,
        )
        quien, ausencia = preside, rol is not None
        if preside is None and sesion.conduce is None:
            falta = (
                f"no asistió {rol.nombre}, que dirige las sesiones"
                if rol
                else "el padrón no nombra a quien dirige las sesiones"
            )
            msg = f"{falta}: diga quién condujo la sesión en «conduce» (el id de un asistente)"
            problems.append(Problema(msg, sesion.en("asistencia"), cita))
    asistente = sesion.asistente(quien.id) if quien else None
    if asistente is not None and (asistente.llega or asistente.sale):
        cuando = (
            f"llega a las {asistente.llega:%H:%M}"
            if asistente.llega
            else f"sale a las {asistente.sale:%H:%M}"
        )
        msg = (
            f"{quien.nombre} conduce la sesión, pero {cuando}: quien la conduce está de la apertura al cierre"
        )
        problems.append(Problema(msg, asistente.lugar, cita))
    return quien, ausencia


def _inasistentes(registro: Registro, sesion: Sesion, rol: Integrante | None) -> tuple[Integrante, ...]:
    """Titulares whose seat nobody took, and the conductor of the profile if absent."""
    suplidos = {a.en_lugar_de for a in sesion.asistencia or () if a.en_lugar_de}
    faltan = [
        p for p in registro.stl.titulares(sesion.fecha) if not sesion.asistio(p.id) and p.id not in suplidos
    ]
    if rol is not None and not sesion.asistio(rol.id) and rol not in faltan:
        faltan.append(rol)
    return tuple(faltan)


def _totalidad(registro: Registro, sesion: Sesion, apertura: Momento) -> bool:
    """Every seat taken at the opening (by its titular or whoever stands in) and the conductor there."""
    suplentes = {
        a.en_lugar_de for a in sesion.asistencia or () if a.en_lugar_de and a.integrante in apertura.presentes
    }
    titulares = registro.stl.titulares(sesion.fecha)
    rol = dirige(registro, sesion.fecha)
    sentados = all(t.id in apertura.presentes or t.id in suplentes for t in titulares)
    return bool(titulares) and sentados and (rol is None or rol.id in apertura.presentes)


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


def _check_ballots(
    acuerdo: Acuerdo, sesion: Sesion, stl: Stl, caps: tuple[Capacidad, ...], perfil: Perfil, m: Momento
) -> list[Problema]:
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
        elif who not in m.presentes:
            a = sesion.asistente(
                who
            )  # attended, so absent at the vote only by arriving after it or leaving before
            cuando = (
                f"se había retirado a las {a.sale:%H:%M}"
                if a.sale and m.hora and m.hora >= a.sale
                else f"aún no llegaba (llega a las {a.llega:%H:%M})"
            )
            problems.append(
                Problema(f"{cap.integrante.nombre} vota en {acuerdo.folio}, pero {cuando}", v.en(who))
            )
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


def _silent(acuerdo: Acuerdo, stl: Stl, perfil: Perfil, m: Momento) -> list[Problema]:
    """Every voter present has a vote in the record: for, against or abstaining."""
    v = acuerdo.votacion
    if v.a_favor is None:
        return []
    anotados = {*v.a_favor, *v.en_contra, *(w for w, _ in v.abstenciones)}
    silent = [w for w in m.votantes if w not in anotados]
    if not silent:
        return []
    names = spanish.join_names([_name(stl, w) for w in silent])
    if perfil.abstencion["regla"] == "justificada":
        why = "nadie puede abstenerse sin causa"
    else:
        why = "anótelo a favor, en contra o en abstenciones; quien se retiró antes lleva «sale» en la asistencia"
    msg = f"en {acuerdo.folio} no consta el voto de {names}, presente al votarse ({why})"
    return [Problema(msg, v.lugar, perfil.cita(perfil.abstencion))]


def outcome(
    acuerdo: Acuerdo,
    sesion: Sesion,
    stl: Stl,
    perfil: Perfil,
    caps: tuple[Capacidad, ...],
    m: Momento,
) -> tuple[Resultado, list[Problema]]:
    """The acuerdo's outcome among those present at its vote (`m`), under the quorum, decision, abstention and tie
    rules: its class and who voted how."""
    v = acuerdo.votacion
    problems = _check_ballots(acuerdo, sesion, stl, caps, perfil, m) + _silent(acuerdo, stl, perfil, m)
    voters = [c for c in caps if c.integrante.id in m.votantes]
    contra = tuple(w for w in v.en_contra if w in m.votantes)
    abst = tuple(w for w, _ in v.abstenciones if w in m.votantes)
    if v.a_favor is None:
        favor = tuple(w for w in m.votantes if w not in v.en_contra and w not in abst)
    else:
        favor = tuple(w for w in v.a_favor if w in m.votantes)
    recused = [w for w, motivo in v.abstenciones if w in m.votantes and motivo is not None]
    if perfil.decision["regla"] == "mayoria_presentes":
        base = len(voters) - len(recused)
        mayoria = 2 * len(favor) > base
        razon = f"{len(favor)} de {base} votos de los presentes"
    else:
        mayoria = len(favor) > len(contra)
        razon = f"{len(favor)} a favor y {len(contra)} en contra"
    empate = not mayoria and len(favor) == len(contra) > 0
    holder = _casting_holder(voters, stl, perfil)
    calidad = (
        holder.integrante.id if empate and holder and holder.integrante.id in (*favor, *contra) else None
    )
    aprobado = mayoria or (calidad is not None and calidad in favor)
    civil_favor = [w for w in favor if _seat_sector(_cap(caps, w), stl) is Sector.SOCIEDAD_CIVIL]
    sin_sociedad_civil = aprobado and perfil.decision["voto_sociedad_civil"] and not civil_favor
    if sin_sociedad_civil:
        aprobado = False
    clase = _clase(aprobado, favor, contra, abst, calidad, empate, sin_sociedad_civil, m.quorum.cumple)
    razon = _razon(clase, razon, holder)
    motivos = tuple((w, motivo) for w, motivo in v.abstenciones if w in m.votantes)
    resultado = Resultado(
        acuerdo, aprobado and m.quorum.cumple, clase, favor, contra, abst, calidad, razon, m, motivos
    )
    problems.extend(
        _check_declared(resultado, perfil, stl, empate, holder, bool(_silent(acuerdo, stl, perfil, m)))
    )
    return resultado, problems


def _clase(aprobado, favor, contra, abst, calidad, empate, sin_sociedad_civil, hay_quorum) -> str:
    if not hay_quorum:
        return "sin_quorum"
    if aprobado:
        if calidad is not None:
            return "voto_de_calidad"  # a tie is not a majority
        if contra:
            return "mayoria"
        return "unanimidad_emitidos" if abst else "unanimidad"
    if calidad is not None:
        return "rechazo_voto_de_calidad"
    if empate:
        return "empate"
    if sin_sociedad_civil:
        return "sin_sociedad_civil"
    return "rechazo_mayoria" if len(contra) > len(favor) else "sin_mayoria"


def _razon(clase: str, razon: str, holder: Capacidad | None) -> str:
    if clase in ("voto_de_calidad", "rechazo_voto_de_calidad"):
        return f"empate; decide el voto de calidad de {holder.integrante.nombre}"
    if clase == "empate":
        return "empate sin voto de calidad que lo resuelva"
    if clase == "sin_sociedad_civil":
        return razon + "; falta al menos un voto a favor de la sociedad civil"
    if clase == "sin_quorum":
        return razon + "; sin quórum al votarse"
    return razon


def _cap(caps: tuple[Capacidad, ...], who: str) -> Capacidad:
    return next(c for c in caps if c.integrante.id == who)


def _check_declared(
    r: Resultado, perfil: Perfil, stl: Stl, empate: bool, holder: Capacidad | None, silent: bool
) -> list[Problema]:
    """What the record says was decided must follow from the votes."""
    v, folio = r.acuerdo.votacion, r.acuerdo.folio
    cita_decision = perfil.cita(perfil.decision)
    problems = []
    if r.clase == "sin_quorum":
        return problems  # said once, by the quorum at the vote
    if v.declarada == "unanimidad" and r.clase != "unanimidad" and not silent:
        detail = (
            r.razon if not r.aprobado else f"{len(r.en_contra)} en contra, {len(r.abstenciones)} abstenciones"
        )
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


def _votos(
    registro: Registro, sesion: Sesion, caps: tuple[Capacidad, ...], errors: list[Problema]
) -> list[Resultado]:
    """Each acuerdo voted among those present at its vote; a vote without quorum is an error (unless the session
    never had quorum, or its record has no attendance: one error says so for all)."""
    stl, perfil = registro.stl, registro.perfil
    apertura = momento(sesion, stl, perfil, caps, None)
    resultados = []
    for acuerdo in sesion.acuerdos:
        hora, dudosos = _hora_del_voto(sesion, acuerdo)
        if dudosos:
            quienes = spanish.join_names(
                [
                    f"{_name(stl, a.integrante)} ({'llega' if a.llega else 'sale'} a las {(a.llega or a.sale):%H:%M})"
                    for a in dudosos
                ]
            )
            estaba = "estaba" if len(dudosos) == 1 else "estaban"
            msg = f"no se sabe si {quienes} {estaba} al votarse {acuerdo.folio}: anote la hora de la votación («hora»)"
            errors.append(Problema(msg, acuerdo.lugar))
        m = momento(sesion, stl, perfil, caps, hora) if hora is not None else apertura
        resultado, found = outcome(acuerdo, sesion, stl, perfil, caps, m)
        resultados.append(resultado)
        if sesion.asistencia is None or not apertura.quorum.cumple:
            continue  # without attendance or quorum no acuerdo stands: one error says it, not one per vote
        errors.extend(found)
        if not m.quorum.cumple:
            msg = f"{acuerdo.folio} se votó sin quórum: {m.quorum.razon}"
            errors.append(Problema(msg, acuerdo.lugar, m.quorum.cita))
    return resultados


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


_APRUEBAN: dict[int, tuple[weakref.ref, dict[str, list[tuple[Sesion, Acuerdo]]]]] = {}


def _aprueban(registro: Registro) -> dict[str, list[tuple[Sesion, Acuerdo]]]:
    """Each session → the acuerdos that approve its acta, with their session, in the order of the records: made once
    for each `Registro` (frozen), not for every session asked about (the site and the batch ask about each one)."""
    clave = id(registro)
    hecho = _APRUEBAN.get(clave)
    if hecho is not None and hecho[0]() is registro:
        return hecho[1]
    indice: dict[str, list[tuple[Sesion, Acuerdo]]] = {}
    for sesion in registro.sesiones:
        for acuerdo in sesion.acuerdos:
            if acuerdo.aprueba_acta:
                indice.setdefault(acuerdo.aprueba_acta, []).append((sesion, acuerdo))
    _APRUEBAN[clave] = (weakref.ref(registro, lambda _: _APRUEBAN.pop(clave, None)), indice)
    return indice


def aprobacion_del_acta(registro: Registro, sesion_id: str) -> str | None:
    """How the acta of `sesion_id` was approved (000 Cap. VI.7; 001 Art. 7.5; 002 V.7), in words that follow
    «aprobada»: «mediante el acuerdo STL/IV/2/2020, del tres de noviembre de dos mil veinte», «el diecisiete de
    marzo de dos mil veintiuno»; None if it is not approved.

    Normally an approved acuerdo of a later session (STL/IV/2/2020 approves the acta of III-2020); or an
    approval entered explicitly in the record (Zacatecas signs «en la misma fecha»).
    """
    for sesion, acuerdo in _aprueban(registro).get(sesion_id, ()):
        if dictaminar(registro, sesion.id).resultado(acuerdo.folio).aprobado:
            return f"mediante el acuerdo {acuerdo.folio}, del {spanish.date_words(sesion.fecha)}"
    aprobacion = registro.sesion(sesion_id).aprobacion
    if aprobacion:
        return f"el {spanish.date_words(aprobacion[0])}"
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
    conduce, en_ausencia = _conduccion(registro, sesion, errors)
    apertura = momento(sesion, stl, perfil, caps, None) if sesion.asistencia is not None else None
    q = apertura.quorum if apertura else None
    resultados = _votos(registro, sesion, caps, errors)
    if sesion.asistencia is None and sesion.acuerdos:
        folios = spanish.join_names([a.folio for a in sesion.acuerdos])
        msg = (
            f"el registro tiene {'el acuerdo' if len(sesion.acuerdos) == 1 else 'los acuerdos'} {folios}, pero no "
            "la asistencia: anote quiénes asistieron («asistencia»); los acuerdos se votan entre los presentes"
        )
        errors.append(Problema(msg, sesion.acuerdos[0].lugar))
    if q is not None and not q.cumple and sesion.acuerdos:
        n = len(sesion.acuerdos)
        msg = f"{'se tomó un acuerdo' if n == 1 else f'se tomaron {n} acuerdos'} sin quórum: {q.razon}"
        errors.append(Problema(msg, sesion.en("asistencia"), q.cita))
    elif q is not None and not q.cumple:
        warnings.append(Problema(f"no hubo quórum: {q.razon}", sesion.en("asistencia"), q.cita))
    aviso = notice(sesion, perfil, Calendario.de(stl.dias_inhabiles))
    warnings.extend(_notice_warnings(sesion, aviso))
    if inhabil := dia_inhabil(sesion.fecha, Calendario.de(stl.dias_inhabiles)):
        warnings.append(Problema(f"la sesión se celebra en día inhábil: {inhabil}", sesion.en("fecha")))
    warnings.extend(_convener_warnings(sesion, stl, perfil))
    if apertura is not None and apertura.quorum.cumple:
        warnings.extend(_redaccion_warnings(sesion))
    warnings.extend(_homonimos(registro))
    ausencias = _ausencias(registro)[sesion.id]
    limit = perfil.remocion.get("ausencias_consecutivas")
    for who, count in ausencias.items():
        if limit and count >= limit:
            msg = f"{stl.integrante(who).nombre} acumula {count} ausencias consecutivas (causa de remoción)"
            warnings.append(Problema(msg, sesion.lugar, perfil.cita(perfil.remocion)))
    return Dictamen(
        sesion,
        caps,
        q,
        tuple(resultados),
        aviso,
        ausencias,
        tuple(errors),
        tuple(warnings),
        apertura=apertura,
        eventos=_eventos(sesion, stl, perfil, caps),
        conduce=conduce,
        en_ausencia=en_ausencia,
        inasistentes=_inasistentes(registro, sesion, dirige(registro, sesion.fecha))
        if sesion.asistencia is not None
        else (),
        totalidad=apertura is not None and _totalidad(registro, sesion, apertura),
    )


def _notice_warnings(sesion: Sesion, aviso: Aviso | None) -> list[Problema]:
    if aviso is None or aviso.cumple:
        return []
    folio = sesion.convocatoria.folio
    msg = (
        f"la convocatoria{f' {folio}' if folio else ''} da {spanish.dias_habiles(len(aviso.habiles))} de "
        f"anticipación; se requieren {aviso.requeridos}"
    )
    return [Problema(msg, sesion.convocatoria.en("fecha"), aviso.cita)]


_YA_DICHO = re.compile(r"\W*(?:se\s+)?(?:aprueba|aprobó|apruebe|aprobar|autoriza|autorizó)\b", re.IGNORECASE)


def _redaccion_warnings(sesion: Sesion) -> list[Problema]:
    """What would make the acta read wrong though the rules hold: the approval of the agenda or of an earlier
    acta with no acuerdo (the acta would not say how it was voted), an acuerdo's text that repeats the «se aprueba»
    the acta already puts before it («Por el que, se aprueba por unanimidad de votos, <texto>»)."""
    avisos = []
    for punto in sesion.orden_aprobado:
        if punto.acuerdos or punto.tipo not in (TipoPunto.ORDEN_DEL_DIA, TipoPunto.APROBACION_ACTA):
            continue
        cual = "del orden del día" if punto.tipo is TipoPunto.ORDEN_DEL_DIA else f"del acta de {punto.sesion}"
        msg = (
            f"el punto de aprobación {cual} no tiene acuerdo: el acta no dirá cómo se votó; anote en el punto "
            "«acuerdos: [{votacion: unanimidad}]» (o cómo se votó)"
        )
        avisos.append(Problema(msg, punto.lugar))
    for acuerdo in sesion.acuerdos:
        if acuerdo.texto and (dicho := _YA_DICHO.match(acuerdo.texto)):
            msg = (
                f"el texto de {acuerdo.folio} empieza con «{dicho.group(0).strip()}», que el acta ya pone antes de "
                "él («Por el que, se aprueba por unanimidad de votos, …»): escriba solo el objeto del acuerdo, p. ej. "
                "«el Plan de Acción Local»"
            )
            avisos.append(Problema(msg, acuerdo.lugar))
    return avisos


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
