"""Sessions of the three bundled profiles and a fourth, custom one, written as records (YAML in a folder), as a person
writes them: the scenarios of tests/test_hechos.py and the generated space of tests/test_espacio.py.

Every document of a session (acta or minuta, orden del día, convocatoria) is made as `stl` makes it, in PDF and DOCX,
and read back as text for the checker (tests/checker.py).
"""

from __future__ import annotations

from pathlib import Path

import yaml

import checker
from pipeline import records, render, render_docx, rules
from pipeline.errors import RecordsError

PERFILES = ("edomex", "zacatecas", "jalisco", "propio")


def _p(id_, nombre, genero, cargo_corto, sector, calidad="titular", **kw) -> dict:
    return {
        "id": id_,
        "nombre": nombre,
        "genero": genero,
        "cargo": kw.pop("cargo", cargo_corto),
        "cargo_corto": cargo_corto,
        "sector": sector,
        "calidad": calidad,
        **kw,
    }


# Who sits in each STL: titulares of several sectors (one of civil society), a suplente, an enlace where the rules
# have one, a guest, and the Facilitador or who presides. Names are all different words (no doubled word by chance).
ROSTERS = {
    "edomex": [
        _p("og", "Zulema Martínez Sánchez", "f", "Comisionada Presidenta del Infoem", "organo_garante",
           representacion="Representante del Órgano Garante"),
        _p("ep", "Javier Vargas Zempoaltecatl", "m", "Representante de los Entes Públicos", "ente_publico"),
        _p("ep2", "Héctor Ruiz Camacho", "m", "Representante de los Municipios", "gobierno_municipal"),
        _p("sc", "Daniel Cervantes Pérez", "m", "Representante de la Sociedad Civil", "sociedad_civil"),
        _p("ac", "Rosa Haro Delgado", "f", "Representante de la Academia", "academia"),
        _p("s-ep", "Fernanda Lozano Gutiérrez", "f", "Suplente de los Entes Públicos", "ente_publico", "suplente", de="ep"),
        _p("e-og", "Carlos Méndez Lira", "m", "Enlace del Infoem", "organo_garante", "enlace", de="og", con_voto=True),
        _p("inv", "Luis Parra Noriega", "m", "Comisionado del Infoem", "organo_garante", "invitado"),
        _p("fac", "Rafael Funes Díaz", "m", "Facilitador del Secretariado Técnico Local", "sociedad_civil", "facilitador"),
    ],
    "zacatecas": [
        _p("garante", "Norma Ríos Valdez", "f", "Comisionada Presidenta del IZAI", "organo_garante",
           representacion="Representante de la Comisión de Transparencia"),
        _p("ejecutivo", "Raúl Esparza Luévano", "m", "Representante del Poder Ejecutivo", "poder_ejecutivo"),
        _p("legislativo", "Gabriela Márquez Ortiz", "f", "Representante del Poder Legislativo", "poder_legislativo"),
        _p("judicial", "Tomás Ledesma Bañuelos", "m", "Representante del Poder Judicial", "poder_judicial"),
        _p("municipio", "Lorena Castañeda Félix", "f", "Representante de los Gobiernos Municipales", "gobierno_municipal"),
        _p("civil", "Miguel Robles Soto", "m", "Representante de la Sociedad Civil Organizada", "sociedad_civil"),
        _p("academia", "Elena Haro Villa", "f", "Representante de las Instituciones Educativas", "academia"),
        _p("s-judicial", "Andrés Villagrana Pinedo", "m", "Suplente del Poder Judicial", "poder_judicial", "suplente",
           de="judicial"),
        _p("facilitadora", "Silvia Acevedo Rentería", "f", "Facilitadora del Secretariado Técnico Local", "academia",
           "facilitador"),
    ],
    "jalisco": [
        _p("garante", "Ana Herrera Cortés", "f", "Presidenta del ITEI y del STL", "organo_garante", preside=True),
        _p("ejecutivo", "Jorge Sandoval Díaz", "m", "Representante del Poder Ejecutivo", "poder_ejecutivo"),
        _p("judicial", "Ricardo Solís Estrada", "m", "Representante del Poder Judicial", "poder_judicial"),
        _p("legislativo", "Mariana Ochoa Villaseñor", "f", "Representante del Poder Legislativo", "poder_legislativo"),
        _p("municipio", "Héctor Alcalá Ramos", "m", "Representante de los Ayuntamientos", "gobierno_municipal"),
        _p("civil", "Paula Robles Medina", "f", "Representante de la Sociedad Civil", "sociedad_civil"),
        _p("s-civil", "Irma Trujillo Zamora", "f", "Suplente de la Sociedad Civil", "sociedad_civil", "suplente", de="civil"),
        _p("e-garante", "Óscar Peña Lozada", "m", "Enlace del ITEI", "organo_garante", "enlace", de="garante"),
    ],
    "propio": [
        _p("garante", "Beatriz Ochoa Ruvalcaba", "f", "Comisionada Presidenta del Instituto", "organo_garante",
           preside=True),
        _p("ejecutivo", "Dolores Ávila Tostado", "f", "Representante del Ejecutivo", "poder_ejecutivo"),
        _p("civil", "Ernesto Quiñones Paz", "m", "Representante de la Sociedad Civil", "sociedad_civil"),
        _p("academia", "Karla Espinosa Fierro", "f", "Representante de la Academia", "academia"),
        _p("s-civil", "Gustavo Ibáñez Mora", "m", "Suplente de la Sociedad Civil", "sociedad_civil", "suplente",
           de="civil"),
        _p("fac", "Josefina Uribe Galindo", "f", "Facilitadora del Secretariado Técnico Local", "sociedad_civil",
           "facilitador"),
    ],
}  # fmt: skip

ESTADOS = {"edomex": "Estado de México", "zacatecas": "Zacatecas", "jalisco": "Jalisco", "propio": "Oaxaca"}

# A fourth state's rules, as `stl init --perfil oaxaca.yaml` would take them: 50 % + 1 with civil society, a majority
# of the votes cast, abstention only with cause, the President's casting vote; who convenes and the notice are in
# the same article (cited once), and no article of its own for extraordinary sessions.
PERFIL_PROPIO = {
    "id": "propio",
    "nombre": "Lineamientos del Secretariado Técnico Local de Gobierno Abierto del Estado de Oaxaca",
    "fuente": "005",
    "documento": "acta",
    "voto": {
        "titular": {"regla": "siempre", "cita": "Art. 4"},
        "suplente": {"regla": "en_suplencia", "cita": "Art. 4"},
        "enlace": {"regla": "nunca", "cita": "Art. 4"},
        "invitado": {"regla": "nunca", "cita": "Art. 4"},
        "facilitador": {"regla": "nunca", "cita": "Art. 9"},
    },
    "quorum": {"minimo": "cincuenta_mas_uno", "sociedad_civil": True, "cita": "Art. 12"},
    "decision": {"regla": "mayoria_emitidos", "voto_sociedad_civil": False, "cita": "Art. 14"},
    "abstencion": {
        "regla": "justificada",
        "motivos": ["impedimento", "conflicto_de_interes"],
        "cita": "Art. 14",
    },
    "empate": {"voto_de_calidad": "presidente", "cita": "Art. 14"},
    "aviso": {"ordinaria": 3, "extraordinaria": 1, "cita": "Art. 13"},
    "frecuencia": {"sesiones_meses": 2, "cita": "Art. 11"},
    "remocion": {"ausencias_consecutivas": None, "cita": "Art. 6"},
    "convoca": {"calidad": "organo_garante", "destinatarios": ["titular", "suplente"], "cita": "Art. 13"},
    "dirige": {"calidad": "facilitador", "cita": "Art. 9"},
    "redacta": {"calidad": "facilitador", "cita": "Art. 9"},
    "firman": {"calidades": ["titular", "suplente", "facilitador"], "cita": "Art. 15"},
}

CONVOCA = {"edomex": "fac", "zacatecas": "garante", "jalisco": "garante", "propio": "garante"}


def stl(perfil: str) -> dict:
    estado = ESTADOS[perfil]
    del_estado = f"del {estado}" if estado.startswith("Estado ") else f"del Estado de {estado}"
    return {
        "nombre": f"Secretariado Técnico Local de Gobierno Abierto {del_estado}",
        "estado": estado,
        "ciudad": "Ciudad Capital",
        "perfil": perfil,
        "organo_garante": {"nombre": "Instituto de Transparencia del Estado", "siglas": "ITE"},
        "folio": {"prefijo": "STL"},
        "integrantes": ROSTERS[perfil],
    }


def anterior(perfil: str) -> dict:
    """The session whose record the generated ones approve: the first ordinary one of 2021, everyone there."""
    titulares = [p["id"] for p in ROSTERS[perfil] if p["calidad"] in ("titular", "facilitador")]
    return {
        "tipo": "ordinaria",
        "numero": 1,
        "fecha": "2021-01-14",
        "hora_inicio": "10:00",
        "hora_cierre": "11:00",
        "modalidad": {"tipo": "virtual", "plataforma": "Plataforma virtual Zoom"},
        "convocatoria": {"folio": "STL/001/2021", "fecha": "2021-01-04", "convoca": CONVOCA[perfil]},
        "asistencia": titulares,
        "orden_del_dia": [
            {"tipo": "quorum"},
            {"tipo": "orden_del_dia", "acuerdos": [{"votacion": "unanimidad"}]},
            {"tipo": "clausura"},
        ],
    }


def sesion(perfil: str, asistencia: list, orden: list, **campos) -> dict:
    """The second ordinary session of 2021 (II-2021), convened by whom the profile says, with ample notice."""
    return {
        "tipo": "ordinaria",
        "numero": 2,
        "fecha": "2021-03-10",
        "hora_inicio": "10:00",
        "hora_cierre": "12:30",
        "modalidad": {"tipo": "presencial", "lugar": "la Sala de Plenos del Instituto"},
        "convocatoria": {"folio": "STL/002/2021", "fecha": "2021-02-22", "convoca": CONVOCA[perfil]},
        "asistencia": asistencia,
        "orden_del_dia": orden,
        **campos,
    }


def arbol(carpeta: Path, perfil: str, sesiones: dict[str, dict]) -> Path:
    """A records folder: stl.yaml, the session before, `sesiones` (id → record) and, for the fourth state, its
    profile in perfiles/."""
    carpeta.mkdir(parents=True, exist_ok=True)
    (carpeta / "sesiones").mkdir(exist_ok=True)
    _yaml(carpeta / "stl.yaml", stl(perfil))
    if perfil == "propio":
        (carpeta / "perfiles").mkdir(exist_ok=True)
        _yaml(carpeta / "perfiles/propio.yaml", PERFIL_PROPIO)
    _yaml(carpeta / "sesiones/I-2021.yaml", anterior(perfil))
    for sid, datos in sesiones.items():
        _yaml(carpeta / f"sesiones/{sid}.yaml", datos)
    return carpeta


def _yaml(path: Path, datos: dict) -> None:
    path.write_text(yaml.safe_dump(datos, allow_unicode=True, sort_keys=False), "utf-8")


def validar(carpeta: Path, sid: str = "II-2021") -> list[str]:
    """What `stl validar` refuses, in its words (records, then rules); empty when the session passes."""
    try:
        registro = records.load(carpeta)
    except RecordsError as exc:
        return [str(exc)]
    return [str(p) for p in rules.dictaminar(registro, sid).errores]


def documentos(carpeta: Path, salida: Path, sid: str = "II-2021") -> dict[str, tuple[str, str]]:
    """The acta (or minuta), the orden del día and the convocatoria of `sid`: (PDF text, DOCX text) each."""
    registro = records.load(carpeta)
    s = registro.sesion(sid)
    hechos = {
        "acta": render.acta(registro, rules.dictaminar(registro, sid)),
        "orden": render.orden(registro, s),
        "convocatoria": render.convocatoria(registro, s, s.convocatoria.folio),
    }
    salida.mkdir(parents=True, exist_ok=True)
    textos = {}
    for clase, doc in hechos.items():
        pdf, docx = salida / f"{clase}.pdf", salida / f"{clase}.docx"
        pdf.write_bytes(render.pdf(doc)[0])
        docx.write_bytes(render_docx.docx(doc))
        textos[clase] = (checker.texto_pdf(pdf, 121 if clase == "acta" else 0), checker.texto_docx(docx))
    return textos


REVISORES = {
    "acta": checker.revisar_acta,
    "orden": checker.revisar_orden,
    "convocatoria": checker.revisar_convocatoria,
}


def revisar(carpeta: Path, salida: Path, sid: str = "II-2021", textos: dict | None = None) -> list[str]:
    """Every problem the checker finds in the three documents of `sid` (`textos`, or made now), in both formats."""
    registro = records.load(carpeta)
    problemas = []
    for clase, (pdf, docx) in (textos or documentos(carpeta, salida, sid)).items():
        for formato, texto in (("PDF", pdf), ("DOCX", docx)):
            problemas += [f"{clase} {formato}: {p}" for p in REVISORES[clase](texto, registro, sid)]
    return problemas
