"""Días hábiles: LFT art. 74 holidays from `holidays`, the institution's own días inhábiles, our convention."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from pipeline.business_days import Calendario

D = dt.date


def test_real_convocatoria_stl_004_2020_gives_exactly_five_business_days():
    habiles, inhabiles = Calendario().entre(D(2020, 10, 26), D(2020, 11, 3))
    assert habiles == [D(2020, 10, 27), D(2020, 10, 28), D(2020, 10, 29), D(2020, 10, 30), D(2020, 11, 2)]
    assert inhabiles == [(D(2020, 10, 31), "sábado"), (D(2020, 11, 1), "domingo")]


def test_neither_the_day_of_issue_nor_the_session_day_counts():
    # Friday to the next Friday: Monday to Thursday only.
    habiles, _ = Calendario().entre(D(2021, 3, 5), D(2021, 3, 12))
    assert habiles == [D(2021, 3, 8), D(2021, 3, 9), D(2021, 3, 10), D(2021, 3, 11)]


def test_official_holidays_have_spanish_names_and_cite_the_lft():
    cal = Calendario()
    assert cal.motivo_inhabil(D(2020, 11, 16)) == "Día de la Revolución (Ley Federal del Trabajo, art. 74)"
    assert "Constitución" in cal.motivo_inhabil(D(2021, 2, 1))
    assert cal.motivo_inhabil(D(2024, 10, 1)) is not None  # transmisión del Poder Ejecutivo Federal
    assert cal.es_habil(D(2020, 11, 2))  # Día de Muertos is not an LFT holiday


def test_institution_days_count_as_inhabiles_with_their_acuerdo():
    cal = Calendario.de([(D(2020, 11, 2), "Acuerdo INFOEM/PLENO/01/2020")])
    assert cal.motivo_inhabil(D(2020, 11, 2)) == "día inhábil declarado: Acuerdo INFOEM/PLENO/01/2020"
    assert len(cal.entre(D(2020, 10, 26), D(2020, 11, 3))[0]) == 4


def test_last_day_to_convene():
    assert Calendario().ultimo_dia_para_convocar(D(2020, 11, 3), 5) == D(2020, 10, 26)
    # Around the Revolución holiday (Mon 16 Nov 2020) the deadline moves a day earlier.
    # Days counted: 19, 18, 17, (16 holiday), 13, 12 Nov; without the holiday it would be 12 Nov.
    assert Calendario().ultimo_dia_para_convocar(D(2020, 11, 20), 5) == D(2020, 11, 11)


@given(st.dates(D(2000, 1, 1), D(2040, 12, 31)), st.integers(1, 10))
def test_convening_on_the_last_day_gives_exactly_the_days_required(sesion, dias):
    cal = Calendario()
    ultimo = cal.ultimo_dia_para_convocar(sesion, dias)
    assert cal.es_habil(ultimo)
    assert len(cal.entre(ultimo, sesion)[0]) >= dias
    siguiente = ultimo + dt.timedelta(days=1)
    while not cal.es_habil(siguiente):
        siguiente += dt.timedelta(days=1)
    assert len(cal.entre(siguiente, sesion)[0]) < dias
