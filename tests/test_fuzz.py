"""Fuzzing the rules and the acta with Hypothesis: valid-looking sessions for the three bundled profiles.

A session is drawn over a roster with titulares of several sectors, suplentes and an enlace who may stand in for
their titular, a guest and a Facilitador: random attendance, agenda items withdrawn or added at the session, each
acuerdo voted at random (unanimity, or each voter for, against, abstaining with or without a cause, or silent;
a declared result and a casting vote sometimes). Invariants:

- the rules never crash, and every acuerdo has one outcome, worded exactly one way;
- a session the rules accept renders (`render.acta` + `render.html`) without raising and without losing an
  acuerdo: every folio is in the HTML, each with exactly one outcome wording; a few are also rendered to PDF;
- a session the rules refuse is refused by `render.acta` too (`RulesError`), never rendered;
- the Spanish module, in words, never writes a digit or an English word.

Total time stays well under a minute (`max_examples` per test, no deadline: the first render loads fonts).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from builders import AQUI, persona, stl_de
from pipeline import records, render, rules, spanish, wording
from pipeline.errors import RulesError
from pipeline.models import (
    Acuerdo,
    Asistente,
    Convocatoria,
    Intervencion,
    Punto,
    Registro,
    Sesion,
    TipoPunto,
    TipoSesion,
    Votacion,
)

PERFILES = ("edomex", "zacatecas", "jalisco")
REDACCIONES = (
    "se aprueba por unanimidad de votos",
    "se aprueba por unanimidad de los votos emitidos",
    "se aprueba por mayoría de votos",
    "se aprueba con el voto de calidad",
    "no se aprueba",
    "se rechaza por mayoría de votos",
)
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _roster(perfil: str):
    """Titulares of four sectors (the órgano garante presides: Jalisco's casting vote), two suplentes, an enlace
    (with a vote by designation where the profile allows it), a guest and the Facilitador."""
    titulares = [
        persona("og", "organo_garante", nombre="Ana Cárdenas Íñiguez", preside=True),
        persona("ep", "ente_publico", nombre="Beatriz Ochoa Ruvalcaba"),
        persona("sc", "sociedad_civil", nombre="Carmen Zúñiga Pérez"),
        persona("sc2", "sociedad_civil", nombre="Dolores Ávila Tostado", genero="f"),
        persona("ac", "academia", nombre="Elena Muñoz Aguirre"),
    ]
    otros = [
        persona("s_ep", "ente_publico", "suplente", de="ep", nombre="Fernanda Lozano Gutiérrez"),
        persona("s_sc", "sociedad_civil", "suplente", de="sc", nombre="Gabriela Ibáñez Chávez"),
        persona(
            "e_og",
            "organo_garante",
            "enlace",
            de="og",
            con_voto=perfil == "edomex",
            nombre="Hortensia Núñez Robles",
        ),
        persona("inv", "academia", "invitado", nombre="Isabel Quiñones Díaz", genero="f"),
        persona("fac", "sociedad_civil", "facilitador", nombre="Josefina Uribe Galindo"),
    ]
    return stl_de(*titulares, *otros)


_ANTERIOR = Sesion(
    id="I-2021",
    tipo=TipoSesion.ORDINARIA,
    numero=1,
    fecha=dt.date(2021, 1, 15),
    lugar=AQUI,
    hora_inicio=dt.time(10),
    hora_cierre=dt.time(11),
    entidad="Estado de prueba",
    modalidad="virtual",
    sede="Plataforma virtual Zoom",
    convocatoria=Convocatoria("STL/001/2021", dt.date(2021, 1, 5), "fac", AQUI),
    asistencia=tuple(Asistente(i, AQUI) for i in ("og", "ep", "sc", "fac")),
    orden_del_dia=(Punto("quorum", TipoPunto.QUORUM, AQUI), Punto("clausura", TipoPunto.CLAUSURA, AQUI)),
)

# Free text as a person writes it: Spanish words, never the outcome formulas nor digits.
PALABRAS = (
    "propuso",
    "revisar",
    "el",
    "calendario",
    "de",
    "trabajo",
    "comentó",
    "avance",
    "plan",
    "acción",
    "mesa",
)
texto = st.lists(st.sampled_from(PALABRAS), min_size=2, max_size=12).map(" ".join)


@st.composite
def asistencia(draw, cuidada: bool) -> tuple[Asistente, ...]:
    titulares = ("og", "ep", "sc", "sc2", "ac")
    presentes = [t for t in titulares if draw(st.integers(0, 9)) < (8 if cuidada else 5)]
    if not presentes and not draw(st.integers(0, 9)):  # rarely: nobody with a seat
        presentes = []
    elif not presentes:
        presentes = [draw(st.sampled_from(titulares))]
    lista = [Asistente(t, AQUI) for t in presentes]
    for suplente, titular in (("s_ep", "ep"), ("s_sc", "sc"), ("e_og", "og")):
        if draw(st.booleans()):  # attends: standing in when the titular is away, or with voice only
            en_lugar_de = titular if titular not in presentes and draw(st.booleans()) else None
            lista.append(Asistente(suplente, AQUI, en_lugar_de))
    for otro in ("inv", "fac"):
        if draw(st.booleans()):
            lista.append(Asistente(otro, AQUI))
    return tuple(draw(st.permutations(lista)))


@st.composite
def votacion(draw, votantes: list[str], presentes: list[str], cuidada: bool) -> Votacion:
    """A careful record lists each voter once (abstaining with a cause); a careless one may leave a voter out,
    abstain without cause, list someone without a vote, declare a result or a casting vote of its own."""
    if not votantes or draw(st.integers(0, 3)) == 0:
        return Votacion(AQUI, declarada="unanimidad")
    favor, contra, abst = [], [], []
    votos = (
        ("favor", "favor", "contra", "abst") if cuidada else ("favor", "favor", "contra", "abst", "silencio")
    )
    causas = (
        ("impedimento", "conflicto_de_interes")
        if cuidada
        else (None, "impedimento", "conflicto_de_interes", "otro")
    )
    for quien in votantes:
        voto = draw(st.sampled_from(votos))
        if voto == "favor":
            favor.append(quien)
        elif voto == "contra":
            contra.append(quien)
        elif voto == "abst":
            abst.append((quien, draw(st.sampled_from(causas))))
    if not cuidada and draw(st.integers(0, 9)) == 0:  # a vote by someone without one: the rules must say so
        favor.append(draw(st.sampled_from(presentes)))
    declaraciones = (None,) if cuidada else (None, None, "unanimidad", "mayoria", "no_aprobado")
    return Votacion(
        AQUI,
        a_favor=tuple(favor),
        en_contra=tuple(contra),
        abstenciones=tuple(abst),
        declarada=draw(st.sampled_from(declaraciones)),
        voto_de_calidad=None if cuidada else draw(st.one_of(st.none(), st.sampled_from(votantes))),
    )


@st.composite
def sesiones(draw, perfil_id: str) -> Registro:
    stl = _roster(perfil_id)
    perfil = records.load_profile(perfil_id)
    fecha = draw(st.dates(dt.date(2021, 2, 1), dt.date(2021, 12, 31)))
    cuidada = draw(st.integers(0, 4)) > 0  # most records are written with care; some are not
    asistentes = draw(asistencia(cuidada))
    presentes = [a.integrante for a in asistentes]
    base = Sesion(
        id="II-2021", tipo=TipoSesion.ORDINARIA, numero=2, fecha=fecha, lugar=AQUI, asistencia=asistentes
    )
    caps, _ = rules.capacidades(base, stl, perfil)
    votantes = [c.integrante.id for c in caps if c.voto]
    hablan = st.sampled_from(presentes) if presentes else st.none()
    contador = [0]

    def acuerdos(clave: str, con_texto: bool, n: int, aprueba: str | None = None) -> tuple[Acuerdo, ...]:
        hechos = []
        for _ in range(n):
            contador[0] += 1
            hechos.append(
                Acuerdo(
                    contador[0],
                    f"STL/II/{contador[0]}/2021",
                    draw(texto) if con_texto else None,
                    draw(votacion(votantes, presentes, cuidada))
                    if presentes
                    else Votacion(AQUI, declarada="unanimidad"),
                    AQUI,
                    clave,
                    aprueba,
                )
            )
        return tuple(hechos)

    def intervenciones(n_max: int) -> tuple[Intervencion, ...]:
        if not presentes:
            return ()
        n = draw(st.integers(0, n_max))
        return tuple(
            Intervencion(draw(texto) + ".", AQUI, draw(st.one_of(st.none(), hablan))) for _ in range(n)
        )

    orden = [
        Punto("quorum", TipoPunto.QUORUM, AQUI),
        Punto(
            "orden_del_dia",
            TipoPunto.ORDEN_DEL_DIA,
            AQUI,
            intervenciones=intervenciones(2),
            acuerdos=acuerdos("orden_del_dia", False, 1 if cuidada else draw(st.integers(0, 1))),
        ),
    ]
    if draw(st.booleans()):
        orden.append(
            Punto(
                "aprobacion_acta",
                TipoPunto.APROBACION_ACTA,
                AQUI,
                sesion="I-2021",
                acuerdos=acuerdos("aprobacion_acta", False, 1, "I-2021"),
            )
        )
    for i in range(draw(st.integers(0, 3))):
        cambio = draw(st.sampled_from((None, None, "retirado", "agregado"))) if presentes else None
        clave = f"asunto-{i}"
        if cambio == "retirado":
            orden.append(
                Punto(
                    clave,
                    TipoPunto.ASUNTO,
                    AQUI,
                    texto=f"Asunto {i}: " + draw(texto),
                    retirado=True,
                    solicita=draw(hablan),
                )
            )
            continue
        orden.append(
            Punto(
                clave,
                TipoPunto.ASUNTO,
                AQUI,
                texto=f"Presentación del {draw(texto)}",
                intervenciones=intervenciones(3),
                acuerdos=acuerdos(clave, True, draw(st.integers(0, 2))),
                agregado=cambio == "agregado",
                solicita=draw(hablan) if cambio else None,
            )
        )
    if draw(st.booleans()):
        orden.append(
            Punto(
                "seguimiento_acuerdos", TipoPunto.SEGUIMIENTO_ACUERDOS, AQUI, intervenciones=intervenciones(2)
            )
        )
    orden.append(
        Punto("asuntos_generales", TipoPunto.ASUNTOS_GENERALES, AQUI, intervenciones=intervenciones(3))
    )
    orden.append(Punto("clausura", TipoPunto.CLAUSURA, AQUI))
    inicio = draw(st.times(dt.time(8), dt.time(18))).replace(second=0, microsecond=0)
    cierre = (dt.datetime.combine(fecha, inicio) + dt.timedelta(minutes=draw(st.integers(1, 300)))).time()
    convoca = "fac" if perfil.convoca["calidad"] == "facilitador" else "og"
    sesion = Sesion(
        id="II-2021",
        tipo=TipoSesion.ORDINARIA,
        numero=2,
        fecha=fecha,
        lugar=AQUI,
        hora_inicio=inicio,
        hora_cierre=max(cierre, (dt.datetime.combine(fecha, inicio) + dt.timedelta(minutes=1)).time()),
        entidad="Estado de prueba",
        modalidad=draw(st.sampled_from(("virtual", "presencial"))),
        sede="Sala de Juntas «Benito Juárez»",
        convocatoria=Convocatoria(
            "STL/002/2021", fecha - dt.timedelta(days=draw(st.integers(1, 20))), convoca, AQUI
        ),
        asistencia=asistentes,
        orden_del_dia=tuple(orden),
    )
    return Registro("memoria", stl, perfil, (_ANTERIOR, sesion))


def _comprobar(registro: Registro) -> render.Documento | None:
    """The invariants of one session; gives the acta when the rules accept it."""
    sesion = registro.sesion("II-2021")
    dictamen = rules.dictaminar(registro, "II-2021")  # never raises
    assert [r.acuerdo.folio for r in dictamen.resultados] == [a.folio for a in sesion.acuerdos]
    for r in dictamen.resultados:
        assert r.forma in ("unanimidad", "mayoria", "voto_de_calidad", "no_aprobado")
        assert r.clase in rules.CLASES and r.aprobado == (r.clase in rules.APROBADAS)
        assert r.aprobado == (r.forma != "no_aprobado")
        redaccion = wording.resultado(registro, r)
        assert sum(redaccion.startswith(x) for x in REDACCIONES) == 1, redaccion
    event("rechazada por las reglas" if dictamen.errores else "aceptada y generada")
    if dictamen.errores:
        with pytest.raises(RulesError):
            render.acta(registro, dictamen)
        return None
    documento = render.acta(registro, dictamen)
    html = render.html(documento)
    vigentes = [a for p in sesion.orden_aprobado for a in p.acuerdos]
    bloques = [b for s in documento.secciones for b in s.bloques if b.tipo == "acuerdo"]
    assert [b.folio for b in bloques] == [a.folio for a in vigentes]  # none lost, none twice, in order
    for b in bloques:
        assert sum(b.texto.count(x) for x in REDACCIONES) == 1, b.texto
        assert f"<th>{b.folio}</th>" in html
    return documento


@pytest.mark.parametrize("perfil", PERFILES)
@FUZZ
@given(data=st.data())
def test_rules_and_acta_hold_for_any_session(perfil, data):
    _comprobar(data.draw(sesiones(perfil)))


def _aceptada(registro: Registro) -> bool:
    return not rules.dictaminar(registro, "II-2021").errores


@pytest.mark.parametrize("perfil", PERFILES)
@settings(
    max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(data=st.data())
def test_a_few_fuzzed_actas_also_render_to_pdf(perfil, data):
    documento = _comprobar(data.draw(sesiones(perfil).filter(_aceptada)))
    datos, _ = render.pdf(documento)
    texto = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(datos)).pages))
    folios = [b.folio for s in documento.secciones for b in s.bloques if b.tipo == "acuerdo"]
    assert all(folio in texto for folio in folios)
    event(f"{len(folios)} acuerdos en el PDF")


# --- the Spanish module in words ----------------------------------------------------------------------------------

# English words that are not also Spanish ones («once», «son» are Spanish too).
INGLES = frozenset(
    re.findall(
        r"[a-z]+",
        """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen twenty
        thirty forty fifty sixty seventy eighty ninety hundred thousand million billion and first second third
        fourth fifth hour hours minute minutes the of at january february march april may june july august
        september october november december monday tuesday wednesday thursday friday saturday sunday""",
    )
)
PALABRA_ESPANOLA = re.compile(r"[a-záéíóúüñ]+")


def _en_palabras(texto: str) -> None:
    assert not re.search(r"\d", texto), texto
    palabras = texto.lower().split()
    assert palabras and all(PALABRA_ESPANOLA.fullmatch(p) for p in palabras), texto
    assert INGLES.isdisjoint(palabras), texto


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.integers(0, 999), st.integers(0, spanish.CARDINAL_LIMIT - 1)),
    st.sampled_from("mf"),
    st.booleans(),
)
def test_cardinals_in_words_have_no_digit_nor_english(n, genero, apocope):
    _en_palabras(spanish.cardinal(n, genero, apocope))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, spanish.ORDINAL_LIMIT), st.sampled_from("mf"), st.booleans(), st.booleans())
def test_ordinals_in_words_have_no_digit_nor_english(n, genero, apocope, titulo):
    _en_palabras(spanish.ordinal(n, genero, apocope, titulo))


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)), st.times())
def test_dates_and_times_in_words_have_no_digit_nor_english(fecha, hora):
    _en_palabras(spanish.date_words(fecha))
    _en_palabras(spanish.time_words(hora))
    _en_palabras(spanish.weekday_name(fecha))
