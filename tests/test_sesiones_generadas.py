"""The space of sessions, not the examples (issue 25): Hypothesis writes session records of the three profiles and a
fourth state's (tests/escenarios.py) — who attends, suplentes standing in, guests, the conductor absent (named or
not), arrivals after the opening and departures before a vote, every kind of vote, one to twelve agenda items, long
and short interventions — and each one either fails `stl validar` with a reason in Spanish that names file, line and
field, or yields an acta (or minuta), an orden del día and a convocatoria that the checker (tests/checker.py)
accepts, in PDF and in DOCX.

`make test` runs a few examples of each profile, derandomized, with no example database (about a minute on two
cores); `make espacio` runs many more (`STL_ESPACIO`, examples per profile).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

import escenarios as e
from pipeline import records, rules

EJEMPLOS = int(os.environ.get("STL_ESPACIO", "4"))
ESPACIO = settings(
    max_examples=EJEMPLOS,
    deadline=None,
    derandomize=EJEMPLOS <= 4,
    database=None,
    phases=(
        Phase.explicit,
        Phase.generate,
    ),  # a failing session is printed whole; shrinking one takes minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Free text as a person writes it after the verb; all words different, so that no word is doubled by chance, and none
# the documents must not contain (the record's own name, figures a state does not have).
VERBOS = ("presentó", "comentó", "propuso", "señaló", "expuso", "manifestó", "planteó", "sugirió")
_VOCABULARIO = """
    revisar calendario trabajo avance plan acción mesa propuesta organizaciones ciudadanía datos abiertos portal
    consulta pública diagnóstico compromisos proactivos instituciones municipios transparencia rendición cuentas
    participación social resultados metodología seguimiento difusión capacitación servidores públicos agenda
    riesgos presupuesto indicadores evaluación informe anual estrategia territorial jornadas sensibilización
"""
PALABRAS = tuple(_VOCABULARIO.split())
TITULOS = (
    "Presentación, discusión y en su caso, aprobación del {}",
    "Informe sobre el {}",
    "La revisión del {}",
    "El calendario del {}",
    "Análisis de la propuesta de {}",
)
TEMAS = ("plan anual", "portal de datos", "diagnóstico local", "programa de difusión", "tablero de indicadores",
         "reglamento interno", "mapa de riesgos", "informe trimestral", "padrón de organizaciones",
         "protocolo de consulta", "manual de capacitación", "presupuesto participativo")  # fmt: skip


@st.composite
def texto(draw, largo: bool) -> str:
    """What someone said, from the verb: a few words, or paragraphs of many."""
    palabras = draw(st.permutations(PALABRAS))
    n = draw(st.integers(30, 45) if largo else st.integers(2, 8))
    parrafo = f"{draw(st.sampled_from(VERBOS))} {' '.join(palabras[:n])}."
    if largo and draw(st.booleans()):
        parrafo += f"\n\nAsimismo, {draw(st.sampled_from(VERBOS))} {' '.join(palabras[n : n + 12])}."
    return parrafo


def _hora(minutos: int) -> str:
    return f"{10 + minutos // 60:02d}:{minutos % 60:02d}"


def _personas(perfil: str, calidad: str) -> list[dict]:
    return [p for p in e.ROSTERS[perfil] if p["calidad"] == calidad]


@st.composite
def asistencia(draw, perfil: str) -> tuple[list, str | None]:
    """Who attends (a suplente or enlace standing in for an absent titular), who arrives late or leaves early, and
    who conducts when whoever the profile has conduct is absent (sometimes nobody says: validar asks)."""
    titulares = _personas(perfil, "titular")
    presentes = [p["id"] for p in titulares if draw(st.integers(0, 9)) < 8]
    lista: list = list(presentes)
    for p in _personas(perfil, "suplente") + _personas(perfil, "enlace"):
        if draw(st.integers(0, 2)) == 0:
            suple = p["de"] not in presentes and draw(st.booleans())
            lista.append({"integrante": p["id"], "en_lugar_de": p["de"]} if suple else p["id"])
    for p in _personas(perfil, "invitado") + _personas(perfil, "facilitador"):
        if draw(st.integers(0, 9)) < (8 if p["calidad"] == "facilitador" else 4):
            lista.append(p["id"])
    ids = [a if isinstance(a, str) else a["integrante"] for a in lista]
    # Who conducts: who presides the STL in Jalisco (002 VII.1), the Facilitador elsewhere.
    clave, valor = ("preside", True) if perfil == "jalisco" else ("calidad", "facilitador")
    rol = next((p["id"] for p in e.ROSTERS[perfil] if p.get(clave) == valor), None)
    conduce = None
    if rol not in ids and ids and draw(st.integers(0, 5)):
        conduce = draw(st.sampled_from([i for i in ids if i in presentes] or ids))
    quien_conduce = rol if rol in ids else conduce
    for i, a in enumerate(lista):
        who = a if isinstance(a, str) else a["integrante"]
        if who == quien_conduce or draw(st.integers(0, 5)):
            continue
        cambio = {"integrante": who} if isinstance(a, str) else dict(a)
        if draw(st.booleans()):
            cambio["llega"] = _hora(draw(st.integers(5, 120)))
        else:
            cambio["sale"] = _hora(draw(st.integers(30, 170)))
        lista[i] = cambio
    return draw(st.permutations(lista)), conduce


@st.composite
def votacion(draw, votantes: list[str], motivos: tuple) -> object:
    """Unanimity, or each voter's ballot; with an abstention's cause where the profile asks for one."""
    if not votantes or draw(st.integers(0, 3)) == 0:
        return "unanimidad"
    favor, contra, abst = [], [], []
    for quien in votantes:
        sentido = draw(st.sampled_from(("favor", "favor", "contra", "abst")))
        {"favor": favor, "contra": contra, "abst": abst}[sentido].append(quien)
    voto: dict = {"a_favor": favor}
    if contra:
        voto["en_contra"] = contra
    if abst:
        voto["abstenciones"] = [
            {"integrante": q, **({"motivo": draw(st.sampled_from(motivos))} if motivos else {})} for q in abst
        ]
    return voto


def _votantes(perfil: str, lista: list, minuto: int) -> list[str]:
    """Who may vote at `minuto` of the session, as the record says (titulares, and whoever stands in for one)."""
    calidades = {p["id"]: p for p in e.ROSTERS[perfil]}
    asisten = {a if isinstance(a, str) else a["integrante"] for a in lista}
    votan = []
    for a in lista:
        a = {"integrante": a} if isinstance(a, str) else a
        llega = a.get("llega", "10:00")
        sale = a.get("sale", "99:99")
        if not (llega <= _hora(minuto) < sale):
            continue
        persona = calidades[a["integrante"]]
        titular = persona["calidad"] == "titular"
        suple = a.get("en_lugar_de") and a["en_lugar_de"] not in asisten and persona["calidad"] == "suplente"
        if (
            titular
            or suple
            or (a.get("en_lugar_de") and persona.get("con_voto") and a["en_lugar_de"] not in asisten)
        ):
            votan.append(a["integrante"])
    return votan


@st.composite
def sesiones(draw, perfil: str) -> dict:
    lista, conduce = draw(asistencia(perfil))
    hablan = [a if isinstance(a, str) else a["integrante"] for a in lista]
    motivos = ("impedimento", "conflicto_de_interes") if perfil in ("edomex", "propio") else ()
    minutos = iter(sorted(draw(st.lists(st.integers(1, 175), min_size=40, max_size=40, unique=True))))

    def acuerdo(texto_acuerdo: str | None) -> dict:
        minuto = next(minutos)
        hecho = {"votacion": draw(votacion(_votantes(perfil, lista, minuto), motivos))}
        if texto_acuerdo:
            hecho["texto"] = texto_acuerdo
        if draw(st.integers(0, 4)):
            hecho["hora"] = _hora(minuto)
        return hecho

    def intervenciones(n: int) -> list[dict]:
        if not hablan:
            return []
        return [
            {"orador": draw(st.sampled_from(hablan)), "texto": draw(texto(draw(st.booleans())))}
            for _ in range(draw(st.integers(0, n)))
        ]

    orden: list[dict] = [
        {"tipo": "quorum"},
        {"tipo": "orden_del_dia", "intervenciones": intervenciones(1), "acuerdos": [acuerdo(None)]},
    ]
    if draw(st.booleans()):
        orden.append({"tipo": "aprobacion_acta", "sesion": "I-2021", "acuerdos": [acuerdo(None)]})
    if draw(st.booleans()):
        orden.append({"tipo": "seguimiento_acuerdos", "intervenciones": intervenciones(2)})
    temas = draw(st.permutations(TEMAS))
    for i in range(draw(st.integers(0, 12 - len(orden) - 2))):
        titulo = draw(st.sampled_from(TITULOS)).format(temas[i])
        punto = {"clave": f"asunto-{i + 1}", "texto": titulo, "intervenciones": intervenciones(3)}
        if draw(st.integers(0, 2)):
            punto["acuerdos"] = [acuerdo(f"el {temas[i]}")]
        orden.append(punto)
    if draw(st.booleans()):
        orden.append({"tipo": "asuntos_generales", "intervenciones": intervenciones(2)})
    orden.append({"tipo": "clausura"})
    extraordinaria = draw(st.integers(0, 4)) == 0
    campos = {"conduce": conduce} if conduce else {}
    if extraordinaria:
        campos.update(tipo="extraordinaria", numero=1)
    return e.sesion(perfil, lista, orden, hora_cierre="13:00", **campos)


def _comprobar(perfil: str, sesion: dict) -> None:
    sid = "EXT-I-2021" if sesion["tipo"] == "extraordinaria" else "II-2021"
    with tempfile.TemporaryDirectory() as tmp:
        carpeta = e.arbol(Path(tmp) / "registros", perfil, {sid: sesion})
        errores = e.validar(carpeta, sid)
        if errores:
            event(f"{perfil}: validar la rechaza")
            for error in errores:
                assert "Traceback" not in error and "Error(" not in error and "None" not in error, error
                assert re.search(r"sesiones/[\w-]+\.yaml", error), error  # names the file (and line, field)
                assert re.search(r"[áéíóúñ]|\b(la|el|de|no)\b", error), error  # said in Spanish
            return
        event(f"{perfil}: documentos revisados")
        registro = records.load(carpeta)
        for r in rules.dictaminar(registro, sid).resultados:
            event(f"votación: {r.clase}")
        if any(isinstance(a, dict) and ("llega" in a or "sale" in a) for a in sesion["asistencia"]):
            event("con llegadas o retiros")
        problemas = e.revisar(carpeta, Path(tmp) / "salida", sid)
        assert problemas == [], "\n".join(problemas)


@pytest.mark.parametrize("perfil", e.PERFILES)
@ESPACIO
@given(data=st.data())
def test_every_session_is_refused_in_spanish_or_its_documents_say_only_what_happened(perfil, data):
    _comprobar(perfil, data.draw(sesiones(perfil)))
