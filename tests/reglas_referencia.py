"""An independent reference of who votes, quorum, majority and ties, written from the seeds' articles.

The fuzz tests (test_fuzz.py) compare `pipeline/rules.py` with this on generated sessions, so that a wrong vote rule
fails them, not only a rule that disagrees with itself. Nothing here comes from `pipeline/rules.py` or from the
profiles' YAML: each profile's rules are written below as the seed states them, article by article, with the
project's reading where the seed leaves it open (README, «Perfiles de gobernanza»). Only the data comes from the
models (who attended, whose place, how each voted).

- 000 (Estado de México): every integrante has voice and vote, an enlace too when designated in writing with a
  vote (Cap. IV, fracc. I and VI); a suplente or enlace votes when their titular does not attend (Cap. IV, fracc.
  IV; Cap. VI.3); invitados (Cap. IV, fracc. VII) and the Facilitador (004, footnote 4) only speak. Quorum: the
  majority of the active integrantes and always a civil-society representative (Cap. VI.2). Decision: the majority
  of the votes of those present, with at least one civil-society vote (Cap. VIII.2). Tie: the civil-society
  representative's casting vote (Cap. VIII.4).
- 001 (Zacatecas): members vote (Art. 7), suplentes standing in (Art. 7.1), companions only speak (Art. 7.11).
  Quorum: 50 % plus one of the members (Art. 7.1), taken literally. Decision: not detailed; a simple majority of
  the votes cast. No casting vote: a tie is not approved.
- 002 (Jalisco): members vote (III.1), the suplente when standing in (III.2; V.3), the enlace only speaks (III.3),
  invited members only speak (VIII.5). Quorum: the majority of the active members and always a civil-society
  representative (V.2). Decision: the majority of the votes of those present, with at least one civil-society vote;
  the STL President (the ITEI's, VII.1) has the casting vote in a tie (VI).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.models import Acuerdo, Calidad, Sector, Sesion, Stl


@dataclass(frozen=True)
class Reglas:
    enlace_con_voto: bool  # may an enlace designated with a vote cast it when standing in
    quorum: str  # "mayoria" (more than half) or "la_mitad_mas_uno" (at least half plus one)
    sociedad_civil_presente: bool  # the quorum needs a civil-society seat present
    decision: str  # "presentes" (majority of those present) or "emitidos" (more for than against)
    voto_sociedad_civil: bool  # an approval needs a civil-society vote in favour
    calidad: str | None  # who breaks a tie: "sociedad_civil", "presidencia" or nobody


REGLAS = {
    "edomex": Reglas(True, "mayoria", True, "presentes", True, "sociedad_civil"),  # 000
    "zacatecas": Reglas(False, "la_mitad_mas_uno", False, "emitidos", False, None),  # 001
    "jalisco": Reglas(False, "mayoria", True, "presentes", True, "presidencia"),  # 002
}


@dataclass(frozen=True)
class Quorum:
    cumple: bool
    presentes: int
    base: int


@dataclass(frozen=True)
class Resultado:
    aprobado: bool
    forma: str  # "unanimidad", "mayoria", "voto_de_calidad" or "no_aprobado"
    calidad: str | None = None  # who decided a tie with the casting vote (for or against)


def votantes(sesion: Sesion, stl: Stl, perfil: str) -> dict[str, str]:
    """Each attendee who votes → the titular whose place the vote is (their own, or the one they stand in for)."""
    reglas = REGLAS[perfil]
    presentes = {a.integrante for a in sesion.asistencia or ()}
    asientos = {}
    for a in sesion.asistencia or ():
        p = stl.integrante(a.integrante)
        if p.calidad is Calidad.TITULAR:
            asientos[p.id] = p.id
            continue
        suple = a.en_lugar_de is not None and a.en_lugar_de == p.de and a.en_lugar_de not in presentes
        con_voto = p.calidad is Calidad.SUPLENTE or (
            p.calidad is Calidad.ENLACE and reglas.enlace_con_voto and p.con_voto
        )
        if suple and con_voto:
            asientos[p.id] = a.en_lugar_de
        # invitados, the Facilitador, and anyone not standing in for an absent titular: voice only
    return asientos


def _civil(stl: Stl, titular: str) -> bool:
    return stl.integrante(titular).sector is Sector.SOCIEDAD_CIVIL


def quorum(sesion: Sesion, stl: Stl, perfil: str) -> Quorum:
    reglas = REGLAS[perfil]
    asientos = votantes(sesion, stl, perfil)
    base = sum(1 for p in stl.integrantes if p.calidad is Calidad.TITULAR and p.activo(sesion.fecha))
    presentes = len(asientos)
    # «mayoría»: more than half; «50 % más 1»: at least half of the seats, plus one
    cumple = 2 * presentes > base if reglas.quorum == "mayoria" else 2 * presentes >= base + 2
    if reglas.sociedad_civil_presente:
        cumple = cumple and any(_civil(stl, t) for t in asientos.values())
    return Quorum(cumple, presentes, base)


def _quien_desempata(asientos: dict[str, str], stl: Stl, reglas: Reglas) -> str | None:
    if (
        reglas.calidad == "sociedad_civil"
    ):  # «el Representante de la Sociedad Civil»: one, or it is not said who
        civiles = [v for v, t in asientos.items() if _civil(stl, t)]
        return civiles[0] if len(civiles) == 1 else None
    if (
        reglas.calidad == "presidencia"
    ):  # the President, or who stands in for them «en igualdad de condiciones»
        return next((v for v, t in asientos.items() if stl.integrante(t).preside), None)
    return None


def resultado(acuerdo: Acuerdo, sesion: Sesion, stl: Stl, perfil: str) -> Resultado | None:
    """The outcome of one acuerdo; None when a ballot is not a vote (someone without a vote, or twice): the record is
    wrong and the rules must say so."""
    reglas = REGLAS[perfil]
    v = acuerdo.votacion
    asientos = votantes(sesion, stl, perfil)
    abstienen = [quien for quien, _ in v.abstenciones]
    listados = [*(v.a_favor or ()), *v.en_contra, *abstienen]
    if len(set(listados)) != len(listados) or not set(listados) <= set(asientos):
        return None
    contra = set(v.en_contra)
    favor = set(asientos) - contra - set(abstienen) if v.a_favor is None else set(v.a_favor)
    if reglas.decision == "presentes":
        # Whoever abstains giving a cause (impediment, conflict of interest…) takes no part in the decision; whoever
        # is present and silent, or abstains without one, counts among those present.
        excusados = sum(1 for _, motivo in v.abstenciones if motivo is not None)
        aprobado = 2 * len(favor) > len(asientos) - excusados
    else:
        aprobado = len(favor) > len(contra)
    empate = len(favor) == len(contra) > 0
    calidad = None
    if empate and (quien := _quien_desempata(asientos, stl, reglas)) in favor | contra:
        aprobado, calidad = quien in favor, quien
    if aprobado and reglas.voto_sociedad_civil and not any(_civil(stl, asientos[f]) for f in favor):
        aprobado = False
    if (
        not aprobado or not quorum(sesion, stl, perfil).cumple
    ):  # without quorum nothing is decided (000 VI.2; 001 7.1)
        return Resultado(False, "no_aprobado", calidad)
    if calidad:
        return Resultado(True, "voto_de_calidad", calidad)
    # Unanimity: nobody against and nobody abstaining (a voter whose vote is not recorded is an error of the record).
    unanime = not contra and not v.abstenciones
    return Resultado(True, "unanimidad" if unanime else "mayoria")
