"""Stage 2 on values: the three governance profiles decide the same facts differently where the seeds differ."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from builders import persona, registro_de, sesion, stl_de, votacion
from pipeline import records, rules, wording
from pipeline.business_days import Calendario
from pipeline.models import Calidad, Punto, Registro, ReglaPerfil, TipoPunto, TipoSesion, Ubicacion, Votacion

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


def test_an_acta_is_approved_by_an_approved_acuerdo_of_a_later_session_or_by_its_record(registro_edomex):
    """000 Cap. VI.7: the acta is approved, normally by an acuerdo of the next session (STL/IV/2/2020 approves
    III-2020); an acuerdo that approves it but is not approved does not count; a record may say how it was approved
    (Zacatecas signs «en la misma fecha», 001 Art. 7.5)."""
    assert rules.aprobacion_del_acta(registro_edomex, "III-2020") == (
        "mediante el acuerdo STL/IV/2/2020, del tres de noviembre de dos mil veinte"
    )
    assert rules.aprobacion_del_acta(registro_edomex, "IV-2020") is None
    iv = registro_edomex.sesion("IV-2020")
    en_contra = tuple(
        dataclasses.replace(
            p,
            acuerdos=tuple(
                dataclasses.replace(a, votacion=votacion(["cervantes"], en_contra=["martinez", "vargas"]))
                for a in p.acuerdos
            ),
        )
        if p.sesion == "III-2020"
        else p
        for p in iv.orden_del_dia
    )
    rechazada = dataclasses.replace(iv, orden_del_dia=en_contra)
    otras = tuple(rechazada if s.id == "IV-2020" else s for s in registro_edomex.sesiones)
    sin_aprobar = dataclasses.replace(registro_edomex, sesiones=otras)
    assert rules.aprobacion_del_acta(sin_aprobar, "III-2020") is None  # 1 of 3: not approved
    por_registro = dataclasses.replace(iv, aprobacion=(dt.date(2020, 12, 1), "Aprobación de prueba"))
    otras = tuple(por_registro if s.id == "IV-2020" else s for s in registro_edomex.sesiones)
    con_registro = dataclasses.replace(registro_edomex, sesiones=otras)
    assert rules.aprobacion_del_acta(con_registro, "IV-2020") == "el primero de diciembre de dos mil veinte"


def test_every_wrong_ballot_is_said_at_the_line_of_that_vote():
    """Each problem of a ballot names the member and the line where their vote is written (not the acuerdo's):
    a vote twice, a vote of someone absent or with voice only, an abstention without cause (000 Cap. VIII.3), a
    voter whose vote is not recorded."""
    stl = stl_de(
        *cuatro_titulares(), persona("invitada", "academia", "invitado"), persona("ausente", "academia")
    )
    linea = {p.id: Ubicacion("sesiones/I-2021.yaml", n) for n, p in enumerate(stl.integrantes, 20)}
    votos = Votacion(
        Ubicacion("sesiones/I-2021.yaml", 10),
        a_favor=("civil", "civil", "invitada"),
        en_contra=("ausente",),
        abstenciones=(("academia", None),),
        lugares={p.id: linea[p.id] for p in stl.integrantes},
    )
    s = sesion(["garante", "ejecutivo", "academia", "civil", "invitada"], [votos])
    errores = {(e.mensaje, e.lugar) for e in dictamen("edomex", stl, s).errores}
    assert errores == {
        ("Civil vota más de una vez en STL/I/1/2021", linea["civil"]),
        ("Ausente vota en STL/I/1/2021 pero no asistió a la sesión", linea["ausente"]),
        ("Invitada vota en STL/I/1/2021, pero asiste con invitado: solo voz", linea["invitada"]),
        (
            "Academia se abstiene en STL/I/1/2021 sin impedimento justificado ni conflicto de interés: nadie puede "
            "abstenerse sin esa causa",
            linea["academia"],
        ),
        (
            "en STL/I/1/2021 no consta el voto de Garante y Ejecutivo, presente al votarse (nadie puede abstenerse sin "
            "causa)",
            votos.lugar,
        ),
    }
    libre = {
        e.mensaje for e in dictamen("jalisco", stl, s).errores
    }  # abstaining without a cause is free there
    assert not any("abstiene" in m for m in libre)


def _problemas(perfil_id, stl, votacion_):
    s = sesion(["garante", "ejecutivo", "academia", "civil"], [votacion_])
    d = dictamen(perfil_id, stl, s)
    return d.resultados[0], {(e.mensaje, e.lugar, e.cita) for e in d.errores}


def test_what_the_record_declares_must_follow_from_the_votes_said_where_and_by_which_article():
    """A declared result or casting vote the votes do not give is an error at the line that declares it, citing the
    decision rule (000 Cap. VIII.2) or the tie rule (000 Cap. VIII.4; 001 Art. 7; 002 VI), saying why."""
    stl = stl_de(*cuatro_titulares())
    donde, calidad = Ubicacion("sesiones/I-2021.yaml", 30), Ubicacion("sesiones/I-2021.yaml", 35)

    def votos(a_favor, en_contra, **kw):
        return Votacion(
            donde,
            a_favor=tuple(a_favor),
            en_contra=tuple(en_contra),
            lugares={"voto_de_calidad": calidad},
            **kw,
        )

    decision, empate = "000, Cap. VIII.2", "000, Cap. VIII.4"
    r, errores = _problemas(
        "edomex", stl, votos(["civil"], ["garante", "ejecutivo", "academia"], declarada="unanimidad")
    )
    assert r.razon == "1 de 4 votos de los presentes"
    assert errores == {
        (
            "STL/I/1/2021 se declara aprobado por unanimidad, pero no lo es (1 de 4 votos de los presentes)",
            donde,
            decision,
        )
    }
    _, errores = _problemas(
        "edomex", stl, votos(["civil", "garante", "ejecutivo"], ["academia"], declarada="unanimidad")
    )
    assert errores == {
        (
            "STL/I/1/2021 se declara aprobado por unanimidad, pero no lo es (1 en contra, 0 abstenciones)",
            donde,
            decision,
        )
    }
    _, errores = _problemas(
        "edomex", stl, votos(["civil"], ["garante", "ejecutivo", "academia"], declarada="mayoria")
    )
    assert errores == {
        ("STL/I/1/2021 se declara aprobado, pero no lo es: 1 de 4 votos de los presentes", donde, decision)
    }
    _, errores = _problemas(
        "edomex", stl, votos(["civil", "garante", "ejecutivo"], ["academia"], declarada="no_aprobado")
    )
    assert errores == {("STL/I/1/2021 se declara no aprobado, pero los votos lo aprueban", donde, decision)}
    _, errores = _problemas(
        "edomex", stl, votos(["civil", "garante", "ejecutivo"], ["academia"], voto_de_calidad="civil")
    )
    assert errores == {
        ("STL/I/1/2021 dice que Civil usó el voto de calidad, pero no hubo empate", calidad, empate)
    }
    r, errores = _problemas(
        "edomex", stl, votos(["civil", "garante"], ["ejecutivo", "academia"], voto_de_calidad="garante")
    )
    assert errores == {
        (
            "STL/I/1/2021 dice que Garante usó el voto de calidad, pero el voto de calidad corresponde a Civil",
            calidad,
            empate,
        )
    }
    assert r.razon == "empate; decide el voto de calidad de Civil"
    r, errores = _problemas(
        "zacatecas", stl, votos(["civil", "garante"], ["ejecutivo", "academia"], voto_de_calidad="garante")
    )
    assert r.razon == "empate sin voto de calidad que lo resuelva"
    assert errores == {
        (
            "STL/I/1/2021 dice que Garante usó el voto de calidad, pero en este perfil nadie presente tiene voto de calidad",
            calidad,
            "001, Art. 7 (no prevé voto de calidad)",
        )
    }


def test_the_reason_of_each_outcome_says_the_count():
    stl = stl_de(*cuatro_titulares())
    r, _ = _problemas("zacatecas", stl, votacion(["civil", "garante"], en_contra=["ejecutivo"]))
    assert r.razon == "2 a favor y 1 en contra"
    todos = [
        ("civil", "impedimento"),
        ("garante", "impedimento"),
        ("ejecutivo", "otro"),
        ("academia", "otro"),
    ]
    r, _ = _problemas("zacatecas", stl, votacion([], abstenciones=todos))
    assert (r.aprobado, r.razon) == (False, "0 a favor y 0 en contra")  # nobody voted: no tie to break
    r, _ = _problemas("edomex", stl, votacion(["garante", "ejecutivo", "academia"], en_contra=["civil"]))
    assert r.razon == "3 de 4 votos de los presentes; falta al menos un voto a favor de la sociedad civil"
    r, errores = _problemas("edomex", stl, votacion(["garante", "ejecutivo", "academia"]))
    assert {(m, c) for m, _, c in errores} == {
        (
            "en STL/I/1/2021 no consta el voto de Civil, presente al votarse (nadie puede abstenerse sin causa)",
            "000, Cap. VIII.3",
        )
    }


def test_a_profile_that_requires_a_cause_but_lists_none_refuses_every_abstention():
    """A profile of an STL's own (perfiles/) with `abstencion: {regla: justificada}` and no `motivos`: no cause is
    accepted, and the rules say so instead of failing."""
    stl = stl_de(*cuatro_titulares())
    perfil = records.load_profile("edomex")
    sin_motivos = dataclasses.replace(perfil, abstencion=ReglaPerfil({"regla": "justificada"}, "Propio 1"))
    s = sesion(
        ["garante", "ejecutivo", "academia", "civil"],
        [votacion(["garante", "ejecutivo", "civil"], abstenciones=[("academia", "impedimento")])],
    )
    d = rules.dictaminar(Registro("memoria", stl, sin_motivos, (s,)), s.id)
    assert [e.mensaje for e in d.errores] == [
        "Academia se abstiene en STL/I/1/2021 sin impedimento justificado ni conflicto de interés: nadie puede "
        "abstenerse sin esa causa"
    ]


# --- who is present at each vote: arrivals and departures (000 Cap. VI.2; the quorum at every vote) -----------


def _a_las(s, llega=None, sale=None, horas=()):
    """`s` with these arrivals and departures (id → time) and the acuerdos voted at `horas`, in order."""
    llega, sale = llega or {}, sale or {}
    asistencia = tuple(
        dataclasses.replace(a, llega=llega.get(a.integrante), sale=sale.get(a.integrante))
        for a in s.asistencia
    )
    horas = iter(horas)
    puntos = tuple(
        dataclasses.replace(
            p, acuerdos=tuple(dataclasses.replace(a, hora=next(horas, None)) for a in p.acuerdos)
        )
        for p in s.orden_del_dia
    )
    return dataclasses.replace(s, asistencia=asistencia, orden_del_dia=puntos)


def _linea(stl):
    return {p.id: Ubicacion("sesiones/I-2021.yaml", n) for n, p in enumerate(stl.integrantes, 20)}


def test_a_vote_cast_before_arriving_or_after_leaving_is_refused_at_its_line():
    """Who arrives at 10:30 votes from 10:30 on (the minute of arrival counts); who leaves at 11:00 votes until
    before 11:00 (the minute of leaving does not). A vote outside that span is an error at that vote's line, saying
    when they came or went, and is not counted."""
    stl = stl_de(*cuatro_titulares(), persona("tarde", "gobierno_municipal"))
    linea = _linea(stl)

    def votos(*a_favor):
        return Votacion(Ubicacion("sesiones/I-2021.yaml", 10), a_favor=a_favor, lugares=linea)

    todos = ("garante", "ejecutivo", "academia", "civil", "tarde")
    s = _a_las(
        sesion(list(todos), [votos(*todos), votos(*todos), votos(*todos), votos(*todos)]),
        llega={"tarde": dt.time(10, 30)},
        sale={"ejecutivo": dt.time(11)},
        horas=(dt.time(10, 15), dt.time(10, 30), dt.time(10, 59), dt.time(11)),
    )
    d = dictamen("edomex", stl, s)
    assert {(e.mensaje, e.lugar) for e in d.errores} == {
        ("Tarde vota en STL/I/1/2021, pero aún no llegaba (llega a las 10:30)", linea["tarde"]),
        ("Ejecutivo vota en STL/I/4/2021, pero se había retirado a las 11:00", linea["ejecutivo"]),
    }
    assert [r.a_favor for r in d.resultados] == [
        ("garante", "ejecutivo", "academia", "civil"),
        todos,
        todos,
        ("garante", "academia", "civil", "tarde"),
    ]
    assert [r.momento.hora for r in d.resultados] == [
        dt.time(10, 15),
        dt.time(10, 30),
        dt.time(10, 59),
        dt.time(11),
    ]


def test_a_vote_after_the_quorum_left_says_only_that_not_that_its_declared_result_is_false():
    """Quorum at the opening, lost by 11:30 (000 Cap. VI.2: mayoría with civil society): the acuerdo voted then,
    declared unanimous, gets one error, the quorum at its vote, with the quorum article."""
    stl = stl_de(*cuatro_titulares(), persona("municipio", "gobierno_municipal"))
    s = _a_las(
        sesion(["garante", "ejecutivo", "academia", "civil"], [votacion(declarada="unanimidad")]),
        sale={"ejecutivo": dt.time(11), "academia": dt.time(11, 10)},
        horas=(dt.time(11, 30),),
    )
    d = dictamen("edomex", stl, s)
    assert d.quorum.cumple
    assert [(e.mensaje, e.cita) for e in d.errores] == [
        (
            "STL/I/1/2021 se votó sin quórum: 2 de 5 integrantes con voto presentes (mínimo 3: mayoría); sociedad "
            "civil presente (Civil)",
            "000, Cap. VI.2",
        )
    ]
    assert (d.resultados[0].clase, d.resultados[0].aprobado) == ("sin_quorum", False)


def test_abstaining_for_a_justified_cause_takes_the_voter_out_of_the_count_an_unjustified_one_does_not():
    """«Mayoría de los presentes» (000 Cap. VIII.2): who abstains for impedimento or conflicto de interés (VIII.3) is
    out of the base; an abstention without a cause (an error there, but still counted) stays in it."""
    stl = stl_de(*cuatro_titulares())
    r, _ = _problemas(
        "edomex",
        stl,
        votacion(["garante", "civil"], ["ejecutivo"], abstenciones=[("academia", "impedimento")]),
    )
    assert (r.aprobado, r.razon, r.clase) == (True, "2 de 3 votos de los presentes", "mayoria")
    r, errores = _problemas(
        "edomex", stl, votacion(["garante", "civil"], ["ejecutivo"], abstenciones=[("academia", None)])
    )
    assert (r.aprobado, r.razon, r.clase) == (False, "2 de 4 votos de los presentes", "sin_mayoria")
    assert (
        len(errores) == 1
        and "se abstiene en STL/I/1/2021 sin impedimento justificado" in next(iter(errores))[0]
    )


def test_a_voter_whose_vote_is_missing_is_said_once_not_again_as_a_false_unanimity():
    """Civil society's vote is missing: the acuerdo lacks the civil vote it needs (000 Cap. VIII.2) and is not
    unanimous, but the one thing to fix is the missing vote; the declared unanimity is not refused on top of it."""
    stl = stl_de(*cuatro_titulares())
    r, errores = _problemas(
        "edomex", stl, votacion(["garante", "ejecutivo", "academia"], declarada="unanimidad")
    )
    assert r.clase == "sin_sociedad_civil"
    assert [m for m, _, _ in errores] == [
        "en STL/I/1/2021 no consta el voto de Civil, presente al votarse (nadie puede abstenerse sin causa)"
    ]


def test_acuerdos_in_a_record_without_attendance_are_one_error_not_a_silent_rejection():
    """A session record with acuerdos but no «asistencia» (written before the session, or half filled): one error at
    the first acuerdo naming them all, and none per vote."""
    stl = stl_de(*cuatro_titulares())
    s = dataclasses.replace(
        sesion(["garante"], [votacion(declarada="unanimidad"), votacion(["garante"])]), asistencia=None
    )
    d = dictamen("edomex", stl, s)
    assert [(e.mensaje, e.lugar) for e in d.errores] == [
        (
            "el registro tiene los acuerdos STL/I/1/2021 y STL/I/2/2021, pero no la asistencia: anote quiénes "
            "asistieron («asistencia»); los acuerdos se votan entre los presentes",
            s.acuerdos[0].lugar,
        )
    ]
    assert not any(r.aprobado for r in d.resultados)


def test_each_attendees_capacity_says_why_and_cites_the_article_under_each_profile():
    """What validar shows of each attendee, per profile (000 Cap. IV; 001 Art. 7; 002 III): whether they vote and
    in whose seat, whether they sign the acta (000 Cap. VI.7; 001 Art. 7.5; 002 V.7), and why, with the article."""
    stl = stl_de(
        *con_suplente_y_enlace(),
        persona("enlace2", "sociedad_civil", "enlace", de="civil"),
        persona("suplente2", "organo_garante", "suplente", de="garante"),
        persona("facilitadora", "sociedad_civil", "facilitador"),
    )
    s = sesion(
        [
            "garante",
            ("suplente", "ejecutivo"),
            ("enlace", "academia"),
            ("enlace2", "civil"),
            "suplente2",
            "invitada",
            "facilitadora",
        ],
        [votacion()],
    )
    titular = ("garante", True, "garante", True, "titular: voz y voto")
    suplente = ("suplente", True, "ejecutivo", True, "suplente en lugar de Ejecutivo: voz y voto")
    sin_suplir = ("suplente2", False, None, True, "suplente: solo voz (no suple al titular)")
    esperado = {
        "edomex": [
            (*titular, "000, Cap. IV, fracc. I"),
            (*suplente, "000, Cap. IV, fracc. IV; Cap. VI.3"),
            (
                "enlace",
                True,
                "academia",
                True,
                "enlace en lugar de Academia: voz y voto",
                "000, Cap. IV, fracc. I y VI; Cap. VI.3",
            ),
            (
                "enlace2",
                False,
                None,
                True,
                "enlace: solo voz (su designación no le da voto)",
                "000, Cap. IV, fracc. I y VI; Cap. VI.3",
            ),
            (*sin_suplir, "000, Cap. IV, fracc. IV; Cap. VI.3"),
            ("invitada", False, None, False, "invitado: solo voz", "000, Cap. IV, fracc. VII; Cap. X.5"),
            ("facilitadora", False, None, True, "facilitador: solo voz", "004, nota 4 (voz, pero no voto)"),
        ],
        "zacatecas": [
            (*titular, "001, Art. 7"),
            (*suplente, "001, Art. 7.1"),
            (
                "enlace",
                False,
                None,
                False,
                "enlace: solo voz",
                "001, Art. 7.10 y 7.11 (acompañantes: voz, pero sin voto)",
            ),
            (
                "enlace2",
                False,
                None,
                False,
                "enlace: solo voz",
                "001, Art. 7.10 y 7.11 (acompañantes: voz, pero sin voto)",
            ),
            (*sin_suplir, "001, Art. 7.1"),
            ("invitada", False, None, False, "invitado: solo voz", "001, Art. 7.10 y 7.11"),
            (
                "facilitadora",
                False,
                None,
                False,
                "facilitador: solo voz",
                "001, Art. 9 (funciones operativas, sin voto)",
            ),
        ],
        "jalisco": [
            (*titular, "002, III.1"),
            (*suplente, "002, III.2; V.3"),
            ("enlace", False, None, False, "enlace: solo voz", "002, III.3 (sólo tendrá derecho a voz)"),
            ("enlace2", False, None, False, "enlace: solo voz", "002, III.3 (sólo tendrá derecho a voz)"),
            (*sin_suplir, "002, III.2; V.3"),
            ("invitada", False, None, False, "invitado: solo voz", "002, VIII.5"),
            (
                "facilitadora",
                False,
                None,
                False,
                "facilitador: solo voz",
                "002, I (no integra el Secretariado)",
            ),
        ],
    }
    for perfil_id, filas in esperado.items():
        d = dictamen(perfil_id, stl, s)
        assert [(c.integrante.id, c.voto, c.escano, c.firma, c.razon, c.cita) for c in d.capacidades] == filas
    assert (
        dictamen("zacatecas", stl, s).quorum.razon
        == "2 de 4 integrantes con voto presentes (mínimo 3: 50 % más uno)"
    )
    assert dictamen("edomex", stl, s).quorum.razon == (
        "3 de 4 integrantes con voto presentes (mínimo 3: mayoría); no está presente ningún representante de la "
        "sociedad civil con voto"
    )


def test_a_suplente_beside_the_present_titular_has_voice_only_said_at_the_suplentes_line():
    stl = stl_de(*con_suplente_y_enlace())
    s = sesion(["garante", "ejecutivo", ("suplente", "ejecutivo"), "academia", "civil"], [votacion()])
    lugar = Ubicacion("sesiones/I-2021.yaml", 33)
    s = dataclasses.replace(
        s,
        asistencia=tuple(
            dataclasses.replace(a, lugar=lugar) if a.integrante == "suplente" else a for a in s.asistencia
        ),
    )
    for perfil_id, cita in (("edomex", "000, Cap. IV, fracc. IV; Cap. VI.3"), ("jalisco", "002, III.2; V.3")):
        d = dictamen(perfil_id, stl, s)
        cap = next(c for c in d.capacidades if c.integrante.id == "suplente")
        assert (cap.voto, cap.escano, cap.firma, cap.razon, cap.cita) == (
            False,
            None,
            True,
            "suplente: solo voz (titular presente)",
            cita,
        )
        assert [(e.mensaje, e.lugar, e.cita) for e in d.errores] == [
            (
                "Suplente suple a Ejecutivo, pero el titular está presente: el suplente solo vota cuando el titular no "
                "asiste",
                lugar,
                cita,
            )
        ]


def test_two_stand_ins_in_one_seat_is_an_error_at_the_second_ones_line():
    """A suplente and an enlace with a vote, both for the same absent titular: one seat, two votes (000 Cap. IV,
    fracc. IV; Cap. VI.3), said at the line of whoever took the seat second; whoever sits without a vote before
    them does not hide it."""
    enlace = persona(
        "enlace_e", "poder_ejecutivo", "enlace", de="ejecutivo", con_voto=True, nombre="Enlace del Ejecutivo"
    )
    stl = stl_de(*con_suplente_y_enlace(), enlace)
    s = sesion(
        ["garante", "invitada", ("suplente", "ejecutivo"), ("enlace_e", "ejecutivo"), "academia", "civil"]
    )
    linea = {a.integrante: Ubicacion("sesiones/I-2021.yaml", n) for n, a in enumerate(s.asistencia, 40)}
    s = dataclasses.replace(
        s, asistencia=tuple(dataclasses.replace(a, lugar=linea[a.integrante]) for a in s.asistencia)
    )
    d = dictamen("edomex", stl, s)
    assert [(e.mensaje, e.lugar, e.cita) for e in d.errores] == [
        (
            "el lugar de Ejecutivo tiene dos votos (Suplente y Enlace del Ejecutivo)",
            linea["enlace_e"],
            "000, Cap. IV, fracc. IV; Cap. VI.3",
        )
    ]


def test_a_stand_in_counts_as_the_sector_of_the_seat_not_their_own():
    """The suplente of the civil-society seat, registered under another sector, makes civil society present for
    the quorum (000 Cap. VI.2) and gives the civil vote an approval needs (Cap. VIII.2); every civil voter present is
    named."""
    stl = stl_de(
        *cuatro_titulares(),
        persona("civil2", "sociedad_civil", nombre="Otra Civil"),
        persona("suplente_civil", "academia", "suplente", de="civil", nombre="Suplente Civil"),
    )
    s = sesion(["garante", "ejecutivo", "academia", ("suplente_civil", "civil")], [votacion()])
    d = dictamen("edomex", stl, s)
    assert (d.quorum.cumple, d.quorum.sociedad_civil) == (True, ("Suplente Civil",))
    assert d.resultados[0].aprobado and not d.errores
    s = sesion(["garante", "ejecutivo", "civil2", ("suplente_civil", "civil")], [votacion()])
    assert dictamen("edomex", stl, s).quorum.razon == (
        "4 de 5 integrantes con voto presentes (mínimo 3: mayoría); sociedad civil presente (Otra Civil y Suplente "
        "Civil)"
    )


def test_an_agenda_approval_without_an_acuerdo_and_a_text_that_repeats_se_aprueba_are_warned():
    """Not against the rules, but the acta would read wrong: the approval of the agenda with no acuerdo (the acta
    would not say how it was voted), and an acuerdo whose text begins with the «se aprueba» the acta puts before it."""
    stl = stl_de(*cuatro_titulares())
    s = sesion(["garante", "ejecutivo", "academia", "civil"], [votacion(declarada="unanimidad")])
    orden = Punto("orden_del_dia", TipoPunto.ORDEN_DEL_DIA, Ubicacion("sesiones/I-2021.yaml", 12))
    [asunto] = s.orden_del_dia
    acuerdo = dataclasses.replace(asunto.acuerdos[0], texto="  Se aprueba el Plan de Acción Local")
    s = dataclasses.replace(s, orden_del_dia=(orden, dataclasses.replace(asunto, acuerdos=(acuerdo,))))
    d = dictamen("edomex", stl, s)
    assert not d.errores
    assert [(w.mensaje, w.lugar) for w in d.advertencias if "acuerdo" in w.mensaje] == [
        (
            "el punto de aprobación del orden del día no tiene acuerdo: el acta no dirá cómo se votó; anote en el "
            "punto «acuerdos: [{votacion: unanimidad}]» (o cómo se votó)",
            orden.lugar,
        ),
        (
            "el texto de STL/I/1/2021 empieza con «Se aprueba», que el acta ya pone antes de él («Por el que, se "
            "aprueba por unanimidad de votos, …»): escriba solo el objeto del acuerdo, p. ej. «el Plan de Acción "
            "Local»",
            acuerdo.lugar,
        ),
    ]
    bien = dataclasses.replace(acuerdo, texto="el Plan de Acción Local; se aprueba su publicación")
    votada = dataclasses.replace(
        orden, acuerdos=(dataclasses.replace(acuerdo, numero=2, folio="STL/I/2/2021", texto=None),)
    )
    s = dataclasses.replace(s, orden_del_dia=(votada, dataclasses.replace(asunto, acuerdos=(bien,))))
    assert not [w for w in dictamen("edomex", stl, s).advertencias if "acuerdo" in w.mensaje]
