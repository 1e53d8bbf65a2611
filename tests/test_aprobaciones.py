"""The approved text never changes (aprobaciones.yaml), whatever part of the acta a later edit touches.

Through the commands a Facilitador runs, on the three example STLs: `stl acta` sees the approval and records the
approved text; then the record is edited where only the acta's heading and opening say it — the date, the hour it
opened, who attended — and `stl acta` warns while `stl preparar-firma` refuses, naming «encabezado y apertura» (the
hour appears nowhere else), writing nothing and leaving aprobaciones.yaml as it was.

Then the freeze on values (`pipeline/aprobaciones.py`), fast enough for `make mutacion`: every part of the worded
acta and of what draws it has its own SHA-256 and a change in it is named by that part and no other; the approved
text is written once, read back as written, anchored in the archive, which wins over the records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import ROOT
from pipeline import aprobaciones, pki_demo, records, render, rules
from pipeline.cli import main
from pipeline.errors import StlError
from pipeline.models import Aprobado, Ubicacion

EJEMPLOS = {
    "edomex": (ROOT / "records", "IV-2020"),
    "jalisco": (ROOT / "records-ejemplos/jalisco", "I-2021"),
    "zacatecas": (ROOT / "records-ejemplos/zacatecas", "I-2021"),
}
EL = {"edomex": "el acta", "jalisco": "el acta", "zacatecas": "la minuta"}  # as each profile calls it
DEL = {"edomex": "del acta", "jalisco": "del acta", "zacatecas": "de la minuta"}
INVITADA = (
    "  - id: invitada-nueva\n    nombre: Lucía Paredes Mora\n    genero: f\n    cargo: Investigadora invitada\n"
    "    cargo_corto: Investigadora invitada\n    sector: academia\n    calidad: invitado\n"
)


def _stl(base: Path, *args: str):
    carpetas = ["--registros", f"{base}/records", "--salida", f"{base}/salida", "--firmas", f"{base}/firmas"]
    carpetas += ["--archivo", f"{base}/archivo"]
    return CliRunner().invoke(main, [*carpetas, *args], env={"STL_CONTRASENA": "demo"})


@pytest.fixture(scope="module", params=list(EJEMPLOS))
def aprobada(request, tmp_path_factory) -> tuple[Path, str]:
    """The example's records with its acta approved and the approved text recorded by `stl acta`."""
    origen, sesion = EJEMPLOS[request.param]
    base = tmp_path_factory.mktemp(f"aprobada-{request.param}")
    shutil.copytree(origen, base / "records")
    registro = base / "records/sesiones" / f"{sesion}.yaml"
    if "\naprobacion:" not in registro.read_text("utf-8"):
        with registro.open("a", encoding="utf-8") as handle:
            handle.write('aprobacion: {fecha: "2021-04-01", fundamento: "Aprobación de prueba"}\n')
    pki_demo.generar(base / "claves", [("prepara", "Persona que Prepara")], "demo", dt.datetime.now(dt.UTC))
    result = _stl(base, "acta", sesion, "--formato", "docx")
    assert result.exit_code == 0, result.output
    assert f"Texto aprobado {DEL[request.param]} de {sesion} registrado en" in result.output
    return base, sesion


def _perfil(base: Path) -> str:
    return re.search(r"^perfil: (\w+)", (base / "records/stl.yaml").read_text("utf-8"), re.M)[1]


def _editar(base: Path, sesion: str, cambio: str) -> None:
    path = base / "records/sesiones" / f"{sesion}.yaml"
    texto = path.read_text("utf-8")
    if cambio == "fecha":
        fecha = re.search(r'^fecha: "(\S+)"', texto, re.M)[1]
        despues = dt.date.fromisoformat(fecha) + dt.timedelta(days=1)
        texto = texto.replace(f'fecha: "{fecha}"', f'fecha: "{despues.isoformat()}"', 1)
    elif cambio == "hora":
        texto = re.sub(r'^hora_inicio: "(\d\d):\d\d"', r'hora_inicio: "\1:15"', texto, count=1, flags=re.M)
    else:  # one more person attended: a guest, with voice only, who neither spoke nor signs
        stl = base / "records/stl.yaml"
        stl.write_text(stl.read_text("utf-8").rstrip("\n") + "\n" + INVITADA, "utf-8")
        if "asistencia: [" in texto:
            texto = re.sub(r"^asistencia: \[(.*)\]", r"asistencia: [\1, invitada-nueva]", texto, flags=re.M)
        else:
            texto = texto.replace("asistencia:\n", "asistencia:\n  - invitada-nueva\n", 1)
    assert texto != path.read_text("utf-8")
    path.write_text(texto, "utf-8")


@pytest.mark.lenta
@pytest.mark.parametrize("cambio", ["fecha", "hora", "asistencia"])
def test_an_edit_of_the_heading_after_approval_is_warned_and_refused(aprobada, tmp_path, cambio):
    origen, sesion = aprobada
    el = EL[_perfil(origen)]
    for carpeta in ("records", "archivo"):  # the approved text, in the records and anchored in the archive
        shutil.copytree(origen / carpeta, tmp_path / carpeta)
    aprobado = (tmp_path / "records/aprobaciones.yaml").read_bytes()
    _editar(tmp_path, sesion, cambio)

    result = _stl(tmp_path, "acta", sesion, "--formato", "docx")
    assert result.exit_code == 0, result.output
    assert f"{el} de {sesion} ya no es el texto aprobado" in result.output
    assert re.search(r"cambió [^.]*encabezado y apertura", result.output), result.output

    p12 = str(origen / "claves/prepara.p12")
    result = _stl(tmp_path, "preparar-firma", sesion, "--p12", p12)
    assert result.exit_code == 1, result.output
    assert f"{el} de {sesion} ya no es el texto aprobado" in result.output
    assert re.search(r"cambió [^.]*encabezado y apertura", result.output), result.output
    assert not (tmp_path / "firmas").exists() or not any((tmp_path / "firmas").rglob("*.pdf"))
    assert (tmp_path / "records/aprobaciones.yaml").read_bytes() == aprobado


# --- the freeze on values -------------------------------------------------------------------------------------

AHORA = dt.datetime(2020, 12, 2, 10, 0, tzinfo=dt.UTC)
APROBADA = "el primero de diciembre de dos mil veinte"  # how the rules word the approval the fixture records
SECCIONES = [
    "encabezado y apertura",
    "orden del día convocado",
    *(f"punto {n} del orden del día" for n in ("I", "II", "III", "IV", "V", "VI", "VII")),
    "firmas",
    "pie de página",
    aprobaciones.DIBUJO,
]


@pytest.fixture
def iv(tree):
    """IV-2020 approved, not yet recorded: (records, its acta as worded now)."""
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write('aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación «de prueba»"}\n')
    registro = records.load(tree)
    return registro, render.acta(registro, rules.dictaminar(registro, "IV-2020"))


def _aprobado(contenido: aprobaciones.Contenido) -> Aprobado:
    return Aprobado("IV-2020", "prueba", contenido.sha256, contenido.secciones, Ubicacion("x", 1))


def test_the_recipe_of_a_parts_hash_never_changes():
    """aprobaciones.yaml keeps hashes that a later version of stl compares: the canonical JSON they are made of
    (keys sorted, no spaces, accents as they are, UTF-8) is pinned here."""
    assert aprobaciones._sha(["Acta «uno»", {"b": 1, "a": ["é", None]}]) == (
        "bfe860945f5a5cafe4553af47eb955ab67cff5d4b8b0e7950ea5bda23a8b42f3"
    )


def test_every_part_has_its_own_hash_and_the_whole_is_the_hash_of_the_parts(iv):
    registro, doc = iv
    contenido = aprobaciones.contenido(doc, registro)
    assert [n for n, _ in contenido.secciones] == SECCIONES
    assert len({sha for _, sha in contenido.secciones}) == len(SECCIONES)
    assert all(len(sha) == 64 and int(sha, 16) >= 0 for _, sha in contenido.secciones)
    assert contenido.sha256 == aprobaciones._sha([sha for _, sha in contenido.secciones])
    assert aprobaciones.contenido(doc, registro) == contenido  # the same acta, the same hashes
    assert aprobaciones.cambios(_aprobado(contenido), contenido) == []


@pytest.mark.parametrize(
    ("campo", "seccion"),
    [
        ("titulo", "encabezado y apertura"),
        ("apertura", "encabezado y apertura"),
        ("orden_convocado", "orden del día convocado"),
        ("secciones", "punto IV del orden del día"),
        ("encabezado_firmas", "firmas"),
        ("firmantes", "firmas"),
        ("pie", "pie de página"),
    ],
    ids=["titulo", "apertura", "orden", "punto", "encabezado-de-firmas", "firmantes", "pie"],
)
def test_a_change_anywhere_is_named_by_its_part_and_no_other(iv, campo, seccion):
    registro, doc = iv
    aprobado = _aprobado(aprobaciones.contenido(doc, registro))
    valor = getattr(doc, campo)
    if campo == "secciones":
        cuarto = dataclasses.replace(valor[3], bloques=valor[3].bloques[:-1])
        valor = (*valor[:3], cuarto, *valor[4:])
    elif campo == "firmantes":
        valor = valor[:-1]
    elif isinstance(valor, tuple):
        valor = (*valor, "un punto más")
    else:
        valor = valor + " (editado)"
    editado = dataclasses.replace(doc, **{campo: valor})
    assert aprobaciones.cambios(aprobado, aprobaciones.contenido(editado, registro)) == [seccion]


def test_what_draws_the_acta_is_a_part_too(iv, tmp_path, monkeypatch):
    registro, doc = iv
    aprobado = _aprobado(aprobaciones.contenido(doc, registro))
    plantillas = tmp_path / "plantillas"
    shutil.copytree(ROOT / "templates", plantillas)
    monkeypatch.setenv("STL_PLANTILLAS", str(plantillas))
    assert aprobaciones.cambios(aprobado, aprobaciones.contenido(doc, registro)) == []  # the same files
    hoja = next((plantillas / "pdf").glob("*.css"))
    hoja.write_text(hoja.read_text("utf-8") + "\n.acuerdo { display: none }\n", "utf-8")
    assert aprobaciones.cambios(aprobado, aprobaciones.contenido(doc, registro)) == [aprobaciones.DIBUJO]
    monkeypatch.delenv("STL_PLANTILLAS")
    perfil = Path(registro.raiz) / "perfiles/edomex.yaml"
    perfil.parent.mkdir()
    perfil.write_bytes(records.profile_bytes("edomex") + b"# el perfil propio del STL\n")
    assert aprobaciones.cambios(aprobado, aprobaciones.contenido(doc, registro)) == [aprobaciones.DIBUJO]


def test_parts_added_or_gone_are_named_and_an_older_approval_is_compared_by_its_text(iv):
    registro, doc = iv
    contenido = aprobaciones.contenido(doc, registro)
    sin_dibujo = contenido.secciones[:-1]  # recorded before what draws the acta was part of it
    viejo = Aprobado("IV-2020", "prueba", "0" * 64, sin_dibujo, Ubicacion("x", 1))
    assert aprobaciones.cambios(viejo, contenido) == []
    con_otra = Aprobado("IV-2020", "prueba", "0" * 64, (*contenido.secciones, ("punto VIII", "1" * 64)), None)
    assert aprobaciones.cambios(con_otra, contenido) == ["punto VIII (ya no está)"]
    menos = Aprobado("IV-2020", "prueba", "0" * 64, contenido.secciones[1:], None)
    assert aprobaciones.cambios(menos, contenido) == ["encabezado y apertura"]


def test_the_approved_text_is_written_once_and_read_back_as_written(iv):
    registro, doc = iv
    raiz = Path(registro.raiz)
    escrito = aprobaciones.congelar(registro, "IV-2020", doc, "Aprobación «de prueba» (2020-12-01)", AHORA)
    assert escrito == aprobaciones.contenido(doc, registro)
    texto = (raiz / aprobaciones.ARCHIVO).read_text("utf-8")
    assert texto.count("  - sesion: IV-2020\n") == 1
    assert "registrada: '2020-12-02T10:00:00+00:00'" in texto
    assert "    aprobacion: Aprobación «de prueba» (2020-12-01)\n" in texto  # as written, not \u escapes
    # Beside it, only its lock, named so that git ignores it (.gitignore: records/.*.lock); other commands' locks
    # (a `make demo` leaves .folios.lock in the bundled records) are not its business.
    assert sorted(p.name for p in raiz.iterdir() if p.name.startswith((".aprob", "aprob"))) == [
        ".aprobaciones.lock",
        "aprobaciones.yaml",
    ]
    leido = records.load(raiz).aprobados["IV-2020"]  # the schema and the loader accept what was written
    assert (leido.aprobacion, leido.sha256, leido.secciones) == (
        "Aprobación «de prueba» (2020-12-01)",
        escrito.sha256,
        escrito.secciones,
    )
    # Already in the records read, or written meanwhile by another process: never a second entry.
    assert aprobaciones.congelar(records.load(raiz), "IV-2020", doc, "otra", AHORA) is None
    assert aprobaciones.congelar(registro, "IV-2020", doc, "otra", AHORA) is None
    assert (raiz / aprobaciones.ARCHIVO).read_text("utf-8") == texto


def test_vigilar_records_anchors_and_then_names_what_changed(iv, tmp_path):
    registro, doc = iv
    archivo = tmp_path / "archivo"
    assert aprobaciones.vigilar(registro, "IV-2020", doc, None, archivo) == aprobaciones.Vigilancia(
        APROBADA
    )  # the preview: nothing recorded
    assert not (Path(registro.raiz) / aprobaciones.ARCHIVO).exists() and not archivo.exists()
    primera = aprobaciones.vigilar(registro, "IV-2020", doc, AHORA, archivo)
    assert primera == aprobaciones.Vigilancia(APROBADA, registrada=True)
    assert "  - sesion: IV-2020\n" in (Path(registro.raiz) / aprobaciones.ARCHIVO).read_text("utf-8")
    ancla = aprobaciones.anclado(archivo, "IV-2020")
    contenido = aprobaciones.contenido(doc, registro)
    assert (ancla.aprobacion, ancla.sha256, ancla.secciones) == (
        APROBADA,
        contenido.sha256,
        contenido.secciones,
    )
    texto = (archivo / "aprobaciones/IV-2020.json").read_text("utf-8")  # for a person to read, as written
    assert texto.startswith(f'{{\n  "sesion": "IV-2020",\n  "aprobacion": "{APROBADA}",\n')
    assert '\n  "anclada": "2020-12-02T10:00:00+00:00",\n' in texto and texto.endswith("\n}\n")
    assert '"seccion": "orden del día convocado"' in texto  # accents as they are, not \u escapes
    releido = records.load(registro.raiz)
    assert aprobaciones.vigilar(releido, "IV-2020", doc, AHORA, archivo) == aprobaciones.Vigilancia(APROBADA)
    editado = dataclasses.replace(doc, apertura=doc.apertura + " Y algo más.")
    assert aprobaciones.vigilar(releido, "IV-2020", editado, AHORA, archivo).cambios == (
        "encabezado y apertura",
    )
    assert aprobaciones.anclado(archivo, "IV-2020") == ancla  # the anchor is never replaced
    despues = AHORA + dt.timedelta(days=30)
    assert aprobaciones.vigilar(releido, "IV-2020", doc, despues, archivo).cambios == ()
    assert (archivo / "aprobaciones/IV-2020.json").read_text("utf-8") == texto  # not written again
    # Without an archive folder: compared with the records alone, nothing anchored.
    assert aprobaciones.vigilar(releido, "IV-2020", doc, AHORA, None) == aprobaciones.Vigilancia(APROBADA)


def test_an_approval_recorded_before_the_archive_was_known_is_anchored_then_but_never_by_the_preview(
    iv, tmp_path
):
    registro, doc = iv
    aprobaciones.congelar(registro, "IV-2020", doc, "Aprobación «de prueba» (2020-12-01)", AHORA)
    registro, archivo = records.load(registro.raiz), tmp_path / "archivo"
    editado = dataclasses.replace(doc, pie=doc.pie + " (editado)")
    for ahora, acta in ((None, doc), (AHORA, editado), (None, editado)):  # the preview, or a changed acta
        aprobaciones.vigilar(registro, "IV-2020", acta, ahora, archivo)
        assert aprobaciones.anclado(archivo, "IV-2020") is None
    despues = AHORA + dt.timedelta(days=7)
    aprobaciones.vigilar(
        registro, "IV-2020", doc, despues, archivo
    )  # unchanged, and not the preview: anchored
    aprobado = registro.aprobados["IV-2020"]
    ancla = archivo / "aprobaciones/IV-2020.json"
    assert aprobaciones.anclado(archivo, "IV-2020") == Aprobado(
        "IV-2020", aprobado.aprobacion, aprobado.sha256, aprobado.secciones, Ubicacion(str(ancla))
    )
    assert '"anclada": "2020-12-09T10:00:00+00:00"' in ancla.read_text("utf-8")  # when it was anchored


def test_an_acta_not_approved_is_not_watched(tmp_path):
    shutil.copytree(ROOT / "records", tmp_path / "records")
    registro = records.load(tmp_path / "records")  # IV-2020 without approval
    doc = render.acta(registro, rules.dictaminar(registro, "IV-2020"))
    vigilancia = aprobaciones.vigilar(registro, "IV-2020", doc, AHORA, tmp_path / "archivo")
    assert vigilancia == aprobaciones.Vigilancia(None)
    assert not (tmp_path / "records" / aprobaciones.ARCHIVO).exists() and not (tmp_path / "archivo").exists()


def test_the_archives_copy_wins_over_the_records(iv, tmp_path):
    registro, doc = iv
    archivo = tmp_path / "archivo"
    aprobaciones.vigilar(registro, "IV-2020", doc, AHORA, archivo)
    raiz = Path(registro.raiz)
    editado = dataclasses.replace(doc, pie=doc.pie + " (editado)")
    # The records' copy rewritten to say the edited acta is the approved one: the archive still says otherwise.
    (raiz / aprobaciones.ARCHIVO).unlink()
    aprobaciones.congelar(records.load(raiz), "IV-2020", editado, "prueba", AHORA)
    falso = records.load(raiz)
    aprobaciones.revisar(falso, "IV-2020", editado)  # the records alone: no difference
    assert aprobaciones.vigilar(falso, "IV-2020", editado, AHORA, archivo).cambios == ("pie de página",)
    with pytest.raises(StlError) as error:
        aprobaciones.revisar(falso, "IV-2020", editado, archivo)
    ancla = archivo / "aprobaciones/IV-2020.json"
    assert f"registrado en {ancla}): cambió pie de página." in str(error.value)  # a file, no line
    aprobaciones.revisar(falso, "IV-2020", doc, archivo)


def test_revisar_refuses_naming_the_parts_and_where_the_approval_is(iv):
    registro, doc = iv
    aprobaciones.revisar(registro, "IV-2020", doc)  # nothing recorded: nothing to compare
    aprobaciones.congelar(registro, "IV-2020", doc, "Aprobación «de prueba» (2020-12-01)", AHORA)
    registro = records.load(registro.raiz)
    aprobaciones.revisar(registro, "IV-2020", doc)
    editado = dataclasses.replace(doc, titulo=doc.titulo + " (editado)", pie=doc.pie + " (editado)")
    with pytest.raises(StlError) as error:
        aprobaciones.revisar(registro, "IV-2020", editado)
    sha = registro.aprobados["IV-2020"].sha256
    assert str(error.value) == (
        f"el acta de IV-2020 ya no es el texto aprobado (Aprobación «de prueba» (2020-12-01); SHA-256 {sha[:16]}…, "
        f"registrado en {aprobaciones.ARCHIVO}, línea 4): cambió encabezado y apertura, pie de página. Los registros, "
        "las plantillas o el perfil cambiaron después de la aprobación. Devuelva el registro al texto aprobado y "
        "anote la corrección en «fe_de_erratas» (stl fe-de-erratas); no se preparó nada"
    )


def test_an_unreadable_anchor_is_said_not_taken_for_no_approval(tmp_path):
    assert aprobaciones.anclado(None, "IV-2020") is None
    assert aprobaciones.anclado(tmp_path, "IV-2020") is None
    (tmp_path / aprobaciones.ANCLAS).mkdir()
    (tmp_path / aprobaciones.ANCLAS / "IV-2020.json").write_text('{"sesion": "IV-2020"}', "utf-8")
    with pytest.raises(StlError, match="no es un texto aprobado legible"):
        aprobaciones.anclado(tmp_path, "IV-2020")
