"""Stage 3 — render, the acta: a session and its verdict → the worded `Documento` (layout of seed 003).

Each part of the acta is a short function of values: the opening, the roll call and quorum, one formula per
agenda kind, the acuerdos with their votes, the closing and the signatures. Who conducts, convenes, drafts and
signs comes from the profile and the roster (`wording.dirige`, `wording.rol_corto`); what the record is called
too (`wording.documento`). `render.acta` checks that the record can have an acta and calls `documento`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import spanish, wording
from .documentos import Bloque, Documento, Firmante, Seccion, firmantes_de
from .models import Asistente, Calidad, Integrante, Intervencion, Punto, Registro, Sesion, Stl, TipoPunto
from .rules import Dictamen, Resultado

__all__ = ["agenda", "capital", "documento", "parrafos"]

# Connectors between interventions, in turn, as the Facilitador writes them (seed 003).
_CONECTORES = (
    "Por su parte",
    "Posteriormente",
    "Asimismo",
    "En uso de la voz",
    "En relación con lo anterior",
)


@dataclass(frozen=True)
class _Acta:
    """What every part of one acta reads: the records, the verdict and who conducts the session."""

    registro: Registro
    dictamen: Dictamen
    dirige: Integrante | None  # the Facilitador or who presides, by the profile, if they attended

    @property
    def s(self) -> Sesion:
        return self.dictamen.sesion

    @property
    def stl(self) -> Stl:
        return self.registro.stl

    def resultado(self, folio: str) -> Resultado:
        return next(r for r in self.dictamen.resultados if r.acuerdo.folio == folio)


# --- words ------------------------------------------------------------------------------------------------


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _a_la(titulo: str) -> str:
    """ "a la presentación…", "al informe…": the contraction before an agenda title."""
    first = titulo.split(" ", 1)[0].lower().strip(",")
    feminine = first.endswith(("ción", "sión", "dad", "tud", "a"))
    return f"a la {_lower_first(titulo)}" if feminine else f"al {_lower_first(titulo)}"


def agenda(puntos: tuple[Punto, ...], sesion: Sesion, registro: Registro, abreviado: bool) -> tuple[str, ...]:
    """The numbered agenda lines, each but the last ending in «;»."""
    titles = [wording.titulo_punto(p, sesion, registro, abreviado) for p in puntos]
    return tuple(f"{t};" if i < len(titles) - 1 else f"{t}." for i, t in enumerate(titles))


def _paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by a blank line; inside one, line breaks are spaces (in PDF and DOCX alike)."""
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _parrafo(text: str, *rest: str) -> list[Bloque]:
    return [Bloque("parrafo", text), *(Bloque("parrafo", p) for p in rest)]


def _intervencion(item: Intervencion, i: int, stl: Stl) -> list[Bloque]:
    """One intervention, the `i`-th of its item: connector, who speaks, what they said (seed 003)."""
    first, *rest = _paragraphs(item.texto)
    if item.orador is None:
        return _parrafo(capital(first), *rest)
    quien = wording.quien(stl.integrante(item.orador))
    return _parrafo(f"{_CONECTORES[i % len(_CONECTORES)]}, {quien}, {first}", *rest)


def parrafos(intervenciones: tuple[Intervencion, ...], stl: Stl, start: int = 0) -> list[Bloque]:
    """Interventions as the acta and the minuta write them."""
    return [b for i, item in enumerate(intervenciones[start:], start) for b in _intervencion(item, i, stl)]


# --- who conducts (000 Cap. XI.5; 001 Art. 9.1; 002 VII.1) ------------------------------------------------


def conduce(a: _Acta) -> str:
    """ "el Facilitador del Secretariado Técnico Local, Rafael Funes Díaz"; the words "quien preside la sesión"
    only when the roster names nobody for the role who attended."""
    return wording.quien(a.dirige) if a.dirige else "quien preside la sesión"


def conduce_corto(a: _Acta) -> str:
    """ "el Facilitador", "la Presidenta del STL"."""
    return (
        f"{wording.articulo(a.dirige)} {wording.rol_corto(a.dirige)}"
        if a.dirige
        else "quien preside la sesión"
    )


def _asistente(stl: Stl, asistente: Asistente, forma: Callable[[Integrante], str]) -> str:
    text = forma(stl.integrante(asistente.integrante))
    if asistente.en_lugar_de:
        text += f", en suplencia de {stl.integrante(asistente.en_lugar_de).nombre}"
    return text


def _sede(s: Sesion) -> str:
    return wording.donde(s.modalidad, s.sede)


# --- the parts --------------------------------------------------------------------------------------------


def apertura(a: _Acta) -> str:
    """Place, time and date in words, the session, who convened and by which oficio, and who attended."""
    s, conv = a.s, a.s.convocatoria
    convoca = a.stl.integrante(conv.convoca)
    titulo = wording.rol_corto(convoca) if convoca.calidad is Calidad.FACILITADOR else convoca.cargo_corto
    presentes = [_asistente(a.stl, x, wording.presentacion) for x in s.asistencia]
    return (
        f"{wording.en_entidad(s.entidad)}, siendo {spanish.time_words(s.hora_inicio)} del día {spanish.date_words(s.fecha)}, "
        f"se encuentran reunidos los integrantes del Secretariado Técnico Local {wording.del_estado(a.stl.estado)}, "
        f"para celebrar su {wording.nombre_sesion(s)}, {_sede(s)}, a la cual fueron convocados por "
        f"{wording.articulo(convoca)} {titulo} C. {convoca.nombre}, mediante el oficio número {conv.folio}, "
        f"de fecha {spanish.date_words(conv.fecha)}; en ese sentido, se presentaron: "
        f"{wording.lista_legal(presentes)}, con la finalidad de desahogar la sesión bajo el siguiente orden del día:"
    )


def _da_la_palabra(a: _Acta, punto: Punto, i: int) -> bool:
    """In asuntos generales, whoever conducts gives the floor (seed 003, punto VI)."""
    orador = punto.intervenciones[i].orador
    previous = punto.intervenciones[i - 1].orador if i else None
    quien = a.dirige.id if a.dirige else None
    return orador != quien and (i == 0 or previous == quien)


def _otorga_la_palabra(a: _Acta, item: Intervencion, i: int) -> list[Bloque]:
    first, *rest = _paragraphs(item.texto)
    persona = a.stl.integrante(item.orador)
    lead = "Continuando con los asuntos generales, " if i else ""
    return _parrafo(
        f"{capital(lead + conduce_corto(a))} otorgó el uso de la palabra "
        f"{'a la' if persona.genero == 'f' else 'al'} {persona.cargo_corto}, {persona.nombre}, quien {first}",
        *rest,
    )


def intervenciones(a: _Acta, punto: Punto, start: int = 0) -> list[Bloque]:
    if punto.tipo is not TipoPunto.ASUNTOS_GENERALES:
        return parrafos(punto.intervenciones, a.stl, start)
    blocks = []
    for i, item in enumerate(punto.intervenciones[start:], start):
        dar = item.orador is not None and _da_la_palabra(a, punto, i)
        blocks += _otorga_la_palabra(a, item, i) if dar else _intervencion(item, i, a.stl)
    return blocks


def acuerdos(a: _Acta, punto: Punto, intro: str) -> list[Bloque]:
    """Each acuerdo of the item in its box, worded with its vote (`wording.votacion`, through the rules)."""
    if not punto.acuerdos:
        return []
    blocks = [Bloque("parrafo", intro)]
    for acuerdo in punto.acuerdos:
        objeto = wording.acuerdo_objeto(acuerdo, a.s, a.registro)
        texto = wording.enunciado_acuerdo(a.resultado(acuerdo.folio).redaccion, objeto)
        blocks.append(Bloque("acuerdo", texto, folio=acuerdo.folio))
    return blocks


def _estado_quorum(a: _Acta) -> str:
    q = a.dictamen.quorum
    if q.cumple and q.presentes == q.base:
        return "se contaba con la totalidad de integrantes del Secretariado Técnico Local"
    if q.cumple:
        return (
            f"se contaba con quórum legal, con {spanish.cardinal(q.presentes)} de "
            f"{spanish.cardinal(q.base)} integrantes con derecho a voto"
        )
    return "no se contaba con el quórum requerido"


def _ausentes(a: _Acta) -> list[str]:
    suplidos = {x.en_lugar_de for x in a.s.asistencia if x.en_lugar_de}
    return [
        f"{p.nombre}, {p.denominacion}"
        for p in a.stl.titulares(a.s.fecha)
        if not a.s.asistio(p.id) and p.id not in suplidos
    ]


def pase_de_lista(a: _Acta, n: int, punto: Punto) -> list[Bloque]:
    """Roll call and quorum, with who is absent."""
    lista = [_asistente(a.stl, x, lambda p: f"{p.nombre}, {p.denominacion}") for x in a.s.asistencia]
    blocks = _parrafo(
        f"{capital(conduce(a))}, en uso de la voz procedió al pase de lista para la verificación del "
        f"quórum legal, constatando que {_estado_quorum(a)}, {wording.lista_legal(lista)}."
    )
    if ausentes := _ausentes(a):
        blocks += _parrafo(f"Se hace constar la inasistencia de {spanish.join_names(ausentes)}.")
    return blocks + intervenciones(a, punto)


def _modificaciones(a: _Acta) -> str:
    """ "la propuesta de retirar el quinto punto por parte de la Representante del Órgano Garante"."""
    convocados = list(a.s.orden_convocado)
    cambios = []
    for p in (p for p in a.s.orden_del_dia if p.retirado or p.agregado):
        if p.retirado:
            que = f"retirar el {wording.ordinal_punto(convocados.index(p) + 1)} punto"
        else:
            que = f"incorporar el punto «{wording.titulo_punto(p, a.s, a.registro)}»"
        if p.solicita:
            persona = a.stl.integrante(p.solicita)
            que += (
                f" por parte {wording.de_articulo(persona)} {persona.representacion or persona.cargo_corto}"
            )
        cambios.append(que)
    return "la propuesta de " + spanish.join_names(cambios)


def orden_del_dia(a: _Acta, n: int, punto: Punto) -> list[Bloque]:
    """Reading and approval of the agenda, listed again in full when it was modified."""
    ordinal = wording.ordinal_punto(n)
    blocks = _parrafo(
        f"Para el desahogo del {ordinal} punto del orden del día, se sometió a consideración de los asistentes "
        f"la lectura y en su caso, aprobación del orden del día; en uso de la palabra, {conduce(a)}, preguntó a "
        "los presentes si existía algún comentario o modificación al mismo."
    ) + intervenciones(a, punto)
    if a.s.orden_modificado:
        blocks += _parrafo(
            f"Por lo que, {conduce_corto(a)} sometió a consideración {_modificaciones(a)}, quedando de la "
            "siguiente manera:"
        )
        blocks.append(Bloque("lista", items=agenda(a.s.orden_aprobado, a.s, a.registro, abreviado=False)))
    intro = (
        f"Una vez agotado el {ordinal} punto del orden del día, {conduce_corto(a)} procedió a recabar la "
        "votación del punto correspondiente para emitir el siguiente acuerdo:"
    )
    return blocks + acuerdos(a, punto, intro)


def aprobacion_acta(a: _Acta, n: int, punto: Punto) -> list[Bloque]:
    """Approval of a previous session's record, named as the profile names it."""
    previa = a.registro.sesion(punto.sesion)
    nombre = f"{wording.nombre_sesion(previa)} del STL, de fecha {spanish.date_short(previa.fecha)}"
    blocks = _parrafo(
        f"Para el desahogo del {wording.ordinal_punto(n)} punto del orden del día, en uso de la voz "
        f"{conduce_corto(a)}, procedió a someter a consideración de los integrantes del Secretariado Técnico "
        f"Local (STL) la aprobación {wording.documento(a.registro, 'del')} de la {nombre}, en ese sentido, "
        f"{conduce_corto(a)} señaló que en días pasados se envió a cada integrante el documento para "
        "conocimiento del mismo, por lo que preguntó a los presentes si tenían algún comentario al respecto o se "
        "pudiera aprobar en los términos propuestos."
    )
    if previa.observaciones and a.registro.perfil.redacta.get("observaciones"):
        blocks += _parrafo(observaciones(a, previa.observaciones))
    return (
        blocks
        + intervenciones(a, punto)
        + acuerdos(a, punto, "Derivado de ello, se emitió el siguiente acuerdo:")
    )


def observaciones(a: _Acta, lista) -> str:
    """The attendees' observations on the draft, as the profile's practice records them in the approval."""
    partes = []
    for o in lista:
        quien = a.registro.stl.integrante(o.integrante)
        tomada = "que se tomó" if o.aceptada else "que no se tomó"
        motivo = f" ({o.motivo})" if o.motivo else ""
        partes.append(f"de {quien.nombre}, del {spanish.date_short(o.fecha)}: «{o.texto}», {tomada}{motivo}")
    return "Al borrador del acta se recibieron las siguientes observaciones: " + "; ".join(partes) + "."


def asunto(a: _Acta, n: int, punto: Punto) -> list[Bloque]:
    """A topic: who presents it (in the same sentence when whoever conducts opens it), the debate, the vote."""
    intro = (
        f"En el desahogo del {wording.ordinal_punto(n)} punto del orden del día, concerniente "
        f"{_a_la(wording.titulo_punto(punto, a.s, a.registro))}"
    )
    first = punto.intervenciones[0] if punto.intervenciones else None
    if first and a.dirige and first.orador == a.dirige.id:
        head, *rest = _paragraphs(first.texto)
        blocks = _parrafo(f"{intro}, {conduce(a)}, {head}", *rest) + intervenciones(a, punto, start=1)
    else:
        blocks = _parrafo(intro + ".") + intervenciones(a, punto)
    if punto.acuerdos:
        blocks += _parrafo(
            f"{capital(conduce(a))}, sometió a votación el {wording.ordinal_punto(n)} punto del orden del día, "
            "al no haber más participaciones."
        )
    intro_acuerdo = "Una vez analizado y discutido el presente asunto, el Secretariado Técnico emitió el siguiente acuerdo:"
    return blocks + acuerdos(a, punto, intro_acuerdo)


def seguimiento_acuerdos(a: _Acta, n: int, punto: Punto) -> list[Bloque]:
    intro = (
        f"Para el desahogo del {wording.ordinal_punto(n)} punto del orden del día, relativo al seguimiento "
        f"de acuerdos, {conduce(a)}, informó sobre el estado de los acuerdos adoptados por el Secretariado."
    )
    return _parrafo(intro) + intervenciones(a, punto) + acuerdos(a, punto, "Se emitió el siguiente acuerdo:")


def asuntos_generales(a: _Acta, n: int, punto: Punto) -> list[Bloque]:
    intro = (
        f"En desahogo al {wording.ordinal_punto(n)} punto del orden del día, alusivo a los asuntos generales:"
    )
    if not punto.intervenciones:
        return _parrafo(intro + " no se registraron asuntos generales.")
    cierre = (
        f"{capital(conduce(a))}, mencionó que, no habiendo otra participación por parte de los "
        "integrantes, se continuaría con el siguiente punto del orden del día."
    )
    blocks = (
        _parrafo(intro) + intervenciones(a, punto) + acuerdos(a, punto, "Se emitió el siguiente acuerdo:")
    )
    return blocks + _parrafo(cierre)


def _levanta(a: _Acta) -> str:
    """Who drafts, where the profile names the drafter's own record (001 Art. 9.3: acta circunstanciada)."""
    redacta = a.registro.perfil.redacta
    es_facilitador = a.dirige is not None and a.dirige.calidad is Calidad.FACILITADOR
    if not redacta.get("documento") or redacta.get("calidad") != "facilitador" or not es_facilitador:
        return ""
    return f", de la cual {conduce(a)}, levanta {redacta['documento']}"


def clausura(a: _Acta, n: int, punto: Punto) -> list[Bloque]:
    """Closing time in words; signed at the margin and the foot (000 Cap. VI.7; 001 Art. 7.5; 002 V.7)."""
    s = a.s
    return intervenciones(a, punto) + _parrafo(
        f"Para el desahogo del {wording.ordinal_punto(n)} punto del orden del día se procedió a la clausura "
        "de la sesión, por lo que, una vez desahogados los puntos del orden del día, siendo "
        f"{spanish.time_words(s.hora_cierre)} del {spanish.date_words(s.fecha)}, se dio por concluida la "
        f"{wording.nombre_sesion(s)}{_levanta(a)}, firmando al margen y al calce de la presente "
        f"{a.registro.perfil.documento} quienes en ella intervinieron."
    )


_FORMULAS: dict[TipoPunto, Callable[[_Acta, int, Punto], list[Bloque]]] = {
    TipoPunto.QUORUM: pase_de_lista,
    TipoPunto.ORDEN_DEL_DIA: orden_del_dia,
    TipoPunto.APROBACION_ACTA: aprobacion_acta,
    TipoPunto.SEGUIMIENTO_ACUERDOS: seguimiento_acuerdos,
    TipoPunto.ASUNTO: asunto,
    TipoPunto.ASUNTOS_GENERALES: asuntos_generales,
    TipoPunto.CLAUSURA: clausura,
}


def seccion(a: _Acta, n: int, punto: Punto) -> Seccion:
    """The `n`-th item of the agenda as approved, numbered in Roman numerals, with its formula."""
    encabezado = "Clausura de la Sesión" if punto.tipo is TipoPunto.CLAUSURA else None
    return Seccion(spanish.roman(n), tuple(_FORMULAS[punto.tipo](a, n, punto)), encabezado)


def firmantes(a: _Acta) -> tuple[Firmante, ...]:
    """Who signs, by the profile's `firman` (000 Cap. VI.7; 001 Art. 7.5; 002 V.7), as the rules found."""
    return firmantes_de(a.dictamen.firmantes)


def _quien_dirige(registro: Registro, s: Sesion) -> Integrante | None:
    """Who conducts this session: the profile's role holder if present; else, if present, who presides the STL
    (`preside: true`); else nobody the roster can name."""
    preside = next((p for p in registro.stl.integrantes if p.preside and p.activo(s.fecha)), None)
    return next((p for p in (wording.dirige(registro, s.fecha), preside) if p and s.asistio(p.id)), None)


def documento(registro: Registro, dictamen: Dictamen) -> Documento:
    """The acta (or minuta, as the profile names it) of a session whose record can have one."""
    a = _Acta(registro, dictamen, _quien_dirige(registro, dictamen.sesion))
    s, nombre = a.s, wording.nombre_sesion(a.s)
    doc = wording.documento(registro)
    return Documento(
        clase="acta",
        titulo=f"{doc} de la {nombre} del {a.stl.nombre}",
        autor=a.stl.nombre,
        pie=f"Esta hoja corresponde {wording.documento(registro, 'al')} de la {nombre} del Secretariado Técnico "
        f"Local, de fecha {spanish.date_words(s.fecha)}.",
        apertura=apertura(a),
        orden_convocado=agenda(s.orden_convocado, s, registro, abreviado=True),
        secciones=tuple(seccion(a, n, punto) for n, punto in enumerate(s.orden_aprobado, 1)),
        encabezado_firmas=f"{doc} de la {nombre} del Secretariado Técnico Local",
        firmantes=firmantes(a),
        raiz=registro.raiz,
    )
