"""Días hábiles: which days count for the notice of a convocatoria.

Takes the STL's own días inhábiles (each with the acuerdo that declared it); gives a `Calendario` that
says whether a day is hábil and why not. Official holidays are those of the Ley Federal del Trabajo,
art. 74, from the maintained `holidays` package with Spanish names. No clock, no I/O.

Counting convention. "Con un mínimo de cinco días hábiles de anticipación" (000 Cap. VI.6; 001 Art. 7.3;
002 V.6) is counted in whole business days *strictly between* the date of the oficio and the date of the
session: neither the day it is issued nor the day of the session counts, as terms run from the business
day after notification (Ley Federal de Procedimiento Administrativo, arts. 28 y 29). Under it the real
convocatoria STL/004/2020, dated Monday 26 October 2020 for Tuesday 3 November 2020, gives exactly five:
27, 28, 29 and 30 October and 2 November. It is the strictest reasonable reading, so a convocatoria that
passes here passes under the looser ones too (counting the day of issue, or of the session).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import holidays

__all__ = ["Calendario"]

_WEEKEND = {5: "sábado", 6: "domingo"}


@cache
def _oficiales() -> holidays.HolidayBase:
    """Mexico's official holidays, one table per process: it fills in each year the first time it is asked."""
    return holidays.country_holidays("MX", language="es")


@dataclass(frozen=True)
class Calendario:
    """Business days for one institution: weekends, LFT art. 74 holidays and its own días inhábiles."""

    propios: dict[dt.date, str] = field(default_factory=dict)
    _oficiales: holidays.HolidayBase = field(default_factory=_oficiales, compare=False, repr=False)

    @classmethod
    def de(cls, dias_inhabiles: Iterable[tuple[dt.date, str]]) -> Calendario:
        return cls(propios=dict(dias_inhabiles))

    def motivo_inhabil(self, dia: dt.date) -> str | None:
        """Why `dia` is not a business day, or None if it is one."""
        if dia.weekday() in _WEEKEND:
            return _WEEKEND[dia.weekday()]
        if dia in self.propios:
            return f"día inhábil declarado: {self.propios[dia]}"
        nombre = self._oficiales.get(dia)
        if nombre:
            return f"{nombre} (Ley Federal del Trabajo, art. 74)"
        return None

    def es_habil(self, dia: dt.date) -> bool:
        return self.motivo_inhabil(dia) is None

    def entre(self, desde: dt.date, hasta: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, str]]]:
        """Business days and non-business days (with reason) strictly between `desde` and `hasta`."""
        habiles, inhabiles = [], []
        dia = desde + dt.timedelta(days=1)
        while dia < hasta:
            motivo = self.motivo_inhabil(dia)
            if motivo is None:
                habiles.append(dia)
            else:
                inhabiles.append((dia, motivo))
            dia += dt.timedelta(days=1)
        return habiles, inhabiles

    def ultimo_dia_para_convocar(self, sesion: dt.date, dias: int) -> dt.date:
        """The latest business day an oficio can be dated to give `dias` business days before `sesion`."""
        dia, contados = sesion, 0
        while contados < dias:
            dia -= dt.timedelta(days=1)
            contados += self.es_habil(dia)
        dia -= dt.timedelta(days=1)
        while not self.es_habil(dia):
            dia -= dt.timedelta(days=1)
        return dia
