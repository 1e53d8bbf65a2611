"""Stage 3: the acta as a PDF, checked by its text per page (pdftotext), fonts, metadata and layout."""

from __future__ import annotations

import dataclasses
import difflib
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from builders import FIRMANTES, NOMBRES, ROOT
from pipeline import records, render, rules
from pipeline.cli import main

SEED = Path("/work/shared/seeds/003_08c01e009f518861.txt")
if not SEED.exists():
    SEED = ROOT.parent / "shared/seeds/003_08c01e009f518861.txt"
PIE = (
    "Esta hoja corresponde al Acta de la Cuarta Sesión Ordinaria del Secretariado Técnico Local, "
    "de fecha tres de noviembre de dos mil veinte."
)


def pdftotext(pdf: Path, page: int, area: str = "todo") -> str:
    """Text of one page, whole or cropped to the left margin (rubric), the body or the foot (in points)."""
    crops = {"todo": [], "margen": ["-x", "0", "-y", "0", "-W", "120", "-H", "792"]}
    crops["cuerpo"] = ["-x", "121", "-y", "0", "-W", "491", "-H", "716"]
    crops["pie"] = ["-x", "121", "-y", "717", "-W", "491", "-H", "75"]
    args = ["pdftotext", "-f", str(page), "-l", str(page), *crops[area], str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def body(pdf: Path) -> str:
    """The text of every page without the rubric margin and the footer, joined."""
    pages = len(PdfReader(pdf).pages)
    return flat("\n".join(pdftotext(pdf, n, "cuerpo") for n in range(1, pages + 1)))


def flat(text: str) -> str:
    return " ".join(re.sub(r"-\n(\w)", r"\1", text).split())


def render_pdf(registro, sesion: str, tmp: Path) -> tuple[Path, dict]:
    data, bloques = render.pdf(render.acta(registro, rules.dictaminar(registro, sesion)))
    path = tmp / f"acta-{sesion}.pdf"
    path.write_bytes(data)
    return path, bloques


@pytest.fixture(scope="module")
def acta_iv(tmp_path_factory, registro_edomex):
    return render_pdf(registro_edomex, "IV-2020", tmp_path_factory.mktemp("acta"))


def test_every_page_has_the_rubric_and_the_footer(acta_iv):
    pdf, _ = acta_iv
    pages = len(PdfReader(pdf).pages)
    assert 5 <= pages <= 15
    for n in range(1, pages + 1):
        margin = flat(pdftotext(pdf, n, "margen"))
        for nombre in FIRMANTES:
            assert nombre in margin, (n, margin)
        pie = flat(pdftotext(pdf, n, "pie"))
        # The signature page says the legend once, under the blocks (seed 003); its footer gives the page.
        leyenda = "" if n == pages else f"{PIE} "
        assert pie == f"{leyenda}Página {n} de {pages}", pie
    assert flat(pdftotext(pdf, pages)).count("Esta hoja corresponde") == 1


def test_acta_text(acta_iv):
    pdf, _ = acta_iv
    text = body(pdf)
    assert "siendo las trece horas del día tres de noviembre de dos mil veinte" in text
    assert "siendo las catorce horas con treinta y un minutos del tres de noviembre de dos mil veinte" in text
    assert "mediante el oficio número STL/004/2020, de fecha veintiséis de octubre de dos mil veinte" in text
    assert "para celebrar su Cuarta Sesión Ordinaria, a través de la Plataforma virtual Zoom" in text
    assert "firmando al margen y al calce de la presente acta quienes en ella intervinieron" in text
    for n in range(1, 5):
        assert f"STL/IV/{n}/2020 Por el que, se aprueba por unanimidad de votos" in text
    assert "la propuesta de retirar el quinto punto por parte de la Representante del Órgano Garante" in text
    assert "4ª Sesión Ordinaria" in text  # the agenda as convened abbreviates, as the seed does
    # the previous acta's date in digits, in the agenda and in the acuerdo, as seed 003 writes both
    assert "Aprobación del Acta de la Tercera Sesión Ordinaria del STL de fecha 8 de junio de 2020;" in text
    assert "el Acta de la Tercera Sesión Ordinaria del STL, de fecha 8 de junio de 2020." in text
    for nombre in FIRMANTES:
        assert nombre.upper() in text
    assert "LUIS GUSTAVO PARRA NORIEGA" not in text  # voice only: does not sign


def test_fonts_are_embedded_and_metadata_is_set(acta_iv):
    pdf, _ = acta_iv
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts
    reader = PdfReader(pdf)
    assert reader.metadata.title == (
        "Acta de la Cuarta Sesión Ordinaria del Secretariado Técnico Local de Gobierno Abierto del Estado de México"
    )
    assert reader.metadata.author == "Secretariado Técnico Local de Gobierno Abierto del Estado de México"
    assert reader.trailer["/Root"]["/Lang"] == "es-MX"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp  # tagged: PDF/A-3a
    assert reader.pages[0].mediabox.width == 612 and reader.pages[0].mediabox.height == 792  # Letter


def test_signature_blocks_are_exported_on_the_last_page(acta_iv):
    pdf, bloques = acta_iv
    last = len(PdfReader(pdf).pages) - 1
    assert list(bloques) == ["martinez", "vargas", "cervantes", "funes"]
    for page, x1, y1, x2, y2 in bloques.values():
        assert page == last
        assert 120 < x1 < x2 < 612 and 70 < y1 < y2 < 792
        assert (x2 - x1) > 150 and (y2 - y1) > 60  # the empty area above the line, for the visible stamp


def normalise(text: str) -> list[str]:
    text = re.sub(r"-\n(\w)", r"\1", text).lower()
    return re.sub(r"[^\w\s]", " ", text).split()


def test_generated_acta_matches_the_real_one(acta_iv):
    """Word-level similarity with seed 003, rubric and footer removed from both sides."""
    pdf, _ = acta_iv
    pages = len(PdfReader(pdf).pages)
    body = "\n".join(pdftotext(pdf, n, "cuerpo") for n in range(1, pages + 1))
    seed = SEED.read_text("utf-8")
    body, seed = (t.split("Esta hoja corresponde al Acta")[0] for t in (body, seed))
    ratio = difflib.SequenceMatcher(None, normalise(body), normalise(seed), autojunk=False).ratio()
    print(f"similitud con la semilla 003: {ratio:.4f}")
    assert ratio >= 0.95


# --- other sessions, written as records --------------------------------------------------------------------


def _tree(tmp: Path, stl: dict, sesion_id: str, sesion: dict) -> Path:
    root = tmp / "records"
    (root / "sesiones").mkdir(parents=True)
    (root / "stl.yaml").write_text(yaml.safe_dump(stl, allow_unicode=True, sort_keys=False), "utf-8")
    (root / f"sesiones/{sesion_id}.yaml").write_text(
        yaml.safe_dump(sesion, allow_unicode=True, sort_keys=False), "utf-8"
    )
    return root


def _persona(id_, nombre, sector, calidad="titular", genero="f", **kw):
    return {
        "id": id_,
        "nombre": nombre,
        "genero": genero,
        "cargo": f"Titular de {nombre.split()[0]}",
        "sector": sector,
        "calidad": calidad,
        **kw,
    }


def _sesion(asistencia, orden):
    return {
        "tipo": "ordinaria",
        "numero": 1,
        "fecha": "2021-03-10",
        "hora_inicio": "10:00",
        "hora_cierre": "11:21",
        "modalidad": {"tipo": "presencial", "lugar": "la Sala de Plenos del Instituto"},
        "convocatoria": {"folio": "STL/001/2021", "fecha": "2021-03-01", "convoca": "facilitadora"},
        "asistencia": asistencia,
        "orden_del_dia": orden,
    }


def _stl(personas, perfil="edomex"):
    return {
        "nombre": "Secretariado Técnico Local de Gobierno Abierto de Jalisco",
        "estado": "Jalisco",
        "perfil": perfil,
        "organo_garante": {"nombre": "Instituto de Transparencia", "siglas": "ITEI"},
        "folio": {"prefijo": "STL"},
        "integrantes": personas,
    }


def test_twelve_signatories_fit_the_rubric_on_every_page(tmp_path):
    sectores = [
        "organo_garante",
        "poder_ejecutivo",
        "poder_judicial",
        "poder_legislativo",
        "gobierno_municipal",
        "academia",
        "sector_empresarial",
        "sociedad_civil",
        "comunidad_tecnologica",
        "ente_publico",
        "ente_publico",
    ]
    nombres = NOMBRES[:11]
    personas = [_persona(f"p{i}", n, s) for i, (n, s) in enumerate(zip(nombres, sectores, strict=True))]
    personas.append(_persona("facilitadora", "Lucía Arredondo Peña", "sociedad_civil", "facilitador"))
    ids = [p["id"] for p in personas]
    orden = [
        {"tipo": "quorum"},
        {"tipo": "orden_del_dia", "acuerdos": [{"votacion": "unanimidad"}]},
        {"tipo": "clausura"},
    ]
    root = _tree(tmp_path, _stl(personas), "I-2021", _sesion(ids, orden))
    pdf, bloques = render_pdf(records.load(root), "I-2021", tmp_path)
    assert len(bloques) == 12
    pages = len(PdfReader(pdf).pages)
    for n in range(1, pages + 1):
        margin = flat(pdftotext(pdf, n, "margen"))
        for p in personas:
            assert p["nombre"] in margin, (n, p["nombre"], margin)


def test_wording_of_a_contested_session(tmp_path):
    """Non-unanimous vote, a suplente standing in, an absent integrante and a modified agenda."""
    personas = [
        _persona("garante", "Cynthia Cantero Pacheco", "organo_garante", cargo_corto="Presidenta del ITEI"),
        _persona(
            "ejecutivo",
            "Jorge Sandoval Díaz",
            "poder_ejecutivo",
            genero="m",
            cargo_corto="Representante del Ejecutivo",
        ),
        _persona(
            "judicial",
            "Ricardo Suro Esteves",
            "poder_judicial",
            genero="m",
            cargo_corto="Magistrado Presidente",
        ),
        _persona(
            "civil",
            "David Pérez Rulfo",
            "sociedad_civil",
            genero="m",
            cargo_corto="Representante de la Sociedad Civil",
        ),
        _persona("academia", "José Morales Orozco", "academia", genero="m", cargo_corto="Rector del ITESO"),
        _persona(
            "suplente",
            "Inés Robles Mora",
            "academia",
            "suplente",
            de="academia",
            cargo_corto="Suplente de la Academia",
        ),
        _persona(
            "facilitadora",
            "Lucía Arredondo Peña",
            "sociedad_civil",
            "facilitador",
            cargo_corto="Facilitadora del STL",
        ),
    ]
    asistencia = [
        "garante",
        "ejecutivo",
        "civil",
        {"integrante": "suplente", "en_lugar_de": "academia"},
        "facilitadora",
    ]
    orden = [
        {"tipo": "quorum"},
        {"tipo": "orden_del_dia", "acuerdos": [{"votacion": "unanimidad"}]},
        {
            "clave": "portal",
            "texto": "Presentación del portal de datos abiertos",
            "agregado": {"solicita": "civil"},
            "intervenciones": [{"orador": "civil", "texto": "presentó el portal."}],
            "acuerdos": [
                {
                    "texto": "el portal de datos abiertos",
                    "votacion": {
                        "a_favor": ["garante", "civil", "suplente"],
                        "en_contra": ["ejecutivo"],
                        "declarada": "mayoria",
                    },
                }
            ],
        },
        {"tipo": "clausura"},
    ]
    root = _tree(tmp_path, _stl(personas), "I-2021", _sesion(asistencia, orden))
    pdf, _ = render_pdf(records.load(root), "I-2021", tmp_path)
    text = body(pdf)
    assert (
        "STL/I/2/2021 Por el que, se aprueba por mayoría de votos, con tres votos a favor y un voto en contra del "
        "Representante del Ejecutivo, Jorge Sandoval Díaz, el portal de datos abiertos." in text
    )
    assert (
        "STL/I/1/2021 Por el que, se aprueba por unanimidad de votos el orden del día con las modificaciones propuestas."
        in text
    )
    assert "Inés Robles Mora, Titular de Inés, en suplencia de José Morales Orozco" in text
    assert "Se hace constar la inasistencia de Ricardo Suro Esteves, Magistrado Presidente." in text
    assert (
        "constatando que se contaba con quórum legal, con cuatro de cinco integrantes con derecho a voto: Cynthia "
        "Cantero Pacheco, Presidenta del ITEI; Jorge Sandoval Díaz, Representante del Ejecutivo; David Pérez Rulfo, "
        "Representante de la Sociedad Civil; y, Inés Robles Mora, Suplente de la Academia, en suplencia de José "
        "Morales Orozco." in text
    )
    assert (
        "Asimismo, se encontraban presentes, con derecho a voz, Lucía Arredondo Peña, Facilitadora del STL."
        in text
    )
    assert (
        "la propuesta de incorporar el punto «Presentación del portal de datos abiertos» por parte del Representante de la Sociedad Civil"
        in text
    )
    assert (
        "en la Sala de Plenos del Instituto" in text and "siendo las once horas con veintiún minutos" in text
    )


def test_an_acta_whose_record_breaks_the_rules_is_not_rendered(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root)
    path = root / "sesiones/IV-2020.yaml"
    original = path.read_text("utf-8")
    broken = original.replace(
        "- votacion: unanimidad", "- votacion: {en_contra: [cervantes], declarada: unanimidad}", 1
    )
    assert broken != original
    path.write_text(broken, "utf-8")
    registro = records.load(root)
    with pytest.raises(render.RulesError, match="se declara aprobado por unanimidad, pero no lo es"):
        render.acta(registro, rules.dictaminar(registro, "IV-2020"))


def test_minuta_of_the_example_working_meeting(tmp_path, registro_edomex):
    minuta = render.minuta(registro_edomex, registro_edomex.reunion("RT-2020-11-24"))
    data, bloques = render.pdf(minuta)
    pdf = tmp_path / "minuta.pdf"
    pdf.write_bytes(data)
    text = body(pdf)
    assert (
        "MINUTA DE LA REUNIÓN DE TRABAJO DEL SECRETARIADO TÉCNICO LOCAL DE GOBIERNO ABIERTO DEL ESTADO DE MÉXICO"
        in text
    )
    assert "martes veinticuatro de noviembre de dos mil veinte" in text
    assert "de las once horas a las doce horas con cuarenta minutos" in text
    assert "I. Balance a un año de la instalación del Secretariado Técnico Local" in text
    assert "1 Elaborar el balance a un año de la instalación del Secretariado" in text
    assert "Daniel Rosemberg Cervantes Pérez" in text and "29 de enero de 2021" in text
    assert list(bloques) == ["martinez", "vargas", "cervantes", "funes"]
    pages = len(PdfReader(pdf).pages)
    for n in range(1, pages + 1):
        assert all(nombre in flat(pdftotext(pdf, n, "margen")) for nombre in FIRMANTES)
        pie = flat(pdftotext(pdf, n, "pie"))
        assert pie.startswith(
            "Esta hoja corresponde a la Minuta de la Reunión de Trabajo del Secretariado Técnico Local"
        ) == (n < pages)  # the signature page says it once, under the blocks
        assert pie.endswith(f"Página {n} de {pages}")


def test_record_text_is_text_never_markup(tmp_path, registro_edomex):
    """Autoescaping: HTML, Jinja syntax and entities from a record print literally in the PDF."""
    hostile = "<script>alert(1)</script> <b>negrita</b> {{ 1 + 1 }} {% if true %}sí{% endif %} A & B &amp;"
    documento = render.acta(registro_edomex, rules.dictaminar(registro_edomex, "IV-2020"))
    html = render.html(dataclasses.replace(documento, apertura=hostile))
    assert "<script>" not in html and "&lt;script&gt;" in html
    pdf = tmp_path / "hostil.pdf"
    pdf.write_bytes(render.pdf(dataclasses.replace(documento, apertura=hostile))[0])
    assert hostile in body(pdf)


def test_markup_and_template_syntax_in_a_record_print_literally_through_stl_acta(tree, tmp_path):
    """From the YAML of a session to what a reader sees: an intervention with a script tag and Jinja syntax is
    text in the acta's HTML (escaped), its PDF and its DOCX, and nothing of it is evaluated (no «2»)."""
    hostil = "<script>alert('acta')</script> y {{ 1 + 1 }} y {% if true %}sí{% endif %} & <b>negrita</b>"
    sesion = tree / "sesiones/IV-2020.yaml"
    texto = sesion.read_text("utf-8")
    assert "solicitó se anexara" in texto
    sesion.write_text(texto.replace("solicitó se anexara", f"solicitó {hostil} se anexara", 1), "utf-8")

    registro = records.load(tree)
    html = render.html(render.acta(registro, rules.dictaminar(registro, "IV-2020")))
    assert "<script>" not in html and "<b>negrita" not in html
    assert (
        "&lt;script&gt;alert(&#39;acta&#39;)&lt;/script&gt; y {{ 1 + 1 }} y {% if true %}sí{% endif %}"
        in html
    )

    salida = tmp_path / "salida"
    result = CliRunner().invoke(main, ["--registros", str(tree), "--salida", str(salida), "acta", "IV-2020"])
    assert result.exit_code == 0, result.output
    pdf = " ".join(body(salida / "IV-2020/acta-IV-2020.pdf").split())
    assert hostil in pdf and "{{ 2 }}" not in pdf
    documento = docx.Document(str(salida / "IV-2020/acta-IV-2020.docx"))
    parrafos = " ".join(" ".join(p.text.split()) for p in documento.paragraphs)
    assert hostil in parrafos


# --- the press in a second process (imprenta.Imprenta) ------------------------------------------------------------


def test_the_second_process_lays_out_the_same_pdf_as_this_one(tmp_path):
    """In a fresh process, as `stl` runs (pytest's own threads would keep `Imprenta` from forking)."""
    import os
    import sys

    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("un solo núcleo: Imprenta no abre un segundo proceso")
    programa = f"""
import pathlib, sys
from pipeline import imprenta
with imprenta.Imprenta() as prensa:
    assert prensa._proceso is not None and prensa._proceso.is_alive(), "no hay segundo proceso"
    hijo = prensa._proceso
    from pipeline import records, render, rules
    registro = records.load(pathlib.Path({str(ROOT / "records")!r}))
    documento = render.acta(registro, rules.dictaminar(registro, "IV-2020"))
    prensa.encargar(render.html(documento), render.TEMPLATES / "pdf")
    datos, bloques = prensa.recoger()
assert not hijo.is_alive(), "el segundo proceso sigue vivo"
pathlib.Path({str(tmp_path / "imprenta.pdf")!r}).write_bytes(datos)
assert (datos, bloques) == render.pdf(documento)
print("mismo PDF")
"""
    result = subprocess.run([sys.executable, "-c", programa], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "mismo PDF", result.stderr
    assert PdfReader(tmp_path / "imprenta.pdf").pages


def test_if_the_second_process_dies_the_pdf_is_made_here(registro_edomex, acta_iv):
    from pipeline import imprenta

    documento = render.acta(registro_edomex, rules.dictaminar(registro_edomex, "IV-2020"))
    with imprenta.Imprenta() as prensa:
        if prensa._proceso is not None:
            prensa._proceso.kill()
            prensa._proceso.join()
        prensa.encargar(render.html(documento), render.TEMPLATES / "pdf")
        datos, _ = prensa.recoger()
    assert datos == acta_iv[0].read_bytes()


def test_an_error_laying_out_is_raised_here_as_without_the_second_process():
    from pipeline import imprenta

    with pytest.raises(TypeError) as sin_imprenta:
        imprenta.pdf(None, render.TEMPLATES / "pdf")
    with imprenta.Imprenta() as prensa, pytest.raises(TypeError) as con_imprenta:
        prensa.encargar(None, render.TEMPLATES / "pdf")
        prensa.recoger()
    assert str(con_imprenta.value) == str(sin_imprenta.value)


def _archivos_bajo(carpeta: Path) -> list[Path]:
    return sorted(p for p in carpeta.rglob("*") if p.is_file()) if carpeta.exists() else []


def test_a_character_the_pdf_fonts_cannot_draw_is_refused_naming_field_and_character(tree, tmp_path):
    """An emoji in a name printed as a blank gap in the PDF. Now `stl acta` (with the press in its second process
    or not), `stl orden` and `stl archivar` refuse it before writing anything, naming file, line, field and the
    character; the fonts are the ones of the style sheet, their maps read with fontTools."""
    from fontTools.ttLib import TTFont

    from pipeline import fuentes

    nombres, puntos = fuentes.cobertura()
    assert "Liberation Serif" in nombres
    liberation = subprocess.run(
        ["fc-match", "-f", "%{file}", "Liberation Serif"], capture_output=True, text=True, check=True
    ).stdout
    assert set(TTFont(liberation).getBestCmap()) <= puntos and 0x1F600 not in puntos
    stl = tree / "stl.yaml"
    texto = stl.read_text("utf-8")
    linea = texto[: texto.index("nombre: Zulema Martínez Sánchez")].count("\n") + 1
    stl.write_text(
        texto.replace("nombre: Zulema Martínez Sánchez", "nombre: Zulema 😀 Martínez Sánchez"), "utf-8"
    )
    base = [
        "--registros",
        str(tree),
        "--salida",
        str(tmp_path / "salida"),
        "--archivo",
        str(tmp_path / "archivo"),
    ]
    for args in (
        ["acta", "IV-2020"],
        ["acta", "--todas"],
        ["archivar", "IV-2020", "--sin-firma"],
    ):
        result = CliRunner().invoke(main, [*base, *args])
        assert result.exit_code == 1, result.output
        assert f"stl.yaml:{linea} [integrantes[0].nombre]" in result.output, result.output
        assert "«😀» (U+1F600, GRINNING FACE)" in result.output and "Liberation Serif" in result.output
        assert "Traceback" not in result.output
    assert _archivos_bajo(tmp_path / "salida") == [] and _archivos_bajo(tmp_path / "archivo") == []
    docx_solo = CliRunner().invoke(main, [*base, "acta", "IV-2020", "--formato", "docx"])
    assert docx_solo.exit_code == 0, docx_solo.output  # a DOCX is drawn with the fonts of whoever opens it


def test_the_typographic_characters_of_spanish_are_drawn():
    from pipeline import fuentes

    assert fuentes.faltantes("«¿Quién?» — “Cultura” ¡Sí! ñÑ áéíóú ü § ° ½ … – ‘’ €") == []
    assert fuentes.faltantes("Zulema 😀 Martínez 🇲🇽") == ["🇲", "🇽", "😀"]


# --- page breaks (issue 15) --------------------------------------------------------------------------------


@pytest.mark.parametrize("ejemplo", ["jalisco", "zacatecas"])
def test_no_heading_ends_a_page_and_the_signature_heading_stays_with_the_blocks(tmp_path, ejemplo):
    """Nine signatories used to move the whole block of signatures a page on, leaving its heading alone."""
    registro = records.load(ROOT / "records-ejemplos" / ejemplo)
    pdf, bloques = render_pdf(registro, "I-2021", tmp_path)
    documento = render.acta(registro, rules.dictaminar(registro, "I-2021"))
    encabezados = {documento.encabezado_firmas.upper(), "Clausura de la Sesión"}
    pages = len(PdfReader(pdf).pages)
    for n in range(1, pages + 1):
        lineas = [linea.strip() for linea in pdftotext(pdf, n, "cuerpo").splitlines() if linea.strip()]
        assert lineas, f"página {n} vacía"
        assert flat(" ".join(lineas[-2:])) not in encabezados and lineas[-1] not in encabezados, (
            n,
            lineas[-3:],
        )
    [pagina] = [
        n for n in range(1, pages + 1) if documento.encabezado_firmas.upper() in flat(pdftotext(pdf, n))
    ]
    primero = documento.firmantes[0]
    assert primero.nombre.upper() in flat(pdftotext(pdf, pagina, "cuerpo"))
    assert bloques[primero.id][0] == pagina - 1
