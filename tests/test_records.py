"""Stage 1: the bundled records load into frozen values, with lines for every field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import unicodedata
from pathlib import Path

import jsonschema
import pytest
import yaml

from builders import ROOT
from pipeline import records, render, rules
from pipeline.errors import RecordsError
from pipeline.models import Calidad, TipoPunto, TipoSesion


def test_bundled_stl_and_its_sessions(registro_edomex):
    stl = registro_edomex.stl
    assert stl.estado == "Estado de México" and stl.prefijo_folio == "STL"
    assert registro_edomex.perfil.id == "edomex"
    assert [s.id for s in registro_edomex.sesiones] == ["INST-2019", "2019-11-11", "III-2020", "IV-2020"]
    titulares = [p.id for p in stl.titulares(dt.date(2020, 11, 3))]
    assert titulares == ["martinez", "vargas", "cervantes"]
    assert stl.integrante("funes").calidad is Calidad.FACILITADOR
    assert {stl.integrante(i).calidad for i in ("parra", "luna")} == {Calidad.INVITADO}


def test_cuarta_sesion_record(registro_edomex):
    s = registro_edomex.sesion("IV-2020")
    assert (s.tipo, s.numero, s.fecha) == (TipoSesion.ORDINARIA, 4, dt.date(2020, 11, 3))
    assert (s.hora_inicio, s.hora_cierre) == (dt.time(13), dt.time(14, 31))
    assert (s.modalidad, s.sede) == ("virtual", "Plataforma virtual Zoom")
    assert (s.convocatoria.folio, s.convocatoria.fecha) == ("STL/004/2020", dt.date(2020, 10, 26))
    assert len(s.orden_convocado) == 8 and len(s.orden_aprobado) == 7 and s.orden_modificado
    retirado = next(p for p in s.orden_del_dia if p.retirado)
    assert (retirado.clave, retirado.solicita) == ("ieem", "martinez")
    assert [a.folio for a in s.acuerdos] == [f"STL/IV/{n}/2020" for n in range(1, 5)]
    assert s.acuerdos[1].aprueba_acta == "III-2020"
    assert s.orden_aprobado[2].tipo is TipoPunto.APROBACION_ACTA
    speakers = {i.orador for p in s.orden_del_dia for i in p.intervenciones}
    assert speakers == {"martinez", "vargas", "cervantes", "funes", "parra", "luna"}


def test_every_value_knows_its_file_and_line(registro_edomex):
    s = registro_edomex.sesion("IV-2020")
    text = (ROOT / "records/sesiones/IV-2020.yaml").read_text("utf-8").splitlines()
    acuerdo = s.acuerdos[2]
    assert acuerdo.lugar.archivo == "sesiones/IV-2020.yaml"
    assert text[acuerdo.lugar.linea - 1].strip().startswith("- texto: el eje “Cultura")
    assert acuerdo.lugar.campo == "orden_del_dia[3].acuerdos[0]"
    martinez = registro_edomex.stl.integrante("martinez")
    assert martinez.lugar.archivo == "stl.yaml"
    assert (
        "id: martinez"
        in (ROOT / "records/stl.yaml").read_text("utf-8").splitlines()[martinez.lugar.linea - 1]
    )


def test_private_fields_stay_out_of_the_printed_values(registro_edomex):
    martinez = registro_edomex.stl.integrante("martinez")
    assert martinez.privado["correo"].endswith(".example")
    assert "privado" not in repr(martinez) and "@" not in repr(martinez)


def test_values_are_frozen(registro_edomex):
    with pytest.raises(dataclasses.FrozenInstanceError):
        registro_edomex.sesion("IV-2020").numero = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IV-2020", (TipoSesion.ORDINARIA, 4, 2020)),
        ("EXT-I-2021", (TipoSesion.EXTRAORDINARIA, 1, 2021)),
        ("INST-2019", (TipoSesion.INSTALACION, None, 2019)),
        ("2019-11-11", (None, None, 2019)),
        ("IIII-2020", None),
        ("iv-2020", None),
        ("2019-02-30", None),
    ],
)
def test_session_ids(text, expected):
    parsed = records.parse_session_id(text)
    assert (parsed and (parsed.tipo, parsed.numero, parsed.anio)) == expected if expected else parsed is None


@pytest.mark.parametrize(("name", "files"), [("stl", ["stl.yaml"]), ("sesion", ["sesiones/IV-2020.yaml"])])
def test_published_schemas_accept_the_bundled_records(name, files):
    """Editors validate with the same schema files the loader uses."""
    schema = json.loads((ROOT / f"pipeline/schemas/{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for rel in files:
        data = yaml.safe_load((ROOT / "records" / rel).read_text("utf-8").replace("\t", " "))
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
        first_line = (ROOT / "records" / rel).read_text("utf-8").splitlines()[0]
        assert (
            first_line.startswith("# yaml-language-server: $schema=") and f"{name}.schema.json" in first_line
        )


def test_every_problem_in_every_file_is_collected(tmp_path):
    """Loading does not stop at the first problem: two files, several errors, one report."""
    root = tmp_path / "records"
    (root / "sesiones").mkdir(parents=True)
    (root / "stl.yaml").write_text((ROOT / "records/stl.yaml").read_text("utf-8"), "utf-8")
    (root / "sesiones/I-2021.yaml").write_text(
        'tipo: ordinaria\nfecha: "2021-02-30"\nhora_inicio: "25:00"\nasistensia: []\n', "utf-8"
    )
    (root / "sesiones/II-2021.yaml").write_text("tipo: [ordinaria\n", "utf-8")
    with pytest.raises(records.RecordsError) as info:
        records.load(root)
    texts = [str(p) for p in info.value.problemas]
    assert any(
        t.startswith("sesiones/I-2021.yaml:4 [asistensia]: campo desconocido «asistensia»") for t in texts
    )
    assert (
        "sesiones/II-2021.yaml:1: YAML mal formado: un «[» que se abre aquí no se cierra bien con «]»"
        in texts
    )


def test_an_impossible_date_is_one_error_not_a_cascade(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root)
    shutil.copy(
        ROOT / "tests/data/invalid/fecha-imposible-sin-cascada/sesiones/V-2020.yaml", root / "sesiones"
    )
    with pytest.raises(records.RecordsError) as info:
        records.load(root)
    assert [str(p) for p in info.value.problemas] == [
        "sesiones/V-2020.yaml:5 [fecha]: fecha imposible: «2020-12-32» no existe en el calendario"
    ]


def test_numbering_may_start_again_each_year(tree):
    """Some STLs number their sessions per year: I-2021 after IV-2020 is not out of order."""
    v = (ROOT / "tests/data/valid/V-2020.yaml").read_text("utf-8")
    i_2021 = (
        v.replace("numero: 5", "numero: 1")
        .replace('"2020-12-01"', '"2021-02-01"')
        .replace('"2020-11-20"', '"2021-01-20"')
        .replace("STL/005/2020", "STL/001/2021")
    )
    (tree / "sesiones/I-2021.yaml").write_text(i_2021, "utf-8")
    assert records.load(tree).sesion("I-2021").numero == 1


# --- Unicode: what looks the same must be the same, and nothing invisible hides in a legal record ----------------


def _decompose(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_decomposed_accents_read_and_render_as_the_precomposed_ones(tree, registro_edomex):
    """An editor that writes «é» as e + U+0301 (NFD) gives the same records and the same acta, to the byte."""
    for rel in ("stl.yaml", "sesiones/IV-2020.yaml"):
        path = tree / rel
        path.write_text(_decompose(path.read_text("utf-8")), "utf-8")
    assert "Marti\u0301nez" in (tree / "stl.yaml").read_text("utf-8")  # the file really is decomposed
    descompuesto = records.load(tree)
    martinez = descompuesto.stl.integrante("martinez")
    assert martinez.nombre == "Zulema Martínez Sánchez" == registro_edomex.stl.integrante("martinez").nombre
    actas = [
        render.html(render.acta(r, rules.dictaminar(r, "IV-2020"))) for r in (descompuesto, registro_edomex)
    ]
    assert actas[0] == actas[1]
    assert unicodedata.is_normalized("NFC", actas[0])


@pytest.mark.parametrize(
    ("caracter", "nombre"),
    [
        ("\u200b", "U+200B (espacio de ancho cero)"),
        ("\u200c", "U+200C (separador de ancho cero)"),
        ("\u200d", "U+200D (unión de ancho cero)"),
        ("\u200e", "U+200E (marca de izquierda a derecha)"),
        ("\u200f", "U+200F (marca de derecha a izquierda)"),
        ("\u202a", "U+202A (incrustación de izquierda a derecha)"),
        ("\u202e", "U+202E (forzado de derecha a izquierda)"),
        ("\u2066", "U+2066 (aislamiento de izquierda a derecha)"),
        ("\u2069", "U+2069 (fin de aislamiento direccional)"),
        ("\u2060", "U+2060 (unión de palabras)"),
        ("\ufeff", "U+FEFF (espacio sin separación de ancho cero)"),
        ("\u00ad", "U+00AD (guion suave)"),
        ("\U000e0041", "U+E0041 (carácter invisible de formato)"),
    ],
)
@pytest.mark.parametrize(
    ("archivo", "antes", "campo"),
    [
        ("stl.yaml", "nombre: Javier Vargas", "integrantes[1].nombre"),
        ("stl.yaml", "cargo_corto: Comisionada Presidenta", "integrantes[0].cargo_corto"),
        ("stl.yaml", "id: funes", "integrantes[3].id"),
        ("sesiones/IV-2020.yaml", "folio: STL/004/2020", "convocatoria.folio"),
        ("folios.yaml", "folio: STL/004/2020", "folios[0].folio"),
        ("reuniones/RT-2020-11-24.yaml", "asunto: ", "asunto"),
    ],
)
def test_invisible_characters_are_refused_naming_the_code_point_and_field(
    tree, caracter, nombre, archivo, antes, campo
):
    path = tree / archivo
    texto = path.read_text("utf-8")
    assert antes in texto
    path.write_text(texto.replace(antes, f"{antes}{caracter}", 1), "utf-8")
    with pytest.raises(RecordsError) as error:
        records.load(tree)
    [problema] = [p for p in error.value.problemas if p.lugar.archivo == archivo]
    assert problema.lugar.campo == campo and problema.lugar.linea
    assert f"el campo «{campo}» contiene el carácter invisible {nombre}" in problema.mensaje


def test_line_breaks_tabs_and_visible_unicode_are_text(tree):
    """Only invisible characters are refused: accents, ñ, «», em dashes, emoji and tabs inside text are text."""
    path = tree / "sesiones/IV-2020.yaml"
    texto = path.read_text("utf-8").replace(
        "solicitó se anexara", "solicitó —con «comillas», ñandú, 🙂 y\ttabulador— se anexara", 1
    )
    path.write_text(texto, "utf-8")
    records.load(tree)


def test_the_fast_check_refuses_exactly_the_invisible_characters():
    """`yamlfile._INVISIBLE` (a regular expression, for speed) agrees with `unicodedata` on every code point, and
    the quicker pre-check (`_COMUN`) lets none of them through."""
    from pipeline import yamlfile

    desacuerdos = [
        f"U+{c:04X}"
        for c in range(0x110000)
        if (yamlfile._INVISIBLE.fullmatch(chr(c)) is not None) != yamlfile._invisible(chr(c))
        or (yamlfile._invisible(chr(c)) and not yamlfile._tiene_invisibles(f"a{chr(c)}b"))
    ]
    assert desacuerdos == []


# --- data already found valid is not validated again ------------------------------------------------------------


@pytest.fixture
def cache_vacia(tmp_path, monkeypatch):
    from pipeline import yamlfile

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yamlfile._validos.cache_clear()
    yield tmp_path / "cache/actas-stl/validados.txt"
    yamlfile._validos.cache_clear()


def test_valid_records_are_noted_once_and_then_not_validated_again(tree, cache_vacia, monkeypatch):
    from pipeline import yamlfile

    validadas = []
    original = yamlfile._problems
    monkeypatch.setattr(yamlfile, "_problems", lambda *a: validadas.append(a[3]) or original(*a))
    primera = records.load(tree)
    notadas = cache_vacia.read_text("ascii").split()
    assert len(notadas) == len(validadas) >= len(primera.sesiones) + 1  # the sessions, stl.yaml, the profile…
    assert all(len(n) == 64 for n in notadas)  # digests only: no data in the cache
    yamlfile._validos.cache_clear()  # as a new process would start
    validadas.clear()
    assert records.load(tree) == primera and validadas == []
    # A change in one session validates that one only.
    sesion = tree / "sesiones/IV-2020.yaml"
    texto = sesion.read_text("utf-8")
    sesion.write_text(texto.replace('hora_cierre: "14:31"', 'hora_cierre: "14:35"'), "utf-8")
    assert sesion.read_text("utf-8") != texto
    records.load(tree)
    assert validadas == ["sesion"]


def test_invalid_records_are_never_noted_and_always_reported(tree, cache_vacia):
    sesion = tree / "sesiones/IV-2020.yaml"
    texto = sesion.read_text("utf-8")
    sesion.write_text(texto.replace('hora_cierre: "14:31"', "hora_cierre: 14.5"), "utf-8")
    assert sesion.read_text("utf-8") != texto
    for _ in range(2):
        with pytest.raises(RecordsError, match=r"IV-2020\.yaml:\d+.*hora_cierre"):
            records.load(tree)
    assert all(len(n) == 64 for n in cache_vacia.read_text("ascii").split())
    # The same valid text validates again if the schema changed: the schema is part of the key.
    from pipeline import yamlfile

    assert yamlfile._clave("sesion", {"a": 1}) != yamlfile._clave("reunion", {"a": 1})
    assert yamlfile._clave("sesion", {"a": 1}) != yamlfile._clave("sesion", {"a": True})


def test_an_unwritable_cache_only_costs_time(tree, tmp_path, monkeypatch):
    from pipeline import yamlfile

    (tmp_path / "archivo").write_text("no es una carpeta")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "archivo"))
    yamlfile._validos.cache_clear()
    try:
        assert records.load(tree).sesion("IV-2020").id == "IV-2020"
    finally:
        yamlfile._validos.cache_clear()


@pytest.mark.parametrize(
    ("url", "aceptada"),
    [
        ("https://www.infoem.org.mx", True),
        ("HTTP://www.infoem.org.mx/gobierno-abierto", True),
        ("mailto:gobiernoabierto@infoem.example", True),
        ("datos-abiertos/", True),
        ("../sesiones/IV-2020.html#acuerdos", True),
        ("//www.infoem.org.mx", True),
        ("javascript:alert(document.cookie)", False),
        (" javascript:alert(1)", False),
        ("vbscript:msgbox(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
        ("java\tscript:alert(1)", False),
    ],
)
def test_site_links_are_http_https_mailto_or_relative(tree, url, aceptada):
    """A link of `sitio:` goes into an href of the public site: any other scheme would run in the reader's page."""
    stl = yaml.safe_load((tree / "stl.yaml").read_text("utf-8"))
    stl["sitio"]["ligas"].append({"titulo": "Liga", "url": url})
    stl["sitio"]["comunicados"] = [{"fecha": "2020-11-04", "titulo": "Comunicado", "url": url}]
    stl["sitio"]["evidencias"] = [{"sesion": "IV-2020", "tipo": "video", "titulo": "Video", "url": url}]
    (tree / "stl.yaml").write_text(yaml.safe_dump(stl, allow_unicode=True), "utf-8")
    if aceptada:
        sitio = records.load(tree).stl.sitio
        assert sitio.ligas[-1][1] == sitio.comunicados[0][2] == sitio.evidencias[0][3] == url
        return
    with pytest.raises(RecordsError) as error:
        records.load(tree)
    campos = {p.lugar.campo for p in error.value.problemas}
    assert campos == {"sitio.ligas[2].url", "sitio.comunicados[0].url", "sitio.evidencias[0].url"}, campos
    assert all("http:// o https://, mailto: o relativa" in p.mensaje for p in error.value.problemas)


def _bomba_de_alias(niveles: int = 8) -> str:
    """«Billion laughs»: each level a list of nine aliases of the one before; 9**8 values from ~800 bytes."""
    filas = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, niveles + 1):
        filas.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]")
    return "\n".join(filas) + "\n"


def test_an_alias_bomb_is_refused_in_milliseconds_naming_file_and_line(tree):
    """Run as `stl validar` in its own process, with 1 GB of address space and 30 s at most: before, it took 71 s
    and 5.9 GB before a MemoryError."""
    import resource
    import subprocess
    import sys
    import time

    bomba = _bomba_de_alias()
    assert len(bomba.encode()) < 1000
    (tree / "sesiones/V-2020.yaml").write_text(bomba, "utf-8")

    def limite() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    stl = Path(sys.executable).with_name("stl")
    inicio = time.perf_counter()
    proceso = subprocess.run(
        [stl, "--registros", str(tree), "validar", "IV-2020"],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=limite,
    )
    tiempo = time.perf_counter() - inicio
    salida = proceso.stdout + proceso.stderr
    assert proceso.returncode == 1, salida
    assert "Traceback" not in salida and "MemoryError" not in salida, salida
    assert "sesiones/V-2020.yaml:2: YAML mal formado: un alias de YAML" in salida, salida
    # The whole command, Python's start included; the check itself takes microseconds.
    assert tiempo < 5, tiempo


def test_anchors_and_aliases_are_refused_even_small(tmp_path):
    from pipeline import yamlfile

    path = tmp_path / "x.yaml"
    path.write_text("a: &nombre Zulema\nb:\n  - 1\n  - *nombre\n", "utf-8")
    data, _, problemas = yamlfile.read_yaml(path, "x.yaml")
    assert data is None
    assert [(p.lugar.linea, "alias" in p.mensaje) for p in problemas] == [(4, True)]
