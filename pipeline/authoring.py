"""Authoring: the routine parts of the Facilitador's records, and the calendar of the STL.

Takes the records and what the Facilitador decides (date, time, modality); gives the YAML text of a new
session or working-meeting record, pre-filled from the previous sessions and the profile, and a calendar
summary (frequency, deadlines, pending actas, absences). It writes nothing: the CLI writes what it returns,
after checking that the new record loads. "Today" is an argument, never read from the clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

from . import paquete, rules, spanish, wording
from .business_days import Calendario
from .errors import StlError
from .models import POR_LLENAR, Calidad, Perfil, Registro, Sector, Sesion, TipoSesion

__all__ = [
    "Agenda",
    "calendario",
    "id_siguiente",
    "nueva_reunion",
    "nueva_sesion",
    "nuevo_stl",
    "siguiente_numero",
]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# --- a new STL ---------------------------------------------------------------------------------------------


def nuevo_stl(perfil: Perfil, carpeta: Path, propio: str | None = None) -> dict[str, str]:
    """The records of a new STL under `perfil` in `carpeta`: stl.yaml with the profile's seats to fill in
    (sector, role, who presides), an empty folio registry and, for a profile of its own, perfiles/<id>.yaml
    (its text `propio`). Gives path → text."""
    if perfil.integracion is None:
        raise StlError(
            f"el perfil {perfil.id} no dice quiénes integran el STL (falta «integracion»): agréguelo para "
            "que «stl init» deje sus lugares en stl.yaml"
        )
    asientos = "".join(_asiento(a) for a in perfil.integracion["asientos"])
    stl = (
        f"# yaml-language-server: $schema={paquete.ESQUEMAS}/stl.schema.json\n"
        f"# Secretariado Técnico Local — escrito por «stl init» con el perfil {perfil.id}: {perfil.nombre}.\n"
        f"# Integración según {perfil.cita(perfil.integracion)}. Llene cada «{POR_LLENAR}» (nombres, género f o m,\n"
        "# cargos); `stl validar` señala con su línea lo que falte. Agregue suplentes y enlaces con «de: <id>».\n"
        f"nombre: {_q(f'Secretariado Técnico Local de Gobierno Abierto de {POR_LLENAR}')}\n"
        f"estado: {_q(f'{POR_LLENAR} (p. ej. Jalisco, Estado de México)')}\n"
        f"ciudad: {_q(f'{POR_LLENAR} (ciudad donde se emiten los oficios)')}\n"
        f"perfil: {perfil.id}\n"
        "organo_garante:\n"
        f"  nombre: {_q(f'{POR_LLENAR} (nombre del instituto de transparencia)')}\n"
        f"  siglas: {_q(POR_LLENAR)}\n"
        "folio:\n  prefijo: STL\n"
        "dias_inhabiles: []\n"
        f"integrantes:\n{asientos}"
    )
    folios = (
        f"# yaml-language-server: $schema={paquete.ESQUEMAS}/folios.schema.json\n"
        "# Registro de folios de oficios: `stl convocatoria` agrega cada folio que emite.\n"
        "folios: []\n"
    )
    archivos = {"stl.yaml": stl, "folios.yaml": folios, **_esquemas()}
    if propio is not None:
        archivos[f"perfiles/{perfil.id}.yaml"] = propio
    return archivos


def _esquemas() -> dict[str, str]:
    """A copy of the schemas in the records folder, that each record names by a relative path: an editor checks
    the records from the folder alone, wherever it is copied (never a path into this machine's installation)."""
    from importlib import resources

    carpeta = resources.files("pipeline").joinpath("schemas")
    return {
        f"{paquete.ESQUEMAS}/{s.name}": s.read_text("utf-8")
        for s in sorted(carpeta.iterdir(), key=lambda s: s.name)
        if s.name.endswith(".schema.json")
    }


def _asiento(asiento: dict) -> str:
    campos = [
        f"  - id: {asiento['id']}\n",
        f"    nombre: {_q(POR_LLENAR)}\n",
        f"    genero: {_q(f'{POR_LLENAR} (f o m)')}\n",
        f"    cargo: {_q(f'{POR_LLENAR}: ' + asiento['cargo'])}\n",
    ]
    if asiento.get("representacion"):
        campos.append(f"    representacion: {_q(asiento['representacion'])}\n")
    campos += [f"    sector: {asiento['sector']}\n", f"    calidad: {asiento['calidad']}\n"]
    if asiento.get("preside"):
        campos.append("    preside: true\n")
    return "".join(campos)


def siguiente_numero(registro: Registro, tipo: TipoSesion) -> int:
    numeros = [s.numero for s in registro.sesiones if s.tipo is tipo and s.numero]
    return max(numeros, default=0) + 1


def _pendiente_de_aprobacion(registro: Registro, antes: dt.date) -> Sesion | None:
    """The latest earlier session, with a record of its own, whose acta no acuerdo has approved yet."""
    for sesion in sorted(registro.sesiones, key=lambda s: s.fecha, reverse=True):
        if sesion.fecha >= antes or (sesion.parcial and sesion.numero is None):
            continue
        if sesion.tipo is TipoSesion.INSTALACION:
            continue
        return None if rules.aprobacion_del_acta(registro, sesion.id) else sesion
    return None


def _acuerdos_abiertos(registro: Registro, antes: dt.date) -> list[str]:
    """Acuerdos of earlier sessions, as follow-up reminders (their status is tracked with the archive)."""
    return [
        f"{a.folio}: {wording.acuerdo_objeto(a, s, registro)}"
        for s in registro.sesiones
        if s.fecha < antes
        for a in s.acuerdos
        if a.aprueba_acta is None and a.punto != "orden_del_dia"
    ]


@dataclass(frozen=True)
class Agenda:
    """The YAML text of a new record and what to tell the Facilitador about it."""

    ruta: str  # relative to the records folder
    texto: str
    avisos: tuple[str, ...]


def _convoca(registro: Registro, fecha: dt.date) -> str:
    quien = registro.perfil.convoca["calidad"]
    for persona in registro.stl.integrantes:
        if not persona.activo(fecha):
            continue
        if quien == "facilitador" and persona.calidad is Calidad.FACILITADOR:
            return persona.id
        if (
            quien == "organo_garante"
            and persona.sector is Sector.ORGANO_GARANTE
            and persona.calidad is Calidad.TITULAR
        ):
            return persona.id
    raise StlError(f"el padrón no tiene a quien convoca según el perfil ({quien})")


def id_siguiente(registro: Registro, fecha: dt.date, extraordinaria: bool) -> str:
    """The id of the next ordinary (or extraordinary) session on `fecha`: V-2020, EXT-I-2021."""
    tipo = TipoSesion.EXTRAORDINARIA if extraordinaria else TipoSesion.ORDINARIA
    numero = siguiente_numero(registro, tipo)
    return f"{'EXT-' if extraordinaria else ''}{spanish.roman(numero)}-{fecha.year}"


def nueva_sesion(
    registro: Registro,
    sesion_id: str,
    fecha: dt.date,
    hora: dt.time,
    extraordinaria: bool,
    modalidad: str,
    sede: str,
) -> Agenda:
    """A convened session's record: number and type checked, agenda from the profile and the pending work."""
    from .records import parse_session_id

    if any(s.id == sesion_id for s in registro.sesiones):
        raise StlError(f"ya existe el registro de la sesión {sesion_id}: no se sobrescribe")
    tipo = TipoSesion.EXTRAORDINARIA if extraordinaria else TipoSesion.ORDINARIA
    parsed = parse_session_id(sesion_id)
    numero = siguiente_numero(registro, tipo)
    esperado = id_siguiente(registro, fecha, extraordinaria)
    if parsed is None or parsed.tipo is not tipo or parsed.numero != numero or parsed.anio != fecha.year:
        raise StlError(
            f"la siguiente sesión {tipo} es la número {numero}: su ID es {esperado}, no {sesion_id}"
        )
    perfil = registro.perfil
    dias = int(perfil.aviso["extraordinaria" if extraordinaria else "ordinaria"])
    calendario_habil = Calendario.de(registro.stl.dias_inhabiles)
    ultimo = calendario_habil.ultimo_dia_para_convocar(fecha, dias)
    puntos = _puntos(registro, fecha)
    personas = [
        p
        for p in registro.stl.integrantes
        if p.activo(fecha) and p.calidad.value in perfil.convoca["destinatarios"] + ["facilitador"]
    ]
    modalidad_yaml = (
        f"  tipo: {modalidad}\n  {'plataforma' if modalidad == 'virtual' else 'lugar'}: {_q(sede)}"
    )
    texto = (
        paquete.cabecera_esquema("sesion", Path(registro.raiz), Path(registro.raiz) / "sesiones")
        + f"# {wording.nombre_sesion(_fake(sesion_id, tipo, numero, fecha))} — escrito por «stl nueva-sesion».\n"
        f"# Último día para emitir la convocatoria: {spanish.date_short(ultimo)} ({spanish.dias_habiles(dias)}, {perfil.cita(perfil.aviso)}).\n"
        f"tipo: {tipo.value}\n"
        f"numero: {numero}\n"
        f'fecha: "{fecha.isoformat()}"\n'
        f'hora_inicio: "{hora:%H:%M}"\n'
        f"modalidad:\n{modalidad_yaml}\n"
        "convocatoria:\n"
        f'  fecha: "{ultimo.isoformat()}"\n'
        f"  convoca: {_convoca(registro, fecha)}\n"
        "# Al celebrarse la sesión, anote la hora de cierre y quiénes asistieron (quite a quien no asista;\n"
        "# quien suple a un titular se anota {integrante: id, en_lugar_de: titular}):\n"
        '# hora_cierre: "HH:MM"\n'
        f"# asistencia: [{', '.join(p.id for p in personas)}]\n"
        "orden_del_dia:\n" + "".join(puntos)
    )
    avisos = (
        f"Último día para emitir la convocatoria: {spanish.date_words(ultimo)} ({spanish.date_short(ultimo)}).",
        *_inhabil("la sesión", fecha, calendario_habil),
    )
    return Agenda(f"sesiones/{sesion_id}.yaml", texto, avisos)


def _fake(sesion_id: str, tipo: TipoSesion, numero: int, fecha: dt.date) -> Sesion:
    from .models import Ubicacion

    return Sesion(id=sesion_id, tipo=tipo, numero=numero, fecha=fecha, lugar=Ubicacion(""))


def _puntos(registro: Registro, fecha: dt.date) -> list[str]:
    """The default orden del día: the profile's fixed order (001 Art. 8) or the usual one of the seeds."""
    previa = _pendiente_de_aprobacion(registro, fecha)
    abiertos = _acuerdos_abiertos(registro, fecha)
    votado = "    # acuerdos: [{votacion: unanimidad}]  # al celebrarse: quite el primer «#» y anote cómo se votó\n"
    puntos = ["  - tipo: quorum\n", "  - tipo: orden_del_dia\n" + votado]
    if previa is not None:
        puntos.append(f"  - tipo: aprobacion_acta\n    sesion: {previa.id}\n" + votado)
    seguimiento = "  - tipo: seguimiento_acuerdos\n"
    if abiertos:
        seguimiento += "    # Acuerdos por revisar:\n" + "".join(f"    #   {linea}\n" for linea in abiertos)
    puntos.append(seguimiento)
    if registro.perfil.orden_fijo is not None:  # 001 Art. 8: topics, then distribution of the material
        puntos.append(f"  - clave: temas\n    texto: {_q('Desarrollo de los temas a tratar')}\n")
        material = "Distribución del material de trabajo presentado durante la reunión"
        puntos.append(f"  - clave: material\n    texto: {_q(material)}\n")
    else:
        puntos.append(
            '  # - clave: tema\n  #   texto: "Presentación, discusión y en su caso, aprobación de …"\n'
            "  #   acuerdos:  # el texto es solo el objeto: el acta antepone «se aprueba por unanimidad de votos,»\n"
            '  #     - texto: "el …"\n  #       votacion: unanimidad\n'
        )
    puntos += ["  - tipo: asuntos_generales\n", "  - tipo: clausura\n"]
    return puntos


def nueva_reunion(
    registro: Registro, fecha: dt.date, hora: dt.time, modalidad: str, sede: str, asunto: str
) -> Agenda:
    """A working meeting's record (it leaves a minuta): the roster as attendees, the topic to fill in."""
    base = f"RT-{fecha.isoformat()}"
    existentes = {r.id for r in registro.reuniones}
    reunion_id = base
    n = 2
    while reunion_id in existentes:
        reunion_id, n = f"{base}-{n}", n + 1
    personas = [
        p.id for p in registro.stl.integrantes if p.activo(fecha) and p.calidad is not Calidad.INVITADO
    ]
    fin = (dt.datetime.combine(fecha, hora) + dt.timedelta(hours=1)).time()
    texto = (
        paquete.cabecera_esquema("reunion", Path(registro.raiz), Path(registro.raiz) / "reuniones")
        + "# Reunión de trabajo — escrito por «stl nueva-reunion». Ajuste la hora de cierre y la asistencia.\n"
        f'fecha: "{fecha.isoformat()}"\n'
        f'hora_inicio: "{hora:%H:%M}"\n'
        f'hora_cierre: "{fin:%H:%M}"\n'
        f"modalidad:\n  tipo: {modalidad}\n  {'plataforma' if modalidad == 'virtual' else 'lugar'}: {_q(sede)}\n"
        f"asunto: {_q(asunto)}\n"
        f"asistencia: [{', '.join(personas)}]\n"
        "temas:\n"
        f"  - tema: {_q(asunto)}\n"
        "    intervenciones: []\n"
        "acuerdos: []\n"
    )
    avisos = _inhabil("la reunión", fecha, Calendario.de(registro.stl.dias_inhabiles))
    return Agenda(f"reuniones/{reunion_id}.yaml", texto, avisos)


def _inhabil(que: str, fecha: dt.date, calendario: Calendario) -> tuple[str, ...]:
    inhabil = rules.dia_inhabil(fecha, calendario)
    return (
        (f"Advertencia: {que} sería en día inhábil: {inhabil}. ¿Es la fecha que quiso?",) if inhabil else ()
    )


# --- the calendar ------------------------------------------------------------------------------------------


def _mas_meses(fecha: dt.date, meses: int) -> dt.date:
    mes = fecha.month - 1 + meses
    anio, mes = fecha.year + mes // 12, mes % 12 + 1
    for dia in (fecha.day, 30, 29, 28):
        try:
            return dt.date(anio, mes, dia)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def calendario(
    registro: Registro, hoy: dt.date, anio: int | None = None, firmadas: frozenset[str] = frozenset()
) -> list[str]:
    """`stl calendario`: sessions held and planned, frequency, next deadline, pending actas, absences."""
    perfil = registro.perfil
    sesiones = [s for s in registro.sesiones if anio is None or s.fecha.year == anio]
    # Held: attendance recorded, or an earlier session known from the sources (a partial record).
    celebradas = [s for s in registro.sesiones if s.fecha <= hoy and (s.asistencia is not None or s.parcial)]
    lines = [f"Calendario del {registro.stl.nombre}" + (f" ({anio})" if anio else "")]
    for s in sesiones:
        if s.asistencia is not None and s.fecha <= hoy:
            estado = "celebrada"
        elif s.fecha >= hoy:
            estado = "programada"
        else:
            estado = "registro parcial" if s.parcial else "sin asistencia registrada"
        lines.append(f"  - {spanish.date_short(s.fecha)}: {wording.nombre_sesion(s)} ({s.id}) — {estado}")
    meses = perfil.frecuencia.get("sesiones_meses")
    if meses and celebradas:
        # Every session known to have been held counts, partial records included.
        fechas = sorted(s.fecha for s in celebradas)
        huecos = [(a, b) for a, b in itertools.pairwise(fechas) if b > _mas_meses(a, meses)]
        limite = _mas_meses(max(s.fecha for s in celebradas), meses)
        lines.append(f"Frecuencia mínima: una sesión cada {meses} mes(es) ({perfil.cita(perfil.frecuencia)})")
        for a, b in huecos:
            lines.append(f"  · no se cumplió entre el {spanish.date_short(a)} y el {spanish.date_short(b)}")
        programada = any(s.fecha >= hoy for s in registro.sesiones)
        aviso = "" if programada or limite >= hoy else " — VENCIDO"
        lines.append(f"Próxima sesión a más tardar el {spanish.date_short(limite)}{aviso}")
    pendientes = [
        s
        for s in registro.sesiones
        if s.asistencia is not None and not s.parcial and rules.aprobacion_del_acta(registro, s.id) is None
    ]
    lines.append("Actas por aprobar: " + (", ".join(s.id for s in pendientes) or "ninguna"))
    por_firmar = [
        s.id
        for s in registro.sesiones
        if not s.parcial and rules.aprobacion_del_acta(registro, s.id) and s.id not in firmadas
    ]
    lines.append("Actas aprobadas sin todas sus firmas: " + (", ".join(por_firmar) or "ninguna"))
    limite_ausencias = perfil.remocion.get("ausencias_consecutivas")
    if limite_ausencias and celebradas:
        ultima = max(celebradas, key=lambda s: s.fecha)
        ausencias = rules.dictaminar(registro, ultima.id).ausencias
        cerca = [(w, n) for w, n in ausencias.items() if n >= limite_ausencias - 1]
        for who, n in cerca:
            lines.append(
                f"  · {registro.stl.integrante(who).nombre}: {n} ausencias consecutivas (límite {limite_ausencias}, {perfil.cita(perfil.remocion)})"
            )
        if not cerca:
            lines.append(f"Ausencias consecutivas: nadie cerca del límite de {limite_ausencias}")
    return lines
