"""The acta says only what happened (issue 25): each visible example of the issue, as a record, read back by the
checker (tests/checker.py) in PDF and DOCX and by the sentence it is about.

Facts first: who attended and when they arrived or left, who conducted, each vote; the rules derive who was present at
the opening and at each vote, the quorum then and each outcome's class; the documents only word those facts, with
the words of the profile (acta or minuta, the STL's full name, the figures its rules have, the legal basis).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from click.testing import CliRunner

import checker
import escenarios as e
from builders import ROOT
from pipeline import records, render, rules
from pipeline.cli import main

EDOMEX_TODOS = ["og", "ep", "ep2", "sc", "ac", "fac"]


def _orden(*puntos) -> list:
    return [
        {"tipo": "quorum"},
        {"tipo": "orden_del_dia", "acuerdos": [{"votacion": "unanimidad"}]},
        *puntos,
        {"tipo": "clausura"},
    ]


def _asunto(clave: str, *intervenciones, acuerdos=()) -> dict:
    punto = {
        "clave": clave,
        "texto": f"Presentación del informe de {clave}",
        "intervenciones": list(intervenciones),
    }
    if acuerdos:
        punto["acuerdos"] = list(acuerdos)
    return punto


def _dice(orador, texto) -> dict:
    return {"orador": orador, "texto": texto}


def _acta(textos) -> str:
    """The acta's text as pdftotext reads it (the checker has read both formats already)."""
    return textos["acta"][0]


def _sin_problemas(carpeta, tmp_path) -> dict:
    assert e.validar(carpeta) == []
    textos = e.documentos(carpeta, tmp_path / "salida")
    problemas = e.revisar(carpeta, tmp_path / "salida", textos=textos)
    assert problemas == [], "\n".join(problemas)
    return textos


# --- who attended and who conducted ---------------------------------------------------------------------------


def test_without_the_facilitador_the_acta_says_so_and_names_who_conducted(tmp_path):
    """«constatando que se contaba con la totalidad de integrantes» was false, the Facilitador's absence unsaid and
    «Quien preside la sesión, en uso de la voz procedió al pase de lista…» named nobody."""
    sesion = e.sesion("edomex", ["og", "ep", "ep2", "sc", "ac"], _orden(), conduce="og")
    carpeta = e.arbol(tmp_path / "r", "edomex", {"II-2021": sesion})
    acta = _acta(_sin_problemas(carpeta, tmp_path))
    assert "totalidad" not in acta and "quien preside" not in acta.lower()
    assert (
        "En ausencia del Facilitador del Secretariado Técnico Local, Rafael Funes Díaz, condujo la sesión la "
        "Comisionada Presidenta del Infoem, Zulema Martínez Sánchez, quien en uso de la voz procedió al pase de lista"
        in acta
    )
    assert (
        "Se hace constar la inasistencia de Rafael Funes Díaz, Facilitador del Secretariado Técnico Local."
        in acta
    )
    assert (
        "constatando que se contaba con quórum legal, con cinco de cinco integrantes con derecho a voto:"
        in acta
    )


def test_without_the_facilitador_nor_who_conducted_validar_asks_for_it(tmp_path):
    carpeta = e.arbol(tmp_path / "r", "edomex", {"II-2021": e.sesion("edomex", ["og", "ep", "sc"], _orden())})
    [error] = e.validar(carpeta)
    assert (
        "no asistió Rafael Funes Díaz, que dirige las sesiones: diga quién condujo la sesión en «conduce»"
        in error
    )
    assert "000, Cap. XI.5" in error


def test_a_convocatoria_without_folio_never_reads_oficio_numero_none(tmp_path):
    sesion = e.sesion("edomex", EDOMEX_TODOS, _orden())
    del sesion["convocatoria"]["folio"]
    carpeta = e.arbol(tmp_path / "r", "edomex", {"II-2021": sesion})
    registro = records.load(carpeta)
    acta = render.acta(registro, rules.dictaminar(registro, "II-2021"))
    assert "None" not in acta.apertura
    assert (
        "convocados por el Facilitador C. Rafael Funes Díaz, mediante oficio, de fecha veintidós de febrero"
        in acta.apertura
    )


# --- departures, arrivals and the quorum at each vote ---------------------------------------------------------


def _con_idas_y_venidas() -> dict:
    asistencia = [
        "og",
        {"integrante": "ep", "sale": "11:00"},
        "ep2",
        "sc",
        {"integrante": "ac", "llega": "10:20"},
        "fac",
    ]
    punto = _asunto(
        "plan",
        _dice("sc", "presentó el avance del plan de acción local."),
        acuerdos=[{"texto": "el avance del plan de acción local", "hora": "11:30", "votacion": "unanimidad"}],
    )
    orden = _orden(punto)
    orden[1]["acuerdos"][0]["hora"] = "10:05"  # the agenda, approved before anyone came or went
    return e.sesion("edomex", asistencia, orden)


def test_who_leaves_before_a_vote_does_not_vote_and_the_quorum_is_counted_again(tmp_path):
    """A member who left could not be recorded: validar demanded his vote, then refused the unanimity."""
    carpeta = e.arbol(tmp_path / "r", "edomex", {"II-2021": _con_idas_y_venidas()})
    acta = _acta(_sin_problemas(carpeta, tmp_path))
    assert (
        "Siendo las diez horas con veinte minutos, se incorporó a la sesión la Representante de la Academia, Rosa "
        "Haro Delgado." in acta
    )
    assert (
        "Siendo las once horas, se retiró de la sesión el Representante de los Entes Públicos, Javier Vargas "
        "Zempoaltecatl, subsistiendo el quórum legal, con cuatro de cinco integrantes con derecho a voto presentes."
        in acta
    )
    assert (
        "STL/II/2/2021 Por el que, se aprueba por unanimidad de votos el avance del plan de acción local."
        in acta
    )
    assert "Rosa Haro Delgado" not in acta.split("se presentaron:")[1].split("con la finalidad")[0]
    d = rules.dictaminar(records.load(carpeta), "II-2021")
    assert [r.momento.votantes for r in d.resultados] == [
        ("og", "ep", "ep2", "sc"),
        ("og", "ep2", "sc", "ac"),
    ]
    resumen = CliRunner().invoke(main, ["--registros", str(carpeta), "validar", "II-2021"])
    assert resumen.exit_code == 0, resumen.output
    assert (
        "11:00 se retira Javier Vargas Zempoaltecatl: hay quórum — 4 de 5 integrantes con voto"
        in resumen.output
    )


def test_a_vote_without_quorum_is_an_error_and_so_is_the_vote_of_who_had_left(tmp_path):
    sesion = _con_idas_y_venidas()
    sesion["asistencia"][1] = {"integrante": "ep", "sale": "10:30"}
    sesion["asistencia"][2] = {"integrante": "ep2", "sale": "10:45"}
    sesion["asistencia"][3] = {"integrante": "sc", "sale": "11:10"}
    sesion["orden_del_dia"][2]["acuerdos"][0]["votacion"] = {"a_favor": ["og", "ac", "sc"]}
    carpeta = e.arbol(tmp_path / "r", "edomex", {"II-2021": sesion})
    errores = " | ".join(e.validar(carpeta))
    assert (
        "STL/II/2/2021 se votó sin quórum: 2 de 5 integrantes con voto presentes (mínimo 3: mayoría)"
        in errores
    )
    assert "Daniel Cervantes Pérez vota en STL/II/2/2021, pero se había retirado a las 11:10" in errores


def test_a_vote_whose_time_decides_who_was_there_must_give_it(tmp_path):
    sesion = _con_idas_y_venidas()
    del sesion["orden_del_dia"][1]["acuerdos"][0]["hora"]
    carpeta = e.arbol(tmp_path / "r", "edomex", {"II-2021": sesion})
    errores = " | ".join(e.validar(carpeta))
    assert (
        "no se sabe si Javier Vargas Zempoaltecatl (sale a las 11:00) y Rosa Haro Delgado (llega a las 10:20) estaban "
        "al votarse STL/II/1/2021" in errores
    )
    assert "anote la hora de la votación («hora»)" in errores


def test_arrivals_and_departures_are_checked_against_the_session_hours(tmp_path):
    sesion = _con_idas_y_venidas()
    sesion["asistencia"][1] = {"integrante": "ep", "sale": "13:00"}
    sesion["asistencia"][4] = {"integrante": "ac", "llega": "09:00"}
    carpeta = e.arbol(tmp_path / "r", "edomex", {"II-2021": sesion})
    [error] = e.validar(carpeta)
    assert (
        "asistencia[1].sale]: Javier Vargas Zempoaltecatl sale a las 13:00, no antes del cierre (12:30)"
        in error
    )
    assert (
        "asistencia[4].llega]: Rosa Haro Delgado llega a las 09:00, no después de abrir la sesión (10:00)"
        in error
    )


# --- the votes ---------------------------------------------------------------------------------------------------


def test_a_rejected_proposal_and_an_abstention_without_votes_against_in_zacatecas(tmp_path):
    """«no se aprueba, con dos votos a favor y cuatro votos en contra» lacked «por mayoría de votos»; «por mayoría
    de votos, con cinco votos a favor y una abstención» was a unanimity of the votes cast."""
    todos = [
        "garante",
        "ejecutivo",
        "legislativo",
        "judicial",
        "municipio",
        "civil",
        "academia",
        "facilitadora",
    ]
    rechazo = {
        "texto": "la sede itinerante",
        "votacion": {"a_favor": ["garante", "civil"], "en_contra": ["ejecutivo", "legislativo", "judicial", "municipio"],
                     "abstenciones": [{"integrante": "academia"}]},
    }  # fmt: skip
    emitidos = {
        "texto": "el calendario de sesiones",
        "votacion": {"abstenciones": [{"integrante": "legislativo"}]},
    }
    punto = _asunto(
        "sede", _dice("municipio", "propuso sesionar en cada municipio."), acuerdos=[rechazo, emitidos]
    )
    carpeta = e.arbol(tmp_path / "r", "zacatecas", {"II-2021": e.sesion("zacatecas", todos, _orden(punto))})
    acta = _acta(_sin_problemas(carpeta, tmp_path))
    assert (
        "STL/II/2/2021 Por el que, se rechaza por mayoría de votos, con dos votos a favor, cuatro votos en contra del "
        "Representante del Poder Ejecutivo, Raúl Esparza Luévano; de la Representante del Poder Legislativo, "
        "Gabriela Márquez Ortiz; del Representante del Poder Judicial, Tomás Ledesma Bañuelos; y de la Representante "
        "de los Gobiernos Municipales, Lorena Castañeda Félix, y una abstención de la Representante de las "
        "Instituciones Educativas, Elena Haro Villa, la sede itinerante." in acta
    )
    assert (
        "STL/II/3/2021 Por el que, se aprueba por unanimidad de los votos emitidos, con seis votos a favor y una "
        "abstención de la Representante del Poder Legislativo, Gabriela Márquez Ortiz, el calendario de sesiones."
        in acta
    )


# --- the document's own name and the words of the profile ------------------------------------------------------


@pytest.fixture(scope="module")
def zacatecas(tmp_path_factory):
    """The Zacatecas example with a fe de erratas of its approved minuta, an extraordinary session, and the
    documents `stl` writes for them."""
    tmp = tmp_path_factory.mktemp("zacatecas")
    carpeta = tmp / "registros"
    shutil.copytree(ROOT / "records-ejemplos/zacatecas", carpeta)
    with (carpeta / "sesiones/I-2021.yaml").open("a", encoding="utf-8") as f:
        f.write(
            'fe_de_erratas:\n  - fecha: "2021-03-25"\n    correcciones:\n      - seccion: V\n'
            '        dice: "presentó el diagnóstico elaborado"\n        debe_decir: "presentó el diagnóstico revisado"\n'
        )
    extraordinaria = yaml.safe_load((carpeta / "sesiones/I-2021.yaml").read_text("utf-8"))
    extraordinaria.update(tipo="extraordinaria", numero=1, fecha="2021-03-24")
    extraordinaria["convocatoria"] = {"folio": "STL/002/2021", "fecha": "2021-03-19", "convoca": "garante"}
    for clave in ("aprobacion", "fe_de_erratas"):
        extraordinaria.pop(clave)
    extraordinaria["orden_del_dia"] = [
        p for p in extraordinaria["orden_del_dia"] if p.get("tipo") != "aprobacion_acta"
    ]
    (carpeta / "sesiones/EXT-I-2021.yaml").write_text(
        yaml.safe_dump(extraordinaria, allow_unicode=True), "utf-8"
    )
    salida = tmp / "salida"
    base = ["--registros", str(carpeta), "--salida", str(salida)]
    for args in (["acta", "I-2021"], ["fe-de-erratas", "I-2021"], ["convocatoria", "EXT-I-2021"]):
        result = CliRunner().invoke(main, [*base, *args])
        assert result.exit_code == 0, result.output
    return carpeta, salida


def _textos(carpeta, nombre: str) -> tuple[str, str]:
    return checker.texto_pdf(carpeta / f"{nombre}.pdf", 0), checker.texto_docx(carpeta / f"{nombre}.docx")


def test_a_minutas_fe_de_erratas_names_the_minuta_and_no_record_internals(zacatecas):
    """«Fe de erratas núm. 1 del Acta…», «aprobada (aprobada y firmada al término de la sesión (001, Art. 7.5)
    (2026-09-17))», «(aprobaciones.yaml)»."""
    _, salida = zacatecas
    for texto in _textos(salida / "I-2021", "fe-de-erratas-1-I-2021"):
        assert "Fe de erratas núm. 1 de la Minuta de la Primera Sesión Ordinaria" in texto
        assert "Con relación a la Minuta de la Primera Sesión Ordinaria" in texto
        assert "aprobada el diecisiete de marzo de dos mil veintiuno, se hace constar" in texto
        assert "SHA-256 del texto aprobado de la minuta:" in texto
        assert not re.search(r"\bActa\b|\.yaml|\d{4}-\d{2}-\d{2}|aprobada \(aprobada|None", texto), texto


def test_the_stl_is_named_by_its_state_and_the_convocatoria_has_no_enlace(zacatecas):
    """«Secretariado Técnico Local de Zacatecas» named the municipality; a Zacatecas convocatoria spoke of «enlace»."""
    carpeta, salida = zacatecas
    registro = records.load(carpeta)
    minuta = render.acta(registro, rules.dictaminar(registro, "I-2021"))
    assert (
        "se encuentran reunidos los integrantes del Secretariado Técnico Local del Estado de Zacatecas"
        in minuta.apertura
    )
    for texto in _textos(salida / "EXT-I-2021", "convocatoria-EXT-I-2021"):
        assert not re.search(r"\benlace", texto, re.IGNORECASE)
        assert "en caso de no poder asistir, hacerlo del conocimiento de su suplente, a fin de" in texto


def test_an_extraordinary_convocatoria_cites_its_own_article(zacatecas):
    carpeta, salida = zacatecas
    registro = records.load(carpeta)
    for texto in _textos(salida / "EXT-I-2021", "convocatoria-EXT-I-2021"):
        assert (
            "Con fundamento en el artículo 11, fracción I, el artículo 7, numeral 2, y el artículo 7, numeral 3, de los "
            "Lineamientos" in texto
        )
        assert checker.revisar_convocatoria(texto, registro, "EXT-I-2021") == []


def test_an_article_is_cited_once_when_two_rules_rest_on_it(tmp_path):
    """«Con fundamento en el artículo 13, y el artículo 13, …»."""
    todos = ["garante", "ejecutivo", "civil", "academia", "fac"]
    carpeta = e.arbol(tmp_path / "r", "propio", {"II-2021": e.sesion("propio", todos, _orden())})
    registro = records.load(carpeta)
    oficio = render.convocatoria(registro, registro.sesion("II-2021"), "STL/002/2021")
    assert oficio.cuerpo[0].startswith(
        "Con fundamento en el artículo 13, de los Lineamientos del Secretariado Técnico Local de Gobierno Abierto del "
        "Estado de Oaxaca, me permito"
    )


# --- the narrative -----------------------------------------------------------------------------------------------


def test_the_narrative_opens_each_item_with_who_spoke_and_tells_a_report_once(tmp_path):
    """Items opened with a verbless fragment and then «Por su parte» with no antecedent; the follow-up report was
    told twice; «quórum legal» twice in one sentence; «seis de siete integrantes» before a list of eight."""
    informe = {
        "tipo": "seguimiento_acuerdos",
        "intervenciones": [_dice("fac", "informó que los dos acuerdos se cumplieron.")],
    }
    punto = _asunto(
        "portal",
        _dice("sc", "presentó el portal de datos abiertos."),
        _dice("og", "comentó que el portal se publicará en abril."),
        acuerdos=[{"texto": "el portal de datos abiertos", "votacion": "unanimidad"}],
    )
    generales = {
        "tipo": "asuntos_generales",
        "intervenciones": [_dice("fac", "recordó la fecha de la siguiente mesa.")],
    }
    sesion = e.sesion("edomex", ["og", "ep", "sc", "ac", "inv", "fac"], _orden(informe, punto, generales))
    carpeta = e.arbol(tmp_path / "r", "edomex", {"II-2021": sesion})
    acta = _acta(_sin_problemas(carpeta, tmp_path))
    assert (
        "III. - Para el desahogo del tercer punto del orden del día, relativo al seguimiento de acuerdos, el "
        "Facilitador del Secretariado Técnico Local, Rafael Funes Díaz, informó que los dos acuerdos se cumplieron."
        in acta
    )
    assert acta.count("informó") == 1
    assert (
        "IV. - En el desahogo del cuarto punto del orden del día, concerniente a la presentación del informe de "
        "portal, el Representante de la Sociedad Civil, Daniel Cervantes Pérez, presentó el portal de datos abiertos."
        in acta
    )
    assert "alusivo a los asuntos generales: En uso de la voz, el Facilitador" in acta
    assert "Por su parte" not in acta.split("IV. -")[1].split("Posteriormente")[0]
    assert (
        "para la verificación del quórum, constatando que se contaba con quórum legal, con cuatro de cinco integrantes "
        "con derecho a voto: Zulema Martínez Sánchez" in acta
    )
    assert (
        "Asimismo, se encontraban presentes, con derecho a voz, Luis Parra Noriega, Comisionado del Infoem; y, "
        in acta
    )


# --- layout --------------------------------------------------------------------------------------------------------


def _paginas(pdf) -> list[str]:
    n = int(
        re.search(
            r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        )[1]
    )
    recorte = ["-x", "121", "-y", "0", "-W", "491", "-H", "716"]
    return [
        " ".join(
            subprocess.run(
                ["pdftotext", "-f", str(i), "-l", str(i), *recorte, str(pdf), "-"],
                capture_output=True,
                text=True,
            ).stdout.split()
        )
        for i in range(1, n + 1)
    ]


def _iv_2020_con(tmp_path, punto: str, cuantas: int, larga: int = 0):
    """IV-2020 with `cuantas` more interventions in one item (and one of `larga` phrases): its closing paragraph or
    an acuerdo's introduction then falls at the foot of a page (found with the layout of the acta before issue 25)."""
    carpeta = tmp_path / "registros"
    shutil.copytree(ROOT / "records", carpeta)
    path = carpeta / "sesiones/IV-2020.yaml"
    datos = yaml.safe_load(path.read_text("utf-8"))
    extra = [
        _dice(
            "martinez",
            f"comentó {j} que el calendario de trabajo del plan de acción local se revisará en la siguiente mesa con las organizaciones.",
        )
        for j in range(cuantas)
    ]
    if larga:
        extra.append(_dice("vargas", "señaló " + " ".join(["que el plan avanza"] * larga) + "."))
    for item in datos["orden_del_dia"]:
        if item.get("tipo") == punto or item.get("clave") == punto:
            item["intervenciones"] += extra
    path.write_text(yaml.safe_dump(datos, allow_unicode=True, sort_keys=False), "utf-8")
    registro = records.load(carpeta)
    pdf = tmp_path / "acta.pdf"
    pdf.write_bytes(render.pdf(render.acta(registro, rules.dictaminar(registro, "IV-2020")))[0])
    return _paginas(pdf)


def test_the_closing_paragraph_is_never_split_and_dashes_close_the_text(tmp_path):
    """«siendo las once horas con treinta y | un minutos»: the closing split across two pages."""
    paginas = _iv_2020_con(tmp_path, "asuntos_generales", 11, larga=3)
    [pagina] = [p for p in paginas if "se procedió a la clausura" in p]
    assert re.search(
        r"firmando al margen y al calce de la presente acta quienes en ella intervinieron\. -{100,}", pagina
    )
    assert sum("Esta hoja corresponde" in p for p in paginas) == 1


def test_an_acuerdos_introduction_stays_with_its_box(tmp_path):
    paginas = _iv_2020_con(tmp_path, "seguridad", 8)
    [pagina] = [p for p in paginas if "STL/IV/4/2020" in p]
    assert "el Secretariado Técnico emitió el siguiente acuerdo: STL/IV/4/2020" in pagina


# --- the checker on the bundled examples -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origen", "sesion"),
    [
        ("records", "IV-2020"),
        ("records-ejemplos/zacatecas", "I-2021"),
        ("records-ejemplos/jalisco", "I-2021"),
    ],
)
def test_the_checker_accepts_the_three_examples_in_pdf_and_docx(tmp_path, origen, sesion):
    problemas = e.revisar(ROOT / origen, tmp_path, sesion)
    assert problemas == [], "\n".join(problemas)


def test_the_checker_rejects_what_the_issue_found(registro_zacatecas):
    """The checker is no rubber stamp: the defects the issue found, written into a text, are each named."""
    texto = (
        "En el Estado de Zacatecas, siendo las doce horas del día diecisiete de marzo de dos mil veintiuno, se encuentran "
        "reunidos los integrantes del Secretariado Técnico Local de Zacatecas, mediante el oficio número None. I. - "
        "La Facilitadora del Secretariado Técnico Local, Silvia Acevedo Rentería, en uso de la voz procedió al pase de "
        "lista para la verificación del quórum legal, constatando que se contaba con quórum legal, con cinco de siete "
        "integrantes con derecho a voto, Norma Elena Ríos Valdez. II. - En el desahogo del segundo punto. III. - Por "
        "su parte, el Representante del Poder Ejecutivo comentó. Esta hoja corresponde al Acta de la la sesión "
        "(aprobaciones.yaml, 2026-09-17). Esta hoja corresponde al Acta."
    )
    problemas = " | ".join(checker.revisar_acta(texto, registro_zacatecas, "I-2021"))
    for esperado in (
        "«None»",
        "una fecha ISO",
        "un nombre de archivo",
        "palabra repetida: «la la»",
        "«quórum legal» dos veces en una oración",
        "«Secretariado Técnico Local de Zacatecas» nombra al municipio",
        "llama «Acta» al registro de la sesión",
        "dice 5 de 7 con derecho a voto; son 6 de 7",
        "«Por su parte» sin antecedente",
        "«Esta hoja corresponde…» 2 veces",
        "no se cierra con una línea de guiones",
        "no está el acuerdo STL/I/1/2021",
    ):
        assert esperado in problemas, esperado
