"""The registries stl adds to (folios, aprobaciones, certificados, envíos) are changed structurally, through one
helper: parsed keeping comments, added to, read back and checked, written atomically under their lock. Never by
appending text: `folios: []` from `stl init` once became `folios: []` followed by «  - folio: …», YAML that no
command could load again."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from builders import llenar_stl
from pipeline import records, registros_yaml
from pipeline.cli import main
from pipeline.errors import RecordsError

ENTRADAS = {
    "folios": {
        "folio": "STL/002/2026",
        "fecha": "2026-03-02",
        "destinatario": "Integrantes del STL: «todos»",
        "asunto": "true",
        "sesion": "II-2026",
    },
    "aprobaciones": {
        "sesion": "I-2026",
        "aprobacion": "acuerdo STL/II/2/2026 de la sesión II-2026 (2026-04-14)",
        "registrada": "2026-04-15T10:00:00+00:00",
        "sha256": "a" * 64,
        "secciones": [{"seccion": "encabezado y apertura", "sha256": "b" * 64}],
    },
    "certificados": {"integrante": "ana", "sha256": "c" * 64, "descripcion": "núm. 0001, AC: de pruebas"},
    "envios": {
        "sesion": "I-2026",
        "clase": "convocatoria",
        "integrante": "ana",
        "mensaje": "<1.2@stl.example>",
        "secuencia": 0,
        "inicio": "2026-03-10T10:00",
        "sede": "Plataforma virtual Zoom: https://zoom.example/j/1",
        "fecha": "2026-03-02T16:00:00+00:00",
    },
}

# The shapes a registry takes in the wild: as `stl init` leaves it, with no final line break, with a comment after
# its last entry.
FORMAS = {
    "vacio": "{n}: []\n",
    "sin-fin-de-linea": "# comentario de arriba\n{n}: []",
    "comentario-al-final": "# arriba\n{n}:\n{previa}# comentario que alguien dejó al final\n",
}


def _previa(nombre: str) -> str:
    entrada = dict(ENTRADAS[nombre])
    clave = next(iter(entrada))
    entrada[clave] = {"folios": "STL/001/2026", "aprobaciones": "XX-2025", "certificados": "beto"}.get(
        nombre, entrada[clave]
    )
    if nombre == "aprobaciones":
        entrada["sesion"] = "XII-2025"
    if nombre == "certificados":
        entrada["sha256"] = "d" * 64
    texto = yaml.safe_dump([entrada], allow_unicode=True, sort_keys=False, width=4096)
    return "".join(f"  {linea}\n" for linea in texto.splitlines())


@pytest.mark.parametrize("forma", FORMAS)
@pytest.mark.parametrize("nombre", ENTRADAS)
def test_an_entry_is_added_to_the_parsed_list_keeping_comments(tmp_path, nombre, forma):
    texto = FORMAS[forma].format(n=nombre, previa=_previa(nombre))
    path = tmp_path / f"{nombre}.yaml"
    path.write_text(texto, "utf-8")
    antes = yaml.safe_load(texto)[nombre] or []
    with registros_yaml.candado(tmp_path, nombre):
        assert registros_yaml.agregar(tmp_path, nombre, ENTRADAS[nombre])
    nuevo = path.read_text("utf-8")
    assert yaml.safe_load(nuevo)[nombre] == [*antes, ENTRADAS[nombre]], nuevo
    for linea in texto.splitlines():  # every comment and every line of the old entries is still there
        if linea.startswith("#") or linea.startswith("  "):
            assert linea.strip() in nuevo, (linea, nuevo)
    assert registros_yaml.entradas(tmp_path, nombre)[-1] == ENTRADAS[nombre]


@pytest.mark.parametrize("nombre", ENTRADAS)
def test_a_missing_registry_is_created_with_its_header(tmp_path, nombre):
    with registros_yaml.candado(tmp_path, nombre):
        registros_yaml.agregar(tmp_path, nombre, ENTRADAS[nombre])
    texto = (tmp_path / f"{nombre}.yaml").read_text("utf-8")
    assert texto.startswith("# ") and "$schema" not in texto  # outside the checkout: no path into it
    assert yaml.safe_load(texto) == {nombre: [ENTRADAS[nombre]]}


def test_adding_without_the_lock_is_a_programming_error(tmp_path):
    with pytest.raises(RuntimeError, match="sin su candado"):
        registros_yaml.agregar(tmp_path, "folios", ENTRADAS["folios"])
    assert not (tmp_path / "folios.yaml").exists()


def test_a_broken_registry_is_named_with_its_line_and_left_as_it_is(tmp_path):
    roto = "folios:\n  - folio: STL/001/2026\n    fecha: [\n"
    (tmp_path / "folios.yaml").write_text(roto, "utf-8")
    with (
        registros_yaml.candado(tmp_path, "folios"),
        pytest.raises(RecordsError, match=r"folios\.yaml:\d+: YAML mal formado"),
    ):
        registros_yaml.agregar(tmp_path, "folios", ENTRADAS["folios"])
    assert (tmp_path / "folios.yaml").read_text("utf-8") == roto


def test_a_repeated_entry_is_not_added_twice(tmp_path):
    with registros_yaml.candado(tmp_path, "aprobaciones"):
        assert registros_yaml.agregar(tmp_path, "aprobaciones", ENTRADAS["aprobaciones"], repetida="sesion")
        assert not registros_yaml.agregar(
            tmp_path, "aprobaciones", ENTRADAS["aprobaciones"], repetida="sesion"
        )
    assert len(registros_yaml.entradas(tmp_path, "aprobaciones")) == 1


def _stl(*args: str):
    return CliRunner().invoke(main, list(args))


def test_convocatorias_after_stl_init_keep_folios_yaml_loading(tmp_path):
    """The first convocatoria of a new STL, and the next: folios.yaml from `stl init` stays valid YAML."""
    carpeta = tmp_path / "stl"
    assert _stl("init", str(carpeta), "--perfil", "edomex").exit_code == 0
    llenar_stl(carpeta)
    base = ["--registros", str(carpeta), "--salida", str(tmp_path / "salida")]
    for sesion, fecha in (("I-2026", "2026-03-10"), ("II-2026", "2026-05-12")):
        result = _stl(*base, "nueva-sesion", sesion, "--fecha", fecha, "--hora", "10:00")
        assert result.exit_code == 0, result.output
        result = _stl(*base, "convocatoria", sesion, "--formato", "docx")
        assert result.exit_code == 0, result.output
    texto = (carpeta / "folios.yaml").read_text("utf-8")
    assert texto.startswith(
        "# yaml-language-server: $schema=esquemas/folios.schema.json\n# Registro de folios"
    )
    assert [f.folio for f in records.load(carpeta).folios] == ["STL/001/2026", "STL/002/2026"]
    result = _stl(*base, "validar", "II-2026")
    assert result.exit_code == 0, result.output


def test_no_registry_is_written_by_appending_text():
    """The modules that add to a registry go through the helper: none opens a file to append, nor adds text."""
    raiz = Path(__file__).resolve().parent.parent / "pipeline"
    for modulo in ("folios", "aprobaciones", "sign", "distribute"):
        fuente = (raiz / f"{modulo}.py").read_text("utf-8")
        assert 'open("a"' not in fuente and "texto +=" not in fuente and "text +=" not in fuente, modulo
        assert "registros_yaml.agregar(" in fuente, modulo
