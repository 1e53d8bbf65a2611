"""Stage 3 — render, the acta: a session and its verdict → the worded `Documento` (layout of seed 003).

Each part of the acta is a short function of values: the opening, the roll call and quorum, one formula per
agenda kind, the acuerdos with their votes, arrivals and departures, the closing and the signatures. Every
sentence renders a fact the rules derived (`rules.Dictamen`): who was present at the opening and at each vote,
the quorum then, each outcome's class, who conducted; a sentence whose fact does not hold is never written.
Who conducts, convenes, drafts and signs comes from the profile and the roster (`wording.rol_corto`); what the
record is called too (`wording.documento`). `render.acta` checks that the record can have an acta and calls
`documento`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import spanish, wording
from .documentos import Bloque, Documento, Firmante, Seccion, firmantes_de
from .models import Asistente, Calidad, Integrante, Intervencion, Punto, Registro, Sesion, Stl, TipoPunto
from .rules import Dictamen, Evento, Resultado

__all__ = ["agenda", "capital", "documento", "parrafos"]

# Connectors between interventions, in turn, as the Facilitador writes them (seed 003). «Por su parte» needs an
# antecedent: an item's first intervention after a heading that names nobody takes «En uso de la voz».
_CONECTORES = (
    "Por su parte",
    "Posteriormente",
    "Asimismo",
    "En uso de la voz",
    "En relación con lo anterior",
)
_SIN_ANTECEDENTE = "En uso de la voz"
# A line of dashes closes the text before the signature page: blank space in an acta admits additions.
RAYAS = "-" * 112


@dataclass(frozen=True)
class _Acta:
    """What every part of one acta reads: the records, the verdict and when each arrival or departure is told."""

    registro: Registro
    dictamen: Dictamen
    eventos: dict[str, tuple[Evento, ...]] = field(default_factory=dict)  # folio (or "") → told before it

    @property
    def s(self) -> Sesion:
        return self.dictamen.sesion

    @property
    def stl(self) -> Stl:
        return self.registro.stl

    @property
    def dirige(self) -> Integrante | None:
        """Who conducted the session (`rules`: the profile's conductor, or whom the record names)."""
        return self.dictamen.conduce

    def resultado(self, folio: str) -> Resultado:
        return self.dictamen.resultado(folio)


def _reparto(dictamen: Dictamen) -> dict[str, tuple[Evento, ...]]:
    """Each arrival and departure is told before the first vote after it; those after the last vote, at the
    closing (key "")."""
    pendientes = list(dictamen.eventos)
    reparto: dict[str, tuple[Evento, ...]] = {}
    for r in dictamen.resultados:
        hora = r.momento.hora if r.momento else None
        antes = [e for e in pendientes if hora is not None and e.hora <= hora]
        if antes:
            reparto[r.acuerdo.folio] = tuple(antes)
            pendientes = [e for e in pendientes if e not in antes]
    reparto[""] = tuple(pendientes)
    return reparto


# --- words ------------------------------------------------------------------------------------------------


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


_ARTICULOS = ("la ", "el ", "los ", "las ")


def _a_la(titulo: str) -> str:
    """ "a la presentación…", "al informe…": the contraction before an agenda title (never «a la la…»)."""
    texto = _lower_first(titulo)
    if texto.startswith(_ARTICULOS):
        articulo, resto = texto.split(" ", 1)
        return f"{'al' if articulo == 'el' else 'a ' + articulo} {resto}"
    first = texto.split(" ", 1)[0].strip(",")
    feminine = first.endswith(("ción", "sión", "dad", "tud", "a"))
    return f"a la {texto}" if feminine else f"al {texto}"


def agenda(puntos: tuple[Punto, ...], sesion: Sesion, registro: Registro, abreviado: bool) -> tuple[str, ...]:
    """The numbered agenda lines, each but the last ending in «;»."""
    titles = [wording.titulo_punto(p, sesion, registro, abreviado) for p in puntos]
    return tuple(f"{t};" if i < len(titles) - 1 else f"{t}." for i, t in enumerate(titles))


def _paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by a blank line; inside one, line breaks are spaces (in PDF and DOCX alike)."""
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _parrafo(text: str, *rest: str) -> list[Bloque]:
    return [Bloque("parrafo", text), *(Bloque("parrafo", p) for p in rest)]


def _intervencion(item: Intervencion, i: int, stl: Stl, antecedente: bool = True) -> list[Bloque]:
    """One intervention, the `i`-th of its item: connector, who speaks, what they said (seed 003)."""
    first, *rest = _paragraphs(item.texto)
    if item.orador is None:
        return _parrafo(capital(first), *rest)
    quien = wording.quien(stl.integrante(item.orador))
    conector = _CONECTORES[i % len(_CONECTORES)] if antecedente or i else _SIN_ANTECEDENTE
    return _parrafo(f"{conector}, {quien}, {first}", *rest)


def parrafos(intervenciones: tuple[Intervencion, ...], stl: Stl, start: int = 0) -> list[Bloque]:
    """Interventions as the acta and the minuta write them."""
    return [b for i, item in enumerate(intervenciones[start:], start) for b in _intervencion(item, i, stl)]


# --- who conducts (000 Cap. XI.5; 001 Art. 9.1; 002 VII.1) ------------------------------------------------


def conduce(a: _Acta) -> str:
    """ "el Facilitador del Secretariado Técnico Local, Rafael Funes Díaz": who conducted, by role and name."""
    return wording.quien(a.dirige)


def conduce_corto(a: _Acta) -> str:
    """ "el Facilitador", "la Presidenta del STL"."""
    return f"{wording.articulo(a.dirige)} {wording.rol_corto(a.dirige)}"


def _asistente(stl: Stl, asistente: Asistente, forma: Callable[[Integrante], str]) -> str:
    text = forma(stl.integrante(asistente.integrante))
    if asistente.en_lugar_de:
        text += f", en suplencia de {stl.integrante(asistente.en_lugar_de).nombre}"
    return text


def _sede(s: Sesion) -> str:
    return wording.donde(s.modalidad, s.sede)


def _al_abrir(a: _Acta) -> list[Asistente]:
    """The attendees present at the opening, in the order of the attendance."""
    return [x for x in a.s.asistencia if x.integrante in a.dictamen.apertura.presentes]


# --- the parts --------------------------------------------------------------------------------------------


def _oficio(a: _Acta) -> str:
    """ "mediante el oficio número STL/004/2020, de fecha …": the number only if the oficio has one."""
    conv = a.s.convocatoria
    numero = f"el oficio número {conv.folio}" if conv.folio else "oficio"
    return f"mediante {numero}, de fecha {spanish.date_words(conv.fecha)}"


def apertura(a: _Acta) -> str:
    """Place, time and date in words, the session, who convened and by which oficio, and who was there."""
    s, conv = a.s, a.s.convocatoria
    convoca = a.stl.integrante(conv.convoca)
    titulo = wording.rol_corto(convoca) if convoca.calidad is Calidad.FACILITADOR else convoca.cargo_corto
    presentes = [_asistente(a.stl, x, wording.presentacion) for x in _al_abrir(a)]
    return (
        f"{wording.en_entidad(s.entidad)}, siendo {spanish.time_words(s.hora_inicio)} del día {spanish.date_words(s.fecha)}, "
        f"se encuentran reunidos los integrantes del Secretariado Técnico Local {wording.del_estado(a.stl.estado)}, "
        f"para celebrar su {wording.nombre_sesion(s)}, {_sede(s)}, a la cual fueron convocados por "
        f"{wording.articulo(convoca)} {titulo} C. {convoca.nombre}, {_oficio(a)}; en ese sentido, se presentaron: "
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


def intervenciones(a: _Acta, punto: Punto, start: int = 0, antecedente: bool = True) -> list[Bloque]:
    """The item's interventions from `start`; without an `antecedente` (a heading that names nobody) the first
    one does not open with «Por su parte»."""
    if punto.tipo is not TipoPunto.ASUNTOS_GENERALES:
        return [
            b
            for i, item in enumerate(punto.intervenciones[start:], start)
            for b in _intervencion(item, i, a.stl, antecedente)
        ]
    blocks = []
    for i, item in enumerate(punto.intervenciones[start:], start):
        dar = item.orador is not None and _da_la_palabra(a, punto, i)
        blocks += _otorga_la_palabra(a, item, i) if dar else _intervencion(item, i, a.stl, antecedente)
    return blocks


def _cuenta(n: int, base: int) -> str:
    """ "cuatro de cinco integrantes con derecho a voto"."""
    return f"{spanish.cardinal(n)} de {spanish.cardinal(base)} integrantes con derecho a voto"


def evento(a: _Acta, e: Evento) -> str:
    """An arrival or a departure, with the quorum it leaves when the person votes."""
    persona = a.stl.integrante(e.integrante)
    hecho = "se incorporó a la sesión" if e.llega else "se retiró de la sesión"
    texto = f"Siendo {spanish.time_words(e.hora)}, {hecho} {wording.quien(persona)}"
    vota = any(c.voto and c.integrante.id == e.integrante for c in a.dictamen.capacidades)
    q = e.despues.quorum
    if vota and not e.llega:
        texto += (
            f", subsistiendo el quórum legal, con {_cuenta(q.presentes, q.base)} presentes"
            if q.cumple
            else ", con lo que dejó de contarse con el quórum legal"
        )
    return texto + "."


def _eventos(a: _Acta, clave: str) -> list[Bloque]:
    return [Bloque("parrafo", evento(a, e)) for e in a.eventos.get(clave, ())]


def acuerdos(a: _Acta, punto: Punto, intro: str) -> list[Bloque]:
    """Each acuerdo of the item in its box, worded with its vote: arrivals and departures before it first, then
    the introduction (kept with its box on the page)."""
    if not punto.acuerdos:
        return []
    blocks = [b for acuerdo in punto.acuerdos for b in _eventos(a, acuerdo.folio)]
    blocks.append(Bloque("introduccion", intro))
    for acuerdo in punto.acuerdos:
        objeto = wording.acuerdo_objeto(acuerdo, a.s, a.registro)
        texto = wording.enunciado_acuerdo(wording.resultado(a.registro, a.resultado(acuerdo.folio)), objeto)
        blocks.append(Bloque("acuerdo", texto, folio=acuerdo.folio))
    return blocks


def _quorum(a: _Acta) -> str:
    """The roll call's finding, and whom it lists: every attendee after «la totalidad», else those with a vote
    after their count (the others follow in their own sentence)."""
    ap = a.dictamen.apertura
    q = ap.quorum
    forma = lambda p: f"{p.nombre}, {p.denominacion}"  # noqa: E731
    if a.dictamen.totalidad:
        lista = wording.lista_legal([_asistente(a.stl, x, forma) for x in _al_abrir(a)])
        return (
            "para la verificación del quórum legal, constatando que se contaba con la totalidad de integrantes "
            f"del Secretariado Técnico Local, {lista}"
        )
    votan = [_asistente(a.stl, x, forma) for x in _al_abrir(a) if x.integrante in ap.votantes]
    if q.cumple:
        estado = f"se contaba con quórum legal, con {_cuenta(q.presentes, q.base)}"
    elif q.presentes:
        estado = f"no se contaba con el quórum requerido, al estar presentes {_cuenta(q.presentes, q.base)}"
    else:
        estado = (
            "no se contaba con el quórum requerido, al no estar presente ninguno de los "
            f"{spanish.cardinal(q.base)} integrantes con derecho a voto"
        )
    if q.presentes and not q.cumple and q.presentes >= q.minimo:
        estado += ", sin representante de la sociedad civil con derecho a voto"
    return f"para la verificación del quórum, constatando que {estado}" + (
        f": {wording.lista_legal(votan)}" if votan else ""
    )


def _con_voz(a: _Acta) -> list[Bloque]:
    """Who was at the opening with voice only, when the roll call listed only those with a vote."""
    if a.dictamen.totalidad:
        return []
    forma = lambda p: f"{p.nombre}, {p.denominacion}"  # noqa: E731
    otros = [
        _asistente(a.stl, x, forma) for x in _al_abrir(a) if x.integrante not in a.dictamen.apertura.votantes
    ]
    if not otros:
        return []
    return _parrafo(f"Asimismo, se encontraban presentes, con derecho a voz, {wording.lista_legal(otros)}.")


def _quien_pasa_lista(a: _Acta) -> str:
    """Who took the roll call; in the absence of the profile's conductor, saying so (000 Cap. XI.5)."""
    rol = wording.dirige(a.registro, a.s.fecha)
    if a.dictamen.en_ausencia and rol is not None:
        return (
            f"En ausencia {wording.de_articulo(rol)} {wording.rol(rol)}, {rol.nombre}, condujo la sesión "
            f"{conduce(a)}, quien en uso de la voz procedió al pase de lista"
        )
    return f"{capital(conduce(a))}, en uso de la voz procedió al pase de lista"


def pase_de_lista(a: _Acta, n: int, punto: Punto) -> list[Bloque]:
    """Roll call and quorum, who had voice only, and who did not attend."""
    blocks = _parrafo(f"{_quien_pasa_lista(a)} {_quorum(a)}.") + _con_voz(a)
    if ausentes := [f"{p.nombre}, {p.denominacion}" for p in a.dictamen.inasistentes]:
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
    return (
        f"Al borrador {wording.documento(a.registro, 'del').lower()} se recibieron las siguientes observaciones: "
        + "; ".join(partes)
        + "."
    )


def _primera(a: _Acta, punto: Punto, intro: str, sin_nadie: str) -> tuple[list[Bloque], int]:
    """The item's opening sentence with its first intervention (who spoke and what, or a narrative paragraph),
    so that no item opens with a fragment; gives the blocks and how many interventions it told."""
    if not punto.intervenciones:
        return _parrafo(f"{intro}, {sin_nadie}."), 0
    first = punto.intervenciones[0]
    head, *rest = _paragraphs(first.texto)
    if first.orador is None:
        return _parrafo(f"{intro}, se dio cuenta de lo siguiente.", capital(head), *rest), 1
    quien = (
        conduce(a)
        if a.dirige and first.orador == a.dirige.id
        else wording.quien(a.stl.integrante(first.orador))
    )
    return _parrafo(f"{intro}, {quien}, {head}", *rest), 1


def asunto(a: _Acta, n: int, punto: Punto) -> list[Bloque]:
    """A topic: who presented it, in the same sentence as the item, the debate, the vote."""
    ordinal = wording.ordinal_punto(n)
    intro = (
        f"En el desahogo del {ordinal} punto del orden del día, concerniente "
        f"{_a_la(wording.titulo_punto(punto, a.s, a.registro))}"
    )
    if not punto.intervenciones and punto.acuerdos:
        blocks = _parrafo(f"{intro}, {conduce(a)}, lo sometió a votación, al no haber participaciones.")
    else:
        blocks, contadas = _primera(a, punto, intro, "no se registraron participaciones")
        blocks += intervenciones(a, punto, start=contadas)
        if punto.acuerdos:
            blocks += _parrafo(
                f"{capital(conduce(a))}, sometió a votación el {ordinal} punto del orden del día, al no haber más "
                "participaciones."
            )
    intro_acuerdo = "Una vez analizado y discutido el presente asunto, el Secretariado Técnico emitió el siguiente acuerdo:"
    return blocks + acuerdos(a, punto, intro_acuerdo)


def seguimiento_acuerdos(a: _Acta, n: int, punto: Punto) -> list[Bloque]:
    """Follow-up of acuerdos: told once, by whoever reported it (the conductor, if nobody else spoke)."""
    intro = f"Para el desahogo del {wording.ordinal_punto(n)} punto del orden del día, relativo al seguimiento de acuerdos"
    blocks, contadas = _primera(
        a,
        punto,
        intro,
        f"{conduce(a)}, informó sobre el estado de los acuerdos adoptados por el Secretariado",
    )
    return (
        blocks
        + intervenciones(a, punto, start=contadas)
        + acuerdos(a, punto, "Se emitió el siguiente acuerdo:")
    )


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
        _parrafo(intro)
        + intervenciones(a, punto, antecedente=False)
        + acuerdos(a, punto, "Se emitió el siguiente acuerdo:")
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
    """Closing time in words; signed at the margin and the foot (000 Cap. VI.7; 001 Art. 7.5; 002 V.7). The
    closing paragraph stays whole on its page, and a line of dashes closes the text."""
    s = a.s
    cierre = (
        f"Para el desahogo del {wording.ordinal_punto(n)} punto del orden del día se procedió a la clausura "
        "de la sesión, por lo que, una vez desahogados los puntos del orden del día, siendo "
        f"{spanish.time_words(s.hora_cierre)} del {spanish.date_words(s.fecha)}, se dio por concluida la "
        f"{wording.nombre_sesion(s)}{_levanta(a)}, firmando al margen y al calce de la presente "
        f"{a.registro.perfil.documento} quienes en ella intervinieron."
    )
    return intervenciones(a, punto) + _eventos(a, "") + [Bloque("cierre", cierre), Bloque("rayas", RAYAS)]


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


def documento(registro: Registro, dictamen: Dictamen) -> Documento:
    """The acta (or minuta, as the profile names it) of a session whose record can have one."""
    a = _Acta(registro, dictamen, _reparto(dictamen))
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
