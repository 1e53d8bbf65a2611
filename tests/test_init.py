"""`stl init`: the records of a new STL from a profile (bundled, or a file of its own for a fourth state), refused
until every «POR LLENAR» is filled, then accepted by `stl validar` and ready for `stl acta`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from builders import ROOT, celebrar, llenar_stl
from pipeline import records
from pipeline.cli import main


def stl(*args: str):
    return CliRunner().invoke(main, list(args))


def nuevo(carpeta: Path, perfil: str) -> None:
    result = stl("init", str(carpeta), "--perfil", perfil)
    assert result.exit_code == 0, result.output
    assert "POR LLENAR" in result.output


def esquema_relativo(archivo: Path) -> None:
    """The record names its schema by a path relative to its folder, to a copy inside the records folder: it
    still holds when the folder is copied to a colleague's machine (never the venv's site-packages)."""
    primera = archivo.read_text("utf-8").splitlines()[0]
    ref = primera.removeprefix("# yaml-language-server: $schema=")
    assert ref != primera and not ref.startswith("/") and "site-packages" not in ref, primera
    destino = (archivo.parent / ref).resolve()
    assert destino.is_file() and "esquemas" in destino.parts, destino
    assert json.loads(destino.read_text("utf-8"))["$schema"].startswith("https://json-schema.org/")


def llenar_y_validar(carpeta: Path):
    """Fill the names, convene the first session, hold it, and validate it."""
    llenar_stl(carpeta)
    result = stl(
        "--registros", str(carpeta), "nueva-sesion", "I-2021", "--fecha", "2021-03-10", "--hora", "10:00"
    )
    assert result.exit_code == 0, result.output
    for archivo in ("stl.yaml", "folios.yaml", "sesiones/I-2021.yaml"):  # the editor finds each schema
        esquema_relativo(carpeta / archivo)
    celebrar(carpeta, "I-2021")
    result = stl("--registros", str(carpeta), "validar", "I-2021")
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize(
    ("perfil", "sectores", "preside", "facilitador"),
    [
        ("edomex", 3, False, True),
        ("zacatecas", 7, False, True),
        ("jalisco", 9, True, False),
    ],
)
def test_init_writes_the_profiles_seats(tmp_path, perfil, sectores, preside, facilitador):
    carpeta = tmp_path / "stl"
    nuevo(carpeta, perfil)
    datos = yaml.safe_load((carpeta / "stl.yaml").read_text("utf-8"))
    assert datos["perfil"] == perfil
    titulares = [p for p in datos["integrantes"] if p["calidad"] == "titular"]
    assert len(titulares) == sectores
    assert any(p.get("preside") for p in titulares) is preside
    assert any(p["calidad"] == "facilitador" for p in datos["integrantes"]) is facilitador
    esquema_relativo(carpeta / "stl.yaml")
    for path in carpeta.rglob("*"):  # nothing written names this machine's installation or checkout
        if path.is_file() and path.suffix == ".yaml":
            texto = path.read_text("utf-8")
            assert str(ROOT) not in texto and "site-packages" not in texto and "../pipeline/" not in texto
    assert yaml.safe_load((carpeta / "folios.yaml").read_text("utf-8")) == {"folios": []}
    assert (carpeta / "sesiones").is_dir() and (carpeta / "reuniones").is_dir()


def test_records_are_refused_until_filled_then_validar_accepts_them(tmp_path):
    carpeta = tmp_path / "stl"
    nuevo(carpeta, "jalisco")
    with pytest.raises(records.RecordsError) as exc:
        records.load(carpeta)
    texto = str(exc.value)
    assert "stl.yaml:17 [integrantes[0].nombre]: falta llenar este dato" in texto
    assert texto.count("falta llenar") == 5 + 3 * 9
    result = llenar_y_validar(carpeta)
    assert "Quórum: hay quórum" in result.output and "Errores: ninguno" in result.output
    assert "Facilitador" not in result.output


def test_init_never_writes_over_a_folder_with_content(tmp_path):
    (tmp_path / "algo.txt").write_text("x", "utf-8")
    result = stl("init", str(tmp_path), "--perfil", "edomex")
    assert result.exit_code == 1 and "ya tiene contenido" in result.output
    assert stl("init", str(tmp_path / "otro"), "--perfil", "oaxaca").exit_code == 1


def _oaxaca(tmp_path: Path, **cambios: str) -> Path:
    texto = (ROOT / "pipeline/profiles/jalisco.yaml").read_text("utf-8")
    texto = texto.replace("id: jalisco", "id: oaxaca").replace("en Jalisco", "en Oaxaca")
    for viejo, nuevo_ in cambios.items():
        texto = texto.replace(viejo, nuevo_)
    path = tmp_path / "oaxaca.yaml"
    path.write_text(texto, "utf-8")
    return path


def test_a_fourth_state_is_a_profile_file_not_code(tmp_path):
    carpeta = tmp_path / "stl"
    nuevo(carpeta, str(_oaxaca(tmp_path)))
    assert (carpeta / "perfiles/oaxaca.yaml").is_file()
    result = llenar_y_validar(carpeta)
    assert (
        "Mecanismo de Gobernanza del Secretariado Técnico Local de Gobierno Abierto en Oaxaca"
        in result.output
    )
    assert records.load(carpeta).perfil.id == "oaxaca"


def test_a_profile_file_is_checked_against_its_schema(tmp_path):
    mal = _oaxaca(tmp_path, **{"minimo: mayoria": "minimo: casi_todos"})
    result = stl("init", str(tmp_path / "stl"), "--perfil", str(mal))
    assert result.exit_code == 1
    # the user's own file, with its line and field (not the copy in perfiles/ it would have become)
    assert f"{mal}:" in result.output and "[quorum.minimo]" in result.output, result.output
    assert "perfiles/oaxaca.yaml" not in result.output
    assert not (tmp_path / "stl").exists()
    # the same profile, broken later inside the records folder, is reported with its line too
    carpeta = tmp_path / "bien"
    nuevo(carpeta, str(_oaxaca(tmp_path)))
    llenar_stl(carpeta)
    perfil = carpeta / "perfiles/oaxaca.yaml"
    perfil.write_text(perfil.read_text("utf-8").replace("minimo: mayoria", "minimo: casi_todos"), "utf-8")
    with pytest.raises(records.RecordsError, match=r"perfiles/oaxaca\.yaml:\d+ \[quorum\.minimo\]"):
        records.load(carpeta)


def test_a_session_on_a_non_working_day_warns_naming_the_day_and_why(tmp_path):
    """The calendar that counts the convocatoria's business days also says when the session itself falls on a
    holiday (LFT art. 74) or on a day the institution declared inhábil; `--estricto` fails on it."""
    carpeta = tmp_path / "stl"
    nuevo(carpeta, "edomex")
    llenar_stl(carpeta)
    stl_yaml = carpeta / "stl.yaml"
    stl_yaml.write_text(
        stl_yaml.read_text("utf-8").replace(
            "dias_inhabiles: []",
            'dias_inhabiles:\n  - {fecha: "2027-03-03", acuerdo: "Acuerdo del Pleno ITE/03/2027"}',
        ),
        "utf-8",
    )
    registros = ["--registros", str(carpeta)]
    result = stl(*registros, "nueva-sesion", "I-2026", "--fecha", "2026-12-25", "--hora", "10:00")
    assert result.exit_code == 0, result.output
    navidad = "el viernes 25 de diciembre de 2026 es día inhábil: Navidad (Ley Federal del Trabajo, art. 74)"
    assert f"Advertencia: la sesión sería en día inhábil: {navidad}" in result.output
    celebrar(carpeta, "I-2026")
    result = stl(*registros, "validar", "I-2026")
    assert result.exit_code == 0, result.output
    assert f"la sesión se celebra en día inhábil: {navidad}" in result.output
    estricto = stl(*registros, "validar", "I-2026", "--estricto")
    assert estricto.exit_code == 1 and navidad in estricto.output
    result = stl(*registros, "nueva-sesion", "II-2027", "--fecha", "2027-03-03", "--hora", "10:00")
    assert result.exit_code == 0, result.output
    assert (
        "el miércoles 3 de marzo de 2027 es día inhábil: lo declaró así la institución (Acuerdo del Pleno "
        "ITE/03/2027; dias_inhabiles en stl.yaml)" in result.output
    )
    result = stl(*registros, "nueva-reunion", "--fecha", "2027-02-01", "--hora", "10:00", "--asunto", "PAL")
    assert result.exit_code == 0, result.output
    constitucion = (
        "el lunes 1 de febrero de 2027 es día inhábil: Día de la Constitución (Ley Federal del Trabajo"
    )
    assert constitucion in result.output
    result = CliRunner().invoke(
        main,
        [*registros, "--salida", str(tmp_path / "salida"), "minuta", "RT-2027-02-01", "--formato", "docx"],
    )
    assert result.exit_code == 0, result.output
    assert f"la reunión de trabajo se celebra en día inhábil: {constitucion}" in result.output


def test_stl_perfil_prints_a_bundled_profile_commented_to_start_ones_own(tmp_path):
    """A fourth state starts from `stl perfil jalisco`: every field explained, valid as it is; its `fuente` is a
    free citation (a new STL has no seed number) and no summary prints «(semilla …)» for it."""
    result = stl("perfil", "jalisco")
    assert result.exit_code == 0, result.output
    texto = result.output
    assert texto.startswith("# Perfil de gobernanza para empezar el de su STL")
    lineas = texto.splitlines()
    for n, linea in enumerate(lineas):  # every field of the profile has its explanation right above it
        if linea and not linea.startswith(("#", " ")):
            assert lineas[n - 1].startswith("#"), linea
    assert "#   regla de cada calidad: siempre | en_suplencia | segun_designacion | nunca" in texto
    assert "semilla 002" not in texto and "002_" not in texto.split("\nid:")[0]
    datos = yaml.safe_load(texto)
    datos["id"], datos["fuente"] = (
        "oaxaca",
        "Lineamientos aprobados por el STL de Oaxaca el 3 de marzo de 2022",
    )
    propio = tmp_path / "oaxaca.yaml"
    propio.write_text(
        texto.replace("id: jalisco", "id: oaxaca").replace('fuente: "002"', f'fuente: "{datos["fuente"]}"'),
        "utf-8",
    )
    carpeta = tmp_path / "stl"
    nuevo(carpeta, str(propio))
    validado = llenar_y_validar(carpeta)
    assert f"Perfil de gobernanza: {datos['nombre']} ({datos['fuente']})" in validado.output
    assert "semilla" not in validado.output and "002," not in validado.output
    assert "[V.6]" in validado.output  # the article alone: the document is named once, above
    assert stl("perfil", "oaxaca").exit_code == 1


@pytest.mark.parametrize(
    ("cambio", "campo", "dice"),
    [
        (("id: jalisco", "id: Oaxaca-Centro"), "id", "debe ser una sola palabra en minúsculas"),
        (('fuente: "002"', "fuente: ''"), "fuente", "no puede estar vacío"),
        (
            ("  minimo: mayoria", "  minimo: casi"),
            "quorum.minimo",
            "debe ser uno de: mayoria, cincuenta_mas_uno",
        ),
    ],
)
def test_profile_errors_name_the_users_file_line_and_field_and_the_expected_form(
    tmp_path, cambio, campo, dice
):
    propio = tmp_path / "mi-perfil.yaml"
    texto = stl("perfil", "jalisco").output
    lineas = texto.splitlines()
    linea = next(n for n, t in enumerate(lineas, 1) if t.startswith(cambio[0]))
    lineas[linea - 1] = lineas[linea - 1].replace(cambio[0], cambio[1])
    propio.write_text("\n".join(lineas) + "\n", "utf-8")
    result = stl("init", str(tmp_path / "stl"), "--perfil", str(propio))
    assert result.exit_code == 1
    assert f"{propio}:{linea} [{campo}]:" in result.output and dice in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "stl").exists()
