"""A second editor: reads a generated acta (or minuta), orden del día and convocatoria as a reader gets them — the
PDF through pdftotext, the DOCX through python-docx — against the session's record, and lists every claim that does
not hold and every form a legal document must not contain.

Written apart from the code that words the documents: it imports neither `pipeline.wording`, `pipeline.acta`,
`pipeline.rules` nor the templates. Who was present at the opening and at each vote, the quorum then, who could vote
and how each vote came out are worked out here from the record and the profile, and the numbers and hours the text
gives in words are read back here, so that a mistake in the wording is not repeated by the check.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pipeline.models import (
    Acuerdo,
    Asistente,
    Calidad,
    Integrante,
    Registro,
    Sector,
    Sesion,
    TipoPunto,
    TipoSesion,
)

__all__ = ["revisar_acta", "revisar_convocatoria", "revisar_orden", "texto_docx", "texto_pdf"]


# --- the text as a reader gets it ------------------------------------------------------------------------------


def texto_pdf(pdf: Path, margen_izquierdo: int = 121) -> str:
    """The body of every page, without the rubric margin (acta, minuta) and the footer, in one line of words."""
    paginas = int(re.search(r"Pages:\s+(\d+)", _run(["pdfinfo", str(pdf)]))[1])
    partes = []
    for n in range(1, paginas + 1):
        recorte = ["-x", str(margen_izquierdo), "-y", "0", "-W", str(612 - margen_izquierdo), "-H", "716"]
        partes.append(_run(["pdftotext", "-f", str(n), "-l", str(n), *recorte, str(pdf), "-"]))
    return " ".join(" ".join(partes).split())


def texto_docx(path: Path) -> str:
    """The body of the document (no header nor footer): paragraphs and table rows, in order, in one line."""
    import docx
    from docx.table import Table

    partes = []
    for item in docx.Document(str(path)).iter_inner_content():
        if isinstance(item, Table):
            partes += [" ".join(c.text for c in row.cells) for row in item.rows]
        else:
            partes.append(item.text)
    return " ".join(" ".join(partes).split())


def _run(args: list[str]) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


# --- numbers and hours in words, read back ----------------------------------------------------------------------

_UNIDADES = {
    "cero": 0, "ningún": 0, "ninguno": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4,
    "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
    "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19,
    "veinte": 20, "veintiún": 21, "veintiuno": 21, "veintiuna": 21, "veintidós": 22, "veintitrés": 23,
    "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26, "veintisiete": 27, "veintiocho": 28,
    "veintinueve": 29, "cien": 100,
}  # fmt: skip
_DECENAS = {
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
}
_PALABRA_NUMERO = "|".join(sorted(_UNIDADES, key=len, reverse=True))
NUMERO = rf"(?:(?:treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa)(?: y (?:{_PALABRA_NUMERO}))?|{_PALABRA_NUMERO})"


def numero(palabras: str) -> int:
    """ "treinta y un" → 31, "ningún" → 0: a number under a hundred as the acta writes it."""
    partes = palabras.split(" y ")
    if partes[0] in _DECENAS:
        return _DECENAS[partes[0]] + (_UNIDADES[partes[1]] if len(partes) > 1 else 0)
    return _UNIDADES[palabras]


def _hora(hora: dt.time) -> str:
    """How an hour follows «siendo», written here from scratch: «las catorce horas con treinta y un minutos»."""
    femeninas = {
        v: k for k, v in _UNIDADES.items() if k not in ("un", "uno", "ningún", "ninguno", "veintiún")
    }
    femeninas[1], femeninas[21] = "una", "veintiuna"
    texto = "la una hora" if hora.hour == 1 else f"las {femeninas[hora.hour]} horas"
    if hora.minute:
        decena, unidad = divmod(hora.minute, 10)
        nombres = {
            v: k for k, v in _UNIDADES.items() if k not in ("uno", "una", "ningún", "ninguno", "veintiuno")
        }
        nombres[1], nombres[21] = "un", "veintiún"
        if hora.minute < 30:
            minutos = nombres[hora.minute]
        else:
            decenas = {v: k for k, v in _DECENAS.items()}[decena * 10]
            minutos = decenas + (f" y {nombres[unidad]}" if unidad else "")
        texto += f" con {minutos} {'minuto' if hora.minute == 1 else 'minutos'}"
    return texto


# --- forms no legal document may contain ------------------------------------------------------------------------

_PROHIBIDAS = (
    (r"\bNone\b", "«None»"),
    (r"\b\d{4}-\d{2}-\d{2}\b", "una fecha ISO"),
    (r"\.ya?ml\b", "un nombre de archivo"),
    (r"\bsemilla\b", "«semilla»"),
    (r"POR LLENAR", "«POR LLENAR»"),
    (r"\b[a-z]+_[a-z_]+\b", "un nombre de campo"),
    (r"[Qq]uien preside la sesión", "«quien preside la sesión» (sin nombrar a quien condujo)"),
)


def _oraciones(texto: str) -> list[str]:
    """Sentences: a period after a lowercase letter, a digit, «)», «»» or «”» and before a capital («C.», «A. C.» do
    not end one)."""
    return re.split(r"(?<=[a-záéíóúüñ0-9)»”])\.\s+(?=[A-ZÁÉÍÓÚÑ¿«])", texto)


def _formas(texto: str, registro: Registro) -> list[str]:
    problemas = [
        f"contiene {que}: «{m[0]}»" for patron, que in _PROHIBIDAS for m in [re.search(patron, texto)] if m
    ]
    for m in re.finditer(r"\b(\w+)\s+\1\b", texto, re.IGNORECASE):
        if not m[1].isdigit():
            problemas.append(
                f"palabra repetida: «{m[0]}» en «…{texto[max(0, m.start() - 60) : m.end() + 40]}…»"
            )
    for oracion in _oraciones(texto):
        if oracion.count("quórum legal") > 1:
            problemas.append(f"«quórum legal» dos veces en una oración: «{oracion[:160]}…»")
        citas = re.findall(
            r"el (?:artículo|capítulo|apartado) [\w.]+(?:, (?:numeral|fracción|fracciones) [\w ]+?)?(?=,|$)",
            oracion,
        )
        if len(citas) != len(set(citas)):
            problemas.append(f"la misma cita dos veces en una oración: «{oracion[:200]}»")
    return problemas + _figuras(texto, registro) + _genero(texto, registro)


def _genero(texto: str, registro: Registro) -> list[str]:
    """Each person's cargo with the article of their gender: «la Comisionada…», «del Representante…»."""
    problemas = []
    for p in registro.stl.integrantes:
        ajenos = r"el|del|al" if p.genero == "f" else r"la|de la|a la"
        if m := re.search(rf"\b(?:{ajenos}) {re.escape(p.cargo_corto)}, {re.escape(p.nombre)}", texto):
            problemas.append(f"el artículo no concuerda con {p.nombre}: «{m[0]}»")
    return problemas


def _figuras(texto: str, registro: Registro) -> list[str]:
    """Only the figures the state's rules have, and the record by the name the profile gives it."""
    stl, perfil, problemas = registro.stl, registro.perfil, []
    if not any(p.calidad is Calidad.FACILITADOR for p in stl.integrantes) and re.search(
        r"Facilitador", texto
    ):
        problemas.append("nombra al Facilitador, que este STL no tiene")
    con_enlace = "enlace" in perfil.convoca["destinatarios"] or any(
        p.calidad is Calidad.ENLACE for p in stl.integrantes
    )
    if not con_enlace and (m := re.search(r"\benlaces?\b", texto, re.IGNORECASE)):
        problemas.append(f"nombra «{m[0]}», figura que las reglas de este STL no tienen")
    if perfil.empate["voto_de_calidad"] is None and "voto de calidad" in texto:
        problemas.append("menciona un voto de calidad que el perfil no prevé")
    ajeno = r"\b[Aa]cta\b(?! circunstanciada)" if perfil.documento == "minuta" else r"\bMinuta\b"
    if m := re.search(ajeno, texto):
        problemas.append(f"llama «{m[0]}» al registro de la sesión: en este perfil es {perfil.documento}")
    if not stl.estado.startswith("Estado ") and f"Secretariado Técnico Local de {stl.estado}" in texto:
        problemas.append(f"«Secretariado Técnico Local de {stl.estado}» nombra al municipio, no al Estado")
    return problemas


# --- who was there, worked out from the record ------------------------------------------------------------------


@dataclass(frozen=True)
class _Momento:
    presentes: tuple[str, ...]
    votantes: tuple[str, ...]
    base: int
    quorum: bool


def _llega(a: Asistente) -> dt.time | None:
    return getattr(a, "llega", None)  # records written before arrivals were recorded have none


def _sale(a: Asistente) -> dt.time | None:
    return getattr(a, "sale", None)


class _Sesion:
    """The record of one session, and what follows from it under the profile, worked out without the rules stage."""

    def __init__(self, registro: Registro, sesion_id: str) -> None:
        self.registro, self.stl, self.perfil = registro, registro.stl, registro.perfil
        self.s: Sesion = registro.sesion(sesion_id)
        self.asistencia: tuple[Asistente, ...] = self.s.asistencia or ()

    def p(self, id_: str) -> Integrante:
        return self.stl.integrante(id_)

    def vota(self, a: Asistente) -> bool:
        persona = self.p(a.integrante)
        regla = self.perfil.voto[persona.calidad]["regla"]
        if regla == "siempre":
            return True
        if regla == "nunca" or a.en_lugar_de is None or self.s.asistio(a.en_lugar_de):
            return False
        return regla == "en_suplencia" or persona.con_voto

    def asiento(self, a: Asistente) -> Integrante:
        return self.p(a.en_lugar_de) if a.en_lugar_de else self.p(a.integrante)

    def en(self, hora: dt.time | None) -> _Momento:
        """Who is there at `hora` (None: the opening)."""

        def esta(a: Asistente) -> bool:
            llega, sale = _llega(a), _sale(a)
            if hora is None:
                return llega is None
            return (llega is None or llega <= hora) and (sale is None or hora < sale)

        aqui = [a for a in self.asistencia if esta(a)]
        votan = [a for a in aqui if self.vota(a)]
        base = len(
            [p for p in self.stl.integrantes if p.calidad is Calidad.TITULAR and p.activo(self.s.fecha)]
        )
        minimo = -(-base // 2) + 1 if self.perfil.quorum["minimo"] == "cincuenta_mas_uno" else base // 2 + 1
        civil = any(self.asiento(a).sector is Sector.SOCIEDAD_CIVIL for a in votan)
        quorum = len(votan) >= minimo and (civil or not self.perfil.quorum["sociedad_civil"])
        return _Momento(tuple(a.integrante for a in aqui), tuple(a.integrante for a in votan), base, quorum)

    def rol(self) -> Integrante | None:
        """Whoever the profile has conduct the sessions: the Facilitador, or who presides the STL."""
        quien = (self.perfil.dirige["calidad"] if self.perfil.dirige else None) or (
            "facilitador"
            if any(p.calidad is Calidad.FACILITADOR for p in self.stl.integrantes)
            else "preside"
        )
        for p in self.stl.integrantes:
            if p.activo(self.s.fecha) and (
                p.calidad is Calidad.FACILITADOR if quien == "facilitador" else p.preside
            ):
                return p
        return None

    def conductor(self) -> Integrante | None:
        rol = self.rol()
        if rol and self.s.asistio(rol.id):
            return rol
        if getattr(self.s, "conduce", None):
            return self.p(self.s.conduce)
        return next((p for p in self.stl.integrantes if p.preside and self.s.asistio(p.id)), None)

    def ausentes(self) -> list[Integrante]:
        suplidos = {a.en_lugar_de for a in self.asistencia}
        faltan = [
            p
            for p in self.stl.integrantes
            if p.calidad is Calidad.TITULAR
            and p.activo(self.s.fecha)
            and not self.s.asistio(p.id)
            and p.id not in suplidos
        ]
        rol = self.rol()
        if rol and not self.s.asistio(rol.id) and rol not in faltan:
            faltan.append(rol)
        return faltan

    def hora_del_voto(self, acuerdo: Acuerdo) -> dt.time | None:
        if getattr(acuerdo, "hora", None):
            return acuerdo.hora
        anteriores = [
            a.hora for a in self.s.acuerdos[: self.s.acuerdos.index(acuerdo)] if getattr(a, "hora", None)
        ]
        return anteriores[-1] if anteriores else None


# --- the acta -------------------------------------------------------------------------------------------------


def _entre(texto: str, inicio: str, fin: str) -> str:
    i = texto.find(inicio)
    if i < 0:
        return ""
    j = texto.find(fin, i + len(inicio))
    return texto[i : j if j >= 0 else len(texto)]


def _nombres(segmento: str, ids, x: _Sesion, quienes: str) -> list[str]:
    """The people `ids` are named in `segmento`, and nobody else of the session's attendees or roster is."""
    problemas = [f"{quienes}: falta {x.p(i).nombre}" for i in ids if x.p(i).nombre not in segmento]
    suplidos = {a.en_lugar_de for a in x.asistencia if a.integrante in ids}  # «en suplencia de …»
    otros = {p.id for p in x.stl.integrantes} - set(ids) - suplidos
    problemas += [f"{quienes}: nombra a {x.p(i).nombre}" for i in otros if x.p(i).nombre in segmento]
    return problemas


def _pase_de_lista(texto: str, x: _Sesion) -> list[str]:
    problemas = []
    apertura = x.en(None)
    oracion = next((o for o in _oraciones(texto) if "procedió al pase de lista" in o), "")
    if not oracion:
        return ["no hay pase de lista"]
    rol, conductor = x.rol(), x.conductor()
    if conductor is None or conductor.nombre not in oracion.split("procedió al pase de lista")[0]:
        problemas.append(
            f"el pase de lista no lo hace quien condujo ({conductor.nombre if conductor else 'nadie'})"
        )
    if (
        rol
        and not x.s.asistio(rol.id)
        and not re.search(rf"En ausencia de(l| la) .*{re.escape(rol.nombre)}, condujo la sesión", oracion)
    ):
        problemas.append(
            f"no dice que {rol.nombre}, que dirige las sesiones, no asistió y quién condujo en su lugar"
        )
    suplidos = {a.en_lugar_de for a in x.asistencia if a.integrante in apertura.presentes}
    titulares = [p for p in x.stl.integrantes if p.calidad is Calidad.TITULAR and p.activo(x.s.fecha)]
    totalidad = all(t.id in apertura.presentes or t.id in suplidos for t in titulares) and (
        rol is None or rol.id in apertura.presentes
    )
    lista = oracion.split("procedió al pase de lista", 1)[1]
    if "la totalidad de integrantes" in oracion:
        if not totalidad:
            problemas.append("dice «la totalidad de integrantes», pero no estaban todos")
        problemas += _nombres(lista, apertura.presentes, x, "la lista de la totalidad")
        return problemas
    if totalidad and titulares:
        problemas.append("estaban todos, pero no lo dice")
    if apertura.quorum != ("se contaba con quórum legal" in oracion):
        problemas.append(
            f"el quórum al abrir es {'cierto' if apertura.quorum else 'falso'}, pero dice «{oracion[:200]}»"
        )
    if cuenta := re.search(rf"({NUMERO}) de ({NUMERO}) integrantes con derecho a voto", oracion):
        n, base = numero(cuenta[1]), numero(cuenta[2])
        if (n, base) != (len(apertura.votantes), apertura.base):
            problemas.append(
                f"dice {n} de {base} con derecho a voto; son {len(apertura.votantes)} de {apertura.base}"
            )
        problemas += _nombres(
            lista.split("integrantes con derecho a voto", 1)[1],
            apertura.votantes,
            x,
            "los que votan al abrir",
        )
    voz = [i for i in apertura.presentes if i not in apertura.votantes]
    con_voz = _entre(texto, "Asimismo, se encontraban presentes, con derecho a voz", ".")
    if voz or con_voz:
        problemas += _nombres(con_voz, voz, x, "los presentes con voz")
    return problemas


def _presentes_y_ausentes(texto: str, x: _Sesion) -> list[str]:
    problemas = _nombres(
        _entre(texto, "se presentaron:", "con la finalidad"), x.en(None).presentes, x, "«se presentaron»"
    )
    ausentes = [p.id for p in x.ausentes()]
    inasistencia = _entre(texto, "Se hace constar la inasistencia de", ".")
    if ausentes or inasistencia:
        problemas += _nombres(inasistencia, ausentes, x, "la inasistencia")
    for a in x.asistencia:
        for hora, hecho in ((_llega(a), "se incorporó a la sesión"), (_sale(a), "se retiró de la sesión")):
            oraciones = [o for o in _oraciones(texto) if hecho in o and x.p(a.integrante).nombre in o]
            if hora and not oraciones:
                problemas.append(f"no dice que {x.p(a.integrante).nombre} {hecho}")
            elif hora and f"Siendo {_hora(hora)}," not in oraciones[0]:
                problemas.append(
                    f"{x.p(a.integrante).nombre} {hecho} a {_hora(hora)}; dice «{oraciones[0][:120]}»"
                )
            elif hora and hecho.startswith("se retiró") and "subsistiendo el quórum" in oraciones[0]:
                despues = x.en(hora)
                cuenta = re.search(rf"({NUMERO}) de ({NUMERO}) integrantes", oraciones[0])
                if not despues.quorum or not cuenta or numero(cuenta[1]) != len(despues.votantes):
                    problemas.append(
                        f"«subsistiendo el quórum» no es cierto o no cuenta bien: «{oraciones[0]}»"
                    )
            elif not hora and oraciones:
                problemas.append(
                    f"dice que {x.p(a.integrante).nombre} {hecho}, pero estuvo de principio a fin"
                )
    return problemas


@dataclass(frozen=True)
class _Voto:
    favor: tuple[str, ...]
    contra: tuple[str, ...]
    abst: tuple[str, ...]
    recusados: int
    votantes: tuple[str, ...]


def _voto(x: _Sesion, acuerdo: Acuerdo) -> _Voto:
    m = x.en(x.hora_del_voto(acuerdo))
    v = acuerdo.votacion
    contra = tuple(w for w in v.en_contra if w in m.votantes)
    abst = tuple(w for w, _ in v.abstenciones if w in m.votantes)
    favor = tuple(
        w
        for w in (v.a_favor if v.a_favor is not None else m.votantes)
        if w in m.votantes and w not in contra + abst
    )
    recusados = sum(1 for w, motivo in v.abstenciones if w in m.votantes and motivo)
    return _Voto(favor, contra, abst, recusados, m.votantes)


def _mayoria(x: _Sesion, voto: _Voto) -> bool:
    if x.perfil.decision["regla"] == "mayoria_presentes":
        mayoria = 2 * len(voto.favor) > len(voto.votantes) - voto.recusados
    else:
        mayoria = len(voto.favor) > len(voto.contra)
    if x.perfil.decision["voto_sociedad_civil"]:
        asientos = {a.integrante: x.asiento(a) for a in x.asistencia}
        mayoria = mayoria and any(asientos[w].sector is Sector.SOCIEDAD_CIVIL for w in voto.favor)
    return mayoria


def _acuerdo(texto: str, x: _Sesion, acuerdo: Acuerdo, tipo: TipoPunto) -> list[str]:
    """The acuerdo's box: the outcome it states and the counts and names it gives, against the ballots."""
    i = texto.find(f"{acuerdo.folio} Por el que, ")
    if i < 0:
        return [f"no está el acuerdo {acuerdo.folio}"]
    caja = texto[i + len(acuerdo.folio) + 1 : i + 2500]
    objeto = acuerdo.texto or (
        "el orden del día"
        if tipo is TipoPunto.ORDEN_DEL_DIA
        else ("el Acta" if x.perfil.documento == "acta" else "la Minuta")
    )
    corte = caja.find(f" {' '.join(objeto.split())}")
    dice = caja[: corte if corte > 0 else 400]
    voto, problemas = _voto(x, acuerdo), []
    formas = {
        "se aprueba por unanimidad de votos": not voto.contra
        and not voto.abst
        and bool(voto.favor)
        and _mayoria(x, voto),
        "se aprueba por unanimidad de los votos emitidos": not voto.contra
        and bool(voto.abst)
        and _mayoria(x, voto),
        "se aprueba por mayoría de votos": bool(voto.contra)
        and len(voto.favor) != len(voto.contra)
        and _mayoria(x, voto),
        "se rechaza por mayoría de votos": len(voto.contra) > len(voto.favor),
        "se aprueba con el voto de calidad": len(voto.favor) == len(voto.contra) > 0,
        "no se aprueba, por el voto de calidad": len(voto.favor) == len(voto.contra) > 0,
        "no se aprueba, ante el empate": len(voto.favor) == len(voto.contra) > 0,
        "no se aprueba, al no contar con el voto a favor de la sociedad civil": not _mayoria(x, voto),
        "no se aprueba, al no reunir la mayoría": not _mayoria(x, voto)
        and len(voto.contra) <= len(voto.favor),
    }
    dicha = [f for f in formas if dice.startswith(f"Por el que, {f}")]
    if len(dicha) != 1:
        return [f"{acuerdo.folio}: no dice su resultado en una forma conocida: «{dice[:120]}»"]
    if not formas[dicha[0]]:
        problemas.append(
            f"{acuerdo.folio} dice «{dicha[0]}»: a favor {voto.favor}, en contra {voto.contra}, abstenciones {voto.abst}"
        )
    if "unanimidad de votos" not in dicha[0]:
        for sentido, ids in (("a favor", voto.favor), ("en contra", voto.contra)):
            m = re.search(rf"({NUMERO}) votos? {sentido}", dice)
            if (numero(m[1]) if m else 0) != len(ids):
                problemas.append(
                    f"{acuerdo.folio}: cuenta {m[0] if m else 'ningún voto'} {sentido}; son {len(ids)}"
                )
        m = re.search(rf"({NUMERO}) abstenci", dice)
        if (numero(m[1]) if m else 0) != len(voto.abst):
            problemas.append(
                f"{acuerdo.folio}: cuenta {m[0] if m else 'ninguna abstención'}; son {len(voto.abst)}"
            )
        en_contra, _, abstencion = dice.partition(" abstenci")
        en_contra = en_contra.partition(" en contra")[2]
        problemas += [
            f"{acuerdo.folio}: no nombra el voto en contra de {x.p(w).nombre}"
            for w in voto.contra
            if x.p(w).nombre not in en_contra
        ]
        problemas += [
            f"{acuerdo.folio}: no nombra la abstención de {x.p(w).nombre}"
            for w in voto.abst
            if x.p(w).nombre not in abstencion
        ]
        problemas += [
            f"{acuerdo.folio}: pone a {x.p(w).nombre}, que votó a favor, en contra o en abstención"
            for w in voto.favor
            if x.p(w).nombre in en_contra + abstencion and "voto de calidad" not in dice
        ]
        if re.search(r"en contra, de(l| la) ", dice) or re.search(r"abstenci(ón|ones), de(l| la) ", dice):
            problemas.append(f"{acuerdo.folio}: una coma separa el voto de quien lo emitió: «{dice[:200]}»")
    return problemas


def revisar_acta(texto: str, registro: Registro, sesion_id: str) -> list[str]:
    """Every problem of the acta's (or minuta's) text against its record; empty when it says only what happened."""
    x = _Sesion(registro, sesion_id)
    problemas = _formas(texto, registro) + _pase_de_lista(texto, x) + _presentes_y_ausentes(texto, x)
    if m := re.search(r"(?:[IVXLC]+\. -|:) Por su parte", texto):
        problemas.append(f"«Por su parte» sin antecedente: «{texto[max(0, m.start() - 80) : m.end() + 40]}»")
    vigentes = [(a, p.tipo) for p in x.s.orden_aprobado for a in p.acuerdos]
    for acuerdo, tipo in vigentes:
        problemas += _acuerdo(texto, x, acuerdo, tipo)
    folios = re.findall(r"\b([A-Z]{2,10}/(?:EXT-)?[IVXLCDM]+/\d+/\d{4}) Por el que,", texto)
    if sorted(folios) != sorted(a.folio for a, _ in vigentes):
        problemas.append(f"acuerdos en el texto {folios}; en el registro {[a.folio for a, _ in vigentes]}")
    if texto.count("Esta hoja corresponde") != 1:
        problemas.append(
            f"«Esta hoja corresponde…» {texto.count('Esta hoja corresponde')} veces en el cuerpo (una, en la hoja de firmas)"
        )
    if not re.search(r"quienes en ella intervinieron\. -{40,}", texto):
        problemas.append("el texto no se cierra con una línea de guiones antes de la hoja de firmas")
    if x.s.hora_cierre and f"siendo {_hora(x.s.hora_cierre)} del" not in texto:
        problemas.append(f"no cierra a {_hora(x.s.hora_cierre)}")
    if x.s.convocatoria and not x.s.convocatoria.folio and "oficio número" in texto:
        problemas.append("da un número de oficio que la convocatoria no tiene")
    nombre = "Minuta" if registro.perfil.documento == "minuta" else "Acta"
    if f"corresponde {'a la' if nombre == 'Minuta' else 'al'} {nombre} de la" not in texto:
        problemas.append(f"la hoja de firmas no dice que corresponde a la {nombre.lower()}")
    return problemas


# --- the orden del día and the convocatoria -----------------------------------------------------------------


def revisar_orden(texto: str, registro: Registro, sesion_id: str) -> list[str]:
    s = registro.sesion(sesion_id)
    problemas = _formas(texto, registro)
    numeros = [int(n) for n in re.findall(r"(?:^|\s)(\d{1,2})\. (?=[A-ZÁÉÍÓÚ])", texto)]
    if numeros != list(range(1, len(s.orden_convocado) + 1)):
        problemas.append(
            f"el orden del día numera {numeros}; el registro convoca {len(s.orden_convocado)} puntos"
        )
    return problemas


def _cita(cita: str) -> str:
    """ "Art. 7.2" → "7, numeral 2"; "Cap. VI.4" → "VI, numeral 4"; "V.4" → "V, numeral 4"."""
    m = re.match(r"^(?:(?:Cap|Art)\.\s*)?([0-9]+|[IVXLCDM]+)\.([0-9]+)", cita.split(";")[0].strip())
    return f"{m[1]}, numeral {m[2]}" if m else ""


def revisar_convocatoria(texto: str, registro: Registro, sesion_id: str) -> list[str]:
    s, perfil = registro.sesion(sesion_id), registro.perfil
    problemas = _formas(texto, registro) + revisar_orden(
        texto.split("Anexo del oficio", 1)[-1], registro, sesion_id
    )
    convocados = [
        p for p in registro.stl.integrantes
        if p.calidad.value in perfil.convoca["destinatarios"] and p.activo(s.fecha) and p.id != s.convocatoria.convoca
    ]  # fmt: skip
    cuerpo = texto.split("Anexo del oficio", 1)[0]
    problemas += [f"no convoca a {p.nombre}" for p in convocados if p.nombre not in cuerpo]
    if (
        s.tipo is TipoSesion.EXTRAORDINARIA
        and perfil.extraordinarias
        and _cita(perfil.extraordinarias.cita) not in cuerpo
    ):
        problemas.append(f"la convocatoria extraordinaria no cita {perfil.extraordinarias.cita}")
    if not re.search(r"Con fundamento en .* me permito convocarles", cuerpo):
        problemas.append("la convocatoria no da su fundamento")
    return problemas
