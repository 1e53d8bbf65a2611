"""Vote wording with its breakdown (000 Cap. VIII; 001 Art. 7; 002 VI): unanimity as seed 003, a majority with the
count in words and who voted against or abstained and why (never set off from the vote by a comma), a tie decided by
the casting vote naming the office, a rejection as such, «se rechaza por mayoría de votos» when a majority voted against. The
numbers come from `spanish`; unicode-rbnf (CLDR) is only the oracle here."""

from __future__ import annotations

import pytest
from unicode_rbnf import FormatPurpose, RbnfEngine

from pipeline import render, rules, wording

ES = RbnfEngine.for_language("es")


def palabras(n: int, genero: str = "m") -> str:
    ruleset = "spellout-cardinal-feminine" if genero == "f" else "spellout-cardinal-masculine"
    texto = ES.format_number(n, FormatPurpose.CARDINAL).text_by_ruleset[ruleset]
    return "un" if texto == "uno" else texto  # before a noun: «un voto»


@pytest.fixture(scope="module")
def acuerdos(registro_jalisco):
    acta = render.acta(registro_jalisco, rules.dictaminar(registro_jalisco, "I-2021"))
    return {b.folio: b.texto for s in acta.secciones for b in s.bloques if b.tipo == "acuerdo"}


def test_unanimity_as_seed_003(acuerdos):
    assert (
        acuerdos["STL/I/1/2021"]
        == "Por el que, se aprueba por unanimidad de votos el orden del día en sus términos."
    )


def test_majority_with_its_count_in_words_and_who_voted_against(acuerdos):
    assert acuerdos["STL/I/2/2021"] == (
        f"Por el que, se aprueba por mayoría de votos, con {palabras(8)} votos a favor y {palabras(1)} voto en "
        "contra del Representante del Poder Judicial, Ricardo Solís Estrada, el calendario de sesiones de 2021."
    )


def test_a_tie_decided_by_the_casting_vote_names_the_office_the_count_and_the_abstention(acuerdos):
    assert acuerdos["STL/I/3/2021"] == (
        "Por el que, se aprueba con el voto de calidad de la Presidencia, a cargo de la Presidenta del ITEI y del "
        f"STL, Ana Lucía Herrera Cortés, ante el empate de {palabras(4)} votos a favor, {palabras(4)} votos en "
        "contra del Representante del Poder Ejecutivo, Jorge Sandoval Díaz; del Representante del Poder Judicial, "
        "Ricardo Solís Estrada; de la Representante del Poder Legislativo, Mariana Ochoa Villaseñor; y del "
        f"Representante del Sector Empresarial, Fernando Ibarra Castro, y {palabras(1, 'f')} abstención del "
        "Representante de la Comunidad Tecnológica, Emilio Navarro Fuentes, por conflicto de interés, la "
        "metodología de las mesas de trabajo del Plan de Acción Local."
    )
    assert "mayoría" not in acuerdos["STL/I/3/2021"]


def test_a_rejected_proposal_is_worded_as_rejected_by_majority(acuerdos):
    assert acuerdos["STL/I/4/2021"].startswith(
        f"Por el que, se rechaza por mayoría de votos, con {palabras(2)} votos a favor y {palabras(7)} votos en "
        "contra de la Presidenta del ITEI y del STL, Ana Lucía Herrera Cortés; del Representante del Poder Ejecutivo"
    )
    assert acuerdos["STL/I/4/2021"].endswith(
        "y del Representante de la Comunidad Tecnológica, Emilio Navarro Fuentes, celebrar las sesiones en una sede "
        "itinerante."
    )


def test_majority_with_an_abstention_in_zacatecas(registro_zacatecas):
    [r] = [r for r in rules.dictaminar(registro_zacatecas, "I-2021").resultados if r.forma == "mayoria"]
    assert wording.resultado(registro_zacatecas, r) == (
        f"se aprueba por mayoría de votos, con {palabras(4)} votos a favor, {palabras(1)} voto en contra del "
        "Representante del Poder Ejecutivo, Raúl Esparza Luévano, y una abstención de la Representante del Poder "
        "Legislativo, Gabriela Márquez Ortiz"
    )


def _resultado(clase, favor, contra=(), abstenciones=(), calidad=None):
    """A `rules.Resultado` of `clase` with these ballots, to word it alone."""
    return rules.Resultado(
        acuerdo=None,
        aprobado=clase in rules.APROBADAS,
        clase=clase,
        a_favor=tuple(favor),
        en_contra=tuple(contra),
        abstenciones=tuple(w for w, _ in abstenciones),
        voto_de_calidad=calidad,
        razon="",
        motivos=tuple(abstenciones),
    )


def test_the_reason_of_an_abstention_is_given_where_the_profile_requires_it(registro_edomex):
    perfil, stl = registro_edomex.perfil, registro_edomex.stl
    assert perfil.abstencion["regla"] == "justificada"
    r = _resultado("unanimidad_emitidos", ("martinez", "cervantes"), (), (("vargas", "impedimento"),))
    assert wording.votacion(r, stl, perfil) == (
        f"se aprueba por unanimidad de los votos emitidos, con {palabras(2)} votos a favor y una abstención del "
        "Representante de los Entes Públicos, Javier Vargas Zempoaltecatl, por impedimento"
    )


def test_large_counts_agree_with_cldr(registro_edomex):
    perfil, stl = registro_edomex.perfil, registro_edomex.stl
    for n in (21, 31, 100):
        r = _resultado("rechazo_mayoria", ("martinez",) * n, ("martinez",) * (n + 1))
        texto = wording.votacion(r, stl, perfil)
        assert texto.startswith(
            f"se rechaza por mayoría de votos, con {palabras(n)} votos a favor y {palabras(n + 1)} votos"
        )
