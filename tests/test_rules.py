"""Stage 2 on values: the three governance profiles decide the same facts differently where the seeds differ."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from builders import persona, registro_de, sesion, stl_de, votacion
from pipeline import records, rules, wording
from pipeline.business_days import Calendario
from pipeline.models import Calidad, TipoSesion

PERFILES = ("edomex", "zacatecas", "jalisco")


def siete_titulares():
    """Seven seats as in Zacatecas (001 Art. 2.III), one of them civil society."""
    return [
        persona("garante", "organo_garante", preside=True),
        persona("ejecutivo", "poder_ejecutivo"),
        persona("legislativo", "poder_legislativo"),
        persona("judicial", "poder_judicial"),
        persona("municipio", "gobierno_municipal"),
        persona("academia", "academia"),
        persona("civil", "sociedad_civil"),
    ]


def dictamen(perfil_id, stl, s):
    return rules.dictaminar(registro_de(stl, perfil_id, s), s.id)


def redaccion(perfil_id, stl, resultado) -> str:
    """How the acta words `resultado` under the profile (`wording.votacion`)."""
    return wording.votacion(resultado, stl, records.load_profile(perfil_id))


# --- profiles as data ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("perfil_id", PERFILES)
def test_every_rule_of_every_profile_cites_its_seed_article(perfil_id):
    perfil = records.load_profile(perfil_id)
    reglas = [perfil.quorum, perfil.decision, perfil.abstencion, perfil.empate, perfil.aviso]
    reglas += [perfil.frecuencia, perfil.remocion, perfil.convoca, perfil.redacta, perfil.firman]
    reglas += list(perfil.voto.values())
    assert perfil.fuente == {"edomex": "000", "zacatecas": "001", "jalisco": "002"}[perfil_id]
    for regla in reglas:
        assert regla.cita.strip(), regla
        # Seed and article; a rule may rest on another seed (000's Facilitador: 004, nota 4).
        assert re.match(r"00[0-4], \S", perfil.cita(regla)), perfil.cita(regla)


def test_unknown_profile_is_refused_in_spanish():
    with pytest.raises(records.RecordsError, match="no existe el perfil «oaxaca»; disponibles: edomex"):
        records.load_profile("oaxaca")


# --- quorum: mayoría + sociedad civil (000 VI.2, 002 V.2) vs 50 % + 1 (001 Art. 7.1) ---------------------------


def test_four_of_seven_with_civil_society_is_quorum_by_majority_but_not_by_fifty_plus_one():
    stl = stl_de(*siete_titulares())
    s = sesion(["garante", "ejecutivo", "academia", "civil"])
    verdicts = {p: dictamen(p, stl, s).quorum for p in PERFILES}
    assert verdicts["edomex"].cumple and verdicts["edomex"].minimo == 4
    assert verdicts["jalisco"].cumple
    assert not verdicts["zacatecas"].cumple and verdicts["zacatecas"].minimo == 5
    assert "4 de 7" in verdicts["zacatecas"].razon and "50 % más uno" in verdicts["zacatecas"].razon
    assert verdicts["zacatecas"].cita == "001, Art. 7.1"


def test_five_of_seven_without_civil_society_is_quorum_only_in_zacatecas():
    stl = stl_de(*siete_titulares())
    s = sesion(["garante", "ejecutivo", "legislativo", "judicial", "municipio"])
    verdicts = {p: dictamen(p, stl, s).quorum for p in PERFILES}
    assert verdicts["zacatecas"].cumple
    for p in ("edomex", "jalisco"):
        assert not verdicts[p].cumple
        assert "ningún representante de la sociedad civil" in verdicts[p].razon
    assert verdicts["edomex"].cita == "000, Cap. VI.2" and verdicts["jalisco"].cita == "002, V.2"


def test_acuerdos_without_quorum_are_refused_naming_the_rule():
    stl = stl_de(*siete_titulares())
    s = sesion(["garante", "civil"], [votacion(declarada="unanimidad")])
    d = dictamen("edomex", stl, s)
    assert not d.quorum.cumple
    [error] = [e for e in d.errores if "sin quórum" in e.mensaje]
    assert error.cita == "000, Cap. VI.2"


# --- ties: casting vote of civil society (000 VIII.4), of the President (002 VI), none (001) -------------------


def cuatro_titulares():
    return [
        persona("garante", "organo_garante", preside=True),
        persona("ejecutivo", "poder_ejecutivo"),
        persona("academia", "academia"),
        persona("civil", "sociedad_civil"),
    ]


def test_tie_with_civil_society_in_favour_and_president_against():
    stl = stl_de(*cuatro_titulares())
    v = votacion(a_favor=["civil", "academia"], en_contra=["garante", "ejecutivo"])
    s = sesion(["garante", "ejecutivo", "academia", "civil"], [v])
    outcome = {p: dictamen(p, stl, s).resultados[0] for p in PERFILES}
    assert outcome["edomex"].aprobado and outcome["edomex"].voto_de_calidad == "civil"
    assert outcome["edomex"].forma == "voto_de_calidad"  # a tie is not a majority
    assert redaccion("edomex", stl, outcome["edomex"]) == (
        "se aprueba con el voto de calidad de la Representación de la Sociedad Civil, a cargo de la Cargo de civil, "
        "Civil, ante el empate de dos votos a favor y dos votos en contra de la Cargo de garante, Garante; y de la "
        "Cargo de ejecutivo, Ejecutivo"
    )
    assert outcome["jalisco"].clase == "rechazo_voto_de_calidad"
    assert redaccion("jalisco", stl, outcome["jalisco"]).startswith(
        "no se aprueba, por el voto de calidad de la Presidencia"
    )
    assert not outcome["jalisco"].aprobado and outcome["jalisco"].voto_de_calidad == "garante"
    assert not outcome["zacatecas"].aprobado and outcome["zacatecas"].voto_de_calidad is None
    assert "sin voto de calidad" in outcome["zacatecas"].razon
    assert outcome["zacatecas"].clase == "empate"
    assert redaccion("zacatecas", stl, outcome["zacatecas"]) == (
        "no se aprueba, ante el empate de dos votos a favor y dos votos en contra de la Cargo de garante, Garante; "
        "y de la Cargo de ejecutivo, Ejecutivo"
    )


def test_tie_with_president_and_civil_society_in_favour():
    stl = stl_de(*cuatro_titulares())
    v = votacion(a_favor=["garante", "civil"], en_contra=["ejecutivo", "academia"])
    s = sesion(["garante", "ejecutivo", "academia", "civil"], [v])
    outcome = {p: dictamen(p, stl, s).resultados[0] for p in PERFILES}
    assert outcome["edomex"].aprobado and outcome["jalisco"].aprobado
    assert outcome["jalisco"].voto_de_calidad == "garante"
    assert not outcome["zacatecas"].aprobado


def test_majority_without_a_civil_society_vote_is_not_an_approval_where_the_seeds_require_one():
    stl = stl_de(*cuatro_titulares())
    v = votacion(a_favor=["garante", "ejecutivo", "academia"], en_contra=["civil"], declarada="mayoria")
    s = sesion(["garante", "ejecutivo", "academia", "civil"], [v])
    edomex, zacatecas = dictamen("edomex", stl, s), dictamen("zacatecas", stl, s)
    assert zacatecas.resultados[0].aprobado and not zacatecas.errores
    assert not edomex.resultados[0].aprobado
    [error] = edomex.errores
    assert "se declara aprobado, pero no lo es" in error.mensaje
    assert "falta al menos un voto a favor de la sociedad civil" in error.mensaje
    assert error.cita == "000, Cap. VIII.2"
    assert edomex.resultados[0].clase == "sin_sociedad_civil"
    assert redaccion("edomex", stl, edomex.resultados[0]) == (
        "no se aprueba, al no contar con el voto a favor de la sociedad civil, con tres votos a favor y un voto "
        "en contra de la Cargo de civil, Civil"
    )


def test_unanimous_acuerdo_with_a_vote_against_is_refused():
    stl = stl_de(*cuatro_titulares())
    v = votacion(en_contra=["ejecutivo"], declarada="unanimidad")
    s = sesion(["garante", "ejecutivo", "academia", "civil"], [v])
    d = dictamen("edomex", stl, s)
    assert d.resultados[0].forma == "mayoria"
    [error] = d.errores
    assert "se declara aprobado por unanimidad, pero no lo es (1 en contra" in error.mensaje


# --- who votes: suplentes, enlaces, invitados ------------------------------------------------------------------


def con_suplente_y_enlace():
    return [
        *cuatro_titulares(),
        persona("suplente", "poder_ejecutivo", "suplente", de="ejecutivo"),
        persona("enlace", "academia", "enlace", de="academia", con_voto=True),
        persona("invitada", "organo_garante", "invitado"),
    ]


def test_suplente_voting_while_the_titular_is_present_is_refused():
    stl = stl_de(*con_suplente_y_enlace())
    s = sesion(["garante", "ejecutivo", ("suplente", "ejecutivo"), "academia", "civil"], [votacion()])
    d = dictamen("edomex", stl, s)
    [error] = [e for e in d.errores if "el titular está presente" in e.mensaje]
    assert error.cita == "000, Cap. IV, fracc. IV; Cap. VI.3"
    assert d.resultados[0].a_favor == ("garante", "ejecutivo", "academia", "civil")


def test_suplente_standing_in_for_an_absent_titular_votes_in_the_titulars_seat():
    stl = stl_de(*con_suplente_y_enlace())
    s = sesion(
        ["garante", ("suplente", "ejecutivo"), "academia", "civil"], [votacion(declarada="unanimidad")]
    )
    for perfil_id in PERFILES:
        d = dictamen(perfil_id, stl, s)
        cap = next(c for c in d.capacidades if c.integrante.id == "suplente")
        assert cap.voto and cap.escano == "ejecutivo", perfil_id
        assert d.quorum.presentes == 4 and not d.errores


def test_enlace_with_written_vote_votes_in_edomex_but_has_voice_only_in_jalisco():
    stl = stl_de(*con_suplente_y_enlace())
    v = votacion(a_favor=["garante", "ejecutivo", "enlace", "civil"])
    s = sesion(["garante", "ejecutivo", ("enlace", "academia"), "civil"], [v])
    edomex, jalisco = dictamen("edomex", stl, s), dictamen("jalisco", stl, s)
    assert next(c for c in edomex.capacidades if c.integrante.id == "enlace").voto
    assert not edomex.errores
    [error] = jalisco.errores
    assert "vota en STL/I/1/2021, pero asiste con enlace: solo voz" in error.mensaje
    assert error.cita == "002, III.3 (sólo tendrá derecho a voz)"


def test_invitado_and_absent_member_cannot_vote():
    stl = stl_de(*con_suplente_y_enlace())
    v = votacion(a_favor=["garante", "ejecutivo", "civil", "invitada", "academia"])
    s = sesion(["garante", "ejecutivo", "civil", "invitada"], [v])
    mensajes = [e.mensaje for e in dictamen("edomex", stl, s).errores]
    assert any("Invitada vota en STL/I/1/2021, pero asiste con invitado: solo voz" in m for m in mensajes)
    assert any("Academia vota en STL/I/1/2021 pero no asistió a la sesión" in m for m in mensajes)


def test_abstention_needs_a_justified_cause_only_in_edomex():
    stl = stl_de(*cuatro_titulares())
    sin_causa = votacion(abstenciones=[("ejecutivo", None)])
    con_causa = votacion(abstenciones=[("ejecutivo", "conflicto_de_interes")])
    s1 = sesion(["garante", "ejecutivo", "academia", "civil"], [sin_causa])
    s2 = sesion(["garante", "ejecutivo", "academia", "civil"], [con_causa])
    [error] = dictamen("edomex", stl, s1).errores
    assert error.cita == "000, Cap. VIII.3" and "sin impedimento justificado" in error.mensaje
    assert not dictamen("jalisco", stl, s1).errores
    d = dictamen("edomex", stl, s2)
    assert not d.errores and d.resultados[0].forma == "mayoria"


def test_facilitador_signs_in_edomex_but_not_in_jalisco():
    stl = stl_de(*cuatro_titulares(), persona("facilitadora", "sociedad_civil", "facilitador"))
    s = sesion(["garante", "ejecutivo", "civil", "facilitadora"])
    assert "facilitadora" in [p.id for p in dictamen("edomex", stl, s).firmantes]
    assert "facilitadora" not in [p.id for p in dictamen("jalisco", stl, s).firmantes]
    cap = next(
        c for c in dictamen("edomex", stl, s).capacidades if c.integrante.calidad is Calidad.FACILITADOR
    )
    assert not cap.voto


# --- notice: 5 business days (000 VI.6, 002 V.6), 5 ordinary / 2 extraordinary (001 Art. 7.3) -----------------


def test_extraordinary_session_with_three_business_days_notice_passes_only_in_zacatecas():
    stl = stl_de(*cuatro_titulares())
    # Convened Monday 1 March 2021 for Friday 5 March: Tue, Wed, Thu in between.
    s = sesion(
        ["garante", "civil"],
        tipo=TipoSesion.EXTRAORDINARIA,
        fecha=dt.date(2021, 3, 5),
        convocada=dt.date(2021, 3, 1),
    )
    avisos = {p: dictamen(p, stl, s).aviso for p in PERFILES}
    assert len(avisos["zacatecas"].habiles) == 3
    assert avisos["zacatecas"].cumple and avisos["zacatecas"].requeridos == 2
    assert not avisos["edomex"].cumple and not avisos["jalisco"].cumple
    warning = next(w for w in dictamen("edomex", stl, s).advertencias if "días hábiles" in w.mensaje)
    assert "da 3 días hábiles de anticipación; se requieren 5" in warning.mensaje
    assert warning.cita == "000, Cap. VI.6"


def test_ordinary_session_needs_five_business_days_in_zacatecas_too():
    stl = stl_de(*cuatro_titulares())
    s = sesion(["garante", "civil"], fecha=dt.date(2021, 3, 5), convocada=dt.date(2021, 3, 1))
    assert not dictamen("zacatecas", stl, s).aviso.cumple


# --- attendance history ----------------------------------------------------------------------------------------


def test_three_consecutive_absences_warn_with_the_removal_rule():
    stl = stl_de(*cuatro_titulares())
    fechas = [dt.date(2021, m, 10) for m in (1, 3, 5)]
    sesiones = []
    for n, f in enumerate(fechas, 1):
        s = sesion(["garante", "ejecutivo", "civil"], fecha=f, convocada=f - dt.timedelta(days=14))
        sesiones.append(s.__class__(**{**s.__dict__, "id": f"{['I', 'II', 'III'][n - 1]}-2021", "numero": n}))
    registro = registro_de(stl, "edomex", *sesiones)
    d = rules.dictaminar(registro, "III-2021")
    assert d.ausencias == {"garante": 0, "ejecutivo": 0, "academia": 3, "civil": 0}
    [warning] = [w for w in d.advertencias if "ausencias consecutivas" in w.mensaje]
    assert warning.cita == "000, Cap. III.5, inciso b)"
    assert not [w for w in rules.dictaminar(registro, "II-2021").advertencias if "ausencias" in w.mensaje]
    zacatecas = rules.dictaminar(registro_de(stl, "zacatecas", *sesiones), "III-2021")
    assert not [w for w in zacatecas.advertencias if "ausencias" in w.mensaje]


# --- the real session -----------------------------------------------------------------------------------------


def test_cuarta_sesion_ordinaria_under_the_edomex_profile(registro_edomex):
    d = rules.dictaminar(registro_edomex, "IV-2020")
    assert d.quorum.cumple and d.quorum.presentes == 3 and d.quorum.base == 3
    assert d.quorum.sociedad_civil == ("Daniel Rosemberg Cervantes Pérez",)
    assert [p.id for p in d.firmantes] == ["martinez", "vargas", "cervantes", "funes"]
    voz = [c.integrante.id for c in d.capacidades if not c.voto and not c.firma]
    assert voz == ["parra", "luna"]
    assert [(r.acuerdo.folio, r.forma) for r in d.resultados] == [
        (f"STL/IV/{n}/2020", "unanimidad") for n in range(1, 5)
    ]
    assert all(
        wording.resultado(registro_edomex, r) == "se aprueba por unanimidad de votos" for r in d.resultados
    )
    assert d.aviso.cumple and len(d.aviso.habiles) == 5
    assert not d.errores and not d.advertencias


def test_notice_uses_the_institutions_own_dias_inhabiles(registro_edomex):
    """Had the Infoem declared 2 November 2020 inhábil, STL/004/2020 would give only four days."""
    s = registro_edomex.sesion("IV-2020")
    calendario = Calendario.de([(dt.date(2020, 11, 2), "Acuerdo de prueba")])
    aviso = rules.notice(s, registro_edomex.perfil, calendario)
    assert not aviso.cumple and len(aviso.habiles) == 4
    assert (dt.date(2020, 11, 2), "día inhábil declarado: Acuerdo de prueba") in aviso.inhabiles


def test_who_convenes_follows_the_profile():
    """000 Cap. XI.1: the Facilitador convenes; 001 Art. 11-I and 002 VII.8: the órgano garante does."""
    stl = stl_de(*cuatro_titulares(), persona("facilitadora", "sociedad_civil", "facilitador"))
    por_garante = sesion(["garante", "ejecutivo", "civil", "facilitadora"])
    por_facilitadora = dataclasses.replace(
        por_garante, convocatoria=dataclasses.replace(por_garante.convocatoria, convoca="facilitadora")
    )
    [warning] = dictamen("edomex", stl, por_garante).advertencias
    assert warning.mensaje == "convoca Garante, pero según el perfil convoca el Facilitador"
    assert warning.cita.startswith("000, Cap. XI.1;")
    assert not dictamen("edomex", stl, por_facilitadora).advertencias
    assert not dictamen("zacatecas", stl, por_garante).advertencias
    [warning] = dictamen("jalisco", stl, por_facilitadora).advertencias
    assert warning.cita.startswith("002, VII.8;")
