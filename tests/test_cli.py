"""The `stl` command, in-process with click's CliRunner, on the bundled records."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from builders import ROOT
from pipeline.cli import main


def run(*args: str):
    return CliRunner().invoke(main, ["--registros", str(ROOT / "records"), *args])


def test_validar_cuarta_sesion_ordinaria():
    result = run("validar", "IV-2020")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Cuarta Sesión Ordinaria (IV-2020)" in out
    assert "Quórum: hay quórum — 3 de 3 integrantes con voto presentes" in out
    assert (
        "Firman el acta (4): Zulema Martínez Sánchez, Javier Vargas Zempoaltecatl, "
        "Daniel Rosemberg Cervantes Pérez y Rafael Funes Díaz" in out
    )
    assert (
        "Participan con voz, sin firma (2): Luis Gustavo Parra Noriega y José Guadalupe Luna Hernández" in out
    )
    for n in range(1, 5):
        assert f"STL/IV/{n}/2020 — se aprueba por unanimidad de votos (3 a favor" in out
    assert "Convocatoria STL/004/2020 del 26 de octubre de 2020" in out
    assert "5 días hábiles de anticipación (se requieren 5): dentro del plazo [000, Cap. VI.6]" in out
    assert "Errores: ninguno" in out and "Advertencias: ninguna" in out


def test_validar_partial_session():
    result = run("validar", "2019-11-11")
    assert result.exit_code == 0, result.output
    assert "Registro parcial" in result.output and "Mecanismo de Gobernanza" in result.output


def test_unknown_session_is_a_spanish_error():
    result = run("validar", "IX-2030")
    assert result.exit_code == 1
    assert (
        "no hay registro de la sesión «IX-2030»; sesiones: INST-2019, 2019-11-11, III-2020, IV-2020"
        in result.output
    )
    assert "Traceback" not in result.output and "Errores en los registros" not in result.output


def test_missing_records_folder(tmp_path):
    result = CliRunner().invoke(main, ["--registros", str(tmp_path), "validar", "IV-2020"])
    assert result.exit_code == 1
    assert "no se encontró" in result.output and "stl.yaml" in result.output


def test_estricto_turns_warnings_into_failure(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root)
    path = root / "sesiones/IV-2020.yaml"
    path.write_text(path.read_text("utf-8").replace('fecha: "2020-10-26"', 'fecha: "2020-10-28"'), "utf-8")
    relaxed = CliRunner().invoke(main, ["--registros", str(root), "validar", "IV-2020"])
    assert relaxed.exit_code == 0, relaxed.output
    assert "3 días hábiles de anticipación (se requieren 5): FUERA DEL PLAZO" in relaxed.output
    strict = CliRunner().invoke(main, ["--registros", str(root), "validar", "IV-2020", "--estricto"])
    assert strict.exit_code == 1
    assert (
        "sesiones/IV-2020.yaml:15 [convocatoria.fecha]: la convocatoria STL/004/2020 da 3 días hábiles"
        in strict.output
    )


def test_help_is_spanish():
    result = CliRunner().invoke(main, ["--ayuda"], prog_name="stl")
    assert result.exit_code == 0
    assert "Uso: stl [OPCIONES] COMANDO" in result.output and "Comandos:" in result.output
    result = CliRunner().invoke(main, ["validar"])
    assert result.exit_code == 2 and "Falta el argumento 'SESION'" in result.output


def test_acta_writes_pdf_positions_and_docx_and_prints_their_paths(tmp_path):
    salida = tmp_path / "salida"
    result = CliRunner().invoke(
        main, ["--registros", str(ROOT / "records"), "--salida", str(salida), "acta", "IV-2020"]
    )
    assert result.exit_code == 0, result.output
    nombres = ["acta-IV-2020.pdf", "acta-IV-2020.firmas.json", "acta-IV-2020.docx"]
    assert result.output.split() == [str(salida / "IV-2020" / n) for n in nombres]
    visibles = sorted(p.name for p in (salida / "IV-2020").iterdir() if p.name != ".huellas.json")
    assert visibles == sorted(nombres)  # no temporary files left


def test_a_missing_docx_template_is_a_spanish_error(tmp_path, monkeypatch):
    from pipeline import render

    plantillas = tmp_path / "plantillas"
    shutil.copytree(render.TEMPLATES / "pdf", plantillas / "pdf")
    monkeypatch.setattr(render, "TEMPLATES", plantillas)
    args = [
        "--registros",
        str(ROOT / "records"),
        "--salida",
        str(tmp_path / "s"),
        "orden",
        "IV-2020",
        "--formato",
        "docx",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "no se encontró la plantilla" in result.output and "orden.docx" in result.output
    assert "Traceback" not in result.output


def test_acta_is_not_rendered_again_when_nothing_changed(tree, tmp_path, monkeypatch):
    from pipeline import render

    salida = tmp_path / "salida"
    args = ["--registros", str(tree), "--salida", str(salida), "acta", "IV-2020", "--formato", "pdf"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    llamadas = []
    original = render.acta
    monkeypatch.setattr(render, "acta", lambda *a: llamadas.append(a) or original(*a))
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and again.output == first.output and llamadas == []  # nothing rendered
    pdf = salida / "IV-2020/acta-IV-2020.pdf"
    pdf.write_bytes(b"estropeado")  # a damaged output is made again
    assert (
        CliRunner().invoke(main, args).exit_code == 0
        and len(llamadas) == 1
        and pdf.read_bytes()[:5] == b"%PDF-"
    )
    sesion = tree / "sesiones/IV-2020.yaml"
    sesion.write_text(
        sesion.read_text("utf-8").replace('hora_cierre: "14:31"', 'hora_cierre: "14:35"'), "utf-8"
    )
    assert (
        CliRunner().invoke(main, args).exit_code == 0 and len(llamadas) == 2
    )  # a changed record is rendered


def test_several_actas_in_one_call(tree, tmp_path):
    """A batch: the same bytes as one at a time (rendering is deterministic), spread over the cores."""
    shutil.copy(ROOT / "tests/data/valid/V-2020.yaml", tree / "sesiones/V-2020.yaml")
    lote = CliRunner().invoke(
        main,
        ["--registros", str(tree), "--salida", str(tmp_path / "lote"), "acta", "--todas", "--formato", "pdf"],
    )
    assert lote.exit_code == 0, lote.output
    pdfs = sorted(p.relative_to(tmp_path / "lote") for p in (tmp_path / "lote").rglob("*.pdf"))
    assert [str(p) for p in pdfs] == ["IV-2020/acta-IV-2020.pdf", "V-2020/acta-V-2020.pdf"]
    una = CliRunner().invoke(
        main,
        ["--registros", str(tree), "--salida", str(tmp_path / "una"), "acta", "V-2020", "--formato", "pdf"],
    )
    assert una.exit_code == 0, una.output
    assert (tmp_path / "una/V-2020/acta-V-2020.pdf").read_bytes() == (
        tmp_path / "lote/V-2020/acta-V-2020.pdf"
    ).read_bytes()


def test_an_acta_is_made_from_exactly_the_record_bytes_its_hash_covers(tree, tmp_path, monkeypatch):
    """An editor saves the record while `stl acta` runs: the file is half written (its last interventions and the
    clausura missing, still a valid record) right after the inputs are hashed, and whole again afterwards. The
    acta must not be one of the half record kept under the hash of the whole one (the rerun would keep it)."""
    import docx

    from pipeline import huellas

    sesion = tree / "sesiones/IV-2020.yaml"
    completo = sesion.read_bytes()
    lineas = completo.decode("utf-8").splitlines(keepends=True)
    a_medias = "".join(lineas[:168]).encode("utf-8")
    marca = "externó su agrado".encode()
    assert marca in completo and marca not in a_medias
    original = huellas.entradas

    def guardado_a_medias(*args):  # the real hash; then the editor's save, half done, lands on disk
        huella = original(*args)
        sesion.write_bytes(a_medias)
        return huella

    salida = tmp_path / "salida"
    args = ["--registros", str(tree), "--salida", str(salida), "acta", "IV-2020", "--formato", "docx"]
    monkeypatch.setattr(huellas, "entradas", guardado_a_medias)
    assert (result := CliRunner().invoke(main, args)).exit_code == 0, result.output
    monkeypatch.setattr(huellas, "entradas", original)
    sesion.write_bytes(completo)  # the save completes
    assert (result := CliRunner().invoke(main, args)).exit_code == 0, result.output
    texto = "\n".join(p.text for p in docx.Document(salida / "IV-2020/acta-IV-2020.docx").paragraphs)
    assert "externó su agrado" in texto


def test_a_half_saved_record_read_by_stl_acta_is_made_again_once_complete(tree, tmp_path):
    """The record read half written: its acta is made from those bytes and noted under their hash, so the run
    after the save completes sees another hash and makes the acta again."""
    from pipeline import huellas

    sesion = tree / "sesiones/IV-2020.yaml"
    completo = sesion.read_bytes()
    sesion.write_bytes(b"".join(completo.splitlines(keepends=True)[:168]))
    salida = tmp_path / "salida"
    args = ["--registros", str(tree), "--salida", str(salida), "acta", "IV-2020", "--formato", "docx"]
    assert (result := CliRunner().invoke(main, args)).exit_code == 0, result.output
    a_medias = (salida / "IV-2020/acta-IV-2020.docx").read_bytes()
    sesion.write_bytes(completo)
    assert (result := CliRunner().invoke(main, args)).exit_code == 0, result.output
    assert (salida / "IV-2020/acta-IV-2020.docx").read_bytes() != a_medias
    huella = huellas.entradas(huellas.instantanea(tree), ROOT / "templates", "IV-2020", "docx")
    assert huellas.vigentes(salida / "IV-2020", "acta-IV-2020", huella) is not None


@pytest.mark.parametrize(
    "args, espera",
    [
        (
            ["nueva-sesion", "V-2020", "--fecha", "10/01/2027", "--hora", "10:00"],
            "no es una fecha en la forma",
        ),
        (["nueva-sesion", "V-2020", "--fecha", "2027-01-10", "--hora", "10h"], "no es una hora en la forma"),
        (["acta", "IV-2020", "--formato", "xx"], "no es ninguno de estos"),
        (["fe-de-erratas", "IV-2020", "--numero", "0"], "debe ser un número entero de 1 en adelante"),
    ],
)
def test_option_errors_are_spanish(args, espera):
    result = CliRunner().invoke(main, ["--registros", str(ROOT / "records"), *args])
    assert result.exit_code == 2 and espera in result.output, result.output
    for ingles in ("does not match", "is not one of", "x>=1", "is not in the range"):
        assert ingles not in result.output


def test_an_unknown_signer_id_is_said_unknown_with_the_closest_ids(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "--registros",
            str(ROOT / "records"),
            "--firmas",
            str(tmp_path),
            "firmar",
            "IV-2020",
            "--firmante",
            "vargaz",
            "--p12",
            str(ROOT / "pyproject.toml"),
        ],
    )
    assert result.exit_code == 1, result.output
    assert (
        "«vargaz» no es el id de ningún integrante" in result.output
        and "¿Quiso decir «vargas»?" in result.output
    )
    assert "no asistió" not in result.output


SIN_OBJETIVO = {
    "init",
    "consola",
    "vista-previa",
    "perfil",
    "nueva-sesion",
    "nueva-reunion",
    "publicar",
}


def _comandos():
    """Every command of `stl` that takes a session or meeting, by its name (subcommands of a group too)."""
    import click

    for nombre, comando in main.commands.items():
        if nombre in SIN_OBJETIVO:
            continue
        if isinstance(comando, click.Group):
            yield from (f"{nombre} {sub}" for sub in comando.commands)
        else:
            yield nombre


@pytest.mark.parametrize("objetivo", ["RT-2020-11-24", "IX-2030", "RT-2030-01-01"])
@pytest.mark.parametrize("comando", sorted(_comandos()))
def test_every_command_on_a_meeting_or_an_unknown_id_answers_in_spanish(tmp_path, comando, objetivo):
    """A working meeting given to a command of sessions (or the reverse), or an id with no record: an answer in
    Spanish (the document, or an error that says what to use), never a traceback; nothing written on an error."""
    shutil.copytree(ROOT / "records", tmp_path / "records")
    carpetas = []
    for opcion in ("salida", "firmas", "archivo"):
        carpetas += [f"--{opcion}", str(tmp_path / opcion)]
    antes = {p: p.read_bytes() for p in (tmp_path / "records").rglob("*") if p.is_file()}
    result = CliRunner().invoke(
        main,
        ["--registros", str(tmp_path / "records"), *carpetas, *comando.split(), objetivo, "--simular"]
        if comando.startswith("enviar")
        else ["--registros", str(tmp_path / "records"), *carpetas, *comando.split(), objetivo],
        env={"STL_CONTRASENA": None},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code:
        assert result.output.startswith(("Error: ", "Uso: ")) or "\nError: " in result.output, result.output
        assert {p: p.read_bytes() for p in (tmp_path / "records").rglob("*") if p.is_file()} == antes
        assert not (tmp_path / "archivo").exists() or not any((tmp_path / "archivo").rglob("*.pdf"))
