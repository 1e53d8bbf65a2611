"""The folio registry of oficios (records/folios.yaml): issue the next number, exactly once.

Takes the records folder, a session and what the oficio is; gives the folio. A convocatoria is refused,
and no number is consumed, when it gives fewer business days than the profile requires (000 Cap. VI.6;
001 Art. 7.3; 002 V.6). Numbers follow one another within a year and are never reused: the registry is
read, extended and written atomically under an exclusive lock, so two `stl convocatoria` at once cannot
take the same number, and the oficio is written before its number is recorded, so a failure consumes none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import records, registros_yaml, rules, spanish
from .business_days import Calendario
from .errors import StlError
from .models import Registro, Sesion

__all__ = ["emitir", "verificar_aviso"]


def verificar_aviso(registro: Registro, sesion: Sesion) -> None:
    """Refuse, in Spanish, a convocatoria that gives fewer business days than the profile requires."""
    aviso = rules.notice(sesion, registro.perfil, Calendario.de(registro.stl.dias_inhabiles))
    if aviso is None or aviso.cumple:
        return
    conv = sesion.convocatoria
    raise StlError(
        f"{conv.en('fecha')}: la convocatoria de fecha {spanish.date_short(conv.fecha)} para la sesión del "
        f"{spanish.date_short(sesion.fecha)} da {spanish.dias_habiles(len(aviso.habiles))} de anticipación y el perfil "
        f"exige {aviso.requeridos} ({aviso.cita}); el último día para convocar era el "
        f"{spanish.date_short(aviso.ultimo_dia)}. No se emitió el oficio ni se usó folio."
    )


def _verificar_fecha(registro: Registro, sesion: Sesion) -> None:
    """A new folio may not carry a date before the last one of its year: the registry would no longer load (its
    numbers follow their dates), and every command would stop. Refused before anything is written."""
    conv = sesion.convocatoria
    anteriores = [f for f in registro.folios if f.anio == conv.fecha.year]
    ultimo = max(anteriores, key=lambda f: f.numero, default=None)
    if ultimo is not None and conv.fecha < ultimo.fecha:
        raise StlError(
            f"{conv.en('fecha')}: la convocatoria lleva fecha {spanish.date_short(conv.fecha)}, anterior a la del último "
            f"oficio del registro de folios ({ultimo.folio}, del {spanish.date_short(ultimo.fecha)}): los folios van "
            "en el orden de sus fechas. Corrija la fecha de la convocatoria; no se emitió el oficio ni se usó folio."
        )


def emitir(
    root: Path, sesion_id: str, destinatario: str, asunto: str, escribir: Callable[[str], None]
) -> str:
    """The session's folio: the one already issued, or the next of its year once `escribir(folio)` succeeds."""
    with registros_yaml.candado(root, "folios"):
        registro = records.load(root)  # read again under the lock: another process may have issued one
        sesion = registro.sesion(sesion_id)
        verificar_aviso(registro, sesion)
        registrado = any(f.sesion == sesion.id for f in registro.folios)
        anio = sesion.convocatoria.fecha.year
        numeros = [f.numero for f in registro.folios if f.anio == anio]
        siguiente = f"{registro.stl.prefijo_folio}/{max(numeros, default=0) + 1:03d}/{anio}"
        folio = sesion.convocatoria.folio or siguiente
        if folio != siguiente and not registrado:
            raise StlError(
                f"{sesion.convocatoria.en('folio')}: el folio {folio} escrito en el registro de la sesión no está en "
                f"el registro de folios y no sigue su numeración (sigue {siguiente}); quítelo para que se asigne solo"
            )
        if not registrado:
            _verificar_fecha(registro, sesion)
        escribir(folio)
        if registrado:
            return folio
        entrada = {
            "folio": folio,
            "fecha": sesion.convocatoria.fecha.isoformat(),
            "destinatario": destinatario,
            "asunto": asunto,
            "sesion": sesion.id,
        }
        registros_yaml.agregar(root, "folios", entrada)
        return folio
