"""The session summary that `stl validar` prints: a `Dictamen` → Spanish text lines.

Takes the rules' verdict and the records; gives text. No decisions are made here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import rules, spanish, wording
from .errors import Problema
from .identidad import mostrar  # a certificate's names may carry U+202E: shown escaped, never obeyed
from .models import Registro
from .rules import Dictamen
from .wording import acuerdo_objeto, nombre_sesion, titulo_punto

if TYPE_CHECKING:
    from .bitacora import Bitacora
    from .verify import Informe

__all__ = ["certificado_registrado", "estado_firmas", "summary", "verificacion"]


def _plural(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _warnings(problems: tuple[Problema, ...]) -> list[str]:
    if not problems:
        return ["Advertencias: ninguna"]
    return [f"Advertencias ({len(problems)}):", *(f"  - {p}" for p in problems)]


def _dias(dias) -> str:
    return ", ".join(f"{d.day} {spanish.month_name(d.month)[:3]}" for d in dias) or "ninguno"


def summary(d: Dictamen, registro: Registro) -> list[str]:
    s, stl = d.sesion, registro.stl
    lines = [f"{nombre_sesion(s)} ({s.id}) — {stl.nombre}"]
    when = spanish.date_short(s.fecha)
    if s.hora_inicio and s.hora_cierre:
        when += f", de {s.hora_inicio:%H:%M} a {s.hora_cierre:%H:%M}"
    if s.modalidad:
        when += f" — {s.modalidad}: {wording.sede(s.sede)}"
    lines += [when, f"Perfil de gobernanza: {registro.perfil.nombre} ({registro.perfil.referencia})"]
    if s.parcial:
        lines += ["", f"Registro parcial (fuente: {s.fuente}); no genera acta."]
        if s.resumen:
            lines.append(s.resumen)
    if s.asistencia is not None:
        lines += ["", f"Asistencia ({len(d.capacidades)}):"]
        for c in d.capacidades:
            firma = "firma" if c.firma else "no firma"
            lines.append(f"  - {c.integrante.nombre}, {c.integrante.cargo_corto} — {c.razon}; {firma}")
        firman = [p.nombre for p in d.firmantes]
        voz = [c.integrante.nombre for c in d.capacidades if not c.firma]
        documento = wording.documento(registro, "el").lower()
        lines.append(
            f"Firman {documento} ({len(firman)}): {spanish.join_names(firman) if firman else 'nadie'}"
        )
        if voz:
            lines.append(f"Participan con voz, sin firma ({len(voz)}): {spanish.join_names(voz)}")
    if d.quorum is not None:
        q = d.quorum
        estado = "hay quórum" if q.cumple else "NO hay quórum"
        lines += ["", f"Quórum: {estado} — {q.razon} [{q.cita}]", *_hechos(d)]
    if d.aviso is not None and s.convocatoria is not None:
        a, conv = d.aviso, s.convocatoria
        plazo = "dentro del plazo" if a.cumple else "FUERA DEL PLAZO"
        convoca = stl.integrante(conv.convoca).nombre
        lines += [
            "",
            f"{_convocatoria(conv.folio)} del {spanish.date_short(conv.fecha)}, emitida por {convoca}:",
            f"  {spanish.dias_habiles(len(a.habiles))} de anticipación (se requieren {a.requeridos}): {plazo} [{a.cita}]",
            f"  Días hábiles contados: {_dias(a.habiles)}",
            f"  Días no hábiles en medio: {'; '.join(f'{_dias([x])} ({m})' for x, m in a.inhabiles) or 'ninguno'}",
            f"  Último día para convocar a esta fecha: {spanish.date_short(a.ultimo_dia)}",
        ]
    if s.orden_del_dia:
        lines += ["", f"Orden del día aprobado ({len(s.orden_aprobado)} puntos):"]
        for n, p in enumerate(s.orden_aprobado, 1):
            lines.append(f"  {n}. {titulo_punto(p, s, registro)}")
        for p in s.orden_del_dia:
            if p.retirado or p.agregado:
                cambio = "retirado" if p.retirado else "agregado"
                quien = stl.integrante(p.solicita).nombre if p.solicita else "no consta"
                lines.append(f"  ({cambio} a solicitud de {quien}: {titulo_punto(p, s, registro)})")
    if d.resultados:
        lines += ["", f"Acuerdos ({len(d.resultados)}):"]
        for r in d.resultados:
            abstenciones = _plural(len(r.abstenciones), "abstención", "abstenciones")
            votos = f"{len(r.a_favor)} a favor, {len(r.en_contra)} en contra, {abstenciones}"
            lines.append(
                f"  {r.acuerdo.folio} — {wording.resultado(registro, r)} ({votos}) — {acuerdo_objeto(r.acuerdo, s, registro)}"
            )
    # The errors themselves are printed once, by the error boundary, after this summary.
    errores = "Errores: ninguno" if not d.errores else f"Errores: {len(d.errores)} (abajo)"
    lines += ["", *_warnings(d.advertencias), errores]
    return lines


def _hechos(d: Dictamen) -> list[str]:
    """Who conducted; each arrival and departure with the quorum it leaves (the facts the acta words)."""
    lines = []
    if d.conduce is not None:
        ausencia = " (en ausencia de quien dirige las sesiones según el perfil)" if d.en_ausencia else ""
        lines.append(f"Conduce: {d.conduce.nombre}{ausencia}")
    for e in d.eventos:
        nombre = next(c.integrante.nombre for c in d.capacidades if c.integrante.id == e.integrante)
        quorum = "hay quórum" if e.despues.quorum.cumple else "NO hay quórum"
        lines.append(
            f"  {e.hora:%H:%M} {'llega' if e.llega else 'se retira'} {nombre}: {quorum} — {e.despues.quorum.razon}"
        )
    return lines


def estado_firmas(bitacora: Bitacora, zona: str = spanish.ZONA_HORARIA) -> list[str]:
    """`stl estado`: who signed, when (local time of `zona`, with its offset) and with which certificate; who is
    pending."""
    firmados = bitacora.firmados
    from .bitacora import PROPIOS, concuerda

    nombre = bitacora.nombre.split(" ", 1)[1]
    lines = [
        f"{nombre[:1].upper() + nombre[1:]} de {bitacora.sesion}: versión actual {bitacora.actual.archivo} ({bitacora.fojas} fojas)",
        f"{'Aprobación' if bitacora.clase in PROPIOS else 'Documento'}: {bitacora.aprobacion}",
        *([f"Código de verificación: {bitacora.codigo}"] if bitacora.codigo else []),
        f"{concuerda(bitacora.clase, 'Certificad')} con el certificado núm. {bitacora.versiones[0].serie} ({mostrar(bitacora.versiones[0].emisor)})",
        f"Firmas: {len(firmados)} de {len(bitacora.esperados)}",
    ]
    for e in bitacora.esperados:
        v = firmados.get(e.id)
        if v is None:
            lines.append(f"  - {e.nombre}: pendiente")
        else:
            lines.append(
                f"  - {e.nombre}: firmó el {_local(v.fecha, zona)} con el certificado núm. {v.serie} "
                f"({mostrar(v.emisor)}) → {v.archivo}"
            )
    return lines


def _local(iso: str | None, zona: str) -> str:
    """An ISO 8601 moment of the ledger or a report, in local time with its offset."""
    import datetime as dt

    return spanish.fecha_hora_local(dt.datetime.fromisoformat(iso), zona) if iso else "sin fecha"


def certificado_registrado(nombre: str, datos) -> list[str]:
    """`stl registrar-certificado`: what was registered, with the RFC and CURP masked (personal data)."""
    from . import certificados

    lines = [
        f"Registrado para {nombre}: {datos.huella}",
        f"  Titular: {mostrar(datos.titular)}",
        f"  RFC: {certificados.enmascarar(datos.rfc)}"
        + (
            f" (representante: {certificados.enmascarar(datos.rfc_representante)})"
            if datos.rfc_representante
            else ""
        ),
        f"  Número de certificado: {datos.numero}",
        f"  Emisor: {mostrar(datos.emisor)}",
        f"  Vigencia: del {datos.vigente_desde:%Y-%m-%d} al {datos.vigente_hasta:%Y-%m-%d}",
        *(f"Aviso: {aviso}." for aviso in certificados.avisos_de_titular(datos, nombre)),
    ]
    return lines


def verificacion(informe: Informe) -> list[str]:
    """`stl verificar`: the verdict and what it covers, one line per signature, then the document-level problems.

    A file verified without the records is never called plainly «VÁLIDO»: what was checked and what could not be
    are both said. A versión pública (no signatures) says what it is, what was checked and how to request the
    original."""
    from .version_publica import Informe as InformePublica

    if isinstance(informe, InformePublica):
        return _verificacion_publica(informe)
    if not informe.ok:
        veredicto = "NO VÁLIDO"
    elif informe.sin_comprobar:
        veredicto = "FIRMAS ÍNTEGRAS Y DE CONFIANZA; QUIÉNES FIRMAN, SIN COMPROBAR"
    else:
        veredicto = f"VÁLIDO (contra los registros de {informe.sesion})" if informe.sesion else "VÁLIDO"
    lines = [f"Verificación de {informe.archivo}: {veredicto}"]
    for f in informe.firmas:
        tipo = "certificación" if f.certificacion else f.campo
        marca = "válida" if not f.problemas else "CON PROBLEMAS"
        sello = "con sello de tiempo" if f.sello_de_tiempo else "sin sello de tiempo"
        certificado = (
            f"certificado núm. {f.serie} ({mostrar(f.emisor)})" if f.serie else "certificado ilegible"
        )
        lines.append(
            f"  - {tipo}: {mostrar(f.titular)}, {certificado} — {marca}; {_local(f.fecha, informe.zona)}, {sello}; "
            f"cambios después: {f.modificacion}"
        )
        if f.probada:
            lines.append(
                f"      · su certificado ya no está vigente; válida porque un sello de tiempo prueba que se hizo el "
                f"{_local(f.probada, informe.zona)}, cuando lo estaba"
            )
        lines += [f"      · {p}" for p in f.problemas]
    for s in informe.sellos:
        estado = (
            "válido"
            if s.valido and s.confiable
            else "válido, autoridad ya no vigente"
            if s.valido
            else "NO VÁLIDO"
        )
        lines.append(
            f"  - sello de tiempo del documento: {s.autoridad}, {_local(s.fecha or None, informe.zona)} — {estado}; "
            f"su certificado vence el {s.vence[:10]}"
        )
    if informe.nivel:
        lines.append(f"  Nivel de firma: PAdES {informe.nivel} ({_NIVELES_PADES[informe.nivel]})")
    lines += [f"  · {p}" for p in informe.problemas]
    lines += [f"  Aviso: {a}" for a in informe.avisos]
    if informe.sin_comprobar:
        lines.append(
            "  Se comprobó: que cada firma es íntegra y criptográficamente válida, que su certificado lleva a las "
            "raíces de confianza y no estaba revocado ni caducado al firmar (cuando hay sello de tiempo, a la hora "
            "del sello), y que después de cada firma solo se llenaron campos de firma."
        )
        lines += [f"  No se comprobó: {n}." for n in informe.sin_comprobar]
    return lines


_NIVELES_PADES = {
    "B-B": "firmas sin sello de tiempo: su fecha es la que dijo quien firmó",
    "B-T": "cada firma con sello de tiempo",
    "B-LT": "sellos de tiempo y datos de validación (certificados y revocación) en el documento",
    "B-LTA": "datos de validación y sello de tiempo del documento: se verifica aunque caduquen los certificados, "
    "si el sello se renueva antes de que venza el suyo",
}


def _verificacion_publica(informe) -> list[str]:
    lines = [f"Verificación de {informe.archivo}: {informe.veredicto}", f"  Es {informe.que_es}."]
    lines += [f"  Se comprobó: {c}." for c in informe.comprobado]
    lines += [f"  · {p}" for p in informe.problemas]
    if informe.firmas:
        lines.append("  Firmas que reporta su constancia (verificadas al archivar el original):")
        lines += [f"    - {f}" for f in informe.firmas]
    if informe.solicitud:
        lines.append(f"  Cómo obtener el original: {informe.solicitud}")
    return lines


def acuerdos(registro: Registro, pendientes: bool) -> list[str]:
    """`stl acuerdos`: every acuerdo with its responsible, due date and status (000 Cap. XI.9)."""
    from .publish import ESTADOS

    lines = []
    for sesion in registro.sesiones:
        for a in sesion.acuerdos:
            seg = registro.seguimiento.get(a.folio)
            estado = rules.estado_acuerdo(registro, a)
            if pendientes and estado not in ("pendiente", "en_proceso"):
                continue
            quien = (
                registro.stl.integrante(seg.responsable).nombre
                if seg and seg.responsable
                else "sin responsable"
            )
            limite = spanish.date_short(seg.fecha_limite) if seg and seg.fecha_limite else "sin fecha límite"
            lines.append(f"{a.folio} [{ESTADOS[estado]}] {acuerdo_objeto(a, sesion, registro)}")
            lines.append(f"    responsable: {quien}; fecha límite: {limite}")
            for fecha, est, nota, _ in seg.actualizaciones if seg else ():
                lines.append(
                    f"    {spanish.date_short(fecha)}: {ESTADOS[est]}" + (f" — {nota}" if nota else "")
                )
    return lines or ["No hay acuerdos" + (" pendientes." if pendientes else ".")]


def asistencia(registro: Registro) -> list[str]:
    """`stl asistencia`: per titular, each session with known attendance: present (or stood in for) or absent."""
    from .rules import attendance_history

    ultima = max((s.fecha for s in registro.sesiones), default=None)
    if ultima is None:
        return ["No hay sesiones."]
    lines = []
    for who, entradas in attendance_history(registro, ultima).items():
        presentes = sum(1 for _, presente in entradas if presente)
        lines.append(f"{registro.stl.integrante(who).nombre}: {presentes} de {len(entradas)} sesiones")
        lines += [f"    {sid}: {'asistió' if presente else 'AUSENTE'}" for sid, presente in entradas]
    return lines


def _convocatoria(folio: str | None) -> str:
    """ "Convocatoria STL/004/2020", or that no folio was issued yet (`stl convocatoria` takes it)."""
    return f"Convocatoria {folio}" if folio else "Convocatoria (aún sin folio: lo asigna «stl convocatoria»)"
